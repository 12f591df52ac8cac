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

/**
 * winnow_profiler_add_values:
 * @count: how many cells hold @text (at least 1)
 *
 * Profiles @count cells of @column that hold @text.
 */
static inline void
add_values (WinnowProfiler *profiler, guint column, const char *text, gsize length,
            guint64 count, const guint64 *hash)
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
      gboolean integer;
      if (winnow_number_parse (text, length, &v, &integer))
        {
          winnow_exact_sum_add_n (&c->sum, v, count);
          c->min = min_of (c->min, v);
          c->max = max_of (c->max, v);
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
  add_values (profiler, column, text, length, count, NULL);
}

void
winnow_profiler_add_value (WinnowProfiler *profiler, guint column, const char *text, gsize length)
{
  add_values (profiler, column, text, length, 1, NULL);
}

/* One cell, whose XXH3_64bits() the caller made (a parse thread). */
void
winnow_profiler_add_value_hashed (WinnowProfiler *profiler, guint column, const char *text,
                                  gsize length, guint64 hash)
{
  add_values (profiler, column, text, length, 1, &hash);
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
