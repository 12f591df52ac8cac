/* winnow-text-set.h: a set of whole-field texts, asked once per field:
 * the NA tokens (a field is missing when its whole text equals one, case
 * sensitively; docs/BEHAVIOUR.md), and the texts a column's replace
 * rules match.
 *
 * The check sits in the parser's hot loop: a field is compared with texts
 * only when a text of the same length starts with the same byte, so most
 * fields cost two loads and a test; then by halves among the texts of its
 * length, so a recipe with 100,000 tokens costs a few comparisons per
 * field, not 100,000.
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

#define WINNOW_TEXT_SET_SHORT 16  /* texts shorter than this are indexed */

typedef struct {
  guint32 first_byte[WINNOW_TEXT_SET_SHORT][8]; /* per length: bitmap of first bytes */
  gboolean has_empty;
  gboolean has_long;       /* a text of WINNOW_TEXT_SET_SHORT bytes or more */
  GPtrArray *texts;        /* of char*, each once, shortest first, then in
                            * byte order */
  guint by_length[WINNOW_TEXT_SET_SHORT + 1]; /* texts of length n: [by_length[n], by_length[n+1]) */
} WinnowTextSet;

WinnowTextSet *winnow_text_set_new  (const char * const *texts, gsize n_texts);
void           winnow_text_set_free (WinnowTextSet *set);

gint           winnow_text_set_lookup (const WinnowTextSet *set, const char *text, gsize length);

/* The index in set->texts of the text equal to @text, or -1. */
static inline gint
winnow_text_set_find (const WinnowTextSet *set, const char *text, gsize length)
{
  guchar first;

  if (length == 0)
    return set->has_empty ? 0 : -1;
  if (G_UNLIKELY (length >= WINNOW_TEXT_SET_SHORT))
    return set->has_long ? winnow_text_set_lookup (set, text, length) : -1;
  first = (guchar) text[0];
  if (!(set->first_byte[length][first >> 5] & (1u << (first & 31))))
    return -1;
  return winnow_text_set_lookup (set, text, length);
}

static inline gboolean
winnow_text_set_contains (const WinnowTextSet *set, const char *text, gsize length)
{
  return winnow_text_set_find (set, text, length) >= 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowTextSet, winnow_text_set_free)

G_END_DECLS
