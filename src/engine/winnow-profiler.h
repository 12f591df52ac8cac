/* winnow-profiler.h: builds the column profile of the rows written.
 *
 * Per column: the narrowest type every present value fits (integer, float,
 * boolean, date, else text), missing counts, distinct values, min/max/mean
 * of numbers and the most frequent values. The type tests stop as soon as
 * a column is known to be text, so wide text columns cost one hash per
 * field. A column costs about a hundred bytes until its first value, and
 * its value counter starts small: a file of 100,000 columns and a few rows
 * costs memory in proportion to its data. Each column is finished once,
 * which frees its counter.
 *
 * Nothing in a profile depends on the order of the cells (the mean is the
 * exact sum of the numbers, rounded once, divided by their count), so
 * profiles of parts of a file merge into the profile of the whole
 * (winnow_profiler_merge()): a pipelined write pass profiles each batch's
 * rows on the thread that formats them and merges the batches' profiles in
 * order (winnow-cleaner-pipeline.c); the one-thread loop (ffill, bfill,
 * very wide files, one core) profiles every row itself, from cells the
 * parse threads have hashed (the pipeline's threads hash the cells they
 * format: winnow_profiler_add_value() and _parsed() without a hash).
 */
#pragma once

#include <glib.h>

#include "winnow-result.h"

G_BEGIN_DECLS

typedef struct _WinnowProfiler WinnowProfiler;

/* A cell's winnow_number_parse(), made by a caller that needed it too */
typedef struct {
  gboolean is_number;
  gboolean integer;
  double value;
} WinnowParsedNumber;

WinnowProfiler      *winnow_profiler_new            (guint n_columns);
void                 winnow_profiler_free           (WinnowProfiler *profiler);
void                 winnow_profiler_add_value      (WinnowProfiler *profiler,
                                                     guint column,
                                                     const char *text,
                                                     gsize length);
void                 winnow_profiler_add_values     (WinnowProfiler *profiler,
                                                     guint column,
                                                     const char *text,
                                                     gsize length,
                                                     guint64 count);
void                 winnow_profiler_add_value_hashed (WinnowProfiler *profiler,
                                                       guint column,
                                                       const char *text,
                                                       gsize length,
                                                       guint64 hash);
void                 winnow_profiler_add_value_parsed (WinnowProfiler *profiler,
                                                       guint column,
                                                       const char *text,
                                                       gsize length,
                                                       const guint64 *hash,
                                                       const WinnowParsedNumber *number);
void                 winnow_profiler_add_missing    (WinnowProfiler *profiler,
                                                     guint column,
                                                     guint64 count);
void                 winnow_profiler_merge          (WinnowProfiler *profiler,
                                                     const WinnowProfiler *other);
WinnowColumnProfile *winnow_profiler_finish_column  (WinnowProfiler *profiler,
                                                     guint column,
                                                     const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowProfiler, winnow_profiler_free)

G_END_DECLS
