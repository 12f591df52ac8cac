/* winnow-task-store-names.c: the file names as a search finds them.
 *
 * A search of three characters or more reads the FTS5 table of the names'
 * trigrams (schema version 5), whose tokenizer folds case with SQLite's
 * own table. A shorter search reads every name through
 * winnow_name_holds(), which folds the name and the search with that same
 * tokenizer, so that a search grown by one character never finds a name
 * the shorter one missed (GLib's lower case differs from it on hundreds of
 * characters: "İ", "ς", "µ", "Ⓐ"…). Names of ASCII only, most of them,
 * are compared without it.
 */
#include "config.h"

#include "winnow-task-store-private.h"

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

static gboolean
is_ascii (const char *text, int length)
{
  for (int i = 0; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      return FALSE;
  return TRUE;
}

/* winnow_name_holds (name, search): does @name hold @search, both
 * folded? The search is folded once per statement (its auxiliary data). */
static void
name_holds_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  Folder *folder = sqlite3_user_data (context);
  const char *name = (const char *) sqlite3_value_text (argv[0]);
  int name_length = sqlite3_value_bytes (argv[0]);
  const char *search = sqlite3_get_auxdata (context, 1);
  g_autofree char *search_folded = NULL;
  g_autofree char *name_folded = NULL;

  if (search == NULL)
    {
      const char *text = (const char *) sqlite3_value_text (argv[1]);

      search = search_folded = text != NULL ? fold (folder, text, sqlite3_value_bytes (argv[1]))
                                            : NULL;
      if (search == NULL)
        {
          sqlite3_result_error (context, "winnow_name_holds: could not fold the search", -1);
          return;
        }
      /* kept for the next rows (SQLite may drop it) */
      sqlite3_set_auxdata (context, 1, g_strdup (search), g_free);
    }
  if (name == NULL)
    {
      sqlite3_result_int (context, 0);
      return;
    }
  if (is_ascii (name, name_length))
    {
      /* most names: ASCII, folded as SQLite folds them, whatever the
       * locale */
      gsize n = strlen (search);

      for (; *name; name++)
        if (g_ascii_strncasecmp (name, search, n) == 0)
          {
            sqlite3_result_int (context, 1);
            return;
          }
      sqlite3_result_int (context, 0);
      return;
    }
  name_folded = fold (folder, name, name_length);
  sqlite3_result_int (context, name_folded != NULL && strstr (name_folded, search) != NULL);
}

/* ---- sets of task ids ----
 *
 * winnow_id_set (id), an aggregate, makes the ids of the tasks a search
 * names into one set; winnow_in_set (set, id) asks it for an id. A walk
 * of a sort index asks it for every task it passes: a bit, or a search
 * by halves, where "id IN named" searched a b-tree SQLite built for it
 * (20 ms for a jump halfway into the 20,000 tasks of 100,000 that a name
 * matches; this way about 5).
 *
 * The set stays with the connection, and SQL sees a number that names
 * it: SQLite copies a value it passes to a function for every row, and
 * a set as a blob of 12 KiB cost more than the b-tree. A connection
 * keeps its last ID_SETS_KEPT sets (a statement makes one, once, in a
 * materialized CTE, and no connection runs two statements at once); a
 * number whose set is gone is an error, never a wrong answer. */

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

static void
id_set_clear (IdSet *set)
{
  g_free (set->bits);
  g_free (set->ids);
  memset (set, 0, sizeof *set);
}

static void
id_sets_free (void *data)
{
  IdSets *sets = data;

  for (guint i = 0; i < ID_SETS_KEPT; i++)
    id_set_clear (&sets->sets[i]);
  g_free (sets);
}

static void
id_set_step (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  GArray **ids = sqlite3_aggregate_context (context, sizeof *ids);

  if (ids == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  if (*ids == NULL)
    *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (sqlite3_value_type (argv[0]) == SQLITE_INTEGER)
    {
      gint64 id = sqlite3_value_int64 (argv[0]);
      g_array_append_val (*ids, id);
    }
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
id_set_final (sqlite3_context *context)
{
  IdSets *sets = sqlite3_user_data (context);
  GArray **slot = sqlite3_aggregate_context (context, 0);
  g_autoptr(GArray) ids = slot != NULL ? g_steal_pointer (slot) : NULL;
  guint n = ids != NULL ? ids->len : 0;
  IdSet *set = &sets->sets[sets->made % ID_SETS_KEPT];

  id_set_clear (set);
  set->number = ++sets->made;
  if (n > 0)
    {
      gint64 *id = (gint64 *) ids->data;
      guint64 span;

      /* the search finds them in the order of their ids, or nearly */
      for (guint i = 1; i < n; i++)
        if (id[i] < id[i - 1])
          {
            g_array_sort (ids, compare_ids);
            break;
          }
      span = (guint64) id[n - 1] - (guint64) id[0];
      if (span / 64 + 1 <= n)
        {
          set->first = id[0];
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
          set->length = n;
          set->ids = (gint64 *) g_array_free (g_steal_pointer (&ids), FALSE);
        }
    }
  sqlite3_result_int64 (context, set->number);
}

/* winnow_in_set (set, id): is @id in the set? */
static void
in_set_function (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  IdSets *sets = sqlite3_user_data (context);
  gint64 number = sqlite3_value_int64 (argv[0]);
  gint64 id = sqlite3_value_int64 (argv[1]);
  const IdSet *set = number > 0 ? &sets->sets[(number - 1) % ID_SETS_KEPT] : NULL;

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

/* Registers winnow_name_holds(), winnow_id_set() and winnow_in_set() on
 * @db; FALSE when its SQLite has no FTS5 trigram tokenizer. */
gboolean
store_register_name_functions (sqlite3 *db)
{
  Folder *folder = folder_new (db);
  IdSets *sets = g_new0 (IdSets, 1);

  /* each destructor runs when its registration fails, too */
  if (sqlite3_create_function_v2 (db, "winnow_id_set", 1, SQLITE_UTF8, sets, NULL,
                                  id_set_step, id_set_final, id_sets_free) != SQLITE_OK ||
      sqlite3_create_function_v2 (db, "winnow_in_set", 2, SQLITE_UTF8, sets,
                                  in_set_function, NULL, NULL, NULL) != SQLITE_OK)
    {
      if (folder != NULL)
        folder_free (folder);
      return FALSE;
    }
  if (folder == NULL)
    return FALSE;
  return sqlite3_create_function_v2 (db, "winnow_name_holds", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC, folder,
                                     name_holds_function, NULL, NULL, folder_free) == SQLITE_OK;
}
