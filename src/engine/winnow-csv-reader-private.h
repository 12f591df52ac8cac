/* winnow-csv-reader-private.h: the parts of the reader shared by its
 * coordinator (winnow-csv-reader.c) and its parse threads
 * (winnow-csv-parse-thread.c, -parse-input.c, -parse-state.c).
 *
 * A UTF-8 file is cut into chunks of CHUNK_SIZE bytes, each starting just
 * after the first line end at or past a multiple of CHUNK_SIZE, and the
 * chunks are parsed by several parse threads at once. A thread assumes its chunk
 * starts at a row boundary; that holds unless a quoted field spans the
 * boundary. So a thread that reaches the end of its chunk inside a quoted
 * field (or any row) keeps going through the next chunk, and the next,
 * until it ends at a boundary between rows, and marks the chunks it took
 * over as absorbed: their speculative parse is thrown away. Every row is
 * therefore parsed from a known state, and the coordinator hands batches
 * out in file order, turning chunk-local line numbers into file lines.
 *
 * libcsv takes a one-byte delimiter. A delimiter outside ASCII is several
 * bytes of UTF-8, and the text handed to libcsv is always UTF-8 (checked,
 * or converted by the decoder), in which the byte 0xFF never occurs. So
 * each decoded block has every occurrence of the delimiter's bytes
 * replaced by DELIMITER_STAND_IN, which libcsv takes as the delimiter,
 * before it is parsed; a field that still holds the stand-in had the
 * delimiter inside quotes, and gets its bytes back before anything else
 * sees it (winnow_csv_parse_thread_on_field()). Blocks end on whole
 * characters, so a delimiter is never cut in two.
 */
#pragma once

#include <csv.h>

#include "winnow-csv-reader.h"
#include "winnow-text-decoder.h"

G_BEGIN_DECLS

/* Bytes per read. A read of 256 KiB costs a few microseconds more than
 * one of 1 MiB for every 1 MiB read; each parse thread's buffer is memory
 * touched for the first time, which costs more: 1 MiB buffers cost R0 on
 * the 1M file about 380 more page faults, 2 % of its time. */
#define READ_SIZE WINNOW_CSV_READ_AHEAD
#define CHECK_EVERY (64u * 1024)        /* cancellation is checked this often */
#define CHUNK_SIZE (2u << 20)         /* the default */
#define BATCHES_PER_THREAD 4
#define MAX_BAD_LINES_LISTED 100
#define DELIMITER_STAND_IN 0xFF         /* never a byte of UTF-8 text */

/* libcsv's options: strict, and strict about a quote never closed.
 * parse_segment() turns strict mode off for one byte at a time. */
#define PARSER_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

/* libcsv's parser states (its header does not name them). */
#define STATE_ROW_NOT_BEGUN 0
#define STATE_FIELD_BEGUN 2

typedef enum {
  SLOT_UNCLAIMED,
  SLOT_RUNNING,    /* a thread parses it and will push its end marker */
  SLOT_DONE,       /* parsed to its end; the marker is queued */
  SLOT_ABANDONED,  /* stopped early, absorbed; the marker is queued */
  SLOT_SKIPPED,    /* absorbed before anyone claimed it: never parsed */
  SLOT_DRAINED,    /* its queue is empty and nothing more will come */
} SlotState;

/* The fields of a line with quotes (parse_quoted_line()): where each
 * starts in the line, its length, and whether it holds doubled quotes. */
typedef struct {
  guint32 start;
  guint32 length;
  gboolean doubled;
} LineField;

/* A chunk stopped by the task's GCancellable. */
#define CHUNK_CANCELLED ((WinnowCsvError) 1000)

/* Sub-kinds of a chunk error, kept in ChunkError.expected. */
enum { QUOTE_AFTER_CLOSE, QUOTE_NEVER_CLOSED };
enum { TOO_LARGE_FIELD, TOO_LARGE_ROW };

/* A failure found by a thread, with a chunk-local line number: it becomes
 * an error only if its chunk turns out to be the real parse. */
typedef struct {
  gboolean set;
  WinnowCsvError code;
  guint64 line;
  guint expected;
  guint saw;
  guint8 byte;
  char *message;   /* complete message, for failures without a line */
} ChunkError;

typedef struct {
  guint index;
  guint64 start;              /* raw offset of its first byte */
  guint64 end;                /* raw offset where its parse ended */
  GAsyncQueue *queue;         /* batches, then the end marker */
  SlotState state;            /* under reader->lock */
  gboolean pinned;            /* under reader->lock: the chunk being handed
                               * out, so its start is known to be right and
                               * no absorbing may stop it */
  gint absorbed;              /* atomic: an earlier chunk's parse covers it
                               * (that parse may itself be a wrong guess) */
  guint absorbed_through;     /* the last chunk this one's parse covered */
  guint64 lines;              /* line ends between start and end */
  guint64 rows;
  guint64 bad_lines;
  GArray *bad_list;           /* of WinnowBadLine, chunk-local lines */
  ChunkError error;
} Slot;

typedef struct {
  WinnowCsvReader *reader;
  guint id;
  GThread *gthread;

  /* bytes: raw[0..raw_len) read, raw[0..raw_used) turned into text */
  guint64 read_pos;           /* file offset of the next read */
  guint64 read_limit;         /* reads stop here */
  guint8 *raw;
  gsize raw_len;
  gsize raw_used;
  gboolean eof;
  WinnowTextDecoder *decoder; /* NULL for UTF-8 */
  GByteArray *decoded;
  char *text;                 /* UTF-8; writable for DELIMITER_STAND_IN */
  gsize text_len;
  gsize text_pos;
  gssize next_quote;          /* where the next quote, CR or LF of the text is */
  gssize next_cr;             /* (-1: not looked for yet; see winnow_csv_next_byte()) */
  gssize next_lf;
  gsize since_check;

  struct csv_parser parser;
  gboolean parser_ready;
  guint64 line;
  guint64 row_start_line;
  guint64 quote_line;
  guint64 fields_done;
  guint field_index;

  GByteArray *blanks;         /* spaces and tabs that began a row, held
                               * back until the line shows whether it is
                               * blank (see skip_blank_line()) */

  GByteArray *field;          /* a field with its delimiters given back */
  GArray *line_fields;        /* of LineField: parse_quoted_line() */

  gboolean in_first_row;
  gboolean row_plain;         /* the row being ended was a line without a
                               * quote, split here (winnow-csv-parse-lines.c) */
  GPtrArray *first_row;
  guint64 first_row_line;

  ChunkError open_error;      /* failures before the first chunk runs */
  Slot *slot;
  WinnowRowBatch *batch;
  GArray *row_replaced;       /* of guint: the columns replaced in the row
                               * being parsed, to take back if it is a bad
                               * line */
  GAsyncQueue *pool;          /* this thread's free batches */
  GPtrArray *batches;
  gboolean redoing;           /* the reader's redo thread: it takes a
                               * place in the budget without waiting */
  gboolean stop;
  gboolean holds_extra;       /* an extra thread's place in the budget */
  gboolean holds_base;        /* the base thread's place */
} ParseThread;

struct _WinnowCsvReader {
  char *path;
  char *display_name;
  int fd;
  guint64 size;
  gint64 mtime;
  GCancellable *cancellable;
  WinnowCsvReaderOptions options;
  gboolean auto_encoding;
  char *encoding_name;
  gunichar delimiter;
  char delimiter_utf8[8];
  guint delimiter_length;     /* bytes of delimiter_utf8 */
  guint8 parse_delimiter;     /* the byte libcsv takes: the delimiter, or
                               * DELIMITER_STAND_IN past ASCII */
  char line_end;
  guint64 chunk_size;
  guint64 estimated_rows;
  guint n_columns;
  GPtrArray *column_names;

  gboolean keep_raw;          /* batches keep rows as read, bad lines too */
  guint held_batches;         /* the caller keeps this many besides (pipeline) */
  WinnowBatchPrepareFunc prepare;  /* on the parse threads, or NULL */
  gpointer prepare_data;

  /* set by start() */
  const gint *column_map;
  guint n_kept;
  const WinnowTextSet *na;
  gboolean trim;
  WinnowFieldReplace * const *replace;  /* per kept column, or NULL */

  ParseThread **threads;
  guint n_threads;
  WinnowThreadBudget *budget; /* thread 0 is the task's base thread, the
                               * others extras (winnow-thread-budget.h) */
  gint wake_extras;           /* atomic: extras waiting for a place look at
                               * the reader again (update_wake_extras()) */
  Slot *slots;
  guint n_slots;
  GMutex lock;
  GCond cond;
  guint next_slot;            /* the next to claim */
  guint current;              /* the one being handed out */
  GQueue redo;                /* chunks to parse again (of GUINT_TO_POINTER) */
  ParseThread *redo_thread;   /* the one thread that parses them */
  gboolean done;              /* no more chunks will be needed */
  gboolean extra_claimed;     /* an extra thread claimed a chunk */
  gint abort;
  gboolean started;
  gboolean finished;

  /* totals over the chunks handed out */
  guint64 rows;
  guint64 bad_lines;
  guint64 rows_handed;
  guint64 line_base;          /* file line of the current chunk's first line */
  GArray *bad_line_list;
  GError *error;
};

/* winnow-csv-parse-thread.c */
void            winnow_csv_parse_thread_on_field        (void *data,
                                                         size_t length,
                                                         void *user_data);
void            winnow_csv_parse_thread_on_row          (int c,
                                                         void *user_data);
void            winnow_csv_parse_thread_store_field     (ParseThread *thread,
                                                         guint column,
                                                         const char *text,
                                                         gsize length);
void            winnow_csv_parse_thread_parse_first_row (ParseThread *thread);
void            winnow_csv_parse_thread_run_slot        (ParseThread *thread,
                                                         Slot *slot,
                                                         gboolean fresh);
WinnowRowBatch *winnow_csv_end_marker                   (void);

/* winnow-csv-parse-lines.c */
gboolean        winnow_csv_parse_thread_split_line      (ParseThread *thread,
                                                         char *p,
                                                         gsize seg);

/* A space or a tab that is not the delimiter (a blank line holds only
 * these: skip_blank_line() in winnow-csv-parse-thread.c). */
static inline gboolean
winnow_csv_is_blank (char c, char delimiter)
{
  return (c == ' ' || c == '\t') && c != delimiter;
}

/* Where the next @byte of the text is, at or after @from (the text's
 * length if there is none); @cached remembers the last answer, so a byte
 * that occurs rarely is searched for once, not once per line. */
static inline gsize
winnow_csv_next_byte (const ParseThread *thread, gssize *cached, char byte, gsize from)
{
  if (*cached < (gssize) from)
    {
      const char *hit = memchr (thread->text + from, byte, thread->text_len - from);
      *cached = (gssize) (hit ? (gsize) (hit - thread->text) : thread->text_len);
    }
  return (gsize) *cached;
}

/* winnow-csv-parse-state.c */
ParseThread    *winnow_csv_parse_thread_new             (WinnowCsvReader *reader,
                                                         guint id);
void            winnow_csv_parse_thread_free            (ParseThread *thread);
void            winnow_csv_parse_thread_init_parser     (ParseThread *thread);
guint64         winnow_csv_parse_thread_count_lines     (const ParseThread *thread,
                                                         const char *text,
                                                         gsize length);
ChunkError     *winnow_csv_parse_thread_fail            (ParseThread *thread,
                                                         WinnowCsvError code,
                                                         guint64 line);
void            winnow_csv_parse_thread_fail_message    (ParseThread *thread,
                                                         WinnowCsvError code,
                                                         const char *message);

/* winnow-csv-parse-input.c */
gboolean        winnow_csv_parse_thread_read_more       (ParseThread *thread);
gboolean        winnow_csv_parse_thread_read_first      (ParseThread *thread);
void            winnow_csv_parse_thread_decode          (ParseThread *thread);

/* winnow-csv-reader-chunks.c */
void            winnow_csv_reader_step_back             (WinnowCsvReader *reader,
                                                         ParseThread *thread);

/* winnow-csv-reader.c */
void            chunk_error_set                         (ChunkError *error,
                                                         WinnowCsvError code,
                                                         guint64 line);
void            chunk_error_clear                       (ChunkError *error);
gboolean        winnow_csv_reader_changed               (WinnowCsvReader *reader);
GError         *winnow_csv_chunk_error_to_gerror        (WinnowCsvReader *reader,
                                                         const ChunkError *error,
                                                         guint64 line_base);

/* winnow-csv-reader-chunks.c, for the parse threads */
guint64         winnow_csv_reader_boundary              (WinnowCsvReader *reader,
                                                         guint index);
void            winnow_csv_reader_absorb                (WinnowCsvReader *reader,
                                                         guint index);
gboolean        winnow_csv_reader_abandon               (WinnowCsvReader *reader,
                                                         Slot *slot);
void            winnow_csv_reader_slot_done             (WinnowCsvReader *reader,
                                                         Slot *slot);

G_END_DECLS
