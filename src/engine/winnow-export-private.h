/* winnow-export-private.h: how a format's code generator is put together.
 *
 * Each format has a table with one entry per recipe step, in the order the
 * steps run; an entry's function writes that step's code (or nothing when
 * the step is off), or fails with WINNOW_EXPORT_ERROR_UNSUPPORTED naming
 * what the format cannot express. Adding a step to the recipe means one
 * entry, and its function, per format.
 */
#pragma once

#include "winnow-export.h"

G_BEGIN_DECLS

typedef struct {
  const WinnowRecipe *recipe;
  const WinnowExportFile *file;   /* NULL for the Python formats */
  WinnowExportFormat format;
  GString *settings;              /* module-level settings, or SQL SET lines */
  GString *body;                  /* the steps, in order */
  GPtrArray *notes;               /* of char*: where the program may differ */
  gpointer data;                  /* the format's own state */
} WinnowExportWriter;

typedef gboolean (*WinnowExportStepFunc) (WinnowExportWriter *writer,
                                          GError **error);

typedef struct {
  const char *key;                /* the recipe's key for the step */
  WinnowExportStepFunc emit;
} WinnowExportStep;

typedef struct {
  const WinnowExportStep *steps;  /* ends with a NULL key */
  char *(*assemble) (WinnowExportWriter *writer, GError **error);
  gboolean (*begin) (WinnowExportWriter *writer, GError **error);
  void (*end) (WinnowExportWriter *writer);
} WinnowExportBackend;

extern const WinnowExportBackend winnow_export_pandas_backend;
extern const WinnowExportBackend winnow_export_dask_backend;
extern const WinnowExportBackend winnow_export_duckdb_backend;

gboolean winnow_export_unsupported   (GError **error,
                                      WinnowExportFormat format,
                                      const char *what) G_GNUC_WARN_UNUSED_RESULT;
char    *winnow_export_load_resource (const char *name);
char    *winnow_export_recipe_comment (const WinnowRecipe *recipe,
                                       const char *prefix);

G_END_DECLS
