/* winnow-row-batch.c: see winnow-row-batch.h. */
#include "config.h"

#include "winnow-row-batch.h"

#define BATCH_BYTES (1 << 20)

/**
 * winnow_row_batch_new:
 * Returns: (transfer full): an empty batch for rows of @n_columns fields.
 */
WinnowRowBatch *
winnow_row_batch_new (guint n_columns)
{
  WinnowRowBatch *batch = g_new0 (WinnowRowBatch, 1);

  batch->n_columns = n_columns;
  batch->max_rows = WINNOW_ROW_BATCH_ROWS;
  batch->capacity = BATCH_BYTES + BATCH_BYTES / 4;
  batch->data = g_malloc (batch->capacity);
  batch->starts = g_new (guint32, WINNOW_ROW_BATCH_ROWS);
  batch->ends = g_new (guint32, WINNOW_ROW_BATCH_ROWS);
  batch->lines = g_new (guint64, WINNOW_ROW_BATCH_ROWS);
  return batch;
}

/* The batch keeps every row as read, for a rejected-rows file: see
 * winnow-row-batch.h. */
void
winnow_row_batch_keep_raw (WinnowRowBatch *batch, guint n_input)
{
  g_return_if_fail (batch->n_input == 0 && n_input > 0);

  batch->n_input = n_input;
  batch->raw_capacity = BATCH_BYTES + BATCH_BYTES / 4;
  batch->raw = g_malloc (batch->raw_capacity);
  batch->raw_starts = g_new (guint32, WINNOW_ROW_BATCH_ROWS);
}

/* The batch counts the fields the replace step changes, per column. */
void
winnow_row_batch_count_replaced (WinnowRowBatch *batch)
{
  if (batch->replaced == NULL)
    batch->replaced = g_new0 (guint64, batch->n_columns);
}

void
winnow_row_batch_free (WinnowRowBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->replaced);
  g_free (batch->raw);
  g_free (batch->raw_starts);
  g_free (batch->bad_starts);
  g_free (batch->bad_lines);
  g_free (batch->bad_fields);
  g_free (batch->data);
  g_free (batch->starts);
  g_free (batch->ends);
  g_free (batch->lines);
  g_free (batch->row_digests);
  g_free (batch->cell_hashes);
  g_free (batch);
}

/* Room for the rows' digests (made on first use). */
guint64 *
winnow_row_batch_get_row_digests (WinnowRowBatch *batch)
{
  if (batch->row_digests == NULL)
    batch->row_digests = g_new (guint64, 2 * (gsize) batch->max_rows);
  return batch->row_digests;
}

/* Room for the hashes of the fields of the rows the batch holds, one per
 * row and column: sized by the rows it holds, so a file of 100,000 columns
 * (a few rows a batch) does not pay for 4,096 rows of them. */
guint64 *
winnow_row_batch_get_cell_hashes (WinnowRowBatch *batch)
{
  gsize need = (gsize) batch->n_rows * batch->n_columns;

  if (need > batch->cell_hashes_capacity)
    {
      g_free (batch->cell_hashes);
      batch->cell_hashes_capacity = need;
      batch->cell_hashes = g_new (guint64, batch->cell_hashes_capacity);
    }
  return batch->cell_hashes;
}

void
winnow_row_batch_reset (WinnowRowBatch *batch)
{
  batch->n_rows = 0;
  batch->length = 0;
  batch->first_row = 0;
  batch->bytes_consumed = 0;
  batch->raw_length = 0;
  batch->raw_current = 0;
  batch->n_bad = 0;
  batch->has_row_digests = batch->has_cell_hashes = FALSE;
  memset (batch->plain, 0, sizeof batch->plain);
  if (batch->replaced != NULL)
    memset (batch->replaced, 0, batch->n_columns * sizeof *batch->replaced);
  /* A batch that grew for one huge row goes back to its normal size. */
  if (batch->capacity > 4 * BATCH_BYTES)
    {
      batch->capacity = BATCH_BYTES + BATCH_BYTES / 4;
      batch->data = g_realloc (batch->data, batch->capacity);
    }
  if (batch->raw_capacity > 4 * BATCH_BYTES)
    {
      batch->raw_capacity = BATCH_BYTES + BATCH_BYTES / 4;
      batch->raw = g_realloc (batch->raw, batch->raw_capacity);
    }
}

/* Makes room for @extra more bytes after the current length. */
void
winnow_row_batch_reserve (WinnowRowBatch *batch, gsize extra)
{
  gsize needed = batch->length + extra + 4;

  if (needed <= batch->capacity)
    return;
  while (batch->capacity < needed)
    batch->capacity *= 2;
  batch->data = g_realloc (batch->data, batch->capacity);
}

/* Makes room for @extra more bytes after the raw records. */
void
winnow_row_batch_reserve_raw (WinnowRowBatch *batch, gsize extra)
{
  gsize needed = batch->raw_length + extra + 4;

  if (needed <= batch->raw_capacity)
    return;
  while (batch->raw_capacity < needed)
    batch->raw_capacity *= 2;
  batch->raw = g_realloc (batch->raw, batch->raw_capacity);
}

/* The raw record being parsed was a bad line, which the reader skips. */
void
winnow_row_batch_add_bad (WinnowRowBatch *batch, guint64 line, guint fields)
{
  if (batch->n_bad == batch->bad_capacity)
    {
      batch->bad_capacity = MAX (64, 2 * batch->bad_capacity);
      batch->bad_starts = g_renew (guint32, batch->bad_starts, batch->bad_capacity);
      batch->bad_lines = g_renew (guint64, batch->bad_lines, batch->bad_capacity);
      batch->bad_fields = g_renew (guint, batch->bad_fields, batch->bad_capacity);
    }
  batch->bad_starts[batch->n_bad] = (guint32) batch->raw_current;
  batch->bad_lines[batch->n_bad] = line;
  batch->bad_fields[batch->n_bad] = fields;
  batch->n_bad++;
}

/* The reader hands a batch on once it holds this many bytes or rows
 * (bad lines kept for a rejected-rows file count as rows). */
gboolean
winnow_row_batch_is_full (const WinnowRowBatch *batch)
{
  return batch->n_rows + batch->n_bad >= batch->max_rows || batch->length >= BATCH_BYTES ||
         batch->raw_length >= BATCH_BYTES;
}
