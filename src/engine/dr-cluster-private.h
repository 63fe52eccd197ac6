/* dr-cluster-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hooks for tests.
 */
#pragma once

#include "dr-cluster.h"

G_BEGIN_DECLS

/* How long the verbs wait: for the API server after starting the node (default 120 s), for
 * every CRD to be Established (default 60 s) and for the controller to be Available (default
 * 300 s: its image may have to be downloaded). */
void _dr_cluster_set_timeouts      (DrCluster *self,
                                    guint      start_ms,
                                    guint      crds_ms,
                                    guint      controller_ms);

/* The pause between two ready probes while the node starts (otherwise kind's default).
 * Objects are never polled: the install watches them. */
void _dr_cluster_set_probe_interval (DrCluster *self,
                                     guint      milliseconds);

/* Gives a kind cluster (a copy of) @config as if it had been read from its node; NULL
 * forgets it. */
void _dr_cluster_set_kind_config   (DrCluster          *self,
                                    const DrKindConfig *config);

G_END_DECLS
