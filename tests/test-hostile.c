/* test-hostile.c: `winnow --batch` misused on purpose (docs/SECURITY.md):
 * outputs that are devices, FIFOs, sockets or folders; locations that are
 * not local; recipes too deep, too large or quoting megabytes; --jobs
 * beyond the cap; same-named inputs into one folder; file names that are
 * not UTF-8 or hold tabs and newlines; a dangling --db link; and a file
 * of 100,000 columns under a memory limit. The real binary, in a
 * subprocess, as test-cli.c runs it. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "winnow-task-store.h"
#include "winnow-test-util.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
limit_memory (gpointer data)
{
  rlim_t bytes = GPOINTER_TO_SIZE (data);
  struct rlimit limit = { bytes, bytes };
  setrlimit (RLIMIT_AS, &limit);
}

/* Runs winnow with @argv (NULL-terminated, without the binary) in @dir;
 * its history is @dir + ".db" unless the arguments say otherwise; with
 * @memory, under that RLIMIT_AS. Output is read as bytes: a file name in
 * it need not be UTF-8. */
static void
run_argv (Run *run, const char *dir, gsize memory, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("WINNOW_BINARY");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "WINNOW_DB", db, TRUE);
  if (memory > 0)
    g_subprocess_launcher_set_child_setup (launcher, limit_memory, GSIZE_TO_POINTER (memory), NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
}

#define RUN(run, dir, ...) \
  run_argv (run, dir, 0, (const char * const[]) { "--batch", __VA_ARGS__, NULL })

static void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, haystack);
}

static void
assert_kind (const char *path, mode_t kind)
{
  struct stat st;
  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & S_IFMT, ==, kind);
}

static const char sample[] = "id,name\n1,Ana\n2,Ben\n1,Ana\n";

/* ---- 1. outputs that are not regular files ---- */

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

/* -o at a FIFO, a socket or a folder: refused with and without --force,
 * and left as it was. */
static void
test_output_special (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *fifo = g_build_filename (fixture->dir, "fifo.csv", NULL);
  g_autofree char *sock = g_build_filename (fixture->dir, "sock.csv", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "folder.csv", NULL);
  const struct {
    const char *name;
    const char *path;
    const char *message;
    mode_t kind;
  } cases[] = {
    { "fifo.csv", fifo, "is a FIFO; Winnow replaces only regular files", S_IFIFO },
    { "sock.csv", sock, "is a socket", S_IFSOCK },
    { "folder.csv", folder, "is a folder", S_IFDIR },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  make_socket (sock);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) plain = { 0 };
      g_auto (Run) forced = { 0 };

      RUN (&plain, fixture->dir, "-o", cases[i].name, "a.csv");
      g_assert_cmpint (plain.status, ==, 1);
      assert_contains (plain.out, cases[i].message);
      RUN (&forced, fixture->dir, "--force", "-o", cases[i].name, "a.csv");
      g_assert_cmpint (forced.status, ==, 1);
      assert_contains (forced.out, cases[i].message);
      assert_kind (cases[i].path, cases[i].kind);
    }
  /* a.csv, the three targets, nothing more (no stray temporary file) */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 4);
}

/* --force -o at a device node: the one the report found was /dev/null;
 * here a node with its numbers, made in the test's folder (root only). */
static void
test_output_device (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *device = g_build_filename (fixture->dir, "null.csv", NULL);
  g_auto (Run) run = { 0 };

  if (geteuid () != 0 || mknod (device, S_IFCHR | 0600, makedev (1, 3)) != 0)
    {
      g_test_skip ("making a device node needs root");
      return;
    }
  RUN (&run, fixture->dir, "--force", "-o", "null.csv", "a.csv");
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.out, "is a device");
  assert_kind (device, S_IFCHR);
}

/* ---- 2. locations that are not local, threads ---- */

static void
test_uris (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a b.csv", sample, -1);
  g_autofree char *colon = winnow_test_write_file (fixture->dir, "data:2024.csv", sample, -1);
  g_autofree char *uri = g_filename_to_uri (in, NULL, NULL);
  g_autofree char *out = g_build_filename (fixture->dir, "o u t.csv", NULL);
  g_autofree char *out_uri = g_filename_to_uri (out, NULL, NULL);
  static const char * const remote[] = {
    "http://example.invalid/y.csv", "sftp://h/y.csv", "smb://h/s/y.csv", "trash:///y.csv",
  };
  g_auto (Run) local = { 0 };
  g_auto (Run) named = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      g_auto (Run) as_input = { 0 };
      g_auto (Run) as_output = { 0 };
      g_auto (Run) as_dir = { 0 };
      g_auto (Run) as_db = { 0 };
      g_auto (Run) as_recipe = { 0 };

      RUN (&as_input, fixture->dir, remote[i]);
      g_assert_cmpint (as_input.status, ==, 2);
      assert_contains (as_input.err, "is not a file on this computer");
      RUN (&as_output, fixture->dir, "-o", remote[i], "a b.csv");
      g_assert_cmpint (as_output.status, ==, 2);
      assert_contains (as_output.err, "--output: “");
      RUN (&as_dir, fixture->dir, "--output-dir", remote[i], "a b.csv");
      g_assert_cmpint (as_dir.status, ==, 2);
      assert_contains (as_dir.err, "--output-dir: “");
      RUN (&as_db, fixture->dir, "--db", remote[i], "a b.csv");
      g_assert_cmpint (as_db.status, ==, 2);
      assert_contains (as_db.err, "--db: “");
      RUN (&as_recipe, fixture->dir, "--recipe", remote[i], "a b.csv");
      g_assert_cmpint (as_recipe.status, ==, 2);
    }
  /* nothing was made of them: no ./http:/… folder, no output */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 2);

  /* file:// works for inputs and outputs; data:2024.csv is a file name */
  RUN (&local, fixture->dir, "--drop-duplicates", "-o", out_uri, uri);
  g_assert_cmpint (local.status, ==, 0);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  RUN (&named, fixture->dir, "data:2024.csv");
  g_assert_cmpint (named.status, ==, 0);
  assert_contains (named.out, "data:2024.cleaned.csv");
}

static void
test_jobs (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_auto (Run) too_many = { 0 };
  g_auto (Run) most = { 0 };

  RUN (&too_many, fixture->dir, "--jobs", "100000", "a.csv");
  g_assert_cmpint (too_many.status, ==, 2);
  assert_contains (too_many.err, "--jobs: expected a number from 1 to 64, not “100000”");
  RUN (&most, fixture->dir, "--jobs", "64", "a.csv");
  g_assert_cmpint (most.status, ==, 0);
}

/* ---- recipes that cost more than they should ---- */

static void
test_recipes (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autoptr(GString) deep = g_string_new ("{\"winnow_recipe\": 1, \"drop_columns\": ");
  g_autoptr(GString) big = g_string_new ("{\"winnow_recipe\": 1, \"drop_columns\": [\"");
  g_autoptr(GString) name = g_string_new ("{\"winnow_recipe\": 1, \"drop_columns\": [\"");
  g_autofree char *deep_path = NULL;
  g_autofree char *big_path = NULL;
  g_autofree char *name_path = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_auto (Run) too_deep = { 0 };
  g_auto (Run) too_big = { 0 };
  g_auto (Run) long_name = { 0 };

  /* 100,000 levels in 200 KB: json-glib's recursion would overflow */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  deep_path = winnow_test_write_file (fixture->dir, "deep.json", deep->str, (gssize) deep->len);
  RUN (&too_deep, fixture->dir, "--recipe", "deep.json", "a.csv");
  g_assert_cmpint (too_deep.status, ==, 2);
  assert_contains (too_deep.err, "nested more than 32 levels deep");

  while (big->len < 2 * 1024 * 1024)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"]}");
  big_path = winnow_test_write_file (fixture->dir, "big.json", big->str, (gssize) big->len);
  RUN (&too_big, fixture->dir, "--recipe", "big.json", "a.csv");
  g_assert_cmpint (too_big.status, ==, 2);
  assert_contains (too_big.err, "at most 1 MiB");
  g_assert_cmpuint (strlen (too_big.err), <, 300);

  /* a 900 KB column name: the task fails, and neither the summary nor the
   * history repeats it */
  while (name->len < 900 * 1024)
    g_string_append_c (name, 'y');
  g_string_append (name, "\"]}");
  name_path = winnow_test_write_file (fixture->dir, "name.json", name->str, (gssize) name->len);
  RUN (&long_name, fixture->dir, "--recipe", "name.json", "a.csv");
  g_assert_cmpint (long_name.status, ==, 1);
  assert_contains (long_name.out, "the file has no column \"yyy");
  assert_contains (long_name.out, "…");
  g_assert_cmpuint (strlen (long_name.out), <, 600);
  db = g_strconcat (fixture->dir, ".db", NULL);
  store = winnow_task_store_new (db, &error);
  g_assert_no_error (error);
  task = winnow_task_store_get (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (winnow_task_get_error (task)), <, 600);
}

/* ---- 3. same-named inputs into one folder ---- */

static void
test_same_names (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *a = g_build_filename (fixture->dir, "a", NULL);
  g_autofree char *b = g_build_filename (fixture->dir, "b", NULL);
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *first = g_build_filename (out, "d.cleaned.csv", NULL);
  g_autofree char *second = g_build_filename (out, "d.cleaned-2.csv", NULL);
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_auto (Run) run = { 0 };
  g_auto (Run) again = { 0 };
  g_auto (Run) forced = { 0 };

  g_assert_cmpint (g_mkdir (a, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (b, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_free (winnow_test_write_file (a, "d.csv", "x\nfrom a\n", -1));
  g_free (winnow_test_write_file (b, "d.csv", "x\nfrom b\n", -1));

  RUN (&run, fixture->dir, "--output-dir", "out", "a/d.csv", "./b/d.csv");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.err, "would also be cleaned to");
  first_text = winnow_test_read_file (first);
  second_text = winnow_test_read_file (second);
  g_assert_cmpstr (first_text, ==, "x\nfrom a\n");
  g_assert_cmpstr (second_text, ==, "x\nfrom b\n");
  g_assert_cmpuint (winnow_test_count_files (out), ==, 2);

  /* again: the same names, so without --force both are refused … */
  RUN (&again, fixture->dir, "--output-dir", "out", "a/d.csv", "b/d.csv");
  g_assert_cmpint (again.status, ==, 1);
  /* … and with it both are replaced, still two files */
  RUN (&forced, fixture->dir, "--force", "--output-dir", "./out/", "a/d.csv", "b/d.csv");
  g_assert_cmpint (forced.status, ==, 0);
  g_assert_cmpuint (winnow_test_count_files (out), ==, 2);
}

/* ---- 6. names that are not UTF-8, or hold tabs and newlines ---- */

static void
test_names (WinnowTestDir *fixture, gconstpointer data)
{
  static const char * const names[] = { "caf\xe9.csv", "tab\there.csv", "new\nline.csv" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto (Run) json = { 0 };
  g_auto (Run) plain = { 0 };
  JsonArray *tasks;
  JsonObject *task;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (winnow_test_write_file (fixture->dir, names[i], sample, -1));

  RUN (&json, fixture->dir, "--json", names[0], names[1], names[2]);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_true (g_utf8_validate (json.out, -1, NULL));
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  tasks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, names[i], NULL);
      g_autofree char *from_uri = NULL;

      task = json_array_get_object_element (tasks, i);
      g_assert_cmpstr (json_object_get_string_member (task, "status"), ==, "completed");
      from_uri = g_filename_from_uri (json_object_get_string_member (task, "input_uri"), NULL,
                                      &error);
      g_assert_no_error (error);
      g_assert_cmpstr (from_uri, ==, path);  /* the exact bytes */
    }
  task = json_array_get_object_element (tasks, 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (task, "input"), "/caf\\xE9.csv"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (task, "output"),
                                   "/caf\\xE9.cleaned.csv"));
  task = json_array_get_object_element (tasks, 1);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (task, "input"), "/tab\there.csv"));

  /* one line per task, its fields escaped */
  RUN (&plain, fixture->dir, "--force", names[0], names[1], names[2]);
  g_assert_cmpint (plain.status, ==, 0);
  lines = g_strsplit (plain.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);  /* 3 lines and the empty rest */
  for (guint i = 0; i < 3; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 4);
      g_assert_cmpstr (fields[1], ==, "completed");
    }
  assert_contains (lines[0], "/caf\\xE9.csv\t");
  assert_contains (lines[1], "/tab\\there.csv\t");
  assert_contains (lines[2], "/new\\nline.csv\t");
}

/* ---- 7. a dangling symbolic link as --db ---- */

static void
test_db_dangling_link (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *link = g_build_filename (fixture->dir, "history.db", NULL);
  g_autofree char *target_dir = g_build_filename (fixture->dir, "elsewhere", NULL);
  g_autofree char *target = g_build_filename (target_dir, "made.db", NULL);
  g_autofree char *output = g_build_filename (fixture->dir, "a.cleaned.csv", NULL);
  g_autofree char *real = g_build_filename (fixture->dir, "real.db", NULL);
  g_autofree char *good = g_build_filename (fixture->dir, "good.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_auto (Run) refused = { 0 };
  g_auto (Run) followed = { 0 };

  g_assert_cmpint (symlink (target, link), ==, 0);
  RUN (&refused, fixture->dir, "--db", "history.db", "a.csv");
  g_assert_cmpint (refused.status, ==, 1);
  assert_contains (refused.err, "is a symbolic link to");
  assert_contains (refused.err, "which does not exist");
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (target_dir, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));

  /* a link to a database that exists is followed */
  store = winnow_task_store_new (real, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (symlink (real, good), ==, 0);
  RUN (&followed, fixture->dir, "--db", "good.db", "a.csv");
  g_assert_cmpint (followed.status, ==, 0);
  store = winnow_task_store_new (real, &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_store_count (store, &(WinnowTaskQuery) { 0 }, NULL, NULL), ==, 1);
}

/* ---- 5. a wide file under a memory limit ---- */

static void
test_wide_file (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autofree char *in = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto (Run) run = { 0 };
  JsonObject *task, *result;

#ifdef UNDER_ASAN
  g_test_skip ("AddressSanitizer reserves terabytes of address space: no RLIMIT_AS under it");
  return;
#endif
  for (guint c = 0; c < 100000; c++)
    g_string_append_printf (csv, "%sc%u", c ? "," : "", c);
  g_string_append_c (csv, '\n');
  for (guint r = 0; r < 20; r++)
    {
      for (guint c = 0; c < 100000; c++)
        g_string_append_printf (csv, "%s%u", c ? "," : "", (r * 13 + c) % 97);
      g_string_append_c (csv, '\n');
    }
  in = winnow_test_write_file (fixture->dir, "wide.csv", csv->str, (gssize) csv->len);

  /* it needed 2.7 GB; one worker, so that the pool's threads do not count */
  run_argv (&run, fixture->dir, 768u << 20,
            (const char * const[]) { "--batch", "--jobs", "1", "--json", "--drop-duplicates",
                                     "wide.csv", NULL });
  if (run.status != 0)
    g_error ("exit %d: %s", run.status, run.err);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  task = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "tasks"), 0);
  result = json_object_get_object_member (task, "result");
  g_assert_cmpint (json_object_get_int_member (result, "rows_written"), ==, 20);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "columns")), ==,
                    100000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/hostile/output-special", test_output_special);
  ADD ("/hostile/output-device", test_output_device);
  ADD ("/hostile/uris", test_uris);
  ADD ("/hostile/jobs", test_jobs);
  ADD ("/hostile/recipes", test_recipes);
  ADD ("/hostile/same-names", test_same_names);
  ADD ("/hostile/names", test_names);
  ADD ("/hostile/db-dangling-link", test_db_dangling_link);
  ADD ("/hostile/wide-file", test_wide_file);
  return g_test_run ();
}
