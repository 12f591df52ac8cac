/* winnow-application.c: see winnow-application.h. */
#include "config.h"

#include "winnow-application.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdlib.h>

#include "winnow-about.h"
#include "winnow-hangup.h"
#include "winnow-history-call.h"
#include "winnow-preferences.h"
#include "winnow-recipe-library.h"
#include "winnow-thread-slice.h"
#include "winnow-settings.h"
#include "winnow-ui-names.h"
#include "winnow-ui-util.h"
#include "winnow-window.h"

struct _WinnowApplication {
  AdwApplication parent_instance;

  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  GSettings *settings;
  WinnowRecipeLibrary *recipes;
  char *store_path;      /* NULL: $WINNOW_DB or the default */
  char *recipes_dir;     /* NULL: the library's default folder */
  char *store_problem;   /* what went wrong opening the history, for the window to say */
  GtkWidget *preferences; /* weak: the Preferences window while it is open */
  guint sigterm;
  guint sigint;
  guint sighup;
  guint reopen;          /* the history could not be opened: tried again */
  GCancellable *opening; /* the history being opened; cancelled at shutdown */
  gint quitting;         /* set at shutdown: the opening stops waiting */
};

G_DEFINE_FINAL_TYPE (WinnowApplication, winnow_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* On quit, how long deletions confirmed as the window closed may take. */
#define QUIT_PATIENCE_MS 5000
/* The history was busy when the app started: opened again after this. */
#define REOPEN_MS 2000

static void
set_store_problem (WinnowApplication *self, const char *problem)
{
  if (g_strcmp0 (self->store_problem, problem) == 0)
    return;
  g_free (self->store_problem);
  self->store_problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_PROBLEM]);
}

static void open_store (WinnowApplication *self);

static gboolean
reopen_store (gpointer data)
{
  WinnowApplication *self = data;
  self->reopen = 0;
  open_store (self);
  return G_SOURCE_REMOVE;
}

static gpointer
open_in_thread (gpointer data, GError **error)
{
  WinnowApplication *self = data;
  gboolean ok;

  /* a quit does not wait for another program's lock to go (the keeper,
   * whose calls wait for this opening, would wait as long) */
  winnow_task_store_give_up_waits_when (&self->quitting);
  ok = winnow_task_store_open (self->store, error);
  winnow_task_store_give_up_waits_when (NULL);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static void
store_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(WinnowApplication) self = data;
  g_autoptr(GError) error = NULL;

  if (winnow_history_call_finish (result, &error) != NULL)
    {
      g_clear_object (&self->opening);
      set_store_problem (self, winnow_task_store_get_problem (self->store));
      winnow_scheduler_wake (self->scheduler);
      g_debug ("started with the task database %s", winnow_task_store_get_path (self->store));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* quitting */
  /* not even a private history (its busy waits are tried again as they
   * come): the next call opens it, and this one tries again */
  set_store_problem (self, error->message);
  if (self->reopen == 0 && self->scheduler != NULL)
    self->reopen = g_timeout_add (REOPEN_MS, reopen_store, self);
}

/* The history: the user's database, opened on a worker thread (the window
 * shows at once); a damaged one is moved aside; one that cannot be used
 * at all gives way to a private one for this session, so that cleaning
 * still works, and the window says why. */
static void
open_store (WinnowApplication *self)
{
  g_clear_object (&self->opening);
  self->opening = g_cancellable_new ();
  /* while another program keeps the history locked, it is tried again,
   * and after a moment the window says so (winnow-history-call.c) */
  winnow_history_call (/* Translators: said while the history is busy */
                       _("showing your tasks"), open_in_thread,
                       g_object_ref (self), g_object_unref, NULL, self->opening,
                       store_opened, g_object_ref (self));
}

/* The settings schema is installed with the app; a build run in place
 * finds it through GSETTINGS_SCHEMA_DIR (build-aux/run.sh sets it), and a
 * prefix outside XDG_DATA_DIRS through the folder it was installed to
 * (winnow_settings_new()). The window cannot do without it. */
static GSettings *
open_settings (void)
{
  GSettings *settings = winnow_settings_new ();

  if (settings == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. Install Winnow with "
                    "“meson install”, or run it from its source folder with "
                    "build-aux/run.sh.\n"), APP_ID);
      exit (1);
    }
  return settings;
}

static void
on_jobs_changed (GSettings *settings, const char *key, WinnowApplication *self)
{
  winnow_scheduler_set_n_workers (self->scheduler, g_settings_get_int (settings, "jobs"));
}

static void
say_busy (const char *what, gboolean busy, gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));

  if (WINNOW_IS_WINDOW (window))
    winnow_window_say_busy (WINNOW_WINDOW (window), what, busy);
}

static void quit_activated (GSimpleAction *action, GVariant *parameter, gpointer data);

/* SIGTERM, SIGINT and SIGHUP (a session ending, Ctrl-C in a terminal,
 * the terminal that started it closed) quit as the Quit action does:
 * running tasks go back to the queue, their temporary files are
 * removed, confirmed deletions are done. */
static gboolean
on_signal (gpointer data)
{
  quit_activated (NULL, NULL, data);
  return G_SOURCE_CONTINUE;
}

/* The thread that draws asks for short time slices
 * (WINNOW_APPLICATION_SLICE_NS instead of Linux's default 0.7-3 ms): from
 * Linux 6.12 on, a thread that wakes with a shorter slice than the one
 * running takes its core at once, so when cleaning (of this window or
 * of a batch run) keeps every core busy, a frame no longer waits for a
 * cleaning thread's slice to end (docs/ARCHITECTURE.md, "Scheduler").
 * Threads it starts afterwards keep the default (reset on fork; that
 * also starts them at nice 0 when the window was started with a negative
 * nice value), and its own policy and nice value stay as they are. Older
 * kernels and other systems ignore the request; a policy other than the
 * normal one (batch, idle, real-time) is left alone. */
static void
shorten_time_slice (void)
{
#ifdef WINNOW_HAVE_THREAD_SLICE
  WinnowSchedAttr attr;

  if (!winnow_sched_attr_get (&attr) || attr.sched_policy != SCHED_OTHER)
    return;
  attr.sched_flags = SCHED_FLAG_RESET_ON_FORK;
  attr.sched_runtime = WINNOW_APPLICATION_SLICE_NS;
  if (!winnow_sched_attr_set (&attr))
    g_debug ("the drawing thread keeps its time slice: %s", g_strerror (errno));
#endif
}

static void
winnow_application_startup (GApplication *app)
{
  WinnowApplication *self = WINNOW_APPLICATION (app);

  G_APPLICATION_CLASS (winnow_application_parent_class)->startup (app);

  g_set_application_name (_("Winnow"));
  winnow_ui_install_accessible_names ();
  gtk_window_set_default_icon_name (APP_ID);
  /* no SQLite on the thread that draws (checked in debug builds) */
  winnow_task_store_forbid_thread (g_thread_self ());
  shorten_time_slice ();
  winnow_history_set_busy_func (say_busy, self);
  self->settings = open_settings ();
  self->recipes = winnow_recipe_library_new (self->recipes_dir);
  self->store = winnow_task_store_new_deferred (self->store_path,
                                                WINNOW_STORE_OPEN_REPLACE_DAMAGED |
                                                WINNOW_STORE_OPEN_FALLBACK_MEMORY);
  self->scheduler = winnow_scheduler_new (self->store, g_settings_get_int (self->settings, "jobs"),
                                          WINNOW_SCHEDULER_ALL_TASKS);
  open_store (self);
  g_signal_connect (self->settings, "changed::jobs", G_CALLBACK (on_jobs_changed), self);
  self->sigterm = g_unix_signal_add (SIGTERM, on_signal, self);
  self->sigint = g_unix_signal_add (SIGINT, on_signal, self);
  self->sighup = winnow_hangup_add (on_signal, self);
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
kept (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  guint n = winnow_history_keep_unlanded_finish (result, &error);

  if (n > 0)
    g_message (ngettext ("The task history was busy as Winnow quit: %u deletion is kept beside "
                         "it, and will be done when it is next opened",
                         "The task history was busy as Winnow quit: %u deletions are kept beside "
                         "it, and will be done when it is next opened", n), n);
  *(gboolean *) data = TRUE;
}

/* Runs the main loop until @done, or @ms have passed. */
static void
iterate_until (gboolean *done, guint ms)
{
  gboolean expired = FALSE;
  guint timer = g_timeout_add (ms, set_true, &expired);

  while (!*done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timer);
}

/**
 * winnow_application_settle_history:
 *
 * At quit: the history calls still under way (deletions and a clear
 * confirmed as the window closed) land, for QUIT_PATIENCE_MS at most;
 * the deletions and clears a lock still holds back then are kept beside
 * the history, for the next process that opens it. Its shutdown calls
 * it (tests too, without running the application).
 */
void
winnow_application_settle_history (WinnowApplication *self)
{
  g_return_if_fail (WINNOW_IS_APPLICATION (self));
  if (winnow_history_get_n_pending () > 0)
    {
      gboolean expired = FALSE;
      guint timer = g_timeout_add (QUIT_PATIENCE_MS, set_true, &expired);

      while (winnow_history_get_n_pending () > 0 && !expired)
        g_main_context_iteration (NULL, TRUE);
      if (!expired)
        g_source_remove (timer);
    }
  /* writing files: bounded too */
  if (winnow_history_get_n_unlanded () > 0 && self->store != NULL)
    {
      /* static: a callback after the wait must not write to this frame */
      static gboolean done;

      done = FALSE;
      winnow_history_keep_unlanded (self->store, kept, &done);
      iterate_until (&done, QUIT_PATIENCE_MS);
    }
}

static void
winnow_application_shutdown (GApplication *app)
{
  WinnowApplication *self = WINNOW_APPLICATION (app);

  g_clear_handle_id (&self->sigterm, g_source_remove);
  g_clear_handle_id (&self->sigint, g_source_remove);
  g_clear_handle_id (&self->sighup, g_source_remove);
  g_clear_handle_id (&self->reopen, g_source_remove);
  g_atomic_int_set (&self->quitting, 1);
  if (self->opening != NULL)
    g_cancellable_cancel (self->opening);
  /* deletions confirmed as the window closed reach the history first */
  winnow_application_settle_history (self);
  /* Running tasks go back to the queue: the next start finishes them. */
  if (self->scheduler != NULL)
    winnow_scheduler_shutdown (self->scheduler, WINNOW_SHUTDOWN_RELEASE);
  winnow_history_set_busy_func (NULL, NULL);
  winnow_task_store_forbid_thread (NULL);
  G_APPLICATION_CLASS (winnow_application_parent_class)->shutdown (app);
}

WinnowWindow *
winnow_application_get_window (WinnowApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (winnow_window_new (self));
  return WINNOW_WINDOW (window);
}

static void
winnow_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (winnow_application_get_window (WINNOW_APPLICATION (app))));
}

/* Files from the command line, "Open With" or a second launch. */
static void
winnow_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  WinnowWindow *window = winnow_application_get_window (WINNOW_APPLICATION (app));
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (list, files[i]);
  winnow_window_add_files (window, list);
  gtk_window_present (GTK_WINDOW (window));
}

static void
winnow_application_dispose (GObject *object)
{
  WinnowApplication *self = WINNOW_APPLICATION (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_weak_pointer (&self->preferences);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->recipes);
  G_OBJECT_CLASS (winnow_application_parent_class)->dispose (object);
}

static void
winnow_application_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  WinnowApplication *self = WINNOW_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE_PROBLEM: g_value_set_string (value, self->store_problem); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
winnow_application_finalize (GObject *object)
{
  g_clear_object (&WINNOW_APPLICATION (object)->opening);
  g_free (WINNOW_APPLICATION (object)->store_problem);
  g_free (WINNOW_APPLICATION (object)->store_path);
  g_free (WINNOW_APPLICATION (object)->recipes_dir);
  G_OBJECT_CLASS (winnow_application_parent_class)->finalize (object);
}

/* Closing a window does what it has left to do (deletions still offered
 * for undo); the application waits for it at shutdown. */
static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GtkApplication *app = data;
  /* a window closed leaves the application's list: walk a copy */
  GList *windows = g_list_copy_deep (gtk_application_get_windows (app),
                                     (GCopyFunc) (void (*) (void)) g_object_ref, NULL);

  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
  g_application_quit (G_APPLICATION (app));
}

static void
show_task_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  WinnowWindow *window = winnow_application_get_window (WINNOW_APPLICATION (data));
  winnow_window_show_task (window, g_variant_get_int64 (parameter));
  gtk_window_present (GTK_WINDOW (window));
}

/* Preferences and About belong to the main window but are not windows
 * of the app: the app's active window stays the main one. */
static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  WinnowApplication *self = WINNOW_APPLICATION (data);
  WinnowWindow *window = winnow_application_get_window (self);

  if (self->preferences == NULL)
    {
      g_set_weak_pointer (&self->preferences, winnow_preferences_new (self));
      gtk_window_set_transient_for (GTK_WINDOW (self->preferences), GTK_WINDOW (window));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->preferences), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
}

/* The Keyboard Shortcuts window, over the main window. */
static void
shortcuts_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  WinnowApplication *self = WINNOW_APPLICATION (data);
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/winnow/Winnow/winnow-shortcuts.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (winnow_application_get_window (self)));
  gtk_window_present (shortcuts);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  WinnowApplication *self = WINNOW_APPLICATION (data);

  winnow_about_show (self, GTK_WINDOW (winnow_application_get_window (self)));
}

static void
winnow_application_class_init (WinnowApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = winnow_application_dispose;
  object_class->finalize = winnow_application_finalize;
  object_class->get_property = winnow_application_get_property;

  /**
   * WinnowApplication:store-problem:
   *
   * Why the history is not the usual one (moved aside, a private one, or
   * busy), once its opening says so; %NULL when all is well.
   */
  properties[PROP_STORE_PROBLEM] =
    g_param_spec_string ("store-problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  app_class->startup = winnow_application_startup;
  app_class->shutdown = winnow_application_shutdown;
  app_class->activate = winnow_application_activate;
  app_class->open = winnow_application_open;
}

static void
winnow_application_init (WinnowApplication *self)
{
  static const GActionEntry entries[] = {
    { "quit", quit_activated },
    { "show-task", show_task_activated, "x" },
    { "preferences", preferences_activated },
    { "about", about_activated },
    { "shortcuts", shortcuts_activated },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts",
                                         shortcuts_accels);
}

/**
 * winnow_application_new:
 * @extra_flags: e.g. G_APPLICATION_NON_UNIQUE for tests
 */
WinnowApplication *
winnow_application_new (GApplicationFlags extra_flags)
{
  return g_object_new (WINNOW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | extra_flags,
                       "resource-base-path", "/io/github/winnow/Winnow",
                       NULL);
}

/* Which database to use (before the application is registered). */
void
winnow_application_set_store_path (WinnowApplication *app, const char *path)
{
  g_free (app->store_path);
  app->store_path = g_strdup (path);
}

/* Which folder holds the saved recipes (before the application is
 * registered): tests keep theirs apart from the user's. */
void
winnow_application_set_recipes_dir (WinnowApplication *app, const char *dir)
{
  g_free (app->recipes_dir);
  app->recipes_dir = g_strdup (dir);
}

WinnowTaskStore *
winnow_application_get_store (WinnowApplication *app)
{
  return app->store;
}

WinnowScheduler *
winnow_application_get_scheduler (WinnowApplication *app)
{
  return app->scheduler;
}

/* The app's settings (schema io.github.winnow.Winnow), from startup on. */
GSettings *
winnow_application_get_settings (WinnowApplication *app)
{
  return app->settings;
}

/* The saved recipes, from startup on. */
WinnowRecipeLibrary *
winnow_application_get_recipes (WinnowApplication *app)
{
  return app->recipes;
}

/* The recipe new tasks start from: the saved one named in the settings,
 * or the built-in one when there is none or it cannot be read. */
WinnowRecipe *
winnow_application_get_default_recipe (WinnowApplication *app)
{
  g_autofree char *name = g_settings_get_string (app->settings, "default-recipe");
  g_autoptr(GError) error = NULL;
  WinnowRecipe *recipe = NULL;

  if (name[0] != '\0')
    {
      recipe = winnow_recipe_library_load (app->recipes, name, &error);
      if (recipe == NULL)
        g_warning ("default recipe “%s”: %s", name, error->message);
    }
  return recipe != NULL ? recipe : winnow_recipe_new_default ();
}

/* Why the history is not the usual one, or %NULL. */
const char *
winnow_application_get_store_problem (WinnowApplication *app)
{
  return app->store_problem;
}

int
winnow_application_main (int argc, char **argv)
{
  g_autoptr(WinnowApplication) app = winnow_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
