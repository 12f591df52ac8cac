/* winnow-cleaner.h: runs a recipe over one file (docs/BEHAVIOUR.md).
 *
 * The steps run in the order docs/BEHAVIOUR.md gives. Most recipes need one pass over the file;
 * keep=last/none needs a first pass that chooses the rows; the rows are
 * then written in a last pass, which also learns what a mean, median,
 * mode or bfill fill puts in the cells it left for them at its end. The
 * output appears only when everything succeeded.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-recipe.h"
#include "winnow-result.h"

G_BEGIN_DECLS

typedef enum {
  WINNOW_PHASE_SELECTING,   /* choosing the rows to keep (keep last/none) */
  WINNOW_PHASE_ANALYSING,   /* statistics for fills */
  WINNOW_PHASE_WRITING,
  WINNOW_PHASE_COMMITTING,  /* the output is complete: about to go in place */
} WinnowPhase;

/* The output about to go in place (WINNOW_PHASE_COMMITTING): the result
 * the task gives once it is, and the file that will be there, so that
 * whoever records the task can keep both where a recovery finds them if
 * this process ends before it has recorded it (docs/ARCHITECTURE.md,
 * "Outcomes kept for later"). */
typedef struct {
  const WinnowResult *result;
  guint64 device;    /* of the output's file: a rename keeps them */
  guint64 inode;
} WinnowCommit;

typedef struct {
  double fraction;   /* of all the work, 0 to 1 */
  guint64 rows;      /* rows read in this pass so far */
  WinnowPhase phase;
  const WinnowCommit *commit;  /* WINNOW_PHASE_COMMITTING only, else NULL */
} WinnowProgress;

/* Called on the cleaning thread, at most about ten times a second; once
 * with WINNOW_PHASE_COMMITTING just before the output goes in place (a
 * cancel seen by then still stops the task), and once more with fraction
 * 1 when the task succeeds. */
typedef void (*WinnowProgressFunc) (const WinnowProgress *progress, gpointer user_data);

typedef enum {
  WINNOW_CLEAN_NONE = 0,
  WINNOW_CLEAN_REPLACE = 1 << 0,  /* an existing output may be replaced */
  /* nothing will read the columns' profiles: no cell is profiled, and the
   * result's columns are left empty */
  WINNOW_CLEAN_NO_PROFILE = 1 << 1,
} WinnowCleanFlags;

WinnowResult *winnow_clean_file (const WinnowRecipe *recipe,
                                 const char *input_path,
                                 const char *output_path,
                                 WinnowCleanFlags flags,
                                 WinnowProgressFunc progress,
                                 gpointer user_data,
                                 GCancellable *cancellable,
                                 GError **error);

const char   *winnow_phase_to_string (WinnowPhase phase);
void          winnow_clean_set_spill_memory (gsize bytes);
void          winnow_clean_set_fill_holes (gint mode);
void          winnow_clean_set_progress_interval (gint64 usec);
void          winnow_clean_set_holes_weighed_at (gsize holes);

G_END_DECLS
