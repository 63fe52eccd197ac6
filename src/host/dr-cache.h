/* dr-cache.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The automatic cache folders on this computer. The kind cluster shares dr_cache_root() into
 * its node as DR_HOST_CACHE_NODE_DIR, and the ARC renderer puts a mount without a source at
 * DR_HOST_CACHE_NODE_DIR/<scale set>/mount-<i>; so here that is
 * dr_cache_root()/<scale set>/mount-<i>, and its size can be shown.
 */
#pragma once

#include <gio/gio.h>

#include "dr-runner-spec.h"

G_BEGIN_DECLS

/* $XDG_CACHE_HOME/deskrun. */
char    *dr_cache_root             (void);

/* The host folders of @spec's automatic mounts (those without a source): for each of its
 * scale sets, in order, one per such mount. The <i> of mount-<i> is the mount's index among
 * all of @spec's mounts, explicit ones included, as the renderer numbers it. Never NULL;
 * empty when there are no automatic mounts. */
char   **dr_cache_dirs_for_runner  (const DrRunnerSpec *spec);

/* Adds up the disk space used below @paths in a worker thread. Counts allocated space
 * (st_blocks × 512, as du does), of the folders themselves too, and each hard-linked file
 * once; symlinks are never followed (their own entry counts). A missing path counts 0 and an
 * entry that cannot be read is skipped, so this fails only when cancelled. */
void     dr_cache_measure_async    (const char * const  *paths,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* Returns the bytes, or 0 with @error set (G_IO_ERROR_CANCELLED). */
guint64  dr_cache_measure_finish   (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
