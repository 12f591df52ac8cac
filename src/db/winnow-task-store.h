/* winnow-task-store.h: the SQLite history of tasks and their results
 * (docs/ARCHITECTURE.md, "The shared history").
 *
 * A store is a pool of connections to one database file, safe to call
 * from any thread: calls run side by side, claiming a task is one atomic
 * statement, and a worker holds a lease on what it runs, so several stores
 * in one process or in several share a history safely. A call that meets
 * another program's lock retries until the store's patience runs out and
 * then says the history is busy. No call may run on a thread that draws
 * (see winnow_task_store_forbid_thread()).
 */
#pragma once

#include <glib-object.h>

#include "winnow-task.h"

G_BEGIN_DECLS

#define WINNOW_STORE_ERROR (winnow_store_error_quark ())
GQuark winnow_store_error_quark (void);

typedef enum {
  WINNOW_STORE_ERROR_FAILED,
  WINNOW_STORE_ERROR_BUSY,        /* locked by another program past the store's patience */
  WINNOW_STORE_ERROR_FULL,        /* the disk is full */
  WINNOW_STORE_ERROR_READ_ONLY,   /* the file or its folder cannot be written */
  WINNOW_STORE_ERROR_DAMAGED,     /* not a database, or one PRAGMA quick_check finds damaged */
  WINNOW_STORE_ERROR_TOO_NEW,     /* made by a newer Winnow: left untouched */
  WINNOW_STORE_ERROR_NOT_FOUND,   /* no such task */
  WINNOW_STORE_ERROR_STATE,       /* the task is not in a state that allows this */
  WINNOW_STORE_ERROR_LEASE_LOST,  /* the worker no longer holds the task */
} WinnowStoreError;

typedef enum {
  WINNOW_STORE_OPEN_DEFAULT = 0,
  /* a file PRAGMA quick_check finds damaged is moved aside, and a new
   * history started (never a busy one) */
  WINNOW_STORE_OPEN_REPLACE_DAMAGED = 1 << 0,
  /* a file that cannot be used at all gives way to a private history for
   * this process, and winnow_task_store_get_problem() says why */
  WINNOW_STORE_OPEN_FALLBACK_MEMORY = 1 << 1,
} WinnowStoreOpenFlags;

/* A worker's lease on a task lasts LEASE_MS and is renewed every
 * WINNOW_LEASE_RENEW_MS: three chances to renew before it runs out, so a
 * worker slowed down by a busy disk keeps its task, while the task of a
 * worker that died is recovered within half a minute (at once where its
 * process is known to be gone: winnow-task-store-owners.c). A batch run
 * holds a lease of the same length on itself (its "run"). */
#define WINNOW_LEASE_MS 30000
#define WINNOW_LEASE_RENEW_MS 10000

/* How long a call waits for another connection's write lock, with
 * backoff, before it fails with WINNOW_STORE_ERROR_BUSY. */
#define WINNOW_STORE_PATIENCE_MS 30000

#define WINNOW_STORE_SCHEMA_VERSION 6

/* The error a task gets when the batch run that queued it ended (its
 * process died) before the task finished. */
#define WINNOW_STORE_INTERRUPTED_MESSAGE "the run that queued this task ended before it finished"

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
  gint64 hide_finished_upto; /* > 0: finished tasks with ids up to this left out
                              * (a clear of the history, pending undo) */
  GArray *hide_finished_keep; /* of gint64: ids up to that one still shown (not
                              * finished when the clear was counted), or NULL */
  WinnowTaskSort sort;
  gboolean descending;
} WinnowTaskQuery;

/* One task to add (see winnow_task_store_add_many()). */
typedef struct {
  const char *input_path;
  const char *output_path;
  const char *recipe_json;
  gboolean replace_output;
} WinnowTaskSpec;

#define WINNOW_TYPE_TASK_STORE (winnow_task_store_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskStore, winnow_task_store, WINNOW, TASK_STORE, GObject)

char            *winnow_task_store_default_path (void);
const char      *winnow_task_store_sqlite_version (void);
void             winnow_task_store_forbid_thread (GThread *thread);
void             winnow_task_store_watch_waits  (gint *flag);
void             winnow_task_store_set_thread_patience (guint milliseconds);
void             winnow_task_store_give_up_waits_when (const gint *flag);

WinnowTaskStore *winnow_task_store_new          (const char *path,
                                                 GError **error);
WinnowTaskStore *winnow_task_store_new_or_replace_damaged (const char *path,
                                                 char **moved_to,
                                                 GError **error);
WinnowTaskStore *winnow_task_store_new_deferred (const char *path,
                                                 WinnowStoreOpenFlags flags);
gboolean         winnow_task_store_open         (WinnowTaskStore *store,
                                                 GError **error);
const char      *winnow_task_store_get_path     (WinnowTaskStore *store);
const char      *winnow_task_store_get_problem  (WinnowTaskStore *store);
gint64           winnow_task_store_data_version (WinnowTaskStore *store,
                                                 GError **error);

WinnowTask      *winnow_task_store_add          (WinnowTaskStore *store,
                                                 const char *input_path,
                                                 const char *output_path,
                                                 const char *recipe_json,
                                                 gboolean replace_output,
                                                 GError **error);
GPtrArray       *winnow_task_store_add_many     (WinnowTaskStore *store,
                                                 const WinnowTaskSpec *specs,
                                                 guint n_specs,
                                                 const char *run,
                                                 gint64 run_lease_ms,
                                                 GError **error);
gboolean         winnow_task_store_renew_run    (WinnowTaskStore *store,
                                                 const char *run,
                                                 gint64 lease_ms,
                                                 GError **error);
gboolean         winnow_task_store_end_run      (WinnowTaskStore *store,
                                                 const char *run,
                                                 GError **error);
WinnowTask      *winnow_task_store_claim        (WinnowTaskStore *store,
                                                 const char *owner,
                                                 gint64 lease_ms,
                                                 const char *run,
                                                 GError **error);
gboolean         winnow_task_store_report       (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 double progress,
                                                 gint64 lease_ms,
                                                 gboolean *cancel_requested,
                                                 GError **error);
gboolean         winnow_task_store_check_running (WinnowTaskStore *store,
                                                 const char *owner,
                                                 GArray *ids,
                                                 GArray *cancelled,
                                                 GArray *lost,
                                                 GError **error);
gboolean         winnow_task_store_begin_commit (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 gboolean *cancel_requested,
                                                 GError **error);
gboolean         winnow_task_store_begin_commit_aside (WinnowTaskStore *store,
                                                       gint64 id,
                                                       const char *owner,
                                                       gboolean *cancel_requested,
                                                       GError **error);
void             winnow_task_store_end_commit_aside (WinnowTaskStore *store,
                                                     gint64 id,
                                                     const char *owner);
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
gboolean         winnow_task_store_defer_outcome (WinnowTaskStore *store,
                                                 gint64 id,
                                                 const char *owner,
                                                 const char *run,
                                                 WinnowTaskStatus status,
                                                 const char *message,
                                                 const WinnowTaskResult *result,
                                                 GDateTime *ended,
                                                 GError **error);
gboolean         winnow_task_store_keep_provisional (WinnowTaskStore *store,
                                                    gint64 id,
                                                    const char *owner,
                                                    const WinnowTaskResult *result,
                                                    GDateTime *ended,
                                                    guint64 device,
                                                    guint64 inode,
                                                    GError **error);
void             winnow_task_store_drop_provisional (WinnowTaskStore *store,
                                                    gint64 id,
                                                    const char *owner);
gboolean         winnow_task_store_defer_delete (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);
gboolean         winnow_task_store_defer_clear  (WinnowTaskStore *store,
                                                 gint64 upto_id,
                                                 const GArray *keep,
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
                                                 const char *run,
                                                 GError **error);
gboolean         winnow_task_store_delete       (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);
gint64           winnow_task_store_clear_finished (WinnowTaskStore *store,
                                                 gint64 upto_id,
                                                 const GArray *keep,
                                                 GError **error);
gint64           winnow_task_store_count_finished (WinnowTaskStore *store,
                                                 const GArray *hidden,
                                                 gint64 *last_id,
                                                 GArray **unfinished,
                                                 GError **error);
char            *winnow_task_store_new_owner    (void);
void             winnow_task_store_end_owner    (const char *name);
guint            winnow_task_store_recover_expired (WinnowTaskStore *store,
                                                 const char *self,
                                                 GError **error);
GPtrArray       *winnow_task_store_take_orphaned (WinnowTaskStore *store);
WinnowTask      *winnow_task_store_get          (WinnowTaskStore *store,
                                                 gint64 id,
                                                 GError **error);
GPtrArray       *winnow_task_store_get_many     (WinnowTaskStore *store,
                                                 GArray *ids,
                                                 GError **error);

GPtrArray       *winnow_task_store_query        (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 guint offset,
                                                 guint limit,
                                                 GError **error);
GPtrArray       *winnow_task_store_query_last   (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 guint offset,
                                                 guint limit,
                                                 GError **error);
GPtrArray       *winnow_task_store_query_after  (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 WinnowTask *after,
                                                 guint limit,
                                                 GError **error);
GPtrArray       *winnow_task_store_query_before (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 WinnowTask *before,
                                                 guint limit,
                                                 GError **error);
gint64           winnow_task_store_count        (WinnowTaskStore *store,
                                                 const WinnowTaskQuery *query,
                                                 gint64 *total,
                                                 GError **error);
gboolean         winnow_task_store_count_by_status (WinnowTaskStore *store,
                                                 gint64 counts[WINNOW_TASK_N_STATUSES],
                                                 GError **error);
gboolean         winnow_task_store_find_damage  (WinnowTaskStore *store,
                                                 GError **error);
char            *winnow_task_store_check        (WinnowTaskStore *store,
                                                 GError **error);

char            *winnow_store_format_time       (GDateTime *time);
GDateTime       *winnow_store_parse_time        (const char *text);

G_END_DECLS
