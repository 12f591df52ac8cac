/* test-store-open.c: opening the task store: migrations (an empty
 * file, from version 1, from version 3 with every count, list and profile
 * kept and damaged parts emptied, one made by a newer Winnow left
 * untouched), and damaged, locked and read-only databases. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "store-util.h"
#include "winnow-result-record.h"

static void
test_migration_empty (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = winnow_test_write_file (dir->dir, "empty.db", "", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (path, &error);
  g_autoptr(WinnowTask) task = NULL;
  g_autofree char *check = NULL;

  g_assert_no_error (error);
  task = add (store, "x.csv");
  check = winnow_task_store_check (store, &error);
  g_assert_cmpstr (check, ==, "ok");
  g_clear_object (&store);
  /* reopening migrates nothing and loses nothing */
  store = winnow_task_store_new (path, &error);
  g_assert_no_error (error);
  g_clear_object (&task);
  task = winnow_task_store_get (store, 1, &error);
  g_assert_cmpstr (winnow_task_get_file_name (task), ==, "x.csv");
}

static void
test_migration_v1 (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "v1.db", NULL);
  g_autofree char *sql = g_strconcat (
    store_schema_migration (1),
    "INSERT INTO tasks (input_path, output_path, status, recipe, created_at, started_at, finished_at, progress)"
    "  VALUES ('/old/orders.csv', '/old/orders.cleaned.csv', 'COMPLETED', '{}', '2025-01-02T10:00:00.000Z',"
    "          '2025-01-02T10:00:01.000Z', '2025-01-02T10:00:03.500Z', 1);"
    "INSERT INTO task_results VALUES (1, 10, 8, 2, 0, '[]', '{}', 0, 100, 80, 2.5, 'UTF-8', ',', '[]', '[]', '{}');"
    "INSERT INTO tasks (input_path, output_path, recipe, created_at)"
    "  VALUES ('/old/later.csv', '/old/later.cleaned.csv', '{}', '2025-01-03T10:00:00.000Z');"
    "PRAGMA user_version = 1;", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(WinnowTask) done = NULL;
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(GPtrArray) by_name = NULL;
  WinnowTaskQuery query = { .sort = WINNOW_TASK_SORT_FILE, .name = "ORDERS" };

  raw_exec (path, sql);
  store = winnow_task_store_new (path, &error);
  g_assert_no_error (error);
  done = winnow_task_store_get (store, 1, &error);
  g_assert_cmpstr (winnow_task_get_file_name (done), ==, "orders.csv");
  g_assert_cmpint (winnow_task_get_rows_in (done), ==, 10);
  g_assert_cmpint (winnow_task_get_rows_out (done), ==, 8);
  g_assert_cmpfloat_with_epsilon (winnow_task_get_duration (done), 2.5, 0.01);
  {
    g_autoptr(WinnowResult) r = winnow_result_from_record (winnow_task_get_result (done));
    g_assert_cmpuint (r->bytes_out, ==, 80);
    g_assert_cmpuint (r->counts[WINNOW_STEP_DROP_DUPLICATES], ==, 2);
    g_assert_cmpfloat_with_epsilon (r->elapsed, 2.5, 1e-9);
    g_assert_cmpstr (r->encoding, ==, "UTF-8");
  }
  by_name = winnow_task_store_query (store, &query, 0, 10, &error);
  g_assert_cmpuint (by_name->len, ==, 1);
  claimed = winnow_task_store_claim (store, "w", 1000, NULL, &error);
  g_assert_cmpstr (winnow_task_get_file_name (claimed), ==, "later.csv");
}

/* A version-3 history (results as a column per count) comes forward with
 * every count, list and profile; a part that is not JSON becomes empty
 * instead of failing the migration. */
static void
test_migration_v3 (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "v3.db", NULL);
  g_autofree char *sql = g_strconcat (
    store_schema_migration (1), store_schema_migration (2), store_schema_migration (3),
    "INSERT INTO tasks (input_path, output_path, status, recipe, created_at, file_name, rows_in, rows_out)"
    "  VALUES ('/d/a.csv', '/d/a.cleaned.csv', 'COMPLETED', '{}', '2026-01-02T10:00:00.000Z', 'a.csv', 10, 5);"
    "INSERT INTO tasks (input_path, output_path, status, recipe, created_at, file_name, rows_in, rows_out)"
    "  VALUES ('/d/b.csv', '/d/b.cleaned.csv', 'COMPLETED', '{}', '2026-01-02T11:00:00.000Z', 'b.csv', 3, 3);"
    "INSERT INTO task_results (task_id, rows_read, rows_written, duplicates_removed, missing_dropped,"
    "  columns_dropped, cells_filled, bad_lines_skipped, bytes_in, bytes_out, elapsed, encoding, delimiter,"
    "  warnings, profile, preview, cells_filled_total) VALUES (1, 10, 5, 2, 2, '[\"notes\"]',"
    "  '{\"age\":4}', 1, 400, 200, 0.25, 'windows-1252', ';', '[\"line 7: expected 3 fields, saw 4\"]',"
    "  '[{\"name\":\"age\",\"type\":\"integer\",\"filled\":4}]',"
    "  '{\"header\":[\"age\"],\"rows\":[[\"41\"]]}', 4);"
    "INSERT INTO task_results (task_id, rows_read, rows_written, duplicates_removed, missing_dropped,"
    "  columns_dropped, cells_filled, bad_lines_skipped, bytes_in, bytes_out, elapsed, encoding, delimiter,"
    "  warnings, profile, preview, cells_filled_total) VALUES (2, 3, 3, 0, 0, 'not json', '{}', 0, 30,"
    "  30, 0.1, 'UTF-8', ',', '[broken', 'also broken', '{}', 0);"
    "PRAGMA user_version = 3;", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(WinnowTask) a = NULL;
  g_autoptr(WinnowTask) b = NULL;
  g_autoptr(WinnowResult) ra = NULL;
  g_autoptr(WinnowResult) rb = NULL;
  WinnowColumnProfile *age;

  raw_exec (path, sql);
  store = winnow_task_store_new (path, &error);
  g_assert_no_error (error);

  a = winnow_task_store_get (store, 1, &error);
  g_assert_no_error (error);
  ra = winnow_result_from_record (winnow_task_get_result (a));
  g_assert_cmpuint (ra->rows_read, ==, 10);
  g_assert_cmpuint (ra->rows_written, ==, 5);
  g_assert_cmpuint (ra->counts[WINNOW_STEP_DROP_DUPLICATES], ==, 2);
  g_assert_cmpuint (ra->counts[WINNOW_STEP_DROP_MISSING], ==, 2);
  g_assert_cmpuint (ra->counts[WINNOW_STEP_FILL], ==, 4);
  g_assert_cmpuint (ra->bad_lines_skipped, ==, 1);
  g_assert_cmpuint (winnow_result_get_rows_rejected (ra), ==, 5);
  g_assert_cmpuint (ra->bytes_in, ==, 400);
  g_assert_cmpuint (ra->bytes_out, ==, 200);
  g_assert_cmpfloat_with_epsilon (ra->elapsed, 0.25, 1e-9);
  g_assert_cmpstr (ra->encoding, ==, "windows-1252");
  g_assert_cmpuint (ra->delimiter, ==, ';');
  g_assert_cmpuint (ra->columns_dropped->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ra->columns_dropped, 0), ==, "notes");
  g_assert_cmpuint (ra->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ra->warnings, 0), ==, "line 7: expected 3 fields, saw 4");
  g_assert_cmpuint (ra->columns->len, ==, 1);
  age = g_ptr_array_index (ra->columns, 0);
  g_assert_cmpstr (age->name, ==, "age");
  g_assert_cmpuint (age->cells[WINNOW_STEP_FILL], ==, 4);
  g_assert_cmpuint (ra->preview->len, ==, 1);

  b = winnow_task_store_get (store, 2, &error);
  g_assert_no_error (error);
  rb = winnow_result_from_record (winnow_task_get_result (b));
  g_assert_cmpuint (rb->rows_read, ==, 3);
  g_assert_cmpuint (rb->bytes_out, ==, 30);
  g_assert_cmpuint (rb->columns_dropped->len, ==, 0);
  g_assert_cmpuint (rb->warnings->len, ==, 0);
  g_assert_cmpuint (rb->columns->len, ==, 0);

  /* the names, of the trigrams and of memory; a deletion counted */
  g_assert_cmpint (winnow_task_store_count (store, &(WinnowTaskQuery) { .name = "b." }, NULL,
                                            &error), ==, 1);
  g_assert_cmpint (winnow_task_store_count (store, &(WinnowTaskQuery) { .name = ".csv" }, NULL,
                                            &error), ==, 2);
  g_assert_true (winnow_task_store_delete (store, 2, &error));
  g_assert_cmpint (winnow_task_store_count (store, &(WinnowTaskQuery) { .name = "b." }, NULL,
                                            &error), ==, 0);
  g_assert_no_error (error);

  /* a result written now has the new shape, and the old tasks stay */
  {
    g_autofree char *check = winnow_task_store_check (store, &error);
    g_assert_cmpstr (check, ==, "ok");
  }
}

static guint64
file_checksum (const char *path, char **hash)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, NULL);
  *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  return length;
}

static void
test_migration_too_new (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "future.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTaskStore *store;

  raw_exec (path, "CREATE TABLE tasks (x); PRAGMA user_version = 99;");
  file_checksum (path, &before);
  store = winnow_task_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "made by a newer Winnow (schema version 99"));
  g_assert_nonnull (strstr (error->message, "left untouched"));
  file_checksum (path, &after);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_damaged (WinnowTestDir *dir, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint8 garbage[8192];
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(WinnowTask) task = NULL;

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_rand_int (rand);
  path = winnow_test_write_file (dir->dir, "tasks.db", (const char *) garbage, sizeof garbage);
  file_checksum (path, &before);

  g_assert_null (winnow_task_store_new (path, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "is not a Winnow task database, or it is damaged"));
  g_clear_error (&error);
  file_checksum (path, &after);
  g_assert_cmpstr (before, ==, after);

  store = winnow_task_store_new_or_replace_damaged (path, &moved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_assert_true (g_str_has_prefix (moved, path));
  g_assert_nonnull (strstr (moved, ".damaged-"));
  file_checksum (moved, &moved_hash);
  g_assert_cmpstr (moved_hash, ==, before);
  task = add (store, "fresh.csv");
  g_assert_cmpint (winnow_task_get_id (task), ==, 1);
}

static void
test_locked (Fixture *f, gconstpointer data)
{
  sqlite3 *other;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) task = NULL;

  /* another program holds the write lock */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  winnow_task_store_set_patience (f->store, 100);
  task = winnow_task_store_add (f->store, "/x.csv", "/y.csv", "{}", FALSE, &error);
  g_assert_null (task);
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "is busy"));
  g_clear_error (&error);
  g_assert_null (winnow_task_store_claim (f->store, "w", 1000, NULL, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_clear_error (&error);

  /* and works again once it lets go */
  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);
  task = winnow_task_store_add (f->store, "/x.csv", "/y.csv", "{}", FALSE, &error);
  g_assert_no_error (error);
}

static void
test_read_only (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *locked = g_build_filename (dir->dir, "locked", NULL);

  g_mkdir (locked, 0555);
  /* root writes anywhere: the child checks as "nobody", who must be able
   * to get to the folder */
  g_chmod (dir->dir, 0755);
  g_setenv ("WINNOW_TEST_DIR", locked, TRUE);
  g_test_trap_subprocess ("/store/read-only/child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_read_only_child (void)
{
  const char *locked = g_getenv ("WINNOW_TEST_DIR");
  g_autofree char *path = NULL;
  g_autofree char *nested = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    return;
  if (getuid () == 0)
    {
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
    }
  path = g_build_filename (locked, "tasks.db", NULL);
  g_assert_null (winnow_task_store_new (path, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "cannot be written"));
  g_clear_error (&error);
  nested = g_build_filename (locked, "sub", "tasks.db", NULL);
  g_assert_null (winnow_task_store_new (nested, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "cannot create the folder"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_DIR(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD_DIR ("/store/migration/empty-file", test_migration_empty);
  ADD_DIR ("/store/migration/from-v1", test_migration_v1);
  ADD_DIR ("/store/migration/from-v3", test_migration_v3);
  ADD_DIR ("/store/migration/too-new", test_migration_too_new);
  ADD_DIR ("/store/damaged", test_damaged);
  ADD ("/store/locked", test_locked);
  ADD_DIR ("/store/read-only", test_read_only);
  g_test_add_func ("/store/read-only/child", test_read_only_child);
#undef ADD
#undef ADD_DIR

  return g_test_run ();
}
