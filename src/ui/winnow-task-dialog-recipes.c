/* winnow-task-dialog-recipes.c: the dialog's recipes: the Recipe row
 * (built-in, saved, or the task's own), and the menu that saves,
 * imports and exports them. */
#include "config.h"

#include <glib/gi18n.h>

#include "winnow-task-dialog-private.h"

#include "winnow-export-dialog.h"

void
winnow_task_dialog_fill_recipe_row (WinnowTaskDialog *self, const char *select)
{
  g_auto(GStrv) names = winnow_recipe_library_list (self->library);
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  guint selected = 0;

  g_ptr_array_set_size (self->recipe_names, 0);
  if (self->rerun != NULL)
    {
      gtk_string_list_append (items, _("This task’s recipe"));
      g_ptr_array_add (self->recipe_names, g_strdup (""));
    }
  gtk_string_list_append (items, _("Built-in"));
  g_ptr_array_add (self->recipe_names, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    {
      gtk_string_list_append (items, names[i]);
      g_ptr_array_add (self->recipe_names, g_strdup (names[i]));
    }
  for (guint i = 0; i < self->recipe_names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->recipe_names, i), select) == 0)
      selected = i;
  self->selecting++;
  adw_combo_row_set_model (self->editor->recipe_row, G_LIST_MODEL (items));
  adw_combo_row_set_selected (self->editor->recipe_row, selected);
  self->selecting--;
}

const char *
winnow_task_dialog_selected_recipe_name (WinnowTaskDialog *self)
{
  guint i = adw_combo_row_get_selected (self->editor->recipe_row);
  return i < self->recipe_names->len ? g_ptr_array_index (self->recipe_names, i) : NULL;
}

void
winnow_task_dialog_on_recipe_chosen (AdwComboRow *row, GParamSpec *pspec, WinnowTaskDialog *self)
{
  const char *name = winnow_task_dialog_selected_recipe_name (self);
  g_autoptr(WinnowRecipe) recipe = NULL;
  g_autoptr(GError) error = NULL;

  if (self->selecting)
    return;
  if (name == NULL)
    recipe = winnow_recipe_new_default ();
  else if (name[0] == '\0')
    recipe = winnow_recipe_copy (self->rerun_recipe);
  else
    recipe = winnow_recipe_library_load (self->library, name, &error);
  if (recipe == NULL)
    {
      winnow_task_dialog_toast (self, error->message);
      return;
    }
  winnow_task_dialog_set_recipe (self, recipe);
}

/* Picks a saved recipe by name (or the built-in one with %NULL). */
void
winnow_task_dialog_select_recipe (WinnowTaskDialog *self, const char *name)
{
  for (guint i = 0; i < self->recipe_names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->recipe_names, i), name) == 0)
      adw_combo_row_set_selected (self->editor->recipe_row, i);
}

void
winnow_task_dialog_on_library_changed (WinnowRecipeLibrary *library, WinnowTaskDialog *self)
{
  g_autofree char *name = g_strdup (winnow_task_dialog_selected_recipe_name (self));
  winnow_task_dialog_fill_recipe_row (self, name);
}

/**
 * winnow_task_dialog_save_recipe:
 * @make_default: whether new tasks start from it from now on
 *
 * Saves the settings as they are under @name, replacing a recipe of
 * that name.
 */
gboolean
winnow_task_dialog_save_recipe (WinnowTaskDialog *self, const char *name, gboolean make_default,
                                GError **error)
{
  if (!winnow_recipe_library_save (self->library, name,
                                   winnow_recipe_editor_get_recipe (self->editor), error))
    return FALSE;
  winnow_task_dialog_fill_recipe_row (self, name);
  if (make_default)
    g_settings_set_string (winnow_application_get_settings (self->app), "default-recipe", name);
  return TRUE;
}

gboolean
winnow_task_dialog_import_recipe (WinnowTaskDialog *self, GFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(WinnowRecipe) recipe = path != NULL ? winnow_recipe_new_from_file (path, error) : NULL;

  if (recipe == NULL)
    {
      if (path == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Not a local file"));
      return FALSE;
    }
  winnow_task_dialog_set_recipe (self, recipe);
  return TRUE;
}

gboolean
winnow_task_dialog_export_recipe (WinnowTaskDialog *self, GFile *file, GError **error)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Not a local file"));
      return FALSE;
    }
  return winnow_recipe_save (winnow_recipe_editor_get_recipe (self->editor), path, error);
}

static void
on_save_response (AdwMessageDialog *dialog, const char *response, WinnowTaskDialog *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  GtkCheckButton *check = g_object_get_data (G_OBJECT (dialog), "default-check");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "save"))
    return;
  if (!winnow_task_dialog_save_recipe (self, gtk_editable_get_text (entry),
                                       gtk_check_button_get_active (check), &error))
    {
      winnow_task_dialog_toast (self, error->message);
      return;
    }
  message = g_strdup_printf (_("Recipe “%s” saved"), gtk_editable_get_text (entry));
  winnow_task_dialog_toast (self, message);
}

static void
on_save_name_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  WinnowTaskDialog *self = g_object_get_data (G_OBJECT (dialog), "task-dialog");
  const char *name = gtk_editable_get_text (entry);
  g_auto(GStrv) names = winnow_recipe_library_list (self->library);
  gboolean exists = g_strv_contains ((const char * const *) names, name);

  adw_message_dialog_set_response_enabled (dialog, "save",
                                           winnow_recipe_library_check_name (name, NULL));
  adw_message_dialog_set_response_label (dialog, "save", exists ? _("_Replace") : _("_Save"));
  adw_message_dialog_set_response_appearance (dialog, "save", exists
                                              ? ADW_RESPONSE_DESTRUCTIVE
                                              : ADW_RESPONSE_SUGGESTED);
}

void
winnow_task_dialog_save_recipe_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Recipe"),
                                              _("Saved recipes can be picked for new tasks, "
                                                "and one can be where every new task starts."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *check = gtk_check_button_new_with_mnemonic (_("Use for _new tasks"));
  const char *current = winnow_task_dialog_selected_recipe_name (self);

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Recipe name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Recipe name"), -1);
  if (current != NULL && current[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (entry), current);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), check);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "default-check", check);
  g_object_set_data (G_OBJECT (dialog), "task-dialog", self);
  g_signal_connect (entry, "changed", G_CALLBACK (on_save_name_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  on_save_name_changed (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Recipes (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

static void
on_recipe_file_chosen (GtkNativeDialog *chooser, int response, WinnowTaskDialog *self)
{
  gboolean export = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) ==
                    GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT
                          ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *message = NULL;

  g_object_unref (chooser);
  if (file == NULL)
    return;
  if (export ? winnow_task_dialog_export_recipe (self, file, &error)
             : winnow_task_dialog_import_recipe (self, file, &error))
    message = g_strdup_printf (export ? _("Recipe exported to “%s”")
                                      : _("Recipe imported from “%s”"), name);
  else
    message = g_strdup_printf (export ? _("Could not export the recipe: %s")
                                      : _("Could not import “%s”: %s"),
                               export ? error->message : name, error->message);
  winnow_task_dialog_toast (self, message);
}

void
winnow_task_dialog_recipe_file_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (widget);
  gboolean export = g_str_equal (action, "dialog.export-recipe");
  g_autoptr(GtkFileFilter) filter = json_filter ();
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (export ? _("Export Recipe") : _("Import Recipe"),
                                 GTK_WINDOW (self),
                                 export ? GTK_FILE_CHOOSER_ACTION_SAVE
                                        : GTK_FILE_CHOOSER_ACTION_OPEN,
                                 export ? _("_Export") : _("_Import"), NULL);

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (export)
    {
      const char *name = winnow_task_dialog_selected_recipe_name (self);
      g_autofree char *file_name = g_strdup_printf ("%s.json", name != NULL && name[0] != '\0'
                                                               ? name : _("recipe"));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_recipe_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* "Export as Code…": the recipe as it stands, for the first file. */
void
winnow_task_dialog_export_code_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowTaskDialog *self = WINNOW_TASK_DIALOG (widget);
  const char *input = g_ptr_array_index (self->paths, 0);
  g_autoptr(GPtrArray) outputs = _winnow_task_dialog_plan_outputs (self, WINNOW_EXISTING_REPLACE,
                                                                    NULL);
  const char *output = g_ptr_array_index (outputs, 0);

  winnow_export_dialog_new (GTK_WINDOW (self), winnow_recipe_editor_get_recipe (self->editor),
                            input, output);
}
