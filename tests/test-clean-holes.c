/* test-clean-holes.c: fills by a statistic, and bfill, written as holes
 * in the one write pass and filled at its end (docs/ARCHITECTURE.md,
 * "statistics pass"): the same bytes and result as with a pass of
 * statistics first, in files of many columns and of one, and the pass of
 * statistics taken instead when the holes are too dense to pay; and the
 * holes of a forward fill on more than one thread. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
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
  guint reports;
  gboolean selected_again;  /* SELECTING told after a later phase */
  gboolean past_selection;
} Told;

static void
on_progress (const WinnowProgress *progress, gpointer data)
{
  Told *told = data;

  if (progress->fraction < told->last)
    told->went_back = TRUE;
  told->last = progress->fraction;
  told->reports++;
  if (progress->phase == WINNOW_PHASE_SELECTING && told->past_selection)
    told->selected_again = TRUE;
  if (progress->phase != WINNOW_PHASE_SELECTING)
    told->past_selection = TRUE;
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
  /* every value it could tell, told */
  winnow_clean_set_progress_interval (0);
  result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, on_progress, told, NULL, &error);
  winnow_clean_set_progress_interval (-1);
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

/* The dense tests' recipe after its first members: rows without k
 * dropped (and rejected), a filled by its mean and b backward. */
#define DENSE_RECIPE_TAIL \
  "\"drop_missing\": {\"subset\": [\"k\"]}, \"output\": {\"rejects\": true}," \
  " \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\"}," \
  " {\"column\": \"b\", \"strategy\": \"bfill\"}]}"

/* Rows of @csv: cell k missing except one time in ten, a and b missing
 * in nine of ten rows: 1.8 holes in each row of about 11 bytes. */
static void
append_dense (GString *csv, GRand *rand, guint from, guint to)
{
  for (guint i = from; i < to; i++)
    {
      if (g_rand_int_range (rand, 0, 50) > 0)
        g_string_append_printf (csv, "%u", i);
      g_string_append_c (csv, ',');
      if (g_rand_int_range (rand, 0, 10) == 0)
        g_string_append_printf (csv, "%d", g_rand_int_range (rand, -99, 99));
      g_string_append_c (csv, ',');
      if (g_rand_int_range (rand, 0, 10) == 0)
        g_string_append_printf (csv, "b%u", i);
      g_string_append_c (csv, '\n');
    }
}

/* Rows with one hole (a, missing in 99 rows of 100) in 80 bytes. */
static void
append_sparse (GString *csv, guint from, guint to)
{
  for (guint i = from; i < to; i++)
    g_string_append_printf (csv, "%u,%s,%072u\n", i, i % 100 ? "" : "5", i);
}

/* Cleans @csv with @recipe as the engine chooses, with a pass of
 * statistics and with holes: the bytes, the rejected rows and the result
 * must be the same; the passes each took are returned, the progress the
 * first told in *@told. */
static void
clean_three_ways (const char *recipe, const GString *csv, guint *passes, Told *told)
{
  static const gint modes[] = { -1, 0, 1 };  /* as chosen, statistics, holes */
  char *outputs[3], *rejects[3], *json[3];

  for (guint r = 0; r < 3; r++)
    clean_with_holes (recipe, csv, modes[r], &outputs[r], &rejects[r], &json[r], &passes[r],
                      r == 0 ? told : &(Told) { 0 });
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
}

/* Holes too dense to pay for (a bfill and a mean with nine cells in ten
 * missing): once the write pass has left 65,536 of them it stops, and
 * the file is cleaned again with a pass of statistics first; the bytes,
 * the rejected rows and the result are those of either way, and the
 * progress told (after every batch here) never goes back; a small file
 * too. A file whose holes are fewer per byte keeps them: one pass; so
 * does one whose holes reach that number only past a quarter of it. */
static void
test_fill_holes_dense (void)
{
  const char *recipe = "{\"winnow_recipe\": 1, " DENSE_RECIPE_TAIL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GString) dense = g_string_new ("k,a,b\n");
  g_autoptr(GString) late = g_string_new ("k,a,b\n");
  g_autoptr(GString) small = g_string_new ("k,a,b\n");
  g_autoptr(GString) sparse = g_string_new ("k,a,b\n");
  char *output, *rejects, *json;
  guint passes[3];
  Told told = { 0 };

  /* 65,536 holes within the first tenth */
  append_dense (dense, rand, 0, 400000);
  clean_three_ways (recipe, dense, passes, &told);
  g_assert_cmpuint (passes[0], ==, 2);
  g_assert_cmpuint (passes[1], ==, 2);
  g_assert_cmpuint (passes[2], ==, 1);
  /* told after each batch of both attempts, never going back */
  g_assert_cmpuint (told.reports, >, 10);
  g_assert_false (told.went_back);
  g_assert_cmpfloat (told.last, ==, 1.0);

  /* a file of 800 KB, 65,536 holes at about a sixth of it: where its
   * first batch ends is told only to a read of 256 KiB, but it may end
   * in the first quarter, so the holes are weighed */
  for (guint i = 0; i < 200000; i++)
    g_string_append (small, i % 1000 == 999 ? ",,\n" : "1,,\n");
  clean_three_ways (recipe, small, passes, &told);
  g_assert_cmpuint (passes[0], ==, 2);

  /* 65,536 holes only near the end, 2 MB of rows without holes first:
   * kept */
  for (guint i = 0; i < 150000; i++)
    g_string_append_printf (late, "%u,%u,b%u\n", i, i % 97, i);
  append_dense (late, rand, 150000, 200000);
  told = (Told) { 0 };
  clean_three_ways (recipe, late, passes, &told);
  g_assert_cmpuint (passes[0], ==, 1);

  append_sparse (sparse, 0, 70000);
  clean_with_holes (recipe, sparse, -1, &output, &rejects, &json, &passes[0], &told);
  g_assert_cmpuint (passes[0], ==, 1);
  g_assert_nonnull (strstr (output, "\n1,5,"));
  g_free (output);
  g_free (rejects);
  g_free (json);
}

/* Holes weighed again as their number doubles: a file sparse at its
 * start (first weighed, here at 4,096 holes) and dense after it stops
 * at a later weighing; keep=last: the attempt made again keeps the rows
 * its selection pass chose, and never reads the file to choose them
 * again. The same bytes every way. */
static void
test_fill_holes_dense_later (void)
{
  const char *recipe =
    "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"last\", \"subset\": [\"k\"]}, "
    DENSE_RECIPE_TAIL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(GString) csv = g_string_new ("k,a,b\n");
  guint passes[3];
  Told told = { 0 };

  append_sparse (csv, 0, 8000);
  append_dense (csv, rand, 8000, 400000);
  winnow_clean_set_holes_weighed_at (4096);
  clean_three_ways (recipe, csv, passes, &told);
  winnow_clean_set_holes_weighed_at (0);
  /* selection, statistics, writing */
  g_assert_cmpuint (passes[0], ==, 3);
  g_assert_cmpuint (passes[1], ==, 3);
  g_assert_cmpuint (passes[2], ==, 2);
  g_assert_true (told.past_selection);
  g_assert_false (told.selected_again);
  g_assert_false (told.went_back);
}

typedef struct {
  const char *path;
  gboolean changed;
} Changer;

/* Changes the input once its write pass has begun. */
static void
change_when_writing (const WinnowProgress *progress, gpointer data)
{
  Changer *changer = data;
  FILE *f;

  if (progress->phase != WINNOW_PHASE_WRITING || changer->changed)
    return;
  f = fopen (changer->path, "a");
  g_assert_nonnull (f);
  fputs ("1,2,3\n", f);
  fclose (f);
  changer->changed = TRUE;
}

/* The file changes while the first attempt writes: the second, made for
 * dense holes, must not take the rows the first chose from the file as
 * it was (keep=last), nor clean another file than the task began with
 * (keep=first); it says the file changed and leaves nothing. */
static void
test_fill_holes_dense_changed (void)
{
  static const char *recipes[] = {
    "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"last\"},"
    " \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\"}]}",
    "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\"}]}",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(GString) csv = g_string_new ("k,a,b\n");

  append_dense (csv, rand, 0, 400000);
  for (guint r = 0; r < G_N_ELEMENTS (recipes); r++)
    {
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (recipes[r], -1, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *in = NULL;
      g_autofree char *out = NULL;
      WinnowTestDir dir;
      Changer changer = { NULL, FALSE };
      WinnowResult *result;

      winnow_test_dir_setup (&dir, NULL);
      in = winnow_test_write_file (dir.dir, "in.csv", csv->str, (gssize) csv->len);
      out = g_build_filename (dir.dir, "out.csv", NULL);
      changer.path = in;
      winnow_clean_set_progress_interval (0);
      result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, change_when_writing,
                                  &changer, NULL, &error);
      winnow_clean_set_progress_interval (-1);
      g_assert_true (changer.changed);
      g_assert_null (result);
      g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_CHANGED);
      g_assert_cmpuint (winnow_test_count_files (dir.dir), ==, 1);
      winnow_test_dir_teardown (&dir, NULL);
    }
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
  g_test_add_func ("/clean/fill/holes-dense-later", test_fill_holes_dense_later);
  g_test_add_func ("/clean/fill/holes-dense-changed", test_fill_holes_dense_changed);
  g_test_add_func ("/clean/fill/ffill-pipelined", test_ffill_pipelined);
  g_test_add ("/clean/fill/ffill-holes-full", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_ffill_holes_full, winnow_test_dir_teardown);
  return g_test_run ();
}
