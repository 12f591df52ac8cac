/* winnow-value-counter.h: counts how often each distinct text occurs.
 *
 * Used exactly, without a cap, for the "mode" fill; and with a cap for the
 * column profile, where a column with more distinct values than the cap
 * switches to a HyperLogLog estimate of its distinct count (4 KiB, about
 * 1.6% error) and gives no top values: in such a column every value is rare.
 * Counters of parts of a stream merge into the counter of the whole.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WinnowValueCounter WinnowValueCounter;

typedef struct {
  char *value;
  guint64 count;
} WinnowTopValue;

WinnowValueCounter *winnow_value_counter_new      (gsize cap);
void                winnow_value_counter_free     (WinnowValueCounter *counter);
void                winnow_value_counter_add      (WinnowValueCounter *counter,
                                                   const char *text,
                                                   gsize length);
void                winnow_value_counter_add_count (WinnowValueCounter *counter,
                                                   const char *text,
                                                   gsize length,
                                                   guint64 count);
guint64             winnow_value_counter_hash    (const char *text,
                                                  gsize length);
void                winnow_value_counter_add_hashed (WinnowValueCounter *counter,
                                                     const char *text,
                                                     gsize length,
                                                     guint64 hash);
void                winnow_value_counter_merge    (WinnowValueCounter *counter,
                                                   const WinnowValueCounter *other);
guint64             winnow_value_counter_distinct (WinnowValueCounter *counter,
                                                   gboolean *exact);
GPtrArray          *winnow_value_counter_top      (WinnowValueCounter *counter,
                                                   guint n);
char               *winnow_value_counter_mode     (WinnowValueCounter *counter);

void                winnow_top_value_free         (WinnowTopValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowValueCounter, winnow_value_counter_free)

G_END_DECLS
