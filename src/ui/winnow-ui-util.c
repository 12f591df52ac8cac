/* winnow-ui-util.c: see winnow-ui-util.h. */
#include "config.h"

#include "winnow-ui-util.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

/* The locale's digit group separator, or a comma when it has none (the
 * C locale): "10000000" is hard to read in any language. */
static const char *
group_separator (void)
{
  const char *separator = localeconv ()->thousands_sep;
  return separator != NULL && separator[0] != '\0' ? separator : ",";
}

/* 1204 -> "1,204", grouped as the user's locale does (by threes, with a
 * comma where the locale groups nothing). */
char *
winnow_ui_format_count (gint64 value)
{
  const char *separator;
  g_autofree char *digits = NULL;
  GString *out;
  gsize n, start;

  if (localeconv ()->thousands_sep[0] != '\0')
    return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
  separator = group_separator ();
  digits = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  out = g_string_new (NULL);
  start = digits[0] == '-' ? 1 : 0;
  g_string_append_len (out, digits, (gssize) start);
  n = strlen (digits + start);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[start + i]);
    }
  return g_string_free (out, FALSE);
}

/* A count in at most three figures: "980", "12 k", "1.2 M", for the
 * narrow places (the list's rows, rates). */
char *
winnow_ui_format_short_count (double value)
{
  if (value < 10000)
    return winnow_ui_format_count ((gint64) (value + 0.5));
  if (value < 1e6)
    /* Translators: thousands, such as "12 k" */
    return g_strdup_printf (_("%.0f k"), value / 1e3);
  if (value < 1e9)
    /* Translators: millions, such as "1.2 M" */
    return g_strdup_printf (value < 1e7 ? _("%.1f M") : _("%.0f M"), value / 1e6);
  /* Translators: billions, such as "3.4 G" */
  return g_strdup_printf (_("%.1f G"), value / 1e9);
}

/* A number as people write it: whole numbers grouped, fractions in plain
 * decimals with four significant digits where they fit ("55,780.43",
 * "0.0123"), the exponent only past what plain digits hold sensibly. */
char *
winnow_ui_format_number (double value)
{
  double magnitude = fabs (value);
  g_autofree char *whole = NULL;
  char decimals[64];
  char *point;
  int places;

  if (!isfinite (value))
    return g_strdup (isnan (value) ? "NaN" : value > 0 ? "∞" : "−∞");
  if (magnitude >= 1e15 || (magnitude > 0 && magnitude < 1e-4))
    return g_strdup_printf ("%.4g", value);
  if (value == floor (value))
    return winnow_ui_format_count ((gint64) value);
  /* two decimals at least, four significant digits at most */
  places = magnitude >= 1 ? MAX (2, 3 - (int) floor (log10 (magnitude))) : 3 - (int) floor (log10 (magnitude));
  places = CLAMP (places, 2, 8);
  g_snprintf (decimals, sizeof decimals, "%.*f", places, value);
  /* the whole part grouped, the fraction with the locale's point */
  point = strpbrk (decimals, ".,");
  if (point == NULL)
    return g_strdup (decimals);
  while (strlen (point) > 2 && point[strlen (point) - 1] == '0')
    point[strlen (point) - 1] = '\0';
  whole = winnow_ui_format_count ((gint64) trunc (value));
  if (value < 0 && value > -1)
    return g_strdup_printf ("-0%s", point);
  return g_strdup_printf ("%s%s", whole, point);
}

/* A delimiter by its name: "Comma", "Tab", or the character in quotes. */
char *
winnow_ui_delimiter_name (gunichar delimiter)
{
  char text[8] = { 0 };

  switch (delimiter)
    {
    case ',': return g_strdup (_("Comma"));
    case ';': return g_strdup (_("Semicolon"));
    case '\t': return g_strdup (_("Tab"));
    case '|': return g_strdup (_("Vertical Bar"));
    case ' ': return g_strdup (_("Space"));
    default:
      g_unichar_to_utf8 (delimiter, text);
      return g_strdup_printf ("“%s”", text);
    }
}

char *
winnow_ui_format_duration (double seconds)
{
  /* (a time not known, or read from a damaged history) */
  if (!(seconds >= 0) || seconds > 1e9)
    return g_strdup ("");
  if (seconds < 10)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 60)
    return g_strdup_printf (_("%.0f s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min %02d s"), (int) seconds / 60, (int) seconds % 60);
  return g_strdup_printf (_("%d h %02d min"), (int) seconds / 3600, ((int) seconds % 3600) / 60);
}

/* The local time zone, read at most once a minute: GLib 2.74 reads
 * /etc/localtime again for every g_date_time_new_now_local() when TZ is
 * not set, and the list formats a time for every row it shows. On the
 * thread that draws. */
static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;
  static gint64 read_at;
  gint64 now = g_get_monotonic_time ();

  if (zone == NULL || now - read_at > 60 * G_USEC_PER_SEC)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      read_at = now;
    }
  return zone;
}

/* A stored UTC time in local time, as people say it: "Today 14:03",
 * "Yesterday 07:51", "Monday 09:12" within a week, "30 Nov 07:51" this
 * year, else "30 Nov 2025". The clock follows the locale (%X's style is
 * too long: hours and minutes). */
char *
winnow_ui_format_time (GDateTime *utc)
{
  GTimeZone *zone = local_zone ();
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *clock = NULL;
  GTimeSpan ago;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (utc, zone);
  today = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                           g_date_time_get_day_of_month (now), 0, 0, 0);
  ago = g_date_time_difference (today, local);
  clock = g_date_time_format (local, "%H:%M");
  if (ago <= 0)
    /* Translators: a time today, such as "Today 14:03" */
    return g_strdup_printf (_("Today %s"), clock);
  if (ago <= G_TIME_SPAN_DAY)
    /* Translators: a time yesterday, such as "Yesterday 07:51" */
    return g_strdup_printf (_("Yesterday %s"), clock);
  if (ago <= 6 * G_TIME_SPAN_DAY)
    /* Translators: a weekday and a time, see the strftime manual */
    return g_date_time_format (local, _("%A %H:%M"));
  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a day of this year and a time, see the strftime manual */
    return g_date_time_format (local, _("%e %b %H:%M"));
  /* Translators: a day of another year, see the strftime manual */
  return g_date_time_format (local, _("%e %b %Y"));
}

/* The whole date and time, for a tooltip: "Monday, 30 November 2026, 07:51:12". */
char *
winnow_ui_format_time_full (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (utc, local_zone ());
  /* Translators: a full date and time, see the strftime manual */
  return g_date_time_format (local, _("%A, %e %B %Y, %H:%M:%S"));
}

/* Whether the task's rows in and out are known: both are, once it has
 * finished, unless the history holds it damaged (one of them -1). */
gboolean
winnow_ui_rows_known (WinnowTask *task)
{
  return winnow_task_get_rows_in (task) >= 0 && winnow_task_get_rows_out (task) >= 0;
}

/* "1,204 → 850", or "" before the task has finished. */
char *
winnow_ui_format_rows (WinnowTask *task)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;

  if (!winnow_ui_rows_known (task))
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

/* @icon shows @status: its icon, in its colour (one status class at a
 * time). Only what changed is set: a GtkImage given its icon again asks
 * the whole window to be measured again (and on X11, the window manager
 * for the work area), for every row drawn again as a task runs. */
void
winnow_ui_set_status_icon (GtkImage *icon, WinnowTaskStatus status)
{
  const char *name = winnow_ui_status_icon (status);
  const char *css_class = winnow_ui_status_css_class (status);

  if (gtk_image_get_storage_type (icon) != GTK_IMAGE_ICON_NAME ||
      g_strcmp0 (gtk_image_get_icon_name (icon), name) != 0)
    gtk_image_set_from_icon_name (icon, name);
  if (gtk_widget_has_css_class (GTK_WIDGET (icon), css_class))
    return;
  for (guint s = 0; s < WINNOW_TASK_N_STATUSES; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), winnow_ui_status_css_class ((WinnowTaskStatus) s));
  gtk_widget_add_css_class (GTK_WIDGET (icon), css_class);
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

/**
 * winnow_ui_shorten:
 * @text: (nullable): UTF-8 text, perhaps read from a file
 * @max_chars: the most characters to keep
 *
 * Returns: (transfer full): @text, or when it is longer than @max_chars
 * characters its first @max_chars - 1 and "…". Looks at no more than
 * @max_chars characters of @text, so a cell of a gigabyte costs nothing.
 */
char *
winnow_ui_shorten (const char *text, gsize max_chars)
{
  const char *end = text, *cut = text;
  gsize n = 0;

  if (text == NULL)
    return g_strdup ("");
  g_return_val_if_fail (max_chars > 0, g_strdup (""));
  while (*end != '\0' && n < max_chars)
    {
      if (n == max_chars - 1)
        cut = end;  /* where "…" goes if the text is longer */
      end = g_utf8_next_char (end);
      n++;
    }
  if (*end == '\0')
    return g_strdup (text);
  {
    GString *shown = g_string_new_len (text, cut - text);
    g_string_append (shown, "…");
    return g_string_free (shown, FALSE);
  }
}

/**
 * winnow_ui_display_path:
 * @path: (nullable): a file's path
 *
 * Returns: (transfer full): @path as the window shows it: valid UTF-8, and
 * "~" for the home folder, as in "~/Documents/customers.csv". What is
 * copied or opened is always the path itself.
 */
char *
winnow_ui_display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize n = home != NULL ? strlen (home) : 0;

  if (path == NULL)
    return g_strdup ("");
  while (n > 1 && home[n - 1] == G_DIR_SEPARATOR)
    n--;  /* HOME=/home/ann/ */
  /* the home folder itself, or a path inside it (not "/home/ann2" for "/home/ann") */
  if (n > 1 && strncmp (path, home, n) == 0 && (path[n] == '\0' || path[n] == G_DIR_SEPARATOR))
    {
      g_autofree char *rest = g_filename_display_name (path + n);
      return g_strconcat ("~", rest, NULL);
    }
  return g_filename_display_name (path);
}
