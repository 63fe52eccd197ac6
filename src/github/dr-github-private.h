/* dr-github-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between the files of src/github only (and its tests): how the client asks the auth object
 * for a token, and how the auth object talks to GitHub with its JWT.
 */
#pragma once

#include "dr-github-auth.h"
#include "dr-github-client.h"

G_BEGIN_DECLS

/* The bearer token for the next request (transfer full; wipe it with
 * dr_credential_secret_free()). A GitHub App token may take requests to GitHub, made through
 * @client with the JWT. */
void      _dr_github_auth_get_token_async  (DrGithubAuth        *self,
                                            DrGithubClient      *client,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char     *_dr_github_auth_get_token_finish (DrGithubAuth        *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* GitHub answered 401 to @token: forget it if it is still the cached one, so the next
 * request gets a new one. TRUE when a new one can be had (a GitHub App), FALSE for a PAT. */
gboolean  _dr_github_auth_invalidate       (DrGithubAuth        *self,
                                            const char          *token);
/* Whether the caller may ask for a new token after a 401 (a GitHub App). */
gboolean  _dr_github_auth_can_refresh      (DrGithubAuth        *self);

/* A JSON request with @bearer instead of the client's auth, never cached, and without the
 * refresh after a 401 (the App endpoints, authenticated by the JWT). */
void      _dr_github_client_send_bearer_async  (DrGithubClient      *self,
                                                const char          *method,
                                                const char          *path,
                                                const char          *bearer,
                                                JsonNode            *body,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonNode *_dr_github_client_send_bearer_finish (DrGithubClient      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Tests: shorter waits than GitHub asks for. The backoff after a 5xx or a timeout starts at
 * @retry_ms (default 1000) and doubles; after a secondary rate limit without Retry-After at
 * @secondary_ms (default 60000) and doubles; a Retry-After or a reset time is multiplied by
 * @scale_percent / 100 (default 100). */
void      _dr_github_client_set_test_delays    (DrGithubClient      *self,
                                                guint                retry_ms,
                                                guint                secondary_ms,
                                                guint                scale_percent);

/* The "message" of a GitHub error body, or NULL. */
char     *_dr_github_error_message             (GBytes              *body);

G_END_DECLS
