/* winnow-step-drop-missing.c: drop_missing, rows with missing values, as
 * pandas' dropna: how "any" or "all", or thresh, over every column or a
 * subset (docs/BEHAVIOUR.md). The cleaner counts a row's missing fields
 * from its record (winnow-row-batch.h). */
#include "config.h"

#include <string.h>

#include "winnow-recipe-private.h"

static void
init (WinnowRecipe *recipe)
{
  recipe->how = WINNOW_HOW_ANY;
  recipe->thresh = -1;
  recipe->missing_subset = recipe_str_array_new ();
}

static void
clear (WinnowRecipe *recipe)
{
  g_clear_pointer (&recipe->missing_subset, g_ptr_array_unref);
}

static void
copy (WinnowRecipe *copy, const WinnowRecipe *recipe)
{
  copy->missing_subset = recipe_str_array_copy (recipe->missing_subset);
}

static gboolean
equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  if (a->drop_missing != b->drop_missing)
    return FALSE;
  return !a->drop_missing ||
         (a->thresh == b->thresh && (a->thresh >= 0 || a->how == b->how) &&
          recipe_str_array_equal (a->missing_subset, b->missing_subset));
}

static gboolean
is_on (const WinnowRecipe *recipe)
{
  return recipe->drop_missing;
}

static gboolean
from_json (WinnowRecipe *recipe, JsonNode *node, GError **error)
{
  static const char * const keys[] = { "how", "thresh", "subset", NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (!recipe_read_step (node, "drop_missing", &recipe->drop_missing, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!recipe_check_keys (object, "drop_missing", keys, error))
    return FALSE;
  if (json_object_has_member (object, "how") && json_object_has_member (object, "thresh"))
    /* Translators: drop_missing, how and thresh are recipe keys */
    return recipe_invalid (error, _("drop_missing: give either \"how\" or \"thresh\", not both (as in pandas)"));
  if ((member = json_object_get_member (object, "how")))
    {
      if (!recipe_get_string (member, "drop_missing.how", &s, error))
        return FALSE;
      if (strcmp (s, "any") == 0)
        recipe->how = WINNOW_HOW_ANY;
      else if (strcmp (s, "all") == 0)
        recipe->how = WINNOW_HOW_ALL;
      else
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: drop_missing.how and the words in quotes are recipe syntax */
          return recipe_invalid (error, _("drop_missing.how: expected \"any\" or \"all\", not \"%s\""), shown);
        }
    }
  if ((member = json_object_get_member (object, "thresh")) &&
      !recipe_get_int (member, "drop_missing.thresh", 0, &recipe->thresh, error))
    return FALSE;
  if ((member = json_object_get_member (object, "subset")) &&
      !recipe_get_string_list (member, "drop_missing.subset", recipe->missing_subset, error))
    return FALSE;
  return TRUE;
}

static void
to_json (const WinnowRecipe *recipe, JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "drop_missing");
  if (!recipe->drop_missing)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  if (recipe->thresh >= 0)
    {
      json_builder_set_member_name (builder, "thresh");
      json_builder_add_int_value (builder, recipe->thresh);
    }
  else
    {
      json_builder_set_member_name (builder, "how");
      json_builder_add_string_value (builder, recipe->how == WINNOW_HOW_ALL ? "all" : "any");
    }
  recipe_add_string_list (builder, "subset", recipe->missing_subset);
  json_builder_end_object (builder);
}

static gboolean
validate (const WinnowRecipe *recipe, GError **error)
{
  if (recipe->drop_missing && recipe->thresh < -1)
    /* Translators: drop_missing.thresh is a recipe key; keep it as it is */
    return recipe_invalid (error, _("drop_missing.thresh: expected a number of fields, 0 or more"));
  return TRUE;
}

static void
describe (const WinnowRecipe *recipe, GPtrArray *lines)
{
  g_autofree char *n = g_strdup_printf ("%'" G_GINT64_FORMAT, recipe->thresh);
  g_autofree char *names = recipe_join_names (recipe->missing_subset);

  if (recipe->missing_subset->len == 0)
    {
      if (recipe->thresh >= 0)
        g_ptr_array_add (lines, g_strdup_printf (ngettext ("Keep rows with at least %s value",
                                                           "Keep rows with at least %s values",
                                                           (gulong) recipe->thresh), n));
      else if (recipe->how == WINNOW_HOW_ALL)
        g_ptr_array_add (lines, g_strdup (_("Drop rows where every field is missing")));
      else
        g_ptr_array_add (lines, g_strdup (_("Drop rows with a missing value")));
    }
  else if (recipe->thresh >= 0)
    /* Translators: the first %s is a count, the second a list of columns */
    g_ptr_array_add (lines, g_strdup_printf (ngettext ("Keep rows with at least %s value in %s",
                                                       "Keep rows with at least %s values in %s",
                                                       (gulong) recipe->thresh), n, names));
  else if (recipe->how == WINNOW_HOW_ALL)
    /* Translators: %s is a list of columns */
    g_ptr_array_add (lines, g_strdup_printf (_("Drop rows where every field of %s is missing"),
                                             names));
  else
    /* Translators: %s is a list of columns */
    g_ptr_array_add (lines, g_strdup_printf (_("Drop rows with a missing value in %s"), names));
}

static char *
count_words (guint64 n, const char *n_text)
{
  return g_strdup_printf (ngettext ("%s row with missing values", "%s rows with missing values",
                                    (gulong) n), n_text);
}

/* pandas refuses how and thresh together; so do the options, whichever
 * comes first. */
static gboolean
refuse_both (GHashTable *given, GError **error)
{
  if (g_hash_table_contains (given, "drop-missing") && g_hash_table_contains (given, "thresh"))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("give either --drop-missing or --thresh, not both (as in pandas)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_drop_missing (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  if (!refuse_both (given, error))
    return FALSE;
  if (g_str_equal (value, "any"))
    recipe->how = WINNOW_HOW_ANY;
  else if (g_str_equal (value, "all"))
    recipe->how = WINNOW_HOW_ALL;
  else
    /* Translators: any and all are values of --drop-missing; keep them as they are */
    return winnow_step_bad_option (error, "--drop-missing", _("any or all"), value);
  recipe->drop_missing = TRUE;
  recipe->thresh = -1;
  return TRUE;
}

static gboolean
apply_thresh (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  gint64 n;

  if (!refuse_both (given, error))
    return FALSE;
  if (!g_ascii_string_to_signed (value, 10, 0, G_MAXINT32, &n, NULL))
    return winnow_step_bad_option (error, "--thresh", _("a number of 0 or more"), value);
  recipe->drop_missing = TRUE;
  recipe->thresh = n;
  return TRUE;
}

static gboolean
apply_subset (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  winnow_step_set_list (recipe->missing_subset, value);
  recipe->drop_missing = TRUE;
  return TRUE;
}

static const WinnowStepOption options[] = {
  { "drop-missing", WINNOW_STEP_OPTION_VALUE,
    N_("Drop rows with any or all fields missing"), N_("any|all"), apply_drop_missing },
  { "subset", WINNOW_STEP_OPTION_VALUE,
    N_("Columns --drop-missing and --thresh look at (default: all)"), N_("A,B"), apply_subset },
  { "thresh", WINNOW_STEP_OPTION_VALUE,
    N_("Keep rows with at least N fields present"), N_("N"), apply_thresh },
  { NULL }
};

const WinnowStep winnow_step_drop_missing = {
  .id = WINNOW_STEP_DROP_MISSING,
  .key = "drop_missing",
  .count_key = "missing_dropped",
  .count_label = N_("Rows dropped for missing values"),
  .drops_rows = TRUE,
  .init = init,
  .clear = clear,
  .copy = copy,
  .equal = equal,
  .is_on = is_on,
  .read = from_json,
  .write = to_json,
  .validate = validate,
  .describe = describe,
  .count_words = count_words,
  .options = options,
};
