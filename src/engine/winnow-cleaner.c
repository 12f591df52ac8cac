/* winnow-cleaner.c: see winnow-cleaner.h.
 *
 * Which rows remain is decided in the first pass that reads the file: on
 * the fly for keep=first (a row is a duplicate when its digest was seen),
 * or for keep=last/none in a selection pass that moves each digest's mark
 * to its last row (or clears every copy). When a later pass follows, the
 * decision is kept as one bit per row, so later passes never hash again.
 *
 * With a rejected-rows file, each digest also carries the row number and
 * the line of the copy that is kept, and the digest set lives until the
 * write pass, which says of each row it drops why (reject_row()).
 *
 * This file holds the passes; winnow-cleaner-attempt.c sets them up.
 */
#include "config.h"

#include "winnow-cleaner-private.h"

#include <glib/gi18n.h>
#include <string.h>


#define PROGRESS_INTERVAL (G_USEC_PER_SEC / 10)

static gint64 progress_interval = PROGRESS_INTERVAL;

/* For tests, while no task runs: tell progress at most every @usec
 * microseconds (0: after every batch, so that a test sees each value a
 * task could tell; -1: the default, ten times a second). */
void
winnow_clean_set_progress_interval (gint64 usec)
{
  progress_interval = usec < 0 ? PROGRESS_INTERVAL : usec;
}

const char *
winnow_phase_to_string (WinnowPhase phase)
{
  switch (phase)
    {
    case WINNOW_PHASE_SELECTING: return "selecting";
    case WINNOW_PHASE_ANALYSING: return "analysing";
    case WINNOW_PHASE_COMMITTING: return "finishing";
    case WINNOW_PHASE_WRITING:
    default: return "writing";
    }
}

/* ---- bitsets ---- */

static inline void
bitset_set (Bitset *bits, guint64 index, gboolean value)
{
  gsize word = (gsize) (index >> 6);
  guint64 mask = G_GUINT64_CONSTANT (1) << (index & 63);

  if (G_UNLIKELY (word >= bits->n_words))
    {
      gsize n = MAX (bits->n_words * 2, 1024);
      while (n <= word)
        n *= 2;
      bits->words = g_renew (guint64, bits->words, n);
      memset (bits->words + bits->n_words, 0, (n - bits->n_words) * sizeof (guint64));
      bits->n_words = n;
    }
  if (value)
    bits->words[word] |= mask;
  else
    bits->words[word] &= ~mask;
}

static inline gboolean
bitset_get (const Bitset *bits, guint64 index)
{
  gsize word = (gsize) (index >> 6);
  return word < bits->n_words && (bits->words[word] >> (index & 63)) & 1;
}

/* ---- per-row tests ---- */

static void
row_fields (Cleaner *c, const WinnowRowBatch *batch, guint row)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, row);
  const char *p = winnow_row_batch_texts (batch, row);

  for (guint k = 0; k < batch->n_columns; k++)
    {
      c->fields[k] = p;
      p += WINNOW_FIELD_LENGTH (lengths[k]);
    }
}

static WinnowDigest
row_digest (Cleaner *c, const WinnowRowBatch *batch, guint row)
{
  if (batch->has_row_digests)
    return (WinnowDigest) { batch->row_digests[2 * row], batch->row_digests[2 * row + 1] };
  return winnow_cleaner_digest_row (c->plan, batch, row, c->key, c->fields);
}

static inline gboolean
enough_present (const Cleaner *c, const guint32 *lengths)
{
  const WinnowPlan *plan = c->plan;
  guint present = 0;

  if (G_UNLIKELY (plan->missing_weights != NULL))
    {
      for (guint i = 0; i < plan->n_missing_columns; i++)
        if (!(lengths[plan->missing_columns[i]] & WINNOW_FIELD_MISSING))
          present += plan->missing_weights[i];
      return present >= plan->missing_needed;
    }
  for (guint i = 0; i < plan->n_missing_columns; i++)
    present += !(lengths[plan->missing_columns[i]] & WINNOW_FIELD_MISSING);
  return present >= plan->missing_needed;
}

/* Digests first, then probes that prefetch a few rows ahead: the table
 * is far larger than the caches, and this keeps several misses in flight. */
#define PREFETCH_AHEAD 16

static void
batch_digests (Cleaner *c, const WinnowRowBatch *batch)
{
  if (batch->has_row_digests)
    memcpy (c->digests, batch->row_digests, batch->n_rows * sizeof *c->digests);
  else
    for (guint i = 0; i < batch->n_rows; i++)
      c->digests[i] = row_digest (c, batch, i);
  for (guint i = 0; i < MIN (batch->n_rows, PREFETCH_AHEAD); i++)
    winnow_digest_set_prefetch (c->seen, c->digests[i]);
}

G_ALWAYS_INLINE static inline void
prefetch_ahead (Cleaner *c, const WinnowRowBatch *batch, guint i)
{
  if (i + PREFETCH_AHEAD < batch->n_rows)
    winnow_digest_set_prefetch (c->seen, c->digests[i + PREFETCH_AHEAD]);
}

/* keep=first: makes the digests of @batch (batch_digests()) and inserts
 * them in the set, noting which rows are new (c->is_new), before anything
 * else is done with its rows: a loop that only probes keeps more of the
 * table's cache misses in flight than one that also reads each row's
 * fields between its probes (R0 on the 5M file: 6 % less CPU time, 1.69
 * -> 1.57 s mean wall time over 10 interleaved runs). */
static void
insert_digests (Cleaner *c, const WinnowRowBatch *batch)
{
  batch_digests (c, batch);
  for (guint i = 0; i < batch->n_rows; i++)
    {
      guint64 *owner;

      prefetch_ahead (c, batch, i);
      c->is_new[i] = winnow_digest_set_insert (c->seen, c->digests[i], &owner);
      /* for the rejected-rows file: the row kept and its line */
      if (c->is_new[i] && c->seen->n_values == 2)
        {
          owner[0] = batch->first_row + i;
          owner[1] = batch->lines[i];
        }
    }
}

/* keep=first, decided while reading, after insert_digests(): is row @i of
 * @batch kept? */
static gboolean
decide_row (Cleaner *c, const WinnowRowBatch *batch, guint i)
{
  if (c->recipe->drop_duplicates && !c->is_new[i])
    {
      c->duplicates++;
      return FALSE;
    }
  if (c->recipe->drop_missing && !enough_present (c, winnow_row_batch_lengths (batch, i)))
    {
      c->missing_dropped++;
      return FALSE;
    }
  return TRUE;
}

/* keep=last/none: the selection pass. */
static void
select_batch (Cleaner *c, const WinnowRowBatch *batch)
{
  batch_digests (c, batch);
  for (guint i = 0; i < batch->n_rows; i++)
    {
      guint64 row = batch->first_row + i;
      guint64 *owner;
      gboolean is_new;

      prefetch_ahead (c, batch, i);
      is_new = winnow_digest_set_insert (c->seen, c->digests[i], &owner);

      /* owner[0]: the row kept (or DUPLICATE_MARK); owner[1], in a set of
       * two values: its line (keep=none: the first copy's line) */
      if (c->recipe->keep == WINNOW_KEEP_LAST)
        {
          if (!is_new)
            bitset_set (&c->unique, owner[0], FALSE);
          owner[0] = row;
          if (c->seen->n_values == 2)
            owner[1] = batch->lines[i];
          bitset_set (&c->unique, row, TRUE);
        }
      else if (is_new)
        {
          owner[0] = row;
          if (c->seen->n_values == 2)
            owner[1] = batch->lines[i];
          bitset_set (&c->unique, row, TRUE);
        }
      else if (owner[0] != DUPLICATE_MARK)
        {
          bitset_set (&c->unique, owner[0], FALSE);
          owner[0] = DUPLICATE_MARK;
        }
      bitset_set (&c->keep, row,
                  !c->recipe->drop_missing ||
                    enough_present (c, winnow_row_batch_lengths (batch, i)));
    }
}

/* After the selection pass: keep = unique & enough present. */
static void
finish_selection (Cleaner *c, guint64 n_rows)
{
  guint64 unique = 0, kept = 0;

  /* a word (64 rows) at a time; bits past the last row stay as they are */
  for (gsize w = 0; w < (n_rows + 63) / 64; w++)
    {
      guint64 rows = w < n_rows / 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << (n_rows % 64)) - 1;
      guint64 u = (w < c->unique.n_words ? c->unique.words[w] : 0) & rows;
      guint64 k = u & (w < c->keep.n_words ? c->keep.words[w] : 0);

      unique += (guint64) __builtin_popcountll (u);
      kept += (guint64) __builtin_popcountll (k);
      if (w < c->keep.n_words)
        c->keep.words[w] = k | (c->keep.words[w] & ~rows);
    }
  c->duplicates = n_rows - unique;
  c->missing_dropped = unique - kept;
  c->have_keep = TRUE;
  g_clear_pointer (&c->unique.words, g_free);
  c->unique.n_words = 0;
  /* the write pass looks the kept copies up for the rejected rows */
  if (c->rejects == NULL)
    g_clear_pointer (&c->seen, winnow_digest_set_free);
  else
    winnow_digest_set_settle (c->seen);
}

/* ---- rejected rows ---- */

/* Row @i of @batch was dropped: why, in the rejected-rows file. Duplicates
 * go first, as the steps do. A duplicate's detail names the line of the
 * copy that was kept (keep=first or last), which the rejected-rows file
 * may list too if a later step dropped it; with keep=none no copy is kept,
 * and the detail names the first. A row dropped for missing values names
 * the columns of the drop_missing subset that are missing in it. */
static void
reject_row (Cleaner *c, const WinnowRowBatch *batch, guint i, gboolean digest_ready)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, i);
  const WinnowPlan *plan = c->plan;

  g_string_truncate (c->detail, 0);
  if (c->recipe->drop_duplicates)
    {
      WinnowDigest digest = digest_ready ? c->digests[i] : row_digest (c, batch, i);
      const guint64 *owner = winnow_digest_set_lookup (c->seen, digest);
      /* the row kept (or DUPLICATE_MARK), then a line */
      if (owner != NULL && owner[0] != batch->first_row + i)
        {
          if (c->recipe->keep == WINNOW_KEEP_NONE)
            g_string_printf (c->detail, "every copy dropped; the first is on line %" G_GUINT64_FORMAT,
                             owner[1]);
          else
            g_string_printf (c->detail, "of line %" G_GUINT64_FORMAT, owner[1]);
          winnow_rejects_add (c->rejects, batch->lines[i], WINNOW_REJECT_DUPLICATE, c->detail->str,
                              batch, batch->raw_starts[i]);
          return;
        }
    }

  for (guint m = 0; m < plan->n_missing_columns; m++)
    if (lengths[plan->missing_columns[m]] & WINNOW_FIELD_MISSING)
      g_string_append_printf (c->detail, "%s%s", c->detail->len > 0 ? ", " : "",
                              (const char *) g_ptr_array_index (plan->kept_names,
                                                                plan->missing_columns[m]));
  if (c->detail->len == 0)
    /* thresh above the number of columns: nothing is missing, yet too
     * few fields are present */
    g_string_printf (c->detail, "fewer than %u fields present", plan->missing_needed);
  winnow_rejects_add (c->rejects, batch->lines[i], WINNOW_REJECT_MISSING, c->detail->str, batch,
                      batch->raw_starts[i]);
}

/* Bad line @b of @batch, which the reader skipped. */
static void
reject_bad_line (Cleaner *c, const WinnowRowBatch *batch, guint b)
{
  g_string_printf (c->detail, "expected %u field%s, saw %u", c->plan->n_input,
                   c->plan->n_input == 1 ? "" : "s", batch->bad_fields[b]);
  winnow_rejects_add (c->rejects, batch->bad_lines[b], WINNOW_REJECT_BAD_LINE, c->detail->str,
                      batch, batch->bad_starts[b]);
}

/* ---- statistics ---- */

static void
stats_row (Cleaner *c, const WinnowRowBatch *batch, guint i)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, i);

  row_fields (c, batch, i);
  for (guint k = 0; k < c->plan->n_kept; k++)
    if (c->stats[k] != NULL)
      winnow_fill_stats_add (c->stats[k], c->fields[k], WINNOW_FIELD_LENGTH (lengths[k]),
                             lengths[k] & WINNOW_FIELD_MISSING);
}

/* ---- writing ---- */

/* @text is the last value of an ffill column: kept, its run of missing
 * cells after it begun. */
void
winnow_cleaner_remember (LastValue *last, const char *text, gsize length)
{
  if (length > last->capacity)
    {
      last->capacity = MAX (length, 2 * last->capacity);
      last->text = g_realloc (last->text, last->capacity);
    }
  memcpy (last->text, text, length);
  last->length = length;
  last->has_value = TRUE;
  last->run = 0;
}

/* The value a missing field of kept column @k gets, if any. */
static gboolean
fill_value (Cleaner *c, guint k, const char **text, gsize *length)
{
  WinnowColumnFill *fill = &c->plan->fills[k];
  LastValue *last;

  switch (fill->strategy)
    {
    case WINNOW_FILL_FFILL:
      last = &c->last[k];
      last->run++;
      if (!last->has_value || (fill->limit > 0 && last->run > (guint64) fill->limit))
        return FALSE;
      *text = last->text;
      *length = last->length;
      return TRUE;
    case WINNOW_FILL_BFILL:
      return winnow_fill_stats_next_bfill (c->stats[k], fill->limit, text, length);
    case WINNOW_FILL_VALUE:
    case WINNOW_FILL_MEAN:
    case WINNOW_FILL_MEDIAN:
    case WINNOW_FILL_MODE:
    default:
      if (fill->value == NULL)
        return FALSE;
      *text = fill->value;
      *length = strlen (fill->value);
      return TRUE;
    }
}

/* The header goes through the same writer as the rows, so formula_guard
 * guards its cells too: a spreadsheet runs a formula in the first row as
 * readily as in any other. */
static void
write_header (Cleaner *c)
{
  GPtrArray *names = c->plan->kept_names;

  for (guint k = 0; k < names->len; k++)
    {
      const char *name = g_ptr_array_index (names, k);
      if (names->len == 1 && name[0] == '\0')
        winnow_csv_writer_empty_row (c->writer);
      else
        winnow_csv_writer_field (c->writer, k == 0, name, strlen (name));
      if (k < WINNOW_PREVIEW_COLUMNS)
        g_ptr_array_add (c->result->preview_header, g_strdup (name));
    }
  winnow_csv_writer_end_row (c->writer);
}

/* A missing cell of column @k to be filled by its statistic or bfill:
 * empty now, its place noted (in a file of one column, an empty line
 * until the hole gets its value, or "" if it gets none). */
static void
write_hole (Cleaner *c, guint k, char **preview)
{
  WinnowOutputHole hole;

  winnow_csv_writer_field (c->writer, k == 0, "", 0);
  hole.offset = c->writer->bytes_written + c->writer->length;
  hole.value = k;
  winnow_cleaner_add_hole (c, hole);
  c->hole_counts[k]++;
  if (preview && k < WINNOW_PREVIEW_COLUMNS)
    {
      guint64 at = (guint64) c->result->preview->len << 32 | k;
      preview[k] = g_strdup ("");
      g_array_append_val (c->preview_holes, at);
    }
}

static void
write_row (Cleaner *c, const WinnowRowBatch *batch, guint i)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, i);
  const char *p = winnow_row_batch_texts (batch, i);
  guint n = c->plan->n_kept;
  char **preview = NULL;

  if (c->rows_written < WINNOW_PREVIEW_ROWS)
    preview = g_new0 (char *, MIN (n, WINNOW_PREVIEW_COLUMNS) + 1);

  for (guint k = 0; k < n; k++)
    {
      const char *text = p;
      gsize length = WINNOW_FIELD_LENGTH (lengths[k]);
      gboolean present = !(lengths[k] & WINNOW_FIELD_MISSING);
      gboolean as_read = present;

      p += length;
      if (c->defer_fills && c->stats[k] != NULL)
        {
          /* the statistic, of the rows kept; the value comes later */
          winnow_fill_stats_add (c->stats[k], text, length, !present);
          if (!present)
            {
              write_hole (c, k, preview);
              continue;
            }
        }
      if (present)
        {
          if (c->last != NULL && c->plan->fills[k].strategy == WINNOW_FILL_FFILL &&
              c->plan->fills[k].active)
            winnow_cleaner_remember (&c->last[k], text, length);
        }
      else if (c->plan->fills[k].active && fill_value (c, k, &text, &length))
        {
          present = TRUE;
          c->filled[k]++;
        }

      winnow_cleaner_put_field (c->profiler, c->writer, batch, i, k, n, text, length, present,
                                as_read, NULL, FALSE);
      if (preview && k < WINNOW_PREVIEW_COLUMNS)
        preview[k] = g_strndup (text, length);
    }
  winnow_csv_writer_end_row (c->writer);
  if (preview)
    g_ptr_array_add (c->result->preview, preview);
  c->rows_written++;
}

/* The missing fields of the rows read, for the profile's missing_before
 * (nothing else reads them). */
static void
count_missing (Cleaner *c, const WinnowRowBatch *batch, guint i)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, i);

  if (c->profiler == NULL)
    return;
  for (guint k = 0; k < batch->n_columns; k++)
    c->missing_before[k] += lengths[k] >> 31;
}

static guint write_batch_with_rejects (Cleaner *c, const WinnowRowBatch *batch, guint *rows);

/**
 * winnow_cleaner_decide_batch:
 * @rows: room for the batch's rows
 *
 * The write pass's work on @batch that needs the rows in order, for the
 * pipeline (winnow-cleaner-pipeline.c): which rows remain, their indexes
 * put in @rows, the missing fields of every row counted, and the rows
 * dropped and bad lines written to the rejected-rows file if there is one.
 *
 * Returns: how many rows remain
 */
guint
winnow_cleaner_decide_batch (Cleaner *c, const WinnowRowBatch *batch, guint *rows)
{
  gboolean deciding = !c->have_keep;
  guint n = 0;

  if (c->rejects != NULL)
    return write_batch_with_rejects (c, batch, rows);
  if (deciding && c->recipe->drop_duplicates)
    insert_digests (c, batch);
  for (guint i = 0; i < batch->n_rows; i++)
    {
      gboolean kept = deciding ? decide_row (c, batch, i)
                               : bitset_get (&c->keep, batch->first_row + i);

      count_missing (c, batch, i);
      if (kept)
        rows[n++] = i;
    }
  return n;
}

/* ---- passes ---- */

void
winnow_cleaner_report (Cleaner *c, const WinnowRowBatch *batch)
{
  gint64 now = g_get_monotonic_time ();
  WinnowProgress progress = { 0 };
  double within;

  if (c->progress == NULL || now - c->last_report < progress_interval)
    return;
  c->last_report = now;
  within = c->size > 0 ? (double) batch->bytes_consumed / (double) c->size : 1.0;
  /* Short of 1: the task is done only when its output is in place. */
  progress.fraction = MIN (0.999, (c->pass_index + MIN (within, 1.0)) / c->n_passes);
  /* a second attempt starts again from the first byte: it is told from
   * where the first one got to */
  progress.fraction = MAX (progress.fraction, c->reported);
  c->reported = progress.fraction;
  progress.rows = batch->first_row + batch->n_rows;
  progress.phase = c->phase;
  c->progress (&progress, c->progress_data);
}

/* The write pass with a rejected-rows file: every row goes to one file or
 * the other, bad lines in their place among them. A loop of its own, so
 * that the usual one has nothing more to test per row. The rows kept are
 * written, or with @rows listed there for the pipeline to write (their
 * number returned). */
static guint
write_batch_with_rejects (Cleaner *c, const WinnowRowBatch *batch, guint *rows)
{
  gboolean deciding = !c->have_keep;
  gboolean digests = c->recipe->drop_duplicates && (deciding || batch->has_row_digests);
  guint bad = 0, n = 0;

  if (deciding && c->recipe->drop_duplicates)
    insert_digests (c, batch);
  else if (digests)
    batch_digests (c, batch);
  for (guint i = 0; i < batch->n_rows; i++)
    {
      gboolean kept = deciding ? decide_row (c, batch, i)
                               : bitset_get (&c->keep, batch->first_row + i);

      while (bad < batch->n_bad && batch->bad_lines[bad] < batch->lines[i])
        reject_bad_line (c, batch, bad++);
      count_missing (c, batch, i);
      if (!kept)
        reject_row (c, batch, i, digests);
      else if (rows != NULL)
        rows[n++] = i;
      else
        write_row (c, batch, i);
    }
  while (bad < batch->n_bad)
    reject_bad_line (c, batch, bad++);
  return n;
}

static void
process_batch (Cleaner *c, PassKind kind, const WinnowRowBatch *batch)
{
  gboolean deciding = !c->have_keep;
  gboolean recording = deciding && kind != PASS_WRITE;

  if (kind == PASS_SELECT)
    {
      select_batch (c, batch);
      return;
    }
  if (G_UNLIKELY (kind == PASS_WRITE && c->rejects != NULL))
    {
      write_batch_with_rejects (c, batch, NULL);
      return;
    }
  if (deciding && c->recipe->drop_duplicates)
    insert_digests (c, batch);

  for (guint i = 0; i < batch->n_rows; i++)
    {
      guint64 row = batch->first_row + i;
      gboolean kept = deciding ? decide_row (c, batch, i) : bitset_get (&c->keep, row);

      if (recording)
        bitset_set (&c->keep, row, kept);
      if (kind == PASS_WRITE)
        count_missing (c, batch, i);
      if (!kept)
        continue;
      if (kind == PASS_STATS)
        stats_row (c, batch, i);
      else
        write_row (c, batch, i);
    }
}

/* Is the file the open reader reads still the one an earlier pass read
 * (c->size, c->mtime)? */
gboolean
winnow_cleaner_same_file (Cleaner *c, GError **error)
{
  if (winnow_csv_reader_get_size (c->reader) != c->size ||
      winnow_csv_reader_get_mtime (c->reader) != c->mtime)
    {
      g_autofree char *name = g_filename_display_basename (c->input_path);
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_CHANGED,
                   /* Translators: %s is a file name */
                   _("%s changed while it was being cleaned; nothing was written"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
reopen (Cleaner *c, GError **error)
{
  WinnowCsvReaderOptions options = c->options;

  options.delimiter = winnow_csv_reader_get_delimiter (c->reader);
  g_clear_pointer (&c->reader, winnow_csv_reader_free);
  c->reader = winnow_csv_reader_open (c->input_path, &options, c->cancellable, error);
  if (c->reader == NULL)
    return FALSE;
  return winnow_cleaner_same_file (c, error);
}

gboolean
winnow_cleaner_run_pass (Cleaner *c, PassKind kind, GError **error)
{
  WinnowRowBatch *batch;
  GError *local_error = NULL;
  gboolean pipelined;

  c->phase = kind == PASS_SELECT ? WINNOW_PHASE_SELECTING
           : kind == PASS_STATS ? WINNOW_PHASE_ANALYSING
           : WINNOW_PHASE_WRITING;
  if (c->pass_index > 0 && !reopen (c, error))
    return FALSE;
  g_debug ("pass %u of %u: %s", c->pass_index + 1, c->n_passes, winnow_phase_to_string (c->phase));

  if (kind == PASS_WRITE && c->rejects != NULL)
    winnow_csv_reader_keep_raw (c->reader);
  /* what the parse threads do for this pass (winnow_cleaner_prepare_batch()) */
  c->hash_rows = c->recipe->drop_duplicates &&
                 (kind == PASS_SELECT || !c->have_keep || (kind == PASS_WRITE && c->rejects != NULL));
  pipelined = kind == PASS_WRITE && winnow_cleaner_can_pipeline (c);
  /* in the one-thread loop only: the pipeline's formatting threads hash
   * the fields themselves, while the text is in their cache */
  c->hash_cells = kind == PASS_WRITE && !pipelined && c->profiler != NULL;
  if (pipelined)
    winnow_csv_reader_hold_batches (c->reader, WINNOW_CLEANER_IN_FLIGHT);
  winnow_csv_reader_set_prepare (c->reader, winnow_cleaner_prepare_batch, c);
  winnow_csv_reader_set_replace (c->reader, c->plan->replace);
  winnow_csv_reader_start (c->reader, c->plan->column_map, c->plan->n_kept, c->plan->na,
                           c->recipe->trim_whitespace);
  if (kind == PASS_WRITE && c->recipe->header)
    write_header (c);

  if (pipelined)
    {
      winnow_cleaner_write_pipelined (c);
      g_cancellable_set_error_if_cancelled (c->cancellable, &local_error);
    }
  else while ((batch = winnow_csv_reader_next_batch (c->reader)) != NULL)
    {
      process_batch (c, kind, batch);
      if (kind == PASS_WRITE && batch->replaced != NULL)
        for (guint k = 0; k < batch->n_columns; k++)
          c->replaced[k] += batch->replaced[k];
      if (kind == PASS_WRITE)
        winnow_cleaner_weigh_holes (c, batch->bytes_consumed);
      winnow_cleaner_report (c, batch);
      winnow_csv_reader_recycle (c->reader, batch);

      if (g_cancellable_set_error_if_cancelled (c->cancellable, &local_error) ||
          c->holes_dense || (c->writer && c->writer->error_number != 0) ||
          (c->rejects && winnow_rejects_failed (c->rejects)))
        break;
    }
  if (local_error == NULL && c->writer && c->writer->error_number != 0)
    {
      g_autofree char *name = g_filename_display_name (c->output_path);
      g_set_error (&local_error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   /* Translators: a file name, then the system's reason */
                   _("could not write %s: %s"), name, g_strerror (c->writer->error_number));
    }
  if (local_error == NULL && c->rejects && winnow_rejects_failed (c->rejects))
    winnow_rejects_finish (c->rejects, &local_error);
  if (local_error == NULL && c->holes_dense)
    g_set_error_literal (&local_error, WINNOW_CLEANER_DENSE_HOLES, 0, "holes too dense");
  if (local_error != NULL)
    {
      winnow_csv_reader_abort (c->reader);
      winnow_csv_reader_finish (c->reader, NULL);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (!winnow_csv_reader_finish (c->reader, error))
    return FALSE;

  if (kind == PASS_SELECT)
    finish_selection (c, winnow_csv_reader_get_rows (c->reader) -
                           winnow_csv_reader_get_bad_lines (c->reader));
  else if (c->have_keep == FALSE && kind == PASS_STATS)
    c->have_keep = TRUE;
  if (kind == PASS_STATS && !winnow_cleaner_finish_stats (c, error))
    return FALSE;
  c->pass_index++;
  return TRUE;
}
