/* winnow-export-duckdb.c: the DuckDB SQL script.
 *
 * One script for one file: the input is read the way Winnow read its
 * start when the script was written (delimiter, encoding, columns, fixed
 * in the script), every field as VARCHAR, and each step is a statement
 * over the rows of the one before, the file's row order carried in
 * winnow_row. A mean is numpy's pairwise sum, tree and all, so its digits
 * are Winnow's. The output lines are built in SQL with Winnow's quoting
 * and formula guard, and copied out as they are.
 */
#include "config.h"

#include "winnow-export-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-plan.h"

typedef struct {
  WinnowPlan *plan;
  char *relation;      /* the rows after the steps so far */
  guint n_relations;
} DuckState;

#define NUMBER_PATTERN "[ \\t\\n\\r\\f\\v]*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?[ \\t\\n\\r\\f\\v]*"

static DuckState *
state (WinnowExportWriter *w)
{
  return w->data;
}

/* A SQL string literal. */
static void
append_literal (GString *out, const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* One character, any Unicode one (a delimiter), as a SQL literal. */
static void
append_char_literal (GString *out, gunichar c)
{
  char text[8] = { 0 };

  g_unichar_to_utf8 (c, text);
  append_literal (out, text);
}

/* The column of input column @input, as the script names it. */
static char *
column (guint input)
{
  return g_strdup_printf ("c%u", input + 1);
}

/* Kept column @k's name in the script. */
static char *
kept_column (DuckState *s, guint k)
{
  for (guint i = 0; i < s->plan->n_input; i++)
    if (s->plan->column_map[i] == (gint) k)
      return column (i);
  g_return_val_if_reached (NULL);
}

static const char *
next_relation (DuckState *s)
{
  g_free (s->relation);
  s->relation = g_strdup_printf ("winnow_step%u", ++s->n_relations);
  return s->relation;
}

static gboolean
duckdb_begin (WinnowExportWriter *w, GError **error)
{
  DuckState *s = g_new0 (DuckState, 1);

  w->data = s;
  s->plan = winnow_plan_new (w->recipe, w->file->column_names, error);
  return s->plan != NULL;
}

static void
duckdb_end (WinnowExportWriter *w)
{
  DuckState *s = state (w);

  if (s == NULL)
    return;
  winnow_plan_free (s->plan);
  g_free (s->relation);
  g_free (s);
}

/* ---- one function per step ---- */

/* DuckDB reads UTF-8 and UTF-16, and Latin-1 without the bytes
 * 0x80-0x9F; Windows-1252 and the rest it cannot. */
static gboolean
duckdb_encoding (WinnowExportWriter *w, const char **name, GError **error)
{
  const char *encoding = w->file->encoding;
  g_autofree char *key = g_ascii_strdown (encoding, -1);

  if (g_str_has_prefix (key, "utf-8"))
    *name = "utf-8";
  else if (g_str_has_prefix (key, "utf-16"))
    *name = "utf-16";
  else if (g_str_equal (key, "iso-8859-1"))
    *name = "latin-1";
  else
    {
      g_autofree char *what =
        /* Translators: %s is an encoding, such as Windows-1252; iconv and UTF-8
         * are names */
        g_strdup_printf (_("input.encoding \"%s\": DuckDB reads UTF-8, UTF-16 and Latin-1 "
                           "only; convert the file to UTF-8 first (iconv -t UTF-8)"), encoding);
      return winnow_export_unsupported (error, w->format, what);
    }
  return TRUE;
}

/* The options of read_csv after the file's name: every field as text, short
 * rows padded with NULL, and nothing else NULL (nullstr is a line end, which
 * no unquoted field holds), unless @nullstr says otherwise. One column more
 * than the file has, winnow_extra: DuckDB takes a line of N + 1 fields whose
 * last is empty ("1,2," for two columns) for N fields, where Winnow sees a
 * bad line; with the extra column such a line fills it instead. */
static void
append_read_options (WinnowExportWriter *w, GString *out, const char *encoding,
                     const char *nullstr, gboolean store_rejects)
{
  const WinnowRecipe *r = w->recipe;
  DuckState *s = state (w);

  /* The header is read as a row and set aside below: DuckDB's header
   * option would take a blank first line for it. */
  g_string_append (out, ",\n    header = false,\n    columns = {");
  for (guint i = 0; i < s->plan->n_input; i++)
    g_string_append_printf (out, "%s'c%u': 'VARCHAR'", i ? ", " : "", i + 1);
  g_string_append (out, ", 'winnow_extra': 'VARCHAR'},\n    delim = ");
  append_char_literal (out, w->file->delimiter);
  g_string_append (out, ", quote = ");
  append_char_literal (out, (guchar) r->quote);
  g_string_append (out, ", escape = ");
  append_char_literal (out, (guchar) r->quote);
  g_string_append_printf (out, ", encoding = '%s',\n"
                               "    auto_detect = false, strict_mode = true, null_padding = true,\n"
                               "    parallel = false, nullstr = %s, allow_quoted_nulls = false,\n"
                               "    max_line_size = 268435456", encoding, nullstr);
  if (r->bad_lines != WINNOW_BAD_LINES_ERROR)
    g_string_append_printf (out, ",\n    ignore_errors = true%s", store_rejects ? ", store_rejects = true" : "");
}

static gboolean
duckdb_input (WinnowExportWriter *w, GError **error)
{
  const WinnowRecipe *r = w->recipe;
  DuckState *s = state (w);
  GString *out = w->body;
  const char *encoding = NULL;
  gunichar delimiter = w->file->delimiter;
  /* the spaces and tabs of a blank line; a delimiter among them is data */
  const char *blanks = delimiter == ' ' ? "chr(9)" : delimiter == '\t' ? "' '" : "' ' || chr(9)";
  g_autofree char *candidate = NULL;

  if (!duckdb_encoding (w, &encoding, error))
    return FALSE;

  g_string_append (out, "-- input: every field as text, short rows padded with NULL\n"
                        "CREATE TEMP TABLE winnow_raw AS\nSELECT * FROM read_csv(");
  append_literal (out, w->file->input_path);
  append_read_options (w, out, encoding, "'\\n'", TRUE);
  g_string_append (out, ");\n");
  if (r->bad_lines != WINNOW_BAD_LINES_ERROR)
    {
      /* Only rows with too many fields may be skipped; anything else
       * malformed stops the script, as it stops Winnow. */
      g_string_append (out, "SELECT error('line ' || line || ': ' || error_message) FROM reject_errors\n"
                            "    WHERE error_type <> 'TOO MANY COLUMNS' LIMIT 1;\n");
      if (r->bad_lines == WINNOW_BAD_LINES_WARN)
        g_string_append_printf (out, "SELECT 'warning: line ' || line || ': expected %u fields; "
                                     "the line was skipped' FROM reject_errors ORDER BY line LIMIT 100;\n"
                                     "SELECT 'warning: ' || count(*) || ' more lines of more than %u fields (ending "
                                     "with the delimiter) were skipped'\n    FROM winnow_raw WHERE winnow_extra "
                                     "IS NOT NULL HAVING count(*) > 0;\n",
                                s->plan->n_input, s->plan->n_input);
    }
  else
    /* the rows DuckDB did not refuse itself (see append_read_options) */
    g_string_append_printf (out, "SELECT error('expected %u fields, saw %u or more (a line that ends "
                                 "with the delimiter)')\n    FROM winnow_raw WHERE winnow_extra IS NOT NULL "
                                 "LIMIT 1;\n", s->plan->n_input, s->plan->n_input + 1);

  /* A line of only spaces and tabs is blank and skipped, as in Winnow and
   * pandas. DuckDB reads it as a row of those characters, the rest padded;
   * a quoted field of spaces alone on its line reads the same. So when
   * such rows exist, the file is read again with their texts as NULL
   * strings, which match unquoted fields only: those rows are the blank
   * lines. Files without them are not read again. */
  candidate = g_strdup_printf ("%s IS NULL AND c1 <> '' AND trim(c1, %s) = ''",
                               s->plan->n_input > 1 ? "c2" : "winnow_extra", blanks);
  g_string_append_printf (out,
    "-- blank lines (only spaces and tabs) are skipped\n"
    "SET VARIABLE winnow_blanks = (SELECT coalesce(list(DISTINCT c1), []) FROM winnow_raw\n"
    "    WHERE %s);\n"
    "CREATE TEMP TABLE winnow_reread AS\nSELECT c1 IS NULL AS unquoted FROM read_csv(", candidate);
  append_literal (out, w->file->input_path);
  append_read_options (w, out, encoding, "list_prepend('\\n', getvariable('winnow_blanks'))", FALSE);
  g_string_append_printf (out, ")\nWHERE len(getvariable('winnow_blanks')) > 0;\n"
                               "CREATE TEMP TABLE winnow_blank AS\n"
                               "SELECT a.rowid AS winnow_row FROM winnow_reread b JOIN winnow_raw a ON a.rowid = b.rowid\n"
                               "WHERE b.unquoted AND %s;\n", candidate);
  if (r->header)
    g_string_append (out, "-- the header: the first row that is not blank (the names are fixed above)\n"
                          "SET VARIABLE winnow_header = (SELECT min(rowid) FROM winnow_raw\n"
                          "    WHERE rowid NOT IN (SELECT winnow_row FROM winnow_blank));\n");

  /* NA tokens match whole fields, after trimming when the recipe trims. */
  g_string_append (out, "CREATE TEMP TABLE winnow_rows AS\nSELECT rowid AS winnow_row");
  for (guint i = 0; i < s->plan->n_input; i++)
    {
      if (s->plan->column_map[i] < 0)
        continue;
      if (r->trim_whitespace)
        g_string_append_printf (out, ",\n    winnow_na(trim(c%u, ' ' || chr(9))) AS c%u", i + 1, i + 1);
      else
        g_string_append_printf (out, ",\n    winnow_na(c%u) AS c%u", i + 1, i + 1);
    }
  g_string_append (out, "\nFROM winnow_raw\nWHERE rowid NOT IN (SELECT winnow_row FROM winnow_blank)");
  if (r->bad_lines != WINNOW_BAD_LINES_ERROR)
    g_string_append (out, " AND winnow_extra IS NULL");
  if (r->header)
    g_string_append (out, " AND rowid > getvariable('winnow_header')");
  g_string_append (out, ";\n\n");
  s->relation = g_strdup ("winnow_rows");
  return TRUE;
}

static gboolean
duckdb_drop_columns (WinnowExportWriter *w, GError **error)
{
  /* Resolved when the script was written: winnow_rows holds the kept columns. */
  g_string_append (w->body, "-- drop_columns: winnow_rows above has only the columns kept\n\n");
  return TRUE;
}

static gboolean
duckdb_trim_whitespace (WinnowExportWriter *w, GError **error)
{
  g_string_append (w->body, "-- trim_whitespace: as fields are read, in winnow_rows above\n\n");
  return TRUE;
}

/* Each replaced column looks its fields up in a table of its texts (any
 * number of them); a field that is not there, or missing, stays as it is.
 * The rules of a column are one table, so they apply at once (no chains),
 * and a NULL "to" makes the field missing. */
static gboolean
duckdb_replace (WinnowExportWriter *w, GError **error)
{
  DuckState *s = state (w);
  WinnowPlan *plan = s->plan;
  g_autofree char *from = g_strdup (s->relation);
  GString *out = w->body;

  g_string_append (out, "-- replace: whole fields, after trimming and the NA tokens; a missing field\n"
                        "-- is never matched, and a NULL text makes the field missing\n");
  for (guint k = 0; k < plan->n_kept; k++)
    {
      const WinnowFieldReplace *replace = plan->replace[k];
      g_autofree char *name = kept_column (s, k);
      const guint batch = 1000;

      if (replace == NULL)
        continue;
      g_string_append_printf (out, "CREATE TEMP TABLE winnow_replace_%s (f VARCHAR PRIMARY KEY, t VARCHAR);\n",
                              name);
      for (guint i = 0; i < replace->from->texts->len; i++)
        {
          g_string_append (out, i % batch == 0 ? "INSERT INTO winnow_replace_" : ",\n    ");
          if (i % batch == 0)
            g_string_append_printf (out, "%s VALUES\n    ", name);
          g_string_append_c (out, '(');
          append_literal (out, g_ptr_array_index (replace->from->texts, i));
          g_string_append (out, ", ");
          if (replace->to[i] != NULL)
            append_literal (out, replace->to[i]);
          else
            g_string_append (out, "NULL");
          g_string_append_c (out, ')');
          if (i % batch == batch - 1 || i + 1 == replace->from->texts->len)
            g_string_append (out, ";\n");
        }
    }
  g_string_append_printf (out, "CREATE TEMP VIEW %s AS\nSELECT r.winnow_row", next_relation (s));
  for (guint k = 0; k < plan->n_kept; k++)
    {
      g_autofree char *name = kept_column (s, k);
      if (plan->replace[k] == NULL)
        g_string_append_printf (out, ", r.%s", name);
      else
        g_string_append_printf (out, ",\n    CASE WHEN x_%s.f IS NULL THEN r.%s ELSE x_%s.t END AS %s",
                                name, name, name, name);
    }
  g_string_append_printf (out, "\nFROM %s r", from);
  for (guint k = 0; k < plan->n_kept; k++)
    if (plan->replace[k] != NULL)
      {
        g_autofree char *name = kept_column (s, k);
        g_string_append_printf (out, "\nLEFT JOIN winnow_replace_%s x_%s ON r.%s = x_%s.f",
                                name, name, name, name);
      }
  g_string_append (out, ";\n\n");
  return TRUE;
}

static void
append_columns (GString *out, DuckState *s, const guint *kept, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = kept_column (s, kept ? kept[i] : i);
      g_string_append_printf (out, "%s%s", i ? ", " : "", name);
    }
}

static gboolean
duckdb_drop_duplicates (WinnowExportWriter *w, GError **error)
{
  DuckState *s = state (w);
  g_autofree char *from = NULL;
  GString *out = w->body;

  if (!w->recipe->drop_duplicates)
    return TRUE;
  from = g_strdup (s->relation);
  /* PARTITION BY groups NULLs together: all missing fields are equal. */
  g_string_append_printf (out, "-- drop_duplicates, keep %s\nCREATE TEMP VIEW %s AS\nSELECT * FROM %s\nQUALIFY ",
                          winnow_keep_to_string (w->recipe->keep), next_relation (s), from);
  g_string_append (out, w->recipe->keep == WINNOW_KEEP_NONE ? "count(*) OVER (PARTITION BY "
                                                            : "row_number() OVER (PARTITION BY ");
  append_columns (out, s, s->plan->dedupe_columns,
                  s->plan->dedupe_columns ? s->plan->n_dedupe_columns : s->plan->n_kept);
  if (w->recipe->keep == WINNOW_KEEP_NONE)
    g_string_append (out, ") = 1;\n\n");
  else
    g_string_append_printf (out, " ORDER BY winnow_row%s) = 1;\n\n",
                            w->recipe->keep == WINNOW_KEEP_LAST ? " DESC" : "");
  return TRUE;
}

static gboolean
duckdb_drop_missing (WinnowExportWriter *w, GError **error)
{
  DuckState *s = state (w);
  g_autofree char *from = NULL;
  GString *out = w->body;

  if (!w->recipe->drop_missing)
    return TRUE;
  from = g_strdup (s->relation);
  g_string_append_printf (out, "-- drop_missing: keep rows with at least %u fields present\n"
                               "CREATE TEMP VIEW %s AS\nSELECT * FROM %s\nWHERE 0",
                          s->plan->missing_needed, next_relation (s), from);
  for (guint i = 0; i < s->plan->n_missing_columns; i++)
    {
      g_autofree char *name = kept_column (s, s->plan->missing_columns[i]);
      /* a column the subset names twice counts twice, as in pandas */
      guint weight = s->plan->missing_weights ? s->plan->missing_weights[i] : 1;
      g_string_append_printf (out, " + (%s IS NOT NULL)::INTEGER", name);
      if (weight != 1)
        g_string_append_printf (out, " * %u", weight);
    }
  g_string_append_printf (out, " >= %u;\n\n", s->plan->missing_needed);
  return TRUE;
}

/* numpy's pairwise summation, which pandas' mean (and Winnow's) uses,
 * step for step: the remaining rows in blocks of 8192 values (0 for a field
 * that is not a number), each block summed as a tree whose leaves of at most
 * 128 values add eight interleaved running sums (fewer than 8 values: one),
 * the block sums added in order. winnow_pw_tree holds the tree of each block
 * length present; a node's path is its turns from the root. */
static void
append_pairwise_tree (GString *out)
{
  g_string_append (out,
    "CREATE TEMP TABLE winnow_pw_tree AS\n"
    "WITH RECURSIVE node(m, lo, n, path) AS (\n"
    "    SELECT m, 0, m, '' FROM (\n"
    "        SELECT 8192 AS m FROM winnow_kept HAVING count(*) >= 8192\n"
    "        UNION SELECT count(*) % 8192 FROM winnow_kept HAVING count(*) % 8192 > 0)\n"
    "    UNION ALL\n"
    "    SELECT m, lo + side * (n // 2 - (n // 2) % 8),\n"
    "           CASE WHEN side = 0 THEN n // 2 - (n // 2) % 8 ELSE n - (n // 2 - (n // 2) % 8) END,\n"
    "           path || side::VARCHAR\n"
    "    FROM node, (VALUES (0), (1)) sides(side) WHERE n > 128)\n"
    "SELECT * FROM node WHERE n <= 128;\n");
}

static void
append_pairwise_mean (GString *out, const char *name)
{
  g_string_append_printf (out,
    "CREATE TEMP TABLE winnow_pw_%s AS\n"
    "WITH rows AS (\n"
    "    SELECT (row_number() OVER (ORDER BY winnow_row) - 1) AS i, coalesce(winnow_number(%s), 0) AS v\n"
    "    FROM winnow_kept),\n"
    "  placed AS (\n"
    "    SELECT r.i // 8192 AS blk, r.i %% 8192 AS p, r.v, t.lo, t.n, t.path\n"
    "    FROM rows r JOIN winnow_pw_tree t\n"
    "      ON t.m = CASE WHEN r.i // 8192 < (SELECT count(*) // 8192 FROM winnow_kept) THEN 8192\n"
    "                    ELSE (SELECT count(*) %% 8192 FROM winnow_kept) END\n"
    "     AND r.i %% 8192 >= t.lo AND r.i %% 8192 < t.lo + t.n),\n"
    "  lanes AS (\n"
    "    SELECT blk, path, (p - lo) %% 8 AS j, list_reduce(list(v ORDER BY p), (a, b) -> a + b) AS s\n"
    "    FROM placed WHERE n >= 8 AND p - lo < n - n %% 8 GROUP BY ALL),\n"
    "  tails AS (\n"
    "    SELECT blk, path, list(v ORDER BY p) AS t FROM placed WHERE n >= 8 AND p - lo >= n - n %% 8\n"
    "    GROUP BY ALL),\n"
    "  leaves AS (\n"
    "    SELECT blk, path, list_reduce(list_prepend(\n"
    "        ((max(s) FILTER (WHERE j = 0) + max(s) FILTER (WHERE j = 1)) +\n"
    "         (max(s) FILTER (WHERE j = 2) + max(s) FILTER (WHERE j = 3))) +\n"
    "        ((max(s) FILTER (WHERE j = 4) + max(s) FILTER (WHERE j = 5)) +\n"
    "         (max(s) FILTER (WHERE j = 6) + max(s) FILTER (WHERE j = 7))),\n"
    "        coalesce(any_value(t), [])), (a, b) -> a + b) AS s\n"
    "    FROM lanes LEFT JOIN tails USING (blk, path) GROUP BY blk, path\n"
    "    UNION ALL\n"
    "    SELECT blk, path, list_reduce(list_prepend(0.0::DOUBLE, list(v ORDER BY p)), (a, b) -> a + b)\n"
    "    FROM placed WHERE n < 8 GROUP BY blk, path)\n"
    "SELECT * FROM leaves;\n", name, name);
  /* inner nodes, deepest first: a node is its two children added */
  for (int depth = 7; depth >= 1; depth--)
    g_string_append_printf (out,
      "INSERT INTO winnow_pw_%s SELECT blk, substr(path, 1, %d), list_reduce(list(s ORDER BY path), "
      "(a, b) -> a + b) FROM winnow_pw_%s WHERE length(path) = %d GROUP BY blk, substr(path, 1, %d);\n",
      name, depth - 1, name, depth, depth - 1);
  g_string_append_printf (out,
    "CREATE TEMP TABLE winnow_mean_%s AS SELECT\n"
    "    (SELECT list_reduce(list_prepend(0.0::DOUBLE, list(s ORDER BY blk)), (a, b) -> a + b)\n"
    "     FROM winnow_pw_%s WHERE path = '') AS total,\n"
    "    (SELECT count(winnow_number(%s)) FROM winnow_kept) AS n;\n", name, name, name);
}

/* The statistic a mean, median or mode fill writes, as text (NULL when the
 * column has nothing to compute it from). */
static void
append_statistic (GString *out, WinnowFillStrategy strategy, const char *name)
{
  switch (strategy)
    {
    case WINNOW_FILL_MEAN:
      g_string_append_printf (out, "(SELECT winnow_float_text(total / n) FROM winnow_mean_%s WHERE n > 0)",
                              name);
      break;
    case WINNOW_FILL_MEDIAN:
      g_string_append_printf (out,
        "(SELECT winnow_float_text(CASE WHEN n %% 2 = 1 THEN lo ELSE (lo + hi) / 2 END) FROM (\n"
        "      SELECT max(v) FILTER (WHERE k = (n - 1) // 2) AS lo, max(v) FILTER (WHERE k = n // 2) AS hi,\n"
        "             max(n) AS n FROM (\n"
        "        SELECT v, row_number() OVER (ORDER BY v) - 1 AS k, count(*) OVER () AS n\n"
        "        FROM (SELECT winnow_number(%s) AS v FROM winnow_kept) WHERE v IS NOT NULL)))", name);
      break;
    case WINNOW_FILL_MODE:
    default:
      g_string_append_printf (out, "(SELECT v FROM (SELECT %s AS v, count(*) AS n FROM winnow_kept "
                                   "WHERE %s IS NOT NULL GROUP BY %s) ORDER BY n DESC, v ASC LIMIT 1)",
                              name, name, name);
      break;
    }
}

static gboolean
duckdb_fill (WinnowExportWriter *w, GError **error)
{
  DuckState *s = state (w);
  WinnowPlan *plan = s->plan;
  GString *out = w->body;
  gboolean any_stats = FALSE, any_run = FALSE;

  if (w->recipe->fill->len == 0)
    return TRUE;

  /* Statistics see the rows that remain after the steps before. */
  g_string_append_printf (out, "-- fill\nCREATE TEMP TABLE winnow_kept AS SELECT * FROM %s;\n", s->relation);
  for (guint k = 0; k < plan->n_kept; k++)
    {
      WinnowColumnFill *f = &plan->fills[k];
      any_stats |= f->active && (f->strategy == WINNOW_FILL_MEAN || f->strategy == WINNOW_FILL_MEDIAN ||
                                 f->strategy == WINNOW_FILL_MODE);
      any_run |= f->active && (f->strategy == WINNOW_FILL_FFILL || f->strategy == WINNOW_FILL_BFILL);
    }
  if (any_stats)
    {
      gboolean first = TRUE, tree = FALSE;

      for (guint k = 0; k < plan->n_kept; k++)
        if (plan->fills[k].active && plan->fills[k].strategy == WINNOW_FILL_MEAN)
          {
            g_autofree char *name = kept_column (s, k);
            if (!tree)
              append_pairwise_tree (out);
            tree = TRUE;
            append_pairwise_mean (out, name);
          }
      g_string_append (out, "CREATE TEMP TABLE winnow_stats AS SELECT");
      for (guint k = 0; k < plan->n_kept; k++)
        {
          WinnowColumnFill *f = &plan->fills[k];
          g_autofree char *name = kept_column (s, k);
          if (!f->active || f->strategy == WINNOW_FILL_VALUE || f->strategy == WINNOW_FILL_FFILL ||
              f->strategy == WINNOW_FILL_BFILL)
            continue;
          g_string_append (out, first ? "\n    " : ",\n    ");
          append_statistic (out, f->strategy, name);
          g_string_append_printf (out, " AS %s", name);
          first = FALSE;
        }
      g_string_append (out, ";\n");
      for (guint k = 0; k < plan->n_kept; k++)
        {
          WinnowColumnFill *f = &plan->fills[k];
          g_autofree char *name = kept_column (s, k);
          g_autofree char *message = NULL;
          if (!f->active || f->strategy == WINNOW_FILL_VALUE || f->strategy == WINNOW_FILL_FFILL ||
              f->strategy == WINNOW_FILL_BFILL)
            continue;
          message = g_strdup_printf ("warning: fill: column \"%s\" has no %s, so its %s fill left it empty",
                                     (char *) g_ptr_array_index (plan->kept_names, k),
                                     f->strategy == WINNOW_FILL_MODE ? "values" : "numbers",
                                     winnow_fill_strategy_to_string (f->strategy));
          g_string_append (out, "SELECT ");
          append_literal (out, message);
          g_string_append_printf (out, " FROM winnow_stats WHERE %s IS NULL;\n", name);
        }
    }

  /* ffill and bfill: g counts the values so far (from the end for bfill),
   * so a run of missing fields shares its g with the value before it. */
  if (any_run)
    {
      g_string_append (out, "CREATE TEMP VIEW winnow_runs AS SELECT *");
      for (guint k = 0; k < plan->n_kept; k++)
        {
          WinnowColumnFill *f = &plan->fills[k];
          g_autofree char *name = kept_column (s, k);
          if (f->active && (f->strategy == WINNOW_FILL_FFILL || f->strategy == WINNOW_FILL_BFILL))
            g_string_append_printf (out, ",\n    count(%s) OVER (ORDER BY winnow_row%s ROWS BETWEEN "
                                         "UNBOUNDED PRECEDING AND CURRENT ROW) AS g_%s",
                                    name, f->strategy == WINNOW_FILL_BFILL ? " DESC" : "", name);
        }
      g_string_append (out, "\nFROM winnow_kept;\n");
    }

  g_string_append_printf (out, "CREATE TEMP VIEW %s AS\nSELECT winnow_row", next_relation (s));
  for (guint k = 0; k < plan->n_kept; k++)
    {
      WinnowColumnFill *f = &plan->fills[k];
      g_autofree char *name = kept_column (s, k);
      const char *desc = f->strategy == WINNOW_FILL_BFILL ? " DESC" : "";

      g_string_append (out, ",\n    ");
      if (!f->active)
        g_string_append (out, name);
      else if (f->strategy == WINNOW_FILL_VALUE)
        {
          g_string_append_printf (out, "coalesce(%s, ", name);
          append_literal (out, f->value);
          g_string_append (out, ")");
        }
      else if (f->strategy == WINNOW_FILL_FFILL || f->strategy == WINNOW_FILL_BFILL)
        {
          g_string_append_printf (out, "CASE WHEN %s IS NOT NULL THEN %s WHEN g_%s > 0", name, name, name);
          if (f->limit > 0)
            g_string_append_printf (out, " AND row_number() OVER (PARTITION BY g_%s ORDER BY winnow_row%s) - 1 <= %"
                                         G_GINT64_FORMAT, name, desc, f->limit);
          g_string_append_printf (out, " THEN first_value(%s) OVER (PARTITION BY g_%s ORDER BY winnow_row%s) END",
                                  name, name, desc);
        }
      else
        g_string_append_printf (out, "coalesce(%s, (SELECT %s FROM winnow_stats))", name, name);
      g_string_append_printf (out, " AS %s", name);
    }
  g_string_append_printf (out, "\nFROM %s;\n\n", any_run ? "winnow_runs" : "winnow_kept");
  return TRUE;
}

static gboolean
duckdb_output (WinnowExportWriter *w, GError **error)
{
  DuckState *s = state (w);
  const WinnowRecipe *r = w->recipe;
  GString *out = w->body;
  g_autofree char *sep = NULL;
  const char *eol = r->crlf ? " || chr(13)" : "";
  GString *delim = g_string_new (NULL);

  /* "same": the input's delimiter as the file was read, a comma for '"' */
  append_char_literal (delim, winnow_recipe_output_delimiter (r, w->file->delimiter));
  sep = g_string_free (delim, FALSE);

  g_string_append (out, "-- output: Winnow's quoting and formula guard, line by line\nCOPY (\n");
  g_string_append (out, "  SELECT line FROM (\n");
  if (r->header)
    {
      g_string_append (out, "    SELECT -1 AS winnow_row, ");
      if (s->plan->n_kept == 1 && ((char *) g_ptr_array_index (s->plan->kept_names, 0))[0] == '\0')
        g_string_append (out, "'\"\"'");
      for (guint k = 0; k < s->plan->n_kept && !(s->plan->n_kept == 1 &&
                                                  ((char *) g_ptr_array_index (s->plan->kept_names, 0))[0] == '\0'); k++)
        {
          if (k > 0)
            g_string_append_printf (out, " || %s || ", sep);
          g_string_append (out, "winnow_field(");
          append_literal (out, g_ptr_array_index (s->plan->kept_names, k));
          g_string_append (out, ")");
        }
      g_string_append_printf (out, "%s AS line\n    UNION ALL\n", eol);
    }
  g_string_append (out, "    SELECT winnow_row, ");
  if (s->plan->n_kept == 1)
    {
      g_autofree char *name = kept_column (s, 0);
      g_string_append_printf (out, "CASE WHEN coalesce(%s, '') = '' THEN '\"\"' ELSE winnow_field(%s) END",
                              name, name);
    }
  else
    for (guint k = 0; k < s->plan->n_kept; k++)
      {
        g_autofree char *name = kept_column (s, k);
        if (k > 0)
          g_string_append_printf (out, " || %s || ", sep);
        g_string_append_printf (out, "winnow_field(%s)", name);
      }
  g_string_append_printf (out, "%s AS line\n    FROM %s\n  ) ORDER BY winnow_row\n) TO ", eol, s->relation);
  append_literal (out, w->file->output_path);
  g_string_append (out, " (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f', "
                        "USE_TMP_FILE true);\n");
  return TRUE;
}

/* ---- the script ---- */

static char *
assemble_duckdb (WinnowExportWriter *w, GError **error)
{
  const WinnowRecipe *r = w->recipe;
  g_autofree char *recipe = winnow_export_recipe_comment (r, "--   ");
  g_autofree char *delimiter = winnow_delimiter_to_string (w->file->delimiter, "auto");
  g_autofree char *notes = winnow_export_notes_text (w, "-- ");
  GString *out = g_string_new (NULL);

  g_string_append (out, "-- Cleans one CSV file with DuckDB, as a Winnow recipe does.\n--\n"
                        "-- usage: duckdb < clean.sql   (or run it with any DuckDB binding)\n--\n");
  g_string_append_printf (out, "-- Generated by " PACKAGE_NAME " " PACKAGE_VERSION " for the file as it "
                               "read it: delimiter %s, encoding %s,\n-- %u columns. Every field is read as "
                               "text, the NA tokens match whole fields.\n",
                          delimiter, w->file->encoding, state (w)->plan->n_input);
  g_string_append (out,
    "-- Where DuckDB may differ from winnow --batch: a file that is not valid\n"
    "-- UTF-8 past its first 64 KiB stops the script (Winnow reads it again as\n"
    "-- Windows-1252).\n--\n");
  if (notes[0] != '\0')
    g_string_append_printf (out, "%s--\n", notes);
  g_string_append (out, "-- The recipe:\n");
  g_string_append (out, recipe);
  g_string_append (out, "\nSET preserve_insertion_order = true;\n\n");

  g_string_append (out, "CREATE TEMP MACRO winnow_number(x) AS CASE WHEN regexp_full_match(x, '"
                        NUMBER_PATTERN "')\n"
                        "    THEN CASE WHEN isfinite(TRY_CAST(trim(x, ' ' || chr(9) || chr(10) || chr(11) || "
                        "chr(12) || chr(13)) AS DOUBLE))\n"
                        "    THEN TRY_CAST(trim(x, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) "
                        "AS DOUBLE) END END;\n");
  g_string_append (out, "CREATE TEMP MACRO winnow_float_text(d) AS regexp_replace(CAST(d AS VARCHAR), "
                        "'\\.0$', '');\n");
  g_string_append (out, "CREATE TEMP MACRO winnow_na(x) AS CASE WHEN x IN (");
  for (guint i = 0; i < r->na_values->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_literal (out, g_ptr_array_index (r->na_values, i));
    }
  if (r->na_values->len == 0)
    g_string_append (out, "NULL");
  g_string_append (out, ") THEN NULL ELSE x END;\n");
  if (r->formula_guard)
    g_string_append (out, "CREATE TEMP MACRO winnow_guard(x) AS CASE WHEN regexp_matches(x, '^[=+\\-@\\t\\r]')\n"
                          "    AND (regexp_matches(x, '^[\\t\\r]') OR winnow_number(x) IS NULL) "
                          "THEN '''' || x ELSE x END;\n");
  else
    g_string_append (out, "CREATE TEMP MACRO winnow_guard(x) AS x;\n");
  /* quoted when it holds the delimiter (the whole character), '"', CR or LF */
  g_string_append (out, "CREATE TEMP MACRO winnow_field(x) AS CASE WHEN regexp_matches(coalesce(x, ''), "
                        "'[\"\\r\\n]')\n    OR contains(coalesce(x, ''), ");
  append_char_literal (out, winnow_recipe_output_delimiter (r, w->file->delimiter));
  g_string_append (out, ")\n    THEN '\"' || replace(winnow_guard(coalesce(x, '')), '\"', '\"\"') || '\"'"
                        " ELSE winnow_guard(coalesce(x, '')) END;\n\n");
  g_string_append (out, w->body->str);
  return g_string_free (out, FALSE);
}

const WinnowExportBackend winnow_export_duckdb_backend = {
  .input = duckdb_input,
  .steps = {
    [WINNOW_STEP_DROP_COLUMNS] = duckdb_drop_columns,
    [WINNOW_STEP_TRIM] = duckdb_trim_whitespace,
    [WINNOW_STEP_REPLACE] = duckdb_replace,
    [WINNOW_STEP_DROP_DUPLICATES] = duckdb_drop_duplicates,
    [WINNOW_STEP_DROP_MISSING] = duckdb_drop_missing,
    [WINNOW_STEP_FILL] = duckdb_fill,
  },
  .output = duckdb_output,
  .assemble = assemble_duckdb,
  .begin = duckdb_begin,
  .end = duckdb_end,
};
