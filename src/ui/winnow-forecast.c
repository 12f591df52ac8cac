/* winnow-forecast.c: see winnow-forecast.h. */
#include "config.h"

#include "winnow-forecast.h"

#include <glib/gi18n.h>

#include "winnow-ui-util.h"

static void
append_part (GString *text, const char *part)
{
  if (text->len > 0)
    g_string_append (text, ", ");
  g_string_append (text, part);
}

/**
 * winnow_forecast_text:
 * @result: what @recipe did to the first @n_rows rows
 * @whole_file: whether they are all the file has
 * @file_name: (nullable): the file they are from, when there are several
 *
 * Returns: (transfer full): e.g. "In the first 5,000 rows: 312 duplicates,
 *   41 rows with missing values. 4,647 rows kept."
 */
char *
winnow_forecast_text (const WinnowRecipe *recipe, const WinnowResult *r, guint64 n,
                      gboolean whole_file, const char *file_name)
{
  g_autofree char *rows = winnow_ui_format_count ((gint64) n);
  g_autofree char *kept = winnow_ui_format_count ((gint64) r->rows_written);
  g_autofree char *scope = NULL;
  g_autoptr(GString) parts = g_string_new (NULL);

  if (whole_file)
    scope = g_strdup_printf (ngettext ("In its %s row", "In all %s rows", (gulong) n), rows);
  else
    scope = g_strdup_printf (ngettext ("In the first %s row", "In the first %s rows", (gulong) n),
                             rows);
  if (file_name != NULL)
    {
      g_autofree char *with_file = g_strdup_printf (_("%s of “%s”"), scope, file_name);
      g_free (scope);
      scope = g_steal_pointer (&with_file);
    }
  /* each step that is on, in the order they run, in its own words */
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    {
      const WinnowStep *step = winnow_step_get (i);
      g_autofree char *part = NULL;

      if (step->count_words == NULL || !step->is_on (recipe))
        continue;
      part = winnow_step_count_words (i, r->counts[i]);
      append_part (parts, part);
    }
  if (r->bad_lines_skipped > 0)
    {
      g_autofree char *count = winnow_ui_format_count ((gint64) r->bad_lines_skipped);
      g_autofree char *part = g_strdup_printf (ngettext ("%s bad line skipped",
                                                         "%s bad lines skipped",
                                                         (gulong) r->bad_lines_skipped), count);
      append_part (parts, part);
    }
  if (parts->len == 0)
    return g_strdup_printf (_("%s: nothing to change."), scope);
  /* e.g. "In the first 5,000 rows: 312 duplicates, 41 rows with missing values. 4,647 rows kept." */
  return g_strdup_printf (ngettext ("%s: %s. %s row kept.", "%s: %s. %s rows kept.",
                                    (gulong) r->rows_written),
                          scope, parts->str, kept);
}
