/* test-ui-reach.c: every control within reach: at 360 px wide, the list
 * and the task page keep all their actions (in menus where room runs
 * out); from the keyboard, Ctrl+F reaches the search, Escape clears it
 * and Tab leaves the list in one press; and the thread that draws asks
 * the kernel for a core at once when it wakes. Runs under Xvfb, one test
 * per process (see test-ui.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "test-ui-fixture.h"
#include "winnow-thread-slice.h"

/* The actions a menu model names, in all its sections, as "a|b|…". */
static void
collect_actions (GMenuModel *menu, GString *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_string_append_printf (out, "%s|", action);
      if (section != NULL)
        collect_actions (section, out);
    }
}

/* Shown, and not cut off by the edges of @page. */
static gboolean
reachable (GtkWidget *widget, GtkWidget *page)
{
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (widget) && gtk_widget_compute_bounds (widget, page, &bounds) &&
         bounds.origin.x >= 0 && bounds.size.width >= gtk_widget_get_width (widget) - 0.5 &&
         bounds.origin.x + bounds.size.width <= gtk_widget_get_width (page) + 0.5;
}

typedef struct {
  GtkWidget *page;
  GtkWidget *widgets[5];
} Reach;

/* Every widget of @data reachable, once the window has been laid out
 * at its new width. */
static gboolean
all_reachable (gpointer data)
{
  Reach *reach = data;

  for (guint i = 0; i < G_N_ELEMENTS (reach->widgets) && reach->widgets[i] != NULL; i++)
    if (!reachable (reach->widgets[i], reach->page))
      return FALSE;
  return TRUE;
}

static gboolean
narrow (gpointer data)
{
  WinnowTaskTable *t = data;
  int width = gtk_widget_get_width (GTK_WIDGET (t));
  return width > 0 && width <= 360 && winnow_task_table_is_compact (t);
}

static gboolean
page_narrow (gpointer data)
{
  int width = gtk_widget_get_width (data);
  return width > 0 && width <= 360;
}

/* Issue 16: from 360 px wide, the list is two-line rows under a Filter
 * menu, and every action of the list and of the task page can be
 * reached. */
static void
test_narrow (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) list = NULL;
  WinnowTaskTable *t = table (f);
  WinnowTaskPage *page = WINNOW_TASK_PAGE (winnow_window_get_task_page (f->window));
  g_autoptr(GString) actions = g_string_new ("|");
  static const char * const table_actions[] = {
    "table.show-queued", "table.show-running", "table.show-completed", "table.show-failed",
    "table.show-cancelled", "table.range", "table.clear-filters",
  };
  static const char * const task_actions[] = {
    "task.open", "task.show-folder", "task.open-rejects", "task.copy-path", "task.retry",
    "task.rerun", "task.export-code", "task.cancel", "task.delete",
  };

  write_csv (f, "people.csv", "id,name\n1,Ana\n1,Ana\n2,Ben\n");
  list = files (f, "people.csv", NULL);
  winnow_window_add_files (f->window, list);
  press_clean (f);
  settle (f, 1);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
  iterate_until (narrow, t, 30);

  /* the list: the Filter menu instead of the bar, the search, the rows */
  g_assert_true (adw_squeezer_get_visible_child (t->filters_squeezer) == GTK_WIDGET (t->filter_button));
  {
    Reach reach = { GTK_WIDGET (t), { GTK_WIDGET (t->filter_button), GTK_WIDGET (t->search_entry),
                                      GTK_WIDGET (t->compact_view) } };
    iterate_until (all_reachable, &reach, 30);
  }
  collect_actions (gtk_menu_button_get_menu_model (t->filter_button), actions);
  for (guint i = 0; i < G_N_ELEMENTS (table_actions); i++)
    {
      g_autofree char *item = g_strdup_printf ("|%s|", table_actions[i]);
      g_assert_nonnull (strstr (actions->str, item));
    }
  /* a filter from the menu works as the bar's buttons do */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t), "table.show-failed", NULL));
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t), "table.clear-filters", NULL));
  winnow_ui_test_settle (f->app);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 1);

  /* the task page: its buttons within the window, the rest in its menu */
  winnow_window_show_task (f->window, winnow_task_get_id (row (f, 0)));
  winnow_ui_test_settle (f->app);
  iterate_until (page_narrow, page, 30);
  g_assert_cmpstr (gtk_label_get_text (page->status_label), ==, "Completed");
  {
    Reach reach = { GTK_WIDGET (page), { page->open_button, page->folder_button,
                                         page->delete_button, page->menu_button } };
    iterate_until (all_reachable, &reach, 30);
  }
  g_string_assign (actions, "|");
  collect_actions (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (page->menu_button)), actions);
  for (guint i = 0; i < G_N_ELEMENTS (task_actions); i++)
    {
      g_autofree char *item = g_strdup_printf ("|%s|", task_actions[i]);
      g_assert_nonnull (strstr (actions->str, item));
    }
  /* what cannot apply to a finished task is not offered */
  g_assert_false (gtk_widget_get_visible (page->cancel_button));
  g_assert_false (gtk_widget_get_visible (page->retry_button));
}

static gboolean
focus_in (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Presses @keyval (with @modifiers) on @widget, as its shortcut
 * controllers would have it: the action of the shortcut it triggers. */
static gboolean
press_shortcut (GtkWidget *widget, guint keyval, GdkModifierType modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* Issue 16, item 6: Tab leaves the list of tasks in one press, forward
 * and back, instead of walking through every row. */
static void
test_tab_leaves_list (Fixture *f, gconstpointer data)
{
  GtkWidget *view = GTK_WIDGET (winnow_task_table_get_column_view (table (f)));

  clean_three (f);

  g_assert_true (gtk_widget_grab_focus (view));
  g_assert_true (focus_in (view));
  g_assert_true (press_shortcut (view, GDK_KEY_Tab, 0));
  g_assert_false (focus_in (view));
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (f->window)));
  /* and Shift+Tab from the list goes back before it */
  g_assert_true (gtk_widget_grab_focus (view));
  g_assert_true (press_shortcut (view, GDK_KEY_Tab, GDK_SHIFT_MASK));
  g_assert_false (focus_in (view));
  g_assert_true (focus_in (GTK_WIDGET (table (f)->search_entry)) ||
                 focus_in (GTK_WIDGET (table (f)->filters_squeezer)));
}

/* Issue 16, item 6: Ctrl+F reaches the search from anywhere, Escape
 * there clears it. */
static void
test_search_keys (Fixture *f, gconstpointer data)
{
  WinnowTaskTable *t = table (f);
  GtkWidget *focus;

  winnow_window_show_task (f->window, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  g_assert_cmpstr (winnow_window_get_visible_page (f->window), ==, "list");
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (t->search_entry) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (t->search_entry)));
  gtk_editable_set_text (GTK_EDITABLE (t->search_entry), "people");
  g_signal_emit_by_name (t->search_entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (t->search_entry)), ==, "");
}

#ifdef WINNOW_HAVE_THREAD_SLICE
/* The calling thread's time slice in nanoseconds, or 0; its policy in
 * *@policy when not NULL. */
static guint64
thread_slice (guint32 *policy)
{
  WinnowSchedAttr attr;

  if (!winnow_sched_attr_get (&attr))
    return 0;
  if (policy != NULL)
    *policy = attr.sched_policy;
  return attr.sched_runtime;
}

static gpointer
read_thread_slice (gpointer data)
{
  return g_memdup2 ((guint64[]) { thread_slice (NULL) }, sizeof (guint64));
}
#endif

/* The thread that draws runs with short time slices, so that it takes a
 * core at once when it wakes while cleaning keeps every core busy; the
 * threads it starts keep the default (docs/ARCHITECTURE.md,
 * "Scheduler"). Linux 6.12 and later. */
static void
test_drawing_thread_slice (Fixture *f, gconstpointer data)
{
#ifdef WINNOW_HAVE_THREAD_SLICE
  struct utsname name;
  int major = 0, minor = 0;
  guint32 policy = 0;
  guint64 slice = thread_slice (&policy);
  g_autofree guint64 *started = NULL;

  g_assert_cmpint (uname (&name), ==, 0);
  if (sscanf (name.release, "%d.%d", &major, &minor) != 2 || major < 6 ||
      (major == 6 && minor < 12))
    {
      g_test_skip ("a thread's own time slice needs Linux 6.12");
      return;
    }
  if (policy != SCHED_OTHER)
    {
      g_test_skip ("the window leaves a policy other than the normal one alone");
      return;
    }
  g_assert_cmpuint (slice, ==, WINNOW_APPLICATION_SLICE_NS);
  started = g_thread_join (g_thread_new ("slice", read_thread_slice, NULL));
  g_assert_cmpuint (*started, >, 0);
  g_assert_cmpuint (*started, !=, WINNOW_APPLICATION_SLICE_NS);
#else
  g_test_skip ("Linux only");
#endif
}

int
main (int argc, char **argv)
{
  winnow_ui_test_init (&argc, &argv);

#define ADD FIXTURE_ADD
  ADD ("/reach/narrow", test_narrow);
  ADD ("/reach/search-keys", test_search_keys);
  ADD ("/reach/tab-leaves-list", test_tab_leaves_list);
  ADD ("/reach/drawing-thread-slice", test_drawing_thread_slice);
#undef ADD

  return g_test_run ();
}
