/* winnow-task-store-query.c: the task list's queries: filter by status,
 * file name and creation time, sort by any column, page, count.
 *
 * Each sortable column has an index ending in id, so a page is a walk down
 * one index, and the id breaks ties so that paging is stable. The SQL text
 * depends only on the shape of the query (which filters, which sort), so
 * the prepared statements are cached; every value is a bound parameter.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <string.h>

static const char * const sort_columns[] = {
  [WINNOW_TASK_SORT_CREATED] = "created_at",
  [WINNOW_TASK_SORT_FILE] = "file_name COLLATE NOCASE",
  [WINNOW_TASK_SORT_STATUS] = "status",
  [WINNOW_TASK_SORT_PROGRESS] = "progress",
  [WINNOW_TASK_SORT_ROWS_IN] = "rows_in",
  [WINNOW_TASK_SORT_ROWS_OUT] = "rows_out",
  [WINNOW_TASK_SORT_DURATION] = "duration",
  [WINNOW_TASK_SORT_ID] = "id",
};

/* "%text%" for LIKE, with LIKE's own characters escaped. */
static char *
like_pattern (const char *text)
{
  GString *s = g_string_new ("%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

static void
append_where (GString *sql, const WinnowTaskQuery *query)
{
  gboolean first_status = TRUE;

  g_string_append (sql, " WHERE 1");
  if (query->statuses != 0)
    {
      g_string_append (sql, " AND status IN (");
      for (guint i = 0; i < WINNOW_TASK_N_STATUSES; i++)
        if (query->statuses & (1u << i))
          {
            g_string_append (sql, first_status ? "?" : ", ?");
            first_status = FALSE;
          }
      g_string_append (sql, ")");
    }
  /* Through a subquery, so that the LIKE runs over the covering index on
   * file_name instead of fetching every row the sort index walks past. */
  if (query->name != NULL && query->name[0] != '\0')
    g_string_append (sql, " AND id IN (SELECT id FROM tasks WHERE file_name LIKE ? ESCAPE '\\')");
  if (query->created_from != NULL)
    g_string_append (sql, " AND created_at >= ?");
  if (query->created_until != NULL)
    g_string_append (sql, " AND created_at < ?");
  if (query->hidden != NULL && query->hidden->len > 0)
    g_string_append (sql, " AND id NOT IN (SELECT value FROM json_each (?))");
}

/* Binds what append_where() asked for, from parameter @index on. */
static int
bind_where (sqlite3_stmt *s, int index, const WinnowTaskQuery *query)
{
  for (guint i = 0; i < WINNOW_TASK_N_STATUSES; i++)
    if (query->statuses & (1u << i))
      sqlite3_bind_text (s, index++, winnow_task_status_to_string ((WinnowTaskStatus) i), -1,
                         SQLITE_STATIC);
  if (query->name != NULL && query->name[0] != '\0')
    sqlite3_bind_text (s, index++, like_pattern (query->name), -1, g_free);
  if (query->created_from != NULL)
    sqlite3_bind_text (s, index++, winnow_store_format_time (query->created_from), -1, g_free);
  if (query->created_until != NULL)
    sqlite3_bind_text (s, index++, winnow_store_format_time (query->created_until), -1, g_free);
  if (query->hidden != NULL && query->hidden->len > 0)
    sqlite3_bind_text (s, index++, store_ids_json (query->hidden), -1, g_free);
  return index;
}

/**
 * winnow_task_store_query:
 * @offset: how many matching tasks to skip
 * @limit: the most to return
 *
 * Returns: (transfer full) (element-type WinnowTask): a page of the tasks
 *   that match @query, in its order (without their results)
 */
GPtrArray *
winnow_task_store_query (WinnowTaskStore *store, const WinnowTaskQuery *query, guint offset,
                         guint limit, GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " TASK_COLUMNS " FROM tasks");
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  const char *direction = query->descending ? "DESC" : "ASC";
  sqlite3_stmt *s;
  int index, rc;

  g_return_val_if_fail ((guint) query->sort < G_N_ELEMENTS (sort_columns), NULL);

  append_where (sql, query);
  g_string_append_printf (sql, " ORDER BY %s %s, id %s LIMIT ? OFFSET ?",
                          sort_columns[query->sort], direction, direction);
  s = store_prepare (store, sql->str, error);
  if (s == NULL)
    return NULL;
  index = bind_where (s, 1, query);
  sqlite3_bind_int64 (s, index++, limit);
  sqlite3_bind_int64 (s, index, offset);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (tasks, store_read_task (s));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&tasks);
}

/* How many tasks match @query (its sort is ignored); -1 on error. */
gint64
winnow_task_store_count (WinnowTaskStore *store, const WinnowTaskQuery *query, GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM tasks");
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  sqlite3_stmt *s;
  gint64 count = -1;
  int rc;

  append_where (sql, query);
  s = store_prepare (store, sql->str, error);
  if (s == NULL)
    return -1;
  bind_where (s, 1, query);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (s, 0);
  else
    store_fail (store, rc, error);
  sqlite3_reset (s);
  return count;
}

/* counts[status] for every status, for the health check. */
gboolean
winnow_task_store_count_by_status (WinnowTaskStore *store, gint64 counts[WINNOW_TASK_N_STATUSES],
                                   GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&store->lock);
  sqlite3_stmt *s = store_prepare (store, "SELECT status, count(*) FROM tasks GROUP BY status", error);
  int rc;

  if (s == NULL)
    return FALSE;
  memset (counts, 0, sizeof (gint64) * WINNOW_TASK_N_STATUSES);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      WinnowTaskStatus status;
      if (winnow_task_status_from_string ((const char *) sqlite3_column_text (s, 0), &status))
        counts[status] = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, rc, error);
}
