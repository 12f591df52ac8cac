/* winnow-export-duckdb.c: the DuckDB SQL script. */
#include "config.h"

#include "winnow-export-private.h"

static char *
assemble_duckdb (WinnowExportWriter *w, GError **error)
{
  return g_strdup ("");
}

static const WinnowExportStep duckdb_steps[] = {
  { NULL, NULL },
};

const WinnowExportBackend winnow_export_duckdb_backend = {
  duckdb_steps, assemble_duckdb, NULL, NULL,
};
