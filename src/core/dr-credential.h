/* dr-credential.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GitHub credential while it is in memory on its way to or from the keyring. It holds
 * secrets: never log it, never write it to a file, and free it with dr_credential_free(),
 * which wipes the secret bytes.
 */
#pragma once

#include <glib.h>

#include "dr-runner-spec.h"

G_BEGIN_DECLS

typedef struct
{
  DrCredentialKind  kind;
  char             *token;            /* PAT */
  char             *app_id;           /* GitHub App: numeric app id or client id ("Iv1.…") */
  char             *installation_id;  /* GitHub App: decimal */
  char             *private_key;      /* GitHub App: PEM */
} DrCredential;

DrCredential *dr_credential_new_pat         (const char          *token);
DrCredential *dr_credential_new_app         (const char          *app_id,
                                             const char          *installation_id,
                                             const char          *private_key);
DrCredential *dr_credential_copy            (const DrCredential  *self);
void          dr_credential_free            (DrCredential        *self);
/* Wipes and frees a string that held a secret, such as a serialized credential. */
void          dr_credential_secret_free     (char                *secret);

/* Checks the shape (non-empty token without spaces, numeric installation id, a PEM block…)
 * with a message for a person; the scope matters because GitHub Apps cannot register
 * enterprise-level runners (FACTS.md §2.4). */
gboolean      dr_credential_validate        (const DrCredential  *self,
                                             DrRepositoryScope    scope,
                                             GError             **error);

/* The keyring stores one secret per credential: this JSON document. */
char         *dr_credential_serialize       (const DrCredential  *self);
DrCredential *dr_credential_deserialize     (const char          *text,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrCredential, dr_credential_free)

G_END_DECLS
