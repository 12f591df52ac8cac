/* winnow-task-table.h: the task list widget: status, date and name
 * filters over the tasks, as a sortable table where there is room and as
 * two-line rows where there is not (down to 360 px). */
#pragma once

#include <adwaita.h>

#include "winnow-task-list.h"
#include "winnow-task-meter.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_TASK_TABLE (winnow_task_table_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskTable, winnow_task_table, WINNOW, TASK_TABLE, GtkWidget)

void winnow_task_table_set_list  (WinnowTaskTable *table,
                                  WinnowTaskList *list,
                                  WinnowTaskMeter *meter);
void winnow_task_table_search    (WinnowTaskTable *table);

G_END_DECLS
