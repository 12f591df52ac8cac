/* winnow-task-list.c: see winnow-task-list.h; the model and its pages
 * (refreshing and following the history: winnow-task-list-refresh.c).
 *
 * The list reads the history on worker threads (winnow-history-call.c),
 * never on the thread that draws. Items are kept in pages of PAGE_SIZE,
 * the last MAX_PAGES pages used. A page not read yet holds placeholder
 * tasks (id 0), shown as empty rows, and is read at once: by key after or
 * before a neighbouring page already read, or by position. When it
 * arrives, its rows change in place.
 *
 * A refresh (a filter changed, or the history changed: this process's
 * tasks, or another process's, noticed through PRAGMA data_version every
 * WATCH_MS) counts the matching tasks and reads again the pages around
 * the one used last, while the old rows stay on screen; then it announces
 * only the rows that changed (a task added at the top is one row
 * inserted), and updates the task objects rows are bound to. A task keeps
 * one object while it is on a page, so that its row follows its progress.
 */
#include "config.h"

#include "winnow-task-list.h"
#include "winnow-task-list-private.h"

#include "winnow-history-call.h"


static void winnow_task_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WinnowTaskList, winnow_task_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, winnow_task_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  RESET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


/* ---- snapshots of the query ---- */

Snapshot *
_winnow_task_list_snapshot_new (WinnowTaskList *self)
{
  Snapshot *s = g_new0 (Snapshot, 1);

  s->query = self->query;
  s->name = g_strdup (self->name);
  s->from = self->from ? g_date_time_ref (self->from) : NULL;
  s->until = self->until ? g_date_time_ref (self->until) : NULL;
  s->hidden = g_array_copy (self->hidden);
  s->hide_finished_keep = self->hide_finished_keep ? g_array_copy (self->hide_finished_keep) : NULL;
  s->query.name = s->name;
  s->query.created_from = s->from;
  s->query.created_until = s->until;
  s->query.hidden = s->hidden;
  s->query.hide_finished_keep = s->hide_finished_keep;
  return s;
}

void
_winnow_task_list_snapshot_free (Snapshot *s)
{
  g_free (s->name);
  g_clear_pointer (&s->from, g_date_time_unref);
  g_clear_pointer (&s->until, g_date_time_unref);
  g_array_unref (s->hidden);
  g_clear_pointer (&s->hide_finished_keep, g_array_unref);
  g_free (s);
}

/* After a refresh: says what changed of the number of rows and of tasks. */
void
_winnow_task_list_counts_changed (WinnowTaskList *self, guint old_n, gint64 total)
{
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
}

/* A filter or the sort changed, and its rows come: said before they are
 * announced, every row replaced from the top. */
void
_winnow_task_list_emit_reset (WinnowTaskList *self)
{
  g_signal_emit (self, signals[RESET], 0);
}

/* ---- pages ---- */

WinnowTask *
_winnow_task_list_task_copy (WinnowTask *task)
{
  WinnowTask *copy = winnow_task_new (winnow_task_get_id (task));
  winnow_task_update_from (copy, task);
  /* never the object the list keeps up to date for its id */
  g_object_set_data (G_OBJECT (copy), "winnow-copy", GINT_TO_POINTER (TRUE));
  return copy;
}

void
_winnow_task_list_page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_clear_object (&page->first);
  g_clear_object (&page->last);
  g_free (page);
}

static guint
page_length (WinnowTaskList *self, guint index)
{
  guint start = index * PAGE_SIZE;
  return start >= self->n_items ? 0 : MIN (PAGE_SIZE, self->n_items - start);
}

static Page *
page_new_placeholders (guint index, guint length)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->items = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    g_ptr_array_add (page->items, winnow_task_new (0));
  return page;
}

void
_winnow_task_list_rebuild_ids (WinnowTaskList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_remove_all (self->by_id);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;
      for (guint i = 0; page->loaded && i < page->items->len; i++)
        {
          WinnowTask *task = g_ptr_array_index (page->items, i);
          gint64 *id;

          if (g_object_get_data (G_OBJECT (task), "winnow-copy") != NULL)
            continue;  /* a stand-in while its task's object is elsewhere */
          id = g_new (gint64, 1);
          *id = winnow_task_get_id (task);
          g_hash_table_insert (self->by_id, id, task);
        }
    }
}

/* The object for @task: the one a row may be bound to already, brought up
 * to date, or @task itself. */
WinnowTask *
_winnow_task_list_adopt (WinnowTaskList *self, WinnowTask *task)
{
  gint64 id = winnow_task_get_id (task);
  WinnowTask *known = g_hash_table_lookup (self->by_id, &id);

  if (known == NULL)
    return g_object_ref (task);
  winnow_task_update_from (known, task);
  return g_object_ref (known);
}

static void
touch (WinnowTaskList *self, guint index)
{
  g_queue_remove (&self->lru, GUINT_TO_POINTER (index));
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (index));
  while (g_queue_get_length (&self->lru) > MAX_PAGES)
    {
      guint old = GPOINTER_TO_UINT (g_queue_pop_tail (&self->lru));
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old));
    }
}

typedef struct {
  WinnowTaskStore *store;
  Snapshot *snapshot;
  guint index;
  guint generation;
  WinnowTask *after;       /* read by key after this, or */
  WinnowTask *before;      /* before this, or by position */
} PageJob;

static void
page_job_free (gpointer data)
{
  PageJob *job = data;

  g_object_unref (job->store);
  _winnow_task_list_snapshot_free (job->snapshot);
  g_clear_object (&job->after);
  g_clear_object (&job->before);
  g_free (job);
}

static gpointer
read_page (gpointer data, GError **error)
{
  PageJob *job = data;

  if (job->after != NULL)
    return winnow_task_store_query_after (job->store, &job->snapshot->query, job->after,
                                          PAGE_SIZE, error);
  if (job->before != NULL)
    return winnow_task_store_query_before (job->store, &job->snapshot->query, job->before,
                                           PAGE_SIZE, error);
  return winnow_task_store_query (job->store, &job->snapshot->query, job->index * PAGE_SIZE,
                                  PAGE_SIZE, error);
}

void
_winnow_task_list_say_failure (WinnowTaskList *self, const GError *error)
{
  if (!self->failed)
    g_warning ("could not read the task list: %s", error->message);
  self->failed = TRUE;
}

static void load_page (WinnowTaskList *self, Page *page);

/* Do @items (a page's, or NULL) hold the task @id? */
static gboolean
holds (GPtrArray *items, gint64 id)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    if (winnow_task_get_id (g_ptr_array_index (items, i)) == id)
      return TRUE;
  return FALSE;
}

/* The page's first and last tasks, which pages next to it are read
 * from (by key), as @tasks (the page read) has them. */
void
_winnow_task_list_set_bounds (Page *page, GPtrArray *tasks)
{
  guint n = MIN (tasks->len, page->items->len);

  g_clear_object (&page->first);
  g_clear_object (&page->last);
  if (n > 0)
    {
      page->first = _winnow_task_list_task_copy (g_ptr_array_index (tasks, 0));
      page->last = _winnow_task_list_task_copy (g_ptr_array_index (tasks, n - 1));
    }
}

/* A task another page holds means the rows moved since that page was read
 * (a batch run added tasks): one object may not stand at two places of
 * the model, so this place gets a copy of @task until the refresh the
 * move causes puts every row where it is now. */
static WinnowTask *
stand_in (WinnowTaskList *self, WinnowTask *task)
{
  _winnow_task_list_refresh_later (self);
  return _winnow_task_list_task_copy (task);
}

/* A page read for the first time: its placeholders become the tasks read,
 * so the rows bound to them stay and only say what they now show (GTK
 * 4.8 makes a row's widgets again for every item replaced). Where a
 * task's object stands at another place already (the rows moved since),
 * a copy takes this place until the refresh the move causes, and only
 * those places are announced. */
static void
fill_placeholders (WinnowTaskList *self, Page *page, GPtrArray *tasks)
{
  guint first = G_MAXUINT, last = 0;

  for (guint i = 0; i < tasks->len && i < page->items->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      gint64 id = winnow_task_get_id (task);

      WinnowTask *placeholder = g_ptr_array_index (page->items, i);

      if (!g_hash_table_contains (self->by_id, &id))
        {
          winnow_task_fill_placeholder (placeholder, task);
          continue;
        }
      g_ptr_array_index (page->items, i) = stand_in (self, task);
      g_object_unref (placeholder);
      first = MIN (first, i);
      last = MAX (last, i);
    }
  page->loaded = TRUE;
  _winnow_task_list_set_bounds (page, tasks);
  _winnow_task_list_rebuild_ids (self);
  if (first != G_MAXUINT)
    g_list_model_items_changed (G_LIST_MODEL (self), page->index * PAGE_SIZE + first,
                                last - first + 1, last - first + 1);
}

static void
page_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskList) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = winnow_history_call_finish (result, &error);
  PageJob *job = winnow_history_call_get_data (result);
  guint index = job->index, generation = job->generation, length;
  g_autoptr(GPtrArray) before = NULL;
  Page *page;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    return;
  page->loading = FALSE;
  if (generation != self->generation)
    {
      /* the rows moved meanwhile: read it again where it is now */
      if (!page->loaded)
        load_page (self, page);
      return;
    }
  if (tasks == NULL)
    {
      _winnow_task_list_say_failure (self, error);
      return;
    }
  self->failed = FALSE;
  length = page_length (self, index);
  if (!page->loaded && page->items->len == length)
    {
      fill_placeholders (self, page, tasks);
      return;
    }
  before = page->loaded ? g_steal_pointer (&page->items) : NULL;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  page->items = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < tasks->len && i < length; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      gint64 id = winnow_task_get_id (task);

      if (g_hash_table_contains (self->by_id, &id) && !holds (before, id))
        g_ptr_array_add (page->items, stand_in (self, task));
      else
        g_ptr_array_add (page->items, _winnow_task_list_adopt (self, task));
    }
  /* a shorter page than counted (the history changed): placeholders, until
   * the refresh that change causes */
  while (page->items->len < length)
    g_ptr_array_add (page->items, winnow_task_new (0));
  page->loaded = TRUE;
  _winnow_task_list_set_bounds (page, tasks);
  _winnow_task_list_rebuild_ids (self);
  if (length > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), index * PAGE_SIZE, length, length);
}

static void
load_page (WinnowTaskList *self, Page *page)
{
  PageJob *job = g_new0 (PageJob, 1);
  Page *previous = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page->index - 1));
  Page *next = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page->index + 1));
  job->store = g_object_ref (self->store);
  job->snapshot = _winnow_task_list_snapshot_new (self);
  job->index = page->index;
  job->generation = self->generation;
  /* by key from a neighbour: as cheap as the first page, however deep */
  if (page->index > 0 && previous != NULL && previous->loaded && previous->last != NULL &&
      previous->items->len == PAGE_SIZE)
    job->after = g_object_ref (previous->last);
  else if (next != NULL && next->loaded && next->first != NULL)
    job->before = g_object_ref (next->first);
  page->loading = TRUE;
  winnow_history_call (NULL, read_page, job, page_job_free, (GDestroyNotify) g_ptr_array_unref,
                       self->cancellable, page_read, g_object_ref (self));
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
  return WINNOW_TASK_LIST (model)->n_items;
}

/* The page @index, read if it is not there yet. */
static void
ensure_page (WinnowTaskList *self, guint index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (page == NULL)
    {
      page = page_new_placeholders (index, page_length (self, index));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      load_page (self, page);
    }
  touch (self, index);
}

static gpointer
get_item (GListModel *model, guint position)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (model);
  guint index = position / PAGE_SIZE;
  guint within = position % PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;
  ensure_page (self, index);
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  /* Near its end, the neighbour a scroll is heading for: once this page
   * is read, so that the neighbour is read by key from it. */
  if (page != NULL && page->loaded)
    {
      guint neighbour = within >= PAGE_SIZE - PREFETCH_ROWS ? index + 1
                      : within < PREFETCH_ROWS && index > 0 ? index - 1
                      : index;

      if (neighbour != index && neighbour * PAGE_SIZE < self->n_items)
        {
          ensure_page (self, neighbour);
          touch (self, index);  /* this page stays the one used last */
        }
    }
  if (page == NULL || within >= page->items->len)
    return winnow_task_new (0);
  return g_object_ref (g_ptr_array_index (page->items, within));
}

static void
winnow_task_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}
/* ---- the object ---- */

/**
 * winnow_task_list_close:
 *
 * Stops reading and following the history: its view is going away (reads
 * under way may keep the list alive a moment).
 */
void
winnow_task_list_close (WinnowTaskList *self)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
}

static void
winnow_task_list_dispose (GObject *object)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (object);

  winnow_task_list_close (self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (winnow_task_list_parent_class)->dispose (object);
}

static void
winnow_task_list_finalize (GObject *object)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (object);

  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->by_id);
  g_queue_clear (&self->lru);
  g_free (self->name);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  g_array_unref (self->hidden);
  g_clear_pointer (&self->hide_finished_keep, g_array_unref);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (winnow_task_list_parent_class)->finalize (object);
}

static void
winnow_task_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS: g_value_set_uint (value, self->n_items); break;
    case PROP_TOTAL: g_value_set_int64 (value, self->total); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
winnow_task_list_class_init (WinnowTaskListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = winnow_task_list_dispose;
  object_class->finalize = winnow_task_list_finalize;
  object_class->get_property = winnow_task_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * WinnowTaskList:total:
   *
   * How many tasks the history holds, whatever the filters; -1 until
   * the first count arrives.
   */
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WinnowTaskList::reset:
   *
   * The rows of a new filter or sort are about to replace every row,
   * from the top: a view goes back to the top and drops its selection.
   */
  signals[RESET] = g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
winnow_task_list_init (WinnowTaskList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, _winnow_task_list_page_free);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->lru);
  self->hidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->query.hidden = self->hidden;
  self->query.sort = WINNOW_TASK_SORT_CREATED;
  self->query.descending = TRUE;
  self->total = -1;
  self->data_version = G_MININT64;
  self->cancellable = g_cancellable_new ();
}

/**
 * winnow_task_list_new:
 * Returns: (transfer full): every task, newest first, read in a moment
 */
WinnowTaskList *
winnow_task_list_new (WinnowTaskStore *store, WinnowScheduler *scheduler)
{
  WinnowTaskList *self;

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), NULL);
  self = g_object_new (WINNOW_TYPE_TASK_LIST, NULL);
  self->store = g_object_ref (store);
  self->scheduler = g_object_ref (scheduler);
  _winnow_task_list_start_refresh (self, TRUE);
  _winnow_task_list_follow (self);
  return self;
}

static void
filter_changed (WinnowTaskList *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  _winnow_task_list_start_refresh (self, TRUE);
}

/* Bits (1 << WinnowTaskStatus); 0 for all. */
void
winnow_task_list_set_statuses (WinnowTaskList *self, guint statuses)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  if (self->query.statuses == statuses)
    return;
  self->query.statuses = statuses;
  filter_changed (self);
}

void
winnow_task_list_set_name (WinnowTaskList *self, const char *name)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  self->query.name = self->name;
  filter_changed (self);
}

/* Tasks created in [@from, @until); either may be %NULL. */
void
winnow_task_list_set_range (WinnowTaskList *self, GDateTime *from, GDateTime *until)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  self->from = from ? g_date_time_ref (from) : NULL;
  self->until = until ? g_date_time_ref (until) : NULL;
  self->query.created_from = self->from;
  self->query.created_until = self->until;
  filter_changed (self);
}

void
winnow_task_list_set_sort (WinnowTaskList *self, WinnowTaskSort sort, gboolean descending)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  if (self->query.sort == sort && self->query.descending == descending)
    return;
  self->query.sort = sort;
  self->query.descending = descending;
  filter_changed (self);
}

/* Leaves task @id out of the list (deleted, while its undo is offered). */
void
winnow_task_list_hide (WinnowTaskList *self, gint64 id)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  g_array_append_val (self->hidden, id);
  _winnow_task_list_start_refresh (self, FALSE);
}

/* The tasks left out with winnow_task_list_hide(), still hidden. */
const GArray *
winnow_task_list_get_hidden (WinnowTaskList *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_LIST (self), NULL);
  return self->hidden;
}

void
winnow_task_list_unhide (WinnowTaskList *self, gint64 id)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  for (guint i = 0; i < self->hidden->len; i++)
    if (g_array_index (self->hidden, gint64, i) == id)
      {
        g_array_remove_index (self->hidden, i);
        break;
      }
  _winnow_task_list_start_refresh (self, FALSE);
}

/* Leaves out finished tasks with ids up to @upto_id but those in @keep
 * (a clear of the history, while its undo is offered: what it counted);
 * 0 shows them again. */
void
winnow_task_list_hide_finished (WinnowTaskList *self, gint64 upto_id, const GArray *keep)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  g_clear_pointer (&self->hide_finished_keep, g_array_unref);
  if (upto_id > 0 && keep != NULL && keep->len > 0)
    self->hide_finished_keep = g_array_copy ((GArray *) keep);
  self->query.hide_finished_upto = upto_id;
  self->query.hide_finished_keep = self->hide_finished_keep;
  _winnow_task_list_start_refresh (self, FALSE);
}

/* How many tasks the store has, whatever the filters; -1 until known. */
gint64
winnow_task_list_get_total (WinnowTaskList *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_LIST (self), -1);
  return self->total;
}

/* Whether a filter (statuses, name, dates) leaves tasks out. */
gboolean
winnow_task_list_is_filtered (WinnowTaskList *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_LIST (self), FALSE);
  return self->query.statuses != 0 || self->name != NULL || self->from != NULL ||
         self->until != NULL;
}

/* Whether a read is under way (tests wait for the list to settle). */
gboolean
winnow_task_list_is_busy (WinnowTaskList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (WINNOW_IS_TASK_LIST (self), FALSE);
  if (self->refreshing || self->refresh_source != 0 || self->total < 0)
    return TRUE;
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Page *) value)->loading)
      return TRUE;
  return FALSE;
}
