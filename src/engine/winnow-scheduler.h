/* winnow-scheduler.h: the local job engine (SPEC section 6).
 *
 * A scheduler owns a GThreadPool of workers that claim PENDING tasks from
 * the store, clean their files, renew their leases while they work, and
 * record the outcome. Everything it tells its owner (signals) arrives on
 * the main context of the thread that created it, progress coalesced to
 * at most about ten updates a second per task.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-cleaner.h"
#include "winnow-task-store.h"

G_BEGIN_DECLS

/* The most tasks that run at once, whatever is asked (the Preferences'
 * range, and --jobs): each has up to five threads of its own. */
#define WINNOW_SCHEDULER_MAX_WORKERS 64

typedef enum {
  WINNOW_SCHEDULER_ALL_TASKS,  /* the desktop: every PENDING task in the store */
  WINNOW_SCHEDULER_OWN_TASKS,  /* a batch run: only the tasks it added */
} WinnowSchedulerScope;

typedef enum {
  WINNOW_SHUTDOWN_FINISH,   /* let running tasks finish */
  WINNOW_SHUTDOWN_CANCEL,   /* cancel them: they end CANCELLED */
  WINNOW_SHUTDOWN_RELEASE,  /* stop them: they go back to PENDING for next time */
} WinnowShutdown;

#define WINNOW_TYPE_SCHEDULER (winnow_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (WinnowScheduler, winnow_scheduler, WINNOW, SCHEDULER, GObject)

WinnowScheduler *winnow_scheduler_new            (WinnowTaskStore *store,
                                                  guint n_workers,
                                                  WinnowSchedulerScope scope);
WinnowTaskStore *winnow_scheduler_get_store      (WinnowScheduler *scheduler);
guint            winnow_scheduler_get_n_workers  (WinnowScheduler *scheduler);
void             winnow_scheduler_set_n_workers  (WinnowScheduler *scheduler,
                                                  guint n_workers);
void             winnow_scheduler_set_lease_ms   (WinnowScheduler *scheduler,
                                                  gint64 lease_ms);
guint            winnow_scheduler_get_n_running  (WinnowScheduler *scheduler);
typedef void (*WinnowSchedulerHook) (gint64 id, gpointer data);
void             winnow_scheduler_set_run_hook   (WinnowScheduler *scheduler,
                                                  WinnowSchedulerHook hook,
                                                  gpointer data);

WinnowTask      *winnow_scheduler_add            (WinnowScheduler *scheduler,
                                                  const char *input_path,
                                                  const char *output_path,
                                                  const char *recipe_json,
                                                  gboolean replace_output,
                                                  GError **error);
gboolean         winnow_scheduler_cancel         (WinnowScheduler *scheduler,
                                                  gint64 id,
                                                  GError **error);
gboolean         winnow_scheduler_retry          (WinnowScheduler *scheduler,
                                                  gint64 id,
                                                  GError **error);
WinnowTask      *winnow_scheduler_rerun          (WinnowScheduler *scheduler,
                                                  gint64 id,
                                                  const char *recipe_json,
                                                  GError **error);
void             winnow_scheduler_wake           (WinnowScheduler *scheduler);
void             winnow_scheduler_shutdown       (WinnowScheduler *scheduler,
                                                  WinnowShutdown mode);

G_END_DECLS
