/* dr-runner-instance.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One scale set of a runner as observed in the cluster. A runner has one; a runner with N
 * cache-isolated instances has N (NAME-1 … NAME-N), and its DrRunner shows their sum while
 * this keeps each one's detail. Read-only; the engine updates it.
 */
#pragma once

#include <glib-object.h>

#include "dr-runner.h"

G_BEGIN_DECLS

#define DR_TYPE_RUNNER_INSTANCE (dr_runner_instance_get_type ())
G_DECLARE_FINAL_TYPE (DrRunnerInstance, dr_runner_instance, DR, RUNNER_INSTANCE, GObject)

/* Properties (read-only, notified on change): scale-set, deployed, phase, current-runners,
 * pending-runners, running-runners, failed-runners, listener-state, listener-pod. */
const char      *dr_runner_instance_get_scale_set       (DrRunnerInstance *self);
gboolean         dr_runner_instance_get_deployed        (DrRunnerInstance *self);
const char      *dr_runner_instance_get_phase           (DrRunnerInstance *self);
guint            dr_runner_instance_get_current_runners (DrRunnerInstance *self);
guint            dr_runner_instance_get_pending_runners (DrRunnerInstance *self);
guint            dr_runner_instance_get_running_runners (DrRunnerInstance *self);
guint            dr_runner_instance_get_failed_runners  (DrRunnerInstance *self);
DrListenerState  dr_runner_instance_get_listener_state  (DrRunnerInstance *self);
const char      *dr_runner_instance_get_listener_pod    (DrRunnerInstance *self);

G_END_DECLS
