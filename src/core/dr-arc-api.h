/* dr-arc-api.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ARC's Kubernetes API as deskrun uses it (ARC 0.14.2, FACTS.md §2): its group and version,
 * its kinds and their REST resource names, and the one place that maps a kind deskrun reads
 * or writes to its resource name.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DR_ARC_API_GROUP                     "actions.github.com"
#define DR_ARC_API_VERSION                   DR_ARC_API_GROUP "/v1alpha1"

#define DR_ARC_KIND_SCALE_SET                "AutoscalingRunnerSet"
#define DR_ARC_KIND_LISTENER                 "AutoscalingListener"
#define DR_ARC_KIND_EPHEMERAL_RUNNER_SET     "EphemeralRunnerSet"
#define DR_ARC_KIND_EPHEMERAL_RUNNER         "EphemeralRunner"

#define DR_ARC_PLURAL_SCALE_SETS             "autoscalingrunnersets"
#define DR_ARC_PLURAL_LISTENERS              "autoscalinglisteners"
#define DR_ARC_PLURAL_EPHEMERAL_RUNNER_SETS  "ephemeralrunnersets"
#define DR_ARC_PLURAL_EPHEMERAL_RUNNERS      "ephemeralrunners"

/* The finalizer deskrun's rendered helpers carry; the controller strips it while it deletes
 * their scale set (FACTS.md §2.3, §2.8). */
#define DR_ARC_CLEANUP_FINALIZER             DR_ARC_API_GROUP "/cleanup-protection"

/* The REST resource name of a kind deskrun reads or writes — ARC's four, the helpers of a
 * scale set, the controller's objects and CRDs ("Deployment" → "deployments") — or NULL for
 * any other kind. */
const char *dr_arc_api_plural (const char *kind);

G_END_DECLS
