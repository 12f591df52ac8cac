/* winnow-task-store.c: see winnow-task-store.h. Opening, errors and the
 * task lifecycle; the list queries are in winnow-task-store-query.c.
 *
 * Every change that takes more than one statement runs in a BEGIN
 * IMMEDIATE transaction, so that the write lock is taken up front and two
 * writers never deadlock on an upgrade. Every value goes through a bound
 * parameter.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

G_DEFINE_QUARK (winnow-store-error-quark, winnow_store_error)
G_DEFINE_FINAL_TYPE (WinnowTaskStore, winnow_task_store, G_TYPE_OBJECT)

#define DEFAULT_BUSY_TIMEOUT_MS 5000

/* ---- times ---- */

/**
 * winnow_store_format_time:
 * Returns: (transfer full): @time in UTC as ISO 8601 with milliseconds,
 *   "2026-11-29T04:03:10.123Z", which sorts as text in time order
 */
char *
winnow_store_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

GDateTime *
winnow_store_parse_time (const char *text)
{
  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static char *
now_plus (gint64 milliseconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add (now, milliseconds * 1000);
  return winnow_store_format_time (later);
}

/* ---- errors and statements ---- */

/* Turns a SQLite failure into an error a user can act on. Returns FALSE. */
gboolean
store_fail (WinnowTaskStore *store, int rc, GError **error)
{
  const char *detail = store->db ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                   /* Translators: %s is the database's file name */
                   _("the task database %s is locked by another program; try again when it "
                     "is done"), store->path);
      break;
    case SQLITE_FULL:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FULL,
                   /* Translators: %s is the database's file name */
                   _("the disk is full: the task database %s cannot grow; free some space"),
                   store->path);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_READ_ONLY,
                   /* Translators: the database's file name, then SQLite's reason */
                   _("the task database %s cannot be written (is the file or its folder "
                     "read-only?): %s"), store->path, detail);
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED,
                   /* Translators: %s is the database's file name */
                   _("%s is not a Winnow task database, or it is damaged"), store->path);
      break;
    default:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                   /* Translators: the database's file name, then SQLite's message */
                   _("task database %s: %s"), store->path, detail);
      break;
    }
  return FALSE;
}

gboolean
store_exec (WinnowTaskStore *store, const char *sql, GError **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK || store_fail (store, rc, error);
}

/* A cached prepared statement, reset and with its bindings cleared. */
sqlite3_stmt *
store_prepare (WinnowTaskStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *statement = g_hash_table_lookup (store->statements, sql);
  int rc;

  if (statement != NULL)
    {
      sqlite3_reset (statement);
      sqlite3_clear_bindings (statement);
      return statement;
    }
  rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL);
  if (rc != SQLITE_OK)
    {
      store_fail (store, rc, error);
      return NULL;
    }
  g_hash_table_insert (store->statements, g_strdup (sql), statement);
  return statement;
}

static gboolean
step_done (WinnowTaskStore *store, sqlite3_stmt *statement, GError **error)
{
  int rc = sqlite3_step (statement);
  sqlite3_reset (statement);
  return rc == SQLITE_DONE || store_fail (store, rc, error);
}

static void
bind_text (sqlite3_stmt *statement, int index, const char *text)
{
  sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *statement, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, column));
}

/* Task ids as a JSON list, bound to one parameter and read back with
 * json_each(): a list of any length in one prepared statement. */
char *
store_ids_json (GArray *ids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* Reads TASK_COLUMNS from the current row. */
WinnowTask *
store_read_task (sqlite3_stmt *statement)
{
  WinnowTask *task = winnow_task_new (sqlite3_column_int64 (statement, 0));
  WinnowTaskStatus status = WINNOW_TASK_PENDING;
  g_autoptr(GDateTime) created = winnow_store_parse_time ((const char *) sqlite3_column_text (statement, 5));
  g_autoptr(GDateTime) started = winnow_store_parse_time ((const char *) sqlite3_column_text (statement, 6));
  g_autoptr(GDateTime) finished = winnow_store_parse_time ((const char *) sqlite3_column_text (statement, 7));

  winnow_task_status_from_string ((const char *) sqlite3_column_text (statement, 3), &status);
  winnow_task_set_input_path (task, (const char *) sqlite3_column_text (statement, 1));
  winnow_task_set_output_path (task, (const char *) sqlite3_column_text (statement, 2));
  winnow_task_set_status (task, status);
  winnow_task_set_recipe (task, (const char *) sqlite3_column_text (statement, 4));
  winnow_task_set_created (task, created);
  winnow_task_set_started (task, started);
  winnow_task_set_finished (task, finished);
  winnow_task_set_progress (task, sqlite3_column_double (statement, 8));
  winnow_task_set_attempts (task, (guint) sqlite3_column_int (statement, 9));
  winnow_task_set_error (task, (const char *) sqlite3_column_text (statement, 10));
  winnow_task_set_lease_owner (task, (const char *) sqlite3_column_text (statement, 11));
  winnow_task_set_rows (task,
                        sqlite3_column_type (statement, 12) == SQLITE_NULL ? -1 : sqlite3_column_int64 (statement, 12),
                        sqlite3_column_type (statement, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64 (statement, 13));
  winnow_task_set_duration (task, sqlite3_column_type (statement, 14) == SQLITE_NULL
                                    ? -1 : sqlite3_column_double (statement, 14));
  winnow_task_set_replace_output (task, sqlite3_column_int (statement, 15) != 0);
  return task;
}

/* ---- the object ---- */

static void
winnow_task_store_finalize (GObject *object)
{
  WinnowTaskStore *self = WINNOW_TASK_STORE (object);

  g_hash_table_unref (self->statements);  /* finalizes the statements */
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);

  G_OBJECT_CLASS (winnow_task_store_parent_class)->finalize (object);
}

static void
winnow_task_store_class_init (WinnowTaskStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = winnow_task_store_finalize;
}

static void
finalize_statement (gpointer statement)
{
  sqlite3_finalize (statement);
}

static void
winnow_task_store_init (WinnowTaskStore *self)
{
  g_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

/**
 * winnow_task_store_default_path:
 *
 * Returns: (transfer full): `$WINNOW_DB`, or
 *   `$XDG_DATA_HOME/io.github.winnow.Winnow/winnow.db`
 */
char *
winnow_task_store_default_path (void)
{
  const char *env = g_getenv ("WINNOW_DB");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), APP_ID, "winnow.db", NULL);
}

/**
 * winnow_task_store_sqlite_version:
 *
 * Returns: (transfer none): the version of the SQLite library in use (not
 *   the one compiled against), for the troubleshooting information: the
 *   rest of the app does not include sqlite3.h.
 */
const char *
winnow_task_store_sqlite_version (void)
{
  return sqlite3_libversion ();
}

/* A symbolic link to a database that exists is followed (the history can
 * live elsewhere); a link to nothing is refused: SQLite would create its
 * target, wherever it points, and the history is no business of a file
 * Winnow did not make. */
static gboolean
refuse_dangling_link (WinnowTaskStore *store, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  struct stat st;

  if (lstat (store->path, &st) != 0 || !S_ISLNK (st.st_mode) ||
      stat (store->path, &st) == 0 || errno != ENOENT)
    return TRUE;
  target = g_file_read_link (store->path, NULL);
  name = g_filename_display_name (store->path);
  shown = g_filename_display_name (target ? target : "?");
  g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
               /* Translators: the database's file name, then where its link points */
               _("%s is a symbolic link to %s, which does not exist; Winnow does not create "
                 "the task database through a link"), name, shown);
  return FALSE;
}

static gboolean
open_database (WinnowTaskStore *store, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (store->path);
  int rc;

  if (!g_str_equal (store->path, ":memory:") && !refuse_dangling_link (store, error))
    return FALSE;

  if (!g_str_equal (store->path, ":memory:") && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_READ_ONLY,
                   /* Translators: a folder, then the system's reason */
                   _("cannot create the folder %s for the task database: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  rc = sqlite3_open_v2 (store->path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    return store_fail (store, rc, error);
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, DEFAULT_BUSY_TIMEOUT_MS);

  /* store_migrate() reads the version first: a file that is not a
   * database, or is newer than this code, is refused untouched. */
  return store_exec (store, "PRAGMA foreign_keys = ON", error) &&
         store_migrate (store, error) &&
         store_exec (store, "PRAGMA journal_mode = WAL", error) &&
         store_exec (store, "PRAGMA synchronous = NORMAL", error) &&
         winnow_task_store_recover_expired (store, error) != G_MAXUINT;
}

/**
 * winnow_task_store_new:
 * @path: (nullable): the database file, ":memory:" for a private one, or
 *   %NULL for winnow_task_store_default_path()
 *
 * Opens (and creates, or migrates) the task database, and puts back to
 * PENDING the tasks of workers whose lease ran out.
 *
 * Returns: (transfer full): the store, or %NULL with a WINNOW_STORE_ERROR
 */
WinnowTaskStore *
winnow_task_store_new (const char *path, GError **error)
{
  g_autoptr(WinnowTaskStore) store = g_object_new (WINNOW_TYPE_TASK_STORE, NULL);

  store->path = path ? g_strdup (path) : winnow_task_store_default_path ();
  if (!open_database (store, error))
    return NULL;
  g_debug ("opened the task database %s", store->path);
  return g_steal_pointer (&store);
}

/**
 * winnow_task_store_new_or_replace_damaged:
 * @moved_to: (out) (optional): where a damaged file was moved, or %NULL
 *
 * As winnow_task_store_new(), but a damaged database is renamed with a
 * time stamp (its WAL files too) and a fresh one is started; the caller
 * tells the user where the old one went.
 */
WinnowTaskStore *
winnow_task_store_new_or_replace_damaged (const char *path, char **moved_to, GError **error)
{
  g_autofree char *file = path ? g_strdup (path) : winnow_task_store_default_path ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *target = NULL;
  WinnowTaskStore *store;

  if (moved_to)
    *moved_to = NULL;
  store = winnow_task_store_new (file, &local_error);
  if (store != NULL)
    return store;
  if (!g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  target = g_strdup_printf ("%s.damaged-%s", file, stamp);
  if (g_rename (file, target) != 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED,
                   /* Translators: the database's file name, then the system's reason */
                   _("%s is damaged, and could not be moved aside: %s"), file, g_strerror (saved));
      return NULL;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i ? "-shm" : "-wal";
      g_autofree char *from = g_strconcat (file, suffix, NULL);
      g_autofree char *to = g_strconcat (target, suffix, NULL);
      g_rename (from, to);
    }
  g_debug ("the damaged task database was moved to %s", target);
  if (moved_to)
    *moved_to = g_steal_pointer (&target);
  return winnow_task_store_new (file, error);
}

const char *
winnow_task_store_get_path (WinnowTaskStore *store)
{
  return store->path;
}

/* How long a call waits for another program's lock before failing with
 * WINNOW_STORE_ERROR_BUSY. */
void
winnow_task_store_set_busy_timeout (WinnowTaskStore *store, guint milliseconds)
{
  g_mutex_lock (&store->lock);
  sqlite3_busy_timeout (store->db, (int) milliseconds);
  g_mutex_unlock (&store->lock);
}

/* ---- lifecycle ---- */

#define LOCK(store) g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(store)->lock)

static WinnowTask *
get_locked (WinnowTaskStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *s = store_prepare (store,
    "SELECT " TASK_COLUMNS ", r.rows_read, r.rows_written, r.duplicates_removed, "
    "r.missing_dropped, r.bad_lines_skipped, r.cells_filled_total, r.bytes_in, r.bytes_out, "
    "r.elapsed, r.encoding, r.delimiter, r.columns_dropped, r.cells_filled, r.warnings, "
    "r.profile, r.preview, r.task_id "
    "FROM tasks LEFT JOIN task_results r ON r.task_id = tasks.id WHERE tasks.id = ?", error);
  WinnowTask *task;
  int rc;

  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (s);
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND,
                   /* Translators: %lld is a task's number */
                   _("there is no task %lld"), (long long) id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      store_fail (store, rc, error);
      sqlite3_reset (s);
      return NULL;
    }
  task = store_read_task (s);
  if (sqlite3_column_type (s, 32) != SQLITE_NULL)
    {
      g_autoptr(WinnowTaskResult) r = g_new0 (WinnowTaskResult, 1);
      r->rows_read = sqlite3_column_int64 (s, 16);
      r->rows_written = sqlite3_column_int64 (s, 17);
      r->duplicates_removed = sqlite3_column_int64 (s, 18);
      r->missing_dropped = sqlite3_column_int64 (s, 19);
      r->bad_lines_skipped = sqlite3_column_int64 (s, 20);
      r->cells_filled = sqlite3_column_int64 (s, 21);
      r->bytes_in = sqlite3_column_int64 (s, 22);
      r->bytes_out = sqlite3_column_int64 (s, 23);
      r->elapsed = sqlite3_column_double (s, 24);
      r->encoding = column_text (s, 25);
      r->delimiter = column_text (s, 26);
      r->columns_dropped = column_text (s, 27);
      r->fills = column_text (s, 28);
      r->warnings = column_text (s, 29);
      r->profile = column_text (s, 30);
      r->preview = column_text (s, 31);
      winnow_task_set_result (task, r);
    }
  sqlite3_reset (s);
  return task;
}

/**
 * winnow_task_store_get:
 * Returns: (transfer full): task @id with its result, if it has one
 */
WinnowTask *
winnow_task_store_get (WinnowTaskStore *store, gint64 id, GError **error)
{
  LOCK (store);
  return get_locked (store, id, error);
}

/**
 * winnow_task_store_add:
 *
 * Adds a PENDING task.
 *
 * Returns: (transfer full): the new task
 */
WinnowTask *
winnow_task_store_add (WinnowTaskStore *store, const char *input_path, const char *output_path,
                       const char *recipe_json, gboolean replace_output, GError **error)
{
  g_autofree char *now = now_plus (0);
  g_autofree char *name = g_path_get_basename (input_path);
  sqlite3_stmt *s;
  WinnowTask *task = NULL;
  int rc;
  LOCK (store);

  s = store_prepare (store,
    "INSERT INTO tasks (input_path, output_path, file_name, status, recipe, created_at,"
    "  replace_output) VALUES (?, ?, ?, 'PENDING', ?, ?, ?) RETURNING " TASK_COLUMNS, error);
  if (s == NULL)
    return NULL;
  bind_text (s, 1, input_path);
  bind_text (s, 2, output_path);
  bind_text (s, 3, name);
  bind_text (s, 4, recipe_json);
  bind_text (s, 5, now);
  sqlite3_bind_int (s, 6, replace_output ? 1 : 0);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      task = store_read_task (s);
      rc = sqlite3_step (s);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      g_clear_object (&task);
      store_fail (store, rc, error);
      return NULL;
    }
  g_debug ("task %" G_GINT64_FORMAT " added: %s", winnow_task_get_id (task), input_path);
  return task;
}

/* Under the lock, inside a transaction: PROCESSING tasks whose lease ran
 * out go back to PENDING (or to CANCELLED, if a cancel was asked for). */
static gint64
recover_locked (WinnowTaskStore *store, GError **error)
{
  g_autofree char *now = now_plus (0);
  sqlite3_stmt *s = store_prepare (store,
    "UPDATE tasks SET "
    "  status = CASE WHEN cancel_requested THEN 'CANCELLED' ELSE 'PENDING' END,"
    "  finished_at = CASE WHEN cancel_requested THEN ?1 ELSE NULL END,"
    "  started_at = CASE WHEN cancel_requested THEN started_at ELSE NULL END,"
    "  progress = 0, lease_owner = NULL, lease_expires_at = NULL "
    "WHERE status = 'PROCESSING' AND lease_expires_at < ?1", error);

  if (s == NULL)
    return -1;
  bind_text (s, 1, now);
  if (!step_done (store, s, error))
    return -1;
  return sqlite3_changes (store->db);
}

static gboolean
begin (WinnowTaskStore *store, GError **error)
{
  return store_exec (store, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (WinnowTaskStore *store, gboolean ok, GError **error)
{
  if (ok)
    return store_exec (store, "COMMIT", error);
  store_exec (store, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * winnow_task_store_recover_expired:
 *
 * Returns: how many tasks went back to PENDING (or CANCELLED), or
 *   G_MAXUINT on error
 */
guint
winnow_task_store_recover_expired (WinnowTaskStore *store, GError **error)
{
  gint64 n;
  LOCK (store);

  if (!begin (store, error))
    return G_MAXUINT;
  n = recover_locked (store, error);
  if (!commit (store, n >= 0, error))
    return G_MAXUINT;
  if (n > 0)
    g_debug ("%" G_GINT64_FORMAT " task(s) of workers that stopped went back to the queue", n);
  return (guint) n;
}

/**
 * winnow_task_store_claim:
 * @owner: who claims (unique per worker)
 * @lease_ms: how long the claim holds without renewal
 *
 * Takes the oldest PENDING task, in one statement, so that no two
 * workers (threads or processes) ever get the same task. Tasks whose lease
 * ran out are put back first.
 *
 * @only: (nullable) (element-type gint64): claim only among these task
 *   ids (a batch run takes its own tasks, not the desktop's queue)
 *
 * Returns: (transfer full) (nullable): the task, now PROCESSING, or %NULL
 *   when there is none (@error unset) or on error
 */
WinnowTask *
winnow_task_store_claim (WinnowTaskStore *store, const char *owner, gint64 lease_ms,
                         GArray *only, GError **error)
{
  g_autofree char *now = now_plus (0);
  g_autofree char *expiry = now_plus (lease_ms);
  sqlite3_stmt *s;
  WinnowTask *task = NULL;
  int rc = SQLITE_DONE;
  LOCK (store);

  if (!begin (store, error))
    return NULL;
  if (recover_locked (store, error) < 0)
    {
      commit (store, FALSE, NULL);
      return NULL;
    }
  s = store_prepare (store, only == NULL
    ? "UPDATE tasks SET status = 'PROCESSING', started_at = ?1, finished_at = NULL, progress = 0,"
      "  error = NULL, lease_owner = ?2, lease_expires_at = ?3, cancel_requested = 0,"
      "  rows_in = NULL, rows_out = NULL, duration = NULL "
      "WHERE id = (SELECT id FROM tasks WHERE status = 'PENDING' ORDER BY created_at, id LIMIT 1) "
      "RETURNING " TASK_COLUMNS
    : "UPDATE tasks SET status = 'PROCESSING', started_at = ?1, finished_at = NULL, progress = 0,"
      "  error = NULL, lease_owner = ?2, lease_expires_at = ?3, cancel_requested = 0,"
      "  rows_in = NULL, rows_out = NULL, duration = NULL "
      "WHERE id = (SELECT id FROM tasks WHERE status = 'PENDING'"
      "  AND id IN (SELECT value FROM json_each (?4)) ORDER BY created_at, id LIMIT 1) "
      "RETURNING " TASK_COLUMNS, error);
  if (s != NULL)
    {
      bind_text (s, 1, now);
      bind_text (s, 2, owner);
      bind_text (s, 3, expiry);
      if (only != NULL)
        sqlite3_bind_text (s, 4, store_ids_json (only), -1, g_free);
      rc = sqlite3_step (s);
      if (rc == SQLITE_ROW)
        {
          task = store_read_task (s);
          rc = sqlite3_step (s);
        }
      sqlite3_reset (s);
    }
  if (s == NULL || rc != SQLITE_DONE)
    {
      if (s != NULL)
        store_fail (store, rc, error);
      g_clear_object (&task);
      commit (store, FALSE, NULL);
      return NULL;
    }
  if (!commit (store, TRUE, error))
    {
      g_clear_object (&task);
      return NULL;
    }
  if (task != NULL)
    g_debug ("task %" G_GINT64_FORMAT " claimed by %s", winnow_task_get_id (task), owner);
  return task;
}

/* Why did an update that needs task @id held by @owner change nothing? */
static gboolean
explain_not_held (WinnowTaskStore *store, gint64 id, const char *owner, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WinnowTask) task = get_locked (store, id, &local_error);

  if (task == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (winnow_task_get_status (task) != WINNOW_TASK_PROCESSING)
    g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE,
                 /* Translators: a task's number, then its status as the database
                  * stores it (such as COMPLETED) */
                 _("task %lld is %s, not processing"), (long long) id,
                 winnow_task_status_to_string (winnow_task_get_status (task)));
  else
    g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_LEASE_LOST,
                 /* Translators: a task's number, then the process that had taken it,
                  * such as host:1234:89abcdef/1 */
                 _("task %lld is no longer held by %s"), (long long) id, owner);
  return FALSE;
}

/**
 * winnow_task_store_renew_lease:
 * @cancel_requested: (out) (optional): set when a cancel was asked for
 *   (by this process or another)
 */
gboolean
winnow_task_store_renew_lease (WinnowTaskStore *store, gint64 id, const char *owner,
                               gint64 lease_ms, gboolean *cancel_requested, GError **error)
{
  g_autofree char *expiry = now_plus (lease_ms);
  sqlite3_stmt *s;
  int rc;
  LOCK (store);

  s = store_prepare (store,
    "UPDATE tasks SET lease_expires_at = ? "
    "WHERE id = ? AND lease_owner = ? AND status = 'PROCESSING' RETURNING cancel_requested",
    error);
  if (s == NULL)
    return FALSE;
  bind_text (s, 1, expiry);
  sqlite3_bind_int64 (s, 2, id);
  bind_text (s, 3, owner);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      if (cancel_requested)
        *cancel_requested = sqlite3_column_int (s, 0) != 0;
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      return rc == SQLITE_DONE || store_fail (store, rc, error);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return store_fail (store, rc, error);
  return explain_not_held (store, id, owner, error);
}

gboolean
winnow_task_store_set_progress (WinnowTaskStore *store, gint64 id, const char *owner,
                                double progress, GError **error)
{
  sqlite3_stmt *s;
  LOCK (store);

  s = store_prepare (store,
    "UPDATE tasks SET progress = ? WHERE id = ? AND lease_owner = ? AND status = 'PROCESSING'",
    error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_double (s, 1, CLAMP (progress, 0.0, 1.0));
  sqlite3_bind_int64 (s, 2, id);
  bind_text (s, 3, owner);
  if (!step_done (store, s, error))
    return FALSE;
  return sqlite3_changes (store->db) > 0 || explain_not_held (store, id, owner, error);
}

/* Moves a task @owner holds to a final status. */
static gboolean
finish_locked (WinnowTaskStore *store, gint64 id, const char *owner, const char *status,
               const char *message, const WinnowTaskResult *result, GError **error)
{
  g_autofree char *now = now_plus (0);
  sqlite3_stmt *s = store_prepare (store,
    "UPDATE tasks SET status = ?1, finished_at = ?2, error = ?3,"
    "  progress = CASE WHEN ?1 = 'COMPLETED' THEN 1 ELSE progress END,"
    "  duration = (julianday (?2) - julianday (started_at)) * 86400,"
    "  rows_in = ?4, rows_out = ?5, lease_owner = NULL, lease_expires_at = NULL "
    "WHERE id = ?6 AND lease_owner = ?7 AND status = 'PROCESSING'", error);

  if (s == NULL)
    return FALSE;
  bind_text (s, 1, status);
  bind_text (s, 2, now);
  bind_text (s, 3, message);
  if (result)
    {
      sqlite3_bind_int64 (s, 4, result->rows_read);
      sqlite3_bind_int64 (s, 5, result->rows_written);
    }
  sqlite3_bind_int64 (s, 6, id);
  bind_text (s, 7, owner);
  if (!step_done (store, s, error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    return explain_not_held (store, id, owner, error);
  g_debug ("task %" G_GINT64_FORMAT " %s", id, status);
  return TRUE;
}

static gboolean
insert_result (WinnowTaskStore *store, gint64 id, const WinnowTaskResult *r, GError **error)
{
  sqlite3_stmt *s = store_prepare (store,
    "INSERT OR REPLACE INTO task_results (task_id, rows_read, rows_written, duplicates_removed,"
    "  missing_dropped, columns_dropped, cells_filled, bad_lines_skipped, bytes_in, bytes_out,"
    "  elapsed, encoding, delimiter, warnings, profile, preview, cells_filled_total) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  sqlite3_bind_int64 (s, 2, r->rows_read);
  sqlite3_bind_int64 (s, 3, r->rows_written);
  sqlite3_bind_int64 (s, 4, r->duplicates_removed);
  sqlite3_bind_int64 (s, 5, r->missing_dropped);
  bind_text (s, 6, r->columns_dropped);
  bind_text (s, 7, r->fills);
  sqlite3_bind_int64 (s, 8, r->bad_lines_skipped);
  sqlite3_bind_int64 (s, 9, r->bytes_in);
  sqlite3_bind_int64 (s, 10, r->bytes_out);
  sqlite3_bind_double (s, 11, r->elapsed);
  bind_text (s, 12, r->encoding);
  bind_text (s, 13, r->delimiter);
  bind_text (s, 14, r->warnings);
  bind_text (s, 15, r->profile);
  bind_text (s, 16, r->preview);
  sqlite3_bind_int64 (s, 17, r->cells_filled);
  return step_done (store, s, error);
}

/* COMPLETED, with its result; only by the worker holding the task. */
gboolean
winnow_task_store_complete (WinnowTaskStore *store, gint64 id, const char *owner,
                            const WinnowTaskResult *result, GError **error)
{
  gboolean ok;
  LOCK (store);

  if (!begin (store, error))
    return FALSE;
  ok = finish_locked (store, id, owner, "COMPLETED", NULL, result, error) &&
       insert_result (store, id, result, error);
  return commit (store, ok, error);
}

/* FAILED, with the message a user reads. */
gboolean
winnow_task_store_fail (WinnowTaskStore *store, gint64 id, const char *owner,
                        const char *message, GError **error)
{
  LOCK (store);
  return finish_locked (store, id, owner, "FAILED", message, NULL, error);
}

/* CANCELLED: the worker stopped it after a cancel. */
gboolean
winnow_task_store_finish_cancelled (WinnowTaskStore *store, gint64 id, const char *owner,
                                    GError **error)
{
  LOCK (store);
  return finish_locked (store, id, owner, "CANCELLED", NULL, NULL, error);
}

/* Back to PENDING: the worker stops without finishing (its process is
 * shutting down), so another worker may take the task at once. */
gboolean
winnow_task_store_release (WinnowTaskStore *store, gint64 id, const char *owner, GError **error)
{
  sqlite3_stmt *s;
  LOCK (store);

  s = store_prepare (store,
    "UPDATE tasks SET status = 'PENDING', started_at = NULL, progress = 0, lease_owner = NULL,"
    "  lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'PROCESSING'", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  bind_text (s, 2, owner);
  if (!step_done (store, s, error))
    return FALSE;
  return sqlite3_changes (store->db) > 0 || explain_not_held (store, id, owner, error);
}

static gboolean
state_error (GError **error, gint64 id, WinnowTaskStatus status, const char *what)
{
  g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE,
               /* Translators: a task's number, its status as the database stores it
                * (such as COMPLETED), then why the change is refused */
               _("task %lld is %s: %s"), (long long) id, winnow_task_status_to_string (status),
               what);
  return FALSE;
}

/**
 * winnow_task_store_cancel:
 *
 * A PENDING task becomes CANCELLED at once. For a PROCESSING task the
 * cancel is recorded, and the worker holding it (in this process or
 * another) stops it at its next lease renewal and finishes it CANCELLED.
 */
gboolean
winnow_task_store_cancel (WinnowTaskStore *store, gint64 id, GError **error)
{
  g_autofree char *now = now_plus (0);
  g_autoptr(WinnowTask) task = NULL;
  sqlite3_stmt *s;
  gboolean ok = FALSE;
  LOCK (store);

  if (!begin (store, error))
    return FALSE;
  task = get_locked (store, id, error);
  if (task == NULL)
    return commit (store, FALSE, NULL);

  switch (winnow_task_get_status (task))
    {
    case WINNOW_TASK_PENDING:
      s = store_prepare (store,
        "UPDATE tasks SET status = 'CANCELLED', finished_at = ? WHERE id = ?", error);
      if (s != NULL)
        {
          bind_text (s, 1, now);
          sqlite3_bind_int64 (s, 2, id);
          ok = step_done (store, s, error);
        }
      break;
    case WINNOW_TASK_PROCESSING:
      s = store_prepare (store, "UPDATE tasks SET cancel_requested = 1 WHERE id = ?", error);
      if (s != NULL)
        {
          sqlite3_bind_int64 (s, 1, id);
          ok = step_done (store, s, error);
        }
      break;
    case WINNOW_TASK_COMPLETED:
    case WINNOW_TASK_FAILED:
    case WINNOW_TASK_CANCELLED:
    default:
      state_error (error, id, winnow_task_get_status (task), _("it has already finished"));
      break;
    }
  if (ok)
    g_debug ("task %" G_GINT64_FORMAT " cancel requested", id);
  return commit (store, ok, error);
}

/* FAILED or CANCELLED back to PENDING, with one more attempt. */
gboolean
winnow_task_store_retry (WinnowTaskStore *store, gint64 id, GError **error)
{
  g_autoptr(WinnowTask) task = NULL;
  sqlite3_stmt *s;
  gboolean ok = FALSE;
  LOCK (store);

  if (!begin (store, error))
    return FALSE;
  task = get_locked (store, id, error);
  if (task == NULL)
    return commit (store, FALSE, NULL);
  if (winnow_task_get_status (task) != WINNOW_TASK_FAILED &&
      winnow_task_get_status (task) != WINNOW_TASK_CANCELLED)
    {
      state_error (error, id, winnow_task_get_status (task),
                   _("only a failed or cancelled task can be retried"));
      return commit (store, FALSE, NULL);
    }
  s = store_prepare (store,
    "UPDATE tasks SET status = 'PENDING', attempts = attempts + 1, error = NULL,"
    "  started_at = NULL, finished_at = NULL, progress = 0, rows_in = NULL, rows_out = NULL,"
    "  duration = NULL, cancel_requested = 0 WHERE id = ?", error);
  if (s != NULL)
    {
      sqlite3_bind_int64 (s, 1, id);
      ok = step_done (store, s, error);
    }
  if (ok)
    {
      s = store_prepare (store, "DELETE FROM task_results WHERE task_id = ?", error);
      ok = s != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (s, 1, id);
          ok = step_done (store, s, error);
        }
    }
  if (ok)
    g_debug ("task %" G_GINT64_FORMAT " back to pending for another attempt", id);
  return commit (store, ok, error);
}

/* Removes a task that is not running, with its result. */
gboolean
winnow_task_store_delete (WinnowTaskStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *s;
  LOCK (store);

  s = store_prepare (store,
    "DELETE FROM tasks WHERE id = ? AND status != 'PROCESSING' RETURNING id", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      int rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc != SQLITE_DONE)
        return store_fail (store, rc, error);
      g_debug ("task %" G_GINT64_FORMAT " deleted", id);
      return TRUE;
    }
  sqlite3_reset (s);
  {
    g_autoptr(WinnowTask) task = get_locked (store, id, error);
    if (task == NULL)
      return FALSE;
    return state_error (error, id, winnow_task_get_status (task),
                        _("cancel it before deleting it"));
  }
}

/* Deletes every finished task (the history); returns how many, or -1. */
gint64
winnow_task_store_clear_finished (WinnowTaskStore *store, GError **error)
{
  sqlite3_stmt *s;
  LOCK (store);

  s = store_prepare (store,
    "DELETE FROM tasks WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED')", error);
  if (s == NULL || !step_done (store, s, error))
    return -1;
  return sqlite3_changes64 (store->db);
}

/**
 * winnow_task_store_check:
 * Returns: (transfer full): what PRAGMA quick_check says: "ok", or its
 *   findings, one per line
 */
char *
winnow_task_store_check (WinnowTaskStore *store, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *s;
  int rc;
  LOCK (store);

  s = store_prepare (store, "PRAGMA quick_check", error);
  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      store_fail (store, rc, error);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
