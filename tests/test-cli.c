/* test-cli.c: `winnow --batch` as a user runs it: the real binary in a
 * subprocess, its exit status, stdout and stderr. */
#include "config.h"

#include <sqlite3.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "winnow-batch-display.h"
#include "winnow-recipe.h"
#include "winnow-task-store.h"
#include "winnow-test-util.h"

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Extra NAME=VALUE environment for the next run, or NULL. */
static const char * const *next_env;

/* Starts winnow with the arguments in @dir; its history goes beside the
 * folder (@dir + ".db"), never into the user's data. */
static GSubprocess *
spawn_winnow (const char *dir, va_list args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("WINNOW_BINARY");
  const char *arg;
  GSubprocess *process;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "WINNOW_DB", db, TRUE);
  for (guint i = 0; next_env != NULL && next_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (next_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  next_env = NULL;
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
finish_run (Run *run, GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

/* Runs winnow with the arguments (NULL-terminated) in @dir. */
static void
run_winnow (Run *run, const char *dir, ...)
{
  g_autoptr(GSubprocess) process = NULL;
  va_list args;

  va_start (args, dir);
  process = spawn_winnow (dir, args);
  va_end (args);
  finish_run (run, process);
}

static GSubprocess *
start_winnow (const char *dir, ...)
{
  GSubprocess *process;
  va_list args;

  va_start (args, dir);
  process = spawn_winnow (dir, args);
  va_end (args);
  return process;
}

static WinnowTaskStore *
history (const char *dir)
{
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  g_autoptr(GError) error = NULL;
  WinnowTaskStore *store = winnow_task_store_new (db, &error);
  g_assert_no_error (error);
  return store;
}

static gint64
count_status (WinnowTaskStore *store, WinnowTaskStatus status)
{
  WinnowTaskQuery query = { .statuses = 1u << status };
  return winnow_task_store_count (store, &query, NULL, NULL);
}

static void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, haystack);
}

static const char sample[] = "id,name,city\n1,Ana,Berlin\n2,Ben,NA\n1,Ana,Berlin\n3,,\n";

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
  JsonObject *root, *task, *result;
  JsonArray *tasks;

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
 * is an error that names it. */
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
  next_env = saved_env;
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
  next_env = no_schema_env;
  run_winnow (&no_schema, fixture->dir, "--batch", "a.csv", NULL);
  g_assert_cmpint (no_schema.status, ==, 0);
  assert_contains (no_schema.err, "no step given: cleaning with the built-in default recipe");
  assert_contains (no_schema.out, "4 -> 3 rows");
}

static char *
write_big (const char *dir, const char *name, guint rows)
{
  GString *s = g_string_new ("id,name,score\n");
  g_autofree char *path = NULL;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (s, "%u,n%u,%s\n", i % (rows / 2), i % 1000, i % 7 ? "1.5" : "");
  path = winnow_test_write_file (dir, name, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return g_steal_pointer (&path);
}

static void
test_jobs_and_history (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(WinnowTaskStore) store = NULL;
  g_auto (Run) parallel = { 0 };
  g_auto (Run) serial = { 0 };

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u.csv", i);
      g_free (write_big (fixture->dir, name, 20000 + i * 1000));
    }
  {
    g_autofree char *one = g_build_filename (fixture->dir, "one", NULL);
    g_mkdir (one, 0700);
  }
  run_winnow (&parallel, fixture->dir, "--batch", "--jobs", "3", "--drop-duplicates",
              "--fill", "score=mean", "f0.csv", "f1.csv", "f2.csv", "f3.csv", "f4.csv", NULL);
  /* short options with their values attached, as make takes -j1 */
  run_winnow (&serial, fixture->dir, "--batch", "-j1", "--drop-duplicates",
              "--fill", "score=mean", "--output-dir", "one", "f0.csv", "f1.csv", "f2.csv",
              "f3.csv", "f4.csv", NULL);
  g_assert_cmpint (parallel.status, ==, 0);
  g_assert_cmpint (serial.status, ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *a_path = g_strdup_printf ("%s/f%u.cleaned.csv", fixture->dir, i);
      g_autofree char *b_path = g_strdup_printf ("%s/one/f%u.cleaned.csv", fixture->dir, i);
      g_autofree char *a = winnow_test_read_file (a_path);
      g_autofree char *b = winnow_test_read_file (b_path);
      g_assert_true (g_str_equal (a, b));
    }

  /* both runs are in the history */
  store = history (fixture->dir);
  g_assert_cmpint (count_status (store, WINNOW_TASK_COMPLETED), ==, 10);
}

static void
test_no_history (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  g_auto (Run) run = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--no-history", "a.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

/* Asks @done every 20 ms (iterating the main context meanwhile) until it
 * says yes; fails after a minute. */
static void
poll_until (gboolean (*done) (gconstpointer data), gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_autoptr(GSource) tick = g_timeout_source_new (20);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_source_set_dummy_callback (tick);
      g_source_attach (tick, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (tick);
    }
}

typedef struct {
  const char *db;
  WinnowTaskStatus status;
  gint64 n;
} StatusWait;

static gboolean
has_status (gconstpointer data)
{
  const StatusWait *wait = data;
  g_autoptr(WinnowTaskStore) store = NULL;

  /* the child creates the database; poll it until the task runs */
  return g_file_test (wait->db, G_FILE_TEST_EXISTS) &&
         (store = winnow_task_store_new (wait->db, NULL)) != NULL &&
         count_status (store, wait->status) >= wait->n;
}

static void
wait_for_status (const char *dir, WinnowTaskStatus status, gint64 n)
{
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  StatusWait wait = { db, status, n };

  poll_until (has_status, &wait);
}

static void
test_interrupt (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = write_big (fixture->dir, "big.csv", 2000000);
  g_autofree char *small = winnow_test_write_file (fixture->dir, "small.csv", sample, -1);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_auto (Run) run = { 0 };

  process = start_winnow (fixture->dir, "--batch", "--jobs", "1", "--drop-duplicates",
                          "--keep", "last", "--fill", "score=median", "big.csv", "small.csv", NULL);
  wait_for_status (fixture->dir, WINNOW_TASK_PROCESSING, 1);
  g_subprocess_send_signal (process, SIGINT);
  finish_run (&run, process);

  g_assert_cmpint (run.status, ==, 130);
  assert_contains (run.out, "big.csv\tcancelled");
  assert_contains (run.out, "small.csv\tcancelled");
  /* no output, no temporary file: the two inputs only */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 2);
  store = history (fixture->dir);
  g_assert_cmpint (count_status (store, WINNOW_TASK_CANCELLED), ==, 2);
  g_assert_cmpint (count_status (store, WINNOW_TASK_PROCESSING), ==, 0);
}

typedef struct {
  char name[32];
  int nice;
} ThreadNice;

/* The name and nice value of each thread of process @pid, from /proc. */
static GArray *
thread_nice_values (const char *pid)
{
  g_autofree char *tasks = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr(GDir) dir = g_dir_open (tasks, 0, NULL);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (ThreadNice));
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tasks, tid, "stat", NULL);
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *name, *after_name;
      ThreadNice thread = { { 0 } };

      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;  /* the thread ended meanwhile */
      /* the name may hold spaces and parentheses: the fields after its
       * last ')' start at the state (field 3); the nice value is field 19 */
      name = strchr (stat, '(');
      after_name = strrchr (stat, ')');
      g_assert_nonnull (name);
      g_assert_nonnull (after_name);
      g_strlcpy (thread.name, name + 1, MIN (sizeof thread.name, (gsize) (after_name - name)));
      fields = g_strsplit (after_name + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      thread.nice = atoi (fields[16]);
      g_array_append_val (values, thread);
    }
  return values;
}

/* Every thread at the lower priority (docs/BEHAVIOUR.md, 11.2). */
static void
assert_background (GArray *threads)
{
  int own = getpriority (PRIO_PROCESS, 0);

  for (guint i = 0; i < threads->len; i++)
    {
      const ThreadNice *thread = &g_array_index (threads, ThreadNice, i);
      if (thread->nice != MAX (own, 10))
        g_error ("thread \"%s\" runs at nice %d", thread->name, thread->nice);
    }
}

static gboolean
has_thread (GArray *threads, const char *name)
{
  for (guint i = 0; i < threads->len; i++)
    if (strcmp (g_array_index (threads, ThreadNice, i).name, name) == 0)
      return TRUE;
  return FALSE;
}

/* A batch run is background work in every thread, not only in the ones
 * that clean (docs/BEHAVIOUR.md, 11.2). */
static void
test_background_priority (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = write_big (fixture->dir, "big.csv", 2000000);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GArray) threads = NULL;
  g_auto (Run) run = { 0 };

  process = start_winnow (fixture->dir, "--batch", "--jobs", "1", "--drop-duplicates",
                          "--keep", "last", "--fill", "score=median", "big.csv", NULL);
  wait_for_status (fixture->dir, WINNOW_TASK_PROCESSING, 1);
  threads = thread_nice_values (g_subprocess_get_identifier (process));
  g_subprocess_send_signal (process, SIGINT);
  finish_run (&run, process);

  /* the main thread, the bookkeeping thread, the history's and the
   * cleaning's: several, all at the lower priority */
  g_assert_cmpuint (threads->len, >=, 3);
  assert_background (threads);
  g_assert_cmpint (run.status, ==, 130);
}

typedef struct {
  const char *fds;   /* /proc/PID/fd */
  const char *db;
} OpenWait;

static gboolean
has_open (gconstpointer data)
{
  const OpenWait *wait = data;
  g_autoptr(GDir) dir = g_dir_open (wait->fds, 0, NULL);
  const char *fd;

  g_assert_nonnull (dir);
  while ((fd = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (wait->fds, fd, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);
      if (g_strcmp0 (target, wait->db) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Waits until process @pid has the history @db open. */
static void
wait_for_open (const char *pid, const char *db)
{
  g_autofree char *fds = g_build_filename ("/proc", pid, "fd", NULL);
  OpenWait wait = { fds, db };

  poll_until (has_open, &wait);
}

static gboolean
has_gmain (gconstpointer pid)
{
  g_autoptr(GArray) threads = thread_nice_values (pid);
  return has_thread (threads, "gmain");
}

/* So is a run whose recipe comes from the settings: reading them starts
 * GLib's own threads, before the run itself starts any. It is held at
 * its start by another program's write lock on the history. */
static void
test_background_priority_settings (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", fixture->dir, "/config", NULL);
  const char *env[] = { "GSETTINGS_BACKEND=keyfile", config, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GArray) threads = NULL;
  g_autoptr(WinnowTaskStore) store = history (fixture->dir);  /* the schema */
  g_auto (Run) run = { 0 };
  sqlite3 *lock = NULL;

  g_assert_cmpint (sqlite3_open (db, &lock), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  next_env = env;
  process = start_winnow (fixture->dir, "--batch", "a.csv", NULL);
  wait_for_open (g_subprocess_get_identifier (process), db);
  /* GLib's thread for the settings was started before; it names itself
   * when it first runs, which under load may come later */
  poll_until (has_gmain, g_subprocess_get_identifier (process));
  threads = thread_nice_values (g_subprocess_get_identifier (process));
  g_assert_cmpint (sqlite3_exec (lock, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (lock);
  finish_run (&run, process);

  assert_background (threads);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "4 -> 3 rows");
}

static void
test_two_processes (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  WinnowTaskQuery all = { 0 };
  g_auto (Run) ra = { 0 };
  g_auto (Run) rb = { 0 };

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u.csv", i);
      g_free (write_big (fixture->dir, name, 30000));
    }
  /* two batch runs on one database at once */
  a = start_winnow (fixture->dir, "--batch", "--jobs", "2", "--drop-duplicates", "f0.csv", "f1.csv",
                    "f2.csv", "f3.csv", NULL);
  b = start_winnow (fixture->dir, "--batch", "--jobs", "2", "--drop-duplicates", "f4.csv", "f5.csv",
                    "f6.csv", "f7.csv", NULL);
  finish_run (&ra, a);
  finish_run (&rb, b);
  g_assert_cmpint (ra.status, ==, 0);
  g_assert_cmpint (rb.status, ==, 0);

  /* each task ran once: completed, never retried, never recovered */
  store = history (fixture->dir);
  tasks = winnow_task_store_query (store, &all, 0, 100, NULL);
  g_assert_cmpuint (tasks->len, ==, 8);
  for (guint i = 0; i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
      g_assert_cmpuint (winnow_task_get_attempts (task), ==, 0);
    }
}

/* Another process takes a task of a batch run as a worker does (by hand
 * here: no window claims a batch run's tasks) and fails it: the run reads
 * its end from the store and exits, instead of waiting forever. */
static void
test_task_taken_elsewhere (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GSubprocess) batch = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  sqlite3 *raw = NULL;
  g_autofree char *sql = NULL;
  WinnowTaskQuery all = { .sort = WINNOW_TASK_SORT_ID };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 second = 0;
  g_auto (Run) run = { 0 };

  g_free (write_big (fixture->dir, "big.csv", 400000));
  g_free (winnow_test_write_file (fixture->dir, "small.csv", "a\n1\n", -1));
  batch = start_winnow (fixture->dir, "--batch", "--jobs", "1", "--drop-duplicates", "big.csv",
                        "small.csv", NULL);
  store = history (fixture->dir);
  while (second == 0)
    {
      g_autoptr(GPtrArray) tasks = winnow_task_store_query (store, &all, 0, 10, NULL);
      if (tasks != NULL && tasks->len == 2)
        second = winnow_task_get_id (g_ptr_array_index (tasks, 1));
      else if (g_get_monotonic_time () > deadline)
        g_error ("the batch run added no tasks");
      else
        g_usleep (10000);  /* another process: nothing to wait on but the file */
    }
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  sqlite3_busy_timeout (raw, 30000);
  sql = g_strdup_printf ("UPDATE tasks SET status = 'PROCESSING', lease_owner = 'desktop',"
                         " lease_expires_at = '2999-01-01T00:00:00.000Z'"
                         " WHERE id = %" G_GINT64_FORMAT " AND status = 'PENDING'", second);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  if (sqlite3_changes (raw) == 0)
    {
      sqlite3_close (raw);
      finish_run (&run, batch);
      g_test_skip ("the batch run started the second task first");
      return;
    }
  sqlite3_close (raw);
  g_assert_true (winnow_task_store_fail (store, second, "desktop", "stopped by the desktop",
                                         &error));
  g_assert_no_error (error);

  finish_run (&run, batch);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.out, "small.csv\tfailed\tstopped by the desktop");
  assert_contains (run.out, "big.csv");
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
  ADD ("/cli/save-recipe", test_save_recipe);
  ADD ("/cli/options-override-recipe", test_options_override_recipe);
  ADD ("/cli/unicode-delimiters", test_unicode_delimiters);
  ADD ("/cli/rejects", test_rejects);
  ADD ("/cli/output-dir-created", test_output_dir_created);
  ADD ("/cli/default-recipe", test_default_recipe);
  ADD ("/cli/jobs-and-history", test_jobs_and_history);
  ADD ("/cli/no-history", test_no_history);
  ADD ("/cli/interrupt", test_interrupt);
  ADD ("/cli/background-priority", test_background_priority);
  ADD ("/cli/background-priority-settings", test_background_priority_settings);
  ADD ("/cli/two-processes", test_two_processes);
  ADD ("/cli/task-taken-elsewhere", test_task_taken_elsewhere);
#undef ADD

  return g_test_run ();
}
