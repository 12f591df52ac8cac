/* winnow-step-trim.c: trim_whitespace, spaces and tabs stripped from both
 * ends of every field before anything else looks at it, so " NA " is
 * missing (docs/BEHAVIOUR.md). The reader trims (winnow-csv-parse-thread.c). */
#include "config.h"

#include "winnow-recipe-private.h"

static gboolean
equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  return a->trim_whitespace == b->trim_whitespace;
}

static gboolean
is_on (const WinnowRecipe *recipe)
{
  return recipe->trim_whitespace;
}

static gboolean
from_json (WinnowRecipe *recipe, JsonNode *node, GError **error)
{
  return recipe_get_bool (node, "trim_whitespace", &recipe->trim_whitespace, error);
}

static void
to_json (const WinnowRecipe *recipe, JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "trim_whitespace");
  json_builder_add_boolean_value (builder, recipe->trim_whitespace);
}

static void
describe (const WinnowRecipe *recipe, GPtrArray *lines)
{
  g_ptr_array_add (lines, g_strdup (_("Trim spaces around every field")));
}

static gboolean
apply_trim (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  recipe->trim_whitespace = TRUE;
  return TRUE;
}

static const WinnowStepOption options[] = {
  { "trim", WINNOW_STEP_OPTION_FLAG, N_("Strip spaces and tabs around every field"), NULL,
    apply_trim },
  { NULL }
};

const WinnowStep winnow_step_trim = {
  .id = WINNOW_STEP_TRIM,
  .key = "trim_whitespace",
  .equal = equal,
  .is_on = is_on,
  .read = from_json,
  .write = to_json,
  .describe = describe,
  .options = options,
};
