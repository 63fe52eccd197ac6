/* dr-stray-credentials.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keyring items of deskrun's schema that no runner of the config refers to: what an add or a
 * remove interrupted between the keyring and the config leaves behind. They are listed (the
 * window offers their removal, `deskrunctl doctor` reports them) and removed only when asked.
 */
#pragma once

#include "dr-engine.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;     /* the keyring reference */
  char *label;  /* what keyring managers show, e.g. "deskrun: my-runner" */
} DrStrayCredential;

void       dr_stray_credential_free                 (DrStrayCredential    *stray);

/* The strays, against the engine's config (load it first). When the config could not be used
 * (it is read-only: a newer or broken file is still at its path) nothing can be called a
 * stray, and the list is empty. element-type DrStrayCredential */
void       dr_engine_find_stray_credentials_async   (DrEngine             *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray *dr_engine_find_stray_credentials_finish  (DrEngine             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Removes those of @ids that are still strays when their turn comes (one a runner was given
 * meanwhile stays); *@out_removed counts the removed ones. */
void       dr_engine_remove_stray_credentials_async (DrEngine             *self,
                                                     const char * const   *ids,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean   dr_engine_remove_stray_credentials_finish (DrEngine            *self,
                                                      GAsyncResult        *result,
                                                      guint               *out_removed,
                                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrStrayCredential, dr_stray_credential_free)

G_END_DECLS
