/* winnow-column-chart.c: see winnow-column-chart.h.
 *
 * The bars take the widget's CSS colour (style.css gives it the accent
 * colour), the missing share the theme's warning colour over a track of
 * the text colour: a change of style changes the CSS colour, which GTK
 * answers with a redraw, so the chart follows light and dark. */
#include "config.h"

#include "winnow-column-chart.h"

#include <glib/gi18n.h>
#include <math.h>

#include "winnow-ui-util.h"

/* At most this many bars: narrower ones do not read at a row's size. */
#define MAX_BARS 16
#define MISSING_STRIP 4   /* px, under the bars */
#define GAP 1             /* px between bars */

struct _WinnowColumnChart {
  GtkWidget parent_instance;

  double bars[MAX_BARS];   /* heights, 0 to 1 */
  guint n_bars;
  double missing;          /* share of the rows, 0 to 1; < 0 unknown */
  char *description;
};

G_DEFINE_FINAL_TYPE (WinnowColumnChart, winnow_column_chart, GTK_TYPE_WIDGET)

static void
winnow_column_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  WinnowColumnChart *self = WINNOW_COLUMN_CHART (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot = height - MISSING_STRIP - 2;
  GdkRGBA bar, track, missing;
  double slot;

  if (width <= 0 || height <= MISSING_STRIP)
    return;
  gtk_style_context_get_color (style, &bar);
  track = bar;
  if (!gtk_style_context_lookup_color (style, "window_fg_color", &track))
    track = bar;
  track.alpha = 0.15f;
  if (!gtk_style_context_lookup_color (style, "warning_color", &missing))
    missing = bar;

  slot = self->n_bars > 0 ? width / self->n_bars : width;
  for (guint i = 0; i < self->n_bars; i++)
    {
      double h = MAX (self->bars[i] > 0 ? 1.0 : 0.0, round (self->bars[i] * plot));
      graphene_rect_t rect = GRAPHENE_RECT_INIT ((float) (i * slot), (float) (plot - h),
                                                 (float) MAX (1.0, slot - GAP), (float) h);
      gtk_snapshot_append_color (snapshot, &bar, &rect);
    }

  if (self->missing >= 0)
    {
      double cut = round (width * self->missing);
      graphene_rect_t all = GRAPHENE_RECT_INIT (0, (float) (height - MISSING_STRIP),
                                                (float) width, MISSING_STRIP);
      graphene_rect_t gone = GRAPHENE_RECT_INIT ((float) (width - cut),
                                                 (float) (height - MISSING_STRIP),
                                                 (float) cut, MISSING_STRIP);
      gtk_snapshot_append_color (snapshot, &track, &all);
      if (cut > 0)
        gtk_snapshot_append_color (snapshot, &missing, &gone);
    }
}

static void
winnow_column_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                             int *minimum, int *natural, int *minimum_baseline,
                             int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 48;
      *natural = 96;
    }
  else
    {
      *minimum = 24;
      *natural = 30;
    }
}

static void
winnow_column_chart_finalize (GObject *object)
{
  g_free (WINNOW_COLUMN_CHART (object)->description);
  G_OBJECT_CLASS (winnow_column_chart_parent_class)->finalize (object);
}

static void
winnow_column_chart_class_init (WinnowColumnChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = winnow_column_chart_finalize;
  widget_class->snapshot = winnow_column_chart_snapshot;
  widget_class->measure = winnow_column_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "columnchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
winnow_column_chart_init (WinnowColumnChart *self)
{
  self->missing = -1;
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
winnow_column_chart_new (void)
{
  return g_object_new (WINNOW_TYPE_COLUMN_CHART, NULL);
}

/* ---- from a profile ---- */

/* The profile's bins, grouped into at most MAX_BARS bars (and, for whole
 * numbers, bars at least one wide, so that 1, 2, 3 do not read as
 * gaps); says where most of them are. */
static void
histogram_bars (WinnowColumnChart *self, const WinnowColumnProfile *p, GString *words)
{
  guint group = (p->histogram_bins + MAX_BARS - 1) / MAX_BARS;
  guint64 counts[MAX_BARS] = { 0 }, top = 0;
  guint top_bar = 0;

  if (p->type == WINNOW_COLUMN_INTEGER && p->histogram_width > 0 && p->histogram_width < 1)
    group = MAX (group, (guint) ceil (1 / p->histogram_width));
  group = MAX (group, 1);
  self->n_bars = MIN ((p->histogram_bins + group - 1) / group, MAX_BARS);
  for (guint i = 0; i < p->histogram_bins; i++)
    counts[MIN (i / group, self->n_bars - 1)] += p->histogram[i];
  for (guint i = 0; i < self->n_bars; i++)
    if (counts[i] > top)
      {
        top = counts[i];
        top_bar = i;
      }
  for (guint i = 0; i < self->n_bars; i++)
    self->bars[i] = top > 0 ? (double) counts[i] / (double) top : 0;

  if (self->n_bars > 1 && top > 0)
    {
      double from = MAX (p->min, p->histogram_start + top_bar * group * p->histogram_width);
      double to = MIN (p->max, p->histogram_start + (top_bar + 1) * group * p->histogram_width);
      g_autofree char *low = winnow_ui_format_number (from);
      g_autofree char *high = winnow_ui_format_number (to);
      /* Translators: after "Numbers from 1 to 9"; two numbers */
      g_string_append_printf (words, _(", the most between %s and %s"), low, high);
    }
}

static void
top_value_bars (WinnowColumnChart *self, const WinnowColumnProfile *p, GString *words)
{
  guint64 top = 0;

  self->n_bars = MIN (p->top_values->len, MAX_BARS);
  for (guint i = 0; i < self->n_bars; i++)
    top = MAX (top, ((WinnowTopValue *) g_ptr_array_index (p->top_values, i))->count);
  for (guint i = 0; i < self->n_bars; i++)
    {
      const WinnowTopValue *v = g_ptr_array_index (p->top_values, i);
      g_autofree char *count = winnow_ui_format_count ((gint64) v->count);
      g_autofree char *value = winnow_ui_shorten (v->value, WINNOW_UI_NAME_CHARS);

      self->bars[i] = top > 0 ? (double) v->count / (double) top : 0;
      /* Translators: a value and how many rows hold it, such as "Lyon 3";
       * the list starts "Most frequent:" */
      g_string_append_printf (words, i == 0 ? _(" “%s” %s") : _(", “%s” %s"), value, count);
    }
}

/**
 * winnow_column_chart_set_profile:
 * @profile: (nullable): the column; %NULL draws nothing
 * @n_rows: the rows the profile looked at, for the missing share
 *
 * Draws a histogram for a column of numbers, the most frequent values
 * for any other, and the missing share under them.
 */
void
winnow_column_chart_set_profile (WinnowColumnChart *self, const WinnowColumnProfile *p,
                                 guint64 n_rows)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_autofree char *label = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (WINNOW_IS_COLUMN_CHART (self));

  self->n_bars = 0;
  self->missing = -1;
  if (p == NULL)
    {
      g_clear_pointer (&self->description, g_free);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (p->has_numbers)
    {
      g_autofree char *low = winnow_ui_format_number (p->min);
      g_autofree char *high = winnow_ui_format_number (p->max);

      if (p->min == p->max)
        /* Translators: a column whose numbers are all one number */
        g_string_append_printf (words, _("Every number is %s"), low);
      else
        /* Translators: the smallest and largest number of a column */
        g_string_append_printf (words, _("Numbers from %s to %s"), low, high);
      if (p->histogram_bins > 0)
        histogram_bars (self, p, words);
    }
  else if (p->top_values->len > 0)
    {
      g_string_append (words, _("Most frequent:"));
      top_value_bars (self, p, words);
    }
  else if (p->type == WINNOW_COLUMN_EMPTY)
    g_string_append (words, _("Nothing present"));
  else
    g_string_append (words, _("Every value is rare"));

  if (n_rows > 0)
    {
      guint64 missing = MIN (p->missing_before, n_rows);
      g_autofree char *count = winnow_ui_format_count ((gint64) missing);

      self->missing = (double) missing / (double) n_rows;
      if (missing == 0)
        g_string_append (words, _("; none missing"));
      else
        /* Translators: how many values of a column are missing, and their share */
        g_string_append_printf (words, _("; %s missing (%.0f%%)"), count, 100 * self->missing);
    }

  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&words), FALSE);
  /* Translators: the accessible name of a column's chart */
  name = winnow_ui_shorten (p->name, WINNOW_UI_NAME_CHARS);
  label = g_strdup_printf (_("Chart of %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), self->description);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

