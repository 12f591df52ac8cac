/* winnow-sample-job.c: see winnow-sample-job.h. */
#include "config.h"

#include "winnow-sample-job.h"
#include "winnow-sample-job-private.h"

typedef struct {
  GStrv paths;
  WinnowSample *sample;   /* NULL: read it from paths[0] */
  WinnowRecipe *recipe;
  gboolean profile;
} Job;

static WinnowSampleJobHook job_hook;
static gpointer job_hook_data;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_strfreev (job->paths);
  g_clear_pointer (&job->sample, winnow_sample_unref);
  winnow_recipe_free (job->recipe);
  g_free (job);
}

void
winnow_sample_report_free (WinnowSampleReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->sample, winnow_sample_unref);
  g_clear_pointer (&report->profile, winnow_result_free);
  g_clear_pointer (&report->estimate, winnow_result_free);
  g_clear_error (&report->estimate_error);
  g_clear_pointer (&report->differing, g_ptr_array_unref);
  g_free (report);
}

static gboolean
same_header (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/* A file that cannot be read differs too: its task will say why. */
static GPtrArray *
differing_files (GStrv paths, WinnowSample *sample, const WinnowRecipe *recipe)
{
  GPtrArray *first = winnow_sample_get_columns (sample);
  GPtrArray *differing = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; paths[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) header = winnow_read_header (paths[i], recipe, NULL);
      if (header == NULL || !same_header (first, header))
        g_ptr_array_add (differing, g_path_get_basename (paths[i]));
    }
  return differing;
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(WinnowSampleReport) report = g_new0 (WinnowSampleReport, 1);
  GError *error = NULL;

  if (job->sample != NULL)
    report->sample = winnow_sample_ref (job->sample);
  else
    {
      if (job_hook != NULL)
        job_hook (job_hook_data);
      report->sample = winnow_sample_read (job->paths[0], job->recipe, WINNOW_SAMPLE_ROWS,
                                           cancellable, &error);
      if (report->sample == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      report->differing = differing_files (job->paths, report->sample, job->recipe);
    }
  if (job->profile)
    {
      report->profile = winnow_sample_clean (report->sample, job->recipe, TRUE, cancellable, &error);
      if (report->profile == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  report->estimate = winnow_sample_clean (report->sample, job->recipe, FALSE, cancellable,
                                          &report->estimate_error);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&report),
                         (GDestroyNotify) winnow_sample_report_free);
}

/**
 * winnow_sample_job_run_async:
 * @paths: the files; the first one is sampled
 * @sample: (nullable): the first file's sample, when it has been read
 * @profile: whether to profile the columns again
 */
void
winnow_sample_job_run_async (GStrv paths, WinnowSample *sample, const WinnowRecipe *recipe,
                             gboolean profile, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->paths = g_strdupv (paths);
  job->sample = sample != NULL ? winnow_sample_ref (sample) : NULL;
  job->recipe = winnow_recipe_copy (recipe);
  job->profile = profile || sample == NULL;
  g_task_set_source_tag (task, winnow_sample_job_run_async);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, job_thread);
}

/* Returns: (transfer full): the report, or %NULL when the file cannot be read */
WinnowSampleReport *
winnow_sample_job_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
winnow_sample_job_set_hook (WinnowSampleJobHook hook, gpointer data)
{
  job_hook = hook;
  job_hook_data = data;
}
