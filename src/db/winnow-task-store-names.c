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

/* Registers winnow_name_holds() on @db; FALSE when its SQLite has no
 * FTS5 trigram tokenizer. */
gboolean
store_register_name_functions (sqlite3 *db)
{
  Folder *folder = folder_new (db);

  if (folder == NULL)
    return FALSE;
  return sqlite3_create_function_v2 (db, "winnow_name_holds", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC, folder,
                                     name_holds_function, NULL, NULL, folder_free) == SQLITE_OK;
}
