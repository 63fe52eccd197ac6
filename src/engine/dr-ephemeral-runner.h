/* dr-ephemeral-runner.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One ARC EphemeralRunner (one runner pod, one job at most) as the UI shows it: its phase,
 * whether the runner is online, and the job it runs (FACTS.md §1.4). Read-only; the engine
 * updates it from the cluster.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DR_TYPE_EPHEMERAL_RUNNER (dr_ephemeral_runner_get_type ())
G_DECLARE_FINAL_TYPE (DrEphemeralRunner, dr_ephemeral_runner, DR, EPHEMERAL_RUNNER, GObject)

/* Properties (read-only, notified on change): name (= pod name = GitHub runner name),
 * scale-set, phase ("Pending", "Running", "Succeeded", "Failed", "Outdated", or NULL before
 * the controller set one), ready (the runner is online), job-display-name, job-repository
 * ("owner/repo"), workflow-run-id (0 without a job), pod-phase (NULL without a pod), busy
 * (it runs a job). */
const char *dr_ephemeral_runner_get_name             (DrEphemeralRunner *self);
const char *dr_ephemeral_runner_get_scale_set        (DrEphemeralRunner *self);
const char *dr_ephemeral_runner_get_phase            (DrEphemeralRunner *self);
gboolean    dr_ephemeral_runner_get_ready            (DrEphemeralRunner *self);
const char *dr_ephemeral_runner_get_job_display_name (DrEphemeralRunner *self);
const char *dr_ephemeral_runner_get_job_repository   (DrEphemeralRunner *self);
gint64      dr_ephemeral_runner_get_workflow_run_id  (DrEphemeralRunner *self);
const char *dr_ephemeral_runner_get_pod_phase        (DrEphemeralRunner *self);
gboolean    dr_ephemeral_runner_get_busy             (DrEphemeralRunner *self);

G_END_DECLS
