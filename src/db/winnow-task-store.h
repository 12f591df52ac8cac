/* winnow-task-store.h: the SQLite database of tasks and their results
 * (SPEC section 5).
 *
 * One store is one connection; its calls are serialised by a lock, so one
 * store can serve several threads, and several stores (in one process or
 * in several) share a database safely: claiming a task is one atomic
 * statement, and a worker holds a lease on what it runs.
 */
#pragma once

#include <glib-object.h>

#include "winnow-task.h"

G_BEGIN_DECLS

#define WINNOW_STORE_ERROR (winnow_store_error_quark ())
GQuark winnow_store_error_quark (void);

typedef enum {
  WINNOW_STORE_ERROR_FAILED,
  WINNOW_STORE_ERROR_BUSY,        /* locked by another program past the timeout */
  WINNOW_STORE_ERROR_FULL,        /* the disk is full */
  WINNOW_STORE_ERROR_READ_ONLY,   /* the file or its folder cannot be written */
  WINNOW_STORE_ERROR_DAMAGED,     /* not a database, or a damaged one */
  WINNOW_STORE_ERROR_TOO_NEW,     /* made by a newer Winnow: left untouched */
  WINNOW_STORE_ERROR_NOT_FOUND,   /* no such task */
  WINNOW_STORE_ERROR_STATE,       /* the task is not in a state that allows this */
  WINNOW_STORE_ERROR_LEASE_LOST,  /* the worker no longer holds the task */
} WinnowStoreError;

/* A worker's lease on a task lasts LEASE_MS and is renewed every
 * WINNOW_LEASE_RENEW_MS: three chances to renew before it runs out, so a
 * worker slowed down by a busy disk keeps its task, while the task of a
 * worker that died goes back to PENDING within half a minute. */
#define WINNOW_LEASE_MS 30000
#define WINNOW_LEASE_RENEW_MS 10000

#define WINNOW_STORE_SCHEMA_VERSION 2

typedef enum {
  WINNOW_TASK_SORT_CREATED,
  WINNOW_TASK_SORT_FILE,
  WINNOW_TASK_SORT_STATUS,
  WINNOW_TASK_SORT_PROGRESS,
  WINNOW_TASK_SORT_ROWS_IN,
  WINNOW_TASK_SORT_ROWS_OUT,
  WINNOW_TASK_SORT_DURATION,
  WINNOW_TASK_SORT_ID,
} WinnowTaskSort;

typedef struct {
  guint statuses;            /* bit (1 << WinnowTaskStatus) per status; 0: all */
  const char *name;          /* case-insensitive part of the file name, or NULL */
  GDateTime *created_from;   /* inclusive, or NULL */
  GDateTime *created_until;  /* exclusive, or NULL */
  GArray *hidden;            /* of gint64: tasks left out (deleted, pending undo), or NULL */
  WinnowTaskSort sort;
  gboolean descending;
} WinnowTaskQuery;

#define WINNOW_TYPE_TASK_STORE (winnow_task_store_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskStore, winnow_task_store, WINNOW, TASK_STORE, GObject)

char            *winnow_task_store_default_path (void);
const char      *winnow_task_store_sqlite_version (void);

WinnowTaskStore *winnow_task_store_new          (const char *path,
                                                 GError **error);
WinnowTaskStore *winnow_task_store_new_or_replace_damaged (const char *path,
                                                 char **moved_to,
                                                 GError **error);
const char      *winnow_task_store_get_path     (WinnowTaskStore *store);
void             winnow_task_store_set_busy_timeout (WinnowTaskStore *store,
                                                 guint milliseconds);

WinnowTask      *winnow_task_store_add          (WinnowTaskStore *store,
                                                 const char *input_path,
                                                 const char *output_path,
                                                 const char *recipe_json,
                                                 gboolean replace_output,
                                                 GError **error);
WinnowTask      *winnow_task_store_claim        (WinnowTaskStore *store,
                                                 const char *owner,
                                                 gint64 lease_ms,
                                                 GArray *only,
                                                 GError **error);
gboolean         winnow_task_store_renew_lease  (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 gint64 lease_ms,
                                                 gboolean *cancel_requested,
                                                 GError **error);
gboolean         winnow_task_store_set_progress (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 double progress,
                                                 GError **error);
gboolean         winnow_task_store_complete     (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 const WinnowTaskResult *result,
                                                 GError **error);
gboolean         winnow_task_store_fail         (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 const char *message,
                                                 GError **error);
gboolean         winnow_task_store_finish_cancelled (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 GError **error);
gboolean         winnow_task_store_release      (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 GError **error);
gboolean         winnow_task_store_cancel       (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);
gboolean         winnow_task_store_retry        (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);
gboolean         winnow_task_store_delete       (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);
gint64           winnow_task_store_clear_finished (WinnowTaskStore *store,
                                                 GError **error);
guint            winnow_task_store_recover_expired (WinnowTaskStore *store,
                                                 GError **error);
WinnowTask      *winnow_task_store_get          (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);

GPtrArray       *winnow_task_store_query        (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 guint offset,
                                                 guint limit,
                                                 GError **error);
gint64           winnow_task_store_count        (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 GError **error);
gboolean         winnow_task_store_count_by_status (WinnowTaskStore *store,
                                                 gint64 counts[WINNOW_TASK_N_STATUSES],
                                                 GError **error);
char            *winnow_task_store_check        (WinnowTaskStore *store,
                                                 GError **error);

char            *winnow_store_format_time       (GDateTime *time);
GDateTime       *winnow_store_parse_time        (const char *text);

G_END_DECLS
