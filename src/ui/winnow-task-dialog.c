/* winnow-task-dialog.c: see winnow-task-dialog.h. */
#include "config.h"

#include "winnow-task-dialog.h"
#include "winnow-task-dialog-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "winnow-forecast.h"
#include "winnow-history-call.h"
#include "winnow-output-file.h"
#include "winnow-recipe-library.h"
#include "winnow-sample-job.h"
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
  guint n = self->paths->len;

  if (self->rerun != NULL)
    title = g_strdup_printf (_("Run “%s” Again"), first);
  else if (n == 1)
    title = g_strdup_printf (_("Clean “%s”"), first);
  else
    title = g_strdup_printf (ngettext ("Clean %u File", "Clean %u Files", n), n);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), first);
  if (n > 1)
    {
      g_autofree char *others = g_strdup_printf (ngettext ("and %u more file", "and %u more files",
                                                           n - 1), n - 1);
      adw_window_title_set_subtitle (self->window_title, others);
      winnow_recipe_editor_set_columns_note (self->editor,
                                             _("The columns of the first file. Switch off the "
                                               "columns to drop."));
    }
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

  if (self->sample == NULL)
    return;
  n = winnow_sample_get_n_rows (self->sample);
  words = delimiter_words (winnow_sample_get_delimiter (self->sample));
  size = g_format_size (winnow_sample_get_file_size (self->sample));
  rows = winnow_ui_format_count ((gint64) n);
  read = winnow_sample_is_whole_file (self->sample)
         ? g_strdup_printf (ngettext ("all %s row read", "all %s rows read", (gulong) n), rows)
         : g_strdup_printf (ngettext ("first %s row read", "first %s rows read", (gulong) n), rows);
  subtitle = g_strdup_printf ("%s · %s · %s · %s", words,
                              winnow_sample_get_encoding (self->sample), size, read);
  adw_action_row_set_subtitle (self->file_row, subtitle);
}

/* ---- the output ---- */

/* Neither the output nor its rejected rows' file is there, or taken by
 * another file of this batch. The rejected rows count whether or not the
 * recipe keeps them, so the name does not change with that switch. */
static gboolean
is_free (const char *path, GHashTable *taken)
{
  g_autofree char *rejects = winnow_output_file_rejects_path (path);

  return !g_hash_table_contains (taken, path) && !g_file_test (path, G_FILE_TEST_EXISTS) &&
         !g_file_test (rejects, G_FILE_TEST_EXISTS);
}

/* <stem>.cleaned.csv (or the input's extension) in the output folder, or
 * <stem>.cleaned-2.csv and so on when that exists or another file of this
 * batch takes it: a new task never replaces an earlier result. */
static char *
free_output_path (WinnowTaskDialog *self, const char *input, GHashTable *taken)
{
  const WinnowRecipe *recipe = winnow_recipe_editor_get_recipe (self->editor);
  g_autofree char *path = winnow_output_file_default_path (input, self->output_folder,
                                                           recipe->out_delimiter);

  if (is_free (path, taken))
    return g_steal_pointer (&path);
  for (guint n = 2;; n++)
    {
      char *candidate = winnow_output_file_numbered_path (path, n);
      if (is_free (candidate, taken))
        return candidate;
      g_free (candidate);
    }
}

/* Returns: (transfer full): the name the first file's output will have */
char *
winnow_task_dialog_get_output_name (WinnowTaskDialog *self)
{
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = NULL;

  if (self->rerun != NULL)
    return g_path_get_basename (winnow_task_get_output_path (self->rerun));
  path = free_output_path (self, g_ptr_array_index (self->paths, 0), taken);
  return g_path_get_basename (path);
}

/* Why the cleaned files cannot be written where they would go, or %NULL:
 * a folder that is gone or read-only, or (under Flatpak) the folder of a
 * file opened through the document portal, where the sandbox may read the
 * file but not create others. */
static char *
folder_problem (const char *folder)
{
  int saved;

  if (g_access (folder, W_OK) == 0)
    return NULL;
  saved = errno;
  /* Translators: %s is a folder, then why it cannot be written */
  return g_strdup_printf (_("Cannot write in %s (%s): choose another folder"), folder,
                          g_strerror (saved));
}

static char *
output_problem (WinnowTaskDialog *self)
{
  g_autoptr(GHashTable) seen = NULL;

  if (self->rerun != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (winnow_task_get_output_path (self->rerun));
      return folder_problem (folder);
    }
  if (self->output_folder != NULL)
    return folder_problem (self->output_folder);
  /* beside each file: each folder once */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->paths->len; i++)
    {
      char *folder = g_path_get_dirname (g_ptr_array_index (self->paths, i));
      char *problem;

      if (!g_hash_table_add (seen, folder))
        continue;
      problem = folder_problem (folder);
      if (problem != NULL)
        return problem;
    }
  return NULL;
}


static void
update_clean_sensitivity (WinnowTaskDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.clean",
                                 !self->recipe_error && !self->output_error);
}

static void
update_output_rows (WinnowTaskDialog *self)
{
  g_autofree char *name = winnow_task_dialog_get_output_name (self);
  g_autofree char *subtitle = NULL;
  g_autofree char *problem = output_problem (self);

  if (self->rerun != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (winnow_task_get_output_path (self->rerun));
      adw_action_row_set_subtitle (self->folder_row, folder);
      subtitle = g_strdup_printf (_("%s, replacing the earlier result"), name);
    }
  else
    {
      adw_action_row_set_subtitle (self->folder_row, self->output_folder != NULL
                                                     ? self->output_folder
                                                     : _("Beside each input file"));
      if (self->paths->len > 1)
        subtitle = g_strdup_printf (ngettext ("%s and %u more", "%s and %u more",
                                              self->paths->len - 1),
                                    name, self->paths->len - 1);
      else
        subtitle = g_strdup (name);
    }
  gtk_widget_set_visible (self->folder_reset, self->output_folder != NULL && self->rerun == NULL);
  adw_action_row_set_subtitle (self->name_row, subtitle);
  self->output_error = problem != NULL;
  if (problem != NULL)
    {
      adw_action_row_set_subtitle (self->folder_row, problem);
      gtk_widget_add_css_class (GTK_WIDGET (self->folder_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->folder_row), "error");
  update_clean_sensitivity (self);
}

/**
 * winnow_task_dialog_set_output_folder:
 * @folder: (nullable): where the cleaned files go; %NULL beside each input
 */
void
winnow_task_dialog_set_output_folder (WinnowTaskDialog *self, const char *folder)
{
  g_free (self->output_folder);
  self->output_folder = folder != NULL && folder[0] != '\0' ? g_strdup (folder) : NULL;
  update_output_rows (self);
}

static void
on_folder_chosen (GtkWindow *parent, GFile *folder)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (parent);
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;

  if (path != NULL)
    {
      winnow_task_dialog_set_output_folder (self, path);
      return;
    }
  uri = g_file_get_uri (folder);
  message = g_strdup_printf (_("“%s” is not a folder on this computer"), uri);
  winnow_task_dialog_toast (self, message);
}

static void
on_choose_folder (GtkButton *button, WinnowTaskDialog *self)
{
  winnow_ui_choose_folder (GTK_WINDOW (self), self->output_folder, on_folder_chosen);
}

static void
on_reset_folder (GtkButton *button, WinnowTaskDialog *self)
{
  winnow_task_dialog_set_output_folder (self, NULL);
}

/* ---- what will happen ---- */

static void
show_forecast (WinnowTaskDialog *self, const char *text, gboolean problem)
{
  gtk_label_set_label (self->forecast_label, text);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->forecast_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->forecast_label), "error");
}

static void
set_busy (WinnowTaskDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->forecast_spinner, busy);
  gtk_widget_set_opacity (GTK_WIDGET (self->forecast_label), busy ? 0.6 : 1.0);
}

static void
show_differing (WinnowTaskDialog *self, GPtrArray *differing)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (differing == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->differ_row), differing->len > 0);
  for (guint i = 0; i < differing->len && i < 3; i++)
    g_string_append_printf (names, "%s“%s”", i ? ", " : "",
                            (char *) g_ptr_array_index (differing, i));
  if (differing->len > 3)
    g_string_append (names, ", …");
  adw_action_row_set_subtitle (self->differ_row, names->str);
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
      g_autofree char *message = g_strdup_printf (_("“%s” cannot be read: %s"),
                                                  (char *) g_ptr_array_index (self->paths, 0),
                                                  error->message);
      g_clear_pointer (&self->sample, winnow_sample_unref);
      winnow_recipe_editor_set_columns_problem (self->editor, error->message);
      show_forecast (self, message, TRUE);
      self->recipe_error = FALSE;
      update_clean_sensitivity (self);
      return;
    }
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

  self->recipe_error = report->estimate == NULL &&
                       report->estimate_error->domain == WINNOW_RECIPE_ERROR;
  update_clean_sensitivity (self);
  if (report->estimate != NULL)
    {
      g_autofree char *first = self->paths->len > 1
                               ? g_path_get_basename (g_ptr_array_index (self->paths, 0)) : NULL;
      g_autofree char *text = winnow_forecast_text (winnow_recipe_editor_get_recipe (self->editor),
                                                    report->estimate,
                                                    winnow_sample_get_n_rows (self->sample),
                                                    winnow_sample_is_whole_file (self->sample),
                                                    first);
      show_forecast (self, text, FALSE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("This recipe cannot clean the file: %s"),
                                               report->estimate_error->message);
      show_forecast (self, text, TRUE);
    }
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
}

/* ---- recipes ---- */

void
winnow_task_dialog_set_recipe (WinnowTaskDialog *self, const WinnowRecipe *recipe)
{
  const WinnowRecipe *old = winnow_recipe_editor_get_recipe (self->editor);
  WinnowEditorChange what = WINNOW_EDITOR_CHANGED_STEPS;

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
  start_job (self);
}

/* ---- clean ---- */

typedef struct {
  WinnowScheduler *scheduler;
  GPtrArray *paths;          /* input, output, input, output... */
  char *json;
  gint64 rerun;              /* the task run again, or 0 */
  GWeakRef parent;           /* the window, to say what went wrong */
} Adding;

static void
adding_free (gpointer data)
{
  Adding *adding = data;
  g_weak_ref_clear (&adding->parent);
  g_object_unref (adding->scheduler);
  g_ptr_array_unref (adding->paths);
  g_free (adding->json);
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
      WinnowTask *task = winnow_scheduler_rerun (adding->scheduler, adding->rerun, adding->json,
                                                 error);
      GPtrArray *tasks;

      if (task == NULL)
        return NULL;
      tasks = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (tasks, task);
      return tasks;
    }
  for (guint i = 0; i + 1 < adding->paths->len; i += 2)
    {
      WinnowTaskSpec spec = { g_ptr_array_index (adding->paths, i),
                              g_ptr_array_index (adding->paths, i + 1), adding->json, FALSE };
      g_array_append_val (specs, spec);
    }
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

/**
 * winnow_task_dialog_confirm:
 *
 * Makes a task of each file with the recipe as it is (or, for a task run
 * again, a new task that replaces its output) and closes the dialog; the
 * tasks are written to the history on a worker thread (a failure is said
 * in the window), and the list shows them when they are.
 *
 * Returns: how many tasks are being added; 0 leaves the dialog open,
 *   saying why
 */
guint
winnow_task_dialog_confirm (WinnowTaskDialog *self)
{
  const WinnowRecipe *recipe = winnow_recipe_editor_get_recipe (self->editor);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  Adding *adding;
  guint n;

  if (!winnow_recipe_validate (recipe, &error))
    {
      winnow_task_dialog_toast (self, error->message);
      return 0;
    }
  if (self->output_error)
    {
      g_autofree char *problem = output_problem (self);
      if (problem != NULL)
        {
          winnow_task_dialog_toast (self, problem);
          return 0;
        }
    }
  adding = g_new0 (Adding, 1);
  adding->scheduler = g_object_ref (self->scheduler);
  adding->json = winnow_recipe_to_json (recipe);
  adding->paths = g_ptr_array_new_with_free_func (g_free);
  adding->rerun = self->rerun != NULL ? winnow_task_get_id (self->rerun) : 0;
  for (guint i = 0; i < self->paths->len; i++)
    {
      const char *input = g_ptr_array_index (self->paths, i);
      char *output = free_output_path (self, input, taken);

      g_hash_table_add (taken, output);
      g_ptr_array_add (adding->paths, g_strdup (input));
      g_ptr_array_add (adding->paths, g_strdup (output));
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

static void
clean_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_task_dialog_confirm (WINNOW_TASK_DIALOG (widget));
}

/* ---- the dialog ---- */

void
winnow_task_dialog_add_files (WinnowTaskDialog *self, GPtrArray *files)
{
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
  update_output_rows (self);
  /* the header check covers the new files */
  self->pending |= WINNOW_EDITOR_CHANGED_INPUT | WINNOW_EDITOR_CHANGED_PROFILE;
  start_job (self);
}

guint
winnow_task_dialog_get_n_files (WinnowTaskDialog *self)
{
  return self->paths->len;
}

WinnowRecipeEditor *
winnow_task_dialog_get_editor (WinnowTaskDialog *self)
{
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

/* For tests: a row or control by name. */
GtkWidget *
winnow_task_dialog_get_child (WinnowTaskDialog *self, const char *name)
{
  if (g_str_equal (name, "recipe_row"))
    return GTK_WIDGET (self->recipe_row);
  if (g_str_equal (name, "file_row"))
    return GTK_WIDGET (self->file_row);
  if (g_str_equal (name, "differ_row"))
    return GTK_WIDGET (self->differ_row);
  if (g_str_equal (name, "folder_row"))
    return GTK_WIDGET (self->folder_row);
  if (g_str_equal (name, "name_row"))
    return GTK_WIDGET (self->name_row);
  if (g_str_equal (name, "clean_button"))
    return GTK_WIDGET (self->clean_button);
  return NULL;
}

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
  gtk_widget_class_install_action (widget_class, "dialog.save-recipe", NULL,
                                   winnow_task_dialog_save_recipe_activated);
  gtk_widget_class_install_action (widget_class, "dialog.import-recipe", NULL,
                                   winnow_task_dialog_recipe_file_activated);
  gtk_widget_class_install_action (widget_class, "dialog.export-recipe", NULL,
                                   winnow_task_dialog_recipe_file_activated);
  gtk_widget_class_install_action (widget_class, "dialog.export-code", NULL,
                                   winnow_task_dialog_export_code_activated);
}

static GtkWidget *
flat_button (const char *icon, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* The rows about the files and the output, in the editor's groups. */
static void
build_rows (WinnowTaskDialog *self)
{
  AdwPreferencesGroup *summary = winnow_recipe_editor_get_group (self->editor, "summary_group");
  AdwPreferencesGroup *output = winnow_recipe_editor_get_group (self->editor, "output_group");
  GtkWidget *choose = flat_button ("folder-open-symbolic", _("Choose a Folder"));
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  self->recipe_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recipe_row), _("Recipe"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->recipe_row),
                               _("Start from the built-in steps or a saved recipe"));
  adw_preferences_group_add (summary, GTK_WIDGET (self->recipe_row));

  self->file_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->file_row), FALSE);
  adw_action_row_add_prefix (self->file_row, gtk_image_new_from_icon_name ("x-office-spreadsheet-symbolic"));
  adw_preferences_group_add (summary, GTK_WIDGET (self->file_row));

  self->differ_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->differ_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->differ_row),
                                 _("These files have other columns: the recipe may not fit them"));
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (self->differ_row, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->differ_row), FALSE);
  adw_preferences_group_add (summary, GTK_WIDGET (self->differ_row));

  self->folder_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->folder_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->folder_row), _("Folder"));
  self->folder_reset = flat_button ("edit-undo-symbolic", _("Beside Each Input File"));
  adw_action_row_add_suffix (self->folder_row, self->folder_reset);
  adw_action_row_add_suffix (self->folder_row, choose);
  adw_action_row_set_activatable_widget (self->folder_row, choose);
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_folder), self);
  g_signal_connect (self->folder_reset, "clicked", G_CALLBACK (on_reset_folder), self);
  adw_preferences_group_add (output, GTK_WIDGET (self->folder_row));

  self->name_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->name_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("File Name"));
  adw_preferences_group_add (output, GTK_WIDGET (self->name_row));
}

static void
winnow_task_dialog_init (WinnowTaskDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->recipe_names = g_ptr_array_new_with_free_func (g_free);
  build_rows (self);
  g_signal_connect (self->editor, "changed", G_CALLBACK (on_editor_changed), self);
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

/**
 * winnow_task_dialog_new:
 * @files: (element-type GFile): the CSV files to clean
 *
 * Returns: (transfer none): the dialog, shown, owned by GTK until closed
 */
WinnowTaskDialog *
winnow_task_dialog_new (WinnowApplication *app, GtkWindow *parent, GPtrArray *files)
{
  WinnowTaskDialog *self = dialog_new (app, parent);
  GSettings *settings = winnow_application_get_settings (app);
  g_autofree char *folder = g_settings_get_string (settings, "output-folder");
  g_autofree char *name = g_settings_get_string (settings, "default-recipe");
  g_autoptr(WinnowRecipe) recipe = winnow_application_get_default_recipe (app);

  /* a default that is not saved (any more) selects nothing: Built-in */
  winnow_task_dialog_fill_recipe_row (self, name[0] != '\0' ? name : NULL);
  g_signal_connect (self->recipe_row, "notify::selected", G_CALLBACK (winnow_task_dialog_on_recipe_chosen), self);
  winnow_recipe_editor_set_recipe (self->editor, recipe);
  self->output_folder = folder[0] != '\0' ? g_steal_pointer (&folder) : NULL;
  gtk_window_present (GTK_WINDOW (self));
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
  WinnowTaskDialog *self = dialog_new (app, parent);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) input = g_file_new_for_path (winnow_task_get_input_path (task));
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  self->rerun = g_object_ref (task);
  self->rerun_recipe = winnow_recipe_new_from_json (winnow_task_get_recipe (task), -1, &error);
  if (self->rerun_recipe == NULL)
    {
      g_warning ("task %" G_GINT64_FORMAT ": %s", winnow_task_get_id (task), error->message);
      self->rerun_recipe = winnow_recipe_new_default ();
    }
  gtk_button_set_label (self->clean_button, _("_Run Again"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->folder_row), FALSE);
  winnow_task_dialog_fill_recipe_row (self, "");
  g_signal_connect (self->recipe_row, "notify::selected", G_CALLBACK (winnow_task_dialog_on_recipe_chosen), self);
  winnow_recipe_editor_set_recipe (self->editor, self->rerun_recipe);
  gtk_window_present (GTK_WINDOW (self));
  g_ptr_array_add (files, input);
  winnow_task_dialog_add_files (self, files);
  return self;
}
