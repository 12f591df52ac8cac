/* winnow-toast.c: taking a toast away safely.
 *
 * libadwaita 1.2 frees a toast's state when its hide animation ends, even
 * while its show animation still runs; when that one ends (or is skipped,
 * as every animation is when the window closes) it touches the freed
 * state and the program crashes. Upstream fixed it in 1.3 (commit
 * 1674ebc9, "Prevent show_done from firing after hide_done"); Debian 12
 * ships 1.2. So the window never dismisses a toast during its show
 * animation: a toast still in the queue goes at once, one on screen once
 * it has been there longer than any show animation (500 ms). The user
 * sees at most a fraction of a second more of a toast that has become
 * moot. */
#include "config.h"

#include "winnow-toast.h"

/* longer than libadwaita's longest show animation (REPLACE_DURATION) */
#define SHOWN_FOR_MS 600

static guint n_pending;
static GQuark dismissing_quark;

/* Is @toast shown now (not waiting in the queue)? */
gboolean
winnow_toast_is_on_screen (AdwToastOverlay *overlay, AdwToast *toast)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(AdwToast) shown = NULL;
      /* the overlay's toast widgets are private, but say their toast */
      GParamSpec *spec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), "toast");

      if (spec == NULL || spec->value_type != ADW_TYPE_TOAST)
        continue;
      g_object_get (child, "toast", &shown, NULL);
      if (shown == toast)
        return TRUE;
    }
  return FALSE;
}

static gboolean
dismiss_later (gpointer data)
{
  AdwToast *toast = data;

  n_pending--;
  adw_toast_dismiss (toast);
  return G_SOURCE_REMOVE;
}

/* Dismisses @toast of @overlay now, or once its show animation is over. */
void
winnow_toast_dismiss (AdwToastOverlay *overlay, AdwToast *toast)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  if (dismissing_quark == 0)
    dismissing_quark = g_quark_from_static_string ("winnow-toast-dismissing");
  if (g_object_get_qdata (G_OBJECT (toast), dismissing_quark) != NULL)
    return;
  if (!winnow_toast_is_on_screen (overlay, toast))
    {
      adw_toast_dismiss (toast);
      return;
    }
  g_object_set_qdata (G_OBJECT (toast), dismissing_quark, GINT_TO_POINTER (1));
  n_pending++;
  g_timeout_add_full (G_PRIORITY_DEFAULT, SHOWN_FOR_MS, dismiss_later,
                      g_object_ref (toast), g_object_unref);
}

/* How many toasts wait to be dismissed, for tests. */
guint
winnow_toast_get_n_pending (void)
{
  return n_pending;
}
