/* winnow-task-meter.c: see winnow-task-meter.h.
 *
 * The rate is the current pass's rows over the time since it began (a
 * task that selects rows first, or computes statistics, reads the file
 * more than once: each pass starts again from zero rows). The time left
 * is the time so far times what is left over what is done, once the task
 * has run a second and done a hundredth: earlier guesses swing too much
 * to be worth saying. */
#include "config.h"

#include "winnow-task-meter.h"

#include <glib/gi18n.h>

#include "winnow-cleaner.h"
#include "winnow-ui-util.h"

/* Before this, no time left is said. */
#define MIN_ELAPSED_S 1.0
#define MIN_FRACTION 0.01
/* Before this, no rate is said. */
#define MIN_PASS_S 0.25

typedef struct {
  gint64 started;        /* monotonic µs */
  gint64 pass_started;
  gint phase;
  double fraction;
  guint64 rows;
} Running;

struct _WinnowTaskMeter {
  GObject parent_instance;

  WinnowScheduler *scheduler;
  GHashTable *running;   /* id -> Running */
};

G_DEFINE_FINAL_TYPE (WinnowTaskMeter, winnow_task_meter, G_TYPE_OBJECT)

static Running *
lookup (WinnowTaskMeter *self, gint64 id, gboolean create)
{
  Running *r = g_hash_table_lookup (self->running, &id);

  if (r == NULL && create)
    {
      gint64 *key = g_new (gint64, 1);

      *key = id;
      r = g_new0 (Running, 1);
      r->started = r->pass_started = g_get_monotonic_time ();
      r->phase = -1;
      g_hash_table_insert (self->running, key, r);
    }
  return r;
}

static void
on_task_started (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskMeter *self)
{
  gint64 id = winnow_task_get_id (task);

  g_hash_table_remove (self->running, &id);
  lookup (self, id, TRUE);
}

static void
on_task_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
                  gint phase, WinnowTaskMeter *self)
{
  Running *r = lookup (self, winnow_task_get_id (task), TRUE);

  if (phase != r->phase)
    {
      r->phase = phase;
      r->pass_started = g_get_monotonic_time ();
    }
  r->fraction = fraction;
  r->rows = rows;
}

static void
on_task_finished (WinnowScheduler *scheduler, WinnowTask *task, WinnowTaskMeter *self)
{
  gint64 id = winnow_task_get_id (task);
  g_hash_table_remove (self->running, &id);
}

static void
winnow_task_meter_dispose (GObject *object)
{
  WinnowTaskMeter *self = WINNOW_TASK_METER (object);

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  G_OBJECT_CLASS (winnow_task_meter_parent_class)->dispose (object);
}

static void
winnow_task_meter_finalize (GObject *object)
{
  g_hash_table_unref (WINNOW_TASK_METER (object)->running);
  G_OBJECT_CLASS (winnow_task_meter_parent_class)->finalize (object);
}

static void
winnow_task_meter_class_init (WinnowTaskMeterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = winnow_task_meter_dispose;
  G_OBJECT_CLASS (klass)->finalize = winnow_task_meter_finalize;
}

static void
winnow_task_meter_init (WinnowTaskMeter *self)
{
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/**
 * winnow_task_meter_new:
 *
 * Connect it to @scheduler before anything that redraws on progress, so
 * that what they read is this progress, not the one before.
 *
 * Returns: (transfer full): a meter of @scheduler's tasks
 */
WinnowTaskMeter *
winnow_task_meter_new (WinnowScheduler *scheduler)
{
  WinnowTaskMeter *self;

  g_return_val_if_fail (WINNOW_IS_SCHEDULER (scheduler), NULL);
  self = g_object_new (WINNOW_TYPE_TASK_METER, NULL);
  self->scheduler = g_object_ref (scheduler);
  g_signal_connect (scheduler, "task-started", G_CALLBACK (on_task_started), self);
  g_signal_connect (scheduler, "task-progress", G_CALLBACK (on_task_progress), self);
  g_signal_connect (scheduler, "task-finished", G_CALLBACK (on_task_finished), self);
  return self;
}

/**
 * winnow_task_meter_read:
 * @reading: (out): how far task @id is
 *
 * Returns: whether @id runs here and has said how far it is
 */
gboolean
winnow_task_meter_read (WinnowTaskMeter *self, gint64 id, WinnowMeterReading *reading)
{
  Running *r;
  gint64 now = g_get_monotonic_time ();
  double pass;

  g_return_val_if_fail (WINNOW_IS_TASK_METER (self), FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);
  r = lookup (self, id, FALSE);
  if (r == NULL || r->phase < 0)
    return FALSE;
  reading->fraction = r->fraction;
  reading->rows = r->rows;
  reading->elapsed = (double) (now - r->started) / G_USEC_PER_SEC;
  pass = (double) (now - r->pass_started) / G_USEC_PER_SEC;
  reading->rate = pass >= MIN_PASS_S ? (double) r->rows / pass : 0;
  reading->seconds_left = reading->elapsed >= MIN_ELAPSED_S && r->fraction >= MIN_FRACTION &&
                          r->fraction < 1
                          ? reading->elapsed * (1 - r->fraction) / r->fraction : -1;
  return TRUE;
}

/* A speed, "350 k rows/s". */
char *
winnow_task_meter_format_rate (double rate)
{
  g_autofree char *n = winnow_ui_format_short_count (rate);
  /* Translators: a speed, such as "350 k rows/s" */
  return g_strdup_printf (_("%s rows/s"), n);
}

/**
 * winnow_task_meter_describe:
 * @task: a task; one running here is described by its progress
 *
 * For the task page and a list row's sentence: "1,234,567 rows read ·
 * 350 k rows/s · about 20 s left" (the list's cells say it in parts).
 *
 * Returns: (transfer full) (nullable): how far @task is, or %NULL when it
 *   is not running here (or has not said yet)
 */
char *
winnow_task_meter_describe (WinnowTaskMeter *self, WinnowTask *task)
{
  WinnowMeterReading r;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (WINNOW_IS_TASK_METER (self), NULL);
  if (!winnow_task_meter_read (self, winnow_task_get_id (task), &r))
    return NULL;
  {
    g_autofree char *rows = winnow_ui_format_count ((gint64) r.rows);
    g_string_append_printf (text, ngettext ("%s row read", "%s rows read", (gulong) r.rows), rows);
  }
  if (r.rate > 0)
    {
      g_autofree char *rate = winnow_task_meter_format_rate (r.rate);
      g_string_append_printf (text, " · %s", rate);
    }
  if (r.seconds_left >= 0)
    {
      g_autofree char *left = winnow_ui_format_duration (r.seconds_left);
      /* Translators: a time left, such as "20 s left" */
      g_string_append_printf (text, _(" · about %s left"), left);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * winnow_task_meter_describe_finished:
 *
 * Returns: (transfer full) (nullable): a finished task's duration and
 *   rate, "3.2 s · 625 k rows/s"; %NULL when they are not known
 */
char *
winnow_task_meter_describe_finished (WinnowTask *task)
{
  double seconds = winnow_task_get_duration (task);
  gint64 rows = winnow_task_get_rows_in (task);
  g_autofree char *time = NULL;
  g_autofree char *rate = NULL;

  if (seconds < 0)
    return NULL;
  time = winnow_ui_format_duration (seconds);
  if (rows <= 0 || seconds < 0.01)
    return g_steal_pointer (&time);
  rate = winnow_task_meter_format_rate ((double) rows / seconds);
  return g_strdup_printf ("%s · %s", time, rate);
}
