/* winnow-task-store-commits.c: a worker's word that its output is going
 * in place, left beside the history when the history cannot take it
 * (docs/ARCHITECTURE.md, "Cancel").
 *
 * A worker says so in the history first (winnow_task_store_begin_commit()
 * sets cancel_requested = 2), and from then on a cancel is refused. When
 * another program holds the history's write lock for longer than the
 * worker waits, that cannot be written; the output still goes in place
 * (the lock may last minutes), and a cancel accepted once the lock has
 * gone, before the task's end is recorded, would be lost: the task would
 * end COMPLETED. So the worker leaves the same word beside the history,
 * in "<history>-outcomes/<task>.commit" (its owner and the time of its
 * claim: one claim's mark is not another's), and a cancel looks there
 * before it is accepted.
 *
 * The two must not cross. The worker reads the task's cancel flag and
 * writes its mark while it holds flock() on that folder; a cancel takes
 * the same lock inside its write transaction and keeps it until the
 * transaction is committed. So either the cancel is committed first and
 * the worker reads it (and throws its output away), or the mark is there
 * first and the cancel is refused. The worker takes its connection
 * before the lock, and its read never waits for a writer (WAL), so a
 * cancel holding the write lock while it waits for the folder's cannot
 * deadlock with it, nor starve it of a connection. Both wait for the
 * lock only as long as their call's patience.
 *
 * The folder is removed only by a holder of its lock, once it is empty
 * (store_remove_kept_folder(), at the end of a recovery, and when a
 * worker's provisional end goes); a lock taken
 * on a folder the path no longer names is let go and taken again
 * (lock_folder()), so two holders always hold the same folder. A mark
 * that no longer matches its task's holder is removed by the next
 * recovery (before it records any kept outcome, so against what is
 * committed); the scheduler removes its own once the task's end is
 * recorded.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* An owner and a time: far less than this. */
#define MAX_MARK_BYTES 4096
/* A folder made and found gone again, by a recovery each time. */
#define MAX_ATTEMPTS 100
/* How long the scheduler waits to remove its own mark (the next
 * recovery removes it otherwise). */
#define END_PATIENCE_US (2 * G_USEC_PER_SEC)

static char *
mark_name (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT STORE_MARK_SUFFIX, id);
}

/* Takes the lock of the folder open at @fd, waiting for a holder (who
 * keeps it for a read and a small synced write) until @deadline (the
 * monotonic time; 0: as long as it takes) or @give_up. FALSE with errno
 * EAGAIN when it was not had in time. */
static gboolean
wait_for_lock (int fd, gint64 deadline, const gint *give_up)
{
  gulong pause_us = 500;

  for (;;)
    {
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        return TRUE;
      if (errno == EINTR)
        continue;
      if (errno != EWOULDBLOCK)
        return FALSE;
      if ((deadline > 0 && g_get_monotonic_time () >= deadline) ||
          (give_up != NULL && g_atomic_int_get (give_up)))
        {
          errno = EAGAIN;
          return FALSE;
        }
      g_usleep (pause_us);
      pause_us = MIN (pause_us * 2, 20000);
    }
}

/* Opens the folder @dir (made first if @make) and takes its lock (see
 * wait_for_lock()). The folder is removed only by a holder of its lock
 * (store_remove_kept_folder()), so a lock taken on the folder the path
 * still names holds the live folder: one removed while this waited is
 * let go, and the path tried again. Returns -1 with errno set (ENOENT:
 * no folder). */
static int
lock_folder (const char *dir, gboolean make, gint64 deadline, const gint *give_up)
{
  for (guint attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    {
      struct stat held, named;
      int saved, fd;

      if (make && g_mkdir_with_parents (dir, 0700) != 0)
        return -1;
      fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT && make)
        continue;  /* removed, empty, as it was made */
      if (fd < 0)
        return -1;
      if (!wait_for_lock (fd, deadline, give_up))
        {
          saved = errno;
          close (fd);
          errno = saved;
          return -1;
        }
      if (fstat (fd, &held) == 0 && stat (dir, &named) == 0 && held.st_dev == named.st_dev &&
          held.st_ino == named.st_ino)
        return fd;
      close (fd);
      if (!make)
        break;
    }
  errno = ENOENT;
  return -1;
}

/**
 * store_remove_kept_folder:
 *
 * Removes the folder @dir of kept files if it is empty and nobody holds
 * its lock: the only way it goes, so that whoever holds the lock holds
 * the folder the path names (lock_folder()).
 */
void
store_remove_kept_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (flock (fd, LOCK_EX | LOCK_NB) == 0 && g_rmdir (dir) == 0)
    g_debug ("%s: nothing kept any more, removed", dir);
  close (fd);
}

/* The mark of task @id in the folder open at @folder, or NULL. */
static char *
read_mark (int folder, gint64 id)
{
  g_autofree char *name = mark_name (id);
  char buffer[MAX_MARK_BYTES];
  gsize length = 0;
  int fd = openat (folder, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

  if (fd < 0)
    return NULL;
  while (length < sizeof buffer)
    {
      ssize_t n = read (fd, buffer + length, sizeof buffer - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      length += (gsize) n;
    }
  close (fd);
  return g_strndup (buffer, length);
}

/* Whether @mark is that of the claim that holds task @id now. */
static gboolean
mark_holds (WinnowTaskStore *store, StoreConn *conn, gint64 id, const char *mark,
            gboolean *holds, GError **error)
{
  g_auto(GStrv) lines = g_strsplit (mark, "\n", 3);
  sqlite3_stmt *s;
  int rc;

  *holds = FALSE;
  if (g_strv_length (lines) != 3 || lines[2][0] != '\0')
    return TRUE;  /* not a whole mark: a worker writes it under the lock */
  s = store_prepare (store, conn,
    "SELECT 1 FROM tasks WHERE id = ? AND status = 'PROCESSING' AND lease_owner = ?"
    "  AND started_at = ?", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  store_bind_text (s, 2, lines[0]);
  store_bind_text (s, 3, lines[1]);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc == SQLITE_ROW)
    *holds = TRUE;
  else if (rc != SQLITE_DONE)
    return store_fail (store, conn, rc, error);
  return TRUE;
}

/* Writes @text as task @id's mark in the folder open at @folder, synced
 * (a kept outcome outlives a power cut; so must the mark that goes with
 * it). Returns FALSE with errno set. */
static gboolean
write_mark (int folder, gint64 id, const char *text)
{
  g_autofree char *name = mark_name (id);
  gsize length = strlen (text), done = 0;
  int saved, fd = openat (folder, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                          0600);

  if (fd < 0)
    return FALSE;
  while (done < length)
    {
      ssize_t n = write (fd, text + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  if (done == length && fsync (fd) == 0 && close (fd) == 0)
    {
      if (fsync (folder) != 0)
        g_debug ("task %" G_GINT64_FORMAT ": its mark's folder could not be synced: %s", id,
                 g_strerror (errno));
      return TRUE;
    }
  saved = done == length ? errno : (errno != 0 ? errno : EIO);
  close (fd);
  unlinkat (folder, name, 0);
  errno = saved;
  return FALSE;
}

static gboolean
folder_error (GError **error, const char *dir)
{
  int saved = errno;

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
               g_strerror (saved));
  return FALSE;
}

typedef struct {
  gint64 id;
  const char *owner;
  const char *dir;
  gboolean asked;
} AsideArgs;

/* Under the folder's lock: is the task still the worker's, and was a
 * cancel asked? If it is and none was, the mark. */
static gboolean
mark_locked (WinnowTaskStore *store, StoreConn *conn, int folder, AsideArgs *a, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn,
    "SELECT cancel_requested, started_at FROM tasks "
    "WHERE id = ? AND lease_owner = ? AND status = 'PROCESSING'", error);
  g_autofree char *text = NULL;
  int cancel = 0, rc;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, a->id);
  store_bind_text (s, 2, a->owner);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      cancel = sqlite3_column_int (s, 0);
      text = g_strdup_printf ("%s\n%s\n", a->owner, sqlite3_column_text (s, 1));
    }
  sqlite3_reset (s);
  if (rc == SQLITE_DONE)
    return store_explain_not_held (store, conn, a->id, a->owner, error);
  if (rc != SQLITE_ROW)
    return store_fail (store, conn, rc, error);
  /* asked to cancel: the output goes; or the history says it itself
   * (its begin_commit landed after all) */
  a->asked = cancel == CANCEL_ASKED;
  if (cancel != 0)
    return TRUE;
  if (!write_mark (folder, a->id, text))
    return folder_error (error, a->dir);
  g_debug ("task %" G_GINT64_FORMAT ": its output goes in place; marked beside the history",
           a->id);
  return TRUE;
}

/* The worker's side, with its connection in hand before it takes the
 * lock: a cancel waiting for the lock holds the write lock, and maybe
 * connections of this store behind it. Its read never waits for a
 * writer. */
static gboolean
aside_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  AsideArgs *a = data;
  int fd = lock_folder (a->dir, TRUE, conn->deadline, conn->give_up);
  gboolean ok;

  if (fd < 0 && errno == EAGAIN)
    return store_fail (store, conn, SQLITE_BUSY, error);
  if (fd < 0)
    return folder_error (error, a->dir);
  ok = mark_locked (store, conn, fd, a, error);
  close (fd);
  return ok;
}

/**
 * winnow_task_store_begin_commit_aside:
 * @cancel_requested: (out): set when a cancel was asked first: the worker
 *   then throws its output away
 *
 * What winnow_task_store_begin_commit() does, for a worker that could not
 * write it because the history is busy: from now on a cancel of task @id
 * is refused, although the history could not say so. It reads the
 * history (a read, which does not wait for a writer) and writes beside it.
 *
 * Returns: FALSE with @error set when it could not be said (a history in
 *   memory, a folder that cannot be written, a task @owner no longer
 *   holds: then %WINNOW_STORE_ERROR_STATE or _LEASE_LOST)
 */
gboolean
winnow_task_store_begin_commit_aside (WinnowTaskStore *store, gint64 id, const char *owner,
                                      gboolean *cancel_requested, GError **error)
{
  g_autofree char *dir = NULL;
  AsideArgs a = { .id = id, .owner = owner };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL && cancel_requested != NULL, FALSE);

  dir = store_deferred_dir (store);
  if (dir == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "a history in memory keeps nothing beside it");
      return FALSE;
    }
  a.dir = dir;
  if (!store_run (store, G_STRFUNC, aside_op, &a, error))
    return FALSE;
  *cancel_requested = a.asked;
  return TRUE;
}

/**
 * winnow_task_store_end_commit_aside:
 *
 * The end of task @id, which @owner marked with
 * winnow_task_store_begin_commit_aside(), is recorded: its mark goes.
 */
void
winnow_task_store_end_commit_aside (WinnowTaskStore *store, gint64 id, const char *owner)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = mark_name (id);
  g_autofree char *mark = NULL;
  g_autofree char *prefix = NULL;
  int fd;

  g_return_if_fail (WINNOW_IS_TASK_STORE (store));
  g_return_if_fail (owner != NULL);
  dir = store_deferred_dir (store);
  if (dir == NULL ||
      (fd = lock_folder (dir, FALSE, g_get_monotonic_time () + END_PATIENCE_US, NULL)) < 0)
    return;  /* the next recovery removes it */
  mark = read_mark (fd, id);
  prefix = g_strconcat (owner, "\n", NULL);
  if (mark != NULL && g_str_has_prefix (mark, prefix))
    unlinkat (fd, name, 0);
  close (fd);
}

/**
 * store_guard_cancel:
 * @guard: (out): the lock to keep until the cancel is committed, or
 *   rolled back (store_guard_clear())
 *
 * Inside a cancel's write transaction, for a PROCESSING task @id: takes
 * the marks' lock, and refuses the cancel if the worker holding the task
 * has marked its output as going in place. A folder that cannot be made
 * (a read-only one) holds no mark: none is looked for.
 */
gboolean
store_guard_cancel (WinnowTaskStore *store, StoreConn *conn, gint64 id, StoreGuard *guard,
                    GError **error)
{
  g_autofree char *mark = NULL;
  gboolean holds = FALSE;

  guard->fd = -1;
  guard->dir = store_deferred_dir (store);
  if (guard->dir == NULL)
    return TRUE;
  /* held until the cancel's commit: a worker that meets it waits, and
   * then reads the cancel */
  guard->fd = lock_folder (guard->dir, TRUE, conn->deadline, conn->give_up);
  if (guard->fd < 0 && errno == EAGAIN)
    return store_fail (store, conn, SQLITE_BUSY, error);
  if (guard->fd < 0)
    {
      g_debug ("%s: no mark can be looked for: %s", guard->dir, g_strerror (errno));
      return TRUE;
    }
  mark = read_mark (guard->fd, id);
  if (mark == NULL)
    return TRUE;
  if (!mark_holds (store, conn, id, mark, &holds, error))
    return FALSE;
  if (holds)
    return store_state_error (error, id, WINNOW_TASK_PROCESSING,
                              _("its output is being put in place; it can no longer be "
                                "cancelled"));
  return TRUE;
}

/* After the cancel's commit or rollback: the lock goes, and so does the
 * folder if it holds nothing (made for the cancel: it stayed until the
 * next recovery, its worker's next claim, which may never come, beside
 * the user's history). */
void
store_guard_clear (StoreGuard *guard)
{
  if (guard->fd >= 0)
    {
      close (guard->fd);
      store_remove_kept_folder (guard->dir);
    }
  guard->fd = -1;
  g_clear_pointer (&guard->dir, g_free);
}

/**
 * store_sweep_marks:
 *
 * At the start of a recovery (its write transaction, before it records
 * any kept outcome): removes the marks among @names (the files in @dir)
 * that no longer match the claim holding their task.
 */
gboolean
store_sweep_marks (WinnowTaskStore *store, StoreConn *conn, const char *dir, GPtrArray *names,
                   GError **error)
{
  int fd = -1;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *digits = NULL;
      g_autofree char *mark = NULL;
      guint64 id = 0;
      gboolean holds = FALSE;

      if (!g_str_has_suffix (name, STORE_MARK_SUFFIX))
        continue;
      digits = g_strndup (name, strlen (name) - strlen (STORE_MARK_SUFFIX));
      if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &id, NULL))
        continue;
      /* a lock not had in time: the marks wait for the next recovery */
      if (fd < 0 && (fd = lock_folder (dir, FALSE, conn->deadline, conn->give_up)) < 0)
        return TRUE;
      mark = read_mark (fd, (gint64) id);
      if (mark == NULL)
        continue;
      if (!mark_holds (store, conn, (gint64) id, mark, &holds, error))
        {
          close (fd);
          return FALSE;
        }
      if (!holds && unlinkat (fd, name, 0) == 0)
        g_debug ("task %" G_GUINT64_FORMAT ": its mark no longer holds, removed", id);
    }
  if (fd >= 0)
    close (fd);
  return TRUE;
}
