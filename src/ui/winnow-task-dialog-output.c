/* winnow-task-dialog-output.c: where the configuration dialog writes the
 * cleaned files and what it calls them: the Folder row (beside each file,
 * or a folder chosen), the File name row (the default name, which keeps
 * the input's extension unless the recipe names another delimiter, or
 * one typed), and what happens when an output is already there: the
 * first time, a question (Replace or Keep Both), whose answer is kept in
 * the "existing-output" setting. A task run again replaces its output. */
#include "config.h"

#include "winnow-task-dialog-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "winnow-output-file.h"
#include "winnow-ui-util.h"

/* The output file names the row shows for several files, at most. */
#define NAMES_SHOWN 2

static const char * const existing_names[] = { "ask", "replace", "keep-both" };

WinnowExisting
_winnow_task_dialog_get_existing (WinnowTaskDialog *self)
{
  g_autofree char *value = g_settings_get_string (winnow_application_get_settings (self->app),
                                                  "existing-output");

  for (guint i = 0; i < G_N_ELEMENTS (existing_names); i++)
    if (g_str_equal (value, existing_names[i]))
      return (WinnowExisting) i;
  return WINNOW_EXISTING_ASK;
}

/* ---- paths ---- */

static char *
folder_of (WinnowTaskDialog *self, const char *input)
{
  return self->output_folder != NULL ? g_strdup (self->output_folder) : g_path_get_dirname (input);
}

/* The output of @index as named: typed (the first file), or the default
 * <stem>.cleaned.<ext> in the output folder. */
static char *
named_path (WinnowTaskDialog *self, guint index)
{
  const char *input = g_ptr_array_index (self->paths, index);
  const WinnowRecipe *recipe = winnow_recipe_editor_get_recipe (self->editor);

  if (self->rerun != NULL)
    return g_strdup (winnow_task_get_output_path (self->rerun));
  if (index == 0 && self->output_name != NULL)
    {
      g_autofree char *folder = folder_of (self, input);
      return g_build_filename (folder, self->output_name, NULL);
    }
  return winnow_output_file_default_path (input, self->output_folder, recipe->out_delimiter);
}

/* An output is there already: the file, or its rejected rows' file (which
 * counts whether or not the recipe keeps them, so the name does not change
 * with that switch). */
static gboolean
exists (const char *path)
{
  g_autofree char *rejects = winnow_output_file_rejects_path (path);

  return g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (rejects, G_FILE_TEST_EXISTS);
}

/**
 * _winnow_task_dialog_plan_outputs:
 * @existing: what to do where an output is there: REPLACE keeps the
 *   name, KEEP_BOTH (and ASK) number it (<stem>.cleaned-2.csv…)
 * @n_existing: (out) (optional): how many outputs are there already
 *
 * Two files of one batch never get one output, whatever @existing says.
 *
 * Returns: (transfer full) (element-type utf8): the output of each file
 */
GPtrArray *
_winnow_task_dialog_plan_outputs (WinnowTaskDialog *self, WinnowExisting existing,
                                  guint *n_existing)
{
  GPtrArray *outputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  guint there = 0;

  for (guint i = 0; i < self->paths->len; i++)
    {
      char *path = named_path (self, i);
      gboolean is_there = self->rerun == NULL && exists (path);

      there += is_there;
      if (self->rerun == NULL &&
          (g_hash_table_contains (taken, path) || (is_there && existing != WINNOW_EXISTING_REPLACE)))
        for (guint n = 2;; n++)
          {
            char *candidate = winnow_output_file_numbered_path (path, n);
            if (!g_hash_table_contains (taken, candidate) && !exists (candidate))
              {
                g_free (path);
                path = candidate;
                break;
              }
            g_free (candidate);
          }
      g_ptr_array_add (outputs, path);
      g_hash_table_add (taken, path);
    }
  if (n_existing != NULL)
    *n_existing = there;
  return outputs;
}

/* Returns: (transfer full): the name the first file's output will have */
char *
winnow_task_dialog_get_output_name (WinnowTaskDialog *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (WINNOW_IS_TASK_DIALOG (self), NULL);
  path = named_path (self, 0);
  return g_path_get_basename (path);
}

/* ---- problems ---- */

/* Why the cleaned files cannot be written in @folder, or %NULL: a folder
 * that is gone or read-only, or (under Flatpak) the folder of a file
 * opened through the document portal, where the sandbox may read the
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
folders_problem (WinnowTaskDialog *self)
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

/* A name typed for the output: a plain file name, not the input. */
static char *
name_problem (WinnowTaskDialog *self)
{
  const char *name = self->output_name;
  g_autofree char *path = NULL;

  if (name == NULL || self->rerun != NULL)
    return NULL;
  if (name[0] == '\0')
    return g_strdup (_("Type a name for the cleaned file"));
  if (strchr (name, '/') != NULL || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return g_strdup (_("The file name cannot hold “/”: choose the folder above"));
  path = named_path (self, 0);
  if (g_str_equal (path, g_ptr_array_index (self->paths, 0)))
    return g_strdup (_("That is the file being cleaned: choose another name"));
  return NULL;
}

/* ---- the rows ---- */

static void
update_exists_row (WinnowTaskDialog *self, const char *first_path)
{
  AdwActionRow *row = self->editor->exists_row;
  WinnowExisting existing = _winnow_task_dialog_get_existing (self);
  g_autofree char *title = NULL;
  g_autofree char *numbered = NULL;
  const char *subtitle = NULL;
  guint n = 0;

  if (self->rerun != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Replaces the earlier result"));
      adw_action_row_set_subtitle (row, _("The task’s output is written again"));
      gtk_widget_set_visible (GTK_WIDGET (row), TRUE);
      return;
    }
  if (self->paths->len == 1)
    n = exists (first_path) ? 1 : 0;
  else
    g_ptr_array_unref (_winnow_task_dialog_plan_outputs (self, WINNOW_EXISTING_REPLACE, &n));
  gtk_widget_set_visible (GTK_WIDGET (row), n > 0);
  if (n == 0)
    return;
  if (n == 1 && exists (first_path))
    {
      g_autofree char *name = g_path_get_basename (first_path);
      /* Translators: %s is a file name */
      title = g_strdup_printf (_("“%s” is already there"), name);
    }
  else
    title = g_strdup_printf (ngettext ("%u cleaned file is already there",
                                       "%u cleaned files are already there", n), n);
  switch (existing)
    {
    case WINNOW_EXISTING_REPLACE:
      subtitle = _("Replaced once the new tasks have finished");
      break;
    case WINNOW_EXISTING_KEEP_BOTH:
      if (self->paths->len == 1)
        {
          g_autoptr(GPtrArray) planned = _winnow_task_dialog_plan_outputs (self, existing, NULL);
          g_autofree char *base = g_path_get_basename (g_ptr_array_index (planned, 0));
          /* Translators: %s is a file name */
          numbered = g_strdup_printf (_("Both are kept: the new one is “%s”"), base);
          subtitle = numbered;
        }
      else
        subtitle = _("Both are kept: the new ones get a number");
      break;
    case WINNOW_EXISTING_ASK:
    default:
      subtitle = _("Clean asks whether to replace or keep both");
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
}

/* The Folder, File name and "already there" rows, and whether the output
 * can be written where they say. */
void
_winnow_task_dialog_update_output (WinnowTaskDialog *self)
{
  WinnowRecipeEditor *editor = self->editor;
  g_autofree char *first = named_path (self, 0);
  g_autofree char *name = g_path_get_basename (first);
  g_autofree char *name_error = name_problem (self);
  g_autofree char *folder_error = name_error == NULL ? folders_problem (self) : NULL;
  gboolean several = self->paths->len > 1 && self->rerun == NULL;

  if (self->rerun != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (winnow_task_get_output_path (self->rerun));
      g_autofree char *shown = winnow_ui_display_path (folder);
      adw_action_row_set_subtitle (editor->folder_row, shown);
    }
  else
    {
      g_autofree char *shown = self->output_folder != NULL
                               ? winnow_ui_display_path (self->output_folder) : NULL;
      adw_action_row_set_subtitle (editor->folder_row, shown != NULL ? shown
                                                                     : _("Beside each input file"));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (editor->folder_row), self->rerun == NULL);
  gtk_widget_set_visible (editor->folder_reset, self->output_folder != NULL && self->rerun == NULL);

  /* one file: its name, to edit; several: their names */
  gtk_widget_set_visible (GTK_WIDGET (editor->name_row), !several);
  gtk_widget_set_visible (GTK_WIDGET (editor->names_row), several);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->name_row), self->rerun == NULL);
  if (!several && self->output_name == NULL &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editor->name_row)), name) != 0)
    {
      g_object_set_data (G_OBJECT (editor->name_row), "syncing", GINT_TO_POINTER (1));
      gtk_editable_set_text (GTK_EDITABLE (editor->name_row), name);
      g_object_set_data (G_OBJECT (editor->name_row), "syncing", NULL);
    }
  if (several)
    {
      WinnowExisting existing = _winnow_task_dialog_get_existing (self);
      /* undecided: the names as they are; the row below says they are taken */
      g_autoptr(GPtrArray) planned = _winnow_task_dialog_plan_outputs (self, existing == WINNOW_EXISTING_ASK
                                                                             ? WINNOW_EXISTING_REPLACE
                                                                             : existing, NULL);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < planned->len && i < NAMES_SHOWN; i++)
        {
          g_autofree char *base = g_path_get_basename (g_ptr_array_index (planned, i));
          g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", base);
        }
      if (planned->len > NAMES_SHOWN)
        /* Translators: follows a list of file names */
        g_string_append_printf (names, ngettext (" and %u more", " and %u more",
                                                 planned->len - NAMES_SHOWN),
                                planned->len - NAMES_SHOWN);
      adw_action_row_set_subtitle (editor->names_row, names->str);
    }
  update_exists_row (self, first);

  if (folder_error != NULL)
    {
      adw_action_row_set_subtitle (editor->folder_row, folder_error);
      gtk_widget_add_css_class (GTK_WIDGET (editor->folder_row), "error");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (editor->folder_row), "error");
  if (name_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (editor->name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (editor->name_row), "error");
  g_free (self->output_error);
  self->output_error = name_error != NULL ? g_steal_pointer (&name_error)
                                          : g_steal_pointer (&folder_error);
  _winnow_task_dialog_update_state (self);
}

static void
on_name_changed (GtkEditable *editable, WinnowTaskDialog *self)
{
  g_autofree char *typed = NULL;
  g_autofree char *default_name = NULL;

  if (g_object_get_data (G_OBJECT (editable), "syncing") != NULL)
    return;
  typed = g_strdup (gtk_editable_get_text (editable));
  g_clear_pointer (&self->output_name, g_free);
  default_name = winnow_task_dialog_get_output_name (self);
  /* the default, typed again, follows the delimiter as it did */
  if (!g_str_equal (typed, default_name))
    self->output_name = g_steal_pointer (&typed);
  _winnow_task_dialog_update_output (self);
}

/**
 * winnow_task_dialog_set_output_folder:
 * @folder: (nullable): where the cleaned files go; %NULL beside each input
 */
void
winnow_task_dialog_set_output_folder (WinnowTaskDialog *self, const char *folder)
{
  g_return_if_fail (WINNOW_IS_TASK_DIALOG (self));
  g_free (self->output_folder);
  self->output_folder = folder != NULL && folder[0] != '\0' ? g_strdup (folder) : NULL;
  _winnow_task_dialog_update_output (self);
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
choose_folder_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (widget);
  winnow_ui_choose_folder (GTK_WINDOW (self), self->output_folder, on_folder_chosen);
}

static void
reset_folder_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_task_dialog_set_output_folder (WINNOW_TASK_DIALOG (widget), NULL);
}

/* ---- an output already there: ask, the first time ---- */

typedef struct {
  WinnowTaskDialog *dialog;
  WinnowExisting choice;
} Answer;

/* After the question has gone: Clean closes the dialog it was asked over. */
static gboolean
add_answered (gpointer data)
{
  Answer *answer = data;

  if (gtk_widget_get_realized (GTK_WIDGET (answer->dialog)))
    _winnow_task_dialog_add_with (answer->dialog, answer->choice);
  g_object_unref (answer->dialog);
  g_free (answer);
  return G_SOURCE_REMOVE;
}

static void
on_existing_answered (AdwMessageDialog *question, const char *response, WinnowTaskDialog *self)
{
  Answer *answer;

  self->asking = FALSE;
  _winnow_task_dialog_update_state (self);
  if (!g_str_equal (response, "replace") && !g_str_equal (response, "keep-both"))
    return;
  answer = g_new0 (Answer, 1);
  answer->dialog = g_object_ref (self);
  answer->choice = g_str_equal (response, "replace") ? WINNOW_EXISTING_REPLACE
                                                     : WINNOW_EXISTING_KEEP_BOTH;
  g_settings_set_string (winnow_application_get_settings (self->app), "existing-output",
                         existing_names[answer->choice]);
  g_idle_add (add_answered, answer);
}

/* Asks what to do with the @n outputs already there; the answer is kept
 * (Preferences can change it) and Clean goes on with it. */
void
_winnow_task_dialog_ask_existing (WinnowTaskDialog *self, guint n)
{
  g_autoptr(GPtrArray) planned = _winnow_task_dialog_plan_outputs (self, WINNOW_EXISTING_REPLACE,
                                                                    NULL);
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *question;

  for (guint i = 0; i < planned->len && name == NULL; i++)
    if (exists (g_ptr_array_index (planned, i)))
      name = g_path_get_basename (g_ptr_array_index (planned, i));
  heading = n == 1 && name != NULL
            /* Translators: %s is a file name */
            ? g_strdup_printf (_("Replace “%s”?"), name)
            : g_strdup_printf (ngettext ("Replace %u Earlier Result?",
                                         "Replace %u Earlier Results?", n), n);
  question = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                     _("A cleaned file of the same name is already "
                                       "there. Replace writes over it once the new "
                                       "task has finished; Keep Both gives the new "
                                       "one a number. Winnow remembers the answer: "
                                       "Preferences can change it."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (question), "cancel", _("_Cancel"),
                                    "keep-both", _("_Keep Both"), "replace", _("_Replace"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (question), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (question), "keep-both");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (question), "cancel");
  g_signal_connect_object (question, "response", G_CALLBACK (on_existing_answered), self, 0);
  self->asking = TRUE;
  _winnow_task_dialog_update_state (self);
  gtk_window_present (GTK_WINDOW (question));
}

/* ---- set-up ---- */

void
_winnow_task_dialog_class_init_output (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "dialog.choose-folder", NULL,
                                   choose_folder_activated);
  gtk_widget_class_install_action (widget_class, "dialog.reset-folder", NULL,
                                   reset_folder_activated);
}

void
_winnow_task_dialog_init_output (WinnowTaskDialog *self)
{
  g_signal_connect (self->editor->name_row, "changed", G_CALLBACK (on_name_changed), self);
}
