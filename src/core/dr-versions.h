/* dr-versions.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every pinned outside piece in one place, so an upgrade is one change (DESIGN.md). The
 * controller deletes any AutoscalingRunnerSet whose app.kubernetes.io/version label does not
 * match its own major.minor (FACTS.md §2.6), so DR_ARC_VERSION feeds both the controller
 * install and every rendered scale set.
 */
#pragma once

#define DR_ARC_VERSION               "0.14.2"
#define DR_ARC_CONTROLLER_CHART      "gha-runner-scale-set-controller"
#define DR_ARC_CHART_REGISTRY        "ghcr.io"
#define DR_ARC_CHART_REPOSITORY      "actions/actions-runner-controller-charts/gha-runner-scale-set-controller"
#define DR_ARC_CONTROLLER_IMAGE      "ghcr.io/actions/gha-runner-scale-set-controller:" DR_ARC_VERSION
#define DR_ARC_RUNNER_IMAGE          "ghcr.io/actions/actions-runner:latest"
/* The Docker daemon sidecar of dind mode, as the chart renders it (FACTS.md §2.2). */
#define DR_ARC_DIND_IMAGE            "docker:dind"

/* deskrun installs the controller as release "arc-controller", so the chart's fullname and
 * therefore the controller's ServiceAccount are "arc-controller-gha-rs-controller". The
 * manager RoleBinding of every scale set names this account (FACTS.md §2.6 item 5, §3). */
#define DR_ARC_CONTROLLER_RELEASE    "arc-controller"
#define DR_ARC_CONTROLLER_FULLNAME   "arc-controller-gha-rs-controller"
#define DR_ARC_CONTROLLER_SA         DR_ARC_CONTROLLER_FULLNAME

#define DR_DEFAULT_CONTROLLER_NAMESPACE "arc-systems"
#define DR_DEFAULT_RUNNER_NAMESPACE     "arc-runners"
#define DR_DEFAULT_KIND_CLUSTER         "deskrun"

/* ARC truncates scale-set names at 45 characters (FACTS.md §2.1). */
#define DR_RUNNER_NAME_MAX 45

/* kind installs the local-path provisioner as StorageClass "standard" (FACTS.md §7); the
 * generic ephemeral work volume of kubernetes mode asks for this much of it. */
#define DR_KIND_STORAGE_CLASS        "standard"
#define DR_ARC_WORK_VOLUME_SIZE      "1Gi"

/* Where automatic cache directories live *inside the kind node*. The cluster mounts the
 * host's $XDG_CACHE_HOME/deskrun here (FACTS.md §2.10, §7), so a cache survives the node
 * being re-created; the deskrun Go CLI used /tmp/github-runner-cache, which lives only in the
 * node container and is lost with it. A mount without a source becomes
 * DR_HOST_CACHE_NODE_DIR/<scale set>/mount-<i>. */
#define DR_HOST_CACHE_NODE_DIR       "/host-cache/deskrun"

/* Labels deskrun puts on every object it renders, so the engine can find what it manages
 * (label selectors) without a local record. */
#define DR_LABEL_MANAGED_BY_VALUE    "deskrun"
#define DR_LABEL_RUNNER              "deskrun.io/runner"
#define DR_LABEL_INSTANCE            "deskrun.io/instance"
