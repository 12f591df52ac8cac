/* test-history-runs.c: a batch run's own troubles on the shared history
 * (docs/ARCHITECTURE.md, "The shared history"): its leases run out while
 * it lives (a lock held past them by another program), Ctrl-C while
 * another program holds the lock, its history damaged under it, another
 * process dying with one of its tasks; and the other way round, what a
 * process that died leaves, taken back at once. Real processes (winnow
 * --batch) and real SQLite locks; no sleep stands in for waiting on a
 * thread. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "history-util.h"

#define HOUR_MS (60 * 60 * 1000)

/* ---- owners of other processes ---- */

typedef struct {
  GSubprocess *process;
  char *pid;
  guint64 start;
} Child;

/* A process of this host that does nothing, with its id and start time. */
static void
child_start (Child *child)
{
  GSubprocessFlags silent = G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (silent);
  g_autoptr(GError) error = NULL;
  char state;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child->process = g_subprocess_launcher_spawn (launcher, &error, "sleep", "600", NULL);
  g_assert_no_error (error);
  child->pid = g_strdup (g_subprocess_get_identifier (child->process));
  g_assert_true (winnow_test_process_stat (child->pid, &state, &child->start));
}

/* The child ends, and is reaped: its id names no process now (or, later,
 * another one). */
static void
child_end (Child *child)
{
  if (child->process == NULL)
    return;
  g_subprocess_force_exit (child->process);
  g_assert_false (g_subprocess_wait_check (child->process, NULL, NULL));
  g_clear_object (&child->process);
}

static void
child_clear (Child *child)
{
  child_end (child);
  g_clear_pointer (&child->pid, g_free);
}

/* The name the child's scheduler would give its leases and its run
 * (winnow_task_store_new_owner(): "HOST:PID:RANDOM:NAMESPACE.START.BOOT"),
 * with its start moved by @shift, of another boot if @boot is not NULL;
 * NULL where this system gives no key to tell processes by. */
static char *
owner_of (const Child *child, gint64 shift, const char *boot)
{
  g_autofree char *mine = winnow_task_store_new_owner ();
  g_auto(GStrv) parts = g_strsplit (mine, ":", 4);
  g_auto(GStrv) key = NULL;

  winnow_task_store_end_owner (mine);
  if (g_strv_length (parts) != 4)
    return NULL;
  key = g_strsplit (parts[3], ".", 3);
  if (g_strv_length (key) != 3)
    return NULL;
  return g_strdup_printf ("%s:%s:0:%s.%" G_GUINT64_FORMAT ".%s", parts[0], child->pid, key[0],
                          child->start + shift, boot != NULL ? boot : key[2]);
}

/* Whether this process's own name has a key ("NAMESPACE.START.BOOT"):
 * without one, owners are judged by their leases alone. */
static gboolean
owners_told (void)
{
  g_autofree char *mine = winnow_task_store_new_owner ();
  g_auto(GStrv) parts = g_strsplit (mine, ":", 4);
  g_auto(GStrv) key = g_strsplit (g_strv_length (parts) == 4 ? parts[3] : "", ".", 3);
  gboolean told = g_strv_length (key) == 3;

  winnow_task_store_end_owner (mine);
  if (!told)
    g_test_skip ("this system does not tell a process's PID namespace, start time and boot");
  return told;
}

static WinnowTaskStatus
status_of (Fixture *f, WinnowTask *task)
{
  g_autoptr(WinnowTask) now = reread (f, winnow_task_get_id (task));
  return winnow_task_get_status (now);
}

/* A process of this boot that is gone does not keep its leases until
 * they run out (an hour here): the next recovery takes its tasks back
 * (its run's: FAILED as interrupted), and its run ends; so does a name
 * whose id a process started after it holds now. A process alive keeps
 * them; so does a name that says it started after the process holding
 * its id (that cannot be told), and one of another boot (another
 * machine of the same name, maybe) is judged by its lease alone. */
static void
test_gone_owner (Fixture *f, gconstpointer data)
{
  WinnowTaskSpec specs[5];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) window = NULL, run = NULL;
  g_autoptr(WinnowTask) live_task = NULL, elsewhere_task = NULL, gone_task = NULL;
  g_autoptr(WinnowTask) run_task = NULL, reused_task = NULL, later_task = NULL;
  g_autofree char *live = NULL, *elsewhere = NULL, *gone = NULL, *reused = NULL;
  g_autofree char *later = NULL;
  g_autofree char *live_worker = NULL, *elsewhere_worker = NULL, *reused_worker = NULL;
  g_autofree char *gone_worker = NULL, *gone_run_worker = NULL, *later_worker = NULL;
  Child alive = { 0 }, ended = { 0 };

  if (!owners_told ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    specs[i] = (WinnowTaskSpec) { "/data/in.csv", "/data/out.csv", "{}", FALSE };
  child_start (&alive);
  child_start (&ended);
  live = owner_of (&alive, 0, NULL);
  elsewhere = owner_of (&ended, 0, "00000000-0000-4000-8000-000000000000");
  gone = owner_of (&ended, 0, NULL);
  /* names of the live child's id, of a process that started before it
   * (so it ended), or after it (which cannot be) */
  reused = owner_of (&alive, -1, NULL);
  later = owner_of (&alive, 1, NULL);
  live_worker = g_strconcat (live, "/0", NULL);
  elsewhere_worker = g_strconcat (elsewhere, "/0", NULL);
  gone_worker = g_strconcat (gone, "/0", NULL);
  gone_run_worker = g_strconcat (gone, "/1", NULL);
  reused_worker = g_strconcat (reused, "/0", NULL);
  later_worker = g_strconcat (later, "/0", NULL);

  /* window tasks held by a live process, by the same id of another boot,
   * by the one that will end, by names of other processes of the live
   * one's id; a batch run of the one that will end, with one task running
   * and one waiting (each claim recovers first: the name already gone
   * claims last) */
  window = winnow_task_store_add_many (f->store, specs, 5, NULL, 0, &error);
  g_assert_no_error (error);
  run = winnow_task_store_add_many (f->store, specs, 2, gone, HOUR_MS, &error);
  g_assert_no_error (error);
  live_task = claim_as (f, live_worker, HOUR_MS, NULL);
  elsewhere_task = claim_as (f, elsewhere_worker, HOUR_MS, NULL);
  later_task = claim_as (f, later_worker, HOUR_MS, NULL);
  gone_task = claim_as (f, gone_worker, HOUR_MS, NULL);
  run_task = claim_as (f, gone_run_worker, HOUR_MS, gone);
  reused_task = claim_as (f, reused_worker, HOUR_MS, NULL);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PROCESSING), ==, 6);
  g_assert_cmpint (count_rows_where (f, "runs", "id = ?1", gone), ==, 1);

  /* every lease has an hour to go; one process ends */
  child_end (&ended);
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, live_task), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpint (status_of (f, elsewhere_task), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpint (status_of (f, later_task), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpint (status_of (f, gone_task), ==, WINNOW_TASK_PENDING);
  g_assert_cmpint (status_of (f, reused_task), ==, WINNOW_TASK_PENDING);
  g_assert_cmpint (status_of (f, run_task), ==, WINNOW_TASK_FAILED);
  g_assert_cmpint (count_tasks_where (f, "run_id = ?1 AND status = 'FAILED' AND error = "
                                      "'" WINNOW_STORE_INTERRUPTED_MESSAGE "'", gone), ==, 2);
  /* its run ended */
  g_assert_cmpint (count_rows_where (f, "runs", "id = ?1", gone), ==, 0);

  /* the live one ends too: its id is free, so the later name's is too */
  child_end (&alive);
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, live_task), ==, WINNOW_TASK_PENDING);
  g_assert_cmpint (status_of (f, later_task), ==, WINNOW_TASK_PENDING);
  g_assert_cmpint (status_of (f, elsewhere_task), ==, WINNOW_TASK_PROCESSING);
  child_clear (&alive);
  child_clear (&ended);
}

/* A batch run killed (SIGKILL) while it cleans, its leases good for
 * half a minute more: whichever process recovers next ends its tasks at
 * once, the running one and those it did not start, as interrupted. */
static void
test_killed_run_ended (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Batch batch;

  if (!owners_told ())
    return;
  start_big_then_two (f, &batch);
  g_subprocess_send_signal (batch.process, SIGKILL);
  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PROCESSING), ==, 1);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PENDING), ==, 2);

  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (count_tasks_where (f, "status = 'FAILED' AND error = ?1",
                                      WINNOW_STORE_INTERRUPTED_MESSAGE), ==, 3);
  batch_clear (&batch);
}

/* Another process takes one of a batch run's tasks and dies holding it:
 * the run does not wait for ever. A name it cannot tell (made elsewhere)
 * holds the task until its lease (2 s) runs out; a process of this host
 * that ended ("gone") holds it not at all, though its lease would last
 * an hour. Either way the run takes the task back itself and cleans it. */
static void
test_dead_claimer (Fixture *f, gconstpointer data)
{
  gboolean gone = g_strcmp0 (data, "gone") == 0;
  g_autofree char *big = write_rows (f, "big.csv", 600000);
  char *sql = NULL;
  g_autofree char *owner = NULL;
  const char *files[] = { "big.csv", "small.csv", NULL };
  StatusWait running = { f, WINNOW_TASK_PROCESSING, "big" };
  Child claimer = { 0 };
  Batch batch;
  sqlite3 *db = NULL;

  if (gone)
    {
      if (!owners_told ())
        return;
      g_autofree char *name = NULL;

      child_start (&claimer);
      name = owner_of (&claimer, 0, NULL);
      owner = g_strconcat (name, "/0", NULL);
      child_clear (&claimer);
    }
  else
    owner = g_strdup ("dead:1:x/0");
  g_free (winnow_test_write_file (f->dir.dir, "small.csv", "a\n1\n", -1));
  batch_start (f, &batch, 0, files);
  winnow_test_iterate_until (some_task_is, &running, 60);

  /* a worker elsewhere claims small.csv, then dies */
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 30000);
  sql = sqlite3_mprintf ("UPDATE tasks SET status = 'PROCESSING', lease_owner = %Q,"
                         " started_at = strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'),"
                         " lease_expires_at = strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now', %Q)"
                         " WHERE file_name = 'small.csv' AND status = 'PENDING'",
                         owner, gone ? "+1 hour" : "+2 seconds");
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  if (sqlite3_changes (db) == 0)
    {
      sqlite3_close (db);
      sqlite3_free (g_steal_pointer (&sql));
      g_test_skip ("the run started small.csv first");
      winnow_test_iterate_until (batch_finished, &batch, 120);
      batch_clear (&batch);
      return;
    }
  sqlite3_close (db);
  sqlite3_free (g_steal_pointer (&sql));

  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);
  g_assert_cmpint (batch.status, ==, 0);
  assert_contains (batch.out, "small.csv\tcompleted");
  assert_contains (batch.out, "big.csv\tcompleted");
  batch_clear (&batch);
}

/* ---- a run's own troubles ---- */

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
  ADD ("/history/dead-claimer", test_dead_claimer, NULL);
  ADD ("/history/dead-claimer-gone", test_dead_claimer, "gone");
  ADD ("/history/gone-owner", test_gone_owner, NULL);
  ADD ("/history/killed-run-ended", test_killed_run_ended, NULL);
  return g_test_run ();
}
