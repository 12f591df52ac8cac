/* store-util.h: what the task store's tests (test-store.c,
 * test-store-open.c, test-store-names.c, test-store-queries.c) share: a
 * store in a folder of its own, a task added by name, and SQL run on the
 * database behind the store's back. */
#pragma once

#include <sqlite3.h>

#include "winnow-task-store-private.h"
#include "winnow-test-util.h"

typedef struct {
  WinnowTestDir dir;
  char *path;
  WinnowTaskStore *store;
} Fixture;

/* A store at tasks.db in a folder of its own. */
void        fixture_setup    (Fixture *f, gconstpointer data);
void        fixture_teardown (Fixture *f, gconstpointer data);
/* A pending task of /data/@name. */
WinnowTask *add              (WinnowTaskStore *store, const char *name);
/* Runs @sql on the database at @path over a connection of its own, with
 * the functions the migrations use. */
void        raw_exec         (const char *path, const char *sql);
