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

#include "winnow-task-store-names-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* The trigram tokenizer of one connection. */
struct _Folder {
  fts5_tokenizer api;
  Fts5Tokenizer *tokenizer;
};

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
char *
store_fold (Folder *folder, const char *text, int length)
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

/* Searches of up to this many tasks keep their ids as JSON too, for a
 * caller that looks the few up (store_find_names()'s @few, never more). */
#define FEW_LISTED 1000

typedef struct {
  gint64 number;          /* 0: none */
  IdPayload *payload;
} IdSet;

typedef struct {
  IdSet sets[ID_SETS_KEPT];
  gint64 made;            /* the sets made so far */
} IdSets;

struct _StoreNames {
  Folder *folder;
  IdSets sets;
};

void
store_id_payload_unref (IdPayload *payload)
{
  if (payload == NULL || !g_atomic_ref_count_dec (&payload->ref))
    return;
  g_free (payload->bits);
  g_free (payload->ids);
  g_free (payload->few_ids);
  g_free (payload);
}

IdPayload *
store_id_payload_ref (IdPayload *payload)
{
  g_atomic_ref_count_inc (&payload->ref);
  return payload;
}

static void
id_set_clear (IdSet *set)
{
  g_clear_pointer (&set->payload, store_id_payload_unref);
  set->number = 0;
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

/* The ids of @ids (taken, in any order) as a set holds them. */
static IdPayload *
id_payload_new (GArray *ids)
{
  IdPayload *payload = g_new0 (IdPayload, 1);
  guint n = ids->len;

  g_atomic_ref_count_init (&payload->ref);
  payload->n = n;
  if (n <= FEW_LISTED)
    payload->few_ids = store_ids_json (ids);
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
          payload->first = low;
          payload->length = span / 64 + 1;
          payload->bits = g_new0 (guint64, payload->length);
          for (guint i = 0; i < n; i++)
            {
              guint64 at = (guint64) id[i] - (guint64) payload->first;
              payload->bits[at / 64] |= G_GUINT64_CONSTANT (1) << (at % 64);
            }
        }
      else
        {
          if (!sorted)
            g_array_sort (ids, compare_ids);
          payload->length = n;
          payload->ids = (gint64 *) (void *) g_array_free (g_steal_pointer (&ids), FALSE);
        }
    }
  if (ids != NULL)
    g_array_unref (ids);
  return payload;
}

/* Makes @payload (taken) the next set of @sets: its number. */
static gint64
id_set_make (IdSets *sets, IdPayload *payload)
{
  IdSet *set = &sets->sets[sets->made % ID_SETS_KEPT];

  id_set_clear (set);
  set->number = ++sets->made;
  set->payload = payload;
  return set->number;
}

/* For tests: makes the @n @ids a set of @self. */
gint64
store_names_make_set (StoreNames *self, const gint64 *ids, guint n)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  g_array_append_vals (copy, ids, n);
  return id_set_make (&self->sets, id_payload_new (copy));
}

/* winnow_in_set (set, id): is @id in the set? */
static void
in_set_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  StoreNames *self = sqlite3_user_data (context);
  gint64 number = sqlite3_value_int64 (argv[0]);
  gint64 id = sqlite3_value_int64 (argv[1]);
  const IdSet *set = number > 0 ? &self->sets.sets[(number - 1) % ID_SETS_KEPT] : NULL;
  const IdPayload *payload;

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
  payload = set->payload;
  if (payload->bits != NULL)
    {
      guint64 at = (guint64) id - (guint64) payload->first;

      sqlite3_result_int (context, id >= payload->first && at / 64 < payload->length &&
                                   (payload->bits[at / 64] >> (at % 64)) & 1);
      return;
    }
  for (gsize low = 0, high = payload->length; low < high;)
    {
      gsize middle = low + (high - low) / 2;

      if (payload->ids[middle] == id)
        {
          sqlite3_result_int (context, 1);
          return;
        }
      if (payload->ids[middle] < id)
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

/* The ids of the tasks whose name holds @search in @conn's snapshot (in
 * @state), of the trigrams or of the copy of the names. */
static GArray *
search_names (WinnowTaskStore *store, StoreConn *conn, const char *search,
              const StoreHistoryState *state, GError **error)
{
  g_autofree char *folded = NULL;

  if (uses_trigrams (search))
    return trigrams_holding (store, conn, search, error);
  folded = store_fold (conn->names->folder, search, (int) MIN (strlen (search), G_MAXINT - 2));
  if (folded == NULL)
    {
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                   /* Translators: what the task list's search box holds */
                   _("could not read the search “%s”"), search);
      return NULL;
    }
  return store_name_copy_holding (store, conn, conn->names->folder, folded, state, error);
}

/**
 * store_find_names:
 * @fresh: the caller's read transaction began for this (its first read
 *   just before), as new a snapshot as one the search begins itself
 * @few: up to how many tasks found @named lists their ids (at most
 *   FEW_LISTED)
 * @count_only: only @named's count is wanted (no set, no ids)
 *
 * The tasks whose file name holds @search: as a search in the same state
 * of the history found them, or of the trigrams, or of the store's copy
 * of the names, brought up to date first; in one read transaction (the
 * caller's, if it has one; never a write transaction, whose rollback
 * would leave its names in the copy). The statements of a page or a count
 * then ask the set by its number, or look up the few ids.
 */
gboolean
store_find_names (WinnowTaskStore *store, StoreConn *conn, gboolean fresh, const char *search,
                  guint few, gboolean count_only, StoreNamed *named, GError **error)
{
  gboolean began = sqlite3_get_autocommit (conn->db);
  g_auto(StoreHistoryState) state = { .fresh = began || fresh };
  IdPayload *found = NULL;
  gboolean ok;

  memset (named, 0, sizeof *named);
  g_return_val_if_fail (few <= FEW_LISTED, FALSE);
  /* the shared copy must never hold a name a rollback takes back */
  if (sqlite3_txn_state (conn->db, NULL) == SQLITE_TXN_WRITE)
    {
      g_critical ("%s: called inside a write transaction", G_STRFUNC);
      g_set_error (error, WINNOW_STORE_ERROR, WINNOW_STORE_ERROR_FAILED,
                   "a name search may not run inside a write transaction");
      return FALSE;
    }
  if (began && !store_exec (store, conn, "BEGIN", error))
    return FALSE;
  ok = store_history_state (store, conn, &state, error);
  if (ok)
    found = store_name_copy_find (store->names, search, &state);
  if (ok && found == NULL)
    {
      GArray *ids = search_names (store, conn, search, &state, error);

      ok = ids != NULL;
      if (ok)
        {
          found = id_payload_new (ids);
          store_name_copy_keep (store->names, search, &state, found);
        }
    }
  if (began)
    ok = store_commit (store, conn, ok, ok ? error : NULL);
  if (!ok)
    {
      g_clear_pointer (&found, store_id_payload_unref);
      return FALSE;
    }
  named->n = found->n;
  if (count_only)
    {
      store_id_payload_unref (found);
      return TRUE;
    }
  if (found->n <= few)
    named->few_ids = g_strdup (found->few_ids);
  named->set = id_set_make (&conn->names->sets, found);
  return TRUE;
}

void
store_named_clear (StoreNamed *named)
{
  g_clear_pointer (&named->few_ids, g_free);
  named->set = named->n = 0;
}
