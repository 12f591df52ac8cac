/* winnow-csv-parse-input.c: what a parse thread reads, and the text it
 * makes of it: blocks of the file read up to the thread's limit, checked
 * as UTF-8 or converted by the thread's decoder, with a delimiter past
 * ASCII replaced by DELIMITER_STAND_IN (winnow-csv-reader-private.h).
 * winnow-csv-parse-thread.c parses the text. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "winnow-csv-reader-private.h"

/* Replaces each delimiter of the text by DELIMITER_STAND_IN, in place
 * (the text only shrinks): see winnow-csv-reader-private.h. */
static void
stand_in_delimiters (ParseThread *thread)
{
  WinnowCsvReader *reader = thread->reader;
  const char *d = reader->delimiter_utf8;
  gsize n = reader->delimiter_length;
  char *end = thread->text + thread->text_len;
  char *p = memmem (thread->text, thread->text_len, d, n);
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
    thread->text_len = (gsize) (out - thread->text);
}

/* Turns raw[raw_used..raw_len) into text; an incomplete character at the
 * end stays in raw for the next read. */
void
winnow_csv_parse_thread_decode (ParseThread *thread)
{
  const guint8 *in = thread->raw + thread->raw_used;
  gsize length = thread->raw_len - thread->raw_used;
  WinnowTextStatus status;
  gsize good;
  ChunkError *error;

  if (thread->decoder == NULL)
    {
      status = winnow_text_check_utf8 (in, length, &good);
      thread->text = (char *) thread->raw + thread->raw_used;
      thread->text_len = good;
    }
  else
    {
      g_byte_array_set_size (thread->decoded, 0);
      status = winnow_text_decoder_convert (thread->decoder, in, length, thread->decoded, &good);
      thread->text = (char *) thread->decoded->data;
      thread->text_len = thread->decoded->len;
    }
  thread->text_pos = 0;
  thread->next_quote = thread->next_cr = thread->next_lf = -1;
  thread->raw_used += good;
  if (thread->reader->delimiter_length > 1)
    stand_in_delimiters (thread);

  if (status == WINNOW_TEXT_INCOMPLETE && thread->eof)
    status = WINNOW_TEXT_INVALID;
  if (status == WINNOW_TEXT_OK || status == WINNOW_TEXT_INCOMPLETE)
    return;

  /* The bad byte is after the text that is still to be parsed. */
  error = winnow_csv_parse_thread_fail (thread,
                status == WINNOW_TEXT_NUL ? WINNOW_CSV_ERROR_BINARY
                : thread->reader->auto_encoding && thread->decoder == NULL ? WINNOW_CSV_ERROR_NOT_UTF8
                : WINNOW_CSV_ERROR_ENCODING,
                thread->line + winnow_csv_parse_thread_count_lines (thread, thread->text, thread->text_len));
  if (error)
    error->byte = in[good];
}

/* Reads the next block, up to the read limit. Returns FALSE when there is
 * nothing more to read there. */
gboolean
winnow_csv_parse_thread_read_more (ParseThread *thread)
{
  WinnowCsvReader *reader = thread->reader;
  gsize keep = thread->raw_len - thread->raw_used;

  if (thread->read_pos >= thread->read_limit || thread->stop)
    return FALSE;
  memmove (thread->raw, thread->raw + thread->raw_used, keep);
  thread->raw_len = keep;
  thread->raw_used = 0;

  while (thread->raw_len < READ_SIZE && thread->read_pos < thread->read_limit)
    {
      gsize want = (gsize) MIN (READ_SIZE - thread->raw_len, thread->read_limit - thread->read_pos);
      gssize n = pread (reader->fd, thread->raw + thread->raw_len, want, (off_t) thread->read_pos);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          /* Translators: a file name, then the system's reason */
          g_autofree char *message = g_strdup_printf (_("%s: could not read: %s"),
                                                      reader->display_name, g_strerror (saved));
          winnow_csv_parse_thread_fail_message (thread, WINNOW_CSV_ERROR_OPEN, message);
          return FALSE;
        }
      if (n == 0)
        {
          g_autofree char *message = g_strdup_printf (
            _("%s changed while it was being read; nothing was written"), reader->display_name);
          winnow_csv_parse_thread_fail_message (thread, WINNOW_CSV_ERROR_CHANGED, message);
          return FALSE;
        }
      thread->raw_len += (gsize) n;
      thread->read_pos += (guint64) n;
    }
  thread->eof = thread->read_pos >= reader->size;
  return TRUE;
}

/* Reads the first block of the file, for sniffing. */
gboolean
winnow_csv_parse_thread_read_first (ParseThread *thread)
{
  winnow_csv_parse_thread_read_more (thread);
  return !thread->stop;
}
