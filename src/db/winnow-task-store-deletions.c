/* winnow-task-store-deletions.c: deletions and clears the window could
 * not send before it quit, the history being locked, kept beside it and
 * done by the next recovery in whichever process (docs/ARCHITECTURE.md,
 * "Deletes keep their word"). The files are kept and read as outcomes
 * kept for later are (winnow-task-store-deferred.c), in the same folder
 * and by the same recoveries: "<id>-delete.deletion" for a task,
 * "<last id>-clear.deletion" for a clear.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <glib/gstdio.h>

#define GROUP "deletion"

static gboolean
keep_deletion (WinnowTaskStore *store, const char *caller, const char *name, GKeyFile *file,
               GError **error)
{
  g_autofree char *dir = store_deferred_dir (store);
  g_autofree char *data = NULL;
  gsize length;

  store_check_thread (caller);
  if (dir == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "a history in memory keeps no deletion for later");
      return FALSE;
    }
  data = g_key_file_to_data (file, &length, NULL);
  /* the user's word: synced, as a worker's end is */
  return store_keep_file (dir, name, data, length, TRUE, error);
}

/**
 * winnow_task_store_defer_delete:
 *
 * Keeps the deletion of task @id in a file beside the history, for the
 * next recovery to do (in this process or any other): the window quit
 * while the history could not be written. Touches no SQLite connection.
 */
gboolean
winnow_task_store_defer_delete (WinnowTaskStore *store, gint64 id, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-delete" STORE_DELETION_SUFFIX,
                                           id);

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (id > 0, FALSE);
  g_key_file_set_int64 (file, GROUP, "task", id);
  return keep_deletion (store, G_STRFUNC, name, file, error);
}

/**
 * winnow_task_store_defer_clear:
 * @keep: (nullable) (element-type gint64): as winnow_task_store_clear_finished()
 *
 * Keeps a clear of the finished tasks up to @upto_id, as
 * winnow_task_store_defer_delete() does a deletion.
 */
gboolean
winnow_task_store_defer_clear (WinnowTaskStore *store, gint64 upto_id, const GArray *keep,
                               GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-clear" STORE_DELETION_SUFFIX,
                                           upto_id);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (upto_id > 0, FALSE);
  for (guint i = 0; keep != NULL && i < keep->len; i++)
    g_ptr_array_add (ids, g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (keep, gint64, i)));
  g_ptr_array_add (ids, NULL);
  g_key_file_set_int64 (file, GROUP, "clear-upto", upto_id);
  g_key_file_set_string_list (file, GROUP, "keep", (const char * const *) ids->pdata,
                              ids->len - 1);
  return keep_deletion (store, G_STRFUNC, name, file, error);
}

/* ---- doing them ---- */

/* What a failed statement of a kept file's makes of the recovery. */
static ApplyState
failed (GError **error)
{
  return store_is_wait (*error) ? APPLY_WAIT : APPLY_REFUSED;
}

/* Does the deletion kept at @path, if there is still something to
 * delete; once there is not (done by an earlier recovery, or the task
 * gone), the file goes. A task running now keeps its deletion waiting,
 * for an hour at most. */
ApplyState
store_apply_deletion (WinnowTaskStore *store, StoreConn *conn, const char *path, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) kept = NULL;
  gint64 task, upto;
  int saved_errno = 0;
  sqlite3_stmt *s;
  int rc;

  switch (store_load_kept (path, file, &saved_errno))
    {
    case READ_LATER:
      store_warn_once (path, "cannot be read now: %s", g_strerror (saved_errno));
      return APPLY_NOTHING;
    case READ_OK:
      break;
    default:
      return APPLY_NOTHING;
    }
  task = g_key_file_get_int64 (file, GROUP, "task", NULL);
  upto = g_key_file_get_int64 (file, GROUP, "clear-upto", NULL);
  kept = g_key_file_get_string_list (file, GROUP, "keep", NULL, NULL);
  for (guint i = 0; kept != NULL && kept[i] != NULL; i++)
    {
      guint64 id;
      if (!g_ascii_string_to_unsigned (kept[i], 10, 1, G_MAXINT64, &id, NULL))
        {
          store_remove_junk (path, "its tasks to keep are not numbers");
          return APPLY_NOTHING;
        }
      g_array_append_val (keep, id);
    }
  if ((task > 0) == (upto > 0))
    {
      store_remove_junk (path, "its fields do not make one");
      return APPLY_NOTHING;
    }

  if (task > 0)
    s = store_prepare (store, conn, "DELETE FROM tasks WHERE id = ? AND status != 'PROCESSING'",
                       error);
  else
    s = store_prepare (store, conn,
      "DELETE FROM tasks WHERE status IN " FINAL_STATUSES " AND id <= ?"
      " AND id NOT IN (SELECT value FROM json_each (?))", error);
  if (s == NULL)
    return failed (error);
  sqlite3_bind_int64 (s, 1, task > 0 ? task : upto);
  if (task <= 0)
    sqlite3_bind_text (s, 2, store_ids_json (keep), -1, g_free);
  if (!store_step_done (store, conn, s, error))
    return failed (error);
  if (sqlite3_changes (conn->db) > 0)
    {
      g_debug ("%s: its deletion done", path);
      return APPLY_RECORDED;
    }
  if (task > 0)
    {
      /* nothing deleted: the task is gone, or running */
      s = store_prepare (store, conn, "SELECT 1 FROM tasks WHERE id = ?", error);
      if (s == NULL)
        return failed (error);
      sqlite3_bind_int64 (s, 1, task);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      if (rc == SQLITE_ROW && !store_older_than (path, STORE_HOLD_LIMIT_S))
        return APPLY_NOTHING;
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          store_fail (store, conn, rc, error);
          return failed (error);
        }
    }
  g_unlink (path);
  return APPLY_NOTHING;
}
