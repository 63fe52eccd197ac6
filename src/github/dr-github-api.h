/* dr-github-api.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed GitHub REST endpoints over a DrGithubClient (FACTS.md §6). Each is _async/_finish on
 * the client; replies are GitHub's JSON as it came (transfer full; read it with core/dr-json,
 * which never asserts), lists already joined over their pages. Names (owner, repo, paths,
 * refs) are percent-encoded here. Errors as in dr-github-client.h.
 */
#pragma once

#include "dr-github-client.h"
#include "dr-runner-spec.h"

G_BEGIN_DECLS

/* Optional filters of a runs list; NULL members are left out. */
typedef struct
{
  const char *workflow;       /* a workflow file name or id: that workflow's runs only */
  const char *status;         /* "queued", "in_progress", "completed", "success", … */
  const char *event;          /* "workflow_dispatch", "push", … */
  const char *branch;
  const char *created_after;  /* ISO 8601: runs created at or after it (cut here, on
                               * created_at; GitHub lists newest first) */
  const char *head_sha;
} DrGithubRunFilter;

/* workflow_runs[], newest first, at most @max_runs (0: every page up to the bound). */
void        dr_github_api_list_runs_async        (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const DrGithubRunFilter *filter,
                                                  guint                    max_runs,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonArray  *dr_github_api_list_runs_finish       (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

void        dr_github_api_get_run_async          (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  gint64                   run_id,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonObject *dr_github_api_get_run_finish         (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* jobs[] of the run's latest attempt. */
void        dr_github_api_list_jobs_async        (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  gint64                   run_id,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonArray  *dr_github_api_list_jobs_finish       (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

void        dr_github_api_get_job_async          (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  gint64                   job_id,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonObject *dr_github_api_get_job_finish         (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* workflows[]: id, name, path, state, html_url. */
void        dr_github_api_list_workflows_async   (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonArray  *dr_github_api_list_workflows_finish  (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* A file's bytes (base64 decoded) at @ref (NULL: the default branch) and its blob sha (for
 * a later put). DR_ERROR_NOT_FOUND when absent; DR_ERROR_BAD_RESPONSE for a folder. */
void        dr_github_api_get_contents_async     (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const char              *path,
                                                  const char              *ref,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
GBytes     *dr_github_api_get_contents_finish    (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  char                   **out_sha,
                                                  GError                 **error);

/* Creates (@sha NULL) or updates (@sha = the blob sha read before) a file on @branch (NULL:
 * the default branch). The new commit's sha. A file under .github/workflows needs the
 * `workflow` scope / Workflows write. A stale @sha is DR_ERROR_CONFLICT. */
void        dr_github_api_put_contents_async     (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const char              *path,
                                                  const char              *branch,
                                                  const char              *message,
                                                  GBytes                  *content,
                                                  const char              *sha,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
char       *dr_github_api_put_contents_finish    (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* Git references, @ref as "heads/NAME" (no "refs/" prefix). get and create give the ref
 * object (ref, object.sha); create fails with DR_ERROR_UNPROCESSABLE when it exists. */
void        dr_github_api_get_ref_async          (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const char              *ref,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonObject *dr_github_api_get_ref_finish         (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
void        dr_github_api_create_ref_async       (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const char              *ref,
                                                  const char              *sha,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonObject *dr_github_api_create_ref_finish      (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
void        dr_github_api_delete_ref_async       (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const char              *ref,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean    dr_github_api_delete_ref_finish      (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* default_branch, private, permissions{admin,maintain,push,triage,pull}, … */
void        dr_github_api_get_repository_async   (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonObject *dr_github_api_get_repository_finish  (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* [{name, commit{sha}, protected}] */
void        dr_github_api_list_branches_async    (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonArray  *dr_github_api_list_branches_finish   (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* workflow_dispatch of @workflow (file name or id) on @ref with @inputs (nullable; string
 * values, booleans and numbers are sent as GitHub expects them: as given in the object) and
 * return_run_details: true. *@out_run_id is the new run's id after a 200, 0 after a 204
 * (older GitHub Enterprise Server: find the run by listing). When a server rejects
 * return_run_details (400 / 422 naming it) the dispatch is sent once more without it. */
void        dr_github_api_dispatch_async         (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  const char              *workflow,
                                                  const char              *ref,
                                                  JsonObject              *inputs,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean    dr_github_api_dispatch_finish        (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  gint64                  *out_run_id,
                                                  GError                 **error);

void        dr_github_api_cancel_run_async       (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  gint64                   run_id,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean    dr_github_api_cancel_run_finish      (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
void        dr_github_api_rerun_failed_jobs_async  (DrGithubClient        *client,
                                                    const char            *owner,
                                                    const char            *repo,
                                                    gint64                 run_id,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean    dr_github_api_rerun_failed_jobs_finish (DrGithubClient        *client,
                                                    GAsyncResult          *result,
                                                    GError               **error);

/* A completed job's plain-text log (the 302 is followed without Authorization). */
void        dr_github_api_download_job_log_async  (DrGithubClient         *client,
                                                   const char             *owner,
                                                   const char             *repo,
                                                   gint64                  job_id,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data);
GBytes     *dr_github_api_download_job_log_finish (DrGithubClient         *client,
                                                   GAsyncResult           *result,
                                                   GError                **error);

/* Repositories: [{name, full_name, private, owner{login}, …}]. The installation's list needs
 * an installation token (a GitHub App credential). */
void        dr_github_api_list_org_repositories_async   (DrGithubClient   *client,
                                                         const char       *org,
                                                         GCancellable     *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer          user_data);
JsonArray  *dr_github_api_list_org_repositories_finish  (DrGithubClient   *client,
                                                         GAsyncResult     *result,
                                                         GError          **error);
void        dr_github_api_list_installation_repositories_async  (DrGithubClient *client,
                                                                 GCancellable   *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer        user_data);
JsonArray  *dr_github_api_list_installation_repositories_finish (DrGithubClient *client,
                                                                 GAsyncResult   *result,
                                                                 GError        **error);

/* runner_groups[]: id, name, visibility, default, allows_public_repositories, … */
void        dr_github_api_list_runner_groups_async  (DrGithubClient       *client,
                                                     const char           *org,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
JsonArray  *dr_github_api_list_runner_groups_finish (DrGithubClient       *client,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* The repositories a runner group with visibility "selected" admits. */
void        dr_github_api_list_runner_group_repositories_async  (DrGithubClient *client,
                                                                 const char     *org,
                                                                 gint64          group_id,
                                                                 GCancellable   *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer        user_data);
JsonArray  *dr_github_api_list_runner_group_repositories_finish (DrGithubClient *client,
                                                                 GAsyncResult   *result,
                                                                 GError        **error);

/* runners[]: id, name, os, status, busy, ephemeral, labels[]. @repo NULL: the organisation
 * @owner's runners. */
void        dr_github_api_list_runners_async     (DrGithubClient          *client,
                                                  const char              *owner,
                                                  const char              *repo,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
JsonArray  *dr_github_api_list_runners_finish    (DrGithubClient          *client,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

/* What the credential can do against what deskrun needs (FACTS.md §6.3). */
typedef enum
{
  DR_GITHUB_NEED_REGISTER_RUNNERS,   /* repo: Administration write / `repo`; org: `admin:org` */
  DR_GITHUB_NEED_READ_RUNS,          /* Actions read */
  DR_GITHUB_NEED_DISPATCH,           /* Actions write */
  DR_GITHUB_NEED_VERIFY,             /* Contents write + Workflows write / `repo` + `workflow` */
  DR_GITHUB_N_NEEDS
} DrGithubNeed;

typedef enum
{
  DR_GITHUB_CAPABILITY_UNKNOWN,      /* GitHub does not say, and a read could not tell */
  DR_GITHUB_CAPABILITY_OK,
  DR_GITHUB_CAPABILITY_MISSING,
} DrGithubCapabilityState;

typedef enum
{
  DR_GITHUB_TOKEN_UNKNOWN,
  DR_GITHUB_TOKEN_CLASSIC_PAT,       /* answers X-OAuth-Scopes */
  DR_GITHUB_TOKEN_FINE_GRAINED_PAT,
  DR_GITHUB_TOKEN_APP_INSTALLATION,
} DrGithubTokenKind;

typedef struct
{
  DrGithubTokenKind        token_kind;
  char                    *scopes;               /* X-OAuth-Scopes (classic), else NULL */
  char                    *expires;              /* github-authentication-token-expiration */
  DrGithubCapabilityState  state[DR_GITHUB_N_NEEDS];
  /* For each need, a sentence: what grants it, what to add when missing, why unknown. */
  char                    *detail[DR_GITHUB_N_NEEDS];
} DrGithubCapabilities;

void                  dr_github_capabilities_free     (DrGithubCapabilities *self);
/* "Register runners", "Read runs and jobs", "Run workflows", "Verify (push a test
 * workflow)", translated. */
const char           *dr_github_need_get_title        (DrGithubNeed          need);
const char           *dr_github_token_kind_to_string  (DrGithubTokenKind     kind);

/* @repo NULL for an organisation (@owner) runner; @scope says which registration rule
 * applies. Reads only: the repository (permissions), the installation for an App, and
 * probing GETs where headers do not tell. */
void                  dr_github_api_check_credential_async  (DrGithubClient     *client,
                                                             const char         *owner,
                                                             const char         *repo,
                                                             DrRepositoryScope   scope,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
DrGithubCapabilities *dr_github_api_check_credential_finish (DrGithubClient     *client,
                                                             GAsyncResult       *result,
                                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrGithubCapabilities, dr_github_capabilities_free)

G_END_DECLS
