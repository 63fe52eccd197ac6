/* dr-github-check.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The credential check: what a token can do against what deskrun needs (FACTS.md §6.3).
 * GitHub tells a classic PAT's scopes (X-OAuth-Scopes) and an installation token's
 * permissions (the access token reply); a fine-grained PAT's permissions are not published
 * anywhere, so reads are probed and what no read can show is reported as unknown — never
 * guessed.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-error.h"
#include "dr-github-api.h"
#include "dr-json.h"

void
dr_github_capabilities_free (DrGithubCapabilities *self)
{
  if (self == NULL)
    return;
  g_free (self->scopes);
  g_free (self->expires);
  for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
    g_free (self->detail[i]);
  g_free (self);
}

const char *
dr_github_need_get_title (DrGithubNeed need)
{
  switch (need)
    {
    case DR_GITHUB_NEED_REGISTER_RUNNERS: return _("Register runners");
    case DR_GITHUB_NEED_READ_RUNS: return _("Read runs and jobs");
    case DR_GITHUB_NEED_DISPATCH: return _("Run workflows");
    case DR_GITHUB_NEED_VERIFY: return _("Verify (push a test workflow)");
    case DR_GITHUB_N_NEEDS:
    default:
      return "";
    }
}

const char *
dr_github_token_kind_to_string (DrGithubTokenKind kind)
{
  switch (kind)
    {
    case DR_GITHUB_TOKEN_CLASSIC_PAT: return _("classic personal access token");
    case DR_GITHUB_TOKEN_FINE_GRAINED_PAT: return _("fine-grained personal access token");
    case DR_GITHUB_TOKEN_APP_INSTALLATION: return _("GitHub App installation token");
    case DR_GITHUB_TOKEN_UNKNOWN:
    default:
      return _("token of an unknown kind");
    }
}

typedef enum
{
  PROBE_NONE,
  PROBE_RUNS,       /* Actions: read */
  PROBE_RUNNERS,    /* Administration: read (repository) / Self-hosted runners: read (org) */
  PROBE_DONE,
} Probe;

typedef struct
{
  char                 *owner;
  char                 *repo;             /* NULL for an organisation */
  DrRepositoryScope     scope;
  DrGithubCapabilities *caps;
  JsonObject           *repository;       /* GET /repos/O/R, when a repository */
  Probe                 probe;
  /* Probe answers: 1 granted, 0 refused (with the reason), -1 could not tell. */
  int                   runs;
  int                   runners;
  char                 *runs_reason;
  char                 *runners_reason;
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_free (check->owner);
  g_free (check->repo);
  dr_github_capabilities_free (check->caps);
  g_clear_pointer (&check->repository, json_object_unref);
  g_free (check->runs_reason);
  g_free (check->runners_reason);
  g_free (check);
}

static void
set_need (Check                   *check,
          DrGithubNeed             need,
          DrGithubCapabilityState  state,
          char                    *detail)
{
  check->caps->state[need] = state;
  g_free (check->caps->detail[need]);
  check->caps->detail[need] = detail;
}

static gboolean
has_scope (const char *scopes,
           const char *scope)
{
  g_auto(GStrv) parts = NULL;

  if (scopes == NULL)
    return FALSE;
  parts = g_strsplit (scopes, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (g_strstrip (parts[i]), scope) == 0)
      return TRUE;
  return FALSE;
}

/* The user's role on the repository, from its "permissions" (NULL: not given). */
static gboolean
repository_allows (Check      *check,
                   const char *role,
                   gboolean    fallback)
{
  JsonObject *permissions = dr_json_member_object (check->repository, "permissions");

  if (permissions == NULL)
    return fallback;
  return dr_json_member_bool (permissions, role, fallback);
}

static void
judge_classic (Check *check)
{
  const char *scopes = check->caps->scopes;
  gboolean repo_scope = has_scope (scopes, "repo");
  gboolean is_public = check->repository != NULL &&
                       !dr_json_member_bool (check->repository, "private", TRUE);

  if (check->repo != NULL)
    {
      if (!repo_scope)
        set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_MISSING,
                  g_strdup (_("Add the “repo” scope to the token.")));
      else if (!repository_allows (check, "admin", TRUE))
        set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_MISSING,
                  g_strdup (_("The token has the “repo” scope, but its owner is not an "
                              "administrator of the repository.")));
      else
        set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_OK,
                  g_strdup (_("The “repo” scope, and its owner administers the repository.")));
    }
  else if (has_scope (scopes, "admin:org"))
    set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_OK,
              g_strdup (_("The “admin:org” scope.")));
  else
    set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("Add the “admin:org” scope to the token (and be an owner of the "
                          "organisation).")));

  if (repo_scope || is_public)
    set_need (check, DR_GITHUB_NEED_READ_RUNS, DR_GITHUB_CAPABILITY_OK,
              g_strdup (repo_scope ? _("The “repo” scope.")
                                   : _("The repository is public.")));
  else
    set_need (check, DR_GITHUB_NEED_READ_RUNS, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("Add the “repo” scope to the token.")));

  if (!repo_scope)
    {
      set_need (check, DR_GITHUB_NEED_DISPATCH, DR_GITHUB_CAPABILITY_MISSING,
                g_strdup (_("Add the “repo” scope to the token.")));
      set_need (check, DR_GITHUB_NEED_VERIFY, DR_GITHUB_CAPABILITY_MISSING,
                g_strdup (_("Add the “repo” and “workflow” scopes to the token.")));
      return;
    }
  if (!repository_allows (check, "push", TRUE))
    {
      set_need (check, DR_GITHUB_NEED_DISPATCH, DR_GITHUB_CAPABILITY_MISSING,
                g_strdup (_("The token’s owner cannot write to the repository.")));
      set_need (check, DR_GITHUB_NEED_VERIFY, DR_GITHUB_CAPABILITY_MISSING,
                g_strdup (_("The token’s owner cannot write to the repository.")));
      return;
    }
  set_need (check, DR_GITHUB_NEED_DISPATCH, DR_GITHUB_CAPABILITY_OK,
            g_strdup (_("The “repo” scope.")));
  if (has_scope (scopes, "workflow"))
    set_need (check, DR_GITHUB_NEED_VERIFY, DR_GITHUB_CAPABILITY_OK,
              g_strdup (_("The “repo” and “workflow” scopes.")));
  else
    set_need (check, DR_GITHUB_NEED_VERIFY, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("Add the “workflow” scope to the token: GitHub refuses to write "
                          "files under .github/workflows without it.")));
}

/* "write" >= "read"; "admin" counts as write. */
static gboolean
permission_at_least (JsonObject *permissions,
                     const char *name,
                     const char *level)
{
  const char *value = dr_json_member_string (permissions, name);

  if (value == NULL)
    return FALSE;
  if (strcmp (level, "read") == 0)
    return TRUE;
  return strcmp (value, "write") == 0 || strcmp (value, "admin") == 0;
}

static void
need_permissions (Check        *check,
                  JsonObject   *permissions,
                  DrGithubNeed  need,
                  const char   *first_name,
                  const char   *first_label,
                  const char   *second_name,
                  const char   *second_label,
                  const char   *level)
{
  gboolean first = permission_at_least (permissions, first_name, level);
  gboolean second = second_name == NULL || permission_at_least (permissions, second_name, level);

  if (first && second)
    set_need (check, need, DR_GITHUB_CAPABILITY_OK,
              second_name != NULL
                ? g_strdup_printf (_("%s and %s: %s."), first_label, second_label, level)
                : g_strdup_printf (_("%s: %s."), first_label, level));
  else if (!first && !second)
    set_need (check, need, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup_printf (_("Give the App %s and %s: %s."), first_label, second_label,
                               level));
  else
    set_need (check, need, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup_printf (_("Give the App %s: %s."), !first ? first_label : second_label,
                               level));
}

static void
judge_app (Check      *check,
           JsonObject *permissions)
{
  if (permissions == NULL)
    {
      for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
        set_need (check, i, DR_GITHUB_CAPABILITY_UNKNOWN,
                  g_strdup (_("GitHub did not list the installation’s permissions.")));
      return;
    }
  if (check->repo != NULL)
    need_permissions (check, permissions, DR_GITHUB_NEED_REGISTER_RUNNERS, "administration",
                      _("Administration"), NULL, NULL, "write");
  else
    need_permissions (check, permissions, DR_GITHUB_NEED_REGISTER_RUNNERS,
                      "organization_self_hosted_runners", _("Self-hosted runners"), NULL, NULL,
                      "write");
  need_permissions (check, permissions, DR_GITHUB_NEED_READ_RUNS, "actions", _("Actions"),
                    NULL, NULL, "read");
  need_permissions (check, permissions, DR_GITHUB_NEED_DISPATCH, "actions", _("Actions"),
                    NULL, NULL, "write");
  need_permissions (check, permissions, DR_GITHUB_NEED_VERIFY, "contents", _("Contents"),
                    "workflows", _("Workflows"), "write");
}

static void
judge_fine_grained (Check *check)
{
  gboolean can_push = repository_allows (check, "push", TRUE);
  const char *registration = check->repo != NULL ? _("Administration: read and write")
                                                 : _("Self-hosted runners: read and write");

  /* Reading the runners list needs the read half of what registration needs. */
  if (check->runners == 0)
    set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup_printf (_("Give the token %s: GitHub refused to show it the "
                                 "runners."), registration));
  else if (check->repo != NULL && !repository_allows (check, "admin", TRUE))
    set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("The token’s owner is not an administrator of the repository.")));
  else
    set_need (check, DR_GITHUB_NEED_REGISTER_RUNNERS, DR_GITHUB_CAPABILITY_UNKNOWN,
              g_strdup_printf (_("The token may read the runners; GitHub does not show "
                                 "whether it may also write them. It needs %s."),
                               registration));

  if (check->repo == NULL)
    {
      for (guint need = DR_GITHUB_NEED_READ_RUNS; need < DR_GITHUB_N_NEEDS; need++)
        set_need (check, need, DR_GITHUB_CAPABILITY_UNKNOWN,
                  g_strdup (_("Depends on the permissions the token has on each repository.")));
      return;
    }

  if (check->runs == 1)
    set_need (check, DR_GITHUB_NEED_READ_RUNS, DR_GITHUB_CAPABILITY_OK,
              g_strdup (_("The token reads the repository’s runs (Actions: read).")));
  else if (check->runs == 0)
    set_need (check, DR_GITHUB_NEED_READ_RUNS, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("Give the token Actions: read: GitHub refused to show it the "
                          "runs.")));
  else
    set_need (check, DR_GITHUB_NEED_READ_RUNS, DR_GITHUB_CAPABILITY_UNKNOWN,
              g_strdup (check->runs_reason));

  if (check->runs == 0)
    set_need (check, DR_GITHUB_NEED_DISPATCH, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("Give the token Actions: read and write.")));
  else if (!can_push)
    set_need (check, DR_GITHUB_NEED_DISPATCH, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("The token’s owner cannot write to the repository.")));
  else
    set_need (check, DR_GITHUB_NEED_DISPATCH, DR_GITHUB_CAPABILITY_UNKNOWN,
              g_strdup (_("GitHub does not show whether a fine-grained token may write; it "
                          "needs Actions: read and write.")));

  if (!can_push)
    set_need (check, DR_GITHUB_NEED_VERIFY, DR_GITHUB_CAPABILITY_MISSING,
              g_strdup (_("The token’s owner cannot write to the repository.")));
  else
    set_need (check, DR_GITHUB_NEED_VERIFY, DR_GITHUB_CAPABILITY_UNKNOWN,
              g_strdup (_("GitHub does not show whether a fine-grained token may write; it "
                          "needs Contents and Workflows: read and write.")));
}

static void
check_finish (GTask *task)
{
  DrGithubClient *client = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  DrGithubAuth *auth = dr_github_client_get_auth (client);

  switch (check->caps->token_kind)
    {
    case DR_GITHUB_TOKEN_CLASSIC_PAT:
      judge_classic (check);
      break;
    case DR_GITHUB_TOKEN_APP_INSTALLATION:
      judge_app (check, auth != NULL ? dr_github_auth_get_token_permissions (auth) : NULL);
      break;
    case DR_GITHUB_TOKEN_FINE_GRAINED_PAT:
    case DR_GITHUB_TOKEN_UNKNOWN:
    default:
      judge_fine_grained (check);
      break;
    }

  g_task_return_pointer (task, g_steal_pointer (&check->caps),
                         (GDestroyNotify) dr_github_capabilities_free);
  g_object_unref (task);
}

static void check_next_probe (GTask *task);

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  int answer;
  char *reason = NULL;

  node = dr_github_client_get_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (node != NULL)
    answer = 1;
  else if (g_error_matches (error, DR_ERROR, DR_ERROR_FORBIDDEN) ||
           g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      answer = 0;
      reason = g_strdup (error->message);
    }
  else
    {
      answer = -1;
      reason = g_strdup_printf (_("Could not tell: %s"), error->message);
    }

  if (check->probe == PROBE_RUNS)
    {
      check->runs = answer;
      check->runs_reason = reason;
    }
  else
    {
      check->runners = answer;
      check->runners_reason = reason;
    }
  check_next_probe (task);
}

static void
check_next_probe (GTask *task)
{
  DrGithubClient *client = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  g_autofree char *owner = g_uri_escape_string (check->owner, NULL, FALSE);
  g_autofree char *repo = check->repo != NULL ? g_uri_escape_string (check->repo, NULL, FALSE)
                                              : NULL;
  g_autofree char *path = NULL;

  check->probe++;
  if (check->probe == PROBE_RUNS && repo == NULL)
    check->probe++;
  switch (check->probe)
    {
    case PROBE_RUNS:
      path = g_strdup_printf ("/repos/%s/%s/actions/runs?per_page=1", owner, repo);
      break;
    case PROBE_RUNNERS:
      path = repo != NULL ? g_strdup_printf ("/repos/%s/%s/actions/runners?per_page=1", owner,
                                             repo)
                          : g_strdup_printf ("/orgs/%s/actions/runners?per_page=1", owner);
      break;
    case PROBE_NONE:
    case PROBE_DONE:
    default:
      check_finish (task);
      return;
    }
  dr_github_client_get_async (client, path, g_task_get_cancellable (task), probe_cb, task);
}

static void
base_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  DrGithubClient *client = DR_GITHUB_CLIENT (object);
  Check *check = g_task_get_task_data (task);
  DrGithubAuth *auth = dr_github_client_get_auth (client);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  const char *scopes;
  const char *expires;

  node = dr_github_client_get_finish (client, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (check->repo != NULL && dr_json_node_object (node) != NULL)
    check->repository = json_object_ref (dr_json_node_object (node));

  scopes = dr_github_client_get_last_header (client, "X-OAuth-Scopes");
  expires = dr_github_client_get_last_header (client, "github-authentication-token-expiration");
  check->caps->expires = g_strdup (expires);
  if (auth != NULL && dr_github_auth_get_kind (auth) == DR_CREDENTIAL_KIND_GITHUB_APP)
    check->caps->token_kind = DR_GITHUB_TOKEN_APP_INSTALLATION;
  else if (scopes != NULL)
    {
      check->caps->token_kind = DR_GITHUB_TOKEN_CLASSIC_PAT;
      check->caps->scopes = g_strdup (scopes);
    }
  else
    check->caps->token_kind = DR_GITHUB_TOKEN_FINE_GRAINED_PAT;

  if (check->caps->token_kind == DR_GITHUB_TOKEN_FINE_GRAINED_PAT)
    {
      check_next_probe (task);
      return;
    }
  check_finish (task);
}

void
dr_github_api_check_credential_async (DrGithubClient      *client,
                                      const char          *owner,
                                      const char          *repo,
                                      DrRepositoryScope    scope,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  Check *check;
  g_autofree char *o = NULL;
  g_autofree char *r = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (client));
  g_return_if_fail (owner != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_github_api_check_credential_async);
  check = g_new0 (Check, 1);
  check->owner = g_strdup (owner);
  check->repo = scope == DR_REPOSITORY_SCOPE_REPOSITORY ? g_strdup (repo) : NULL;
  check->scope = scope;
  check->caps = g_new0 (DrGithubCapabilities, 1);
  check->runs = -1;
  check->runners = -1;
  g_task_set_task_data (task, check, check_free);

  if (scope == DR_REPOSITORY_SCOPE_ENTERPRISE)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_UNSUPPORTED,
                               _("deskrun cannot check credentials for enterprise-level "
                                 "runners"));
      g_object_unref (task);
      return;
    }
  if (scope == DR_REPOSITORY_SCOPE_REPOSITORY && (repo == NULL || *repo == '\0'))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                               _("A repository runner needs its repository"));
      g_object_unref (task);
      return;
    }

  o = g_uri_escape_string (owner, NULL, FALSE);
  if (check->repo != NULL)
    {
      r = g_uri_escape_string (check->repo, NULL, FALSE);
      path = g_strdup_printf ("/repos/%s/%s", o, r);
    }
  else
    path = g_strdup_printf ("/orgs/%s", o);
  dr_github_client_get_async (client, path, cancellable, base_cb, task);
}

DrGithubCapabilities *
dr_github_api_check_credential_finish (DrGithubClient  *client,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dr_github_api_check_credential_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
