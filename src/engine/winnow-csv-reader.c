/* winnow-csv-reader.c: see winnow-csv-reader.h; the chunks and their
 * parse threads are described in winnow-csv-reader-private.h.
 *
 * This file opens the file, settles its encoding and delimiter, and
 * parses the first row; winnow-csv-reader-chunks.c then starts the parse
 * threads and hands their batches out in file order.
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
GError *
winnow_csv_chunk_error_to_gerror (WinnowCsvReader *reader, const ChunkError *e, guint64 line_base)
{
  guint64 line = line_base + e->line - 1;

  if (e->code == CHUNK_CANCELLED)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, e->message);
  /* a file cut or rewritten under the reader reads as zeros, short rows
   * or broken quotes: that is the news, not the bytes it left */
  if (e->code != WINNOW_CSV_ERROR_CHANGED && e->code != WINNOW_CSV_ERROR_OPEN &&
      winnow_csv_reader_changed (reader))
    return g_error_new (WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_CHANGED,
                        _("%s changed while it was being read; nothing was written"),
                        reader->display_name);
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
choose_encoding (WinnowCsvReader *reader, ParseThread *thread, const char *encoding, GError **error)
{
  const guint8 *raw = thread->raw;
  gsize len = thread->raw_len;
  gboolean utf8_bom = len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF;

  reader->auto_encoding = g_ascii_strcasecmp (encoding, "auto") == 0;
  if (!reader->auto_encoding)
    {
      thread->decoder = winnow_text_decoder_new (encoding, error);
      if (thread->decoder == NULL)
        return FALSE;
      reader->encoding_name = g_strdup (winnow_text_decoder_name (thread->decoder));
      if (winnow_text_decoder_kind (thread->decoder) == WINNOW_TEXT_UTF8)
        g_clear_pointer (&thread->decoder, winnow_text_decoder_free);
      /* A UTF-8 BOM says the file was meant as UTF-8, even when some of its
       * bytes are not: read as Windows-1252 it would become "ï»¿" in
       * front of the first column's name. An encoding the user chose
       * keeps those three characters, as pandas does. */
      if (utf8_bom && (thread->decoder == NULL || reader->options.utf8_fallback))
        thread->raw_used = 3;
      return TRUE;
    }

  if (utf8_bom)
    {
      thread->raw_used = 3;
      reader->encoding_name = g_strdup ("UTF-8 (BOM)");
    }
  else if (len >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)))
    {
      const char *name = raw[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      thread->raw_used = 2;
      thread->decoder = winnow_text_decoder_new (name, error);
      if (thread->decoder == NULL)
        return FALSE;
      reader->encoding_name = g_strdup_printf ("%s (BOM)", name);
    }
  else
    {
      gsize good;
      WinnowTextStatus status = winnow_text_check_utf8 (raw, MIN (len, WINNOW_SNIFF_BYTES), &good);
      if (status == WINNOW_TEXT_INVALID)
        {
          thread->decoder = winnow_text_decoder_new ("windows-1252", error);
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
open_error (WinnowCsvReader *reader, ParseThread *thread, GError **error)
{
  if (!thread->open_error.set)
    return FALSE;
  g_propagate_error (error, winnow_csv_chunk_error_to_gerror (reader, &thread->open_error, 1));
  return TRUE;
}

static void
name_columns (WinnowCsvReader *reader, ParseThread *thread)
{
  reader->n_columns = thread->first_row->len;
  reader->column_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < reader->n_columns; i++)
    g_ptr_array_add (reader->column_names,
                     reader->options.header ? g_strdup (g_ptr_array_index (thread->first_row, i))
                                            : g_strdup_printf ("column_%u", i + 1));
}

/* Bytes read at each of the estimate's samples past the first block. */
#define SAMPLE_SIZE ((gsize) 64 << 10)

/* The rows a file holds, guessed from the length of its lines: in the
 * first block read, and, in a UTF-8 file much larger than that block, in
 * two samples further on (at a half and at seven eighths), each sample's
 * mean line length counting alike, so that a file whose first lines are
 * shorter than the rest (a few sparse rows first) is not guessed many
 * times its size. The dedupe table is sized from it up front
 * (winnow-cleaner-attempt.c): a guess too high costs memory, one too low
 * a growth. */
static guint64
estimate_rows (WinnowCsvReader *reader, ParseThread *thread)
{
  guint64 lines = winnow_csv_parse_thread_count_lines (thread, thread->text, thread->text_len);
  double length_sum = (double) thread->text_len / (double) MAX (lines, 1);
  guint n_samples = 1;

  if (thread->decoder == NULL && reader->size > 8 * MAX ((guint64) thread->text_len, SAMPLE_SIZE))
    {
      g_autofree char *sample = g_malloc (SAMPLE_SIZE);
      const guint64 at[] = { reader->size / 2, reader->size / 8 * 7 };

      for (guint i = 0; i < G_N_ELEMENTS (at); i++)
        {
          gssize n = pread (reader->fd, sample, SAMPLE_SIZE, (off_t) at[i]);

          if (n <= 0)
            break;
          lines = winnow_csv_parse_thread_count_lines (thread, sample, (gsize) n);
          length_sum += (double) n / (double) MAX (lines, 1);
          n_samples++;
        }
    }
  return (guint64) ((double) reader->size * n_samples / length_sum) + 1;
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
  ParseThread *thread;

  reader->path = g_strdup (path);
  reader->display_name = g_filename_display_basename (path);
  reader->fd = -1;
  reader->options = *options;
  reader->options.encoding = NULL;  /* not ours to keep */
  reader->options.budget = NULL;
  reader->budget = winnow_thread_budget_ref (options->budget ? options->budget
                                                             : winnow_thread_budget_get_default ());
  reader->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  reader->bad_line_list = g_array_new (FALSE, FALSE, sizeof (WinnowBadLine));
  reader->chunk_size = options->chunk_size ? options->chunk_size : CHUNK_SIZE;
  g_mutex_init (&reader->lock);
  g_cond_init (&reader->cond);
  g_queue_init (&reader->redo);

  if (!open_file (reader, error))
    return NULL;

  reader->threads = g_new0 (ParseThread *, 1);
  reader->threads[0] = thread = winnow_csv_parse_thread_new (reader, 0);
  reader->n_threads = 1;
  reader->line_end = '\n';  /* until sniffed, for the lines of early errors */
  /* The first chunk goes on from this read: it must not pass the chunk. */
  thread->read_limit = MIN (reader->size, MIN (reader->chunk_size, READ_SIZE));

  if (!winnow_csv_parse_thread_read_first (thread) && open_error (reader, thread, error))
    return NULL;
  if (!choose_encoding (reader, thread, options->encoding ? options->encoding : "auto", error))
    return NULL;
  /* a delimiter past ASCII is replaced as the text is decoded */
  if (options->delimiter != 0)
    set_delimiter (reader, options->delimiter);
  if (thread->raw_len > thread->raw_used)
    winnow_csv_parse_thread_decode (thread);
  if (open_error (reader, thread, error))
    return NULL;

  if (thread->text_len > 0)
    {
      /* the sniffer's candidates are ASCII: nothing was replaced */
      if (reader->delimiter == 0)
        set_delimiter (reader, (guchar) winnow_sniff_delimiter (thread->text, thread->text_len,
                                                                options->quote));
      reader->line_end = winnow_sniff_line_end (thread->text, thread->text_len);
      reader->estimated_rows = estimate_rows (reader, thread);
    }
  if (reader->delimiter == 0)
    set_delimiter (reader, ',');
  winnow_csv_parse_thread_init_parser (thread);
  thread->read_limit = reader->size;

  winnow_csv_parse_thread_parse_first_row (thread);
  if (open_error (reader, thread, error))
    return NULL;
  if (thread->in_first_row)
    {
      g_set_error (error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_EMPTY,
                   /* Translators: %s is a file name */
                   reader->size == 0 ? _("%s is empty") : _("%s has no rows, only blank lines"),
                   reader->display_name);
      return NULL;
    }
  name_columns (reader, thread);
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
 * winnow_csv_reader_open_or_fall_back:
 * @options: (inout): how to read; changed by
 *   winnow_csv_reader_options_fall_back() when the reader falls back
 *   (then options->utf8_fallback is set)
 *
 * Opens @path as winnow_csv_reader_open() does and, when encoding "auto"
 * meets a byte that is not UTF-8 in the first bytes, again as a task
 * would read it: as Windows-1252.
 *
 * Returns: (transfer full) (nullable): the reader, or %NULL with @error set
 */
WinnowCsvReader *
winnow_csv_reader_open_or_fall_back (const char *path, WinnowCsvReaderOptions *options,
                                     GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  WinnowCsvReader *reader = winnow_csv_reader_open (path, options, cancellable, &local_error);

  if (reader == NULL && g_error_matches (local_error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_NOT_UTF8))
    {
      g_clear_error (&local_error);
      winnow_csv_reader_options_fall_back (options);
      reader = winnow_csv_reader_open (path, options, cancellable, &local_error);
    }
  if (reader == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return reader;
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
  for (guint i = 0; i < reader->n_threads; i++)
    winnow_csv_parse_thread_free (reader->threads[i]);
  g_free (reader->threads);
  winnow_csv_parse_thread_free (reader->redo_thread);
  winnow_thread_budget_unref (reader->budget);
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
