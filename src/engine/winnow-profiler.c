/* winnow-profiler.c: see winnow-profiler.h. */
#include "config.h"

#include "winnow-profiler.h"

#include <math.h>
#include <string.h>

#include "winnow-exact-sum.h"
#include "winnow-number.h"
#include "winnow-value-counter.h"

/* Columns with more distinct values than this get an estimated count and
 * no top values. */
#define EXACT_DISTINCT_CAP 10000

/* The histogram of a number column is counted in this many fine bins,
 * twice as many as a profile keeps, of a width that is a power of two,
 * 2^shift, on a grid through 0: fine bin i holds [(start + i) * 2^shift,
 * + 2^shift), start a multiple of half their number. The shift is the
 * smallest at which every number seen fits in them, start the greatest
 * that still holds the smallest; a number outside moves them or doubles
 * their width (pairs merge). Shift, start and counts depend only on the
 * numbers, not on their order, so a histogram is the same however the
 * file was read (in parts, or with its filled cells counted at the end). */
#define FINE_BINS (2 * WINNOW_HISTOGRAM_BINS)

enum {
  MAYBE_INTEGER = 1 << 0,
  MAYBE_FLOAT = 1 << 1,
  MAYBE_BOOLEAN = 1 << 2,
  MAYBE_DATE = 1 << 3,
};

typedef struct {
  guint maybe;
  guint64 present;
  guint64 missing;
  guint64 n_numbers;
  double min;
  double max;
  WinnowExactSum sum;          /* of the numbers: the same in any order */
  double first;         /* the first number, while every number is it */
  int bins_state;       /* BINS_ONE_VALUE, BINS_GRID or BINS_GAVE_UP */
  int shift;            /* the fine bins are 2^shift wide */
  int scale_shift;      /* the shift scale was made for */
  double scale;         /* 2^-scale_shift, or 0 where no double is it */
  gint64 start;         /* ... and bin i is the grid's bin start + i */
  guint64 bins[FINE_BINS];
  WinnowValueCounter *values;  /* from the first value on */
} Column;

struct _WinnowProfiler {
  guint n_columns;
  Column *columns;
};

WinnowProfiler *
winnow_profiler_new (guint n_columns)
{
  WinnowProfiler *profiler = g_new0 (WinnowProfiler, 1);

  profiler->n_columns = n_columns;
  profiler->columns = g_new0 (Column, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      profiler->columns[i].maybe = MAYBE_INTEGER | MAYBE_FLOAT | MAYBE_BOOLEAN | MAYBE_DATE;
      profiler->columns[i].min = INFINITY;
      profiler->columns[i].max = -INFINITY;
    }
  return profiler;
}

void
winnow_profiler_free (WinnowProfiler *profiler)
{
  if (profiler == NULL)
    return;
  for (guint i = 0; i < profiler->n_columns; i++)
    {
      winnow_value_counter_free (profiler->columns[i].values);
      winnow_exact_sum_clear (&profiler->columns[i].sum);
    }
  g_free (profiler->columns);
  g_free (profiler);
}

static gboolean
is_boolean (const char *text, gsize length)
{
  static const char * const words[] = { "true", "false", "True", "False", "TRUE", "FALSE" };

  if (length != 4 && length != 5)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i]) == length && memcmp (words[i], text, length) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
digits (const char *text, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* ISO 8601: YYYY-MM-DD, optionally with a time ("T" or a space, HH:MM,
 * optional :SS and fraction, optional Z or an offset). */
static gboolean
is_date (const char *t, gsize n)
{
  int month, day;
  gsize i = 10;

  if (n < 10 || !digits (t, 4) || t[4] != '-' || !digits (t + 5, 2) || t[7] != '-' ||
      !digits (t + 8, 2))
    return FALSE;
  month = (t[5] - '0') * 10 + (t[6] - '0');
  day = (t[8] - '0') * 10 + (t[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (n == 10)
    return TRUE;
  if ((t[i] != 'T' && t[i] != ' ') || n < 16 || !digits (t + 11, 2) || t[13] != ':' ||
      !digits (t + 14, 2))
    return FALSE;
  i = 16;
  if (i < n && t[i] == ':')
    {
      if (i + 3 > n || !digits (t + i + 1, 2))
        return FALSE;
      i += 3;
      if (i < n && t[i] == '.')
        {
          gsize start = ++i;
          while (i < n && g_ascii_isdigit (t[i]))
            i++;
          if (i == start)
            return FALSE;
        }
    }
  if (i < n && t[i] == 'Z')
    i++;
  else if (i < n && (t[i] == '+' || t[i] == '-'))
    {
      if (i + 6 != n || !digits (t + i + 1, 2) || t[i + 3] != ':' || !digits (t + i + 4, 2))
        return FALSE;
      i = n;
    }
  return i == n;
}

/* The smaller, -0 before 0, and the larger, 0 after -0, whatever the
 * order the numbers come in. */
static inline double
min_of (double a, double b)
{
  return a < b || (a == b && signbit (a)) ? a : b;
}

static inline double
max_of (double a, double b)
{
  return a > b || (a == b && !signbit (a)) ? a : b;
}

enum { BINS_ONE_VALUE, BINS_GRID, BINS_GAVE_UP };

/* past this, a bin's number is not held exactly by a double */
#define MAX_BIN_INDEX 4.0e15
/* wider bins than 2^MAX_SHIFT hold every double */
#define MAX_SHIFT 1100

/* The number of the grid's bin of @v at @shift, or FALSE past what the
 * grid can hold at that shift. */
static gboolean
bin_of (double v, int shift, gint64 *index)
{
  double i = floor (ldexp (v, -shift));

  if (!(fabs (i) < MAX_BIN_INDEX))
    return FALSE;
  *index = (gint64) i;
  return TRUE;
}

/* bin_of() at @c's shift, without a call to libm for each number: v ×
 * 2^-shift is rounded once, as ldexp() rounds it, whenever 2^-shift is a
 * double; the floor is the truncation, one less below it. */
static inline gboolean
bin_of_column (Column *c, double v, gint64 *index)
{
  double x;
  gint64 i;

  if (G_UNLIKELY (c->scale_shift != c->shift || c->scale == 0))
    {
      c->scale_shift = c->shift;
      c->scale = c->shift >= -1023 && c->shift <= 1074 ? ldexp (1, -c->shift) : 0;
      if (c->scale == 0)
        return bin_of (v, c->shift, index);
    }
  x = v * c->scale;
  if (!(fabs (x) < 0x1p62))
    return FALSE;  /* so is its floor: not below MAX_BIN_INDEX */
  i = (gint64) x;
  if ((double) i > x)
    i--;
  if (i <= -(gint64) MAX_BIN_INDEX || i >= (gint64) MAX_BIN_INDEX)
    return FALSE;
  *index = i;
  return TRUE;
}

/* The greatest multiple of half the fine bins at or below @lowest. */
static gint64
window_start (gint64 lowest)
{
  const gint64 half = FINE_BINS / 2;

  return (lowest >= 0 ? lowest / half : -((-lowest + half - 1) / half)) * half;
}

/* The first and last bins used (a grid holds at least two numbers). */
static void
occupied (const Column *c, gint64 *lowest, gint64 *highest)
{
  guint first = 0, last = FINE_BINS - 1;

  while (c->bins[first] == 0)
    first++;
  while (c->bins[last] == 0)
    last--;
  *lowest = c->start + first;
  *highest = c->start + last;
}

static void
move_window (Column *c, gint64 start)
{
  guint64 moved[FINE_BINS] = { 0 };

  for (guint i = 0; i < FINE_BINS; i++)
    if (c->bins[i] != 0)
      moved[c->start + i - start] = c->bins[i];
  memcpy (c->bins, moved, sizeof moved);
  c->start = start;
}

/* Twice as wide: pairs of bins merge (the numbers used span at most
 * FINE_BINS / 2 + 1 of the wider bins, so they fit from the new start). */
static void
widen_bins (Column *c)
{
  guint64 merged[FINE_BINS] = { 0 };
  gint64 lowest, highest, start;

  occupied (c, &lowest, &highest);
  start = window_start (lowest >> 1);
  for (guint i = 0; i < FINE_BINS; i++)
    merged[((c->start + (gint64) i) >> 1) - start] += c->bins[i];
  memcpy (c->bins, merged, sizeof merged);
  c->start = start;
  c->shift++;
}

/* Does [lowest, highest] fit the fine bins from its window start? */
static gboolean
fits (gint64 lowest, gint64 highest, gint64 *start)
{
  *start = window_start (lowest);
  return highest - *start < FINE_BINS;
}

/* Counts @count of @v in a grid, moving or widening it as needed. */
static void
grid_add (Column *c, double v, guint64 count)
{
  for (;;)
    {
      gint64 index, lowest, highest, start;

      if (c->shift > MAX_SHIFT)
        {
          c->bins_state = BINS_GAVE_UP;
          return;
        }
      if (bin_of_column (c, v, &index))
        {
          if (index >= c->start && index < c->start + FINE_BINS)
            {
              c->bins[index - c->start] += count;
              return;
            }
          occupied (c, &lowest, &highest);
          if (fits (MIN (lowest, index), MAX (highest, index), &start))
            {
              move_window (c, start);
              c->bins[index - start] += count;
              return;
            }
        }
      widen_bins (c);
    }
}

/* The grid of two different numbers: @a (@count_a of it) and @b. */
static void
start_grid (Column *c, double a, guint64 count_a, double b, guint64 count_b)
{
  double gap = fabs (a - b);

  memset (c->bins, 0, sizeof c->bins);
  c->bins_state = BINS_GRID;
  /* below this, the fine bins together are narrower than the gap */
  for (c->shift = isfinite (gap) ? ilogb (gap) - 8 : 1016; c->shift <= MAX_SHIFT; c->shift++)
    {
      gint64 ia, ib, start;

      if (bin_of (a, c->shift, &ia) && bin_of (b, c->shift, &ib) &&
          fits (MIN (ia, ib), MAX (ia, ib), &start))
        {
          c->start = start;
          c->bins[ia - start] += count_a;
          c->bins[ib - start] += count_b;
          return;
        }
    }
  c->bins_state = BINS_GAVE_UP;
}

/* count_in_bins() for all but a number in the grid as it is. */
static G_GNUC_NO_INLINE void
count_in_bins_slow (Column *c, double v, guint64 count)
{
  if (c->bins_state == BINS_GAVE_UP || !isfinite (v))
    return;
  if (c->n_numbers == 0)
    {
      c->bins_state = BINS_ONE_VALUE;
      c->first = v;
      return;
    }
  if (c->bins_state == BINS_ONE_VALUE)
    {
      if (v != c->first)
        start_grid (c, c->first, c->n_numbers, v, count);
      return;
    }
  grid_add (c, v, count);
}

/* Counts @count numbers @v; @c->n_numbers is still the count before. Most
 * numbers fall in the grid as it is (grid_add()'s first step), inline. */
static inline void
count_in_bins (Column *c, double v, guint64 count)
{
  gint64 index;

  if (G_LIKELY (c->bins_state == BINS_GRID) && bin_of_column (c, v, &index) &&
      index >= c->start && index < c->start + FINE_BINS)
    {
      c->bins[index - c->start] += count;
      return;
    }
  count_in_bins_slow (c, v, count);
}

/* Adds @o's fine bins to @c's, as if @c had counted @o's numbers. */
static void
merge_bins (Column *c, const Column *o)
{
  Column theirs;

  if (o->n_numbers == 0 || c->bins_state == BINS_GAVE_UP)
    return;
  if (o->bins_state == BINS_GAVE_UP)
    {
      c->bins_state = BINS_GAVE_UP;
      return;
    }
  if (o->bins_state == BINS_ONE_VALUE)
    {
      count_in_bins (c, o->first, o->n_numbers);
      return;
    }
  if (c->n_numbers == 0 || c->bins_state == BINS_ONE_VALUE)
    {
      Column mine = *c;

      c->bins_state = BINS_GRID;
      c->shift = o->shift;
      c->start = o->start;
      memcpy (c->bins, o->bins, sizeof c->bins);
      if (mine.n_numbers > 0)
        grid_add (c, mine.first, mine.n_numbers);
      return;
    }
  theirs = *o;
  while (c->shift < theirs.shift)
    widen_bins (c);
  while (theirs.shift < c->shift)
    widen_bins (&theirs);
  for (;;)
    {
      gint64 lo1, hi1, lo2, hi2, start;

      if (c->shift > MAX_SHIFT)
        {
          c->bins_state = BINS_GAVE_UP;
          return;
        }
      occupied (c, &lo1, &hi1);
      occupied (&theirs, &lo2, &hi2);
      if (fits (MIN (lo1, lo2), MAX (hi1, hi2), &start))
        {
          move_window (c, start);
          move_window (&theirs, start);
          for (guint i = 0; i < FINE_BINS; i++)
            c->bins[i] += theirs.bins[i];
          return;
        }
      widen_bins (c);
      widen_bins (&theirs);
    }
}

/**
 * winnow_profiler_add_values:
 * @count: how many cells hold @text (at least 1)
 *
 * Profiles @count cells of @column that hold @text.
 */
static inline void
add_values (WinnowProfiler *profiler, guint column, const char *text, gsize length,
            guint64 count, const guint64 *hash, const WinnowParsedNumber *number)
{
  Column *c = &profiler->columns[column];

  c->present += count;
  if (G_UNLIKELY (c->values == NULL))
    c->values = winnow_value_counter_new (EXACT_DISTINCT_CAP);
  if (hash != NULL)
    winnow_value_counter_add_hashed (c->values, text, length, *hash);
  else if (G_LIKELY (count == 1))
    winnow_value_counter_add (c->values, text, length);
  else
    winnow_value_counter_add_count (c->values, text, length, count);
  if (c->maybe == 0)
    return;

  if (c->maybe & (MAYBE_INTEGER | MAYBE_FLOAT))
    {
      double v;
      gboolean integer, is_number;

      if (number != NULL)
        {
          is_number = number->is_number;
          v = number->value;
          integer = number->integer;
        }
      else
        is_number = winnow_number_parse (text, length, &v, &integer);
      if (is_number)
        {
          if (G_LIKELY (count == 1))
            winnow_exact_sum_add (&c->sum, v);
          else
            winnow_exact_sum_add_n (&c->sum, v, count);
          c->min = min_of (c->min, v);
          c->max = max_of (c->max, v);
          count_in_bins (c, v, count);
          c->n_numbers += count;
          if (!integer)
            c->maybe &= ~MAYBE_INTEGER;
        }
      else
        c->maybe &= ~(MAYBE_INTEGER | MAYBE_FLOAT);
    }
  if ((c->maybe & MAYBE_BOOLEAN) && !is_boolean (text, length))
    c->maybe &= ~MAYBE_BOOLEAN;
  if ((c->maybe & MAYBE_DATE) && !is_date (text, length))
    c->maybe &= ~MAYBE_DATE;
}

void
winnow_profiler_add_values (WinnowProfiler *profiler, guint column, const char *text,
                            gsize length, guint64 count)
{
  add_values (profiler, column, text, length, count, NULL, NULL);
}

void
winnow_profiler_add_value (WinnowProfiler *profiler, guint column, const char *text, gsize length)
{
  add_values (profiler, column, text, length, 1, NULL, NULL);
}

/* One cell, whose XXH3_64bits() the caller made (a parse thread). */
void
winnow_profiler_add_value_hashed (WinnowProfiler *profiler, guint column, const char *text,
                                  gsize length, guint64 hash)
{
  add_values (profiler, column, text, length, 1, &hash, NULL);
}

/* One cell, with its hash if the caller made it (or NULL), and its number
 * as winnow_number_parse() read it, which the caller needed too. */
void
winnow_profiler_add_value_parsed (WinnowProfiler *profiler, guint column, const char *text,
                                  gsize length, const guint64 *hash,
                                  const WinnowParsedNumber *number)
{
  add_values (profiler, column, text, length, 1, hash, number);
}

void
winnow_profiler_add_missing (WinnowProfiler *profiler, guint column, guint64 count)
{
  profiler->columns[column].missing += count;
}

/**
 * winnow_profiler_merge:
 *
 * Adds what @other profiled to @profiler (of as many columns): the result
 * is the profile of both parts' cells, whatever their order.
 */
void
winnow_profiler_merge (WinnowProfiler *profiler, const WinnowProfiler *other)
{
  g_return_if_fail (profiler->n_columns == other->n_columns);

  for (guint i = 0; i < profiler->n_columns; i++)
    {
      Column *c = &profiler->columns[i];
      const Column *o = &other->columns[i];

      c->maybe &= o->maybe;
      c->present += o->present;
      c->missing += o->missing;
      merge_bins (c, o);
      c->n_numbers += o->n_numbers;
      c->min = min_of (c->min, o->min);
      c->max = max_of (c->max, o->max);
      winnow_exact_sum_merge (&c->sum, &o->sum);
      if (o->values != NULL)
        {
          if (c->values == NULL)
            c->values = winnow_value_counter_new (EXACT_DISTINCT_CAP);
          winnow_value_counter_merge (c->values, o->values);
        }
    }
}

/* The fine bins, from the first to the last one used, in at most
 * WINNOW_HISTOGRAM_BINS bins; none when their start or width is not a
 * double (a first bin from -2^1024, for a number within one bin of
 * -1.8e308), which the profile could not tell. */
static void
finish_histogram (Column *c, WinnowColumnProfile *p)
{
  gint64 lowest, highest;
  guint first, last, group;
  double width, start;

  if (c->bins_state == BINS_GAVE_UP || c->n_numbers == 0)
    return;
  if (c->bins_state == BINS_ONE_VALUE)
    {
      p->histogram_bins = 1;
      p->histogram_start = c->first;
      p->histogram[0] = c->n_numbers;
      return;
    }
  occupied (c, &lowest, &highest);
  first = (guint) (lowest - c->start);
  last = (guint) (highest - c->start);
  group = (last - first) / WINNOW_HISTOGRAM_BINS + 1;
  width = ldexp (1, c->shift);
  start = (double) (c->start + first) * width;
  if (!isfinite (start) || !isfinite (width * group))
    return;
  p->histogram_start = start;
  p->histogram_width = width * group;
  p->histogram_bins = (last - first) / group + 1;
  for (guint i = first; i <= last; i++)
    p->histogram[(i - first) / group] += c->bins[i];
}

/**
 * winnow_profiler_finish_column:
 * Returns: (transfer full): the profile of @column; the caller sets
 *   missing_before and filled, which the profiler does not see
 */
WinnowColumnProfile *
winnow_profiler_finish_column (WinnowProfiler *profiler, guint column, const char *name)
{
  Column *c = &profiler->columns[column];
  WinnowColumnProfile *p = winnow_column_profile_new (name);
  g_autoptr(GPtrArray) top = NULL;

  if (c->present == 0)
    p->type = WINNOW_COLUMN_EMPTY;
  else if (c->maybe & MAYBE_INTEGER)
    p->type = WINNOW_COLUMN_INTEGER;
  else if (c->maybe & MAYBE_FLOAT)
    p->type = WINNOW_COLUMN_FLOAT;
  else if (c->maybe & MAYBE_BOOLEAN)
    p->type = WINNOW_COLUMN_BOOLEAN;
  else if (c->maybe & MAYBE_DATE)
    p->type = WINNOW_COLUMN_DATE;
  else
    p->type = WINNOW_COLUMN_TEXT;

  p->missing_after = c->missing;
  p->distinct_exact = TRUE;
  if (c->values != NULL)
    p->distinct = winnow_value_counter_distinct (c->values, &p->distinct_exact);
  if ((p->type == WINNOW_COLUMN_INTEGER || p->type == WINNOW_COLUMN_FLOAT) && c->n_numbers > 0)
    {
      p->has_numbers = TRUE;
      p->min = c->min;
      p->max = c->max;
      p->mean = winnow_exact_sum_value (&c->sum) / (double) c->n_numbers;
      finish_histogram (c, p);
    }
  if (c->values == NULL)
    return p;
  top = winnow_value_counter_top (c->values, WINNOW_TOP_VALUES);
  while (top->len > 0)
    g_ptr_array_add (p->top_values, g_ptr_array_steal_index (top, 0));
  /* the profile is all the result keeps of the column */
  g_clear_pointer (&c->values, winnow_value_counter_free);
  return p;
}
