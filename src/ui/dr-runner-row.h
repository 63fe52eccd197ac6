/* dr-runner-row.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_RUNNER_ROW (dr_runner_row_get_type ())
G_DECLARE_FINAL_TYPE (DrRunnerRow, dr_runner_row, DR, RUNNER_ROW, AdwActionRow)

/* A sidebar row for one runner: its name, its repository and a status dot, kept up to date
 * with the live DrRunner. */
GtkWidget  *dr_runner_row_new             (DrRunner       *runner);
DrRunner   *dr_runner_row_get_runner      (DrRunnerRow    *self);

/* The CSS class of a runner's status icon, in the sidebar and on the runner page alike. */
const char *dr_runner_status_css_class    (DrRunnerStatus  status);

G_END_DECLS
