/* winnow-task.h: one task (a file, a recipe, a status) as stored in the
 * task database; a GObject so that the task list can bind to it and
 * update live as its status and progress change. */
#pragma once

#include <glib-object.h>

#include "winnow-task-result.h"

G_BEGIN_DECLS

typedef enum {
  WINNOW_TASK_PENDING,
  WINNOW_TASK_PROCESSING,
  WINNOW_TASK_COMPLETED,
  WINNOW_TASK_FAILED,
  WINNOW_TASK_CANCELLED,
} WinnowTaskStatus;

#define WINNOW_TASK_N_STATUSES 5

GType winnow_task_status_get_type (void) G_GNUC_CONST;
#define WINNOW_TYPE_TASK_STATUS (winnow_task_status_get_type ())

const char *winnow_task_status_to_string   (WinnowTaskStatus status);
gboolean    winnow_task_status_from_string (const char *text,
                                            WinnowTaskStatus *status);
gboolean    winnow_task_status_is_final    (WinnowTaskStatus status);

#define WINNOW_TYPE_TASK (winnow_task_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTask, winnow_task, WINNOW, TASK, GObject)

WinnowTask       *winnow_task_new             (gint64 id);

gint64            winnow_task_get_id          (WinnowTask *task);
const char       *winnow_task_get_input_path  (WinnowTask *task);
const char       *winnow_task_get_output_path (WinnowTask *task);
const char       *winnow_task_get_file_name   (WinnowTask *task);
WinnowTaskStatus  winnow_task_get_status      (WinnowTask *task);
const char       *winnow_task_get_recipe      (WinnowTask *task);
GDateTime        *winnow_task_get_created     (WinnowTask *task);
GDateTime        *winnow_task_get_started     (WinnowTask *task);
GDateTime        *winnow_task_get_finished    (WinnowTask *task);
double            winnow_task_get_progress    (WinnowTask *task);
guint             winnow_task_get_attempts    (WinnowTask *task);
const char       *winnow_task_get_error       (WinnowTask *task);
gint64            winnow_task_get_rows_in     (WinnowTask *task);
gint64            winnow_task_get_rows_out    (WinnowTask *task);
double            winnow_task_get_duration    (WinnowTask *task);
const char       *winnow_task_get_lease_owner (WinnowTask *task);
WinnowTaskResult *winnow_task_get_result      (WinnowTask *task);
gboolean          winnow_task_get_replace_output (WinnowTask *task);

void              winnow_task_set_input_path  (WinnowTask *task, const char *path);
void              winnow_task_set_output_path (WinnowTask *task, const char *path);
void              winnow_task_set_status      (WinnowTask *task, WinnowTaskStatus status);
void              winnow_task_set_recipe      (WinnowTask *task, const char *json);
void              winnow_task_set_created     (WinnowTask *task, GDateTime *time);
void              winnow_task_set_started     (WinnowTask *task, GDateTime *time);
void              winnow_task_set_finished    (WinnowTask *task, GDateTime *time);
void              winnow_task_set_progress    (WinnowTask *task, double progress);
void              winnow_task_set_attempts    (WinnowTask *task, guint attempts);
void              winnow_task_set_error       (WinnowTask *task, const char *error);
void              winnow_task_set_rows        (WinnowTask *task, gint64 rows_in, gint64 rows_out);
void              winnow_task_set_duration    (WinnowTask *task, double seconds);
void              winnow_task_set_lease_owner (WinnowTask *task, const char *owner);
void              winnow_task_set_result      (WinnowTask *task, WinnowTaskResult *result);
void              winnow_task_set_replace_output (WinnowTask *task, gboolean replace);
void              winnow_task_update_from     (WinnowTask *task, WinnowTask *other);
void              winnow_task_fill_placeholder (WinnowTask *placeholder, WinnowTask *task);
void              winnow_task_become          (WinnowTask *task, WinnowTask *other);

G_END_DECLS
