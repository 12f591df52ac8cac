/* winnow-result-record.c: see winnow-result-record.h. The engine's JSON
 * form of a result is the bridge: its parts go to task_results' columns,
 * and come back as one object. */
#include "config.h"

#include "winnow-result-record.h"

#include <json-glib/json-glib.h>

static char *
member_json (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return node ? json_to_string (node, FALSE) : g_strdup ("null");
}

/**
 * winnow_result_to_record:
 * Returns: (transfer full): @result as the store keeps it
 */
WinnowTaskResult *
winnow_result_to_record (const WinnowResult *result)
{
  g_autofree char *json = winnow_result_to_json (result);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *object = json_node_get_object (root);
  WinnowTaskResult *record = g_new0 (WinnowTaskResult, 1);
  g_autoptr(JsonBuilder) fills = json_builder_new ();
  g_autoptr(JsonNode) fills_root = NULL;
  char delimiter[8] = { 0 };

  if (result->delimiter != 0)
    g_unichar_to_utf8 (result->delimiter, delimiter);
  record->rows_read = (gint64) result->rows_read;
  record->rows_written = (gint64) result->rows_written;
  record->duplicates_removed = (gint64) result->duplicates_removed;
  record->missing_dropped = (gint64) result->missing_dropped;
  record->bad_lines_skipped = (gint64) result->bad_lines_skipped;
  record->cells_filled = (gint64) result->cells_filled;
  record->bytes_in = (gint64) result->bytes_in;
  record->bytes_out = (gint64) result->bytes_out;
  record->elapsed = result->elapsed;
  record->encoding = g_strdup (result->encoding);
  record->delimiter = g_strdup (delimiter);
  record->columns_dropped = member_json (object, "columns_dropped");
  record->warnings = member_json (object, "warnings");
  record->profile = member_json (object, "columns");
  record->preview = member_json (object, "preview");

  /* cells filled per column, as its own object */
  json_builder_begin_object (fills);
  for (guint i = 0; i < result->columns->len; i++)
    {
      const WinnowColumnProfile *column = g_ptr_array_index (result->columns, i);
      if (column->filled == 0)
        continue;
      json_builder_set_member_name (fills, column->name);
      json_builder_add_int_value (fills, (gint64) column->filled);
    }
  json_builder_end_object (fills);
  fills_root = json_builder_get_root (fills);
  record->fills = json_to_string (fills_root, FALSE);
  return record;
}

static void
add_raw (JsonObject *object, const char *name, const char *json)
{
  JsonNode *node = json ? json_from_string (json, NULL) : NULL;
  if (node != NULL)
    json_object_set_member (object, name, node);
}

/**
 * winnow_result_from_record:
 * Returns: (transfer full): the result a stored record describes
 */
WinnowResult *
winnow_result_from_record (const WinnowTaskResult *record)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;

  json_object_set_int_member (object, "rows_read", record->rows_read);
  json_object_set_int_member (object, "rows_written", record->rows_written);
  json_object_set_int_member (object, "duplicates_removed", record->duplicates_removed);
  json_object_set_int_member (object, "missing_dropped", record->missing_dropped);
  json_object_set_int_member (object, "bad_lines_skipped", record->bad_lines_skipped);
  json_object_set_int_member (object, "cells_filled", record->cells_filled);
  json_object_set_int_member (object, "bytes_in", record->bytes_in);
  json_object_set_int_member (object, "bytes_out", record->bytes_out);
  json_object_set_double_member (object, "elapsed", record->elapsed);
  json_object_set_string_member (object, "encoding", record->encoding ? record->encoding : "");
  json_object_set_string_member (object, "delimiter", record->delimiter ? record->delimiter : "");
  add_raw (object, "columns_dropped", record->columns_dropped);
  add_raw (object, "warnings", record->warnings);
  add_raw (object, "columns", record->profile);
  add_raw (object, "preview", record->preview);
  json_node_set_object (root, object);
  json = json_to_string (root, FALSE);
  return winnow_result_new_from_json (json, NULL);
}
