/* winnow-test-util.h: helpers shared by the tests. */
#pragma once

#include <gio/gio.h>

#include "winnow-csv-reader.h"
#include "winnow-recipe.h"
#include "winnow-result.h"

G_BEGIN_DECLS

/* A recipe of version 1 whose other members are @steps, a string
 * literal: WINNOW_TEST_RECIPE (", \"trim_whitespace\": true"). */
#define WINNOW_TEST_RECIPE(steps) "{\"winnow_recipe\": 1" steps "}"

typedef struct {
  char *dir;
} WinnowTestDir;

void   winnow_test_dir_setup     (WinnowTestDir *fixture, gconstpointer data);
void   winnow_test_dir_teardown  (WinnowTestDir *fixture, gconstpointer data);

char  *winnow_test_write_file    (const char *dir,
                                  const char *name,
                                  const char *contents,
                                  gssize length);
char  *winnow_test_read_file     (const char *path);
char  *winnow_test_read_rows     (const char *path,
                                  const WinnowCsvReaderOptions *options,
                                  gboolean trim);
guint  winnow_test_count_files   (const char *dir);

char  *winnow_test_clean         (const char *recipe_json,
                                  const char *input,
                                  gssize input_length,
                                  WinnowResult **result,
                                  GError **error);
void   winnow_test_assert_clean  (const char *recipe_json,
                                  const char *input,
                                  const char *expected);

void   winnow_test_iterate_until (gboolean (*done) (gpointer data),
                                  gpointer data,
                                  guint seconds);

gboolean winnow_test_process_stat (const char *pid,
                                   char *state,
                                   guint64 *start);

/* A gate a worker thread waits at until the test opens it: the test can
 * hold a thread at a hook, check what it wants, then let it go. */
typedef struct {
  GMutex lock;
  GCond cond;
  gboolean entered;
  gboolean open;
} WinnowTestGate;

void     winnow_test_gate_init    (WinnowTestGate *gate);
void     winnow_test_gate_clear   (WinnowTestGate *gate);
void     winnow_test_gate_pass    (WinnowTestGate *gate);
gboolean winnow_test_gate_entered (gpointer gate);
void     winnow_test_gate_open    (WinnowTestGate *gate);

G_END_DECLS
