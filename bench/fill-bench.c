/* fill-bench.c: benchmark (not a test) of fills written as holes against
 * a pass of statistics first, and of the choice between the two that
 * the write pass makes (winnow_cleaner_weigh_holes()).
 *
 * For each share of missing cells it writes a file of ROWS rows (two
 * columns to fill, three more), cleans it with two recipes (a bfill of
 * both columns; a mean of one and a mode of the other) each way, in
 * turn, RUNS times, and prints the fastest time of each and the chosen
 * way's time against the better of the two.
 *
 * usage: build-bench/bench/fill-bench [ROWS [RUNS]]   (default: 2000000 3)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "winnow-cleaner.h"
#include "winnow-recipe.h"

static const guint shares[] = { 2, 5, 10, 20, 30, 60, 95 };  /* % missing */
static const struct {
  const char *name;
  const char *json;
} recipes[] = {
  { "bfill", "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"strategy\": \"bfill\"},"
             " {\"column\": \"b\", \"strategy\": \"bfill\"}]}" },
  { "mean+mode", "{\"winnow_recipe\": 1, \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\"},"
                 " {\"column\": \"b\", \"strategy\": \"mode\"}]}" },
};
static const gint modes[] = { 0, 1, -1 };  /* statistics, holes, chosen */

static char *
write_input (const char *dir, guint share, guint rows)
{
  g_autofree char *name = g_strdup_printf ("missing-%u.csv", share);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (share);
  FILE *f = fopen (path, "w");

  g_assert (f != NULL);
  fputs ("id,a,b,c,d\n", f);
  for (guint i = 0; i < rows; i++)
    {
      fprintf (f, "%u,", i);
      if ((guint) g_rand_int_range (rand, 0, 100) >= share)
        fprintf (f, "%d", g_rand_int_range (rand, 0, 100000));
      fputc (',', f);
      if ((guint) g_rand_int_range (rand, 0, 100) >= share)
        fprintf (f, "v%d", g_rand_int_range (rand, 0, 1000));
      fprintf (f, ",text%u,%u.5\n", i % 1000, i * 7 % 10007);
    }
  g_assert (fclose (f) == 0);
  return path;
}

static double
clean_once (const WinnowRecipe *recipe, const char *input, const char *output, gint mode)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  WinnowResult *result;

  winnow_clean_set_fill_holes (mode);
  result = winnow_clean_file (recipe, input, output, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL,
                              &error);
  if (result == NULL)
    g_error ("%s", error->message);
  winnow_result_free (result);
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int argc, char **argv)
{
  guint rows = argc > 1 ? (guint) atoi (argv[1]) : 2000000;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 3;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("winnow-fill-bench-XXXXXX", &error);
  g_autofree char *output = NULL;

  if (dir == NULL)
    g_error ("%s", error->message);
  output = g_build_filename (dir, "out.csv", NULL);
  printf ("%u rows, fastest of %u\n", rows, runs);
  printf ("%-8s %-10s %12s %9s %9s %9s %14s\n", "missing", "recipe", "bytes/hole", "stats",
          "holes", "chosen", "chosen/best");
  for (guint s = 0; s < G_N_ELEMENTS (shares); s++)
    {
      g_autofree char *input = write_input (dir, shares[s], rows);
      GStatBuf st;

      g_assert (g_stat (input, &st) == 0);
      for (guint r = 0; r < G_N_ELEMENTS (recipes); r++)
        {
          g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (recipes[r].json, -1, NULL);
          double best[G_N_ELEMENTS (modes)];
          double holes = 2.0 * rows * shares[s] / 100.0;

          for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
            best[m] = G_MAXDOUBLE;
          for (guint run = 0; run < runs; run++)
            for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
              best[m] = MIN (best[m], clean_once (recipe, input, output, modes[m]));
          printf ("%6u %% %-10s %12.0f %8.3fs %8.3fs %8.3fs %14.2f\n", shares[s], recipes[r].name,
                  (double) st.st_size / holes, best[0], best[1], best[2],
                  best[2] / MIN (best[0], best[1]));
        }
      g_remove (input);
    }
  g_remove (output);
  g_rmdir (dir);
  return 0;
}
