/* dr-engine-cluster.c — the engine follows the cluster it runs on
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-engine-private.h"

static void
cluster_client_changed_cb (DrEngine   *self,
                           GParamSpec *pspec,
                           DrCluster  *cluster)
{
  dr_engine_set_kube_client (self, dr_cluster_get_kube_client (cluster));
}

DrCluster *
dr_engine_get_cluster (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return self->cluster;
}

void
dr_engine_set_cluster (DrEngine  *self,
                       DrCluster *cluster)
{
  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (cluster == NULL || DR_IS_CLUSTER (cluster));

  if (self->cluster == cluster)
    return;

  if (self->cluster != NULL)
    g_signal_handlers_disconnect_by_func (self->cluster, cluster_client_changed_cb, self);
  g_set_object (&self->cluster, cluster);
  if (cluster != NULL)
    {
      dr_cluster_set_chart_registry (cluster, dr_config_get_chart_registry (self->config));
      g_signal_connect_object (cluster, "notify::kube-client",
                               G_CALLBACK (cluster_client_changed_cb), self, G_CONNECT_SWAPPED);
      dr_engine_set_kube_client (self, dr_cluster_get_kube_client (cluster));
    }
  else
    dr_engine_set_kube_client (self, NULL);
}

void
_dr_engine_ensure_cluster (DrEngine *self)
{
  g_autoptr(DrCluster) cluster = NULL;

  if (self->cluster != NULL)
    return;

  if (dr_config_get_cluster_kind (self->config) == DR_CLUSTER_KIND_CONTEXT)
    cluster = dr_cluster_new_for_context (NULL, dr_config_get_cluster_name (self->config));
  else
    cluster = dr_cluster_new_kind (dr_config_get_cluster_name (self->config));
  dr_engine_set_cluster (self, cluster);
}

void
dr_engine_add_operation (DrEngine    *self,
                         DrOperation *operation)
{
  g_autoptr(DrOperation) tracked = NULL;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (DR_IS_OPERATION (operation));

  if (g_list_store_find (self->operations, operation, NULL))
    return;
  tracked = _dr_engine_track_operation (self, g_object_ref (operation));
}
