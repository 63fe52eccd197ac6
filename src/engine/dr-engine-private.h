/* dr-engine-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What dr-engine.c shares with its siblings: dr-engine-apply.c, dr-engine-remove.c and
 * dr-engine-verb.c (the runner verbs) and dr-engine-observe.c (the live model), and what the
 * tests may tune.
 */
#pragma once

#include "dr-engine.h"

G_BEGIN_DECLS

/* How long a removal waits for an object held by finalizers before it reports it stuck. */
#define DR_ENGINE_DEFAULT_REMOVAL_TIMEOUT_MS (2 * 60 * 1000)
/* How long a listener may be missing or starting before its runner is degraded. */
#define DR_ENGINE_DEFAULT_LISTENER_GRACE_MS  (60 * 1000)

typedef struct _DrEngineObserver DrEngineObserver;

struct _DrEngine
{
  GObject           parent_instance;

  char             *config_path;
  char             *legacy_config_path;
  DrConfig         *config;
  char             *config_problem;
  GListStore       *runners;           /* DrRunner: configured ones, then unmanaged ones */
  GListStore       *operations;        /* DrOperation, newest last */

  DrCluster        *cluster;
  DrKubeClient     *client;
  DrEngineObserver *observer;          /* watches the cluster while connected */
  gboolean          observing;         /* whether to watch at all (dr_engine_set_observing) */
  gboolean          synced;            /* every watch has listed, the runners show it */
  char             *cluster_error;     /* why a watch cannot be kept open, or NULL */
  guint             removal_timeout_ms;
  guint             listener_grace_ms;
};

/* The observer says how watching goes ("synced", "cluster-error"); notifies what changed. */
void          _dr_engine_set_watch_state       (DrEngine            *self,
                                                gboolean             synced,
                                                const char          *cluster_error);
/* Rebuilds the runner list from the config, then the unmanaged runners the cluster shows,
 * and joins what is observed into them. */
void          _dr_engine_sync_runners          (DrEngine            *self);
/* dr-engine-cluster.c: makes the cluster the config names, unless one was set. */
void          _dr_engine_ensure_cluster        (DrEngine            *self);
/* Saves the config, or puts the previous state back so memory never disagrees with disk. */
gboolean      _dr_engine_save_or_revert        (DrEngine            *self,
                                                DrRunnerSpec        *added,
                                                DrRunnerSpec        *removed,
                                                GError             **error);
/* DR_ERROR_NEWER_CONFIG when the config cannot be changed, with the message for a person. */
gboolean      _dr_engine_check_writable        (DrEngine            *self,
                                                GError             **error);
/* Removes @name from the config, then its credential from the keyring (the end of every
 * removal). */
void          _dr_engine_forget_runner_async   (DrEngine            *self,
                                                const char          *name,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      _dr_engine_forget_runner_finish  (DrEngine            *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Adds @operation to the operations model; returns it (transfer full) for the caller. */
DrOperation  *_dr_engine_track_operation       (DrEngine            *self,
                                                DrOperation         *operation);

/* dr-engine-observe.c: starts watching at once; frees stop. */
DrEngineObserver *_dr_engine_observer_new           (DrEngine         *engine,
                                                     DrKubeClient     *client);
void              _dr_engine_observer_free          (DrEngineObserver *observer);
/* Joins the stores again now: unmanaged runners (which may rebuild the runner list), then
 * every runner's observed state. */
void              _dr_engine_observer_refresh       (DrEngineObserver *observer);
/* Every runner's observed state, from the stores as they are. */
void              _dr_engine_observer_update_runners (DrEngineObserver *observer);
/* DrRunner: in the cluster with deskrun's labels, not in the config (owned by the
 * observer). */
GPtrArray        *_dr_engine_observer_get_unmanaged (DrEngineObserver *observer);

/* Tests: how long removals wait for finalizers. */
void          _dr_engine_set_removal_timeout   (DrEngine            *self,
                                                guint                timeout_ms);
/* Tests: how long a listener may be missing or starting before it counts as a problem. */
void          _dr_engine_set_listener_grace    (DrEngine            *self,
                                                guint                grace_ms);

/* dr-engine-jobs.c, tests: how long a 204 dispatch looks for its run. */
void          _dr_engine_set_dispatch_find_timeout (DrEngine        *self,
                                                    guint            seconds);

G_END_DECLS
