/* winnow-test-util.c: see winnow-test-util.h. */
#include "config.h"

#include "winnow-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#include "winnow-cleaner.h"

void
winnow_test_dir_setup (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  fixture->dir = g_dir_make_tmp ("winnow-test-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      g_chmod (path, 0700);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_rmdir (path);
    }
}

void
winnow_test_dir_teardown (WinnowTestDir *fixture, gconstpointer data)
{
  /* a task database a test kept beside the folder */
  static const char * const suffixes[] = { ".db", ".db-wal", ".db-shm" };
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *beside = g_strconcat (fixture->dir, suffixes[i], NULL);
      g_unlink (beside);
    }
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Returns: (transfer full): the path of the new file */
char *
winnow_test_write_file (const char *dir, const char *name, const char *contents, gssize length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

char *
winnow_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Everything in @dir, hidden files (temporary outputs) included. */
guint
winnow_test_count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/**
 * winnow_test_clean:
 *
 * Runs @recipe_json over @input in a fresh folder.
 *
 * Returns: (transfer full) (nullable): the output's contents, or %NULL and
 *   @error
 */
char *
winnow_test_clean (const char *recipe_json, const char *input, gssize input_length,
                   WinnowResult **result, GError **error)
{
  WinnowTestDir dir;
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  WinnowResult *r;
  char *contents = NULL;

  recipe = winnow_recipe_new_from_json (recipe_json, -1, error);
  if (recipe == NULL)
    return NULL;
  winnow_test_dir_setup (&dir, NULL);
  in = winnow_test_write_file (dir.dir, "input.csv", input, input_length);
  out = g_build_filename (dir.dir, "input.cleaned.csv", NULL);
  r = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, NULL, NULL, NULL, error);
  if (r != NULL)
    {
      contents = winnow_test_read_file (out);
      g_assert_cmpuint (winnow_test_count_files (dir.dir), ==, 2);
    }
  else
    /* nothing written, nothing left behind */
    g_assert_cmpuint (winnow_test_count_files (dir.dir), ==, 1);
  if (result != NULL)
    *result = r;
  else if (r != NULL)
    winnow_result_free (r);
  winnow_test_dir_teardown (&dir, NULL);
  return contents;
}

void
winnow_test_assert_clean (const char *recipe_json, const char *input, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = winnow_test_clean (recipe_json, input, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (output, ==, expected);
}

/* Process @pid's state letter and start time, as /proc/PID/stat says
 * (after the name in parentheses, which may hold anything; the start
 * time is field 22). */
gboolean
winnow_test_process_stat (const char *pid, char *state, guint64 *start)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  const char *p;
  guint field = 3;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL ||
      p[1] != ' ')
    return FALSE;
  *state = p[2];
  for (p += 2; *p != '\0' && field < 22; p++)
    field += *p == ' ';
  *start = g_ascii_strtoull (p, NULL, 10);
  return field == 22;
}

/* Iterates the default main context until @done says so, failing after
 * @seconds; wakes every 10 ms to look, so that a condition set by another
 * thread is seen. */
void
winnow_test_iterate_until (gboolean (*done) (gpointer data), gpointer data, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_autoptr(GSource) tick = g_timeout_source_new (10);
      g_source_set_dummy_callback (tick);
      g_source_attach (tick, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (tick);
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting");
    }
}

void
winnow_test_gate_init (WinnowTestGate *gate)
{
  memset (gate, 0, sizeof *gate);
  g_mutex_init (&gate->lock);
  g_cond_init (&gate->cond);
}

void
winnow_test_gate_clear (WinnowTestGate *gate)
{
  g_cond_clear (&gate->cond);
  g_mutex_clear (&gate->lock);
}

/* On the worker thread: says it is there, and waits until the gate opens. */
void
winnow_test_gate_pass (WinnowTestGate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->entered = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

/* A condition for winnow_test_iterate_until(): a thread waits at @gate. */
gboolean
winnow_test_gate_entered (gpointer data)
{
  WinnowTestGate *gate = data;
  gboolean entered;

  g_mutex_lock (&gate->lock);
  entered = gate->entered;
  g_mutex_unlock (&gate->lock);
  return entered;
}

void
winnow_test_gate_open (WinnowTestGate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

/**
 * winnow_test_read_rows:
 * @trim: fields trimmed (the recipe's trim_whitespace)
 *
 * Every row @path holds as "line|field|field…" (missing fields, "" and NA,
 * as ∅), then the rows and bad lines counted and the bad lines listed; or
 * the error, without the rows before it. Each column kept.
 */
char *
winnow_test_read_rows (const char *path, const WinnowCsvReaderOptions *options, gboolean trim)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowCsvReader) reader = winnow_csv_reader_open (path, options, NULL, &error);
  g_autoptr(WinnowTextSet) na = NULL;
  g_autofree gint *map = NULL;
  GString *out = g_string_new (NULL);
  WinnowRowBatch *batch;
  guint n;
  guint64 expected_row = 0;
  const GArray *bad;

  if (reader == NULL)
    {
      g_string_append_printf (out, "open error: %s", error->message);
      return g_string_free (out, FALSE);
    }
  n = winnow_csv_reader_get_n_columns (reader);
  map = g_new (gint, n);
  for (guint i = 0; i < n; i++)
    map[i] = (gint) i;
  na = winnow_text_set_new ((const char *[]) { "", "NA" }, 2);
  winnow_csv_reader_start (reader, map, n, na, trim);

  while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
    {
      g_assert_cmpuint (batch->first_row, ==, expected_row);
      expected_row += batch->n_rows;
      for (guint r = 0; r < batch->n_rows; r++)
        {
          const guint32 *lengths = winnow_row_batch_lengths (batch, r);
          const char *text = winnow_row_batch_texts (batch, r);

          g_string_append_printf (out, "%" G_GUINT64_FORMAT, batch->lines[r]);
          for (guint k = 0; k < n; k++)
            {
              gsize length = WINNOW_FIELD_LENGTH (lengths[k]);
              g_string_append_c (out, '|');
              if (lengths[k] & WINNOW_FIELD_MISSING)
                g_string_append (out, "∅");
              else
                g_string_append_len (out, text, (gssize) length);
              text += length;
            }
          g_string_append_c (out, '\n');
        }
      winnow_csv_reader_recycle (reader, batch);
    }
  if (!winnow_csv_reader_finish (reader, &error))
    {
      /* what came before an error does not count */
      g_string_printf (out, "error: %s\n", error->message);
      return g_string_free (out, FALSE);
    }
  else
    g_string_append_printf (out, "rows %" G_GUINT64_FORMAT " bad %" G_GUINT64_FORMAT "\n",
                            winnow_csv_reader_get_rows (reader),
                            winnow_csv_reader_get_bad_lines (reader));
  bad = winnow_csv_reader_get_bad_line_list (reader);
  for (guint i = 0; i < bad->len; i++)
    g_string_append_printf (out, "bad line %" G_GUINT64_FORMAT " (%u)\n",
                            g_array_index (bad, WinnowBadLine, i).line,
                            g_array_index (bad, WinnowBadLine, i).fields);
  return g_string_free (out, FALSE);
}
