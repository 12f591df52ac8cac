/* winnow-sample-job.h: the configuration dialog's work off the main thread.
 *
 * One job reads what the dialog shows about the files: the first file's
 * sample (unless it is given one already), the headers of the others to
 * tell whether they differ, the column profile, and what the recipe does
 * to the sample. The dialog starts a new job whenever the recipe changes
 * and drops the answer of any job it has cancelled.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-recipe.h"
#include "winnow-result.h"
#include "winnow-sample.h"

G_BEGIN_DECLS

typedef struct {
  WinnowSample *sample;
  WinnowResult *profile;      /* columns with type and missing counts */
  WinnowResult *estimate;     /* what the recipe does to the sample, or NULL */
  GError *estimate_error;     /* why there is no estimate */
  GPtrArray *differing;       /* of char*: base names of files whose header differs */
} WinnowSampleReport;

void                winnow_sample_report_free (WinnowSampleReport *report);

void                winnow_sample_job_run_async  (GStrv paths,
                                                  WinnowSample *sample,
                                                  const WinnowRecipe *recipe,
                                                  gboolean profile,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data);
WinnowSampleReport *winnow_sample_job_finish     (GAsyncResult *result,
                                                  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowSampleReport, winnow_sample_report_free)

G_END_DECLS
