/* dr-cluster-row.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cluster-row.h"
#include "dr-prerequisites.h"
#include "dr-ui-resources.h"

struct _DrClusterRow
{
  AdwActionRow  parent_instance;

  /* Template widgets */
  GtkImage     *dot;

  /* Owned references */
  DrCluster    *cluster;
  GSignalGroup *cluster_signals;
};

G_DEFINE_FINAL_TYPE (DrClusterRow, dr_cluster_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_CLUSTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
dr_cluster_state_describe (DrClusterState   state,
                           const char     **css_class)
{
  const char *label;
  const char *css;

  switch (state)
    {
    case DR_CLUSTER_STATE_ABSENT:
      label = _("Not created yet"), css = "dim-label";
      break;
    case DR_CLUSTER_STATE_STOPPED:
      label = _("Stopped"), css = "warning";
      break;
    case DR_CLUSTER_STATE_STARTING:
      label = _("Starting…"), css = "warning";
      break;
    case DR_CLUSTER_STATE_READY:
      label = _("Ready"), css = "success";
      break;
    case DR_CLUSTER_STATE_UNREACHABLE:
      label = _("Not reachable"), css = "error";
      break;
    case DR_CLUSTER_STATE_UNKNOWN:
    default:
      label = _("Not checked yet"), css = "dim-label";
      break;
    }

  if (css_class != NULL)
    *css_class = css;
  return label;
}

static void
update (DrClusterRow *self)
{
  const DrPrerequisites *prerequisites;
  DrClusterState state;
  const char *summary;
  const char *css;

  if (self->cluster == NULL)
    return;

  state = dr_cluster_get_state (self->cluster);
  prerequisites = dr_cluster_get_prerequisites (self->cluster);
  summary = dr_cluster_state_describe (state, &css);
  /* A ready cluster without a ready controller still cannot run a job: say so here, since
   * the sidebar row is the only line a user sees while looking at a runner. */
  if (state == DR_CLUSTER_STATE_READY &&
      dr_cluster_get_controller_state (self->cluster) != DR_CONTROLLER_STATE_READY)
    summary = _("Controller not ready"), css = "warning";
  /* Without docker or kind the cluster cannot even be checked, and "Not checked yet" would
   * read as if deskrun had not tried (the setup steps block on the same rule). */
  else if (dr_cluster_is_kind (self->cluster) && prerequisites != NULL &&
           !dr_prerequisites_all_ok (prerequisites) &&
           state != DR_CLUSTER_STATE_READY && state != DR_CLUSTER_STATE_STARTING)
    summary = _("Missing prerequisites"), css = "warning";

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), dr_cluster_get_name (self->cluster));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), summary);
  gtk_widget_set_css_classes (GTK_WIDGET (self->dot), (const char *[]) { "dr-status", css, NULL });
}

void
dr_cluster_row_set_cluster (DrClusterRow *self,
                            DrCluster    *cluster)
{
  g_return_if_fail (DR_IS_CLUSTER_ROW (self));
  g_return_if_fail (cluster == NULL || DR_IS_CLUSTER (cluster));

  if (!g_set_object (&self->cluster, cluster))
    return;

  g_signal_group_set_target (self->cluster_signals, cluster);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLUSTER]);
}

DrCluster *
dr_cluster_row_get_cluster (DrClusterRow *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER_ROW (self), NULL);
  return self->cluster;
}

static void
dr_cluster_row_dispose (GObject *object)
{
  DrClusterRow *self = DR_CLUSTER_ROW (object);

  if (self->cluster_signals != NULL)
    g_signal_group_set_target (self->cluster_signals, NULL);
  g_clear_object (&self->cluster_signals);
  g_clear_object (&self->cluster);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_CLUSTER_ROW);

  G_OBJECT_CLASS (dr_cluster_row_parent_class)->dispose (object);
}

static void
dr_cluster_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DrClusterRow *self = DR_CLUSTER_ROW (object);

  switch (prop_id)
    {
    case PROP_CLUSTER:
      g_value_set_object (value, self->cluster);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_cluster_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DrClusterRow *self = DR_CLUSTER_ROW (object);

  switch (prop_id)
    {
    case PROP_CLUSTER:
      dr_cluster_row_set_cluster (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_cluster_row_class_init (DrClusterRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_cluster_row_dispose;
  object_class->get_property = dr_cluster_row_get_property;
  object_class->set_property = dr_cluster_row_set_property;

  properties[PROP_CLUSTER] =
    g_param_spec_object ("cluster", NULL, NULL, DR_TYPE_CLUSTER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-cluster-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DrClusterRow, dot);
}

static void
dr_cluster_row_init (DrClusterRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cluster_signals = g_signal_group_new (DR_TYPE_CLUSTER);
  g_signal_group_connect_swapped (self->cluster_signals, "notify::state",
                                  G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->cluster_signals, "notify::controller-state",
                                  G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->cluster_signals, "notify::prerequisites",
                                  G_CALLBACK (update), self);
}
