/* winnow-task-page-actions.c: what can be done with the task shown
 * (task.*): open its output or rejected rows, show it in its folder or
 * copy its path, retry, edit and run again, export as code, cancel,
 * delete; and whether Retry could go otherwise than the last time. */
#include "config.h"

#include <glib/gi18n.h>

#include "winnow-export-dialog.h"
#include "winnow-history-call.h"
#include "winnow-task-page-private.h"

/* ---- the output, opened, shown or copied: by the window, which says
 * in a toast when nothing could do it ---- */

static void
open_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  gtk_widget_activate_action (widget, "win.open-file", "s", winnow_task_get_output_path (self->task));
}

static void
open_rejects_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  if (self->rejects_path != NULL)
    gtk_widget_activate_action (widget, "win.open-file", "s", self->rejects_path);
}

static void
show_folder_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  gtk_widget_activate_action (widget, "win.show-file", "s", winnow_task_get_output_path (self->task));
}

static void
copy_path_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  gtk_widget_activate_action (widget, "win.copy-path", "s", winnow_task_get_output_path (self->task));
}

/* ---- the history ---- */

static void
report_error (WinnowTaskPage *self, GError *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
}

static void
action_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!winnow_history_act_finish (result, NULL, &error))
    report_error (self, error);
  if (self->task != NULL)
    _winnow_task_page_reload (self, winnow_task_get_id (self->task));
}

static void
act (WinnowTaskPage *self, WinnowHistoryAction action, const char *what)
{
  winnow_history_act (self->scheduler, action, winnow_task_get_id (self->task), what,
                      action_done, g_object_ref (self));
}

static void
retry_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  /* Translators: said while the history is busy; %s is a file name */
  g_autofree char *what = g_strdup_printf (_("retrying “%s”"),
                                           winnow_task_get_file_name (self->task));
  act (self, WINNOW_HISTORY_RETRY, what);
}

static void
rerun_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  g_signal_emit_by_name (self, "rerun-requested", self->task);
}

static void
export_code_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (self->task),
                                                                -1, &error);

  if (recipe == NULL)
    {
      report_error (self, error);
      return;
    }
  winnow_export_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), recipe,
                            winnow_task_get_input_path (self->task),
                            winnow_task_get_output_path (self->task));
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  /* Translators: said while the history is busy; %s is a file name */
  g_autofree char *what = g_strdup_printf (_("cancelling “%s”"),
                                           winnow_task_get_file_name (self->task));
  act (self, WINNOW_HISTORY_CANCEL, what);
}

static void
delete_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  g_signal_emit_by_name (self, "delete-requested", self->task);
}


/* ---- whether Retry could go otherwise ---- */

typedef struct {
  char *input;
  GDateTime *finished;
} RetryCheck;

static void
retry_check_free (gpointer data)
{
  RetryCheck *check = data;

  g_free (check->input);
  g_clear_pointer (&check->finished, g_date_time_unref);
  g_free (check);
}

/* On a worker thread (a stat): Retry runs the same recipe on the same
 * file, so a task that failed on a file unchanged since would fail again
 * the same way (a bad line, a column the recipe names that the file does
 * not have). A file changed after the failure may go otherwise. What
 * stopped a task from outside the file (a full disk, a folder that could
 * not be written) is run anew by Edit and Run Again, which the page
 * offers then. */
static void
check_retry (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RetryCheck *check = data;
  g_autoptr(GFile) file = g_file_new_for_path (check->input);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  g_autoptr(GDateTime) modified = info != NULL ? g_file_info_get_modification_date_time (info) : NULL;

  g_task_return_boolean (task, modified != NULL && check->finished != NULL &&
                               g_date_time_compare (modified, check->finished) > 0);
}

static void
on_retry_checked (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskPage) self = data;
  gboolean can = g_task_propagate_boolean (G_TASK (result), NULL);

  if (g_task_get_cancellable (G_TASK (result)) != self->retry_cancellable)
    return;  /* another task, or a later check */
  g_clear_object (&self->retry_cancellable);
  self->can_retry = can;
  if (!can)
    {
      g_autofree char *note = g_strdup_printf (_("“%s” has not changed since the task failed, so "
                                                 "Retry would fail the same way: fix the file, or "
                                                 "edit the recipe and run it again."),
                                               winnow_task_get_file_name (self->task));
      gtk_label_set_text (self->retry_note, note);
    }
  _winnow_task_page_update_status (self);
}

/* For a failed task: Retry is offered once a look at its input (off the
 * main thread) says it could go otherwise. */
void
_winnow_task_page_check_retry (WinnowTaskPage *self)
{
  g_autoptr(GTask) task = NULL;
  RetryCheck *check;

  if (self->retry_cancellable != NULL)
    g_cancellable_cancel (self->retry_cancellable);
  g_clear_object (&self->retry_cancellable);
  self->retry_cancellable = g_cancellable_new ();
  check = g_new0 (RetryCheck, 1);
  check->input = g_strdup (winnow_task_get_input_path (self->task));
  check->finished = winnow_task_get_finished (self->task) != NULL
                    ? g_date_time_ref (winnow_task_get_finished (self->task)) : NULL;
  task = g_task_new (NULL, self->retry_cancellable, on_retry_checked, g_object_ref (self));
  g_task_set_task_data (task, check, retry_check_free);
  g_task_run_in_thread (task, check_retry);
}

void
_winnow_task_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "task.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "task.open-rejects", NULL, open_rejects_activated);
  gtk_widget_class_install_action (widget_class, "task.show-folder", NULL, show_folder_activated);
  gtk_widget_class_install_action (widget_class, "task.copy-path", NULL, copy_path_activated);
  gtk_widget_class_install_action (widget_class, "task.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "task.rerun", NULL, rerun_activated);
  gtk_widget_class_install_action (widget_class, "task.export-code", NULL, export_code_activated);
  gtk_widget_class_install_action (widget_class, "task.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "task.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "task.delete", NULL);
}
