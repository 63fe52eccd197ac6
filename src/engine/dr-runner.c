/* dr-runner.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-runner.h"

struct _DrRunner
{
  GObject         parent_instance;
  DrRunnerSpec   *spec;
  DrRunnerStatus  status;
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
dr_runner_status_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DR_RUNNER_STATUS_NOT_DEPLOYED, "DR_RUNNER_STATUS_NOT_DEPLOYED", "not-deployed" },
        { DR_RUNNER_STATUS_DEPLOYING, "DR_RUNNER_STATUS_DEPLOYING", "deploying" },
        { DR_RUNNER_STATUS_IDLE, "DR_RUNNER_STATUS_IDLE", "idle" },
        { DR_RUNNER_STATUS_BUSY, "DR_RUNNER_STATUS_BUSY", "busy" },
        { DR_RUNNER_STATUS_DEGRADED, "DR_RUNNER_STATUS_DEGRADED", "degraded" },
        { DR_RUNNER_STATUS_UNMANAGED, "DR_RUNNER_STATUS_UNMANAGED", "unmanaged" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("DrRunnerStatus"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_runner_init (DrRunner *self)
{
  self->status = DR_RUNNER_STATUS_NOT_DEPLOYED;
}

DrRunner *
dr_runner_new (DrRunnerSpec *spec)
{
  DrRunner *self;

  g_return_val_if_fail (spec != NULL && spec->name != NULL, NULL);

  self = g_object_new (DR_TYPE_RUNNER, NULL);
  self->spec = dr_runner_spec_ref (spec);
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
