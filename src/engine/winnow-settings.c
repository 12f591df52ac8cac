/* winnow-settings.c: see winnow-settings.h. */
#include "config.h"

#include "winnow-settings.h"

/**
 * winnow_settings_new:
 *
 * Returns: (transfer full) (nullable): the app's settings, or %NULL when
 *   the schema is nowhere to be found (a build folder run without
 *   GSETTINGS_SCHEMA_DIR): the window then cannot start, the batch mode
 *   goes on with the built-in defaults
 */
GSettings *
winnow_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) installed = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      installed = g_settings_schema_source_new_from_directory (SCHEMA_INSTALL_DIR, source,
                                                               FALSE, NULL);
      if (installed != NULL)
        schema = g_settings_schema_source_lookup (installed, APP_ID, FALSE);
    }
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}
