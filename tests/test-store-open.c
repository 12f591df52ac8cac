/* test-store-open.c: opening the task store: migrations (an empty
 * file, a new history made in one step as the migrations make it, from
 * version 1, from version 3 with every count, list and profile
 * kept and damaged parts emptied, one made by a newer Winnow left
 * untouched), and damaged and read-only databases, one read as
 * damaged that quick_check finds whole, and one whose only damage is an
 * index that lacks its table's rows. Locked ones: test-store-locks.c. */
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

/* @sql with each run of white space made one space, none beside a
 * bracket or a comma, and no double quotes: SQLite keeps a statement's
 * text as written, or as ALTER TABLE and RENAME rewrote it (a column
 * added after ", ", a renamed table in quotes). Single quotes stay:
 * they hold the defaults and the CHECKs' values. */
static void
append_sql (GString *text, const char *sql)
{
  gboolean space = FALSE;

  for (const char *p = sql; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else if (*p != '"')
        {
          gboolean tight = strchr ("(),", *p) != NULL ||
                           (text->len > 0 && strchr ("(),", text->str[text->len - 1]) != NULL);
          if (space && !tight)
            g_string_append_c (text, ' ');
          g_string_append_c (text, *p);
          space = FALSE;
        }
    }
  g_string_append_c (text, '\n');
}

/* Every row of @query on @db, as text. */
static void
append_rows (GString *text, sqlite3 *db, const char *query)
{
  sqlite3_stmt *s;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &s, NULL), ==, SQLITE_OK);
  g_string_append_printf (text, "%s:\n", query);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (s); c++)
        {
          const char *v = (const char *) sqlite3_column_text (s, c);
          g_string_append_printf (text, "%s|", v != NULL ? v : "NULL");
        }
      g_string_append_c (text, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (s);
}

/* What makes two databases the same history: each table's, index's and
 * trigger's SQL (append_sql()), each table's columns (with their
 * defaults as written) and foreign keys, each index's columns, the
 * version and the rows a new history has. */
static char *
describe_database (const char *path)
{
  static const char *const rows[] = {
    "PRAGMA user_version",
    "SELECT * FROM task_count",
    "SELECT id, hex (block) FROM task_names_data ORDER BY id",
    "SELECT k, v FROM task_names_config ORDER BY k",
    "SELECT count(*) FROM tasks",
    "SELECT count(*) FROM sqlite_sequence",
  };
  GString *text = g_string_new (NULL);
  sqlite3 *db;
  sqlite3_stmt *s;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM sqlite_master"
                                           "  ORDER BY type, name", -1, &s, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (s, 0);
      const char *name = (const char *) sqlite3_column_text (s, 1);
      g_autofree char *columns = NULL;

      g_string_append_printf (text, "%s %s on %s: ", type, name, sqlite3_column_text (s, 2));
      append_sql (text, (const char *) sqlite3_column_text (s, 3));
      if (g_str_equal (type, "table"))
        {
          g_autofree char *keys = g_strdup_printf ("PRAGMA foreign_key_list (\"%s\")", name);
          columns = g_strdup_printf ("PRAGMA table_xinfo (\"%s\")", name);
          append_rows (text, db, keys);
        }
      else if (g_str_equal (type, "index"))
        columns = g_strdup_printf ("PRAGMA index_xinfo (\"%s\")", name);
      if (columns != NULL)
        append_rows (text, db, columns);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (s);
  for (guint q = 0; q < G_N_ELEMENTS (rows); q++)
    append_rows (text, db, rows[q]);
  sqlite3_close (db);
  return g_string_free (text, FALSE);
}

/* A new history is made in one step (store_migrate()): it is the
 * history the migrations make, one version after another. */
static void
test_migration_new_as_migrated (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *migrated = g_build_filename (dir->dir, "migrated.db", NULL);
  g_autofree char *made = g_build_filename (dir->dir, "new.db", NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;

  for (guint v = 1; v <= WINNOW_STORE_SCHEMA_VERSION; v++)
    g_string_append_printf (sql, "BEGIN; %s PRAGMA user_version = %u; COMMIT;",
                            store_schema_migration (v), v);
  raw_exec (migrated, sql->str);
  store = winnow_task_store_new (made, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  want = describe_database (migrated);
  got = describe_database (made);
  g_assert_nonnull (strstr (want, "tasks_by_status_duration"));
  g_assert_cmpstr (got, ==, want);
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

/* ---- a file read as damaged that is not ----
 *
 * A VFS over the default one: while shim_garbles is not 0, a read of the
 * first page of a database opened for writing comes back with its header
 * garbled (SQLite says "not a database"), and shim_garbles counts down
 * (below 0: it stays). A connection opened read-only, as PRAGMA
 * quick_check's is, reads the file as it is. So looks a file read while
 * another program rewrote it, or a quick_check that met a lock. */

typedef struct {
  sqlite3_file base;
  sqlite3_file *real;
  gboolean garble;
} ShimFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static int shim_garbles;

#define REAL(file) (((ShimFile *) (file))->real)

static int
shim_close (sqlite3_file *file)
{
  int rc = REAL (file)->pMethods ? REAL (file)->pMethods->xClose (REAL (file)) : SQLITE_OK;

  sqlite3_free (REAL (file));
  return rc;
}

static int
shim_read (sqlite3_file *file, void *buf, int amount, sqlite3_int64 offset)
{
  int rc = REAL (file)->pMethods->xRead (REAL (file), buf, amount, offset);

  if (rc == SQLITE_OK && offset == 0 && amount >= 512 && ((ShimFile *) file)->garble &&
      g_atomic_int_get (&shim_garbles) != 0)
    {
      memset (buf, 'X', 16);
      if (g_atomic_int_get (&shim_garbles) > 0)
        g_atomic_int_add (&shim_garbles, -1);
    }
  return rc;
}

static int
shim_write (sqlite3_file *file, const void *buf, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xWrite (REAL (file), buf, amount, offset);
}

static int
shim_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
shim_sync (sqlite3_file *file, int flags)
{
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
shim_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
shim_lock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xLock (REAL (file), level);
}

static int
shim_unlock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), level);
}

static int
shim_check_reserved (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
shim_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
shim_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
shim_device (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
shim_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, size, extend, out);
}

static int
shim_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
shim_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
shim_shm_unmap (sqlite3_file *file, int delete)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete);
}

/* version 2: no xFetch, so that every read goes through shim_read */
static const sqlite3_io_methods shim_io = {
  2, shim_close, shim_read, shim_write, shim_truncate, shim_sync, shim_file_size, shim_lock,
  shim_unlock, shim_check_reserved, shim_file_control, shim_sector_size, shim_device,
  shim_shm_map, shim_shm_lock, shim_shm_barrier, shim_shm_unmap, NULL, NULL,
};

static int
shim_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  ShimFile *shim = (ShimFile *) file;
  int rc;

  shim->real = sqlite3_malloc (real_vfs->szOsFile);
  memset (shim->real, 0, real_vfs->szOsFile);
  shim->garble = (flags & SQLITE_OPEN_MAIN_DB) && (flags & SQLITE_OPEN_READWRITE);
  rc = real_vfs->xOpen (real_vfs, name, shim->real, flags, out_flags);
  file->pMethods = shim->real->pMethods ? &shim_io : NULL;
  return rc;
}

static void
shim_setup (WinnowTestDir *dir, gconstpointer data)
{
  winnow_test_dir_setup (dir, data);
  real_vfs = sqlite3_vfs_find (NULL);
  shim_vfs = *real_vfs;
  shim_vfs.zName = "winnow-test-garble";
  shim_vfs.szOsFile = sizeof (ShimFile);
  shim_vfs.xOpen = shim_open;
  shim_garbles = 0;
  g_assert_cmpint (sqlite3_vfs_register (&shim_vfs, 1), ==, SQLITE_OK);
}

static void
shim_teardown (WinnowTestDir *dir, gconstpointer data)
{
  sqlite3_vfs_unregister (&shim_vfs);
  sqlite3_vfs_register (real_vfs, 1);
  winnow_test_dir_teardown (dir, data);
}

/* No file named .damaged-… beside @path. */
static void
assert_nothing_moved (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_null (strstr (name, ".damaged-"));
}

/* A history read as damaged once, by a window's store (which moves a
 * damaged file aside and falls back to memory if it cannot open one):
 * quick_check finds it whole, and it is read again, not replaced by a
 * history in memory for the session. */
static void
test_unconfirmed_once (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "tasks.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (path, &error);
  g_autoptr(WinnowTask) task = NULL;

  g_assert_no_error (error);
  task = add (store, "kept.csv");
  g_clear_object (&store);
  g_clear_object (&task);

  g_atomic_int_set (&shim_garbles, 1);
  store = winnow_task_store_new_deferred (path, WINNOW_STORE_OPEN_REPLACE_DAMAGED |
                                                WINNOW_STORE_OPEN_FALLBACK_MEMORY);
  g_assert_true (winnow_task_store_open (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&shim_garbles), ==, 0);
  g_assert_cmpstr (winnow_task_store_get_path (store), ==, path);
  g_assert_null (winnow_task_store_get_problem (store));
  task = winnow_task_store_get (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (winnow_task_get_file_name (task), ==, "kept.csv");
  assert_nothing_moved (dir->dir);
}

/* Read as damaged on every try: the open fails, saying it is not
 * damaged; nothing is moved aside nor given up for memory, and the next
 * open, once it reads well, finds the tasks. */
static void
test_unconfirmed_always (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "tasks.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (path, &error);
  g_autoptr(WinnowTask) task = NULL;
  g_autofree char *check = NULL;

  g_assert_no_error (error);
  task = add (store, "kept.csv");
  g_clear_object (&store);
  g_clear_object (&task);

  g_atomic_int_set (&shim_garbles, -1);
  store = winnow_task_store_new_deferred (path, WINNOW_STORE_OPEN_REPLACE_DAMAGED |
                                                WINNOW_STORE_OPEN_FALLBACK_MEMORY);
  g_assert_false (winnow_task_store_open (store, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "it is not damaged, try again"));
  g_clear_error (&error);
  g_assert_cmpstr (winnow_task_store_get_path (store), ==, path);
  assert_nothing_moved (dir->dir);

  g_atomic_int_set (&shim_garbles, 0);
  g_assert_true (winnow_task_store_open (store, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (winnow_task_store_get_path (store), ==, path);
  task = winnow_task_store_get (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (winnow_task_get_file_name (task), ==, "kept.csv");
  check = winnow_task_store_check (store, &error);
  g_assert_cmpstr (check, ==, "ok");
}

/* An index that lacks its table's rows passes quick_check, yet every
 * write that touches such a row fails as corrupt: the history is damaged.
 * A call says so, rather than "try again" for ever, and an open that
 * meets it (recovery puts back an expired lease) moves it aside. */
static void
test_index_only (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "tasks.db", NULL);
  g_autofree char *check = NULL;
  g_autofree char *moved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (path, &error);
  g_autoptr(WinnowTask) a = NULL;
  g_autoptr(WinnowTask) b = NULL;
  g_autoptr(WinnowTask) claimed = NULL;

  g_assert_no_error (error);
  a = add (store, "a.csv");
  b = add (store, "b.csv");
  claimed = winnow_task_store_claim (store, "dead-worker", WINNOW_LEASE_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (a));
  g_clear_object (&store);

  /* the index now claims to hold file names where it holds times */
  raw_exec (path, "PRAGMA writable_schema = ON;"
                  "UPDATE sqlite_schema SET sql = replace (sql, 'status, id, created_at',"
                  "                                        'status, id, file_name')"
                  " WHERE name = 'tasks_by_status_id';");
  store = winnow_task_store_new (path, &error);
  g_assert_no_error (error);
  check = winnow_task_store_check (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (check, ==, "ok");

  g_assert_false (winnow_task_store_delete (store, winnow_task_get_id (b), &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  g_clear_object (&store);
  assert_nothing_moved (dir->dir);

  /* the dead worker's lease ran out: the open's recovery writes its row */
  raw_exec (path, "UPDATE tasks SET lease_expires_at = '2000-01-01T00:00:00.000Z'"
                  " WHERE lease_owner = 'dead-worker'");
  store = winnow_task_store_new_or_replace_damaged (path, &moved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_assert_nonnull (strstr (moved, ".damaged-"));
  g_clear_object (&a);
  a = add (store, "fresh.csv");
  g_assert_cmpint (winnow_task_get_id (a), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_DIR(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD_DIR ("/store/migration/empty-file", test_migration_empty);
  ADD_DIR ("/store/migration/new-as-migrated", test_migration_new_as_migrated);
  ADD_DIR ("/store/migration/from-v1", test_migration_v1);
  ADD_DIR ("/store/migration/from-v3", test_migration_v3);
  ADD_DIR ("/store/migration/too-new", test_migration_too_new);
  ADD_DIR ("/store/damaged", test_damaged);
  g_test_add ("/store/damaged/unconfirmed-once", WinnowTestDir, NULL, shim_setup,
              test_unconfirmed_once, shim_teardown);
  g_test_add ("/store/damaged/unconfirmed-always", WinnowTestDir, NULL, shim_setup,
              test_unconfirmed_always, shim_teardown);
  ADD_DIR ("/store/damaged/index-only", test_index_only);
  ADD_DIR ("/store/read-only", test_read_only);
  g_test_add_func ("/store/read-only/child", test_read_only_child);
#undef ADD
#undef ADD_DIR

  return g_test_run ();
}
