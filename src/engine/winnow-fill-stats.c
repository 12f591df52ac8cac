/* winnow-fill-stats.c: see winnow-fill-stats.h. */
#include "config.h"

#include "winnow-fill-stats.h"

#include "winnow-spill-array.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "winnow-number.h"
#include "winnow-value-counter.h"

#define BLOCK 8192  /* numpy's buffer size, in elements */

/* A median counts each distinct number while there are at most this many
 * (ages, ratings, counts: most columns filled by a median), and keeps
 * every number only past it: no array of a double per row to fault in
 * and to select from. The table stays in the cache: 32 KiB. */
#define MEDIAN_DISTINCT_MAX 1024
#define MEDIAN_TABLE_BITS 11
#define MEDIAN_TABLE (1u << MEDIAN_TABLE_BITS)
G_STATIC_ASSERT (MEDIAN_TABLE == 2 * MEDIAN_DISTINCT_MAX);  /* half full at most */

typedef struct {
  double value;
  guint64 count;     /* 0: a free slot */
} Distinct;

typedef struct {
  guint64 length;   /* missing values in the run */
  gsize offset;     /* of the value that ends it, in the pool (a GString,
                     * whose length is not limited to 4 GiB) */
  gsize value_length;
} Run;

struct _WinnowFillStats {
  WinnowFillStrategy strategy;

  /* mean */
  double *block;         /* grows to BLOCK: a short column needs little */
  guint block_length;
  guint block_capacity;
  double total;
  guint64 count;

  /* median: counted in distinct[] until it overflows, then every
   * number in numbers[] */
  Distinct *distinct;
  guint n_distinct;
  WinnowSpillArray *numbers;
  char *spill_dir;          /* where numbers[] goes past spill_memory bytes */
  gsize spill_memory;
  GError *error;            /* the first number that could not be kept */

  /* mode */
  WinnowValueCounter *counter;

  /* bfill */
  GArray *runs;
  GString *pool;
  guint64 pending;
  guint next_run;
  guint64 run_left;
};

WinnowFillStats *
winnow_fill_stats_new (WinnowFillStrategy strategy)
{
  WinnowFillStats *stats = g_new0 (WinnowFillStats, 1);

  stats->strategy = strategy;
  switch (strategy)
    {
    case WINNOW_FILL_MEDIAN:
      stats->distinct = g_new0 (Distinct, MEDIAN_TABLE);
      break;
    case WINNOW_FILL_MODE:
      stats->counter = winnow_value_counter_new (0);
      break;
    case WINNOW_FILL_BFILL:
      stats->runs = g_array_new (FALSE, FALSE, sizeof (Run));
      stats->pool = g_string_new (NULL);
      break;
    case WINNOW_FILL_MEAN:
    case WINNOW_FILL_VALUE:
    case WINNOW_FILL_FFILL:
    default:
      break;
    }
  return stats;
}

void
winnow_fill_stats_free (WinnowFillStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->block);
  g_free (stats->distinct);
  winnow_spill_array_free (stats->numbers);
  g_free (stats->spill_dir);
  g_clear_error (&stats->error);
  winnow_value_counter_free (stats->counter);
  if (stats->runs)
    g_array_unref (stats->runs);
  if (stats->pool)
    g_string_free (stats->pool, TRUE);
  g_free (stats);
}

/* numpy's pairwise_sum for doubles (umath loops), reproduced operation for
 * operation so that a mean fill writes the digits pandas writes. */
double
winnow_pairwise_sum (const double *a, gsize n)
{
  if (n < 8)
    {
      double res = 0.;
      for (gsize i = 0; i < n; i++)
        res += a[i];
      return res;
    }
  else if (n <= 128)
    {
      double r[8], res;
      gsize i;

      for (int j = 0; j < 8; j++)
        r[j] = a[j];
      for (i = 8; i < n - (n % 8); i += 8)
        for (int j = 0; j < 8; j++)
          r[j] += a[i + j];
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++)
        res += a[i];
      return res;
    }
  else
    {
      gsize n2 = n / 2;
      n2 -= n2 % 8;
      return winnow_pairwise_sum (a, n2) + winnow_pairwise_sum (a + n2, n - n2);
    }
}

static void
add_bfill (WinnowFillStats *stats, const char *text, gsize length, gboolean missing)
{
  Run run;

  if (missing)
    {
      stats->pending++;
      return;
    }
  if (stats->pending == 0)
    return;
  run.length = stats->pending;
  run.offset = stats->pool->len;
  run.value_length = length;
  g_string_append_len (stats->pool, text, (gssize) length);
  g_array_append_val (stats->runs, run);
  stats->pending = 0;
}

/* Whether the strategy needs only each field's number (mean, median):
 * then winnow_fill_stats_add_number() takes it, parsed elsewhere. */
gboolean
winnow_fill_stats_takes_numbers (const WinnowFillStats *stats)
{
  return stats->strategy == WINNOW_FILL_MEAN || stats->strategy == WINNOW_FILL_MEDIAN;
}

/* Past MEDIAN_DISTINCT_MAX distinct numbers: the ones counted go to the
 * array, each as often as it was seen (the order is lost, but a median
 * is an order statistic). */
static void
median_spill (WinnowFillStats *stats)
{
  stats->numbers = winnow_spill_array_new (sizeof (double), stats->spill_memory,
                                           stats->spill_dir, _("the numbers of a median"));
  for (guint i = 0; i < MEDIAN_TABLE && stats->error == NULL; i++)
    for (guint64 c = 0; c < stats->distinct[i].count && stats->error == NULL; c++)
      winnow_spill_array_append (stats->numbers, &stats->distinct[i].value, 1, &stats->error);
  g_clear_pointer (&stats->distinct, g_free);
}

/* Numbers past the limit go to a file in @dir (winnow-spill-array.c)
 * rather than stay in memory: 8 bytes each, a billion of them 8 GB. */
void
winnow_fill_stats_set_spill (WinnowFillStats *stats, const char *dir, gsize memory)
{
  g_free (stats->spill_dir);
  stats->spill_dir = g_strdup (dir);
  stats->spill_memory = memory;
}

/* Why the statistic could not be kept (a disk too full for the numbers it
 * moved to a file), or NULL. */
const GError *
winnow_fill_stats_get_error (const WinnowFillStats *stats)
{
  return stats->error;
}

static void
median_add (WinnowFillStats *stats, double v)
{
  guint64 bits;
  guint i;

  if (G_UNLIKELY (stats->distinct == NULL))
    {
      if (G_LIKELY (stats->error == NULL))
        winnow_spill_array_append (stats->numbers, &v, 1, &stats->error);
      return;
    }
  /* by bits: -0 and 0 stay apart, as in the array (either may be the
   * middle number; the median is written 0 either way) */
  memcpy (&bits, &v, sizeof bits);
  i = (guint) ((bits * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> (64 - MEDIAN_TABLE_BITS));
  for (;; i = (i + 1) & (MEDIAN_TABLE - 1))
    {
      Distinct *d = &stats->distinct[i];

      if (d->count == 0)
        break;
      if (memcmp (&d->value, &v, sizeof v) == 0)
        {
          d->count++;
          return;
        }
    }
  if (stats->n_distinct == MEDIAN_DISTINCT_MAX)
    {
      median_spill (stats);
      if (stats->error == NULL)
        winnow_spill_array_append (stats->numbers, &v, 1, &stats->error);
      return;
    }
  stats->distinct[i].value = v;
  stats->distinct[i].count = 1;
  stats->n_distinct++;
}

static int
compare_distinct (gconstpointer a, gconstpointer b)
{
  double x = ((const Distinct *) a)->value, y = ((const Distinct *) b)->value;

  if (x == y)  /* -0 before 0, as a sort by total order puts them */
    return (signbit (y) != 0) - (signbit (x) != 0);
  return (x > y) - (x < y);
}

/* The @k-th smallest of the numbers counted, from the distinct ones in
 * increasing order. */
static double
median_kth_counted (const Distinct *sorted, guint n, guint64 k)
{
  for (guint i = 0; i < n; i++)
    {
      if (k < sorted[i].count)
        return sorted[i].value;
      k -= sorted[i].count;
    }
  g_return_val_if_reached (0.);
}

/**
 * winnow_fill_stats_add_number:
 * @is_number: whether the field is present and a number
 *   (winnow_number_parse()), @v its value then
 *
 * winnow_fill_stats_add() for mean and median with the field already
 * parsed (by a thread that formats rows), in the same order.
 */
void
winnow_fill_stats_add_number (WinnowFillStats *stats, gboolean is_number, double v)
{
  switch (stats->strategy)
    {
    case WINNOW_FILL_MEAN:
      if (is_number)
        stats->count++;
      else
        v = 0.;
      if (G_UNLIKELY (stats->block_length == stats->block_capacity))
        {
          stats->block_capacity = MIN (MAX (2 * stats->block_capacity, 64), BLOCK);
          stats->block = g_renew (double, stats->block, stats->block_capacity);
        }
      stats->block[stats->block_length++] = v;
      if (stats->block_length == BLOCK)
        {
          stats->total += winnow_pairwise_sum (stats->block, BLOCK);
          stats->block_length = 0;
        }
      break;
    case WINNOW_FILL_MEDIAN:
      if (is_number)
        median_add (stats, v);
      break;
    default:
      g_return_if_reached ();
    }
}

/* Called for each remaining row, in order. */
void
winnow_fill_stats_add (WinnowFillStats *stats, const char *text, gsize length, gboolean missing)
{
  double v = 0.;

  switch (stats->strategy)
    {
    case WINNOW_FILL_MEAN:
    case WINNOW_FILL_MEDIAN:
      {
        gboolean is_number = !missing && winnow_number_parse (text, length, &v, NULL);
        winnow_fill_stats_add_number (stats, is_number, v);
      }
      break;
    case WINNOW_FILL_MODE:
      if (!missing)
        winnow_value_counter_add (stats->counter, text, length);
      break;
    case WINNOW_FILL_BFILL:
      add_bfill (stats, text, length, missing);
      break;
    case WINNOW_FILL_VALUE:
    case WINNOW_FILL_FFILL:
    default:
      break;
    }
}

static void
swap (double *a, double *b)
{
  double t = *a;
  *a = *b;
  *b = t;
}

/* Moves the k-th smallest to a[k], smaller ones before it, larger after. */
static double
select_kth (double *a, gsize n, gsize k)
{
  gsize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2, i, j;
      double pivot;

      if (a[mid] < a[lo])
        swap (&a[mid], &a[lo]);
      if (a[hi] < a[lo])
        swap (&a[hi], &a[lo]);
      if (a[hi] < a[mid])
        swap (&a[hi], &a[mid]);
      pivot = a[mid];
      i = lo;
      j = hi;
      while (i <= j)
        {
          while (a[i] < pivot)
            i++;
          while (pivot < a[j])
            j--;
          if (i <= j)
            {
              swap (&a[i], &a[j]);
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
  return a[k];
}

/* The middle numbers of a median's column: *@lo the ((n - 1) / 2)-th
 * smallest, and for an even count n *@hi the (n / 2)-th. Returns n. */
static guint64
median_middle (WinnowFillStats *stats, double *lo, double *hi)
{
  if (stats->distinct != NULL)
    {
      g_autofree Distinct *sorted = g_new (Distinct, MAX (stats->n_distinct, 1));
      guint64 total = 0;
      guint m = 0;

      for (guint i = 0; i < MEDIAN_TABLE; i++)
        if (stats->distinct[i].count > 0)
          {
            sorted[m++] = stats->distinct[i];
            total += stats->distinct[i].count;
          }
      if (total == 0)
        return 0;
      qsort (sorted, m, sizeof *sorted, compare_distinct);
      *lo = median_kth_counted (sorted, m, (total - 1) / 2);
      if (total % 2 == 0)
        *hi = median_kth_counted (sorted, m, total / 2);
      return total;
    }
  else
    {
      double *a = (double *) stats->numbers->data;
      gsize n = stats->numbers->len;

      if (n == 0)
        return 0;
      *lo = select_kth (a, n, (n - 1) / 2);
      if (n % 2 == 0)
        {
          /* the rest are at or above the middle: their least */
          *hi = a[n / 2];
          for (gsize i = n / 2; i < n; i++)
            *hi = MIN (*hi, a[i]);
        }
      return n;
    }
}

/**
 * winnow_fill_stats_finish:
 *
 * Returns: (transfer full) (nullable): the fill value of a mean, median or
 *   mode fill, or %NULL when the column had nothing to compute it from
 */
char *
winnow_fill_stats_finish (WinnowFillStats *stats)
{
  switch (stats->strategy)
    {
    case WINNOW_FILL_MEAN:
      stats->total += winnow_pairwise_sum (stats->block, stats->block_length);
      stats->block_length = 0;
      if (stats->count == 0)
        return NULL;
      return winnow_number_format (stats->total / (double) stats->count);

    case WINNOW_FILL_MEDIAN:
      {
        double lo, hi, median;
        guint64 n = median_middle (stats, &lo, &hi);

        if (n == 0)
          return NULL;
        median = n % 2 == 1 ? lo : (lo + hi) / 2.;
        /* numpy takes the mean of the middle numbers, a sum that starts
         * from 0: a median of zeros is 0, whatever their signs */
        if (median == 0.)
          median = 0.;
        return winnow_number_format (median);
      }

    case WINNOW_FILL_MODE:
      return winnow_value_counter_mode (stats->counter);

    case WINNOW_FILL_BFILL:
    case WINNOW_FILL_VALUE:
    case WINNOW_FILL_FFILL:
    default:
      return NULL;
    }
}

/**
 * winnow_fill_stats_next_bfill_run:
 * @limit: at most this many of a run are filled (its last ones); 0: all
 *
 * Called, in the same order as winnow_fill_stats_add(), for each missing
 * value of a bfill column in the rows written.
 *
 * Returns: the run whose value it gets (winnow_fill_stats_get_run()), or
 *   -1 to leave it missing
 */
gint64
winnow_fill_stats_next_bfill_run (WinnowFillStats *stats, gint64 limit)
{
  guint64 position;
  guint64 length;

  if (stats->run_left == 0)
    {
      if (stats->next_run >= stats->runs->len)
        return -1;  /* the trailing run: nothing comes after it */
      stats->run_left = g_array_index (stats->runs, Run, stats->next_run).length;
      stats->next_run++;
    }
  length = g_array_index (stats->runs, Run, stats->next_run - 1).length;
  position = length - stats->run_left;  /* 0-based within the run */
  stats->run_left--;
  if (limit > 0 && length - position > (guint64) limit)
    return -1;
  return stats->next_run - 1;
}

/* How many runs of missing values a bfill column has had ended. */
guint
winnow_fill_stats_get_n_runs (const WinnowFillStats *stats)
{
  return stats->runs->len;
}

/* The value that ended run @run (not nul-terminated). */
void
winnow_fill_stats_get_run (const WinnowFillStats *stats, guint run, const char **text,
                           gsize *length)
{
  const Run *r = &g_array_index (stats->runs, Run, run);

  *text = stats->pool->str + r->offset;
  *length = r->value_length;
}

/**
 * winnow_fill_stats_next_bfill:
 *
 * As winnow_fill_stats_next_bfill_run(), with the run's value.
 *
 * Returns: %TRUE and the value to write, or %FALSE to leave it missing
 */
gboolean
winnow_fill_stats_next_bfill (WinnowFillStats *stats, gint64 limit, const char **text,
                              gsize *length)
{
  gint64 run = winnow_fill_stats_next_bfill_run (stats, limit);

  if (run < 0)
    return FALSE;
  winnow_fill_stats_get_run (stats, (guint) run, text, length);
  return TRUE;
}
