/* winnow-csv-writer.h: writes rows as CSV into a file descriptor.
 *
 * Minimal quoting as pandas' to_csv does it: a field is quoted only when it
 * holds the delimiter, a quote, CR or LF, and quotes inside are doubled. A
 * row that is one empty field is written as `""` so that reading the file
 * back does not lose it as a blank line. Optionally, a field that a
 * spreadsheet would run as a formula gets a leading `'`
 * (output.formula_guard): any field written, header cells included; see
 * winnow_csv_writer_needs_guard(). Writes go out in blocks of 1 MiB, and
 * a batch's bytes formatted elsewhere (winnow_csv_writer_write_raw()) from
 * 64 KiB on as they are.
 * A writer in memory (winnow_csv_writer_new_memory()) grows instead: a
 * batch's rows formatted on another thread, then written whole.
 *
 * A writer into a file can start the kernel writing its bytes to disk as
 * they come (winnow_csv_writer_write_back()), every 8 MiB of whole pages
 * (winnow_write_back_pages()), and make them durable in the background
 * every 16 MiB (winnow-disk-sync.h), so that making the file durable at
 * the end waits for little more than the last piece.
 */
#pragma once

#include <glib.h>
#include <string.h>

#include "winnow-bytes.h"
#include "winnow-disk-sync.h"

G_BEGIN_DECLS

typedef struct {
  int fd;
  guint8 *buffer;
  gsize length;
  gsize capacity;
  char delimiter[8];      /* one character, in UTF-8 */
  gsize delimiter_length;
  char eol[2];
  gsize eol_length;
  gboolean formula_guard;
  guint8 special[256];   /* bytes that make a field need quotes (for a
                          * delimiter past ASCII: that may) */
  guint64 delimiter_word; /* the delimiter's first byte in every byte */
  guint64 bytes_written;
  int error_number;      /* the first write error, 0 if none */
  guint64 written_back;  /* disk writes started for [0, written_back) */
  guint64 write_back_limit; /* ... and never past here (0: none) */
  WinnowDiskSync *disk_sync; /* asked to sync when [0, synced_to) was */
  guint64 synced_to;         /* final (each sync covers the whole file) */
} WinnowCsvWriter;

WinnowCsvWriter *winnow_csv_writer_new      (int fd,
                                             gunichar delimiter,
                                             gboolean crlf,
                                             gboolean formula_guard);
WinnowCsvWriter *winnow_csv_writer_new_memory (const WinnowCsvWriter *like);
void             winnow_csv_writer_grow     (WinnowCsvWriter *writer,
                                             gsize extra);
void             winnow_csv_writer_shrink   (WinnowCsvWriter *writer);
void             winnow_csv_writer_write_raw (WinnowCsvWriter *writer,
                                             const guint8 *data,
                                             gsize length);
void             winnow_csv_writer_free     (WinnowCsvWriter *writer);
void             winnow_csv_writer_write_back (WinnowCsvWriter *writer,
                                               WinnowDiskSync *sync);
void             winnow_csv_writer_write_back_before (WinnowCsvWriter *writer,
                                                      guint64 offset);
gint64           winnow_write_back_pages    (int fd,
                                             guint64 from,
                                             guint64 to);
gboolean         winnow_csv_writer_flush    (WinnowCsvWriter *writer);
void             winnow_csv_writer_write_slow (WinnowCsvWriter *writer,
                                             const char *text,
                                             gsize length,
                                             gboolean guard);
gboolean         winnow_csv_writer_needs_guard (const char *text,
                                                gsize length);
gboolean         winnow_csv_writer_holds_special (const WinnowCsvWriter *writer,
                                                  const char *text,
                                                  gsize length);
void             winnow_csv_writer_encode   (const WinnowCsvWriter *writer,
                                             const char *text,
                                             gsize length,
                                             GString *out);

/* Might the field hold the delimiter (its first byte), a quote, CR or LF?
 * Eight bytes at a time, the last word overlapping the one before. */
static inline gboolean
winnow_csv_writer_may_need_quotes (const WinnowCsvWriter *writer, const char *text, gsize length)
{
  const guint64 quotes = WINNOW_ONES * '"', crs = WINNOW_ONES * '\r', lfs = WINNOW_ONES * '\n';
  gsize i;

  if (length < 8)
    {
      for (i = 0; i < length; i++)
        if (writer->special[(guint8) text[i]])
          return TRUE;
      return FALSE;
    }
  for (i = 0;; i += 8)
    {
      guint64 w, hit;
      if (i + 8 > length)
        i = length - 8;
      memcpy (&w, text + i, 8);
      hit = WINNOW_HAS_ZERO (w ^ writer->delimiter_word) | WINNOW_HAS_ZERO (w ^ quotes) |
            WINNOW_HAS_ZERO (w ^ crs) | WINNOW_HAS_ZERO (w ^ lfs);
      if (hit)
        return TRUE;
      if (i + 8 >= length)
        return FALSE;
    }
}

/* Does the field hold the delimiter, a quote, CR or LF? For a delimiter
 * past ASCII, a hit on its first byte is checked for the whole character
 * (pandas quotes "€x" when the delimiter is "€", not when it is "₤"). */
static inline gboolean
winnow_csv_writer_needs_quotes (const WinnowCsvWriter *writer, const char *text, gsize length)
{
  if (!winnow_csv_writer_may_need_quotes (writer, text, length))
    return FALSE;
  return G_LIKELY (writer->delimiter_length == 1) ||
         winnow_csv_writer_holds_special (writer, text, length);
}

static inline guint8 *
winnow_csv_writer_put_delimiter (const WinnowCsvWriter *writer, guint8 *out)
{
  if (G_LIKELY (writer->delimiter_length == 1))
    *out++ = (guint8) writer->delimiter[0];
  else
    {
      memcpy (out, writer->delimiter, writer->delimiter_length);
      out += writer->delimiter_length;
    }
  return out;
}

/* Room for a field written the fast way: quotes doubled, a guard, two
 * enclosing quotes, a delimiter of up to four bytes. */
#define WINNOW_CSV_WRITER_ROOM(n) (2 * (n) + 8)

static inline void
winnow_csv_writer_field (WinnowCsvWriter *writer, gboolean first, const char *text, gsize length)
{
  guint8 *out;
  gboolean quote, guard = FALSE;

  if (G_UNLIKELY (writer->length + WINNOW_CSV_WRITER_ROOM (length) > writer->capacity))
    {
      if (writer->fd < 0)
        winnow_csv_writer_grow (writer, WINNOW_CSV_WRITER_ROOM (length));
      else
        winnow_csv_writer_flush (writer);
      if (WINNOW_CSV_WRITER_ROOM (length) > writer->capacity)
        {
          if (!first)
            writer->length = (gsize) (winnow_csv_writer_put_delimiter (
              writer, writer->buffer + writer->length) - writer->buffer);
          winnow_csv_writer_write_slow (writer, text, length,
                                        writer->formula_guard &&
                                          winnow_csv_writer_needs_guard (text, length));
          return;
        }
    }
  out = writer->buffer + writer->length;
  if (!first)
    out = winnow_csv_writer_put_delimiter (writer, out);
  quote = winnow_csv_writer_needs_quotes (writer, text, length);
  if (G_UNLIKELY (writer->formula_guard) && length > 0)
    guard = winnow_csv_writer_needs_guard (text, length);

  if (G_LIKELY (!quote))
    {
      if (G_UNLIKELY (guard))
        *out++ = '\'';
      winnow_copy (out, text, length);
      out += length;
    }
  else
    {
      *out++ = '"';
      if (guard)
        *out++ = '\'';
      for (gsize i = 0; i < length; i++)
        {
          if (text[i] == '"')
            *out++ = '"';
          *out++ = (guint8) text[i];
        }
      *out++ = '"';
    }
  writer->length = (gsize) (out - writer->buffer);
}

/* winnow_csv_writer_field() for a text that holds none of the bytes that
 * make a field quoted or guarded (a plain row's, when the writer does not
 * guard formulas and has its delimiter: winnow_row_batch_is_plain()). */
static inline void
winnow_csv_writer_plain_field (WinnowCsvWriter *writer, gboolean first, const char *text,
                               gsize length)
{
  guint8 *out;

  if (G_UNLIKELY (writer->length + WINNOW_CSV_WRITER_ROOM (length) > writer->capacity))
    {
      winnow_csv_writer_field (writer, first, text, length);
      return;
    }
  out = writer->buffer + writer->length;
  if (!first)
    *out++ = (guint8) writer->delimiter[0];
  winnow_copy (out, text, length);
  writer->length = (gsize) (out + length - writer->buffer);
}

static inline void
winnow_csv_writer_empty_row (WinnowCsvWriter *writer)
{
  winnow_csv_writer_field (writer, TRUE, "", 0);
  writer->buffer[writer->length++] = '"';
  writer->buffer[writer->length++] = '"';
}

static inline void
winnow_csv_writer_end_row (WinnowCsvWriter *writer)
{
  writer->buffer[writer->length++] = (guint8) writer->eol[0];
  if (writer->eol_length == 2)
    writer->buffer[writer->length++] = (guint8) writer->eol[1];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowCsvWriter, winnow_csv_writer_free)

G_END_DECLS
