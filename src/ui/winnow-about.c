/* winnow-about.c: see winnow-about.h. */
#include "config.h"

#include "winnow-about.h"

#include <glib/gi18n.h>

#include "winnow-csv-reader.h"

/* The task history: where it is, whether SQLite finds it sound, and what
 * it holds. quick_check reads the whole file, which takes a moment on a
 * big history; it runs only when someone opens About. */
static void
append_store (GString *out, WinnowApplication *app)
{
  WinnowTaskStore *store = winnow_application_get_store (app);
  gint64 counts[WINNOW_TASK_N_STATUSES];
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;

  g_string_append_printf (out, "- Database: %s\n", winnow_task_store_get_path (store));
  if (winnow_application_get_store_problem (app) != NULL)
    g_string_append_printf (out, "- Problem: %s\n", winnow_application_get_store_problem (app));

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

/**
 * winnow_about_debug_info:
 *
 * The text is in English whatever the language of the app: it is meant
 * to be pasted into a bug report and read by whoever fixes the bug.
 *
 * Returns: (transfer full): the troubleshooting text
 */
char *
winnow_about_debug_info (WinnowApplication *app)
{
  GString *out = g_string_new (NULL);
  g_autofree char *os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);

  g_return_val_if_fail (WINNOW_IS_APPLICATION (app), NULL);

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
  append_store (out, app);
  g_string_append_printf (out, "- Workers: %u\n",
                          winnow_scheduler_get_n_workers (winnow_application_get_scheduler (app)));
  return g_string_free (out, FALSE);
}

/* @parent: (nullable): the window About belongs to */
void
winnow_about_show (WinnowApplication *app, GtkWindow *parent)
{
  static const char *developers[] = { "The Winnow developers", NULL };
  g_autofree char *debug_info = winnow_about_debug_info (app);
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
                        "debug-info", debug_info,
                        "debug-info-filename", "winnow-debug-info.txt",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}
