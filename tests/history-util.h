/* history-util.h: what the shared history's tests (test-history.c,
 * test-history-runs.c) share: a folder with a history, batch runs of the
 * real winnow started and watched, another program's lock, and waits on
 * conditions (never a sleep standing in for one). */
#pragma once

#include <sqlite3.h>

#include "winnow-scheduler-private.h"
#include "winnow-test-util.h"

typedef struct {
  WinnowTestDir dir;
  char *db;
  WinnowTaskStore *store;
  GHashTable *finished;   /* id -> WinnowTask* as reported */
} Fixture;

typedef struct {
  GSubprocess *process;
  char *out;
  char *err;
  int status;
  gboolean done;
} Batch;

typedef struct {
  Fixture *f;
  Batch *batch;
  char *owner;   /* the batch run's leases, for LIKE */
} BatchWait;

typedef struct {
  Fixture *f;
  WinnowTaskStatus status;
  const char *name;        /* a task of this file, or any when NULL */
} StatusWait;

void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);
WinnowTask *wait_finished (Fixture *f, gint64 id, guint seconds);
char *write_rows (Fixture *f, const char *name, guint rows);
WinnowScheduler *scheduler_new (Fixture *f, guint workers, WinnowSchedulerScope scope);
WinnowTask *reread (Fixture *f, gint64 id);
void batch_clear (Batch *batch);
gboolean batch_finished (gpointer data);
void batch_start (Fixture *f, Batch *batch, long limit, const char *const *files);
gboolean some_task_is (gpointer data);
sqlite3 *lock_history (Fixture *f);
void unlock_history (sqlite3 *db);
gboolean time_passed (gpointer data);
void gate_hook (gint64 id, gpointer data);
void assert_contains (const char *haystack, const char *needle);
gint64 count_status (Fixture *f, WinnowTaskStatus status);
gboolean output_written (gpointer data);
gboolean batch_stopped (gpointer data);
void exec_while_stopped (Fixture *f, Batch *batch, const char *sql);
void expire_leases_of_stopped (Fixture *f, Batch *batch);
void expire_leases (Fixture *f);
void start_big_then_two (Fixture *f, Batch *batch);
gint64 count_rows_where (Fixture *f, const char *table, const char *where, const char *text);
gint64 count_tasks_where (Fixture *f, const char *where, const char *text);
WinnowTask *claim_as (Fixture *f, const char *owner, gint64 lease_ms, const char *run);
char *lease_owner_pattern (GSubprocess *process);
gint64 tasks_held (Fixture *f, const char *pattern);
gboolean batch_holds_task (gpointer data);
void die_with_parent (gpointer data);
