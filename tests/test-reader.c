/* test-reader.c: the streaming reader: bad input gets a clear error, and
 * parsing in chunks on several threads gives exactly the rows, lines and
 * errors of a plain sequential parse. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "winnow-csv-reader.h"
#include "winnow-test-util.h"
#include "winnow-thread-budget-private.h"

/* as many batches as a parse thread starts with (BATCHES_PER_THREAD) */
#define HELD 4

typedef struct {
  gsize chunk_size;
  guint n_threads;
  WinnowBadLines bad_lines;
  gunichar delimiter;         /* 0 for "," */
  WinnowThreadBudget *budget; /* NULL for the process's */
  const char *encoding;       /* NULL for "auto" */
  gboolean libcsv_only;
  gboolean extra_first;
  gboolean trim;
  char quote;                 /* 0 for '"' */
  guint batches_per_thread;   /* 0 for the default */
} ReadSetup;

static WinnowCsvReaderOptions
options_for (const ReadSetup *setup)
{
  WinnowCsvReaderOptions options = { ',', '"', "auto", TRUE, WINNOW_BAD_LINES_ERROR, 0, 0 };
  if (setup != NULL)
    {
      options.chunk_size = setup->chunk_size;
      options.n_threads = setup->n_threads;
      options.bad_lines = setup->bad_lines;
      if (setup->delimiter != 0)
        options.delimiter = setup->delimiter;
      options.budget = setup->budget;
      if (setup->encoding != NULL)
        options.encoding = setup->encoding;
      options.libcsv_only = setup->libcsv_only;
      options.extra_first = setup->extra_first;
      if (setup->quote != 0)
        options.quote = setup->quote;
      options.batches_per_thread = setup->batches_per_thread;
    }
  return options;
}

/* Every row as "line|field|field…", then the outcome; or the error
 * (winnow_test_read_rows()). */
static char *
dump (const char *path, const ReadSetup *setup)
{
  WinnowCsvReaderOptions options = options_for (setup);

  return winnow_test_read_rows (path, &options, setup != NULL && setup->trim);
}

/* A dirty CSV: quoted delimiters, doubled quotes, fields over several
 * lines (sometimes long ones), CRLF, blank lines, short and long rows. */
static char *
random_csv (guint32 seed, guint n_rows, gboolean long_rows)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *s = g_string_new ("a,b,c,d\n");

  for (guint i = 0; i < n_rows; i++)
    {
      guint n_fields = 4;
      int kind = g_rand_int_range (rand, 0, 100);

      if (kind < 5)
        n_fields = (guint) g_rand_int_range (rand, 1, 4);
      else if (kind < 8 && long_rows)
        n_fields = 5;
      for (guint f = 0; f < n_fields; f++)
        {
          int v = g_rand_int_range (rand, 0, 100);
          if (f > 0)
            g_string_append_c (s, ',');
          if (v < 40)
            g_string_append_printf (s, "w%u", g_rand_int_range (rand, 0, 1000));
          else if (v < 50)
            ;  /* empty */
          else if (v < 55)
            g_string_append (s, "NA");
          else if (v < 65)
            g_string_append (s, "\"x, y\"");
          else if (v < 72)
            g_string_append (s, "\"say \"\"hi\"\"\"");
          else if (v < 80)
            g_string_append (s, "\"two\n  \nlines\"");
          else if (v < 83)
            {
              /* a quoted field over many lines: it crosses chunk ends */
              g_string_append_c (s, '"');
              for (int l = g_rand_int_range (rand, 5, 60); l > 0; l--)
                g_string_append (s, "long,line\n");
              g_string_append_c (s, '"');
            }
          else if (v < 85)
            g_string_append (s, "  spaced  ");
          else
            g_string_append_printf (s, "%d", g_rand_int_range (rand, -50, 50));
        }
      g_string_append (s, g_rand_int_range (rand, 0, 10) == 0 ? "\r\n" : "\n");
      if (g_rand_int_range (rand, 0, 30) == 0)
        g_string_append_c (s, '\n');
      else if (g_rand_int_range (rand, 0, 30) == 0)
        g_string_append (s, " \t \n");  /* blank too */
    }
  return g_string_free (s, FALSE);
}

static void
assert_chunked_equal (const char *path, WinnowBadLines bad_lines)
{
  static const gsize chunk_sizes[] = { 64, 257, 4096 };
  ReadSetup sequential = { 1 << 30, 1, bad_lines };
  g_autofree char *expected = dump (path, &sequential);

  for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
    for (guint w = 2; w <= 4; w += 2)
      {
        ReadSetup setup = { chunk_sizes[c], w, bad_lines };
        g_autofree char *got = dump (path, &setup);
        if (g_strcmp0 (got, expected) != 0)
          g_test_message ("chunk size %" G_GSIZE_FORMAT ", %u parse threads", chunk_sizes[c], w);
        g_assert_cmpstr (got, ==, expected);
      }
}

static void
test_chunks_random (WinnowTestDir *fixture, gconstpointer data)
{
  for (guint32 seed = 1; seed <= 6; seed++)
    {
      g_autofree char *csv = random_csv (seed, 400, FALSE);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      assert_chunked_equal (path, WINNOW_BAD_LINES_ERROR);
    }
}

/* Quotes of every kind, where a line split here and libcsv could differ:
 * quoted fields that close on their line (doubled quotes, delimiters,
 * empty), that go on over lines or hold a CR, quotes inside unquoted
 * fields, blanks around fields and before a quote, a delimiter at the
 * line's end; rows of other lengths with @ragged; and, with @error, one
 * line that libcsv refuses (text after a closing quote), or a quote
 * never closed at the end of the file. */
static char *
quoted_csv (guint32 seed, guint n_rows, gboolean ragged, gboolean error)
{
  static const char *fields[] = {
    "w1", "", "NA", "\"x, y\"", "\"say \"\"hi\"\"\"", "\"\"", "\"\"\"\"", "\"\"\"\"\"\"",
    "a\"b", "a\"\"b", "ab\"", "\"a,\"\",b\"", "\"two\nlines\"", "\"cr\rinside\"",
    " \"spaced\"", "\"\"\"x\"\"\"", "\"x\"\"\n\"\"y\"", "\",\"", "\"\"\",\"", "7",
    " pad ", "\t", "\" in \"",
  };
  static const char *refused[] = { "\"a\"b", "\"a\" ", "\"\"x", "\"a\"\"b\"c" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *s = g_string_new ("a,b,c\n");
  gboolean open_at_end = error && g_rand_boolean (rand);
  guint error_row = error && !open_at_end ? (guint) g_rand_int_range (rand, 0, (gint32) n_rows)
                                          : G_MAXUINT;

  for (guint i = 0; i < n_rows; i++)
    {
      guint n_fields = ragged && g_rand_int_range (rand, 0, 20) == 0
                       ? (guint) g_rand_int_range (rand, 1, 5) : 3;

      for (guint f = 0; f < n_fields; f++)
        {
          if (f > 0)
            g_string_append_c (s, ',');
          if (i == error_row && f == n_fields - 1)
            g_string_append (s, refused[g_rand_int_range (rand, 0, G_N_ELEMENTS (refused))]);
          else
            g_string_append (s, fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields))]);
        }
      switch (g_rand_int_range (rand, 0, 12))
        {
        case 0: g_string_append (s, "\r\n"); break;
        case 1: g_string_append (s, ",\n"); break;
        case 2: g_string_append (s, "\n\n"); break;
        case 3: g_string_append (s, "\n \t\n"); break;
        case 4: g_string_append (s, "\r"); break;
        default: g_string_append_c (s, '\n'); break;
        }
    }
  if (open_at_end)
    g_string_append (s, "1,2,\"never closed\n");
  return g_string_free (s, FALSE);
}

/* The lines split here (parse_plain_line(), parse_quoted_line()) give
 * exactly the fields, rows, lines and errors of libcsv parsing every
 * line, in chunks too, with each way of handling bad lines, with fields
 * trimmed, with a delimiter past ASCII and another quote character. */
static void
test_lines_as_libcsv (WinnowTestDir *fixture, gconstpointer data)
{
  static const gsize chunk_sizes[] = { 1 << 30, 64, 257 };
  static const WinnowBadLines modes[] = {
    WINNOW_BAD_LINES_ERROR, WINNOW_BAD_LINES_WARN, WINNOW_BAD_LINES_SKIP
  };
  guint refused = 0, never_closed = 0, bad_lines = 0, files = 0;

  for (guint32 seed = 1; seed <= 24; seed++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        /* rows of other lengths are an error of their own in error mode */
        gboolean ragged = modes[m] != WINNOW_BAD_LINES_ERROR;
        g_autofree char *csv = quoted_csv (seed, 300, ragged, seed % 3 == 0);
        gboolean section = seed % 4 == 1, apostrophe = seed % 5 == 2;
        g_autofree char *path = NULL;
        ReadSetup reference = { 1 << 30, 1, modes[m], section ? 0xA7 : 0 };
        g_autofree char *expected = NULL;

        if (section)
          {
            g_auto(GStrv) parts = g_strsplit (csv, ",", -1);
            g_free (csv);
            csv = g_strjoinv ("§", parts);
          }
        if (apostrophe)
          for (char *p = csv; *p; p++)
            if (*p == '"')
              *p = '\'';
        path = winnow_test_write_file (fixture->dir, "q.csv", csv, -1);
        reference.libcsv_only = TRUE;
        reference.trim = seed % 2 == 0;
        reference.quote = apostrophe ? '\'' : 0;
        expected = dump (path, &reference);
        files++;
        refused += strstr (expected, "after a closing quote") != NULL;
        never_closed += strstr (expected, "never closed") != NULL;
        bad_lines += strstr (expected, "\nbad line ") != NULL;
        for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
          {
            ReadSetup setup = reference;
            g_autofree char *got = NULL;

            setup.chunk_size = chunk_sizes[c];
            setup.n_threads = c == 0 ? 1 : 3;
            setup.libcsv_only = FALSE;
            got = dump (path, &setup);
            if (g_strcmp0 (got, expected) != 0)
              g_test_message ("seed %u, mode %u, chunk size %" G_GSIZE_FORMAT, seed, m,
                              chunk_sizes[c]);
            g_assert_cmpstr (got, ==, expected);
          }
      }
  /* each kind of refusal was reached, bad lines were listed, and most
   * files were read whole */
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (never_closed, >, 0);
  g_assert_cmpuint (bad_lines, >, 0);
  g_assert_cmpuint (refused + never_closed, <, files / 2);
}

/* A delimiter past ASCII ("§", two bytes): the rows of the same file
 * written with commas, quoted delimiters included, in chunks too. */
static void
test_chunks_unicode_delimiter (WinnowTestDir *fixture, gconstpointer data)
{
  for (guint32 seed = 20; seed <= 22; seed++)
    {
      g_autofree char *csv = random_csv (seed, 400, FALSE);
      g_auto(GStrv) parts = g_strsplit (csv, ",", -1);
      g_autofree char *section_csv = g_strjoinv ("§", parts);
      g_autofree char *comma_path = winnow_test_write_file (fixture->dir, "c.csv", csv, -1);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "s.csv", section_csv, -1);
      ReadSetup comma = { 1 << 30, 1, WINNOW_BAD_LINES_ERROR, 0 };
      g_autofree char *comma_rows = dump (comma_path, &comma);
      g_auto(GStrv) comma_parts = g_strsplit (comma_rows, ",", -1);
      g_autofree char *expected = g_strjoinv ("§", comma_parts);
      static const gsize chunk_sizes[] = { 1 << 30, 64, 257 };

      g_assert_nonnull (strstr (section_csv, "\"x§ y\""));
      for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
        {
          ReadSetup setup = { chunk_sizes[c], c == 0 ? 1 : 3, WINNOW_BAD_LINES_ERROR, 0xA7 };
          g_autofree char *got = dump (path, &setup);
          g_assert_cmpstr (got, ==, expected);
        }
    }
}

static void
test_chunks_bad_lines (WinnowTestDir *fixture, gconstpointer data)
{
  for (guint32 seed = 10; seed <= 12; seed++)
    {
      g_autofree char *csv = random_csv (seed, 400, TRUE);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      g_autofree char *text = NULL;
      ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_ERROR };

      /* the first long row is the error, with its file line */
      text = dump (path, &sequential);
      g_assert_nonnull (strstr (text, "error: line "));
      assert_chunked_equal (path, WINNOW_BAD_LINES_ERROR);
      assert_chunked_equal (path, WINNOW_BAD_LINES_WARN);
      assert_chunked_equal (path, WINNOW_BAD_LINES_SKIP);
    }
}

static void
test_chunks_unclosed_quote (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = random_csv (20, 300, FALSE);
  g_autofree char *bad = g_strconcat (csv, "1,\"never\nclosed,x\n2,3\n", NULL);
  g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", bad, -1);
  ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_ERROR };
  g_autofree char *text = dump (path, &sequential);
  guint64 lines = 1;

  for (const char *p = csv; *p; p++)
    lines += *p == '\n';
  g_assert_nonnull (strstr (text, "a quote is opened but never closed"));
  {
    g_autofree char *expected = g_strdup_printf ("error: line %" G_GUINT64_FORMAT ": a quote", lines);
    g_assert_nonnull (strstr (text, expected));
  }
  assert_chunked_equal (path, WINNOW_BAD_LINES_ERROR);
}

static void
test_chunks_long_line (WinnowTestDir *fixture, gconstpointer data)
{
  /* one line far longer than a chunk: chunks with no line end at all */
  g_autoptr(GString) csv = g_string_new ("a,b\n1,2\n");
  g_autofree char *path = NULL;

  g_string_append (csv, "3,");
  for (guint i = 0; i < 2000; i++)
    g_string_append (csv, "x");
  g_string_append (csv, "\n4,\"");
  for (guint i = 0; i < 300; i++)
    g_string_append (csv, "q\n");
  g_string_append (csv, "\"\n5,6\n");
  path = winnow_test_write_file (fixture->dir, "r.csv", csv->str, -1);
  assert_chunked_equal (path, WINNOW_BAD_LINES_ERROR);
}

/* Two readers of four parse threads each, at once, on one budget. */
typedef struct {
  const char *path;
  ReadSetup setup;
  char *got;
} SharedRead;

static gpointer
shared_read (gpointer data)
{
  SharedRead *read = data;

  read->got = dump (read->path, &read->setup);
  return NULL;
}

static void
read_two_at_once (const char *path, WinnowThreadBudget *budget, const char *expected)
{
  SharedRead reads[2] = {
    { path, { 64, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL }, NULL },
    { path, { 257, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL }, NULL },
  };
  GThread *threads[2];

  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("test-read", shared_read, &reads[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpstr (reads[i].got, ==, expected);
      g_free (reads[i].got);
    }
}

/* Tasks share the cores through one budget (winnow-thread-budget.h):
 * extra parse threads wait for a place, and the rows are the same. */
static void
test_chunks_budget (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GString) plain = g_string_new ("a,b,c\n");
  g_autofree char *plain_path = NULL;
  ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_SKIP };
  g_autofree char *expected = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (plain, "%u,w%u,%u\n", i, i % 97, i * 7);
  plain_path = winnow_test_write_file (fixture->dir, "plain.csv", plain->str, -1);
  expected = dump (plain_path, &sequential);

  for (guint capacity = 1; capacity <= 3; capacity++)
    {
      g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (capacity);
      ReadSetup alone = { 64, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL };
      g_autofree char *got = dump (plain_path, &alone);

      /* one task: never more than the budget */
      g_assert_cmpstr (got, ==, expected);
      g_assert_cmpuint (winnow_thread_budget_take_peak (budget), <=, capacity);
      g_assert_cmpuint (winnow_thread_budget_take_peak (budget), ==, 0);

      /* two: each has its base thread, the extras only the room left */
      read_two_at_once (plain_path, budget, expected);
      g_assert_cmpuint (winnow_thread_budget_take_peak (budget), <=, MAX (capacity, 2));
    }

  /* An extra thread that takes the only place before the base thread
   * and claims chunks ahead until it has no batch left waits for the
   * chunks before them, which the base thread must parse: it gives its
   * place back while it waits (it kept it, and both waited for ever). */
  {
    g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (1);
    ReadSetup extra_first = { 64, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL, FALSE, TRUE };
    g_autofree char *got = dump (plain_path, &extra_first);

    g_assert_cmpstr (got, ==, expected);
    g_assert_cmpuint (winnow_thread_budget_take_peak (budget), <=, 1);
  }

  /* Quoted fields across chunks: chunks parsed again from a wrong guess
   * are parsed even when the budget has no room for an extra. */
  for (guint32 seed = 30; seed <= 32; seed++)
    {
      g_autofree char *csv = random_csv (seed, 400, TRUE);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      g_autofree char *rows = dump (path, &sequential);
      g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (1);

      read_two_at_once (path, budget, rows);
    }
}

/* Single-byte encodings are parsed in chunks too, each with a decoder of
 * its own: the rows, lines and errors of a sequential parse. */
static void
test_chunks_single_byte (WinnowTestDir *fixture, gconstpointer data)
{
  static const char *encodings[] = { NULL /* auto: Windows-1252 */, "latin1", "ISO-8859-15" };

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    for (guint32 seed = 40; seed <= 41; seed++)
      {
        g_autofree char *csv = random_csv (seed, 400, TRUE);
        g_autofree char *path = NULL;
        g_autofree char *expected = NULL;
        static const gsize chunk_sizes[] = { 64, 257 };

        /* "w12" becomes "ö12", "x, y" "€, y" (Windows-1252 bytes) */
        for (char *p = csv; *p; p++)
          if (*p == 'w')
            *p = '\xF6';
          else if (*p == 'x')
            *p = '\x80';
        if (seed == 41)
          {
            /* a NUL byte late in the file: the same error, the same line */
            char *late = strrchr (csv, '\n');
            *(late - 1) = '\0';
            path = winnow_test_write_file (fixture->dir, "s.csv", csv, (gssize) (late - csv + 1));
            *(late - 1) = 'z';
          }
        else
          path = winnow_test_write_file (fixture->dir, "s.csv", csv, -1);
        {
          ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_SKIP, 0, NULL, encodings[e] };
          expected = dump (path, &sequential);
        }
        if (seed == 41)
          {
            /* read whole by open() here, by the parse threads with chunks */
            char *whole = expected;
            g_assert_true (g_str_has_prefix (whole, "open error: line "));
            expected = g_strconcat (whole + strlen ("open "), "\n", NULL);
            g_free (whole);
          }
        else
          g_assert_nonnull (strstr (expected, "|ö"));
        for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
          for (guint w = 2; w <= 4; w += 2)
            {
              ReadSetup setup = { chunk_sizes[c], w, WINNOW_BAD_LINES_SKIP, 0, NULL, encodings[e] };
              g_autofree char *got = dump (path, &setup);
              g_assert_cmpstr (got, ==, expected);
            }
      }
}

typedef struct {
  GThread *consumer;
  gint rows;            /* atomic: rows prepared */
  gint on_consumer;     /* atomic: batches prepared on the consumer's thread */
} PrepareCount;

static void
count_prepared (WinnowRowBatch *batch, gpointer data)
{
  PrepareCount *count = data;

  g_assert_cmpuint (batch->n_rows, >, 0);
  g_atomic_int_add (&count->rows, (gint) batch->n_rows);
  if (g_thread_self () == count->consumer)
    g_atomic_int_inc (&count->on_consumer);
  /* marks the batch, as the cleaner's digests do */
  batch->has_row_digests = TRUE;
}

/* A reader of @path in chunks of @chunk_size on @threads parse threads,
 * not started. */
static WinnowCsvReader *
open_chunked (const char *path, guint threads, gsize chunk_size)
{
  WinnowCsvReaderOptions options = options_for (NULL);
  g_autoptr(GError) error = NULL;
  WinnowCsvReader *reader;

  options.chunk_size = chunk_size;
  options.n_threads = threads;
  reader = winnow_csv_reader_open (path, &options, NULL, &error);
  g_assert_no_error (error);
  return reader;
}

/* Starts @reader on the four columns of random_csv(), with the empty
 * field as the only NA value; the set returned must outlive the reading
 * (the reader keeps it, and the column map, as it is given them). */
static WinnowTextSet *
start_four_columns (WinnowCsvReader *reader)
{
  static const gint map[4] = { 0, 1, 2, 3 };
  WinnowTextSet *na = winnow_text_set_new ((const char *[]) { "" }, 1);

  winnow_csv_reader_start (reader, map, 4, na, FALSE);
  return na;
}

/* The prepare function runs on the parse threads, once for every batch
 * of rows, before the batch is handed out. */
static void
test_chunks_prepare (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = random_csv (50, 400, FALSE);
  g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);

  for (guint threads = 1; threads <= 3; threads += 2)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowCsvReader) reader = open_chunked (path, threads, 257);
      g_autoptr(WinnowTextSet) na = NULL;
      PrepareCount count = { g_thread_self (), 0, 0 };
      WinnowRowBatch *batch;
      guint64 rows = 0;

      winnow_csv_reader_set_prepare (reader, count_prepared, &count);
      na = start_four_columns (reader);
      while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
        {
          g_assert_true (batch->has_row_digests);
          rows += batch->n_rows;
          winnow_csv_reader_recycle (reader, batch);
        }
      g_assert_true (winnow_csv_reader_finish (reader, &error));
      g_assert_cmpuint (rows, ==, winnow_csv_reader_get_rows (reader));
      g_assert_cmpint (g_atomic_int_get (&count.on_consumer), ==, 0);
      /* a chunk parsed from a wrong guess is prepared too, then dropped */
      g_assert_cmpuint ((guint64) g_atomic_int_get (&count.rows), >=, rows);
    }
}

/* A caller that keeps batches before it gives them back (the write
 * pass's pipeline) says how many, and the reader gives each parse thread
 * as many more: here every batch a thread starts with is held at once,
 * and the file is still read to its end (without
 * winnow_csv_reader_hold_batches() the one thread would wait for a batch
 * while the caller waits for its next one). */
/* Reads the first @n_columns (at most 4) of @path on @threads threads,
 * holding HELD batches as the write pass does; stops (frees the reader,
 * still holding them) after @stop_after batches, or reads it all (0).
 * Returns the rows read; *@n_batches: the batches. */
static guint64
read_holding (const char *path, guint threads, gsize chunk, guint n_columns, guint stop_after,
              guint *n_batches)
{
  static const gint map[4] = { 0, 1, 2, 3 };
  /* freed after the reader, whose threads read it */
  g_autoptr(WinnowTextSet) na = winnow_text_set_new ((const char *[]) { "" }, 1);
  g_autoptr(WinnowCsvReader) reader = open_chunked (path, threads, chunk);
  g_autoptr(GQueue) held = g_queue_new ();
  g_autoptr(GError) error = NULL;
  WinnowRowBatch *batch;
  guint64 rows = 0;
  guint batches = 0;

  winnow_csv_reader_hold_batches (reader, HELD);
  g_assert_cmpuint (n_columns, <=, G_N_ELEMENTS (map));
  winnow_csv_reader_start (reader, map, n_columns, na, FALSE);
  while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
    {
      rows += batch->n_rows;
      g_queue_push_tail (held, batch);
      if (g_queue_get_length (held) > HELD)
        winnow_csv_reader_recycle (reader, g_queue_pop_head (held));
      *n_batches = ++batches;
      if (batches == stop_after)
        return rows;  /* the reader is freed with batches held */
    }
  while (!g_queue_is_empty (held))
    winnow_csv_reader_recycle (reader, g_queue_pop_head (held));
  g_assert_true (winnow_csv_reader_finish (reader, &error));
  g_assert_cmpuint (rows, ==, winnow_csv_reader_get_rows (reader));
  return rows;
}

static void
test_chunks_held_batches (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = random_csv (51, 80000, FALSE);
  g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);

  for (guint threads = 1; threads <= 3; threads += 2)
    {
      guint batches = 0;

      read_holding (path, threads, 64 * 1024, 4, 0, &batches);
      g_assert_cmpuint (batches, >, 2 * HELD);
    }
}

/* A chunk parsed again (a wrong guess had covered it) is the one handed
 * out, so it must never wait for a batch that waits in a chunk after it:
 * the thread that takes it may have all of its own batches there. With
 * one batch per thread that is the usual case, not a rare one. */
static void
test_chunks_redo_few_batches (WinnowTestDir *fixture, gconstpointer data)
{
  static const gsize chunk_sizes[] = { 64, 257 };

  for (guint32 seed = 60; seed <= 64; seed++)
    {
      g_autofree char *csv = random_csv (seed, 300, seed % 2 == 0);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      WinnowBadLines bad_lines = seed % 2 == 0 ? WINNOW_BAD_LINES_SKIP : WINNOW_BAD_LINES_ERROR;
      ReadSetup sequential = { 1 << 30, 1, bad_lines };
      g_autofree char *expected = dump (path, &sequential);

      for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
        for (guint w = 2; w <= 4; w += 2)
          for (guint round = 0; round < 4; round++)
            {
              ReadSetup setup = { chunk_sizes[c], w, bad_lines };
              g_autofree char *got = NULL;

              setup.batches_per_thread = 1;
              got = dump (path, &setup);
              if (g_strcmp0 (got, expected) != 0)
                g_test_message ("seed %u, chunk size %" G_GSIZE_FORMAT ", %u parse threads",
                                seed, chunk_sizes[c], w);
              g_assert_cmpstr (got, ==, expected);
            }
    }
}

/* Appends short rows, the last one padded, so that byte @at of the file
 * is a line end: a chunk that starts at @at starts just after it
 * (winnow_csv_reader_boundary()). */
static void
rows_up_to (GString *s, gsize at)
{
  while (at - s->len > 20)
    g_string_append (s, "1,2,3\n");
  g_string_append (s, "1,2,");
  while (s->len < at)
    g_string_append_c (s, '3');
  g_string_append_c (s, '\n');
  g_assert_cmpint (s->str[at], ==, '\n');
}

/* Rows of 200 bytes, each opening with a quoted field if @quoted. */
static void
long_rows_up_to (GString *s, gsize end, gboolean quoted)
{
  while (s->len < end)
    {
      g_string_append (s, quoted ? "\"q\"," : "q,");
      for (guint i = 0; i < 200; i++)
        g_string_append_c (s, 'B');
      g_string_append (s, ",3\n");
    }
}

/* A file's first chunk, and its second, all inside a quoted field whose
 * only line end is the second chunk's first: that chunk's start is
 * guessed wrong, at the field's closing quote. */
static GString *
quoted_over_chunk_one (gsize chunk)
{
  GString *s = g_string_new ("a,b,c\n");

  rows_up_to (s, chunk - 100);
  g_string_append (s, "x,\"");
  while (s->len < 2 * chunk - 50)
    g_string_append_c (s, 'A');
  g_string_append (s, "\n\",y\n");
  return s;
}

/* A file whose chunk 1 is guessed wrong: a quoted field runs from chunk
 * 0 over the whole of chunk 1, whose first line end is inside it. Chunk
 * 1's parse, inside a "quote" from there, covers chunk 2 (and with
 * @chain chunk 3 too, through unquoted long rows); chunk 0's parse ends
 * at chunk 2, which is then parsed again (and with @chain, chunk 3
 * after it). Then come chunks of short rows, more than a parse thread's
 * batches hold. */
static char *
wrong_guess_csv (gsize chunk, gboolean chain)
{
  GString *s = quoted_over_chunk_one (chunk);

  rows_up_to (s, 2 * chunk);
  if (chain)
    {
      long_rows_up_to (s, 3 * chunk - 300, FALSE);
      rows_up_to (s, 3 * chunk);
    }
  long_rows_up_to (s, (chain ? 4 : 3) * chunk + 1000, TRUE);
  while (s->len < 12 * chunk)
    g_string_append (s, "1,2,3\n");
  return g_string_free (s, FALSE);
}

/* Like wrong_guess_csv() without the chain, but the chunk parsed again
 * holds many batches of rows: the redo thread itself waits for free
 * batches, which the caller may be holding. */
static char *
big_redo_csv (gsize chunk)
{
  GString *s = quoted_over_chunk_one (chunk);

  rows_up_to (s, 3 * chunk - 3000);
  long_rows_up_to (s, 3 * chunk + 1000, TRUE);
  while (s->len < 12 * chunk)
    g_string_append (s, "1,2,3\n");
  return g_string_free (s, FALSE);
}

/* A chunk to be parsed again while every parse thread waits for a free
 * batch, its batches all queued in chunks after that one: no parse
 * thread will come back for it (the redo thread parses it). Found by a
 * review; it hung every time, with the default batches, on 2 threads
 * (the chain) and on 4. */
static void
test_chunks_redo_while_all_wait (WinnowTestDir *fixture, gconstpointer data)
{
  const gsize chunk = 256 * 1024;

  for (guint kind = 0; kind < 3; kind++)
    {
      g_autofree char *csv = kind < 2 ? wrong_guess_csv (chunk, kind == 1) : big_redo_csv (chunk);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_ERROR };
      g_autofree char *expected = dump (path, &sequential);
      guint threads = kind == 1 ? 2 : 4;
      guint batches = 0;
      guint64 rows;

      g_assert_nonnull (strstr (expected, "\nrows "));  /* read whole */
      for (guint round = 0; round < 3; round++)
        {
          ReadSetup setup = { chunk, threads, WINNOW_BAD_LINES_ERROR };
          g_autofree char *got = dump (path, &setup);

          g_assert_cmpstr (got, ==, expected);
        }
      /* the caller holds batches, and stops at the chunk parsed again,
       * before it, and after it */
      rows = read_holding (path, threads, chunk, 3, 0, &batches);
      g_assert_cmpuint (rows, ==, g_ascii_strtoull (strstr (expected, "\nrows ") + 6, NULL, 10));
      for (guint stop = 1; stop < 40; stop += 3)
        g_assert_cmpuint (read_holding (path, threads, chunk, 3, stop, &batches), <, rows);
    }
}

static void
assert_open_error (const char *path, WinnowCsvError code, const char *message)
{
  WinnowCsvReaderOptions options = options_for (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowCsvReader) reader = winnow_csv_reader_open (path, &options, NULL, &error);

  g_assert_null (reader);
  g_assert_error (error, WINNOW_CSV_ERROR, (gint) code);
  if (message != NULL)
    g_assert_nonnull (strstr (error->message, message));
}

static void
test_errors_open (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *empty = winnow_test_write_file (fixture->dir, "empty.csv", "", 0);
  g_autofree char *blank = winnow_test_write_file (fixture->dir, "blank.csv", "\n\n\r\n", -1);
  g_autofree char *binary = winnow_test_write_file (fixture->dir, "bin.csv", "a,b\n1,\0\n", 8);
  g_autofree char *missing = g_build_filename (fixture->dir, "nope.csv", NULL);
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.csv", NULL);

  assert_open_error (empty, WINNOW_CSV_ERROR_EMPTY, "empty.csv is empty");
  assert_open_error (blank, WINNOW_CSV_ERROR_EMPTY, "only blank lines");
  assert_open_error (binary, WINNOW_CSV_ERROR_BINARY, "NUL byte");
  assert_open_error (missing, WINNOW_CSV_ERROR_OPEN, "no such file");
  assert_open_error (fixture->dir, WINNOW_CSV_ERROR_NOT_FILE, "is a folder");
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  assert_open_error (fifo, WINNOW_CSV_ERROR_NOT_FILE, "not a regular file");
}

static void
test_errors_unreadable (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (fixture->dir, "locked.csv", "a\n1\n", -1);

  g_chmod (path, 0);
  if (getuid () != 0)
    {
      assert_open_error (path, WINNOW_CSV_ERROR_OPEN, "Permission denied");
      return;
    }
  /* root reads every file: the check runs as "nobody" in a child */
  g_setenv ("WINNOW_TEST_DIR", fixture->dir, TRUE);
  g_test_trap_subprocess ("/reader/errors/unreadable/child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_errors_unreadable_child (void)
{
  const char *dir = g_getenv ("WINNOW_TEST_DIR");
  g_autofree char *path = NULL;

  if (!g_test_subprocess ())
    return;
  g_assert_cmpint (setgid (65534), ==, 0);
  g_assert_cmpint (setuid (65534), ==, 0);
  path = g_build_filename (dir, "locked.csv", NULL);
  assert_open_error (path, WINNOW_CSV_ERROR_OPEN, "Permission denied");
}

static void
assert_read_error (const char *dir, const char *contents, gssize length, const char *message)
{
  g_autofree char *path = winnow_test_write_file (dir, "e.csv", contents, length);
  g_autofree char *text = dump (path, NULL);

  if (strstr (text, message) == NULL)
    g_error ("expected “%s” in “%s”", message, text);
}

static void
test_errors_parse (WinnowTestDir *fixture, gconstpointer data)
{
  assert_read_error (fixture->dir, "a,b\n1,2\n3,\"open\n4,5\n", -1,
                     "error: line 3: a quote is opened but never closed");
  assert_read_error (fixture->dir, "a,b\n1,2\n3,\"closed\"x\n", -1,
                     "error: line 3: unexpected text after a closing quote");
  assert_read_error (fixture->dir, "a,b\n1,2\n\"a\nb\",\"c\" d\n", -1,
                     "error: line 4: unexpected text after a closing quote");
  assert_read_error (fixture->dir, "a,b\n1,2\n3,\0\n", 12, "error: line 3: the file contains a NUL byte");
  assert_read_error (fixture->dir, "a,b\n1,2\n\n\n3,4,5\n", -1, "error: line 5: expected 2 fields, saw 3");
  assert_read_error (fixture->dir, "a,b", -1, "rows 0 bad 0");
}

static void
test_errors_huge_field (WinnowTestDir *fixture, gconstpointer data)
{
  /* a "line" past the field cap: a clear error, not all the memory */
  gsize size = WINNOW_MAX_FIELD_BYTES + (1 << 20);
  g_autofree char *contents = g_malloc (size);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  memset (contents, 'x', size);
  memcpy (contents, "a\n", 2);
  path = winnow_test_write_file (fixture->dir, "huge.csv", contents, (gssize) size);
  text = dump (path, NULL);
  g_assert_nonnull (strstr (text, "error: line 2: the field is larger than 64 MiB"));
}

static void
test_encoding_explicit (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (fixture->dir, "l.csv", "a\n\xE9t\xE9\n", -1);
  WinnowCsvReaderOptions options = options_for (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowCsvReader) reader = NULL;

  /* declared UTF-8, but it is not */
  options.encoding = "utf-8";
  reader = winnow_csv_reader_open (path, &options, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "not valid UTF-8 (byte 0xE9)"));
  g_clear_error (&error);

  options.encoding = "latin1";
  reader = winnow_csv_reader_open (path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (winnow_csv_reader_get_encoding (reader), ==, "ISO-8859-1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/reader/chunks/random", test_chunks_random);
  ADD ("/reader/chunks/bad-lines", test_chunks_bad_lines);
  ADD ("/reader/chunks/unicode-delimiter", test_chunks_unicode_delimiter);
  ADD ("/reader/chunks/unclosed-quote", test_chunks_unclosed_quote);
  ADD ("/reader/chunks/long-line", test_chunks_long_line);
  ADD ("/reader/chunks/budget", test_chunks_budget);
  ADD ("/reader/chunks/single-byte", test_chunks_single_byte);
  ADD ("/reader/chunks/prepare", test_chunks_prepare);
  ADD ("/reader/chunks/held-batches", test_chunks_held_batches);
  ADD ("/reader/chunks/redo-few-batches", test_chunks_redo_few_batches);
  ADD ("/reader/chunks/redo-while-all-wait", test_chunks_redo_while_all_wait);
  ADD ("/reader/lines/as-libcsv", test_lines_as_libcsv);
  ADD ("/reader/errors/open", test_errors_open);
  ADD ("/reader/errors/unreadable", test_errors_unreadable);
  g_test_add_func ("/reader/errors/unreadable/child", test_errors_unreadable_child);
  ADD ("/reader/errors/parse", test_errors_parse);
  ADD ("/reader/errors/huge-field", test_errors_huge_field);
  ADD ("/reader/encoding/explicit", test_encoding_explicit);
#undef ADD

  return g_test_run ();
}
