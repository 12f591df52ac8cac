/* winnow-task-store-query.c: the task list's queries: filter by status,
 * file name and creation time, sort by any column, page, count.
 *
 * Each sort has two covering indexes, (key, id, created_at) and (status,
 * key, id, created_at) (winnow-task-store-schema.c), so that a page with
 * any status filter and any sort is a walk down one index. Pages are read
 * by key ("the 100 tasks after this one"), so the hundredth page costs as
 * much as the first; a jump into the middle skips rows of the covering
 * index, which never reads a task's row for a row it skips. A filter on
 * several statuses is one ordered walk per status, merged. Unknown rows
 * and durations sort as -1 (the indexes hold coalesce (x, -1)), so every
 * key is comparable. The SQL text depends only on the shape of the query;
 * every value is a bound parameter.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <string.h>

static const char * const sort_keys[] = {
  [WINNOW_TASK_SORT_CREATED] = "created_at",
  [WINNOW_TASK_SORT_FILE] = "file_name COLLATE NOCASE",
  [WINNOW_TASK_SORT_STATUS] = "status",
  [WINNOW_TASK_SORT_PROGRESS] = "progress",
  [WINNOW_TASK_SORT_ROWS_IN] = "coalesce (rows_in, -1)",
  [WINNOW_TASK_SORT_ROWS_OUT] = "coalesce (rows_out, -1)",
  [WINNOW_TASK_SORT_DURATION] = "coalesce (duration, -1)",
  [WINNOW_TASK_SORT_ID] = "id",
};

/* The parameters, by number, shared by every arm of a query. */
enum {
  P_NAME = 1,
  P_FROM,
  P_UNTIL,
  P_HIDDEN,
  P_HIDE_UPTO,
  P_KEY,
  P_KEY_ID,
  P_LIMIT,
  P_OFFSET,
  P_HIDE_KEEP,
};

typedef enum {
  PAGE_FROM_START,   /* skip @offset rows from the start */
  PAGE_FROM_END,     /* the page @offset rows before the end */
  PAGE_AFTER,        /* the rows after a task */
  PAGE_BEFORE,       /* the rows before a task */
} PageMode;

#define ALL_STATUSES ((1u << WINNOW_TASK_N_STATUSES) - 1)

/* How many statuses the query filters on; 0 when it does not filter. */
static guint
n_statuses (const WinnowTaskQuery *query)
{
  guint statuses = query->statuses & ALL_STATUSES;
  guint n = 0;

  if (statuses == ALL_STATUSES)
    return 0;
  for (guint i = 0; i < WINNOW_TASK_N_STATUSES; i++)
    n += (statuses >> i) & 1;
  return n;
}

/* Does @query filter on the file name? */
static gboolean
has_name (const WinnowTaskQuery *query)
{
  return query->name != NULL && query->name[0] != '\0';
}


/* Starts a statement that uses append_filters(): when few tasks are
 * named (store_find_names(), before the statement), their ids. */
static void
with_names (GString *sql, const WinnowTaskQuery *query, StoreFinding finding)
{
  if (has_name (query) && (finding & STORE_LOOK_UP_NAMED))
    g_string_append (sql, "WITH named (named_id) AS MATERIALIZED (SELECT value FROM json_each (?1)) ");
}

/* The filters other than the status, each "AND ...". */
static void
append_filters (GString *sql, const WinnowTaskQuery *query, StoreFinding finding)
{
  /* many in the time range: "+created_at" keeps the walk on the sort
   * index (which holds the time) rather than sort them; a sort by time
   * seeks the range on its own index either way */
  const char *time = (finding & STORE_SEEK_TIMES) || query->sort == WINNOW_TASK_SORT_CREATED
                     ? "created_at" : "+created_at";

  /* The named tasks, found before the statement (store_find_names()),
   * as a set asked for each id, instead of fetching every row the sort
   * index walks. (When few are named, the arm reads them instead:
   * append_arm().) */
  if (has_name (query) && !(finding & STORE_LOOK_UP_NAMED))
    g_string_append (sql, " AND winnow_in_set (?1, id)");
  if (query->created_from != NULL)
    g_string_append_printf (sql, " AND %s >= ?2", time);
  if (query->created_until != NULL)
    g_string_append_printf (sql, " AND %s < ?3", time);
  if (query->hidden != NULL && query->hidden->len > 0)
    g_string_append (sql, " AND id NOT IN (SELECT value FROM json_each (?4))");
  if (query->hide_finished_upto > 0)
    g_string_append (sql, " AND NOT (status IN " FINAL_STATUSES " AND id <= ?5"
                          " AND id NOT IN (SELECT value FROM json_each (?10)))");
}

/* @named: the tasks the name search found (store_find_names()) */
static void
bind_filters (sqlite3_stmt *s, const WinnowTaskQuery *query, const StoreNamed *named,
              StoreFinding finding)
{
  if (has_name (query) && (finding & STORE_LOOK_UP_NAMED))
    store_bind_text (s, P_NAME, named->few_ids);
  else if (has_name (query))
    sqlite3_bind_int64 (s, P_NAME, named->set);
  if (query->created_from != NULL)
    sqlite3_bind_text (s, P_FROM, winnow_store_format_time (query->created_from), -1, g_free);
  if (query->created_until != NULL)
    sqlite3_bind_text (s, P_UNTIL, winnow_store_format_time (query->created_until), -1, g_free);
  if (query->hidden != NULL && query->hidden->len > 0)
    sqlite3_bind_text (s, P_HIDDEN, store_ids_json (query->hidden), -1, g_free);
  if (query->hide_finished_upto > 0)
    {
      sqlite3_bind_int64 (s, P_HIDE_UPTO, query->hide_finished_upto);
      sqlite3_bind_text (s, P_HIDE_KEEP, store_ids_json (query->hide_finished_keep), -1, g_free);
    }
}

/* Binds @task's value of the sort key to P_KEY, its id to P_KEY_ID. */
static void
bind_key (sqlite3_stmt *s, WinnowTaskSort sort, WinnowTask *task)
{
  switch (sort)
    {
    case WINNOW_TASK_SORT_CREATED:
      if (winnow_task_get_created (task) != NULL)
        sqlite3_bind_text (s, P_KEY, winnow_store_format_time (winnow_task_get_created (task)),
                           -1, g_free);
      break;
    case WINNOW_TASK_SORT_FILE:
      store_bind_text (s, P_KEY, winnow_task_get_file_name (task));
      break;
    case WINNOW_TASK_SORT_STATUS:
      store_bind_text (s, P_KEY, winnow_task_status_to_string (winnow_task_get_status (task)));
      break;
    case WINNOW_TASK_SORT_PROGRESS:
      sqlite3_bind_double (s, P_KEY, winnow_task_get_progress (task));
      break;
    case WINNOW_TASK_SORT_ROWS_IN:
      sqlite3_bind_int64 (s, P_KEY, winnow_task_get_rows_in (task));
      break;
    case WINNOW_TASK_SORT_ROWS_OUT:
      sqlite3_bind_int64 (s, P_KEY, winnow_task_get_rows_out (task));
      break;
    case WINNOW_TASK_SORT_DURATION:
      sqlite3_bind_double (s, P_KEY, winnow_task_get_duration (task) < 0
                                       ? -1 : winnow_task_get_duration (task));
      break;
    case WINNOW_TASK_SORT_ID:
    default:
      sqlite3_bind_int64 (s, P_KEY, winnow_task_get_id (task));
      break;
    }
  sqlite3_bind_int64 (s, P_KEY_ID, winnow_task_get_id (task));
}

typedef enum {
  FROM_THE_START,
  SAME_KEY_LATER_ID,   /* key = ?6 and id after ?7 */
  LATER_KEY,           /* key after ?6 */
} Range;

/* One walk: the tasks of @status (NULL: any) in @range, filtered, in
 * order; only the sort key and the id when @key_only (a walk down the
 * covering index, which never reads a task's row). */
static void
append_arm (GString *sql, const WinnowTaskQuery *query, const char *status, gboolean descending,
            Range range, gboolean key_only, gboolean ordered, StoreFinding finding)
{
  const char *key = sort_keys[query->sort];
  const char *direction = descending ? "DESC" : "ASC";
  const char *after = descending ? "<" : ">";

  if (key_only)
    g_string_append_printf (sql, "SELECT %s AS sort_key, id", key);
  else
    g_string_append_printf (sql, "SELECT " TASK_COLUMNS ", %s AS sort_key", key);
  /* few tasks named: each looked up by id, and the few sorted, rather
   * than a walk past every task that is not named */
  g_string_append (sql, finding & STORE_LOOK_UP_NAMED
                        ? " FROM named CROSS JOIN tasks ON tasks.id = named_id WHERE 1"
                            : " FROM tasks WHERE 1");
  if (status != NULL)
    g_string_append_printf (sql, " AND status = '%s'", status);
  append_filters (sql, query, finding);
  /* "after (key, id)" as two ranges, each one walk of the index: SQLite
   * seeks a row-value comparison on its first column only */
  if (range == SAME_KEY_LATER_ID)
    g_string_append_printf (sql, " AND %s = ?6 AND id %s ?7", key, after);
  else if (range == LATER_KEY)
    g_string_append_printf (sql, " AND %s %s ?6", key, after);
  /* the same key: in the order of the ids alone, which the index walk
   * gives (SQLite sorted them when told the key too) */
  if (ordered && range == SAME_KEY_LATER_ID)
    g_string_append_printf (sql, " ORDER BY id %s", direction);
  else if (ordered)
    g_string_append_printf (sql, " ORDER BY %s %s, id %s", key, direction, direction);
}

/* A page (@key_only: the key at an offset) walking in @descending order,
 * after the key in ?6, ?7 when @after_key: the walks of every status
 * asked for and every range, merged; @finding: how it finds them (probe()).
 * Tests read its plans: none sorts more than the pages of its walks, or
 * the few tasks named or in the time range. */
char *
store_walk_sql (const WinnowTaskQuery *query, gboolean descending, gboolean after_key,
                gboolean key_only, StoreFinding finding)
{
  const char *direction = descending ? "DESC" : "ASC";
  GString *sql = g_string_new (NULL);
  guint statuses = query->statuses & ALL_STATUSES;
  const char *limit = key_only ? " LIMIT 1 OFFSET ?9" : " LIMIT ?8";
  static const Range all[] = { FROM_THE_START };
  static const Range after[] = { SAME_KEY_LATER_ID, LATER_KEY };
  const Range *ranges = after_key ? after : all;
  guint n_ranges = after_key ? 2 : 1;
  guint n_arms = MAX (n_statuses (query), 1) * n_ranges;

  with_names (sql, query, finding);
  if (n_arms == 1)
    {
      const char *status = NULL;
      if (n_statuses (query) == 1)
        status = winnow_task_status_to_string ((WinnowTaskStatus) g_bit_nth_lsf (statuses, -1));
      append_arm (sql, query, status, descending, ranges[0], key_only, TRUE, finding);
      g_string_append (sql, limit);
      return g_string_free (sql, FALSE);
    }
  /* one ordered walk each, merged: the compound's own ORDER BY merges
   * them (a query around it would sort every row of every walk) */
  for (guint i = 0, n = 0; i < WINNOW_TASK_N_STATUSES; i++)
    {
      const char *status;

      if (n_statuses (query) > 0 && !(statuses & (1u << i)))
        continue;
      if (n_statuses (query) == 0 && i > 0)
        break;
      status = n_statuses (query) > 0 ? winnow_task_status_to_string ((WinnowTaskStatus) i) : NULL;
      for (guint r = 0; r < n_ranges; r++)
        {
          if (n++ > 0)
            g_string_append (sql, " UNION ALL ");
          if (!key_only)
            g_string_append (sql, "SELECT * FROM (");
          append_arm (sql, query, status, descending, ranges[r], key_only, !key_only, finding);
          if (!key_only)
            g_string_append (sql, " LIMIT ?8)");
        }
    }
  g_string_append_printf (sql, " ORDER BY sort_key%s %s, id %s%s",
                          query->sort == WINNOW_TASK_SORT_FILE ? " COLLATE NOCASE" : "",
                          direction, direction, limit);
  return g_string_free (sql, FALSE);
}

typedef struct {
  const WinnowTaskQuery *query;
  PageMode mode;
  WinnowTask *key;
  guint offset;
  guint limit;
  GPtrArray *tasks;
  gint64 count;
  gint64 total;
  gboolean want_total;
  gint64 *counts;
} QueryArgs;

static void
reverse (GPtrArray *tasks)
{
  for (guint i = 0, j = tasks->len; i + 1 < j; i++, j--)
    {
      gpointer t = tasks->pdata[i];
      tasks->pdata[i] = tasks->pdata[j - 1];
      tasks->pdata[j - 1] = t;
    }
}

/* Up to this many tasks named, or in the time range, a page takes them
 * from their index and sorts them (1-3 ms over 100,000 tasks); past it,
 * it walks the sort index and keeps those that match. */
#define FEW 1000

/* How many rows @sql (bound to @query's filters) finds, up to FEW + 1:
 * FALSE with @error when it could not tell. */
static gboolean
few_found (WinnowTaskStore *store, StoreConn *conn, const char *sql,
           const WinnowTaskQuery *query, gboolean *few, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn, sql, error);
  int rc;

  if (s == NULL)
    return FALSE;
  bind_filters (s, query, NULL, 0);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    *few = sqlite3_column_int64 (s, 0) <= FEW;
  sqlite3_reset (s);
  return rc == SQLITE_ROW || store_fail (store, conn, rc, error);
}

/* Appends " AND status IN (...)" when @query filters on the status. */
static void
append_statuses (GString *sql, const WinnowTaskQuery *query)
{
  guint statuses = query->statuses & ALL_STATUSES;

  if (n_statuses (query) == 0)
    return;
  g_string_append (sql, " AND status IN (");
  for (guint i = 0, n = 0; i < WINNOW_TASK_N_STATUSES; i++)
    if (statuses & (1u << i))
      g_string_append_printf (sql, "%s'%s'", n++ ? ", " : "",
                              winnow_task_status_to_string ((WinnowTaskStatus) i));
  g_string_append (sql, ")");
}

/* How a page of @query finds its tasks: which are named (into @named:
 * few of them are looked up), are few of the statuses asked for in the
 * time range (asked of the index on status and time, stopping past
 * FEW)? */
static gboolean
probe (WinnowTaskStore *store, StoreConn *conn, const WinnowTaskQuery *query,
       StoreFinding *finding, StoreNamed *named, GError **error)
{
  gboolean few = FALSE;

  *finding = 0;
  if (has_name (query))
    {
      if (!store_find_names (store, conn, FALSE, query->name, FEW, FALSE, named, error))
        return FALSE;
      if (named->few_ids != NULL)
        *finding |= STORE_LOOK_UP_NAMED;
    }
  if (query->created_from != NULL || query->created_until != NULL)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM (SELECT 1 FROM tasks WHERE 1");
      WinnowTaskQuery times = { .statuses = query->statuses, .created_from = query->created_from,
                                .created_until = query->created_until,
                                .sort = WINNOW_TASK_SORT_CREATED };

      append_statuses (sql, &times);
      append_filters (sql, &times, STORE_SEEK_TIMES);
      g_string_append (sql, " LIMIT " G_STRINGIFY (FEW) " + 1)");
      if (!few_found (store, conn, sql->str, &times, &few, error))
        return FALSE;
      if (few)
        *finding |= STORE_SEEK_TIMES;
    }
  return TRUE;
}

/* The key and id of the row @offset rows into the walk (index only). */
static gboolean
seek (WinnowTaskStore *store, StoreConn *conn, const WinnowTaskQuery *query, gboolean descending,
      StoreFinding finding, const StoreNamed *named, guint offset, sqlite3_value **key,
      gint64 *id, GError **error)
{
  g_autofree char *sql = store_walk_sql (query, descending, FALSE, TRUE, finding);
  sqlite3_stmt *s = store_prepare (store, conn, sql, error);
  int rc;

  if (s == NULL)
    return FALSE;
  bind_filters (s, query, named, finding);
  sqlite3_bind_int64 (s, P_OFFSET, offset);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      *key = sqlite3_value_dup (sqlite3_column_value (s, 0));
      *id = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

static gboolean
page_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  QueryArgs *a = data;
  gboolean backwards = a->mode == PAGE_FROM_END || a->mode == PAGE_BEFORE;
  gboolean descending = a->query->descending != backwards;
  sqlite3_value *key = NULL;
  gint64 key_id = 0;
  gboolean after_key = a->mode == PAGE_AFTER || a->mode == PAGE_BEFORE;
  StoreFinding finding;
  g_auto(StoreNamed) named = { 0 };
  g_autofree char *sql = NULL;
  sqlite3_stmt *s;
  int rc;

  g_ptr_array_set_size (a->tasks, 0);
  if (!probe (store, conn, a->query, &finding, &named, error))
    return FALSE;
  /* a jump: find the row before the page on the index alone, then read
   * the page by key */
  if ((a->mode == PAGE_FROM_START || a->mode == PAGE_FROM_END) && a->offset > 0)
    {
      if (!seek (store, conn, a->query, descending, finding, &named, a->offset - 1, &key, &key_id,
                 error))
        return FALSE;
      if (key == NULL)
        return TRUE;  /* past the end */
      after_key = TRUE;
    }
  sql = store_walk_sql (a->query, descending, after_key, FALSE, finding);
  s = store_prepare (store, conn, sql, error);
  if (s == NULL)
    {
      sqlite3_value_free (key);
      return FALSE;
    }
  bind_filters (s, a->query, &named, finding);
  if (key != NULL)
    {
      sqlite3_bind_value (s, P_KEY, key);
      sqlite3_bind_int64 (s, P_KEY_ID, key_id);
      sqlite3_value_free (key);
    }
  else if (after_key)
    bind_key (s, a->query->sort, a->key);
  sqlite3_bind_int64 (s, P_LIMIT, a->limit);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (a->tasks, store_read_task (s));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return store_fail (store, conn, rc, error);
  if (backwards)
    reverse (a->tasks);
  return TRUE;
}

static GPtrArray *
run_page (WinnowTaskStore *store, const char *caller, const WinnowTaskQuery *query,
          PageMode mode, WinnowTask *key, guint offset, guint limit, GError **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  QueryArgs a = { .query = query, .mode = mode, .key = key, .offset = offset, .limit = limit,
                  .tasks = tasks };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail ((guint) query->sort < G_N_ELEMENTS (sort_keys), NULL);
  g_return_val_if_fail (mode == PAGE_FROM_START || mode == PAGE_FROM_END || WINNOW_IS_TASK (key),
                        NULL);
  if (!store_run (store, caller, page_op, &a, error))
    return NULL;
  return g_steal_pointer (&tasks);
}

/**
 * winnow_task_store_query:
 * @offset: how many matching tasks to skip
 * @limit: the most to return
 *
 * A jump into the list (the row before the page is found on an index
 * alone, then the page read by key); prefer winnow_task_store_query_after()
 * to read on from a page already read, and winnow_task_store_query_last()
 * for the second half of the list.
 *
 * Returns: (transfer full) (element-type WinnowTask): a page of the tasks
 *   that match @query, in its order (without their results)
 */
GPtrArray *
winnow_task_store_query (WinnowTaskStore *store, const WinnowTaskQuery *query, guint offset,
                         guint limit, GError **error)
{
  return run_page (store, G_STRFUNC, query, PAGE_FROM_START, NULL, offset, limit, error);
}

/**
 * winnow_task_store_query_last:
 * @offset: how many matching tasks to leave out at the end
 * @limit: the most to return
 *
 * A jump into the second half of the list: the page that ends @offset
 * rows before its end, in the query's order.
 *
 * Returns: (transfer full) (element-type WinnowTask): up to @limit tasks
 */
GPtrArray *
winnow_task_store_query_last (WinnowTaskStore *store, const WinnowTaskQuery *query,
                              guint offset, guint limit, GError **error)
{
  return run_page (store, G_STRFUNC, query, PAGE_FROM_END, NULL, offset, limit, error);
}

/**
 * winnow_task_store_query_after:
 * @after: a task as a page read earlier had it (its sort value then)
 *
 * Returns: (transfer full) (element-type WinnowTask): up to @limit tasks
 *   that come after @after in @query's order
 */
GPtrArray *
winnow_task_store_query_after (WinnowTaskStore *store, const WinnowTaskQuery *query,
                               WinnowTask *after, guint limit, GError **error)
{
  return run_page (store, G_STRFUNC, query, PAGE_AFTER, after, 0, limit, error);
}

/**
 * winnow_task_store_query_before:
 * @before: a task as a page read earlier had it
 *
 * Returns: (transfer full) (element-type WinnowTask): up to @limit tasks
 *   that come just before @before, in @query's order
 */
GPtrArray *
winnow_task_store_query_before (WinnowTaskStore *store, const WinnowTaskQuery *query,
                                WinnowTask *before, guint limit, GError **error)
{
  return run_page (store, G_STRFUNC, query, PAGE_BEFORE, before, 0, limit, error);
}

/* Does @query filter on the file name and nothing else? Its tasks are
 * then counted as they are found (store_find_names()). */
static gboolean
name_alone (const WinnowTaskQuery *query)
{
  return has_name (query) && n_statuses (query) == 0 &&
         query->created_from == NULL && query->created_until == NULL &&
         (query->hidden == NULL || query->hidden->len == 0) && query->hide_finished_upto <= 0;
}

/* Takes the tasks @query hides (a delete's or a clear's, while its undo
 * is offered) out of @total: by the primary key and the status index,
 * never a walk of the whole history. */
static gboolean
hidden_out_of_total (WinnowTaskStore *store, StoreConn *conn, const WinnowTaskQuery *query,
                     gint64 *total, GError **error)
{
  WinnowTaskQuery hiding = {
    .hidden = query->hidden,
    .hide_finished_upto = query->hide_finished_upto,
    .hide_finished_keep = query->hide_finished_keep,
  };
  g_autoptr(GString) sql = g_string_new (NULL);
  g_auto(StoreNamed) named = { 0 };
  sqlite3_stmt *s;
  int rc;

  if (query->hidden != NULL && query->hidden->len > 0)
    g_string_append (sql, "SELECT count(*) FROM tasks "
                          "WHERE id IN (SELECT value FROM json_each (?4))");
  if (query->hide_finished_upto > 0)
    g_string_append_printf (sql, "%sSELECT count(*) FROM tasks "
                            "WHERE status IN " FINAL_STATUSES " AND id <= ?5"
                            "  AND id NOT IN (SELECT value FROM json_each (?10))%s",
                            sql->len > 0 ? " UNION ALL " : "",
                            sql->len > 0 ? "  AND id NOT IN (SELECT value FROM json_each (?4))"
                                         : "");
  if (sql->len == 0)
    return TRUE;
  s = store_prepare (store, conn, sql->str, error);
  if (s == NULL)
    return FALSE;
  bind_filters (s, &hiding, &named, 0);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    *total -= sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return store_fail (store, conn, rc, error);
  *total = MAX (*total, 0);
  return TRUE;
}

static gboolean
count_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  QueryArgs *a = data;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_auto(StoreNamed) named = { 0 };
  gboolean filtered;
  sqlite3_stmt *s;
  int rc;

  if (!name_alone (a->query))
    {
      g_string_append (sql, "SELECT count(*) FROM tasks WHERE 1");
      append_statuses (sql, a->query);
      append_filters (sql, a->query, STORE_SEEK_TIMES);
    }
  filtered = !g_str_equal (sql->str, "SELECT count(*) FROM tasks WHERE 1");

  /* one count: the total is kept by triggers (schema version 3) */
  if (!store_exec (store, conn, "BEGIN", error))
    return FALSE;
  s = store_prepare (store, conn, "SELECT n FROM task_count", error);
  if (s == NULL)
    return store_commit (store, conn, FALSE, NULL);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    a->total = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (rc != SQLITE_ROW)
    {
      store_fail (store, conn, rc, error);
      return store_commit (store, conn, FALSE, NULL);
    }
  /* tasks hidden for an undo (deleted, or cleared) are not the
   * history's any more: an empty list then looks like an empty history */
  if (!hidden_out_of_total (store, conn, a->query, &a->total, error))
    return store_commit (store, conn, FALSE, NULL);
  if (!filtered)
    {
      a->count = a->total;
      return store_commit (store, conn, TRUE, error);
    }
  /* the named tasks, counted as they are found (a count of the name
   * alone needs no set of them), in the snapshot begun for the count
   * just now: fresh, so a history restored in place is seen */
  if (has_name (a->query) &&
      !store_find_names (store, conn, TRUE, a->query->name, 0, sql->len == 0, &named, error))
    return store_commit (store, conn, FALSE, NULL);
  if (sql->len == 0)
    {
      a->count = named.n;
      return store_commit (store, conn, TRUE, error);
    }
  s = store_prepare (store, conn, sql->str, error);
  if (s == NULL)
    return store_commit (store, conn, FALSE, NULL);
  bind_filters (s, a->query, &named, STORE_SEEK_TIMES);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    a->count = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (rc != SQLITE_ROW)
    {
      store_fail (store, conn, rc, error);
      return store_commit (store, conn, FALSE, NULL);
    }
  return store_commit (store, conn, TRUE, error);
}

/**
 * winnow_task_store_count:
 * @total: (out) (optional): how many tasks the history has, filters aside
 *   (but not the tasks @query hides for an undo: query.hidden and
 *   query.hide_finished_upto)
 *
 * Returns: how many tasks match @query (its sort is ignored), or -1
 */
gint64
winnow_task_store_count (WinnowTaskStore *store, const WinnowTaskQuery *query, gint64 *total,
                         GError **error)
{
  QueryArgs a = { .query = query, .count = -1 };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), -1);
  g_return_val_if_fail (query != NULL, -1);
  if (!store_run (store, G_STRFUNC, count_op, &a, error))
    return -1;
  if (total)
    *total = a.total;
  return a.count;
}

static gboolean
count_by_status_op (WinnowTaskStore *store, StoreConn *conn, gpointer data, GError **error)
{
  QueryArgs *a = data;
  sqlite3_stmt *s = store_prepare (store, conn,
                                   "SELECT status, count(*) FROM tasks GROUP BY status", error);
  int rc;

  if (s == NULL)
    return FALSE;
  memset (a->counts, 0, sizeof (gint64) * WINNOW_TASK_N_STATUSES);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      WinnowTaskStatus status;
      if (winnow_task_status_from_string ((const char *) sqlite3_column_text (s, 0), &status))
        a->counts[status] = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/* counts[status] for every status, for the health check. */
gboolean
winnow_task_store_count_by_status (WinnowTaskStore *store, gint64 counts[WINNOW_TASK_N_STATUSES],
                                   GError **error)
{
  QueryArgs a = { .counts = counts };

  g_return_val_if_fail (WINNOW_IS_TASK_STORE (store), FALSE);
  return store_run (store, G_STRFUNC, count_by_status_op, &a, error);
}
