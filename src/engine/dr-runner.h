/* dr-runner.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One configured runner as the UI, the tray and deskrunctl see it: the desired state (its
 * spec) joined with what deskrun observes. Widgets bind to its properties.
 */
#pragma once

#include <glib-object.h>

#include "dr-runner-spec.h"

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

#define DR_TYPE_RUNNER_STATUS (dr_runner_status_get_type ())
GType dr_runner_status_get_type (void) G_GNUC_CONST;

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

G_END_DECLS
