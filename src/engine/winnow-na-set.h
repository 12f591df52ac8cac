/* winnow-na-set.h: the set of NA tokens, asked once per field.
 *
 * A field is missing when its whole text equals one of the tokens, case
 * sensitively (SPEC section 3). The check sits in the reader's hot loop, so
 * most fields are rejected by their length and first byte alone.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct {
  guint64 length_mask;   /* bit n: a token of n bytes (bit 63: 63 or more) */
  guint32 first_byte[8]; /* bitmap of the tokens' first bytes */
  gboolean has_empty;
  gsize max_length;
  GPtrArray *tokens;     /* of char*, without the empty one */
} WinnowNaSet;

WinnowNaSet *winnow_na_set_new  (const char * const *tokens, gsize n_tokens);
void         winnow_na_set_free (WinnowNaSet *set);

gboolean     winnow_na_set_lookup (const WinnowNaSet *set, const char *text, gsize length);

static inline gboolean
winnow_na_set_contains (const WinnowNaSet *set, const char *text, gsize length)
{
  guchar first;

  if (length == 0)
    return set->has_empty;
  first = (guchar) text[0];
  if (length > set->max_length ||
      !(set->length_mask & (G_GUINT64_CONSTANT (1) << MIN (length, 63))) ||
      !(set->first_byte[first >> 5] & (1u << (first & 31))))
    return FALSE;
  return winnow_na_set_lookup (set, text, length);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowNaSet, winnow_na_set_free)

G_END_DECLS
