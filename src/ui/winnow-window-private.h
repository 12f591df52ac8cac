/* winnow-window-private.h: what the rooms of the main window share: its
 * struct and the calls one room makes into another
 * (winnow-window.c: the object, its pages and title;
 *  winnow-window-actions.c: the win.* actions;
 *  winnow-window-dnd.c: files dropped on it;
 *  winnow-window-undo.c: deleting and clearing tasks, with undo;
 *  winnow-window-notify.c: toasts and desktop notifications of tasks
 *  ending, and of a busy history),
 * and the hooks the window's tests and benchmarks use. Included by those
 * files only, never by another type. */
#pragma once

#include "winnow-task-dialog.h"
#include "winnow-task-list.h"
#include "winnow-task-meter.h"
#include "winnow-task-page.h"
#include "winnow-task-table.h"
#include "winnow-window.h"

G_BEGIN_DECLS

/* Where a desktop notification goes, for tests: sent (@title, @body,
 * @quiet: no banner) or withdrawn (@title %NULL). */
typedef void (*WinnowNotifier) (WinnowWindow *window, const char *id, const char *title,
                                const char *body, gboolean quiet, gpointer data);

struct _WinnowWindow {
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkStack *list_stack;
  WinnowTaskTable *table;
  WinnowTaskPage *task_page;
  GtkRevealer *drop_revealer;
  AdwWindowTitle *window_title;

  WinnowApplication *app;
  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  WinnowTaskList *list;
  WinnowTaskMeter *meter;
  GtkFileChooserNative *chooser;
  AdwToast *last_toast;    /* weak: the toast shown last, for tests */
  AdwToast *finished_toast; /* weak: the latest "task finished" toast */
  GHashTable *deletions;   /* id -> Deletion, while their undo is offered */
  gint64 clearing_upto;    /* a clear of the finished tasks, while its undo is offered: */
  GArray *clearing_keep;   /*   the tasks up to that one it did not count, or NULL */
  AdwToast *clear_toast;   /*   its toast (weak) */
  guint n_clears_landing;  /* clears sent to the history, not yet landed */
  gboolean counting;       /* a clear being counted */
  gboolean count_after_clear; /* a new clear, counted once those have landed */
  GHashTable *busy_toasts; /* what -> BusyToast: actions waiting for the history */
  WinnowTaskDialog *task_dialog; /* weak: the configuration dialog open */
  gint64 progress_sent_at;  /* when the running tasks' notification was sent, or 0 */
  WinnowNotifier notifier;  /* for tests: what desktop notifications go to */
  gpointer notifier_data;
};

/* winnow-window.c */
WinnowTaskDialog *_winnow_window_watch_dialog      (WinnowWindow *self,
                                                    WinnowTaskDialog *dialog);
void              _winnow_window_update_title      (WinnowWindow *self);

/* winnow-window-actions.c */
void              _winnow_window_class_init_actions (GtkWidgetClass *widget_class);

/* winnow-window-dnd.c */
void              _winnow_window_init_dnd          (WinnowWindow *self);

/* winnow-window-undo.c */
void              _winnow_window_init_undo         (WinnowWindow *self);
void              _winnow_window_dispose_undo      (WinnowWindow *self);
void              _winnow_window_delete_task       (WinnowWindow *self,
                                                    WinnowTask *task);
void              _winnow_window_undo_delete       (WinnowWindow *self,
                                                    gint64 id);
void              _winnow_window_clear_finished    (WinnowWindow *self);
void              _winnow_window_undo_clear        (WinnowWindow *self,
                                                    gint64 upto_id);
void              _winnow_window_apply_pending     (WinnowWindow *self);

/* winnow-window-notify.c */
void              _winnow_window_init_notify       (WinnowWindow *self);
void              _winnow_window_dispose_notify    (WinnowWindow *self);
void              _winnow_window_task_finished     (WinnowWindow *self,
                                                    WinnowTask *task);
void              _winnow_window_say_store_problem (WinnowWindow *self);

/* For tests and benchmarks. */
GtkWidget        *winnow_window_get_table          (WinnowWindow *window);
GtkWidget        *winnow_window_get_task_page      (WinnowWindow *window);
const char       *winnow_window_get_visible_page   (WinnowWindow *window);
AdwToast         *winnow_window_get_last_toast     (WinnowWindow *window);
void              winnow_window_dismiss_toast      (WinnowWindow *window,
                                                    AdwToast     *toast);
WinnowTaskList   *winnow_window_get_list           (WinnowWindow *window);
WinnowTaskDialog *winnow_window_get_task_dialog    (WinnowWindow *window);
void              winnow_window_set_notifier       (WinnowWindow *window,
                                                    WinnowNotifier notifier,
                                                    gpointer data);

G_END_DECLS
