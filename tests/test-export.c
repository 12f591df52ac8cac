/* test-export.c: the code generators of `winnow --batch --export`, without
 * the engines: every step of the table exported or refused by every
 * format, what each step becomes, and the exports a format cannot express
 * failing with a message naming what. Running the programs on pandas, Dask
 * and DuckDB is tests/export/test-export.py. */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "winnow-export-private.h"
#include "winnow-step.h"
#include "winnow-test-util.h"

#define PEOPLE "id,name,age,city\n1,Ana,31,Porto\n2,Ben,,Lyon\n"

static WinnowRecipe *
recipe (const char *json)
{
  g_autoptr(GError) error = NULL;
  WinnowRecipe *r = winnow_recipe_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  return r;
}

static char *
generate (const char *json, WinnowExportFormat format, const WinnowExportFile *file)
{
  g_autoptr(WinnowRecipe) r = recipe (json);
  g_autoptr(GError) error = NULL;
  char *program = winnow_export_generate (r, format, file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (program);
  return program;
}

static void
assert_contains (const char *text, const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("expected “%s” in:\n%s", needle, text);
}

static void
test_formats (void)
{
  WinnowExportFormat format;

  g_assert_true (winnow_export_format_from_string ("pandas", &format));
  g_assert_cmpint (format, ==, WINNOW_EXPORT_PANDAS);
  g_assert_true (winnow_export_format_from_string ("duckdb", &format));
  g_assert_cmpint (format, ==, WINNOW_EXPORT_DUCKDB);
  g_assert_false (winnow_export_format_from_string ("spark", &format));
  for (guint i = 0; i < WINNOW_EXPORT_N_FORMATS; i++)
    {
      g_assert_true (winnow_export_format_from_string (winnow_export_format_to_string (i), &format));
      g_assert_cmpint (format, ==, i);
      g_assert_nonnull (winnow_export_format_get_label (i));
    }
  g_assert_cmpstr (winnow_export_format_get_suffix (WINNOW_EXPORT_DASK), ==, ".py");
  g_assert_cmpstr (winnow_export_format_get_suffix (WINNOW_EXPORT_DUCKDB), ==, ".sql");
  g_assert_false (winnow_export_format_needs_file (WINNOW_EXPORT_PANDAS));
  g_assert_true (winnow_export_format_needs_file (WINNOW_EXPORT_DUCKDB));
}

/* Each step is one call, in the order the steps run; values are Python
 * literals whatever they hold. */
static void
test_python_steps (void)
{
  static const char *json =
    "{\"winnow_recipe\": 1, \"input\": {\"delimiter\": \";\", \"na_values\": [\"\", \"-\"]},"
    " \"drop_columns\": [\"notes\"], \"trim_whitespace\": true,"
    " \"replace\": [{\"column\": \"a.1\", \"from\": [\"x\", \"\\\"q\\\"\"], \"to\": null},"
    "               {\"column\": \"city\", \"from\": \"NYC\", \"to\": \"\"}],"
    " \"drop_duplicates\": {\"subset\": [\"email\"], \"keep\": \"none\"},"
    " \"drop_missing\": {\"thresh\": 2, \"subset\": [\"a\", \"b\"]},"
    " \"fill\": [{\"column\": \"city\", \"value\": \"say \\\"hi\\\"\\n\\\\\"},"
    "            {\"column\": \"score\", \"strategy\": \"bfill\", \"limit\": 3}],"
    " \"output\": {\"delimiter\": \"\\t\", \"line_ending\": \"crlf\", \"formula_guard\": true}}";
  g_autofree char *pandas = generate (json, WINNOW_EXPORT_PANDAS, NULL);
  g_autofree char *dask = generate (json, WINNOW_EXPORT_DASK, NULL);
  const char *calls[] = {
    "    drop_columns(t, [\"notes\"])\n",
    "    replace(t, [\n"
    "        (\"replace[0].column\", \"a.1\", [\"x\", \"\\\"q\\\"\"], None),\n"
    "        (\"replace[1].column\", \"city\", [\"NYC\"], \"\"),\n"
    "    ])\n",
    "    drop_duplicates(t, [\"email\"], \"none\")\n",
    "    drop_missing(t, [\"a\", \"b\"], None, 2)\n",
    "    fill(t, \"fill[0].column\", \"city\", \"value\", value=\"say \\\"hi\\\"\\n\\\\\")\n",
    "    fill(t, \"fill[1].column\", \"score\", \"bfill\", limit=3)\n",
  };
  const char *previous = pandas;

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      const char *at = strstr (pandas, calls[i]);
      if (at == NULL)
        g_error ("expected “%s” in the pandas program", calls[i]);
      g_assert_true (at > previous);
      previous = at;
      assert_contains (dask, calls[i]);
    }
  assert_contains (pandas, "INPUT[\"trim\"] = True\n");
  assert_contains (pandas, "    delimiter=\";\",\n");
  assert_contains (pandas, "    na_values=[\"\", \"-\"],\n");
  assert_contains (pandas, "    line_ending=\"\\r\\n\",\n    formula_guard=True,\n");
  assert_contains (pandas, "import pandas as pd\n");
  assert_contains (dask, "LocalCluster");
  g_assert_null (strstr (pandas, "LocalCluster"));
}

static WinnowExportFile *
probe (WinnowTestDir *dir, const char *json, const char *contents, GError **error)
{
  g_autoptr(WinnowRecipe) r = recipe (json);
  g_autofree char *input = winnow_test_write_file (dir->dir, "people.csv", contents, -1);
  g_autofree char *output = g_build_filename (dir->dir, "out.csv", NULL);

  return winnow_export_file_probe (r, input, output, NULL, error);
}

/* The script is for one file: its delimiter, encoding and columns are
 * those Winnow reads, and names are resolved as a task resolves them. */
static void
test_duckdb (WinnowTestDir *dir, gconstpointer data)
{
  static const char *json =
    "{\"winnow_recipe\": 1, \"drop_columns\": [\"name\"],"
    " \"drop_duplicates\": {\"subset\": [\"city\"], \"keep\": \"last\"},"
    " \"fill\": [{\"column\": \"age\", \"strategy\": \"median\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowExportFile) file = probe (dir, json, "id;name;age;city\n1;Ana;31;Porto\n", &error);
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (file->delimiter, ==, ';');
  g_assert_cmpstr (file->encoding, ==, "UTF-8");
  g_assert_cmpuint (file->column_names->len, ==, 4);
  sql = generate (json, WINNOW_EXPORT_DUCKDB, file);
  assert_contains (sql, "delim = ';'");
  assert_contains (sql, "'c4': 'VARCHAR'");
  assert_contains (sql, "PARTITION BY c4 ORDER BY winnow_row DESC) = 1");
  assert_contains (sql, "winnow_na(c3) AS c3");
  g_assert_null (strstr (sql, "winnow_na(c2)"));  /* name is dropped */
  assert_contains (sql, file->output_path);
}

/* The program without the recipe it quotes in a comment. */
static char *
without_recipe_comment (const char *program)
{
  g_auto(GStrv) lines = g_strsplit (program, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    if (!g_str_has_prefix (lines[i], "#   ") && !g_str_has_prefix (lines[i], "--   "))
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}

/* Each step of the table switched on, on PEOPLE. A step added to the
 * table without a sample here fails this test. */
static const char * const step_samples[WINNOW_N_STEPS] = {
  [WINNOW_STEP_DROP_COLUMNS] = "\"drop_columns\": [\"name\"]",
  [WINNOW_STEP_TRIM] = "\"trim_whitespace\": true",
  [WINNOW_STEP_REPLACE] = "\"replace\": [{\"column\": \"city\", \"from\": [\"Porto\"], \"to\": \"Oporto\"}]",
  [WINNOW_STEP_DROP_DUPLICATES] = "\"drop_duplicates\": {\"subset\": [\"city\"]}",
  [WINNOW_STEP_DROP_MISSING] = "\"drop_missing\": {\"how\": \"all\"}",
  [WINNOW_STEP_FILL] = "\"fill\": [{\"column\": \"age\", \"value\": \"0\"}]",
};

/* Every format has an entry for every step of the table, and a step that
 * is on either changes the program or fails the export naming the step:
 * never a program that silently leaves it out. */
static void
test_every_step (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *input = winnow_test_write_file (dir->dir, "people.csv", PEOPLE, -1);
  g_autofree char *output = g_build_filename (dir->dir, "out.csv", NULL);

  for (guint f = 0; f < WINNOW_EXPORT_N_FORMATS; f++)
    {
      const WinnowExportBackend *backend = winnow_export_get_backend (f);
      const char *format = winnow_export_format_to_string (f);
      g_autoptr(WinnowRecipe) plain = recipe ("{\"winnow_recipe\": 1}");
      g_autoptr(WinnowExportFile) file = NULL;
      g_autofree char *base = NULL;
      g_autofree char *base_code = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (backend);
      g_assert_nonnull (backend->input);
      g_assert_nonnull (backend->output);
      g_assert_nonnull (backend->assemble);
      if (winnow_export_format_needs_file (f))
        {
          file = winnow_export_file_probe (plain, input, output, NULL, &error);
          g_assert_no_error (error);
        }
      base = winnow_export_generate (plain, f, file, &error);
      g_assert_no_error (error);
      base_code = without_recipe_comment (base);

      for (guint id = 0; id < WINNOW_N_STEPS; id++)
        {
          const WinnowStep *step = winnow_step_get (id);
          g_autofree char *json = NULL;
          g_autoptr(WinnowRecipe) r = NULL;
          g_autofree char *program = NULL;

          if (backend->steps[id] == NULL)
            g_error ("the %s export has no entry for step %s: export it, or refuse it with "
                     "winnow_export_unsupported()", format, step->key);
          if (step_samples[id] == NULL)
            g_error ("step %s has no sample in test-export.c", step->key);
          json = g_strdup_printf ("{\"winnow_recipe\": 1, %s}", step_samples[id]);
          r = recipe (json);
          g_assert_true (step->is_on (r));
          program = winnow_export_generate (r, f, file, &error);
          if (program == NULL)
            {
              /* refused: the message names the step */
              g_assert_error (error, WINNOW_EXPORT_ERROR, WINNOW_EXPORT_ERROR_UNSUPPORTED);
              assert_contains (error->message, step->key);
              g_clear_error (&error);
            }
          else
            {
              g_autofree char *code = without_recipe_comment (program);
              if (g_str_equal (code, base_code))
                g_error ("the %s program of a recipe with %s is the program of an empty recipe",
                         format, step->key);
            }
        }
    }
}

/* Delimiters are any Unicode character, in and out; "same" is the input's. */
static void
test_delimiters (WinnowTestDir *dir, gconstpointer data)
{
  static const char *json =
    "{\"winnow_recipe\": 1, \"input\": {\"delimiter\": \"§\"}, \"output\": {\"delimiter\": \"😀\"}}";
  g_autofree char *pandas = generate (json, WINNOW_EXPORT_PANDAS, NULL);
  g_autofree char *dask = generate ("{\"winnow_recipe\": 1}", WINNOW_EXPORT_DASK, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowExportFile) file = probe (dir, json, "a§b\n1§\"x😀y\"\n", &error);
  g_autoptr(WinnowExportFile) tsv = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *same = NULL;

  assert_contains (pandas, "INPUT = dict(\n    delimiter=\"§\",\n");
  assert_contains (pandas, "OUTPUT = dict(\n    delimiter=\"😀\",\n");
  assert_contains (dask, "INPUT = dict(\n    delimiter=None,\n");
  assert_contains (dask, "OUTPUT = dict(\n    delimiter=None,  # \"same\"");

  g_assert_no_error (error);
  g_assert_cmpuint (file->delimiter, ==, g_utf8_get_char ("§"));
  sql = generate (json, WINNOW_EXPORT_DUCKDB, file);
  assert_contains (sql, "delim = '§'");
  assert_contains (sql, "winnow_field(c1) || '😀' || winnow_field(c2)");
  assert_contains (sql, "contains(coalesce(x, ''), '😀')");

  /* sniffed TAB, written TAB */
  tsv = probe (dir, "{\"winnow_recipe\": 1}", "a\tb\n1\t2\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsv->delimiter, ==, '\t');
  same = generate ("{\"winnow_recipe\": 1}", WINNOW_EXPORT_DUCKDB, tsv);
  assert_contains (same, "delim = '\t'");
  assert_contains (same, "winnow_field(c1) || '\t' || winnow_field(c2)");
}

/* The rejected-rows file is Winnow's alone: each program says so. */
static void
test_rejects_said (WinnowTestDir *dir, gconstpointer data)
{
  static const char *json = "{\"winnow_recipe\": 1, \"output\": {\"rejects\": true}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowExportFile) file = probe (dir, json, PEOPLE, &error);
  g_autofree char *plain = generate ("{\"winnow_recipe\": 1}", WINNOW_EXPORT_PANDAS, NULL);

  g_assert_no_error (error);
  for (guint f = 0; f < WINNOW_EXPORT_N_FORMATS; f++)
    {
      g_autofree char *program = generate (json, f, file);
      const char *note = strstr (program, "output.rejects: this program writes only the cleaned file");
      const char *code = strstr (program, f == WINNOW_EXPORT_DUCKDB ? "CREATE TEMP" : "INPUT = dict(");

      /* in the header, before the code */
      g_assert_nonnull (note);
      g_assert_nonnull (code);
      g_assert_true (note < code);
    }
  g_assert_null (strstr (plain, "output.rejects: this"));
}

static void
expect_failure (const char *json, WinnowExportFormat format, const WinnowExportFile *file,
                GQuark domain, int code, const char *needle)
{
  g_autoptr(WinnowRecipe) r = recipe (json);
  g_autoptr(GError) error = NULL;
  g_autofree char *program = winnow_export_generate (r, format, file, &error);

  g_assert_null (program);
  g_assert_error (error, domain, code);
  assert_contains (error->message, needle);
}

/* What a format cannot express fails the export, naming it. */
static void
test_unsupported (WinnowTestDir *dir, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowExportFile) latin = probe (dir, "{\"winnow_recipe\": 1}", "a,b\n1,caf\xe9\n", &error);
  g_autoptr(WinnowExportFile) plain = NULL;
  g_autoptr(WinnowExportFile) bom = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (latin->encoding, ==, "Windows-1252");
  expect_failure ("{\"winnow_recipe\": 1}", WINNOW_EXPORT_DUCKDB, latin, WINNOW_EXPORT_ERROR,
                  WINNOW_EXPORT_ERROR_UNSUPPORTED, "input.encoding \"Windows-1252\"");
  expect_failure ("{\"winnow_recipe\": 1}", WINNOW_EXPORT_DUCKDB, NULL, WINNOW_EXPORT_ERROR,
                  WINNOW_EXPORT_ERROR_NEEDS_FILE, "duckdb");

  /* a UTF-8 BOM, then bytes that are not UTF-8: read as a task reads it */
  bom = probe (dir, "{\"winnow_recipe\": 1}", "\xef\xbb\xbf" "a,b\n1,caf\xe9\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bom->encoding, ==, "Windows-1252");
  g_assert_cmpstr (g_ptr_array_index (bom->column_names, 0), ==, "a");
  expect_failure ("{\"winnow_recipe\": 1}", WINNOW_EXPORT_DUCKDB, bom, WINNOW_EXPORT_ERROR,
                  WINNOW_EXPORT_ERROR_UNSUPPORTED, "input.encoding \"Windows-1252\"");

  plain = probe (dir, "{\"winnow_recipe\": 1}", PEOPLE, &error);
  g_assert_no_error (error);
  expect_failure ("{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"zip\", \"value\": \"0\"}]}",
                  WINNOW_EXPORT_DUCKDB, plain, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN,
                  "fill[0].column: the file has no column \"zip\"");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/export/formats", test_formats);
  g_test_add_func ("/export/python-steps", test_python_steps);
  g_test_add ("/export/duckdb", WinnowTestDir, NULL, winnow_test_dir_setup, test_duckdb,
              winnow_test_dir_teardown);
  g_test_add ("/export/unsupported", WinnowTestDir, NULL, winnow_test_dir_setup, test_unsupported,
              winnow_test_dir_teardown);
  g_test_add ("/export/every-step", WinnowTestDir, NULL, winnow_test_dir_setup, test_every_step,
              winnow_test_dir_teardown);
  g_test_add ("/export/delimiters", WinnowTestDir, NULL, winnow_test_dir_setup, test_delimiters,
              winnow_test_dir_teardown);
  g_test_add ("/export/rejects-said", WinnowTestDir, NULL, winnow_test_dir_setup, test_rejects_said,
              winnow_test_dir_teardown);
  return g_test_run ();
}
