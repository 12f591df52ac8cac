/* winnow-recipe-editor.c: see winnow-recipe-editor.h. */
#include "config.h"

#include "winnow-recipe-editor.h"

#include <glib/gi18n.h>

#include "winnow-column-picker.h"
#include "winnow-fill-row.h"
#include "winnow-ui-util.h"

typedef WinnowFillRow FillRow;


struct _WinnowRecipeEditor {
  AdwBin parent_instance;

  AdwPreferencesGroup *summary_group;
  AdwPreferencesGroup *reading_group;
  AdwComboRow *delimiter_row;
  AdwComboRow *encoding_row;
  GtkSwitch *header_switch;
  AdwComboRow *bad_lines_row;
  AdwPreferencesGroup *columns_group;
  AdwActionRow *columns_placeholder;
  GtkSpinner *columns_spinner;
  GtkSwitch *trim_switch;
  AdwExpanderRow *duplicates_row;
  AdwComboRow *keep_row;
  AdwActionRow *duplicates_subset_row;
  AdwExpanderRow *missing_row;
  AdwComboRow *how_row;
  AdwActionRow *thresh_row;
  GtkSpinButton *thresh_spin;
  AdwActionRow *missing_subset_row;
  AdwEntryRow *na_row;
  GtkSwitch *empty_switch;
  AdwPreferencesGroup *fill_group;
  AdwPreferencesGroup *output_group;
  AdwComboRow *out_delimiter_row;
  AdwComboRow *line_ending_row;
  GtkSwitch *formula_switch;
  GtkSwitch *rejects_switch;

  WinnowColumnPicker *duplicates_picker;
  WinnowColumnPicker *missing_picker;
  GArray *delimiters;       /* of gunichar, the items of delimiter_row; 0 is "detect" */
  GArray *out_delimiters;   /* of gunichar, the items of out_delimiter_row */
  GPtrArray *encodings;     /* of char*, the items of encoding_row; "auto" first */

  WinnowRecipe *recipe;
  GPtrArray *columns;       /* of char*: the file's columns, or NULL until read */
  GPtrArray *column_rows;   /* of GtkWidget*, in columns_group */
  GHashTable *switches;     /* column -> GtkSwitch* */
  GPtrArray *fill_rows;     /* of FillRow*, in column order */
  GHashTable *fill_by_name; /* column -> FillRow* */
  guint syncing;
};

G_DEFINE_FINAL_TYPE (WinnowRecipeEditor, winnow_recipe_editor, ADW_TYPE_BIN)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void sync_controls (WinnowRecipeEditor *self);

static void
emit_changed (WinnowRecipeEditor *self, WinnowEditorChange what)
{
  g_signal_emit (self, signals[CHANGED], 0, (guint) what);
}

static gboolean
str_array_contains (GPtrArray *array, const char *name)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), name))
      return TRUE;
  return FALSE;
}

/* @array's strings as a set (not copied): a recipe's lists can hold
 * 100,000 names, checked against as many columns. */
static GHashTable *
str_set_new (GPtrArray *array)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_hash_table_add (set, g_ptr_array_index (array, i));
  return set;
}

static void
str_array_remove (GPtrArray *array, const char *name)
{
  for (guint i = array->len; i-- > 0;)
    if (g_str_equal (g_ptr_array_index (array, i), name))
      g_ptr_array_remove_index (array, i);
}

static int
column_index (WinnowRecipeEditor *self, const char *name)
{
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    if (g_str_equal (g_ptr_array_index (self->columns, i), name))
      return (int) i;
  return -1;
}

static GtkStringList *
combo_strings (AdwComboRow *row)
{
  return GTK_STRING_LIST (adw_combo_row_get_model (row));
}

/* ---- delimiters and encodings ---- */

static char *
delimiter_label (gunichar c)
{
  char text[8] = { 0 };

  switch (c)
    {
    case ',': return g_strdup (_("Comma"));
    case ';': return g_strdup (_("Semicolon"));
    case '\t': return g_strdup (_("Tab"));
    case '|': return g_strdup (_("Vertical bar"));
    case ' ': return g_strdup (_("Space"));
    default:
      g_unichar_to_utf8 (c, text);
      return g_strdup_printf ("“%s”", text);
    }
}

/* The item of @c in a delimiter row, added when it is not listed. */
static guint
delimiter_position (AdwComboRow *row, GArray *chars, gunichar c)
{
  g_autofree char *label = NULL;

  for (guint i = 0; i < chars->len; i++)
    if (g_array_index (chars, gunichar, i) == c)
      return i;
  label = delimiter_label (c);
  gtk_string_list_append (combo_strings (row), label);
  g_array_append_val (chars, c);
  return chars->len - 1;
}

static guint
encoding_position (WinnowRecipeEditor *self, const char *encoding)
{
  for (guint i = 0; i < self->encodings->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->encodings, i), encoding) == 0)
      return i;
  gtk_string_list_append (combo_strings (self->encoding_row), encoding);
  g_ptr_array_add (self->encodings, g_strdup (encoding));
  return self->encodings->len - 1;
}

/* Replaces item 0 of a row ("Detect automatically") by @label. */
static void
set_first_label (WinnowRecipeEditor *self, AdwComboRow *row, const char *label)
{
  const char *items[] = { label, NULL };
  guint selected = adw_combo_row_get_selected (row);

  self->syncing++;
  gtk_string_list_splice (combo_strings (row), 0, 1, items);
  adw_combo_row_set_selected (row, selected);
  self->syncing--;
}

/* ---- the NA tokens: an entry for the markers, a switch for "" ---- */

static char *
na_text (const WinnowRecipe *recipe)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < recipe->na_values->len; i++)
    {
      const char *token = g_ptr_array_index (recipe->na_values, i);
      if (token[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, token);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
read_na_values (WinnowRecipeEditor *self)
{
  GPtrArray *na = self->recipe->na_values;
  g_auto(GStrv) tokens = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->na_row)), ",", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_set_size (na, 0);
  if (gtk_switch_get_active (self->empty_switch))
    g_ptr_array_add (na, g_strdup (""));
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      char *token = g_strstrip (tokens[i]);
      if (token[0] != '\0' && g_hash_table_add (seen, token))
        g_ptr_array_add (na, g_strdup (token));
    }
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
  guint ix = (guint) column_index (data, x->column);  /* unknown columns last */
  guint iy = (guint) column_index (data, y->column);

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
write_fill_row (WinnowRecipeEditor *self, FillRow *fill)
{
  set_rule (self, winnow_fill_row_get_column (fill), adw_combo_row_get_selected (fill->row),
            gtk_editable_get_text (GTK_EDITABLE (fill->value)),
            (gint64) gtk_spin_button_get_value (fill->limit));
}

static void
on_fill_choice (AdwComboRow *row, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  FillRow *fill = g_object_get_data (G_OBJECT (row), "fill-row");

  winnow_fill_row_update (fill);
  if (self->syncing)
    return;
  write_fill_row (self, fill);
  emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_fill_detail (GtkWidget *widget, WinnowRecipeEditor *self)
{
  if (self->syncing)
    return;
  write_fill_row (self, g_object_get_data (G_OBJECT (widget), "fill-row"));
  emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static FillRow *
fill_row_new (WinnowRecipeEditor *self, const char *column, gboolean numeric)
{
  FillRow *fill = winnow_fill_row_new (column, numeric);

  g_signal_connect (fill->row, "notify::selected", G_CALLBACK (on_fill_choice), self);
  g_signal_connect (fill->value, "changed", G_CALLBACK (on_fill_detail), self);
  g_signal_connect (fill->limit, "value-changed", G_CALLBACK (on_fill_detail), self);
  return fill;
}

/* ---- columns ---- */

static GPtrArray *
kept_columns (WinnowRecipeEditor *self)
{
  GPtrArray *kept = g_ptr_array_new ();
  g_autoptr(GHashTable) dropped = str_set_new (self->recipe->drop_columns);

  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      const char *name = g_ptr_array_index (self->columns, i);
      if (!g_hash_table_contains (dropped, name))
        g_ptr_array_add (kept, (gpointer) name);
    }
  return kept;
}

/* What hangs on the kept columns: the pickers' lists, the fill rows. */
static void
update_column_dependents (WinnowRecipeEditor *self)
{
  g_autoptr(GPtrArray) kept = kept_columns (self);
  g_autoptr(GHashTable) kept_set = str_set_new (kept);

  winnow_column_picker_set_columns (self->duplicates_picker, kept);
  winnow_column_picker_set_columns (self->missing_picker, kept);
  for (guint i = 0; i < self->fill_rows->len; i++)
    {
      FillRow *fill = g_ptr_array_index (self->fill_rows, i);
      gtk_widget_set_visible (GTK_WIDGET (fill->row),
                              g_hash_table_contains (kept_set, winnow_fill_row_get_column (fill)));
    }
  adw_preferences_group_set_description (self->fill_group, kept->len > 0
                                         ? _("Per column, in the rows that are kept.")
                                         : _("The columns are listed once the file is read."));
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
      if (column_index (self, name) < 0)
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
  /* a dropped column cannot be compared, looked at or filled */
  if (!gtk_switch_get_active (sw))
    {
      str_array_remove (recipe->duplicates_subset, column);
      str_array_remove (recipe->missing_subset, column);
      set_rule (self, column, WINNOW_FILL_CHOICE_NONE, NULL, 0);
    }
  sync_controls (self);
  emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
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
      FillRow *fill = g_ptr_array_index (self->fill_rows, i);
      adw_preferences_group_remove (self->fill_group, GTK_WIDGET (fill->row));
    }
  g_hash_table_remove_all (self->fill_by_name);
  g_ptr_array_set_size (self->fill_rows, 0);
  g_hash_table_remove_all (self->switches);
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
  clear_column_rows (self);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  if (names != NULL)
    {
      self->columns = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (self->columns, g_strdup (g_ptr_array_index (names, i)));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->columns_placeholder), names == NULL);

  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const WinnowColumnProfile *p = profile != NULL && i < profile->len
                                     ? g_ptr_array_index (profile, i) : NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *label = g_strdup_printf (_("Keep %s"), name);
      FillRow *fill;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      if (p != NULL)
        {
          g_autofree char *subtitle = column_subtitle (p, n_rows);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_object_set_data_full (G_OBJECT (sw), "column", g_strdup (name), g_free);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_column_switch), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
      g_hash_table_insert (self->switches, g_strdup (name), sw);

      fill = fill_row_new (self, name, p == NULL || p->type == WINNOW_COLUMN_INTEGER ||
                                       p->type == WINNOW_COLUMN_FLOAT);
      adw_preferences_group_add (self->fill_group, GTK_WIDGET (fill->row));
      g_ptr_array_add (self->fill_rows, fill);
      g_hash_table_insert (self->fill_by_name, g_strdup (name), fill);
    }
  sync_controls (self);
}

/* New missing counts for the same columns (the NA tokens or trimming
 * changed): the rows stay, so typing in the NA entry keeps its focus. */
void
winnow_recipe_editor_update_profile (WinnowRecipeEditor *self, GPtrArray *profile, guint64 n_rows)
{
  for (guint i = 0; i < self->column_rows->len && i < profile->len; i++)
    {
      const WinnowColumnProfile *p = g_ptr_array_index (profile, i);
      g_autofree char *subtitle = column_subtitle (p, n_rows);
      FillRow *fill = g_ptr_array_index (self->fill_rows, i);

      adw_action_row_set_subtitle (g_ptr_array_index (self->column_rows, i), subtitle);
      fill->numeric = p->type == WINNOW_COLUMN_INTEGER || p->type == WINNOW_COLUMN_FLOAT;
      winnow_fill_row_update (fill);
    }
}

/* The file could not be read: says why where the columns would be. */
void
winnow_recipe_editor_set_columns_problem (WinnowRecipeEditor *self, const char *message)
{
  clear_column_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_placeholder), TRUE);
  gtk_spinner_set_spinning (self->columns_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_spinner), message == NULL);
  gtk_spinner_set_spinning (self->columns_spinner, message == NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->columns_placeholder),
                                 message != NULL ? message : _("Reading the file…"));
}

/* A line under the Columns title, e.g. that the columns are the first file's. */
void
winnow_recipe_editor_set_columns_note (WinnowRecipeEditor *self, const char *note)
{
  adw_preferences_group_set_description (self->columns_group, note);
}

/* ---- controls -> recipe ---- */

static void
on_input_changed (GObject *object, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  WinnowRecipe *recipe = self->recipe;
  guint delimiter = adw_combo_row_get_selected (self->delimiter_row);
  guint encoding = adw_combo_row_get_selected (self->encoding_row);

  if (self->syncing)
    return;
  if (delimiter < self->delimiters->len)
    recipe->delimiter = g_array_index (self->delimiters, gunichar, delimiter);
  if (encoding < self->encodings->len)
    {
      g_free (recipe->encoding);
      recipe->encoding = g_strdup (g_ptr_array_index (self->encodings, encoding));
    }
  recipe->header = gtk_switch_get_active (self->header_switch);
  recipe->bad_lines = (WinnowBadLines) adw_combo_row_get_selected (self->bad_lines_row);
  emit_changed (self, WINNOW_EDITOR_CHANGED_INPUT | WINNOW_EDITOR_CHANGED_PROFILE |
                      WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_profile_changed (GObject *object, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  if (self->syncing)
    return;
  self->recipe->trim_whitespace = gtk_switch_get_active (self->trim_switch);
  read_na_values (self);
  emit_changed (self, WINNOW_EDITOR_CHANGED_PROFILE | WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_na_text_changed (GtkEditable *editable, WinnowRecipeEditor *self)
{
  on_profile_changed (G_OBJECT (editable), NULL, self);
}

static void
on_steps_changed (GObject *object, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  WinnowRecipe *recipe = self->recipe;
  guint how = adw_combo_row_get_selected (self->how_row);
  guint out = adw_combo_row_get_selected (self->out_delimiter_row);

  if (self->syncing)
    return;
  recipe->drop_duplicates = adw_expander_row_get_enable_expansion (self->duplicates_row);
  recipe->keep = (WinnowKeep) adw_combo_row_get_selected (self->keep_row);
  recipe->drop_missing = adw_expander_row_get_enable_expansion (self->missing_row);
  recipe->how = how == 1 ? WINNOW_HOW_ALL : WINNOW_HOW_ANY;
  recipe->thresh = how == 2 ? (gint64) gtk_spin_button_get_value (self->thresh_spin) : -1;
  gtk_widget_set_visible (GTK_WIDGET (self->thresh_row), how == 2);
  if (out < self->out_delimiters->len)
    recipe->out_delimiter = g_array_index (self->out_delimiters, gunichar, out);
  recipe->crlf = adw_combo_row_get_selected (self->line_ending_row) == 1;
  recipe->formula_guard = gtk_switch_get_active (self->formula_switch);
  recipe->rejects = gtk_switch_get_active (self->rejects_switch);
  emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_spin_changed (GtkSpinButton *spin, WinnowRecipeEditor *self)
{
  on_steps_changed (G_OBJECT (spin), NULL, self);
}

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
  emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

/* ---- recipe -> controls ---- */

static void
sync_controls (WinnowRecipeEditor *self)
{
  const WinnowRecipe *recipe = self->recipe;
  g_autofree char *na = na_text (recipe);
  g_autoptr(GHashTable) dropped = NULL;
  guint how = recipe->thresh >= 0 ? 2 : recipe->how == WINNOW_HOW_ALL ? 1 : 0;

  self->syncing++;
  adw_combo_row_set_selected (self->delimiter_row,
                              delimiter_position (self->delimiter_row, self->delimiters,
                                                  recipe->delimiter));
  adw_combo_row_set_selected (self->encoding_row, encoding_position (self, recipe->encoding));
  gtk_switch_set_active (self->header_switch, recipe->header);
  adw_combo_row_set_selected (self->bad_lines_row, recipe->bad_lines);

  gtk_switch_set_active (self->trim_switch, recipe->trim_whitespace);
  adw_expander_row_set_enable_expansion (self->duplicates_row, recipe->drop_duplicates);
  adw_combo_row_set_selected (self->keep_row, recipe->keep);
  adw_expander_row_set_enable_expansion (self->missing_row, recipe->drop_missing);
  adw_combo_row_set_selected (self->how_row, how);
  gtk_spin_button_set_value (self->thresh_spin, recipe->thresh >= 0 ? (double) recipe->thresh : 1);
  gtk_widget_set_visible (GTK_WIDGET (self->thresh_row), how == 2);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->na_row)), na) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->na_row), na);
  gtk_switch_set_active (self->empty_switch, str_array_contains (recipe->na_values, ""));

  adw_combo_row_set_selected (self->out_delimiter_row,
                              delimiter_position (self->out_delimiter_row, self->out_delimiters,
                                                  recipe->out_delimiter));
  adw_combo_row_set_selected (self->line_ending_row, recipe->crlf ? 1 : 0);
  gtk_switch_set_active (self->formula_switch, recipe->formula_guard);
  gtk_switch_set_active (self->rejects_switch, recipe->rejects);

  dropped = str_set_new (recipe->drop_columns);
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
      FillRow *fill = g_ptr_array_index (self->fill_rows, i);
      const WinnowFillRule *rule = find_rule (recipe, winnow_fill_row_get_column (fill));

      adw_combo_row_set_selected (fill->row, rule != NULL ? rule->strategy + 1
                                                          : WINNOW_FILL_CHOICE_NONE);
      gtk_editable_set_text (GTK_EDITABLE (fill->value),
                             rule != NULL && rule->value != NULL ? rule->value : "");
      gtk_spin_button_set_value (fill->limit, rule != NULL ? (double) rule->limit : 0);
      winnow_fill_row_update (fill);
    }
  self->syncing--;
}

void
winnow_recipe_editor_set_recipe (WinnowRecipeEditor *self, const WinnowRecipe *recipe)
{
  winnow_recipe_free (self->recipe);
  self->recipe = winnow_recipe_copy (recipe);
  sync_controls (self);
}

/* Returns: (transfer none): the recipe as the controls say */
const WinnowRecipe *
winnow_recipe_editor_get_recipe (WinnowRecipeEditor *self)
{
  return self->recipe;
}

/* What detecting found: named in the "Detect automatically" items. */
void
winnow_recipe_editor_set_detected (WinnowRecipeEditor *self, gunichar delimiter,
                                   const char *encoding)
{
  g_autofree char *name = delimiter != 0 ? delimiter_label (delimiter) : NULL;
  g_autofree char *delimiter_item = name != NULL
                                    ? g_strdup_printf (_("Automatic (%s)"), name)
                                    : g_strdup (_("Automatic"));
  g_autofree char *encoding_item = encoding != NULL
                                   ? g_strdup_printf (_("Automatic (%s)"), encoding)
                                   : g_strdup (_("Automatic"));

  set_first_label (self, self->delimiter_row, delimiter_item);
  set_first_label (self, self->encoding_row, encoding_item);
}

/* For the dialog, which adds its own rows, and for tests. */
AdwPreferencesGroup *
winnow_recipe_editor_get_group (WinnowRecipeEditor *self, const char *name)
{
  return ADW_PREFERENCES_GROUP (winnow_recipe_editor_get_child (self, name));
}

/* For tests: a control of the template by its id. */
GtkWidget *
winnow_recipe_editor_get_child (WinnowRecipeEditor *self, const char *name)
{
  if (g_str_equal (name, "duplicates_picker"))
    return GTK_WIDGET (self->duplicates_picker);
  if (g_str_equal (name, "missing_picker"))
    return GTK_WIDGET (self->missing_picker);
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                    WINNOW_TYPE_RECIPE_EDITOR, name));
}

GtkSwitch *
winnow_recipe_editor_get_column_switch (WinnowRecipeEditor *self, const char *column)
{
  return g_hash_table_lookup (self->switches, column);
}

AdwComboRow *
winnow_recipe_editor_get_fill_row (WinnowRecipeEditor *self, const char *column)
{
  FillRow *fill = g_hash_table_lookup (self->fill_by_name, column);
  return fill != NULL ? fill->row : NULL;
}

static void
winnow_recipe_editor_dispose (GObject *object)
{
  WinnowRecipeEditor *self = WINNOW_RECIPE_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_RECIPE_EDITOR);
  G_OBJECT_CLASS (winnow_recipe_editor_parent_class)->dispose (object);
}

static void
winnow_recipe_editor_finalize (GObject *object)
{
  WinnowRecipeEditor *self = WINNOW_RECIPE_EDITOR (object);

  g_clear_pointer (&self->recipe, winnow_recipe_free);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_ptr_array_unref (self->column_rows);
  g_ptr_array_unref (self->fill_rows);
  g_hash_table_unref (self->fill_by_name);
  g_hash_table_unref (self->switches);
  g_array_unref (self->delimiters);
  g_array_unref (self->out_delimiters);
  g_ptr_array_unref (self->encodings);
  G_OBJECT_CLASS (winnow_recipe_editor_parent_class)->finalize (object);
}

static void
winnow_recipe_editor_class_init (WinnowRecipeEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = winnow_recipe_editor_dispose;
  object_class->finalize = winnow_recipe_editor_finalize;

  /**
   * WinnowRecipeEditor::changed:
   * @what: WinnowEditorChange flags
   *
   * The user changed the recipe.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (WINNOW_TYPE_COLUMN_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/winnow/Winnow/winnow-recipe-editor.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, WinnowRecipeEditor, name)
  BIND (summary_group);
  BIND (reading_group);
  BIND (delimiter_row);
  BIND (encoding_row);
  BIND (header_switch);
  BIND (bad_lines_row);
  BIND (columns_group);
  BIND (columns_placeholder);
  BIND (columns_spinner);
  BIND (trim_switch);
  BIND (duplicates_row);
  BIND (keep_row);
  BIND (duplicates_subset_row);
  BIND (missing_row);
  BIND (how_row);
  BIND (thresh_row);
  BIND (thresh_spin);
  BIND (missing_subset_row);
  BIND (na_row);
  BIND (empty_switch);
  BIND (fill_group);
  BIND (output_group);
  BIND (out_delimiter_row);
  BIND (line_ending_row);
  BIND (formula_switch);
  BIND (rejects_switch);
#undef BIND
}

static void
add_picker (WinnowRecipeEditor *self, AdwActionRow *row, WinnowColumnPicker **picker,
            const char *label)
{
  *picker = WINNOW_COLUMN_PICKER (winnow_column_picker_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (*picker), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  adw_action_row_add_suffix (row, GTK_WIDGET (*picker));
  g_signal_connect (*picker, "changed", G_CALLBACK (on_subset_changed), self);
}

static void
winnow_recipe_editor_init (WinnowRecipeEditor *self)
{
  static const gunichar in_chars[] = { 0, ',', ';', '\t', '|' };
  static const gunichar out_chars[] = { ',', ';', '\t', '|' };
  const char *delimiter_items[] = {
    _("Automatic"), _("Comma"), _("Semicolon"), _("Tab"), _("Vertical bar"), NULL
  };
  static const char *encodings[] = {
    "auto", "UTF-8", "Windows-1252", "ISO-8859-1", "ISO-8859-15", "UTF-16", NULL
  };
  g_autoptr(GtkStringList) delimiter_list = gtk_string_list_new (delimiter_items);
  g_autoptr(GtkStringList) encoding_list = gtk_string_list_new (encodings);
  const char *detect[] = { _("Automatic"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->recipe = winnow_recipe_new_default ();
  self->column_rows = g_ptr_array_new ();
  self->fill_rows = g_ptr_array_new_with_free_func (winnow_fill_row_free);
  self->fill_by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->delimiters = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_array_append_vals (self->delimiters, in_chars, G_N_ELEMENTS (in_chars));
  self->out_delimiters = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_array_append_vals (self->out_delimiters, out_chars, G_N_ELEMENTS (out_chars));
  self->encodings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; encodings[i] != NULL; i++)
    g_ptr_array_add (self->encodings, g_strdup (encodings[i]));
  gtk_string_list_splice (encoding_list, 0, 1, detect);
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (delimiter_list));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encoding_list));

  add_picker (self, self->duplicates_subset_row, &self->duplicates_picker,
              _("Columns compared for duplicates"));
  add_picker (self, self->missing_subset_row, &self->missing_picker,
              _("Columns looked at for missing values"));

  sync_controls (self);

  g_signal_connect (self->delimiter_row, "notify::selected", G_CALLBACK (on_input_changed), self);
  g_signal_connect (self->encoding_row, "notify::selected", G_CALLBACK (on_input_changed), self);
  g_signal_connect (self->header_switch, "notify::active", G_CALLBACK (on_input_changed), self);
  g_signal_connect (self->bad_lines_row, "notify::selected", G_CALLBACK (on_input_changed), self);
  g_signal_connect (self->trim_switch, "notify::active", G_CALLBACK (on_profile_changed), self);
  g_signal_connect (self->empty_switch, "notify::active", G_CALLBACK (on_profile_changed), self);
  g_signal_connect (self->na_row, "changed", G_CALLBACK (on_na_text_changed), self);
  g_signal_connect (self->duplicates_row, "notify::enable-expansion",
                    G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->keep_row, "notify::selected", G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->missing_row, "notify::enable-expansion",
                    G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->how_row, "notify::selected", G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->thresh_spin, "value-changed", G_CALLBACK (on_spin_changed), self);
  g_signal_connect (self->out_delimiter_row, "notify::selected",
                    G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->line_ending_row, "notify::selected", G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->formula_switch, "notify::active", G_CALLBACK (on_steps_changed), self);
  g_signal_connect (self->rejects_switch, "notify::active", G_CALLBACK (on_steps_changed), self);
}

GtkWidget *
winnow_recipe_editor_new (void)
{
  return g_object_new (WINNOW_TYPE_RECIPE_EDITOR, NULL);
}
