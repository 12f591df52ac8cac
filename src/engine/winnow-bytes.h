/* winnow-bytes.h: small byte helpers for the hot loops of the reader and
 * the writer, where most fields are a few bytes long and a call to
 * memcpy costs more than the copy. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

#define WINNOW_ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define WINNOW_HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Nonzero when some byte of @v is zero. */
#define WINNOW_HAS_ZERO(v) (((v) - WINNOW_ONES) & ~(v) & WINNOW_HIGHS)

/* Copies @n bytes with overlapping word moves; memcpy past 16. */
static inline void
winnow_copy (void *dst, const void *src, gsize n)
{
  guint8 *d = dst;
  const guint8 *s = src;

  if (n >= 8 && n <= 16)
    {
      guint64 a, b;
      memcpy (&a, s, 8);
      memcpy (&b, s + n - 8, 8);
      memcpy (d, &a, 8);
      memcpy (d + n - 8, &b, 8);
    }
  else if (n >= 4 && n < 8)
    {
      guint32 a, b;
      memcpy (&a, s, 4);
      memcpy (&b, s + n - 4, 4);
      memcpy (d, &a, 4);
      memcpy (d + n - 4, &b, 4);
    }
  else if (n < 4)
    {
      for (gsize i = 0; i < n; i++)
        d[i] = s[i];
    }
  else
    memcpy (d, s, n);
}

G_END_DECLS
