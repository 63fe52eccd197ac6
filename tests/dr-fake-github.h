/* dr-fake-github.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A strict fake of GitHub's REST API for tests: a SoupServer on 127.0.0.1:0 (plain HTTP; the
 * client allows http:// for loopback only). What Prism cannot express lives here: ETags and
 * 304s, pagination with Link headers, rate-limit headers and answers, Retry-After, 5xx, the
 * 302 of a job log to a pre-signed URL, GitHub App JWTs and installation tokens that expire,
 * and a server that accepts a connection and never answers.
 *
 * Strict as GitHub is: a request without User-Agent gets 403, an X-GitHub-Api-Version other
 * than 2022-11-28 gets 400, an Accept that allows neither application/vnd.github+json nor
 * application/json gets 415 (Prism's rule too), a missing or unknown bearer gets 401 "Bad
 * credentials", a JWT where a token belongs (or the reverse) 401, a body that is not JSON (or
 * without Content-Type application/json) 400 "Problems parsing JSON", an unknown path 404
 * "Not Found". JWTs are verified with GnuTLS against the App's public key, with GitHub's
 * claim rules (iat not in the future, exp after now and at most 10 minutes after iat, iss
 * the App's id or client id). A pre-signed log URL that receives an Authorization header
 * answers 400, as the storage behind GitHub's does.
 *
 * Every reply carries x-ratelimit-* headers (5000 an hour, counted down per authenticated
 * request; a 304 is free) and JSON replies a strong ETag; a matching If-None-Match gets 304.
 * Canned lists are paged with per_page (default 30, at most 100) and page, and Link headers
 * with rel="next" and rel="last".
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _DrFakeGithub DrFakeGithub;

DrFakeGithub *dr_fake_github_new               (void);
void          dr_fake_github_free              (DrFakeGithub *self);
/* "http://127.0.0.1:PORT": the API base, as DESKRUN_GITHUB_API_URL would give it. */
const char   *dr_fake_github_get_url           (DrFakeGithub *self);

/* A personal access token the fake accepts. @scopes is what a classic PAT answers in
 * X-OAuth-Scopes ("repo, workflow"); NULL for a fine-grained token (no such header). */
void          dr_fake_github_add_pat           (DrFakeGithub *self,
                                                const char   *token,
                                                const char   *scopes);
/* A GitHub App (@app_id numeric or a client id) whose JWTs are checked against
 * @public_key_pem, installed once as @installation_id on the account @account (found by
 * /repos/ACCOUNT/REPO/installation and /orgs/ACCOUNT/installation). Installation tokens carry
 * @permissions_json (an object, e.g. {"actions":"write"}), live @token_lifetime seconds
 * (GitHub: 3600) and are named "ghs_fake_N". */
void          dr_fake_github_add_app           (DrFakeGithub *self,
                                                const char   *app_id,
                                                const char   *public_key_pem,
                                                gint64        installation_id,
                                                const char   *account,
                                                const char   *permissions_json,
                                                gint          token_lifetime);
/* Revokes every installation token issued so far (they answer 401 from now on). */
void          dr_fake_github_revoke_tokens     (DrFakeGithub *self);
guint         dr_fake_github_get_tokens_issued (DrFakeGithub *self);

/* A canned answer: @status and @json for @method @path (no query; "GET" replies are paged
 * when @json is an array, or an object with one array member besides total_count). A later
 * call for the same method and path replaces it. */
void          dr_fake_github_set_json          (DrFakeGithub *self,
                                                const char   *method,
                                                const char   *path,
                                                guint         status,
                                                const char   *json);
/* Extra response headers for a canned answer, "Name: value" lines. */
void          dr_fake_github_set_headers       (DrFakeGithub *self,
                                                const char   *method,
                                                const char   *path,
                                                const char   *headers);

/* Workflow dispatch (POST /repos/O/R/actions/workflows/W/dispatches; the workflow must be in
 * the canned /repos/O/R/actions/workflows list, by id, path or file name, when one is set). */
typedef enum
{
  DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS,  /* 200 {workflow_run_id, run_url, html_url} */
  DR_FAKE_GITHUB_DISPATCH_CLASSIC,      /* 204, whatever the body asks */
  DR_FAKE_GITHUB_DISPATCH_OLD_GHES,     /* 422 naming return_run_details, 204 without it */
} DrFakeGithubDispatchMode;

void          dr_fake_github_set_dispatch_mode (DrFakeGithub             *self,
                                                DrFakeGithubDispatchMode  mode,
                                                gint64                    run_id);

/* GET /repos/O/R/actions/jobs/ID/logs answers 302 to a pre-signed URL on this server that
 * serves @text (text/plain). */
void          dr_fake_github_set_job_log       (DrFakeGithub *self,
                                                gint64        job_id,
                                                const char   *text);

/* A file served (and replaced) by the contents API; its blob sha is the sha1 of "blob
 * <size>\0<bytes>" as in git. Refs (git/refs) start with "heads/main" at @head_sha. */
void          dr_fake_github_set_file          (DrFakeGithub *self,
                                                const char   *owner,
                                                const char   *repo,
                                                const char   *path,
                                                const char   *text);
GBytes       *dr_fake_github_get_file          (DrFakeGithub *self,
                                                const char   *owner,
                                                const char   *repo,
                                                const char   *path);
void          dr_fake_github_set_ref           (DrFakeGithub *self,
                                                const char   *owner,
                                                const char   *repo,
                                                const char   *ref,
                                                const char   *sha);
gboolean      dr_fake_github_has_ref           (DrFakeGithub *self,
                                                const char   *owner,
                                                const char   *repo,
                                                const char   *ref);

/* A fault for the next @times requests matching @method (NULL: any) and @path (NULL: any;
 * a prefix when it ends with '*'). Faults are used in the order added. */
typedef struct
{
  const char *method;
  const char *path;
  guint       times;              /* 0 counts as 1 */
  guint       status;             /* the answer's status (0 with @silent) */
  const char *message;            /* GitHub's "message" (NULL: a default for the status) */
  gint        retry_after;        /* Retry-After in seconds; -1: none */
  gint        reset_in;           /* > 0: x-ratelimit-remaining 0, reset in that many s */
  const char *headers;            /* extra "Name: value" lines */
  gboolean    silent;             /* accept the request and never answer it */
} DrFakeGithubFault;

#define DR_FAKE_GITHUB_FAULT_INIT { NULL, NULL, 1, 0, NULL, -1, 0, NULL, FALSE }

void          dr_fake_github_add_fault         (DrFakeGithub            *self,
                                                const DrFakeGithubFault *fault);

/* Every request received, in order. */
typedef struct
{
  char   *method;
  char   *path;
  char   *query;            /* NULL when none */
  char   *authorization;    /* the header as sent, NULL when none */
  char   *if_none_match;
  char   *accept;
  char   *user_agent;
  char   *api_version;
  char   *content_type;
  GBytes *body;
  gint64  time_us;          /* g_get_monotonic_time() on arrival */
  guint   status;           /* what the fake answered (0 while unanswered) */
} DrFakeGithubRequest;

GPtrArray    *dr_fake_github_get_requests      (DrFakeGithub *self);
/* Requests with @method (NULL: any) whose path starts with @path_prefix (NULL: any). */
guint         dr_fake_github_count             (DrFakeGithub *self,
                                                const char   *method,
                                                const char   *path_prefix);
/* The body of the last request matching, parsed (NULL when none). */
JsonNode     *dr_fake_github_last_body         (DrFakeGithub *self,
                                                const char   *method,
                                                const char   *path_prefix);
void          dr_fake_github_clear_requests    (DrFakeGithub *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrFakeGithub, dr_fake_github_free)

G_END_DECLS
