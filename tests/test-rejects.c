/* test-rejects.c: the rejected-rows file (recipe output.rejects): its
 * exact bytes for each reason, its lines and details for every way the
 * rows are chosen, and on a generated file that every input row is in the
 * output or in it, once. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "winnow-cleaner.h"
#include "winnow-csv-reader.h"
#include "winnow-output-file.h"
#include "winnow-rejects.h"
#include "winnow-test-util.h"

#define R(steps) "{\"winnow_recipe\": 1, \"output\": {\"rejects\": true}" steps "}"

typedef struct {
  char *output;
  char *rejects;
  WinnowResult *result;
} Cleaned;

static void
cleaned_clear (Cleaned *c)
{
  g_free (c->output);
  g_free (c->rejects);
  g_clear_pointer (&c->result, winnow_result_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Cleaned, cleaned_clear)

/* Cleans @input with @recipe_json in @dir: the output and the rejected
 * rows, both there on success, neither (nor a temporary file) on failure. */
static gboolean
clean (const char *dir, const char *recipe_json, const char *input, gssize length,
       Cleaned *cleaned, GError **error)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (recipe_json, -1, error);
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *rejects = NULL;
  guint before;

  if (recipe == NULL)
    return FALSE;
  in = winnow_test_write_file (dir, "input.csv", input, length);
  out = g_build_filename (dir, "input.cleaned.csv", NULL);
  rejects = winnow_output_file_rejects_path (out);
  g_assert_true (g_str_has_suffix (rejects, "input.cleaned.rejected.csv"));
  before = winnow_test_count_files (dir);
  cleaned->result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_NONE, NULL, NULL, NULL, error);
  if (cleaned->result == NULL)
    {
      g_assert_cmpuint (winnow_test_count_files (dir), ==, before);
      return FALSE;
    }
  g_assert_cmpuint (winnow_test_count_files (dir), ==, before + 2);
  cleaned->output = winnow_test_read_file (out);
  cleaned->rejects = winnow_test_read_file (rejects);
  g_unlink (out);
  g_unlink (rejects);
  return TRUE;
}

static void
assert_clean (WinnowTestDir *f, const char *recipe_json, const char *input,
              const char *expected_output, const char *expected_rejects)
{
  g_auto (Cleaned) cleaned = { 0 };
  g_autoptr(GError) error = NULL;

  clean (f->dir, recipe_json, input, -1, &cleaned, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cleaned.output, ==, expected_output);
  g_assert_cmpstr (cleaned.rejects, ==, expected_rejects);
}

/* The paths: ".rejected" before the extension. */
static void
test_paths (void)
{
  static const char *cases[][2] = {
    { "/d/data.cleaned.csv", "/d/data.cleaned.rejected.csv" },
    { "/d/out.csv", "/d/out.rejected.csv" },
    { "out.csv", "out.rejected.csv" },
    { "/d/out.tsv", "/d/out.rejected.tsv" },
    { "/d/out", "/d/out.rejected.csv" },
    { "/d.x/.hidden", "/d.x/.hidden.rejected.csv" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = winnow_output_file_rejects_path (cases[i][0]);
      g_assert_cmpstr (path, ==, cases[i][1]);
    }
}

/* Each reason, with the fields exactly as read: dropped columns, spaces
 * trimming took away and NA tokens included; the lines where the records
 * start, blank lines and a field over two lines counted. */
static void
test_reasons (WinnowTestDir *f, gconstpointer data)
{
  assert_clean (f,
                R (", \"input\": {\"bad_lines\": \"skip\"}, \"trim_whitespace\": true,"
                   " \"drop_columns\": [\"note\"],"
                   " \"drop_duplicates\": {\"subset\": [\"id\", \"email\"]},"
                   " \"drop_missing\": {\"how\": \"any\", \"subset\": [\"email\", \"id\"]}"),
                "id,email,note\n"
                "1,a@x,hi\n"
                " 1 ,a@x,again\n"
                "2, NA ,x\n"
                "\n"
                "3,b@x,y,extra\n"
                "4,\"c@\n x\",z\n"
                ",,\n"
                "4,\"c@\n x\",\n",
                "id,email\n1,a@x\n4,\"c@\n x\"\n",
                "line,reason,detail,id,email,note\n"
                "3,duplicate,of line 2, 1 ,a@x,again\n"
                "4,missing,email,2, NA ,x\n"
                "6,bad_line,\"expected 3 fields, saw 4\",3,b@x,y\n"
                "9,missing,\"email, id\",,,\n"
                "10,duplicate,of line 7,4,\"c@\n x\",\n");
}

/* keep=last names a later line; keep=none keeps no copy and names the
 * first; a statistics pass (a mean fill) decides first, the write pass
 * still says why. */
static void
test_keep (WinnowTestDir *f, gconstpointer data)
{
  static const char input[] = "a,b\n1,x\n2,y\n1,x\n3,\n1,x\n";

  assert_clean (f, R (", \"drop_duplicates\": {\"keep\": \"last\"}"), input,
                "a,b\n2,y\n3,\n1,x\n",
                "line,reason,detail,a,b\n"
                "2,duplicate,of line 6,1,x\n"
                "4,duplicate,of line 6,1,x\n");
  assert_clean (f, R (", \"drop_duplicates\": {\"keep\": \"none\"}, \"drop_missing\": {}"), input,
                "a,b\n2,y\n",
                "line,reason,detail,a,b\n"
                "2,duplicate,every copy dropped; the first is on line 2,1,x\n"
                "4,duplicate,every copy dropped; the first is on line 2,1,x\n"
                "5,missing,b,3,\n"
                "6,duplicate,every copy dropped; the first is on line 2,1,x\n");
  assert_clean (f, R (", \"drop_duplicates\": {}, \"fill\": [{\"column\": \"a\", \"strategy\": \"mean\"}],"
                      " \"drop_missing\": {\"thresh\": 3}"), "a,b\n1,x\n1,x\n",
                "a,b\n",
                "line,reason,detail,a,b\n"
                "2,missing,fewer than 3 fields present,1,x\n"
                "3,duplicate,of line 2,1,x\n");
}

/* After a lone CR two rows start on one line (BEHAVIOUR 1.4): the row, not
 * the line, tells the kept copy from its duplicates, for every keep, in
 * one pass (keep=first) or after a selection pass. */
static void
test_shared_line (WinnowTestDir *f, gconstpointer data)
{
  static const char input[] = "a,b\n1,2\r1,2\n3,\r3,\n";

  assert_clean (f, R (", \"drop_duplicates\": {\"subset\": [\"a\", \"b\"]}"), input,
                "a,b\n1,2\n3,\n",
                "line,reason,detail,a,b\n"
                "2,duplicate,of line 2,1,2\n"
                "3,duplicate,of line 3,3,\n");
  assert_clean (f, R (", \"drop_duplicates\": {}, \"drop_missing\": {}"), input,
                "a,b\n1,2\n",
                "line,reason,detail,a,b\n"
                "2,duplicate,of line 2,1,2\n"
                "3,missing,b,3,\n"
                "3,duplicate,of line 3,3,\n");
  assert_clean (f, R (", \"drop_duplicates\": {\"keep\": \"last\"}"), input,
                "a,b\n1,2\n3,\n",
                "line,reason,detail,a,b\n"
                "2,duplicate,of line 2,1,2\n"
                "3,duplicate,of line 3,3,\n");
  assert_clean (f, R (", \"drop_duplicates\": {\"keep\": \"none\"}"), input,
                "a,b\n",
                "line,reason,detail,a,b\n"
                "2,duplicate,every copy dropped; the first is on line 2,1,2\n"
                "2,duplicate,every copy dropped; the first is on line 2,1,2\n"
                "3,duplicate,every copy dropped; the first is on line 3,3,\n"
                "3,duplicate,every copy dropped; the first is on line 3,3,\n");
}

/* The output's delimiter (any character), line end and formula guard; no
 * header row in the input still gives the file its header. */
static void
test_output_format (WinnowTestDir *f, gconstpointer data)
{
  assert_clean (f, "{\"winnow_recipe\": 1, \"input\": {\"header\": false},"
                   " \"drop_duplicates\": {},"
                   " \"output\": {\"rejects\": true, \"delimiter\": \"€\", \"line_ending\": \"crlf\","
                   " \"formula_guard\": true}}",
                "=1,a€b\n=1,a€b\n",
                "'=1€\"a€b\"\r\n",
                "line€reason€detail€column_1€column_2\r\n"
                "2€duplicate€of line 1€'=1€\"a€b\"\r\n");
}

/* Nothing dropped: the file has its header only. Something wrong: no
 * file at all, and an existing one is left alone without "replace". */
static void
test_empty_and_failed (WinnowTestDir *f, gconstpointer data)
{
  g_auto (Cleaned) cleaned = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *kept = NULL;

  assert_clean (f, R (", \"drop_duplicates\": {}"), "a\n1\n2\n", "a\n1\n2\n",
                "line,reason,detail,a\n");

  g_assert_false (clean (f->dir, R (""), "a\n\"1\n", -1, &cleaned, &error));
  g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_QUOTE);
  g_clear_error (&error);

  existing = winnow_test_write_file (f->dir, "input.cleaned.rejected.csv", "mine\n", -1);
  g_assert_false (clean (f->dir, R (""), "a\n1\n", -1, &cleaned, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_EXISTS);
  g_assert_true (g_file_test (existing, G_FILE_TEST_EXISTS));
  kept = winnow_test_read_file (existing);
  g_assert_cmpstr (kept, ==, "mine\n");
}

/* Batches that hold bad lines and no row at all. */
static void
test_only_bad_lines (WinnowTestDir *f, gconstpointer data)
{
  g_autoptr(GString) input = g_string_new ("a,b\n");
  g_autoptr(GString) expected = g_string_new ("line,reason,detail,a,b\n");
  g_auto (Cleaned) cleaned = { 0 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 10000; i++)
    {
      g_string_append_printf (input, "%u,x,y\n", i);
      g_string_append_printf (expected, "%u,bad_line,\"expected 2 fields, saw 3\",%u,x\n", i + 2, i);
    }
  g_string_append (input, "ok,1\n");
  clean (f->dir, R (", \"input\": {\"bad_lines\": \"skip\"}"), input->str, -1, &cleaned, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cleaned.output, ==, "a,b\nok,1\n");
  g_assert_cmpstr (cleaned.rejects, ==, expected->str);
}

/* encoding "auto" that meets a byte past the first 64 KiB reads the file
 * again as Windows-1252: the rejected rows are written once, decoded. */
static void
test_windows_1252_again (WinnowTestDir *f, gconstpointer data)
{
  g_autoptr(GString) input = g_string_new ("a,b\n");
  g_auto (Cleaned) cleaned = { 0 };
  g_autoptr(GError) error = NULL;

  /* past the first 1 MiB (several read blocks), so that rows were
   * written before */
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (input, "%u,x\n", i % 100000);
  g_assert_cmpuint (input->len, >, 1u << 20);
  g_string_append (input, "0,x\n1,caf\xE9\n");
  clean (f->dir, R (", \"drop_duplicates\": {}"), input->str, (gssize) input->len, &cleaned, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cleaned.result->encoding, ==, "Windows-1252");
  g_assert_cmpuint (cleaned.result->counts[WINNOW_STEP_DROP_DUPLICATES], ==, 100001);
  g_assert_true (g_str_has_prefix (cleaned.rejects, "line,reason,detail,a,b\n"
                                                    "100002,duplicate,of line 2,0,x\n"));
  g_assert_true (g_str_has_suffix (cleaned.rejects, "200001,duplicate,of line 100001,99999,x\n"
                                                    "200002,duplicate,of line 2,0,x\n"));
  /* once: the header is not there twice */
  g_assert_null (strstr (cleaned.rejects + 1, "line,reason"));
  g_assert_nonnull (strstr (cleaned.output, "1,caf\xC3\xA9\n"));
}

/* ---- every row accounted for ---- */

/* A generated file whose rows carry their own line as "tag": duplicates
 * (on id and name, the tag aside), rows with missing values, bad lines,
 * fields over two lines, blank lines. */
static char *
generate (guint n_rows, gsize *length)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  GString *s = g_string_new ("tag,id,name,city\n");
  guint64 line = 2;

  for (guint i = 0; i < n_rows; i++)
    {
      int kind = g_rand_int_range (rand, 0, 100);
      guint id = (guint) g_rand_int_range (rand, 0, n_rows / 3 + 1);
      guint64 start = line;

      if (kind < 3)
        g_string_append_printf (s, "%" G_GUINT64_FORMAT ",%u,n%u,c,extra\n", start, id, id);
      else if (kind < 10)
        g_string_append_printf (s, "%" G_GUINT64_FORMAT ",%u,,c\n", start, id);
      else if (kind < 15)
        {
          g_string_append_printf (s, "%" G_GUINT64_FORMAT ",%u,\"n%u\nsecond\",\"x, y\"\n", start,
                                  id, id);
          line++;
        }
      else
        g_string_append_printf (s, "%" G_GUINT64_FORMAT ",%u,n%u,%s\n", start, id, id,
                                kind < 30 ? "NA" : "city");
      line++;
      if (kind == 99)
        {
          g_string_append (s, " \t\n");
          line++;
        }
    }
  *length = s->len;
  return g_string_free (s, FALSE);
}

/* The "tag" of each row of @csv (its first field), read back. */
static GHashTable *
tags_of (const char *path, GPtrArray **rejected)
{
  g_autoptr(GError) error = NULL;
  GHashTable *tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint64 n_rows = 0;

  winnow_rejects_read_preview (path, ',', G_MAXUINT, &header, &rows, &n_rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      /* a rejected row: line, reason, detail, then the input's tag */
      const char *tag = rejected ? row[3] : row[0];
      if (!g_hash_table_add (tags, g_strdup (tag)))
        g_error ("tag %s is there twice", tag);
    }
  if (rejected)
    *rejected = g_steal_pointer (&rows);
  return tags;
}

static void
assert_every_row_once (WinnowTestDir *f, const char *recipe_json, const char *input, gsize length,
                       guint64 n_records)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (recipe_json, -1, NULL);
  g_autofree char *in = winnow_test_write_file (f->dir, "gen.csv", input, (gssize) length);
  g_autofree char *out = g_build_filename (f->dir, "gen.cleaned.csv", NULL);
  g_autofree char *rejects_path = winnow_output_file_rejects_path (out);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowResult) result = NULL;
  g_autoptr(GHashTable) kept = NULL;
  g_autoptr(GHashTable) rejected = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint reasons[3] = { 0 };

  result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_REPLACE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  kept = tags_of (out, NULL);
  rejected = tags_of (rejects_path, &rows);

  /* output rows + rejected rows = input records, each once */
  g_assert_cmpuint (result->rows_read, ==, n_records);
  g_assert_cmpuint (g_hash_table_size (kept), ==, result->rows_written);
  g_assert_cmpuint (g_hash_table_size (rejected), ==,
                    result->counts[WINNOW_STEP_DROP_DUPLICATES] + result->counts[WINNOW_STEP_DROP_MISSING] +
                      result->bad_lines_skipped);
  g_assert_cmpuint (g_hash_table_size (kept) + g_hash_table_size (rejected), ==, n_records);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      const char *line = row[0], *reason = row[1], *detail = row[2], *tag = row[3];

      /* the line is where the record starts: the tag the row carries */
      g_assert_cmpstr (line, ==, tag);
      g_assert_false (g_hash_table_contains (kept, tag));
      if (g_str_equal (reason, "duplicate"))
        {
          /* of a copy that is kept, or that a later step dropped */
          const char *of = strrchr (detail, ' ') + 1;
          reasons[0]++;
          g_assert_true (g_hash_table_contains (kept, of) || g_hash_table_contains (rejected, of));
          if (g_str_has_prefix (detail, "of line "))
            g_assert_cmpstr (of, !=, tag);
        }
      else if (g_str_equal (reason, "missing"))
        {
          reasons[1]++;
          g_assert_cmpstr (detail, ==, "name");
          g_assert_cmpstr (row[5], ==, "");
        }
      else
        {
          reasons[2]++;
          g_assert_cmpstr (reason, ==, "bad_line");
          g_assert_cmpstr (detail, ==, "expected 4 fields, saw 5");
        }
      /* in input order */
      if (i > 0)
        g_assert_cmpuint (g_ascii_strtoull (((char **) g_ptr_array_index (rows, i - 1))[0], NULL, 10),
                          <, g_ascii_strtoull (line, NULL, 10));
    }
  g_assert_cmpuint (reasons[0], ==, result->counts[WINNOW_STEP_DROP_DUPLICATES]);
  g_assert_cmpuint (reasons[1], ==, result->counts[WINNOW_STEP_DROP_MISSING]);
  g_assert_cmpuint (reasons[2], ==, result->bad_lines_skipped);
  g_assert_cmpuint (reasons[0], >, 0);
  g_assert_cmpuint (reasons[1], >, 0);
  g_assert_cmpuint (reasons[2], >, 0);
}

#define EVERY_ROW(steps) \
  "{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"warn\"}, \"output\": {\"rejects\": true}," \
  " \"drop_duplicates\": {\"subset\": [\"id\", \"name\"]" steps "}," \
  " \"drop_missing\": {\"subset\": [\"name\"]}}"

/* Small enough for one reader thread, for each way rows are chosen. */
static void
test_every_row (WinnowTestDir *f, gconstpointer data)
{
  gsize length;
  g_autofree char *input = generate (20000, &length);

  assert_every_row_once (f, EVERY_ROW (""), input, length, 20000);
  assert_every_row_once (f, EVERY_ROW (", \"keep\": \"last\""), input, length, 20000);
  assert_every_row_once (f, EVERY_ROW (", \"keep\": \"none\""), input, length, 20000);
}

/* Past three 4 MiB chunks, so several reader threads parse it, bad lines
 * and all; with a fill, a statistics pass decides first. */
static void
test_every_row_chunked (WinnowTestDir *f, gconstpointer data)
{
  gsize length;
  g_autofree char *input = generate (600000, &length);

  g_assert_cmpuint (length, >, 12u << 20);
  assert_every_row_once (f,
    "{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"skip\"}, \"output\": {\"rejects\": true},"
    " \"drop_duplicates\": {\"subset\": [\"id\", \"name\"]}, \"drop_missing\": {\"subset\": [\"name\"]},"
    " \"fill\": [{\"column\": \"city\", \"strategy\": \"mode\"}]}",
    input, length, 600000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  g_test_add_func ("/rejects/paths", test_paths);
  ADD ("/rejects/reasons", test_reasons);
  ADD ("/rejects/keep", test_keep);
  ADD ("/rejects/shared-line", test_shared_line);
  ADD ("/rejects/output-format", test_output_format);
  ADD ("/rejects/empty-and-failed", test_empty_and_failed);
  ADD ("/rejects/only-bad-lines", test_only_bad_lines);
  ADD ("/rejects/windows-1252-again", test_windows_1252_again);
  ADD ("/rejects/every-row", test_every_row);
  ADD ("/rejects/every-row-chunked", test_every_row_chunked);
#undef ADD

  return g_test_run ();
}
