/* bench-history-fill.c: see bench-history-fill.h. The tasks are written
 * with SQL into a store the caller created (schema as it is now), far
 * faster than through the store's calls: finished tasks of five kinds of
 * name, every fifth failed or cancelled, one a minute from 2026-01-01,
 * each with a result of the usual size (a 4 KB profile, a 6 KB preview).
 */
#include "config.h"

#include "bench-history-fill.h"

#include <sqlite3.h>

#include "winnow-task-store.h"

static gboolean
failed (sqlite3 *db, GError **error)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "filling the history: %s",
               sqlite3_errmsg (db));
  return FALSE;
}

gboolean
bench_history_fill (const char *path, guint n_tasks, GError **error)
{
  static const char * const words[] = { "orders", "customers", "sales", "report", "leads" };
  static const char * const statuses[] = { "COMPLETED", "COMPLETED", "COMPLETED", "FAILED",
                                           "CANCELLED" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autofree char *p = g_strnfill (4000, 'p');
  g_autofree char *v = g_strnfill (6000, 'v');
  g_autofree char *columns = g_strdup_printf ("[{\"name\":\"%s\"}]", p);
  g_autofree char *preview = g_strdup_printf ("{\"header\":[\"%s\"],\"rows\":[]}", v);
  sqlite3 *db = NULL;
  sqlite3_stmt *task = NULL, *result = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO tasks (input_path, output_path, file_name, status, "
                              "recipe, created_at, started_at, finished_at, progress, rows_in, "
                              "rows_out, duration) VALUES (?, '/out.csv', ?, ?, '{}', ?, ?, ?, 1, "
                              "?, ?, ?)", -1, &task, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO task_results (task_id, summary, columns, preview) "
                              "VALUES (?, ?, ?, ?)", -1, &result, NULL) != SQLITE_OK)
    goto out;
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_seconds (base, i * 60.0);
      g_autofree char *time = winnow_store_format_time (when);
      g_autofree char *name = g_strdup_printf ("%s_%05u.csv", words[i % 5],
                                               g_rand_int_range (rand, 0, 99999));
      g_autofree char *input = g_strconcat ("/data/", name, NULL);
      gint64 rows = g_rand_int_range (rand, 1, 1000000);
      g_autofree char *summary = g_strdup_printf (
        "{\"rows_read\":%" G_GINT64_FORMAT ",\"rows_written\":%" G_GINT64_FORMAT ","
        "\"duplicates_removed\":%" G_GINT64_FORMAT ",\"bytes_in\":1000,\"bytes_out\":900,"
        "\"elapsed\":1.5,\"encoding\":\"UTF-8\",\"delimiter\":\",\",\"warnings\":[]}",
        rows, rows / 2, rows - rows / 2);

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
      if (sqlite3_step (task) != SQLITE_DONE)
        goto out;
      sqlite3_reset (result);
      sqlite3_bind_int64 (result, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_text (result, 2, summary, -1, SQLITE_STATIC);
      sqlite3_bind_text (result, 3, columns, -1, SQLITE_STATIC);
      sqlite3_bind_text (result, 4, preview, -1, SQLITE_STATIC);
      if (sqlite3_step (result) != SQLITE_DONE)
        goto out;
    }
  ok = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
out:
  if (!ok)
    failed (db, error);
  sqlite3_finalize (task);
  sqlite3_finalize (result);
  sqlite3_close (db);
  return ok;
}
