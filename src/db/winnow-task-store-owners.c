/* winnow-task-store-owners.c: who holds a lease, and whether it is alive.
 *
 * A lease ends a worker's or a batch run's claim when it stops renewing
 * (docs/ARCHITECTURE.md, "Task lifecycle"). A process that is alive may
 * fail to renew too: another program holding the history's write lock
 * for longer than the lease keeps every renewal out. So before a
 * recovery treats a lease that ran out as its holder's end, it asks the
 * holder's name: an owner made here says the host, the process id, the
 * process's PID namespace and start time, and the boot; on the same host
 * and in the same namespace, a process with that id and start time that
 * is not a zombie is alive (a stopped one too), and in this very process
 * the owner is alive until winnow_task_store_end_owner(). Anything else
 * (another host, a Flatpak sandbox's own namespace, a name made
 * elsewhere) is judged by its lease alone, as before.
 *
 * The other way round, an owner of another process of this very boot
 * whose process is gone (no such id, a zombie, or the id taken by a
 * process started later) is known to have ended, and its leases are
 * taken back at once, not when they run out: a task never waits on a
 * dead process. The boot is asked as well as the host, since two
 * machines may well have the same name (and then the same first PID
 * namespace, and ids that mean nothing to each other).
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  char host[256];
  int pid;
  char *key;              /* "NAMESPACE.START.BOOT": this process's */
  char *boot;             /* ".BOOT", the end of the key, or NULL */
} Self;

static GMutex owners_lock;       /* the one below */
static GHashTable *live_owners;  /* owners made here and not ended */

/* "pid:[4026531836]" -> "4026531836"; NULL where it cannot be read */
static char *
pid_namespace (void)
{
  g_autofree char *link = g_file_read_link ("/proc/self/ns/pid", NULL);
  const char *first = link ? strchr (link, '[') : NULL;
  const char *last = first ? strchr (first, ']') : NULL;

  return last ? g_strndup (first + 1, (gsize) (last - first - 1)) : NULL;
}

/* A process's state letter and start time (field 22 of its stat, after
 * the name in parentheses, which may hold anything), from @path; *@pid
 * (if not NULL) its id as that /proc knows it. */
static gboolean
read_stat (const char *path, int *pid, char *state, guint64 *start)
{
  g_autofree char *text = NULL;
  const char *p;
  guint field = 3;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL)
    return FALSE;
  if (pid != NULL)
    *pid = atoi (text);
  p++;
  while (*p == ' ')
    p++;
  *state = *p;
  for (; *p != '\0' && field < 22; p++)
    if (*p == ' ')
      field++;
  if (field != 22)
    return FALSE;
  *start = g_ascii_strtoull (p, NULL, 10);
  return TRUE;
}

static gboolean
process_state (int pid, char *state, guint64 *start)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);

  return read_stat (path, NULL, state, start);
}

/* Whether process @pid's @kind namespace ("pid", "time") is this
 * process's; FALSE where either cannot be read (a kernel before 5.6 has
 * no time namespaces to tell, a zombie no namespaces but its PID one). */
static gboolean
same_namespace (int pid, const char *kind)
{
  g_autofree char *self_path = g_strconcat ("/proc/self/ns/", kind, NULL);
  g_autofree char *path = g_strdup_printf ("/proc/%d/ns/%s", pid, kind);
  g_autofree char *mine = g_file_read_link (self_path, NULL);
  g_autofree char *theirs = g_file_read_link (path, NULL);

  return mine != NULL && theirs != NULL && strcmp (mine, theirs) == 0;
}

/* The threads of process @pid (its main thread may have ended while
 * others run: it shows as a zombie then); 0 where they cannot be read. */
static guint
n_threads (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static const Self *
get_self (void)
{
  static gsize once = 0;
  static Self self;

  if (g_once_init_enter (&once))
    {
      g_autofree char *ns = pid_namespace ();
      g_autofree char *boot = NULL;
      char state;
      guint64 start;
      int seen_pid;

      gethostname (self.host, sizeof self.host - 1);
      self.pid = (int) getpid ();
      /* a /proc that is not this PID namespace's (unshare without its own
       * /proc) shows another id: then only leases count */
      if (ns != NULL && read_stat ("/proc/self/stat", &seen_pid, &state, &start) &&
          seen_pid == self.pid)
        {
          /* a UUID: neither the '.' nor the ':' of the name */
          if (g_file_get_contents ("/proc/sys/kernel/random/boot_id", &boot, NULL, NULL))
            g_strstrip (boot);
          if (boot != NULL && boot[0] != '\0' && strpbrk (boot, ".:/") == NULL)
            self.boot = g_strconcat (".", boot, NULL);
          self.key = g_strdup_printf ("%s.%" G_GUINT64_FORMAT "%s", ns, start,
                                      self.boot != NULL ? self.boot : "");
        }
      g_once_init_leave (&once, 1);
    }
  return &self;
}

/* This process's key, or NULL where it cannot tell (nor in a child
 * forked after it was read, whose id it is not) */
static const char *
self_key (const Self *self)
{
  return self->pid == (int) getpid () ? self->key : NULL;
}

/**
 * winnow_task_store_new_owner:
 *
 * A name for a scheduler's leases (and its batch run's, which is the
 * same), unique to it, alive until winnow_task_store_end_owner(): other
 * processes on this host do not recover its leases while it lives, even
 * if they ran out (a long lock held by another program).
 *
 * Returns: (transfer full): the name, "HOST:PID:RANDOM:KEY"
 */
char *
winnow_task_store_new_owner (void)
{
  const Self *self = get_self ();
  const char *key = self_key (self);
  char *owner = g_strdup_printf ("%s:%d:%08x:%s", self->host, (int) getpid (), g_random_int (),
                                 key ? key : "");

  g_mutex_lock (&owners_lock);
  if (live_owners == NULL)
    live_owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (live_owners, g_strdup (owner));
  g_mutex_unlock (&owners_lock);
  return owner;
}

/* The owner @name ended: its leases are judged by their time alone. */
void
winnow_task_store_end_owner (const char *name)
{
  g_mutex_lock (&owners_lock);
  if (live_owners != NULL)
    g_hash_table_remove (live_owners, name);
  g_mutex_unlock (&owners_lock);
}

/**
 * store_owner_state:
 * @owner: a lease's owner ("NAME" or "NAME/WORKER") or a run's id
 *
 * Returns: whether @owner is known to be alive (OWNER_ALIVE), known to
 *   have ended (OWNER_DEAD: another process of this boot that is gone), or
 *   neither (then its lease alone counts)
 */
OwnerState
store_owner_state (const char *owner)
{
  const Self *self = get_self ();
  g_autofree char *name = g_strndup (owner, strcspn (owner, "/"));
  g_auto(GStrv) parts = g_strsplit (name, ":", 4);
  g_autofree char *ns_prefix = NULL;
  const char *start_text;
  char *end;
  long pid;
  char state;
  guint64 start, started;
  gboolean alive, this_boot;
  const char *key = self_key (self);

  if (g_strv_length (parts) != 4 || key == NULL || strcmp (parts[0], self->host) != 0)
    return OWNER_UNKNOWN;
  ns_prefix = g_strndup (key, strcspn (key, ".") + 1);
  if (!g_str_has_prefix (parts[3], ns_prefix))
    return OWNER_UNKNOWN;  /* another PID namespace: its ids are not ours */
  pid = strtol (parts[1], &end, 10);
  if (*end != '\0' || pid <= 0 || pid > G_MAXINT)
    return OWNER_UNKNOWN;
  if (pid == self->pid && strcmp (parts[3], key) == 0)
    {
      g_mutex_lock (&owners_lock);
      alive = live_owners != NULL && g_hash_table_contains (live_owners, name);
      g_mutex_unlock (&owners_lock);
      /* an owner of this process that ended: by its lease, as the
       * scheduler that made it may have left outcomes for later */
      return alive ? OWNER_ALIVE : OWNER_UNKNOWN;
    }
  start_text = parts[3] + strlen (ns_prefix);
  start = g_ascii_strtoull (start_text, &end, 10);
  if (end == start_text || (*end != '\0' && *end != '.'))
    return OWNER_UNKNOWN;
  /* a name of another boot (or of this one, where it cannot be read):
   * by its lease, as ids and times of another boot mean nothing here */
  if (*end != '\0' && (self->boot == NULL || strcmp (end, self->boot) != 0))
    return OWNER_UNKNOWN;
  this_boot = *end != '\0';
  /* no process of that id in this PID namespace: the owner ended (a
   * process of another user is there all the same: kill() says EPERM,
   * though /proc may hide it) */
  if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
    return this_boot ? OWNER_DEAD : OWNER_UNKNOWN;
  if (!process_state ((int) pid, &state, &started))
    return OWNER_UNKNOWN;
  if (state != 'Z' && state != 'X' && started == start)
    return OWNER_ALIVE;
  /* The /proc entry must show the process of this PID namespace. Then a
   * zombie whose threads have all ended says the owner ended; and so
   * does the id held by a process started later, but start times compare
   * only within one time namespace (a process under `unshare --time`, or
   * restored by CRIU into one, reads them shifted). */
  if (!this_boot || !same_namespace ((int) pid, "pid"))
    return OWNER_UNKNOWN;
  if (state == 'Z' || state == 'X')
    return n_threads ((int) pid) == 1 ? OWNER_DEAD : OWNER_UNKNOWN;
  return started > start && same_namespace ((int) pid, "time") ? OWNER_DEAD : OWNER_UNKNOWN;
}

/* What a recovery on this thread found of the owners it may take tasks
 * from (name -> OwnerState), before it read the outcomes kept for later
 * (store_owners_begin_recovery()), and of those it asked about later
 * (a run's PENDING tasks, thousands maybe, all ask about the same run). */
static GPrivate recovery_owners = G_PRIVATE_INIT ((GDestroyNotify) g_hash_table_unref);

/* winnow_owner_alive (owner), winnow_owner_dead (owner): 1 if @owner was
 * so when the recovery began; an owner it did not ask about then (a run
 * with no row left) is asked once, and is never dead: it may have kept
 * outcomes since (user data: the state asked about) */
static void
owner_state_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *owner = (const char *) sqlite3_value_text (argv[0]);
  OwnerState asked = GPOINTER_TO_INT (sqlite3_user_data (context));
  GHashTable *found = g_private_get (&recovery_owners);
  g_autofree char *name = owner != NULL ? g_strndup (owner, strcspn (owner, "/")) : NULL;
  OwnerState state = OWNER_UNKNOWN;
  gpointer value;

  if (found != NULL && name != NULL && g_hash_table_lookup_extended (found, name, NULL, &value))
    state = GPOINTER_TO_INT (value);
  else if (name != NULL)
    {
      if (store_owner_state (name) == OWNER_ALIVE)
        state = OWNER_ALIVE;
      if (found != NULL)
        g_hash_table_insert (found, g_steal_pointer (&name), GINT_TO_POINTER (state));
    }
  sqlite3_result_int (context, state == asked);
}

/**
 * store_owners_begin_recovery:
 * @names: the owners of the tasks and runs a recovery may take back
 *   ("NAME" or "NAME/WORKER")
 * @self: (nullable): the recovering process's own owner prefix
 *
 * Asks whether each of @names is alive or has ended, once, for
 * winnow_owner_alive() and winnow_owner_dead() on this thread until
 * store_owners_end_recovery(). Asked before the recovery reads the
 * outcomes kept for later: an owner that had ended by then had kept all
 * it ever will, and one alive then is alive for the whole recovery (if it
 * keeps an outcome and ends meanwhile, the next recovery finds it), so no
 * kept outcome is lost by taking its task back.
 */
void
store_owners_begin_recovery (GPtrArray *names, const char *self)
{
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < names->len; i++)
    {
      const char *owner = g_ptr_array_index (names, i);
      g_autofree char *name = g_strndup (owner, strcspn (owner, "/"));
      OwnerState state;

      if (g_strcmp0 (name, self) == 0 || g_hash_table_contains (found, name))
        continue;
      state = store_owner_state (name);
      g_hash_table_insert (found, g_steal_pointer (&name), GINT_TO_POINTER (state));
    }
  g_private_replace (&recovery_owners, found);
}

void
store_owners_end_recovery (void)
{
  g_private_replace (&recovery_owners, NULL);
}

void
store_register_owner_function (sqlite3 *db)
{
  sqlite3_create_function (db, "winnow_owner_alive", 1, SQLITE_UTF8,
                           GINT_TO_POINTER (OWNER_ALIVE), owner_state_function, NULL, NULL);
  sqlite3_create_function (db, "winnow_owner_dead", 1, SQLITE_UTF8,
                           GINT_TO_POINTER (OWNER_DEAD), owner_state_function, NULL, NULL);
}
