/* winnow-recipe-editor.h: every setting of a recipe as preferences rows.
 *
 * The editor owns a recipe and keeps it in step with its controls: each
 * control writes its field, and winnow_recipe_editor_set_recipe() sets
 * the controls from a recipe. The rows that name columns (keep or drop,
 * subsets, replacements, fills) are built from the columns of the file,
 * with their type, chart and missing share when known. "changed" says
 * what a change touched, so that the dialog reads the file again only
 * when it has to; winnow_recipe_editor_get_problem() says when the
 * controls make no recipe that can run (a replacement that can never
 * match, a fill with no value), and the row concerned says it too.
 */
#pragma once

#include <adwaita.h>

#include "winnow-recipe.h"
#include "winnow-result.h"

G_BEGIN_DECLS

typedef enum {
  WINNOW_EDITOR_CHANGED_STEPS = 1 << 0,    /* the cleaning steps or the output */
  WINNOW_EDITOR_CHANGED_PROFILE = 1 << 1,  /* NA tokens or trimming: the profile too */
  WINNOW_EDITOR_CHANGED_INPUT = 1 << 2,    /* how the file is read: read it again */
} WinnowEditorChange;

#define WINNOW_TYPE_RECIPE_EDITOR (winnow_recipe_editor_get_type ())
G_DECLARE_FINAL_TYPE (WinnowRecipeEditor, winnow_recipe_editor, WINNOW, RECIPE_EDITOR, AdwBin)

GtkWidget          *winnow_recipe_editor_new          (void);
void                winnow_recipe_editor_set_recipe   (WinnowRecipeEditor *editor,
                                                       const WinnowRecipe *recipe);
const WinnowRecipe *winnow_recipe_editor_get_recipe   (WinnowRecipeEditor *editor);
const char         *winnow_recipe_editor_get_problem  (WinnowRecipeEditor *editor);
void                winnow_recipe_editor_set_columns  (WinnowRecipeEditor *editor,
                                                       GPtrArray *names,
                                                       GPtrArray *profile,
                                                       guint64 n_rows);
void                winnow_recipe_editor_update_profile (WinnowRecipeEditor *editor,
                                                         GPtrArray *profile,
                                                         guint64 n_rows);
void                winnow_recipe_editor_set_estimate (WinnowRecipeEditor *editor,
                                                       const WinnowResult *estimate);
void                winnow_recipe_editor_set_columns_problem (WinnowRecipeEditor *editor,
                                                              const char *message);
void                winnow_recipe_editor_set_columns_note (WinnowRecipeEditor *editor,
                                                           const char *note);
void                winnow_recipe_editor_set_detected (WinnowRecipeEditor *editor,
                                                       gunichar delimiter,
                                                       const char *encoding);

/* The positions of a fill row's choices. */
typedef enum {
  WINNOW_FILL_CHOICE_NONE,
  WINNOW_FILL_CHOICE_VALUE,
  WINNOW_FILL_CHOICE_MEAN,
  WINNOW_FILL_CHOICE_MEDIAN,
  WINNOW_FILL_CHOICE_MODE,
  WINNOW_FILL_CHOICE_FFILL,
  WINNOW_FILL_CHOICE_BFILL,
} WinnowFillChoice;

G_END_DECLS
