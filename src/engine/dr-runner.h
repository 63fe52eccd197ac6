/* dr-runner.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One configured runner as the UI, the tray and deskrunctl see it: the desired state (its
 * spec) joined with what deskrun observes. Widgets bind to its properties.
 */
#pragma once

#include <gio/gio.h>

#include "dr-job-feed.h"
#include "dr-runner-spec.h"

#include "dr-engine-enums.h"

G_BEGIN_DECLS

typedef enum
{
  DR_RUNNER_STATUS_NOT_DEPLOYED,  /* in the config, not (yet) in a cluster */
  DR_RUNNER_STATUS_DEPLOYING,
  DR_RUNNER_STATUS_IDLE,          /* listener running, no job */
  DR_RUNNER_STATUS_BUSY,          /* at least one job running */
  DR_RUNNER_STATUS_DEGRADED,      /* listener missing or crash-looping, failed runners */
  DR_RUNNER_STATUS_UNMANAGED,     /* in the cluster with our labels, not in the config */
} DrRunnerStatus;

/* The listener pod of a scale set (FACTS.md §4), as far as the cluster shows it. */
typedef enum
{
  DR_LISTENER_STATE_UNKNOWN,        /* not connected, or not looked yet */
  DR_LISTENER_STATE_MISSING,        /* no listener pod */
  DR_LISTENER_STATE_PENDING,        /* scheduled, pulling, starting */
  DR_LISTENER_STATE_RUNNING,
  DR_LISTENER_STATE_CRASH_LOOPING,  /* CrashLoopBackOff, or exited */
} DrListenerState;

#define DR_TYPE_RUNNER (dr_runner_get_type ())
G_DECLARE_FINAL_TYPE (DrRunner, dr_runner, DR, RUNNER, GObject)

DrRunner       *dr_runner_new             (DrRunnerSpec *spec);

const char     *dr_runner_get_name        (DrRunner     *self);
DrRunnerSpec   *dr_runner_get_spec        (DrRunner     *self);
void            dr_runner_set_spec        (DrRunner     *self,
                                           DrRunnerSpec *spec);
DrRunnerStatus  dr_runner_get_status      (DrRunner     *self);
void            dr_runner_set_status      (DrRunner     *self,
                                           DrRunnerStatus status);
/* A short, translated, human description of the status ("Not deployed"). */
const char     *dr_runner_status_to_label (DrRunnerStatus status);

/* What the engine observes in the cluster (all read-only properties, notified on change:
 * "deployed", "phase", "current-runners", "pending-runners", "running-runners",
 * "failed-runners", "listener-state", "listener-pod", "status-detail"). With instances,
 * counts are summed over the scale sets, the phase and listener are the worst of them, and
 * instances() has each one. */
gboolean         dr_runner_get_deployed        (DrRunner *self);
/* The AutoscalingRunnerSet's status.phase ("Pending", "Running", "Outdated") or NULL. */
const char      *dr_runner_get_phase           (DrRunner *self);
guint            dr_runner_get_current_runners (DrRunner *self);
guint            dr_runner_get_pending_runners (DrRunner *self);
guint            dr_runner_get_running_runners (DrRunner *self);
guint            dr_runner_get_failed_runners  (DrRunner *self);
DrListenerState  dr_runner_get_listener_state  (DrRunner *self);
/* The listener pod's name (of the first instance that has one), or NULL. */
const char      *dr_runner_get_listener_pod    (DrRunner *self);
/* One translated sentence on why the runner needs attention and what to do, or why it is
 * not ready yet; NULL when all is well. */
const char      *dr_runner_get_status_detail   (DrRunner *self);
/* DrEphemeralRunner items ("ephemeral-runners"), sorted by name. */
GListModel      *dr_runner_get_ephemeral_runners (DrRunner *self);
/* DrRunnerInstance items ("instances"), one per scale set of the spec (or seen in the
 * cluster, for an unmanaged runner). */
GListModel      *dr_runner_get_instances       (DrRunner *self);
/* What GitHub says about the runner's jobs ("job-feed"): always there, empty until the
 * engine reads GitHub for this runner. */
DrJobFeed       *dr_runner_get_job_feed        (DrRunner *self);

G_END_DECLS
