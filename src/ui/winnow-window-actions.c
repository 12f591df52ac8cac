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

/* ---- pages ---- */

static void
back_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_window_show_list (WINNOW_WINDOW (widget));
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
  _winnow_window_undo_clear (WINNOW_WINDOW (widget));
}

/* Every win.* action, and the keys that trigger them. */
void
_winnow_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL, clear_finished_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "x", undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-clear", NULL, undo_clear_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}
