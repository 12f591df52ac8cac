/* winnow-batch.c: runs `winnow --batch` (docs/BEHAVIOUR.md 11.2): its files
 * become tasks of a scheduler over the task store (the desktop's, unless
 * --db or --no-history), run --jobs at a time; progress goes to stderr, a
 * summary (or JSON) to stdout. Ctrl-C cancels cleanly and exits 130. */
#include "config.h"

#include "winnow-batch.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "winnow-batch-display.h"
#include "winnow-batch-options.h"
#include "winnow-hangup.h"
#include "winnow-json.h"
#include "winnow-output-file.h"
#include "winnow-result-record.h"
#include "winnow-scheduler.h"
#include "winnow-user-text.h"

#define EXIT_INTERRUPTED 130

/* After Ctrl-C, how long to wait for tasks another process is running:
 * their cancel reaches them within about a second. */
#define INTERRUPT_GRACE_MS 3000

typedef struct {
  WinnowBatchOptions *options;
  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  GPtrArray *tasks;           /* of WinnowTask*, in the order of the files */
  GHashTable *by_id;          /* id -> index + 1 */
  guint n_final;
  gboolean interrupted;
  gint give_up;               /* atomic: set with interrupted, for off_main() */
  GMainLoop *loop;
  WinnowBatchDisplay *display;
  guint grace;                /* after Ctrl-C: the end of the wait */
} Batch;

static guint
index_of (Batch *batch, WinnowTask *task)
{
  gint64 id = winnow_task_get_id (task);
  return GPOINTER_TO_UINT (g_hash_table_lookup (batch->by_id, &id));
}

static void
on_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
             gint phase, Batch *batch)
{
  g_autofree char *name = NULL;

  if (index_of (batch, task) == 0)
    return;
  /* a file name can hold terminal escapes */
  name = winnow_user_text_escape_line (winnow_task_get_file_name (task));
  winnow_batch_display_progress (batch->display, winnow_task_get_id (task), name, fraction, rows,
                                 (WinnowPhase) phase);
}

static void
on_finished (WinnowScheduler *scheduler, WinnowTask *task, Batch *batch)
{
  guint index = index_of (batch, task);
  WinnowTask *mine;

  if (index == 0)
    return;
  mine = g_ptr_array_index (batch->tasks, index - 1);
  if (winnow_task_status_is_final (winnow_task_get_status (mine)))
    return;  /* reported already */
  winnow_task_update_from (mine, task);
  if (!winnow_task_status_is_final (winnow_task_get_status (mine)))
    return;
  winnow_batch_display_finished (batch->display, winnow_task_get_id (task));
  if (++batch->n_final == batch->tasks->len)
    g_main_loop_quit (batch->loop);
}

static gboolean
give_up_waiting (gpointer data)
{
  Batch *batch = data;

  batch->grace = 0;
  g_main_loop_quit (batch->loop);
  return G_SOURCE_REMOVE;
}

/* Ctrl-C, SIGTERM, or SIGHUP (the terminal closed): cancel what has not
 * finished; the loop ends when all have, or a moment later for tasks
 * running in another process. */
static gboolean
on_interrupt (gpointer data)
{
  Batch *batch = data;

  if (batch->interrupted)
    return G_SOURCE_CONTINUE;
  batch->interrupted = TRUE;
  g_atomic_int_set (&batch->give_up, 1);
  batch->grace = g_timeout_add (INTERRUPT_GRACE_MS, give_up_waiting, batch);
  if (batch->scheduler != NULL)
    winnow_scheduler_cancel_own (batch->scheduler);
  return G_SOURCE_CONTINUE;
}

typedef struct {
  Batch *batch;
  gboolean (*func) (Batch *batch, GError **error);
  GMainContext *context;
  gboolean ok;
  GError *error;
  gint done;                  /* atomic */
} OffMain;

static gpointer
off_main_thread (gpointer data)
{
  OffMain *job = data;

  /* (the thread has the main thread's lower priority: winnow_batch_main) */
  winnow_task_store_give_up_waits_when (&job->batch->give_up);
  job->ok = job->func (job->batch, &job->error);
  g_atomic_int_set (&job->done, 1);
  g_main_context_wakeup (job->context);
  return NULL;
}

/* A context where only the signals are heard (on_interrupt()), for
 * off_main(): one for the whole start, so that a signal that comes
 * between two calls waits there for the second. A signal is heard on the
 * main context too, by the same handler, which does nothing a second
 * time. SIGHUP only with @hangup (not ignored under nohup). */
static GMainContext *
signals_context (Batch *batch, gboolean hangup)
{
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  GMainContext *context = g_main_context_new ();

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    if (signals[i] != SIGHUP || hangup)
      {
        GSource *source = g_unix_signal_source_new (signals[i]);

        g_source_set_callback (source, on_interrupt, batch, NULL);
        g_source_attach (source, context);
        g_source_unref (source);
      }
  return context;
}

/* Runs @func on a thread of its own while the main thread listens for
 * signals on @context (signals_context()), so that a Ctrl-C or SIGTERM
 * meanwhile is heard at once: its handler makes the history calls of
 * @func stop waiting for a lock another program holds (they fail as busy)
 * rather than wait out the history's patience, as they did on the main
 * thread, where no handler could run. The main context does not turn
 * meanwhile: the scheduler's news of the tasks being queued waits there
 * until they are in batch->tasks. Does not begin @func after a signal. */
static gboolean
off_main (Batch *batch, GMainContext *context, gboolean (*func) (Batch *, GError **),
          GError **error)
{
  OffMain job = { batch, func, context, FALSE, NULL, 0 };
  GThread *thread;

  /* a signal heard since the last call */
  while (g_main_context_iteration (context, FALSE))
    ;
  if (batch->interrupted)
    return FALSE;
  thread = g_thread_new ("winnow-queue", off_main_thread, &job);
  while (!g_atomic_int_get (&job.done))
    g_main_context_iteration (context, TRUE);
  g_thread_join (thread);
  if (!job.ok)
    g_propagate_error (error, job.error);
  return job.ok;
}

/* Opens batch->store (off_main()). */
static gboolean
open_store (Batch *batch, GError **error)
{
  const WinnowBatchOptions *options = batch->options;
  g_autofree char *moved = NULL;

  if (options->no_history)
    batch->store = winnow_task_store_new (":memory:", error);
  else
    batch->store = winnow_task_store_new_or_replace_damaged (options->db, &moved, error);
  if (batch->store == NULL)
    {
      if (!options->no_history)
        g_prefix_error (error, _("cannot keep the task history (use --no-history to clean "
                                 "without it): "));
      return FALSE;
    }
  if (moved != NULL)
    /* Translators: %s is the file name the damaged database was given */
    g_printerr (_("winnow: the task database was damaged; it was moved to %s and a new one "
                  "was started\n"), moved);
  return TRUE;
}

static const char *
status_word (WinnowTaskStatus status)
{
  switch (status)
    {
    case WINNOW_TASK_COMPLETED: return "completed";
    case WINNOW_TASK_FAILED: return "failed";
    case WINNOW_TASK_CANCELLED: return "cancelled";
    case WINNOW_TASK_PENDING:
    case WINNOW_TASK_PROCESSING:
    default: return "unfinished";
    }
}

/* A task's status as the summary and --json say it: one Ctrl-C left
 * unfinished (its end not recorded, the history being busy) was
 * cancelled all the same. */
static WinnowTaskStatus
shown_status (const Batch *batch, WinnowTask *task)
{
  WinnowTaskStatus status = winnow_task_get_status (task);

  if (batch->interrupted && (status == WINNOW_TASK_PENDING || status == WINNOW_TASK_PROCESSING))
    return WINNOW_TASK_CANCELLED;
  return status;
}

/* The summary stays in English whatever the locale: it is one
 * tab-separated line per task for scripts to read, its status words the
 * same as --json's. The errors in it are translated, as they are in JSON.
 * Every field is escaped (winnow_user_text_escape_line(): \\, \t, \n,
 * \xHH…), so a file name with a tab or a newline cannot break the line. */
static void
print_summary (Batch *batch)
{
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (batch->tasks, i);
      g_autofree char *name = winnow_user_text_escape_line (winnow_task_get_input_path (task));
      WinnowTaskResult *record = winnow_task_get_result (task);

      switch (shown_status (batch, task))
        {
        case WINNOW_TASK_COMPLETED:
          {
            g_autofree char *output = winnow_user_text_escape_line (winnow_task_get_output_path (task));
            g_autoptr(GPtrArray) warnings = record ? winnow_result_warnings_from_record (record) : NULL;

            g_print ("%s\t%s\t%" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " rows\t%s",
                     name, status_word (WINNOW_TASK_COMPLETED), winnow_task_get_rows_in (task),
                     winnow_task_get_rows_out (task), output);
            /* two more fields with the rejected rows: how many, and where */
            if (batch->options->recipe->rejects && record != NULL)
              {
                g_autofree char *rejects = winnow_output_file_rejects_path (
                  winnow_task_get_output_path (task));
                g_autofree char *shown = winnow_user_text_escape_line (rejects);
                g_print ("\t%" G_GINT64_FORMAT " rejected\t%s",
                         record->rows_read - record->rows_written, shown);
              }
            g_print ("\n");
            for (guint w = 0; warnings && w < warnings->len; w++)
              {
                g_autofree char *warning = winnow_user_text_escape_line (g_ptr_array_index (warnings, w));
                /* Translators: a file name, then a warning about it */
                g_printerr (_("%s: warning: %s\n"), name, warning);
              }
          }
          break;
        case WINNOW_TASK_CANCELLED:
          g_print ("%s\t%s\n", name, status_word (WINNOW_TASK_CANCELLED));
          break;
        case WINNOW_TASK_FAILED:
        case WINNOW_TASK_PENDING:
        case WINNOW_TASK_PROCESSING:
        default:
          {
            const char *message = winnow_task_get_error (task);
            g_autofree char *error = winnow_user_text_escape_line (message ? message : "");
            g_print ("%s\t%s\t%s\n", name, status_word (WINNOW_TASK_FAILED), error);
          }
          break;
        }
    }
}

/* A path as JSON: the text, valid UTF-8 (bytes that are not UTF-8 as the
 * four characters \xHH), then the exact bytes as a file:// URI. */
static void
json_path (GString *out, const char *name, const char *path)
{
  g_autofree char *text = winnow_user_text_to_utf8 (path);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

  g_string_append_printf (out, ",\n      \"%s\": ", name);
  winnow_json_append_string (out, text);
  g_string_append_printf (out, ",\n      \"%s_uri\": ", name);
  if (uri != NULL)
    winnow_json_append_string (out, uri);
  else
    g_string_append (out, "null");
}

/* Written as text, not a json-glib tree: a task's result can hold the
 * profiles of 100,000 columns, and comes from the store already as JSON
 * (checked, so the document stays valid whatever the store holds). */
static void
print_json (Batch *batch, guint completed)
{
  GString *out = g_string_new ("{\n  \"tasks\": [");

  for (guint i = 0; i < batch->tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (batch->tasks, i);
      WinnowTaskResult *record = winnow_task_get_result (task);
      const char *error = winnow_task_get_error (task);

      g_string_append_printf (out, "%s\n    {\n      \"id\": %" G_GINT64_FORMAT, i ? "," : "",
                              winnow_task_get_id (task));
      json_path (out, "input", winnow_task_get_input_path (task));
      json_path (out, "output", winnow_task_get_output_path (task));
      g_string_append_printf (out, ",\n      \"status\": \"%s\"",
                              status_word (shown_status (batch, task)));
      g_string_append (out, ",\n      \"error\": ");
      if (error != NULL)
        {
          g_autofree char *text = winnow_user_text_to_utf8 (error);
          winnow_json_append_string (out, text);
        }
      else
        g_string_append (out, "null");
      g_string_append (out, ",\n      \"result\": ");
      if (record != NULL)
        {
          g_autofree char *json = winnow_result_record_to_json (record);
          g_string_append (out, json);
        }
      else
        g_string_append (out, "null");
      /* the rejected-rows file of a completed task, or null */
      g_string_append (out, ",\n      \"rejects\": ");
      if (record != NULL && batch->options->recipe->rejects)
        {
          g_autofree char *rejects = winnow_output_file_rejects_path (
            winnow_task_get_output_path (task));
          g_string_append_printf (out, "{\n      \"rows\": %" G_GINT64_FORMAT,
                                  record->rows_read - record->rows_written);
          json_path (out, "path", rejects);
          g_string_append (out, "}");
        }
      else
        g_string_append (out, "null");
      g_string_append (out, "\n    }");
    }
  g_string_append_printf (out, "\n  ],\n  \"completed\": %u,\n  \"failed\": %u\n}\n", completed,
                          batch->tasks->len - completed);
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
  g_string_free (out, TRUE);
}

/* Where the output @path really is, to compare two outputs: its folder's
 * device and inode (out/, ./out and a link to it are one folder) and its
 * name; the path itself where the folder cannot be looked at. */
static char *
output_key (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  struct stat st;

  if (stat (dir, &st) == 0)
    return g_strdup_printf ("%ju:%ju/%s", (uintmax_t) st.st_dev, (uintmax_t) st.st_ino, base);
  return g_strdup (path);
}

/* The output of @input: --output, or <stem>.cleaned.csv in --output-dir
 * or beside it. Two inputs of this run never get the same output (a.csv
 * from two folders into one --output-dir): the later one is numbered,
 * a.cleaned-2.csv, as the window does, and stderr says so. Numbering
 * looks only at this run's outputs, so a second run of the same command
 * gives the same names (and --force replaces the same files). */
static char *
output_for (const WinnowBatchOptions *options, const char *input, GHashTable *taken)
{
  g_autofree char *first = options->output != NULL
                             ? g_strdup (options->output)
                             : winnow_output_file_default_path (input, options->output_dir,
                                                                options->recipe->out_delimiter);
  char *path = g_strdup (first);
  char *key = output_key (path);

  for (guint n = 2; g_hash_table_contains (taken, key); n++)
    {
      g_free (path);
      g_free (key);
      path = winnow_output_file_numbered_path (first, n);
      key = output_key (path);
    }
  g_hash_table_add (taken, key);
  if (!g_str_equal (path, first))
    {
      g_autofree char *shown_input = winnow_user_text_escape_line (input);
      g_autofree char *shown_first = winnow_user_text_escape_line (first);
      g_autofree char *shown_path = winnow_user_text_escape_line (path);
      /* Translators: an input file, the output another input of the run
       * already goes to, then the output this one gets instead */
      g_printerr (_("winnow: %s would also be cleaned to %s; it goes to %s\n"), shown_input,
                  shown_first, shown_path);
    }
  return path;
}

/* --output-dir: created when it is missing, with its parents, as the
 * README's `--output-dir cleaned/ *.csv` expects (mkdir -p). */
static char *
output_dir (const WinnowBatchOptions *options, GError **error)
{
  g_autofree char *dir = NULL;

  if (options->output_dir == NULL)
    return NULL;
  /* a local, absolute path already (winnow_batch_options_parse()): no
   * GFile, whose first use loads GIO's modules, 2 ms of every start */
  dir = g_strdup (options->output_dir);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (dir);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a folder, then the system's reason */
                   _("cannot create the output folder %s: %s"), name, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* All the files become tasks in one transaction: a full disk or a kill
 * never leaves half of them queued (off_main()). */
static gboolean
add_tasks (Batch *batch, GError **error)
{
  const WinnowBatchOptions *options = batch->options;
  g_autofree char *recipe = winnow_recipe_to_json (options->recipe);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (WinnowTaskSpec));
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = output_dir (options, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* the paths are absolute and local (winnow_batch_options_parse) */
  for (guint i = 0; options->files[i]; i++)
    {
      const char *input = options->files[i];
      char *output = output_for (options, input, taken);
      WinnowTaskSpec spec = { 0 };

      g_ptr_array_add (outputs, output);
      spec.input_path = input;
      spec.output_path = output;
      spec.recipe_json = recipe;
      spec.replace_output = options->force;
      g_array_append_val (specs, spec);
    }
  tasks = winnow_scheduler_add_many (batch->scheduler, (WinnowTaskSpec *) specs->data, specs->len,
                                     error);
  if (tasks == NULL)
    return FALSE;
  for (guint i = 0; i < tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (tasks, i);
      gint64 *id = g_new (gint64, 1);

      g_ptr_array_add (batch->tasks, g_object_ref (task));
      *id = winnow_task_get_id (task);
      g_hash_table_insert (batch->by_id, id, GUINT_TO_POINTER (batch->tasks->len));
    }
  return TRUE;
}

static int
run (WinnowBatchOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowBatchDisplay) display = NULL;
  GMainContext *starting;
  Batch batch = { 0 };
  guint sigint, sigterm, sighup, completed = 0;
  int status;

  batch.options = options;
  batch.tasks = g_ptr_array_new_with_free_func (g_object_unref);
  batch.by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  batch.loop = g_main_loop_new (NULL, FALSE);
  /* heard from the start: opening the history and queueing the files may
   * wait for another program's lock (off_main()) */
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &batch);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &batch);
  sighup = winnow_hangup_add (on_interrupt, &batch);

  starting = signals_context (&batch, sighup != 0);
  if (off_main (&batch, starting, open_store, &error) && !batch.interrupted)
    {
      batch.scheduler = winnow_scheduler_new (batch.store, options->jobs,
                                              WINNOW_SCHEDULER_OWN_TASKS);
      /* the columns' profiles are kept in the history and printed by
       * --json; without either, no one would read them */
      winnow_scheduler_set_profile (batch.scheduler, !options->no_history || options->json);
      g_signal_connect (batch.scheduler, "task-progress", G_CALLBACK (on_progress), &batch);
      g_signal_connect (batch.scheduler, "task-finished", G_CALLBACK (on_finished), &batch);
      if (off_main (&batch, starting, add_tasks, &error))
        {
          /* an interrupt while they were queued found none to cancel */
          if (batch.interrupted)
            winnow_scheduler_cancel_own (batch.scheduler);
          display = winnow_batch_display_new (batch.tasks->len, isatty (STDERR_FILENO));
          batch.display = display;
          g_main_loop_run (batch.loop);
          winnow_batch_display_clear (display);
        }
      /* a run interrupted before it queued anything has no run to end in
       * the history: the shutdown does not wait for its lock to say so */
      if (batch.tasks->len == 0)
        winnow_task_store_give_up_waits_when (&batch.give_up);
      winnow_scheduler_shutdown (batch.scheduler, WINNOW_SHUTDOWN_CANCEL);
      winnow_task_store_give_up_waits_when (NULL);
    }
  /* (its sources go with it) */
  g_main_context_unref (starting);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_handle_id (&sighup, g_source_remove);
  g_clear_handle_id (&batch.grace, g_source_remove);
  /* the ends the shutdown reported */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (batch.interrupted && batch.tasks->len == 0)
    {
      /* what was waited for gave up as busy, or was not begun */
      g_printerr ("%s\n", _("winnow: interrupted before the files were queued: none was cleaned"));
      /* a script reading --json gets a document all the same */
      if (options->json)
        print_json (&batch, 0);
      status = EXIT_INTERRUPTED;
    }
  else if (error != NULL)
    {
      g_printerr ("winnow: %s\n", error->message);
      status = WINNOW_EXIT_FAILED;
    }
  else
    {
      for (guint i = 0; i < batch.tasks->len; i++)
        completed += winnow_task_get_status (g_ptr_array_index (batch.tasks, i)) ==
                     WINNOW_TASK_COMPLETED;
      if (options->json)
        print_json (&batch, completed);
      else
        print_summary (&batch);
      status = batch.interrupted ? EXIT_INTERRUPTED
             : completed == batch.tasks->len ? WINNOW_EXIT_OK
             : WINNOW_EXIT_FAILED;
    }

  g_clear_object (&batch.scheduler);
  g_clear_object (&batch.store);
  g_main_loop_unref (batch.loop);
  g_hash_table_unref (batch.by_id);
  g_ptr_array_unref (batch.tasks);
  return status;
}

/* --export: the recipe as a program on stdout. */
static int
export_program (WinnowBatchOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowExportFile) file = NULL;
  g_autofree char *program = NULL;

  if (winnow_export_format_needs_file (options->export_format))
    {
      file = winnow_export_file_probe (options->recipe, options->files[0], options->files[1],
                                       NULL, &error);
      if (file == NULL)
        {
          g_printerr ("winnow: %s\n", error->message);
          return WINNOW_EXIT_FAILED;
        }
    }
  program = winnow_export_generate (options->recipe, options->export_format, file, &error);
  if (program == NULL)
    {
      g_printerr ("winnow: %s\n", error->message);
      return WINNOW_EXIT_FAILED;
    }
  fputs (program, stdout);
  return fflush (stdout) == 0 ? WINNOW_EXIT_OK : WINNOW_EXIT_FAILED;
}

/**
 * winnow_batch_main:
 *
 * Returns: the exit status (WINNOW_EXIT_*, or 130 after Ctrl-C)
 */
int
winnow_batch_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowBatchOptions) options = NULL;

  /* A batch run is background work from its first thread on, not only in
   * its cleaning: its history writes and bookkeeping too give way to a
   * window drawing beside it, and so do the threads GLib starts for the
   * settings that may name its recipe (docs/ARCHITECTURE.md, "Scheduler"). */
  winnow_scheduler_lower_thread_priority ();
  options = winnow_batch_options_parse (argc, argv, &error);
  if (options == NULL)
    {
      g_printerr ("winnow: %s\n", error->message);
      return WINNOW_EXIT_USAGE;
    }
  if (options->recipe_note != NULL)
    g_printerr ("winnow: %s\n", options->recipe_note);
  if (options->save_recipe != NULL)
    {
      if (!winnow_recipe_save (options->recipe, options->save_recipe, &error))
        {
          g_printerr ("winnow: %s\n", error->message);
          return WINNOW_EXIT_FAILED;
        }
      return WINNOW_EXIT_OK;
    }
  if (options->export)
    return export_program (options);
  return run (options);
}
