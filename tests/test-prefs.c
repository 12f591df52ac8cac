/* test-prefs.c: the Preferences window, About and the Keyboard Shortcuts
 * window, driven through the actions and controls a user would use, on
 * a temporary task database and recipe folder. Runs under Xvfb, one test
 * per process, like test-ui.c. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "winnow-about.h"
#include "winnow-application.h"
#include "winnow-csv-reader.h"
#include "winnow-preferences-private.h"
#include "winnow-test-util.h"
#include "winnow-ui-test-util.h"
#include "winnow-window.h"

typedef struct {
  WinnowTestDir dir;
  WinnowApplication *app;
  WinnowWindow *window;
  GSettings *settings;
  WinnowRecipeLibrary *recipes;
  WinnowScheduler *scheduler;
  guint n_finished;
} Fixture;

static void
on_finished (WinnowScheduler *scheduler, WinnowTask *task, Fixture *f)
{
  f->n_finished++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  winnow_test_dir_setup (&f->dir, NULL);
  f->app = winnow_ui_test_app_new (f->dir.dir);
  f->window = winnow_application_get_window (f->app);
  f->settings = winnow_application_get_settings (f->app);
  f->recipes = winnow_application_get_recipes (f->app);
  f->scheduler = winnow_application_get_scheduler (f->app);
  g_signal_connect (f->scheduler, "task-finished", G_CALLBACK (on_finished), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (f->scheduler, f);
  winnow_ui_test_app_free (f->app);
  winnow_test_dir_teardown (&f->dir, NULL);
}

static void
assert_key (Fixture *f, const char *key, const char *expected)
{
  g_autofree char *value = g_settings_get_string (f->settings, key);
  g_assert_cmpstr (value, ==, expected);
}

typedef struct {
  gboolean (*done) (Fixture *, gconstpointer);
  Fixture *f;
  gconstpointer data;
} Condition;

static gboolean
condition_met (gpointer data)
{
  Condition *c = data;
  return c->done (c->f, c->data);
}

/* Iterates the main context until @done, failing after @seconds. */
static void
iterate_until (gboolean (*done) (Fixture *, gconstpointer), Fixture *f, gconstpointer data,
               guint seconds)
{
  Condition c = { done, f, data };
  winnow_test_iterate_until (condition_met, &c, seconds);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* GTK's own */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;  /* GTK keeps it */
    }
  return NULL;
}

/* What Ctrl+comma and the menu do. */
static WinnowPreferences *
open_preferences (Fixture *f)
{
  GtkWindow *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  prefs = find_toplevel (WINNOW_TYPE_PREFERENCES);
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (f->window));
  return WINNOW_PREFERENCES (prefs);
}

static gboolean
workers_are (Fixture *f, gconstpointer n)
{
  return winnow_scheduler_get_n_workers (f->scheduler) == GPOINTER_TO_UINT (n);
}

static void
test_jobs (Fixture *f, gconstpointer data)
{
  WinnowPreferences *prefs = open_preferences (f);
  GtkSpinButton *spin = winnow_preferences_get_jobs_spin (prefs);
  GtkSwitch *automatic = winnow_preferences_get_auto_jobs_switch (prefs);
  GtkWidget *spin_row = gtk_widget_get_ancestor (GTK_WIDGET (spin), ADW_TYPE_ACTION_ROW);
  g_autofree char *cores = g_strdup_printf ("(%u on this computer)", g_get_num_processors ());
  guint other = g_get_num_processors () == 3 ? 5 : 3;

  /* the default (the setting's 0) is Automatic, one per core, and the
   * row says how many that is; the number is not to be set then */
  g_assert_true (gtk_switch_get_active (automatic));
  g_assert_false (gtk_widget_get_sensitive (spin_row));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, g_get_num_processors ());
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
    gtk_widget_get_ancestor (GTK_WIDGET (automatic), ADW_TYPE_ACTION_ROW))), cores));

  /* Automatic off: the number counts */
  gtk_switch_set_active (automatic, FALSE);
  g_assert_true (gtk_widget_get_sensitive (spin_row));
  g_assert_cmpint (g_settings_get_int (f->settings, "jobs"), ==, g_get_num_processors ());
  gtk_spin_button_set_value (spin, other);
  g_assert_cmpint (g_settings_get_int (f->settings, "jobs"), ==, other);
  iterate_until (workers_are, f, GUINT_TO_POINTER (other), 5);

  gtk_switch_set_active (automatic, TRUE);
  g_assert_cmpint (g_settings_get_int (f->settings, "jobs"), ==, 0);
  iterate_until (workers_are, f, GUINT_TO_POINTER (g_get_num_processors ()), 5);

  /* and a change made elsewhere shows in the switch and the spin button */
  g_settings_set_int (f->settings, "jobs", 7);
  g_assert_false (gtk_switch_get_active (automatic));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 7);
}

static void
save_recipe (Fixture *f, const char *name, gboolean trim)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
  g_autoptr(GError) error = NULL;

  recipe->trim_whitespace = trim;
  winnow_recipe_library_save (f->recipes, name, recipe, &error);
  g_assert_no_error (error);
}

static const char *
choice (AdwComboRow *row, guint i)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (adw_combo_row_get_model (row), i);
  return item ? g_intern_string (gtk_string_object_get_string (item)) : NULL;
}

static void
test_default_recipe (Fixture *f, gconstpointer data)
{
  WinnowPreferences *prefs = open_preferences (f);
  AdwComboRow *row = winnow_preferences_get_default_recipe_row (prefs);
  g_autoptr(WinnowRecipe) builtin = NULL;
  g_autoptr(WinnowRecipe) chosen = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, 1);
  g_assert_cmpstr (choice (row, 0), ==, "Built-in");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  /* saved while the window is open */
  save_recipe (f, "Trim first", TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, 2);
  g_assert_cmpstr (choice (row, 1), ==, "Trim first");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  assert_key (f, "default-recipe", "");

  builtin = winnow_application_get_default_recipe (f->app);
  g_assert_false (builtin->trim_whitespace);

  adw_combo_row_set_selected (row, 1);
  assert_key (f, "default-recipe", "Trim first");
  chosen = winnow_application_get_default_recipe (f->app);
  g_assert_true (chosen->trim_whitespace);

  /* a name sorted before it keeps the choice on the same recipe */
  save_recipe (f, "Another", FALSE);
  g_assert_cmpstr (choice (row, 1), ==, "Another");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 2);
  assert_key (f, "default-recipe", "Trim first");

  /* back to the built-in one from elsewhere */
  g_settings_set_string (f->settings, "default-recipe", "");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
}

static void
test_output_folder (Fixture *f, gconstpointer data)
{
  WinnowPreferences *prefs = open_preferences (f);
  AdwActionRow *row = winnow_preferences_get_output_row (prefs);
  g_autoptr(GFile) folder = g_file_new_for_path (f->dir.dir);
  g_autoptr(GFile) remote = g_file_new_for_uri ("sftp://example.org/data");
  g_autofree char *display = g_filename_display_name (f->dir.dir);

  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Beside each input file");

  /* what the folder chooser does with its answer */
  winnow_preferences_set_output_folder (prefs, folder);
  assert_key (f, "output-folder", f->dir.dir);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, display);

  /* a folder with no local path is refused and said so */
  winnow_preferences_set_output_folder (prefs, remote);
  assert_key (f, "output-folder", f->dir.dir);
  g_assert_nonnull (winnow_preferences_get_last_toast (prefs));
  g_assert_nonnull (strstr (adw_toast_get_title (winnow_preferences_get_last_toast (prefs)),
                            "sftp://example.org/data"));

  /* the reset button */
  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.reset-output-folder", NULL);
  assert_key (f, "output-folder", "");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Beside each input file");
}

/* The first button in @widget's tree that activates @action. */
static GtkWidget *
find_button (GtkWidget *widget, const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;
  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static void
test_delete_recipe (Fixture *f, gconstpointer data)
{
  WinnowPreferences *prefs;
  GtkListBox *list;
  AdwComboRow *combo;
  GtkWidget *button;
  g_auto(GStrv) left = NULL;
  g_auto(GStrv) restored = NULL;
  AdwToast *toast;

  save_recipe (f, "Keep", FALSE);
  save_recipe (f, "Tidy", TRUE);
  g_settings_set_string (f->settings, "default-recipe", "Tidy");
  prefs = open_preferences (f);
  list = winnow_preferences_get_recipe_list (prefs);
  combo = winnow_preferences_get_default_recipe_row (prefs);
  g_assert_cmpuint (n_rows (list), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 2);

  /* the delete button of the second row, "Tidy", the default */
  button = find_button (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 1)),
                        "prefs.delete-recipe");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  left = winnow_recipe_library_list (f->recipes);
  g_assert_cmpstrv (left, ((const char *[]) { "Keep", NULL }));
  g_assert_cmpuint (n_rows (list), ==, 1);
  assert_key (f, "default-recipe", "");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 0);

  /* the toast's Undo puts back the recipe and the default */
  toast = winnow_preferences_get_last_toast (prefs);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "“Tidy” deleted");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "prefs.undo-delete-recipe");
  gtk_widget_activate_action_variant (GTK_WIDGET (prefs), adw_toast_get_action_name (toast),
                                      adw_toast_get_action_target_value (toast));
  restored = winnow_recipe_library_list (f->recipes);
  g_assert_cmpstrv (restored, ((const char *[]) { "Keep", "Tidy", NULL }));
  assert_key (f, "default-recipe", "Tidy");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 2);
  g_assert_cmpuint (n_rows (list), ==, 2);
  {
    g_autoptr(WinnowRecipe) recipe = winnow_application_get_default_recipe (f->app);
    g_assert_true (recipe->trim_whitespace);
  }

  /* deleting one that is not the default leaves the default alone */
  gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.delete-recipe", "s", "Keep");
  assert_key (f, "default-recipe", "Tidy");
  g_assert_cmpuint (n_rows (list), ==, 1);
}

static gboolean
finished_two (Fixture *f, gconstpointer data)
{
  return f->n_finished >= 2;
}

static void
debug_info_gathered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  *(char **) data = winnow_about_debug_info_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
have_info (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_debug_info (Fixture *f, gconstpointer data)
{
  WinnowTaskStore *store = winnow_application_get_store (f->app);
  g_autofree char *good = winnow_test_write_file (f->dir.dir, "good.csv", "a,b\n1,2\n1,2\n", -1);
  g_autofree char *missing = g_build_filename (f->dir.dir, "missing.csv", NULL);
  g_autofree char *out1 = g_build_filename (f->dir.dir, "good.out.csv", NULL);
  g_autofree char *out2 = g_build_filename (f->dir.dir, "missing.out.csv", NULL);
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
  g_autofree char *json = winnow_recipe_to_json (recipe);
  g_autofree char *gtk = g_strdup_printf ("GTK %u.%u.%u\n", gtk_get_major_version (),
                                          gtk_get_minor_version (), gtk_get_micro_version ());
  g_autofree char *libcsv = g_strdup_printf ("libcsv %s\n", winnow_csv_reader_libcsv_version ());
  g_autofree char *db = g_strdup_printf ("Database: %s\n", winnow_task_store_get_path (store));
  g_autofree char *workers = g_strdup_printf ("Workers: %u\n",
                                              winnow_scheduler_get_n_workers (f->scheduler));
  g_autofree char *info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) t1 = NULL;
  g_autoptr(WinnowTask) t2 = NULL;

  t1 = winnow_ui_test_add_task (f->app, good, out1, json);
  t2 = winnow_ui_test_add_task (f->app, missing, out2, json);
  iterate_until (finished_two, f, NULL, 60);

  winnow_about_debug_info_async (f->app, debug_info_gathered, &info);
  winnow_test_iterate_until (have_info, &info, 30);
  g_test_message ("%s", info);
  g_assert_true (g_str_has_prefix (info, "Winnow " PACKAGE_VERSION "\n"));
  g_assert_nonnull (strstr (info, gtk));
  g_assert_nonnull (strstr (info, "libadwaita "));
  g_assert_nonnull (strstr (info, "SQLite 3."));
  g_assert_nonnull (strstr (info, libcsv));
  g_assert_nonnull (strstr (info, db));
  g_assert_nonnull (strstr (info, "Integrity check: ok\n"));
  g_assert_nonnull (strstr (info, "Tasks: 0 pending, 0 processing, 1 completed, 1 failed, "
                                  "0 cancelled\n"));
  g_assert_nonnull (strstr (info, workers));
}

static gboolean
debug_info_filled (gpointer data)
{
  return strstr (adw_about_window_get_debug_info (data), "Integrity check") != NULL;
}

static void
test_about_window (Fixture *f, gconstpointer data)
{
  AdwAboutWindow *about;
  WinnowTaskStore *store = winnow_application_get_store (f->app);
  g_autofree char *db = g_strdup_printf ("Database: %s\n", winnow_task_store_get_path (store));

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  about = ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (f->window));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Winnow");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_debug_info_filename (about), ==, "winnow-debug-info.txt");
  /* the health check runs on a worker thread and fills it in */
  winnow_test_iterate_until (debug_info_filled, about, 30);
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), db));
  /* the main window stays the app's window for files opened meanwhile */
  g_assert_true (winnow_application_get_window (f->app) == f->window);
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
test_shortcuts (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  g_auto(GStrv) accels = NULL;
  g_autoptr(GError) error = NULL;
  GObject *overlay;

  bytes = g_resources_lookup_data ("/io/github/winnow/Winnow/winnow-shortcuts.ui",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  builder = gtk_builder_new_from_resource ("/io/github/winnow/Winnow/winnow-shortcuts.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  /* every line shows its keys (an action-name alone shows empty key
   * caps in a window built on its own), and the keys people look for
   * are there */
  {
    g_autoptr(GSList) objects = gtk_builder_get_objects (builder);
    g_autoptr(GString) all = g_string_new (NULL);

    for (GSList *l = objects; l != NULL; l = l->next)
      if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        {
          g_autofree char *accelerator = NULL;
          g_autofree char *title = NULL;

          g_object_get (l->data, "accelerator", &accelerator, "title", &title, NULL);
          g_assert_nonnull (accelerator);
          g_assert_cmpstr (accelerator, !=, "");
          g_string_append_printf (all, "%s=%s;", title, accelerator);
        }
    g_assert_nonnull (strstr (all->str, "Preferences=<Control>comma;"));
    g_assert_nonnull (strstr (all->str, "Quit=<Control>q;"));
    g_assert_nonnull (strstr (all->str, "Search file names=<Control>f;"));
    g_assert_nonnull (strstr (all->str, "Clean=<Control>Return;"));
  }
  gtk_window_destroy (GTK_WINDOW (overlay));

  /* Ctrl+? opens it over the window */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "shortcuts"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.shortcuts");
  g_assert_cmpstrv (accels, ((const char *[]) { "<Control>question", NULL }));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.preferences");
  g_assert_cmpstrv (accels, ((const char *[]) { "<Control>comma", NULL }));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "preferences"));
}

int
main (int argc, char **argv)
{
  winnow_ui_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/prefs/jobs", test_jobs);
  ADD ("/prefs/default-recipe", test_default_recipe);
  ADD ("/prefs/output-folder", test_output_folder);
  ADD ("/prefs/delete-recipe", test_delete_recipe);
  ADD ("/prefs/debug-info", test_debug_info);
  ADD ("/prefs/about-window", test_about_window);
  ADD ("/prefs/shortcuts", test_shortcuts);
#undef ADD

  return g_test_run ();
}
