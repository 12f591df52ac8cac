/* winnow-scheduler-private.h: what the scheduler's two files share: the
 * object, a running task, an outcome waiting to be recorded. The pool's
 * jobs are in winnow-scheduler.c, the bookkeeping thread in
 * winnow-scheduler-keeper.c. */
#pragma once

#include "winnow-scheduler.h"

G_BEGIN_DECLS

/* The nice value of the threads that clean (winnow-scheduler-worker.c). */
#define WINNOW_WORKER_NICE 10

/* A test's hook on a worker (winnow_scheduler_set_run_hook()). */
typedef void (*WinnowSchedulerHook) (gint64 id, gpointer data);

/* How often the bookkeeping thread looks at the running tasks: a cancel
 * asked by another process reaches its task within this (plus one read). */
#define KEEPER_TICK_MS 250
/* How long one of its calls waits for a busy history before trying
 * again at the next round. */
#define KEEPER_PATIENCE_MS 500
/* Progress and lease written this often per running task (more often
 * for a lease shorter than three times this). */
#define REPORT_INTERVAL_MS 1000
/* How long an outcome is tried again while the history is busy or full,
 * in leases (60 s by default), before it is kept in a file for later
 * (winnow_task_store_defer_outcome()) and the task reported as it ended. */
#define OUTCOME_PATIENCE_LEASES 2
/* A batch run's own tasks run elsewhere: how often it reads their state. */
#define OWN_POLL_MS 1000
/* After this many polls in a row with its tasks waiting and none
 * running here, a batch run asks whether the history is damaged. */
#define OWN_STALL_POLLS 5
/* The last moment before the output goes in place: how long the worker
 * waits to mark the task "too late to cancel". */
#define COMMIT_PATIENCE_MS 2000
/* On shutdown, how long the outcomes of stopped tasks are tried. */
#define SHUTDOWN_FLUSH_MS 3000

typedef enum {
  OUTCOME_COMPLETE,
  OUTCOME_FAIL,
  OUTCOME_CANCELLED,
  OUTCOME_RELEASE,
  OUTCOME_LOST,        /* the store gave the task to someone else: nothing to record */
} OutcomeKind;

typedef struct {
  gint ref_count;
  WinnowScheduler *scheduler;  /* not a reference: shutdown waits for the workers */
  WinnowTask *task;            /* as claimed */
  gint64 id;
  char *owner;
  GCancellable *cancellable;

  GMutex lock;                 /* the fields below */
  gboolean release;            /* stopped by a shutdown: back to PENDING */
  gboolean cancel_asked;       /* a cancel was asked: never queued again */
  gboolean lost;               /* another worker holds it now */
  gboolean marked;             /* its output went in place marked beside the history */
  gboolean provisional;        /* its end was kept beside it, provisional */
  gboolean done;               /* cleaning over; its outcome is being recorded */
  double fraction;
  guint64 rows;
  WinnowPhase phase;
  gboolean delivery_pending;
  double reported_fraction;    /* what the store has */
  gint64 last_report;          /* monotonic time of the last report that went in */
} Running;

typedef struct {
  Running *running;            /* a reference */
  OutcomeKind kind;
  WinnowTaskResult *record;
  char *message;
  gint64 since;                /* monotonic time of the first try */
} Outcome;

struct _WinnowScheduler {
  GObject parent_instance;

  WinnowTaskStore *store;
  WinnowSchedulerScope scope;
  GMainContext *context;
  GThreadPool *pool;
  char *owner_prefix;
  char *run;                   /* OWN_TASKS: this run's id in the store */
  gint serial;
  gint64 lease_ms;
  guint poll_source;
  WinnowSchedulerHook run_hook;
  gpointer run_hook_data;
  WinnowSchedulerHook claim_hook;
  gpointer claim_hook_data;
  GThread *keeper;
  gint no_profile;             /* atomic: tasks run from now on make no column profiles */

  GMutex lock;                 /* the fields below */
  GCond keeper_cond;           /* wakes the keeper */
  GCond flushed_cond;          /* the outcome queue went empty */
  guint n_workers;
  guint active_jobs;
  guint64 wakeups;
  gboolean stopping;
  gint stop_claims;            /* atomic: no more claims (a shutdown, a batch's Ctrl-C); read
                                * by a claim waiting for a lock too */
  gboolean keeper_stop;
  GHashTable *running;         /* id -> Running* (a reference, until its outcome is recorded) */
  GHashTable *cancels;         /* gint64* ids whose cancel this process asked */
  GQueue outcomes;             /* Outcome*, oldest first */
  guint64 pushes;              /* outcomes and requests handed to the keeper */
  GHashTable *own;             /* OWN_TASKS: id -> WinnowTask* not yet reported final */
  GArray *cancel_queue;        /* OWN_TASKS: ids to cancel in the store */
  GError *claim_error;         /* OWN_TASKS: why claiming stopped for good */
  guint own_stalls;            /* keeper: polls in a row with own tasks waiting, none here */
  gboolean damage_checked;     /* keeper: asked in this stall whether the history is damaged */
  gboolean deferred;           /* keeper: outcomes kept for later, to record when it can */
};

/* For tests (winnow-scheduler.c): a shorter lease, and hooks that hold a
 * worker right after it claims a task, or just before it cleans it. */
void     winnow_scheduler_set_lease_ms   (WinnowScheduler *scheduler,
                                          gint64 lease_ms);
void     winnow_scheduler_set_run_hook   (WinnowScheduler *scheduler,
                                          WinnowSchedulerHook hook,
                                          gpointer data);
void     winnow_scheduler_set_claim_hook (WinnowScheduler *scheduler,
                                          WinnowSchedulerHook hook,
                                          gpointer data);

/* winnow-scheduler.c */
void     emit_on_owner      (WinnowScheduler *self,
                             guint signal,
                             WinnowTask *task);
void     scheduler_schedule_on_owner (WinnowScheduler *self,
                                      GSourceFunc func,
                                      gpointer data,
                                      GDestroyNotify notify);
void     scheduler_emit_progress (WinnowScheduler *self,
                                  WinnowTask *task,
                                  double fraction,
                                  guint64 rows,
                                  WinnowPhase phase);

/* winnow-scheduler-worker.c */
Running *running_ref        (Running *r);
void     running_unref      (gpointer data);
void     outcome_free       (Outcome *outcome);
void     scheduler_worker_job (gpointer data,
                               gpointer user_data);

/* winnow-scheduler-keeper.c */
gpointer keeper_main        (gpointer data);

/* the signals, by index (winnow-scheduler.c) */
enum {
  TASK_ADDED,
  TASK_STARTED,
  TASK_PROGRESS,
  TASK_FINISHED,
  N_SIGNALS
};

G_END_DECLS
