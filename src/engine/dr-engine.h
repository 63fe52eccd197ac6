/* dr-engine.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one facade the window, the tray and deskrunctl talk to (DESIGN.md). It holds the
 * desired state (the config, secrets in the keyring) and exposes runners as a GListModel of
 * DrRunner; every verb is asynchronous and cancellable.
 */
#pragma once

#include <gio/gio.h>

#include "dr-cluster.h"
#include "dr-config.h"
#include "dr-credential.h"
#include "dr-ephemeral-runner.h"
#include "dr-kube-client.h"
#include "dr-kube-log-stream.h"
#include "dr-operation.h"
#include "dr-runner.h"
#include "dr-runner-instance.h"
#include "dr-runner-spec.h"

G_BEGIN_DECLS

#define DR_TYPE_ENGINE (dr_engine_get_type ())
G_DECLARE_FINAL_TYPE (DrEngine, dr_engine, DR, ENGINE, GObject)

G_END_DECLS
#include "dr-engine-jobs.h"
G_BEGIN_DECLS

typedef struct
{
  GStrv  imported;     /* names of the runners that were added */
  GStrv  warnings;     /* one sentence per installation that was skipped, and why */
  char  *legacy_path;  /* the old file, which still holds the tokens in plain text */
} DrImportReport;

void            dr_import_report_free            (DrImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrImportReport, dr_import_report_free)

/* NULL paths mean the defaults ($XDG_CONFIG_HOME/deskrun/config.json, ~/.deskrun/config.json). */
DrEngine       *dr_engine_new                    (const char      *config_path,
                                                  const char      *legacy_config_path);

/* Reads the config. When it cannot be used the engine still starts, with no runners, and
 * dr_engine_get_config_problem() says what happened; the broken file is never overwritten. */
void            dr_engine_load                   (DrEngine        *self);
const char     *dr_engine_get_config_problem     (DrEngine        *self);
DrConfig       *dr_engine_get_config             (DrEngine        *self);

/* DrRunner items, in configuration order; while connected, followed by the scale sets the
 * cluster has with deskrun's labels and the config does not (DR_RUNNER_STATUS_UNMANAGED). */
GListModel     *dr_engine_get_runners            (DrEngine        *self);
DrRunner       *dr_engine_lookup_runner          (DrEngine        *self,
                                                  const char      *name);

/* Validates, stores the credential in the keyring, then saves the runner to the config.
 * Nothing is left behind on failure: a stored credential is deleted again. */
void            dr_engine_add_runner_async       (DrEngine            *self,
                                                  DrRunnerSpec        *spec,
                                                  const DrCredential  *credential,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DrRunner       *dr_engine_add_runner_finish      (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Changes a configured runner (looked up by @spec's name, which cannot change). A NULL
 * @credential keeps the stored one; a new one replaces it in the keyring once the config is
 * saved. Nothing changes on failure. The cluster is not touched: apply afterwards. */
void            dr_engine_update_runner_async    (DrEngine            *self,
                                                  DrRunnerSpec        *spec,
                                                  const DrCredential  *credential,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DrRunner       *dr_engine_update_runner_finish   (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Whether the cluster can see every explicit mount source of @spec: a kind cluster only
 * shares some folders of this computer (~/.cache/deskrun, the Docker socket, Nix). Fails with
 * DR_ERROR_INVALID saying what to do; succeeds while that is not known yet. */
gboolean        dr_engine_check_mounts           (DrEngine            *self,
                                                  const DrRunnerSpec  *spec,
                                                  GError             **error);

/* dr_engine_remove_runner() for callers that only want the outcome: completes when that
 * operation finishes. Cancelling @cancellable stops waiting, not the removal (it goes on
 * in the engine, and in the operations model, after the window is closed). */
void            dr_engine_remove_runner_async    (DrEngine            *self,
                                                  const char          *name,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        dr_engine_remove_runner_finish   (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The cluster the engine talks to; NULL (the default) means not connected. Setting one
 * starts observing it (the runners' live properties, unmanaged scale sets); NULL stops.
 * Property "kube-client". The cluster lifecycle (kind, controller install) sets it. */
void            dr_engine_set_kube_client        (DrEngine            *self,
                                                  DrKubeClient        *client);
DrKubeClient   *dr_engine_get_kube_client        (DrEngine            *self);
/* Whether the engine watches the cluster it is connected to (what the runners show there,
 * and unmanaged runners): TRUE by default. Every watch is a connection and a list, so a
 * one-shot command that needs no live state (deskrunctl apply, scale, remove) turns it off,
 * and one that does (status, logs) turns it on before it waits for "synced". */
void            dr_engine_set_observing          (DrEngine            *self,
                                                  gboolean             observing);
/* While connected: TRUE once every watch of the cluster has listed what is there and the
 * runners show it, so a one-shot view (deskrunctl status) knows when to print. Property
 * "synced"; FALSE again when the client changes. */
gboolean        dr_engine_get_synced             (DrEngine            *self);
/* While connected: why the cluster cannot be watched right now (the first watch that is
 * backing off after an error, with its message), or NULL. Property "cluster-error". */
const char     *dr_engine_get_cluster_error      (DrEngine            *self);

/* Every DrOperation the engine started, newest last. */
GListModel     *dr_engine_get_operations         (DrEngine            *self);

/* The cluster verbs. Each returns its running (or already failed) DrOperation, transfer
 * full; the operations model holds it too. None of them ever logs a secret. */

/* Makes the cluster match the runner's configuration: its credential from the keyring, the
 * runner namespace, then every rendered object by server-side apply, in place (changing
 * min/max, mounts or labels never deletes anything). Then it prunes: what deskrun made for
 * this runner (its labels, a name deskrun renders) that the configuration no longer renders
 * — a scale set after fewer instances, a mode's helpers after a mode change — is removed as
 * dr_engine_remove_runner() removes it (scale sets first, helpers once they are gone). A
 * prune that gets stuck fails the operation with G_IO_ERROR_TIMED_OUT, saying the runner
 * itself was updated. */
DrOperation    *dr_engine_apply_runner           (DrEngine            *self,
                                                  const char          *name);
/* Every configured runner, one after the other ("up"). */
DrOperation    *dr_engine_apply_all              (DrEngine            *self);

/* Validates and saves the new size, then merge-patches minRunners/maxRunners of the scale
 * set and nothing else (FACTS.md §2.9). Runners with instances cannot be scaled. Without a
 * cluster only the configuration changes; it takes effect on the next apply. */
DrOperation    *dr_engine_scale_runner           (DrEngine            *self,
                                                  const char          *name,
                                                  guint                min_runners,
                                                  guint                max_runners);

/* Removes the runner from the cluster in the order that avoids stuck finalizers (FACTS.md
 * §2.8): its scale sets first, waiting until they are gone, then their helper objects; then
 * from the config and its credential from the keyring. Without a cluster only the config
 * and the keyring entry go. A runner that is only in the cluster (unmanaged) is removed
 * from the cluster. An object still held by finalizers after the removal timeout (two
 * minutes) ends the operation with G_IO_ERROR_TIMED_OUT and a message naming the object
 * and its finalizers; dr_engine_force_remove_runner() is the way out. */
DrOperation    *dr_engine_remove_runner          (DrEngine            *self,
                                                  const char          *name);
/* The recovery for a stuck removal, only ever on the user's request: deletes what is left
 * and clears the finalizers of the runner's EphemeralRunners, EphemeralRunnerSets,
 * AutoscalingListeners, scale sets and helpers. The scale set then stays registered,
 * offline, on GitHub (the log says so and where to remove it). */
DrOperation    *dr_engine_force_remove_runner    (DrEngine            *self,
                                                  const char          *name);
/* Removes every configured runner from the cluster and keeps the configuration ("down"). */
DrOperation    *dr_engine_remove_all_from_cluster (DrEngine           *self);

/* Live logs, started and following (stop or unref to end them), with timestamps; NULL when
 * not connected or when there is no such pod. The listener of @runner_name (a runner, whose
 * first scale set with a listener is taken, or one scale set of it), container "listener";
 * a runner pod (an EphemeralRunner's name, see DrEphemeralRunner), container "runner".
 * @tail_lines 0 means the whole log. */
DrKubeLogStream *dr_engine_follow_listener_log   (DrEngine            *self,
                                                  const char          *runner_name,
                                                  guint                tail_lines);
DrKubeLogStream *dr_engine_follow_runner_log     (DrEngine            *self,
                                                  const char          *pod,
                                                  guint                tail_lines);
/* The same logs with the caller's @options (NULL: the whole log, once, without timestamps);
 * the engine picks the container. Started; NULL as above. */
DrKubeLogStream *dr_engine_open_listener_log     (DrEngine               *self,
                                                  const char             *runner_name,
                                                  const DrKubeLogOptions *options);
DrKubeLogStream *dr_engine_open_runner_log       (DrEngine               *self,
                                                  const char             *pod,
                                                  const DrKubeLogOptions *options);

/* The disk space the automatic cache folders of @runner_name take on this computer
 * (dr_cache_dirs_for_runner(), measured by dr_cache_measure_async(): allocated bytes, 0 when
 * none exists yet). It is measured on each call rather than kept as a DrRunner property: a
 * cache grows while jobs run and nothing tells when, so only the caller knows when a fresh
 * figure is worth the disk reads. Fails with DR_ERROR_NOT_FOUND for an unknown runner and
 * DR_ERROR_UNSUPPORTED when the cluster is a kubeconfig context, whose caches are on its
 * nodes. The kind cluster shares dr_cache_root(), the folder measured. */
void            dr_engine_measure_runner_cache_async  (DrEngine            *self,
                                                       const char          *runner_name,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        dr_engine_measure_runner_cache_finish (DrEngine            *self,
                                                       GAsyncResult        *result,
                                                       guint64             *bytes,
                                                       GError             **error);

/* The deskrun CLI's config (FACTS.md §2.11): whether it exists, and importing it. */
gboolean        dr_engine_has_legacy_config      (DrEngine            *self);
const char     *dr_engine_get_legacy_config_path (DrEngine            *self);
void            dr_engine_import_legacy_async    (DrEngine            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DrImportReport *dr_engine_import_legacy_finish   (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The cluster the runners live on: made from the config by dr_engine_load() (the kind
 * cluster, or a kubeconfig context), or set explicitly (deskrunctl --kubeconfig, tests).
 * The engine follows its "kube-client": when the cluster becomes ready it connects and
 * starts watching. Nothing here refreshes it: callers decide when to touch docker/kind.
 * The cluster gets the config's chart registry (dr_config_get_chart_registry()) when it is
 * set; change it afterwards for one install only. */
DrCluster      *dr_engine_get_cluster            (DrEngine            *self);
void            dr_engine_set_cluster            (DrEngine            *self,
                                                  DrCluster           *cluster);
/* Shows @operation (a cluster verb) with the engine's own in dr_engine_get_operations(). */
void            dr_engine_add_operation          (DrEngine            *self,
                                                  DrOperation         *operation);

G_END_DECLS
