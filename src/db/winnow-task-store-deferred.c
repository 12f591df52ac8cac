/* winnow-task-store-deferred.c: outcomes the history could not take in
 * time, kept in small files beside it until it can (docs/ARCHITECTURE.md,
 * "Outcomes kept for later").
 *
 * A worker that put its output in place must have it recorded COMPLETED,
 * however long another program holds the history's lock and even if its
 * own process ends meanwhile. When the scheduler gives up waiting, it
 * writes the outcome to "<history>-outcomes/<task>-<owner>.outcome" (a key
 * file, written whole or not at all), and every recovery, in whichever
 * process takes the write lock next, records the kept outcomes before it
 * looks at expired leases: the task still held by that owner becomes
 * COMPLETED, FAILED or CANCELLED as it ended, at the time it ended. A file
 * that no longer matches its task (recorded already, deleted, or taken by
 * another worker) is removed at the next recovery; so is one that cannot
 * be read.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#define GROUP "outcome"
#define SUFFIX ".outcome"

/* Where @store keeps outcomes for later, or NULL (a history in memory):
 * beside the database itself, as its -wal file is, also when it was
 * opened through a symbolic link. */
static char *
deferred_dir (WinnowTaskStore *store)
{
  g_autofree char *real = NULL;

  if (store->memory || store->path == NULL)
    return NULL;
  real = realpath (store->path, NULL);
  return g_strconcat (real ? real : store->path, "-outcomes", NULL);
}

/**
 * winnow_task_store_defer_outcome:
 * @status: COMPLETED, FAILED or CANCELLED
 * @message: (nullable): a FAILED task's error
 * @result: (nullable): a COMPLETED task's result
 * @ended: when the task ended
 *
 * Keeps the end of task @id, held by @owner, in a file beside the history,
 * for the next recovery to record (in this process or any other): the
 * history could not be written in time. It touches no SQLite connection.
 *
 * Returns: FALSE with @error set when the file could not be written
 */
gboolean
winnow_task_store_defer_outcome (WinnowTaskStore *store, gint64 id, const char *owner,
                                 WinnowTaskStatus status, const char *message,
                                 const WinnowTaskResult *result, GDateTime *ended,
                                 GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *when = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gsize length;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  g_return_val_if_fail (winnow_task_status_is_final (status), FALSE);
  g_return_val_if_fail (status != WINNOW_TASK_COMPLETED || result != NULL, FALSE);
  g_return_val_if_fail (ended != NULL, FALSE);
  store_check_thread (G_STRFUNC);

  dir = deferred_dir (store);
  if (dir == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "a history in memory keeps no outcome for later");
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }

  g_key_file_set_int64 (file, GROUP, "task", id);
  g_key_file_set_string (file, GROUP, "owner", owner);
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
  data = g_key_file_to_data (file, &length, NULL);

  /* one file per task and owner: a later attempt at the task has another */
  name = g_strdup_printf ("%" G_GINT64_FORMAT "-%08x" SUFFIX, id, g_str_hash (owner));
  path = g_build_filename (dir, name, NULL);
  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* The outcome in @file, or FALSE when it cannot be one. */
static gboolean
read_outcome (GKeyFile *file, gint64 *id, char **owner, WinnowTaskStatus *status,
              char **message, WinnowTaskResult **result, char **finished)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *word = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GDateTime) when = NULL;

  *id = g_key_file_get_int64 (file, GROUP, "task", &error);
  if (error != NULL || *id <= 0)
    return FALSE;
  *owner = g_key_file_get_string (file, GROUP, "owner", NULL);
  word = g_key_file_get_string (file, GROUP, "status", NULL);
  if (*owner == NULL || word == NULL || !winnow_task_status_from_string (word, status) ||
      !winnow_task_status_is_final (*status))
    return FALSE;
  stamp = g_key_file_get_string (file, GROUP, "finished", NULL);
  when = stamp ? g_date_time_new_from_iso8601 (stamp, NULL) : NULL;
  /* in the history's own form; without a time, recorded as ending now */
  *finished = when ? winnow_store_format_time (when) : NULL;
  *message = g_key_file_get_string (file, GROUP, "error", NULL);
  if (*status != WINNOW_TASK_COMPLETED)
    return TRUE;

  *result = winnow_task_result_new ();
  (*result)->rows_read = g_key_file_get_int64 (file, GROUP, "rows-read", &error);
  if (error == NULL)
    (*result)->rows_written = g_key_file_get_int64 (file, GROUP, "rows-written", &error);
  g_free ((*result)->summary);
  (*result)->summary = g_key_file_get_string (file, GROUP, "summary", NULL);
  g_free ((*result)->columns);
  (*result)->columns = g_key_file_get_string (file, GROUP, "columns", NULL);
  g_free ((*result)->preview);
  (*result)->preview = g_key_file_get_string (file, GROUP, "preview", NULL);
  return error == NULL && (*result)->summary != NULL && (*result)->columns != NULL &&
         (*result)->preview != NULL;
}

/* Records the outcome in the file at @path, if its task still waits for
 * it. Returns 1 when recorded, 0 when the file was stale (and is
 * removed), -1 on an error of the history (the file stays). */
static int
apply_one (WinnowTaskStore *store, StoreConn *conn, const char *path, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *message = NULL;
  g_autofree char *finished = NULL;
  g_autoptr(WinnowTaskResult) result = NULL;
  WinnowTaskStatus status = WINNOW_TASK_PENDING;
  gint64 id = 0;
  gboolean ok;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      /* gone (another recovery took it), or not readable now (no file
       * descriptor left, a file of another user): left alone, for a
       * recovery that can read it */
      if (local_error->domain != G_KEY_FILE_ERROR)
        {
          g_debug ("%s: not read: %s", path, local_error->message);
          return 0;
        }
      g_warning ("%s: not an outcome to record, removed: %s", path, local_error->message);
      g_unlink (path);
      return 0;
    }
  if (!read_outcome (file, &id, &owner, &status, &message, &result, &finished))
    {
      g_warning ("%s: not an outcome to record, removed", path);
      g_unlink (path);
      return 0;
    }

  ok = store_finish_on (store, conn, id, owner, winnow_task_status_to_string (status), message,
                        result, finished, &local_error);
  if (ok && status == WINNOW_TASK_COMPLETED)
    ok = store_insert_result (store, conn, id, result, &local_error);
  if (ok)
    {
      g_debug ("task %" G_GINT64_FORMAT ": its kept outcome recorded (%s)", id,
               winnow_task_status_to_string (status));
      return 1;
    }
  if (g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE) ||
      g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_LEASE_LOST) ||
      g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND))
    {
      /* recorded by an earlier recovery, or the task went on without it */
      g_unlink (path);
      return 0;
    }
  if (local_error->domain == WINNOW_STORE_ERROR &&
      (local_error->code == WINNOW_STORE_ERROR_BUSY || local_error->code == WINNOW_STORE_ERROR_FULL ||
       local_error->code == WINNOW_STORE_ERROR_READ_ONLY ||
       local_error->code == WINNOW_STORE_ERROR_DAMAGED))
    {
      /* the history cannot be written now: the recovery waits */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  /* anything else is this file's: it must not stop every later recovery */
  g_warning ("%s: could not be recorded, removed: %s", path, local_error->message);
  g_unlink (path);
  return 0;
}

/**
 * store_apply_deferred:
 *
 * Inside the recovery's transaction: records the outcomes kept for later
 * (winnow_task_store_defer_outcome()) whose tasks are still held by the
 * owner that kept them. A file is removed only once it is stale, so an
 * outcome recorded in a transaction that is rolled back is recorded again
 * by the next recovery.
 *
 * Returns: how many were recorded, or -1
 */
gint64
store_apply_deferred (WinnowTaskStore *store, StoreConn *conn, GError **error)
{
  g_autofree char *dir = deferred_dir (store);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gint64 applied = 0;
  gboolean opened = FALSE;

  if (dir == NULL || (listing = g_dir_open (dir, 0, NULL)) == NULL)
    return 0;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      int done;

      if (!g_str_has_suffix (name, SUFFIX))
        continue;  /* a file being written */
      /* a task's end and its result together, in the caller's
       * transaction or in one of their own */
      if (!opened && !store_exec (store, conn, "SAVEPOINT winnow_deferred", error))
        return -1;
      opened = TRUE;
      path = g_build_filename (dir, name, NULL);
      done = apply_one (store, conn, path, error);
      if (done < 0)
        {
          store_exec (store, conn, "ROLLBACK TO winnow_deferred", NULL);
          store_exec (store, conn, "RELEASE winnow_deferred", NULL);
          return -1;
        }
      applied += done;
    }
  if (opened && !store_exec (store, conn, "RELEASE winnow_deferred", error))
    return -1;
  return applied;
}
