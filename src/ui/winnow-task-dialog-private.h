/* winnow-task-dialog-private.h: what the parts of the configuration
 * dialog share: the dialog itself, and its recipe menu and row
 * (winnow-task-dialog-recipes.c). */
#pragma once

#include "winnow-recipe-library.h"
#include "winnow-sample.h"
#include "winnow-task-dialog.h"

G_BEGIN_DECLS

/* How long the recipe must stay unchanged before the sample is cleaned
 * again: typing in an entry does not start a job per key. */
#define ESTIMATE_DELAY_MS 150

struct _WinnowTaskDialog {
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *clean_button;
  WinnowRecipeEditor *editor;
  GtkSpinner *forecast_spinner;
  GtkLabel *forecast_label;

  AdwComboRow *recipe_row;
  GPtrArray *recipe_names;  /* of char*, per item of recipe_row: NULL built-in, "" the task's */
  AdwActionRow *file_row;
  AdwActionRow *differ_row;
  AdwActionRow *folder_row;
  GtkWidget *folder_reset;
  AdwActionRow *name_row;

  WinnowApplication *app;
  WinnowScheduler *scheduler;
  WinnowRecipeLibrary *library;
  GPtrArray *paths;         /* of char*: the files to clean */
  WinnowTask *rerun;        /* the task whose recipe is edited, or NULL */
  WinnowRecipe *rerun_recipe;
  char *output_folder;      /* NULL: beside each file */

  WinnowSample *sample;     /* of paths[0], once read */
  GCancellable *cancellable;/* of the job running */
  WinnowEditorChange pending;
  guint delay_id;
  gboolean busy;
  gboolean recipe_error;    /* the estimate says the recipe cannot run */
  gboolean output_error;    /* the output folder cannot be written */
  guint selecting;          /* recipe_row set by code, not by the user */
};

void        winnow_task_dialog_toast              (WinnowTaskDialog *self,
                                                   const char *message);

/* winnow-task-dialog-recipes.c */
void        winnow_task_dialog_fill_recipe_row    (WinnowTaskDialog *self,
                                                   const char *select);
const char *winnow_task_dialog_selected_recipe_name (WinnowTaskDialog *self);
void        winnow_task_dialog_on_recipe_chosen   (AdwComboRow *row,
                                                   GParamSpec *pspec,
                                                   WinnowTaskDialog *self);
void        winnow_task_dialog_on_library_changed (WinnowRecipeLibrary *library,
                                                   WinnowTaskDialog *self);
void        winnow_task_dialog_save_recipe_activated (GtkWidget *widget,
                                                      const char *action,
                                                      GVariant *parameter);
void        winnow_task_dialog_export_code_activated (GtkWidget *widget,
                                                      const char *action,
                                                      GVariant *parameter);
void        winnow_task_dialog_recipe_file_activated (GtkWidget *widget,
                                                      const char *action,
                                                      GVariant *parameter);

G_END_DECLS
