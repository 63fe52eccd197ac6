/* dr-cluster-row.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_CLUSTER_ROW (dr_cluster_row_get_type ())
G_DECLARE_FINAL_TYPE (DrClusterRow, dr_cluster_row, DR, CLUSTER_ROW, AdwActionRow)

/* The sidebar's row for the cluster: its name, and in one line what it needs next or that all
 * is well (the controller included). */
void        dr_cluster_row_set_cluster (DrClusterRow   *self,
                                        DrCluster      *cluster);
DrCluster  *dr_cluster_row_get_cluster (DrClusterRow   *self);

/* What deskrun calls @state (translated), and in @css_class the CSS class of its status
 * icon. The sidebar row and the setup steps say it the same way. */
const char *dr_cluster_state_describe  (DrClusterState  state,
                                        const char    **css_class);

G_END_DECLS
