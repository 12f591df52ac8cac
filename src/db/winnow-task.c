/* winnow-task.c: see winnow-task.h. */
#include "config.h"

#include "winnow-task.h"

#include <string.h>

struct _WinnowTask {
  GObject parent_instance;

  gint64 id;
  char *input_path;
  char *output_path;
  char *file_name;
  WinnowTaskStatus status;
  char *recipe;
  GDateTime *created;
  GDateTime *started;
  GDateTime *finished;
  double progress;
  guint attempts;
  char *error;
  gint64 rows_in;
  gint64 rows_out;
  double duration;
  char *lease_owner;
  WinnowTaskResult *result;
  gboolean replace_output;
};

G_DEFINE_FINAL_TYPE (WinnowTask, winnow_task, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (WinnowTaskStatus, winnow_task_status,
  G_DEFINE_ENUM_VALUE (WINNOW_TASK_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (WINNOW_TASK_PROCESSING, "processing"),
  G_DEFINE_ENUM_VALUE (WINNOW_TASK_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (WINNOW_TASK_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (WINNOW_TASK_CANCELLED, "cancelled"))

enum {
  PROP_0,
  PROP_ID,
  PROP_INPUT_PATH,
  PROP_OUTPUT_PATH,
  PROP_FILE_NAME,
  PROP_STATUS,
  PROP_RECIPE,
  PROP_CREATED,
  PROP_STARTED,
  PROP_FINISHED,
  PROP_PROGRESS,
  PROP_ATTEMPTS,
  PROP_ERROR,
  PROP_ROWS_IN,
  PROP_ROWS_OUT,
  PROP_DURATION,
  PROP_LEASE_OWNER,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The names the database stores (docs/ARCHITECTURE.md, "Task lifecycle"). */
static const char * const status_names[] = {
  "PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED",
};

const char *
winnow_task_status_to_string (WinnowTaskStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), "PENDING");
  return status_names[status];
}

gboolean
winnow_task_status_from_string (const char *text, WinnowTaskStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *status = (WinnowTaskStatus) i;
        return TRUE;
      }
  return FALSE;
}

/* COMPLETED, FAILED and CANCELLED: nothing more will happen by itself. */
gboolean
winnow_task_status_is_final (WinnowTaskStatus status)
{
  return status == WINNOW_TASK_COMPLETED || status == WINNOW_TASK_FAILED ||
         status == WINNOW_TASK_CANCELLED;
}

static void
winnow_task_finalize (GObject *object)
{
  WinnowTask *self = WINNOW_TASK (object);

  g_free (self->input_path);
  g_free (self->output_path);
  g_free (self->file_name);
  g_free (self->recipe);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  g_free (self->error);
  g_free (self->lease_owner);
  g_clear_pointer (&self->result, winnow_task_result_free);

  G_OBJECT_CLASS (winnow_task_parent_class)->finalize (object);
}

static void
winnow_task_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WinnowTask *self = WINNOW_TASK (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_INPUT_PATH: g_value_set_string (value, self->input_path); break;
    case PROP_OUTPUT_PATH: g_value_set_string (value, self->output_path); break;
    case PROP_FILE_NAME: g_value_set_string (value, self->file_name); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_RECIPE: g_value_set_string (value, self->recipe); break;
    case PROP_CREATED: g_value_set_boxed (value, self->created); break;
    case PROP_STARTED: g_value_set_boxed (value, self->started); break;
    case PROP_FINISHED: g_value_set_boxed (value, self->finished); break;
    case PROP_PROGRESS: g_value_set_double (value, self->progress); break;
    case PROP_ATTEMPTS: g_value_set_uint (value, self->attempts); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_ROWS_IN: g_value_set_int64 (value, self->rows_in); break;
    case PROP_ROWS_OUT: g_value_set_int64 (value, self->rows_out); break;
    case PROP_DURATION: g_value_set_double (value, self->duration); break;
    case PROP_LEASE_OWNER: g_value_set_string (value, self->lease_owner); break;
    case PROP_RESULT: g_value_set_boxed (value, self->result); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
winnow_task_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  WinnowTask *self = WINNOW_TASK (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_get_int64 (value); break;
    case PROP_INPUT_PATH: winnow_task_set_input_path (self, g_value_get_string (value)); break;
    case PROP_OUTPUT_PATH: winnow_task_set_output_path (self, g_value_get_string (value)); break;
    case PROP_STATUS: winnow_task_set_status (self, g_value_get_enum (value)); break;
    case PROP_RECIPE: winnow_task_set_recipe (self, g_value_get_string (value)); break;
    case PROP_CREATED: winnow_task_set_created (self, g_value_get_boxed (value)); break;
    case PROP_STARTED: winnow_task_set_started (self, g_value_get_boxed (value)); break;
    case PROP_FINISHED: winnow_task_set_finished (self, g_value_get_boxed (value)); break;
    case PROP_PROGRESS: winnow_task_set_progress (self, g_value_get_double (value)); break;
    case PROP_ATTEMPTS: winnow_task_set_attempts (self, g_value_get_uint (value)); break;
    case PROP_ERROR: winnow_task_set_error (self, g_value_get_string (value)); break;
    case PROP_DURATION: winnow_task_set_duration (self, g_value_get_double (value)); break;
    case PROP_LEASE_OWNER: winnow_task_set_lease_owner (self, g_value_get_string (value)); break;
    case PROP_RESULT: winnow_task_set_result (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
winnow_task_class_init (WinnowTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = winnow_task_finalize;
  object_class->get_property = winnow_task_get_property;
  object_class->set_property = winnow_task_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INPUT_PATH] = g_param_spec_string ("input-path", NULL, NULL, NULL, rw);
  properties[PROP_OUTPUT_PATH] = g_param_spec_string ("output-path", NULL, NULL, NULL, rw);
  properties[PROP_FILE_NAME] = g_param_spec_string ("file-name", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, WINNOW_TYPE_TASK_STATUS, WINNOW_TASK_PENDING, rw);
  properties[PROP_RECIPE] = g_param_spec_string ("recipe", NULL, NULL, NULL, rw);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_STARTED] = g_param_spec_boxed ("started", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_FINISHED] = g_param_spec_boxed ("finished", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, rw);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, rw);
  properties[PROP_ROWS_IN] = g_param_spec_int64 ("rows-in", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_ROWS_OUT] = g_param_spec_int64 ("rows-out", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_DURATION] = g_param_spec_double ("duration", NULL, NULL, -1, G_MAXDOUBLE, -1, rw);
  properties[PROP_LEASE_OWNER] = g_param_spec_string ("lease-owner", NULL, NULL, NULL, rw);
  properties[PROP_RESULT] =
    g_param_spec_boxed ("result", NULL, NULL, WINNOW_TYPE_TASK_RESULT, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
winnow_task_init (WinnowTask *self)
{
  self->rows_in = -1;
  self->rows_out = -1;
  self->duration = -1;
}

/**
 * winnow_task_new:
 * Returns: (transfer full): an empty task with this id
 */
WinnowTask *
winnow_task_new (gint64 id)
{
  return g_object_new (WINNOW_TYPE_TASK, "id", id, NULL);
}

gint64 winnow_task_get_id (WinnowTask *task) { return task->id; }
const char *winnow_task_get_input_path (WinnowTask *task) { return task->input_path; }
const char *winnow_task_get_output_path (WinnowTask *task) { return task->output_path; }
const char *winnow_task_get_file_name (WinnowTask *task) { return task->file_name; }
WinnowTaskStatus winnow_task_get_status (WinnowTask *task) { return task->status; }
const char *winnow_task_get_recipe (WinnowTask *task) { return task->recipe; }
GDateTime *winnow_task_get_created (WinnowTask *task) { return task->created; }
GDateTime *winnow_task_get_started (WinnowTask *task) { return task->started; }
GDateTime *winnow_task_get_finished (WinnowTask *task) { return task->finished; }
double winnow_task_get_progress (WinnowTask *task) { return task->progress; }
guint winnow_task_get_attempts (WinnowTask *task) { return task->attempts; }
const char *winnow_task_get_error (WinnowTask *task) { return task->error; }
gint64 winnow_task_get_rows_in (WinnowTask *task) { return task->rows_in; }
gint64 winnow_task_get_rows_out (WinnowTask *task) { return task->rows_out; }
double winnow_task_get_duration (WinnowTask *task) { return task->duration; }
const char *winnow_task_get_lease_owner (WinnowTask *task) { return task->lease_owner; }
WinnowTaskResult *winnow_task_get_result (WinnowTask *task) { return task->result; }
gboolean winnow_task_get_replace_output (WinnowTask *task) { return task->replace_output; }

/* Whether the task may replace an existing file at its output path. */
void
winnow_task_set_replace_output (WinnowTask *task, gboolean replace)
{
  task->replace_output = replace;
}

static void
set_string (WinnowTask *task, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (task), properties[prop]);
}

static void
set_time (WinnowTask *task, GDateTime **field, GDateTime *value, guint prop)
{
  if (*field == value || (*field && value && g_date_time_equal (*field, value)))
    return;
  g_clear_pointer (field, g_date_time_unref);
  *field = value ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (task), properties[prop]);
}

void
winnow_task_set_input_path (WinnowTask *task, const char *path)
{
  g_autofree char *name = path ? g_path_get_basename (path) : NULL;

  set_string (task, &task->input_path, path, PROP_INPUT_PATH);
  set_string (task, &task->file_name, name, PROP_FILE_NAME);
}

void
winnow_task_set_output_path (WinnowTask *task, const char *path)
{
  set_string (task, &task->output_path, path, PROP_OUTPUT_PATH);
}

void
winnow_task_set_status (WinnowTask *task, WinnowTaskStatus status)
{
  if (task->status == status)
    return;
  task->status = status;
  g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_STATUS]);
}

void
winnow_task_set_recipe (WinnowTask *task, const char *json)
{
  set_string (task, &task->recipe, json, PROP_RECIPE);
}

void
winnow_task_set_created (WinnowTask *task, GDateTime *time)
{
  set_time (task, &task->created, time, PROP_CREATED);
}

void
winnow_task_set_started (WinnowTask *task, GDateTime *time)
{
  set_time (task, &task->started, time, PROP_STARTED);
}

void
winnow_task_set_finished (WinnowTask *task, GDateTime *time)
{
  set_time (task, &task->finished, time, PROP_FINISHED);
}

void
winnow_task_set_progress (WinnowTask *task, double progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (task->progress == progress)
    return;
  task->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_PROGRESS]);
}

void
winnow_task_set_attempts (WinnowTask *task, guint attempts)
{
  if (task->attempts == attempts)
    return;
  task->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_ATTEMPTS]);
}

void
winnow_task_set_error (WinnowTask *task, const char *error)
{
  set_string (task, &task->error, error, PROP_ERROR);
}

/* -1 for "not known yet". */
void
winnow_task_set_rows (WinnowTask *task, gint64 rows_in, gint64 rows_out)
{
  if (task->rows_in != rows_in)
    {
      task->rows_in = rows_in;
      g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_ROWS_IN]);
    }
  if (task->rows_out != rows_out)
    {
      task->rows_out = rows_out;
      g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_ROWS_OUT]);
    }
}

void
winnow_task_set_duration (WinnowTask *task, double seconds)
{
  if (task->duration == seconds)
    return;
  task->duration = seconds;
  g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_DURATION]);
}

void
winnow_task_set_lease_owner (WinnowTask *task, const char *owner)
{
  set_string (task, &task->lease_owner, owner, PROP_LEASE_OWNER);
}

/* Takes a copy of @result (or clears it with %NULL). */
void
winnow_task_set_result (WinnowTask *task, WinnowTaskResult *result)
{
  if (winnow_task_result_equal (task->result, result))
    return;
  g_clear_pointer (&task->result, winnow_task_result_free);
  task->result = result ? winnow_task_result_copy (result) : NULL;
  g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_RESULT]);
}

/**
 * winnow_task_fill_placeholder:
 * @placeholder: a task of id 0, standing for a row not read yet
 * @task: the task read for that row
 *
 * Makes @placeholder the task @task is, its id included: a list's row
 * bound to the placeholder shows the task without being made again.
 */
void
winnow_task_fill_placeholder (WinnowTask *placeholder, WinnowTask *task)
{
  g_return_if_fail (WINNOW_IS_TASK (placeholder));
  g_return_if_fail (WINNOW_IS_TASK (task));
  g_return_if_fail (placeholder->id == 0);

  g_object_freeze_notify (G_OBJECT (placeholder));
  placeholder->id = task->id;
  g_object_notify_by_pspec (G_OBJECT (placeholder), properties[PROP_ID]);
  winnow_task_update_from (placeholder, task);
  g_object_thaw_notify (G_OBJECT (placeholder));
}

/**
 * winnow_task_become:
 * @task: a list's object for one place in the list
 * @other: the task that stands there now
 *
 * Makes @task a copy of @other, its id and result included, notifying
 * only what changed.
 */
void
winnow_task_become (WinnowTask *task, WinnowTask *other)
{
  g_return_if_fail (WINNOW_IS_TASK (task));
  g_return_if_fail (WINNOW_IS_TASK (other));

  g_object_freeze_notify (G_OBJECT (task));
  if (task->id != other->id)
    {
      task->id = other->id;
      g_object_notify_by_pspec (G_OBJECT (task), properties[PROP_ID]);
    }
  winnow_task_update_from (task, other);
  winnow_task_set_result (task, other->result);
  g_object_thaw_notify (G_OBJECT (task));
}

/* Copies every field of @other (the same task, read again) into @task,
 * notifying only what changed. The result is kept unless @other has one. */
void
winnow_task_update_from (WinnowTask *task, WinnowTask *other)
{
  g_object_freeze_notify (G_OBJECT (task));
  winnow_task_set_input_path (task, other->input_path);
  winnow_task_set_output_path (task, other->output_path);
  winnow_task_set_status (task, other->status);
  winnow_task_set_recipe (task, other->recipe);
  winnow_task_set_created (task, other->created);
  winnow_task_set_started (task, other->started);
  winnow_task_set_finished (task, other->finished);
  winnow_task_set_progress (task, other->progress);
  winnow_task_set_attempts (task, other->attempts);
  winnow_task_set_error (task, other->error);
  winnow_task_set_rows (task, other->rows_in, other->rows_out);
  winnow_task_set_duration (task, other->duration);
  winnow_task_set_lease_owner (task, other->lease_owner);
  task->replace_output = other->replace_output;
  if (other->result != NULL)
    winnow_task_set_result (task, other->result);
  g_object_thaw_notify (G_OBJECT (task));
}
