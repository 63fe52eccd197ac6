/* dr-cluster.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cluster the engine runs on: deskrun's own kind cluster (DrKind, FACTS.md §7), or any
 * existing kubeconfig context (DESIGN.md "Beyond one machine"), where the kind verbs are
 * not offered. It tells the cluster's state and that of ARC's controller, hands out the
 * DrKubeClient to talk to the cluster once it is ready, and runs the cluster verbs —
 * refresh, create, start, delete, install the controller — each as a DrOperation.
 *
 * Properties (all read-only, notified on change):
 *  - "state" (DrClusterState) and "state-detail" (a sentence for a person, or NULL);
 *  - "controller-state" (DrControllerState), "controller-version" (the installed version,
 *    or NULL) and "controller-detail" (why it is not ready, or NULL);
 *  - "prerequisites" (DrPrerequisites, boxed; NULL until checked; kind clusters only);
 *  - "kube-client" (DrKubeClient): set once the cluster answers ready, kept while it is
 *    starting or unreachable (a watch on it resumes by itself), and cleared when the
 *    cluster is stopped or gone. A new object when the cluster was created again.
 */
#pragma once

#include <gio/gio.h>

#include "dr-kind.h"
#include "dr-kube-client.h"
#include "dr-operation.h"
#include "dr-prerequisites.h"

#include "dr-engine-enums.h"

G_BEGIN_DECLS

typedef enum
{
  DR_CLUSTER_STATE_UNKNOWN,      /* not checked yet, or could not be told (see the detail) */
  DR_CLUSTER_STATE_ABSENT,       /* no such kind cluster */
  DR_CLUSTER_STATE_STOPPED,      /* its node container does not run (after a reboot) */
  DR_CLUSTER_STATE_STARTING,     /* the node runs, the API server is not ready yet */
  DR_CLUSTER_STATE_READY,        /* the API server answers ready */
  DR_CLUSTER_STATE_UNREACHABLE,  /* the API server does not answer */
} DrClusterState;

typedef enum
{
  DR_CONTROLLER_STATE_UNKNOWN,        /* the cluster is not ready, or not asked yet */
  DR_CONTROLLER_STATE_MISSING,        /* no ARC controller in the cluster */
  DR_CONTROLLER_STATE_INSTALLING,     /* dr_cluster_install_controller() runs */
  DR_CONTROLLER_STATE_STARTING,       /* installed, not available yet (the detail says why) */
  DR_CONTROLLER_STATE_READY,          /* available, and of DR_ARC_VERSION's major.minor */
  DR_CONTROLLER_STATE_OTHER_VERSION,  /* a controller of another major.minor version */
} DrControllerState;

typedef enum
{
  DR_CONTROLLER_INSTALL_NONE    = 0,
  /* Scale sets labelled with another ARC version would be deleted by the new controller
   * (FACTS.md §2.6): stop the old deskrun controller and re-label them with DR_ARC_VERSION
   * first, instead of refusing. */
  DR_CONTROLLER_INSTALL_MIGRATE = 1 << 0,
} DrControllerInstallFlags;

#define DR_TYPE_CLUSTER (dr_cluster_get_type ())
G_DECLARE_FINAL_TYPE (DrCluster, dr_cluster, DR, CLUSTER, GObject)

/* The kind cluster @name (NULL: DR_DEFAULT_KIND_CLUSTER), with Docker or Podman as the
 * prerequisites check finds them, and the cache root $XDG_CACHE_HOME/deskrun. */
DrCluster          *dr_cluster_new_kind               (const char  *name);
/* Context @context (NULL: the current context) of the kubeconfig at @kubeconfig_path (NULL:
 * $KUBECONFIG, else ~/.kube/config), read at every refresh until it gives a client. */
DrCluster          *dr_cluster_new_for_context        (const char  *kubeconfig_path,
                                                       const char  *context);

gboolean            dr_cluster_is_kind                (DrCluster   *self);
/* The kind cluster's name, or the context's (NULL before the first refresh when the
 * current context is used). */
const char         *dr_cluster_get_name               (DrCluster   *self);
/* Where the controller is installed: DR_DEFAULT_CONTROLLER_NAMESPACE. */
const char         *dr_cluster_get_controller_namespace (DrCluster *self);
/* The registry dr_cluster_install_controller() pulls ARC's chart from when it has no chart
 * file: a URL such as "https://mirror.example:5000" (see dr_config_check_chart_registry()),
 * or NULL (the default) for DR_OCI_CHART_DEFAULT_REGISTRY_URL. Used by the next install. */
const char         *dr_cluster_get_chart_registry     (DrCluster   *self);
void                dr_cluster_set_chart_registry     (DrCluster   *self,
                                                       const char  *url);

DrClusterState      dr_cluster_get_state              (DrCluster   *self);
const char         *dr_cluster_get_state_detail       (DrCluster   *self);
DrControllerState   dr_cluster_get_controller_state   (DrCluster   *self);
const char         *dr_cluster_get_controller_version (DrCluster   *self);
const char         *dr_cluster_get_controller_detail  (DrCluster   *self);
const DrPrerequisites *dr_cluster_get_prerequisites   (DrCluster   *self);
DrKubeClient       *dr_cluster_get_kube_client        (DrCluster   *self);
/* What the kind cluster's node shares of this computer, as read from the node when the
 * cluster was last found ready (every refresh, create and start reads it again): runner
 * mount sources are translated with it (dr_kind_host_path_to_node_path()). NULL for a
 * kubeconfig context, before it was read, when it could not be read, and once the cluster
 * is gone. */
const DrKindConfig *dr_cluster_get_kind_config        (DrCluster   *self);

/* Each verb starts at once and returns its operation (transfer full). The kind verbs fail
 * with DR_ERROR_UNSUPPORTED for a kubeconfig context, and create, start, delete and
 * install fail with DR_ERROR_CONFLICT while another of them runs. */

/* Checks the prerequisites (kind clusters), then the cluster's state, then the controller.
 * Fails when the state cannot be told (no container engine, kind failed, a kubeconfig that
 * cannot be used); the state and its detail say the same. */
DrOperation        *dr_cluster_refresh                (DrCluster   *self);
/* `kind create cluster` with the config for this machine (the cache root, and the Docker
 * socket and Nix paths that exist), kind's output in the log. Fails when the cluster
 * exists. A cancel ends kind and deletes the half-made cluster. */
DrOperation        *dr_cluster_create                 (DrCluster   *self);
/* Starts the stopped node container and waits until the API server is ready. */
DrOperation        *dr_cluster_start                  (DrCluster   *self);
DrOperation        *dr_cluster_delete                 (DrCluster   *self);
/* Installs or upgrades ARC's controller DR_ARC_VERSION (FACTS.md §3): loads the chart
 * (@chart_file, a local .tgz, or NULL to pull it from the chart registry, the download as
 * the operation's fraction), applies its CRDs with server-side apply, waits until each is
 * Established, applies the controller objects, and waits until the Deployment is
 * Available. A timeout names what is missing. Refuses (DR_ERROR_CONFLICT) when scale sets
 * of another ARC version exist, unless @flags has DR_CONTROLLER_INSTALL_MIGRATE, and when
 * a controller that deskrun did not install runs in the cluster. */
DrOperation        *dr_cluster_install_controller     (DrCluster                *self,
                                                       const char               *chart_file,
                                                       DrControllerInstallFlags  flags);

G_END_DECLS
