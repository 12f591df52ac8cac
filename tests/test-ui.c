/* test-ui.c: the window's task list, driven as a user would through the
 * code paths its controls use: files dropped or opened and cleaned to the
 * end, the list filtered and sorted, and the cells on screen drawn first
 * (cancel, delete, undo and the history busy: test-ui-history.c; toasts,
 * progress and notifications: test-ui-feedback.c; the task page:
 * test-task-page.c; narrow widths and keys: test-ui-reach.c). Runs under
 * Xvfb, one test per process (meson runs each path alone): an application
 * stays registered on the session bus until its process ends. */
#include "config.h"

#include "test-ui-fixture.h"
#include "winnow-task-dialog-private.h"

static void
test_empty_then_drop (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) dropped = NULL;
  GtkStack *list_stack = GTK_STACK (gtk_widget_get_parent (winnow_window_get_table (f->window)));
  AdwToast *toast;

  write_csv (f, "customers.csv", "id,name\n1,Ana\n1,Ana\n2,\n");
  write_csv (f, "orders.tsv", "id\tqty\n1\t3\n");
  write_csv (f, "notes.txt", "not a table\n");

  /* at first, once the history is read, the invitation to drop */
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");

  /* what the drop target hands over */
  dropped = files (f, "customers.csv", "orders.tsv", "notes.txt", NULL);
  g_assert_cmpuint (winnow_window_add_files (f->window, dropped), ==, 2);
  toast = winnow_window_get_last_toast (f->window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "“notes.txt” is not a CSV file");
  /* one dialog for both; nothing runs until it is confirmed */
  g_assert_nonnull (winnow_window_get_task_dialog (f->window));
  g_assert_cmpuint (winnow_task_dialog_get_n_files (winnow_window_get_task_dialog (f->window)),
                    ==, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");
  press_clean (f);

  settle (f, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "tasks");
  g_assert_true (list_settled (f));
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (winnow_task_get_status (row (f, i)), ==, WINNOW_TASK_COMPLETED);
  /* newest first */
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "orders.tsv");
  g_assert_cmpint (winnow_task_get_rows_in (row (f, 1)), ==, 3);
  g_assert_cmpint (winnow_task_get_rows_out (row (f, 1)), ==, 2);
  g_assert_true (g_file_test (winnow_task_get_output_path (row (f, 1)), G_FILE_TEST_EXISTS));
  /* the last toast says what happened: two tasks, one toast */
  toast = winnow_window_get_last_toast (f->window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "2 files cleaned");
}

static void
test_open_two_files (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) list = NULL;

  write_csv (f, "a.csv", "x\n1\n");
  write_csv (f, "b.csv", "x\n2\n");
  list = files (f, "a.csv", "b.csv", NULL);
  /* `winnow a.csv b.csv`, or "Open With" from the file manager */
  g_application_open (G_APPLICATION (f->app), (GFile **) list->pdata, 2, "");
  press_clean (f);
  settle (f, 2);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 2);
}

/* The views' row objects (winnow-task-rows.c) show, at each place, the
 * task the list has there. */
static void
assert_views_agree (Fixture *f)
{
  GListModel *shown = G_LIST_MODEL (winnow_task_table_get_selection (table (f)));

  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, g_list_model_get_n_items (rows (f)));
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(WinnowTask) view_row = g_list_model_get_item (shown, i);

      g_assert_true (view_row != row (f, i));
      g_assert_cmpint (winnow_task_get_id (view_row), ==, winnow_task_get_id (row (f, i)));
      g_assert_cmpstr (winnow_task_get_file_name (view_row), ==, winnow_task_get_file_name (row (f, i)));
      g_assert_cmpint (winnow_task_get_status (view_row), ==, winnow_task_get_status (row (f, i)));
    }
}

static void
test_filter_and_sort (Fixture *f, gconstpointer data)
{
  GtkColumnView *view = winnow_task_table_get_column_view (table (f));
  g_autoptr(GtkColumnViewColumn) file_column = NULL;
  g_autoptr(WinnowTask) first_row = NULL;
  g_autoptr(GPtrArray) held = NULL;

  clean_csvs (f, "zebra.csv", "x\n1\n", "apple.csv", "x\n1\n", "broken.csv", "x,y\n1,\"open\n",
              NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 3);

  assert_views_agree (f);

  /* by status; a new filter drops the selection */
  g_assert_cmpstr (adw_window_title_get_subtitle (f->window->window_title), ==, "3 tasks");
  /* place 0 stays (3 rows become 1): only the reset drops it */
  gtk_single_selection_set_selected (winnow_task_table_get_selection (table (f)), 0);
  winnow_task_table_set_filter (table (f), 1u << WINNOW_TASK_FAILED, NULL);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);
  g_assert_cmpuint (gtk_single_selection_get_selected (winnow_task_table_get_selection (table (f))), ==,
                    GTK_INVALID_LIST_POSITION);
  assert_views_agree (f);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "broken.csv");
  /* the subtitle follows the filter (issue 16, item 8) */
  g_assert_cmpstr (adw_window_title_get_subtitle (f->window->window_title), ==, "1 of 3 tasks");
  g_assert_cmpstr (winnow_task_get_error (row (f, 0)), ==, "line 2: a quote is opened but never closed");
  /* by name, case aside */
  winnow_task_table_set_filter (table (f), 0, "ZEB");
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "zebra.csv");
  /* nothing matches: the list says so */
  winnow_task_table_set_filter (table (f), 1u << WINNOW_TASK_CANCELLED, NULL);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  winnow_task_table_set_filter (table (f), 0, NULL);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 3);

  assert_views_agree (f);

  /* a click on the File header sorts by name; the views keep their row
   * objects, which now show other tasks (rebound, not made again) */
  held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (winnow_task_table_get_selection (table (f))), i));
  first_row = g_object_ref (g_ptr_array_index (held, 0));
  file_column = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  gtk_column_view_sort_by_column (view, file_column, GTK_SORT_ASCENDING);
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "apple.csv");
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 2)), ==, "zebra.csv");
  assert_views_agree (f);
  {
    g_autoptr(WinnowTask) now_first =
      g_list_model_get_item (G_LIST_MODEL (winnow_task_table_get_selection (table (f))), 0);
    g_assert_true (now_first == first_row);
    g_assert_cmpstr (winnow_task_get_file_name (first_row), ==, "apple.csv");
    /* every row held shows the task now at its place */
    for (guint i = 0; i < 3; i++)
      g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (held, i)), ==,
                       winnow_task_get_id (row (f, i)));
  }
  gtk_column_view_sort_by_column (view, file_column, GTK_SORT_DESCENDING);
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "zebra.csv");
  assert_views_agree (f);
}

/* Queued cells of the table that are on screen, where the view laid them
 * out last. */
static guint
queued_on_screen (Fixture *f)
{
  GtkWidget *view = GTK_WIDGET (winnow_task_table_get_column_view (table (f)));
  g_autoptr(GPtrArray) cells = winnow_task_table_get_queued_cells (table (f));
  guint n = 0;

  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);
      graphene_rect_t bounds;

      if (gtk_widget_get_mapped (cell) && gtk_widget_compute_bounds (cell, view, &bounds) &&
          bounds.size.height > 0 && bounds.origin.y + bounds.size.height > 0 &&
          bounds.origin.y < gtk_widget_get_height (view))
        n++;
    }
  return n;
}

typedef struct {
  Fixture *f;
  gboolean others;      /* cells out of view must be waiting then */
  gboolean in_view;     /* cells in view waited since the change */
  gboolean checked;
} CellsSeen;

/* After each turn: once the cells in view are drawn (before any frame),
 * none on screen waits, and (@others) others still do. */
static gboolean
in_view_drawn_first (gpointer data)
{
  CellsSeen *seen = data;
  guint in_view, other;

  keep_drawing (seen->f);
  winnow_task_table_count_queued_cells (table (seen->f), &in_view, &other);
  if (in_view > 0)
    seen->in_view = TRUE;
  if (seen->in_view && in_view == 0)
    {
      g_assert_cmpuint (queued_on_screen (seen->f), ==, 0);
      /* the cells out of view are drawn after a frame, in a later turn */
      if (seen->others)
        g_assert_cmpuint (other, >, 0);
      seen->checked = TRUE;
    }
  return seen->checked;
}

/* At each frame, laid out: no cell on screen still waits to be drawn (it
 * would show the task it showed before). */
static void
on_paint (GdkFrameClock *clock, Fixture *f)
{
  guint *stale = g_object_get_data (G_OBJECT (f->window), "test-stale");

  *stale += queued_on_screen (f);
}

/* A sort makes every row show another task, a filter fewer: the cells in
 * view are drawn first, before any frame, then the ones around them that
 * the view keeps out of sight (winnow-task-table-cells.c). */
static void
test_cells_in_view_first (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  GtkColumnView *view = winnow_task_table_get_column_view (table (f));
  GdkFrameClock *clock = NULL;
  g_autoptr(GtkColumnViewColumn) file_column = NULL;
  CellsSeen sorted = { f, TRUE, FALSE, FALSE }, filtered = { f, FALSE, FALSE, FALSE };
  guint stale = 0;
  gulong handler;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 500);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%02u.csv", i);
      g_autofree char *path = g_build_filename (f->dir.dir, name, NULL);

      write_csv (f, name, "x\n1\n");
      g_ptr_array_add (list, g_file_new_for_path (path));
    }
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 60);
  iterate_until (cells_drawn, f, 30);
  g_assert_false (winnow_task_table_is_compact (table (f)));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  g_assert_nonnull (clock);
  g_object_set_data (G_OBJECT (f->window), "test-stale", &stale);
  handler = g_signal_connect (clock, "paint", G_CALLBACK (on_paint), f);

  /* the newest first, so by name from the first it is the other way round */
  file_column = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  gtk_column_view_sort_by_column (view, file_column, GTK_SORT_ASCENDING);
  iterate_until (in_view_drawn_first, &sorted, 30);
  /* scrolled before the others are drawn: those the scroll brings on
   * screen are drawn before a frame shows them */
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_page_size (adjustment));
  }
  iterate_until (cells_drawn, f, 30);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "f00.csv");

  /* 60 rows to 10: the rows on screen stay where they were, showing
   * other tasks (a guess of their places from the scroll bar's length,
   * which follows later, judged most of them out of view) */
  winnow_task_table_set_filter (table (f), 0, "f1");
  iterate_until (in_view_drawn_first, &filtered, 30);
  winnow_ui_test_settle (f->app);
  iterate_until (cells_drawn, f, 30);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 10);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "f10.csv");

  g_signal_handler_disconnect (clock, handler);
  g_assert_cmpuint (stale, ==, 0);
}

int
main (int argc, char **argv)
{
  /* drawn by the CPU, as under the sanitizers: with Mesa's software GL
   * behind Xvfb a window drew a few frames a second, too few for
   * /ui/cells-in-view-first to look at */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/ui/empty-then-drop", test_empty_then_drop);
  ADD ("/ui/open-two-files", test_open_two_files);
  ADD ("/ui/filter-and-sort", test_filter_and_sort);
  ADD ("/ui/cells-in-view-first", test_cells_in_view_first);
#undef ADD

  return g_test_run ();
}
