/* dr-kube-wait.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting for the cluster to get somewhere is watching it: until @check holds of what some
 * stores (DrKubeStore) hold, say a store narrowed to one object by the field selector
 * metadata.name=NAME. Nothing polls.
 *
 * dr_kube_wait_async() starts the stores that are not started yet and looks (calls @check)
 * once all of them are synced, then after every added, changed or removed of any of them.
 * Store signals only schedule a look (an idle), so @check never runs within a store's
 * emission, and several events in a row make one look. @check may read the stores and tell
 * how far things got (a progress line); it must not stop them.
 *
 * The wait completes TRUE when @check returned TRUE; with G_IO_ERROR_TIMED_OUT after
 * @timeout_ms (the message says which store never synced and why, if one did not; callers
 * usually say better what was waited for); with G_IO_ERROR_CANCELLED as soon as
 * @cancellable is cancelled. Either way it is done with the stores (handlers disconnected,
 * its references dropped) when its callback runs, but leaves them running: they are the
 * caller's to stop (or to read once more, to say what was still missing).
 *
 * Everything happens on the thread-default main context of dr_kube_wait_async().
 */
#pragma once

#include <gio/gio.h>

#include "dr-kube-store.h"

G_BEGIN_DECLS

typedef gboolean (*DrKubeWaitCheck) (gpointer check_data);

void     dr_kube_wait_async  (DrKubeStore * const *stores,
                              guint                n_stores,
                              guint                timeout_ms,
                              DrKubeWaitCheck      check,
                              gpointer             check_data,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
gboolean dr_kube_wait_finish (GAsyncResult        *result,
                              GError             **error);

G_END_DECLS
