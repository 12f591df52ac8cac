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
  guint n_told;      /* the places the changes told of, in all */
} Fixture;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (f->changes, change, 3);
  g_assert_cmpuint (position + removed, <=, f->n_told);
  f->n_told = f->n_told - removed + added;
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->n_told);
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
  f->n_told = 10;
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


/* ---- a big difference, told a step at a time ---- */

/* Turns the main loop until the rows have as many places as the tasks
 * (within 10 s). */
static void
run_until_told (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (G_LIST_MODEL (f->rows)) !=
         g_list_model_get_n_items (G_LIST_MODEL (f->tasks)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
  /* and nothing more comes */
  g_array_set_size (f->changes, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (f->changes->len, ==, 0);
}

/* Every place shows the task standing there. */
static void
assert_rows_show_tasks (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->tasks));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==, n);
  for (guint p = 0; p < n; p++)
    {
      g_autoptr(WinnowTask) row = row_at (f, p);
      g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (f->tasks), p);
      g_autoptr(WinnowTask) itself = winnow_task_rows_get_task (f->rows, p);

      g_assert_cmpint (winnow_task_get_id (row), ==, winnow_task_get_id (task));
      g_assert_true (itself == task);
    }
}

/* The changes since the last look: places added at the end of those
 * told, WINNOW_TASK_ROWS_STEP at most each until WINNOW_TASK_ROWS_PACED
 * were told, then the rest at once. */
static void
assert_growth_paced (Fixture *f, guint from)
{
  guint told = 0, end = from;

  g_assert_cmpuint (f->changes->len, >, 3);
  for (guint i = 0; i < f->changes->len; i += 3)
    {
      guint position = g_array_index (f->changes, guint, i);
      guint removed = g_array_index (f->changes, guint, i + 1);
      guint added = g_array_index (f->changes, guint, i + 2);

      g_assert_cmpuint (position, ==, end);
      g_assert_cmpuint (removed, ==, 0);
      if (told < WINNOW_TASK_ROWS_PACED)
        g_assert_cmpuint (added, <=, WINNOW_TASK_ROWS_STEP);
      else
        g_assert_cmpuint (i + 3, ==, f->changes->len);
      told += added;
      end += added;
    }
}

/* 10 tasks replaced by 1,000 (a filter): the first places come at once,
 * showing the first tasks, the rest a step a turn; a view never has a
 * place that shows another task than the one standing there. */
static void
test_paced_growth (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) held = row_at (f, 9);
  g_autoptr(WinnowTask) last = NULL;

  splice (f, 0, 10, 1001, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==,
                    10 + WINNOW_TASK_ROWS_STEP);
  g_assert_cmpint (winnow_task_get_id (held), ==, 1010);
  last = row_at (f, 10 + WINNOW_TASK_ROWS_STEP - 1);
  g_assert_cmpint (winnow_task_get_id (last), ==, 1010 + WINNOW_TASK_ROWS_STEP);
  g_assert_null (row_at (f, 10 + WINNOW_TASK_ROWS_STEP));

  while (g_list_model_get_n_items (G_LIST_MODEL (f->rows)) < 1000)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (f->rows));
      g_autoptr(WinnowTask) end = row_at (f, n - 1);

      g_assert_cmpint (winnow_task_get_id (end), ==, 1000 + n);
      g_main_context_iteration (NULL, FALSE);
    }
  assert_growth_paced (f, 10);
  assert_rows_show_tasks (f);
}

/* 1,000 tasks replaced by fewer (a search): the places past
 * WINNOW_TASK_ROWS_PACED more than the new tasks go at once, the others
 * show blank rows and go a step a turn. */
static void
test_paced_shrink (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  static const guint to[] = { 600, 3 };

  splice (f, 0, 10, 1001, 1000);
  run_until_told (f);
  for (guint p = 0; p < 30; p++)
    g_ptr_array_add (held, row_at (f, 580 + p));
  for (guint p = 0; p < 30; p++)
    g_ptr_array_add (held, row_at (f, p));

  for (guint t = 0; t < G_N_ELEMENTS (to); t++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (f->tasks));

      g_array_set_size (f->changes, 0);
      splice (f, 0, n, 5001, to[t]);
      g_assert_cmpuint (f->changes->len, ==, 3);
      g_assert_cmpuint (g_array_index (f->changes, guint, 0), ==, to[t] + WINNOW_TASK_ROWS_PACED);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==,
                        to[t] + WINNOW_TASK_ROWS_PACED);
      for (guint i = 0; i < held->len; i++)
        {
          WinnowTask *row = g_ptr_array_index (held, i);
          guint p = i < 30 ? 580 + i : i - 30;
          g_autoptr(WinnowTask) task = winnow_task_rows_get_task (f->rows, p);

          if (p < n)  /* a place of the list before */
            g_assert_cmpint (winnow_task_get_id (row), ==, p < to[t] ? 5001 + p : 0);
          g_assert_true ((task != NULL) == (p < to[t]));
        }
      run_until_told (f);
      assert_rows_show_tasks (f);
    }
  g_assert_cmpuint (f->n_told, ==, 3);
  /* the rows let go stay blank */
  for (guint i = 0; i < held->len; i++)
    if (i >= 30 + 3)
      g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (held, i)), ==, 0);
}

/* The tasks change again while a difference is told: the places the
 * views have keep showing the tasks there, and the rest is told. */
static void
test_paced_changed_meanwhile (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) held = row_at (f, 2);
  g_autoptr(WinnowTask) blank = NULL;

  /* while growing: 5 tasks added at the top */
  splice (f, 0, 10, 1001, 1000);
  g_main_context_iteration (NULL, FALSE);
  splice (f, 0, 0, 9001, 5);
  g_assert_cmpint (winnow_task_get_id (held), ==, 9003);
  run_until_told (f);
  assert_rows_show_tasks (f);

  /* while shrinking: 2 tasks added at the end */
  splice (f, 0, 1005, 5001, 3);
  blank = row_at (f, 10);
  g_assert_cmpint (winnow_task_get_id (blank), ==, 0);
  g_main_context_iteration (NULL, FALSE);
  splice (f, 3, 0, 6001, 2);
  g_assert_cmpint (winnow_task_get_id (held), ==, 5003);
  run_until_told (f);
  assert_rows_show_tasks (f);

  /* and growing again from there, then replaced while growing */
  splice (f, 0, 5, 7001, 500);
  splice (f, 0, 500, 8001, 400);
  run_until_told (f);
  assert_rows_show_tasks (f);
  g_assert_cmpint (winnow_task_get_id (held), ==, 8003);
}

/* A test of @func on a fixture of its own */
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/task-rows/replaced-keeps-rows", test_replaced_keeps_rows);
  ADD ("/task-rows/replaced-by-more", test_replaced_by_more);
  ADD ("/task-rows/added-moves-rows", test_added_moves_rows);
  ADD ("/task-rows/follows-task", test_follows_task);
  ADD ("/task-rows/rows-let-go", test_rows_let_go);
  ADD ("/task-rows/get-task", test_get_task);
  ADD ("/task-rows/paced/growth", test_paced_growth);
  ADD ("/task-rows/paced/shrink", test_paced_shrink);
  ADD ("/task-rows/paced/changed-meanwhile", test_paced_changed_meanwhile);
  return g_test_run ();
}
