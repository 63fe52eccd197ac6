/* dr-prerequisites-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hooks for tests.
 */
#pragma once

#include "dr-prerequisites.h"

G_BEGIN_DECLS

/* Reads the distribution from @path instead of /etc/os-release (inside Flatpak
 * /run/host/os-release). NULL goes back to the default. */
void _dr_prerequisites_set_os_release (const char *path);

/* The disk item fails below @bytes instead of DR_PREREQUISITES_MIN_FREE_DISK; 0 goes back
 * to the default. */
void _dr_prerequisites_set_min_free   (guint64     bytes);

G_END_DECLS
