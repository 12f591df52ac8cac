/* winnow-preferences.h: the Preferences window: where cleaned files go,
 * how many are cleaned at once, the recipe new tasks start from,
 * notifications, and the saved recipes. Every control is bound to the
 * app's GSettings, so a change takes effect as it is made. */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_PREFERENCES (winnow_preferences_get_type ())
G_DECLARE_FINAL_TYPE (WinnowPreferences, winnow_preferences, WINNOW, PREFERENCES,
                      AdwPreferencesWindow)

GtkWidget     *winnow_preferences_new                    (WinnowApplication *app);
void           winnow_preferences_set_output_folder      (WinnowPreferences *prefs,
                                                          GFile *folder);

G_END_DECLS
