/* winnow-scheduler-keeper.c: the scheduler's bookkeeping thread.
 *
 * Every KEEPER_TICK_MS, and whenever a job hands it an outcome, it:
 *  - records the outcomes of finished tasks (COMPLETED, FAILED,
 *    CANCELLED, or PENDING again), and tries again at the next round
 *    while the history is busy or full, for OUTCOME_PATIENCE_LEASES;
 *    then keeps a final one in a file for later, which the next
 *    recovery records (here, at each round, or in another process);
 *  - reads whether a cancel was asked for a running task (by another
 *    process too) or whether another worker holds it now: a read, which
 *    never waits for a writer;
 *  - writes each running task's progress and renews its lease, once a
 *    second;
 *  - for a batch run: renews the run's own lease, cancels its tasks in
 *    the store after a Ctrl-C, and reads the state of its tasks that run
 *    elsewhere (or wait for a worker that died), so that the run never
 *    waits for ever.
 * Its calls wait at most KEEPER_PATIENCE_MS for a lock: one busy history
 * delays a round, never the cleaning, and never the other duties for long.
 */
#include "config.h"

#include "winnow-scheduler-private.h"

#include <glib/gi18n.h>

#include "winnow-output-file.h"

static gboolean
is_busy_or_full (const GError *error)
{
  return g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY) ||
         g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FULL);
}

static gboolean
is_not_held (const GError *error)
{
  return g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_LEASE_LOST) ||
         g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE) ||
         g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND);
}

/* @task as this process last saw it, with another status and error. */
static WinnowTask *
local_copy (WinnowTask *task, WinnowTaskStatus status, const char *message)
{
  WinnowTask *copy = winnow_task_new (winnow_task_get_id (task));

  winnow_task_update_from (copy, task);
  winnow_task_set_status (copy, status);
  winnow_task_set_error (copy, message);
  return copy;
}

/* Reports task @task to the owner as @final, and forgets it as one of a
 * batch run's own when @final is final. */
static void
report_finished (WinnowScheduler *self, WinnowTask *final)
{
  gint64 id = winnow_task_get_id (final);

  if (winnow_task_status_is_final (winnow_task_get_status (final)))
    {
      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->own, &id);
      g_mutex_unlock (&self->lock);
    }
  emit_on_owner (self, TASK_FINISHED, final);
}

/* ---- outcomes ---- */

static gboolean
record (WinnowScheduler *self, Outcome *o, GError **error)
{
  Running *r = o->running;

  switch (o->kind)
    {
    case OUTCOME_COMPLETE:
      return winnow_task_store_complete (self->store, r->id, r->owner, o->record, error);
    case OUTCOME_FAIL:
      return winnow_task_store_fail (self->store, r->id, r->owner, o->message, error);
    case OUTCOME_CANCELLED:
      return winnow_task_store_finish_cancelled (self->store, r->id, r->owner, error);
    case OUTCOME_RELEASE:
      return winnow_task_store_release (self->store, r->id, r->owner, error);
    case OUTCOME_LOST:
    default:
      return TRUE;
    }
}

/* The status an outcome of @kind gives its task: a final one, or
 * PENDING (released, or held elsewhere now). */
static WinnowTaskStatus
outcome_status (OutcomeKind kind)
{
  switch (kind)
    {
    case OUTCOME_COMPLETE:
      return WINNOW_TASK_COMPLETED;
    case OUTCOME_FAIL:
      return WINNOW_TASK_FAILED;
    case OUTCOME_CANCELLED:
      return WINNOW_TASK_CANCELLED;
    case OUTCOME_RELEASE:
    case OUTCOME_LOST:
    default:
      return WINNOW_TASK_PENDING;
    }
}

/* A final outcome the history could not take in time, kept in a file for
 * the next recovery: the task as it ended, or NULL when it could not be
 * kept either. */
static WinnowTask *
defer (WinnowScheduler *self, Outcome *o, const GError *gave_up)
{
  Running *r = o->running;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) ended = NULL;
  WinnowTaskStatus status = outcome_status (o->kind);
  WinnowTask *final;

  if (!winnow_task_status_is_final (status))
    return NULL;  /* no end to record: the lease runs out */
  /* it ended when its outcome was handed over */
  now = g_date_time_new_now_utc ();
  ended = g_date_time_add (now, o->since - g_get_monotonic_time ());
  if (!winnow_task_store_defer_outcome (self->store, r->id, r->owner, NULL, status, o->message,
                                        o->record, ended, &error))
    {
      g_warning ("task %" G_GINT64_FORMAT ": its outcome could not be kept for later either: %s",
                 r->id, error->message);
      return NULL;
    }
  g_message (/* Translators: a task's number, then why the history could not record
              * how the task ended (such as "the disk is full: …") */
             _("task %lld: %s; how the task ended is kept, and will be recorded when the "
               "history can be written again"), (long long) r->id, gave_up->message);
  g_mutex_lock (&self->lock);
  self->deferred = TRUE;
  g_mutex_unlock (&self->lock);

  final = local_copy (r->task, status, o->message);
  if (o->record != NULL)
    {
      winnow_task_set_rows (final, o->record->rows_read, o->record->rows_written);
      winnow_task_set_result (final, o->record);
      winnow_task_set_progress (final, 1.0);
    }
  return final;
}

/* The outcome is recorded, or given up on (@gave_up says why): the task
 * leaves the running table and its owner hears of it. */
static void
finish_outcome (WinnowScheduler *self, Outcome *o, const GError *gave_up)
{
  Running *r = o->running;
  g_autoptr(WinnowTask) final = NULL;

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->running, &r->id);
  g_hash_table_remove (self->cancels, &r->id);
  g_mutex_unlock (&self->lock);

  if (gave_up == NULL && r->marked)
    winnow_task_store_end_commit_aside (self->store, r->id, r->owner);
  /* recorded: its provisional end has no more use (kept for later, it
   * was replaced) */
  if (gave_up == NULL && r->provisional)
    winnow_task_store_drop_provisional (self->store, r->id, r->owner);
  if (gave_up == NULL || is_not_held (gave_up))
    final = winnow_task_store_get (self->store, r->id, NULL);
  else
    final = defer (self, o, gave_up);
  if (final == NULL && gave_up != NULL)
    {
      g_autofree char *message = NULL;

      switch (o->kind)
        {
        case OUTCOME_COMPLETE:
          message = g_strdup_printf (_("the output was written, but the task history could not "
                                       "record it: %s"), gave_up->message);
          final = local_copy (r->task, WINNOW_TASK_FAILED, message);
          break;
        case OUTCOME_FAIL:
          message = g_strdup_printf (_("%s (the task history could not record it: %s)"),
                                     o->message, gave_up->message);
          final = local_copy (r->task, WINNOW_TASK_FAILED, message);
          break;
        case OUTCOME_CANCELLED:
          final = local_copy (r->task, WINNOW_TASK_CANCELLED, NULL);
          break;
        case OUTCOME_RELEASE:
        case OUTCOME_LOST:
        default:
          final = local_copy (r->task, WINNOW_TASK_PENDING, NULL);
          break;
        }
      g_warning ("task %" G_GINT64_FORMAT ": the outcome could not be recorded: %s", r->id,
                 gave_up->message);
    }
  else if (final == NULL)
    final = local_copy (r->task, outcome_status (o->kind), o->message);
  report_finished (self, final);
}

/* Records the queued outcomes, oldest first; stops at the first one the
 * history is too busy for, unless @give_up. */
static void
record_outcomes (WinnowScheduler *self, gboolean give_up)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      Outcome *o;

      g_mutex_lock (&self->lock);
      o = g_queue_peek_head (&self->outcomes);
      g_mutex_unlock (&self->lock);
      if (o == NULL)
        break;
      gint64 waited = g_get_monotonic_time () - o->since;
      /* once this process stops, a task's end is kept for later at once
       * (a SIGKILL may follow a SIGTERM within seconds), and the calls of
       * this thread wait for no lock (winnow_task_store_give_up_waits_when()
       * in keeper_main()), so a long queue costs no wait per task */
      gboolean stopping = g_atomic_int_get (&self->stop_claims) &&
                          winnow_task_status_is_final (outcome_status (o->kind));

      if (!give_up && !record (self, o, &error) && is_busy_or_full (error) && !stopping &&
          waited < OUTCOME_PATIENCE_LEASES * self->lease_ms * G_TIME_SPAN_MILLISECOND)
        break;  /* again at the next round */
      if (g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY) &&
          (stopping || give_up))
        {
          g_clear_error (&error);
          g_set_error (&error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                       _("the task history was busy while Winnow stopped"));
        }
      else if (g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY))
        {
          /* the whole wait, not the last call's */
          g_clear_error (&error);
          g_set_error (&error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                       /* Translators: a number of seconds */
                       _("the task history could not be written for %lld s: another program "
                         "kept it locked"), (long long) (waited / G_USEC_PER_SEC));
        }
      if (give_up && error == NULL)
        g_set_error (&error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY,
                     _("the task history was busy while Winnow stopped"));
      g_mutex_lock (&self->lock);
      g_queue_pop_head (&self->outcomes);
      g_mutex_unlock (&self->lock);
      finish_outcome (self, o, error);
      outcome_free (o);
    }
}

/* Outcomes this process kept for later: recorded by the first recovery
 * that gets the write lock (a round's, a claim's, another process's). */
static void
record_deferred (WinnowScheduler *self)
{
  gboolean deferred;

  g_mutex_lock (&self->lock);
  deferred = self->deferred;
  g_mutex_unlock (&self->lock);
  if (deferred &&
      winnow_task_store_recover_expired (self->store, self->owner_prefix, NULL) != G_MAXUINT)
    {
      g_mutex_lock (&self->lock);
      self->deferred = FALSE;
      g_mutex_unlock (&self->lock);
    }
}


/* ---- running tasks ---- */

static GPtrArray *
running_tasks (WinnowScheduler *self)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (running_unref);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, running_ref (value));
  g_mutex_unlock (&self->lock);
  return all;
}

static void
stop_running (Running *r, gboolean lost)
{
  g_return_if_fail (r != NULL);
  g_mutex_lock (&r->lock);
  if (r->done)
    {
      g_mutex_unlock (&r->lock);
      return;
    }
  if (lost)
    r->lost = TRUE;
  else
    r->cancel_asked = TRUE;
  g_mutex_unlock (&r->lock);
  g_debug ("task %" G_GINT64_FORMAT ": %s", r->id, lost ? "held elsewhere now" : "cancel asked");
  g_cancellable_cancel (r->cancellable);
}

static Running *
find (GPtrArray *all, gint64 id)
{
  for (guint i = 0; i < all->len; i++)
    if (((Running *) g_ptr_array_index (all, i))->id == id)
      return g_ptr_array_index (all, i);
  return NULL;
}

/* Cancels asked (here or elsewhere) and tasks taken over: a read. */
static void
check_running (WinnowScheduler *self, GPtrArray *all)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cancelled = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lost = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *prefix = g_strconcat (self->owner_prefix, "/", NULL);

  for (guint i = 0; i < all->len; i++)
    {
      Running *r = g_ptr_array_index (all, i);
      gboolean done;

      g_mutex_lock (&r->lock);
      done = r->done;
      g_mutex_unlock (&r->lock);
      if (!done)
        g_array_append_val (ids, r->id);
    }
  if (ids->len == 0 ||
      !winnow_task_store_check_running (self->store, prefix, ids, cancelled, lost, NULL))
    return;
  for (guint i = 0; i < cancelled->len; i++)
    stop_running (find (all, g_array_index (cancelled, gint64, i)), FALSE);
  for (guint i = 0; i < lost->len; i++)
    stop_running (find (all, g_array_index (lost, gint64, i)), TRUE);
}

/* Progress and lease, once a second per task (its outcome pending too:
 * the lease must hold until it is recorded). */
static void
report_running (WinnowScheduler *self, GPtrArray *all, gint64 now)
{
  gint64 interval = MIN (REPORT_INTERVAL_MS, self->lease_ms / 3) * G_TIME_SPAN_MILLISECOND;

  for (guint i = 0; i < all->len; i++)
    {
      Running *r = g_ptr_array_index (all, i);
      g_autoptr(GError) error = NULL;
      gboolean cancel = FALSE;
      double progress = -1;
      gboolean done;

      g_mutex_lock (&r->lock);
      done = r->done;
      if (now - r->last_report < interval)
        {
          g_mutex_unlock (&r->lock);
          continue;
        }
      if (!done && r->fraction != r->reported_fraction)
        progress = r->fraction;
      g_mutex_unlock (&r->lock);

      if (winnow_task_store_report (self->store, r->id, r->owner, progress, self->lease_ms,
                                    &cancel, &error))
        {
          g_mutex_lock (&r->lock);
          r->last_report = now;
          if (progress >= 0)
            r->reported_fraction = progress;
          g_mutex_unlock (&r->lock);
          if (cancel)
            stop_running (r, FALSE);
        }
      else if (is_busy_or_full (error))
        break;  /* the history is locked for every task: next round */
      else if (is_not_held (error))
        stop_running (r, TRUE);
    }
}

/* ---- a batch run's own tasks ---- */

/* The end of a task of this run that never started, which the history
 * is too busy to take (a Ctrl-C's cancel, a claim that failed): kept for
 * later (the next recovery ends the task so if it still waits), not left
 * to fail as interrupted. */
static void
defer_unstarted (WinnowScheduler *self, gint64 id, WinnowTaskStatus status, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean waiting;

  /* a task that ran here ends by its own outcome */
  g_mutex_lock (&self->lock);
  waiting = g_hash_table_contains (self->own, &id) && !g_hash_table_contains (self->running, &id);
  g_mutex_unlock (&self->lock);
  if (!waiting)
    return;
  now = g_date_time_new_now_utc ();
  if (!winnow_task_store_defer_outcome (self->store, id, NULL, self->run, status, message, NULL,
                                        now, &error))
    g_warning ("task %" G_GINT64_FORMAT ": its end could not be kept for later: %s", id,
               error->message);
}

/* @give_up: the keeper stopped; what the history does not take now is
 * kept for later. */
static void
cancel_queued (WinnowScheduler *self, gboolean give_up)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gint64 id;

      g_mutex_lock (&self->lock);
      if (self->cancel_queue->len == 0)
        {
          g_mutex_unlock (&self->lock);
          return;
        }
      id = g_array_index (self->cancel_queue, gint64, 0);
      g_mutex_unlock (&self->lock);

      if (!give_up && winnow_task_store_cancel (self->store, id, &error))
        {
          g_autoptr(WinnowTask) task = winnow_task_store_get (self->store, id, NULL);
          if (task != NULL && winnow_task_get_status (task) == WINNOW_TASK_CANCELLED)
            report_finished (self, task);
        }
      else if (give_up ||
               (is_busy_or_full (error) && g_atomic_int_get (&self->stop_claims)))
        defer_unstarted (self, id, WINNOW_TASK_CANCELLED, NULL);
      else if (is_busy_or_full (error))
        return;
      g_mutex_lock (&self->lock);
      g_array_remove_index (self->cancel_queue, 0);
      g_mutex_unlock (&self->lock);
    }
}

/* Own tasks not running here: ended elsewhere? left by a dead worker? or
 * never to start, because the history refuses claims? */
static void
poll_own (WinnowScheduler *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) claim_error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *prefix = g_strconcat (self->owner_prefix, "/", NULL);
  gboolean recover = FALSE, wake = FALSE, stalled;
  GHashTableIter iter;
  gpointer key;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->own);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (self->running, key))
      g_array_append_val (ids, *(gint64 *) key);
  if (self->claim_error != NULL)
    claim_error = g_error_copy (self->claim_error);
  if (ids->len == 0 || g_hash_table_size (self->running) > 0)
    {
      self->own_stalls = 0;
      self->damage_checked = FALSE;
    }
  else
    self->own_stalls++;
  stalled = self->own_stalls >= OWN_STALL_POLLS && !self->damage_checked;
  if (stalled)
    self->damage_checked = TRUE;
  g_mutex_unlock (&self->lock);
  if (ids->len == 0)
    return;

  tasks = winnow_task_store_get_many (self->store, ids, &read_error);
  /* Tasks of this run wait and none runs here, for a while: a sound
   * history explains it (a worker elsewhere died holding one, its
   * process cannot be told gone and its lease has not run out), a
   * damaged one would not end it (spoilt pages read as wrong rows, an
   * index that finds no PENDING task): asked once per such stall */
  if (stalled && read_error == NULL &&
      winnow_task_store_find_damage (self->store, &read_error))
    g_clear_pointer (&tasks, g_ptr_array_unref);
  if (tasks == NULL &&
      g_error_matches (read_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
    {
      /* quick_check agrees the history is damaged: its tasks can be
       * neither read nor claimed, so the run ends rather than wait for
       * them for ever */
      g_mutex_lock (&self->lock);
      if (self->claim_error == NULL)
        self->claim_error = g_error_copy (read_error);
      g_clear_error (&claim_error);
      claim_error = g_error_copy (self->claim_error);
      g_mutex_unlock (&self->lock);
    }
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      WinnowTaskStatus status = winnow_task_get_status (task);
      const char *owner = winnow_task_get_lease_owner (task);

      if (winnow_task_status_is_final (status))
        report_finished (self, task);
      else if (status == WINNOW_TASK_PROCESSING && !g_str_has_prefix (owner ? owner : "", prefix))
        recover = TRUE;
      else if (status == WINNOW_TASK_PENDING)
        wake = TRUE;
    }

  if (claim_error != NULL)
    {
      /* a damaged history ends the run's tasks whether they started or not */
      g_autofree char *message =
        g_error_matches (claim_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED)
        ? g_strdup (claim_error->message)
        : g_strdup_printf (_("the task could not be started: %s"), claim_error->message);
      g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);

      g_mutex_lock (&self->lock);
      g_hash_table_iter_init (&iter, self->own);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (self->running, key))
          g_ptr_array_add (left, g_object_ref (g_hash_table_lookup (self->own, key)));
      g_mutex_unlock (&self->lock);
      for (guint i = 0; i < left->len; i++)
        {
          g_autoptr(WinnowTask) failed = local_copy (g_ptr_array_index (left, i),
                                                     WINNOW_TASK_FAILED, message);
          /* the history says so too, once it can be written */
          if (!g_error_matches (claim_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_DAMAGED))
            defer_unstarted (self, winnow_task_get_id (failed), WINNOW_TASK_FAILED, message);
          report_finished (self, failed);
        }
      return;
    }
  /* a worker elsewhere died holding one of ours: this run takes the task
   * back itself rather than wait for a window, at once if that process
   * is known to be gone, else once its lease runs out */
  if (recover && winnow_task_store_recover_expired (self->store, self->owner_prefix, NULL) > 0)
    wake = TRUE;
  if (wake)
    winnow_scheduler_wake (self);
}

/* Temporary files that workers which died left beside their outputs:
 * those no live writer holds go. */
static void
keeper_remove_orphans (WinnowScheduler *self)
{
  g_autoptr(GPtrArray) paths = winnow_task_store_take_orphaned (self->store);

  for (guint i = 0; i < paths->len; i++)
    winnow_output_file_remove_stale (g_ptr_array_index (paths, i));
}

/* ---- the thread ---- */

gpointer
keeper_main (gpointer data)
{
  WinnowScheduler *self = data;
  gint64 next_own_poll = 0, next_run_renewal = 0;
  guint64 seen = 0;

  winnow_task_store_set_thread_patience (KEEPER_PATIENCE_MS);
  winnow_task_store_give_up_waits_when (&self->stop_claims);
  g_mutex_lock (&self->lock);
  while (!self->keeper_stop)
    {
      gint64 until = g_get_monotonic_time () + KEEPER_TICK_MS * G_TIME_SPAN_MILLISECOND;
      g_autoptr(GPtrArray) all = NULL;
      gint64 now;

      /* a round each tick, and at once when a job hands over an outcome */
      while (self->pushes == seen && !self->keeper_stop)
        if (!g_cond_wait_until (&self->keeper_cond, &self->lock, until))
          break;
      if (self->keeper_stop)
        break;
      seen = self->pushes;
      g_mutex_unlock (&self->lock);

      now = g_get_monotonic_time ();
      /* the run first: after a long lock, others must see it alive again */
      if (self->scope == WINNOW_SCHEDULER_OWN_TASKS && now >= next_run_renewal)
        {
          g_autoptr(GError) error = NULL;
          if (winnow_task_store_renew_run (self->store, self->run, self->lease_ms, &error))
            next_run_renewal = now + (self->lease_ms / 3) * G_TIME_SPAN_MILLISECOND;
        }
      keeper_remove_orphans (self);
      record_outcomes (self, FALSE);
      record_deferred (self);
      all = running_tasks (self);
      check_running (self, all);
      report_running (self, all, now);
      if (self->scope == WINNOW_SCHEDULER_OWN_TASKS)
        {
          cancel_queued (self, FALSE);
          if (now >= next_own_poll)
            {
              poll_own (self);
              next_own_poll = now + OWN_POLL_MS * G_TIME_SPAN_MILLISECOND;
            }
        }

      g_mutex_lock (&self->lock);
      if (self->outcomes.length == 0 && self->cancel_queue->len == 0)
        g_cond_broadcast (&self->flushed_cond);
    }
  g_mutex_unlock (&self->lock);

  /* stopped (the shutdown waited for the workers and the flush): the
   * outcomes the history would not take are kept for later or reported
   * unrecorded, and orphans go, here rather than on the thread that
   * stops the scheduler, which may be the one that draws */
  record_outcomes (self, TRUE);
  if (self->scope == WINNOW_SCHEDULER_OWN_TASKS)
    cancel_queued (self, TRUE);
  keeper_remove_orphans (self);
  return NULL;
}
