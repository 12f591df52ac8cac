/* test-recipe.c: the recipe's JSON form: round trips, and strict errors
 * that name the key. */
#include "config.h"

#include <string.h>

#include "winnow-recipe.h"
#include "winnow-recipe-library.h"
#include "winnow-test-util.h"

static void
test_defaults (void)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(WinnowRecipe) first = winnow_recipe_new_default ();
  const char * const *na = winnow_default_na_values ();

  g_assert_cmpuint (recipe->na_values->len, ==, g_strv_length ((char **) na));
  g_assert_cmpstr (g_ptr_array_index (recipe->na_values, 0), ==, "");
  g_assert_cmpint (recipe->delimiter, ==, 0);
  g_assert_true (recipe->header);
  g_assert_false (recipe->drop_duplicates);
  g_assert_true (first->drop_duplicates);
  g_assert_true (first->drop_missing);
  g_assert_cmpint (first->how, ==, WINNOW_HOW_ALL);
}

static WinnowRecipe *
full_recipe (void)
{
  WinnowRecipe *r = winnow_recipe_new ();

  r->delimiter = ';';
  r->quote = '\'';
  g_free (r->encoding);
  r->encoding = g_strdup ("windows-1252");
  r->header = FALSE;
  g_ptr_array_set_size (r->na_values, 0);
  g_ptr_array_add (r->na_values, g_strdup ("-"));
  r->bad_lines = WINNOW_BAD_LINES_WARN;
  g_ptr_array_add (r->drop_columns, g_strdup ("notes"));
  r->trim_whitespace = TRUE;
  r->drop_duplicates = TRUE;
  g_ptr_array_add (r->duplicates_subset, g_strdup ("id"));
  r->keep = WINNOW_KEEP_NONE;
  r->drop_missing = TRUE;
  r->thresh = 2;
  g_ptr_array_add (r->missing_subset, g_strdup ("email"));
  winnow_recipe_add_fill (r, "city", WINNOW_FILL_VALUE, "Unknown", 0);
  winnow_recipe_add_fill (r, "age", WINNOW_FILL_MEDIAN, NULL, 0);
  winnow_recipe_add_fill (r, "score", WINNOW_FILL_FFILL, NULL, 2);
  r->out_delimiter = '\t';
  r->crlf = TRUE;
  r->formula_guard = TRUE;
  r->rejects = TRUE;
  return r;
}

/* Any one Unicode character separates fields, in both directions. */
static void
test_unicode_delimiters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
    "{\"winnow_recipe\": 1, \"input\": {\"delimiter\": \"§\"}, \"output\": {\"delimiter\": \"€\"}}",
    -1, &error);
  g_autoptr(WinnowRecipe) back = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (recipe->delimiter, ==, 0xA7);
  g_assert_cmpuint (recipe->out_delimiter, ==, 0x20AC);
  json = winnow_recipe_to_json (recipe);
  g_assert_nonnull (strstr (json, "\"delimiter\" : \"€\""));
  back = winnow_recipe_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (recipe, back));
}

static void
test_round_trip (void)
{
  g_autoptr(WinnowRecipe) recipe = full_recipe ();
  g_autofree char *json = winnow_recipe_to_json (recipe);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) back = winnow_recipe_new_from_json (json, -1, &error);
  g_autoptr(WinnowRecipe) copy = winnow_recipe_copy (recipe);
  g_autoptr(WinnowRecipe) other = winnow_recipe_copy (recipe);

  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (recipe, back));
  g_assert_true (winnow_recipe_equal (recipe, copy));
  other->keep = WINNOW_KEEP_LAST;
  g_assert_false (winnow_recipe_equal (recipe, other));
  other->keep = recipe->keep;
  other->rejects = FALSE;
  g_assert_false (winnow_recipe_equal (recipe, other));
}

static void
test_spec_example (void)
{
  static const char json[] =
    "{\"winnow_recipe\": 1,"
    " \"input\": {\"delimiter\": \"auto\", \"quote\": \"\\\"\", \"encoding\": \"auto\","
    "   \"header\": true, \"na_values\": [\"\", \"NA\", \"...\"], \"bad_lines\": \"error\"},"
    " \"drop_columns\": [\"notes\"], \"trim_whitespace\": false,"
    " \"drop_duplicates\": {\"subset\": [], \"keep\": \"first\"},"
    " \"drop_missing\": {\"how\": \"any\", \"subset\": [\"id\", \"email\"]},"
    " \"fill\": [{\"column\": \"city\", \"value\": \"Unknown\"},"
    "   {\"column\": \"age\", \"strategy\": \"median\"},"
    "   {\"column\": \"income\", \"strategy\": \"mean\"},"
    "   {\"column\": \"score\", \"strategy\": \"ffill\", \"limit\": 2}],"
    " \"output\": {\"delimiter\": \",\", \"line_ending\": \"lf\", \"formula_guard\": false,"
    "   \"rejects\": true}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (json, -1, &error);
  const WinnowFillRule *score;

  g_assert_no_error (error);
  g_assert_cmpuint (recipe->na_values->len, ==, 3);
  g_assert_true (recipe->drop_duplicates);
  g_assert_cmpuint (recipe->missing_subset->len, ==, 2);
  g_assert_cmpuint (recipe->fill->len, ==, 4);
  score = g_ptr_array_index (recipe->fill, 3);
  g_assert_cmpint (score->strategy, ==, WINNOW_FILL_FFILL);
  g_assert_cmpint (score->limit, ==, 2);
  g_assert_true (winnow_recipe_needs_statistics (recipe));
  g_assert_true (recipe->rejects);
}

static void
test_shorthands (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) a = winnow_recipe_new_from_json (
    "{\"winnow_recipe\": 1, \"drop_duplicates\": true, \"drop_missing\": null}", -1, &error);
  g_autoptr(WinnowRecipe) b = NULL;

  g_assert_no_error (error);
  g_assert_true (a->drop_duplicates);
  g_assert_false (a->drop_missing);
  b = winnow_recipe_new_from_json ("{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": false}}",
                                   -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->keep, ==, WINNOW_KEEP_NONE);
}

static void
test_errors (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "[1]", "a recipe is a JSON object" },
    { "{\"winnow_recipe\": 1,", "not valid JSON" },
    { "{}", "winnow_recipe: missing" },
    { "{\"winnow_recipe\": 2}", "winnow_recipe: version 2 was written by a newer Winnow" },
    { "{\"winnow_recipe\": \"1\"}", "winnow_recipe: expected a whole number, not a string" },
    { "{\"winnow_recipe\": 1, \"drop_colums\": []}", "drop_colums: unknown key" },
    { "{\"winnow_recipe\": 1, \"input\": {\"delimter\": \",\"}}", "input.delimter: unknown key" },
    { "{\"winnow_recipe\": 1, \"input\": {\"delimiter\": \",,\"}}", "input.delimiter: expected \"auto\"" },
    { "{\"winnow_recipe\": 1, \"input\": {\"header\": \"yes\"}}", "input.header: expected true or false, not a string" },
    { "{\"winnow_recipe\": 1, \"input\": {\"na_values\": [1]}}", "input.na_values[0]: expected a string" },
    { "{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"ignore\"}}", "input.bad_lines: expected \"error\", \"skip\" or \"warn\"" },
    { "{\"winnow_recipe\": 1, \"input\": {\"encoding\": \"no-such-encoding\"}}", "input.encoding: \"no-such-encoding\" is not an encoding" },
    { "{\"winnow_recipe\": 1, \"input\": {\"delimiter\": \"'\", \"quote\": \"'\"}}", "the delimiter and the quote character must differ" },
    { "{\"winnow_recipe\": 1, \"drop_columns\": \"notes\"}", "drop_columns: expected a list of strings, not a string" },
    { "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"middle\"}}", "drop_duplicates.keep: expected \"first\", \"last\" or \"none\", not \"middle\"" },
    { "{\"winnow_recipe\": 1, \"drop_duplicates\": 3}", "drop_duplicates: expected an object or null, not a whole number" },
    { "{\"winnow_recipe\": 1, \"drop_missing\": {\"how\": \"any\", \"thresh\": 2}}", "give either \"how\" or \"thresh\", not both" },
    { "{\"winnow_recipe\": 1, \"drop_missing\": {\"thresh\": -1}}", "drop_missing.thresh: expected a number of at least 0" },
    { "{\"winnow_recipe\": 1, \"drop_missing\": {\"how\": \"some\"}}", "drop_missing.how: expected \"any\" or \"all\"" },
    { "{\"winnow_recipe\": 1, \"fill\": {}}", "fill: expected a list, not an object" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"value\": \"x\"}]}", "fill[0].column: missing" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\"}]}", "fill[0]: give either \"value\" or \"strategy\"" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"value\": \"x\", \"strategy\": \"mean\"}]}", "fill[0]: give either \"value\" or \"strategy\"" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"strategy\": \"average\"}]}", "fill[0].strategy: expected mean, median, mode, ffill or bfill, not \"average\"" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"value\": 0}]}", "fill[0].value: expected a string, not a whole number" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\", \"limit\": 2}]}", "fill[0].limit: only ffill and bfill take a limit" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"strategy\": \"ffill\", \"limit\": 0}]}", "fill[0].limit: expected a number of at least 1" },
    { "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"value\": \"x\"}, {\"column\": \"a\", \"strategy\": \"mode\"}]}", "fill[1]: column \"a\" is already filled by fill[0]" },
    { "{\"winnow_recipe\": 1, \"output\": {\"line_ending\": \"cr\"}}", "output.line_ending: expected \"lf\" or \"crlf\", not \"cr\"" },
    { "{\"winnow_recipe\": 1, \"output\": {\"rejects\": \"yes\"}}", "output.rejects: expected true or false, not a string" },
    { "{\"winnow_recipe\": 1, \"output\": {\"delimiter\": \"auto\"}}", "output.delimiter: expected \"same\", a single character other than a line end, or \"tab\", not \"auto\"" },
    { "{\"winnow_recipe\": 1, \"output\": {\"delimiter\": \"\\n\"}}", "output.delimiter: expected \"same\", a single character other than a line end" },
    { "{\"winnow_recipe\": 1, \"input\": {\"delimiter\": \"§§\"}}", "input.delimiter: expected \"auto\", a single character" },
    { "{\"winnow_recipe\": 1, \"output\": {\"delimiter\": \"\\\"\"}}", "output.delimiter: \" cannot be the delimiter, because fields that hold a delimiter, a quote or a line end are quoted with \"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (cases[i].json, -1, &error);

      g_assert_null (recipe);
      g_assert_true (error->domain == WINNOW_RECIPE_ERROR);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("for %s: expected “%s” in “%s”", cases[i].json, cases[i].message, error->message);
    }
}

static void
test_file (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(WinnowRecipe) recipe = full_recipe ();
  g_autofree char *path = g_build_filename (fixture->dir, "r.json", NULL);
  g_autofree char *bad = winnow_test_write_file (fixture->dir, "bad.json", "{\"winnow_recipe\": 1, \"x\": 1}", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) back = NULL;

  g_assert_true (winnow_recipe_save (recipe, path, &error));
  g_assert_no_error (error);
  back = winnow_recipe_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (recipe, back));

  g_assert_null (winnow_recipe_new_from_file (bad, &error));
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_assert_nonnull (strstr (error->message, "x: unknown key"));
}

static void
count_change (WinnowRecipeLibrary *library, guint *changes)
{
  (*changes)++;
}

/* Saved recipes: NAME.json files, listed in order, loaded back equal. */
static void
test_library (WinnowTestDir *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (f->dir, "recipes", NULL);
  g_autoptr(WinnowRecipeLibrary) library = winnow_recipe_library_new (dir);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
  g_autoptr(WinnowRecipe) plain = winnow_recipe_new ();
  g_autoptr(WinnowRecipe) loaded = NULL;
  g_autoptr(WinnowRecipe) from_file = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *path = NULL;
  guint changes = 0;

  g_signal_connect (library, "changed", G_CALLBACK (count_change), &changes);
  names = winnow_recipe_library_list (library);
  g_assert_cmpuint (g_strv_length (names), ==, 0);

  recipe->keep = WINNOW_KEEP_LAST;
  winnow_recipe_add_fill (recipe, "age", WINNOW_FILL_MEDIAN, NULL, 0);
  g_assert_true (winnow_recipe_library_save (library, "Weekly export", recipe, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_library_save (library, "année", recipe, &error));
  g_assert_true (winnow_recipe_library_save (library, "Accounts", plain, &error));
  g_assert_cmpuint (changes, ==, 3);
  g_clear_pointer (&names, g_strfreev);
  names = winnow_recipe_library_list (library);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "Accounts");
  g_assert_cmpstr (names[1], ==, "année");
  g_assert_cmpstr (names[2], ==, "Weekly export");

  loaded = winnow_recipe_library_load (library, "Weekly export", &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (loaded, recipe));
  /* the file is what winnow --batch --recipe reads */
  path = g_build_filename (dir, "Weekly export.json", NULL);
  from_file = winnow_recipe_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (from_file, recipe));

  g_assert_true (winnow_recipe_library_delete (library, "année", &error));
  g_assert_cmpuint (changes, ==, 4);
  g_assert_null (winnow_recipe_library_load (library, "année", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_library_names (WinnowTestDir *f, gconstpointer data)
{
  static const char * const bad[] = { "", ".hidden", " lead", "a/b", "tab\there",
                                      "\xff\xfe" };
  g_autofree char *dir = g_build_filename (f->dir, "recipes", NULL);
  g_autoptr(WinnowRecipeLibrary) library = winnow_recipe_library_new (dir);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
  g_autofree char *long_name = g_strnfill (101, 'x');

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (winnow_recipe_library_save (library, bad[i], recipe, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (winnow_recipe_library_save (library, long_name, recipe, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  }
  /* nothing was written */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recipe/defaults", test_defaults);
  g_test_add_func ("/recipe/round-trip", test_round_trip);
  g_test_add_func ("/recipe/unicode-delimiters", test_unicode_delimiters);
  g_test_add_func ("/recipe/spec-example", test_spec_example);
  g_test_add_func ("/recipe/shorthands", test_shorthands);
  g_test_add_func ("/recipe/errors", test_errors);
  g_test_add ("/recipe/library", WinnowTestDir, NULL, winnow_test_dir_setup, test_library,
              winnow_test_dir_teardown);
  g_test_add ("/recipe/library-names", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_library_names, winnow_test_dir_teardown);
  g_test_add ("/recipe/file", WinnowTestDir, NULL, winnow_test_dir_setup, test_file,
              winnow_test_dir_teardown);

  return g_test_run ();
}
