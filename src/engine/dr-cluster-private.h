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

/* The first pause between two reads of an object that is waited for, doubled after each
 * read up to @max_ms (defaults 250 ms and 4 s); once set, also the pause between two ready
 * probes while the node starts (otherwise kind's default). */
void _dr_cluster_set_poll_interval (DrCluster *self,
                                    guint      first_ms,
                                    guint      max_ms);

/* Gives a kind cluster (a copy of) @config as if it had been read from its node; NULL
 * forgets it. */
void _dr_cluster_set_kind_config   (DrCluster          *self,
                                    const DrKindConfig *config);

G_END_DECLS
