/* winnow-na-set.h: the set of NA tokens, asked once per field.
 *
 * A field is missing when its whole text equals one of the tokens, case
 * sensitively (SPEC section 3). The check sits in the parser's hot loop:
 * a field is compared with tokens only when a token of the same length
 * starts with the same byte, so most fields cost two loads and a test;
 * then by halves among the tokens of its length, so a recipe with 100,000
 * tokens costs a few comparisons per field, not 100,000.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

#define WINNOW_NA_SHORT 16  /* tokens shorter than this are indexed */

typedef struct {
  guint32 first_byte[WINNOW_NA_SHORT][8]; /* per length: bitmap of first bytes */
  gboolean has_empty;
  gboolean has_long;       /* a token of WINNOW_NA_SHORT bytes or more */
  GPtrArray *tokens;       /* of char*, without the empty one, shortest first,
                            * then in byte order */
  guint by_length[WINNOW_NA_SHORT + 1]; /* tokens of length n: [by_length[n], by_length[n+1]) */
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
  if (G_UNLIKELY (length >= WINNOW_NA_SHORT))
    return set->has_long && winnow_na_set_lookup (set, text, length);
  first = (guchar) text[0];
  if (!(set->first_byte[length][first >> 5] & (1u << (first & 31))))
    return FALSE;
  return winnow_na_set_lookup (set, text, length);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowNaSet, winnow_na_set_free)

G_END_DECLS
