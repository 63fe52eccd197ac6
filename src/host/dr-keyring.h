/* dr-keyring.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GitHub credentials in the system keyring (libsecret, schema io.github.deskrun.Credential).
 * There is no other place a secret may live: without a keyring these calls fail with
 * DR_ERROR_KEYRING and a message saying what to install or unlock.
 */
#pragma once

#include <gio/gio.h>

#include "dr-credential.h"

G_BEGIN_DECLS

/* Stores @credential under a new reference and returns it (a random id, not a secret).
 * @label is what keyring managers such as Seahorse show ("deskrun: my-runner"). */
void          dr_keyring_store_async   (const DrCredential   *credential,
                                        const char           *label,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char         *dr_keyring_store_finish  (GAsyncResult         *result,
                                        GError              **error);

/* DR_ERROR_NOT_FOUND when nothing is stored under @id. */
void          dr_keyring_lookup_async  (const char           *id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
DrCredential *dr_keyring_lookup_finish (GAsyncResult         *result,
                                        GError              **error);

/* Succeeds when nothing was stored under @id, too. */
void          dr_keyring_delete_async  (const char           *id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean      dr_keyring_delete_finish (GAsyncResult         *result,
                                        GError              **error);

/* Every item of deskrun's schema, secrets not read: what a keyring manager would list. */
typedef struct
{
  char *id;
  char *kind;   /* "pat", "github-app", or NULL */
  char *label;  /* "deskrun: my-runner" */
} DrKeyringItem;

void          dr_keyring_item_free     (DrKeyringItem        *item);
void          dr_keyring_list_async    (GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
/* element-type DrKeyringItem */
GPtrArray    *dr_keyring_list_finish   (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
