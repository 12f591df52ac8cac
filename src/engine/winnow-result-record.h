/* winnow-result-record.h: a cleaning result (WinnowResult, the engine's)
 * to and from a stored task result (WinnowTaskResult, the store's). Part
 * of the scheduler: the only engine code that knows the store. */
#pragma once

#include "winnow-result.h"
#include "winnow-task-result.h"

G_BEGIN_DECLS

WinnowTaskResult *winnow_result_to_record   (const WinnowResult *result);
WinnowResult     *winnow_result_from_record (const WinnowTaskResult *record);
char             *winnow_result_record_to_json (const WinnowTaskResult *record);
WinnowResult     *winnow_result_summary_from_record (const WinnowTaskResult *record);
gboolean          winnow_result_record_is_damaged (const WinnowTaskResult *record);
GPtrArray        *winnow_result_warnings_from_record (const WinnowTaskResult *record);

G_END_DECLS
