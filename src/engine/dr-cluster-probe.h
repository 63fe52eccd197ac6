/* dr-cluster-probe.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inside the engine only. Whether a Kubernetes API server is ready, and DrClusterProbe:
 * kind's ready probe, GET /readyz through a client made from the kubeconfig kind prints. The
 * client is kept between probes (start asks once a second) and dropped when the cluster is
 * created or deleted, or when it no longer gets in (the cluster was made anew elsewhere,
 * with new certificates).
 */
#pragma once

#include "dr-kind.h"
#include "dr-kube-client.h"

G_BEGIN_DECLS

/* TRUE: ready; FALSE without an error: it answers but is not ready; an error: it could not
 * be asked. */
void            _dr_cluster_check_ready_async   (DrKubeClient        *client,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        _dr_cluster_check_ready_finish  (GAsyncResult        *result,
                                                 GError             **error);

#define DR_TYPE_CLUSTER_PROBE (dr_cluster_probe_get_type ())
G_DECLARE_FINAL_TYPE (DrClusterProbe, dr_cluster_probe, DR, CLUSTER_PROBE, GObject)

DrClusterProbe *_dr_cluster_probe_new           (void);
/* The client of the last probe that got in, or NULL. */
DrKubeClient   *_dr_cluster_probe_get_client    (DrClusterProbe      *self);
/* New certificates, maybe a new port: the next probe asks kind for the kubeconfig again. */
void            _dr_cluster_probe_forget_client (DrClusterProbe      *self);

G_END_DECLS
