/* winnow-result-record.c: see winnow-result-record.h. The engine's JSON
 * form of a result is the bridge: its parts go to task_results' columns,
 * and come back as one object.
 *
 * Both ways go through text, never through a json-glib tree of the whole
 * result: a file of 100,000 columns has 100,000 profiles. A part read back
 * from the store is spliced in only once it is checked to be one JSON
 * value (winnow_json_check), so a damaged or hand-edited history can
 * neither break the document around it nor nest too deep. */
#include "config.h"

#include "winnow-result-record.h"

#include <string.h>

#include "winnow-json.h"

/* A part is one member of the result object: depth 1 below it. */
#define PART_MAX_DEPTH (WINNOW_JSON_MAX_DEPTH - 1)

/**
 * winnow_result_to_record:
 * Returns: (transfer full): @result as the store keeps it
 */
WinnowTaskResult *
winnow_result_to_record (const WinnowResult *result)
{
  WinnowTaskResult *record = g_new0 (WinnowTaskResult, 1);
  GString *fills = g_string_new ("{");
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
  record->columns_dropped = winnow_result_member_to_json (result, "columns_dropped");
  record->warnings = winnow_result_member_to_json (result, "warnings");
  record->profile = winnow_result_member_to_json (result, "columns");
  record->preview = winnow_result_member_to_json (result, "preview");

  /* cells filled per column, as its own object */
  for (guint i = 0; i < result->columns->len; i++)
    {
      const WinnowColumnProfile *column = g_ptr_array_index (result->columns, i);
      if (column->filled == 0)
        continue;
      if (fills->len > 1)
        g_string_append_c (fills, ',');
      winnow_json_append_string (fills, column->name);
      g_string_append_printf (fills, ":%" G_GINT64_FORMAT, (gint64) column->filled);
    }
  g_string_append_c (fills, '}');
  record->fills = g_string_free (fills, FALSE);
  return record;
}

static void
append_int (GString *out, const char *name, gint64 value)
{
  g_string_append_printf (out, "\"%s\":%" G_GINT64_FORMAT ",", name, value);
}

/* A stored part, if it is one JSON value; otherwise nothing. */
static void
append_part (GString *out, const char *name, const char *json)
{
  if (json == NULL || !winnow_json_check (json, strlen (json), PART_MAX_DEPTH, NULL))
    return;
  g_string_append_printf (out, ",\"%s\":", name);
  g_string_append (out, json);
}

static char *
record_json (const WinnowTaskResult *record, gboolean with_parts)
{
  GString *out = g_string_new ("{");

  append_int (out, "rows_read", record->rows_read);
  append_int (out, "rows_written", record->rows_written);
  append_int (out, "duplicates_removed", record->duplicates_removed);
  append_int (out, "missing_dropped", record->missing_dropped);
  append_int (out, "bad_lines_skipped", record->bad_lines_skipped);
  append_int (out, "cells_filled", record->cells_filled);
  append_int (out, "bytes_in", record->bytes_in);
  append_int (out, "bytes_out", record->bytes_out);
  g_string_append (out, "\"elapsed\":");
  winnow_json_append_double (out, record->elapsed);
  g_string_append (out, ",\"encoding\":");
  winnow_json_append_string (out, record->encoding ? record->encoding : "");
  g_string_append (out, ",\"delimiter\":");
  winnow_json_append_string (out, record->delimiter ? record->delimiter : "");
  if (with_parts)
    {
      append_part (out, "columns_dropped", record->columns_dropped);
      append_part (out, "warnings", record->warnings);
      append_part (out, "columns", record->profile);
      append_part (out, "preview", record->preview);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * winnow_result_record_to_json:
 *
 * Returns: (transfer full): the result a stored record describes, as the
 *   JSON winnow_result_to_json() writes (without "passes" and "bad_lines",
 *   which the store does not keep); always valid JSON
 */
char *
winnow_result_record_to_json (const WinnowTaskResult *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record_json (record, TRUE);
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

  json = record_json (record, TRUE);
  result = winnow_result_new_from_json (json, NULL);
  if (result == NULL)
    {
      /* a part is JSON, but not the kind the result reader expects */
      g_free (json);
      json = record_json (record, FALSE);
      result = winnow_result_new_from_json (json, NULL);
    }
  return result;
}

/**
 * winnow_result_warnings_from_record:
 * Returns: (transfer full) (element-type utf8): the warnings of a stored
 *   record, without reading the rest of it
 */
GPtrArray *
winnow_result_warnings_from_record (const WinnowTaskResult *record)
{
  g_autofree char *json = NULL;
  g_autoptr(WinnowResult) result = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  json = g_strdup_printf ("{\"warnings\":%s}", record->warnings &&
                          winnow_json_check (record->warnings, strlen (record->warnings),
                                             PART_MAX_DEPTH, NULL) ? record->warnings : "[]");
  result = winnow_result_new_from_json (json, NULL);
  return result ? g_ptr_array_ref (result->warnings) : g_ptr_array_new_with_free_func (g_free);
}
