/* winnow-fill-row.c: see winnow-fill-row.h. */
#include "config.h"

#include "winnow-fill-row.h"

#include <glib/gi18n.h>

#include "winnow-recipe-editor.h"
#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

const char *
winnow_fill_row_get_column (WinnowFillRow *fill)
{
  return fill->column;
}

/* Shows the suffix the choice needs and, for mean or median on a column
 * of text, why it will fill nothing; a value left empty is refused (it
 * would write empty fields and count them filled), and the row says so. */
void
winnow_fill_row_update (WinnowFillRow *fill)
{
  WinnowFillChoice choice = adw_combo_row_get_selected (fill->row);
  gboolean needs_numbers = choice == WINNOW_FILL_CHOICE_MEAN ||
                           choice == WINNOW_FILL_CHOICE_MEDIAN;
  const char *value = gtk_editable_get_text (GTK_EDITABLE (fill->value));

  gtk_widget_set_visible (GTK_WIDGET (fill->value), choice == WINNOW_FILL_CHOICE_VALUE);
  gtk_widget_set_visible (GTK_WIDGET (fill->limit),
                          choice == WINNOW_FILL_CHOICE_FFILL || choice == WINNOW_FILL_CHOICE_BFILL);
  g_clear_pointer (&fill->problem, g_free);
  gtk_widget_remove_css_class (GTK_WIDGET (fill->row), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (fill->row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (fill->value), "error");
  if (choice == WINNOW_FILL_CHOICE_VALUE && value[0] == '\0')
    {
      g_autofree char *shown = winnow_ui_shorten (fill->column, WINNOW_UI_NAME_CHARS);
      /* Translators: %s is a column name */
      fill->problem = g_strdup_printf (_("Type the value to fill %s with"), shown);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (fill->row), fill->problem);
      gtk_widget_add_css_class (GTK_WIDGET (fill->row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (fill->value), "error");
    }
  else if (needs_numbers && !fill->numeric)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (fill->row),
                                   _("This column holds text in the first rows: only its "
                                     "numbers count, and with none nothing is filled"));
      gtk_widget_add_css_class (GTK_WIDGET (fill->row), "warning");
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (fill->row), NULL);
}

/* Returns: (nullable): why the rule cannot run as it is set */
const char *
winnow_fill_row_get_problem (WinnowFillRow *fill)
{
  return fill->problem;
}

void
winnow_fill_row_free (gpointer data)
{
  WinnowFillRow *fill = data;

  g_free (fill->problem);
  g_free (fill->column);
  g_free (fill);
}

/* A combo row titled @column; @numeric FALSE marks mean and median. */
WinnowFillRow *
winnow_fill_row_new (const char *column, gboolean numeric)
{
  WinnowFillRow *fill = g_new0 (WinnowFillRow, 1);
  g_autofree char *shown = winnow_ui_shorten (column, WINNOW_UI_NAME_CHARS);
  g_autofree char *value_label = g_strdup_printf (_("Fill value for %s"), shown);
  g_autofree char *limit_label = g_strdup_printf (_("Fill at most this many rows in a row in %s"),
                                                  shown);
  const char *plain[] = {
    _("Leave Missing"), _("A Value"), _("Mean"), _("Median"), _("Most Frequent Value"),
    _("Previous Value"), _("Next Value"), NULL
  };
  const char *marked[] = {
    _("Leave Missing"), _("A Value"), _("Mean (Needs Numbers)"), _("Median (Needs Numbers)"),
    _("Most Frequent Value"), _("Previous Value"), _("Next Value"), NULL
  };
  g_autoptr(GtkStringList) choices = gtk_string_list_new (numeric ? plain : marked);

  fill->numeric = numeric;
  fill->column = g_strdup (column);
  fill->row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (fill->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fill->row), shown);
  adw_combo_row_set_model (fill->row, G_LIST_MODEL (choices));

  fill->value = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (fill->value, _("Value"));
  gtk_editable_set_width_chars (GTK_EDITABLE (fill->value), 10);
  gtk_widget_set_valign (GTK_WIDGET (fill->value), GTK_ALIGN_CENTER);
  winnow_ui_set_accessible_label (GTK_WIDGET (fill->value), value_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (fill->row), GTK_WIDGET (fill->value));

  fill->limit = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1e9, 1));
  gtk_widget_set_valign (GTK_WIDGET (fill->limit), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (fill->limit),
                               _("How many missing values in a row to fill; 0 fills them all"));
  winnow_ui_set_accessible_label (GTK_WIDGET (fill->limit), limit_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (fill->row), GTK_WIDGET (fill->limit));

  g_object_set_data (G_OBJECT (fill->row), "fill-row", fill);
  g_object_set_data (G_OBJECT (fill->value), "fill-row", fill);
  g_object_set_data (G_OBJECT (fill->limit), "fill-row", fill);
  winnow_fill_row_update (fill);
  return fill;
}
