/* winnow-thread-budget.c: see winnow-thread-budget.h. */
#include "config.h"

#include "winnow-thread-budget-private.h"

struct _WinnowThreadBudget {
  gint ref_count;
  guint capacity;

  GMutex lock;          /* the fields below */
  GCond cond;           /* room was made, or a stop flag was set */
  guint bases;          /* base threads at work */
  guint extras;         /* extra threads at work */
  guint bases_waiting;  /* base threads waiting for an extra to step back */
  guint peak;           /* the most threads at work at once */
};

/**
 * winnow_thread_budget_new:
 * @capacity: how many threads may work at once; 0 for one per processor
 *
 * Returns: (transfer full): a budget
 */
WinnowThreadBudget *
winnow_thread_budget_new (guint capacity)
{
  WinnowThreadBudget *budget = g_new0 (WinnowThreadBudget, 1);

  budget->ref_count = 1;
  budget->capacity = capacity ? capacity : MAX (g_get_num_processors (), 1);
  g_mutex_init (&budget->lock);
  g_cond_init (&budget->cond);
  return budget;
}

WinnowThreadBudget *
winnow_thread_budget_ref (WinnowThreadBudget *budget)
{
  g_return_val_if_fail (budget != NULL, NULL);
  g_atomic_int_inc (&budget->ref_count);
  return budget;
}

void
winnow_thread_budget_unref (WinnowThreadBudget *budget)
{
  if (budget == NULL || !g_atomic_int_dec_and_test (&budget->ref_count))
    return;
  g_mutex_clear (&budget->lock);
  g_cond_clear (&budget->cond);
  g_free (budget);
}

/**
 * winnow_thread_budget_get_default:
 *
 * Returns: (transfer none): the process's budget, one thread per
 *   processor, which every task uses unless told otherwise
 */
WinnowThreadBudget *
winnow_thread_budget_get_default (void)
{
  static gsize budget;

  if (g_once_init_enter (&budget))
    g_once_init_leave (&budget, (gsize) winnow_thread_budget_new (0));
  return (WinnowThreadBudget *) budget;
}

guint
winnow_thread_budget_get_capacity (WinnowThreadBudget *budget)
{
  g_return_val_if_fail (budget != NULL, 0);
  return budget->capacity;
}

static void
count_peak (WinnowThreadBudget *budget)
{
  budget->peak = MAX (budget->peak, budget->bases + budget->extras);
}

/**
 * winnow_thread_budget_take_base:
 *
 * A task's base thread starts work. It is never refused, but waits while
 * the budget is full and extras hold some of it: they step back within
 * one piece of work.
 */
void
winnow_thread_budget_take_base (WinnowThreadBudget *budget)
{
  g_return_if_fail (budget != NULL);
  g_mutex_lock (&budget->lock);
  budget->bases_waiting++;
  while (budget->extras > 0 && budget->bases + budget->extras >= budget->capacity)
    g_cond_wait (&budget->cond, &budget->lock);
  budget->bases_waiting--;
  budget->bases++;
  count_peak (budget);
  g_mutex_unlock (&budget->lock);
}

/* One place of @count (bases or extras) given back, and the waiting told. */
static void
release_one (WinnowThreadBudget *budget, guint *count)
{
  g_mutex_lock (&budget->lock);
  g_assert (*count > 0);
  (*count)--;
  g_cond_broadcast (&budget->cond);
  g_mutex_unlock (&budget->lock);
}

void
winnow_thread_budget_release_base (WinnowThreadBudget *budget)
{
  g_return_if_fail (budget != NULL);
  release_one (budget, &budget->bases);
}

/**
 * winnow_thread_budget_take_extra:
 * @wake: the caller's flag (read atomically): once it is set, and
 *   winnow_thread_budget_wake() called, the wait ends
 *
 * An extra thread waits until there is room for it and no base thread
 * waits.
 *
 * Returns: %TRUE when it may work (then release it), %FALSE when *@wake
 *   was set first
 */
gboolean
winnow_thread_budget_take_extra (WinnowThreadBudget *budget, const gint *wake)
{
  gboolean taken;

  g_return_val_if_fail (budget != NULL, FALSE);
  g_mutex_lock (&budget->lock);
  while (!g_atomic_int_get (wake) &&
         (budget->bases_waiting > 0 || budget->bases + budget->extras >= budget->capacity))
    g_cond_wait (&budget->cond, &budget->lock);
  taken = !g_atomic_int_get (wake);
  if (taken)
    {
      budget->extras++;
      count_peak (budget);
    }
  g_mutex_unlock (&budget->lock);
  return taken;
}

/**
 * winnow_thread_budget_try_extra:
 *
 * An extra thread for a piece of work that the caller can also do alone
 * (winnow_output_file_fill_holes()'s second part), and that cannot step
 * back before its end: taken only if no base thread waits and there is
 * room now for it and one more thread, so a task that starts meanwhile
 * finds room for its base thread. Never waited for.
 *
 * Returns: %TRUE when it may work (then release it)
 */
gboolean
winnow_thread_budget_try_extra (WinnowThreadBudget *budget)
{
  gboolean taken;

  g_return_val_if_fail (budget != NULL, FALSE);
  g_mutex_lock (&budget->lock);
  taken = budget->bases_waiting == 0 && budget->bases + budget->extras + 2 <= budget->capacity;
  if (taken)
    {
      budget->extras++;
      count_peak (budget);
    }
  g_mutex_unlock (&budget->lock);
  return taken;
}

/**
 * winnow_thread_budget_force_extra:
 *
 * An extra thread works whatever the room: for work its task cannot wait
 * for (the reader's chunk parsed again, which its base thread may be
 * unable to take). Released as any extra; should_yield() is then %TRUE
 * while the budget is over.
 */
void
winnow_thread_budget_force_extra (WinnowThreadBudget *budget)
{
  g_return_if_fail (budget != NULL);
  g_mutex_lock (&budget->lock);
  budget->extras++;
  count_peak (budget);
  g_mutex_unlock (&budget->lock);
}

/* Should an extra thread step back after its current piece of work? */
gboolean
winnow_thread_budget_should_yield (WinnowThreadBudget *budget)
{
  gboolean yield;

  g_mutex_lock (&budget->lock);
  yield = budget->bases_waiting > 0 || budget->bases + budget->extras > budget->capacity;
  g_mutex_unlock (&budget->lock);
  return yield;
}

void
winnow_thread_budget_release_extra (WinnowThreadBudget *budget)
{
  g_return_if_fail (budget != NULL);
  release_one (budget, &budget->extras);
}

/* Wakes the threads waiting in take_extra(), after a stop flag was set. */
void
winnow_thread_budget_wake (WinnowThreadBudget *budget)
{
  g_mutex_lock (&budget->lock);
  g_cond_broadcast (&budget->cond);
  g_mutex_unlock (&budget->lock);
}

/* For tests: the most threads that were at work at once, since the
 * last call (which starts counting again from those at work now). */
guint
winnow_thread_budget_take_peak (WinnowThreadBudget *budget)
{
  guint peak;

  g_mutex_lock (&budget->lock);
  peak = budget->peak;
  budget->peak = budget->bases + budget->extras;
  g_mutex_unlock (&budget->lock);
  return peak;
}
