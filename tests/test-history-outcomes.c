/* test-history-outcomes.c: a task whose output was written whole while
 * the history could not take its end, for longer than the scheduler waits
 * (docs/ARCHITECTURE.md, "Outcomes kept for later"): the end is kept in a
 * file beside the history and recorded by the next recovery, in the same
 * process or another one, after that process has gone too. Real SQLite
 * locks and a real batch run; no sleep stands in for waiting on a thread.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include "history-util.h"

/* How many files of @suffix wait beside the history. */
static guint
kept_files (Fixture *f, const char *suffix)
{
  g_autofree char *real = realpath (f->db, NULL);
  g_autofree char *dir = g_strconcat (real ? real : f->db, "-outcomes", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, suffix))
      n++;
  return n;
}

static guint
kept_outcomes (Fixture *f)
{
  return kept_files (f, ".outcome");
}

static guint
kept_deletions (Fixture *f)
{
  return kept_files (f, ".deletion");
}

static void
recover (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  winnow_task_store_recover_expired (f->store, NULL, &error);
  g_assert_no_error (error);
}

/* Warnings about kept files that are not outcomes: counted, not fatal
 * (their order is the folder's). */
static gboolean
junk_is_not_fatal (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  return !(g_strcmp0 (domain, "db") == 0 && strstr (message, "not an outcome to record") != NULL);
}

static void
count_junk (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (strstr (message, "not an outcome to record") != NULL)
    (*(guint *) data)++;
  else
    g_log_default_handler (domain, level, message, NULL);
}

/* The store alone: an end kept for later is recorded by the next
 * recovery, as it ended (result, rows, message), while the task is still
 * held by the owner that kept it (or, never started, still waits in its
 * batch run); a file that no longer matches its task, or that is not an
 * outcome, goes without changing anything, and never makes it wait. */
static void
test_store (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();
  g_autoptr(WinnowTask) a = NULL;
  g_autoptr(WinnowTask) b = NULL;
  g_autoptr(WinnowTask) c = NULL;
  g_autoptr(WinnowTask) d = NULL;
  g_autoptr(WinnowTask) cancelled = NULL;
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(WinnowTask) done = NULL;
  g_autoptr(WinnowTask) failed = NULL;
  g_autoptr(WinnowTask) untouched = NULL;
  g_autoptr(WinnowTaskStore) other = NULL;
  g_autofree char *junk = NULL;
  g_autofree char *pipe = NULL;
  g_autofree char *other_task = NULL;
  g_autofree char *bad_rows = NULL;
  g_autofree char *old_temporary = NULL;
  g_autofree char *new_temporary = NULL;
  guint junk_warnings = 0;
  guint handler;
  g_autofree char *dir = g_strconcat (f->db, "-outcomes", NULL);
  /* they ended a minute before they are recorded */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) ended = g_date_time_add_minutes (now, -1);
  g_autofree char *ended_text = winnow_store_format_time (ended);
  g_autofree char *finished_text = NULL;

  a = winnow_task_store_add (f->store, "/data/a.csv", "/data/a.out.csv", "{\"winnow_recipe\": 1}",
                             FALSE, &error);
  g_assert_no_error (error);
  b = winnow_task_store_add (f->store, "/data/b.csv", "/data/b.out.csv", "{\"winnow_recipe\": 1}",
                             FALSE, &error);
  g_assert_no_error (error);
  c = winnow_task_store_add (f->store, "/data/c.csv", "/data/c.out.csv", "{\"winnow_recipe\": 1}",
                             FALSE, &error);
  g_assert_no_error (error);

  /* both claimed first: a claim's recovery would record what is kept */
  claimed = claim_as (f, "worker-a", WINNOW_LEASE_MS, NULL);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (a));
  g_clear_object (&claimed);
  claimed = claim_as (f, "worker-b", WINNOW_LEASE_MS, NULL);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (b));
  result->rows_read = 10;
  result->rows_written = 7;
  g_free (result->summary);
  result->summary = g_strdup ("{\"duplicates_removed\": 3}");
  g_free (result->columns);
  result->columns = g_strdup ("[{\"name\": \"a\\nb\"}]");
  g_free (result->preview);
  result->preview = g_strdup ("{\"header\": [\"a\"], \"rows\": [[\"x\"]]}");
  g_assert_true (winnow_task_store_defer_outcome (f->store, winnow_task_get_id (a), "worker-a", NULL,
                                                  WINNOW_TASK_COMPLETED, NULL, result, ended,
                                                  &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_defer_outcome (f->store, winnow_task_get_id (b), "worker-b", NULL,
                                                  WINNOW_TASK_FAILED, "the input went away", NULL,
                                                  ended, &error));
  g_assert_no_error (error);
  /* a stale one: c is PENDING, never held by this owner */
  g_assert_true (winnow_task_store_defer_outcome (f->store, winnow_task_get_id (c), "worker-c", NULL,
                                                  WINNOW_TASK_CANCELLED, NULL, NULL, ended,
                                                  &error));
  g_assert_no_error (error);
  /* d, queued by a batch run and never started, cancelled by its Ctrl-C */
  {
    const WinnowTaskSpec spec = { "/data/d.csv", "/data/d.out.csv", "{\"winnow_recipe\": 1}", FALSE };
    g_autoptr(GPtrArray) added = winnow_task_store_add_many (f->store, &spec, 1, "run-x", 60000,
                                                             &error);
    g_assert_no_error (error);
    d = g_object_ref (g_ptr_array_index (added, 0));
  }
  g_assert_true (winnow_task_store_defer_outcome (f->store, winnow_task_get_id (d), NULL, "run-x",
                                                  WINNOW_TASK_CANCELLED, NULL, NULL, ended,
                                                  &error));
  g_assert_no_error (error);

  /* what is not an outcome: no task in it, a pipe (opened without
   * waiting), another task's end under this one's name, rows that cannot
   * be; temporary files, one left by a process that died an hour ago */
  junk = g_build_filename (dir, "99-00000000.outcome", NULL);
  g_assert_true (g_file_set_contents (junk, "[outcome]\ntask=what\n", -1, NULL));
  pipe = g_build_filename (dir, "77-00000000.outcome", NULL);
  g_assert_cmpint (mkfifo (pipe, 0600), ==, 0);
  other_task = g_build_filename (dir, "5-00000000.outcome", NULL);
  g_assert_true (g_file_set_contents (other_task, "[outcome]\ntask=1\nowner=worker-a\n"
                                      "status=FAILED\n", -1, NULL));
  bad_rows = g_build_filename (dir, "1-00000001.outcome", NULL);
  g_assert_true (g_file_set_contents (bad_rows, "[outcome]\ntask=1\nowner=worker-a\n"
                                      "status=COMPLETED\nrows-read=-3\nrows-written=0\n"
                                      "summary={}\ncolumns=[]\npreview={}\n", -1, NULL));
  old_temporary = g_build_filename (dir, "1-00000002.outcome.Ab12Cd", NULL);
  g_assert_true (g_file_set_contents (old_temporary, "[outc", -1, NULL));
  {
    struct utimbuf long_ago = { time (NULL) - 2 * 3600, time (NULL) - 2 * 3600 };
    g_assert_cmpint (g_utime (old_temporary, &long_ago), ==, 0);
  }
  new_temporary = g_build_filename (dir, "1-00000003.outcome.Ef34Gh", NULL);
  g_assert_true (g_file_set_contents (new_temporary, "[outc", -1, NULL));
  g_assert_cmpuint (kept_outcomes (f), ==, 8);

  /* nothing recorded yet: kept outcomes are not the history */
  g_clear_object (&done);
  done = reread (f, winnow_task_get_id (a));
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_PROCESSING);

  /* the next process to open the history records them, at open */
  g_test_log_set_fatal_handler (junk_is_not_fatal, NULL);
  handler = g_log_set_handler ("db", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                               count_junk, &junk_warnings);
  other = winnow_task_store_new (f->db, &error);
  g_assert_no_error (error);
  g_log_remove_handler ("db", handler);
  g_test_log_set_fatal_handler (NULL, NULL);
  g_assert_cmpuint (junk_warnings, ==, 4);
  g_assert_false (g_file_test (pipe, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_temporary, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_temporary, G_FILE_TEST_EXISTS));
  g_clear_object (&done);
  done = reread (f, winnow_task_get_id (a));
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpint (winnow_task_get_rows_in (done), ==, 10);
  g_assert_cmpint (winnow_task_get_rows_out (done), ==, 7);
  g_assert_null (winnow_task_get_lease_owner (done));
  g_assert_nonnull (winnow_task_get_result (done));
  g_assert_true (winnow_task_result_equal (winnow_task_get_result (done), result));
  g_assert_nonnull (winnow_task_get_finished (done));
  finished_text = winnow_store_format_time (winnow_task_get_finished (done));
  g_assert_cmpstr (finished_text, ==, ended_text);
  failed = reread (f, winnow_task_get_id (b));
  g_assert_cmpint (winnow_task_get_status (failed), ==, WINNOW_TASK_FAILED);
  g_assert_cmpstr (winnow_task_get_error (failed), ==, "the input went away");
  untouched = reread (f, winnow_task_get_id (c));
  g_assert_cmpint (winnow_task_get_status (untouched), ==, WINNOW_TASK_PENDING);
  cancelled = reread (f, winnow_task_get_id (d));
  g_assert_cmpint (winnow_task_get_status (cancelled), ==, WINNOW_TASK_CANCELLED);
  /* the stale one and the junk went; the three recorded ones wait for
   * the next recovery, which finds them recorded and removes them */
  g_assert_cmpuint (kept_outcomes (f), ==, 3);
  recover (f);
  g_assert_cmpuint (kept_outcomes (f), ==, 0);
  g_clear_object (&done);
  done = reread (f, winnow_task_get_id (a));
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
  g_assert_true (winnow_task_result_equal (winnow_task_get_result (done), result));

  /* a file being written keeps the folder; once empty, it goes, and the
   * next end kept for later makes it again */
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_unlink (new_temporary), ==, 0);
  recover (f);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (winnow_task_store_defer_outcome (f->store, winnow_task_get_id (c), "worker-c", NULL,
                                                  WINNOW_TASK_CANCELLED, NULL, NULL, ended,
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kept_outcomes (f), ==, 1);
  recover (f);  /* stale: c is PENDING, never held by worker-c */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* A kept end that cannot be read now (no file descriptor left, as for a
 * file of another user) holds its task: the recovery neither records nor
 * fails it, and once the file can be read, the next one records it. */
static void
test_held (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();
  g_autoptr(WinnowTask) a = NULL;
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(WinnowTask) held = NULL;
  g_autoptr(WinnowTask) done = NULL;
  g_autoptr(GDateTime) ended = g_date_time_new_now_utc ();
  g_autoptr(GArray) fillers = g_array_new (FALSE, FALSE, sizeof (int));
  int fd;

  a = winnow_task_store_add (f->store, "/data/a.csv", "/data/a.out.csv", "{\"winnow_recipe\": 1}",
                             FALSE, &error);
  g_assert_no_error (error);
  claimed = claim_as (f, "worker-a", WINNOW_LEASE_MS, NULL);
  g_assert_true (winnow_task_store_defer_outcome (f->store, winnow_task_get_id (a), "worker-a", NULL,
                                                  WINNOW_TASK_COMPLETED, NULL, result, ended,
                                                  &error));
  g_assert_no_error (error);
  expire_leases (f);
  /* the store's connection is open; every other descriptor is taken */
  held = reread (f, winnow_task_get_id (a));
  g_clear_object (&held);
  while ((fd = open ("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
    g_array_append_val (fillers, fd);
  g_assert_cmpint (errno, ==, EMFILE);
  /* not even the folder can be read: no task is recovered */
  g_test_expect_message ("db", G_LOG_LEVEL_WARNING, "*cannot be read*no task is recovered*");
  recover (f);
  g_test_assert_expected_messages ();
  /* the folder, but not the file: its task is held */
  close (g_array_index (fillers, int, fillers->len - 1));
  g_array_set_size (fillers, fillers->len - 1);
  g_test_expect_message ("db", G_LOG_LEVEL_WARNING, "*cannot be recorded now*its task waits for it*");
  recover (f);
  g_test_assert_expected_messages ();
  for (guint i = 0; i < fillers->len; i++)
    close (g_array_index (fillers, int, i));

  held = reread (f, winnow_task_get_id (a));
  g_assert_cmpint (winnow_task_get_status (held), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpuint (kept_outcomes (f), ==, 1);
  recover (f);
  done = reread (f, winnow_task_get_id (a));
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
}

static const char dedupe[] = "{\"winnow_recipe\": 1, \"drop_duplicates\": {}}";

/* Adds a task of "in.csv" (3 rows, one a duplicate) to @scheduler, holds
 * its worker until another program holds the history's lock, then lets
 * it clean: the lock is returned, for the caller to release. */
static sqlite3 *
clean_under_lock (Fixture *f, WinnowScheduler *scheduler, WinnowTestGate *gate,
                  const char *out, WinnowTask **task)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a\n1\n1\n2\n", -1);
  g_autoptr(GError) error = NULL;
  sqlite3 *lock;

  winnow_test_gate_init (gate);
  winnow_scheduler_set_run_hook (scheduler, gate_hook, gate);
  *task = winnow_scheduler_add (scheduler, in, out, dedupe, FALSE, &error);
  g_assert_no_error (error);
  winnow_test_iterate_until (winnow_test_gate_entered, gate, 30);
  lock = lock_history (f);
  winnow_test_gate_open (gate);
  return lock;
}

/* A window's scheduler: its task cleaned while another program holds the
 * lock for longer than the scheduler waits. The task is reported
 * COMPLETED with its result at once, and the history records it soon
 * after the lock goes, in the same process (a keeper round's recovery, or
 * a claim's). */
static void
test_window (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir.dir, "in.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) held = NULL;
  WinnowTestGate gate;
  WinnowTask *reported;
  StatusWait completed = { f, WINNOW_TASK_COMPLETED, "in" };
  sqlite3 *lock;

  /* its patience is two leases */
  winnow_scheduler_set_lease_ms (scheduler, 1000);
  lock = clean_under_lock (f, scheduler, &gate, out, &task);
  g_test_expect_message ("scheduler", G_LOG_LEVEL_MESSAGE, "*will be recorded when*");
  reported = wait_finished (f, winnow_task_get_id (task), 60);
  g_test_assert_expected_messages ();
  g_assert_cmpint (winnow_task_get_status (reported), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpint (winnow_task_get_rows_in (reported), ==, 3);
  g_assert_cmpint (winnow_task_get_rows_out (reported), ==, 2);
  g_assert_nonnull (winnow_task_get_result (reported));
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));

  /* the history still says PROCESSING (readers pass the lock), and the
   * end waits beside it */
  held = reread (f, winnow_task_get_id (task));
  g_assert_cmpint (winnow_task_get_status (held), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpuint (kept_outcomes (f), ==, 1);

  unlock_history (lock);
  winnow_test_iterate_until (some_task_is, &completed, 30);
  g_clear_object (&held);
  held = reread (f, winnow_task_get_id (task));
  g_assert_cmpint (winnow_task_get_rows_out (held), ==, 2);
  g_assert_true (winnow_task_result_equal (winnow_task_get_result (held),
                                           winnow_task_get_result (reported)));
  g_assert_null (winnow_task_get_error (held));
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
  winnow_test_gate_clear (&gate);
}

/* The window quits while its finished task's end waits for a lock: the
 * shutdown, on the thread that draws, neither touches the history nor
 * writes the kept file there; the next process to open the history
 * records the task COMPLETED. */
static void
test_window_quits (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir.dir, "in.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTaskStore) next = NULL;
  g_autoptr(WinnowTask) recorded = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTestGate gate;
  WinnowTask *reported;
  sqlite3 *lock;

  lock = clean_under_lock (f, scheduler, &gate, out, &task);
  winnow_test_iterate_until (output_written, out, 60);

  g_test_expect_message ("scheduler", G_LOG_LEVEL_MESSAGE, "*will be recorded when*");
  winnow_task_store_forbid_thread (g_thread_self ());
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_RELEASE);
  winnow_task_store_forbid_thread (NULL);
  g_test_assert_expected_messages ();
  reported = wait_finished (f, winnow_task_get_id (task), 10);
  g_assert_cmpint (winnow_task_get_status (reported), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpuint (kept_outcomes (f), ==, 1);

  unlock_history (lock);
  next = winnow_task_store_new (f->db, &error);
  g_assert_no_error (error);
  recorded = winnow_task_store_get (next, winnow_task_get_id (task), &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_status (recorded), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpint (winnow_task_get_rows_out (recorded), ==, 2);
  winnow_test_gate_clear (&gate);
}

/* Starts a batch run of big.csv and two small files, takes the
 * history's lock, and sends @signal to the run once big.csv's output
 * (@output) is in place; returns when the run has ended, with the lock,
 * for the caller to release. */
static sqlite3 *
signal_after_output (Fixture *f, Batch *batch, const char *output, int signal)
{
  sqlite3 *lock;

  start_big_then_two (f, batch);
  lock = lock_history (f);
  winnow_test_iterate_until (output_written, (gpointer) output, 300);
  g_subprocess_send_signal (batch->process, signal);
  winnow_test_iterate_until (batch_finished, batch, 120);
  return lock;
}

/* Ctrl-C to a batch run just after its output went in place, while
 * another program holds the lock: the run exits without waiting for it,
 * says the task completed and the two it never started cancelled, and
 * the history records them so once the lock goes, although the run is
 * gone (not FAILED as interrupted). */
static void
test_batch_interrupted (Fixture *f, gconstpointer data)
{
  g_autofree char *output = g_build_filename (f->dir.dir, "out", "big.cleaned.csv", NULL);
  g_autoptr(GPtrArray) tasks = NULL;
  WinnowTaskQuery all = { 0 };
  Batch batch;
  sqlite3 *lock;
  guint completed = 0;

  lock = signal_after_output (f, &batch, output, SIGINT);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);
  g_assert_cmpint (batch.status, ==, 130);
  assert_contains (batch.out, "big.csv\tcompleted\t");
  assert_contains (batch.out, "s1.csv\tcancelled\n");
  assert_contains (batch.err, "will be recorded when");
  g_assert_cmpuint (kept_outcomes (f), ==, 3);

  /* the run is gone; its leases run out (put in the past here) */
  unlock_history (lock);
  expire_leases (f);
  recover (f);
  tasks = winnow_task_store_query (f->store, &all, 0, 10, NULL);
  g_assert_nonnull (tasks);
  for (guint i = 0; i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      if (strcmp (winnow_task_get_file_name (task), "big.csv") == 0)
        {
          g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
          g_assert_cmpint (winnow_task_get_rows_in (task), ==, 1500000);
          completed++;
        }
      else  /* never started: cancelled, as the run said, not interrupted */
        g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_CANCELLED);
    }
  g_assert_cmpuint (completed, ==, 1);
  g_assert_cmpuint (tasks->len, ==, 3);
  batch_clear (&batch);
}

/* A batch run killed (SIGKILL) just after its output went in place,
 * before it could record its end (another program holds the lock): the
 * next recovery records the task COMPLETED from the end the worker kept
 * beside the history before the rename, because the file at its output
 * path is the one it put there (@data NULL); when another file has taken
 * its place since (@data "replaced"), the task is taken back as
 * interrupted like its run's other tasks. Either way nothing stays
 * kept after the next recovery. */
static void
test_batch_killed (Fixture *f, gconstpointer data)
{
  gboolean replaced = g_strcmp0 (data, "replaced") == 0;
  g_autofree char *output = g_build_filename (f->dir.dir, "out", "big.cleaned.csv", NULL);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTaskQuery all = { 0 };
  Batch batch;
  sqlite3 *lock;
  guint big = 0;

  lock = signal_after_output (f, &batch, output, SIGKILL);
  g_assert_cmpint (batch.status, ==, -1);
  /* its end, provisional: the run could not record it */
  g_assert_cmpuint (kept_outcomes (f), ==, 1);
  if (replaced)
    {
      g_file_set_contents (output, "a\n", -1, &error);
      g_assert_no_error (error);
    }

  unlock_history (lock);
  expire_leases (f);
  recover (f);
  tasks = winnow_task_store_query (f->store, &all, 0, 10, NULL);
  g_assert_nonnull (tasks);
  g_assert_cmpuint (tasks->len, ==, 3);
  for (guint i = 0; i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);

      if (strcmp (winnow_task_get_file_name (task), "big.csv") == 0 && !replaced)
        {
          g_autoptr(WinnowTask) whole = reread (f, winnow_task_get_id (task));

          g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
          g_assert_cmpint (winnow_task_get_rows_in (task), ==, 1500000);
          g_assert_null (winnow_task_get_error (task));
          /* the result it gave, profile and all */
          g_assert_nonnull (winnow_task_get_result (whole));
          g_assert_cmpint (winnow_task_get_result (whole)->rows_written, ==, 1500000);
          big++;
        }
      else
        {
          /* never started, or its output not the run's: interrupted */
          g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_FAILED);
          g_assert_cmpstr (winnow_task_get_error (task), ==, WINNOW_STORE_INTERRUPTED_MESSAGE);
          big += strcmp (winnow_task_get_file_name (task), "big.csv") == 0;
        }
    }
  g_assert_cmpuint (big, ==, 1);
  /* a recorded end goes at the next recovery (store_apply_deferred()) */
  recover (f);
  g_assert_cmpuint (kept_outcomes (f), ==, 0);
  batch_clear (&batch);
}

static gboolean
exists (Fixture *f, gint64 id)
{
  g_autoptr(WinnowTask) task = winnow_task_store_get (f->store, id, NULL);

  return task != NULL;
}

/* Deletions and clears kept beside the history (an application quit
 * while it was locked) are done by the next recovery: a queued task too,
 * a running one once it has ended; a clear keeps what it did not count.
 * Each file goes once nothing is left for it to do; one that is not a
 * deletion goes at once. */
static void
test_deletions (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *real = realpath (f->db, NULL);
  g_autofree char *dir = g_strconcat (real ? real : f->db, "-outcomes", NULL);
  g_autofree char *junk = g_build_filename (dir, "7-delete.deletion", NULL);
  g_autoptr(WinnowTask) running = NULL;
  gint64 ids[5];
  guint junk_warnings = 0;
  guint handler;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *input = g_strdup_printf ("/data/%u.csv", i);
      g_autoptr(WinnowTask) task = winnow_task_store_add (f->store, input, "/data/out.csv",
                                                          "{\"winnow_recipe\": 1}", FALSE,
                                                          &error);
      g_assert_no_error (error);
      ids[i] = winnow_task_get_id (task);
    }
  /* 0, 1 and 4 cancelled; 2 running; 3 queued */
  g_assert_true (winnow_task_store_cancel (f->store, ids[0], &error));
  g_assert_true (winnow_task_store_cancel (f->store, ids[1], &error));
  g_assert_true (winnow_task_store_cancel (f->store, ids[4], &error));
  running = claim_as (f, "worker", WINNOW_LEASE_MS, NULL);
  g_assert_cmpint (winnow_task_get_id (running), ==, ids[2]);
  g_assert_true (winnow_task_store_defer_delete (f->store, ids[0], &error));
  g_assert_true (winnow_task_store_defer_delete (f->store, ids[2], &error));
  g_assert_true (winnow_task_store_defer_delete (f->store, ids[3], &error));
  g_array_append_val (keep, ids[1]);
  g_assert_true (winnow_task_store_defer_clear (f->store, ids[4], keep, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kept_deletions (f), ==, 4);
  /* not a deletion: both a task and a clear */
  g_assert_true (g_file_set_contents (junk, "[deletion]\ntask=1\nclear-upto=2\n", -1, NULL));

  g_test_log_set_fatal_handler (junk_is_not_fatal, NULL);
  handler = g_log_set_handler ("db", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                               count_junk, &junk_warnings);
  recover (f);
  g_log_remove_handler ("db", handler);
  g_test_log_set_fatal_handler (NULL, NULL);
  g_assert_cmpuint (junk_warnings, ==, 1);
  g_assert_false (g_file_test (junk, G_FILE_TEST_EXISTS));
  g_assert_false (exists (f, ids[0]));
  g_assert_true (exists (f, ids[1]));   /* the clear did not count it */
  g_assert_true (exists (f, ids[2]));   /* running: its deletion waits */
  g_assert_false (exists (f, ids[3]));  /* queued: deleted, never run */
  g_assert_false (exists (f, ids[4]));
  /* the files stay until a recovery finds nothing left to do: a
   * recovery rolled back does them again */
  g_assert_cmpuint (kept_deletions (f), ==, 4);
  recover (f);
  g_assert_cmpuint (kept_deletions (f), ==, 1);

  /* the running task ends: its deletion is done, and then goes */
  g_assert_true (winnow_task_store_fail (f->store, ids[2], "worker", "broken", &error));
  g_assert_no_error (error);
  recover (f);
  g_assert_false (exists (f, ids[2]));
  recover (f);
  g_assert_cmpuint (kept_deletions (f), ==, 0);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/history/outcome-kept/store", Fixture, NULL, fixture_setup, test_store,
              fixture_teardown);
  g_test_add ("/history/outcome-kept/held", Fixture, NULL, fixture_setup, test_held,
              fixture_teardown);
  g_test_add ("/history/outcome-kept/deletions", Fixture, NULL, fixture_setup, test_deletions,
              fixture_teardown);
  g_test_add ("/history/outcome-kept/window", Fixture, NULL, fixture_setup, test_window,
              fixture_teardown);
  g_test_add ("/history/outcome-kept/window-quits", Fixture, NULL, fixture_setup,
              test_window_quits, fixture_teardown);
  g_test_add ("/history/outcome-kept/batch-killed", Fixture, NULL, fixture_setup,
              test_batch_killed, fixture_teardown);
  g_test_add ("/history/outcome-kept/batch-killed-replaced", Fixture, "replaced", fixture_setup,
              test_batch_killed, fixture_teardown);
  g_test_add ("/history/outcome-kept/batch-interrupted", Fixture, NULL, fixture_setup,
              test_batch_interrupted, fixture_teardown);
  return g_test_run ();
}
