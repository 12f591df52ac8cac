/* winnow-task-store-schema.c: the schema, one migration per version.
 *
 * Version 1 is the schema of the web service Winnow grew out of: tasks and
 * task_results. Version 2 adds what the desktop's task list needs: the file
 * name, rows in and out and the duration on the task row (so that the list
 * sorts and filters on one table, through an index per sortable column),
 * cross-process cancel requests, and whether a task may replace an
 * existing output file. Version 3 serves the shared history: batch runs
 * with a lease of their own (runs, tasks.run_id), so that what a dead run
 * queued fails instead of waiting; a task count kept by triggers; and two
 * covering indexes per sort, with and without the status first, so that
 * every filter and sort is one index walk. Version 4 keeps a result as
 * JSON (a summary, the column profiles, the preview) instead of a column
 * per count, so that a new count needs no migration; the old columns are
 * folded into the summary under the names the engine's result uses.
 * Version 5 indexes the file names by their trigrams (an FTS5 table over
 * tasks.file_name, kept by triggers), so that a search of the list finds
 * the names holding three or more characters without reading every name.
 * Version 6 counts the names deleted or changed (task_count.names_changed,
 * by triggers), so that the store's copy of the names in memory, which
 * a shorter search reads, knows when new tasks are all it lacks.
 * Migrations run forward on open, each in its own transaction; a new
 * database is made at the current version in one (schema_current); a
 * database newer than this code is refused before anything is written to
 * it.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* The columns of version 1's tasks (later versions add theirs after them) */
#define TASKS_V1_COLUMNS \
  "  id INTEGER PRIMARY KEY AUTOINCREMENT," \
  "  input_path TEXT NOT NULL," \
  "  output_path TEXT NOT NULL," \
  "  status TEXT NOT NULL DEFAULT 'PENDING'" \
  "    CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'))," \
  "  recipe TEXT NOT NULL," \
  "  created_at TEXT NOT NULL," \
  "  started_at TEXT," \
  "  finished_at TEXT," \
  "  progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1)," \
  "  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0)," \
  "  error TEXT," \
  "  lease_owner TEXT," \
  "  lease_expires_at TEXT"

/* The columns of task_results from version 4 on */
#define RESULTS_V4_COLUMNS \
  "  task_id INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE," \
  "  summary TEXT NOT NULL," \
  "  columns TEXT NOT NULL," \
  "  preview TEXT NOT NULL"

/* Version 5's trigram index of the names, and the triggers that keep it */
#define TASK_NAMES \
  "CREATE VIRTUAL TABLE task_names USING fts5 (" \
  "  file_name, content = 'tasks', content_rowid = 'id', tokenize = 'trigram');" \
  "INSERT INTO task_names (task_names) VALUES ('rebuild');" \
  "CREATE TRIGGER tasks_names_insert AFTER INSERT ON tasks BEGIN" \
  "  INSERT INTO task_names (rowid, file_name) VALUES (new.id, new.file_name);" \
  "END;" \
  "CREATE TRIGGER tasks_names_delete AFTER DELETE ON tasks BEGIN" \
  "  INSERT INTO task_names (task_names, rowid, file_name)" \
  "    VALUES ('delete', old.id, old.file_name);" \
  "END;" \
  "CREATE TRIGGER tasks_names_update AFTER UPDATE OF file_name ON tasks BEGIN" \
  "  INSERT INTO task_names (task_names, rowid, file_name)" \
  "    VALUES ('delete', old.id, old.file_name);" \
  "  INSERT INTO task_names (rowid, file_name) VALUES (new.id, new.file_name);" \
  "END;"

static const char schema_v1[] =
  "CREATE TABLE tasks ("
  TASKS_V1_COLUMNS
  ");"
  "CREATE INDEX tasks_status ON tasks (status, created_at);"
  "CREATE TABLE task_results ("
  "  task_id INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,"
  "  rows_read INTEGER NOT NULL,"
  "  rows_written INTEGER NOT NULL,"
  "  duplicates_removed INTEGER NOT NULL,"
  "  missing_dropped INTEGER NOT NULL,"
  "  columns_dropped TEXT NOT NULL,"
  "  cells_filled TEXT NOT NULL,"
  "  bad_lines_skipped INTEGER NOT NULL,"
  "  bytes_in INTEGER NOT NULL,"
  "  bytes_out INTEGER NOT NULL,"
  "  elapsed REAL NOT NULL,"
  "  encoding TEXT NOT NULL,"
  "  delimiter TEXT NOT NULL,"
  "  warnings TEXT NOT NULL,"
  "  profile TEXT NOT NULL,"
  "  preview TEXT NOT NULL"
  ");";

static const char schema_v2[] =
  "ALTER TABLE tasks ADD COLUMN file_name TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE tasks ADD COLUMN rows_in INTEGER;"
  "ALTER TABLE tasks ADD COLUMN rows_out INTEGER;"
  "ALTER TABLE tasks ADD COLUMN duration REAL;"
  "ALTER TABLE tasks ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE tasks ADD COLUMN replace_output INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE task_results ADD COLUMN cells_filled_total INTEGER NOT NULL DEFAULT 0;"
  "UPDATE tasks SET file_name = winnow_basename (input_path);"
  "UPDATE tasks SET"
  "  rows_in = (SELECT rows_read FROM task_results WHERE task_id = tasks.id),"
  "  rows_out = (SELECT rows_written FROM task_results WHERE task_id = tasks.id)"
  "  WHERE status = 'COMPLETED';"
  "UPDATE tasks SET duration = (julianday (finished_at) - julianday (started_at)) * 86400"
  "  WHERE finished_at IS NOT NULL AND started_at IS NOT NULL;"
  "DROP INDEX tasks_status;"
  "CREATE INDEX tasks_status ON tasks (status, created_at, id);"
  "CREATE INDEX tasks_created ON tasks (created_at, id);"
  "CREATE INDEX tasks_file ON tasks (file_name COLLATE NOCASE, id);"
  "CREATE INDEX tasks_progress ON tasks (progress, id);"
  "CREATE INDEX tasks_rows_in ON tasks (rows_in, id);"
  "CREATE INDEX tasks_rows_out ON tasks (rows_out, id);"
  "CREATE INDEX tasks_duration ON tasks (duration, id);"
  "CREATE INDEX tasks_lease ON tasks (status, lease_expires_at);";

#define SORT_INDEXES(name, key) \
  "CREATE INDEX tasks_by_" name " ON tasks (" key ", id, created_at);" \
  "CREATE INDEX tasks_by_status_" name " ON tasks (status, " key ", id, created_at);"

/* Version 3's indexes of the list: a walk of one serves each filter and sort */
#define LIST_INDEXES \
  "CREATE INDEX tasks_by_created ON tasks (created_at, id);" \
  "CREATE INDEX tasks_by_status_created ON tasks (status, created_at, id);" \
  "CREATE INDEX tasks_by_status_id ON tasks (status, id, created_at);" \
  SORT_INDEXES ("file", "file_name COLLATE NOCASE") \
  SORT_INDEXES ("progress", "progress") \
  SORT_INDEXES ("rows_in", "coalesce (rows_in, -1)") \
  SORT_INDEXES ("rows_out", "coalesce (rows_out, -1)") \
  SORT_INDEXES ("duration", "coalesce (duration, -1)") \
  "CREATE INDEX tasks_by_run ON tasks (run_id, status) WHERE run_id IS NOT NULL;"

static const char schema_v3[] =
  "ALTER TABLE tasks ADD COLUMN run_id TEXT;"
  "CREATE TABLE runs ("
  "  id TEXT PRIMARY KEY,"
  "  lease_expires_at TEXT NOT NULL"
  ");"
  "CREATE TABLE task_count (n INTEGER NOT NULL);"
  "INSERT INTO task_count SELECT count(*) FROM tasks;"
  "CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks"
  "  BEGIN UPDATE task_count SET n = n + 1; END;"
  "CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks"
  "  BEGIN UPDATE task_count SET n = n - 1; END;"
  "DROP INDEX tasks_status;"
  "DROP INDEX tasks_created;"
  "DROP INDEX tasks_file;"
  "DROP INDEX tasks_progress;"
  "DROP INDEX tasks_rows_in;"
  "DROP INDEX tasks_rows_out;"
  "DROP INDEX tasks_duration;"
  LIST_INDEXES;

/* A stored list that is not valid JSON (a damaged or hand-edited
 * history) becomes an empty one rather than failing the migration. */
#define JSON_LIST(column) \
  "json (CASE WHEN json_valid (" column ") THEN " column " ELSE '[]' END)"

static const char schema_v4[] =
  "CREATE TABLE task_results_v4 ("
  RESULTS_V4_COLUMNS
  ");"
  "INSERT INTO task_results_v4 (task_id, summary, columns, preview)"
  "  SELECT task_id, json_object ("
  "    'rows_read', rows_read, 'rows_written', rows_written,"
  "    'duplicates_removed', duplicates_removed, 'missing_dropped', missing_dropped,"
  "    'cells_filled', cells_filled_total, 'bad_lines_skipped', bad_lines_skipped,"
  "    'columns_dropped', " JSON_LIST ("columns_dropped") ","
  "    'bytes_in', bytes_in, 'bytes_out', bytes_out, 'elapsed', elapsed,"
  "    'encoding', encoding, 'delimiter', delimiter,"
  "    'warnings', " JSON_LIST ("warnings") "),"
  "  profile, preview FROM task_results;"
  "DROP TABLE task_results;"
  "ALTER TABLE task_results_v4 RENAME TO task_results;";

static const char schema_v5[] =
  TASK_NAMES;

static const char schema_v6[] =
  "ALTER TABLE task_count ADD COLUMN names_changed INTEGER NOT NULL DEFAULT 0;"
  "DROP TRIGGER tasks_count_delete;"
  "CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks"
  "  BEGIN UPDATE task_count SET n = n - 1, names_changed = names_changed + 1; END;"
  "CREATE TRIGGER tasks_names_changed AFTER UPDATE OF file_name ON tasks"
  "  BEGIN UPDATE task_count SET names_changed = names_changed + 1; END;";

/* A new database gets the schema the six migrations leave, at once: the
 * same tables, columns in the same order, indexes, triggers and rows
 * (a test compares the two), in a third to a fifth of the time: a batch
 * run with --no-history makes a history in memory at every start, where
 * the migrations took 5-10 ms before the first file was opened. A change
 * of schema is a new migration and the same change here. */
static const char schema_current[] =
  "CREATE TABLE tasks ("
  TASKS_V1_COLUMNS ","
  "  file_name TEXT NOT NULL DEFAULT '',"
  "  rows_in INTEGER,"
  "  rows_out INTEGER,"
  "  duration REAL,"
  "  cancel_requested INTEGER NOT NULL DEFAULT 0,"
  "  replace_output INTEGER NOT NULL DEFAULT 0,"
  "  run_id TEXT"
  ");"
  "CREATE INDEX tasks_lease ON tasks (status, lease_expires_at);"
  "CREATE TABLE runs ("
  "  id TEXT PRIMARY KEY,"
  "  lease_expires_at TEXT NOT NULL"
  ");"
  "CREATE TABLE task_count (n INTEGER NOT NULL, names_changed INTEGER NOT NULL DEFAULT 0);"
  "INSERT INTO task_count (n, names_changed) VALUES (0, 0);"
  "CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks"
  "  BEGIN UPDATE task_count SET n = n + 1; END;"
  "CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks"
  "  BEGIN UPDATE task_count SET n = n - 1, names_changed = names_changed + 1; END;"
  "CREATE TRIGGER tasks_names_changed AFTER UPDATE OF file_name ON tasks"
  "  BEGIN UPDATE task_count SET names_changed = names_changed + 1; END;"
  LIST_INDEXES
  "CREATE TABLE task_results ("
  RESULTS_V4_COLUMNS
  ");"
  /* (the last from version 5 on) */
  TASK_NAMES;

static const char * const migrations[WINNOW_STORE_SCHEMA_VERSION] = {
  schema_v1, schema_v2, schema_v3, schema_v4, schema_v5, schema_v6,
};

/* The SQL that brings a database from @version - 1 to @version, for tests
 * that build an old database by hand. */
const char *
store_schema_migration (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= WINNOW_STORE_SCHEMA_VERSION, NULL);
  return migrations[version - 1];
}

static void
basename_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *path = (const char *) sqlite3_value_text (argv[0]);
  g_autofree char *name = path ? g_path_get_basename (path) : g_strdup ("");
  sqlite3_result_text (context, name, -1, SQLITE_TRANSIENT);
}

/* The SQL functions of migrations and queries, on every connection, and
 * the connection's sets of names found; NULL when its SQLite has no FTS5
 * (store_register_name_functions()). */
StoreNames *
store_register_functions (sqlite3 *db)
{
  sqlite3_create_function (db, "winnow_basename", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, basename_function, NULL, NULL);
  return store_register_name_functions (db);
}

static gint64
user_version (WinnowTaskStore *store, StoreConn *conn, GError **error)
{
  sqlite3_stmt *statement;
  int rc;
  gint64 version = -1;

  rc = sqlite3_prepare_v2 (conn->db, "PRAGMA user_version", -1, &statement, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (statement);
      if (rc == SQLITE_ROW)
        {
          version = sqlite3_column_int64 (statement, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (statement);
  if (rc != SQLITE_OK)
    store_fail (store, conn, rc, error);
  return version;
}

static gboolean
too_new (WinnowTaskStore *store, gint64 version, GError **error)
{
  g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_TOO_NEW,
               /* Translators: the database's file name, then two version numbers */
               _("the task database %s was made by a newer Winnow (schema version %lld; "
                 "this one knows up to %d); it was left untouched"),
               store->path, (long long) version, WINNOW_STORE_SCHEMA_VERSION);
  return FALSE;
}

/**
 * store_migrate:
 *
 * Brings the schema to WINNOW_STORE_SCHEMA_VERSION, one version at a time,
 * each step in a transaction of its own; a new database in one step. The
 * version is read again inside each transaction: two processes opening a
 * new database at once must not both run the same step.
 */
gboolean
store_migrate (WinnowTaskStore *store, StoreConn *conn, GError **error)
{
  gint64 version = user_version (store, conn, error);

  if (version < 0)
    return FALSE;
  if (version > WINNOW_STORE_SCHEMA_VERSION)
    return too_new (store, version, error);

  while (version < WINNOW_STORE_SCHEMA_VERSION)
    {
      g_autofree char *bump = NULL;
      gint64 target;

      if (!store_exec (store, conn, "BEGIN IMMEDIATE", error))
        return FALSE;
      version = user_version (store, conn, error);
      if (version < 0 || version > WINNOW_STORE_SCHEMA_VERSION)
        {
          store_exec (store, conn, "ROLLBACK", NULL);
          return version < 0 ? FALSE : too_new (store, version, error);
        }
      if (version == WINNOW_STORE_SCHEMA_VERSION)
        return store_exec (store, conn, "COMMIT", error);

      /* a new database: all the steps in one */
      target = version == 0 ? WINNOW_STORE_SCHEMA_VERSION : version + 1;
      g_debug ("migrating %s to schema version %" G_GINT64_FORMAT, store->path, target);
      bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, target);
      if (!store_exec (store, conn, version == 0 ? schema_current : migrations[version], error) ||
          !store_exec (store, conn, bump, error) ||
          !store_exec (store, conn, "COMMIT", error))
        {
          store_exec (store, conn, "ROLLBACK", NULL);
          return FALSE;
        }
      version = target;
    }
  return TRUE;
}
