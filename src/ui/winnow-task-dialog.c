/* winnow-task-dialog.c: see winnow-task-dialog.h. The object, the files
 * it cleans, the sample read and cleaned off the main thread, the line
 * that says what will happen, and Clean. Where the output goes and the
 * recipe menu are rooms of their own (winnow-task-dialog-private.h). */
#include "config.h"

#include "winnow-task-dialog.h"
#include "winnow-task-dialog-private.h"

#include <glib/gi18n.h>

#include "winnow-forecast.h"
#include "winnow-history-call.h"
#include "winnow-recipe-library.h"
#include "winnow-sample-job.h"
#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

G_DEFINE_FINAL_TYPE (WinnowTaskDialog, winnow_task_dialog, ADW_TYPE_WINDOW)

enum { TASKS_ADDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void start_job (WinnowTaskDialog *self);

void
winnow_task_dialog_toast (WinnowTaskDialog *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* ---- what the files are ---- */

static char *
delimiter_words (gunichar delimiter)
{
  char text[8] = { 0 };

  switch (delimiter)
    {
    case ',': return g_strdup (_("Comma-separated"));
    case ';': return g_strdup (_("Semicolon-separated"));
    case '\t': return g_strdup (_("Tab-separated"));
    case '|': return g_strdup (_("Separated by vertical bars"));
    default:
      g_unichar_to_utf8 (delimiter, text);
      /* Translators: %s is one character, such as § */
      return g_strdup_printf (_("Separated by “%s”"), text);
    }
}

static void
update_titles (WinnowTaskDialog *self)
{
  g_autofree char *first = g_path_get_basename (g_ptr_array_index (self->paths, 0));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  guint n = self->paths->len;

  if (self->rerun != NULL)
    title = g_strdup_printf (_("Run “%s” Again"), first);
  else if (n == 1)
    title = g_strdup_printf (_("Clean “%s”"), first);
  else
    {
      g_autofree char *second = g_path_get_basename (g_ptr_array_index (self->paths, 1));

      title = g_strdup_printf (ngettext ("Clean %u File", "Clean %u Files", n), n);
      if (n == 2)
        /* Translators: two file names */
        subtitle = g_strdup_printf (_("%s and %s"), first, second);
      else
        /* Translators: two file names, then how many more */
        subtitle = g_strdup_printf (ngettext ("%s, %s and %u more", "%s, %s and %u more", n - 2),
                                    first, second, n - 2);
      winnow_recipe_editor_set_columns_note (self->editor,
                                             _("The columns of the first file. Switch off the "
                                               "columns to drop."));
    }
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->editor->file_row), first);
}

static void
update_file_row (WinnowTaskDialog *self)
{
  g_autofree char *words = NULL;
  g_autofree char *size = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *read = NULL;
  g_autofree char *subtitle = NULL;
  guint64 n;

  gtk_widget_set_visible (self->editor->file_skip, self->file_error != NULL &&
                                                   self->paths->len > 1);
  if (self->file_error != NULL)
    {
      adw_action_row_set_subtitle (self->editor->file_row, self->file_error);
      gtk_widget_add_css_class (GTK_WIDGET (self->editor->file_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->editor->file_row), "error");
  if (self->sample == NULL)
    {
      adw_action_row_set_subtitle (self->editor->file_row, _("Reading the first rows…"));
      return;
    }
  n = winnow_sample_get_n_rows (self->sample);
  words = delimiter_words (winnow_sample_get_delimiter (self->sample));
  size = g_format_size (winnow_sample_get_file_size (self->sample));
  rows = winnow_ui_format_count ((gint64) n);
  read = winnow_sample_is_whole_file (self->sample)
         ? g_strdup_printf (ngettext ("all %s row read", "all %s rows read", (gulong) n), rows)
         : g_strdup_printf (ngettext ("first %s row read", "first %s rows read", (gulong) n), rows);
  subtitle = g_strdup_printf ("%s · %s · %s · %s", words,
                              winnow_sample_get_encoding (self->sample), size, read);
  adw_action_row_set_subtitle (self->editor->file_row, subtitle);
}

static void
show_differing (WinnowTaskDialog *self, GPtrArray *differing)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (differing == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->editor->differ_row), differing->len > 0);
  for (guint i = 0; i < differing->len && i < 3; i++)
    g_string_append_printf (names, "%s“%s”", i ? ", " : "",
                            (char *) g_ptr_array_index (differing, i));
  if (differing->len > 3)
    g_string_append (names, ", …");
  adw_action_row_set_subtitle (self->editor->differ_row, names->str);
}

/* ---- what will happen, and whether Clean can ---- */

/* Says the first thing that keeps Clean off, where the forecast goes;
 * else the forecast. */
void
_winnow_task_dialog_update_state (WinnowTaskDialog *self)
{
  const char *problem = self->file_error;
  gboolean editor_problem = FALSE;
  const char *text;

  if (problem == NULL && winnow_recipe_editor_get_problem (self->editor) != NULL)
    {
      problem = winnow_recipe_editor_get_problem (self->editor);
      editor_problem = TRUE;
    }
  if (problem == NULL)
    problem = self->output_error;
  if (problem == NULL)
    problem = self->recipe_error;
  text = problem != NULL ? problem
                         : self->forecast != NULL ? self->forecast : _("Reading the first rows…");
  gtk_label_set_label (self->forecast_label, text);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->forecast_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->forecast_label), "error");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.clean",
                                 problem == NULL && !self->asking);
  /* a recipe the controls cannot make is not saved or exported either */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save-recipe", !editor_problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.export-recipe", !editor_problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.export-code", !editor_problem);
}

static void
set_busy (WinnowTaskDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->forecast_spinner, busy);
}

static void
set_string (char **field, char *value)
{
  g_free (*field);
  *field = value;
}

static void
show_report (WinnowTaskDialog *self, WinnowSampleReport *report)
{
  if (report->sample != self->sample)
    {
      g_clear_pointer (&self->sample, winnow_sample_unref);
      self->sample = winnow_sample_ref (report->sample);
      winnow_recipe_editor_set_detected (self->editor, winnow_sample_get_delimiter (self->sample),
                                         winnow_sample_get_encoding (self->sample));
      update_file_row (self);
      show_differing (self, report->differing);
      winnow_recipe_editor_set_columns (self->editor, winnow_sample_get_columns (self->sample),
                                        report->profile->columns,
                                        winnow_sample_get_n_rows (self->sample));
    }
  else if (report->profile != NULL)
    winnow_recipe_editor_update_profile (self->editor, report->profile->columns,
                                         winnow_sample_get_n_rows (self->sample));

  winnow_recipe_editor_set_estimate (self->editor, report->estimate);
  set_string (&self->recipe_error, NULL);
  set_string (&self->forecast, NULL);
  if (report->estimate != NULL)
    {
      g_autofree char *first = self->paths->len > 1
                               ? g_path_get_basename (g_ptr_array_index (self->paths, 0)) : NULL;
      set_string (&self->forecast,
                  winnow_forecast_text (winnow_recipe_editor_get_recipe (self->editor),
                                        report->estimate, winnow_sample_get_n_rows (self->sample),
                                        winnow_sample_is_whole_file (self->sample), first));
    }
  else if (report->estimate_error->domain == WINNOW_RECIPE_ERROR)
    set_string (&self->recipe_error,
                g_strdup_printf (_("This recipe cannot clean the file: %s"),
                                 report->estimate_error->message));
  else
    set_string (&self->forecast,
                g_strdup_printf (_("The first rows cannot be cleaned: %s"),
                                 report->estimate_error->message));
}

/* @data: a GWeakRef to the dialog: a job does not keep a closed dialog. */
static void
on_job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowTaskDialog) self = g_weak_ref_get (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowSampleReport) report = winnow_sample_job_finish (result, &error);

  g_weak_ref_clear (data);
  g_free (data);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;  /* a later job has the answer */
  set_busy (self, FALSE);
  if (report == NULL)
    {
      /* a file that cannot be read (an image renamed .csv, an empty
       * file) would only make a failed task: Clean stays off */
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (self->paths, 0));

      g_clear_pointer (&self->sample, winnow_sample_unref);
      set_string (&self->file_error,
                  g_strdup_printf (_("“%s” cannot be read: %s"), name, error->message));
      winnow_recipe_editor_set_columns_problem (self->editor, error->message);
      update_file_row (self);
    }
  else
    {
      set_string (&self->file_error, NULL);
      show_report (self, report);
    }
  _winnow_task_dialog_update_state (self);
}

/* Cleans the sample with the recipe as it is now, reading the file first
 * when it has not been read or is to be read differently; any job still
 * running is cancelled and its answer dropped. */
static void
start_job (WinnowTaskDialog *self)
{
  WinnowEditorChange what = self->pending;
  g_autofree char **paths = NULL;  /* borrows the strings */
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  self->pending = 0;
  g_clear_handle_id (&self->delay_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (what & WINNOW_EDITOR_CHANGED_INPUT)
    g_clear_pointer (&self->sample, winnow_sample_unref);
  if (self->sample == NULL)
    winnow_recipe_editor_set_columns_problem (self->editor, NULL);

  g_ptr_array_add (self->paths, NULL);
  paths = g_memdup2 (self->paths->pdata, sizeof (char *) * self->paths->len);
  g_ptr_array_remove_index (self->paths, self->paths->len - 1);
  set_busy (self, TRUE);
  g_weak_ref_init (ref, self);
  winnow_sample_job_run_async (paths, self->sample, winnow_recipe_editor_get_recipe (self->editor),
                               (what & WINNOW_EDITOR_CHANGED_PROFILE) != 0, self->cancellable,
                               on_job_done, ref);
}

static gboolean
on_delay_done (gpointer data)
{
  WinnowTaskDialog *self = data;

  self->delay_id = 0;
  start_job (self);
  return G_SOURCE_REMOVE;
}

static void
on_editor_changed (WinnowRecipeEditor *editor, guint what, WinnowTaskDialog *self)
{
  self->pending |= what;
  set_busy (self, TRUE);
  g_clear_handle_id (&self->delay_id, g_source_remove);
  self->delay_id = g_timeout_add (ESTIMATE_DELAY_MS, on_delay_done, self);
  /* the output's name follows its delimiter; a problem shows at once */
  _winnow_task_dialog_update_output (self);
}

/* ---- recipes ---- */

void
winnow_task_dialog_set_recipe (WinnowTaskDialog *self, const WinnowRecipe *recipe)
{
  const WinnowRecipe *old = winnow_recipe_editor_get_recipe (self->editor);
  WinnowEditorChange what = WINNOW_EDITOR_CHANGED_STEPS;

  g_return_if_fail (WINNOW_IS_TASK_DIALOG (self));
  g_return_if_fail (recipe != NULL);

  /* the file is read again only when the new recipe reads it differently */
  if (old->delimiter != recipe->delimiter || old->quote != recipe->quote ||
      g_ascii_strcasecmp (old->encoding, recipe->encoding) != 0 ||
      old->header != recipe->header || old->bad_lines != recipe->bad_lines)
    what |= WINNOW_EDITOR_CHANGED_INPUT | WINNOW_EDITOR_CHANGED_PROFILE;
  else if (old->trim_whitespace != recipe->trim_whitespace ||
           old->na_values->len != recipe->na_values->len)
    what |= WINNOW_EDITOR_CHANGED_PROFILE;
  else
    for (guint i = 0; i < old->na_values->len; i++)
      if (!g_str_equal (g_ptr_array_index (old->na_values, i),
                        g_ptr_array_index (recipe->na_values, i)))
        what |= WINNOW_EDITOR_CHANGED_PROFILE;
  winnow_recipe_editor_set_recipe (self->editor, recipe);
  self->pending |= what;
  _winnow_task_dialog_update_output (self);
  start_job (self);
}

/* ---- clean ---- */

typedef struct {
  WinnowScheduler *scheduler;
  GPtrArray *specs;          /* of WinnowTaskSpec*, their strings owned */
  gint64 rerun;              /* the task run again, or 0 */
  GWeakRef parent;           /* the window, to say what went wrong */
} Adding;

static void
spec_free (gpointer data)
{
  WinnowTaskSpec *spec = data;

  g_free ((char *) spec->input_path);
  g_free ((char *) spec->output_path);
  g_free ((char *) spec->recipe_json);
  g_free (spec);
}

static void
adding_free (gpointer data)
{
  Adding *adding = data;
  g_weak_ref_clear (&adding->parent);
  g_object_unref (adding->scheduler);
  g_ptr_array_unref (adding->specs);
  g_free (adding);
}

/* On a worker thread: every file, all or none. */
static gpointer
add_tasks (gpointer data, GError **error)
{
  Adding *adding = data;
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (WinnowTaskSpec));

  if (adding->rerun > 0)
    {
      const WinnowTaskSpec *spec = g_ptr_array_index (adding->specs, 0);
      WinnowTask *task = winnow_scheduler_rerun (adding->scheduler, adding->rerun,
                                                 spec->recipe_json, error);
      GPtrArray *tasks;

      if (task == NULL)
        return NULL;
      tasks = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (tasks, task);
      return tasks;
    }
  for (guint i = 0; i < adding->specs->len; i++)
    g_array_append_val (specs, *(WinnowTaskSpec *) g_ptr_array_index (adding->specs, i));
  return winnow_scheduler_add_many (adding->scheduler, (WinnowTaskSpec *) specs->data, specs->len,
                                    error);
}

static void
tasks_added (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = winnow_history_call_finish (result, &error);
  Adding *adding = winnow_history_call_get_data (result);
  g_autoptr(GObject) parent = g_weak_ref_get (&adding->parent);

  if (tasks == NULL && parent != NULL)
    {
      GtkWidget *overlay = gtk_widget_get_first_child (GTK_WIDGET (parent));
      g_autofree char *message = g_strdup_printf (_("Could not add the tasks: %s"), error->message);

      while (overlay != NULL && !ADW_IS_TOAST_OVERLAY (overlay))
        overlay = gtk_widget_get_first_child (overlay);
      if (overlay != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
      else
        g_warning ("%s", message);
    }
  else if (tasks == NULL)
    g_warning ("could not add the tasks: %s", error->message);
}

/* Makes the tasks, each output replaced or kept beside as @existing says. */
static guint
add (WinnowTaskDialog *self, WinnowExisting existing)
{
  const WinnowRecipe *recipe = winnow_recipe_editor_get_recipe (self->editor);
  Adding *adding = g_new0 (Adding, 1);
  g_autoptr(GPtrArray) outputs = _winnow_task_dialog_plan_outputs (self, existing, NULL);
  g_autofree char *json = winnow_recipe_to_json (recipe);
  guint n;

  adding->scheduler = g_object_ref (self->scheduler);
  adding->specs = g_ptr_array_new_with_free_func (spec_free);
  adding->rerun = self->rerun != NULL ? winnow_task_get_id (self->rerun) : 0;
  for (guint i = 0; i < self->paths->len; i++)
    {
      WinnowTaskSpec *spec = g_new0 (WinnowTaskSpec, 1);

      spec->input_path = g_strdup (g_ptr_array_index (self->paths, i));
      spec->output_path = g_strdup (g_ptr_array_index (outputs, i));
      spec->recipe_json = g_strdup (json);
      spec->replace_output = existing == WINNOW_EXISTING_REPLACE;
      g_ptr_array_add (adding->specs, spec);
    }
  g_weak_ref_init (&adding->parent, gtk_window_get_transient_for (GTK_WINDOW (self)));
  /* Translators: said while the history is busy */
  winnow_history_call (_("adding the tasks"), add_tasks, adding, adding_free,
                       (GDestroyNotify) g_ptr_array_unref, NULL, tasks_added, NULL);
  n = self->rerun != NULL ? 1 : self->paths->len;
  g_signal_emit (self, signals[TASKS_ADDED], 0, n);
  gtk_window_destroy (GTK_WINDOW (self));
  return n;
}

/* The Replace / Keep Both question answered (and remembered). */
void
_winnow_task_dialog_add_with (WinnowTaskDialog *self, WinnowExisting existing)
{
  add (self, existing);
}

/**
 * winnow_task_dialog_confirm:
 *
 * Makes a task of each file with the recipe as it is (or, for a task run
 * again, a new task that replaces its output) and closes the dialog; the
 * tasks are written to the history on a worker thread (a failure is said
 * in the window), and the list shows them when they are. When an output
 * is already there and the user has not said what to do with one, asks
 * first (Replace or Keep Both, remembered).
 *
 * Returns: how many tasks are being added; 0 leaves the dialog open,
 *   saying why (or asking)
 */
guint
winnow_task_dialog_confirm (WinnowTaskDialog *self)
{
  const WinnowRecipe *recipe;
  g_autoptr(GError) error = NULL;
  WinnowExisting existing;
  guint n_existing = 0;

  g_return_val_if_fail (WINNOW_IS_TASK_DIALOG (self), 0);
  recipe = winnow_recipe_editor_get_recipe (self->editor);
  _winnow_task_dialog_update_output (self);
  if (self->file_error != NULL || winnow_recipe_editor_get_problem (self->editor) != NULL ||
      self->output_error != NULL)
    {
      winnow_task_dialog_toast (self, gtk_label_get_label (self->forecast_label));
      return 0;
    }
  if (!winnow_recipe_validate (recipe, &error))
    {
      winnow_task_dialog_toast (self, error->message);
      return 0;
    }
  existing = self->rerun != NULL ? WINNOW_EXISTING_REPLACE : _winnow_task_dialog_get_existing (self);
  g_ptr_array_unref (_winnow_task_dialog_plan_outputs (self, WINNOW_EXISTING_ASK, &n_existing));
  if (existing == WINNOW_EXISTING_ASK && n_existing > 0)
    {
      _winnow_task_dialog_ask_existing (self, n_existing);
      return 0;
    }
  return add (self, existing == WINNOW_EXISTING_ASK ? WINNOW_EXISTING_KEEP_BOTH : existing);
}

static void
clean_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_task_dialog_confirm (WINNOW_TASK_DIALOG (widget));
}

/* ---- the files ---- */

void
winnow_task_dialog_add_files (WinnowTaskDialog *self, GPtrArray *files)
{
  g_return_if_fail (WINNOW_IS_TASK_DIALOG (self));
  g_return_if_fail (files != NULL);

  for (guint i = 0; i < files->len; i++)
    {
      char *path = g_file_get_path (g_ptr_array_index (files, i));
      gboolean known = FALSE;

      for (guint k = 0; path != NULL && k < self->paths->len; k++)
        known = known || g_str_equal (g_ptr_array_index (self->paths, k), path);
      if (path != NULL && !known)
        g_ptr_array_add (self->paths, path);
      else
        g_free (path);
    }
  update_titles (self);
  update_file_row (self);
  _winnow_task_dialog_update_output (self);
  /* the header check covers the new files */
  self->pending |= WINNOW_EDITOR_CHANGED_INPUT | WINNOW_EDITOR_CHANGED_PROFILE;
  start_job (self);
}

/* dialog.skip-file: the first file cannot be read; the others are
 * cleaned without it. */
static void
skip_file_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (widget);

  if (self->paths->len < 2)
    return;
  g_ptr_array_remove_index (self->paths, 0);
  set_string (&self->file_error, NULL);
  g_clear_pointer (&self->output_name, g_free);
  update_titles (self);
  update_file_row (self);
  _winnow_task_dialog_update_output (self);
  self->pending |= WINNOW_EDITOR_CHANGED_INPUT | WINNOW_EDITOR_CHANGED_PROFILE;
  start_job (self);
}

guint
winnow_task_dialog_get_n_files (WinnowTaskDialog *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_DIALOG (self), 0);
  return self->paths->len;
}

WinnowRecipeEditor *
winnow_task_dialog_get_editor (WinnowTaskDialog *self)
{
  g_return_val_if_fail (WINNOW_IS_TASK_DIALOG (self), NULL);
  return self->editor;
}

/* TRUE while the file is read or the sample cleaned, or a change waits. */
gboolean
winnow_task_dialog_is_busy (WinnowTaskDialog *self)
{
  return self->busy;
}

const char *
winnow_task_dialog_get_forecast (WinnowTaskDialog *self)
{
  return gtk_label_get_label (self->forecast_label);
}

/* For tests: a row or control of the dialog, wherever it lives. */
GtkWidget *
winnow_task_dialog_get_child (WinnowTaskDialog *self, const char *name)
{
  if (g_str_equal (name, "clean_button"))
    return GTK_WIDGET (self->clean_button);
  if (g_str_equal (name, "forecast_label"))
    return GTK_WIDGET (self->forecast_label);
  return winnow_recipe_editor_get_child (self->editor, name);
}

/* ---- the object ---- */

static void
winnow_task_dialog_dispose (GObject *object)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->delay_id, g_source_remove);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_TASK_DIALOG);
  G_OBJECT_CLASS (winnow_task_dialog_parent_class)->dispose (object);
}

static void
winnow_task_dialog_finalize (GObject *object)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sample, winnow_sample_unref);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->library);
  g_clear_object (&self->rerun);
  g_clear_pointer (&self->rerun_recipe, winnow_recipe_free);
  g_ptr_array_unref (self->paths);
  g_ptr_array_unref (self->recipe_names);
  g_free (self->output_folder);
  g_free (self->output_name);
  g_free (self->forecast);
  g_free (self->recipe_error);
  g_free (self->file_error);
  g_free (self->output_error);
  G_OBJECT_CLASS (winnow_task_dialog_parent_class)->finalize (object);
}

static void
winnow_task_dialog_class_init (WinnowTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = winnow_task_dialog_dispose;
  object_class->finalize = winnow_task_dialog_finalize;

  /**
   * WinnowTaskDialog::tasks-added:
   * @n: how many tasks are being added (they reach the history a moment
   *   later, on a worker thread)
   */
  signals[TASKS_ADDED] = g_signal_new ("tasks-added", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_UINT);

  g_type_ensure (WINNOW_TYPE_RECIPE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/winnow/Winnow/winnow-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskDialog, clean_button);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskDialog, editor);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskDialog, forecast_spinner);
  gtk_widget_class_bind_template_child (widget_class, WinnowTaskDialog, forecast_label);
  gtk_widget_class_install_action (widget_class, "dialog.clean", NULL, clean_activated);
  gtk_widget_class_install_action (widget_class, "dialog.skip-file", NULL, skip_file_activated);
  gtk_widget_class_install_action (widget_class, "dialog.save-recipe", NULL,
                                   winnow_task_dialog_save_recipe_activated);
  gtk_widget_class_install_action (widget_class, "dialog.import-recipe", NULL,
                                   winnow_task_dialog_recipe_file_activated);
  gtk_widget_class_install_action (widget_class, "dialog.export-recipe", NULL,
                                   winnow_task_dialog_recipe_file_activated);
  gtk_widget_class_install_action (widget_class, "dialog.export-code", NULL,
                                   winnow_task_dialog_export_code_activated);
  _winnow_task_dialog_class_init_output (widget_class);
}

static void
winnow_task_dialog_init (WinnowTaskDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->recipe_names = g_ptr_array_new_with_free_func (g_free);
  _winnow_task_dialog_init_output (self);
  g_signal_connect (self->editor, "changed", G_CALLBACK (on_editor_changed), self);
  winnow_ui_name_widgets (GTK_WIDGET (self));
}

static WinnowTaskDialog *
dialog_new (WinnowApplication *app, GtkWindow *parent)
{
  WinnowTaskDialog *self = g_object_new (WINNOW_TYPE_TASK_DIALOG, "transient-for", parent, NULL);

  self->app = app;
  self->scheduler = g_object_ref (winnow_application_get_scheduler (app));
  self->library = g_object_ref (winnow_application_get_recipes (app));
  g_signal_connect (self->library, "changed", G_CALLBACK (winnow_task_dialog_on_library_changed), self);
  return self;
}

/* Shown with the focus on its first control, not on the forecast. */
static void
present (WinnowTaskDialog *self)
{
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->editor->recipe_row));
}

/**
 * winnow_task_dialog_new:
 * @files: (element-type GFile): the CSV files to clean
 *
 * Returns: (transfer none): the dialog, shown, owned by GTK until closed
 */
WinnowTaskDialog *
winnow_task_dialog_new (WinnowApplication *app, GtkWindow *parent, GPtrArray *files)
{
  WinnowTaskDialog *self;
  GSettings *settings;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autoptr(WinnowRecipe) recipe = NULL;

  g_return_val_if_fail (WINNOW_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (files != NULL && files->len > 0, NULL);

  self = dialog_new (app, parent);
  settings = winnow_application_get_settings (app);
  folder = g_settings_get_string (settings, "output-folder");
  name = g_settings_get_string (settings, "default-recipe");
  recipe = winnow_application_get_default_recipe (app);
  /* a default that is not saved (any more) selects nothing: Built-in */
  winnow_task_dialog_fill_recipe_row (self, name[0] != '\0' ? name : NULL);
  g_signal_connect (self->editor->recipe_row, "notify::selected",
                    G_CALLBACK (winnow_task_dialog_on_recipe_chosen), self);
  winnow_recipe_editor_set_recipe (self->editor, recipe);
  self->output_folder = folder[0] != '\0' ? g_steal_pointer (&folder) : NULL;
  present (self);
  winnow_task_dialog_add_files (self, files);
  return self;
}

/**
 * winnow_task_dialog_new_rerun:
 *
 * Returns: (transfer none): the dialog on @task's recipe, shown
 */
WinnowTaskDialog *
winnow_task_dialog_new_rerun (WinnowApplication *app, GtkWindow *parent, WinnowTask *task)
{
  WinnowTaskDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) input = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  g_return_val_if_fail (WINNOW_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (WINNOW_IS_TASK (task), NULL);

  self = dialog_new (app, parent);
  input = g_file_new_for_path (winnow_task_get_input_path (task));
  self->rerun = g_object_ref (task);
  self->rerun_recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (task), -1, &error);
  if (self->rerun_recipe == NULL)
    {
      g_warning ("task %" G_GINT64_FORMAT ": %s", winnow_task_get_id (task), error->message);
      self->rerun_recipe = winnow_recipe_new_default ();
    }
  gtk_button_set_label (self->clean_button, _("_Run Again"));
  winnow_task_dialog_fill_recipe_row (self, "");
  g_signal_connect (self->editor->recipe_row, "notify::selected",
                    G_CALLBACK (winnow_task_dialog_on_recipe_chosen), self);
  winnow_recipe_editor_set_recipe (self->editor, self->rerun_recipe);
  present (self);
  g_ptr_array_add (files, input);
  winnow_task_dialog_add_files (self, files);
  return self;
}
