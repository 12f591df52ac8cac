/* cli-util.h: what the tests of `winnow --batch` (test-cli.c,
 * test-cli-runs.c) share: the real binary run or started in a subprocess
 * in a test's folder, its history beside that folder, and what it
 * printed. */
#pragma once

#include <gio/gio.h>

#include "winnow-test-util.h"

G_BEGIN_DECLS

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

void run_clear (Run *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* A small file with a duplicate row and missing fields. */
extern const char sample[];

/* Extra NAME=VALUE environment (NULL-terminated, kept by the caller)
 * for the next run only. */
void         set_next_env    (const char * const *env);
void         set_next_child_setup (GSpawnChildSetupFunc setup);
/* Runs winnow with the arguments (NULL-terminated) in @dir; its history
 * is @dir + ".db", never the user's. */
void         run_winnow      (Run *run, const char *dir, ...) G_GNUC_NULL_TERMINATED;
/* The same, left running: finish_run() waits for it. */
GSubprocess *start_winnow    (const char *dir, ...) G_GNUC_NULL_TERMINATED;
void         finish_run      (Run *run, GSubprocess *process);
void         assert_contains (const char *haystack, const char *needle);

G_END_DECLS
