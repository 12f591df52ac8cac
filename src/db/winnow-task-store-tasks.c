/* winnow-task-store-tasks.c: tasks as the faces see them (docs/ARCHITECTURE.md,
 * "Task lifecycle"): reading, adding (and the batch runs that add them),
 * and what a user asks: cancel, retry, delete, clear. A task's life from
 * its claim to its end is in winnow-task-store-claims.c.
 *
 * Every change that takes more than one statement runs in a BEGIN
 * IMMEDIATE transaction, so that the write lock is taken up front and two
 * writers never deadlock on an upgrade. Every value goes through a bound
 * parameter. Each public function packs its arguments, and store_run()
 * runs the op on a borrowed connection, again while the history is busy.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* Task ids as a JSON list, bound to one parameter and read back with
 * json_each(): a list of any length in one prepared statement; NULL is
 * an empty one. */
char *
store_ids_json (const GArray *ids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

gboolean
store_state_error (GError **error, gint64 id, WinnowTaskStatus status, const char *what)
{
  g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE,
               /* Translators: a task's number, its status as the database stores it
                * (such as COMPLETED), then why the change is refused */
               _("task %lld is %s: %s"), (long long) id, winnow_task_status_to_string (status),
               what);
  return FALSE;
}

/* ---- reading ---- */

#define GET_SQL \
  "SELECT " TASK_COLUMNS ", r.summary, r.columns, r.preview, r.task_id " \
  "FROM tasks LEFT JOIN task_results r ON r.task_id = tasks.id"

/* A row of GET_SQL: the task with its result, if it has one. */
static WinnowTask *
read_task_with_result (sqlite3_stmt *s)
{
  WinnowTask *task = store_read_task (s);

  if (sqlite3_column_type (s, N_TASK_COLUMNS + 3) != SQLITE_NULL)
    {
      g_autoptr(WinnowTaskResult) r = g_new0 (WinnowTaskResult, 1);
      r->rows_read = winnow_task_get_rows_in (task);
      r->rows_written = winnow_task_get_rows_out (task);
      r->summary = store_column_text (s, N_TASK_COLUMNS);
      r->columns = store_column_text (s, N_TASK_COLUMNS + 1);
      r->preview = store_column_text (s, N_TASK_COLUMNS + 2);
      winnow_task_set_result (task, r);
    }
  return task;
}

/* Task @id with its result; NOT_FOUND when there is none. */
WinnowTask *
store_get_on (WinnowTaskStore *store, StoreConn *conn, gint64 id, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn, GET_SQL " WHERE tasks.id = ?", error);
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
      sqlite3_reset (s);
      store_fail (store, conn, rc, error);
      return NULL;
    }
  task = read_task_with_result (s);
  sqlite3_reset (s);
  return task;
}

static gboolean
get_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  a->task = store_get_on (store, conn, a->id, error);
  return a->task != NULL;
}

/**
 * winnow_task_store_get:
 * Returns: (transfer full): task @id with its result, if it has one
 */
WinnowTask *
winnow_task_store_get (WinnowTaskStore *store, gint64 id, GError **error)
{
  StoreArgs a = { .id = id };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  store_run (store, G_STRFUNC, get_op, &a, error);
  return a.task;
}

static gboolean
get_many_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn,
    GET_SQL " WHERE tasks.id IN (SELECT value FROM json_each (?))", error);
  int rc;

  if (s == NULL)
    return FALSE;
  g_ptr_array_set_size (a->tasks, 0);
  sqlite3_bind_text (s, 1, store_ids_json (a->ids), -1, g_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (a->tasks, read_task_with_result (s));
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/**
 * winnow_task_store_get_many:
 * @ids: (element-type gint64): the tasks to read
 *
 * Returns: (transfer full) (element-type WinnowTask): those of @ids that
 *   exist, with their results, in no particular order
 */
GPtrArray *
winnow_task_store_get_many (WinnowTaskStore *store, GArray *ids, GError **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  StoreArgs a = { .ids = ids, .tasks = tasks };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);
  if (!store_run (store, G_STRFUNC, get_many_op, &a, error))
    return NULL;
  return g_steal_pointer (&tasks);
}

/* ---- adding ---- */

static gboolean
upsert_run (WinnowTaskStore *store, StoreConn *conn, const char *run, gint64 lease_ms,
            GError **error)
{
  g_autofree char *expiry = store_now (lease_ms);
  sqlite3_stmt *s = store_prepare (store, conn,
    "INSERT INTO runs (id, lease_expires_at) VALUES (?1, ?2) "
    "ON CONFLICT (id) DO UPDATE SET lease_expires_at = ?2", error);

  if (s == NULL)
    return FALSE;
  store_bind_text (s, 1, run);
  store_bind_text (s, 2, expiry);
  return store_step_done (store, conn, s, error);
}

static gboolean
add_one (WinnowTaskStore *store, StoreConn *conn, const WinnowTaskSpec *spec, const char *run,
         const char *now, GPtrArray *added, GError **error)
{
  g_autofree char *name = g_path_get_basename (spec->input_path);
  sqlite3_stmt *s = store_prepare (store, conn,
    "INSERT INTO tasks (input_path, output_path, file_name, status, recipe, created_at,"
    "  replace_output, run_id) VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?) RETURNING " TASK_COLUMNS,
    error);
  WinnowTask *task = NULL;
  int rc;

  if (s == NULL)
    return FALSE;
  store_bind_text (s, 1, spec->input_path);
  store_bind_text (s, 2, spec->output_path);
  store_bind_text (s, 3, name);
  store_bind_text (s, 4, spec->recipe_json);
  store_bind_text (s, 5, now);
  sqlite3_bind_int (s, 6, spec->replace_output ? 1 : 0);
  store_bind_text (s, 7, run);
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
      return store_fail (store, conn, rc, error);
    }
  g_ptr_array_add (added, task);
  return TRUE;
}

static gboolean
add_many_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  g_autofree char *now = store_now (0);
  gboolean ok;

  g_ptr_array_set_size (a->tasks, 0);
  if (!store_begin (store, conn, error))
    return FALSE;
  ok = a->run == NULL || upsert_run (store, conn, a->run, a->lease_ms, error);
  for (guint i = 0; ok && i < a->n_specs; i++)
    ok = add_one (store, conn, &a->specs[i], a->run, now, a->tasks, error);
  if (!store_commit (store, conn, ok, error))
    {
      g_ptr_array_set_size (a->tasks, 0);
      return FALSE;
    }
  return TRUE;
}

/**
 * winnow_task_store_add_many:
 * @specs: (array length=n_specs): the tasks
 * @run: (nullable): the batch run that queues them, or %NULL for the
 *   window's queue
 * @run_lease_ms: how long @run lives without renewal
 *
 * Adds PENDING tasks, all or none, in one transaction: a full disk or a
 * killed process never leaves half a batch queued. A batch run's tasks are
 * claimed only by that run; if the run ends (its process is gone, or its
 * lease runs out) before they finish, they fail with
 * WINNOW_STORE_INTERRUPTED_MESSAGE. The window's tasks (@run %NULL) wait
 * for any window.
 *
 * Returns: (transfer full) (element-type WinnowTask): the new tasks, in
 *   the order of @specs
 */
GPtrArray *
winnow_task_store_add_many (WinnowTaskStore *store, const WinnowTaskSpec *specs, guint n_specs,
                            const char *run, gint64 run_lease_ms, GError **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  StoreArgs a = { .specs = specs, .n_specs = n_specs, .run = run, .lease_ms = run_lease_ms,
             .tasks = tasks };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (specs != NULL || n_specs == 0, NULL);
  for (guint i = 0; i < n_specs; i++)
    g_return_val_if_fail (specs[i].input_path && specs[i].output_path && specs[i].recipe_json, NULL);
  if (!store_run (store, G_STRFUNC, add_many_op, &a, error))
    return NULL;
  for (guint i = 0; i < tasks->len; i++)
    g_debug ("task %" G_GINT64_FORMAT " added: %s",
             winnow_task_get_id (g_ptr_array_index (tasks, i)),
             winnow_task_get_input_path (g_ptr_array_index (tasks, i)));
  return g_steal_pointer (&tasks);
}

/**
 * winnow_task_store_add:
 *
 * Adds a PENDING task to the window's queue.
 *
 * Returns: (transfer full): the new task
 */
WinnowTask *
winnow_task_store_add (WinnowTaskStore *store, const char *input_path, const char *output_path,
                       const char *recipe_json, gboolean replace_output, GError **error)
{
  WinnowTaskSpec spec = { input_path, output_path, recipe_json, replace_output };
  g_autoptr(GPtrArray) tasks = winnow_task_store_add_many (store, &spec, 1, NULL, 0, error);

  return tasks ? g_object_ref (g_ptr_array_index (tasks, 0)) : NULL;
}

static gboolean
renew_run_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  return upsert_run (store, conn, a->run, a->lease_ms, error);
}

/* A batch run is alive: its queued tasks wait for it @lease_ms more. */
gboolean
winnow_task_store_renew_run (WinnowTaskStore *store, const char *run, gint64 lease_ms,
                             GError **error)
{
  StoreArgs a = { .run = run, .lease_ms = lease_ms };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (run != NULL, FALSE);
  return store_run (store, G_STRFUNC, renew_run_op, &a, error);
}

static gboolean
end_run_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn, "DELETE FROM runs WHERE id = ?", error);

  if (s == NULL)
    return FALSE;
  store_bind_text (s, 1, a->run);
  return store_step_done (store, conn, s, error) && store_recover (store, conn, NULL, error) >= 0;
}

/* A batch run is over: what it left unfinished fails at once (its name
 * is no longer one of a live owner, winnow_task_store_end_owner()). */
gboolean
winnow_task_store_end_run (WinnowTaskStore *store, const char *run, GError **error)
{
  StoreArgs a = { .run = run };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  g_return_val_if_fail (run != NULL, FALSE);
  winnow_task_store_end_owner (run);
  return store_run (store, G_STRFUNC, end_run_op, &a, error);
}

/* ---- the user's side ---- */

static gboolean
cancel_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  g_autofree char *now = store_now (0);
  g_autoptr(WinnowTask) task = NULL;
  StoreGuard guard = { .fd = -1 };
  sqlite3_stmt *s;
  gboolean ok = FALSE, committed;

  if (!store_begin (store, conn, error))
    return FALSE;
  task = store_get_on (store, conn, a->id, error);
  if (task == NULL)
    return store_commit (store, conn, FALSE, NULL);

  switch (winnow_task_get_status (task))
    {
    case WINNOW_TASK_PENDING:
      s = store_prepare (store, conn,
        "UPDATE tasks SET status = 'CANCELLED', finished_at = ? WHERE id = ?", error);
      if (s != NULL)
        {
          store_bind_text (s, 1, now);
          sqlite3_bind_int64 (s, 2, a->id);
          ok = store_step_done (store, conn, s, error);
        }
      break;
    case WINNOW_TASK_PROCESSING:
      /* a worker that could not say so here may have said it beside the
       * history; its lock is kept until this transaction ends */
      if (!store_guard_cancel (store, conn, a->id, &guard, error))
        break;
      s = store_prepare (store, conn,
        "UPDATE tasks SET cancel_requested = 1 WHERE id = ? AND cancel_requested != 2", error);
      if (s != NULL)
        {
          sqlite3_bind_int64 (s, 1, a->id);
          ok = store_step_done (store, conn, s, error);
          if (ok && sqlite3_changes (conn->db) == 0)
            ok = store_state_error (error, a->id, WINNOW_TASK_PROCESSING,
                              _("its output is being put in place; it can no longer be "
                                "cancelled"));
        }
      break;
    case WINNOW_TASK_COMPLETED:
    case WINNOW_TASK_FAILED:
    case WINNOW_TASK_CANCELLED:
    default:
      store_state_error (error, a->id, winnow_task_get_status (task), _("it has already finished"));
      break;
    }
  committed = store_commit (store, conn, ok, error);
  store_guard_clear (&guard);
  if (!committed)
    return FALSE;
  a->flag = winnow_task_get_status (task) == WINNOW_TASK_PENDING;
  return TRUE;
}

/**
 * winnow_task_store_cancel:
 *
 * A PENDING task becomes CANCELLED at once. For a PROCESSING task the
 * cancel is recorded, and the worker holding it (in this process or
 * another) stops it within a second and finishes it CANCELLED; once the
 * worker is putting its output in place, the cancel is refused instead.
 */
gboolean
winnow_task_store_cancel (WinnowTaskStore *store, gint64 id, GError **error)
{
  StoreArgs a = { .id = id };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  if (!store_run (store, G_STRFUNC, cancel_op, &a, error))
    return FALSE;
  g_debug ("task %" G_GINT64_FORMAT " cancel %s", id, a.flag ? "done" : "requested");
  return TRUE;
}

static gboolean
retry_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  g_autoptr(WinnowTask) task = NULL;
  sqlite3_stmt *s;
  gboolean ok = FALSE;

  if (!store_begin (store, conn, error))
    return FALSE;
  task = store_get_on (store, conn, a->id, error);
  if (task == NULL)
    return store_commit (store, conn, FALSE, NULL);
  if (winnow_task_get_status (task) != WINNOW_TASK_FAILED &&
      winnow_task_get_status (task) != WINNOW_TASK_CANCELLED)
    {
      store_state_error (error, a->id, winnow_task_get_status (task),
                   _("only a failed or cancelled task can be retried"));
      return store_commit (store, conn, FALSE, NULL);
    }
  /* the retrier's queue */
  s = store_prepare (store, conn,
    "UPDATE tasks SET status = 'PENDING', attempts = attempts + 1, error = NULL,"
    "  started_at = NULL, finished_at = NULL, progress = 0, rows_in = NULL, rows_out = NULL,"
    "  duration = NULL, cancel_requested = 0, run_id = ?2 WHERE id = ?1", error);
  if (s != NULL)
    {
      sqlite3_bind_int64 (s, 1, a->id);
      store_bind_text (s, 2, a->run);
      ok = store_step_done (store, conn, s, error);
    }
  if (ok)
    {
      s = store_prepare (store, conn, "DELETE FROM task_results WHERE task_id = ?", error);
      ok = s != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (s, 1, a->id);
          ok = store_step_done (store, conn, s, error);
        }
    }
  return store_commit (store, conn, ok, error);
}

/**
 * winnow_task_store_retry:
 * @run: (nullable): the batch run whose queue takes it, or %NULL for the
 *   window's
 *
 * FAILED or CANCELLED back to PENDING, with one more attempt.
 */
gboolean
winnow_task_store_retry (WinnowTaskStore *store, gint64 id, const char *run, GError **error)
{
  StoreArgs a = { .id = id, .run = run };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  if (!store_run (store, G_STRFUNC, retry_op, &a, error))
    return FALSE;
  g_debug ("task %" G_GINT64_FORMAT " back to pending for another attempt", id);
  return TRUE;
}

static gboolean
delete_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn,
    "DELETE FROM tasks WHERE id = ? AND status != 'PROCESSING' RETURNING id", error);
  g_autoptr(WinnowTask) task = NULL;
  int rc;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, a->id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    rc = sqlite3_step (s);
  else if (rc == SQLITE_DONE)
    rc = SQLITE_NOTFOUND;  /* nothing deleted: say why below */
  sqlite3_reset (s);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_NOTFOUND)
    return store_fail (store, conn, rc, error);
  task = store_get_on (store, conn, a->id, error);
  if (task == NULL)
    return FALSE;
  return store_state_error (error, a->id, winnow_task_get_status (task),
                      _("cancel it before deleting it"));
}

/* Removes a task that is not running, with its result. */
gboolean
winnow_task_store_delete (WinnowTaskStore *store, gint64 id, GError **error)
{
  StoreArgs a = { .id = id };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  if (!store_run (store, G_STRFUNC, delete_op, &a, error))
    return FALSE;
  g_debug ("task %" G_GINT64_FORMAT " deleted", id);
  return TRUE;
}

static gboolean
clear_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn,
    "DELETE FROM tasks WHERE status IN " FINAL_STATUSES " AND (?1 <= 0 OR id <= ?1)"
    " AND id NOT IN (SELECT value FROM json_each (?2))", error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, a->number);
  sqlite3_bind_text (s, 2, store_ids_json (a->ids), -1, g_free);
  if (!store_step_done (store, conn, s, error))
    return FALSE;
  a->number = sqlite3_changes64 (conn->db);
  return TRUE;
}

/**
 * winnow_task_store_clear_finished:
 * @upto_id: only tasks with ids up to this one (those the user saw when
 *   asking), or 0 for every finished task
 * @keep: (nullable) (element-type gint64): ids up to @upto_id to keep
 *   even if they are finished now: they were not when the clear was
 *   counted (winnow_task_store_count_finished()), so it did not count
 *   them
 *
 * Deletes finished tasks (COMPLETED, FAILED, CANCELLED) from the history.
 *
 * Returns: how many, or -1
 */
gint64
winnow_task_store_clear_finished (WinnowTaskStore *store, gint64 upto_id, const GArray *keep,
                                  GError **error)
{
  StoreArgs a = { .number = upto_id, .ids = (GArray *) keep };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), -1);
  if (!store_run (store, G_STRFUNC, clear_op, &a, error))
    return -1;
  return a.number;
}

static gboolean
count_finished_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  StoreArgs *a = data;
  /* one statement, so one snapshot: the count, the last id counted, and
   * the tasks up to it that were not finished (each row names one) */
  sqlite3_stmt *s = store_prepare (store, conn,
    "WITH done (n, last) AS ("
    "  SELECT count(*), coalesce (max (id), 0) FROM tasks WHERE status IN " FINAL_STATUSES
    "    AND id NOT IN (SELECT value FROM json_each (?1)))"
    " SELECT done.n, done.last, tasks.id FROM done LEFT JOIN tasks"
    "  ON tasks.status IN ('PENDING', 'PROCESSING') AND tasks.id <= done.last", error);
  int rc;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, store_ids_json (a->ids), -1, g_free);
  g_array_set_size (a->out1, 0);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      a->number = sqlite3_column_int64 (s, 0);
      a->id = sqlite3_column_int64 (s, 1);
      if (sqlite3_column_type (s, 2) != SQLITE_NULL)
        {
          gint64 id = sqlite3_column_int64 (s, 2);
          g_array_append_val (a->out1, id);
        }
    }
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/**
 * winnow_task_store_count_finished:
 * @hidden: (nullable) (element-type gint64): tasks left out, whatever
 *   their status (deleted, their undo offered: their own deletion decides
 *   their fate, and an undo of it brings them back)
 * @last_id: (out) (optional): the highest id among them
 * @unfinished: (out) (optional) (transfer full) (element-type gint64):
 *   the tasks with ids up to @last_id that were not finished, and those
 *   in @hidden, in no order: what winnow_task_store_clear_finished() is
 *   to keep
 *
 * Returns: how many finished tasks the history holds, or -1
 */
gint64
winnow_task_store_count_finished (WinnowTaskStore *store, const GArray *hidden, gint64 *last_id,
                                  GArray **unfinished, GError **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  StoreArgs a = { .out1 = ids, .ids = (GArray *) hidden };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), -1);
  if (!store_run (store, G_STRFUNC, count_finished_op, &a, error))
    return -1;
  if (hidden != NULL)
    g_array_append_vals (ids, hidden->data, hidden->len);
  if (last_id)
    *last_id = a.id;
  if (unfinished)
    *unfinished = g_steal_pointer (&ids);
  return a.number;
}
