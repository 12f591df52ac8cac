/* test-units.c: the engine's small parts: numbers, NA tokens, the sniffer,
 * quoting, digests, value counts and fill statistics. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "winnow-csv-sniffer.h"
#include "winnow-digest-set.h"
#include "winnow-exact-sum.h"
#include "winnow-fill-stats.h"
#include "winnow-text-decoder.h"
#include "winnow-text-set.h"
#include "winnow-thread-budget-private.h"
#include "winnow-number.h"
#include "winnow-profiler.h"
#include "winnow-value-counter.h"

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

static void
test_na_set (void)
{
  const char *tokens[] = { "", "NA", "n/a", "a-very-long-missing-marker", "1.#IND" };
  g_autoptr(WinnowTextSet) set = winnow_text_set_new (tokens, G_N_ELEMENTS (tokens));
  g_autoptr(WinnowTextSet) none = winnow_text_set_new (NULL, 0);

  g_assert_true (winnow_text_set_contains (set, "", 0));
  g_assert_true (winnow_text_set_contains (set, "NA", 2));
  g_assert_false (winnow_text_set_contains (set, "NAN", 3));
  g_assert_false (winnow_text_set_contains (set, "na", 2));
  g_assert_true (winnow_text_set_contains (set, "n/a", 3));
  g_assert_true (winnow_text_set_contains (set, "1.#IND", 6));
  g_assert_false (winnow_text_set_contains (set, "123456", 6));
  g_assert_true (winnow_text_set_contains (set, "a-very-long-missing-marker", 26));
  g_assert_false (winnow_text_set_contains (set, "a-very-long-missing-markers", 27));
  g_assert_false (winnow_text_set_contains (none, "", 0));
}

static void
test_sniffer (void)
{
  static const struct {
    const char *text;
    char delimiter;
  } cases[] = {
    { "a,b,c\n1,2,3\n", ',' },
    { "a;b;c\n1,5;2,5;3\n", ';' },
    { "a\tb\n1\t2\n", '\t' },
    { "a|b\n1|2\n", '|' },
    { "name\nAna\n", ',' },
    { "a;b\n\"x,y,z\";1\n\"p,q,r\";2\n", ';' },
    { "a,b\r\n1,2\r\n", ',' },
    { "only;one;line", ';' },
    /* a quote inside a field is text, not the start of a quoted field */
    { "size\";w;h\n1;2;3\n4;5;6\n", ';' },
    { "a;b\"c;d\n1;2\"\";3\n4;5;6\n", ';' },
    /* lines of spaces and tabs are blank: their tabs are no delimiter */
    { "a\n \nx\n \t \n", ',' },
    { "a;b\n\t\n1;2\n \t\n", ';' },
    /* a doubled quote inside a quoted field does not close it */
    { "a;b\n\"x\"\",y,z\";1\n\"p,\"\"q,r\";2\n", ';' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (winnow_sniff_delimiter (cases[i].text, strlen (cases[i].text), '"'), ==,
                     cases[i].delimiter);
  g_assert_cmpint (winnow_sniff_line_end ("a\rb\r", 4), ==, '\r');
  g_assert_cmpint (winnow_sniff_line_end ("a\r\nb\r\n", 6), ==, '\n');
}

/* Every @step-th of the digests of "PREFIX I" (I below @n) holds I and ~I. */
static void
assert_digest_values (const WinnowDigestSet *set, const char *prefix, guint n, guint step)
{
  for (guint i = 0; i < n; i += step)
    {
      g_autofree char *key = g_strdup_printf ("%s %u", prefix, i);
      guint64 *values = winnow_digest_set_lookup (set, winnow_digest_compute (key, strlen (key)));

      g_assert_nonnull (values);
      g_assert_cmpuint (values[0], ==, i);
      g_assert_cmpuint (values[1], ==, ~(guint64) i);
    }
}

static void
test_digest_set (void)
{
  g_autoptr(WinnowDigestSet) set = winnow_digest_set_new (16, 1);
  char key[32];

  for (guint i = 0; i < 50000; i++)
    {
      guint64 *value;
      gsize n = (gsize) g_snprintf (key, sizeof key, "row %u", i % 20000);
      gboolean is_new = winnow_digest_set_insert (set, winnow_digest_compute (key, n), &value);

      g_assert_cmpint (is_new, ==, i < 20000);
      if (is_new)
        *value = i;
      else
        g_assert_cmpuint (*value, ==, i % 20000);
    }
  g_assert_cmpuint (set->count, ==, 20000);

  /* two values per digest survive the table's growth; lookup finds them */
  {
    g_autoptr(WinnowDigestSet) pairs = winnow_digest_set_new (16, 2);
    for (guint i = 0; i < 30000; i++)
      {
        guint64 *values;
        gsize n = (gsize) g_snprintf (key, sizeof key, "row %u", i);
        g_assert_true (winnow_digest_set_insert (pairs, winnow_digest_compute (key, n), &values));
        values[0] = i;
        values[1] = 3 * (guint64) i + 1;
      }
    for (guint i = 0; i < 30000; i++)
      {
        gsize n = (gsize) g_snprintf (key, sizeof key, "row %u", i);
        guint64 *values = winnow_digest_set_lookup (pairs, winnow_digest_compute (key, n));
        g_assert_nonnull (values);
        g_assert_cmpuint (values[0], ==, i);
        g_assert_cmpuint (values[1], ==, 3 * (guint64) i + 1);
      }
    g_assert_null (winnow_digest_set_lookup (pairs, winnow_digest_compute ("absent", 6)));
  }
  /* tables in mappings of their own, on whole huge pages (4 MiB and
   * more): values kept through growth from one such table to another */
  {
    g_autoptr(WinnowDigestSet) big = winnow_digest_set_new (300000, 2);

    /* made on a thread of their own, while a first table serves */
    g_assert_true (big->small_tables);
    winnow_digest_set_settle (big);
    g_assert_false (big->small_tables);
    g_assert_cmpuint ((guintptr) big->slots % (2u << 20), ==, 0);
    g_assert_cmpuint ((guintptr) big->values % (2u << 20), ==, 0);
    for (guint i = 0; i < 500000; i++)
      {
        guint64 *values;
        gsize n = (gsize) g_snprintf (key, sizeof key, "big %u", i);
        g_assert_true (winnow_digest_set_insert (big, winnow_digest_compute (key, n), &values));
        values[0] = i;
        values[1] = ~(guint64) i;
      }
    g_assert_cmpuint ((guintptr) big->slots % (2u << 20), ==, 0);
    assert_digest_values (big, "big", 500000, 7);
  }
  /* full tables taken while the first one holds digests, and full tables
   * dropped when the first one outgrew them meanwhile: every digest and
   * its values kept either way */
  for (guint outgrown = 0; outgrown < 2; outgrown++)
    {
      gsize expected = outgrown ? 300000 : 600000;
      g_autoptr(WinnowDigestSet) staged = NULL;
      guint n_rows = 700000;

      winnow_digest_set_hold_stages (TRUE);
      staged = winnow_digest_set_new (expected, 2);
      g_assert_nonnull (staged->stage);
      for (guint i = 0; i < n_rows; i++)
        {
          guint64 *values;
          gsize n = (gsize) g_snprintf (key, sizeof key, "staged %u", i % 400000);
          gboolean is_new = winnow_digest_set_insert (staged, winnow_digest_compute (key, n),
                                                      &values);

          g_assert_cmpint (is_new, ==, i < 400000);
          if (is_new)
            {
              values[0] = i;
              values[1] = ~(guint64) i;
            }
          else
            g_assert_cmpuint (values[0], ==, i % 400000);
          if (i == 350000)
            {
              /* the first table grew past its size meanwhile; the next
               * insert takes the full tables, made by now */
              g_assert_true (staged->small_tables);
              g_assert_nonnull (staged->stage);
              winnow_digest_set_hold_stages (FALSE);
              winnow_digest_set_wait_stage (staged);
              g_assert_nonnull (staged->stage);
            }
          if (i == 350001)
            {
              g_assert_null (staged->stage);
              g_assert_cmpint (staged->small_tables, ==, outgrown);
            }
        }
      g_assert_cmpuint (staged->count, ==, 400000);
      if (!outgrown)
        g_assert_cmpuint ((guintptr) staged->slots % (2u << 20), ==, 0);
      assert_digest_values (staged, "staged", 400000, 3);
    }
  /* sized for what is expected, a distinct row costs at most 20 bytes
   * (16 / 0.8), and no more than 32 however far the table grew */
  {
    g_autoptr(WinnowDigestSet) sized = winnow_digest_set_new (100000, 0);
    g_autoptr(WinnowDigestSet) grown = winnow_digest_set_new (1000, 0);
    for (guint i = 0; i < 100000; i++)
      {
        gsize n = (gsize) g_snprintf (key, sizeof key, "row %u", i);
        winnow_digest_set_insert (sized, winnow_digest_compute (key, n), NULL);
        winnow_digest_set_insert (grown, winnow_digest_compute (key, n), NULL);
        if (i >= 1000)
          g_assert_cmpuint (winnow_digest_set_get_bytes (grown), <=, 32 * (gsize) (i + 1));
      }
    g_assert_cmpuint (winnow_digest_set_get_bytes (sized), <=, 20 * (gsize) 100000);
    g_assert_cmpuint (sized->count, ==, 100000);
    g_assert_cmpuint (grown->count, ==, 100000);
    for (guint i = 0; i < 100000; i += 7)
      {
        gsize n = (gsize) g_snprintf (key, sizeof key, "row %u", i);
        g_assert_false (winnow_digest_set_insert (grown, winnow_digest_compute (key, n), NULL));
      }
  }
  /* the digest covers every byte, NULs included */
  {
    WinnowDigest a = winnow_digest_compute ("ab\0c", 4), b = winnow_digest_compute ("ab\0d", 4);
    g_assert_false (a.lo == b.lo && a.hi == b.hi);
  }
}

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

/* The histogram is the one its definition gives: every number counted in
 * the bin that holds it, edges and negative numbers included (a bin is
 * found by a floor that must not round towards zero), with the narrowest
 * bins that hold them all, subnormal and huge numbers too. */
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

/* The profile's histogram of @values (at least two different numbers) is
 * the reference one. */
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
 * near its end (winnow-fill-stats.c: MEDIAN_DISTINCT_MAX). */
static void
test_fill_median_large (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  for (guint round = 0; round < 18; round++)
    {
      /* each kind of column once of odd length, once of even */
      guint n = 100000 + 2 * (guint) g_rand_int_range (rand, 0, 30000) + (round / 9) % 2;
      g_autoptr(WinnowFillStats) stats = winnow_fill_stats_new (WINNOW_FILL_MEDIAN);
      g_autofree double *values = g_new (double, n);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;
      double v;

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
      g_assert_cmpstr (got, ==, want);
    }
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

/* Which encodings may be cut at any line end and decoded in parts. */
static void
test_decoder_single_byte (void)
{
  static const struct { const char *name; gboolean single; } cases[] = {
    { "windows-1252", TRUE }, { "latin1", TRUE }, { "ISO-8859-15", TRUE }, { "KOI8-R", TRUE },
    { "UTF-16", FALSE }, { "UTF-32", FALSE }, { "SHIFT_JIS", FALSE }, { "GB18030", FALSE },
    { "BIG5", FALSE }, { "UTF-7", FALSE }, { "EBCDIC-US", FALSE },
    /* not ISO-2022-JP: its module loads libraries by $ORIGIN, where
     * valgrind reports the dynamic loader's own reads */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowTextDecoder) decoder = winnow_text_decoder_new (cases[i].name, &error);

      if (decoder == NULL)
        {
          g_test_message ("%s: not known here", cases[i].name);
          continue;
        }
      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (winnow_text_decoder_is_single_byte (decoder), ==, cases[i].single);
    }
}

/* A base thread that waits for the budget, on a thread of its own. */
typedef struct {
  WinnowThreadBudget *budget;
  gint started;
} BaseWaiter;

static gpointer
take_base_thread (gpointer data)
{
  BaseWaiter *waiter = data;

  winnow_thread_budget_take_base (waiter->budget);
  g_atomic_int_set (&waiter->started, 1);
  winnow_thread_budget_release_base (waiter->budget);
  return NULL;
}

/* Spins (no sleep) until the budget asks extras to step back, or 10 s. */
static gboolean
wait_for_yield (WinnowThreadBudget *budget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!winnow_thread_budget_should_yield (budget))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_thread_yield ();
    }
  return TRUE;
}

static void
test_thread_budget (void)
{
  g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (2);
  gint wake = 0;
  BaseWaiter waiter = { budget, 0 };
  GThread *thread;

  g_assert_cmpuint (winnow_thread_budget_get_capacity (budget), ==, 2);
  g_assert_cmpuint (winnow_thread_budget_get_capacity (winnow_thread_budget_get_default ()), ==,
                    (guint) MAX (g_get_num_processors (), 1));

  /* one task: its base thread and one extra fill the budget */
  winnow_thread_budget_take_base (budget);
  g_assert_true (winnow_thread_budget_take_extra (budget, &wake));
  g_assert_false (winnow_thread_budget_should_yield (budget));

  /* no room for a second extra: a set flag ends its wait at once */
  g_atomic_int_set (&wake, 1);
  g_assert_false (winnow_thread_budget_take_extra (budget, &wake));
  g_atomic_int_set (&wake, 0);

  /* a second task's base thread waits for the extra to step back */
  thread = g_thread_new ("test-base", take_base_thread, &waiter);
  g_assert_true (wait_for_yield (budget));
  g_assert_cmpint (g_atomic_int_get (&waiter.started), ==, 0);
  winnow_thread_budget_release_extra (budget);
  g_thread_join (thread);
  g_assert_cmpint (g_atomic_int_get (&waiter.started), ==, 1);
  g_assert_cmpuint (winnow_thread_budget_take_peak (budget), ==, 2);

  /* forced past the budget: counted, and asked to step back */
  winnow_thread_budget_take_base (budget);
  winnow_thread_budget_force_extra (budget);
  winnow_thread_budget_force_extra (budget);
  g_assert_true (winnow_thread_budget_should_yield (budget));
  g_assert_cmpuint (winnow_thread_budget_take_peak (budget), ==, 4);
  winnow_thread_budget_release_extra (budget);
  winnow_thread_budget_release_extra (budget);
  g_assert_false (winnow_thread_budget_should_yield (budget));
  winnow_thread_budget_release_base (budget);
  winnow_thread_budget_release_base (budget);
  g_assert_cmpuint (winnow_thread_budget_take_peak (budget), ==, 4);
  g_assert_cmpuint (winnow_thread_budget_take_peak (budget), ==, 0);
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
  g_test_add_func ("/na-set", test_na_set);
  g_test_add_func ("/sniffer", test_sniffer);
  g_test_add_func ("/digest-set", test_digest_set);
  g_test_add_func ("/value-counter", test_value_counter);
  g_test_add_func ("/value-counter/merge", test_value_counter_merge);
  g_test_add_func ("/profiler/merge", test_profiler_merge);
  g_test_add_func ("/profiler/histogram-order", test_histogram_order);
  g_test_add_func ("/profiler/histogram-bins", test_histogram_bins);
  g_test_add_func ("/fill-stats/median", test_fill_median);
  g_test_add_func ("/fill-stats/median-large", test_fill_median_large);
  g_test_add_func ("/fill-stats/mean-pairwise", test_fill_mean_pairwise);
  g_test_add_func ("/thread-budget", test_thread_budget);
  g_test_add_func ("/text-decoder/single-byte", test_decoder_single_byte);

  return g_test_run ();
}
