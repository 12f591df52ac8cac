/* winnow-batch.c: runs `winnow --batch` (SPEC section 8): its files
 * become tasks of a scheduler over the task store (the desktop's, unless
 * --db or --no-history), run --jobs at a time; progress goes to stderr, a
 * summary (or JSON) to stdout. Ctrl-C cancels cleanly and exits 130. */
#include "config.h"

#include "winnow-batch.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "winnow-batch-display.h"
#include "winnow-batch-options.h"
#include "winnow-output-file.h"
#include "winnow-result-record.h"
#include "winnow-scheduler.h"

#define EXIT_INTERRUPTED 130

/* How often the run looks in the store for its tasks: another process on
 * the same history (the desktop app) may have taken one and finished it,
 * and this scheduler hears only of its own workers. */
#define STORE_POLL_MS 1000

/* After Ctrl-C, how long to wait for tasks another process is running:
 * their cancel reaches them at their next lease renewal, not at once. */
#define INTERRUPT_GRACE_MS 3000

typedef struct {
  WinnowBatchOptions *options;
  WinnowScheduler *scheduler;
  GPtrArray *tasks;           /* of WinnowTask*, in the order of the files */
  GHashTable *by_id;          /* id -> index + 1 */
  guint n_final;
  gboolean interrupted;
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
  if (index_of (batch, task) == 0)
    return;
  winnow_batch_display_progress (batch->display, winnow_task_get_id (task),
                                 winnow_task_get_file_name (task), fraction, rows,
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

/* The tasks of this run that another process took: their end is read
 * from the store. Only once this run's own workers are idle: before, it
 * could not finish anyway, and a long run's tasks are not read each
 * second. */
static gboolean
poll_store (gpointer data)
{
  Batch *batch = data;
  WinnowTaskStore *store = winnow_scheduler_get_store (batch->scheduler);

  if (winnow_scheduler_get_n_running (batch->scheduler) > 0)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < batch->tasks->len; i++)
    {
      WinnowTask *mine = g_ptr_array_index (batch->tasks, i);
      g_autoptr(WinnowTask) stored = NULL;

      if (winnow_task_status_is_final (winnow_task_get_status (mine)))
        continue;
      stored = winnow_task_store_get (store, winnow_task_get_id (mine), NULL);
      if (stored != NULL && winnow_task_status_is_final (winnow_task_get_status (stored)))
        on_finished (batch->scheduler, stored, batch);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
give_up_waiting (gpointer data)
{
  Batch *batch = data;

  g_main_loop_quit (batch->loop);
  return G_SOURCE_REMOVE;
}

/* Ctrl-C: cancel what has not finished; the loop ends when all have, or
 * a moment later for tasks running in another process. */
static gboolean
on_interrupt (gpointer data)
{
  Batch *batch = data;

  if (batch->interrupted)
    return G_SOURCE_CONTINUE;
  batch->interrupted = TRUE;
  batch->grace = g_timeout_add (INTERRUPT_GRACE_MS, give_up_waiting, batch);
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (batch->tasks, i);
      if (!winnow_task_status_is_final (winnow_task_get_status (task)))
        winnow_scheduler_cancel (batch->scheduler, winnow_task_get_id (task), NULL);
    }
  return G_SOURCE_CONTINUE;
}

static WinnowTaskStore *
open_store (const WinnowBatchOptions *options, GError **error)
{
  g_autofree char *moved = NULL;
  WinnowTaskStore *store;

  if (options->no_history)
    return winnow_task_store_new (":memory:", error);
  store = winnow_task_store_new_or_replace_damaged (options->db, &moved, error);
  if (store == NULL)
    g_prefix_error (error, _("cannot keep the task history (use --no-history to clean without "
                             "it): "));
  else if (moved != NULL)
    /* Translators: %s is the file name the damaged database was given */
    g_printerr (_("winnow: the task database was damaged; it was moved to %s and a new one "
                  "was started\n"), moved);
  return store;
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

/* The summary stays in English whatever the locale: it is one
 * tab-separated line per task for scripts to read, its status words the
 * same as --json's. The errors in it are translated, as they are in JSON. */
static void
print_summary (Batch *batch)
{
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (batch->tasks, i);
      g_autofree char *name = g_filename_display_name (winnow_task_get_input_path (task));
      WinnowTaskResult *record = winnow_task_get_result (task);

      switch (winnow_task_get_status (task))
        {
        case WINNOW_TASK_COMPLETED:
          {
            g_autofree char *output = g_filename_display_name (winnow_task_get_output_path (task));
            g_autoptr(WinnowResult) result = record ? winnow_result_from_record (record) : NULL;

            g_print ("%s\t%s\t%" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " rows\t%s\n",
                     name, status_word (WINNOW_TASK_COMPLETED), winnow_task_get_rows_in (task),
                     winnow_task_get_rows_out (task), output);
            for (guint w = 0; result && w < result->warnings->len; w++)
              /* Translators: a file name, then a warning about it */
              g_printerr (_("%s: warning: %s\n"), name,
                          (char *) g_ptr_array_index (result->warnings, w));
          }
          break;
        case WINNOW_TASK_CANCELLED:
          g_print ("%s\t%s\n", name, status_word (WINNOW_TASK_CANCELLED));
          break;
        case WINNOW_TASK_FAILED:
        case WINNOW_TASK_PENDING:
        case WINNOW_TASK_PROCESSING:
        default:
          g_print ("%s\t%s\t%s\n", name, status_word (WINNOW_TASK_FAILED),
                   winnow_task_get_error (task) ? winnow_task_get_error (task) : "");
          break;
        }
    }
}

static void
print_json (Batch *batch, guint completed)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tasks");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      WinnowTask *task = g_ptr_array_index (batch->tasks, i);
      WinnowTaskResult *record = winnow_task_get_result (task);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, winnow_task_get_id (task));
      json_builder_set_member_name (b, "input");
      json_builder_add_string_value (b, winnow_task_get_input_path (task));
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, winnow_task_get_output_path (task));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, status_word (winnow_task_get_status (task)));
      json_builder_set_member_name (b, "error");
      if (winnow_task_get_error (task))
        json_builder_add_string_value (b, winnow_task_get_error (task));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "result");
      if (record != NULL)
        {
          g_autoptr(WinnowResult) result = winnow_result_from_record (record);
          g_autofree char *json = winnow_result_to_json (result);
          json_builder_add_value (b, json_from_string (json, NULL));
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "completed");
  json_builder_add_int_value (b, completed);
  json_builder_set_member_name (b, "failed");
  json_builder_add_int_value (b, batch->tasks->len - completed);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static gboolean
add_tasks (Batch *batch, GError **error)
{
  const WinnowBatchOptions *options = batch->options;
  g_autofree char *recipe = winnow_recipe_to_json (options->recipe);

  for (guint i = 0; options->files[i]; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (options->files[i]);
      g_autofree char *input = g_file_get_path (file);
      g_autofree char *output = NULL;
      WinnowTask *task;
      gint64 *id;

      if (options->output != NULL)
        {
          g_autoptr(GFile) out = g_file_new_for_commandline_arg (options->output);
          output = g_file_get_path (out);
        }
      else
        {
          g_autofree char *dir = NULL;
          if (options->output_dir != NULL)
            {
              g_autoptr(GFile) out = g_file_new_for_commandline_arg (options->output_dir);
              dir = g_file_get_path (out);
            }
          output = winnow_output_file_default_path (input, dir);
        }
      task = winnow_scheduler_add (batch->scheduler, input, output, recipe, options->force, error);
      if (task == NULL)
        return FALSE;
      g_ptr_array_add (batch->tasks, task);
      id = g_new (gint64, 1);
      *id = winnow_task_get_id (task);
      g_hash_table_insert (batch->by_id, id, GUINT_TO_POINTER (batch->tasks->len));
    }
  return TRUE;
}

static int
run (WinnowBatchOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTaskStore) store = open_store (options, &error);
  g_autoptr(WinnowBatchDisplay) display = NULL;
  Batch batch = { 0 };
  guint sigint, sigterm, poll, completed = 0;
  int status;

  if (store == NULL)
    {
      g_printerr ("winnow: %s\n", error->message);
      return WINNOW_EXIT_FAILED;
    }
  batch.options = options;
  batch.tasks = g_ptr_array_new_with_free_func (g_object_unref);
  batch.by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  batch.loop = g_main_loop_new (NULL, FALSE);
  batch.scheduler = winnow_scheduler_new (store, options->jobs, WINNOW_SCHEDULER_OWN_TASKS);
  g_signal_connect (batch.scheduler, "task-progress", G_CALLBACK (on_progress), &batch);
  g_signal_connect (batch.scheduler, "task-finished", G_CALLBACK (on_finished), &batch);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &batch);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &batch);
  poll = g_timeout_add (STORE_POLL_MS, poll_store, &batch);

  if (add_tasks (&batch, &error))
    {
      display = winnow_batch_display_new (batch.tasks->len, isatty (STDERR_FILENO));
      batch.display = display;
      g_main_loop_run (batch.loop);
      winnow_batch_display_clear (display);
    }
  winnow_scheduler_shutdown (batch.scheduler, WINNOW_SHUTDOWN_CANCEL);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_source_remove (poll);
  g_clear_handle_id (&batch.grace, g_source_remove);

  if (error != NULL)
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

  g_object_unref (batch.scheduler);
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
  g_autoptr(WinnowBatchOptions) options = winnow_batch_options_parse (argc, argv, &error);

  if (options == NULL)
    {
      g_printerr ("winnow: %s\n", error->message);
      return WINNOW_EXIT_USAGE;
    }
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
