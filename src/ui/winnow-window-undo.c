/* winnow-window-undo.c: deleting tasks and clearing the finished ones,
 * each offered for undo in a toast. Nothing leaves the history while its
 * undo is offered: the list only hides it. It goes when the toast goes
 * without an undo, when the window closes, and on quit (the application
 * waits for these calls at shutdown). */
#include "config.h"

#include <glib/gi18n.h>

#include "winnow-history-call.h"
#include "winnow-toast.h"
#include "winnow-ui-util.h"
#include "winnow-window-private.h"

/* ---- deleting ---- */

/* A queued task deleted is cancelled at once, and queued again if the
 * delete is undone: only once the cancel has landed, or the cancel would
 * land after it and leave the task cancelled (the two calls run on
 * threads of their own, in no set order). Shared by the deletion and the
 * cancel's call; it keeps the scheduler, so that an undo the window did
 * not live to see through is still done (the application waits for
 * these calls as it quits). */
typedef struct {
  gint ref;
  WinnowScheduler *scheduler;
  WinnowWindow *window;  /* weak: for a message */
  gint64 id;
  char *name;
  gboolean cancel_landed;
  gboolean requeue_asked;
} Requeue;

static Requeue *
requeue_ref (Requeue *requeue)
{
  requeue->ref++;
  return requeue;
}

static void
requeue_unref (Requeue *requeue)
{
  if (--requeue->ref > 0)
    return;
  g_object_unref (requeue->scheduler);
  g_clear_weak_pointer (&requeue->window);
  g_free (requeue->name);
  g_free (requeue);
}

/* A deleted task is only hidden while its toast offers to undo; it leaves
 * the store when the toast goes without an undo, or when the window
 * closes. A queued one is cancelled at once, so that no worker starts it
 * meanwhile, and queued again on undo. */
typedef struct {
  gint64 id;
  char *name;
  gboolean undone;
  gboolean applied;
  Requeue *requeue;  /* a queued task's, or NULL */
  AdwToast *toast;   /* weak */
} Deletion;

typedef struct {
  WinnowWindow *window;
  gint64 id;
} Landing;

/* The deletion has landed (or failed): the list stops hiding the task,
 * only now, so that it does not show again while the history is busy. */
static void
delete_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autofree Landing *landing = data;
  g_autoptr(WinnowWindow) self = landing->window;
  g_autoptr(GError) error = NULL;

  if (!winnow_history_act_finish (result, NULL, &error) &&
      !g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND))
    winnow_window_toast (self, adw_toast_new_format (_("Could not delete the task: %s"),
                                                     error->message));
  if (self->list != NULL)
    winnow_task_list_unhide (self->list, landing->id);
}

/* The deletion goes to the history (once). */
static void
apply_deletion (WinnowWindow *self, Deletion *deletion)
{
  g_autofree char *what = NULL;
  Landing *landing;

  if (deletion->undone || deletion->applied)
    return;
  deletion->applied = TRUE;
  landing = g_new (Landing, 1);
  landing->window = g_object_ref (self);
  landing->id = deletion->id;
  /* Translators: said while the history is busy; %s is a file name */
  what = g_strdup_printf (_("deleting “%s”"), deletion->name);
  winnow_history_act (self->scheduler, WINNOW_HISTORY_DELETE, deletion->id, what, delete_done,
                      landing);
}

static void
on_delete_dismissed (AdwToast *toast, WinnowWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "task-id"));
  Deletion *deletion;

  if (self->deletions == NULL)
    return;  /* the window is going: its deletions were applied */
  deletion = g_hash_table_lookup (self->deletions, &id);
  if (deletion == NULL)
    return;
  if (deletion->undone)
    winnow_task_list_unhide (self->list, id);
  else
    apply_deletion (self, deletion);  /* unhidden once it has landed */
  g_hash_table_remove (self->deletions, &id);
}

static void
requeue_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Requeue *requeue = data;
  g_autoptr(GError) error = NULL;

  if (!winnow_history_act_finish (result, NULL, &error) && requeue->window != NULL)
    winnow_window_toast (requeue->window,
                         adw_toast_new_format (_("Could not queue the task again: %s"),
                                               error->message));
  requeue_unref (requeue);
}

static void
requeue_now (Requeue *requeue)
{
  /* Translators: said while the history is busy; %s is a file name */
  g_autofree char *what = g_strdup_printf (_("queuing “%s” again"), requeue->name);

  winnow_history_act (requeue->scheduler, WINNOW_HISTORY_RETRY, requeue->id, what,
                      requeue_done, requeue_ref (requeue));
}

/* The toast's Undo (win.undo-delete): the task comes back, queued again
 * if it was queued. */
void
_winnow_window_undo_delete (WinnowWindow *self, gint64 id)
{
  Deletion *deletion = g_hash_table_lookup (self->deletions, &id);

  if (deletion == NULL)
    return;
  deletion->undone = TRUE;
  if (deletion->requeue != NULL && !deletion->requeue->requeue_asked)
    {
      deletion->requeue->requeue_asked = TRUE;
      if (deletion->requeue->cancel_landed)
        requeue_now (deletion->requeue);
    }
  if (deletion->toast != NULL)
    winnow_toast_dismiss (self->toast_overlay, deletion->toast);
}

static void
deletion_free (gpointer data)
{
  Deletion *deletion = data;
  g_clear_weak_pointer (&deletion->toast);
  g_clear_pointer (&deletion->requeue, requeue_unref);
  g_free (deletion->name);
  g_free (deletion);
}

static void
cancel_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Requeue *requeue = data;
  g_autoptr(GError) error = NULL;

  winnow_history_act_finish (result, NULL, &error);
  requeue->cancel_landed = TRUE;
  if (requeue->requeue_asked)
    requeue_now (requeue);
  requeue_unref (requeue);
}

/* Deletes @task from the list at once and offers an undo; a running
 * task must be cancelled first. */
void
_winnow_window_delete_task (WinnowWindow *self, WinnowTask *task)
{
  Deletion *deletion;
  gint64 *key;
  AdwToast *toast;

  if (winnow_task_get_status (task) == WINNOW_TASK_PROCESSING)
    {
      winnow_window_toast (self, adw_toast_new (_("Cancel the task before deleting it")));
      return;
    }
  deletion = g_new0 (Deletion, 1);
  deletion->id = winnow_task_get_id (task);
  deletion->name = g_strdup (winnow_task_get_file_name (task));
  if (winnow_task_get_status (task) == WINNOW_TASK_PENDING)
    {
      /* Translators: said while the history is busy; %s is a file name */
      g_autofree char *what = g_strdup_printf (_("cancelling “%s”"), deletion->name);
      Requeue *requeue = g_new0 (Requeue, 1);

      requeue->ref = 1;
      requeue->scheduler = g_object_ref (self->scheduler);
      g_set_weak_pointer (&requeue->window, self);
      requeue->id = deletion->id;
      requeue->name = g_strdup (deletion->name);
      deletion->requeue = requeue;
      winnow_history_act (self->scheduler, WINNOW_HISTORY_CANCEL, deletion->id, what,
                          cancel_done, requeue_ref (requeue));
    }
  key = g_new (gint64, 1);
  *key = deletion->id;
  g_hash_table_insert (self->deletions, key, deletion);
  winnow_task_list_hide (self->list, deletion->id);
  winnow_window_show_list (self);

  toast = adw_toast_new_format (_("“%s” deleted"), winnow_task_get_file_name (task));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target (toast, "x", deletion->id);
  /* Not ADW_TOAST_PRIORITY_HIGH: libadwaita 1.2 asserts when a toast it
   * pushed back for a high-priority one is shown again too soon. */
  g_object_set_data (G_OBJECT (toast), "task-id", GSIZE_TO_POINTER ((gsize) deletion->id));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_delete_dismissed), self, 0);
  g_set_weak_pointer (&deletion->toast, toast);
  winnow_window_toast (self, toast);
}

/* ---- clearing the finished tasks, with undo ---- */

/* The clear offered is hidden from the list, or nothing. Each clear's
 * toast names it by its last id: the toast of a clear already sent, still
 * on screen for a moment, neither sends nor undoes a newer one. Clears go
 * to the history one counted at a time: a new one is counted once the
 * ones sent have landed, so it does not count their tasks again. */

static void start_count (WinnowWindow *self);

static void
hide_cleared (WinnowWindow *self)
{
  if (self->list != NULL)
    winnow_task_list_hide_finished (self->list, self->clearing_upto, self->clearing_keep);
}

static void
clear_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowWindow) self = data;
  g_autoptr(GError) error = NULL;

  self->n_clears_landing--;
  if (!winnow_history_act_finish (result, NULL, &error))
    winnow_window_toast (self, adw_toast_new_format (_("Could not clear the history: %s"),
                                                     error->message));
  /* shown again, unless a newer clear offered hides them */
  hide_cleared (self);
  if (self->count_after_clear && self->n_clears_landing == 0 && self->store != NULL)
    {
      self->count_after_clear = FALSE;
      start_count (self);
    }
}

/* The clear offered goes to the history (once); its toast no longer
 * stands for it. */
static void
apply_clear (WinnowWindow *self)
{
  g_autoptr(GArray) keep = g_steal_pointer (&self->clearing_keep);
  gint64 upto = self->clearing_upto;

  g_clear_weak_pointer (&self->clear_toast);
  if (upto <= 0)
    return;
  self->clearing_upto = 0;
  self->n_clears_landing++;
  winnow_history_clear_finished (self->scheduler, upto, keep,
                                 /* Translators: said while the history is busy */
                                 _("clearing the finished tasks"), clear_done,
                                 g_object_ref (self));
}

static void
on_clear_dismissed (AdwToast *toast, WinnowWindow *self)
{
  if (self->scheduler != NULL && toast == self->clear_toast)
    apply_clear (self);
}

/* The toast's Undo (win.undo-clear), for the clear up to @upto_id. */
void
_winnow_window_undo_clear (WinnowWindow *self, gint64 upto_id)
{
  AdwToast *toast = self->clear_toast;

  if (upto_id != self->clearing_upto || upto_id <= 0)
    return;  /* that clear was sent already */
  self->clearing_upto = 0;
  g_clear_pointer (&self->clearing_keep, g_array_unref);
  g_clear_weak_pointer (&self->clear_toast);
  hide_cleared (self);
  if (toast != NULL)
    winnow_toast_dismiss (self->toast_overlay, toast);
}

typedef struct {
  gint64 count;
  gint64 last_id;
  GArray *unfinished;
} Finished;

static void
finished_free (gpointer data)
{
  Finished *finished = data;

  g_clear_pointer (&finished->unfinished, g_array_unref);
  g_free (finished);
}

typedef struct {
  WinnowTaskStore *store;
  GArray *hidden;   /* deleted, their undo offered: not the clear's */
} Counting;

static void
counting_free (gpointer data)
{
  Counting *counting = data;

  g_object_unref (counting->store);
  g_array_unref (counting->hidden);
  g_free (counting);
}

static gpointer
count_finished (gpointer data, GError **error)
{
  Counting *counting = data;
  Finished *finished = g_new0 (Finished, 1);

  finished->count = winnow_task_store_count_finished (counting->store, counting->hidden,
                                                      &finished->last_id, &finished->unfinished,
                                                      error);
  if (finished->count < 0)
    g_clear_pointer (&finished, finished_free);
  return finished;
}

/* Counted: hidden at once, and the same tasks (those finished then, not
 * those that finish while the toast shows) deleted when it goes. */
static void
finished_counted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowWindow) self = data;
  g_autoptr(GError) error = NULL;
  Finished *finished = winnow_history_call_finish (result, &error);
  g_autofree char *count = NULL;
  AdwToast *toast;

  self->counting = FALSE;
  if (finished == NULL)
    {
      winnow_window_toast (self, adw_toast_new_format (_("Could not clear the history: %s"),
                                                       error->message));
      return;
    }
  if (finished->count == 0)
    {
      winnow_window_toast (self, adw_toast_new (_("No finished tasks to clear")));
      finished_free (finished);
      return;
    }
  self->clearing_upto = finished->last_id;
  self->clearing_keep = g_steal_pointer (&finished->unfinished);
  hide_cleared (self);
  winnow_window_show_list (self);
  count = winnow_ui_format_count (finished->count);
  toast = adw_toast_new_format (ngettext ("%s finished task cleared", "%s finished tasks cleared",
                                          (gulong) finished->count), count);
  finished_free (finished);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-clear");
  adw_toast_set_action_target (toast, "x", self->clearing_upto);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_clear_dismissed), self, 0);
  g_set_weak_pointer (&self->clear_toast, toast);
  winnow_window_toast (self, toast);
}

static void
start_count (WinnowWindow *self)
{
  Counting *counting = g_new0 (Counting, 1);

  counting->store = g_object_ref (self->store);
  counting->hidden = self->list != NULL
                      ? g_array_copy ((GArray *) winnow_task_list_get_hidden (self->list))
                      : g_array_new (FALSE, FALSE, sizeof (gint64));
  self->counting = TRUE;
  winnow_history_call (NULL, count_finished, counting, counting_free, finished_free, NULL,
                       finished_counted, g_object_ref (self));
}

/* Clear Finished Tasks (win.clear-finished): counted off the main
 * thread, hidden at once, offered for undo. A clear still offered goes
 * to the history first (its toast goes), and this one counts what is
 * left once it has landed. */
void
_winnow_window_clear_finished (WinnowWindow *self)
{
  AdwToast *toast = self->clear_toast;

  if (self->counting)
    return;  /* asked twice: one count, one toast */
  if (self->clearing_upto > 0)
    {
      apply_clear (self);
      if (toast != NULL)
        winnow_toast_dismiss (self->toast_overlay, toast);
    }
  if (self->n_clears_landing > 0)
    self->count_after_clear = TRUE;
  else
    start_count (self);
}

/* Deletions and a clear still offered for undo are done now: the window
 * closes, or the app quits. */
void
_winnow_window_apply_pending (WinnowWindow *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->deletions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    apply_deletion (self, value);
  apply_clear (self);
}

static gboolean
on_close_request (GtkWindow *window, gpointer data)
{
  _winnow_window_apply_pending (WINNOW_WINDOW (window));
  return FALSE;
}

void
_winnow_window_init_undo (WinnowWindow *self)
{
  self->deletions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, deletion_free);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}

/* Deletions and a clear still offered are done as the window goes. */
void
_winnow_window_dispose_undo (WinnowWindow *self)
{
  g_clear_weak_pointer (&self->clear_toast);
  if (self->deletions != NULL)
    _winnow_window_apply_pending (self);
  g_clear_pointer (&self->deletions, g_hash_table_unref);
  g_clear_pointer (&self->clearing_keep, g_array_unref);
  self->count_after_clear = FALSE;
}
