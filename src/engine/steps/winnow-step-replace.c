/* winnow-step-replace.c: replace, whole-field texts of a column replaced
 * by another text or by a missing value, as pandas' Series.replace with a
 * dict (docs/BEHAVIOUR.md): after trimming, before duplicates are
 * compared; a missing field is never matched; a column's rules apply at
 * once (no chains: "a"→"b" and "b"→"c" turn "a" into "b"). The reader
 * replaces as it parses (winnow-csv-parse-thread.c), with the lookup tables the
 * plan builds (winnow-plan.c). */
#include "config.h"

#include <string.h>

#include "winnow-recipe-private.h"

/* How many of a rule's texts the task page names before "and N more". */
#define DESCRIBE_MAX_TEXTS 3

static void
rule_free (gpointer data)
{
  WinnowReplaceRule *rule = data;
  g_free (rule->column);
  g_ptr_array_unref (rule->from);
  g_free (rule->to);
  g_free (rule);
}

/**
 * winnow_recipe_add_replace:
 * @from: (element-type utf8): the texts to replace, copied
 * @to: (nullable): what they become; %NULL makes them missing
 */
void
winnow_recipe_add_replace (WinnowRecipe *recipe,
                           const char *column,
                           GPtrArray *from,
                           const char *to)
{
  WinnowReplaceRule *rule = g_new0 (WinnowReplaceRule, 1);

  rule->column = g_strdup (column);
  rule->from = recipe_str_array_copy (from);
  rule->to = g_strdup (to);
  g_ptr_array_add (recipe->replace, rule);
}

static void
init (WinnowRecipe *recipe)
{
  recipe->replace = g_ptr_array_new_with_free_func (rule_free);
}

static void
clear (WinnowRecipe *recipe)
{
  g_clear_pointer (&recipe->replace, g_ptr_array_unref);
}

static void
copy (WinnowRecipe *copy, const WinnowRecipe *recipe)
{
  init (copy);
  for (guint i = 0; i < recipe->replace->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (recipe->replace, i);
      winnow_recipe_add_replace (copy, rule->column, rule->from, rule->to);
    }
}

static gboolean
equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  if (a->replace->len != b->replace->len)
    return FALSE;
  for (guint i = 0; i < a->replace->len; i++)
    {
      const WinnowReplaceRule *x = g_ptr_array_index (a->replace, i);
      const WinnowReplaceRule *y = g_ptr_array_index (b->replace, i);
      /* g_strcmp0 tells a missing TO (NULL) from an empty text */
      if (g_strcmp0 (x->column, y->column) != 0 || g_strcmp0 (x->to, y->to) != 0 ||
          !recipe_str_array_equal (x->from, y->from))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_on (const WinnowRecipe *recipe)
{
  return recipe->replace->len > 0;
}

static gboolean
read_rule (JsonNode *node, guint index, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "column", "from", "to", NULL };
  g_autofree char *path = g_strdup_printf ("replace[%u]", index);
  g_autofree char *sub = NULL;
  g_autoptr(GPtrArray) from = recipe_str_array_new ();
  JsonObject *object;
  JsonNode *member;
  const char *column, *to = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: a recipe key, then what it held, such as "a list" */
    return recipe_invalid (error, _("%s: expected an object, not %s"), path,
                           recipe_node_type_name (node));
  object = json_node_get_object (node);
  if (!recipe_check_keys (object, path, keys, error))
    return FALSE;

  sub = g_strdup_printf ("%s.column", path);
  if (!(member = json_object_get_member (object, "column")))
    /* Translators: %s is a recipe key, such as replace[0].column */
    return recipe_invalid (error, _("%s: missing (in which column?)"), sub);
  if (!recipe_get_string (member, sub, &column, error))
    return FALSE;

  g_free (sub);
  sub = g_strdup_printf ("%s.from", path);
  if (!(member = json_object_get_member (object, "from")))
    /* Translators: %s is a recipe key, such as replace[0].from */
    return recipe_invalid (error, _("%s: missing (which texts to replace?)"), sub);
  if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
    {
      const char *one;
      if (!recipe_get_string (member, sub, &one, error))
        return FALSE;
      g_ptr_array_add (from, g_strdup (one));  /* "from": "x", as pandas takes a scalar */
    }
  else if (!recipe_get_string_list (member, sub, from, error))
    return FALSE;

  g_free (sub);
  sub = g_strdup_printf ("%s.to", path);
  if (!(member = json_object_get_member (object, "to")))
    /* Translators: %s is a recipe key, such as replace[0].to; null is JSON */
    return recipe_invalid (error, _("%s: missing (a text, or null for a missing value)"), sub);
  if (!JSON_NODE_HOLDS_NULL (member) && !recipe_get_string (member, sub, &to, error))
    return FALSE;

  winnow_recipe_add_replace (recipe, column, from, to);
  return TRUE;
}

static gboolean
from_json (WinnowRecipe *recipe, JsonNode *node, GError **error)
{
  JsonArray *array;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    /* Translators: replace is a recipe key; %s is what it held, such as "a string" */
    return recipe_invalid (error, _("replace: expected a list, not %s"),
                           recipe_node_type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!read_rule (json_array_get_element (array, i), i, recipe, error))
      return FALSE;
  return TRUE;
}

static void
to_json (const WinnowRecipe *recipe, JsonBuilder *b)
{
  json_builder_set_member_name (b, "replace");
  json_builder_begin_array (b);
  for (guint i = 0; i < recipe->replace->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (recipe->replace, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "column");
      json_builder_add_string_value (b, rule->column);
      recipe_add_string_list (b, "from", rule->from);
      json_builder_set_member_name (b, "to");
      if (rule->to != NULL)
        json_builder_add_string_value (b, rule->to);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* What can never match is refused rather than silently kept: an NA token
 * (the field is missing by then), a text with spaces around it when
 * fields are trimmed, the same text twice in a column. */
static gboolean
validate (const WinnowRecipe *recipe, GError **error)
{
  /* column \x1f text -> index + 1 of the rule that replaces it */
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) na = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < recipe->na_values->len; i++)
    g_hash_table_add (na, g_ptr_array_index (recipe->na_values, i));

  for (guint i = 0; i < recipe->replace->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (recipe->replace, i);

      if (rule->column == NULL || rule->column[0] == '\0')
        /* Translators: replace[%u].column is a recipe key; %u counts rules from 0 */
        return recipe_invalid (error, _("replace[%u].column: expected a column name"), i);
      if (rule->from->len == 0)
        /* Translators: replace[%u].from is a recipe key; %u counts rules from 0 */
        return recipe_invalid (error, _("replace[%u].from: expected at least one text"), i);
      for (guint j = 0; j < rule->from->len; j++)
        {
          const char *text = g_ptr_array_index (rule->from, j);
          gsize length = strlen (text);
          g_autofree char *shown = winnow_user_text_excerpt (text);
          char *key;
          guint earlier;

          if (g_hash_table_contains (na, text))
            /* Translators: replace[%u].from[%u] and input.na_values are recipe keys;
             * %s is a text of the file */
            return recipe_invalid (error, _("replace[%u].from[%u]: “%s” is a missing-value token "
                                            "(input.na_values), and a missing field is never "
                                            "replaced; fill it instead"), i, j, shown);
          if (recipe->trim_whitespace && length > 0 &&
              (is_space (text[0]) || is_space (text[length - 1])))
            /* Translators: replace[%u].from[%u] and trim_whitespace are recipe keys;
             * %s is a text of the file */
            return recipe_invalid (error, _("replace[%u].from[%u]: “%s” has spaces around it, "
                                            "and trim_whitespace removes them before fields "
                                            "are replaced"), i, j, shown);
          key = g_strdup_printf ("%s\x1f%s", rule->column, text);
          earlier = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
          if (earlier > 0)
            {
              g_autofree char *column = winnow_user_text_excerpt (rule->column);
              g_free (key);
              /* Translators: replace[%u].from[%u] and replace[%u] are recipe keys; a text,
               * then a column name */
              return recipe_invalid (error, _("replace[%u].from[%u]: “%s” in column “%s” is "
                                              "already replaced by replace[%u]"),
                                     i, j, shown, column, earlier - 1);
            }
          g_hash_table_insert (seen, key, GUINT_TO_POINTER (i + 1));
        }
    }
  return TRUE;
}

static void
describe (const WinnowRecipe *recipe, GPtrArray *lines)
{
  for (guint i = 0; i < recipe->replace->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (recipe->replace, i);
      g_autoptr(GString) texts = g_string_new (NULL);
      guint shown = MIN (rule->from->len, DESCRIBE_MAX_TEXTS);

      for (guint j = 0; j < shown; j++)
        {
          if (j > 0)
            g_string_append (texts, j + 1 == rule->from->len ? _(" and ") : ", ");
          g_string_append_printf (texts, "“%s”", (char *) g_ptr_array_index (rule->from, j));
        }
      if (rule->from->len > shown)
        /* Translators: follows a list of texts, as in "“a”, “b”, “c” and 4 more" */
        g_string_append_printf (texts, ngettext (" and %u more", " and %u more",
                                                 rule->from->len - shown),
                                rule->from->len - shown);
      if (rule->to != NULL)
        /* Translators: texts, the text they become, then a column name */
        g_ptr_array_add (lines, g_strdup_printf (_("Replace %s with “%s” in %s"), texts->str,
                                                 rule->to, rule->column));
      else
        /* Translators: texts, then a column name */
        g_ptr_array_add (lines, g_strdup_printf (_("Make %s missing in %s"), texts->str,
                                                 rule->column));
    }
}

static char *
count_words (guint64 n, const char *n_text)
{
  return g_strdup_printf (ngettext ("%s cell replaced", "%s cells replaced", (gulong) n), n_text);
}

/* Splits @text at the first unescaped @stop (or at the end), undoing the
 * escapes \\ \| \: \= on the way; *@rest is what follows @stop, or NULL. */
static char *
take_until (const char *text, char stop, const char **rest)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  *rest = NULL;
  for (; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0' && strchr ("\\|:=", p[1]) != NULL)
        {
          g_string_append_c (out, *++p);
          continue;
        }
      if (*p == stop)
        {
          *rest = p + 1;
          break;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* --replace COLUMN=FROM|FROM:TO. \| \: \= and \\ stand for those
 * characters; an empty TO makes the fields missing, and TO written \e is
 * the empty text. */
static gboolean
apply_replace (WinnowRecipe *recipe, GHashTable *given, const char *value, GError **error)
{
  /* Translators: the form --replace takes; keep it as it is */
  const char *form = _("COLUMN=FROM|FROM:TO (TO empty for a missing value)");
  g_autofree char *column = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GPtrArray) from = recipe_str_array_new ();
  const char *rest, *p;

  column = take_until (value, '=', &rest);
  if (rest == NULL || column[0] == '\0')
    return winnow_step_bad_option (error, "--replace", form, value);
  p = rest;
  for (;;)
    {
      /* a FROM ends at the first unescaped | or : */
      GString *text = g_string_new (NULL);
      for (; *p && *p != '|' && *p != ':'; p++)
        {
          if (*p == '\\' && p[1] != '\0' && strchr ("\\|:=", p[1]) != NULL)
            p++;
          g_string_append_c (text, *p);
        }
      g_ptr_array_add (from, g_string_free (text, FALSE));
      if (*p != '|')
        break;
      p++;
    }
  if (*p != ':')
    return winnow_step_bad_option (error, "--replace", form, value);
  p++;
  if (g_str_equal (p, "\\e"))
    to = g_strdup ("");
  else if (*p != '\0')
    to = take_until (p, '\0', &rest);
  winnow_recipe_add_replace (recipe, column, from, to);
  return TRUE;
}

static const WinnowStepOption options[] = {
  { "replace", WINNOW_STEP_OPTION_VALUE,
    N_("Replace whole fields of a column: FROM texts become TO, or missing when TO is empty "
       "(\\| \\: \\= \\\\ for those characters, \\e for an empty TO); repeatable"),
    N_("COL=FROM|FROM:TO"), apply_replace },
  { NULL }
};

const WinnowStep winnow_step_replace = {
  .id = WINNOW_STEP_REPLACE,
  .key = "replace",
  .count_key = "cells_replaced",
  .cells_key = "replaced",
  .count_label = N_("Cells replaced"),
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
