/* winnow-task-table.c: the task list widget: its filters, sorting, and
 * the two views of the tasks (what a row shows: winnow-task-table-cells.c).
 *
 * The filters are properties, and the table.show-* and table.range
 * actions are those properties: the wide bar's buttons and the narrow
 * bar's Filter menu both name them, so they always agree.
 *
 * The rows come sorted and filtered from the store, so the column view's
 * own sorter is only asked which column and which order the user chose.
 * GTK 4.8 has no API for that; each column's sorter is a probe that notes
 * when it is asked to compare, and the view's sorter asks the primary
 * column's first (the answer's sign gives the order).
 */
#include "config.h"

#include "winnow-task-table.h"
#include "winnow-task-table-private.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

/* ---- the sort probe ---- */

#define WINNOW_TYPE_SORT_PROBE (winnow_sort_probe_get_type ())
G_DECLARE_FINAL_TYPE (WinnowSortProbe, winnow_sort_probe, WINNOW, SORT_PROBE, GtkSorter)

struct _WinnowSortProbe {
  GtkSorter parent_instance;
  WinnowTaskSort key;
  gboolean asked;
};

G_DEFINE_FINAL_TYPE (WinnowSortProbe, winnow_sort_probe, GTK_TYPE_SORTER)

static GtkOrdering
probe_compare (GtkSorter *sorter, gpointer a, gpointer b)
{
  WINNOW_SORT_PROBE (sorter)->asked = TRUE;
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
probe_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
winnow_sort_probe_class_init (WinnowSortProbeClass *klass)
{
  GTK_SORTER_CLASS (klass)->compare = probe_compare;
  GTK_SORTER_CLASS (klass)->get_order = probe_get_order;
}

static void
winnow_sort_probe_init (WinnowSortProbe *self)
{
}

static GtkSorter *
winnow_sort_probe_new (WinnowTaskSort key)
{
  WinnowSortProbe *probe = g_object_new (WINNOW_TYPE_SORT_PROBE, NULL);
  probe->key = key;
  return GTK_SORTER (probe);
}

/* ---- the table ---- */

G_DEFINE_FINAL_TYPE (WinnowTaskTable, winnow_task_table, GTK_TYPE_WIDGET)

enum {
  TASK_ACTIVATED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The show-* properties, in the order of WinnowTaskStatus. */
enum {
  PROP_0,
  PROP_SHOW_QUEUED,
  PROP_SHOW_RUNNING,
  PROP_SHOW_COMPLETED,
  PROP_SHOW_FAILED,
  PROP_SHOW_CANCELLED,
  PROP_RANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The date filter's choices: its action target, days back from today
 * (0: today; < 0: any time), and its label. */
static const struct {
  const char *target;
  int days;
  const char *label;
} ranges[] = {
  { "any", -1, N_("Any Time") },
  { "today", 0, N_("Today") },
  { "week", 6, N_("Last 7 Days") },
  { "month", 29, N_("Last 30 Days") },
  { "year", 364, N_("Last 12 Months") },
};

static guint
range_index (const char *target)
{
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    if (g_strcmp0 (ranges[i].target, target) == 0)
      return i;
  return 0;
}

void
_winnow_task_table_append_column (WinnowTaskTable *self, const char *title,
                                  GtkListItemFactory *factory, WinnowTaskSort key,
                                  gboolean expand, int width)
{
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);
  GtkSorter *probe = winnow_sort_probe_new (key);

  gtk_column_view_column_set_sorter (column, probe);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_append_column (self->column_view, column);
  g_ptr_array_add (self->probes, probe);
  g_object_unref (column);
}

/* ---- sorting ---- */

static void
on_sort_changed (GtkSorter *sorter, GtkSorterChange change, WinnowTaskTable *self)
{
  /* two distinct objects for the probes to be asked about */
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  if (self->list == NULL)
    return;
  for (guint i = 0; i < self->probes->len; i++)
    WINNOW_SORT_PROBE (g_ptr_array_index (self->probes, i))->asked = FALSE;
  order = gtk_sorter_compare (sorter, a, b);
  for (guint i = 0; i < self->probes->len; i++)
    {
      WinnowSortProbe *probe = g_ptr_array_index (self->probes, i);
      if (probe->asked)
        {
          winnow_task_list_set_sort (self->list, probe->key, order == GTK_ORDERING_LARGER);
          return;
        }
    }
  winnow_task_list_set_sort (self->list, WINNOW_TASK_SORT_CREATED, TRUE);
}

/* ---- filtering ---- */

/* No row, once the history has been read: no task matches. Until then
 * (a history another program keeps locked may take long to open) the
 * list, empty, rather than a wrong "No Matching Tasks". */
static void
update_stack (WinnowTaskTable *self)
{
  gboolean empty = self->list == NULL ||
                   (g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0 &&
                    winnow_task_list_get_total (self->list) >= 0);
  gtk_stack_set_visible_child_name (self->stack, empty ? "no-match" : "list");
}

static void
on_total_changed (WinnowTaskList *list, GParamSpec *pspec, WinnowTaskTable *self)
{
  update_stack (self);
}

/* How far among the rows that changed the selection looks for its task. */
#define FOLLOW_LIMIT 500

/* The task the selection stands for: its id, kept as it is selected. */
static void
on_selected (GtkSingleSelection *selection, GParamSpec *pspec, WinnowTaskTable *self)
{
  g_autoptr(WinnowTask) task =
    winnow_task_rows_get_task (self->rows, gtk_single_selection_get_selected (selection));

  self->selected_id = task != NULL ? winnow_task_get_id (task) : 0;
}

/* After the list changed (its rows have moved with it, or kept their
 * places and show other tasks: winnow-task-rows.c): the selection follows
 * its task among the rows that changed, or is dropped; it never stays on
 * a place that now shows another task (Delete acts on the selection). */
static void
follow_selection (WinnowTaskTable *self, guint position, guint added)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  gint64 want = self->selected_id;
  g_autoptr(WinnowTask) now = NULL;

  if (want == 0 || selected == GTK_INVALID_LIST_POSITION)
    return;
  now = winnow_task_rows_get_task (self->rows, selected);
  if (now != NULL && winnow_task_get_id (now) == want)
    return;
  /* @position and @added are the list's places; a big change is told to
   * the views a step at a time, their places are found through the rows
   * (a task whose place is not told yet loses the selection) */
  for (guint p = position; p < position + MIN (added, FOLLOW_LIMIT); p++)
    {
      g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (self->list), p);
      gint64 place;

      if (task == NULL || winnow_task_get_id (task) != want)
        continue;
      place = winnow_task_rows_get_place (self->rows, p);
      if (place >= 0)
        {
          gtk_single_selection_set_selected (self->selection, (guint) place);
          return;
        }
      break;
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, WinnowTaskTable *self)
{
  update_stack (self);
  follow_selection (self, position, added);
}

/* A new filter or sort: its rows start at the top, nothing selected (the
 * row objects stay where they are and show other tasks). */
static void
on_reset (WinnowTaskList *list, WinnowTaskTable *self)
{
  GtkScrollable *view = winnow_task_table_is_compact (self) ? GTK_SCROLLABLE (self->compact_view)
                                                            : GTK_SCROLLABLE (self->column_view);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (view);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

/* The menu buttons say what they filter: "Last 7 Days", "Filter (2)". */
static void
update_filter_buttons (WinnowTaskTable *self)
{
  guint range = range_index (self->range);
  guint n = range > 0 ? 1 : 0;
  g_autofree char *range_name = NULL;
  g_autofree char *filter_label = NULL;

  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    n += (self->statuses >> s) & 1;
  gtk_menu_button_set_label (self->range_button, _(ranges[range].label));
  /* Translators: the date filter's name, then its choice, such as "Created: Today" */
  range_name = g_strdup_printf (_("Created: %s"), _(ranges[range].label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->range_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, range_name, -1);
  winnow_ui_fix_button_name (GTK_WIDGET (self->range_button), range_name);
  /* Translators: the Filter button when filters are on, such as "Filter (2)" */
  filter_label = n > 0 ? g_strdup_printf (_("Filter (%u)"), n) : g_strdup (_("Filter"));
  gtk_menu_button_set_label (self->filter_button, filter_label);
  winnow_ui_fix_button_name (GTK_WIDGET (self->filter_button), filter_label);
}

static void
apply_filters (WinnowTaskTable *self)
{
  guint range = range_index (self->range);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) from = NULL;

  update_filter_buttons (self);
  if (self->list == NULL)
    return;
  winnow_task_list_set_statuses (self->list, self->statuses);
  if (ranges[range].days < 0)
    {
      winnow_task_list_set_range (self->list, NULL, NULL);
      return;
    }
  now = g_date_time_new_now_local ();
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  from = g_date_time_add_days (today, -ranges[range].days);
  winnow_task_list_set_range (self->list, from, NULL);
}

static void
on_search_changed (GtkSearchEntry *entry, WinnowTaskTable *self)
{
  if (self->list != NULL)
    winnow_task_list_set_name (self->list, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Escape in the search entry clears it (and the window's Escape, which
 * goes back, is not reached). */
static void
on_stop_search (GtkSearchEntry *entry, WinnowTaskTable *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  on_search_changed (entry, self);
}

static void
clear_filters_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (widget);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    g_object_set (self, g_param_spec_get_name (properties[PROP_SHOW_QUEUED + s]), FALSE, NULL);
  g_object_set (self, "range", "any", NULL);
  g_object_thaw_notify (G_OBJECT (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Ctrl+F (win.search): the search entry, wherever the focus was. */
void
winnow_task_table_search (WinnowTaskTable *self)
{
  g_return_if_fail (WINNOW_IS_TASK_TABLE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- activation and keys ---- */

static void
activate_position (WinnowTaskTable *self, guint position)
{
  g_autoptr(WinnowTask) task = winnow_task_rows_get_task (self->rows, position);

  if (task != NULL && winnow_task_get_id (task) != 0)
    g_signal_emit (self, signals[TASK_ACTIVATED], 0, task);
}

static void
on_column_activate (GtkColumnView *view, guint position, WinnowTaskTable *self)
{
  activate_position (self, position);
}

static void
on_compact_activate (GtkListView *view, guint position, WinnowTaskTable *self)
{
  activate_position (self, position);
}

static gboolean
on_delete_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (data);
  guint position = gtk_single_selection_get_selected (self->selection);
  g_autoptr(WinnowTask) task = winnow_task_rows_get_task (self->rows, position);

  if (task != NULL && winnow_task_get_id (task) != 0)
    g_signal_emit (self, signals[DELETE_REQUESTED], 0, task);
  return TRUE;
}

/* Tab leaves the list instead of walking through every row (GTK 4.8 has
 * no tab-behavior for list views): the view is taken out of the focus
 * chain for the one move. */
static gboolean
on_tab_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  GtkWidget *view = widget;
  GtkDirectionType direction = g_variant_get_boolean (args) ? GTK_DIR_TAB_BACKWARD
                                                             : GTK_DIR_TAB_FORWARD;

  gtk_widget_set_can_focus (view, FALSE);
  if (!gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (view)), direction))
    gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (view)), direction);
  gtk_widget_set_can_focus (view, TRUE);
  return TRUE;
}

static void
add_keys (WinnowTaskTable *self, GtkWidget *view)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkShortcutController *controller = GTK_SHORTCUT_CONTROLLER (keys);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (controller,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                      gtk_callback_action_new (on_delete_key, self, NULL)));
  gtk_shortcut_controller_add_shortcut (controller,
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_Tab, 0),
                                     gtk_callback_action_new (on_tab_key, self, NULL),
                                     "b", FALSE));
  gtk_shortcut_controller_add_shortcut (controller,
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK),
                                     gtk_callback_action_new (on_tab_key, self, NULL),
                                     "b", TRUE));
  gtk_shortcut_controller_add_shortcut (controller,
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_Tab, GDK_SHIFT_MASK),
                                     gtk_callback_action_new (on_tab_key, self, NULL),
                                     "b", TRUE));
  gtk_widget_add_controller (view, keys);
}

/* ---- the object ---- */

static void
winnow_task_table_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (object);

  if (prop_id >= PROP_SHOW_QUEUED && prop_id <= PROP_SHOW_CANCELLED)
    g_value_set_boolean (value, (self->statuses >> (prop_id - PROP_SHOW_QUEUED)) & 1);
  else if (prop_id == PROP_RANGE)
    g_value_set_string (value, self->range);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
winnow_task_table_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (object);

  if (prop_id >= PROP_SHOW_QUEUED && prop_id <= PROP_SHOW_CANCELLED)
    {
      guint bit = 1u << (prop_id - PROP_SHOW_QUEUED);
      guint statuses = g_value_get_boolean (value) ? self->statuses | bit : self->statuses & ~bit;

      if (statuses == self->statuses)
        return;
      self->statuses = statuses;
    }
  else if (prop_id == PROP_RANGE)
    {
      const char *range = ranges[range_index (g_value_get_string (value))].target;

      if (g_strcmp0 (range, self->range) == 0)
        return;
      g_free (self->range);
      self->range = g_strdup (range);
    }
  else
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  apply_filters (self);
  g_object_notify_by_pspec (object, pspec);
}

static void
winnow_task_table_dispose (GObject *object)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->give_rows_source, g_source_remove);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_TASK_TABLE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->list);
  g_clear_object (&self->meter);
  G_OBJECT_CLASS (winnow_task_table_parent_class)->dispose (object);
}

static void
winnow_task_table_finalize (GObject *object)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (object);

  g_ptr_array_unref (self->probes);
  g_free (self->range);
  G_OBJECT_CLASS (winnow_task_table_parent_class)->finalize (object);
}

static void
winnow_task_table_class_init (WinnowTaskTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const show[] = {
    "show-queued", "show-running", "show-completed", "show-failed", "show-cancelled"
  };

  object_class->dispose = winnow_task_table_dispose;
  object_class->finalize = winnow_task_table_finalize;
  object_class->get_property = winnow_task_table_get_property;
  object_class->set_property = winnow_task_table_set_property;

  /* WinnowTaskTable:show-queued and the others: tasks of that status
   * are shown; none on shows every status. */
  for (guint s = 0; s < G_N_ELEMENTS (show); s++)
    properties[PROP_SHOW_QUEUED + s] =
      g_param_spec_boolean (show[s], NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WinnowTaskTable:range:
   *
   * Tasks created when: "any", "today", "week", "month" or "year".
   */
  properties[PROP_RANGE] =
    g_param_spec_string ("range", NULL, NULL, "any",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WinnowTaskTable::task-activated:
   * @task: the task of the row double-clicked or entered
   */
  signals[TASK_ACTIVATED] =
    g_signal_new ("task-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);
  /**
   * WinnowTaskTable::delete-requested:
   * @task: the selected task, when Delete is pressed
   */
  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, WINNOW_TYPE_TASK);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/winnow/Winnow/winnow-task-table.ui");
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, filters_squeezer);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, wide_filters);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, range_button);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, filter_button);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, stack);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, views);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, compact_view);
  for (guint s = 0; s < G_N_ELEMENTS (show); s++)
    {
      g_autofree char *action = g_strdup_printf ("table.%s", show[s]);
      gtk_widget_class_install_property_action (widget_class, action, show[s]);
    }
  gtk_widget_class_install_property_action (widget_class, "table.range", "range");
  gtk_widget_class_install_action (widget_class, "table.clear-filters", NULL,
                                   clear_filters_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* Only the view on screen holds the rows: a GTK 4.8 list view makes and
 * binds widgets for its rows even while the squeezer hides it, which
 * doubled the work of every filter, sort and scroll. The squeezer never
 * flips back for it: the table's least width is its columns' fixed
 * widths, whatever the rows hold. */
static gboolean
give_rows (gpointer data)
{
  WinnowTaskTable *self = data;
  gboolean compact = winnow_task_table_is_compact (self);
  GtkSelectionModel *rows = self->selection != NULL ? GTK_SELECTION_MODEL (self->selection) : NULL;
  GtkSelectionModel *wide = compact ? NULL : rows, *narrow = compact ? rows : NULL;

  self->give_rows_source = 0;
  if (gtk_column_view_get_model (self->column_view) != wide)
    gtk_column_view_set_model (self->column_view, wide);
  if (gtk_list_view_get_model (self->compact_view) != narrow)
    gtk_list_view_set_model (self->compact_view, narrow);
  return G_SOURCE_REMOVE;
}

static void
on_views_switched (AdwSqueezer *views, GParamSpec *pspec, WinnowTaskTable *self)
{
  /* the squeezer picks its child while it allocates: not the time to
   * change a view's rows */
  if (self->give_rows_source == 0)
    self->give_rows_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, give_rows, self, NULL);
}

static void
winnow_task_table_init (WinnowTaskTable *self)
{
  g_autoptr(GtkListItemFactory) compact = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->probes = g_ptr_array_new_with_free_func (g_object_unref);
  self->range = g_strdup ("any");

  _winnow_task_table_add_columns (self);
  compact = _winnow_task_table_compact_factory (self);
  gtk_list_view_set_factory (self->compact_view, compact);
  gtk_list_view_set_single_click_activate (self->compact_view, FALSE);

  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_column_activate), self);
  g_signal_connect (self->compact_view, "activate", G_CALLBACK (on_compact_activate), self);
  g_signal_connect (self->views, "notify::visible-child", G_CALLBACK (on_views_switched), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self);
  add_keys (self, GTK_WIDGET (self->column_view));
  add_keys (self, GTK_WIDGET (self->compact_view));
  update_filter_buttons (self);
}

/**
 * winnow_task_table_set_list:
 * @meter: (nullable): how far this window's running tasks are
 */
void
winnow_task_table_set_list (WinnowTaskTable *self, WinnowTaskList *list, WinnowTaskMeter *meter)
{
  GtkSorter *sorter;
  g_autoptr(GtkColumnViewColumn) created = NULL;

  g_return_if_fail (WINNOW_IS_TASK_TABLE (self));
  g_return_if_fail (WINNOW_IS_TASK_LIST (list));

  g_set_object (&self->list, list);
  g_set_object (&self->meter, meter);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  self->rows = winnow_task_rows_new (G_LIST_MODEL (list));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  give_rows (self);
  /* after the rows' own handler (winnow_task_rows_new() connected first) */
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (list, "reset", G_CALLBACK (on_reset), self);
  g_signal_connect (list, "notify::total", G_CALLBACK (on_total_changed), self);
  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (on_selected), self);
  self->selected_id = 0;

  /* newest first, as the list starts */
  sorter = gtk_column_view_get_sorter (self->column_view);
  created = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), 4);
  gtk_column_view_sort_by_column (self->column_view, created, GTK_SORT_DESCENDING);
  g_signal_connect (sorter, "changed", G_CALLBACK (on_sort_changed), self);
  update_stack (self);
}

GtkColumnView *
winnow_task_table_get_column_view (WinnowTaskTable *self)
{
  return self->column_view;
}

GtkSingleSelection *
winnow_task_table_get_selection (WinnowTaskTable *self)
{
  return self->selection;
}

/* Whether the rows show as two lines, the table not fitting. */
gboolean
winnow_task_table_is_compact (WinnowTaskTable *self)
{
  return adw_squeezer_get_visible_child (self->views) != gtk_widget_get_parent (GTK_WIDGET (self->column_view)) &&
         adw_squeezer_get_visible_child (self->views) != NULL;
}

void
winnow_task_table_set_filter (WinnowTaskTable *self, guint statuses, const char *name)
{
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    g_object_set (self, g_param_spec_get_name (properties[PROP_SHOW_QUEUED + s]),
                  (statuses >> s) & 1, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), name ? name : "");
  /* the entry waits a moment before it says; the test does not */
  on_search_changed (self->search_entry, self);
}
