/* dr-runner-instance.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-runner-private.h"

struct _DrRunnerInstance
{
  GObject          parent_instance;
  char            *scale_set;
  gboolean         deployed;
  char            *phase;
  guint            current_runners;
  guint            pending_runners;
  guint            running_runners;
  guint            failed_runners;
  DrListenerState  listener_state;
  char            *listener_pod;
};

G_DEFINE_FINAL_TYPE (DrRunnerInstance, dr_runner_instance, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCALE_SET,
  PROP_DEPLOYED,
  PROP_PHASE,
  PROP_CURRENT_RUNNERS,
  PROP_PENDING_RUNNERS,
  PROP_RUNNING_RUNNERS,
  PROP_FAILED_RUNNERS,
  PROP_LISTENER_STATE,
  PROP_LISTENER_POD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dr_runner_instance_finalize (GObject *object)
{
  DrRunnerInstance *self = DR_RUNNER_INSTANCE (object);

  g_clear_pointer (&self->scale_set, g_free);
  g_clear_pointer (&self->phase, g_free);
  g_clear_pointer (&self->listener_pod, g_free);

  G_OBJECT_CLASS (dr_runner_instance_parent_class)->finalize (object);
}

static void
dr_runner_instance_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DrRunnerInstance *self = DR_RUNNER_INSTANCE (object);

  switch (prop_id)
    {
    case PROP_SCALE_SET:
      g_value_set_string (value, self->scale_set);
      break;
    case PROP_DEPLOYED:
      g_value_set_boolean (value, self->deployed);
      break;
    case PROP_PHASE:
      g_value_set_string (value, self->phase);
      break;
    case PROP_CURRENT_RUNNERS:
      g_value_set_uint (value, self->current_runners);
      break;
    case PROP_PENDING_RUNNERS:
      g_value_set_uint (value, self->pending_runners);
      break;
    case PROP_RUNNING_RUNNERS:
      g_value_set_uint (value, self->running_runners);
      break;
    case PROP_FAILED_RUNNERS:
      g_value_set_uint (value, self->failed_runners);
      break;
    case PROP_LISTENER_STATE:
      g_value_set_enum (value, self->listener_state);
      break;
    case PROP_LISTENER_POD:
      g_value_set_string (value, self->listener_pod);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_runner_instance_class_init (DrRunnerInstanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dr_runner_instance_finalize;
  object_class->get_property = dr_runner_instance_get_property;

  properties[PROP_SCALE_SET] =
    g_param_spec_string ("scale-set", NULL, NULL, NULL, flags);
  properties[PROP_DEPLOYED] =
    g_param_spec_boolean ("deployed", NULL, NULL, FALSE, flags);
  properties[PROP_PHASE] =
    g_param_spec_string ("phase", NULL, NULL, NULL, flags);
  properties[PROP_CURRENT_RUNNERS] =
    g_param_spec_uint ("current-runners", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PENDING_RUNNERS] =
    g_param_spec_uint ("pending-runners", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_RUNNING_RUNNERS] =
    g_param_spec_uint ("running-runners", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FAILED_RUNNERS] =
    g_param_spec_uint ("failed-runners", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LISTENER_STATE] =
    g_param_spec_enum ("listener-state", NULL, NULL, DR_TYPE_LISTENER_STATE,
                       DR_LISTENER_STATE_UNKNOWN, flags);
  properties[PROP_LISTENER_POD] =
    g_param_spec_string ("listener-pod", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_runner_instance_init (DrRunnerInstance *self)
{
}

DrRunnerInstance *
_dr_runner_instance_new (const char *scale_set)
{
  DrRunnerInstance *self = g_object_new (DR_TYPE_RUNNER_INSTANCE, NULL);

  self->scale_set = g_strdup (scale_set);
  return self;
}

static void
set_string (DrRunnerInstance  *self,
            char             **field,
            const char        *value,
            guint              prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_uint (DrRunnerInstance *self,
          guint            *field,
          guint             value,
          guint             prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_dr_runner_instance_update (DrRunnerInstance *self,
                            const DrObserved *observed)
{
  g_return_if_fail (DR_IS_RUNNER_INSTANCE (self));
  g_return_if_fail (observed != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->deployed != observed->deployed)
    {
      self->deployed = observed->deployed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPLOYED]);
    }
  set_string (self, &self->phase, observed->phase, PROP_PHASE);
  set_uint (self, &self->current_runners, observed->current_runners, PROP_CURRENT_RUNNERS);
  set_uint (self, &self->pending_runners, observed->pending_runners, PROP_PENDING_RUNNERS);
  set_uint (self, &self->running_runners, observed->running_runners, PROP_RUNNING_RUNNERS);
  set_uint (self, &self->failed_runners, observed->failed_runners, PROP_FAILED_RUNNERS);
  if (self->listener_state != observed->listener_state)
    {
      self->listener_state = observed->listener_state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTENER_STATE]);
    }
  set_string (self, &self->listener_pod, observed->listener_pod, PROP_LISTENER_POD);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
dr_runner_instance_get_scale_set (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), NULL);
  return self->scale_set;
}

gboolean
dr_runner_instance_get_deployed (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), FALSE);
  return self->deployed;
}

const char *
dr_runner_instance_get_phase (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), NULL);
  return self->phase;
}

guint
dr_runner_instance_get_current_runners (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), 0);
  return self->current_runners;
}

guint
dr_runner_instance_get_pending_runners (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), 0);
  return self->pending_runners;
}

guint
dr_runner_instance_get_running_runners (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), 0);
  return self->running_runners;
}

guint
dr_runner_instance_get_failed_runners (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), 0);
  return self->failed_runners;
}

DrListenerState
dr_runner_instance_get_listener_state (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), DR_LISTENER_STATE_UNKNOWN);
  return self->listener_state;
}

const char *
dr_runner_instance_get_listener_pod (DrRunnerInstance *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_INSTANCE (self), NULL);
  return self->listener_pod;
}
