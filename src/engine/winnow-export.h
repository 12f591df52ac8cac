/* winnow-export.h: a recipe compiled into a program for another engine.
 *
 * Past one machine, the same recipe runs where the data is: as a pandas
 * script (the reference semantics), a Dask script (dask.distributed, a
 * LocalCluster or a real cluster) or a DuckDB SQL script. Every step and
 * option of the recipe is translated, or the export fails with a message
 * naming what the format cannot express; it never writes a program that
 * cleans differently. Generating is cheap and does no I/O, except
 * winnow_export_file_probe(), which reads the start of the input.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-recipe.h"

G_BEGIN_DECLS

typedef enum {
  WINNOW_EXPORT_PANDAS,
  WINNOW_EXPORT_DASK,
  WINNOW_EXPORT_DUCKDB,
} WinnowExportFormat;

#define WINNOW_EXPORT_N_FORMATS 3

#define WINNOW_EXPORT_ERROR (winnow_export_error_quark ())
GQuark winnow_export_error_quark (void);

typedef enum {
  WINNOW_EXPORT_ERROR_UNSUPPORTED,  /* the format cannot express a step or option */
  WINNOW_EXPORT_ERROR_NEEDS_FILE,   /* the format needs the input and output paths */
} WinnowExportError;

/* What a format that fixes the file in the program (DuckDB) knows of it:
 * its paths, and what Winnow reads in it (delimiter, encoding, columns). */
typedef struct {
  char *input_path;
  char *output_path;
  gunichar delimiter;       /* the character, as read or sniffed */
  char *encoding;          /* as the reader reports it, e.g. "UTF-8 (BOM)" */
  GPtrArray *column_names; /* of char*, as the file names them */
} WinnowExportFile;

const char       *winnow_export_format_to_string   (WinnowExportFormat format);
gboolean          winnow_export_format_from_string (const char *text,
                                                    WinnowExportFormat *format);
const char       *winnow_export_format_get_label   (WinnowExportFormat format);
const char       *winnow_export_format_get_suffix  (WinnowExportFormat format);
gboolean          winnow_export_format_needs_file  (WinnowExportFormat format);

WinnowExportFile *winnow_export_file_probe         (const WinnowRecipe *recipe,
                                                    const char *input_path,
                                                    const char *output_path,
                                                    GCancellable *cancellable,
                                                    GError **error);
void              winnow_export_file_free          (WinnowExportFile *file);

char             *winnow_export_generate           (const WinnowRecipe *recipe,
                                                    WinnowExportFormat format,
                                                    const WinnowExportFile *file,
                                                    GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowExportFile, winnow_export_file_free)

G_END_DECLS
