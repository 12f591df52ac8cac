/* test-clean.c: one test per rule of docs/BEHAVIOUR.md for the cleaning
 * steps (drops, trim, duplicates, missing values, fills, unknown columns,
 * the result's counts), each a small input and the exact bytes pandas
 * writes for it. How the file's text is read and written is in
 * test-clean-format.c. */
#include "config.h"

#include <string.h>

#include "winnow-cleaner.h"
#include "winnow-output-file.h"
#include "winnow-spill-array.h"
#include "winnow-test-util.h"

#define R WINNOW_TEST_RECIPE

static void
test_passthrough (void)
{
  winnow_test_assert_clean (R (""), "a,b\n1,2\n3,4\n", "a,b\n1,2\n3,4\n");
}

static void
test_drop_columns (void)
{
  winnow_test_assert_clean (R (", \"drop_columns\": [\"b\"]"), "a,b,c\n1,2,3\n", "a,c\n1,3\n");
}

static void
test_trim (void)
{
  winnow_test_assert_clean (R (", \"trim_whitespace\": true"),
                            "a,b\n  x , \ty\t\n\" q \",z\n", "a,b\nx,y\nq,z\n");
}

static void
test_trim_before_missing (void)
{
  /* " NA " is missing once trimmed */
  winnow_test_assert_clean (R (", \"trim_whitespace\": true, \"drop_missing\": {\"how\": \"any\"}"),
                            "a,b\n1, NA \n2,x\n", "a,b\n2,x\n");
  winnow_test_assert_clean (R (", \"drop_missing\": {\"how\": \"any\"}"),
                            "a,b\n1, NA \n2,x\n", "a,b\n1, NA \n2,x\n");
}

static void
test_spaces_kept (void)
{
  /* Without trimming every space is data, as in pandas. */
  winnow_test_assert_clean (R (""), "a,b\n  x , y \n", "a,b\n  x , y \n");
}

static void
test_dedupe_keep_first (void)
{
  winnow_test_assert_clean (R (", \"drop_duplicates\": {}"),
                            "a,b\n1,x\n2,y\n1,x\n3,z\n2,y\n", "a,b\n1,x\n2,y\n3,z\n");
}

static void
test_dedupe_na_tokens_equal (void)
{
  /* NA, "" and null are one value to duplicate detection. */
  winnow_test_assert_clean (R (", \"drop_duplicates\": {}"),
                            "a,b\n1,NA\n1,\n1,null\n1,na\n", "a,b\n1,\n1,na\n");
}

static void
test_dedupe_keep_last (void)
{
  winnow_test_assert_clean (R (", \"drop_duplicates\": {\"keep\": \"last\"}"),
                            "a,b\n1,x\n2,y\n1,x\n3,z\n", "a,b\n2,y\n1,x\n3,z\n");
}

static void
test_dedupe_keep_none (void)
{
  winnow_test_assert_clean (R (", \"drop_duplicates\": {\"keep\": \"none\"}"),
                            "a,b\n1,x\n2,y\n1,x\n3,z\n1,x\n", "a,b\n2,y\n3,z\n");
}

static void
test_dedupe_subset (void)
{
  winnow_test_assert_clean (R (", \"drop_duplicates\": {\"subset\": [\"a\"]}"),
                            "a,b\n1,x\n1,y\n2,z\n", "a,b\n1,x\n2,z\n");
  winnow_test_assert_clean (R (", \"drop_duplicates\": {\"subset\": [\"a\"], \"keep\": \"last\"}"),
                            "a,b\n1,x\n1,y\n2,z\n", "a,b\n1,y\n2,z\n");
}

static void
test_dedupe_field_boundaries (void)
{
  /* "ab","c" and "a","bc" are different rows */
  winnow_test_assert_clean (R (", \"drop_duplicates\": {}"),
                            "a,b\nab,c\na,bc\n", "a,b\nab,c\na,bc\n");
}

static void
test_dedupe_before_dropna (void)
{
  /* keep=last picks row 3 over row 1 before dropna looks at c */
  winnow_test_assert_clean (R (", \"drop_duplicates\": {\"subset\": [\"a\"], \"keep\": \"last\"},"
                               " \"drop_missing\": {\"how\": \"any\"}"),
                            "a,c\n1,x\n2,y\n1,\n", "a,c\n2,y\n");
}

static void
test_dropna_any_all (void)
{
  const char *input = "a,b\n1,\n,\n2,3\nNA,null\n";
  winnow_test_assert_clean (R (", \"drop_missing\": {\"how\": \"any\"}"), input, "a,b\n2,3\n");
  winnow_test_assert_clean (R (", \"drop_missing\": {\"how\": \"all\"}"), input, "a,b\n1,\n2,3\n");
}

static void
test_dropna_thresh (void)
{
  const char *input = "a,b,c\n1,,\n1,2,\n1,2,3\n,,\n";
  winnow_test_assert_clean (R (", \"drop_missing\": {\"thresh\": 2}"), input, "a,b,c\n1,2,\n1,2,3\n");
  winnow_test_assert_clean (R (", \"drop_missing\": {\"thresh\": 0}"), input, input);
}

static void
test_dropna_subset (void)
{
  winnow_test_assert_clean (R (", \"drop_missing\": {\"how\": \"any\", \"subset\": [\"b\"]}"),
                            "a,b,c\n,1,\n2,,3\n", "a,b,c\n,1,\n");
}

static void
test_na_case_sensitive (void)
{
  winnow_test_assert_clean (R (", \"drop_missing\": {\"how\": \"any\"}"),
                            "a\nna\nNA\nNone\nnone\n", "a\nna\nnone\n");
}

static void
test_na_values_custom (void)
{
  winnow_test_assert_clean (R (", \"input\": {\"na_values\": [\"-\"]}, \"drop_missing\": {\"how\": \"any\"}"),
                            "a,b\n1,-\n2,NA\n3,\n", "a,b\n2,NA\n3,\n");
}

static void
test_fill_value (void)
{
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"value\": \"Unknown\"}]"),
                            "a,b\n1,\n2,x\n3,N/A\n", "a,b\n1,Unknown\n2,x\n3,Unknown\n");
}

static void
test_fill_mean (void)
{
  /* integral: no decimal point */
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"mean\"}]"),
                            "a,b\n1,1\n2,\n3,3\n", "a,b\n1,1\n2,2\n3,3\n");
  /* shortest round trip; text that is not a number is ignored */
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"mean\"}]"),
                            "a,b\n1,1\n2,\n3,2\n4,x\n5,4\n",
                            "a,b\n1,1\n2,2.3333333333333335\n3,2\n4,x\n5,4\n");
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"mean\"}]"),
                            "b\n0.1\n0.2\nNA\n", "b\n0.1\n0.2\n0.15000000000000002\n");
  /* 2^-24: 16 digits read back, though the nearest 16-digit decimal does not */
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"mean\"}]"),
                            "b\n5.9604644775390625e-08\nNA\n",
                            "b\n5.9604644775390625e-08\n5.960464477539063e-08\n");
}

static void
test_fill_median (void)
{
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"median\"}]"),
                            "a,b\n1,5\n2,\n3,1\n4,3\n", "a,b\n1,5\n2,3\n3,1\n4,3\n");
  /* even count: the mean of the middle two */
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"median\"}]"),
                            "a,b\n1,4\n2,\n3,1\n4,3\n5,10\n", "a,b\n1,4\n2,3.5\n3,1\n4,3\n5,10\n");
  /* a median of zeros is 0, whatever their signs, as pandas' */
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"median\"}]"),
                            "a,b\n1,-0\n2,\n", "a,b\n1,-0\n2,0\n");
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"median\"}]"),
                            "a,b\n1,-0.0\n2,\n3,-0\n4,0\n5,-0\n", "a,b\n1,-0.0\n2,0\n3,-0\n4,0\n5,-0\n");
}

static void
test_fill_mode (void)
{
  /* ties go to the smallest in byte order */
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"mode\"}]"),
                            "a,b\n1,pear\n2,apple\n3,\n4,pear\n5,apple\n6,fig\n",
                            "a,b\n1,pear\n2,apple\n3,apple\n4,pear\n5,apple\n6,fig\n");
}

static void
test_fill_ffill (void)
{
  const char *input = "a,b\n1,\n2,x\n3,\n4,\n5,\n6,y\n7,\n";
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"ffill\"}]"),
                            input, "a,b\n1,\n2,x\n3,x\n4,x\n5,x\n6,y\n7,y\n");
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"ffill\", \"limit\": 2}]"),
                            input, "a,b\n1,\n2,x\n3,x\n4,x\n5,\n6,y\n7,y\n");
}

static void
test_fill_bfill (void)
{
  const char *input = "a,b\n1,\n2,x\n3,\n4,\n5,\n6,y\n7,\n";
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"bfill\"}]"),
                            input, "a,b\n1,x\n2,x\n3,y\n4,y\n5,y\n6,y\n7,\n");
  winnow_test_assert_clean (R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"bfill\", \"limit\": 2}]"),
                            input, "a,b\n1,x\n2,x\n3,\n4,y\n5,y\n6,y\n7,\n");
}

static void
test_fill_after_drops (void)
{
  /* The mean is over the rows that remain: the duplicate 10 and the row
   * dropped for a missing a do not count. */
  winnow_test_assert_clean (R (", \"drop_duplicates\": {}, \"drop_missing\": {\"subset\": [\"a\"]},"
                               " \"fill\": [{\"column\": \"b\", \"strategy\": \"mean\"}]"),
                            "a,b\n1,10\n1,10\n,100\n2,\n3,20\n",
                            "a,b\n1,10\n2,15\n3,20\n");
  /* ffill sees the remaining rows only */
  winnow_test_assert_clean (R (", \"drop_missing\": {\"subset\": [\"a\"]},"
                               " \"fill\": [{\"column\": \"b\", \"strategy\": \"ffill\"}]"),
                            "a,b\n1,x\n,y\n2,\n", "a,b\n1,x\n2,x\n");
}

static void
test_fill_keep_last_with_statistics (void)
{
  /* two passes: select rows, then write (the median and the bfill go
   * into their holes at its end) */
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (
    R (", \"drop_duplicates\": {\"subset\": [\"a\"], \"keep\": \"last\"},"
       " \"fill\": [{\"column\": \"b\", \"strategy\": \"median\"}, {\"column\": \"c\", \"strategy\": \"bfill\"}]"),
    "a,b,c\n1,100,\n2,,\n1,1,p\n3,3,q\n4,,\n", -1, &result, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b,c\n2,2,p\n1,1,p\n3,3,q\n4,2,\n");
  g_assert_cmpuint (result->passes, ==, 2);
  g_assert_cmpuint (result->counts[WINNOW_STEP_DROP_DUPLICATES], ==, 1);
  g_assert_cmpuint (result->counts[WINNOW_STEP_FILL], ==, 3);
  winnow_result_free (result);
}

static void
test_fill_no_numbers (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (
    R (", \"fill\": [{\"column\": \"b\", \"strategy\": \"mean\"}]"), "a,b\n1,x\n2,\n", -1,
    &result, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b\n1,x\n2,\n");
  g_assert_cmpuint (result->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (result->warnings, 0), "no numbers"));
  winnow_result_free (result);
}

static void
test_unknown_columns (void)
{
  const struct {
    const char *recipe;
    const char *message;
  } cases[] = {
    { R (", \"drop_columns\": [\"nope\"]"),
      "drop_columns: the file has no column \"nope\" (its columns: \"a\", \"b\")" },
    { R (", \"drop_duplicates\": {\"subset\": [\"c\"]}"),
      "drop_duplicates.subset: the file has no column \"c\" (its columns: \"a\", \"b\")" },
    { R (", \"drop_columns\": [\"b\"], \"fill\": [{\"column\": \"b\", \"value\": \"x\"}]"),
      "fill[0].column: column \"b\" is removed by drop_columns" },
    { R (", \"drop_columns\": [\"a\", \"b\"]"), "drop_columns: every column would be removed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = winnow_test_clean (cases[i].recipe, "a,b\n1,2\n", -1, NULL, &error);
      g_assert_null (out);
      g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_result_counts (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (
    R (", \"drop_columns\": [\"n\"], \"drop_duplicates\": {}, \"drop_missing\": {\"how\": \"any\"},"
       " \"fill\": [{\"column\": \"c\", \"value\": \"?\"}]"),
    "a,c,n\n1,x,q\n1,x,r\n2,,s\n,y,t\n", -1, &result, &error);
  WinnowColumnProfile *a, *c;

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,c\n1,x\n");
  g_assert_cmpuint (result->rows_read, ==, 4);
  g_assert_cmpuint (result->rows_written, ==, 1);
  g_assert_cmpuint (result->counts[WINNOW_STEP_DROP_DUPLICATES], ==, 1);
  g_assert_cmpuint (result->counts[WINNOW_STEP_DROP_MISSING], ==, 2);
  g_assert_cmpuint (result->columns_dropped->len, ==, 1);
  g_assert_cmpuint (result->bytes_out, ==, strlen (out));
  g_assert_cmpuint (result->columns->len, ==, 2);
  a = g_ptr_array_index (result->columns, 0);
  c = g_ptr_array_index (result->columns, 1);
  g_assert_cmpstr (a->name, ==, "a");
  g_assert_cmpint (a->type, ==, WINNOW_COLUMN_INTEGER);
  g_assert_cmpuint (a->missing_before, ==, 1);
  g_assert_cmpuint (c->missing_before, ==, 1);
  g_assert_cmpuint (c->missing_after, ==, 0);
  g_assert_cmpuint (result->preview->len, ==, 1);
  g_assert_cmpstr (((char **) g_ptr_array_index (result->preview, 0))[1], ==, "x");
  winnow_result_free (result);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clean/passthrough", test_passthrough);
  g_test_add_func ("/clean/drop-columns", test_drop_columns);
  g_test_add_func ("/clean/trim/basic", test_trim);
  g_test_add_func ("/clean/trim/before-missing", test_trim_before_missing);
  g_test_add_func ("/clean/trim/spaces-kept-without", test_spaces_kept);
  g_test_add_func ("/clean/dedupe/keep-first", test_dedupe_keep_first);
  g_test_add_func ("/clean/dedupe/na-tokens-equal", test_dedupe_na_tokens_equal);
  g_test_add_func ("/clean/dedupe/keep-last", test_dedupe_keep_last);
  g_test_add_func ("/clean/dedupe/keep-none", test_dedupe_keep_none);
  g_test_add_func ("/clean/dedupe/subset", test_dedupe_subset);
  g_test_add_func ("/clean/dedupe/field-boundaries", test_dedupe_field_boundaries);
  g_test_add_func ("/clean/dedupe/before-dropna", test_dedupe_before_dropna);
  g_test_add_func ("/clean/dropna/any-all", test_dropna_any_all);
  g_test_add_func ("/clean/dropna/thresh", test_dropna_thresh);
  g_test_add_func ("/clean/dropna/subset", test_dropna_subset);
  g_test_add_func ("/clean/na/case-sensitive", test_na_case_sensitive);
  g_test_add_func ("/clean/na/custom", test_na_values_custom);
  g_test_add_func ("/clean/fill/value", test_fill_value);
  g_test_add_func ("/clean/fill/mean", test_fill_mean);
  g_test_add_func ("/clean/fill/median", test_fill_median);
  g_test_add_func ("/clean/fill/mode-ties", test_fill_mode);
  g_test_add_func ("/clean/fill/ffill-limit", test_fill_ffill);
  g_test_add_func ("/clean/fill/bfill-limit", test_fill_bfill);
  g_test_add_func ("/clean/fill/after-drops", test_fill_after_drops);
  g_test_add_func ("/clean/fill/keep-last-with-statistics", test_fill_keep_last_with_statistics);
  g_test_add_func ("/clean/fill/no-numbers", test_fill_no_numbers);
  g_test_add_func ("/clean/unknown-columns", test_unknown_columns);
  g_test_add_func ("/clean/result-counts", test_result_counts);

  return g_test_run ();
}
