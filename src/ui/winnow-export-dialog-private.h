/* winnow-export-dialog-private.h: the hooks the tests use to read what
 * the Export as Code window generated. */
#pragma once

#include "winnow-export-dialog.h"

G_BEGIN_DECLS

gboolean    winnow_export_dialog_is_busy     (WinnowExportDialog *dialog);
const char *winnow_export_dialog_get_program (WinnowExportDialog *dialog);
const char *winnow_export_dialog_get_message (WinnowExportDialog *dialog);

G_END_DECLS
