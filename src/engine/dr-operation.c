/* dr-operation.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-operation.h"

struct _DrOperation
{
  GObject           parent_instance;

  char             *title;
  char             *step;
  double            fraction;
  DrOperationState  state;
  GError           *error;
  GString          *log;
  GCancellable     *cancellable;
  GList            *waiters;  /* GTask, completed when the operation finishes */
};

G_DEFINE_FINAL_TYPE (DrOperation, dr_operation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_STATE,
  PROP_STEP,
  PROP_FRACTION,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

enum {
  LOG,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
dr_operation_finalize (GObject *object)
{
  DrOperation *self = DR_OPERATION (object);

  g_assert (self->waiters == NULL);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->step, g_free);
  g_clear_error (&self->error);
  g_string_free (self->log, TRUE);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dr_operation_parent_class)->finalize (object);
}

static void
dr_operation_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DrOperation *self = DR_OPERATION (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error ? self->error->message : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_operation_class_init (DrOperationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_operation_finalize;
  object_class->get_property = dr_operation_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DR_TYPE_OPERATION_STATE, DR_OPERATION_RUNNING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, -1.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOG] = g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                               NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dr_operation_init (DrOperation *self)
{
  self->fraction = -1.0;
  self->log = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
}

DrOperation *
_dr_operation_new (const char *title)
{
  DrOperation *self = g_object_new (DR_TYPE_OPERATION, NULL);

  self->title = g_strdup (title);
  return self;
}

const char *
dr_operation_get_title (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), NULL);
  return self->title;
}

DrOperationState
dr_operation_get_state (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), DR_OPERATION_FAILED);
  return self->state;
}

gboolean
dr_operation_is_finished (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), TRUE);
  return self->state != DR_OPERATION_RUNNING;
}

const char *
dr_operation_get_step (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), NULL);
  return self->step;
}

double
dr_operation_get_fraction (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), -1.0);
  return self->fraction;
}

const GError *
dr_operation_get_error (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), NULL);
  return self->error;
}

char *
dr_operation_dup_log (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), NULL);
  return g_strndup (self->log->str, self->log->len);
}

void
dr_operation_cancel (DrOperation *self)
{
  g_return_if_fail (DR_IS_OPERATION (self));
  g_cancellable_cancel (self->cancellable);
}

GCancellable *
_dr_operation_get_cancellable (DrOperation *self)
{
  g_return_val_if_fail (DR_IS_OPERATION (self), NULL);
  return self->cancellable;
}

void
_dr_operation_log (DrOperation *self,
                   const char  *line)
{
  g_return_if_fail (DR_IS_OPERATION (self));
  g_return_if_fail (line != NULL);

  g_string_append (self->log, line);
  g_string_append_c (self->log, '\n');
  g_signal_emit (self, signals[LOG], 0, line);
}

void
_dr_operation_set_step (DrOperation *self,
                        const char  *step)
{
  g_return_if_fail (DR_IS_OPERATION (self));

  if (g_strcmp0 (self->step, step) == 0)
    return;
  g_free (self->step);
  self->step = g_strdup (step);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
  if (step != NULL)
    _dr_operation_log (self, step);
}

void
_dr_operation_set_fraction (DrOperation *self,
                            double       fraction)
{
  g_return_if_fail (DR_IS_OPERATION (self));

  fraction = fraction < 0 ? -1.0 : MIN (fraction, 1.0);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
finish (DrOperation      *self,
        DrOperationState  state,
        GError           *error)
{
  GList *waiters;

  g_return_if_fail (self->state == DR_OPERATION_RUNNING);

  /* Keep the object alive while listeners and waiters run. */
  g_object_ref (self);

  self->state = state;
  self->error = error;
  if (state == DR_OPERATION_SUCCEEDED)
    _dr_operation_set_fraction (self, 1.0);
  else if (error != NULL)
    _dr_operation_log (self, error->message);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  g_signal_emit (self, signals[FINISHED], 0);

  waiters = g_steal_pointer (&self->waiters);
  for (GList *l = waiters; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      if (error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_list_free (waiters);

  g_object_unref (self);
}

void
_dr_operation_succeed (DrOperation *self)
{
  g_return_if_fail (DR_IS_OPERATION (self));
  finish (self, DR_OPERATION_SUCCEEDED, NULL);
}

void
_dr_operation_fail (DrOperation *self,
                    GError      *error)
{
  g_return_if_fail (DR_IS_OPERATION (self));
  g_return_if_fail (error != NULL);

  finish (self,
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? DR_OPERATION_CANCELLED
                                                                     : DR_OPERATION_FAILED,
          error);
}

void
dr_operation_wait_async (DrOperation         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DR_IS_OPERATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_operation_wait_async);
  /* Waiting, not the operation, is what @cancellable stops: the task reports the cancel
   * and is then completed only once (GTask ignores the later return). */
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_return_on_cancel (task, FALSE);

  if (self->state == DR_OPERATION_SUCCEEDED)
    g_task_return_boolean (task, TRUE);
  else if (self->state != DR_OPERATION_RUNNING)
    g_task_return_error (task, g_error_copy (self->error));
  else
    self->waiters = g_list_prepend (self->waiters, g_steal_pointer (&task));
}

gboolean
dr_operation_wait_finish (DrOperation   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
