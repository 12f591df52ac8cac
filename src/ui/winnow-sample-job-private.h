/* winnow-sample-job-private.h: the hook the dialog's tests use to hold a
 * job before it reads a file. */
#pragma once

#include "winnow-sample-job.h"

G_BEGIN_DECLS

/* Called on the worker thread before a job reads a file. */
typedef void (*WinnowSampleJobHook) (gpointer data);
void winnow_sample_job_set_hook (WinnowSampleJobHook hook,
                                 gpointer data);

G_END_DECLS
