/* dr-window.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_WINDOW (dr_window_get_type ())
G_DECLARE_FINAL_TYPE (DrWindow, dr_window, DR, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
DrWindow *dr_window_new        (GtkApplication *application,
                                DrEngine       *engine);
DrEngine *dr_window_get_engine (DrWindow       *self);

G_END_DECLS
