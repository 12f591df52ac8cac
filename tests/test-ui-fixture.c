/* test-ui-fixture.c: what the window's tests share: an application over
 * a history of its own in a temporary folder, and the steps a user takes
 * with it (drop files, press Clean, wait for the tasks, paste). */
#include "config.h"

#include "test-ui-fixture.h"

#include "winnow-task-dialog-private.h"
#include "winnow-task-list-private.h"

static void
on_finished (WinnowScheduler *scheduler, WinnowTask *task, Fixture *f)
{
  gint64 *id = g_new (gint64, 1);
  *id = winnow_task_get_id (task);
  g_hash_table_insert (f->finished, id, GINT_TO_POINTER (winnow_task_get_status (task)));
}

static void
on_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
             gint phase, Fixture *f)
{
  f->n_progress++;
}

void
fixture_setup (Fixture *f, gconstpointer data)
{
  winnow_test_dir_setup (&f->dir, NULL);
  fixture_setup_in (f, f->dir.dir);
}

/* The fixture over the folder @dir, which its teardown removes. */
void
fixture_setup_in (Fixture *f, const char *dir)
{
  if (f->dir.dir != dir)
    f->dir.dir = g_strdup (dir);
  f->app = winnow_ui_test_app_new (f->dir.dir);
  f->window = winnow_application_get_window (f->app);
  f->scheduler = winnow_application_get_scheduler (f->app);
  f->finished = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_signal_connect (f->scheduler, "task-finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->scheduler, "task-progress", G_CALLBACK (on_progress), f);
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->app != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->scheduler, f);
      winnow_ui_test_app_free (f->app);
    }
  g_hash_table_unref (f->finished);
  winnow_test_dir_teardown (&f->dir, NULL);
}

/* Confirms the configuration dialog the files opened, as its Clean
 * button does, with the recipe it starts with. */
void
press_clean (Fixture *f)
{
  WinnowTaskDialog *dialog = winnow_window_get_task_dialog (f->window);
  guint n;

  g_assert_nonnull (dialog);
  n = winnow_task_dialog_get_n_files (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.clean", NULL));
  g_assert_null (winnow_window_get_task_dialog (f->window));
  g_assert_cmpuint (n, >, 0);
}

static guint want_finished;

static gboolean
enough_finished (gpointer data)
{
  Fixture *f = data;

  return g_hash_table_size (f->finished) >= want_finished;
}

WinnowTaskTable *
table (Fixture *f)
{
  return WINNOW_TASK_TABLE (winnow_window_get_table (f->window));
}

GListModel *
rows (Fixture *f)
{
  /* the tasks themselves, which the views' row objects copy */
  GtkSingleSelection *selection = winnow_task_table_get_selection (table (f));
  return winnow_task_rows_get_tasks (WINNOW_TASK_ROWS (gtk_single_selection_get_model (selection)));
}

gboolean
list_settled (Fixture *f)
{
  /* the list re-reads a moment after tasks change; wait for it */
  WinnowTaskList *list = WINNOW_TASK_LIST (rows (f));
  return winnow_task_list_get_total (list) > 0;
}

/* Frames all along, so that they come while cells wait to be drawn. */
void
keep_drawing (Fixture *f)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));

  if (clock != NULL)
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

/* The list has read the tasks and drawn every cell it queued (for
 * iterate_until()). */
gboolean
cells_drawn (gpointer data)
{
  Fixture *f = data;
  guint in_view, other;

  keep_drawing (f);
  winnow_task_table_count_queued_cells (table (f), &in_view, &other);
  return in_view + other == 0 && list_settled (f);
}

WinnowTask *
row (Fixture *f, guint i)
{
  WinnowTask *task = g_list_model_get_item (rows (f), i);
  g_object_unref (task);  /* the list keeps it */
  return task;
}

/* The files of the test's folder named in @args, up to a %NULL. */
GPtrArray *
files_va (Fixture *f, va_list args)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir.dir, name, NULL);
      g_ptr_array_add (list, g_file_new_for_path (path));
    }
  return list;
}

GPtrArray *
files (Fixture *f, ...)
{
  GPtrArray *list;
  va_list args;

  va_start (args, f);
  list = files_va (f, args);
  va_end (args);
  return list;
}

void
write_csv (Fixture *f, const char *name, const char *contents)
{
  g_free (winnow_test_write_file (f->dir.dir, name, contents, -1));
}

void
settle (Fixture *f, guint n_finished)
{
  want_finished = n_finished;
  winnow_test_iterate_until (enough_finished, f, 60);
  /* and the list's refresh after the last change */
  winnow_ui_test_settle (f->app);
}

/* Files written (name, contents, ..., NULL), added, cleaned, and the list
 * settled once every one has finished. */
void
clean_csvs (Fixture *f, ...)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;
  va_list args;

  va_start (args, f);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir.dir, name, NULL);

      write_csv (f, name, va_arg (args, const char *));
      g_ptr_array_add (list, g_file_new_for_path (path));
    }
  va_end (args);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, list->len);
}

/* Three small tasks (a.csv, b.csv, c.csv) cleaned, and the list settled. */
void
clean_three (Fixture *f)
{
  clean_csvs (f, "a.csv", "x\n1\n", "b.csv", "x\n2\n", "c.csv", "x\n3\n", NULL);
}

const char *
label_text (WinnowTaskPage *page, const char *name)
{
  return gtk_label_get_text (GTK_LABEL (winnow_task_page_get_child (page, name)));
}

/* A window of @type shown, or %NULL. */
gpointer
find_shown (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The Export as Code dialog shown, or %NULL. */
WinnowExportDialog *
find_export_dialog (void)
{
  return find_shown (WINNOW_TYPE_EXPORT_DIALOG);
}

gboolean
export_settled (gpointer export_dialog)
{
  return !winnow_export_dialog_is_busy (export_dialog);
}

static void
on_clipboard_text (GObject *source, GAsyncResult *result, gpointer data)
{
  char **text = data;
  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_arrived (gpointer data)
{
  return *(char **) data != NULL;
}

/* The text on @widget's clipboard, read as a paste reads it ("" if none). */
char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text, &text);
  iterate_until (text_arrived, &text, 30);
  return text;
}
