/* test-dialog.c: the configuration dialog, driven through its controls:
 * the file read off the main thread, the recipe the controls make, saved
 * and exported recipes, several files at once, and running a task again.
 * Runs under Xvfb, one test per process like test-ui.c. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "winnow-application.h"
#include "winnow-column-picker-private.h"
#include "winnow-export-dialog-private.h"
#include "winnow-recipe-editor.h"
#include "winnow-sample-job-private.h"
#include "winnow-task-dialog-private.h"
#include "winnow-task-list-private.h"
#include "winnow-test-util.h"
#include "winnow-ui-test-util.h"
#include "winnow-ui-util.h"
#include "winnow-window-private.h"
#include "test-ui-fixture.h"

#define PEOPLE \
  "id,name,age,city\n" \
  "1,Ana,31,Porto\n" \
  "2,Ben,,Lyon\n" \
  "1,Ana,31,Porto\n" \
  "3,,45,NA\n" \
  "4,Dee,-,Oslo\n" \
  "5,Eve,28,\n" \
  ",,,\n"

static gboolean
dialog_settled (gpointer data)
{
  return !winnow_task_dialog_is_busy (data);
}

static gboolean
all_finished (gpointer data)
{
  Fixture *f = data;
  return g_hash_table_size (f->finished) > 0 &&
         winnow_scheduler_get_n_running (f->scheduler) == 0 &&
         g_hash_table_size (f->finished) >= GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->app),
                                                                                 "expected"));
}

/* Waits until @n tasks have finished. */
static void
wait_tasks (Fixture *f, guint n)
{
  g_object_set_data (G_OBJECT (f->app), "expected", GUINT_TO_POINTER (n));
  iterate_until (all_finished, f, 60);
}

static char *
write_csv_path (Fixture *f, const char *name, const char *text)
{
  return winnow_test_write_file (f->dir.dir, name, text, -1);
}

/* Opens the dialog on the files, as dropping them does, and waits until
 * it has read the first one. */
static WinnowTaskDialog *
open_dialog (Fixture *f, ...)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  WinnowTaskDialog *dialog;
  const char *name;
  va_list args;

  va_start (args, f);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir.dir, name, NULL);
      g_ptr_array_add (list, g_file_new_for_path (path));
    }
  va_end (args);
  g_assert_cmpuint (winnow_window_add_files (f->window, list), ==, list->len);
  dialog = winnow_window_get_task_dialog (f->window);
  g_assert_nonnull (dialog);
  iterate_until (dialog_settled, dialog, 30);
  return dialog;
}

static WinnowRecipeEditor *
editor (WinnowTaskDialog *dialog)
{
  return winnow_task_dialog_get_editor (dialog);
}

static GtkWidget *
control (WinnowTaskDialog *dialog, const char *name)
{
  GtkWidget *widget = winnow_recipe_editor_get_child (editor (dialog), name);
  g_assert_nonnull (widget);
  return widget;
}

/* Changes a control, then waits for the dialog to clean the sample again. */
static void
dialog_settle (WinnowTaskDialog *dialog)
{
  iterate_until (dialog_settled, dialog, 30);
}

static char *
recipe_json (WinnowTaskDialog *dialog)
{
  return winnow_recipe_to_json (winnow_recipe_editor_get_recipe (editor (dialog)));
}

/* The JSON of @json as the recipe code writes it, to compare exactly. */
static char *
normal_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  return winnow_recipe_to_json (recipe);
}

static void
test_columns_and_recipe (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_csv_path (f, "people.csv", PEOPLE);
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  WinnowRecipeEditor *ed = editor (dialog);
  const char *columns[] = { "id", "name", "age", "city" };
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  AdwComboRow *age_fill;
  AdwComboRow *city_fill;
  GtkStringObject *item;

  /* the columns of the file, with what the first rows hold */
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkSwitch *sw = winnow_recipe_editor_get_column_switch (ed, columns[i]);
      g_assert_nonnull (sw);
      g_assert_true (gtk_switch_get_active (sw));
    }
  g_assert_null (winnow_recipe_editor_get_column_switch (ed, "email"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (
                     GTK_WIDGET (winnow_recipe_editor_get_column_switch (ed, "city")),
                     ADW_TYPE_ACTION_ROW))), ==, "Text · 3 missing (42.9%)");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (winnow_task_dialog_get_child (
                     dialog, "file_row"))), ==,
                   "Comma-separated · UTF-8 · 95 bytes · all 7 rows read");
  /* the built-in recipe: duplicates and rows where every field is missing */
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==,
                   "In all 7 rows: 1 duplicate, 1 row with missing values. 5 rows kept.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (winnow_task_dialog_get_child (
                     dialog, "name_row"))), ==, "people.cleaned.csv");

  /* a column of text offers mean, marked */
  city_fill = winnow_recipe_editor_get_fill_row (ed, "city");
  item = g_list_model_get_item (adw_combo_row_get_model (city_fill), WINNOW_FILL_CHOICE_MEAN);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Mean (Needs Numbers)");
  g_object_unref (item);
  adw_combo_row_set_selected (city_fill, WINNOW_FILL_CHOICE_MEAN);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (city_fill), "warning"));
  adw_combo_row_set_selected (city_fill, WINNOW_FILL_CHOICE_FFILL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (city_fill), "warning"));

  /* every control, as a user would set it */
  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (ed, "name"), FALSE);
  g_assert_null (winnow_column_picker_get_check (WINNOW_COLUMN_PICKER (control (dialog,
                                                                                "duplicates_picker")),
                                                 "name"));
  gtk_switch_set_active (GTK_SWITCH (control (dialog, "trim_switch")), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (control (dialog, "keep_row")), WINNOW_KEEP_LAST);
  gtk_check_button_set_active (winnow_column_picker_get_check (
    WINNOW_COLUMN_PICKER (control (dialog, "duplicates_picker")), "id"), TRUE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (control (dialog, "missing_row")), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (control (dialog, "how_row")), 2);
  g_assert_true (gtk_widget_get_visible (control (dialog, "thresh_row")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (dialog, "thresh_spin")), 2);
  gtk_check_button_set_active (winnow_column_picker_get_check (
    WINNOW_COLUMN_PICKER (control (dialog, "missing_picker")), "age"), TRUE);
  gtk_check_button_set_active (winnow_column_picker_get_check (
    WINNOW_COLUMN_PICKER (control (dialog, "missing_picker")), "city"), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (control (dialog, "na_row")), "NA, -,n/a");
  age_fill = winnow_recipe_editor_get_fill_row (ed, "age");
  adw_combo_row_set_selected (age_fill, WINNOW_FILL_CHOICE_MEDIAN);
  /* 0 is "Same as Input" */
  adw_combo_row_set_selected (ADW_COMBO_ROW (control (dialog, "out_delimiter_row")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (control (dialog, "line_ending_row")), 1);
  gtk_switch_set_active (GTK_SWITCH (control (dialog, "formula_switch")), TRUE);
  dialog_settle (dialog);

  json = recipe_json (dialog);
  expected = normal_json ("{\"winnow_recipe\": 1,"
                          " \"input\": {\"delimiter\": \"auto\", \"encoding\": \"auto\","
                          "  \"header\": true, \"na_values\": [\"\", \"NA\", \"-\", \"n/a\"],"
                          "  \"bad_lines\": \"error\"},"
                          " \"drop_columns\": [\"name\"],"
                          " \"trim_whitespace\": true,"
                          " \"drop_duplicates\": {\"subset\": [\"id\"], \"keep\": \"last\"},"
                          " \"drop_missing\": {\"thresh\": 2, \"subset\": [\"age\", \"city\"]},"
                          " \"fill\": [{\"column\": \"age\", \"strategy\": \"median\"},"
                          "  {\"column\": \"city\", \"strategy\": \"ffill\"}],"
                          " \"output\": {\"delimiter\": \";\", \"line_ending\": \"crlf\","
                          "  \"formula_guard\": true}}");
  g_assert_cmpstr (json, ==, expected);
  /* id 1 twice (the last kept); then both age and city must be present,
   * with "-" and "NA" missing now: only id 1 has both */
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==,
                   "In all 7 rows: 1 column dropped, 1 duplicate, 5 rows with missing values, "
                   "0 cells filled. 1 row kept.");

  /* a column switched off takes its rules with it */
  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (ed, "city"), FALSE);
  {
    const WinnowRecipe *r = winnow_recipe_editor_get_recipe (ed);
    g_assert_cmpuint (r->drop_columns->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (r->drop_columns, 0), ==, "name");
    g_assert_cmpstr (g_ptr_array_index (r->drop_columns, 1), ==, "city");
    g_assert_cmpuint (r->missing_subset->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (r->missing_subset, 0), ==, "age");
    g_assert_cmpuint (r->fill->len, ==, 1);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (city_fill)));
  }
}

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

/* The value entry of a fill row. */
static GtkEditable *
find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return GTK_EDITABLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found = find_entry (child);
      if (found != NULL)
        return found;
    }
  return NULL;
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

/* ---- the file is read off the main thread ---- */

static void
gate_hook (gpointer data)
{
  winnow_test_gate_pass (data);
}

static gboolean
has_columns (gpointer data)
{
  return winnow_recipe_editor_get_column_switch (editor (data), "city") != NULL &&
         !winnow_task_dialog_is_busy (data);
}

static void
test_reads_off_main_thread (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_csv_path (f, "people.csv", PEOPLE);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  WinnowTestGate gate;
  WinnowTaskDialog *dialog;
  GtkSwitch *trim;
  gint64 started;

  winnow_test_gate_init (&gate);
  winnow_sample_job_set_hook (gate_hook, &gate);
  g_ptr_array_add (list, g_file_new_for_path (path));

  started = g_get_monotonic_time ();
  winnow_window_add_files (f->window, list);
  dialog = winnow_window_get_task_dialog (f->window);
  g_assert_nonnull (dialog);
  /* the worker is held inside the read: the dialog is up all the same */
  iterate_until (winnow_test_gate_entered, &gate, 10);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_true (winnow_task_dialog_is_busy (dialog));
  g_assert_null (winnow_recipe_editor_get_column_switch (editor (dialog), "city"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     control (dialog, "columns_placeholder"))), ==, "Reading the file…");

  /* and it answers: a control changes the recipe while the read waits */
  trim = GTK_SWITCH (control (dialog, "trim_switch"));
  gtk_switch_set_active (trim, TRUE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (winnow_recipe_editor_get_recipe (editor (dialog))->trim_whitespace);
  g_assert_null (winnow_recipe_editor_get_column_switch (editor (dialog), "city"));
  g_test_message ("the dialog answered %.0f ms after the files came",
                  (double) (g_get_monotonic_time () - started) / 1000.0);

  /* let go: the columns come */
  winnow_test_gate_open (&gate);
  iterate_until (has_columns, dialog, 30);
  g_assert_false (gtk_widget_get_visible (control (dialog, "columns_placeholder")));
  g_assert_true (g_str_has_prefix (winnow_task_dialog_get_forecast (dialog), "In all 7 rows:"));

  winnow_sample_job_set_hook (NULL, NULL);
  winnow_test_gate_clear (&gate);
}

/* ---- several files ---- */

static gboolean
no_task_dialog (gpointer data)
{
  Fixture *f = data;
  return winnow_window_get_task_dialog (f->window) == NULL;
}

/* The question a dialog asks over itself, if one is up. */
static AdwMessageDialog *
find_question (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
test_several_files (Fixture *f, gconstpointer data)
{
  g_autofree char *a = write_csv_path (f, "a.csv", "x,y\n1,2\n1,2\n");
  g_autofree char *b = write_csv_path (f, "b.csv", "x,y\n3,4\n");
  g_autofree char *c = write_csv_path (f, "c.csv", "x,z\n5,6\n");
  g_autofree char *sub = g_build_filename (f->dir.dir, "sub", NULL);
  g_autofree char *a2 = NULL;
  g_autofree char *out = g_build_filename (f->dir.dir, "out", NULL);
  g_autofree char *taken = NULL;
  g_autofree char *existing = NULL;
  WinnowTaskDialog *dialog;
  AdwMessageDialog *question;
  GtkWidget *differ;
  WinnowTaskList *list;

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  a2 = write_csv_path (f, "sub/a.csv", "x,y\n7,8\n");
  /* an earlier result in the output folder: the dialog asks, and Keep
   * Both keeps it */
  taken = write_csv_path (f, "out/b.cleaned.csv", "old\n");

  dialog = open_dialog (f, "a.csv", "b.csv", NULL);
  differ = winnow_task_dialog_get_child (dialog, "differ_row");
  g_assert_false (gtk_widget_get_visible (differ));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Clean 2 Files");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (dialog->window_title)), ==,
                   "a.csv and b.csv");

  /* more files dropped while it is open join it */
  open_dialog (f, "c.csv", "sub/a.csv", NULL);
  g_assert_true (winnow_window_get_task_dialog (f->window) == dialog);
  g_assert_cmpuint (winnow_task_dialog_get_n_files (dialog), ==, 4);
  g_assert_true (gtk_widget_get_visible (differ));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (differ)), ==, "“c.csv”");
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==,
                   "In all 2 rows of “a.csv”: 1 duplicate, 0 rows with missing values. "
                   "1 row kept.");

  winnow_task_dialog_set_output_folder (dialog, out);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (winnow_task_dialog_get_child (
                     dialog, "names_row"))), ==, "a.cleaned.csv, b.cleaned.csv and 2 more");
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 0);
  question = find_question ();
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Replace “b.cleaned.csv”?");
  adw_message_dialog_response (question, "keep-both");
  iterate_until (no_task_dialog, f, 30);
  existing = g_settings_get_string (winnow_application_get_settings (f->app), "existing-output");
  g_assert_cmpstr (existing, ==, "keep-both");
  wait_tasks (f, 4);

  winnow_ui_test_settle (f->app);
  list = winnow_window_get_list (f->window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  /* two a.csv into one folder: the second gets its own name */
  {
    const char *outputs[] = { "a.cleaned.csv", "a.cleaned-2.csv", "b.cleaned-2.csv",
                              "c.cleaned.csv" };
    g_autofree char *old = winnow_test_read_file (taken);

    for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
      {
        g_autofree char *output = g_build_filename (out, outputs[i], NULL);
        g_assert_true (g_file_test (output, G_FILE_TEST_EXISTS));
      }
    g_assert_cmpstr (old, ==, "old\n");
  }
}

/* ---- an output folder that cannot be written ---- */

static void
test_output_not_writable (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_csv_path (f, "people.csv", PEOPLE);
  g_autofree char *gone = g_build_filename (f->dir.dir, "gone", NULL);
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  GtkWidget *folder_row = winnow_task_dialog_get_child (dialog, "folder_row");
  WinnowTaskList *list;

  /* beside the file: fine */
  g_assert_false (gtk_widget_has_css_class (folder_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (winnow_task_dialog_get_child (dialog, "clean_button")));

  /* a folder that is not there (or read-only, or a portal's): said, and
   * Clean is off until another is chosen */
  winnow_task_dialog_set_output_folder (dialog, gone);
  g_assert_true (gtk_widget_has_css_class (folder_row, "error"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder_row)),
                                   "Cannot write in "));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (folder_row)), gone));
  g_assert_false (gtk_widget_is_sensitive (winnow_task_dialog_get_child (dialog, "clean_button")));
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 0);
  winnow_ui_test_settle (f->app);
  list = winnow_window_get_list (f->window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* back beside the file */
  winnow_task_dialog_set_output_folder (dialog, NULL);
  g_assert_false (gtk_widget_has_css_class (folder_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (winnow_task_dialog_get_child (dialog, "clean_button")));
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
}

/* ---- the preferences ---- */

static void
test_preferences (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_csv_path (f, "people.csv", PEOPLE);
  g_autofree char *folder = g_build_filename (f->dir.dir, "cleaned", NULL);
  g_autofree char *expected = g_build_filename (folder, "people.cleaned.csv", NULL);
  GSettings *settings = winnow_application_get_settings (f->app);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTaskDialog *dialog;

  /* the output folder and the default recipe of the preferences are
   * where a new task starts */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_settings_set_string (settings, "output-folder", folder);
  {
    g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
    recipe->trim_whitespace = TRUE;
    g_assert_true (winnow_recipe_library_save (winnow_application_get_recipes (f->app), "Trim",
                                               recipe, &error));
    g_assert_no_error (error);
  }
  g_settings_set_string (settings, "default-recipe", "Trim");
  dialog = open_dialog (f, "people.csv", NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (winnow_task_dialog_get_child (
                     dialog, "folder_row"))), ==, folder);
  g_assert_true (winnow_recipe_editor_get_recipe (editor (dialog))->trim_whitespace);
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  wait_tasks (f, 1);
  task = winnow_ui_test_get_task (f->app, 1);
  g_assert_no_error (error);
  g_assert_cmpstr (winnow_task_get_output_path (task), ==, expected);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
  g_assert_true (g_file_test (expected, G_FILE_TEST_EXISTS));

  /* and the parallel jobs, live */
  g_settings_set_int (settings, "jobs", 3);
  g_assert_cmpuint (winnow_scheduler_get_n_workers (f->scheduler), ==, 3);
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

/* ---- replacing values ---- */

#define CITIES \
  "id,city\n" \
  "1,NYC\n" \
  "2,New York City\n" \
  "3,Boston\n" \
  "4,NYC\n" \
  "5,??\n" \
  "6,Boston\n" \
  "7,NA\n"

static GtkWidget *
row_child (WinnowReplaceRow *row, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), WINNOW_TYPE_REPLACE_ROW, name));
}

/* The tick box of @text among a replacement's values, or %NULL. */
static GtkCheckButton *
value_check (WinnowReplaceRow *row, const char *text)
{
  GtkWidget *list = gtk_widget_get_parent (row_child (row, "add_text_row"));

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *value = g_object_get_data (G_OBJECT (child), "text");
      if (value != NULL && g_str_equal (value, text))
        return GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (child)));
    }
  return NULL;
}

static void
choose_column (WinnowReplaceRow *row, const char *column)
{
  AdwComboRow *combo = ADW_COMBO_ROW (row_child (row, "column_row"));
  GListModel *model = adw_combo_row_get_model (combo);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      if (g_str_equal (gtk_string_object_get_string (item), column))
        adw_combo_row_set_selected (combo, i);
    }
  g_assert_cmpstr (winnow_replace_row_get_column (row), ==, column);
}

static gboolean
clean_enabled (WinnowTaskDialog *dialog)
{
  return gtk_widget_is_sensitive (winnow_task_dialog_get_child (dialog, "clean_button"));
}

/* The Replace section: values picked among the column's most frequent
 * ones or typed, the forecast live, the rules that cannot match said on
 * their row (Clean off meanwhile), and the task writes what it said. */
static void
test_replace (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_csv_path (f, "cities.csv", CITIES);
  g_autofree char *output = g_build_filename (f->dir.dir, "cities.cleaned.csv", NULL);
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  WinnowTaskDialog *dialog = open_dialog (f, "cities.csv", NULL);
  WinnowRecipeEditor *ed = editor (dialog);
  WinnowReplaceRow *row, *second;
  GtkCheckButton *nyc;

  g_assert_true (gtk_widget_get_visible (control (dialog, "replace_placeholder")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ed), "editor.add-replace", NULL));
  row = winnow_recipe_editor_get_replace_row (ed, 0);
  g_assert_nonnull (row);
  g_assert_false (gtk_widget_get_visible (control (dialog, "replace_placeholder")));
  /* nothing ticked yet: said, and Clean waits */
  g_assert_cmpstr (winnow_recipe_editor_get_problem (ed), ==, "Tick or type the texts to replace");
  g_assert_false (clean_enabled (dialog));

  /* the column's most frequent values, to pick */
  choose_column (row, "city");
  nyc = value_check (row, "NYC");
  g_assert_nonnull (nyc);
  g_assert_nonnull (value_check (row, "Boston"));
  g_assert_null (value_check (row, "NA"));  /* missing: never offered */
  gtk_check_button_set_active (nyc, TRUE);
  gtk_check_button_set_active (value_check (row, "New York City"), TRUE);
  g_assert_cmpstr (winnow_recipe_editor_get_problem (ed), ==,
                   "Type the new text, or replace with a missing value");
  gtk_editable_set_text (GTK_EDITABLE (row_child (row, "to_row")), "New York");
  g_assert_null (winnow_recipe_editor_get_problem (ed));
  dialog_settle (dialog);
  g_assert_true (clean_enabled (dialog));
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==,
                   "In all 7 rows: 3 cells replaced, 0 duplicates, 0 rows with missing values. "
                   "7 rows kept.");
  g_assert_true (g_str_has_suffix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)),
                                   "“NYC”, “New York City” → “New York” · 3 cells in the first rows"));

  /* a second one, typed, to a missing value */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ed), "editor.add-replace", NULL));
  second = winnow_recipe_editor_get_replace_row (ed, 1);
  choose_column (second, "city");
  winnow_replace_row_add_text (second, "??");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row_child (second, "target_row")), 1);
  dialog_settle (dialog);
  json = recipe_json (dialog);
  g_assert_nonnull (strstr (json, "\"replace\" : [\n"
                                  "    {\n"
                                  "      \"column\" : \"city\",\n"
                                  "      \"from\" : [\n"
                                  "        \"NYC\",\n"
                                  "        \"New York City\"\n"
                                  "      ],\n"
                                  "      \"to\" : \"New York\"\n"
                                  "    },\n"
                                  "    {\n"
                                  "      \"column\" : \"city\",\n"
                                  "      \"from\" : [\n"
                                  "        \"??\"\n"
                                  "      ],\n"
                                  "      \"to\" : null\n"
                                  "    }\n"
                                  "  ]"));

  /* what can never match is said on its row, and Clean is off */
  winnow_replace_row_add_text (second, "NA");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (second), "error"));
  g_assert_true (g_str_has_prefix (winnow_recipe_editor_get_problem (ed), "“NA” counts as missing"));
  dialog_settle (dialog);
  g_assert_false (clean_enabled (dialog));
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==, winnow_recipe_editor_get_problem (ed));
  gtk_check_button_set_active (value_check (second, "NA"), FALSE);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (second), "error"));
  winnow_replace_row_add_text (second, "NYC");
  g_assert_cmpstr (winnow_recipe_editor_get_problem (ed), ==,
                   "“NYC” is replaced twice in city: keep it in one replacement");
  gtk_check_button_set_active (value_check (second, "NYC"), FALSE);
  gtk_switch_set_active (GTK_SWITCH (control (dialog, "trim_switch")), TRUE);
  winnow_replace_row_add_text (second, " Boston");
  g_assert_true (g_str_has_prefix (winnow_recipe_editor_get_problem (ed), "“ Boston” has spaces"));
  gtk_switch_set_active (GTK_SWITCH (control (dialog, "trim_switch")), FALSE);
  g_assert_null (winnow_recipe_editor_get_problem (ed));
  gtk_check_button_set_active (value_check (second, " Boston"), FALSE);
  dialog_settle (dialog);
  g_assert_true (clean_enabled (dialog));

  /* Clean: the task writes what the forecast said */
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  wait_tasks (f, 1);
  text = winnow_test_read_file (output);
  g_assert_cmpstr (text, ==, "id,city\n1,New York\n2,New York\n3,Boston\n4,New York\n5,\n"
                             "6,Boston\n7,\n");

  /* a dropped column takes its replacements with it */
  dialog = open_dialog (f, "cities.csv", NULL);
  ed = editor (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ed), "editor.add-replace", NULL));
  choose_column (winnow_recipe_editor_get_replace_row (ed, 0), "city");
  gtk_switch_set_active (winnow_recipe_editor_get_column_switch (ed, "city"), FALSE);
  g_assert_null (winnow_recipe_editor_get_replace_row (ed, 0));
  g_assert_cmpuint (winnow_recipe_editor_get_recipe (ed)->replace->len, ==, 0);
  expected = NULL;
}

/* ---- the output's name ---- */

/* A TSV stays a TSV unless the recipe says otherwise; the name can be
 * typed; the output delimiter "Same as Input" names the input's. */
static void
test_output_name (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_csv_path (f, "tabs.tsv", "a\tb\n1\t2\n1\t2\n");
  g_autofree char *mine = g_build_filename (f->dir.dir, "mine.tsv", NULL);
  g_autofree char *text = NULL;
  WinnowTaskDialog *dialog = open_dialog (f, "tabs.tsv", NULL);
  GtkEditable *name = GTK_EDITABLE (winnow_task_dialog_get_child (dialog, "name_row"));
  AdwComboRow *out = ADW_COMBO_ROW (control (dialog, "out_delimiter_row"));
  g_autoptr(GtkStringObject) same = g_list_model_get_item (adw_combo_row_get_model (out), 0);

  g_assert_cmpstr (gtk_string_object_get_string (same), ==, "Same as Input (Tab)");
  g_assert_cmpuint (adw_combo_row_get_selected (out), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "tabs.cleaned.tsv");
  /* a comma: the name follows */
  adw_combo_row_set_selected (out, 1);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "tabs.cleaned.csv");
  adw_combo_row_set_selected (out, 0);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "tabs.cleaned.tsv");

  /* a name that is no file name, or the input itself: said, Clean off */
  gtk_editable_set_text (name, "sub/x.tsv");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (name), "error"));
  g_assert_false (clean_enabled (dialog));
  gtk_editable_set_text (name, "tabs.tsv");
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==,
                   "That is the file being cleaned: choose another name");
  g_assert_false (clean_enabled (dialog));

  /* a name of one's own */
  gtk_editable_set_text (name, "mine.tsv");
  dialog_settle (dialog);
  g_assert_true (clean_enabled (dialog));
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  wait_tasks (f, 1);
  text = winnow_test_read_file (mine);
  g_assert_cmpstr (text, ==, "a\tb\n1\t2\n");
}

/* Cleaning a file again: Replace, remembered, writes over the earlier
 * result, and the next time no question is asked. */
static void
test_existing_replace (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_csv_path (f, "people.csv", PEOPLE);
  g_autofree char *earlier = write_csv_path (f, "people.cleaned.csv", "old\n");
  g_autofree char *text = NULL;
  g_autofree char *existing = NULL;
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  GtkWidget *exists_row = winnow_task_dialog_get_child (dialog, "exists_row");
  AdwMessageDialog *question;

  g_assert_true (gtk_widget_get_visible (exists_row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (exists_row)), ==,
                   "“people.cleaned.csv” is already there");
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 0);
  question = find_question ();
  g_assert_nonnull (question);
  g_assert_false (clean_enabled (dialog));
  adw_message_dialog_response (question, "replace");
  iterate_until (no_task_dialog, f, 30);
  wait_tasks (f, 1);
  text = winnow_test_read_file (earlier);
  g_assert_true (g_str_has_prefix (text, "id,name,age,city\n"));
  existing = g_settings_get_string (winnow_application_get_settings (f->app), "existing-output");
  g_assert_cmpstr (existing, ==, "replace");

  /* remembered: no question now */
  dialog = open_dialog (f, "people.csv", NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (winnow_task_dialog_get_child (
                     dialog, "exists_row"))), ==, "Replaced once the new tasks have finished");
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 1);
  g_assert_null (find_question ());
}

/* ---- files that cannot be cleaned ---- */

/* An image renamed .csv and an empty file: the dialog says why, keeps
 * Clean off, and with several files leaves the unreadable one out. */
static void
test_unreadable (Fixture *f, gconstpointer data)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
  g_autofree char *image = winnow_test_write_file (f->dir.dir, "photo.csv", png, sizeof png - 1);
  g_autofree char *empty = write_csv_path (f, "empty.csv", "");
  g_autofree char *good = write_csv_path (f, "people.csv", PEOPLE);
  WinnowTaskDialog *dialog = open_dialog (f, "photo.csv", NULL);

  g_assert_false (clean_enabled (dialog));
  g_assert_true (g_str_has_prefix (winnow_task_dialog_get_forecast (dialog),
                                   "“photo.csv” cannot be read: "));
  g_assert_true (gtk_widget_has_css_class (winnow_task_dialog_get_child (dialog, "file_row"),
                                           "error"));
  g_assert_false (gtk_widget_get_visible (winnow_task_dialog_get_child (dialog, "file_skip")));
  g_assert_cmpuint (winnow_task_dialog_confirm (dialog), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  dialog = open_dialog (f, "empty.csv", "people.csv", NULL);
  g_assert_false (clean_enabled (dialog));
  g_assert_true (g_str_has_prefix (winnow_task_dialog_get_forecast (dialog),
                                   "“empty.csv” cannot be read: "));
  g_assert_true (gtk_widget_get_visible (winnow_task_dialog_get_child (dialog, "file_skip")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.skip-file", NULL));
  dialog_settle (dialog);
  g_assert_cmpuint (winnow_task_dialog_get_n_files (dialog), ==, 1);
  g_assert_true (clean_enabled (dialog));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Clean “people.csv”");
}

/* A column name of 4,000 characters: its rows show the start of it (a
 * whole one took seconds to lay out), and the recipe still names the
 * whole column. */
static void
test_long_column_name (Fixture *f, gconstpointer data)
{
  g_autofree char *name = g_strnfill (4000, 'n');
  g_autofree char *csv = g_strdup_printf ("id,%s\n1,a\n2,\n", name);
  g_autofree char *path = write_csv_path (f, "wide.csv", csv);
  WinnowTaskDialog *dialog = open_dialog (f, "wide.csv", NULL);
  WinnowRecipeEditor *ed = editor (dialog);
  GtkSwitch *sw = winnow_recipe_editor_get_column_switch (ed, name);
  AdwComboRow *fill = winnow_recipe_editor_get_fill_row (ed, name);
  GtkCheckButton *check = winnow_column_picker_get_check (
    WINNOW_COLUMN_PICKER (control (dialog, "duplicates_picker")), name);
  const WinnowRecipe *recipe;
  const char *title;

  g_assert_nonnull (sw);
  g_assert_nonnull (fill);
  g_assert_nonnull (check);
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (
            GTK_WIDGET (sw), ADW_TYPE_ACTION_ROW)));
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, WINNOW_UI_NAME_CHARS);
  g_assert_true (g_str_has_suffix (title, "…"));
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (fill));
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, WINNOW_UI_NAME_CHARS);
  g_assert_cmpint (g_utf8_strlen (gtk_check_button_get_label (check), -1), ==,
                   WINNOW_UI_NAME_CHARS);

  /* what the user sets names the whole column */
  gtk_check_button_set_active (check, TRUE);
  gtk_switch_set_active (sw, FALSE);
  recipe = winnow_recipe_editor_get_recipe (ed);
  g_assert_cmpuint (recipe->drop_columns->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (recipe->drop_columns, 0), ==, name);
}

/* A fill of "a value" with no value is refused where it is set; the
 * dialog opens with the focus on its first control. */
static void
test_fill_value_and_focus (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_csv_path (f, "people.csv", PEOPLE);
  WinnowTaskDialog *dialog = open_dialog (f, "people.csv", NULL);
  AdwComboRow *city = winnow_recipe_editor_get_fill_row (editor (dialog), "city");
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (dialog));

  g_assert_nonnull (focus);
  g_assert_true (focus == winnow_task_dialog_get_child (dialog, "recipe_row") ||
                 gtk_widget_is_ancestor (focus, winnow_task_dialog_get_child (dialog, "recipe_row")));
  g_assert_false (gtk_label_get_selectable (GTK_LABEL (winnow_task_dialog_get_child (dialog,
                                                                                     "forecast_label"))));

  adw_combo_row_set_selected (city, WINNOW_FILL_CHOICE_VALUE);
  g_assert_cmpstr (winnow_recipe_editor_get_problem (editor (dialog)), ==,
                   "Type the value to fill city with");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (city), "error"));
  dialog_settle (dialog);
  g_assert_false (clean_enabled (dialog));
  gtk_editable_set_text (find_entry (GTK_WIDGET (city)), "Unknown");
  g_assert_null (winnow_recipe_editor_get_problem (editor (dialog)));
  dialog_settle (dialog);
  g_assert_true (clean_enabled (dialog));
  g_assert_cmpstr (winnow_task_dialog_get_forecast (dialog), ==,
                   "In all 7 rows: 1 duplicate, 1 row with missing values, 2 cells filled. "
                   "5 rows kept.");
}

int
main (int argc, char **argv)
{
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/dialog/columns-and-recipe", test_columns_and_recipe);
  ADD ("/dialog/save-and-load", test_save_and_load);
  ADD ("/dialog/export-matches-batch", test_export_matches_batch);
  ADD ("/dialog/export-code", test_export_code);
  ADD ("/dialog/reads-off-main-thread", test_reads_off_main_thread);
  ADD ("/dialog/several-files", test_several_files);
  ADD ("/dialog/rerun", test_rerun);
  ADD ("/dialog/preferences", test_preferences);
  ADD ("/dialog/output-not-writable", test_output_not_writable);
  ADD ("/dialog/replace", test_replace);
  ADD ("/dialog/output-name", test_output_name);
  ADD ("/dialog/existing-replace", test_existing_replace);
  ADD ("/dialog/unreadable", test_unreadable);
  ADD ("/dialog/fill-value-and-focus", test_fill_value_and_focus);
  ADD ("/dialog/long-column-name", test_long_column_name);
#undef ADD
  return g_test_run ();
}
