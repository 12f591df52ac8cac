/* winnow-toast.h: taking a toast away safely (see winnow-toast.c). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void  winnow_toast_dismiss        (AdwToastOverlay *overlay,
                                   AdwToast        *toast);
guint winnow_toast_get_n_pending  (void);
gboolean winnow_toast_is_on_screen (AdwToastOverlay *overlay,
                                    AdwToast *toast);

G_END_DECLS
