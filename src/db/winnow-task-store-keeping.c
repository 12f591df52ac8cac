/* winnow-task-store-keeping.c: the files kept beside the history, for
 * the next recovery to record (docs/ARCHITECTURE.md, "Outcomes kept for
 * later"): where they go, how they are written (whole or not at all,
 * synced or not), and the outcomes themselves: a task's end kept for
 * later, and a worker's provisional end, kept just before its output
 * goes in place. winnow-task-store-deferred.c reads and records them.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GROUP STORE_OUTCOME_GROUP
#define SUFFIX STORE_OUTCOME_SUFFIX

/* Where @store keeps outcomes for later, or NULL (a history in memory):
 * beside the database itself, as its -wal file is, also when it was
 * opened through a symbolic link. Resolved once per store, not at each
 * recovery (one runs before every claim). */
char *
store_deferred_dir (WinnowTaskStore *store)
{
  char *dir;

  if (store->memory || store->path == NULL)
    return NULL;
  g_mutex_lock (&store->lock);
  if (store->outcomes_dir == NULL)
    {
      g_autofree char *real = realpath (store->path, NULL);
      store->outcomes_dir = g_strconcat (real ? real : store->path, "-outcomes", NULL);
    }
  dir = g_strdup (store->outcomes_dir);
  g_mutex_unlock (&store->lock);
  return dir;
}

/* Makes a file's name in @dir last through a power cut (its contents are
 * synced before it is renamed into place). */
static void
sync_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("%s: could not sync: %s", dir, g_strerror (errno));
  close (fd);
}


/* Writes @data to @path whole or not at all, through a temporary file
 * renamed, and syncs nothing (GLib's G_FILE_SET_CONTENTS_CONSISTENT
 * syncs the file and its folder: two syncs a task). */
static gboolean
write_unsynced (const char *path, const char *data, gsize length, GError **error)
{
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  int saved = 0;

  if (fd < 0)
    saved = errno;
  for (gsize done = 0; saved == 0 && done < length;)
    {
      gssize n = write (fd, data + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        saved = n < 0 ? errno : EIO;
      else
        done += (gsize) n;
    }
  if (fd >= 0 && close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved == 0 && rename (temp, path) != 0)
    saved = errno;
  if (saved == 0)
    return TRUE;
  if (fd >= 0)
    g_unlink (temp);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
               g_strerror (saved));
  return FALSE;
}

/* Writes @data as the file @name in the folder @dir, whole or not at
 * all; @durable: synced, file and folder (and the history's folder when
 * the folder was just made), so that a power cut right after keeps it.
 * A recovery (or a provisional end's removal) removes the folder once it
 * is empty: made again if it went between its making and the file's. */
gboolean
store_keep_file (const char *dir, const char *name, const char *data, gsize length,
                 gboolean durable, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gboolean made = FALSE;

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      made |= !g_file_test (dir, G_FILE_TEST_IS_DIR);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                       g_strerror (saved));
          return FALSE;
        }
      if (durable ? g_file_set_contents_full (path, data, (gssize) length,
                                              G_FILE_SET_CONTENTS_CONSISTENT |
                                              G_FILE_SET_CONTENTS_DURABLE, 0600, &local_error)
                  : write_unsynced (path, data, length, &local_error))
        break;
      if (attempt == 3 || !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (durable)
    {
      sync_folder (dir);
      if (made)
        {
          g_autofree char *parent = g_path_get_dirname (dir);
          sync_folder (parent);
        }
    }
  return TRUE;
}

/* Writes the file of an outcome; @identity, when not NULL, makes it
 * provisional: the device and inode of the output to find in place. */
static gboolean
keep_outcome (WinnowTaskStore *store, gint64 id, const char *owner, const char *run,
              WinnowTaskStatus status, const char *message, const WinnowTaskResult *result,
              GDateTime *ended, const guint64 *identity, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *when = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gsize length;

  dir = store_deferred_dir (store);
  if (dir == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "a history in memory keeps no outcome for later");
      return FALSE;
    }
  g_key_file_set_int64 (file, GROUP, "task", id);
  if (owner != NULL)
    g_key_file_set_string (file, GROUP, "owner", owner);
  else
    g_key_file_set_string (file, GROUP, "run", run);
  g_key_file_set_string (file, GROUP, "status", winnow_task_status_to_string (status));
  when = winnow_store_format_time (ended);
  g_key_file_set_string (file, GROUP, "finished", when);
  if (message != NULL)
    g_key_file_set_string (file, GROUP, "error", message);
  if (result != NULL)
    {
      g_key_file_set_int64 (file, GROUP, "rows-read", result->rows_read);
      g_key_file_set_int64 (file, GROUP, "rows-written", result->rows_written);
      g_key_file_set_string (file, GROUP, "summary", result->summary ? result->summary : "{}");
      g_key_file_set_string (file, GROUP, "columns", result->columns ? result->columns : "[]");
      g_key_file_set_string (file, GROUP, "preview", result->preview ? result->preview : "{}");
    }
  if (identity != NULL)
    {
      g_key_file_set_uint64 (file, GROUP, "output-device", identity[0]);
      g_key_file_set_uint64 (file, GROUP, "output-inode", identity[1]);
    }
  data = g_key_file_to_data (file, &length, NULL);

  /* one file per task and owner (or run): a later attempt has another;
   * a worker's end replaces its provisional one */
  name = g_strdup_printf ("%" G_GINT64_FORMAT "-%08x" SUFFIX, id,
                          g_str_hash (owner != NULL ? owner : run));
  /* a worker's end is synced, file and folder (its output is whole:
   * losing it would fail the task); a never-started task's is not, so a
   * Ctrl-C of a run of a thousand files costs no thousand syncs (lost,
   * the task fails as interrupted, as it would have); nor is a
   * provisional end: lost in a power cut, the task is taken back as
   * interrupted, as it was before there were any */
  return store_keep_file (dir, name, data, length, owner != NULL && identity == NULL, error);
}

/**
 * winnow_task_store_defer_outcome:
 * @owner: (nullable): the worker holding the task, or %NULL for a task
 *   of batch run @run that was never started
 * @run: (nullable): with no @owner, the batch run that queued the task
 * @status: COMPLETED, FAILED or CANCELLED (a task never started: FAILED
 *   or CANCELLED)
 * @message: (nullable): a FAILED task's error
 * @result: (nullable): a COMPLETED task's result
 * @ended: when the task ended
 *
 * Keeps the end of task @id in a file beside the history, for the next
 * recovery to record (in this process or any other): the history could
 * not be written in time. It touches no SQLite connection.
 *
 * Returns: FALSE with @error set when the file could not be written
 */
gboolean
winnow_task_store_defer_outcome (WinnowTaskStore *store, gint64 id, const char *owner,
                                 const char *run, WinnowTaskStatus status, const char *message,
                                 const WinnowTaskResult *result, GDateTime *ended,
                                 GError **error)
{
  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail ((owner != NULL) != (run != NULL), FALSE);
  g_return_val_if_fail (winnow_task_status_is_final (status), FALSE);
  g_return_val_if_fail (status != WINNOW_TASK_COMPLETED || (result != NULL && owner != NULL),
                        FALSE);
  g_return_val_if_fail (ended != NULL, FALSE);
  store_check_thread (G_STRFUNC);

  return keep_outcome (store, id, owner, run, status, message, result, ended, NULL, error);
}

/**
 * winnow_task_store_keep_provisional:
 * @owner: the worker that holds the task
 * @result: the result the task gives once its output is in place
 * @ended: when it is about to end
 * @device: the device of the file that will be in place
 * @inode: its inode
 *
 * Just before a worker puts the output of task @id in place: keeps its
 * end beside the history, to be recorded COMPLETED by the recovery that
 * takes the task back if the worker's process ends before it has
 * recorded it itself, when the file at the task's output path is that
 * file (a rename keeps a file's device and inode). The worker removes it
 * once the end is recorded (winnow_task_store_drop_provisional()), or
 * replaces it with its end kept for later. It touches no SQLite
 * connection, and is not synced.
 *
 * Returns: FALSE with @error set when the file could not be written
 */
gboolean
winnow_task_store_keep_provisional (WinnowTaskStore *store, gint64 id, const char *owner,
                                    const WinnowTaskResult *result, GDateTime *ended,
                                    guint64 device, guint64 inode, GError **error)
{
  const guint64 identity[2] = { device, inode };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL && result != NULL && ended != NULL, FALSE);
  store_check_thread (G_STRFUNC);

  return keep_outcome (store, id, owner, NULL, WINNOW_TASK_COMPLETED, NULL, result, ended,
                       identity, error);
}

/**
 * winnow_task_store_drop_provisional:
 *
 * Removes the end that winnow_task_store_keep_provisional() kept for
 * task @id held by @owner, once it is recorded (if it stayed, the next
 * recovery would find the task recorded and remove it).
 */
void
winnow_task_store_drop_provisional (WinnowTaskStore *store, gint64 id, const char *owner)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (WINNOW_IS_TASK_STORE (store) && owner != NULL);
  dir = store_deferred_dir (store);
  if (dir == NULL)
    return;
  name = g_strdup_printf ("%" G_GINT64_FORMAT "-%08x" SUFFIX, id, g_str_hash (owner));
  path = g_build_filename (dir, name, NULL);
  if (g_unlink (path) == 0)
    store_remove_kept_folder (dir);
}
