/* winnow-row-batch.h: a block of parsed rows handed from the reader's
 * thread to the cleaning passes.
 *
 * Each row is one record in a flat byte arena: a guint32 per kept column
 * (the field's length, or WINNOW_FIELD_MISSING) followed by the texts of
 * the fields that are present, back to back. Missing fields keep no text,
 * which is what makes "NA" and "" the same value to duplicate detection:
 * the record itself is the row's canonical form. No per-field allocation.
 *
 * For a rejected-rows file the batch also keeps every row as it was read
 * (winnow_row_batch_keep_raw()): a raw record per row, in a second arena,
 * holds a guint32 length per input column (0 for a field a short row
 * lacks) and the texts of all input columns, dropped ones included,
 * before trimming and NA tokens; and the rows the reader skipped as bad
 * lines are kept the same way beside the rows, with their line.
 */
#pragma once

#include <glib.h>
#include <string.h>

#include "winnow-bytes.h"

G_BEGIN_DECLS

/* A batch holds at most this many rows (and about a megabyte of text);
 * the cleaner's per-batch buffers are sized by it. */
#define WINNOW_ROW_BATCH_ROWS 4096

#define WINNOW_FIELD_MISSING 0x80000000u
#define WINNOW_FIELD_LENGTH(x) ((x) & 0x7fffffffu)

typedef struct {
  guint n_columns;
  guint n_rows;
  guint max_rows;
  guint64 first_row;     /* index of row 0 among the file's data rows */
  guint8 *data;
  gsize length;
  gsize capacity;
  guint32 *starts;       /* record i is data[starts[i] .. ends[i]) */
  guint32 *ends;
  guint64 *lines;        /* line on which each row starts */
  /* rows whose fields hold no '"', CR, LF or delimiter (a line without a
   * quote, split by the reader: winnow_row_batch_set_plain()) */
  guint64 plain[WINNOW_ROW_BATCH_ROWS / 64];
  gsize bytes_consumed;  /* input bytes read up to the end of this batch */
  gpointer home;         /* the reader's pool it goes back to */
  guint64 *replaced;     /* per column: fields the replace step changed in
                          * these rows (winnow_row_batch_count_replaced()),
                          * or NULL */

  /* Filled on the parse thread by the reader's prepare function
   * (winnow_csv_reader_set_prepare()), work that needs no order: */
  guint64 *row_digests;  /* two words per row, when has_row_digests */
  guint64 *cell_hashes;  /* n_columns per row (XXH3 of each present field),
                          * when has_cell_hashes */
  gsize cell_hashes_capacity;
  gboolean has_row_digests;
  gboolean has_cell_hashes;

  /* raw records, with winnow_row_batch_keep_raw() only */
  guint n_input;         /* input columns; 0: no raw records */
  guint8 *raw;
  gsize raw_length;
  gsize raw_capacity;
  gsize raw_current;     /* where the row being parsed starts */
  guint32 *raw_starts;   /* per row */
  guint n_bad;           /* bad lines skipped among these rows */
  guint bad_capacity;
  guint32 *bad_starts;   /* their raw records */
  guint64 *bad_lines;    /* the line each starts on */
  guint *bad_fields;     /* how many fields each had */
} WinnowRowBatch;

WinnowRowBatch *winnow_row_batch_new   (guint n_columns);
void            winnow_row_batch_free  (WinnowRowBatch *batch);
void            winnow_row_batch_keep_raw (WinnowRowBatch *batch,
                                           guint n_input);
void            winnow_row_batch_count_replaced (WinnowRowBatch *batch);
void            winnow_row_batch_reset (WinnowRowBatch *batch);
void            winnow_row_batch_reserve (WinnowRowBatch *batch, gsize extra);
void            winnow_row_batch_reserve_raw (WinnowRowBatch *batch, gsize extra);
void            winnow_row_batch_add_bad (WinnowRowBatch *batch,
                                          guint64 line,
                                          guint fields);
gboolean        winnow_row_batch_is_full (const WinnowRowBatch *batch);
guint64        *winnow_row_batch_get_row_digests (WinnowRowBatch *batch);
guint64        *winnow_row_batch_get_cell_hashes (WinnowRowBatch *batch);

/* The raw record of row @row, or of bad line @bad: lengths, then texts. */
static inline const guint32 *
winnow_row_batch_raw_lengths (const WinnowRowBatch *batch, guint32 start)
{
  return (const guint32 *) (batch->raw + start);
}

static inline const char *
winnow_row_batch_raw_texts (const WinnowRowBatch *batch, guint32 start)
{
  return (const char *) (batch->raw + start) + 4 * (gsize) batch->n_input;
}

static inline const guint32 *
winnow_row_batch_lengths (const WinnowRowBatch *batch, guint row)
{
  return (const guint32 *) (batch->data + batch->starts[row]);
}

static inline const char *
winnow_row_batch_texts (const WinnowRowBatch *batch, guint row)
{
  return (const char *) (batch->data + batch->starts[row]) + 4 * (gsize) batch->n_columns;
}

/* Writer side, used by the reader only. */

static inline void
winnow_row_batch_begin_row (WinnowRowBatch *batch)
{
  gsize start = (batch->length + 3) & ~(gsize) 3;
  guint n = batch->n_columns;  /* (not read again after each length stored) */
  gsize header = 4 * (gsize) n;
  guint32 *lengths;

  if (G_UNLIKELY (start + header > batch->capacity))
    winnow_row_batch_reserve (batch, start + header - batch->length);
  lengths = (guint32 *) (batch->data + start);
  for (guint i = 0; i < n; i++)
    lengths[i] = WINNOW_FIELD_MISSING;
  batch->starts[batch->n_rows] = (guint32) start;
  batch->length = start + header;
}

static inline void
winnow_row_batch_set_field (WinnowRowBatch *batch, guint column, const char *text, gsize length)
{
  guint32 *lengths;

  if (G_UNLIKELY (batch->length + length > batch->capacity))
    winnow_row_batch_reserve (batch, length);
  winnow_copy (batch->data + batch->length, text, length);
  batch->length += length;
  lengths = (guint32 *) (batch->data + batch->starts[batch->n_rows]);
  lengths[column] = (guint32) length;
}

static inline void
winnow_row_batch_end_row (WinnowRowBatch *batch, guint64 line)
{
  if (batch->n_input > 0)
    batch->raw_starts[batch->n_rows] = (guint32) batch->raw_current;
  batch->ends[batch->n_rows] = (guint32) batch->length;
  batch->lines[batch->n_rows] = line;
  batch->n_rows++;
}

/* Row @row's fields hold no '"', CR, LF or delimiter: a writer with the
 * same delimiter need not look for a byte that makes a field quoted. */
static inline void
winnow_row_batch_set_plain (WinnowRowBatch *batch, guint row)
{
  batch->plain[row / 64] |= G_GUINT64_CONSTANT (1) << (row % 64);
}

static inline gboolean
winnow_row_batch_is_plain (const WinnowRowBatch *batch, guint row)
{
  return (batch->plain[row / 64] >> (row % 64)) & 1;
}

static inline void
winnow_row_batch_abort_row (WinnowRowBatch *batch)
{
  batch->length = batch->starts[batch->n_rows];
}

/* The raw record: begun with the row's first field, one field at a time
 * in column order, and either the row's (winnow_row_batch_end_row() takes
 * it) or a bad line's (winnow_row_batch_add_bad()). */
static inline void
winnow_row_batch_begin_raw (WinnowRowBatch *batch)
{
  gsize start = (batch->raw_length + 3) & ~(gsize) 3;
  gsize header = 4 * (gsize) batch->n_input;

  if (G_UNLIKELY (start + header > batch->raw_capacity))
    winnow_row_batch_reserve_raw (batch, start + header - batch->raw_length);
  memset (batch->raw + start, 0, header);
  batch->raw_current = start;
  batch->raw_length = start + header;
}

static inline void
winnow_row_batch_set_raw_field (WinnowRowBatch *batch, guint column, const char *text,
                                gsize length)
{
  if (G_UNLIKELY (batch->raw_length + length > batch->raw_capacity))
    winnow_row_batch_reserve_raw (batch, length);
  winnow_copy (batch->raw + batch->raw_length, text, length);
  batch->raw_length += length;
  ((guint32 *) (batch->raw + batch->raw_current))[column] = (guint32) length;
}

G_END_DECLS
