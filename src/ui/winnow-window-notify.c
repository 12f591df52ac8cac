/* winnow-window-notify.c: what the main window says on its own: a toast
 * when tasks end (one for a burst of them), desktop notifications when the
 * user is in another window (how far the running tasks are, then how they
 * ended), a toast while an action waits for a busy history, and why the
 * history is not the usual one. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-result-record.h"
#include "winnow-toast.h"
#include "winnow-ui-util.h"
#include "winnow-window-private.h"

/* ---- the history, busy ---- */

/* One toast per action in words, for every call that waits with it
 * (two deletes of tasks of one file name say the same). */
typedef struct {
  AdwToast *toast;
  guint calls;
  gboolean closed;  /* by the user: the next call to wait shows it again */
} BusyToast;

static void
busy_toast_free (gpointer data)
{
  BusyToast *busy = data;

  g_signal_handlers_disconnect_by_data (busy->toast, busy);
  g_object_unref (busy->toast);
  g_free (busy);
}

static void
on_busy_toast_dismissed (AdwToast *toast, BusyToast *busy)
{
  busy->closed = TRUE;
}

/* Shows @busy's toast for @what, a new one. */
static void
show_busy_toast (WinnowWindow *self, BusyToast *busy, const char *what)
{
  AdwToast *toast;

  /* Translators: %s is an action in words, such as "deleting “data.csv”" */
  toast = adw_toast_new_format (_("The task history is busy: another program is writing to it. "
                                  "%s will be done as soon as it is free."), what);
  /* the action, with its first letter in capitals, starts the sentence */
  {
    g_autofree char *title = g_strdup (adw_toast_get_title (toast));
    char *start = strstr (title, what);
    if (start != NULL && g_unichar_islower (g_utf8_get_char (start)))
      {
        g_autofree char *upper = g_utf8_strup (start, g_utf8_next_char (start) - start);
        g_autofree char *fixed = g_strdup_printf ("%.*s%s%s", (int) (start - title), title, upper,
                                                  g_utf8_next_char (start));
        adw_toast_set_title (toast, fixed);
      }
  }
  adw_toast_set_timeout (toast, 0);
  if (busy->toast != NULL)
    {
      g_signal_handlers_disconnect_by_data (busy->toast, busy);
      g_object_unref (busy->toast);
    }
  busy->toast = g_object_ref (toast);
  busy->closed = FALSE;
  g_signal_connect (toast, "dismissed", G_CALLBACK (on_busy_toast_dismissed), busy);
  winnow_window_toast (self, toast);
}

/* A user's action waits for a history another program keeps locked: say
 * so, and that it will be done; the toast goes when every call that
 * said it is done. Closed by the user meanwhile, it comes back only for
 * a further action that waits, not for one that already said it. */
void
winnow_window_say_busy (WinnowWindow *self, const char *what, gboolean busy)
{
  BusyToast *shown;

  g_return_if_fail (WINNOW_IS_WINDOW (self));
  if (self->busy_toasts == NULL)
    return;
  shown = g_hash_table_lookup (self->busy_toasts, what);

  if (!busy)
    {
      if (shown == NULL || --shown->calls > 0)
        return;
      if (!shown->closed)
        winnow_toast_dismiss (self->toast_overlay, shown->toast);
      g_hash_table_remove (self->busy_toasts, what);
      return;
    }
  if (shown != NULL)
    {
      shown->calls++;
      if (shown->closed)
        show_busy_toast (self, shown, what);
      return;
    }
  shown = g_new0 (BusyToast, 1);
  shown->calls = 1;
  g_hash_table_insert (self->busy_toasts, g_strdup (what), shown);
  show_busy_toast (self, shown, what);
}

/* ---- tasks ending ---- */

static void
on_show_details (AdwToast *toast, WinnowWindow *self)
{
  winnow_window_show_task (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toast), "id")));
}

static char *
finished_message (WinnowTask *task)
{
  WinnowTaskResult *record = winnow_task_get_result (task);
  const char *name = winnow_task_get_file_name (task);
  g_autoptr(WinnowResult) result = NULL;
  g_autofree char *counts = NULL;

  if (winnow_task_get_status (task) != WINNOW_TASK_COMPLETED)
    return g_strdup_printf (_("%s failed"), name);
  /* the summary only: a few hundred bytes of JSON */
  result = record ? winnow_result_summary_from_record (record) : NULL;
  counts = result ? winnow_result_describe_counts (result) : NULL;
  if (counts != NULL)
    /* Translators: a file name, then what changed, such as "312 duplicates, 12
     * cells replaced" */
    return g_strdup_printf (_("%s cleaned: %s"), name, counts);
  {
    g_autofree char *n = winnow_ui_format_count (MAX (winnow_task_get_rows_out (task), 0));
    return g_strdup_printf (_("%s cleaned: %s rows written"), name, n);
  }
}

/* ---- desktop notifications ---- */

/* The running tasks' notification is sent again at most this often: it
 * tells how far they are, it is no progress bar. */
#define PROGRESS_EVERY_US (5 * G_USEC_PER_SEC)
#define PROGRESS_ID "progress"

static gboolean
user_elsewhere (WinnowWindow *self)
{
  return !gtk_window_is_active (GTK_WINDOW (self)) &&
         g_settings_get_boolean (winnow_application_get_settings (self->app), "notifications");
}

/* Sends a desktop notification that opens task @id's page, or withdraws
 * notification @id_name when @title is %NULL. @quiet: no banner, only the
 * list of notifications. */
static void
send_notification (WinnowWindow *self, const char *id_name, const char *title, const char *body,
                   gboolean quiet, gint64 id)
{
  g_autoptr(GNotification) notification = NULL;

  if (self->notifier != NULL)
    {
      self->notifier (self, id_name, title, body, quiet, self->notifier_data);
      return;
    }
  if (title == NULL)
    {
      g_application_withdraw_notification (G_APPLICATION (self->app), id_name);
      return;
    }
  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  if (quiet)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_LOW);
  g_notification_set_default_action_and_target (notification, "app.show-task", "x", id);
  g_application_send_notification (G_APPLICATION (self->app), id_name, notification);
}

static void
withdraw_progress (WinnowWindow *self)
{
  if (self->progress_sent_at == 0)
    return;
  self->progress_sent_at = 0;
  send_notification (self, PROGRESS_ID, NULL, NULL, FALSE, 0);
}

/* While tasks run and the user is in another window: one quiet
 * notification of how far they are, brought up to date now and then. */
static void
on_task_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
                  gint phase, WinnowWindow *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *meter = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  guint running;

  /* the cheap test first: this runs for every progress tick */
  if ((self->progress_sent_at != 0 && now - self->progress_sent_at < PROGRESS_EVERY_US) ||
      !user_elsewhere (self))
    return;
  running = winnow_scheduler_get_n_running (scheduler);
  meter = winnow_task_meter_describe (self->meter, task);
  if (meter == NULL)
    return;
  if (running > 1)
    {
      title = g_strdup_printf (ngettext ("Cleaning %u file", "Cleaning %u files", running), running);
      /* Translators: a file name, how far it is in percent, and its rows
       * read, rate and time left, as in "big.csv: 42% · 1,200,000 rows read" */
      body = g_strdup_printf (_("%s: %d%% · %s"), winnow_task_get_file_name (task),
                              (int) (CLAMP (fraction, 0, 1) * 100), meter);
    }
  else
    {
      /* Translators: a file name, as in "Cleaning customers.csv" */
      title = g_strdup_printf (_("Cleaning %s"), winnow_task_get_file_name (task));
      /* Translators: how far a task is in percent, then its rows read, rate
       * and time left, as in "42% · 1,200,000 rows read" */
      body = g_strdup_printf (_("%d%% · %s"), (int) (CLAMP (fraction, 0, 1) * 100), meter);
    }
  self->progress_sent_at = now;
  send_notification (self, PROGRESS_ID, title, body, TRUE, winnow_task_get_id (task));
}

static void
on_active_changed (WinnowWindow *self, GParamSpec *pspec, gpointer data)
{
  /* back in the window: the list says it all */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    withdraw_progress (self);
}

/* How a task ended, when the user is in another window. */
static void
notify_finished (WinnowWindow *self, WinnowTask *task)
{
  g_autofree char *message = NULL;
  g_autofree char *body = NULL;

  if (!user_elsewhere (self))
    return;
  message = finished_message (task);
  if (winnow_task_get_status (task) == WINNOW_TASK_FAILED && winnow_task_get_error (task))
    body = g_strdup (winnow_task_get_error (task));
  else
    {
      /* the rows, the time it took and the rate */
      g_autofree char *rows = winnow_ui_format_rows (task);
      g_autofree char *time = winnow_task_meter_describe_finished (task);

      if (rows[0] != '\0')
        body = g_strdup_printf (_("%s rows in %s"), rows, time != NULL ? time : "");
    }
  send_notification (self, NULL, message, body, FALSE, winnow_task_get_id (task));
}

/* A task of this window ended: a toast, and a notification when the user
 * is elsewhere. */
void
_winnow_window_task_finished (WinnowWindow *self, WinnowTask *task)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  g_autofree char *message = NULL;
  AdwToast *toast;

  if (winnow_scheduler_get_n_running (self->scheduler) == 0)
    withdraw_progress (self);
  if (status != WINNOW_TASK_COMPLETED && status != WINNOW_TASK_FAILED)
    return;
  notify_finished (self, task);
  message = finished_message (task);
  /* A burst of finished tasks is one toast that counts them, not a queue. */
  if (self->finished_toast != NULL)
    {
      GObject *burst = G_OBJECT (self->finished_toast);
      guint n = GPOINTER_TO_UINT (g_object_get_data (burst, "count")) + 1;
      guint failed = GPOINTER_TO_UINT (g_object_get_data (burst, "failed"))
                     + (status == WINNOW_TASK_FAILED);
      g_autofree char *title = NULL;

      if (failed == 0)
        title = g_strdup_printf (ngettext ("%u file cleaned", "%u files cleaned", n), n);
      else if (failed == n)
        title = g_strdup_printf (ngettext ("%u file failed", "%u files failed", n), n);
      else
        /* TRANSLATORS: "4 files cleaned, 1 failed" */
        title = g_strdup_printf (ngettext ("%u file cleaned, %u failed", "%u files cleaned, %u failed",
                                           n - failed), n - failed, failed);
      g_object_set_data (burst, "count", GUINT_TO_POINTER (n));
      g_object_set_data (burst, "failed", GUINT_TO_POINTER (failed));
      adw_toast_set_title (self->finished_toast, title);
      adw_toast_set_button_label (self->finished_toast, NULL);
      adw_toast_set_action_name (self->finished_toast, NULL);
      g_signal_handlers_disconnect_by_data (self->finished_toast, self);
      return;
    }
  toast = adw_toast_new (message);
  g_object_set_data (G_OBJECT (toast), "count", GUINT_TO_POINTER (1));
  g_object_set_data (G_OBJECT (toast), "failed", GUINT_TO_POINTER (status == WINNOW_TASK_FAILED));
  g_set_weak_pointer (&self->finished_toast, toast);
  if (status == WINNOW_TASK_COMPLETED)
    {
      adw_toast_set_button_label (toast, _("_Open"));
      adw_toast_set_action_name (toast, "win.open-file");
      adw_toast_set_action_target (toast, "s", winnow_task_get_output_path (task));
    }
  else
    {
      adw_toast_set_button_label (toast, _("_Details"));
      g_object_set_data (G_OBJECT (toast), "id", GINT_TO_POINTER ((int) winnow_task_get_id (task)));
      g_signal_connect (toast, "button-clicked", G_CALLBACK (on_show_details), self);
    }
  winnow_window_toast (self, toast);
}

static void
on_store_problem (WinnowApplication *app, GParamSpec *pspec, WinnowWindow *self)
{
  _winnow_window_say_store_problem (self);
}

/* The history is not the usual one (moved aside, private, busy): said
 * until the user closes the toast. */
void
_winnow_window_say_store_problem (WinnowWindow *self)
{
  const char *problem = winnow_application_get_store_problem (self->app);
  AdwToast *toast;

  if (problem == NULL)
    return;
  toast = adw_toast_new (problem);
  adw_toast_set_timeout (toast, 0);
  winnow_window_toast (self, toast);
}

void
_winnow_window_init_notify (WinnowWindow *self)
{
  self->busy_toasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, busy_toast_free);
  g_signal_connect_object (self->app, "notify::store-problem", G_CALLBACK (on_store_problem),
                           self, 0);
  /* after the meter, which reads the progress first */
  g_signal_connect_object (self->scheduler, "task-progress", G_CALLBACK (on_task_progress),
                           self, 0);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
}

void
winnow_window_set_notifier (WinnowWindow *self, WinnowNotifier notifier, gpointer data)
{
  g_return_if_fail (WINNOW_IS_WINDOW (self));
  self->notifier = notifier;
  self->notifier_data = data;
}

void
_winnow_window_dispose_notify (WinnowWindow *self)
{
  withdraw_progress (self);
  g_clear_weak_pointer (&self->finished_toast);
  g_clear_pointer (&self->busy_toasts, g_hash_table_unref);
}
