/* winnow-cleaner-private.h: the state of one winnow_clean_file() call,
 * shared by the passes over the file (winnow-cleaner.c) and the attempt
 * that sets them up, retries and reports (winnow-cleaner-attempt.c). */
#pragma once

#include "winnow-cleaner.h"
#include "winnow-csv-reader.h"
#include "winnow-csv-writer.h"
#include "winnow-digest-set.h"
#include "winnow-fill-stats.h"
#include "winnow-output-file.h"
#include "winnow-plan.h"
#include "winnow-profiler.h"
#include "winnow-rejects.h"
#include "winnow-spill-array.h"

G_BEGIN_DECLS

#define DUPLICATE_MARK G_MAXUINT64

typedef enum {
  PASS_SELECT,
  PASS_STATS,
  PASS_WRITE,
} PassKind;

typedef struct {
  guint64 *words;
  gsize n_words;
} Bitset;

typedef struct {
  char *text;
  gsize length;
  gsize capacity;
  gboolean has_value;
  guint64 run;
} LastValue;

typedef struct {
  const WinnowRecipe *recipe;
  const char *input_path;
  const char *output_path;
  WinnowCleanFlags flags;
  GCancellable *cancellable;
  WinnowProgressFunc progress;
  gpointer progress_data;

  WinnowCsvReaderOptions options;
  WinnowCsvReader *reader;        /* the open reader of the current pass */
  GPtrArray *column_names;
  WinnowPlan *plan;
  guint64 size;
  gint64 mtime;
  guint attempts;                 /* prepare()d so far */

  /* which rows remain */
  WinnowDigestSet *seen;
  WinnowDigest *digests;          /* one batch's worth */
  guint8 *is_new;                 /* of each row of a batch: not seen before */
  GByteArray *key;
  const char **fields;            /* texts of the current row, per kept column */
  Bitset keep;                    /* rows that remain */
  Bitset unique;                  /* selection pass: rows dedupe keeps */
  gboolean have_keep;
  gboolean hash_rows;             /* this pass's parse threads make digests */
  gboolean hash_cells;            /* and hash the fields for the profile
                                   * (the one-thread loop's) */
  guint64 duplicates;
  guint64 missing_dropped;
  struct _Selection *selection;   /* a selection pass's, kept by a retry
                                   * for dense holes, or NULL */

  /* statistics and filling */
  WinnowFillStats **stats;        /* per kept column, or NULL */
  LastValue *last;                /* ffill */
  guint64 *filled;                /* per kept column */
  guint64 *replaced;              /* per kept column */
  guint64 *missing_before;
  /* Fills by a statistic (mean, median, mode) or bfill without a statistics pass:
   * the write pass leaves their cells empty and notes where (holes), and
   * winnow_cleaner_fill_holes() puts the values in once they are known. */
  gboolean defer_fills;
  gboolean holes_refused;         /* this file's were too dense: a pass of
                                   * statistics instead (kept by a retry) */
  gboolean holes_always;          /* however dense (for tests) */
  gsize holes_weigh_at;           /* winnow_cleaner_weigh_holes() weighs
                                   * at this many (0: the first time) */
  gboolean holes_dense;           /* ... and found them too dense */
  WinnowSpillArray *holes;        /* of WinnowOutputHole, value = kept column
                                   * (a bfill's: its run's value number, once
                                   * winnow_cleaner_fill_holes() resolved it) */
  GError *hole_error;             /* the first hole that could not be kept */
  guint64 *hole_counts;           /* per kept column */
  GArray *preview_holes;          /* of guint64: preview row << 32 | column */
  /* ffill in the pipelined write pass: a batch's missing cells before its
   * first value are holes that get the value the batches before it ended
   * with; those values, as read (value number n_kept + their index) */
  GString *ffill_pool;
  GArray *ffill_values;           /* of WinnowHoleValue, data an offset */

  /* writing */
  WinnowOutputFile *output;
  WinnowCsvWriter *writer;
  WinnowProfiler *profiler;      /* NULL: WINNOW_CLEAN_NO_PROFILE */
  guint64 rows_written;
  WinnowRejects *rejects;         /* the rejected-rows file, or NULL */
  GString *detail;                /* a rejected row's detail */

  /* progress */
  guint n_passes;
  guint pass_index;
  WinnowPhase phase;
  gint64 last_report;
  double reported;                /* the largest fraction told, kept by a
                                   * second attempt: progress never goes back */

  WinnowResult *result;
} Cleaner;

void     winnow_cleaner_remember  (LastValue *last,
                                   const char *text,
                                   gsize length);
gboolean winnow_cleaner_run_pass (Cleaner *c,
                                  PassKind kind,
                                  GError **error);
gboolean winnow_cleaner_fill_holes (Cleaner *c,
                                    GError **error);
gboolean winnow_cleaner_finish_stats (Cleaner *c,
                                      GError **error);
gboolean winnow_cleaner_same_file (Cleaner *c,
                                   GError **error);
void     winnow_cleaner_weigh_holes (Cleaner *c,
                                     guint64 bytes_consumed);
/* The write pass stopped: its holes are too dense (the attempt is made
 * again with a pass of statistics). */
#define WINNOW_CLEANER_DENSE_HOLES (winnow_cleaner_dense_holes_quark ())
GQuark   winnow_cleaner_dense_holes_quark (void);
guint    winnow_cleaner_decide_batch (Cleaner *c,
                                      const WinnowRowBatch *batch,
                                      guint *rows);
void     winnow_cleaner_report    (Cleaner *c,
                                   const WinnowRowBatch *batch);
/* A field of row @i of @batch, its fill applied, profiled (unless
 * @profiler is NULL: WINNOW_CLEAN_NO_PROFILE) and written: as read
 * (@as_read: its hash made on a parse thread if the batch has them, else
 * here), filled, or missing. @number: the field's number as read, if the
 * caller parsed it (for a fill's statistic), or NULL. @plain: the text
 * needs no quotes (winnow_csv_writer_plain_field()). Shared by the
 * one-thread loop and the pipeline's. */
static inline void
winnow_cleaner_put_field (WinnowProfiler *profiler, WinnowCsvWriter *writer,
                          const WinnowRowBatch *batch, guint i, guint k, guint n,
                          const char *text, gsize length, gboolean present, gboolean as_read,
                          const WinnowParsedNumber *number, gboolean plain)
{
  const guint64 *hash = as_read && batch->has_cell_hashes
                        ? &batch->cell_hashes[(gsize) i * n + k] : NULL;

  if (profiler == NULL)
    ;
  else if (number != NULL && as_read)
    winnow_profiler_add_value_parsed (profiler, k, text, length, hash, number);
  else if (hash != NULL)
    winnow_profiler_add_value_hashed (profiler, k, text, length, *hash);
  else if (present)
    winnow_profiler_add_value (profiler, k, text, length);
  else
    winnow_profiler_add_missing (profiler, k, 1);

  if (n == 1 && length == 0)
    winnow_csv_writer_empty_row (writer);
  else if (plain)
    winnow_csv_writer_plain_field (writer, k == 0, text, length);
  else
    winnow_csv_writer_field (writer, k == 0, text, length);
}

/* Profiles @count cells of column @k that hold @text, or are missing
 * (@text NULL); nothing without a profile (WINNOW_CLEAN_NO_PROFILE). */
static inline void
winnow_cleaner_profile (Cleaner *c, guint k, const char *text, gsize length, guint64 count)
{
  if (c->profiler == NULL)
    return;
  if (text != NULL)
    winnow_profiler_add_values (c->profiler, k, text, length, count);
  else
    winnow_profiler_add_missing (c->profiler, k, count);
}

/* A hole (a cell its statistic fills at the end) at @hole.offset in the
 * file: noted, and the bytes from the first one on, which the hole pass
 * moves, are not sent to disk early. Shared by both write loops. */
static inline void
winnow_cleaner_add_hole (Cleaner *c, WinnowOutputHole hole)
{
  if (c->holes->len == 0)
    winnow_csv_writer_write_back_before (c->writer, hole.offset);
  /* (the pass goes on; winnow_cleaner_fill_holes() fails with the error) */
  if (G_LIKELY (c->hole_error == NULL))
    winnow_spill_array_append (c->holes, &hole, 1, &c->hole_error);
}

/* winnow-cleaner-pipeline.c: batches between deciding and writing. With
 * 3, the formatting stage (one thread, and the cleaning thread while it
 * would wait) had too little slack for a recipe that keeps most rows:
 * 6 took R on the 1M file from 320 to 300 ms (median) and R0 on the 5M
 * file from 1.15 to 0.99 s, for about 6 MiB more. */
#define WINNOW_CLEANER_IN_FLIGHT 6
gboolean winnow_cleaner_can_pipeline (const Cleaner *c);
void     winnow_cleaner_set_pipeline (gint mode);
guint    winnow_cleaner_get_pipelined_passes (void);
void     winnow_cleaner_write_pipelined (Cleaner *c);
/* winnow-cleaner-prepare.c */
WinnowDigest winnow_cleaner_digest_row (const WinnowPlan *plan,
                                        const WinnowRowBatch *batch,
                                        guint row,
                                        GByteArray *key,
                                        const char **fields);
void     winnow_cleaner_prepare_batch (WinnowRowBatch *batch,
                                       gpointer data);

G_END_DECLS
