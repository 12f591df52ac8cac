/* winnow-task-rows.c: see winnow-task-rows.h.
 *
 * Each place a view asked for has a row object of its own, a WinnowTask
 * that copies the task standing there (winnow_task_become) and follows
 * its changes. The model keeps no reference to its rows: a row lives as
 * long as a view holds it, and only the rows alive (a screenful, and the
 * selected one) are kept in @alive with their places.
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
 * follow_selection()). */
#include "config.h"

#include "winnow-task-rows.h"

struct _WinnowTaskRows
{
  GObject parent_instance;

  GListModel *tasks;
  guint n_items;
  GPtrArray *alive;      /* of Row, unowned: each row's weak reference frees it */
};

typedef struct {
  WinnowTaskRows *model; /* NULL once the row left the model */
  WinnowTask *row;       /* the view's object, unowned */
  WinnowTask *task;      /* the task it shows */
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

static void
row_show (Row *row, WinnowTask *task)
{
  if (row->task == task)
    return;
  if (row->task != NULL)
    {
      g_signal_handler_disconnect (row->task, row->handler);
      g_object_unref (row->task);
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

static void
on_items_changed (GListModel *tasks, guint position, guint removed, guint added,
                  WinnowTaskRows *self)
{
  guint kept = MIN (removed, added);
  gint64 delta = (gint64) added - removed;

  /* the places after the change move; those removed lose their rows */
  for (guint i = 0; i < self->alive->len;)
    {
      Row *row = g_ptr_array_index (self->alive, i);

      if (row->position >= position + removed)
        row->position = (guint) (row->position + delta);
      else if (row->position >= position + kept)
        {
          g_ptr_array_remove_index_fast (self->alive, i);
          row_detach (row);
          continue;
        }
      i++;
    }
  self->n_items = g_list_model_get_n_items (tasks);

  /* the places kept show what stands there now */
  for (guint i = 0; i < self->alive->len; i++)
    {
      Row *row = g_ptr_array_index (self->alive, i);

      if (row->position >= position && row->position < position + kept)
        {
          g_autoptr(WinnowTask) task = g_list_model_get_item (tasks, row->position);
          if (task != NULL)
            row_show (row, task);
        }
    }

  if (removed != added)
    g_list_model_items_changed (G_LIST_MODEL (self), position + kept, removed - kept,
                                added - kept);
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
  /* NULL while the tasks' list has fewer rows than it announced yet (a
   * view goes to the top on its reset signal, before the change): a row
   * not read, until the change comes */
  task = g_list_model_get_item (self->tasks, position);
  if (task == NULL)
    task = winnow_task_new (0);
  row = g_new0 (Row, 1);
  row->model = self;
  row->position = position;
  row->row = winnow_task_new (winnow_task_get_id (task));
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
 * its row: the object to keep (a task page follows it)
 */
WinnowTask *
winnow_task_rows_get_task (WinnowTaskRows *self, guint position)
{
  g_return_val_if_fail (WINNOW_IS_TASK_ROWS (self), NULL);
  return position < self->n_items ? g_list_model_get_item (self->tasks, position) : NULL;
}
