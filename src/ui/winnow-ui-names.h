/* winnow-ui-names.h: the names a screen reader says, for the widgets GTK
 * 4.8 and libadwaita 1.2 leave unnamed or name twice. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void winnow_ui_install_accessible_names (void);
void winnow_ui_name_widgets             (GtkWidget *root);
void winnow_ui_fix_button_name          (GtkWidget *button,
                                         const char *name);
void winnow_ui_set_accessible_label     (GtkWidget *widget,
                                         const char *label);
void winnow_ui_name_cell                (GtkWidget *child,
                                         const char *text);

G_END_DECLS
