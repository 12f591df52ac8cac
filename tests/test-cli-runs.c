/* test-cli-runs.c: `winnow --batch` runs as processes: the real binary in
 * a subprocess with its history beside the test's folder: --jobs and the
 * history, --no-history, Ctrl-C (SIGINT), every thread of a run at the
 * lower priority (those GLib starts for the settings too), two batch
 * runs on one history, a task of a run taken by another process. What a
 * run prints for its options is in test-cli.c. */
#include "config.h"

#include <sqlite3.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli-util.h"
#include "winnow-task-store.h"

static WinnowTaskStore *
history (const char *dir)
{
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  g_autoptr(GError) error = NULL;
  WinnowTaskStore *store = winnow_task_store_new (db, &error);
  g_assert_no_error (error);
  return store;
}

static gint64
count_status (WinnowTaskStore *store, WinnowTaskStatus status)
{
  WinnowTaskQuery query = { .statuses = 1u << status };
  return winnow_task_store_count (store, &query, NULL, NULL);
}

static char *
write_big (const char *dir, const char *name, guint rows)
{
  GString *s = g_string_new ("id,name,score\n");
  g_autofree char *path = NULL;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (s, "%u,n%u,%s\n", i % (rows / 2), i % 1000, i % 7 ? "1.5" : "");
  path = winnow_test_write_file (dir, name, s->str, (gssize) s->len);
  g_string_free (s, TRUE);
  return g_steal_pointer (&path);
}

static void
test_jobs_and_history (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(WinnowTaskStore) store = NULL;
  g_auto (Run) parallel = { 0 };
  g_auto (Run) serial = { 0 };

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u.csv", i);
      g_free (write_big (fixture->dir, name, 20000 + i * 1000));
    }
  {
    g_autofree char *one = g_build_filename (fixture->dir, "one", NULL);
    g_mkdir (one, 0700);
  }
  run_winnow (&parallel, fixture->dir, "--batch", "--jobs", "3", "--drop-duplicates",
              "--fill", "score=mean", "f0.csv", "f1.csv", "f2.csv", "f3.csv", "f4.csv", NULL);
  /* short options with their values attached, as make takes -j1 */
  run_winnow (&serial, fixture->dir, "--batch", "-j1", "--drop-duplicates",
              "--fill", "score=mean", "--output-dir", "one", "f0.csv", "f1.csv", "f2.csv",
              "f3.csv", "f4.csv", NULL);
  g_assert_cmpint (parallel.status, ==, 0);
  g_assert_cmpint (serial.status, ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *a_path = g_strdup_printf ("%s/f%u.cleaned.csv", fixture->dir, i);
      g_autofree char *b_path = g_strdup_printf ("%s/one/f%u.cleaned.csv", fixture->dir, i);
      g_autofree char *a = winnow_test_read_file (a_path);
      g_autofree char *b = winnow_test_read_file (b_path);
      g_assert_true (g_str_equal (a, b));
    }

  /* both runs are in the history */
  store = history (fixture->dir);
  g_assert_cmpint (count_status (store, WINNOW_TASK_COMPLETED), ==, 10);
}

static void
test_no_history (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  g_auto (Run) run = { 0 };

  run_winnow (&run, fixture->dir, "--batch", "--no-history", "a.csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

/* Asks @done every 20 ms (iterating the main context meanwhile) until it
 * says yes; fails after a minute. */
static void
poll_until (gboolean (*done) (gconstpointer data), gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_autoptr(GSource) tick = g_timeout_source_new (20);

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_source_set_dummy_callback (tick);
      g_source_attach (tick, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (tick);
    }
}

typedef struct {
  const char *db;
  WinnowTaskStatus status;
  gint64 n;
} StatusWait;

static gboolean
has_status (gconstpointer data)
{
  const StatusWait *wait = data;
  g_autoptr(WinnowTaskStore) store = NULL;

  /* the child creates the database; poll it until the task runs */
  return g_file_test (wait->db, G_FILE_TEST_EXISTS) &&
         (store = winnow_task_store_new (wait->db, NULL)) != NULL &&
         count_status (store, wait->status) >= wait->n;
}

static void
wait_for_status (const char *dir, WinnowTaskStatus status, gint64 n)
{
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  StatusWait wait = { db, status, n };

  poll_until (has_status, &wait);
}

static void
ignore_hangup (gpointer data)
{
  signal (SIGHUP, SIG_IGN);
}

/* Ctrl-C (SIGINT), or SIGHUP (the terminal that started it closed),
 * while the run cleans: its tasks are cancelled, their partial outputs
 * removed, and it exits with 130. Started with SIGHUP ignored (`nohup`;
 * -SIGHUP here), the run goes on when its terminal closes and cleans its
 * files. */
static void
test_interrupt (WinnowTestDir *fixture, gconstpointer data)
{
  int signal_number = data != NULL ? ABS (GPOINTER_TO_INT (data)) : SIGINT;
  gboolean ignored = data != NULL && GPOINTER_TO_INT (data) < 0;
  g_autofree char *in = write_big (fixture->dir, "big.csv", 2000000);
  g_autofree char *small = winnow_test_write_file (fixture->dir, "small.csv", sample, -1);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_auto (Run) run = { 0 };

  if (ignored)
    set_next_child_setup (ignore_hangup);
  process = start_winnow (fixture->dir, "--batch", "--jobs", "1", "--drop-duplicates",
                          "--keep", "last", "--fill", "score=median", "big.csv", "small.csv", NULL);
  wait_for_status (fixture->dir, WINNOW_TASK_PROCESSING, 1);
  g_subprocess_send_signal (process, signal_number);
  finish_run (&run, process);
  g_test_message ("stdout:\n%s\nstderr:\n%s", run.out, run.err);

  if (ignored)
    {
      /* (small.csv has no column score: it fails on its own, exit 1) */
      g_assert_cmpint (run.status, ==, 1);
      assert_contains (run.out, "big.csv\tcompleted");
      assert_contains (run.out, "small.csv\tfailed\tfill[0].column");
      return;
    }
  g_assert_cmpint (run.status, ==, 130);
  assert_contains (run.out, "big.csv\tcancelled");
  assert_contains (run.out, "small.csv\tcancelled");
  /* no output, no temporary file: the two inputs only */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 2);
  store = history (fixture->dir);
  g_assert_cmpint (count_status (store, WINNOW_TASK_CANCELLED), ==, 2);
  g_assert_cmpint (count_status (store, WINNOW_TASK_PROCESSING), ==, 0);
}

typedef struct {
  char name[32];
  int nice;
} ThreadNice;

/* The name and nice value of each thread of process @pid, from /proc. */
static GArray *
thread_nice_values (const char *pid)
{
  g_autofree char *tasks = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr(GDir) dir = g_dir_open (tasks, 0, NULL);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (ThreadNice));
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tasks, tid, "stat", NULL);
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *name, *after_name;
      ThreadNice thread = { { 0 } };

      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;  /* the thread ended meanwhile */
      /* the name may hold spaces and parentheses: the fields after its
       * last ')' start at the state (field 3); the nice value is field 19 */
      name = strchr (stat, '(');
      after_name = strrchr (stat, ')');
      g_assert_nonnull (name);
      g_assert_nonnull (after_name);
      g_strlcpy (thread.name, name + 1, MIN (sizeof thread.name, (gsize) (after_name - name)));
      fields = g_strsplit (after_name + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      thread.nice = atoi (fields[16]);
      g_array_append_val (values, thread);
    }
  return values;
}

/* Every thread at the lower priority (docs/BEHAVIOUR.md, 11.2). */
static void
assert_background (GArray *threads)
{
  int own = getpriority (PRIO_PROCESS, 0);

  for (guint i = 0; i < threads->len; i++)
    {
      const ThreadNice *thread = &g_array_index (threads, ThreadNice, i);
      if (thread->nice != MAX (own, 10))
        g_error ("thread \"%s\" runs at nice %d", thread->name, thread->nice);
    }
}

static gboolean
has_thread (GArray *threads, const char *name)
{
  for (guint i = 0; i < threads->len; i++)
    if (strcmp (g_array_index (threads, ThreadNice, i).name, name) == 0)
      return TRUE;
  return FALSE;
}

/* A batch run is background work in every thread, not only in the ones
 * that clean (docs/BEHAVIOUR.md, 11.2). */
static void
test_background_priority (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = write_big (fixture->dir, "big.csv", 2000000);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GArray) threads = NULL;
  g_auto (Run) run = { 0 };

  process = start_winnow (fixture->dir, "--batch", "--jobs", "1", "--drop-duplicates",
                          "--keep", "last", "--fill", "score=median", "big.csv", NULL);
  wait_for_status (fixture->dir, WINNOW_TASK_PROCESSING, 1);
  threads = thread_nice_values (g_subprocess_get_identifier (process));
  g_subprocess_send_signal (process, SIGINT);
  finish_run (&run, process);

  /* the main thread, the bookkeeping thread, the history's and the
   * cleaning's: several, all at the lower priority */
  g_assert_cmpuint (threads->len, >=, 3);
  assert_background (threads);
  g_assert_cmpint (run.status, ==, 130);
}

typedef struct {
  const char *fds;   /* /proc/PID/fd */
  const char *db;
} OpenWait;

static gboolean
has_open (gconstpointer data)
{
  const OpenWait *wait = data;
  g_autoptr(GDir) dir = g_dir_open (wait->fds, 0, NULL);
  const char *fd;

  g_assert_nonnull (dir);
  while ((fd = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (wait->fds, fd, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);
      if (g_strcmp0 (target, wait->db) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Waits until process @pid has the history @db open. */
static void
wait_for_open (const char *pid, const char *db)
{
  g_autofree char *fds = g_build_filename ("/proc", pid, "fd", NULL);
  OpenWait wait = { fds, db };

  poll_until (has_open, &wait);
}

static gboolean
has_gmain (gconstpointer pid)
{
  g_autoptr(GArray) threads = thread_nice_values (pid);
  return has_thread (threads, "gmain");
}

/* So is a run whose recipe comes from the settings: reading them starts
 * GLib's own threads, before the run itself starts any. It is held at
 * its start by another program's write lock on the history. */
static void
test_background_priority_settings (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  g_autofree char *config = g_strconcat ("XDG_CONFIG_HOME=", fixture->dir, "/config", NULL);
  const char *env[] = { "GSETTINGS_BACKEND=keyfile", config, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GArray) threads = NULL;
  g_autoptr(WinnowTaskStore) store = history (fixture->dir);  /* the schema */
  g_auto (Run) run = { 0 };
  sqlite3 *lock = NULL;

  g_assert_cmpint (sqlite3_open (db, &lock), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  set_next_env (env);
  process = start_winnow (fixture->dir, "--batch", "a.csv", NULL);
  wait_for_open (g_subprocess_get_identifier (process), db);
  /* GLib's thread for the settings was started before; it names itself
   * when it first runs, which under load may come later */
  poll_until (has_gmain, g_subprocess_get_identifier (process));
  threads = thread_nice_values (g_subprocess_get_identifier (process));
  g_assert_cmpint (sqlite3_exec (lock, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (lock);
  finish_run (&run, process);

  assert_background (threads);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "4 -> 3 rows");
}

/* A run held at its start by another program's write lock on the history
 * hears SIGTERM at once: it stops waiting, queues nothing and says so (in
 * --json too), exit 130. Before, the signal's handler could run only once
 * the lock went (the history was opened and the files queued on the main
 * thread), and here SIGTERM's default action ended the run. The lock is
 * held until the run has ended: a run that waited for it would fail the
 * test. */
static void
test_interrupt_while_locked (WinnowTestDir *fixture, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (fixture->dir, "a.csv", sample, -1);
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(WinnowTaskStore) store = history (fixture->dir);  /* the schema */
  g_auto (Run) run = { 0 };
  WinnowTaskQuery all = { 0 };
  sqlite3 *lock = NULL;

  g_assert_cmpint (sqlite3_open (db, &lock), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  process = start_winnow (fixture->dir, "--batch", "--json", "a.csv", NULL);
  wait_for_open (g_subprocess_get_identifier (process), db);
  g_subprocess_send_signal (process, SIGTERM);
  finish_run (&run, process);
  g_test_message ("stdout:\n%s\nstderr:\n%s", run.out, run.err);
  g_assert_cmpint (sqlite3_exec (lock, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (lock);

  g_assert_cmpint (run.status, ==, 130);
  assert_contains (run.err, "interrupted before the files were queued");
  /* a script reading --json gets a document all the same */
  assert_contains (run.out, "\"tasks\": [\n  ],\n  \"completed\": 0");
  g_assert_cmpint (winnow_task_store_count (store, &all, NULL, NULL), ==, 0);
  /* the input alone: no output, no temporary file */
  g_assert_cmpuint (winnow_test_count_files (fixture->dir), ==, 1);
}

static void
test_two_processes (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  WinnowTaskQuery all = { 0 };
  g_auto (Run) ra = { 0 };
  g_auto (Run) rb = { 0 };

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u.csv", i);
      g_free (write_big (fixture->dir, name, 30000));
    }
  /* two batch runs on one database at once */
  a = start_winnow (fixture->dir, "--batch", "--jobs", "2", "--drop-duplicates", "f0.csv", "f1.csv",
                    "f2.csv", "f3.csv", NULL);
  b = start_winnow (fixture->dir, "--batch", "--jobs", "2", "--drop-duplicates", "f4.csv", "f5.csv",
                    "f6.csv", "f7.csv", NULL);
  finish_run (&ra, a);
  finish_run (&rb, b);
  g_assert_cmpint (ra.status, ==, 0);
  g_assert_cmpint (rb.status, ==, 0);

  /* each task ran once: completed, never retried, never recovered */
  store = history (fixture->dir);
  tasks = winnow_task_store_query (store, &all, 0, 100, NULL);
  g_assert_cmpuint (tasks->len, ==, 8);
  for (guint i = 0; i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
      g_assert_cmpuint (winnow_task_get_attempts (task), ==, 0);
    }
}

/* Another process takes a task of a batch run as a worker does (by hand
 * here: no window claims a batch run's tasks) and fails it: the run reads
 * its end from the store and exits, instead of waiting forever. */
static void
test_task_taken_elsewhere (WinnowTestDir *fixture, gconstpointer data)
{
  g_autoptr(GSubprocess) batch = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_strconcat (fixture->dir, ".db", NULL);
  sqlite3 *raw = NULL;
  g_autofree char *sql = NULL;
  WinnowTaskQuery all = { .sort = WINNOW_TASK_SORT_ID };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 second = 0;
  g_auto (Run) run = { 0 };

  g_free (write_big (fixture->dir, "big.csv", 400000));
  g_free (winnow_test_write_file (fixture->dir, "small.csv", "a\n1\n", -1));
  batch = start_winnow (fixture->dir, "--batch", "--jobs", "1", "--drop-duplicates", "big.csv",
                        "small.csv", NULL);
  store = history (fixture->dir);
  while (second == 0)
    {
      g_autoptr(GPtrArray) tasks = winnow_task_store_query (store, &all, 0, 10, NULL);
      if (tasks != NULL && tasks->len == 2)
        second = winnow_task_get_id (g_ptr_array_index (tasks, 1));
      else if (g_get_monotonic_time () > deadline)
        g_error ("the batch run added no tasks");
      else
        g_usleep (10000);  /* another process: nothing to wait on but the file */
    }
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  sqlite3_busy_timeout (raw, 30000);
  sql = g_strdup_printf ("UPDATE tasks SET status = 'PROCESSING', lease_owner = 'desktop',"
                         " lease_expires_at = '2999-01-01T00:00:00.000Z'"
                         " WHERE id = %" G_GINT64_FORMAT " AND status = 'PENDING'", second);
  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  if (sqlite3_changes (raw) == 0)
    {
      sqlite3_close (raw);
      finish_run (&run, batch);
      g_test_skip ("the batch run started the second task first");
      return;
    }
  sqlite3_close (raw);
  g_assert_true (winnow_task_store_fail (store, second, "desktop", "stopped by the desktop",
                                         &error));
  g_assert_no_error (error);

  finish_run (&run, batch);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.out, "small.csv\tfailed\tstopped by the desktop");
  assert_contains (run.out, "big.csv");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, WinnowTestDir, NULL, winnow_test_dir_setup, func, winnow_test_dir_teardown)
  ADD ("/cli/jobs-and-history", test_jobs_and_history);
  ADD ("/cli/no-history", test_no_history);
  ADD ("/cli/interrupt", test_interrupt);
  g_test_add ("/cli/hangup", WinnowTestDir, GINT_TO_POINTER (SIGHUP), winnow_test_dir_setup,
              test_interrupt, winnow_test_dir_teardown);
  g_test_add ("/cli/hangup-ignored", WinnowTestDir, GINT_TO_POINTER (-SIGHUP),
              winnow_test_dir_setup, test_interrupt, winnow_test_dir_teardown);
  ADD ("/cli/background-priority", test_background_priority);
  ADD ("/cli/background-priority-settings", test_background_priority_settings);
  ADD ("/cli/interrupt-while-locked", test_interrupt_while_locked);
  ADD ("/cli/two-processes", test_two_processes);
  ADD ("/cli/task-taken-elsewhere", test_task_taken_elsewhere);
#undef ADD

  return g_test_run ();
}
