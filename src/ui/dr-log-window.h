/* dr-log-window.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One live pod log in a window of its own: follow, search, timestamps, wrap and save.
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_LOG_WINDOW (dr_log_window_get_type ())
G_DECLARE_FINAL_TYPE (DrLogWindow, dr_log_window, DR, LOG_WINDOW, AdwWindow)

/* Shows the lines of @stream (as the engine's follow functions make it: started, with
 * timestamps) from now on, and stops it when the window closes. */
DrLogWindow *dr_log_window_new        (GtkWindow       *parent,
                                       const char      *title,
                                       DrKubeLogStream *stream);
/* A whole log that will not change (a completed job's, from GitHub), with the same search,
 * timestamps, wrap and save. */
DrLogWindow *dr_log_window_new_for_text (GtkWindow       *parent,
                                         const char      *title,
                                         GBytes          *text);
/* NULL for a window made from text. */
DrKubeLogStream *dr_log_window_get_stream (DrLogWindow *self);

G_END_DECLS
