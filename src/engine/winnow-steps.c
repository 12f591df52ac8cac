/* winnow-steps.c: the table of steps (winnow-step.h), in the order they
 * run. A new step is a file in steps/ and a line here. */
#include "config.h"

#include "winnow-recipe-private.h"

static const WinnowStep * const steps[WINNOW_N_STEPS] = {
  &winnow_step_drop_columns,
  &winnow_step_trim,
  &winnow_step_replace,
  &winnow_step_drop_duplicates,
  &winnow_step_drop_missing,
  &winnow_step_fill,
};

/**
 * winnow_step_get:
 * Returns: the step @id, in the order the steps run
 */
const WinnowStep *
winnow_step_get (WinnowStepId id)
{
  g_return_val_if_fail ((guint) id < WINNOW_N_STEPS, NULL);
  g_assert (steps[id]->id == id);
  return steps[id];
}

/**
 * winnow_step_find:
 * Returns: (nullable): the step whose recipe key is @key
 */
const WinnowStep *
winnow_step_find (const char *key)
{
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (g_strcmp0 (steps[i]->key, key) == 0)
      return steps[i];
  return NULL;
}

/**
 * winnow_step_count_words:
 *
 * Returns: (transfer full): step @id's count in words, such as "1,204
 *   duplicates" (digit groups as the locale writes them), or %NULL for a
 *   step that counts nothing
 */
char *
winnow_step_count_words (WinnowStepId id, guint64 n)
{
  const WinnowStep *step = winnow_step_get (id);
  g_autofree char *text = NULL;

  if (step->count_words == NULL)
    return NULL;
  text = g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
  return step->count_words (n, text);
}

/**
 * winnow_step_describe_recipe:
 *
 * Returns: (transfer full) (element-type utf8): what @recipe does, one
 *   sentence per step or rule, in the order the steps run
 */
GPtrArray *
winnow_step_describe_recipe (const WinnowRecipe *recipe)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    if (steps[i]->is_on (recipe))
      steps[i]->describe (recipe, lines);
  if (lines->len == 0)
    g_ptr_array_add (lines, g_strdup (_("Copy the file as it is")));
  return lines;
}

/* @list becomes the items of @text, "A,B" as the options write a list of
 * columns (none for NULL). */
void
winnow_step_set_list (GPtrArray *list, const char *text)
{
  g_auto(GStrv) parts = text != NULL ? g_strsplit (text, ",", -1) : NULL;

  g_ptr_array_set_size (list, 0);
  for (guint i = 0; parts != NULL && parts[i]; i++)
    g_ptr_array_add (list, g_strdup (parts[i]));
}

/* @expected is translated by the caller; the option's own values in it
 * (first, last, none…) are what the user types, so they stay in English. */
gboolean
winnow_step_bad_option (GError **error, const char *option, const char *expected, const char *value)
{
  g_autofree char *shown = winnow_user_text_excerpt (value);

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               /* Translators: an option such as --keep, what it takes (such as
                * "one character"), then what was given */
               _("%s: expected %s, not “%s”"), option, expected, shown);
  return FALSE;
}
