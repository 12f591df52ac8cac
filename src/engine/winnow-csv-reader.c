/* winnow-csv-reader.c: see winnow-csv-reader.h.
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

#include "winnow-csv-reader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "winnow-csv-sniffer.h"
#include "winnow-text-decoder.h"

G_DEFINE_QUARK (winnow-csv-error-quark, winnow_csv_error)

#define READ_SIZE (1u << 20)            /* bytes per read(): well above 256 KiB */
#define CHECK_EVERY (64u * 1024)        /* cancellation is checked this often */
#define N_BATCHES 4                     /* batches in flight between the threads */
#define MAX_BAD_LINES_LISTED 100

/* libcsv's parser states (its header does not name them). */
#define STATE_ROW_NOT_BEGUN 0
#define STATE_FIELD_BEGUN 2

#define PARSER_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

static WinnowRowBatch end_of_rows;  /* the marker after the last batch */

struct _WinnowCsvReader {
  char *path;
  char *display_name;
  int fd;
  guint64 size;
  gint64 mtime;
  GCancellable *cancellable;
  WinnowCsvReaderOptions options;

  /* bytes: raw[0..raw_len) read, raw[0..raw_used) turned into text */
  guint8 *raw;
  gsize raw_len;
  gsize raw_used;
  gboolean eof;
  guint64 bytes_read;
  WinnowTextDecoder *decoder;       /* NULL for UTF-8 */
  gboolean auto_encoding;
  char *encoding_name;
  GByteArray *decoded;

  /* text being parsed */
  const char *text;
  gsize text_len;
  gsize text_pos;
  gsize since_check;

  struct csv_parser parser;
  char delimiter;
  char line_end;
  guint64 line;                     /* 1-based line of the bytes being fed */
  guint64 row_start_line;
  guint64 quote_line;
  guint64 fields_done;

  guint64 estimated_rows;

  /* the first row: the header, or the first data row without one */
  gboolean in_first_row;
  GPtrArray *first_row;
  guint64 first_row_line;
  guint n_columns;
  GPtrArray *column_names;

  /* data rows */
  const gint *column_map;
  guint n_kept;
  const WinnowNaSet *na;
  gboolean trim;
  guint field_index;
  WinnowRowBatch *batch;
  guint64 rows;
  guint64 bad_lines;
  GArray *bad_line_list;

  GThread *thread;
  GAsyncQueue *full;
  GAsyncQueue *free;
  GPtrArray *all_batches;
  gboolean finished;
  gint abort;
  gboolean stop;
  GError *error;
};

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

static void
fail (WinnowCsvReader *reader, WinnowCsvError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Records the first error and stops the parse; later errors are echoes. */
static void
fail (WinnowCsvReader *reader, WinnowCsvError code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  reader->stop = TRUE;
  if (reader->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  reader->error = g_error_new_literal (WINNOW_CSV_ERROR, code, message);
}

static guint64
count_lines (const WinnowCsvReader *reader, const char *text, gsize length)
{
  guint64 n = 0;
  const char *end = text + length;

  for (const char *p = text; (p = memchr (p, reader->line_end, (gsize) (end - p))); p++)
    n++;
  return n;
}

/* ---- libcsv callbacks ---- */

static void
on_field (void *data, size_t length, void *user_data)
{
  WinnowCsvReader *reader = user_data;
  const char *text = data;
  guint column;
  gint kept;

  if (G_UNLIKELY (reader->stop))
    return;
  reader->fields_done++;
  if (G_UNLIKELY (reader->in_first_row))
    {
      g_ptr_array_add (reader->first_row, g_strndup (text, length));
      return;
    }

  column = reader->field_index++;
  if (column == 0)
    winnow_row_batch_begin_row (reader->batch);
  if (G_UNLIKELY (column >= reader->n_columns))
    return;
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
  if (winnow_na_set_contains (reader->na, text, length))
    return;  /* the record already says MISSING */

  winnow_row_batch_set_field (reader->batch, (guint) kept, text, length);
  if (G_UNLIKELY (reader->batch->length - reader->batch->starts[reader->batch->n_rows] >
                  WINNOW_MAX_ROW_BYTES))
    fail (reader, WINNOW_CSV_ERROR_TOO_LARGE,
          "line %" G_GUINT64_FORMAT ": the row is larger than %u MiB; is this really a CSV file?",
          reader->row_start_line, WINNOW_MAX_ROW_BYTES >> 20);
}

static void push_batch (WinnowCsvReader *reader);

static void
on_row (int c, void *user_data)
{
  WinnowCsvReader *reader = user_data;
  guint n_fields;

  if (G_UNLIKELY (reader->stop))
    return;
  if (G_UNLIKELY (reader->in_first_row))
    {
      reader->in_first_row = FALSE;
      reader->first_row_line = reader->row_start_line;
      reader->stop = TRUE;  /* open() stops here; start() goes on */
      return;
    }

  n_fields = reader->field_index;
  reader->field_index = 0;
  reader->rows++;

  if (G_UNLIKELY (n_fields > reader->n_columns))
    {
      winnow_row_batch_abort_row (reader->batch);
      switch (reader->options.bad_lines)
        {
        case WINNOW_BAD_LINES_ERROR:
          fail (reader, WINNOW_CSV_ERROR_FIELDS,
                "line %" G_GUINT64_FORMAT ": expected %u fields, saw %u",
                reader->row_start_line, reader->n_columns, n_fields);
          return;
        case WINNOW_BAD_LINES_WARN:
          if (reader->bad_line_list->len < MAX_BAD_LINES_LISTED)
            {
              WinnowBadLine bad = { reader->row_start_line, n_fields };
              g_array_append_val (reader->bad_line_list, bad);
            }
          G_GNUC_FALLTHROUGH;
        case WINNOW_BAD_LINES_SKIP:
        default:
          reader->bad_lines++;
          return;
        }
    }

  winnow_row_batch_end_row (reader->batch, reader->row_start_line);
  if (winnow_row_batch_is_full (reader->batch))
    push_batch (reader);
}

/* ---- feeding the parser ---- */

static void
parse_segment (WinnowCsvReader *reader, const char *p, gsize n)
{
  while (n > 0 && !reader->stop)
    {
      gsize done = csv_parse (&reader->parser, p, n, on_field, on_row, reader);
      int status;

      if (done == n)
        return;
      status = csv_error (&reader->parser);
      reader->parser.status = CSV_SUCCESS;
      if (status == CSV_EPARSE && reader->parser.pstate == STATE_FIELD_BEGUN &&
          !reader->parser.quoted)
        {
          /* A quote inside an unquoted field: a literal character. */
          csv_set_opts (&reader->parser, PARSER_OPTIONS & ~CSV_STRICT);
          csv_parse (&reader->parser, p + done, 1, on_field, on_row, reader);
          csv_set_opts (&reader->parser, PARSER_OPTIONS);
          p += done + 1;
          n -= done + 1;
          continue;
        }
      if (status == CSV_EPARSE)
        fail (reader, WINNOW_CSV_ERROR_QUOTE,
              "line %" G_GUINT64_FORMAT ": unexpected text after a closing quote", reader->line);
      else if (status == CSV_ENOMEM || status == CSV_ETOOBIG)
        fail (reader, WINNOW_CSV_ERROR_TOO_LARGE,
              "line %" G_GUINT64_FORMAT ": a field is larger than %u MiB; is this really a CSV file?",
              reader->row_start_line, WINNOW_MAX_FIELD_BYTES >> 20);
      else
        fail (reader, WINNOW_CSV_ERROR_QUOTE, "line %" G_GUINT64_FORMAT ": %s", reader->line,
              csv_strerror (status));
      return;
    }
}

static gboolean
in_quoted_field (const WinnowCsvReader *reader)
{
  return reader->parser.pstate == STATE_FIELD_BEGUN && reader->parser.quoted;
}

static gboolean
should_stop (WinnowCsvReader *reader)
{
  if (g_atomic_int_get (&reader->abort))
    {
      fail (reader, WINNOW_CSV_ERROR_OPEN, "stopped");
      return TRUE;
    }
  if (reader->cancellable && g_cancellable_is_cancelled (reader->cancellable))
    {
      reader->stop = TRUE;
      if (reader->error == NULL)
        reader->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return TRUE;
    }
  return FALSE;
}

/* Feeds the current text line by line until it is used up or the parse
 * stops (an error, a cancel, or the end of the first row in open()). */
static void
feed_text (WinnowCsvReader *reader)
{
  while (reader->text_pos < reader->text_len && !reader->stop)
    {
      const char *p = reader->text + reader->text_pos;
      gsize avail = MIN (reader->text_len - reader->text_pos, CHECK_EVERY);
      const char *nl = memchr (p, reader->line_end, avail);
      gsize seg = nl ? (gsize) (nl - p) + 1 : avail;
      guint64 fields_before = reader->fields_done;
      gboolean was_quoted = in_quoted_field (reader);

      /* The first row must end the segment, so that open() can stop right
       * after it even when a lone CR ends it in an LF file. */
      if (G_UNLIKELY (reader->in_first_row))
        {
          const char *cr = memchr (p, '\r', seg);
          if (cr != NULL && cr != nl)
            {
              seg = (gsize) (cr - p) + 1;
              nl = NULL;
            }
        }

      if (reader->parser.pstate == STATE_ROW_NOT_BEGUN)
        reader->row_start_line = reader->line;
      parse_segment (reader, p, seg);
      if (in_quoted_field (reader) && (!was_quoted || reader->fields_done != fields_before))
        reader->quote_line = reader->line;
      if (nl)
        reader->line++;
      reader->text_pos += seg;
      reader->since_check += seg;
      if (reader->since_check >= CHECK_EVERY)
        {
          reader->since_check = 0;
          should_stop (reader);
        }
    }
}

static void
fail_text (WinnowCsvReader *reader, WinnowTextStatus status, const char *text, gsize good,
           guint8 bad_byte)
{
  guint64 line = reader->line + count_lines (reader, text, good);

  if (status == WINNOW_TEXT_NUL)
    fail (reader, WINNOW_CSV_ERROR_BINARY,
          "line %" G_GUINT64_FORMAT ": the file contains a NUL byte; it looks like a binary "
          "file, not CSV text", line);
  else if (reader->auto_encoding && reader->decoder == NULL)
    fail (reader, WINNOW_CSV_ERROR_NOT_UTF8,
          "line %" G_GUINT64_FORMAT ": the file is not valid UTF-8 (byte 0x%02X)", line, bad_byte);
  else
    fail (reader, WINNOW_CSV_ERROR_ENCODING,
          "line %" G_GUINT64_FORMAT ": the file is not valid %s (byte 0x%02X)", line,
          reader->encoding_name, bad_byte);
}

/* Turns raw[raw_used..raw_len) into text; an incomplete character at the
 * end stays in raw for the next read. */
static void
decode (WinnowCsvReader *reader)
{
  const guint8 *in = reader->raw + reader->raw_used;
  gsize length = reader->raw_len - reader->raw_used;
  WinnowTextStatus status;
  gsize good;

  if (reader->decoder == NULL)
    {
      status = winnow_text_check_utf8 (in, length, &good);
      reader->text = (const char *) in;
      reader->text_len = good;
    }
  else
    {
      g_byte_array_set_size (reader->decoded, 0);
      status = winnow_text_decoder_convert (reader->decoder, in, length, reader->decoded, &good);
      reader->text = (const char *) reader->decoded->data;
      reader->text_len = reader->decoded->len;
    }
  reader->text_pos = 0;
  reader->raw_used += good;

  if (status == WINNOW_TEXT_INCOMPLETE && reader->eof)
    status = WINNOW_TEXT_INVALID;
  if (status == WINNOW_TEXT_NUL || status == WINNOW_TEXT_INVALID)
    fail_text (reader, status, reader->text, reader->text_len, in[good]);
}

/* Reads the next block. Returns FALSE at the end of the file. */
static gboolean
read_more (WinnowCsvReader *reader)
{
  gsize keep = reader->raw_len - reader->raw_used;

  if (reader->eof)
    return FALSE;
  memmove (reader->raw, reader->raw + reader->raw_used, keep);
  reader->raw_len = keep;
  reader->raw_used = 0;

  while (reader->raw_len < READ_SIZE)
    {
      gssize n = read (reader->fd, reader->raw + reader->raw_len, READ_SIZE - reader->raw_len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          fail (reader, WINNOW_CSV_ERROR_OPEN, "%s: could not read: %s", reader->display_name,
                g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        {
          reader->eof = TRUE;
          break;
        }
      reader->raw_len += (gsize) n;
      reader->bytes_read += (guint64) n;
    }
  return reader->raw_len > 0;
}

/* The file must be the one we started on: same size and time at the end
 * as at the start, and every byte of it read. */
static void
check_unchanged (WinnowCsvReader *reader)
{
  struct stat st;

  if (fstat (reader->fd, &st) != 0 || (guint64) st.st_size != reader->size ||
      reader->bytes_read != reader->size ||
      (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000 != reader->mtime)
    fail (reader, WINNOW_CSV_ERROR_CHANGED,
          "%s changed while it was being read; nothing was written", reader->display_name);
}

/* Parses until the text runs out and no more can be read; then ends the
 * last row and checks the file did not change. */
static void
parse_to_end (WinnowCsvReader *reader)
{
  for (;;)
    {
      feed_text (reader);
      if (reader->stop)
        return;
      if (!read_more (reader))
        break;
      decode (reader);
      if (reader->stop)
        return;
    }
  if (reader->stop)
    return;

  if (reader->parser.pstate == STATE_ROW_NOT_BEGUN)
    reader->row_start_line = reader->line;
  if (csv_fini (&reader->parser, on_field, on_row, reader) != 0)
    {
      fail (reader, WINNOW_CSV_ERROR_QUOTE,
            "line %" G_GUINT64_FORMAT ": a quote is opened but never closed", reader->quote_line);
      return;
    }
  if (!reader->stop)
    check_unchanged (reader);
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
                   saved == ENOENT ? "no such file" : g_strerror (saved));
      return FALSE;
    }
  if (fstat (reader->fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_NOT_FILE,
                   S_ISDIR (st.st_mode) ? "%s is a folder, not a CSV file"
                                        : "%s is not a regular file (a pipe or a device?)",
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
choose_encoding (WinnowCsvReader *reader, const char *encoding, GError **error)
{
  const guint8 *raw = reader->raw;
  gsize len = reader->raw_len;
  gboolean utf8_bom = len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF;

  reader->auto_encoding = g_ascii_strcasecmp (encoding, "auto") == 0;
  if (!reader->auto_encoding)
    {
      reader->decoder = winnow_text_decoder_new (encoding, error);
      if (reader->decoder == NULL)
        return FALSE;
      reader->encoding_name = g_strdup (winnow_text_decoder_name (reader->decoder));
      if (winnow_text_decoder_kind (reader->decoder) == WINNOW_TEXT_UTF8)
        {
          g_clear_pointer (&reader->decoder, winnow_text_decoder_free);
          if (utf8_bom)
            reader->raw_used = 3;
        }
      return TRUE;
    }

  if (utf8_bom)
    {
      reader->raw_used = 3;
      reader->encoding_name = g_strdup ("UTF-8 (BOM)");
    }
  else if (len >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)))
    {
      const char *name = raw[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      reader->raw_used = 2;
      reader->decoder = winnow_text_decoder_new (name, error);
      if (reader->decoder == NULL)
        return FALSE;
      reader->encoding_name = g_strdup_printf ("%s (BOM)", name);
    }
  else
    {
      gsize good;
      WinnowTextStatus status = winnow_text_check_utf8 (raw, MIN (len, WINNOW_SNIFF_BYTES), &good);
      if (status == WINNOW_TEXT_INVALID)
        {
          reader->decoder = winnow_text_decoder_new ("windows-1252", error);
          reader->encoding_name = g_strdup ("Windows-1252");
        }
      else
        reader->encoding_name = g_strdup ("UTF-8");
    }
  return TRUE;
}

static void
init_parser (WinnowCsvReader *reader)
{
  csv_init (&reader->parser, PARSER_OPTIONS);
  csv_set_delim (&reader->parser, (unsigned char) reader->delimiter);
  csv_set_quote (&reader->parser, (unsigned char) reader->options.quote);
  csv_set_space_func (&reader->parser, never_space);
  csv_set_realloc_func (&reader->parser, capped_realloc);
  csv_set_blk_size (&reader->parser, 64 * 1024);
}

static void
name_columns (WinnowCsvReader *reader)
{
  reader->n_columns = reader->first_row->len;
  reader->column_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < reader->n_columns; i++)
    g_ptr_array_add (reader->column_names,
                     reader->options.header ? g_strdup (g_ptr_array_index (reader->first_row, i))
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

  reader->path = g_strdup (path);
  reader->display_name = g_filename_display_basename (path);
  reader->fd = -1;
  reader->options = *options;
  reader->options.encoding = NULL;  /* not ours to keep */
  reader->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  reader->raw = g_malloc (READ_SIZE);
  reader->decoded = g_byte_array_new ();
  reader->line = 1;
  reader->first_row = g_ptr_array_new_with_free_func (g_free);
  reader->bad_line_list = g_array_new (FALSE, FALSE, sizeof (WinnowBadLine));

  if (!open_file (reader, error))
    return NULL;
  read_more (reader);
  if (reader->error == NULL &&
      !choose_encoding (reader, options->encoding ? options->encoding : "auto", error))
    return NULL;

  if (reader->error == NULL && reader->raw_len > reader->raw_used)
    decode (reader);
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&reader->error));
      return NULL;
    }

  reader->delimiter = options->delimiter;
  reader->line_end = '\n';
  if (reader->text_len > 0)
    {
      if (reader->delimiter == 0)
        reader->delimiter = winnow_sniff_delimiter (reader->text, reader->text_len, options->quote);
      reader->line_end = winnow_sniff_line_end (reader->text, reader->text_len);
    }
  if (reader->delimiter == 0)
    reader->delimiter = ',';
  init_parser (reader);
  if (reader->text_len > 0)
    {
      guint64 lines = count_lines (reader, reader->text, reader->text_len);
      reader->estimated_rows = lines * reader->size / reader->text_len + 1;
    }

  reader->in_first_row = TRUE;
  parse_to_end (reader);
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&reader->error));
      return NULL;
    }
  if (reader->in_first_row)
    {
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_EMPTY,
                   reader->size == 0 ? "%s is empty" : "%s has no rows, only blank lines",
                   reader->display_name);
      return NULL;
    }
  reader->stop = FALSE;
  name_columns (reader);
  return g_steal_pointer (&reader);
}

void
winnow_csv_reader_free (WinnowCsvReader *reader)
{
  if (reader == NULL)
    return;
  if (reader->thread != NULL)
    {
      winnow_csv_reader_abort (reader);
      winnow_csv_reader_finish (reader, NULL);
    }
  if (reader->fd >= 0)
    close (reader->fd);
  if (reader->parser.entry_buf != NULL || reader->parser.entry_size != 0)
    csv_free (&reader->parser);
  g_clear_pointer (&reader->full, g_async_queue_unref);
  g_clear_pointer (&reader->free, g_async_queue_unref);
  if (reader->all_batches)
    g_ptr_array_unref (reader->all_batches);
  g_clear_pointer (&reader->decoder, winnow_text_decoder_free);
  g_clear_object (&reader->cancellable);
  g_clear_error (&reader->error);
  g_byte_array_unref (reader->decoded);
  g_ptr_array_unref (reader->first_row);
  if (reader->column_names)
    g_ptr_array_unref (reader->column_names);
  g_array_unref (reader->bad_line_list);
  g_free (reader->encoding_name);
  g_free (reader->raw);
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

char
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

/* ---- the parsing thread ---- */

static WinnowRowBatch *
take_batch (WinnowCsvReader *reader)
{
  WinnowRowBatch *batch = g_async_queue_pop (reader->free);
  winnow_row_batch_reset (batch);
  batch->first_row = reader->rows - reader->bad_lines;
  return batch;
}

static void
push_batch (WinnowCsvReader *reader)
{
  reader->batch->bytes_consumed = reader->bytes_read - (reader->raw_len - reader->raw_used);
  g_async_queue_push (reader->full, reader->batch);
  reader->batch = take_batch (reader);
}

static void
replay_first_row (WinnowCsvReader *reader)
{
  guint64 line = reader->row_start_line;

  reader->row_start_line = reader->first_row_line;
  for (guint i = 0; i < reader->first_row->len; i++)
    {
      const char *field = g_ptr_array_index (reader->first_row, i);
      on_field ((void *) field, strlen (field), reader);
    }
  on_row ('\n', reader);
  reader->row_start_line = line;
}

static gpointer
parse_thread (gpointer data)
{
  WinnowCsvReader *reader = data;

  reader->batch = take_batch (reader);
  if (!reader->options.header)
    replay_first_row (reader);
  parse_to_end (reader);

  if (reader->error == NULL)
    {
      reader->batch->bytes_consumed = reader->bytes_read;
      g_async_queue_push (reader->full, reader->batch);
    }
  else
    g_async_queue_push (reader->free, reader->batch);
  reader->batch = NULL;
  g_async_queue_push (reader->full, &end_of_rows);
  return NULL;
}

/**
 * winnow_csv_reader_start:
 * @column_map: for each input column, its index among the kept columns, or
 *   -1 to drop it; must outlive the reader
 * @na: the NA tokens; must outlive the reader
 * @trim: strip spaces and tabs around every field first
 *
 * Starts parsing the data rows on a thread of the reader's own.
 */
void
winnow_csv_reader_start (WinnowCsvReader *reader, const gint *column_map, guint n_kept,
                         const WinnowNaSet *na, gboolean trim)
{
  g_return_if_fail (reader->thread == NULL);

  reader->column_map = column_map;
  reader->n_kept = n_kept;
  reader->na = na;
  reader->trim = trim;
  reader->full = g_async_queue_new ();
  reader->free = g_async_queue_new ();
  reader->all_batches = g_ptr_array_new_with_free_func ((GDestroyNotify) winnow_row_batch_free);
  for (guint i = 0; i < N_BATCHES; i++)
    {
      WinnowRowBatch *batch = winnow_row_batch_new (n_kept);
      g_ptr_array_add (reader->all_batches, batch);
      g_async_queue_push (reader->free, batch);
    }
  reader->thread = g_thread_new ("winnow-reader", parse_thread, reader);
}

/**
 * winnow_csv_reader_next_batch:
 *
 * Blocks until the parsing thread has the next batch.
 *
 * Returns: (transfer none) (nullable): the batch, to give back with
 *   winnow_csv_reader_recycle(); %NULL after the last one (then call
 *   winnow_csv_reader_finish() for the outcome)
 */
WinnowRowBatch *
winnow_csv_reader_next_batch (WinnowCsvReader *reader)
{
  WinnowRowBatch *batch;

  if (reader->finished)
    return NULL;
  batch = g_async_queue_pop (reader->full);
  if (batch == &end_of_rows)
    {
      reader->finished = TRUE;
      return NULL;
    }
  return batch;
}

void
winnow_csv_reader_recycle (WinnowCsvReader *reader, WinnowRowBatch *batch)
{
  g_async_queue_push (reader->free, batch);
}

/* Stops the parsing thread early (the caller failed or was cancelled) and
 * takes back every batch. */
void
winnow_csv_reader_abort (WinnowCsvReader *reader)
{
  WinnowRowBatch *batch;

  if (reader->thread == NULL)
    return;
  g_atomic_int_set (&reader->abort, 1);
  while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
    winnow_csv_reader_recycle (reader, batch);
}

/**
 * winnow_csv_reader_finish:
 *
 * Waits for the parsing thread after the last batch.
 *
 * Returns: %TRUE when the whole file was read without error
 */
gboolean
winnow_csv_reader_finish (WinnowCsvReader *reader, GError **error)
{
  if (reader->thread != NULL)
    {
      g_thread_join (reader->thread);
      reader->thread = NULL;
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
