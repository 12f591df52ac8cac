/* winnow-task-page.c: the task page itself: which task it shows, read
 * off the main thread, its status and progress as the scheduler reports
 * them, and which of its actions apply. What it shows of the task and
 * what can be done with it are rooms of their own
 * (winnow-task-page-private.h). */
#include "config.h"

#include "winnow-task-page.h"
#include "winnow-task-page-private.h"

#include <glib/gi18n.h>

#include "winnow-history-call.h"
#include "winnow-ui-util.h"

G_DEFINE_FINAL_TYPE (WinnowTaskPage, winnow_task_page, GTK_TYPE_WIDGET)

enum {
  DELETE_REQUESTED,
  RERUN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "42 %", and under it the rows read, the rate and the time left. */
static void
update_progress (WinnowTaskPage *self)
{
  WinnowTaskStatus status = winnow_task_get_status (self->task);
  gboolean active = status == WINNOW_TASK_PENDING || status == WINNOW_TASK_PROCESSING;
  g_autofree char *details = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), active);
  gtk_progress_bar_set_fraction (self->progress_bar, winnow_task_get_progress (self->task));
  if (status == WINNOW_TASK_PROCESSING && self->meter != NULL)
    details = winnow_task_meter_describe (self->meter, self->task);
  else if (status == WINNOW_TASK_PROCESSING)
    details = g_strdup (_("Running in another window or batch run"));
  else if (status == WINNOW_TASK_PENDING)
    details = g_strdup (_("Waiting for a free job"));
  else if (status == WINNOW_TASK_COMPLETED)
    details = winnow_task_meter_describe_finished (self->task);
  if (details == NULL && status == WINNOW_TASK_PROCESSING)
    details = g_strdup (_("Starting…"));
  gtk_label_set_text (self->progress_label, details != NULL ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), details != NULL);
}

/* What applies to the task as it is, shown; what does not, hidden. */
void
_winnow_task_page_update_status (WinnowTaskPage *self)
{
  WinnowTaskStatus status = winnow_task_get_status (self->task);
  const char *error = winnow_task_get_error (self->task);
  gboolean active = status == WINNOW_TASK_PENDING || status == WINNOW_TASK_PROCESSING;
  gboolean completed = status == WINNOW_TASK_COMPLETED;
  gboolean retry = (status == WINNOW_TASK_CANCELLED) ||
                   (status == WINNOW_TASK_FAILED && self->can_retry == 1);

  adw_window_title_set_title (self->title, winnow_task_get_file_name (self->task));
  {
    g_autofree char *input = winnow_ui_display_path (winnow_task_get_input_path (self->task));
    adw_window_title_set_subtitle (self->title, input);
  }
  winnow_ui_set_status_icon (self->status_icon, status);
  gtk_label_set_text (self->status_label, winnow_ui_status_label (status));
  update_progress (self);
  gtk_label_set_text (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_note),
                          status == WINNOW_TASK_FAILED && self->can_retry == 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.open", completed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.show-folder", completed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.copy-path", completed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.retry", retry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.cancel", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.rerun", !active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.delete", status != WINNOW_TASK_PROCESSING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.export-code", TRUE);

  /* the next thing to do, as buttons; the rest is in the Task menu */
  gtk_widget_set_visible (self->open_button, completed);
  gtk_widget_set_visible (self->folder_button, completed);
  gtk_widget_set_visible (self->retry_button, retry);
  gtk_widget_set_visible (self->rerun_button, !active && !completed);
  gtk_widget_set_visible (self->cancel_button, active);
  gtk_widget_set_visible (self->delete_button, status != WINNOW_TASK_PROCESSING);
}

static void
show (WinnowTaskPage *self, WinnowTask *task)
{
  gboolean same = self->task != NULL && winnow_task_get_id (self->task) == winnow_task_get_id (task);

  g_clear_object (&self->task);
  self->task = task;
  if (!same || winnow_task_get_status (task) != WINNOW_TASK_FAILED)
    self->can_retry = -1;
  _winnow_task_page_clear_rows (self);
  _winnow_task_page_fill_recipe (self);
  _winnow_task_page_fill_results (self);
  _winnow_task_page_fill_rejects (self, winnow_task_get_status (task) == WINNOW_TASK_COMPLETED &&
                                        winnow_task_get_result (task) != NULL);
  _winnow_task_page_update_status (self);
  if (winnow_task_get_status (task) == WINNOW_TASK_FAILED)
    _winnow_task_page_check_retry (self);
}

static void
task_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  WinnowTask *task = winnow_history_get_task_finish (result, &error);
  WinnowTaskPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = WINNOW_TASK_PAGE (data);
  if (task == NULL)
    g_warning ("could not read task %" G_GINT64_FORMAT ": %s", self->wanted, error->message);
  else if (winnow_task_get_id (task) == self->wanted)
    show (self, task);
  else
    g_object_unref (task);
}

static const char * const task_actions[] = {
  "task.open", "task.show-folder", "task.copy-path", "task.retry", "task.rerun", "task.cancel",
  "task.delete", "task.open-rejects", "task.export-code",
};

/* Reads the task again (with its result), off the thread that draws, and
 * shows it when it arrives; the page shows what it had meanwhile. */
void
_winnow_task_page_reload (WinnowTaskPage *self, gint64 id)
{
  gboolean another = self->task == NULL || winnow_task_get_id (self->task) != id;

  /* another task: nothing to act on until it is read */
  for (guint i = 0; another && i < G_N_ELEMENTS (task_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), task_actions[i], FALSE);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->wanted = id;
  winnow_history_get_task (self->store, id, self->cancellable, task_read, self);
}

void
winnow_task_page_show (WinnowTaskPage *self, gint64 id)
{
  g_return_if_fail (WINNOW_IS_TASK_PAGE (self));
  _winnow_task_page_reload (self, id);
  /* a new task starts at its top */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/* Whether the page shows the task it was last asked for. */
gboolean
winnow_task_page_is_ready (WinnowTaskPage *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_PAGE (self), FALSE);
  return self->task != NULL && winnow_task_get_id (self->task) == self->wanted;
}

WinnowTask *
winnow_task_page_get_task (WinnowTaskPage *self)
{
  return self->task;
}

/* ---- following the scheduler ---- */

static gboolean
is_shown (WinnowTaskPage *self, WinnowTask *task)
{
  return self->task != NULL && winnow_task_get_id (self->task) == winnow_task_get_id (task);
}

static void
on_task_changed (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskPage *self)
{
  if (is_shown (self, task))
    _winnow_task_page_reload (self, winnow_task_get_id (task));
}

/* At most ten times a second (the scheduler coalesces). */
static void
on_task_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
                  gint phase, WinnowTaskPage *self)
{
  if (!is_shown (self, task))
    return;
  winnow_task_set_progress (self->task, fraction);
  if (winnow_task_get_status (self->task) != WINNOW_TASK_PROCESSING)
    {
      winnow_task_set_status (self->task, WINNOW_TASK_PROCESSING);
      _winnow_task_page_update_status (self);
    }
  else
    update_progress (self);
}

/**
 * winnow_task_page_set_engine:
 * @meter: (nullable): how far this window's running tasks are
 */
void
winnow_task_page_set_engine (WinnowTaskPage *self, WinnowTaskStore *store,
                             WinnowScheduler *scheduler, WinnowTaskMeter *meter)
{
  g_return_if_fail (WINNOW_IS_TASK_PAGE (self));
  g_return_if_fail (WINNOW_IS_SCHEDULER (scheduler));

  g_set_object (&self->store, store);
  g_set_object (&self->scheduler, scheduler);
  g_set_object (&self->meter, meter);
  g_signal_connect (scheduler, "task-started", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_task_progress), self);
}

/* ---- the object ---- */

/* For tests: a widget of the page by its id in the template. */
GtkWidget *
winnow_task_page_get_child (WinnowTaskPage *self, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), WINNOW_TYPE_TASK_PAGE, name));
}

static void
cancel (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

static void
winnow_task_page_dispose (GObject *object)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (object);
  GtkWidget *child;

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  cancel (&self->cancellable);
  cancel (&self->rejects_cancellable);
  cancel (&self->retry_cancellable);
  _winnow_task_page_stop_columns (self);
  g_clear_pointer (&self->rejects_path, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_TASK_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->task);
  g_clear_object (&self->meter);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (winnow_task_page_parent_class)->dispose (object);
}

static void
winnow_task_page_class_init (WinnowTaskPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = winnow_task_page_dispose;

  /**
   * WinnowTaskPage::delete-requested:
   * @task: the task shown
   */
  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);

  /**
   * WinnowTaskPage::rerun-requested:
   * @task: the task shown
   *
   * The user wants to edit the task's recipe and run it again.
   */
  signals[RERUN_REQUESTED] =
    g_signal_new ("rerun-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/winnow/Winnow/winnow-task-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, name)
  BIND (title);
  BIND (delete_button);
  BIND (menu_button);
  BIND (scroller);
  BIND (status_icon);
  BIND (status_label);
  BIND (progress_bar);
  BIND (progress_label);
  BIND (error_label);
  BIND (retry_note);
  BIND (actions);
  BIND (open_button);
  BIND (folder_button);
  BIND (retry_button);
  BIND (rerun_button);
  BIND (cancel_button);
  BIND (recipe_group);
  BIND (results_group);
  BIND (warnings_group);
  BIND (columns_group);
  BIND (preview_box);
  BIND (preview_heading);
  BIND (preview_table);
  BIND (preview_view);
  BIND (preview_switcher);
  BIND (preview_stack);
  BIND (rejected_heading);
  BIND (rejected_table);
  BIND (rejected_view);
#undef BIND

  _winnow_task_page_class_init_actions (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
winnow_task_page_init (WinnowTaskPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->can_retry = -1;
  _winnow_task_page_init_results (self);
}
