/* winnow-ui-test-util.h: what the window's tests share: an application
 * of their own (its history and saved recipes in the test's folder),
 * taken down cleanly, and waiting on the main loop with a deadline. */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"
#include "winnow-test-util.h"
#include "winnow-window.h"

G_BEGIN_DECLS

void               winnow_ui_test_init      (int *argc,
                                             char ***argv);
WinnowApplication *winnow_ui_test_app_new   (const char *dir);
void               winnow_ui_test_app_free  (WinnowApplication *app);

/* The store may not be called on the thread that draws (the tests run
 * with that check on): these call it on a thread of their own. */
WinnowTask        *winnow_ui_test_get_task  (WinnowApplication *app,
                                             gint64 id);
WinnowTask        *winnow_ui_test_add_task  (WinnowApplication *app,
                                             const char *input,
                                             const char *output,
                                             const char *recipe_json);
void               winnow_ui_test_settle    (WinnowApplication *app);

G_END_DECLS
