/* winnow-task-list.c: see winnow-task-list.h.
 *
 * Items are fetched in pages of PAGE_SIZE and kept for the last MAX_PAGES
 * pages used, so a view that asks for the rows on screen costs one indexed
 * query per page. A task seen in any cached page is kept by id: progress
 * and status changes update that object, and the row bound to it follows.
 * Anything that may move rows (a task added, finished or deleted while a
 * filter or sort depends on it) re-reads the list a moment later, once.
 */
#include "config.h"

#include "winnow-task-list.h"

#define PAGE_SIZE 100
#define MAX_PAGES 30
#define REFRESH_DELAY_MS 250

struct _WinnowTaskList {
  GObject parent_instance;

  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTaskQuery query;
  char *name;
  GDateTime *from;
  GDateTime *until;
  GArray *hidden;

  guint n_items;
  gint64 total;             /* every task, filters aside */
  GHashTable *pages;        /* page index -> GPtrArray of WinnowTask */
  GQueue lru;               /* page indices, most recent first */
  GHashTable *by_id;        /* id -> WinnowTask in a cached page */
  guint refresh_source;
};

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

static void
forget_page (WinnowTaskList *self, guint index)
{
  GPtrArray *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (page == NULL)
    return;
  for (guint i = 0; i < page->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (page, i);
      gint64 id = winnow_task_get_id (task);
      if (g_hash_table_lookup (self->by_id, &id) == task)
        g_hash_table_remove (self->by_id, &id);
    }
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (index));
  g_queue_remove (&self->lru, GUINT_TO_POINTER (index));
}

static GPtrArray *
load_page (WinnowTaskList *self, guint index)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (page != NULL)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (index));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (index));
      return page;
    }
  page = winnow_task_store_query (self->store, &self->query, index * PAGE_SIZE, PAGE_SIZE, &error);
  if (page == NULL)
    {
      g_warning ("could not read the task list: %s", error->message);
      return NULL;
    }
  for (guint i = 0; i < page->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (page, i);
      WinnowTask *known;
      gint64 *id = g_new (gint64, 1);

      *id = winnow_task_get_id (task);
      /* one object per task, so that a row keeps following it */
      known = g_hash_table_lookup (self->by_id, id);
      if (known != NULL)
        {
          winnow_task_update_from (known, task);
          g_ptr_array_index (page, i) = g_object_ref (known);
          g_object_unref (task);
          g_free (id);
        }
      else
        g_hash_table_insert (self->by_id, id, task);
    }
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (index));
  while (g_queue_get_length (&self->lru) > MAX_PAGES)
    forget_page (self, GPOINTER_TO_UINT (g_queue_peek_tail (&self->lru)));
  return page;
}

static gpointer
get_item (GListModel *model, guint position)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (model);
  GPtrArray *page;

  if (position >= self->n_items)
    return NULL;
  page = load_page (self, position / PAGE_SIZE);
  if (page == NULL || position % PAGE_SIZE >= page->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (page, position % PAGE_SIZE));
}

static void
winnow_task_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/**
 * winnow_task_list_refresh:
 *
 * Reads the list again: counts, and drops the cached pages.
 */
void
winnow_task_list_refresh (WinnowTaskList *self)
{
  WinnowTaskQuery everything = { .hidden = self->hidden };
  guint old = self->n_items;
  gint64 count, total;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  count = winnow_task_store_count (self->store, &self->query, NULL);
  total = winnow_task_store_count (self->store, &everything, NULL);
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->by_id);
  g_queue_clear (&self->lru);
  self->n_items = count > 0 ? (guint) count : 0;
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  /* GTK 4.8's list item manager looks up every added item to reuse the
   * widgets of removed ones, which would read all 100,000 tasks page by
   * page; announcing the removal and the addition apart skips that. */
  if (old > 0 && self->n_items > 0)
    {
      guint n = self->n_items;
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
      self->n_items = n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, n);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
  if (old != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static gboolean
refresh_later_cb (gpointer data)
{
  WinnowTaskList *self = data;
  self->refresh_source = 0;
  winnow_task_list_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
refresh_later (WinnowTaskList *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_later_cb, self);
}

/* Does a change of status move rows in the current view? */
static gboolean
status_moves_rows (WinnowTaskList *self)
{
  return self->query.statuses != 0 || self->query.sort != WINNOW_TASK_SORT_CREATED;
}

static void
on_task_changed (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskList *self)
{
  gint64 id = winnow_task_get_id (task);
  WinnowTask *known = g_hash_table_lookup (self->by_id, &id);

  /* a task outside the cached pages is read afresh when it scrolls in */
  if (known != NULL)
    winnow_task_update_from (known, task);
  if (status_moves_rows (self))
    refresh_later (self);
}

static void
on_task_added (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskList *self)
{
  refresh_later (self);
}

static void
on_task_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
                  gint phase, WinnowTaskList *self)
{
  gint64 id = winnow_task_get_id (task);
  WinnowTask *known = g_hash_table_lookup (self->by_id, &id);

  if (known != NULL)
    {
      winnow_task_set_status (known, WINNOW_TASK_PROCESSING);
      winnow_task_set_progress (known, fraction);
    }
}

static void
winnow_task_list_dispose (GObject *object)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
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
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
winnow_task_list_init (WinnowTaskList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->lru);
  self->hidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->query.hidden = self->hidden;
  self->query.sort = WINNOW_TASK_SORT_CREATED;
  self->query.descending = TRUE;
}

/**
 * winnow_task_list_new:
 * Returns: (transfer full): every task, newest first
 */
WinnowTaskList *
winnow_task_list_new (WinnowTaskStore *store, WinnowScheduler *scheduler)
{
  WinnowTaskList *self = g_object_new (WINNOW_TYPE_TASK_LIST, NULL);

  self->store = g_object_ref (store);
  self->scheduler = g_object_ref (scheduler);
  g_signal_connect (scheduler, "task-added", G_CALLBACK (on_task_added), self);
  g_signal_connect (scheduler, "task-started", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_task_progress), self);
  winnow_task_list_refresh (self);
  return self;
}

/* Bits (1 << WinnowTaskStatus); 0 for all. */
void
winnow_task_list_set_statuses (WinnowTaskList *self, guint statuses)
{
  if (self->query.statuses == statuses)
    return;
  self->query.statuses = statuses;
  winnow_task_list_refresh (self);
}

void
winnow_task_list_set_name (WinnowTaskList *self, const char *name)
{
  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  self->query.name = self->name;
  winnow_task_list_refresh (self);
}

/* Tasks created in [@from, @until); either may be %NULL. */
void
winnow_task_list_set_range (WinnowTaskList *self, GDateTime *from, GDateTime *until)
{
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  self->from = from ? g_date_time_ref (from) : NULL;
  self->until = until ? g_date_time_ref (until) : NULL;
  self->query.created_from = self->from;
  self->query.created_until = self->until;
  winnow_task_list_refresh (self);
}

void
winnow_task_list_set_sort (WinnowTaskList *self, WinnowTaskSort sort, gboolean descending)
{
  if (self->query.sort == sort && self->query.descending == descending)
    return;
  self->query.sort = sort;
  self->query.descending = descending;
  winnow_task_list_refresh (self);
}

/* Leaves task @id out of the list (deleted, while its undo is offered). */
void
winnow_task_list_hide (WinnowTaskList *self, gint64 id)
{
  g_array_append_val (self->hidden, id);
  winnow_task_list_refresh (self);
}

void
winnow_task_list_unhide (WinnowTaskList *self, gint64 id)
{
  for (guint i = 0; i < self->hidden->len; i++)
    if (g_array_index (self->hidden, gint64, i) == id)
      {
        g_array_remove_index (self->hidden, i);
        break;
      }
  winnow_task_list_refresh (self);
}

/* How many tasks the store has, whatever the filters. */
gint64
winnow_task_list_get_total (WinnowTaskList *self)
{
  return self->total;
}

/* The list's object for task @id, if it is in a cached page. */
WinnowTask *
winnow_task_list_find (WinnowTaskList *self, gint64 id)
{
  return g_hash_table_lookup (self->by_id, &id);
}
