/* winnow-task-dialog.h: the recipe for new tasks, set knowing the file.
 *
 * Adding files opens this dialog: one for all the files added together.
 * It reads the first file's header and first rows on a worker thread
 * (the dialog is up at once, whatever the file's size), lists the
 * columns with their type and missing share, and says what the recipe
 * will do to those rows while the user changes it. "Clean" makes a task
 * of each file. The same dialog edits a finished task's recipe to run
 * it again, and saves, imports and exports recipes.
 */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"
#include "winnow-recipe-editor.h"

G_BEGIN_DECLS

#define WINNOW_TYPE_TASK_DIALOG (winnow_task_dialog_get_type ())
G_DECLARE_FINAL_TYPE (WinnowTaskDialog, winnow_task_dialog, WINNOW, TASK_DIALOG, AdwWindow)

WinnowTaskDialog   *winnow_task_dialog_new          (WinnowApplication *app,
                                                     GtkWindow *parent,
                                                     GPtrArray *files);
WinnowTaskDialog   *winnow_task_dialog_new_rerun    (WinnowApplication *app,
                                                     GtkWindow *parent,
                                                     WinnowTask *task);
void                winnow_task_dialog_add_files    (WinnowTaskDialog *dialog,
                                                     GPtrArray *files);
guint               winnow_task_dialog_get_n_files  (WinnowTaskDialog *dialog);
WinnowRecipeEditor *winnow_task_dialog_get_editor   (WinnowTaskDialog *dialog);
void                winnow_task_dialog_set_recipe   (WinnowTaskDialog *dialog,
                                                     const WinnowRecipe *recipe);
void                winnow_task_dialog_set_output_folder (WinnowTaskDialog *dialog,
                                                          const char *folder);
char               *winnow_task_dialog_get_output_name (WinnowTaskDialog *dialog);
gboolean            winnow_task_dialog_save_recipe  (WinnowTaskDialog *dialog,
                                                     const char *name,
                                                     gboolean make_default,
                                                     GError **error);
gboolean            winnow_task_dialog_import_recipe (WinnowTaskDialog *dialog,
                                                      GFile *file,
                                                      GError **error);
gboolean            winnow_task_dialog_export_recipe (WinnowTaskDialog *dialog,
                                                      GFile *file,
                                                      GError **error);
void                winnow_task_dialog_select_recipe (WinnowTaskDialog *dialog,
                                                      const char *name);
guint               winnow_task_dialog_confirm      (WinnowTaskDialog *dialog);

G_END_DECLS
