/* winnow-about.h: the About window, and the troubleshooting text it
 * offers for bug reports: the versions of Winnow and its libraries and
 * the state of the task history. */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"

G_BEGIN_DECLS

char *winnow_about_debug_info (WinnowApplication *app);
void  winnow_about_show       (WinnowApplication *app,
                               GtkWindow *parent);

G_END_DECLS
