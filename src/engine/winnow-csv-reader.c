/* winnow-csv-reader.c: see winnow-csv-reader.h; the chunks and their
 * workers are described in winnow-csv-reader-private.h.
 *
 * This file opens the file, settles its encoding and delimiter, parses the
 * first row, then starts the workers and hands their batches out in file
 * order, skipping the chunks another chunk's parse took over.
 */
#include "config.h"

#include "winnow-csv-reader-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "winnow-csv-sniffer.h"

G_DEFINE_QUARK (winnow-csv-error-quark, winnow_csv_error)

#define MAX_WORKERS 4

void
chunk_error_set (ChunkError *error, WinnowCsvError code, guint64 line)
{
  error->set = TRUE;
  error->code = code;
  error->line = line;
}

void
chunk_error_clear (ChunkError *error)
{
  g_free (error->message);
  memset (error, 0, sizeof *error);
}

/* Makes the error of a chunk whose first line is file line @line_base.
 * Line numbers are cast to unsigned long long for "%llu": xgettext cannot
 * see through G_GUINT64_FORMAT inside a translatable string. */
static GError *
chunk_error_to_gerror (WinnowCsvReader *reader, const ChunkError *e, guint64 line_base)
{
  guint64 line = line_base + e->line - 1;

  if (e->code == CHUNK_CANCELLED)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, e->message);
  if (e->message != NULL)
    return g_error_new_literal (WINNOW_CSV_ERROR, e->code, e->message);

  switch (e->code)
    {
    case WINNOW_CSV_ERROR_FIELDS:
      return g_error_new (WINNOW_CSV_ERROR, e->code,
                          /* Translators: the line number, then two counts of fields */
                          ngettext ("line %llu: expected %u field, saw %u",
                                    "line %llu: expected %u fields, saw %u", e->expected),
                          (unsigned long long) line, e->expected, e->saw);
    case WINNOW_CSV_ERROR_QUOTE:
      return g_error_new (WINNOW_CSV_ERROR, e->code,
                          e->expected == QUOTE_NEVER_CLOSED
                            ? _("line %llu: a quote is opened but never closed")
                            : _("line %llu: unexpected text after a closing quote"),
                          (unsigned long long) line);
    case WINNOW_CSV_ERROR_TOO_LARGE:
      /* two whole sentences: "the %s" with "row" or "field" would not
       * translate into languages where the article follows the noun */
      if (e->expected == TOO_LARGE_ROW)
        return g_error_new (WINNOW_CSV_ERROR, e->code,
                            _("line %llu: the row is larger than %u MiB; "
                              "is this really a CSV file?"),
                            (unsigned long long) line, WINNOW_MAX_ROW_BYTES >> 20);
      return g_error_new (WINNOW_CSV_ERROR, e->code,
                          _("line %llu: the field is larger than %u MiB; "
                            "is this really a CSV file?"),
                          (unsigned long long) line, WINNOW_MAX_FIELD_BYTES >> 20);
    case WINNOW_CSV_ERROR_BINARY:
      return g_error_new (WINNOW_CSV_ERROR, e->code,
                          _("line %llu: the file contains a NUL byte; it looks "
                            "like a binary file, not CSV text"), (unsigned long long) line);
    case WINNOW_CSV_ERROR_NOT_UTF8:
      return g_error_new (WINNOW_CSV_ERROR, e->code,
                          _("line %llu: the file is not valid UTF-8 (byte 0x%02X)"),
                          (unsigned long long) line, e->byte);
    case WINNOW_CSV_ERROR_ENCODING:
    default:
      return g_error_new (WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_ENCODING,
                          /* Translators: %s is an encoding, such as Windows-1252 */
                          _("line %llu: the file is not valid %s (byte 0x%02X)"),
                          (unsigned long long) line, reader->encoding_name, e->byte);
    }
}

/* ---- opening ---- */

static gboolean
open_file (WinnowCsvReader *reader, GError **error)
{
  struct stat st;
  int flags;

  reader->fd = open (reader->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (reader->fd < 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_OPEN, "%s: %s", reader->display_name,
                   saved == ENOENT ? _("no such file") : g_strerror (saved));
      return FALSE;
    }
  if (fstat (reader->fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_NOT_FILE,
                   /* Translators: %s is a file name */
                   S_ISDIR (st.st_mode) ? _("%s is a folder, not a CSV file")
                                        : _("%s is not a regular file (a pipe or a device?)"),
                   reader->display_name);
      return FALSE;
    }
  flags = fcntl (reader->fd, F_GETFL);
  fcntl (reader->fd, F_SETFL, flags & ~O_NONBLOCK);
  posix_fadvise (reader->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  reader->size = (guint64) st.st_size;
  reader->mtime = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  return TRUE;
}

/* Chooses the decoder from the options, a byte order mark, or (for
 * "auto") whether the first 64 KiB are UTF-8. */
static gboolean
choose_encoding (WinnowCsvReader *reader, Worker *worker, const char *encoding, GError **error)
{
  const guint8 *raw = worker->raw;
  gsize len = worker->raw_len;
  gboolean utf8_bom = len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF;

  reader->auto_encoding = g_ascii_strcasecmp (encoding, "auto") == 0;
  if (!reader->auto_encoding)
    {
      worker->decoder = winnow_text_decoder_new (encoding, error);
      if (worker->decoder == NULL)
        return FALSE;
      reader->encoding_name = g_strdup (winnow_text_decoder_name (worker->decoder));
      if (winnow_text_decoder_kind (worker->decoder) == WINNOW_TEXT_UTF8)
        g_clear_pointer (&worker->decoder, winnow_text_decoder_free);
      /* A UTF-8 BOM says the file was meant as UTF-8, even when some of its
       * bytes are not: read as Windows-1252 it would become "ï»¿" in
       * front of the first column's name. An encoding the user chose
       * keeps those three characters, as pandas does. */
      if (utf8_bom && (worker->decoder == NULL || reader->options.utf8_fallback))
        worker->raw_used = 3;
      return TRUE;
    }

  if (utf8_bom)
    {
      worker->raw_used = 3;
      reader->encoding_name = g_strdup ("UTF-8 (BOM)");
    }
  else if (len >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)))
    {
      const char *name = raw[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      worker->raw_used = 2;
      worker->decoder = winnow_text_decoder_new (name, error);
      if (worker->decoder == NULL)
        return FALSE;
      reader->encoding_name = g_strdup_printf ("%s (BOM)", name);
    }
  else
    {
      gsize good;
      WinnowTextStatus status = winnow_text_check_utf8 (raw, MIN (len, WINNOW_SNIFF_BYTES), &good);
      if (status == WINNOW_TEXT_INVALID)
        {
          worker->decoder = winnow_text_decoder_new ("windows-1252", error);
          reader->encoding_name = g_strdup ("Windows-1252");
        }
      else
        reader->encoding_name = g_strdup ("UTF-8");
    }
  return TRUE;
}

static void
set_delimiter (WinnowCsvReader *reader, gunichar delimiter)
{
  reader->delimiter = delimiter;
  memset (reader->delimiter_utf8, 0, sizeof reader->delimiter_utf8);
  reader->delimiter_length = (guint) g_unichar_to_utf8 (delimiter, reader->delimiter_utf8);
  reader->parse_delimiter = delimiter < 0x80 ? (guint8) delimiter : DELIMITER_STAND_IN;
}

static gboolean
open_error (WinnowCsvReader *reader, Worker *worker, GError **error)
{
  if (!worker->open_error.set)
    return FALSE;
  g_propagate_error (error, chunk_error_to_gerror (reader, &worker->open_error, 1));
  return TRUE;
}

static void
name_columns (WinnowCsvReader *reader, Worker *worker)
{
  reader->n_columns = worker->first_row->len;
  reader->column_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < reader->n_columns; i++)
    g_ptr_array_add (reader->column_names,
                     reader->options.header ? g_strdup (g_ptr_array_index (worker->first_row, i))
                                            : g_strdup_printf ("column_%u", i + 1));
}

/**
 * winnow_csv_reader_open:
 *
 * Opens @path, settles its encoding and delimiter, and parses its first
 * row. Fails with a WINNOW_CSV_ERROR for anything but a readable regular
 * file with at least one row.
 *
 * Returns: (transfer full): the reader, not yet started
 */
WinnowCsvReader *
winnow_csv_reader_open (const char *path, const WinnowCsvReaderOptions *options,
                        GCancellable *cancellable, GError **error)
{
  g_autoptr(WinnowCsvReader) reader = g_new0 (WinnowCsvReader, 1);
  Worker *worker;

  reader->path = g_strdup (path);
  reader->display_name = g_filename_display_basename (path);
  reader->fd = -1;
  reader->options = *options;
  reader->options.encoding = NULL;  /* not ours to keep */
  reader->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  reader->bad_line_list = g_array_new (FALSE, FALSE, sizeof (WinnowBadLine));
  reader->chunk_size = options->chunk_size ? options->chunk_size : CHUNK_SIZE;
  g_mutex_init (&reader->lock);
  g_cond_init (&reader->cond);
  g_queue_init (&reader->redo);

  if (!open_file (reader, error))
    return NULL;

  reader->workers = g_new0 (Worker *, 1);
  reader->workers[0] = worker = winnow_csv_worker_new (reader, 0);
  reader->n_workers = 1;
  reader->line_end = '\n';  /* until sniffed, for the lines of early errors */
  /* The first chunk goes on from this read: it must not pass the chunk. */
  worker->read_limit = MIN (reader->size, MIN (reader->chunk_size, READ_SIZE));

  if (!winnow_csv_worker_read_first (worker) && open_error (reader, worker, error))
    return NULL;
  if (!choose_encoding (reader, worker, options->encoding ? options->encoding : "auto", error))
    return NULL;
  /* a delimiter past ASCII is replaced as the text is decoded */
  if (options->delimiter != 0)
    set_delimiter (reader, options->delimiter);
  if (worker->raw_len > worker->raw_used)
    winnow_csv_worker_decode (worker);
  if (open_error (reader, worker, error))
    return NULL;

  if (worker->text_len > 0)
    {
      /* the sniffer's candidates are ASCII: nothing was replaced */
      if (reader->delimiter == 0)
        set_delimiter (reader, (guchar) winnow_sniff_delimiter (worker->text, worker->text_len,
                                                                options->quote));
      reader->line_end = winnow_sniff_line_end (worker->text, worker->text_len);
      reader->estimated_rows =
        winnow_csv_worker_count_lines (worker, worker->text, worker->text_len) * reader->size /
          worker->text_len + 1;
    }
  if (reader->delimiter == 0)
    set_delimiter (reader, ',');
  winnow_csv_worker_init_parser (worker);
  worker->read_limit = reader->size;

  winnow_csv_worker_parse_first_row (worker);
  if (open_error (reader, worker, error))
    return NULL;
  if (worker->in_first_row)
    {
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_EMPTY,
                   /* Translators: %s is a file name */
                   reader->size == 0 ? _("%s is empty") : _("%s has no rows, only blank lines"),
                   reader->display_name);
      return NULL;
    }
  name_columns (reader, worker);
  return g_steal_pointer (&reader);
}

/**
 * winnow_csv_reader_options_fall_back:
 *
 * Changes @options to read the file again after encoding "auto" failed
 * with %WINNOW_CSV_ERROR_NOT_UTF8: as Windows-1252, dropping a UTF-8 BOM.
 */
void
winnow_csv_reader_options_fall_back (WinnowCsvReaderOptions *options)
{
  options->encoding = "windows-1252";
  options->utf8_fallback = TRUE;
}

/**
 * winnow_csv_reader_libcsv_version:
 *
 * Returns: (transfer none): the version of libcsv the reader was built
 *   with, such as "3.0.3": libcsv has no run-time version call, and only
 *   the reader includes csv.h.
 */
const char *
winnow_csv_reader_libcsv_version (void)
{
  return G_STRINGIFY (CSV_MAJOR) "." G_STRINGIFY (CSV_MINOR) "." G_STRINGIFY (CSV_RELEASE);
}

void
winnow_csv_reader_free (WinnowCsvReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->started)
    {
      winnow_csv_reader_abort (reader);
      winnow_csv_reader_finish (reader, NULL);
    }
  for (guint i = 0; i < reader->n_slots; i++)
    {
      Slot *slot = &reader->slots[i];
      g_async_queue_unref (slot->queue);
      g_array_unref (slot->bad_list);
      chunk_error_clear (&slot->error);
    }
  g_free (reader->slots);
  for (guint i = 0; i < reader->n_workers; i++)
    {
      chunk_error_clear (&reader->workers[i]->open_error);
      winnow_csv_worker_free (reader->workers[i]);
    }
  g_free (reader->workers);
  if (reader->fd >= 0)
    close (reader->fd);
  g_queue_clear (&reader->redo);
  g_mutex_clear (&reader->lock);
  g_cond_clear (&reader->cond);
  g_clear_object (&reader->cancellable);
  g_clear_error (&reader->error);
  if (reader->column_names)
    g_ptr_array_unref (reader->column_names);
  g_array_unref (reader->bad_line_list);
  g_free (reader->encoding_name);
  g_free (reader->display_name);
  g_free (reader->path);
  g_free (reader);
}

guint
winnow_csv_reader_get_n_columns (WinnowCsvReader *reader)
{
  return reader->n_columns;
}

/* The column's name: its header text, or column_N without a header. */
const char *
winnow_csv_reader_get_column (WinnowCsvReader *reader, guint column)
{
  g_return_val_if_fail (column < reader->n_columns, NULL);
  return g_ptr_array_index (reader->column_names, column);
}

gunichar
winnow_csv_reader_get_delimiter (WinnowCsvReader *reader)
{
  return reader->delimiter;
}

/* The encoding the file was read in, as the result reports it. */
const char *
winnow_csv_reader_get_encoding (WinnowCsvReader *reader)
{
  return reader->encoding_name;
}

guint64
winnow_csv_reader_get_size (WinnowCsvReader *reader)
{
  return reader->size;
}

gint64
winnow_csv_reader_get_mtime (WinnowCsvReader *reader)
{
  return reader->mtime;
}

/* A guess at the number of rows, from the lines in the first block. */
guint64
winnow_csv_reader_estimate_rows (WinnowCsvReader *reader)
{
  return reader->estimated_rows;
}

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
        return reader->size;  /* the worker's own read reports the error */
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

/* A worker asks to stop its absorbed chunk. Refused for the chunk being
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

/* How far ahead of the chunk being handed out workers may claim: enough
 * to keep them all busy, few enough to bound memory. */
static guint
max_ahead (WinnowCsvReader *reader)
{
  return 2 * reader->n_workers;
}

/* Under the lock: the next chunk this worker should parse, or NULL when
 * the reader is done. */
static Slot *
claim (WinnowCsvReader *reader)
{
  for (;;)
    {
      Slot *slot;

      if (g_atomic_int_get (&reader->abort) || reader->done)
        return NULL;
      if (!g_queue_is_empty (&reader->redo))
        {
          slot = &reader->slots[GPOINTER_TO_UINT (g_queue_pop_head (&reader->redo))];
          slot->state = SLOT_RUNNING;
          return slot;
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
          return slot;
        }
      g_cond_wait (&reader->cond, &reader->lock);
    }
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  WinnowCsvReader *reader = worker->reader;

  if (worker->id == 0)
    winnow_csv_worker_run_slot (worker, &reader->slots[0], FALSE);

  for (;;)
    {
      Slot *slot;

      g_mutex_lock (&reader->lock);
      slot = claim (reader);
      g_mutex_unlock (&reader->lock);
      if (slot == NULL)
        break;
      slot->start = winnow_csv_reader_boundary (reader, slot->index);
      winnow_csv_worker_run_slot (worker, slot, TRUE);
    }
  return NULL;
}

/* Parallel only for UTF-8 (a line end byte is a line end) and files worth
 * it; the first chunk must not already be read past. */
static guint
choose_workers (WinnowCsvReader *reader)
{
  Worker *first = reader->workers[0];
  guint n = reader->options.n_workers ? reader->options.n_workers
                                      : (guint) CLAMP (g_get_num_processors (), 1, MAX_WORKERS);

  if (first->decoder != NULL || reader->size < 3 * reader->chunk_size ||
      first->read_pos > reader->chunk_size)
    return 1;
  return n;
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
  guint n_workers;

  g_return_if_fail (!reader->started);

  reader->column_map = column_map;
  reader->n_kept = n_kept;
  reader->na = na;
  reader->trim = trim;
  reader->started = TRUE;
  reader->line_base = 1;

  n_workers = choose_workers (reader);
  reader->n_slots = n_workers > 1
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

  reader->workers = g_renew (Worker *, reader->workers, n_workers);
  for (guint i = 1; i < n_workers; i++)
    reader->workers[i] = winnow_csv_worker_new (reader, i);
  reader->n_workers = n_workers;
  for (guint i = 0; i < n_workers; i++)
    {
      Worker *worker = reader->workers[i];
      for (guint b = 0; b < BATCHES_PER_WORKER; b++)
        {
          WinnowRowBatch *batch = winnow_row_batch_new (n_kept);
          if (reader->keep_raw)
            winnow_row_batch_keep_raw (batch, reader->n_columns);
          if (reader->replace != NULL)
            winnow_row_batch_count_replaced (batch);
          g_ptr_array_add (worker->batches, batch);
          g_async_queue_push (worker->pool, batch);
        }
    }
  for (guint i = 0; i < n_workers; i++)
    {
      g_autoptr(GError) error = NULL;

      reader->workers[i]->thread = g_thread_try_new ("winnow-reader", worker_thread,
                                                     reader->workers[i], &error);
      if (reader->workers[i]->thread != NULL)
        continue;
      if (i > 0)
        {
          /* The others claim its chunks: the file is read, more slowly. */
          g_debug ("%s: %u reader threads instead of %u: %s", reader->display_name, i,
                   n_workers, error->message);
          break;
        }
      /* No thread at all (a process at its thread limit): the task fails
       * with a message instead of the process aborting. */
      reader->error = g_error_new (WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_OPEN,
                                   /* Translators: a file name, then the system's reason */
                                   _("could not start a thread to read %s: %s"),
                                   reader->display_name, error->message);
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
 * from being parsed to its end, it is parsed again. */
static void
move_to (WinnowCsvReader *reader, guint index)
{
  Slot *slot;
  gboolean again;

  g_mutex_lock (&reader->lock);
  reader->current = index;
  if (index >= reader->n_slots)
    {
      reader->done = TRUE;
      g_cond_broadcast (&reader->cond);
      g_mutex_unlock (&reader->lock);
      return;
    }
  slot = &reader->slots[index];
  slot->pinned = TRUE;
  again = slot->state == SLOT_SKIPPED || slot->state == SLOT_ABANDONED;
  g_mutex_unlock (&reader->lock);

  if (again)
    {
      drain (reader, slot);
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
}

static void
check_unchanged (WinnowCsvReader *reader)
{
  struct stat st;

  if (fstat (reader->fd, &st) != 0 || (guint64) st.st_size != reader->size ||
      (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000 != reader->mtime)
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
      reader->error = chunk_error_to_gerror (reader, &slot->error, reader->line_base);
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
  move_to (reader, next);

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

/* Stops the workers early (the caller failed or was cancelled) and takes
 * back every batch. */
void
winnow_csv_reader_abort (WinnowCsvReader *reader)
{
  if (!reader->started || reader->finished)
    return;
  g_atomic_int_set (&reader->abort, 1);
  g_mutex_lock (&reader->lock);
  reader->done = TRUE;
  g_cond_broadcast (&reader->cond);
  g_mutex_unlock (&reader->lock);
  for (guint k = reader->current; k < reader->n_slots; k++)
    drain (reader, &reader->slots[k]);
  reader->finished = TRUE;
}

/**
 * winnow_csv_reader_finish:
 *
 * Waits for the workers after the last batch.
 *
 * Returns: %TRUE when the whole file was read without error
 */
gboolean
winnow_csv_reader_finish (WinnowCsvReader *reader, GError **error)
{
  if (reader->started && !reader->finished)
    winnow_csv_reader_abort (reader);
  for (guint i = 0; i < reader->n_workers; i++)
    if (reader->workers[i]->thread != NULL)
      {
        g_thread_join (reader->workers[i]->thread);
        reader->workers[i]->thread = NULL;
      }
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
