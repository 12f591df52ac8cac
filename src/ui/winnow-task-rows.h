/* winnow-task-rows.h: the task list as the views see it: one object per
 * place in the list, which shows whichever task stands there now. A
 * filter or a sort then rebinds the rows on screen instead of making
 * their widgets again (GTK 4.8 keeps a row's widgets only for the very
 * object it was bound to). */
#pragma once

#include <gio/gio.h>

#include "winnow-task.h"

G_BEGIN_DECLS

/* Places added beyond WINNOW_TASK_ROWS_STEP are told that many a turn of
 * the main loop, and past WINNOW_TASK_ROWS_PACED places all at once;
 * places removed go at once but for the rows the views hold, which go
 * WINNOW_TASK_ROWS_STEP rows a turn (winnow-task-rows.c) */
#define WINNOW_TASK_ROWS_STEP 12
#define WINNOW_TASK_ROWS_PACED 240

#define WINNOW_TYPE_TASK_ROWS (winnow_task_rows_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskRows, winnow_task_rows, WINNOW, TASK_ROWS, GObject)

WinnowTaskRows *winnow_task_rows_new      (GListModel *tasks);
GListModel     *winnow_task_rows_get_tasks (WinnowTaskRows *rows);
WinnowTask     *winnow_task_rows_get_task (WinnowTaskRows *rows,
                                           guint position);
gint64          winnow_task_rows_get_place (WinnowTaskRows *rows,
                                            guint index);

G_END_DECLS
