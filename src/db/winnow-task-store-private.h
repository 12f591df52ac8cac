/* winnow-task-store-private.h: what the store's files share: the
 * connection, the statement cache, errors, and the schema. */
#pragma once

#include <sqlite3.h>

#include "winnow-task-store.h"

G_BEGIN_DECLS

struct _WinnowTaskStore {
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GMutex lock;            /* one call at a time on the connection */
  GHashTable *statements; /* SQL text -> sqlite3_stmt*, prepared once */
};

/* The columns every task query reads, in this order (see read_task()). */
#define TASK_COLUMNS \
  "tasks.id, input_path, output_path, status, recipe, created_at, started_at, finished_at, " \
  "progress, attempts, error, lease_owner, rows_in, rows_out, duration, replace_output"
#define N_TASK_COLUMNS 16

gboolean      store_fail          (WinnowTaskStore *store,
                                   int rc,
                                   GError **error);
sqlite3_stmt *store_prepare       (WinnowTaskStore *store,
                                   const char *sql,
                                   GError **error);
gboolean      store_exec          (WinnowTaskStore *store,
                                   const char *sql,
                                   GError **error);
WinnowTask   *store_read_task     (sqlite3_stmt *statement);
char         *store_ids_json      (GArray *ids);
gboolean      store_migrate       (WinnowTaskStore *store,
                                   GError **error);
const char   *store_schema_v1     (void);

G_END_DECLS
