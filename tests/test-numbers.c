/* test-numbers.c: numbers as the engine reads and writes them: the
 * grammar a number is read by, the shortest text that reads back (against
 * python3's repr() where python3 is there), and exact sums (against
 * math.fsum). */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "winnow-exact-sum.h"
#include "winnow-number.h"

static void
test_number_parse (void)
{
  static const struct {
    const char *text;
    gboolean ok;
    double value;
    gboolean integer;
  } cases[] = {
    { "42", TRUE, 42, TRUE },
    { "-7", TRUE, -7, TRUE },
    { "+5", TRUE, 5, TRUE },
    { "007", TRUE, 7, TRUE },
    { "2.5", TRUE, 2.5, FALSE },
    { ".5", TRUE, 0.5, FALSE },
    { "5.", TRUE, 5, FALSE },
    { "1e3", TRUE, 1000, FALSE },
    { "-1.5E-2", TRUE, -0.015, FALSE },
    { " 12 ", TRUE, 12, FALSE },
    { "0.1", TRUE, 0.1, FALSE },
    { "123456789012345678901234", TRUE, 123456789012345678901234.0, TRUE },
    { "1e400", FALSE, 0, FALSE },
    { "inf", FALSE, 0, FALSE },
    { "nan", FALSE, 0, FALSE },
    { "0x1A", FALSE, 0, FALSE },
    { "1_000", FALSE, 0, FALSE },
    { "1,5", FALSE, 0, FALSE },
    { "1.5e", FALSE, 0, FALSE },
    { "", FALSE, 0, FALSE },
    { "  ", FALSE, 0, FALSE },
    { "-", FALSE, 0, FALSE },
    { ".", FALSE, 0, FALSE },
    { "12a", FALSE, 0, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double v = 0;
      gboolean integer = FALSE;
      gboolean ok = winnow_number_parse (cases[i].text, strlen (cases[i].text), &v, &integer);

      if (ok != cases[i].ok)
        g_error ("“%s”: expected %s", cases[i].text, cases[i].ok ? "a number" : "no number");
      if (ok)
        {
          g_assert_cmpfloat (v, ==, cases[i].value);
          g_assert_cmpint (integer, ==, cases[i].integer);
        }
    }
}

/* Texts made of a number's characters, read as the grammar of
 * winnow_number_parse() says (a regular expression and g_ascii_strtod()):
 * the fast path for plain decimals must agree with the whole grammar, bit
 * for bit, on every text it takes and every text it leaves. */
static void
test_number_parse_random (void)
{
  static const char alphabet[] = "0000111222345678999..--+eE \t";
  g_autoptr(GRegex) grammar =
    g_regex_new ("^[ \\t\\n\\r\\f\\v]*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?"
                 "[ \\t\\n\\r\\f\\v]*$", 0, 0, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  guint numbers = 0;

  g_assert_nonnull (grammar);
  for (guint i = 0; i < 300000; i++)
    {
      char text[32];
      guint length = (guint) g_rand_int_range (rand, 0, 25);
      gboolean digits_only = g_rand_boolean (rand);
      double v = 0, expected = 0;
      gboolean integer = FALSE, ok, expected_ok;

      for (guint j = 0; j < length; j++)
        text[j] = digits_only && j > 0 ? "0123456789."[g_rand_int_range (rand, 0, 11)]
                                       : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      text[length] = '\0';
      ok = winnow_number_parse (text, length, &v, &integer);
      expected_ok = g_regex_match (grammar, text, 0, NULL);
      if (expected_ok)
        {
          expected = g_ascii_strtod (text, NULL);
          expected_ok = isfinite (expected);
        }
      if (ok != expected_ok)
        g_error ("“%s”: expected %s", text, expected_ok ? "a number" : "no number");
      if (!ok)
        continue;
      numbers++;
      if (memcmp (&v, &expected, sizeof v) != 0)
        g_error ("“%s”: read %a, expected %a", text, v, expected);
      g_assert_cmpint (integer, ==, strpbrk (text, ".eE \t") == NULL);
    }
  /* both kinds of text were many */
  g_assert_cmpuint (numbers, >, 50000);
  g_assert_cmpuint (numbers, <, 250000);
}

static void
test_number_format (void)
{
  static const struct {
    double value;
    const char *text;
  } cases[] = {
    { 2.0, "2" },
    { -3.0, "-3" },
    { 0.0, "0" },
    { 2.5, "2.5" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 55779.56571428571, "55779.56571428571" },
    { 1e16, "1e+16" },
    { 1234567890123456.0, "1234567890123456" },
    { 1.5e16, "1.5e+16" },
    { 0.0001, "0.0001" },
    { 0.00001, "1e-05" },
    { 1.25e-7, "1.25e-07" },
    { 5e-324, "5e-324" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" },
    /* powers of two where the nearest 16-digit decimal does not read
     * back but its upper neighbour does */
    { 0x1p-24, "5.960464477539063e-08" },
    { 0x1p-44, "5.684341886080802e-14" },
    { 0x1p89, "6.189700196426902e+26" },
    { 9.5, "9.5" },
    { 0.3, "0.3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = winnow_number_format (cases[i].value);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_number_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 20000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double v, back;
      g_autofree char *text = NULL;

      memcpy (&v, &bits, sizeof v);
      if (!isfinite (v))
        continue;
      text = winnow_number_format (v);
      g_assert_true (winnow_number_parse (text, strlen (text), &back, NULL));
      g_assert_cmpfloat (back, ==, v);
    }
}

/* The significant digits of a decimal text, trailing zeros left out. */
static guint
significant_digits (const char *text)
{
  guint n = 0, zeros = 0;

  for (const char *p = text; *p && *p != 'e'; p++)
    if (*p == '0' && n == 0)
      continue;
    else if (*p == '0')
      zeros++;
    else if (g_ascii_isdigit (*p))
      {
        n += zeros + 1;
        zeros = 0;
      }
  return n;
}

/* Would a decimal of fewer digits than @text also read back as @value?
 * Fewer than n digits means n - 1 (a shorter decimal is one of n - 1
 * digits too, with zeros added), and the only candidates of k = n - 1
 * digits are the nearest, "%.{k-1}e", and its two neighbours: each is
 * tried. */
static gboolean
shorter_reads_back (double value, const char *text)
{
  double magnitude = fabs (value);
  guint n = significant_digits (text);

  for (guint k = MAX (n, 2) - 1; k < n; k++)
    {
      char format[16], nearest[64];
      const char *e;
      gint64 m = 0;
      int x;

      g_snprintf (format, sizeof format, "%%.%ue", k - 1);
      g_ascii_formatd (nearest, sizeof nearest, format, magnitude);
      for (e = nearest; *e != 'e'; e++)
        if (g_ascii_isdigit (*e))
          m = m * 10 + (*e - '0');
      x = atoi (e + 1) - (int) (k - 1);
      for (int step = -1; step <= 1; step++)
        {
          char candidate[64];
          g_snprintf (candidate, sizeof candidate, "%" G_GINT64_FORMAT "e%d", m + step, x);
          if (g_ascii_strtod (candidate, NULL) == magnitude)
            return TRUE;
        }
    }
  return FALSE;
}

/* @text reads back as @value, is no longer than "%.17g", and no shorter
 * decimal reads back. */
static void
assert_shortest (double value, const char *text)
{
  char seventeen[64];
  double back;

  g_ascii_formatd (seventeen, sizeof seventeen, "%.17g", value);
  if (!winnow_number_parse (text, strlen (text), &back, NULL) || back != value ||
      g_ascii_strtod (seventeen, NULL) != back)
    g_error ("%s (%a) does not read back as itself", text, value);
  if (significant_digits (text) > significant_digits (seventeen))
    g_error ("%s has more digits than %s", text, seventeen);
  if (shorter_reads_back (value, text))
    g_error ("%s (%a): a shorter decimal reads back too", text, value);
}

static void
test_number_powers_of_two (void)
{
  for (int e = -1074; e <= 1023; e++)
    {
      double value = ldexp (1.0, e);
      g_autofree char *text = winnow_number_format (value);
      assert_shortest (value, text);
    }
}

static void
test_number_shortest_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);

  for (guint i = 0; i < 200000; i++)
    {
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      double value;
      g_autofree char *text = NULL;

      if (i % 2)
        /* short decimals, where rounding picks between few digits */
        value = (double) g_rand_int_range (rand, 1, 100000) *
                pow (10, g_rand_int_range (rand, -30, 30));
      else
        memcpy (&value, &bits, sizeof value);
      if (!isfinite (value) || value == 0)
        continue;
      text = winnow_number_format (value);
      assert_shortest (value, text);
    }
}

/* What python3 prints running @script, or %NULL (the test skipped) where
 * there is no python3. */
static char *
run_python (const char *script)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return NULL;
    }
  {
    const char *argv[] = { python, "-c", script, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                  &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* The same texts as Python's repr() (without its ".0"), for every power of
 * two and 300,000 doubles that python3 makes and prints: random bit
 * patterns, and each of them cut to a random number of digits. */
static void
test_number_python_repr (void)
{
  static const char script[] =
    "import random, struct, sys\n"
    "out = []\n"
    "def show(x):\n"
    "    r = repr(x)\n"
    "    out.append(struct.pack('>d', x).hex() + ' ' + (r[:-2] if r.endswith('.0') else r))\n"
    "for e in range(-1074, 1024):\n"
    "    show(2.0 ** e)\n"
    "rng = random.Random(15)\n"
    "while len(out) < 2098 + 300000:\n"
    "    x = struct.unpack('>d', rng.getrandbits(64).to_bytes(8, 'big'))[0]\n"
    "    if x == x and abs(x) != float('inf'):\n"
    "        show(x)\n"
    "        show(float('%.*g' % (rng.randint(1, 17), x)))\n"
    "sys.stdout.write('\\n'.join(out) + '\\n')\n";
  g_autofree char *out = run_python (script);
  const char *line, *end;
  guint checked = 0;

  if (out == NULL)
    return;
  /* line by line with memchr: g_strsplit() over 7 MB is quadratic under
   * AddressSanitizer, whose strstr() measures the whole rest each time */
  end = out + strlen (out);
  for (line = out; line < end; line = (const char *) memchr (line, '\n', (gsize) (end - line)) + 1)
    {
      guint64 bits = g_ascii_strtoull (line, NULL, 16);
      const char *expected = line + 17;
      gsize length = (gsize) ((const char *) memchr (expected, '\n', (gsize) (end - expected)) -
                              expected);
      g_autofree char *text = NULL;
      double value;

      memcpy (&value, &bits, sizeof value);
      text = winnow_number_format (value);
      if (strlen (text) != length || memcmp (text, expected, length) != 0)
        g_error ("%a: Python writes %.*s, Winnow %s", value, (int) length, expected, text);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 2098 + 300000);
}

static double
exact_sum_of (const double *values, gsize n)
{
  WinnowExactSum sum;
  double result;

  winnow_exact_sum_init (&sum);
  for (gsize i = 0; i < n; i++)
    winnow_exact_sum_add (&sum, values[i]);
  result = winnow_exact_sum_value (&sum);
  winnow_exact_sum_clear (&sum);
  return result;
}

/* The exact sum, rounded once: the cases float sums get wrong, the ends
 * of the range, counts, and merging in any order. */
static void
test_exact_sum (void)
{
  const double tenths[] = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };
  const double cancel[] = { 1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50 };
  const double tiny[] = { 0x1p-1074, 0x1p-1074, 0x1p-1074 };
  const double huge[] = { DBL_MAX, DBL_MAX };
  const double back[] = { DBL_MAX, DBL_MAX, -DBL_MAX };
  const double tie[] = { 1.0, 0x1p-53 };
  const double above_tie[] = { 1.0, 0x1p-53, 0x1p-100 };
  const double odd_tie[] = { 1.0 + 0x1p-52, 0x1p-53 };
  const double negative[] = { -1.5, 0.25 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  double values[3000];
  WinnowExactSum parts[3], whole, counted;

  g_assert_cmpfloat (exact_sum_of (tenths, 10), ==, 1.0);
  g_assert_cmpfloat (exact_sum_of (cancel, G_N_ELEMENTS (cancel)), ==, 1e-100);
  g_assert_cmpfloat (exact_sum_of (tiny, 3), ==, 3 * 0x1p-1074);
  g_assert_cmpfloat (exact_sum_of (huge, 2), ==, INFINITY);
  g_assert_cmpfloat (exact_sum_of (back, 3), ==, DBL_MAX);
  g_assert_cmpfloat (exact_sum_of (tie, 2), ==, 1.0);
  g_assert_cmpfloat (exact_sum_of (above_tie, 3), ==, 1.0 + 0x1p-52);
  g_assert_cmpfloat (exact_sum_of (odd_tie, 2), ==, 1.0 + 0x1p-51);
  g_assert_cmpfloat (exact_sum_of (negative, 2), ==, -1.25);
  g_assert_cmpfloat (exact_sum_of (NULL, 0), ==, 0.0);

  /* a value added n times at once is n additions */
  winnow_exact_sum_init (&counted);
  winnow_exact_sum_add_n (&counted, 0.1, 10);
  g_assert_cmpfloat (winnow_exact_sum_value (&counted), ==, 1.0);
  winnow_exact_sum_add_n (&counted, -0x1p1000, G_MAXUINT64);
  winnow_exact_sum_add_n (&counted, 0x1p1000, G_MAXUINT64);
  g_assert_cmpfloat (winnow_exact_sum_value (&counted), ==, 1.0);
  winnow_exact_sum_clear (&counted);

  /* the carries move when due, whichever way a value was added (inline or
   * not) */
  winnow_exact_sum_init (&counted);
  winnow_exact_sum_add (&counted, 0.5);
  counted.pending = WINNOW_EXACT_SUM_CARRY_EVERY - 3;
  for (guint i = 0; i < 6; i++)
    winnow_exact_sum_add (&counted, 0.25);
  g_assert_cmpuint (counted.pending, <, 6);
  g_assert_cmpfloat (winnow_exact_sum_value (&counted), ==, 2.0);
  winnow_exact_sum_clear (&counted);

  /* parts merged in any order make the whole */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = ldexp (g_rand_double_range (rand, -1, 1), g_rand_int_range (rand, -60, 60));
  winnow_exact_sum_init (&whole);
  for (guint p = 0; p < 3; p++)
    winnow_exact_sum_init (&parts[p]);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      winnow_exact_sum_add (&whole, values[i]);
      winnow_exact_sum_add (&parts[g_rand_int_range (rand, 0, 3)], values[G_N_ELEMENTS (values) - 1 - i]);
    }
  winnow_exact_sum_merge (&parts[2], &parts[0]);
  winnow_exact_sum_merge (&parts[1], &parts[2]);
  g_assert_cmpfloat (winnow_exact_sum_value (&parts[1]), ==, winnow_exact_sum_value (&whole));
  for (guint p = 0; p < 3; p++)
    winnow_exact_sum_clear (&parts[p]);
  winnow_exact_sum_clear (&whole);
}

/* The inline addition of one value leaves the sum as
 * winnow_exact_sum_add_n() does, digit for digit: values of every size
 * and sign, zeros, subnormals, and digits not kept yet. */
static void
test_exact_sum_inline (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (30);
  static const double edges[] = { 0.0, -0.0, 0x1p-1074, -0x1p-1074, 0x1p-1022, DBL_MAX,
                                  -DBL_MAX, 1.0, -1.0, 0x1.fffffffffffffp-1 };

  for (guint run = 0; run < 2000; run++)
    {
      WinnowExactSum inline_sum, called;

      winnow_exact_sum_init (&inline_sum);
      winnow_exact_sum_init (&called);
      for (guint i = 0; i < 40; i++)
        {
          double v = g_rand_int_range (rand, 0, 8) == 0
                     ? edges[g_rand_int_range (rand, 0, G_N_ELEMENTS (edges))]
                     : ldexp (g_rand_double_range (rand, -1, 1),
                              g_rand_int_range (rand, run % 2 ? -1074 : -60, run % 2 ? 1024 : 60));

          winnow_exact_sum_add (&inline_sum, v);
          winnow_exact_sum_add_n (&called, v, 1);
          g_assert_cmpuint (inline_sum.first, ==, called.first);
          g_assert_cmpuint (inline_sum.n, ==, called.n);
          g_assert_cmpuint (inline_sum.pending, ==, called.pending);
          if (called.n > 0)
            g_assert_cmpmem (inline_sum.digit, inline_sum.n * sizeof (gint64),
                             called.digit, called.n * sizeof (gint64));
        }
      winnow_exact_sum_clear (&inline_sum);
      winnow_exact_sum_clear (&called);
    }
}

/* The same sums as Python's math.fsum (exact, rounded once) over 3,000
 * lists of doubles of every size and sign that python3 makes. */
static void
test_exact_sum_python (void)
{
  static const char script[] =
    "import math, random, struct, sys\n"
    "rng = random.Random(18)\n"
    "h = lambda x: struct.pack('>d', x).hex()\n"
    "for n in range(3000):\n"
    "    e = rng.choice([4, 60, 300, 1000])\n"
    "    xs = [rng.uniform(-1, 1) * 2.0 ** rng.randint(-e, min(e, 1000)) for _ in range(rng.randint(1, 40))]\n"
    "    try:\n"
    "        s = math.fsum(xs)\n"
    "    except OverflowError:\n"
    "        continue\n"
    "    sys.stdout.write(' '.join(h(x) for x in xs) + ' = ' + h(s) + '\\n')\n";
  g_autofree char *out = run_python (script);
  g_auto(GStrv) lines = NULL;
  guint checked = 0;

  if (out == NULL)
    return;
  lines = g_strsplit (out, "\n", -1);
  for (guint l = 0; lines[l] != NULL && lines[l][0] != '\0'; l++)
    {
      g_auto(GStrv) words = g_strsplit (lines[l], " ", -1);
      guint n = g_strv_length (words);
      WinnowExactSum sum;
      guint64 bits;
      double value, expected;

      g_assert_cmpuint (n, >=, 3);
      winnow_exact_sum_init (&sum);
      for (guint i = 0; i + 2 < n; i++)
        {
          bits = g_ascii_strtoull (words[i], NULL, 16);
          memcpy (&value, &bits, sizeof value);
          winnow_exact_sum_add (&sum, value);
        }
      bits = g_ascii_strtoull (words[n - 1], NULL, 16);
      memcpy (&expected, &bits, sizeof expected);
      value = winnow_exact_sum_value (&sum);
      if (memcmp (&value, &expected, sizeof value) != 0)
        g_error ("line %u: math.fsum gives %a, Winnow %a", l, expected, value);
      winnow_exact_sum_clear (&sum);
      checked++;
    }
  g_assert_cmpuint (checked, >, 2000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/number/parse", test_number_parse);
  g_test_add_func ("/number/parse/random", test_number_parse_random);
  g_test_add_func ("/number/format", test_number_format);
  g_test_add_func ("/number/round-trip", test_number_round_trip);
  g_test_add_func ("/number/shortest/powers-of-two", test_number_powers_of_two);
  g_test_add_func ("/number/shortest/random", test_number_shortest_random);
  g_test_add_func ("/number/shortest/python-repr", test_number_python_repr);
  g_test_add_func ("/exact-sum", test_exact_sum);
  g_test_add_func ("/exact-sum/inline", test_exact_sum_inline);
  g_test_add_func ("/exact-sum/python-fsum", test_exact_sum_python);

  return g_test_run ();
}
