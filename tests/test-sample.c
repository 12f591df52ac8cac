/* test-sample.c: the configuration dialog's sample of a file, and the
 * cleaner run over it (src/engine/winnow-sample.c). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "winnow-cleaner.h"
#include "winnow-csv-reader.h"
#include "winnow-sample.h"
#include "winnow-test-util.h"

static const char customers[] =
  "id;name;age;city\n"
  "1;Ann;34;Paris\n"
  "2;Bob;;Lyon\n"
  "1;Ann;34;Paris\n"
  "3;Cy;41;NA\n"
  ";;;\n"
  "4;Dee;29;Nice\n";

static WinnowRecipe *
recipe_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  WinnowRecipe *recipe = winnow_recipe_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  return recipe;
}

static void
test_columns_and_rows (WinnowTestDir *f, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (f->dir, "c.csv", customers, -1);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowSample) sample = winnow_sample_read (path, recipe, 100, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (winnow_sample_get_n_columns (sample), ==, 4);
  g_assert_cmpstr (winnow_sample_get_column (sample, 0), ==, "id");
  g_assert_cmpstr (winnow_sample_get_column (sample, 3), ==, "city");
  g_assert_cmpuint (winnow_sample_get_n_rows (sample), ==, 6);
  g_assert_true (winnow_sample_is_whole_file (sample));
  g_assert_cmpint (winnow_sample_get_delimiter (sample), ==, ';');
  g_assert_cmpstr (winnow_sample_get_encoding (sample), ==, "UTF-8");
  g_assert_cmpuint (winnow_sample_get_file_size (sample), ==, strlen (customers));
}

/* The profile: types and missing counts as the recipe's NA tokens say. */
static void
test_profile (WinnowTestDir *f, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (f->dir, "c.csv", customers, -1);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(WinnowRecipe) no_na = recipe_from ("{\"winnow_recipe\": 1,"
                                               " \"input\": {\"na_values\": [\"\"]}}");
  g_autoptr(WinnowSample) sample = winnow_sample_read (path, recipe, 100, NULL, NULL);
  g_autoptr(WinnowResult) result = NULL;
  g_autoptr(WinnowResult) other = NULL;
  WinnowColumnProfile *age, *city;

  g_assert_nonnull (sample);
  result = winnow_sample_clean (sample, recipe, TRUE, NULL, NULL);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->rows_read, ==, 6);
  g_assert_cmpuint (result->rows_written, ==, 6);
  g_assert_cmpuint (result->columns->len, ==, 4);
  age = g_ptr_array_index (result->columns, 2);
  city = g_ptr_array_index (result->columns, 3);
  g_assert_cmpint (age->type, ==, WINNOW_COLUMN_INTEGER);
  g_assert_cmpuint (age->missing_before, ==, 2);
  g_assert_cmpint (city->type, ==, WINNOW_COLUMN_TEXT);
  g_assert_cmpuint (city->missing_before, ==, 2); /* "NA" and "" */

  /* only "" is missing: "NA" is a city */
  other = winnow_sample_clean (sample, no_na, TRUE, NULL, NULL);
  city = g_ptr_array_index (other->columns, 3);
  g_assert_cmpuint (city->missing_before, ==, 1);
}

/* What the dialog promises is what a task does to the same rows. */
static void
test_estimate_matches_task (WinnowTestDir *f, gconstpointer data)
{
  const char *json = "{\"winnow_recipe\": 1, \"drop_duplicates\": {}, \"drop_missing\": {\"how\": \"all\"},"
                     " \"fill\": [{\"column\": \"age\", \"strategy\": \"median\"}]}";
  g_autoptr(WinnowRecipe) recipe = recipe_from (json);
  g_autoptr(GString) big = g_string_new ("id,name,age\n");
  g_autoptr(GString) head = g_string_new ("id,name,age\n");
  g_autofree char *path = NULL;
  g_autofree char *head_path = NULL;
  g_autofree char *out = g_build_filename (f->dir, "head.cleaned.csv", NULL);
  g_autoptr(WinnowSample) sample = NULL;
  g_autoptr(WinnowResult) estimate = NULL;
  g_autoptr(WinnowResult) task = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *line = NULL;
      if (i % 7 == 0)
        line = g_strdup (",,\n");
      else if (i % 5 == 0)
        line = g_strdup_printf ("%u,\"name, %u\",\n", i % 40, i % 40);
      else
        line = g_strdup_printf ("%u,\"name, %u\",%u\n", i % 40, i % 40, i % 13);
      g_string_append (big, line);
      if (i < 1000)
        g_string_append (head, line);
    }
  path = winnow_test_write_file (f->dir, "big.csv", big->str, (gssize) big->len);
  head_path = winnow_test_write_file (f->dir, "head.csv", head->str, (gssize) head->len);

  sample = winnow_sample_read (path, recipe, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (winnow_sample_get_n_rows (sample), ==, 1000);
  g_assert_false (winnow_sample_is_whole_file (sample));
  estimate = winnow_sample_clean (sample, recipe, FALSE, NULL, &error);
  g_assert_no_error (error);
  task = winnow_clean_file (recipe, head_path, out, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (estimate->rows_read, ==, 1000);
  g_assert_cmpuint (estimate->counts[WINNOW_STEP_DROP_DUPLICATES], >, 0);
  g_assert_cmpuint (estimate->counts[WINNOW_STEP_DROP_DUPLICATES], ==, task->counts[WINNOW_STEP_DROP_DUPLICATES]);
  g_assert_cmpuint (estimate->counts[WINNOW_STEP_DROP_MISSING], ==, task->counts[WINNOW_STEP_DROP_MISSING]);
  g_assert_cmpuint (estimate->counts[WINNOW_STEP_FILL], ==, task->counts[WINNOW_STEP_FILL]);
  g_assert_cmpuint (estimate->rows_written, ==, task->rows_written);
}

/* Windows-1252 is found in the sample as a task finds it. */
static void
test_windows_1252 (WinnowTestDir *f, gconstpointer data)
{
  const char bytes[] = "id,caf\xe9\n1,cr\xe8me\n";
  g_autofree char *path = winnow_test_write_file (f->dir, "w.csv", bytes, -1);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowSample) sample = winnow_sample_read (path, recipe, 100, NULL, &error);
  g_autoptr(GPtrArray) header = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (winnow_sample_get_encoding (sample), ==, "Windows-1252");
  g_assert_cmpstr (winnow_sample_get_column (sample, 1), ==, "café");
  header = winnow_read_header (path, recipe, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (header->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (header, 1), ==, "café");
  g_clear_pointer (&header, g_ptr_array_unref);
  g_clear_pointer (&sample, winnow_sample_unref);

  /* a UTF-8 BOM is not read as "ï»¿" in front of the first name */
  g_free (path);
  path = winnow_test_write_file (f->dir, "b.csv", "\xEF\xBB\xBF" "id,caf\xe9\n1,2\n", -1);
  sample = winnow_sample_read (path, recipe, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (winnow_sample_get_encoding (sample), ==, "Windows-1252");
  g_assert_cmpstr (winnow_sample_get_column (sample, 0), ==, "id");
  header = winnow_read_header (path, recipe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "id");
}

/* A bad line in what the sample reads is the sample's error, with its
 * line: the task would fail on it, and the dialog says so up front. */
static void
test_bad_lines (WinnowTestDir *f, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (f->dir, "b.csv", "a,b\n1,2\n3,4\n5,6,7\n", -1);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(WinnowRecipe) skip = recipe_from ("{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"skip\"}}");
  g_autoptr(WinnowSample) skipping = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (winnow_sample_read (path, recipe, 100, NULL, &error));
  g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_FIELDS);
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_clear_error (&error);

  g_assert_null (winnow_sample_read (path, recipe, 2, NULL, &error));
  g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_FIELDS);
  g_clear_error (&error);

  skipping = winnow_sample_read (path, skip, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (winnow_sample_get_n_rows (skipping), ==, 2);
  g_assert_cmpuint (winnow_sample_get_bad_lines (skipping), ==, 1);
}

/* A recipe naming a column the file lacks: the estimate says which. */
static void
test_unknown_column (WinnowTestDir *f, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (f->dir, "c.csv", customers, -1);
  g_autoptr(WinnowRecipe) plain = winnow_recipe_new ();
  g_autoptr(WinnowRecipe) recipe = recipe_from ("{\"winnow_recipe\": 1, \"drop_columns\": [\"zip\"]}");
  g_autoptr(WinnowSample) sample = winnow_sample_read (path, plain, 100, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (winnow_sample_clean (sample, recipe, FALSE, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "zip"));
}

/* Freeing the sample leaves no file behind. */
static void
test_cleans_up (WinnowTestDir *f, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (f->dir, "c.csv", customers, -1);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
  WinnowSample *sample = winnow_sample_read (path, recipe, 100, NULL, NULL);
  g_autoptr(WinnowResult) result = winnow_sample_clean (sample, recipe, FALSE, NULL, NULL);
  g_autofree char *tmp = g_strdup (g_get_tmp_dir ());
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_nonnull (result);
  winnow_sample_unref (sample);
  dir = g_dir_open (tmp, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "winnow-sample-"));
}

int
main (int argc, char **argv)
{
  const char *build = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *tmp = g_build_filename (build ? build : ".", "test-sample-tmp-XXXXXX", NULL);

  /* a private TMPDIR, so that the clean-up test sees only its own files */
  g_assert_nonnull (g_mkdtemp (tmp));
  g_setenv ("TMPDIR", tmp, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/sample/columns-and-rows", test_columns_and_rows);
  ADD ("/sample/profile", test_profile);
  ADD ("/sample/estimate-matches-task", test_estimate_matches_task);
  ADD ("/sample/windows-1252", test_windows_1252);
  ADD ("/sample/bad-lines", test_bad_lines);
  ADD ("/sample/unknown-column", test_unknown_column);
  ADD ("/sample/cleans-up", test_cleans_up);
#undef ADD

  {
    int status = g_test_run ();
    g_rmdir (tmp);
    return status;
  }
}
