/* winnow-task-dialog-private.h: what the rooms of the configuration
 * dialog share (winnow-task-dialog.c: the object, the files, the sample
 * and forecast, Clean; winnow-task-dialog-output.c: where the output
 * goes and what it is called; winnow-task-dialog-recipes.c: the Recipe
 * row and the recipe menu), and the hooks its tests use. Its rows live
 * in the recipe editor's template (winnow-recipe-editor-private.h).
 * Included by those files and the tests only. */
#pragma once

#include "winnow-recipe-editor-private.h"
#include "winnow-recipe-library.h"
#include "winnow-sample.h"
#include "winnow-task-dialog.h"

G_BEGIN_DECLS

/* How long the recipe must stay unchanged before the sample is cleaned
 * again: typing in an entry does not start a job per key. */
#define ESTIMATE_DELAY_MS 150

/* What a new task does with an output file already there (the
 * "existing-output" setting). */
typedef enum {
  WINNOW_EXISTING_ASK,
  WINNOW_EXISTING_REPLACE,
  WINNOW_EXISTING_KEEP_BOTH,
} WinnowExisting;

struct _WinnowTaskDialog {
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkButton *clean_button;
  WinnowRecipeEditor *editor;
  GtkSpinner *forecast_spinner;
  GtkLabel *forecast_label;

  GPtrArray *recipe_names;  /* of char*, per item of the recipe row: NULL built-in, "" the task's */

  WinnowApplication *app;
  WinnowScheduler *scheduler;
  WinnowRecipeLibrary *library;
  GPtrArray *paths;         /* of char*: the files to clean */
  WinnowTask *rerun;        /* the task whose recipe is edited, or NULL */
  WinnowRecipe *rerun_recipe;
  char *output_folder;      /* NULL: beside each file */
  char *output_name;        /* the first file's output as typed, or NULL: the default */

  WinnowSample *sample;     /* of paths[0], once read */
  GCancellable *cancellable;/* of the job running */
  WinnowEditorChange pending;
  guint delay_id;
  gboolean busy;
  char *forecast;           /* what the sample says the recipe does, or NULL */
  char *recipe_error;       /* the estimate says the recipe cannot run */
  char *file_error;         /* the first file cannot be read */
  char *output_error;       /* the output cannot be written where it would go */
  gboolean asking;          /* the Replace / Keep Both question is up */
  guint selecting;          /* the recipe row set by code, not by the user */
};

/* winnow-task-dialog.c */
void        winnow_task_dialog_toast              (WinnowTaskDialog *self,
                                                   const char *message);
void        _winnow_task_dialog_update_state      (WinnowTaskDialog *self);
void        _winnow_task_dialog_add_with          (WinnowTaskDialog *self,
                                                   WinnowExisting existing);

/* winnow-task-dialog-output.c */
void        _winnow_task_dialog_class_init_output (GtkWidgetClass *widget_class);
void        _winnow_task_dialog_init_output       (WinnowTaskDialog *self);
void        _winnow_task_dialog_update_output     (WinnowTaskDialog *self);
GPtrArray  *_winnow_task_dialog_plan_outputs      (WinnowTaskDialog *self,
                                                   WinnowExisting existing,
                                                   guint *n_existing);
WinnowExisting _winnow_task_dialog_get_existing   (WinnowTaskDialog *self);
void        _winnow_task_dialog_ask_existing      (WinnowTaskDialog *self,
                                                   guint n_existing);

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

/* For tests and benchmarks. */
gboolean    winnow_task_dialog_is_busy            (WinnowTaskDialog *dialog);
const char *winnow_task_dialog_get_forecast       (WinnowTaskDialog *dialog);
GtkWidget  *winnow_task_dialog_get_child          (WinnowTaskDialog *dialog,
                                                   const char *name);

G_END_DECLS
