/* winnow-fill-stats.h: what a fill strategy learns from the rows that
 * remain, as they are written; their cells to fill wait as holes until
 * the end (docs/BEHAVIOUR.md 7.2: statistics for fill are computed on the
 * rows that remain after steps 2-5).
 *
 * mean follows pandas to the last bit: numpy sums the column (with 0 in
 * place of each non-number) pairwise within blocks of 8192 values and adds
 * the blocks in order, so this does the same, in a fixed 64 KiB. median
 * keeps the numbers; mode counts each distinct text; bfill keeps, for each
 * run of missing values, the value that ends it.
 */
#pragma once

#include <glib.h>

#include "winnow-recipe.h"

G_BEGIN_DECLS

typedef struct _WinnowFillStats WinnowFillStats;

WinnowFillStats *winnow_fill_stats_new      (WinnowFillStrategy strategy);
void             winnow_fill_stats_free     (WinnowFillStats *stats);
void             winnow_fill_stats_add      (WinnowFillStats *stats,
                                             const char *text,
                                             gsize length,
                                             gboolean missing);
gboolean         winnow_fill_stats_takes_numbers (const WinnowFillStats *stats);
void             winnow_fill_stats_set_spill (WinnowFillStats *stats,
                                             const char *dir,
                                             gsize memory);
const GError    *winnow_fill_stats_get_error (const WinnowFillStats *stats);
void             winnow_fill_stats_add_number (WinnowFillStats *stats,
                                             gboolean is_number,
                                             double v);
char            *winnow_fill_stats_finish   (WinnowFillStats *stats);
gint64           winnow_fill_stats_next_bfill_run (WinnowFillStats *stats,
                                                 gint64 limit);
guint            winnow_fill_stats_get_n_runs (const WinnowFillStats *stats);
void             winnow_fill_stats_get_run  (const WinnowFillStats *stats,
                                             guint run,
                                             const char **text,
                                             gsize *length);
gboolean         winnow_fill_stats_next_bfill (WinnowFillStats *stats,
                                             gint64 limit,
                                             const char **text,
                                             gsize *length);

double           winnow_pairwise_sum        (const double *values,
                                             gsize n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowFillStats, winnow_fill_stats_free)

G_END_DECLS
