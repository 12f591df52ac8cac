/* winnow-task-store.c: see winnow-task-store.h. The object and opening
 * (a damaged file moved aside, a fallback to memory), and the health
 * check; the connection pool and the runner that retries a busy history
 * are in winnow-task-store-conn.c, the tasks in winnow-task-store-tasks.c
 * and -claims.c, the list's queries in winnow-task-store-query.c, the
 * schema in winnow-task-store-schema.c.
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
  store_name_copy_free (self->names);
  g_cond_clear (&self->returned);
  g_free (self->path);
  g_free (self->outcomes_dir);
  g_free (self->moved_to);
  g_free (self->open_problem);

  G_OBJECT_CLASS (winnow_task_store_parent_class)->finalize (object);
}

static void
winnow_task_store_class_init (WinnowTaskStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = winnow_task_store_finalize;
  /* No bulk of page slots made up front for each page cache (20 by
   * default): every connection and every temporary table of a query
   * (a UNION, a sort) has one, and each slot is a page of memory written
   * at once, so a `winnow --batch --no-history` run of a small file
   * spent about 250 page faults on them. Pages are allocated as they are
   * used instead. This must come before SQLite is first used in the
   * process; if something else used it first, it is refused and changes
   * nothing. */
  sqlite3_config (SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

static void
winnow_task_store_init (WinnowTaskStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->open_lock);
  g_mutex_init (&self->watch_lock);
  g_cond_init (&self->returned);
  self->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) store_conn_free);
  self->orphaned = g_ptr_array_new_with_free_func (g_free);
  self->patience_ms = WINNOW_STORE_PATIENCE_MS;
  self->max_open = STORE_MAX_CONNECTIONS;
  self->names = store_name_copy_new ();
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

/* A folder, a device (/dev/null) or a pipe is no history: said so,
 * rather than as a full disk or a read-only file, as SQLite's failure
 * would read. */
static gboolean
refuse_not_a_file (WinnowTaskStore *store, GError **error)
{
  g_autofree char *name = NULL;
  struct stat st;

  if (stat (store->path, &st) != 0 || S_ISREG (st.st_mode))
    return TRUE;
  name = g_filename_display_name (store->path);
  g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
               /* Translators: the database's file name */
               _("%s is not a file (a folder, a device or a pipe): the task history must be "
                 "a file"), name);
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


/* Opens, migrates and recovers the file at store->path. */
static gboolean
open_file (WinnowTaskStore *store, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (store->path);
  StoreConn *conn;
  gboolean ok;

  if (!store->memory &&
      (!refuse_dangling_link (store, error) || !refuse_not_a_file (store, error)))
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
  conn = store_acquire (store, 0, NULL, error);
  if (conn == NULL)
    return FALSE;
  /* store_migrate() reads the version first: a file that is not a
   * database, or is newer than this code, is refused untouched. */
  ok = store_migrate (store, conn, error) &&
       store_exec (store, conn, "PRAGMA journal_mode = WAL", error) &&
       store_recover (store, conn, NULL, error) >= 0;
  if (!ok)
    conn->broken = TRUE;
  store_release (store, conn);
  return ok;
}

/* Moves a damaged file (and its WAL files) aside with a time stamp. */
static gboolean
move_aside (WinnowTaskStore *store, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.damaged-%s", store->path, stamp);

  store_close_all (store);
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

/* How often an open that SQLite reads as damaged, and PRAGMA quick_check
 * does not, is tried again before the call gives up (the last try asks
 * PRAGMA integrity_check); each pause is five times the one before it. */
#define UNCONFIRMED_TRIES 4
#define UNCONFIRMED_PAUSE_US 20000

/* Opens the file; one read as damaged (SQLITE_NOTADB or _CORRUPT) is
 * moved aside only if PRAGMA quick_check says so too. Anything else that
 * reads as damaged (a file read while another program rewrote it, a
 * quick_check that met a lock) is tried again a few times, then fails
 * this call and is never given up for memory: the next call tries again
 * (the window does, every two seconds). */
static gboolean
open_with_flags (WinnowTaskStore *store, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean unconfirmed = FALSE;
  gulong pause = UNCONFIRMED_PAUSE_US;

  for (guint tries = 1; ; tries++)
    {
      if (open_file (store, &local_error))
        return TRUE;
      if (!g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
        break;
      /* the last try checks every index against its table too */
      if (store_confirm_damaged (store, tries == UNCONFIRMED_TRIES))
        {
          if (store->open_flags & WINNOW_STORE_OPEN_REPLACE_DAMAGED)
            {
              g_clear_error (&local_error);
              if (move_aside (store, &local_error) && open_file (store, &local_error))
                return TRUE;
            }
          break;
        }
      g_debug ("%s read as damaged, and quick_check says it is not (try %u)", store->path,
               tries);
      if (tries == UNCONFIRMED_TRIES)
        {
          unconfirmed = TRUE;
          g_clear_error (&local_error);
          g_set_error (&local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                       /* Translators: %s is the database's file name */
                       _("the task history %s could not be read; it is not damaged, try "
                         "again"), store->path);
          break;
        }
      g_clear_error (&local_error);
      g_usleep (pause);
      pause *= 5;
    }
  /* a busy history, or one not known to be damaged, is never given up
   * on: the next call tries again */
  if ((store->open_flags & WINNOW_STORE_OPEN_FALLBACK_MEMORY) && !store->memory &&
      !unconfirmed &&
      !g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY))
    {
      g_free (store->open_problem);
      store->open_problem = g_strdup_printf (_("The task history cannot be opened: %s. Tasks "
                                               "of this session will not be kept."),
                                             local_error->message);
      store_close_all (store);
      set_path (store, ":memory:");
      return open_file (store, error);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Waits for another thread's opening to end; a thread told to give up
 * its waits (a shutdown) stops waiting, busy, when told. */
static gboolean
lock_opening (WinnowTaskStore *store, GError **error)
{
  const gint *give_up = store_thread_give_up ();

  if (give_up == NULL)
    {
      g_mutex_lock (&store->open_lock);
      return TRUE;
    }
  while (!g_mutex_trylock (&store->open_lock))
    {
      if (g_atomic_int_get (give_up) != 0)
        {
          /* not store_fail(): the opener may be changing store->path */
          g_set_error_literal (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                               _("Winnow stopped while the task history was being opened"));
          return FALSE;
        }
      g_usleep (10 * 1000);
    }
  return TRUE;
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
  store_check_thread (G_STRFUNC);
  if (g_atomic_int_get (&store->opened))
    return TRUE;
  if (!lock_opening (store, error))
    return FALSE;
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
  store_check_thread (G_STRFUNC);
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
