/* test-reader.c: the streaming reader: bad input gets a clear error, and
 * parsing in chunks on several threads gives exactly the rows, lines and
 * errors of a plain sequential parse (the lines split without libcsv
 * those of libcsv). How the parse threads share the cores and the
 * batches with each other and the caller is in test-reader-threads.c. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader-util.h"

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

/* The lines split without libcsv (winnow-csv-parse-lines.c) give
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

/* The row count guessed up front (the dedupe table is sized from it):
 * a file of even rows is guessed within a few percent; one whose first
 * 320 KB are short sparse rows and the rest long ones is not guessed
 * many times its rows (from its first block alone: 28 times). */
static void
test_estimate_rows (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GString) even = g_string_new ("a,b\n");
  g_autoptr(GString) sparse = g_string_new ("a,b\n");
  g_autofree char *long_field = g_strnfill (190, 'x');
  WinnowCsvReaderOptions options = options_for (NULL);
  g_autoptr(GError) error = NULL;
  guint64 estimate;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (even, "%06u,%s\n", i, long_field);
  for (guint i = 0; i < 80000; i++)
    g_string_append (sparse, "1,\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (sparse, "%06u,%s\n", i, long_field);

  {
    g_autofree char *path = winnow_test_write_file (fixture->dir, "even.csv", even->str,
                                                    (gssize) even->len);
    g_autoptr(WinnowCsvReader) reader = winnow_csv_reader_open (path, &options, NULL, &error);

    g_assert_no_error (error);
    estimate = winnow_csv_reader_estimate_rows (reader);
    g_assert_cmpuint (estimate, >=, 190000);
    g_assert_cmpuint (estimate, <=, 210000);
  }
  {
    g_autofree char *path = winnow_test_write_file (fixture->dir, "sparse.csv", sparse->str,
                                                    (gssize) sparse->len);
    g_autoptr(WinnowCsvReader) reader = winnow_csv_reader_open (path, &options, NULL, &error);

    g_assert_no_error (error);
    estimate = winnow_csv_reader_estimate_rows (reader);
    g_test_message ("sparse first rows: %" G_GUINT64_FORMAT " rows guessed for 180001", estimate);
    g_assert_cmpuint (estimate, <=, 2 * 180001);
  }
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
  ADD ("/reader/chunks/single-byte", test_chunks_single_byte);
  ADD ("/reader/lines/as-libcsv", test_lines_as_libcsv);
  ADD ("/reader/errors/open", test_errors_open);
  ADD ("/reader/errors/unreadable", test_errors_unreadable);
  g_test_add_func ("/reader/errors/unreadable/child", test_errors_unreadable_child);
  ADD ("/reader/errors/parse", test_errors_parse);
  ADD ("/reader/errors/huge-field", test_errors_huge_field);
  ADD ("/reader/encoding/explicit", test_encoding_explicit);
  ADD ("/reader/estimate-rows", test_estimate_rows);
#undef ADD

  return g_test_run ();
}
