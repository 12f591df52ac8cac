/* winnow-na-set.c: NA token matching. */
#include "config.h"

#include "winnow-na-set.h"

static int
by_length (gconstpointer a, gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a), lb = strlen (*(const char * const *) b);
  return la < lb ? -1 : la > lb;
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
      set->length_mask |= G_GUINT64_CONSTANT (1) << MIN (length, 63);
      set->first_byte[first >> 5] |= 1u << (first & 31);
      set->max_length = MAX (set->max_length, length);
    }
  g_ptr_array_sort (set->tokens, by_length);
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

/* The slow half of winnow_na_set_contains(): the candidates passed the
 * length and first-byte filters. Tokens are sorted by length. */
gboolean
winnow_na_set_lookup (const WinnowNaSet *set, const char *text, gsize length)
{
  for (guint i = 0; i < set->tokens->len; i++)
    {
      const char *token = g_ptr_array_index (set->tokens, i);
      gsize token_length;

      if (token[0] != text[0])
        continue;
      token_length = strlen (token);
      if (token_length > length)
        return FALSE;
      if (token_length == length && memcmp (token, text, length) == 0)
        return TRUE;
    }
  return FALSE;
}
