/* store-util.c: see store-util.h. */
#include "config.h"

#include "store-util.h"

void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  winnow_test_dir_setup (&f->dir, NULL);
  f->path = g_build_filename (f->dir.dir, "tasks.db", NULL);
  f->store = winnow_task_store_new (f->path, &error);
  g_assert_no_error (error);
}

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_free (f->path);
  winnow_test_dir_teardown (&f->dir, NULL);
}

WinnowTask *
add (WinnowTaskStore *store, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strdup_printf ("/data/%s", name);
  WinnowTask *task = winnow_task_store_add (store, input, "/data/out.csv", "{\"winnow_recipe\": 1}",
                                            FALSE, &error);
  g_assert_no_error (error);
  return task;
}

void
raw_exec (const char *path, const char *sql)
{
  sqlite3 *db;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  store_register_functions (db);  /* the migrations' own */
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}
