/* winnow-task-page-results.c: what the task page shows of a task: its
 * recipe in sentences, its results, its columns, a preview of the
 * cleaned rows and (read off the main thread) of the rejected ones. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "winnow-column-chart.h"
#include "winnow-output-file.h"
#include "winnow-recipe.h"
#include "winnow-rejects.h"
#include "winnow-result-record.h"
#include "winnow-task-page-private.h"
#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

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
  g_autofree char *text = winnow_ui_shorten (gtk_string_list_get_string (row, GPOINTER_TO_UINT (data)),
                                             WINNOW_UI_CELL_CHARS);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), text);
  winnow_ui_name_cell (label, text);
  if (GPOINTER_TO_UINT (data) == 0)
    {
      /* the row (the cell's parent) says which it is */
      GtkWidget *cell = gtk_widget_get_parent (label);
      GtkWidget *line = cell != NULL ? gtk_widget_get_parent (cell) : NULL;
      /* Translators: a row of a preview, "Row 3" */
      g_autofree char *name = g_strdup_printf (_("Row %u"), gtk_list_item_get_position (item) + 1);

      if (line != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (line), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

/* A table on the page shows at most this many cells, and columns (the
 * preview's 100, or the rejected rows' line, reason and detail and as
 * many): each cell is a few widgets to make, style and lay out on the
 * main thread (docs/ARCHITECTURE.md, the task page). */
#define TABLE_CELLS 500
#define TABLE_COLUMNS (WINNOW_PREVIEW_COLUMNS + 3)

/* Replaces the columns and rows of @view with the first TABLE_COLUMNS of
 * @headers (of char *) and as many of @rows (of GStrv, as wide) as fit
 * in TABLE_CELLS cells, at least one; returns how many rows it shows. */
static guint
fill_table (GtkColumnView *view, GPtrArray *headers, GPtrArray *rows)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  guint n_columns = MIN (headers->len, TABLE_COLUMNS);
  guint n_rows = MIN (rows->len, MAX (1, TABLE_CELLS / MAX (n_columns, 1)));
  g_autoptr(GListStore) shown = g_list_store_new (GTK_TYPE_STRING_LIST);
  g_autoptr(GtkNoSelection) model = NULL;

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GtkStringList) row = gtk_string_list_new (g_ptr_array_index (rows, i));
      g_list_store_append (shown, row);
    }
  model = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (shown)));
  /* without rows while its columns change: each column removed or added
   * would otherwise destroy or make a cell in every row shown */
  gtk_column_view_set_model (view, NULL);
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
      g_autofree char *title = winnow_ui_shorten (g_ptr_array_index (headers, c),
                                                  WINNOW_UI_NAME_CHARS);

      column = gtk_column_view_column_new (title, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* the last column takes what is left, so the rows reach across the card */
      gtk_column_view_column_set_expand (column, c + 1 == n_columns);
      gtk_column_view_append_column (view, column);
    }
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (model));
  return n_rows;
}

/* ---- filling the page ---- */

void
_winnow_task_page_clear_rows (WinnowTaskPage *self)
{
  _winnow_task_page_stop_columns (self);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      AdwPreferencesGroup *group = g_object_get_data (G_OBJECT (row), "group");
      adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

/* A row titled @title, with @value (if any) at its end. */
static GtkWidget *
value_row (const char *title, const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      /* long values (a path, a warning, a column's most frequent values)
       * wrap; a short one keeps its line: the row gives a wrapping suffix
       * only its narrowest width ("0 to 999" took three lines) */
      gtk_label_set_wrap (GTK_LABEL (label), g_utf8_strlen (value, -1) > 40);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  return row;
}

/* @row joins @group, among the rows the page removes on reload. */
static GtkWidget *
keep_row (WinnowTaskPage *self, AdwPreferencesGroup *group, GtkWidget *row)
{
  g_object_set_data (G_OBJECT (row), "group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static GtkWidget *
add_row (WinnowTaskPage *self, AdwPreferencesGroup *group, const char *title, const char *value)
{
  return keep_row (self, group, value_row (title, value));
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
  g_autofree char *shown = winnow_ui_display_path (path);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
  g_object_set_data (G_OBJECT (row), "group", self->recipe_group);
  adw_preferences_group_add (self->recipe_group, row);
  g_ptr_array_add (self->rows, row);
}

/* A row that says something is wrong: @title, then @text. */
static void
add_trouble_row (WinnowTaskPage *self, AdwPreferencesGroup *group, const char *title,
                 const char *text)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Warning"), -1);
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (text != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  keep_row (self, group, row);
}

void
_winnow_task_page_fill_recipe (WinnowTaskPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (self->task),
                                                                -1, &error);
  g_autoptr(GPtrArray) lines = NULL;

  g_clear_pointer (&self->rejects_path, g_free);
  if (recipe == NULL)
    {
      /* a history damaged or written by another program: such a task
       * fails saying so when it runs, and its page says so too, rather
       * than show no recipe without a word (docs/ARCHITECTURE.md) */
      add_trouble_row (self, self->recipe_group,
                       _("The recipe kept with this task cannot be read"),
                       error != NULL ? error->message : NULL);
      add_path_row (self, _("Output file"), winnow_task_get_output_path (self->task));
      return;
    }
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
  g_autofree char *heading = NULL;
  WinnowTaskResult *record;
  g_autoptr(WinnowResult) counts = NULL;
  gboolean damaged;
  guint64 total;
  guint n_rows;

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

  n_rows = fill_table (self->rejected_view, preview->header, preview->rows);
  gtk_widget_set_visible (self->rejected_table, preview->rows->len > 0);

  record = winnow_task_get_result (self->task);
  damaged = record != NULL && winnow_result_record_is_damaged (record);
  counts = record != NULL && !damaged ? winnow_result_from_record (record) : NULL;
  total = counts != NULL ? winnow_result_get_rows_rejected (counts) : preview->rows->len;
  if (preview->rows->len == 0)
    heading = g_strdup (_("No rows were rejected"));
  else if (damaged)
    /* Translators: a count of rows shown, of a total not known (the task
     * history holds it damaged) */
    heading = g_strdup_printf (ngettext ("Rejected rows: the first %u",
                                         "Rejected rows: the first %u", n_rows), n_rows);
  else
    {
      g_autofree char *all = winnow_ui_format_count ((gint64) total);

      if (total <= n_rows)
        /* Translators: %s is a count of rows, all shown */
        heading = g_strdup_printf (ngettext ("%s rejected row", "%s rejected rows", (gulong) total),
                                   all);
      else
        /* Translators: a count of rows shown, then the count of all of them */
        heading = g_strdup_printf (ngettext ("Rejected rows: the first %u of %s",
                                             "Rejected rows: the first %u of %s",
                                             n_rows), n_rows, all);
    }
  gtk_label_set_text (self->rejected_heading, heading);
}

/* Shows the Rejected tab for a completed task whose recipe keeps its
 * rejected rows, and reads their first rows off the main thread. */
void
_winnow_task_page_fill_rejects (WinnowTaskPage *self, gboolean completed)
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

/* The page shows this many columns, the first ones; a file of 100,000
 * columns says how many more there are. */
#define MAX_COLUMNS_SHOWN 100
/* A file of more than COLUMNS_FOLD columns shows its first COLUMNS_FIRST,
 * and a row that shows the others when activated: the preview below them
 * stays a short scroll away, and does not move down as they come. */
#define COLUMNS_FOLD 16
#define COLUMNS_FIRST 12
/* columns' rows made in a turn: about 1.5 ms each here, so about 10 ms a
 * turn, and a file of up to 6 columns has them all at once */
#define COLUMNS_STEP 6

/* A column's details, (title, value) pairs, become rows of its expander
 * when it is first opened: a page of 100 columns made some 700 rows of
 * details at once, unseen (docs/ARCHITECTURE.md, the task page). */
static void
add_detail_rows (AdwExpanderRow *expander, GPtrArray *details)
{
  for (guint i = 0; i + 1 < details->len; i += 2)
    adw_expander_row_add_row (expander, value_row (g_ptr_array_index (details, i),
                                                   g_ptr_array_index (details, i + 1)));
}

static void
on_column_expanded (AdwExpanderRow *expander, GParamSpec *pspec, gpointer data)
{
  GPtrArray *details;

  if (!adw_expander_row_get_expanded (expander))
    return;
  g_signal_handlers_disconnect_by_func (expander, on_column_expanded, data);
  details = g_object_steal_data (G_OBJECT (expander), "details");
  add_detail_rows (expander, details);
  g_ptr_array_unref (details);
}

static void
add_detail (GPtrArray *details, const char *title, const char *value)
{
  g_ptr_array_add (details, g_strdup (title));
  g_ptr_array_add (details, g_strdup (value));
}

static char *
count_text (guint64 n)
{
  return winnow_ui_format_count ((gint64) n);
}

/* One column: its type and missing values, its chart, and (opened) the
 * rest of its profile. */
static void
add_column (WinnowTaskPage *self, const WinnowColumnProfile *p, guint64 rows_read,
            guint64 rows_written)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *chart = winnow_column_chart_new ();
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (row);
  g_autofree char *missing = count_text (p->missing_after);
  g_autofree char *distinct = count_text (p->distinct);
  g_autofree char *subtitle = NULL;
  g_autofree char *name = winnow_ui_shorten (p->name, WINNOW_UI_NAME_CHARS);
  g_autoptr(GString) top = g_string_new (NULL);
  GPtrArray *details = g_ptr_array_new_with_free_func (g_free);
  /* the chart pictures the rows written: what is missing there */
  WinnowColumnProfile written = *p;

  written.missing_before = p->missing_after;
  subtitle = p->missing_after == 0
             /* Translators: a column's type, such as "Whole numbers" */
             ? g_strdup_printf (_("%s · none missing"), winnow_ui_column_type_label (p->type))
             : g_strdup_printf (_("%s · %s missing"), winnow_ui_column_type_label (p->type), missing);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_expander_row_set_subtitle (expander, subtitle);
  winnow_column_chart_set_profile (WINNOW_COLUMN_CHART (chart), &written, rows_written);
  adw_expander_row_add_action (expander, chart);

  {
    g_autofree char *before = count_text (p->missing_before);
    g_autofree char *text = g_strdup_printf (_("%s before, %s after"), before, missing);
    add_detail (details, _("Missing"), text);
  }
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (winnow_step_get (i)->cells_key != NULL && p->cells[i] > 0 &&
        winnow_step_get (i)->count_label != NULL)
      {
        g_autofree char *n = count_text (p->cells[i]);
        add_detail (details, _(winnow_step_get (i)->count_label), n);
      }
  if (!p->distinct_exact)
    {
      g_autofree char *about = g_strdup_printf (_("about %s"), distinct);
      add_detail (details, _("Distinct values"), about);
    }
  else
    add_detail (details, _("Distinct values"), distinct);
  if (p->has_numbers)
    {
      g_autofree char *min = winnow_ui_format_number (p->min);
      g_autofree char *max = winnow_ui_format_number (p->max);
      g_autofree char *mean = winnow_ui_format_number (p->mean);
      g_autofree char *range = g_strdup_printf (_("%s to %s"), min, max);

      add_detail (details, _("Range"), range);
      add_detail (details, _("Mean"), mean);
    }
  for (guint k = 0; k < p->top_values->len; k++)
    {
      const WinnowTopValue *v = g_ptr_array_index (p->top_values, k);
      g_autofree char *n = count_text (v->count);
      g_autofree char *value = winnow_ui_shorten (v->value, WINNOW_UI_NAME_CHARS);
      /* Translators: a value and how many rows hold it, as in "“Lagos” (3)" */
      g_string_append_printf (top, k > 0 ? _(", “%s” (%s)") : _("“%s” (%s)"), value, n);
    }
  if (top->len > 0)
    add_detail (details, _("Most frequent"), top->str);
  g_object_set_data_full (G_OBJECT (row), "details", details, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_column_expanded), NULL);
  keep_row (self, self->columns_group, row);
}

/* How many of @result's columns the page shows in all. */
static guint
columns_shown (const WinnowResult *result)
{
  return MIN (result->columns->len, MAX_COLUMNS_SHOWN);
}

static void on_more_columns (AdwActionRow *more, WinnowTaskPage *self);

/* The row that shows the columns past the first COLUMNS_FIRST. */
static void
add_more_row (WinnowTaskPage *self, guint more)
{
  /* Translators: a row that shows the rest of a file's columns when activated */
  g_autofree char *title = g_strdup_printf (ngettext ("Show %u More Column", "Show %u More Columns",
                                                      more), more);
  GtkWidget *row = add_row (self, self->columns_group, title, NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("go-down-symbolic");

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_more_columns), self, 0);
  self->columns_more = row;
}

/* Adds the next COLUMNS_STEP columns of the result kept for them, up to
 * columns_limit; there, the row that shows the others, or once all are
 * there the note on those not shown. FALSE when no more come now. */
static gboolean
add_some_columns (WinnowTaskPage *self)
{
  WinnowResult *result = self->columns_result;
  guint shown = columns_shown (result);
  guint end = MIN (self->columns_limit, self->columns_added + COLUMNS_STEP);

  for (; self->columns_added < end; self->columns_added++)
    add_column (self, g_ptr_array_index (result->columns, self->columns_added),
                result->rows_read, result->rows_written);
  if (self->columns_added < self->columns_limit)
    return TRUE;
  if (self->columns_added < shown)
    {
      add_more_row (self, shown - self->columns_added);
      return FALSE;
    }
  if (result->columns->len > shown)
    {
      g_autofree char *all = count_text (result->columns->len);
      g_autofree char *note = g_strdup_printf (_("The first %u of %s columns are shown"), shown, all);
      add_row (self, self->columns_group, note, NULL);
    }
  g_clear_pointer (&self->columns_result, winnow_result_free);
  return FALSE;
}

static gboolean
add_columns_later (gpointer data)
{
  WinnowTaskPage *self = data;

  if (add_some_columns (self))
    return G_SOURCE_CONTINUE;
  self->columns_source = 0;
  return G_SOURCE_REMOVE;
}

/* Adds columns from where they are now: COLUMNS_STEP at once, as many
 * each turn of the main loop after it, between frames, up to
 * columns_limit. A row is a dozen widgets, and those of 100 columns made
 * at once held the main thread about 200 ms in all. */
static void
add_columns (WinnowTaskPage *self)
{
  if (add_some_columns (self))
    self->columns_source = g_idle_add (add_columns_later, self);
}

/* The others: the row goes, and they come after the last column shown.
 * GTK 4.8 gives a removed row's keyboard focus to the list's first row
 * on the next turn, and the page scrolled up to it; so if the row has the
 * focus, it first goes back to what comes before it, as Shift+Tab would
 * (the last column's row, or its last detail when it is open), or, when
 * the row was clicked (no focus shown), nowhere. */
static void
on_more_columns (AdwActionRow *more, WinnowTaskPage *self)
{
  GtkWidget *row = GTK_WIDGET (more);
  GtkRoot *root = gtk_widget_get_root (row);
  GtkWidget *focus = gtk_root_get_focus (root);
  GtkWidget *last = gtk_widget_get_prev_sibling (row);

  g_return_if_fail (row == self->columns_more && self->columns_result != NULL);
  g_assert (ADW_IS_EXPANDER_ROW (last));
  if (focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row)))
    {
      if (gtk_window_get_focus_visible (GTK_WINDOW (root)))
        gtk_widget_child_focus (last, GTK_DIR_TAB_BACKWARD);
      else
        gtk_root_set_focus (root, NULL);
    }
  g_ptr_array_remove (self->rows, row);
  self->columns_more = NULL;
  adw_preferences_group_remove (self->columns_group, row);
  self->columns_limit = columns_shown (self->columns_result);
  add_columns (self);
}

/* The columns' rows, the first COLUMNS_FIRST or all, a few a turn
 * (add_columns()). Takes @result. The page was cleared first, which
 * stopped any rows still to come (_winnow_task_page_clear_rows()). */
static void
fill_columns (WinnowTaskPage *self, WinnowResult *result)
{
  g_assert (self->columns_source == 0 && self->columns_result == NULL);
  self->columns_result = result;
  self->columns_added = 0;
  self->columns_limit = result->columns->len > COLUMNS_FOLD ? COLUMNS_FIRST
                                                            : columns_shown (result);
  add_columns (self);
}

void
_winnow_task_page_stop_columns (WinnowTaskPage *self)
{
  g_clear_handle_id (&self->columns_source, g_source_remove);
  g_clear_pointer (&self->columns_result, winnow_result_free);
  self->columns_more = NULL;  /* (a row of the page: cleared with them) */
}

static void
fill_preview (WinnowTaskPage *self, WinnowResult *result)
{
  g_autofree char *heading = NULL;
  guint n_rows = fill_table (self->preview_view, result->preview_header, result->preview);

  heading = g_strdup_printf (ngettext ("Preview: the first %u row", "Preview: the first %u rows",
                                       n_rows), n_rows);
  gtk_label_set_text (self->preview_heading, heading);
}

void
_winnow_task_page_fill_results (WinnowTaskPage *self)
{
  WinnowTaskResult *record = winnow_task_get_result (self->task);
  g_autoptr(WinnowResult) result = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (self->task), -1, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->results_group), record != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), record != NULL);
  gtk_widget_set_visible (self->preview_box, record != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), FALSE);
  if (record == NULL)
    return;
  if (winnow_result_record_is_damaged (record))
    {
      /* a history damaged or written by another program: what the task's
       * own row says, and that the rest cannot be read (counts of -1 and
       * sizes of 0 B were shown) */
      gtk_widget_set_visible (GTK_WIDGET (self->columns_group), FALSE);
      gtk_widget_set_visible (self->preview_box, FALSE);
      if (record->rows_read >= 0 && record->rows_written >= 0)
        {
          add_count (self, _("Rows read"), record->rows_read);
          add_count (self, _("Rows written"), record->rows_written);
        }
      add_trouble_row (self, self->results_group,
                       _("The results kept with this task cannot be read"),
                       _("The task history holds them in a form Winnow cannot read."));
      return;
    }
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
    g_autofree char *delimiter = winnow_ui_delimiter_name (result->delimiter);

    add_row (self, self->results_group, _("Size"), size);
    add_row (self, self->results_group, _("Time"), time);
    if (result->elapsed >= 0.01 && result->rows_read > 0)
      {
        g_autofree char *rate = winnow_ui_format_short_count ((double) result->rows_read /
                                                              result->elapsed);
        /* Translators: a speed, such as "350 k rows a second" */
        g_autofree char *text = g_strdup_printf (_("%s rows a second"), rate);
        add_row (self, self->results_group, _("Rate"), text);
      }
    add_row (self, self->results_group, _("Encoding"), result->encoding);
    add_row (self, self->results_group, _("Delimiter"), delimiter);
  }
  for (guint i = 0; i < result->warnings->len; i++)
    add_row (self, self->warnings_group, g_ptr_array_index (result->warnings, i), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), result->warnings->len > 0);

  fill_preview (self, result);
  fill_columns (self, g_steal_pointer (&result));
}

/* ---- the preview's wheel ---- */

/* The previews scroll sideways in a page that scrolls down: a wheel
 * turned over them scrolls the page (GTK 4.8's scrolled window keeps
 * vertical scrolls it cannot use), sideways ones the preview. */
static gboolean
on_preview_scroll (GtkEventControllerScroll *controller, double dx, double dy, WinnowTaskPage *self)
{
  GtkAdjustment *page = gtk_scrolled_window_get_vadjustment (self->scroller);
  double step;

  if (dy == 0 || fabs (dx) > fabs (dy))
    return FALSE;
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    step = dy * pow (gtk_adjustment_get_page_size (page), 2.0 / 3.0);
  else
    step = dy;
  gtk_adjustment_set_value (page, gtk_adjustment_get_value (page) + step);
  return TRUE;
}

static void
forward_wheel (WinnowTaskPage *self, GtkWidget *table)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_preview_scroll), self);
  gtk_widget_add_controller (table, scroll);
}

void
_winnow_task_page_init_results (WinnowTaskPage *self)
{
  forward_wheel (self, self->preview_table);
  forward_wheel (self, self->rejected_table);
}
