/* winnow-csv-writer.c: see winnow-csv-writer.h. */
#include "config.h"

#include "winnow-csv-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "winnow-number.h"

#define BUFFER_SIZE (1u << 20)
#define WRITE_BACK_STEP (8u << 20)
/* a batch's bytes this long go out as they are, not through the buffer */
#define DIRECT_WRITE (64u << 10)

static void write_all (WinnowCsvWriter *writer, const guint8 *data, gsize length);

/**
 * winnow_csv_writer_new:
 * @fd: where to write; the writer does not close it
 * Returns: (transfer full): a writer
 */
WinnowCsvWriter *
winnow_csv_writer_new (int fd, gunichar delimiter, gboolean crlf, gboolean formula_guard)
{
  WinnowCsvWriter *writer = g_new0 (WinnowCsvWriter, 1);

  writer->fd = fd;
  /* The slack after capacity takes a delimiter and a line end without
   * another check. */
  writer->capacity = BUFFER_SIZE;
  writer->buffer = g_malloc (BUFFER_SIZE + 16);
  writer->delimiter_length = (gsize) g_unichar_to_utf8 (delimiter, writer->delimiter);
  writer->eol[0] = crlf ? '\r' : '\n';
  writer->eol[1] = '\n';
  writer->eol_length = crlf ? 2 : 1;
  writer->formula_guard = formula_guard;
  writer->special[(guint8) writer->delimiter[0]] = 1;
  writer->delimiter_word = WINNOW_ONES * (guint8) writer->delimiter[0];
  writer->special['"'] = 1;
  writer->special['\r'] = 1;
  writer->special['\n'] = 1;
  return writer;
}

/**
 * winnow_csv_writer_new_memory:
 * @like: the writer whose format to follow
 *
 * Returns: (transfer full): a writer that keeps what it is given in its
 *   buffer, which grows, written nowhere; see winnow_csv_writer_write_raw()
 */
WinnowCsvWriter *
winnow_csv_writer_new_memory (const WinnowCsvWriter *like)
{
  WinnowCsvWriter *writer = g_memdup2 (like, sizeof *like);

  writer->fd = -1;
  writer->buffer = g_malloc (writer->capacity + 16);
  writer->length = 0;
  writer->bytes_written = 0;
  writer->error_number = 0;
  writer->written_back = writer->write_back_limit = 0;
  writer->disk_sync = NULL;
  return writer;
}

/* A writer in memory: room for @extra more bytes. */
void
winnow_csv_writer_grow (WinnowCsvWriter *writer, gsize extra)
{
  g_return_if_fail (writer->fd < 0);
  while (writer->length + extra > writer->capacity)
    writer->capacity *= 2;
  /* the slack after capacity: a delimiter and a line end */
  writer->buffer = g_realloc (writer->buffer, writer->capacity + 16);
}

/* A memory writer, emptied, gives back what a huge row made it take. */
void
winnow_csv_writer_shrink (WinnowCsvWriter *writer)
{
  g_return_if_fail (writer->fd < 0);
  writer->length = 0;
  if (writer->capacity > 4 * BUFFER_SIZE)
    {
      writer->capacity = BUFFER_SIZE;
      writer->buffer = g_realloc (writer->buffer, writer->capacity + 16);
    }
}

/* Bytes already in CSV form (a memory writer's), appended as they are:
 * through the buffer, or from DIRECT_WRITE bytes on (a batch's), written
 * as they are after what the buffer holds, without a copy. */
void
winnow_csv_writer_write_raw (WinnowCsvWriter *writer, const guint8 *data, gsize length)
{
  gboolean direct = length > writer->capacity || (length >= DIRECT_WRITE && writer->fd >= 0);

  if (direct || writer->length + length > writer->capacity)
    {
      winnow_csv_writer_flush (writer);
      if (direct)
        {
          write_all (writer, data, length);
          return;
        }
    }
  memcpy (writer->buffer + writer->length, data, length);
  writer->length += length;
}

void
winnow_csv_writer_free (WinnowCsvWriter *writer)
{
  if (writer == NULL)
    return;
  g_free (writer->buffer);
  g_free (writer);
}

/**
 * winnow_csv_writer_write_back:
 * @sync: (nullable): the file's background syncs (it must outlive the
 *   writes)
 *
 * From now on, every 8 MiB written, the writer asks the kernel to start
 * writing them to disk (sync_file_range(), which does not wait for it),
 * and every 16 MiB of those, @sync to make them durable: the disk works
 * while the rows are cleaned, and the fdatasync() that commits the file
 * waits only for the rest. Not for what will be written again
 * (winnow_csv_writer_write_back_before(), which must come after this
 * call: this one lifts any limit).
 */
void
winnow_csv_writer_write_back (WinnowCsvWriter *writer, WinnowDiskSync *sync)
{
  writer->write_back_limit = G_MAXUINT64;
  writer->disk_sync = sync;
  writer->synced_to = writer->written_back;
}

/* No disk writes started from @offset on: those bytes will move. */
void
winnow_csv_writer_write_back_before (WinnowCsvWriter *writer, guint64 offset)
{
  writer->write_back_limit = MIN (writer->write_back_limit, offset);
}

/**
 * winnow_write_back_pages:
 * @from, @to: a range of @fd's bytes that are final
 *
 * Asks the kernel to start writing the whole pages within [@from, @to) to
 * disk, without waiting (sync_file_range()). Whole pages only: the bytes
 * on either side may still be written, and on some file systems a write
 * to a page on its way to disk waits for it.
 *
 * Returns: where the pages started end (@from if none), or -1 where it
 *   cannot be done (a pipe, a device)
 */
gint64
winnow_write_back_pages (int fd, guint64 from, guint64 to)
{
  guint64 page = (guint64) sysconf (_SC_PAGESIZE);

  from = (from + page - 1) / page * page;
  to = to / page * page;
  if (to <= from)
    return (gint64) from;
  if (sync_file_range (fd, (off_t) from, (off_t) (to - from), SYNC_FILE_RANGE_WRITE) != 0)
    return -1;
  return (gint64) to;
}

static void
start_write_back (WinnowCsvWriter *writer)
{
  guint64 end = MIN (writer->bytes_written, writer->write_back_limit);
  gint64 done;

  /* every step, and what is left before the limit once it is reached */
  if (end < writer->written_back + WRITE_BACK_STEP && writer->bytes_written < writer->write_back_limit)
    return;
  done = winnow_write_back_pages (writer->fd, writer->written_back, end);
  if (done < 0)
    writer->write_back_limit = 0;  /* nothing more to try */
  else
    writer->written_back = (guint64) done;
  if (writer->disk_sync != NULL && writer->written_back >= writer->synced_to + WINNOW_DISK_SYNC_STEP)
    {
      writer->synced_to = writer->written_back;
      winnow_disk_sync_soon (writer->disk_sync);
    }
}

static void
write_all (WinnowCsvWriter *writer, const guint8 *data, gsize length)
{
  while (length > 0 && writer->error_number == 0)
    {
      gssize n = write (writer->fd, data, length);
      if (n < 0)
        {
          if (errno != EINTR)
            writer->error_number = errno;
          continue;
        }
      data += n;
      length -= (gsize) n;
      writer->bytes_written += (guint64) n;
    }
  if (writer->write_back_limit > writer->written_back)
    start_write_back (writer);
}

/* Returns FALSE once any write has failed (see error_number). */
gboolean
winnow_csv_writer_flush (WinnowCsvWriter *writer)
{
  write_all (writer, writer->buffer, writer->length);
  writer->length = 0;
  return writer->error_number == 0;
}

/* Does the field hold the delimiter (the whole character), a quote, CR
 * or LF? */
gboolean
winnow_csv_writer_holds_special (const WinnowCsvWriter *writer, const char *text, gsize length)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      if (c == '"' || c == '\r' || c == '\n')
        return TRUE;
      if (c == writer->delimiter[0] && length - i >= writer->delimiter_length &&
          memcmp (text + i, writer->delimiter, writer->delimiter_length) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * winnow_csv_writer_encode:
 * @out: the field's bytes are appended here
 *
 * The bytes winnow_csv_writer_field() writes for a field, without the
 * delimiter before it: for a value written later into its place.
 */
void
winnow_csv_writer_encode (const WinnowCsvWriter *writer, const char *text, gsize length,
                          GString *out)
{
  gboolean quote = winnow_csv_writer_holds_special (writer, text, length);
  gboolean guard = writer->formula_guard && winnow_csv_writer_needs_guard (text, length);

  if (quote)
    g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');
  if (!quote)
    g_string_append_len (out, text, (gssize) length);
  else
    for (gsize start = 0, i = 0; i <= length; i++)
      if (i == length || text[i] == '"')
        {
          /* up to and with the quote, then the quote again */
          gsize end = i < length ? i + 1 : i;
          g_string_append_len (out, text + start, (gssize) (end - start));
          start = i;
        }
  if (quote)
    g_string_append_c (out, '"');
}

/* A field larger than the buffer: flushed in pieces. */
void
winnow_csv_writer_write_slow (WinnowCsvWriter *writer, const char *text, gsize length,
                              gboolean guard)
{
  gboolean quote = winnow_csv_writer_holds_special (writer, text, length);
  if (quote)
    writer->buffer[writer->length++] = '"';
  if (guard)
    writer->buffer[writer->length++] = '\'';
  winnow_csv_writer_flush (writer);
  if (!quote)
    write_all (writer, (const guint8 *) text, length);
  else
    for (gsize start = 0, i = 0; i <= length; i++)
      if (i == length || text[i] == '"')
        {
          /* up to and with the quote, then the quote again */
          gsize end = i < length ? i + 1 : i;
          write_all (writer, (const guint8 *) text + start, end - start);
          start = i;
        }
  if (quote)
    writer->buffer[writer->length++] = '"';
}

/* A spreadsheet runs a cell that starts with = + - @ TAB or CR as a
 * formula; a number such as -2.5 is left alone. */
gboolean
winnow_csv_writer_needs_guard (const char *text, gsize length)
{
  double ignored;

  if (length == 0)
    return FALSE;
  switch (text[0])
    {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !winnow_number_parse (text, length, &ignored, NULL) ||
             text[0] == '\t' || text[0] == '\r';
    default:
      return FALSE;
    }
}
