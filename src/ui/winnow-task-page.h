/* winnow-task-page.h: one task, whole: its status, recipe, results,
 * column profile and a preview of the cleaned rows, with what can be done
 * with it (open the output, show it, retry, cancel, delete). */
#pragma once

#include <adwaita.h>

#include "winnow-scheduler.h"
#include "winnow-task-meter.h"
#include "winnow-task-store.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_TASK_PAGE (winnow_task_page_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskPage, winnow_task_page, WINNOW, TASK_PAGE, GtkWidget)

void        winnow_task_page_set_engine (WinnowTaskPage *page,
                                         WinnowTaskStore *store,
                                         WinnowScheduler *scheduler,
                                         WinnowTaskMeter *meter);
void        winnow_task_page_show       (WinnowTaskPage *page,
                                         gint64 id);

G_END_DECLS
