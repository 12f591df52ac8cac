/* test-task-page.c: a task's page, as a user reads it: its status and
 * actions, its results, its preview and rejected rows, its recipe in
 * sentences, and what it shows of text read from a file. Runs under Xvfb,
 * one test per process (see test-ui.c). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "test-ui-fixture.h"
#include "winnow-export-dialog-private.h"
#include "winnow-output-file.h"
#include "winnow-recipe-editor.h"
#include "winnow-task-dialog-private.h"
#include "winnow-recipe.h"
#include "winnow-step.h"
#include "winnow-ui-util.h"

static gboolean
retry_checked (gpointer data)
{
  return WINNOW_TASK_PAGE (data)->can_retry >= 0;
}

static void
test_task_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) list = NULL;
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  WinnowExportDialog *export;
  GtkColumnView *preview;
  WinnowTask *task;

  write_csv (f, "people.csv", "id,name\n1,Ana\n1,Ana\n2,Ben\n");
  write_csv (f, "bad.csv", "a,b\n1,2,3\n");
  list = files (f, "people.csv", "bad.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 2);

  /* a row activated: its page */
  task = row (f, 1);
  g_assert_cmpstr (winnow_task_get_file_name (task), ==, "people.csv");
  g_signal_emit_by_name (table (f), "task-activated", task);
  g_assert_cmpstr (winnow_window_get_visible_page (f->window), ==, "task");
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (label_text (page, "status_label"), ==, "Completed");
  g_assert_true (gtk_widget_get_visible (winnow_task_page_get_child (page, "results_group")));
  g_assert_false (gtk_widget_get_visible (winnow_task_page_get_child (page, "error_label")));
  preview = GTK_COLUMN_VIEW (winnow_task_page_get_child (page, "preview_view"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (preview)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (preview))), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (gtk_widget_get_first_child (winnow_task_page_get_child (page, "actions"))));

  /* Export as Code…: the task's recipe, for its file */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "task.export-code", NULL));
  export = find_export_dialog ();
  g_assert_nonnull (export);
  iterate_until (export_settled, export, 30);
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), "def clean(t):"));
  winnow_export_dialog_set_format (export, WINNOW_EXPORT_DUCKDB);
  iterate_until (export_settled, export, 30);
  g_assert_nonnull (strstr (winnow_export_dialog_get_program (export), winnow_task_get_input_path (task)));
  gtk_window_destroy (GTK_WINDOW (export));

  /* back, and the failed one */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  g_assert_cmpstr (winnow_window_get_visible_page (f->window), ==, "list");
  winnow_window_show_task (f->window, winnow_task_get_id (row (f, 0)));
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (label_text (page, "status_label"), ==, "Failed");
  g_assert_cmpstr (label_text (page, "error_label"), ==, "line 2: expected 2 fields, saw 3");
  g_assert_false (gtk_widget_get_visible (winnow_task_page_get_child (page, "results_group")));

  /* its file has not changed: Retry would fail the same way, and is not
   * offered (the page says why); Edit and Run Again is */
  iterate_until (retry_checked, page, 30);
  g_assert_false (gtk_widget_get_visible (page->retry_button));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page->retry_note)));
  g_assert_true (gtk_widget_get_visible (page->rerun_button));
}

static gboolean
page_ready (gpointer data)
{
  return winnow_task_page_is_ready (WINNOW_TASK_PAGE (data));
}

static gboolean
rejects_read (gpointer data)
{
  WinnowTaskPage *page = data;
  GtkLabel *heading = GTK_LABEL (winnow_task_page_get_child (page, "rejected_heading"));

  return !g_str_has_prefix (gtk_label_get_text (heading), "Reading");
}

/* The dialog's switch keeps the rejected rows; the task page shows them
 * in its Rejected tab and opens their file. A recipe without it shows no
 * tab. */
static void
test_rejected_tab (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) list = NULL;
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  WinnowTaskDialog *dialog;
  GtkSwitch *rejects;
  GtkColumnView *view;
  GListModel *columns;
  g_autoptr(GtkColumnViewColumn) first = NULL;
  g_autofree char *sidecar = NULL;
  WinnowTask *task;

  write_csv (f, "people.csv", "id,name\n1,Ana\n1,Ana\n,\n3,Cy\n");
  list = files (f, "people.csv", NULL);
  winnow_window_add_files (f->window, list);
  dialog = winnow_window_get_task_dialog (f->window);
  rejects = GTK_SWITCH (winnow_recipe_editor_get_child (winnow_task_dialog_get_editor (dialog),
                                                        "rejects_switch"));
  g_assert_false (gtk_switch_get_active (rejects));
  gtk_switch_set_active (rejects, TRUE);
  g_assert_true (winnow_recipe_editor_get_recipe (winnow_task_dialog_get_editor (dialog))->rejects);
  press_clean (f);
  settle (f, 1);

  task = row (f, 0);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
  sidecar = winnow_output_file_rejects_path (winnow_task_get_output_path (task));
  g_assert_true (g_file_test (sidecar, G_FILE_TEST_IS_REGULAR));
  winnow_window_show_task (f->window, winnow_task_get_id (task));
  winnow_ui_test_settle (f->app);
  g_assert_true (gtk_widget_get_visible (winnow_task_page_get_child (page, "preview_switcher")));
  g_assert_true (gtk_widget_is_sensitive (winnow_task_page_get_child (page, "preview_switcher")));
  gtk_stack_set_visible_child_name (GTK_STACK (winnow_task_page_get_child (page, "preview_stack")),
                                    "rejected");
  iterate_until (rejects_read, page, 30);
  g_assert_cmpstr (label_text (page, "rejected_heading"), ==, "2 rejected rows");
  view = GTK_COLUMN_VIEW (winnow_task_page_get_child (page, "rejected_view"));
  columns = gtk_column_view_get_columns (view);
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);
  first = g_list_model_get_item (columns, 1);
  g_assert_cmpstr (gtk_column_view_column_get_title (first), ==, "reason");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (winnow_task_page_get_child (page, "rejected_table")));
  /* Open Rejected Rows is there to press (not pressed: no application
   * opens files here) */
  {
    GtkWidget *open = gtk_widget_get_next_sibling (winnow_task_page_get_child (page,
                                                                               "rejected_heading"));
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (open)), ==, "task.open-rejects");
    g_assert_true (gtk_widget_is_sensitive (open));
  }

  /* without the switch: no tab */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  write_csv (f, "plain.csv", "a\n1\n1\n");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = files (f, "plain.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 2);
  winnow_window_show_task (f->window, winnow_task_get_id (row (f, 0)));
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (winnow_task_get_file_name (row (f, 0)), ==, "plain.csv");
  g_assert_false (gtk_widget_get_visible (winnow_task_page_get_child (page, "preview_switcher")));
  g_assert_false (gtk_widget_is_sensitive (gtk_widget_get_next_sibling (
    winnow_task_page_get_child (page, "rejected_heading"))));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (winnow_task_page_get_child (page, "preview_stack"))), ==, "cleaned");
}

/* The recipe reads as sentences on the task page. */
static void
test_describe_recipe (void)
{
  static const struct { const char *json; const char *lines; } cases[] = {
    { "{\"winnow_recipe\": 1}", "Copy the file as it is" },
    { "{\"winnow_recipe\": 1, \"drop_duplicates\": {}, \"drop_missing\": {\"how\": \"all\"}}",
      "Drop duplicate rows, keeping the first|Drop rows where every field is missing" },
    { "{\"winnow_recipe\": 1, \"drop_missing\": {\"how\": \"any\", \"subset\": [\"id\", \"email\"]}}",
      "Drop rows with a missing value in id, email" },
    { "{\"winnow_recipe\": 1, \"drop_missing\": {\"thresh\": 2}}",
      "Keep rows with at least 2 values" },
    { "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"subset\": [\"email\"], \"keep\": \"last\"},"
      " \"fill\": [{\"column\": \"city\", \"value\": \"Unknown\"}]}",
      "Drop rows that repeat email, keeping the last|Fill missing city with “Unknown”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (cases[i].json, -1, &error);
      g_autoptr(GPtrArray) lines = NULL;
      g_autofree char *joined = NULL;

      g_assert_no_error (error);
      lines = winnow_step_describe_recipe (recipe);
      g_ptr_array_add (lines, NULL);
      joined = g_strjoinv ("|", (char **) lines->pdata);
      g_assert_cmpstr (joined, ==, cases[i].lines);
    }
}

/* ---- text from the file ---- */

static void
test_shorten (void)
{
  static const struct { const char *text; gsize max; const char *shown; } cases[] = {
    { "", 5, "" },
    { "abc", 3, "abc" },
    { "abcd", 3, "ab…" },
    { "Zürich, Genève", 8, "Zürich,…" },
    { "日本語のテキスト", 4, "日本語…" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = winnow_ui_shorten (cases[i].text, cases[i].max);
      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
  {
    g_autofree char *none = winnow_ui_shorten (NULL, 3);
    g_assert_cmpstr (none, ==, "");
  }
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

/* A status icon is set only where it changes (setting a GtkImage's icon
 * again lays the whole window out again), one status class at a time. */
static void
test_status_icon (void)
{
  GtkWidget *icon = g_object_ref_sink (gtk_image_new ());
  guint n = 0;

  winnow_ui_set_status_icon (GTK_IMAGE (icon), WINNOW_TASK_COMPLETED);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "object-select-symbolic");
  g_assert_true (gtk_widget_has_css_class (icon, "success"));
  g_signal_connect (icon, "notify", G_CALLBACK (count_notify), &n);

  winnow_ui_set_status_icon (GTK_IMAGE (icon), WINNOW_TASK_COMPLETED);
  g_assert_cmpuint (n, ==, 0);

  winnow_ui_set_status_icon (GTK_IMAGE (icon), WINNOW_TASK_FAILED);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "dialog-error-symbolic");
  g_assert_true (gtk_widget_has_css_class (icon, "error"));
  g_assert_false (gtk_widget_has_css_class (icon, "success"));

  /* the same class, another icon */
  winnow_ui_set_status_icon (GTK_IMAGE (icon), WINNOW_TASK_PENDING);
  winnow_ui_set_status_icon (GTK_IMAGE (icon), WINNOW_TASK_PROCESSING);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "media-playback-start-symbolic");
  g_assert_true (gtk_widget_has_css_class (icon, "accent"));
  g_assert_false (gtk_widget_has_css_class (icon, "error"));
  g_object_unref (icon);
}

static void
test_display_path (void)
{
  const char *home = g_get_home_dir ();
  g_autofree char *inside = g_build_filename (home, "Documents", "customers.csv", NULL);
  g_autofree char *sibling = g_strconcat (home, "2/customers.csv", NULL);
  g_autofree char *shown = winnow_ui_display_path (inside);
  g_autofree char *shown_home = winnow_ui_display_path (home);
  g_autofree char *shown_sibling = winnow_ui_display_path (sibling);
  g_autofree char *elsewhere = winnow_ui_display_path ("/srv/data/in.csv");

  if (strlen (home) <= 1)
    {
      g_test_skip ("the home folder is the root here");
      return;
    }
  g_assert_cmpstr (shown, ==, "~/Documents/customers.csv");
  g_assert_cmpstr (shown_home, ==, "~");
  g_assert_cmpstr (shown_sibling, ==, sibling);
  g_assert_cmpstr (elsewhere, ==, "/srv/data/in.csv");
}

static void
longest_label (GtkWidget *widget, glong *longest)
{
  if (GTK_IS_LABEL (widget))
    *longest = MAX (*longest, g_utf8_strlen (gtk_label_get_text (GTK_LABEL (widget)), -1));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    longest_label (child, longest);
}

/* The values (selectable labels) under @widget that wrap, counted. */
static guint
count_wrapping (GtkWidget *widget)
{
  guint n = GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)) &&
            gtk_label_get_wrap (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_wrapping (child);
  return n;
}

static void
collect_expanders (GtkWidget *widget, GPtrArray *rows)
{
  if (ADW_IS_EXPANDER_ROW (widget))
    g_ptr_array_add (rows, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_expanders (child, rows);
}

/* The first row titled @title under @widget, or %NULL. */
static GtkWidget *
find_row (GtkWidget *widget, const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
exec_sql (const char *db, const char *sql)
{
  sqlite3 *conn = NULL;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  sqlite3_busy_timeout (conn, 10000);
  g_assert_cmpint (sqlite3_exec (conn, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (conn);
}

static gboolean
shows_rows_read (gpointer results_group)
{
  return find_row (results_group, "Rows read") != NULL;
}

/* The text at the end of row @row (value_row()), or %NULL. */
static const char *
row_value (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text;

      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "dim-label"))
        return gtk_label_get_text (GTK_LABEL (child));
      if ((text = row_value (child)) != NULL)
        return text;
    }
  return NULL;
}

/* Every GtkInscription's text under @widget, one a line. */
static void
collect_inscriptions (GtkWidget *widget, GString *out)
{
  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)))
    g_string_append_printf (out, "%s\n", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_inscriptions (child, out);
}

/* The list has read the tasks' rows out again (none known), and drawn
 * its cells. */
static gboolean
rows_out_gone_and_drawn (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < 4; i++)
    if (winnow_task_get_rows_out (row (f, i)) >= 0)
      return FALSE;
  return cells_drawn (f);
}

/* Tasks whose rows in the history were damaged (or written by another
 * program): a recipe that cannot be read; result summaries that are not
 * JSON, an empty object, negative counts, a count that is not a number;
 * and no row counts. Each page says so where each would be, shows the
 * output file, and no count, size or time it does not know (it showed
 * "Rows read -1", "18.4 EB", "-596523 h", and an empty recipe without a
 * word); with the task's own row counts, those are shown. */
static void
test_damaged_row (Fixture *f, gconstpointer data)
{
  static const char *const summaries[] = {
    "not JSON", "{}", "{\"rows_read\": -1, \"rows_written\": -5, \"bytes_in\": -1, "
    "\"bytes_out\": 0, \"elapsed\": 0}", "{\"rows_read\": 3, \"rows_written\": true, "
    "\"bytes_in\": 1, \"bytes_out\": 1, \"elapsed\": 0.5}",
  };
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
  GtkWidget *recipe_group = winnow_task_page_get_child (page, "recipe_group");
  GtkWidget *results_group = winnow_task_page_get_child (page, "results_group");
  const char *trouble = "The results kept with this task cannot be read";

  clean_csvs (f, "a.csv", "x\n1\n1\n2\n", "b.csv", "x\n1\n1\n2\n", "c.csv", "x\n1\n1\n2\n",
              "d.csv", "x\n1\n1\n2\n", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (summaries); i++)
    {
      gint64 id = winnow_task_get_id (row (f, i));
      char *sql = sqlite3_mprintf ("UPDATE tasks SET rows_in = NULL, rows_out = NULL, "
                                   "recipe = '{\"winnow_recipe\": 1, \"steps\": ['"
                                   " WHERE id = %lld; UPDATE task_results SET "
                                   "summary = %Q WHERE task_id = %lld",
                                   (long long) id, summaries[i], (long long) id);
      GtkWidget *recipe_row;

      g_test_message ("summary: %s", summaries[i]);
      exec_sql (db, sql);
      sqlite3_free (sql);
      winnow_window_show_task (f->window, id);
      iterate_until ((gboolean (*) (gpointer)) winnow_task_page_is_ready, page, 30);
      g_assert_cmpstr (label_text (page, "status_label"), ==, "Completed");
      recipe_row = find_row (recipe_group, "The recipe kept with this task cannot be read");
      g_assert_nonnull (recipe_row);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (recipe_row)), !=, "");
      g_assert_nonnull (find_row (recipe_group, "Output file"));
      g_assert_nonnull (find_row (results_group, trouble));
      g_assert_null (find_row (results_group, "Rows read"));
      g_assert_null (find_row (results_group, "Size"));
      g_assert_null (find_row (results_group, "Time"));
      g_assert_false (gtk_widget_get_visible (winnow_task_page_get_child (page, "columns_group")));
    }

  /* with the task's own counts, those are shown */
  exec_sql (db, "UPDATE tasks SET rows_in = 3, rows_out = 2");
  winnow_window_show_task (f->window, winnow_task_get_id (row (f, 0)));
  iterate_until (shows_rows_read, results_group, 30);
  g_assert_cmpstr (row_value (find_row (results_group, "Rows read")), ==, "3");
  g_assert_cmpstr (row_value (find_row (results_group, "Rows written")), ==, "2");
  g_assert_nonnull (find_row (results_group, trouble));

  /* the list, with rows in and no rows out: no count (it showed "3 → -1") */
  exec_sql (db, "UPDATE tasks SET rows_out = NULL");
  winnow_window_show_list (f->window);
  iterate_until (rows_out_gone_and_drawn, f, 30);
  {
    g_autoptr(GString) texts = g_string_new (NULL);

    collect_inscriptions (GTK_WIDGET (table (f)), texts);
    g_test_message ("cells:\n%s", texts->str);
    g_assert_nonnull (strstr (texts->str, "a.csv"));
    g_assert_null (strstr (texts->str, "-1"));
    g_assert_null (strstr (texts->str, "3 →"));
  }
}

/* A file's column name of 4,000 characters and a field of 100,000: the
 * page shows the start of each and "…", never the whole (laying out such
 * text took the window seconds). */
static void
test_long_text (Fixture *f, gconstpointer data)
{
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  g_autofree char *name = g_strnfill (4000, 'n');
  g_autofree char *cell = g_strnfill (100000, 'c');
  g_autofree char *csv = g_strdup_printf ("id,%s\n1,%s\n2,short\n", name, cell);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GListModel) columns = NULL;
  g_autoptr(GtkColumnViewColumn) column = NULL;
  GtkColumnView *preview;
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
  const char *title;
  glong longest = 0;

  write_csv (f, "wide.csv", csv);
  list = files (f, "wide.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 1);
  winnow_window_show_task (f->window, winnow_task_get_id (row (f, 0)));
  winnow_ui_test_settle (f->app);
  iterate_until (page_ready, page, 30);
  g_assert_cmpstr (label_text (page, "status_label"), ==, "Completed");

  /* the columns' rows in Columns: "id" and the long one */
  collect_expanders (winnow_task_page_get_child (page, "columns_group"), expanders);
  g_assert_cmpuint (expanders->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (expanders, 0)), ==, "id");
  title = adw_preferences_row_get_title (g_ptr_array_index (expanders, 1));
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, WINNOW_UI_NAME_CHARS);
  g_assert_true (g_str_has_prefix (title, "nnnn"));
  g_assert_true (g_str_has_suffix (title, "…"));

  /* the preview's header */
  preview = GTK_COLUMN_VIEW (winnow_task_page_get_child (page, "preview_view"));
  columns = g_object_ref (gtk_column_view_get_columns (preview));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 2);
  column = g_list_model_get_item (columns, 1);
  title = gtk_column_view_column_get_title (column);
  g_assert_cmpint (g_utf8_strlen (title, -1), ==, WINNOW_UI_NAME_CHARS);
  g_assert_true (g_str_has_prefix (title, "nnnn"));
  g_assert_true (g_str_has_suffix (title, "…"));

  /* and nothing on the page holds more than a cell's worth, a column's
   * details included (made when it is opened) */
  for (guint i = 0; i < expanders->len; i++)
    adw_expander_row_set_expanded (g_ptr_array_index (expanders, i), TRUE);
  g_assert_nonnull (find_row (g_ptr_array_index (expanders, 1), "Most frequent"));
  longest_label (GTK_WIDGET (page), &longest);
  g_assert_cmpint (longest, >=, WINNOW_UI_CELL_CHARS);  /* the field, shortened */
  g_assert_cmpint (longest, <=, 1000);
}

/* The preferences rows under @widget, itself not counted. */
static guint
count_rows (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += (ADW_IS_PREFERENCES_ROW (child) ? 1 : 0) + count_rows (child);
  return n;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
all_columns_added (gpointer data)
{
  return WINNOW_TASK_PAGE (data)->columns_result == NULL;
}

/* No more columns come now: all are there, or the row that shows the
 * others is. */
static gboolean
columns_paused (gpointer data)
{
  return WINNOW_TASK_PAGE (data)->columns_source == 0;
}

static WinnowTask *
task_named (Fixture *f, const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows (f)); i++)
    if (g_strcmp0 (winnow_task_get_file_name (row (f, i)), name) == 0)
      return row (f, i);
  g_assert_not_reached ();
}

static guint
count_expanders (WinnowTaskPage *page)
{
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();

  collect_expanders (winnow_task_page_get_child (page, "columns_group"), expanders);
  return expanders->len;
}

/* A file of 120 columns: the page shows the first 12 columns' rows, a
 * few a turn of the main loop, and a row that shows the others (up to
 * 100; a file of 16 columns shows all, one of 17 the first 12 and the
 * row); their details once opened, and a preview of as many rows as fit
 * in TABLE_CELLS (500) cells; clearing the page meanwhile, as showing
 * another task does, stops the rows still to come. */
static void
test_wide (Fixture *f, gconstpointer data)
{
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
  GtkColumnView *preview;
  GListModel *shown;
  GtkWidget *first, *more, *focus;
  guint n_details;

  for (guint r = 0; r <= 30; r++)
    for (guint c = 0; c < 120; c++)
      g_string_append_printf (csv, r == 0 ? "c%u%s" : "%u%s", r == 0 ? c : r * c,
                              c + 1 < 120 ? "," : "\n");
  write_csv (f, "wide.csv", csv->str);
  write_csv (f, "narrow.csv", "id,name\n1,Ana\n");
  write_csv (f, "sixteen.csv",
             "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\n1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6\n");
  write_csv (f, "seventeen.csv",
             "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\n1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7\n");
  list = files (f, "wide.csv", "narrow.csv", "sixteen.csv", "seventeen.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 4);

  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "wide.csv")));
  iterate_until (page_ready, page, 30);
  /* some columns first, the others later, up to the first 12 */
  g_assert_cmpuint (count_expanders (page), >, 0);
  g_assert_cmpuint (count_expanders (page), <, 12);
  g_assert_false (columns_paused (page));
  iterate_until (columns_paused, page, 30);
  g_assert_cmpuint (count_expanders (page), ==, 12);
  more = find_row (winnow_task_page_get_child (page, "columns_group"), "Show 88 More Columns");
  g_assert_nonnull (more);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (more)));
  g_assert_null (find_row (winnow_task_page_get_child (page, "columns_group"),
                           "The first 100 of 120 columns are shown"));

  /* activated, it goes; the others come, a few a turn, after the last
   * column shown, which has the keyboard's focus that the row had */
  gtk_widget_grab_focus (more);
  g_assert_true (gtk_root_get_focus (gtk_widget_get_root (more)) == more);
  gtk_window_set_focus_visible (GTK_WINDOW (f->window), TRUE);  /* as keys leave it */
  adw_action_row_activate (ADW_ACTION_ROW (more));
  g_assert_null (find_row (winnow_task_page_get_child (page, "columns_group"),
                           "Show 88 More Columns"));
  g_assert_cmpuint (count_expanders (page), >, 12);
  g_assert_cmpuint (count_expanders (page), <, 100);
  collect_expanders (winnow_task_page_get_child (page, "columns_group"), expanders);
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (page)));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, g_ptr_array_index (expanders, 11)));
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (expanders, 12)), ==, "c12");
  g_ptr_array_set_size (expanders, 0);
  iterate_until (all_columns_added, page, 30);
  g_assert_cmpuint (count_expanders (page), ==, 100);
  g_assert_nonnull (find_row (winnow_task_page_get_child (page, "columns_group"),
                              "The first 100 of 120 columns are shown"));

  /* a column's details, once it is opened */
  collect_expanders (winnow_task_page_get_child (page, "columns_group"), expanders);
  first = g_ptr_array_index (expanders, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "c0");
  g_assert_null (find_row (first, "Distinct values"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first), TRUE);
  g_assert_nonnull (find_row (first, "Distinct values"));
  /* a short value keeps its line ("0 to 0"; wrapping, it took three) */
  g_assert_nonnull (find_row (first, "Range"));
  g_assert_cmpuint (count_wrapping (find_row (first, "Range")), ==, 0);
  /* a long one wraps: c5's five most frequent values, "“5” (1), “10” (1)…" */
  {
    AdwExpanderRow *c5 = g_ptr_array_index (expanders, 5);
    adw_expander_row_set_expanded (c5, TRUE);
    g_assert_cmpuint (count_wrapping (find_row (GTK_WIDGET (c5), "Most frequent")), ==, 1);
  }
  n_details = count_rows (first);
  g_assert_cmpuint (n_details, >, 3);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (first), TRUE);
  g_assert_cmpuint (count_rows (first), ==, n_details);  /* made once */

  /* the preview: 100 columns, 5 of the 30 rows */
  preview = GTK_COLUMN_VIEW (winnow_task_page_get_child (page, "preview_view"));
  shown = G_LIST_MODEL (gtk_column_view_get_model (preview));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (preview)), ==, 100);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 5);
  g_assert_cmpstr (label_text (page, "preview_heading"), ==, "Preview: the first 5 rows");

  /* 16 columns are all shown; 17, the first 12 and the row */
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "sixteen.csv")));
  iterate_until (page_ready, page, 30);
  iterate_until (all_columns_added, page, 30);
  g_assert_cmpuint (count_expanders (page), ==, 16);
  g_assert_null (page->columns_more);
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "seventeen.csv")));
  iterate_until (page_ready, page, 30);
  iterate_until (columns_paused, page, 30);
  g_assert_cmpuint (count_expanders (page), ==, 12);
  g_assert_nonnull (find_row (winnow_task_page_get_child (page, "columns_group"),
                              "Show 5 More Columns"));
  /* cleared meanwhile, the row goes with the columns */
  _winnow_task_page_clear_rows (page);
  g_assert_null (page->columns_more);
  g_assert_true (all_columns_added (page));
  g_assert_null (find_row (winnow_task_page_get_child (page, "columns_group"),
                           "Show 5 More Columns"));
  /* clicked (no focus shown), the row leaves the focus nowhere rather
   * than to the list's first row, which scrolled the page up to it */
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "sixteen.csv")));
  iterate_until (page_ready, page, 30);
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "seventeen.csv")));
  iterate_until (page_ready, page, 30);
  iterate_until (columns_paused, page, 30);
  more = find_row (winnow_task_page_get_child (page, "columns_group"), "Show 5 More Columns");
  gtk_widget_grab_focus (more);
  gtk_window_set_focus_visible (GTK_WINDOW (f->window), FALSE);
  adw_action_row_activate (ADW_ACTION_ROW (more));
  g_assert_null (gtk_root_get_focus (GTK_ROOT (f->window)));
  iterate_until (all_columns_added, page, 30);
  g_assert_cmpuint (count_expanders (page), ==, 17);
  g_assert_null (gtk_root_get_focus (GTK_ROOT (f->window)));

  /* shown again, then the page cleared (as showing another task does)
   * before its columns are all there: the others do not come */
  winnow_window_show_list (f->window);
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "narrow.csv")));
  iterate_until (page_ready, page, 30);
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "wide.csv")));
  iterate_until (page_ready, page, 30);
  g_assert_false (all_columns_added (page));
  _winnow_task_page_clear_rows (page);
  g_assert_true (all_columns_added (page));
  g_assert_cmpuint (page->columns_source, ==, 0);
  /* an idle below the columns' own has run: theirs would have first */
  {
    gboolean ran = FALSE;

    g_idle_add_full (G_PRIORITY_LOW, set_true, &ran, NULL);
    iterate_until (is_true, &ran, 30);
  }
  g_assert_cmpuint (count_expanders (page), ==, 0);
  winnow_window_show_task (f->window, winnow_task_get_id (task_named (f, "narrow.csv")));
  iterate_until (page_ready, page, 30);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (count_expanders (page), ==, 2);
  shown = G_LIST_MODEL (gtk_column_view_get_model (preview));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
}

/* The rejected rows of a file of 150 columns: the table shows line,
 * reason, detail and the first 100 columns, and the rows that fit in
 * 500 cells, its heading saying how many of all. */
static void
test_wide_rejected (Fixture *f, gconstpointer data)
{
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  WinnowTaskDialog *dialog;
  GtkColumnView *view;
  GListModel *shown;

  /* rows 10 to 19 repeat rows 0 to 9: ten duplicates */
  for (guint r = 0; r <= 20; r++)
    for (guint c = 0; c < 150; c++)
      g_string_append_printf (csv, r == 0 ? "c%u%s" : "%u%s", r == 0 ? c : ((r - 1) % 10) * c + c,
                              c + 1 < 150 ? "," : "\n");
  write_csv (f, "wide.csv", csv->str);
  list = files (f, "wide.csv", NULL);
  winnow_window_add_files (f->window, list);
  dialog = winnow_window_get_task_dialog (f->window);
  gtk_switch_set_active (GTK_SWITCH (winnow_recipe_editor_get_child (
                           winnow_task_dialog_get_editor (dialog), "rejects_switch")), TRUE);
  press_clean (f);
  settle (f, 1);

  winnow_window_show_task (f->window, winnow_task_get_id (row (f, 0)));
  iterate_until (page_ready, page, 30);
  gtk_stack_set_visible_child_name (GTK_STACK (winnow_task_page_get_child (page, "preview_stack")),
                                    "rejected");
  iterate_until (rejects_read, page, 30);
  g_assert_cmpstr (label_text (page, "rejected_heading"), ==, "Rejected rows: the first 4 of 10");
  view = GTK_COLUMN_VIEW (winnow_task_page_get_child (page, "rejected_view"));
  shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, 103);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 4);
}

int
main (int argc, char **argv)
{
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/task-page/actions", test_task_page);
  ADD ("/task-page/rejected-tab", test_rejected_tab);
  ADD ("/task-page/long-text", test_long_text);
  ADD ("/task-page/damaged-row", test_damaged_row);
  ADD ("/task-page/wide", test_wide);
  ADD ("/task-page/wide-rejected", test_wide_rejected);
#undef ADD
  g_test_add_func ("/task-page/describe-recipe", test_describe_recipe);
  g_test_add_func ("/task-page/shorten", test_shorten);
  g_test_add_func ("/task-page/display-path", test_display_path);
  g_test_add_func ("/task-page/status-icon", test_status_icon);

  return g_test_run ();
}
