/* winnow-history-call.c: see winnow-history-call.h. */
#include "config.h"

#include "winnow-history-call.h"

#include "winnow-task-store.h"

/* A user's action is said to wait for the history once it has waited
 * this long for another program's lock. */
#define BUSY_AFTER_MS 700
/* Between two tries of an action the history refused as busy. */
#define RETRY_PAUSE_MS 250

typedef struct {
  char *what;
  WinnowHistoryFunc func;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
  GAsyncReadyCallback callback;
  gpointer user_data;
  gint waiting;            /* raised by the store, on the worker thread */
  gboolean announced;      /* main thread only */
  guint timer;
} Call;

static WinnowHistoryBusyFunc busy_func;
static gpointer busy_data;
static guint n_pending;

static void
call_free (gpointer data)
{
  Call *call = data;

  if (call->data_free != NULL)
    call->data_free (call->data);
  g_free (call->what);
  g_free (call);
}

static void
call_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Call *call = task_data;

  winnow_task_store_watch_waits (&call->waiting);
  for (;;)
    {
      GError *error = NULL;
      gpointer result = call->func (call->data, &error);

      if (result != NULL)
        {
          winnow_task_store_watch_waits (NULL);
          g_task_return_pointer (task, result, call->result_free);
          return;
        }
      /* an action the user asked for is done when the history is free */
      if (call->what != NULL && !g_cancellable_is_cancelled (cancellable) &&
          g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY))
        {
          g_atomic_int_set (&call->waiting, 1);
          g_error_free (error);
          g_usleep (RETRY_PAUSE_MS * 1000);
          continue;
        }
      winnow_task_store_watch_waits (NULL);
      g_task_return_error (task, error);
      return;
    }
}

static gboolean
check_busy (gpointer data)
{
  Call *call = data;

  if (!call->announced && g_atomic_int_get (&call->waiting))
    {
      call->announced = TRUE;
      if (busy_func != NULL)
        busy_func (call->what, TRUE, busy_data);
    }
  return G_SOURCE_CONTINUE;
}

static void
call_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  g_clear_handle_id (&call->timer, g_source_remove);
  if (call->announced && busy_func != NULL)
    busy_func (call->what, FALSE, busy_data);
  n_pending--;
  if (call->callback != NULL)
    call->callback (source, result, call->user_data);
}

/**
 * winnow_history_call:
 * @what: (nullable): for a user's action, what it does in words
 *   ("deleting “data.csv”"): it is tried again while the history is busy,
 *   and the busy function hears of it; %NULL for a read, which fails as
 *   any call does
 * @result_free: frees @func's result if the callback does not take it
 *
 * Runs @func(@data) on a worker thread; @callback runs on the calling
 * thread's main context, and gets the result from
 * winnow_history_call_finish().
 */
void
winnow_history_call (const char *what, WinnowHistoryFunc func, gpointer data,
                     GDestroyNotify data_free, GDestroyNotify result_free,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Call *call = g_new0 (Call, 1);
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, call_done, NULL);

  g_return_if_fail (func != NULL);
  call->what = g_strdup (what);
  call->func = func;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;
  call->callback = callback;
  call->user_data = user_data;
  g_task_set_task_data (task, call, call_free);
  g_task_set_source_tag (task, winnow_history_call);
  if (what != NULL)
    call->timer = g_timeout_add (BUSY_AFTER_MS, check_busy, call);
  n_pending++;
  g_task_run_in_thread (task, call_thread);
}

/**
 * winnow_history_call_finish:
 * Returns: (transfer full): what the function returned, or %NULL
 */
gpointer
winnow_history_call_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The @data a call was given, for its callback. */
gpointer
winnow_history_call_get_data (GAsyncResult *result)
{
  Call *call;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  call = g_task_get_task_data (G_TASK (result));
  return call->data;
}

/* The one function (the window's) that says the history is busy. */
void
winnow_history_set_busy_func (WinnowHistoryBusyFunc func, gpointer user_data)
{
  busy_func = func;
  busy_data = user_data;
}

/* How many calls are under way: the application waits for them (a
 * delete confirmed as the window closes) before it quits. */
guint
winnow_history_get_n_pending (void)
{
  return n_pending;
}

/* ---- the common calls ---- */

typedef struct {
  WinnowScheduler *scheduler;
  WinnowTaskStore *store;
  WinnowHistoryAction action;
  gint64 id;
  GArray *keep;
} Act;

static void
act_free (gpointer data)
{
  Act *act = data;

  g_clear_object (&act->scheduler);
  g_clear_object (&act->store);
  g_clear_pointer (&act->keep, g_array_unref);
  g_free (act);
}

static gpointer
act_thread (gpointer data, GError **error)
{
  Act *act = data;
  gint64 number = 1;
  gboolean ok = FALSE;

  switch (act->action)
    {
    case WINNOW_HISTORY_CANCEL:
      ok = winnow_scheduler_cancel (act->scheduler, act->id, error);
      break;
    case WINNOW_HISTORY_RETRY:
      ok = winnow_scheduler_retry (act->scheduler, act->id, error);
      break;
    case WINNOW_HISTORY_DELETE:
      ok = winnow_task_store_delete (winnow_scheduler_get_store (act->scheduler), act->id, error);
      break;
    case WINNOW_HISTORY_CLEAR_FINISHED:
      number = winnow_task_store_clear_finished (winnow_scheduler_get_store (act->scheduler),
                                                 act->id, act->keep, error);
      ok = number >= 0;
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? g_memdup2 (&number, sizeof number) : NULL;
}

/* The deletions and clears under way, until they land (main thread
 * only): what winnow_history_keep_unlanded() keeps if the application
 * quits before. Each Act is its call's, removed as the call lands, before
 * the call frees it. */
static GPtrArray *unlanded;

typedef struct {
  Act *act;
  GAsyncReadyCallback callback;
  gpointer user_data;
} Landing;

static void
act_landed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autofree Landing *landing = data;

  g_ptr_array_remove_fast (unlanded, landing->act);
  if (landing->callback != NULL)
    landing->callback (source, result, landing->user_data);
}

/**
 * winnow_history_act:
 * @what: the action in words, for the message when the history is busy
 *
 * Cancels, retries, deletes task @id, or clears every finished task up to
 * @id (winnow_history_clear_finished() keeps those not counted), off the
 * thread that draws; while the history is busy it is tried
 * again (see winnow_history_call()).
 */
static void
act_start (WinnowScheduler *scheduler, WinnowHistoryAction action, gint64 id, const GArray *keep,
           const char *what, GAsyncReadyCallback callback, gpointer user_data)
{
  Act *act = g_new0 (Act, 1);

  act->scheduler = g_object_ref (scheduler);
  act->action = action;
  act->id = id;
  act->keep = keep != NULL ? g_array_copy ((GArray *) keep) : NULL;
  if (action == WINNOW_HISTORY_DELETE || action == WINNOW_HISTORY_CLEAR_FINISHED)
    {
      Landing *landing = g_new0 (Landing, 1);

      if (unlanded == NULL)
        unlanded = g_ptr_array_new ();
      landing->act = act;
      landing->callback = callback;
      landing->user_data = user_data;
      g_ptr_array_add (unlanded, act);
      callback = act_landed;
      user_data = landing;
    }
  winnow_history_call (what, act_thread, act, act_free, g_free, NULL, callback, user_data);
}

static gpointer
keep_thread (gpointer data, GError **error)
{
  GPtrArray *acts = data;
  guint kept = 0;

  for (guint i = 0; i < acts->len; i++)
    {
      Act *act = g_ptr_array_index (acts, i);
      g_autoptr(GError) local_error = NULL;
      gboolean ok = act->action == WINNOW_HISTORY_DELETE
                      ? winnow_task_store_defer_delete (act->store, act->id, &local_error)
                      : winnow_task_store_defer_clear (act->store, act->id, act->keep,
                                                       &local_error);

      if (ok)
        kept++;
      else
        g_warning ("the history was busy as Winnow quit, and a deletion could not be kept "
                   "for later: %s", local_error->message);
    }
  return g_memdup2 (&kept, sizeof kept);
}

/**
 * winnow_history_keep_unlanded:
 *
 * The application quits while deletions and clears still wait for a busy
 * history: each is kept in a file beside it, which the next process to
 * open it (or this one's, if the lock goes first) does before anything
 * else (winnow_task_store_defer_delete()). Off the thread that draws;
 * @callback gets how many with winnow_history_keep_unlanded_finish().
 */
void
winnow_history_keep_unlanded (WinnowTaskStore *store, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  GPtrArray *acts = g_ptr_array_new_with_free_func (act_free);

  g_return_if_fail (WINNOW_IS_TASK_STORE (store));
  /* copies: the calls may land, and free theirs, meanwhile */
  for (guint i = 0; unlanded != NULL && i < unlanded->len; i++)
    {
      const Act *act = g_ptr_array_index (unlanded, i);
      Act *copy = g_new0 (Act, 1);

      copy->store = g_object_ref (store);
      copy->action = act->action;
      copy->id = act->id;
      copy->keep = act->keep != NULL ? g_array_copy (act->keep) : NULL;
      g_ptr_array_add (acts, copy);
    }
  winnow_history_call (NULL, keep_thread, acts, (GDestroyNotify) g_ptr_array_unref, g_free,
                       NULL, callback, user_data);
}

/* How many deletions and clears were kept for later. */
guint
winnow_history_keep_unlanded_finish (GAsyncResult *result, GError **error)
{
  g_autofree guint *kept = winnow_history_call_finish (result, error);

  return kept != NULL ? *kept : 0;
}

/* How many deletions and clears have not landed yet. */
guint
winnow_history_get_n_unlanded (void)
{
  return unlanded != NULL ? unlanded->len : 0;
}

void
winnow_history_act (WinnowScheduler *scheduler, WinnowHistoryAction action, gint64 id,
                    const char *what, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  g_return_if_fail (what != NULL);
  act_start (scheduler, action, id, NULL, what, callback, user_data);
}

/**
 * winnow_history_clear_finished:
 * @keep: (nullable) (element-type gint64): tasks up to @upto_id that the
 *   clear did not count (see winnow_task_store_count_finished())
 *
 * Clears the finished tasks up to @upto_id but those in @keep, as
 * winnow_history_act() does an action.
 */
void
winnow_history_clear_finished (WinnowScheduler *scheduler, gint64 upto_id, const GArray *keep,
                               const char *what, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  g_return_if_fail (what != NULL);
  act_start (scheduler, WINNOW_HISTORY_CLEAR_FINISHED, upto_id, keep, what, callback, user_data);
}

/**
 * winnow_history_act_finish:
 * @number: (out) (optional): how many tasks a clear removed
 */
gboolean
winnow_history_act_finish (GAsyncResult *result, gint64 *number, GError **error)
{
  g_autofree gint64 *n = winnow_history_call_finish (result, error);

  if (n != NULL && number != NULL)
    *number = *n;
  return n != NULL;
}

static gpointer
get_thread (gpointer data, GError **error)
{
  Act *act = data;
  return winnow_task_store_get (act->store, act->id, error);
}

/* Reads task @id with its result, off the thread that draws. */
void
winnow_history_get_task (WinnowTaskStore *store, gint64 id, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  Act *act = g_new0 (Act, 1);

  g_return_if_fail (WINNOW_IS_TASK_STORE (store));
  act->store = g_object_ref (store);
  act->id = id;
  winnow_history_call (NULL, get_thread, act, act_free, g_object_unref, cancellable, callback,
                       user_data);
}

/**
 * winnow_history_get_task_finish:
 * Returns: (transfer full): the task, or %NULL
 */
WinnowTask *
winnow_history_get_task_finish (GAsyncResult *result, GError **error)
{
  return winnow_history_call_finish (result, error);
}
