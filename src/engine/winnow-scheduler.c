/* winnow-scheduler.c: see winnow-scheduler.h. The object, its API and
 * its signals, delivered on the owner's context; a worker's job (the
 * pool's threads) is in winnow-scheduler-worker.c, the bookkeeping thread
 * in winnow-scheduler-keeper.c.
 *
 * A job loops: claim a task, clean it, hand its outcome to the
 * bookkeeping thread (winnow-scheduler-keeper.c), claim the next; it ends
 * when the store has nothing for it. A job is started whenever work may
 * have appeared (a task added or retried, the window's periodic poll for
 * tasks left behind) and fewer jobs than workers are active; a wake-up
 * counter closes the gap between a job finding nothing and new work
 * arriving. The cleaning thread never writes to the history while it
 * cleans (progress and leases are the keeper's), except once, just
 * before its output goes in place, to make a late cancel certain.
 */
#include "config.h"

#include "winnow-scheduler-private.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "winnow-recipe.h"
#include "winnow-result-record.h"

/* How often the window looks for tasks left PENDING by a window that
 * closed, or whose worker died. */
#define POLL_MS 2000

G_DEFINE_FINAL_TYPE (WinnowScheduler, winnow_scheduler, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

/* ---- signals on the owner's context ---- */

/* Always through a source: g_main_context_invoke() would run @func at once
 * on a worker thread whose default context is the owner's and happens to
 * be free. */
void
scheduler_schedule_on_owner (WinnowScheduler *self, GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

typedef struct {
  WinnowScheduler *scheduler;
  guint signal;
  WinnowTask *task;
} Emission;

static gboolean
emit_now (gpointer data)
{
  Emission *e = data;
  g_signal_emit (e->scheduler, signals[e->signal], 0, e->task);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;
  g_object_unref (e->scheduler);
  g_object_unref (e->task);
  g_free (e);
}

void
emit_on_owner (WinnowScheduler *self, guint signal, WinnowTask *task)
{
  Emission *e = g_new0 (Emission, 1);

  e->scheduler = g_object_ref (self);
  e->signal = signal;
  e->task = g_object_ref (task);
  scheduler_schedule_on_owner (self, emit_now, e, emission_free);
}

/* The task-progress signal, on the owner's context (deliveries in
 * winnow-scheduler-worker.c). */
void
scheduler_emit_progress (WinnowScheduler *self, WinnowTask *task, double fraction, guint64 rows,
                         WinnowPhase phase)
{
  g_signal_emit (self, signals[TASK_PROGRESS], 0, task, fraction, rows, (gint) phase);
}

/* ---- the object ---- */

static void
winnow_scheduler_dispose (GObject *object)
{
  WinnowScheduler *self = WINNOW_SCHEDULER (object);

  winnow_scheduler_shutdown (self, WINNOW_SHUTDOWN_RELEASE);
  G_OBJECT_CLASS (winnow_scheduler_parent_class)->dispose (object);
}

static void
winnow_scheduler_finalize (GObject *object)
{
  WinnowScheduler *self = WINNOW_SCHEDULER (object);

  g_hash_table_unref (self->running);
  g_hash_table_unref (self->cancels);
  g_hash_table_unref (self->own);
  g_array_unref (self->cancel_queue);
  g_queue_clear_full (&self->outcomes, (GDestroyNotify) outcome_free);
  g_clear_error (&self->claim_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->keeper_cond);
  g_cond_clear (&self->flushed_cond);
  g_main_context_unref (self->context);
  g_object_unref (self->store);
  winnow_task_store_end_owner (self->owner_prefix);
  g_free (self->owner_prefix);
  g_free (self->run);
  G_OBJECT_CLASS (winnow_scheduler_parent_class)->finalize (object);
}

static void
winnow_scheduler_class_init (WinnowSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = winnow_scheduler_dispose;
  object_class->finalize = winnow_scheduler_finalize;

  /**
   * WinnowScheduler::task-added:
   * @task: the new PENDING task
   */
  signals[TASK_ADDED] =
    g_signal_new ("task-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);
  /**
   * WinnowScheduler::task-started:
   * @task: the task, now PROCESSING in this process
   */
  signals[TASK_STARTED] =
    g_signal_new ("task-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);
  /**
   * WinnowScheduler::task-progress:
   * @task: the running task
   * @fraction: of its work, 0 to 1, never going back
   * @rows: rows read so far in the current pass
   * @phase: a #WinnowPhase
   *
   * At most about ten times a second per task.
   */
  signals[TASK_PROGRESS] =
    g_signal_new ("task-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, WINNOW_TYPE_TASK, G_TYPE_DOUBLE, G_TYPE_UINT64, G_TYPE_INT);
  /**
   * WinnowScheduler::task-finished:
   * @task: the task as the store now has it (COMPLETED with its result,
   *   FAILED with its error, CANCELLED, or PENDING again after a
   *   shutdown); or, when its outcome could not be recorded, as it ended
   *   here, with an error saying so. A batch run also hears of its tasks
   *   that ended in another process, or that could not start.
   */
  signals[TASK_FINISHED] =
    g_signal_new ("task-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);
}

static void
winnow_scheduler_init (WinnowScheduler *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->keeper_cond);
  g_cond_init (&self->flushed_cond);
  g_queue_init (&self->outcomes);
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, running_unref);
  self->cancels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->own = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->cancel_queue = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->lease_ms = WINNOW_LEASE_MS;
}

static gboolean
poll_store (gpointer data)
{
  winnow_scheduler_wake (WINNOW_SCHEDULER (data));
  return G_SOURCE_CONTINUE;
}

static void
remove_source (WinnowScheduler *self, guint *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (self->context, *id);
  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}

static gboolean
first_wake (gpointer data)
{
  winnow_scheduler_wake (WINNOW_SCHEDULER (data));
  return G_SOURCE_REMOVE;
}

static void
start_polling (WinnowScheduler *self)
{
  GSource *source;

  remove_source (self, &self->poll_source);
  source = g_timeout_source_new ((guint) MIN (POLL_MS, MAX (self->lease_ms / 2, 100)));
  g_source_set_callback (source, poll_store, self, NULL);
  self->poll_source = g_source_attach (source, self->context);
  g_source_unref (source);
}

/**
 * winnow_scheduler_new:
 * @n_workers: how many tasks run at once (0: one per processor), at most
 *   WINNOW_SCHEDULER_MAX_WORKERS
 * @scope: which PENDING tasks it takes
 *
 * Creates a scheduler whose signals arrive on the calling thread's main
 * context. It touches the store only from its threads. With
 * WINNOW_SCHEDULER_ALL_TASKS it starts on the window's queue as soon as
 * that context runs, and looks for more every two seconds.
 *
 * Returns: (transfer full): the scheduler
 */
WinnowScheduler *
winnow_scheduler_new (WinnowTaskStore *store, guint n_workers, WinnowSchedulerScope scope)
{
  WinnowScheduler *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  self = g_object_new (WINNOW_TYPE_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->scope = scope;
  self->context = g_main_context_ref_thread_default ();
  self->n_workers = CLAMP (n_workers ? n_workers : g_get_num_processors (), 1,
                           WINNOW_SCHEDULER_MAX_WORKERS);
  self->owner_prefix = winnow_task_store_new_owner ();
  if (scope == WINNOW_SCHEDULER_OWN_TASKS)
    self->run = g_strdup (self->owner_prefix);
  /* exclusive: its threads run at a lower priority (winnow-scheduler-worker.c) */
  self->pool = g_thread_pool_new (scheduler_worker_job, self, (gint) self->n_workers, TRUE, &error);
  g_assert_no_error (error);
  self->keeper = g_thread_new ("winnow-keeper", keeper_main, self);
  if (scope == WINNOW_SCHEDULER_ALL_TASKS)
    {
      scheduler_schedule_on_owner (self, first_wake, g_object_ref (self), g_object_unref);
      start_polling (self);
    }
  return self;
}

WinnowTaskStore *
winnow_scheduler_get_store (WinnowScheduler *scheduler)
{
  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), NULL);
  return scheduler->store;
}

guint
winnow_scheduler_get_n_workers (WinnowScheduler *scheduler)
{
  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), 0);
  return scheduler->n_workers;
}

/* Follows a change of the preference: more workers start at once; with
 * fewer, running tasks finish and no new ones start beyond the limit. */
void
winnow_scheduler_set_n_workers (WinnowScheduler *scheduler, guint n_workers)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  n_workers = CLAMP (n_workers ? n_workers : g_get_num_processors (), 1,
                     WINNOW_SCHEDULER_MAX_WORKERS);
  g_mutex_lock (&scheduler->lock);
  scheduler->n_workers = n_workers;
  g_mutex_unlock (&scheduler->lock);
  /* the pool is freed only by a shutdown, on this same thread */
  if (scheduler->pool != NULL)
    g_thread_pool_set_max_threads (scheduler->pool, (gint) n_workers, NULL);
  winnow_scheduler_wake (scheduler);
}

/**
 * winnow_scheduler_set_profile:
 * @profile: whether the tasks it runs from now on profile their output's
 *   columns (the default); FALSE where nothing will read the profiles
 *   (a batch run that keeps no history and prints no JSON), which spares
 *   the work of profiling every cell (WINNOW_CLEAN_NO_PROFILE)
 */
void
winnow_scheduler_set_profile (WinnowScheduler *scheduler, gboolean profile)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  g_atomic_int_set (&scheduler->no_profile, !profile);
}

/* Lease length for the tasks it claims from now on (tests shorten it). */
void
winnow_scheduler_set_lease_ms (WinnowScheduler *scheduler, gint64 lease_ms)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  scheduler->lease_ms = lease_ms;
  if (scheduler->poll_source != 0)
    start_polling (scheduler);
}

/* For tests: called on the worker thread as each task starts, before the
 * file is opened; it may block to hold the task without progress. */
void
winnow_scheduler_set_run_hook (WinnowScheduler *scheduler, WinnowSchedulerHook hook,
                               gpointer data)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  scheduler->run_hook = hook;
  scheduler->run_hook_data = data;
}

/* For tests: called on the worker thread right after a claim, before the
 * task is registered as running here (a cancel may land meanwhile). */
void
winnow_scheduler_set_claim_hook (WinnowScheduler *scheduler, WinnowSchedulerHook hook,
                                 gpointer data)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  scheduler->claim_hook = hook;
  scheduler->claim_hook_data = data;
}

/* How many tasks run here (their outcome not recorded yet included). */
guint
winnow_scheduler_get_n_running (WinnowScheduler *scheduler)
{
  guint n;

  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), 0);
  g_mutex_lock (&scheduler->lock);
  n = g_hash_table_size (scheduler->running);
  g_mutex_unlock (&scheduler->lock);
  return n;
}

/* Work may have appeared: start jobs up to the number of workers. */
void
winnow_scheduler_wake (WinnowScheduler *scheduler)
{
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  g_mutex_lock (&scheduler->lock);
  scheduler->wakeups++;
  while (!scheduler->stopping && scheduler->pool != NULL &&
         scheduler->active_jobs < scheduler->n_workers)
    {
      g_autoptr(GError) error = NULL;

      scheduler->active_jobs++;
      /* A thread that cannot be made leaves the job queued for one that
       * exists: not an abort, a warning. */
      if (!g_thread_pool_push (scheduler->pool, GINT_TO_POINTER (1), &error))
        g_warning ("could not start a worker thread: %s", error->message);
    }
  g_mutex_unlock (&scheduler->lock);
}

/**
 * winnow_scheduler_add_many:
 * @specs: (array length=n_specs): the tasks
 *
 * Writes PENDING tasks to the store, all or none, and wakes the workers.
 * A batch run's tasks are its own: no other process runs them, and if it
 * dies they fail rather than wait (docs/ARCHITECTURE.md).
 *
 * Returns: (transfer full) (element-type WinnowTask): the tasks
 */
GPtrArray *
winnow_scheduler_add_many (WinnowScheduler *scheduler, const WinnowTaskSpec *specs,
                           guint n_specs, GError **error)
{
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), NULL);
  tasks = winnow_task_store_add_many (scheduler->store, specs, n_specs, scheduler->run,
                                      scheduler->lease_ms, error);
  if (tasks == NULL)
    return NULL;
  if (scheduler->scope == WINNOW_SCHEDULER_OWN_TASKS)
    {
      g_mutex_lock (&scheduler->lock);
      for (guint i = 0; i < tasks->len; i++)
        {
          WinnowTask *task = g_ptr_array_index (tasks, i);
          gint64 *id = g_new (gint64, 1);
          *id = winnow_task_get_id (task);
          g_hash_table_insert (scheduler->own, id, g_object_ref (task));
        }
      g_mutex_unlock (&scheduler->lock);
    }
  for (guint i = 0; i < tasks->len; i++)
    emit_on_owner (scheduler, TASK_ADDED, g_ptr_array_index (tasks, i));
  winnow_scheduler_wake (scheduler);
  return g_steal_pointer (&tasks);
}

/**
 * winnow_scheduler_add:
 * @replace_output: whether the task may replace an existing output file
 *
 * Writes a PENDING task to the store and wakes a worker.
 *
 * Returns: (transfer full): the task
 */
WinnowTask *
winnow_scheduler_add (WinnowScheduler *scheduler, const char *input_path, const char *output_path,
                      const char *recipe_json, gboolean replace_output, GError **error)
{
  WinnowTaskSpec spec = { input_path, output_path, recipe_json, replace_output };
  g_autoptr(GPtrArray) tasks = winnow_scheduler_add_many (scheduler, &spec, 1, error);

  return tasks ? g_object_ref (g_ptr_array_index (tasks, 0)) : NULL;
}

/* Stops task @id if it runs here; remembers the cancel for a task claimed
 * a moment ago and not registered yet. */
static void
cancel_here (WinnowScheduler *self, gint64 id)
{
  Running *r;
  gint64 *key = g_new (gint64, 1);

  *key = id;
  g_mutex_lock (&self->lock);
  g_hash_table_add (self->cancels, key);
  r = g_hash_table_lookup (self->running, &id);
  if (r != NULL)
    {
      g_mutex_lock (&r->lock);
      r->cancel_asked = TRUE;
      g_mutex_unlock (&r->lock);
      g_cancellable_cancel (r->cancellable);
    }
  g_mutex_unlock (&self->lock);
}

/**
 * winnow_scheduler_cancel:
 *
 * A PENDING task is cancelled at once (and reported finished); a task
 * running here stops within a fraction of a second, one running in
 * another process within about a second. Waits for the store: call it
 * off the thread that draws.
 */
gboolean
winnow_scheduler_cancel (WinnowScheduler *scheduler, gint64 id, GError **error)
{
  g_autoptr(WinnowTask) task = NULL;

  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), FALSE);
  if (!winnow_task_store_cancel (scheduler->store, id, error))
    return FALSE;
  cancel_here (scheduler, id);
  task = winnow_task_store_get (scheduler->store, id, NULL);
  if (task != NULL && winnow_task_get_status (task) == WINNOW_TASK_CANCELLED)
    {
      g_mutex_lock (&scheduler->lock);
      g_hash_table_remove (scheduler->own, &id);
      g_mutex_unlock (&scheduler->lock);
      emit_on_owner (scheduler, TASK_FINISHED, task);
    }
  return TRUE;
}

/**
 * winnow_scheduler_cancel_own:
 *
 * A batch run's Ctrl-C: its tasks running here stop at once, no other
 * is started, and the others are cancelled in the store by the
 * bookkeeping thread, again while the history is busy. Does not wait for
 * the store.
 */
void
winnow_scheduler_cancel_own (WinnowScheduler *scheduler)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  g_mutex_lock (&scheduler->lock);
  g_hash_table_iter_init (&iter, scheduler->own);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_append_vals (scheduler->cancel_queue, ids->data, ids->len);
  /* nothing more is started: a claim waiting for a lock gives up (a
   * window's scheduler has no own tasks, and goes on) */
  if (scheduler->scope == WINNOW_SCHEDULER_OWN_TASKS)
    g_atomic_int_set (&scheduler->stop_claims, 1);
  scheduler->pushes++;
  g_cond_signal (&scheduler->keeper_cond);
  g_mutex_unlock (&scheduler->lock);
  for (guint i = 0; i < ids->len; i++)
    cancel_here (scheduler, g_array_index (ids, gint64, i));
}

/* A FAILED or CANCELLED task goes back to this scheduler's queue. */
gboolean
winnow_scheduler_retry (WinnowScheduler *scheduler, gint64 id, GError **error)
{
  g_autoptr(WinnowTask) task = NULL;

  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), FALSE);
  if (!winnow_task_store_retry (scheduler->store, id, scheduler->run, error))
    return FALSE;
  if (scheduler->scope == WINNOW_SCHEDULER_OWN_TASKS)
    task = winnow_task_store_get (scheduler->store, id, NULL);
  g_mutex_lock (&scheduler->lock);
  g_hash_table_remove (scheduler->cancels, &id);
  if (task != NULL)
    {
      gint64 *key = g_new (gint64, 1);
      *key = id;
      g_hash_table_replace (scheduler->own, key, g_steal_pointer (&task));
    }
  g_mutex_unlock (&scheduler->lock);
  winnow_scheduler_wake (scheduler);
  return TRUE;
}

/**
 * winnow_scheduler_rerun:
 *
 * Runs task @id's file again with another recipe, as a new task (the old
 * one stays in the history); the new task may replace the old output.
 *
 * Returns: (transfer full): the new task
 */
WinnowTask *
winnow_scheduler_rerun (WinnowScheduler *scheduler, gint64 id, const char *recipe_json,
                        GError **error)
{
  g_autoptr(WinnowTask) old = NULL;

  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), NULL);
  old = winnow_task_store_get (scheduler->store, id, error);
  if (old == NULL)
    return NULL;
  return winnow_scheduler_add (scheduler, winnow_task_get_input_path (old),
                               winnow_task_get_output_path (old), recipe_json, TRUE, error);
}

/**
 * winnow_scheduler_shutdown:
 *
 * Stops claiming, deals with running tasks as @mode says, waits for the
 * workers, and records their outcomes (for a few seconds at most, while
 * the history is busy: a lease that then runs out is recovered the usual
 * way). A batch run's queue ends with it. Call it on the owner's thread,
 * before dropping the last reference; the scheduler does nothing more
 * after it. Calling it again does nothing.
 */
void
winnow_scheduler_shutdown (WinnowScheduler *scheduler, WinnowShutdown mode)
{
  GHashTableIter iter;
  gpointer value;
  GThreadPool *pool;
  GThread *keeper;
  gint64 deadline;

  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));
  g_mutex_lock (&scheduler->lock);
  if (scheduler->keeper == NULL)
    {
      g_mutex_unlock (&scheduler->lock);
      return;
    }
  scheduler->stopping = TRUE;
  g_atomic_int_set (&scheduler->stop_claims, 1);
  pool = g_steal_pointer (&scheduler->pool);
  g_hash_table_iter_init (&iter, scheduler->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Running *r = value;
      g_mutex_lock (&r->lock);
      if (mode == WINNOW_SHUTDOWN_RELEASE)
        r->release = TRUE;
      g_mutex_unlock (&r->lock);
      if (mode != WINNOW_SHUTDOWN_FINISH)
        g_cancellable_cancel (r->cancellable);
    }
  g_mutex_unlock (&scheduler->lock);

  remove_source (scheduler, &scheduler->poll_source);
  if (pool != NULL)
    g_thread_pool_free (pool, TRUE, TRUE);

  /* the keeper records what the workers left, for a while */
  deadline = g_get_monotonic_time () + SHUTDOWN_FLUSH_MS * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&scheduler->lock);
  scheduler->pushes++;
  g_cond_signal (&scheduler->keeper_cond);
  while ((scheduler->outcomes.length > 0 || scheduler->cancel_queue->len > 0) &&
         g_get_monotonic_time () < deadline)
    g_cond_wait_until (&scheduler->flushed_cond, &scheduler->lock, deadline);
  scheduler->keeper_stop = TRUE;
  keeper = g_steal_pointer (&scheduler->keeper);
  g_cond_signal (&scheduler->keeper_cond);
  g_mutex_unlock (&scheduler->lock);
  g_thread_join (keeper);

  /* from here on, its leases that are left are judged by their time */
  winnow_task_store_end_owner (scheduler->owner_prefix);
  if (scheduler->run != NULL)
    {
      g_autoptr(GError) error = NULL;
      winnow_task_store_set_thread_patience (KEEPER_PATIENCE_MS);
      if (!winnow_task_store_end_run (scheduler->store, scheduler->run, &error))
        g_debug ("the run could not be ended (%s); its lease runs out instead", error->message);
      winnow_task_store_set_thread_patience (0);
    }
  g_debug ("scheduler stopped");
}
