/* winnow-column-picker.c: see winnow-column-picker.h. */
#include "config.h"

#include "winnow-column-picker.h"
#include "winnow-column-picker-private.h"
#include "winnow-ui-util.h"

#include <glib/gi18n.h>

struct _WinnowColumnPicker {
  AdwBin parent_instance;

  GtkMenuButton *button;
  GtkLabel *label;
  GtkBox *list;
  GPtrArray *checks;     /* of GtkCheckButton*, in column order */
  GPtrArray *selected;   /* of char*: may name columns not (yet) listed */
  gboolean syncing;
};

G_DEFINE_FINAL_TYPE (WinnowColumnPicker, winnow_column_picker, ADW_TYPE_BIN)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The selection as a set, for ticking many boxes: a recipe's subset can
 * name a column a million times, and a file can have 100,000 of them. */
static GHashTable *
selected_set (WinnowColumnPicker *self)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->selected->len; i++)
    g_hash_table_add (set, g_ptr_array_index (self->selected, i));
  return set;
}

/* The column a check stands for (its label shows the start of a long
 * name only). */
static const char *
check_column (GtkCheckButton *check)
{
  return g_object_get_data (G_OBJECT (check), "winnow-column");
}

static void
update_label (WinnowColumnPicker *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (self->selected->len == 0)
    {
      gtk_label_set_label (self->label, _("All columns"));
      return;
    }
  for (guint i = 0; i < self->selected->len; i++)
    {
      g_autofree char *shown = winnow_ui_shorten (g_ptr_array_index (self->selected, i),
                                                  WINNOW_UI_NAME_CHARS);
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", shown);
    }
  gtk_label_set_label (self->label, names->str);
}

static void
on_toggled (GtkCheckButton *check, WinnowColumnPicker *self)
{
  if (self->syncing)
    return;
  /* the ticked columns, in the file's order */
  g_ptr_array_set_size (self->selected, 0);
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *c = g_ptr_array_index (self->checks, i);
      if (gtk_check_button_get_active (c))
        g_ptr_array_add (self->selected, g_strdup (check_column (c)));
    }
  update_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
winnow_column_picker_dispose (GObject *object)
{
  WinnowColumnPicker *self = WINNOW_COLUMN_PICKER (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_ptr_array_unref);
  G_OBJECT_CLASS (winnow_column_picker_parent_class)->dispose (object);
}

static void
winnow_column_picker_class_init (WinnowColumnPickerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = winnow_column_picker_dispose;
  /**
   * WinnowColumnPicker::changed:
   *
   * The user ticked or unticked a column.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
winnow_column_picker_init (WinnowColumnPicker *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->checks = g_ptr_array_new ();
  self->selected = g_ptr_array_new_with_free_func (g_free);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->label, 24);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("pan-down-symbolic"));

  self->list = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_child (self->button, box);
  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Columns"), -1);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));
  update_label (self);
}

GtkWidget *
winnow_column_picker_new (void)
{
  return g_object_new (WINNOW_TYPE_COLUMN_PICKER, NULL);
}

/* @columns: of char*, the file's columns */
void
winnow_column_picker_set_columns (WinnowColumnPicker *self, GPtrArray *columns)
{
  g_autoptr(GHashTable) set = selected_set (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_box_remove (self->list, child);
  g_ptr_array_set_size (self->checks, 0);
  self->syncing = TRUE;
  for (guint i = 0; columns != NULL && i < columns->len; i++)
    {
      const char *name = g_ptr_array_index (columns, i);
      g_autofree char *shown = winnow_ui_shorten (name, WINNOW_UI_NAME_CHARS);
      GtkWidget *check = gtk_check_button_new_with_label (shown);

      g_object_set_data_full (G_OBJECT (check), "winnow-column", g_strdup (name), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (set, name));
      g_signal_connect (check, "toggled", G_CALLBACK (on_toggled), self);
      gtk_box_append (self->list, check);
      g_ptr_array_add (self->checks, check);
    }
  self->syncing = FALSE;
}

/* @selected: of char*; empty or %NULL for all columns */
void
winnow_column_picker_set_selected (WinnowColumnPicker *self, GPtrArray *selected)
{
  g_autoptr(GHashTable) set = NULL;

  g_ptr_array_set_size (self->selected, 0);
  for (guint i = 0; selected != NULL && i < selected->len; i++)
    g_ptr_array_add (self->selected, g_strdup (g_ptr_array_index (selected, i)));
  set = selected_set (self);
  self->syncing = TRUE;
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      gtk_check_button_set_active (check,
                                   g_hash_table_contains (set, check_column (check)));
    }
  self->syncing = FALSE;
  update_label (self);
}

/* Returns: (transfer none): the ticked columns, of char*; empty for all */
GPtrArray *
winnow_column_picker_get_selected (WinnowColumnPicker *self)
{
  return self->selected;
}

/* For tests: the tick box of @column, or %NULL. */
GtkCheckButton *
winnow_column_picker_get_check (WinnowColumnPicker *self, const char *column)
{
  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);
      if (g_str_equal (check_column (check), column))
        return check;
    }
  return NULL;
}
