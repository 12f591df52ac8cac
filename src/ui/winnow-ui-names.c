/* winnow-ui-names.c: see winnow-ui-names.h.
 *
 * GTK 4.8 names a button twice: by its label as set ("_Open Result",
 * mnemonic and all) and by the label inside it that the button is
 * "labelled by" ("Open Result"), so a screen reader says "_Open Result
 * Open Result"; AdwButtonContent adds its label the same way to a name
 * given in the .ui ("Open Open"). It names what has no name after its
 * type ("GtkLabel", "GtkListItemWidget"), and libadwaita 1.2 leaves some
 * of its own parts unnamed. The gaps are filled here, once for the whole
 * app; tests/e2e/a11y.py walks the tree and fails on any left. */
#include "config.h"

#include "winnow-ui-names.h"

#include <glib/gi18n.h>

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
 * GTK 4.8 names a column view's cell, and a label or inscription with no
 * text, after their types ("GtkColumnViewCell", "GtkLabel"): the cell
 * says its text, or that it is empty.
 */
void
winnow_ui_name_cell (GtkWidget *child, const char *text)
{
  GtkWidget *cell = gtk_widget_get_parent (child);
  const char *name = text != NULL && text[0] != '\0' ? text : _("Empty");

  if (GTK_IS_LABEL (child) || GTK_IS_INSCRIPTION (child))
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
