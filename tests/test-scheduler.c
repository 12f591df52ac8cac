/* test-scheduler.c: the job engine: pools of 1 and 4 workers give the
 * bytes a direct run gives, with column profiles or (told that no one
 * reads them) without; progress arrives on the owner's thread,
 * coalesced and monotonic; cancels, shutdowns, retries; and a worker
 * process killed mid-task is recovered by another scheduler. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "winnow-cleaner.h"
#include "winnow-recipe.h"
#include "winnow-result-record.h"
#include "winnow-scheduler-private.h"
#include "winnow-test-util.h"

typedef struct {
  WinnowTestDir dir;
  char *db;
  WinnowTaskStore *store;
  GThread *main_thread;
  GHashTable *finished;   /* id -> WinnowTask* as reported */
  GHashTable *started;    /* id set */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  winnow_test_dir_setup (&f->dir, NULL);
  f->db = g_build_filename (f->dir.dir, "tasks.db", NULL);
  f->store = winnow_task_store_new (f->db, &error);
  g_assert_no_error (error);
  f->main_thread = g_thread_self ();
  f->finished = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  f->started = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  /* what a scheduler said as it stopped reaches this test, not the next */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_hash_table_unref (f->finished);
  g_hash_table_unref (f->started);
  g_clear_object (&f->store);
  g_free (f->db);
  winnow_test_dir_teardown (&f->dir, NULL);
}

static gint64 *
id_key (WinnowTask *task)
{
  gint64 *key = g_new (gint64, 1);
  *key = winnow_task_get_id (task);
  return key;
}

static void
on_started (WinnowScheduler *scheduler, WinnowTask *task, Fixture *f)
{
  g_assert_true (g_thread_self () == f->main_thread);
  g_hash_table_add (f->started, id_key (task));
}

static void
on_finished (WinnowScheduler *scheduler, WinnowTask *task, Fixture *f)
{
  g_assert_true (g_thread_self () == f->main_thread);
  g_hash_table_insert (f->finished, id_key (task), g_object_ref (task));
}

static WinnowScheduler *
scheduler_new (Fixture *f, guint workers, WinnowSchedulerScope scope)
{
  WinnowScheduler *scheduler = winnow_scheduler_new (f->store, workers, scope);
  g_signal_connect (scheduler, "task-started", G_CALLBACK (on_started), f);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_finished), f);
  return scheduler;
}

#define iterate_until winnow_test_iterate_until

typedef struct {
  Fixture *f;
  guint n;
} Count;

static gboolean
n_finished (gpointer data)
{
  Count *c = data;
  return g_hash_table_size (c->f->finished) >= c->n;
}

static WinnowTask *
finished_task (Fixture *f, WinnowTask *task)
{
  gint64 id = winnow_task_get_id (task);
  return g_hash_table_lookup (f->finished, &id);
}

/* A dirty CSV of about @rows rows; @seed varies it. */
static char *
dirty_csv (guint rows, guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *s = g_string_new ("id,name,city,score\n");

  for (guint i = 0; i < rows; i++)
    {
      guint id = (guint) g_rand_int_range (rand, 0, rows / 2 + 1);
      g_string_append_printf (s, "%u,name %u,%s,%s\n", id, id % 97,
                              g_rand_int_range (rand, 0, 10) ? "Oslo" : "NA",
                              g_rand_int_range (rand, 0, 8) ? "12.5" : "");
    }
  return g_string_free (s, FALSE);
}

static const char recipe[] =
  "{\"winnow_recipe\": 1, \"drop_duplicates\": {}, \"drop_missing\": {\"subset\": [\"city\"]},"
  " \"fill\": [{\"column\": \"score\", \"strategy\": \"median\"}]}";

static void
run_pool (Fixture *f, guint workers)
{
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, workers, WINNOW_SCHEDULER_OWN_TASKS);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(WinnowRecipe) parsed = winnow_recipe_new_from_json (recipe, -1, NULL);
  g_autoptr(GError) error = NULL;
  Count count = { f, 12 };

  for (guint i = 0; i < count.n; i++)
    {
      g_autofree char *name = g_strdup_printf ("in%u.csv", i);
      g_autofree char *out = g_strdup_printf ("%s/in%u.out.csv", f->dir.dir, i);
      g_autofree char *csv = dirty_csv (2000 + i * 3000, i);
      g_autofree char *in = winnow_test_write_file (f->dir.dir, name, csv, -1);
      WinnowTask *task = winnow_scheduler_add (scheduler, in, out, recipe, FALSE, &error);
      g_assert_no_error (error);
      g_ptr_array_add (tasks, task);
    }
  iterate_until (n_finished, &count, 120);

  for (guint i = 0; i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      WinnowTask *done = finished_task (f, task);
      g_autofree char *direct = g_strdup_printf ("%s/in%u.direct.csv", f->dir.dir, i);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      WinnowResult *result;

      g_assert_nonnull (done);
      g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
      g_assert_nonnull (winnow_task_get_result (done));
      g_assert_true (g_hash_table_contains (f->started, &(gint64) { winnow_task_get_id (task) }));
      result = winnow_clean_file (parsed, winnow_task_get_input_path (task), direct,
                                  WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (winnow_task_get_rows_out (done), ==, (gint64) result->rows_written);
      winnow_result_free (result);
      a = winnow_test_read_file (winnow_task_get_output_path (task));
      b = winnow_test_read_file (direct);
      g_assert_cmpstr (a, ==, b);
    }
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

static void
test_pool_1 (Fixture *f, gconstpointer data)
{
  run_pool (f, 1);
}

static void
test_pool_4 (Fixture *f, gconstpointer data)
{
  run_pool (f, 4);
}

/* A scheduler told that no one reads the profiles (a batch run with no
 * history and no --json) writes the same bytes and counts, and its
 * results have no columns; by default they have one per output column. */
static void
test_no_profile (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = dirty_csv (20000, 7);
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", csv, -1);
  char *texts[2];
  WinnowResult *results[2];

  for (guint profile = 0; profile < 2; profile++)
    {
      g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_OWN_TASKS);
      g_autofree char *out = g_strdup_printf ("%s/out%u.csv", f->dir.dir, profile);
      g_autoptr(WinnowTask) task = NULL;
      g_autoptr(GError) error = NULL;
      Count count = { f, profile + 1 };
      WinnowTask *done;

      if (!profile)
        winnow_scheduler_set_profile (scheduler, FALSE);
      task = winnow_scheduler_add (scheduler, in, out, recipe, FALSE, &error);
      g_assert_no_error (error);
      iterate_until (n_finished, &count, 60);
      done = finished_task (f, task);
      g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
      results[profile] = winnow_result_from_record (winnow_task_get_result (done));
      texts[profile] = winnow_test_read_file (out);
      winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
    }
  g_assert_cmpstr (texts[0], ==, texts[1]);
  g_assert_cmpuint (results[0]->rows_written, ==, results[1]->rows_written);
  g_assert_cmpuint (results[0]->counts[WINNOW_STEP_FILL], >, 0);
  for (guint s = 0; s < WINNOW_N_STEPS; s++)
    g_assert_cmpuint (results[0]->counts[s], ==, results[1]->counts[s]);
  g_assert_cmpuint (results[0]->columns->len, ==, 0);
  g_assert_cmpuint (results[1]->columns->len, ==, 4);
  for (guint profile = 0; profile < 2; profile++)
    {
      winnow_result_free (results[profile]);
      g_free (texts[profile]);
    }
}

/* ---- progress ---- */

typedef struct {
  Fixture *f;
  double last;
  guint deliveries;
  gint64 first_at;
  gint64 last_at;
  WinnowScheduler *scheduler;
  gboolean cancel_on_first;
  gboolean release_on_first;
} Progress;

static void
on_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
             gint phase, Progress *p)
{
  g_assert_true (g_thread_self () == p->f->main_thread);
  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  g_assert_cmpfloat (winnow_task_get_progress (task), ==, fraction);
  p->last = fraction;
  if (p->deliveries++ == 0)
    p->first_at = g_get_monotonic_time ();
  p->last_at = g_get_monotonic_time ();
  if (p->deliveries == 1 && p->cancel_on_first)
    g_assert_true (winnow_scheduler_cancel (scheduler, winnow_task_get_id (task), NULL));
  if (p->deliveries == 1 && p->release_on_first)
    winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_RELEASE);
}

static char *
big_input (Fixture *f, const char *name, guint rows)
{
  g_autofree char *csv = dirty_csv (rows, 42);
  return winnow_test_write_file (f->dir.dir, name, csv, -1);
}

/* keep=last and a median: two passes over the file, for a longer task */
static const char slow_recipe[] =
  "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"last\"},"
  " \"fill\": [{\"column\": \"score\", \"strategy\": \"median\"}]}";

static void
test_progress (Fixture *f, gconstpointer data)
{
  g_autofree char *in = big_input (f, "big.csv", 1500000);
  g_autofree char *out = g_build_filename (f->dir.dir, "big.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 2, WINNOW_SCHEDULER_OWN_TASKS);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Progress p = { f, 0, 0, 0, 0, scheduler, FALSE, FALSE };
  Count count = { f, 1 };
  double seconds;

  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_progress), &p);
  task = winnow_scheduler_add (scheduler, in, out, slow_recipe, FALSE, &error);
  g_assert_no_error (error);
  iterate_until (n_finished, &count, 120);

  g_assert_cmpint (winnow_task_get_status (finished_task (f, task)), ==, WINNOW_TASK_COMPLETED);
  /* it ends at 1 */
  g_assert_cmpfloat (p.last, ==, 1.0);
  /* coalesced: about ten a second at most, however many batches it read */
  seconds = (p.last_at - p.first_at) / (double) G_USEC_PER_SEC;
  g_test_message ("%u progress updates in %.2f s", p.deliveries, seconds);
  g_assert_cmpuint (p.deliveries, >=, 2);
  g_assert_cmpfloat (p.deliveries, <=, 11 * seconds + 3);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

typedef struct {
  WinnowTaskStore *store;
  gint64 id;
  WinnowTaskStatus status;
} StatusWait;

static gboolean
has_status (gpointer data)
{
  StatusWait *w = data;
  g_autoptr(WinnowTask) task = winnow_task_store_get (w->store, w->id, NULL);
  return task != NULL && winnow_task_get_status (task) == w->status;
}

/* Iterates @context (not the scheduler's) until @done, failing at @seconds. */
static void
wait_elsewhere (GMainContext *context, gboolean (*done) (gpointer), gpointer data, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_autoptr(GSource) tick = g_timeout_source_new (10);
      g_source_set_dummy_callback (tick);
      g_source_attach (tick, context);
      g_main_context_iteration (context, TRUE);
      g_source_destroy (tick);
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting");
    }
}

static void
test_progress_coalesced (Fixture *f, gconstpointer data)
{
  g_autofree char *in = big_input (f, "big.csv", 800000);
  g_autofree char *out = g_build_filename (f->dir.dir, "big.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_OWN_TASKS);
  g_autoptr(GMainContext) elsewhere = g_main_context_new ();
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Progress p = { f, 0, 0, 0, 0, scheduler, FALSE, FALSE };
  Count count = { f, 1 };
  StatusWait completed;

  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_progress), &p);
  task = winnow_scheduler_add (scheduler, in, out, slow_recipe, FALSE, &error);
  completed = (StatusWait) { f->store, winnow_task_get_id (task), WINNOW_TASK_COMPLETED };

  /* The owner's context does not run while the task does: every report
   * made meanwhile collapses into one delivery, with the latest values. */
  wait_elsewhere (elsewhere, has_status, &completed, 120);
  iterate_until (n_finished, &count, 60);
  g_assert_cmpuint (p.deliveries, ==, 1);
  g_assert_cmpfloat (p.last, ==, 1.0);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

/* ---- cancel ---- */

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *in = big_input (f, "big.csv", 1500000);
  g_autofree char *small = winnow_test_write_file (f->dir.dir, "small.csv", "a\n1\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "big.out.csv", NULL);
  g_autofree char *small_out = g_build_filename (f->dir.dir, "small.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_OWN_TASKS);
  g_autoptr(WinnowTask) running = NULL;
  g_autoptr(WinnowTask) pending = NULL;
  g_autoptr(GError) error = NULL;
  Progress p = { f, 0, 0, 0, 0, scheduler, TRUE, FALSE };
  Count count = { f, 2 };
  gint64 pending_id;

  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_progress), &p);
  running = winnow_scheduler_add (scheduler, in, out, slow_recipe, FALSE, &error);
  pending = winnow_scheduler_add (scheduler, small, small_out, recipe, FALSE, &error);
  pending_id = winnow_task_get_id (pending);

  /* one worker: the second task waits, and is cancelled before it starts */
  g_assert_true (winnow_scheduler_cancel (scheduler, pending_id, &error));
  g_assert_no_error (error);
  iterate_until (n_finished, &count, 120);

  g_assert_cmpint (winnow_task_get_status (finished_task (f, pending)), ==, WINNOW_TASK_CANCELLED);
  g_assert_false (g_hash_table_contains (f->started, &pending_id));
  /* the running one was cancelled on its first progress report */
  g_assert_cmpint (winnow_task_get_status (finished_task (f, running)), ==, WINNOW_TASK_CANCELLED);
  g_assert_cmpfloat (p.last, <, 1.0);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (small_out, G_FILE_TEST_EXISTS));
  /* inputs and the database, nothing else: no temporary files */
  g_assert_cmpuint (winnow_test_count_files (f->dir.dir), ==, 2 + 3);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

/* ---- shutdown, retry, rerun ---- */

static void
test_shutdown_release (Fixture *f, gconstpointer data)
{
  g_autofree char *in = big_input (f, "big.csv", 1500000);
  g_autofree char *out = g_build_filename (f->dir.dir, "big.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowScheduler) next = NULL;
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) reread = NULL;
  g_autoptr(GError) error = NULL;
  Progress p = { f, 0, 0, 0, 0, scheduler, FALSE, TRUE };
  Count count = { f, 1 };

  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_progress), &p);
  task = winnow_scheduler_add (scheduler, in, out, slow_recipe, FALSE, &error);
  iterate_until (n_finished, &count, 120);

  /* stopped by the shutdown on its first report: PENDING again, no lease */
  reread = winnow_task_store_get (f->store, winnow_task_get_id (task), &error);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PENDING);
  g_assert_null (winnow_task_get_lease_owner (reread));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* the next start picks it up */
  g_hash_table_remove_all (f->finished);
  next = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  iterate_until (n_finished, &count, 120);
  g_assert_cmpint (winnow_task_get_status (finished_task (f, task)), ==, WINNOW_TASK_COMPLETED);
  g_assert_true (g_file_test (out, G_FILE_TEST_EXISTS));
  winnow_scheduler_shutdown (next, WINNOW_SHUTDOWN_FINISH);
}

static void
test_retry_rerun (Fixture *f, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a,b\n1,\"open\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "in.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 2, WINNOW_SCHEDULER_OWN_TASKS);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  Count count = { f, 1 };
  WinnowTask *done;

  task = winnow_scheduler_add (scheduler, in, out, "{\"winnow_recipe\": 1}", FALSE, &error);
  iterate_until (n_finished, &count, 60);
  done = finished_task (f, task);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_FAILED);
  g_assert_cmpstr (winnow_task_get_error (done), ==, "line 2: a quote is opened but never closed");

  /* the user fixes the file and retries */
  g_free (winnow_test_write_file (f->dir.dir, "in.csv", "a,b\n1,x\n1,x\n", -1));
  g_hash_table_remove_all (f->finished);
  g_assert_true (winnow_scheduler_retry (scheduler, winnow_task_get_id (task), &error));
  iterate_until (n_finished, &count, 60);
  done = finished_task (f, task);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpuint (winnow_task_get_attempts (done), ==, 1);
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "a,b\n1,x\n1,x\n");

  /* edit the recipe and run again: a new task, replacing the output */
  g_hash_table_remove_all (f->finished);
  again = winnow_scheduler_rerun (scheduler, winnow_task_get_id (task),
                                  "{\"winnow_recipe\": 1, \"drop_duplicates\": {}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_id (again), !=, winnow_task_get_id (task));
  iterate_until (n_finished, &count, 60);
  g_assert_cmpint (winnow_task_get_status (finished_task (f, again)), ==, WINNOW_TASK_COMPLETED);
  g_free (contents);
  contents = winnow_test_read_file (out);
  g_assert_cmpstr (contents, ==, "a,b\n1,x\n");
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

static void
test_other_process_tasks (Fixture *f, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a\n1\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "in.out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 2, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTaskStore) other = winnow_task_store_new (f->db, NULL);
  g_autoptr(WinnowTask) task = NULL;
  Count count = { f, 1 };

  /* another process adds a task to the same database: the poll finds it */
  task = winnow_task_store_add (other, in, out, "{\"winnow_recipe\": 1}", FALSE, NULL);
  iterate_until (n_finished, &count, 60);
  g_assert_cmpint (winnow_task_get_status (finished_task (f, task)), ==, WINNOW_TASK_COMPLETED);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

/* ---- crash recovery ---- */

static void
test_crash_recovery (Fixture *f, gconstpointer data)
{
  g_autofree char *in = big_input (f, "big.csv", 2500000);
  g_autofree char *out = g_build_filename (f->dir.dir, "big.out.csv", NULL);
  g_autofree char *direct = g_build_filename (f->dir.dir, "big.direct.csv", NULL);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowScheduler) scheduler = NULL;
  g_autoptr(WinnowRecipe) parsed = winnow_recipe_new_from_json (slow_recipe, -1, NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  StatusWait running;
  Count count = { f, 1 };
  WinnowResult *result;

  task = winnow_task_store_add (f->store, in, out, slow_recipe, FALSE, &error);
  g_assert_no_error (error);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            g_test_get_filename (G_TEST_BUILT, "test-scheduler", NULL),
                            "--run-scheduler", f->db, NULL);
  g_assert_no_error (error);
  running = (StatusWait) { f->store, winnow_task_get_id (task), WINNOW_TASK_PROCESSING };
  iterate_until (has_status, &running, 60);

  /* killed in the middle of its work */
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  /* a new scheduler takes the task over once its lease runs out */
  scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  winnow_scheduler_set_lease_ms (scheduler, 1000);
  iterate_until (n_finished, &count, 120);
  g_assert_cmpint (winnow_task_get_status (finished_task (f, task)), ==, WINNOW_TASK_COMPLETED);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);

  result = winnow_clean_file (parsed, in, direct, WINNOW_CLEAN_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  winnow_result_free (result);
  a = winnow_test_read_file (out);
  b = winnow_test_read_file (direct);
  g_assert_true (g_str_equal (a, b));
  /* the killed worker's temporary file went at the next start */
  g_assert_cmpuint (winnow_test_count_files (f->dir.dir), ==, 3 + 3);
}

/* The child of test_crash_recovery: a desktop-like scheduler with a
 * short lease, working until it is killed. */
static int
run_scheduler_main (const char *db)
{
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (db, NULL);
  g_autoptr(WinnowScheduler) scheduler = winnow_scheduler_new (store, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  winnow_scheduler_set_lease_ms (scheduler, 1000);
  g_main_loop_run (loop);
  return 0;
}

/* ---- a task that reports no progress for a while keeps its lease ---- */

static void
gate_hook (gint64 id, gpointer data)
{
  winnow_test_gate_pass (data);
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* The worker is held (as in a long fdatasync) for three lease lengths
 * without a word of progress: the scheduler renews the lease all the same,
 * so another process cannot take the task over, and it completes once. */
static void
test_stalled_task_keeps_lease (Fixture *f, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a\n1\n1\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_autoptr(WinnowTaskStore) other = NULL;
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) stolen = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTestGate gate;
  Count count = { f, 1 };
  WinnowTask *done;
  gint64 until;

  winnow_test_gate_init (&gate);
  winnow_scheduler_set_lease_ms (scheduler, 300);
  winnow_scheduler_set_run_hook (scheduler, gate_hook, &gate);
  task = winnow_scheduler_add (scheduler, in, out, "{\"winnow_recipe\": 1}", FALSE, &error);
  g_assert_no_error (error);
  iterate_until (winnow_test_gate_entered, &gate, 10);

  until = g_get_monotonic_time () + 900 * 1000;  /* three leases */
  iterate_until (time_passed, &until, 10);
  other = winnow_task_store_new (f->db, &error);
  g_assert_no_error (error);
  stolen = winnow_task_store_claim (other, "another-process", 300, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stolen);

  winnow_test_gate_open (&gate);
  iterate_until (n_finished, &count, 30);
  done = g_hash_table_lookup (f->finished, &(gint64) { winnow_task_get_id (task) });
  g_assert_nonnull (done);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpuint (winnow_task_get_attempts (done), ==, 0);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
  winnow_test_gate_clear (&gate);
}

/* ---- priority ---- */

typedef struct {
  int worker;        /* the nice value the task ran at */
  int started;       /* that of a thread the worker starts (a parse thread) */
} Nice;

static gpointer
read_nice (gpointer data)
{
  return GINT_TO_POINTER (getpriority (PRIO_PROCESS, 0) + 100);
}

static void
nice_hook (gint64 id, gpointer data)
{
  Nice *nice = data;

  nice->started = GPOINTER_TO_INT (g_thread_join (g_thread_new ("probe", read_nice, NULL))) - 100;
  g_atomic_int_set (&nice->worker, getpriority (PRIO_PROCESS, 0));
}

/* Cleaning runs at a lower priority than the thread that draws, its
 * parse threads too; the caller's own priority does not change. */
static void
test_background_priority (Fixture *f, gconstpointer data)
{
  g_autofree char *in = winnow_test_write_file (f->dir.dir, "in.csv", "a\n1\n1\n", -1);
  g_autofree char *out = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowScheduler) scheduler = scheduler_new (f, 1, WINNOW_SCHEDULER_OWN_TASKS);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  int before = getpriority (PRIO_PROCESS, 0);
  Nice nice = { -100, -100 };
  Count count = { f, 1 };

  winnow_scheduler_set_run_hook (scheduler, nice_hook, &nice);
  task = winnow_scheduler_add (scheduler, in, out, "{\"winnow_recipe\": 1}", FALSE, &error);
  g_assert_no_error (error);
  iterate_until (n_finished, &count, 30);
  g_assert_cmpint (nice.worker, ==, MAX (before, WINNOW_WORKER_NICE));
  g_assert_cmpint (nice.started, ==, nice.worker);
  g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, before);
  winnow_scheduler_shutdown (scheduler, WINNOW_SHUTDOWN_FINISH);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--run-scheduler"))
    return run_scheduler_main (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/scheduler/pool-1", test_pool_1);
  ADD ("/scheduler/pool-4", test_pool_4);
  ADD ("/scheduler/no-profile", test_no_profile);
  ADD ("/scheduler/progress", test_progress);
  ADD ("/scheduler/progress-coalesced", test_progress_coalesced);
  ADD ("/scheduler/cancel", test_cancel);
  ADD ("/scheduler/shutdown-release", test_shutdown_release);
  ADD ("/scheduler/retry-rerun", test_retry_rerun);
  ADD ("/scheduler/other-process-tasks", test_other_process_tasks);
  ADD ("/scheduler/crash-recovery", test_crash_recovery);
  ADD ("/scheduler/stalled-task-keeps-lease", test_stalled_task_keeps_lease);
  ADD ("/scheduler/background-priority", test_background_priority);
#undef ADD

  return g_test_run ();
}
