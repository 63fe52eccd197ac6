/* dr-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-job-feed-private.h"
#include "dr-runner-private.h"

struct _DrRunner
{
  GObject          parent_instance;
  DrRunnerSpec    *spec;
  DrRunnerStatus   status;

  gboolean         deployed;
  char            *phase;
  guint            current_runners;
  guint            pending_runners;
  guint            running_runners;
  guint            failed_runners;
  DrListenerState  listener_state;
  char            *listener_pod;
  char            *status_detail;
  GListStore      *ephemeral_runners;
  GListStore      *instances;
  DrJobFeed       *job_feed;
};

G_DEFINE_FINAL_TYPE (DrRunner, dr_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_REPOSITORY,
  PROP_MODE,
  PROP_SPEC,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_DEPLOYED,
  PROP_PHASE,
  PROP_CURRENT_RUNNERS,
  PROP_PENDING_RUNNERS,
  PROP_RUNNING_RUNNERS,
  PROP_FAILED_RUNNERS,
  PROP_LISTENER_STATE,
  PROP_LISTENER_POD,
  PROP_STATUS_DETAIL,
  PROP_EPHEMERAL_RUNNERS,
  PROP_INSTANCES,
  PROP_JOB_FEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
dr_runner_status_to_label (DrRunnerStatus status)
{
  switch (status)
    {
    case DR_RUNNER_STATUS_NOT_DEPLOYED: return _("Not deployed");
    case DR_RUNNER_STATUS_DEPLOYING: return _("Deploying");
    case DR_RUNNER_STATUS_IDLE: return _("Idle");
    case DR_RUNNER_STATUS_BUSY: return _("Running a job");
    case DR_RUNNER_STATUS_DEGRADED: return _("Needs attention");
    case DR_RUNNER_STATUS_UNMANAGED: return _("Not in the configuration");
    default: return _("Unknown");
    }
}

static void
dr_runner_finalize (GObject *object)
{
  DrRunner *self = DR_RUNNER (object);

  g_clear_pointer (&self->spec, dr_runner_spec_unref);
  g_clear_pointer (&self->phase, g_free);
  g_clear_pointer (&self->listener_pod, g_free);
  g_clear_pointer (&self->status_detail, g_free);
  g_clear_object (&self->ephemeral_runners);
  g_clear_object (&self->instances);
  g_clear_object (&self->job_feed);

  G_OBJECT_CLASS (dr_runner_parent_class)->finalize (object);
}

static void
dr_runner_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DrRunner *self = DR_RUNNER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->spec->name);
      break;
    case PROP_REPOSITORY:
      g_value_set_string (value, self->spec->repository_url);
      break;
    case PROP_MODE:
      g_value_set_string (value, dr_container_mode_to_string (self->spec->mode));
      break;
    case PROP_SPEC:
      g_value_set_boxed (value, self->spec);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, dr_runner_status_to_label (self->status));
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
    case PROP_STATUS_DETAIL:
      g_value_set_string (value, self->status_detail);
      break;
    case PROP_EPHEMERAL_RUNNERS:
      g_value_set_object (value, self->ephemeral_runners);
      break;
    case PROP_INSTANCES:
      g_value_set_object (value, self->instances);
      break;
    case PROP_JOB_FEED:
      g_value_set_object (value, self->job_feed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_runner_class_init (DrRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_runner_finalize;
  object_class->get_property = dr_runner_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_REPOSITORY] =
    g_param_spec_string ("repository", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL, DR_TYPE_RUNNER_SPEC,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, DR_TYPE_RUNNER_STATUS,
                       DR_RUNNER_STATUS_NOT_DEPLOYED,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEPLOYED] =
    g_param_spec_boolean ("deployed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PHASE] =
    g_param_spec_string ("phase", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CURRENT_RUNNERS] =
    g_param_spec_uint ("current-runners", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PENDING_RUNNERS] =
    g_param_spec_uint ("pending-runners", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING_RUNNERS] =
    g_param_spec_uint ("running-runners", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FAILED_RUNNERS] =
    g_param_spec_uint ("failed-runners", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LISTENER_STATE] =
    g_param_spec_enum ("listener-state", NULL, NULL, DR_TYPE_LISTENER_STATE,
                       DR_LISTENER_STATE_UNKNOWN,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LISTENER_POD] =
    g_param_spec_string ("listener-pod", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS_DETAIL] =
    g_param_spec_string ("status-detail", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EPHEMERAL_RUNNERS] =
    g_param_spec_object ("ephemeral-runners", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_INSTANCES] =
    g_param_spec_object ("instances", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_JOB_FEED] =
    g_param_spec_object ("job-feed", NULL, NULL, DR_TYPE_JOB_FEED,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_runner_init (DrRunner *self)
{
  self->status = DR_RUNNER_STATUS_NOT_DEPLOYED;
  self->listener_state = DR_LISTENER_STATE_UNKNOWN;
  self->ephemeral_runners = g_list_store_new (DR_TYPE_EPHEMERAL_RUNNER);
  self->instances = g_list_store_new (DR_TYPE_RUNNER_INSTANCE);
  self->job_feed = _dr_job_feed_new ();
}

/* One DrRunnerInstance per scale set the spec names, kept by name so bound widgets stay. */
static void
sync_instances (DrRunner *self)
{
  g_auto(GStrv) names = dr_runner_spec_dup_scale_set_names (self->spec);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->instances);
  guint n = g_list_model_get_n_items (model);
  gboolean same = n == g_strv_length (names);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(DrRunnerInstance) found = NULL;

      for (guint j = 0; j < n && found == NULL; j++)
        {
          g_autoptr(DrRunnerInstance) instance = g_list_model_get_item (model, j);

          if (g_strcmp0 (dr_runner_instance_get_scale_set (instance), names[i]) == 0)
            {
              found = g_steal_pointer (&instance);
              same = same && i == j;
            }
        }
      if (found == NULL)
        {
          found = _dr_runner_instance_new (names[i]);
          same = FALSE;
        }
      g_ptr_array_add (wanted, g_steal_pointer (&found));
    }

  if (!same)
    g_list_store_splice (self->instances, 0, n, wanted->pdata, wanted->len);
}

DrRunner *
dr_runner_new (DrRunnerSpec *spec)
{
  DrRunner *self;

  g_return_val_if_fail (spec != NULL && spec->name != NULL, NULL);

  self = g_object_new (DR_TYPE_RUNNER, NULL);
  self->spec = dr_runner_spec_ref (spec);
  sync_instances (self);
  return self;
}

const char *
dr_runner_get_name (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->spec->name;
}

DrRunnerSpec *
dr_runner_get_spec (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->spec;
}

/* The name is the runner's identity and never changes; everything else may. */
void
dr_runner_set_spec (DrRunner     *self,
                    DrRunnerSpec *spec)
{
  g_return_if_fail (DR_IS_RUNNER (self));
  g_return_if_fail (spec != NULL && g_strcmp0 (spec->name, self->spec->name) == 0);

  if (spec == self->spec || dr_runner_spec_equal (spec, self->spec))
    return;

  dr_runner_spec_unref (self->spec);
  self->spec = dr_runner_spec_ref (spec);
  sync_instances (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEC]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPOSITORY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

DrRunnerStatus
dr_runner_get_status (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), DR_RUNNER_STATUS_NOT_DEPLOYED);
  return self->status;
}

void
dr_runner_set_status (DrRunner       *self,
                      DrRunnerStatus  status)
{
  g_return_if_fail (DR_IS_RUNNER (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
}

gboolean
dr_runner_get_deployed (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), FALSE);
  return self->deployed;
}

const char *
dr_runner_get_phase (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->phase;
}

guint
dr_runner_get_current_runners (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), 0);
  return self->current_runners;
}

guint
dr_runner_get_pending_runners (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), 0);
  return self->pending_runners;
}

guint
dr_runner_get_running_runners (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), 0);
  return self->running_runners;
}

guint
dr_runner_get_failed_runners (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), 0);
  return self->failed_runners;
}

DrListenerState
dr_runner_get_listener_state (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), DR_LISTENER_STATE_UNKNOWN);
  return self->listener_state;
}

const char *
dr_runner_get_listener_pod (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->listener_pod;
}

const char *
dr_runner_get_status_detail (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->status_detail;
}

GListModel *
dr_runner_get_ephemeral_runners (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return G_LIST_MODEL (self->ephemeral_runners);
}

GListModel *
dr_runner_get_instances (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return G_LIST_MODEL (self->instances);
}

DrJobFeed *
dr_runner_get_job_feed (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->job_feed;
}

GListStore *
_dr_runner_get_instance_store (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->instances;
}

GListStore *
_dr_runner_get_ephemeral_store (DrRunner *self)
{
  g_return_val_if_fail (DR_IS_RUNNER (self), NULL);
  return self->ephemeral_runners;
}

static void
set_string (DrRunner   *self,
            char      **field,
            const char *value,
            guint       prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_uint (DrRunner *self,
          guint    *field,
          guint     value,
          guint     prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_dr_runner_update_observed (DrRunner         *self,
                            const DrObserved *observed,
                            DrRunnerStatus    status,
                            const char       *status_detail)
{
  g_return_if_fail (DR_IS_RUNNER (self));
  g_return_if_fail (observed != NULL);

  /* Notifications wait until every field is set, so a handler reading several properties
   * never sees half an update. */
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
  set_string (self, &self->status_detail, status_detail, PROP_STATUS_DETAIL);
  dr_runner_set_status (self, status);
  g_object_thaw_notify (G_OBJECT (self));
}
