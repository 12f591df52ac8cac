/* test-dialog-output.c: where the configuration dialog's tasks write and
 * which files it takes: several files at once (dropped while it is open,
 * into one folder, an earlier result kept), an output folder that cannot
 * be written, the preferences it starts from, the output's name, an
 * earlier result replaced, and files that cannot be read. Runs under
 * Xvfb, one test per process like test-ui.c. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-dialog-fixture.h"
#include "winnow-task-list-private.h"

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
  return find_shown (ADW_TYPE_MESSAGE_DIALOG);
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

int
main (int argc, char **argv)
{
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/dialog/several-files", test_several_files);
  ADD ("/dialog/preferences", test_preferences);
  ADD ("/dialog/output-not-writable", test_output_not_writable);
  ADD ("/dialog/output-name", test_output_name);
  ADD ("/dialog/existing-replace", test_existing_replace);
  ADD ("/dialog/unreadable", test_unreadable);
#undef ADD
  return g_test_run ();
}
