/* winnow-task-list-private.h: what the two rooms of the task list share
 * (winnow-task-list.c: the model, its pages and filters;
 *  winnow-task-list-refresh.c: reading the count and the pages around
 *  the one in view again, and following the history), and the hooks the
 * window's tests use. Included by those files and the tests only. */
#pragma once

#include "winnow-task-list.h"

G_BEGIN_DECLS

#define PAGE_SIZE 100
#define MAX_PAGES 30
/* A row this near a page's end asks for the next page (its start, for the
 * page before) if it is not there yet: scrolled to, it shows tasks, not
 * empty rows that fill a frame later. */
#define PREFETCH_ROWS 40
/* Pages read again by a refresh, around the one used last. */
#define REFRESH_PAGES 3
/* How often the history is asked whether anyone changed it. */
#define WATCH_MS 400
/* A change this process made is read back after this. */
#define REFRESH_DELAY_MS 60

typedef struct {
  guint index;
  GPtrArray *items;        /* WinnowTask: real ones, or placeholders (id 0) */
  gboolean loaded;
  gboolean loading;
  WinnowTask *first;       /* a copy of the first and last task as read: */
  WinnowTask *last;        /* the keys of the neighbouring pages */
} Page;

/* A copy of the query that a worker thread may read. */
typedef struct {
  WinnowTaskQuery query;
  char *name;
  GDateTime *from;
  GDateTime *until;
  GArray *hidden;
  GArray *hide_finished_keep;
} Snapshot;

struct _WinnowTaskList {
  GObject parent_instance;

  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTaskQuery query;
  char *name;
  GDateTime *from;
  GDateTime *until;
  GArray *hidden;
  GArray *hide_finished_keep;  /* or NULL */

  guint n_items;
  gint64 total;              /* every task, filters aside; -1 until read */
  GHashTable *pages;         /* page index -> Page */
  GQueue lru;                /* page indices, most recent first */
  GHashTable *by_id;         /* id -> WinnowTask on a page read */
  guint generation;          /* bumped when positions may have moved */

  GCancellable *cancellable;
  gboolean refreshing;
  gboolean refresh_again;
  gboolean reset_again;      /* the next refresh replaces every row */
  guint refresh_source;
  guint watch_source;
  gboolean watching;
  gint64 data_version;
  gboolean failed;           /* the last read failed: said once */
};

/* winnow-task-list.c */
Snapshot   *_winnow_task_list_snapshot_new   (WinnowTaskList *self);
void        _winnow_task_list_snapshot_free  (Snapshot *snapshot);
WinnowTask *_winnow_task_list_task_copy      (WinnowTask *task);
void        _winnow_task_list_set_bounds     (Page *page,
                                              GPtrArray *tasks);
void        _winnow_task_list_page_free      (gpointer page);
void        _winnow_task_list_rebuild_ids    (WinnowTaskList *self);
WinnowTask *_winnow_task_list_adopt          (WinnowTaskList *self,
                                              WinnowTask *task);
void        _winnow_task_list_say_failure    (WinnowTaskList *self,
                                              const GError *error);
void        _winnow_task_list_counts_changed (WinnowTaskList *self,
                                              guint old_n,
                                              gint64 total);

/* winnow-task-list-refresh.c */
void        _winnow_task_list_start_refresh  (WinnowTaskList *self,
                                              gboolean reset);
void        _winnow_task_list_follow         (WinnowTaskList *self);
void        _winnow_task_list_refresh_later  (WinnowTaskList *self);
void        _winnow_task_list_emit_reset     (WinnowTaskList *self);

/* For tests: whether a read is under way. */
gboolean    winnow_task_list_is_busy         (WinnowTaskList *list);

G_END_DECLS
