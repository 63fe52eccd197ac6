/* dr-ephemeral-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-json.h"

#include "dr-engine-private.h"
#include "dr-runner-private.h"

struct _DrEphemeralRunner
{
  GObject   parent_instance;
  char     *name;
  char     *scale_set;
  char     *phase;
  gboolean  ready;
  char     *job_display_name;
  char     *job_repository;
  gint64    workflow_run_id;
  char     *pod_phase;
};

G_DEFINE_FINAL_TYPE (DrEphemeralRunner, dr_ephemeral_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SCALE_SET,
  PROP_PHASE,
  PROP_READY,
  PROP_JOB_DISPLAY_NAME,
  PROP_JOB_REPOSITORY,
  PROP_WORKFLOW_RUN_ID,
  PROP_POD_PHASE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dr_ephemeral_runner_finalize (GObject *object)
{
  DrEphemeralRunner *self = DR_EPHEMERAL_RUNNER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->scale_set, g_free);
  g_clear_pointer (&self->phase, g_free);
  g_clear_pointer (&self->job_display_name, g_free);
  g_clear_pointer (&self->job_repository, g_free);
  g_clear_pointer (&self->pod_phase, g_free);

  G_OBJECT_CLASS (dr_ephemeral_runner_parent_class)->finalize (object);
}

static void
dr_ephemeral_runner_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DrEphemeralRunner *self = DR_EPHEMERAL_RUNNER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SCALE_SET:
      g_value_set_string (value, self->scale_set);
      break;
    case PROP_PHASE:
      g_value_set_string (value, self->phase);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_JOB_DISPLAY_NAME:
      g_value_set_string (value, self->job_display_name);
      break;
    case PROP_JOB_REPOSITORY:
      g_value_set_string (value, self->job_repository);
      break;
    case PROP_WORKFLOW_RUN_ID:
      g_value_set_int64 (value, self->workflow_run_id);
      break;
    case PROP_POD_PHASE:
      g_value_set_string (value, self->pod_phase);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, dr_ephemeral_runner_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_ephemeral_runner_class_init (DrEphemeralRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dr_ephemeral_runner_finalize;
  object_class->get_property = dr_ephemeral_runner_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SCALE_SET] =
    g_param_spec_string ("scale-set", NULL, NULL, NULL, flags);
  properties[PROP_PHASE] =
    g_param_spec_string ("phase", NULL, NULL, NULL, flags);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  properties[PROP_JOB_DISPLAY_NAME] =
    g_param_spec_string ("job-display-name", NULL, NULL, NULL, flags);
  properties[PROP_JOB_REPOSITORY] =
    g_param_spec_string ("job-repository", NULL, NULL, NULL, flags);
  properties[PROP_WORKFLOW_RUN_ID] =
    g_param_spec_int64 ("workflow-run-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_POD_PHASE] =
    g_param_spec_string ("pod-phase", NULL, NULL, NULL, flags);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_ephemeral_runner_init (DrEphemeralRunner *self)
{
}

DrEphemeralRunner *
_dr_ephemeral_runner_new (const char *name)
{
  DrEphemeralRunner *self = g_object_new (DR_TYPE_EPHEMERAL_RUNNER, NULL);

  self->name = g_strdup (name);
  return self;
}

static void
set_string (DrEphemeralRunner  *self,
            char              **field,
            const char         *value,
            guint               prop)
{
  /* The listener writes "" rather than leaving a field out while a runner is idle. */
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_dr_ephemeral_runner_update (DrEphemeralRunner *self,
                             JsonNode          *ephemeral_runner,
                             JsonNode          *pod)
{
  JsonObject *er = dr_json_node_object (ephemeral_runner);
  JsonObject *labels = dr_json_member_object (dr_json_member_object (er, "metadata"), "labels");
  JsonObject *status = dr_json_member_object (er, "status");
  JsonObject *pod_status = dr_json_member_object (dr_json_node_object (pod), "status");
  gboolean was_busy;
  gboolean ready;
  gint64 run_id;

  g_return_if_fail (DR_IS_EPHEMERAL_RUNNER (self));

  g_object_freeze_notify (G_OBJECT (self));
  was_busy = dr_ephemeral_runner_get_busy (self);
  set_string (self, &self->scale_set,
              dr_json_member_string (labels, "actions.github.com/scale-set-name"), PROP_SCALE_SET);
  set_string (self, &self->phase, dr_json_member_string (status, "phase"), PROP_PHASE);
  ready = dr_json_member_bool (status, "ready", FALSE);
  if (self->ready != ready)
    {
      self->ready = ready;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  set_string (self, &self->job_display_name, dr_json_member_string (status, "jobDisplayName"),
              PROP_JOB_DISPLAY_NAME);
  set_string (self, &self->job_repository, dr_json_member_string (status, "jobRepositoryName"),
              PROP_JOB_REPOSITORY);
  run_id = MAX (dr_json_member_int (status, "workflowRunId", 0), 0);
  if (self->workflow_run_id != run_id)
    {
      self->workflow_run_id = run_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKFLOW_RUN_ID]);
    }
  set_string (self, &self->pod_phase, dr_json_member_string (pod_status, "phase"), PROP_POD_PHASE);
  if (was_busy != dr_ephemeral_runner_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
dr_ephemeral_runner_get_name (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), NULL);
  return self->name;
}

const char *
dr_ephemeral_runner_get_scale_set (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), NULL);
  return self->scale_set;
}

const char *
dr_ephemeral_runner_get_phase (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), NULL);
  return self->phase;
}

gboolean
dr_ephemeral_runner_get_ready (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), FALSE);
  return self->ready;
}

const char *
dr_ephemeral_runner_get_job_display_name (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), NULL);
  return self->job_display_name;
}

const char *
dr_ephemeral_runner_get_job_repository (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), NULL);
  return self->job_repository;
}

gint64
dr_ephemeral_runner_get_workflow_run_id (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), 0);
  return self->workflow_run_id;
}

const char *
dr_ephemeral_runner_get_pod_phase (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), NULL);
  return self->pod_phase;
}

/* The listener writes the job fields when the job starts (FACTS.md §1.4). */
gboolean
dr_ephemeral_runner_get_busy (DrEphemeralRunner *self)
{
  g_return_val_if_fail (DR_IS_EPHEMERAL_RUNNER (self), FALSE);
  return self->job_display_name != NULL || self->job_repository != NULL ||
         self->workflow_run_id != 0;
}
