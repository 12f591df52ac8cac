/* winnow-window-actions.c: the main window's actions (win.*) and their
 * keys. Buttons, menus and toasts name these actions; each is a few lines
 * that hand over to the room that does the work. */
#include "config.h"

#include <glib/gi18n.h>

#include "winnow-window-private.h"

/* ---- opening files ---- */

static void
on_chooser_response (GtkNativeDialog *dialog, int response, WinnowWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (list, g_list_model_get_item (files, i));
      winnow_window_add_files (self, list);
    }
  g_clear_object (&self->chooser);
}

static void
open_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowWindow *self = WINNOW_WINDOW (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  /* native: the portal's chooser under Flatpak */
  self->chooser = gtk_file_chooser_native_new (_("Open CSV Files"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (csv, _("CSV and TSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_mime_type (csv, "text/tab-separated-values");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "tsv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- a result, opened, shown in its folder, or its path copied ----
 *
 * Where no application opens the file (none for CSV files, no file
 * manager), the window says so, with the next thing to try: Show in
 * Folder, then Copy Path. */

typedef struct {
  GWeakRef window;
  char *path;
} Launch;

static Launch *
launch_new (WinnowWindow *self, const char *path)
{
  Launch *launch = g_new0 (Launch, 1);

  g_weak_ref_init (&launch->window, self);
  launch->path = g_strdup (path);
  return launch;
}

static void
launch_free (Launch *launch)
{
  g_weak_ref_clear (&launch->window);
  g_free (launch->path);
  g_free (launch);
}

/* A toast saying what could not be done (@title names the file), and a
 * button for what to try. */
static void
say_failed (Launch *launch, const char *title, const char *button, const char *action)
{
  g_autoptr(WinnowWindow) self = g_weak_ref_get (&launch->window);
  AdwToast *toast;

  if (self == NULL)
    return;
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_button_label (toast, button);
  adw_toast_set_action_name (toast, action);
  adw_toast_set_action_target (toast, "s", launch->path);
  winnow_window_toast (self, toast);
}

static void
say_no_file_manager (Launch *launch)
{
  g_autofree char *name = g_path_get_basename (launch->path);
  /* Translators: %s is a file name */
  g_autofree char *title = g_strdup_printf (_("No file manager could show “%s”"), name);

  say_failed (launch, title, _("Copy Path"), "win.copy-path");
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  Launch *launch = data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_debug ("could not open %s: %s", launch->path, error->message);
      g_autofree char *name = g_path_get_basename (launch->path);
      /* Translators: %s is a file name */
      g_autofree char *title = g_strdup_printf (_("No app is set to open “%s”"), name);
      say_failed (launch, title, _("Show in Folder"), "win.show-file");
    }
  launch_free (launch);
}

/* win.open-file: with the user's application for it (the OpenURI portal
 * under Flatpak). */
static void
open_file_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  const char *path = g_variant_get_string (parameter, NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  if (uri != NULL)
    g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_opened,
                                             launch_new (WINNOW_WINDOW (widget), path));
}

static void
on_folder_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  Launch *launch = data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_debug ("could not open the folder of %s: %s", launch->path, error->message);
      say_no_file_manager (launch);
    }
  launch_free (launch);
}

static void
open_folder (Launch *launch)
{
  g_autofree char *dir = g_path_get_dirname (launch->path);
  g_autofree char *uri = g_filename_to_uri (dir, NULL, NULL);

  if (uri == NULL)
    {
      say_no_file_manager (launch);
      launch_free (launch);
      return;
    }
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, on_folder_opened, launch);
}

static void
on_shown (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);

  /* no file manager that takes the call: open the folder instead */
  if (reply == NULL)
    open_folder (data);
  else
    launch_free (data);
}

/* win.show-file: the file selected in the file manager, or its folder. */
static void
show_file_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  const char *path = g_variant_get_string (parameter, NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  GDBusConnection *bus = g_application_get_dbus_connection (g_application_get_default ());
  Launch *launch = launch_new (WINNOW_WINDOW (widget), path);
  const char *uris[] = { uri, NULL };

  if (bus == NULL || uri == NULL)
    {
      open_folder (launch);
      return;
    }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_shown, launch);
}

/* win.copy-path: the path on the clipboard, to paste elsewhere. */
static void
copy_path_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  const char *path = g_variant_get_string (parameter, NULL);
  g_autofree char *name = g_path_get_basename (path);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), path);
  /* Translators: %s is a file name */
  winnow_window_toast (WINNOW_WINDOW (widget), adw_toast_new_format (_("The path of “%s” is copied"),
                                                                     name));
}

/* ---- pages ---- */

static void
back_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_window_show_list (WINNOW_WINDOW (widget));
}

/* Ctrl+F: the list's search entry. */
static void
search_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowWindow *self = WINNOW_WINDOW (widget);

  winnow_window_show_list (self);
  winnow_task_table_search (self->table);
}

/* ---- deleting and clearing ---- */

static void
undo_delete_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  _winnow_window_undo_delete (WINNOW_WINDOW (widget), g_variant_get_int64 (parameter));
}

static void
clear_finished_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  _winnow_window_clear_finished (WINNOW_WINDOW (widget));
}

static void
undo_clear_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  _winnow_window_undo_clear (WINNOW_WINDOW (widget), g_variant_get_int64 (parameter));
}

/* Every win.* action, and the keys that trigger them. */
void
_winnow_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.open-file", "s", open_file_activated);
  gtk_widget_class_install_action (widget_class, "win.show-file", "s", show_file_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-path", "s", copy_path_activated);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL, clear_finished_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "x", undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-clear", "x", undo_clear_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}
