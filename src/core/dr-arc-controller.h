/* dr-arc-controller.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ARC's controller as the gha-runner-scale-set-controller chart DR_ARC_VERSION installs it in
 * its default cluster-wide mode, without helm (FACTS.md §3): the objects of release
 * DR_ARC_CONTROLLER_RELEASE, the chart's CRDs turned from YAML into JSON for server-side
 * apply, and what the engine reads back from the cluster (the installed version, why the
 * controller is not available yet). Pure and deterministic: the same input gives the same
 * JSON, member by member.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-arc-api.h"
#include "dr-versions.h"

G_BEGIN_DECLS

#define DR_ARC_CONTROLLER_CONTAINER       "manager"
/* The chart's "gha-base-name": app.kubernetes.io/name and part-of of every controller. */
#define DR_ARC_CONTROLLER_BASE_NAME       "gha-rs-controller"
#define DR_ARC_CONTROLLER_LISTENER_ROLE   DR_ARC_CONTROLLER_FULLNAME "-listener"
/* Every controller Deployment, whoever installed it (helm or deskrun), carries this label; the
 * scale-set chart finds the controller by it (FACTS.md §2.7). */
#define DR_ARC_CONTROLLER_SELECTOR        "app.kubernetes.io/part-of=" DR_ARC_CONTROLLER_BASE_NAME
/* The controller's own metrics and every listener's metrics (FACTS.md §4.2). */
#define DR_ARC_METRICS_PORT               8080

/* The controller objects in apply order: Namespace, ServiceAccount, ClusterRole,
 * ClusterRoleBinding, listener Role and RoleBinding, Deployment. @namespace_ NULL means
 * DR_DEFAULT_CONTROLLER_NAMESPACE. The Deployment runs DR_ARC_CONTROLLER_IMAGE with the
 * chart's default flags, except that controller and listener metrics are served on
 * DR_ARC_METRICS_PORT. Element type: JsonNode (objects), owned. */
GPtrArray  *dr_arc_controller_render          (const char  *namespace_);

/* The label selector of the pods of the Deployment that dr_arc_controller_render() made. */
char       *dr_arc_controller_pod_selector    (const char  *namespace_);

/* The CRDs of one file of the chart's crds/ folder (@contents, YAML, one or more documents)
 * as JSON objects, in file order. Each must be an apiextensions.k8s.io/v1
 * CustomResourceDefinition of group DR_ARC_API_GROUP with a name: a chart is input from
 * outside, and it must not install anything else. DR_ERROR_INVALID naming @file_name
 * otherwise (or the YAML error). Element type: JsonNode, owned. */
GPtrArray  *dr_arc_controller_parse_crds      (const char  *file_name,
                                               GBytes      *contents,
                                               GError     **error);

/* Whether @version ("0.14.2", "v0.14.1") has DR_ARC_VERSION's major.minor, as the controller
 * demands of every AutoscalingRunnerSet's app.kubernetes.io/version label (FACTS.md §2.6).
 * NULL or unparsable: FALSE, as for the controller. */
gboolean    dr_arc_version_is_compatible      (const char  *version);

/* The version of a controller Deployment: its app.kubernetes.io/version label, else the tag
 * of the image of its DR_ARC_CONTROLLER_CONTAINER container, else NULL. */
char       *dr_arc_controller_get_version     (JsonNode    *deployment);

/* The status ("True", "False", "Unknown") of condition @type in @object's
 * status.conditions, or NULL when it has none; @reason and @message (may be NULL) receive
 * the condition's, or NULL. The strings point into @object. */
const char *dr_arc_get_condition              (JsonNode    *object,
                                               const char  *type,
                                               const char **reason,
                                               const char **message);

/* For a person: why the controller @deployment is not available yet, read from its own
 * conditions and from @pods (a list object of its pods, may be NULL): no pod created, a pod
 * that cannot be scheduled, an image that cannot be pulled, a crashing container, a
 * container that runs but is not ready. Never NULL. */
char       *dr_arc_controller_describe_progress (JsonNode  *deployment,
                                                 JsonNode  *pods);

G_END_DECLS
