/* ui-bench.c: times the task list window over a large store (issue goal:
 * 100,000 tasks scroll smoothly and filter instantly).  Each time runs
 * from the change until the main loop has nothing left to do, so it
 * covers the store queries, the list model and GTK's widget work.
 *
 * usage: store-bench DB && xvfb-run -a ui-bench DB
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "winnow-application.h"
#include "winnow-task-table-private.h"
#include "winnow-window-private.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
report (const char *what, double start, GListModel *rows)
{
  printf ("%-34s %8.1f ms  (%u rows)\n", what, now_ms () - start, g_list_model_get_n_items (rows));
}

int
main (int argc, char **argv)
{
  g_autoptr(WinnowApplication) app = NULL;
  WinnowWindow *window;
  WinnowTaskTable *table;
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) file_column = NULL;
  GListModel *rows;
  GtkAdjustment *adjustment;
  double start;

  if (argc != 2 || argv[1][0] == '-')
    {
      fprintf (stderr, "usage: %s DB   (fill DB first with store-bench DB)\n", argv[0]);
      return 2;
    }
  gtk_init ();
  adw_init ();
  start = now_ms ();
  app = winnow_application_new (G_APPLICATION_NON_UNIQUE);
  winnow_application_set_store_path (app, argv[1]);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;
  window = winnow_application_get_window (app);
  gtk_window_present (GTK_WINDOW (window));
  settle ();
  table = WINNOW_TASK_TABLE (winnow_window_get_table (window));
  rows = G_LIST_MODEL (winnow_task_table_get_selection (table));
  report ("window shown", start, rows);

  start = now_ms ();
  winnow_task_table_set_filter (table, 0, "orders_1");
  settle ();
  report ("name contains orders_1", start, rows);

  start = now_ms ();
  winnow_task_table_set_filter (table, 1u << WINNOW_TASK_FAILED, NULL);
  settle ();
  report ("status failed", start, rows);

  start = now_ms ();
  winnow_task_table_set_filter (table, 0, NULL);
  settle ();
  report ("filters cleared", start, rows);

  view = winnow_task_table_get_column_view (table);
  file_column = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  start = now_ms ();
  gtk_column_view_sort_by_column (view, file_column, GTK_SORT_ASCENDING);
  settle ();
  report ("sorted by file", start, rows);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  start = now_ms ();
  for (guint i = 1; i <= 50; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * i / 51);
      settle ();
    }
  printf ("%-34s %8.1f ms  (each)\n", "scroll 1/51 of the list, 50 times", (now_ms () - start) / 50);
  start = now_ms ();
  for (guint i = 0; i < 200; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 30);
      settle ();
    }
  printf ("%-34s %8.1f ms  (each)\n", "scroll 30 px, 200 times", (now_ms () - start) / 200);

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  return 0;
}
