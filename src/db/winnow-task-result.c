/* winnow-task-result.c: see winnow-task-result.h. */
#include "config.h"

#include "winnow-task-result.h"

G_DEFINE_BOXED_TYPE (WinnowTaskResult, winnow_task_result, winnow_task_result_copy,
                     winnow_task_result_free)

WinnowTaskResult *
winnow_task_result_new (void)
{
  WinnowTaskResult *result = g_new0 (WinnowTaskResult, 1);

  result->summary = g_strdup ("{}");
  result->columns = g_strdup ("[]");
  result->preview = g_strdup ("{\"header\":[],\"rows\":[]}");
  return result;
}

WinnowTaskResult *
winnow_task_result_copy (const WinnowTaskResult *result)
{
  WinnowTaskResult *copy = g_memdup2 (result, sizeof *result);

  copy->summary = g_strdup (result->summary);
  copy->columns = g_strdup (result->columns);
  copy->preview = g_strdup (result->preview);
  return copy;
}

gboolean
winnow_task_result_equal (const WinnowTaskResult *a, const WinnowTaskResult *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->rows_read == b->rows_read && a->rows_written == b->rows_written &&
         g_strcmp0 (a->summary, b->summary) == 0 && g_strcmp0 (a->columns, b->columns) == 0 &&
         g_strcmp0 (a->preview, b->preview) == 0;
}

void
winnow_task_result_free (WinnowTaskResult *result)
{
  if (result == NULL)
    return;
  g_free (result->summary);
  g_free (result->columns);
  g_free (result->preview);
  g_free (result);
}
