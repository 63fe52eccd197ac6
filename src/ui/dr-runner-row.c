/* dr-runner-row.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-runner-row.h"
#include "dr-ui-resources.h"

struct _DrRunnerRow
{
  AdwActionRow  parent_instance;

  /* Template widgets */
  GtkImage     *dot;

  /* Owned references */
  DrRunner     *runner;
};

G_DEFINE_FINAL_TYPE (DrRunnerRow, dr_runner_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_RUNNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
dr_runner_status_css_class (DrRunnerStatus status)
{
  switch (status)
    {
    case DR_RUNNER_STATUS_IDLE:
    case DR_RUNNER_STATUS_BUSY:
      return "success";
    case DR_RUNNER_STATUS_DEGRADED:
      return "error";
    case DR_RUNNER_STATUS_DEPLOYING:
    case DR_RUNNER_STATUS_UNMANAGED:
      return "warning";
    case DR_RUNNER_STATUS_NOT_DEPLOYED:
    default:
      return "dim-label";
    }
}

static gboolean
status_to_css (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  const char *classes[] = { "dr-status", NULL, NULL };

  classes[1] = dr_runner_status_css_class (g_value_get_enum (from));
  g_value_set_boxed (to, classes);
  return TRUE;
}

static gboolean
repository_to_subtitle (GBinding     *binding,
                        const GValue *from,
                        GValue       *to,
                        gpointer      user_data)
{
  const char *url = g_value_get_string (from);
  const char *path = url ? strstr (url, "://") : NULL;

  /* "https://github.com/owner/repo" reads best as "owner/repo" in a narrow sidebar; other
   * hosts keep their name so GHES runners are told apart. */
  if (path != NULL && g_str_has_prefix (path, "://github.com/"))
    g_value_set_string (to, path + strlen ("://github.com/"));
  else
    g_value_set_string (to, path ? path + 3 : url);
  return TRUE;
}

static void
dr_runner_row_constructed (GObject *object)
{
  DrRunnerRow *self = DR_RUNNER_ROW (object);

  G_OBJECT_CLASS (dr_runner_row_parent_class)->constructed (object);

  g_return_if_fail (DR_IS_RUNNER (self->runner));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), dr_runner_get_name (self->runner));
  g_object_bind_property_full (self->runner, "repository", self, "subtitle",
                               G_BINDING_SYNC_CREATE, repository_to_subtitle, NULL, NULL, NULL);
  g_object_bind_property_full (self->runner, "status", self->dot, "css-classes",
                               G_BINDING_SYNC_CREATE, status_to_css, NULL, NULL, NULL);
  g_object_bind_property (self->runner, "status-label", self->dot, "tooltip-text",
                          G_BINDING_SYNC_CREATE);
}

static void
dr_runner_row_dispose (GObject *object)
{
  DrRunnerRow *self = DR_RUNNER_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_RUNNER_ROW);
  g_clear_object (&self->runner);

  G_OBJECT_CLASS (dr_runner_row_parent_class)->dispose (object);
}

static void
dr_runner_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DrRunnerRow *self = DR_RUNNER_ROW (object);

  switch (prop_id)
    {
    case PROP_RUNNER:
      g_value_set_object (value, self->runner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_runner_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DrRunnerRow *self = DR_RUNNER_ROW (object);

  switch (prop_id)
    {
    case PROP_RUNNER:
      self->runner = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_runner_row_class_init (DrRunnerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dr_runner_row_constructed;
  object_class->dispose = dr_runner_row_dispose;
  object_class->get_property = dr_runner_row_get_property;
  object_class->set_property = dr_runner_row_set_property;

  properties[PROP_RUNNER] =
    g_param_spec_object ("runner", NULL, NULL, DR_TYPE_RUNNER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-runner-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DrRunnerRow, dot);
}

static void
dr_runner_row_init (DrRunnerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dr_runner_row_new (DrRunner *runner)
{
  g_return_val_if_fail (DR_IS_RUNNER (runner), NULL);

  return g_object_new (DR_TYPE_RUNNER_ROW, "runner", runner, NULL);
}

DrRunner *
dr_runner_row_get_runner (DrRunnerRow *self)
{
  g_return_val_if_fail (DR_IS_RUNNER_ROW (self), NULL);
  return self->runner;
}
