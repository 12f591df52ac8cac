/* winnow-batch.c: runs `winnow --batch`: each file through the engine,
 * progress on stderr, a summary (or JSON) on stdout, and the exit status
 * of SPEC section 8. */
#include "config.h"

#include "winnow-batch.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "winnow-batch-options.h"
#include "winnow-cleaner.h"
#include "winnow-output-file.h"


typedef struct {
  char *input;
  char *output;
  WinnowResult *result;
  GError *error;
} Task;

typedef struct {
  const char *name;
  gboolean tty;
  gint64 started;
  gint64 last_line;
} ProgressLine;

static void
task_clear (Task *task)
{
  g_free (task->input);
  g_free (task->output);
  if (task->result)
    winnow_result_free (task->result);
  g_clear_error (&task->error);
}

static void
on_progress (const WinnowProgress *progress, gpointer user_data)
{
  ProgressLine *line = user_data;
  gint64 now = g_get_monotonic_time ();
  int percent = (int) (progress->fraction * 100);

  if (line->tty)
    {
      g_printerr ("\r\033[K%s: %s %3d%%", line->name, winnow_phase_to_string (progress->phase),
                  percent);
      return;
    }
  /* Not a terminal: a plain line at most once a second. */
  if (now - line->last_line < G_USEC_PER_SEC)
    return;
  line->last_line = now;
  g_printerr ("%s: %s %d%% (%" G_GUINT64_FORMAT " rows)\n", line->name,
              winnow_phase_to_string (progress->phase), percent, progress->rows);
}

static void
run_task (const WinnowBatchOptions *options, Task *task)
{
  g_autofree char *name = g_filename_display_basename (task->input);
  ProgressLine line = { name, isatty (STDERR_FILENO), g_get_monotonic_time (), 0 };
  WinnowCleanFlags flags = options->force ? WINNOW_CLEAN_REPLACE : WINNOW_CLEAN_NONE;

  line.last_line = line.started;
  task->result = winnow_clean_file (options->recipe, task->input, task->output, flags,
                                    on_progress, &line, NULL, &task->error);
  if (line.tty)
    g_printerr ("\r\033[K");
}

static void
print_summary (GArray *tasks)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      Task *task = &g_array_index (tasks, Task, i);
      g_autofree char *name = g_filename_display_name (task->input);

      if (task->result != NULL)
        {
          g_autofree char *output = g_filename_display_name (task->output);
          /* TRANSLATORS: file, then rows in and out, then the output file */
          g_print (_("%s\tcompleted\t%" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " rows\t%s\n"),
                   name, task->result->rows_read, task->result->rows_written, output);
          for (guint w = 0; w < task->result->warnings->len; w++)
            g_printerr (_("%s: warning: %s\n"), name,
                        (char *) g_ptr_array_index (task->result->warnings, w));
        }
      else
        g_print (_("%s\tfailed\t%s\n"), name, task->error->message);
    }
}

static void
print_json (GArray *tasks, guint completed)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tasks");
  json_builder_begin_array (b);
  for (guint i = 0; i < tasks->len; i++)
    {
      Task *task = &g_array_index (tasks, Task, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "input");
      json_builder_add_string_value (b, task->input);
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, task->output);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, task->result ? "completed" : "failed");
      json_builder_set_member_name (b, "error");
      if (task->error)
        json_builder_add_string_value (b, task->error->message);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "result");
      if (task->result)
        {
          g_autofree char *json = winnow_result_to_json (task->result);
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
  json_builder_add_int_value (b, tasks->len - completed);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/**
 * winnow_batch_main:
 *
 * Returns: the exit status (WINNOW_EXIT_*)
 */
int
winnow_batch_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowBatchOptions) options = winnow_batch_options_parse (argc, argv, &error);
  g_autoptr(GArray) tasks = NULL;
  guint completed = 0;

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

  tasks = g_array_new (FALSE, TRUE, sizeof (Task));
  g_array_set_clear_func (tasks, (GDestroyNotify) task_clear);
  for (guint i = 0; options->files[i]; i++)
    {
      Task task = { 0 };
      task.input = g_strdup (options->files[i]);
      task.output = options->output ? g_strdup (options->output)
                                    : winnow_output_file_default_path (task.input,
                                                                       options->output_dir);
      g_array_append_val (tasks, task);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      Task *task = &g_array_index (tasks, Task, i);
      run_task (options, task);
      completed += task->result != NULL;
    }

  if (options->json)
    print_json (tasks, completed);
  else
    print_summary (tasks);
  return completed == tasks->len ? WINNOW_EXIT_OK : WINNOW_EXIT_FAILED;
}
