/* bench-history-fill.h: a task history of many finished tasks, for the
 * benchmarks of the store and the window. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BENCH_HISTORY_TASKS 100000

gboolean bench_history_fill (const char *path,
                             guint n_tasks,
                             GError **error);

G_END_DECLS
