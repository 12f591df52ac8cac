/* winnow-about.c: see winnow-about.h. */
#include "config.h"

#include "winnow-about.h"

#include <glib/gi18n.h>

#include "winnow-csv-reader.h"
#include "winnow-history-call.h"

/* The task history: where it is, whether SQLite finds it sound, and what
 * it holds. quick_check reads the whole file, which takes a few seconds on
 * a big history: it runs on a worker thread, only when someone opens
 * About. */
static void
append_store (GString *out, WinnowTaskStore *store, const char *problem)
{
  gint64 counts[WINNOW_TASK_N_STATUSES];
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;

  g_string_append_printf (out, "- Database: %s\n", winnow_task_store_get_path (store));
  if (problem != NULL)
    g_string_append_printf (out, "- Problem: %s\n", problem);

  check = winnow_task_store_check (store, &error);
  g_string_append_printf (out, "- Integrity check: %s\n", check ? check : error->message);
  g_clear_error (&error);

  if (winnow_task_store_count_by_status (store, counts, &error))
    g_string_append_printf (out,
                            "- Tasks: %" G_GINT64_FORMAT " pending, "
                            "%" G_GINT64_FORMAT " processing, "
                            "%" G_GINT64_FORMAT " completed, "
                            "%" G_GINT64_FORMAT " failed, "
                            "%" G_GINT64_FORMAT " cancelled\n",
                            counts[WINNOW_TASK_PENDING], counts[WINNOW_TASK_PROCESSING],
                            counts[WINNOW_TASK_COMPLETED], counts[WINNOW_TASK_FAILED],
                            counts[WINNOW_TASK_CANCELLED]);
  else
    g_string_append_printf (out, "- Tasks: %s\n", error->message);
}

typedef struct {
  WinnowTaskStore *store;
  char *problem;
  guint workers;
} Inquiry;

static void
inquiry_free (gpointer data)
{
  Inquiry *inquiry = data;
  g_object_unref (inquiry->store);
  g_free (inquiry->problem);
  g_free (inquiry);
}

/* On a worker thread: the whole text. */
static gpointer
gather (gpointer data, GError **error)
{
  Inquiry *inquiry = data;
  GString *out = g_string_new (NULL);
  g_autofree char *os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);

  g_string_append_printf (out, "Winnow %s\n", PACKAGE_VERSION);
  if (os != NULL)
    g_string_append_printf (out, "System: %s\n", os);

  g_string_append (out, "\nLibraries\n");
  g_string_append_printf (out, "- GTK %u.%u.%u\n", gtk_get_major_version (),
                          gtk_get_minor_version (), gtk_get_micro_version ());
  g_string_append_printf (out, "- libadwaita %u.%u.%u\n", adw_get_major_version (),
                          adw_get_minor_version (), adw_get_micro_version ());
  g_string_append_printf (out, "- GLib %u.%u.%u\n", glib_major_version, glib_minor_version,
                          glib_micro_version);
  g_string_append_printf (out, "- SQLite %s\n", winnow_task_store_sqlite_version ());
  g_string_append_printf (out, "- libcsv %s\n", winnow_csv_reader_libcsv_version ());

  g_string_append (out, "\nTask history\n");
  append_store (out, inquiry->store, inquiry->problem);
  g_string_append_printf (out, "- Workers: %u\n", inquiry->workers);
  return g_string_free (out, FALSE);
}

/**
 * winnow_about_debug_info_async:
 *
 * Gathers the troubleshooting text on a worker thread: it runs the
 * history's integrity check. The text is in English whatever the
 * language of the app: it is meant to be pasted into a bug report and
 * read by whoever fixes the bug.
 */
void
winnow_about_debug_info_async (WinnowApplication *app, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  Inquiry *inquiry = g_new0 (Inquiry, 1);

  g_return_if_fail (WINNOW_IS_APPLICATION (app));
  inquiry->store = g_object_ref (winnow_application_get_store (app));
  inquiry->problem = g_strdup (winnow_application_get_store_problem (app));
  inquiry->workers = winnow_scheduler_get_n_workers (winnow_application_get_scheduler (app));
  winnow_history_call (NULL, gather, inquiry, inquiry_free, g_free, NULL, callback, user_data);
}

/**
 * winnow_about_debug_info_finish:
 * Returns: (transfer full): the troubleshooting text
 */
char *
winnow_about_debug_info_finish (GAsyncResult *result, GError **error)
{
  return winnow_history_call_finish (result, error);
}

static void
debug_info_gathered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GtkWidget) about = data;
  g_autofree char *info = winnow_about_debug_info_finish (result, NULL);

  if (info != NULL)
    adw_about_window_set_debug_info (ADW_ABOUT_WINDOW (about), info);
}

/* @parent: (nullable): the window About belongs to */
void
winnow_about_show (WinnowApplication *app, GtkWindow *parent)
{
  static const char *developers[] = { "The Winnow developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "destroy-with-parent", TRUE,
                        "application-name", _("Winnow"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Winnow developers"),
                        "developers", developers,
                        "comments", _("Clean CSV files: drop duplicate rows and rows with "
                                      "missing values, and fill in what is missing."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* until the check of the history is done */
                        "debug-info", _("Checking the task history…"),
                        "debug-info-filename", "winnow-debug-info.txt",
                        NULL);
  winnow_about_debug_info_async (app, debug_info_gathered, g_object_ref (about));
  gtk_window_present (GTK_WINDOW (about));
}
