/* winnow-history-call.h: how the window uses the history without waiting
 * for it. A call runs on a worker thread (a GTask) and its result lands on
 * the main context. A user's action (a delete, a cancel) that meets a
 * history another program keeps locked is tried again until it goes
 * through, and the window says meanwhile that the history is busy and
 * what will be done when it is free. */
#pragma once

#include <gio/gio.h>

#include "winnow-scheduler.h"

G_BEGIN_DECLS

/* Runs on the worker thread; returns the result (owned, freed with
 * @result_free if nobody takes it), or NULL with @error set. A function
 * with no result to give returns GINT_TO_POINTER (1). */
typedef gpointer (*WinnowHistoryFunc) (gpointer data,
                                       GError **error);

/* Told on the main context when a user's action starts to wait for the
 * history (@busy TRUE, after a moment) and when it no longer does. */
typedef void (*WinnowHistoryBusyFunc) (const char *what,
                                       gboolean busy,
                                       gpointer user_data);

void     winnow_history_call        (const char *what,
                                     WinnowHistoryFunc func,
                                     gpointer data,
                                     GDestroyNotify data_free,
                                     GDestroyNotify result_free,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
gpointer winnow_history_call_finish (GAsyncResult *result,
                                     GError **error);
gpointer winnow_history_call_get_data (GAsyncResult *result);
void     winnow_history_set_busy_func (WinnowHistoryBusyFunc func,
                                     gpointer user_data);
guint    winnow_history_get_n_pending (void);
guint    winnow_history_get_n_unlanded (void);
void     winnow_history_keep_unlanded (WinnowTaskStore *store,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
guint    winnow_history_keep_unlanded_finish (GAsyncResult *result,
                                              GError **error);

/* The user's actions on a task, through the scheduler. */
typedef enum {
  WINNOW_HISTORY_CANCEL,
  WINNOW_HISTORY_RETRY,
  WINNOW_HISTORY_DELETE,
  WINNOW_HISTORY_CLEAR_FINISHED,   /* winnow_history_clear_finished() */
} WinnowHistoryAction;

void        winnow_history_act           (WinnowScheduler *scheduler,
                                          WinnowHistoryAction action,
                                          gint64 id,
                                          const char *what,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
void        winnow_history_clear_finished (WinnowScheduler *scheduler,
                                          gint64 upto_id,
                                          const GArray *keep,
                                          const char *what,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean    winnow_history_act_finish    (GAsyncResult *result,
                                          gint64 *number,
                                          GError **error);
void        winnow_history_get_task      (WinnowTaskStore *store,
                                          gint64 id,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
WinnowTask *winnow_history_get_task_finish (GAsyncResult *result,
                                          GError **error);

G_END_DECLS
