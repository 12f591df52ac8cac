/* winnow-fill-row.h: the row of one column's fill rule in the recipe
 * editor: a choice of strategy, with an entry for a value and a limit
 * for ffill and bfill shown only when the choice needs them. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct {
  AdwComboRow *row;       /* titled with the column's name (its start, if long) */
  char *column;
  GtkEntry *value;
  GtkSpinButton *limit;
  gboolean numeric;       /* FALSE: the sample found text in the column */
  char *problem;          /* why the rule cannot run as set, or NULL */
} WinnowFillRow;

WinnowFillRow *winnow_fill_row_new        (const char *column,
                                           gboolean numeric);
void           winnow_fill_row_free       (gpointer fill);
const char    *winnow_fill_row_get_column (WinnowFillRow *fill);
void           winnow_fill_row_update     (WinnowFillRow *fill);
const char    *winnow_fill_row_get_problem (WinnowFillRow *fill);

G_END_DECLS
