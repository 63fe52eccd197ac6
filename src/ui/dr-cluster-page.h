/* dr-cluster-page.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_CLUSTER_PAGE (dr_cluster_page_get_type ())
G_DECLARE_FINAL_TYPE (DrClusterPage, dr_cluster_page, DR, CLUSTER_PAGE, GtkWidget)

/* The cluster and its controller as three steps, each with its one next action (create or
 * start the cluster, install the controller, add a runner), the running operation, the
 * prerequisites with their fixes, and Delete. */
void        dr_cluster_page_set_engine     (DrClusterPage *self,
                                            DrEngine      *engine);
/* What the page says, one line per row (for tests). */
char       *_dr_cluster_page_dup_text      (DrClusterPage *self);
/* The confirmation dialog the page has open, if any (for tests). */
AdwMessageDialog *_dr_cluster_page_get_dialog (DrClusterPage *self);

G_END_DECLS
