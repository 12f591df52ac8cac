/* winnow-window.h: the main window: the task list (or an invitation to
 * drop files), each task's page, files dropped or opened, and toasts. */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_WINDOW (winnow_window_get_type ())
G_DECLARE_FINAL_TYPE (WinnowWindow, winnow_window, WINNOW, WINDOW, AdwApplicationWindow)

WinnowWindow *winnow_window_new        (WinnowApplication *app);
guint         winnow_window_add_files  (WinnowWindow *window,
                                        GPtrArray *files);
void          winnow_window_show_task  (WinnowWindow *window,
                                        gint64 id);
void          winnow_window_show_list  (WinnowWindow *window);
void          winnow_window_toast      (WinnowWindow *window,
                                        AdwToast *toast);
void          winnow_window_say_busy   (WinnowWindow *window,
                                        const char *what,
                                        gboolean busy);

G_END_DECLS
