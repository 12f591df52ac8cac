/* fuzz-recipe.c: arbitrary bytes through the recipe JSON parser. A recipe
 * that parses must validate, survive a round trip through JSON unchanged,
 * and copy to an equal recipe; anything else is a GError, never a crash.
 * The limits hold: nothing over WINNOW_RECIPE_MAX_BYTES is a recipe, and
 * whatever winnow_json_check() passes, json-glib parses (strict JSON is a
 * subset of what it reads, so the check never lets through text that
 * json-glib would read differently, or recurse into deeper). */
#include "config.h"

#include <json-glib/json-glib.h>

#include "winnow-json.h"
#include "winnow-recipe.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(WinnowRecipe) again = NULL;
  g_autoptr(WinnowRecipe) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (winnow_json_check ((const char *) data, size, WINNOW_JSON_MAX_DEPTH, NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_assert (json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL));
    }

  recipe = winnow_recipe_new_from_json ((const char *) data, (gssize) size, &error);
  g_assert (size <= WINNOW_RECIPE_MAX_BYTES || recipe == NULL);
  if (recipe == NULL)
    {
      g_assert (error != NULL && error->message[0] != '\0');
      return 0;
    }
  g_assert (winnow_recipe_validate (recipe, NULL));
  json = winnow_recipe_to_json (recipe);
  again = winnow_recipe_new_from_json (json, -1, &error);
  g_assert (again != NULL);
  g_assert (winnow_recipe_equal (recipe, again));
  copy = winnow_recipe_copy (recipe);
  g_assert (winnow_recipe_equal (recipe, copy));
  return 0;
}
