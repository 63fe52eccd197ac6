/* dr-cluster-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Joins the files of DrCluster (dr-cluster.c: state, dr-cluster-verbs.c, dr-controller-
 * install.c, dr-cluster-probe.c), and hooks for tests.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-cluster.h"
#include "dr-cluster-probe.h"
#include "dr-kind.h"
#include "dr-kube-client.h"
#include "dr-prerequisites.h"
#include "dr-step-queue.h"

G_BEGIN_DECLS

struct _DrCluster
{
  GObject            parent_instance;

  gboolean           is_kind;
  char              *name;
  char              *controller_namespace;
  char              *chart_registry;   /* where the install pulls from; NULL: the default */
  /* A kubeconfig context */
  char              *kubeconfig_path;
  char              *context;
  DrKubeClient      *context_client;
  /* A kind cluster: DrKind once the prerequisites named the container engine. */
  DrKind            *kind;
  DrClusterProbe    *probe;
  DrPrerequisites   *prerequisites;
  DrKindConfig      *kind_config;   /* what the node shares, read when it was last ready */

  DrClusterState     state;
  char              *state_detail;
  DrControllerState  controller_state;
  char              *controller_version;
  char              *controller_detail;
  DrKubeClient      *client;

  DrOperation       *busy;   /* the create, start, delete or install that runs */

  guint              start_timeout_ms;
  guint              crds_timeout_ms;
  guint              controller_timeout_ms;
  guint              kind_poll_ms;   /* 0: kind's own */
};

/* How long the verbs wait: for the API server after starting the node (default 120 s), for
 * every CRD to be Established (default 60 s) and for the controller to be Available (default
 * 300 s: its image may have to be downloaded). */
void _dr_cluster_set_timeouts      (DrCluster *self,
                                    guint      start_ms,
                                    guint      crds_ms,
                                    guint      controller_ms);

/* The pause between two ready probes while the node starts (otherwise kind's default).
 * Objects are never polled: the install watches them. */
void _dr_cluster_set_probe_interval (DrCluster *self,
                                     guint      milliseconds);

/* Gives a kind cluster (a copy of) @config as if it had been read from its node; NULL
 * forgets it. */
void _dr_cluster_set_kind_config   (DrCluster          *self,
                                    const DrKindConfig *config);


/* dr-cluster.c: the observed state, which the verbs set and read again. */
void              _dr_cluster_set_state               (DrCluster           *self,
                                                       DrClusterState       state,
                                                       const char          *detail);
void              _dr_cluster_set_controller          (DrCluster           *self,
                                                       DrControllerState    state,
                                                       const char          *version,
                                                       const char          *detail);
/* Takes @prerequisites. */
void              _dr_cluster_set_prerequisites       (DrCluster           *self,
                                                       DrPrerequisites     *prerequisites);
/* Tells the state of the cluster (and sets the properties). Fails when it cannot be told;
 * the state is then UNKNOWN with the error as its detail. A kind cluster needs self->kind. */
void              _dr_cluster_update_state_async      (DrCluster           *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          _dr_cluster_update_state_finish     (GAsyncResult        *result,
                                                       GError             **error);

typedef struct
{
  JsonNode *deployment;   /* the controller's Deployment, or NULL when none runs */
  gboolean  ours;         /* the one dr_arc_controller_render() makes */
  char     *version;
} DrControllerInfo;

void              _dr_controller_info_free            (DrControllerInfo    *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrControllerInfo, _dr_controller_info_free)

/* Finds ARC's controller in the cluster, whoever installed it (FACTS.md §2.7), and sets the
 * controller properties. */
void              _dr_cluster_detect_controller_async (DrCluster           *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
DrControllerInfo *_dr_cluster_detect_controller_finish (GAsyncResult       *result,
                                                        GError            **error);
/* Available, and about the Deployment as it now is (not the one before an upgrade). */
gboolean          _dr_deployment_is_available         (JsonNode            *deployment);
/* "k=v,k=v" from spec.selector.matchLabels, or NULL. */
char             *_dr_deployment_pod_selector         (JsonNode            *deployment);

/* dr-cluster-verbs.c: how a cluster verb runs. Each verb is a DrStepQueue whose context is
 * a DrClusterVerb; it ends by clearing self->busy (exclusive verbs). */
typedef struct
{
  DrCluster *cluster;
  DrKind    *kind;           /* whose ::line goes to the log */
  gulong     line_handler;
  gboolean   installs;       /* a failure leaves the controller state UNKNOWN */
} DrClusterVerb;

/* A queue for a new operation titled @title, in *@op; NULL (and a failed operation in *@op)
 * when an @exclusive verb finds another one running. */
DrStepQueue      *_dr_cluster_verb_new                (DrCluster           *self,
                                                       const char          *title,
                                                       gboolean             exclusive,
                                                       DrOperation        **op);
DrCluster        *_dr_cluster_verb_get_cluster        (DrStepQueue         *queue);
/* Queues the prerequisites check, which makes self->kind for the container engine it finds;
 * only when there is no DrKind yet, unless @recheck. */
void              _dr_cluster_push_ensure_kind        (DrStepQueue         *queue,
                                                       gboolean             recheck);
/* "12 seconds" */
char             *_dr_cluster_duration_text           (guint                milliseconds);

G_END_DECLS
