/* winnow-number.c: see winnow-number.h. */
#include "config.h"

#include "winnow-number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double exact_powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* Slow path: the text is a well-formed decimal number, but too long or too
 * large for the exact fast path; glibc rounds correctly. */
static gboolean
parse_slow (const char *text, gsize length, double *value)
{
  char stack[128];
  g_autofree char *heap = NULL;
  char *copy = stack;
  char *end;

  if (length >= sizeof stack)
    copy = heap = g_malloc (length + 1);
  memcpy (copy, text, length);
  copy[length] = '\0';
  *value = g_ascii_strtod (copy, &end);
  return end == copy + length && isfinite (*value);
}

static gboolean parse_general (const char *text, gsize length, double *value,
                               gboolean *integer);

/**
 * winnow_number_parse:
 *
 * @integer: (out) (optional): set when the text is `[+-]digits` alone
 *
 * Parses `[ws] [+-] (digits [. [digits]] | . digits) [(e|E) [+-] digits] [ws]`.
 * Hex, "inf", "nan" and anything else are not numbers here.
 *
 * Returns: %TRUE and the value when the whole text is a finite number.
 */
gboolean
winnow_number_parse (const char *text, gsize length, double *value, gboolean *integer)
{
  const char *p = text, *end = text + length;
  const char *dot = NULL;
  guint64 digits = 0;
  guint n = 0;

  /* The common case first: `[-]digits[.digits]`, 19 digits at most (so
   * they are the mantissa, exactly) and Clinger's fast path, in one loop.
   * Anything else (a plus sign, blanks, an exponent, more digits, no
   * number at all) is read by the whole grammar, which gives the same for
   * these texts. */
  if (length > 0 && length <= 21)
    {
      gboolean minus = *p == '-';

      p += minus;
      for (; p < end; p++)
        {
          guint d = (guint) (guchar) *p - '0';

          if (d < 10)
            {
              digits = digits * 10 + d;
              n++;
            }
          else if (*p == '.' && dot == NULL)
            dot = p;
          else
            break;
        }
      if (p == end && n > 0 && n <= 19 && digits <= (G_GUINT64_CONSTANT (1) << 53))
        {
          int exponent = dot != NULL ? -(int) (end - dot - 1) : 0;

          /* (never false in 21 bytes: Clinger's condition, said whole) */
          if (exponent >= -22)
            {
              double v = (double) digits;

              v = exponent < 0 ? v / exact_powers_of_ten[-exponent] : v;
              *value = minus ? -v : v;
              if (integer != NULL)
                *integer = dot == NULL;
              return TRUE;
            }
        }
    }
  return parse_general (text, length, value, integer);
}

/* The whole grammar (winnow_number_parse()). */
static gboolean
parse_general (const char *text, gsize length, double *value, gboolean *integer)
{
  const char *p = text, *end = text + length;
  gboolean fraction = FALSE;
  const char *number_start;
  guint64 mantissa = 0;
  int significant = 0, exponent = 0, n_digits = 0;
  gboolean negative = FALSE, truncated = FALSE;

  while (p < end && is_space (*p))
    p++;
  while (end > p && is_space (end[-1]))
    end--;
  number_start = p;
  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';


  for (; p < end && is_digit (*p); p++, n_digits++)
    {
      if (significant < 19)
        {
          mantissa = mantissa * 10 + (guint64) (*p - '0');
          if (mantissa != 0)
            significant++;
        }
      else
        {
          exponent++;
          truncated = TRUE;
        }
    }
  if (p < end && *p == '.')
    {
      fraction = TRUE;
      p++;
      for (; p < end && is_digit (*p); p++, n_digits++)
        {
          if (significant < 19)
            {
              mantissa = mantissa * 10 + (guint64) (*p - '0');
              if (mantissa != 0)
                significant++;
              exponent--;
            }
          else
            truncated = TRUE;
        }
    }
  if (n_digits == 0)
    return FALSE;

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      int sign = 1, e = 0, e_digits = 0;
      fraction = TRUE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        sign = *p++ == '-' ? -1 : 1;
      for (; p < end && is_digit (*p); p++, e_digits++)
        if (e < 100000)
          e = e * 10 + (*p - '0');
      if (e_digits == 0)
        return FALSE;
      exponent += sign * e;
    }
  if (p != end)
    return FALSE;
  if (integer != NULL)
    *integer = !fraction && number_start == text && end == text + length;

  /* Clinger's fast path: both operands exact, so one IEEE operation rounds
   * correctly. */
  if (!truncated && mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exponent >= -22 &&
      exponent <= 22)
    {
      double v = (double) mantissa;
      v = exponent < 0 ? v / exact_powers_of_ten[-exponent] : v * exact_powers_of_ten[exponent];
      *value = negative ? -v : v;
      return TRUE;
    }
  return parse_slow (number_start, (gsize) (end - number_start), value);
}

/* Does the decimal M × 10^E read back as @value? */
static gboolean
reads_back (guint64 mantissa, int exp10, double value)
{
  char text[48];

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT "e%d", mantissa, exp10);
  return g_ascii_strtod (text, NULL) == value;
}

/* Is there an @n-digit decimal that reads back as @magnitude? If so,
 * @mantissa and @exp10 get the nearest such one, M × 10^E.
 *
 * "%.{n-1}e" gives the n-digit decimal nearest to the value. When that
 * one does not read back, its neighbour on the other side of the value
 * still may: the decimals that read back as a double form an interval
 * around it, and at a power of two that interval reaches twice as far
 * above the value as below it. So the nearest decimal can fall just
 * below the interval while its upper neighbour is inside (2^-24 =
 * 5.9604644775390625e-08: "5.960464477539062e-08" is nearest and reads
 * back as another double, "5.960464477539063e-08" reads back). No other
 * n-digit decimal can be inside when these two are not. */
static gboolean
try_digits (double magnitude, int n, guint64 *mantissa, int *exp10)
{
  char format[16], text[64];
  const char *e;
  guint64 m = 0, low = 1, high;
  int x;
  double nearest;

  g_snprintf (format, sizeof format, "%%.%de", n - 1);
  g_ascii_formatd (text, sizeof text, format, magnitude);
  /* text is "d.ddde[+-]xx": its digits as one integer M, and E */
  for (e = text; *e != 'e'; e++)
    if (is_digit (*e))
      m = m * 10 + (guint64) (*e - '0');
  x = atoi (e + 1) - (n - 1);
  for (int i = 1; i < n; i++)
    low *= 10;
  high = low * 10;  /* the n-digit mantissas are [low, high) */

  nearest = g_ascii_strtod (text, NULL);
  if (nearest != magnitude)
    {
      /* the neighbour on the value's other side */
      if (nearest < magnitude)
        m++;
      else
        m--;
      if (m == high)
        {
          m = low;
          x++;
        }
      else if (m < low)
        {
          m = high - 1;
          x--;
        }
      if (!reads_back (m, x, magnitude))
        return FALSE;
    }
  *mantissa = m;
  *exp10 = x;
  return TRUE;
}

/* The shortest decimal that reads back as |@value| (finite, not zero),
 * the nearest of those when several have as few digits: Python's repr()
 * rule. @digits gets its significant digits without trailing zeros; the
 * result is the decimal exponent of the first digit.
 *
 * A decimal of n digits is also one of n + 1 digits (add a zero), so
 * "some n-digit decimal reads back" holds from some n on, and 17 digits
 * always do: the shortest n is found by bisection. */
static int
shortest_digits (double value, char digits[32])
{
  double magnitude = fabs (value);
  int lo = 1, hi = 17, exp10 = 0;
  guint64 mantissa = 0;

  while (lo < hi)
    {
      int mid = (lo + hi) / 2;
      if (try_digits (magnitude, mid, &mantissa, &exp10))
        hi = mid;
      else
        lo = mid + 1;
    }
  try_digits (magnitude, lo, &mantissa, &exp10);
  g_snprintf (digits, 32, "%" G_GUINT64_FORMAT, mantissa);
  for (gsize end = strlen (digits); end > 1 && digits[end - 1] == '0'; end--)
    digits[end - 1] = '\0';
  return exp10 + lo - 1;
}

/**
 * winnow_number_format:
 *
 * Formats @value as Python's repr() does (the shortest text that reads
 * back as the same double, the nearest of those when several have as few
 * digits; exponent form below 1e-4 and from 1e16), then drops the ".0" of
 * an integral value.
 *
 * Returns: (transfer full): the text.
 */
char *
winnow_number_format (double value)
{
  char digits[32];
  int n_digits, exp10 = 0, decpt;
  GString *out;

  if (isnan (value))
    return g_strdup ("nan");
  if (isinf (value))
    return g_strdup (value < 0 ? "-inf" : "inf");

  if (value == 0)
    strcpy (digits, "0");
  else
    exp10 = shortest_digits (value, digits);
  n_digits = (int) strlen (digits);
  decpt = exp10 + 1;  /* value = 0.DIGITS x 10^decpt */

  out = g_string_new (signbit (value) ? "-" : "");
  if (value == 0)
    g_string_append (out, "0");
  else if (decpt > -4 && decpt <= 16)
    {
      if (decpt <= 0)
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -decpt; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
      else if (decpt >= n_digits)
        {
          g_string_append (out, digits);
          for (int i = n_digits; i < decpt; i++)
            g_string_append_c (out, '0');
        }
      else
        {
          g_string_append_len (out, digits, decpt);
          g_string_append_c (out, '.');
          g_string_append (out, digits + decpt);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exp10 < 0 ? '-' : '+', ABS (exp10));
    }
  return g_string_free (out, FALSE);
}
