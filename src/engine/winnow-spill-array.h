/* winnow-spill-array.h: a growing array of fixed-size records that moves
 * to a file once it is large (see winnow-spill-array.c). */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct {
  guint8 *data;        /* len records, contiguous, wherever they are */
  gsize len;
  gsize capacity;      /* records that fit before the next growth */
  gsize record_size;
  gsize memory_max;    /* bytes kept in memory before moving to a file */
  char *dir;           /* where that file goes, or NULL: memory only */
  char *what;          /* what the records are, for a message */
  int fd;              /* the file, unlinked; -1 while in memory */
  gsize file_bytes;    /* its length, all of it mapped at data */
} WinnowSpillArray;

WinnowSpillArray *winnow_spill_array_new    (gsize record_size,
                                             gsize memory_max,
                                             const char *dir,
                                             const char *what);
void              winnow_spill_array_free   (WinnowSpillArray *array);
gboolean          winnow_spill_array_grow   (WinnowSpillArray *array,
                                             gsize more,
                                             GError **error);
gboolean          winnow_spill_array_in_file (const WinnowSpillArray *array);
guint             winnow_spill_array_get_n_moved (void);

/* Appends @n records from @records; FALSE, with @error set, when there is
 * no room left for them (memory, or the disk under the file). */
static inline gboolean
winnow_spill_array_append (WinnowSpillArray *array, gconstpointer records, gsize n,
                           GError **error)
{
  if (G_UNLIKELY (array->capacity - array->len < n) &&
      !winnow_spill_array_grow (array, n, error))
    return FALSE;
  memcpy (array->data + array->len * array->record_size, records, n * array->record_size);
  array->len += n;
  return TRUE;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowSpillArray, winnow_spill_array_free)

G_END_DECLS
