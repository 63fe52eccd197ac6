/* dr-kubeconfig-file.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kubeconfigs on this computer for core/dr-kubeconfig.h: $KUBECONFIG or ~/.kube/config, and
 * the files they name, read without blocking (a FIFO or a device is refused) and bounded in
 * size.
 */
#pragma once

#include "dr-kubeconfig.h"

G_BEGIN_DECLS

/* The DrKubeconfigReadFunc for files on this computer; @user_data is unused. */
GBytes        *dr_kubeconfig_read_file      (const char          *path,
                                             gpointer             user_data,
                                             GError             **error);

/* Files named by $KUBECONFIG (colon-separated, merged: the first file to set a map key
 * wins, the first current-context wins) or ~/.kube/config. A missing default file gives an
 * empty kubeconfig; a missing file named in $KUBECONFIG is skipped, as kubectl does. */
DrKubeconfig  *dr_kubeconfig_load_default   (GError             **error);
DrKubeconfig  *dr_kubeconfig_load_files     (const char * const  *paths,
                                             GError             **error);
/* A kubeconfig given as text (kind prints one). @origin names it in error messages; relative
 * paths in it resolve against the current directory, like a shell's. */
DrKubeconfig  *dr_kubeconfig_load_data      (const char          *data,
                                             gssize               length,
                                             const char          *origin,
                                             GError             **error);

G_END_DECLS
