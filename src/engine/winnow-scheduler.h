/* winnow-scheduler.h: the local job engine (docs/ARCHITECTURE.md,
 * "Scheduler").
 *
 * A scheduler owns a GThreadPool whose jobs claim PENDING tasks from the
 * store and clean their files, and one bookkeeping thread that writes
 * their progress and renews their leases (so that a busy history never
 * slows the cleaning), hears of cancels asked by other processes, and
 * records each outcome, again and again while the history is busy.
 * Everything it tells its owner (signals) arrives on the main context of
 * the thread that created it, progress coalesced to at most about ten
 * updates a second per task. Its functions may be called from any thread.
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
  WINNOW_SCHEDULER_ALL_TASKS,  /* the window: the window's queue in the store */
  WINNOW_SCHEDULER_OWN_TASKS,  /* a batch run: only the tasks it added */
} WinnowSchedulerScope;

typedef enum {
  WINNOW_SHUTDOWN_FINISH,   /* let running tasks finish */
  WINNOW_SHUTDOWN_CANCEL,   /* cancel them: they end CANCELLED */
  WINNOW_SHUTDOWN_RELEASE,  /* stop them: they go back to PENDING for next time
                             * (CANCELLED if a cancel was asked) */
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
guint            winnow_scheduler_get_n_running  (WinnowScheduler *scheduler);
void             winnow_scheduler_set_profile    (WinnowScheduler *scheduler,
                                                  gboolean profile);

WinnowTask      *winnow_scheduler_add            (WinnowScheduler *scheduler,
                                                  const char *input_path,
                                                  const char *output_path,
                                                  const char *recipe_json,
                                                  gboolean replace_output,
                                                  GError **error);
GPtrArray       *winnow_scheduler_add_many       (WinnowScheduler *scheduler,
                                                  const WinnowTaskSpec *specs,
                                                  guint n_specs,
                                                  GError **error);
gboolean         winnow_scheduler_cancel         (WinnowScheduler *scheduler,
                                                  gint64 id,
                                                  GError **error);
void             winnow_scheduler_cancel_own     (WinnowScheduler *scheduler);
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

void             winnow_scheduler_lower_thread_priority (void);

G_END_DECLS
