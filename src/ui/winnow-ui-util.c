/* winnow-ui-util.c: see winnow-ui-util.h. */
#include "config.h"

#include "winnow-ui-util.h"

#include <glib/gi18n.h>
#include <string.h>

/* 1204 -> "1,204" in the user's locale. */
char *
winnow_ui_format_count (gint64 value)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
}

char *
winnow_ui_format_duration (double seconds)
{
  if (seconds < 0)
    return g_strdup ("");
  if (seconds < 10)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 60)
    return g_strdup_printf (_("%.0f s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min %02d s"), (int) seconds / 60, (int) seconds % 60);
  return g_strdup_printf (_("%d h %02d min"), (int) seconds / 3600, ((int) seconds % 3600) / 60);
}

/* A stored UTC time, shown in local time: "14:03" today, else the date. */
char *
winnow_ui_format_time (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* "1,204 → 850", or "" before the task has finished. */
char *
winnow_ui_format_rows (WinnowTask *task)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;

  if (winnow_task_get_rows_in (task) < 0)
    return g_strdup ("");
  in = winnow_ui_format_count (winnow_task_get_rows_in (task));
  out = winnow_ui_format_count (winnow_task_get_rows_out (task));
  return g_strdup_printf ("%s → %s", in, out);
}

/* A column's type, as the dialog and the task page name it. */
const char *
winnow_ui_column_type_label (WinnowColumnType type)
{
  switch (type)
    {
    case WINNOW_COLUMN_EMPTY: return _("Empty");
    case WINNOW_COLUMN_INTEGER: return _("Whole numbers");
    case WINNOW_COLUMN_FLOAT: return _("Numbers");
    case WINNOW_COLUMN_BOOLEAN: return _("True or false");
    case WINNOW_COLUMN_DATE: return _("Dates");
    case WINNOW_COLUMN_TEXT:
    default: return _("Text");
    }
}

const char *
winnow_ui_status_label (WinnowTaskStatus status)
{
  switch (status)
    {
    case WINNOW_TASK_PENDING: return _("Queued");
    case WINNOW_TASK_PROCESSING: return _("Running");
    case WINNOW_TASK_COMPLETED: return _("Completed");
    case WINNOW_TASK_FAILED: return _("Failed");
    case WINNOW_TASK_CANCELLED:
    default: return _("Cancelled");
    }
}

const char *
winnow_ui_status_icon (WinnowTaskStatus status)
{
  switch (status)
    {
    case WINNOW_TASK_PENDING: return "content-loading-symbolic";
    case WINNOW_TASK_PROCESSING: return "media-playback-start-symbolic";
    case WINNOW_TASK_COMPLETED: return "object-select-symbolic";
    case WINNOW_TASK_FAILED: return "dialog-error-symbolic";
    case WINNOW_TASK_CANCELLED:
    default: return "process-stop-symbolic";
    }
}

const char *
winnow_ui_status_css_class (WinnowTaskStatus status)
{
  switch (status)
    {
    case WINNOW_TASK_COMPLETED: return "success";
    case WINNOW_TASK_FAILED: return "error";
    case WINNOW_TASK_CANCELLED: return "dim-label";
    case WINNOW_TASK_PENDING:
    case WINNOW_TASK_PROCESSING:
    default: return "accent";
    }
}

/* By name (.csv, .tsv, .txt is not enough) or by content type. */
gboolean
winnow_ui_is_csv_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;
  g_autofree char *type = NULL;

  if (lower == NULL)
    return FALSE;
  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv") ||
      g_str_has_suffix (lower, ".tab"))
    return TRUE;
  type = g_content_type_guess (name, NULL, 0, NULL);
  return g_content_type_is_a (type, "text/csv") ||
         g_content_type_is_a (type, "text/tab-separated-values");
}

/* ---- choosing a folder ---- */

typedef struct {
  GWeakRef parent;
  WinnowFolderFunc func;
} FolderChoice;

static void
on_folder_response (GtkNativeDialog *chooser, int response, gpointer data)
{
  FolderChoice *choice = data;
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&choice->parent);

  if (response == GTK_RESPONSE_ACCEPT && parent != NULL)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (folder != NULL)
        choice->func (parent, folder);
    }
  g_weak_ref_clear (&choice->parent);
  g_free (choice);
  g_object_unref (chooser);
}

/**
 * winnow_ui_choose_folder:
 * @parent: the window the chooser is over, given back to @func
 * @current: (nullable): the folder to start in
 * @func: called with the folder chosen, if @parent is still there
 *
 * Asks for an output folder with the native chooser (the portal's under
 * Flatpak, which also grants access to it).
 */
void
winnow_ui_choose_folder (GtkWindow *parent, const char *current, WinnowFolderFunc func)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Output Folder"), parent, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                 _("_Select"), _("_Cancel"));
  FolderChoice *choice = g_new0 (FolderChoice, 1);

  g_weak_ref_init (&choice->parent, parent);
  choice->func = func;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (current != NULL && current[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), file, NULL);
    }
  g_signal_connect (chooser, "response", G_CALLBACK (on_folder_response), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
