/* winnow-recipe-editor-columns.c: the recipe editor's rows that name the
 * file's columns: one per column to keep or drop (with its type, chart
 * and missing share in the first rows), the columns compared for
 * duplicates and looked at for missing values, and a fill rule per
 * column. */
#include "config.h"

#include "winnow-recipe-editor-private.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

static void
str_array_remove (GPtrArray *array, const char *name)
{
  for (guint i = array->len; i-- > 0;)
    if (g_str_equal (g_ptr_array_index (array, i), name))
      g_ptr_array_remove_index (array, i);
}

int
_winnow_recipe_editor_column_index (WinnowRecipeEditor *self, const char *name)
{
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    if (g_str_equal (g_ptr_array_index (self->columns, i), name))
      return (int) i;
  return -1;
}

/* Returns: (transfer container): the columns kept, in the file's order */
GPtrArray *
_winnow_recipe_editor_kept_columns (WinnowRecipeEditor *self)
{
  GPtrArray *kept = g_ptr_array_new ();
  g_autoptr(GHashTable) dropped = _winnow_str_set_new (self->recipe->drop_columns);

  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      const char *name = g_ptr_array_index (self->columns, i);
      if (!g_hash_table_contains (dropped, name))
        g_ptr_array_add (kept, (gpointer) name);
    }
  return kept;
}

/* ---- fill rules ---- */

static const WinnowFillRule *
find_rule (const WinnowRecipe *recipe, const char *column)
{
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      if (g_str_equal (rule->column, column))
        return rule;
    }
  return NULL;
}

static int
compare_rules (gconstpointer a, gconstpointer b, gpointer data)
{
  const WinnowFillRule *x = *(WinnowFillRule * const *) a;
  const WinnowFillRule *y = *(WinnowFillRule * const *) b;
  guint ix = (guint) _winnow_recipe_editor_column_index (data, x->column);  /* unknown last */
  guint iy = (guint) _winnow_recipe_editor_column_index (data, y->column);

  return ix < iy ? -1 : ix > iy;
}

/* Sets (or with @choice NONE removes) the rule of @column; the rules stay
 * in the file's column order, whatever order they were set in. */
static void
set_rule (WinnowRecipeEditor *self, const char *column, WinnowFillChoice choice,
          const char *value, gint64 limit)
{
  GPtrArray *fill = self->recipe->fill;

  for (guint i = fill->len; i-- > 0;)
    if (g_str_equal (((WinnowFillRule *) g_ptr_array_index (fill, i))->column, column))
      g_ptr_array_remove_index (fill, i);
  if (choice == WINNOW_FILL_CHOICE_NONE)
    return;
  winnow_recipe_add_fill (self->recipe, column, (WinnowFillStrategy) (choice - 1), value, limit);
  g_ptr_array_sort_with_data (fill, compare_rules, self);
}

static void
write_fill_row (WinnowRecipeEditor *self, WinnowFillRow *fill)
{
  set_rule (self, winnow_fill_row_get_column (fill), adw_combo_row_get_selected (fill->row),
            gtk_editable_get_text (GTK_EDITABLE (fill->value)),
            (gint64) gtk_spin_button_get_value (fill->limit));
}

static void
on_fill_choice (AdwComboRow *row, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  WinnowFillRow *fill = g_object_get_data (G_OBJECT (row), "fill-row");

  winnow_fill_row_update (fill);
  if (self->syncing)
    return;
  write_fill_row (self, fill);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_fill_detail (GtkWidget *widget, WinnowRecipeEditor *self)
{
  WinnowFillRow *fill = g_object_get_data (G_OBJECT (widget), "fill-row");

  winnow_fill_row_update (fill);
  if (self->syncing)
    return;
  write_fill_row (self, fill);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static WinnowFillRow *
fill_row_new (WinnowRecipeEditor *self, const char *column, gboolean numeric)
{
  WinnowFillRow *fill = winnow_fill_row_new (column, numeric);

  g_signal_connect (fill->row, "notify::selected", G_CALLBACK (on_fill_choice), self);
  g_signal_connect (fill->value, "changed", G_CALLBACK (on_fill_detail), self);
  g_signal_connect (fill->limit, "value-changed", G_CALLBACK (on_fill_detail), self);
  return fill;
}

/* A fill of "a value" with no value would write empty fields and count
 * them filled: the first kept column that asks for one, in words. */
const char *
_winnow_recipe_editor_fill_problem (WinnowRecipeEditor *self)
{
  for (guint i = 0; i < self->fill_rows->len; i++)
    {
      WinnowFillRow *fill = g_ptr_array_index (self->fill_rows, i);
      if (gtk_widget_get_visible (GTK_WIDGET (fill->row)) && winnow_fill_row_get_problem (fill))
        return winnow_fill_row_get_problem (fill);
    }
  return NULL;
}

/* ---- columns ---- */

/* What hangs on the kept columns: the pickers' lists, the fill rows,
 * the replacements' choices. */
static void
update_column_dependents (WinnowRecipeEditor *self)
{
  g_autoptr(GPtrArray) kept = _winnow_recipe_editor_kept_columns (self);
  g_autoptr(GHashTable) kept_set = _winnow_str_set_new (kept);

  winnow_column_picker_set_columns (self->duplicates_picker, kept);
  winnow_column_picker_set_columns (self->missing_picker, kept);
  for (guint i = 0; i < self->fill_rows->len; i++)
    {
      WinnowFillRow *fill = g_ptr_array_index (self->fill_rows, i);
      gtk_widget_set_visible (GTK_WIDGET (fill->row),
                              g_hash_table_contains (kept_set, winnow_fill_row_get_column (fill)));
    }
  adw_preferences_group_set_description (self->fill_group, kept->len > 0
                                         ? _("Per column, in the rows that are kept.")
                                         : _("The columns are listed once the file is read."));
  _winnow_recipe_editor_replace_columns_changed (self);
}

/* Keeps the dropped columns in the file's order, after any the file
 * does not have (a recipe written for another file). */
static void
on_column_switch (GtkSwitch *sw, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  const char *column = g_object_get_data (G_OBJECT (sw), "column");
  WinnowRecipe *recipe = self->recipe;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);

  if (self->syncing)
    return;
  for (guint i = 0; i < recipe->drop_columns->len; i++)
    {
      const char *name = g_ptr_array_index (recipe->drop_columns, i);
      if (_winnow_recipe_editor_column_index (self, name) < 0)
        g_ptr_array_add (others, g_strdup (name));
    }
  g_ptr_array_set_size (recipe->drop_columns, 0);
  g_ptr_array_extend_and_steal (recipe->drop_columns, g_steal_pointer (&others));
  for (guint i = 0; i < self->columns->len; i++)
    {
      const char *name = g_ptr_array_index (self->columns, i);
      if (!gtk_switch_get_active (g_hash_table_lookup (self->switches, name)))
        g_ptr_array_add (recipe->drop_columns, g_strdup (name));
    }
  /* a dropped column cannot be compared, looked at, replaced or filled */
  if (!gtk_switch_get_active (sw))
    {
      str_array_remove (recipe->duplicates_subset, column);
      str_array_remove (recipe->missing_subset, column);
      set_rule (self, column, WINNOW_FILL_CHOICE_NONE, NULL, 0);
      _winnow_recipe_editor_drop_replace (self, column);
    }
  _winnow_recipe_editor_sync_controls (self);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static char *
column_subtitle (const WinnowColumnProfile *profile, guint64 n_rows)
{
  const char *type = winnow_ui_column_type_label (profile->type);
  g_autofree char *missing = NULL;

  if (profile->missing_before == 0)
    return g_strdup_printf (_("%s · none missing"), type);
  missing = winnow_ui_format_count ((gint64) profile->missing_before);
  return g_strdup_printf (_("%s · %s missing (%.1f%%)"), type, missing,
                          n_rows > 0 ? 100.0 * (double) profile->missing_before / (double) n_rows
                                     : 0.0);
}

static void
clear_column_rows (WinnowRecipeEditor *self)
{
  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, i));
  g_ptr_array_set_size (self->column_rows, 0);
  for (guint i = 0; i < self->fill_rows->len; i++)
    {
      WinnowFillRow *fill = g_ptr_array_index (self->fill_rows, i);
      adw_preferences_group_remove (self->fill_group, GTK_WIDGET (fill->row));
    }
  g_hash_table_remove_all (self->fill_by_name);
  g_ptr_array_set_size (self->fill_rows, 0);
  g_hash_table_remove_all (self->switches);
  g_hash_table_remove_all (self->charts);
}

static gboolean
is_numeric (const WinnowColumnProfile *p)
{
  return p == NULL || p->type == WINNOW_COLUMN_INTEGER || p->type == WINNOW_COLUMN_FLOAT;
}

static void
add_column_row (WinnowRecipeEditor *self, const char *name, const WinnowColumnProfile *p)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();
  GtkWidget *chart = winnow_column_chart_new ();
  g_autofree char *shown = winnow_ui_shorten (name, WINNOW_UI_NAME_CHARS);
  g_autofree char *label = g_strdup_printf (_("Keep %s"), shown);
  WinnowFillRow *fill;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
  if (p != NULL)
    {
      g_autofree char *subtitle = column_subtitle (p, self->n_rows);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  winnow_column_chart_set_profile (WINNOW_COLUMN_CHART (chart), p, self->n_rows);
  gtk_widget_set_visible (chart, p != NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), chart);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  winnow_ui_set_accessible_label (sw, label);
  g_object_set_data_full (G_OBJECT (sw), "column", g_strdup (name), g_free);
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_column_switch), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (self->columns_group, row);
  g_ptr_array_add (self->column_rows, row);
  g_hash_table_insert (self->switches, g_strdup (name), sw);
  g_hash_table_insert (self->charts, g_strdup (name), chart);

  fill = fill_row_new (self, name, is_numeric (p));
  adw_preferences_group_add (self->fill_group, GTK_WIDGET (fill->row));
  g_ptr_array_add (self->fill_rows, fill);
  g_hash_table_insert (self->fill_by_name, g_strdup (name), fill);
}

static void
set_profile (WinnowRecipeEditor *self, GPtrArray *profile, guint64 n_rows)
{
  g_clear_pointer (&self->profile, g_ptr_array_unref);
  self->profile = profile != NULL ? g_ptr_array_ref (profile) : NULL;
  self->n_rows = n_rows;
}

/**
 * winnow_recipe_editor_set_columns:
 * @names: (nullable): of char*, the file's columns
 * @profile: (nullable): of WinnowColumnProfile*, the same columns in the sample
 * @n_rows: rows in the sample, for the missing shares
 */
void
winnow_recipe_editor_set_columns (WinnowRecipeEditor *self, GPtrArray *names,
                                  GPtrArray *profile, guint64 n_rows)
{
  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));

  clear_column_rows (self);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  set_profile (self, profile, n_rows);
  if (names != NULL)
    {
      self->columns = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (self->columns, g_strdup (g_ptr_array_index (names, i)));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->columns_placeholder), names == NULL);
  for (guint i = 0; names != NULL && i < names->len; i++)
    add_column_row (self, g_ptr_array_index (names, i),
                    profile != NULL && i < profile->len ? g_ptr_array_index (profile, i) : NULL);
  _winnow_recipe_editor_sync_controls (self);
}

/* New missing counts for the same columns (the NA tokens or trimming
 * changed): the rows stay, so typing in the NA entry keeps its focus. */
void
winnow_recipe_editor_update_profile (WinnowRecipeEditor *self, GPtrArray *profile, guint64 n_rows)
{
  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));
  g_return_if_fail (profile != NULL);

  set_profile (self, profile, n_rows);
  for (guint i = 0; i < self->column_rows->len && i < profile->len; i++)
    {
      const WinnowColumnProfile *p = g_ptr_array_index (profile, i);
      g_autofree char *subtitle = column_subtitle (p, n_rows);
      WinnowFillRow *fill = g_ptr_array_index (self->fill_rows, i);
      WinnowColumnChart *chart = g_hash_table_lookup (self->charts, p->name);

      adw_action_row_set_subtitle (g_ptr_array_index (self->column_rows, i), subtitle);
      if (chart != NULL)
        {
          winnow_column_chart_set_profile (chart, p, n_rows);
          gtk_widget_set_visible (GTK_WIDGET (chart), TRUE);
        }
      fill->numeric = is_numeric (p);
      winnow_fill_row_update (fill);
    }
  _winnow_recipe_editor_replace_columns_changed (self);
}

/* The file could not be read: says why where the columns would be. */
void
winnow_recipe_editor_set_columns_problem (WinnowRecipeEditor *self, const char *message)
{
  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));

  clear_column_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_placeholder), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_spinner), message == NULL);
  gtk_spinner_set_spinning (self->columns_spinner, message == NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->columns_placeholder),
                                 message != NULL ? message : _("Reading the file…"));
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->columns_placeholder), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->columns_placeholder), "error");
}

/* A line under the Columns title, e.g. that the columns are the first file's. */
void
winnow_recipe_editor_set_columns_note (WinnowRecipeEditor *self, const char *note)
{
  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));
  adw_preferences_group_set_description (self->columns_group, note);
}

/* ---- column subsets ---- */

static void
copy_selection (GPtrArray *to, GPtrArray *from)
{
  g_ptr_array_set_size (to, 0);
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

static void
on_subset_changed (WinnowColumnPicker *picker, WinnowRecipeEditor *self)
{
  if (self->syncing)
    return;
  copy_selection (picker == self->duplicates_picker ? self->recipe->duplicates_subset
                                                    : self->recipe->missing_subset,
                  winnow_column_picker_get_selected (picker));
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static WinnowColumnPicker *
add_picker (WinnowRecipeEditor *self, AdwActionRow *row, const char *label)
{
  WinnowColumnPicker *picker = WINNOW_COLUMN_PICKER (winnow_column_picker_new ());

  gtk_accessible_update_property (GTK_ACCESSIBLE (picker), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  adw_action_row_add_suffix (row, GTK_WIDGET (picker));
  g_signal_connect (picker, "changed", G_CALLBACK (on_subset_changed), self);
  return picker;
}

void
_winnow_recipe_editor_init_columns (WinnowRecipeEditor *self)
{
  self->column_rows = g_ptr_array_new ();
  self->fill_rows = g_ptr_array_new_with_free_func (winnow_fill_row_free);
  self->fill_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->charts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->duplicates_picker = add_picker (self, self->duplicates_subset_row,
                                        _("Columns compared for duplicates"));
  self->missing_picker = add_picker (self, self->missing_subset_row,
                                     _("Columns looked at for missing values"));
}

/* The column rows from the recipe: switches, subsets, fills. */
void
_winnow_recipe_editor_sync_columns (WinnowRecipeEditor *self)
{
  const WinnowRecipe *recipe = self->recipe;
  g_autoptr(GHashTable) dropped = _winnow_str_set_new (recipe->drop_columns);

  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      const char *name = g_ptr_array_index (self->columns, i);
      gtk_switch_set_active (g_hash_table_lookup (self->switches, name),
                             !g_hash_table_contains (dropped, name));
    }
  update_column_dependents (self);
  winnow_column_picker_set_selected (self->duplicates_picker, recipe->duplicates_subset);
  winnow_column_picker_set_selected (self->missing_picker, recipe->missing_subset);
  for (guint i = 0; i < self->fill_rows->len; i++)
    {
      WinnowFillRow *fill = g_ptr_array_index (self->fill_rows, i);
      const WinnowFillRule *rule = find_rule (recipe, winnow_fill_row_get_column (fill));

      adw_combo_row_set_selected (fill->row, rule != NULL ? rule->strategy + 1
                                                          : WINNOW_FILL_CHOICE_NONE);
      gtk_editable_set_text (GTK_EDITABLE (fill->value),
                             rule != NULL && rule->value != NULL ? rule->value : "");
      gtk_spin_button_set_value (fill->limit, rule != NULL ? (double) rule->limit : 0);
      winnow_fill_row_update (fill);
    }
}

/* ---- for tests ---- */

GtkSwitch *
winnow_recipe_editor_get_column_switch (WinnowRecipeEditor *self, const char *column)
{
  return g_hash_table_lookup (self->switches, column);
}

AdwComboRow *
winnow_recipe_editor_get_fill_row (WinnowRecipeEditor *self, const char *column)
{
  WinnowFillRow *fill = g_hash_table_lookup (self->fill_by_name, column);
  return fill != NULL ? fill->row : NULL;
}
