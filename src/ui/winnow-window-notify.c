/* winnow-window-notify.c: what the main window says on its own: a toast
 * when tasks end (one for a burst of them), a desktop notification when
 * the user is in another window, a toast while an action waits for a
 * busy history, and why the history is not the usual one. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-result-record.h"
#include "winnow-toast.h"
#include "winnow-ui-util.h"
#include "winnow-window-private.h"

/* ---- the history, busy ---- */

/* A user's action waits for a history another program keeps locked: say
 * so, and that it will be done; the toast goes when it is. */
void
winnow_window_say_busy (WinnowWindow *self, const char *what, gboolean busy)
{
  AdwToast *toast;

  g_return_if_fail (WINNOW_IS_WINDOW (self));
  if (self->busy_toasts == NULL)
    return;
  toast = g_hash_table_lookup (self->busy_toasts, what);

  if (!busy)
    {
      if (toast != NULL)
        winnow_toast_dismiss (self->toast_overlay, toast);
      g_hash_table_remove (self->busy_toasts, what);
      return;
    }
  if (toast != NULL)
    return;
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
  g_hash_table_insert (self->busy_toasts, g_strdup (what), g_object_ref (toast));
  winnow_window_toast (self, toast);
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

/* A desktop notification, when the user is in another window. */
static void
notify_finished (WinnowWindow *self, WinnowTask *task)
{
  g_autofree char *message = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (gtk_window_is_active (GTK_WINDOW (self)) ||
      !g_settings_get_boolean (winnow_application_get_settings (self->app), "notifications"))
    return;
  message = finished_message (task);
  notification = g_notification_new (message);
  if (winnow_task_get_status (task) == WINNOW_TASK_FAILED && winnow_task_get_error (task))
    g_notification_set_body (notification, winnow_task_get_error (task));
  else
    {
      /* the rows, the time it took and the rate */
      g_autofree char *rows = winnow_ui_format_rows (task);
      g_autofree char *time = winnow_task_meter_describe_finished (task);
      g_autofree char *body = g_strdup_printf (_("%s rows in %s"), rows, time != NULL ? time : "");

      if (rows[0] != '\0')
        g_notification_set_body (notification, body);
    }
  g_notification_set_default_action_and_target (notification, "app.show-task", "x",
                                                winnow_task_get_id (task));
  g_application_send_notification (G_APPLICATION (self->app), NULL, notification);
}

/* A task of this window ended: a toast, and a notification when the user
 * is elsewhere. */
void
_winnow_window_task_finished (WinnowWindow *self, WinnowTask *task)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  g_autofree char *message = NULL;
  AdwToast *toast;

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
  self->busy_toasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect_object (self->app, "notify::store-problem", G_CALLBACK (on_store_problem),
                           self, 0);
}

void
_winnow_window_dispose_notify (WinnowWindow *self)
{
  g_clear_weak_pointer (&self->finished_toast);
  g_clear_pointer (&self->busy_toasts, g_hash_table_unref);
}
