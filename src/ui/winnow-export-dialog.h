/* winnow-export-dialog.h: "Export as Code": a recipe as a program for
 * pandas, Dask or DuckDB, with a format chooser, a preview, Save and Copy.
 *
 * The program is generated (and, for DuckDB, the input's start read) on a
 * worker thread; saving writes the file asynchronously.
 */
#pragma once

#include <adwaita.h>

#include "winnow-export.h"
#include "winnow-recipe.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_EXPORT_DIALOG (winnow_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WinnowExportDialog, winnow_export_dialog, WINNOW, EXPORT_DIALOG, AdwWindow)

WinnowExportDialog *winnow_export_dialog_new        (GtkWindow *parent,
                                                     const WinnowRecipe *recipe,
                                                     const char *input_path,
                                                     const char *output_path);
void                winnow_export_dialog_set_format (WinnowExportDialog *dialog,
                                                     WinnowExportFormat format);
WinnowExportFormat  winnow_export_dialog_get_format (WinnowExportDialog *dialog);
void                winnow_export_dialog_save_to    (WinnowExportDialog *dialog,
                                                     GFile *file);

G_END_DECLS
