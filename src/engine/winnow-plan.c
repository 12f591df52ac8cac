/* winnow-plan.c: see winnow-plan.h. */
#include "config.h"

#include "winnow-plan.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-user-text.h"

#define MAX_LISTED_COLUMNS 12

/* The names of the header as pandas 1.5's reader gives them: an empty
 * one is "Unnamed: I"; a repeated one gets ".1", ".2"… in its turn,
 * stepping over every suffix that is a name of the header (for a,a,a.1
 * the second column is a.2), and the named columns take their turns before
 * the unnamed ones, as pandas does (GH 45954, 47718). The suffix counters
 * only grow, so a header of 100,000 copies of one name takes linear time.
 * Returns: name -> input column + 1. */
static GHashTable *
index_names (GPtrArray *names)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

#define COUNT(t, k) GPOINTER_TO_UINT (g_hash_table_lookup ((t), (k)))
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      char *text = name[0] ? g_strdup (name) : g_strdup_printf ("Unnamed: %u", i);

      g_ptr_array_add (header, text);
      g_hash_table_insert (present, g_strdup (text), GUINT_TO_POINTER (COUNT (present, text) + 1));
    }
  for (int unnamed = 0; unnamed <= 1; unnamed++)
    for (guint i = 0; i < names->len; i++)
      if ((((const char *) g_ptr_array_index (names, i))[0] == '\0') == unnamed)
        g_array_append_val (order, i);

  for (guint n = 0; n < order->len; n++)
    {
      guint i = g_array_index (order, guint, n);
      g_autofree char *base = g_strdup (g_ptr_array_index (header, i));
      char *name = g_strdup (base);
      guint count = COUNT (counts, name);

      while (count > 0)
        {
          g_hash_table_insert (counts, g_strdup (base), GUINT_TO_POINTER (count + 1));
          g_free (name);
          name = g_strdup_printf ("%s.%u", base, count);
          count = COUNT (present, name) > 0 ? count + 1 : COUNT (counts, name);
        }
      if (g_strcmp0 (name, g_ptr_array_index (header, i)) != 0)
        {
          /* the header now holds the new name in this place */
          const char *old = g_ptr_array_index (header, i);
          g_hash_table_insert (present, g_strdup (old), GUINT_TO_POINTER (COUNT (present, old) - 1));
          g_hash_table_insert (present, g_strdup (name), GUINT_TO_POINTER (COUNT (present, name) + 1));
          g_free (g_ptr_array_index (header, i));
          header->pdata[i] = g_strdup (name);
        }
      g_hash_table_insert (counts, g_strdup (name), GUINT_TO_POINTER (count + 1));
      g_hash_table_insert (table, name, GUINT_TO_POINTER (i + 1));
    }
#undef COUNT
  return table;
}

static gboolean
no_such_column (GPtrArray *names, const char *step, const char *column, GError **error)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *shown = winnow_user_text_excerpt (column);

  for (guint i = 0; i < names->len && i < MAX_LISTED_COLUMNS; i++)
    {
      g_autofree char *name = winnow_user_text_excerpt (g_ptr_array_index (names, i));
      g_string_append_printf (list, "%s\"%s\"", i ? ", " : "", name);
    }
  if (names->len > MAX_LISTED_COLUMNS)
    /* Translators: ends a list of column names, as in "a", "b" and 3 more */
    g_string_append_printf (list, ngettext (" and %u more", " and %u more",
                                            names->len - MAX_LISTED_COLUMNS),
                            names->len - MAX_LISTED_COLUMNS);
  g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN,
               /* Translators: a recipe key such as fill[0].column, a column name,
                * then the file's column names */
               _("%s: the file has no column \"%s\" (its columns: %s)"), step, shown, list->str);
  return FALSE;
}

static void
field_replace_free (WinnowFieldReplace *replace)
{
  if (replace == NULL)
    return;
  for (guint i = 0; i < replace->from->texts->len; i++)
    g_free (replace->to[i]);
  winnow_text_set_free (replace->from);
  g_free (replace->to);
  g_free (replace->to_length);
  g_free (replace);
}

static gboolean resolve (WinnowPlan *plan, GHashTable *index, GPtrArray *names, const char *step,
                         const char *column, guint *kept, GError **error);

/* A column's rules become one table: validation saw to it that a text is
 * replaced once per column, so the rules apply at once, as pandas' dict. */
static gboolean
plan_replace (WinnowPlan *plan, GHashTable *index, GPtrArray *names, GError **error)
{
  const WinnowRecipe *recipe = plan->recipe;
  g_autofree GHashTable **targets = NULL;  /* per kept column: text -> rule */

  if (recipe->replace->len == 0)
    return TRUE;
  targets = g_new0 (GHashTable *, plan->n_kept);
  plan->replace = g_new0 (WinnowFieldReplace *, plan->n_kept);
  for (guint i = 0; i < recipe->replace->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (recipe->replace, i);
      g_autofree char *step = g_strdup_printf ("replace[%u].column", i);
      guint kept = 0;

      if (!resolve (plan, index, names, step, rule->column, &kept, error))
        {
          for (guint k = 0; k < plan->n_kept; k++)
            g_clear_pointer (&targets[k], g_hash_table_unref);
          return FALSE;
        }
      if (targets[kept] == NULL)
        targets[kept] = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < rule->from->len; j++)
        g_hash_table_insert (targets[kept], g_ptr_array_index (rule->from, j), (gpointer) rule);
    }
  for (guint k = 0; k < plan->n_kept; k++)
    {
      g_autofree const char **texts = NULL;
      WinnowFieldReplace *replace;
      guint n;

      if (targets[k] == NULL)
        continue;
      texts = (const char **) g_hash_table_get_keys_as_array (targets[k], &n);
      replace = g_new0 (WinnowFieldReplace, 1);
      replace->from = winnow_text_set_new (texts, n);
      replace->to = g_new0 (char *, replace->from->texts->len);
      replace->to_length = g_new0 (guint32, replace->from->texts->len);
      for (guint i = 0; i < replace->from->texts->len; i++)
        {
          const WinnowReplaceRule *rule =
            g_hash_table_lookup (targets[k], g_ptr_array_index (replace->from->texts, i));
          replace->to[i] = g_strdup (rule->to);
          replace->to_length[i] = rule->to ? (guint32) strlen (rule->to) : 0;
        }
      plan->replace[k] = replace;
      g_hash_table_unref (targets[k]);
    }
  return TRUE;
}

static gboolean
resolve (WinnowPlan *plan, GHashTable *index, GPtrArray *names, const char *step,
         const char *column, guint *kept, GError **error)
{
  gpointer value;
  guint input;

  if (!g_hash_table_lookup_extended (index, column, NULL, &value))
    return no_such_column (names, step, column, error);
  input = GPOINTER_TO_UINT (value) - 1;
  if (plan->column_map[input] < 0)
    {
      g_autofree char *shown = winnow_user_text_excerpt (column);
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN,
                   /* Translators: a recipe key such as fill[0].column, then a column
                    * name; drop_columns is a recipe key and stays as it is */
                   _("%s: column \"%s\" is removed by drop_columns"), step, shown);
      return FALSE;
    }
  *kept = (guint) plan->column_map[input];
  return TRUE;
}

/* The kept columns a subset names, each once, in the order first named;
 * @weights (if not %NULL) gets how many times each was named, or stays
 * %NULL when none was named twice. A subset can be as long as a recipe
 * allows, but the rows are compared on at most every kept column once. */
static gboolean
resolve_list (WinnowPlan *plan, GHashTable *index, GPtrArray *names, const char *step,
              GPtrArray *columns, guint **out, guint **weights, guint *n_out, GError **error)
{
  g_autofree guint *position = NULL;   /* per kept column: index in *out + 1 */
  gboolean repeated = FALSE;

  *out = NULL;
  *n_out = 0;
  if (weights != NULL)
    *weights = NULL;
  if (columns->len == 0)
    return TRUE;
  position = g_new0 (guint, plan->n_kept);
  *out = g_new (guint, MIN (columns->len, plan->n_kept));
  for (guint i = 0; i < columns->len; i++)
    {
      guint kept = 0;

      if (!resolve (plan, index, names, step, g_ptr_array_index (columns, i), &kept, error))
        return FALSE;
      if (position[kept] == 0)
        {
          (*out)[*n_out] = kept;
          position[kept] = ++*n_out;
        }
      else
        repeated = TRUE;
    }
  if (weights != NULL && repeated)
    {
      /* pandas' dropna counts a column named twice twice (thresh) */
      *weights = g_new0 (guint, *n_out);
      for (guint i = 0; i < columns->len; i++)
        {
          guint kept = 0;
          resolve (plan, index, names, step, g_ptr_array_index (columns, i), &kept, NULL);
          (*weights)[position[kept] - 1]++;
        }
    }
  return TRUE;
}

/**
 * winnow_plan_new:
 * @column_names: (element-type utf8): the file's column names
 *
 * Returns: (transfer full): the plan, or %NULL with a
 *   WINNOW_RECIPE_ERROR_COLUMN naming the step and the column
 */
WinnowPlan *
winnow_plan_new (const WinnowRecipe *recipe, GPtrArray *column_names, GError **error)
{
  g_autoptr(WinnowPlan) plan = g_new0 (WinnowPlan, 1);
  g_autoptr(GHashTable) index = index_names (column_names);

  plan->recipe = recipe;
  plan->n_input = column_names->len;
  plan->column_map = g_new0 (gint, plan->n_input);
  plan->kept_names = g_ptr_array_new_with_free_func (g_free);
  plan->na = winnow_text_set_new ((const char * const *) recipe->na_values->pdata,
                                recipe->na_values->len);

  for (guint i = 0; i < recipe->drop_columns->len; i++)
    {
      const char *column = g_ptr_array_index (recipe->drop_columns, i);
      gpointer value;
      if (!g_hash_table_lookup_extended (index, column, NULL, &value))
        {
          no_such_column (column_names, "drop_columns", column, error);
          return NULL;
        }
      plan->column_map[GPOINTER_TO_UINT (value) - 1] = -1;
    }
  for (guint i = 0; i < plan->n_input; i++)
    if (plan->column_map[i] == 0)
      {
        plan->column_map[i] = (gint) plan->n_kept++;
        g_ptr_array_add (plan->kept_names, g_strdup (g_ptr_array_index (column_names, i)));
      }
    else
      plan->column_map[i] = -1;
  if (plan->n_kept == 0)
    {
      g_set_error_literal (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_COLUMN,
                           /* Translators: drop_columns is a recipe key */
                           _("drop_columns: every column would be removed"));
      return NULL;
    }

  if (!plan_replace (plan, index, column_names, error))
    return NULL;

  if (recipe->drop_duplicates &&
      !resolve_list (plan, index, column_names, "drop_duplicates.subset",
                     recipe->duplicates_subset, &plan->dedupe_columns, NULL,
                     &plan->n_dedupe_columns, error))
    return NULL;

  if (recipe->drop_missing)
    {
      if (!resolve_list (plan, index, column_names, "drop_missing.subset", recipe->missing_subset,
                         &plan->missing_columns, &plan->missing_weights,
                         &plan->n_missing_columns, error))
        return NULL;
      if (plan->missing_columns == NULL)
        {
          plan->n_missing_columns = plan->n_kept;
          plan->missing_columns = g_new (guint, plan->n_kept);
          for (guint i = 0; i < plan->n_kept; i++)
            plan->missing_columns[i] = i;
        }
      if (recipe->thresh >= 0)
        plan->missing_needed = (guint) MIN (recipe->thresh, (gint64) G_MAXUINT);
      else if (recipe->how == WINNOW_HOW_ANY)
        plan->missing_needed = plan->missing_weights ? recipe->missing_subset->len
                                                     : plan->n_missing_columns;
      else
        plan->missing_needed = MIN (1, plan->n_missing_columns);
    }

  plan->fills = g_new0 (WinnowColumnFill, plan->n_kept);
  for (guint i = 0; i < recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      g_autofree char *step = g_strdup_printf ("fill[%u].column", i);
      guint kept = 0;

      if (!resolve (plan, index, column_names, step, rule->column, &kept, error))
        return NULL;
      plan->fills[kept].active = TRUE;
      plan->fills[kept].strategy = rule->strategy;
      plan->fills[kept].value = g_strdup (rule->value);
      plan->fills[kept].limit = rule->limit;
    }

  plan->needs_statistics = winnow_recipe_needs_statistics (recipe);
  plan->needs_selection_pass = recipe->drop_duplicates && recipe->keep != WINNOW_KEEP_FIRST;
  return g_steal_pointer (&plan);
}

void
winnow_plan_free (WinnowPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->column_map);
  if (plan->kept_names)
    g_ptr_array_unref (plan->kept_names);
  winnow_text_set_free (plan->na);
  if (plan->replace)
    for (guint i = 0; i < plan->n_kept; i++)
      field_replace_free (plan->replace[i]);
  g_free (plan->replace);
  g_free (plan->dedupe_columns);
  g_free (plan->missing_columns);
  g_free (plan->missing_weights);
  if (plan->fills)
    for (guint i = 0; i < plan->n_kept; i++)
      g_free (plan->fills[i].value);
  g_free (plan->fills);
  g_free (plan);
}
