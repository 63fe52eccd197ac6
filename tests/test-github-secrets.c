/* test-github-secrets.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secrets never leave the bearer header: a sentinel PAT, a GitHub App's private key, its JWT
 * and its installation token are planted, every path of the client is driven (success,
 * each error, the disk cache, redirects, dispatch, the credential check) with debug logging
 * on, and none of them may appear in a log line, an error message or a cache file.
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-fake-github.h"
#include "dr-github-api.h"
#include "dr-github-client.h"
#include "dr-github-private.h"
#include "dr-json.h"
#include "dr-test-github-keys.h"
#include "dr-test-utils.h"

#define SENTINEL "ghp_SENTINEL0sentinel1SENTINEL2sentinel3"

static GString *captured;

/* Every log line of the process passes here, and on into the test log as TAP comments. */
static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (captured, "%s=%s ", fields[i].key, (const char *) fields[i].value);
    else if (fields[i].value != NULL)
      {
        g_string_append_printf (captured, "%s=", fields[i].key);
        g_string_append_len (captured, fields[i].value, fields[i].length);
        g_string_append_c (captured, ' ');
      }
  g_string_append_c (captured, '\n');

  /* Shown in the test log as TAP comments, where the default writer would break TAP. */
  {
    g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);
    g_auto(GStrv) lines = g_strsplit (line, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_print ("# %s\n", lines[i]);
  }
  return G_LOG_WRITER_HANDLED;
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

static void
remember_error (GPtrArray *messages,
                GError    *error)
{
  if (error != NULL)
    g_ptr_array_add (messages, g_strdup (error->message));
}

/* Drives the client through its paths, collecting every error message. */
static void
exercise (DrFakeGithub   *fake,
          DrGithubClient *client,
          GPtrArray      *messages)
{
  static const guint statuses[] = { 401, 403, 404, 409, 422, 500 };
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(JsonObject) inputs = json_object_new ();

  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello", 200,
                           "{\"name\":\"hello\",\"private\":true,\"permissions\":{\"admin\":true,"
                           "\"push\":true}}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\":1,\"workflow_runs\":[{\"id\":1}]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runners", 200,
                           "{\"total_count\":0,\"runners\":[]}");
  dr_fake_github_set_job_log (fake, 5, "log text\n");

  /* Twice: the second answer is a 304 from the disk cache. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) runs = NULL;

      dr_github_api_list_runs_async (client, "octo", "hello", NULL, 10, NULL, store_result_cb,
                                     &result);
      runs = dr_github_api_list_runs_finish (client, wait_result (&result), &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      fault.status = statuses[i];
      fault.path = "/repos/octo/hello/thing";
      fault.times = 4;
      dr_fake_github_add_fault (fake, &fault);
      dr_github_client_send_async (client, "POST", "/repos/octo/hello/thing", NULL, NULL,
                                   store_result_cb, &result);
      node = dr_github_client_send_finish (client, wait_result (&result), NULL, &error);
      g_assert_nonnull (error);
      remember_error (messages, error);
    }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) log = NULL;

    dr_github_api_download_job_log_async (client, "octo", "hello", 5, NULL, store_result_cb,
                                          &result);
    log = dr_github_api_download_job_log_finish (client, wait_result (&result), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    gint64 run_id = 0;

    json_object_set_string_member (inputs, "name", "value");
    dr_github_api_dispatch_async (client, "octo", "hello", "ci.yml", "main", inputs, NULL,
                                  store_result_cb, &result);
    dr_github_api_dispatch_finish (client, wait_result (&result), &run_id, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DrGithubCapabilities) caps = NULL;

    dr_github_api_check_credential_async (client, "octo", "hello",
                                          DR_REPOSITORY_SCOPE_REPOSITORY, NULL, store_result_cb,
                                          &result);
    caps = dr_github_api_check_credential_finish (client, wait_result (&result), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
      g_ptr_array_add (messages, g_strdup (caps->detail[i]));
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    /* A timeout's message names the server, and nothing else. */
    fault = (DrFakeGithubFault) DR_FAKE_GITHUB_FAULT_INIT;
    fault.silent = TRUE;
    fault.path = "/repos/octo/silent";
    fault.times = 10;
    dr_fake_github_add_fault (fake, &fault);
    dr_github_client_set_timeouts (client, 1, 1);
    dr_github_client_get_async (client, "/repos/octo/silent", NULL, store_result_cb, &result);
    node = dr_github_client_get_finish (client, wait_result (&result), &error);
    g_assert_nonnull (error);
    remember_error (messages, error);
  }
}

static void
assert_absent (const char *secret,
               const char *what,
               GPtrArray  *messages)
{
  g_autofree char *cache = dr_github_client_default_cache_dir ();

  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >, 8);
  if (strstr (captured->str, secret) != NULL)
    g_error ("the %s appears in the log", what);
  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], secret) != NULL)
      g_error ("the %s appears in the message “%s”", what, (char *) messages->pdata[i]);
  dr_test_assert_no_file_contains (cache, secret);
}

static void
test_pat (void)
{
  g_autoptr(DrFakeGithub) fake = dr_fake_github_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat (SENTINEL);
  g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cache = dr_github_client_default_cache_dir ();

  dr_fake_github_add_pat (fake, SENTINEL, "repo, workflow");
  client = dr_github_client_new (dr_fake_github_get_url (fake), auth, cache, "keyring:1");
  _dr_github_client_set_test_delays (client, 10, 100, 100);
  g_string_truncate (captured, 0);
  exercise (fake, client, messages);

  /* The planted token did its work (so the paths above really ran with it)… */
  g_assert_cmpstr (((DrFakeGithubRequest *) dr_fake_github_get_requests (fake)->pdata[0])
                     ->authorization, ==, "Bearer " SENTINEL);
  g_assert_cmpuint (dr_github_client_get_not_modified_count (client), >=, 1);
  g_assert_true (g_file_test (cache, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (captured->len, >, 0);
  /* …and is nowhere else. */
  assert_absent (SENTINEL, "token", messages);
}

static void
test_app (void)
{
  const DrTestAppKeys *keys = dr_test_app_keys ();
  g_autoptr(DrFakeGithub) fake = NULL;
  g_autoptr(DrCredential) credential = NULL;
  g_autoptr(DrGithubAuth) auth = NULL;
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cache = dr_github_client_default_cache_dir ();
  g_auto(GStrv) key_lines = NULL;
  GPtrArray *requests;
  const char *jwt = NULL;

  if (keys == NULL)
    return;
  fake = dr_fake_github_new ();
  dr_fake_github_add_app (fake, "999", keys->public_pem, 5, "octo",
                          "{\"administration\":\"write\",\"actions\":\"write\"}", 3600);
  credential = dr_credential_new_app ("999", NULL, keys->private_pkcs1);
  auth = dr_github_auth_new (credential);
  dr_github_auth_set_target (auth, "octo", "hello");
  client = dr_github_client_new (dr_fake_github_get_url (fake), auth, cache, "keyring:2");
  _dr_github_client_set_test_delays (client, 10, 100, 100);
  g_string_truncate (captured, 0);
  exercise (fake, client, messages);

  requests = dr_fake_github_get_requests (fake);
  for (guint i = 0; i < requests->len && jwt == NULL; i++)
    {
      DrFakeGithubRequest *request = requests->pdata[i];

      if (g_str_has_prefix (request->path, "/app/"))
        jwt = request->authorization + strlen ("Bearer ");
    }
  g_assert_nonnull (jwt);
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (fake), >=, 1);

  assert_absent (jwt, "JWT", messages);
  assert_absent ("ghs_fake_1", "installation token", messages);
  /* Any line of the key's body would give it away. */
  key_lines = g_strsplit (keys->private_pkcs1, "\n", -1);
  for (guint i = 1; key_lines[i] != NULL && key_lines[i + 1] != NULL; i++)
    if (strlen (key_lines[i]) > 40)
      assert_absent (key_lines[i], "private key", messages);
}

int
main (int   argc,
      char *argv[])
{
  /* Debug output on, so g_debug lines are checked as well. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  dr_test_init (&argc, &argv);

  g_test_add_func ("/github/secrets/pat", test_pat);
  g_test_add_func ("/github/secrets/app", test_app);

  return g_test_run ();
}
