/* winnow-csv-parse-lines.c: the lines a parse thread splits itself
 * instead of feeding them to libcsv (winnow_csv_parse_thread_split_line(),
 * called by feed_text() in winnow-csv-parse-thread.c for a line at the
 * start of a row): most lines hold no quote at all, and most of the
 * others only quoted fields that close on the same line. Their fields go
 * to the same callbacks, as libcsv would give them, several times faster
 * than its byte-by-byte state machine; in the common case (no raw record
 * kept, no replace rules, no trimming, a one-byte delimiter) they are
 * stored without the callbacks' questions about the parse, asked once
 * for the row. docs/ARCHITECTURE.md, "Lines split without libcsv".
 */
#include "config.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "winnow-csv-reader-private.h"

/* A row split here (split_plain_line(), parse_quoted_line()): in the
 * common case, without a raw record to keep, replace rules, trimming or a
 * delimiter of several bytes, its fields are stored here, and the field
 * callback's questions about the parse (stopped? the header? a delimiter
 * to restore? a new row?) are asked once for the row, not once per field.
 * What storing a field needs is held in locals the compiler keeps in
 * registers: the batch's own fields would be read again after every field
 * copied, as a copy of bytes may write anywhere. */
typedef struct {
  ParseThread *thread;
  gboolean common;
  guint column;             /* the next field's */
  /* the common case's */
  const gint *column_map;
  guint n_columns;
  const WinnowTextSet *na;
  guint8 *data;             /* the batch's arena, */
  gsize used, capacity;     /* its bytes used and its room, */
  guint32 *lengths;         /* and the row's field lengths in it */
} SplitRow;

static inline void
split_row_load (SplitRow *row)
{
  const WinnowRowBatch *batch = row->thread->batch;

  row->data = batch->data;
  row->used = batch->length;
  row->capacity = batch->capacity;
  row->lengths = (guint32 *) (batch->data + batch->starts[batch->n_rows]);
}

static inline void
begin_split_row (SplitRow *row, ParseThread *thread)
{
  const WinnowCsvReader *reader = thread->reader;

  *row = (SplitRow) {
    .thread = thread,
    .common = !reader->keep_raw && reader->replace == NULL && !reader->trim &&
              reader->delimiter_length <= 1,
  };
  if (!row->common)
    return;
  row->column_map = reader->column_map;
  row->n_columns = reader->n_columns;
  row->na = reader->na;
  winnow_row_batch_begin_row (thread->batch);
  split_row_load (row);
}

/* The row's next field, stored as the field callback
 * (winnow_csv_parse_thread_on_field()) would. Returns FALSE if the parse
 * stopped (a row too large). */
static inline gboolean
put_split_field (SplitRow *row, char *text, gsize length)
{
  guint column = row->column++;
  gint kept;

  if (!row->common)
    {
      winnow_csv_parse_thread_on_field (text, length, row->thread);
      return TRUE;
    }
  if (column >= row->n_columns || (kept = row->column_map[column]) < 0 ||
      winnow_text_set_contains (row->na, text, length))
    return TRUE;
  if (G_UNLIKELY (row->used + length > row->capacity))
    {
      /* the batch grows, or the row fails */
      row->thread->batch->length = row->used;
      winnow_csv_parse_thread_store_field (row->thread, column, text, length);
      split_row_load (row);
      return !row->thread->stop;
    }
  winnow_copy (row->data + row->used, text, length);
  row->used += length;
  row->lengths[kept] = (guint32) length;
  return TRUE;
}

/* The row's fields are in: winnow_csv_parse_thread_on_row() may end it.
 * With @plain, a line without a quote: no field holds '"' (if that is the
 * quote), a CR, an LF or the delimiter (winnow_row_batch_set_plain()). */
static inline void
end_split_row (SplitRow *row, gboolean plain)
{
  ParseThread *thread = row->thread;

  if (!row->common)
    return;
  thread->batch->length = row->used;
  thread->field_index = row->column;
  thread->fields_done += row->column;
  thread->row_plain = plain && thread->reader->options.quote == '"';
}

/* A line at the start of a row, @body bytes at @p without its line end,
 * that holds a quote (and no CR, and does not start with a blank): if
 * every quoted field in it opens at the field's start, closes on this
 * line and is followed by the delimiter or the line's end, its fields are
 * exactly those libcsv would submit: a quoted field's text between its
 * quotes with each doubled quote made one, a quote inside an unquoted
 * field kept as it is (as parse_segment() has libcsv do). Returns FALSE,
 * having done nothing, for any other line (a field that goes on over the
 * next line, text after a closing quote: libcsv parses those, and says
 * what is wrong). */
static gboolean
parse_quoted_line (ParseThread *thread, char *p, gsize body)
{
  WinnowCsvReader *reader = thread->reader;
  char delimiter = (char) reader->parse_delimiter;
  char quote = reader->options.quote;
  GArray *fields = thread->line_fields;
  gsize pos = 0;
  SplitRow row;
  LineField *found;
  guint n_found = 0;

  /* room for every field the line can hold, one more than its bytes: a
   * store per field, not a call */
  g_array_set_size (fields, (guint) body + 1);
  found = (LineField *) (gpointer) fields->data;
  for (;;)
    {
      LineField f = { (guint32) pos, 0, FALSE };
      const char *hit;

      if (pos < body && p[pos] == quote)
        {
          gsize q = pos + 1;

          f.start = (guint32) q;
          for (;;)
            {
              hit = memchr (p + q, quote, body - q);
              if (hit == NULL)
                return FALSE;  /* still open at the line's end */
              q = (gsize) (hit - p);
              if (q + 1 < body && p[q + 1] == quote)
                {
                  f.doubled = TRUE;
                  q += 2;
                  continue;
                }
              break;
            }
          f.length = (guint32) (q - f.start);
          found[n_found++] = f;
          pos = q + 1;
          if (pos == body)
            break;
          if (p[pos] != delimiter)
            return FALSE;  /* text after the closing quote */
          pos++;
          continue;
        }
      hit = memchr (p + pos, delimiter, body - pos);
      f.length = (guint32) ((hit ? (gsize) (hit - p) : body) - pos);
      found[n_found++] = f;
      if (hit == NULL)
        break;
      pos = (gsize) (hit - p) + 1;
    }

  begin_split_row (&row, thread);
  for (guint i = 0; i < n_found; i++)
    {
      const LineField *f = &found[i];
      char *text = p + f->start;
      gsize length = f->length;

      if (f->doubled)
        {
          /* in place: the text only shrinks, and is parsed once */
          const char *from = text, *end = text + length;
          char *to = text;

          while (from < end)
            {
              char c = *from++;
              *to++ = c;
              if (c == quote)
                from++;  /* the second of the pair */
            }
          length = (gsize) (to - text);
        }
      if (!put_split_field (&row, text, length))
        break;
    }
  if (!thread->stop)
    end_split_row (&row, FALSE);
  winnow_csv_parse_thread_on_row ('\n', thread);
  return TRUE;
}

/* The fields of a line without quotes, @body bytes at @p: the texts
 * between delimiters. Fields are short (about 8 bytes in the benchmark's
 * files), and a memchr() per field cost more in its calls than in its
 * search: with SSE2 (every x86-64) the line is searched 16 bytes at a
 * time, each delimiter taken from the mask of its block. */
static void
split_plain_line (ParseThread *thread, char *p, gsize body, char delimiter)
{
  SplitRow row;
  gsize field = 0, at = 0;

  begin_split_row (&row, thread);
#ifdef __SSE2__
  {
    const __m128i delimiters = _mm_set1_epi8 (delimiter);

    for (; at + 16 <= body; at += 16)
      {
        __m128i block = _mm_loadu_si128 ((const __m128i *) (p + at));
        guint mask = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, delimiters));

        for (; mask != 0; mask &= mask - 1)
          {
            gsize hit = at + (gsize) __builtin_ctz (mask);

            if (!put_split_field (&row, p + field, hit - field))
              return;
            field = hit + 1;
          }
      }
  }
#endif
  for (; at < body; at++)
    if (p[at] == delimiter)
      {
        if (!put_split_field (&row, p + field, at - field))
          return;
        field = at + 1;
      }
  if (put_split_field (&row, p + field, body - field))
    end_split_row (&row, TRUE);
}

/* A whole line at the start of a row, @seg bytes at @p ending with its
 * LF, that holds no CR but that of a CRLF end and does not start with a
 * blank (skip_blank_line()): without a quote, its fields are the texts
 * between delimiters, exactly as libcsv would submit them (an empty line
 * is no row, as libcsv skips it); with one, parse_quoted_line() splits it
 * if it can. Returns FALSE, having done nothing, for any other line. */
gboolean
winnow_csv_parse_thread_split_line (ParseThread *thread, char *p, gsize seg)
{
  WinnowCsvReader *reader = thread->reader;
  char delimiter = (char) reader->parse_delimiter;
  gsize start = (gsize) (p - thread->text);
  gsize body = seg - 1;

  if (body > 0 && p[body - 1] == '\r')
    body--;
  if (winnow_csv_next_byte (thread, &thread->next_cr, '\r', start) < start + body ||
      (body > 0 && winnow_csv_is_blank (p[0], delimiter)))
    return FALSE;
  if (winnow_csv_next_byte (thread, &thread->next_quote, reader->options.quote, start) <
      start + body)
    return parse_quoted_line (thread, p, body);
  if (body == 0)
    return TRUE;
  split_plain_line (thread, p, body, delimiter);
  winnow_csv_parse_thread_on_row ('\n', thread);
  return TRUE;
}
