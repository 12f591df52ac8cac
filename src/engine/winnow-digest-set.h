/* winnow-digest-set.h: the rows seen so far, as 128-bit digests.
 *
 * Duplicate detection keeps one fixed-size digest per distinct row, never
 * the row's text, so its memory depends on the number of distinct rows and
 * not on their width. Each digest may carry a few 64-bit values (a row
 * number for keep=last/none; with a rejected-rows file, the row and line
 * of the copy that is kept). Open addressing with linear probing; callers
 * that handle rows in batches prefetch slots before they probe.
 *
 * Memory is what bounds a task with many distinct rows, so the table is
 * not a power of two: a digest's home slot is its low word scaled to the
 * table's size (a multiply, no modulo), the table is made for the row
 * count the caller expects at a load of 0.8 and grows by half past 7/8.
 * Without values a distinct row costs 16 / 0.8 = 20 bytes (18.3 to 27.4
 * once it has grown); each value adds 8 / load. A large table is made on
 * a thread of its own while a small first table serves (see
 * WinnowDigestSetStage in winnow-digest-set.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 lo;
  guint64 hi;
} WinnowDigest;

typedef struct _WinnowDigestSetStage WinnowDigestSetStage;

typedef struct {
  WinnowDigest *slots;   /* {0,0} marks an empty slot */
  guint64 *values;       /* n_values per slot; NULL for none */
  guint n_values;
  gsize capacity;        /* slots */
  gsize count;
  gsize grow_at;
  gboolean small_tables; /* slots and values are a first, small table's */
  WinnowDigestSetStage *stage;  /* the full tables being made, or NULL */
} WinnowDigestSet;

WinnowDigest     winnow_digest_compute       (const void *data, gsize length);

WinnowDigestSet *winnow_digest_set_new       (gsize expected, guint n_values);
void             winnow_digest_set_free      (WinnowDigestSet *set);
gboolean         winnow_digest_set_insert    (WinnowDigestSet *set,
                                              WinnowDigest     digest,
                                              guint64        **value);
guint64         *winnow_digest_set_lookup    (const WinnowDigestSet *set,
                                              WinnowDigest     digest);
gsize            winnow_digest_set_get_bytes (const WinnowDigestSet *set);
void             winnow_digest_set_hold_stages (gboolean hold);
void             winnow_digest_set_settle    (WinnowDigestSet *set);
void             winnow_digest_set_wait_stage (WinnowDigestSet *set);

/* The home slot of @digest: its low word scaled to the capacity. */
static inline gsize
winnow_digest_set_home (const WinnowDigestSet *set, WinnowDigest digest)
{
  return (gsize) (((unsigned __int128) digest.lo * set->capacity) >> 64);
}

/* Always inlined: GCC takes a function whose only effect is a prefetch for
 * one without effects, and drops the call. */
G_ALWAYS_INLINE static inline void
winnow_digest_set_prefetch (const WinnowDigestSet *set, WinnowDigest digest)
{
  gsize home = winnow_digest_set_home (set, digest);

  __builtin_prefetch (&set->slots[home]);
  if (set->values != NULL)
    __builtin_prefetch (&set->values[home * set->n_values]);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowDigestSet, winnow_digest_set_free)

G_END_DECLS
