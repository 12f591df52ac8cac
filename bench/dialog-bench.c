/* dialog-bench.c: how long the configuration dialog takes to open on a
 * large file (issue goal: instantly, even on 5 GB): until it is on
 * screen, until its columns are listed (the worker read the header and
 * the first rows, profiled and cleaned them), and how long the sample
 * takes to clean again after a change.
 *
 * usage: xvfb-run -a dialog-bench FILE.csv
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "winnow-application.h"
#include "winnow-recipe-editor.h"
#include "winnow-task-dialog-private.h"
#include "winnow-window-private.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
wait_settled (WinnowTaskDialog *dialog)
{
  while (winnow_task_dialog_is_busy (dialog))
    g_main_context_iteration (NULL, TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr(WinnowApplication) app = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GFileInfo) info = NULL;
  WinnowTaskDialog *dialog;
  WinnowWindow *window;
  double start;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s FILE.csv   (under xvfb-run -a)\n", argv[0]);
      return 2;
    }
  gtk_init ();
  adw_init ();
  dir = g_dir_make_tmp ("dialog-bench-XXXXXX", NULL);
  db = g_build_filename (dir, "history.db", NULL);
  app = winnow_application_new (G_APPLICATION_NON_UNIQUE);
  winnow_application_set_store_path (app, db);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;
  window = winnow_application_get_window (app);
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[1]));
  info = g_file_query_info (g_ptr_array_index (files, 0), G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  printf ("file: %s (%.2f GB)\n", argv[1],
          info != NULL ? g_file_info_get_size (info) / 1e9 : 0.0);

  start = now_ms ();
  winnow_window_add_files (window, files);
  dialog = winnow_window_get_task_dialog (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (dialog)))
    g_main_context_iteration (NULL, TRUE);
  printf ("%-40s %8.1f ms\n", "dialog on screen", now_ms () - start);
  wait_settled (dialog);
  printf ("%-40s %8.1f ms\n", "columns listed, forecast shown", now_ms () - start);
  printf ("  %s\n", winnow_task_dialog_get_forecast (dialog));

  start = now_ms ();
  gtk_switch_set_active (GTK_SWITCH (winnow_recipe_editor_get_child (
    winnow_task_dialog_get_editor (dialog), "trim_switch")), TRUE);
  wait_settled (dialog);
  printf ("%-40s %8.1f ms  (150 ms of it waits for more changes)\n",
          "forecast after a change (trim)", now_ms () - start);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_unlink (db);
  g_rmdir (dir);
  return 0;
}
