/* winnow-task-table-cells.c: what a task's row shows. In the table, a
 * cell per column (file, status, progress, rows, created, time); in the
 * narrow view, two lines (file and status, then rows, time and date).
 * A running task of this window says its rows read, rate and time left
 * (WinnowTaskMeter); a finished one its rows in and out, duration and
 * rate. Each row reads to a screen reader as one sentence, "people.csv,
 * Completed, 2,000 rows to 1,801", and a cell with nothing to say is
 * hidden rather than read out empty. */
#include "config.h"

#include "winnow-task-table-private.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

typedef void (*RenderFunc) (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table);

typedef struct {
  GtkWidget *(*make) (void);
  RenderFunc render;
} CellKind;

typedef struct {
  GtkWidget *cell;
  const CellKind *kind;
  WinnowTaskTable *table;
  WinnowTask *task;       /* unowned: the binding ends before it */
  gboolean queued;        /* in the queue of cells to draw again */
  gboolean ended;         /* unbound while queued: the queue frees it */
} Binding;

static gboolean
is_active (WinnowTask *task)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  return status == WINNOW_TASK_PENDING || status == WINNOW_TASK_PROCESSING;
}

/* ---- what a row says ---- */

/* Rows read so far, or rows in and out; %NULL before. */
static char *
rows_text (WinnowTask *task, WinnowTaskTable *table)
{
  WinnowMeterReading reading;

  if (winnow_task_get_status (task) == WINNOW_TASK_PROCESSING)
    {
      g_autofree char *rows = NULL;

      if (table->meter == NULL ||
          !winnow_task_meter_read (table->meter, winnow_task_get_id (task), &reading))
        return NULL;
      rows = winnow_ui_format_short_count ((double) reading.rows);
      /* Translators: rows read so far, such as "1.2 M rows" */
      return g_strdup_printf (ngettext ("%s row", "%s rows", (gulong) reading.rows), rows);
    }
  if (!winnow_ui_rows_known (task))
    return NULL;
  return winnow_ui_format_rows (task);
}

/* The rate and the time left, or the time it took and the rate; %NULL
 * before. */
static char *
time_text (WinnowTask *task, WinnowTaskTable *table)
{
  WinnowMeterReading reading;
  g_autoptr(GString) text = NULL;

  if (winnow_task_get_status (task) != WINNOW_TASK_PROCESSING)
    return winnow_task_meter_describe_finished (task);
  if (table->meter == NULL ||
      !winnow_task_meter_read (table->meter, winnow_task_get_id (task), &reading))
    return NULL;
  text = g_string_new (NULL);
  if (reading.rate > 0)
    {
      g_autofree char *rate = winnow_task_meter_format_rate (reading.rate);
      g_string_append (text, rate);
    }
  if (reading.seconds_left >= 0)
    {
      g_autofree char *left = winnow_ui_format_duration (reading.seconds_left);
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: a time left, such as "20 s left" */
      g_string_append_printf (text, _("%s left"), left);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* The row as one sentence: "people.csv, Completed, 2,000 rows to 1,801". */
static char *
row_sentence (WinnowTask *task, WinnowTaskTable *table)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  g_autoptr(GString) text = g_string_new (NULL);

  if (winnow_task_get_id (task) == 0)
    return g_strdup (_("Task not read yet"));
  g_string_append_printf (text, "%s, %s", winnow_task_get_file_name (task),
                          winnow_ui_status_label (status));
  if (status == WINNOW_TASK_PROCESSING)
    {
      g_autofree char *progress = table->meter != NULL
                                  ? winnow_task_meter_describe (table->meter, task) : NULL;
      g_string_append_printf (text, _(", %d percent done"),
                              (int) (winnow_task_get_progress (task) * 100));
      if (progress != NULL)
        g_string_append_printf (text, ", %s", progress);
    }
  else if (winnow_ui_rows_known (task))
    {
      g_autofree char *in = winnow_ui_format_count (winnow_task_get_rows_in (task));
      g_autofree char *out = winnow_ui_format_count (winnow_task_get_rows_out (task));
      /* Translators: rows read, then rows written */
      g_string_append_printf (text, ngettext (", %s row to %s", ", %s rows to %s",
                                              (gulong) winnow_task_get_rows_in (task)), in, out);
    }
  if (status == WINNOW_TASK_FAILED && winnow_task_get_error (task) != NULL)
    g_string_append_printf (text, ": %s", winnow_task_get_error (task));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* GTK 4.8 has no API for a list row's accessible label (GtkColumnViewRow
 * came in 4.12): the row is the widget whose parent is the list view. */
static void
name_row (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  GtkWidget *row = cell;
  g_autofree char *sentence = NULL;

  while (row != NULL && !GTK_IS_LIST_VIEW (gtk_widget_get_parent (row)))
    row = gtk_widget_get_parent (row);
  if (row == NULL)
    return;
  sentence = row_sentence (task, table);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, sentence, -1);
}

/* The table's cells are inscriptions: their size does not follow their
 * text, so a new text is only drawn, never measured and laid out again
 * up to the window (with labels, every row bound while scrolling asked
 * the window for a new layout). The narrow view's rows are labels. */
static void
set_text (GtkWidget *label, const char *text)
{
  gboolean empty = text == NULL || text[0] == '\0';

  /* An empty cell is kept from screen readers; an inscription stays
   * shown (it draws nothing), since showing or hiding a widget asks for
   * a new layout too. */
  if (GTK_IS_INSCRIPTION (label))
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (label), text != NULL ? text : "");
      gtk_accessible_update_state (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_STATE_HIDDEN, empty, -1);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
      gtk_widget_set_visible (label, !empty);
    }
  winnow_ui_name_cell (label, text);
}

static void
set_progress (GtkWidget *bar, WinnowTask *task)
{
  g_autofree char *text = g_strdup_printf (_("%d percent"), (int) (winnow_task_get_progress (task) * 100));

  gtk_widget_set_visible (bar, winnow_task_get_id (task) != 0 && is_active (task));
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), winnow_task_get_progress (task));
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

/* A row not read yet, or a place about to go (winnow-task-rows.c), is
 * blank: its icon is there but not seen (hiding it would ask for a new
 * layout of the window, as showing it again would). */
static void
show_status_icon (GtkWidget *icon, WinnowTask *task)
{
  gboolean blank = winnow_task_get_id (task) == 0;

  winnow_ui_set_status_icon (GTK_IMAGE (icon), winnow_task_get_status (task));
  gtk_widget_set_opacity (icon, blank ? 0 : 1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, blank, -1);
}

/* ---- tooltips, asked for when the pointer rests ---- */

/* Setting a tooltip's text asks the display server where the pointer is,
 * a round trip for every row bound as the list scrolls: the text is kept
 * on the widget and given only when asked. */
static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "winnow-tooltip");

  if (text == NULL || text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
with_tooltip (GtkWidget *widget)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

static void
set_tooltip (GtkWidget *widget, char *text)
{
  g_object_set_data_full (G_OBJECT (widget), "winnow-tooltip", text, g_free);
}

/* ---- the table's cells ---- */

/* A cell's text, in the width of its column (fixed: the columns do not
 * follow their cells' text either). */
static GtkWidget *
make_text (void)
{
  GtkWidget *text = gtk_inscription_new (NULL);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  return text;
}

static GtkWidget *
make_number (void)
{
  GtkWidget *text = make_text ();
  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), 1);
  gtk_widget_add_css_class (text, "numeric");
  return text;
}

static GtkWidget *
make_file (void)
{
  GtkWidget *text = make_text ();
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE);
  with_tooltip (text);
  return text;
}

static GtkWidget *
make_created (void)
{
  GtkWidget *text = make_text ();
  with_tooltip (text);
  return text;
}

static GtkWidget *
make_status (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *text = make_text ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Status"), -1);
  gtk_widget_set_hexpand (text, TRUE);  /* the rest of the column */
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

static GtkWidget *
make_progress (void)
{
  GtkWidget *bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Progress"), -1);
  return bar;
}

static void
render_file (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  set_text (cell, winnow_task_get_file_name (task));
  set_tooltip (cell, winnow_ui_display_path (winnow_task_get_input_path (task)));
  name_row (cell, task, table);
}

static void
render_status (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  WinnowTaskStatus status = winnow_task_get_status (task);

  show_status_icon (gtk_widget_get_first_child (cell), task);
  set_text (gtk_widget_get_last_child (cell),
            winnow_task_get_id (task) != 0 ? winnow_ui_status_label (status) : NULL);
  winnow_ui_name_cell (cell, winnow_task_get_id (task) != 0 ? winnow_ui_status_label (status) : NULL);
}

static void
render_progress (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  g_autofree char *text = g_strdup_printf (_("%d percent"), (int) (winnow_task_get_progress (task) * 100));

  set_progress (cell, task);
  winnow_ui_name_cell (cell, is_active (task) ? text : NULL);
}

static void
render_rows (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  g_autofree char *text = rows_text (task, table);
  set_text (cell, text);
}

static void
render_created (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  g_autofree char *text = winnow_ui_format_time (winnow_task_get_created (task));
  set_text (cell, text);
  set_tooltip (cell, winnow_ui_format_time_full (winnow_task_get_created (task)));
}

static void
render_time (GtkWidget *cell, WinnowTask *task, WinnowTaskTable *table)
{
  g_autofree char *text = time_text (task, table);
  set_text (cell, text);
}

/* ---- the narrow view's two-line rows ---- */

static GtkWidget *
make_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static GtkWidget *
make_compact (void)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *file = make_label ();
  GtkWidget *status = make_label ();
  GtkWidget *bar = make_progress ();
  GtkWidget *details = make_label ();

  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Status"), -1);
  gtk_label_set_ellipsize (GTK_LABEL (file), PANGO_ELLIPSIZE_MIDDLE);
  with_tooltip (file);
  gtk_widget_set_hexpand (file, TRUE);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "numeric");
  gtk_box_append (GTK_BOX (top), icon);
  gtk_box_append (GTK_BOX (top), file);
  gtk_box_append (GTK_BOX (top), status);
  gtk_box_append (GTK_BOX (row), top);
  gtk_box_append (GTK_BOX (row), bar);
  gtk_box_append (GTK_BOX (row), details);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "file", file);
  g_object_set_data (G_OBJECT (row), "status", status);
  g_object_set_data (G_OBJECT (row), "bar", bar);
  g_object_set_data (G_OBJECT (row), "details", details);
  return row;
}

static void
render_compact (GtkWidget *row, WinnowTask *task, WinnowTaskTable *table)
{
  WinnowTaskStatus status = winnow_task_get_status (task);
  g_autofree char *rows = rows_text (task, table);
  g_autofree char *time = time_text (task, table);
  g_autofree char *created = winnow_ui_format_time (winnow_task_get_created (task));
  g_autoptr(GString) details = g_string_new (NULL);
  const char *parts[] = { rows, time, created };

  show_status_icon (g_object_get_data (G_OBJECT (row), "icon"), task);
  set_text (g_object_get_data (G_OBJECT (row), "file"), winnow_task_get_file_name (task));
  set_tooltip (g_object_get_data (G_OBJECT (row), "file"),
               winnow_ui_display_path (winnow_task_get_input_path (task)));
  set_text (g_object_get_data (G_OBJECT (row), "status"),
            winnow_task_get_id (task) != 0 ? winnow_ui_status_label (status) : NULL);
  set_progress (g_object_get_data (G_OBJECT (row), "bar"), task);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && parts[i][0] != '\0')
      g_string_append_printf (details, "%s%s", details->len > 0 ? " · " : "", parts[i]);
  set_text (g_object_get_data (G_OBJECT (row), "details"), details->str);
  name_row (row, task, table);
}

/* ---- binding ---- */

static const CellKind kinds[] = {
  { make_file, render_file },
  { make_status, render_status },
  { make_progress, render_progress },
  { make_number, render_rows },
  { make_created, render_created },
  { make_number, render_time },
  { make_compact, render_compact },
};
#define COMPACT 6

/* ---- drawing cells again ----
 *
 * A cell is drawn when it is bound and again when its task changes, not
 * at once but from one queue for every table. A GTK 4.8 list view keeps
 * the widgets of about 200 rows around the one it shows, and after a
 * filter, a sort or a jump every one of them shows another task: drawing
 * their 1,200 cells at once held the main loop 5-10 ms (history-bench).
 * So the queue is drawn a few milliseconds a turn, the cells in view
 * first (where the view laid them out last), before the next frame
 * (G_PRIORITY_HIGH_IDLE, above drawing), and the rest after it
 * (G_PRIORITY_DEFAULT_IDLE). Each frame, once laid out, draws the queued
 * cells then on screen before it paints (a scroll brings cells into
 * view that waited out of it). */

#define RENDER_BUDGET_US 3000

static GQueue render_queue = G_QUEUE_INIT;
static guint render_in_view_source;
static guint render_rest_source;

/* Is @binding's cell on screen (or a row away)? Where the view laid it
 * out last, as the rows of a list view keep their places when their tasks
 * change; a cell not laid out yet (its row just made) may be on screen. */
static gboolean
in_view (const Binding *binding)
{
  WinnowTaskTable *table = binding->table;
  GtkWidget *view = winnow_task_table_is_compact (table) ? GTK_WIDGET (table->compact_view)
                                                         : GTK_WIDGET (table->column_view);
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (binding->cell))
    return FALSE;
  if (gtk_widget_get_height (binding->cell) <= 0 ||
      !gtk_widget_compute_bounds (binding->cell, view, &bounds))
    return TRUE;
  return bounds.origin.y + 2 * bounds.size.height >= 0 &&
         bounds.origin.y - bounds.size.height <= gtk_widget_get_height (view);
}

/* Draws the queued cells (@in_view_only: those in view) until the budget
 * is spent. Returns whether such cells are left. */
static gboolean
render_queued (gboolean in_view_only)
{
  gint64 deadline = g_get_monotonic_time () + RENDER_BUDGET_US;
  guint drawn = 0;

  for (GList *l = render_queue.head, *next; l != NULL; l = next)
    {
      Binding *binding = l->data;

      next = l->next;
      if (!binding->ended && in_view_only && !in_view (binding))
        continue;
      g_queue_delete_link (&render_queue, l);
      if (binding->ended)
        {
          g_free (binding);
          continue;
        }
      binding->queued = FALSE;
      binding->kind->render (binding->cell, binding->task, binding->table);
      if (++drawn % 8 == 0 && g_get_monotonic_time () >= deadline)
        return TRUE;
    }
  return FALSE;
}

/* The idle of the cells in view (@data TRUE), which starts the other
 * one's when they are drawn, or of the rest. */
static gboolean
render_some (gpointer data)
{
  gboolean in_view_only = GPOINTER_TO_INT (data);

  if (render_queued (in_view_only))
    return G_SOURCE_CONTINUE;
  *(in_view_only ? &render_in_view_source : &render_rest_source) = 0;
  if (in_view_only && render_queue.length > 0 && render_rest_source == 0)
    render_rest_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, render_some,
                                          GINT_TO_POINTER (FALSE), NULL);
  return G_SOURCE_REMOVE;
}

/* The cells in view are drawn before the next frame. */
static void
render_in_view_soon (void)
{
  if (render_in_view_source == 0 && render_queue.length > 0)
    render_in_view_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, render_some,
                                             GINT_TO_POINTER (TRUE), NULL);
}

/* Each frame, once laid out (a scroll's new places too), the queued
 * cells on screen are drawn before the paint. */
static void
on_layout (GdkFrameClock *clock, WinnowTaskTable *table)
{
  if (render_queue.length > 0 && render_queued (TRUE))
    render_in_view_soon ();
}

static void
on_realize (GtkWidget *widget, WinnowTaskTable *table)
{
  table->layout_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  table->layout_handler = g_signal_connect_after (table->layout_clock, "layout",
                                                  G_CALLBACK (on_layout), table);
}

static void
on_unrealize (GtkWidget *widget, WinnowTaskTable *table)
{
  if (table->layout_clock != NULL)
    g_signal_handler_disconnect (table->layout_clock, table->layout_handler);
  table->layout_handler = 0;
  g_clear_object (&table->layout_clock);
}

static void
queue_render (Binding *binding)
{
  if (!binding->queued)
    {
      binding->queued = TRUE;
      g_queue_push_tail (&render_queue, binding);
    }
  /* a cell waiting out of view may have come into it */
  render_in_view_soon ();
}

/* For tests: the cells of @table waiting to be drawn (unowned). */
GPtrArray *
winnow_task_table_get_queued_cells (WinnowTaskTable *table)
{
  GPtrArray *cells = g_ptr_array_new ();

  for (GList *l = render_queue.head; l != NULL; l = l->next)
    {
      const Binding *binding = l->data;

      if (!binding->ended && binding->table == table)
        g_ptr_array_add (cells, binding->cell);
    }
  return cells;
}

/* For tests: the cells of @table waiting to be drawn, in view and not. */
void
winnow_task_table_count_queued_cells (WinnowTaskTable *table, guint *in_view_cells,
                                      guint *other_cells)
{
  *in_view_cells = *other_cells = 0;
  for (GList *l = render_queue.head; l != NULL; l = l->next)
    {
      const Binding *binding = l->data;

      if (binding->ended || binding->table != table)
        continue;
      if (in_view (binding))
        (*in_view_cells)++;
      else
        (*other_cells)++;
    }
}

/* A task changes a dozen properties at once (a row read for the first
 * time, a task finishing): its cells are drawn again once. */
static void
on_task_notify (WinnowTask *task, GParamSpec *pspec, Binding *binding)
{
  queue_render (binding);
}

static void
binding_free (gpointer data, GClosure *closure)
{
  Binding *binding = data;

  if (binding->queued)
    binding->ended = TRUE;
  else
    g_free (binding);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, const CellKind *kind)
{
  gtk_list_item_set_child (item, kind->make ());
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, const CellKind *kind)
{
  WinnowTask *task = gtk_list_item_get_item (item);
  Binding *binding = g_new0 (Binding, 1);
  gulong handler;

  binding->cell = gtk_list_item_get_child (item);
  binding->kind = kind;
  binding->table = g_object_get_data (G_OBJECT (factory), "table");
  binding->task = task;
  queue_render (binding);
  handler = g_signal_connect_data (task, "notify", G_CALLBACK (on_task_notify), binding,
                                   binding_free, 0);
  g_object_set_data (G_OBJECT (item), "winnow-handler", GSIZE_TO_POINTER (handler));
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, const CellKind *kind)
{
  WinnowTask *task = gtk_list_item_get_item (item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "winnow-handler"));

  if (task != NULL && handler != 0)
    g_signal_handler_disconnect (task, handler);
  g_object_set_data (G_OBJECT (item), "winnow-handler", NULL);
}

static GtkListItemFactory *
factory_new (WinnowTaskTable *self, const CellKind *kind)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "table", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) kind);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) kind);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) kind);
  return factory;
}

/* The table's columns, each sortable by a click on its header. */
void
_winnow_task_table_add_columns (WinnowTaskTable *self)
{
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), self);
  g_signal_connect (self, "unrealize", G_CALLBACK (on_unrealize), self);
  _winnow_task_table_append_column (self, _("File"), factory_new (self, &kinds[0]),
                                    WINNOW_TASK_SORT_FILE, TRUE, 150);
  _winnow_task_table_append_column (self, _("Status"), factory_new (self, &kinds[1]),
                                    WINNOW_TASK_SORT_STATUS, FALSE, 130);
  _winnow_task_table_append_column (self, _("Progress"), factory_new (self, &kinds[2]),
                                    WINNOW_TASK_SORT_PROGRESS, FALSE, 120);
  _winnow_task_table_append_column (self, _("Rows In → Out"), factory_new (self, &kinds[3]),
                                    WINNOW_TASK_SORT_ROWS_IN, FALSE, 200);
  _winnow_task_table_append_column (self, _("Created"), factory_new (self, &kinds[4]),
                                    WINNOW_TASK_SORT_CREATED, FALSE, 150);
  _winnow_task_table_append_column (self, _("Time"), factory_new (self, &kinds[5]),
                                    WINNOW_TASK_SORT_DURATION, FALSE, 170);
}

/* Returns: (transfer full): the narrow view's rows */
GtkListItemFactory *
_winnow_task_table_compact_factory (WinnowTaskTable *self)
{
  return factory_new (self, &kinds[COMPACT]);
}
