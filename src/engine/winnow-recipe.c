/* winnow-recipe.c: the recipe value and its strict JSON form. */
#include "config.h"

#include "winnow-recipe.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "winnow-json.h"
#include "winnow-output-file.h"
#include "winnow-user-text.h"

G_DEFINE_QUARK (winnow-recipe-error-quark, winnow_recipe_error)
G_DEFINE_BOXED_TYPE (WinnowRecipe, winnow_recipe, winnow_recipe_copy, winnow_recipe_free)

/* pandas' default NA tokens (pandas._libs.parsers.STR_NA_VALUES). */
static const char * const default_na_values[] = {
  "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
  "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a",
  "nan", "null", NULL
};

const char * const *
winnow_default_na_values (void)
{
  return default_na_values;
}

static GPtrArray *
str_array_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static GPtrArray *
str_array_copy (GPtrArray *array)
{
  GPtrArray *copy = str_array_new ();
  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));
  return copy;
}

static gboolean
str_array_equal (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

static void
fill_rule_free (gpointer data)
{
  WinnowFillRule *rule = data;
  g_free (rule->column);
  g_free (rule->value);
  g_free (rule);
}

/**
 * winnow_recipe_new:
 *
 * Returns: (transfer full): a recipe with every step off and pandas' input
 * defaults: delimiter sniffed, `"` quotes, encoding auto, a header row,
 * pandas' NA tokens, malformed long rows an error, `,` and LF on output.
 */
WinnowRecipe *
winnow_recipe_new (void)
{
  WinnowRecipe *recipe = g_new0 (WinnowRecipe, 1);

  recipe->delimiter = 0;
  recipe->quote = '"';
  recipe->encoding = g_strdup ("auto");
  recipe->header = TRUE;
  recipe->na_values = str_array_new ();
  for (guint i = 0; default_na_values[i]; i++)
    g_ptr_array_add (recipe->na_values, g_strdup (default_na_values[i]));
  recipe->bad_lines = WINNOW_BAD_LINES_ERROR;
  recipe->drop_columns = str_array_new ();
  recipe->duplicates_subset = str_array_new ();
  recipe->keep = WINNOW_KEEP_FIRST;
  recipe->how = WINNOW_HOW_ANY;
  recipe->thresh = -1;
  recipe->missing_subset = str_array_new ();
  recipe->fill = g_ptr_array_new_with_free_func (fill_rule_free);
  recipe->out_delimiter = ',';
  recipe->crlf = FALSE;
  recipe->formula_guard = FALSE;
  return recipe;
}

/**
 * winnow_recipe_new_default:
 *
 * Returns: (transfer full): the recipe a new task starts from: drop
 * duplicate rows, and drop rows where every field is missing.
 */
WinnowRecipe *
winnow_recipe_new_default (void)
{
  WinnowRecipe *recipe = winnow_recipe_new ();
  recipe->drop_duplicates = TRUE;
  recipe->drop_missing = TRUE;
  recipe->how = WINNOW_HOW_ALL;
  return recipe;
}

/**
 * winnow_recipe_copy:
 * Returns: (transfer full): a deep copy of @recipe.
 */
WinnowRecipe *
winnow_recipe_copy (const WinnowRecipe *recipe)
{
  WinnowRecipe *copy;

  g_return_val_if_fail (recipe != NULL, NULL);

  copy = g_memdup2 (recipe, sizeof *recipe);
  copy->encoding = g_strdup (recipe->encoding);
  copy->na_values = str_array_copy (recipe->na_values);
  copy->drop_columns = str_array_copy (recipe->drop_columns);
  copy->duplicates_subset = str_array_copy (recipe->duplicates_subset);
  copy->missing_subset = str_array_copy (recipe->missing_subset);
  copy->fill = g_ptr_array_new_with_free_func (fill_rule_free);
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      winnow_recipe_add_fill (copy, rule->column, rule->strategy, rule->value, rule->limit);
    }
  return copy;
}

void
winnow_recipe_free (WinnowRecipe *recipe)
{
  if (recipe == NULL)
    return;
  g_free (recipe->encoding);
  g_ptr_array_unref (recipe->na_values);
  g_ptr_array_unref (recipe->drop_columns);
  g_ptr_array_unref (recipe->duplicates_subset);
  g_ptr_array_unref (recipe->missing_subset);
  g_ptr_array_unref (recipe->fill);
  g_free (recipe);
}

/* Two recipes are equal when they clean every file the same way; settings
 * of a step that is off do not count. */
gboolean
winnow_recipe_equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  if (a->delimiter != b->delimiter || a->quote != b->quote ||
      g_strcmp0 (a->encoding, b->encoding) != 0 || a->header != b->header ||
      !str_array_equal (a->na_values, b->na_values) || a->bad_lines != b->bad_lines ||
      !str_array_equal (a->drop_columns, b->drop_columns) ||
      a->trim_whitespace != b->trim_whitespace ||
      a->drop_duplicates != b->drop_duplicates || a->drop_missing != b->drop_missing ||
      a->out_delimiter != b->out_delimiter || a->crlf != b->crlf ||
      a->formula_guard != b->formula_guard || a->rejects != b->rejects ||
      a->fill->len != b->fill->len)
    return FALSE;

  if (a->drop_duplicates &&
      (a->keep != b->keep || !str_array_equal (a->duplicates_subset, b->duplicates_subset)))
    return FALSE;

  if (a->drop_missing &&
      (a->thresh != b->thresh || (a->thresh < 0 && a->how != b->how) ||
       !str_array_equal (a->missing_subset, b->missing_subset)))
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

void
winnow_recipe_add_fill (WinnowRecipe *recipe,
                        const char *column,
                        WinnowFillStrategy strategy,
                        const char *value,
                        gint64 limit)
{
  WinnowFillRule *rule = g_new0 (WinnowFillRule, 1);
  rule->column = g_strdup (column);
  rule->strategy = strategy;
  rule->value = strategy == WINNOW_FILL_VALUE ? g_strdup (value ? value : "") : NULL;
  rule->limit = limit;
  g_ptr_array_add (recipe->fill, rule);
}

/* TRUE when a fill needs statistics over the whole file before the first
 * row can be written. */
gboolean
winnow_recipe_needs_statistics (const WinnowRecipe *recipe)
{
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      if (rule->strategy == WINNOW_FILL_MEAN || rule->strategy == WINNOW_FILL_MEDIAN ||
          rule->strategy == WINNOW_FILL_MODE || rule->strategy == WINNOW_FILL_BFILL)
        return TRUE;
    }
  return FALSE;
}

/* ---- enum names ---- */

static const char * const fill_names[] = { "value", "mean", "median", "mode", "ffill", "bfill" };
static const char * const keep_names[] = { "first", "last", "none" };
static const char * const bad_lines_names[] = { "error", "skip", "warn" };

static gboolean
lookup_name (const char * const *names, guint n, const char *text, int *out)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], text) == 0)
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}

const char *
winnow_fill_strategy_to_string (WinnowFillStrategy strategy)
{
  return fill_names[strategy];
}

gboolean
winnow_fill_strategy_from_string (const char *text, WinnowFillStrategy *strategy)
{
  int v;
  /* "value" is not a strategy name in the JSON form: it is its own key. */
  if (!lookup_name (fill_names + 1, G_N_ELEMENTS (fill_names) - 1, text, &v))
    return FALSE;
  *strategy = (WinnowFillStrategy) (v + 1);
  return TRUE;
}

const char *
winnow_keep_to_string (WinnowKeep keep)
{
  return keep_names[keep];
}

gboolean
winnow_keep_from_string (const char *text, WinnowKeep *keep)
{
  int v;
  if (!lookup_name (keep_names, G_N_ELEMENTS (keep_names), text, &v))
    return FALSE;
  *keep = (WinnowKeep) v;
  return TRUE;
}

const char *
winnow_bad_lines_to_string (WinnowBadLines policy)
{
  return bad_lines_names[policy];
}

gboolean
winnow_bad_lines_from_string (const char *text, WinnowBadLines *policy)
{
  int v;
  if (!lookup_name (bad_lines_names, G_N_ELEMENTS (bad_lines_names), text, &v))
    return FALSE;
  *policy = (WinnowBadLines) v;
  return TRUE;
}

/**
 * winnow_delimiter_to_string:
 * Returns: (transfer full): "auto" for 0, "tab" for a tab, else the
 *   character in UTF-8.
 */
char *
winnow_delimiter_to_string (gunichar delimiter)
{
  char text[8] = { 0 };

  if (delimiter == 0)
    return g_strdup ("auto");
  if (delimiter == '\t')
    return g_strdup ("tab");
  g_unichar_to_utf8 (delimiter, text);
  return g_strdup (text);
}

/* Accepts one Unicode character (pandas takes any single character as
 * sep), a real tab, or the words "tab" and (when @allow_auto) "auto". A
 * line end cannot separate fields. Whether the character may be used
 * with the quote character is winnow_recipe_validate()'s to say. */
gboolean
winnow_delimiter_from_string (const char *text, gboolean allow_auto, gunichar *delimiter)
{
  gunichar c;

  if (text == NULL)
    return FALSE;
  if (allow_auto && strcmp (text, "auto") == 0)
    {
      *delimiter = 0;
      return TRUE;
    }
  if (strcmp (text, "tab") == 0 || strcmp (text, "\\t") == 0)
    {
      *delimiter = '\t';
      return TRUE;
    }
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) != 1)
    return FALSE;
  c = g_utf8_get_char (text);
  if (c == '\n' || c == '\r')
    return FALSE;
  *delimiter = c;
  return TRUE;
}

/* ---- validation ----
 *
 * The messages name the offending key as the recipe spells it
 * ("fill[2].limit"); the keys and the values in quotes are recipe syntax,
 * so the translator comments ask for them to stay as they are. */

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_INVALID, message);
  return FALSE;
}

/**
 * winnow_recipe_validate:
 *
 * Checks what can be checked without a file: enum ranges, delimiters,
 * the encoding name, thresh/how, fill rules. Column names are checked
 * against the header when the task runs.
 */
gboolean
winnow_recipe_validate (const WinnowRecipe *recipe, GError **error)
{
  g_autoptr(GHashTable) filled = NULL;

  g_return_val_if_fail (recipe != NULL, FALSE);

  if (recipe->quote == 0 || (guchar) recipe->quote >= 0x80 || recipe->quote == '\n' ||
      recipe->quote == '\r')
    /* Translators: input.quote is a recipe key; keep it as it is */
    return invalid (error, _("input.quote: expected a single ASCII character"));
  if (recipe->delimiter != 0 && recipe->delimiter == (guchar) recipe->quote)
    /* Translators: input.delimiter is a recipe key; keep it as it is */
    return invalid (error, _("input.delimiter: the delimiter and the quote character must differ"));
  if (recipe->out_delimiter == 0)
    /* Translators: output.delimiter and "auto" are recipe syntax; keep them as they are */
    return invalid (error, _("output.delimiter: expected a single character, not \"auto\""));
  /* The output quotes fields with ", always: a field holding the
   * delimiter would be quoted with the delimiter itself. */
  if (recipe->out_delimiter == '"')
    /* Translators: %s is output.delimiter (a recipe key) or
     * --output-delimiter (an option) */
    return invalid (error, _("%s: \" cannot be the delimiter, because fields that hold a "
                             "delimiter, a quote or a line end are quoted with \""),
                    "output.delimiter");

  if (g_ascii_strcasecmp (recipe->encoding, "auto") != 0)
    {
      GIConv conv = g_iconv_open ("UTF-8", recipe->encoding);
      if (conv == (GIConv) -1)
        {
          g_autofree char *shown = winnow_user_text_excerpt (recipe->encoding);
          /* Translators: input.encoding is a recipe key; %s is the name of an encoding */
          return invalid (error, _("input.encoding: \"%s\" is not an encoding this system knows"),
                          shown);
        }
      g_iconv_close (conv);
    }

  if (recipe->drop_missing && recipe->thresh < -1)
    /* Translators: drop_missing.thresh is a recipe key; keep it as it is */
    return invalid (error, _("drop_missing.thresh: expected a number of fields, 0 or more"));

  /* column -> index + 1 of the rule that fills it: a recipe may hold
   * tens of thousands of rules, so no pairwise comparison */
  filled = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      guint earlier;

      if (rule->column == NULL || rule->column[0] == '\0')
        /* Translators: fill[%u].column is a recipe key; %u counts fill rules from 0 */
        return invalid (error, _("fill[%u].column: expected a column name"), i);
      if (rule->limit < 0)
        /* Translators: fill[%u].limit is a recipe key; %u counts fill rules from 0 */
        return invalid (error, _("fill[%u].limit: expected a number greater than 0"), i);
      if (rule->limit > 0 && rule->strategy != WINNOW_FILL_FFILL &&
          rule->strategy != WINNOW_FILL_BFILL)
        /* Translators: fill[%u].limit is a recipe key; ffill and bfill are strategies
         * as the recipe spells them */
        return invalid (error, _("fill[%u].limit: only ffill and bfill take a limit"), i);
      earlier = GPOINTER_TO_UINT (g_hash_table_lookup (filled, rule->column));
      if (earlier > 0)
        {
          g_autofree char *shown = winnow_user_text_excerpt (rule->column);
          /* Translators: fill[%u] is a recipe key (twice); %s is a column name */
          return invalid (error, _("fill[%u]: column \"%s\" is already filled by fill[%u]"),
                          i, shown, earlier - 1);
        }
      g_hash_table_insert (filled, rule->column, GUINT_TO_POINTER (i + 1));
    }

  /* A task stores the recipe as winnow_recipe_to_json() writes it, which
   * can be larger than what was read (every key, indented): the limit
   * holds for that form, so every valid recipe can be read back. */
  {
    g_autofree char *json = winnow_recipe_to_json (recipe);
    gsize length = strlen (json);

    if (length > WINNOW_RECIPE_MAX_BYTES)
      {
        g_autofree char *size = g_format_size (length);
        /* Translators: %s is a size, such as "3.2 MB" */
        return invalid (error, _("the recipe would be %s once written out; a recipe is at "
                                 "most 1 MiB"), size);
      }
  }
  return TRUE;
}

/* ---- JSON reading ---- */

static gboolean
check_keys (JsonObject *object, const char *path, const char * const *allowed, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      if (!g_strv_contains (allowed, key))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);
          g_autofree char *shown = winnow_user_text_excerpt (key);
          g_autofree char *full = g_strconcat (path, *path ? "." : "", shown, NULL);
          /* Translators: a key of the recipe, then the keys allowed there */
          return invalid (error, _("%s: unknown key (expected one of: %s)"), full, list);
        }
    }
  return TRUE;
}

/* The last %s of "expected a string, not %s". null and true/false stay
 * untranslated: they are what the recipe says, in JSON. */
static const char *
node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    /* Translators: what a recipe key held instead, as in "input.header: expected
     * true or false, not a string" */
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY: return _("a list");
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return _("a string");
    case G_TYPE_BOOLEAN: return "true/false";
    case G_TYPE_INT64: return _("a whole number");
    case G_TYPE_DOUBLE: return _("a number");
    default: return _("a value");
    }
}

static gboolean
get_string (JsonNode *node, const char *path, const char **out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    /* Translators: a recipe key, then what it held, such as "a list" */
    return invalid (error, _("%s: expected a string, not %s"), path, node_type_name (node));
  *out = json_node_get_string (node);
  /* json-glib turns some invalid escapes ("\3") into bytes that are not
   * UTF-8; such a string could not be written back as JSON */
  if (!g_utf8_validate (*out, -1, NULL))
    /* Translators: %s is a recipe key, e.g. fill[0].value */
    return invalid (error, _("%s: the text is not valid UTF-8 (an invalid \\ escape?)"), path);
  return TRUE;
}

static gboolean
get_bool (JsonNode *node, const char *path, gboolean *out, GError **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    /* Translators: a recipe key, then what it held; true and false are JSON */
    return invalid (error, _("%s: expected true or false, not %s"), path, node_type_name (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_int (JsonNode *node, const char *path, gint64 min, gint64 *out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    /* Translators: a recipe key, then what it held, such as "a string" */
    return invalid (error, _("%s: expected a whole number, not %s"), path, node_type_name (node));
  *out = json_node_get_int (node);
  if (*out < min)
    /* Translators: a recipe key, then the smallest number it takes */
    return invalid (error, _("%s: expected a number of at least %lld"), path, (long long) min);
  return TRUE;
}

static gboolean
get_string_list (JsonNode *node, const char *path, GPtrArray *out, GError **error)
{
  JsonArray *array;

  g_ptr_array_set_size (out, 0);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    /* Translators: a recipe key, then what it held, such as "a string" */
    return invalid (error, _("%s: expected a list of strings, not %s"), path,
                    node_type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      const char *s;
      if (!get_string (json_array_get_element (array, i), item_path, &s, error))
        return FALSE;
      g_ptr_array_add (out, g_strdup (s));
    }
  return TRUE;
}

static gboolean
read_delimiter (JsonNode *node, const char *path, gboolean allow_auto, gunichar *out,
                GError **error)
{
  const char *s;
  g_autofree char *shown = NULL;

  if (!get_string (node, path, &s, error))
    return FALSE;
  if (!winnow_delimiter_from_string (s, allow_auto, out) &&
      (shown = winnow_user_text_excerpt (s)) != NULL)
    return invalid (error, allow_auto
                             /* Translators: a recipe key, then what it held; "auto"
                              * and "tab" are recipe values and stay as they are */
                             ? _("%s: expected \"auto\", a single character other than a line "
                                 "end, or \"tab\", not \"%s\"")
                             : _("%s: expected a single character other than a line end, or "
                                 "\"tab\", not \"%s\""),
                    path, shown);
  return TRUE;
}

static gboolean
read_input (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "delimiter", "quote", "encoding", "header",
                                       "na_values", "bad_lines", NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: input is a recipe key; %s is what it held, such as "a list" */
    return invalid (error, _("input: expected an object, not %s"), node_type_name (node));
  object = json_node_get_object (node);
  if (!check_keys (object, "input", keys, error))
    return FALSE;

  if ((member = json_object_get_member (object, "delimiter")) &&
      !read_delimiter (member, "input.delimiter", TRUE, &recipe->delimiter, error))
    return FALSE;
  if ((member = json_object_get_member (object, "quote")))
    {
      if (!get_string (member, "input.quote", &s, error))
        return FALSE;
      if (strlen (s) != 1 || (guchar) s[0] >= 0x80 || s[0] == '\n' || s[0] == '\r')
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: input.quote is a recipe key; %s is what it held */
          return invalid (error, _("input.quote: expected a single ASCII character, not \"%s\""), shown);
        }
      recipe->quote = s[0];
    }
  if ((member = json_object_get_member (object, "encoding")))
    {
      if (!get_string (member, "input.encoding", &s, error))
        return FALSE;
      g_free (recipe->encoding);
      recipe->encoding = g_strdup (s);
    }
  if ((member = json_object_get_member (object, "header")) &&
      !get_bool (member, "input.header", &recipe->header, error))
    return FALSE;
  if ((member = json_object_get_member (object, "na_values")) &&
      !get_string_list (member, "input.na_values", recipe->na_values, error))
    return FALSE;
  if ((member = json_object_get_member (object, "bad_lines")))
    {
      if (!get_string (member, "input.bad_lines", &s, error))
        return FALSE;
      if (!winnow_bad_lines_from_string (s, &recipe->bad_lines))
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: input.bad_lines and the words in quotes are recipe syntax */
          return invalid (error, _("input.bad_lines: expected \"error\", \"skip\" or \"warn\", not \"%s\""), shown);
        }
    }
  return TRUE;
}

/* A step is an object, null or absent (off), or true/false as a shorthand
 * for its defaults / off. Returns the object, or NULL with *on set. */
static gboolean
read_step (JsonNode *node, const char *path, gboolean *on, JsonObject **object, GError **error)
{
  *object = NULL;
  *on = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *on = json_node_get_boolean (node);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: a recipe key, then what it held; null is JSON */
    return invalid (error, _("%s: expected an object or null, not %s"), path, node_type_name (node));
  *on = TRUE;
  *object = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_drop_duplicates (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "subset", "keep", NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (!read_step (node, "drop_duplicates", &recipe->drop_duplicates, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!check_keys (object, "drop_duplicates", keys, error))
    return FALSE;
  if ((member = json_object_get_member (object, "subset")) &&
      !get_string_list (member, "drop_duplicates.subset", recipe->duplicates_subset, error))
    return FALSE;
  if ((member = json_object_get_member (object, "keep")))
    {
      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_BOOLEAN &&
          !json_node_get_boolean (member))
        recipe->keep = WINNOW_KEEP_NONE;  /* pandas spells "none" keep=False */
      else if (!get_string (member, "drop_duplicates.keep", &s, error))
        return FALSE;
      else if (!winnow_keep_from_string (s, &recipe->keep))
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: drop_duplicates.keep and the words in quotes are recipe syntax */
          return invalid (error, _("drop_duplicates.keep: expected \"first\", \"last\" or \"none\", not \"%s\""), shown);
        }
    }
  return TRUE;
}

static gboolean
read_drop_missing (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "how", "thresh", "subset", NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (!read_step (node, "drop_missing", &recipe->drop_missing, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if (!check_keys (object, "drop_missing", keys, error))
    return FALSE;
  if (json_object_has_member (object, "how") && json_object_has_member (object, "thresh"))
    /* Translators: drop_missing, how and thresh are recipe keys */
    return invalid (error, _("drop_missing: give either \"how\" or \"thresh\", not both (as in pandas)"));
  if ((member = json_object_get_member (object, "how")))
    {
      if (!get_string (member, "drop_missing.how", &s, error))
        return FALSE;
      if (strcmp (s, "any") == 0)
        recipe->how = WINNOW_HOW_ANY;
      else if (strcmp (s, "all") == 0)
        recipe->how = WINNOW_HOW_ALL;
      else
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: drop_missing.how and the words in quotes are recipe syntax */
          return invalid (error, _("drop_missing.how: expected \"any\" or \"all\", not \"%s\""), shown);
        }
    }
  if ((member = json_object_get_member (object, "thresh")) &&
      !get_int (member, "drop_missing.thresh", 0, &recipe->thresh, error))
    return FALSE;
  if ((member = json_object_get_member (object, "subset")) &&
      !get_string_list (member, "drop_missing.subset", recipe->missing_subset, error))
    return FALSE;
  return TRUE;
}

static gboolean
read_fill_rule (JsonNode *node, guint index, WinnowRecipe *recipe, GError **error)
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
    return invalid (error, _("%s: expected an object, not %s"), path, node_type_name (node));
  object = json_node_get_object (node);
  if (!check_keys (object, path, keys, error))
    return FALSE;

  sub = g_strdup_printf ("%s.column", path);
  if (!(member = json_object_get_member (object, "column")))
    /* Translators: %s is a recipe key, such as fill[0].column */
    return invalid (error, _("%s: missing (which column to fill?)"), sub);
  if (!get_string (member, sub, &column, error))
    return FALSE;

  if (json_object_has_member (object, "value") == json_object_has_member (object, "strategy"))
    /* Translators: %s is a recipe key, such as fill[0]; value and strategy are keys too */
    return invalid (error, _("%s: give either \"value\" or \"strategy\""), path);

  if ((member = json_object_get_member (object, "value")))
    {
      g_free (sub);
      sub = g_strdup_printf ("%s.value", path);
      if (!get_string (member, sub, &value, error))
        return FALSE;
    }
  else
    {
      member = json_object_get_member (object, "strategy");
      g_free (sub);
      sub = g_strdup_printf ("%s.strategy", path);
      if (!get_string (member, sub, &s, error))
        return FALSE;
      if (!winnow_fill_strategy_from_string (s, &strategy))
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: a recipe key, then what it held; mean, median, mode, ffill and
           * bfill are recipe values */
          return invalid (error, _("%s: expected mean, median, mode, ffill or bfill, not \"%s\""), sub, shown);
        }
    }

  if ((member = json_object_get_member (object, "limit")) && !JSON_NODE_HOLDS_NULL (member))
    {
      g_free (sub);
      sub = g_strdup_printf ("%s.limit", path);
      if (!get_int (member, sub, 1, &limit, error))
        return FALSE;
      if (strategy != WINNOW_FILL_FFILL && strategy != WINNOW_FILL_BFILL)
        /* Translators: %s is a recipe key, such as fill[0].limit */
        return invalid (error, _("%s: only ffill and bfill take a limit"), sub);
    }

  winnow_recipe_add_fill (recipe, column, strategy, value, limit);
  return TRUE;
}

static gboolean
read_fill (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  JsonArray *array;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    /* Translators: fill is a recipe key; %s is what it held, such as "a string" */
    return invalid (error, _("fill: expected a list, not %s"), node_type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!read_fill_rule (json_array_get_element (array, i), i, recipe, error))
      return FALSE;
  return TRUE;
}

static gboolean
read_output (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "delimiter", "line_ending", "formula_guard", "rejects",
                                       NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: output is a recipe key; %s is what it held, such as "a list" */
    return invalid (error, _("output: expected an object, not %s"), node_type_name (node));
  object = json_node_get_object (node);
  if (!check_keys (object, "output", keys, error))
    return FALSE;
  if ((member = json_object_get_member (object, "delimiter")) &&
      !read_delimiter (member, "output.delimiter", FALSE, &recipe->out_delimiter, error))
    return FALSE;
  if ((member = json_object_get_member (object, "line_ending")))
    {
      if (!get_string (member, "output.line_ending", &s, error))
        return FALSE;
      if (g_ascii_strcasecmp (s, "lf") == 0)
        recipe->crlf = FALSE;
      else if (g_ascii_strcasecmp (s, "crlf") == 0)
        recipe->crlf = TRUE;
      else
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: output.line_ending and the words in quotes are recipe syntax */
          return invalid (error, _("output.line_ending: expected \"lf\" or \"crlf\", not \"%s\""), shown);
        }
    }
  if ((member = json_object_get_member (object, "formula_guard")) &&
      !get_bool (member, "output.formula_guard", &recipe->formula_guard, error))
    return FALSE;
  if ((member = json_object_get_member (object, "rejects")) &&
      !get_bool (member, "output.rejects", &recipe->rejects, error))
    return FALSE;
  return TRUE;
}

static WinnowRecipe *
recipe_from_node (JsonNode *root, GError **error)
{
  static const char * const keys[] = { "winnow_recipe", "input", "drop_columns",
                                       "trim_whitespace", "drop_duplicates", "drop_missing",
                                       "fill", "output", NULL };
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  JsonObject *object;
  JsonNode *member;
  gint64 version;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* Translators: "winnow_recipe": %d is JSON, the recipe's first key and its version */
      invalid (error, _("a recipe is a JSON object, with \"winnow_recipe\": %d"), WINNOW_RECIPE_VERSION);
      return NULL;
    }
  object = json_node_get_object (root);

  if (!(member = json_object_get_member (object, "winnow_recipe")))
    {
      /* Translators: "winnow_recipe": %d is JSON, the recipe's first key and its version */
      invalid (error, _("winnow_recipe: missing; a recipe starts with \"winnow_recipe\": %d"),
               WINNOW_RECIPE_VERSION);
      return NULL;
    }
  if (!get_int (member, "winnow_recipe", 1, &version, error))
    return NULL;
  if (version > WINNOW_RECIPE_VERSION)
    {
      /* Translators: winnow_recipe is a recipe key; two version numbers */
      invalid (error, _("winnow_recipe: version %lld was written by a newer Winnow; "
                        "this one reads version %d"), (long long) version, WINNOW_RECIPE_VERSION);
      return NULL;
    }
  if (!check_keys (object, "", keys, error))
    return NULL;

  if ((member = json_object_get_member (object, "input")) && !read_input (member, recipe, error))
    return NULL;
  if ((member = json_object_get_member (object, "drop_columns")) &&
      !get_string_list (member, "drop_columns", recipe->drop_columns, error))
    return NULL;
  if ((member = json_object_get_member (object, "trim_whitespace")) &&
      !get_bool (member, "trim_whitespace", &recipe->trim_whitespace, error))
    return NULL;
  if (!read_drop_duplicates (json_object_get_member (object, "drop_duplicates"), recipe, error))
    return NULL;
  if (!read_drop_missing (json_object_get_member (object, "drop_missing"), recipe, error))
    return NULL;
  if ((member = json_object_get_member (object, "fill")) && !read_fill (member, recipe, error))
    return NULL;
  if ((member = json_object_get_member (object, "output")) && !read_output (member, recipe, error))
    return NULL;

  if (!winnow_recipe_validate (recipe, error))
    return NULL;
  return g_steal_pointer (&recipe);
}

/**
 * winnow_recipe_new_from_json:
 * @length: the length of @json, or -1 if it ends with a NUL
 *
 * Reads a recipe. Text larger than WINNOW_RECIPE_MAX_BYTES, or that is not
 * strict JSON nested at most WINNOW_JSON_MAX_DEPTH levels deep, is refused
 * before json-glib parses it (its parser recurses).
 *
 * Returns: (transfer full): the recipe, or %NULL with @error naming the
 * offending key.
 */
WinnowRecipe *
winnow_recipe_new_from_json (const char *json, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize n;

  g_return_val_if_fail (json != NULL, NULL);

  n = length < 0 ? strlen (json) : (gsize) length;
  if (n > WINNOW_RECIPE_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (n);
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s is a size, such as "3.2 MB" */
                   _("a recipe is at most 1 MiB, and this one is %s"), size);
      return NULL;
    }
  if (!winnow_json_check (json, n, WINNOW_JSON_MAX_DEPTH, &local_error))
    {
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s says where and what, such as "line 2, column 5:
                    * unexpected character" */
                   _("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, (gssize) n, &local_error))
    {
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s is the JSON parser's message */
                   _("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  return recipe_from_node (json_parser_get_root (parser), error);
}

/* Reads at most @max + 1 bytes of @path: a recipe "file" may be a pipe
 * (--recipe <(...)) or a device that never ends (/dev/zero). */
static char *
read_bounded (const char *path, gsize max, gsize *length, GError **error)
{
  g_autofree char *data = NULL;
  gsize used = 0, capacity = 4096;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   /* Translators: a file name, then the system's reason */
                   _("cannot read %s: %s"), name, g_strerror (saved));
      return NULL;
    }
  data = g_malloc (capacity);
  for (;;)
    {
      gssize got;

      if (used == capacity)
        {
          capacity = MIN (2 * capacity, max + 1);
          data = g_realloc (data, capacity);
        }
      got = read (fd, data + used, capacity - used);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;
          g_autofree char *name = g_filename_display_name (path);
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("cannot read %s: %s"), name, g_strerror (saved));
          return NULL;
        }
      used += (gsize) got;
      if (got == 0 || used > max)
        break;
    }
  close (fd);
  *length = used;
  return g_steal_pointer (&data);
}

/**
 * winnow_recipe_new_from_file:
 *
 * Reads the recipe in the file at @path, at most WINNOW_RECIPE_MAX_BYTES
 * of it (plus one byte, to tell that it is larger).
 *
 * Returns: (transfer full): the recipe; errors are prefixed with the file
 * name.
 */
WinnowRecipe *
winnow_recipe_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  WinnowRecipe *recipe;

  g_return_val_if_fail (path != NULL, NULL);

  contents = read_bounded (path, WINNOW_RECIPE_MAX_BYTES, &length, error);
  if (contents == NULL)
    return NULL;
  if (length > WINNOW_RECIPE_MAX_BYTES)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s is a file name */
                   _("%s: a recipe is at most 1 MiB, and this file is larger"), name);
      return NULL;
    }
  recipe = winnow_recipe_new_from_json (contents, (gssize) length, error);
  if (recipe == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_prefix_error (error, "%s: ", name);
    }
  return recipe;
}

/* ---- JSON writing ---- */

static void
add_string_list (JsonBuilder *builder, const char *name, GPtrArray *list)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);
}

static void
add_delimiter (JsonBuilder *builder, const char *name, gunichar delimiter)
{
  char s[8] = { 0 };

  json_builder_set_member_name (builder, name);
  if (delimiter == 0)
    json_builder_add_string_value (builder, "auto");
  else
    {
      g_unichar_to_utf8 (delimiter, s);
      json_builder_add_string_value (builder, s);
    }
}

/**
 * winnow_recipe_to_json:
 * Returns: (transfer full): the recipe as pretty-printed JSON, every key
 * present so that a saved recipe documents itself.
 */
char *
winnow_recipe_to_json (const WinnowRecipe *recipe)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char quote[2] = { recipe->quote, 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "winnow_recipe");
  json_builder_add_int_value (b, WINNOW_RECIPE_VERSION);

  json_builder_set_member_name (b, "input");
  json_builder_begin_object (b);
  add_delimiter (b, "delimiter", recipe->delimiter);
  json_builder_set_member_name (b, "quote");
  json_builder_add_string_value (b, quote);
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, recipe->encoding);
  json_builder_set_member_name (b, "header");
  json_builder_add_boolean_value (b, recipe->header);
  add_string_list (b, "na_values", recipe->na_values);
  json_builder_set_member_name (b, "bad_lines");
  json_builder_add_string_value (b, winnow_bad_lines_to_string (recipe->bad_lines));
  json_builder_end_object (b);

  add_string_list (b, "drop_columns", recipe->drop_columns);
  json_builder_set_member_name (b, "trim_whitespace");
  json_builder_add_boolean_value (b, recipe->trim_whitespace);

  json_builder_set_member_name (b, "drop_duplicates");
  if (recipe->drop_duplicates)
    {
      json_builder_begin_object (b);
      add_string_list (b, "subset", recipe->duplicates_subset);
      json_builder_set_member_name (b, "keep");
      json_builder_add_string_value (b, winnow_keep_to_string (recipe->keep));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "drop_missing");
  if (recipe->drop_missing)
    {
      json_builder_begin_object (b);
      if (recipe->thresh >= 0)
        {
          json_builder_set_member_name (b, "thresh");
          json_builder_add_int_value (b, recipe->thresh);
        }
      else
        {
          json_builder_set_member_name (b, "how");
          json_builder_add_string_value (b, recipe->how == WINNOW_HOW_ALL ? "all" : "any");
        }
      add_string_list (b, "subset", recipe->missing_subset);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

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

  json_builder_set_member_name (b, "output");
  json_builder_begin_object (b);
  add_delimiter (b, "delimiter", recipe->out_delimiter);
  json_builder_set_member_name (b, "line_ending");
  json_builder_add_string_value (b, recipe->crlf ? "crlf" : "lf");
  json_builder_set_member_name (b, "formula_guard");
  json_builder_add_boolean_value (b, recipe->formula_guard);
  json_builder_set_member_name (b, "rejects");
  json_builder_add_boolean_value (b, recipe->rejects);
  json_builder_end_object (b);

  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  return json_generator_to_data (gen, NULL);
}

/**
 * winnow_recipe_save:
 *
 * Writes @recipe to @path as an output file is written: whole or not at
 * all, replacing only a regular file (never a device, FIFO or folder that
 * happens to have that name).
 */
gboolean
winnow_recipe_save (const WinnowRecipe *recipe, const char *path, GError **error)
{
  g_autofree char *json = winnow_recipe_to_json (recipe);
  g_autofree char *text = g_strconcat (json, "\n", NULL);
  g_autoptr(WinnowOutputFile) file = winnow_output_file_create (path, NULL, TRUE, error);
  gsize length = strlen (text), done = 0;

  if (file == NULL)
    return FALSE;
  while (done < length)
    {
      gssize n = write (winnow_output_file_get_fd (file), text + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_autofree char *name = g_filename_display_name (path);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       /* Translators: a file name, then the system's reason */
                       _("could not write %s: %s"), name, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return winnow_output_file_commit (file, error);
}
