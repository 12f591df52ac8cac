/* winnow-task-page.c: see winnow-task-page.h. */
#include "config.h"

#include "winnow-task-page.h"

#include <glib/gi18n.h>

#include "winnow-export-dialog.h"
#include "winnow-history-call.h"
#include "winnow-output-file.h"
#include "winnow-recipe.h"
#include "winnow-rejects.h"
#include "winnow-result-record.h"
#include "winnow-ui-util.h"

struct _WinnowTaskPage {
  GtkWidget parent_instance;

  AdwWindowTitle *title;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkLabel *error_label;
  GtkBox *actions;
  AdwPreferencesGroup *recipe_group;
  AdwPreferencesGroup *results_group;
  AdwPreferencesGroup *warnings_group;
  GtkWidget *profile_box;
  GtkColumnView *profile_view;
  GtkWidget *preview_box;
  GtkLabel *preview_heading;
  GtkColumnView *preview_view;
  GtkWidget *preview_switcher;
  GtkStack *preview_stack;
  GtkLabel *rejected_heading;
  GtkWidget *rejected_table;
  GtkColumnView *rejected_view;

  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTask *task;
  gint64 wanted;            /* the task asked for, while it is read */
  GCancellable *cancellable; /* the read under way */
  GPtrArray *rows;          /* the rows added to the groups, to remove on reload */
  char *rejects_path;       /* the task's rejected rows, if its recipe keeps them */
  gunichar rejects_delimiter;
  GCancellable *rejects_cancellable;  /* the preview being read; its identity
                                       * says which reading is current */
};

G_DEFINE_FINAL_TYPE (WinnowTaskPage, winnow_task_page, GTK_TYPE_WIDGET)

enum {
  DELETE_REQUESTED,
  RERUN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- tables of strings ---- */

static void
setup_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_list_item_set_child (item, label);
}

static void
bind_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkStringList *row = gtk_list_item_get_item (item);
  const char *text = gtk_string_list_get_string (row, GPOINTER_TO_UINT (data));
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

/* Replaces the columns and rows of @view: one column per header, one
 * GtkStringList per row. */
static void
fill_table (GtkColumnView *view, const char * const *headers, guint n_columns, GListStore *rows)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkNoSelection) model = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (rows)));

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (view, column);
    }
  for (guint c = 0; c < n_columns; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_text), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_text), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (headers[c], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* the last column takes what is left, so the rows reach across the card */
      gtk_column_view_column_set_expand (column, c + 1 == n_columns);
      gtk_column_view_append_column (view, column);
    }
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (model));
}

/* ---- filling the page ---- */

static void
clear_rows (WinnowTaskPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      AdwPreferencesGroup *group = g_object_get_data (G_OBJECT (row), "group");
      adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (WinnowTaskPage *self, AdwPreferencesGroup *group, const char *title, const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      /* long values (a path, a warning) wrap; a short one keeps its line:
       * the row gives a wrapping suffix only its narrowest width */
      gtk_label_set_wrap (GTK_LABEL (label), g_utf8_strlen (value, -1) > 40);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

static void
add_count (WinnowTaskPage *self, const char *title, gint64 value)
{
  g_autofree char *text = winnow_ui_format_count (value);
  add_row (self, self->results_group, title, text);
}

static void
add_path_row (WinnowTaskPage *self, const char *title, const char *path)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
  g_object_set_data (G_OBJECT (row), "group", self->recipe_group);
  adw_preferences_group_add (self->recipe_group, row);
  g_ptr_array_add (self->rows, row);
}

static void
fill_recipe (WinnowTaskPage *self)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (self->task), -1, NULL);
  g_autoptr(GPtrArray) lines = NULL;

  g_clear_pointer (&self->rejects_path, g_free);
  if (recipe == NULL)
    return;
  lines = winnow_step_describe_recipe (recipe);
  for (guint i = 0; i < lines->len; i++)
    add_row (self, self->recipe_group, g_ptr_array_index (lines, i), NULL);
  add_path_row (self, _("Output file"), winnow_task_get_output_path (self->task));
  if (recipe->rejects)
    {
      self->rejects_path = winnow_output_file_rejects_path (winnow_task_get_output_path (self->task));
      self->rejects_delimiter = recipe->out_delimiter;  /* 0: the input's, once the result says */
      add_path_row (self, _("Rejected rows"), self->rejects_path);
    }
}

/* ---- the rejected rows ---- */

typedef struct {
  char *path;
  gunichar delimiter;
  GPtrArray *header;
  GPtrArray *rows;
} RejectsPreview;

static void
rejects_preview_free (RejectsPreview *preview)
{
  g_free (preview->path);
  g_clear_pointer (&preview->header, g_ptr_array_unref);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview);
}

/* On a worker thread: the main thread never reads a file. */
static void
read_rejects (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RejectsPreview *preview = data;
  GError *error = NULL;

  if (winnow_rejects_read_preview (preview->path, preview->delimiter, WINNOW_PREVIEW_ROWS,
                                   &preview->header, &preview->rows, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_rejects_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskPage) self = g_weak_ref_get (data);
  RejectsPreview *preview = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) rows = NULL;
  g_autofree char *heading = NULL;
  WinnowTaskResult *record;
  g_autoptr(WinnowResult) counts = NULL;

  g_weak_ref_clear (data);
  g_free (data);
  /* a page that is gone, or shows another reading by now */
  if (self == NULL || g_task_get_cancellable (G_TASK (result)) != self->rejects_cancellable)
    return;
  g_clear_object (&self->rejects_cancellable);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Translators: %s says why, such as "no such file" */
      heading = g_strdup_printf (_("The rejected rows cannot be read: %s"), error->message);
      gtk_label_set_text (self->rejected_heading, heading);
      gtk_widget_set_visible (self->rejected_table, FALSE);
      return;
    }

  rows = g_list_store_new (GTK_TYPE_STRING_LIST);
  for (guint i = 0; i < preview->rows->len; i++)
    {
      g_autoptr(GtkStringList) row =
        gtk_string_list_new ((const char * const *) g_ptr_array_index (preview->rows, i));
      g_list_store_append (rows, row);
    }
  fill_table (self->rejected_view, (const char * const *) preview->header->pdata,
              preview->header->len, rows);
  gtk_widget_set_visible (self->rejected_table, preview->rows->len > 0);

  record = winnow_task_get_result (self->task);
  counts = record != NULL ? winnow_result_from_record (record) : NULL;
  if (preview->rows->len == 0)
    heading = g_strdup (_("No rows were rejected"));
  else
    {
      guint64 total = counts != NULL ? winnow_result_get_rows_rejected (counts) : preview->rows->len;
      g_autofree char *all = winnow_ui_format_count ((gint64) total);

      if (total <= preview->rows->len)
        /* Translators: %s is a count of rows, all shown */
        heading = g_strdup_printf (ngettext ("%s rejected row", "%s rejected rows", (gulong) total),
                                   all);
      else
        /* Translators: a count of rows shown, then the count of all of them */
        heading = g_strdup_printf (ngettext ("Rejected rows: the first %u of %s",
                                             "Rejected rows: the first %u of %s",
                                             preview->rows->len), preview->rows->len, all);
    }
  gtk_label_set_text (self->rejected_heading, heading);
}

/* Shows the Rejected tab for a completed task whose recipe keeps its
 * rejected rows, and reads their first rows off the main thread. */
static void
fill_rejects (WinnowTaskPage *self, gboolean completed)
{
  g_autoptr(GTask) task = NULL;
  RejectsPreview *preview;
  GWeakRef *ref;

  if (self->rejects_cancellable != NULL)
    {
      g_cancellable_cancel (self->rejects_cancellable);
      g_clear_object (&self->rejects_cancellable);
    }
  gtk_widget_set_visible (self->preview_switcher, self->rejects_path != NULL && completed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.open-rejects",
                                 self->rejects_path != NULL && completed);
  if (self->rejects_path == NULL || !completed)
    {
      gtk_stack_set_visible_child_name (self->preview_stack, "cleaned");
      return;
    }

  gtk_label_set_text (self->rejected_heading, _("Reading the rejected rows…"));
  self->rejects_cancellable = g_cancellable_new ();
  preview = g_new0 (RejectsPreview, 1);
  preview->path = g_strdup (self->rejects_path);
  preview->delimiter = self->rejects_delimiter;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, self->rejects_cancellable, on_rejects_read, ref);
  g_task_set_task_data (task, preview, (GDestroyNotify) rejects_preview_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, read_rejects);
}

static void
fill_profile (WinnowTaskPage *self, WinnowResult *result)
{
  static const char *headers[] = { N_("Column"), N_("Type"), N_("Missing before"),
                                   N_("Missing after"), N_("Filled"), N_("Distinct"),
                                   N_("Min"), N_("Max"), N_("Mean"), N_("Most frequent") };
  const char *translated[G_N_ELEMENTS (headers)];
  g_autoptr(GListStore) rows = g_list_store_new (GTK_TYPE_STRING_LIST);

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    translated[i] = _(headers[i]);
  for (guint i = 0; i < result->columns->len; i++)
    {
      const WinnowColumnProfile *p = g_ptr_array_index (result->columns, i);
      g_autofree char *before = winnow_ui_format_count ((gint64) p->missing_before);
      g_autofree char *after = winnow_ui_format_count ((gint64) p->missing_after);
      g_autofree char *filled = winnow_ui_format_count ((gint64) p->cells[WINNOW_STEP_FILL]);
      g_autofree char *count = winnow_ui_format_count ((gint64) p->distinct);
      g_autofree char *distinct = p->distinct_exact ? g_strdup (count) : g_strdup_printf ("≈ %s", count);
      g_autofree char *min = p->has_numbers ? g_strdup_printf ("%g", p->min) : g_strdup ("");
      g_autofree char *max = p->has_numbers ? g_strdup_printf ("%g", p->max) : g_strdup ("");
      g_autofree char *mean = p->has_numbers ? g_strdup_printf ("%.4g", p->mean) : g_strdup ("");
      g_autoptr(GString) top = g_string_new (NULL);
      g_autoptr(GtkStringList) row = NULL;

      for (guint k = 0; k < p->top_values->len && k < 3; k++)
        {
          const WinnowTopValue *v = g_ptr_array_index (p->top_values, k);
          g_string_append_printf (top, "%s%s (%" G_GUINT64_FORMAT ")", k ? ", " : "", v->value, v->count);
        }
      {
        const char *cells[] = { p->name, winnow_ui_column_type_label (p->type), before, after,
                                filled, distinct, min, max, mean, top->str, NULL };
        row = gtk_string_list_new (cells);
      }
      g_list_store_append (rows, row);
    }
  fill_table (self->profile_view, translated, G_N_ELEMENTS (headers), rows);
}

static void
fill_preview (WinnowTaskPage *self, WinnowResult *result)
{
  g_autoptr(GListStore) rows = g_list_store_new (GTK_TYPE_STRING_LIST);
  g_autofree char *heading = NULL;

  for (guint i = 0; i < result->preview->len; i++)
    {
      g_autoptr(GtkStringList) row = gtk_string_list_new ((const char * const *) g_ptr_array_index (result->preview, i));
      g_list_store_append (rows, row);
    }
  fill_table (self->preview_view, (const char * const *) result->preview_header->pdata,
              result->preview_header->len, rows);
  heading = g_strdup_printf (ngettext ("Preview: the first %u row", "Preview: the first %u rows",
                                       result->preview->len), result->preview->len);
  gtk_label_set_text (self->preview_heading, heading);
}

static void
fill_results (WinnowTaskPage *self)
{
  WinnowTaskResult *record = winnow_task_get_result (self->task);
  g_autoptr(WinnowResult) result = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (self->task), -1, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->results_group), record != NULL);
  gtk_widget_set_visible (self->profile_box, record != NULL);
  gtk_widget_set_visible (self->preview_box, record != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), FALSE);
  if (record == NULL)
    return;
  result = winnow_result_from_record (record);
  if (recipe != NULL && recipe->rejects)
    self->rejects_delimiter = winnow_recipe_output_delimiter (recipe, result->delimiter);

  add_count (self, _("Rows read"), (gint64) result->rows_read);
  add_count (self, _("Rows written"), (gint64) result->rows_written);
  /* the count of each step that was on or changed something */
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    {
      const WinnowStep *step = winnow_step_get (i);
      if (step->count_label != NULL && (result->counts[i] > 0 || (recipe && step->is_on (recipe))))
        add_count (self, _(step->count_label), (gint64) result->counts[i]);
    }
  if (result->bad_lines_skipped > 0)
    add_count (self, _("Bad lines skipped"), (gint64) result->bad_lines_skipped);
  {
    g_autofree char *in = g_format_size (result->bytes_in);
    g_autofree char *out = g_format_size (result->bytes_out);
    g_autofree char *size = g_strdup_printf ("%s → %s", in, out);
    g_autofree char *time = winnow_ui_format_duration (result->elapsed);
    const char *delimiter = result->delimiter == '\t' ? _("tab") : NULL;
    char single[8] = { 0 };

    g_unichar_to_utf8 (result->delimiter, single);
    add_row (self, self->results_group, _("Size"), size);
    add_row (self, self->results_group, _("Time"), time);
    add_row (self, self->results_group, _("Encoding"), result->encoding);
    add_row (self, self->results_group, _("Delimiter"), delimiter ? delimiter : single);
  }
  for (guint i = 0; i < result->warnings->len; i++)
    add_row (self, self->warnings_group, g_ptr_array_index (result->warnings, i), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), result->warnings->len > 0);

  fill_profile (self, result);
  fill_preview (self, result);
}

static void
update_status (WinnowTaskPage *self)
{
  WinnowTaskStatus status = winnow_task_get_status (self->task);
  const char *error = winnow_task_get_error (self->task);
  gboolean active = status == WINNOW_TASK_PENDING || status == WINNOW_TASK_PROCESSING;

  adw_window_title_set_title (self->title, winnow_task_get_file_name (self->task));
  adw_window_title_set_subtitle (self->title, winnow_task_get_input_path (self->task));
  gtk_image_set_from_icon_name (self->status_icon, winnow_ui_status_icon (status));
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), winnow_ui_status_css_class ((WinnowTaskStatus) s));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), winnow_ui_status_css_class (status));
  gtk_label_set_text (self->status_label, winnow_ui_status_label (status));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), active);
  gtk_progress_bar_set_fraction (self->progress_bar, winnow_task_get_progress (self->task));
  gtk_label_set_text (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.open", status == WINNOW_TASK_COMPLETED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.show-folder", status == WINNOW_TASK_COMPLETED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.retry",
                                 status == WINNOW_TASK_FAILED || status == WINNOW_TASK_CANCELLED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.cancel", active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.rerun", !active);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.delete", status != WINNOW_TASK_PROCESSING);
}

static void
show (WinnowTaskPage *self, WinnowTask *task)
{
  g_clear_object (&self->task);
  self->task = task;
  clear_rows (self);
  fill_recipe (self);
  fill_results (self);
  fill_rejects (self, winnow_task_get_status (task) == WINNOW_TASK_COMPLETED &&
                      winnow_task_get_result (task) != NULL);
  update_status (self);
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

/* Reads the task again (with its result), off the thread that draws, and
 * shows it when it arrives; the page shows what it had meanwhile. */
static const char * const task_actions[] = {
  "task.open", "task.show-folder", "task.retry", "task.rerun", "task.cancel", "task.delete",
};

static void
reload (WinnowTaskPage *self, gint64 id)
{
  /* another task: nothing to act on until it is read */
  if (self->task == NULL || winnow_task_get_id (self->task) != id)
    for (guint i = 0; i < G_N_ELEMENTS (task_actions); i++)
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
  reload (self, id);
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
    reload (self, winnow_task_get_id (task));
}

static void
on_task_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
                  gint phase, WinnowTaskPage *self)
{
  if (!is_shown (self, task))
    return;
  if (winnow_task_get_status (self->task) != WINNOW_TASK_PROCESSING)
    {
      winnow_task_set_status (self->task, WINNOW_TASK_PROCESSING);
      update_status (self);
    }
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

void
winnow_task_page_set_engine (WinnowTaskPage *self, WinnowTaskStore *store, WinnowScheduler *scheduler)
{
  g_set_object (&self->store, store);
  g_set_object (&self->scheduler, scheduler);
  g_signal_connect (scheduler, "task-started", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_task_progress), self);
}

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
    reload (self, winnow_task_get_id (self->task));
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
  g_signal_emit (self, signals[RERUN_REQUESTED], 0, self->task);
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
  g_signal_emit (self, signals[DELETE_REQUESTED], 0, self->task);
}

/* ---- the object ---- */

/* For tests: a widget of the page by its id in the template. */
GtkWidget *
winnow_task_page_get_child (WinnowTaskPage *self, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), WINNOW_TYPE_TASK_PAGE, name));
}

static void
winnow_task_page_dispose (GObject *object)
{
  WinnowTaskPage *self = WINNOW_TASK_PAGE (object);
  GtkWidget *child;

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->rejects_cancellable != NULL)
    g_cancellable_cancel (self->rejects_cancellable);
  g_clear_object (&self->rejects_cancellable);
  g_clear_pointer (&self->rejects_path, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_TASK_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->task);
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
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, title);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, status_icon);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, actions);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, recipe_group);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, profile_box);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, profile_view);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, preview_box);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, preview_heading);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, preview_view);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, preview_switcher);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, rejected_heading);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, rejected_table);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskPage, rejected_view);

  gtk_widget_class_install_action (widget_class, "task.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "task.open-rejects", NULL, open_rejects_activated);
  gtk_widget_class_install_action (widget_class, "task.show-folder", NULL, show_folder_activated);
  gtk_widget_class_install_action (widget_class, "task.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "task.rerun", NULL, rerun_activated);
  gtk_widget_class_install_action (widget_class, "task.export-code", NULL, export_code_activated);
  gtk_widget_class_install_action (widget_class, "task.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "task.delete", NULL, delete_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "task.delete", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
winnow_task_page_init (WinnowTaskPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}
