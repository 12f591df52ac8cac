/* test-history.c: the shared history under load (docs/ARCHITECTURE.md,
 * "The shared history"): cancels that race the workers, write locks held
 * by another program for 6, 20 and 40 seconds, a full disk under the
 * history, a process that dies holding a task, and several processes
 * killed at random on one history (test-history-runs.c has a batch run's
 * own troubles). Real processes (winnow --batch) and
 * real SQLite locks; no sleep stands in for waiting on a thread. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "history-util.h"

static const char slow_recipe[] =
  "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"last\"},"
  " \"fill\": [{\"column\": \"score\", \"strategy\": \"median\"}]}";

/* ---- cancels that race the workers ---- */

/* The user cancels a task in the instant after a worker claimed it and
 * before the worker registered it as running: the cancel is not lost, the
 * task ends CANCELLED and writes nothing. */
static void
test_cancel_between_claim_and_start (Fixture *f, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a\n1\n1\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) stored = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTestGate gate;
  WinnowTask *done;

  winnow_test_gate_init (&gate);
  winnow_scheduler_set_claim_hook (scheduler, gate_hook, &gate);
  task = winnow_scheduler_add (scheduler, in, out, "{\"winnow_recipe\": 1}", FALSE, &error);
  g_assert_no_error (error);
  winnow_test_iterate_until (winnow_test_gate_entered, &gate, 30);

  /* claimed (PROCESSING in the store), not yet running here */
  stored = reread (f, winnow_task_get_id (task));
  g_assert_cmpint (winnow_task_get_status (stored), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpuint (winnow_scheduler_get_n_running (scheduler), ==, 0);
  g_assert_true (winnow_scheduler_cancel (scheduler, winnow_task_get_id (task), &error));
  g_assert_no_error (error);

  winnow_test_gate_open (&gate);
  done = wait_finished (f, winnow_task_get_id (task), 30);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
  winnow_test_gate_clear (&gate);
}

/* A cancel asked by another process, then the window quits before its
 * worker heard of it: the task is not put back in the queue, it ends
 * CANCELLED. */
static void
test_cancel_then_shutdown (Fixture *f, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a\n1\n1\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTaskStore) other = winnow_task_store_new (f->db, NULL);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) stored = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTestGate gate;

  winnow_test_gate_init (&gate);
  winnow_scheduler_set_run_hook (scheduler, gate_hook, &gate);
  task = winnow_scheduler_add (scheduler, in, out, "{\"winnow_recipe\": 1}", FALSE, &error);
  g_assert_no_error (error);
  winnow_test_iterate_until (winnow_test_gate_entered, &gate, 30);

  g_assert_true (winnow_task_store_cancel (other, winnow_task_get_id (task), &error));
  g_assert_no_error (error);
  winnow_test_gate_open (&gate);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_RELEASE);

  stored = reread (f, winnow_task_get_id (task));
  g_assert_cmpint (winnow_task_get_status (stored), ==, WINNOW_TASK_CANCELLED);
  g_assert_null (winnow_task_get_lease_owner (stored));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  winnow_test_gate_clear (&gate);
}

static gboolean
has_progress (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
             gint phase, gboolean *seen)
{
  *seen = TRUE;
}

/* A cancel asked by another process (another connection: the scheduler
 * is not told) stops the running task through the store alone. */
static void
test_cancel_from_other_process (Fixture *f, gconstpointer data)
{
  g_autofree char *in = write_rows (f, "big.csv", 3000000);
  g_autofree char *out = g_build_filename (f->dir.dir, "big.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTaskStore) other = winnow_task_store_new (f->db, NULL);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen = FALSE;
  WinnowTask *done;

  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_progress), &seen);
  task = winnow_scheduler_add (scheduler, in, out, slow_recipe, FALSE, &error);
  g_assert_no_error (error);
  winnow_test_iterate_until (has_progress, &seen, 60);
  g_assert_true (winnow_task_store_cancel (other, winnow_task_get_id (task), &error));
  g_assert_no_error (error);
  done = wait_finished (f, winnow_task_get_id (task), 60);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

/* ---- other processes ---- */

/* PRAGMA integrity_check on the history: "ok" (quick_check, the
 * store's own check, leaves out the indexes' contents). */
static void
assert_integrity (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 30000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "ok");
  sqlite3_finalize (s);
  sqlite3_close (db);
}

/* Another program holds the history's write lock for @seconds while a
 * batch run claims, renews leases and records outcomes. Up to the
 * patience (30 s) the run waits and finishes everything; past it, the
 * tasks it could not start fail saying the history is busy, the one it
 * cleaned is recorded COMPLETED once the lock goes, and the run exits:
 * never a hang, never a task cancelled by its own worker. */
static void
test_lock (Fixture *f, gconstpointer data)
{
  guint seconds = GPOINTER_TO_UINT (data);
  g_autofree char *big = write_rows (f, "big.csv", 1500000);
  const char *files[] = { "big.csv", "s1.csv", "s2.csv", "s3.csv", NULL };
  StatusWait running = { f, WINNOW_TASK_PROCESSING, "big" };
  Batch batch;
  sqlite3 *lock;
  gint64 until;
  g_autofree char *integrity = NULL;
  g_autofree char *output = g_build_filename (f->dir.dir, "out", "big.cleaned.csv", NULL);

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u.csv", i);
      g_free (winnow_test_write_file (f->dir.dir, name, "a\n1\n1\n2\n", -1));
    }
  batch_start (f, &batch, 0, files);
  winnow_test_iterate_until (some_task_is, &running, 60);

  lock = lock_history (f);
  /* the lock outlasts big.csv's cleaning by @seconds: its lease renewals,
   * its outcome and the next claims all meet it */
  winnow_test_iterate_until (output_written, output, 300);
  until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  winnow_test_iterate_until (time_passed, &until, seconds + 5);
  unlock_history (lock);
  /* big.csv's output went in place while the history could not say so:
   * a cancel now is refused (marked beside the history, or recorded
   * completed already), never accepted and then lost */
  {
    WinnowTaskQuery big_query = { .name = "big.csv" };
    g_autoptr(GPtrArray) found = winnow_task_store_query (f->store, &big_query, 0, 1, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (found);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_false (winnow_task_store_cancel (
      f->store, winnow_task_get_id (g_ptr_array_index (found, 0)), &error));
    g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE);
    g_test_message ("big.csv's cancel: %s", error->message);
  }
  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);

  /* big.csv was cleaned during the lock, and recorded after it */
  assert_contains (batch.out, "big.csv\tcompleted");
  g_assert_true (g_file_test (output, G_FILE_TEST_EXISTS));
  g_assert_null (strstr (batch.out, "cancelled"));
  if (seconds * 1000 < WINNOW_STORE_PATIENCE_MS)
    {
      g_assert_cmpint (batch.status, ==, 0);
      g_assert_cmpint (count_status (f, WINNOW_TASK_COMPLETED), ==, 4);
    }
  else
    {
      g_assert_cmpint (batch.status, ==, 1);
      assert_contains (batch.out, "s1.csv\tfailed\tthe task could not be started: the task "
                                  "history");
      assert_contains (batch.out, "is busy");
      /* the history says what the run printed, not "interrupted" */
      {
        WinnowTaskQuery s1 = { .name = "s1.csv" };
        g_autoptr(GPtrArray) found = NULL;

        winnow_task_store_recover_expired (f->store, NULL, NULL);
        found = winnow_task_store_query (f->store, &s1, 0, 1, NULL);
        g_assert_nonnull (found);
        g_assert_cmpuint (found->len, ==, 1);
        g_assert_cmpint (winnow_task_get_status (g_ptr_array_index (found, 0)), ==,
                         WINNOW_TASK_FAILED);
        assert_contains (winnow_task_get_error (g_ptr_array_index (found, 0)),
                         "could not be started");
      }
      /* and big.csv, whose output went in place during the lock, is
       * recorded completed once the lock has gone */
      {
        WinnowTaskQuery big_query = { .name = "big.csv" };
        g_autoptr(GPtrArray) found = winnow_task_store_query (f->store, &big_query, 0, 1, NULL);

        g_assert_nonnull (found);
        g_assert_cmpuint (found->len, ==, 1);
        g_assert_cmpint (winnow_task_get_status (g_ptr_array_index (found, 0)), ==,
                         WINNOW_TASK_COMPLETED);
      }
    }
  /* every task in one final state */
  g_assert_cmpint (count_status (f, WINNOW_TASK_PENDING), ==, 0);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PROCESSING), ==, 0);
  g_assert_cmpint (count_status (f, WINNOW_TASK_CANCELLED), ==, 0);
  integrity = winnow_task_store_check (f->store, NULL);
  g_assert_cmpstr (integrity, ==, "ok");
  assert_integrity (f);
  batch_clear (&batch);
}

/* The history's disk fills while a batch run works (a file size limit
 * on the run stands for the full disk: its outputs are small, the
 * history's log grows past the limit): the run cannot start the next task
 * and says so; the task whose output is whole is recorded COMPLETED as
 * soon as the history can grow again (the limit is lifted), and the run
 * exits, leaving no task waiting. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  const char *files[] = { "a.csv", "b.csv", "c.csv", "d.csv", "e.csv", "f.csv", NULL };
  g_autofree char *first = g_build_filename (f->dir.dir, "out", "a.cleaned.csv", NULL);
  struct rlimit lifted = { RLIM_INFINITY, RLIM_INFINITY };
  GStatBuf history;
  Batch batch;

  for (guint i = 0; files[i] != NULL; i++)
    g_free (winnow_test_write_file (f->dir.dir, files[i], "a\n1\n1\n2\n", -1));
  g_clear_object (&f->store);  /* its log checkpointed and gone */
  /* room past the empty history for the run to add its tasks and clean
   * the first, not for its log to hold the rest */
  g_assert_cmpint (g_stat (f->db, &history), ==, 0);
  batch_start (f, &batch, (long) history.st_size + 64 * 1024, files);
  winnow_test_iterate_until (output_written, first, 60);
  {
    /* the run is stuck on its history: claims and outcomes refused */
    gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    winnow_test_iterate_until (time_passed, &until, 10);
  }
  g_assert_false (batch.done);
  g_assert_cmpint (prlimit ((pid_t) g_ascii_strtoll (g_subprocess_get_identifier (batch.process),
                                                     NULL, 10),
                            RLIMIT_FSIZE, &lifted, NULL), ==, 0);
  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);

  f->store = winnow_task_store_new (f->db, NULL);
  /* a.csv's output was whole: recorded COMPLETED once the disk had room */
  assert_contains (batch.out, "a.csv\tcompleted");
  g_assert_cmpint (count_status (f, WINNOW_TASK_COMPLETED), >=, 1);
  g_assert_cmpint (batch.status, ==, 1);
  assert_contains (batch.out, "the disk is full");
  g_assert_cmpint (count_status (f, WINNOW_TASK_PENDING), ==, 0);
  g_assert_cmpint (count_status (f, WINNOW_TASK_PROCESSING), ==, 0);
  batch_clear (&batch);
}

/* The disk is full as a batch run adds its tasks: none is added (all or
 * none), the run says why, and no task is left waiting in the history. */
static void
test_disk_full_adding (Fixture *f, gconstpointer data)
{
  const char *files[] = { "a.csv", "b.csv", "c.csv", NULL };
  WinnowTaskQuery all = { 0 };
  Batch batch;

  for (guint i = 0; files[i] != NULL; i++)
    g_free (winnow_test_write_file (f->dir.dir, files[i], "a\n1\n", -1));
  g_clear_object (&f->store);
  batch_start (f, &batch, 8 * 1024, files);
  winnow_test_iterate_until (batch_finished, &batch, 120);
  g_test_message ("stdout:\n%s\nstderr:\n%s", batch.out, batch.err);
  g_assert_cmpint (batch.status, ==, 1);
  assert_contains (batch.err, "the disk is full");
  f->store = winnow_task_store_new (f->db, NULL);
  g_assert_cmpint (winnow_task_store_count (f->store, &all, NULL, NULL), ==, 0);
  batch_clear (&batch);
}

/* ---- many processes, killed at random ---- */

#define STRESS_ROUNDS 10

static void
on_run (gint64 id, gpointer data)
{
  GHashTable *runs = data;
  static GMutex lock;
  gint64 *key = g_new (gint64, 1);

  *key = id;
  g_mutex_lock (&lock);
  g_hash_table_insert (runs, key, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (runs, key)) + 1));
  g_mutex_unlock (&lock);
}

static gboolean
all_final (gpointer data)
{
  Fixture *f = data;
  return count_status (f, WINNOW_TASK_PENDING) == 0 && count_status (f, WINNOW_TASK_PROCESSING) == 0;
}

#define CHILD_TASKS 2
#define STRESS_RECIPE "{\"winnow_recipe\": 1, \"drop_duplicates\": {}}"

/* A window in a process of its own, which the stress test kills: a
 * window's scheduler (short leases) on the history DB that queues
 * CHILD_TASKS tasks of INPUT into OUT/child-TAG-N.csv and runs until it
 * is killed (or the test ends, or two minutes pass).
 * argv: --window-child DB INPUT OUT TAG */
static int
window_child (char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (argv[2], &error);
  g_autoptr(WinnowScheduler) scheduler = NULL;
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  if (store == NULL)
    {
      g_printerr ("window child: %s\n", error->message);
      return 1;
    }
  scheduler = winnow_scheduler_new (store, 1, WINNOW_SCHEDULER_ALL_TASKS);
  winnow_scheduler_set_lease_ms (scheduler, 2000);
  for (guint i = 0; i < CHILD_TASKS; i++)
    {
      g_autofree char *output = g_strdup_printf ("%s/child-%s-%u.csv", argv[4], argv[5], i);
      g_autoptr(WinnowTask) task = winnow_scheduler_add (scheduler, argv[3], output, STRESS_RECIPE,
                                                         TRUE, &error);
      if (task == NULL)
        {
          g_printerr ("window child: %s\n", error->message);
          return 1;
        }
    }
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

typedef struct {
  Fixture *f;
  char *pattern;  /* of output paths, for LIKE */
  gint64 want;
} TaskCount;

/* Are there @want tasks whose output matches the pattern? */
static gboolean
tasks_queued (gpointer data)
{
  TaskCount *c = data;
  return count_tasks_where (c->f, "output_path LIKE ?1", c->pattern) == c->want;
}

/* The output paths of round @round's window process, for LIKE */
static char *
child_outputs (guint round)
{
  return g_strdup_printf ("%%/child-%u-%%", round);
}

typedef struct {
  Fixture *f;
  char *owner;   /* the window process's leases, for LIKE */
  guint round;
} ChildWait;

/* Does the window process hold a task, or has none of its tasks been
 * left for it? */
static gboolean
child_running (gpointer data)
{
  ChildWait *w = data;
  g_autofree char *pending = child_outputs (w->round);

  return tasks_held (w->f, w->owner) > 0 ||
         count_tasks_where (w->f, "status = 'PENDING' AND output_path LIKE ?1", pending) == 0;
}

/* Starts a window process that queues CHILD_TASKS tasks of @input,
 * and waits until they are in the history. */
static GSubprocess *
window_child_start (Fixture *f, const char *input, const char *out, guint round)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *tag = g_strdup_printf ("%u", round);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;
  TaskCount queued = { f, child_outputs (round), CHILD_TASKS };

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

  g_assert_nonnull (self);
  /* it dies with this process, whatever happens to it */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawn (launcher, &error, self, "--window-child", f->db, input, out,
                                       tag, NULL);
  g_assert_no_error (error);
  winnow_test_iterate_until (tasks_queued, &queued, 60);
  g_free (queued.pattern);
  return child;
}

typedef struct {
  Fixture *f;
  gint64 id;
} TaskWait;

static gboolean
task_claimed (gpointer data)
{
  TaskWait *w = data;
  g_autoptr(WinnowTask) task = reread (w->f, w->id);
  return winnow_task_get_status (task) != WINNOW_TASK_PENDING;
}

/* A copy of @runs (id -> starts). */
static GHashTable *
runs_copy (GHashTable *runs)
{
  GHashTable *copy = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, runs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_memdup2 (key, sizeof (gint64)), value);
  return copy;
}

/* After a shutdown that released what it ran: the tasks the window
 * started since @before (its runs when it started) that are not
 * COMPLETED were stopped, and each may start once more. */
static void
allow_released (Fixture *f, GHashTable *runs, GHashTable *before, GHashTable *allowed)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, runs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(WinnowTask) task = NULL;

      if (GPOINTER_TO_UINT (value) == GPOINTER_TO_UINT (g_hash_table_lookup (before, key)))
        continue;  /* not started by this window */
      task = reread (f, *(gint64 *) key);
      if (winnow_task_get_status (task) != WINNOW_TASK_COMPLETED)
        {
          gint64 *id = g_memdup2 (key, sizeof (gint64));
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (allowed, id));
          g_hash_table_insert (allowed, id, GUINT_TO_POINTER (n + 1));
        }
    }
}

/* Kills the batch run at @kill_at, or (0) once it runs a task; unless
 * it has ended first. */
static void
kill_batch (Fixture *f, Batch *batch, guint round, gint64 kill_at)
{
  BatchWait held = { f, batch, lease_owner_pattern (batch->process) };

  if (kill_at != 0)
    winnow_test_iterate_until (time_passed, &kill_at, 10);
  else
    winnow_test_iterate_until (batch_holds_task, &held, 120);
  if (!batch->done)
    {
      g_test_message ("round %u: the batch run killed held %" G_GINT64_FORMAT " tasks", round,
                      tasks_held (f, held.owner));
      g_subprocess_send_signal (batch->process, SIGKILL);
    }
  g_free (held.owner);
}

/* Three batch runs at a time and a window's scheduler on one history;
 * one run of each round killed, new runs started on the same files (at a
 * random moment of its first 0.4 s in even rounds, whatever it is doing
 * then, adding its tasks or running one; in odd rounds once it runs a
 * task); every third round a window in a process of its own
 * queues tasks and is killed too, and every fourth the window's
 * scheduler restarts (its running tasks go back to the queue, as when
 * the app quits). Afterwards every task is in one final state (the
 * killed runs' tasks FAILED, never run by someone else; every window's
 * task COMPLETED), no window task ran twice but after a restart stopped
 * it, every output is whole or absent, the history is sound, and no
 * temporary file is left. */
static void
test_stress (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) runs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) allowed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(WinnowScheduler) window = scheduler_new (f, 2, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(GHashTable) runs_before = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint children = 0;
  g_autofree char *out = g_build_filename (f->dir.dir, "out", NULL);
  g_autoptr(GPtrArray) window_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *integrity = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gint64 deadline;

  winnow_scheduler_set_run_hook (window, on_run, runs);
  g_assert_cmpint (g_mkdir_with_parents (out, 0755), ==, 0);
  /* p6.csv: the killed windows', long enough to be killed running */
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *file = g_strdup_printf ("p%u.csv", i);
      g_autofree char *input = write_rows (f, file, i < 6 ? 40000 + 5000 * i : 300000);
      g_autofree char *reference = g_strdup_printf ("%s/reference-%u.csv", f->dir.dir, i);
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_from_json (STRESS_RECIPE, -1, NULL);
      g_autoptr(WinnowResult) result = winnow_clean_file (recipe, input, reference,
                                                          WINNOW_CLEAN_NONE, NULL, NULL, NULL,
                                                          NULL);
      g_assert_nonnull (result);
      g_hash_table_insert (expected, g_strdup_printf ("p%u.cleaned.csv", i),
                           winnow_test_read_file (reference));
    }

  for (guint round = 0; round < STRESS_ROUNDS; round++)
    {
      const char *files[3][3] = { { "p0.csv", "p1.csv", NULL }, { "p2.csv", "p3.csv", NULL },
                                  { "p4.csv", "p5.csv", NULL } };
      Batch batches[3];
      guint victim = (guint) g_rand_int_range (rand, 0, 3);
      gint64 kill_at = g_get_monotonic_time () + g_rand_int_range (rand, 0, 400000);

      GSubprocess *child = NULL;

      for (guint b = 0; b < 3; b++)
        batch_start (f, &batches[b], 0, files[b]);
      kill_batch (f, &batches[victim], round, round % 2 == 0 ? kill_at : 0);
      if (round % 3 == 1)
        {
          g_autofree char *input = g_build_filename (f->dir.dir, "p6.csv", NULL);
          child = window_child_start (f, input, out, round);
          for (guint i = 0; i < CHILD_TASKS; i++)
            g_hash_table_insert (expected, g_strdup_printf ("child-%u-%u.csv", round, i),
                                 g_strdup (g_hash_table_lookup (expected, "p6.cleaned.csv")));
          children++;
        }
      /* the window queues a task of its own now and then */
      if (round % 3 == 0)
        {
          g_autofree char *input = g_build_filename (f->dir.dir, "p0.csv", NULL);
          g_autofree char *output = g_strdup_printf ("%s/window-%u.csv", out, round);
          WinnowTask *task = winnow_scheduler_add (window, input, output, STRESS_RECIPE, TRUE,
                                                   NULL);
          g_assert_nonnull (task);
          g_ptr_array_add (window_tasks, task);
          g_hash_table_insert (expected, g_strdup_printf ("window-%u.csv", round),
                               g_strdup (g_hash_table_lookup (expected, "p0.cleaned.csv")));
        }
      if (child != NULL)
        {
          /* killed while it runs one of its tasks, unless this window
           * claimed both first */
          ChildWait running = { f, lease_owner_pattern (child), round };
          winnow_test_iterate_until (child_running, &running, 60);
          g_test_message ("round %u: the window killed held %" G_GINT64_FORMAT " tasks", round,
                          tasks_held (f, running.owner));
          g_subprocess_send_signal (child, SIGKILL);
          g_assert_true (g_subprocess_wait (child, NULL, NULL));
          g_clear_object (&child);
          g_free (running.owner);
        }
      if (round % 4 == 3)
        {
          /* the app quits while it runs a task, and starts again */
          g_autofree char *input = g_build_filename (f->dir.dir, "p6.csv", NULL);
          g_autofree char *output = g_strdup_printf ("%s/restart-%u.csv", out, round);
          WinnowTask *task = winnow_scheduler_add (window, input, output, STRESS_RECIPE, TRUE,
                                                   NULL);
          g_autoptr(WinnowTask) stored = NULL;
          gint64 id;

          g_assert_nonnull (task);
          id = winnow_task_get_id (task);
          g_ptr_array_add (window_tasks, task);
          g_hash_table_insert (expected, g_strdup_printf ("restart-%u.csv", round),
                               g_strdup (g_hash_table_lookup (expected, "p6.cleaned.csv")));
          winnow_test_iterate_until (task_claimed, &(TaskWait) { f, id }, 60);
          winnow_scheduler_shutdown (window, WINNOW_SHUTDOWN_RELEASE);
          stored = reread (f, id);
          /* (unless it finished first) */
          g_test_message ("round %u: the window quit with its task %s", round,
                          winnow_task_status_to_string (winnow_task_get_status (stored)));
          allow_released (f, runs, runs_before, allowed);
          g_hash_table_unref (runs_before);
          runs_before = runs_copy (runs);
          g_clear_object (&window);
          window = scheduler_new (f, 2, WINNOW_SCHEDULER_ALL_TASKS);
          winnow_scheduler_set_run_hook (window, on_run, runs);
        }
      for (guint b = 0; b < 3; b++)
        {
          winnow_test_iterate_until (batch_finished, &batches[b], 120);
          batch_clear (&batches[b]);
        }
    }

  /* the killed runs' processes are gone: the window ends what they left
   * (its next recovery, not when their leases run out) */
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!all_final (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("tasks were left unfinished");
      winnow_scheduler_wake (window);
      g_main_context_iteration (NULL, TRUE);
    }
  winnow_scheduler_shutdown (window, WINNOW_SHUTDOWN_FINISH);

  /* no window task ran twice but after a restart stopped it, and each
   * completed */
  for (guint i = 0; i < window_tasks->len; i++)
    {
      gint64 id = winnow_task_get_id (g_ptr_array_index (window_tasks, i));
      g_autoptr(WinnowTask) task = reread (f, id);
      guint starts = GPOINTER_TO_UINT (g_hash_table_lookup (runs, &id));
      g_assert_cmpuint (starts, >=, 1);
      g_assert_cmpuint (starts, <=, 1 + GPOINTER_TO_UINT (g_hash_table_lookup (allowed, &id)));
      g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
      g_assert_true (g_file_test (winnow_task_get_output_path (task), G_FILE_TEST_EXISTS));
    }
  /* the killed windows' tasks: completed, by them or by this window
   * once they were gone, and run here at most once each but after
   * a restart */
  {
    TaskCount done = { f, (char *) "%/child-%", children * CHILD_TASKS };
    WinnowTaskQuery completed = { .statuses = 1u << WINNOW_TASK_COMPLETED,
                                  .sort = WINNOW_TASK_SORT_ID };
    g_autoptr(GPtrArray) tasks = winnow_task_store_query (f->store, &completed, 0, 1000, NULL);
    guint n = 0;

    g_assert_true (tasks_queued (&done));
    for (guint i = 0; i < tasks->len; i++)
      {
        WinnowTask *task = g_ptr_array_index (tasks, i);
        gint64 id = winnow_task_get_id (task);
        if (strstr (winnow_task_get_output_path (task), "/child-") == NULL)
          continue;
        n++;
        g_assert_true (g_file_test (winnow_task_get_output_path (task), G_FILE_TEST_EXISTS));
        g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (runs, &id)), <=,
                          1 + GPOINTER_TO_UINT (g_hash_table_lookup (allowed, &id)));
      }
    g_assert_cmpuint (n, ==, children * CHILD_TASKS);
  }
  /* the others: completed by their run, or failed because it died */
  {
    WinnowTaskQuery failed = { .statuses = 1u << WINNOW_TASK_FAILED, .sort = WINNOW_TASK_SORT_ID };
    g_autoptr(GPtrArray) tasks = winnow_task_store_query (f->store, &failed, 0, 1000, NULL);
    for (guint i = 0; i < tasks->len; i++)
      g_assert_cmpstr (winnow_task_get_error (g_ptr_array_index (tasks, i)), ==,
                       WINNOW_STORE_INTERRUPTED_MESSAGE);
    g_test_message ("%u tasks interrupted, %" G_GINT64_FORMAT " completed", tasks->len,
                    count_status (f, WINNOW_TASK_COMPLETED));
  }
  g_assert_cmpint (count_status (f, WINNOW_TASK_CANCELLED), ==, 0);
  integrity = winnow_task_store_check (f->store, NULL);
  g_assert_cmpstr (integrity, ==, "ok");
  assert_integrity (f);

  /* outputs whole, no temporary file */
  dir = g_dir_open (out, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      const char *want = g_hash_table_lookup (expected, name);
      g_autofree char *path = g_build_filename (out, name, NULL);
      g_autofree char *text = NULL;

      if (want == NULL)
        g_error ("a file that is no output was left: %s", name);
      text = winnow_test_read_file (path);
      g_assert_cmpstr (text, ==, want);
    }
}

int
main (int argc, char **argv)
{
  if (argc == 6 && strcmp (argv[1], "--window-child") == 0)
    return window_child (argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/history/cancel-between-claim-and-start", test_cancel_between_claim_and_start, NULL);
  ADD ("/history/cancel-then-shutdown", test_cancel_then_shutdown, NULL);
  ADD ("/history/cancel-from-other-process", test_cancel_from_other_process, NULL);
  ADD ("/history/lock-6s", test_lock, GUINT_TO_POINTER (6));
  ADD ("/history/lock-20s", test_lock, GUINT_TO_POINTER (20));
  ADD ("/history/lock-40s", test_lock, GUINT_TO_POINTER (40));
  ADD ("/history/disk-full", test_disk_full, NULL);
  ADD ("/history/disk-full-adding", test_disk_full_adding, NULL);
  ADD ("/history/stress", test_stress, NULL);
#undef ADD
  return g_test_run ();
}
