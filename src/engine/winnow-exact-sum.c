/* winnow-exact-sum.c: see winnow-exact-sum.h. */
#include "config.h"

#include "winnow-exact-sum.h"

#include <math.h>
#include <string.h>

#define DIGIT_BASE (G_GINT64_CONSTANT (1) << 32)

void
winnow_exact_sum_init (WinnowExactSum *sum)
{
  memset (sum, 0, sizeof *sum);
}

void
winnow_exact_sum_clear (WinnowExactSum *sum)
{
  g_free (sum->digit);
  memset (sum, 0, sizeof *sum);
}

/* Keeps digits [from, to), and two more above for carries. */
static void
reach (WinnowExactSum *sum, guint from, guint to)
{
  guint first, end;
  gint64 *digit;

  to = MIN (to + 2, WINNOW_EXACT_SUM_DIGITS);
  if (sum->digit != NULL && from >= sum->first && to <= sum->first + sum->n)
    return;
  first = sum->digit ? MIN (from, sum->first) : from;
  end = sum->digit ? MAX (to, sum->first + sum->n) : to;
  digit = g_new0 (gint64, end - first);
  if (sum->digit != NULL)
    memcpy (digit + (sum->first - first), sum->digit, sum->n * sizeof *digit);
  g_free (sum->digit);
  sum->digit = digit;
  sum->first = first;
  sum->n = end - first;
}

/* Each digit but the last into [0, 2^32), the rest carried up: the last
 * digit then holds the sign. */
static void
carry (gint64 *digit, guint n)
{
  for (guint i = 0; i + 1 < n; i++)
    {
      gint64 low = (gint64) ((guint64) digit[i] & 0xFFFFFFFFu);
      gint64 up = (digit[i] - low) / DIGIT_BASE;
      digit[i] = low;
      digit[i + 1] += up;
    }
}

/**
 * winnow_exact_sum_add_n:
 * @value: a finite double
 * @count: how many times to add it
 *
 * Adds @value × @count, exactly.
 */
void
winnow_exact_sum_add_n (WinnowExactSum *sum, double value, guint64 count)
{
  guint64 bits, mantissa;
  guint exponent, position, first, shift;
  unsigned __int128 product, low;
  gint64 high;
  gboolean negative;

  g_return_if_fail (isfinite (value));
  if (value == 0 || count == 0)
    return;

  memcpy (&bits, &value, sizeof bits);
  negative = (bits >> 63) != 0;
  exponent = (guint) ((bits >> 52) & 0x7FF);
  mantissa = bits & ((G_GUINT64_CONSTANT (1) << 52) - 1);
  if (exponent == 0)
    exponent = 1;  /* subnormal: same weight as the smallest normal */
  else
    mantissa |= G_GUINT64_CONSTANT (1) << 52;
  /* value = mantissa × 2^(exponent - 1075): its lowest bit is bit
   * exponent - 1 of the sum's integer, whose unit is 2^-1074 */
  position = exponent - 1;
  first = position / 32;
  shift = position % 32;

  product = (unsigned __int128) mantissa * count;  /* below 2^117 */
  low = product << shift;
  high = shift ? (gint64) (guint64) (product >> (128 - shift)) : 0;
  reach (sum, first, first + 5);
  first -= sum->first;
  for (guint j = 0; j < 4; j++)
    {
      gint64 chunk = (gint64) (guint32) (low >> (32 * j));
      sum->digit[first + j] += negative ? -chunk : chunk;
    }
  sum->digit[first + 4] += negative ? -high : high;

  if (++sum->pending >= WINNOW_EXACT_SUM_CARRY_EVERY)
    {
      carry (sum->digit, sum->n);
      sum->pending = 0;
    }
}

/* Adds @other to @sum. */
void
winnow_exact_sum_merge (WinnowExactSum *sum, const WinnowExactSum *other)
{
  if (other->digit == NULL)
    return;
  reach (sum, other->first, other->first + other->n);
  for (guint j = 0; j < other->n; j++)
    sum->digit[other->first - sum->first + j] += other->digit[j];
  carry (sum->digit, sum->n);
  sum->pending = 0;
}

/* The sum, rounded to the nearest double (ties to even); ±inf past the
 * largest double. */
double
winnow_exact_sum_value (const WinnowExactSum *sum)
{
  gint64 digit[WINNOW_EXACT_SUM_DIGITS];
  unsigned __int128 window = 0, rest;
  gboolean negative, sticky = FALSE;
  guint64 mantissa;
  gint high, bits, lowest, shift;

  memset (digit, 0, sizeof digit);
  if (sum->digit != NULL)
    memcpy (digit + sum->first, sum->digit, sum->n * sizeof *digit);
  carry (digit, WINNOW_EXACT_SUM_DIGITS);
  negative = digit[WINNOW_EXACT_SUM_DIGITS - 1] < 0;
  if (negative)
    {
      for (guint i = 0; i < WINNOW_EXACT_SUM_DIGITS; i++)
        digit[i] = -digit[i];
      carry (digit, WINNOW_EXACT_SUM_DIGITS);
    }
  for (high = WINNOW_EXACT_SUM_DIGITS - 1; high >= 0 && digit[high] == 0; high--)
    ;
  if (high < 0)
    return 0.0;

  /* the four digits from the highest: at least 97 bits, or all there is */
  for (gint j = high; j > high - 4; j--)
    window = (window << 32) | (j >= 0 ? (guint64) digit[j] : 0);
  for (gint j = high - 4; j >= 0 && !sticky; j--)
    sticky = digit[j] != 0;
  lowest = 32 * (high - 3) - 1074;  /* the weight of the window's bit 0 */
  bits = 128 - ((guint64) (window >> 64) != 0 ? __builtin_clzll ((guint64) (window >> 64))
                                               : 64 + __builtin_clzll ((guint64) window));

  shift = bits - 53;
  if (lowest + shift < -1074)
    shift = -1074 - lowest;  /* a subnormal: exact, nothing to round */
  if (shift <= 0)
    return (negative ? -1 : 1) * ldexp ((double) (guint64) window, lowest);

  mantissa = (guint64) (window >> shift);
  rest = window & ((((unsigned __int128) 1) << shift) - 1);
  {
    unsigned __int128 half = ((unsigned __int128) 1) << (shift - 1);
    if (rest > half || (rest == half && (sticky || (mantissa & 1))))
      mantissa++;
  }
  return (negative ? -1 : 1) * ldexp ((double) mantissa, lowest + shift);
}
