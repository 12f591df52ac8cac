/* test-history-runs.c: a batch run's own troubles on the shared history
 * (docs/ARCHITECTURE.md, "The shared history"): its leases run out while
 * it lives (a lock held past them by another program), Ctrl-C while
 * another program holds the lock, its history damaged under it. Real
 * processes (winnow --batch) and real SQLite locks; no sleep stands in
 * for waiting on a thread. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "history-util.h"

/* A batch run that is alive keeps its tasks when its leases ran out (a
 * lock held past the lease by another program keeps its renewals out):
 * another process's recovery leaves them to it, and it completes them. */
static void
test_live_run_kept (Fixture *f, gconstpointer data)
{
  g_autofree char *big = write_rows (f, "big.csv", 1500000);
  const char *files[] = { "big.csv", "small.csv", NULL };
  StatusWait running = { f, WINNOW_TASK_PROCESSING, "big" };
  g_autoptr(GError) error = NULL;
  Batch batch;

  g_free (winnow_test_write_file (f->dir.dir, "small.csv", "a\n1\n", -1));
  batch_start (f, &batch, 0, files);
  winnow_test_iterate_until (some_task_is, &running, 60);
  expire_leases_of_stopped (f, &batch);

  /* this process is another one: it recovers nothing of the live run */
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (count_status (f, WINNOW_TASK_FAILED), ==, 0);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PENDING), ==, 1);

  g_subprocess_send_signal (batch.process, SIGCONT);
  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);
  g_assert_cmpint (batch.status, ==, 0);
  g_assert_cmpint (count_status (f, WINNOW_TASK_COMPLETED), ==, 2);
  batch_clear (&batch);
}

/* Ctrl-C while another program holds the history's write lock: the run
 * starts nothing more and exits (130) while the lock is still held,
 * instead of waiting out its patience in a claim; the tasks it did not
 * start are cancelled, not failed. What it could not record is recovered
 * once the lock goes, the run being gone. */
static void
test_interrupt_under_lock (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Batch batch;
  sqlite3 *lock;

  start_big_then_two (f, &batch);
  lock = lock_history (f);
  g_subprocess_send_signal (batch.process, SIGINT);
  winnow_test_iterate_until (batch_finished, &batch, 120);
  unlock_history (lock);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);
  g_assert_cmpint (batch.status, ==, 130);
  g_assert_null (strstr (batch.out, "could not be started"));
  assert_contains (batch.out, "s1.csv\tcancelled\n");
  assert_contains (batch.out, "s2.csv\tcancelled\n");

  /* the run is gone (its process reaped): once its leases run out (put
   * in the past here), its tasks end, none is left waiting */
  expire_leases (f);
  winnow_task_store_recover_expired (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PENDING), ==, 0);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PROCESSING), ==, 0);
  batch_clear (&batch);
}

/* The history is damaged under a batch run (its pages overwritten, as a
 * failing disk would): the run cannot read or claim its tasks any more,
 * and ends, failing those it did not start with what was found, instead
 * of waiting for them for ever. */
static void
test_damaged_mid_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  Batch batch;
  FILE *file;
  long size;

  start_big_then_two (f, &batch);
  g_clear_object (&f->store);  /* this process reads it no more */
  /* everything in the main file, then every page but the first spoilt */
  exec_while_stopped (f, &batch, "PRAGMA wal_checkpoint(TRUNCATE)");
  file = fopen (f->db, "r+b");
  g_assert_nonnull (file);
  fseek (file, 0, SEEK_END);
  size = ftell (file);
  for (long at = 4096; at < size; at += 4096)
    {
      guint8 noise[200];
      for (guint i = 0; i < sizeof noise; i++)
        noise[i] = (guint8) g_rand_int (rand);
      fseek (file, at + 8, SEEK_SET);
      g_assert_cmpuint (fwrite (noise, 1, sizeof noise, file), ==, sizeof noise);
    }
  fclose (file);
  g_subprocess_send_signal (batch.process, SIGCONT);

  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);
  g_assert_cmpint (batch.status, ==, 1);
  assert_contains (batch.out, "s1.csv\tfailed\t");
  assert_contains (batch.out, "s2.csv\tfailed\t");
  assert_contains (batch.out, "damaged");
  batch_clear (&batch);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/history/live-run-kept", test_live_run_kept, NULL);
  ADD ("/history/interrupt-under-lock", test_interrupt_under_lock, NULL);
  ADD ("/history/damaged-mid-run", test_damaged_mid_run, NULL);
  return g_test_run ();
}
