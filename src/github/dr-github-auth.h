/* dr-github-auth.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token provider for one GitHub credential. A PAT is its own token. A GitHub App signs a
 * JWT (RS256, GnuTLS) with its private key, finds its installation for the repository or
 * organisation when the credential names none, and trades the JWT for an installation token,
 * kept in memory until 5 minutes before it expires (FACTS.md §6.2). The secret never leaves
 * this object except as the bearer of a request: it is not logged, not put in an error
 * message and not written anywhere; memory that held it is wiped.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dr-credential.h"

G_BEGIN_DECLS

/* GitHub accepts at most 10 minutes between iat and exp; iat is set 60 s in the past so a
 * clock a little ahead of GitHub's is not rejected (FACTS.md §6.2). */
#define DR_GITHUB_JWT_BACKDATE_SECONDS  60
#define DR_GITHUB_JWT_LIFETIME_SECONDS  (9 * 60)
/* An installation token is used until this long before its expires_at. */
#define DR_GITHUB_TOKEN_REFRESH_MARGIN_SECONDS (5 * 60)

#define DR_TYPE_GITHUB_AUTH (dr_github_auth_get_type ())
G_DECLARE_FINAL_TYPE (DrGithubAuth, dr_github_auth, DR, GITHUB_AUTH, GObject)

/* A copy of @credential is kept (and wiped on finalize). */
DrGithubAuth     *dr_github_auth_new                 (const DrCredential *credential);
DrCredentialKind  dr_github_auth_get_kind            (DrGithubAuth       *self);

/* Where a GitHub App without an installation id looks its installation up: the repository
 * (@repo non-NULL, GET /repos/OWNER/REPO/installation) or the organisation (@repo NULL,
 * GET /orgs/OWNER/installation). Ignored for a PAT. */
void              dr_github_auth_set_target          (DrGithubAuth       *self,
                                                      const char         *owner,
                                                      const char         *repo);
/* The installation id in use: the credential's, or the one looked up (0 before that). */
gint64            dr_github_auth_get_installation_id (DrGithubAuth       *self);
/* The "permissions" object GitHub returned with the installation token, or NULL (a PAT, or
 * no token yet). Used by the credential check. */
JsonObject       *dr_github_auth_get_token_permissions (DrGithubAuth     *self);

/* A GitHub App JWT for @app_id (numeric app id or client id: both go into iss as given),
 * signed RS256 with @private_key_pem (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY").
 * @now_unix is the current time (a parameter so tests can check the claims). CPU work:
 * call it from a thread (the auth object does). */
char             *dr_github_app_jwt_new              (const char         *app_id,
                                                      const char         *private_key_pem,
                                                      gint64              now_unix,
                                                      GError            **error);

G_END_DECLS
