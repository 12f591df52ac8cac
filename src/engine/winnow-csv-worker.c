/* winnow-csv-worker.c: one parsing worker of the reader: reads a range of
 * the file, checks or converts its encoding, and feeds it to libcsv into
 * row batches. See winnow-csv-reader-private.h for how chunks fit.
 *
 * libcsv is fed one physical line at a time (a memchr per line), which
 * keeps an exact line number for every row and error at a cost of a few
 * nanoseconds per line. Its defaults differ from pandas in two places,
 * both fixed here: it trims spaces around unquoted fields (we give it a
 * space test that says "never"), and in strict mode it refuses a quote
 * inside an unquoted field, which pandas keeps as a literal character (we
 * feed that one byte again with strict mode off). Strict mode stays on for
 * what is really malformed: text after a closing quote, and a quote that
 * is never closed.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "winnow-csv-reader-private.h"

#define PARSER_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

static WinnowRowBatch end_of_chunk;

WinnowRowBatch *
winnow_csv_end_marker (void)
{
  return &end_of_chunk;
}

static int
never_space (unsigned char c)
{
  return 0;
}

static void *
capped_realloc (void *ptr, size_t size)
{
  if (size > WINNOW_MAX_FIELD_BYTES)
    return NULL;
  return realloc (ptr, size);
}

Worker *
winnow_csv_worker_new (WinnowCsvReader *reader, guint id)
{
  Worker *worker = g_new0 (Worker, 1);

  worker->reader = reader;
  worker->id = id;
  worker->raw = g_malloc (READ_SIZE);
  worker->decoded = g_byte_array_new ();
  worker->line = 1;
  worker->read_limit = reader->size;
  worker->first_row = g_ptr_array_new_with_free_func (g_free);
  worker->blanks = g_byte_array_new ();
  worker->field = g_byte_array_new ();
  worker->row_replaced = g_array_new (FALSE, FALSE, sizeof (guint));
  worker->pool = g_async_queue_new ();
  worker->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) winnow_row_batch_free);
  return worker;
}

void
winnow_csv_worker_free (Worker *worker)
{
  if (worker == NULL)
    return;
  if (worker->parser_ready)
    csv_free (&worker->parser);
  g_clear_pointer (&worker->decoder, winnow_text_decoder_free);
  g_byte_array_unref (worker->decoded);
  g_ptr_array_unref (worker->first_row);
  g_byte_array_unref (worker->blanks);
  g_byte_array_unref (worker->field);
  g_array_unref (worker->row_replaced);
  g_async_queue_unref (worker->pool);
  g_ptr_array_unref (worker->batches);
  g_free (worker->raw);
  g_free (worker);
}

void
winnow_csv_worker_init_parser (Worker *worker)
{
  WinnowCsvReader *reader = worker->reader;

  if (worker->parser_ready)
    csv_free (&worker->parser);
  csv_init (&worker->parser, PARSER_OPTIONS);
  csv_set_delim (&worker->parser, reader->parse_delimiter);
  csv_set_quote (&worker->parser, (unsigned char) reader->options.quote);
  csv_set_space_func (&worker->parser, never_space);
  csv_set_realloc_func (&worker->parser, capped_realloc);
  csv_set_blk_size (&worker->parser, 64 * 1024);
  worker->parser_ready = TRUE;
}

static ChunkError *
error_place (Worker *worker)
{
  return worker->slot ? &worker->slot->error : &worker->open_error;
}

/* Records the chunk's first failure and stops its parse. */
static ChunkError *
fail (Worker *worker, WinnowCsvError code, guint64 line)
{
  ChunkError *error = error_place (worker);

  worker->stop = TRUE;
  if (error->set)
    return NULL;
  chunk_error_set (error, code, line);
  return error;
}

static void
fail_message (Worker *worker, WinnowCsvError code, const char *message)
{
  ChunkError *error = fail (worker, code, 0);
  if (error != NULL)
    error->message = g_strdup (message);
}

guint64
winnow_csv_worker_count_lines (const Worker *worker, const char *text, gsize length)
{
  guint64 n = 0;
  const char *end = text + length;
  char line_end = worker->reader->line_end;

  for (const char *p = text; p < end && (p = memchr (p, line_end, (gsize) (end - p))); p++)
    n++;
  return n;
}

/* ---- batches ---- */

static WinnowRowBatch *
take_batch (Worker *worker)
{
  WinnowRowBatch *batch = g_async_queue_pop (worker->pool);
  winnow_row_batch_reset (batch);
  batch->home = worker->pool;
  return batch;
}

static void
push_batch (Worker *worker)
{
  worker->batch->bytes_consumed = worker->read_pos;
  g_async_queue_push (worker->slot->queue, worker->batch);
  worker->batch = take_batch (worker);
}

/* ---- libcsv callbacks ---- */

/* A field that held the delimiter inside quotes, with the delimiter's
 * bytes back in place of DELIMITER_STAND_IN. */
static void
restore_delimiters (Worker *worker, const char **text, gsize *length)
{
  WinnowCsvReader *reader = worker->reader;
  const char *p = *text, *end = *text + *length;
  GByteArray *field = worker->field;

  g_byte_array_set_size (field, 0);
  for (const char *hit; (hit = memchr (p, DELIMITER_STAND_IN, (gsize) (end - p))); p = hit + 1)
    {
      g_byte_array_append (field, (const guint8 *) p, (guint) (hit - p));
      g_byte_array_append (field, (const guint8 *) reader->delimiter_utf8, reader->delimiter_length);
    }
  g_byte_array_append (field, (const guint8 *) p, (guint) (end - p));
  *text = (const char *) field->data;
  *length = field->len;
}

static void
on_field (void *data, size_t length, void *user_data)
{
  Worker *worker = user_data;
  WinnowCsvReader *reader = worker->reader;
  WinnowRowBatch *batch = worker->batch;
  const char *text = data;
  guint column;
  gint kept;

  if (G_UNLIKELY (worker->stop))
    return;
  worker->fields_done++;
  if (G_UNLIKELY (reader->delimiter_length > 1) && memchr (text, DELIMITER_STAND_IN, length))
    restore_delimiters (worker, &text, &length);
  if (G_UNLIKELY (worker->in_first_row))
    {
      g_ptr_array_add (worker->first_row, g_strndup (text, length));
      return;
    }

  column = worker->field_index++;
  if (column == 0)
    {
      winnow_row_batch_begin_row (batch);
      if (G_UNLIKELY (reader->keep_raw))
        winnow_row_batch_begin_raw (batch);
      if (G_UNLIKELY (worker->row_replaced->len > 0))
        g_array_set_size (worker->row_replaced, 0);
    }
  if (G_UNLIKELY (column >= reader->n_columns))
    return;
  if (G_UNLIKELY (reader->keep_raw))
    {
      if (batch->raw_length + length - batch->raw_current > WINNOW_MAX_ROW_BYTES)
        {
          ChunkError *error = fail (worker, WINNOW_CSV_ERROR_TOO_LARGE, worker->row_start_line);
          if (error)
            error->expected = TOO_LARGE_ROW;
          return;
        }
      winnow_row_batch_set_raw_field (batch, column, text, length);
    }
  kept = reader->column_map[column];
  if (kept < 0)
    return;

  if (reader->trim)
    {
      while (length > 0 && (text[0] == ' ' || text[0] == '\t'))
        text++, length--;
      while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t'))
        length--;
    }
  if (winnow_text_set_contains (reader->na, text, length))
    return;  /* the record already says MISSING */
  if (G_UNLIKELY (reader->replace != NULL) && reader->replace[kept] != NULL)
    {
      const WinnowFieldReplace *replace = reader->replace[kept];
      gint i = winnow_text_set_find (replace->from, text, length);

      if (i >= 0)
        {
          guint k = (guint) kept;
          batch->replaced[k]++;
          g_array_append_val (worker->row_replaced, k);
          if (replace->to[i] == NULL)
            return;  /* made missing */
          text = replace->to[i];
          length = replace->to_length[i];
        }
    }

  if (G_UNLIKELY (batch->length + length > batch->capacity) &&
      batch->length + length - batch->starts[batch->n_rows] > WINNOW_MAX_ROW_BYTES)
    {
      ChunkError *error = fail (worker, WINNOW_CSV_ERROR_TOO_LARGE, worker->row_start_line);
      if (error)
        error->expected = TOO_LARGE_ROW;
      return;
    }
  winnow_row_batch_set_field (batch, (guint) kept, text, length);
}

static void
on_row (int c, void *user_data)
{
  Worker *worker = user_data;
  WinnowCsvReader *reader = worker->reader;
  Slot *slot = worker->slot;
  guint n_fields;

  if (G_UNLIKELY (worker->stop))
    return;
  if (G_UNLIKELY (worker->in_first_row))
    {
      worker->in_first_row = FALSE;
      worker->first_row_line = worker->row_start_line;
      worker->stop = TRUE;  /* open() stops here; the first chunk goes on */
      return;
    }

  n_fields = worker->field_index;
  worker->field_index = 0;
  slot->rows++;

  if (G_UNLIKELY (n_fields > reader->n_columns))
    {
      ChunkError *error;

      winnow_row_batch_abort_row (worker->batch);
      for (guint i = 0; i < worker->row_replaced->len; i++)
        worker->batch->replaced[g_array_index (worker->row_replaced, guint, i)]--;
      switch (reader->options.bad_lines)
        {
        case WINNOW_BAD_LINES_ERROR:
          error = fail (worker, WINNOW_CSV_ERROR_FIELDS, worker->row_start_line);
          if (error)
            {
              error->expected = reader->n_columns;
              error->saw = n_fields;
            }
          return;
        case WINNOW_BAD_LINES_WARN:
          if (slot->bad_list->len < MAX_BAD_LINES_LISTED)
            {
              WinnowBadLine bad = { worker->row_start_line, n_fields };
              g_array_append_val (slot->bad_list, bad);
            }
          G_GNUC_FALLTHROUGH;
        case WINNOW_BAD_LINES_SKIP:
        default:
          slot->bad_lines++;
          if (G_UNLIKELY (reader->keep_raw))
            {
              winnow_row_batch_add_bad (worker->batch, worker->row_start_line, n_fields);
              if (winnow_row_batch_is_full (worker->batch))
                push_batch (worker);
            }
          return;
        }
    }

  winnow_row_batch_end_row (worker->batch, worker->row_start_line);
  if (winnow_row_batch_is_full (worker->batch))
    push_batch (worker);
}

/* ---- feeding the parser ---- */

static void
parse_segment (Worker *worker, const char *p, gsize n)
{
  while (n > 0 && !worker->stop)
    {
      gsize done = csv_parse (&worker->parser, p, n, on_field, on_row, worker);
      ChunkError *error;
      int status;

      /* libcsv grows a long field by a fixed block; growing the block with
       * the field makes that geometric. */
      if (G_UNLIKELY (worker->parser.entry_size > worker->parser.blk_size))
        csv_set_blk_size (&worker->parser, worker->parser.entry_size);
      if (done == n)
        return;
      status = csv_error (&worker->parser);
      worker->parser.status = CSV_SUCCESS;
      if (status == CSV_EPARSE && worker->parser.pstate == STATE_FIELD_BEGUN &&
          !worker->parser.quoted)
        {
          /* A quote inside an unquoted field: a literal character. */
          csv_set_opts (&worker->parser, PARSER_OPTIONS & ~CSV_STRICT);
          csv_parse (&worker->parser, p + done, 1, on_field, on_row, worker);
          csv_set_opts (&worker->parser, PARSER_OPTIONS);
          p += done + 1;
          n -= done + 1;
          continue;
        }
      if (status == CSV_ENOMEM || status == CSV_ETOOBIG)
        {
          error = fail (worker, WINNOW_CSV_ERROR_TOO_LARGE, worker->row_start_line);
          if (error)
            error->expected = TOO_LARGE_FIELD;
        }
      else
        {
          error = fail (worker, WINNOW_CSV_ERROR_QUOTE, worker->line);
          if (error)
            error->expected = QUOTE_AFTER_CLOSE;
        }
      return;
    }
}

static gboolean
in_quoted_field (const Worker *worker)
{
  return worker->parser.pstate == STATE_FIELD_BEGUN && worker->parser.quoted;
}

static void
check_stop (Worker *worker)
{
  WinnowCsvReader *reader = worker->reader;

  if (g_atomic_int_get (&reader->abort) ||
      (worker->slot && g_atomic_int_get (&worker->slot->absorbed) &&
       winnow_csv_reader_abandon (reader, worker->slot)))
    {
      /* nobody will read what this chunk would say */
      worker->stop = TRUE;
      return;
    }
  if (reader->cancellable && g_cancellable_is_cancelled (reader->cancellable))
    fail_message (worker, CHUNK_CANCELLED, "Cancelled");
}

static inline gboolean
is_blank (char c, char delimiter)
{
  return (c == ' ' || c == '\t') && c != delimiter;
}

/* A line of nothing but spaces and tabs, outside quotes, is a blank line,
 * as in pandas (its tokenizer's WHITESPACE_LINE state), and is skipped; a
 * tab that is the delimiter is not blank ("\t\t" in a TSV file is a row
 * of empty fields). libcsv skips empty lines itself but would read the
 * spaces as a field. So at the start of a row, the spaces and tabs of
 * segment @p are held back until the line shows what it is: at its line
 * end they are dropped, before any other character they are fed to the
 * parser after all. Blanks that reach the end of a segment wait in
 * worker->blanks for the next one; at the end of the file they were a
 * blank last line.
 *
 * Returns: how many bytes at the start of @p are not to be parsed */
static gsize
skip_blank_line (Worker *worker, const char *p, gsize n)
{
  char delimiter = (char) worker->reader->parse_delimiter;
  gsize k = 0;

  if (worker->blanks->len == 0 && (n == 0 || !is_blank (p[0], delimiter)))
    return 0;
  while (k < n && is_blank (p[k], delimiter))
    k++;
  if (k == n && worker->blanks->len + n <= WINNOW_MAX_FIELD_BYTES)
    {
      g_byte_array_append (worker->blanks, (const guint8 *) p, (guint) n);
      return n;
    }
  if (k < n && (p[k] == '\n' || p[k] == '\r'))
    {
      g_byte_array_set_size (worker->blanks, 0);
      return k;
    }
  /* text follows: the blanks were data */
  if (worker->blanks->len > 0)
    {
      parse_segment (worker, (const char *) worker->blanks->data, worker->blanks->len);
      g_byte_array_set_size (worker->blanks, 0);
    }
  return 0;
}

/* Feeds the current text line by line until it is used up or the parse
 * stops (an error, a cancel, or the end of the first row in open()). */
static void
feed_text (Worker *worker)
{
  char line_end = worker->reader->line_end;

  while (worker->text_pos < worker->text_len && !worker->stop)
    {
      const char *p = worker->text + worker->text_pos;
      gsize avail = MIN (worker->text_len - worker->text_pos, CHECK_EVERY);
      const char *nl = memchr (p, line_end, avail);
      gsize seg = nl ? (gsize) (nl - p) + 1 : avail;
      guint64 fields_before = worker->fields_done;
      gboolean was_quoted = in_quoted_field (worker);
      gsize skip;

      /* The first row must end its segment, so that open() can stop right
       * after it even when a lone CR ends it in an LF file. */
      if (G_UNLIKELY (worker->in_first_row))
        {
          const char *cr = memchr (p, '\r', seg);
          if (cr != NULL && cr != nl)
            {
              seg = (gsize) (cr - p) + 1;
              nl = NULL;
            }
        }

      skip = 0;
      if (worker->parser.pstate == STATE_ROW_NOT_BEGUN)
        {
          worker->row_start_line = worker->line;
          skip = skip_blank_line (worker, p, seg);
        }
      parse_segment (worker, p + skip, seg - skip);
      if (in_quoted_field (worker) && (!was_quoted || worker->fields_done != fields_before))
        worker->quote_line = worker->line;
      if (nl)
        worker->line++;
      worker->text_pos += seg;
      worker->since_check += seg;
      if (worker->since_check >= CHECK_EVERY)
        {
          worker->since_check = 0;
          check_stop (worker);
        }
    }
}

/* Replaces each delimiter of the text by DELIMITER_STAND_IN, in place
 * (the text only shrinks): see winnow-csv-reader-private.h. */
static void
stand_in_delimiters (Worker *worker)
{
  WinnowCsvReader *reader = worker->reader;
  const char *d = reader->delimiter_utf8;
  gsize n = reader->delimiter_length;
  char *end = worker->text + worker->text_len;
  char *p = memmem (worker->text, worker->text_len, d, n);
  char *out = p;

  while (p != NULL)
    {
      char *next;

      *out++ = (char) DELIMITER_STAND_IN;
      p += n;
      next = memmem (p, (gsize) (end - p), d, n);
      memmove (out, p, (gsize) ((next ? next : end) - p));
      out += (next ? next : end) - p;
      p = next;
    }
  if (out != NULL)
    worker->text_len = (gsize) (out - worker->text);
}

/* Turns raw[raw_used..raw_len) into text; an incomplete character at the
 * end stays in raw for the next read. */
void
winnow_csv_worker_decode (Worker *worker)
{
  const guint8 *in = worker->raw + worker->raw_used;
  gsize length = worker->raw_len - worker->raw_used;
  WinnowTextStatus status;
  gsize good;
  ChunkError *error;

  if (worker->decoder == NULL)
    {
      status = winnow_text_check_utf8 (in, length, &good);
      worker->text = (char *) worker->raw + worker->raw_used;
      worker->text_len = good;
    }
  else
    {
      g_byte_array_set_size (worker->decoded, 0);
      status = winnow_text_decoder_convert (worker->decoder, in, length, worker->decoded, &good);
      worker->text = (char *) worker->decoded->data;
      worker->text_len = worker->decoded->len;
    }
  worker->text_pos = 0;
  worker->raw_used += good;
  if (worker->reader->delimiter_length > 1)
    stand_in_delimiters (worker);

  if (status == WINNOW_TEXT_INCOMPLETE && worker->eof)
    status = WINNOW_TEXT_INVALID;
  if (status == WINNOW_TEXT_OK || status == WINNOW_TEXT_INCOMPLETE)
    return;

  /* The bad byte is after the text that is still to be parsed. */
  error = fail (worker,
                status == WINNOW_TEXT_NUL ? WINNOW_CSV_ERROR_BINARY
                : worker->reader->auto_encoding && worker->decoder == NULL ? WINNOW_CSV_ERROR_NOT_UTF8
                : WINNOW_CSV_ERROR_ENCODING,
                worker->line + winnow_csv_worker_count_lines (worker, worker->text, worker->text_len));
  if (error)
    error->byte = in[good];
}

/* Reads the next block, up to the read limit. Returns FALSE when there is
 * nothing more to read there. */
static gboolean
read_more (Worker *worker)
{
  WinnowCsvReader *reader = worker->reader;
  gsize keep = worker->raw_len - worker->raw_used;

  if (worker->read_pos >= worker->read_limit || worker->stop)
    return FALSE;
  memmove (worker->raw, worker->raw + worker->raw_used, keep);
  worker->raw_len = keep;
  worker->raw_used = 0;

  while (worker->raw_len < READ_SIZE && worker->read_pos < worker->read_limit)
    {
      gsize want = (gsize) MIN (READ_SIZE - worker->raw_len, worker->read_limit - worker->read_pos);
      gssize n = pread (reader->fd, worker->raw + worker->raw_len, want, (off_t) worker->read_pos);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          /* Translators: a file name, then the system's reason */
          g_autofree char *message = g_strdup_printf (_("%s: could not read: %s"),
                                                      reader->display_name, g_strerror (saved));
          fail_message (worker, WINNOW_CSV_ERROR_OPEN, message);
          return FALSE;
        }
      if (n == 0)
        {
          g_autofree char *message = g_strdup_printf (
            _("%s changed while it was being read; nothing was written"), reader->display_name);
          fail_message (worker, WINNOW_CSV_ERROR_CHANGED, message);
          return FALSE;
        }
      worker->raw_len += (gsize) n;
      worker->read_pos += (guint64) n;
    }
  worker->eof = worker->read_pos >= reader->size;
  return TRUE;
}

/* Reads the first block of the file, for sniffing. */
gboolean
winnow_csv_worker_read_first (Worker *worker)
{
  read_more (worker);
  return !worker->stop;
}

/* Ends the file: the last row, and a quote still open. */
static void
finish_file (Worker *worker)
{
  g_byte_array_set_size (worker->blanks, 0);  /* a blank last line */
  if (worker->parser.pstate == STATE_ROW_NOT_BEGUN)
    worker->row_start_line = worker->line;
  if (csv_fini (&worker->parser, on_field, on_row, worker) != 0)
    {
      ChunkError *error = fail (worker, WINNOW_CSV_ERROR_QUOTE, worker->quote_line);
      if (error)
        error->expected = QUOTE_NEVER_CLOSED;
    }
}

/* open(): parses until the first row is complete, or the file ends. */
void
winnow_csv_worker_parse_first_row (Worker *worker)
{
  worker->in_first_row = TRUE;
  for (;;)
    {
      feed_text (worker);
      if (worker->stop)
        break;
      if (!read_more (worker))
        {
          if (!worker->stop)
            finish_file (worker);
          break;
        }
      winnow_csv_worker_decode (worker);
      if (worker->stop)
        break;
    }
  if (!worker->in_first_row && worker->slot == NULL)
    worker->stop = FALSE;  /* stopped by the end of the first row */
}

static void
replay_first_row (Worker *worker)
{
  guint64 line = worker->row_start_line;

  worker->row_start_line = worker->first_row_line;
  for (guint i = 0; i < worker->first_row->len; i++)
    {
      const char *field = g_ptr_array_index (worker->first_row, i);
      on_field ((void *) field, strlen (field), worker);
    }
  on_row ('\n', worker);
  worker->row_start_line = line;
}

/**
 * winnow_csv_worker_run_slot:
 * @fresh: start at slot->start with a new parser; FALSE for the first
 *   chunk, which goes on from where open() stopped
 *
 * Parses the slot's chunk, and the chunks after it while it ends inside a
 * row; then pushes the last batch and the end marker to the slot's queue.
 */
void
winnow_csv_worker_run_slot (Worker *worker, Slot *slot, gboolean fresh)
{
  WinnowCsvReader *reader = worker->reader;
  guint last = slot->index;

  worker->slot = slot;
  worker->stop = FALSE;
  if (fresh)
    {
      winnow_csv_worker_init_parser (worker);
      worker->line = 1;
      worker->row_start_line = 1;
      worker->quote_line = 1;
      worker->field_index = 0;
      g_byte_array_set_size (worker->blanks, 0);
      worker->read_pos = slot->start;
      worker->raw_len = worker->raw_used = 0;
      worker->text_len = worker->text_pos = 0;
    }
  worker->read_limit = winnow_csv_reader_boundary (reader, last + 1);
  worker->batch = take_batch (worker);
  if (!fresh && !reader->options.header)
    replay_first_row (worker);

  for (;;)
    {
      feed_text (worker);
      if (worker->stop)
        break;
      if (read_more (worker))
        {
          winnow_csv_worker_decode (worker);
          continue;
        }
      if (worker->stop)
        break;
      if (worker->read_limit >= reader->size)
        {
          finish_file (worker);
          break;
        }
      if (worker->parser.pstate == STATE_ROW_NOT_BEGUN)
        break;
      /* Inside a row at the end of the chunk: its rest is ours. */
      last++;
      winnow_csv_reader_absorb (reader, last);
      worker->read_limit = winnow_csv_reader_boundary (reader, last + 1);
    }

  slot->end = worker->read_pos;
  slot->absorbed_through = last;
  slot->lines = worker->line - 1;
  if (!slot->error.set && (worker->batch->n_rows > 0 || worker->batch->n_bad > 0))
    {
      worker->batch->bytes_consumed = worker->read_pos;
      g_async_queue_push (slot->queue, worker->batch);
    }
  else
    g_async_queue_push (worker->pool, worker->batch);
  worker->batch = NULL;
  winnow_csv_reader_slot_done (reader, slot);
  g_async_queue_push (slot->queue, &end_of_chunk);
  worker->slot = NULL;
}
