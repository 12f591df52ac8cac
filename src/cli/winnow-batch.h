/* winnow-batch.h: `winnow --batch`, the headless face of the engine
 * (docs/BEHAVIOUR.md 11.2). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of winnow --batch. */
#define WINNOW_EXIT_OK 0
#define WINNOW_EXIT_FAILED 1
#define WINNOW_EXIT_USAGE 2

int winnow_batch_main (int argc, char **argv);

G_END_DECLS
