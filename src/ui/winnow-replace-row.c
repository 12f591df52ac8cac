/* winnow-replace-row.c: see winnow-replace-row.h.
 *
 * The row keeps its texts in the order they were ticked or typed (the
 * order the recipe lists them). A row of values per text to tick sits
 * between "Replace these texts" and the entry for another one: first the
 * column's most frequent values in the sample, with how many rows hold
 * them, then the texts typed that are not among them. */
#include "config.h"

#include "winnow-replace-row.h"

#include <glib/gi18n.h>

#include "winnow-ui-names.h"
#include "winnow-ui-util.h"

/* How many of the texts the row's subtitle names before "and N more". */
#define SUMMARY_TEXTS 3

enum { TARGET_TEXT, TARGET_MISSING };

struct _WinnowReplaceRow {
  AdwExpanderRow parent_instance;

  GtkButton *remove_button;
  AdwComboRow *column_row;
  AdwActionRow *value_anchor;
  AdwEntryRow *add_text_row;
  AdwComboRow *target_row;
  AdwEntryRow *to_row;

  GPtrArray *names;        /* of char*: the columns offered */
  GPtrArray *profile;      /* of WinnowColumnProfile*, or NULL until read */
  char *column;
  GPtrArray *from;         /* of char* */
  GPtrArray *value_rows;   /* of AdwActionRow*, each with its "text" */
  char *problem;           /* why the replacement cannot work, or NULL */
  char *problem_text;      /* the text it is about, or NULL */
  char *forecast;
  guint syncing;
};

G_DEFINE_FINAL_TYPE (WinnowReplaceRow, winnow_replace_row, ADW_TYPE_EXPANDER_ROW)

enum { CHANGED, REMOVE_REQUESTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
contains (GPtrArray *texts, const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

static const WinnowColumnProfile *
column_profile (WinnowReplaceRow *self)
{
  for (guint i = 0; self->profile != NULL && self->column != NULL && i < self->profile->len; i++)
    {
      const WinnowColumnProfile *p = g_ptr_array_index (self->profile, i);
      if (g_str_equal (p->name, self->column))
        return p;
    }
  return NULL;
}

/* ---- what the row says ---- */

static char *
quoted (const char *text)
{
  return g_strdup_printf ("“%s”", text);
}

static void
update_heading (WinnowReplaceRow *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *remove_label = NULL;
  guint shown = MIN (self->from->len, SUMMARY_TEXTS);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 self->column != NULL ? self->column : _("Choose a Column"));
  if (self->problem != NULL)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), self->problem);
      gtk_widget_add_css_class (GTK_WIDGET (self), "error");
    }
  else
    {
      const char *to = winnow_replace_row_get_to (self);

      for (guint i = 0; i < shown; i++)
        {
          g_autofree char *text = quoted (g_ptr_array_index (self->from, i));
          if (i > 0)
            g_string_append (summary, ", ");
          g_string_append (summary, text);
        }
      if (self->from->len > shown)
        /* Translators: follows a list of texts, as in "“a”, “b”, “c” and 4 more" */
        g_string_append_printf (summary, ngettext (" and %u more", " and %u more",
                                                   self->from->len - shown),
                                self->from->len - shown);
      if (to != NULL)
        {
          g_autofree char *text = quoted (to);
          /* Translators: texts, then what they become, as in "“NYC” → “New York”" */
          g_string_append_printf (summary, _(" → %s"), text);
        }
      else
        g_string_append (summary, _(" → missing"));
      if (self->forecast != NULL)
        g_string_append_printf (summary, " · %s", self->forecast);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary->str);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
    }
  /* Translators: the accessible name of a button; %s is a column name */
  remove_label = g_strdup_printf (_("Remove the replacement in %s"),
                                  self->column != NULL ? self->column : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);

  for (guint i = 0; i < self->value_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->value_rows, i);
      const char *text = g_object_get_data (G_OBJECT (row), "text");
      gboolean bad = self->problem_text != NULL && g_str_equal (text, self->problem_text);

      if (bad)
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
      if (bad)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), self->problem);
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     g_object_get_data (G_OBJECT (row), "count"));
    }
}

static void
emit_changed (WinnowReplaceRow *self)
{
  update_heading (self);
  if (!self->syncing)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- the values to tick ---- */

static void
on_value_toggled (GtkCheckButton *check, WinnowReplaceRow *self)
{
  const char *text = g_object_get_data (G_OBJECT (check), "text");

  if (self->syncing)
    return;
  if (gtk_check_button_get_active (check))
    {
      if (!contains (self->from, text))
        g_ptr_array_add (self->from, g_strdup (text));
    }
  else
    for (guint i = self->from->len; i-- > 0;)
      if (g_str_equal (g_ptr_array_index (self->from, i), text))
        g_ptr_array_remove_index (self->from, i);
  emit_changed (self);
}

static void
add_value_row (WinnowReplaceRow *self, const char *text, const char *count)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self->add_text_row));
  g_autofree char *title = text[0] != '\0' ? quoted (text) : g_strdup (_("Empty text"));
  /* Translators: the accessible name of a tick box; %s is a text of the file */
  g_autofree char *label = g_strdup_printf (_("Replace %s"), title);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), contains (self->from, text));
  winnow_ui_set_accessible_label (check, label);
  g_object_set_data_full (G_OBJECT (check), "text", g_strdup (text), g_free);
  g_object_set_data_full (G_OBJECT (row), "text", g_strdup (text), g_free);
  g_object_set_data_full (G_OBJECT (row), "count", g_strdup (count), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_value_toggled), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  /* between the heading of the values and the entry for another one */
  gtk_list_box_insert (GTK_LIST_BOX (list), row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->add_text_row)));
  g_ptr_array_add (self->value_rows, row);
}

static void
rebuild_values (WinnowReplaceRow *self)
{
  const WinnowColumnProfile *p = column_profile (self);

  for (guint i = 0; i < self->value_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->value_rows, i));
  g_ptr_array_set_size (self->value_rows, 0);
  self->syncing++;
  for (guint i = 0; p != NULL && i < p->top_values->len; i++)
    {
      const WinnowTopValue *v = g_ptr_array_index (p->top_values, i);
      g_autofree char *n = winnow_ui_format_count ((gint64) v->count);
      /* Translators: how many of the first rows hold a value */
      g_autofree char *count = g_strdup_printf (ngettext ("%s row", "%s rows", (gulong) v->count),
                                                n);
      add_value_row (self, v->value, count);
    }
  for (guint i = 0; i < self->from->len; i++)
    {
      const char *text = g_ptr_array_index (self->from, i);
      gboolean listed = FALSE;

      for (guint k = 0; p != NULL && k < p->top_values->len && !listed; k++)
        listed = g_str_equal (((WinnowTopValue *) g_ptr_array_index (p->top_values, k))->value, text);
      if (!listed)
        add_value_row (self, text, _("Typed"));
    }
  self->syncing--;
  gtk_widget_set_visible (GTK_WIDGET (self->value_anchor), TRUE);
}

/* ---- the controls ---- */

static void
fill_column_choices (WinnowReplaceRow *self)
{
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; self->names != NULL && i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      gtk_string_list_append (items, name);
      if (self->column != NULL && g_str_equal (name, self->column))
        selected = i;
    }
  /* a column the file does not have (a recipe for another file) stays */
  if (self->column != NULL && selected == GTK_INVALID_LIST_POSITION)
    {
      gtk_string_list_append (items, self->column);
      selected = g_list_model_get_n_items (G_LIST_MODEL (items)) - 1;
    }
  self->syncing++;
  adw_combo_row_set_model (self->column_row, G_LIST_MODEL (items));
  adw_combo_row_set_selected (self->column_row, selected);
  self->syncing--;
}

static void
on_column_chosen (AdwComboRow *row, GParamSpec *pspec, WinnowReplaceRow *self)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  if (self->syncing || item == NULL)
    return;
  if (g_strcmp0 (self->column, gtk_string_object_get_string (item)) == 0)
    return;
  g_free (self->column);
  self->column = g_strdup (gtk_string_object_get_string (item));
  /* the texts of one column rarely fit another */
  g_ptr_array_set_size (self->from, 0);
  rebuild_values (self);
  emit_changed (self);
}

static void
on_target_chosen (AdwComboRow *row, GParamSpec *pspec, WinnowReplaceRow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->to_row),
                          adw_combo_row_get_selected (row) == TARGET_TEXT);
  emit_changed (self);
}

static void
on_to_changed (GtkEditable *editable, WinnowReplaceRow *self)
{
  emit_changed (self);
}

static void
on_add_text (WinnowReplaceRow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_text_row)));

  if (text[0] == '\0')
    return;
  winnow_replace_row_add_text (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->add_text_row), "");
}

static void
on_remove_clicked (WinnowReplaceRow *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

/* ---- the object ---- */

static void
winnow_replace_row_finalize (GObject *object)
{
  WinnowReplaceRow *self = WINNOW_REPLACE_ROW (object);

  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->profile, g_ptr_array_unref);
  g_free (self->column);
  g_ptr_array_unref (self->from);
  g_ptr_array_unref (self->value_rows);
  g_free (self->problem);
  g_free (self->problem_text);
  g_free (self->forecast);
  G_OBJECT_CLASS (winnow_replace_row_parent_class)->finalize (object);
}

static void
winnow_replace_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WINNOW_TYPE_REPLACE_ROW);
  G_OBJECT_CLASS (winnow_replace_row_parent_class)->dispose (object);
}

static void
winnow_replace_row_class_init (WinnowReplaceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = winnow_replace_row_dispose;
  object_class->finalize = winnow_replace_row_finalize;

  /**
   * WinnowReplaceRow::changed:
   *
   * The user changed the column, the texts or what they become.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * WinnowReplaceRow::remove-requested:
   *
   * The user pressed the row's Remove button.
   */
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/winnow/Winnow/winnow-replace-row.ui");
  gtk_widget_class_bind_template_child (widget_class, WinnowReplaceRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, WinnowReplaceRow, column_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowReplaceRow, value_anchor);
  gtk_widget_class_bind_template_child (widget_class, WinnowReplaceRow, add_text_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowReplaceRow, target_row);
  gtk_widget_class_bind_template_child (widget_class, WinnowReplaceRow, to_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_text);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
winnow_replace_row_init (WinnowReplaceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->from = g_ptr_array_new_with_free_func (g_free);
  self->value_rows = g_ptr_array_new ();
  g_signal_connect (self->column_row, "notify::selected", G_CALLBACK (on_column_chosen), self);
  g_signal_connect (self->target_row, "notify::selected", G_CALLBACK (on_target_chosen), self);
  g_signal_connect (self->to_row, "changed", G_CALLBACK (on_to_changed), self);
  update_heading (self);
}

GtkWidget *
winnow_replace_row_new (void)
{
  return g_object_new (WINNOW_TYPE_REPLACE_ROW, NULL);
}

/**
 * winnow_replace_row_set_columns:
 * @names: (element-type utf8): the columns a replacement may name (kept ones)
 * @profile: (nullable) (element-type WinnowColumnProfile): the columns in
 *   the sample, for their most frequent values
 */
void
winnow_replace_row_set_columns (WinnowReplaceRow *self, GPtrArray *names, GPtrArray *profile)
{
  g_return_if_fail (WINNOW_IS_REPLACE_ROW (self));
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->profile, g_ptr_array_unref);
  self->names = names != NULL ? g_ptr_array_ref (names) : NULL;
  self->profile = profile != NULL ? g_ptr_array_ref (profile) : NULL;
  fill_column_choices (self);
  rebuild_values (self);
  update_heading (self);
}

/**
 * winnow_replace_row_set_rule:
 * @column: (nullable): the column, or %NULL to choose
 * @from: (element-type utf8): the texts to replace
 * @to: (nullable): what they become; %NULL: a missing value
 */
void
winnow_replace_row_set_rule (WinnowReplaceRow *self, const char *column, GPtrArray *from,
                             const char *to)
{
  g_return_if_fail (WINNOW_IS_REPLACE_ROW (self));
  self->syncing++;
  g_free (self->column);
  self->column = g_strdup (column);
  g_ptr_array_set_size (self->from, 0);
  for (guint i = 0; from != NULL && i < from->len; i++)
    g_ptr_array_add (self->from, g_strdup (g_ptr_array_index (from, i)));
  adw_combo_row_set_selected (self->target_row, to != NULL ? TARGET_TEXT : TARGET_MISSING);
  gtk_widget_set_visible (GTK_WIDGET (self->to_row), to != NULL);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->to_row)), to != NULL ? to : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->to_row), to != NULL ? to : "");
  fill_column_choices (self);
  rebuild_values (self);
  self->syncing--;
  update_heading (self);
}

/* Returns: (nullable): the column, %NULL until one is chosen */
const char *
winnow_replace_row_get_column (WinnowReplaceRow *self)
{
  g_return_val_if_fail (WINNOW_IS_REPLACE_ROW (self), NULL);
  return self->column;
}

/* Returns: (transfer none) (element-type utf8): the texts to replace */
GPtrArray *
winnow_replace_row_get_from (WinnowReplaceRow *self)
{
  g_return_val_if_fail (WINNOW_IS_REPLACE_ROW (self), NULL);
  return self->from;
}

/* Returns: (nullable): what the texts become; %NULL: a missing value */
const char *
winnow_replace_row_get_to (WinnowReplaceRow *self)
{
  g_return_val_if_fail (WINNOW_IS_REPLACE_ROW (self), NULL);
  if (adw_combo_row_get_selected (self->target_row) == TARGET_MISSING)
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (self->to_row));
}

/* Adds @text to the texts replaced, as typing it does. */
void
winnow_replace_row_add_text (WinnowReplaceRow *self, const char *text)
{
  g_return_if_fail (WINNOW_IS_REPLACE_ROW (self));
  g_return_if_fail (text != NULL);
  if (contains (self->from, text))
    return;
  g_ptr_array_add (self->from, g_strdup (text));
  for (guint i = 0; i < self->value_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->value_rows, i);
      if (g_str_equal (g_object_get_data (G_OBJECT (row), "text"), text))
        {
          self->syncing++;
          gtk_check_button_set_active (GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))),
                                       TRUE);
          self->syncing--;
          emit_changed (self);
          return;
        }
    }
  self->syncing++;
  add_value_row (self, text, _("Typed"));
  self->syncing--;
  emit_changed (self);
}

/**
 * winnow_replace_row_set_problem:
 * @problem: (nullable): why the replacement cannot work, or %NULL
 * @text: (nullable): the text of the row it is about
 */
void
winnow_replace_row_set_problem (WinnowReplaceRow *self, const char *problem, const char *text)
{
  g_return_if_fail (WINNOW_IS_REPLACE_ROW (self));
  if (g_strcmp0 (problem, self->problem) == 0 && g_strcmp0 (text, self->problem_text) == 0)
    return;
  g_free (self->problem);
  g_free (self->problem_text);
  self->problem = g_strdup (problem);
  self->problem_text = g_strdup (text);
  update_heading (self);
}

/* Returns: (nullable): why the replacement cannot work, as the row says it */
const char *
winnow_replace_row_get_problem (WinnowReplaceRow *self)
{
  g_return_val_if_fail (WINNOW_IS_REPLACE_ROW (self), NULL);
  return self->problem;
}

/* What the replacement does to the first rows, e.g. "4 cells in the
 * first rows"; %NULL until known. */
void
winnow_replace_row_set_forecast (WinnowReplaceRow *self, const char *forecast)
{
  g_return_if_fail (WINNOW_IS_REPLACE_ROW (self));
  if (g_strcmp0 (forecast, self->forecast) == 0)
    return;
  g_free (self->forecast);
  self->forecast = g_strdup (forecast);
  update_heading (self);
}
