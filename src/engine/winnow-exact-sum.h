/* winnow-exact-sum.h: the exact sum of doubles, rounded once.
 *
 * The column profile's mean is made of the numbers of the rows written and
 * of fill values added as a count at the end, and profiles of parts of a
 * file may be merged. A floating-point sum depends on the order of its
 * terms; this one does not: every finite double is a multiple of 2^-1074
 * below 2^1024, so the sum is kept as one long integer in 32-bit digits
 * (each held in 64 bits, so that millions of additions go by before a
 * carry must move), and rounded to the nearest double, ties to even,
 * only when it is read. Adding is a few integer operations; two sums are
 * merged by adding their digits. Only the digits the numbers reach are
 * kept (a column of prices needs five or six of the 72): a profiled
 * column costs a few dozen bytes, not 600.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

#define WINNOW_EXACT_SUM_DIGITS 72
/* A digit takes less than 2^32 per addition and merges double that:
 * carries move long before one could pass 2^63. */
#define WINNOW_EXACT_SUM_CARRY_EVERY (1u << 28)

typedef struct {
  gint64 *digit;      /* digit[j] weighs 2^(32 (first + j) - 1074) */
  guint first;
  guint n;            /* digits kept; the last one takes the carries */
  guint32 pending;    /* additions since the carries moved */
} WinnowExactSum;

void   winnow_exact_sum_init   (WinnowExactSum *sum);
void   winnow_exact_sum_clear  (WinnowExactSum *sum);
void   winnow_exact_sum_add_n  (WinnowExactSum *sum,
                                double value,
                                guint64 count);
void   winnow_exact_sum_merge  (WinnowExactSum *sum,
                                const WinnowExactSum *other);
double winnow_exact_sum_value  (const WinnowExactSum *sum);

/* One value (a profiled cell), inline: a normal double lands on three
 * digits the sum already keeps (its 53-bit mantissa shifted by less than
 * 32). Anything else (zero, a subnormal, a digit not kept yet, carries
 * due) goes to winnow_exact_sum_add_n(), which adds the same. */
static inline void
winnow_exact_sum_add (WinnowExactSum *sum, double value)
{
  guint64 bits;
  guint exponent, first;
  unsigned __int128 x;
  gint64 *digit;

  memcpy (&bits, &value, sizeof bits);
  exponent = (guint) ((bits >> 52) & 0x7FF);
  first = (exponent - 1) / 32;
  if (G_UNLIKELY (exponent == 0 || exponent == 0x7FF || sum->digit == NULL ||
                  first < sum->first ||
                  MIN (first + 7, WINNOW_EXACT_SUM_DIGITS) > sum->first + sum->n ||
                  sum->pending + 1 >= WINNOW_EXACT_SUM_CARRY_EVERY))
    {
      winnow_exact_sum_add_n (sum, value, 1);
      return;
    }
  x = (unsigned __int128) ((bits & ((G_GUINT64_CONSTANT (1) << 52) - 1)) |
                           G_GUINT64_CONSTANT (1) << 52) << ((exponent - 1) % 32);
  digit = sum->digit + (first - sum->first);
  if (bits >> 63)
    {
      digit[0] -= (gint64) (guint32) x;
      digit[1] -= (gint64) (guint32) (x >> 32);
      digit[2] -= (gint64) (x >> 64);
    }
  else
    {
      digit[0] += (gint64) (guint32) x;
      digit[1] += (gint64) (guint32) (x >> 32);
      digit[2] += (gint64) (x >> 64);
    }
  sum->pending++;
}

G_END_DECLS
