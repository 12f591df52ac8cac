/* winnow-step-drop-columns.c: drop_columns, the columns removed before
 * anything else looks at the rows (docs/BEHAVIOUR.md). The plan leaves
 * them out of every row (winnow-plan.c). */
#include "config.h"

#include "winnow-recipe-private.h"

static void
init (WinnowRecipe *recipe)
{
  recipe->drop_columns = recipe_str_array_new ();
}

static void
clear (WinnowRecipe *recipe)
{
  g_clear_pointer (&recipe->drop_columns, g_ptr_array_unref);
}

static void
copy (WinnowRecipe *copy, const WinnowRecipe *recipe)
{
  copy->drop_columns = recipe_str_array_copy (recipe->drop_columns);
}

static gboolean
equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  return recipe_str_array_equal (a->drop_columns, b->drop_columns);
}

static gboolean
is_on (const WinnowRecipe *recipe)
{
  return recipe->drop_columns->len > 0;
}

static gboolean
from_json (WinnowRecipe *recipe, JsonNode *node, GError **error)
{
  return recipe_get_string_list (node, "drop_columns", recipe->drop_columns, error);
}

static void
to_json (const WinnowRecipe *recipe, JsonBuilder *builder)
{
  recipe_add_string_list (builder, "drop_columns", recipe->drop_columns);
}

static void
describe (const WinnowRecipe *recipe, GPtrArray *lines)
{
  g_autofree char *names = recipe_join_names (recipe->drop_columns);
  g_ptr_array_add (lines, g_strdup_printf (ngettext ("Remove the column %s",
                                                     "Remove the columns %s",
                                                     recipe->drop_columns->len), names));
}

static char *
count_words (guint64 n, const char *n_text)
{
  return g_strdup_printf (ngettext ("%s column dropped", "%s columns dropped", (gulong) n), n_text);
}

static gboolean
apply_drop_columns (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  winnow_step_set_list (recipe->drop_columns, value);
  return TRUE;
}

static const WinnowStepOption options[] = {
  { "drop-columns", WINNOW_STEP_OPTION_VALUE, N_("Remove these columns"), N_("A,B"),
    apply_drop_columns },
  { NULL }
};

const WinnowStep winnow_step_drop_columns = {
  .id = WINNOW_STEP_DROP_COLUMNS,
  .key = "drop_columns",
  .init = init,
  .clear = clear,
  .copy = copy,
  .equal = equal,
  .is_on = is_on,
  .read = from_json,
  .write = to_json,
  .describe = describe,
  .count_words = count_words,
  .options = options,
};
