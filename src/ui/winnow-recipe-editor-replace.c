/* winnow-recipe-editor-replace.c: the recipe editor's Replace Values
 * group: one WinnowReplaceRow per rule of the recipe's replace step
 * (docs/BEHAVIOUR.md), in the recipe's order.
 *
 * The rows are the truth while the user edits: the recipe's rules are
 * written from them after each change, including a rule that cannot run
 * yet (no texts ticked, a text that can never match). Such a rule makes
 * the editor's problem, which the row says in words the user can act on
 * and the dialog answers by keeping Clean off; the engine would refuse
 * the same recipe (winnow_recipe_validate()), in the recipe's own terms. */
#include "config.h"

#include "winnow-recipe-editor-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-ui-util.h"

static void
write_rules (WinnowRecipeEditor *self)
{
  g_ptr_array_set_size (self->recipe->replace, 0);
  for (guint i = 0; i < self->replace_rows->len; i++)
    {
      WinnowReplaceRow *row = g_ptr_array_index (self->replace_rows, i);
      const char *column = winnow_replace_row_get_column (row);

      if (column != NULL)
        winnow_recipe_add_replace (self->recipe, column, winnow_replace_row_get_from (row),
                                   winnow_replace_row_get_to (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->replace_placeholder), self->replace_rows->len == 0);
}

static void
on_rule_changed (WinnowReplaceRow *row, WinnowRecipeEditor *self)
{
  if (self->syncing)
    return;
  write_rules (self);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static void
remove_row (WinnowRecipeEditor *self, WinnowReplaceRow *row)
{
  g_ptr_array_remove (self->replace_rows, row);
  adw_preferences_group_remove (self->replace_group, GTK_WIDGET (row));
}

static void
on_remove_requested (WinnowReplaceRow *row, WinnowRecipeEditor *self)
{
  remove_row (self, row);
  write_rules (self);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

static WinnowReplaceRow *
add_row (WinnowRecipeEditor *self)
{
  WinnowReplaceRow *row = WINNOW_REPLACE_ROW (winnow_replace_row_new ());
  g_autoptr(GPtrArray) kept = _winnow_recipe_editor_kept_columns (self);

  winnow_replace_row_set_columns (row, kept, self->profile);
  g_signal_connect (row, "changed", G_CALLBACK (on_rule_changed), self);
  g_signal_connect (row, "remove-requested", G_CALLBACK (on_remove_requested), self);
  adw_preferences_group_add (self->replace_group, GTK_WIDGET (row));
  g_ptr_array_add (self->replace_rows, row);
  return row;
}

/* editor.add-replace: a rule for the first kept column that has none,
 * opened for its texts to be ticked. */
static void
add_replace_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowRecipeEditor *self = WINNOW_RECIPE_EDITOR (widget);
  g_autoptr(GPtrArray) kept = _winnow_recipe_editor_kept_columns (self);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  const char *column = kept->len > 0 ? g_ptr_array_index (kept, 0) : NULL;
  WinnowReplaceRow *row;

  for (guint i = 0; i < self->recipe->replace->len; i++)
    g_hash_table_add (used, ((WinnowReplaceRule *) g_ptr_array_index (self->recipe->replace, i))->column);
  for (guint i = 0; i < kept->len; i++)
    if (!g_hash_table_contains (used, g_ptr_array_index (kept, i)))
      {
        column = g_ptr_array_index (kept, i);
        break;
      }
  row = add_row (self);
  winnow_replace_row_set_rule (row, column, NULL, "");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  write_rules (self);
  _winnow_recipe_editor_emit_changed (self, WINNOW_EDITOR_CHANGED_STEPS);
}

void
_winnow_recipe_editor_class_init_replace (GtkWidgetClass *widget_class)
{
  g_type_ensure (WINNOW_TYPE_REPLACE_ROW);
  gtk_widget_class_install_action (widget_class, "editor.add-replace", NULL,
                                   add_replace_activated);
}

/* The rows from the recipe's rules (a recipe set from outside). */
void
_winnow_recipe_editor_sync_replace (WinnowRecipeEditor *self)
{
  GPtrArray *rules = self->recipe->replace;

  self->syncing++;
  while (self->replace_rows->len > rules->len)
    remove_row (self, g_ptr_array_index (self->replace_rows, self->replace_rows->len - 1));
  while (self->replace_rows->len < rules->len)
    add_row (self);
  for (guint i = 0; i < rules->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (rules, i);
      winnow_replace_row_set_rule (g_ptr_array_index (self->replace_rows, i), rule->column,
                                   rule->from, rule->to);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->replace_placeholder), rules->len == 0);
  self->syncing--;
}

/* The kept columns or the sample's profile changed: the rows offer them. */
void
_winnow_recipe_editor_replace_columns_changed (WinnowRecipeEditor *self)
{
  g_autoptr(GPtrArray) kept = _winnow_recipe_editor_kept_columns (self);

  self->syncing++;
  for (guint i = 0; i < self->replace_rows->len; i++)
    winnow_replace_row_set_columns (g_ptr_array_index (self->replace_rows, i), kept, self->profile);
  self->syncing--;
}

/* @column is dropped: its replacements go with it. */
void
_winnow_recipe_editor_drop_replace (WinnowRecipeEditor *self, const char *column)
{
  for (guint i = self->replace_rows->len; i-- > 0;)
    {
      WinnowReplaceRow *row = g_ptr_array_index (self->replace_rows, i);
      if (g_strcmp0 (winnow_replace_row_get_column (row), column) == 0)
        remove_row (self, row);
    }
  write_rules (self);
}

static gboolean
has_spaces_around (const char *text)
{
  gsize length = strlen (text);

  return length > 0 && (text[0] == ' ' || text[0] == '\t' ||
                        text[length - 1] == ' ' || text[length - 1] == '\t');
}

/* Why @row cannot run, in words; *@text is the text it is about. */
static char *
row_problem (WinnowRecipeEditor *self, WinnowReplaceRow *row, GHashTable *na, GHashTable *seen,
             const char **text)
{
  const char *column = winnow_replace_row_get_column (row);
  GPtrArray *from = winnow_replace_row_get_from (row);
  const char *to = winnow_replace_row_get_to (row);

  *text = NULL;
  if (column == NULL)
    return g_strdup (_("Choose the column whose values to replace"));
  for (guint i = 0; i < from->len; i++)
    {
      const char *t = g_ptr_array_index (from, i);
      g_autofree char *key = g_strdup_printf ("%s\x1f%s", column, t);

      *text = t;
      if (g_hash_table_contains (na, t))
        /* Translators: %s is a text of the file */
        return g_strdup_printf (_("“%s” counts as missing, and a missing value is never "
                                  "replaced: fill it instead, or take it out of the missing "
                                  "value markers"), t);
      if (self->recipe->trim_whitespace && has_spaces_around (t))
        /* Translators: %s is a text of the file; Trim spaces is a setting */
        return g_strdup_printf (_("“%s” has spaces around it, which Trim spaces removes "
                                  "first: it can never match"), t);
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        /* Translators: a text of the file, then a column name */
        return g_strdup_printf (_("“%s” is replaced twice in %s: keep it in one replacement"),
                                t, column);
    }
  *text = NULL;
  if (from->len == 0)
    return g_strdup (_("Tick or type the texts to replace"));
  if (to != NULL && to[0] == '\0')
    return g_strdup (_("Type the new text, or replace with a missing value"));
  return NULL;
}

/* Says on each row what keeps it from running; returns the first such
 * problem (owned by the row), or %NULL. */
const char *
_winnow_recipe_editor_check_replace (WinnowRecipeEditor *self)
{
  g_autoptr(GHashTable) na = _winnow_str_set_new (self->recipe->na_values);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *first = NULL;

  for (guint i = 0; i < self->replace_rows->len; i++)
    {
      WinnowReplaceRow *row = g_ptr_array_index (self->replace_rows, i);
      const char *text = NULL;
      g_autofree char *problem = row_problem (self, row, na, seen, &text);

      winnow_replace_row_set_problem (row, problem, text);
      if (first == NULL)
        first = winnow_replace_row_get_problem (row);
    }
  return first;
}

/* Each row says how many cells its column had replaced in the sample. */
void
_winnow_recipe_editor_replace_forecast (WinnowRecipeEditor *self, const WinnowResult *estimate)
{
  for (guint i = 0; i < self->replace_rows->len; i++)
    {
      WinnowReplaceRow *row = g_ptr_array_index (self->replace_rows, i);
      const char *column = winnow_replace_row_get_column (row);
      g_autofree char *forecast = NULL;

      for (guint k = 0; estimate != NULL && column != NULL && k < estimate->columns->len; k++)
        {
          const WinnowColumnProfile *p = g_ptr_array_index (estimate->columns, k);
          guint64 n = p->cells[WINNOW_STEP_REPLACE];
          g_autofree char *count = NULL;

          if (!g_str_equal (p->name, column))
            continue;
          count = winnow_ui_format_count ((gint64) n);
          /* Translators: cells of a column changed in the first rows of the file */
          forecast = g_strdup_printf (ngettext ("%s cell in the first rows",
                                                "%s cells in the first rows", (gulong) n), count);
          break;
        }
      winnow_replace_row_set_forecast (row, forecast);
    }
}

/* For tests: the replacement at @index, or %NULL. */
WinnowReplaceRow *
winnow_recipe_editor_get_replace_row (WinnowRecipeEditor *self, guint index)
{
  return index < self->replace_rows->len ? g_ptr_array_index (self->replace_rows, index) : NULL;
}
