/* test-dialog.c: the configuration dialog's recipe, driven through its
 * controls: the file read off the main thread, the columns and what the
 * controls make of them, replacements, fills, long column names and the
 * focus (saved and exported recipes: test-dialog-recipes.c; outputs and
 * several files: test-dialog-output.c). Runs under Xvfb, one test per
 * process like test-ui.c. */
#include "config.h"

#include <string.h>

#include "test-dialog-fixture.h"
#include "winnow-column-picker-private.h"
#include "winnow-sample-job-private.h"
#include "winnow-ui-util.h"

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

/* ---- long names, fills and the focus ---- */

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
  ADD ("/dialog/reads-off-main-thread", test_reads_off_main_thread);
  ADD ("/dialog/replace", test_replace);
  ADD ("/dialog/fill-value-and-focus", test_fill_value_and_focus);
  ADD ("/dialog/long-column-name", test_long_column_name);
#undef ADD
  return g_test_run ();
}
