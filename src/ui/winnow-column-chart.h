/* winnow-column-chart.h: a picture of one column, sized for a row: a
 * histogram of its numbers, or its most frequent values as bars, over a
 * strip that shows how much of it is missing. Drawn from the column's
 * profile (WinnowColumnProfile) in the theme's colours, and described in
 * words for screen readers. */
#pragma once

#include <gtk/gtk.h>

#include "winnow-result.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_COLUMN_CHART (winnow_column_chart_get_type ())
G_DECLARE_FINAL_TYPE (WinnowColumnChart, winnow_column_chart, WINNOW, COLUMN_CHART, GtkWidget)

GtkWidget  *winnow_column_chart_new             (void);
void        winnow_column_chart_set_profile     (WinnowColumnChart *chart,
                                                 const WinnowColumnProfile *profile,
                                                 guint64 n_rows);

G_END_DECLS
