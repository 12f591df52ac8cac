/* test-units.c: the engine's small parts: the NA set, the sniffer, the
 * digest set, the text decoder and the thread budget. Numbers and exact
 * sums are in test-numbers.c, a column's statistics in test-stats.c. */
#include "config.h"

#include <string.h>

#include "winnow-csv-sniffer.h"
#include "winnow-digest-set.h"
#include "winnow-text-decoder.h"
#include "winnow-text-set.h"
#include "winnow-thread-budget-private.h"

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

  g_test_add_func ("/na-set", test_na_set);
  g_test_add_func ("/sniffer", test_sniffer);
  g_test_add_func ("/digest-set", test_digest_set);
  g_test_add_func ("/thread-budget", test_thread_budget);
  g_test_add_func ("/text-decoder/single-byte", test_decoder_single_byte);

  return g_test_run ();
}
