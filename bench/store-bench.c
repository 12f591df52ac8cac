/* store-bench.c: times the task list's queries on a database of 100,000
 * tasks with results (issue goal: each under 20 ms).
 *
 * usage: store-bench [DB]     (default: a temporary file, removed after)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "winnow-task-store.h"

#define N_TASKS 100000

static void
fill (const char *path)
{
  static const char * const words[] = { "orders", "customers", "sales", "report", "leads" };
  static const char * const statuses[] = { "COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "CANCELLED" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autofree char *profile = g_strnfill (4000, 'p');
  g_autofree char *preview = g_strnfill (6000, 'v');
  sqlite3 *db;
  sqlite3_stmt *task, *result;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO tasks (input_path, output_path, file_name, status, recipe,"
                          " created_at, started_at, finished_at, progress, rows_in, rows_out, duration)"
                          " VALUES (?, '/out.csv', ?, ?, '{}', ?, ?, ?, 1, ?, ?, ?)", -1, &task, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO task_results VALUES (?, ?, ?, 0, 0, '[]', '{}', 0, 1000, 900,"
                          " 1.5, 'UTF-8', ',', '[]', ?, ?, 0)", -1, &result, NULL);
  for (guint i = 0; i < N_TASKS; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_seconds (base, i * 60.0);
      g_autofree char *time = winnow_store_format_time (when);
      g_autofree char *name = g_strdup_printf ("%s_%05u.csv", words[i % 5], g_rand_int_range (rand, 0, 99999));
      g_autofree char *input = g_strconcat ("/data/", name, NULL);
      gint64 rows = g_rand_int_range (rand, 1, 1000000);

      sqlite3_reset (task);
      sqlite3_bind_text (task, 1, input, -1, SQLITE_STATIC);
      sqlite3_bind_text (task, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (task, 3, statuses[i % 5], -1, SQLITE_STATIC);
      sqlite3_bind_text (task, 4, time, -1, SQLITE_STATIC);
      sqlite3_bind_text (task, 5, time, -1, SQLITE_STATIC);
      sqlite3_bind_text (task, 6, time, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (task, 7, rows);
      sqlite3_bind_int64 (task, 8, rows / 2);
      sqlite3_bind_double (task, 9, g_rand_double_range (rand, 0.1, 60));
      sqlite3_step (task);
      sqlite3_reset (result);
      sqlite3_bind_int64 (result, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_int64 (result, 2, rows);
      sqlite3_bind_int64 (result, 3, rows / 2);
      sqlite3_bind_text (result, 4, profile, -1, SQLITE_STATIC);
      sqlite3_bind_text (result, 5, preview, -1, SQLITE_STATIC);
      sqlite3_step (result);
    }
  sqlite3_finalize (task);
  sqlite3_finalize (result);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
}

typedef enum {
  FIRST_PAGE,
  MIDDLE_PAGE,     /* a jump to the middle */
  DEEPEST_PAGE,    /* a jump to the last page */
  NEXT_PAGE,       /* the last page, by key after the one before */
  COUNT,
} What;

static const char * const what_names[] = { "first page", "middle page", "deepest page",
                                           "next page by key", "count" };

static double worst;

/* Runs @query's @what 11 times; prints the median time. */
static void
measure (WinnowTaskStore *store, const char *label, const WinnowTaskQuery *query, What what)
{
  double times[11];
  gint64 n = 0, total = 0;
  guint offset = 0;
  g_autoptr(WinnowTask) key = NULL;

  if (what != FIRST_PAGE && what != COUNT)
    {
      n = winnow_task_store_count (store, query, &total, NULL);
      offset = what == MIDDLE_PAGE ? (guint) (n / 2) : n > 100 ? (guint) (n - 100) : 0;
      if (what == NEXT_PAGE && offset >= 100)
        {
          g_autoptr(GPtrArray) before = winnow_task_store_query (store, query, offset - 1, 1, NULL);
          if (before->len > 0)
            key = g_object_ref (g_ptr_array_index (before, 0));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();
      if (what == COUNT)
        n = winnow_task_store_count (store, query, &total, NULL);
      else
        {
          g_autoptr(GPtrArray) page = key != NULL
            ? winnow_task_store_query_after (store, query, key, 100, NULL)
            : what == DEEPEST_PAGE ? winnow_task_store_query_last (store, query, 0, 100, NULL)
            : winnow_task_store_query (store, query, what == FIRST_PAGE ? 0 : offset, 100, NULL);
          n = page->len;
        }
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (times); j++)
      if (times[j] < times[i])
        {
          double t = times[i];
          times[i] = times[j];
          times[j] = t;
        }
  worst = MAX (worst, times[G_N_ELEMENTS (times) / 2]);
  printf ("%-44s %-17s %7.2f ms  (%" G_GINT64_FORMAT " %s)%s\n", label, what_names[what],
          times[G_N_ELEMENTS (times) / 2], n, what == COUNT ? "counted" : "rows",
          times[G_N_ELEMENTS (times) / 2] > 5.0 ? "  > 5 ms" : "");
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; guint statuses; } filters[] = {
    { "all", 0 },
    { "failed", 1u << WINNOW_TASK_FAILED },
    { "completed", 1u << WINNOW_TASK_COMPLETED },
    { "failed + cancelled", (1u << WINNOW_TASK_FAILED) | (1u << WINNOW_TASK_CANCELLED) },
  };
  static const struct { const char *name; WinnowTaskSort sort; } sorts[] = {
    { "created", WINNOW_TASK_SORT_CREATED }, { "file", WINNOW_TASK_SORT_FILE },
    { "status", WINNOW_TASK_SORT_STATUS }, { "progress", WINNOW_TASK_SORT_PROGRESS },
    { "rows in", WINNOW_TASK_SORT_ROWS_IN }, { "rows out", WINNOW_TASK_SORT_ROWS_OUT },
    { "duration", WINNOW_TASK_SORT_DURATION },
  };
  g_autoptr(GDateTime) june = g_date_time_new_utc (2026, 2, 15, 0, 0, 0);
  WinnowTaskQuery all = { .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
  gint64 start;

  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      dir = g_dir_make_tmp ("winnow-store-bench-XXXXXX", NULL);
      path = g_build_filename (dir, "tasks.db", NULL);
    }
  store = winnow_task_store_new (path, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  if (winnow_task_store_count (store, &all, NULL, NULL) == 0)
    {
      g_clear_object (&store);
      start = g_get_monotonic_time ();
      fill (path);
      printf ("filled %d tasks with results in %.1f s\n", N_TASKS,
              (g_get_monotonic_time () - start) / 1e6);
      store = winnow_task_store_new (path, &error);
    }
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    for (guint o = 0; o < G_N_ELEMENTS (sorts); o++)
      for (guint d = 0; d < 2; d++)
        {
          WinnowTaskQuery query = { .statuses = filters[f].statuses, .sort = sorts[o].sort,
                                    .descending = d == 1 };
          g_autofree char *label = g_strdup_printf ("status %s, by %s %s", filters[f].name,
                                                    sorts[o].name, d ? "desc" : "asc");
          measure (store, label, &query, FIRST_PAGE);
          measure (store, label, &query, MIDDLE_PAGE);
          measure (store, label, &query, DEEPEST_PAGE);
          measure (store, label, &query, NEXT_PAGE);
          if (o == 0 && d == 0)
            measure (store, label, &query, COUNT);
        }
  {
    WinnowTaskQuery named = { .name = "orders_123", .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
    WinnowTaskQuery common = { .name = "ord", .sort = WINNOW_TASK_SORT_DURATION, .descending = TRUE };
    WinnowTaskQuery since = { .created_from = june, .statuses = 1u << WINNOW_TASK_FAILED,
                              .sort = WINNOW_TASK_SORT_ROWS_IN };
    measure (store, "name contains orders_123", &named, FIRST_PAGE);
    measure (store, "name contains orders_123", &named, COUNT);
    measure (store, "name contains ord, by duration", &common, FIRST_PAGE);
    measure (store, "name contains ord, by duration", &common, MIDDLE_PAGE);
    measure (store, "name contains ord, by duration", &common, DEEPEST_PAGE);
    measure (store, "name contains ord", &common, COUNT);
    measure (store, "failed since Feb 15, by rows in", &since, FIRST_PAGE);
    measure (store, "failed since Feb 15, by rows in", &since, MIDDLE_PAGE);
    measure (store, "failed since Feb 15, by rows in", &since, DEEPEST_PAGE);
    measure (store, "failed since Feb 15", &since, COUNT);
  }
  printf ("slowest median: %.2f ms\n", worst);

  g_clear_object (&store);
  if (dir != NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
          g_unlink (file);
        }
      g_rmdir (dir);
    }
  return 0;
}
