/* winnow-ui-util.h: how the window words and formats things: numbers,
 * sizes, times and statuses (a recipe in sentences is its steps' own:
 * winnow_step_describe_recipe()). */
#pragma once

#include <gtk/gtk.h>

#include "winnow-recipe.h"
#include "winnow-result.h"
#include "winnow-task.h"

G_BEGIN_DECLS

char       *winnow_ui_format_count     (gint64 value);
char       *winnow_ui_format_short_count (double value);
char       *winnow_ui_format_number    (double value);
char       *winnow_ui_format_duration  (double seconds);
char       *winnow_ui_format_time      (GDateTime *utc);
char       *winnow_ui_format_time_full (GDateTime *utc);
char       *winnow_ui_delimiter_name   (gunichar delimiter);
gboolean    winnow_ui_rows_known       (WinnowTask *task);
char       *winnow_ui_format_rows      (WinnowTask *task);
const char *winnow_ui_status_label     (WinnowTaskStatus status);
const char *winnow_ui_column_type_label (WinnowColumnType type);
const char *winnow_ui_status_icon      (WinnowTaskStatus status);
const char *winnow_ui_status_css_class (WinnowTaskStatus status);
void        winnow_ui_set_status_icon  (GtkImage *icon,
                                        WinnowTaskStatus status);
gboolean    winnow_ui_is_csv_file      (GFile *file);
char       *winnow_ui_display_path     (const char *path);
char       *winnow_ui_shorten          (const char *text,
                                        gsize       max_chars);

/* What the page shows of a name or a field read from a file: enough to
 * tell one from another, and never so much that laying it out stalls
 * the window (a 4,000-character column name takes seconds to wrap). */
#define WINNOW_UI_NAME_CHARS 120
#define WINNOW_UI_CELL_CHARS 200


typedef void (*WinnowFolderFunc) (GtkWindow *parent, GFile *folder);
void        winnow_ui_choose_folder    (GtkWindow *parent,
                                        const char *current,
                                        WinnowFolderFunc func);

G_END_DECLS
