/* dr-host-command-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hooks for tests and sibling files in src/host.
 */
#pragma once

#include "dr-host-command.h"

G_BEGIN_DECLS

/* Pretends to run inside (TRUE) or outside (FALSE) Flatpak; -1 goes back to looking for
 * /.flatpak-info. */
void _dr_host_command_override_in_flatpak (int            in_flatpak);

/* How long a cancelled command gets between SIGTERM and SIGKILL (default 2000 ms). */
void _dr_host_command_set_kill_grace      (DrHostCommand *self,
                                           guint          milliseconds);

G_END_DECLS
