/* test-limits.c: hostile input meets bounds (docs/SECURITY.md): recipes
 * too large or too deep, strict JSON, short quotes of user text, subsets
 * that name a column a million times, outputs that are not regular
 * files, and a file of 100,000 columns cleaned under a memory limit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "winnow-cleaner.h"
#include "winnow-json.h"
#include "winnow-text-set.h"
#include "winnow-output-file.h"
#include "winnow-plan.h"
#include "winnow-result-record.h"
#include "winnow-scheduler.h"
#include "winnow-test-util.h"
#include "winnow-user-text.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)

static void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, haystack);
}

/* [[[…]]] @depth levels deep. */
static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* ---- JSON ---- */

static void
test_json_check (void)
{
  static const char * const valid[] = {
    "{}", "[]", "0", "-1.5e+3", "\"a\\u00e9\\n\"", "true", " {\"a\": [1, null, false]} ",
    "\"é\"", "\"\\ud83d\\ude00\"", "\"\\uDBFF\\uDFFFx\"",
  };
  static const char * const invalid[] = {
    "", "{", "{\"a\": 1,}", "[1,]", "{'a': 1}", "{\"a\": 1} // c", "/* c */ {}", "{} {}",
    "\"\\x41\"", "\"\\u12\"", "\"a\tb\"", "01", "1.", "-", "tru", "{\"a\" 1}", "{1: 2}",
    "\"\xff\"", "\"never closed",
    /* surrogates only as a high then a low one */
    "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\udade\\uaded\"", "\"\\ud800\\ud800\"",
    "\"\\udc00\\ud800\"", "\"\\ud800\\\"", "\"\\ud800\\u00\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      if (!winnow_json_check (valid[i], strlen (valid[i]), WINNOW_JSON_MAX_DEPTH, &error))
        g_error ("%s: %s", valid[i], error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      if (winnow_json_check (invalid[i], strlen (invalid[i]), WINNOW_JSON_MAX_DEPTH, &error))
        g_error ("%s was taken for JSON", invalid[i]);
      g_assert_error (error, WINNOW_JSON_ERROR, WINNOW_JSON_ERROR_SYNTAX);
      assert_contains (error->message, "line 1");
    }
}

static void
test_json_depth (void)
{
  g_autofree char *at_limit = nested (WINNOW_JSON_MAX_DEPTH);
  g_autofree char *over = nested (WINNOW_JSON_MAX_DEPTH + 1);
  g_autofree char *deep = nested (100000);
  g_autoptr(GError) error = NULL;

  g_assert_true (winnow_json_check (at_limit, strlen (at_limit), WINNOW_JSON_MAX_DEPTH, NULL));
  g_assert_false (winnow_json_check (over, strlen (over), WINNOW_JSON_MAX_DEPTH, &error));
  g_assert_error (error, WINNOW_JSON_ERROR, WINNOW_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);
  /* 100,000 levels: no stack overflow here, and none in json-glib, which
   * never sees it */
  g_assert_false (winnow_json_check (deep, strlen (deep), WINNOW_JSON_MAX_DEPTH, &error));
  g_assert_error (error, WINNOW_JSON_ERROR, WINNOW_JSON_ERROR_TOO_DEEP);
}

static void
test_json_write (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_string_append_c (out, '[');
  winnow_json_append_string (out, "q\"b\\s\n\t\x01\x7f é");
  g_string_append_c (out, ',');
  winnow_json_append_string (out, "bad \xe9 byte");
  g_string_append_c (out, ',');
  winnow_json_append_double (out, 0.1);
  g_string_append_c (out, ',');
  winnow_json_append_double (out, 1e300);
  g_string_append_c (out, ',');
  winnow_json_append_double (out, NAN);
  g_string_append_c (out, ']');

  g_assert_true (winnow_json_check (out->str, out->len, 2, NULL));
  json_parser_load_from_data (parser, out->str, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "q\"b\\s\n\t\x01\x7f é");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "bad \xef\xbf\xbd byte");
  g_assert_cmpfloat (json_array_get_double_element (array, 2), ==, 0.1);
  g_assert_cmpfloat (json_array_get_double_element (array, 3), ==, 1e300);
  g_assert_true (json_array_get_null_element (array, 4));
}

/* ---- recipes ---- */

static void
test_recipe_size (void)
{
  static const char head[] = "{\"winnow_recipe\": 1}";
  g_autoptr(GString) json = g_string_new (head);
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;

  /* exactly the limit, with spaces: still a recipe */
  while (json->len < WINNOW_RECIPE_MAX_BYTES)
    g_string_append_c (json, ' ');
  recipe = winnow_recipe_new_from_json (json->str, (gssize) json->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recipe);

  g_string_append_c (json, ' ');
  g_assert_null (winnow_recipe_new_from_json (json->str, (gssize) json->len, &error));
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE);
  assert_contains (error->message, "at most 1 MiB");
  g_assert_cmpuint (strlen (error->message), <, 200);

  /* 800 KB as read, over 2 MB as a task stores it (indented, every key):
   * refused, so that every recipe accepted can be read back */
  g_clear_error (&error);
  g_string_assign (json, "{\"winnow_recipe\":1,\"drop_columns\":[\"a\"");
  for (guint i = 1; i < 200000; i++)
    g_string_append (json, ",\"a\"");
  g_string_append (json, "]}");
  g_assert_cmpuint (json->len, <, WINNOW_RECIPE_MAX_BYTES);
  g_assert_null (winnow_recipe_new_from_json (json->str, (gssize) json->len, &error));
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_INVALID);
  assert_contains (error->message, "once written out");
}

static void
test_recipe_depth (void)
{
  g_autofree char *inner = nested (100000);
  g_autofree char *json = g_strdup_printf ("{\"winnow_recipe\": 1, \"drop_columns\": %s}", inner);
  g_autoptr(GError) error = NULL;

  g_assert_null (winnow_recipe_new_from_json (json, -1, &error));
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE);
  assert_contains (error->message, "nested more than 32 levels");

  /* json-glib's leniencies are not recipes: a comment is refused */
  g_clear_error (&error);
  g_assert_null (winnow_recipe_new_from_json ("{\"winnow_recipe\": 1 /* c */}", -1, &error));
  assert_contains (error->message, "not valid JSON: line 1, column 21");
}

typedef struct {
  char *path;
  gsize written;
} Endless;

/* Writes to a FIFO until its reader goes away, as /dev/zero would. */
static gpointer
write_endlessly (gpointer data)
{
  Endless *e = data;
  char block[65536];
  int fd = open (e->path, O_WRONLY | O_CLOEXEC);

  memset (block, ' ', sizeof block);
  g_assert_cmpint (fd, >=, 0);
  for (;;)
    {
      gssize n = write (fd, block, sizeof block);
      if (n <= 0)
        break;
      e->written += (gsize) n;
    }
  close (fd);
  return NULL;
}

static void
test_recipe_file_size (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GString) big = g_string_new ("{\"winnow_recipe\": 1, \"drop_columns\": [\"");
  g_autofree char *path = NULL;
  g_autofree char *fifo = g_build_filename (fixture->dir, "endless.json", NULL);
  g_autoptr(GError) error = NULL;
  Endless endless = { fifo, 0 };
  GThread *writer;

  while (big->len < 2 * WINNOW_RECIPE_MAX_BYTES)
    g_string_append_c (big, 'a');
  g_string_append (big, "\"]}");
  path = winnow_test_write_file (fixture->dir, "big.json", big->str, (gssize) big->len);
  g_assert_null (winnow_recipe_new_from_file (path, &error));
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE);
  assert_contains (error->message, "at most 1 MiB");
  g_assert_cmpuint (strlen (error->message), <, strlen (path) + 200);

  /* a pipe that never ends is read no further than the limit */
  g_clear_error (&error);
  signal (SIGPIPE, SIG_IGN);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  writer = g_thread_new ("endless", write_endlessly, &endless);
  g_assert_null (winnow_recipe_new_from_file (fifo, &error));
  g_thread_join (writer);
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE);
  assert_contains (error->message, "at most 1 MiB");
  g_assert_cmpuint (endless.written, <, 2 * WINNOW_RECIPE_MAX_BYTES);
}

/* ---- quoting user text ---- */

static void
test_excerpt (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *cut = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *controls = winnow_user_text_excerpt ("a\nb\tc\x1b[31m");
  g_autofree char *bad = winnow_user_text_excerpt ("caf\xe9");
  g_autofree char *line = winnow_user_text_escape_line ("a\\b\tc\nd\re\x1b\xff\xc2\x9b é");
  g_autofree char *utf8 = winnow_user_text_to_utf8 ("na\xefve\\x.csv");
  g_autofree char *same = winnow_user_text_to_utf8 ("naïve\\x.csv");

  for (guint i = 0; i < 100000; i++)
    g_string_append (long_text, "é");
  cut = winnow_user_text_excerpt (long_text->str);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (cut, -1), ==, WINNOW_EXCERPT_CHARS);
  g_assert_true (g_str_has_suffix (cut, "é…"));

  g_string_truncate (long_text, 2 * WINNOW_EXCERPT_CHARS);  /* 80 characters */
  exact = winnow_user_text_excerpt (long_text->str);
  g_assert_cmpstr (exact, ==, long_text->str);

  g_assert_cmpstr (controls, ==, "a\\nb\\tc\\x1B[31m");
  g_assert_cmpstr (bad, ==, "caf\\xE9");
  g_assert_cmpstr (line, ==, "a\\\\b\\tc\\nd\\re\\x1B\\xFF\\u009B é");
  g_assert_null (strpbrk (line, "\t\n\r"));
  g_assert_cmpstr (utf8, ==, "na\\xEFve\\x.csv");
  g_assert_cmpstr (same, ==, "naïve\\x.csv");
}

/* A 500 KB column name, an unknown key and a value: every message quotes
 * at most 80 characters of them. */
static void
test_short_messages (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *drop = NULL;
  g_autofree char *key = NULL;
  g_autofree char *keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; i < 500000; i++)
    g_string_append_c (name, 'x');
  drop = g_strdup_printf ("{\"winnow_recipe\": 1, \"drop_columns\": [\"%s\"]}", name->str);
  out = winnow_test_clean (drop, "a,b\n1,2\n", -1, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN);
  assert_contains (error->message, "drop_columns: the file has no column \"xxx");
  g_assert_cmpuint (strlen (error->message), <, 300);

  g_clear_error (&error);
  key = g_strdup_printf ("{\"winnow_recipe\": 1, \"%s\": 1}", name->str);
  g_assert_null (winnow_recipe_new_from_json (key, -1, &error));
  assert_contains (error->message, "unknown key");
  g_assert_cmpuint (strlen (error->message), <, 400);

  g_clear_error (&error);
  keep = g_strdup_printf ("{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"%s\"}}",
                          name->str);
  g_assert_null (winnow_recipe_new_from_json (keep, -1, &error));
  assert_contains (error->message, "drop_duplicates.keep");
  g_assert_cmpuint (strlen (error->message), <, 300);
}

/* ---- subsets and names, hashed ---- */

static GPtrArray *
names (const char *first, ...)
{
  GPtrArray *array = g_ptr_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *n = first; n != NULL; n = va_arg (args, const char *))
    g_ptr_array_add (array, (gpointer) n);
  va_end (args);
  return array;
}

static void
test_long_subsets (void)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(GPtrArray) columns = names ("a", "b", "c", NULL);
  g_autoptr(WinnowPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  recipe->drop_duplicates = TRUE;
  recipe->drop_missing = TRUE;
  for (guint i = 0; i < 1000000; i++)
    g_ptr_array_add (recipe->duplicates_subset, g_strdup (i % 2 ? "c" : "a"));
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (recipe->missing_subset, g_strdup ("b"));
  plan = winnow_plan_new (recipe, columns, &error);
  g_assert_no_error (error);
  /* each row compares two fields, not a million */
  g_assert_cmpuint (plan->n_dedupe_columns, ==, 2);
  g_assert_cmpuint (plan->dedupe_columns[0], ==, 0);
  g_assert_cmpuint (plan->dedupe_columns[1], ==, 2);
  g_assert_cmpuint (plan->n_missing_columns, ==, 1);
  g_assert_cmpuint (plan->missing_weights[0], ==, 1000);
}

/* pandas' dropna(subset=["a", "a", "b"], thresh=2) counts "a" twice;
 * drop_duplicates(subset=["a", "a"]) is drop_duplicates(subset=["a"]). */
static void
test_repeated_subset_semantics (void)
{
  winnow_test_assert_clean ("{\"winnow_recipe\": 1, \"drop_missing\": "
                            "{\"thresh\": 2, \"subset\": [\"a\", \"a\", \"b\"]}}",
                            "a,b,c\n1,,\n,2,\n1,2,3\n,,\n",
                            "a,b,c\n1,,\n1,2,3\n");
  winnow_test_assert_clean ("{\"winnow_recipe\": 1, \"drop_missing\": "
                            "{\"how\": \"any\", \"subset\": [\"a\", \"a\", \"b\"]}}",
                            "a,b,c\n1,,\n,2,\n1,2,3\n",
                            "a,b,c\n1,2,3\n");
  winnow_test_assert_clean ("{\"winnow_recipe\": 1, \"drop_duplicates\": "
                            "{\"subset\": [\"a\", \"a\"]}}",
                            "a,b\n1,x\n1,y\n2,z\n",
                            "a,b\n1,x\n2,z\n");
}

/* 20,000 columns of one name: x, x.1 … x.19999, as pandas names them,
 * found without a scan from .1 for each. */
static void
test_repeated_header (void)
{
  g_autoptr(GString) csv = g_string_new ("x");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(WinnowResult) result = NULL;

  for (guint i = 1; i < 20000; i++)
    g_string_append (csv, ",x");
  g_string_append_c (csv, '\n');
  for (guint i = 0; i < 20000; i++)
    g_string_append (csv, i ? ",1" : "1");
  g_string_append_c (csv, '\n');
  out = winnow_test_clean ("{\"winnow_recipe\": 1, \"drop_columns\": [\"x.19999\", \"x\"]}",
                           csv->str, -1, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->columns->len, ==, 19998);
}

/* 100,000 NA tokens (a recipe of a megabyte): each field is looked up by
 * halves among the tokens of its length, and found exactly. */
static void
test_many_na_tokens (void)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(WinnowTextSet) set = NULL;
  static const struct {
    const char *text;
    gboolean missing;
  } cases[] = {
    { "t0", TRUE }, { "t5", TRUE }, { "t99999", TRUE }, { "t100000", FALSE }, { "t", FALSE },
    { "u5", FALSE }, { "a rather long token number 78", TRUE },
    { "a rather long token number 78 ", FALSE }, { "a rather long token number 100000", FALSE },
    { "", TRUE },
  };

  for (guint i = 0; i < 100000; i++)
    g_ptr_array_add (tokens, g_strdup_printf (i % 2 ? "t%u" : "a rather long token number %u", i));
  for (guint i = 0; i < 100000; i += 2)
    g_ptr_array_add (tokens, g_strdup_printf ("t%u", i));
  g_ptr_array_add (tokens, g_strdup (""));
  set = winnow_text_set_new ((const char * const *) tokens->pdata, tokens->len);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (winnow_text_set_contains (set, cases[i].text, strlen (cases[i].text)) != cases[i].missing)
      g_error ("“%s” should%s be missing", cases[i].text, cases[i].missing ? "" : " not");
}

/* ---- outputs that are not regular files ---- */

static void
make_socket (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (strlen (path), <, sizeof address.sun_path);
  strcpy (address.sun_path, path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  close (fd);
}

static void
assert_kind (const char *path, mode_t kind)
{
  struct stat st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & S_IFMT, ==, kind);
}

static void
test_output_not_regular (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.csv", NULL);
  g_autofree char *sock = g_build_filename (fixture->dir, "s.csv", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "folder.csv", NULL);
  g_autofree char *regular = winnow_test_write_file (fixture->dir, "r.csv", "old\n", -1);
  g_autofree char *link = g_build_filename (fixture->dir, "link.csv", NULL);
  struct {
    const char *path;
    const char *message;
    mode_t kind;
  } cases[] = {
    { fifo, "is a FIFO", S_IFIFO },
    { sock, "is a socket", S_IFSOCK },
    { folder, "is a folder", S_IFDIR },
  };
  g_autoptr(WinnowOutputFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  make_socket (sock);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int replace = 0; replace <= 1; replace++)
      {
        g_autoptr(WinnowOutputFile) refused =
          winnow_output_file_create (cases[i].path, NULL, replace, &error);
        g_assert_null (refused);
        g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
        assert_contains (error->message, cases[i].message);
        g_clear_error (&error);
        assert_kind (cases[i].path, cases[i].kind);
      }

  /* A FIFO put where a regular file was, after the task started: the
   * commit looks again and leaves it alone. */
  file = winnow_output_file_create (regular, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (winnow_output_file_get_fd (file), "new\n", 4), ==, 4);
  g_assert_cmpint (g_unlink (regular), ==, 0);
  g_assert_cmpint (mkfifo (regular, 0600), ==, 0);
  g_assert_false (winnow_output_file_commit (file, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
  g_clear_error (&error);
  g_clear_pointer (&file, winnow_output_file_free);
  assert_kind (regular, S_IFIFO);

  /* A link to the FIFO is refused as the FIFO is (test-output.c has the
   * links to devices and descriptors); a regular file and a link to one
   * are replaced (the link itself, never its target). */
  g_assert_cmpint (symlink (fifo, link), ==, 0);
  g_assert_null (winnow_output_file_create (link, NULL, TRUE, &error));
  g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
  g_clear_error (&error);
  assert_kind (link, S_IFLNK);
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (g_unlink (regular), ==, 0);
  g_free (winnow_test_write_file (fixture->dir, "r.csv", "old\n", -1));
  g_free (winnow_test_write_file (fixture->dir, "target.txt", "keep\n", -1));
  g_assert_cmpint (symlink ("target.txt", link), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      const char *path = i ? link : regular;
      g_autofree char *contents = NULL;

      file = winnow_output_file_create (path, NULL, TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (write (winnow_output_file_get_fd (file), "new\n", 4), ==, 4);
      g_assert_true (winnow_output_file_commit (file, &error));
      g_assert_no_error (error);
      g_clear_pointer (&file, winnow_output_file_free);
      assert_kind (path, S_IFREG);
      contents = winnow_test_read_file (path);
      g_assert_cmpstr (contents, ==, "new\n");
    }
  assert_kind (fifo, S_IFIFO);
  {
    g_autofree char *target = g_build_filename (fixture->dir, "target.txt", NULL);
    g_autofree char *kept = winnow_test_read_file (target);
    g_assert_cmpstr (kept, ==, "keep\n");
  }
  /* the temporary files are gone, and nothing else appeared */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 6);
}

/* A device node, made with mknod in the test's own folder (a copy of
 * /dev/null's numbers): only root may make one. */
static void
test_output_device (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *device = g_build_filename (fixture->dir, "null.csv", NULL);
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0 || mknod (device, S_IFCHR | 0600, makedev (1, 3)) != 0)
    {
      g_test_skip ("making a device node needs root");
      return;
    }
  for (int replace = 0; replace <= 1; replace++)
    {
      g_autoptr(WinnowOutputFile) file = winnow_output_file_create (device, NULL, replace, &error);
      g_assert_null (file);
      g_assert_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR);
      assert_contains (error->message, "is a device");
      g_clear_error (&error);
      assert_kind (device, S_IFCHR);
    }
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 1);
}

static void
test_numbered_path (void)
{
  g_autofree char *a = winnow_output_file_numbered_path ("/d/a.cleaned.csv", 2);
  g_autofree char *b = winnow_output_file_numbered_path ("/d/out", 3);

  g_autofree char *c = winnow_output_file_numbered_path ("/d/a.cleaned.tsv", 2);
  g_autofree char *d = winnow_output_file_numbered_path ("/d.x/out", 2);

  g_assert_cmpstr (a, ==, "/d/a.cleaned-2.csv");
  g_assert_cmpstr (b, ==, "/d/out-3");
  g_assert_cmpstr (c, ==, "/d/a.cleaned-2.tsv");
  g_assert_cmpstr (d, ==, "/d.x/out-2");
}

/* ---- threads ---- */

static void
test_jobs_capped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (":memory:", &error);
  g_autoptr(WinnowScheduler) scheduler = NULL;

  g_assert_no_error (error);
  scheduler = winnow_scheduler_new (store, 100000, WINNOW_SCHEDULER_OWN_TASKS);
  g_assert_cmpuint (winnow_scheduler_get_n_workers (scheduler), ==, WINNOW_SCHEDULER_MAX_WORKERS);
  winnow_scheduler_set_n_workers (scheduler, 1000);
  g_assert_cmpuint (winnow_scheduler_get_n_workers (scheduler), ==, WINNOW_SCHEDULER_MAX_WORKERS);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_CANCEL);
}

/* ---- a wide file ---- */

#define WIDE_COLUMNS 100000
#define WIDE_ROWS 20
/* Before per-column state was made small, this file needed 2.7 GB. */
#define WIDE_LIMIT (512u << 20)

static char *
write_wide (const char *dir)
{
  g_autoptr(GString) csv = g_string_new (NULL);

  for (guint c = 0; c < WIDE_COLUMNS; c++)
    g_string_append_printf (csv, "%sc%u", c ? "," : "", c);
  g_string_append_c (csv, '\n');
  for (guint r = 0; r < WIDE_ROWS; r++)
    {
      for (guint c = 0; c < WIDE_COLUMNS; c++)
        {
          if (c > 0)
            g_string_append_c (csv, ',');
          if ((r + c) % 10 != 0)
            g_string_append_printf (csv, "%u", (r * 13 + c) % 97);
        }
      g_string_append_c (csv, '\n');
    }
  return winnow_test_write_file (dir, "wide.csv", csv->str, (gssize) csv->len);
}

/* 100,000 columns by 20 rows (4.5 MB), cleaned, profiled and turned into
 * the store's record and back, in a process whose address space is
 * limited to WIDE_LIMIT (thread stacks and malloc arenas included). */
static void
test_wide_file (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *input = NULL;
  g_autofree char *output = g_build_filename (fixture->dir, "wide.cleaned.csv", NULL);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  g_autoptr(WinnowResult) result = NULL;
  g_autoptr(WinnowTaskResult) record = NULL;
  g_autoptr(WinnowResult) back = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit limit = { WIDE_LIMIT, WIDE_LIMIT };
  g_autofree char *status = NULL;
  const char *peak;
  WinnowColumnProfile *last;

#ifdef UNDER_ASAN
  g_test_skip ("AddressSanitizer reserves terabytes of address space: no RLIMIT_AS under it");
  return;
#endif
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  input = write_wide (fixture->dir);
  g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);

  recipe->drop_duplicates = TRUE;
  winnow_recipe_add_fill (recipe, "c5", WINNOW_FILL_MEAN, NULL, 0);
  winnow_recipe_add_fill (recipe, "c99999", WINNOW_FILL_FFILL, NULL, 0);
  result = winnow_clean_file (recipe, input, output, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->rows_written, ==, WIDE_ROWS);
  g_assert_cmpuint (result->columns->len, ==, WIDE_COLUMNS);
  g_assert_cmpuint (result->preview_header->len, ==, WINNOW_PREVIEW_COLUMNS);
  /* each column has 20 different values, 2 of them missing */
  last = g_ptr_array_index (result->columns, WIDE_COLUMNS - 2);
  g_assert_cmpstr (last->name, ==, "c99998");
  g_assert_cmpuint (last->distinct, ==, 18);
  g_assert_cmpuint (last->missing_after, ==, 2);

  record = winnow_result_to_record (result);
  back = winnow_result_from_record (record);
  g_assert_cmpuint (back->columns->len, ==, WIDE_COLUMNS);
  g_assert_cmpuint (((WinnowColumnProfile *) g_ptr_array_index (back->columns, 5))->cells[WINNOW_STEP_FILL], ==, 2);

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (peak = strstr (status, "VmPeak:")) != NULL)
    g_test_message ("%.*s", (int) strcspn (peak, "\n"), peak);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limits/json-check", test_json_check);
  g_test_add_func ("/limits/json-depth", test_json_depth);
  g_test_add_func ("/limits/json-write", test_json_write);
  g_test_add_func ("/limits/recipe-size", test_recipe_size);
  g_test_add_func ("/limits/recipe-depth", test_recipe_depth);
  ADD ("/limits/recipe-file-size", test_recipe_file_size);
  g_test_add_func ("/limits/excerpt", test_excerpt);
  g_test_add_func ("/limits/short-messages", test_short_messages);
  g_test_add_func ("/limits/long-subsets", test_long_subsets);
  g_test_add_func ("/limits/repeated-subset-semantics", test_repeated_subset_semantics);
  g_test_add_func ("/limits/repeated-header", test_repeated_header);
  g_test_add_func ("/limits/many-na-tokens", test_many_na_tokens);
  ADD ("/limits/output-not-regular", test_output_not_regular);
  ADD ("/limits/output-device", test_output_device);
  g_test_add_func ("/limits/numbered-path", test_numbered_path);
  g_test_add_func ("/limits/jobs-capped", test_jobs_capped);
  ADD ("/limits/wide-file", test_wide_file);
  return g_test_run ();
}
