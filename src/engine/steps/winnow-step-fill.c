/* winnow-step-fill.c: fill, one rule per column: a value, a statistic of
 * the column (mean, median, mode) or the value above or below, as pandas'
 * fillna (docs/BEHAVIOUR.md). The cleaner fills as it writes
 * (winnow-cleaner.c), after a first pass for the statistics and bfill
 * (winnow-fill-stats.c). */
#include "config.h"

#include <string.h>

#include "winnow-recipe-private.h"

static void
rule_free (gpointer data)
{
  WinnowFillRule *rule = data;
  g_free (rule->column);
  g_free (rule->value);
  g_free (rule);
}

static void
init (WinnowRecipe *recipe)
{
  recipe->fill = g_ptr_array_new_with_free_func (rule_free);
}

static void
clear (WinnowRecipe *recipe)
{
  g_clear_pointer (&recipe->fill, g_ptr_array_unref);
}

static void
copy (WinnowRecipe *copy, const WinnowRecipe *recipe)
{
  init (copy);
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      winnow_recipe_add_fill (copy, rule->column, rule->strategy, rule->value, rule->limit);
    }
}

static gboolean
equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  if (a->fill->len != b->fill->len)
    return FALSE;
  for (guint i = 0; i < a->fill->len; i++)
    {
      const WinnowFillRule *x = g_ptr_array_index (a->fill, i);
      const WinnowFillRule *y = g_ptr_array_index (b->fill, i);
      if (g_strcmp0 (x->column, y->column) != 0 || x->strategy != y->strategy ||
          g_strcmp0 (x->value, y->value) != 0 || x->limit != y->limit)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_on (const WinnowRecipe *recipe)
{
  return recipe->fill->len > 0;
}

static gboolean
read_rule (JsonNode *node, guint index, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "column", "value", "strategy", "limit", NULL };
  g_autofree char *path = g_strdup_printf ("fill[%u]", index);
  g_autofree char *sub = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *column, *value = NULL, *s;
  WinnowFillStrategy strategy = WINNOW_FILL_VALUE;
  gint64 limit = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: a recipe key, then what it held, such as "a list" */
    return recipe_invalid (error, _("%s: expected an object, not %s"), path,
                           recipe_node_type_name (node));
  object = json_node_get_object (node);
  if (!recipe_check_keys (object, path, keys, error))
    return FALSE;

  sub = g_strdup_printf ("%s.column", path);
  if (!(member = json_object_get_member (object, "column")))
    /* Translators: %s is a recipe key, such as fill[0].column */
    return recipe_invalid (error, _("%s: missing (which column to fill?)"), sub);
  if (!recipe_get_string (member, sub, &column, error))
    return FALSE;

  if (json_object_has_member (object, "value") == json_object_has_member (object, "strategy"))
    /* Translators: %s is a recipe key, such as fill[0]; value and strategy are keys too */
    return recipe_invalid (error, _("%s: give either \"value\" or \"strategy\""), path);

  if ((member = json_object_get_member (object, "value")))
    {
      g_free (sub);
      sub = g_strdup_printf ("%s.value", path);
      if (!recipe_get_string (member, sub, &value, error))
        return FALSE;
    }
  else
    {
      member = json_object_get_member (object, "strategy");
      g_free (sub);
      sub = g_strdup_printf ("%s.strategy", path);
      if (!recipe_get_string (member, sub, &s, error))
        return FALSE;
      if (!winnow_fill_strategy_from_string (s, &strategy))
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: a recipe key, then what it held; mean, median, mode, ffill and
           * bfill are recipe values */
          return recipe_invalid (error, _("%s: expected mean, median, mode, ffill or bfill, not \"%s\""), sub, shown);
        }
    }

  if ((member = json_object_get_member (object, "limit")) && !JSON_NODE_HOLDS_NULL (member))
    {
      g_free (sub);
      sub = g_strdup_printf ("%s.limit", path);
      if (!recipe_get_int (member, sub, 1, &limit, error))
        return FALSE;
      if (strategy != WINNOW_FILL_FFILL && strategy != WINNOW_FILL_BFILL)
        /* Translators: %s is a recipe key, such as fill[0].limit */
        return recipe_invalid (error, _("%s: only ffill and bfill take a limit"), sub);
    }

  winnow_recipe_add_fill (recipe, column, strategy, value, limit);
  return TRUE;
}

static gboolean
from_json (WinnowRecipe *recipe, JsonNode *node, GError **error)
{
  JsonArray *array;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    /* Translators: fill is a recipe key; %s is what it held, such as "a string" */
    return recipe_invalid (error, _("fill: expected a list, not %s"), recipe_node_type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!read_rule (json_array_get_element (array, i), i, recipe, error))
      return FALSE;
  return TRUE;
}

static void
to_json (const WinnowRecipe *recipe, JsonBuilder *b)
{
  json_builder_set_member_name (b, "fill");
  json_builder_begin_array (b);
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "column");
      json_builder_add_string_value (b, rule->column);
      if (rule->strategy == WINNOW_FILL_VALUE)
        {
          json_builder_set_member_name (b, "value");
          json_builder_add_string_value (b, rule->value);
        }
      else
        {
          json_builder_set_member_name (b, "strategy");
          json_builder_add_string_value (b, winnow_fill_strategy_to_string (rule->strategy));
          if (rule->limit > 0)
            {
              json_builder_set_member_name (b, "limit");
              json_builder_add_int_value (b, rule->limit);
            }
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static gboolean
validate (const WinnowRecipe *recipe, GError **error)
{
  /* column -> index + 1 of the rule that fills it: a recipe may hold
   * tens of thousands of rules, so no pairwise comparison */
  g_autoptr(GHashTable) filled = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      guint earlier;

      if (rule->column == NULL || rule->column[0] == '\0')
        /* Translators: fill[%u].column is a recipe key; %u counts fill rules from 0 */
        return recipe_invalid (error, _("fill[%u].column: expected a column name"), i);
      if (rule->limit < 0)
        /* Translators: fill[%u].limit is a recipe key; %u counts fill rules from 0 */
        return recipe_invalid (error, _("fill[%u].limit: expected a number greater than 0"), i);
      if (rule->limit > 0 && rule->strategy != WINNOW_FILL_FFILL &&
          rule->strategy != WINNOW_FILL_BFILL)
        /* Translators: fill[%u].limit is a recipe key; ffill and bfill are strategies
         * as the recipe spells them */
        return recipe_invalid (error, _("fill[%u].limit: only ffill and bfill take a limit"), i);
      earlier = GPOINTER_TO_UINT (g_hash_table_lookup (filled, rule->column));
      if (earlier > 0)
        {
          g_autofree char *shown = winnow_user_text_excerpt (rule->column);
          /* Translators: fill[%u] is a recipe key (twice); %s is a column name */
          return recipe_invalid (error, _("fill[%u]: column \"%s\" is already filled by fill[%u]"),
                                 i, shown, earlier - 1);
        }
      g_hash_table_insert (filled, rule->column, GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

static const char *
strategy_words (WinnowFillStrategy strategy)
{
  switch (strategy)
    {
    case WINNOW_FILL_MEAN: return _("the mean");
    case WINNOW_FILL_MEDIAN: return _("the median");
    case WINNOW_FILL_MODE: return _("the most frequent value");
    case WINNOW_FILL_FFILL: return _("the value above");
    case WINNOW_FILL_BFILL: return _("the value below");
    case WINNOW_FILL_VALUE:
    default: return "";
    }
}

static void
describe (const WinnowRecipe *recipe, GPtrArray *lines)
{
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      if (rule->strategy == WINNOW_FILL_VALUE)
        /* Translators: a column name, then the text it is filled with */
        g_ptr_array_add (lines, g_strdup_printf (_("Fill missing %s with “%s”"), rule->column,
                                                 rule->value));
      else
        /* Translators: a column name, then "the mean" or another */
        g_ptr_array_add (lines, g_strdup_printf (_("Fill missing %s with %s"), rule->column,
                                                 strategy_words (rule->strategy)));
    }
}

static char *
count_words (guint64 n, const char *n_text)
{
  return g_strdup_printf (ngettext ("%s cell filled", "%s cells filled", (gulong) n), n_text);
}

/* A later rule for a column replaces the earlier one (of --recipe, or
 * given before). */
static void
put_rule (WinnowRecipe *recipe, const char *column, WinnowFillStrategy strategy,
          const char *value, gint64 limit)
{
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      if (g_str_equal (rule->column, column))
        {
          g_ptr_array_remove_index (recipe->fill, i);
          break;
        }
    }
  winnow_recipe_add_fill (recipe, column, strategy, value, limit);
}

static gboolean
apply_fill (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  const char *eq = strchr (value, '=');
  g_autofree char *column = NULL;
  g_autofree char *name = NULL;
  WinnowFillStrategy strategy;
  gint64 limit = 0;
  char *colon;

  if (eq == NULL || eq == value)
    return winnow_step_bad_option (error, "--fill", "COLUMN=STRATEGY", value);
  column = g_strndup (value, (gsize) (eq - value));
  name = g_strdup (eq + 1);
  if ((colon = strchr (name, ':')) != NULL)
    {
      *colon = '\0';
      if (!g_ascii_string_to_signed (colon + 1, 10, 1, G_MAXINT64, &limit, NULL))
        /* Translators: completes "--fill: expected %s, not “%s”" */
        return winnow_step_bad_option (error, "--fill", _("a limit of 1 or more after “:”"), eq + 1);
    }
  if (!winnow_fill_strategy_from_string (name, &strategy))
    /* Translators: the strategy names are values of --fill; keep them as they are */
    return winnow_step_bad_option (error, "--fill", _("COLUMN=mean, median, mode, ffill or bfill"),
                              value);
  if (limit > 0 && strategy != WINNOW_FILL_FFILL && strategy != WINNOW_FILL_BFILL)
    return winnow_step_bad_option (error, "--fill", _("a limit only with ffill or bfill"), value);
  put_rule (recipe, column, strategy, NULL, limit);
  return TRUE;
}

static gboolean
apply_fill_value (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  const char *eq = strchr (value, '=');
  g_autofree char *column = NULL;

  if (eq == NULL || eq == value)
    return winnow_step_bad_option (error, "--fill-value", "COLUMN=TEXT", value);
  column = g_strndup (value, (gsize) (eq - value));
  put_rule (recipe, column, WINNOW_FILL_VALUE, eq + 1, 0);
  return TRUE;
}

static const WinnowStepOption options[] = {
  { "fill", WINNOW_STEP_OPTION_VALUE,
    N_("Fill a column's missing fields: mean, median, mode, ffill or bfill "
       "(ffill:N and bfill:N fill at most N in a row); repeatable"), N_("COL=STRATEGY"),
    apply_fill },
  { "fill-value", WINNOW_STEP_OPTION_VALUE,
    N_("Fill a column's missing fields with TEXT; repeatable"), N_("COL=TEXT"),
    apply_fill_value },
  { NULL }
};

const WinnowStep winnow_step_fill = {
  .id = WINNOW_STEP_FILL,
  .key = "fill",
  .count_key = "cells_filled",
  .cells_key = "filled",
  .count_label = N_("Cells filled"),
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
