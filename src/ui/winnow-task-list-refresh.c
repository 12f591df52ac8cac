/* winnow-task-list-refresh.c: the task list read again: the count and
 * the pages around the one used last, while the old rows stay on screen,
 * then only the rows that changed announced (winnow-task-list.c says
 * why); and the history followed, this process's tasks through its
 * scheduler, other processes' through PRAGMA data_version. */
#include "config.h"

#include "winnow-task-list-private.h"

#include "winnow-history-call.h"

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
  _winnow_task_list_snapshot_free (job->snapshot);
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

/* Announces rows [position, position + removed) replaced by @added rows,
 * as one change: the views' rows (winnow-task-rows.c) keep their places
 * for min (removed, added) rows and see only the difference. */
static void
announce (WinnowTaskList *self, guint position, guint removed, guint added)
{
  if (removed != 0 || added != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static int
compare_positions (const guint *a, const guint *b)
{
  return *a < *b ? -1 : *a > *b;
}

/* What stood at @position before the refresh, as far as a row may be
 * bound to it: SHOWN_NOTHING where no page was (no row asked for it), 0
 * for a placeholder, else the task's id. */
#define SHOWN_NOTHING (-1)

static gint64
shown_id (WinnowTaskList *self, guint position)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (position / PAGE_SIZE));

  if (page == NULL)
    return SHOWN_NOTHING;
  return old_id (self, position);
}

/* Whether the row at old @position may stand for the row read at new
 * @position + @delta: nothing was shown there, or the same task. */
static gboolean
same_row (WinnowTaskList *self, RefreshJob *job, guint position, gint64 delta)
{
  gint64 shown = shown_id (self, position);
  return shown == SHOWN_NOTHING || (shown != 0 && shown == new_id (job, (guint) (position + delta)));
}

/* The rows a view may hold that the refresh did not read again: those of
 * the pages of before (@old_pages, read or placeholders) that fall outside
 * the window read, where they stand once the run [@first, @first +
 * @removed) has changed the count by @delta. Their objects leave the list
 * with their pages, so a view holding them would never hear of them
 * again: they are announced as replaced, which costs nothing for rows no
 * view holds. Returns runs as pairs (start, length), in order. */
static GArray *
stale_rows (GHashTable *old_pages, guint first, guint removed, gint64 delta,
            guint window_start, guint window_end, guint new_n)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, old_pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;
      guint start = page->index * PAGE_SIZE;

      for (guint p = start; p < start + page->items->len; p++)
        {
          gint64 now;

          if (first != G_MAXUINT && p >= first && p < first + removed)
            continue;  /* in the run announced */
          now = first != G_MAXUINT && p >= first ? (gint64) p + delta : (gint64) p;
          if (now >= (gint64) window_start && now < (gint64) window_end)
            continue;  /* read again */
          if (now < 0 || now >= (gint64) new_n)
            continue;
          {
            guint position = (guint) now;
            g_array_append_val (rows, position);
          }
        }
    }
  g_array_sort (rows, (GCompareFunc) compare_positions);
  for (guint i = 0; i < rows->len;)
    {
      guint start = g_array_index (rows, guint, i), n = 1;

      while (i + n < rows->len && g_array_index (rows, guint, i + n) == start + n)
        n++;
      g_array_append_val (runs, start);
      g_array_append_val (runs, n);
      i += n;
    }
  return runs;
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
  guint removed = 0, added = 0;
  g_autoptr(GHashTable) old_pages = NULL;

  for (guint i = 0; i < job->pages->len; i++)
    window_end += ((GPtrArray *) g_ptr_array_index (job->pages, i))->len;

  /* Which rows changed, announced as one run [first, first + removed)
   * replaced by @added rows. Rows are compared where the window was read;
   * what no row was bound to matches anything, a placeholder nothing. The
   * views rebind every row announced (winnow-task-rows.c), so the run is
   * kept short: the rows before it are the same, and so are the rows
   * after it, moved by @delta (rows added or removed within the run, as
   * a batch run adds its tasks above the rows shown). Beyond the window,
   * rows are taken to have moved by @delta. */
  if (job->reset)
    {
      first = 0;
      removed = old_n;
      added = new_n;
    }
  else
    {
      guint end = MIN (window_end, MIN (old_n, new_n));
      gint64 last;

      first = MIN (window_start, end);
      while (first < end && same_row (self, job, first, 0))
        first++;
      if (first == end && delta == 0)
        first = G_MAXUINT;  /* nothing changed */
      else
        {
          /* from the last row read, back while the rows match moved */
          last = MIN ((gint64) old_n, (gint64) window_end - delta) - 1;
          while (last >= (gint64) first && last + delta >= (gint64) first &&
                 same_row (self, job, (guint) last, delta))
            last--;
          if (last + 1 < (gint64) first)
            last = (gint64) first - 1;
          if (last + 1 + delta < (gint64) first)
            last = (gint64) first - delta - 1;
          removed = (guint) (last + 1 - first);
          added = (guint) (last + 1 + delta - first);
        }
    }

  /* the new pages: objects rows are bound to, updated in place */
  old_pages = g_steal_pointer (&self->pages);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, _winnow_task_list_page_free);
  g_queue_clear (&self->lru);
  self->n_items = new_n;
  for (guint i = 0; i < job->pages->len; i++)
    {
      GPtrArray *tasks = g_ptr_array_index (job->pages, i);
      Page *page = g_new0 (Page, 1);

      page->index = job->first_page + i;
      page->items = g_ptr_array_new_full (tasks->len, g_object_unref);
      for (guint t = 0; t < tasks->len; t++)
        g_ptr_array_add (page->items, _winnow_task_list_adopt (self, g_ptr_array_index (tasks, t)));
      page->loaded = TRUE;
      _winnow_task_list_set_bounds (page, tasks);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page->index), page);
      g_queue_push_tail (&self->lru, GUINT_TO_POINTER (page->index));
    }
  /* nothing moved: the pages outside the window stay as they are */
  if (!job->reset && first == G_MAXUINT && delta == 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, old_pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (self->pages, key))
          {
            g_hash_table_iter_steal (&iter);
            g_hash_table_insert (self->pages, key, value);
            g_queue_push_tail (&self->lru, key);
          }
    }
  self->generation++;
  _winnow_task_list_rebuild_ids (self);

  if (job->reset)
    {
      _winnow_task_list_emit_reset (self);
      announce (self, 0, old_n, new_n);
    }
  else
    {
      g_autoptr(GArray) stale = stale_rows (old_pages, first, removed, delta, window_start,
                                            window_end, new_n);

      if (first != G_MAXUINT)
        announce (self, first, removed, added);
      /* then, where the count is the new one, the rows of pages not read
       * again, each run replaced */
      for (guint i = 0; i < stale->len; i += 2)
        {
          guint start = g_array_index (stale, guint, i), n = g_array_index (stale, guint, i + 1);
          g_list_model_items_changed (G_LIST_MODEL (self), start, n, n);
        }
    }

  _winnow_task_list_counts_changed (self, old_n, job->total);
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
    _winnow_task_list_say_failure (self, error);
  else
    {
      self->failed = FALSE;
      apply_refresh (self, job);
    }
  if (self->refresh_again)
    {
      gboolean reset = self->reset_again;
      self->refresh_again = self->reset_again = FALSE;
      _winnow_task_list_start_refresh (self, reset);
    }
}

/* Reads the count and the pages around the one used last; @reset when
 * the filter or sort changed (every row is replaced, from the top). */
void
_winnow_task_list_start_refresh (WinnowTaskList *self, gboolean reset)
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
  job->snapshot = _winnow_task_list_snapshot_new (self);
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
  _winnow_task_list_start_refresh (self, FALSE);
}

static gboolean
refresh_later_cb (gpointer data)
{
  WinnowTaskList *self = data;
  self->refresh_source = 0;
  _winnow_task_list_start_refresh (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* A refresh soon, once for many changes. */
void
_winnow_task_list_refresh_later (WinnowTaskList *self)
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
        _winnow_task_list_start_refresh (self, FALSE);
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
  _winnow_task_list_refresh_later (self);
}

static void
on_task_added (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskList *self)
{
  _winnow_task_list_refresh_later (self);
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

/* Follows this process's scheduler and, every WATCH_MS, the history's
 * data version (other processes' changes). */
void
_winnow_task_list_follow (WinnowTaskList *self)
{
  g_signal_connect (self->scheduler, "task-added", G_CALLBACK (on_task_added), self);
  g_signal_connect (self->scheduler, "task-started", G_CALLBACK (on_task_changed), self);
  g_signal_connect (self->scheduler, "task-finished", G_CALLBACK (on_task_changed), self);
  g_signal_connect (self->scheduler, "task-progress", G_CALLBACK (on_task_progress), self);
  self->watch_source = g_timeout_add (WATCH_MS, watch, self);
  watch (self);
}
