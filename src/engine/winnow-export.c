/* winnow-export.c: see winnow-export.h; the formats' code generators are in
 * winnow-export-python.c and winnow-export-duckdb.c. */
#include "config.h"

#include "winnow-export-private.h"

#include <glib/gi18n.h>

#include "winnow-csv-reader.h"
#include "winnow-export-resources.h"

G_DEFINE_QUARK (winnow-export-error-quark, winnow_export_error)

typedef struct {
  const char *name;      /* as --export spells it */
  const char *label;     /* for people, translated */
  const char *suffix;
  gboolean needs_file;
  const WinnowExportBackend *backend;
} FormatInfo;

static const FormatInfo formats[WINNOW_EXPORT_N_FORMATS] = {
  /* Translators: a format of "Export as Code"; pandas and Python are names */
  { "pandas", N_("pandas (Python)"), ".py", FALSE, &winnow_export_pandas_backend },
  /* Translators: a format of "Export as Code"; Dask and Python are names */
  { "dask", N_("Dask (Python, a cluster)"), ".py", FALSE, &winnow_export_dask_backend },
  /* Translators: a format of "Export as Code"; DuckDB and SQL are names */
  { "duckdb", N_("DuckDB (SQL)"), ".sql", TRUE, &winnow_export_duckdb_backend },
};

const char *
winnow_export_format_to_string (WinnowExportFormat format)
{
  g_return_val_if_fail (format < WINNOW_EXPORT_N_FORMATS, NULL);
  return formats[format].name;
}

gboolean
winnow_export_format_from_string (const char *text, WinnowExportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);
  for (guint i = 0; i < WINNOW_EXPORT_N_FORMATS; i++)
    if (g_strcmp0 (text, formats[i].name) == 0)
      {
        *format = (WinnowExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

/* Returns: (transfer none): the format's name for people, translated. */
const char *
winnow_export_format_get_label (WinnowExportFormat format)
{
  g_return_val_if_fail (format < WINNOW_EXPORT_N_FORMATS, NULL);
  return _(formats[format].label);
}

/* Returns: (transfer none): the file name suffix of a program, ".py". */
const char *
winnow_export_format_get_suffix (WinnowExportFormat format)
{
  g_return_val_if_fail (format < WINNOW_EXPORT_N_FORMATS, NULL);
  return formats[format].suffix;
}

/* TRUE when the program names its input and output (DuckDB's SQL script):
 * winnow_export_generate() then needs a WinnowExportFile. */
gboolean
winnow_export_format_needs_file (WinnowExportFormat format)
{
  g_return_val_if_fail (format < WINNOW_EXPORT_N_FORMATS, FALSE);
  return formats[format].needs_file;
}

/**
 * winnow_export_file_probe:
 *
 * Reads the start of @input_path as a task with @recipe would (encoding,
 * delimiter, header). Blocking: call it off the main thread.
 *
 * Returns: (transfer full): what the file says, or %NULL with @error set
 */
WinnowExportFile *
winnow_export_file_probe (const WinnowRecipe *recipe, const char *input_path,
                          const char *output_path, GCancellable *cancellable, GError **error)
{
  WinnowCsvReaderOptions options = { 0 };
  g_autoptr(WinnowCsvReader) reader = NULL;
  const char *encoding = NULL;
  WinnowExportFile *file;

  g_return_val_if_fail (recipe != NULL && input_path != NULL && output_path != NULL, NULL);

  options.delimiter = recipe->delimiter;
  options.quote = recipe->quote;
  options.encoding = recipe->encoding;
  options.header = recipe->header;
  options.bad_lines = recipe->bad_lines;
  /* as a task does: encoding "auto" that meets a byte that is not UTF-8
   * (a file with a UTF-8 BOM) reads the file as Windows-1252 */
  reader = winnow_csv_reader_open_or_fall_back (input_path, &options, cancellable, error);
  if (reader == NULL)
    return NULL;
  if (options.utf8_fallback)
    encoding = "Windows-1252";

  file = g_new0 (WinnowExportFile, 1);
  file->input_path = g_strdup (input_path);
  file->output_path = g_strdup (output_path);
  file->delimiter = winnow_csv_reader_get_delimiter (reader);
  file->encoding = g_strdup (encoding ? encoding : winnow_csv_reader_get_encoding (reader));
  file->column_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < winnow_csv_reader_get_n_columns (reader); i++)
    g_ptr_array_add (file->column_names, g_strdup (winnow_csv_reader_get_column (reader, i)));
  return file;
}

void
winnow_export_file_free (WinnowExportFile *file)
{
  if (file == NULL)
    return;
  g_free (file->input_path);
  g_free (file->output_path);
  g_free (file->encoding);
  if (file->column_names)
    g_ptr_array_unref (file->column_names);
  g_free (file);
}

gboolean
winnow_export_unsupported (GError **error, WinnowExportFormat format, const char *what)
{
  g_set_error (error, WINNOW_EXPORT_ERROR, WINNOW_EXPORT_ERROR_UNSUPPORTED,
               /* Translators: a format name (pandas, dask, duckdb), then what it
                * cannot do, such as: input.encoding "Shift_JIS": DuckDB reads ... */
               _("cannot export to %s: %s"), formats[format].name, what);
  return FALSE;
}

/* Returns: (transfer none): @format's code generator. */
const WinnowExportBackend *
winnow_export_get_backend (WinnowExportFormat format)
{
  g_return_val_if_fail (format < WINNOW_EXPORT_N_FORMATS, NULL);
  return formats[format].backend;
}

/* Adds a line to the program's header: where it differs from
 * winnow --batch. Program text, so English, like the code around it. */
void
winnow_export_note (WinnowExportWriter *writer, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (writer->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Returns: (transfer full): the notes as a list, each line after @prefix,
 *   or "" when there are none. */
char *
winnow_export_notes_text (WinnowExportWriter *writer, const char *prefix)
{
  GString *out = g_string_new (NULL);

  if (writer->notes->len == 0)
    return g_string_free (out, FALSE);
  g_string_append_printf (out, "%sWhere this program differs from winnow --batch:\n", prefix);
  for (guint i = 0; i < writer->notes->len; i++)
    {
      g_auto(GStrv) lines = g_strsplit (g_ptr_array_index (writer->notes, i), "\n", -1);
      for (guint j = 0; lines[j]; j++)
        g_string_append_printf (out, "%s%s%s\n", prefix, j == 0 ? "- " : "  ", lines[j]);
    }
  return g_string_free (out, FALSE);
}

/* Returns: (transfer full): a text file of the export resources. */
char *
winnow_export_load_resource (const char *name)
{
  g_autofree char *path = g_strconcat ("/io/github/winnow/Winnow/export/", name, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (winnow_export_get_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Returns: (transfer full): the recipe's JSON, each line after @prefix. */
char *
winnow_export_recipe_comment (const WinnowRecipe *recipe, const char *prefix)
{
  g_autofree char *json = winnow_recipe_to_json (recipe);
  g_auto(GStrv) lines = g_strsplit (json, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (out, "%s%s\n", prefix, lines[i]);
  return g_string_free (out, FALSE);
}

/**
 * winnow_export_generate:
 * @file: (nullable): the input and output, for formats that need them
 *   (winnow_export_format_needs_file())
 *
 * Returns: (transfer full): the program's text, or %NULL with @error naming
 *   what the format cannot express
 */
char *
winnow_export_generate (const WinnowRecipe *recipe, WinnowExportFormat format,
                        const WinnowExportFile *file, GError **error)
{
  const WinnowExportBackend *backend;
  WinnowExportWriter writer = { 0 };
  char *program = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (recipe != NULL, NULL);
  g_return_val_if_fail (format < WINNOW_EXPORT_N_FORMATS, NULL);

  if (formats[format].needs_file && file == NULL)
    {
      g_set_error (error, WINNOW_EXPORT_ERROR, WINNOW_EXPORT_ERROR_NEEDS_FILE,
                   /* Translators: a format name, such as duckdb */
                   _("%s: the program names its input and output: give both files"),
                   formats[format].name);
      return NULL;
    }
  if (!winnow_recipe_validate (recipe, error))
    return NULL;

  backend = formats[format].backend;
  writer.recipe = recipe;
  writer.file = file;
  writer.format = format;
  writer.settings = g_string_new (NULL);
  writer.body = g_string_new (NULL);
  writer.notes = g_ptr_array_new_with_free_func (g_free);

  /* None of the programs writes the rejected-rows file: the header says so. */
  if (recipe->rejects)
    winnow_export_note (&writer, "output.rejects: this program writes only the cleaned file; "
                                 "the rows it drops\nare not written to a rejected-rows file, "
                                 "as winnow --batch --rejects does.");

  if (backend->begin != NULL)
    ok = backend->begin (&writer, error);
  ok = ok && backend->input (&writer, error);
  /* The table of steps drives the export, in the order the steps run. */
  for (guint id = 0; ok && id < WINNOW_N_STEPS; id++)
    {
      const WinnowStep *step = winnow_step_get (id);

      if (!step->is_on (recipe))
        continue;
      if (backend->steps[id] == NULL)
        {
          /* never skipped in silence: tests/test-export.c checks every entry */
          g_autofree char *what =
            /* Translators: %s is a recipe key, such as replace */
            g_strdup_printf (_("%s: this step cannot be exported yet"), step->key);
          ok = winnow_export_unsupported (error, format, what);
        }
      else
        ok = backend->steps[id] (&writer, error);
    }
  ok = ok && backend->output (&writer, error);
  if (ok)
    program = backend->assemble (&writer, error);
  if (backend->end != NULL)
    backend->end (&writer);

  g_string_free (writer.settings, TRUE);
  g_string_free (writer.body, TRUE);
  g_ptr_array_unref (writer.notes);
  return program;
}
