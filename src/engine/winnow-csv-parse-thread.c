/* winnow-csv-parse-thread.c: one parsing thread of the reader: reads a range of
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
 *
 * Most lines hold no quote at all, and most of the others only quoted
 * fields that close on the same line. Such a line is split without
 * libcsv (winnow-csv-parse-lines.c), giving the same fields; libcsv
 * parses every other line, from the header on.
 */
#include "config.h"

#include <string.h>

#include "winnow-csv-reader-private.h"

static WinnowRowBatch end_of_chunk;

WinnowRowBatch *
winnow_csv_end_marker (void)
{
  return &end_of_chunk;
}

/* ---- batches ---- */

/* A free batch, waited for if none is. Its batches all wait in chunks
 * before this one, to be taken in file order: the thread gives its place
 * in the budget back while it waits, or the thread that must parse the
 * chunk they wait for (this task's base thread, or another task's) might
 * find no room, and nothing would move again. Back at work, an extra
 * takes a place again without waiting for room if the reader asks it to
 * (its chunk is half parsed and must be finished), and the redo thread
 * always does (its chunk is the one being handed out). */
static WinnowRowBatch *
take_batch (ParseThread *thread)
{
  WinnowThreadBudget *budget = thread->reader->budget;
  WinnowRowBatch *batch = g_async_queue_try_pop (thread->pool);

  if (batch == NULL)
    {
      gboolean base = thread->holds_base, extra = thread->holds_extra;

      winnow_csv_reader_step_back (thread->reader, thread);
      batch = g_async_queue_pop (thread->pool);
      if (base)
        winnow_thread_budget_take_base (budget);
      if (extra && (thread->redoing ||
                    !winnow_thread_budget_take_extra (budget, &thread->reader->wake_extras)))
        winnow_thread_budget_force_extra (budget);
      thread->holds_base = base;
      thread->holds_extra = extra;
    }
  winnow_row_batch_reset (batch);
  batch->home = thread->pool;
  return batch;
}

/* The batch goes to its chunk's queue, prepared first. */
static void
winnow_csv_parse_thread_hand_over (ParseThread *thread, Slot *slot, WinnowRowBatch *batch)
{
  WinnowCsvReader *reader = thread->reader;

  if (reader->prepare != NULL && batch->n_rows > 0)
    reader->prepare (batch, reader->prepare_data);
  g_async_queue_push (slot->queue, batch);
}

static void
push_batch (ParseThread *thread)
{
  thread->batch->bytes_consumed = thread->read_pos;
  winnow_csv_parse_thread_hand_over (thread, thread->slot, thread->batch);
  thread->batch = take_batch (thread);
}

/* ---- libcsv callbacks ---- */

/* A field that held the delimiter inside quotes, with the delimiter's
 * bytes back in place of DELIMITER_STAND_IN. */
static void
restore_delimiters (ParseThread *thread, const char **text, gsize *length)
{
  WinnowCsvReader *reader = thread->reader;
  const char *p = *text, *end = *text + *length;
  GByteArray *field = thread->field;

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

/* What the batch keeps of column @column of the row begun: nothing for a
 * column dropped or a missing value, else the field's text (trimmed,
 * replaced). */
void
winnow_csv_parse_thread_store_field (ParseThread *thread, guint column, const char *text,
                                     gsize length)
{
  WinnowCsvReader *reader = thread->reader;
  WinnowRowBatch *batch = thread->batch;
  gint kept = reader->column_map[column];

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
          g_array_append_val (thread->row_replaced, k);
          if (replace->to[i] == NULL)
            return;  /* made missing */
          text = replace->to[i];
          length = replace->to_length[i];
        }
    }

  if (G_UNLIKELY (batch->length + length > batch->capacity) &&
      batch->length + length - batch->starts[batch->n_rows] > WINNOW_MAX_ROW_BYTES)
    {
      ChunkError *error = winnow_csv_parse_thread_fail (thread, WINNOW_CSV_ERROR_TOO_LARGE, thread->row_start_line);
      if (error)
        error->expected = TOO_LARGE_ROW;
      return;
    }
  winnow_row_batch_set_field (batch, (guint) kept, text, length);
}

void
winnow_csv_parse_thread_on_field (void *data, size_t length, void *user_data)
{
  ParseThread *thread = user_data;
  WinnowCsvReader *reader = thread->reader;
  WinnowRowBatch *batch = thread->batch;
  const char *text = data;
  guint column;

  if (G_UNLIKELY (thread->stop))
    return;
  thread->fields_done++;
  if (G_UNLIKELY (reader->delimiter_length > 1) && memchr (text, DELIMITER_STAND_IN, length))
    restore_delimiters (thread, &text, &length);
  if (G_UNLIKELY (thread->in_first_row))
    {
      g_ptr_array_add (thread->first_row, g_strndup (text, length));
      return;
    }

  column = thread->field_index++;
  if (column == 0)
    {
      winnow_row_batch_begin_row (batch);
      if (G_UNLIKELY (reader->keep_raw))
        winnow_row_batch_begin_raw (batch);
      if (G_UNLIKELY (thread->row_replaced->len > 0))
        g_array_set_size (thread->row_replaced, 0);
    }
  if (G_UNLIKELY (column >= reader->n_columns))
    return;
  if (G_UNLIKELY (reader->keep_raw))
    {
      if (batch->raw_length + length - batch->raw_current > WINNOW_MAX_ROW_BYTES)
        {
          ChunkError *error = winnow_csv_parse_thread_fail (thread, WINNOW_CSV_ERROR_TOO_LARGE, thread->row_start_line);
          if (error)
            error->expected = TOO_LARGE_ROW;
          return;
        }
      winnow_row_batch_set_raw_field (batch, column, text, length);
    }
  winnow_csv_parse_thread_store_field (thread, column, text, length);
}

void
winnow_csv_parse_thread_on_row (int c, void *user_data)
{
  ParseThread *thread = user_data;
  WinnowCsvReader *reader = thread->reader;
  Slot *slot = thread->slot;
  gboolean plain = thread->row_plain;
  guint n_fields;

  thread->row_plain = FALSE;
  if (G_UNLIKELY (thread->stop))
    return;
  if (G_UNLIKELY (thread->in_first_row))
    {
      thread->in_first_row = FALSE;
      thread->first_row_line = thread->row_start_line;
      thread->stop = TRUE;  /* open() stops here; the first chunk goes on */
      return;
    }

  n_fields = thread->field_index;
  thread->field_index = 0;
  slot->rows++;

  if (G_UNLIKELY (n_fields > reader->n_columns))
    {
      ChunkError *error;

      winnow_row_batch_abort_row (thread->batch);
      for (guint i = 0; i < thread->row_replaced->len; i++)
        thread->batch->replaced[g_array_index (thread->row_replaced, guint, i)]--;
      switch (reader->options.bad_lines)
        {
        case WINNOW_BAD_LINES_ERROR:
          error = winnow_csv_parse_thread_fail (thread, WINNOW_CSV_ERROR_FIELDS, thread->row_start_line);
          if (error)
            {
              error->expected = reader->n_columns;
              error->saw = n_fields;
            }
          return;
        case WINNOW_BAD_LINES_WARN:
          if (slot->bad_list->len < MAX_BAD_LINES_LISTED)
            {
              WinnowBadLine bad = { thread->row_start_line, n_fields };
              g_array_append_val (slot->bad_list, bad);
            }
          G_GNUC_FALLTHROUGH;
        case WINNOW_BAD_LINES_SKIP:
        default:
          slot->bad_lines++;
          if (G_UNLIKELY (reader->keep_raw))
            {
              winnow_row_batch_add_bad (thread->batch, thread->row_start_line, n_fields);
              if (winnow_row_batch_is_full (thread->batch))
                push_batch (thread);
            }
          return;
        }
    }

  if (plain)
    winnow_row_batch_set_plain (thread->batch, thread->batch->n_rows);
  winnow_row_batch_end_row (thread->batch, thread->row_start_line);
  if (winnow_row_batch_is_full (thread->batch))
    push_batch (thread);
}

/* ---- feeding the parser ---- */

static void
parse_segment (ParseThread *thread, const char *p, gsize n)
{
  while (n > 0 && !thread->stop)
    {
      gsize done = csv_parse (&thread->parser, p, n, winnow_csv_parse_thread_on_field,
                              winnow_csv_parse_thread_on_row, thread);
      ChunkError *error;
      int status;

      /* libcsv grows a long field by a fixed block; growing the block with
       * the field makes that geometric. */
      if (G_UNLIKELY (thread->parser.entry_size > thread->parser.blk_size))
        csv_set_blk_size (&thread->parser, thread->parser.entry_size);
      if (done == n)
        return;
      status = csv_error (&thread->parser);
      thread->parser.status = CSV_SUCCESS;
      if (status == CSV_EPARSE && thread->parser.pstate == STATE_FIELD_BEGUN &&
          !thread->parser.quoted)
        {
          /* A quote inside an unquoted field: a literal character. */
          csv_set_opts (&thread->parser, PARSER_OPTIONS & ~CSV_STRICT);
          csv_parse (&thread->parser, p + done, 1, winnow_csv_parse_thread_on_field,
                     winnow_csv_parse_thread_on_row, thread);
          csv_set_opts (&thread->parser, PARSER_OPTIONS);
          p += done + 1;
          n -= done + 1;
          continue;
        }
      if (status == CSV_ENOMEM || status == CSV_ETOOBIG)
        {
          error = winnow_csv_parse_thread_fail (thread, WINNOW_CSV_ERROR_TOO_LARGE, thread->row_start_line);
          if (error)
            error->expected = TOO_LARGE_FIELD;
        }
      else
        {
          error = winnow_csv_parse_thread_fail (thread, WINNOW_CSV_ERROR_QUOTE, thread->line);
          if (error)
            error->expected = QUOTE_AFTER_CLOSE;
        }
      return;
    }
}

static gboolean
in_quoted_field (const ParseThread *thread)
{
  return thread->parser.pstate == STATE_FIELD_BEGUN && thread->parser.quoted;
}

static void
check_stop (ParseThread *thread)
{
  WinnowCsvReader *reader = thread->reader;

  if (g_atomic_int_get (&reader->abort) ||
      (thread->slot && g_atomic_int_get (&thread->slot->absorbed) &&
       winnow_csv_reader_abandon (reader, thread->slot)))
    {
      /* nobody will read what this chunk would say */
      thread->stop = TRUE;
      return;
    }
  if (reader->cancellable && g_cancellable_is_cancelled (reader->cancellable))
    winnow_csv_parse_thread_fail_message (thread, CHUNK_CANCELLED, "Cancelled");
}

/* A line of nothing but spaces and tabs, outside quotes, is a blank line,
 * as in pandas (its tokenizer's WHITESPACE_LINE state), and is skipped; a
 * tab that is the delimiter is not blank ("\t\t" in a TSV file is a row
 * of empty fields). libcsv skips empty lines itself but would read the
 * spaces as a field. So at the start of a row, the spaces and tabs of
 * segment @p are held back until the line shows what it is: at its line
 * end they are dropped, before any other character they are fed to the
 * parser after all. Blanks that reach the end of a segment wait in
 * thread->blanks for the next one; at the end of the file they were a
 * blank last line.
 *
 * Returns: how many bytes at the start of @p are not to be parsed */
static gsize
skip_blank_line (ParseThread *thread, const char *p, gsize n)
{
  char delimiter = (char) thread->reader->parse_delimiter;
  gsize k = 0;

  if (thread->blanks->len == 0 && (n == 0 || !winnow_csv_is_blank (p[0], delimiter)))
    return 0;
  while (k < n && winnow_csv_is_blank (p[k], delimiter))
    k++;
  if (k == n && thread->blanks->len + n <= WINNOW_MAX_FIELD_BYTES)
    {
      g_byte_array_append (thread->blanks, (const guint8 *) p, (guint) n);
      return n;
    }
  if (k < n && (p[k] == '\n' || p[k] == '\r'))
    {
      g_byte_array_set_size (thread->blanks, 0);
      return k;
    }
  /* text follows: the blanks were data */
  if (thread->blanks->len > 0)
    {
      parse_segment (thread, (const char *) thread->blanks->data, thread->blanks->len);
      g_byte_array_set_size (thread->blanks, 0);
    }
  return 0;
}

/* A lone CR in an LF file, or an LF in a CR file, ends a row as well
 * (docs/BEHAVIOUR.md 1.4): the segment of @seg bytes at the text's
 * position stops after it, so that a blank line after it is seen at the
 * start of its row (skip_blank_line()). It starts no new line number
 * (*@nl becomes NULL). The CR of a CRLF is no lone CR, except in the
 * first row. Returns the segment's length. */
static gsize
cut_at_other_line_end (ParseThread *thread, gsize seg, const char **nl)
{
  gsize start = thread->text_pos;
  gboolean lf_file = thread->reader->line_end == '\n';
  gsize at = lf_file ? winnow_csv_next_byte (thread, &thread->next_cr, '\r', start)
                     : winnow_csv_next_byte (thread, &thread->next_lf, '\n', start);

  /* The first row must end its segment, so that open() can stop right
   * after it: there even a CRLF's CR ends it. */
  if (at >= start + seg - 1 ||
      (lf_file && *nl != NULL && at == start + seg - 2 && !thread->in_first_row))
    return seg;
  *nl = NULL;
  return at - start + 1;
}

/* Feeds the current text line by line until it is used up or the parse
 * stops (an error, a cancel, or the end of the first row in open()). */
static void
feed_text (ParseThread *thread)
{
  char line_end = thread->reader->line_end;

  while (thread->text_pos < thread->text_len && !thread->stop)
    {
      char *p = thread->text + thread->text_pos;
      gsize avail = MIN (thread->text_len - thread->text_pos, CHECK_EVERY);
      /* cached: a text of many lone CRs is cut at each, and must not be
       * searched for its next line end again each time */
      gsize end = winnow_csv_next_byte (thread,
                                        line_end == '\n' ? &thread->next_lf : &thread->next_cr,
                                        line_end, thread->text_pos);
      const char *nl = end < thread->text_pos + avail ? thread->text + end : NULL;
      gsize seg = nl ? (gsize) (nl - p) + 1 : avail;
      guint64 fields_before = thread->fields_done;
      gboolean was_quoted = in_quoted_field (thread);
      gsize skip;

      seg = cut_at_other_line_end (thread, seg, &nl);
      skip = 0;
      if (thread->parser.pstate == STATE_ROW_NOT_BEGUN)
        {
          thread->row_start_line = thread->line;
          if (nl != NULL && line_end == '\n' && thread->blanks->len == 0 &&
              !thread->in_first_row && !thread->reader->options.libcsv_only &&
              winnow_csv_parse_thread_split_line (thread, p, seg))
            skip = seg;
          else
            skip = skip_blank_line (thread, p, seg);
        }
      parse_segment (thread, p + skip, seg - skip);
      if (in_quoted_field (thread) && (!was_quoted || thread->fields_done != fields_before))
        thread->quote_line = thread->line;
      if (nl)
        thread->line++;
      thread->text_pos += seg;
      thread->since_check += seg;
      if (thread->since_check >= CHECK_EVERY)
        {
          thread->since_check = 0;
          check_stop (thread);
        }
    }
}

/* Ends the file: the last row, and a quote still open. */
static void
finish_file (ParseThread *thread)
{
  g_byte_array_set_size (thread->blanks, 0);  /* a blank last line */
  if (thread->parser.pstate == STATE_ROW_NOT_BEGUN)
    thread->row_start_line = thread->line;
  if (csv_fini (&thread->parser, winnow_csv_parse_thread_on_field, winnow_csv_parse_thread_on_row,
                thread) != 0)
    {
      ChunkError *error = winnow_csv_parse_thread_fail (thread, WINNOW_CSV_ERROR_QUOTE, thread->quote_line);
      if (error)
        error->expected = QUOTE_NEVER_CLOSED;
    }
}

/* open(): parses until the first row is complete, or the file ends. */
void
winnow_csv_parse_thread_parse_first_row (ParseThread *thread)
{
  thread->in_first_row = TRUE;
  for (;;)
    {
      feed_text (thread);
      if (thread->stop)
        break;
      if (!winnow_csv_parse_thread_read_more (thread))
        {
          if (!thread->stop)
            finish_file (thread);
          break;
        }
      winnow_csv_parse_thread_decode (thread);
      if (thread->stop)
        break;
    }
  if (!thread->in_first_row && thread->slot == NULL)
    thread->stop = FALSE;  /* stopped by the end of the first row */
}

static void
replay_first_row (ParseThread *thread)
{
  guint64 line = thread->row_start_line;

  thread->row_start_line = thread->first_row_line;
  for (guint i = 0; i < thread->first_row->len; i++)
    {
      const char *field = g_ptr_array_index (thread->first_row, i);
      winnow_csv_parse_thread_on_field ((void *) field, strlen (field), thread);
    }
  winnow_csv_parse_thread_on_row ('\n', thread);
  thread->row_start_line = line;
}

/**
 * winnow_csv_parse_thread_run_slot:
 * @fresh: start at slot->start with a new parser; FALSE for the first
 *   chunk, which goes on from where open() stopped
 *
 * Parses the slot's chunk, and the chunks after it while it ends inside a
 * row; then pushes the last batch and the end marker to the slot's queue.
 */
void
winnow_csv_parse_thread_run_slot (ParseThread *thread, Slot *slot, gboolean fresh)
{
  WinnowCsvReader *reader = thread->reader;
  guint last = slot->index;

  thread->slot = slot;
  thread->stop = FALSE;
  if (fresh)
    {
      winnow_csv_parse_thread_init_parser (thread);
      thread->line = 1;
      thread->row_start_line = 1;
      thread->quote_line = 1;
      thread->field_index = 0;
      g_byte_array_set_size (thread->blanks, 0);
      thread->read_pos = slot->start;
      thread->raw_len = thread->raw_used = 0;
      thread->text_len = thread->text_pos = 0;
    }
  thread->read_limit = winnow_csv_reader_boundary (reader, last + 1);
  thread->batch = take_batch (thread);
  if (!fresh && !reader->options.header)
    replay_first_row (thread);

  for (;;)
    {
      feed_text (thread);
      if (thread->stop)
        break;
      if (winnow_csv_parse_thread_read_more (thread))
        {
          winnow_csv_parse_thread_decode (thread);
          continue;
        }
      if (thread->stop)
        break;
      if (thread->read_limit >= reader->size)
        {
          finish_file (thread);
          break;
        }
      if (thread->parser.pstate == STATE_ROW_NOT_BEGUN)
        break;
      /* Inside a row at the end of the chunk: its rest is ours. */
      last++;
      winnow_csv_reader_absorb (reader, last);
      thread->read_limit = winnow_csv_reader_boundary (reader, last + 1);
    }

  slot->end = thread->read_pos;
  slot->absorbed_through = last;
  slot->lines = thread->line - 1;
  if (!slot->error.set && (thread->batch->n_rows > 0 || thread->batch->n_bad > 0))
    {
      thread->batch->bytes_consumed = thread->read_pos;
      winnow_csv_parse_thread_hand_over (thread, slot, thread->batch);
    }
  else
    g_async_queue_push (thread->pool, thread->batch);
  thread->batch = NULL;
  winnow_csv_reader_slot_done (reader, slot);
  g_async_queue_push (slot->queue, &end_of_chunk);
  thread->slot = NULL;
}
