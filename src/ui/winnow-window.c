/* winnow-window.c: the main window itself: its pages (the list and a
 * task's page), its title, and files handed to it. Its actions, drag and
 * drop, undo and notifications are rooms of their own
 * (winnow-window-private.h). */
#include "config.h"

#include "winnow-window.h"
#include "winnow-window-private.h"

#include <glib/gi18n.h>

#include "winnow-toast.h"
#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

#define MAX_NAMES_IN_TOAST 3

G_DEFINE_FINAL_TYPE (WinnowWindow, winnow_window, ADW_TYPE_APPLICATION_WINDOW)

void
winnow_window_toast (WinnowWindow *self, AdwToast *toast)
{
  g_return_if_fail (WINNOW_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));
  if (self->toast_overlay == NULL)
    {
      /* a call that landed after the window went: nobody to tell */
      g_object_unref (toast);
      return;
    }
  g_set_weak_pointer (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Dismisses @toast as the window does (winnow-toast.c), for tests. */
void
winnow_window_dismiss_toast (WinnowWindow *self, AdwToast *toast)
{
  winnow_toast_dismiss (self->toast_overlay, toast);
}

/* The toast shown last, while it lives. */
AdwToast *
winnow_window_get_last_toast (WinnowWindow *self)
{
  return self->last_toast;
}

/* ---- adding files ---- */

static void
toast_refused (WinnowWindow *self, GPtrArray *refused)
{
  g_autoptr(GString) names = g_string_new (NULL);
  AdwToast *toast;

  if (refused->len == 0)
    return;
  if (refused->len == 1)
    toast = adw_toast_new_format (_("“%s” is not a CSV file"), (char *) g_ptr_array_index (refused, 0));
  else
    {
      for (guint i = 0; i < refused->len && i < MAX_NAMES_IN_TOAST; i++)
        g_string_append_printf (names, "%s“%s”", i ? ", " : "", (char *) g_ptr_array_index (refused, i));
      if (refused->len > MAX_NAMES_IN_TOAST)
        g_string_append (names, "…");
      toast = adw_toast_new_format (ngettext ("%u file is not a CSV file: %s",
                                              "%u files are not CSV files: %s", refused->len),
                                    refused->len, names->str);
    }
  adw_toast_set_timeout (toast, 6);
  winnow_window_toast (self, toast);
}

static void
on_tasks_added (WinnowTaskDialog *dialog, guint n, WinnowWindow *self)
{
  winnow_window_show_list (self);
}

/* A closed dialog may live on a moment (its job holds it): it is gone
 * for the window as soon as it is destroyed. */
static void
on_dialog_destroyed (WinnowTaskDialog *dialog, WinnowWindow *self)
{
  if (self->task_dialog == dialog)
    g_clear_weak_pointer (&self->task_dialog);
}

WinnowTaskDialog *
_winnow_window_watch_dialog (WinnowWindow *self, WinnowTaskDialog *dialog)
{
  g_set_weak_pointer (&self->task_dialog, dialog);
  g_signal_connect_object (dialog, "tasks-added", G_CALLBACK (on_tasks_added), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed), self, 0);
  return dialog;
}

/**
 * winnow_window_add_files:
 * @files: (element-type GFile): what was dropped, chosen or opened
 *
 * Opens the configuration dialog on the CSV and TSV files among @files
 * (or adds them to the one open), and tells which files it refused.
 * Dropping, the Open dialog and "Open With" all come here.
 *
 * Returns: how many files the dialog got
 */
guint
winnow_window_add_files (WinnowWindow *self, GPtrArray *files)
{
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) accepted = g_ptr_array_new ();

  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL || !winnow_ui_is_csv_file (file) ||
          g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (refused, g_file_get_basename (file));
      else
        g_ptr_array_add (accepted, file);
    }
  toast_refused (self, refused);
  if (accepted->len == 0)
    return 0;
  if (self->task_dialog != NULL)
    {
      winnow_task_dialog_add_files (self->task_dialog, accepted);
      gtk_window_present (GTK_WINDOW (self->task_dialog));
    }
  else
    _winnow_window_watch_dialog (self, winnow_task_dialog_new (self->app, GTK_WINDOW (self), accepted));
  return accepted->len;
}

/* The dialog open on the files added last, or %NULL. */
WinnowTaskDialog *
winnow_window_get_task_dialog (WinnowWindow *self)
{
  return self->task_dialog;
}

static void
on_rerun_requested (WinnowTaskPage *page, WinnowTask *task, WinnowWindow *self)
{
  _winnow_window_watch_dialog (self, winnow_task_dialog_new_rerun (self->app, GTK_WINDOW (self), task));
}

/* ---- pages ---- */

const char *
winnow_window_get_visible_page (WinnowWindow *self)
{
  return adw_leaflet_get_visible_child_name (self->leaflet);
}

void
winnow_window_show_task (WinnowWindow *self, gint64 id)
{
  winnow_task_page_show (self->task_page, id);
  adw_leaflet_set_visible_child_name (self->leaflet, "task");
}

void
winnow_window_show_list (WinnowWindow *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

GtkWidget *
winnow_window_get_table (WinnowWindow *self)
{
  return GTK_WIDGET (self->table);
}

/* The list the table shows. */
WinnowTaskList *
winnow_window_get_list (WinnowWindow *self)
{
  return self->list;
}

GtkWidget *
winnow_window_get_task_page (WinnowWindow *self)
{
  return GTK_WIDGET (self->task_page);
}

static void
on_row_activated (WinnowTaskTable *table, WinnowTask *task, WinnowWindow *self)
{
  winnow_window_show_task (self, winnow_task_get_id (task));
}

/* "13 tasks", "2 of 13 tasks" while a filter is on, and how many run. */
void
_winnow_window_update_title (WinnowWindow *self)
{
  gint64 total = winnow_task_list_get_total (self->list);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint running = winnow_scheduler_get_n_running (self->scheduler);
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (total > 0)
    {
      g_autofree char *all = winnow_ui_format_count (total);

      if (winnow_task_list_is_filtered (self->list))
        {
          g_autofree char *some = winnow_ui_format_count (shown);
          /* Translators: tasks shown by the filters, then all of them */
          g_string_append_printf (subtitle, ngettext ("%s of %s task", "%s of %s tasks",
                                                      (gulong) total), some, all);
        }
      else
        g_string_append_printf (subtitle, ngettext ("%s task", "%s tasks", (gulong) total), all);
      if (running > 0)
        /* Translators: follows the count of tasks, as in "13 tasks · 2 running" */
        g_string_append_printf (subtitle, ngettext (" · %u running", " · %u running", running),
                                running);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle->str);
  /* until the first count arrives (total -1), the list, not the invitation */
  gtk_stack_set_visible_child_name (self->list_stack, total != 0 ? "tasks" : "empty");
}

/* ---- following the tasks ---- */

static void
on_task_finished (WinnowScheduler *scheduler, WinnowTask *task, WinnowWindow *self)
{
  _winnow_window_update_title (self);
  _winnow_window_task_finished (self, task);
}

static void
on_task_started (WinnowScheduler *scheduler, WinnowTask *task, WinnowWindow *self)
{
  _winnow_window_update_title (self);
}

static void
on_total_changed (WinnowTaskList *list, GParamSpec *pspec, WinnowWindow *self)
{
  _winnow_window_update_title (self);
}

static void
on_delete_requested (GtkWidget *source, WinnowTask *task, WinnowWindow *self)
{
  _winnow_window_delete_task (self, task);
}

/* ---- the object ---- */

static void
winnow_window_dispose (GObject *object)
{
  WinnowWindow *self = WINNOW_WINDOW (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_weak_pointer (&self->last_toast);
  g_clear_weak_pointer (&self->task_dialog);
  _winnow_window_dispose_undo (self);
  _winnow_window_dispose_notify (self);
  if (self->list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->list, self);
      winnow_task_list_close (self->list);
    }
  g_clear_object (&self->chooser);
  g_clear_object (&self->list);
  g_clear_object (&self->meter);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_WINDOW);
  G_OBJECT_CLASS (winnow_window_parent_class)->dispose (object);
}

static void
winnow_window_class_init (WinnowWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = winnow_window_dispose;

  g_type_ensure (WINNOW_TYPE_TASK_TABLE);
  g_type_ensure (WINNOW_TYPE_TASK_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/winnow/Winnow/winnow-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, table);
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, task_page);
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, WinnowWindow, window_title);
  _winnow_window_class_init_actions (widget_class);
}

static void
winnow_window_init (WinnowWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _winnow_window_init_undo (self);
  _winnow_window_init_dnd (self);
}

/**
 * winnow_window_new:
 * Returns: (transfer none): the window, owned by @app
 */
WinnowWindow *
winnow_window_new (WinnowApplication *app)
{
  WinnowWindow *self;
  GSettings *settings;

  g_return_val_if_fail (WINNOW_IS_APPLICATION (app), NULL);
  self = g_object_new (WINNOW_TYPE_WINDOW, "application", app, NULL);
  self->app = app;
  self->store = g_object_ref (winnow_application_get_store (app));
  self->scheduler = g_object_ref (winnow_application_get_scheduler (app));
  /* the meter hears of progress before the rows that show it redraw */
  self->meter = winnow_task_meter_new (self->scheduler);
  self->list = winnow_task_list_new (self->store, self->scheduler);
  winnow_task_table_set_list (self->table, self->list, self->meter);
  winnow_task_page_set_engine (self->task_page, self->store, self->scheduler, self->meter);
  _winnow_window_init_notify (self);

  g_signal_connect (self->list, "notify::total", G_CALLBACK (on_total_changed), self);
  g_signal_connect (self->list, "notify::n-items", G_CALLBACK (on_total_changed), self);
  g_signal_connect (self->table, "task-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect (self->table, "delete-requested", G_CALLBACK (on_delete_requested), self);
  g_signal_connect (self->task_page, "delete-requested", G_CALLBACK (on_delete_requested), self);
  g_signal_connect (self->task_page, "rerun-requested", G_CALLBACK (on_rerun_requested), self);
  g_signal_connect (self->scheduler, "task-started", G_CALLBACK (on_task_started), self);
  g_signal_connect (self->scheduler, "task-finished", G_CALLBACK (on_task_finished), self);
  _winnow_window_update_title (self);

  settings = winnow_application_get_settings (app);
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  _winnow_window_say_store_problem (self);
  winnow_ui_name_widgets (GTK_WIDGET (self));
  return self;
}
