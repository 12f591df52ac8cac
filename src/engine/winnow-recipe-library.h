/* winnow-recipe-library.h: recipes saved under a name.
 *
 * Each saved recipe is a file NAME.json in one folder (by default
 * $XDG_DATA_HOME/io.github.winnow.Winnow/recipes), in the very format
 * `winnow --batch --recipe` reads, so a saved recipe can be used, copied
 * or edited by hand. The library notices no change made behind its back
 * until it is asked again; "changed" is emitted for its own saves and
 * deletions.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-recipe.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_RECIPE_LIBRARY (winnow_recipe_library_get_type ())
G_DECLARE_FINAL_TYPE (WinnowRecipeLibrary, winnow_recipe_library, WINNOW, RECIPE_LIBRARY, GObject)

char                *winnow_recipe_library_default_dir (void);

WinnowRecipeLibrary *winnow_recipe_library_new      (const char *dir);
GStrv                winnow_recipe_library_list     (WinnowRecipeLibrary *library);
WinnowRecipe        *winnow_recipe_library_load     (WinnowRecipeLibrary *library,
                                                     const char *name,
                                                     GError **error);
gboolean             winnow_recipe_library_save     (WinnowRecipeLibrary *library,
                                                     const char *name,
                                                     const WinnowRecipe *recipe,
                                                     GError **error);
gboolean             winnow_recipe_library_delete   (WinnowRecipeLibrary *library,
                                                     const char *name,
                                                     GError **error);
gboolean             winnow_recipe_library_check_name (const char *name,
                                                       GError **error);

G_END_DECLS
