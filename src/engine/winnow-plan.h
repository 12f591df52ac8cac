/* winnow-plan.h: a recipe resolved against one file's columns.
 *
 * Names become indices: which input columns are kept (and where they go),
 * what each kept column's fields are replaced with, which kept columns
 * the duplicate and missing-value steps compare, and how each kept column
 * is filled. Every name the recipe gives must exist,
 * and must not be one drop_columns removes; the error names the step and
 * the column.
 */
#pragma once

#include <glib.h>

#include "winnow-csv-reader.h"
#include "winnow-recipe.h"
#include "winnow-text-set.h"

G_BEGIN_DECLS

typedef struct {
  gboolean active;
  WinnowFillStrategy strategy;
  char *value;         /* the constant, or what mean/median/mode computed */
  gint64 limit;
} WinnowColumnFill;

typedef struct {
  const WinnowRecipe *recipe;
  guint n_input;
  guint n_kept;
  gint *column_map;    /* per input column: kept index, or -1 */
  GPtrArray *kept_names;
  WinnowTextSet *na;

  WinnowFieldReplace **replace; /* per kept column, or NULL; NULL: no rule */

  guint *dedupe_columns;   /* kept indices, each once; NULL = the whole row */
  guint n_dedupe_columns;

  guint *missing_columns;  /* kept indices, each once */
  guint *missing_weights;  /* how often the subset names each; NULL: once */
  guint n_missing_columns;
  guint missing_needed;    /* a row is kept with at least this many present */

  WinnowColumnFill *fills; /* per kept column */
  gboolean needs_statistics;
  gboolean needs_selection_pass;
} WinnowPlan;

WinnowPlan *winnow_plan_new  (const WinnowRecipe *recipe,
                              GPtrArray *column_names,
                              GError **error);
void        winnow_plan_free (WinnowPlan *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowPlan, winnow_plan_free)

G_END_DECLS
