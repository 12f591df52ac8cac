/* test-reader-threads.c: the reader's parse threads among themselves
 * and with their caller: tasks share the cores through one budget, the
 * prepare function runs on the parse threads, a caller that holds
 * batches still gets the whole file, and a chunk parsed again is parsed
 * however few batches a thread has, even while every parse thread waits
 * for batches queued after it. The rows are always those of a
 * sequential parse. */
#include "config.h"

#include <string.h>

#include "reader-util.h"
#include "winnow-thread-budget-private.h"

/* as many batches as a parse thread starts with (BATCHES_PER_THREAD) */
#define HELD 4

/* Two readers of four parse threads each, at once, on one budget. */
typedef struct {
  const char *path;
  ReadSetup setup;
  char *got;
} SharedRead;

static gpointer
shared_read (gpointer data)
{
  SharedRead *read = data;

  read->got = dump (read->path, &read->setup);
  return NULL;
}

static void
read_two_at_once (const char *path, WinnowThreadBudget *budget, const char *expected)
{
  SharedRead reads[2] = {
    { path, { 64, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL }, NULL },
    { path, { 257, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL }, NULL },
  };
  GThread *threads[2];

  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("test-read", shared_read, &reads[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpstr (reads[i].got, ==, expected);
      g_free (reads[i].got);
    }
}

/* Tasks share the cores through one budget (winnow-thread-budget.h):
 * extra parse threads wait for a place, and the rows are the same. */
static void
test_chunks_budget (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GString) plain = g_string_new ("a,b,c\n");
  g_autofree char *plain_path = NULL;
  ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_SKIP };
  g_autofree char *expected = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (plain, "%u,w%u,%u\n", i, i % 97, i * 7);
  plain_path = winnow_test_write_file (fixture->dir, "plain.csv", plain->str, -1);
  expected = dump (plain_path, &sequential);

  for (guint capacity = 1; capacity <= 3; capacity++)
    {
      g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (capacity);
      ReadSetup alone = { 64, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL };
      g_autofree char *got = dump (plain_path, &alone);

      /* one task: never more than the budget */
      g_assert_cmpstr (got, ==, expected);
      g_assert_cmpuint (winnow_thread_budget_take_peak (budget), <=, capacity);
      g_assert_cmpuint (winnow_thread_budget_take_peak (budget), ==, 0);

      /* two: each has its base thread, the extras only the room left */
      read_two_at_once (plain_path, budget, expected);
      g_assert_cmpuint (winnow_thread_budget_take_peak (budget), <=, MAX (capacity, 2));
    }

  /* An extra thread that takes the only place before the base thread
   * and claims chunks ahead until it has no batch left waits for the
   * chunks before them, which the base thread must parse: it gives its
   * place back while it waits (it kept it, and both waited for ever). */
  {
    g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (1);
    ReadSetup extra_first = { 64, 4, WINNOW_BAD_LINES_SKIP, 0, budget, NULL, FALSE, TRUE };
    g_autofree char *got = dump (plain_path, &extra_first);

    g_assert_cmpstr (got, ==, expected);
    g_assert_cmpuint (winnow_thread_budget_take_peak (budget), <=, 1);
  }

  /* Quoted fields across chunks: chunks parsed again from a wrong guess
   * are parsed even when the budget has no room for an extra. */
  for (guint32 seed = 30; seed <= 32; seed++)
    {
      g_autofree char *csv = random_csv (seed, 400, TRUE);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      g_autofree char *rows = dump (path, &sequential);
      g_autoptr(WinnowThreadBudget) budget = winnow_thread_budget_new (1);

      read_two_at_once (path, budget, rows);
    }
}

typedef struct {
  GThread *consumer;
  gint rows;            /* atomic: rows prepared */
  gint on_consumer;     /* atomic: batches prepared on the consumer's thread */
} PrepareCount;

static void
count_prepared (WinnowRowBatch *batch, gpointer data)
{
  PrepareCount *count = data;

  g_assert_cmpuint (batch->n_rows, >, 0);
  g_atomic_int_add (&count->rows, (gint) batch->n_rows);
  if (g_thread_self () == count->consumer)
    g_atomic_int_inc (&count->on_consumer);
  /* marks the batch, as the cleaner's digests do */
  batch->has_row_digests = TRUE;
}

/* A reader of @path in chunks of @chunk_size on @threads parse threads,
 * not started. */
static WinnowCsvReader *
open_chunked (const char *path, guint threads, gsize chunk_size)
{
  WinnowCsvReaderOptions options = options_for (NULL);
  g_autoptr(GError) error = NULL;
  WinnowCsvReader *reader;

  options.chunk_size = chunk_size;
  options.n_threads = threads;
  reader = winnow_csv_reader_open (path, &options, NULL, &error);
  g_assert_no_error (error);
  return reader;
}

/* Starts @reader on the four columns of random_csv(), with the empty
 * field as the only NA value; the set returned must outlive the reading
 * (the reader keeps it, and the column map, as it is given them). */
static WinnowTextSet *
start_four_columns (WinnowCsvReader *reader)
{
  static const gint map[4] = { 0, 1, 2, 3 };
  WinnowTextSet *na = winnow_text_set_new ((const char *[]) { "" }, 1);

  winnow_csv_reader_start (reader, map, 4, na, FALSE);
  return na;
}

/* The prepare function runs on the parse threads, once for every batch
 * of rows, before the batch is handed out. */
static void
test_chunks_prepare (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = random_csv (50, 400, FALSE);
  g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);

  for (guint threads = 1; threads <= 3; threads += 2)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WinnowCsvReader) reader = open_chunked (path, threads, 257);
      g_autoptr(WinnowTextSet) na = NULL;
      PrepareCount count = { g_thread_self (), 0, 0 };
      WinnowRowBatch *batch;
      guint64 rows = 0;

      winnow_csv_reader_set_prepare (reader, count_prepared, &count);
      na = start_four_columns (reader);
      while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
        {
          g_assert_true (batch->has_row_digests);
          rows += batch->n_rows;
          winnow_csv_reader_recycle (reader, batch);
        }
      g_assert_true (winnow_csv_reader_finish (reader, &error));
      g_assert_cmpuint (rows, ==, winnow_csv_reader_get_rows (reader));
      g_assert_cmpint (g_atomic_int_get (&count.on_consumer), ==, 0);
      /* a chunk parsed from a wrong guess is prepared too, then dropped */
      g_assert_cmpuint ((guint64) g_atomic_int_get (&count.rows), >=, rows);
    }
}

/* A caller that keeps batches before it gives them back (the write
 * pass's pipeline) says how many, and the reader gives each parse thread
 * as many more: here every batch a thread starts with is held at once,
 * and the file is still read to its end (without
 * winnow_csv_reader_hold_batches() the one thread would wait for a batch
 * while the caller waits for its next one). */
/* Reads the first @n_columns (at most 4) of @path on @threads threads,
 * holding HELD batches as the write pass does; stops (frees the reader,
 * still holding them) after @stop_after batches, or reads it all (0).
 * Returns the rows read; *@n_batches: the batches. */
static guint64
read_holding (const char *path, guint threads, gsize chunk, guint n_columns, guint stop_after,
              guint *n_batches)
{
  static const gint map[4] = { 0, 1, 2, 3 };
  /* freed after the reader, whose threads read it */
  g_autoptr(WinnowTextSet) na = winnow_text_set_new ((const char *[]) { "" }, 1);
  g_autoptr(WinnowCsvReader) reader = open_chunked (path, threads, chunk);
  g_autoptr(GQueue) held = g_queue_new ();
  g_autoptr(GError) error = NULL;
  WinnowRowBatch *batch;
  guint64 rows = 0;
  guint batches = 0;

  winnow_csv_reader_hold_batches (reader, HELD);
  g_assert_cmpuint (n_columns, <=, G_N_ELEMENTS (map));
  winnow_csv_reader_start (reader, map, n_columns, na, FALSE);
  while ((batch = winnow_csv_reader_next_batch (reader)) != NULL)
    {
      rows += batch->n_rows;
      g_queue_push_tail (held, batch);
      if (g_queue_get_length (held) > HELD)
        winnow_csv_reader_recycle (reader, g_queue_pop_head (held));
      *n_batches = ++batches;
      if (batches == stop_after)
        return rows;  /* the reader is freed with batches held */
    }
  while (!g_queue_is_empty (held))
    winnow_csv_reader_recycle (reader, g_queue_pop_head (held));
  g_assert_true (winnow_csv_reader_finish (reader, &error));
  g_assert_cmpuint (rows, ==, winnow_csv_reader_get_rows (reader));
  return rows;
}

static void
test_chunks_held_batches (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *csv = random_csv (51, 80000, FALSE);
  g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);

  for (guint threads = 1; threads <= 3; threads += 2)
    {
      guint batches = 0;

      read_holding (path, threads, 64 * 1024, 4, 0, &batches);
      g_assert_cmpuint (batches, >, 2 * HELD);
    }
}

/* A chunk parsed again (a wrong guess had covered it) is the one handed
 * out, so it must never wait for a batch that waits in a chunk after it:
 * the thread that takes it may have all of its own batches there. With
 * one batch per thread that is the usual case, not a rare one. */
static void
test_chunks_redo_few_batches (WinnowTestDir *fixture, gconstpointer data)
{
  static const gsize chunk_sizes[] = { 64, 257 };

  for (guint32 seed = 60; seed <= 64; seed++)
    {
      g_autofree char *csv = random_csv (seed, 300, seed % 2 == 0);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      WinnowBadLines bad_lines = seed % 2 == 0 ? WINNOW_BAD_LINES_SKIP : WINNOW_BAD_LINES_ERROR;
      ReadSetup sequential = { 1 << 30, 1, bad_lines };
      g_autofree char *expected = dump (path, &sequential);

      for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
        for (guint w = 2; w <= 4; w += 2)
          for (guint round = 0; round < 4; round++)
            {
              ReadSetup setup = { chunk_sizes[c], w, bad_lines };
              g_autofree char *got = NULL;

              setup.batches_per_thread = 1;
              got = dump (path, &setup);
              if (g_strcmp0 (got, expected) != 0)
                g_test_message ("seed %u, chunk size %" G_GSIZE_FORMAT ", %u parse threads",
                                seed, chunk_sizes[c], w);
              g_assert_cmpstr (got, ==, expected);
            }
    }
}

/* Appends short rows, the last one padded, so that byte @at of the file
 * is a line end: a chunk that starts at @at starts just after it
 * (winnow_csv_reader_boundary()). */
static void
rows_up_to (GString *s, gsize at)
{
  while (at - s->len > 20)
    g_string_append (s, "1,2,3\n");
  g_string_append (s, "1,2,");
  while (s->len < at)
    g_string_append_c (s, '3');
  g_string_append_c (s, '\n');
  g_assert_cmpint (s->str[at], ==, '\n');
}

/* Rows of 200 bytes, each opening with a quoted field if @quoted. */
static void
long_rows_up_to (GString *s, gsize end, gboolean quoted)
{
  while (s->len < end)
    {
      g_string_append (s, quoted ? "\"q\"," : "q,");
      for (guint i = 0; i < 200; i++)
        g_string_append_c (s, 'B');
      g_string_append (s, ",3\n");
    }
}

/* A file's first chunk, and its second, all inside a quoted field whose
 * only line end is the second chunk's first: that chunk's start is
 * guessed wrong, at the field's closing quote. */
static GString *
quoted_over_chunk_one (gsize chunk)
{
  GString *s = g_string_new ("a,b,c\n");

  rows_up_to (s, chunk - 100);
  g_string_append (s, "x,\"");
  while (s->len < 2 * chunk - 50)
    g_string_append_c (s, 'A');
  g_string_append (s, "\n\",y\n");
  return s;
}

/* A file whose chunk 1 is guessed wrong: a quoted field runs from chunk
 * 0 over the whole of chunk 1, whose first line end is inside it. Chunk
 * 1's parse, inside a "quote" from there, covers chunk 2 (and with
 * @chain chunk 3 too, through unquoted long rows); chunk 0's parse ends
 * at chunk 2, which is then parsed again (and with @chain, chunk 3
 * after it). Then come chunks of short rows, more than a parse thread's
 * batches hold. */
static char *
wrong_guess_csv (gsize chunk, gboolean chain)
{
  GString *s = quoted_over_chunk_one (chunk);

  rows_up_to (s, 2 * chunk);
  if (chain)
    {
      long_rows_up_to (s, 3 * chunk - 300, FALSE);
      rows_up_to (s, 3 * chunk);
    }
  long_rows_up_to (s, (chain ? 4 : 3) * chunk + 1000, TRUE);
  while (s->len < 12 * chunk)
    g_string_append (s, "1,2,3\n");
  return g_string_free (s, FALSE);
}

/* Like wrong_guess_csv() without the chain, but the chunk parsed again
 * holds many batches of rows: the redo thread itself waits for free
 * batches, which the caller may be holding. */
static char *
big_redo_csv (gsize chunk)
{
  GString *s = quoted_over_chunk_one (chunk);

  rows_up_to (s, 3 * chunk - 3000);
  long_rows_up_to (s, 3 * chunk + 1000, TRUE);
  while (s->len < 12 * chunk)
    g_string_append (s, "1,2,3\n");
  return g_string_free (s, FALSE);
}

/* A chunk to be parsed again while every parse thread waits for a free
 * batch, its batches all queued in chunks after that one: no parse
 * thread will come back for it (the redo thread parses it). Found by a
 * review; it hung every time, with the default batches, on 2 threads
 * (the chain) and on 4. */
static void
test_chunks_redo_while_all_wait (WinnowTestDir *fixture, gconstpointer data)
{
  const gsize chunk = 256 * 1024;

  for (guint kind = 0; kind < 3; kind++)
    {
      g_autofree char *csv = kind < 2 ? wrong_guess_csv (chunk, kind == 1) : big_redo_csv (chunk);
      g_autofree char *path = winnow_test_write_file (fixture->dir, "r.csv", csv, -1);
      ReadSetup sequential = { 1 << 30, 1, WINNOW_BAD_LINES_ERROR };
      g_autofree char *expected = dump (path, &sequential);
      guint threads = kind == 1 ? 2 : 4;
      guint batches = 0;
      guint64 rows;

      g_assert_nonnull (strstr (expected, "\nrows "));  /* read whole */
      for (guint round = 0; round < 3; round++)
        {
          ReadSetup setup = { chunk, threads, WINNOW_BAD_LINES_ERROR };
          g_autofree char *got = dump (path, &setup);

          g_assert_cmpstr (got, ==, expected);
        }
      /* the caller holds batches, and stops at the chunk parsed again,
       * before it, and after it */
      rows = read_holding (path, threads, chunk, 3, 0, &batches);
      g_assert_cmpuint (rows, ==, g_ascii_strtoull (strstr (expected, "\nrows ") + 6, NULL, 10));
      for (guint stop = 1; stop < 40; stop += 3)
        g_assert_cmpuint (read_holding (path, threads, chunk, 3, stop, &batches), <, rows);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/reader/chunks/budget", test_chunks_budget);
  ADD ("/reader/chunks/prepare", test_chunks_prepare);
  ADD ("/reader/chunks/held-batches", test_chunks_held_batches);
  ADD ("/reader/chunks/redo-few-batches", test_chunks_redo_few_batches);
  ADD ("/reader/chunks/redo-while-all-wait", test_chunks_redo_while_all_wait);
#undef ADD

  return g_test_run ();
}
