/* winnow-preferences.c: see winnow-preferences.h. */
#include "config.h"

#include "winnow-preferences.h"
#include "winnow-preferences-private.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

/* A recipe deleted while its undo is offered: what it was, and whether
 * it was the default, to put both back. */
typedef struct {
  WinnowRecipe *recipe;
  gboolean was_default;
  AdwToast *toast;  /* weak */
} Deletion;

struct _WinnowPreferences {
  AdwPreferencesWindow parent_instance;

  AdwActionRow *output_row;
  AdwActionRow *auto_jobs_row;
  GtkSwitch *auto_jobs_switch;
  AdwActionRow *jobs_row;
  GtkSpinButton *jobs_spin;
  AdwComboRow *default_recipe_row;
  GtkSwitch *notifications_switch;
  GtkListBox *recipe_list;

  GSettings *settings;
  WinnowRecipeLibrary *recipes;
  GtkStringList *names;     /* the saved recipes, sorted */
  GHashTable *deletions;    /* name -> Deletion */
  AdwToast *last_toast;     /* weak: for tests */
  gboolean syncing;         /* a control is being set from the settings */
};

G_DEFINE_FINAL_TYPE (WinnowPreferences, winnow_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void
deletion_free (gpointer data)
{
  Deletion *deletion = data;

  winnow_recipe_free (deletion->recipe);
  g_clear_weak_pointer (&deletion->toast);
  g_free (deletion);
}

static void
show_toast (WinnowPreferences *self, AdwToast *toast)
{
  g_set_weak_pointer (&self->last_toast, toast);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* ---- output folder ---- */

static void
update_output_row (WinnowPreferences *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "output-folder");
  g_autofree char *display = NULL;

  if (folder[0] == '\0')
    adw_action_row_set_subtitle (self->output_row, _("Beside each input file"));
  else
    {
      display = winnow_ui_display_path (folder);
      adw_action_row_set_subtitle (self->output_row, display);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.reset-output-folder",
                                 folder[0] != '\0');
}

/**
 * winnow_preferences_set_output_folder:
 * @folder: (nullable): where cleaned files go; %NULL: beside each input file
 *
 * What the folder chooser does with the folder chosen. A folder with no
 * local path (a remote one) is refused with a toast: the engine writes
 * with plain file calls.
 */
void
winnow_preferences_set_output_folder (WinnowPreferences *self, GFile *folder)
{
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (WINNOW_IS_PREFERENCES (self));

  if (folder == NULL)
    {
      g_settings_set_string (self->settings, "output-folder", "");
      return;
    }
  path = g_file_get_path (folder);
  if (path == NULL)
    {
      uri = g_file_get_uri (folder);
      show_toast (self, adw_toast_new_format (_("“%s” is not a folder on this computer"), uri));
      return;
    }
  g_settings_set_string (self->settings, "output-folder", path);
}

static void
on_output_folder_changed (GSettings *settings, const char *key, WinnowPreferences *self)
{
  update_output_row (self);
}

static void
on_folder_chosen (GtkWindow *parent, GFile *folder)
{
  winnow_preferences_set_output_folder (WINNOW_PREFERENCES (parent), folder);
}

static void
choose_output_folder_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowPreferences *self = WINNOW_PREFERENCES (widget);
  g_autofree char *current = g_settings_get_string (self->settings, "output-folder");

  winnow_ui_choose_folder (GTK_WINDOW (self), current, on_folder_chosen);
}

static void
reset_output_folder_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  winnow_preferences_set_output_folder (WINNOW_PREFERENCES (widget), NULL);
}

/* ---- default recipe ---- */

/* Shows the recipe the settings name; one that is not saved (any more)
 * shows as the built-in one, which is what new tasks then get. */
static void
select_default_recipe (WinnowPreferences *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "default-recipe");
  guint position = 0;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->names));

  for (guint i = 0; name[0] != '\0' && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->names, i), name) == 0)
      {
        position = i + 1;
        break;
      }
  self->syncing = TRUE;
  adw_combo_row_set_selected (self->default_recipe_row, position);
  self->syncing = FALSE;
}

static void
on_default_recipe_selected (AdwComboRow *row, GParamSpec *pspec, WinnowPreferences *self)
{
  guint position = adw_combo_row_get_selected (row);
  const char *name = "";

  if (self->syncing || position == GTK_INVALID_LIST_POSITION)
    return;
  if (position > 0)
    name = gtk_string_list_get_string (self->names, position - 1);
  g_settings_set_string (self->settings, "default-recipe", name ? name : "");
}

static void
on_default_recipe_changed (GSettings *settings, const char *key, WinnowPreferences *self)
{
  select_default_recipe (self);
}

/* The combo row lists "Built-in" then the saved recipes: a flattened
 * list of the two, so that one change to the names updates both it and
 * the list of saved recipes. */
static GListModel *
make_recipe_choices (WinnowPreferences *self)
{
  const char *builtin[] = { _("Built-in"), NULL };
  GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GtkStringList) first = gtk_string_list_new (builtin);

  g_list_store_append (parts, first);
  g_list_store_append (parts, self->names);
  return G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (parts)));
}

/* ---- saved recipes ---- */

static void
reload_recipes (WinnowPreferences *self)
{
  g_auto(GStrv) names = winnow_recipe_library_list (self->recipes);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->names));

  self->syncing = TRUE;
  gtk_string_list_splice (self->names, 0, n, (const char * const *) names);
  self->syncing = FALSE;
  select_default_recipe (self);
}

static void
on_library_changed (WinnowRecipeLibrary *library, WinnowPreferences *self)
{
  reload_recipes (self);
}

static GtkWidget *
make_recipe_row (gpointer item, gpointer data)
{
  const char *name = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  g_autofree char *label = g_strdup_printf (_("Delete “%s”"), name);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Delete"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.delete-recipe");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
on_deletion_dismissed (AdwToast *toast, WinnowPreferences *self)
{
  const char *name = g_object_get_data (G_OBJECT (toast), "name");
  Deletion *deletion;

  /* toasts are dismissed as the window goes too */
  if (self->deletions == NULL)
    return;
  deletion = g_hash_table_lookup (self->deletions, name);
  /* a later deletion of the same name has its own toast */
  if (deletion != NULL && deletion->toast == toast)
    g_hash_table_remove (self->deletions, name);
}

/* Deletes at once and offers an undo: a confirmation dialog would ask
 * every time for something rarely regretted. */
static void
delete_recipe_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowPreferences *self = WINNOW_PREFERENCES (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *default_name = g_settings_get_string (self->settings, "default-recipe");
  g_autoptr(GError) error = NULL;
  WinnowRecipe *recipe;
  Deletion *deletion;
  AdwToast *toast;

  /* kept for the undo; a file that no longer reads is deleted without one */
  recipe = winnow_recipe_library_load (self->recipes, name, NULL);
  if (!winnow_recipe_library_delete (self->recipes, name, &error))
    {
      winnow_recipe_free (recipe);
      show_toast (self, adw_toast_new_format (_("“%s” cannot be deleted: %s"),
                                              name, error->message));
      return;
    }
  if (g_strcmp0 (default_name, name) == 0)
    g_settings_set_string (self->settings, "default-recipe", "");

  toast = adw_toast_new_format (_("“%s” deleted"), name);
  if (recipe != NULL)
    {
      deletion = g_new0 (Deletion, 1);
      deletion->recipe = recipe;
      deletion->was_default = g_strcmp0 (default_name, name) == 0;
      g_set_weak_pointer (&deletion->toast, toast);
      g_hash_table_replace (self->deletions, g_strdup (name), deletion);
      g_object_set_data_full (G_OBJECT (toast), "name", g_strdup (name), g_free);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "prefs.undo-delete-recipe");
      adw_toast_set_action_target (toast, "s", name);
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_deletion_dismissed), self, 0);
    }
  show_toast (self, toast);
}

static void
undo_delete_recipe_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  WinnowPreferences *self = WINNOW_PREFERENCES (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  Deletion *deletion = g_hash_table_lookup (self->deletions, name);
  g_autoptr(GError) error = NULL;

  if (deletion == NULL)
    return;
  if (!winnow_recipe_library_save (self->recipes, name, deletion->recipe, &error))
    show_toast (self, adw_toast_new_format (_("“%s” cannot be restored: %s"),
                                            name, error->message));
  else if (deletion->was_default)
    g_settings_set_string (self->settings, "default-recipe", name);
  g_hash_table_remove (self->deletions, name);
}

/* ---- the object ---- */

/* ---- parallel jobs: automatic (the setting's 0), or a number ---- */

static void
set_jobs_subtitle (WinnowPreferences *self)
{
  g_autofree char *subtitle =
    g_strdup_printf (_("One per processor core (%u on this computer)"), g_get_num_processors ());

  adw_action_row_set_subtitle (self->auto_jobs_row, subtitle);
}

/* The switch and the spin button say what the setting says. */
static void
on_jobs_changed (GSettings *settings, const char *key, WinnowPreferences *self)
{
  int jobs = g_settings_get_int (settings, "jobs");

  self->syncing = TRUE;
  gtk_switch_set_active (self->auto_jobs_switch, jobs <= 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->jobs_row), jobs > 0);
  gtk_spin_button_set_value (self->jobs_spin, jobs > 0 ? jobs : (int) g_get_num_processors ());
  self->syncing = FALSE;
}

static void
on_auto_jobs (GtkSwitch *sw, GParamSpec *pspec, WinnowPreferences *self)
{
  if (self->syncing)
    return;
  /* off: the number shown, one per core to start with */
  g_settings_set_int (self->settings, "jobs", gtk_switch_get_active (sw)
                      ? 0 : gtk_spin_button_get_value_as_int (self->jobs_spin));
}

static void
on_jobs_value (GtkSpinButton *spin, WinnowPreferences *self)
{
  if (self->syncing || gtk_switch_get_active (self->auto_jobs_switch))
    return;
  g_settings_set_int (self->settings, "jobs", gtk_spin_button_get_value_as_int (spin));
}

static void
winnow_preferences_dispose (GObject *object)
{
  WinnowPreferences *self = WINNOW_PREFERENCES (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->recipes != NULL)
    g_signal_handlers_disconnect_by_data (self->recipes, self);
  g_clear_weak_pointer (&self->last_toast);
  g_clear_pointer (&self->deletions, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->recipes);
  g_clear_object (&self->names);
  gtk_widget_dispose_template (GTK_WIDGET (self), WINNOW_TYPE_PREFERENCES);
  G_OBJECT_CLASS (winnow_preferences_parent_class)->dispose (object);
}

static void
winnow_preferences_class_init (WinnowPreferencesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = winnow_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/winnow/Winnow/winnow-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, output_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, auto_jobs_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, auto_jobs_switch);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, jobs_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, jobs_spin);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, default_recipe_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, WinnowPreferences, recipe_list);

  gtk_widget_class_install_action (widget_class, "prefs.choose-output-folder", NULL,
                                   choose_output_folder_activated);
  gtk_widget_class_install_action (widget_class, "prefs.reset-output-folder", NULL,
                                   reset_output_folder_activated);
  gtk_widget_class_install_action (widget_class, "prefs.delete-recipe", "s",
                                   delete_recipe_activated);
  gtk_widget_class_install_action (widget_class, "prefs.undo-delete-recipe", "s",
                                   undo_delete_recipe_activated);
}

static void
winnow_preferences_init (WinnowPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->names = gtk_string_list_new (NULL);
  self->deletions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, deletion_free);
  set_jobs_subtitle (self);
  winnow_ui_name_widgets (GTK_WIDGET (self));
}

/**
 * winnow_preferences_new:
 *
 * Returns: (transfer floating): the Preferences window of @app, which
 *   must have started up (it reads the app's settings and recipes)
 */
GtkWidget *
winnow_preferences_new (WinnowApplication *app)
{
  WinnowPreferences *self;
  g_autoptr(GListModel) choices = NULL;

  g_return_val_if_fail (WINNOW_IS_APPLICATION (app), NULL);

  self = g_object_new (WINNOW_TYPE_PREFERENCES, NULL);
  self->settings = g_object_ref (winnow_application_get_settings (app));
  self->recipes = g_object_ref (winnow_application_get_recipes (app));

  on_jobs_changed (self->settings, "jobs", self);
  g_signal_connect (self->settings, "changed::jobs", G_CALLBACK (on_jobs_changed), self);
  g_signal_connect (self->auto_jobs_switch, "notify::active", G_CALLBACK (on_auto_jobs), self);
  g_signal_connect (self->jobs_spin, "value-changed", G_CALLBACK (on_jobs_value), self);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect (self->settings, "changed::output-folder",
                    G_CALLBACK (on_output_folder_changed), self);
  g_signal_connect (self->settings, "changed::default-recipe",
                    G_CALLBACK (on_default_recipe_changed), self);
  update_output_row (self);

  choices = make_recipe_choices (self);
  adw_combo_row_set_model (self->default_recipe_row, choices);
  gtk_list_box_bind_model (self->recipe_list, G_LIST_MODEL (self->names),
                           make_recipe_row, self, NULL);
  g_signal_connect (self->recipes, "changed", G_CALLBACK (on_library_changed), self);
  g_signal_connect (self->default_recipe_row, "notify::selected",
                    G_CALLBACK (on_default_recipe_selected), self);
  reload_recipes (self);
  return GTK_WIDGET (self);
}

AdwActionRow *
winnow_preferences_get_output_row (WinnowPreferences *self)
{
  return self->output_row;
}

GtkSpinButton *
winnow_preferences_get_jobs_spin (WinnowPreferences *self)
{
  return self->jobs_spin;
}

GtkSwitch *
winnow_preferences_get_auto_jobs_switch (WinnowPreferences *self)
{
  return self->auto_jobs_switch;
}

/* Its items: "Built-in", then the saved recipes by name. */
AdwComboRow *
winnow_preferences_get_default_recipe_row (WinnowPreferences *self)
{
  return self->default_recipe_row;
}

/* One row per saved recipe, each with its delete button. */
GtkListBox *
winnow_preferences_get_recipe_list (WinnowPreferences *self)
{
  return self->recipe_list;
}

/* The toast shown last, while it lives. */
AdwToast *
winnow_preferences_get_last_toast (WinnowPreferences *self)
{
  return self->last_toast;
}
