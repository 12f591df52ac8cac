/* winnow-task-rows.c: see winnow-task-rows.h.
 *
 * Each place a view asked for has a row object of its own, a WinnowTask
 * that copies the task standing there (winnow_task_become) and follows
 * its changes. The model keeps no reference to its rows: a row lives as
 * long as a view holds it, and only the rows alive (those a view made
 * widgets for, and the selected one) are kept in @alive with their
 * places.
 *
 * When the tasks' list announces rows [p, p + removed) replaced by @added
 * rows, the first min (removed, added) places keep their row objects,
 * which now show the tasks standing there; only the difference is
 * announced, after them. A view therefore rebinds its widgets where it
 * used to make them all again: after a filter or a sort, and when a
 * refresh replaces rows. Rows added or removed alone (a task added at the
 * top) are announced as they are, so the rows below move with their
 * tasks. A view's selection stays on its place when the place is kept;
 * the table moves it to its task or drops it (winnow-task-table.c,
 * follow_selection()). A big difference is told a step at a time (below). */
#include "config.h"

#include "winnow-task-rows.h"

/* A change that adds more places than PACE_STEP is announced PACE_STEP
 * places a turn of the main loop, and past PACE_LIMIT (20 steps) all at
 * once; one that removes places removes at once those no view holds a
 * row for, and the others PACE_STEP rows a turn. A GTK 4.8 list view
 * makes (or destroys) the widgets of every row among the 200 around its
 * anchor as soon as their places come (or go), about a quarter of a
 * millisecond a row of the table, and 200 of them at once held the main
 * loop 50-280 ms (history-bench). Steps of 24 rows still made turns of
 * 6-10 ms, which with a frame after them were most of the main loop's
 * turns over 16 ms; steps of 12, with the cells drawn from a queue
 * (winnow-task-table-cells.c), took its 99th percentile from about 15 to
 * about 12 ms with no other load. Between two steps, frames are
 * drawn (a screenful of rows comes in two to four steps). Places still
 * to come are not shown yet; places still to go show blank
 * rows. */
#define PACE_STEP WINNOW_TASK_ROWS_STEP
#define PACE_LIMIT WINNOW_TASK_ROWS_PACED

struct _WinnowTaskRows
{
  GObject parent_instance;

  GListModel *tasks;
  guint n_items;         /* the places the views were told of */
  GPtrArray *alive;      /* of Row, unowned: each row's weak reference frees it */
  WinnowTask *blank;     /* what a place still to go shows */

  /* a change not told in full yet: at place @lag_at the tasks' list has
   * @lag places more than the views (> 0), or the views have -@lag blank
   * places more (< 0) */
  gint64 lag;
  guint lag_at;
  guint lag_told;        /* places of a growth told so far */
  guint pace_source;
};

typedef struct {
  WinnowTaskRows *model; /* NULL once the row left the model */
  WinnowTask *row;       /* the view's object, unowned */
  WinnowTask *task;      /* the task it shows, or NULL for a blank row */
  gulong handler;
  guint position;
} Row;

static void winnow_task_rows_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WinnowTaskRows, winnow_task_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, winnow_task_rows_model_init))

static void
on_task_notify (WinnowTask *task, GParamSpec *pspec, Row *row)
{
  winnow_task_become (row->row, task);
}

/* The row shows @task from now on, or (NULL) nothing. */
static void
row_show (Row *row, WinnowTask *task)
{
  if (row->task == task)
    return;
  if (row->task != NULL)
    {
      g_signal_handler_disconnect (row->task, row->handler);
      g_clear_object (&row->task);
    }
  if (task == NULL)
    {
      winnow_task_become (row->row, row->model->blank);
      return;
    }
  row->task = g_object_ref (task);
  row->handler = g_signal_connect (task, "notify", G_CALLBACK (on_task_notify), row);
  winnow_task_become (row->row, task);
}

/* The row leaves the model (its place was removed, or the model goes):
 * it stays what it showed last, for the view until it lets it go. */
static void
row_detach (Row *row)
{
  if (row->task != NULL)
    {
      g_signal_handler_disconnect (row->task, row->handler);
      g_clear_object (&row->task);
    }
  row->model = NULL;
}

static void
row_gone (gpointer data, GObject *where_the_object_was)
{
  Row *row = data;

  if (row->model != NULL)
    g_ptr_array_remove_fast (row->model->alive, row);
  row_detach (row);
  g_free (row);
}

/* ---- places and tasks ---- */

/* Where the task shown at @position stands in the tasks' list, or -1 for
 * a blank place. */
static gint64
task_index (WinnowTaskRows *self, guint position)
{
  if (self->lag == 0 || position < self->lag_at)
    return position;
  if (self->lag < 0 && position < self->lag_at - self->lag)
    return -1;
  return position + self->lag;
}

/* Returns: (transfer full) (nullable): the task shown at @position */
static WinnowTask *
task_at (WinnowTaskRows *self, guint position)
{
  gint64 index = task_index (self, position);
  return index >= 0 ? g_list_model_get_item (self->tasks, (guint) index) : NULL;
}

/* Places [@at, @at + @removed) go and @added come in their stead: the
 * rows of the places gone leave the model, the rows after them move. */
static void
move_rows (WinnowTaskRows *self, guint at, guint removed, guint added)
{
  for (guint i = 0; i < self->alive->len;)
    {
      Row *row = g_ptr_array_index (self->alive, i);

      if (row->position >= at + removed)
        row->position = row->position - removed + added;
      else if (row->position >= at)
        {
          g_ptr_array_remove_index_fast (self->alive, i);
          row_detach (row);
          continue;
        }
      i++;
    }
}

/* The rows of places [@at, @at + @n) show what stands there now. */
static void
show_rows (WinnowTaskRows *self, guint at, guint n)
{
  for (guint i = 0; i < self->alive->len; i++)
    {
      Row *row = g_ptr_array_index (self->alive, i);

      if (row->position >= at && row->position - at < n)
        {
          g_autoptr(WinnowTask) task = task_at (self, row->position);
          row_show (row, task);
        }
    }
}

static int
compare_places (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

static void
tell (WinnowTaskRows *self, guint at, guint removed, guint added)
{
  self->n_items = self->n_items - removed + added;
  g_list_model_items_changed (G_LIST_MODEL (self), at, removed, added);
}

/* The places to go are told gone from the last ones, PACE_STEP rows a
 * view holds at most at a time (each a row of widgets to destroy): from
 * the first place of the last run that holds PACE_STEP rows, or all of
 * them when they hold fewer. Places no view holds go at once. */
static guint
blank_cut (WinnowTaskRows *self)
{
  guint end = self->lag_at + (guint) -self->lag;
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < self->alive->len; i++)
    {
      Row *row = g_ptr_array_index (self->alive, i);

      if (row->position >= self->lag_at && row->position < end)
        g_array_append_val (held, row->position);
    }
  if (held->len <= PACE_STEP)
    return self->lag_at;
  g_array_sort (held, compare_places);
  return g_array_index (held, guint, held->len - PACE_STEP);
}

/* One step of the change not told yet; FALSE once it is told in full. */
static gboolean
pace_step (WinnowTaskRows *self)
{
  guint at, n;

  if (self->lag > 0)
    {
      n = self->lag_told >= PACE_LIMIT ? (guint) self->lag : MIN ((guint) self->lag, PACE_STEP);
      at = self->lag_at;
      move_rows (self, at, 0, n);
      self->lag -= n;
      self->lag_at += n;
      self->lag_told += n;
      tell (self, at, 0, n);
    }
  else if (self->lag < 0)
    {
      at = blank_cut (self);
      n = self->lag_at + (guint) -self->lag - at;
      /* the places staying a while are blank; those going keep what they
       * showed, for the views until they let them go */
      show_rows (self, self->lag_at, at - self->lag_at);
      move_rows (self, at, n, 0);
      self->lag += n;
      tell (self, at, n, 0);
    }
  return self->lag != 0;
}

static gboolean
pace (gpointer data)
{
  g_autoptr(WinnowTaskRows) self = g_object_ref (data);

  if (pace_step (self))
    return G_SOURCE_CONTINUE;
  self->pace_source = 0;
  return G_SOURCE_REMOVE;
}

/* Tells a difference of @lag places at @at (> 0: places added, < 0:
 * removed): the first step now, the others a turn at a time. */
static void
tell_paced (WinnowTaskRows *self, guint at, gint64 lag)
{
  self->lag = lag;
  self->lag_at = at;
  self->lag_told = 0;
  if (pace_step (self) && self->pace_source == 0)
    self->pace_source = g_idle_add (pace, self);
}

/* A change while another is still told, where the two do not meet, is
 * told as it is, in the views' places: rows replaced in place (a page
 * read, a refresh's rows outside its window), or a small change before
 * or after the places still told. Returns FALSE when it cannot be. */
static gboolean
change_beside_lag (WinnowTaskRows *self, guint position, guint removed, guint added)
{
  gint64 delta = (gint64) added - removed;
  guint kept = MIN (removed, added), at;
  gboolean before = position + removed <= self->lag_at;

  if (self->lag > 0 && position >= self->lag_at &&
      position + removed <= self->lag_at + self->lag)
    {
      /* among the tasks not shown yet */
      self->lag += delta;
      if (self->lag == 0)
        g_clear_handle_id (&self->pace_source, g_source_remove);
      return TRUE;
    }
  if (removed == added)
    {
      for (guint i = 0; i < self->alive->len; i++)
        {
          Row *row = g_ptr_array_index (self->alive, i);
          gint64 index = task_index (self, row->position);

          if (index >= position && index < (gint64) position + added)
            {
              g_autoptr(WinnowTask) task = g_list_model_get_item (self->tasks, (guint) index);
              row_show (row, task);
            }
        }
      return TRUE;
    }
  if ((guint) ABS (delta) > PACE_STEP)
    return FALSE;
  if (before)
    at = position;
  else if (self->lag > 0 && position >= self->lag_at + self->lag)
    at = position - (guint) self->lag;
  else if (self->lag < 0 && position >= self->lag_at)
    at = position + (guint) -self->lag;
  else
    return FALSE;

  show_rows (self, at, kept);
  move_rows (self, at + kept, removed - kept, added - kept);
  if (before)
    self->lag_at = (guint) (self->lag_at + delta);
  tell (self, at + kept, removed - kept, added - kept);
  return TRUE;
}

static void
on_items_changed (GListModel *tasks, guint position, guint removed, guint added,
                  WinnowTaskRows *self)
{
  guint kept, at;

  /* A change that meets another still told: the views' places that the
   * list still has show what stands there now (rebound, not moved with
   * their tasks), and the difference in number is told as any other. */
  if (self->lag != 0)
    {
      guint n_tasks;

      if (change_beside_lag (self, position, removed, added))
        return;
      n_tasks = g_list_model_get_n_items (tasks);
      g_clear_handle_id (&self->pace_source, g_source_remove);
      self->lag = 0;
      position = MIN (n_tasks, self->n_items);
      removed = self->n_items - position;
      added = n_tasks - position;
      show_rows (self, 0, position);
    }
  kept = MIN (removed, added);
  at = position + kept;

  /* the places kept show what stands there now */
  show_rows (self, position, kept);

  if (added > removed)
    tell_paced (self, at, (gint64) added - removed);
  else if (removed > added)
    tell_paced (self, at, -(gint64) (removed - added));
}

/* ---- the model ---- */

static GType
get_item_type (GListModel *model)
{
  return WINNOW_TYPE_TASK;
}

static guint
get_n_items (GListModel *model)
{
  return WINNOW_TASK_ROWS (model)->n_items;
}

static gpointer
get_item (GListModel *model, guint position)
{
  WinnowTaskRows *self = WINNOW_TASK_ROWS (model);
  g_autoptr(WinnowTask) task = NULL;
  Row *row;

  if (position >= self->n_items)
    return NULL;
  for (guint i = 0; i < self->alive->len; i++)
    {
      row = g_ptr_array_index (self->alive, i);
      if (row->position == position)
        return g_object_ref (row->row);
    }
  /* a blank row for a place still to go, and while the tasks' list has
   * fewer rows than it announced yet (a view goes to the top on its
   * reset signal, before the change), until the change comes */
  task = task_at (self, position);
  row = g_new0 (Row, 1);
  row->model = self;
  row->position = position;
  row->row = winnow_task_new (0);
  g_object_weak_ref (G_OBJECT (row->row), row_gone, row);
  g_ptr_array_add (self->alive, row);
  row_show (row, task);
  return row->row;
}

static void
winnow_task_rows_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- the object ---- */

static void
winnow_task_rows_dispose (GObject *object)
{
  WinnowTaskRows *self = WINNOW_TASK_ROWS (object);

  /* rows a view still holds stay as they are, unfollowed */
  for (guint i = 0; i < self->alive->len; i++)
    row_detach (g_ptr_array_index (self->alive, i));
  g_ptr_array_set_size (self->alive, 0);
  g_clear_handle_id (&self->pace_source, g_source_remove);
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_data (self->tasks, self);
  g_clear_object (&self->tasks);
  G_OBJECT_CLASS (winnow_task_rows_parent_class)->dispose (object);
}

static void
winnow_task_rows_finalize (GObject *object)
{
  WinnowTaskRows *self = WINNOW_TASK_ROWS (object);

  g_ptr_array_unref (self->alive);
  g_object_unref (self->blank);
  G_OBJECT_CLASS (winnow_task_rows_parent_class)->finalize (object);
}

static void
winnow_task_rows_class_init (WinnowTaskRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = winnow_task_rows_dispose;
  object_class->finalize = winnow_task_rows_finalize;
}

static void
winnow_task_rows_init (WinnowTaskRows *self)
{
  self->alive = g_ptr_array_new ();
  self->blank = winnow_task_new (0);
}

/**
 * winnow_task_rows_new:
 * @tasks: a list of WinnowTask
 *
 * Returns: (transfer full): @tasks, an object per place
 */
WinnowTaskRows *
winnow_task_rows_new (GListModel *tasks)
{
  WinnowTaskRows *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (tasks), NULL);
  self = g_object_new (WINNOW_TYPE_TASK_ROWS, NULL);
  self->tasks = g_object_ref (tasks);
  self->n_items = g_list_model_get_n_items (tasks);
  g_signal_connect (tasks, "items-changed", G_CALLBACK (on_items_changed), self);
  return self;
}

/* Returns: (transfer none): the list of tasks the rows show */
GListModel *
winnow_task_rows_get_tasks (WinnowTaskRows *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_ROWS (self), NULL);
  return self->tasks;
}

/**
 * winnow_task_rows_get_task:
 *
 * Returns: (transfer full) (nullable): the task at @position itself, not
 * its row: the object to keep (a task page follows it); NULL for a
 * place still to go, which shows a blank row
 */
WinnowTask *
winnow_task_rows_get_task (WinnowTaskRows *self, guint position)
{
  g_return_val_if_fail (WINNOW_IS_TASK_ROWS (self), NULL);
  return position < self->n_items ? task_at (self, position) : NULL;
}

/**
 * winnow_task_rows_get_place:
 * @index: a place in the tasks' list
 *
 * Returns: the views' place that shows the task at @index, or -1 while a
 *   change is told a step at a time and that place is not told yet
 */
gint64
winnow_task_rows_get_place (WinnowTaskRows *self, guint index)
{
  g_return_val_if_fail (WINNOW_IS_TASK_ROWS (self), -1);
  if (self->lag == 0 || index < self->lag_at)
    return index;
  if (self->lag > 0)
    return index >= self->lag_at + self->lag ? (gint64) index - self->lag : -1;
  return (gint64) index - self->lag;
}
