/* dr-preferences-window.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"
#include "dr-tray.h"

G_BEGIN_DECLS

#define DR_TYPE_PREFERENCES_WINDOW (dr_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (DrPreferencesWindow, dr_preferences_window, DR, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @tray may be NULL (no session bus): the tray row then says there is no panel item. */
DrPreferencesWindow *dr_preferences_window_new (GtkWindow *parent,
                                                DrEngine  *engine,
                                                DrTray    *tray);

/* For tests. */
const char *_dr_preferences_window_get_tray_text (DrPreferencesWindow *self);
AdwEntryRow *_dr_preferences_window_get_registry_row (DrPreferencesWindow *self);

G_END_DECLS
