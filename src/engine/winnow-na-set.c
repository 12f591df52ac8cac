/* winnow-na-set.c: NA token matching. */
#include "config.h"

#include "winnow-na-set.h"

/* Shortest first, then in byte order: tokens of one length are a sorted
 * run, searched by halves. A recipe may list 100,000 tokens (a megabyte),
 * and the lookup runs once per field. */
static int
compare_token (const char *token, gsize token_length, const char *text, gsize length)
{
  if (token_length != length)
    return token_length < length ? -1 : 1;
  return memcmp (token, text, length);
}

static int
by_length (gconstpointer a, gconstpointer b)
{
  const char *ta = *(const char * const *) a, *tb = *(const char * const *) b;
  return compare_token (ta, strlen (ta), tb, strlen (tb));
}

/**
 * winnow_na_set_new:
 * @tokens: (array length=n_tokens): the NA tokens
 * Returns: (transfer full): a set answering "is this field missing?"
 */
WinnowNaSet *
winnow_na_set_new (const char * const *tokens, gsize n_tokens)
{
  WinnowNaSet *set = g_new0 (WinnowNaSet, 1);

  set->tokens = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; i < n_tokens; i++)
    {
      gsize length = strlen (tokens[i]);
      guchar first = (guchar) tokens[i][0];

      if (length == 0)
        {
          set->has_empty = TRUE;
          continue;
        }
      g_ptr_array_add (set->tokens, g_strdup (tokens[i]));
      if (length >= WINNOW_NA_SHORT)
        set->has_long = TRUE;
      else
        set->first_byte[length][first >> 5] |= 1u << (first & 31);
    }
  g_ptr_array_sort (set->tokens, by_length);
  for (gsize n = 0, i = 0; n <= WINNOW_NA_SHORT; n++)
    {
      while (i < set->tokens->len && strlen (g_ptr_array_index (set->tokens, i)) < n)
        i++;
      set->by_length[n] = (guint) i;
    }
  return set;
}

void
winnow_na_set_free (WinnowNaSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->tokens);
  g_free (set);
}

/* The slow half of winnow_na_set_contains(): a token has this length and
 * first byte (or the field is long). */
gboolean
winnow_na_set_lookup (const WinnowNaSet *set, const char *text, gsize length)
{
  gboolean is_long = length >= WINNOW_NA_SHORT;
  guint start = set->by_length[is_long ? WINNOW_NA_SHORT : length];
  guint end = is_long ? set->tokens->len : set->by_length[length + 1];

  while (start < end)
    {
      guint middle = start + (end - start) / 2;
      const char *token = g_ptr_array_index (set->tokens, middle);
      int c = compare_token (token, is_long ? strlen (token) : length, text, length);

      if (c == 0)
        return TRUE;
      if (c < 0)
        start = middle + 1;
      else
        end = middle;
    }
  return FALSE;
}
