/* ui-types-preload.c: loaded into gtk4-builder-tool (LD_PRELOAD) so that
 * `gtk4-builder-tool validate` knows libadwaita's types and Winnow's own
 * widgets, which the .ui files use. Not part of Winnow. */
#include "config.h"

#include <adwaita.h>

#include "winnow-column-picker.h"
#include "winnow-preferences.h"
#include "winnow-recipe-editor.h"
#include "winnow-replace-row.h"
#include "winnow-task-dialog.h"
#include "winnow-task-page.h"
#include "winnow-task-table.h"
#include "winnow-window.h"

/* Before main(), so nothing that needs GTK set up: only the types. The
 * tool finds the other classes by their get_type() symbol, but a
 * template's parent must be registered already. */
__attribute__((constructor)) static void
register_types (void)
{
  g_type_ensure (ADW_TYPE_APPLICATION_WINDOW);
  g_type_ensure (ADW_TYPE_BIN);
  g_type_ensure (ADW_TYPE_EXPANDER_ROW);
  g_type_ensure (ADW_TYPE_PREFERENCES_WINDOW);
  g_type_ensure (ADW_TYPE_WINDOW);
  g_type_ensure (WINNOW_TYPE_COLUMN_PICKER);
  g_type_ensure (WINNOW_TYPE_RECIPE_EDITOR);
  g_type_ensure (WINNOW_TYPE_REPLACE_ROW);
  g_type_ensure (WINNOW_TYPE_TASK_PAGE);
  g_type_ensure (WINNOW_TYPE_TASK_TABLE);
}

/* The template callbacks the .ui files name, which Winnow binds to static
 * functions with gtk_widget_class_bind_template_callback(): the tool only
 * checks that a function of that name exists. */
void on_clear_filters (void);
void on_add_text (void);
void on_remove_clicked (void);

void
on_clear_filters (void)
{
}

void
on_add_text (void)
{
}

void
on_remove_clicked (void)
{
}
