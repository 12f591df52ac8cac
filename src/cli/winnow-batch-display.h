/* winnow-batch-display.h: the progress of a batch run on stderr: on a
 * terminal, one line per running task redrawn in place under a count of
 * the tasks done; otherwise, plain lines at most once a second. */
#pragma once

#include <glib.h>

#include "winnow-cleaner.h"

G_BEGIN_DECLS

typedef struct _WinnowBatchDisplay WinnowBatchDisplay;

WinnowBatchDisplay *winnow_batch_display_new      (guint n_tasks,
                                                   gboolean terminal);
void                winnow_batch_display_free     (WinnowBatchDisplay *display);
void                winnow_batch_display_progress (WinnowBatchDisplay *display,
                                                   gint64 id,
                                                   const char *name,
                                                   double fraction,
                                                   guint64 rows,
                                                   WinnowPhase phase);
void                winnow_batch_display_finished (WinnowBatchDisplay *display,
                                                   gint64 id);
void                winnow_batch_display_clear    (WinnowBatchDisplay *display);

char               *winnow_batch_display_describe (guint64 rows,
                                                   double fraction,
                                                   double pass_seconds,
                                                   double task_seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowBatchDisplay, winnow_batch_display_free)

G_END_DECLS
