/* winnow-sample.c: the first rows of a file, kept as a small CSV file. */
#include "config.h"

#include "winnow-sample.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "winnow-cleaner.h"
#include "winnow-csv-reader.h"
#include "winnow-csv-writer.h"
#include "winnow-text-set.h"

struct _WinnowSample {
  char *dir;            /* private temporary folder */
  char *path;           /* dir/sample.csv: header + rows, UTF-8, comma */
  GPtrArray *columns;   /* of char* */
  guint64 n_rows;
  gboolean whole_file;
  gunichar delimiter;
  char *encoding;
  guint64 bad_lines;
  guint64 file_size;
};

static WinnowCsvReaderOptions
reader_options (const WinnowRecipe *recipe, const char *encoding)
{
  WinnowCsvReaderOptions options = {
    .delimiter = recipe->delimiter,
    .quote = recipe->quote,
    .encoding = encoding,
    .header = recipe->header,
    .bad_lines = recipe->bad_lines,
    .n_threads = 1,
  };
  return options;
}

static void
write_row (WinnowCsvWriter *writer, const WinnowRowBatch *batch, guint row)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, row);
  const char *text = winnow_row_batch_texts (batch, row);

  for (guint k = 0; k < batch->n_columns; k++)
    {
      gsize length = WINNOW_FIELD_LENGTH (lengths[k]);
      if (batch->n_columns == 1 && length == 0)
        winnow_csv_writer_empty_row (writer);
      else
        winnow_csv_writer_field (writer, k == 0, text, length);
      text += length;
    }
  winnow_csv_writer_end_row (writer);
}

/* Reads up to @max_rows rows into @sample->path; FALSE with @error set
 * when the file cannot be read that far. */
static gboolean
read_rows (WinnowSample *sample, const char *path, const WinnowRecipe *recipe,
           gboolean fall_back, guint max_rows, GCancellable *cancellable, GError **error)
{
  WinnowCsvReaderOptions options = reader_options (recipe, recipe->encoding);
  g_autoptr(WinnowCsvReader) reader = NULL;
  g_autoptr(WinnowTextSet) no_tokens = winnow_text_set_new (NULL, 0);
  g_autofree gint *map = NULL;
  g_autoptr(GError) read_error = NULL;
  WinnowCsvWriter *writer;
  WinnowRowBatch *batch;
  guint n;
  int fd;
  gboolean ok = TRUE;

  if (fall_back)
    winnow_csv_reader_options_fall_back (&options);
  reader = winnow_csv_reader_open (path, &options, cancellable, error);
  if (reader == NULL)
    return FALSE;
  n = winnow_csv_reader_get_n_columns (reader);
  map = g_new (gint, n);
  g_ptr_array_set_size (sample->columns, 0);
  for (guint i = 0; i < n; i++)
    {
      map[i] = (gint) i;
      g_ptr_array_add (sample->columns, g_strdup (winnow_csv_reader_get_column (reader, i)));
    }
  sample->delimiter = winnow_csv_reader_get_delimiter (reader);
  g_free (sample->encoding);
  sample->encoding = g_strdup (winnow_csv_reader_get_encoding (reader));
  sample->file_size = winnow_csv_reader_get_size (reader);

  fd = g_open (sample->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a file name, then the system's reason */
                   _("cannot write a sample of %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  writer = winnow_csv_writer_new (fd, ',', FALSE, FALSE);
  for (guint i = 0; i < n; i++)
    {
      const char *name = g_ptr_array_index (sample->columns, i);
      if (n == 1 && name[0] == '\0')
        winnow_csv_writer_empty_row (writer);
      else
        winnow_csv_writer_field (writer, i == 0, name, strlen (name));
    }
  winnow_csv_writer_end_row (writer);

  sample->n_rows = 0;
  sample->whole_file = FALSE;
  winnow_csv_reader_start (reader, map, n, no_tokens, FALSE);
  while (sample->n_rows < max_rows && (batch = winnow_csv_reader_next_batch (reader)) != NULL)
    {
      for (guint r = 0; r < batch->n_rows && sample->n_rows < max_rows; r++, sample->n_rows++)
        write_row (writer, batch, r);
      winnow_csv_reader_recycle (reader, batch);
    }
  if (sample->n_rows < max_rows)
    {
      /* the reader ran out of rows: the end of the file, or an error */
      ok = winnow_csv_reader_finish (reader, &read_error);
      sample->whole_file = ok;
    }
  else
    winnow_csv_reader_abort (reader);
  sample->bad_lines = winnow_csv_reader_get_bad_lines (reader);
  if (!winnow_csv_writer_flush (writer) && ok)
    {
      g_set_error (&read_error, G_IO_ERROR, g_io_error_from_errno (writer->error_number),
                   _("cannot write a sample of %s: %s"), path, g_strerror (writer->error_number));
      ok = FALSE;
    }
  winnow_csv_writer_free (writer);
  close (fd);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&read_error));
  return ok;
}

/**
 * winnow_sample_read:
 * @recipe: its input settings say how to read the file
 * @max_rows: how many data rows to keep, at most
 *
 * Returns: (transfer full): the sample, or %NULL with @error set: an
 *   error in what it reads (the first @max_rows rows, and perhaps a few
 *   more of the same block) is an error of the sample, since a task would
 *   fail on it too
 */
WinnowSample *
winnow_sample_read (const char *path, const WinnowRecipe *recipe, guint max_rows,
                    GCancellable *cancellable, GError **error)
{
  g_autoptr(WinnowSample) sample = g_atomic_rc_box_new0 (WinnowSample);
  g_autoptr(GError) local_error = NULL;

  sample->columns = g_ptr_array_new_with_free_func (g_free);
  sample->dir = g_dir_make_tmp ("winnow-sample-XXXXXX", error);
  if (sample->dir == NULL)
    return NULL;
  sample->path = g_build_filename (sample->dir, "sample.csv", NULL);

  if (read_rows (sample, path, recipe, FALSE, max_rows, cancellable, &local_error))
    return g_steal_pointer (&sample);
  /* as a task does: "auto" that meets bytes that are not UTF-8 reads the
   * file again as Windows-1252 */
  if (g_error_matches (local_error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_NOT_UTF8))
    {
      g_clear_error (&local_error);
      if (read_rows (sample, path, recipe, TRUE, max_rows, cancellable, &local_error))
        {
          g_free (sample->encoding);
          sample->encoding = g_strdup ("Windows-1252");
          return g_steal_pointer (&sample);
        }
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
sample_clear (gpointer data)
{
  WinnowSample *sample = data;

  if (sample->path != NULL)
    g_unlink (sample->path);
  if (sample->dir != NULL)
    g_rmdir (sample->dir);
  g_free (sample->dir);
  g_free (sample->path);
  g_ptr_array_unref (sample->columns);
  g_free (sample->encoding);
}

/* A sample is shared by the threads that clean it. */
WinnowSample *
winnow_sample_ref (WinnowSample *sample)
{
  return g_atomic_rc_box_acquire (sample);
}

/* Drops a reference; the last one removes the sample's files. */
void
winnow_sample_unref (WinnowSample *sample)
{
  if (sample != NULL)
    g_atomic_rc_box_release_full (sample, sample_clear);
}

guint
winnow_sample_get_n_columns (const WinnowSample *sample)
{
  return sample->columns->len;
}

const char *
winnow_sample_get_column (const WinnowSample *sample, guint column)
{
  g_return_val_if_fail (column < sample->columns->len, NULL);
  return g_ptr_array_index (sample->columns, column);
}

/* Returns: (transfer none): the column names, of char* */
GPtrArray *
winnow_sample_get_columns (const WinnowSample *sample)
{
  return sample->columns;
}

guint64
winnow_sample_get_n_rows (const WinnowSample *sample)
{
  return sample->n_rows;
}

/* Did the sample reach the end of the file? */
gboolean
winnow_sample_is_whole_file (const WinnowSample *sample)
{
  return sample->whole_file;
}

gunichar
winnow_sample_get_delimiter (const WinnowSample *sample)
{
  return sample->delimiter;
}

const char *
winnow_sample_get_encoding (const WinnowSample *sample)
{
  return sample->encoding;
}

/* Lines skipped or warned about within the sample. */
guint64
winnow_sample_get_bad_lines (const WinnowSample *sample)
{
  return sample->bad_lines;
}

guint64
winnow_sample_get_file_size (const WinnowSample *sample)
{
  return sample->file_size;
}

/**
 * winnow_sample_clean:
 * @recipe: what to do; its input settings are the sample's own
 * @profile_only: run no step, for the column profile of the sample as read
 *   with @recipe's NA tokens and trimming
 *
 * Runs the cleaner over the sample. Safe to call from several threads.
 *
 * Returns: (transfer full): the result, or %NULL with @error set (a column
 *   the recipe names that the file does not have, say)
 */
WinnowResult *
winnow_sample_clean (const WinnowSample *sample, const WinnowRecipe *recipe, gboolean profile_only,
                     GCancellable *cancellable, GError **error)
{
  static gint counter;
  g_autoptr(WinnowRecipe) copy = NULL;
  g_autofree char *name = g_strdup_printf ("out-%d.csv", g_atomic_int_add (&counter, 1));
  g_autofree char *output = g_build_filename (sample->dir, name, NULL);
  WinnowResult *result;

  if (profile_only)
    {
      copy = winnow_recipe_new ();
      g_ptr_array_set_size (copy->na_values, 0);
      for (guint i = 0; i < recipe->na_values->len; i++)
        g_ptr_array_add (copy->na_values, g_strdup (g_ptr_array_index (recipe->na_values, i)));
      copy->trim_whitespace = recipe->trim_whitespace;
    }
  else
    copy = winnow_recipe_copy (recipe);
  copy->delimiter = ',';
  copy->quote = '"';
  copy->rejects = FALSE;  /* the estimate counts rows; it writes no sidecar */
  g_free (copy->encoding);
  copy->encoding = g_strdup ("UTF-8");
  copy->header = TRUE;
  copy->bad_lines = WINNOW_BAD_LINES_ERROR;

  result = winnow_clean_file (copy, sample->path, output, WINNOW_CLEAN_REPLACE, NULL, NULL,
                              cancellable, error);
  g_unlink (output);
  return result;
}

/**
 * winnow_read_header:
 *
 * Returns: (transfer full): the column names of @path as a task would
 *   read them, of char*; %NULL with @error set
 */
GPtrArray *
winnow_read_header (const char *path, const WinnowRecipe *recipe, GError **error)
{
  WinnowCsvReaderOptions options = reader_options (recipe, recipe->encoding);
  g_autoptr(WinnowCsvReader) reader = NULL;
  GPtrArray *names;

  reader = winnow_csv_reader_open_or_fall_back (path, &options, NULL, error);
  if (reader == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < winnow_csv_reader_get_n_columns (reader); i++)
    g_ptr_array_add (names, g_strdup (winnow_csv_reader_get_column (reader, i)));
  return names;
}
