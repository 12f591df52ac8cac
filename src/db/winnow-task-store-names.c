/* winnow-task-store-names.c: the file names as a search finds them.
 *
 * A search of three characters or more reads the FTS5 table of the names'
 * trigrams (schema version 5), whose tokenizer folds case with SQLite's
 * own table. A shorter one reads the store's copy of the names in
 * memory, folded by that same tokenizer, so that a search grown by one
 * character never finds a name the shorter one missed (GLib's lower case
 * differs from it on hundreds of characters: "İ", "ς", "µ", "Ⓐ"…). The
 * tasks a search finds become a set of ids on the connection, which a
 * walk of a sort index asks for each task it passes (winnow_in_set()).
 */
#include "config.h"

#include "winnow-task-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* The trigram tokenizer of one connection. */
typedef struct {
  fts5_tokenizer api;
  Fts5Tokenizer *tokenizer;
} Folder;

/* The FTS5 API of @db, or NULL. */
static fts5_api *
fts5_api_of (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *s = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5 (?1)", -1, &s, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (s, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (s);
    }
  sqlite3_finalize (s);
  return api;
}

static void
folder_free (void *data)
{
  Folder *folder = data;

  if (folder->tokenizer != NULL)
    folder->api.xDelete (folder->tokenizer);
  g_free (folder);
}

static Folder *
folder_new (sqlite3 *db)
{
  static const char *args[] = { "case_sensitive", "0" };
  fts5_api *api = fts5_api_of (db);
  Folder *folder = g_new0 (Folder, 1);
  void *user_data = NULL;

  if (api == NULL || api->xFindTokenizer (api, "trigram", &user_data, &folder->api) != SQLITE_OK ||
      folder->api.xCreate (user_data, args, G_N_ELEMENTS (args), &folder->tokenizer) != SQLITE_OK)
    {
      folder->tokenizer = NULL;
      folder_free (folder);
      return NULL;
    }
  return folder;
}

/* Each trigram after the first adds its last character. */
static int
add_trigram (void *data, int flags, const char *token, int length, int start, int end)
{
  GString *out = data;
  const char *last;

  if (out->len == 0 || length <= 0)
    {
      g_string_append_len (out, token, length);
      return SQLITE_OK;
    }
  for (last = token + length - 1; last > token && ((guchar) *last & 0xc0) == 0x80; last--)
    ;
  g_string_append_len (out, last, token + length - last);
  return SQLITE_OK;
}

/* The characters of @text folded as the trigrams of the names' index fold
 * them (two characters that fold to themselves pad it to a trigram, and
 * go again); NULL if the tokenizer failed. */
static char *
fold (Folder *folder, const char *text, int length)
{
  g_autofree char *padded = g_strdup_printf ("%.*s\1\1", length, text);
  GString *out = g_string_new (NULL);

  if (folder->api.xTokenize (folder->tokenizer, out, FTS5_TOKENIZE_DOCUMENT, padded, length + 2,
                             add_trigram) != SQLITE_OK ||
      out->len < 2)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_truncate (out, out->len - 2);
  return g_string_free (out, FALSE);
}

/* ---- sets of task ids ----
 *
 * The tasks a search names become one set of ids (store_find_names()),
 * of the trigrams or of the names in memory; winnow_in_set (set, id), a
 * function of the connection, asks it for an id. A walk
 * of a sort index asks it for every task it passes: a bit, or a search
 * by halves, where "id IN named" searched a b-tree SQLite built for it
 * (21 ms for a jump halfway into the 20,000 tasks of 100,000 that a name
 * matches; this way 8).
 *
 * The set stays with the connection, and SQL sees a number that names
 * it: SQLite copies a value it passes to a function for every row, and
 * a set as a blob of 12 KiB cost more than the b-tree. A connection
 * keeps its last ID_SETS_KEPT sets (a page or a count makes one, and no
 * connection runs two calls at once); a number whose set is gone is an
 * error, never a wrong answer. */

#define ID_SETS_KEPT 4

typedef struct {
  gint64 number;          /* 0: none */
  gint64 first;           /* bits: the id of the first bit */
  guint64 *bits;          /* a bit for each id from first on, or NULL: */
  gint64 *ids;            /* the ids, sorted (far apart: bits would take more room) */
  gsize length;           /* of bits or ids */
} IdSet;

typedef struct {
  IdSet sets[ID_SETS_KEPT];
  gint64 made;            /* the sets made so far */
} IdSets;

/* The file names of every task, folded, as a connection last read them
 * (each task's name is written once, when it is added: schema version 6
 * counts the deletions and changes that make a copy stale). */
typedef struct {
  gint64 changes;         /* task_count.names_changed when read */
  gint64 through;         /* the highest id read */
  GArray *ids;            /* gint64, one per name; NULL: not read */
  GArray *ends;           /* gsize: where each name ends in text */
  GString *text;          /* the names, folded, each followed by a NUL */
  char *through_name;     /* the name of the task through, as read */
} Names;

/* One copy for the store's connections (see "the names in memory"). */
struct _StoreNameCopy {
  GMutex lock;
  Names names;
  guint whole_reads;      /* for tests */
};

struct _StoreNames {
  Folder *folder;
  IdSets sets;
};

static void
id_set_clear (IdSet *set)
{
  g_free (set->bits);
  g_free (set->ids);
  memset (set, 0, sizeof *set);
}

static void
names_clear (Names *names)
{
  names->changes = names->through = 0;
  g_clear_pointer (&names->ids, g_array_unref);
  g_clear_pointer (&names->ends, g_array_unref);
  g_clear_pointer (&names->through_name, g_free);
  if (names->text != NULL)
    g_string_free (g_steal_pointer (&names->text), TRUE);
}

static void
store_names_free (void *data)
{
  StoreNames *self = data;

  for (guint i = 0; i < ID_SETS_KEPT; i++)
    id_set_clear (&self->sets.sets[i]);
  if (self->folder != NULL)
    folder_free (self->folder);
  g_free (self);
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* Makes @ids (taken, in any order) the next set of @sets: its number. */
static gint64
id_set_make (IdSets *sets, GArray *ids)
{
  guint n = ids != NULL ? ids->len : 0;
  IdSet *set = &sets->sets[sets->made % ID_SETS_KEPT];

  id_set_clear (set);
  set->number = ++sets->made;
  if (n > 0)
    {
      gint64 *id = (gint64 *) ids->data;
      gint64 low = id[0], high = id[0];
      gboolean sorted = TRUE;
      guint64 span;

      /* the trigrams give them in the order of their ids, the names in
       * memory in any order: only a list is sorted */
      for (guint i = 1; i < n; i++)
        {
          sorted &= id[i] >= id[i - 1];
          low = MIN (low, id[i]);
          high = MAX (high, id[i]);
        }
      span = (guint64) high - (guint64) low;
      if (span / 64 + 1 <= n)
        {
          set->first = low;
          set->length = span / 64 + 1;
          set->bits = g_new0 (guint64, set->length);
          for (guint i = 0; i < n; i++)
            {
              guint64 at = (guint64) id[i] - (guint64) set->first;
              set->bits[at / 64] |= G_GUINT64_CONSTANT (1) << (at % 64);
            }
        }
      else
        {
          if (!sorted)
            g_array_sort (ids, compare_ids);
          set->length = n;
          set->ids = (gint64 *) (void *) g_array_free (g_steal_pointer (&ids), FALSE);
        }
    }
  if (ids != NULL)
    g_array_unref (ids);
  return set->number;
}

/* For tests: makes the @n @ids a set of @self. */
gint64
store_names_make_set (StoreNames *self, const gint64 *ids, guint n)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  g_array_append_vals (copy, ids, n);
  return id_set_make (&self->sets, copy);
}

/* winnow_in_set (set, id): is @id in the set? */
static void
in_set_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  StoreNames *self = sqlite3_user_data (context);
  gint64 number = sqlite3_value_int64 (argv[0]);
  gint64 id = sqlite3_value_int64 (argv[1]);
  const IdSet *set = number > 0 ? &self->sets.sets[(number - 1) % ID_SETS_KEPT] : NULL;

  if (set == NULL || set->number != number)
    {
      sqlite3_result_error (context, "winnow_in_set: no such set", -1);
      return;
    }
  if (sqlite3_value_type (argv[1]) != SQLITE_INTEGER)
    {
      sqlite3_result_int (context, 0);
      return;
    }
  if (set->bits != NULL)
    {
      guint64 at = (guint64) id - (guint64) set->first;

      sqlite3_result_int (context, id >= set->first && at / 64 < set->length &&
                                   (set->bits[at / 64] >> (at % 64)) & 1);
      return;
    }
  for (gsize low = 0, high = set->length; low < high;)
    {
      gsize middle = low + (high - low) / 2;

      if (set->ids[middle] == id)
        {
          sqlite3_result_int (context, 1);
          return;
        }
      if (set->ids[middle] < id)
        low = middle + 1;
      else
        high = middle;
    }
  sqlite3_result_int (context, 0);
}

/* Registers winnow_in_set() on @db, with the state it and
 * store_find_names() share for the connection; NULL when its SQLite has
 * no FTS5 trigram tokenizer. */
StoreNames *
store_register_name_functions (sqlite3 *db)
{
  StoreNames *self = g_new0 (StoreNames, 1);

  self->folder = folder_new (db);
  if (self->folder == NULL)
    {
      store_names_free (self);
      return NULL;
    }
  /* the destructor runs when the registration fails, too */
  if (sqlite3_create_function_v2 (db, "winnow_in_set", 2, SQLITE_UTF8, self,
                                  in_set_function, NULL, NULL, store_names_free) != SQLITE_OK)
    return NULL;
  return self;
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
 * whose snapshot is older than the copy (it began its transaction before
 * another connection brought the copy up to date) takes the copy up to
 * its own last id: with the same count of changes, the copy differs from
 * its snapshot only by tasks added after it. */

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
  g_mutex_clear (&copy->lock);
  g_free (copy);
}

/* For tests: how many times @copy was read whole. */
guint
store_name_copy_get_whole_reads (StoreNameCopy *copy)
{
  guint n;

  g_mutex_lock (&copy->lock);
  n = copy->whole_reads;
  g_mutex_unlock (&copy->lock);
  return n;
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
      g_autofree char *folded = fold (folder, name, (int) MIN (length, G_MAXINT - 2));
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
names_read (WinnowTaskStore *store, StoreConn *conn, Names *names, gint64 after, GError **error)
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
    names_add (names, conn->names->folder, sqlite3_column_int64 (s, 0),
               (const char *) sqlite3_column_text (s, 1));
  sqlite3_reset (s);
  return rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/* The name of task @id in @conn's snapshot (*@name, NULL if there is
 * none). */
static gboolean
name_of (WinnowTaskStore *store, StoreConn *conn, gint64 id, char **name, GError **error)
{
  sqlite3_stmt *s = store_prepare (store, conn, "SELECT file_name FROM tasks WHERE id = ?1",
                                   error);
  int rc;

  *name = NULL;
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    *name = g_strdup ((const char *) sqlite3_column_text (s, 0));
  sqlite3_reset (s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE || store_fail (store, conn, rc, error);
}

/* Is the copy, read at the same count of changed names, of the history
 * @conn reads? A history restored in place from a backup hands its later
 * ids out again, to other names: the copy's last task must be the same
 * in the snapshot, where the snapshot holds it. A snapshot this began,
 * under the lock, is at least as new as every one the copy was read at,
 * so a last id below the copy's means the history went back; an older
 * snapshot's is only older. */
static gboolean
names_same_history (WinnowTaskStore *store, StoreConn *conn, Names *names, gint64 last,
                    gboolean began, gboolean *same, GError **error)
{
  g_autofree char *name = NULL;

  *same = TRUE;
  if (names->through == 0)
    return TRUE;
  if (last < names->through)
    {
      *same = !began;
      return TRUE;
    }
  if (!name_of (store, conn, names->through, &name, error))
    return FALSE;
  *same = g_strcmp0 (name, names->through_name) == 0;
  return TRUE;
}

/* Brings the store's copy of the names (locked) up to the snapshot of
 * @conn, in one read; *@last: the snapshot's highest id, past which the
 * copy's names are not the snapshot's. */
static gboolean
names_update (WinnowTaskStore *store, StoreConn *conn, StoreNameCopy *copy, gint64 *last,
              GError **error)
{
  Names *names = &copy->names;
  gboolean began = sqlite3_get_autocommit (conn->db);
  sqlite3_stmt *s;
  gint64 changes = 0;
  gboolean ok, same = TRUE, read_more = TRUE;
  int rc;

  *last = 0;
  if (began && !store_exec (store, conn, "BEGIN", error))
    return FALSE;
  s = store_prepare (store, conn,
                     "SELECT names_changed, (SELECT max(id) FROM tasks) FROM task_count", error);
  if (s == NULL)
    return began ? store_commit (store, conn, FALSE, NULL) : FALSE;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      changes = sqlite3_column_int64 (s, 0);
      *last = sqlite3_column_int64 (s, 1);
    }
  sqlite3_reset (s);
  ok = rc == SQLITE_ROW || store_fail (store, conn, rc, error);
  if (ok && names->ids != NULL && names->changes == changes)
    ok = names_same_history (store, conn, names, *last, began, &same, error);
  if (ok && (names->ids == NULL || names->changes != changes || !same))
    {
      names_clear (names);
      names->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      names->ends = g_array_new (FALSE, FALSE, sizeof (gsize));
      names->text = g_string_new (NULL);
      names->changes = changes;
      copy->whole_reads++;
      ok = names_read (store, conn, names, -1, error);
    }
  else if (ok && *last > names->through)
    ok = names_read (store, conn, names, names->through, error);
  else
    read_more = FALSE;
  if (ok && read_more && names->through > 0)
    {
      g_clear_pointer (&names->through_name, g_free);
      ok = name_of (store, conn, names->through, &names->through_name, error);
    }
  /* a copy read in part would be taken as whole */
  if (!ok)
    names_clear (names);
  if (began)
    return store_commit (store, conn, ok, ok ? error : NULL);
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

/* ---- a search ---- */

/* Searches of this many characters or more are answered by the index of
 * the names' trigrams; shorter ones by the names in memory. */
#define TRIGRAM 3

static gboolean
uses_trigrams (const char *search)
{
  return g_utf8_validate (search, -1, NULL) && g_utf8_strlen (search, -1) >= TRIGRAM;
}

/* An FTS5 phrase: the text in double quotes, its own doubled. Its
 * trigrams one after the other are the names that hold the text. */
static char *
phrase (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

/* The ids of the tasks whose name holds @search, of the trigrams. */
static GArray *
trigrams_holding (WinnowTaskStore *store, StoreConn *conn, const char *search, GError **error)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s = store_prepare (store, conn,
                                   "SELECT rowid FROM task_names WHERE task_names MATCH ?1",
                                   error);
  int rc;

  if (s == NULL)
    return NULL;
  sqlite3_bind_text (s, 1, phrase (search), -1, g_free);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);
      g_array_append_val (found, id);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      store_fail (store, conn, rc, error);
      return NULL;
    }
  return g_steal_pointer (&found);
}

/**
 * store_find_names:
 * @few: up to how many tasks found @named lists their ids
 * @count_only: only @named's count is wanted (no set, no ids)
 *
 * The tasks whose file name holds @search: of the trigrams, or of the
 * store's copy of the names, brought up to date first (inside the
 * caller's read transaction, if it has one; never a write transaction,
 * whose rollback would leave its names in the copy). The statements of a page or a
 * count then ask the set by its number, or look up the few ids.
 */
gboolean
store_find_names (WinnowTaskStore *store, StoreConn *conn, const char *search, guint few,
                  gboolean count_only, StoreNamed *named, GError **error)
{
  StoreNames *self = conn->names;
  GArray *found;

  memset (named, 0, sizeof *named);
  /* the shared copy must never hold a name a rollback takes back */
  if (sqlite3_txn_state (conn->db, NULL) == SQLITE_TXN_WRITE)
    {
      g_critical ("%s: called inside a write transaction", G_STRFUNC);
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                   "a name search may not run inside a write transaction");
      return FALSE;
    }
  if (uses_trigrams (search))
    found = trigrams_holding (store, conn, search, error);
  else
    {
      g_autofree char *folded = fold (self->folder, search,
                                      (int) MIN (strlen (search), G_MAXINT - 2));
      StoreNameCopy *copy = store->names;
      gint64 last;

      if (folded == NULL)
        {
          g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                       /* Translators: what the task list's search box holds */
                       _("could not read the search “%s”"), search);
          return FALSE;
        }
      g_mutex_lock (&copy->lock);
      found = names_update (store, conn, copy, &last, error)
              ? names_holding (&copy->names, folded, last) : NULL;
      g_mutex_unlock (&copy->lock);
    }
  if (found == NULL)
    return FALSE;
  named->n = found->len;
  if (count_only)
    {
      g_array_unref (found);
      return TRUE;
    }
  if (found->len <= few)
    named->few_ids = store_ids_json (found);
  named->set = id_set_make (&self->sets, found);
  return TRUE;
}

void
store_named_clear (StoreNamed *named)
{
  g_clear_pointer (&named->few_ids, g_free);
  named->set = named->n = 0;
}
