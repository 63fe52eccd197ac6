/* dr-autostart.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start at Login outside Flatpak: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/
 * APP_ID.desktop, that runs `deskrun --background`. (Inside Flatpak the Background portal
 * does this; the sandbox cannot write the host's autostart folder.) GIO only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *dr_autostart_path        (void);
gboolean  dr_autostart_is_enabled  (void);
/* Writes (atomically) or removes the entry; removing one that is not there succeeds. */
gboolean  dr_autostart_set_enabled (gboolean   enabled,
                                    GError   **error);

G_END_DECLS
