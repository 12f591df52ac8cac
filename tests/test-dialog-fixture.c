/* test-dialog-fixture.c: what the configuration dialog's tests share:
 * the dialog opened on files as dropping them does, its controls found
 * by name, waits for its sample to be cleaned again and for the tasks
 * it starts. */
#include "config.h"

#include "test-dialog-fixture.h"

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
void
wait_tasks (Fixture *f, guint n)
{
  g_object_set_data (G_OBJECT (f->app), "expected", GUINT_TO_POINTER (n));
  iterate_until (all_finished, f, 60);
}

char *
write_csv_path (Fixture *f, const char *name, const char *text)
{
  return winnow_test_write_file (f->dir.dir, name, text, -1);
}

/* Opens the dialog on the files, as dropping them does, and waits until
 * it has read the first one. */
WinnowTaskDialog *
open_dialog (Fixture *f, ...)
{
  g_autoptr(GPtrArray) list = NULL;
  WinnowTaskDialog *dialog;
  va_list args;

  va_start (args, f);
  list = files_va (f, args);
  va_end (args);
  g_assert_cmpuint (winnow_window_add_files (f->window, list), ==, list->len);
  dialog = winnow_window_get_task_dialog (f->window);
  g_assert_nonnull (dialog);
  iterate_until (dialog_settled, dialog, 30);
  return dialog;
}

WinnowRecipeEditor *
editor (WinnowTaskDialog *dialog)
{
  return winnow_task_dialog_get_editor (dialog);
}

GtkWidget *
control (WinnowTaskDialog *dialog, const char *name)
{
  GtkWidget *widget = winnow_recipe_editor_get_child (editor (dialog), name);
  g_assert_nonnull (widget);
  return widget;
}

/* Changes a control, then waits for the dialog to clean the sample again. */
void
dialog_settle (WinnowTaskDialog *dialog)
{
  iterate_until (dialog_settled, dialog, 30);
}

char *
recipe_json (WinnowTaskDialog *dialog)
{
  return winnow_recipe_to_json (winnow_recipe_editor_get_recipe (editor (dialog)));
}

/* The value entry of a fill row. */
GtkEditable *
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

gboolean
clean_enabled (WinnowTaskDialog *dialog)
{
  return gtk_widget_is_sensitive (winnow_task_dialog_get_child (dialog, "clean_button"));
}
