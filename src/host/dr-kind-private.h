/* dr-kind-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hooks for tests.
 */
#pragma once

#include "dr-kind.h"

G_BEGIN_DECLS

/* dr_kind_config_detect_async() looks for the Docker socket and the Nix paths under @root
 * instead of / (the config still names the real paths). NULL goes back to /. */
void _dr_kind_set_host_root     (const char *root);

/* How long dr_kind_start_async() waits between two ready probes (default 1000 ms). */
void _dr_kind_set_poll_interval (DrKind     *self,
                                 guint       milliseconds);

G_END_DECLS
