/* dr-cluster-probe.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-cluster-probe.h"
#include "dr-error.h"
#include "dr-kubeconfig-file.h"

/* Asking an API server whether it is ready */

static void
ready_version_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) version = NULL;

  version = dr_kube_client_get_finish (DR_KUBE_CLIENT (object), result, &error);
  if (version == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
readyz_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKubeClient *client = DR_KUBE_CLIENT (object);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = dr_kube_client_get_raw_finish (client, result, &error);
  if (body != NULL)
    g_task_return_boolean (task, TRUE);
  /* 500 lists the checks that have not passed yet: up, not ready. */
  else if (g_error_matches (error, DR_ERROR, DR_ERROR_SERVER))
    g_task_return_boolean (task, FALSE);
  /* Servers older than Kubernetes 1.16 have no /readyz; one that answers /version is up. */
  else if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    dr_kube_client_get_async (client, "/version", cancellable, ready_version_cb,
                              g_steal_pointer (&task));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
_dr_cluster_check_ready_async (DrKubeClient        *client,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, _dr_cluster_check_ready_async);
  dr_kube_client_get_raw_async (client, "/readyz", cancellable, readyz_cb,
                                g_steal_pointer (&task));
}

gboolean
_dr_cluster_check_ready_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}


/* DrClusterProbe */
struct _DrClusterProbe
{
  GObject       parent_instance;
  DrKubeClient *client;
};

static void dr_cluster_probe_iface_init (DrReadyProbeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DrClusterProbe, dr_cluster_probe, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DR_TYPE_READY_PROBE,
                                                      dr_cluster_probe_iface_init))

static void
probe_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrClusterProbe *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean ready;

  ready = _dr_cluster_check_ready_finish (result, &error);
  if (error != NULL &&
      (error->domain == G_TLS_ERROR ||
       g_error_matches (error, DR_ERROR, DR_ERROR_UNAUTHORIZED)))
    g_clear_object (&self->client);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, ready);
}

static void
probe_kubeconfig_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrClusterProbe *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DrKubeconfig) kubeconfig = NULL;
  g_autoptr(DrKubeContext) context = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  GCancellable *cancellable;
  gsize length = 0;
  const char *text;

  bytes = dr_kind_get_kubeconfig_finish (DR_KIND (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  text = g_bytes_get_data (bytes, &length);
  kubeconfig = dr_kubeconfig_load_data (text != NULL ? text : "", length,
                                        "kind get kubeconfig", &error);
  if (kubeconfig != NULL)
    context = dr_kubeconfig_resolve (kubeconfig, NULL, &error);
  if (context != NULL)
    client = dr_kube_client_new (context, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Another probe may have made one meanwhile: the cluster keeps the first. */
  if (self->client == NULL)
    self->client = g_steal_pointer (&client);

  cancellable = g_task_get_cancellable (task);
  _dr_cluster_check_ready_async (self->client, cancellable, probe_ready_cb,
                                 g_steal_pointer (&task));
}

static void
dr_cluster_probe_check_async (DrReadyProbe        *probe,
                              DrKind              *kind,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  DrClusterProbe *self = DR_CLUSTER_PROBE (probe);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, dr_cluster_probe_check_async);
  if (self->client != NULL)
    _dr_cluster_check_ready_async (self->client, cancellable, probe_ready_cb,
                                   g_steal_pointer (&task));
  else
    dr_kind_get_kubeconfig_async (kind, cancellable, probe_kubeconfig_cb,
                                  g_steal_pointer (&task));
}

static gboolean
dr_cluster_probe_check_finish (DrReadyProbe  *probe,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, probe), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
dr_cluster_probe_iface_init (DrReadyProbeInterface *iface)
{
  iface->check_async = dr_cluster_probe_check_async;
  iface->check_finish = dr_cluster_probe_check_finish;
}

static void
dr_cluster_probe_finalize (GObject *object)
{
  DrClusterProbe *self = DR_CLUSTER_PROBE (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (dr_cluster_probe_parent_class)->finalize (object);
}

static void
dr_cluster_probe_class_init (DrClusterProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dr_cluster_probe_finalize;
}

static void
dr_cluster_probe_init (DrClusterProbe *self)
{
}

DrClusterProbe *
_dr_cluster_probe_new (void)
{
  return g_object_new (DR_TYPE_CLUSTER_PROBE, NULL);
}

DrKubeClient *
_dr_cluster_probe_get_client (DrClusterProbe *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER_PROBE (self), NULL);

  return self->client;
}

void
_dr_cluster_probe_forget_client (DrClusterProbe *self)
{
  g_return_if_fail (DR_IS_CLUSTER_PROBE (self));

  g_clear_object (&self->client);
}
