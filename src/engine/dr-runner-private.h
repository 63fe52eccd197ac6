/* dr-runner-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the engine writes what it observed into DrRunner, DrRunnerInstance and
 * DrEphemeralRunner (dr-engine-observe.c). Each update notifies only what changed.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-ephemeral-runner.h"
#include "dr-runner.h"
#include "dr-runner-instance.h"

G_BEGIN_DECLS

/* What the cluster says about one scale set, or the sum over a runner's scale sets. */
typedef struct
{
  gboolean         deployed;
  const char      *phase;            /* the ARS status.phase */
  guint            current_runners;
  guint            pending_runners;
  guint            running_runners;
  guint            failed_runners;
  DrListenerState  listener_state;
  const char      *listener_pod;
} DrObserved;

void               _dr_runner_update_observed       (DrRunner          *self,
                                                     const DrObserved  *observed,
                                                     DrRunnerStatus     status,
                                                     const char        *status_detail);
/* The runner's models, for the engine to fill. */
GListStore        *_dr_runner_get_instance_store    (DrRunner          *self);
GListStore        *_dr_runner_get_ephemeral_store   (DrRunner          *self);

DrRunnerInstance  *_dr_runner_instance_new          (const char        *scale_set);
void               _dr_runner_instance_update       (DrRunnerInstance  *self,
                                                     const DrObserved  *observed);

DrEphemeralRunner *_dr_ephemeral_runner_new         (const char        *name);
/* From the EphemeralRunner object and its pod (NULL when there is none). */
void               _dr_ephemeral_runner_update      (DrEphemeralRunner *self,
                                                     JsonNode          *ephemeral_runner,
                                                     JsonNode          *pod);

G_END_DECLS
