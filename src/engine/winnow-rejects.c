/* winnow-rejects.c: see winnow-rejects.h. */
#include "config.h"

#include "winnow-rejects.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-csv-reader.h"
#include "winnow-csv-writer.h"
#include "winnow-text-set.h"

struct _WinnowRejects {
  char *display_name;
  WinnowOutputFile *file;
  WinnowCsvWriter *writer;
  gunichar delimiter;
  gboolean crlf;
  gboolean formula_guard;
  guint n_input;
  guint64 rows;
};

const char *
winnow_reject_reason_to_string (WinnowRejectReason reason)
{
  switch (reason)
    {
    case WINNOW_REJECT_DUPLICATE: return "duplicate";
    case WINNOW_REJECT_MISSING: return "missing";
    case WINNOW_REJECT_BAD_LINE:
    default: return "bad_line";
    }
}

/**
 * winnow_rejects_new:
 * @path: where the file goes (winnow_output_file_rejects_path())
 * @input_path: the task's input, which is never overwritten
 * @replace: whether an existing file at @path may be replaced
 *
 * Creates the file's temporary file beside @path; nothing is written yet.
 *
 * Returns: (transfer full): the file, or %NULL with a WINNOW_OUTPUT_ERROR
 */
WinnowRejects *
winnow_rejects_new (const char *path, const char *input_path, gboolean replace,
                    gunichar delimiter, gboolean crlf, gboolean formula_guard, GError **error)
{
  g_autoptr(WinnowRejects) rejects = g_new0 (WinnowRejects, 1);

  g_return_val_if_fail (path != NULL, NULL);

  rejects->display_name = g_filename_display_name (path);
  rejects->delimiter = delimiter;
  rejects->crlf = crlf;
  rejects->formula_guard = formula_guard;
  winnow_output_file_remove_stale (path);
  rejects->file = winnow_output_file_create (path, input_path, replace, error);
  if (rejects->file == NULL)
    return NULL;
  return g_steal_pointer (&rejects);
}

void
winnow_rejects_free (WinnowRejects *rejects)
{
  if (rejects == NULL)
    return;
  g_clear_pointer (&rejects->writer, winnow_csv_writer_free);
  g_clear_pointer (&rejects->file, winnow_output_file_free);
  g_free (rejects->display_name);
  g_free (rejects);
}

static void
write_text (WinnowCsvWriter *writer, gboolean first, const char *text)
{
  winnow_csv_writer_field (writer, first, text, strlen (text));
}

/**
 * winnow_rejects_begin:
 * @column_names: (element-type utf8): the input's columns, as the reader
 *   names them
 *
 * Starts the file from its beginning (again, for an attempt that reads the
 * input once more) and writes its header.
 */
gboolean
winnow_rejects_begin (WinnowRejects *rejects, GPtrArray *column_names, GError **error)
{
  if (!winnow_output_file_truncate (winnow_rejects_get_file (rejects), error))
    return FALSE;
  g_clear_pointer (&rejects->writer, winnow_csv_writer_free);
  rejects->writer = winnow_csv_writer_new (winnow_output_file_get_fd (rejects->file),
                                           rejects->delimiter, rejects->crlf,
                                           rejects->formula_guard);
  winnow_csv_writer_write_back (rejects->writer, winnow_output_file_get_sync (rejects->file));
  rejects->n_input = column_names->len;
  rejects->rows = 0;
  write_text (rejects->writer, TRUE, "line");
  write_text (rejects->writer, FALSE, "reason");
  write_text (rejects->writer, FALSE, "detail");
  for (guint i = 0; i < column_names->len; i++)
    write_text (rejects->writer, FALSE, g_ptr_array_index (column_names, i));
  winnow_csv_writer_end_row (rejects->writer);
  return TRUE;
}

/**
 * winnow_rejects_add:
 * @line: the input line the row starts on
 * @detail: what the reason is about (see WinnowRejectReason)
 * @raw_start: the row's raw record in @batch (batch->raw_starts[i] or
 *   batch->bad_starts[i])
 *
 * Writes one rejected row. A write error is kept for
 * winnow_rejects_failed() and winnow_rejects_finish().
 */
void
winnow_rejects_add (WinnowRejects *rejects, guint64 line, WinnowRejectReason reason,
                    const char *detail, const WinnowRowBatch *batch, guint32 raw_start)
{
  const guint32 *lengths = winnow_row_batch_raw_lengths (batch, raw_start);
  const char *text = winnow_row_batch_raw_texts (batch, raw_start);
  char number[24];

  g_return_if_fail (batch->n_input == rejects->n_input);

  g_snprintf (number, sizeof number, "%" G_GUINT64_FORMAT, line);
  write_text (rejects->writer, TRUE, number);
  write_text (rejects->writer, FALSE, winnow_reject_reason_to_string (reason));
  write_text (rejects->writer, FALSE, detail);
  for (guint k = 0; k < batch->n_input; k++)
    {
      winnow_csv_writer_field (rejects->writer, FALSE, text, lengths[k]);
      text += lengths[k];
    }
  winnow_csv_writer_end_row (rejects->writer);
  rejects->rows++;
}

/* Has a write failed (a full disk)? Then the task fails: neither file. */
gboolean
winnow_rejects_failed (const WinnowRejects *rejects)
{
  return rejects->writer != NULL && rejects->writer->error_number != 0;
}

/* Writes out what is buffered. */
gboolean
winnow_rejects_finish (WinnowRejects *rejects, GError **error)
{
  if (!winnow_csv_writer_flush (rejects->writer))
    {
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   /* Translators: a file name, then the system's reason */
                   _("could not write %s: %s"), rejects->display_name,
                   g_strerror (rejects->writer->error_number));
      return FALSE;
    }
  return TRUE;
}

/* The temporary file, to commit with the output. */
WinnowOutputFile *
winnow_rejects_get_file (WinnowRejects *rejects)
{
  return rejects->file;
}

/**
 * winnow_rejects_read_preview:
 * @delimiter: the file's delimiter (the recipe's output delimiter)
 * @header: (out) (transfer full): the column names, of char*
 * @rows: (out) (transfer full): up to @max_rows rows, of GStrv
 * @n_rows: (out) (optional): how many rows the file has in all
 *
 * Reads a rejected-rows file back, for a preview: its fields as written
 * (the formula guard's quote included), none of them missing. Blocking:
 * call it on a thread of its own.
 */
gboolean
winnow_rejects_read_preview (const char *path, gunichar delimiter, guint max_rows,
                             GPtrArray **header, GPtrArray **rows, guint64 *n_rows,
                             GCancellable *cancellable, GError **error)
{
  WinnowCsvReaderOptions options = {
    .delimiter = delimiter, .quote = '"', .encoding = "UTF-8", .header = TRUE,
    .bad_lines = WINNOW_BAD_LINES_ERROR, .n_threads = 1,
  };
  g_autoptr(WinnowCsvReader) reader = NULL;
  g_autoptr(WinnowTextSet) no_tokens = winnow_text_set_new (NULL, 0);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree gint *map = NULL;
  WinnowRowBatch *batch;
  guint n;

  g_return_val_if_fail (path != NULL && header != NULL && rows != NULL, FALSE);

  reader = winnow_csv_reader_open (path, &options, cancellable, error);
  if (reader == NULL)
    return FALSE;
  n = winnow_csv_reader_get_n_columns (reader);
  map = g_new (gint, n);
  for (guint i = 0; i < n; i++)
    {
      map[i] = (gint) i;
      g_ptr_array_add (names, g_strdup (winnow_csv_reader_get_column (reader, i)));
    }
  winnow_csv_reader_start (reader, map, n, no_tokens, FALSE);
  while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
    {
      for (guint r = 0; r < batch->n_rows && found->len < max_rows; r++)
        {
          const guint32 *lengths = winnow_row_batch_lengths (batch, r);
          const char *text = winnow_row_batch_texts (batch, r);
          char **row = g_new0 (char *, n + 1);

          for (guint k = 0; k < n; k++)
            {
              gsize length = WINNOW_FIELD_LENGTH (lengths[k]);
              row[k] = g_strndup (text, length);
              text += length;
            }
          g_ptr_array_add (found, row);
        }
      winnow_csv_reader_recycle (reader, batch);
      /* the count needs the whole file; a preview alone does not */
      if (n_rows == NULL && found->len >= max_rows)
        winnow_csv_reader_abort (reader);
    }
  if (!winnow_csv_reader_finish (reader, error))
    return FALSE;
  if (n_rows != NULL)
    *n_rows = winnow_csv_reader_get_rows (reader);
  *header = g_steal_pointer (&names);
  *rows = g_steal_pointer (&found);
  return TRUE;
}
