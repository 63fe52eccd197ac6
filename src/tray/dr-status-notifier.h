/* dr-status-notifier.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A StatusNotifierItem (org.kde.StatusNotifierItem) at /StatusNotifierItem on a D-Bus
 * connection, registered with org.kde.StatusNotifierWatcher by object path — the watcher
 * takes our unique name, so no well-known name is owned, which also works inside Flatpak
 * (STYLE.md §6.3–6.4). Registers again whenever the watcher (re)appears; without a watcher
 * on the bus (plain GNOME) it just waits, and "registered" stays FALSE. GIO only.
 *
 * Signals: "activate" (int x, int y) when the host's user clicks the item,
 * "secondary-activate" (int x, int y) for a middle click.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DR_STATUS_NOTIFIER_PASSIVE,
  DR_STATUS_NOTIFIER_ACTIVE,
  DR_STATUS_NOTIFIER_NEEDS_ATTENTION,
} DrStatusNotifierStatus;

#define DR_STATUS_NOTIFIER_PATH "/StatusNotifierItem"

#define DR_TYPE_STATUS_NOTIFIER (dr_status_notifier_get_type ())
G_DECLARE_FINAL_TYPE (DrStatusNotifier, dr_status_notifier, DR, STATUS_NOTIFIER, GObject)

/* @menu_path: where the com.canonical.dbusmenu menu is exported (the "Menu" property). */
DrStatusNotifier *dr_status_notifier_new          (GDBusConnection  *connection,
                                                   const char       *id,
                                                   const char       *title,
                                                   const char       *menu_path,
                                                   GError          **error);
/* Each setter emits the item's New* signal when the value changed. */
void              dr_status_notifier_set_status   (DrStatusNotifier       *self,
                                                   DrStatusNotifierStatus  status);
void              dr_status_notifier_set_icon     (DrStatusNotifier *self,
                                                   const char       *icon_name,
                                                   const char       *attention_icon_name);
void              dr_status_notifier_set_tooltip  (DrStatusNotifier *self,
                                                   const char       *title,
                                                   const char       *text);
/* Where hosts look for the icons first (IconThemePath); NULL for none. */
void              dr_status_notifier_set_icon_theme_path (DrStatusNotifier *self,
                                                          const char       *path);
/* Whether a watcher accepted the item (property "registered"). */
gboolean          dr_status_notifier_get_registered (DrStatusNotifier *self);

G_END_DECLS
