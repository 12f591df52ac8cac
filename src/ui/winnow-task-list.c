/* winnow-task-list.c: see winnow-task-list.h.
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

#include "winnow-history-call.h"

#define PAGE_SIZE 100
#define MAX_PAGES 30
/* Pages read again by a refresh, around the one used last. */
#define REFRESH_PAGES 3
/* How often the history is asked whether anyone changed it. */
#define WATCH_MS 400
/* A change this process made is read back after this. */
#define REFRESH_DELAY_MS 60

typedef struct {
  guint index;
  GPtrArray *items;        /* WinnowTask: real ones, or placeholders (id 0) */
  gboolean loaded;
  gboolean loading;
  WinnowTask *first;       /* a copy of the first and last task as read: */
  WinnowTask *last;        /* the keys of the neighbouring pages */
} Page;

/* A copy of the query that a worker thread may read. */
typedef struct {
  WinnowTaskQuery query;
  char *name;
  GDateTime *from;
  GDateTime *until;
  GArray *hidden;
} Snapshot;

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
  gint64 total;              /* every task, filters aside; -1 until read */
  GHashTable *pages;         /* page index -> Page */
  GQueue lru;                /* page indices, most recent first */
  GHashTable *by_id;         /* id -> WinnowTask on a page read */
  guint generation;          /* bumped when positions may have moved */

  GCancellable *cancellable;
  gboolean refreshing;
  gboolean refresh_again;
  gboolean reset_again;      /* the next refresh replaces every row */
  guint refresh_source;
  guint watch_source;
  gboolean watching;
  gint64 data_version;
  gboolean failed;           /* the last read failed: said once */
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

static void start_refresh (WinnowTaskList *self, gboolean reset);

/* ---- snapshots of the query ---- */

static Snapshot *
snapshot_new (WinnowTaskList *self)
{
  Snapshot *s = g_new0 (Snapshot, 1);

  s->query = self->query;
  s->name = g_strdup (self->name);
  s->from = self->from ? g_date_time_ref (self->from) : NULL;
  s->until = self->until ? g_date_time_ref (self->until) : NULL;
  s->hidden = g_array_copy (self->hidden);
  s->query.name = s->name;
  s->query.created_from = s->from;
  s->query.created_until = s->until;
  s->query.hidden = s->hidden;
  return s;
}

static void
snapshot_free (Snapshot *s)
{
  g_free (s->name);
  g_clear_pointer (&s->from, g_date_time_unref);
  g_clear_pointer (&s->until, g_date_time_unref);
  g_array_unref (s->hidden);
  g_free (s);
}

/* ---- pages ---- */

static WinnowTask *
task_copy (WinnowTask *task)
{
  WinnowTask *copy = winnow_task_new (winnow_task_get_id (task));
  winnow_task_update_from (copy, task);
  return copy;
}

static void
page_free (gpointer data)
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

static void
rebuild_ids (WinnowTaskList *self)
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
          gint64 *id = g_new (gint64, 1);
          *id = winnow_task_get_id (task);
          g_hash_table_insert (self->by_id, id, task);
        }
    }
}

/* The object for @task: the one a row may be bound to already, brought up
 * to date, or @task itself. */
static WinnowTask *
adopt (WinnowTaskList *self, WinnowTask *task)
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
  snapshot_free (job->snapshot);
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

static void
say_failure (WinnowTaskList *self, const GError *error)
{
  if (!self->failed)
    g_warning ("could not read the task list: %s", error->message);
  self->failed = TRUE;
}

static void load_page (WinnowTaskList *self, Page *page);
static void refresh_later (WinnowTaskList *self);

/* Do @items (a page's, or NULL) hold the task @id? */
static gboolean
holds (GPtrArray *items, gint64 id)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    if (winnow_task_get_id (g_ptr_array_index (items, i)) == id)
      return TRUE;
  return FALSE;
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
      say_failure (self, error);
      return;
    }
  self->failed = FALSE;
  length = page_length (self, index);
  before = page->loaded ? g_steal_pointer (&page->items) : NULL;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  page->items = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < tasks->len && i < length; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      gint64 id = winnow_task_get_id (task);

      /* A task another page holds means the rows moved since that page
       * was read (a batch run added tasks): one object may not stand at
       * two places of the model, so this place gets a copy until the
       * refresh the change causes puts every row where it is now. */
      if (g_hash_table_contains (self->by_id, &id) && !holds (before, id))
        {
          g_ptr_array_add (page->items, task_copy (task));
          refresh_later (self);
        }
      else
        g_ptr_array_add (page->items, adopt (self, task));
    }
  /* a shorter page than counted (the history changed): placeholders, until
   * the refresh that change causes */
  while (page->items->len < length)
    g_ptr_array_add (page->items, winnow_task_new (0));
  page->loaded = TRUE;
  g_clear_object (&page->first);
  g_clear_object (&page->last);
  if (tasks->len > 0)
    {
      page->first = task_copy (g_ptr_array_index (tasks, 0));
      page->last = task_copy (g_ptr_array_index (tasks, MIN (tasks->len, length) - 1));
    }
  rebuild_ids (self);
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
  job->snapshot = snapshot_new (self);
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

static gpointer
get_item (GListModel *model, guint position)
{
  WinnowTaskList *self = WINNOW_TASK_LIST (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = page_new_placeholders (index, page_length (self, index));
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      load_page (self, page);
    }
  touch (self, index);
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL || position % PAGE_SIZE >= page->items->len)
    return winnow_task_new (0);
  return g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
}

static void
winnow_task_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- refreshing ---- */

typedef struct {
  WinnowTaskStore *store;
  Snapshot *snapshot;
  guint first_page;
  guint n_pages;
  gboolean reset;
  guint generation;
  /* results */
  gint64 count;
  gint64 total;
  GPtrArray *pages;        /* of GPtrArray of WinnowTask */
} RefreshJob;

static void
refresh_job_free (gpointer data)
{
  RefreshJob *job = data;

  g_object_unref (job->store);
  snapshot_free (job->snapshot);
  g_clear_pointer (&job->pages, g_ptr_array_unref);
  g_free (job);
}

static gpointer
read_refresh (gpointer data, GError **error)
{
  RefreshJob *job = data;

  job->count = winnow_task_store_count (job->store, &job->snapshot->query, &job->total, error);
  if (job->count < 0)
    return NULL;
  job->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < job->n_pages; i++)
    {
      guint index = job->first_page + i;
      GPtrArray *page;

      if ((gint64) index * PAGE_SIZE >= job->count)
        break;
      page = winnow_task_store_query (job->store, &job->snapshot->query, index * PAGE_SIZE,
                                      PAGE_SIZE, error);
      if (page == NULL)
        return NULL;
      g_ptr_array_add (job->pages, page);
    }
  return GINT_TO_POINTER (1);
}

/* The id at @position before the refresh: 0 when it was not read. */
static gint64
old_id (WinnowTaskList *self, guint position)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (position / PAGE_SIZE));
  WinnowTask *task;

  if (page == NULL || !page->loaded || position % PAGE_SIZE >= page->items->len)
    return 0;
  task = g_ptr_array_index (page->items, position % PAGE_SIZE);
  return winnow_task_get_id (task);
}

static gint64
new_id (RefreshJob *job, guint position)
{
  guint i = position / PAGE_SIZE;
  GPtrArray *page;

  if (position < job->first_page * PAGE_SIZE || i - job->first_page >= job->pages->len)
    return -1;  /* not read */
  page = g_ptr_array_index (job->pages, i - job->first_page);
  if (position % PAGE_SIZE >= page->len)
    return -1;
  return winnow_task_get_id (g_ptr_array_index (page, position % PAGE_SIZE));
}

/* Announces rows [position, position + removed) replaced by @added rows.
 * GTK 4.8 looks up every added item to reuse the widgets of removed ones;
 * for a long tail, the removal and the addition are announced apart. */
static void
announce (WinnowTaskList *self, guint position, guint removed, guint added, guint old_n)
{
  guint new_n = self->n_items;

  if (removed == 0 && added == 0)
    return;
  if (removed + added > 2 * PAGE_SIZE && removed > 0 && added > 0)
    {
      self->n_items = old_n - removed;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 0);
      self->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
apply_refresh (WinnowTaskList *self, RefreshJob *job)
{
  guint old_n = self->n_items;
  guint new_n = (guint) MAX (job->count, 0);
  guint window_start = job->first_page * PAGE_SIZE;
  guint window_end = window_start;
  gint64 delta = (gint64) new_n - old_n;
  guint first = G_MAXUINT;
  guint removed, added;
  g_autoptr(GHashTable) old_pages = NULL;

  for (guint i = 0; i < job->pages->len; i++)
    window_end += ((GPtrArray *) g_ptr_array_index (job->pages, i))->len;

  /* which rows changed: the first that differs within the rows read ... */
  if (!job->reset)
    {
      guint end = MAX (window_end, MIN (old_n, window_start + job->n_pages * PAGE_SIZE));
      for (guint p = window_start; p < end; p++)
        if (old_id (self, p) != new_id (job, p) || old_id (self, p) == 0)
          {
            first = p;
            break;
          }
      if (first == G_MAXUINT && delta != 0)
        first = MIN (end, MIN (old_n, new_n));
      if (window_start > 0 && first != G_MAXUINT && delta != 0 && first == window_start)
        first = window_start;  /* rows above the window may have moved too */
    }
  else
    first = 0;

  /* ... and how far, matching the rest of the window shifted by delta */
  removed = added = 0;
  if (first != G_MAXUINT)
    {
      guint last_old = old_n;  /* exclusive: up to the end, unless matched */
      if (!job->reset && window_end > first)
        {
          gint64 p = (gint64) MIN (old_n, window_end) - 1;
          while (p >= (gint64) first && p + delta >= (gint64) first &&
                 new_id (job, (guint) (p + delta)) > 0 &&
                 old_id (self, (guint) p) == new_id (job, (guint) (p + delta)))
            p--;
          if (p + 1 < (gint64) MIN (old_n, window_end) || (p + 1 == (gint64) first))
            last_old = (guint) (p + 1);
          if ((gint64) last_old + delta < (gint64) first)
            last_old = (guint) ((gint64) first - delta);
        }
      removed = last_old > first ? last_old - first : 0;
      added = (guint) MAX ((gint64) removed + delta, 0);
    }

  /* the new pages: objects rows are bound to, updated in place */
  old_pages = g_steal_pointer (&self->pages);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_clear (&self->lru);
  self->n_items = new_n;
  for (guint i = 0; i < job->pages->len; i++)
    {
      GPtrArray *tasks = g_ptr_array_index (job->pages, i);
      Page *page = g_new0 (Page, 1);

      page->index = job->first_page + i;
      page->items = g_ptr_array_new_full (tasks->len, g_object_unref);
      for (guint t = 0; t < tasks->len; t++)
        g_ptr_array_add (page->items, adopt (self, g_ptr_array_index (tasks, t)));
      page->loaded = TRUE;
      if (tasks->len > 0)
        {
          page->first = task_copy (g_ptr_array_index (tasks, 0));
          page->last = task_copy (g_ptr_array_index (tasks, tasks->len - 1));
        }
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page->index), page);
      g_queue_push_tail (&self->lru, GUINT_TO_POINTER (page->index));
    }
  self->generation++;
  rebuild_ids (self);

  if (job->reset)
    announce (self, 0, old_n, new_n, old_n);
  else if (first != G_MAXUINT)
    announce (self, first, removed, added, old_n);

  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (self->total != job->total)
    {
      self->total = job->total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
}

static void
refresh_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskList) self = data;
  g_autoptr(GError) error = NULL;
  gpointer ok = winnow_history_call_finish (result, &error);
  RefreshJob *job = winnow_history_call_get_data (result);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->refreshing = FALSE;
  if (ok == NULL)
    say_failure (self, error);
  else
    {
      self->failed = FALSE;
      apply_refresh (self, job);
    }
  if (self->refresh_again)
    {
      gboolean reset = self->reset_again;
      self->refresh_again = self->reset_again = FALSE;
      start_refresh (self, reset);
    }
}

/* Reads the count and the pages around the one used last; @reset when
 * the filter or sort changed (every row is replaced, from the top). */
static void
start_refresh (WinnowTaskList *self, gboolean reset)
{
  RefreshJob *job;
  guint recent = 0;

  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      self->reset_again |= reset;
      return;
    }
  if (!reset && self->lru.length > 0)
    recent = GPOINTER_TO_UINT (g_queue_peek_head (&self->lru));
  job = g_new0 (RefreshJob, 1);
  job->store = g_object_ref (self->store);
  job->snapshot = snapshot_new (self);
  job->reset = reset;
  job->first_page = reset ? 0 : (recent > 0 ? recent - 1 : 0);
  job->n_pages = reset ? 1 : REFRESH_PAGES;
  self->refreshing = TRUE;
  winnow_history_call (NULL, read_refresh, job, refresh_job_free, NULL, self->cancellable,
                       refresh_read, g_object_ref (self));
}

/**
 * winnow_task_list_refresh:
 *
 * Reads the list again, off the thread that draws; the rows on screen
 * stay until the new ones arrive.
 */
void
winnow_task_list_refresh (WinnowTaskList *self)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  start_refresh (self, FALSE);
}

static gboolean
refresh_later_cb (gpointer data)
{
  WinnowTaskList *self = data;
  self->refresh_source = 0;
  start_refresh (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
refresh_later (WinnowTaskList *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_later_cb, self);
}

/* ---- following the history ---- */

static gpointer
read_data_version (gpointer data, GError **error)
{
  gint64 version = winnow_task_store_data_version (data, error);
  return version < 0 ? NULL : g_memdup2 (&version, sizeof version);
}

static void
data_version_read (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskList) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *version = winnow_history_call_finish (result, &error);

  self->watching = FALSE;
  if (version == NULL)
    return;
  if (*version != self->data_version)
    {
      gboolean first = self->data_version == G_MININT64;
      self->data_version = *version;
      if (!first)
        start_refresh (self, FALSE);
    }
}

static gboolean
watch (gpointer data)
{
  WinnowTaskList *self = data;

  if (!self->watching)
    {
      self->watching = TRUE;
      winnow_history_call (NULL, read_data_version, g_object_ref (self->store), g_object_unref,
                           g_free, self->cancellable, data_version_read, g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

static void
on_task_changed (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskList *self)
{
  gint64 id = winnow_task_get_id (task);
  WinnowTask *known = g_hash_table_lookup (self->by_id, &id);

  /* a task outside the pages read is read afresh when it scrolls in */
  if (known != NULL && known != task)
    winnow_task_update_from (known, task);
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
}

static void
winnow_task_list_init (WinnowTaskList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
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
  g_signal_connect (scheduler, "task-added", G_CALLBACK (on_task_added), self);
  g_signal_connect (scheduler, "task-started", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_task_changed), self);
  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_task_progress), self);
  start_refresh (self, TRUE);
  self->watch_source = g_timeout_add (WATCH_MS, watch, self);
  watch (self);
  return self;
}

static void
filter_changed (WinnowTaskList *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  start_refresh (self, TRUE);
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
  start_refresh (self, FALSE);
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
  start_refresh (self, FALSE);
}

/* Leaves out finished tasks with ids up to @upto_id (a clear of the
 * history, while its undo is offered); 0 shows them again. */
void
winnow_task_list_hide_finished (WinnowTaskList *self, gint64 upto_id)
{
  g_return_if_fail (WINNOW_IS_TASK_LIST (self));
  self->query.hide_finished_upto = upto_id;
  start_refresh (self, FALSE);
}

/* How many tasks the store has, whatever the filters; -1 until known. */
gint64
winnow_task_list_get_total (WinnowTaskList *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_LIST (self), -1);
  return self->total;
}

/* The list's object for task @id, if it is on a page read. */
WinnowTask *
winnow_task_list_find (WinnowTaskList *self, gint64 id)
{
  g_return_val_if_fail (WINNOW_IS_TASK_LIST (self), NULL);
  return g_hash_table_lookup (self->by_id, &id);
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
