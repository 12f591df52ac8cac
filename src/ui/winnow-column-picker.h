/* winnow-column-picker.h: a button that opens a list of columns to tick.
 *
 * For the column subsets of a recipe: no column ticked means every column,
 * and the button says so ("All columns") or names the ticked ones.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WINNOW_TYPE_COLUMN_PICKER (winnow_column_picker_get_type ())
G_DECLARE_FINAL_TYPE (WinnowColumnPicker, winnow_column_picker, WINNOW, COLUMN_PICKER, AdwBin)

GtkWidget *winnow_column_picker_new          (void);
void       winnow_column_picker_set_columns  (WinnowColumnPicker *picker,
                                              GPtrArray *columns);
void       winnow_column_picker_set_selected (WinnowColumnPicker *picker,
                                              GPtrArray *selected);
GPtrArray *winnow_column_picker_get_selected (WinnowColumnPicker *picker);

G_END_DECLS
