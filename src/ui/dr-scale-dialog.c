/* dr-scale-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-scale-dialog.h"
#include "dr-ui-resources.h"

struct _DrScaleDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkSpinButton    *min_spin;
  GtkSpinButton    *max_spin;
  GtkLabel         *problem_label;

  /* Owned references */
  DrRunnerSpec     *spec;   /* the runner as it is now */

  guint             min_runners;
  guint             max_runners;
};

G_DEFINE_FINAL_TYPE (DrScaleDialog, dr_scale_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_SPEC,
  PROP_MIN_RUNNERS,
  PROP_MAX_RUNNERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Live check of the numbers, with the runner spec's own rule and message. */
static void
check (DrScaleDialog *self)
{
  g_autoptr(DrRunnerSpec) changed = NULL;
  g_autoptr(GError) error = NULL;

  if (self->spec == NULL)
    return;

  changed = dr_runner_spec_copy (self->spec);
  changed->min_runners = self->min_runners;
  changed->max_runners = self->max_runners;
  dr_runner_spec_check_field (changed, DR_SPEC_FIELD_RUNNERS, &error);
  gtk_label_set_text (self->problem_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), error != NULL);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "scale", error == NULL);
}

void
dr_scale_dialog_set_min_runners (DrScaleDialog *self,
                                 guint          min_runners)
{
  g_return_if_fail (DR_IS_SCALE_DIALOG (self));

  if (self->min_runners == min_runners)
    return;
  self->min_runners = min_runners;
  check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_RUNNERS]);
}

void
dr_scale_dialog_set_max_runners (DrScaleDialog *self,
                                 guint          max_runners)
{
  g_return_if_fail (DR_IS_SCALE_DIALOG (self));

  if (self->max_runners == max_runners)
    return;
  self->max_runners = max_runners;
  check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RUNNERS]);
}

guint
dr_scale_dialog_get_min_runners (DrScaleDialog *self)
{
  g_return_val_if_fail (DR_IS_SCALE_DIALOG (self), 0);
  return self->min_runners;
}

guint
dr_scale_dialog_get_max_runners (DrScaleDialog *self)
{
  g_return_val_if_fail (DR_IS_SCALE_DIALOG (self), 0);
  return self->max_runners;
}

const char *
dr_scale_dialog_get_runner_name (DrScaleDialog *self)
{
  g_return_val_if_fail (DR_IS_SCALE_DIALOG (self), NULL);
  return self->spec ? self->spec->name : NULL;
}

const char *
_dr_scale_dialog_get_problem (DrScaleDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->problem_label))
           ? gtk_label_get_text (self->problem_label) : NULL;
}

static void
dr_scale_dialog_constructed (GObject *object)
{
  DrScaleDialog *self = DR_SCALE_DIALOG (object);

  G_OBJECT_CLASS (dr_scale_dialog_parent_class)->constructed (object);

  g_return_if_fail (self->spec != NULL);

  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (self), _("Scale “%s”"), self->spec->name);
  dr_scale_dialog_set_min_runners (self, self->spec->min_runners);
  dr_scale_dialog_set_max_runners (self, self->spec->max_runners);
  check (self);
}

static void
dr_scale_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DR_TYPE_SCALE_DIALOG);

  G_OBJECT_CLASS (dr_scale_dialog_parent_class)->dispose (object);
}

static void
dr_scale_dialog_finalize (GObject *object)
{
  DrScaleDialog *self = DR_SCALE_DIALOG (object);

  g_clear_pointer (&self->spec, dr_runner_spec_unref);

  G_OBJECT_CLASS (dr_scale_dialog_parent_class)->finalize (object);
}

static void
dr_scale_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DrScaleDialog *self = DR_SCALE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      g_value_set_boxed (value, self->spec);
      break;
    case PROP_MIN_RUNNERS:
      g_value_set_uint (value, self->min_runners);
      break;
    case PROP_MAX_RUNNERS:
      g_value_set_uint (value, self->max_runners);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_scale_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DrScaleDialog *self = DR_SCALE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      self->spec = g_value_dup_boxed (value);
      break;
    case PROP_MIN_RUNNERS:
      dr_scale_dialog_set_min_runners (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RUNNERS:
      dr_scale_dialog_set_max_runners (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_scale_dialog_class_init (DrScaleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dr_scale_dialog_constructed;
  object_class->dispose = dr_scale_dialog_dispose;
  object_class->finalize = dr_scale_dialog_finalize;
  object_class->get_property = dr_scale_dialog_get_property;
  object_class->set_property = dr_scale_dialog_set_property;

  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL, DR_TYPE_RUNNER_SPEC,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MIN_RUNNERS] =
    g_param_spec_uint ("min-runners", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_MAX_RUNNERS] =
    g_param_spec_uint ("max-runners", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-scale-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DrScaleDialog, min_spin);
  gtk_widget_class_bind_template_child (widget_class, DrScaleDialog, max_spin);
  gtk_widget_class_bind_template_child (widget_class, DrScaleDialog, problem_label);
}

static void
dr_scale_dialog_init (DrScaleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DrScaleDialog *
dr_scale_dialog_new (GtkWindow    *parent,
                     DrRunnerSpec *spec)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  return g_object_new (DR_TYPE_SCALE_DIALOG, "transient-for", parent, "spec", spec, NULL);
}
