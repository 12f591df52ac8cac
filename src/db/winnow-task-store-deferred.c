/* winnow-task-store-deferred.c: outcomes the history could not take in
 * time, kept in small files beside it until it can (docs/ARCHITECTURE.md,
 * "Outcomes kept for later").
 *
 * A worker that put its output in place must have it recorded COMPLETED,
 * however long another program holds the history's lock and even if its
 * own process ends meanwhile. When the scheduler gives up waiting, it
 * writes the outcome to "<history>-outcomes/<task>-<hash>.outcome" (a key
 * file, written whole or not at all), and every recovery, in whichever
 * process takes the write lock next, records the kept outcomes before it
 * looks at expired leases:
 *  - a task still held by the owner that kept its end becomes COMPLETED,
 *    FAILED or CANCELLED as it ended, at the time it ended;
 *  - a task of a batch run that was never started (a Ctrl-C cancelled it
 *    while the history was busy) becomes CANCELLED, if it still waits.
 * A worker also leaves its end there just before its output goes in
 * place, marked provisional with the identity of the file that will be
 * there (winnow_task_store_keep_provisional()): if its process ends
 * before the end is recorded, the recovery that takes the task back
 * records it COMPLETED when that very file is in place, and otherwise
 * lets it be taken back as interrupted.
 * A file that no longer matches its task (recorded already, deleted, or
 * taken by another worker) is removed by the next recovery; so is one
 * that is not an outcome. One that cannot be read now keeps its task from
 * being recovered until it can.
 *
 * Deletions and clears the window could not send before it quit are kept
 * the same way ("<id>-delete.deletion", "<last id>-clear.deletion") and
 * done by the same recoveries.
 *
 * The files are written by winnow-task-store-keeping.c; they are read and
 * recorded here.
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GROUP STORE_OUTCOME_GROUP
#define SUFFIX STORE_OUTCOME_SUFFIX
/* An outcome is a few kilobytes, its result's profile up to some
 * megabytes: anything bigger is not one. */
#define MAX_OUTCOME_BYTES (256 * 1024 * 1024)
/* A temporary file of g_file_set_contents() this old was left by a
 * process that died writing it (a kept file this old that cannot be read
 * or recorded no longer holds its task: STORE_HOLD_LIMIT_S). */
#define STALE_TEMPORARY_S (60 * 60)

/* A warning about @path, once per process: a recovery runs before every
 * claim, and a file that stays unreadable must not fill the log. */
void
store_warn_once (const char *path, const char *format, ...)
{
  static GMutex lock;
  static GHashTable *warned;
  g_autofree char *text = NULL;
  gboolean fresh;
  va_list args;

  g_mutex_lock (&lock);
  if (warned == NULL)
    warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fresh = g_hash_table_add (warned, g_strdup (path));
  g_mutex_unlock (&lock);
  if (!fresh)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_warning ("%s: %s", path, text);
}

/* ---- reading ---- */

typedef struct {
  gint64 id;
  char *owner;          /* or */
  char *run;
  WinnowTaskStatus status;
  char *message;
  char *finished;       /* in the history's form, or NULL: now */
  WinnowTaskResult *result;
  gboolean provisional; /* its output's file, if in place (device, inode) */
  guint64 device, inode;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->owner);
  g_free (o->run);
  g_free (o->message);
  g_free (o->finished);
  g_clear_pointer (&o->result, winnow_task_result_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* The bytes of the regular file at @path, without following a link and
 * without waiting on a pipe. */
static ReadState
read_regular (const char *path, GString *bytes, int *saved_errno)
{
  struct stat st;
  char buffer[65536];
  ReadState state = READ_OK;
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0)
    {
      *saved_errno = errno;
      /* a link (not followed), a socket or a device: not an outcome */
      return errno == ENOENT ? READ_GONE
           : errno == ELOOP || errno == ENXIO || errno == ENODEV || errno == EOPNOTSUPP
             ? READ_JUNK : READ_LATER;
    }
  if (fstat (fd, &st) != 0)
    {
      *saved_errno = errno;
      state = READ_LATER;
    }
  else if (!S_ISREG (st.st_mode) || st.st_size > MAX_OUTCOME_BYTES)
    state = READ_JUNK;
  while (state == READ_OK)
    {
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n > 0)
        g_string_append_len (bytes, buffer, n);
      else if (n == 0)
        break;
      else if (errno != EINTR)
        {
          *saved_errno = errno;
          state = READ_LATER;
        }
      if (bytes->len > MAX_OUTCOME_BYTES)
        state = READ_JUNK;
    }
  close (fd);
  return state;
}

/* The outcome in @file, or FALSE when it cannot be one (of task @id). */
static gboolean
parse_outcome (GKeyFile *file, gint64 id, Outcome *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *word = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr(GDateTime) when = NULL;
  WinnowTaskResult *r;

  o->id = g_key_file_get_int64 (file, GROUP, "task", &error);
  if (error != NULL || o->id != id)
    return FALSE;
  o->owner = g_key_file_get_string (file, GROUP, "owner", NULL);
  o->run = g_key_file_get_string (file, GROUP, "run", NULL);
  word = g_key_file_get_string (file, GROUP, "status", NULL);
  if ((o->owner == NULL) == (o->run == NULL) || word == NULL ||
      !winnow_task_status_from_string (word, &o->status) ||
      !winnow_task_status_is_final (o->status) ||
      (o->run != NULL && o->status == WINNOW_TASK_COMPLETED))
    return FALSE;
  stamp = g_key_file_get_string (file, GROUP, "finished", NULL);
  when = stamp ? g_date_time_new_from_iso8601 (stamp, NULL) : NULL;
  o->finished = when ? winnow_store_format_time (when) : NULL;
  o->message = g_key_file_get_string (file, GROUP, "error", NULL);
  if (o->status != WINNOW_TASK_COMPLETED)
    return TRUE;

  o->result = r = winnow_task_result_new ();
  r->rows_read = g_key_file_get_int64 (file, GROUP, "rows-read", &error);
  if (error == NULL)
    r->rows_written = g_key_file_get_int64 (file, GROUP, "rows-written", &error);
  g_free (r->summary);
  r->summary = g_key_file_get_string (file, GROUP, "summary", NULL);
  g_free (r->columns);
  r->columns = g_key_file_get_string (file, GROUP, "columns", NULL);
  g_free (r->preview);
  r->preview = g_key_file_get_string (file, GROUP, "preview", NULL);
  if (error == NULL && g_key_file_has_key (file, GROUP, "output-inode", NULL))
    {
      o->provisional = TRUE;
      o->device = g_key_file_get_uint64 (file, GROUP, "output-device", &error);
      if (error == NULL)
        o->inode = g_key_file_get_uint64 (file, GROUP, "output-inode", &error);
    }
  return error == NULL && r->rows_read >= 0 && r->rows_written >= 0 &&
         r->rows_written <= r->rows_read && r->summary != NULL && r->columns != NULL &&
         r->preview != NULL;
}

/* Removes what is not an outcome; a folder that cannot go is only told. */
void
store_remove_junk (const char *path, const char *why)
{
  if (g_unlink (path) == 0 || ((errno == EISDIR || errno == EPERM) && g_rmdir (path) == 0))
    g_warning ("%s: not an outcome to record (%s), removed", path, why);
  else
    store_warn_once (path, "not an outcome to record (%s), and it cannot be removed", why);
}

/* The key file kept at @path, in @file: READ_OK; READ_LATER when it
 * cannot be read now (@saved_errno says why); READ_GONE when it went
 * meanwhile, or was not a key file (then removed, as junk). */
ReadState
store_load_kept (const char *path, GKeyFile *file, int *saved_errno)
{
  g_autoptr(GString) bytes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  switch (read_regular (path, bytes, saved_errno))
    {
    case READ_GONE:
      return READ_GONE;
    case READ_JUNK:
      store_remove_junk (path, "not a regular file");
      return READ_GONE;
    case READ_LATER:
      return READ_LATER;
    case READ_OK:
    default:
      break;
    }
  if (!g_key_file_load_from_data (file, bytes->str, bytes->len, G_KEY_FILE_NONE, &error))
    {
      store_remove_junk (path, error->message);
      return READ_GONE;
    }
  return READ_OK;
}

/* Whether the file at @path was written more than @seconds ago. */
gboolean
store_older_than (const char *path, gint64 seconds)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0 && time (NULL) - st.st_mtime > seconds;
}

/* A kept file whose task waits for it although it cannot be read or
 * recorded now: the task is held (the recovery leaves it as it is),
 * until the file is too old to wait for. */
static void
hold (const char *path, gint64 id, GArray *held, const char *why)
{
  if (store_older_than (path, STORE_HOLD_LIMIT_S))
    {
      store_warn_once (path, "cannot be recorded (%s) for an hour; its task no longer waits for it",
                 why);
      return;
    }
  store_warn_once (path, "cannot be recorded now (%s); its task waits for it", why);
  g_array_append_val (held, id);
}

/* ---- recording ---- */

/* A task of a batch run that was never started ends as it was kept, if
 * it still waits. */
static gboolean
finish_unstarted (WinnowTaskStore *store, StoreConn *conn, const Outcome *o, GError **error)
{
  g_autofree char *now = o->finished ? NULL : store_now (0);
  sqlite3_stmt *s = store_prepare (store, conn,
    "UPDATE tasks SET status = ?1, finished_at = ?2, error = ?3 "
    "WHERE id = ?4 AND run_id = ?5 AND status = 'PENDING'", error);

  if (s == NULL)
    return FALSE;
  store_bind_text (s, 1, winnow_task_status_to_string (o->status));
  store_bind_text (s, 2, o->finished ? o->finished : now);
  store_bind_text (s, 3, o->message);
  sqlite3_bind_int64 (s, 4, o->id);
  store_bind_text (s, 5, o->run);
  if (!store_step_done (store, conn, s, error))
    return FALSE;
  if (sqlite3_changes (conn->db) == 0)
    {
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE,
                   "task %lld no longer waits", (long long) o->id);
      return FALSE;
    }
  return TRUE;
}

/* The history cannot be written now, for a reason that stops every
 * recovery as well: it fails, to be tried again. */
gboolean
store_is_wait (const GError *error)
{
  return error != NULL && error->domain == WINNOW_STORE_ERROR &&
         (error->code == WINNOW_STORE_ERROR_BUSY || error->code == WINNOW_STORE_ERROR_FULL ||
          error->code == WINNOW_STORE_ERROR_READ_ONLY ||
          error->code == WINNOW_STORE_ERROR_DAMAGED);
}

/* Whether the provisional end @o is to be recorded now: its task is
 * being taken back by this recovery (its owner has ended, or its lease
 * ran out, and it is not the recovering process's own: the condition of
 * recover_tasks(), at the same time), and the file at its output path
 * (@output) is the one its worker was putting there. FALSE, with @drop
 * set when the file has no more use, otherwise. */
static gboolean
provisional_holds (WinnowTaskStore *store, StoreConn *conn, const StoreRecovery *recovery,
                   const Outcome *o, char **output, gboolean *drop, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn,
    "SELECT output_path, (?4 IS NULL OR lease_owner NOT LIKE ?4)"
    "  AND (lease_expires_at < ?3 AND NOT winnow_owner_alive (lease_owner)"
    "       OR winnow_owner_dead (lease_owner)) "
    "FROM tasks WHERE id = ?1 AND lease_owner = ?2 AND status = 'PROCESSING'", error);
  gboolean taken_back;
  struct stat st;
  int rc;

  *drop = FALSE;
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, o->id);
  store_bind_text (s, 2, o->owner);
  store_bind_text (s, 3, recovery->now);
  store_bind_text (s, 4, recovery->self_owners);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      *output = store_column_text (s, 0);
      taken_back = sqlite3_column_int (s, 1) != 0;
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      store_fail (store, conn, rc, error);
      return FALSE;
    }
  if (rc == SQLITE_DONE)
    {
      *drop = TRUE;  /* recorded, or no longer its worker's */
      return FALSE;
    }
  if (!taken_back)
    return FALSE;    /* its worker goes on, and records it */
  if (*output != NULL && lstat (*output, &st) == 0 && S_ISREG (st.st_mode) &&
      (guint64) st.st_dev == o->device && (guint64) st.st_ino == o->inode)
    return TRUE;
  g_debug ("task %" G_GINT64_FORMAT ": its worker ended before its output was in place",
           o->id);
  *drop = TRUE;      /* taken back as interrupted */
  return FALSE;
}

/* Records the outcome at @path if its task still waits for it. */
static ApplyState
apply_one (WinnowTaskStore *store, StoreConn *conn, const StoreRecovery *recovery,
           const char *path, gint64 id, GArray *held, GError **error)
{
  g_autofree char *output = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(Outcome) o = { 0 };
  int saved_errno = 0;
  gboolean ok;

  switch (store_load_kept (path, file, &saved_errno))
    {
    case READ_LATER:
      /* another user's file, no file descriptor left: its task is not
       * taken for interrupted while its end cannot be read */
      hold (path, id, held, g_strerror (saved_errno));
      return APPLY_NOTHING;
    case READ_OK:
      break;
    default:
      return APPLY_NOTHING;
    }
  if (!parse_outcome (file, id, &o))
    {
      store_remove_junk (path, "its fields do not make one");
      return APPLY_NOTHING;
    }

  if (o.provisional)
    {
      gboolean drop;

      if (!provisional_holds (store, conn, recovery, &o, &output, &drop, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return store_is_wait (*error) ? APPLY_WAIT : APPLY_REFUSED;
            }
          if (drop)
            g_unlink (path);
          return APPLY_NOTHING;
        }
    }
  if (o.owner != NULL)
    {
      ok = store_finish_on (store, conn, o.id, o.owner, winnow_task_status_to_string (o.status),
                            o.message, o.result, o.finished, &local_error);
      if (ok && o.status == WINNOW_TASK_COMPLETED)
        ok = store_insert_result (store, conn, o.id, o.result, &local_error);
    }
  else
    ok = finish_unstarted (store, conn, &o, &local_error);
  if (ok)
    {
      /* a worker killed between putting its output in place and removing
       * what was there may have left a temporary file beside it */
      if (output != NULL)
        store_add_orphaned (store, output);
      g_debug ("task %" G_GINT64_FORMAT ": its kept outcome recorded (%s)", o.id,
               winnow_task_status_to_string (o.status));
      return APPLY_RECORDED;
    }
  if (g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_STATE) ||
      g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_LEASE_LOST) ||
      g_error_matches (local_error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_NOT_FOUND))
    {
      /* recorded by an earlier recovery, or the task went on without it */
      g_unlink (path);
      return APPLY_NOTHING;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  if (store_is_wait (*error))
    return APPLY_WAIT;
  /* anything else (an I/O error, no memory): this file's, for now; it
   * must not stop every later recovery */
  return APPLY_REFUSED;
}

/* A temporary file of g_file_set_contents() ("NAME.outcome.XXXXXX", or
 * of a deletion) that a process left when it died writing it. */
static void
remove_if_stale_temporary (const char *dir, const char *name)
{
  g_autofree char *path = NULL;
  const char *suffix = strstr (name, SUFFIX ".");
  const char *deletion = strstr (name, STORE_DELETION_SUFFIX ".");

  if (!(suffix != NULL && strlen (suffix) == strlen (SUFFIX) + 7) &&
      !(deletion != NULL && strlen (deletion) == strlen (STORE_DELETION_SUFFIX) + 7))
    return;
  path = g_build_filename (dir, name, NULL);
  if (store_older_than (path, STALE_TEMPORARY_S))
    g_unlink (path);
}

/**
 * store_apply_deferred:
 * @recovery: the recovery's time and the recovering process's owners
 * @held: (out caller-allocates): the tasks whose kept outcome cannot be
 *   read now, which the recovery must leave as they are
 * @hold_all: (out): set when the folder of kept outcomes cannot be read
 *   now: the recovery must leave every task as it is
 *
 * Inside the recovery's transaction: records the outcomes kept for later
 * (winnow_task_store_defer_outcome()) whose tasks still wait for them,
 * and the provisional ones of tasks this recovery takes back. A recorded
 * file is removed only once it is stale, so an outcome recorded in a
 * transaction that is rolled back is recorded again by the next recovery;
 * a provisional one that will never be recorded (its output not in
 * place) goes at once, as a file of no task does.
 *
 * Returns: how many were recorded, or -1
 */
gint64
store_apply_deferred (WinnowTaskStore *store, StoreConn *conn, const StoreRecovery *recovery,
                      GArray *held, gboolean *hold_all, GError **error)
{
  g_autofree char *dir = store_deferred_dir (store);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) list_error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gint64 applied = 0;

  *hold_all = FALSE;
  if (dir == NULL)
    return 0;
  listing = g_dir_open (dir, 0, &list_error);
  if (listing == NULL)
    {
      /* none kept; or some, maybe, that cannot be read now: then no task
       * is taken for interrupted, for an hour at most */
      if (!g_error_matches (list_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          *hold_all = !store_older_than (dir, STORE_HOLD_LIMIT_S);
          store_warn_once (dir, "outcomes kept for later cannot be read: %s%s",
                           list_error->message,
                           *hold_all ? "; no task is recovered meanwhile" : "");
        }
      return 0;
    }
  /* read once: the marks are swept first, then the rest recorded */
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* first, before this transaction records anything: marks that no
   * longer hold (winnow-task-store-commits.c) */
  if (!store_sweep_marks (store, conn, dir, names, error))
    return -1;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) apply_error = NULL;
      g_autofree char *digits = NULL;
      gboolean deletion;
      guint64 id = 0;
      ApplyState state;

      name = g_ptr_array_index (names, i);
      deletion = g_str_has_suffix (name, STORE_DELETION_SUFFIX);

      if (!deletion && !g_str_has_suffix (name, SUFFIX))
        {
          /* a mark, or "NAME.outcome.XXXXXX" */
          remove_if_stale_temporary (dir, name);
          continue;  /* a file being written, or not ours */
        }
      path = g_build_filename (dir, name, NULL);
      digits = g_strndup (name, strcspn (name, "-"));
      if (!deletion && (name[strlen (digits)] != '-' ||
                        !g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &id, NULL)))
        {
          store_remove_junk (path, "not named for a task");
          continue;
        }
      /* a task's end and its result together, in the caller's
       * transaction or in one of their own */
      if (!store_exec (store, conn, "SAVEPOINT winnow_deferred", error))
        return -1;
      state = deletion ? store_apply_deletion (store, conn, path, &apply_error)
                       : apply_one (store, conn, recovery, path, (gint64) id, held,
                                    &apply_error);
      if (state == APPLY_WAIT || state == APPLY_REFUSED)
        {
          store_exec (store, conn, "ROLLBACK TO winnow_deferred", NULL);
          store_exec (store, conn, "RELEASE winnow_deferred", NULL);
          if (state == APPLY_WAIT)
            {
              g_propagate_error (error, g_steal_pointer (&apply_error));
              return -1;
            }
          if (deletion)
            store_warn_once (path, "cannot be done now: %s", apply_error->message);
          else
            hold (path, (gint64) id, held, apply_error->message);
          continue;
        }
      if (!store_exec (store, conn, "RELEASE winnow_deferred", error))
        return -1;
      applied += state == APPLY_RECORDED;
    }
  /* empty now: gone, as the history's -wal file goes (a file being
   * written, or kept, keeps it) */
  g_clear_pointer (&listing, g_dir_close);
  store_remove_kept_folder (dir);
  return applied;
}
