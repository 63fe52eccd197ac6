/* dr-kind.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local kind cluster (FACTS.md §7): its config, and create / start / delete / state /
 * kubeconfig through the kind and docker (or podman) command lines, run as DrHostCommands.
 *
 * The cluster is one control-plane node container, NAME-control-plane. kind can share host
 * folders with the node only when the cluster is created (extraMounts), so the config shares
 * a fixed set of roots: the host cache root ($XDG_CACHE_HOME/deskrun) at
 * DR_KIND_NODE_CACHE_DIR, where every runner's automatic cache directories live and survive
 * the node being re-created; the Docker socket; and the Nix store and Nix daemon socket
 * folder when the host has them (FACTS.md §2.10). A runner mount whose host path is outside
 * these roots needs the cluster re-created: see dr_kind_host_path_is_mounted().
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The host cache root appears here inside the node (the same value as
 * DR_HOST_CACHE_NODE_DIR of the ARC renderer). */
#define DR_KIND_NODE_CACHE_DIR   "/host-cache/deskrun"
/* The kind release deskrun is tested with, and suggests installing. */
#define DR_KIND_VERSION          "v0.32.0"
/* What `kind create cluster --wait` gets. */
#define DR_KIND_CREATE_WAIT      "5m"

#define DR_KIND_DOCKER_SOCKET    "/var/run/docker.sock"
#define DR_KIND_NIX_STORE        "/nix/store"
#define DR_KIND_NIX_DAEMON_DIR   "/nix/var/nix/daemon-socket"

/* Which container engine runs the node. kind is told about Podman through
 * KIND_EXPERIMENTAL_PROVIDER=podman. */
typedef enum
{
  DR_CONTAINER_PROVIDER_NONE,
  DR_CONTAINER_PROVIDER_DOCKER,
  DR_CONTAINER_PROVIDER_PODMAN,
} DrContainerProvider;

/* "docker", "podman", or NULL for NONE. */
const char *dr_container_provider_get_program (DrContainerProvider provider);

typedef enum
{
  DR_KIND_STATE_ABSENT,       /* no such kind cluster */
  DR_KIND_STATE_STOPPED,      /* the node container exists but does not run (after a reboot) */
  DR_KIND_STATE_STARTING,     /* the node runs (or restarts), the API server is not ready yet */
  DR_KIND_STATE_READY,        /* the API server says it is ready */
  DR_KIND_STATE_UNREACHABLE,  /* the node runs but the API server does not answer */
} DrKindState;

const char *dr_kind_state_to_string (DrKindState state);


/* The kind config: a plain value, built and then turned into YAML for `--config -`. */
typedef struct _DrKindConfig DrKindConfig;

#define DR_TYPE_KIND_CONFIG (dr_kind_config_get_type ())

GType         dr_kind_config_get_type        (void) G_GNUC_CONST;

/* A config for cluster @name whose node shares @cache_root (an absolute host path; NULL for
 * $XDG_CACHE_HOME/deskrun) at DR_KIND_NODE_CACHE_DIR. Nothing else is shared until added. */
DrKindConfig *dr_kind_config_new             (const char          *name,
                                              const char          *cache_root);
DrKindConfig *dr_kind_config_copy            (const DrKindConfig  *self);
void          dr_kind_config_free            (DrKindConfig        *self);

/* Shares @host_path (absolute) at @node_path (absolute, inside the node). */
void          dr_kind_config_add_mount       (DrKindConfig        *self,
                                              const char          *host_path,
                                              const char          *node_path,
                                              gboolean             read_only);
/* A node image other than kind's default ("kindest/node:v1.36.1" for kind v0.32.0). */
void          dr_kind_config_set_node_image  (DrKindConfig        *self,
                                              const char          *image);
const char   *dr_kind_config_get_name        (const DrKindConfig  *self);
/* The host path shared at DR_KIND_NODE_CACHE_DIR; NULL for a config read from a cluster
 * that deskrun did not create (dr_kind_get_config_async()). */
const char   *dr_kind_config_get_cache_root  (const DrKindConfig  *self);

/* The config as kind reads it: {apiVersion: kind.x-k8s.io/v1alpha4, kind: Cluster, name,
 * nodes: [{role: control-plane, image?, extraMounts: [{hostPath, containerPath,
 * readOnly?}…]}]}. */
JsonNode     *dr_kind_config_to_json         (const DrKindConfig  *self);
char         *dr_kind_config_to_yaml         (const DrKindConfig  *self);

/* Whether @path (an absolute host path) is one of the shared roots or inside one, so a
 * runner may use it as a mount source without re-creating the cluster. */
gboolean      dr_kind_host_path_is_mounted   (const DrKindConfig  *config,
                                              const char          *path);
/* Where @path appears inside the node, or NULL when it is not shared. */
char         *dr_kind_host_path_to_node_path (const DrKindConfig  *config,
                                              const char          *path);
/* For a person: why @path cannot be used yet and what to do (re-create the cluster, or move
 * the folder under the cache root). */
char         *dr_kind_host_path_unmounted_message (const DrKindConfig *config,
                                                   const char         *path);

/* The default config for this machine: the cache root, plus the Docker socket, the Nix
 * store (read-only) and the Nix daemon socket folder when they exist on the host (inside
 * Flatpak the host is asked, since the sandbox does not see them). */
void          dr_kind_config_detect_async    (const char          *name,
                                              const char          *cache_root,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DrKindConfig *dr_kind_config_detect_finish   (GAsyncResult        *result,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrKindConfig, dr_kind_config_free)


#define DR_TYPE_KIND (dr_kind_get_type ())

G_DECLARE_FINAL_TYPE (DrKind, dr_kind, DR, KIND, GObject)

/* Tells whether the cluster's API server is ready (the engine implements it with GET /readyz
 * over the kubeconfig from dr_kind_get_kubeconfig_async(); tests use a fake).
 * check_finish() returns TRUE when the server answered ready, FALSE without an error when it
 * answered but is not ready yet, and FALSE with an error when it could not be reached. */
#define DR_TYPE_READY_PROBE (dr_ready_probe_get_type ())

G_DECLARE_INTERFACE (DrReadyProbe, dr_ready_probe, DR, READY_PROBE, GObject)

struct _DrReadyProbeInterface
{
  GTypeInterface parent_iface;

  void     (*check_async)  (DrReadyProbe         *self,
                            DrKind               *kind,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*check_finish) (DrReadyProbe         *self,
                            GAsyncResult         *result,
                            GError              **error);
};

void         dr_ready_probe_check_async      (DrReadyProbe         *self,
                                              DrKind               *kind,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     dr_ready_probe_check_finish     (DrReadyProbe         *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* One kind cluster, reached through @provider's command line.
 *
 * ::line (const char *line, gboolean is_stderr) carries the output of create, start and
 * delete as it arrives, for a progress view; state and kubeconfig queries are quiet.
 *
 * @name NULL means DR_DEFAULT_KIND_CLUSTER. @provider must not be NONE. */
DrKind             *dr_kind_new                  (const char           *name,
                                                  DrContainerProvider   provider);
const char         *dr_kind_get_name             (DrKind               *self);
DrContainerProvider dr_kind_get_provider         (DrKind               *self);
/* "NAME-control-plane" */
const char         *dr_kind_get_node_container   (DrKind               *self);
/* Without a probe a running node counts as ready. */
void                dr_kind_set_ready_probe      (DrKind               *self,
                                                  DrReadyProbe         *probe);
DrReadyProbe       *dr_kind_get_ready_probe      (DrKind               *self);

/* `kind create cluster --name NAME --config - --wait 5m`, the config on stdin. The cache
 * root is created first (a G_IO_ERROR when that fails). kind's progress arrives through
 * ::line. @config must be for this cluster's name. After a cancel the cluster may be half
 * made: delete it. */
void                dr_kind_create_async         (DrKind               *self,
                                                  const DrKindConfig   *config,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            dr_kind_create_finish        (DrKind               *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* kind has no start command: `docker start NAME-control-plane`, then the ready probe is asked
 * once a second until it says ready or @timeout_seconds pass (G_IO_ERROR_TIMED_OUT, with the
 * probe's last answer). */
void                dr_kind_start_async          (DrKind               *self,
                                                  guint                 timeout_seconds,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            dr_kind_start_finish         (DrKind               *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* `kind delete cluster --name NAME` (succeeds when there is no such cluster, as kind does). */
void                dr_kind_delete_async         (DrKind               *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            dr_kind_delete_finish        (DrKind               *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* `kind get clusters`, then `docker inspect -f {{.State.Status}} NAME-control-plane`, then,
 * for a running node, the ready probe. @detail (optional) gets a sentence for a person on
 * why the state is what it is (the probe's error for UNREACHABLE), or NULL. An error means
 * the state could not be told (kind or the container engine failed). */
void                dr_kind_get_state_async      (DrKind               *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
DrKindState         dr_kind_get_state_finish     (DrKind               *self,
                                                  GAsyncResult         *result,
                                                  char                **detail,
                                                  GError              **error);

/* What the existing cluster shares of this computer, read from its node container
 * (`docker inspect -f {{json .Mounts}} NAME-control-plane`): a config holding its bind mounts,
 * kind's own (/lib/modules) included, to check runner mounts against with
 * dr_kind_host_path_is_mounted(). DR_ERROR_NOT_FOUND when there is no node container. */
void                dr_kind_get_config_async     (DrKind               *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
DrKindConfig       *dr_kind_get_config_finish    (DrKind               *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* `kind get kubeconfig --name NAME`, kept in memory: the kubeconfig text (it holds the
 * client key: do not log it, and do not write it to disk). Its output never reaches ::line
 * or an error message. */
void                dr_kind_get_kubeconfig_async (DrKind               *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GBytes             *dr_kind_get_kubeconfig_finish (DrKind              *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
