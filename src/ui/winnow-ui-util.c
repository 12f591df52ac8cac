/* winnow-ui-util.c: see winnow-ui-util.h. */
#include "config.h"

#include "winnow-ui-util.h"

#include <adwaita.h>

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

/* A stored UTC time in local time, as people say it: "Today 14:03",
 * "Yesterday 07:51", "Monday 09:12" within a week, "30 Nov 07:51" this
 * year, else "30 Nov 2025". The clock follows the locale (%X's style is
 * too long: hours and minutes). */
char *
winnow_ui_format_time (GDateTime *utc)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *clock = NULL;
  GTimeSpan ago;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
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
  local = g_date_time_to_local (utc);
  /* Translators: a full date and time, see the strftime manual */
  return g_date_time_format (local, _("%A, %e %B %Y, %H:%M:%S"));
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

/* ---- names for screen readers ---- */

/* GTK 4.8 names a button twice: by its label as set ("_Open Result",
 * mnemonic and all) and by the label inside it that the button is
 * "labelled by" ("Open Result"), so a screen reader says "_Open Result
 * Open Result"; AdwButtonContent adds its label the same way to a name
 * given in the .ui ("Open Open"). A button is named once, here. */

static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * winnow_ui_fix_button_name:
 * @button: a GtkButton or GtkMenuButton
 * @name: (nullable): its accessible name; %NULL keeps the one it has
 *
 * Makes @name the button's only name (and its inner button's, for a
 * menu button).
 */
void
winnow_ui_fix_button_name (GtkWidget *button, const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (button));

  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  if (GTK_IS_MENU_BUTTON (button))
    {
      GtkWidget *inner = gtk_widget_get_first_child (button);
      if (inner != NULL && GTK_IS_BUTTON (inner))
        winnow_ui_fix_button_name (inner, name);
    }
}

/**
 * winnow_ui_set_accessible_label:
 *
 * Names @widget @label, and only that: GTK 4.8 would add the name of
 * what the widget is "labelled by" (the title of the row it is the
 * activatable widget of: "Keep id id", "Input delimiter Delimiter").
 */
void
winnow_ui_set_accessible_label (GtkWidget *widget, const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (label != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (widget), "winnow-a11y-label", GINT_TO_POINTER (1));
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* GTK 4.8 names what has no name after its type: a column view's header
 * row and its list of rows among them. */
static void
name_column_view_parts (GtkWidget *view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *type = G_OBJECT_TYPE_NAME (child);

      if (g_strcmp0 (type, "GtkListItemWidget") == 0)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Column headers"), -1);
      else if (GTK_IS_LIST_VIEW (child) || g_strcmp0 (type, "GtkColumnListView") == 0)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Rows"), -1);
    }
}

/**
 * winnow_ui_name_cell:
 * @child: what a column view's cell shows
 * @text: (nullable): what it says; %NULL or empty for an empty cell
 *
 * GTK 4.8 names a column view's cell, and a label with no text, after
 * their types ("GtkColumnViewCell", "GtkLabel"): the cell says its text,
 * or that it is empty.
 */
void
winnow_ui_name_cell (GtkWidget *child, const char *text)
{
  GtkWidget *cell = gtk_widget_get_parent (child);
  const char *name = text != NULL && text[0] != '\0' ? text : _("Empty");

  if (GTK_IS_LABEL (child))
    gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (cell != NULL && g_strcmp0 (G_OBJECT_TYPE_NAME (cell), "GtkColumnViewCell") == 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The title of the nearest row or group around @widget, for the lists
 * and switches libadwaita makes without a name. */
static const char *
title_around (GtkWidget *widget)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *title = NULL;

      if (ADW_IS_PREFERENCES_ROW (w))
        title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w));
      else if (ADW_IS_PREFERENCES_GROUP (w))
        {
          title = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (w));
          /* a group shown without a title says what it holds */
          if (title == NULL || title[0] == '\0')
            title = g_object_get_data (G_OBJECT (w), "winnow-list-name");
        }
      else if (ADW_IS_PREFERENCES_WINDOW (w))
        /* the list of what a search found */
        title = _("Search results");
      if (title != NULL && title[0] != '\0')
        return title;
    }
  return NULL;
}

/* A combo row's choice, said as the row's description: "Delimiter,
 * Automatic (Comma)". */
static void
on_combo_selected (AdwComboRow *row, GParamSpec *pspec, gpointer data)
{
  gpointer item = adw_combo_row_get_selected_item (row);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;
  const char *text = NULL;

  if (item == NULL)
    return;
  if (GTK_IS_STRING_OBJECT (item))
    text = gtk_string_object_get_string (item);
  else if (expression != NULL && gtk_expression_evaluate (expression, item, &value) &&
           G_VALUE_HOLDS_STRING (&value))
    text = g_value_get_string (&value);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
}

static void
describe_combo_row (GtkWidget *row)
{
  if (g_object_get_data (G_OBJECT (row), "winnow-described") != NULL)
    return;
  g_object_set_data (G_OBJECT (row), "winnow-described", GINT_TO_POINTER (1));
  g_signal_connect (row, "notify::selected-item", G_CALLBACK (on_combo_selected), NULL);
  on_combo_selected (ADW_COMBO_ROW (row), NULL, NULL);
}

static void
fix_name (GtkWidget *widget)
{
  if (g_object_get_data (G_OBJECT (widget), "winnow-a11y-label") != NULL)
    /* named by winnow_ui_set_accessible_label(); a row's activatable
     * widget is labelled by the row's title again when it is set */
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  else if (GTK_IS_COLUMN_VIEW (widget))
    name_column_view_parts (widget);
  else if (ADW_IS_EXPANDER_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      g_autofree char *name = title != NULL ? strip_mnemonic (title) : NULL;

      if (name != NULL && name[0] != '\0')
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        name, -1);
    }
  else if (GTK_IS_LIST_BOX (widget) && title_around (widget) != NULL)
    {
      /* a group's list is labelled by the group's title, an expander
       * row's by nothing: named once, by the title around it */
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title_around (widget), -1);
    }
  else if (ADW_IS_COMBO_ROW (widget))
    describe_combo_row (widget);
  else if (GTK_IS_LIST_VIEW (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_COMBO_ROW) != NULL)
    {
      /* a combo row shows its choice in a list of one row, unnamed; the
       * row says it itself (describe_combo_row) */
      if (gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL)
        gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      else
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        title_around (widget), -1);
    }
  else if (GTK_IS_SWITCH (widget) && ADW_IS_EXPANDER_ROW (gtk_widget_get_ancestor (widget, ADW_TYPE_EXPANDER_ROW)))
    /* an expander row's own switch, that turns what it holds on */
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    title_around (widget), -1);
  else if (GTK_IS_BUTTON (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY) != NULL &&
           GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))) &&
           g_strcmp0 (G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), "AdwToastWidget") == 0)
    /* a toast's close button */
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Dismiss"), -1);
  else if (ADW_IS_VIEW_SWITCHER (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Pages"), -1);
  else if (GTK_IS_SEARCH_ENTRY (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_WINDOW) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Search preferences"), -1);
  else if ((GTK_IS_BUTTON (widget) || GTK_IS_SPIN_BUTTON (widget)) &&
           ADW_IS_ACTION_ROW (gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW)) &&
           adw_action_row_get_activatable_widget (ADW_ACTION_ROW (gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW))) == widget &&
           !GTK_IS_SWITCH (widget) && !GTK_IS_CHECK_BUTTON (widget))
    /* a row's button or spin button, named in the .ui: not again by the
     * row's title ("Choose the output folder Output folder") */
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  else if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));
      const char *label = gtk_button_get_label (GTK_BUTTON (widget));

      if (label != NULL && gtk_button_get_use_underline (GTK_BUTTON (widget)))
        {
          g_autofree char *name = strip_mnemonic (label);
          winnow_ui_fix_button_name (widget, name);
        }
      else if (child != NULL && ADW_IS_BUTTON_CONTENT (child))
        /* its name is given in the .ui */
        winnow_ui_fix_button_name (widget, NULL);
    }
  else if (GTK_IS_SCROLLBAR (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)) ==
                                    GTK_ORIENTATION_VERTICAL ? _("Vertical scroll bar")
                                                             : _("Horizontal scroll bar"), -1);
}

static gboolean
on_map (GSignalInvocationHint *hint, guint n_values, const GValue *values, gpointer data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);

  /* an expander row's rows are walked while it is closed */
  if (ADW_IS_EXPANDER_ROW (widget))
    winnow_ui_name_widgets (widget);
  else
    fix_name (widget);
  return TRUE;
}

/**
 * winnow_ui_name_widgets:
 *
 * Names once every widget under @root, as the map hook does for each
 * widget shown: for the pages and dialogs not shown yet, which a screen
 * reader can already walk.
 */
void
winnow_ui_name_widgets (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  fix_name (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    winnow_ui_name_widgets (child);
}

/* Every widget of the app as it is shown, toasts' buttons too (made by
 * libadwaita as the toast shows): named once. */
void
winnow_ui_install_accessible_names (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* the class is made once, and kept: its signals are looked up */
      gpointer klass = g_type_class_ref (GTK_TYPE_WIDGET);
      guint map = g_signal_lookup ("map", GTK_TYPE_WIDGET);

      g_signal_add_emission_hook (map, 0, on_map, NULL, NULL);
      g_type_class_unref (klass);
      g_once_init_leave (&installed, 1);
    }
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
