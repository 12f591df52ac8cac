/* winnow-step-drop-duplicates.c: drop_duplicates, rows whose fields (or
 * the subset's) repeat an earlier row, as pandas' drop_duplicates
 * (docs/BEHAVIOUR.md). The cleaner compares rows by digest
 * (winnow-digest-set.c). */
#include "config.h"

#include <string.h>

#include "winnow-recipe-private.h"

static void
init (WinnowRecipe *recipe)
{
  recipe->duplicates_subset = recipe_str_array_new ();
  recipe->keep = WINNOW_KEEP_FIRST;
}

static void
clear (WinnowRecipe *recipe)
{
  g_clear_pointer (&recipe->duplicates_subset, g_ptr_array_unref);
}

static void
copy (WinnowRecipe *copy, const WinnowRecipe *recipe)
{
  copy->duplicates_subset = recipe_str_array_copy (recipe->duplicates_subset);
}

/* Settings of a step that is off do not count. */
static gboolean
equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  if (a->drop_duplicates != b->drop_duplicates)
    return FALSE;
  return !a->drop_duplicates ||
         (a->keep == b->keep && recipe_str_array_equal (a->duplicates_subset, b->duplicates_subset));
}

static gboolean
is_on (const WinnowRecipe *recipe)
{
  return recipe->drop_duplicates;
}

static gboolean
from_json (WinnowRecipe *recipe, JsonNode *node, GError **error)
{
  static const char * const keys[] = { "subset", "keep", NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (!recipe_read_step (node, "drop_duplicates", &recipe->drop_duplicates, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!recipe_check_keys (object, "drop_duplicates", keys, error))
    return FALSE;
  if ((member = json_object_get_member (object, "subset")) &&
      !recipe_get_string_list (member, "drop_duplicates.subset", recipe->duplicates_subset, error))
    return FALSE;
  if ((member = json_object_get_member (object, "keep")))
    {
      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_BOOLEAN &&
          !json_node_get_boolean (member))
        recipe->keep = WINNOW_KEEP_NONE;  /* pandas spells "none" keep=False */
      else if (!recipe_get_string (member, "drop_duplicates.keep", &s, error))
        return FALSE;
      else if (!winnow_keep_from_string (s, &recipe->keep))
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: drop_duplicates.keep and the words in quotes are recipe syntax */
          return recipe_invalid (error, _("drop_duplicates.keep: expected \"first\", \"last\" or \"none\", not \"%s\""), shown);
        }
    }
  return TRUE;
}

static void
to_json (const WinnowRecipe *recipe, JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "drop_duplicates");
  if (!recipe->drop_duplicates)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  recipe_add_string_list (builder, "subset", recipe->duplicates_subset);
  json_builder_set_member_name (builder, "keep");
  json_builder_add_string_value (builder, winnow_keep_to_string (recipe->keep));
  json_builder_end_object (builder);
}

static void
describe (const WinnowRecipe *recipe, GPtrArray *lines)
{
  const char *keep = recipe->keep == WINNOW_KEEP_FIRST ? _("keeping the first")
                   : recipe->keep == WINNOW_KEEP_LAST ? _("keeping the last")
                   : _("keeping none of them");

  if (recipe->duplicates_subset->len > 0)
    {
      g_autofree char *names = recipe_join_names (recipe->duplicates_subset);
      /* Translators: a list of columns, then "keeping the first" or another */
      g_ptr_array_add (lines, g_strdup_printf (_("Drop rows that repeat %s, %s"), names, keep));
    }
  else
    /* Translators: %s is "keeping the first" or another */
    g_ptr_array_add (lines, g_strdup_printf (_("Drop duplicate rows, %s"), keep));
}

static char *
count_words (guint64 n, const char *n_text)
{
  return g_strdup_printf (ngettext ("%s duplicate", "%s duplicates", (gulong) n), n_text);
}

/* --drop-duplicates compares every column; --drop-duplicates=A,B those. */
static gboolean
apply_drop_duplicates (WinnowRecipe *recipe, GHashTable *given, const char *value,
                       GError **error)
{
  recipe->drop_duplicates = TRUE;
  /* an empty value is no subset, not one column named "" */
  winnow_step_set_list (recipe->duplicates_subset, value != NULL && value[0] != '\0' ? value : NULL);
  return TRUE;
}

static gboolean
apply_keep (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  if (!winnow_keep_from_string (value, &recipe->keep))
    /* Translators: first, last and none are values of --keep; keep them as they are */
    return winnow_step_bad_option (error, "--keep", _("first, last or none"), value);
  recipe->drop_duplicates = TRUE;
  return TRUE;
}

static const WinnowStepOption options[] = {
  { "drop-duplicates", WINNOW_STEP_OPTION_OPTIONAL,
    N_("Drop duplicate rows, comparing these columns (default: all)"), N_("A,B"),
    apply_drop_duplicates },
  { "keep", WINNOW_STEP_OPTION_VALUE,
    N_("Which duplicate to keep: first, last or none"), N_("WHICH"), apply_keep },
  { NULL }
};

const WinnowStep winnow_step_drop_duplicates = {
  .id = WINNOW_STEP_DROP_DUPLICATES,
  .key = "drop_duplicates",
  .count_key = "duplicates_removed",
  .count_label = N_("Duplicate rows removed"),
  .drops_rows = TRUE,
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
