/* store-bench.c: times the task list's queries on a database of 100,000
 * tasks with results (issue goal: each under 5 ms).
 *
 * usage: store-bench [DB]     (default: a temporary file, removed after)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "bench-history-fill.h"
#include "winnow-task-store.h"

#define N_TASKS BENCH_HISTORY_TASKS

typedef enum {
  FIRST_PAGE,
  MIDDLE_PAGE,     /* a jump to the middle */
  DEEPEST_PAGE,    /* a jump to the last page */
  NEXT_PAGE,       /* the last page, by key after the one before */
  COUNT,
} What;

static const char * const what_names[] = { "first page", "middle page", "deepest page",
                                           "next page by key", "count" };

static double worst;

/* Runs @query's @what 11 times; prints the median time. */
static void
measure (WinnowTaskStore *store, const char *label, const WinnowTaskQuery *query, What what)
{
  double times[11];
  gint64 n = 0, total = 0;
  guint offset = 0;
  g_autoptr(WinnowTask) key = NULL;

  if (what != FIRST_PAGE && what != COUNT)
    {
      n = winnow_task_store_count (store, query, &total, NULL);
      offset = what == MIDDLE_PAGE ? (guint) (n / 2) : n > 100 ? (guint) (n - 100) : 0;
      if (what == NEXT_PAGE && offset >= 100)
        {
          g_autoptr(GPtrArray) before = winnow_task_store_query (store, query, offset - 1, 1, NULL);
          if (before->len > 0)
            key = g_object_ref (g_ptr_array_index (before, 0));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();
      if (what == COUNT)
        n = winnow_task_store_count (store, query, &total, NULL);
      else
        {
          g_autoptr(GPtrArray) page = key != NULL
            ? winnow_task_store_query_after (store, query, key, 100, NULL)
            : what == DEEPEST_PAGE ? winnow_task_store_query_last (store, query, 0, 100, NULL)
            : winnow_task_store_query (store, query, what == FIRST_PAGE ? 0 : offset, 100, NULL);
          n = page->len;
        }
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (times); j++)
      if (times[j] < times[i])
        {
          double t = times[i];
          times[i] = times[j];
          times[j] = t;
        }
  worst = MAX (worst, times[G_N_ELEMENTS (times) / 2]);
  printf ("%-44s %-17s %7.2f ms  (%" G_GINT64_FORMAT " %s)%s\n", label, what_names[what],
          times[G_N_ELEMENTS (times) / 2], n, what == COUNT ? "counted" : "rows",
          times[G_N_ELEMENTS (times) / 2] > 5.0 ? "  > 5 ms" : "");
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; guint statuses; } filters[] = {
    { "all", 0 },
    { "failed", 1u << WINNOW_TASK_FAILED },
    { "completed", 1u << WINNOW_TASK_COMPLETED },
    { "failed + cancelled", (1u << WINNOW_TASK_FAILED) | (1u << WINNOW_TASK_CANCELLED) },
  };
  static const struct { const char *name; WinnowTaskSort sort; } sorts[] = {
    { "created", WINNOW_TASK_SORT_CREATED }, { "file", WINNOW_TASK_SORT_FILE },
    { "status", WINNOW_TASK_SORT_STATUS }, { "progress", WINNOW_TASK_SORT_PROGRESS },
    { "rows in", WINNOW_TASK_SORT_ROWS_IN }, { "rows out", WINNOW_TASK_SORT_ROWS_OUT },
    { "duration", WINNOW_TASK_SORT_DURATION },
  };
  g_autoptr(GDateTime) june = g_date_time_new_utc (2026, 2, 15, 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_new_utc (2026, 3, 2, 0, 0, 0);
  g_autoptr(GDateTime) day_end = g_date_time_new_utc (2026, 3, 3, 0, 0, 0);
  WinnowTaskQuery all = { .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
  gint64 start;

  if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
    {
      fprintf (stderr, "usage: %s [DB]   (fills DB, or a temporary one, with 100,000 tasks)\n", argv[0]);
      return 2;
    }
  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      dir = g_dir_make_tmp ("winnow-store-bench-XXXXXX", NULL);
      path = g_build_filename (dir, "tasks.db", NULL);
    }
  store = winnow_task_store_new (path, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  if (winnow_task_store_count (store, &all, NULL, NULL) == 0)
    {
      g_clear_object (&store);
      start = g_get_monotonic_time ();
      if (!bench_history_fill (path, N_TASKS, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      printf ("filled %d tasks with results in %.1f s\n", N_TASKS,
              (g_get_monotonic_time () - start) / 1e6);
      store = winnow_task_store_new (path, &error);
    }
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    for (guint o = 0; o < G_N_ELEMENTS (sorts); o++)
      for (guint d = 0; d < 2; d++)
        {
          WinnowTaskQuery query = { .statuses = filters[f].statuses, .sort = sorts[o].sort,
                                    .descending = d == 1 };
          g_autofree char *label = g_strdup_printf ("status %s, by %s %s", filters[f].name,
                                                    sorts[o].name, d ? "desc" : "asc");
          measure (store, label, &query, FIRST_PAGE);
          measure (store, label, &query, MIDDLE_PAGE);
          measure (store, label, &query, DEEPEST_PAGE);
          measure (store, label, &query, NEXT_PAGE);
          if (o == 0 && d == 0)
            measure (store, label, &query, COUNT);
        }
  {
    WinnowTaskQuery named = { .name = "orders_123", .sort = WINNOW_TASK_SORT_CREATED, .descending = TRUE };
    WinnowTaskQuery common = { .name = "ord", .sort = WINNOW_TASK_SORT_DURATION, .descending = TRUE };
    WinnowTaskQuery since = { .created_from = june, .statuses = 1u << WINNOW_TASK_FAILED,
                              .sort = WINNOW_TASK_SORT_ROWS_IN };
    /* too short for the names' trigrams: the names in memory */
    WinnowTaskQuery short_name = { .name = "rs", .sort = WINNOW_TASK_SORT_FILE };
    WinnowTaskQuery one_letter = { .name = "e", .sort = WINNOW_TASK_SORT_DURATION };
    /* few tasks in the range: taken from the index on the time */
    WinnowTaskQuery one_day = { .created_from = day, .created_until = day_end,
                                .sort = WINNOW_TASK_SORT_DURATION, .descending = TRUE };
    measure (store, "name contains orders_123", &named, FIRST_PAGE);
    measure (store, "name contains orders_123", &named, COUNT);
    measure (store, "name contains ord, by duration", &common, FIRST_PAGE);
    measure (store, "name contains ord, by duration", &common, MIDDLE_PAGE);
    measure (store, "name contains ord, by duration", &common, DEEPEST_PAGE);
    measure (store, "name contains ord", &common, COUNT);
    measure (store, "failed since Feb 15, by rows in", &since, FIRST_PAGE);
    measure (store, "failed since Feb 15, by rows in", &since, MIDDLE_PAGE);
    measure (store, "failed since Feb 15, by rows in", &since, DEEPEST_PAGE);
    measure (store, "failed since Feb 15", &since, COUNT);
    measure (store, "name contains rs, by file", &short_name, FIRST_PAGE);
    measure (store, "name contains rs, by file", &short_name, MIDDLE_PAGE);
    measure (store, "name contains rs", &short_name, COUNT);
    measure (store, "name contains e, by duration", &one_letter, FIRST_PAGE);
    measure (store, "name contains e, by duration", &one_letter, DEEPEST_PAGE);
    measure (store, "name contains e", &one_letter, COUNT);
    measure (store, "created on Mar 2, by duration", &one_day, FIRST_PAGE);
    measure (store, "created on Mar 2, by duration", &one_day, DEEPEST_PAGE);
    measure (store, "created on Mar 2", &one_day, COUNT);
  }
  printf ("slowest median: %.2f ms\n", worst);

  /* The medians above ask each search again in the same state of the
   * history, answered with what it found the first time; asked for the
   * first time, a search looks the names up too. "rder" and "orders"
   * find the tasks "ord" finds, "v" every task. */
  {
    static const struct { const char *count, *page, *like; } fresh[] = {
      { "rder", "orders", "ord" },
      { "s_", "v", "e" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (fresh); i++)
      {
        WinnowTaskQuery like = { .name = fresh[i].like };
        WinnowTaskQuery count = { .name = fresh[i].count };
        WinnowTaskQuery page = { .name = fresh[i].page, .sort = WINNOW_TASK_SORT_DURATION,
                                 .descending = TRUE };
        gint64 n = winnow_task_store_count (store, &like, NULL, NULL);
        double count_ms;
        g_autoptr(GPtrArray) tasks = NULL;

        start = g_get_monotonic_time ();
        winnow_task_store_count (store, &count, NULL, NULL);
        count_ms = (g_get_monotonic_time () - start) / 1000.0;
        start = g_get_monotonic_time ();
        tasks = winnow_task_store_query (store, &page, (guint) (n / 2), 100, NULL);
        printf ("a search asked for the first time (%s): count %.2f ms, middle page by duration "
                "%.2f ms\n", i == 0 ? "trigrams" : "names in memory", count_ms,
                (g_get_monotonic_time () - start) / 1000.0);
      }
  }

  /* once per store: its copy of the names read whole */
  g_clear_object (&store);
  store = winnow_task_store_new (path, &error);
  winnow_task_store_count (store, &all, NULL, NULL);
  start = g_get_monotonic_time ();
  winnow_task_store_count (store, &(WinnowTaskQuery) { .name = "rs" }, NULL, NULL);
  printf ("a short search on a new store (its names read): %.1f ms\n",
          (g_get_monotonic_time () - start) / 1000.0);

  g_clear_object (&store);
  if (dir != NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
          g_unlink (file);
        }
      g_rmdir (dir);
    }
  return 0;
}
