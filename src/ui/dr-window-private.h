/* dr-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests, which look at the window as a user would.
 */
#pragma once

#include "dr-add-runner-window.h"
#include "dr-cluster-page.h"
#include "dr-runner-page.h"
#include "dr-window.h"

G_BEGIN_DECLS

/* "empty" or "runners" */
const char        *_dr_window_get_visible_page     (DrWindow *self);
GtkListBox        *_dr_window_get_runner_list      (DrWindow *self);
DrRunnerPage      *_dr_window_get_runner_page      (DrWindow *self);
AdwLeaflet        *_dr_window_get_leaflet          (DrWindow *self);
/* The Add Runner window or confirmation dialog currently open, if any. */
DrAddRunnerWindow *_dr_window_get_add_runner_window (DrWindow *self);
AdwMessageDialog  *_dr_window_get_dialog           (DrWindow *self);
const char        *_dr_window_get_problem          (DrWindow *self);
/* Whether the empty page offers the deskrun CLI import. */
gboolean           _dr_window_offers_import        (DrWindow *self);
void               _dr_window_select_runner        (DrWindow   *self,
                                                    const char *name);

DrClusterPage     *_dr_window_get_cluster_page     (DrWindow   *self,
                                                    gboolean    on_empty_page);
/* Selects the sidebar's cluster row, as a click does. */
void               _dr_window_show_cluster         (DrWindow   *self);

G_END_DECLS
