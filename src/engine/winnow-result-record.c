/* winnow-result-record.c: see winnow-result-record.h. The engine's JSON
 * form of a result is the bridge: it goes to the store in three parts (a
 * summary object, the column profiles, the preview), and comes back as one
 * object.
 *
 * Both ways go through text, never through a json-glib tree of the whole
 * result: a file of 100,000 columns has 100,000 profiles. A part read back
 * from the store is spliced in only once it is checked to be JSON of the
 * right shape (winnow_json_check), so a damaged or hand-edited history
 * can neither break the document around it nor nest too deep. */
#include "config.h"

#include "winnow-result-record.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "winnow-json.h"

/* A part is one member of the result object, or the object's members:
 * depth 1 below it. */
#define PART_MAX_DEPTH (WINNOW_JSON_MAX_DEPTH - 1)

/**
 * winnow_result_to_record:
 * Returns: (transfer full): @result as the store keeps it
 */
WinnowTaskResult *
winnow_result_to_record (const WinnowResult *result)
{
  WinnowTaskResult *record = g_new0 (WinnowTaskResult, 1);

  record->rows_read = (gint64) result->rows_read;
  record->rows_written = (gint64) result->rows_written;
  record->summary = winnow_result_part_to_json (result, WINNOW_RESULT_SUMMARY);
  record->columns = winnow_result_part_to_json (result, WINNOW_RESULT_COLUMNS);
  record->preview = winnow_result_part_to_json (result, WINNOW_RESULT_PREVIEW);
  return record;
}

static gboolean
is_json (const char *json, char first)
{
  gsize length;

  if (json == NULL)
    return FALSE;
  json += strspn (json, " \t\r\n");
  length = strlen (json);
  return length > 0 && json[0] == first &&
         winnow_json_check (json, length, PART_MAX_DEPTH, NULL);
}

/* A stored part, if it is one JSON value of its kind; otherwise nothing. */
static void
append_part (GString *out, const char *name, const char *json, char first)
{
  if (!is_json (json, first))
    return;
  if (out->len > 1)
    g_string_append_c (out, ',');
  g_string_append_printf (out, "\"%s\":", name);
  g_string_append (out, json);
}

static char *
record_json (const WinnowTaskResult *record, gboolean with_parts)
{
  GString *out = g_string_new ("{");

  /* the summary's members, without its braces */
  if (is_json (record->summary, '{'))
    {
      const char *start = record->summary + strspn (record->summary, " \t\r\n") + 1;
      const char *end = record->summary + strlen (record->summary);

      while (end > start && strchr (" \t\r\n", end[-1]) != NULL)
        end--;
      end--;  /* the closing brace */
      g_string_append_len (out, start, end - start);
    }
  else
    g_string_append_printf (out, "\"rows_read\":%" G_GINT64_FORMAT ",\"rows_written\":%"
                            G_GINT64_FORMAT, record->rows_read, record->rows_written);
  if (with_parts)
    {
      append_part (out, "columns", record->columns, '[');
      append_part (out, "preview", record->preview, '{');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * winnow_result_record_to_json:
 *
 * Returns: (transfer full): the result a stored record describes, as the
 *   JSON winnow_result_to_json() writes; always valid JSON
 */
char *
winnow_result_record_to_json (const WinnowTaskResult *record)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (record != NULL, NULL);
  json = record_json (record, TRUE);
  if (winnow_json_check (json, strlen (json), WINNOW_JSON_MAX_DEPTH, NULL))
    return g_steal_pointer (&json);
  g_free (json);
  json = record_json (record, FALSE);
  if (winnow_json_check (json, strlen (json), WINNOW_JSON_MAX_DEPTH, NULL))
    return g_steal_pointer (&json);
  return g_strdup_printf ("{\"rows_read\":%" G_GINT64_FORMAT ",\"rows_written\":%"
                          G_GINT64_FORMAT "}", record->rows_read, record->rows_written);
}

/**
 * winnow_result_from_record:
 * Returns: (transfer full): the result a stored record describes; of a
 *   damaged record, at least its counts
 */
WinnowResult *
winnow_result_from_record (const WinnowTaskResult *record)
{
  g_autofree char *json = NULL;
  WinnowResult *result;

  g_return_val_if_fail (record != NULL, NULL);

  json = winnow_result_record_to_json (record);
  result = winnow_result_new_from_json (json, NULL);
  if (result == NULL)
    {
      /* a part is JSON, but not the kind the result reader expects */
      g_free (json);
      json = record_json (record, FALSE);
      result = winnow_result_new_from_json (json, NULL);
    }
  if (result == NULL)
    {
      result = winnow_result_new ();
      result->rows_read = (guint64) MAX (record->rows_read, 0);
      result->rows_written = (guint64) MAX (record->rows_written, 0);
    }
  return result;
}

/* Whether member @name of @o is a whole number of 0 or more, or with
 * @real, any finite number of 0 or more. */
static gboolean
is_count (JsonObject *o, const char *name, gboolean real)
{
  JsonNode *node = json_object_get_member (o, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node) >= 0;
  return real && type == G_TYPE_DOUBLE && isfinite (json_node_get_double (node)) &&
         json_node_get_double (node) >= 0;
}

/**
 * winnow_result_record_is_damaged:
 * Returns: whether the summary kept in @record cannot be read as a result
 *   (a history damaged, or written by another program): not a JSON object,
 *   or its rows, bytes and time not counts. Its counts, sizes and warnings
 *   are then unknown, but for the rows the task's own row holds (-1 when
 *   it holds none).
 */
gboolean
winnow_result_record_is_damaged (const WinnowTaskResult *record)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  g_return_val_if_fail (record != NULL, TRUE);

  /* (checked first: json-glib's parser recurses, and reads more than JSON) */
  if (!is_json (record->summary, '{') || !json_parser_load_from_data (parser, record->summary,
                                                                       -1, NULL))
    return TRUE;
  o = json_node_get_object (json_parser_get_root (parser));
  return !is_count (o, "rows_read", FALSE) || !is_count (o, "rows_written", FALSE) ||
         !is_count (o, "bytes_in", FALSE) || !is_count (o, "bytes_out", FALSE) ||
         !is_count (o, "elapsed", TRUE);
}

/**
 * winnow_result_summary_from_record:
 * Returns: (transfer full): the result a stored record describes, without
 *   its column profiles and preview (which can be megabytes): its counts,
 *   sizes and warnings
 */
WinnowResult *
winnow_result_summary_from_record (const WinnowTaskResult *record)
{
  g_autofree char *json = NULL;
  WinnowResult *result;

  g_return_val_if_fail (record != NULL, NULL);

  json = record_json (record, FALSE);
  result = winnow_result_new_from_json (json, NULL);
  if (result == NULL)
    {
      result = winnow_result_new ();
      result->rows_read = (guint64) MAX (record->rows_read, 0);
      result->rows_written = (guint64) MAX (record->rows_written, 0);
    }
  return result;
}

/**
 * winnow_result_warnings_from_record:
 * Returns: (transfer full) (element-type utf8): the warnings of a stored
 *   record, without reading its column profiles and preview
 */
GPtrArray *
winnow_result_warnings_from_record (const WinnowTaskResult *record)
{
  g_autoptr(WinnowResult) result = winnow_result_summary_from_record (record);
  return g_ptr_array_ref (result->warnings);
}
