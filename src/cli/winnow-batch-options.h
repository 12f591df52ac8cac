/* winnow-batch-options.h: the command line of `winnow --batch`, parsed
 * into a recipe and the run's settings. */
#pragma once

#include <glib.h>

#include "winnow-export.h"
#include "winnow-recipe.h"

G_BEGIN_DECLS

typedef struct {
  WinnowRecipe *recipe;
  char **files;
  char *output;
  char *output_dir;
  char *save_recipe;
  gboolean export;      /* --export: print a program, clean nothing */
  WinnowExportFormat export_format;
  gboolean force;
  gboolean json;
  gboolean no_history;
  char *db;
  guint jobs;           /* 0: one per processor */
  char *recipe_note;    /* which recipe runs when no step was given, or NULL */
} WinnowBatchOptions;

WinnowBatchOptions *winnow_batch_options_parse (int argc,
                                                char **argv,
                                                GError **error);
void                winnow_batch_options_free  (WinnowBatchOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowBatchOptions, winnow_batch_options_free)

G_END_DECLS
