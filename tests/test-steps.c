/* test-steps.c: the table of steps (winnow-step.h) as the layers read it,
 * and the replace step: its recipe form, its option, and what it does to
 * rows, with the bytes pandas writes for the same (Series.replace with a
 * dict, after read_csv with dtype=str). */
#include "config.h"

#include <string.h>

#include "winnow-cleaner.h"
#include "winnow-csv-reader.h"
#include "winnow-plan.h"
#include "winnow-step.h"
#include "winnow-test-util.h"

#define R(steps) "{\"winnow_recipe\": 1" steps "}"

/* ---- the table ---- */

static void
test_table (void)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) options = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(WinnowRecipe) empty = winnow_recipe_new ();

  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    {
      const WinnowStep *step = winnow_step_get (i);

      g_assert_cmpint (step->id, ==, i);
      g_assert_nonnull (step->key);
      g_assert_true (g_hash_table_add (keys, (gpointer) step->key));
      g_assert_true (winnow_step_find (step->key) == step);
      g_assert_nonnull (step->equal);
      g_assert_nonnull (step->is_on);
      g_assert_nonnull (step->read);
      g_assert_nonnull (step->write);
      g_assert_nonnull (step->describe);
      /* a step that reports a count says it in words and has a label */
      g_assert_true ((step->count_key == NULL) == (step->count_label == NULL));
      if (step->count_key != NULL)
        g_assert_nonnull (step->count_words);
      /* a new recipe has every step off */
      g_assert_false (step->is_on (empty));
      for (const WinnowStepOption *o = step->options; o && o->name; o++)
        {
          g_assert_true (g_hash_table_add (options, (gpointer) o->name));
          g_assert_nonnull (o->apply);
          g_assert_nonnull (o->description);
        }
    }
  g_assert_null (winnow_step_find ("input"));
}

/* Each step's option switches it on, and its JSON reads back equal. */
static void
test_options_round_trip (void)
{
  static const struct {
    const char *option;
    const char *value;
  } given[] = {
    { "drop-columns", "c" },
    { "trim", NULL },
    { "replace", "a=x|y:z" },
    { "drop-duplicates", "a,b" },
    { "keep", "last" },
    { "subset", "b" },
    { "thresh", "1" },
    { "fill", "b=ffill:2" },
    { "fill-value", "a=?" },
  };
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(WinnowRecipe) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    g_hash_table_add (names, (gpointer) given[i].option);
  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    {
      gboolean found = FALSE;
      for (guint s = 0; s < WINNOW_N_STEPS && !found; s++)
        for (const WinnowStepOption *o = winnow_step_get (s)->options; o && o->name; o++)
          if (g_str_equal (o->name, given[i].option))
            {
              g_assert_true (o->apply (recipe, names, given[i].value, &error));
              g_assert_no_error (error);
              g_assert_true (winnow_step_get (s)->is_on (recipe));
              found = TRUE;
              break;
            }
      g_assert_true (found);
    }
  g_assert_true (winnow_recipe_validate (recipe, &error));
  json = winnow_recipe_to_json (recipe);
  back = winnow_recipe_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (recipe, back));
  g_assert_cmpint (back->keep, ==, WINNOW_KEEP_LAST);
  g_assert_cmpint (back->thresh, ==, 1);
}

/* ---- replace: the recipe ---- */

static WinnowRecipe *
replace_option (const char *value, GError **error)
{
  WinnowRecipe *recipe = winnow_recipe_new ();
  const WinnowStepOption *option = winnow_step_get (WINNOW_STEP_REPLACE)->options;
  g_autoptr(GHashTable) given = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpstr (option->name, ==, "replace");
  if (!option->apply (recipe, given, value, error))
    g_clear_pointer (&recipe, winnow_recipe_free);
  return recipe;
}

static const WinnowReplaceRule *
rule (const WinnowRecipe *recipe, guint i)
{
  g_assert_cmpuint (recipe->replace->len, >, i);
  return g_ptr_array_index (recipe->replace, i);
}

static void
test_replace_option_syntax (void)
{
  static const struct {
    const char *value;
    const char *column;
    const char *from;     /* the texts joined with ¦ */
    const char *to;       /* NULL: missing */
  } cases[] = {
    { "city=NYC|New York City:New York", "city", "NYC¦New York City", "New York" },
    { "state=??:", "state", "??", NULL },
    { "s=a:\\e", "s", "a", "" },
    { "s=\\e:x", "s", "\\e", "x" },                  /* \e is the empty text as TO only */
    { "a\\=b=x\\|y|z\\:w:p:q|r", "a=b", "x|y¦z:w", "p:q|r" },  /* TO is the rest */
    { "c=back\\\\slash:\\\\", "c", "back\\slash", "\\" },
    { "c=\\n:x", "c", "\\n", "x" },                  /* other backslashes are text */
    { "c=:empty", "c", "", "empty" },
    { "c=a||b:x", "c", "a¦¦b", "x" },
  };
  static const char * const bad[] = { "city", "=a:b", "city=a", "city=a|b", "" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowRecipe) recipe = replace_option (cases[i].value, &error);
      g_autoptr(GString) from = g_string_new (NULL);
      const WinnowReplaceRule *r;

      g_test_message ("--replace %s", cases[i].value);
      g_assert_no_error (error);
      r = rule (recipe, 0);
      for (guint j = 0; j < r->from->len; j++)
        g_string_append_printf (from, "%s%s", j ? "¦" : "", (char *) g_ptr_array_index (r->from, j));
      g_assert_cmpstr (r->column, ==, cases[i].column);
      g_assert_cmpstr (from->str, ==, cases[i].from);
      g_assert_cmpstr (r->to, ==, cases[i].to);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowRecipe) recipe = replace_option (bad[i], &error);

      g_assert_null (recipe);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, "--replace: expected COLUMN=FROM|FROM:TO"));
    }
}

static void
test_replace_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
    R (", \"replace\": [{\"column\": \"city\", \"from\": [\"NYC\", \"New York City\"], \"to\": \"New York\"},"
       " {\"column\": \"state\", \"from\": \"??\", \"to\": null}]"), -1, &error);
  g_autoptr(WinnowRecipe) back = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (recipe->replace->len, ==, 2);
  g_assert_cmpstr (rule (recipe, 0)->column, ==, "city");
  g_assert_cmpuint (rule (recipe, 0)->from->len, ==, 2);
  g_assert_cmpstr (rule (recipe, 0)->to, ==, "New York");
  g_assert_cmpuint (rule (recipe, 1)->from->len, ==, 1);  /* a string is a list of one */
  g_assert_null (rule (recipe, 1)->to);

  json = winnow_recipe_to_json (recipe);
  g_assert_nonnull (strstr (json, "\"to\" : null"));
  back = winnow_recipe_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (recipe, back));
  /* null and "" are different targets */
  g_free (rule (back, 1)->to);
  ((WinnowReplaceRule *) rule (back, 1))->to = g_strdup ("");
  g_assert_false (winnow_recipe_equal (recipe, back));
}

static void
test_replace_invalid (void)
{
  static const struct {
    const char *recipe;
    const char *message;
  } cases[] = {
    { R (", \"replace\": {}"), "replace: expected a list, not an object" },
    { R (", \"replace\": [{\"from\": [\"a\"], \"to\": \"b\"}]"),
      "replace[0].column: missing (in which column?)" },
    { R (", \"replace\": [{\"column\": \"c\", \"to\": \"b\"}]"),
      "replace[0].from: missing (which texts to replace?)" },
    { R (", \"replace\": [{\"column\": \"c\", \"from\": [\"a\"]}]"),
      "replace[0].to: missing (a text, or null for a missing value)" },
    { R (", \"replace\": [{\"column\": \"c\", \"from\": [\"a\"], \"to\": 1}]"),
      "replace[0].to: expected a string, not a whole number" },
    { R (", \"replace\": [{\"column\": \"c\", \"from\": [], \"to\": \"b\"}]"),
      "replace[0].from: expected at least one text" },
    { R (", \"replace\": [{\"column\": \"\", \"from\": [\"a\"], \"to\": \"b\"}]"),
      "replace[0].column: expected a column name" },
    { R (", \"replace\": [{\"column\": \"c\", \"from\": [\"a\"], \"to\": \"b\", \"regex\": true}]"),
      "replace[0].regex: unknown key (expected one of: column, from, to)" },
    { R (", \"replace\": [{\"column\": \"c\", \"from\": [\"x\", \"NA\"], \"to\": \"b\"}]"),
      "replace[0].from[1]: “NA” is a missing-value token (input.na_values), and a missing "
      "field is never replaced; fill it instead" },
    { R (", \"trim_whitespace\": true, \"replace\": [{\"column\": \"c\", \"from\": [\" a\"], \"to\": \"b\"}]"),
      "replace[0].from[0]: “ a” has spaces around it, and trim_whitespace removes them before "
      "fields are replaced" },
    { R (", \"replace\": [{\"column\": \"c\", \"from\": [\"a\"], \"to\": \"b\"},"
         " {\"column\": \"d\", \"from\": [\"a\"], \"to\": \"b\"},"
         " {\"column\": \"c\", \"from\": [\"z\", \"a\"], \"to\": \"y\"}]"),
      "replace[2].from[1]: “a” in column “c” is already replaced by replace[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (cases[i].recipe, -1, &error);

      g_assert_null (recipe);
      g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
  /* "" may be replaced once it is not an NA token */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
      R (", \"input\": {\"na_values\": [\"NA\"]},"
         " \"replace\": [{\"column\": \"c\", \"from\": [\"\"], \"to\": \"none\"}]"), -1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (recipe);
  }
}

static void
test_replace_describe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
    R (", \"replace\": [{\"column\": \"city\", \"from\": [\"NYC\", \"New York City\"], \"to\": \"New York\"},"
       " {\"column\": \"state\", \"from\": [\"??\"], \"to\": null},"
       " {\"column\": \"n\", \"from\": [\"a\", \"b\", \"c\", \"d\", \"e\"], \"to\": \"x\"}]"), -1, &error);
  g_autoptr(GPtrArray) lines = winnow_step_describe_recipe (recipe);
  g_autofree char *words = winnow_step_count_words (WINNOW_STEP_REPLACE, 1);

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "Replace “NYC” and “New York City” with “New York” in city");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "Make “??” missing in state");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "Replace “a”, “b”, “c” and 2 more with “x” in n");
  g_assert_cmpstr (words, ==, "1 cell replaced");
}

/* ---- replace: the rows ---- */

static void
test_replace_basic (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (
    R (", \"replace\": [{\"column\": \"city\", \"from\": [\"NYC\", \"New York City\"], \"to\": \"New York\"},"
       " {\"column\": \"state\", \"from\": [\"??\"], \"to\": null}]"),
    "city,state\nNYC,NY\nNew York City,??\nBoston,MA\nnyc,??\n", -1, &result, &error);
  WinnowColumnProfile *city, *state;

  g_assert_no_error (error);
  /* exact, case-sensitive whole fields, as pandas */
  g_assert_cmpstr (out, ==, "city,state\nNew York,NY\nNew York,\nBoston,MA\nnyc,\n");
  g_assert_cmpuint (result->counts[WINNOW_STEP_REPLACE], ==, 4);
  city = g_ptr_array_index (result->columns, 0);
  state = g_ptr_array_index (result->columns, 1);
  g_assert_cmpuint (city->cells[WINNOW_STEP_REPLACE], ==, 2);
  g_assert_cmpuint (state->cells[WINNOW_STEP_REPLACE], ==, 2);
  /* a field made missing is missing from then on: to drop_missing and fill,
   * and in the profile's counts */
  g_assert_cmpuint (state->missing_before, ==, 2);
  g_assert_cmpuint (state->missing_after, ==, 2);
  {
    g_autofree char *json = winnow_result_to_json (result);
    g_autoptr(WinnowResult) back = winnow_result_new_from_json (json, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (json, "\"cells_replaced\":4"));
    g_assert_cmpuint (back->counts[WINNOW_STEP_REPLACE], ==, 4);
    g_assert_cmpuint (((WinnowColumnProfile *) g_ptr_array_index (back->columns, 1))->cells[WINNOW_STEP_REPLACE], ==, 2);
  }
  winnow_result_free (result);
}

static void
test_replace_at_once (void)
{
  /* pd.Series(["a", "b"]).replace({"a": "b", "b": "c"}) is ["b", "c"]:
   * no chains, whichever rule comes first */
  winnow_test_assert_clean (
    R (", \"replace\": [{\"column\": \"x\", \"from\": [\"a\"], \"to\": \"b\"},"
       " {\"column\": \"x\", \"from\": [\"b\"], \"to\": \"c\"}]"),
    "x\na\nb\nc\n", "x\nb\nc\nc\n");
}

static void
test_replace_missing_never_matched (void)
{
  /* NA is missing before replace looks, so it stays missing (pandas:
   * NaN is not the string "NA"); a text made missing is dropped by
   * dropna and filled by fillna, as NaN is */
  winnow_test_assert_clean (
    R (", \"replace\": [{\"column\": \"x\", \"from\": [\"?\"], \"to\": null}],"
       " \"drop_missing\": {\"how\": \"any\"}"),
    "x,y\nNA,1\n?,2\nok,3\n", "x,y\nok,3\n");
  winnow_test_assert_clean (
    R (", \"replace\": [{\"column\": \"x\", \"from\": [\"?\"], \"to\": null}],"
       " \"fill\": [{\"column\": \"x\", \"value\": \"unknown\"}]"),
    "x\n?\nNA\nok\n", "x\nunknown\nunknown\nok\n");
  /* a text that becomes an NA token's text stays a value (pandas keeps
   * the string "NA"): dropna leaves it */
  winnow_test_assert_clean (
    R (", \"replace\": [{\"column\": \"x\", \"from\": [\"?\"], \"to\": \"NA\"}],"
       " \"drop_missing\": {\"how\": \"any\"}"),
    "x\n?\n", "x\nNA\n");
}

static void
test_replace_after_trim_before_dedupe (void)
{
  /* trimmed first, so " NYC " matches; then the rows are equal */
  winnow_test_assert_clean (
    R (", \"trim_whitespace\": true,"
       " \"replace\": [{\"column\": \"c\", \"from\": [\"NYC\"], \"to\": \"New York\"}],"
       " \"drop_duplicates\": {}"),
    "c,n\n NYC ,1\nNew York,1\n", "c,n\nNew York,1\n");
  /* the empty text is not a missing value to duplicate detection
   * (pandas: "" != NaN) */
  winnow_test_assert_clean (
    R (", \"replace\": [{\"column\": \"c\", \"from\": [\"-\"], \"to\": \"\"}],"
       " \"drop_duplicates\": {}"),
    "c,n\n-,1\n,1\n-,1\n", "c,n\n,1\n,1\n");
}

static void
test_replace_in_dropped_columns_and_subsets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (
    R (", \"drop_columns\": [\"b\"], \"replace\": [{\"column\": \"b\", \"from\": [\"x\"], \"to\": \"y\"}]"),
    "a,b\n1,x\n", -1, NULL, &error);

  g_assert_null (out);
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN);
  g_assert_cmpstr (error->message, ==, "replace[0].column: column \"b\" is removed by drop_columns");
  g_clear_error (&error);
  out = winnow_test_clean (R (", \"replace\": [{\"column\": \"z\", \"from\": [\"x\"], \"to\": \"y\"}]"),
                           "a,b\n1,x\n", -1, NULL, &error);
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN);
  g_assert_nonnull (strstr (error->message, "replace[0].column: the file has no column \"z\""));
  /* a repeated header name answers to its pandas name */
  g_clear_error (&error);
  winnow_test_assert_clean (R (", \"replace\": [{\"column\": \"a.1\", \"from\": [\"x\"], \"to\": \"y\"}]"),
                            "a,a\nx,x\n", "a,a\nx,y\n");
}

/* Bad lines skipped do not count their fields; rows read in several
 * chunks on several threads count each replaced field once. */
static void
test_replace_counts_in_chunks (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new ("k,v\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
    R (", \"input\": {\"bad_lines\": \"skip\"},"
       " \"replace\": [{\"column\": \"v\", \"from\": [\"old\", \"\\\"q\\\"\"], \"to\": \"new\"}]"), -1, &error);
  g_autofree char *path = NULL;
  guint64 expected = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 20000; i++)
    {
      if (i % 97 == 0)
        g_string_append (csv, "bad,old,old\n");                /* skipped */
      else if (i % 5 == 0)
        g_string_append_printf (csv, "%u,\"o\nld\"\n", i);     /* a line end inside: no match */
      else if (i % 3 == 0)
        (g_string_append_printf (csv, "%u,old\n", i), expected++);
      else if (i % 7 == 0)
        (g_string_append_printf (csv, "%u,\"\"\"q\"\"\"\n", i), expected++);
      else
        g_string_append_printf (csv, "%u,older\n", i);
    }
  path = winnow_test_write_file (fixture->dir, "in.csv", csv->str, (gssize) csv->len);

  for (guint n_threads = 1; n_threads <= 4; n_threads += 3)
    {
      WinnowCsvReaderOptions options = { ',', '"', "auto", TRUE, WINNOW_BAD_LINES_SKIP, 4096, n_threads };
      g_autoptr(WinnowCsvReader) reader = winnow_csv_reader_open (path, &options, NULL, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(WinnowPlan) plan = NULL;
      WinnowRowBatch *batch;
      guint64 counted = 0, rows = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < winnow_csv_reader_get_n_columns (reader); i++)
        g_ptr_array_add (names, (gpointer) winnow_csv_reader_get_column (reader, i));
      plan = winnow_plan_new (recipe, names, &error);
      g_assert_no_error (error);
      g_assert_null (plan->replace[0]);
      g_assert_nonnull (plan->replace[1]);
      winnow_csv_reader_set_replace (reader, plan->replace);
      winnow_csv_reader_start (reader, plan->column_map, plan->n_kept, plan->na, FALSE);
      while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
        {
          counted += batch->replaced[1];
          g_assert_cmpuint (batch->replaced[0], ==, 0);
          rows += batch->n_rows;
          winnow_csv_reader_recycle (reader, batch);
        }
      g_assert_true (winnow_csv_reader_finish (reader, &error));
      g_test_message ("%u parse threads: %" G_GUINT64_FORMAT " rows", n_threads, rows);
      g_assert_cmpuint (counted, ==, expected);
    }
}

static void
test_replace_rejects_show_the_row_as_read (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
    R (", \"replace\": [{\"column\": \"c\", \"from\": [\"NYC\"], \"to\": \"New York\"}],"
       " \"drop_duplicates\": {}, \"output\": {\"rejects\": true}"), -1, &error);
  g_autofree char *in = winnow_test_write_file (fixture->dir, "in.csv", "c\nNew York\nNYC\n", -1);
  g_autofree char *out = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *rejects = g_build_filename (fixture->dir, "out.rejected.csv", NULL);
  g_autoptr(WinnowResult) result = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rejected = NULL;

  g_assert_no_error (error);
  result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  written = winnow_test_read_file (out);
  rejected = winnow_test_read_file (rejects);
  g_assert_cmpstr (written, ==, "c\nNew York\n");
  g_assert_nonnull (strstr (rejected, ",NYC\n"));
  g_assert_cmpuint (result->counts[WINNOW_STEP_REPLACE], ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/steps/table", test_table);
  g_test_add_func ("/steps/options-round-trip", test_options_round_trip);
  g_test_add_func ("/steps/replace/option-syntax", test_replace_option_syntax);
  g_test_add_func ("/steps/replace/json", test_replace_json);
  g_test_add_func ("/steps/replace/invalid", test_replace_invalid);
  g_test_add_func ("/steps/replace/describe", test_replace_describe);
  g_test_add_func ("/steps/replace/basic", test_replace_basic);
  g_test_add_func ("/steps/replace/at-once", test_replace_at_once);
  g_test_add_func ("/steps/replace/missing-never-matched", test_replace_missing_never_matched);
  g_test_add_func ("/steps/replace/after-trim-before-dedupe", test_replace_after_trim_before_dedupe);
  g_test_add_func ("/steps/replace/columns", test_replace_in_dropped_columns_and_subsets);
  g_test_add ("/steps/replace/counts-in-chunks", WinnowTestDir, NULL,
              winnow_test_dir_setup, test_replace_counts_in_chunks, winnow_test_dir_teardown);
  g_test_add ("/steps/replace/rejects", WinnowTestDir, NULL,
              winnow_test_dir_setup, test_replace_rejects_show_the_row_as_read,
              winnow_test_dir_teardown);
  return g_test_run ();
}
