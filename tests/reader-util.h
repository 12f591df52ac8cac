/* reader-util.h: what the reader's tests (test-reader.c,
 * test-reader-threads.c) share: how a file is read, every row read as
 * text, and a dirty CSV to read. */
#pragma once

#include "winnow-csv-reader.h"
#include "winnow-test-util.h"

typedef struct {
  gsize chunk_size;
  guint n_threads;
  WinnowBadLines bad_lines;
  gunichar delimiter;         /* 0 for "," */
  WinnowThreadBudget *budget; /* NULL for the process's */
  const char *encoding;       /* NULL for "auto" */
  gboolean libcsv_only;
  gboolean extra_first;
  gboolean trim;
  char quote;                 /* 0 for '"' */
  guint batches_per_thread;   /* 0 for the default */
} ReadSetup;

/* The reader's options for @setup; the defaults for NULL. */
WinnowCsvReaderOptions options_for (const ReadSetup *setup);
/* Every row as "line|field|field…", then the outcome; or the error
 * (winnow_test_read_rows()). */
char                  *dump        (const char *path, const ReadSetup *setup);
/* A dirty CSV: quoted delimiters, doubled quotes, fields over several
 * lines (sometimes long ones), CRLF, blank lines, short and long rows
 * (a fifth field with @long_rows). */
char                  *random_csv  (guint32 seed, guint n_rows, gboolean long_rows);
