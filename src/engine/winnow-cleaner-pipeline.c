/* winnow-cleaner-pipeline.c: the write pass on more than one thread.
 *
 * The cleaning thread reads the parsed batches in file order and decides
 * which of their rows remain (duplicates, missing values): the only step
 * that needs the rows in order. Each batch's remaining rows are then
 * formatted into a buffer of their own, with the numbers a mean or median
 * fill needs parsed on the way, by a formatting thread, or by the
 * cleaning thread itself when it would otherwise wait; each of the two
 * profiles the rows it formats into a profile of its own, and the two
 * are merged into the task's at the end (exactly: winnow_profiler_merge(),
 * whatever the order of the cells). Then, in file order again, the
 * cleaning thread writes each buffer whole, adds its numbers to the fill
 * statistics, and notes its holes (cells a statistic fills at the end)
 * where they fall in the file. Up to IN_FLIGHT batches are between the
 * two orders, held from the reader, which gives each parse thread as
 * many more batches (winnow_csv_reader_hold_batches()): the thread that
 * parses the next batch never waits for one the pipeline holds.
 *
 * An ffill is made within each batch from its own values; the cells
 * before a batch's first value are holes, which get the value the batches
 * before it ended with once it is written, in order. A bfill is pipelined
 * when it leaves holes (its runs are counted as the batches are written).
 *
 * The bytes written, the counts and the profile are those of the one
 * thread loop in winnow-cleaner.c (bench/same-output.sh), which still
 * runs a bfill made by a statistics pass. The
 * rejected-rows file is written while the rows are decided, in order, on
 * the cleaning thread. docs/ARCHITECTURE.md, "Data flow of one task".
 */
#include "config.h"

#include "winnow-cleaner-private.h"

#include <string.h>

#include "winnow-number.h"
#include "winnow-thread-budget.h"

#define IN_FLIGHT WINNOW_CLEANER_IN_FLIGHT

/* Past this many columns a batch holds few rows, and the formatting
 * thread's profile (a few hundred bytes a column, up to half a MiB for a
 * column of many values) costs more than it saves. */
#define MAX_COLUMNS 1024

/* Who formats: the formatting thread, or the cleaning thread while it
 * would wait. Each has a profile of its own. */
enum { FORMATTER_HELPER, FORMATTER_CLEANER, N_FORMATTERS };

typedef struct {
  WinnowRowBatch *batch;
  guint *rows;                /* the batch's rows that remain, in order */
  guint n_rows;
  guint rows_capacity;
  WinnowCsvWriter *out;       /* those rows as CSV, in memory */
  GArray *holes;              /* WinnowOutputHole, offsets within out */
  guint64 *hole_counts;       /* per kept column */
  guint64 *filled;            /* per kept column */
  /* ffill, per kept column: the batch's missing cells before its first
   * value (holes), its last value (or NULL) and the missing cells after */
  guint64 *lead;
  const char **last_text;
  gsize *last_length;
  guint64 *trail;
  double *numbers;            /* per row, per number column: for the fills */
  guint8 *is_number;
  gsize numbers_capacity;
  gboolean done;              /* under Pipeline.lock */
} Job;

typedef struct {
  Cleaner *c;
  GAsyncQueue *todo;          /* of Job */
  GMutex lock;
  GCond cond;
  GThread *helper;
  gint *number_index;         /* per kept column: its number column, or -1 */
  guint n_number_columns;
  guint *number_columns;      /* per number column: its kept column */
  gboolean numbers_only;      /* every deferred fill's statistic takes numbers */
  gboolean ffill;             /* some column fills forward */
  gboolean as_read;           /* every field is written as read: nothing to
                               * fill, to profile or to parse */
  gboolean plain_ok;          /* a plain row's fields need no quotes: the
                               * writer has the reader's delimiter, of one
                               * byte, and guards no formula */
  /* of the rows each formatter formatted: a profile per thread, not per
   * batch, so no batch's profile is made, grown, merged and emptied */
  WinnowProfiler *profilers[N_FORMATTERS];
  Job jobs[IN_FLIGHT];
  GQueue in_flight;           /* of Job, in file order */
} Pipeline;

/* What the helper is told to stop with. */
static Job stop_marker;

/* winnow_cleaner_set_pipeline() */
static gint pipeline_mode = -1;
/* winnow_cleaner_get_pipelined_passes() */
static gint pipelined_passes;

/**
 * winnow_cleaner_set_pipeline:
 * @mode: -1 (the default): where it may; 0: never; 1: wherever the recipe
 *   allows, whatever the cores
 *
 * For tests: both loops of the write pass give the same bytes.
 */
void
winnow_cleaner_set_pipeline (gint mode)
{
  g_atomic_int_set (&pipeline_mode, mode);
}

/* For tests: how many write passes have run pipelined, in this process. */
guint
winnow_cleaner_get_pipelined_passes (void)
{
  return (guint) g_atomic_int_get (&pipelined_passes);
}

/**
 * winnow_cleaner_can_pipeline:
 *
 * Whether the write pass may format on another thread: no backward fill
 * unless it leaves holes (its runs are then counted in order, as the
 * batches are written), more than one core, and at most MAX_COLUMNS
 * columns. (The rejected-rows file is written in order, as the rows are
 * decided; a forward fill's first cells in each batch wait as holes.)
 * An ffill is pipelined only when tests ask (@mode 1): its holes make a
 * hole pass that moves nearly the whole output, which on two cores cost
 * more than the pipeline saved (0.34-0.41 s against 0.32 s on a 62 MB
 * file; docs/ARCHITECTURE.md).
 */
gboolean
winnow_cleaner_can_pipeline (const Cleaner *c)
{
  gint mode = g_atomic_int_get (&pipeline_mode);

  if (mode == 0 || c->plan->n_kept > MAX_COLUMNS || (mode < 0 && c->last != NULL))
    return FALSE;
  for (guint k = 0; k < c->plan->n_kept; k++)
    if (c->plan->fills[k].active && c->plan->fills[k].strategy == WINNOW_FILL_BFILL &&
        !c->defer_fills)
      return FALSE;
  return mode == 1 || winnow_thread_budget_get_capacity (winnow_thread_budget_get_default ()) > 1;
}

/* ---- one batch's rows, on any thread ---- */

typedef enum {
  FIELD_AS_READ,
  FIELD_FILLED,    /* by its value: *text, *length changed */
  FIELD_HOLE,      /* by a statistic, at the end */
  FIELD_MISSING,
} FieldKind;

/* What becomes of a field of kept column @k, as write_row() decides it
 * (without ffill, which format_job() and preview_row() make; a bfill's
 * missing cell is a hole). */
static inline FieldKind
field_kind (const Cleaner *c, guint k, gboolean present, const char **text, gsize *length)
{
  const WinnowColumnFill *fill = &c->plan->fills[k];

  if (present)
    return FIELD_AS_READ;
  if (c->defer_fills && c->stats[k] != NULL)
    return FIELD_HOLE;
  if (!fill->active || fill->value == NULL)
    return FIELD_MISSING;
  *text = fill->value;
  *length = strlen (fill->value);
  return FIELD_FILLED;
}

static inline gboolean
is_ffill (const Cleaner *c, guint k)
{
  return c->plan->fills[k].active && c->plan->fills[k].strategy == WINNOW_FILL_FFILL;
}

/* A field of ffill column @k in a batch: a value is kept as the batch's
 * last; a missing cell after one gets it (within @limit cells, 0: any);
 * one before any is a hole, for finish_ffill(). */
static inline FieldKind
ffill_kind (Job *job, guint k, gint64 limit, gboolean present, const char **text, gsize *length)
{
  if (present)
    {
      job->last_text[k] = *text;
      job->last_length[k] = *length;
      job->trail[k] = 0;
      return FIELD_AS_READ;
    }
  if (job->last_text[k] == NULL)
    {
      job->lead[k]++;
      return FIELD_HOLE;
    }
  job->trail[k]++;
  if (limit > 0 && job->trail[k] > (guint64) limit)
    return FIELD_MISSING;
  *text = job->last_text[k];
  *length = job->last_length[k];
  return FIELD_FILLED;
}

static void
ensure_numbers (Pipeline *p, Job *job)
{
  gsize need = (gsize) job->n_rows * p->n_number_columns;

  if (need <= job->numbers_capacity)
    return;
  job->numbers_capacity = need;
  job->numbers = g_renew (double, job->numbers, need);
  job->is_number = g_renew (guint8, job->is_number, need);
}

/* format_job() where every field is written as read (Pipeline.as_read):
 * the same bytes, without asking each field what becomes of it, nor a
 * plain row's fields whether they need quotes (@plain_ok). A loop for
 * each kind of row: one loop asking per field (or calling
 * winnow_cleaner_put_field()) cost R0 2-3 % more instructions. */
static void
format_as_read (Job *job, guint n, gboolean plain_ok)
{
  const WinnowRowBatch *batch = job->batch;
  WinnowCsvWriter *out = job->out;

  for (guint r = 0; r < job->n_rows; r++)
    {
      guint i = job->rows[r];
      const guint32 *lengths = winnow_row_batch_lengths (batch, i);
      const char *t = winnow_row_batch_texts (batch, i);

      if (n == 1 && WINNOW_FIELD_LENGTH (lengths[0]) == 0)
        winnow_csv_writer_empty_row (out);
      else if (plain_ok && winnow_row_batch_is_plain (batch, i))
        for (guint k = 0; k < n; k++)
          {
            gsize length = WINNOW_FIELD_LENGTH (lengths[k]);

            winnow_csv_writer_plain_field (out, k == 0, t, length);
            t += length;
          }
      else
        for (guint k = 0; k < n; k++)
          {
            gsize length = WINNOW_FIELD_LENGTH (lengths[k]);

            winnow_csv_writer_field (out, k == 0, t, length);
            t += length;
          }
      winnow_csv_writer_end_row (out);
    }
}

/* As write_row() in winnow-cleaner.c, into the job's own buffer and the
 * profile of @formatter. Reads of the cleaner only what the pass does not
 * change. */
static void
format_job (Pipeline *p, Job *job, guint formatter)
{
  WinnowProfiler *profiler = p->profilers[formatter];
  const Cleaner *c = p->c;
  const WinnowRowBatch *batch = job->batch;
  guint n = c->plan->n_kept;
  WinnowCsvWriter *out = job->out;

  out->length = 0;
  g_array_set_size (job->holes, 0);
  memset (job->hole_counts, 0, n * sizeof *job->hole_counts);
  memset (job->filled, 0, n * sizeof *job->filled);
  if (p->ffill)
    {
      memset (job->lead, 0, n * sizeof *job->lead);
      memset (job->trail, 0, n * sizeof *job->trail);
      memset (job->last_text, 0, n * sizeof *job->last_text);
    }
  ensure_numbers (p, job);
  if (p->as_read)
    {
      format_as_read (job, n, p->plain_ok);
      return;
    }

  for (guint r = 0; r < job->n_rows; r++)
    {
      guint i = job->rows[r];
      const guint32 *lengths = winnow_row_batch_lengths (batch, i);
      const char *t = winnow_row_batch_texts (batch, i);
      gboolean plain = p->plain_ok && winnow_row_batch_is_plain (batch, i);

      for (guint k = 0; k < n; k++)
        {
          const char *text = t;
          gsize length = WINNOW_FIELD_LENGTH (lengths[k]);
          gboolean present = !(lengths[k] & WINNOW_FIELD_MISSING);
          WinnowParsedNumber number = { FALSE, FALSE, 0. };
          gboolean parsed = p->number_index[k] >= 0;
          FieldKind kind;

          t += length;
          if (parsed)
            {
              gsize at = (gsize) r * p->n_number_columns + (guint) p->number_index[k];

              /* the profile takes the same number */
              number.is_number = present && winnow_number_parse (text, length, &number.value,
                                                                 &number.integer);
              job->is_number[at] = (guint8) number.is_number;
              job->numbers[at] = number.is_number ? number.value : 0.;
            }
          if (p->ffill && is_ffill (c, k))
            kind = ffill_kind (job, k, c->plan->fills[k].limit, present, &text, &length);
          else
            kind = field_kind (c, k, present, &text, &length);
          if (kind == FIELD_HOLE)
            {
              /* as write_hole() leaves it */
              WinnowOutputHole hole;

              winnow_csv_writer_field (out, k == 0, "", 0);
              hole.offset = out->length;
              hole.value = k;
              g_array_append_val (job->holes, hole);
              job->hole_counts[k]++;
              continue;
            }
          if (kind == FIELD_FILLED)
            job->filled[k]++;
          winnow_cleaner_put_field (profiler, out, batch, i, k, n, text, length,
                                    kind != FIELD_MISSING, kind == FIELD_AS_READ,
                                    parsed ? &number : NULL, plain && kind != FIELD_FILLED);
        }
      winnow_csv_writer_end_row (out);
    }
}

static void
mark_done (Pipeline *p, Job *job)
{
  g_mutex_lock (&p->lock);
  job->done = TRUE;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static gpointer
helper_main (gpointer data)
{
  Pipeline *p = data;
  Job *job;

  while ((job = g_async_queue_pop (p->todo)) != &stop_marker)
    {
      format_job (p, job, FORMATTER_HELPER);
      mark_done (p, job);
    }
  return NULL;
}

/* Waits for @job, formatting batches still queued meanwhile. */
static void
wait_job (Pipeline *p, Job *job)
{
  Job *other;

  for (;;)
    {
      gboolean done;

      g_mutex_lock (&p->lock);
      done = job->done;
      g_mutex_unlock (&p->lock);
      if (done || (other = g_async_queue_try_pop (p->todo)) == NULL)
        break;
      format_job (p, other, FORMATTER_CLEANER);
      mark_done (p, other);
    }
  g_mutex_lock (&p->lock);
  while (!job->done)
    g_cond_wait (&p->cond, &p->lock);
  g_mutex_unlock (&p->lock);
}

/* ---- in file order, on the cleaning thread ---- */

/* An ffill column's state as the preview's rows are made, in order. */
typedef struct {
  const char *text;
  gsize length;
  gboolean has_value;
  guint64 run;
} PreviewLast;

/* The preview row of kept row @i, as write_row() makes it; @last: the
 * ffill columns' state (NULL without ffill). */
static void
preview_row (Cleaner *c, const WinnowRowBatch *batch, guint i, PreviewLast *last)
{
  const guint32 *lengths = winnow_row_batch_lengths (batch, i);
  const char *t = winnow_row_batch_texts (batch, i);
  guint n = MIN (c->plan->n_kept, WINNOW_PREVIEW_COLUMNS);
  char **preview = g_new0 (char *, n + 1);

  for (guint k = 0; k < n; k++)
    {
      const char *text = t;
      gsize length = WINNOW_FIELD_LENGTH (lengths[k]);

      t += length;
      if (last != NULL && is_ffill (c, k))
        {
          gint64 limit = c->plan->fills[k].limit;

          if (!(lengths[k] & WINNOW_FIELD_MISSING))
            last[k] = (PreviewLast) { text, length, TRUE, 0 };
          else
            {
              last[k].run++;
              if (last[k].has_value && (limit == 0 || last[k].run <= (guint64) limit))
                {
                  text = last[k].text;
                  length = last[k].length;
                }
              else
                length = 0;
            }
        }
      else if (field_kind (c, k, !(lengths[k] & WINNOW_FIELD_MISSING), &text, &length) == FIELD_HOLE)
        {
          guint64 at = (guint64) c->result->preview->len << 32 | k;
          g_array_append_val (c->preview_holes, at);
          length = 0;
        }
      preview[k] = g_strndup (text, length);
    }
  g_ptr_array_add (c->result->preview, preview);
}

/* The statistics of the deferred fills: each column's in row order. */
static void
add_stats (Pipeline *p, Job *job)
{
  Cleaner *c = p->c;
  const WinnowRowBatch *batch = job->batch;
  guint n = c->plan->n_kept;

  if (!c->defer_fills)
    return;
  if (p->numbers_only)
    {
      /* the formatter parsed every number a statistic takes: a column at a
       * time, its rows in order, and no text walked */
      for (guint j = 0; j < p->n_number_columns; j++)
        {
          WinnowFillStats *stats = c->stats[p->number_columns[j]];

          for (gsize r = 0, at = j; r < job->n_rows; r++, at += p->n_number_columns)
            winnow_fill_stats_add_number (stats, job->is_number[at], job->numbers[at]);
        }
      return;
    }
  for (guint r = 0; r < job->n_rows; r++)
    {
      guint i = job->rows[r];
      const guint32 *lengths = winnow_row_batch_lengths (batch, i);
      const char *t = winnow_row_batch_texts (batch, i);

      for (guint k = 0; k < n; k++)
        {
          gsize length = WINNOW_FIELD_LENGTH (lengths[k]);

          if (p->number_index[k] >= 0)
            {
              gsize at = (gsize) r * p->n_number_columns + (guint) p->number_index[k];
              winnow_fill_stats_add_number (c->stats[k], job->is_number[at], job->numbers[at]);
            }
          else if (c->stats[k] != NULL)
            winnow_fill_stats_add (c->stats[k], t, length, lengths[k] & WINNOW_FIELD_MISSING);
          t += length;
        }
    }
}

/* The holes of ffill column @k that begin a batch (@lead of them): the
 * first ones, as many as its limit allows after the run the batches
 * before ended with, get the last value they had: value number
 * *@value_number. Counted and profiled; returns how many. */
static guint64
ffill_lead (Cleaner *c, guint k, guint64 lead, guint32 *value_number)
{
  LastValue *last = &c->last[k];
  gint64 limit = c->plan->fills[k].limit;
  guint64 given = 0;

  if (last->has_value)
    given = limit == 0 ? lead
          : last->run < (guint64) limit ? MIN (lead, (guint64) limit - last->run) : 0;
  if (given > 0)
    {
      WinnowHoleValue value = { GSIZE_TO_POINTER (c->ffill_pool->len), last->length };

      g_string_append_len (c->ffill_pool, last->text, (gssize) last->length);
      *value_number = c->plan->n_kept + c->ffill_values->len;
      g_array_append_val (c->ffill_values, value);
      winnow_cleaner_profile (c, k, last->text, last->length, given);
      c->filled[k] += given;
    }
  if (lead > given)
    winnow_cleaner_profile (c, k, NULL, 0, lead - given);
  return given;
}

/* A formatted batch, in its place in the file. */
static void
finish_job (Pipeline *p, Job *job)
{
  Cleaner *c = p->c;
  guint n = c->plan->n_kept;
  guint64 base = c->writer->bytes_written + c->writer->length;
  guint64 *rows_in_preview = &c->rows_written;
  g_autofree guint64 *given = NULL;
  g_autofree guint32 *value_number = NULL;
  g_autofree PreviewLast *last = NULL;

  if (p->ffill && *rows_in_preview < WINNOW_PREVIEW_ROWS)
    {
      last = g_new0 (PreviewLast, n);
      for (guint k = 0; k < n; k++)
        if (is_ffill (c, k))
          last[k] = (PreviewLast) { c->last[k].text, c->last[k].length, c->last[k].has_value,
                                    c->last[k].run };
    }
  for (guint r = 0; r < job->n_rows && *rows_in_preview + r < WINNOW_PREVIEW_ROWS; r++)
    preview_row (c, job->batch, job->rows[r], last);
  add_stats (p, job);
  if (p->ffill)
    {
      given = g_new0 (guint64, n);
      value_number = g_new0 (guint32, n);
      for (guint k = 0; k < n; k++)
        if (job->lead[k] > 0)
          given[k] = ffill_lead (c, k, job->lead[k], &value_number[k]);
    }
  for (guint h = 0; h < job->holes->len; h++)
    {
      WinnowOutputHole hole = g_array_index (job->holes, WinnowOutputHole, h);
      guint k = hole.value;

      hole.offset += base;
      if (given != NULL && is_ffill (c, k))
        {
          /* one left empty is empty already, but for the empty line of a
           * file of one column (its hole gets "") */
          if (given[k] > 0)
            {
              given[k]--;
              hole.value = value_number[k];
            }
          else if (n > 1)
            continue;
        }
      winnow_cleaner_add_hole (c, hole);
    }
  for (guint k = 0; k < n; k++)
    {
      if (p->ffill && is_ffill (c, k))
        {
          /* the batch's last value and the run after it go on */
          if (job->last_text[k] != NULL)
            {
              winnow_cleaner_remember (&c->last[k], job->last_text[k], job->last_length[k]);
              c->last[k].run = job->trail[k];
            }
          else
            c->last[k].run += job->lead[k];
        }
      else if (c->hole_counts != NULL)
        c->hole_counts[k] += job->hole_counts[k];
      c->filled[k] += job->filled[k];
    }
  winnow_csv_writer_write_raw (c->writer, job->out->buffer, job->out->length);
  winnow_csv_writer_shrink (job->out);
  c->rows_written += job->n_rows;
  winnow_cleaner_weigh_holes (c, job->batch->bytes_consumed);
}

static void
pipeline_init (Pipeline *p, Cleaner *c)
{
  guint n = c->plan->n_kept;
  g_autoptr(GError) error = NULL;

  memset (p, 0, sizeof *p);
  p->c = c;
  p->todo = g_async_queue_new ();
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  g_queue_init (&p->in_flight);
  p->number_index = g_new (gint, n);
  p->number_columns = g_new (guint, n);
  p->numbers_only = TRUE;
  for (guint k = 0; k < n; k++)
    {
      gboolean takes = c->defer_fills && c->stats[k] != NULL &&
                       winnow_fill_stats_takes_numbers (c->stats[k]);

      p->number_index[k] = takes ? (gint) p->n_number_columns : -1;
      if (takes)
        p->number_columns[p->n_number_columns++] = k;
      else if (c->defer_fills && c->stats[k] != NULL)
        p->numbers_only = FALSE;
    }
  p->ffill = c->last != NULL;
  p->as_read = c->profiler == NULL && p->n_number_columns == 0 && !p->ffill;
  for (guint k = 0; k < n; k++)
    if (c->plan->fills[k].active)
      p->as_read = FALSE;
  p->plain_ok = !c->writer->formula_guard && c->writer->delimiter_length == 1 &&
                (gunichar) (guint8) c->writer->delimiter[0] ==
                  winnow_csv_reader_get_delimiter (c->reader);
  if (p->ffill && c->ffill_values == NULL)
    {
      c->ffill_pool = g_string_new (NULL);
      c->ffill_values = g_array_new (FALSE, FALSE, sizeof (WinnowHoleValue));
    }
  for (guint f = 0; f < N_FORMATTERS && c->profiler != NULL; f++)
    p->profilers[f] = winnow_profiler_new (n);
  for (guint j = 0; j < IN_FLIGHT; j++)
    {
      Job *job = &p->jobs[j];
      job->out = winnow_csv_writer_new_memory (c->writer);
      job->holes = g_array_new (FALSE, FALSE, sizeof (WinnowOutputHole));
      job->hole_counts = g_new0 (guint64, n);
      job->filled = g_new0 (guint64, n);
      if (p->ffill)
        {
          job->lead = g_new0 (guint64, n);
          job->last_text = g_new0 (const char *, n);
          job->last_length = g_new0 (gsize, n);
          job->trail = g_new0 (guint64, n);
        }
    }
  /* without it, the cleaning thread formats every batch itself */
  p->helper = g_thread_try_new ("winnow-format", helper_main, p, &error);
  if (p->helper == NULL)
    g_debug ("no formatting thread: %s", error->message);
}

static void
pipeline_clear (Pipeline *p)
{
  if (p->helper != NULL)
    {
      g_async_queue_push (p->todo, &stop_marker);
      g_thread_join (p->helper);
    }
  g_async_queue_unref (p->todo);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p->number_index);
  g_free (p->number_columns);
  for (guint f = 0; f < N_FORMATTERS; f++)
    g_clear_pointer (&p->profilers[f], winnow_profiler_free);
  for (guint j = 0; j < IN_FLIGHT; j++)
    {
      Job *job = &p->jobs[j];
      winnow_csv_writer_free (job->out);
      g_array_unref (job->holes);
      g_free (job->hole_counts);
      g_free (job->filled);
      g_free (job->lead);
      g_free (job->last_text);
      g_free (job->last_length);
      g_free (job->trail);
      g_free (job->rows);
      g_free (job->numbers);
      g_free (job->is_number);
    }
}

/* The oldest batch in flight: waited for, then written unless @discard. */
static void
retire_oldest (Pipeline *p, gboolean discard)
{
  Job *job = g_queue_pop_head (&p->in_flight);

  wait_job (p, job);
  if (!discard)
    finish_job (p, job);
  winnow_csv_reader_recycle (p->c->reader, job->batch);
  job->batch = NULL;
}

/* A job not in flight: the oldest one written first if need be. */
static Job *
free_job (Pipeline *p)
{
  for (;;)
    {
      for (guint j = 0; j < IN_FLIGHT; j++)
        if (p->jobs[j].batch == NULL)
          return &p->jobs[j];
      retire_oldest (p, FALSE);
    }
}

/* Cancelled, or a write failed (the output or the rejected-rows file):
 * the rest is read to no purpose, and batches still in flight are not
 * written. */
static gboolean
must_stop (const Cleaner *c)
{
  return g_cancellable_is_cancelled (c->cancellable) || c->writer->error_number != 0 ||
         c->holes_dense ||
         (c->rejects != NULL && winnow_rejects_failed (c->rejects));
}

/**
 * winnow_cleaner_write_pipelined:
 *
 * The write pass's loop over the batches when winnow_cleaner_can_pipeline()
 * says so. Returns with every batch given back to the reader; the caller
 * checks cancellation and write errors as after its own loop.
 */
void
winnow_cleaner_write_pipelined (Cleaner *c)
{
  Pipeline p;
  WinnowRowBatch *batch;
  gboolean stopped = FALSE;

  g_atomic_int_inc (&pipelined_passes);
  pipeline_init (&p, c);
  while (!stopped && (batch = winnow_csv_reader_next_batch (c->reader)) != NULL)
    {
      Job *job = free_job (&p);

      if (job->rows_capacity < batch->n_rows)
        {
          job->rows_capacity = batch->n_rows;
          job->rows = g_renew (guint, job->rows, job->rows_capacity);
        }
      job->batch = batch;
      job->n_rows = winnow_cleaner_decide_batch (c, batch, job->rows);
      job->done = FALSE;
      if (batch->replaced != NULL)
        for (guint k = 0; k < batch->n_columns; k++)
          c->replaced[k] += batch->replaced[k];
      winnow_cleaner_report (c, batch);
      g_queue_push_tail (&p.in_flight, job);
      g_async_queue_push (p.todo, job);

      stopped = must_stop (c);
    }
  while (!g_queue_is_empty (&p.in_flight))
    retire_oldest (&p, must_stop (c));
  /* every batch formatted was written, or the pass is failing (cancelled,
   * or a write failed) and its profile is not reported */
  for (guint f = 0; f < N_FORMATTERS && c->profiler != NULL; f++)
    winnow_profiler_merge (c->profiler, p.profilers[f]);
  pipeline_clear (&p);
}
