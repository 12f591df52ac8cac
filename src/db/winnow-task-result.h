/* winnow-task-result.h: a finished task's row in task_results (SPEC
 * section 5), as plain values and JSON texts: the store does not know the
 * engine's types. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  gint64 rows_read;
  gint64 rows_written;
  gint64 duplicates_removed;
  gint64 missing_dropped;
  gint64 bad_lines_skipped;
  gint64 cells_filled;
  gint64 bytes_in;
  gint64 bytes_out;
  double elapsed;
  char *encoding;
  char *delimiter;
  char *columns_dropped;  /* JSON list of names */
  char *fills;            /* JSON object: column -> cells filled */
  char *warnings;         /* JSON list of texts */
  char *profile;          /* JSON list of column profiles */
  char *preview;          /* JSON {"header": [...], "rows": [[...], ...]} */
} WinnowTaskResult;

GType             winnow_task_result_get_type (void) G_GNUC_CONST;
#define WINNOW_TYPE_TASK_RESULT (winnow_task_result_get_type ())

WinnowTaskResult *winnow_task_result_new  (void);
WinnowTaskResult *winnow_task_result_copy (const WinnowTaskResult *result);
void              winnow_task_result_free (WinnowTaskResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowTaskResult, winnow_task_result_free)

G_END_DECLS
