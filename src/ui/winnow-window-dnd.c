/* winnow-window-dnd.c: files dropped on the main window. The whole window
 * takes them; while a drag is over it, an overlay says it will. What is
 * dropped goes where opened files go: winnow_window_add_files(). */
#include "config.h"

#include "winnow-window-private.h"

static GdkDragAction
on_drop_enter (GtkDropTarget *target, double x, double y, WinnowWindow *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target, WinnowWindow *self)
{
  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, WinnowWindow *self)
{
  GSList *files = g_value_get_boxed (value);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  gtk_revealer_set_reveal_child (self->drop_revealer, FALSE);
  for (GSList *l = files; l; l = l->next)
    g_ptr_array_add (list, l->data);
  /* refused files are said in a toast: the drop itself was taken */
  return winnow_window_add_files (self, list) > 0 || list->len > 0;
}

void
_winnow_window_init_dnd (WinnowWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
