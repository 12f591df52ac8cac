/* fuzz-clean.c: arbitrary bytes through the reader and a cleaning pipeline.
 *
 * The first four bytes choose the recipe (delimiter, also past ASCII,
 * header, bad lines, trimming, duplicates, missing values, a fill, the
 * output, rejected rows), the rest is the file. Whatever the input: no
 * crash, no leak, no hang; a failure is a GError and leaves no output file
 * (and no rejected-rows file); a success leaves a complete output, and
 * every row read is written or counted as dropped. And the reader gives
 * the same rows, lines and errors with the lines it splits itself as with
 * libcsv parsing every line (winnow-csv-parse-thread.c), in chunks too.
 *
 * libFuzzer: meson setup build-fuzz -Dfuzzing=true (clang), then
 * build-aux/fuzz.sh. Each input can also be run alone: fuzz-clean FILE.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "winnow-cleaner.h"
#include "winnow-output-file.h"
#include "winnow-test-util.h"

static char *dir;
static char *input_path;
static char *output_path;
static char *rejects_path;

static void
set_up (void)
{
  if (dir != NULL)
    return;
  dir = g_dir_make_tmp ("fuzz-clean-XXXXXX", NULL);
  g_assert (dir != NULL);
  input_path = g_build_filename (dir, "in.csv", NULL);
  output_path = g_build_filename (dir, "out.csv", NULL);
  rejects_path = winnow_output_file_rejects_path (output_path);
}

static WinnowRecipe *
recipe_from (const guint8 *b)
{
  static const gunichar delimiters[] = { 0, ',', ';', '\t' };
  /* past ASCII: two, three and four bytes of UTF-8 */
  static const gunichar wide[] = { 0xA7, 0x20AC, 0x2192, 0x1F600 };
  static const char *columns[] = { "a", "b", "c", "column_1" };
  WinnowRecipe *recipe = winnow_recipe_new ();
  const char *column = columns[(b[3] >> 4) & 3];

  recipe->delimiter = (b[0] & 128) ? wide[b[0] & 3] : delimiters[b[0] & 3];
  recipe->header = (b[0] & 4) == 0;
  recipe->bad_lines = (WinnowBadLines) ((b[0] >> 3) % 3);
  recipe->trim_whitespace = (b[0] & 32) != 0;
  if (b[0] & 64)
    {
      g_free (recipe->encoding);
      recipe->encoding = g_strdup ("windows-1252");
    }
  recipe->drop_duplicates = (b[1] & 1) != 0;
  recipe->keep = (WinnowKeep) ((b[1] >> 1) % 3);
  if (b[1] & 8)
    g_ptr_array_add (recipe->duplicates_subset, g_strdup (column));
  recipe->drop_missing = (b[1] & 16) != 0;
  recipe->how = (b[1] & 32) ? WINNOW_HOW_ALL : WINNOW_HOW_ANY;
  recipe->thresh = (b[1] & 64) ? (b[2] & 7) : -1;
  if (b[1] & 128)
    g_ptr_array_add (recipe->missing_subset, g_strdup (column));
  if (b[2] & 8)
    winnow_recipe_add_fill (recipe, column, (WinnowFillStrategy) ((b[2] >> 4) % 6), "x",
                            (b[3] & 3));
  if (b[3] & 4)
    g_ptr_array_add (recipe->drop_columns, g_strdup (columns[(b[3] >> 6) & 3]));
  recipe->out_delimiter = (b[3] & 8) ? ((b[0] & 128) ? wide[(b[3] >> 4) & 3] : ';') : ',';
  recipe->crlf = (b[2] & 128) != 0;
  recipe->formula_guard = (b[2] & 64) != 0;
  recipe->rejects = (b[2] & 32) != 0;
  return recipe;
}

/* Every row the reader gives, then how the read ended
 * (winnow_test_read_rows()). */
static char *
read_rows (const WinnowRecipe *recipe, gsize chunk_size, guint n_threads, gboolean libcsv_only)
{
  WinnowCsvReaderOptions options = { recipe->delimiter, '"', recipe->encoding, recipe->header,
                                     recipe->bad_lines, chunk_size, n_threads };

  options.libcsv_only = libcsv_only;
  return winnow_test_read_rows (input_path, &options, recipe->trim_whitespace);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(WinnowResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (size < 4)
    return 0;
  set_up ();
  recipe = recipe_from (data);
  if (!g_file_set_contents (input_path, (const char *) data + 4, (gssize) size - 4, NULL))
    return 0;
  g_unlink (output_path);
  g_unlink (rejects_path);

  result = winnow_clean_file (recipe, input_path, output_path, WINNOW_CLEAN_REPLACE, NULL, NULL,
                              NULL, &error);
  if (result == NULL)
    {
      /* a clear error, and nothing half-written */
      g_assert (error != NULL && error->message[0] != '\0');
      g_assert (!g_file_test (output_path, G_FILE_TEST_EXISTS));
      g_assert (!g_file_test (rejects_path, G_FILE_TEST_EXISTS));
    }
  else
    {
      g_assert (error == NULL);
      g_assert (g_file_test (output_path, G_FILE_TEST_IS_REGULAR));
      g_assert (g_file_test (rejects_path, G_FILE_TEST_IS_REGULAR) == recipe->rejects);
      /* every row is written to one file or the other */
      g_assert (result->rows_written + result->counts[WINNOW_STEP_DROP_DUPLICATES] + result->counts[WINNOW_STEP_DROP_MISSING] +
                  result->bad_lines_skipped == result->rows_read);
    }

  {
    g_autofree char *expected = read_rows (recipe, 0, 1, TRUE);
    g_autofree char *split = read_rows (recipe, 0, 1, FALSE);
    /* a chunk size caps the first read, which the delimiter and line end
     * are sniffed from: compared with a read of the same first bytes */
    g_autofree char *expected_chunked = read_rows (recipe, 61, 1, TRUE);
    g_autofree char *chunked = read_rows (recipe, 61, 3, FALSE);

    g_assert_cmpstr (split, ==, expected);
    g_assert_cmpstr (chunked, ==, expected_chunked);
  }
  return 0;
}
