/* dr-tray.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray item (DESIGN.md "tray/"): the engine's runners and cluster shown as a
 * StatusNotifierItem with a com.canonical.dbusmenu menu. It reads the same DrRunner objects
 * as the window and runs what the user picks through application actions:
 *   app.open, app.show-runner(s), app.show-runner-logs(s), app.scale-runner(s),
 *   app.start-cluster, app.quit.
 * Activating the item activates app.open. GIO only: it links no GTK.
 */
#pragma once

#include <gio/gio.h>

#include "dr-engine.h"

G_BEGIN_DECLS

typedef enum
{
  DR_TRAY_STATE_IDLE,
  DR_TRAY_STATE_BUSY,       /* a job runs on a local runner */
  DR_TRAY_STATE_ATTENTION,  /* a listener crash-loops or is missing, the cluster stopped */
} DrTrayState;

#define DR_TRAY_MENU_PATH        "/MenuBar"
#define DR_TRAY_ICON_IDLE        APP_ID "-symbolic"
#define DR_TRAY_ICON_BUSY        APP_ID "-busy-symbolic"
#define DR_TRAY_ICON_ATTENTION   APP_ID "-attention-symbolic"

#define DR_TYPE_TRAY (dr_tray_get_type ())
G_DECLARE_FINAL_TYPE (DrTray, dr_tray, DR, TRAY, GObject)

/* @actions holds the "app." actions above (the GApplication itself, or a test's group). */
DrTray      *dr_tray_new            (DrEngine         *engine,
                                     GActionGroup     *actions,
                                     GDBusConnection  *connection,
                                     GError          **error);
/* Properties "state", "tooltip" and "registered" (a panel shows the item), notified. */
DrTrayState  dr_tray_get_state      (DrTray           *self);
const char  *dr_tray_get_tooltip    (DrTray           *self);
gboolean     dr_tray_get_registered (DrTray           *self);
GMenuModel  *dr_tray_get_menu       (DrTray           *self);
/* Where panels look for the icons first (the item's IconThemePath): the installed icon folder
 * outside Flatpak, so an install under another prefix still shows them. NULL for none. */
void         dr_tray_set_icon_theme_path (DrTray      *self,
                                          const char  *path);

/* How one runner reads in the tooltip and the menu: "idle", "running build" (translated). */
char        *dr_tray_describe_runner (DrRunner        *runner);

G_END_DECLS
