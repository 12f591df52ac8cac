/* winnow-batch-options.c: see winnow-batch-options.h.
 *
 * The options are applied on top of --recipe (or of an empty recipe), so
 * each one overrides just its part of a step; an option that configures a
 * step also switches it on (--keep last alone means "drop duplicates,
 * keeping the last"). With no step and no --recipe they apply on top of
 * the window's default recipe (default_recipe()).
 */
#include "config.h"

#include "winnow-batch-options.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-recipe-library.h"
#include "winnow-step.h"
#include "winnow-settings.h"
#include "winnow-scheduler.h"
#include "winnow-user-text.h"

/* An option of a step, as given: applied in command-line order. */
typedef struct {
  const WinnowStepOption *option;
  char *value;
} GivenStep;

typedef struct {
  gboolean batch;
  char *recipe_path;
  GArray *steps;           /* of GivenStep, in the order given */
  GHashTable *given;       /* names of the step options given */
  char *na_values;
  char *delimiter;
  gboolean no_header;
  char *quote;
  char *encoding;
  char *bad_lines;
  char *out_delimiter;
  char *line_ending;
  gboolean formula_guard;
  gboolean rejects;
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
given_step_clear (gpointer data)
{
  g_free (((GivenStep *) data)->value);
}

static void
parsed_clear (Parsed *p)
{
  g_free (p->recipe_path);
  g_array_unref (p->steps);
  g_hash_table_unref (p->given);
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

/* The step option called @name ("--fill"), from the steps' entries. */
static const WinnowStepOption *
find_step_option (const char *name)
{
  if (!g_str_has_prefix (name, "--"))
    return NULL;
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    for (const WinnowStepOption *o = winnow_step_get (i)->options; o && o->name; o++)
      if (g_str_equal (o->name, name + 2))
        return o;
  return NULL;
}

static gboolean
on_step_option (const char *name, const char *value, gpointer data, GError **error)
{
  Parsed *p = data;
  GivenStep given = { find_step_option (name), g_strdup (value ? value : "") };

  g_return_val_if_fail (given.option != NULL, FALSE);
  g_array_append_val (p->steps, given);
  g_hash_table_add (p->given, (gpointer) given.option->name);
  return TRUE;
}

static GOptionEntry
entry (const char *name, char short_name, GOptionArg arg, gpointer target,
       const char *description, const char *arg_description)
{
  return (GOptionEntry) { name, short_name, 0, arg, target, description, arg_description };
}

/* The options of `winnow --batch`: the steps' own (from their entries in
 * winnow-step.h, in the order the steps run), then how files are read
 * and written, and how the run goes. Each is bound to its field by name. */
static GArray *
make_entries (Parsed *p)
{
  GArray *entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  GOptionEntry e;

#define ADD(...) (e = entry (__VA_ARGS__), g_array_append_val (entries, e))
  ADD ("batch", 0, G_OPTION_ARG_NONE, &p->batch, N_("Clean files without a window"), NULL);
  ADD ("recipe", 0, G_OPTION_ARG_FILENAME, &p->recipe_path,
       N_("Read the recipe from FILE; the options below override its steps"), N_("FILE"));
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    for (const WinnowStepOption *o = winnow_step_get (i)->options; o && o->name; o++)
      {
        e = (GOptionEntry) { o->name, 0, 0, G_OPTION_ARG_CALLBACK, on_step_option,
                             o->description, o->arg_description };
        if (o->kind == WINNOW_STEP_OPTION_FLAG)
          e.flags = G_OPTION_FLAG_NO_ARG;
        else if (o->kind == WINNOW_STEP_OPTION_OPTIONAL)
          e.flags = G_OPTION_FLAG_OPTIONAL_ARG;
        g_array_append_val (entries, e);
      }
  ADD ("na-values", 0, G_OPTION_ARG_STRING, &p->na_values,
       N_("The texts that mean “missing” (default: pandas’ list)"), N_("A,B"));
  ADD ("delimiter", 0, G_OPTION_ARG_STRING, &p->delimiter,
       N_("The input delimiter: auto, a character, or tab"), N_("CHAR"));
  ADD ("no-header", 0, G_OPTION_ARG_NONE, &p->no_header,
       N_("The first row is data; columns are named column_1, column_2…"), NULL);
  ADD ("quote", 0, G_OPTION_ARG_STRING, &p->quote,
       N_("The input quote character (default: \")"), N_("CHAR"));
  ADD ("encoding", 0, G_OPTION_ARG_STRING, &p->encoding,
       N_("The input encoding (default: auto, UTF-8 or else Windows-1252)"), N_("NAME"));
  ADD ("bad-lines", 0, G_OPTION_ARG_STRING, &p->bad_lines,
       N_("What to do with rows that have too many fields: error, skip or warn"), N_("POLICY"));
  ADD ("output-delimiter", 0, G_OPTION_ARG_STRING, &p->out_delimiter,
       N_("The output delimiter: same (as the input, the default), a character, or tab"),
       N_("CHAR"));
  ADD ("line-ending", 0, G_OPTION_ARG_STRING, &p->line_ending,
       N_("Output line ends: lf or crlf"), N_("END"));
  ADD ("formula-guard", 0, G_OPTION_ARG_NONE, &p->formula_guard,
       N_("Prefix fields a spreadsheet would run as formulas with '"), NULL);
  ADD ("rejects", 0, G_OPTION_ARG_NONE, &p->rejects,
       N_("Also write the rows dropped, with their line and why, to NAME.rejected.csv beside "
          "each output NAME.csv"), NULL);
  ADD ("output", 'o', G_OPTION_ARG_FILENAME, &p->output,
       N_("Write the cleaned file here (one input only)"), N_("FILE"));
  ADD ("output-dir", 0, G_OPTION_ARG_FILENAME, &p->output_dir,
       N_("Write cleaned files into DIR (default: beside each input)"), N_("DIR"));
  ADD ("force", 'f', G_OPTION_ARG_NONE, &p->force, N_("Replace an output file that exists"), NULL);
  ADD ("json", 0, G_OPTION_ARG_NONE, &p->json, N_("Print the summary as JSON"), NULL);
  ADD ("save-recipe", 0, G_OPTION_ARG_FILENAME, &p->save_recipe,
       N_("Write the recipe these options make to FILE, and exit"), N_("FILE"));
  ADD ("export", 0, G_OPTION_ARG_STRING, &p->export_format,
       N_("Print the recipe as a program for pandas, dask or duckdb, and exit "
          "(duckdb: give the input and output files)"), N_("FORMAT"));
  ADD ("no-history", 0, G_OPTION_ARG_NONE, &p->no_history, N_("Keep no record of these tasks"),
       NULL);
  ADD ("jobs", 'j', G_OPTION_ARG_INT, &p->jobs,
       N_("Clean N files at once (default: one per processor)"), N_("N"));
  ADD ("db", 0, G_OPTION_ARG_FILENAME, &p->db,
       N_("Keep the task history in this database (default: the desktop’s, or $WINNOW_DB)"),
       N_("PATH"));
  ADD (G_OPTION_REMAINING, 0, G_OPTION_ARG_FILENAME_ARRAY, &p->files, NULL, N_("FILE…"));
#undef ADD
  return entries;
}

static gboolean
bad_value (GError **error, const char *option, const char *expected, const char *value)
{
  return winnow_step_bad_option (error, option, expected, value);
}

/* Is @arg a URI ("scheme://…")? Only that form: "data:2024.csv" is a file
 * name, whatever GLib's command-line rule would make of it. */
static gboolean
is_uri (const char *arg)
{
  const char *p = arg;

  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  return g_str_has_prefix (p, "://");
}

/* A location given on the command line, as an absolute local path: a
 * path as it is, or a file:// URI. Winnow reads and writes local files
 * only: any other URI (http://, sftp://, smb://, trash://…) is a usage
 * error, not a NULL path further down. */
static char *
local_path (const char *option, const char *arg, GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *shown = NULL;
  char *path;

  if (!is_uri (arg))
    return g_canonicalize_filename (arg, NULL);
  path = g_filename_from_uri (arg, &host, NULL);
  if (path != NULL && (host == NULL || g_ascii_strcasecmp (host, "localhost") == 0))
    return path;
  g_free (path);
  shown = winnow_user_text_excerpt (arg);
  if (option != NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 /* Translators: an option such as --output, then a location such as
                  * sftp://host/file.csv; file:// stays as it is */
                 _("%s: “%s” is not a file on this computer; Winnow reads and writes local "
                   "files only (file:// locations work)"), option, shown);
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 /* Translators: a location such as sftp://host/file.csv; file:// stays as it is */
                 _("“%s” is not a file on this computer; Winnow reads and writes local files "
                   "only (file:// locations work)"), shown);
  return NULL;
}

/* Every location of the command line through local_path(), in place. */
static gboolean
localise (Parsed *p, GError **error)
{
  struct {
    const char *option;
    char **value;
  } options[] = {
    { "--recipe", &p->recipe_path },
    { "--output", &p->output },
    { "--output-dir", &p->output_dir },
    { "--save-recipe", &p->save_recipe },
    { "--db", &p->db },
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (*options[i].value != NULL)
      {
        char *path;

        /* "" would become the current folder */
        if (**options[i].value == '\0')
          /* Translators: completes "--output: expected %s, not “%s”" (any file option) */
          return bad_value (error, options[i].option, _("a file name"), "");
        path = local_path (options[i].option, *options[i].value, error);
        if (path == NULL)
          return FALSE;
        g_free (*options[i].value);
        *options[i].value = path;
      }
  for (guint i = 0; p->files != NULL && p->files[i] != NULL; i++)
    {
      char *path = local_path (NULL, p->files[i], error);
      if (path == NULL)
        return FALSE;
      g_free (p->files[i]);
      p->files[i] = path;
    }
  return TRUE;
}

/* The step options in the order given, then how files are read and
 * written. */
static gboolean
apply (Parsed *p, WinnowRecipe *r, GError **error)
{
  for (guint i = 0; i < p->steps->len; i++)
    {
      GivenStep *given = &g_array_index (p->steps, GivenStep, i);
      if (!given->option->apply (r, p->given, given->value, error))
        return FALSE;
    }
  if (p->na_values)
    winnow_step_set_list (r->na_values, p->na_values);
  if (p->delimiter && !winnow_delimiter_from_string (p->delimiter, "auto", &r->delimiter))
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
  if (p->out_delimiter && !winnow_delimiter_from_string (p->out_delimiter, "same", &r->out_delimiter))
    /* Translators: same and tab are values of --output-delimiter; keep them as they are */
    return bad_value (error, "--output-delimiter", _("same, tab or one character"), p->out_delimiter);
  if (p->out_delimiter && r->out_delimiter == '"')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: %s is output.delimiter (a recipe key) or
                    * --output-delimiter (an option) */
                   _("%s: \" cannot be the delimiter, because fields that hold a "
                     "delimiter, a quote or a line end are quoted with \""), "--output-delimiter");
      return FALSE;
    }
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
  if (p->rejects)
    r->rejects = TRUE;
  return winnow_recipe_validate (r, error);
}

/* No step and no --recipe: the recipe the window starts new tasks from,
 * so that `winnow --batch data.csv` cleans as the window would: the saved
 * recipe the default-recipe setting names, or the built-in one (also when
 * the settings schema is not installed, as in a build folder, or the
 * saved recipe cannot be read). @note says which, for stderr. */
static WinnowRecipe *
default_recipe (char **note)
{
  g_autoptr(GSettings) settings = winnow_settings_new ();
  g_autofree char *name = settings ? g_settings_get_string (settings, "default-recipe") : NULL;
  g_autoptr(GError) error = NULL;

  if (name != NULL && name[0] != '\0')
    {
      g_autoptr(WinnowRecipeLibrary) library = winnow_recipe_library_new (NULL);
      WinnowRecipe *recipe = winnow_recipe_library_load (library, name, &error);

      if (recipe != NULL)
        {
          /* Translators: %s is the name of a saved recipe */
          *note = g_strdup_printf (_("no step given: cleaning with the default recipe “%s” "
                                     "chosen in Preferences"), name);
          return recipe;
        }
      /* Translators: a recipe's name, then why it cannot be read */
      *note = g_strdup_printf (_("no step given, and the default recipe “%s” cannot be read "
                                 "(%s): cleaning with the built-in one (drop duplicate rows, "
                                 "drop rows where every field is missing)"), name, error->message);
    }
  else
    *note = g_strdup (_("no step given: cleaning with the built-in default recipe (drop "
                        "duplicate rows, drop rows where every field is missing)"));
  return winnow_recipe_new_default ();
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
  g_autoptr(GArray) entries = NULL;
  g_autoptr(WinnowBatchOptions) options = g_new0 (WinnowBatchOptions, 1);
  g_autofree char *summary = summary_text ();
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_auto(GStrv) args = NULL;
  gboolean ok = FALSE, files_only = FALSE;

  for (int i = 0; i < argc; i++)
    {
      const WinnowStepOption *o = find_step_option (argv[i]);

      /* "-j2", "-oFILE": as make and cc take them; GOption takes a short
       * option's value only as the next argument */
      if (i > 0 && !files_only && argv[i][0] == '-' && (argv[i][1] == 'j' || argv[i][1] == 'o') &&
          argv[i][2] != '\0')
        {
          g_ptr_array_add (list, g_strndup (argv[i], 2));
          g_ptr_array_add (list, g_strdup (argv[i] + 2));
          continue;
        }
      files_only |= strcmp (argv[i], "--") == 0;
      /* "--drop-duplicates FILE" must not take FILE as its column list: an
       * optional value is given only in the "=A,B" form. */
      g_ptr_array_add (list, o != NULL && o->kind == WINNOW_STEP_OPTION_OPTIONAL
                             ? g_strconcat (argv[i], "=", NULL) : g_strdup (argv[i]));
    }
  g_ptr_array_add (list, NULL);
  args = (char **) g_ptr_array_free (g_steal_pointer (&list), FALSE);

  p.steps = g_array_new (FALSE, TRUE, sizeof (GivenStep));
  g_array_set_clear_func (p.steps, given_step_clear);
  p.given = g_hash_table_new (g_str_hash, g_str_equal);
  entries = make_entries (&p);
  group = g_option_group_new ("batch", NULL, NULL, &p, NULL);
  g_option_group_add_entries (group, (GOptionEntry *) entries->data);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  g_option_context_set_summary (context, summary);
  g_option_context_set_strict_posix (context, FALSE);

  if (!g_option_context_parse_strv (context, &args, error) || !localise (&p, error))
    goto out;

  options->recipe = p.recipe_path ? winnow_recipe_new_from_file (p.recipe_path, error)
                  : p.steps->len > 0 ? winnow_recipe_new ()
                  : default_recipe (&options->recipe_note);
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
  if (p.jobs < 0 || p.jobs > WINNOW_SCHEDULER_MAX_WORKERS)
    {
      g_autofree char *text = g_strdup_printf ("%d", p.jobs);
      /* Translators: completes "--jobs: expected %s, not “%s”"; %d is the most */
      g_autofree char *range = g_strdup_printf (_("a number from 1 to %d"),
                                                WINNOW_SCHEDULER_MAX_WORKERS);
      bad_value (error, "--jobs", range, text);
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
  g_free (options->recipe_note);
  g_free (options);
}
