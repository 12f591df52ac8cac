/* winnow-task-page-actions.c: what can be done with the task shown
 * (task.*): open its output or rejected rows, show it in its folder,
 * retry, edit and run again, export as code, cancel, delete. */
#include "config.h"

#include <glib/gi18n.h>

#include "winnow-export-dialog.h"
#include "winnow-history-call.h"
#include "winnow-task-page-private.h"

/* ---- actions ---- */

static void
on_launched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("could not open the file: %s", error->message);
}

/* Opens @path with the user's application for it (the OpenURI portal
 * under Flatpak). */
void
winnow_task_page_open_path (GtkWidget *widget, const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  if (uri != NULL)
    g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched, NULL);
}

static void
open_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  winnow_task_page_open_path (widget, winnow_task_get_output_path (self->task));
}

static void
open_rejects_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  if (self->rejects_path != NULL)
    winnow_task_page_open_path (widget, self->rejects_path);
}

static void
on_shown (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_autofree char *path = data;

  /* no file manager that takes the call: open the folder instead */
  if (reply == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *uri = g_filename_to_uri (dir, NULL, NULL);
      if (uri != NULL)
        g_app_info_launch_default_for_uri_async (uri, NULL, NULL, on_launched, NULL);
    }
}

static void
show_folder_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (widget);
  const char *path = winnow_task_get_output_path (self->task);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  GDBusConnection *bus = g_application_get_dbus_connection (g_application_get_default ());
  const char *uris[] = { uri, NULL };

  if (bus == NULL || uri == NULL)
    {
      on_shown (NULL, NULL, g_strdup (path));
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_shown, g_strdup (path));
}

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


void
_winnow_task_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "task.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "task.open-rejects", NULL, open_rejects_activated);
  gtk_widget_class_install_action (widget_class, "task.show-folder", NULL, show_folder_activated);
  gtk_widget_class_install_action (widget_class, "task.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "task.rerun", NULL, rerun_activated);
  gtk_widget_class_install_action (widget_class, "task.export-code", NULL, export_code_activated);
  gtk_widget_class_install_action (widget_class, "task.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "task.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "task.delete", NULL);
}
