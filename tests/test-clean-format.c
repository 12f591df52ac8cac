/* test-clean-format.c: one test per rule of docs/BEHAVIOUR.md for how a
 * file's text is read and written: ragged rows, quoting, line ends and
 * blank lines, encodings, headers, delimiters (sniffed, Unicode, kept in
 * the output) and the formula guard, each a small input and the exact
 * bytes pandas writes for it. The cleaning steps are in test-clean.c. */
#include "config.h"

#include <string.h>

#include "winnow-csv-reader.h"
#include "winnow-test-util.h"

#define R WINNOW_TEST_RECIPE

static void
test_ragged_short (void)
{
  winnow_test_assert_clean (R (""), "a,b,c\n1\n1,2\n", "a,b,c\n1,,\n1,2,\n");
}

static void
test_ragged_long (void)
{
  g_autoptr(GError) error = NULL;
  WinnowResult *result = NULL;
  g_autofree char *out = winnow_test_clean (R (""), "a,b\n1,2\n\n3,4,5\n", -1, NULL, &error);

  g_assert_null (out);
  g_assert_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_FIELDS);
  g_assert_cmpstr (error->message, ==, "line 4: expected 2 fields, saw 3");
  g_clear_error (&error);

  g_free (out);
  out = winnow_test_clean (R (", \"input\": {\"bad_lines\": \"skip\"}"), "a,b\n1,2\n3,4,5\n6,7\n", -1,
                           &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b\n1,2\n6,7\n");
  g_assert_cmpuint (result->bad_lines_skipped, ==, 1);
  g_assert_cmpuint (result->rows_read, ==, 3);
  g_assert_cmpuint (result->warnings->len, ==, 0);
  g_clear_pointer (&result, winnow_result_free);

  g_free (out);
  out = winnow_test_clean (R (", \"input\": {\"bad_lines\": \"warn\"}"), "a,b\n1,2\n3,4,5\n6,7\n", -1,
                           &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b\n1,2\n6,7\n");
  g_assert_cmpuint (result->bad_lines->len, ==, 1);
  g_assert_cmpuint (g_array_index (result->bad_lines, WinnowResultBadLine, 0).line, ==, 3);
  g_assert_cmpuint (result->warnings->len, ==, 1);
  winnow_result_free (result);
}

static void
test_quotes_round_trip (void)
{
  const char *input = "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"cr\rhere\"\n";
  winnow_test_assert_clean (R (""), input, input);
  /* quotes only where needed */
  winnow_test_assert_clean (R (""), "a,b\n\"plain\",\"\"\n", "a,b\nplain,\n");
}

static void
test_quote_inside_unquoted_field (void)
{
  /* pandas keeps a quote inside an unquoted field as a character */
  winnow_test_assert_clean (R (""), "a,b\n5'10\",x\nab\"c,y\n", "a,b\n\"5'10\"\"\",x\n\"ab\"\"c\",y\n");
}

static void
test_crlf (void)
{
  winnow_test_assert_clean (R (""), "a,b\r\n1,2\r\n\r\n3,4\r\n", "a,b\n1,2\n3,4\n");
  winnow_test_assert_clean (R (", \"output\": {\"line_ending\": \"crlf\"}"), "a,b\n1,2\n",
                            "a,b\r\n1,2\r\n");
  /* old Mac line ends */
  winnow_test_assert_clean (R (""), "a,b\r1,2\r3,4", "a,b\n1,2\n3,4\n");
}

static void
test_bom (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (R (", \"drop_columns\": [\"id\"]"),
                                            "\xEF\xBB\xBFid,name\n1,x\n", -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "name\nx\n");
  g_assert_cmpstr (result->encoding, ==, "UTF-8 (BOM)");
  winnow_result_free (result);
}

/* A BOM, then bytes that are not UTF-8: the file falls back to
 * Windows-1252 without the BOM, early or late in the file; an encoding
 * the user names keeps the three characters. */
static void
test_bom_then_windows_1252 (void)
{
  g_autoptr(GString) late = g_string_new ("\xEF\xBB\xBF" "a,b\n");
  g_autoptr(GString) late_expected = g_string_new ("b\n");
  g_autoptr(GError) error = NULL;
  WinnowResult *result = NULL;
  g_autofree char *out = NULL;

  out = winnow_test_clean (R (", \"drop_columns\": [\"a\"]"), "\xEF\xBB\xBF" "a,b\n1,Caf\xE9\n",
                           -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "b\nCaf\xC3\xA9\n");
  g_assert_cmpstr (result->encoding, ==, "Windows-1252");
  g_clear_pointer (&result, winnow_result_free);
  g_clear_pointer (&out, g_free);

  for (guint i = 0; i < 20000; i++)
    {
      g_string_append_printf (late, "%u,plain\n", i);
      g_string_append (late_expected, "plain\n");
    }
  g_string_append (late, "x,na\xEFve\n");
  g_string_append (late_expected, "na\xC3\xAFve\n");
  out = winnow_test_clean (R (", \"drop_columns\": [\"a\"]"), late->str, -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, late_expected->str);
  g_assert_cmpstr (result->encoding, ==, "Windows-1252");
  g_clear_pointer (&result, winnow_result_free);
  g_clear_pointer (&out, g_free);

  winnow_test_assert_clean (R (", \"input\": {\"encoding\": \"windows-1252\"}"),
                            "\xEF\xBB\xBF" "a\n1\n", "\xC3\xAF\xC2\xBB\xC2\xBF" "a\n1\n");
}

static void
test_windows_1252 (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (R (""), "name,price\nCaf\xE9,\x80" "5\n", -1,
                                            &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "name,price\nCaf\xC3\xA9,\xE2\x82\xAC" "5\n");
  g_assert_cmpstr (result->encoding, ==, "Windows-1252");
  winnow_result_free (result);
}

static void
test_windows_1252_late (void)
{
  /* The first byte that is not UTF-8 comes after 64 KiB: the task reads
   * the whole file again as Windows-1252 and says so. */
  g_autoptr(GString) input = g_string_new ("a,b\n");
  g_autoptr(GString) expected = NULL;
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (input, "%u,plain\n", i);
  expected = g_string_new (input->str);
  g_string_append (input, "x,na\xEFve\n");
  g_string_append (expected, "x,na\xC3\xAFve\n");

  out = winnow_test_clean (R (""), input->str, -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected->str);
  g_assert_cmpstr (result->encoding, ==, "Windows-1252");
  g_assert_cmpuint (result->warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (result->warnings, 0), "Windows-1252"));
  winnow_result_free (result);
}

static void
test_utf16 (void)
{
  /* "a,b\n1,é\n" in UTF-16LE with its BOM, as spreadsheets export it */
  static const char input[] = "\xFF\xFE" "a\0,\0b\0\n\0" "1\0,\0\xE9\0\n\0";
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (R (""), input, sizeof input - 1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b\n1,\xC3\xA9\n");
}

static void
test_empty_row_rule (void)
{
  /* a row that is one empty field is written "" so it is not a blank line */
  winnow_test_assert_clean (R (", \"drop_columns\": [\"b\"]"), "a,b\n,1\nx,2\n", "a\n\"\"\nx\n");
}

static void
test_blank_lines (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  winnow_test_assert_clean (R (""), "a,b\n\n1,2\n\n\n3,4\n\n", "a,b\n1,2\n3,4\n");
  /* a line of only spaces and tabs is blank too, as in pandas */
  winnow_test_assert_clean (R (""), "a\n \nx\n \t \n", "a\nx\n");
  winnow_test_assert_clean (R (""), "  \na,b\n1,2\n", "a,b\n1,2\n");
  winnow_test_assert_clean (R (""), "\t\r\na,b\r\n  \r\n1,2\r\n", "a,b\n1,2\n");
  winnow_test_assert_clean (R (""), "a,b\n1,2\n   ", "a,b\n1,2\n");
  /* after a lone CR in an LF file, or a lone LF in a CR file: each ends
   * a row (1.4), so what follows it up to the next line end is a line */
  winnow_test_assert_clean (R (""), "a\n1\r \n2\n", "a\n1\n2\n");
  winnow_test_assert_clean (R (""), "a,b\n1,2\r \t\r3,4\n", "a,b\n1,2\n3,4\n");
  winnow_test_assert_clean (R (""), "a\r\n1\r \r\n2\r\n", "a\n1\n2\n");
  winnow_test_assert_clean (R (""), "a\r1\n \r2\r", "a\n1\n2\n");
  /* and a quoted CR is data, blanks after it too */
  winnow_test_assert_clean (R (""), "a,b\n\"1\r \",2\n", "a,b\n\"1\r \",2\n");
  /* but not when anything else is on the line, or inside quotes */
  winnow_test_assert_clean (R (""), "a,b\n  x,y\n \t,z\n", "a,b\n  x,y\n \t,z\n");
  winnow_test_assert_clean (R (""), "a,b\n\"x\n  \ny\",1\n", "a,b\n\"x\n  \ny\",1\n");
  /* a tab that is the delimiter is not blank: a row of empty fields */
  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \"tab\"}"), "a\tb\n\t\n1\t2\n",
                            "a\tb\n\t\n1\t2\n");
  /* the lines of the rows after it still count the blank line */
  out = winnow_test_clean (R (", \"input\": {\"bad_lines\": \"warn\"}"),
                           "a,b\n  \n1,2,3\n", -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b\n");
  g_assert_cmpuint (result->bad_lines->len, ==, 1);
  g_assert_cmpuint (g_array_index (result->bad_lines, WinnowResultBadLine, 0).line, ==, 3);
  winnow_result_free (result);
}

/* In a CR file (no LF in its first 64 KiB), an LF later on ends a row too,
 * and a line of blanks after it is blank. */
static void
test_blank_lines_cr_file (void)
{
  g_autoptr(GString) input = g_string_new ("a\r");
  g_autoptr(GString) expected = g_string_new ("a\n");

  for (guint i = 0; i < 40000; i++)
    {
      g_string_append_printf (input, "%u\r", i);
      g_string_append_printf (expected, "%u\n", i);
    }
  g_string_append (input, "x\n \t\ry\n\r\n \rz\r");
  g_string_append (expected, "x\ny\nz\n");
  winnow_test_assert_clean (R (""), input->str, expected->str);
}

/* A blank line held back across the reader's blocks and chunks. */
static void
test_blank_lines_long (void)
{
  g_autoptr(GString) input = g_string_new ("a,b\n1,2\n");
  g_autoptr(GString) expected = g_string_new ("a,b\n1,2\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  /* 3 MiB of spaces on one line, then more rows */
  for (guint i = 0; i < (3u << 20); i++)
    g_string_append_c (input, i % 7 ? ' ' : '\t');
  g_string_append (input, "\n3,4\n");
  g_string_append (expected, "3,4\n");
  out = winnow_test_clean (R (""), input->str, (gssize) input->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected->str);
}

static void
test_no_header (void)
{
  winnow_test_assert_clean (R (", \"input\": {\"header\": false}, \"drop_columns\": [\"column_2\"],"
                               " \"drop_duplicates\": {}"),
                            "1,x,2\n1,y,2\n3,z,4\n", "1,2\n3,4\n");
}

static void
test_delimiter_sniffing (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = winnow_test_clean (R (", \"output\": {\"delimiter\": \",\"}"), "a;b;c\n1,5;2;\"x;y\"\n3;4,5;z\n", -1,
                                            &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b,c\n\"1,5\",2,x;y\n3,\"4,5\",z\n");
  g_assert_cmpint (result->delimiter, ==, ';');
  winnow_result_free (result);

  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \",\"}"), "a\tb\n1\t\n", "a,b\n1,\n");
  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \",\"}"), "a|b\n1|2\n", "a,b\n1,2\n");
  /* a stray quote in the header does not hide the delimiter (pandas and
   * Python's csv.Sniffer pick ";" too) */
  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \",\"}"), "size\";w;h\n1;2;3\n4;5;6\n",
                            "\"size\"\"\",w,h\n1,2,3\n4,5,6\n");
  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \"|\"}, \"output\": {\"delimiter\": \",\"}"), "a,b|c\n1,2|3\n",
                            "\"a,b\",c\n\"1,2\",3\n");
}

static void
test_output_delimiter (void)
{
  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \";\"}"), "a,b\n1;2,3\n",
                            "a;b\n\"1;2\";3\n");
  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \"\\t\"}"), "a,b\n1,2\n", "a\tb\n1\t2\n");
}

/* Any one Unicode character as the delimiter, in and out, as in pandas
 * (sep="§", to_csv(sep="€")): quoted when a field holds it, and only the
 * whole character counts ("₤" shares its first two bytes with "€"). */
static void
test_unicode_delimiters (void)
{
  WinnowResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \"§\"}, \"output\": {\"delimiter\": \",\"}"),
                            "a§b\n1§\"x§y\"\n\"p,q\"§2\n", "a,b\n1,x§y\n\"p,q\",2\n");
  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \"€\"}"),
                            "a,b,c\n1,p€q,₤5\n€,\"x,y\",\n",
                            "a€b€c\n1€\"p€q\"€₤5\n\"€\"€x,y€\n");
  /* three bytes in, four bytes out, with other steps */
  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \"→\"}, \"output\": {\"delimiter\": \"😀\"},"
                               " \"drop_duplicates\": {}, \"drop_columns\": [\"c\"]"),
                            "a→b→c\n1→\"2→3\"→x\n1→\"2→3\"→y\n",
                            "a😀b\n1😀2→3\n");
  /* through a decoder: "§" is 0xA7 in Windows-1252 */
  out = winnow_test_clean (R (", \"input\": {\"delimiter\": \"§\", \"encoding\": \"windows-1252\"}, \"output\": {\"delimiter\": \",\"}"),
                           "a\xA7" "b\n\xE9\xA7" "2\n", -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "a,b\n\xC3\xA9,2\n");
  g_assert_cmpuint (result->delimiter, ==, 0xA7);
  winnow_result_free (result);
  /* a space is a delimiter too; then it is no blank */
  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \" \"}, \"output\": {\"delimiter\": \",\"}"), "a b\n1 2\n", "a,b\n1,2\n");
}

/* By default the output keeps the input's delimiter, as read or sniffed
 * (pandas would write commas: docs/BEHAVIOUR.md 12); a delimiter that is
 * the quote character falls back to a comma. */
static void
test_output_delimiter_same (void)
{
  winnow_test_assert_clean (R (""), "a;b\n1;\"x;y\"\n", "a;b\n1;\"x;y\"\n");
  winnow_test_assert_clean (R (""), "a\tb\n1\tx,y\n", "a\tb\n1\tx,y\n");
  winnow_test_assert_clean (R (", \"output\": {\"delimiter\": \"same\"}"), "a|b\n1|2\n", "a|b\n1|2\n");
  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \"→\"}"), "a→b\n1→2\n", "a→b\n1→2\n");
  winnow_test_assert_clean (R (", \"input\": {\"delimiter\": \"\\\"\", \"quote\": \"'\"}"),
                            "a\"b\n1\"2\n", "a,b\n1,2\n");
}

static void
test_formula_guard (void)
{
  winnow_test_assert_clean (R (", \"output\": {\"formula_guard\": true}"),
                            "a,b,c\n=1+2,-2.5,@x\n+5,\"-x,y\",ok\n",
                            "a,b,c\n'=1+2,-2.5,'@x\n+5,\"'-x,y\",ok\n");
  winnow_test_assert_clean (R (""), "a\n=1+2\n", "a\n=1+2\n");
  /* header cells are guarded too: a spreadsheet runs them just the same
   * (pandas' to_csv has no guard; this is a rule of Winnow's own) */
  winnow_test_assert_clean (R (", \"output\": {\"formula_guard\": true}"),
                            "=HYPERLINK(\"x\"),-1,@b\n1,2,3\n",
                            "\"'=HYPERLINK(\"\"x\"\")\",-1,'@b\n1,2,3\n");
}

static void
test_header_only (void)
{
  winnow_test_assert_clean (R (", \"drop_duplicates\": {}"), "a,b\n", "a,b\n");
  winnow_test_assert_clean (R (""), "a,b", "a,b\n");
}

static void
test_no_trailing_newline (void)
{
  winnow_test_assert_clean (R (""), "a,b\n1,2", "a,b\n1,2\n");
  winnow_test_assert_clean (R (""), "a,b\n1,\"2\"", "a,b\n1,2\n");
}

static void
test_duplicate_header_names (void)
{
  /* written unchanged; the second "a" answers to "a.1" as in pandas */
  winnow_test_assert_clean (R (", \"drop_columns\": [\"a.1\"]"), "a,a,b\n1,2,3\n", "a,b\n1,3\n");
  /* pandas 1.5's names, each checked with read_csv: a suffix that is a
   * name of the header is stepped over (a,a,a.1 is a, a.2, a.1), and the
   * empty names take their turns last */
  winnow_test_assert_clean (R (", \"drop_columns\": [\"a.2\"]"), "a,a,a.1\n1,2,3\n", "a,a.1\n1,3\n");
  winnow_test_assert_clean (R (", \"drop_columns\": [\"x.2\", \"x.1.1\"]"),
                            "x,x,x.1,x.1\n1,2,3,4\n", "x,x.1\n1,3\n");
  winnow_test_assert_clean (R (", \"drop_columns\": [\"a.2\", \"a.1.1\", \"Unnamed: 1\"]"),
                            "a,,a.1,a,a.1\n1,2,3,4,5\n", "a,a.1\n1,3\n");
  winnow_test_assert_clean (R (", \"drop_columns\": [\"Unnamed: 0.1\"]"),
                            ",Unnamed: 0\n1,2\n", "Unnamed: 0\n2\n");
  winnow_test_assert_clean (R (", \"drop_columns\": [\"Unnamed: 1.1\", \"Unnamed: 3\"]"),
                            "a,,Unnamed: 1,\n1,2,3,4\n", "a,Unnamed: 1\n1,3\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clean/ragged/short", test_ragged_short);
  g_test_add_func ("/clean/ragged/long", test_ragged_long);
  g_test_add_func ("/clean/quotes/round-trip", test_quotes_round_trip);
  g_test_add_func ("/clean/quotes/inside-unquoted", test_quote_inside_unquoted_field);
  g_test_add_func ("/clean/line-ends", test_crlf);
  g_test_add_func ("/clean/encoding/bom", test_bom);
  g_test_add_func ("/clean/encoding/windows-1252", test_windows_1252);
  g_test_add_func ("/clean/encoding/bom-then-windows-1252", test_bom_then_windows_1252);
  g_test_add_func ("/clean/encoding/windows-1252-late", test_windows_1252_late);
  g_test_add_func ("/clean/encoding/utf-16", test_utf16);
  g_test_add_func ("/clean/empty-row-rule", test_empty_row_rule);
  g_test_add_func ("/clean/blank-lines", test_blank_lines);
  g_test_add_func ("/clean/blank-lines/long", test_blank_lines_long);
  g_test_add_func ("/clean/blank-lines/cr-file", test_blank_lines_cr_file);
  g_test_add_func ("/clean/no-header", test_no_header);
  g_test_add_func ("/clean/delimiter-sniffing", test_delimiter_sniffing);
  g_test_add_func ("/clean/output-delimiter", test_output_delimiter);
  g_test_add_func ("/clean/unicode-delimiters", test_unicode_delimiters);
  g_test_add_func ("/clean/output-delimiter-same", test_output_delimiter_same);
  g_test_add_func ("/clean/formula-guard", test_formula_guard);
  g_test_add_func ("/clean/header-only", test_header_only);
  g_test_add_func ("/clean/no-trailing-newline", test_no_trailing_newline);
  g_test_add_func ("/clean/duplicate-header-names", test_duplicate_header_names);

  return g_test_run ();
}
