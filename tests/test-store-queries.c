/* test-store-queries.c: the task store's list queries: every sort and
 * filter, by position, from the end and by key before and after, against
 * a plain in-memory filter of 100,000 tasks; and the plan of every page,
 * a walk down indexes that never sorts every matching row. */
#include "config.h"

#include <string.h>

#include "store-util.h"

#define N_QUERY_TASKS 100000

typedef struct {
  gint64 id;
  char *file_name;
  WinnowTaskStatus status;
  char *created;
  double progress;
  gint64 rows_in;   /* -1: NULL */
  gint64 rows_out;
  double duration;  /* < 0: NULL */
} Row;

static const char * const words[] = { "Orders", "customers", "SALES", "report", "Inventory",
                                      "leads", "survey", "Q3_100%", "log", "Été", "say\"hi" };

static GArray *
build_history (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
  sqlite3 *db;
  sqlite3_stmt *s;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "INSERT INTO tasks (id, input_path, output_path, file_name, status, recipe, created_at,"
    " progress, rows_in, rows_out, duration) VALUES (?, ?, '/o.csv', ?, ?, '{}', ?, ?, ?, ?, ?)",
    -1, &s, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < N_QUERY_TASKS; i++)
    {
      Row row;
      g_autoptr(GDateTime) base = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) when = g_date_time_add_seconds (base, g_rand_int_range (rand, 0, 300 * 86400));
      g_autofree char *input = NULL;

      row.id = i + 1;
      row.file_name = g_strdup_printf ("%s_%05u.csv", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                       g_rand_int_range (rand, 0, 50000));
      row.status = (WinnowTaskStatus) g_rand_int_range (rand, 0, WINNOW_TASK_N_STATUSES);
      row.created = winnow_store_format_time (when);
      row.progress = row.status == WINNOW_TASK_COMPLETED ? 1 : g_rand_int_range (rand, 0, 100) / 100.0;
      row.rows_in = row.status == WINNOW_TASK_COMPLETED ? g_rand_int_range (rand, 0, 1000000) : -1;
      row.rows_out = row.rows_in >= 0 ? row.rows_in / 2 : -1;
      row.duration = winnow_task_status_is_final (row.status) ? g_rand_int_range (rand, 0, 5000) / 10.0 : -1;
      input = g_strconcat ("/data/", row.file_name, NULL);

      sqlite3_reset (s);
      sqlite3_bind_int64 (s, 1, row.id);
      sqlite3_bind_text (s, 2, input, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (s, 3, row.file_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 4, winnow_task_status_to_string (row.status), -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 5, row.created, -1, SQLITE_STATIC);
      sqlite3_bind_double (s, 6, row.progress);
      if (row.rows_in >= 0)
        {
          sqlite3_bind_int64 (s, 7, row.rows_in);
          sqlite3_bind_int64 (s, 8, row.rows_out);
        }
      else
        {
          sqlite3_bind_null (s, 7);
          sqlite3_bind_null (s, 8);
        }
      if (row.duration >= 0)
        sqlite3_bind_double (s, 9, row.duration);
      else
        sqlite3_bind_null (s, 9);
      g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
      g_array_append_val (rows, row);
    }
  sqlite3_finalize (s);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  return rows;
}

static const WinnowTaskQuery *current_query;

/* SQLite's order: NULL first, NOCASE folds ASCII only, ties by id. */
static int
compare_rows (gconstpointer pa, gconstpointer pb)
{
  const Row *a = pa, *b = pb;
  int c = 0;

  switch (current_query->sort)
    {
    case WINNOW_TASK_SORT_CREATED: c = strcmp (a->created, b->created); break;
    case WINNOW_TASK_SORT_FILE: c = g_ascii_strcasecmp (a->file_name, b->file_name); break;
    case WINNOW_TASK_SORT_STATUS:
      c = strcmp (winnow_task_status_to_string (a->status), winnow_task_status_to_string (b->status));
      break;
    case WINNOW_TASK_SORT_PROGRESS: c = (a->progress > b->progress) - (a->progress < b->progress); break;
    case WINNOW_TASK_SORT_ROWS_IN: c = (a->rows_in > b->rows_in) - (a->rows_in < b->rows_in); break;
    case WINNOW_TASK_SORT_ROWS_OUT: c = (a->rows_out > b->rows_out) - (a->rows_out < b->rows_out); break;
    case WINNOW_TASK_SORT_DURATION: c = (a->duration > b->duration) - (a->duration < b->duration); break;
    case WINNOW_TASK_SORT_ID:
    default: break;
    }
  if (c == 0)
    c = (a->id > b->id) - (a->id < b->id);
  return current_query->descending ? -c : c;
}

static gboolean
row_matches (const Row *row, const WinnowTaskQuery *q, const char *from, const char *until)
{
  if (q->statuses && !(q->statuses & (1u << row->status)))
    return FALSE;
  if (q->name)
    {
      /* case aside, non-ASCII letters too */
      g_autofree char *name = g_utf8_strdown (row->file_name, -1);
      g_autofree char *needle = g_utf8_strdown (q->name, -1);
      if (strstr (name, needle) == NULL)
        return FALSE;
    }
  if (from && strcmp (row->created, from) < 0)
    return FALSE;
  if (until && strcmp (row->created, until) >= 0)
    return FALSE;
  return TRUE;
}

static void
check_query (WinnowTaskStore *store, GArray *rows, const WinnowTaskQuery *q)
{
  g_autofree char *from = q->created_from ? winnow_store_format_time (q->created_from) : NULL;
  g_autofree char *until = q->created_until ? winnow_store_format_time (q->created_until) : NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GError) error = NULL;
  static const guint offsets[] = { 0, 50, 1000 };

  for (guint i = 0; i < rows->len; i++)
    if (row_matches (&g_array_index (rows, Row, i), q, from, until))
      g_array_append_val (expected, g_array_index (rows, Row, i));
  current_query = q;
  g_array_sort (expected, compare_rows);

  g_assert_cmpint (winnow_task_store_count (store, q, NULL, &error), ==, expected->len);
  for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
    {
      g_autoptr(GPtrArray) page = winnow_task_store_query (store, q, offsets[o], 50, &error);
      g_autoptr(GPtrArray) last = winnow_task_store_query_last (store, q, offsets[o], 50, &error);
      guint want = expected->len > offsets[o] ? MIN (50, expected->len - offsets[o]) : 0;

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, want);
      for (guint i = 0; i < page->len; i++)
        g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (page, i)), ==,
                         g_array_index (expected, Row, offsets[o] + i).id);
      /* the same page counted from the end */
      g_assert_cmpuint (last->len, ==, want);
      for (guint i = 0; i < last->len; i++)
        g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (last, i)), ==,
                         g_array_index (expected, Row, expected->len - offsets[o] - want + i).id);
      /* by key: the page after this one's last task, the page before its first */
      if (page->len > 0)
        {
          g_autoptr(GPtrArray) next =
            winnow_task_store_query_after (store, q, g_ptr_array_index (page, page->len - 1), 50,
                                           &error);
          g_autoptr(GPtrArray) previous =
            winnow_task_store_query_before (store, q, g_ptr_array_index (page, 0), 50, &error);
          guint start = offsets[o] + page->len;
          guint before = MIN (offsets[o], 50);

          g_assert_no_error (error);
          g_assert_cmpuint (next->len, ==, MIN (50, expected->len - start));
          for (guint i = 0; i < next->len; i++)
            g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (next, i)), ==,
                             g_array_index (expected, Row, start + i).id);
          g_assert_cmpuint (previous->len, ==, before);
          for (guint i = 0; i < previous->len; i++)
            g_assert_cmpint (winnow_task_get_id (g_ptr_array_index (previous, i)), ==,
                             g_array_index (expected, Row, offsets[o] - before + i).id);
        }
    }
}

/* Every page of the list is a walk down indexes, merged when it filters
 * on several statuses or reads on after a key: no plan sorts more than
 * the pages of its walks, each of them limited to the page's size (a
 * jump into the middle that sorted every matching row took 25-38 ms over
 * 100,000 tasks, the merge 2 ms). When few tasks match the name, or the
 * time range, they are taken from their index and sorted. */
static void
test_query_plans (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) hidden = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  const guint status_sets[] = { 0, 1u << WINNOW_TASK_FAILED,
                                (1u << WINNOW_TASK_FAILED) | (1u << WINNOW_TASK_CANCELLED),
                                (1u << WINNOW_TASK_PENDING) | (1u << WINNOW_TASK_PROCESSING) |
                                (1u << WINNOW_TASK_COMPLETED) };
  sqlite3 *db;
  guint plans = 0;

  g_array_append_val (hidden, (gint64) { 3 });
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_nonnull (store_register_name_functions (db));
  /* of the trigrams, and of the names in memory */
  const char *names[] = { "orders", "or" };

  for (guint sort = 0; sort <= WINNOW_TASK_SORT_ID; sort++)
    for (guint set = 0; set < G_N_ELEMENTS (status_sets); set++)
      for (guint filters = 0; filters < 64; filters++)
        for (guint shape = 0; shape < 6; shape++)
          {
            /* filters: the name, hidden tasks, few tasks named, a time
             * range, few tasks in it, the name a short one */
            StoreFinding finding = (filters & 4 ? STORE_LOOK_UP_NAMED : 0) |
                                   (filters & 16 ? STORE_SEEK_TIMES : 0);
            gboolean few = finding != 0;
            WinnowTaskQuery query = {
              .statuses = status_sets[set], .sort = sort, .descending = shape & 1,
              .name = filters & 5 ? names[filters / 32] : NULL,
              .hidden = filters & 2 ? hidden : NULL,
              .hide_finished_upto = filters & 2 ? 5 : 0,
              .created_from = filters & 24 ? from : NULL,
            };
            /* a page from the start, a page after a key, a jump's seek */
            g_autofree char *sql = store_walk_sql (&query, shape & 1, shape / 2 == 1, shape / 2 == 2,
                                                   finding);
            g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
            g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
            g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int));
            g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (int));
            sqlite3_stmt *s = NULL;
            gboolean looked_up = FALSE;

            g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &s, NULL), ==, SQLITE_OK);
            while (sqlite3_step (s) == SQLITE_ROW)
              {
                int id = sqlite3_column_int (s, 0), parent = sqlite3_column_int (s, 1);

                g_array_append_val (ids, id);
                g_array_append_val (parents, parent);
                g_ptr_array_add (details, g_strdup ((const char *) sqlite3_column_text (s, 3)));
              }
            sqlite3_finalize (s);
            for (guint r = 0; r < details->len; r++)
              {
                const char *detail = g_ptr_array_index (details, r);
                int parent = g_array_index (parents, int, r);
                gboolean in_walk = FALSE, of_pages = FALSE;

                looked_up |= strstr (detail, "USING INTEGER PRIMARY KEY (rowid=?)") != NULL;
                if (strstr (detail, "TEMP B-TREE FOR") == NULL || few)
                  continue;
                /* a sort inside a walk (its co-routine) sorts every row it
                 * finds; beside the scan of a walk's page, only that page,
                 * when each walk is limited to one */
                for (guint o = 0; o < details->len; o++)
                  {
                    const char *other = g_ptr_array_index (details, o);

                    if (g_array_index (ids, int, o) == parent &&
                        g_str_has_prefix (other, "CO-ROUTINE"))
                      in_walk = TRUE;
                    if (g_array_index (parents, int, o) == parent && o != r &&
                        g_str_has_prefix (other, "SCAN (subquery"))
                      of_pages = strstr (sql, " LIMIT ?8)") != NULL;
                  }
                if (in_walk || !of_pages)
                  g_error ("%s\nsorts every row it finds: %s", sql, detail);
              }
            if ((finding & STORE_LOOK_UP_NAMED) && !looked_up)
              g_error ("%s\nwalks past every task not named", sql);
            plans++;
          }
  sqlite3_close (db);
  g_assert_cmpuint (plans, ==, (WINNOW_TASK_SORT_ID + 1) * G_N_ELEMENTS (status_sets) * 64 * 6);
}

static void
test_queries (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) rows = build_history (f->path);
  g_autoptr(GDateTime) from = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr(GDateTime) until = g_date_time_new_utc (2026, 3, 15, 12, 0, 0);
  /* a day: few tasks, taken from the index on the time, where the two
   * weeks above are many, kept as a sort index is walked */
  g_autoptr(GDateTime) day = g_date_time_new_utc (2026, 6, 2, 0, 0, 0);
  g_autoptr(GDateTime) day_end = g_date_time_new_utc (2026, 6, 3, 0, 0, 0);
  /* many names and few (a walk of the sort index, or the named looked
   * up); searches too short for the names' trigrams, which the names in
   * memory answer (none named: an empty list to look up); a double quote,
   * in the phrase the trigrams are asked for */
  const char *names[] = { NULL, "orders", "Q3_100%", "_0000", "ÉTÉ", "tÉ", "y\"h", "q3", "zz" };
  const guint status_sets[] = { 0, 1u << WINNOW_TASK_FAILED,
                                (1u << WINNOW_TASK_PENDING) | (1u << WINNOW_TASK_PROCESSING) };

  /* every sort, both ways */
  for (guint sort = 0; sort <= WINNOW_TASK_SORT_ID; sort++)
    for (guint desc = 0; desc < 2; desc++)
      {
        WinnowTaskQuery q = { .sort = sort, .descending = desc };
        check_query (f->store, rows, &q);
      }
  /* every filter, alone and together */
  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    for (guint st = 0; st < G_N_ELEMENTS (status_sets); st++)
      for (guint range = 0; range < 3; range++)
        {
          WinnowTaskQuery q = { .statuses = status_sets[st], .name = names[n],
                                .created_from = range == 1 ? from : range == 2 ? day : NULL,
                                .created_until = range == 1 ? until : range == 2 ? day_end : NULL,
                                .sort = (n + st + range) % (WINNOW_TASK_SORT_ID + 1),
                                .descending = range == 1 };
          check_query (f->store, rows, &q);
        }
  for (guint i = 0; i < rows->len; i++)
    {
      g_free (g_array_index (rows, Row, i).file_name);
      g_free (g_array_index (rows, Row, i).created);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/queries", test_queries);
  ADD ("/store/query-plans", test_query_plans);
#undef ADD

  return g_test_run ();
}
