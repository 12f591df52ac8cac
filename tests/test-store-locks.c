/* test-store-locks.c: a history another program keeps locked: calls
 * fail busy after the store's patience, and work again once the lock
 * goes; a thread told to give up its waits does not wait for another
 * thread's opening of it. Real SQLite locks, no sleep. */
#include "config.h"

#include "store-util.h"

static void
test_locked (Fixture *f, gconstpointer data)
{
  sqlite3 *other;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) task = NULL;

  /* another program holds the write lock */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  winnow_task_store_set_patience (f->store, 100);
  task = winnow_task_store_add (f->store, "/x.csv", "/y.csv", "{}", FALSE, &error);
  g_assert_null (task);
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "is busy"));
  g_clear_error (&error);
  g_assert_null (winnow_task_store_claim (f->store, "w", 1000, NULL, &error));
  g_assert_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_clear_error (&error);

  /* and works again once it lets go */
  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);
  task = winnow_task_store_add (f->store, "/x.csv", "/y.csv", "{}", FALSE, &error);
  g_assert_no_error (error);
}

typedef struct {
  WinnowTaskStore *store;
  gint waiting;        /* the opener waits for the lock */
  gint done;
  gint give_up;
  gboolean ok;
  GError *error;
} Opening;

static gpointer
open_thread (gpointer data)
{
  Opening *o = data;

  winnow_task_store_watch_waits (&o->waiting);
  o->ok = winnow_task_store_open (o->store, &o->error);
  winnow_task_store_watch_waits (NULL);
  g_atomic_int_set (&o->done, 1);
  return NULL;
}

static gpointer
given_up_thread (gpointer data)
{
  Opening *o = data;
  g_autoptr(WinnowTask) task = NULL;

  winnow_task_store_give_up_waits_when (&o->give_up);
  task = winnow_task_store_get (o->store, 1, &o->error);
  winnow_task_store_give_up_waits_when (NULL);
  g_atomic_int_set (&o->done, 1);
  return NULL;
}

static gboolean
flag_set (gpointer data)
{
  return g_atomic_int_get ((gint *) data) != 0;
}

/* A thread told to give up its waits (a shutdown) does not wait for
 * another thread's opening of a locked history to end: it fails busy at
 * once, while the opening goes on and succeeds once the lock goes. */
static void
test_opening_given_up (WinnowTestDir *dir, gconstpointer data)
{
  g_autofree char *path = g_build_filename (dir->dir, "history.db", NULL);
  g_autoptr(WinnowTaskStore) made = winnow_task_store_new (path, NULL);
  g_autoptr(WinnowTaskStore) store = NULL;
  Opening opener = { 0 };
  Opening quitter = { 0 };
  GThread *a, *b;
  sqlite3 *other;

  g_assert_nonnull (made);
  g_clear_object (&made);
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  store = winnow_task_store_new_deferred (path, WINNOW_STORE_OPEN_DEFAULT);
  winnow_task_store_set_patience (store, 600000);
  opener.store = quitter.store = store;
  a = g_thread_new ("opener", open_thread, &opener);
  winnow_test_iterate_until (flag_set, &opener.waiting, 60);

  quitter.give_up = 1;
  b = g_thread_new ("quitter", given_up_thread, &quitter);
  winnow_test_iterate_until (flag_set, &quitter.done, 60);
  g_thread_join (b);
  g_assert_error (quitter.error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_BUSY);
  g_assert_false (g_atomic_int_get (&opener.done));

  sqlite3_exec (other, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (other);
  g_thread_join (a);
  g_assert_no_error (opener.error);
  g_assert_true (opener.ok);
  g_clear_error (&quitter.error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/locked", Fixture, NULL, fixture_setup, test_locked, fixture_teardown);
  g_test_add ("/store/locked/opening-given-up", WinnowTestDir, NULL, winnow_test_dir_setup,
              test_opening_given_up, winnow_test_dir_teardown);
  return g_test_run ();
}
