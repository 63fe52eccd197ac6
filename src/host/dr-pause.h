/* dr-pause.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cancellable pause between two probes of something that cannot be watched (a kind node
 * starting; Kubernetes objects are watched, see dr-kube-wait.h): completes TRUE after
 * @milliseconds on the thread-default main context, or with G_IO_ERROR_CANCELLED as soon as
 * @cancellable is cancelled.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     dr_pause_async  (guint                milliseconds,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data);
gboolean dr_pause_finish (GAsyncResult        *result,
                          GError             **error);

G_END_DECLS
