/* winnow-recipe-editor.c: see winnow-recipe-editor.h. The object, and the
 * settings that name no column: how the file is read, trimming, the
 * duplicate and missing-value steps, NA markers and the output. The rows
 * that name columns and the replacements are rooms of their own
 * (winnow-recipe-editor-private.h). */
#include "config.h"

#include "winnow-recipe-editor.h"
#include "winnow-recipe-editor-private.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

G_DEFINE_FINAL_TYPE (WinnowRecipeEditor, winnow_recipe_editor, ADW_TYPE_BIN)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Why the controls make no recipe that can run: the first problem a row
 * shows, or NULL. */
static void
check_problems (WinnowRecipeEditor *self)
{
  const char *problem = _winnow_recipe_editor_check_replace (self);

  if (problem == NULL)
    problem = _winnow_recipe_editor_fill_problem (self);
  if (g_strcmp0 (problem, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);
    }
}

void
_winnow_recipe_editor_emit_changed (WinnowRecipeEditor *self, WinnowEditorChange what)
{
  check_problems (self);
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
GHashTable *
_winnow_str_set_new (GPtrArray *array)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_hash_table_add (set, g_ptr_array_index (array, i));
  return set;
}

static GtkStringList *
combo_strings (AdwComboRow *row)
{
  return GTK_STRING_LIST (adw_combo_row_get_model (row));
}

/* ---- delimiters and encodings ---- */

/* The item of @c in a delimiter row, added when it is not listed. */
static guint
delimiter_position (AdwComboRow *row, GArray *chars, gunichar c)
{
  g_autofree char *label = NULL;

  for (guint i = 0; i < chars->len; i++)
    if (g_array_index (chars, gunichar, i) == c)
      return i;
  label = winnow_ui_delimiter_name (c);
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

/* Replaces item 0 of a row ("Automatic", "Same as Input") by @label. */
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
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_INPUT |
                                            WINNOW_EDITOR_CHANGED_PROFILE |
                                            WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_profile_changed (GObject *object, GParamSpec *pspec, WinnowRecipeEditor *self)
{
  if (self->syncing)
    return;
  self->recipe->trim_whitespace = gtk_switch_get_active (self->trim_switch);
  read_na_values (self);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_PROFILE |
                                            WINNOW_EDITOR_CHANGED_STEPS);
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
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static void
on_spin_changed (GtkSpinButton *spin, WinnowRecipeEditor *self)
{
  on_steps_changed (G_OBJECT (spin), NULL, self);
}

/* ---- recipe -> controls ---- */

void
_winnow_recipe_editor_sync_controls (WinnowRecipeEditor *self)
{
  const WinnowRecipe *recipe = self->recipe;
  g_autofree char *na = na_text (recipe);
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

  _winnow_recipe_editor_sync_columns (self);
  self->syncing--;
  check_problems (self);
}

void
winnow_recipe_editor_set_recipe (WinnowRecipeEditor *self, const WinnowRecipe *recipe)
{
  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));
  g_return_if_fail (recipe != NULL);

  winnow_recipe_free (self->recipe);
  self->recipe = winnow_recipe_copy (recipe);
  _winnow_recipe_editor_sync_controls (self);
  _winnow_recipe_editor_sync_replace (self);
  check_problems (self);
}

/* Returns: (transfer none): the recipe as the controls say */
const WinnowRecipe *
winnow_recipe_editor_get_recipe (WinnowRecipeEditor *self)
{
  g_return_val_if_fail (WINNOW_IS_RECIPE_EDITOR (self), NULL);
  return self->recipe;
}

/**
 * winnow_recipe_editor_get_problem:
 *
 * Returns: (nullable): why the controls make no recipe that can run, as
 *   the row concerned says it; %NULL when they do
 */
const char *
winnow_recipe_editor_get_problem (WinnowRecipeEditor *self)
{
  g_return_val_if_fail (WINNOW_IS_RECIPE_EDITOR (self), NULL);
  return self->problem;
}

/* What reading found: named in the "Automatic" and "Same as Input" items. */
void
winnow_recipe_editor_set_detected (WinnowRecipeEditor *self, gunichar delimiter,
                                   const char *encoding)
{
  g_autofree char *name = delimiter != 0 ? winnow_ui_delimiter_name (delimiter) : NULL;
  g_autofree char *delimiter_item = name != NULL
                                    ? g_strdup_printf (_("Automatic (%s)"), name)
                                    : g_strdup (_("Automatic"));
  g_autofree char *same_item = name != NULL
                               /* Translators: the output delimiter that is the input's; %s
                                * names it, such as "Semicolon" */
                               ? g_strdup_printf (_("Same as Input (%s)"), name)
                               : g_strdup (_("Same as Input"));
  g_autofree char *encoding_item = encoding != NULL
                                   ? g_strdup_printf (_("Automatic (%s)"), encoding)
                                   : g_strdup (_("Automatic"));

  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));
  self->detected = delimiter;
  set_first_label (self, self->delimiter_row, delimiter_item);
  set_first_label (self, self->out_delimiter_row, same_item);
  set_first_label (self, self->encoding_row, encoding_item);
}

/**
 * winnow_recipe_editor_set_estimate:
 * @estimate: (nullable): what the recipe did to the sample, or %NULL
 *
 * Each replacement says how many cells of its column it changed.
 */
void
winnow_recipe_editor_set_estimate (WinnowRecipeEditor *self, const WinnowResult *estimate)
{
  g_return_if_fail (WINNOW_IS_RECIPE_EDITOR (self));
  _winnow_recipe_editor_replace_forecast (self, estimate);
}

/* For tests: a control of the template by its id, or a column picker. */
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

/* ---- the object ---- */

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
  g_clear_pointer (&self->profile, g_ptr_array_unref);
  g_ptr_array_unref (self->column_rows);
  g_ptr_array_unref (self->fill_rows);
  g_ptr_array_unref (self->replace_rows);
  g_hash_table_unref (self->fill_by_name);
  g_hash_table_unref (self->switches);
  g_hash_table_unref (self->charts);
  g_array_unref (self->delimiters);
  g_array_unref (self->out_delimiters);
  g_ptr_array_unref (self->encodings);
  g_free (self->problem);
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
  BIND (recipe_row);
  BIND (file_row);
  BIND (file_skip);
  BIND (differ_row);
  BIND (folder_row);
  BIND (folder_reset);
  BIND (folder_choose);
  BIND (name_row);
  BIND (names_row);
  BIND (exists_row);
  BIND (exists_icon);
  BIND (delimiter_row);
  BIND (encoding_row);
  BIND (header_switch);
  BIND (bad_lines_row);
  BIND (summary_group);
  BIND (columns_group);
  BIND (columns_placeholder);
  BIND (columns_spinner);
  BIND (replace_group);
  BIND (replace_placeholder);
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
  BIND (out_delimiter_row);
  BIND (line_ending_row);
  BIND (formula_switch);
  BIND (rejects_switch);
#undef BIND
  _winnow_recipe_editor_class_init_replace (widget_class);
}

static GtkStringList *
string_list (const char * const *items)
{
  return gtk_string_list_new (items);
}

static void
init_choices (WinnowRecipeEditor *self)
{
  static const gunichar in_chars[] = { 0, ',', ';', '\t', '|' };
  static const gunichar out_chars[] = { 0, ',', ';', '\t', '|' };
  static const char *encodings[] = {
    "auto", "UTF-8", "Windows-1252", "ISO-8859-1", "ISO-8859-15", "UTF-16", NULL
  };
  g_autofree char *comma = winnow_ui_delimiter_name (',');
  g_autofree char *semicolon = winnow_ui_delimiter_name (';');
  g_autofree char *tab = winnow_ui_delimiter_name ('\t');
  g_autofree char *bar = winnow_ui_delimiter_name ('|');
  const char *in_items[] = { _("Automatic"), comma, semicolon, tab, bar, NULL };
  const char *out_items[] = { _("Same as Input"), comma, semicolon, tab, bar, NULL };
  const char *detect[] = { _("Automatic"), NULL };
  g_autoptr(GtkStringList) in_list = string_list (in_items);
  g_autoptr(GtkStringList) out_list = string_list (out_items);
  g_autoptr(GtkStringList) encoding_list = string_list (encodings);

  self->delimiters = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_array_append_vals (self->delimiters, in_chars, G_N_ELEMENTS (in_chars));
  self->out_delimiters = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_array_append_vals (self->out_delimiters, out_chars, G_N_ELEMENTS (out_chars));
  self->encodings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; encodings[i] != NULL; i++)
    g_ptr_array_add (self->encodings, g_strdup (encodings[i]));
  gtk_string_list_splice (encoding_list, 0, 1, detect);
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (in_list));
  adw_combo_row_set_model (self->out_delimiter_row, G_LIST_MODEL (out_list));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encoding_list));
}

static void
winnow_recipe_editor_init (WinnowRecipeEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recipe = winnow_recipe_new_default ();
  self->replace_rows = g_ptr_array_new ();
  init_choices (self);
  _winnow_recipe_editor_init_columns (self);
  _winnow_recipe_editor_sync_controls (self);
  /* the first group has no title to name its list for a screen reader */
  g_object_set_data (G_OBJECT (self->summary_group), "winnow-list-name", (gpointer) _("Recipe and file"));
  /* two rows titled Delimiter, told apart for a screen reader */
  winnow_ui_set_accessible_label (GTK_WIDGET (self->delimiter_row), _("Input delimiter"));
  winnow_ui_set_accessible_label (GTK_WIDGET (self->out_delimiter_row), _("Output delimiter"));

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
