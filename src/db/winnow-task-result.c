/* winnow-task-result.c: see winnow-task-result.h. */
#include "config.h"

#include "winnow-task-result.h"

G_DEFINE_BOXED_TYPE (WinnowTaskResult, winnow_task_result, winnow_task_result_copy,
                     winnow_task_result_free)

WinnowTaskResult *
winnow_task_result_new (void)
{
  WinnowTaskResult *result = g_new0 (WinnowTaskResult, 1);

  result->encoding = g_strdup ("");
  result->delimiter = g_strdup ("");
  result->columns_dropped = g_strdup ("[]");
  result->fills = g_strdup ("{}");
  result->warnings = g_strdup ("[]");
  result->profile = g_strdup ("[]");
  result->preview = g_strdup ("{\"header\":[],\"rows\":[]}");
  return result;
}

WinnowTaskResult *
winnow_task_result_copy (const WinnowTaskResult *result)
{
  WinnowTaskResult *copy = g_memdup2 (result, sizeof *result);

  copy->encoding = g_strdup (result->encoding);
  copy->delimiter = g_strdup (result->delimiter);
  copy->columns_dropped = g_strdup (result->columns_dropped);
  copy->fills = g_strdup (result->fills);
  copy->warnings = g_strdup (result->warnings);
  copy->profile = g_strdup (result->profile);
  copy->preview = g_strdup (result->preview);
  return copy;
}

void
winnow_task_result_free (WinnowTaskResult *result)
{
  if (result == NULL)
    return;
  g_free (result->encoding);
  g_free (result->delimiter);
  g_free (result->columns_dropped);
  g_free (result->fills);
  g_free (result->warnings);
  g_free (result->profile);
  g_free (result->preview);
  g_free (result);
}
