/* winnow-forecast.h: the dialog's "what will happen" line, in words. */
#pragma once

#include <glib.h>

#include "winnow-recipe.h"
#include "winnow-result.h"

G_BEGIN_DECLS

char *winnow_forecast_text (const WinnowRecipe *recipe,
                            const WinnowResult *result,
                            guint64 n_rows,
                            gboolean whole_file,
                            const char *file_name);

G_END_DECLS
