/* winnow-task-table-private.h: the hooks the window's tests and
 * benchmarks use to reach into the task list widget. */
#pragma once

#include "winnow-task-table.h"

G_BEGIN_DECLS

GtkColumnView      *winnow_task_table_get_column_view (WinnowTaskTable *table);
GtkSingleSelection *winnow_task_table_get_selection   (WinnowTaskTable *table);
void                winnow_task_table_set_filter      (WinnowTaskTable *table,
                                                       guint statuses,
                                                       const char *name);

G_END_DECLS
