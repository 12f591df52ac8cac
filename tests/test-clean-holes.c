/* test-clean-holes.c: fills by a statistic, and bfill, written as holes
 * in the one write pass and filled at its end (docs/ARCHITECTURE.md,
 * "statistics pass"): the same bytes and result as with a pass of
 * statistics first, in files of many columns and of one, and the pass of
 * statistics taken instead when the holes are too dense to pay; and the
 * holes of a forward fill on more than one thread. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "winnow-cleaner-private.h"
#include "winnow-output-file.h"
#include "winnow-spill-array.h"
#include "winnow-test-util.h"

/* Fills by a statistic, and bfill, are written as holes and filled at
 * the end of the one write pass; the same recipe filled by a pass of
 * statistics first, as before holes, must give the same bytes and the
 * same result. Mode values that need quotes and a formula guard, bfill
 * values that need them too, with and without a limit, runs that reach
 * the end of the file, rows dropped before the statistics, missing cells
 * in the first column and the preview. */
static void
test_fill_holes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) csv = g_string_new ("m,a,b,c,d,e,f,g\n");
  static const char *texts[] = { "\"x, y\"", "\"x, y\"", "\"say \"\"hi\"\"\"", "=1+2", "plain", "" };
  const char *recipe =
    "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"subset\": [\"e\"], \"keep\": \"last\"},"
    " \"drop_missing\": {\"subset\": [\"a\"]}, \"output\": {\"formula_guard\": true},"
    " \"fill\": [{\"column\": \"m\", \"strategy\": \"median\"},"
    " {\"column\": \"b\", \"strategy\": \"median\"}, {\"column\": \"c\", \"strategy\": \"mode\"},"
    " {\"column\": \"d\", \"strategy\": \"mean\"},"
    " {\"column\": \"f\", \"strategy\": \"bfill\", \"limit\": 2},"
    " {\"column\": \"g\", \"strategy\": \"bfill\"}]}";
  WinnowResult *results[3] = { NULL, NULL, NULL };
  char *outputs[3];
  char *json[3];

  for (guint i = 0; i < 40000; i++)
    {
      if (g_rand_int_range (rand, 0, 5) > 0)
        g_string_append_printf (csv, "%d", g_rand_int_range (rand, -9, 9));
      g_string_append_printf (csv, ",%s,", g_rand_int_range (rand, 0, 20) ? "k" : "");
      if (g_rand_int_range (rand, 0, 4) > 0)
        g_string_append_printf (csv, "%d", g_rand_int_range (rand, 0, 1000));
      g_string_append_printf (csv, ",%s,", texts[g_rand_int_range (rand, 0, G_N_ELEMENTS (texts))]);
      if (g_rand_int_range (rand, 0, 3) > 0)
        g_string_append_printf (csv, "%.3f", g_rand_double_range (rand, -1e3, 1e3));
      g_string_append_printf (csv, ",%u,", g_rand_int_range (rand, 0, 30000));
      /* runs of missing cells of any length; the last rows' run ends
       * the file */
      if (i < 39990 && g_rand_int_range (rand, 0, 3) == 0)
        g_string_append (csv, texts[g_rand_int_range (rand, 0, G_N_ELEMENTS (texts))]);
      g_string_append_c (csv, ',');
      if (i < 39900 && g_rand_int_range (rand, 0, 40) == 0)
        g_string_append_printf (csv, "g%u", i);
      g_string_append_c (csv, '\n');
    }
  /* the second by a pass of statistics; the third: the holes' places
   * kept in a file past the first 256 */
  guint moved = winnow_spill_array_get_n_moved ();
  for (guint r = 0; r < 3; r++)
    {
      g_autoptr(GError) error = NULL;

      winnow_clean_set_spill_memory (r == 2 ? 256 * sizeof (WinnowOutputHole) : 0);
      winnow_clean_set_fill_holes (r != 1);
      outputs[r] = winnow_test_clean (recipe, csv->str, -1, &results[r], &error);
      winnow_clean_set_spill_memory (0);
      winnow_clean_set_fill_holes (-1);
      g_assert_no_error (error);
      g_assert_cmpuint (results[r]->passes, ==, r == 1 ? 3 : 2);
      results[r]->passes = 0;
      results[r]->elapsed = 0;
      json[r] = winnow_result_to_json (results[r]);
    }
  /* values in quotes and guarded; the runs that end the file left empty */
  g_assert_nonnull (strstr (outputs[0], ",\"x, y\",g"));
  g_assert_nonnull (strstr (outputs[0], ",'=1+2,"));
  g_assert_true (g_str_has_suffix (outputs[0], ",,\n"));
  /* the mode, in quotes */
  g_assert_nonnull (strstr (outputs[0], ",\"x, y\","));
  g_assert_cmpuint (results[0]->counts[WINNOW_STEP_FILL], >, 10000);
  g_assert_cmpstr (outputs[0], ==, outputs[1]);
  g_assert_cmpstr (json[0], ==, json[1]);
  g_assert_cmpuint (winnow_spill_array_get_n_moved (), ==, moved + 1);
  g_assert_cmpstr (outputs[2], ==, outputs[0]);
  g_assert_cmpstr (json[2], ==, json[0]);
  for (guint r = 0; r < 3; r++)
    {
      g_free (outputs[r]);
      g_free (json[r]);
      winnow_result_free (results[r]);
    }
}

/* A file of one column: its fills are holes too, and a hole that gets
 * no value becomes "", a row of one empty field (an empty line is no
 * row); the same bytes and result as with a pass of statistics first. */
static void
test_fill_holes_one_column (void)
{
  static const struct {
    const char *fill;
    const char *input;
    const char *output;
    const char *more;  /* of the recipe */
  } cases[] = {
    { "\"strategy\": \"mean\"", "v\n1\n\"\"\n4\n\"\"\n", "v\n1\n2.5\n4\n2.5\n" },
    { "\"strategy\": \"median\"", "v\n\"\"\n7\n", "v\n7\n7\n" },
    { "\"strategy\": \"mode\"", "v\nb\n\"\"\nb\na\n", "v\nb\nb\nb\na\n" },
    { "\"strategy\": \"mean\"", "v\nx\n\"\"\n", "v\nx\n\"\"\n" },
    { "\"strategy\": \"bfill\"", "v\n\"\"\n1\n\"\"\n\"\"\n\"x, y\"\n\"\"\n",
      "v\n1\n1\n\"x, y\"\n\"x, y\"\n\"x, y\"\n\"\"\n" },
    { "\"strategy\": \"bfill\", \"limit\": 1", "v\n\"\"\n\"\"\n2\n", "v\n\"\"\n2\n2\n" },
    /* "" present (only "-" is missing): a run can end in an empty value */
    { "\"strategy\": \"bfill\"", "v\n-\n\"\"\nx\n", "v\n\"\"\n\"\"\nx\n",
      ", \"input\": {\"na_values\": [\"-\"]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *recipe = g_strdup_printf (
        "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"v\", %s}]%s}", cases[i].fill,
        cases[i].more ? cases[i].more : "");
      WinnowResult *results[2];
      char *outputs[2], *json[2];

      for (guint r = 0; r < 2; r++)
        {
          g_autoptr(GError) error = NULL;

          winnow_clean_set_fill_holes (r == 0);
          outputs[r] = winnow_test_clean (recipe, cases[i].input, -1, &results[r], &error);
          winnow_clean_set_fill_holes (-1);
          g_assert_no_error (error);
          g_assert_cmpuint (results[r]->passes, ==, r + 1);
          results[r]->passes = 0;
          results[r]->elapsed = 0;
          json[r] = winnow_result_to_json (results[r]);
        }
      g_assert_cmpstr (outputs[0], ==, cases[i].output);
      g_assert_cmpstr (outputs[1], ==, outputs[0]);
      g_assert_cmpstr (json[1], ==, json[0]);
      for (guint r = 0; r < 2; r++)
        {
          g_free (outputs[r]);
          g_free (json[r]);
          winnow_result_free (results[r]);
        }
    }
}

/* @got is @want, or the test fails saying where they part (not the whole
 * of two outputs of megabytes). */
static void
assert_same (const char *what, const char *got, const char *want)
{
  gsize i = 0;

  while (got[i] != '\0' && got[i] == want[i])
    i++;
  if (got[i] != want[i])
    g_error ("%s differ at byte %" G_GSIZE_FORMAT ": \"%.60s\" instead of \"%.60s\"", what, i,
             got + i, want + i);
}

typedef struct {
  double last;
  gboolean went_back;
} Told;

static void
on_progress (const WinnowProgress *progress, gpointer data)
{
  Told *told = data;

  if (progress->fraction < told->last)
    told->went_back = TRUE;
  told->last = progress->fraction;
}

/* Runs @recipe over @csv with the holes' @mode (winnow_clean_set_fill_holes());
 * the output, the rejected rows and the result without its passes and
 * time, which are returned in *@passes. */
static void
clean_with_holes (const char *recipe_json, const GString *csv, gint mode, char **output,
                  char **rejects, char **json, guint *passes, Told *told)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (recipe_json, -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *rejects_path = NULL;
  WinnowTestDir dir;
  WinnowResult *result;

  winnow_test_dir_setup (&dir, NULL);
  in = winnow_test_write_file (dir.dir, "in.csv", csv->str, (gssize) csv->len);
  out = g_build_filename (dir.dir, "out.csv", NULL);
  winnow_clean_set_fill_holes (mode);
  result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, on_progress, told, NULL, &error);
  winnow_clean_set_fill_holes (-1);
  g_assert_no_error (error);
  *output = winnow_test_read_file (out);
  rejects_path = winnow_output_file_rejects_path (out);
  *rejects = winnow_test_read_file (rejects_path);
  /* the output, the rejected rows and the input: no file of a first
   * attempt left behind */
  g_assert_cmpuint (winnow_test_count_files (dir.dir), ==, 3);
  *passes = result->passes;
  result->passes = 0;
  result->elapsed = 0;
  *json = winnow_result_to_json (result);
  winnow_result_free (result);
  winnow_test_dir_teardown (&dir, NULL);
}

/* Holes too dense to pay for (a bfill and a mean with nine cells in ten
 * missing): once the write pass has left 65,536 of them it stops, and
 * the file is cleaned again with a pass of statistics first; the bytes,
 * the rejected rows and the result are those of either way, and the
 * progress told never goes back. A file whose holes are fewer per byte
 * keeps them: one pass. */
static void
test_fill_holes_dense (void)
{
  const char *recipe =
    "{\"winnow_recipe\": 1, \"drop_missing\": {\"subset\": [\"k\"]},"
    " \"output\": {\"rejects\": true},"
    " \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\"},"
    " {\"column\": \"b\", \"strategy\": \"bfill\"}]}";
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GString) dense = g_string_new ("k,a,b\n");
  g_autoptr(GString) sparse = g_string_new ("k,a,b\n");
  static const gint modes[] = { -1, 0, 1 };  /* as chosen, statistics, holes */
  char *outputs[3], *rejects[3], *json[3];
  guint passes[3];
  Told told = { 0 };

  for (guint i = 0; i < 50000; i++)
    {
      if (g_rand_int_range (rand, 0, 50) > 0)
        g_string_append_printf (dense, "%u", i);
      g_string_append_c (dense, ',');
      if (g_rand_int_range (rand, 0, 10) == 0)
        g_string_append_printf (dense, "%d", g_rand_int_range (rand, -99, 99));
      g_string_append_c (dense, ',');
      if (g_rand_int_range (rand, 0, 10) == 0)
        g_string_append_printf (dense, "b%u", i);
      g_string_append_c (dense, '\n');
    }
  for (guint r = 0; r < 3; r++)
    clean_with_holes (recipe, dense, modes[r], &outputs[r], &rejects[r], &json[r], &passes[r],
                      r == 0 ? &told : &(Told) { 0 });
  g_assert_cmpuint (passes[0], ==, 2);
  g_assert_cmpuint (passes[1], ==, 2);
  g_assert_cmpuint (passes[2], ==, 1);
  g_assert_false (told.went_back);
  g_assert_cmpfloat (told.last, ==, 1.0);
  g_assert_nonnull (strstr (rejects[0], ",missing,k,,"));
  for (guint r = 1; r < 3; r++)
    {
      assert_same ("outputs", outputs[r], outputs[0]);
      assert_same ("rejected rows", rejects[r], rejects[0]);
      assert_same ("results", json[r], json[0]);
    }
  for (guint r = 0; r < 3; r++)
    {
      g_free (outputs[r]);
      g_free (rejects[r]);
      g_free (json[r]);
    }

  /* one hole in a row of 80 bytes */
  for (guint i = 0; i < 70000; i++)
    g_string_append_printf (sparse, "%u,%s,%072u\n", i, i % 100 ? "" : "5", i);
  clean_with_holes (recipe, sparse, -1, &outputs[0], &rejects[0], &json[0], &passes[0], &told);
  g_assert_cmpuint (passes[0], ==, 1);
  g_assert_nonnull (strstr (outputs[0], "\n1,5,"));
  g_free (outputs[0]);
  g_free (rejects[0]);
  g_free (json[0]);
}

/* A forward fill on more than one thread: the cells before each batch's
 * first value are holes that get the value the batches before it ended
 * with, within the limit; the same bytes and result as on one thread.
 * Runs of missing cells cross batches of 4,096 rows, in a file of one
 * column (an empty value written "") and of two. */
static void
test_ffill_pipelined (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);
  g_autoptr(GString) one = g_string_new ("v\n");
  g_autoptr(GString) two = g_string_new ("k,v\n");
  static const guint runs[] = { 1, 3, 900, 4096, 9000 };
  static const char *limits[] = { "", ", \"limit\": 2", ", \"limit\": 5000" };

  for (guint row = 0; row < 40000;)
    {
      guint n = runs[g_rand_int_range (rand, 0, G_N_ELEMENTS (runs))];
      gboolean missing = g_rand_boolean (rand);

      for (guint i = 0; i < n; i++, row++)
        {
          /* values: some empty (present: "" is no NA token here) */
          const char *value = missing ? "-" : row % 7 == 0 ? "\"\"" : "\"a,b\"";
          g_string_append_printf (one, "%s\n", missing || row % 3 ? value : "x");
          g_string_append_printf (two, "%u,%s\n", row, missing || row % 3 ? value : "=x");
        }
    }
  for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
    for (guint f = 0; f < 2; f++)
      {
        g_autofree char *recipe = g_strdup_printf (
          "{\"winnow_recipe\": 1, \"input\": {\"na_values\": [\"-\"]},"
          " \"output\": {\"formula_guard\": true},"
          " \"fill\": [{\"column\": \"v\", \"strategy\": \"ffill\"%s}]}", limits[l]);
        const GString *csv = f == 0 ? one : two;
        char *outputs[2], *json[2];

        for (guint mode = 0; mode < 2; mode++)
          {
            g_autoptr(GError) error = NULL;
            WinnowResult *result = NULL;
            guint before = winnow_cleaner_get_pipelined_passes ();

            winnow_cleaner_set_pipeline ((gint) mode);
            outputs[mode] = winnow_test_clean (recipe, csv->str, -1, &result, &error);
            winnow_cleaner_set_pipeline (-1);
            g_assert_no_error (error);
            g_assert_cmpuint (winnow_cleaner_get_pipelined_passes () - before, ==, mode);
            result->elapsed = 0;
            json[mode] = winnow_result_to_json (result);
            winnow_result_free (result);
          }
        g_assert_cmpuint (strlen (outputs[0]), >, 100000);
        assert_same ("outputs", outputs[1], outputs[0]);
        assert_same ("results", json[1], json[0]);
        for (guint mode = 0; mode < 2; mode++)
          {
            g_free (outputs[mode]);
            g_free (json[mode]);
          }
      }
}

/* The places of ffill's holes cannot be kept (a disk too small for the
 * file they move to): the task fails saying so, and leaves no output,
 * rather than writing those cells empty. */
static void
test_ffill_holes_full (WinnowTestDir *f, gconstpointer data)
{
  if (g_test_subprocess ())
    {
      /* one value, then 80,000 rows without: past the first batch every
       * cell is a hole, 1.2 MB of places */
      struct rlimit limit = { 3 << 19, 3 << 19 };
      g_autoptr(GString) csv = g_string_new ("k,v\n0,x\n");
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (
        "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"v\", \"strategy\": \"ffill\"}]}", -1,
        NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *in = NULL;
      g_autofree char *out = NULL;
      WinnowResult *result;

      for (guint i = 1; i <= 80000; i++)
        g_string_append_printf (csv, "%u,\n", i);
      in = winnow_test_write_file (f->dir, "in.csv", csv->str, (gssize) csv->len);
      out = g_build_filename (f->dir, "out.csv", NULL);
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      winnow_clean_set_spill_memory (16);
      winnow_cleaner_set_pipeline (1);
      result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_nonnull (error);
      g_print ("%s\n", error->message);
      g_assert_cmpuint (winnow_test_count_files (f->dir), ==, 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*could not keep the places of the cells to fill*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clean/fill/holes", test_fill_holes);
  g_test_add_func ("/clean/fill/holes-one-column", test_fill_holes_one_column);
  g_test_add_func ("/clean/fill/holes-dense", test_fill_holes_dense);
  g_test_add_func ("/clean/fill/ffill-pipelined", test_ffill_pipelined);
  g_test_add ("/clean/fill/ffill-holes-full", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_ffill_holes_full, winnow_test_dir_teardown);
  return g_test_run ();
}
