/* winnow-task-store-claims.c: a task from its claim to its end
 * (docs/ARCHITECTURE.md, "Task lifecycle"): the recovery of tasks whose
 * worker or batch run died, claims, the worker's reports (progress,
 * lease, cancel requests), putting the output in place, and the final
 * status with its result. Reading, adding and the user's requests are in
 * winnow-task-store-tasks.c.
 *
 * As there: BEGIN IMMEDIATE for every change of more than one statement,
 * bound parameters, and store_run() around each op.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* ---- recovery ---- */

/* A task's batch run has ended: no live row in runs (a run known to
 * have ended has none: store_recover() removes it first), and it is
 * neither the caller's own run, ?3, nor a process known to be alive
 * (winnow-task-store-owners.c): either is alive however late its
 * renewal, which a lock held by another program may have kept out. */
#define RUN_GONE \
  "(run_id IS NOT NULL AND run_id IS NOT ?3 AND NOT EXISTS (SELECT 1 FROM runs" \
  "  WHERE runs.id = tasks.run_id AND runs.lease_expires_at >= ?1)" \
  "  AND NOT winnow_owner_alive (run_id))"

static gint64 recover_tasks (WinnowTaskStore *store, StoreConn *conn, const char *self,
                            GError **error);

/**
 * store_recover:
 *
 * @self: (nullable): the caller's owner prefix, which is also its run's
 *   id: a process never recovers its own tasks or run (they are alive,
 *   however late a renewal came: a lock held by another program may
 *   have kept it from renewing)
 *
 * Inside a transaction or on its own: PROCESSING tasks whose lease ran
 * out, and whose owner is not known to be alive, or whose owner is
 * known to have ended whatever its lease (store_owner_state()), become
 * CANCELLED (a cancel was asked), FAILED (their batch run ended too) or
 * PENDING again; PENDING tasks of batch runs that ended become FAILED;
 * runs that ended are forgotten.
 *
 * Returns: how many tasks changed, or -1
 */
gint64
store_recover (WinnowTaskStore *store, StoreConn *conn, const char *self, GError **error)
{
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *s;
  gint64 changed;
  int rc;

  /* which owners have ended, before the outcomes kept for later are read */
  s = store_prepare (store, conn,
                     "SELECT lease_owner FROM tasks WHERE status = 'PROCESSING'"
                     " UNION SELECT id FROM runs", error);
  if (s == NULL)
    return -1;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    if (sqlite3_column_text (s, 0) != NULL)
      g_ptr_array_add (owners, store_column_text (s, 0));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      store_fail (store, conn, rc, error);
      return -1;
    }
  store_owners_begin_recovery (owners, self);
  changed = recover_tasks (store, conn, self, error);
  store_owners_end_recovery ();
  return changed;
}

/* store_recover(), once the owners that ended are known. */
static gint64
recover_tasks (WinnowTaskStore *store, StoreConn *conn, const char *self, GError **error)
{
  g_autofree char *self_owners = self ? g_strconcat (self, "/%", NULL) : NULL;
  g_autofree char *now = store_now (0);
  const char *interrupted = _(WINNOW_STORE_INTERRUPTED_MESSAGE);
  g_autoptr(GPtrArray) orphaned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean hold_all = FALSE;
  g_autofree char *held_json = NULL;
  StoreRecovery recovery = { now, self_owners };
  sqlite3_stmt *s;
  gint64 changed;
  int rc;

  /* outcomes kept for later first: their tasks' leases may have run out;
   * a task whose kept end cannot be read now is left as it is */
  changed = store_apply_deferred (store, conn, &recovery, held, &hold_all, error);
  if (changed < 0)
    return -1;
  if (hold_all)
    return changed;
  held_json = store_ids_json (held);
  /* runs whose process is gone end now, not when their lease runs out
   * (a few rows: one per batch run alive or just ended) */
  s = store_prepare (store, conn,
                     "DELETE FROM runs WHERE id IS NOT ?1 AND winnow_owner_dead (id)", error);
  if (s == NULL)
    return -1;
  store_bind_text (s, 1, self);
  if (!store_step_done (store, conn, s, error))
    return -1;
  s = store_prepare (store, conn,
    "UPDATE tasks SET"
    "  status = CASE WHEN cancel_requested = 1 THEN 'CANCELLED'"
    "                WHEN " RUN_GONE " THEN 'FAILED' ELSE 'PENDING' END,"
    "  error = CASE WHEN cancel_requested != 1 AND " RUN_GONE " THEN ?2 ELSE error END,"
    "  finished_at = CASE WHEN cancel_requested = 1 OR " RUN_GONE " THEN ?1 ELSE NULL END,"
    "  duration = CASE WHEN cancel_requested = 1 OR " RUN_GONE
    "    THEN (julianday (?1) - julianday (started_at)) * 86400 ELSE NULL END,"
    "  started_at = CASE WHEN cancel_requested = 1 OR " RUN_GONE " THEN started_at ELSE NULL END,"
    "  progress = 0, lease_owner = NULL, lease_expires_at = NULL, cancel_requested = 0 "
    "WHERE status = 'PROCESSING' AND (?4 IS NULL OR lease_owner NOT LIKE ?4)"
    "  AND (lease_expires_at < ?1 AND NOT winnow_owner_alive (lease_owner)"
    "       OR winnow_owner_dead (lease_owner))"
    "  AND id NOT IN (SELECT value FROM json_each (?5))"
    " RETURNING output_path", error);
  if (s == NULL)
    return -1;
  store_bind_text (s, 1, now);
  store_bind_text (s, 2, interrupted);
  store_bind_text (s, 3, self);
  store_bind_text (s, 4, self_owners);
  sqlite3_bind_text (s, 5, held_json, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      /* a dead worker may have left a temporary file beside this output */
      g_ptr_array_add (orphaned, store_column_text (s, 0));
      changed++;
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      store_fail (store, conn, rc, error);
      return -1;
    }

  s = store_prepare (store, conn,
    "UPDATE tasks SET status = 'FAILED', error = ?2, finished_at = ?1 "
    "WHERE status = 'PENDING' AND " RUN_GONE
    "  AND id NOT IN (SELECT value FROM json_each (?4))", error);
  if (s == NULL)
    return -1;
  store_bind_text (s, 1, now);
  store_bind_text (s, 2, interrupted);
  store_bind_text (s, 3, self);
  sqlite3_bind_text (s, 4, held_json, -1, SQLITE_TRANSIENT);
  if (!store_step_done (store, conn, s, error))
    return -1;
  changed += sqlite3_changes (conn->db);

  s = store_prepare (store, conn,
                     "DELETE FROM runs WHERE lease_expires_at < ?1 AND id IS NOT ?2"
                     " AND NOT winnow_owner_alive (id)", error);
  if (s == NULL)
    return -1;
  store_bind_text (s, 1, now);
  store_bind_text (s, 2, self);
  if (!store_step_done (store, conn, s, error))
    return -1;
  if (changed > 0)
    g_debug ("%" G_GINT64_FORMAT " task(s) of workers or runs that stopped recovered", changed);
  for (guint i = 0; i < orphaned->len; i++)
    store_add_orphaned (store, g_ptr_array_index (orphaned, i));
  return changed;
}

/* An output whose worker died: a temporary file may be left beside it
 * (winnow_task_store_take_orphaned()). */
void
store_add_orphaned (WinnowTaskStore *store, const char *output_path)
{
  g_mutex_lock (&store->lock);
  g_ptr_array_add (store->orphaned, g_strdup (output_path));
  g_mutex_unlock (&store->lock);
}

/**
 * winnow_task_store_take_orphaned:
 *
 * The output paths of tasks whose worker died, found by this store's
 * recoveries since the last call: a temporary file may be left beside
 * each (the scheduler removes those no live writer holds). The list is
 * emptied. (A recovery in a transaction that is then rolled back may add
 * a path; removing stale files beside it does no harm.)
 *
 * Returns: (transfer full) (element-type utf8): the paths
 */
GPtrArray *
winnow_task_store_take_orphaned (WinnowTaskStore *store)
{
  GPtrArray *paths;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  g_mutex_lock (&store->lock);
  paths = g_steal_pointer (&store->orphaned);
  store->orphaned = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&store->lock);
  return paths;
}

static gboolean
recover_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  gint64 n;

  if (!store_begin (store, conn, error))
    return FALSE;
  n = store_recover (store, conn, a->owner, error);
  if (!store_commit (store, conn, n >= 0, error))
    return FALSE;
  a->number = n;
  return TRUE;
}

/**
 * winnow_task_store_recover_expired:
 * @self: (nullable): the caller's owner prefix (its run's id), whose own
 *   tasks are left alone
 *
 * Returns: how many tasks were recovered (see store_recover()), or
 *   G_MAXUINT on error
 */
guint
winnow_task_store_recover_expired (WinnowTaskStore *store, const char *self, GError **error)
{
  StoreArgs a = { .owner = self };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), G_MAXUINT);
  if (!store_run (store, G_STRFUNC, recover_op, &a, error))
    return G_MAXUINT;
  return (guint) a.number;
}

/* ---- claiming ---- */

static gboolean
claim_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  g_autofree char *now = store_now (0);
  g_autofree char *expiry = store_now (a->lease_ms);
  sqlite3_stmt *s;
  int rc = SQLITE_DONE;

  g_clear_object (&a->task);
  if (!store_begin (store, conn, error))
    return FALSE;
  if (store_recover (store, conn, a->text, error) < 0)
    return store_commit (store, conn, FALSE, NULL);
  s = store_prepare (store, conn,
    "UPDATE tasks SET status = 'PROCESSING', started_at = ?1, finished_at = NULL, progress = 0,"
    "  error = NULL, lease_owner = ?2, lease_expires_at = ?3, cancel_requested = 0,"
    "  rows_in = NULL, rows_out = NULL, duration = NULL "
    "WHERE id = (SELECT id FROM tasks WHERE status = 'PENDING' AND run_id IS ?4"
    "  ORDER BY created_at, id LIMIT 1) "
    "RETURNING " TASK_COLUMNS, error);
  if (s == NULL)
    return store_commit (store, conn, FALSE, NULL);
  store_bind_text (s, 1, now);
  store_bind_text (s, 2, a->owner);
  store_bind_text (s, 3, expiry);
  store_bind_text (s, 4, a->run);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      a->task = store_read_task (s);
      rc = sqlite3_step (s);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      g_clear_object (&a->task);
      store_fail (store, conn, rc, error);
      return store_commit (store, conn, FALSE, NULL);
    }
  if (!store_commit (store, conn, TRUE, error))
    {
      g_clear_object (&a->task);
      return FALSE;
    }
  return TRUE;
}

/**
 * winnow_task_store_claim:
 * @owner: who claims (unique per worker)
 * @lease_ms: how long the claim holds without renewal
 * @run: (nullable): claim only the tasks this batch run queued, or
 *   %NULL for the window's queue
 *
 * Takes the oldest PENDING task of the queue, in one statement, so that
 * no two workers (threads or processes) ever get the same task. Expired
 * leases and ended runs are recovered first.
 *
 * Returns: (transfer full) (nullable): the task, now PROCESSING, or %NULL
 *   when there is none (@error unset) or on error
 */
WinnowTask *
winnow_task_store_claim (WinnowTaskStore *store, const char *owner, gint64 lease_ms,
                         const char *run, GError **error)
{
  g_autofree char *self = g_strdup (owner);
  char *slash = strrchr (self, '/');
  StoreArgs a = { .owner = owner, .lease_ms = lease_ms, .run = run, .text = self };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (owner != NULL, NULL);
  /* "host:pid:random/serial": the process is what comes before the serial */
  if (slash != NULL)
    *slash = '\0';
  if (!store_run (store, G_STRFUNC, claim_op, &a, error))
    return NULL;
  if (a.task != NULL)
    g_debug ("task %" G_GINT64_FORMAT " claimed by %s", winnow_task_get_id (a.task), owner);
  return a.task;
}

/* ---- the worker's side ---- */

/* Why did an update that needs task @id held by @owner change nothing? */
gboolean
store_explain_not_held (WinnowTaskStore *store, StoreConn *conn, gint64 id, const char *owner,
                        GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WinnowTask) task = store_get_on (store, conn, id, &local_error);

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

static gboolean
report_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  g_autofree char *expiry = a->lease_ms > 0 ? store_now (a->lease_ms) : NULL;
  sqlite3_stmt *s;
  int rc;

  s = store_prepare (store, conn,
    "UPDATE tasks SET progress = CASE WHEN ?1 >= 0 THEN ?1 ELSE progress END,"
    "  lease_expires_at = coalesce (?2, lease_expires_at) "
    "WHERE id = ?3 AND lease_owner = ?4 AND status = 'PROCESSING' RETURNING cancel_requested",
    error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_double (s, 1, a->progress < 0 ? -1 : CLAMP (a->progress, 0.0, 1.0));
  store_bind_text (s, 2, expiry);
  sqlite3_bind_int64 (s, 3, a->id);
  store_bind_text (s, 4, a->owner);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      a->flag = sqlite3_column_int (s, 0) == CANCEL_ASKED;
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return store_fail (store, conn, rc, error);
  return store_explain_not_held (store, conn, a->id, a->owner, error);
}

/**
 * winnow_task_store_report:
 * @progress: 0 to 1, or negative to leave it as it is
 * @lease_ms: renew the lease for this long, or 0 to leave it
 * @cancel_requested: (out) (optional): set when a cancel was asked for
 *   (by this process or another)
 *
 * The worker holding task @id says it is alive, and how far it got.
 */
gboolean
winnow_task_store_report (WinnowTaskStore *store, gint64 id, const char *owner, double progress,
                          gint64 lease_ms, gboolean *cancel_requested, GError **error)
{
  StoreArgs a = { .id = id, .owner = owner, .progress = progress, .lease_ms = lease_ms };
  gboolean ok;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  ok = store_run (store, G_STRFUNC, report_op, &a, error);
  if (ok && cancel_requested)
    *cancel_requested = a.flag;
  return ok;
}

gboolean
winnow_task_store_renew_lease (WinnowTaskStore *store, gint64 id, const char *owner,
                               gint64 lease_ms, gboolean *cancel_requested, GError **error)
{
  return winnow_task_store_report (store, id, owner, -1, lease_ms, cancel_requested, error);
}

gboolean
winnow_task_store_set_progress (WinnowTaskStore *store, gint64 id, const char *owner,
                                double progress, GError **error)
{
  return winnow_task_store_report (store, id, owner, progress, 0, NULL, error);
}

static gboolean
check_running_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn,
    "SELECT value, t.cancel_requested,"
    "  t.status = 'PROCESSING' AND substr (t.lease_owner, 1, length (?2)) = ?2 "
    "FROM json_each (?1) LEFT JOIN tasks t ON t.id = value", error);
  int rc;

  if (s == NULL)
    return FALSE;
  g_array_set_size (a->out1, 0);
  g_array_set_size (a->out2, 0);
  sqlite3_bind_text (s, 1, store_ids_json (a->ids), -1, g_free);
  store_bind_text (s, 2, a->owner);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      if (sqlite3_column_int (s, 2) == 0)
        g_array_append_val (a->out2, id);
      else if (sqlite3_column_int (s, 1) == CANCEL_ASKED)
        g_array_append_val (a->out1, id);
    }
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/**
 * winnow_task_store_check_running:
 * @owner: what the owners of @ids begin with (one process's workers
 *   share a prefix)
 * @ids: (element-type gint64): tasks @owner runs
 * @cancelled: (element-type gint64): filled with those whose cancel was asked
 * @lost: (element-type gint64): filled with those @owner no longer holds
 *
 * A read, which never waits for a writer: how a worker hears of a cancel
 * asked by another process, within a moment.
 */
gboolean
winnow_task_store_check_running (WinnowTaskStore *store, const char *owner, GArray *ids,
                                 GArray *cancelled, GArray *lost, GError **error)
{
  StoreArgs a = { .owner = owner, .ids = ids, .out1 = cancelled, .out2 = lost };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL && ids != NULL && cancelled != NULL && lost != NULL, FALSE);
  return store_run (store, G_STRFUNC, check_running_op, &a, error);
}

static gboolean
begin_commit_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn,
    "UPDATE tasks SET cancel_requested = 2 "
    "WHERE id = ? AND lease_owner = ? AND status = 'PROCESSING' AND cancel_requested != 1", error);
  int rc;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, a->id);
  store_bind_text (s, 2, a->owner);
  if (!store_step_done (store, conn, s, error))
    return FALSE;
  a->flag = FALSE;
  if (sqlite3_changes (conn->db) > 0)
    return TRUE;
  /* held, but asked to cancel first; or no longer held */
  s = store_prepare (store, conn,
    "SELECT 1 FROM tasks WHERE id = ? AND lease_owner = ? AND status = 'PROCESSING'", error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, a->id);
  store_bind_text (s, 2, a->owner);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc == SQLITE_ROW)
    {
      a->flag = TRUE;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return store_fail (store, conn, rc, error);
  return store_explain_not_held (store, conn, a->id, a->owner, error);
}

/**
 * winnow_task_store_begin_commit:
 * @cancel_requested: (out): set when a cancel was asked first: the worker
 *   then throws its output away
 *
 * The worker holding task @id is about to put its output in place: from
 * now on a cancel is refused ("too late"), so a cancel the store accepted
 * is never lost.
 */
gboolean
winnow_task_store_begin_commit (WinnowTaskStore *store, gint64 id, const char *owner,
                                gboolean *cancel_requested, GError **error)
{
  StoreArgs a = { .id = id, .owner = owner };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL && cancel_requested != NULL, FALSE);
  if (!store_run (store, G_STRFUNC, begin_commit_op, &a, error))
    return FALSE;
  *cancel_requested = a.flag;
  return TRUE;
}

/* Moves a task @owner holds to a final status, reached at @when (as
 * store_now() writes it) or now. */
gboolean
store_finish_on (WinnowTaskStore *store, StoreConn *conn, gint64 id, const char *owner,
                 const char *status, const char *message, const WinnowTaskResult *result,
                 const char *when, GError **error)
{
  g_autofree char *now = when ? g_strdup (when) : store_now (0);
  sqlite3_stmt *s = store_prepare (store, conn,
    "UPDATE tasks SET status = ?1, finished_at = ?2, error = ?3,"
    "  progress = CASE WHEN ?1 = 'COMPLETED' THEN 1 ELSE progress END,"
    "  duration = (julianday (?2) - julianday (started_at)) * 86400,"
    "  rows_in = ?4, rows_out = ?5, lease_owner = NULL, lease_expires_at = NULL,"
    "  cancel_requested = 0 "
    "WHERE id = ?6 AND lease_owner = ?7 AND status = 'PROCESSING'", error);

  if (s == NULL)
    return FALSE;
  store_bind_text (s, 1, status);
  store_bind_text (s, 2, now);
  store_bind_text (s, 3, message);
  if (result)
    {
      sqlite3_bind_int64 (s, 4, result->rows_read);
      sqlite3_bind_int64 (s, 5, result->rows_written);
    }
  sqlite3_bind_int64 (s, 6, id);
  store_bind_text (s, 7, owner);
  if (!store_step_done (store, conn, s, error))
    return FALSE;
  if (sqlite3_changes (conn->db) == 0)
    return store_explain_not_held (store, conn, id, owner, error);
  g_debug ("task %" G_GINT64_FORMAT " %s", id, status);
  return TRUE;
}

gboolean
store_insert_result (WinnowTaskStore *store, StoreConn *conn, gint64 id,
                     const WinnowTaskResult *r, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn,
    "INSERT OR REPLACE INTO task_results (task_id, summary, columns, preview) "
    "VALUES (?, ?, ?, ?)", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  store_bind_text (s, 2, r->summary);
  store_bind_text (s, 3, r->columns);
  store_bind_text (s, 4, r->preview);
  return store_step_done (store, conn, s, error);
}

static gboolean
complete_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  gboolean ok;

  if (!store_begin (store, conn, error))
    return FALSE;
  ok = store_finish_on (store, conn, a->id, a->owner, "COMPLETED", NULL, a->result, NULL,
                        error) &&
       store_insert_result (store, conn, a->id, a->result, error);
  return store_commit (store, conn, ok, error);
}

/* COMPLETED, with its result; only by the worker holding the task. */
gboolean
winnow_task_store_complete (WinnowTaskStore *store, gint64 id, const char *owner,
                            const WinnowTaskResult *result, GError **error)
{
  StoreArgs a = { .id = id, .owner = owner, .result = result };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL && result != NULL, FALSE);
  return store_run (store, G_STRFUNC, complete_op, &a, error);
}

static gboolean
finish_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  return store_finish_on (store, conn, a->id, a->owner, a->run, a->text, NULL, NULL, error);
}

/* FAILED, with the message a user reads. */
gboolean
winnow_task_store_fail (WinnowTaskStore *store, gint64 id, const char *owner,
                        const char *message, GError **error)
{
  StoreArgs a = { .id = id, .owner = owner, .run = "FAILED", .text = message };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  return store_run (store, G_STRFUNC, finish_op, &a, error);
}

/* CANCELLED: the worker stopped it after a cancel. */
gboolean
winnow_task_store_finish_cancelled (WinnowTaskStore *store, gint64 id, const char *owner,
                                    GError **error)
{
  StoreArgs a = { .id = id, .owner = owner, .run = "CANCELLED" };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  return store_run (store, G_STRFUNC, finish_op, &a, error);
}

static gboolean
release_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  g_autofree char *now = store_now (0);
  sqlite3_stmt *s = store_prepare (store, conn,
    "UPDATE tasks SET"
    "  status = CASE WHEN cancel_requested = 1 THEN 'CANCELLED' ELSE 'PENDING' END,"
    "  finished_at = CASE WHEN cancel_requested = 1 THEN ?3 ELSE NULL END,"
    "  started_at = CASE WHEN cancel_requested = 1 THEN started_at ELSE NULL END,"
    "  progress = 0, lease_owner = NULL, lease_expires_at = NULL, cancel_requested = 0 "
    "WHERE id = ?1 AND lease_owner = ?2 AND status = 'PROCESSING'", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, a->id);
  store_bind_text (s, 2, a->owner);
  store_bind_text (s, 3, now);
  if (!store_step_done (store, conn, s, error))
    return FALSE;
  return sqlite3_changes (conn->db) > 0 ||
         store_explain_not_held (store, conn, a->id, a->owner, error);
}

/* Back to PENDING: the worker stops without finishing (its process is
 * shutting down), so another worker may take the task; but a task whose
 * cancel was asked ends CANCELLED, never queued again. */
gboolean
winnow_task_store_release (WinnowTaskStore *store, gint64 id, const char *owner, GError **error)
{
  StoreArgs a = { .id = id, .owner = owner };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  return store_run (store, G_STRFUNC, release_op, &a, error);
}
