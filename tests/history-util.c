/* history-util.c: see history-util.h. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "history-util.h"

void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  winnow_test_dir_setup (&f->dir, NULL);
  f->db = g_build_filename (f->dir.dir, "history.db", NULL);
  f->store = winnow_task_store_new (f->db, &error);
  g_assert_no_error (error);
  f->finished = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_hash_table_unref (f->finished);
  g_clear_object (&f->store);
  g_free (f->db);
  winnow_test_dir_teardown (&f->dir, NULL);
}

static void
on_finished (WinnowScheduler *scheduler, WinnowTask *task, Fixture *f)
{
  gint64 *key = g_new (gint64, 1);
  *key = winnow_task_get_id (task);
  g_hash_table_insert (f->finished, key, g_object_ref (task));
}

typedef struct {
  Fixture *f;
  gint64 id;
} Finished;

static gboolean
has_finished (gpointer data)
{
  Finished *w = data;
  return g_hash_table_contains (w->f->finished, &w->id);
}

WinnowTask *
wait_finished (Fixture *f, gint64 id, guint seconds)
{
  Finished w = { f, id };
  winnow_test_iterate_until (has_finished, &w, seconds);
  return g_hash_table_lookup (f->finished, &id);
}

/* A CSV of @rows rows with duplicates, in the test's folder. */
char *
write_rows (Fixture *f, const char *name, guint rows)
{
  g_autoptr(GString) text = g_string_new ("id,name,score\n");

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "%u,name %u,%u\n", i % (rows / 2 + 1), i % 1000, i % 97);
  return winnow_test_write_file (f->dir.dir, name, text->str, (gssize) text->len);
}

WinnowScheduler *
scheduler_new (Fixture *f, guint workers, WinnowSchedulerScope scope)
{
  WinnowScheduler *scheduler = winnow_scheduler_new (f->store, workers, scope);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_finished), f);
  return scheduler;
}

WinnowTask *
reread (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  WinnowTask *task = winnow_task_store_get (f->store, id, &error);
  g_assert_no_error (error);
  return task;
}

static void
batch_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Batch *batch = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &batch->out, &batch->err,
                                        &error);
  g_assert_no_error (error);
  batch->status = g_subprocess_get_if_exited (batch->process)
                  ? g_subprocess_get_exit_status (batch->process) : -1;
  batch->done = TRUE;
}

void
batch_clear (Batch *batch)
{
  g_clear_object (&batch->process);
  g_clear_pointer (&batch->out, g_free);
  g_clear_pointer (&batch->err, g_free);
}

gboolean
batch_finished (gpointer data)
{
  return ((Batch *) data)->done;
}

static long file_size_limit;

static void
limit_file_size (gpointer data)
{
  /* the hard limit stays: the test lifts the soft one later. SIGXFSZ
   * keeps its default action, which kills: winnow ignores it itself. */
  struct rlimit limit = { (rlim_t) file_size_limit, RLIM_INFINITY };

  signal (SIGXFSZ, SIG_DFL);
  setrlimit (RLIMIT_FSIZE, &limit);
}

/* Starts winnow --batch on @files (NULL-terminated) in the test's folder,
 * on the test's history, its outputs in out/; @limit: a file size limit
 * for the process (0: none). */
void
batch_start (Fixture *f, Batch *batch, long limit, const char *const *files)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  memset (batch, 0, sizeof *batch);
  {
    g_autofree char *out = g_build_filename (f->dir.dir, "out", NULL);
    g_mkdir_with_parents (out, 0755);
  }
  g_subprocess_launcher_set_cwd (launcher, f->dir.dir);
  if (limit > 0)
    {
      file_size_limit = limit;
      g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
    }
  g_ptr_array_add (argv, (gpointer) g_getenv ("WINNOW_BINARY"));
  g_ptr_array_add (argv, "--batch");
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, "--output-dir");
  g_ptr_array_add (argv, "out");
  g_ptr_array_add (argv, "--force");
  g_ptr_array_add (argv, "--jobs");
  g_ptr_array_add (argv, "1");
  g_ptr_array_add (argv, "--drop-duplicates");
  for (guint i = 0; files[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) files[i]);
  g_ptr_array_add (argv, NULL);
  batch->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                 &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (batch->process, NULL, NULL, batch_done, batch);
}

gboolean
some_task_is (gpointer data)
{
  StatusWait *w = data;
  WinnowTaskQuery query = { .statuses = 1u << w->status, .name = w->name };
  return winnow_task_store_count (w->f->store, &query, NULL, NULL) > 0;
}

/* Another program's write transaction on the history. */
sqlite3 *
lock_history (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 60000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE task_count SET n = n", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  return db;
}

void
unlock_history (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A scheduler's run hook: the worker waits at the gate @data. */
void
gate_hook (gint64 id, gpointer data)
{
  winnow_test_gate_pass (data);
}

gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

gint64
count_status (Fixture *f, WinnowTaskStatus status)
{
  WinnowTaskQuery query = { .statuses = 1u << status };
  return winnow_task_store_count (f->store, &query, NULL, NULL);
}

gboolean
output_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}
/* Whether the process @data (a Batch) is stopped: its state is T. */
gboolean
batch_stopped (gpointer data)
{
  Batch *batch = data;
  char state;
  guint64 start;

  return winnow_test_process_stat (g_subprocess_get_identifier (batch->process), &state, &start) &&
         state == 'T';
}

/* Runs @sql on the history while @batch's run is stopped (SIGSTOP, and
 * seen stopped), so that nothing of the run comes between: tried again
 * (the run let go on a while) if the run was stopped holding a lock @sql
 * needs. The run is left stopped. */
void
exec_while_stopped (Fixture *f, Batch *batch, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 200);
  for (;;)
    {
      gint64 until;
      sqlite3_stmt *statement = NULL;
      gboolean done;

      g_subprocess_send_signal (batch->process, SIGSTOP);
      winnow_test_iterate_until (batch_stopped, batch, 10);
      if (g_str_has_prefix (sql, "PRAGMA wal_checkpoint"))
        {
          /* one that could not finish says so in its first column */
          done = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL) == SQLITE_OK &&
                 sqlite3_step (statement) == SQLITE_ROW && sqlite3_column_int (statement, 0) == 0;
          sqlite3_finalize (statement);
        }
      else
        done = sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK;
      if (done)
        break;
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      g_subprocess_send_signal (batch->process, SIGCONT);
      until = g_get_monotonic_time () + 50 * 1000;
      winnow_test_iterate_until (time_passed, &until, 5);
    }
  sqlite3_close (db);
}

/* Puts the leases of @batch's run and tasks in the past while the run is
 * stopped, so that no renewal comes between. */
static const char expire_sql[] =
  "BEGIN IMMEDIATE;"
  "UPDATE tasks SET lease_expires_at = '2000-01-01T00:00:00.000Z' WHERE status = 'PROCESSING';"
  "UPDATE runs SET lease_expires_at = '2000-01-01T00:00:00.000Z';"
  "COMMIT";

void
expire_leases_of_stopped (Fixture *f, Batch *batch)
{
  exec_while_stopped (f, batch, expire_sql);
}

/* Puts every lease (tasks' and runs') in the past, as time would. */
void
expire_leases (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 30000);
  g_assert_cmpint (sqlite3_exec (db, expire_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Starts a batch run on big.csv (1.5 million rows), s1.csv and s2.csv
 * (one row each), and waits until big.csv runs. */
void
start_big_then_two (Fixture *f, Batch *batch)
{
  g_autofree char *big = write_rows (f, "big.csv", 1500000);
  const char *files[] = { "big.csv", "s1.csv", "s2.csv", NULL };
  StatusWait running = { f, WINNOW_TASK_PROCESSING, "big" };

  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u.csv", i);
      g_free (winnow_test_write_file (f->dir.dir, name, "a\n1\n", -1));
    }
  batch_start (f, batch, 0, files);
  winnow_test_iterate_until (some_task_is, &running, 60);
}

/* count(*) of the rows of @table @where (one text parameter, ?1 =
 * @text), read on a connection of its own, as another process would; -1
 * if it cannot be read */
gint64
count_rows_where (Fixture *f, const char *table, const char *where, const char *text)
{
  g_autofree char *sql = g_strconcat ("SELECT count(*) FROM ", table, " WHERE ", where, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = -1;

  if (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, sql, -1, &s, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (s, 1, text, -1, SQLITE_STATIC);
      if (sqlite3_step (s) == SQLITE_ROW)
        n = sqlite3_column_int64 (s, 0);
    }
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

gint64
count_tasks_where (Fixture *f, const char *where, const char *text)
{
  return count_rows_where (f, "tasks", where, text);
}

/* The oldest task waiting in @run's queue (NULL: the window's), claimed
 * by @owner for @lease_ms. */
WinnowTask *
claim_as (Fixture *f, const char *owner, gint64 lease_ms, const char *run)
{
  g_autoptr(GError) error = NULL;
  WinnowTask *task = winnow_task_store_claim (f->store, owner, lease_ms, run, &error);

  g_assert_no_error (error);
  g_assert_nonnull (task);
  return task;
}

/* The leases of the process @process runs (a batch run, a window), for
 * LIKE: "HOST:PID:%" (winnow_task_store_new_owner()); one that matches
 * nothing once it has ended. */
char *
lease_owner_pattern (GSubprocess *process)
{
  const char *pid = g_subprocess_get_identifier (process);

  return g_strdup_printf ("%s:%s:%%", g_get_host_name (), pid != NULL ? pid : "-");
}

/* How many tasks owners @pattern (LIKE) hold, or -1 */
gint64
tasks_held (Fixture *f, const char *pattern)
{
  return count_tasks_where (f, "status = 'PROCESSING' AND lease_owner LIKE ?1", pattern);
}

/* Does the batch run hold a task, or has it ended? */
gboolean
batch_holds_task (gpointer data)
{
  BatchWait *w = data;

  return w->batch->done || tasks_held (w->f, w->owner) > 0;
}

/* In a child process, before it runs: killed when the test ends (or
 * fails). */
void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}
