/* winnow-task-table.c: the task list: a filter bar over a GtkColumnView of
 * the tasks, sorted by a click on a column header.
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

struct _WinnowTaskTable {
  GtkWidget parent_instance;

  GtkBox *status_box;
  GtkDropDown *range_dropdown;
  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkColumnView *column_view;

  WinnowTaskList *list;
  GtkSingleSelection *selection;
  GPtrArray *probes;
  GtkToggleButton *status_buttons[WINNOW_TASK_N_STATUSES];
};

G_DEFINE_FINAL_TYPE (WinnowTaskTable, winnow_task_table, GTK_TYPE_WIDGET)

enum {
  TASK_ACTIVATED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- cells ---- */

typedef void (*RenderFunc) (GtkWidget *cell, WinnowTask *task);

typedef struct {
  GtkWidget *(*make) (void);
  RenderFunc render;
} ColumnKind;

typedef struct {
  GtkWidget *cell;
  RenderFunc render;
} Binding;

static void
on_task_notify (WinnowTask *task, GParamSpec *pspec, Binding *binding)
{
  binding->render (binding->cell, task);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnKind *kind)
{
  gtk_list_item_set_child (item, kind->make ());
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnKind *kind)
{
  WinnowTask *task = gtk_list_item_get_item (item);
  Binding *binding = g_new0 (Binding, 1);
  gulong handler;

  binding->cell = gtk_list_item_get_child (item);
  binding->render = kind->render;
  kind->render (binding->cell, task);
  handler = g_signal_connect_data (task, "notify", G_CALLBACK (on_task_notify), binding,
                                   (GClosureNotify) G_CALLBACK (g_free), 0);
  g_object_set_data (G_OBJECT (item), "winnow-handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnKind *kind)
{
  WinnowTask *task = gtk_list_item_get_item (item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "winnow-handler"));

  if (task != NULL && handler != 0)
    g_signal_handler_disconnect (task, handler);
  g_object_set_data (G_OBJECT (item), "winnow-handler", NULL);
}

static GtkWidget *
make_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  return label;
}

static GtkWidget *
make_number (void)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static GtkWidget *
make_status (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), gtk_image_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  return box;
}

static GtkWidget *
make_progress (void)
{
  GtkWidget *bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  return bar;
}

static gboolean
on_file_tooltip (GtkWidget *cell, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                 gpointer data)
{
  const char *path = g_object_get_data (G_OBJECT (cell), "winnow-path");

  if (path == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, path);
  return TRUE;
}

/* The file's path shows as a tooltip asked for when the pointer rests:
 * setting a tooltip's text asks the display server where the pointer is,
 * a round trip for every row bound as the list scrolls. */
static GtkWidget *
make_file (void)
{
  GtkWidget *label = make_label ();

  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (on_file_tooltip), NULL);
  return label;
}

static void
render_file (GtkWidget *cell, WinnowTask *task)
{
  gtk_label_set_text (GTK_LABEL (cell), winnow_task_get_file_name (task));
  g_object_set_data_full (G_OBJECT (cell), "winnow-path",
                          g_strdup (winnow_task_get_input_path (task)), g_free);
}

static void
render_status (GtkWidget *cell, WinnowTask *task)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  GtkWidget *icon = gtk_widget_get_first_child (cell);
  GtkWidget *label = gtk_widget_get_last_child (cell);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), winnow_ui_status_icon (status));
  gtk_label_set_text (GTK_LABEL (label), winnow_ui_status_label (status));
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    gtk_widget_remove_css_class (icon, winnow_ui_status_css_class ((WinnowTaskStatus) s));
  gtk_widget_add_css_class (icon, winnow_ui_status_css_class (status));
}

static void
render_progress (GtkWidget *cell, WinnowTask *task)
{
  g_autofree char *text = g_strdup_printf (_("%d percent"), (int) (winnow_task_get_progress (task) * 100));

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (cell), winnow_task_get_progress (task));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

static void
render_rows (GtkWidget *cell, WinnowTask *task)
{
  g_autofree char *text = winnow_ui_format_rows (task);
  gtk_label_set_text (GTK_LABEL (cell), text);
}

static void
render_created (GtkWidget *cell, WinnowTask *task)
{
  g_autofree char *text = winnow_ui_format_time (winnow_task_get_created (task));
  gtk_label_set_text (GTK_LABEL (cell), text);
}

static void
render_duration (GtkWidget *cell, WinnowTask *task)
{
  g_autofree char *text = winnow_ui_format_duration (winnow_task_get_duration (task));
  gtk_label_set_text (GTK_LABEL (cell), text);
}

static const ColumnKind kinds[] = {
  { make_file, render_file },
  { make_status, render_status },
  { make_progress, render_progress },
  { make_number, render_rows },
  { make_label, render_created },
  { make_number, render_duration },
};

static void
add_column (WinnowTaskTable *self, const char *title, guint kind, WinnowTaskSort key, gboolean expand,
            int width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkSorter *probe = winnow_sort_probe_new (key);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) &kinds[kind]);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) &kinds[kind]);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) &kinds[kind]);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, probe);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_append_column (self->column_view, column);
  g_ptr_array_add (self->probes, probe);
  g_object_unref (column);
}

/* ---- sorting and filtering ---- */

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

static void
update_stack (WinnowTaskTable *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0;
  gtk_stack_set_visible_child_name (self->stack, empty ? "no-match" : "list");
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, WinnowTaskTable *self)
{
  update_stack (self);
}

static void
on_status_toggled (GtkToggleButton *button, WinnowTaskTable *self)
{
  guint mask = 0;

  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    if (gtk_toggle_button_get_active (self->status_buttons[s]))
      mask |= 1u << s;
  if (self->list != NULL)
    winnow_task_list_set_statuses (self->list, mask);
}

static void
on_search_changed (GtkSearchEntry *entry, WinnowTaskTable *self)
{
  if (self->list != NULL)
    winnow_task_list_set_name (self->list, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* The presets of the date filter, in days back from today (0: today). */
static const int range_days[] = { -1, 0, 6, 29, 364 };

static void
on_range_changed (GtkDropDown *dropdown, GParamSpec *pspec, WinnowTaskTable *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) from = NULL;

  if (self->list == NULL)
    return;
  if (selected >= G_N_ELEMENTS (range_days) || range_days[selected] < 0)
    {
      winnow_task_list_set_range (self->list, NULL, NULL);
      return;
    }
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  from = g_date_time_add_days (today, -range_days[selected]);
  winnow_task_list_set_range (self->list, from, NULL);
}

static void
on_clear_filters (WinnowTaskTable *self)
{
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    gtk_toggle_button_set_active (self->status_buttons[s], FALSE);
  gtk_drop_down_set_selected (self->range_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* ---- activation ---- */

static void
on_activate (GtkColumnView *view, guint position, WinnowTaskTable *self)
{
  g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (task != NULL)
    g_signal_emit (self, signals[TASK_ACTIVATED], 0, task);
}

static gboolean
on_delete_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (data);
  WinnowTask *task = gtk_single_selection_get_selected_item (self->selection);

  if (task != NULL)
    g_signal_emit (self, signals[DELETE_REQUESTED], 0, task);
  return TRUE;
}

/* ---- the object ---- */

static void
winnow_task_table_dispose (GObject *object)
{
  WinnowTaskTable *self = WINNOW_TASK_TABLE (object);
  GtkWidget *child;

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_TASK_TABLE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  G_OBJECT_CLASS (winnow_task_table_parent_class)->dispose (object);
}

static void
winnow_task_table_finalize (GObject *object)
{
  g_ptr_array_unref (WINNOW_TASK_TABLE (object)->probes);
  G_OBJECT_CLASS (winnow_task_table_parent_class)->finalize (object);
}

static void
winnow_task_table_class_init (WinnowTaskTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = winnow_task_table_dispose;
  object_class->finalize = winnow_task_table_finalize;

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
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, status_box);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, stack);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskTable, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_filters);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
winnow_task_table_init (WinnowTaskTable *self)
{
  static const WinnowTaskStatus order[] = { WINNOW_TASK_PENDING, WINNOW_TASK_PROCESSING,
                                            WINNOW_TASK_COMPLETED, WINNOW_TASK_FAILED,
                                            WINNOW_TASK_CANCELLED };
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->probes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (winnow_ui_status_label (order[i]));
      self->status_buttons[order[i]] = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (on_status_toggled), self);
      gtk_box_append (self->status_box, button);
    }

  add_column (self, _("File"), 0, WINNOW_TASK_SORT_FILE, TRUE, -1);
  add_column (self, _("Status"), 1, WINNOW_TASK_SORT_STATUS, FALSE, 130);
  add_column (self, _("Progress"), 2, WINNOW_TASK_SORT_PROGRESS, FALSE, 140);
  add_column (self, _("Rows in → out"), 3, WINNOW_TASK_SORT_ROWS_IN, FALSE, 190);
  add_column (self, _("Created"), 4, WINNOW_TASK_SORT_CREATED, FALSE, 150);
  add_column (self, _("Duration"), 5, WINNOW_TASK_SORT_DURATION, FALSE, 110);

  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->range_dropdown, "notify::selected", G_CALLBACK (on_range_changed), self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                      gtk_callback_action_new (on_delete_key, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), shortcuts);
}

void
winnow_task_table_set_list (WinnowTaskTable *self, WinnowTaskList *list)
{
  GtkSorter *sorter;
  g_autoptr(GtkColumnViewColumn) created = NULL;

  g_set_object (&self->list, list);
  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), self);

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

void
winnow_task_table_set_filter (WinnowTaskTable *self, guint statuses, const char *name)
{
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    gtk_toggle_button_set_active (self->status_buttons[s], (statuses >> s) & 1);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), name ? name : "");
  /* the entry waits a moment before it says; the test does not */
  on_search_changed (self->search_entry, self);
}
