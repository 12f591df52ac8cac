/* test-task-list.c: the window's list of tasks as a model (no window):
 * what it announces when the history changes, and which of its objects
 * it keeps. A row's widgets in GTK 4.8 are made again for every item
 * announced as replaced, so the list announces no more than changed
 * (history-bench shows the cost). */
#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>

#include "winnow-scheduler.h"
#include "winnow-task-list-private.h"
#include "winnow-task-store.h"
#include "winnow-test-util.h"

#define N_TASKS 1000

typedef struct {
  WinnowTestDir dir;
  char *path;
  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTaskList *list;
  GArray *changes;   /* guint triples: position, removed, added */
} Fixture;

/* @n finished tasks, created a second apart after @first_second */
static void
add_finished (Fixture *f, guint n, guint first_second)
{
  g_autoptr(WinnowTaskStore) other = winnow_task_store_new (f->path, NULL);  /* as another process */
  g_autofree WinnowTaskSpec *specs = g_new0 (WinnowTaskSpec, n);
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  char *sql;

  for (guint i = 0; i < n; i++)
    specs[i] = (WinnowTaskSpec) { "/data/in.csv", "/data/out.csv", "{\"winnow_recipe\": 1}", FALSE };
  added = winnow_task_store_add_many (other, specs, n, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (added->len, ==, n);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  sql = g_strdup_printf ("UPDATE tasks SET status = 'COMPLETED', progress = 1, "
                         "created_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', '2026-01-01', "
                         "'+' || (%u + id - %" G_GINT64_FORMAT ") || ' seconds') WHERE id >= %" G_GINT64_FORMAT,
                         first_second, winnow_task_get_id (g_ptr_array_index (added, 0)),
                         winnow_task_get_id (g_ptr_array_index (added, 0)));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_free (sql);
  sqlite3_close (db);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint change[3] = { position, removed, added };
  g_array_append_vals (f->changes, change, 3);
}

static gboolean
total_is (gpointer data)
{
  Fixture *f = data;
  return winnow_task_list_get_total (f->list) == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (f->list), "want"));
}

static void
wait_total (Fixture *f, gint64 total)
{
  g_object_set_data (G_OBJECT (f->list), "want", GINT_TO_POINTER ((int) total));
  winnow_test_iterate_until (total_is, f, 30);
}

static gint64
id_at (Fixture *f, guint position)
{
  g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (f->list), position);
  return winnow_task_get_id (task);
}

static gboolean
page_read (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  return id_at (f, GPOINTER_TO_UINT (((gpointer *) data)[1])) != 0;
}

/* Reads the page holding @position, as a row scrolled to it does. */
static void
read_at (Fixture *f, guint position)
{
  gpointer data[2] = { f, GUINT_TO_POINTER (position) };
  winnow_test_iterate_until (page_read, data, 30);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  winnow_test_dir_setup (&f->dir, NULL);
  f->path = g_build_filename (f->dir.dir, "history.db", NULL);
  f->store = winnow_task_store_new (f->path, &error);
  g_assert_no_error (error);
  add_finished (f, N_TASKS, 0);
  f->scheduler = winnow_scheduler_new (f->store, 1, WINNOW_SCHEDULER_OWN_TASKS);
  f->list = winnow_task_list_new (f->store, f->scheduler);
  wait_total (f, N_TASKS);
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  winnow_task_list_close (f->list);
  g_clear_object (&f->list);
  winnow_scheduler_shutdown (f->scheduler, WINNOW_SHUTDOWN_CANCEL);
  g_clear_object (&f->scheduler);
  g_clear_object (&f->store);
  g_array_unref (f->changes);
  g_free (f->path);
  winnow_test_dir_teardown (&f->dir, NULL);
}

/* A page read for the first time fills the placeholders rows were bound
 * to: the same objects, and nothing announced. */
static void
test_page_fills_placeholders (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) placeholder = g_list_model_get_item (G_LIST_MODEL (f->list), 750);
  g_autoptr(WinnowTask) read = NULL;

  g_assert_cmpint (winnow_task_get_id (placeholder), ==, 0);
  read_at (f, 750);
  read = g_list_model_get_item (G_LIST_MODEL (f->list), 750);
  g_assert_true (read == placeholder);
  /* newest first: position 750 holds the 251st task added */
  g_assert_cmpint (winnow_task_get_id (read), ==, N_TASKS - 750);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

/* After the first, the changes announced are rows replaced (pages not
 * read again, or rows moved past the ones read), none of them in
 * [@from, @to), the rows in view. */
static void
assert_only_replaced_away_from (Fixture *f, guint from, guint to)
{
  for (guint i = 3; i < f->changes->len; i += 3)
    {
      guint *change = &g_array_index (f->changes, guint, i);

      g_assert_cmpuint (change[1], ==, change[2]);
      g_assert_true (change[0] + change[1] <= from || change[0] >= to);
    }
}

/* Tasks another process adds, newest first, while the list is scrolled
 * down: announced as rows added above the rows read, which keep their
 * objects; not as every row from there to the end replaced. */
static void
test_added_above (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  guint *change;

  read_at (f, 450);
  read_at (f, 650);
  read_at (f, 550);   /* the page used last */
  for (guint p = 500; p < 600; p++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (f->list), p));

  add_finished (f, 3, N_TASKS + 10);
  winnow_task_list_refresh (f->list);
  wait_total (f, N_TASKS + 3);

  g_assert_cmpuint (f->changes->len, >=, 3);
  change = &g_array_index (f->changes, guint, 0);
  g_assert_cmpuint (change[0], ==, 400);  /* the first row of the pages read again */
  g_assert_cmpuint (change[1], ==, 0);
  g_assert_cmpuint (change[2], ==, 3);
  assert_only_replaced_away_from (f, 503, 603);
  for (guint i = 0; i < before->len; i++)
    {
      g_autoptr(WinnowTask) now = g_list_model_get_item (G_LIST_MODEL (f->list), 500 + i + 3);
      g_assert_true (now == g_ptr_array_index (before, i));
    }
  /* and the top of the list holds the new ones */
  read_at (f, 0);
  g_assert_cmpint (id_at (f, 0), ==, N_TASKS + 3);
  g_assert_cmpint (id_at (f, 3), ==, N_TASKS);
}

/* The same when a page of the window read again was never shown (no row
 * asked for it): nothing was bound there, nothing is announced for it. */
static void
test_added_above_unread (Fixture *f, gconstpointer data)
{
  guint *change;

  read_at (f, 450);
  read_at (f, 550);   /* the page used last; the one after it is not read */
  add_finished (f, 2, N_TASKS + 10);
  winnow_task_list_refresh (f->list);
  wait_total (f, N_TASKS + 2);

  g_assert_cmpuint (f->changes->len, >=, 3);
  change = &g_array_index (f->changes, guint, 0);
  g_assert_cmpuint (change[0], ==, 400);
  g_assert_cmpuint (change[1], ==, 0);
  g_assert_cmpuint (change[2], ==, 2);
  assert_only_replaced_away_from (f, 502, 602);
  g_assert_cmpint (id_at (f, 552), ==, N_TASKS - 550);
  g_assert_cmpint (id_at (f, 652), ==, N_TASKS - 650);
}

static gboolean
list_idle (gpointer data)
{
  return !winnow_task_list_is_busy (data);
}

/* Nothing changed: nothing announced. */
static void
test_unchanged (Fixture *f, gconstpointer data)
{
  read_at (f, 550);
  winnow_task_list_refresh (f->list);
  winnow_test_iterate_until (list_idle, f->list, 30);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

/* A row near the end of a page read asks for the next page, and near its
 * start for the one before: scrolled to, they are there, not placeholders
 * (which a page read later fills, a frame later). A row in the middle of
 * a page asks for nothing more. */
static void
test_reads_ahead (Fixture *f, gconstpointer data)
{
  read_at (f, 590);                 /* page 5 read; row 590 asked for again */
  winnow_test_iterate_until (list_idle, f->list, 30);
  g_assert_cmpint (id_at (f, 600), ==, N_TASKS - 600);  /* page 6, already read */

  read_at (f, 305);                 /* page 3, near its start */
  winnow_test_iterate_until (list_idle, f->list, 30);
  g_assert_cmpint (id_at (f, 299), ==, N_TASKS - 299);  /* page 2, already read */

  read_at (f, 850);                 /* the middle of page 8 */
  winnow_test_iterate_until (list_idle, f->list, 30);
  g_assert_cmpint (id_at (f, 950), ==, 0);              /* page 9: not read yet */
  g_assert_cmpint (id_at (f, 750), ==, 0);              /* page 7: not read yet */
  g_assert_cmpuint (f->changes->len, ==, 0);            /* reading announces nothing */
}

/* A reader of the model as GTK's list view is one: it keeps the items
 * it asked for where the announcements put them. */
typedef struct {
  GPtrArray *held;   /* WinnowTask* or NULL, one per position */
} Reader;

static void
reader_follow (GListModel *model, guint position, guint removed, guint added, Reader *reader)
{
  g_ptr_array_remove_range (reader->held, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (reader->held, (gint) (position + i), NULL);
}

/* The reader shows rows [@from, @from + @n): it lets go of the others
 * (as a list view does of the rows scrolled away) and asks for these. */
static void
reader_look (Reader *reader, GListModel *model, guint from, guint n)
{
  for (guint p = 0; p < reader->held->len; p++)
    {
      gboolean shown = p >= from && p < from + n;

      if (!shown && g_ptr_array_index (reader->held, p) != NULL)
        g_clear_object ((WinnowTask **) &g_ptr_array_index (reader->held, p));
      else if (shown && g_ptr_array_index (reader->held, p) == NULL)
        g_ptr_array_index (reader->held, p) = g_list_model_get_item (model, p);
    }
}

static void
held_free (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

/* Random changes by another process (tasks added anywhere in the order,
 * deleted, finished), each followed by a refresh: every row the reader
 * holds in the window it looks at shows the task the history has there. */
static void
test_random_changes (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(WinnowTaskStore) other = winnow_task_store_new (f->path, NULL);
  Reader reader = { g_ptr_array_new_with_free_func (held_free) };
  WinnowTaskQuery query = { .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
  guint view = 0;

  g_ptr_array_set_size (reader.held, g_list_model_get_n_items (G_LIST_MODEL (f->list)));
  g_signal_connect (f->list, "items-changed", G_CALLBACK (reader_follow), &reader);
  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GPtrArray) truth = NULL;
      g_autoptr(GError) error = NULL;
      guint n;

      /* the reader looks somewhere, and the pages there are read */
      view = g_rand_int_range (rand, 0, (gint32) MAX (1, reader.held->len - 40));
      reader_look (&reader, G_LIST_MODEL (f->list), view, 40);
      read_at (f, view);
      read_at (f, MIN (view + 39, reader.held->len - 1));

      /* another process changes the history */
      switch (g_rand_int_range (rand, 0, 5))
        {
        case 3:
          /* many at once, at the top: the rows in view move past the
           * pages read again */
          add_finished (f, (guint) g_rand_int_range (rand, 150, 400), N_TASKS + 200 + round);
          break;
        case 4:
          add_finished (f, 3, N_TASKS + 300 + round);
          /* and the reader scrolls elsewhere while the list reads again */
          winnow_task_list_refresh (f->list);
          view = g_rand_int_range (rand, 0, (gint32) MAX (1, reader.held->len - 40));
          reader_look (&reader, G_LIST_MODEL (f->list), view, 40);
          break;
        case 0:
          add_finished (f, (guint) g_rand_int_range (rand, 1, 30),
                        (guint) g_rand_int_range (rand, 0, N_TASKS + 50));
          break;
        case 1:
          for (guint i = 0, k = (guint) g_rand_int_range (rand, 1, 20); i < k; i++)
            winnow_task_store_delete (other, g_rand_int_range (rand, 1, N_TASKS), NULL);
          break;
        default:
          add_finished (f, 5, N_TASKS + 100 + round);  /* the newest, at the top */
          break;
        }
      winnow_task_list_refresh (f->list);
      winnow_test_iterate_until (list_idle, f->list, 30);
      /* rows asked for again are read, as a scrolled view asks */
      reader_look (&reader, G_LIST_MODEL (f->list), view, 40);
      winnow_test_iterate_until (list_idle, f->list, 30);

      n = g_list_model_get_n_items (G_LIST_MODEL (f->list));
      g_assert_cmpuint (reader.held->len, ==, n);
      truth = winnow_task_store_query (other, &query, 0, n + 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (truth->len, ==, n);
      for (guint p = view; p < view + 40 && p < n; p++)
        {
          WinnowTask *held = g_ptr_array_index (reader.held, p);
          if (held != NULL)
            g_assert_cmpint (winnow_task_get_id (held), ==,
                             winnow_task_get_id (g_ptr_array_index (truth, p)));
        }
    }
  g_signal_handlers_disconnect_by_func (f->list, reader_follow, &reader);
  g_ptr_array_unref (reader.held);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/task-list/page-fills-placeholders", Fixture, NULL, fixture_setup,
              test_page_fills_placeholders, fixture_teardown);
  g_test_add ("/task-list/added-above", Fixture, NULL, fixture_setup, test_added_above,
              fixture_teardown);
  g_test_add ("/task-list/added-above-unread", Fixture, NULL, fixture_setup,
              test_added_above_unread, fixture_teardown);
  g_test_add ("/task-list/reads-ahead", Fixture, NULL, fixture_setup, test_reads_ahead,
              fixture_teardown);
  g_test_add ("/task-list/unchanged", Fixture, NULL, fixture_setup, test_unchanged,
              fixture_teardown);
  g_test_add ("/task-list/random-changes", Fixture, NULL, fixture_setup, test_random_changes,
              fixture_teardown);
  return g_test_run ();
}
