/* winnow-about.h: the About window, and the troubleshooting text it
 * offers for bug reports: the versions of Winnow and its libraries and
 * the state of the task history. */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"

G_BEGIN_DECLS

void  winnow_about_debug_info_async  (WinnowApplication *app,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
char *winnow_about_debug_info_finish (GAsyncResult *result,
                                      GError **error);
void  winnow_about_show              (WinnowApplication *app,
                                      GtkWindow *parent);

G_END_DECLS
