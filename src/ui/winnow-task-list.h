/* winnow-task-list.h: the task list as a GListModel that reads the store a
 * page at a time, off the thread that draws, so that a history of 100,000
 * tasks scrolls and filters at once. Running tasks' rows update in place
 * from the scheduler; other processes' work shows within a second. */
#pragma once

#include <gio/gio.h>

#include "winnow-scheduler.h"
#include "winnow-task-store.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_TASK_LIST (winnow_task_list_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskList, winnow_task_list, WINNOW, TASK_LIST, GObject)

WinnowTaskList *winnow_task_list_new          (WinnowTaskStore *store,
                                               WinnowScheduler *scheduler);
void            winnow_task_list_set_statuses (WinnowTaskList *list,
                                               guint statuses);
void            winnow_task_list_set_name     (WinnowTaskList *list,
                                               const char *name);
void            winnow_task_list_set_range    (WinnowTaskList *list,
                                               GDateTime *from,
                                               GDateTime *until);
void            winnow_task_list_set_sort     (WinnowTaskList *list,
                                               WinnowTaskSort sort,
                                               gboolean descending);
void            winnow_task_list_hide         (WinnowTaskList *list,
                                               gint64 id);
void            winnow_task_list_unhide       (WinnowTaskList *list,
                                               gint64 id);
const GArray   *winnow_task_list_get_hidden   (WinnowTaskList *list);
void            winnow_task_list_hide_finished (WinnowTaskList *list,
                                               gint64 upto_id,
                                               const GArray *keep);
void            winnow_task_list_refresh      (WinnowTaskList *list);
void            winnow_task_list_close        (WinnowTaskList *list);
gint64          winnow_task_list_get_total    (WinnowTaskList *list);
gboolean        winnow_task_list_is_filtered  (WinnowTaskList *list);

G_END_DECLS
