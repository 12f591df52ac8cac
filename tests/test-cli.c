/* test-cli.c: `winnow --batch` as a user runs it: the real binary in a
 * subprocess, its exit status, stdout and stderr: help, usage errors,
 * what it cleans and prints (the summary, JSON, the progress line's text,
 * linked in), recipes saved and given, delimiters, --rejects,
 * --output-dir, the default recipe. Batch runs as processes (jobs, the
 * history, signals, priority) are in test-cli-runs.c. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-util.h"
#include "winnow-batch-display.h"
#include "winnow-recipe.h"

static void
test_help (WinnowTestDir *fixture, gconstpointer data)
{
  g_auto (Run) run = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "--drop-duplicates");
  assert_contains (run.out, "--save-recipe");
}

static void
test_usage_errors (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *bad = winnow_test_write_file (fixture->dir, "bad.json",
                                                 "{\"winnow_recipe\": 1, \"fil\": []}", -1);
  static const struct {
    const char *args[4];
    const char *message;
  } cases[] = {
    { { NULL }, "no input files" },
    { { "--keep", "middle", "a.csv", NULL }, "--keep: expected first, last or none, not “middle”" },
    { { "--frobnicate", "a.csv", NULL }, "Unknown option --frobnicate" },
    { { "--drop-missing", "any", "--thresh", "2", }, "give either --drop-missing or --thresh" },
    { { "--fill", "age", "a.csv", NULL }, "--fill: expected COLUMN=STRATEGY, not “age”" },
    { { "--fill", "age=average", "a.csv", NULL }, "--fill: expected COLUMN=mean, median, mode, ffill or bfill" },
    { { "--delimiter", "ab", "a.csv", NULL }, "--delimiter: expected auto, tab or one character" },
    { { "--output-delimiter", "\"", "a.csv", NULL }, "--output-delimiter: \" cannot be the delimiter, because fields that hold a delimiter, a quote or a line end are quoted with \"" },
    { { "--recipe", "bad.json", "a.csv", NULL }, "bad.json: fil: unknown key" },
    { { "--recipe", "none.json", "a.csv", NULL }, "none.json" },
    { { "--output", "x.csv", "a.csv", "a.csv" }, "--output takes one input file" },
    { { "--db", "", "a.csv", NULL }, "--db: expected a file name, not “”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) run = { 0 };
      run_winnow (&run, fixture->dir, "--batch", cases[i].args[0], cases[i].args[1],
                  cases[i].args[2], cases[i].args[3], NULL);
      g_assert_cmpint (run.status, ==, 2);
      assert_contains (run.err, cases[i].message);
      g_assert_cmpstr (run.out, ==, "");
    }
}

static void
test_clean (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *out = g_build_filename (fixture->dir, "a.cleaned.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto (Run) run = { 0 };

  /* a bare --drop-duplicates does not take the file as its column list */
  run_winnow (&run, fixture->dir, "--batch", "--drop-duplicates", "--fill-value", "city=?",
              "a.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "a.csv\tcompleted\t4 -> 3 rows\t");
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "id,name,city\n1,Ana,Berlin\n2,Ben,?\n3,,?\n");
}

static void
test_some_failed (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *good = winnow_test_write_file (fixture->dir, "good.csv", sample, -1);
  g_autofree char *bad = winnow_test_write_file (fixture->dir, "bad.csv", "a,b\n1,\"open\n", -1);
  g_auto (Run) run = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "good.csv", "bad.csv", NULL);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.out, "good.csv\tcompleted");
  assert_contains (run.out, "bad.csv\tfailed\tline 2: a quote is opened but never closed");
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 3);
}

static void
test_existing_output (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_auto (Run) first = { 0 };
  g_auto (Run) second = { 0 };
  g_auto (Run) forced = { 0 };

  run_winnow (&first, fixture->dir, "--batch", "a.csv", NULL);
  g_assert_cmpint (first.status, ==, 0);
  run_winnow (&second, fixture->dir, "--batch", "a.csv", NULL);
  g_assert_cmpint (second.status, ==, 1);
  assert_contains (second.out, "already exists (replace it with --force)");
  run_winnow (&forced, fixture->dir, "--batch", "--force", "a.csv", NULL);
  g_assert_cmpint (forced.status, ==, 0);
}

static void
test_json (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *bad = winnow_test_write_file (fixture->dir, "b.csv", "", 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto (Run) run = { 0 };
  JsonObject *root, *task, *result, *column;
  JsonArray *tasks;

  /* with data: --no-history, where the profiles are made for --json alone */
  if (data != NULL)
    run_winnow (&run, fixture->dir, "--batch", "--json", "--no-history", "--drop-duplicates",
                "--drop-missing", "any", "--output-dir", ".", "a.csv", "b.csv", NULL);
  else
    run_winnow (&run, fixture->dir, "--batch", "--json", "--drop-duplicates", "--drop-missing",
                "any", "--output-dir", ".", "a.csv", "b.csv", NULL);
  g_assert_cmpint (run.status, ==, 1);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "completed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "failed"), ==, 1);
  tasks = json_object_get_array_member (root, "tasks");
  task = json_array_get_object_element (tasks, 0);
  g_assert_cmpstr (json_object_get_string_member (task, "status"), ==, "completed");
  result = json_object_get_object_member (task, "result");
  g_assert_cmpint (json_object_get_int_member (result, "rows_read"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (result, "rows_written"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "duplicates_removed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (result, "missing_dropped"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "columns")), ==, 3);
  column = json_array_get_object_element (json_object_get_array_member (result, "columns"), 0);
  g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, "integer");
  g_assert_cmpint (json_object_get_int_member (column, "distinct"), ==, 1);
  task = json_array_get_object_element (tasks, 1);
  g_assert_cmpstr (json_object_get_string_member (task, "status"), ==, "failed");
  assert_contains (json_object_get_string_member (task, "error"), "b.csv is empty");
}

static void
test_save_recipe (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *recipe_path = g_build_filename (fixture->dir, "r.json", NULL);
  g_autofree char *direct_path = g_build_filename (fixture->dir, "direct.csv", NULL);
  g_autofree char *recipe_out_path = g_build_filename (fixture->dir, "recipe.csv", NULL);
  g_autofree char *direct = NULL;
  g_autofree char *via_recipe = NULL;
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  g_auto (Run) save = { 0 };
  g_auto (Run) a = { 0 };
  g_auto (Run) b = { 0 };

  run_winnow (&save, fixture->dir, "--batch", "--drop-duplicates=id", "--keep", "last",
              "--fill", "city=bfill:1", "--trim", "--save-recipe", "r.json", NULL);
  g_assert_cmpint (save.status, ==, 0);
  recipe = winnow_recipe_new_from_file (recipe_path, &error);
  g_assert_no_error (error);
  g_assert_true (recipe->drop_duplicates);
  g_assert_cmpint (recipe->keep, ==, WINNOW_KEEP_LAST);
  g_assert_cmpstr (g_ptr_array_index (recipe->duplicates_subset, 0), ==, "id");
  g_assert_true (recipe->trim_whitespace);
  g_assert_cmpuint (recipe->fill->len, ==, 1);
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 2);

  /* the saved recipe cleans as the options do */
  run_winnow (&a, fixture->dir, "--batch", "--drop-duplicates=id", "--keep", "last", "--fill",
              "city=bfill:1", "--trim", "--output", "direct.csv", "a.csv", NULL);
  run_winnow (&b, fixture->dir, "--batch", "--recipe", "r.json", "--output", "recipe.csv", "a.csv",
              NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  direct = winnow_test_read_file (direct_path);
  via_recipe = winnow_test_read_file (recipe_out_path);
  g_assert_cmpstr (direct, ==, via_recipe);
}

static void
test_options_override_recipe (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *r = winnow_test_write_file (fixture->dir, "r.json",
    "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"first\"},"
    " \"drop_columns\": [\"name\"]}", -1);
  g_autofree char *out = g_build_filename (fixture->dir, "a.cleaned.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto (Run) run = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--recipe", "r.json", "--keep", "none",
              "--output-delimiter", ";", "a.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "id;city\n2;\n3;\n");
}

/* A history that is a folder or a device is refused as such, not as a
 * full disk or a read-only file, and nothing is cleaned. */
static void
test_db_not_a_file (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *out = g_build_filename (fixture->dir, "a.cleaned.csv", NULL);
  const char *histories[] = { fixture->dir, "/dev/null" };

  for (guint i = 0; i < G_N_ELEMENTS (histories); i++)
    {
      g_auto (Run) run = { 0 };

      run_winnow (&run, fixture->dir, "--batch", "--db", histories[i], "a.csv", NULL);
      g_assert_cmpint (run.status, ==, 1);
      assert_contains (run.err, "is not a file (a folder, a device or a pipe)");
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

/* The numbers after a task's bar on a terminal. */
static void
test_progress_line (void)
{
  static const struct {
    guint64 rows;
    double fraction, pass_seconds, task_seconds;
    const char *text;
  } cases[] = {
    { 3723448, 0.65, 2.19, 3.7, "3,723,448 rows · 1.7 M rows/s · 2 s left" },
    { 1, 0.001, 0.1, 0.1, "1 row" },
    { 999, 0.5, 0.2, 0.9, "999 rows" },
    { 999, 0.5, 1, 2, "999 rows · 999 rows/s · 2 s left" },
    { 52000, 0.02, 4, 4, "52,000 rows · 13 k rows/s · 3 min 16 s left" },
    { 1000000000, 0.1, 500, 500, "1,000,000,000 rows · 2.0 M rows/s · 1 h 15 min left" },
    { 10, 1.0, 5, 5, "10 rows · 2 rows/s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = winnow_batch_display_describe (cases[i].rows, cases[i].fraction,
                                                             cases[i].pass_seconds,
                                                             cases[i].task_seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* Any one character as the delimiter, in and out. */
static void
test_unicode_delimiters (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "u.csv",
                                                "a§b\n1§\"x§y\"\n2§p€q\n", -1);
  g_autofree char *out = g_build_filename (fixture->dir, "u.cleaned.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto (Run) run = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--delimiter", "§", "--output-delimiter", "€",
              "--json", "u.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "\"delimiter\":\"§\"");
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "a€b\n1€x§y\n2€\"p€q\"\n");
}

/* --rejects: the summary names the file and counts its rows; an existing
 * one is replaced only with --force, as the output is. */
static void
test_rejects (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "d.csv",
                                                "id,name\n1,a\n1,a\n2,\n3,b,x\n", -1);
  g_autofree char *out = g_build_filename (fixture->dir, "d.cleaned.csv", NULL);
  g_autofree char *rejects = g_build_filename (fixture->dir, "d.cleaned.rejected.csv", NULL);
  g_autofree char *line = g_strdup_printf ("d.csv\tcompleted\t4 -> 1 rows\t%s\t3 rejected\t%s\n",
                                           out, rejects);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *task, *file;
  g_auto (Run) run = { 0 };
  g_auto (Run) again = { 0 };
  g_auto (Run) json = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--drop-duplicates", "--drop-missing", "any",
              "--bad-lines", "skip", "--rejects", "d.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, line);
  contents = winnow_test_read_file (rejects);
  g_assert_cmpstr (contents, ==, "line,reason,detail,id,name\n"
                                 "3,duplicate,of line 2,1,a\n"
                                 "4,missing,name,2,\n"
                                 "5,bad_line,\"expected 2 fields, saw 3\",3,b\n");

  g_unlink (out);
  run_winnow (&again, fixture->dir, "--batch", "--drop-duplicates", "--rejects", "d.csv", NULL);
  g_assert_cmpint (again.status, ==, 1);
  assert_contains (again.out, "d.cleaned.rejected.csv already exists");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  run_winnow (&json, fixture->dir, "--batch", "--bad-lines", "skip", "--drop-duplicates",
              "--rejects", "--force", "--json", "d.csv", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, NULL);
  task = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (root), "tasks"), 0);
  file = json_object_get_object_member (task, "rejects");
  g_assert_cmpstr (json_object_get_string_member (file, "path"), ==, rejects);
  g_assert_cmpint (json_object_get_int_member (file, "rows"), ==, 2);
}

/* --output-dir is made when missing, parents and all; a file in the way
 * is an error that names it; a file: URI is its path. */
static void
test_output_dir_created (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *out = g_build_filename (fixture->dir, "cleaned", "2026", "a.cleaned.csv", NULL);
  g_autofree char *blocker = winnow_test_write_file (fixture->dir, "file", "", -1);
  g_auto (Run) run = { 0 };
  g_auto (Run) blocked = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--drop-duplicates", "--output-dir", "cleaned/2026/",
              "a.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));

  run_winnow (&blocked, fixture->dir, "--batch", "--drop-duplicates", "--output-dir", "file/x",
              "a.csv", NULL);
  g_assert_cmpint (blocked.status, ==, 1);
  assert_contains (blocked.err, "cannot create the output folder");
  assert_contains (blocked.err, "file/x: Not a directory");

  /* a file: URI, as GFile takes a command-line argument */
  {
    g_autofree char *folder = g_build_filename (fixture->dir, "by uri", NULL);
    g_autofree char *uri = g_filename_to_uri (folder, NULL, NULL);
    g_autofree char *made = g_build_filename (folder, "a.cleaned.csv", NULL);
    g_auto (Run) by_uri = { 0 };

    run_winnow (&by_uri, fixture->dir, "--batch", "--drop-duplicates", "--output-dir", uri, "a.csv",
                NULL);
    g_assert_cmpint (by_uri.status, ==, 0);
    g_assert_true (g_file_test (made, G_FILE_TEST_IS_REGULAR));
  }
}

/* No step and no --recipe: the window's default recipe runs, and stderr
 * says which. With the schema (the tests' GSETTINGS_SCHEMA_DIR) and no
 * saved default: the built-in one; then the one Preferences names (the
 * keyfile backend stands in for dconf); without the schema anywhere, as in
 * a build folder: the built-in one again. */
static void
test_default_recipe (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *out = g_build_filename (fixture->dir, "a.cleaned.csv", NULL);
  g_autofree char *config = g_build_filename (fixture->dir, "config", NULL);
  g_autofree char *data_home = g_build_filename (fixture->dir, "data", NULL);
  g_autofree char *recipes = g_build_filename (data_home, "io.github.winnow.Winnow", "recipes", NULL);
  g_autofree char *keyfile_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "no-schemas", NULL);
  g_autofree char *xdg_config = g_strconcat ("XDG_CONFIG_HOME=", config, NULL);
  g_autofree char *xdg_data = g_strconcat ("XDG_DATA_HOME=", data_home, NULL);
  g_autofree char *no_schema_dir = g_strconcat ("GSETTINGS_SCHEMA_DIR=", nowhere, NULL);
  g_autofree char *no_data_dirs = g_strconcat ("XDG_DATA_DIRS=", nowhere, NULL);
  const char *saved_env[] = { "GSETTINGS_BACKEND=keyfile", xdg_config, xdg_data, NULL };
  const char *no_schema_env[] = { no_schema_dir, no_data_dirs, NULL };
  g_autofree char *contents = NULL;
  g_auto (Run) builtin = { 0 };
  g_auto (Run) saved = { 0 };
  g_auto (Run) no_schema = { 0 };

  run_winnow (&builtin, fixture->dir, "--batch", "a.csv", NULL);
  g_assert_cmpint (builtin.status, ==, 0);
  assert_contains (builtin.err, "no step given: cleaning with the built-in default recipe "
                                "(drop duplicate rows, drop rows where every field is missing)");
  assert_contains (builtin.out, "4 -> 3 rows");
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "id,name,city\n1,Ana,Berlin\n2,Ben,\n3,,\n");
  g_unlink (out);

  g_assert_cmpint (g_mkdir_with_parents (recipes, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  g_free (winnow_test_write_file (recipes, "mine.json",
                                  "{\"winnow_recipe\": 1, \"drop_columns\": [\"city\"]}", -1));
  g_free (winnow_test_write_file (keyfile_dir, "keyfile",
                                  "[io/github/winnow/Winnow]\ndefault-recipe='mine'\n", -1));
  set_next_env (saved_env);
  /* an option that is not a step (the output's delimiter) still applies */
  run_winnow (&saved, fixture->dir, "--batch", "--output-delimiter", ";", "a.csv", NULL);
  g_assert_cmpint (saved.status, ==, 0);
  assert_contains (saved.err, "no step given: cleaning with the default recipe “mine” chosen in "
                              "Preferences");
  g_free (contents);
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "id;name\n1;Ana\n2;Ben\n1;Ana\n3;\n");
  g_unlink (out);

  g_assert_cmpint (g_mkdir (nowhere, 0700), ==, 0);
  set_next_env (no_schema_env);
  run_winnow (&no_schema, fixture->dir, "--batch", "a.csv", NULL);
  g_assert_cmpint (no_schema.status, ==, 0);
  assert_contains (no_schema.err, "no step given: cleaning with the built-in default recipe");
  assert_contains (no_schema.out, "4 -> 3 rows");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/cli/help", test_help);
  g_test_add_func ("/cli/progress-line", test_progress_line);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/clean", test_clean);
  ADD ("/cli/some-failed", test_some_failed);
  ADD ("/cli/existing-output", test_existing_output);
  ADD ("/cli/json", test_json);
  g_test_add ("/cli/json-no-history", WinnowTestDir, "", winnow_test_dir_setup, test_json,
              winnow_test_dir_teardown);
  ADD ("/cli/save-recipe", test_save_recipe);
  ADD ("/cli/options-override-recipe", test_options_override_recipe);
  ADD ("/cli/unicode-delimiters", test_unicode_delimiters);
  ADD ("/cli/rejects", test_rejects);
  ADD ("/cli/output-dir-created", test_output_dir_created);
  ADD ("/cli/default-recipe", test_default_recipe);
  ADD ("/cli/db-not-a-file", test_db_not_a_file);
#undef ADD

  return g_test_run ();
}
