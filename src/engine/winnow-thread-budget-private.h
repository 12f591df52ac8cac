/* winnow-thread-budget-private.h: what tests may ask of a thread budget. */
#pragma once

#include "winnow-thread-budget.h"

G_BEGIN_DECLS

guint winnow_thread_budget_take_peak (WinnowThreadBudget *budget);

G_END_DECLS
