/* winnow-result.c: the result record and its JSON form. */
#include "config.h"

#include "winnow-result.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

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

/* ---- to JSON ---- */

static void
member_uint (JsonBuilder *b, const char *name, guint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) value);
}

static void
member_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
member_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
member_strings (JsonBuilder *b, const char *name, GPtrArray *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

static void
add_profile (JsonBuilder *b, const WinnowColumnProfile *p)
{
  json_builder_begin_object (b);
  member_string (b, "name", p->name);
  member_string (b, "type", winnow_column_type_to_string (p->type));
  member_uint (b, "missing_before", p->missing_before);
  member_uint (b, "missing_after", p->missing_after);
  member_uint (b, "filled", p->filled);
  member_uint (b, "distinct", p->distinct);
  json_builder_set_member_name (b, "distinct_exact");
  json_builder_add_boolean_value (b, p->distinct_exact);
  if (p->has_numbers)
    {
      member_double (b, "min", p->min);
      member_double (b, "max", p->max);
      member_double (b, "mean", p->mean);
    }
  json_builder_set_member_name (b, "top_values");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->top_values->len; i++)
    {
      const WinnowTopValue *v = g_ptr_array_index (p->top_values, i);
      json_builder_begin_object (b);
      member_string (b, "value", v->value);
      member_uint (b, "count", v->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/**
 * winnow_result_get_rows_rejected:
 *
 * The rows the task dropped: duplicates, rows with missing values and
 * bad lines skipped, so that rows written + rows rejected = rows read.
 * With output.rejects these are the rows of the rejected-rows file. Not a
 * field of its own: it follows from the counts the store keeps.
 *
 * Returns: the count
 */
guint64
winnow_result_get_rows_rejected (const WinnowResult *result)
{
  return result->duplicates_removed + result->missing_dropped + result->bad_lines_skipped;
}

static JsonNode *
result_to_node (const WinnowResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char delimiter[8] = { 0 };

  if (r->delimiter != 0)
    g_unichar_to_utf8 (r->delimiter, delimiter);
  json_builder_begin_object (b);
  member_uint (b, "rows_read", r->rows_read);
  member_uint (b, "rows_written", r->rows_written);
  member_uint (b, "duplicates_removed", r->duplicates_removed);
  member_uint (b, "missing_dropped", r->missing_dropped);
  member_uint (b, "bad_lines_skipped", r->bad_lines_skipped);
  member_uint (b, "cells_filled", r->cells_filled);
  member_strings (b, "columns_dropped", r->columns_dropped);
  member_uint (b, "bytes_in", r->bytes_in);
  member_uint (b, "bytes_out", r->bytes_out);
  member_double (b, "elapsed", r->elapsed);
  member_uint (b, "passes", r->passes);
  member_string (b, "encoding", r->encoding);
  member_string (b, "delimiter", delimiter);
  member_strings (b, "warnings", r->warnings);

  json_builder_set_member_name (b, "bad_lines");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->bad_lines->len; i++)
    {
      const WinnowResultBadLine *bad = &g_array_index (r->bad_lines, WinnowResultBadLine, i);
      json_builder_begin_object (b);
      member_uint (b, "line", bad->line);
      member_uint (b, "fields", bad->fields);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->columns->len; i++)
    add_profile (b, g_ptr_array_index (r->columns, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "preview");
  json_builder_begin_object (b);
  member_strings (b, "header", r->preview_header);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->preview->len; i++)
    {
      char **row = g_ptr_array_index (r->preview, i);
      json_builder_begin_array (b);
      for (guint j = 0; row[j]; j++)
        json_builder_add_string_value (b, row[j]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * winnow_result_to_json:
 * Returns: (transfer full): the result as compact JSON
 */
char *
winnow_result_to_json (const WinnowResult *result)
{
  g_autoptr(JsonNode) root = result_to_node (result);
  return json_to_string (root, FALSE);
}

/* ---- from JSON ---- */

static guint64
get_uint (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
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

static const char *
get_string (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
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
      JsonNode *node = json_array_get_element (array, i);
      g_ptr_array_add (out, g_strdup (JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : ""));
    }
}

static WinnowColumnProfile *
read_profile (JsonObject *o)
{
  WinnowColumnProfile *p = winnow_column_profile_new (get_string (o, "name"));
  JsonArray *top = get_array (o, "top_values");

  p->type = column_type_from_string (get_string (o, "type"));
  p->missing_before = get_uint (o, "missing_before");
  p->missing_after = get_uint (o, "missing_after");
  p->filled = get_uint (o, "filled");
  p->distinct = get_uint (o, "distinct");
  p->distinct_exact = json_object_get_boolean_member_with_default (o, "distinct_exact", TRUE);
  p->has_numbers = json_object_has_member (o, "min");
  p->min = get_double (o, "min");
  p->max = get_double (o, "max");
  p->mean = get_double (o, "mean");
  for (guint i = 0; top && i < json_array_get_length (top); i++)
    {
      JsonObject *v = json_array_get_object_element (top, i);
      WinnowTopValue *value = g_new0 (WinnowTopValue, 1);
      value->value = g_strdup (get_string (v, "value"));
      value->count = get_uint (v, "count");
      g_ptr_array_add (p->top_values, value);
    }
  return p;
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
  JsonObject *o, *preview;
  JsonArray *array;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "a result is a JSON object");
      return NULL;
    }
  o = json_node_get_object (root);
  r = winnow_result_new ();
  r->rows_read = get_uint (o, "rows_read");
  r->rows_written = get_uint (o, "rows_written");
  r->duplicates_removed = get_uint (o, "duplicates_removed");
  r->missing_dropped = get_uint (o, "missing_dropped");
  r->bad_lines_skipped = get_uint (o, "bad_lines_skipped");
  r->cells_filled = get_uint (o, "cells_filled");
  read_strings (get_array (o, "columns_dropped"), r->columns_dropped);
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
      JsonObject *bad = json_array_get_object_element (array, i);
      WinnowResultBadLine line = { get_uint (bad, "line"), (guint) get_uint (bad, "fields") };
      g_array_append_val (r->bad_lines, line);
    }

  array = get_array (o, "columns");
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    g_ptr_array_add (r->columns, read_profile (json_array_get_object_element (array, i)));

  preview = json_object_get_object_member (o, "preview");
  if (preview != NULL)
    {
      read_strings (get_array (preview, "header"), r->preview_header);
      array = get_array (preview, "rows");
      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          g_autoptr(GPtrArray) row = g_ptr_array_new ();
          read_strings (json_array_get_array_element (array, i), row);
          g_ptr_array_add (row, NULL);
          g_ptr_array_add (r->preview, g_ptr_array_steal (row, NULL));
        }
    }
  return g_steal_pointer (&r);
}
