/* winnow-csv-reader-chunks.c: the reader's chunks (winnow-csv-reader-private.h):
 * how the file is cut, which chunk a parse thread takes next, and the
 * batches handed out in file order, skipping the chunks another chunk's
 * parse took over; then the end: errors in file order, the counts.
 */
#include "config.h"

#include "winnow-csv-reader-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PARSE_THREADS 4

/* ---- chunks ---- */

/**
 * winnow_csv_reader_boundary:
 *
 * Returns: where chunk @index starts: just after the first line end at or
 *   past index × the chunk size; the file size past the last chunk
 */
guint64
winnow_csv_reader_boundary (WinnowCsvReader *reader, guint index)
{
  guint64 pos;
  char window[4096];

  if (index >= reader->n_slots)
    return reader->size;
  pos = (guint64) index * reader->chunk_size;
  while (pos < reader->size)
    {
      gssize n = pread (reader->fd, window, sizeof window, (off_t) pos);
      char *hit;

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return reader->size;  /* the thread's own read reports the error */
      hit = memchr (window, reader->line_end, (gsize) n);
      if (hit != NULL)
        return pos + (guint64) (hit - window) + 1;
      pos += (guint64) n;
    }
  return reader->size;
}

/* Marks chunk @index as covered by an earlier chunk's parse. */
void
winnow_csv_reader_absorb (WinnowCsvReader *reader, guint index)
{
  if (index < reader->n_slots)
    g_atomic_int_set (&reader->slots[index].absorbed, 1);
}

/* A thread asks to stop its absorbed chunk. Refused for the chunk being
 * handed out: whoever absorbed it was parsing from a wrong guess. */
gboolean
winnow_csv_reader_abandon (WinnowCsvReader *reader, Slot *slot)
{
  gboolean abandoned;

  g_mutex_lock (&reader->lock);
  abandoned = !slot->pinned;
  if (abandoned)
    slot->state = SLOT_ABANDONED;
  g_mutex_unlock (&reader->lock);
  return abandoned;
}

void
winnow_csv_reader_slot_done (WinnowCsvReader *reader, Slot *slot)
{
  g_mutex_lock (&reader->lock);
  if (slot->state == SLOT_RUNNING)
    slot->state = SLOT_DONE;
  g_mutex_unlock (&reader->lock);
}

/* How far ahead of the chunk being handed out parse threads may claim: enough
 * to keep them all busy, few enough to bound memory. */
static guint
max_ahead (WinnowCsvReader *reader)
{
  return 2 * reader->n_threads;
}

/* Under the lock: extras waiting for a place must look at the reader
 * again when it is done. */
static void
update_wake_extras (WinnowCsvReader *reader)
{
  gboolean wake = reader->done || g_atomic_int_get (&reader->abort);

  g_atomic_int_set (&reader->wake_extras, wake);
  if (wake)
    winnow_thread_budget_wake (reader->budget);
}

/* Gives the thread's place in the budget back, if it holds one: an
 * extra's, or the base thread's (which takes it again before it parses:
 * claim(), take_batch()). */
void
winnow_csv_reader_step_back (WinnowCsvReader *reader, ParseThread *thread)
{
  if (thread->holds_extra)
    {
      winnow_thread_budget_release_extra (reader->budget);
      thread->holds_extra = FALSE;
    }
  if (thread->holds_base)
    {
      winnow_thread_budget_release_base (reader->budget);
      thread->holds_base = FALSE;
    }
}

/* A thread's free batches: enough that one is always free while the
 * caller holds its own (hold_batches()). */
static void
add_batches (WinnowCsvReader *reader, GAsyncQueue *pool, GPtrArray *owner)
{
  guint n = reader->options.batches_per_thread ? reader->options.batches_per_thread
                                               : BATCHES_PER_THREAD;

  for (guint b = 0; b < n + reader->held_batches; b++)
    {
      WinnowRowBatch *batch = winnow_row_batch_new (reader->n_kept);
      if (reader->keep_raw)
        winnow_row_batch_keep_raw (batch, reader->n_columns);
      if (reader->replace != NULL)
        winnow_row_batch_count_replaced (batch);
      g_ptr_array_add (owner, batch);
      g_async_queue_push (pool, batch);
    }
}

/* Under the lock: the next chunk this thread should parse, or NULL when
 * the reader is done. An extra thread gives its place in the budget back
 * while it waits for a chunk, and takes one again before it claims. */
static Slot *
claim (WinnowCsvReader *reader, ParseThread *thread)
{
  for (;;)
    {
      Slot *slot;

      if (g_atomic_int_get (&reader->abort) || reader->done)
        return NULL;
      if (thread->id == 0 && !thread->holds_base)
        {
          g_mutex_unlock (&reader->lock);
          winnow_thread_budget_take_base (reader->budget);
          g_mutex_lock (&reader->lock);
          thread->holds_base = TRUE;
          continue;  /* the reader may have moved on meanwhile */
        }
      if (thread->id > 0 && !thread->holds_extra)
        {
          gboolean taken;

          g_mutex_unlock (&reader->lock);
          taken = winnow_thread_budget_take_extra (reader->budget, &reader->wake_extras);
          g_mutex_lock (&reader->lock);
          if (!taken)
            continue;  /* done: the loop ends */
          thread->holds_extra = TRUE;
          continue;  /* the reader may have moved on meanwhile */
        }
      if (reader->next_slot < reader->n_slots &&
          reader->next_slot < reader->current + max_ahead (reader))
        {
          slot = &reader->slots[reader->next_slot++];
          if (slot->state != SLOT_UNCLAIMED)
            continue;
          if (g_atomic_int_get (&slot->absorbed) && !slot->pinned)
            {
              slot->state = SLOT_SKIPPED;
              continue;
            }
          slot->state = SLOT_RUNNING;
          if (thread->id > 0 && !reader->extra_claimed)
            {
              reader->extra_claimed = TRUE;
              g_cond_broadcast (&reader->cond);
            }
          return slot;
        }
      /* lock order: the reader's, then the budget's. Waiting, a thread
       * needs no place: the base thread gives its own back too, or an
       * extra of its task, with the chunk the reader hands out next,
       * could find no room (take_batch()) */
      winnow_csv_reader_step_back (reader, thread);
      g_cond_wait (&reader->cond, &reader->lock);
    }
}

/* The redo thread: it parses every chunk that must be parsed again (a
 * wrong guess had covered it; move_to()), and nothing else. That chunk is
 * the one being handed out, and no parse thread may be free to take it:
 * each may be waiting for a free batch, its batches all queued in chunks
 * after it (docs/ARCHITECTURE.md, "Reader"). So this thread has batches
 * of its own, made at its first chunk, and takes a place in the budget
 * without waiting for room. */
static gpointer
redo_thread_main (gpointer data)
{
  ParseThread *thread = data;
  WinnowCsvReader *reader = thread->reader;

  for (;;)
    {
      Slot *slot;

      g_mutex_lock (&reader->lock);
      while (!reader->done && !g_atomic_int_get (&reader->abort) &&
             g_queue_is_empty (&reader->redo))
        g_cond_wait (&reader->cond, &reader->lock);
      if (reader->done || g_atomic_int_get (&reader->abort))
        {
          g_mutex_unlock (&reader->lock);
          break;
        }
      slot = &reader->slots[GPOINTER_TO_UINT (g_queue_pop_head (&reader->redo))];
      slot->state = SLOT_RUNNING;
      g_mutex_unlock (&reader->lock);

      if (thread->batches->len == 0)
        add_batches (reader, thread->pool, thread->batches);
      winnow_thread_budget_force_extra (reader->budget);
      thread->holds_extra = TRUE;
      slot->start = winnow_csv_reader_boundary (reader, slot->index);
      winnow_csv_parse_thread_run_slot (thread, slot, TRUE);
      winnow_csv_reader_step_back (reader, thread);
    }
  return NULL;
}

static gpointer
parse_thread_main (gpointer data)
{
  ParseThread *thread = data;
  WinnowCsvReader *reader = thread->reader;

  if (thread->id == 0)
    {
      if (reader->options.extra_first && reader->n_threads > 1)
        {
          g_mutex_lock (&reader->lock);
          while (!reader->extra_claimed && !reader->done && !g_atomic_int_get (&reader->abort))
            g_cond_wait (&reader->cond, &reader->lock);
          g_mutex_unlock (&reader->lock);
        }
      winnow_thread_budget_take_base (reader->budget);
      thread->holds_base = TRUE;
      winnow_csv_parse_thread_run_slot (thread, &reader->slots[0], FALSE);
    }

  for (;;)
    {
      Slot *slot;

      g_mutex_lock (&reader->lock);
      slot = claim (reader, thread);
      g_mutex_unlock (&reader->lock);
      if (slot == NULL)
        break;
      slot->start = winnow_csv_reader_boundary (reader, slot->index);
      winnow_csv_parse_thread_run_slot (thread, slot, TRUE);
      /* another task's base thread may need the place now */
      if (thread->id > 0 && winnow_thread_budget_should_yield (reader->budget))
        winnow_csv_reader_step_back (reader, thread);
    }
  winnow_csv_reader_step_back (reader, thread);
  return NULL;
}

/* A parse thread after the first, with a decoder of its own for a
 * single-byte encoding (the first one made its own, so its name is
 * known; iconv may still fail to open another, out of memory). NULL with
 * @error set then. */
static ParseThread *
new_parse_thread (WinnowCsvReader *reader, guint id, GError **error)
{
  ParseThread *thread = winnow_csv_parse_thread_new (reader, id);

  if (reader->threads[0]->decoder != NULL)
    {
      thread->decoder = winnow_text_decoder_new (
        winnow_text_decoder_name (reader->threads[0]->decoder), error);
      if (thread->decoder == NULL)
        {
          winnow_csv_parse_thread_free (thread);
          return NULL;
        }
    }
  return thread;
}

/* The reader fails: a thread it needs could not start (@error). */
static void
set_thread_error (WinnowCsvReader *reader, const GError *error)
{
  reader->error = g_error_new (WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_OPEN,
                               /* Translators: a file name, then the system's reason */
                               _("could not start a thread to read %s: %s"),
                               reader->display_name, error->message);
}

/* At the first chunk to parse again: most files have none, and a thread
 * made for every file cost address space (/hostile/wide-file). FALSE,
 * with the reader's error set, when no thread could be started (a
 * process at its thread limit). */
static gboolean
start_redo_thread (WinnowCsvReader *reader)
{
  g_autoptr(GError) error = NULL;
  ParseThread *thread;

  if (reader->redo_thread != NULL)
    return TRUE;
  thread = new_parse_thread (reader, MAX_PARSE_THREADS, &error);
  if (thread == NULL)
    {
      set_thread_error (reader, error);
      return FALSE;
    }
  thread->redoing = TRUE;
  thread->gthread = g_thread_try_new ("winnow-redo", redo_thread_main, thread, &error);
  if (thread->gthread == NULL)
    {
      winnow_csv_parse_thread_free (thread);
      set_thread_error (reader, error);
      return FALSE;
    }
  reader->redo_thread = thread;
  return TRUE;
}

/* Parallel only where a line end byte is a line end (UTF-8 and the
 * single-byte encodings: chunks are cut between bytes, each decoded on
 * its own) and for files worth it; the first chunk must not already be
 * read past. */
static guint
choose_parse_threads (WinnowCsvReader *reader)
{
  ParseThread *first = reader->threads[0];
  guint n = reader->options.n_threads ? reader->options.n_threads
                                      : (guint) CLAMP (g_get_num_processors (), 1, MAX_PARSE_THREADS);

  if (reader->size < 3 * reader->chunk_size || first->read_pos > reader->chunk_size)
    return 1;
  if (first->decoder != NULL && !winnow_text_decoder_is_single_byte (first->decoder))
    return 1;
  return n;
}

/**
 * winnow_csv_reader_hold_batches:
 * @n: how many batches the caller may hold besides the one it is given
 *
 * Before winnow_csv_reader_start(): the caller keeps up to @n batches from
 * winnow_csv_reader_next_batch() before it gives them back (the write
 * pass's pipeline). Each parse thread gets @n batches more, so that those
 * held never leave the thread that parses the next one without a batch to
 * parse it into.
 */
void
winnow_csv_reader_hold_batches (WinnowCsvReader *reader, guint n)
{
  g_return_if_fail (!reader->started);
  reader->held_batches = n;
}

/**
 * winnow_csv_reader_keep_raw:
 *
 * Before start(): every batch also keeps its rows as they were read, and
 * the bad lines the reader skips (bad_lines "skip" or "warn"), for a
 * rejected-rows file (see winnow-row-batch.h). A batch may then hold bad
 * lines and no row.
 */
void
winnow_csv_reader_keep_raw (WinnowCsvReader *reader)
{
  g_return_if_fail (!reader->started);
  reader->keep_raw = TRUE;
}

/**
 * winnow_csv_reader_set_prepare:
 * @func: (nullable): called on the parse threads, with each batch that
 *   holds rows, before it is handed out; @data must outlive the reader
 *
 * Per-row work that needs no order runs on the parse threads, beside the
 * parsing, instead of on the thread that takes the batches.
 */
void
winnow_csv_reader_set_prepare (WinnowCsvReader *reader, WinnowBatchPrepareFunc func,
                               gpointer data)
{
  g_return_if_fail (!reader->started);
  reader->prepare = func;
  reader->prepare_data = data;
}

/**
 * winnow_csv_reader_set_replace:
 * @replace: per kept column, what its fields become, or NULL; must outlive
 *   the reader
 *
 * Fields are replaced after trimming and the NA tokens (a missing field
 * is never replaced), and each batch counts them (WinnowRowBatch.replaced).
 */
void
winnow_csv_reader_set_replace (WinnowCsvReader *reader, WinnowFieldReplace * const *replace)
{
  g_return_if_fail (!reader->started);
  reader->replace = replace;
}

/**
 * winnow_csv_reader_start:
 * @column_map: for each input column, its index among the kept columns, or
 *   -1 to drop it; must outlive the reader
 * @na: the NA tokens; must outlive the reader
 * @trim: strip spaces and tabs around every field first
 *
 * Starts parsing the data rows on the reader's own threads.
 */
void
winnow_csv_reader_start (WinnowCsvReader *reader, const gint *column_map, guint n_kept,
                         const WinnowTextSet *na, gboolean trim)
{
  guint n_threads;

  g_return_if_fail (!reader->started);

  reader->column_map = column_map;
  reader->n_kept = n_kept;
  reader->na = na;
  reader->trim = trim;
  reader->started = TRUE;
  reader->line_base = 1;

  n_threads = choose_parse_threads (reader);
  reader->n_slots = n_threads > 1
    ? (guint) ((reader->size + reader->chunk_size - 1) / reader->chunk_size) : 1;
  reader->slots = g_new0 (Slot, reader->n_slots);
  for (guint i = 0; i < reader->n_slots; i++)
    {
      reader->slots[i].index = i;
      reader->slots[i].queue = g_async_queue_new ();
      reader->slots[i].bad_list = g_array_new (FALSE, FALSE, sizeof (WinnowBadLine));
    }
  reader->slots[0].state = SLOT_RUNNING;
  reader->slots[0].pinned = TRUE;
  reader->next_slot = 1;

  reader->threads = g_renew (ParseThread *, reader->threads, n_threads);
  for (guint i = 1; i < n_threads; i++)
    {
      g_autoptr(GError) error = NULL;

      reader->threads[i] = new_parse_thread (reader, i, &error);
      if (reader->threads[i] == NULL)
        {
          /* as a thread that does not start: the others read its chunks */
          g_debug ("%s: %u reader threads instead of %u: %s", reader->display_name, i,
                   n_threads, error->message);
          n_threads = i;
          break;
        }
    }
  reader->n_threads = n_threads;
  for (guint i = 0; i < n_threads; i++)
    add_batches (reader, reader->threads[i]->pool, reader->threads[i]->batches);
  for (guint i = 0; i < n_threads; i++)
    {
      g_autoptr(GError) error = NULL;

      reader->threads[i]->gthread = g_thread_try_new ("winnow-reader", parse_thread_main,
                                                     reader->threads[i], &error);
      if (reader->threads[i]->gthread != NULL)
        continue;
      if (i > 0)
        {
          /* The others claim its chunks: the file is read, more slowly. */
          g_debug ("%s: %u reader threads instead of %u: %s", reader->display_name, i,
                   n_threads, error->message);
          break;
        }
      /* No thread at all (a process at its thread limit): the task fails
       * with a message instead of the process aborting. */
      set_thread_error (reader, error);
      reader->finished = TRUE;
      break;
    }
}

/* Throws away what a chunk's queue holds, up to its end marker. */
static void
drain (WinnowCsvReader *reader, Slot *slot)
{
  WinnowRowBatch *batch;
  gboolean queued;

  g_mutex_lock (&reader->lock);
  if (slot->state == SLOT_UNCLAIMED)
    slot->state = SLOT_SKIPPED;
  queued = slot->state == SLOT_RUNNING || slot->state == SLOT_DONE ||
           slot->state == SLOT_ABANDONED;
  g_mutex_unlock (&reader->lock);
  if (!queued)
    return;
  while ((batch = g_async_queue_pop (slot->queue)) != winnow_csv_end_marker ())
    g_async_queue_push (batch->home, batch);
  g_mutex_lock (&reader->lock);
  slot->state = SLOT_DRAINED;
  g_mutex_unlock (&reader->lock);
}

/* The chunk @index becomes the one handed out. If a wrong guess kept it
 * from being parsed to its end, it is parsed again, by the redo thread.
 * FALSE when that thread could not start (the reader has failed). */
static gboolean
move_to (WinnowCsvReader *reader, guint index)
{
  Slot *slot;
  gboolean again;

  g_mutex_lock (&reader->lock);
  reader->current = index;
  if (index >= reader->n_slots)
    {
      reader->done = TRUE;
      update_wake_extras (reader);
      g_cond_broadcast (&reader->cond);
      g_mutex_unlock (&reader->lock);
      return TRUE;
    }
  slot = &reader->slots[index];
  slot->pinned = TRUE;
  again = slot->state == SLOT_SKIPPED || slot->state == SLOT_ABANDONED;
  g_mutex_unlock (&reader->lock);

  if (again)
    {
      drain (reader, slot);
      if (!start_redo_thread (reader))
        {
          winnow_csv_reader_abort (reader);
          return FALSE;
        }
      chunk_error_clear (&slot->error);
      g_array_set_size (slot->bad_list, 0);
      slot->rows = slot->bad_lines = slot->lines = 0;
      g_atomic_int_set (&slot->absorbed, 0);
      g_mutex_lock (&reader->lock);
      slot->state = SLOT_UNCLAIMED;
      g_queue_push_tail (&reader->redo, GUINT_TO_POINTER (index));
      g_mutex_unlock (&reader->lock);
    }
  g_mutex_lock (&reader->lock);
  g_cond_broadcast (&reader->cond);
  g_mutex_unlock (&reader->lock);
  return TRUE;
}

/* Whether the file open in @reader is no longer the one it measured at
 * open: another size or another modification time. */
gboolean
winnow_csv_reader_changed (WinnowCsvReader *reader)
{
  struct stat st;

  return reader->fd >= 0 &&
         (fstat (reader->fd, &st) != 0 || (guint64) st.st_size != reader->size ||
          (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000 != reader->mtime);
}

static void
check_unchanged (WinnowCsvReader *reader)
{
  if (winnow_csv_reader_changed (reader))
    reader->error = g_error_new (WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_CHANGED,
                                 /* Translators: %s is a file name */
                                 _("%s changed while it was being read; nothing was written"),
                                 reader->display_name);
}

/* A chunk's parse ended: take its counts, move past what it covered. */
static gboolean
end_of_slot (WinnowCsvReader *reader, Slot *slot)
{
  guint next = slot->absorbed_through + 1;

  g_mutex_lock (&reader->lock);
  slot->state = SLOT_DRAINED;
  g_mutex_unlock (&reader->lock);
  if (slot->error.set)
    {
      reader->error = winnow_csv_chunk_error_to_gerror (reader, &slot->error, reader->line_base);
      winnow_csv_reader_abort (reader);
      return FALSE;
    }
  reader->rows += slot->rows;
  reader->bad_lines += slot->bad_lines;
  for (guint i = 0; i < slot->bad_list->len && reader->bad_line_list->len < MAX_BAD_LINES_LISTED; i++)
    {
      WinnowBadLine bad = g_array_index (slot->bad_list, WinnowBadLine, i);
      bad.line += reader->line_base - 1;
      g_array_append_val (reader->bad_line_list, bad);
    }
  reader->line_base += slot->lines;

  for (guint k = slot->index + 1; k < next && k < reader->n_slots; k++)
    drain (reader, &reader->slots[k]);
  if (!move_to (reader, next))
    return FALSE;

  if (next >= reader->n_slots)
    {
      reader->finished = TRUE;
      check_unchanged (reader);
      return FALSE;
    }
  return TRUE;
}

/**
 * winnow_csv_reader_next_batch:
 *
 * Blocks until the next batch, in file order, is parsed.
 *
 * Returns: (transfer none) (nullable): the batch, to give back with
 *   winnow_csv_reader_recycle(); %NULL after the last one (then call
 *   winnow_csv_reader_finish() for the outcome)
 */
WinnowRowBatch *
winnow_csv_reader_next_batch (WinnowCsvReader *reader)
{
  while (!reader->finished)
    {
      Slot *slot = &reader->slots[reader->current];
      WinnowRowBatch *batch = g_async_queue_pop (slot->queue);

      if (batch == winnow_csv_end_marker ())
        {
          if (!end_of_slot (reader, slot))
            return NULL;
          continue;
        }
      batch->first_row = reader->rows_handed;
      reader->rows_handed += batch->n_rows;
      if (reader->line_base != 1)
        {
          for (guint i = 0; i < batch->n_rows; i++)
            batch->lines[i] += reader->line_base - 1;
          for (guint i = 0; i < batch->n_bad; i++)
            batch->bad_lines[i] += reader->line_base - 1;
        }
      return batch;
    }
  return NULL;
}

void
winnow_csv_reader_recycle (WinnowCsvReader *reader, WinnowRowBatch *batch)
{
  g_async_queue_push (batch->home, batch);
}

/* Stops the parse threads early (the caller failed or was cancelled) and takes
 * back every batch. */
void
winnow_csv_reader_abort (WinnowCsvReader *reader)
{
  if (!reader->started || reader->finished)
    return;
  g_atomic_int_set (&reader->abort, 1);
  g_mutex_lock (&reader->lock);
  reader->done = TRUE;
  update_wake_extras (reader);
  g_cond_broadcast (&reader->cond);
  g_mutex_unlock (&reader->lock);
  for (guint k = reader->current; k < reader->n_slots; k++)
    drain (reader, &reader->slots[k]);
  reader->finished = TRUE;
}

/* Waits for @thread (may be NULL, or not started) to end. */
static void
join (ParseThread *thread)
{
  if (thread != NULL && thread->gthread != NULL)
    g_clear_pointer (&thread->gthread, g_thread_join);
}

/**
 * winnow_csv_reader_finish:
 *
 * Waits for the parse threads after the last batch.
 *
 * Returns: %TRUE when the whole file was read without error
 */
gboolean
winnow_csv_reader_finish (WinnowCsvReader *reader, GError **error)
{
  if (reader->started && !reader->finished)
    winnow_csv_reader_abort (reader);
  for (guint i = 0; i < reader->n_threads; i++)
    join (reader->threads[i]);
  join (reader->redo_thread);
  if (reader->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (reader->error);
      return FALSE;
    }
  return TRUE;
}

/* Data rows parsed, bad lines included (valid after finish). */
guint64
winnow_csv_reader_get_rows (WinnowCsvReader *reader)
{
  return reader->rows;
}

guint64
winnow_csv_reader_get_bad_lines (WinnowCsvReader *reader)
{
  return reader->bad_lines;
}

/* The first 100 bad lines, for bad_lines "warn" (a GArray of WinnowBadLine). */
const GArray *
winnow_csv_reader_get_bad_line_list (WinnowCsvReader *reader)
{
  return reader->bad_line_list;
}
