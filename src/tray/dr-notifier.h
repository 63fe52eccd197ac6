/* dr-notifier.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications (GNotification) for what happens while the user looks elsewhere:
 * jobs starting and ending on a local runner (the EphemeralRunner watch), a listener
 * crash-looping or missing, the cluster stopped or unreachable, and operations that failed
 * while the window was closed. It watches the engine's objects, decides with DrNotifyPolicy
 * (one per runner per 30 s, coalesced, withdrawn when the condition clears) and sends through
 * the GApplication. Each opens the right page through an app action with a target:
 *   app.show-runner(s), app.show-runner-logs(s), app.show-pod-log((ss)), app.show-cluster,
 *   app.start-cluster, app.show-operations.
 * GIO only.
 */
#pragma once

#include <gio/gio.h>

#include "dr-engine.h"
#include "dr-notify-policy.h"

G_BEGIN_DECLS

#define DR_NOTIFIER_INTERVAL (30 * G_USEC_PER_SEC)

#define DR_TYPE_NOTIFIER (dr_notifier_get_type ())
G_DECLARE_FINAL_TYPE (DrNotifier, dr_notifier, DR, NOTIFIER, GObject)

DrNotifier     *dr_notifier_new             (DrEngine     *engine,
                                             GApplication *application,
                                             gint64        interval);
/* Whether the main window is open (failed operations are then shown there instead). */
void            dr_notifier_set_window_open (DrNotifier   *self,
                                             gboolean      open);
DrNotifyPolicy *dr_notifier_get_policy      (DrNotifier   *self);

G_END_DECLS
