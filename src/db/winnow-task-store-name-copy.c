/* winnow-task-store-name-copy.c: the store's copy of the file names, for
 * searches too short for the names' trigrams, and the searches it
 * answered last (winnow-task-store-names.c asks both).
 */
#include "config.h"

#include "winnow-task-store-names-private.h"

#include <string.h>

/* The file names of every task, folded, as a connection last read them
 * (each task's name is written once, when it is added: schema version 6
 * counts the deletions and changes that make a copy stale). */
typedef struct {
  gint64 changes;         /* task_count.names_changed when read */
  gint64 through;         /* the highest id read */
  GArray *ids;            /* gint64, one per name; NULL: not read */
  GArray *ends;           /* gsize: where each name ends in text */
  GString *text;          /* the names, folded, each followed by a NUL */
  char *through_mark;     /* the mark of the task through, as read (mark_of()) */
} Names;

/* A search answered, and the state of the history it was answered in
 * (see "searches answered again"). */
typedef struct {
  char *search;           /* NULL: none */
  gint64 changes;         /* task_count.names_changed */
  gint64 last;            /* the highest id */
  char *last_mark;        /* the mark of task last (mark_of()) */
  IdPayload *found;
  guint64 asked;          /* when it was last asked for, in searches */
} Search;

#define SEARCHES_KEPT 4

/* One copy for the store's connections (see "the names in memory"), and
 * the searches they answered last. */
struct _StoreNameCopy {
  GMutex lock;
  Names names;
  Search searches[SEARCHES_KEPT];
  guint64 asked;          /* searches asked for */
  guint whole_reads;      /* for tests */
  guint searches_made;    /* for tests */
};

static void
names_clear (Names *names)
{
  names->changes = names->through = 0;
  g_clear_pointer (&names->ids, g_array_unref);
  g_clear_pointer (&names->ends, g_array_unref);
  g_clear_pointer (&names->through_mark, g_free);
  if (names->text != NULL)
    g_string_free (g_steal_pointer (&names->text), TRUE);
}

/* ---- the names in memory ----
 *
 * A search of one or two characters cannot ask the trigrams: it reads
 * every name. SQLite calling a function on each of 100,000 names took
 * 15-20 ms, twice per refresh (the count, the page); a search of the
 * names held in memory, one NUL-separated text, takes about a millisecond.
 * The store keeps one copy for all its connections, under a lock (up to
 * STORE_MAX_CONNECTIONS copies of 3.5 MiB each for 100,000 tasks, each
 * read whole, 15 ms, by the first short search on its connection, were
 * one). It is read whole once, then only the tasks added since (ids only
 * grow: AUTOINCREMENT), unless a name was deleted or changed
 * (task_count.names_changed), when it is read again whole. A connection
 * held in an older snapshot than the copy (its caller began the
 * transaction before another connection brought the copy up to date)
 * takes the copy up to its own last id: with the same count of changes,
 * the copy differs from its snapshot only by tasks added after it. A
 * snapshot begun for the search is taken to be as new as the copy
 * (names_same_history()). */

static void
search_clear (Search *search)
{
  g_clear_pointer (&search->search, g_free);
  g_clear_pointer (&search->last_mark, g_free);
  g_clear_pointer (&search->found, store_id_payload_unref);
}

StoreNameCopy *
store_name_copy_new (void)
{
  StoreNameCopy *copy = g_new0 (StoreNameCopy, 1);

  g_mutex_init (&copy->lock);
  return copy;
}

void
store_name_copy_free (StoreNameCopy *copy)
{
  if (copy == NULL)
    return;
  names_clear (&copy->names);
  for (guint i = 0; i < SEARCHES_KEPT; i++)
    search_clear (&copy->searches[i]);
  g_mutex_clear (&copy->lock);
  g_free (copy);
}

/* One of @copy's counts for tests, read under its lock. */
static guint
count_of (StoreNameCopy *copy, const guint *count)
{
  guint n;

  g_mutex_lock (&copy->lock);
  n = *count;
  g_mutex_unlock (&copy->lock);
  return n;
}

/* For tests: how many times @copy was read whole. */
guint
store_name_copy_get_whole_reads (StoreNameCopy *copy)
{
  return count_of (copy, &copy->whole_reads);
}

/* For tests: how many searches were made rather than answered again. */
guint
store_name_copy_get_searches_made (StoreNameCopy *copy)
{
  return count_of (copy, &copy->searches_made);
}

static gboolean
is_ascii (const char *text, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      return FALSE;
  return TRUE;
}

/* Adds a task's name, folded as the trigrams fold it: names of ASCII
 * only, most of them, without the tokenizer (it folds ASCII as
 * g_ascii_tolower() does). A name it cannot fold holds nothing. */
static void
names_add (Names *names, Folder *folder, gint64 id, const char *name)
{
  gsize length = name != NULL ? strlen (name) : 0;
  gsize end;

  if (is_ascii (name, length))
    for (gsize i = 0; i < length; i++)
      g_string_append_c (names->text, g_ascii_tolower (name[i]));
  else
    {
      g_autofree char *folded = store_fold (folder, name, (int) MIN (length, G_MAXINT - 2));
      if (folded != NULL)
        g_string_append (names->text, folded);
    }
  end = names->text->len;
  g_string_append_c (names->text, '\0');
  g_array_append_val (names->ids, id);
  g_array_append_val (names->ends, end);
  names->through = MAX (names->through, id);
}

/* Reads the names of the tasks after id @after (every task when
 * @after < 0: of the index on the names, a third of the table) into
 * @names. */
static gboolean
names_read (WinnowTaskStore *store, StoreConn *conn, Folder *folder, Names *names, gint64 after,
            GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn,
                                   after < 0 ? "SELECT id, file_name FROM tasks"
                                             : "SELECT id, file_name FROM tasks WHERE id > ?1",
                                   error);
  int rc;

  if (s == NULL)
    return FALSE;
  if (after >= 0)
    sqlite3_bind_int64 (s, 1, after);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    names_add (names, folder, sqlite3_column_int64 (s, 0),
               (const char *) sqlite3_column_text (s, 1));
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/* The mark of task @id in @conn's snapshot (*@mark, NULL if there is
 * none): its name and the time it was created, which tell the task from
 * another given its id by a history restored in place. */
static gboolean
mark_of (WinnowTaskStore *store, StoreConn *conn, gint64 id, char **mark, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn,
                                   "SELECT file_name, created_at FROM tasks WHERE id = ?1", error);
  int rc;

  *mark = NULL;
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (s, 0);
      const char *created = (const char *) sqlite3_column_text (s, 1);

      *mark = g_strconcat (name ? name : "", "\x1f", created ? created : "", NULL);
    }
  sqlite3_reset (s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/* Is the copy, read at the same count of changed names, of the history
 * @conn reads (in @state)? A history restored in place from a backup
 * hands its later ids out again, to other names: the copy's last task
 * must have the same mark (mark_of()) in the snapshot, where the snapshot
 * holds it. A fresh snapshot, begun for the search, is taken to be at
 * least as new as every one the copy was read at, so a last id below the
 * copy's means the history went back (a newer snapshot that brought the
 * copy up to date between the search's first read and its lock costs a
 * whole read, never a wrong name); an older snapshot's is only older. */
static gboolean
names_same_history (WinnowTaskStore *store, StoreConn *conn, Names *names,
                    const StoreHistoryState *state, gboolean *same, GError **error)
{
  g_autofree char *mark = NULL;

  *same = TRUE;
  if (names->through == 0)
    return TRUE;
  if (state->last < names->through)
    *same = !state->fresh;
  else if (state->last == names->through)
    *same = g_strcmp0 (state->last_mark, names->through_mark) == 0;
  else if (mark_of (store, conn, names->through, &mark, error))
    *same = g_strcmp0 (mark, names->through_mark) == 0;
  else
    return FALSE;
  return TRUE;
}

/* Brings the store's copy of the names (locked) up to the snapshot of
 * @conn, in @state (store_history_state()), in one read. */
static gboolean
names_update (WinnowTaskStore *store, StoreConn *conn, Folder *folder, StoreNameCopy *copy,
              const StoreHistoryState *state, GError **error)
{
  Names *names = &copy->names;
  gboolean ok, same = TRUE;

  /* a check that fails leaves the copy as true as it was */
  if (names->ids != NULL && names->changes == state->changes &&
      !names_same_history (store, conn, names, state, &same, error))
    return FALSE;
  if (names->ids == NULL || names->changes != state->changes || !same)
    {
      names_clear (names);
      names->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      names->ends = g_array_new (FALSE, FALSE, sizeof (gsize));
      names->text = g_string_new (NULL);
      names->changes = state->changes;
      copy->whole_reads++;
      ok = names_read (store, conn, folder, names, -1, error);
    }
  else if (state->last > names->through)
    ok = names_read (store, conn, folder, names, names->through, error);
  else
    return TRUE;
  /* read up to the snapshot's last task, whose mark the state holds */
  g_clear_pointer (&names->through_mark, g_free);
  if (ok && names->through == state->last)
    names->through_mark = g_strdup (state->last_mark);
  else if (ok && names->through > 0)
    ok = mark_of (store, conn, names->through, &names->through_mark, error);
  /* a copy read in part would be taken as whole */
  if (!ok)
    names_clear (names);
  return ok;
}

/* The ids up to @last of the names in the copy that hold @search,
 * folded. */
static GArray *
names_holding (Names *names, const char *search, gint64 last)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (gint64));
  const gint64 *ids = (const gint64 *) names->ids->data;
  const gsize *ends = (const gsize *) names->ends->data;
  const char *text = names->text->str;
  gsize length = names->text->len, search_length = strlen (search), at = 0;
  guint n = names->ids->len, i = 0;

  if (search_length == 0)
    {
      for (i = 0; i < n; i++)
        if (ids[i] <= last)
          g_array_append_val (found, ids[i]);
      return found;
    }
  /* the search holds no NUL: what it finds lies in one name */
  while (i < n)
    {
      const char *hit = memmem (text + at, length - at, search, search_length);
      gsize where;

      if (hit == NULL)
        break;
      where = (gsize) (hit - text);
      /* the name it is in: the first from i on that ends after it (a
       * step at a time: all the steps of a search are one pass) */
      while (ends[i] < where)
        i++;
      if (ids[i] <= last)
        g_array_append_val (found, ids[i]);
      at = ends[i] + 1;
      i++;
    }
  return found;
}

/* ---- searches answered again ----
 *
 * A refresh of the list counts and reads a page of the same search, and
 * each page read on asks it again: the FTS5 lookup of a common trigram
 * (20,000 of 100,000 names) or a pass over the names in memory took about
 * a millisecond each time, as long as a whole first page besides. What a
 * search finds depends only on the names, which are written once: on the
 * ids up to the highest (they only grow) and on the count of names
 * deleted or changed (task_count.names_changed). The store keeps its last
 * SEARCHES_KEPT searches with that state and the mark of the last task (a
 * history restored in place hands its later ids out again, as "the names
 * in memory" says), and a search asked in a snapshot in the same state
 * takes the same ids, shared. */

/* The state of the history in @conn's snapshot that decides what a
 * search finds (@state->fresh is left as it is). */
gboolean
store_history_state (WinnowTaskStore *store, StoreConn *conn, StoreHistoryState *state,
                     GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn,
                                   "SELECT names_changed, (SELECT max(id) FROM tasks) FROM task_count",
                                   error);
  int rc;

  state->changes = state->last = 0;
  g_clear_pointer (&state->last_mark, g_free);
  if (s == NULL)
    return FALSE;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      state->changes = sqlite3_column_int64 (s, 0);
      state->last = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW)
    return store_fail (store, conn, rc, error);
  return state->last <= 0 || mark_of (store, conn, state->last, &state->last_mark, error);
}

void
store_history_state_clear (StoreHistoryState *state)
{
  g_clear_pointer (&state->last_mark, g_free);
}

/* The ids @search found in @state, if it is kept. */
IdPayload *
store_name_copy_find (StoreNameCopy *copy, const char *search, const StoreHistoryState *state)
{
  IdPayload *found = NULL;

  g_mutex_lock (&copy->lock);
  copy->asked++;
  for (guint i = 0; i < SEARCHES_KEPT && found == NULL; i++)
    {
      Search *kept = &copy->searches[i];

      if (kept->search != NULL && kept->changes == state->changes && kept->last == state->last &&
          g_strcmp0 (kept->last_mark, state->last_mark) == 0 && strcmp (kept->search, search) == 0)
        {
          kept->asked = copy->asked;
          found = store_id_payload_ref (kept->found);
        }
    }
  g_mutex_unlock (&copy->lock);
  return found;
}

/* Keeps @found (a reference is taken) in place of the search asked for
 * longest ago. */
void
store_name_copy_keep (StoreNameCopy *copy, const char *search, const StoreHistoryState *state,
                      IdPayload *found)
{
  Search *oldest;

  g_mutex_lock (&copy->lock);
  copy->searches_made++;
  oldest = &copy->searches[0];
  for (guint i = 1; i < SEARCHES_KEPT; i++)
    if (copy->searches[i].asked < oldest->asked)
      oldest = &copy->searches[i];
  search_clear (oldest);
  oldest->search = g_strdup (search);
  oldest->changes = state->changes;
  oldest->last = state->last;
  oldest->last_mark = g_strdup (state->last_mark);
  oldest->found = store_id_payload_ref (found);
  oldest->asked = ++copy->asked;
  g_mutex_unlock (&copy->lock);
}

/* The ids up to @state's last of the names in the copy that hold
 * @folded, the copy brought up to @conn's snapshot first (names_update()). */
GArray *
store_name_copy_holding (WinnowTaskStore *store, StoreConn *conn, Folder *folder,
                         const char *folded, const StoreHistoryState *state, GError **error)
{
  StoreNameCopy *copy = store->names;
  GArray *found;

  g_mutex_lock (&copy->lock);
  found = names_update (store, conn, folder, copy, state, error)
          ? names_holding (&copy->names, folded, state->last) : NULL;
  g_mutex_unlock (&copy->lock);
  return found;
}
