/* test-dialog-fixture.h: what the configuration dialog's tests share
 * (test-dialog.c, test-dialog-recipes.c, test-dialog-output.c): the
 * dialog opened on files, its controls, and the tasks it starts. */
#pragma once

#include "test-ui-fixture.h"
#include "winnow-recipe-editor.h"
#include "winnow-task-dialog-private.h"

/* a duplicate, missing values of each kind, a row of nothing */
#define PEOPLE \
  "id,name,age,city\n" \
  "1,Ana,31,Porto\n" \
  "2,Ben,,Lyon\n" \
  "1,Ana,31,Porto\n" \
  "3,,45,NA\n" \
  "4,Dee,-,Oslo\n" \
  "5,Eve,28,\n" \
  ",,,\n"

void                wait_tasks     (Fixture *f, guint n);
char               *write_csv_path (Fixture *f, const char *name, const char *text);
WinnowTaskDialog   *open_dialog    (Fixture *f, ...) G_GNUC_NULL_TERMINATED;
WinnowRecipeEditor *editor         (WinnowTaskDialog *dialog);
GtkWidget          *control        (WinnowTaskDialog *dialog, const char *name);
void                dialog_settle  (WinnowTaskDialog *dialog);
char               *recipe_json    (WinnowTaskDialog *dialog);
GtkEditable        *find_entry     (GtkWidget *widget);
gboolean            clean_enabled  (WinnowTaskDialog *dialog);
