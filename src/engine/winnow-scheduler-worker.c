/* winnow-scheduler-worker.c: a worker's job, on one of the scheduler's
 * pool threads: claim a task, clean it (winnow_clean_file()), coalesce its
 * progress for the owner's context, hand its outcome to the bookkeeping
 * thread (winnow-scheduler-keeper.c), claim the next. The object and its
 * API are in winnow-scheduler.c.
 */
#include "config.h"

#include "winnow-scheduler-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/resource.h>
#include <unistd.h>

#include "winnow-recipe.h"
#include "winnow-result-record.h"

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
  r->last_report = g_get_monotonic_time ();
  g_mutex_init (&r->lock);
  return r;
}

Running *
running_ref (Running *r)
{
  g_atomic_int_inc (&r->ref_count);
  return r;
}

void
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

void
outcome_free (Outcome *outcome)
{
  running_unref (outcome->running);
  g_clear_pointer (&outcome->record, winnow_task_result_free);
  g_free (outcome->message);
  g_free (outcome);
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
  scheduler_emit_progress (r->scheduler, r->task, fraction, rows, phase);
  return G_SOURCE_REMOVE;
}

/* ---- the cleaning thread ---- */

static gboolean
is_not_held_error (const GError *error)
{
  return g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_LEASE_LOST) ||
         g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE) ||
         g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND);
}

/* Its end, kept beside the history before the output goes in place, for
 * a recovery to record if this process ends before the keeper has. */
static gboolean
keep_provisional (Running *r, const WinnowCommit *commit)
{
  g_autoptr(WinnowTaskResult) record = winnow_result_to_record (commit->result);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  if (winnow_task_store_keep_provisional (r->scheduler->store, r->id, r->owner, record, now,
                                          commit->device, commit->inode, &error))
    return TRUE;
  g_debug ("task %" G_GINT64_FORMAT ": its end could not be kept beside the history: %s",
           r->id, error->message);
  return FALSE;
}

/* Just before the output goes in place: a cancel asked until now still
 * stops the task; from now on the store refuses one. A busy history does
 * not hold the output back: the worker says so beside it instead, and a
 * cancel looks there (winnow-task-store-commits.c). The end is kept
 * beside it too, provisional: if this process ends before the keeper
 * has recorded it, the next recovery does when the output is in place. */
static void
before_commit (Running *r, const WinnowCommit *commit)
{
  WinnowScheduler *self = r->scheduler;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) aside_error = NULL;
  gboolean asked = FALSE;
  gboolean marked = FALSE;
  gboolean provisional = FALSE;
  gboolean ok;

  winnow_task_store_set_thread_patience (COMMIT_PATIENCE_MS);
  ok = winnow_task_store_begin_commit (self->store, r->id, r->owner, &asked, &error);
  if (!ok && !is_not_held_error (error))
    {
      ok = winnow_task_store_begin_commit_aside (self->store, r->id, r->owner, &asked,
                                                 &aside_error);
      marked = ok && !asked;
    }
  winnow_task_store_set_thread_patience (0);
  if (ok && !asked && commit != NULL)
    provisional = keep_provisional (r, commit);

  g_mutex_lock (&r->lock);
  r->marked = marked;
  r->provisional = provisional;
  if (ok && asked)
    r->cancel_asked = TRUE;
  else if (!ok && is_not_held_error (aside_error ? aside_error : error))
    r->lost = TRUE;
  else if (!ok)
    g_message ("task %" G_GINT64_FORMAT ": could not mark it finishing (%s; %s); its output "
               "goes in place, and a cancel asked meanwhile may come too late", r->id,
               error->message, aside_error->message);
  if (r->cancel_asked || r->lost)
    g_cancellable_cancel (r->cancellable);
  g_mutex_unlock (&r->lock);
}

static void
on_progress (const WinnowProgress *progress, gpointer data)
{
  Running *r = data;
  WinnowScheduler *self = r->scheduler;
  gboolean deliver;

  if (progress->phase == WINNOW_PHASE_COMMITTING)
    before_commit (r, progress->commit);

  g_mutex_lock (&r->lock);
  /* A task read again (a late encoding fallback) must not go backwards. */
  r->fraction = MAX (r->fraction, progress->fraction);
  r->rows = progress->rows;
  r->phase = progress->phase;
  deliver = !r->delivery_pending;
  r->delivery_pending = TRUE;
  g_mutex_unlock (&r->lock);

  if (deliver)
    {
      Delivery *d = g_new0 (Delivery, 1);
      d->scheduler = g_object_ref (self);
      d->running = running_ref (r);
      scheduler_schedule_on_owner (self, deliver_progress, d, delivery_free);
    }
}

/**
 * winnow_scheduler_lower_thread_priority:
 *
 * Gives the calling thread, and every thread it starts from now on (a new
 * thread takes its creator's nice value), the priority of cleaning:
 * background work, which gives way to the desktop and to the window's
 * drawing when both want a core and runs at full speed when nothing else
 * does (docs/ARCHITECTURE.md). On Linux the nice value is a thread's own,
 * and cannot be lowered again without privilege: call it only on a
 * thread that does nothing else (a pool job's, the scheduler's pool being
 * exclusive; a batch run's main thread before it starts any). A process
 * run with a higher nice value keeps it.
 */
void
winnow_scheduler_lower_thread_priority (void)
{
  int now;

  errno = 0;
  now = getpriority (PRIO_PROCESS, 0);
  if (errno == 0 && now < WINNOW_WORKER_NICE)
    (void) setpriority (PRIO_PROCESS, 0, WINNOW_WORKER_NICE);
}

/* Runs the task; returns how it ended, for the keeper to record. */
static Outcome *
run_task (Running *r)
{
  WinnowScheduler *self = r->scheduler;
  WinnowTask *task = r->task;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(WinnowResult) result = NULL;
  Outcome *outcome = g_new0 (Outcome, 1);
  WinnowCleanFlags flags = WINNOW_CLEAN_NONE;

  if (winnow_task_get_replace_output (task))
    flags |= WINNOW_CLEAN_REPLACE;
  if (g_atomic_int_get (&self->no_profile))
    flags |= WINNOW_CLEAN_NO_PROFILE;
  outcome->running = running_ref (r);
  if (self->run_hook != NULL)
    self->run_hook (r->id, self->run_hook_data);
  recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (task), -1, &error);
  if (recipe != NULL)
    result = winnow_clean_file (recipe, winnow_task_get_input_path (task),
                                winnow_task_get_output_path (task), flags,
                                on_progress, r, r->cancellable, &error);
  else
    g_prefix_error (&error, _("the task's recipe is not valid: "));

  g_mutex_lock (&r->lock);
  r->done = TRUE;
  if (result != NULL)
    {
      outcome->kind = OUTCOME_COMPLETE;
      outcome->record = winnow_result_to_record (result);
      g_debug ("task %" G_GINT64_FORMAT ": completed, %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT
               " rows", r->id, result->rows_read, result->rows_written);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      outcome->kind = r->lost ? OUTCOME_LOST
                    : r->release && !r->cancel_asked ? OUTCOME_RELEASE
                    : OUTCOME_CANCELLED;
      g_debug ("task %" G_GINT64_FORMAT ": stopped (%s)", r->id,
               r->lost ? "held elsewhere" : outcome->kind == OUTCOME_RELEASE ? "shutdown" : "cancel");
    }
  else
    {
      outcome->kind = OUTCOME_FAIL;
      outcome->message = g_strdup (error->message);
      g_debug ("task %" G_GINT64_FORMAT ": failed: %s", r->id, error->message);
    }
  g_mutex_unlock (&r->lock);
  outcome->since = g_get_monotonic_time ();
  return outcome;
}

/* One worker: claims and runs tasks until there are none. */
void
scheduler_worker_job (gpointer data, gpointer user_data)
{
  WinnowScheduler *self = user_data;
  g_autofree char *owner = g_strdup_printf ("%s/%d", self->owner_prefix,
                                            g_atomic_int_add (&self->serial, 1));

  winnow_scheduler_lower_thread_priority ();

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowTask) task = NULL;
      guint64 wakeups;
      gboolean stopping;
      Running *r;
      Outcome *outcome;

      g_mutex_lock (&self->lock);
      wakeups = self->wakeups;
      /* stop_claims: set by every shutdown (with stopping) and Ctrl-C */
      stopping = self->claim_error != NULL || g_atomic_int_get (&self->stop_claims);
      g_mutex_unlock (&self->lock);
      if (!stopping)
        {
          /* a shutdown does not wait out a lock another program holds */
          winnow_task_store_give_up_waits_when (&self->stop_claims);
          task = winnow_task_store_claim (self->store, owner, self->lease_ms, self->run, &error);
          winnow_task_store_give_up_waits_when (NULL);
        }

      g_mutex_lock (&self->lock);
      if (error != NULL && !g_atomic_int_get (&self->stop_claims))
        {
          if (self->scope == WINNOW_SCHEDULER_OWN_TASKS && self->claim_error == NULL)
            {
              /* a batch run cannot wait for ever: its unstarted tasks fail */
              self->claim_error = g_error_copy (error);
              self->pushes++;
              g_cond_signal (&self->keeper_cond);
            }
          else if (self->scope == WINNOW_SCHEDULER_ALL_TASKS)
            g_warning ("could not take a task: %s", error->message);
        }
      /* a claim that succeeded as another worker's failed for good: its
       * task was already reported unstartable with the rest, so it is
       * given back, not run */
      if (task == NULL || g_atomic_int_get (&self->stop_claims) || self->claim_error != NULL)
        {
          /* Nothing to do: unless work arrived meanwhile, this job ends. */
          if (task == NULL && self->wakeups != wakeups && !g_atomic_int_get (&self->stop_claims) &&
              error == NULL)
            {
              g_mutex_unlock (&self->lock);
              continue;
            }
          self->active_jobs--;
          g_mutex_unlock (&self->lock);
          if (task != NULL)
            {
              /* claimed as the run stopped: given back, or left to its
               * lease if a lock another program holds is in the way (a
               * PENDING task of the run then takes the end kept for it) */
              winnow_task_store_give_up_waits_when (&self->stop_claims);
              winnow_task_store_release (self->store, winnow_task_get_id (task), owner, NULL);
              winnow_task_store_give_up_waits_when (NULL);
            }
          return;
        }
      if (self->claim_hook != NULL)
        {
          /* tests: the moment between the claim and the registration */
          g_mutex_unlock (&self->lock);
          self->claim_hook (winnow_task_get_id (task), self->claim_hook_data);
          g_mutex_lock (&self->lock);
        }
      r = running_new (self, task, owner);
      g_hash_table_insert (self->running, &r->id, r);
      /* a cancel that came between the claim and now is not lost */
      if (g_hash_table_contains (self->cancels, &r->id))
        {
          r->cancel_asked = TRUE;
          g_cancellable_cancel (r->cancellable);
        }
      g_mutex_unlock (&self->lock);

      g_debug ("task %" G_GINT64_FORMAT ": started by %s", r->id, owner);
      emit_on_owner (self, TASK_STARTED, task);
      outcome = run_task (r);

      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->outcomes, outcome);
      self->pushes++;
      g_cond_signal (&self->keeper_cond);
      g_mutex_unlock (&self->lock);
    }
}
