/* winnow-export-python.c: the pandas and Dask programs.
 *
 * Both are one Python file: a docstring with the usage, the recipe as
 * settings and calls written here (first, where a reader looks), then
 * Winnow's reading and writing rules (runtime-common.py) and the engine's
 * steps (runtime-pandas.py or runtime-dask.py, which define the same
 * functions). So the
 * two formats share their step generators; a step a format runs
 * differently differs in its runtime, not here.
 */
#include "config.h"

#include "winnow-export-private.h"

#include <string.h>

/* A Python string literal for any UTF-8 text. */
static void
append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if ((c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0xfeff)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
  g_string_append_c (out, '"');
}

/* One character, any Unicode one (a delimiter), as a string literal. */
static void
append_char (GString *out, gunichar c)
{
  char text[8] = { 0 };

  g_unichar_to_utf8 (c, text);
  append_string (out, text);
}

static void
append_list (GString *out, GPtrArray *list)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_string (out, g_ptr_array_index (list, i));
    }
  g_string_append_c (out, ']');
}

/* ---- the input, one function per step (by WinnowStepId), the output ---- */

static gboolean
python_input (WinnowExportWriter *w, GError **error)
{
  const WinnowRecipe *r = w->recipe;
  GString *out = w->settings;

  g_string_append (out, "INPUT = dict(\n    delimiter=");
  if (r->delimiter == 0)
    g_string_append (out, "None");  /* sniffed, as Winnow does */
  else
    append_char (out, r->delimiter);
  g_string_append (out, ",\n    quote=");
  append_char (out, (guchar) r->quote);
  g_string_append (out, ",\n    encoding=");
  append_string (out, r->encoding);
  g_string_append_printf (out, ",\n    header=%s,\n    na_values=", r->header ? "True" : "False");
  append_list (out, r->na_values);
  g_string_append_printf (out, ",\n    bad_lines=\"%s\",\n    trim=False,\n)\n",
                          winnow_bad_lines_to_string (r->bad_lines));
  return TRUE;
}

static gboolean
python_trim_whitespace (WinnowExportWriter *w, GError **error)
{
  /* Trimming happens as fields are read, before the NA tokens are matched. */
  g_string_append (w->settings, "INPUT[\"trim\"] = True\n");
  return TRUE;
}

static gboolean
python_drop_columns (WinnowExportWriter *w, GError **error)
{
  g_string_append (w->body, "    drop_columns(t, ");
  append_list (w->body, w->recipe->drop_columns);
  g_string_append (w->body, ")\n");
  return TRUE;
}

/* All the rules in one call: the runtime merges a column's rules into one
 * dict and applies it at once, as Winnow does (no chains). */
static gboolean
python_replace (WinnowExportWriter *w, GError **error)
{
  GPtrArray *rules = w->recipe->replace;

  g_string_append (w->body, "    replace(t, [\n");
  for (guint i = 0; i < rules->len; i++)
    {
      const WinnowReplaceRule *rule = g_ptr_array_index (rules, i);

      g_string_append_printf (w->body, "        (\"replace[%u].column\", ", i);
      append_string (w->body, rule->column);
      g_string_append (w->body, ", ");
      append_list (w->body, rule->from);
      g_string_append (w->body, ", ");
      if (rule->to != NULL)
        append_string (w->body, rule->to);
      else
        g_string_append (w->body, "None");  /* missing */
      g_string_append (w->body, "),\n");
    }
  g_string_append (w->body, "    ])\n");
  return TRUE;
}

static gboolean
python_drop_duplicates (WinnowExportWriter *w, GError **error)
{
  g_string_append (w->body, "    drop_duplicates(t, ");
  append_list (w->body, w->recipe->duplicates_subset);
  g_string_append_printf (w->body, ", \"%s\")\n", winnow_keep_to_string (w->recipe->keep));
  return TRUE;
}

static gboolean
python_drop_missing (WinnowExportWriter *w, GError **error)
{
  const WinnowRecipe *r = w->recipe;

  g_string_append (w->body, "    drop_missing(t, ");
  append_list (w->body, r->missing_subset);
  if (r->thresh >= 0)
    g_string_append_printf (w->body, ", None, %" G_GINT64_FORMAT ")\n", r->thresh);
  else
    g_string_append_printf (w->body, ", \"%s\", None)\n", r->how == WINNOW_HOW_ALL ? "all" : "any");
  return TRUE;
}

static gboolean
python_fill (WinnowExportWriter *w, GError **error)
{
  for (guint i = 0; i < w->recipe->fill->len; i++)
    {
      const WinnowFillRule *rule = g_ptr_array_index (w->recipe->fill, i);

      g_string_append_printf (w->body, "    fill(t, \"fill[%u].column\", ", i);
      append_string (w->body, rule->column);
      g_string_append_printf (w->body, ", \"%s\"", winnow_fill_strategy_to_string (rule->strategy));
      if (rule->strategy == WINNOW_FILL_VALUE)
        {
          g_string_append (w->body, ", value=");
          append_string (w->body, rule->value);
        }
      if (rule->limit > 0)
        g_string_append_printf (w->body, ", limit=%" G_GINT64_FORMAT, rule->limit);
      g_string_append (w->body, ")\n");
    }
  return TRUE;
}

static gboolean
python_output (WinnowExportWriter *w, GError **error)
{
  const WinnowRecipe *r = w->recipe;

  g_string_append (w->settings, "OUTPUT = dict(\n    delimiter=");
  if (r->out_delimiter == 0)
    g_string_append (w->settings, "None,  # \"same\": the input's, or a comma if that is '\"'\n");
  else
    {
      append_char (w->settings, r->out_delimiter);
      g_string_append (w->settings, ",\n");
    }
  g_string_append_printf (w->settings, "    line_ending=\"%s\",\n    formula_guard=%s,\n)\n",
                          r->crlf ? "\\r\\n" : "\\n", r->formula_guard ? "True" : "False");
  return TRUE;
}

/* ---- the program ---- */

static char *
assemble (WinnowExportWriter *w, const char *summary, const char *usage, const char *runtime)
{
  g_autofree char *recipe = winnow_export_recipe_comment (w->recipe, "#   ");
  g_autofree char *common = winnow_export_load_resource ("runtime-common.py");
  g_autofree char *engine = winnow_export_load_resource (runtime);
  g_autofree char *notes = winnow_export_notes_text (w, "");
  GString *out = g_string_new ("#!/usr/bin/env python3\n");

  g_string_append_printf (out, "\"\"\"%s\n\n%s\n", summary, usage);
  g_string_append (out,
    "Generated by " PACKAGE_NAME " " PACKAGE_VERSION " from the recipe below. It\n"
    "writes the bytes `winnow --batch` writes with this recipe: every field is\n"
    "read as text, the NA tokens match whole fields, statistics are Winnow's\n"
    "(mean summed as numpy does, shortest round-trip float text).\n");
  if (notes[0] != '\0')
    g_string_append_printf (out, "\n%s", notes);
  g_string_append (out, "\"\"\"\n");
  g_string_append (out, "\n# ---- the recipe ----\n");
  g_string_append (out, w->settings->str);
  g_string_append (out, "\n\ndef clean(t):\n");
  g_string_append (out, w->body->str);
  g_string_append (out, "    return t\n\n\n# The recipe, as Winnow saves it:\n");
  g_string_append (out, recipe);
  g_string_append (out, "\n");
  g_string_append (out, common);
  g_string_append_c (out, '\n');
  g_string_append (out, engine);
  g_string_append (out, "\n\nif __name__ == \"__main__\":\n    sys.exit(main(sys.argv[1:]))\n");
  return g_string_free (out, FALSE);
}

static char *
assemble_pandas (WinnowExportWriter *w, GError **error)
{
  return assemble (w, "Cleans a CSV file with pandas, as a Winnow recipe does.",
                   "usage: python3 clean.py INPUT OUTPUT\n\n"
                   "Needs pandas and numpy (Debian: python3-pandas). The whole file is\n"
                   "held in memory.\n",
                   "runtime-pandas.py");
}

static char *
assemble_dask (WinnowExportWriter *w, GError **error)
{
  return assemble (w, "Cleans CSV files on a Dask cluster, as a Winnow recipe does.",
                   "usage: python3 clean.py INPUT OUTPUT [--scheduler ADDRESS] [--parts]\n"
                   "                        [--blocksize BYTES]\n\n"
                   "Needs dask and dask.distributed (Debian: python3-dask, python3-distributed).\n"
                   "INPUT is a file, a glob or any fsspec URL the workers can read. With no\n"
                   "--scheduler it starts a LocalCluster of one process per core. OUTPUT is\n"
                   "one CSV file, or with --parts a folder of part files, each with the header.\n"
                   "Rows keep their input order; mean, median, mode, ffill and bfill see the\n"
                   "whole column, across partitions.\n",
                   "runtime-dask.py");
}

#define PYTHON_STEPS                                        \
  .input = python_input,                                    \
  .steps = {                                                \
    [WINNOW_STEP_DROP_COLUMNS] = python_drop_columns,       \
    [WINNOW_STEP_TRIM] = python_trim_whitespace,            \
    [WINNOW_STEP_REPLACE] = python_replace,                 \
    [WINNOW_STEP_DROP_DUPLICATES] = python_drop_duplicates, \
    [WINNOW_STEP_DROP_MISSING] = python_drop_missing,       \
    [WINNOW_STEP_FILL] = python_fill,                       \
  },                                                        \
  .output = python_output

const WinnowExportBackend winnow_export_pandas_backend = {
  PYTHON_STEPS,
  .assemble = assemble_pandas,
};

const WinnowExportBackend winnow_export_dask_backend = {
  PYTHON_STEPS,
  .assemble = assemble_dask,
};
