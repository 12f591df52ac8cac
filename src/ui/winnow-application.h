/* winnow-application.h: the desktop application: one task store and one
 * scheduler for the process, the main window, files opened from the
 * command line or the file manager, and the actions of the app menu. */
#pragma once

#include <adwaita.h>

#include "winnow-recipe-library.h"
#include "winnow-scheduler.h"
#include "winnow-task-store.h"

G_BEGIN_DECLS

/* The time slice the thread that draws asks for, in nanoseconds
 * (winnow-application.c, shorten_time_slice()). */
#define WINNOW_APPLICATION_SLICE_NS (300 * 1000)

#define WINNOW_TYPE_APPLICATION (winnow_application_get_type ())
G_DECLARE_FINAL_TYPE (WinnowApplication, winnow_application, WINNOW, APPLICATION, AdwApplication)

typedef struct _WinnowWindow WinnowWindow;

WinnowApplication *winnow_application_new          (GApplicationFlags extra_flags);
void               winnow_application_set_store_path (WinnowApplication *app,
                                                      const char *path);
void               winnow_application_set_recipes_dir (WinnowApplication *app,
                                                       const char *dir);
WinnowTaskStore   *winnow_application_get_store    (WinnowApplication *app);
WinnowScheduler   *winnow_application_get_scheduler (WinnowApplication *app);
void               winnow_application_settle_history (WinnowApplication *app);
WinnowWindow      *winnow_application_get_window   (WinnowApplication *app);
GSettings         *winnow_application_get_settings (WinnowApplication *app);
WinnowRecipeLibrary *winnow_application_get_recipes (WinnowApplication *app);
WinnowRecipe      *winnow_application_get_default_recipe (WinnowApplication *app);
const char        *winnow_application_get_store_problem (WinnowApplication *app);

int                winnow_application_main         (int argc, char **argv);

G_END_DECLS
