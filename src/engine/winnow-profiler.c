/* winnow-profiler.c: see winnow-profiler.h. */
#include "config.h"

#include "winnow-profiler.h"

#include <math.h>
#include <string.h>

#include "winnow-number.h"
#include "winnow-value-counter.h"

/* Columns with more distinct values than this get an estimated count and
 * no top values. */
#define EXACT_DISTINCT_CAP 10000

/* The histogram of a number column is counted in this many fine bins,
 * twice as many as a profile keeps: when a number falls outside them,
 * they double in width (pairs merge) until it fits, so that after the
 * first two numbers the values always spread over half of them or more,
 * whatever their range, at a subtraction, a multiplication and an
 * increment a number. */
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
  double sum;
  double compensation;  /* Kahan */
  double bins_start;    /* fine bin i holds [start + i * width, + width) */
  double bins_width;    /* 0 while every number is the same; -1 gave up */
  double bins_scale;    /* 1 / bins_width */
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
    winnow_value_counter_free (profiler->columns[i].values);
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

/* Twice as wide: pairs of bins merge, and when @down the range grows
 * below its start, else above its end. */
static void
widen_bins (Column *c, gboolean down)
{
  guint64 merged[FINE_BINS] = { 0 };
  guint offset = down ? FINE_BINS / 2 : 0;

  for (guint i = 0; i < FINE_BINS; i++)
    merged[offset + i / 2] += c->bins[i];
  memcpy (c->bins, merged, sizeof merged);
  if (down)
    c->bins_start -= FINE_BINS * c->bins_width;
  c->bins_width *= 2;
  c->bins_scale = 1 / c->bins_width;
}

static void
count_in_bins (Column *c, double v)
{
  double index;

  if (c->bins_width < 0 || !isfinite (v))
    return;
  if (c->n_numbers == 0)
    {
      c->bins_start = v;
      c->bins[0] = 1;
      return;
    }
  if (c->bins_width == 0)
    {
      double width;

      if (v == c->bins_start)
        {
          c->bins[0]++;
          return;
        }
      /* the second value: the two a quarter of the bins apart */
      width = fabs (v - c->bins_start) / (FINE_BINS / 4);
      if (!(width > 0) || !isfinite (width))
        {
          c->bins_width = -1;
          return;
        }
      if (v < c->bins_start)
        {
          c->bins[FINE_BINS / 4] = c->bins[0];
          c->bins[0] = 0;
          c->bins_start = v;
        }
      c->bins_width = width;
      c->bins_scale = 1 / width;
    }
  for (;;)
    {
      index = floor ((v - c->bins_start) * c->bins_scale);
      if (index >= 0 && index < FINE_BINS)
        break;
      widen_bins (c, index < 0);
      if (!isfinite (c->bins_width) || !isfinite (c->bins_start))
        {
          c->bins_width = -1;  /* a range past what doubles hold */
          return;
        }
    }
  c->bins[(guint) index]++;
}

void
winnow_profiler_add_value (WinnowProfiler *profiler, guint column, const char *text, gsize length)
{
  Column *c = &profiler->columns[column];

  c->present++;
  if (G_UNLIKELY (c->values == NULL))
    c->values = winnow_value_counter_new (EXACT_DISTINCT_CAP);
  winnow_value_counter_add (c->values, text, length);
  if (c->maybe == 0)
    return;

  if (c->maybe & (MAYBE_INTEGER | MAYBE_FLOAT))
    {
      double v;
      gboolean integer;
      if (winnow_number_parse (text, length, &v, &integer))
        {
          double y = v - c->compensation, t = c->sum + y;
          c->compensation = (t - c->sum) - y;
          c->sum = t;
          c->min = MIN (c->min, v);
          c->max = MAX (c->max, v);
          count_in_bins (c, v);
          c->n_numbers++;
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
winnow_profiler_add_missing (WinnowProfiler *profiler, guint column)
{
  profiler->columns[column].missing++;
}

/* The fine bins, from the first to the last one used, in at most
 * WINNOW_HISTOGRAM_BINS bins. */
static void
finish_histogram (Column *c, WinnowColumnProfile *p)
{
  guint first = 0, last = FINE_BINS - 1, group;

  if (c->bins_width < 0 || c->n_numbers == 0)
    return;
  if (c->bins_width == 0)
    {
      p->histogram_bins = 1;
      p->histogram_start = c->bins_start;
      p->histogram[0] = c->bins[0];
      return;
    }
  while (c->bins[first] == 0)
    first++;
  while (c->bins[last] == 0)
    last--;
  group = (last - first) / WINNOW_HISTOGRAM_BINS + 1;
  p->histogram_start = c->bins_start + first * c->bins_width;
  p->histogram_width = c->bins_width * group;
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
      p->mean = c->sum / (double) c->n_numbers;
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
