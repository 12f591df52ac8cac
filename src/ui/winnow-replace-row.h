/* winnow-replace-row.h: one replacement of the recipe editor's Replace
 * Values group: a column, the texts of it to replace (ticked among the
 * column's most frequent values, or typed), and what they become: another
 * text or a missing value. It says what it would change in the first rows
 * and, when it cannot work, why, where the user can fix it. */
#pragma once

#include <adwaita.h>

#include "winnow-result.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_REPLACE_ROW (winnow_replace_row_get_type ())
G_DECLARE_FINAL_TYPE (WinnowReplaceRow, winnow_replace_row, WINNOW, REPLACE_ROW, AdwExpanderRow)

GtkWidget  *winnow_replace_row_new          (void);
void        winnow_replace_row_set_columns  (WinnowReplaceRow *row,
                                             GPtrArray *names,
                                             GPtrArray *profile);
void        winnow_replace_row_set_rule     (WinnowReplaceRow *row,
                                             const char *column,
                                             GPtrArray *from,
                                             const char *to);
const char *winnow_replace_row_get_column   (WinnowReplaceRow *row);
GPtrArray  *winnow_replace_row_get_from     (WinnowReplaceRow *row);
const char *winnow_replace_row_get_to       (WinnowReplaceRow *row);
void        winnow_replace_row_add_text     (WinnowReplaceRow *row,
                                             const char *text);
void        winnow_replace_row_set_problem  (WinnowReplaceRow *row,
                                             const char *problem,
                                             const char *text);
const char *winnow_replace_row_get_problem  (WinnowReplaceRow *row);
void        winnow_replace_row_set_forecast (WinnowReplaceRow *row,
                                             const char *forecast);

G_END_DECLS
