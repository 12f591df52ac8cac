/* winnow-task-table.h: the task list widget: status, date and name
 * filters over a sortable column view of the tasks. */
#pragma once

#include <adwaita.h>

#include "winnow-task-list.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_TASK_TABLE (winnow_task_table_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskTable, winnow_task_table, WINNOW, TASK_TABLE, GtkWidget)

void                winnow_task_table_set_list        (WinnowTaskTable *table,
                                                       WinnowTaskList *list);

G_END_DECLS
