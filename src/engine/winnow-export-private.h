/* winnow-export-private.h: how a format's code generator is put together.
 *
 * Each format has a table indexed by WinnowStepId (winnow-step.h), so the
 * table of steps drives the export: winnow_export_generate() walks the
 * steps in the order they run and calls the entry of each step that is on,
 * between the format's input and output emitters. An entry writes that
 * step's code, or fails with winnow_export_unsupported() naming what the
 * format cannot express. No entry may be left out: a step without one
 * fails the export (and tests/test-export.c fails for it), so a new step
 * is either exported or refused, never silently skipped.
 */
#pragma once

#include "winnow-export.h"
#include "winnow-step.h"

G_BEGIN_DECLS

typedef struct {
  const WinnowRecipe *recipe;
  const WinnowExportFile *file;   /* NULL for the Python formats */
  WinnowExportFormat format;
  GString *settings;              /* module-level settings, or SQL SET lines */
  GString *body;                  /* the steps, in order */
  GPtrArray *notes;               /* of char*: where the program differs from
                                   * winnow --batch; in its header */
  gpointer data;                  /* the format's own state */
} WinnowExportWriter;

typedef gboolean (*WinnowExportStepFunc) (WinnowExportWriter *writer,
                                          GError **error);

typedef struct {
  WinnowExportStepFunc input;     /* reading: encoding, delimiter, NA tokens */
  WinnowExportStepFunc steps[WINNOW_N_STEPS];  /* by WinnowStepId; none NULL */
  WinnowExportStepFunc output;    /* writing: delimiter, quoting, line ends */
  char *(*assemble) (WinnowExportWriter *writer, GError **error);
  gboolean (*begin) (WinnowExportWriter *writer, GError **error);
  void (*end) (WinnowExportWriter *writer);
} WinnowExportBackend;

extern const WinnowExportBackend winnow_export_pandas_backend;
extern const WinnowExportBackend winnow_export_dask_backend;
extern const WinnowExportBackend winnow_export_duckdb_backend;

const WinnowExportBackend *winnow_export_get_backend (WinnowExportFormat format);

gboolean winnow_export_unsupported   (GError **error,
                                      WinnowExportFormat format,
                                      const char *what) G_GNUC_WARN_UNUSED_RESULT;
void     winnow_export_note          (WinnowExportWriter *writer,
                                      const char *format,
                                      ...) G_GNUC_PRINTF (2, 3);
char    *winnow_export_load_resource (const char *name);
char    *winnow_export_recipe_comment (const WinnowRecipe *recipe,
                                       const char *prefix);
char    *winnow_export_notes_text    (WinnowExportWriter *writer,
                                      const char *prefix);

G_END_DECLS
