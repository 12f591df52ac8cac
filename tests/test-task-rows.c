/* test-task-rows.c: the views' row objects (winnow-task-rows.c) over a
 * plain list of tasks: a place keeps its row when its task is replaced,
 * only the difference is announced, rows added or removed alone move the
 * rows below, and a row follows its task until its place goes. */
#include "config.h"

#include <gtk/gtk.h>

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

/* More tasks than before (a step's worth more at most): the rows kept,
 * and the rest announced added. */
static void
test_replaced_by_more (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) row = row_at (f, 9);
  static const guint want[] = { 10, 0, 10 };

  G_STATIC_ASSERT (WINNOW_TASK_ROWS_STEP >= 10);
  splice (f, 0, 10, 201, 20);
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
turn_until_told (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (G_LIST_MODEL (f->rows)) !=
         g_list_model_get_n_items (G_LIST_MODEL (f->tasks)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* The same, and then nothing more is told. */
static void
run_until_told (Fixture *f)
{
  turn_until_told (f);
  g_array_set_size (f->changes, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (f->changes->len, ==, 0);
}

/* Every place told has a row showing the task winnow_task_rows_get_task()
 * says stands there (or a blank row), and the tasks shown keep the
 * tasks' order. */
static void
assert_consistent (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->rows));
  guint n_tasks = g_list_model_get_n_items (G_LIST_MODEL (f->tasks));
  g_autoptr(GHashTable) index_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 last = -1;

  g_assert_cmpuint (n, ==, f->n_told);
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (f->tasks), i);
      gint64 *id = g_new (gint64, 1);

      *id = winnow_task_get_id (task);
      g_hash_table_insert (index_of, id, GUINT_TO_POINTER (i + 1));
    }
  for (guint p = 0; p < n; p++)
    {
      g_autoptr(WinnowTask) row = row_at (f, p);
      g_autoptr(WinnowTask) task = winnow_task_rows_get_task (f->rows, p);

      g_assert_nonnull (row);
      if (task == NULL)
        g_assert_cmpint (winnow_task_get_id (row), ==, 0);
      else
        {
          gint64 id = winnow_task_get_id (task);
          gint64 index = (gint64) GPOINTER_TO_UINT (g_hash_table_lookup (index_of, &id)) - 1;

          g_assert_cmpint (winnow_task_get_id (row), ==, id);
          g_assert_cmpint (index, >, last);
          last = index;
        }
    }
  g_assert_null (row_at (f, n));
  /* and each task shown is found at its place */
  for (guint i = 0; i < n_tasks; i++)
    {
      gint64 place = winnow_task_rows_get_place (f->rows, i);
      g_autoptr(WinnowTask) task = g_list_model_get_item (G_LIST_MODEL (f->tasks), i);
      g_autoptr(WinnowTask) there = NULL;

      if (place < 0)
        continue;
      g_assert_cmpint (place, <, n);
      there = winnow_task_rows_get_task (f->rows, (guint) place);
      g_assert_true (there == task);
    }
}

/* Every place shows the task standing there, all told. */
static void
assert_rows_show_tasks (Fixture *f)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (f->tasks)));
  assert_consistent (f);
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
  g_assert_cmpint (winnow_task_rows_get_place (f->rows, 5), ==, 5);
  g_assert_cmpint (winnow_task_rows_get_place (f->rows, 10 + WINNOW_TASK_ROWS_STEP), ==, -1);
  g_assert_cmpint (winnow_task_rows_get_place (f->rows, 999), ==, -1);

  while (g_list_model_get_n_items (G_LIST_MODEL (f->rows)) < 1000)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (f->rows));
      g_autoptr(WinnowTask) end = row_at (f, n - 1);

      g_assert_cmpint (winnow_task_get_id (end), ==, 1000 + n);
      g_main_context_iteration (NULL, FALSE);
    }
  assert_growth_paced (f, 10);
  assert_rows_show_tasks (f);
  g_assert_cmpint (winnow_task_rows_get_place (f->rows, 999), ==, 999);
}

/* The changes a shrink tells, a turn each: of the places [@from, @end) to
 * go, those from the first of the last @step that a view holds (@held, in
 * order) to the end, or all of them when a view holds no more than @step;
 * then again for the places left. */
static GArray *
shrink_steps (guint from, guint end, const GArray *held, guint step)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (guint));

  while (end > from)
    {
      g_autoptr(GArray) inside = g_array_new (FALSE, FALSE, sizeof (guint));
      guint cut = from, none = 0, gone;

      for (guint i = 0; i < held->len; i++)
        if (g_array_index (held, guint, i) >= from && g_array_index (held, guint, i) < end)
          g_array_append_val (inside, g_array_index (held, guint, i));
      if (inside->len > step)
        cut = g_array_index (inside, guint, inside->len - step);
      gone = end - cut;
      g_array_append_val (changes, cut);
      g_array_append_val (changes, gone);
      g_array_append_val (changes, none);
      end = cut;
    }
  return changes;
}

static GArray *
places (guint first, guint end, guint first2, guint end2)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint p = first; p < end; p++)
    g_array_append_val (array, p);
  for (guint p = first2; p < end2; p++)
    g_array_append_val (array, p);
  return array;
}

/* Fewer tasks than places (a search): the places no view holds a row for
 * go at once; the others show blank rows and go from the last,
 * WINNOW_TASK_ROWS_STEP rows a turn. */
static void
test_paced_shrink (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  /* 1,000 tasks to 600, then to 3: the changes told, turn by turn */
  g_autoptr(GArray) held_600 = places (600, 650, 0, 0);
  g_autoptr(GArray) held_3 = places (3, 30, 560, 600);
  g_autoptr(GArray) to_600 = shrink_steps (600, 1000, held_600, WINNOW_TASK_ROWS_STEP);
  g_autoptr(GArray) to_3 = shrink_steps (3, 600, held_3, WINNOW_TASK_ROWS_STEP);
  /* the steps worked out by hand for 24 rows a step */
  static const guint to_600_by_24[] = { 626, 374, 0, 602, 24, 0, 600, 2, 0 };
  static const guint to_3_by_24[] = { 576, 24, 0, 22, 554, 0, 3, 19, 0 };
  g_autoptr(GArray) check_600 = shrink_steps (600, 1000, held_600, 24);
  g_autoptr(GArray) check_3 = shrink_steps (3, 600, held_3, 24);
  /* the first places to go, with the first step of each */
  guint cut_600 = g_array_index (to_600, guint, 0), cut_3 = g_array_index (to_3, guint, 0);

  g_assert_cmpmem (check_600->data, check_600->len * sizeof (guint), to_600_by_24, sizeof to_600_by_24);
  g_assert_cmpmem (check_3->data, check_3->len * sizeof (guint), to_3_by_24, sizeof to_3_by_24);
  g_assert_cmpuint (to_600->len, >=, 9);
  g_assert_cmpuint (to_3->len, >=, 9);
  splice (f, 0, 10, 1001, 1000);
  run_until_told (f);
  for (guint p = 0; p < 30; p++)
    g_ptr_array_add (held, row_at (f, p));
  for (guint p = 560; p < 650; p++)
    g_ptr_array_add (held, row_at (f, p));

  g_array_set_size (f->changes, 0);
  splice (f, 0, 1000, 5001, 600);
  g_assert_cmpuint (f->changes->len, ==, 3);
  for (guint i = 0; i < held->len; i++)
    {
      WinnowTask *row = g_ptr_array_index (held, i);
      guint p = i < 30 ? i : 530 + i;
      g_autoptr(WinnowTask) task = winnow_task_rows_get_task (f->rows, p);

      /* shown, blank, or gone keeping what it showed */
      g_assert_cmpint (winnow_task_get_id (row), ==, p < 600 ? 5001 + p : p < cut_600 ? 0 : 1001 + p);
      g_assert_true ((task != NULL) == (p < 600));
    }
  turn_until_told (f);
  assert_changes (f, (const guint *) to_600->data, to_600->len);
  run_until_told (f);
  assert_rows_show_tasks (f);

  splice (f, 0, 600, 7001, 3);
  turn_until_told (f);
  assert_changes (f, (const guint *) to_3->data, to_3->len);
  run_until_told (f);
  assert_rows_show_tasks (f);
  /* a row that went with the first step keeps what it showed; one that
   * stayed a while went blank, and stays so */
  for (guint i = 3; i < held->len; i++)
    {
      guint p = i < 30 ? i : 530 + i;
      gint64 want = p >= cut_600 ? 1001 + p : p >= cut_3 && p < 600 ? 5001 + p : 0;

      g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (held, i)), ==, want);
    }
}

/* As many rows held among the places to go as a step takes: they all go
 * at once, with the places no view holds. */
static void
test_paced_shrink_one_step (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  static const guint want[] = { 40, 60, 0 };

  splice (f, 0, 10, 1001, 100);
  run_until_told (f);
  for (guint p = 50; p < 50 + WINNOW_TASK_ROWS_STEP; p++)
    g_ptr_array_add (held, row_at (f, p));
  g_array_set_size (f->changes, 0);
  splice (f, 0, 100, 5001, 40);
  turn_until_told (f);
  assert_changes (f, want, G_N_ELEMENTS (want));
  assert_rows_show_tasks (f);
}

/* The tasks change again while a difference is told. A change beside it
 * is told as it is, rows moving with their tasks; one that meets it
 * rebinds the places the views have to the tasks there. */
static void
test_paced_changed_meanwhile (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) held = row_at (f, 2);
  g_autoptr(GPtrArray) blanks = g_ptr_array_new_with_free_func (g_object_unref);

  /* growing: 5 tasks added at the top, 3 removed among those not shown
   * yet, a row replaced in place past them */
  splice (f, 0, 10, 1001, 1000);
  g_main_context_iteration (NULL, FALSE);
  g_array_set_size (f->changes, 0);
  splice (f, 0, 0, 9001, 5);
  g_assert_cmpint (winnow_task_get_id (held), ==, 1003);
  {
    static const guint want[] = { 0, 0, 5 };
    assert_changes (f, want, G_N_ELEMENTS (want));
  }
  splice (f, 500, 3, 0, 0);
  splice (f, 900, 1, 9901, 1);
  g_assert_cmpuint (f->changes->len, ==, 3);
  assert_consistent (f);
  run_until_told (f);
  assert_rows_show_tasks (f);
  g_assert_cmpint (winnow_task_get_id (held), ==, 1003);

  /* shrinking, 40 rows held among the places to go: 2 tasks added
   * after them, then every task replaced by 7 (a search) */
  for (guint p = 10; p < 50; p++)
    g_ptr_array_add (blanks, row_at (f, p));
  splice (f, 3, 997, 0, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->rows)), >, 3);
  g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (blanks, 0)), ==, 0);
  splice (f, 5, 0, 6001, 2);
  assert_consistent (f);
  splice (f, 0, 7, 8001, 7);
  assert_consistent (f);
  run_until_told (f);
  assert_rows_show_tasks (f);
  /* (its place, 7 by then, went blank, then went) */
  g_assert_cmpint (winnow_task_get_id (held), ==, 0);

  /* and growing again from there, then replaced while growing */
  splice (f, 0, 7, 7001, 500);
  splice (f, 0, 500, 8001, 400);
  assert_consistent (f);
  run_until_told (f);
  assert_rows_show_tasks (f);
}

/* A view: asks for the count and the places added, in the emission. */
static void
on_view_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint n = g_list_model_get_n_items (model);

  for (guint p = position; p < position + added; p++)
    {
      g_autoptr(WinnowTask) row = g_list_model_get_item (model, p);
      g_autoptr(WinnowTask) task = winnow_task_rows_get_task (f->rows, p);

      g_assert_nonnull (row);
      g_assert_cmpint (winnow_task_get_id (row), ==, task != NULL ? winnow_task_get_id (task) : 0);
    }
  g_assert_null (g_list_model_get_item (model, n));
}

/* Random changes, small and big, in place and not, with turns of the
 * main loop and rows held and let go between them: after each, every
 * place told shows its task (or is blank), in the tasks' order. */
static void
test_paced_random (Fixture *f, gconstpointer data)
{
  gint64 next_id = 100000;

  g_signal_connect (f->rows, "items-changed", G_CALLBACK (on_view_items_changed), f);
  for (guint seed = 1; seed <= 20; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint step = 0; step < 100; step++)
        {
          guint n_tasks = g_list_model_get_n_items (G_LIST_MODEL (f->tasks));
          guint n = g_list_model_get_n_items (G_LIST_MODEL (f->rows));
          guint op = g_rand_int_range (rand, 0, 10);

          if (op < 4)
            {
              guint position = g_rand_int_range (rand, 0, n_tasks + 1);
              guint removed = g_rand_int_range (rand, 0, n_tasks - position + 1);
              guint size = g_rand_int_range (rand, 0, 3);
              guint added = g_rand_int_range (rand, 0, size == 0 ? 5 : size == 1 ? 60 : 400);

              if (g_rand_boolean (rand))
                removed = MIN (removed, 3);
              if (g_rand_int_range (rand, 0, 3) == 0)
                added = removed = MIN (removed, 5);  /* a page read in place */
              splice (f, position, removed, next_id, added);
              next_id += added;
            }
          else if (op < 7)
            g_main_context_iteration (NULL, FALSE);
          else if (op < 9 && n > 0)
            for (guint k = 0; k < 12; k++)
              g_ptr_array_add (held, row_at (f, g_rand_int_range (rand, 0, n)));
          else if (held->len > 0)
            g_ptr_array_remove_index_fast (held, g_rand_int_range (rand, 0, held->len));
          assert_consistent (f);
        }
      run_until_told (f);
      assert_rows_show_tasks (f);
    }
}

/* A big difference in the middle of the list (tasks added above the
 * rows in view, Clear Finished Tasks): at each turn the rows held keep
 * their tasks, moved with them, and every place shows its task. */
static void
test_paced_middle (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

  splice (f, 10, 0, 11, 990);  /* tasks 1 to 1,000 */
  run_until_told (f);
  for (guint p = 500; p < 510; p++)
    g_ptr_array_add (held, row_at (f, p));
  for (guint p = 150; p < 190; p++)
    g_ptr_array_add (held, row_at (f, p));

  /* 300 tasks added above them, 10 replaced in place across the first
   * step told, then 400 removed, 40 of them held */
  splice (f, 100, 0, 5001, 300);
  splice (f, 100 + WINNOW_TASK_ROWS_STEP - 4, 10, 9501, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (held, i)), ==, 501 + i);
  assert_consistent (f);
  turn_until_told (f);
  splice (f, 100, 400, 0, 0);
  g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (held, 10)), ==, 0);
  while (g_list_model_get_n_items (G_LIST_MODEL (f->rows)) > 900)
    {
      for (guint i = 0; i < 10; i++)
        g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (held, i)), ==, 501 + i);
      assert_consistent (f);
      g_main_context_iteration (NULL, FALSE);
    }
  run_until_told (f);
  assert_rows_show_tasks (f);
}

/* The model goes while a difference is told: its turns stop, and a row
 * held keeps what it showed. */
static void
test_paced_dispose (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) held = NULL;

  splice (f, 0, 10, 1001, 1000);
  held = row_at (f, 20);
  g_clear_object (&f->rows);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (winnow_task_get_id (held), ==, 1021);
  splice (f, 0, 1000, 1, 3);
  g_assert_cmpint (winnow_task_get_id (held), ==, 1021);
}

/* The selection (a GtkSingleSelection over the rows, as the table's) on
 * a task that moved with its row when tasks came at the top stays on it
 * when another row is replaced while they are told. */
static void
test_paced_selection (Fixture *f, gconstpointer data)
{
  g_autoptr(GtkSingleSelection) selection = NULL;
  g_autoptr(WinnowTask) task = NULL;

  splice (f, 10, 0, 11, 990);
  run_until_told (f);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (f->rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_selected (selection, 100);
  splice (f, 0, 0, 5001, 50);
  splice (f, 900, 1, 9001, 1);
  task = winnow_task_rows_get_task (f->rows, gtk_single_selection_get_selected (selection));
  g_assert_cmpint (winnow_task_get_id (task), ==, 101);
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
  ADD ("/task-rows/paced/shrink-one-step", test_paced_shrink_one_step);
  ADD ("/task-rows/paced/changed-meanwhile", test_paced_changed_meanwhile);
  ADD ("/task-rows/paced/random", test_paced_random);
  ADD ("/task-rows/paced/middle", test_paced_middle);
  ADD ("/task-rows/paced/dispose", test_paced_dispose);
  ADD ("/task-rows/paced/selection", test_paced_selection);
  return g_test_run ();
}
