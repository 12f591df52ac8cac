/* winnow-csv-parse-state.c: a parse thread's state: made and freed, its
 * libcsv parser set up the way pandas reads (see the top of
 * winnow-csv-parse-thread.c), its chunk's first error recorded, and the
 * lines of its text counted. winnow-csv-parse-thread.c parses. */
#include "config.h"

#include <string.h>

#include "winnow-csv-reader-private.h"

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

ParseThread *
winnow_csv_parse_thread_new (WinnowCsvReader *reader, guint id)
{
  ParseThread *thread = g_new0 (ParseThread, 1);

  thread->reader = reader;
  thread->id = id;
  thread->raw = g_malloc (READ_SIZE);
  thread->decoded = g_byte_array_new ();
  thread->line = 1;
  thread->read_limit = reader->size;
  thread->first_row = g_ptr_array_new_with_free_func (g_free);
  thread->blanks = g_byte_array_new ();
  thread->field = g_byte_array_new ();
  thread->line_fields = g_array_new (FALSE, FALSE, sizeof (LineField));
  thread->row_replaced = g_array_new (FALSE, FALSE, sizeof (guint));
  thread->pool = g_async_queue_new ();
  thread->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) winnow_row_batch_free);
  return thread;
}

void
winnow_csv_parse_thread_free (ParseThread *thread)
{
  if (thread == NULL)
    return;
  if (thread->parser_ready)
    csv_free (&thread->parser);
  chunk_error_clear (&thread->open_error);
  g_clear_pointer (&thread->decoder, winnow_text_decoder_free);
  g_byte_array_unref (thread->decoded);
  g_ptr_array_unref (thread->first_row);
  g_byte_array_unref (thread->blanks);
  g_byte_array_unref (thread->field);
  g_array_unref (thread->line_fields);
  g_array_unref (thread->row_replaced);
  g_async_queue_unref (thread->pool);
  g_ptr_array_unref (thread->batches);
  g_free (thread->raw);
  g_free (thread);
}

void
winnow_csv_parse_thread_init_parser (ParseThread *thread)
{
  WinnowCsvReader *reader = thread->reader;

  if (thread->parser_ready)
    csv_free (&thread->parser);
  csv_init (&thread->parser, PARSER_OPTIONS);
  csv_set_delim (&thread->parser, reader->parse_delimiter);
  csv_set_quote (&thread->parser, (unsigned char) reader->options.quote);
  csv_set_space_func (&thread->parser, never_space);
  csv_set_realloc_func (&thread->parser, capped_realloc);
  csv_set_blk_size (&thread->parser, 64 * 1024);
  thread->parser_ready = TRUE;
}

static ChunkError *
error_place (ParseThread *thread)
{
  return thread->slot ? &thread->slot->error : &thread->open_error;
}

/* Records the chunk's first failure and stops its parse. */
ChunkError *
winnow_csv_parse_thread_fail (ParseThread *thread, WinnowCsvError code, guint64 line)
{
  ChunkError *error = error_place (thread);

  thread->stop = TRUE;
  if (error->set)
    return NULL;
  chunk_error_set (error, code, line);
  return error;
}

void
winnow_csv_parse_thread_fail_message (ParseThread *thread, WinnowCsvError code, const char *message)
{
  ChunkError *error = winnow_csv_parse_thread_fail (thread, code, 0);
  if (error != NULL)
    error->message = g_strdup (message);
}

guint64
winnow_csv_parse_thread_count_lines (const ParseThread *thread, const char *text, gsize length)
{
  guint64 n = 0;
  const char *end = text + length;
  char line_end = thread->reader->line_end;

  for (const char *p = text; p < end && (p = memchr (p, line_end, (gsize) (end - p))); p++)
    n++;
  return n;
}
