/* winnow-export-dialog.c: see winnow-export-dialog.h. */
#include "config.h"

#include "winnow-export-dialog.h"
#include "winnow-export-dialog-private.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"

struct _WinnowExportDialog {
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  AdwComboRow *format_row;
  GtkButton *copy_button;
  GtkButton *save_button;
  GtkLabel *message_label;
  GtkTextView *preview;

  WinnowRecipe *recipe;
  char *input_path;
  char *output_path;
  WinnowExportFormat format;
  char *program;       /* NULL while generating, or when the format cannot express the recipe */
  char *message;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (WinnowExportDialog, winnow_export_dialog, ADW_TYPE_WINDOW)

typedef struct {
  WinnowRecipe *recipe;
  WinnowExportFormat format;
  char *input_path;
  char *output_path;
} Job;

static void
job_free (Job *job)
{
  winnow_recipe_free (job->recipe);
  g_free (job->input_path);
  g_free (job->output_path);
  g_free (job);
}

/* On a worker thread: DuckDB's script reads the start of the input. */
static void
generate_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(WinnowExportFile) file = NULL;
  g_autoptr(GError) error = NULL;
  char *program;

  if (winnow_export_format_needs_file (job->format))
    {
      if (job->input_path == NULL || job->output_path == NULL)
        {
          g_task_return_new_error (task, WINNOW_EXPORT_ERROR, WINNOW_EXPORT_ERROR_NEEDS_FILE,
                                   /* Translators: %s is a format name, such as DuckDB (SQL) */
                                   _("%s needs the input file, and there is none here"),
                                   winnow_export_format_get_label (job->format));
          return;
        }
      file = winnow_export_file_probe (job->recipe, job->input_path, job->output_path,
                                       cancellable, &error);
      if (file == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  program = winnow_export_generate (job->recipe, job->format, file, &error);
  if (program == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, program, g_free);
}

static void
update_actions (WinnowExportDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save", self->program != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.copy", self->program != NULL);
}

static void
show (WinnowExportDialog *self, const char *program, const char *message)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->preview);

  g_clear_pointer (&self->program, g_free);
  g_clear_pointer (&self->message, g_free);
  self->program = g_strdup (program);
  self->message = g_strdup (message);
  gtk_text_buffer_set_text (buffer, program ? program : "", -1);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  update_actions (self);
  winnow_ui_name_widgets (GTK_WIDGET (self));
}

static void
on_generated (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowExportDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  show (self, program, error ? error->message : NULL);
}

static void
generate (WinnowExportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  show (self, NULL, NULL);
  adw_window_title_set_subtitle (self->window_title, winnow_export_format_get_label (self->format));

  job->recipe = winnow_recipe_copy (self->recipe);
  job->format = self->format;
  job->input_path = g_strdup (self->input_path);
  job->output_path = g_strdup (self->output_path);
  task = g_task_new (NULL, self->cancellable, on_generated, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, generate_thread);
}

static void
on_format_selected (AdwComboRow *row, GParamSpec *pspec, WinnowExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected >= WINNOW_EXPORT_N_FORMATS || (WinnowExportFormat) selected == self->format)
    return;
  self->format = (WinnowExportFormat) selected;
  generate (self);
}

static void
copy_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowExportDialog *self = WINNOW_EXPORT_DIALOG (widget);

  if (self->program == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->program);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Program copied")));
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowExportDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *message = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    /* Translators: %s is a file name */
    message = g_strdup_printf (_("Saved to “%s”"), name);
  else
    /* Translators: a file name, then the reason */
    message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/**
 * winnow_export_dialog_save_to:
 *
 * Writes the program to @file, off the main thread; a toast says how it went.
 */
void
winnow_export_dialog_save_to (WinnowExportDialog *self, GFile *file)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (WINNOW_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  if (self->program == NULL)
    return;
  bytes = g_bytes_new (self->program, strlen (self->program));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_saved, g_object_ref (self));
}

static void
on_save_chosen (GtkNativeDialog *chooser, int response, WinnowExportDialog *self)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT
                          ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;

  g_object_unref (chooser);
  if (file != NULL)
    winnow_export_dialog_save_to (self, file);
}

static void
save_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowExportDialog *self = WINNOW_EXPORT_DIALOG (widget);
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->program == NULL)
    return;
  if (self->input_path != NULL)
    {
      g_autofree char *base = g_path_get_basename (self->input_path);
      char *dot = strrchr (base, '.');
      if (dot != NULL && dot != base)
        *dot = '\0';
      stem = g_steal_pointer (&base);
    }
  /* Translators: the start of a program's file name, as in clean-people.py */
  name = g_strdup_printf ("%s%s%s%s", _("clean"), stem ? "-" : "", stem ? stem : "",
                          winnow_export_format_get_suffix (self->format));
  chooser = gtk_file_chooser_native_new (_("Save Program"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
winnow_export_dialog_dispose (GObject *object)
{
  WinnowExportDialog *self = WINNOW_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (winnow_export_dialog_parent_class)->dispose (object);
}

static void
winnow_export_dialog_finalize (GObject *object)
{
  WinnowExportDialog *self = WINNOW_EXPORT_DIALOG (object);

  g_clear_pointer (&self->recipe, winnow_recipe_free);
  g_free (self->input_path);
  g_free (self->output_path);
  g_free (self->program);
  g_free (self->message);
  G_OBJECT_CLASS (winnow_export_dialog_parent_class)->finalize (object);
}

static void
winnow_export_dialog_class_init (WinnowExportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = winnow_export_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = winnow_export_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/winnow/Winnow/winnow-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, WinnowExportDialog, preview);
  gtk_widget_class_install_action (widget_class, "export.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "export.copy", NULL, copy_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "export.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
winnow_export_dialog_init (WinnowExportDialog *self)
{
  g_autoptr(GtkStringList) formats = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < WINNOW_EXPORT_N_FORMATS; i++)
    gtk_string_list_append (formats, winnow_export_format_get_label ((WinnowExportFormat) i));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (formats));
  winnow_ui_set_accessible_label (GTK_WIDGET (self->format_row), _("Format"));
  /* GTK 4.8 names a button with a mnemonic "_Save… Save…": say it once */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy the program"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Save…"), -1);
  g_signal_connect (self->format_row, "notify::selected", G_CALLBACK (on_format_selected), self);
  update_actions (self);
}

/**
 * winnow_export_dialog_new:
 * @input_path: (nullable): the file the recipe is for; DuckDB's script needs it
 * @output_path: (nullable): where its output goes
 *
 * Returns: (transfer none): the dialog, shown, generating the pandas program
 */
WinnowExportDialog *
winnow_export_dialog_new (GtkWindow *parent, const WinnowRecipe *recipe, const char *input_path,
                          const char *output_path)
{
  WinnowExportDialog *self;

  g_return_val_if_fail (recipe != NULL, NULL);

  self = g_object_new (WINNOW_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->recipe = winnow_recipe_copy (recipe);
  self->input_path = g_strdup (input_path);
  self->output_path = g_strdup (output_path);
  self->format = WINNOW_EXPORT_PANDAS;
  generate (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

void
winnow_export_dialog_set_format (WinnowExportDialog *self, WinnowExportFormat format)
{
  g_return_if_fail (WINNOW_IS_EXPORT_DIALOG (self));
  g_return_if_fail (format < WINNOW_EXPORT_N_FORMATS);
  adw_combo_row_set_selected (self->format_row, format);
}

WinnowExportFormat
winnow_export_dialog_get_format (WinnowExportDialog *self)
{
  g_return_val_if_fail (WINNOW_IS_EXPORT_DIALOG (self), WINNOW_EXPORT_PANDAS);
  return self->format;
}

/* TRUE while the program is being generated. */
gboolean
winnow_export_dialog_is_busy (WinnowExportDialog *self)
{
  g_return_val_if_fail (WINNOW_IS_EXPORT_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/* Returns: (nullable): the program shown, NULL while busy or on failure. */
const char *
winnow_export_dialog_get_program (WinnowExportDialog *self)
{
  g_return_val_if_fail (WINNOW_IS_EXPORT_DIALOG (self), NULL);
  return self->program;
}

/* Returns: (nullable): why there is no program, such as what the format
 * cannot express. */
const char *
winnow_export_dialog_get_message (WinnowExportDialog *self)
{
  g_return_val_if_fail (WINNOW_IS_EXPORT_DIALOG (self), NULL);
  return self->message;
}
