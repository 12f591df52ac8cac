/* winnow-task-store-private.h: what the store's files share: the
 * connection pool, the retrying runner, errors, and the schema.
 *
 * A store is a pool of SQLite connections to one file. Each call borrows
 * an idle connection (opening one when none is idle), so calls from
 * several threads run side by side: under WAL, readers never wait for the
 * writer, and writers wait on SQLite's own lock, not on each other's
 * mutex. A call that meets another connection's lock (SQLITE_BUSY or
 * SQLITE_LOCKED) is run again with a backoff until the store's patience
 * runs out, and only then fails with WINNOW_STORE_ERROR_BUSY.
 */
#pragma once

#include <sqlite3.h>

#include "winnow-task-store.h"

G_BEGIN_DECLS

/* Prepared statements kept per connection: the list's queries have one
 * shape per filter and sort, so the cache is bounded and drops the
 * least recently used statement. */
#define STORE_STATEMENT_CACHE 48

/* Each connection's page cache: the indexes the list walks, for a
 * history of 100,000 tasks, fit. */
#define STORE_CACHE_KIB 16384

/* A ":memory:" history lives in one connection: every connection to
 * ":memory:" would be a database of its own. */
#define STORE_MAX_CONNECTIONS 16

/* A connection's name searches: its copy of the file names, for the
 * searches the names' trigrams cannot answer, and the sets of ids the
 * searches found (winnow-task-store-names.c). */
typedef struct _StoreNames StoreNames;
/* The store's copy of the file names, which every connection's short
 * searches read (winnow-task-store-names.c). */
typedef struct _StoreNameCopy StoreNameCopy;

typedef struct {
  sqlite3 *db;
  StoreNames *names;       /* owned by db's functions */
  GHashTable *statements;  /* SQL text -> GList link in lru, data StoreStatement* */
  GQueue lru;              /* StoreStatement*, most recent first */
  gboolean broken;         /* closed instead of going back to the pool */
  gint64 deadline;         /* monotonic time the busy handler gives up at */
  gint *wait_flag;         /* raised while it waits for a lock, or NULL */
  const gint *give_up;     /* once nonzero, it waits no more, or NULL */
} StoreConn;

struct _WinnowTaskStore {
  GObject parent_instance;

  char *path;
  gboolean memory;
  guint patience_ms;        /* how long a call waits for a lock */
  WinnowStoreOpenFlags open_flags;

  GMutex open_lock;         /* opening (migrations, recovery) happens once */
  gboolean opened;
  char *moved_to;           /* where a damaged file went, if it did */
  char *open_problem;       /* why this is not the file asked for */

  GMutex lock;              /* the pool below, orphaned and outcomes_dir */
  GPtrArray *orphaned;      /* outputs of tasks whose worker died */
  char *outcomes_dir;       /* where outcomes are kept for later, once known */
  GCond returned;
  GPtrArray *idle;          /* of StoreConn* */
  guint n_open;
  guint max_open;

  GMutex watch_lock;        /* the connection that reads data_version */
  sqlite3 *watch_db;

  StoreNameCopy *names;     /* locked on its own */
};

/* The columns every task query reads, in this order (see store_read_task()). */
#define TASK_COLUMNS \
  "tasks.id, input_path, output_path, status, recipe, created_at, started_at, finished_at, " \
  "progress, attempts, error, lease_owner, rows_in, rows_out, duration, replace_output"
#define N_TASK_COLUMNS 16

/* One call's work on a borrowed connection; FALSE with @error set. */
typedef gboolean (*StoreOp) (WinnowTaskStore *store, StoreConn *conn, gpointer data,
                             GError **error);

gboolean      store_run           (WinnowTaskStore *store,
                                   const char *caller,
                                   StoreOp op,
                                   gpointer data,
                                   GError **error);
gboolean      store_fail          (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   int rc,
                                   GError **error);
sqlite3_stmt *store_prepare       (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   const char *sql,
                                   GError **error);
gboolean      store_exec          (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   const char *sql,
                                   GError **error);
gboolean      store_step_done     (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   sqlite3_stmt *statement,
                                   GError **error);
gboolean      store_begin         (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   GError **error);
gboolean      store_commit        (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   gboolean ok,
                                   GError **error);
WinnowTask   *store_read_task     (sqlite3_stmt *statement);
char         *store_now           (gint64 plus_ms);
void          store_bind_text     (sqlite3_stmt *statement,
                                   int index,
                                   const char *text);
char         *store_column_text   (sqlite3_stmt *statement,
                                   int column);
gboolean      store_migrate       (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   GError **error);
/* For tests: a patience of the store's own instead of
 * WINNOW_STORE_PATIENCE_MS, and the two halves of
 * winnow_task_store_report() on their own. */
void          winnow_task_store_set_patience (WinnowTaskStore *store,
                                              guint milliseconds);
gboolean      winnow_task_store_renew_lease  (WinnowTaskStore *store,
                                              gint64 id,
                                              const char *owner,
                                              gint64 lease_ms,
                                              gboolean *cancel_requested,
                                              GError **error);
gboolean      winnow_task_store_set_progress (WinnowTaskStore *store,
                                              gint64 id,
                                              const char *owner,
                                              double progress,
                                              GError **error);

/* The connection pool (winnow-task-store-conn.c), for the object's file. */
void          store_check_thread  (const char *caller);
void          store_add_orphaned  (WinnowTaskStore *store,
                                   const char *output_path);
const gint   *store_thread_give_up (void);
StoreConn    *store_acquire       (WinnowTaskStore *store,
                                   gint64 deadline,
                                   const gint *give_up,
                                   GError **error);
void          store_release       (WinnowTaskStore *store,
                                   StoreConn *conn);
void          store_close_all     (WinnowTaskStore *store);
void          store_conn_free     (StoreConn *conn);
gboolean      store_confirm_damaged (WinnowTaskStore *store,
                                     gboolean thorough);

/* The tasks' files (winnow-task-store-tasks.c, -claims.c) share these. */
#define FINAL_STATUSES "('COMPLETED', 'FAILED', 'CANCELLED')"

/* cancel_requested: 0 none, 1 asked, 2 the worker is putting its output
 * in place: too late to cancel. */
#define CANCEL_ASKED 1
#define CANCEL_TOO_LATE 2

/* The arguments of a store op, packed by its public function. */
typedef struct {
  gint64 id;
  const char *owner;
  const char *run;
  const char *text;
  double progress;
  gint64 lease_ms;
  gboolean flag;
  gint64 number;
  const WinnowTaskResult *result;
  const WinnowTaskSpec *specs;
  guint n_specs;
  GArray *ids;
  GArray *out1;
  GArray *out2;
  WinnowTask *task;         /* out */
  GPtrArray *tasks;         /* out */
} StoreArgs;

char         *store_ids_json      (const GArray *ids);
gboolean      store_state_error   (GError **error,
                                   gint64 id,
                                   WinnowTaskStatus status,
                                   const char *what);
WinnowTask   *store_get_on        (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   gint64 id,
                                   GError **error);
gint64        store_recover       (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   const char *self,
                                   GError **error);
gboolean      store_finish_on     (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   gint64 id,
                                   const char *owner,
                                   const char *status,
                                   const char *message,
                                   const WinnowTaskResult *result,
                                   const char *when,
                                   GError **error);
gboolean      store_insert_result (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   gint64 id,
                                   const WinnowTaskResult *result,
                                   GError **error);
/* winnow-task-store-query.c: how a page finds the tasks that match */
typedef enum {
  /* few tasks named: the page reads them by id and sorts them */
  STORE_LOOK_UP_NAMED = 1 << 0,
  /* few tasks in the time range, or a count: the planner may take them
   * from an index on the time (and a page sort them) */
  STORE_SEEK_TIMES = 1 << 1,
} StoreFinding;

char         *store_walk_sql      (const WinnowTaskQuery *query,
                                   gboolean descending,
                                   gboolean after_key,
                                   gboolean key_only,
                                   StoreFinding finding);
gboolean      store_explain_not_held (WinnowTaskStore *store,
                                      StoreConn *conn,
                                      gint64 id,
                                      const char *owner,
                                      GError **error);
/* winnow-task-store-keeping.c and -deferred.c: files kept beside the history */
/* A kept file this old that cannot be read or recorded no longer holds
 * its task (nothing waits for ever). */
#define STORE_HOLD_LIMIT_S (60 * 60)
/* A task's end kept beside the history: a key file of this group, named
 * "<task>-<hash of its owner or run>" with this suffix
 * (winnow-task-store-keeping.c). */
#define STORE_OUTCOME_GROUP "outcome"
#define STORE_OUTCOME_SUFFIX ".outcome"
#define STORE_DELETION_SUFFIX ".deletion"

typedef enum {
  READ_OK,
  READ_GONE,        /* removed meanwhile (another recovery took it) */
  READ_JUNK,        /* not an outcome: to remove */
  READ_LATER,       /* cannot be read now: its task waits for it */
} ReadState;

typedef enum {
  APPLY_RECORDED,
  APPLY_NOTHING,    /* stale or junk (removed), or held (in @held) */
  APPLY_REFUSED,    /* the history refused this file: roll it back, then hold it */
  APPLY_WAIT,       /* the history cannot be written now: the recovery fails */
} ApplyState;

char         *store_deferred_dir  (WinnowTaskStore *store);
void          store_warn_once     (const char *path,
                                   const char *format,
                                   ...) G_GNUC_PRINTF (2, 3);
gboolean      store_keep_file     (const char *dir,
                                   const char *name,
                                   const char *data,
                                   gsize length,
                                   gboolean durable,
                                   GError **error);
ReadState     store_load_kept     (const char *path,
                                   GKeyFile *file,
                                   int *saved_errno);
void          store_remove_junk   (const char *path,
                                   const char *why);
gboolean      store_older_than    (const char *path,
                                   gint64 seconds);
gboolean      store_is_wait       (const GError *error);
/* winnow-task-store-deletions.c */
ApplyState    store_apply_deletion (WinnowTaskStore *store,
                                    StoreConn *conn,
                                    const char *path,
                                    GError **error);
/* What a recovery shares with the outcomes it records first. */
typedef struct {
  const char *now;          /* its time, in the history's form */
  const char *self_owners;  /* LIKE pattern of the recovering process's owners, or NULL */
} StoreRecovery;

gint64        store_apply_deferred (WinnowTaskStore *store,
                                    StoreConn *conn,
                                    const StoreRecovery *recovery,
                                    GArray *held,
                                    gboolean *hold_all,
                                    GError **error);
/* winnow-task-store-commits.c: a worker's mark, beside the history, that
 * its output goes in place ("<task>.commit" in store_deferred_dir()) */
#define STORE_MARK_SUFFIX ".commit"

typedef struct {
  int fd;        /* the marks' lock, or -1 */
  char *dir;
} StoreGuard;

gboolean      store_guard_cancel  (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   gint64 id,
                                   StoreGuard *guard,
                                   GError **error);
void          store_guard_clear   (StoreGuard *guard);
void          store_remove_kept_folder (const char *dir);
gboolean      store_sweep_marks   (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   const char *dir,
                                   GPtrArray *names,
                                   GError **error);
StoreNames   *store_register_functions (sqlite3 *db);
/* winnow-task-store-names.c */
StoreNames   *store_register_name_functions (sqlite3 *db);

/* The tasks whose file name holds a search, found by the trigrams or in
 * the store's copy of the names: a set winnow_in_set() asks by its number, how many, and
 * their ids as a JSON array when there are @few or fewer. */
typedef struct {
  gint64 set;
  gint64 n;
  char *few_ids;
} StoreNamed;

gboolean      store_find_names    (WinnowTaskStore *store,
                                   StoreConn *conn,
                                   gboolean fresh,
                                   const char *search,
                                   guint few,
                                   gboolean count_only,
                                   StoreNamed *named,
                                   GError **error);
void          store_named_clear   (StoreNamed *named);
StoreNameCopy *store_name_copy_new (void);
void          store_name_copy_free (StoreNameCopy *copy);
guint         store_name_copy_get_whole_reads (StoreNameCopy *copy);
guint         store_name_copy_get_searches_made (StoreNameCopy *copy);
gint64        store_names_make_set (StoreNames *self,
                                    const gint64 *ids,
                                    guint n);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoreNamed, store_named_clear)
/* winnow-task-store-owners.c */
typedef enum {
  OWNER_UNKNOWN,
  OWNER_ALIVE,
  OWNER_DEAD,
} OwnerState;

OwnerState    store_owner_state        (const char *owner);
void          store_owners_begin_recovery (GPtrArray *names,
                                           const char *self);
void          store_owners_end_recovery (void);
void          store_register_owner_function (sqlite3 *db);
const char   *store_schema_migration (guint version);

G_END_DECLS
