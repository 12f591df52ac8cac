/* test-task-rows.c: the views' row objects (winnow-task-rows.c) over a
 * plain list of tasks: a place keeps its row when its task is replaced,
 * only the difference is announced, rows added or removed alone move the
 * rows below, and a row follows its task until its place goes. */
#include "config.h"

#include <gio/gio.h>

#include "winnow-task-rows.h"

typedef struct {
  GListStore *tasks;
  WinnowTaskRows *rows;
  GArray *changes;   /* guint triples: position, removed, added */
} Fixture;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint change[3] = { position, removed, added };
  g_array_append_vals (f->changes, change, 3);
}

static WinnowTask *
task_new (gint64 id)
{
  WinnowTask *task = winnow_task_new (id);
  g_autofree char *path = g_strdup_printf ("/data/%" G_GINT64_FORMAT ".csv", id);

  winnow_task_set_input_path (task, path);
  return task;
}

/* tasks @first, @first + 1, … (@n of them) in place of [@position, @position + @removed) */
static void
splice (Fixture *f, guint position, guint removed, gint64 first, guint n)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (added, task_new (first + i));
  g_list_store_splice (f->tasks, position, removed, added->pdata, added->len);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->tasks = g_list_store_new (WINNOW_TYPE_TASK);
  splice (f, 0, 0, 1, 10);
  f->rows = winnow_task_rows_new (G_LIST_MODEL (f->tasks));
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->rows, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->rows);
  g_clear_object (&f->tasks);
  g_array_unref (f->changes);
}

static WinnowTask *
row_at (Fixture *f, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (f->rows), position);
}

static void
assert_changes (Fixture *f, const guint *want, guint n)
{
  g_assert_cmpuint (f->changes->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (f->changes, guint, i), ==, want[i]);
}

/* A filter: every task replaced. The rows held stay, showing the new
 * tasks; only the rows the new list lacks are announced, as removed. */
static void
test_replaced_keeps_rows (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  static const guint want[] = { 6, 4, 0 };

  for (guint p = 0; p < 5; p++)
    g_ptr_array_add (held, row_at (f, p));
  splice (f, 0, 10, 101, 6);
  assert_changes (f, want, G_N_ELEMENTS (want));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==, 6);
  for (guint p = 0; p < 5; p++)
    {
      g_autoptr(WinnowTask) row = row_at (f, p);
      g_autofree char *path = g_strdup_printf ("/data/%u.csv", 101 + p);

      g_assert_true (row == g_ptr_array_index (held, p));
      g_assert_cmpint (winnow_task_get_id (row), ==, 101 + p);
      g_assert_cmpstr (winnow_task_get_input_path (row), ==, path);
    }
  {
    g_autoptr(WinnowTask) last = row_at (f, 5);
    g_assert_cmpint (winnow_task_get_id (last), ==, 106);
  }
}

/* More tasks than before: the rows kept, and the rest announced added. */
static void
test_replaced_by_more (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) row = row_at (f, 9);
  static const guint want[] = { 10, 0, 20 };

  splice (f, 0, 10, 201, 30);
  assert_changes (f, want, G_N_ELEMENTS (want));
  g_assert_cmpint (winnow_task_get_id (row), ==, 210);
}

/* A task added at the top: announced as it is, and the rows below keep
 * their tasks, one place lower. */
static void
test_added_moves_rows (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) first = row_at (f, 0);
  g_autoptr(WinnowTask) third = row_at (f, 2);
  g_autoptr(WinnowTask) now_second = NULL;
  g_autoptr(WinnowTask) now_fourth = NULL;
  g_autoptr(WinnowTask) top = NULL;
  static const guint want[] = { 0, 0, 1 };

  splice (f, 0, 0, 50, 1);
  assert_changes (f, want, G_N_ELEMENTS (want));
  now_second = row_at (f, 1);
  now_fourth = row_at (f, 3);
  top = row_at (f, 0);
  g_assert_true (now_second == first);
  g_assert_true (now_fourth == third);
  g_assert_cmpint (winnow_task_get_id (first), ==, 1);
  g_assert_cmpint (winnow_task_get_id (top), ==, 50);
}

/* A row follows its task (a running task's progress, a placeholder
 * read), until its place is removed: then it keeps what it showed. */
static void
test_follows_task (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) row = row_at (f, 0);
  g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (f->tasks), 0);
  g_autoptr(WinnowTask) placeholder = winnow_task_new (0);
  g_autoptr(WinnowTask) read = task_new (77);
  g_autoptr(WinnowTask) last = NULL;
  static const guint want[] = { 0, 1, 0 };

  winnow_task_set_status (task, WINNOW_TASK_PROCESSING);
  winnow_task_set_progress (task, 0.25);
  g_assert_cmpint (winnow_task_get_status (row), ==, WINNOW_TASK_PROCESSING);
  g_assert_cmpfloat (winnow_task_get_progress (row), ==, 0.25);

  /* a placeholder at the end, read later */
  g_list_store_append (f->tasks, placeholder);
  g_array_set_size (f->changes, 0);
  last = row_at (f, 10);
  g_assert_cmpint (winnow_task_get_id (last), ==, 0);
  winnow_task_fill_placeholder (placeholder, read);
  g_assert_cmpint (winnow_task_get_id (last), ==, 77);
  g_assert_cmpstr (winnow_task_get_input_path (last), ==, "/data/77.csv");

  g_list_store_remove (f->tasks, 0);
  assert_changes (f, want, G_N_ELEMENTS (want));
  winnow_task_set_progress (task, 0.5);
  g_assert_cmpfloat (winnow_task_get_progress (row), ==, 0.25);
  g_assert_cmpint (winnow_task_get_id (row), ==, 1);
}

/* The model holds no row: one let go is gone, and a later change of its
 * place makes a new one. */
static void
test_rows_let_go (Fixture *f, gconstpointer data)
{
  WinnowTask *row = row_at (f, 3);
  g_autoptr(WinnowTask) again = NULL;

  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);
  g_object_unref (row);
  g_assert_null (row);
  splice (f, 3, 1, 300, 1);
  g_assert_cmpuint (f->changes->len, ==, 0);
  again = row_at (f, 3);
  g_assert_cmpint (winnow_task_get_id (again), ==, 300);
  g_clear_object (&f->rows);
  /* a row outliving its model keeps what it showed */
  g_assert_cmpint (winnow_task_get_id (again), ==, 300);
}

/* The task itself, for what keeps it (a task page), not its row. */
static void
test_get_task (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) row = row_at (f, 4);
  g_autoptr(WinnowTask) task = winnow_task_rows_get_task (f->rows, 4);
  g_autoptr(WinnowTask) stored = g_list_model_get_item (G_LIST_MODEL (f->tasks), 4);

  g_assert_true (task == stored);
  g_assert_true (row != task);
  g_assert_null (winnow_task_rows_get_task (f->rows, 10));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/task-rows/replaced-keeps-rows", Fixture, NULL, fixture_setup,
              test_replaced_keeps_rows, fixture_teardown);
  g_test_add ("/task-rows/replaced-by-more", Fixture, NULL, fixture_setup,
              test_replaced_by_more, fixture_teardown);
  g_test_add ("/task-rows/added-moves-rows", Fixture, NULL, fixture_setup,
              test_added_moves_rows, fixture_teardown);
  g_test_add ("/task-rows/follows-task", Fixture, NULL, fixture_setup, test_follows_task,
              fixture_teardown);
  g_test_add ("/task-rows/rows-let-go", Fixture, NULL, fixture_setup, test_rows_let_go,
              fixture_teardown);
  g_test_add ("/task-rows/get-task", Fixture, NULL, fixture_setup, test_get_task,
              fixture_teardown);
  return g_test_run ();
}
