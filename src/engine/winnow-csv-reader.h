/* winnow-csv-reader.h: reads a CSV file into row batches on a thread of
 * its own.
 *
 * Opening a reader reads the first block, settles the encoding and the
 * delimiter, and parses the header row, so the caller can resolve column
 * names before any data row is parsed. winnow_csv_reader_start() then
 * parses the rest on a thread, with libcsv, into a small ring of
 * WinnowRowBatch: the file is never held in memory, and parsing runs on
 * one core while the caller cleans and writes on another.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-text-set.h"
#include "winnow-recipe.h"
#include "winnow-row-batch.h"
#include "winnow-thread-budget.h"

G_BEGIN_DECLS

#define WINNOW_CSV_ERROR (winnow_csv_error_quark ())
GQuark winnow_csv_error_quark (void);

typedef enum {
  WINNOW_CSV_ERROR_OPEN,       /* cannot open or read the file */
  WINNOW_CSV_ERROR_NOT_FILE,   /* a folder, a pipe, a device */
  WINNOW_CSV_ERROR_EMPTY,      /* no row at all */
  WINNOW_CSV_ERROR_QUOTE,      /* malformed quoting */
  WINNOW_CSV_ERROR_FIELDS,     /* a row with more fields than the header */
  WINNOW_CSV_ERROR_ENCODING,   /* bytes that are not text in the encoding */
  WINNOW_CSV_ERROR_BINARY,     /* NUL bytes */
  WINNOW_CSV_ERROR_TOO_LARGE,  /* a field or row past the size caps */
  WINNOW_CSV_ERROR_CHANGED,    /* the file changed while it was read */
  WINNOW_CSV_ERROR_NOT_UTF8,   /* encoding "auto" met non-UTF-8 after rows were
                                * handed out: read it again as Windows-1252 */
} WinnowCsvError;

/* A batch's bytes_consumed is where its parse thread had read to: at
 * most this many bytes (one read) past the end of its last row. */
#define WINNOW_CSV_READ_AHEAD (256u << 10)
/* A field may not grow past this: a "CSV" file with a gigabyte line is
 * not one, and must not take the machine's memory down with it. */
#define WINNOW_MAX_FIELD_BYTES (64u << 20)
#define WINNOW_MAX_ROW_BYTES (256u << 20)

typedef struct {
  gunichar delimiter;       /* 0: sniff */
  char quote;
  const char *encoding;     /* "auto" or a name */
  gboolean header;
  WinnowBadLines bad_lines;
  /* 0 for the defaults; tests set them to cut small files into many chunks */
  gsize chunk_size;
  guint n_threads;
  /* tests: libcsv parses every line (no line is split here), to check
   * that the lines split here give exactly libcsv's fields */
  gboolean libcsv_only;
  /* tests: the base thread takes its place in the budget only once an
   * extra thread has claimed a chunk */
  gboolean extra_first;
  /* tests: free batches per parse thread (0: BATCHES_PER_THREAD), few
   * to make a thread run out of them */
  guint batches_per_thread;
  /* Set by winnow_csv_reader_options_fall_back(): the file is read again
   * as Windows-1252 after "auto" met bytes that are not UTF-8. */
  gboolean utf8_fallback;
  /* The threads the parse threads share with every other task
   * (winnow-thread-budget.h); NULL for the process's own. */
  WinnowThreadBudget *budget;
} WinnowCsvReaderOptions;

typedef struct {
  guint64 line;
  guint fields;
} WinnowBadLine;

typedef struct _WinnowCsvReader WinnowCsvReader;

const char      *winnow_csv_reader_libcsv_version (void);
void             winnow_csv_reader_options_fall_back (WinnowCsvReaderOptions *options);
WinnowCsvReader *winnow_csv_reader_open_or_fall_back (const char *path,
                                                      WinnowCsvReaderOptions *options,
                                                      GCancellable *cancellable,
                                                      GError **error);

WinnowCsvReader *winnow_csv_reader_open           (const char *path,
                                                   const WinnowCsvReaderOptions *options,
                                                   GCancellable *cancellable,
                                                   GError **error);
void             winnow_csv_reader_free           (WinnowCsvReader *reader);

guint            winnow_csv_reader_get_n_columns  (WinnowCsvReader *reader);
const char      *winnow_csv_reader_get_column     (WinnowCsvReader *reader,
                                                   guint column);
gunichar         winnow_csv_reader_get_delimiter  (WinnowCsvReader *reader);
const char      *winnow_csv_reader_get_encoding   (WinnowCsvReader *reader);
guint64          winnow_csv_reader_get_size       (WinnowCsvReader *reader);
gint64           winnow_csv_reader_get_mtime      (WinnowCsvReader *reader);
guint64          winnow_csv_reader_estimate_rows  (WinnowCsvReader *reader);

/* What a kept column's fields become (the replace step): a field equal
 * to from's text i becomes to[i], to_length[i] bytes, or missing when
 * to[i] is NULL. */
typedef struct {
  WinnowTextSet *from;
  char **to;
  guint32 *to_length;
} WinnowFieldReplace;

/* Called on a parse thread with each batch of rows before it is handed
 * out: per-row work that needs no order (digests, hashes). */
typedef void (*WinnowBatchPrepareFunc) (WinnowRowBatch *batch, gpointer data);

void             winnow_csv_reader_keep_raw       (WinnowCsvReader *reader);
void             winnow_csv_reader_hold_batches   (WinnowCsvReader *reader,
                                                   guint n);
void             winnow_csv_reader_set_prepare    (WinnowCsvReader *reader,
                                                   WinnowBatchPrepareFunc func,
                                                   gpointer data);
void             winnow_csv_reader_set_replace    (WinnowCsvReader *reader,
                                                   WinnowFieldReplace * const *replace);
void             winnow_csv_reader_start          (WinnowCsvReader *reader,
                                                   const gint *column_map,
                                                   guint n_kept,
                                                   const WinnowTextSet *na,
                                                   gboolean trim);
WinnowRowBatch  *winnow_csv_reader_next_batch     (WinnowCsvReader *reader);
void             winnow_csv_reader_recycle        (WinnowCsvReader *reader,
                                                   WinnowRowBatch *batch);
void             winnow_csv_reader_abort          (WinnowCsvReader *reader);
gboolean         winnow_csv_reader_finish         (WinnowCsvReader *reader,
                                                   GError **error);

guint64          winnow_csv_reader_get_rows       (WinnowCsvReader *reader);
guint64          winnow_csv_reader_get_bad_lines  (WinnowCsvReader *reader);
const GArray    *winnow_csv_reader_get_bad_line_list (WinnowCsvReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowCsvReader, winnow_csv_reader_free)

G_END_DECLS
