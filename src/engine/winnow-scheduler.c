/* winnow-scheduler.c: see winnow-scheduler.h.
 *
 * Workers are GThreadPool jobs that loop: claim a task, run it, claim the
 * next, and stop when the store has nothing for them. A job is started
 * whenever work may have appeared (a task added or retried, the periodic
 * poll for other processes' tasks) and fewer jobs than workers are active;
 * a wake-up counter closes the gap between a job finding nothing and new
 * work arriving. Leases are renewed, and cancels from other processes
 * noticed, from the cleaning thread's progress callback.
 */
#include "config.h"

#include "winnow-scheduler.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "winnow-recipe.h"
#include "winnow-result-record.h"

/* How often the desktop looks for tasks other processes left PENDING or
 * whose worker died. */
#define POLL_MS 2000
#define STORE_PROGRESS_US G_USEC_PER_SEC

typedef struct {
  gint ref_count;
  WinnowScheduler *scheduler;  /* not a reference: shutdown waits for the workers */
  WinnowTask *task;            /* touched on the owner's context only */
  gint64 id;
  char *owner;
  GCancellable *cancellable;
  gboolean release;            /* stopped by a shutdown: back to PENDING */

  GMutex lock;                 /* what the cleaning thread reports */
  double fraction;
  guint64 rows;
  WinnowPhase phase;
  gboolean delivery_pending;
  gint64 last_store_update;
  gint64 last_renewal;
  gboolean done;               /* cleaning over: a lease lost now is no news */
} Running;

struct _WinnowScheduler {
  GObject parent_instance;

  WinnowTaskStore *store;
  WinnowSchedulerScope scope;
  GMainContext *context;
  GThreadPool *pool;
  char *owner_prefix;
  gint serial;
  gint64 lease_ms;
  guint poll_source;
  guint renew_source;
  WinnowSchedulerHook run_hook;
  gpointer run_hook_data;

  GMutex lock;                 /* the fields below */
  guint n_workers;
  guint active_jobs;
  guint64 wakeups;
  gboolean stopping;
  GHashTable *running;         /* id -> Running* */
  GArray *own_ids;             /* OWN_TASKS: the ids it added */
};

G_DEFINE_FINAL_TYPE (WinnowScheduler, winnow_scheduler, G_TYPE_OBJECT)

enum {
  TASK_ADDED,
  TASK_STARTED,
  TASK_PROGRESS,
  TASK_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- running tasks ---- */

static Running *
running_new (WinnowScheduler *self, WinnowTask *task, const char *owner)
{
  Running *r = g_new0 (Running, 1);

  r->ref_count = 1;
  r->scheduler = self;
  r->task = g_object_ref (task);
  r->id = winnow_task_get_id (task);
  r->owner = g_strdup (owner);
  r->cancellable = g_cancellable_new ();
  r->last_renewal = g_get_monotonic_time ();
  g_mutex_init (&r->lock);
  return r;
}

static Running *
running_ref (Running *r)
{
  g_atomic_int_inc (&r->ref_count);
  return r;
}

static void
running_unref (gpointer data)
{
  Running *r = data;

  if (!g_atomic_int_dec_and_test (&r->ref_count))
    return;
  g_object_unref (r->task);
  g_object_unref (r->cancellable);
  g_mutex_clear (&r->lock);
  g_free (r->owner);
  g_free (r);
}

/* ---- signals on the owner's context ---- */

/* Always through a source: g_main_context_invoke() would run @func at once
 * on a worker thread whose default context is the owner's and happens to
 * be free. */
static void
schedule_on_owner (WinnowScheduler *self, GSourceFunc func, gpointer data, GDestroyNotify notify)
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

static void
emit_on_owner (WinnowScheduler *self, guint signal, WinnowTask *task)
{
  Emission *e = g_new0 (Emission, 1);

  e->scheduler = g_object_ref (self);
  e->signal = signal;
  e->task = g_object_ref (task);
  schedule_on_owner (self, emit_now, e, emission_free);
}

typedef struct {
  WinnowScheduler *scheduler;  /* a reference, dropped on the owner's context */
  Running *running;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *d = data;
  running_unref (d->running);
  g_object_unref (d->scheduler);
  g_free (d);
}

static gboolean
deliver_progress (gpointer data)
{
  Running *r = ((Delivery *) data)->running;
  double fraction;
  guint64 rows;
  WinnowPhase phase;

  /* Deliveries are queued before the task's task-finished, and sources of
   * one priority run in the order they were added: the last one (1.0 for a
   * completed task) arrives before the task is reported finished. */
  g_mutex_lock (&r->lock);
  fraction = r->fraction;
  rows = r->rows;
  phase = r->phase;
  r->delivery_pending = FALSE;
  g_mutex_unlock (&r->lock);

  winnow_task_set_progress (r->task, fraction);
  g_signal_emit (r->scheduler, signals[TASK_PROGRESS], 0, r->task, fraction, rows, (gint) phase);
  return G_SOURCE_REMOVE;
}

/* ---- the cleaning thread ---- */

static void
renew (Running *r)
{
  WinnowScheduler *self = r->scheduler;
  g_autoptr(GError) error = NULL;
  gboolean cancel = FALSE;

  if (!winnow_task_store_renew_lease (self->store, r->id, r->owner, self->lease_ms, &cancel, &error))
    {
      gboolean done;

      g_mutex_lock (&r->lock);
      done = r->done;
      g_mutex_unlock (&r->lock);
      if (done)
        return;  /* the renewal timer met a task that has just been recorded */
      /* Someone else holds it now, or it was changed under us: stop. */
      g_warning ("task %" G_GINT64_FORMAT ": %s; stopping it", r->id, error->message);
      cancel = TRUE;
    }
  if (cancel)
    {
      g_debug ("task %" G_GINT64_FORMAT ": cancel requested", r->id);
      g_cancellable_cancel (r->cancellable);
    }
}

static void
on_progress (const WinnowProgress *progress, gpointer data)
{
  Running *r = data;
  WinnowScheduler *self = r->scheduler;
  gint64 now = g_get_monotonic_time ();
  gboolean deliver, store_due, renew_due;
  double fraction;

  g_mutex_lock (&r->lock);
  /* A task read again (a late encoding fallback) must not go backwards. */
  r->fraction = MAX (r->fraction, progress->fraction);
  r->rows = progress->rows;
  r->phase = progress->phase;
  fraction = r->fraction;
  deliver = !r->delivery_pending;
  r->delivery_pending = TRUE;
  store_due = now - r->last_store_update >= STORE_PROGRESS_US;
  if (store_due)
    r->last_store_update = now;
  renew_due = now - r->last_renewal >= (self->lease_ms / 3) * 1000;
  if (renew_due)
    r->last_renewal = now;
  g_mutex_unlock (&r->lock);

  if (deliver)
    {
      Delivery *d = g_new0 (Delivery, 1);
      d->scheduler = g_object_ref (self);
      d->running = running_ref (r);
      schedule_on_owner (self, deliver_progress, d, delivery_free);
    }
  if (store_due)
    winnow_task_store_set_progress (self->store, r->id, r->owner, fraction, NULL);
  if (renew_due)
    renew (r);
}

/* Runs the task and records how it ended. */
static void
run_task (Running *r)
{
  WinnowScheduler *self = r->scheduler;
  WinnowTask *task = r->task;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(WinnowResult) result = NULL;
  gboolean recorded;

  if (self->run_hook != NULL)
    self->run_hook (r->id, self->run_hook_data);
  recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (task), -1, &error);
  if (recipe != NULL)
    result = winnow_clean_file (recipe, winnow_task_get_input_path (task),
                                winnow_task_get_output_path (task),
                                winnow_task_get_replace_output (task) ? WINNOW_CLEAN_REPLACE
                                                                      : WINNOW_CLEAN_NONE,
                                on_progress, r, r->cancellable, &error);
  else
    g_prefix_error (&error, _("the task's recipe is not valid: "));
  g_mutex_lock (&r->lock);
  r->done = TRUE;
  g_mutex_unlock (&r->lock);

  if (result != NULL)
    {
      g_autoptr(WinnowTaskResult) record = winnow_result_to_record (result);
      recorded = winnow_task_store_complete (self->store, r->id, r->owner, record, &store_error);
      g_debug ("task %" G_GINT64_FORMAT ": completed, %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
               " rows", r->id, result->rows_read, result->rows_written);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && r->release)
    {
      recorded = winnow_task_store_release (self->store, r->id, r->owner, &store_error);
      g_debug ("task %" G_GINT64_FORMAT ": stopped by shutdown, back to pending", r->id);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      recorded = winnow_task_store_finish_cancelled (self->store, r->id, r->owner, &store_error);
      g_debug ("task %" G_GINT64_FORMAT ": cancelled", r->id);
    }
  else
    {
      recorded = winnow_task_store_fail (self->store, r->id, r->owner, error->message, &store_error);
      g_debug ("task %" G_GINT64_FORMAT ": failed: %s", r->id, error->message);
    }
  if (!recorded)
    g_warning ("task %" G_GINT64_FORMAT ": the outcome could not be recorded: %s", r->id,
               store_error->message);
}

static GArray *
claim_scope (WinnowScheduler *self)
{
  GArray *only;

  if (self->scope == WINNOW_SCHEDULER_ALL_TASKS)
    return NULL;
  g_mutex_lock (&self->lock);
  only = g_array_copy (self->own_ids);
  g_mutex_unlock (&self->lock);
  return only;
}

/* One worker: claims and runs tasks until there are none. */
static void
worker_job (gpointer data, gpointer user_data)
{
  WinnowScheduler *self = user_data;
  g_autofree char *owner = g_strdup_printf ("%s/%d", self->owner_prefix,
                                            g_atomic_int_add (&self->serial, 1));

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) only = claim_scope (self);
      g_autoptr(WinnowTask) task = NULL;
      g_autoptr(WinnowTask) final = NULL;
      guint64 wakeups;
      gboolean stopping;
      Running *r;

      g_mutex_lock (&self->lock);
      wakeups = self->wakeups;
      stopping = self->stopping;
      g_mutex_unlock (&self->lock);
      if (!stopping)
        task = winnow_task_store_claim (self->store, owner, self->lease_ms, only, &error);
      if (error != NULL)
        g_warning ("could not take a task: %s", error->message);

      g_mutex_lock (&self->lock);
      if (task == NULL || self->stopping)
        {
          /* Nothing to do: unless work arrived meanwhile, this job ends. */
          if (task == NULL && self->wakeups != wakeups && !self->stopping && error == NULL)
            {
              g_mutex_unlock (&self->lock);
              continue;
            }
          self->active_jobs--;
          g_mutex_unlock (&self->lock);
          if (task != NULL)
            winnow_task_store_release (self->store, winnow_task_get_id (task), owner, NULL);
          return;
        }
      r = running_new (self, task, owner);
      g_hash_table_insert (self->running, &r->id, r);
      g_mutex_unlock (&self->lock);

      g_debug ("task %" G_GINT64_FORMAT ": started by %s", r->id, owner);
      emit_on_owner (self, TASK_STARTED, task);
      run_task (r);

      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->running, &r->id);
      g_mutex_unlock (&self->lock);

      final = winnow_task_store_get (self->store, r->id, NULL);
      emit_on_owner (self, TASK_FINISHED, final ? final : task);
      running_unref (r);
    }
}

/* ---- the object ---- */

static void
winnow_scheduler_dispose (GObject *object)
{
  WinnowScheduler *self = WINNOW_SCHEDULER (object);

  if (self->pool != NULL)
    winnow_scheduler_shutdown (self, WINNOW_SHUTDOWN_RELEASE);
  G_OBJECT_CLASS (winnow_scheduler_parent_class)->dispose (object);
}

static void
winnow_scheduler_finalize (GObject *object)
{
  WinnowScheduler *self = WINNOW_SCHEDULER (object);

  g_hash_table_unref (self->running);
  g_array_unref (self->own_ids);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  g_object_unref (self->store);
  g_free (self->owner_prefix);
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
   *   FAILED with its error, CANCELLED, or PENDING again after a shutdown)
   */
  signals[TASK_FINISHED] =
    g_signal_new ("task-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);
}

static void
winnow_scheduler_init (WinnowScheduler *self)
{
  g_mutex_init (&self->lock);
  self->running = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->own_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->lease_ms = WINNOW_LEASE_MS;
}

static gboolean
poll_store (gpointer data)
{
  winnow_scheduler_wake (WINNOW_SCHEDULER (data));
  return G_SOURCE_CONTINUE;
}

/* Leases are renewed from the owner's context too, on a timer: a task that
 * reports no progress for a while (the final fdatasync of a huge output, a
 * slow network disk) keeps its lease all the same. */
static gboolean
renew_leases (gpointer data)
{
  WinnowScheduler *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 period = (self->lease_ms / 3) * 1000;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (running_unref);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Running *r = value;
      g_mutex_lock (&r->lock);
      if (!r->done && now - r->last_renewal >= period)
        {
          r->last_renewal = now;
          g_ptr_array_add (due, running_ref (r));
        }
      g_mutex_unlock (&r->lock);
    }
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < due->len; i++)
    renew (g_ptr_array_index (due, i));
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

static void
start_renewing (WinnowScheduler *self)
{
  GSource *source;

  remove_source (self, &self->renew_source);
  source = g_timeout_source_new ((guint) MAX (self->lease_ms / 3, 10));
  g_source_set_callback (source, renew_leases, self, NULL);
  self->renew_source = g_source_attach (source, self->context);
  g_source_unref (source);
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

  if (self->poll_source != 0)
    g_source_destroy (g_main_context_find_source_by_id (self->context, self->poll_source));
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
 * context. With WINNOW_SCHEDULER_ALL_TASKS it starts on tasks left PENDING
 * in the store as soon as that context runs, and looks for more every two
 * seconds.
 *
 * Returns: (transfer full): the scheduler
 */
WinnowScheduler *
winnow_scheduler_new (WinnowTaskStore *store, guint n_workers, WinnowSchedulerScope scope)
{
  WinnowScheduler *self = g_object_new (WINNOW_TYPE_SCHEDULER, NULL);
  g_autoptr(GError) error = NULL;
  char host[256] = "";

  self->store = g_object_ref (store);
  self->scope = scope;
  self->context = g_main_context_ref_thread_default ();
  self->n_workers = CLAMP (n_workers ? n_workers : g_get_num_processors (), 1,
                           WINNOW_SCHEDULER_MAX_WORKERS);
  gethostname (host, sizeof host - 1);
  self->owner_prefix = g_strdup_printf ("%s:%d:%08x", host, (int) getpid (), g_random_int ());
  self->pool = g_thread_pool_new (worker_job, self, (gint) self->n_workers, FALSE, &error);
  g_assert_no_error (error);
  start_renewing (self);
  if (scope == WINNOW_SCHEDULER_ALL_TASKS)
    {
      schedule_on_owner (self, first_wake, g_object_ref (self), g_object_unref);
      start_polling (self);
    }
  return self;
}

WinnowTaskStore *
winnow_scheduler_get_store (WinnowScheduler *scheduler)
{
  return scheduler->store;
}

guint
winnow_scheduler_get_n_workers (WinnowScheduler *scheduler)
{
  return scheduler->n_workers;
}

/* Follows a change of the preference: more workers start at once; with
 * fewer, running tasks finish and no new ones start beyond the limit. */
void
winnow_scheduler_set_n_workers (WinnowScheduler *scheduler, guint n_workers)
{
  n_workers = CLAMP (n_workers ? n_workers : g_get_num_processors (), 1,
                     WINNOW_SCHEDULER_MAX_WORKERS);
  g_mutex_lock (&scheduler->lock);
  scheduler->n_workers = n_workers;
  g_mutex_unlock (&scheduler->lock);
  if (scheduler->pool != NULL)
    g_thread_pool_set_max_threads (scheduler->pool, (gint) n_workers, NULL);
  winnow_scheduler_wake (scheduler);
}

/* Lease length for the tasks it claims from now on (tests shorten it). */
void
winnow_scheduler_set_lease_ms (WinnowScheduler *scheduler, gint64 lease_ms)
{
  scheduler->lease_ms = lease_ms;
  if (scheduler->poll_source != 0)
    start_polling (scheduler);
  if (scheduler->renew_source != 0)
    start_renewing (scheduler);
}

/* For tests: called on the worker thread as each task starts, before the
 * file is opened; it may block to hold the task without progress. */
void
winnow_scheduler_set_run_hook (WinnowScheduler *scheduler, WinnowSchedulerHook hook,
                               gpointer data)
{
  scheduler->run_hook = hook;
  scheduler->run_hook_data = data;
}

guint
winnow_scheduler_get_n_running (WinnowScheduler *scheduler)
{
  guint n;

  g_mutex_lock (&scheduler->lock);
  n = g_hash_table_size (scheduler->running);
  g_mutex_unlock (&scheduler->lock);
  return n;
}

/* Work may have appeared: start jobs up to the number of workers. */
void
winnow_scheduler_wake (WinnowScheduler *scheduler)
{
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
  WinnowTask *task = winnow_task_store_add (scheduler->store, input_path, output_path, recipe_json,
                                            replace_output, error);
  gint64 id;

  if (task == NULL)
    return NULL;
  id = winnow_task_get_id (task);
  g_mutex_lock (&scheduler->lock);
  g_array_append_val (scheduler->own_ids, id);
  g_mutex_unlock (&scheduler->lock);
  emit_on_owner (scheduler, TASK_ADDED, task);
  winnow_scheduler_wake (scheduler);
  return task;
}

/**
 * winnow_scheduler_cancel:
 *
 * A PENDING task is cancelled at once (and reported finished); a task
 * running here stops within a fraction of a second; one running in another
 * process stops at that process's next lease renewal.
 */
gboolean
winnow_scheduler_cancel (WinnowScheduler *scheduler, gint64 id, GError **error)
{
  Running *r;
  g_autoptr(WinnowTask) task = NULL;

  if (!winnow_task_store_cancel (scheduler->store, id, error))
    return FALSE;
  g_mutex_lock (&scheduler->lock);
  r = g_hash_table_lookup (scheduler->running, &id);
  if (r != NULL)
    g_cancellable_cancel (r->cancellable);
  g_mutex_unlock (&scheduler->lock);

  task = winnow_task_store_get (scheduler->store, id, NULL);
  if (task != NULL && winnow_task_get_status (task) == WINNOW_TASK_CANCELLED)
    emit_on_owner (scheduler, TASK_FINISHED, task);
  return TRUE;
}

/* A FAILED or CANCELLED task goes back to the queue. */
gboolean
winnow_scheduler_retry (WinnowScheduler *scheduler, gint64 id, GError **error)
{
  if (!winnow_task_store_retry (scheduler->store, id, error))
    return FALSE;
  g_mutex_lock (&scheduler->lock);
  g_array_append_val (scheduler->own_ids, id);
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
  g_autoptr(WinnowTask) old = winnow_task_store_get (scheduler->store, id, error);

  if (old == NULL)
    return NULL;
  return winnow_scheduler_add (scheduler, winnow_task_get_input_path (old),
                               winnow_task_get_output_path (old), recipe_json, TRUE, error);
}

/**
 * winnow_scheduler_shutdown:
 *
 * Stops claiming, deals with running tasks as @mode says, and waits for
 * the workers. No task is left PROCESSING afterwards. Call it on the
 * owner's thread, before dropping the last reference; the scheduler does
 * nothing more after it.
 */
void
winnow_scheduler_shutdown (WinnowScheduler *scheduler, WinnowShutdown mode)
{
  GHashTableIter iter;
  gpointer value;
  GThreadPool *pool;

  g_mutex_lock (&scheduler->lock);
  scheduler->stopping = TRUE;
  pool = g_steal_pointer (&scheduler->pool);
  g_hash_table_iter_init (&iter, scheduler->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Running *r = value;
      if (mode == WINNOW_SHUTDOWN_RELEASE)
        r->release = TRUE;
      if (mode != WINNOW_SHUTDOWN_FINISH)
        g_cancellable_cancel (r->cancellable);
    }
  g_mutex_unlock (&scheduler->lock);

  remove_source (scheduler, &scheduler->poll_source);
  remove_source (scheduler, &scheduler->renew_source);
  if (pool != NULL)
    g_thread_pool_free (pool, TRUE, TRUE);
  g_debug ("scheduler stopped");
}
