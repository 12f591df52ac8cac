/* winnow-row-batch.c: see winnow-row-batch.h. */
#include "config.h"

#include "winnow-row-batch.h"

#define BATCH_ROWS 4096
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
  batch->max_rows = BATCH_ROWS;
  batch->capacity = BATCH_BYTES + BATCH_BYTES / 4;
  batch->data = g_malloc (batch->capacity);
  batch->starts = g_new (guint32, BATCH_ROWS);
  batch->ends = g_new (guint32, BATCH_ROWS);
  batch->lines = g_new (guint64, BATCH_ROWS);
  return batch;
}

void
winnow_row_batch_free (WinnowRowBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->data);
  g_free (batch->starts);
  g_free (batch->ends);
  g_free (batch->lines);
  g_free (batch);
}

void
winnow_row_batch_reset (WinnowRowBatch *batch)
{
  batch->n_rows = 0;
  batch->length = 0;
  batch->first_row = 0;
  batch->bytes_consumed = 0;
  /* A batch that grew for one huge row goes back to its normal size. */
  if (batch->capacity > 4 * BATCH_BYTES)
    {
      batch->capacity = BATCH_BYTES + BATCH_BYTES / 4;
      batch->data = g_realloc (batch->data, batch->capacity);
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

/* The reader hands a batch on once it holds this many bytes or rows. */
gboolean
winnow_row_batch_is_full (const WinnowRowBatch *batch)
{
  return batch->n_rows >= batch->max_rows || batch->length >= BATCH_BYTES;
}
