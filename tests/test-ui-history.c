/* test-ui-history.c: what the window's actions change in the history, as
 * a user does them: a running task cancelled and retried, tasks deleted
 * (queued ones too) and the delete undone or kept when the window
 * closes, Clear Finished Tasks undone, and all of it while another
 * program holds the history's write lock. Runs under Xvfb, one test per
 * process (see test-ui.c). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "test-ui-fixture.h"
#include "winnow-history-call.h"
#include "winnow-task-list-private.h"
#include "winnow-toast.h"

/* ---- cancel, retry, delete and undo ---- */

/* big.csv in the test's folder: @n rows, their ids repeating every
 * @n_ids rows. */
static void
write_big (Fixture *f, guint n, guint n_ids)
{
  g_autoptr(GString) big = g_string_new ("id,name,score\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (big, "%u,name %u,%u\n", i % n_ids, i % 1000, i % 97);
  g_free (winnow_test_write_file (f->dir.dir, "big.csv", big->str, (gssize) big->len));
}

static gboolean
has_progress (gpointer data)
{
  Fixture *f = data;

  return f->n_progress > 0 && g_list_model_get_n_items (rows (f)) > 0;
}

static WinnowTask *
stored (Fixture *f, gint64 id)
{
  return winnow_ui_test_get_task (f->app, id);
}

static void
hold (gint64 id, gpointer data)
{
  winnow_test_gate_pass (data);
}

/* Starts a task on big.csv, held at its start by @gate (through @hook)
 * until the test opens it (so it cannot end first), and returns its id. */
static gint64
start_hooked (Fixture *f, WinnowSchedulerHook hook, WinnowTestGate *gate)
{
  g_autoptr(GPtrArray) list = files (f, "big.csv", NULL);

  winnow_scheduler_set_run_hook (f->scheduler, hook, gate);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  iterate_until (winnow_test_gate_entered, gate, 60);
  winnow_ui_test_settle (f->app);
  return winnow_task_get_id (row (f, 0));
}

/* every task that starts waits at @gate */
static gint64
start_held (Fixture *f, WinnowTestGate *gate)
{
  return start_hooked (f, hold, gate);
}

static WinnowApplication *cancel_app;

/* the store has the cancel (the task is held, so it is still running) */
static gboolean
cancel_recorded (gpointer data)
{
  g_autoptr(WinnowTask) task = winnow_ui_test_get_task (cancel_app, GPOINTER_TO_SIZE (data));
  return winnow_history_get_n_pending () == 0 && task != NULL &&
         winnow_task_get_status (task) == WINNOW_TASK_PROCESSING;
}

static void
test_cancel_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) task = NULL;
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  WinnowTestGate gate;
  gint64 id;

  cancel_app = f->app;
  write_big (f, 1500000, 700000);
  /* the task waits at its start until the cancel is asked: it cannot end
   * first, however fast the machine */
  winnow_test_gate_init (&gate);
  id = start_held (f, &gate);

  /* its page, while it runs: cancel */
  winnow_window_show_task (f->window, id);
  winnow_ui_test_settle (f->app);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.cancel", NULL);
  iterate_until (cancel_recorded, GSIZE_TO_POINTER ((gsize) id), 60);
  winnow_test_gate_open (&gate);
  settle (f, 1);
  winnow_scheduler_set_run_hook (f->scheduler, NULL, NULL);
  task = stored (f, id);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_CANCELLED);
  g_assert_cmpstr (label_text (page, "status_label"), ==, "Cancelled");
  g_assert_false (g_file_test (winnow_task_get_output_path (task), G_FILE_TEST_EXISTS));

  /* and retry */
  g_hash_table_remove_all (f->finished);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.retry", NULL);
  settle (f, 1);
  g_clear_object (&task);
  task = stored (f, id);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
  g_assert_cmpuint (winnow_task_get_attempts (task), ==, 1);
  g_assert_cmpstr (label_text (page, "status_label"), ==, "Completed");
  winnow_test_gate_clear (&gate);
}

/* a.csv and b.csv, cleaned: two tasks in the list */
static void
clean_two (Fixture *f)
{
  g_autoptr(GPtrArray) list = NULL;

  write_csv (f, "a.csv", "x\n1\n");
  write_csv (f, "b.csv", "x\n2\n");
  list = files (f, "a.csv", "b.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 2);
}

static void
test_delete_undo (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) kept = NULL;
  g_autoptr(WinnowTask) gone = NULL;
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  AdwToast *toast;
  gint64 first, second;

  clean_two (f);
  first = winnow_task_get_id (row (f, 0));
  second = winnow_task_get_id (row (f, 1));

  /* delete from the page, then undo */
  winnow_window_show_task (f->window, first);
  winnow_ui_test_settle (f->app);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.delete", NULL);
  g_assert_cmpstr (winnow_window_get_visible_page (f->window), ==, "list");
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);
  toast = winnow_window_get_last_toast (f->window);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-delete");
  /* what the toast's Undo button does */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "x", first);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 2);
  kept = stored (f, first);
  g_assert_nonnull (kept);

  /* Delete on the selected row, and let the toast go */
  gtk_single_selection_set_selected (winnow_task_table_get_selection (table (f)), 1);
  g_signal_emit_by_name (table (f), "delete-requested", row (f, 1));
  toast = winnow_window_get_last_toast (f->window);
  winnow_window_dismiss_toast (f->window, toast);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);
  gone = stored (f, second);
  g_assert_null (gone);
}

/* A queued task deleted is cancelled at once, so no worker starts it
 * while the undo is offered; undo queues it again. */
static void
test_delete_queued (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(WinnowTask) queued = NULL;
  g_autoptr(WinnowTask) cancelled = NULL;
  g_autoptr(WinnowTask) requeued = NULL;
  g_autoptr(WinnowTask) gone = NULL;
  gint64 small;

  g_settings_set_int (winnow_application_get_settings (f->app), "jobs", 1);
  write_big (f, 1500000, 700000);
  write_csv (f, "small.csv", "x\n1\n");
  list = files (f, "big.csv", "small.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  iterate_until (has_progress, f, 60);

  /* one worker, busy with big.csv: small.csv waits */
  small = winnow_task_get_id (row (f, 0));
  queued = stored (f, small);
  g_assert_cmpstr (winnow_task_get_file_name (queued), ==, "small.csv");
  if (winnow_task_get_status (queued) != WINNOW_TASK_PENDING)
    {
      g_test_skip ("big.csv finished before small.csv could be deleted while queued");
      return;
    }
  g_signal_emit_by_name (table (f), "delete-requested", queued);
  winnow_ui_test_settle (f->app);
  cancelled = stored (f, small);
  g_assert_cmpint (winnow_task_get_status (cancelled), ==, WINNOW_TASK_CANCELLED);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "x", small);
  winnow_ui_test_settle (f->app);
  requeued = stored (f, small);
  g_assert_nonnull (requeued);
  g_assert_true (winnow_task_get_status (requeued) == WINNOW_TASK_PENDING ||
                 winnow_task_get_status (requeued) == WINNOW_TASK_PROCESSING ||
                 winnow_task_get_status (requeued) == WINNOW_TASK_COMPLETED);

  /* deleted for good once the toast goes */
  if (winnow_task_get_status (requeued) != WINNOW_TASK_PENDING)
    return;
  g_signal_emit_by_name (table (f), "delete-requested", requeued);
  winnow_window_dismiss_toast (f->window, winnow_window_get_last_toast (f->window));
  winnow_ui_test_settle (f->app);
  gone = stored (f, small);
  g_assert_null (gone);
}

/* ---- the history busy, deletes kept, clears undone ---- */

typedef struct {
  gboolean filled;
  gboolean blanked;
} Watch;

static void
on_rows_changed (GListModel *model, guint position, guint removed, guint added, Watch *watch)
{
  guint n = g_list_model_get_n_items (model);

  if (n > 0)
    watch->filled = TRUE;
  else if (watch->filled)
    watch->blanked = TRUE;
}

static gboolean
toast_says_busy (gpointer data)
{
  Fixture *f = data;
  AdwToast *toast = winnow_window_get_last_toast (f->window);

  return toast != NULL && strstr (adw_toast_get_title (toast), "busy") != NULL;
}

static gboolean
list_read (gpointer data)
{
  Fixture *f = data;
  return !winnow_task_list_is_busy (winnow_window_get_list (f->window));
}

static gboolean
is_cancelled (gpointer data)
{
  Fixture *f = data;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (f->window), "big"));
  return GPOINTER_TO_INT (g_hash_table_lookup (f->finished, &id)) == WINNOW_TASK_CANCELLED;
}

/* A history of one finished task, which another program keeps locked
 * from before the window starts. */
static sqlite3 *locked_history;

static void
locked_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *db = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;

  winnow_test_dir_setup (&f->dir, NULL);
  db = g_build_filename (f->dir.dir, "history.db", NULL);
  store = winnow_task_store_new (db, &error);
  g_assert_no_error (error);
  task = winnow_task_store_add (store, "/data/a.csv", "/data/a.cleaned.csv",
                                "{\"winnow_recipe\": 1}", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (winnow_task_store_cancel (store, winnow_task_get_id (task), &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (db, &locked_history), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (locked_history, "BEGIN IMMEDIATE; UPDATE task_count SET n = n",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  fixture_setup_in (f, f->dir.dir);
}

static gboolean
no_busy_toast (gpointer data)
{
  return !toast_says_busy (data);
}

static gboolean
one_row (gpointer data)
{
  return g_list_model_get_n_items (rows (data)) == 1;
}

/* The window starts while another program keeps the history locked: it
 * says so after a moment, and shows no "No Matching Tasks" meanwhile (it
 * has not read the history yet); once the lock goes, the task shows and
 * the toast goes. */
static void
test_start_busy (Fixture *f, gconstpointer data)
{
  const char *title;

  iterate_until (toast_says_busy, f, 30);
  title = adw_toast_get_title (winnow_window_get_last_toast (f->window));
  g_test_message ("%s", title);
  g_assert_nonnull (strstr (title, "Showing your tasks will be done"));
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (table (f)->stack), ==, "list");

  g_assert_cmpint (sqlite3_exec (locked_history, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&locked_history, sqlite3_close);
  iterate_until (one_row, f, 60);
  iterate_until (no_busy_toast, f, 30);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (table (f)->stack), ==, "list");
  g_assert_null (winnow_application_get_store_problem (f->app));
}

/* Another program holds the history's write lock while the user lists,
 * filters, opens a task page, deletes one task and cancels another. The
 * store is never called on the thread that draws (checked: this build
 * aborts if it is), the list never goes blank, the reads go on, the
 * actions say the history is busy and are done once the lock goes. */
static void
test_history_busy (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  g_autoptr(WinnowTask) deleted = NULL;
  Watch watch = { FALSE, FALSE };
  WinnowTestGate gate;
  sqlite3 *other = NULL;
  gint64 victim, running;

  winnow_test_gate_init (&gate);

  clean_three (f);
  g_signal_connect (rows (f), "items-changed", G_CALLBACK (on_rows_changed), &watch);
  on_rows_changed (rows (f), 0, 0, 0, &watch);

  /* a task, running: held at its start until the end of the test, so it
   * cannot finish before its cancel (however slow the machine) */
  write_big (f, 20000, 9000);
  running = start_held (f, &gate);
  g_object_set_data (G_OBJECT (f->window), "big", GSIZE_TO_POINTER ((gsize) running));

  /* another program takes the write lock */
  g_assert_cmpint (sqlite3_open (db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; UPDATE task_count SET n = n",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* reading goes on: filter, sort, a task's page */
  winnow_task_table_set_filter (table (f), 1u << WINNOW_TASK_COMPLETED, NULL);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 3);
  victim = winnow_task_get_id (row (f, 0));
  winnow_window_show_task (f->window, victim);
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (winnow_task_page_get_child (page, "status_label"))),
                   ==, "Completed");

  /* delete it (the toast goes without undo): the history is busy */
  gtk_widget_activate_action (GTK_WIDGET (page), "task.delete", NULL);
  winnow_window_dismiss_toast (f->window, winnow_window_get_last_toast (f->window));
  iterate_until (toast_says_busy, f, 30);
  g_test_message ("%s", adw_toast_get_title (winnow_window_get_last_toast (f->window)));
  g_assert_nonnull (strstr (adw_toast_get_title (winnow_window_get_last_toast (f->window)),
                            "Deleting “"));
  /* and the list does not show it again while the delete waits */
  iterate_until (list_read, f, 30);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (winnow_task_get_id (row (f, i)), !=, victim);

  /* cancel the running one: busy too */
  winnow_task_table_set_filter (table (f), 0, NULL);
  winnow_window_show_task (f->window, running);
  iterate_until ((gboolean (*) (gpointer)) winnow_task_page_is_ready, page, 30);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.cancel", NULL);

  /* the lock goes: both are done */
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  cancel_app = f->app;
  iterate_until (cancel_recorded, GSIZE_TO_POINTER ((gsize) running), 60);
  winnow_test_gate_open (&gate);
  iterate_until (is_cancelled, f, 60);
  winnow_scheduler_set_run_hook (f->scheduler, NULL, NULL);
  winnow_ui_test_settle (f->app);
  deleted = stored (f, victim);
  g_assert_null (deleted);
  g_assert_false (watch.blanked);
  winnow_test_gate_clear (&gate);
}

/* A task deleted with its undo still offered is gone for good when the
 * window closes; the next start does not show it. */
static void
test_delete_then_close (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) gone = NULL;
  gint64 id;

  clean_two (f);
  id = winnow_task_get_id (row (f, 0));
  g_signal_emit_by_name (table (f), "delete-requested", row (f, 0));
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);

  /* closed while the toast still offers Undo */
  g_signal_handlers_disconnect_by_data (f->scheduler, f);
  winnow_ui_test_app_free (f->app);
  f->app = NULL;

  /* the history, opened again (by this test, now that no window draws
   * here): one task left */
  winnow_task_store_forbid_thread (NULL);
  {
    g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
    g_autoptr(WinnowTaskStore) store = winnow_task_store_new (db, NULL);
    WinnowTaskQuery all = { 0 };

    g_assert_cmpint (winnow_task_store_count (store, &all, NULL, NULL), ==, 1);
    gone = winnow_task_store_get (store, id, NULL);
    g_assert_null (gone);
  }
}

/* The last toast's Undo, as the clear's toast names it */
static void
undo_clear (Fixture *f)
{
  AdwToast *toast = winnow_window_get_last_toast (f->window);

  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-clear");
  gtk_widget_activate_action_variant (GTK_WIDGET (f->window), "win.undo-clear",
                                      adw_toast_get_action_target_value (toast));
}

static gboolean
last_toast_shown (gpointer data)
{
  Fixture *f = data;
  AdwToast *toast = winnow_window_get_last_toast (f->window);

  return toast != NULL && winnow_toast_is_on_screen (f->window->toast_overlay, toast);
}

/* Clear Finished Tasks says how many, and its toast undoes it. */
static void
test_clear_undo (Fixture *f, gconstpointer data)
{
  AdwToast *toast;
  WinnowTask *first;

  clean_csvs (f, "a.csv", "x\n1\n", "b.csv", "x\n2\n", "c.csv", "x,y\n1,\"open\n", NULL);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL);
  winnow_ui_test_settle (f->app);
  toast = winnow_window_get_last_toast (f->window);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "3 finished tasks cleared");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.undo-clear");
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  /* the window looks as with an empty history, not as with filters that
   * match nothing: the cleared tasks are counted nowhere */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->list_stack), ==, "empty");
  g_assert_cmpstr (adw_window_title_get_subtitle (f->window->window_title), ==, "");

  /* undo: all back, none was deleted */
  undo_clear (f);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->list_stack), ==, "tasks");
  g_assert_cmpstr (adw_window_title_get_subtitle (f->window->window_title), ==, "3 tasks");
  first = row (f, 0);
  g_assert_nonnull (winnow_ui_test_get_task (f->app, winnow_task_get_id (first)));

  /* and for good, once the toast goes */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL);
  winnow_ui_test_settle (f->app);
  winnow_window_dismiss_toast (f->window, winnow_window_get_last_toast (f->window));
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  g_assert_null (winnow_ui_test_get_task (f->app, winnow_task_get_id (first)));
}

static gboolean
all_calls_done (gpointer data)
{
  return winnow_history_get_n_pending () == 0;
}

/* Clear Finished Tasks deletes what it counted: a task running when it
 * was asked, which finishes while the toast shows, stays (and shows). A
 * second clear, asked while the first is offered, applies the first and
 * keeps its own tasks hidden until its toast goes. */
static gint hold_calls;

/* holds the first task to start, not the others */
static void
hold_first (gint64 id, gpointer data)
{
  if (g_atomic_int_add (&hold_calls, 1) == 0)
    winnow_test_gate_pass (data);
}

/* With @jobs workers, starts a task on big.csv, held at its start by
 * @gate (the tasks after it are not), and returns its id. */
static gint64
start_first_held (Fixture *f, WinnowTestGate *gate, gint jobs)
{
  g_settings_set_int (winnow_application_get_settings (f->app), "jobs", jobs);
  write_big (f, 2000, 900);
  return start_hooked (f, hold_first, gate);
}

static void
test_clear_counted (Fixture *f, gconstpointer data)
{
  g_autoptr(WinnowTask) kept = NULL;
  WinnowTestGate gate;
  gint64 running;

  winnow_test_gate_init (&gate);
  running = start_first_held (f, &gate, 2);
  /* two more, which finish: their ids come after the running one's */
  clean_csvs (f, "a.csv", "x\n1\n", "b.csv", "x\n2\n", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 3);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL);
  iterate_until (all_calls_done, NULL, 30);
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (adw_toast_get_title (winnow_window_get_last_toast (f->window)), ==,
                   "2 finished tasks cleared");
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);

  /* the running task finishes while the toast shows: it stays in sight */
  winnow_test_gate_open (&gate);
  settle (f, 3);
  winnow_scheduler_set_run_hook (f->scheduler, NULL, NULL);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);
  g_assert_cmpint (winnow_task_get_id (row (f, 0)), ==, running);

  /* a second clear, the first's toast on screen: the first goes to the
   * history, the second's task stays hidden and kept (its toast still
   * offers Undo; the first's, going a moment later, sends nothing) */
  iterate_until (last_toast_shown, f, 30);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL);
  iterate_until (all_calls_done, NULL, 30);
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (adw_toast_get_title (winnow_window_get_last_toast (f->window)), ==,
                   "1 finished task cleared");
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  kept = stored (f, running);
  g_assert_nonnull (kept);

  /* undone: back */
  undo_clear (f);
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);
  winnow_test_gate_clear (&gate);
}

/* A queued task deleted then undone while another program holds the
 * history's write lock: the delete's cancel and the undo's queuing both
 * wait for the lock, and the task ends queued, not cancelled, whichever
 * thread the lock lets go first. */
static void
test_delete_queued_busy (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(WinnowTask) queued = NULL;
  g_autoptr(WinnowTask) requeued = NULL;
  WinnowTestGate gate;
  sqlite3 *other = NULL;
  gint64 small;

  winnow_test_gate_init (&gate);
  start_first_held (f, &gate, 1);

  /* one worker, held on big.csv: small.csv waits in the queue */
  write_csv (f, "small.csv", "x\n1\n");
  list = files (f, "small.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  winnow_ui_test_settle (f->app);
  small = winnow_task_get_id (row (f, 0));
  queued = stored (f, small);
  g_assert_cmpint (winnow_task_get_status (queued), ==, WINNOW_TASK_PENDING);

  g_assert_cmpint (sqlite3_open (db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; UPDATE task_count SET n = n",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_signal_emit_by_name (table (f), "delete-requested", queued);
  iterate_until (toast_says_busy, f, 30);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "x", small);
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  iterate_until (all_calls_done, NULL, 60);
  winnow_ui_test_settle (f->app);
  requeued = stored (f, small);
  g_assert_nonnull (requeued);
  g_assert_cmpint (winnow_task_get_status (requeued), ==, WINNOW_TASK_PENDING);

  winnow_test_gate_open (&gate);
  settle (f, 2);
  winnow_scheduler_set_run_hook (f->scheduler, NULL, NULL);
  winnow_test_gate_clear (&gate);
}

/* The kept deletions beside the history at @db. */
static guint
kept_deletions (const char *db)
{
  g_autofree char *real = realpath (db, NULL);
  g_autofree char *dir = g_strconcat (real, "-outcomes", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    n += g_str_has_suffix (name, ".deletion");
  return n;
}

/* Tasks in the history at @db, read behind the store's back (no
 * recovery runs). */
static gint64
stored_tasks (const char *db)
{
  sqlite3 *conn;
  sqlite3_stmt *s;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "SELECT count(*) FROM tasks", -1, &s, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (conn);
  return n;
}

/* The application quits while another program holds the write lock: the
 * deletion and the clear the user let go (their toasts still showing)
 * could not reach the history, and are kept beside it; the next process
 * to open it does them before anything else. The window runs in a
 * process of its own, which ends as a quit does, with its calls still
 * waiting on the lock (its own second connection, let go as it ends):
 * only the kept files can have deleted the tasks. */
static void
test_quit_busy (void)
{
  WinnowTestDir folder;
  g_autofree char *db = NULL;
  g_autofree char *real = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = NULL;
  WinnowTaskQuery all = { 0 };

  winnow_test_dir_setup (&folder, NULL);
  db = g_build_filename (folder.dir, "history.db", NULL);
  g_setenv ("WINNOW_TEST_DIR", folder.dir, TRUE);
  g_test_trap_subprocess ("/ui/child/quit-busy", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  /* the process ended before the lock went: the three tasks are there,
   * and the two deletions kept */
  g_assert_cmpint (stored_tasks (db), ==, 3);
  g_assert_cmpuint (kept_deletions (db), ==, 2);

  /* the next process: nothing of the three is left, and the kept files
   * and their folder go with its recoveries */
  winnow_task_store_forbid_thread (NULL);
  store = winnow_task_store_new (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_store_count (store, &all, NULL, &error), ==, 0);
  g_assert_no_error (error);
  winnow_task_store_recover_expired (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept_deletions (db), ==, 0);
  real = realpath (db, NULL);
  dir = g_strconcat (real, "-outcomes", NULL);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_clear_object (&store);
  winnow_test_dir_teardown (&folder, NULL);
}

static void
test_quit_busy_child (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree char *db = NULL;
  sqlite3 *other;

  if (!g_test_subprocess ())
    return;
  fixture_setup_in (f, g_getenv ("WINNOW_TEST_DIR"));
  db = g_build_filename (f->dir.dir, "history.db", NULL);
  clean_csvs (f, "a.csv", "x\n1\n", "b.csv", "x\n2\n", "c.csv", "x\n3\n", NULL);
  g_assert_cmpint (sqlite3_open (db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; UPDATE task_count SET n = n",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_signal_emit_by_name (table (f), "delete-requested", row (f, 0));
  winnow_ui_test_settle (f->app);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL);
  winnow_ui_test_settle (f->app);
  g_assert_cmpstr (adw_toast_get_title (winnow_window_get_last_toast (f->window)), ==,
                   "2 finished tasks cleared");
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);

  /* quit, both still offered for undo, the lock still held: the window
   * closes (both go to the history), and the application's shutdown
   * waits for them, then keeps them */
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_cmpuint (winnow_history_get_n_unlanded (), ==, 2);
  g_test_expect_message ("ui", G_LOG_LEVEL_MESSAGE, "*2 deletions are kept beside it*");
  winnow_application_settle_history (f->app);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (kept_deletions (db), ==, 2);
  /* and the process ends, as after a quit: its calls still waiting on
   * the lock end with it (and the lock with them) */
  _exit (0);
}

int
main (int argc, char **argv)
{
  /* drawn by the CPU, as test-ui.c draws (these tests were part of it) */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/ui/cancel-retry", test_cancel_retry);
  ADD ("/ui/delete-undo", test_delete_undo);
  ADD ("/ui/delete-queued", test_delete_queued);
  ADD ("/ui/history-busy", test_history_busy);
  g_test_add ("/ui/start-busy", Fixture, NULL, locked_setup, test_start_busy, fixture_teardown);
  ADD ("/ui/delete-then-close", test_delete_then_close);
  ADD ("/ui/clear-undo", test_clear_undo);
  ADD ("/ui/clear-counted", test_clear_counted);
  ADD ("/ui/delete-queued-busy", test_delete_queued_busy);
  g_test_add_func ("/ui/quit-busy", test_quit_busy);
  g_test_add_func ("/ui/child/quit-busy", test_quit_busy_child);
#undef ADD

  return g_test_run ();
}
