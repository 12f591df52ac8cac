/* winnow-text-set.c: whole-field text matching (winnow-text-set.h). */
#include "config.h"

#include "winnow-text-set.h"

/* Shortest first, then in byte order: texts of one length are a sorted
 * run, searched by halves. A recipe may list 100,000 tokens (a megabyte),
 * and the lookup runs once per field. */
static int
compare_text (const char *text, gsize text_length, const char *field, gsize length)
{
  if (text_length != length)
    return text_length < length ? -1 : 1;
  return memcmp (text, field, length);
}

static int
by_length (gconstpointer a, gconstpointer b)
{
  const char *ta = *(const char * const *) a, *tb = *(const char * const *) b;
  return compare_text (ta, strlen (ta), tb, strlen (tb));
}

/**
 * winnow_text_set_new:
 * @texts: (array length=n_texts): the texts, in any order, repeats allowed
 * Returns: (transfer full): a set answering "which of them is this field?"
 */
WinnowTextSet *
winnow_text_set_new (const char * const *texts, gsize n_texts)
{
  WinnowTextSet *set = g_new0 (WinnowTextSet, 1);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (gsize i = 0; i < n_texts; i++)
    {
      gsize length = strlen (texts[i]);
      guchar first = (guchar) texts[i][0];

      g_ptr_array_add (sorted, (gpointer) texts[i]);
      if (length == 0)
        set->has_empty = TRUE;
      else if (length >= WINNOW_TEXT_SET_SHORT)
        set->has_long = TRUE;
      else
        set->first_byte[length][first >> 5] |= 1u << (first & 31);
    }
  g_ptr_array_sort (sorted, by_length);
  /* each text once: an index names one text */
  set->texts = g_ptr_array_new_full (sorted->len, g_free);
  for (guint i = 0; i < sorted->len; i++)
    if (i == 0 || strcmp (g_ptr_array_index (sorted, i), g_ptr_array_index (sorted, i - 1)) != 0)
      g_ptr_array_add (set->texts, g_strdup (g_ptr_array_index (sorted, i)));
  for (gsize length = 0, i = 0; length <= WINNOW_TEXT_SET_SHORT; length++)
    {
      while (i < set->texts->len && strlen (g_ptr_array_index (set->texts, i)) < length)
        i++;
      set->by_length[length] = (guint) i;
    }
  return set;
}

void
winnow_text_set_free (WinnowTextSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->texts);
  g_free (set);
}

/* The slow half of winnow_text_set_find(): a text has this length and
 * first byte (or the field is long). */
gint
winnow_text_set_lookup (const WinnowTextSet *set, const char *text, gsize length)
{
  gboolean is_long = length >= WINNOW_TEXT_SET_SHORT;
  guint start = set->by_length[is_long ? WINNOW_TEXT_SET_SHORT : length];
  guint end = is_long ? set->texts->len : set->by_length[length + 1];

  while (start < end)
    {
      guint middle = start + (end - start) / 2;
      const char *candidate = g_ptr_array_index (set->texts, middle);
      int c = compare_text (candidate, is_long ? strlen (candidate) : length, text, length);

      if (c == 0)
        return (gint) middle;
      if (c < 0)
        start = middle + 1;
      else
        end = middle;
    }
  return -1;
}
