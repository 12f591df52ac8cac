/* winnow-task-table-private.h: what the two rooms of the task list
 * widget share (winnow-task-table.c: the object, its filters, sorting
 * and the two views; winnow-task-table-cells.c: what a row shows, in
 * the table's cells and in the narrow two-line rows, and how it reads to
 * a screen reader), and the hooks its tests and benchmarks use. */
#pragma once

#include "winnow-task-meter.h"
#include "winnow-task-rows.h"
#include "winnow-task-table.h"

G_BEGIN_DECLS

struct _WinnowTaskTable {
  GtkWidget parent_instance;

  AdwSqueezer *filters_squeezer;
  GtkWidget *wide_filters;
  GtkMenuButton *range_button;
  GtkMenuButton *filter_button;
  GtkSearchEntry *search_entry;
  GtkStack *stack;
  AdwSqueezer *views;
  GtkColumnView *column_view;
  GtkListView *compact_view;

  WinnowTaskList *list;
  WinnowTaskRows *rows;      /* what the views show: a row object per place */
  WinnowTaskMeter *meter;
  GtkSingleSelection *selection;
  GPtrArray *probes;
  guint give_rows_source;
  GdkFrameClock *layout_clock;  /* while realized (winnow-task-table-cells.c) */
  gulong layout_handler;
  gint64 selected_id;        /* the selected task's, 0 for none */
  guint statuses;            /* bits (1 << WinnowTaskStatus); 0 for all */
  char *range;               /* "any", "today", "week", "month" or "year" */
};

/* winnow-task-table.c */
void  _winnow_task_table_append_column (WinnowTaskTable *self,
                                        const char *title,
                                        GtkListItemFactory *factory,
                                        WinnowTaskSort key,
                                        gboolean expand,
                                        int width);

/* winnow-task-table-cells.c */
void  _winnow_task_table_add_columns   (WinnowTaskTable *self);
GtkListItemFactory *_winnow_task_table_compact_factory (WinnowTaskTable *self);

/* For tests and benchmarks. */
GtkColumnView      *winnow_task_table_get_column_view (WinnowTaskTable *table);
GtkSingleSelection *winnow_task_table_get_selection   (WinnowTaskTable *table);
void                winnow_task_table_set_filter      (WinnowTaskTable *table,
                                                       guint statuses,
                                                       const char *name);
gboolean            winnow_task_table_is_compact      (WinnowTaskTable *table);
void                winnow_task_table_count_queued_cells (WinnowTaskTable *table,
                                                          guint *in_view_cells,
                                                          guint *other_cells);
GPtrArray          *winnow_task_table_get_queued_cells (WinnowTaskTable *table);

G_END_DECLS
