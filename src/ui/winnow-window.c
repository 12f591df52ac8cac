/* winnow-window.c: see winnow-window.h. */
#include "config.h"

#include "winnow-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-history-call.h"
#include "winnow-result-record.h"
#include "winnow-task-list.h"
#include "winnow-task-page.h"
#include "winnow-task-table.h"
#include "winnow-task-dialog.h"
#include "winnow-toast.h"
#include "winnow-ui-util.h"

#define MAX_NAMES_IN_TOAST 3

struct _WinnowWindow {
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkStack *list_stack;
  WinnowTaskTable *table;
  WinnowTaskPage *task_page;
  GtkRevealer *drop_revealer;
  AdwWindowTitle *window_title;

  WinnowApplication *app;
  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTaskList *list;
  GtkFileChooserNative *chooser;
  AdwToast *last_toast;    /* weak: the toast shown last, for tests */
  AdwToast *finished_toast; /* weak: the latest "task finished" toast */
  GHashTable *deletions;   /* id -> Deletion, while their undo is offered */
  gint64 clearing_upto;    /* a clear of the finished tasks, while its undo is offered */
  AdwToast *clear_toast;   /* weak: its toast */
  GHashTable *busy_toasts; /* what -> AdwToast (weak): actions waiting for the history */
  WinnowTaskDialog *task_dialog; /* weak: the configuration dialog open */
};

G_DEFINE_FINAL_TYPE (WinnowWindow, winnow_window, ADW_TYPE_APPLICATION_WINDOW)

void
winnow_window_toast (WinnowWindow *self, AdwToast *toast)
{
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

static WinnowTaskDialog *
watch_dialog (WinnowWindow *self, WinnowTaskDialog *dialog)
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
    watch_dialog (self, winnow_task_dialog_new (self->app, GTK_WINDOW (self), accepted));
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
  watch_dialog (self, winnow_task_dialog_new_rerun (self->app, GTK_WINDOW (self), task));
}

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

/* ---- dropping ---- */

static GdkDragAction
on_drop_enter (GtkDropTarget *target, double x, double y, WinnowWindow *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target, WinnowWindow *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, WinnowWindow *self)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
  for (GSList *l = files; l; l = l->next)
    g_ptr_array_add (list, l->data);
  return winnow_window_add_files (self, list) > 0 || list->len > 0;
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

static void
back_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_window_show_list (WINNOW_WINDOW (widget));
}

static void
update_title (WinnowWindow *self)
{
  gint64 total = winnow_task_list_get_total (self->list);
  guint running = winnow_scheduler_get_n_running (self->scheduler);
  g_autofree char *subtitle = NULL;

  if (total <= 0)
    subtitle = g_strdup ("");
  else if (running > 0)
    subtitle = g_strdup_printf (ngettext ("%u running", "%u running", running), running);
  else
    {
      g_autofree char *count = winnow_ui_format_count (total);
      subtitle = g_strdup_printf (ngettext ("%s task", "%s tasks", (gulong) total), count);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
  /* until the first count arrives (total -1), the list, not the invitation */
  gtk_stack_set_visible_child_name (self->list_stack, total != 0 ? "tasks" : "empty");
}

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

/* ---- deleting, with undo ---- */

/* A deleted task is only hidden while its toast offers to undo; it leaves
 * the store when the toast goes without an undo, or when the window
 * closes. A queued one is cancelled at once, so that no worker starts it
 * meanwhile, and queued again on undo. */
typedef struct {
  gint64 id;
  char *name;
  gboolean undone;
  gboolean applied;
  gboolean was_queued;
  AdwToast *toast;  /* weak */
} Deletion;

static void
delete_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!winnow_history_act_finish (result, NULL, &error) &&
      !g_error_matches (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND))
    winnow_window_toast (self, adw_toast_new_format (_("Could not delete the task: %s"),
                                                     error->message));
  if (self->list != NULL)
    winnow_task_list_refresh (self->list);
}

/* The deletion goes to the history (once). */
static void
apply_deletion (WinnowWindow *self, Deletion *deletion)
{
  g_autofree char *what = NULL;

  if (deletion->undone || deletion->applied)
    return;
  deletion->applied = TRUE;
  /* Translators: said while the history is busy; %s is a file name */
  what = g_strdup_printf (_("deleting “%s”"), deletion->name);
  winnow_history_act (self->scheduler, WINNOW_HISTORY_DELETE, deletion->id, what, delete_done,
                      g_object_ref (self));
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
  apply_deletion (self, deletion);
  winnow_task_table_unhide (self->table, id);
  g_hash_table_remove (self->deletions, &id);
}

static void
requeue_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!winnow_history_act_finish (result, NULL, &error))
    winnow_window_toast (self, adw_toast_new_format (_("Could not queue the task again: %s"),
                                                     error->message));
}

static void
undo_delete_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowWindow *self = WINNOW_WINDOW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  Deletion *deletion = g_hash_table_lookup (self->deletions, &id);

  if (deletion == NULL)
    return;
  deletion->undone = TRUE;
  if (deletion->was_queued)
    {
      /* Translators: said while the history is busy; %s is a file name */
      g_autofree char *what = g_strdup_printf (_("queuing “%s” again"), deletion->name);
      winnow_history_act (self->scheduler, WINNOW_HISTORY_RETRY, id, what, requeue_done,
                          g_object_ref (self));
    }
  if (deletion->toast != NULL)
    winnow_toast_dismiss (self->toast_overlay, deletion->toast);
}

static void
deletion_free (gpointer data)
{
  Deletion *deletion = data;
  g_clear_weak_pointer (&deletion->toast);
  g_free (deletion->name);
  g_free (deletion);
}

static void
cancel_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  winnow_history_act_finish (result, NULL, &error);
  g_clear_object (&data);
}

static void
on_delete_requested (GtkWidget *source, WinnowTask *task, WinnowWindow *self)
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
  deletion->was_queued = winnow_task_get_status (task) == WINNOW_TASK_PENDING;
  if (deletion->was_queued)
    {
      /* Translators: said while the history is busy; %s is a file name */
      g_autofree char *what = g_strdup_printf (_("cancelling “%s”"), deletion->name);
      winnow_history_act (self->scheduler, WINNOW_HISTORY_CANCEL, deletion->id, what,
                          cancel_done, g_object_ref (self));
    }
  key = g_new (gint64, 1);
  *key = deletion->id;
  g_hash_table_insert (self->deletions, key, deletion);
  winnow_task_table_hide (self->table, deletion->id);
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

static void
clear_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!winnow_history_act_finish (result, NULL, &error))
    winnow_window_toast (self, adw_toast_new_format (_("Could not clear the history: %s"),
                                                     error->message));
  if (self->list != NULL)
    winnow_task_list_hide_finished (self->list, 0);
}

static void
apply_clear (WinnowWindow *self)
{
  gint64 upto = self->clearing_upto;

  if (upto <= 0)
    return;
  self->clearing_upto = 0;
  winnow_history_act (self->scheduler, WINNOW_HISTORY_CLEAR_FINISHED, upto,
                      /* Translators: said while the history is busy */
                      _("clearing the finished tasks"), clear_done, g_object_ref (self));
}

static void
on_clear_dismissed (AdwToast *toast, WinnowWindow *self)
{
  if (self->scheduler != NULL)
    apply_clear (self);
}

static void
undo_clear_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowWindow *self = WINNOW_WINDOW (widget);

  self->clearing_upto = 0;
  winnow_task_list_hide_finished (self->list, 0);
  if (self->clear_toast != NULL)
    winnow_toast_dismiss (self->toast_overlay, self->clear_toast);
}

typedef struct {
  gint64 count;
  gint64 last_id;
} Finished;

static gpointer
count_finished (gpointer data, GError **error)
{
  Finished *finished = g_new0 (Finished, 1);

  finished->count = winnow_task_store_count_finished (data, &finished->last_id, error);
  if (finished->count < 0)
    g_clear_pointer (&finished, g_free);
  return finished;
}

static void
finished_counted (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree Finished *finished = winnow_history_call_finish (result, &error);
  g_autofree char *count = NULL;
  AdwToast *toast;

  if (finished == NULL)
    {
      winnow_window_toast (self, adw_toast_new_format (_("Could not clear the history: %s"),
                                                       error->message));
      return;
    }
  if (finished->count == 0)
    {
      winnow_window_toast (self, adw_toast_new (_("No finished tasks to clear")));
      return;
    }
  apply_clear (self);  /* a clear still offered is done first */
  self->clearing_upto = finished->last_id;
  winnow_task_list_hide_finished (self->list, finished->last_id);
  winnow_window_show_list (self);
  count = winnow_ui_format_count (finished->count);
  toast = adw_toast_new_format (ngettext ("%s finished task cleared", "%s finished tasks cleared",
                                          (gulong) finished->count), count);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-clear");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_clear_dismissed), self, 0);
  g_set_weak_pointer (&self->clear_toast, toast);
  winnow_window_toast (self, toast);
}

static void
clear_finished_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowWindow *self = WINNOW_WINDOW (widget);

  winnow_history_call (NULL, count_finished, g_object_ref (self->store), g_object_unref, g_free,
                       NULL, finished_counted, g_object_ref (self));
}

/* Deletions and a clear still offered for undo are done now: the window
 * closes, or the app quits. */
static void
apply_pending (WinnowWindow *self)
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
  apply_pending (WINNOW_WINDOW (window));
  return FALSE;
}

/* ---- tasks ending ---- */

static void
on_open_output (AdwToast *toast, WinnowWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (toast), "output");
  winnow_task_page_open_path (GTK_WIDGET (self), path);
}

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
  g_notification_set_default_action_and_target (notification, "app.show-task", "x",
                                                winnow_task_get_id (task));
  g_application_send_notification (G_APPLICATION (self->app), NULL, notification);
}

static void
on_task_finished (WinnowScheduler *scheduler, WinnowTask *task, WinnowWindow *self)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  g_autofree char *message = NULL;
  AdwToast *toast;

  update_title (self);
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
      g_object_set_data_full (G_OBJECT (toast), "output",
                              g_strdup (winnow_task_get_output_path (task)), g_free);
      g_signal_connect (toast, "button-clicked", G_CALLBACK (on_open_output), self);
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
on_task_started (WinnowScheduler *scheduler, WinnowTask *task, WinnowWindow *self)
{
  update_title (self);
}

/* ---- the object ---- */

static void
winnow_window_dispose (GObject *object)
{
  WinnowWindow *self = WINNOW_WINDOW (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_weak_pointer (&self->last_toast);
  g_clear_weak_pointer (&self->finished_toast);
  g_clear_weak_pointer (&self->task_dialog);
  g_clear_weak_pointer (&self->clear_toast);
  if (self->deletions != NULL)
    apply_pending (self);
  g_clear_pointer (&self->deletions, g_hash_table_unref);
  g_clear_pointer (&self->busy_toasts, g_hash_table_unref);
  if (self->list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->list, self);
      winnow_task_list_close (self->list);
    }
  g_clear_object (&self->chooser);
  g_clear_object (&self->list);
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

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL, clear_finished_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "x", undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-clear", NULL, undo_clear_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
}

static void
winnow_window_init (WinnowWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->deletions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, deletion_free);
  self->busy_toasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);

  /* the whole window takes dropped files */
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

static void
on_total_changed (WinnowTaskList *list, GParamSpec *pspec, WinnowWindow *self)
{
  update_title (self);
}

static void
say_store_problem (WinnowWindow *self)
{
  const char *problem = winnow_application_get_store_problem (self->app);
  AdwToast *toast;

  if (problem == NULL)
    return;
  toast = adw_toast_new (problem);
  adw_toast_set_timeout (toast, 0);
  winnow_window_toast (self, toast);
}

static void
on_store_problem (WinnowApplication *app, GParamSpec *pspec, WinnowWindow *self)
{
  say_store_problem (self);
}

/**
 * winnow_window_new:
 * Returns: (transfer none): the window, owned by @app
 */
WinnowWindow *
winnow_window_new (WinnowApplication *app)
{
  WinnowWindow *self = g_object_new (WINNOW_TYPE_WINDOW, "application", app, NULL);

  self->app = app;
  self->store = g_object_ref (winnow_application_get_store (app));
  self->scheduler = g_object_ref (winnow_application_get_scheduler (app));
  self->list = winnow_task_list_new (self->store, self->scheduler);
  winnow_task_table_set_list (self->table, self->list);
  winnow_task_page_set_engine (self->task_page, self->store, self->scheduler);

  g_signal_connect (self->list, "notify::total", G_CALLBACK (on_total_changed), self);
  g_signal_connect (self->table, "task-activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect (self->table, "delete-requested", G_CALLBACK (on_delete_requested), self);
  g_signal_connect (self->task_page, "delete-requested", G_CALLBACK (on_delete_requested), self);
  g_signal_connect (self->task_page, "rerun-requested", G_CALLBACK (on_rerun_requested), self);
  g_signal_connect (self->scheduler, "task-started", G_CALLBACK (on_task_started), self);
  g_signal_connect (self->scheduler, "task-finished", G_CALLBACK (on_task_finished), self);
  update_title (self);

  GSettings *settings = winnow_application_get_settings (app);
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (app, "notify::store-problem", G_CALLBACK (on_store_problem), self, 0);
  say_store_problem (self);
  return self;
}
