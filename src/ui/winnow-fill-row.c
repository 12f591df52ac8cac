/* winnow-fill-row.c: see winnow-fill-row.h. */
#include "config.h"

#include "winnow-fill-row.h"

#include <glib/gi18n.h>

#include "winnow-recipe-editor.h"

const char *
winnow_fill_row_get_column (WinnowFillRow *fill)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (fill->row));
}

/* Shows the suffix the choice needs and, for mean or median on a column
 * of text, why it will fill nothing. */
void
winnow_fill_row_update (WinnowFillRow *fill)
{
  WinnowFillChoice choice = adw_combo_row_get_selected (fill->row);
  gboolean needs_numbers = choice == WINNOW_FILL_CHOICE_MEAN ||
                           choice == WINNOW_FILL_CHOICE_MEDIAN;

  gtk_widget_set_visible (GTK_WIDGET (fill->value), choice == WINNOW_FILL_CHOICE_VALUE);
  gtk_widget_set_visible (GTK_WIDGET (fill->limit),
                          choice == WINNOW_FILL_CHOICE_FFILL || choice == WINNOW_FILL_CHOICE_BFILL);
  if (needs_numbers && !fill->numeric)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (fill->row),
                                   _("This column holds text in the first rows: only its "
                                     "numbers count, and with none nothing is filled"));
      gtk_widget_add_css_class (GTK_WIDGET (fill->row), "warning");
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (fill->row), NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (fill->row), "warning");
    }
}

void
winnow_fill_row_free (gpointer data)
{
  g_free (data);
}

/* A combo row titled @column; @numeric FALSE marks mean and median. */
WinnowFillRow *
winnow_fill_row_new (const char *column, gboolean numeric)
{
  WinnowFillRow *fill = g_new0 (WinnowFillRow, 1);
  g_autofree char *value_label = g_strdup_printf (_("Fill value for %s"), column);
  g_autofree char *limit_label = g_strdup_printf (_("Fill at most this many rows in a row in %s"),
                                                  column);
  const char *plain[] = {
    _("Leave missing"), _("A value"), _("Mean"), _("Median"), _("Most frequent value"),
    _("Previous value"), _("Next value"), NULL
  };
  const char *marked[] = {
    _("Leave missing"), _("A value"), _("Mean (needs numbers)"), _("Median (needs numbers)"),
    _("Most frequent value"), _("Previous value"), _("Next value"), NULL
  };
  g_autoptr(GtkStringList) choices = gtk_string_list_new (numeric ? plain : marked);

  fill->numeric = numeric;
  fill->row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (fill->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fill->row), column);
  adw_combo_row_set_model (fill->row, G_LIST_MODEL (choices));

  fill->value = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (fill->value, _("Value"));
  gtk_editable_set_width_chars (GTK_EDITABLE (fill->value), 10);
  gtk_widget_set_valign (GTK_WIDGET (fill->value), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (fill->value), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  value_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (fill->row), GTK_WIDGET (fill->value));

  fill->limit = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1e9, 1));
  gtk_widget_set_valign (GTK_WIDGET (fill->limit), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (fill->limit),
                               _("How many missing values in a row to fill; 0 fills them all"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (fill->limit), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  limit_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (fill->row), GTK_WIDGET (fill->limit));

  g_object_set_data (G_OBJECT (fill->row), "fill-row", fill);
  g_object_set_data (G_OBJECT (fill->value), "fill-row", fill);
  g_object_set_data (G_OBJECT (fill->limit), "fill-row", fill);
  winnow_fill_row_update (fill);
  return fill;
}
