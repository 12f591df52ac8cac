/* winnow-task-rows.h: the task list as the views see it: one object per
 * place in the list, which shows whichever task stands there now. A
 * filter or a sort then rebinds the rows on screen instead of making
 * their widgets again (GTK 4.8 keeps a row's widgets only for the very
 * object it was bound to). */
#pragma once

#include <gio/gio.h>

#include "winnow-task.h"

G_BEGIN_DECLS

/* A change of more than WINNOW_TASK_ROWS_STEP places is told that many
 * places a turn of the main loop, and past WINNOW_TASK_ROWS_PACED places
 * all at once (winnow-task-rows.c) */
#define WINNOW_TASK_ROWS_STEP 24
#define WINNOW_TASK_ROWS_PACED 224

#define WINNOW_TYPE_TASK_ROWS (winnow_task_rows_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskRows, winnow_task_rows, WINNOW, TASK_ROWS, GObject)

WinnowTaskRows *winnow_task_rows_new      (GListModel *tasks);
GListModel     *winnow_task_rows_get_tasks (WinnowTaskRows *rows);
WinnowTask     *winnow_task_rows_get_task (WinnowTaskRows *rows,
                                           guint position);

G_END_DECLS
