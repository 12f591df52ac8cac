/* winnow-batch-display.c: see winnow-batch-display.h. */
#include "config.h"

#include "winnow-batch-display.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define REDRAW_US (G_USEC_PER_SEC / 10)
#define PLAIN_US G_USEC_PER_SEC
#define BAR_WIDTH 20
#define STATS_WIDTH 44   /* "3,723,448 rows · 1.7 M rows/s · 4 min 5 s left" */

typedef struct {
  gint64 id;
  char *name;
  double fraction;
  guint64 rows;
  WinnowPhase phase;
  gint64 started;         /* first progress of the task, monotonic µs */
  gint64 phase_started;   /* first progress of its current pass */
} Line;

struct _WinnowBatchDisplay {
  gboolean terminal;
  guint n_tasks;
  guint n_done;
  GPtrArray *lines;       /* of Line*, the running tasks in start order */
  guint drawn;            /* lines on screen */
  gint64 last_draw;
};

static void
line_free (gpointer data)
{
  Line *line = data;
  g_free (line->name);
  g_free (line);
}

WinnowBatchDisplay *
winnow_batch_display_new (guint n_tasks, gboolean terminal)
{
  WinnowBatchDisplay *display = g_new0 (WinnowBatchDisplay, 1);

  display->terminal = terminal;
  display->n_tasks = n_tasks;
  display->lines = g_ptr_array_new_with_free_func (line_free);
  return display;
}

void
winnow_batch_display_free (WinnowBatchDisplay *display)
{
  if (display == NULL)
    return;
  g_ptr_array_unref (display->lines);
  g_free (display);
}

static guint
terminal_width (void)
{
  struct winsize size;
  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
    return size.ws_col;
  return 80;
}

static const char *
phase_label (WinnowPhase phase)
{
  switch (phase)
    {
    /* Translators: what a task is doing, in the progress lines; at most 9
     * characters keep the columns aligned */
    case WINNOW_PHASE_SELECTING: return _("selecting");
    case WINNOW_PHASE_ANALYSING: return _("analysing");
    case WINNOW_PHASE_COMMITTING: return _("finishing");
    case WINNOW_PHASE_WRITING:
    default: return _("writing");
    }
}

/* @text padded with spaces to @width characters: printf's "%-9s" counts
 * bytes, which misaligns a translated label with accents. */
static void
append_padded (GString *out, const char *text, guint width)
{
  glong length = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

/* The file name, cut to @width display characters. */
static char *
fit (const char *name, guint width)
{
  glong length = g_utf8_strlen (name, -1);

  if (length <= (glong) width)
    return g_strdup_printf ("%s%*s", name, (int) (width - length), "");
  {
    g_autofree char *head = g_utf8_substring (name, 0, width - 1);
    return g_strconcat (head, "…", NULL);
  }
}

/* 3723448 as "3,723,448": the locale's digit grouping, or commas where
 * it has none (the C locale). */
static char *
group_digits (guint64 n)
{
  const char *separator = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize length = strlen (digits);

  if (separator == NULL || separator[0] == '\0')
    separator = ",";
  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* 1700000 as "1.7 M": two significant digits below 10 of a unit. */
static char *
short_number (double value)
{
  static const char *units[] = { "", " k", " M", " G" };
  guint unit = 0;

  while (value >= 1000 && unit + 1 < G_N_ELEMENTS (units))
    {
      value /= 1000;
      unit++;
    }
  if (unit == 0)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf (value < 9.95 ? "%.1f%s" : "%.0f%s", value, units[unit]);
}

static char *
duration (double seconds)
{
  guint s = (guint) ceil (seconds);

  if (s < 60)
    /* Translators: a duration in seconds, as in "2 s left" */
    return g_strdup_printf (_("%u s"), s);
  if (s < 3600)
    /* Translators: minutes and seconds, as in "4 min 5 s left" */
    return g_strdup_printf (_("%u min %u s"), s / 60, s % 60);
  /* Translators: hours and minutes, as in "1 h 3 min left" */
  return g_strdup_printf (_("%u h %u min"), s / 3600, s % 3600 / 60);
}

/**
 * winnow_batch_display_describe:
 * @rows: rows read in the current pass
 * @fraction: of the whole task, 0 to 1
 * @pass_seconds: time since the current pass began
 * @task_seconds: time since the task began
 *
 * The numbers after a task's bar: "3,723,448 rows · 1.7 M rows/s · 2 s
 * left". The rate comes once the pass has run a quarter of a second, the
 * time left once the task has run a second and done 1 % (the passes of a
 * task differ in speed, so it is the task's elapsed time scaled by what
 * is left of its fraction).
 *
 * Returns: (transfer full): the text
 */
char *
winnow_batch_display_describe (guint64 rows, double fraction, double pass_seconds,
                               double task_seconds)
{
  g_autofree char *count = group_digits (rows);
  GString *out = g_string_new (NULL);

  /* Translators: %s is a count of rows, such as 3,723,448 */
  g_string_append_printf (out, ngettext ("%s row", "%s rows", (gulong) MIN (rows, G_MAXULONG)),
                          count);
  if (pass_seconds >= 0.25)
    {
      g_autofree char *rate = short_number ((double) rows / pass_seconds);
      /* Translators: a speed, such as "1.7 M rows/s" */
      g_string_append_printf (out, _(" · %s rows/s"), rate);
    }
  if (task_seconds >= 1 && fraction >= 0.01 && fraction < 1)
    {
      g_autofree char *left = duration (task_seconds * (1 - fraction) / fraction);
      /* Translators: a duration, such as "2 s left" */
      g_string_append_printf (out, _(" · %s left"), left);
    }
  return g_string_free (out, FALSE);
}

/* Cuts @text at a " · " so that it takes at most @width characters. */
static void
fit_parts (char *text, glong width)
{
  while (g_utf8_strlen (text, -1) > MAX (width, 0))
    {
      char *dot = g_strrstr (text, " · ");
      if (dot == NULL)
        return;
      *dot = '\0';
    }
}

static void
draw (WinnowBatchDisplay *display)
{
  guint width = terminal_width ();
  gint64 now = g_get_monotonic_time ();
  GString *out = g_string_new (NULL);

  /* back to the top of what was drawn */
  if (display->drawn > 0)
    g_string_append_printf (out, "\r\033[%uA", display->drawn);
  else
    g_string_append_c (out, '\r');
  g_string_append_printf (out, "\033[K");
  /* Translators: files finished, then files in all */
  g_string_append_printf (out, ngettext ("%u of %u file done", "%u of %u files done",
                                         display->n_tasks),
                          display->n_done, display->n_tasks);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < display->lines->len; i++)
    {
      Line *line = g_ptr_array_index (display->lines, i);
      g_autofree char *stats = winnow_batch_display_describe (
        line->rows, line->fraction, (double) (now - line->phase_started) / G_USEC_PER_SEC,
        (double) (now - line->started) / G_USEC_PER_SEC);
      /* "  name  phase bar 100%  " then the numbers; the name's width does
       * not follow the numbers, so the bars stay in place; a narrow
       * terminal gets a shorter bar */
      guint bar = width >= 100 ? BAR_WIDTH : BAR_WIDTH / 2;
      glong fixed = 2 + 2 + 9 + 1 + bar + 7;
      guint name_width = (guint) CLAMP ((glong) width - 1 - fixed - STATS_WIDTH, 10, 28);
      g_autofree char *name = fit (line->name, name_width);
      guint filled = (guint) (line->fraction * bar);

      /* a line that wrapped would break the redraw: the last numbers go */
      fit_parts (stats, (glong) width - 1 - fixed - name_width);

      g_string_append_printf (out, "\033[K  %s  ", name);
      append_padded (out, phase_label (line->phase), 9);
      g_string_append_c (out, ' ');
      for (guint k = 0; k < bar; k++)
        g_string_append (out, k < filled ? "█" : "░");
      g_string_append_printf (out, " %3d%%  %s\n", (int) (line->fraction * 100), stats);
    }
  /* lines left over from tasks that finished */
  for (guint i = display->lines->len + 1; i < display->drawn; i++)
    g_string_append (out, "\033[K\n");
  display->drawn = MAX (display->drawn, display->lines->len + 1);
  fputs (out->str, stderr);
  fflush (stderr);
  g_string_free (out, TRUE);
}

static void
plain (WinnowBatchDisplay *display)
{
  for (guint i = 0; i < display->lines->len; i++)
    {
      Line *line = g_ptr_array_index (display->lines, i);
      /* Translators: a file name, what is being done to it ("writing"), the
       * percentage done, then the rows read so far */
      g_printerr (ngettext ("%s: %s %d%% (%llu row)\n", "%s: %s %d%% (%llu rows)\n",
                            (gulong) line->rows),
                  line->name, phase_label (line->phase), (int) (line->fraction * 100),
                  (unsigned long long) line->rows);
    }
}

static void
refresh (WinnowBatchDisplay *display, gboolean force)
{
  gint64 now = g_get_monotonic_time ();

  if (display->terminal)
    {
      if (force || now - display->last_draw >= REDRAW_US)
        {
          display->last_draw = now;
          draw (display);
        }
    }
  else if (display->last_draw == 0 || now - display->last_draw >= PLAIN_US)
    {
      /* the first line only once a task has been running for a second */
      if (display->last_draw == 0)
        display->last_draw = now;
      else
        {
          display->last_draw = now;
          plain (display);
        }
    }
}

void
winnow_batch_display_progress (WinnowBatchDisplay *display, gint64 id, const char *name,
                               double fraction, guint64 rows, WinnowPhase phase)
{
  Line *line = NULL;

  for (guint i = 0; i < display->lines->len && line == NULL; i++)
    if (((Line *) g_ptr_array_index (display->lines, i))->id == id)
      line = g_ptr_array_index (display->lines, i);
  if (line == NULL)
    {
      line = g_new0 (Line, 1);
      line->id = id;
      line->name = g_strdup (name);
      line->started = line->phase_started = g_get_monotonic_time ();
      line->phase = phase;
      g_ptr_array_add (display->lines, line);
    }
  if (phase != line->phase)
    line->phase_started = g_get_monotonic_time ();
  line->fraction = fraction;
  line->rows = rows;
  line->phase = phase;
  refresh (display, FALSE);
}

void
winnow_batch_display_finished (WinnowBatchDisplay *display, gint64 id)
{
  for (guint i = 0; i < display->lines->len; i++)
    if (((Line *) g_ptr_array_index (display->lines, i))->id == id)
      {
        g_ptr_array_remove_index (display->lines, i);
        break;
      }
  display->n_done++;
  if (display->terminal)
    refresh (display, TRUE);
}

/* Removes the live lines before the summary is printed. */
void
winnow_batch_display_clear (WinnowBatchDisplay *display)
{
  if (!display->terminal || display->drawn == 0)
    return;
  g_printerr ("\r\033[%uA\033[J", display->drawn);
  display->drawn = 0;
}
