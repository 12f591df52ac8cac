/* winnow-rejects.h: the rejected-rows file, which says which rows a task
 * dropped and why (recipe output.rejects).
 *
 * It sits beside the output (winnow_output_file_rejects_path()), is written
 * while the output is, row by row as the rows go past (never held in
 * memory), with the output's delimiter, line end and formula guard, and
 * appears only together with the output. Its columns are `line` (the
 * physical line of the input where the row starts, the header being line
 * 1), `reason` (`duplicate`, `missing` or `bad_line`), `detail`, then every
 * input column, dropped ones included, with the fields exactly as they
 * were read: before trimming, and NA tokens as written. The rows are in
 * input order, and the output's rows plus these are the input's rows.
 *
 * The file is data for people and scripts: its header, reasons and
 * details are the same in every language, as the batch summary is.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-output-file.h"
#include "winnow-row-batch.h"

G_BEGIN_DECLS

typedef enum {
  WINNOW_REJECT_DUPLICATE,  /* detail: "of line N", the kept copy */
  WINNOW_REJECT_MISSING,    /* detail: the missing columns, "id, email" */
  WINNOW_REJECT_BAD_LINE,   /* detail: "expected N fields, saw M" */
} WinnowRejectReason;

typedef struct _WinnowRejects WinnowRejects;

WinnowRejects    *winnow_rejects_new        (const char *path,
                                             const char *input_path,
                                             gboolean replace,
                                             gunichar delimiter,
                                             gboolean crlf,
                                             gboolean formula_guard,
                                             GError **error);
void              winnow_rejects_free       (WinnowRejects *rejects);

gboolean          winnow_rejects_begin      (WinnowRejects *rejects,
                                             GPtrArray *column_names,
                                             GError **error);
void              winnow_rejects_add        (WinnowRejects *rejects,
                                             guint64 line,
                                             WinnowRejectReason reason,
                                             const char *detail,
                                             const WinnowRowBatch *batch,
                                             guint32 raw_start);
gboolean          winnow_rejects_failed     (const WinnowRejects *rejects);
gboolean          winnow_rejects_finish     (WinnowRejects *rejects,
                                             GError **error);
WinnowOutputFile *winnow_rejects_get_file   (WinnowRejects *rejects);

const char       *winnow_reject_reason_to_string (WinnowRejectReason reason);

gboolean          winnow_rejects_read_preview (const char *path,
                                               gunichar delimiter,
                                               guint max_rows,
                                               GPtrArray **header,
                                               GPtrArray **rows,
                                               guint64 *n_rows,
                                               GCancellable *cancellable,
                                               GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowRejects, winnow_rejects_free)

G_END_DECLS
