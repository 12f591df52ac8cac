/* test-output.c: output files appear whole or not at all (docs/BEHAVIOUR.md 8.2):
 * failures and cancels leave nothing, inputs and existing files are safe,
 * stale temporary files are cleaned up. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "winnow-cleaner.h"
#include "winnow-csv-reader.h"
#include "winnow-output-file.h"
#include "winnow-spill-array.h"
#include "winnow-thread-budget.h"
#include "winnow-test-util.h"

static WinnowResult *
clean (const char *input, const char *output, WinnowCleanFlags flags, GCancellable *cancellable,
       WinnowProgressFunc progress, gpointer data, GError **error)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
  return winnow_clean_file (recipe, input, output, flags, progress, data, cancellable, error);
}

/* A CSV of @rows rows, big enough to be cut into several batches. */
static char *
big_csv (guint rows, const char *tail)
{
  GString *s = g_string_new ("id,name,score\n");
  for (guint i = 0; i < rows; i++)
    g_string_append_printf (s, "%u,name %u,%u.5\n", i, i % 1000, i % 97);
  g_string_append (s, tail);
  return g_string_free (s, FALSE);
}

static void
test_failure_leaves_nothing (WinnowTestDir *fixture, gconstpointer data)
{
  /* the error is at the very end, after most rows were written */
  g_autofree char *csv = big_csv (200000, "1,\"never closed\n");
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", csv, -1);
  g_autofree char *output = g_build_filename (fixture->dir, "in.cleaned.csv", NULL);
  g_autoptr(GError) error = NULL;
  WinnowResult *result = clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_QUOTE);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 1);
}

static void
cancel_on_progress (const WinnowProgress *progress, gpointer data)
{
  GCancellable *cancellable = data;
  if (progress->fraction < 1.0)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = big_csv (300000, "");
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", csv, -1);
  g_autofree char *output = g_build_filename (fixture->dir, "in.cleaned.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  WinnowResult *result;

  /* the first progress report comes with the first batch */
  result = clean (input, output, WINNOW_CLEAN_NONE, cancellable, cancel_on_progress, cancellable,
                  &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 1);

  /* cancelled before it starts */
  g_clear_error (&error);
  result = clean (input, output, WINNOW_CLEAN_NONE, cancellable, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 1);
}

static void
test_existing_output (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n1\n", -1);
  g_autofree char *output = winnow_test_write_file (fixture->dir, "out.csv", "precious\n", -1);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  WinnowResult *result = clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);

  g_assert_null (result);
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "already exists"));
  contents = winnow_test_read_file (output);
  g_assert_cmpstr (contents, ==, "precious\n");
  g_clear_error (&error);

  result = clean (input, output, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  winnow_result_free (result);
  g_free (contents);
  contents = winnow_test_read_file (output);
  g_assert_cmpstr (contents, ==, "a\n1\n");
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 2);
}

static void
test_input_is_output (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n1\n", -1);
  g_autofree char *link = g_build_filename (fixture->dir, "link.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (clean (input, input, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_IS_INPUT);
  g_clear_error (&error);
  /* nor through another name */
  g_assert_cmpint (symlink (input, link), ==, 0);
  g_assert_null (clean (input, link, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_IS_INPUT);
  contents = winnow_test_read_file (input);
  g_assert_cmpstr (contents, ==, "a\n1\n1\n");
}

static void
test_symlink_not_followed (WinnowTestDir *fixture, gconstpointer data)
{
  /* replacing an output that is a symlink replaces the link, never the
   * file it points to */
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *victim = winnow_test_write_file (fixture->dir, "victim.txt", "keep me\n", -1);
  g_autofree char *output = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  WinnowResult *result;

  g_assert_cmpint (symlink (victim, output), ==, 0);
  result = clean (input, output, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  winnow_result_free (result);
  contents = winnow_test_read_file (victim);
  g_assert_cmpstr (contents, ==, "keep me\n");
  g_assert_false (g_file_test (output, G_FILE_TEST_IS_SYMLINK));
}

/* A link to a device or a pipe (/dev/stdout is a link to /proc/self/fd/1)
 * is refused, not replaced by a file: it stays a link. */
static void
test_symlink_to_special (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *fifo = g_build_filename (fixture->dir, "pipe", NULL);
  g_autofree char *to_fifo = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *to_device = g_build_filename (fixture->dir, "null.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink (fifo, to_fifo), ==, 0);
  g_assert_cmpint (symlink ("/dev/null", to_device), ==, 0);

  g_assert_null (clean (input, to_fifo, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, "FIFO"));
  g_clear_error (&error);
  g_assert_null (clean (input, to_device, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, "device"));

  /* a link through /proc/self/fd (as /dev/stdout is), whatever the
   * descriptor is open on */
  {
    g_autofree char *to_fd = g_build_filename (fixture->dir, "stdout.csv", NULL);
    g_clear_error (&error);
    g_assert_cmpint (symlink ("/proc/self/fd/1", to_fd), ==, 0);
    g_assert_null (clean (input, to_fd, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error));
    g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
    g_assert_true (g_file_test (to_fd, G_FILE_TEST_IS_SYMLINK));
    g_assert_cmpint (unlink (to_fd), ==, 0);
  }
  g_assert_true (g_file_test (to_fifo, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (to_device, G_FILE_TEST_IS_SYMLINK));
  /* in.csv, the pipe and the two links: no temporary file left */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 4);
}

static void
test_stale_temporary_files (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *output = g_build_filename (fixture->dir, "in.cleaned.csv", NULL);
  g_autofree char *stale = winnow_test_write_file (fixture->dir, ".in.cleaned.csv.winnow-AbC123",
                                                   "half a file", -1);
  g_autofree char *busy = winnow_test_write_file (fixture->dir, ".in.cleaned.csv.winnow-XyZ789",
                                                  "being written", -1);
  g_autofree char *other = winnow_test_write_file (fixture->dir, ".other.csv.winnow-AbC123", "x", -1);
  g_autoptr(GError) error = NULL;
  WinnowResult *result;
  int fd = open (busy, O_RDONLY);

  /* a live writer holds its lock */
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  result = clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  winnow_result_free (result);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (busy, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  close (fd);
}

static void
test_missing_folder (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *output = g_build_filename (fixture->dir, "no", "such", "out.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER);
  g_assert_nonnull (strstr (error->message, "does not exist"));
}

/* An output "folder" that is a file, or lies under one: said so, not
 * "does not exist". */
static void
test_folder_is_a_file (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *file = winnow_test_write_file (fixture->dir, "plain", "x", -1);
  g_autofree char *output = g_build_filename (file, "out.csv", NULL);
  g_autofree char *deeper = g_build_filename (file, "sub", "out.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER);
  g_assert_nonnull (strstr (error->message, "is a file, not a folder"));
  g_clear_error (&error);
  g_assert_null (clean (input, deeper, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER);
  g_assert_nonnull (strstr (error->message, "a part of its path is a file"));
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 2);
}

static void
test_read_only_folder (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *folder = g_build_filename (fixture->dir, "ro", NULL);
  g_autofree char *output = g_build_filename (folder, "out.csv", NULL);
  g_autoptr(GError) error = NULL;

  if (getuid () == 0)
    {
      g_test_skip ("root writes in read-only folders");
      return;
    }
  g_mkdir (folder, 0555);
  g_assert_null (clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER);
  g_assert_cmpuint (winnow_test_count_files (folder), ==, 0);
}

static void
test_permissions (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (fixture->dir, "in.csv", "a\n1\n", -1);
  g_autofree char *output = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autoptr(GError) error = NULL;
  WinnowResult *result;
  struct stat st;
  mode_t mask = umask (022);

  umask (mask);
  result = clean (input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  winnow_result_free (result);
  g_assert_cmpint (stat (output, &st), ==, 0);
  /* like any new file, not the 0600 of the temporary one */
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
}

static void
test_default_path (void)
{
  /* the input's extension while the output keeps its delimiter */
  g_autofree char *a = winnow_output_file_default_path ("/data/customers.csv", NULL, 0);
  g_autofree char *b = winnow_output_file_default_path ("/data/sales.2024.tsv", "/out", 0);
  g_autofree char *c = winnow_output_file_default_path ("/data/README", NULL, 0);
  g_autofree char *d = winnow_output_file_default_path ("/data/export.TXT", NULL, 0);
  g_autofree char *e = winnow_output_file_default_path ("/data/trailing.", NULL, 0);
  /* else what the delimiter says */
  g_autofree char *f = winnow_output_file_default_path ("/data/sales.tsv", NULL, ',');
  g_autofree char *g = winnow_output_file_default_path ("/data/sales.csv", NULL, '\t');
  g_autofree char *h = winnow_output_file_default_path ("/data/sales.tsv", NULL, ';');

  g_assert_cmpstr (a, ==, "/data/customers.cleaned.csv");
  g_assert_cmpstr (b, ==, "/out/sales.2024.cleaned.tsv");
  g_assert_cmpstr (c, ==, "/data/README.cleaned.csv");
  g_assert_cmpstr (d, ==, "/data/export.cleaned.TXT");
  g_assert_cmpstr (e, ==, "/data/trailing.cleaned.csv");
  g_assert_cmpstr (f, ==, "/data/sales.cleaned.csv");
  g_assert_cmpstr (g, ==, "/data/sales.cleaned.tsv");
  g_assert_cmpstr (h, ==, "/data/sales.cleaned.csv");
}


/* Holes filled in place (winnow_output_file_fill_holes()) give the bytes
 * of the file written whole with its values: holes dense and sparse, some
 * with nothing to insert, one at the very end, values of two lengths
 * (with @big, also values larger than the pass's buffer and its blocks).
 * The file's bytes are random, so a byte that lands in the wrong place
 * shows. */
static void
check_fill_holes (const char *dir, guint seed, gsize size, guint hole_every, gboolean big)
{
  g_autofree char *path = g_build_filename (dir, "holes.csv", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) written = g_byte_array_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GArray) holes = g_array_new (FALSE, FALSE, sizeof (WinnowOutputHole));
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GByteArray *values[5];
  WinnowHoleValue hole_values[5] = { { NULL, 0 } };
  WinnowOutputFile *file;
  guint64 inserted;
  gsize length;

  values[0] = g_byte_array_new ();
  g_byte_array_append (values[0], (const guint8 *) "48.5", 4);
  values[1] = g_byte_array_new ();
  g_byte_array_append (values[1], (const guint8 *) "50123.456789012345", 18);
  values[2] = NULL;  /* a column with no value: the hole stays empty */
  for (guint v = 3; v < G_N_ELEMENTS (values); v++)
    {
      values[v] = g_byte_array_new ();
      g_byte_array_set_size (values[v], v == 3 ? 300u << 10 : 1536u << 10);
      for (guint i = 0; i < values[v]->len; i++)
        values[v]->data[i] = (guint8) g_rand_int_range (rand, 0, 256);
    }
  while (written->len < size)
    {
      char c = (char) g_rand_int_range (rand, 0, 256);

      if (g_rand_int_range (rand, 0, (gint32) hole_every) == 0)
        {
          WinnowOutputHole hole = { written->len, (guint) g_rand_int_range (rand, 0, big ? 5 : 3) };
          g_array_append_val (holes, hole);
          if (values[hole.value] != NULL)
            g_string_append_len (expected, (const char *) values[hole.value]->data,
                                 values[hole.value]->len);
        }
      g_byte_array_append (written, (const guint8 *) &c, 1);
      g_string_append_c (expected, c);
    }
  {
    WinnowOutputHole last = { written->len, 1 };
    g_array_append_val (holes, last);
    g_string_append_len (expected, (const char *) values[1]->data, values[1]->len);
  }

  file = winnow_output_file_create (path, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (winnow_output_file_get_fd (file), written->data, written->len), ==,
                   (gssize) written->len);
  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    if (values[v] != NULL)
      hole_values[v] = (WinnowHoleValue) { values[v]->data, values[v]->len };
  g_assert_true (winnow_output_file_fill_holes (file, written->len,
                                                (const WinnowOutputHole *) holes->data,
                                                holes->len, hole_values, &inserted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inserted, ==, expected->len - written->len);
  g_assert_true (winnow_output_file_commit (file, &error));
  g_assert_no_error (error);
  winnow_output_file_free (file);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, expected->len);
  g_assert_true (memcmp (contents, expected->str, length) == 0);
  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    g_clear_pointer (&values[v], g_byte_array_unref);
}

static void
test_fill_holes (WinnowTestDir *fixture, gconstpointer data)
{
  /* in one part, in two parts at once (the second on a thread of its
   * own), and as the default chooses */
  static const gint modes[] = { 0, 1, -1 };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      gint mode = modes[m];
      guint split_before = winnow_output_file_get_split_fills ();

      winnow_output_file_set_split (mode);
      /* the pass reads 256 KiB blocks and writes up to 1,024 pieces at
       * once: files smaller and larger than a block, holes every few bytes
       * (many writes a block) and far
       * apart; with holes every 3 bytes, the bytes inserted before the
       * middle outnumber those after it, so the first part's writes cover
       * all of the second part's bytes */
      for (guint seed = 1; seed < 5; seed++)
        check_fill_holes (fixture->dir, seed, 200000 + seed * 37000, seed % 2 ? 7 : 3000, FALSE);
      check_fill_holes (fixture->dir, 5, 6u << 20, 3, FALSE);
      check_fill_holes (fixture->dir, 6, 6u << 20, 50000, FALSE);
      check_fill_holes (fixture->dir, 7, 8u << 20, 100000, TRUE);
      if (mode == 0)
        g_assert_cmpuint (winnow_output_file_get_split_fills (), ==, split_before);
      else if (mode == 1)
        g_assert_cmpuint (winnow_output_file_get_split_fills (), ==, split_before + 7);
      else if (winnow_thread_budget_get_capacity (winnow_thread_budget_get_default ()) >= 2)
        /* past 4 MiB to move, with room for a second thread */
        g_assert_cmpuint (winnow_output_file_get_split_fills (), >=, split_before + 2);
    }
  winnow_output_file_set_split (-1);
}

/* Appends @n records (a counter and its square) in batches of 1 to 97. */
static gboolean
spill_records (WinnowSpillArray *array, guint64 n, GError **error)
{
  guint64 batch[97][2];
  guint64 i = 0;

  while (i < n)
    {
      guint64 k = MIN (n - i, 1 + i % 97);

      for (guint64 j = 0; j < k; j++)
        {
          batch[j][0] = i + j;
          batch[j][1] = (i + j) * (i + j);
        }
      if (!winnow_spill_array_append (array, batch, k, error))
        return FALSE;
      i += k;
    }
  return TRUE;
}

static void
assert_records (WinnowSpillArray *array, guint64 n)
{
  const guint64 *records = (const guint64 *) array->data;

  g_assert_cmpuint (array->len, ==, n);
  for (guint64 i = 0; i < n; i++)
    if (records[2 * i] != i || records[2 * i + 1] != i * i)
      g_error ("record %" G_GUINT64_FORMAT " is wrong", i);
}

/* The holes' places: in memory up to their limit, then in an unlinked
 * file beside the output, grown several times (5 MiB of records past the
 * first 1 MiB step), and the same records either way; a folder that
 * cannot take the file keeps them in memory. */
static void
test_spill_array (WinnowTestDir *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  guint64 n = (5u << 20) / 16;

  {
    g_autoptr(WinnowSpillArray) array = winnow_spill_array_new (16, 4096, f->dir, "test records");
    g_assert_true (spill_records (array, 100, &error));
    g_assert_false (winnow_spill_array_in_file (array));
    g_assert_true (spill_records (array, n - 100, &error));
    g_assert_no_error (error);
    g_assert_true (winnow_spill_array_in_file (array));
    g_assert_cmpuint (array->len, ==, n);
    /* the records from before the move are still there, first */
    array->len = 100;
    assert_records (array, 100);
  }
  {
    g_autoptr(WinnowSpillArray) array = winnow_spill_array_new (16, 4096, f->dir, "test records");
    g_assert_true (spill_records (array, n, &error));
    g_assert_true (winnow_spill_array_in_file (array));
    assert_records (array, n);
  }
  /* the file is gone with the array: nothing left in the folder */
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
  {
    g_autofree char *missing = g_build_filename (f->dir, "no such folder", NULL);
    g_autoptr(WinnowSpillArray) array = winnow_spill_array_new (16, 4096, missing, "test records");
    g_assert_true (spill_records (array, 10000, &error));
    g_assert_false (winnow_spill_array_in_file (array));
    assert_records (array, 10000);
  }
}

/* A disk that cannot take the records: the append fails with a message,
 * never a SIGBUS at a write into the mapping. */
static void
test_spill_array_full (WinnowTestDir *f, gconstpointer data)
{
  if (g_test_subprocess ())
    {
      struct rlimit limit = { 3 << 20, 3 << 20 };
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowSpillArray) array = winnow_spill_array_new (16, 4096, f->dir, "test records");

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (spill_records (array, (8u << 20) / 16, &error));
      g_assert_nonnull (error);
      g_print ("%s\n", error->message);
      g_assert_true (winnow_spill_array_in_file (array));
      assert_records (array, array->len);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*could not keep test records in*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/output/failure-leaves-nothing", test_failure_leaves_nothing);
  ADD ("/output/cancel", test_cancel);
  ADD ("/output/existing", test_existing_output);
  ADD ("/output/input-is-output", test_input_is_output);
  ADD ("/output/symlink-not-followed", test_symlink_not_followed);
  ADD ("/output/symlink-to-special", test_symlink_to_special);
  ADD ("/output/stale-temporary-files", test_stale_temporary_files);
  ADD ("/output/missing-folder", test_missing_folder);
  ADD ("/output/folder-is-a-file", test_folder_is_a_file);
  ADD ("/output/read-only-folder", test_read_only_folder);
  ADD ("/output/permissions", test_permissions);
  ADD ("/output/fill-holes", test_fill_holes);
  ADD ("/output/spill-array", test_spill_array);
  ADD ("/output/spill-array/full", test_spill_array_full);
#undef ADD
  g_test_add_func ("/output/default-path", test_default_path);

  return g_test_run ();
}
