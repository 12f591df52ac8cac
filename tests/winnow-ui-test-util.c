/* winnow-ui-test-util.c: see winnow-ui-test-util.h. */
#include "config.h"

#include "winnow-ui-test-util.h"

#include <stdlib.h>

#include "winnow-history-call.h"
#include "winnow-task-list-private.h"
#include "winnow-task-page-private.h"
#include "winnow-toast.h"
#include "winnow-window-private.h"

/* GTK's test set-up, after checking there is a display (xvfb-run). */
void
winnow_ui_test_init (int *argc, char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("%s needs a display: run the tests under xvfb-run (build-aux/test.sh does)\n",
                  (*argv)[0]);
      exit (1);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/**
 * winnow_ui_test_app_new:
 * @dir: the test's folder: the history and saved recipes go there
 *
 * Returns: (transfer full): the application, registered, its window shown
 */
WinnowApplication *
winnow_ui_test_app_new (const char *dir)
{
  g_autofree char *db = g_build_filename (dir, "history.db", NULL);
  g_autofree char *recipes = g_build_filename (dir, "recipes", NULL);
  WinnowApplication *app = winnow_application_new (G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;

  winnow_application_set_store_path (app, db);
  winnow_application_set_recipes_dir (app, recipes);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* no notification server under Xvfb: GIO would warn, and warnings are
   * fatal here; the toasts say the same */
  g_settings_set_boolean (winnow_application_get_settings (app), "notifications", FALSE);
  gtk_window_present (GTK_WINDOW (winnow_application_get_window (app)));
  return app;
}

static gboolean
no_call_pending (gpointer data)
{
  return winnow_history_get_n_pending () == 0;
}

/* Closes every window, cancels what runs, and drops @app. */
void
winnow_ui_test_app_free (WinnowApplication *app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  /* what closing the window did to the history, as the app's shutdown
   * waits for it */
  winnow_test_iterate_until (no_call_pending, NULL, 60);
  winnow_scheduler_shutdown (winnow_application_get_scheduler (app), WINNOW_SHUTDOWN_CANCEL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
}

typedef struct {
  WinnowApplication *app;
  gint64 id;
  const char *input;
  const char *output;
  const char *recipe;
} Call;

static gpointer
get_in_thread (gpointer data)
{
  Call *call = data;
  return winnow_task_store_get (winnow_application_get_store (call->app), call->id, NULL);
}

/* Task @id as the history has it now, or %NULL. */
WinnowTask *
winnow_ui_test_get_task (WinnowApplication *app, gint64 id)
{
  Call call = { .app = app, .id = id };
  return g_thread_join (g_thread_new ("test-store", get_in_thread, &call));
}

static gpointer
add_in_thread (gpointer data)
{
  Call *call = data;
  g_autoptr(GError) error = NULL;
  WinnowTask *task = winnow_scheduler_add (winnow_application_get_scheduler (call->app),
                                           call->input, call->output, call->recipe, FALSE, &error);
  g_assert_no_error (error);
  return task;
}

/* Adds a task through the application's scheduler. */
WinnowTask *
winnow_ui_test_add_task (WinnowApplication *app, const char *input, const char *output,
                         const char *recipe_json)
{
  Call call = { .app = app, .input = input, .output = output, .recipe = recipe_json };
  return g_thread_join (g_thread_new ("test-store", add_in_thread, &call));
}

static gboolean
list_settled (gpointer data)
{
  WinnowWindow *window = winnow_application_get_window (data);
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (window));

  return winnow_history_get_n_pending () == 0 && winnow_toast_get_n_pending () == 0 &&
         !winnow_task_list_is_busy (winnow_window_get_list (window)) &&
         (winnow_task_page_get_task (page) == NULL || winnow_task_page_is_ready (page));
}

/* Waits until what the window asked of the history is done: its list
 * read, its task page shown, the user's actions recorded. */
void
winnow_ui_test_settle (WinnowApplication *app)
{
  winnow_test_iterate_until (list_settled, app, 30);
}
