/* winnow-recipe-editor-private.h: what the rooms of the recipe editor
 * share (winnow-recipe-editor.c: the object, the file, row and output
 * settings; winnow-recipe-editor-columns.c: the columns, their charts
 * and fills; winnow-recipe-editor-replace.c: the replacements), the
 * rows of its template that belong to the dialog holding it
 * (winnow-task-dialog*.c fills them in), and the hooks its tests use.
 * Included by those files and the tests only. */
#pragma once

#include "winnow-column-chart.h"
#include "winnow-column-picker.h"
#include "winnow-fill-row.h"
#include "winnow-recipe-editor.h"
#include "winnow-replace-row.h"

G_BEGIN_DECLS

struct _WinnowRecipeEditor {
  AdwBin parent_instance;

  /* the dialog's rows: which recipe it starts from, the files, where
   * the output goes */
  AdwComboRow *recipe_row;
  AdwActionRow *file_row;
  GtkWidget *file_skip;
  AdwActionRow *differ_row;
  AdwActionRow *folder_row;
  GtkWidget *folder_reset;
  GtkWidget *folder_choose;
  AdwEntryRow *name_row;
  AdwActionRow *names_row;
  AdwActionRow *exists_row;
  GtkImage *exists_icon;

  AdwComboRow *delimiter_row;
  AdwComboRow *encoding_row;
  GtkSwitch *header_switch;
  AdwComboRow *bad_lines_row;
  AdwPreferencesGroup *summary_group;
  AdwPreferencesGroup *columns_group;
  AdwActionRow *columns_placeholder;
  GtkSpinner *columns_spinner;
  AdwPreferencesGroup *replace_group;
  AdwActionRow *replace_placeholder;
  GtkSwitch *trim_switch;
  AdwExpanderRow *duplicates_row;
  AdwComboRow *keep_row;
  AdwActionRow *duplicates_subset_row;
  AdwExpanderRow *missing_row;
  AdwComboRow *how_row;
  AdwActionRow *thresh_row;
  GtkSpinButton *thresh_spin;
  AdwActionRow *missing_subset_row;
  AdwEntryRow *na_row;
  GtkSwitch *empty_switch;
  AdwPreferencesGroup *fill_group;
  AdwComboRow *out_delimiter_row;
  AdwComboRow *line_ending_row;
  GtkSwitch *formula_switch;
  GtkSwitch *rejects_switch;

  WinnowColumnPicker *duplicates_picker;
  WinnowColumnPicker *missing_picker;
  GArray *delimiters;       /* of gunichar, the items of delimiter_row; 0 is "detect" */
  GArray *out_delimiters;   /* of gunichar, the items of out_delimiter_row; 0 is "same" */
  GPtrArray *encodings;     /* of char*, the items of encoding_row; "auto" first */
  gunichar detected;        /* the input's delimiter, as read; 0 until then */

  WinnowRecipe *recipe;
  GPtrArray *columns;       /* of char*: the file's columns, or NULL until read */
  GPtrArray *profile;       /* of WinnowColumnProfile*: the columns in the sample, or NULL */
  guint64 n_rows;           /* rows in the sample */
  GPtrArray *column_rows;   /* of GtkWidget*, in columns_group */
  GHashTable *switches;     /* column -> GtkSwitch* */
  GHashTable *charts;       /* column -> WinnowColumnChart* */
  GPtrArray *fill_rows;     /* of WinnowFillRow*, in column order */
  GHashTable *fill_by_name; /* column -> WinnowFillRow* */
  GPtrArray *replace_rows;  /* of WinnowReplaceRow*, in the recipe's order */
  char *problem;            /* why the controls make no recipe that runs, or NULL */
  guint syncing;
};

/* winnow-recipe-editor.c */
void       _winnow_recipe_editor_emit_changed   (WinnowRecipeEditor *self,
                                                 WinnowEditorChange what);
void       _winnow_recipe_editor_sync_controls  (WinnowRecipeEditor *self);
GHashTable *_winnow_str_set_new                 (GPtrArray *array);

/* winnow-recipe-editor-columns.c */
void       _winnow_recipe_editor_init_columns   (WinnowRecipeEditor *self);
void       _winnow_recipe_editor_sync_columns   (WinnowRecipeEditor *self);
GPtrArray *_winnow_recipe_editor_kept_columns   (WinnowRecipeEditor *self);
int        _winnow_recipe_editor_column_index   (WinnowRecipeEditor *self,
                                                 const char *name);
const char *_winnow_recipe_editor_fill_problem  (WinnowRecipeEditor *self);

/* winnow-recipe-editor-replace.c */
void       _winnow_recipe_editor_class_init_replace (GtkWidgetClass *widget_class);
void       _winnow_recipe_editor_sync_replace   (WinnowRecipeEditor *self);
void       _winnow_recipe_editor_replace_columns_changed (WinnowRecipeEditor *self);
void       _winnow_recipe_editor_drop_replace   (WinnowRecipeEditor *self,
                                                 const char *column);
const char *_winnow_recipe_editor_check_replace (WinnowRecipeEditor *self);
void       _winnow_recipe_editor_replace_forecast (WinnowRecipeEditor *self,
                                                   const WinnowResult *estimate);

/* For tests. */
GtkWidget  *winnow_recipe_editor_get_child         (WinnowRecipeEditor *editor,
                                                    const char *name);
GtkSwitch  *winnow_recipe_editor_get_column_switch (WinnowRecipeEditor *editor,
                                                    const char *column);
AdwComboRow *winnow_recipe_editor_get_fill_row     (WinnowRecipeEditor *editor,
                                                    const char *column);
WinnowReplaceRow *winnow_recipe_editor_get_replace_row (WinnowRecipeEditor *editor,
                                                        guint index);

G_END_DECLS
