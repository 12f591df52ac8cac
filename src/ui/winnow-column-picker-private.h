/* winnow-column-picker-private.h: the hook the dialog's tests use to tick
 * a column as a user would. */
#pragma once

#include "winnow-column-picker.h"

G_BEGIN_DECLS

GtkCheckButton *winnow_column_picker_get_check (WinnowColumnPicker *picker,
                                                const char *column);

G_END_DECLS
