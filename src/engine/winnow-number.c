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

/**
 * winnow_number_format:
 *
 * Formats @value as Python's repr() does (the shortest text that reads
 * back as the same double; exponent form below 1e-4 and from 1e16), then
 * drops the ".0" of an integral value.
 *
 * Returns: (transfer full): the text.
 */
char *
winnow_number_format (double value)
{
  char buf[64];
  char digits[32];
  int n_digits = 0, exp10 = 0, decpt;
  GString *out;
  const char *p;

  if (isnan (value))
    return g_strdup ("nan");
  if (isinf (value))
    return g_strdup (value < 0 ? "-inf" : "inf");

  /* Shortest round-trip digits: the first precision that reads back. */
  for (int precision = 0; precision <= 17; precision++)
    {
      char format[16];
      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  /* buf is "[-]d.ddde[+-]xx" */
  p = buf;
  if (*p == '-')
    p++;
  for (; *p && *p != 'e'; p++)
    if (is_digit (*p))
      digits[n_digits++] = *p;
  if (*p == 'e')
    exp10 = atoi (p + 1);
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';
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
