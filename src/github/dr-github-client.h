/* dr-github-client.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GitHub REST over libsoup: one client per API base and credential. It sends GitHub's headers
 * (FACTS.md §6), keeps an ETag / Last-Modified cache (memory, and on disk when given a
 * directory) so unchanged answers come back as free 304s, follows Link pagination with a
 * bound, reads the x-ratelimit-* headers, waits out the primary and secondary rate limits,
 * retries GETs after 5xx and timeouts, and bounds every request in time and size so nothing
 * can hang the window or the command line.
 *
 * Errors: DR_ERROR for what GitHub answered (dr_error_from_http_status(), with GitHub's
 * "message" and a sentence saying what to do), G_IO_ERROR / G_TLS_ERROR for what kept us
 * from an answer (naming the server), G_IO_ERROR_CANCELLED untouched.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dr-github-auth.h"

G_BEGIN_DECLS

#define DR_GITHUB_API_VERSION     "2022-11-28"
/* Prism (the contract tests) answers 406 to the first alone (TESTING.md). */
#define DR_GITHUB_ACCEPT          "application/vnd.github+json, application/json"
#define DR_GITHUB_API_URL_ENV     "DESKRUN_GITHUB_API_URL"
#define DR_GITHUB_PER_PAGE        100
/* A list is never read past this many pages, whatever Link says. */
#define DR_GITHUB_MAX_PAGES       50

/* github.com -> https://api.github.com, any other host (GitHub Enterprise Server) ->
 * https://HOST[:PORT]/api/v3. DESKRUN_GITHUB_API_URL, when set, overrides it for every
 * repository; it must be https://, or http:// for a loopback address only. No trailing
 * slash. DR_ERROR_INVALID for a URL that is not one. */
char           *dr_github_api_base_for_repository (const char *repository_url,
                                                   GError    **error);

/* The part of the x-ratelimit-* headers of the last reply that had them. */
typedef struct
{
  gint64  limit;        /* -1 while unknown */
  gint64  remaining;    /* -1 while unknown */
  gint64  reset_unix;   /* 0 while unknown */
  char   *resource;     /* "core", "search", … or NULL */
} DrGithubRateLimit;

#define DR_TYPE_GITHUB_CLIENT (dr_github_client_get_type ())
G_DECLARE_FINAL_TYPE (DrGithubClient, dr_github_client, DR, GITHUB_CLIENT, GObject)

/* @api_base from dr_github_api_base_for_repository(). @auth may be NULL (anonymous, 60
 * requests an hour). @cache_dir (nullable: memory only) is the root of the disk cache,
 * normally $XDG_CACHE_HOME/deskrun/github; entries go below a folder named by a hash of
 * @cache_key, a reference to the credential (e.g. its keyring id), never a token. */
DrGithubClient *dr_github_client_new               (const char     *api_base,
                                                    DrGithubAuth   *auth,
                                                    const char     *cache_dir,
                                                    const char     *cache_key);
/* $XDG_CACHE_HOME/deskrun/github */
char           *dr_github_client_default_cache_dir (void);

const char     *dr_github_client_get_api_base      (DrGithubClient *self);
DrGithubAuth   *dr_github_client_get_auth          (DrGithubClient *self);

/* The "rate-limit" property is notified when it changes. */
const DrGithubRateLimit *dr_github_client_get_rate_limit (DrGithubClient *self);
/* Requests sent over the network (each attempt and page counts), and 304s among them. */
guint64         dr_github_client_get_request_count      (DrGithubClient *self);
guint64         dr_github_client_get_not_modified_count (DrGithubClient *self);

/* @io_timeout_seconds bounds connecting and every wait for data (libsoup's timeout);
 * @deadline_seconds bounds one whole exchange, headers and body. Defaults 20 s and 90 s. */
void            dr_github_client_set_timeouts      (DrGithubClient *self,
                                                    guint           io_timeout_seconds,
                                                    guint           deadline_seconds);
/* A rate-limit wait longer than this fails at once with DR_ERROR_RATE_LIMITED saying when
 * the limit resets, instead of waiting. Default one hour (GitHub's window); the command
 * line may want less. */
void            dr_github_client_set_max_wait      (DrGithubClient *self,
                                                    guint           seconds);

/* The client waits for a rate limit to pass: "waiting" (seconds, a sentence for a person) is
 * emitted before each such wait, so a window or the CLI can say so. */

/* GET @path (starting with "/", may hold a query) for JSON. Conditional when the cache has
 * the URL; a 304 gives the cached reply. */
void            dr_github_client_get_async         (DrGithubClient      *self,
                                                    const char          *path,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
JsonNode       *dr_github_client_get_finish        (DrGithubClient      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Every page of a list: per_page=100 is added, Link rel="next" followed (only below the API
 * base: a next page elsewhere ends the list), at most DR_GITHUB_MAX_PAGES pages and @max_items items (0: no limit besides
 * the pages). @member names the array in each page's object ("workflow_runs", "jobs"), or
 * NULL when the page is itself an array. */
void            dr_github_client_get_all_async     (DrGithubClient      *self,
                                                    const char          *path,
                                                    const char          *member,
                                                    guint                max_items,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
JsonArray      *dr_github_client_get_all_finish    (DrGithubClient      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* POST / PUT / PATCH / DELETE with @body (nullable) as JSON. Never retried after it may have
 * reached GitHub (only rate-limit answers, which GitHub did not act on, are resent). The
 * reply is NULL without an error for an empty body (204); @out_status gets the status. */
void            dr_github_client_send_async        (DrGithubClient      *self,
                                                    const char          *method,
                                                    const char          *path,
                                                    JsonNode            *body,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
JsonNode       *dr_github_client_send_finish       (DrGithubClient      *self,
                                                    GAsyncResult        *result,
                                                    guint               *out_status,
                                                    GError             **error);

/* GET @path that answers a redirect to a pre-signed URL (job logs): the redirect is
 * followed here, WITHOUT the Authorization header. The body of the final answer, at most
 * @max_bytes (0: 256 MiB). */
void            dr_github_client_download_async    (DrGithubClient      *self,
                                                    const char          *path,
                                                    gsize                max_bytes,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GBytes         *dr_github_client_download_finish   (DrGithubClient      *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Headers of the last successful reply to a path (for the credential check: X-OAuth-Scopes,
 * X-Accepted-GitHub-Permissions). NULL when none was seen. */
const char     *dr_github_client_get_last_header   (DrGithubClient      *self,
                                                    const char          *name);

G_END_DECLS
