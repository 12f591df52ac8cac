/* winnow-thread-budget.h: how many threads may clean at once, shared by
 * every task of a process.
 *
 * A task's parse threads do nearly all its work (docs/ARCHITECTURE.md,
 * "Data flow of one task"). Each task always has one of them, its base
 * thread, whatever else runs; its other parse threads are extras, which
 * work only while the threads at work number fewer than the budget
 * (one per processor), and step back after their current piece of work
 * when another task's base thread needs the room. So one task alone uses
 * every core, and N tasks on N cores run one thread each: never more
 * threads at work than max (budget, tasks running), but for a moment when
 * a task must parse a chunk again that its base thread cannot take
 * (winnow_thread_budget_force_extra()). The budget counts parse threads,
 * and the second thread of a hole pass when there is room for it
 * (winnow_thread_budget_try_extra(), winnow-output-holes.c); each task's
 * cleaning thread, and its formatting thread in a
 * pipelined write pass (winnow-cleaner-pipeline.c), run besides; they
 * take what the parse threads cannot keep busy (bench/run.sh: four files
 * at --jobs 2 take 0.91 of the time they take one after another). So does
 * each output file's sync thread (winnow-disk-sync.h), which waits on the
 * disk.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WinnowThreadBudget WinnowThreadBudget;

WinnowThreadBudget *winnow_thread_budget_new         (guint capacity);
WinnowThreadBudget *winnow_thread_budget_ref         (WinnowThreadBudget *budget);
void                winnow_thread_budget_unref       (WinnowThreadBudget *budget);
WinnowThreadBudget *winnow_thread_budget_get_default (void);
guint               winnow_thread_budget_get_capacity (WinnowThreadBudget *budget);

void                winnow_thread_budget_take_base   (WinnowThreadBudget *budget);
void                winnow_thread_budget_release_base (WinnowThreadBudget *budget);
gboolean            winnow_thread_budget_take_extra  (WinnowThreadBudget *budget,
                                                      const gint *wake);
gboolean            winnow_thread_budget_try_extra   (WinnowThreadBudget *budget);
void                winnow_thread_budget_force_extra (WinnowThreadBudget *budget);
gboolean            winnow_thread_budget_should_yield (WinnowThreadBudget *budget);
void                winnow_thread_budget_release_extra (WinnowThreadBudget *budget);
void                winnow_thread_budget_wake        (WinnowThreadBudget *budget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowThreadBudget, winnow_thread_budget_unref)

G_END_DECLS
