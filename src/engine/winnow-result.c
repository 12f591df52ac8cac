/* winnow-result.c: the result record and its JSON form. */
#include "config.h"

#include "winnow-result.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "winnow-json.h"

G_DEFINE_BOXED_TYPE (WinnowResult, winnow_result, winnow_result_copy, winnow_result_free)

static const char * const type_names[] = { "empty", "integer", "float", "boolean", "date", "text" };

const char *
winnow_column_type_to_string (WinnowColumnType type)
{
  return type_names[type];
}

static WinnowColumnType
column_type_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_strcmp0 (type_names[i], text) == 0)
      return (WinnowColumnType) i;
  return WINNOW_COLUMN_TEXT;
}

WinnowColumnProfile *
winnow_column_profile_new (const char *name)
{
  WinnowColumnProfile *profile = g_new0 (WinnowColumnProfile, 1);
  profile->name = g_strdup (name);
  profile->distinct_exact = TRUE;
  profile->top_values = g_ptr_array_new_with_free_func ((GDestroyNotify) winnow_top_value_free);
  return profile;
}

void
winnow_column_profile_free (WinnowColumnProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->name);
  g_ptr_array_unref (profile->top_values);
  g_free (profile);
}

WinnowResult *
winnow_result_new (void)
{
  WinnowResult *result = g_new0 (WinnowResult, 1);

  result->columns_dropped = g_ptr_array_new_with_free_func (g_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  result->bad_lines = g_array_new (FALSE, FALSE, sizeof (WinnowResultBadLine));
  result->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) winnow_column_profile_free);
  result->preview_header = g_ptr_array_new_with_free_func (g_free);
  result->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  result->encoding = g_strdup ("");
  return result;
}

void
winnow_result_free (WinnowResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->columns_dropped);
  g_ptr_array_unref (result->warnings);
  g_array_unref (result->bad_lines);
  g_ptr_array_unref (result->columns);
  g_ptr_array_unref (result->preview_header);
  g_ptr_array_unref (result->preview);
  g_free (result->encoding);
  g_free (result);
}

/* Copies through JSON: the one place that knows every field. */
WinnowResult *
winnow_result_copy (const WinnowResult *result)
{
  g_autofree char *json = winnow_result_to_json (result);
  return winnow_result_new_from_json (json, NULL);
}

void
winnow_result_add_warning (WinnowResult *result, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_ptr_array_add (result->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* ---- to JSON ----
 *
 * Written straight to text: a file of 100,000 columns has as many
 * profiles, and a json-glib tree of them costs about 2 KiB each. */

static void
key (GString *out, const char *name)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
member_uint (GString *out, const char *name, guint64 value)
{
  key (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
}

static void
member_string (GString *out, const char *name, const char *value)
{
  key (out, name);
  winnow_json_append_string (out, value);
}

static void
member_double (GString *out, const char *name, double value)
{
  key (out, name);
  winnow_json_append_double (out, value);
}

static void
append_strings (GString *out, GPtrArray *strings)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      winnow_json_append_string (out, g_ptr_array_index (strings, i));
    }
  g_string_append_c (out, ']');
}

static void
append_profile (GString *out, const WinnowColumnProfile *p)
{
  g_string_append_c (out, '{');
  member_string (out, "name", p->name);
  member_string (out, "type", winnow_column_type_to_string (p->type));
  member_uint (out, "missing_before", p->missing_before);
  member_uint (out, "missing_after", p->missing_after);
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->cells_key != NULL)
      member_uint (out, winnow_step_get (i)->cells_key, p->cells[i]);
  member_uint (out, "distinct", p->distinct);
  key (out, "distinct_exact");
  g_string_append (out, p->distinct_exact ? "true" : "false");
  if (p->has_numbers)
    {
      member_double (out, "min", p->min);
      member_double (out, "max", p->max);
      member_double (out, "mean", p->mean);
    }
  if (p->histogram_bins > 0)
    {
      key (out, "histogram");
      g_string_append_c (out, '{');
      member_double (out, "start", p->histogram_start);
      member_double (out, "width", p->histogram_width);
      key (out, "counts");
      g_string_append_c (out, '[');
      for (guint i = 0; i < p->histogram_bins; i++)
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, i > 0 ? "," : "", p->histogram[i]);
      g_string_append (out, "]}");
    }
  key (out, "top_values");
  g_string_append_c (out, '[');
  for (guint i = 0; i < p->top_values->len; i++)
    {
      const WinnowTopValue *v = g_ptr_array_index (p->top_values, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      member_string (out, "value", v->value);
      member_uint (out, "count", v->count);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
}

/**
 * winnow_result_get_rows_rejected:
 *
 * The rows the task dropped: those of every step that drops rows
 * (duplicates, rows with missing values) and the bad lines skipped, so
 * that rows written + rows rejected = rows read.
 * With output.rejects these are the rows of the rejected-rows file. Not a
 * field of its own: it follows from the counts the store keeps.
 *
 * Returns: the count
 */
guint64
winnow_result_get_rows_rejected (const WinnowResult *result)
{
  guint64 n = result->bad_lines_skipped;

  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->drops_rows)
      n += result->counts[i];
  return n;
}

static void
append_bad_lines (GString *out, GArray *bad_lines)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < bad_lines->len; i++)
    {
      const WinnowResultBadLine *bad = &g_array_index (bad_lines, WinnowResultBadLine, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      member_uint (out, "line", bad->line);
      member_uint (out, "fields", bad->fields);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
append_columns (GString *out, GPtrArray *columns)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < columns->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_profile (out, g_ptr_array_index (columns, i));
    }
  g_string_append_c (out, ']');
}

static void
append_preview (GString *out, const WinnowResult *r)
{
  g_string_append_c (out, '{');
  key (out, "header");
  append_strings (out, r->preview_header);
  key (out, "rows");
  g_string_append_c (out, '[');
  for (guint i = 0; i < r->preview->len; i++)
    {
      char **row = g_ptr_array_index (r->preview, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '[');
      for (guint j = 0; row[j]; j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          winnow_json_append_string (out, row[j]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, "]}");
}

/* Every member but "columns" and "preview", without the braces. */
static void
append_summary (GString *out, const WinnowResult *r)
{
  char delimiter[8] = { 0 };

  if (r->delimiter != 0)
    g_unichar_to_utf8 (r->delimiter, delimiter);
  member_uint (out, "rows_read", r->rows_read);
  member_uint (out, "rows_written", r->rows_written);
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->count_key != NULL)
      member_uint (out, winnow_step_get (i)->count_key, r->counts[i]);
  member_uint (out, "bad_lines_skipped", r->bad_lines_skipped);
  key (out, "columns_dropped");
  append_strings (out, r->columns_dropped);
  member_uint (out, "bytes_in", r->bytes_in);
  member_uint (out, "bytes_out", r->bytes_out);
  member_double (out, "elapsed", r->elapsed);
  member_uint (out, "passes", r->passes);
  member_string (out, "encoding", r->encoding);
  member_string (out, "delimiter", delimiter);
  key (out, "warnings");
  append_strings (out, r->warnings);
  key (out, "bad_lines");
  append_bad_lines (out, r->bad_lines);
}

/**
 * winnow_result_to_json:
 * Returns: (transfer full): the result as compact JSON
 */
char *
winnow_result_to_json (const WinnowResult *r)
{
  GString *out = g_string_new ("{");

  g_return_val_if_fail (r != NULL, NULL);

  append_summary (out, r);
  key (out, "columns");
  append_columns (out, r->columns);
  key (out, "preview");
  append_preview (out, r);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * winnow_result_part_to_json:
 *
 * Returns: (transfer full): a part of winnow_result_to_json()'s object,
 *   as JSON text, without writing the rest: the object of every member
 *   but "columns" and "preview", or one of those two members' values
 */
char *
winnow_result_part_to_json (const WinnowResult *result, WinnowResultPart part)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (result != NULL, NULL);

  switch (part)
    {
    case WINNOW_RESULT_SUMMARY:
      g_string_append_c (out, '{');
      append_summary (out, result);
      g_string_append_c (out, '}');
      break;
    case WINNOW_RESULT_COLUMNS:
      append_columns (out, result->columns);
      break;
    case WINNOW_RESULT_PREVIEW:
    default:
      append_preview (out, result);
      break;
    }
  return g_string_free (out, FALSE);
}

/**
 * winnow_result_describe_counts:
 *
 * Returns: (transfer full) (nullable): what the steps of @result changed,
 *   in words ("312 duplicates, 12 cells replaced"), or %NULL when they
 *   changed nothing
 */
char *
winnow_result_describe_counts (const WinnowResult *result)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    {
      g_autofree char *words = NULL;

      if (winnow_step_get (i)->count_key == NULL || result->counts[i] == 0)
        continue;
      words = winnow_step_count_words (i, result->counts[i]);
      if (text->len > 0)
        /* Translators: between the parts of a list such as "312 duplicates, 12
         * cells replaced" */
        g_string_append (text, C_("list", ", "));
      g_string_append (text, words);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* ---- from JSON ---- */

/* (0 for what is not a whole number of 0 or more: a damaged history) */
static guint64
get_uint (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return 0;
  return (guint64) json_node_get_int (node);
}

static double
get_double (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  return json_node_get_double (node);
}

/* What the store gives back is checked for type as it is read: a damaged
 * or hand-edited history gives empty values, never a crash. */
static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static const char *
get_string (JsonObject *o, const char *name)
{
  return node_string (json_object_get_member (o, name));
}

static JsonObject *
element_object (JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
read_strings (JsonArray *array, GPtrArray *out)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      g_ptr_array_add (out, g_strdup (node_string (json_array_get_element (array, i))));
    }
}

static WinnowColumnProfile *
read_profile (JsonObject *o)
{
  WinnowColumnProfile *p = winnow_column_profile_new (get_string (o, "name"));
  JsonArray *top = get_array (o, "top_values");
  JsonNode *node;

  p->type = column_type_from_string (get_string (o, "type"));
  p->missing_before = get_uint (o, "missing_before");
  p->missing_after = get_uint (o, "missing_after");
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->cells_key != NULL)
      p->cells[i] = get_uint (o, winnow_step_get (i)->cells_key);
  p->distinct = get_uint (o, "distinct");
  node = json_object_get_member (o, "distinct_exact");
  p->distinct_exact = node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
                      json_node_get_value_type (node) != G_TYPE_BOOLEAN ||
                      json_node_get_boolean (node);
  p->has_numbers = json_object_has_member (o, "min");
  p->min = get_double (o, "min");
  p->max = get_double (o, "max");
  p->mean = get_double (o, "mean");
  node = json_object_get_member (o, "histogram");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *h = json_node_get_object (node);
      JsonArray *counts = get_array (h, "counts");

      p->histogram_start = get_double (h, "start");
      p->histogram_width = get_double (h, "width");
      for (guint i = 0; counts && i < json_array_get_length (counts) && i < WINNOW_HISTOGRAM_BINS; i++)
        {
          JsonNode *count = json_array_get_element (counts, i);
          p->histogram[i] = JSON_NODE_HOLDS_VALUE (count) ? (guint64) json_node_get_int (count) : 0;
          p->histogram_bins = i + 1;
        }
      /* a damaged one is no picture */
      if (!isfinite (p->histogram_start) || !isfinite (p->histogram_width) ||
          p->histogram_width < 0)
        p->histogram_bins = 0;
    }
  for (guint i = 0; top && i < json_array_get_length (top); i++)
    {
      JsonObject *v = element_object (top, i);
      WinnowTopValue *value;

      if (v == NULL)
        continue;
      value = g_new0 (WinnowTopValue, 1);
      value->value = g_strdup (get_string (v, "value"));
      value->count = get_uint (v, "count");
      g_ptr_array_add (p->top_values, value);
    }
  return p;
}

typedef struct {
  GString *rest;            /* the object without "columns" */
  const char *columns;      /* the text of "columns" */
  gsize columns_length;
  JsonParser *parser;
  WinnowResult *result;
} Reading;

static gboolean
split_member (const char *key, gsize key_length, const char *value, gsize value_length,
              gpointer data)
{
  Reading *reading = data;

  if (key_length == strlen ("columns") && memcmp (key, "columns", key_length) == 0)
    {
      reading->columns = value;
      reading->columns_length = value_length;
      return TRUE;
    }
  if (reading->rest->len > 1)
    g_string_append_c (reading->rest, ',');
  g_string_append_c (reading->rest, '"');
  g_string_append_len (reading->rest, key, (gssize) key_length);
  g_string_append (reading->rest, "\":");
  g_string_append_len (reading->rest, value, (gssize) value_length);
  return TRUE;
}

/* One column profile, parsed on its own: a json-glib tree of 100,000
 * profiles would cost about 2.5 KiB each. */
static gboolean
read_column (const char *key, gsize key_length, const char *value, gsize value_length,
             gpointer data)
{
  Reading *reading = data;
  JsonNode *root;

  if (!json_parser_load_from_data (reading->parser, value, (gssize) value_length, NULL))
    return TRUE;
  root = json_parser_get_root (reading->parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    g_ptr_array_add (reading->result->columns, read_profile (json_node_get_object (root)));
  return TRUE;
}

/**
 * winnow_result_new_from_json:
 * Returns: (transfer full) (nullable): the result that
 *   winnow_result_to_json() wrote
 */
WinnowResult *
winnow_result_new_from_json (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WinnowResult) r = NULL;
  g_autoptr(GString) rest = g_string_new ("{");
  Reading reading = { rest, NULL, 0, parser, NULL };
  JsonObject *o, *preview;
  JsonArray *array;
  JsonNode *root, *node;
  gsize length;

  g_return_val_if_fail (json != NULL, NULL);

  /* a result read back from the store is data like any other */
  length = strlen (json);
  if (!winnow_json_check (json, length, WINNOW_JSON_MAX_DEPTH, error))
    return NULL;
  if (!winnow_json_foreach (json, length, split_member, &reading) || json[strspn (json, " \t\r\n")] != '{')
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "a result is a JSON object");
      return NULL;
    }
  g_string_append_c (rest, '}');
  if (!json_parser_load_from_data (parser, rest->str, (gssize) rest->len, error))
    return NULL;
  root = json_parser_get_root (parser);
  o = json_node_get_object (root);
  r = winnow_result_new ();
  r->rows_read = get_uint (o, "rows_read");
  r->rows_written = get_uint (o, "rows_written");
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->count_key != NULL)
      r->counts[i] = get_uint (o, winnow_step_get (i)->count_key);
  r->bad_lines_skipped = get_uint (o, "bad_lines_skipped");
  read_strings (get_array (o, "columns_dropped"), r->columns_dropped);
  r->counts[WINNOW_STEP_DROP_COLUMNS] = r->columns_dropped->len;
  r->bytes_in = get_uint (o, "bytes_in");
  r->bytes_out = get_uint (o, "bytes_out");
  r->elapsed = get_double (o, "elapsed");
  r->passes = (guint) get_uint (o, "passes");
  g_free (r->encoding);
  r->encoding = g_strdup (get_string (o, "encoding"));
  r->delimiter = g_utf8_get_char_validated (get_string (o, "delimiter"), -1);
  if (r->delimiter == (gunichar) -1 || r->delimiter == (gunichar) -2)
    r->delimiter = 0;
  read_strings (get_array (o, "warnings"), r->warnings);

  array = get_array (o, "bad_lines");
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *bad = element_object (array, i);
      WinnowResultBadLine line;

      if (bad == NULL)
        continue;
      line = (WinnowResultBadLine) { get_uint (bad, "line"), (guint) get_uint (bad, "fields") };
      g_array_append_val (r->bad_lines, line);
    }

  /* at most WINNOW_PREVIEW_ROWS x WINNOW_PREVIEW_COLUMNS cells */
  node = json_object_get_member (o, "preview");
  preview = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (preview != NULL)
    {
      read_strings (get_array (preview, "header"), r->preview_header);
      array = get_array (preview, "rows");
      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonNode *cells = json_array_get_element (array, i);
          g_autoptr(GPtrArray) row = g_ptr_array_new ();

          if (!JSON_NODE_HOLDS_ARRAY (cells))
            continue;
          read_strings (json_node_get_array (cells), row);
          g_ptr_array_add (row, NULL);
          g_ptr_array_add (r->preview, g_ptr_array_steal (row, NULL));
        }
    }

  /* last: the parser's tree is replaced by each column's in turn */
  reading.result = r;
  if (reading.columns != NULL)
    winnow_json_foreach (reading.columns, reading.columns_length, read_column, &reading);
  return g_steal_pointer (&r);
}
