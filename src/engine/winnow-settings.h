/* winnow-settings.h: the app's settings (GSettings schema
 * io.github.winnow.Winnow), found the same way by the window and by
 * `winnow --batch`: among the installed schemas, through
 * GSETTINGS_SCHEMA_DIR (a build folder: build-aux/run.sh and the tests set
 * it), or in the folder the schema is installed to under the build's
 * prefix (an install outside XDG_DATA_DIRS). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *winnow_settings_new (void);

G_END_DECLS
