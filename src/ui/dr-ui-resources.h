/* dr-ui-resources.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The UI lives in a static library, and a linker drops the gresource's automatic constructor
 * when nothing references it: every class that uses a template calls this first. */
void dr_ui_ensure_resources (void);

G_END_DECLS
