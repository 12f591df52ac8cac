/* winnow-recipe.c: the recipe value: making, copying, comparing and
 * checking it, and the names of its enums. Its JSON form is in
 * winnow-recipe-json.c; each step's part of it in src/engine/steps/. */
#include "config.h"

#include "winnow-recipe-private.h"

#include <string.h>

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

/* ---- helpers the steps share ---- */

GPtrArray *
recipe_str_array_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

GPtrArray *
recipe_str_array_copy (GPtrArray *array)
{
  GPtrArray *copy = recipe_str_array_new ();
  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));
  return copy;
}

gboolean
recipe_str_array_equal (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* "A, B" as the task page writes a list of columns. */
char *
recipe_join_names (GPtrArray *names)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (names, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The messages name the offending key as the recipe spells it
 * ("fill[2].limit"); the keys and the values in quotes are recipe syntax,
 * so the translator comments ask for them to stay as they are. */
gboolean
recipe_invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_INVALID, message);
  return FALSE;
}

/* ---- the value ---- */

/**
 * winnow_recipe_new:
 *
 * Returns: (transfer full): a recipe with every step off and pandas' input
 * defaults: delimiter sniffed, `"` quotes, encoding auto, a header row,
 * pandas' NA tokens, malformed long rows an error; on output the input's
 * delimiter and LF.
 */
WinnowRecipe *
winnow_recipe_new (void)
{
  WinnowRecipe *recipe = g_new0 (WinnowRecipe, 1);

  recipe->delimiter = 0;
  recipe->quote = '"';
  recipe->encoding = g_strdup ("auto");
  recipe->header = TRUE;
  recipe->na_values = recipe_str_array_new ();
  for (guint i = 0; default_na_values[i]; i++)
    g_ptr_array_add (recipe->na_values, g_strdup (default_na_values[i]));
  recipe->bad_lines = WINNOW_BAD_LINES_ERROR;
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->init != NULL)
      winnow_step_get (i)->init (recipe);
  recipe->out_delimiter = 0;   /* the input's */
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
  copy->na_values = recipe_str_array_copy (recipe->na_values);
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->copy != NULL)
      winnow_step_get (i)->copy (copy, recipe);
  return copy;
}

void
winnow_recipe_free (WinnowRecipe *recipe)
{
  if (recipe == NULL)
    return;
  g_free (recipe->encoding);
  g_ptr_array_unref (recipe->na_values);
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->clear != NULL)
      winnow_step_get (i)->clear (recipe);
  g_free (recipe);
}

/* Two recipes are equal when they clean every file the same way; settings
 * of a step that is off do not count. */
gboolean
winnow_recipe_equal (const WinnowRecipe *a, const WinnowRecipe *b)
{
  if (a->delimiter != b->delimiter || a->quote != b->quote ||
      g_strcmp0 (a->encoding, b->encoding) != 0 || a->header != b->header ||
      !recipe_str_array_equal (a->na_values, b->na_values) || a->bad_lines != b->bad_lines ||
      a->out_delimiter != b->out_delimiter || a->crlf != b->crlf ||
      a->formula_guard != b->formula_guard || a->rejects != b->rejects)
    return FALSE;
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (!winnow_step_get (i)->equal (a, b))
      return FALSE;
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
 * @zero_word: what 0 is called: "auto" for the input, "same" for the output
 *
 * Returns: (transfer full): @zero_word for 0, "tab" for a tab, else the
 *   character in UTF-8.
 */
char *
winnow_delimiter_to_string (gunichar delimiter, const char *zero_word)
{
  char text[8] = { 0 };

  if (delimiter == 0)
    return g_strdup (zero_word);
  if (delimiter == '\t')
    return g_strdup ("tab");
  g_unichar_to_utf8 (delimiter, text);
  return g_strdup (text);
}

/* Accepts one Unicode character (pandas takes any single character as
 * sep), a real tab, the word "tab", and @zero_word ("auto" for the input,
 * "same" for the output; NULL: neither) for 0. A line end cannot separate
 * fields. Whether the character may be used with the quote character is
 * winnow_recipe_validate()'s to say. */
gboolean
winnow_delimiter_from_string (const char *text, const char *zero_word, gunichar *delimiter)
{
  gunichar c;

  if (text == NULL)
    return FALSE;
  if (zero_word != NULL && strcmp (text, zero_word) == 0)
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

/**
 * winnow_recipe_output_delimiter:
 * @input_delimiter: the file's, as read or sniffed
 *
 * Returns: the delimiter the output is written with: the recipe's, or with
 *   "same" the input's (a comma if that is ", which the output quotes with)
 */
gunichar
winnow_recipe_output_delimiter (const WinnowRecipe *recipe, gunichar input_delimiter)
{
  if (recipe->out_delimiter != 0)
    return recipe->out_delimiter;
  if (input_delimiter == 0 || input_delimiter == '"')
    return ',';
  return input_delimiter;
}

/* ---- validation ---- */

/**
 * winnow_recipe_validate:
 *
 * Checks what can be checked without a file: enum ranges, delimiters,
 * the encoding name, and each step's settings (thresh, fill and replace
 * rules). Column names are checked against the header when the task
 * runs.
 */
gboolean
winnow_recipe_validate (const WinnowRecipe *recipe, GError **error)
{
  g_return_val_if_fail (recipe != NULL, FALSE);

  if (recipe->quote == 0 || (guchar) recipe->quote >= 0x80 || recipe->quote == '\n' ||
      recipe->quote == '\r')
    /* Translators: input.quote is a recipe key; keep it as it is */
    return recipe_invalid (error, _("input.quote: expected a single ASCII character"));
  if (recipe->delimiter != 0 && recipe->delimiter == (guchar) recipe->quote)
    /* Translators: input.delimiter is a recipe key; keep it as it is */
    return recipe_invalid (error, _("input.delimiter: the delimiter and the quote character must differ"));
  /* The output quotes fields with ", always: a field holding the
   * delimiter would be quoted with the delimiter itself. */
  if (recipe->out_delimiter == '"')
    /* Translators: %s is output.delimiter (a recipe key) or
     * --output-delimiter (an option) */
    return recipe_invalid (error, _("%s: \" cannot be the delimiter, because fields that hold a "
                                    "delimiter, a quote or a line end are quoted with \""),
                           "output.delimiter");

  if (g_ascii_strcasecmp (recipe->encoding, "auto") != 0)
    {
      GIConv conv = g_iconv_open ("UTF-8", recipe->encoding);
      if (conv == (GIConv) -1)
        {
          g_autofree char *shown = winnow_user_text_excerpt (recipe->encoding);
          /* Translators: input.encoding is a recipe key; %s is the name of an encoding */
          return recipe_invalid (error, _("input.encoding: \"%s\" is not an encoding this system knows"),
                                 shown);
        }
      g_iconv_close (conv);
    }

  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->validate != NULL && !winnow_step_get (i)->validate (recipe, error))
      return FALSE;

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
        return recipe_invalid (error, _("the recipe would be %s once written out; a recipe is at "
                                        "most 1 MiB"), size);
      }
  }
  return TRUE;
}
