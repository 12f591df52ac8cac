/* winnow-test-util.h: helpers shared by the tests. */
#pragma once

#include <gio/gio.h>

#include "winnow-recipe.h"
#include "winnow-result.h"

G_BEGIN_DECLS

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
guint  winnow_test_count_files   (const char *dir);

char  *winnow_test_clean         (const char *recipe_json,
                                  const char *input,
                                  gssize input_length,
                                  WinnowResult **result,
                                  GError **error);
void   winnow_test_assert_clean  (const char *recipe_json,
                                  const char *input,
                                  const char *expected);

G_END_DECLS
