/* test-history-marks.c: a worker that puts its output in place while
 * another program holds the history's write lock says so beside the
 * history, and a cancel accepted once the lock has gone is never lost
 * (docs/ARCHITECTURE.md, "Cancel"). Real SQLite locks, real flock();
 * threads meet at gates, never after a sleep.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "history-util.h"

static const char recipe[] = "{\"winnow_recipe\": 1}";

static gint64
add_and_claim (Fixture *f, const char *name, const char *owner)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strdup_printf ("/data/%s.csv", name);
  g_autofree char *output = g_strdup_printf ("/data/%s.out.csv", name);
  g_autoptr(WinnowTask) added = winnow_task_store_add (f->store, input, output, recipe, FALSE,
                                                       &error);
  g_autoptr(WinnowTask) claimed = NULL;

  g_assert_no_error (error);
  claimed = winnow_task_store_claim (f->store, owner, WINNOW_LEASE_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claimed);
  g_assert_cmpint (winnow_task_get_id (claimed), ==, winnow_task_get_id (added));
  return winnow_task_get_id (claimed);
}

static char *
mark_path (Fixture *f, gint64 id)
{
  g_autofree char *real = realpath (f->db, NULL);
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".commit", id);
  g_autofree char *dir = g_strconcat (real ? real : f->db, "-outcomes", NULL);

  return g_build_filename (dir, name, NULL);
}

static char *
outcomes_dir (Fixture *f)
{
  g_autofree char *real = realpath (f->db, NULL);

  return g_strconcat (real ? real : f->db, "-outcomes", NULL);
}

/* begin_commit meets another program's lock and gives up, as the
 * worker's does after its patience. */
static void
begin_commit_busy (Fixture *f, gint64 id, const char *owner)
{
  g_autoptr(GError) error = NULL;
  gboolean asked = FALSE;

  winnow_task_store_set_thread_patience (50);
  g_assert_false (winnow_task_store_begin_commit (f->store, id, owner, &asked, &error));
  winnow_task_store_set_thread_patience (0);
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
}

/* Both orders of a worker's mark and a cancel, the mark's end, and marks
 * that no longer hold. */
static void
test_store (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();
  g_autoptr(WinnowTask) done = NULL;
  g_autofree char *dir = outcomes_dir (f);
  gboolean asked = TRUE;
  sqlite3 *lock;
  gint64 a, b, c, d;
  g_autofree char *mark_a = NULL;
  g_autofree char *mark_b = NULL;
  g_autofree char *mark_c = NULL;
  g_autofree char *mark_d = NULL;

  /* marked first: the cancel that comes once the lock has gone is
   * refused, as if the history had said so itself */
  a = add_and_claim (f, "a", "worker-a");
  mark_a = mark_path (f, a);
  lock = lock_history (f);
  begin_commit_busy (f, a, "worker-a");
  g_assert_true (winnow_task_store_begin_commit_aside (f->store, a, "worker-a", &asked, &error));
  g_assert_no_error (error);
  g_assert_false (asked);
  g_assert_true (g_file_test (mark_a, G_FILE_TEST_IS_REGULAR));
  unlock_history (lock);
  g_assert_false (winnow_task_store_cancel (f->store, a, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE);
  assert_contains (error->message, "being put in place");
  g_clear_error (&error);
  /* the task ends as its worker says, and its mark goes */
  result->rows_read = result->rows_written = 3;
  g_assert_true (winnow_task_store_complete (f->store, a, "worker-a", result, &error));
  g_assert_no_error (error);
  winnow_task_store_end_commit_aside (f->store, a, "worker-a");
  g_assert_false (g_file_test (mark_a, G_FILE_TEST_EXISTS));
  done = reread (f, a);
  g_assert_cmpint (winnow_task_get_status (done), ==, WINNOW_TASK_COMPLETED);

  /* cancelled first: the worker reads the cancel, throws its output
   * away, and leaves no mark */
  b = add_and_claim (f, "b", "worker-b");
  mark_b = mark_path (f, b);
  lock = lock_history (f);
  begin_commit_busy (f, b, "worker-b");
  unlock_history (lock);
  g_assert_true (winnow_task_store_cancel (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_begin_commit_aside (f->store, b, "worker-b", &asked, &error));
  g_assert_no_error (error);
  g_assert_true (asked);
  g_assert_false (g_file_test (mark_b, G_FILE_TEST_EXISTS));
  g_assert_true (winnow_task_store_finish_cancelled (f->store, b, "worker-b", &error));
  g_assert_no_error (error);

  /* a worker that no longer holds its task is told so, and marks nothing */
  g_assert_false (winnow_task_store_begin_commit_aside (f->store, b, "worker-b", &asked, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (g_file_test (mark_b, G_FILE_TEST_EXISTS));

  /* a mark whose claim has ended (its end recorded by a process that
   * died before removing it) holds nothing: a retry's run can be
   * cancelled, and the next recovery removes the mark, then the folder */
  c = add_and_claim (f, "c", "worker-c");
  mark_c = mark_path (f, c);
  g_assert_true (winnow_task_store_begin_commit_aside (f->store, c, "worker-c", &asked, &error));
  g_assert_no_error (error);
  g_assert_false (asked);
  g_assert_true (winnow_task_store_fail (f->store, c, "worker-c", "broken", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (mark_c, G_FILE_TEST_IS_REGULAR));
  g_assert_true (winnow_task_store_retry (f->store, c, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(WinnowTask) again = NULL;

    /* claimed again by the same worker: the claim's recovery removes
     * the first claim's mark before the second claim begins */
    again = winnow_task_store_claim (f->store, "worker-c", WINNOW_LEASE_MS, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (again);
    g_assert_cmpint (winnow_task_get_id (again), ==, c);
  }
  g_assert_false (g_file_test (mark_c, G_FILE_TEST_EXISTS));  /* the claim's recovery */
  g_assert_true (winnow_task_store_begin_commit_aside (f->store, c, "worker-c", &asked, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_release (f->store, c, "worker-c", &error));
  g_assert_no_error (error);
  {
    /* stale, not yet swept: a cancel of the next claim is accepted */
    g_autoptr(WinnowTask) again = winnow_task_store_claim (f->store, "worker-d", WINNOW_LEASE_MS,
                                                           NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (winnow_task_get_id (again), ==, c);
  }
  g_assert_false (g_file_test (mark_c, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (mark_c, "worker-c\n2000-01-01T00:00:00Z\n", -1,
                                      NULL));
  g_assert_true (winnow_task_store_cancel (f->store, c, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_finish_cancelled (f->store, c, "worker-d", &error));
  g_assert_no_error (error);

  /* a torn mark (a process died writing it) holds nothing either */
  d = add_and_claim (f, "d", "worker-e");
  mark_d = mark_path (f, d);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (mark_d, "worker-e\n", -1, NULL));
  g_assert_true (winnow_task_store_cancel (f->store, d, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_finish_cancelled (f->store, d, "worker-e", &error));
  g_assert_no_error (error);

  winnow_task_store_recover_expired (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (mark_c, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (mark_d, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* a cancel that made the folder to look for a mark leaves it, empty,
   * to the next recovery */
  {
    gint64 e = add_and_claim (f, "e", "worker-f");
    g_assert_true (winnow_task_store_cancel (f->store, e, &error));
    g_assert_no_error (error);
    g_assert_true (winnow_task_store_finish_cancelled (f->store, e, "worker-f", &error));
    g_assert_no_error (error);
    winnow_task_store_recover_expired (f->store, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  }
}

/* Another holder of the marks' lock (a cancel in another process, a
 * stalled disk under its synced mark): a recovery does not remove the
 * folder under it, even one that runs outside a write transaction (at
 * open); a cancel and a worker wait for it only as long as their
 * patience, then say busy; once it goes, the cancel is accepted. */
static void
test_lock_held (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) next = NULL;
  g_autofree char *dir = outcomes_dir (f);
  gboolean asked = FALSE;
  gint64 id = add_and_claim (f, "a", "worker-a");
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  /* the next process opens the history: its recovery finds the folder
   * empty, and leaves it to its holder */
  next = winnow_task_store_new (f->db, &error);
  g_assert_no_error (error);
  winnow_task_store_recover_expired (next, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  winnow_task_store_set_thread_patience (300);
  g_assert_false (winnow_task_store_cancel (f->store, id, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (winnow_task_store_begin_commit_aside (f->store, id, "worker-a", &asked,
                                                        &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_clear_error (&error);
  winnow_task_store_set_thread_patience (0);

  close (fd);
  g_assert_true (winnow_task_store_cancel (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_begin_commit_aside (f->store, id, "worker-a", &asked, &error));
  g_assert_no_error (error);
  g_assert_true (asked);
}

typedef struct {
  Fixture *f;
  WinnowTaskStore *store;
  WinnowTestGate *start;
  gint64 id;
  const char *owner;
  gboolean ok;
  gboolean asked;
} Racer;

static gpointer
race_worker (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;

  winnow_test_gate_pass (r->start);
  r->ok = winnow_task_store_begin_commit_aside (r->store, r->id, r->owner, &r->asked, &error);
  g_assert_no_error (error);
  return NULL;
}

static gpointer
race_cancel (gpointer data)
{
  Racer *r = data;
  g_autoptr(GError) error = NULL;

  winnow_test_gate_pass (r->start);
  r->ok = winnow_task_store_cancel (r->store, r->id, &error);
  if (!r->ok)
    {
      g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE);
      assert_contains (error->message, "being put in place");
    }
  return NULL;
}

/* A worker's mark and a cancel from another connection, at the same
 * moment, many times: exactly one of them wins each time. The cancel is
 * accepted and the worker reads it, or the worker marks and the cancel
 * is refused; never a cancel accepted beside a mark. */
static void
test_race (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) other = winnow_task_store_new (f->db, &error);
  guint cancels_won = 0, marks_won = 0;

  g_assert_no_error (error);
  for (guint round = 0; round < 60; round++)
    {
      g_autofree char *name = g_strdup_printf ("r%u", round);
      gint64 id = add_and_claim (f, name, "worker");
      g_autofree char *mark = mark_path (f, id);
      WinnowTestGate worker_start, cancel_start;
      Racer worker = { f, f->store, &worker_start, id, "worker" };
      Racer cancel = { f, other, &cancel_start, id, NULL };
      GThread *threads[2];

      winnow_test_gate_init (&worker_start);
      winnow_test_gate_init (&cancel_start);
      threads[0] = g_thread_new ("worker", race_worker, &worker);
      threads[1] = g_thread_new ("cancel", race_cancel, &cancel);
      winnow_test_iterate_until (winnow_test_gate_entered, &worker_start, 30);
      winnow_test_iterate_until (winnow_test_gate_entered, &cancel_start, 30);
      /* either goes first, by the round */
      if (round % 2 == 0)
        {
          winnow_test_gate_open (&worker_start);
          winnow_test_gate_open (&cancel_start);
        }
      else
        {
          winnow_test_gate_open (&cancel_start);
          winnow_test_gate_open (&worker_start);
        }
      g_thread_join (threads[0]);
      g_thread_join (threads[1]);
      winnow_test_gate_clear (&worker_start);
      winnow_test_gate_clear (&cancel_start);

      g_assert_true (worker.ok);
      if (cancel.ok)
        {
          /* the cancel won: the worker saw it, and marked nothing */
          g_assert_true (worker.asked);
          g_assert_false (g_file_test (mark, G_FILE_TEST_EXISTS));
          g_assert_true (winnow_task_store_finish_cancelled (f->store, id, "worker", &error));
          cancels_won++;
        }
      else
        {
          g_autoptr(WinnowTaskResult) result = winnow_task_result_new ();

          g_assert_false (worker.asked);
          g_assert_true (g_file_test (mark, G_FILE_TEST_IS_REGULAR));
          g_assert_true (winnow_task_store_complete (f->store, id, "worker", result, &error));
          winnow_task_store_end_commit_aside (f->store, id, "worker");
          marks_won++;
        }
      g_assert_no_error (error);
    }
  g_test_message ("cancels won %u rounds, marks %u", cancels_won, marks_won);
  g_assert_cmpuint (cancels_won + marks_won, ==, 60);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/history/commit-mark/store", Fixture, NULL, fixture_setup, test_store,
              fixture_teardown);
  g_test_add ("/history/commit-mark/race", Fixture, NULL, fixture_setup, test_race,
              fixture_teardown);
  g_test_add ("/history/commit-mark/lock-held", Fixture, NULL, fixture_setup, test_lock_held,
              fixture_teardown);
  return g_test_run ();
}
