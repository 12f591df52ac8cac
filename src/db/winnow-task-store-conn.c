/* winnow-task-store-conn.c: how the store talks to SQLite: times as the
 * database keeps them, the threads that may not call it, errors and
 * prepared statements, the pool of connections, and store_run(), which
 * runs an op on a borrowed connection and tries again while another
 * program holds the history (docs/ARCHITECTURE.md, "The shared history").
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* The longest pause between two tries of a busy call. */
#define MAX_BACKOFF_MS 100

static GThread *forbidden_thread;     /* atomic */
static GPrivate thread_patience;      /* GUINT_TO_POINTER (milliseconds) */
static GPrivate thread_wait_flag;     /* gint * */
static GPrivate thread_give_up;       /* const gint * */

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

void
store_check_thread (const char *caller)
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

/**
 * winnow_task_store_give_up_waits_when:
 * @flag: (nullable): calls made on this thread stop waiting for a lock
 *   once it is nonzero (read atomically), and fail as busy; %NULL to stop
 *
 * A scheduler that shuts down stops its workers' claims this way, rather
 * than wait out the store's patience behind a lock another program holds.
 */
void
winnow_task_store_give_up_waits_when (const gint *flag)
{
  g_private_set (&thread_give_up, (gpointer) flag);
}

static gboolean
giving_up (const gint *flag)
{
  return flag != NULL && g_atomic_int_get (flag) != 0;
}

/* The calling thread's give-up flag (winnow_task_store_give_up_waits_when()),
 * or NULL. */
const gint *
store_thread_give_up (void)
{
  return g_private_get (&thread_give_up);
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
      {
        /* the wait this call had: its thread's, or the store's */
        guint patience = GPOINTER_TO_UINT (g_private_get (&thread_patience));

        if (patience == 0)
          patience = store->patience_ms;
        g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                     /* Translators: the database's file name, then a number of seconds */
                     _("the task history %s is busy: another program kept it locked for more "
                       "than %u s"), store->path, MAX ((patience + 500) / 1000, 1u));
      }
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

  if (now >= conn->deadline || giving_up (conn->give_up))
    return 0;
  if (conn->wait_flag != NULL)
    g_atomic_int_set (conn->wait_flag, 1);
  pause = (count < (int) G_N_ELEMENTS (backoff_ms) ? backoff_ms[count] : MAX_BACKOFF_MS) * 1000;
  g_usleep ((gulong) MIN (pause, conn->deadline - now));
  return 1;
}

void
store_conn_free (StoreConn *conn)
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
  /* the opening of the history waits here too, and may give up
   * (store_release() clears both) */
  conn->wait_flag = g_private_get (&thread_wait_flag);
  conn->give_up = g_private_get (&thread_give_up);
  rc = sqlite3_open_v2 (store->path, &conn->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      store_fail (store, conn, rc, error);
      store_conn_free (conn);
      return NULL;
    }
  sqlite3_extended_result_codes (conn->db, 1);
  sqlite3_busy_handler (conn->db, busy_handler, conn);
  conn->names = store_register_functions (conn->db);
  if (conn->names == NULL)
    {
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                   /* Translators: FTS5 is the name of a part of SQLite */
                   _("the SQLite library Winnow runs with has no full-text search (FTS5), "
                     "which the task history needs"));
      store_conn_free (conn);
      return NULL;
    }
  store_register_owner_function (conn->db);
  /* the list's indexes of a big history stay in memory */
  if (!store_exec (store, conn, "PRAGMA foreign_keys = ON", error) ||
      !store_exec (store, conn, "PRAGMA synchronous = NORMAL", error) ||
      !store_exec (store, conn, "PRAGMA cache_size = -" G_STRINGIFY (STORE_CACHE_KIB), error))
    {
      store_conn_free (conn);
      return NULL;
    }
  return conn;
}

/* How often a call waiting for a connection looks at its give-up flag. */
#define GIVE_UP_CHECK_US (100 * G_TIME_SPAN_MILLISECOND)

/**
 * store_acquire:
 * @deadline: the monotonic time after which a call waiting for one of
 *   the store's connections (all in use, by calls that wait for a lock
 *   themselves) gives up, busy; or 0 to wait as long as it takes
 * @give_up: (nullable): gives up, busy, once it is set (a shutdown)
 */
StoreConn *
store_acquire (WinnowTaskStore *store, gint64 deadline, const gint *give_up, GError **error)
{
  StoreConn *conn = NULL;

  g_mutex_lock (&store->lock);
  while (store->idle->len == 0 && store->n_open >= store->max_open)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 until = now + GIVE_UP_CHECK_US;

      if ((deadline > 0 && now >= deadline) || giving_up (give_up))
        {
          g_mutex_unlock (&store->lock);
          g_debug ("all %u connections to %s are in use", store->max_open, store->path);
          store_fail (store, NULL, SQLITE_BUSY, error);
          return NULL;
        }
      if (deadline > 0)
        until = MIN (until, deadline);
      g_cond_wait_until (&store->returned, &store->lock, until);
    }
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

void
store_release (WinnowTaskStore *store, StoreConn *conn)
{
  /* no transaction outlives its call */
  if (conn->db != NULL && !sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
  conn->wait_flag = NULL;
  conn->give_up = NULL;
  g_mutex_lock (&store->lock);
  if (conn->broken)
    {
      store->n_open--;
      g_mutex_unlock (&store->lock);
      store_conn_free (conn);
      g_mutex_lock (&store->lock);
    }
  else
    g_ptr_array_add (store->idle, conn);
  g_cond_signal (&store->returned);
  g_mutex_unlock (&store->lock);
}

void
store_close_all (WinnowTaskStore *store)
{
  g_mutex_lock (&store->lock);
  g_ptr_array_set_size (store->idle, 0);  /* frees them */
  store->n_open = 0;
  g_mutex_unlock (&store->lock);
}

/* Does PRAGMA quick_check, on a connection of its own, find the file
 * damaged? A busy or unreadable check says no: only a real finding, or a
 * file that is not a database at all, counts. @thorough asks PRAGMA
 * integrity_check instead, which also compares every index with its
 * table: an index that lacks a row passes quick_check, yet makes each
 * write that touches the row fail as corrupt. */
gboolean
store_confirm_damaged (WinnowTaskStore *store, gboolean thorough)
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
  rc = sqlite3_prepare_v2 (db, thorough ? "PRAGMA integrity_check" : "PRAGMA quick_check", -1,
                           &s, NULL);
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

/**
 * winnow_task_store_find_damage:
 *
 * Asks PRAGMA integrity_check, on a connection of its own, whether the
 * history is damaged: spoilt pages may read as wrong rows rather than
 * fail, and an index that lacks rows finds none of them (quick_check
 * misses that), so a caller that sees what cannot be (a task of its
 * queue that no claim finds) asks here.
 *
 * Returns: %TRUE, with a WINNOW_STORE_ERROR_DAMAGED that says so, if it is
 */
gboolean
winnow_task_store_find_damage (WinnowTaskStore *store, GError **error)
{
  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  store_check_thread (G_STRFUNC);
  if (!store_confirm_damaged (store, TRUE))
    return FALSE;
  store_fail (store, NULL, SQLITE_CORRUPT, error);
  return TRUE;
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
  const gint *give_up = g_private_get (&thread_give_up);
  gboolean fresh_connection_tried = FALSE;
  gint64 deadline;
  guint attempt = 0;

  store_check_thread (caller);
  if (!winnow_task_store_open (store, error))
    return FALSE;
  if (patience == 0)
    patience = store->patience_ms;
  deadline = g_get_monotonic_time () + (gint64) patience * 1000;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      StoreConn *conn = store_acquire (store, deadline, give_up, error);
      gboolean ok;

      if (conn == NULL)
        return FALSE;
      conn->deadline = deadline;
      conn->wait_flag = wait_flag;
      conn->give_up = give_up;
      ok = op (store, conn, data, &local_error);
      if (!ok && g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
        conn->broken = TRUE;
      store_release (store, conn);
      if (ok)
        return TRUE;

      if (is_busy (local_error) && g_get_monotonic_time () < deadline && !giving_up (give_up))
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
          /* twice corrupt on two connections: worth the whole check */
          if (!store_confirm_damaged (store, TRUE))
            {
              g_autofree char *message = g_strdup (local_error->message);
              g_clear_error (&local_error);
              g_set_error (&local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                           /* Translators: the database's file name */
                           _("the task history %s could not be read just now (PRAGMA "
                             "integrity_check finds it sound); try again"), store->path);
              g_debug ("%s: %s, but integrity_check finds no damage", caller, message);
            }
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
}
