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

/* Runs @query's first page (or count) 20 times; prints the first (cold
 * statement) and the median time. */
static void
measure (WinnowTaskStore *store, const char *label, const WinnowTaskQuery *query, gboolean count)
{
  double times[20];
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();
      if (count)
        n = winnow_task_store_count (store, query, NULL);
      else
        {
          g_autoptr(GPtrArray) page = winnow_task_store_query (store, query, 0, 50, NULL);
          n = page->len;
        }
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  {
    double first = times[0];
    for (guint i = 0; i < G_N_ELEMENTS (times); i++)
      for (guint j = i + 1; j < G_N_ELEMENTS (times); j++)
        if (times[j] < times[i])
          {
            double t = times[i];
            times[i] = times[j];
            times[j] = t;
          }
    printf ("%-34s %8.2f ms first  %8.2f ms median  (%" G_GINT64_FORMAT " %s)\n", label, first,
            times[G_N_ELEMENTS (times) / 2], n, count ? "counted" : "rows");
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  WinnowTaskQuery all = { .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
  WinnowTaskQuery failed = { .statuses = 1u << WINNOW_TASK_FAILED, .sort = WINNOW_TASK_SORT_CREATED,
                             .descending = TRUE };
  WinnowTaskQuery named = { .name = "orders_123", .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
  WinnowTaskQuery by_rows = { .sort = WINNOW_TASK_SORT_ROWS_IN, .descending = TRUE };
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
  if (winnow_task_store_count (store, &all, NULL) == 0)
    {
      start = g_get_monotonic_time ();
      fill (path);
      printf ("filled %d tasks with results in %.1f s\n", N_TASKS,
              (g_get_monotonic_time () - start) / 1e6);
    }
  measure (store, "first page, no filter", &all, FALSE);
  measure (store, "first page, status = failed", &failed, FALSE);
  measure (store, "first page, name contains orders_123", &named, FALSE);
  measure (store, "first page, sorted by rows in", &by_rows, FALSE);
  measure (store, "count, no filter", &all, TRUE);
  measure (store, "count, status = failed", &failed, TRUE);
  measure (store, "count, name contains orders_123", &named, TRUE);

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
