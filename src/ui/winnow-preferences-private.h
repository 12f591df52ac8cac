/* winnow-preferences-private.h: the hooks the Preferences tests use to
 * reach its controls. */
#pragma once

#include "winnow-preferences.h"

G_BEGIN_DECLS

AdwActionRow  *winnow_preferences_get_output_row         (WinnowPreferences *prefs);
GtkSpinButton *winnow_preferences_get_jobs_spin          (WinnowPreferences *prefs);
GtkSwitch     *winnow_preferences_get_auto_jobs_switch   (WinnowPreferences *prefs);
AdwComboRow   *winnow_preferences_get_default_recipe_row (WinnowPreferences *prefs);
GtkListBox    *winnow_preferences_get_recipe_list        (WinnowPreferences *prefs);
AdwToast      *winnow_preferences_get_last_toast         (WinnowPreferences *prefs);

G_END_DECLS
