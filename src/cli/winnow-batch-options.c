/* winnow-batch-options.c: see winnow-batch-options.h.
 *
 * The options are applied on top of --recipe (or of an empty recipe), so
 * each one overrides just its part of a step; an option that configures a
 * step also switches it on (--keep last alone means "drop duplicates,
 * keeping the last").
 */
#include "config.h"

#include "winnow-batch-options.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct {
  gboolean batch;
  char *recipe_path;
  char *drop_columns;
  gboolean trim;
  gboolean dedupe;
  char *dedupe_subset;
  char *keep;
  char *drop_missing;
  char *subset;
  gint thresh;
  GPtrArray *fills;        /* "f:COL=STRATEGY" or "v:COL=TEXT", in order */
  char *na_values;
  char *delimiter;
  gboolean no_header;
  char *quote;
  char *encoding;
  char *bad_lines;
  char *out_delimiter;
  char *line_ending;
  gboolean formula_guard;
  char *output;
  char *output_dir;
  gboolean force;
  gboolean json;
  char *save_recipe;
  char *export_format;
  gboolean no_history;
  char *db;
  gint jobs;
  char **files;
} Parsed;

static void
parsed_clear (Parsed *p)
{
  g_free (p->recipe_path);
  g_free (p->drop_columns);
  g_free (p->dedupe_subset);
  g_free (p->keep);
  g_free (p->drop_missing);
  g_free (p->subset);
  g_ptr_array_unref (p->fills);
  g_free (p->na_values);
  g_free (p->delimiter);
  g_free (p->quote);
  g_free (p->encoding);
  g_free (p->bad_lines);
  g_free (p->out_delimiter);
  g_free (p->line_ending);
  g_free (p->output);
  g_free (p->output_dir);
  g_free (p->save_recipe);
  g_free (p->export_format);
  g_free (p->db);
  g_strfreev (p->files);
}

static gboolean
on_drop_duplicates (const char *name, const char *value, gpointer data, GError **error)
{
  Parsed *p = data;
  p->dedupe = TRUE;
  g_free (p->dedupe_subset);
  p->dedupe_subset = g_strdup (value);
  return TRUE;
}

static gboolean
on_fill (const char *name, const char *value, gpointer data, GError **error)
{
  Parsed *p = data;
  const char *kind = g_str_equal (name, "--fill") ? "f:" : "v:";

  if (value == NULL || strchr (value, '=') == NULL || value[0] == '=')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: an option (--fill or --fill-value), then what was given */
                   g_str_equal (name, "--fill") ? _("%s: expected COLUMN=STRATEGY, not “%s”")
                                                : _("%s: expected COLUMN=TEXT, not “%s”"),
                   name, value ? value : "");
      return FALSE;
    }
  g_ptr_array_add (p->fills, g_strconcat (kind, value, NULL));
  return TRUE;
}

static const GOptionEntry *
entries_for (void)
{
  static const GOptionEntry entries[] = {
    { "batch", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Clean files without a window"), NULL },
    { "recipe", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Read the recipe from FILE; the options below override its steps"), N_("FILE") },
    { "drop-columns", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Remove these columns"), N_("A,B") },
    { "trim", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Strip spaces and tabs around every field"), NULL },
    { "drop-duplicates", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_drop_duplicates,
      N_("Drop duplicate rows, comparing these columns (default: all)"), N_("A,B") },
    { "keep", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Which duplicate to keep: first, last or none"), N_("WHICH") },
    { "drop-missing", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Drop rows with any or all fields missing"), N_("any|all") },
    { "subset", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Columns --drop-missing and --thresh look at (default: all)"), N_("A,B") },
    { "thresh", 0, 0, G_OPTION_ARG_INT, NULL,
      N_("Keep rows with at least N fields present"), N_("N") },
    { "fill", 0, 0, G_OPTION_ARG_CALLBACK, on_fill,
      N_("Fill a column's missing fields: mean, median, mode, ffill or bfill "
         "(ffill:N and bfill:N fill at most N in a row); repeatable"),
      N_("COL=STRATEGY") },
    { "fill-value", 0, 0, G_OPTION_ARG_CALLBACK, on_fill,
      N_("Fill a column's missing fields with TEXT; repeatable"), N_("COL=TEXT") },
    { "na-values", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The texts that mean “missing” (default: pandas’ list)"), N_("A,B") },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The input delimiter: auto, a character, or tab"), N_("CHAR") },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("The first row is data; columns are named column_1, column_2…"), NULL },
    { "quote", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The input quote character (default: \")"), N_("CHAR") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The input encoding (default: auto, UTF-8 or else Windows-1252)"), N_("NAME") },
    { "bad-lines", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("What to do with rows that have too many fields: error, skip or warn"), N_("POLICY") },
    { "output-delimiter", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The output delimiter (default: ,)"), N_("CHAR") },
    { "line-ending", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Output line ends: lf or crlf"), N_("END") },
    { "formula-guard", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Prefix fields a spreadsheet would run as formulas with '"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Write the cleaned file here (one input only)"), N_("FILE") },
    { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Write cleaned files into DIR (default: beside each input)"), N_("DIR") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, NULL,
      N_("Replace an output file that exists"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the summary as JSON"), NULL },
    { "save-recipe", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Write the recipe these options make to FILE, and exit"), N_("FILE") },
    { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Print the recipe as a program for pandas, dask or duckdb, and exit "
         "(duckdb: give the input and output files)"), N_("FORMAT") },
    { "no-history", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Keep no record of these tasks"), NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, NULL,
      N_("Clean N files at once (default: one per processor)"), N_("N") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep the task history in this database (default: the desktop’s, or $WINNOW_DB)"),
      N_("PATH") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("FILE…") },
    { NULL }
  };
  return entries;
}

static void
bind_entries (GOptionEntry *e, Parsed *p)
{
  gpointer targets[] = {
    &p->batch, &p->recipe_path, &p->drop_columns, &p->trim, NULL, &p->keep, &p->drop_missing,
    &p->subset, &p->thresh, NULL, NULL, &p->na_values, &p->delimiter, &p->no_header, &p->quote,
    &p->encoding, &p->bad_lines, &p->out_delimiter, &p->line_ending, &p->formula_guard,
    &p->output, &p->output_dir, &p->force, &p->json, &p->save_recipe, &p->export_format, &p->no_history, &p->jobs,
    &p->db, &p->files,
  };
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (targets[i] != NULL)
      e[i].arg_data = targets[i];
}

static GPtrArray *
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i]; i++)
    g_ptr_array_add (list, g_strdup (parts[i]));
  return list;
}

static void
replace_list (GPtrArray *target, const char *text)
{
  g_autoptr(GPtrArray) list = split_list (text);

  g_ptr_array_set_size (target, 0);
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (target, g_strdup (g_ptr_array_index (list, i)));
}

/* @expected is translated by the caller; the option's own values in it
 * (first, last, none…) are what the user types, so they stay in English. */
static gboolean
bad_value (GError **error, const char *option, const char *expected, const char *value)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               /* Translators: an option such as --keep, what it takes (such as
                * "one character"), then what was given */
               _("%s: expected %s, not “%s”"), option, expected, value);
  return FALSE;
}

static gboolean
apply_fill (WinnowRecipe *recipe, const char *spec, GError **error)
{
  gboolean is_value = spec[0] == 'v';
  const char *option = is_value ? "--fill-value" : "--fill";
  const char *eq = strchr (spec + 2, '=');
  g_autofree char *column = g_strndup (spec + 2, (gsize) (eq - spec - 2));
  const char *rest = eq + 1;
  WinnowFillStrategy strategy = WINNOW_FILL_VALUE;
  gint64 limit = 0;

  if (!is_value)
    {
      g_autofree char *name = g_strdup (rest);
      char *colon = strchr (name, ':');
      if (colon != NULL)
        {
          char *end;
          *colon = '\0';
          limit = g_ascii_strtoll (colon + 1, &end, 10);
          if (*end != '\0' || limit < 1)
            /* Translators: completes "--fill: expected %s, not “%s”" */
            return bad_value (error, option, _("a limit of 1 or more after “:”"), rest);
        }
      if (!winnow_fill_strategy_from_string (name, &strategy))
        /* Translators: the strategy names are values of --fill; keep them as they are */
        return bad_value (error, option, _("COLUMN=mean, median, mode, ffill or bfill"), spec + 2);
      if (limit > 0 && strategy != WINNOW_FILL_FFILL && strategy != WINNOW_FILL_BFILL)
        return bad_value (error, option, _("a limit only with ffill or bfill"), spec + 2);
    }

  for (guint i = 0; i < recipe->fill->len; i++)
    {
      WinnowFillRule *rule = g_ptr_array_index (recipe->fill, i);
      if (g_str_equal (rule->column, column))
        {
          g_ptr_array_remove_index (recipe->fill, i);
          break;
        }
    }
  winnow_recipe_add_fill (recipe, column, strategy, is_value ? rest : NULL, limit);
  return TRUE;
}

static gboolean
apply (Parsed *p, WinnowRecipe *r, GError **error)
{
  if (p->drop_columns)
    replace_list (r->drop_columns, p->drop_columns);
  if (p->trim)
    r->trim_whitespace = TRUE;

  if (p->dedupe)
    {
      r->drop_duplicates = TRUE;
      g_ptr_array_set_size (r->duplicates_subset, 0);
      if (p->dedupe_subset && p->dedupe_subset[0])
        replace_list (r->duplicates_subset, p->dedupe_subset);
    }
  if (p->keep)
    {
      if (!winnow_keep_from_string (p->keep, &r->keep))
        /* Translators: first, last and none are values of --keep; keep them as they are */
        return bad_value (error, "--keep", _("first, last or none"), p->keep);
      r->drop_duplicates = TRUE;
    }

  if (p->drop_missing && p->thresh >= 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("give either --drop-missing or --thresh, not both (as in pandas)"));
      return FALSE;
    }
  if (p->drop_missing)
    {
      if (g_str_equal (p->drop_missing, "any"))
        r->how = WINNOW_HOW_ANY;
      else if (g_str_equal (p->drop_missing, "all"))
        r->how = WINNOW_HOW_ALL;
      else
        /* Translators: any and all are values of --drop-missing; keep them as they are */
        return bad_value (error, "--drop-missing", _("any or all"), p->drop_missing);
      r->drop_missing = TRUE;
      r->thresh = -1;
    }
  if (p->thresh != -1)
    {
      if (p->thresh < 0)
        {
          g_autofree char *text = g_strdup_printf ("%d", p->thresh);
          return bad_value (error, "--thresh", _("a number of 0 or more"), text);
        }
      r->drop_missing = TRUE;
      r->thresh = p->thresh;
    }
  if (p->subset)
    {
      replace_list (r->missing_subset, p->subset);
      r->drop_missing = TRUE;
    }

  for (guint i = 0; i < p->fills->len; i++)
    if (!apply_fill (r, g_ptr_array_index (p->fills, i), error))
      return FALSE;

  if (p->na_values)
    replace_list (r->na_values, p->na_values);
  if (p->delimiter && !winnow_delimiter_from_string (p->delimiter, TRUE, &r->delimiter))
    return bad_value (error, "--delimiter", _("auto, tab or one character"), p->delimiter);
  if (p->no_header)
    r->header = FALSE;
  if (p->quote)
    {
      if (strlen (p->quote) != 1 || (guchar) p->quote[0] >= 0x80)
        return bad_value (error, "--quote", _("one character"), p->quote);
      r->quote = p->quote[0];
    }
  if (p->encoding)
    {
      g_free (r->encoding);
      r->encoding = g_strdup (p->encoding);
    }
  if (p->bad_lines && !winnow_bad_lines_from_string (p->bad_lines, &r->bad_lines))
    /* Translators: error, skip and warn are values of --bad-lines; keep them as they are */
    return bad_value (error, "--bad-lines", _("error, skip or warn"), p->bad_lines);
  if (p->out_delimiter && !winnow_delimiter_from_string (p->out_delimiter, FALSE, &r->out_delimiter))
    return bad_value (error, "--output-delimiter", _("tab or one character"), p->out_delimiter);
  if (p->line_ending)
    {
      if (g_ascii_strcasecmp (p->line_ending, "lf") == 0)
        r->crlf = FALSE;
      else if (g_ascii_strcasecmp (p->line_ending, "crlf") == 0)
        r->crlf = TRUE;
      else
        /* Translators: lf and crlf are values of --line-ending; keep them as they are */
        return bad_value (error, "--line-ending", _("lf or crlf"), p->line_ending);
    }
  if (p->formula_guard)
    r->formula_guard = TRUE;
  return winnow_recipe_validate (r, error);
}

/* --export FORMAT: the DuckDB script names its files, the Python programs
 * take theirs as arguments. */
static gboolean
parse_export (Parsed *p, WinnowBatchOptions *options, GError **error)
{
  guint n_files = g_strv_length (options->files);

  if (!winnow_export_format_from_string (p->export_format, &options->export_format))
    /* Translators: pandas, dask and duckdb are values of --export; keep them as they are */
    return bad_value (error, "--export", _("pandas, dask or duckdb"), p->export_format);
  options->export = TRUE;
  if (winnow_export_format_needs_file (options->export_format) && n_files != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   /* Translators: %s is a value of --export, such as duckdb */
                   _("--export %s: give the input file and the output file the script uses"),
                   p->export_format);
      return FALSE;
    }
  if (!winnow_export_format_needs_file (options->export_format) && n_files != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   /* Translators: %s is a value of --export, such as pandas */
                   _("--export %s: the program takes its files when it runs; give none here"),
                   p->export_format);
      return FALSE;
    }
  return TRUE;
}

static char *
summary_text (void)
{
  return g_strdup (_("Cleans CSV files as pandas would: drops columns, duplicate rows and rows "
                     "with missing values, and fills missing values. Each FILE is written to "
                     "FILE.cleaned.csv beside it, or as --output and --output-dir say.\n\n"
                     "Exit status: 0 when every file was cleaned, 1 when some failed, "
                     "2 for a bad option or recipe."));
}

/**
 * winnow_batch_options_parse:
 * Returns: (transfer full): the options, or %NULL with @error for a bad
 *   option or recipe (exit status 2)
 */
WinnowBatchOptions *
winnow_batch_options_parse (int argc, char **argv, GError **error)
{
  Parsed p = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);  /* the FILE… of G_OPTION_REMAINING */
  GOptionGroup *group;
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr(WinnowBatchOptions) options = g_new0 (WinnowBatchOptions, 1);
  g_autofree char *summary = summary_text ();
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  gboolean ok = FALSE;
  guint n_entries = 0;

  /* "--drop-duplicates FILE" must not take FILE as its column list: only
   * the "=A,B" form gives one. */
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (g_str_equal (argv[i], "--drop-duplicates") ? "--drop-duplicates=" : argv[i]);
  while (entries_for ()[n_entries].long_name != NULL)
    n_entries++;
  entries = g_memdup2 (entries_for (), (n_entries + 1) * sizeof (GOptionEntry));

  p.thresh = -1;
  p.fills = g_ptr_array_new_with_free_func (g_free);
  bind_entries (entries, &p);
  group = g_option_group_new ("batch", NULL, NULL, &p, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  g_option_context_set_summary (context, summary);
  g_option_context_set_strict_posix (context, FALSE);

  if (!g_option_context_parse_strv (context, &args, error))
    goto out;

  options->recipe = p.recipe_path ? winnow_recipe_new_from_file (p.recipe_path, error)
                                  : winnow_recipe_new ();
  if (options->recipe == NULL || !apply (&p, options->recipe, error))
    goto out;

  options->files = g_steal_pointer (&p.files);
  if (options->files == NULL)
    options->files = g_new0 (char *, 1);
  options->output = g_steal_pointer (&p.output);
  options->output_dir = g_steal_pointer (&p.output_dir);
  options->save_recipe = g_steal_pointer (&p.save_recipe);
  if (p.export_format != NULL && !parse_export (&p, options, error))
    goto out;
  options->force = p.force;
  options->json = p.json;
  options->no_history = p.no_history;
  options->db = g_steal_pointer (&p.db);
  if (p.jobs < 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", p.jobs);
      bad_value (error, "--jobs", _("a number of 1 or more"), text);
      goto out;
    }
  options->jobs = (guint) p.jobs;
  if (options->no_history && options->db != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("give either --db or --no-history, not both"));
      goto out;
    }

  if (options->save_recipe == NULL && !options->export && g_strv_length (options->files) == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("no input files (see winnow --batch --help)"));
      goto out;
    }
  if (options->output != NULL && g_strv_length (options->files) > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--output takes one input file; use --output-dir for several"));
      goto out;
    }
  if (options->output != NULL && options->output_dir != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("give either --output or --output-dir, not both"));
      goto out;
    }
  ok = TRUE;

out:
  parsed_clear (&p);
  return ok ? g_steal_pointer (&options) : NULL;
}

void
winnow_batch_options_free (WinnowBatchOptions *options)
{
  if (options == NULL)
    return;
  if (options->recipe)
    winnow_recipe_free (options->recipe);
  g_strfreev (options->files);
  g_free (options->output);
  g_free (options->output_dir);
  g_free (options->save_recipe);
  g_free (options->db);
  g_free (options);
}
