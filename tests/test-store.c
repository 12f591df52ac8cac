/* test-store.c: the task store's transitions: lifecycle and refused
 * transitions, atomic claims across threads and processes, leases (those
 * of a live owner kept), batch runs' leases and interrupted tasks, and
 * busy never read as a state. Opening (migrations, damaged, locked and
 * read-only databases) is in test-store-open.c, name searches in
 * test-store-names.c, the list queries in test-store-queries.c. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "store-util.h"

static WinnowTask *
reload (WinnowTaskStore *store, WinnowTask *task)
{
  g_autoptr(GError) error = NULL;
  WinnowTask *fresh = winnow_task_store_get (store, winnow_task_get_id (task), &error);
  g_assert_no_error (error);
  return fresh;
}

static void
test_lifecycle (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) task = add (f->store, "customers.csv");
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(WinnowTask) done = NULL;
  g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();
  gint64 id = winnow_task_get_id (task);
  gboolean cancel = TRUE;
  WinnowTaskResult *stored;

  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_PENDING);
  g_assert_cmpstr (winnow_task_get_file_name (task), ==, "customers.csv");
  g_assert_nonnull (winnow_task_get_created (task));

  claimed = winnow_task_store_claim (f->store, "worker-a", WINNOW_LEASE_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, id);
  g_assert_cmpint (winnow_task_get_status (claimed), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpstr (winnow_task_get_lease_owner (claimed), ==, "worker-a");
  g_assert_nonnull (winnow_task_get_started (claimed));
  g_assert_null (winnow_task_store_claim (f->store, "worker-b", WINNOW_LEASE_MS, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (winnow_task_store_renew_lease (f->store, id, "worker-a", WINNOW_LEASE_MS, &cancel, &error));
  g_assert_false (cancel);
  g_assert_true (winnow_task_store_set_progress (f->store, id, "worker-a", 0.5, &error));

  result->rows_read = 100;
  result->rows_written = 90;
  g_free (result->summary);
  result->summary = g_strdup ("{\"rows_read\":100,\"rows_written\":90,\"duplicates_removed\":10}");
  g_free (result->columns);
  result->columns = g_strdup ("[{\"name\": \"id\"}]");
  g_assert_true (winnow_task_store_complete (f->store, id, "worker-a", result, &error));
  g_assert_no_error (error);

  done = reload (f->store, task);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpfloat (winnow_task_get_progress (done), ==, 1.0);
  g_assert_null (winnow_task_get_lease_owner (done));
  g_assert_nonnull (winnow_task_get_finished (done));
  g_assert_cmpint (winnow_task_get_rows_in (done), ==, 100);
  g_assert_cmpint (winnow_task_get_rows_out (done), ==, 90);
  g_assert_cmpfloat (winnow_task_get_duration (done), >=, 0);
  stored = winnow_task_get_result (done);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->summary, ==, "{\"rows_read\":100,\"rows_written\":90,\"duplicates_removed\":10}");
  g_assert_cmpstr (stored->columns, ==, "[{\"name\": \"id\"}]");
  g_assert_cmpint (stored->rows_read, ==, 100);
  g_assert_cmpint (stored->rows_written, ==, 90);
}

static void
test_fail_retry_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) a = add (f->store, "a.csv");
  g_autoptr(WinnowTask) b = add (f->store, "b.csv");
  g_autoptr(WinnowTask) claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, &error);
  g_autoptr(WinnowTask) reread = NULL;
  gint64 a_id = winnow_task_get_id (a), b_id = winnow_task_get_id (b);
  gboolean cancel = FALSE;
  gint64 counts[WINNOW_TASK_N_STATUSES];

  /* oldest first */
  g_assert_cmpint (winnow_task_get_id (claimed), ==, a_id);
  g_assert_true (winnow_task_store_fail (f->store, a_id, "w", "line 3: a quote is opened", &error));
  reread = reload (f->store, a);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_FAILED);
  g_assert_cmpstr (winnow_task_get_error (reread), ==, "line 3: a quote is opened");

  g_assert_true (winnow_task_store_retry (f->store, a_id, NULL, &error));
  g_clear_object (&reread);
  reread = reload (f->store, a);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PENDING);
  g_assert_cmpuint (winnow_task_get_attempts (reread), ==, 1);
  g_assert_null (winnow_task_get_error (reread));

  /* a pending task is cancelled at once */
  g_assert_true (winnow_task_store_cancel (f->store, b_id, &error));
  g_clear_object (&reread);
  reread = reload (f->store, b);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_CANCELLED);
  g_assert_true (winnow_task_store_retry (f->store, b_id, NULL, &error));

  /* a running one is asked to stop, and its worker finishes it */
  g_clear_object (&claimed);
  claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, a_id);
  g_assert_true (winnow_task_store_cancel (f->store, a_id, &error));
  g_assert_true (winnow_task_store_renew_lease (f->store, a_id, "w", WINNOW_LEASE_MS, &cancel, &error));
  g_assert_true (cancel);
  g_assert_true (winnow_task_store_finish_cancelled (f->store, a_id, "w", &error));
  g_clear_object (&reread);
  reread = reload (f->store, a);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_CANCELLED);

  /* released: back in the queue for anyone */
  g_clear_object (&claimed);
  claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, b_id);
  g_assert_true (winnow_task_store_release (f->store, b_id, "w", &error));
  g_clear_object (&reread);
  reread = reload (f->store, b);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PENDING);

  g_assert_true (winnow_task_store_count_by_status (f->store, counts, &error));
  g_assert_cmpint (counts[WINNOW_TASK_PENDING], ==, 1);
  g_assert_cmpint (counts[WINNOW_TASK_CANCELLED], ==, 1);
  g_assert_cmpint (winnow_task_store_clear_finished (f->store, 0, NULL, &error), ==, 1);
  g_assert_true (winnow_task_store_delete (f->store, b_id, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_count_by_status (f->store, counts, &error));
  for (guint i = 0; i < WINNOW_TASK_N_STATUSES; i++)
    g_assert_cmpint (counts[i], ==, 0);
}

/* Clear Finished Tasks deletes what it counted: a task that was queued
 * or running then, and finished before the clear went to the history,
 * stays; a task counted then queued again (a retry) stays too. */
static void
test_clear_counted (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) a = add (f->store, "a.csv");
  g_autoptr(WinnowTask) b = add (f->store, "b.csv");
  g_autoptr(WinnowTask) c = add (f->store, "c.csv");
  g_autoptr(WinnowTask) d = add (f->store, "d.csv");
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(GArray) unfinished = NULL;
  gint64 last = 0, total = -1;
  g_autoptr(GArray) hidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  WinnowTaskQuery hiding = { 0 };
  gint64 a_id = winnow_task_get_id (a), b_id = winnow_task_get_id (b);
  gint64 c_id = winnow_task_get_id (c), d_id = winnow_task_get_id (d);

  /* a and c finished; b running; d queued, after the last finished one */
  g_assert_true (winnow_task_store_cancel (f->store, a_id, &error));
  claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, b_id);
  g_assert_true (winnow_task_store_cancel (f->store, c_id, &error));

  /* a task deleted, its undo offered, is not the clear's: not counted,
   * and kept */
  g_array_append_val (hidden, c_id);
  g_assert_cmpint (winnow_task_store_count_finished (f->store, hidden, &last, &unfinished, &error),
                   ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (last, ==, a_id);
  g_assert_cmpuint (unfinished->len, ==, 1);
  g_assert_cmpint (g_array_index (unfinished, gint64, 0), ==, c_id);
  g_clear_pointer (&unfinished, g_array_unref);
  g_array_set_size (hidden, 0);

  g_assert_cmpint (winnow_task_store_count_finished (f->store, NULL, &last, &unfinished, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (last, ==, c_id);
  g_assert_cmpuint (unfinished->len, ==, 1);
  g_assert_cmpint (g_array_index (unfinished, gint64, 0), ==, b_id);

  /* while the undo is offered: b finishes, a is queued again */
  g_assert_true (winnow_task_store_fail (f->store, b_id, "w", "broken", &error));
  g_assert_true (winnow_task_store_retry (f->store, a_id, NULL, &error));
  g_assert_true (winnow_task_store_cancel (f->store, d_id, &error));

  /* the list hides what the clear counted and is still finished: c */
  hiding.hide_finished_upto = last;
  hiding.hide_finished_keep = unfinished;
  g_assert_cmpint (winnow_task_store_count (f->store, &hiding, &total, &error), ==, 3);
  g_assert_no_error (error);
  /* and leaves it out of the total, as it does a deletion offered for
   * undo (counted once when both hide it): the list then looks like the
   * history it will be */
  g_assert_cmpint (total, ==, 3);
  g_array_append_val (hidden, c_id);
  g_array_append_val (hidden, d_id);
  hiding.hidden = hidden;
  g_assert_cmpint (winnow_task_store_count (f->store, &hiding, &total, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 2);
  hiding.hidden = NULL;

  /* the clear: c only */
  g_assert_cmpint (winnow_task_store_clear_finished (f->store, last, unfinished, &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&claimed);
  claimed = winnow_task_store_get (f->store, c_id, &error);
  g_assert_null (claimed);
  g_clear_error (&error);
  for (guint i = 0; i < 3; i++)
    {
      gint64 kept[] = { a_id, b_id, d_id };
      g_autoptr(WinnowTask) task = winnow_task_store_get (f->store, kept[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (task);
    }
}

static void
assert_refused (gboolean ok, GError **error, WinnowStoreError code, const char *message)
{
  g_assert_false (ok);
  g_assert_error (*error, WINNOW_STORE_ERROR, (gint) code);
  if (strstr ((*error)->message, message) == NULL)
    g_error ("expected “%s” in “%s”", message, (*error)->message);
  g_clear_error (error);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) pending = add (f->store, "p.csv");
  g_autoptr(WinnowTask) running = add (f->store, "r.csv");
  g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();
  g_autoptr(WinnowTask) claimed = NULL;
  gint64 p = winnow_task_get_id (pending);
  gint64 r = winnow_task_get_id (running);

  /* completing, failing or renewing a pending task */
  assert_refused (winnow_task_store_complete (f->store, p, "w", result, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "is PENDING, not processing");
  assert_refused (winnow_task_store_fail (f->store, p, "w", "x", &error), &error,
                  WINNOW_STORE_ERROR_STATE, "is PENDING");
  assert_refused (winnow_task_store_renew_lease (f->store, p, "w", 1000, NULL, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "is PENDING");
  assert_refused (winnow_task_store_retry (f->store, p, NULL, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "only a failed or cancelled task can be retried");

  claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, p);
  g_clear_object (&claimed);
  claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, r);

  /* another worker's task */
  assert_refused (winnow_task_store_set_progress (f->store, r, "intruder", 0.5, &error), &error,
                  WINNOW_STORE_ERROR_LEASE_LOST, "no longer held by intruder");
  assert_refused (winnow_task_store_complete (f->store, r, "intruder", result, &error), &error,
                  WINNOW_STORE_ERROR_LEASE_LOST, "no longer held");
  assert_refused (winnow_task_store_delete (f->store, r, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "cancel it before deleting it");

  /* finished tasks stay finished */
  g_assert_true (winnow_task_store_complete (f->store, r, "w", result, &error));
  assert_refused (winnow_task_store_complete (f->store, r, "w", result, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "is COMPLETED");
  assert_refused (winnow_task_store_cancel (f->store, r, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "it has already finished");
  assert_refused (winnow_task_store_retry (f->store, r, NULL, &error), &error,
                  WINNOW_STORE_ERROR_STATE, "only a failed or cancelled task");
  assert_refused (winnow_task_store_get (f->store, 4242, &error) != NULL, &error,
                  WINNOW_STORE_ERROR_NOT_FOUND, "there is no task 4242");
  assert_refused (winnow_task_store_cancel (f->store, 4242, &error), &error,
                  WINNOW_STORE_ERROR_NOT_FOUND, "no task 4242");
}

static void
test_lease_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) dead = add (f->store, "dead.csv");
  g_autoptr(WinnowTask) live = add (f->store, "live.csv");
  g_autoptr(WinnowTask) doomed = add (f->store, "doomed.csv");
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(WinnowTask) reread = NULL;

  claimed = winnow_task_store_claim (f->store, "dead-worker", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (dead));
  g_clear_object (&claimed);
  claimed = winnow_task_store_claim (f->store, "live-worker", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (live));
  g_clear_object (&claimed);
  claimed = winnow_task_store_claim (f->store, "dead-worker", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (doomed));
  g_clear_object (&claimed);
  g_assert_true (winnow_task_store_cancel (f->store, winnow_task_get_id (doomed), &error));

  /* the dead worker stopped renewing: its leases are in the past */
  raw_exec (f->path, "UPDATE tasks SET lease_expires_at = '2000-01-01T00:00:00.000Z'"
                     " WHERE lease_owner = 'dead-worker'");

  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 2);
  reread = reload (f->store, dead);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PENDING);
  g_assert_null (winnow_task_get_lease_owner (reread));
  g_clear_object (&reread);
  /* a cancel asked for while it ran is honoured */
  reread = reload (f->store, doomed);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_CANCELLED);

  /* the recovered task goes to the next worker; the live one stays put */
  claimed = winnow_task_store_claim (f->store, "new-worker", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (dead));
  g_clear_object (&claimed);
  g_assert_null (winnow_task_store_claim (f->store, "new-worker", WINNOW_LEASE_MS, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&reread);
  reread = reload (f->store, live);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpstr (winnow_task_get_lease_owner (reread), ==, "live-worker");
  /* and the dead worker cannot finish what it lost */
  g_assert_false (winnow_task_store_fail (f->store, winnow_task_get_id (dead), "dead-worker", "x", &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_LEASE_LOST);
  g_clear_error (&error);

  /* the claimer recovers too: a lease in the past is taken over */
  raw_exec (f->path, "UPDATE tasks SET lease_expires_at = '2000-01-01T00:00:00.000Z'"
                     " WHERE lease_owner = 'live-worker'");
  claimed = winnow_task_store_claim (f->store, "other", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (live));
}

/* A lease that ran out is not taken from an owner known to be alive
 * (winnow-task-store-owners.c): one of this process not ended yet, or
 * another process of this host that still runs, however late its
 * renewal (a lock held by another program keeps renewals out). An
 * owner that ended, or whose process is gone, loses it. */
static void
test_lease_of_live_owner (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mine = winnow_task_store_new_owner ();
  g_autofree char *child_owner = NULL;
  g_autoptr(WinnowTask) task = add (f->store, "mine.csv");
  g_autoptr(WinnowTask) other = add (f->store, "other.csv");
  g_autoptr(WinnowTask) claimed = NULL;
  g_autoptr(WinnowTask) reread = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_auto(GStrv) parts = g_strsplit (mine, ":", 4);
  const char *argv[] = { "sleep", "60", NULL };

  if (!g_file_test ("/proc/self/ns/pid", G_FILE_TEST_EXISTS) || g_str_has_suffix (mine, ":"))
    {
      g_test_skip ("this system does not tell a process's PID namespace and start time");
      return;
    }
  claimed = winnow_task_store_claim (f->store, mine, WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (task));
  g_clear_object (&claimed);
  /* another process of this host: its name as its own scheduler makes it,
   * with its id and start time (read from this process's as a model) */
  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    char state;
    guint64 start;

    g_assert_true (winnow_test_process_stat (g_subprocess_get_identifier (child), &state, &start));
    child_owner = g_strdup_printf ("%s:%s:0:%.*s.%" G_GUINT64_FORMAT "/0", parts[0],
                                   g_subprocess_get_identifier (child),
                                   (int) strcspn (parts[3], "."), parts[3], start);
  }
  claimed = winnow_task_store_claim (f->store, child_owner, WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (other));
  raw_exec (f->path, "UPDATE tasks SET lease_expires_at = '2000-01-01T00:00:00.000Z'");

  /* both alive: nothing is taken */
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 0);
  g_assert_no_error (error);
  reread = reload (f->store, task);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PROCESSING);
  g_clear_object (&reread);

  /* the other process ends: its lease goes; this one's stays */
  g_subprocess_force_exit (child);
  g_assert_false (g_subprocess_wait_check (child, NULL, NULL));
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 1);
  reread = reload (f->store, other);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PENDING);
  g_clear_object (&reread);

  /* this process's owner ends: its lease goes too */
  winnow_task_store_end_owner (mine);
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 1);
  reread = reload (f->store, task);
  g_assert_cmpint (winnow_task_get_status (reread), ==, WINNOW_TASK_PENDING);
}

static void
test_claim_scoped (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) desktop = add (f->store, "desktop.csv");
  WinnowTaskSpec spec = { "/data/mine.csv", "/data/mine.cleaned.csv", "{}", FALSE };
  g_autoptr(GPtrArray) mine = winnow_task_store_add_many (f->store, &spec, 1, "run-1",
                                                          WINNOW_LEASE_MS, &error);
  g_autoptr(WinnowTask) claimed = NULL;
  gint64 id;

  g_assert_no_error (error);
  id = winnow_task_get_id (g_ptr_array_index (mine, 0));
  /* a batch run takes its own task, though an older one waits */
  claimed = winnow_task_store_claim (f->store, "batch", WINNOW_LEASE_MS, "run-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, id);
  g_clear_object (&claimed);
  g_assert_null (winnow_task_store_claim (f->store, "batch", WINNOW_LEASE_MS, "run-1", &error));
  g_assert_no_error (error);
  /* the window's queue: never a batch run's task */
  claimed = winnow_task_store_claim (f->store, "desktop", WINNOW_LEASE_MS, NULL, &error);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (desktop));
  g_clear_object (&claimed);
  g_assert_null (winnow_task_store_claim (f->store, "desktop", WINNOW_LEASE_MS, NULL, &error));
  g_assert_no_error (error);
}

/* ---- atomic claims ---- */

#define N_CLAIM_TASKS 1000

static void
fill_queue (WinnowTaskStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree WinnowTaskSpec *specs = g_new0 (WinnowTaskSpec, N_CLAIM_TASKS);
  g_autoptr(GPtrArray) tasks = NULL;

  for (guint i = 0; i < N_CLAIM_TASKS; i++)
    {
      char *name = g_strdup_printf ("/data/t%u.csv", i);
      g_ptr_array_add (names, name);
      specs[i].input_path = name;
      specs[i].output_path = "/data/out.csv";
      specs[i].recipe_json = "{}";
    }
  tasks = winnow_task_store_add_many (store, specs, N_CLAIM_TASKS, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, N_CLAIM_TASKS);
}

typedef struct {
  const char *path;
  guint index;
  GArray *claimed;
} ClaimThread;

/* Claims until the queue is empty, each task finished at once. */
static void
claim_all (const char *path, const char *owner, GArray *claimed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = winnow_task_store_new (path, &error);
  g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();
  WinnowTask *task;

  g_assert_no_error (error);
  winnow_task_store_set_patience (store, 60000);
  while ((task = winnow_task_store_claim (store, owner, WINNOW_LEASE_MS, NULL, &error)) != NULL)
    {
      gint64 id = winnow_task_get_id (task);
      g_array_append_val (claimed, id);
      g_assert_true (winnow_task_store_complete (store, id, owner, result, &error));
      g_object_unref (task);
    }
  g_assert_no_error (error);
}

static gpointer
claim_thread (gpointer data)
{
  ClaimThread *t = data;
  g_autofree char *owner = g_strdup_printf ("thread-%u", t->index);
  claim_all (t->path, owner, t->claimed);
  return NULL;
}

static void
assert_each_once (GArray **lists, guint n)
{
  g_autofree guint *seen = g_new0 (guint, N_CLAIM_TASKS + 1);
  guint total = 0;

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < lists[i]->len; k++)
      {
        gint64 id = g_array_index (lists[i], gint64, k);
        g_assert_cmpint (id, >=, 1);
        g_assert_cmpint (id, <=, N_CLAIM_TASKS);
        g_assert_cmpuint (seen[id]++, ==, 0);
        total++;
      }
  g_assert_cmpuint (total, ==, N_CLAIM_TASKS);
}

static void
test_claim_threads (Fixture *f, gconstpointer data)
{
  ClaimThread threads[8];
  GThread *handles[8];
  GArray *lists[8];

  fill_queue (f->store);
  for (guint i = 0; i < 8; i++)
    {
      lists[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      threads[i] = (ClaimThread) { f->path, i, lists[i] };
      handles[i] = g_thread_new ("claimer", claim_thread, &threads[i]);
    }
  for (guint i = 0; i < 8; i++)
    g_thread_join (handles[i]);
  assert_each_once (lists, 8);
  for (guint i = 0; i < 8; i++)
    g_array_unref (lists[i]);
}

static void
test_claim_processes (Fixture *f, gconstpointer data)
{
  GSubprocess *children[2];
  GArray *lists[2];
  g_autoptr(GError) error = NULL;

  fill_queue (f->store);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/claimed-%u.txt", f->dir.dir, i);
      children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_test_get_filename (G_TEST_BUILT, "test-store", NULL),
                                      "--claim-worker", f->path, out, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/claimed-%u.txt", f->dir.dir, i);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_subprocess_wait_check (children[i], NULL, &error));
      g_assert_no_error (error);
      g_object_unref (children[i]);
      text = winnow_test_read_file (out);
      lines = g_strsplit (text, "\n", -1);
      lists[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint k = 0; lines[k] && lines[k][0]; k++)
        {
          gint64 id = g_ascii_strtoll (lines[k], NULL, 10);
          g_array_append_val (lists[i], id);
        }
    }
  assert_each_once (lists, 2);
  g_array_unref (lists[0]);
  g_array_unref (lists[1]);
}

/* The child process of test_claim_processes. */
static int
claim_worker_main (const char *path, const char *out)
{
  g_autoptr(GArray) claimed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *owner = g_strdup_printf ("process-%d", (int) getpid ());

  claim_all (path, owner, claimed);
  for (guint i = 0; i < claimed->len; i++)
    g_string_append_printf (text, "%" G_GINT64_FORMAT "\n", g_array_index (claimed, gint64, i));
  return g_file_set_contents (out, text->str, -1, NULL) ? 0 : 1;
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* A batch run's lease: its tasks wait while it lives; once it ends (its
 * lease runs out, its process died), what it left fails, saying why, and
 * can be retried in the window's queue. A process never fails its own. */
static void
test_runs (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  WinnowTaskSpec specs[] = {
    { "/data/a.csv", "/data/a.out.csv", "{}", FALSE },
    { "/data/b.csv", "/data/b.out.csv", "{}", FALSE },
  };
  g_autoptr(GPtrArray) tasks = winnow_task_store_add_many (f->store, specs, 2, "host:1:run",
                                                           300, &error);
  g_autoptr(WinnowTask) running = NULL;
  g_autoptr(WinnowTask) a = NULL;
  g_autoptr(WinnowTask) b = NULL;
  g_autoptr(WinnowTask) again = NULL;
  gint64 until;

  g_assert_no_error (error);
  /* b runs, with a lease as short as the run's */
  running = winnow_task_store_claim (f->store, "host:1:run/0", 300, "host:1:run", &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_id (running), ==, winnow_task_get_id (g_ptr_array_index (tasks, 0)));

  /* both leases run out: the run itself does not fail its tasks ... */
  until = g_get_monotonic_time () + 400 * 1000;
  winnow_test_iterate_until (time_passed, &until, 5);
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, "host:1:run", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_renew_run (f->store, "host:1:run", 300, &error));
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 1);  /* the lease */

  /* ... anyone else does, once the run's lease is gone */
  until = g_get_monotonic_time () + 400 * 1000;
  winnow_test_iterate_until (time_passed, &until, 5);
  g_assert_cmpuint (winnow_task_store_recover_expired (f->store, NULL, &error), ==, 2);
  g_assert_no_error (error);
  a = winnow_task_store_get (f->store, winnow_task_get_id (g_ptr_array_index (tasks, 0)), &error);
  b = winnow_task_store_get (f->store, winnow_task_get_id (g_ptr_array_index (tasks, 1)), &error);
  g_assert_cmpint (winnow_task_get_status (a), ==, WINNOW_TASK_FAILED);
  g_assert_cmpint (winnow_task_get_status (b), ==, WINNOW_TASK_FAILED);
  g_assert_cmpstr (winnow_task_get_error (b), ==, WINNOW_STORE_INTERRUPTED_MESSAGE);

  /* Retry: the window's queue takes it */
  g_assert_true (winnow_task_store_retry (f->store, winnow_task_get_id (b), NULL, &error));
  again = winnow_task_store_claim (f->store, "window:2:x/0", WINNOW_LEASE_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_id (again), ==, winnow_task_get_id (b));
}

/* A run that ends (its process shut down) fails what it left at once. */
static void
test_end_run (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  WinnowTaskSpec spec = { "/data/a.csv", "/data/a.out.csv", "{}", FALSE };
  g_autoptr(GPtrArray) tasks = winnow_task_store_add_many (f->store, &spec, 1, "r", 60000, &error);
  g_autoptr(WinnowTask) task = NULL;

  g_assert_true (winnow_task_store_end_run (f->store, "r", &error));
  g_assert_no_error (error);
  task = winnow_task_store_get (f->store, winnow_task_get_id (g_ptr_array_index (tasks, 0)), &error);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_FAILED);
  g_assert_cmpstr (winnow_task_get_error (task), ==, WINNOW_STORE_INTERRUPTED_MESSAGE);
}

/* A deletion that meets another program's write lock waits for it and
 * goes through: busy is never read as "it is running", nor as damage. */
static void
test_busy_is_busy (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) task = add (f->store, "a.csv");
  g_autoptr(WinnowTask) claimed = winnow_task_store_claim (f->store, "w", WINNOW_LEASE_MS, NULL, NULL);
  sqlite3 *other;

  g_assert_true (winnow_task_store_fail (f->store, winnow_task_get_id (task), "w", "no", &error));
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; UPDATE task_count SET n = n", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  winnow_task_store_set_patience (f->store, 200);
  g_assert_false (winnow_task_store_delete (f->store, winnow_task_get_id (task), &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_assert_null (strstr (error->message, "FAILED"));
  g_clear_error (&error);
  /* reads go on meanwhile */
  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { 0 }, NULL, &error), ==, 1);
  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);
  g_assert_true (winnow_task_store_delete (f->store, winnow_task_get_id (task), &error));
  g_assert_no_error (error);
}

typedef struct {
  WinnowTaskStore *store;
  gint waiting;   /* set by the store once the call waits for the lock */
  gint returned;
  gboolean ok;
} Waiter;

static gpointer
wait_for_lock (gpointer data)
{
  Waiter *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) task = NULL;

  winnow_task_store_watch_waits (&w->waiting);
  winnow_task_store_set_thread_patience (120000);
  task = winnow_task_store_add (w->store, "/data/w.csv", "/data/w.out.csv",
                                "{\"winnow_recipe\": 1}", FALSE, &error);
  g_assert_no_error (error);
  w->ok = task != NULL;
  g_atomic_int_set (&w->returned, 1);
  return NULL;
}

static gboolean
all_waiting (gpointer data)
{
  Waiter *waiters = data;

  for (guint i = 0; i < STORE_MAX_CONNECTIONS; i++)
    if (!g_atomic_int_get (&waiters[i].waiting))
      return FALSE;
  return TRUE;
}

/* Every connection of the store waits for another program's lock: a
 * further call does not wait beyond its own patience for one of them to
 * come back, nor once it is told to give up; it says the history is
 * busy. The others go through once the lock goes. */
static void
test_busy_connections (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Waiter waiters[STORE_MAX_CONNECTIONS] = { 0 };
  GThread *threads[STORE_MAX_CONNECTIONS];
  gint give_up = 1;
  sqlite3 *other;

  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { 0 }, NULL, &error), ==,
                   0);
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; UPDATE task_count SET n = n", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  for (guint i = 0; i < STORE_MAX_CONNECTIONS; i++)
    {
      waiters[i].store = f->store;
      threads[i] = g_thread_new ("waiter", wait_for_lock, &waiters[i]);
    }
  winnow_test_iterate_until (all_waiting, waiters, 60);

  /* a read, which needs a connection too: busy after its patience */
  winnow_task_store_set_thread_patience (300);
  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { 0 }, NULL, &error), ==,
                   -1);
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_clear_error (&error);
  /* and at once when told to give up (a shutdown) */
  winnow_task_store_set_thread_patience (120000);
  winnow_task_store_give_up_waits_when (&give_up);
  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { 0 }, NULL, &error), ==,
                   -1);
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_clear_error (&error);
  winnow_task_store_give_up_waits_when (NULL);
  winnow_task_store_set_thread_patience (0);
  /* none of the others gave up meanwhile */
  for (guint i = 0; i < STORE_MAX_CONNECTIONS; i++)
    g_assert_false (g_atomic_int_get (&waiters[i].returned));

  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);
  for (guint i = 0; i < STORE_MAX_CONNECTIONS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (waiters[i].ok);
    }
  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { 0 }, NULL, &error), ==,
                   STORE_MAX_CONNECTIONS);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "--claim-worker"))
    return claim_worker_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/lifecycle", test_lifecycle);
  ADD ("/store/fail-retry-cancel", test_fail_retry_cancel);
  ADD ("/store/refused", test_refused);
  ADD ("/store/clear-counted", test_clear_counted);
  ADD ("/store/lease-expiry", test_lease_expiry);
  ADD ("/store/lease-of-live-owner", test_lease_of_live_owner);
  ADD ("/store/claim/scoped", test_claim_scoped);
  ADD ("/store/runs", test_runs);
  ADD ("/store/end-run", test_end_run);
  ADD ("/store/busy-is-busy", test_busy_is_busy);
  ADD ("/store/busy-connections", test_busy_connections);
  ADD ("/store/claim/threads", test_claim_threads);
  ADD ("/store/claim/processes", test_claim_processes);
#undef ADD

  return g_test_run ();
}
