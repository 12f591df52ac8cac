/* test-dialog-recipes.c: the configuration dialog's recipes kept and
 * carried elsewhere: saved and loaded again as the default, exported for
 * `winnow --batch` (the same output) and as code (saved and copied), and
 * a finished task's recipe opened again to run. Runs under Xvfb, one test
 * per process like test-ui.c. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-dialog-fixture.h"
#include "winnow-task-list-private.h"

/* ---- saved and exported recipes ---- */

static void
test_save_and_load (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_csv_path (f, "people.csv", PEOPLE);
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  WinnowRecipeLibrary *library = winnow_application_get_recipes (f->app);
  g_autoptr(WinnowRecipe) saved = NULL;
  g_autoptr(WinnowRecipe) chosen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *default_name = NULL;
  AdwComboRow *recipe_row;

  gtk_switch_set_active (GTK_SWITCH (control (dialog, "trim_switch")), TRUE);
  adw_combo_row_set_selected (winnow_recipe_editor_get_fill_row (editor (dialog), "age"),
                              WINNOW_FILL_CHOICE_MEAN);
  dialog_settle (dialog);
  g_assert_true (winnow_task_dialog_save_recipe (dialog, "Weekly export", TRUE, &error));
  g_assert_no_error (error);

  /* the file holds exactly what the dialog showed */
  saved = winnow_recipe_library_load (library, "Weekly export", &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (saved, winnow_recipe_editor_get_recipe (editor (dialog))));
  default_name = g_settings_get_string (winnow_application_get_settings (f->app), "default-recipe");
  g_assert_cmpstr (default_name, ==, "Weekly export");
  recipe_row = ADW_COMBO_ROW (winnow_task_dialog_get_child (dialog, "recipe_row"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (recipe_row)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (recipe_row), ==, 1);

  /* back to the built-in recipe, then the saved one again */
  winnow_task_dialog_select_recipe (dialog, NULL);
  dialog_settle (dialog);
  chosen = winnow_recipe_new_default ();
  g_assert_true (winnow_recipe_equal (chosen, winnow_recipe_editor_get_recipe (editor (dialog))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control (dialog, "trim_switch"))));
  winnow_task_dialog_select_recipe (dialog, "Weekly export");
  dialog_settle (dialog);
  g_assert_true (winnow_recipe_equal (saved, winnow_recipe_editor_get_recipe (editor (dialog))));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (control (dialog, "trim_switch"))));
  g_assert_cmpuint (adw_combo_row_get_selected (winnow_recipe_editor_get_fill_row (editor (dialog),
                                                                                    "age")),
                    ==, WINNOW_FILL_CHOICE_MEAN);

  /* the next files start from the default */
  gtk_window_destroy (GTK_WINDOW (dialog));
  dialog = open_dialog (f, "people.csv", NULL);
  g_assert_true (winnow_recipe_equal (saved, winnow_recipe_editor_get_recipe (editor (dialog))));
  recipe_row = ADW_COMBO_ROW (winnow_task_dialog_get_child (dialog, "recipe_row"));
  g_assert_cmpuint (adw_combo_row_get_selected (recipe_row), ==, 1);
  json = recipe_json (dialog);
  g_assert_nonnull (strstr (json, "\"trim_whitespace\" : true"));
}

static void
test_export_matches_batch (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_csv_path (f, "people.csv", PEOPLE);
  g_autofree char *recipe_path = g_build_filename (f->dir.dir, "exported.json", NULL);
  g_autofree char *batch_out = g_build_filename (f->dir.dir, "batch.csv", NULL);
  g_autofree char *gui_out = g_build_filename (f->dir.dir, "people.cleaned.csv", NULL);
  g_autofree char *gui_text = NULL;
  g_autofree char *batch_text = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (recipe_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) batch = NULL;
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  WinnowRecipeEditor *ed = editor (dialog);

  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (ed, "id"), FALSE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (control (dialog, "missing_row")), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (control (dialog, "how_row")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (dialog, "thresh_spin")), 2);
  adw_combo_row_set_selected (winnow_recipe_editor_get_fill_row (ed, "age"),
                              WINNOW_FILL_CHOICE_MEAN);
  adw_combo_row_set_selected (winnow_recipe_editor_get_fill_row (ed, "city"),
                              WINNOW_FILL_CHOICE_VALUE);
  gtk_editable_set_text (find_entry (GTK_WIDGET (winnow_recipe_editor_get_fill_row (ed, "city"))),
                         "(unknown)");
  dialog_settle (dialog);
  g_assert_true (winnow_task_dialog_export_recipe (dialog, file, &error));
  g_assert_no_error (error);

  /* the GUI task */
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  wait_tasks (f, 1);
  gui_text = winnow_test_read_file (gui_out);

  /* the same recipe through winnow --batch --recipe */
  batch = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("WINNOW_BINARY"),
                            "--batch", "--no-history", "--recipe", recipe_path, "--output",
                            batch_out, input, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (batch, NULL, &error);
  g_assert_no_error (error);
  batch_text = winnow_test_read_file (batch_out);
  g_assert_cmpstr (gui_text, ==, batch_text);
  /* and it did what the dialog said: id dropped, the row with one field
   * present dropped, age filled with the mean of the rows kept, city
   * with the value */
  g_assert_cmpstr (gui_text, ==,
                   "name,age,city\n"
                   "Ana,31,Porto\n"
                   "Ben,29.5,Lyon\n"
                   "Dee,-,Oslo\n"
                   "Eve,28,(unknown)\n");
}

/* ---- edit and run again ---- */

static void
test_rerun (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_csv_path (f, "people.csv", PEOPLE);
  g_autofree char *output = g_build_filename (f->dir.dir, "people.cleaned.csv", NULL);
  g_autofree char *text = NULL;
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  g_autoptr(WinnowTask) first = NULL;
  g_autoptr(WinnowTask) second = NULL;
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page;

  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (editor (dialog), "city"), FALSE);
  dialog_settle (dialog);
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  wait_tasks (f, 1);
  first = winnow_ui_test_get_task (f->app, 1);
  g_assert_no_error (error);

  /* the task page's button opens the dialog on the task's recipe */
  winnow_window_show_task (f->window, 1);
  winnow_ui_test_settle (f->app);
  page = winnow_window_get_task_page (f->window);
  g_assert_true (gtk_widget_activate_action (page, "task.rerun", NULL));
  dialog = winnow_window_get_task_dialog (f->window);
  g_assert_nonnull (dialog);
  dialog_settle (dialog);
  recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (first), -1, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_recipe_equal (recipe, winnow_recipe_editor_get_recipe (editor (dialog))));
  g_assert_false (gtk_switch_get_active (winnow_recipe_editor_get_column_switch (editor (dialog),
                                                                                  "city")));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Run “people.csv” Again");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (winnow_task_dialog_get_child (
                     dialog, "name_row"))), ==, "people.cleaned.csv");
  g_assert_false (gtk_widget_is_sensitive (winnow_task_dialog_get_child (dialog, "name_row")));
  g_assert_true (gtk_widget_get_visible (winnow_task_dialog_get_child (dialog, "exists_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (winnow_task_dialog_get_child (
                     dialog, "exists_row"))), ==, "Replaces the earlier result");

  /* keep city now: a new task replaces the same output */
  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (editor (dialog), "city"), TRUE);
  dialog_settle (dialog);
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  wait_tasks (f, 2);
  second = winnow_ui_test_get_task (f->app, 2);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_status (second), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpstr (winnow_task_get_output_path (second), ==, output);
  text = winnow_test_read_file (output);
  g_assert_true (g_str_has_prefix (text, "id,name,age,city\n"));
}

/* ---- export as code ---- */

typedef struct {
  const char *path;
  const char *text;
} Expected;

/* The whole text is in the file (the save is asynchronous). */
static gboolean
file_has_text (gpointer data)
{
  Expected *e = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (e->path, &contents, NULL, NULL) && g_str_equal (contents, e->text);
}

/* "Export as Code…" in the recipe menu: the recipe the controls make, as
 * a program for each format, generated off the main thread; Save and Copy. */
static void
test_export_code (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_csv_path (f, "people.csv", PEOPLE);
  g_autofree char *saved = g_build_filename (f->dir.dir, "clean.py", NULL);
  g_autofree char *saved_text = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autofree char *text = NULL;
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  WinnowExportDialog *export;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GtkWidget *preview;

  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (editor (dialog), "id"), FALSE);
  dialog_settle (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.export-code", NULL));
  export = find_export_dialog ();
  g_assert_nonnull (export);
  iterate_until (export_settled, export, 30);

  /* pandas first: the recipe's steps as calls, the program in the preview */
  g_assert_cmpint (winnow_export_dialog_get_format (export), ==, WINNOW_EXPORT_PANDAS);
  g_assert_nonnull (winnow_export_dialog_get_program (export));
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), "import pandas as pd"));
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), "drop_columns(t, [\"id\"])"));
  preview = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (export), WINNOW_TYPE_EXPORT_DIALOG, "preview");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (preview));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, winnow_export_dialog_get_program (export));

  /* Save writes the program, asynchronously */
  winnow_export_dialog_save_to (export, file);
  iterate_until (file_has_text, &(Expected) { saved, winnow_export_dialog_get_program (export) }, 30);
  saved_text = winnow_test_read_file (saved);
  g_assert_cmpstr (saved_text, ==, winnow_export_dialog_get_program (export));

  /* Copy puts it on the clipboard */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (export), "export.copy", NULL));
  copied = clipboard_text (GTK_WIDGET (export));
  g_assert_cmpstr (copied, ==, winnow_export_dialog_get_program (export));

  /* Dask, then DuckDB: its script names the file */
  winnow_export_dialog_set_format (export, WINNOW_EXPORT_DASK);
  iterate_until (export_settled, export, 30);
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), "LocalCluster"));
  winnow_export_dialog_set_format (export, WINNOW_EXPORT_DUCKDB);
  iterate_until (export_settled, export, 30);
  g_assert_nonnull (winnow_export_dialog_get_program (export));
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), "read_csv("));
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), input));
  g_assert_null (winnow_export_dialog_get_message (export));

  /* a file DuckDB cannot read: no program, a message naming why */
  g_assert_cmpint (g_unlink (input), ==, 0);
  winnow_export_dialog_set_format (export, WINNOW_EXPORT_PANDAS);
  iterate_until (export_settled, export, 30);
  winnow_export_dialog_set_format (export, WINNOW_EXPORT_DUCKDB);
  iterate_until (export_settled, export, 30);
  g_assert_null (winnow_export_dialog_get_program (export));
  g_assert_nonnull (winnow_export_dialog_get_message (export));
  gtk_window_destroy (GTK_WINDOW (export));
}

int
main (int argc, char **argv)
{
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/dialog/save-and-load", test_save_and_load);
  ADD ("/dialog/export-matches-batch", test_export_matches_batch);
  ADD ("/dialog/export-code", test_export_code);
  ADD ("/dialog/rerun", test_rerun);
#undef ADD
  return g_test_run ();
}
