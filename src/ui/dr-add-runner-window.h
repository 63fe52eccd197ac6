/* dr-add-runner-window.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_ADD_RUNNER_WINDOW (dr_add_runner_window_get_type ())
G_DECLARE_FINAL_TYPE (DrAddRunnerWindow, dr_add_runner_window, DR, ADD_RUNNER_WINDOW, AdwWindow)

/* Emits "runner-added" (DrRunner) and closes once the runner is saved. */
DrAddRunnerWindow *dr_add_runner_window_new (GtkWindow *parent,
                                             DrEngine  *engine);

/* The same form for a configured runner: filled in, the name fixed, the credential fields
 * optional. Emits "runner-changed" (DrRunner) and closes once saved. */
DrAddRunnerWindow *dr_add_runner_window_new_for_edit (GtkWindow *parent,
                                                      DrEngine  *engine,
                                                      DrRunner  *runner);

G_END_DECLS
