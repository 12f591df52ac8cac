/* test-store-names.c: the task store's search by name: the index of the
 * names' trigrams and the connections' shared copy of the names follow
 * the tasks (added, deleted, renamed behind the store, the history
 * restored in place from a backup), searches are kept while the history
 * stays the same, case is folded alike whatever a search's length, and
 * the sets of ids a search makes answer as "IN" would. */
#include "config.h"

#include <string.h>

#include "store-util.h"

/* The index of the names' trigrams follows the tasks, added, deleted one
 * by one, cleared or renamed: a count of a name alone is read from it
 * (FTS5's own check, which finds it whole, does not compare it with the
 * tasks in SQLite 3.40). So does a connection's copy of the names, which
 * a shorter search reads: a task added is read on its own, a deletion or
 * a name changed behind the store reads them all again. */
static void
test_name_index (Fixture *f, gconstpointer data)
{
  const char *names[] = { "alpha_one.csv", "ALPHA_two.csv", "beta.csv", "Alphabet.csv" };
  WinnowTaskQuery alpha = { .name = "alph" }, short_name = { .name = "al" };
  g_autoptr(GError) error = NULL;
  gint64 ids[G_N_ELEMENTS (names)];
  sqlite3 *db;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(WinnowTask) task = add (f->store, names[i]);
      ids[i] = winnow_task_get_id (task);
    }
  g_assert_cmpint (winnow_task_store_count (f->store, &alpha, NULL, &error), ==, 3);
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 3);
  g_object_unref (add (f->store, "Kalamata.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 4);
  g_assert_cmpint (winnow_task_store_count (f->store, &alpha, NULL, &error), ==, 3);
  g_assert_true (winnow_task_store_cancel (f->store, ids[0], &error));
  g_assert_true (winnow_task_store_delete (f->store, ids[0], &error));
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_store_count (f->store, &alpha, NULL, &error), ==, 2);
  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    g_assert_true (winnow_task_store_cancel (f->store, ids[i], &error));
  g_assert_cmpint (winnow_task_store_clear_finished (f->store, ids[2], NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_store_count (f->store, &alpha, NULL, &error), ==, 1);
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 2);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO task_names (task_names) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  /* a name changed behind the store is followed too */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE tasks SET file_name = 'gamma.csv'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO task_names (task_names) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (winnow_task_store_count (f->store, &alpha, NULL, &error), ==, 0);
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 0);
  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { .name = "amm" }, NULL,
                                            &error), ==, 2);
  g_assert_cmpint (winnow_task_store_count (f->store, &(WinnowTaskQuery) { .name = "AM" }, NULL,
                                            &error), ==, 2);
  {
    g_autoptr(GPtrArray) page = winnow_task_store_query (f->store,
                                                         &(WinnowTaskQuery) { .name = "m" }, 0, 10,
                                                         &error);
    g_assert_cmpuint (page->len, ==, 2);
  }
  g_assert_no_error (error);
}

/* The store's connections share one copy of the names that short
 * searches read: a search on another connection reads none whole. A
 * connection whose read transaction began before tasks were added, or
 * before a name was deleted, finds the names of its own snapshot. */
static void
test_name_copy_shared (Fixture *f, gconstpointer data)
{
  WinnowTaskQuery short_name = { .name = "al" };
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) salt = NULL;
  StoreConn *held;

  g_object_unref (add (f->store, "alpha.csv"));
  salt = add (f->store, "salt.csv");
  g_object_unref (add (f->store, "beta.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 2);
  g_assert_cmpuint (store_name_copy_get_whole_reads (f->store->names), ==, 1);

  /* held in a snapshot of three tasks; the calls below take others */
  held = store_acquire (f->store, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (held->db, "BEGIN; SELECT count(*) FROM tasks", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_object_unref (add (f->store, "malt.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpuint (store_name_copy_get_whole_reads (f->store->names), ==, 1);
  {
    g_auto(StoreNamed) named = { 0 };

    /* the copy holds malt.csv; this snapshot does not */
    g_assert_true (store_find_names (f->store, held, FALSE, "al", 10, FALSE, &named, &error));
    g_assert_no_error (error);
    g_assert_cmpint (named.n, ==, 2);
    g_assert_nonnull (named.few_ids);
  }
  g_assert_cmpint (sqlite3_exec (held->db, "COMMIT; BEGIN; SELECT count(*) FROM tasks", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  /* a name deleted after this snapshot began */
  g_assert_true (winnow_task_store_cancel (f->store, winnow_task_get_id (salt), &error));
  g_assert_true (winnow_task_store_delete (f->store, winnow_task_get_id (salt), &error));
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 2);
  g_assert_cmpuint (store_name_copy_get_whole_reads (f->store->names), ==, 2);
  {
    g_auto(StoreNamed) named = { 0 };

    g_assert_true (store_find_names (f->store, held, FALSE, "al", 10, TRUE, &named, &error));
    g_assert_no_error (error);
    g_assert_cmpint (named.n, ==, 3);
    /* counted only */
    g_assert_null (named.few_ids);
    g_assert_cmpint (named.set, ==, 0);
  }
  g_assert_cmpint (sqlite3_exec (held->db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  store_release (f->store, held);
  g_assert_cmpint (winnow_task_store_count (f->store, &short_name, NULL, &error), ==, 2);
  g_assert_no_error (error);
}

/* Copies @from's main database into @to's, whole. */
static void
copy_database (sqlite3 *to, sqlite3 *from)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");

  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_backup_finish (backup), ==, SQLITE_OK);
}

/* A backup of the history at @f's path, in memory; *@db: the history,
 * open for history_restore(). */
static sqlite3 *
history_backup (Fixture *f, sqlite3 **db)
{
  sqlite3 *saved;

  g_assert_cmpint (sqlite3_open (f->path, db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_open (":memory:", &saved), ==, SQLITE_OK);
  copy_database (saved, *db);
  return saved;
}

/* Restores the history in place from @saved, as a user copying a
 * backup over it would, and closes both. */
static void
history_restore (sqlite3 *db, sqlite3 *saved)
{
  copy_database (db, saved);
  sqlite3_close (saved);
  sqlite3_close (db);
}

/* The first page (10 rows) of @query, read without error. */
static GPtrArray *
first_page (WinnowTaskStore *store, const WinnowTaskQuery *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *page = winnow_task_store_query (store, query, 0, 10, &error);

  g_assert_no_error (error);
  return page;
}

/* A history restored in place from a backup hands its later ids out
 * again: the store's copy of the names, read past them, is read again
 * by the next page rather than keep the names of tasks gone. */
static void
test_name_copy_restored (Fixture *f, gconstpointer data)
{
  WinnowTaskQuery al = { .name = "al" }, be = { .name = "be" };
  g_autoptr(GError) error = NULL;
  sqlite3 *db, *saved;

  g_object_unref (add (f->store, "alpha.csv"));
  saved = history_backup (f, &db);
  g_object_unref (add (f->store, "salt.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 2);
  history_restore (db, saved);
  g_object_unref (add (f->store, "beta.csv"));
  {
    g_autoptr(GPtrArray) page = first_page (f->store, &al);
    g_assert_cmpuint (page->len, ==, 1);
  }
  {
    g_autoptr(GPtrArray) page = first_page (f->store, &be);
    g_assert_cmpuint (page->len, ==, 1);
  }
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 1);
  g_assert_cmpint (winnow_task_store_count (f->store, &be, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

/* Restored in place to a backup older than the copy of the names, and
 * a task added since under an id the copy holds for another name: a
 * count or a page of a short search (in a snapshot begun for it) takes
 * the history for one that went back and reads the names again. */
static void
test_name_copy_restored_back (Fixture *f, gconstpointer data)
{
  WinnowTaskQuery al = { .name = "al" };
  g_autoptr(GError) error = NULL;
  sqlite3 *db, *saved;

  g_object_unref (add (f->store, "alpha.csv"));
  saved = history_backup (f, &db);
  g_object_unref (add (f->store, "salt.csv"));
  g_object_unref (add (f->store, "malt.csv"));
  {
    g_autoptr(GPtrArray) page = first_page (f->store, &al);
    g_assert_cmpuint (page->len, ==, 3);
  }
  history_restore (db, saved);
  g_object_unref (add (f->store, "beta.csv"));
  /* a count alone too, in the transaction it begins for the total */
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 1);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) page = first_page (f->store, &al);
    g_assert_cmpuint (page->len, ==, 1);
    g_assert_cmpstr (winnow_task_get_file_name (g_ptr_array_index (page, 0)), ==, "alpha.csv");
  }
}

/* Waits until the clock shows another millisecond than @since (tasks
 * are stamped to the millisecond). */
static void
next_millisecond (gint64 since)
{
  while (g_get_real_time () / 1000 == since / 1000)
    ;
}

/* Restored in place, and the tasks added since given the ids the copy
 * holds, the last of them under the same name as before: the copy is
 * still of another history (the task before it is another), and the
 * last task's creation time tells. */
static void
test_name_copy_restored_same_last (Fixture *f, gconstpointer data)
{
  WinnowTaskQuery al = { .name = "al" };
  g_autoptr(GError) error = NULL;
  sqlite3 *db, *saved;
  gint64 added;

  g_object_unref (add (f->store, "alpha.csv"));
  saved = history_backup (f, &db);
  g_object_unref (add (f->store, "salt.csv"));
  g_object_unref (add (f->store, "malt.csv"));
  added = g_get_real_time ();
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 3);
  history_restore (db, saved);
  next_millisecond (added);
  g_object_unref (add (f->store, "beta.csv"));
  g_object_unref (add (f->store, "malt.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 2);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) page = first_page (f->store, &al);
    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (winnow_task_get_file_name (g_ptr_array_index (page, 0)), !=, "beta.csv");
    g_assert_cmpstr (winnow_task_get_file_name (g_ptr_array_index (page, 1)), !=, "beta.csv");
  }
}

/* A search asked again in the same state of the history is answered
 * with what it found before; a task added or deleted, or the history
 * restored in place, makes it search again. */
static void
test_name_searches_kept (Fixture *f, gconstpointer data)
{
  WinnowTaskQuery al = { .name = "al" }, alp = { .name = "alp" };
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) salt = NULL;
  guint made;
  sqlite3 *db, *saved;

  g_object_unref (add (f->store, "alpha.csv"));
  salt = add (f->store, "salt.csv");
  g_object_unref (add (f->store, "beta.csv"));
  made = store_name_copy_get_searches_made (f->store->names);
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 2);
  g_assert_cmpint (winnow_task_store_count (f->store, &alp, NULL, &error), ==, 1);
  g_assert_cmpuint (store_name_copy_get_searches_made (f->store->names), ==, made + 2);
  {
    g_autoptr(GPtrArray) page = winnow_task_store_query (f->store, &al, 0, 10, &error);
    g_autoptr(GPtrArray) other = winnow_task_store_query (f->store, &alp, 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpuint (other->len, ==, 1);
    g_assert_cmpstr (winnow_task_get_file_name (g_ptr_array_index (other, 0)), ==, "alpha.csv");
  }
  /* answered again */
  g_assert_cmpuint (store_name_copy_get_searches_made (f->store->names), ==, made + 2);

  g_object_unref (add (f->store, "palace.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 3);
  g_assert_cmpint (winnow_task_store_count (f->store, &alp, NULL, &error), ==, 1);
  g_assert_cmpuint (store_name_copy_get_searches_made (f->store->names), ==, made + 4);

  g_assert_true (winnow_task_store_cancel (f->store, winnow_task_get_id (salt), &error));
  g_assert_true (winnow_task_store_delete (f->store, winnow_task_get_id (salt), &error));
  g_assert_cmpint (winnow_task_store_count (f->store, &al, NULL, &error), ==, 2);
  g_assert_no_error (error);

  /* restored in place: the same count of changes and the same last id,
   * another name under it */
  saved = history_backup (f, &db);
  g_object_unref (add (f->store, "alpine.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &alp, NULL, &error), ==, 2);
  history_restore (db, saved);
  g_object_unref (add (f->store, "gamma.csv"));
  g_assert_cmpint (winnow_task_store_count (f->store, &alp, NULL, &error), ==, 1);
  g_assert_no_error (error);
}

/* A search grown by a character never finds a name the shorter one
 * missed: searches of one or two characters (every name read) fold case
 * as the names' trigrams do (three or more), where GLib's lower case
 * differs on hundreds of characters. Found by a review. */
static void
test_name_folding (Fixture *f, gconstpointer data)
{
  const char *names[] = { "istanbul_sales.csv", "λόγος.csv", "ΛΟΓΟΣ_2.csv", "5µm_scan.csv",
                          "5μm_scan.csv", "Ⓐbc.csv", "plain.csv" };
  /* each group: searches that find the same names, shortest first */
  static const struct {
    const char *searches[3];
    gint64 found;
  } groups[] = {
    { { "İs", "İst", "İsta" }, -1 },
    { { "Σ", "ΟΣ", "ΓΟΣ" }, 2 },
    { { "µ", "µm", "µm_" }, 2 },
    { { "ⓐ", "ⓐb", "ⓐbc" }, 1 },
    { { "P", "PL", "PLA" }, 1 },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_object_unref (add (f->store, names[i]));
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      gint64 first = -1;

      for (guint i = 0; i < G_N_ELEMENTS (groups[g].searches); i++)
        {
          WinnowTaskQuery q = { .name = groups[g].searches[i] };
          g_autoptr(GPtrArray) page = winnow_task_store_query (f->store, &q, 0, 100, &error);
          gint64 n = winnow_task_store_count (f->store, &q, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (n, ==, (gint64) page->len);
          if (first < 0)
            first = n;
          if (n != first)
            g_error ("“%s” finds %" G_GINT64_FORMAT " tasks, “%s” %" G_GINT64_FORMAT,
                     groups[g].searches[0], first, groups[g].searches[i], n);
        }
      if (groups[g].found >= 0)
        g_assert_cmpint (first, ==, groups[g].found);
    }
}

/* The set of ids a name search makes (store_find_names()) answers
 * winnow_in_set() as "IN" would: close ids (a bit each), ids far apart
 * (a sorted list), given in any order, none; a set the connection no
 * longer keeps is an error, not an answer. */
/* winnow_in_set (@set, @id): 0 or 1, or -1 for an error */
static int
in_set (sqlite3 *db, gint64 set, gint64 id)
{
  sqlite3_stmt *s = NULL;
  int rc, found = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT winnow_in_set (?1, ?2)", -1, &s, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_int64 (s, 1, set);
  sqlite3_bind_int64 (s, 2, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    found = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);
  return found;
}

static void
test_id_sets (void)
{
  static const gint64 dense[] = { 70, 3, 5, 64, 65, 127, 128, 4 };
  static const gint64 sparse[] = { G_GINT64_CONSTANT (1) << 40, -7, 12, 9000000000 };
  static const gint64 one = 1;
  StoreNames *names;
  sqlite3 *db;
  gint64 set, empty;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  names = store_register_name_functions (db);
  g_assert_nonnull (names);

  set = store_names_make_set (names, dense, G_N_ELEMENTS (dense));
  for (gint64 id = -2; id < 200; id++)
    {
      gboolean expected = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (dense); i++)
        expected |= dense[i] == id;
      g_assert_cmpint (in_set (db, set, id), ==, expected);
    }

  set = store_names_make_set (names, sparse, G_N_ELEMENTS (sparse));
  for (guint i = 0; i < G_N_ELEMENTS (sparse); i++)
    {
      g_assert_cmpint (in_set (db, set, sparse[i]), ==, 1);
      g_assert_cmpint (in_set (db, set, sparse[i] + 1), ==, 0);
      g_assert_cmpint (in_set (db, set, sparse[i] - 1), ==, 0);
    }
  g_assert_cmpint (in_set (db, set, G_MININT64), ==, 0);
  g_assert_cmpint (in_set (db, set, G_MAXINT64), ==, 0);

  /* none */
  empty = store_names_make_set (names, NULL, 0);
  g_assert_cmpint (in_set (db, empty, 0), ==, 0);
  g_assert_cmpint (in_set (db, empty, 1), ==, 0);

  /* the sets before the last few are let go */
  for (guint i = 0; i < 8; i++)
    store_names_make_set (names, &one, 1);
  g_assert_cmpint (in_set (db, set, sparse[0]), ==, -1);
  g_assert_cmpint (in_set (db, 0, 1), ==, -1);
  g_assert_cmpint (in_set (db, -5, 1), ==, -1);
  g_assert_cmpint (in_set (db, G_MININT64, 1), ==, -1);
  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/name-index", test_name_index);
  ADD ("/store/name-copy-shared", test_name_copy_shared);
  ADD ("/store/name-copy-restored", test_name_copy_restored);
  ADD ("/store/name-copy-restored-back", test_name_copy_restored_back);
  ADD ("/store/name-copy-restored-same-last", test_name_copy_restored_same_last);
  ADD ("/store/name-searches-kept", test_name_searches_kept);
  ADD ("/store/name-folding", test_name_folding);
  g_test_add_func ("/store/id-sets", test_id_sets);
#undef ADD

  return g_test_run ();
}
