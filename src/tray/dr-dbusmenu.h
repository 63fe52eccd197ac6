/* dr-dbusmenu.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GMenuModel served as com.canonical.dbusmenu, the menu protocol tray hosts speak (KDE
 * Plasma, Xfce, GNOME's AppIndicator extension): none of them read org.gtk.Menus (STYLE.md
 * §6.2). The model is flattened into numbered items (root 0); sections become items parted
 * by separators, submenus items with children. Item ids are kept for the same item across
 * changes, every change bumps the revision and emits LayoutUpdated, and an Event "clicked"
 * activates the item's action in the action group. GIO only.
 *
 * Why not Debian's libdbusmenu-glib: its API is a tree of DbusmenuMenuitem, so a GMenuModel
 * adapter was needed either way, and in the Flatpak manifest it would be one more module
 * from a 2016 Launchpad tarball (Debian ships a later bzr snapshot) whose autotools build
 * wants gnome-common, intltool and gtk-doc. This bridge is one file over GDBus.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DR_TYPE_DBUSMENU (dr_dbusmenu_get_type ())
G_DECLARE_FINAL_TYPE (DrDbusmenu, dr_dbusmenu, DR, DBUSMENU, GObject)

/* Actions in @menu are named "PREFIX.NAME" (e.g. "app.quit"); @actions holds NAME for
 * @prefix. Items with another prefix are shown disabled. */
DrDbusmenu *dr_dbusmenu_new          (GMenuModel       *menu,
                                      GActionGroup     *actions,
                                      const char       *prefix);
gboolean    dr_dbusmenu_export       (DrDbusmenu       *self,
                                      GDBusConnection  *connection,
                                      const char       *object_path,
                                      GError          **error);
void        dr_dbusmenu_unexport     (DrDbusmenu       *self);
/* The layout revision, bumped on every change. */
guint       dr_dbusmenu_get_revision (DrDbusmenu       *self);

G_END_DECLS
