/* winnow-task-result.h: a finished task's row in task_results, as JSON
 * texts: the store does not know the engine's types. The engine writes
 * and reads them (winnow-result-record.c); a new count is a new member of
 * the summary, with no change to the store.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  gint64 rows_read;       /* also kept on the task's row (rows_in, rows_out), */
  gint64 rows_written;    /* where the task list sorts on them */
  char *summary;          /* JSON object: the counts, sizes, time, encoding,
                           * warnings: every member but the two below */
  char *columns;          /* JSON list of column profiles */
  char *preview;          /* JSON {"header": [...], "rows": [[...], ...]} */
} WinnowTaskResult;

GType             winnow_task_result_get_type (void) G_GNUC_CONST;
#define WINNOW_TYPE_TASK_RESULT (winnow_task_result_get_type ())

WinnowTaskResult *winnow_task_result_new  (void);
WinnowTaskResult *winnow_task_result_copy (const WinnowTaskResult *result);
void              winnow_task_result_free (WinnowTaskResult *result);
gboolean          winnow_task_result_equal (const WinnowTaskResult *a,
                                            const WinnowTaskResult *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowTaskResult, winnow_task_result_free)

G_END_DECLS
