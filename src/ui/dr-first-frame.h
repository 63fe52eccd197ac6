/* dr-first-frame.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The benchmarks (bench/) time a start from exec to the first painted frame. When the
 * environment variable DR_BENCH_FIRST_FRAME is set, the first frame of WINDOW prints
 * "first-frame <monotonic µs>" on standard output and quits APP. Not in any menu. */
gboolean dr_first_frame_requested (void);
void     dr_first_frame_exit_after (GApplication *app,
                                    GtkWindow    *window);

G_END_DECLS
