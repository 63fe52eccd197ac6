/* dr-test-gtk-utils.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Like gtk_test_init() + adw_init(), with isolated HOME and XDG directories
 * (G_TEST_OPTION_ISOLATE_DIRS) for each test case. */
void dr_test_gtk_init       (int          *argc,
                             char       ***argv);

/* Waits until @widget has gone through a full frame (layout and draw). */
void dr_test_gtk_flush      (GtkWidget    *widget);

/* Spins the main loop until @predicate (@data) is TRUE; fails after @timeout_ms. */
void dr_test_gtk_wait_until (gboolean    (*predicate) (gpointer data),
                             gpointer      data,
                             guint         timeout_ms);

/* Saves $G_TEST_BUILDDIR/screenshots/NAME-light.png, NAME-dark.png and NAME-narrow.png
 * (360 px wide, light) of @window, and checks each has more than a couple of colours — a
 * black or blank frame fails the test. */
void dr_test_gtk_screenshots (GtkWindow  *window,
                              const char *name);

G_END_DECLS
