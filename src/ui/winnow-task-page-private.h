/* winnow-task-page-private.h: what the rooms of the task page share
 * (winnow-task-page.c: the object, the task shown, its status and
 * progress; winnow-task-page-results.c: its recipe, results, columns and
 * rows; winnow-task-page-actions.c: the task.* actions), and the hooks
 * its tests use. Included by those files and the tests only. */
#pragma once

#include "winnow-task-meter.h"
#include "winnow-task-page.h"

G_BEGIN_DECLS

struct _WinnowTaskPage {
  GtkWidget parent_instance;

  AdwWindowTitle *title;
  GtkWidget *delete_button;
  GtkWidget *menu_button;
  GtkScrolledWindow *scroller;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkProgressBar *progress_bar;
  GtkLabel *progress_label;
  GtkLabel *error_label;
  GtkLabel *retry_note;
  GtkBox *actions;
  GtkWidget *open_button;
  GtkWidget *folder_button;
  GtkWidget *retry_button;
  GtkWidget *rerun_button;
  GtkWidget *cancel_button;
  AdwPreferencesGroup *recipe_group;
  AdwPreferencesGroup *results_group;
  AdwPreferencesGroup *warnings_group;
  AdwPreferencesGroup *columns_group;
  GtkWidget *preview_box;
  GtkLabel *preview_heading;
  GtkWidget *preview_table;
  GtkColumnView *preview_view;
  GtkWidget *preview_switcher;
  GtkStack *preview_stack;
  GtkLabel *rejected_heading;
  GtkWidget *rejected_table;
  GtkColumnView *rejected_view;

  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTaskMeter *meter;
  WinnowTask *task;
  gint64 wanted;            /* the task asked for, while it is read */
  GCancellable *cancellable; /* the read under way */
  GPtrArray *rows;          /* the rows added to the groups, to remove on reload */
  WinnowResult *columns_result;  /* while its columns' rows are added, a turn at a time */
  guint columns_added;      /* of columns_result's columns, the rows made so far */
  guint columns_limit;      /* ... and how many to make now: COLUMNS_FIRST before the
                             * row that shows the others, else all that are shown */
  guint columns_source;     /* the idle that makes the next ones */
  GtkWidget *columns_more;  /* the row that shows the others, while it is there */
  char *rejects_path;       /* the task's rejected rows, if its recipe keeps them */
  gunichar rejects_delimiter;
  GCancellable *rejects_cancellable;  /* the preview being read; its identity
                                       * says which reading is current */
  int can_retry;            /* -1 not known yet; else whether Retry could go otherwise */
  GCancellable *retry_cancellable;
};

/* winnow-task-page.c */
void        _winnow_task_page_reload         (WinnowTaskPage *self,
                                              gint64 id);
void        _winnow_task_page_update_status  (WinnowTaskPage *self);

/* winnow-task-page-results.c */
void        _winnow_task_page_clear_rows     (WinnowTaskPage *self);
void        _winnow_task_page_stop_columns   (WinnowTaskPage *self);
void        _winnow_task_page_fill_recipe    (WinnowTaskPage *self);
void        _winnow_task_page_fill_results   (WinnowTaskPage *self);
void        _winnow_task_page_fill_rejects   (WinnowTaskPage *self,
                                              gboolean completed);
void        _winnow_task_page_init_results   (WinnowTaskPage *self);

/* winnow-task-page-actions.c */
void        _winnow_task_page_class_init_actions (GtkWidgetClass *widget_class);
void        _winnow_task_page_check_retry    (WinnowTaskPage *self);

/* For tests. */
WinnowTask *winnow_task_page_get_task   (WinnowTaskPage *page);
gboolean    winnow_task_page_is_ready   (WinnowTaskPage *page);
GtkWidget  *winnow_task_page_get_child  (WinnowTaskPage *page,
                                         const char *name);

G_END_DECLS
