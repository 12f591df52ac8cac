/* winnow-cleaner-prepare.c: the cleaner's work on the parse threads
 * (winnow_csv_reader_set_prepare()): per-row work that needs no order,
 * beside the parsing, so that the cleaning thread only inserts and
 * counts, in file order. The passes are in winnow-cleaner.c. */
#include "config.h"

#include "winnow-cleaner-private.h"

#include "winnow-value-counter.h"

/* The digest of the compared columns. The record itself (lengths, missing
 * marks, texts) is the canonical form of the whole row; a subset is copied
 * into the same form first, through @key, with @fields as room for the
 * row's field starts. Reads only the plan: parse threads call it too. */
WinnowDigest
winnow_cleaner_digest_row (const WinnowPlan *plan, const WinnowRowBatch *batch, guint row,
                           GByteArray *key, const char **fields)
{
  const guint32 *lengths;
  const char *p;

  if (plan->dedupe_columns == NULL)
    return winnow_digest_compute (batch->data + batch->starts[row],
                                  batch->ends[row] - batch->starts[row]);

  lengths = winnow_row_batch_lengths (batch, row);
  p = winnow_row_batch_texts (batch, row);
  for (guint k = 0; k < batch->n_columns; k++)
    {
      fields[k] = p;
      p += WINNOW_FIELD_LENGTH (lengths[k]);
    }
  g_byte_array_set_size (key, 0);
  for (guint i = 0; i < plan->n_dedupe_columns; i++)
    {
      guint k = plan->dedupe_columns[i];
      g_byte_array_append (key, (const guint8 *) &lengths[k], 4);
      g_byte_array_append (key, (const guint8 *) fields[k], WINNOW_FIELD_LENGTH (lengths[k]));
    }
  return winnow_digest_compute (key->data, key->len);
}

/**
 * winnow_cleaner_prepare_batch:
 *
 * The reader's prepare function (winnow_csv_reader_set_prepare()): the
 * work on each row that needs no order runs on the parse threads, beside
 * the parsing: the rows' digests when the pass decides duplicates (or
 * names the kept copy of a rejected one), and the hash of every present
 * field for the profile when it writes. Reads only what a pass does not
 * change: the plan and the pass's choices.
 */
void
winnow_cleaner_prepare_batch (WinnowRowBatch *batch, gpointer data)
{
  const Cleaner *c = data;

  if (c->hash_rows)
    {
      guint64 *digests = winnow_row_batch_get_row_digests (batch);
      g_autoptr(GByteArray) key = c->plan->dedupe_columns ? g_byte_array_new () : NULL;
      g_autofree const char **fields = c->plan->dedupe_columns ? g_new (const char *, batch->n_columns)
                                                               : NULL;

      for (guint i = 0; i < batch->n_rows; i++)
        {
          WinnowDigest digest = winnow_cleaner_digest_row (c->plan, batch, i, key, fields);
          digests[2 * i] = digest.lo;
          digests[2 * i + 1] = digest.hi;
        }
      batch->has_row_digests = TRUE;
    }
  if (c->hash_cells)
    {
      guint64 *hashes = winnow_row_batch_get_cell_hashes (batch);
      guint n = batch->n_columns;

      for (guint i = 0; i < batch->n_rows; i++)
        {
          const guint32 *lengths = winnow_row_batch_lengths (batch, i);
          const char *p = winnow_row_batch_texts (batch, i);

          for (guint k = 0; k < n; k++)
            {
              gsize length = WINNOW_FIELD_LENGTH (lengths[k]);
              if (!(lengths[k] & WINNOW_FIELD_MISSING))
                hashes[(gsize) i * n + k] = winnow_value_counter_hash (p, length);
              p += length;
            }
        }
      batch->has_cell_hashes = TRUE;
    }
}
