/* test-github-contract.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contract: every request shape the GitHub client makes, sent to Prism 5.14.2 serving
 * GitHub's own OpenAPI description (@octokit/openapi, TESTING.md) with --errors, which
 * answers 422/415/406 to a request that does not match the description (wrong path, missing
 * or mistyped body member, bad query value, wrong Content-Type or Accept). Any such answer
 * is a DR_ERROR here and fails the test. The test starts Prism itself on a free port and
 * stops it at the end; it skips (saying why) only when node or node_modules is absent —
 * build-aux/dev test installs them.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "dr-error.h"
#include "dr-github-api.h"
#include "dr-github-client.h"
#include "dr-github-private.h"
#include "dr-json.h"
#include "dr-test-github-keys.h"
#include "dr-test-utils.h"

static GSubprocess *prism;
static char        *prism_url;
static char        *prism_log;
static char        *skip_reason;
static gboolean     prism_exited;

static void
prism_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  prism_exited = TRUE;
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
print_prism_log (void)
{
  g_autofree char *text = NULL;

  if (prism_log != NULL && g_file_get_contents (prism_log, &text, NULL, NULL))
    {
      gsize length = strlen (text);
      const char *tail = length > 6000 ? text + length - 6000 : text;
      g_auto(GStrv) lines = g_strsplit (tail, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_test_message ("prism: %s", lines[i]);
    }
}

/* Prism answers anything once it listens; wait up to a minute (a loaded machine). */
static gboolean
prism_ready (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 2, NULL);
  g_autofree char *url = g_strconcat (prism_url, "/orgs/octo", NULL);
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GBytes) body = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                    DR_GITHUB_ACCEPT);
      body = soup_session_send_and_read (session, msg, NULL, NULL);
      if (body != NULL)
        return TRUE;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (prism_exited)
        return FALSE;
      g_usleep (200 * 1000);
    }
  return FALSE;
}

/* Prism goes when the test goes, even when the test aborts. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_prism (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *root = g_path_get_dirname (srcdir != NULL ? srcdir : ".");
  g_autofree char *prism_bin = g_build_filename (root, "node_modules", ".bin", "prism", NULL);
  g_autofree char *spec = g_build_filename (root, "node_modules", "@octokit", "openapi",
                                            "generated", "api.github.com.deref.json", NULL);
  g_autofree char *script = g_build_filename (root, "tests", "contract", "github-subset.js",
                                              NULL);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *dir = NULL;
  g_autofree char *subset = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  guint port_number;

  if (node == NULL)
    {
      skip_reason = g_strdup ("node is not installed (build-aux/dev test installs it)");
      return;
    }
  if (!g_file_test (prism_bin, G_FILE_TEST_IS_EXECUTABLE) || !g_file_test (spec, G_FILE_TEST_EXISTS))
    {
      skip_reason = g_strdup_printf ("%s/node_modules has no Prism or @octokit/openapi: run "
                                     "“npm ci” (build-aux/dev test does)", root);
      return;
    }

  dir = g_dir_make_tmp ("deskrun-prism-XXXXXX", &error);
  g_assert_no_error (error);
  subset = g_build_filename (dir, "github-subset.json", NULL);
  prism_log = g_build_filename (dir, "prism.log", NULL);
  {
    const char *argv[] = { node, script, spec, subset, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("%s failed: %s", script, err);
    g_test_message ("%s", g_strchomp (out));
  }

  port_number = free_port ();
  port = g_strdup_printf ("%u", port_number);
  prism_url = g_strdup_printf ("http://127.0.0.1:%u", port_number);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, prism_log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  prism = g_subprocess_launcher_spawn (launcher, &error, prism_bin, "mock", "-h", "127.0.0.1",
                                       "-p", port, "--errors", subset, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (prism, NULL, prism_exited_cb, NULL);
  if (!prism_ready ())
    {
      print_prism_log ();
      g_error ("Prism did not start listening on %s within a minute", prism_url);
    }
}

static void
stop_prism (void)
{
  if (prism == NULL)
    return;
  g_subprocess_send_signal (prism, SIGTERM);
  while (!prism_exited)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&prism);
}

static gboolean
skip_if_no_prism (void)
{
  if (skip_reason == NULL)
    return FALSE;
  g_test_skip (skip_reason);
  return TRUE;
}

static DrGithubClient *
pat_client (void)
{
  g_autoptr(DrCredential) credential = dr_credential_new_pat ("ghp_contract");
  g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
  DrGithubClient *client = dr_github_client_new (prism_url, auth, NULL, NULL);

  dr_github_client_set_timeouts (client, 10, 30);
  _dr_github_client_set_test_delays (client, 10, 100, 100);
  return client;
}

/* A 4xx from Prism is a request that does not match GitHub's description. */
static void
assert_accepted (const char *what,
                 GError     *error)
{
  if (error == NULL)
    {
      g_test_message ("%s: accepted", what);
      return;
    }
  /* With --errors Prism also checks its own example reply against the schema, and answers
   * 500 when GitHub's example breaks it: that says nothing about our request (the log check
   * at the end proves every request passed Prism's validator). */
  if (g_error_matches (error, DR_ERROR, DR_ERROR_SERVER))
    {
      g_test_message ("%s: accepted (Prism's example reply broke the schema: %s)", what,
                      error->message);
      return;
    }
  print_prism_log ();
  g_error ("%s: %s (%s %d)", what, error->message, g_quark_to_string (error->domain),
           error->code);
}

/* ---- the calls -------------------------------------------------------------------------- */

static void
test_repository (void)
{
  g_autoptr(DrGithubClient) client = NULL;

  if (skip_if_no_prism ())
    return;
  client = pat_client ();
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) repo = NULL;

    dr_github_api_get_repository_async (client, "octo", "hello", NULL, store_result_cb, &r);
    repo = dr_github_api_get_repository_finish (client, wait_result (&r), &error);
    assert_accepted ("GET /repos/{owner}/{repo}", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) branches = NULL;

    dr_github_api_list_branches_async (client, "octo", "hello", NULL, store_result_cb, &r);
    branches = dr_github_api_list_branches_finish (client, wait_result (&r), &error);
    assert_accepted ("GET …/branches", error);
  }
}

static void
test_runs_and_jobs (void)
{
  g_autoptr(DrGithubClient) client = NULL;
  DrGithubRunFilter filters[] = {
    { NULL, NULL, NULL, NULL, NULL, NULL },
    { NULL, "queued", "workflow_dispatch", "main", "2026-12-01T00:00:00Z", NULL },
    { "ci.yml", "in_progress", NULL, NULL, NULL, "0123456789abcdef0123456789abcdef01234567" },
    /* By file name: a numeric id cannot pass Prism (workflow_id is oneOf integer / string,
     * and a number in a path matches both; docs/HACKING.md). */
    { "deploy.yaml", "completed", "push", NULL, NULL, NULL },
  };

  if (skip_if_no_prism ())
    return;
  client = pat_client ();
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) runs = NULL;

      dr_github_api_list_runs_async (client, "octo", "hello", &filters[i], i == 0 ? 0 : 20, NULL,
                                     store_result_cb, &r);
      runs = dr_github_api_list_runs_finish (client, wait_result (&r), &error);
      assert_accepted (filters[i].workflow != NULL ? "GET …/workflows/{id}/runs"
                                                   : "GET …/actions/runs", error);
    }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) run = NULL;

    dr_github_api_get_run_async (client, "octo", "hello", 30433642, NULL, store_result_cb, &r);
    run = dr_github_api_get_run_finish (client, wait_result (&r), &error);
    assert_accepted ("GET …/actions/runs/{run_id}", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) jobs = NULL;

    dr_github_api_list_jobs_async (client, "octo", "hello", 30433642, NULL, store_result_cb, &r);
    jobs = dr_github_api_list_jobs_finish (client, wait_result (&r), &error);
    assert_accepted ("GET …/actions/runs/{run_id}/jobs", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) job = NULL;

    dr_github_api_get_job_async (client, "octo", "hello", 399444496, NULL, store_result_cb, &r);
    job = dr_github_api_get_job_finish (client, wait_result (&r), &error);
    assert_accepted ("GET …/actions/jobs/{job_id}", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;

    dr_github_api_cancel_run_async (client, "octo", "hello", 30433642, NULL, store_result_cb, &r);
    dr_github_api_cancel_run_finish (client, wait_result (&r), &error);
    assert_accepted ("POST …/runs/{run_id}/cancel", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;

    dr_github_api_rerun_failed_jobs_async (client, "octo", "hello", 30433642, NULL,
                                           store_result_cb, &r);
    dr_github_api_rerun_failed_jobs_finish (client, wait_result (&r), &error);
    assert_accepted ("POST …/runs/{run_id}/rerun-failed-jobs", error);
  }
}

/* Prism answers the log request with GitHub's 302 to a pre-signed URL on the internet; the
 * request was accepted when the failure is reaching that host, not a DR_ERROR from Prism. */
static void
test_job_log (void)
{
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) log = NULL;

  if (skip_if_no_prism ())
    return;
  client = pat_client ();
  dr_github_client_set_timeouts (client, 3, 5);
  dr_github_api_download_job_log_async (client, "octo", "hello", 399444496, NULL,
                                        store_result_cb, &r);
  log = dr_github_api_download_job_log_finish (client, wait_result (&r), &error);
  if (log != NULL)
    return;
  g_test_message ("log: %s", error->message);
  if (error->domain == DR_ERROR)
    assert_accepted ("GET …/actions/jobs/{job_id}/logs", error);
  g_assert_nonnull (strstr (error->message, "pipelines.actions.githubusercontent.com"));
}

static void
test_workflows_and_dispatch (void)
{
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(JsonObject) inputs = json_object_new ();

  if (skip_if_no_prism ())
    return;
  client = pat_client ();
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) workflows = NULL;

    dr_github_api_list_workflows_async (client, "octo", "hello", NULL, store_result_cb, &r);
    workflows = dr_github_api_list_workflows_finish (client, wait_result (&r), &error);
    assert_accepted ("GET …/actions/workflows", error);
  }

  /* One input of each workflow_dispatch type, as the Run Workflow dialog sends them. */
  json_object_set_string_member (inputs, "greeting", "hello world");     /* string */
  json_object_set_boolean_member (inputs, "debug", TRUE);                /* boolean */
  json_object_set_string_member (inputs, "level", "warning");            /* choice */
  json_object_set_int_member (inputs, "count", 3);                       /* number */
  json_object_set_string_member (inputs, "target", "staging");           /* environment */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      gint64 run_id = -1;

      dr_github_api_dispatch_async (client, "octo", "hello", i == 0 ? "ci.yml" : "deploy.yaml",
                                    "main", i == 0 ? inputs : NULL, NULL, store_result_cb, &r);
      dr_github_api_dispatch_finish (client, wait_result (&r), &run_id, &error);
      assert_accepted ("POST …/workflows/{workflow_id}/dispatches", error);
      g_test_message ("dispatch: run id %" G_GINT64_FORMAT, run_id);
    }
}

static void
test_contents_and_refs (void)
{
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("on: workflow_dispatch\n", 22);

  if (skip_if_no_prism ())
    return;
  client = pat_client ();
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *sha = NULL;

    /* A top-level file: Prism cannot match {path} holding a "/" (GitHub takes it unescaped,
     * as the client sends it; docs/HACKING.md). */
    dr_github_api_get_contents_async (client, "octo", "hello", "deskrun-verify.yml", "main",
                                      NULL, store_result_cb, &r);
    bytes = dr_github_api_get_contents_finish (client, wait_result (&r), &sha, &error);
    /* Prism's first example of this endpoint is a folder listing: our reader says so, which
     * means Prism accepted the request. */
    if (g_error_matches (error, DR_ERROR, DR_ERROR_BAD_RESPONSE))
      g_test_message ("contents: %s", error->message);
    else
      assert_accepted ("GET …/contents/{path}", error);
  }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *commit = NULL;

      dr_github_api_put_contents_async (client, "octo", "hello", "deskrun-verify.yml",
                                        "deskrun-verify", "deskrun: verify the runner", content,
                                        i == 0 ? NULL : "95b966ae1c166bd92f8ae7d1c313e738c731dfc3",
                                        NULL, store_result_cb, &r);
      commit = dr_github_api_put_contents_finish (client, wait_result (&r), &error);
      assert_accepted ("PUT …/contents/{path}", error);
    }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) ref = NULL;

    /* One segment, for the same reason as the contents path: "heads/main" is what GitHub
     * gets (the create body below carries the full name). */
    dr_github_api_get_ref_async (client, "octo", "hello", "main", NULL, store_result_cb, &r);
    ref = dr_github_api_get_ref_finish (client, wait_result (&r), &error);
    assert_accepted ("GET …/git/ref/{ref}", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) ref = NULL;

    dr_github_api_create_ref_async (client, "octo", "hello", "heads/deskrun-verify",
                                    "aa218f56b14c9653891f9e74264a383fa43fefbd", NULL,
                                    store_result_cb, &r);
    ref = dr_github_api_create_ref_finish (client, wait_result (&r), &error);
    assert_accepted ("POST …/git/refs", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;

    dr_github_api_delete_ref_async (client, "octo", "hello", "deskrun-verify", NULL,
                                    store_result_cb, &r);
    dr_github_api_delete_ref_finish (client, wait_result (&r), &error);
    assert_accepted ("DELETE …/git/refs/{ref}", error);
  }
}

static void
test_runners_and_orgs (void)
{
  g_autoptr(DrGithubClient) client = NULL;

  if (skip_if_no_prism ())
    return;
  client = pat_client ();
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) runners = NULL;

      dr_github_api_list_runners_async (client, "octo", i == 0 ? "hello" : NULL, NULL,
                                        store_result_cb, &r);
      runners = dr_github_api_list_runners_finish (client, wait_result (&r), &error);
      assert_accepted (i == 0 ? "GET …/actions/runners" : "GET /orgs/{org}/actions/runners",
                       error);
    }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) repos = NULL;

    dr_github_api_list_org_repositories_async (client, "octo", NULL, store_result_cb, &r);
    repos = dr_github_api_list_org_repositories_finish (client, wait_result (&r), &error);
    assert_accepted ("GET /orgs/{org}/repos", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) groups = NULL;

    dr_github_api_list_runner_groups_async (client, "octo", NULL, store_result_cb, &r);
    groups = dr_github_api_list_runner_groups_finish (client, wait_result (&r), &error);
    assert_accepted ("GET /orgs/{org}/actions/runner-groups", error);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) repos = NULL;

    dr_github_api_list_runner_group_repositories_async (client, "octo", 2, NULL,
                                                        store_result_cb, &r);
    repos = dr_github_api_list_runner_group_repositories_finish (client, wait_result (&r),
                                                                 &error);
    assert_accepted ("GET /orgs/{org}/actions/runner-groups/{id}/repositories", error);
  }
  for (guint scope = 0; scope < 2; scope++)
    {
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DrGithubCapabilities) caps = NULL;

      dr_github_api_check_credential_async (client, "octo", scope == 0 ? "hello" : NULL,
                                            scope == 0 ? DR_REPOSITORY_SCOPE_REPOSITORY
                                                       : DR_REPOSITORY_SCOPE_ORGANIZATION,
                                            NULL, store_result_cb, &r);
      caps = dr_github_api_check_credential_finish (client, wait_result (&r), &error);
      assert_accepted ("credential check (GET repository / org, probes)", error);
    }
}

/* The App's own requests: the installation lookup (repository, organisation, list) and the
 * access token, then a call with the installation token. */
static void
test_app (void)
{
  const DrTestAppKeys *keys;
  static const struct { const char *owner; const char *repo; const char *id; } targets[] = {
    { "octo", "hello", NULL }, { "octo", NULL, NULL }, { NULL, NULL, NULL }, { NULL, NULL, "77" },
  };

  if (skip_if_no_prism ())
    return;
  keys = dr_test_app_keys ();
  if (keys == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(DrCredential) credential = dr_credential_new_app ("Iv1.8a61f9b3a7aba766",
                                                                  targets[i].id,
                                                                  keys->private_pkcs1);
      g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
      g_autoptr(DrGithubClient) client = NULL;
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) repos = NULL;

      dr_github_auth_set_target (auth, targets[i].owner, targets[i].repo);
      client = dr_github_client_new (prism_url, auth, NULL, NULL);
      _dr_github_client_set_test_delays (client, 10, 100, 100);
      dr_github_api_list_installation_repositories_async (client, NULL, store_result_cb, &r);
      repos = dr_github_api_list_installation_repositories_finish (client, wait_result (&r),
                                                                   &error);
      assert_accepted ("App: installation lookup, access token, /installation/repositories",
                       error);
      if (error == NULL)
        g_assert_cmpint (dr_github_auth_get_installation_id (auth), >, 0);
    }
}

/* Prism's validator passed every request the tests above sent: a line per request, none
 * saying it failed. */
static void
test_validator_log (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint passed = 0;

  if (skip_if_no_prism ())
    return;
  g_assert_true (g_file_get_contents (prism_log, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "[VALIDATOR]") == NULL)
        continue;
      if (strstr (lines[i], "The request passed the validation rules") != NULL)
        passed++;
      else
        {
          print_prism_log ();
          g_error ("Prism's validator: %s", lines[i]);
        }
    }
  g_test_message ("%u requests passed Prism's validator", passed);
  g_assert_cmpuint (passed, >=, 30);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dr_test_init (&argc, &argv);
  start_prism ();

  g_test_add_func ("/github/contract/repository", test_repository);
  g_test_add_func ("/github/contract/runs-and-jobs", test_runs_and_jobs);
  g_test_add_func ("/github/contract/job-log", test_job_log);
  g_test_add_func ("/github/contract/workflows-and-dispatch", test_workflows_and_dispatch);
  g_test_add_func ("/github/contract/contents-and-refs", test_contents_and_refs);
  g_test_add_func ("/github/contract/runners-and-orgs", test_runners_and_orgs);
  g_test_add_func ("/github/contract/app", test_app);
  g_test_add_func ("/github/contract/validator-log", test_validator_log);

  status = g_test_run ();
  stop_prism ();
  return status;
}
