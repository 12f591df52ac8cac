/* test-pipeline.c: the write pass formatted and profiled per batch on
 * another thread (winnow-cleaner-pipeline.c) gives the same output bytes
 * and the same result, profile included, as the one-thread loop, for
 * recipes of every step it takes: duplicates (first, and last after a
 * selection pass), missing rows, replace, trim, fills by a value, by a
 * statistic, backward and forward (holes), the formula guard, CRLF and another delimiter; with a
 * rejected-rows file too, which must be the same, bad lines included.
 * Without a profile (WINNOW_CLEAN_NO_PROFILE) both loops write the same
 * bytes and counts again, and the result has no columns; so they do for a
 * file of one column whose fields are all written as read, and for rows
 * read from lines without a quote. */
#include "config.h"

#include <glib/gstdio.h>

#include "winnow-cleaner-private.h"
#include "winnow-output-file.h"
#include "winnow-recipe.h"
#include "winnow-result-record.h"
#include "winnow-test-util.h"

#define ROWS 30000

static const char *const recipes[] = {
  "{\"winnow_recipe\": 1, \"drop_duplicates\": true, \"drop_missing\": {\"how\": \"any\"}}",
  "{\"winnow_recipe\": 1, \"drop_columns\": [\"note\"], \"drop_duplicates\": true,"
  " \"drop_missing\": {\"subset\": [\"id\"]},"
  " \"fill\": [{\"column\": \"city\", \"value\": \"Unknown\"},"
  "            {\"column\": \"name\", \"strategy\": \"ffill\", \"limit\": 2},"
  "            {\"column\": \"score\", \"strategy\": \"mean\"},"
  "            {\"column\": \"age\", \"strategy\": \"median\"},"
  "            {\"column\": \"flag\", \"strategy\": \"mode\"}]}",
  "{\"winnow_recipe\": 1, \"trim_whitespace\": true,"
  " \"replace\": [{\"column\": \"city\", \"from\": [\"Osl\"], \"to\": \"Oslo\"}],"
  " \"drop_duplicates\": {\"subset\": [\"id\", \"city\"], \"keep\": \"last\"},"
  " \"fill\": [{\"column\": \"score\", \"strategy\": \"median\"},"
  "            {\"column\": \"flag\", \"strategy\": \"ffill\"},"
  "            {\"column\": \"note\", \"value\": \"=none\"}],"
  " \"output\": {\"delimiter\": \";\", \"line_ending\": \"crlf\", \"formula_guard\": true}}",
  "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"none\"},"
  " \"fill\": [{\"column\": \"age\", \"strategy\": \"mean\"},"
  "            {\"column\": \"city\", \"strategy\": \"bfill\"},"
  "            {\"column\": \"flag\", \"strategy\": \"bfill\", \"limit\": 1}]}",
  /* from here on, with a rejected-rows file, on the file with bad lines */
  "{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"skip\"}, \"drop_duplicates\": true,"
  " \"drop_missing\": {\"subset\": [\"score\", \"age\"]},"
  " \"fill\": [{\"column\": \"age\", \"strategy\": \"median\"},"
  "            {\"column\": \"city\", \"strategy\": \"ffill\", \"limit\": 1}],"
  " \"output\": {\"rejects\": true}}",
  "{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"warn\"},"
  " \"drop_duplicates\": {\"subset\": [\"id\"], \"keep\": \"last\"},"
  " \"drop_missing\": {\"thresh\": 6},"
  " \"fill\": [{\"column\": \"score\", \"strategy\": \"mean\"},"
  "            {\"column\": \"note\", \"strategy\": \"bfill\"}],"
  " \"output\": {\"rejects\": true, \"formula_guard\": true}}",
  "{\"winnow_recipe\": 1, \"input\": {\"bad_lines\": \"skip\"},"
  " \"drop_duplicates\": {\"keep\": \"none\"}, \"output\": {\"rejects\": true}}",
};
#define FIRST_WITH_REJECTS 4

/* A dirty file: duplicates (rows repeated whole), missing fields,
 * numbers and text in one column, quotes, delimiters and line ends inside
 * fields, formulas, more distinct ids than a profile counts exactly, and
 * one field of 1.5 MB (a batch's buffer grows past its usual size). */
static char *
dirty_csv (gboolean bad_lines)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  GString *s = g_string_new ("id,name,city,score,age,flag,note\n");
  gsize last_row = s->len;
  static const char *const cities[] = { "Oslo", " Osl", "Bergen", "", "NA", "Trondheim" };
  static const char *const notes[] = { "", "plain", "\"a, quoted\"", "\"two\nlines\"",
                                       "=SUM(A1)", "-3", "@x", "\"say \"\"hi\"\"\"" };

  for (guint i = 0; i < ROWS; i++)
    {
      guint id = (guint) g_rand_int_range (rand, 0, 1000000);
      gsize start = s->len;

      if (i != ROWS / 2 && i > 0 && g_rand_int_range (rand, 0, 4) == 0)
        {
          /* the row before, again */
          g_autofree char *again = g_strndup (s->str + last_row, start - last_row);
          g_string_append (s, again);
          continue;
        }
      last_row = start;
      if (bad_lines && i % 997 == 5)
        {
          g_string_append_printf (s, "%u,one,field,too,many,,,\n", id);
          continue;
        }
      if (i == ROWS / 2)
        {
          g_string_append_printf (s, "%u,big,Oslo,1,2,true,\"", id);
          for (guint k = 0; k < 150000; k++)
            g_string_append (s, "0123456,89");
          g_string_append (s, "\"\n");
          continue;
        }
      g_string_append_printf (s, "%u,name %u,%s,", id, id % 101,
                              cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))]);
      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0: break;
        case 1: g_string_append (s, "n/a"); break;
        default: g_string_append_printf (s, "%.3f", g_rand_double_range (rand, -50, 5000));
        }
      g_string_append_c (s, ',');
      if (g_rand_int_range (rand, 0, 5) != 0)
        g_string_append_printf (s, "%d", g_rand_int_range (rand, 1, 99));
      g_string_append_printf (s, ",%s,%s\n",
                              g_rand_boolean (rand) ? "true" : (g_rand_boolean (rand) ? "" : "False"),
                              notes[g_rand_int_range (rand, 0, G_N_ELEMENTS (notes))]);
    }
  if (bad_lines)  /* after the last row: the bad lines a batch ends with */
    g_string_append (s, "1,a,bad,line,at,the,end,too\n");
  return g_string_free (s, FALSE);
}

static char *
clean (const char *dir, const char *in, const char *json, gint mode, WinnowCleanFlags flags,
       const char *name, char **result_json, char **summary_json, char **rejects)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (json, -1, NULL);
  g_autofree char *out = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskResult) record = NULL;
  guint pipelined = winnow_cleaner_get_pipelined_passes ();
  WinnowResult *result;
  char *bytes;

  g_assert_nonnull (recipe);
  winnow_cleaner_set_pipeline (mode);
  result = winnow_clean_file (recipe, in, out, WINNOW_CLEAN_REPLACE | flags, NULL, NULL, NULL,
                              &error);
  winnow_cleaner_set_pipeline (-1);
  g_assert_no_error (error);
  /* the write pass ran as asked: pipelined, or in one thread */
  g_assert_cmpuint (winnow_cleaner_get_pipelined_passes () - pipelined, ==, mode == 1 ? 1 : 0);
  result->elapsed = 0;
  if (flags & WINNOW_CLEAN_NO_PROFILE)
    g_assert_cmpuint (result->columns->len, ==, 0);
  else
    g_assert_cmpuint (result->columns->len, >, 0);
  *summary_json = winnow_result_part_to_json (result, WINNOW_RESULT_SUMMARY);
  record = winnow_result_to_record (result);
  *result_json = winnow_result_record_to_json (record);
  winnow_result_free (result);
  bytes = winnow_test_read_file (out);
  g_unlink (out);
  if (rejects != NULL)
    {
      g_autofree char *path = winnow_output_file_rejects_path (out);
      *rejects = winnow_test_read_file (path);
      g_unlink (path);
    }
  return bytes;
}

/* Says where two texts part, rather than printing both whole. */
static void
assert_same (const char *what, guint recipe, const char *got, const char *want)
{
  gsize i = 0;

  if (g_str_equal (got, want))
    return;
  while (got[i] != '\0' && got[i] == want[i])
    i++;
  g_error ("recipe %u, %s: differs at byte %" G_GSIZE_FORMAT ": “%.60s” instead of “%.60s”",
           recipe, what, i, got + i, want + i);
}

static void
test_same_as_one_thread (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = dirty_csv (FALSE);
  g_autofree char *csv_bad = dirty_csv (TRUE);
  g_autofree char *in = winnow_test_write_file (fixture->dir, "in.csv", csv, -1);
  g_autofree char *in_bad = winnow_test_write_file (fixture->dir, "in-bad.csv", csv_bad, -1);

  for (guint r = 0; r < G_N_ELEMENTS (recipes); r++)
    {
      gboolean rejecting = r >= FIRST_WITH_REJECTS;
      const char *input = rejecting ? in_bad : in;
      g_autofree char *one_json = NULL;
      g_autofree char *piped_json = NULL;
      g_autofree char *one_summary = NULL;
      g_autofree char *piped_summary = NULL;
      g_autofree char *one_rejects = NULL;
      g_autofree char *piped_rejects = NULL;
      g_autofree char *one = clean (fixture->dir, input, recipes[r], 0, WINNOW_CLEAN_NONE,
                                    "one.csv", &one_json, &one_summary,
                                    rejecting ? &one_rejects : NULL);
      g_autofree char *piped = clean (fixture->dir, input, recipes[r], 1, WINNOW_CLEAN_NONE,
                                      "piped.csv", &piped_json, &piped_summary,
                                      rejecting ? &piped_rejects : NULL);

      g_test_message ("recipe %u: %zu bytes", r, strlen (one));
      g_assert_cmpuint (strlen (one), >, 1000);
      /* the big field is written (recipe 1 drops its column; in 3 its row
       * may be repeated, and keep=none drops both) */
      if (r == 0 || r == 2)
        g_assert_nonnull (strstr (one, "0123456,890123456,89"));
      assert_same ("output", r, piped, one);
      assert_same ("result", r, piped_json, one_json);
      if (rejecting)
        {
          /* every reason is there: duplicates, missing values, bad lines */
          g_assert_nonnull (strstr (one_rejects, ",bad_line,"));
          g_assert_nonnull (strstr (one_rejects, ",duplicate,"));
          if (r != FIRST_WITH_REJECTS + 2)
            g_assert_nonnull (strstr (one_rejects, ",missing,"));
          assert_same ("rejected rows", r, piped_rejects, one_rejects);
        }
      for (gint mode = 0; mode < 2; mode++)
        {
          g_autofree char *bare_json = NULL;
          g_autofree char *bare_summary = NULL;
          g_autofree char *bare_rejects = NULL;
          g_autofree char *bare = clean (fixture->dir, input, recipes[r], mode,
                                         WINNOW_CLEAN_NO_PROFILE, "bare.csv", &bare_json,
                                         &bare_summary, rejecting ? &bare_rejects : NULL);

          g_assert_nonnull (strstr (one_summary, "\"rows_written\""));
          assert_same ("output without a profile", r, bare, one);
          assert_same ("counts without a profile", r, bare_summary, one_summary);
          if (rejecting)
            assert_same ("rejected rows without a profile", r, bare_rejects, one_rejects);
        }
    }
}

/* A file of one column, cleaned without fills or a profile (every field
 * written as read, format_as_read()): a row whose field is empty or
 * missing is written "" (an empty line is no row), a field that needs
 * quotes is quoted, as in the one-thread loop. */
static void
test_one_column_as_read (WinnowTestDir *fixture, gconstpointer data)
{
  static const char *const fields[] = { "", "NA", "a", "b,c", "say \"hi\"", "n/a", "x" };
  g_autoptr(GString) csv = g_string_new ("only\n");
  g_autofree char *in = NULL;
  const char *recipe = "{\"winnow_recipe\": 1}";

  for (guint i = 0; i < 3 * ROWS; i++)
    {
      const char *field = fields[i % G_N_ELEMENTS (fields)];

      if (strchr (field, ',') != NULL || strchr (field, '"') != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (field, "\"", -1);
          g_autofree char *doubled = g_strjoinv ("\"\"", parts);

          g_string_append_printf (csv, "\"%s\"\n", doubled);
        }
      else if (field[0] == '\0')
        g_string_append (csv, "\"\"\n");
      else
        g_string_append_printf (csv, "%s\n", field);
    }
  in = winnow_test_write_file (fixture->dir, "one-column.csv", csv->str, -1);
  {
    g_autofree char *one_json = NULL, *one_summary = NULL;
    g_autofree char *piped_json = NULL, *piped_summary = NULL;
    g_autofree char *one = clean (fixture->dir, in, recipe, 0, WINNOW_CLEAN_NO_PROFILE, "one.csv",
                                  &one_json, &one_summary, NULL);
    g_autofree char *piped = clean (fixture->dir, in, recipe, 1, WINNOW_CLEAN_NO_PROFILE,
                                    "piped.csv", &piped_json, &piped_summary, NULL);

    g_assert_true (g_str_has_prefix (one, "only\n\"\"\n\"\"\na\n\"b,c\"\n\"say \"\"hi\"\"\"\n"));
    assert_same ("output", 0, piped, one);
    assert_same ("counts", 0, piped_summary, one_summary);
  }
}

/* Rows read from lines without a quote are written without looking for a
 * byte that makes a field quoted, but only where none can be there: not
 * with another output delimiter, a formula guard, or another quote
 * character (a '"' is then plain text in the line), nor for a value that
 * fills a cell. Each way, the pipeline writes the bytes of the one-thread
 * loop. */
#define SKIP "\"input\": {\"bad_lines\": \"skip\"}"

static void
test_plain_rows (WinnowTestDir *fixture, gconstpointer data)
{
  static const struct {
    const char *recipe;
    const char *expected;    /* in the output */
  } cases[] = {
    { "{\"winnow_recipe\": 1, " SKIP "}", "\n7,a;b,=1+1,x'y\n" },
    { "{\"winnow_recipe\": 1, " SKIP ", \"output\": {\"delimiter\": \";\"}}",
      "\n7;\"a;b\";=1+1;x'y\n" },
    { "{\"winnow_recipe\": 1, " SKIP ", \"output\": {\"formula_guard\": true}}",
      "\n7,a;b,'=1+1,x'y\n" },
    { "{\"winnow_recipe\": 1, \"input\": {\"quote\": \"'\", \"bad_lines\": \"skip\"}}",
      "\n9,\"say \"\"hi\"\"\",c,d\n" },
    /* a row's fields are plain, not the value that fills one */
    { "{\"winnow_recipe\": 1, " SKIP ", \"fill\": [{\"column\": \"text\", \"value\": \"x,y\"}]}",
      "\n10,\"x,y\",e,f\n" },
  };
  g_autoptr(GString) csv = g_string_new ("id,text,formula,other\n");
  g_autofree char *in = NULL;

  for (guint i = 0; i < ROWS; i++)
    {
      /* among them rows that libcsv ends (a field over two lines) and bad
       * lines skipped, so that a batch's plain rows are not all in a row */
      static const char *const rows[] = {
        "7,a;b,=1+1,x'y\n", "8,\"quoted\",plain,z\n", "9,say \"hi\",c,d\n", "10,,e,f\n",
        "11,\"two\nlines\",g,h\n", "12,a,b,c,bad\n",
      };
      g_string_append (csv, rows[i % G_N_ELEMENTS (rows)]);
    }
  in = winnow_test_write_file (fixture->dir, "plain.csv", csv->str, -1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *one_json = NULL, *one_summary = NULL;
      g_autofree char *piped_json = NULL, *piped_summary = NULL;
      g_autofree char *one = clean (fixture->dir, in, cases[i].recipe, 0, WINNOW_CLEAN_NO_PROFILE,
                                    "one.csv", &one_json, &one_summary, NULL);
      g_autofree char *piped = clean (fixture->dir, in, cases[i].recipe, 1,
                                      WINNOW_CLEAN_NO_PROFILE, "piped.csv", &piped_json,
                                      &piped_summary, NULL);

      if (strstr (one, cases[i].expected) == NULL)
        g_error ("case %u: no “%s” in the output", i, cases[i].expected);
      g_assert_null (strstr (one, "bad"));
      assert_same ("output", i, piped, one);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/pipeline/same-as-one-thread", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_same_as_one_thread, winnow_test_dir_teardown);
  g_test_add ("/pipeline/one-column-as-read", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_one_column_as_read, winnow_test_dir_teardown);
  g_test_add ("/pipeline/plain-rows", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_plain_rows, winnow_test_dir_teardown);
  return g_test_run ();
}
