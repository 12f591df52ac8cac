/* winnow-task-meter.h: how far the running tasks of this window are, in
 * words people read: rows read so far, the rate, the time left. It
 * follows the scheduler's task-started and task-progress signals (at most
 * ten a second per task) and keeps what they said; the list, the task
 * page and the notifications ask it. A finished task's duration and rate
 * come from its record. */
#pragma once

#include "winnow-scheduler.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_TASK_METER (winnow_task_meter_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskMeter, winnow_task_meter, WINNOW, TASK_METER, GObject)

typedef struct {
  double fraction;         /* of the whole task, 0 to 1 */
  guint64 rows;            /* rows read in the current pass */
  double rate;             /* rows a second in the current pass; 0 until known */
  double seconds_left;     /* < 0 until known */
  double elapsed;          /* seconds since the task started */
} WinnowMeterReading;

WinnowTaskMeter *winnow_task_meter_new        (WinnowScheduler *scheduler);
gboolean         winnow_task_meter_read       (WinnowTaskMeter *meter,
                                               gint64 id,
                                               WinnowMeterReading *reading);
char            *winnow_task_meter_describe   (WinnowTaskMeter *meter,
                                               WinnowTask *task);
char            *winnow_task_meter_describe_finished (WinnowTask *task);
char            *winnow_task_meter_format_rate (double rate);

G_END_DECLS
