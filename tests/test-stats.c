/* test-stats.c: the statistics kept of a column: the value counter (top
 * values, distinct counts exact and estimated, merged parts), the
 * profiler (merged parts, histograms against a reference worked out in
 * long double) and the fill statistics (medians against sorting, numpy's
 * pairwise sum). */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "winnow-fill-stats.h"
#include "winnow-spill-array.h"
#include "winnow-number.h"
#include "winnow-profiler.h"
#include "winnow-value-counter.h"

static void
test_value_counter (void)
{
  g_autoptr(WinnowValueCounter) exact = winnow_value_counter_new (0);
  g_autoptr(WinnowValueCounter) capped = winnow_value_counter_new (100);
  g_autoptr(GPtrArray) top = NULL;
  g_autofree char *mode = NULL;
  gboolean is_exact;
  guint64 distinct;
  char text[32];

  for (guint i = 0; i < 3; i++)
    winnow_value_counter_add (exact, "pear", 4);
  for (guint i = 0; i < 3; i++)
    winnow_value_counter_add (exact, "apple", 5);
  winnow_value_counter_add (exact, "fig", 3);
  top = winnow_value_counter_top (exact, 2);
  g_assert_cmpuint (top->len, ==, 2);
  g_assert_cmpstr (((WinnowTopValue *) g_ptr_array_index (top, 0))->value, ==, "apple");
  g_assert_cmpstr (((WinnowTopValue *) g_ptr_array_index (top, 1))->value, ==, "pear");
  mode = winnow_value_counter_mode (exact);
  g_assert_cmpstr (mode, ==, "apple");
  g_assert_cmpuint (winnow_value_counter_distinct (exact, &is_exact), ==, 3);
  g_assert_true (is_exact);

  for (guint i = 0; i < 50000; i++)
    {
      gsize n = (gsize) g_snprintf (text, sizeof text, "v%u", i);
      winnow_value_counter_add (capped, text, n);
    }
  distinct = winnow_value_counter_distinct (capped, &is_exact);
  g_assert_false (is_exact);
  g_assert_cmpuint (distinct, >, 50000 * 0.93);
  g_assert_cmpuint (distinct, <, 50000 * 1.07);
}

/* One stream of values, counted whole and in three parts merged: the
 * same counts, top values, and (past the cap) the same estimate. */
static void
check_counter_merge (gsize cap, guint n_values, guint range)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (cap + n_values);
  g_autoptr(WinnowValueCounter) whole = winnow_value_counter_new (cap);
  WinnowValueCounter *parts[3];
  g_autoptr(GPtrArray) top_whole = NULL;
  g_autoptr(GPtrArray) top_merged = NULL;
  gboolean exact_whole, exact_merged;
  char text[32];

  for (guint p = 0; p < 3; p++)
    parts[p] = winnow_value_counter_new (cap);
  for (guint i = 0; i < n_values; i++)
    {
      gsize n = (gsize) g_snprintf (text, sizeof text, "v%u", g_rand_int_range (rand, 0, range));
      winnow_value_counter_add (whole, text, n);
      if (i % 7 == 0)
        winnow_value_counter_add_count (parts[g_rand_int_range (rand, 0, 3)], text, n, 1);
      else
        winnow_value_counter_add (parts[g_rand_int_range (rand, 0, 3)], text, n);
    }
  winnow_value_counter_merge (parts[1], parts[2]);
  winnow_value_counter_merge (parts[0], parts[1]);
  g_assert_cmpuint (winnow_value_counter_distinct (parts[0], &exact_merged), ==,
                    winnow_value_counter_distinct (whole, &exact_whole));
  g_assert_cmpint (exact_merged, ==, exact_whole);
  top_whole = winnow_value_counter_top (whole, 5);
  top_merged = winnow_value_counter_top (parts[0], 5);
  g_assert_cmpuint (top_merged->len, ==, top_whole->len);
  for (guint i = 0; i < top_whole->len; i++)
    {
      WinnowTopValue *a = g_ptr_array_index (top_whole, i), *b = g_ptr_array_index (top_merged, i);
      g_assert_cmpstr (a->value, ==, b->value);
      g_assert_cmpuint (a->count, ==, b->count);
    }
  for (guint p = 0; p < 3; p++)
    winnow_value_counter_free (parts[p]);
}

static void
test_value_counter_merge (void)
{
  check_counter_merge (0, 20000, 300);       /* the mode fill's counter */
  check_counter_merge (100, 20000, 90);      /* under the cap */
  check_counter_merge (100, 20000, 5000);    /* past it: the same estimate */
  check_counter_merge (10000, 50000, 12000); /* the profile's cap, crossed by the merge */
}

/* A column profiled whole, or in parts merged: the same profile. */
static void
test_profiler_merge (void)
{
  const char *cells[] = { "3", "-0", "0", "2.5", "x", "", "7", "1e3", "0", "-0", "7" };
  g_autoptr(WinnowProfiler) whole = winnow_profiler_new (2);
  g_autoptr(WinnowProfiler) a = winnow_profiler_new (2);
  g_autoptr(WinnowProfiler) b = winnow_profiler_new (2);
  g_autoptr(WinnowColumnProfile) pw = NULL, pm = NULL, qw = NULL, qm = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      /* column 0: numbers then text; column 1: numbers only */
      winnow_profiler_add_value (whole, 0, cells[i], strlen (cells[i]));
      winnow_profiler_add_value (i % 2 ? a : b, 0, cells[i], strlen (cells[i]));
      if (cells[i][0] != 'x' && cells[i][0] != '\0')
        {
          winnow_profiler_add_value (whole, 1, cells[i], strlen (cells[i]));
          winnow_profiler_add_values (i % 3 ? b : a, 1, cells[i], strlen (cells[i]), 1);
        }
    }
  winnow_profiler_add_values (whole, 1, "0.1", 3, 4);
  for (guint i = 0; i < 4; i++)
    winnow_profiler_add_value (a, 1, "0.1", 3);
  winnow_profiler_add_missing (whole, 1, 2);
  winnow_profiler_add_missing (b, 1, 2);

  winnow_profiler_merge (b, a);
  pw = winnow_profiler_finish_column (whole, 0, "a");
  pm = winnow_profiler_finish_column (b, 0, "a");
  qw = winnow_profiler_finish_column (whole, 1, "b");
  qm = winnow_profiler_finish_column (b, 1, "b");
  g_assert_cmpint (pw->type, ==, WINNOW_COLUMN_TEXT);
  g_assert_cmpint (pm->type, ==, pw->type);
  g_assert_cmpuint (pm->distinct, ==, pw->distinct);
  g_assert_cmpint (qw->type, ==, WINNOW_COLUMN_FLOAT);
  g_assert_cmpint (qm->type, ==, qw->type);
  g_assert_cmpuint (qm->missing_after, ==, 2);
  g_assert_cmpuint (qm->distinct, ==, qw->distinct);
  g_assert_true (signbit (qw->min) && qw->min == 0);  /* -0 before 0, whatever the order */
  g_assert_true (signbit (qm->min) && qm->min == 0);
  g_assert_cmpfloat (qm->max, ==, 1000);
  /* (3 - 0 + 0 + 2.5 + 7 + 1000 + 0 - 0 + 7 + 4 × 0.1) / 13, exactly */
  g_assert_cmpfloat (qw->mean, ==, 1019.9 / 13);
  g_assert_cmpfloat (qm->mean, ==, qw->mean);
  g_assert_cmpuint (qm->top_values->len, ==, qw->top_values->len);
  g_assert_cmpuint (qw->histogram_bins, >, 1);
  g_assert_cmpuint (qm->histogram_bins, ==, qw->histogram_bins);
  g_assert_cmpfloat (qm->histogram_start, ==, qw->histogram_start);
  g_assert_cmpfloat (qm->histogram_width, ==, qw->histogram_width);
  g_assert_cmpmem (qm->histogram, sizeof qm->histogram, qw->histogram, sizeof qw->histogram);
}

/* A histogram depends on the numbers, not on their order nor on how they
 * were split into parts: shuffled, cut in three and merged, the same. */
static void
test_histogram_order (void)
{
  static const char *sets[][12] = {
    { "-1", "1", "0", "-0.5", "0.25", "3", NULL },
    { "1e-300", "2e-300", "1e300", "-1e300", "5", NULL },
    { "1000000", "1000001", "1000000.5", "999999", "1000003", "-7", "1e15", NULL },
    { "-1.7976931348623157e308", "1.7976931348623157e308", "0", "1", NULL },
    { "42", "42", "42", NULL },
    { "0.1", "0.2", "0.30000000000000004", "0.3", "1e-9", NULL },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      g_autoptr(WinnowColumnProfile) first = NULL;
      guint n = 0;

      while (sets[s][n] != NULL)
        n++;
      for (guint round = 0; round < 40; round++)
        {
          WinnowProfiler *parts[3] = { winnow_profiler_new (1), winnow_profiler_new (1),
                                       winnow_profiler_new (1) };
          g_autoptr(WinnowColumnProfile) p = NULL;
          guint order[12];

          for (guint i = 0; i < n; i++)
            order[i] = i;
          for (guint i = n - 1; i > 0; i--)
            {
              guint j = (guint) g_rand_int_range (rand, 0, (gint32) i + 1), t = order[i];
              order[i] = order[j];
              order[j] = t;
            }
          for (guint i = 0; i < n; i++)
            {
              const char *cell = sets[s][order[i]];
              winnow_profiler_add_values (parts[round == 0 ? 0 : g_rand_int_range (rand, 0, 3)], 0,
                                          cell, strlen (cell), 1 + order[i] % 2);
            }
          winnow_profiler_merge (parts[round % 3], parts[(round + 1) % 3]);
          winnow_profiler_merge (parts[round % 3], parts[(round + 2) % 3]);
          p = winnow_profiler_finish_column (parts[round % 3], 0, "x");
          for (guint i = 0; i < 3; i++)
            winnow_profiler_free (parts[i]);
          if (first == NULL)
            {
              /* no histogram where its first bin starts at -2^1024,
               * which no double is (test_histogram_bins()) */
              if (g_str_equal (sets[s][0], "-1.7976931348623157e308"))
                g_assert_cmpuint (p->histogram_bins, ==, 0);
              else
                g_assert_cmpuint (p->histogram_bins, >, 0);
              first = g_steal_pointer (&p);
              continue;
            }
          g_assert_cmpuint (p->histogram_bins, ==, first->histogram_bins);
          g_assert_cmpfloat (p->histogram_start, ==, first->histogram_start);
          g_assert_cmpfloat (p->histogram_width, ==, first->histogram_width);
          g_assert_cmpmem (p->histogram, sizeof p->histogram, first->histogram, sizeof first->histogram);
        }
    }
}

/* The histogram docs/BEHAVIOUR.md describes, worked out with a longer
 * mantissa and range than a double's: fine bins of 2^s on a grid through
 * 0, s the smallest at which every number fits in twice as many bins as
 * are shown, from a start that is a multiple of half their number; then
 * the bins used, in groups of as many as make at most
 * WINNOW_HISTOGRAM_BINS. Returns the number of bins shown. */
static guint
reference_histogram (const double *values, guint n, long double *start, long double *width,
                     guint64 *counts)
{
  const gint64 fine = 2 * WINNOW_HISTOGRAM_BINS, half = WINNOW_HISTOGRAM_BINS;

  for (int s = -1100; s <= 1100; s++)
    {
      long double unit = ldexpl (1.0L, s);
      gint64 lo = G_MAXINT64, hi = G_MININT64, window;
      guint first, last, group;
      gboolean far = FALSE;

      for (guint i = 0; i < n; i++)
        {
          long double index = floorl (values[i] / unit);

          far |= fabsl (index) >= 0x1p62L;
          lo = MIN (lo, far ? 0 : (gint64) index);
          hi = MAX (hi, far ? 0 : (gint64) index);
        }
      if (far)
        continue;
      window = (lo >= 0 ? lo / half : -((-lo + half - 1) / half)) * half;
      if (hi - window >= fine)
        continue;
      first = (guint) (lo - window);
      last = (guint) (hi - window);
      group = (last - first) / WINNOW_HISTOGRAM_BINS + 1;
      *start = (long double) (window + first) * unit;
      *width = unit * group;
      memset (counts, 0, WINNOW_HISTOGRAM_BINS * sizeof *counts);
      for (guint i = 0; i < n; i++)
        counts[((guint) ((gint64) floorl (values[i] / unit) - window) - first) / group]++;
      return (last - first) / group + 1;
    }
  g_assert_not_reached ();
}

/* The profile of a column of @values, written as shortest text. */
static WinnowColumnProfile *
profile_of (const double *values, guint n)
{
  g_autoptr(WinnowProfiler) profiler = winnow_profiler_new (1);

  for (guint i = 0; i < n; i++)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (text, sizeof text, values[i]);
      winnow_profiler_add_value (profiler, 0, text, strlen (text));
    }
  return winnow_profiler_finish_column (profiler, 0, "x");
}

/* The profile's histogram of @values (at least two different numbers) is
 * the reference one. */
static void
assert_histogram (const double *values, guint n)
{
  g_autoptr(WinnowColumnProfile) p = profile_of (values, n);
  guint64 expected[WINNOW_HISTOGRAM_BINS];
  long double start, width;
  guint bins;

  g_assert_true (p->has_numbers);
  bins = reference_histogram (values, n, &start, &width, expected);
  g_assert_cmpuint (p->histogram_bins, ==, bins);
  g_assert_true ((long double) p->histogram_start == start);
  g_assert_true ((long double) p->histogram_width == width);
  g_assert_cmpmem (p->histogram, sizeof p->histogram, expected, sizeof expected);
}

/* The histogram is the one its definition gives: every number counted in
 * the bin that holds it, edges and negative numbers included (a bin is
 * found by a floor that must not round towards zero), with the narrowest
 * bins that hold them all, subnormal and huge numbers too. */
static void
test_histogram_bins (void)
{
  static const double ranges[] = { 0.5, 3, 100, 1e6, 1e12 };
  /* bins narrower than 2^-1022 or wider than 2^1023: no double is the
   * scale of such a grid */
  static const double subnormal[] = { 1e-320, 3e-320, -5e-324, 2e-323, 0, -1e-321 };
  static const double huge[] = { 1e308, -1e308, 1.5e308, 0, 3e307 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  static const double to_the_top[] = { 0, DBL_MAX, 1 };
  static const double from_the_bottom[] = { -DBL_MAX, 0, 1 };

  assert_histogram (subnormal, G_N_ELEMENTS (subnormal));
  assert_histogram (huge, G_N_ELEMENTS (huge));
  /* the last bin may end at 2^1024, which no double is: only its start and
   * width are told */
  assert_histogram (to_the_top, G_N_ELEMENTS (to_the_top));
  /* the first bin would start at -2^1024: no histogram, and the rest of
   * the profile as ever */
  {
    g_autoptr(WinnowColumnProfile) p = profile_of (from_the_bottom, G_N_ELEMENTS (from_the_bottom));

    g_assert_true (p->has_numbers);
    g_assert_cmpfloat (p->min, ==, -DBL_MAX);
    g_assert_cmpfloat (p->max, ==, 1);
    g_assert_cmpuint (p->histogram_bins, ==, 0);
  }

  for (guint round = 0; round < 200; round++)
    {
      double range = ranges[round % G_N_ELEMENTS (ranges)];
      guint n = (guint) g_rand_int_range (rand, 2, 400);
      g_autofree double *values = g_new (double, n);

      /* multiples of a quarter: many fall on the edges of bins */
      for (guint i = 0; i < n; i++)
        values[i] = floor (g_rand_double_range (rand, -range, range) * 4) / 4;
      values[0] = -range / 2;  /* at least two different numbers */
      values[1] = range / 2;
      assert_histogram (values, n);
    }
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
test_fill_median (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint round = 0; round < 200; round++)
    {
      guint n = (guint) g_rand_int_range (rand, 1, 300);
      g_autoptr(WinnowFillStats) stats = winnow_fill_stats_new (WINNOW_FILL_MEDIAN);
      g_autofree double *values = g_new (double, n);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;
      char text[64];

      for (guint i = 0; i < n; i++)
        {
          /* few distinct values: many ties */
          values[i] = g_rand_int_range (rand, -20, 20) / 4.0;
          g_ascii_dtostr (text, sizeof text, values[i]);
          winnow_fill_stats_add (stats, text, strlen (text), FALSE);
        }
      qsort (values, n, sizeof (double), compare_doubles);
      want = winnow_number_format (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
      got = winnow_fill_stats_finish (stats);
      g_assert_cmpstr (got, ==, want);
    }
}

/* Medians of long columns, as sorting them gives: columns of many ties,
 * of a wide range, of one narrow range, of negatives, zeros of both signs
 * and infinities, of odd and even lengths; and columns of as many
 * distinct numbers as are counted, one more, and one that gets more only
 * near its end (winnow-fill-stats.c: MEDIAN_DISTINCT_MAX). Half the
 * columns keep their numbers in a file past the first 4 KiB. */
static void
test_fill_median_large (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autofree char *dir = g_dir_make_tmp ("winnow-median-XXXXXX", NULL);
  guint moved = winnow_spill_array_get_n_moved ();

  for (guint round = 0; round < 18; round++)
    {
      /* each kind of column once of odd length, once of even */
      guint n = 100000 + 2 * (guint) g_rand_int_range (rand, 0, 30000) + (round / 9) % 2;
      g_autoptr(WinnowFillStats) stats = winnow_fill_stats_new (WINNOW_FILL_MEDIAN);
      g_autofree double *values = g_new (double, n);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;
      double v;

      if (round % 2 == 1)
        winnow_fill_stats_set_spill (stats, dir, 4096);

      for (guint i = 0; i < n; i++)
        {
          switch (round % 9)
            {
            case 0: v = g_rand_int_range (rand, 18, 91); break;                    /* ages */
            case 1: v = g_rand_double_range (rand, -1e6, 1e6) * pow (10, g_rand_int_range (rand, -30, 30)); break;
            case 2: v = 50000 + g_rand_double_range (rand, 0, 1e-6); break;        /* one range */
            case 3: v = i % 4 == 0 ? -1. : i % 4 == 1 ? 1. : i % 4 == 2 ? -0. : 0.; break; /* a middle of -0 and 0 */
            case 4: v = i % 7 == 0 ? INFINITY : i % 11 == 0 ? -INFINITY : g_rand_double (rand); break;
            case 5: v = i < n / 2 ? -1.0 : 1.0; break;                             /* two far apart */
            case 6: v = (double) ((i * 7919u) % 1024) / 8; break;                  /* 1,024 distinct */
            case 7: v = (double) ((i * 7919u) % 1025) / 8; break;                  /* 1,025 */
            default: v = i < n - 50 ? g_rand_int_range (rand, 0, 100) : g_rand_double (rand) + i; break;
            }
          values[i] = v;
          winnow_fill_stats_add_number (stats, TRUE, v);
        }
      qsort (values, n, sizeof (double), compare_doubles);
      v = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
      /* a median of zeros is 0, whatever their signs, as numpy's */
      want = winnow_number_format (v == 0 ? 0. : v);
      got = winnow_fill_stats_finish (stats);
      g_assert_null (winnow_fill_stats_get_error (stats));
      g_assert_cmpstr (got, ==, want);
    }
  /* the columns of more than 1,024 distinct numbers, every other one */
  g_assert_cmpuint (winnow_spill_array_get_n_moved (), >=, moved + 3);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_fill_mean_pairwise (void)
{
  double small[5] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
  double ones[1000];
  double naive = 0;

  /* under 8 values numpy adds one by one */
  for (guint i = 0; i < 5; i++)
    naive += small[i];
  g_assert_cmpfloat (winnow_pairwise_sum (small, 5), ==, naive);
  for (guint i = 0; i < G_N_ELEMENTS (ones); i++)
    ones[i] = 0.1;
  /* numpy.sum([0.1] * 1000) */
  g_assert_cmpfloat (winnow_pairwise_sum (ones, 1000), ==, 100.00000000000001);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/value-counter", test_value_counter);
  g_test_add_func ("/value-counter/merge", test_value_counter_merge);
  g_test_add_func ("/profiler/merge", test_profiler_merge);
  g_test_add_func ("/profiler/histogram-order", test_histogram_order);
  g_test_add_func ("/profiler/histogram-bins", test_histogram_bins);
  g_test_add_func ("/fill-stats/median", test_fill_median);
  g_test_add_func ("/fill-stats/median-large", test_fill_median_large);
  g_test_add_func ("/fill-stats/mean-pairwise", test_fill_mean_pairwise);

  return g_test_run ();
}
