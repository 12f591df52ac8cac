/* test-ui-fixture.h: what the window's and the dialog's tests share
 * (test-ui*.c, test-task-page.c, test-dialog*.c). */
#pragma once

#include <adwaita.h>

#include "winnow-application.h"
#include "winnow-export-dialog-private.h"
#include "winnow-scheduler-private.h"
#include "winnow-task-page-private.h"
#include "winnow-task-table-private.h"
#include "winnow-test-util.h"
#include "winnow-ui-test-util.h"
#include "winnow-window-private.h"

typedef struct {
  WinnowTestDir dir;
  WinnowApplication *app;
  WinnowWindow *window;
  WinnowScheduler *scheduler;
  GHashTable *finished;  /* id -> status */
  guint n_progress;
} Fixture;

#define iterate_until winnow_test_iterate_until

void             fixture_setup    (Fixture *f, gconstpointer data);
void             fixture_setup_in (Fixture *f, const char *dir);
void             fixture_teardown (Fixture *f, gconstpointer data);
void             press_clean      (Fixture *f);
WinnowTaskTable *table            (Fixture *f);
GListModel      *rows             (Fixture *f);
gboolean         list_settled     (Fixture *f);
void             keep_drawing     (Fixture *f);
gboolean         cells_drawn      (gpointer fixture);
WinnowTask      *row              (Fixture *f, guint i);
GPtrArray       *files            (Fixture *f, ...) G_GNUC_NULL_TERMINATED;
GPtrArray       *files_va         (Fixture *f, va_list args);
void             write_csv        (Fixture *f, const char *name, const char *contents);
void             settle           (Fixture *f, guint n_finished);
void             clean_csvs       (Fixture *f, ...) G_GNUC_NULL_TERMINATED;
void             clean_three      (Fixture *f);
const char      *label_text       (WinnowTaskPage *page, const char *name);
gpointer         find_shown       (GType type);
WinnowExportDialog *find_export_dialog (void);
gboolean         export_settled   (gpointer export_dialog);
char            *clipboard_text   (GtkWidget *widget);

/* A test of @func on a fixture of its own */
#define FIXTURE_ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
