/* winnow-task-store.c: see winnow-task-store.h. The object, opening, the
 * connection pool and the runner that retries a busy history; the task
 * lifecycle is in winnow-task-store-tasks.c, the list's queries in
 * winnow-task-store-query.c, the schema in winnow-task-store-schema.c.
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

/* The longest pause between two tries of a busy call. */
#define MAX_BACKOFF_MS 100

static GThread *forbidden_thread;     /* atomic */
static GPrivate thread_patience;      /* GUINT_TO_POINTER (milliseconds) */
static GPrivate thread_wait_flag;     /* gint * */

/* ---- times ---- */

/**
 * winnow_store_format_time:
 * Returns: (transfer full): @time in UTC as ISO 8601 with milliseconds,
 *   "2026-11-29T04:03:10.123Z", which sorts as text in time order
 */
char *
winnow_store_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  utc = g_date_time_to_utc (time);
  seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

GDateTime *
winnow_store_parse_time (const char *text)
{
  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* Now plus @plus_ms, as the store writes times. */
char *
store_now (gint64 plus_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add (now, plus_ms * 1000);
  return winnow_store_format_time (later);
}

/* ---- threads ---- */

/**
 * winnow_task_store_forbid_thread:
 * @thread: (nullable): the thread that draws, or %NULL
 *
 * In builds with checks (debug and debugoptimized), every store call made
 * on @thread aborts with a message naming the call: the window's main
 * thread must never wait on SQLite. The application sets it at start-up.
 */
void
winnow_task_store_forbid_thread (GThread *thread)
{
  g_atomic_pointer_set (&forbidden_thread, thread);
}

static void
check_thread (const char *caller)
{
#ifdef WINNOW_ENABLE_CHECKS
  if (G_UNLIKELY (g_atomic_pointer_get (&forbidden_thread) == (gpointer) g_thread_self ()))
    g_error ("%s was called on the thread that draws; the history is used off it", caller);
#else
  (void) caller;
#endif
}

/**
 * winnow_task_store_watch_waits:
 * @flag: (nullable): raised (set to 1) whenever a store call made on this
 *   thread waits for another connection's lock; %NULL to stop
 *
 * Lets a face tell "slow" from "busy" while its call runs on a thread.
 */
void
winnow_task_store_watch_waits (gint *flag)
{
  g_private_set (&thread_wait_flag, flag);
}

/**
 * winnow_task_store_set_thread_patience:
 * @milliseconds: how long calls made on this thread wait for a lock; 0
 *   for the store's own patience
 *
 * The scheduler's bookkeeping thread waits briefly and tries again at its
 * next round, rather than holding up every other duty behind one lock.
 */
void
winnow_task_store_set_thread_patience (guint milliseconds)
{
  g_private_set (&thread_patience, GUINT_TO_POINTER (milliseconds));
}

/* ---- errors and statements ---- */

/* Turns a SQLite failure into an error a user can act on. Returns FALSE. */
gboolean
store_fail (WinnowTaskStore *store, StoreConn *conn, int rc, GError **error)
{
  const char *detail = conn && conn->db ? sqlite3_errmsg (conn->db) : sqlite3_errstr (rc);
  int system_errno = conn && conn->db ? sqlite3_system_errno (conn->db) : 0;

  /* a write the system refused (no room, a size limit, a quota) is a
   * full disk as far as anyone can act on it: SQLite says "I/O error" */
  if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE ||
      rc == SQLITE_IOERR_SHMSIZE || ((rc & 0xff) == SQLITE_IOERR &&
       (system_errno == ENOSPC || system_errno == EFBIG || system_errno == EDQUOT)))
    rc = SQLITE_FULL;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                   /* Translators: the database's file name, then a number of seconds */
                   _("the task history %s is busy: another program kept it locked for more "
                     "than %u s"), store->path, MAX (store->patience_ms / 1000, 1u));
      break;
    case SQLITE_FULL:
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FULL,
                   /* Translators: %s is the database's file name */
                   _("the disk is full: the task history %s cannot be written; free some "
                     "space"), store->path);
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
      /* a claim store_run() checks with PRAGMA quick_check before it
       * reaches a user */
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
store_exec (WinnowTaskStore *store, StoreConn *conn, const char *sql, GError **error)
{
  int rc = sqlite3_exec (conn->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK || store_fail (store, conn, rc, error);
}

typedef struct {
  char *sql;
  sqlite3_stmt *statement;
} StoreStatement;

static void
statement_free (StoreStatement *s)
{
  sqlite3_finalize (s->statement);
  g_free (s->sql);
  g_free (s);
}

/* A cached prepared statement, reset and with its bindings cleared. The
 * cache keeps the STORE_STATEMENT_CACHE statements used last. */
sqlite3_stmt *
store_prepare (WinnowTaskStore *store, StoreConn *conn, const char *sql, GError **error)
{
  GList *link = g_hash_table_lookup (conn->statements, sql);
  StoreStatement *s;
  sqlite3_stmt *statement;
  int rc;

  if (link != NULL)
    {
      s = link->data;
      g_queue_unlink (&conn->lru, link);
      g_queue_push_head_link (&conn->lru, link);
      sqlite3_reset (s->statement);
      sqlite3_clear_bindings (s->statement);
      return s->statement;
    }
  rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL);
  if (rc != SQLITE_OK)
    {
      store_fail (store, conn, rc, error);
      return NULL;
    }
  while (conn->lru.length >= STORE_STATEMENT_CACHE)
    {
      StoreStatement *old = g_queue_pop_tail (&conn->lru);
      g_hash_table_remove (conn->statements, old->sql);
      statement_free (old);
    }
  s = g_new0 (StoreStatement, 1);
  s->sql = g_strdup (sql);
  s->statement = statement;
  g_queue_push_head (&conn->lru, s);
  g_hash_table_insert (conn->statements, s->sql, conn->lru.head);
  return statement;
}

gboolean
store_step_done (WinnowTaskStore *store, StoreConn *conn, sqlite3_stmt *statement,
                 GError **error)
{
  int rc = sqlite3_step (statement);
  sqlite3_reset (statement);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

gboolean
store_begin (WinnowTaskStore *store, StoreConn *conn, GError **error)
{
  return store_exec (store, conn, "BEGIN IMMEDIATE", error);
}

gboolean
store_commit (WinnowTaskStore *store, StoreConn *conn, gboolean ok, GError **error)
{
  if (ok)
    {
      if (store_exec (store, conn, "COMMIT", error))
        return TRUE;
      /* a failed COMMIT (busy, disk full) leaves the transaction open */
    }
  if (!sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

void
store_bind_text (sqlite3_stmt *statement, int index, const char *text)
{
  sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
}

char *
store_column_text (sqlite3_stmt *statement, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, column));
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

/* ---- connections ---- */

/* SQLite calls this while another connection holds the lock it needs:
 * wait a little, longer each time, until the call's deadline. */
static int
busy_handler (void *data, int count)
{
  static const guint backoff_ms[] = { 1, 2, 5, 10, 20, 50 };
  StoreConn *conn = data;
  gint64 now = g_get_monotonic_time ();
  gint64 pause;

  if (now >= conn->deadline)
    return 0;
  if (conn->wait_flag != NULL)
    g_atomic_int_set (conn->wait_flag, 1);
  pause = (count < (int) G_N_ELEMENTS (backoff_ms) ? backoff_ms[count] : MAX_BACKOFF_MS) * 1000;
  g_usleep ((gulong) MIN (pause, conn->deadline - now));
  return 1;
}

static void
conn_free (StoreConn *conn)
{
  g_hash_table_unref (conn->statements);
  while (conn->lru.length > 0)
    statement_free (g_queue_pop_head (&conn->lru));
  if (conn->db != NULL)
    sqlite3_close (conn->db);
  g_free (conn);
}

static StoreConn *
conn_open (WinnowTaskStore *store, GError **error)
{
  StoreConn *conn = g_new0 (StoreConn, 1);
  int rc;

  conn->statements = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&conn->lru);
  conn->deadline = g_get_monotonic_time () + (gint64) store->patience_ms * 1000;
  rc = sqlite3_open_v2 (store->path, &conn->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      store_fail (store, conn, rc, error);
      conn_free (conn);
      return NULL;
    }
  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_handler (conn->db, busy_handler, conn);
  store_register_functions (conn->db);
  /* the list's indexes of a big history stay in memory */
  if (!store_exec (store, conn, "PRAGMA foreign_keys = ON", error) ||
      !store_exec (store, conn, "PRAGMA synchronous = NORMAL", error) ||
      !store_exec (store, conn, "PRAGMA cache_size = -" G_STRINGIFY (STORE_CACHE_KIB), error))
    {
      conn_free (conn);
      return NULL;
    }
  return conn;
}

static StoreConn *
acquire (WinnowTaskStore *store, GError **error)
{
  StoreConn *conn = NULL;

  g_mutex_lock (&store->lock);
  while (store->idle->len == 0 && store->n_open >= store->max_open)
    g_cond_wait (&store->returned, &store->lock);
  if (store->idle->len > 0)
    conn = g_ptr_array_steal_index_fast (store->idle, store->idle->len - 1);
  else
    store->n_open++;
  g_mutex_unlock (&store->lock);
  if (conn != NULL)
    return conn;

  conn = conn_open (store, error);
  if (conn == NULL)
    {
      g_mutex_lock (&store->lock);
      store->n_open--;
      g_cond_signal (&store->returned);
      g_mutex_unlock (&store->lock);
    }
  return conn;
}

static void
release (WinnowTaskStore *store, StoreConn *conn)
{
  /* no transaction outlives its call */
  if (conn->db != NULL && !sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
  conn->wait_flag = NULL;
  g_mutex_lock (&store->lock);
  if (conn->broken)
    {
      store->n_open--;
      g_mutex_unlock (&store->lock);
      conn_free (conn);
      g_mutex_lock (&store->lock);
    }
  else
    g_ptr_array_add (store->idle, conn);
  g_cond_signal (&store->returned);
  g_mutex_unlock (&store->lock);
}

static void
close_all (WinnowTaskStore *store)
{
  g_mutex_lock (&store->lock);
  g_ptr_array_set_size (store->idle, 0);  /* frees them */
  store->n_open = 0;
  g_mutex_unlock (&store->lock);
}

/* ---- the object ---- */

static void
winnow_task_store_finalize (GObject *object)
{
  WinnowTaskStore *self = WINNOW_TASK_STORE (object);

  /* every call has returned its connection by now */
  g_ptr_array_unref (self->idle);
  g_ptr_array_unref (self->orphaned);
  if (self->watch_db != NULL)
    sqlite3_close (self->watch_db);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->open_lock);
  g_mutex_clear (&self->watch_lock);
  g_cond_clear (&self->returned);
  g_free (self->path);
  g_free (self->moved_to);
  g_free (self->open_problem);

  G_OBJECT_CLASS (winnow_task_store_parent_class)->finalize (object);
}

static void
winnow_task_store_class_init (WinnowTaskStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = winnow_task_store_finalize;
}

static void
winnow_task_store_init (WinnowTaskStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->open_lock);
  g_mutex_init (&self->watch_lock);
  g_cond_init (&self->returned);
  self->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  self->orphaned = g_ptr_array_new_with_free_func (g_free);
  self->patience_ms = WINNOW_STORE_PATIENCE_MS;
  self->max_open = STORE_MAX_CONNECTIONS;
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

static void
set_path (WinnowTaskStore *store, const char *path)
{
  g_free (store->path);
  store->path = g_strdup (path);
  store->memory = g_str_equal (path, ":memory:");
  store->max_open = store->memory ? 1 : STORE_MAX_CONNECTIONS;
}

/* Does PRAGMA quick_check, on a connection of its own, find the file
 * damaged? A busy or unreadable check says no: only a real finding, or a
 * file that is not a database at all, counts. */
static gboolean
confirm_damaged (WinnowTaskStore *store)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gboolean damaged = FALSE;
  int rc;

  if (sqlite3_open_v2 (store->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 2000);
  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &s, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (s);
  if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
    damaged = TRUE;
  else if (rc == SQLITE_ROW)
    damaged = g_strcmp0 ((const char *) sqlite3_column_text (s, 0), "ok") != 0;
  sqlite3_finalize (s);
  sqlite3_close (db);
  return damaged;
}

/* Opens, migrates and recovers the file at store->path. */
static gboolean
open_file (WinnowTaskStore *store, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (store->path);
  StoreConn *conn;
  gboolean ok;

  if (!store->memory && !refuse_dangling_link (store, error))
    return FALSE;
  if (!store->memory && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_READ_ONLY,
                   /* Translators: a folder, then the system's reason */
                   _("cannot create the folder %s for the task database: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  conn = acquire (store, error);
  if (conn == NULL)
    return FALSE;
  /* store_migrate() reads the version first: a file that is not a
   * database, or is newer than this code, is refused untouched. */
  ok = store_migrate (store, conn, error) &&
       store_exec (store, conn, "PRAGMA journal_mode = WAL", error) &&
       store_recover (store, conn, NULL, error) >= 0;
  if (!ok)
    conn->broken = TRUE;
  release (store, conn);
  return ok;
}

/* Moves a damaged file (and its WAL files) aside with a time stamp. */
static gboolean
move_aside (WinnowTaskStore *store, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.damaged-%s", store->path, stamp);

  close_all (store);
  if (g_rename (store->path, target) != 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED,
                   /* Translators: the database's file name, then the system's reason */
                   _("%s is damaged, and could not be moved aside: %s"), store->path,
                   g_strerror (saved));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i ? "-shm" : "-wal";
      g_autofree char *from = g_strconcat (store->path, suffix, NULL);
      g_autofree char *to = g_strconcat (target, suffix, NULL);
      g_rename (from, to);
    }
  g_debug ("the damaged task database was moved to %s", target);
  store->moved_to = g_steal_pointer (&target);
  store->open_problem = g_strdup_printf (_("The task history was damaged. It was moved to %s "
                                           "and a new one was started."), store->moved_to);
  return TRUE;
}

static gboolean
open_with_flags (WinnowTaskStore *store, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (open_file (store, &local_error))
    return TRUE;
  if (g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
    {
      if (!confirm_damaged (store))
        {
          g_clear_error (&local_error);
          g_set_error (&local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                       /* Translators: %s is the database's file name */
                       _("the task history %s could not be read; it is not damaged, try "
                         "again"), store->path);
        }
      else if (store->open_flags & WINNOW_STORE_OPEN_REPLACE_DAMAGED)
        {
          g_clear_error (&local_error);
          if (move_aside (store, &local_error) && open_file (store, &local_error))
            return TRUE;
        }
    }
  /* a busy history is never given up on: the next call tries again */
  if ((store->open_flags & WINNOW_STORE_OPEN_FALLBACK_MEMORY) && !store->memory &&
      !g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY))
    {
      g_free (store->open_problem);
      store->open_problem = g_strdup_printf (_("The task history cannot be opened: %s. Tasks "
                                               "of this session will not be kept."),
                                             local_error->message);
      close_all (store);
      set_path (store, ":memory:");
      return open_file (store, error);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * winnow_task_store_open:
 *
 * Opens the history if it is not open yet: creates, migrates, and puts
 * back the tasks of workers whose lease ran out (and fails those of batch
 * runs that ended). Every other call does this first; call it to learn at
 * a time of your choosing whether the history can be used. Off the thread
 * that draws, as every call.
 */
gboolean
winnow_task_store_open (WinnowTaskStore *store, GError **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  check_thread (G_STRFUNC);
  if (g_atomic_int_get (&store->opened))
    return TRUE;
  g_mutex_lock (&store->open_lock);
  if (!store->opened)
    {
      ok = open_with_flags (store, error);
      if (ok)
        {
          g_atomic_int_set (&store->opened, TRUE);
          g_debug ("opened the task database %s", store->path);
        }
    }
  g_mutex_unlock (&store->open_lock);
  return ok;
}

/**
 * winnow_task_store_new_deferred:
 * @path: (nullable): the database file, ":memory:" for a private one, or
 *   %NULL for winnow_task_store_default_path()
 *
 * Creates a store without touching the file: it is opened by the first
 * call, on whichever thread makes it, so a window can be shown at once.
 *
 * Returns: (transfer full): the store
 */
WinnowTaskStore *
winnow_task_store_new_deferred (const char *path, WinnowStoreOpenFlags flags)
{
  WinnowTaskStore *store = g_object_new (WINNOW_TYPE_TASK_STORE, NULL);
  g_autofree char *file = path ? g_strdup (path) : winnow_task_store_default_path ();

  set_path (store, file);
  store->open_flags = flags;
  return store;
}

/**
 * winnow_task_store_new:
 * @path: (nullable): the database file, ":memory:" for a private one, or
 *   %NULL for winnow_task_store_default_path()
 *
 * Opens (and creates, or migrates) the task database now.
 *
 * Returns: (transfer full): the store, or %NULL with a WINNOW_STORE_ERROR
 */
WinnowTaskStore *
winnow_task_store_new (const char *path, GError **error)
{
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new_deferred (path, WINNOW_STORE_OPEN_DEFAULT);

  if (!winnow_task_store_open (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

/**
 * winnow_task_store_new_or_replace_damaged:
 * @moved_to: (out) (optional): where a damaged file was moved, or %NULL
 *
 * As winnow_task_store_new(), but a database that PRAGMA quick_check
 * finds damaged is renamed with a time stamp (its WAL files too) and a
 * fresh one is started; the caller tells the user where the old one went.
 */
WinnowTaskStore *
winnow_task_store_new_or_replace_damaged (const char *path, char **moved_to, GError **error)
{
  g_autoptr(WinnowTaskStore) store =
    winnow_task_store_new_deferred (path, WINNOW_STORE_OPEN_REPLACE_DAMAGED);

  if (moved_to)
    *moved_to = NULL;
  if (!winnow_task_store_open (store, error))
    return NULL;
  if (moved_to)
    *moved_to = g_strdup (store->moved_to);
  return g_steal_pointer (&store);
}

/* The file in use (":memory:" after a fallback). */
const char *
winnow_task_store_get_path (WinnowTaskStore *store)
{
  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  return store->path;
}

/**
 * winnow_task_store_get_problem:
 *
 * Returns: (nullable): once opened, a sentence saying why the history is
 *   not the one asked for (moved aside, or a private one), or %NULL
 */
const char *
winnow_task_store_get_problem (WinnowTaskStore *store)
{
  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  return g_atomic_int_get (&store->opened) ? store->open_problem : NULL;
}

/* How long a call waits for another program's lock before failing with
 * WINNOW_STORE_ERROR_BUSY. */
void
winnow_task_store_set_patience (WinnowTaskStore *store, guint milliseconds)
{
  g_return_if_fail (WINNOW_IS_TASK_STORE (store));
  store->patience_ms = milliseconds;
}

/* ---- running a call ---- */

static gboolean
is_busy (const GError *error)
{
  return g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
}

/**
 * store_run:
 * @caller: the public function, for the thread check
 *
 * Runs @op on a borrowed connection. A busy history is tried again, with
 * a growing pause, until the patience (the thread's, else the store's)
 * runs out. "Damaged" is believed only when PRAGMA quick_check agrees:
 * otherwise the call is tried once more on a fresh connection and then
 * fails as a plain failure, never as damage.
 */
gboolean
store_run (WinnowTaskStore *store, const char *caller, StoreOp op, gpointer data,
           GError **error)
{
  guint patience = GPOINTER_TO_UINT (g_private_get (&thread_patience));
  gint *wait_flag = g_private_get (&thread_wait_flag);
  gboolean fresh_connection_tried = FALSE;
  gint64 deadline;
  guint attempt = 0;

  check_thread (caller);
  if (!winnow_task_store_open (store, error))
    return FALSE;
  if (patience == 0)
    patience = store->patience_ms;
  deadline = g_get_monotonic_time () + (gint64) patience * 1000;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      StoreConn *conn = acquire (store, error);
      gboolean ok;

      if (conn == NULL)
        return FALSE;
      conn->deadline = deadline;
      conn->wait_flag = wait_flag;
      ok = op (store, conn, data, &local_error);
      if (!ok && g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
        conn->broken = TRUE;
      release (store, conn);
      if (ok)
        return TRUE;

      if (is_busy (local_error) && g_get_monotonic_time () < deadline)
        {
          /* SQLite's busy handler does not cover every wait (a stale
           * snapshot, a lock taken between two statements): try again */
          if (wait_flag != NULL)
            g_atomic_int_set (wait_flag, 1);
          g_usleep (MIN (1000u << MIN (attempt, 7u), MAX_BACKOFF_MS * 1000u));
          attempt++;
          continue;
        }
      if (g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
        {
          if (!fresh_connection_tried)
            {
              fresh_connection_tried = TRUE;
              continue;
            }
          if (!confirm_damaged (store))
            {
              g_autofree char *message = g_strdup (local_error->message);
              g_clear_error (&local_error);
              g_set_error (&local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                           /* Translators: the database's file name */
                           _("the task history %s could not be read just now (PRAGMA "
                             "quick_check finds it sound); try again"), store->path);
              g_debug ("%s: %s, but quick_check finds no damage", caller, message);
            }
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
}

/* ---- the health check and the change counter ---- */

static gboolean
check_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  GString *out = data;
  sqlite3_stmt *s = store_prepare (store, conn, "PRAGMA quick_check", error);
  int rc;

  if (s == NULL)
    return FALSE;
  g_string_truncate (out, 0);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
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

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  if (!store_run (store, G_STRFUNC, check_op, out, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * winnow_task_store_data_version:
 *
 * A number that changes whenever any other connection (another thread's
 * call, another process) commits a change to the history: a cheap way to
 * notice others' work. It is read on a connection of its own that never
 * writes, so this store's own writes count too.
 *
 * Returns: the number, or -1 on error
 */
gint64
winnow_task_store_data_version (WinnowTaskStore *store, GError **error)
{
  sqlite3_stmt *s = NULL;
  gint64 version = -1;
  int rc;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), -1);
  check_thread (G_STRFUNC);
  if (!winnow_task_store_open (store, error))
    return -1;
  if (store->memory)
    {
      /* one connection only: count nothing, the list follows its own
       * process's signals */
      return 0;
    }
  g_mutex_lock (&store->watch_lock);
  if (store->watch_db == NULL)
    {
      rc = sqlite3_open_v2 (store->path, &store->watch_db, SQLITE_OPEN_READWRITE, NULL);
      if (rc != SQLITE_OK)
        {
          store_fail (store, NULL, rc, error);
          sqlite3_close (store->watch_db);
          store->watch_db = NULL;
          g_mutex_unlock (&store->watch_lock);
          return -1;
        }
      sqlite3_busy_timeout (store->watch_db, 1000);
    }
  rc = sqlite3_prepare_v2 (store->watch_db, "PRAGMA data_version", -1, &s, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  else
    store_fail (store, NULL, rc, error);
  sqlite3_finalize (s);
  g_mutex_unlock (&store->watch_lock);
  return version;
}
