/* test-github-client.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrGithubClient against the strict fake (tests/dr-fake-github.c): GitHub's headers, the API
 * base, errors a person can act on, the ETag cache, pagination, rate limits, retries,
 * deadlines, redirects without the token, and dispatch.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dr-error.h"
#include "dr-fake-github.h"
#include "dr-github-api.h"
#include "dr-github-client.h"
#include "dr-github-private.h"
#include "dr-json.h"
#include "dr-test-utils.h"

#define TOKEN "ghp_testtoken0123456789"

typedef struct
{
  DrFakeGithub   *fake;
  DrGithubClient *client;
  DrGithubAuth   *auth;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);

  f->fake = dr_fake_github_new ();
  dr_fake_github_add_pat (f->fake, TOKEN, "repo, workflow");
  f->auth = dr_github_auth_new (credential);
  f->client = dr_github_client_new (dr_fake_github_get_url (f->fake), f->auth, NULL, NULL);
  /* Tests wait milliseconds where GitHub asks for seconds. */
  _dr_github_client_set_test_delays (f->client, 20, 200, 100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->auth);
  dr_fake_github_free (f->fake);
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

static JsonNode *
get_sync (DrGithubClient  *client,
          const char      *path,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_github_client_get_async (client, path, NULL, store_result_cb, &result);
  return dr_github_client_get_finish (client, wait_result (&result), error);
}

static JsonNode *
send_sync (DrGithubClient  *client,
           const char      *method,
           const char      *path,
           const char      *body_json,
           guint           *status,
           GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = body_json != NULL ? json_from_string (body_json, NULL) : NULL;

  dr_github_client_send_async (client, method, path, body, NULL, store_result_cb, &result);
  return dr_github_client_send_finish (client, wait_result (&result), status, error);
}

static JsonArray *
get_all_sync (DrGithubClient  *client,
              const char      *path,
              const char      *member,
              guint            max_items,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_github_client_get_all_async (client, path, member, max_items, NULL, store_result_cb,
                                  &result);
  return dr_github_client_get_all_finish (client, wait_result (&result), error);
}

static DrFakeGithubRequest *
last_request (Fixture *f)
{
  GPtrArray *requests = dr_fake_github_get_requests (f->fake);

  g_assert_cmpuint (requests->len, >, 0);
  return requests->pdata[requests->len - 1];
}

/* ---- the API base ----------------------------------------------------------------------- */

static void
test_api_base (void)
{
  static const struct { const char *url; const char *base; } good[] = {
    { "https://github.com/octo/hello", "https://api.github.com" },
    { "https://github.com/octo", "https://api.github.com" },
    { "https://GitHub.com/octo/hello/", "https://api.github.com" },
    { "https://ghe.example.com/team/app", "https://ghe.example.com/api/v3" },
    { "https://ghe.example.com:8443/team", "https://ghe.example.com:8443/api/v3" },
    { "http://ghe.internal/team/app", "https://ghe.internal/api/v3" },
  };
  static const char * const bad[] = { "", "github.com/octo", "ftp://github.com/octo", "octo" };

  g_unsetenv (DR_GITHUB_API_URL_ENV);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = dr_github_api_base_for_repository (good[i].url, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (base, ==, good[i].base);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = dr_github_api_base_for_repository (bad[i], &error);

      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_assert_null (base);
    }
}

static void
test_api_base_override (void)
{
  static const struct { const char *env; const char *base; } good[] = {
    { "http://127.0.0.1:4010", "http://127.0.0.1:4010" },
    { "http://localhost:4010/", "http://localhost:4010" },
    { "http://[::1]:4010", "http://[::1]:4010" },
    { "https://proxy.example.com/github/", "https://proxy.example.com/github" },
  };
  static const char * const bad[] = {
    "http://proxy.example.com", "http://10.0.0.1:4010", "not a url", "https://u:p@x.example",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = NULL;

      g_setenv (DR_GITHUB_API_URL_ENV, good[i].env, TRUE);
      base = dr_github_api_base_for_repository ("https://github.com/octo/hello", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (base, ==, good[i].base);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = NULL;

      g_setenv (DR_GITHUB_API_URL_ENV, bad[i], TRUE);
      base = dr_github_api_base_for_repository ("https://github.com/octo/hello", &error);
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, DR_GITHUB_API_URL_ENV));
      g_assert_null (base);
    }
  g_unsetenv (DR_GITHUB_API_URL_ENV);
}

/* ---- headers and JSON ------------------------------------------------------------------- */

static void
test_headers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  DrFakeGithubRequest *request;
  const DrGithubRateLimit *limit;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200,
                           "{\"name\":\"hello\",\"default_branch\":\"main\"}");
  node = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_json_get_string (node, "default_branch", NULL), ==, "main");

  request = last_request (f);
  g_assert_cmpstr (request->accept, ==, "application/vnd.github+json, application/json");
  g_assert_cmpstr (request->api_version, ==, "2022-11-28");
  g_assert_cmpstr (request->user_agent, ==, "deskrun/" PACKAGE_VERSION);
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpuint (request->status, ==, 200);

  limit = dr_github_client_get_rate_limit (f->client);
  g_assert_cmpint (limit->limit, ==, 5000);
  g_assert_cmpint (limit->remaining, ==, 4999);
  g_assert_cmpint (limit->reset_unix, >, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpstr (limit->resource, ==, "core");
  g_assert_cmpstr (dr_github_client_get_last_header (f->client, "X-OAuth-Scopes"), ==,
                   "repo, workflow");
  g_assert_cmpuint (dr_github_client_get_request_count (f->client), ==, 1);
}

static void
test_not_json (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\": nope");
  node = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (node);
}

/* Each status becomes the DR_ERROR a caller can act on, with GitHub's message and a
 * sentence naming what to do. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const struct
  {
    const char *method;
    guint       status;
    const char *headers;
    const char *body;
    DrError     code;
    const char *expect[3];
  } cases[] = {
    { "GET", 401, NULL, "{\"message\":\"Bad credentials\"}", DR_ERROR_UNAUTHORIZED,
      { "Bad credentials", "replace it", NULL } },
    { "GET", 403, "X-Accepted-GitHub-Permissions: actions=write",
      "{\"message\":\"Resource not accessible by personal access token\"}", DR_ERROR_FORBIDDEN,
      { "Resource not accessible", "Actions: write", NULL } },
    { "GET", 403, "X-Accepted-OAuth-Scopes: workflow\nX-OAuth-Scopes: repo",
      "{\"message\":\"Forbidden\"}", DR_ERROR_FORBIDDEN,
      { "scope workflow", "has: repo", NULL } },
    { "GET", 404, NULL, "{\"message\":\"Not Found\"}", DR_ERROR_NOT_FOUND,
      { "Not Found", "cannot see it", NULL } },
    { "POST", 409, NULL, "{\"message\":\"is at abc but expected def\"}", DR_ERROR_CONFLICT,
      { "is at abc", "try again", NULL } },
    { "POST", 422, NULL,
      "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Ref\",\"field\":\"ref\","
      "\"code\":\"missing\"},\"ref must be a branch\",{\"message\":\"too many inputs\"}]}",
      DR_ERROR_UNPROCESSABLE,
      { "Validation Failed", "Ref.ref: missing; ref must be a branch; too many inputs", NULL } },
    { "POST", 502, NULL, "<html>Bad gateway</html>", DR_ERROR_SERVER,
      { "HTTP 502", "githubstatus", NULL } },
    { "POST", 503, NULL, "{\"message\":\"Service Unavailable\"}", DR_ERROR_SERVER,
      { "Service Unavailable", "Try again later", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      dr_fake_github_set_json (f->fake, cases[i].method, "/repos/octo/hello/thing",
                               cases[i].status, cases[i].body);
      dr_fake_github_set_headers (f->fake, cases[i].method, "/repos/octo/hello/thing",
                                  cases[i].headers);
      if (strcmp (cases[i].method, "GET") == 0)
        node = get_sync (f->client, "/repos/octo/hello/thing", &error);
      else
        node = send_sync (f->client, cases[i].method, "/repos/octo/hello/thing", "{}", NULL,
                          &error);
      g_test_message ("%u: %s", cases[i].status, error != NULL ? error->message : "(none)");
      g_assert_error (error, DR_ERROR, (gint) cases[i].code);
      for (guint j = 0; cases[i].expect[j] != NULL; j++)
        g_assert_nonnull (strstr (error->message, cases[i].expect[j]));
      g_assert_null (strstr (error->message, TOKEN));
      g_assert_null (node);
    }
}

static void
test_send_empty_reply (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) sent = NULL;
  guint status = 0;

  dr_fake_github_set_json (f->fake, "PATCH", "/repos/octo/hello", 204, NULL);
  node = send_sync (f->client, "PATCH", "/repos/octo/hello", "{\"has_wiki\":false}", &status,
                    &error);
  g_assert_no_error (error);
  g_assert_null (node);
  g_assert_cmpuint (status, ==, 204);
  g_assert_cmpstr (last_request (f)->content_type, ==, "application/json");
  sent = dr_fake_github_last_body (f->fake, "PATCH", "/repos/octo/hello");
  g_assert_false (dr_json_member_bool (dr_json_node_object (sent), "has_wiki", TRUE));
}

/* ---- the cache -------------------------------------------------------------------------- */

static void
test_etag (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  const char *etag;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"hello\"}");
  first = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_null (last_request (f)->if_none_match);
  g_assert_cmpint (dr_github_client_get_rate_limit (f->client)->remaining, ==, 4999);

  second = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  etag = last_request (f)->if_none_match;
  g_assert_nonnull (etag);
  g_assert_cmpuint (last_request (f)->status, ==, 304);
  g_assert_cmpstr (dr_json_get_string (second, "name", NULL), ==, "hello");
  g_assert_cmpuint (dr_github_client_get_not_modified_count (f->client), ==, 1);
  g_assert_cmpuint (dr_github_client_get_request_count (f->client), ==, 2);

  /* A change is seen at once: the ETag no longer matches. */
  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"renamed\"}");
  third = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last_request (f)->status, ==, 200);
  g_assert_cmpstr (dr_json_get_string (third, "name", NULL), ==, "renamed");
  g_assert_cmpuint (dr_github_client_get_not_modified_count (f->client), ==, 1);
}

/* ---- pagination ------------------------------------------------------------------------- */

static char *
runs_json (guint n)
{
  g_autoptr(GString) json = g_string_new (NULL);

  g_string_append_printf (json, "{\"total_count\":%u,\"workflow_runs\":[", n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"status\":\"completed\"}", i > 0 ? "," : "",
                            i + 1);
  g_string_append (json, "]}");
  return g_string_free (g_steal_pointer (&json), FALSE);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) runs = NULL;
  g_autoptr(JsonArray) again = NULL;
  g_autoptr(JsonArray) bounded = NULL;
  g_autofree char *json = runs_json (5);

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/runs", 200, json);
  runs = get_all_sync (f->client, "/repos/octo/hello/actions/runs?per_page=2", "workflow_runs",
                       0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (runs), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (dr_json_get_int (json_array_get_element (runs, i), 0, "id", NULL), ==, i + 1);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", "/repos/octo/hello/actions/runs"), ==,
                    3);

  /* Each page is conditional on its own ETag: all three come back as 304s. */
  again = get_all_sync (f->client, "/repos/octo/hello/actions/runs?per_page=2", "workflow_runs",
                        0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (again), ==, 5);
  g_assert_cmpuint (dr_github_client_get_not_modified_count (f->client), ==, 3);

  /* A bound on items stops early (and per_page=100 is added when the path has none). */
  dr_fake_github_clear_requests (f->fake);
  bounded = get_all_sync (f->client, "/repos/octo/hello/actions/runs", "workflow_runs", 3,
                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (bounded), ==, 3);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", NULL), ==, 1);
  g_assert_cmpstr (last_request (f)->query, ==, "per_page=3");
}

static void
test_pages_bare_array (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) branches = NULL;
  g_autoptr(GString) json = g_string_new ("[");

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (json, "%s{\"name\":\"b%u\"}", i > 0 ? "," : "", i);
  g_string_append (json, "]");
  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/branches", 200, json->str);
  branches = get_all_sync (f->client, "/repos/octo/hello/branches", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (branches), ==, 150);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", NULL), ==, 2);
  g_assert_cmpstr (last_request (f)->query, !=, NULL);
  g_assert_nonnull (strstr (last_request (f)->query, "per_page=100"));
}

/* A Link to another host would carry the token away: the list ends there. */
static void
test_pages_elsewhere (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) runs = NULL;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"workflow_runs\":[{\"id\":1}]}");
  dr_fake_github_set_headers (f->fake, "GET", "/repos/octo/hello/actions/runs",
                              "Link: <http://localhost:1/steal?page=2>; rel=\"next\"");
  runs = get_all_sync (f->client, "/repos/octo/hello/actions/runs", "workflow_runs", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (runs), ==, 1);
  g_assert_cmpuint (dr_github_client_get_request_count (f->client), ==, 1);
}

/* ---- the disk cache --------------------------------------------------------------------- */

static void
test_disk_cache (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DrGithubClient) writer = NULL;
  g_autoptr(DrGithubClient) reader = NULL;
  g_autoptr(DrGithubClient) other = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = dr_github_client_default_cache_dir ();
  g_autofree char *key_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "keyring:42",
                                                             -1);
  g_autofree char *folder = g_build_filename (root, key_hash, NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint files = 0;

  g_assert_true (g_str_has_suffix (root, "/deskrun/github"));
  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"hello\"}");
  writer = dr_github_client_new (dr_fake_github_get_url (f->fake), f->auth, root, "keyring:42");
  first = get_sync (writer, "/repos/octo/hello", &error);
  g_assert_no_error (error);

  /* One file per URL, below the credential's folder, readable only by the user. */
  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_assert_true (g_str_has_suffix (name, ".json"));
      g_assert_cmpint (dr_test_file_mode (path), ==, 0600);
      files++;
    }
  g_assert_cmpuint (files, ==, 1);
  dr_test_assert_no_file_contains (root, TOKEN);

  /* A new client (the next start of deskrun) asks conditionally and reuses the body. */
  reader = dr_github_client_new (dr_fake_github_get_url (f->fake), f->auth, root, "keyring:42");
  second = get_sync (reader, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_nonnull (last_request (f)->if_none_match);
  g_assert_cmpuint (last_request (f)->status, ==, 304);
  g_assert_cmpuint (dr_github_client_get_not_modified_count (reader), ==, 1);
  g_assert_cmpstr (dr_json_get_string (second, "name", NULL), ==, "hello");

  /* Another credential has a cache of its own: what one token may see says nothing about
   * another. */
  other = dr_github_client_new (dr_fake_github_get_url (f->fake), f->auth, root, "keyring:43");
  third = get_sync (other, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_null (last_request (f)->if_none_match);
}

/* A damaged cache file is no cache, not an error. */
static void
test_disk_cache_damaged (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = dr_github_client_default_cache_dir ();
  g_autofree char *key_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "k", -1);
  g_autofree char *url = g_strconcat (dr_fake_github_get_url (f->fake), "/repos/octo/hello",
                                      NULL);
  g_autofree char *url_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  g_autofree char *file_name = g_strconcat (url_hash, ".json", NULL);
  g_autofree char *path = g_build_filename (root, key_hash, file_name, NULL);
  static const char * const damaged[] = {
    "{\"url\": trunc", "[]", "{\"url\":\"http://elsewhere/\",\"etag\":\"x\",\"body\":\"{}\"}",
    "{\"etag\":\"x\"}",
  };

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"hello\"}");
  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_clear_object (&client);
      g_clear_pointer (&node, json_node_unref);
      dr_test_write_file (path, damaged[i], 0600);
      client = dr_github_client_new (dr_fake_github_get_url (f->fake), f->auth, root, "k");
      node = get_sync (client, "/repos/octo/hello", &error);
      g_assert_no_error (error);
      g_assert_null (last_request (f)->if_none_match);
      g_assert_cmpstr (dr_json_get_string (node, "name", NULL), ==, "hello");
    }
}

/* ---- rate limits ------------------------------------------------------------------------ */

typedef struct
{
  guint  count;
  guint  seconds;
  char  *sentence;
} Waiting;

static void
waiting_cb (DrGithubClient *client,
            guint           seconds,
            const char     *sentence,
            gpointer        user_data)
{
  Waiting *waiting = user_data;

  waiting->count++;
  waiting->seconds = seconds;
  g_free (waiting->sentence);
  waiting->sentence = g_strdup (sentence);
}

static void
test_primary_limit (Fixture       *f,
                    gconstpointer  data)
{
  static const guint statuses[] = { 403, 429 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      Waiting waiting = { 0 };
      gint64 start, reset, elapsed;
      gulong handler;

      dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"hello\"}");
      fault.path = "/repos/octo/hello";
      fault.status = statuses[i];
      fault.reset_in = 2;
      fault.message = "API rate limit exceeded for user ID 1.";
      dr_fake_github_add_fault (f->fake, &fault);
      handler = g_signal_connect (f->client, "waiting", G_CALLBACK (waiting_cb), &waiting);

      start = g_get_monotonic_time ();
      node = get_sync (f->client, "/repos/octo/hello", &error);
      elapsed = g_get_monotonic_time () - start;
      g_signal_handler_disconnect (f->client, handler);
      g_assert_no_error (error);
      g_assert_cmpstr (dr_json_get_string (node, "name", NULL), ==, "hello");

      /* It said so, and waited until the reset (at a whole second 2 s ahead: >= 1 s). */
      g_assert_cmpuint (waiting.count, ==, 1);
      g_assert_nonnull (strstr (waiting.sentence, "rate limit"));
      g_assert_nonnull (strstr (waiting.sentence, "waiting until"));
      g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC);
      g_assert_cmpint (elapsed, <, 6 * G_USEC_PER_SEC);
      reset = dr_github_client_get_rate_limit (f->client)->reset_unix;
      g_assert_cmpint (reset, >, 0);
      g_test_message ("%u: waited %.1f s: %s", statuses[i], elapsed / 1e6, waiting.sentence);
      g_free (waiting.sentence);
      dr_fake_github_clear_requests (f->fake);
    }
}

/* A reset further away than the caller accepts to wait is an error at once, saying when. */
static void
test_primary_limit_too_long (Fixture       *f,
                             gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{}");
  fault.status = 403;
  fault.reset_in = 1800;
  fault.message = "API rate limit exceeded for user ID 1.";
  dr_fake_github_add_fault (f->fake, &fault);
  dr_github_client_set_max_wait (f->client, 60);

  start = g_get_monotonic_time ();
  node = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "used up until"));
  g_assert_nonnull (strstr (error->message, "API rate limit exceeded"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (dr_github_client_get_rate_limit (f->client)->remaining, ==, 0);
  g_assert_null (node);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  Waiting waiting = { 0 };
  gint64 start, elapsed;
  GPtrArray *requests;

  dr_fake_github_set_json (f->fake, "POST", "/repos/octo/hello/things", 201, "{\"id\":7}");
  fault.status = 403;
  fault.retry_after = 1;
  fault.message = "You have exceeded a secondary rate limit. Please wait a few minutes.";
  dr_fake_github_add_fault (f->fake, &fault);
  g_signal_connect (f->client, "waiting", G_CALLBACK (waiting_cb), &waiting);

  /* A POST too: GitHub did not act on a rate-limited request, so sending it again is safe. */
  start = g_get_monotonic_time ();
  node = send_sync (f->client, "POST", "/repos/octo/hello/things", "{}", NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpint (dr_json_get_int (node, 0, "id", NULL), ==, 7);
  requests = dr_fake_github_get_requests (f->fake);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpint (((DrFakeGithubRequest *) requests->pdata[1])->time_us -
                   ((DrFakeGithubRequest *) requests->pdata[0])->time_us, >=, G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (waiting.count, ==, 1);
  g_assert_cmpuint (waiting.seconds, ==, 1);
  g_assert_nonnull (strstr (waiting.sentence, "secondary rate limit"));
  g_free (waiting.sentence);
}

/* Without Retry-After, GitHub's message is the sign: back off (GitHub says at least a
 * minute; 200 ms here), doubling each time. */
static void
test_secondary_backoff (Fixture       *f,
                        gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  GPtrArray *requests;
  gint64 first_gap, second_gap;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"hello\"}");
  fault.status = 429;
  fault.times = 2;
  fault.message = "You have exceeded a secondary rate limit and have been temporarily blocked.";
  dr_fake_github_add_fault (f->fake, &fault);

  node = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  requests = dr_fake_github_get_requests (f->fake);
  g_assert_cmpuint (requests->len, ==, 3);
  first_gap = ((DrFakeGithubRequest *) requests->pdata[1])->time_us -
              ((DrFakeGithubRequest *) requests->pdata[0])->time_us;
  second_gap = ((DrFakeGithubRequest *) requests->pdata[2])->time_us -
               ((DrFakeGithubRequest *) requests->pdata[1])->time_us;
  g_test_message ("backoff: %.2f s then %.2f s", first_gap / 1e6, second_gap / 1e6);
  g_assert_cmpint (first_gap, >=, 200 * 1000);
  g_assert_cmpint (second_gap, >=, 400 * 1000);
}

/* A 403 that is no rate limit is a permission error at once. */
static void
test_forbidden_not_retried (Fixture       *f,
                            gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fault.status = 403;
  fault.message = "Must have admin rights to Repository.";
  dr_fake_github_add_fault (f->fake, &fault);
  node = get_sync (f->client, "/repos/octo/hello/actions/runners", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "admin rights"));
  g_assert_cmpuint (dr_fake_github_count (f->fake, NULL, NULL), ==, 1);
}

/* ---- retries ---------------------------------------------------------------------------- */

static void
test_get_retried (Fixture       *f,
                  gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) failed = NULL;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, "{\"name\":\"hello\"}");
  fault.status = 502;
  fault.times = 2;
  dr_fake_github_add_fault (f->fake, &fault);
  node = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_json_get_string (node, "name", NULL), ==, "hello");
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", "/repos/octo/hello"), ==, 3);

  /* Retries are bounded: three, then the error. */
  dr_fake_github_clear_requests (f->fake);
  fault.status = 500;
  fault.times = 10;
  dr_fake_github_add_fault (f->fake, &fault);
  failed = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_SERVER);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", "/repos/octo/hello"), ==, 4);
}

static void
test_post_not_retried (Fixture       *f,
                       gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  dr_fake_github_set_json (f->fake, "POST", "/repos/octo/hello/actions/runs/1/cancel", 202,
                           "{}");
  fault.status = 502;
  dr_fake_github_add_fault (f->fake, &fault);
  node = send_sync (f->client, "POST", "/repos/octo/hello/actions/runs/1/cancel", NULL, NULL,
                    &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_SERVER);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "POST", NULL), ==, 1);
}

/* ---- deadlines -------------------------------------------------------------------------- */

static void
test_silent_server (Fixture       *f,
                    gconstpointer  data)
{
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) post_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) posted = NULL;
  gint64 start, elapsed;

  /* The fake reads the request and never answers; 1 s without data, 2 s per exchange. */
  fault.silent = TRUE;
  fault.times = 100;
  dr_fake_github_add_fault (f->fake, &fault);
  dr_github_client_set_timeouts (f->client, 1, 2);

  start = g_get_monotonic_time ();
  node = get_sync (f->client, "/repos/octo/hello", &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("GET: %s after %.1f s", error->message, elapsed / 1e6);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  /* Four attempts (a GET is retried three times), each cut at the deadline. */
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", NULL), ==, 4);
  g_assert_cmpint (elapsed, <, 4 * 3 * G_USEC_PER_SEC);

  start = g_get_monotonic_time ();
  posted = send_sync (f->client, "POST", "/repos/octo/hello/things", "{}", NULL, &post_error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (post_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "POST", NULL), ==, 1);
  g_assert_cmpint (elapsed, <, 3 * G_USEC_PER_SEC);
}

static void
accept_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray *held = user_data;
  GSocketConnection *connection;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, NULL);
  if (connection != NULL)
    {
      g_ptr_array_add (held, connection);
      g_socket_listener_accept_async (G_SOCKET_LISTENER (object), NULL, accept_cb, held);
    }
}

/* A server that accepts the connection and never even reads it. */
static void
test_accepts_never_answers (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);
  g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = NULL;
  gint64 start, elapsed;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, accept_cb, held);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  client = dr_github_client_new (url, auth, NULL, NULL);
  _dr_github_client_set_test_delays (client, 20, 200, 100);
  dr_github_client_set_timeouts (client, 1, 2);
  start = g_get_monotonic_time ();
  node = get_sync (client, "/repos/octo/hello", &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s after %.1f s", error->message, elapsed / 1e6);
  g_assert_nonnull (strstr (error->message, url + strlen ("http://")));
  g_assert_cmpuint (held->len, >=, 1);
  g_assert_cmpint (elapsed, <, 12 * G_USEC_PER_SEC);
  g_socket_listener_close (listener);
}

/* ---- downloads -------------------------------------------------------------------------- */

static GBytes *
download_sync (DrGithubClient  *client,
               const char      *path,
               gsize            max_bytes,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_github_client_download_async (client, path, max_bytes, NULL, store_result_cb, &result);
  return dr_github_client_download_finish (client, wait_result (&result), error);
}

static void
test_log_redirect (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) log = NULL;
  g_autoptr(GBytes) too_big = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  GPtrArray *requests;
  DrFakeGithubRequest *api, *signed_url;

  dr_fake_github_set_job_log (f->fake, 99, "2026-12-04T10:00:00Z Hello from the runner\n");
  log = download_sync (f->client, "/repos/octo/hello/actions/jobs/99/logs", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (log, NULL), g_bytes_get_size (log),
                   "2026-12-04T10:00:00Z Hello from the runner\n",
                   strlen ("2026-12-04T10:00:00Z Hello from the runner\n"));

  requests = dr_fake_github_get_requests (f->fake);
  g_assert_cmpuint (requests->len, ==, 2);
  api = requests->pdata[0];
  signed_url = requests->pdata[1];
  g_assert_cmpuint (api->status, ==, 302);
  g_assert_cmpstr (api->authorization, ==, "Bearer " TOKEN);
  g_assert_true (g_str_has_prefix (signed_url->path, "/_signed/job-logs/99"));
  g_assert_null (signed_url->authorization);
  g_assert_cmpuint (signed_url->status, ==, 200);

  /* A reply bigger than the limit is cut off with an error, not read into memory. */
  for (guint i = 0; i < 200; i++)
    g_string_append (big, "a line of a long log that goes on and on\n");
  dr_fake_github_set_job_log (f->fake, 100, big->str);
  too_big = download_sync (f->client, "/repos/octo/hello/actions/jobs/100/logs", 1024, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_assert_null (too_big);
}

/* ---- dispatch --------------------------------------------------------------------------- */

static gboolean
dispatch_sync (DrGithubClient  *client,
               JsonObject      *inputs,
               gint64          *run_id,
               GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_github_api_dispatch_async (client, "octo", "hello", "ci.yml", "main", inputs, NULL,
                                store_result_cb, &result);
  return dr_github_api_dispatch_finish (client, wait_result (&result), run_id, error);
}

static void
test_dispatch (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  JsonObject *sent;
  gint64 run_id = -1;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/workflows", 200,
                           "{\"total_count\":1,\"workflows\":[{\"id\":11,\"name\":\"CI\","
                           "\"path\":\".github/workflows/ci.yml\",\"state\":\"active\"}]}");
  json_object_set_string_member (inputs, "greeting", "hi there");
  json_object_set_boolean_member (inputs, "debug", TRUE);
  json_object_set_string_member (inputs, "count", "3");

  /* 200 with the run's id (return_run_details). */
  dr_fake_github_set_dispatch_mode (f->fake, DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS, 4242);
  g_assert_true (dispatch_sync (f->client, inputs, &run_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_id, ==, 4242);
  body = dr_fake_github_last_body (f->fake, "POST", "/repos/octo/hello/actions/workflows/");
  sent = dr_json_node_object (body);
  g_assert_cmpstr (dr_json_member_string (sent, "ref"), ==, "main");
  g_assert_true (dr_json_member_bool (sent, "return_run_details", FALSE));
  g_assert_cmpstr (dr_json_member_string (dr_json_member_object (sent, "inputs"), "greeting"),
                   ==, "hi there");
  g_assert_true (dr_json_member_bool (dr_json_member_object (sent, "inputs"), "debug", FALSE));
  g_assert_cmpstr (last_request (f)->path, ==,
                   "/repos/octo/hello/actions/workflows/ci.yml/dispatches");

  /* 204: dispatched, no id — the caller finds the run. */
  dr_fake_github_set_dispatch_mode (f->fake, DR_FAKE_GITHUB_DISPATCH_CLASSIC, 0);
  run_id = -1;
  g_assert_true (dispatch_sync (f->client, inputs, &run_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_id, ==, 0);

  /* An older GitHub Enterprise Server rejects the member: sent once more without it. */
  dr_fake_github_clear_requests (f->fake);
  dr_fake_github_set_dispatch_mode (f->fake, DR_FAKE_GITHUB_DISPATCH_OLD_GHES, 0);
  run_id = -1;
  g_assert_true (dispatch_sync (f->client, NULL, &run_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_id, ==, 0);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "POST", NULL), ==, 2);
  g_clear_pointer (&body, json_node_unref);
  body = dr_fake_github_last_body (f->fake, "POST", NULL);
  g_assert_false (json_object_has_member (dr_json_node_object (body), "return_run_details"));
  g_assert_false (json_object_has_member (dr_json_node_object (body), "inputs"));
}

static void
test_dispatch_unknown_workflow (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 run_id = -1;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/workflows", 200,
                           "{\"total_count\":0,\"workflows\":[]}");
  g_assert_false (dispatch_sync (f->client, NULL, &run_id, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_cmpint (run_id, ==, -1);
}

/* ---- typed endpoints ------------------------------------------------------------------- */

static void
test_deep_reply (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello", 200, deep->str);
  node = get_sync (f->client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_assert_null (node);
}

static void
test_contents (Fixture       *f,
               gconstpointer  data)
{
  static const char workflow[] = "name: Verify\non: workflow_dispatch\njobs:\n  hello:\n"
                                 "    runs-on: my-runners\n    steps:\n      - run: echo hi\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static (workflow, strlen (workflow));
  g_autoptr(GBytes) stored = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *commit = NULL;
  g_autofree char *stale = NULL;

  dr_fake_github_set_file (f->fake, "octo", "hello", ".github/workflows/verify.yml", "old\n");
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_get_contents_async (f->client, "octo", "hello", ".github/workflows/verify.yml",
                                      "main", NULL, store_result_cb, &r);
    read = dr_github_api_get_contents_finish (f->client, wait_result (&r), &sha, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (read, NULL), g_bytes_get_size (read), "old\n", 4);
    g_assert_nonnull (sha);
    g_assert_cmpstr (last_request (f)->path, ==,
                     "/repos/octo/hello/contents/.github/workflows/verify.yml");
    g_assert_cmpstr (last_request (f)->query, ==, "ref=main");
  }
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_put_contents_async (f->client, "octo", "hello", ".github/workflows/verify.yml",
                                      "deskrun-verify", "deskrun: verify", content, sha, NULL,
                                      store_result_cb, &r);
    commit = dr_github_api_put_contents_finish (f->client, wait_result (&r), &error);
    g_assert_no_error (error);
    g_assert_nonnull (commit);
    stored = dr_fake_github_get_file (f->fake, "octo", "hello", ".github/workflows/verify.yml");
    g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), workflow,
                     strlen (workflow));
  }
  {
    /* The old sha again: someone (we) changed it meanwhile. */
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_put_contents_async (f->client, "octo", "hello", ".github/workflows/verify.yml",
                                      NULL, "deskrun: verify", content, sha, NULL,
                                      store_result_cb, &r);
    stale = dr_github_api_put_contents_finish (f->client, wait_result (&r), &error);
    g_assert_error (error, DR_ERROR, DR_ERROR_CONFLICT);
    g_assert_null (stale);
  }
}

static void
test_refs (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) main_ref = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) again = NULL;
  const char *sha;

  dr_fake_github_set_ref (f->fake, "octo", "hello", "heads/main", "abc123");
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_get_ref_async (f->client, "octo", "hello", "heads/main", NULL,
                                 store_result_cb, &r);
    main_ref = dr_github_api_get_ref_finish (f->client, wait_result (&r), &error);
    g_assert_no_error (error);
    sha = dr_json_member_string (dr_json_member_object (main_ref, "object"), "sha");
    g_assert_cmpstr (sha, ==, "abc123");
  }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) r = NULL;

      dr_github_api_create_ref_async (f->client, "octo", "hello", "heads/deskrun-verify",
                                      "abc123", NULL, store_result_cb, &r);
      if (i == 0)
        {
          created = dr_github_api_create_ref_finish (f->client, wait_result (&r), &error);
          g_assert_no_error (error);
          g_assert_cmpstr (dr_json_member_string (created, "ref"), ==,
                           "refs/heads/deskrun-verify");
        }
      else
        {
          again = dr_github_api_create_ref_finish (f->client, wait_result (&r), &error);
          g_assert_error (error, DR_ERROR, DR_ERROR_UNPROCESSABLE);
          g_assert_nonnull (strstr (error->message, "already exists"));
          g_clear_error (&error);
        }
    }
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_delete_ref_async (f->client, "octo", "hello", "heads/deskrun-verify", NULL,
                                    store_result_cb, &r);
    g_assert_true (dr_github_api_delete_ref_finish (f->client, wait_result (&r), &error));
    g_assert_no_error (error);
    g_assert_false (dr_fake_github_has_ref (f->fake, "octo", "hello", "heads/deskrun-verify"));
  }
}

static void
test_runs_filter (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) runs = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  DrGithubRunFilter filter = {
    .workflow = "ci.yml", .status = "queued", .event = "workflow_dispatch", .branch = "feature/x",
    .created_after = "2026-12-04T10:00:00Z",
  };

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/workflows/ci.yml/runs", 200,
                           "{\"total_count\":3,\"workflow_runs\":["
                           "{\"id\":3,\"created_at\":\"2026-12-04T10:00:05Z\"},"
                           "{\"id\":2,\"created_at\":\"2026-12-04T10:00:00Z\"},"
                           "{\"id\":1,\"created_at\":\"2026-12-04T09:59:59Z\"}]}");
  dr_github_api_list_runs_async (f->client, "octo", "hello", &filter, 10, NULL, store_result_cb,
                                 &r);
  runs = dr_github_api_list_runs_finish (f->client, wait_result (&r), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  g_assert_cmpint (dr_json_get_int (json_array_get_element (runs, 0), 0, "id", NULL), ==, 3);
  g_assert_cmpint (dr_json_get_int (json_array_get_element (runs, 1), 0, "id", NULL), ==, 2);
  g_assert_cmpstr (last_request (f)->query, ==,
                   "status=queued&event=workflow_dispatch&branch=feature%2Fx&per_page=10");
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  static const struct { const char *path; const char *json; guint count; } routes[] = {
    { "/repos/octo/hello/actions/runs/7/jobs", "{\"total_count\":2,\"jobs\":[{\"id\":1},{\"id\":2}]}",
      2 },
    { "/repos/octo/hello/actions/workflows", "{\"total_count\":1,\"workflows\":[{\"id\":1}]}", 1 },
    { "/orgs/octo/actions/runner-groups", "{\"total_count\":1,\"runner_groups\":[{\"id\":1}]}", 1 },
    { "/orgs/octo/actions/runner-groups/1/repositories",
      "{\"total_count\":1,\"repositories\":[{\"id\":1}]}", 1 },
    { "/repos/octo/hello/actions/runners", "{\"total_count\":0,\"runners\":[]}", 0 },
    { "/orgs/octo/repos", "[{\"id\":1},{\"id\":2},{\"id\":3}]", 3 },
    { "/installation/repositories", "{\"total_count\":1,\"repositories\":[{\"id\":9}]}", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    dr_fake_github_set_json (f->fake, "GET", routes[i].path, 200, routes[i].json);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) list = NULL;

      switch (i)
        {
        case 0:
          dr_github_api_list_jobs_async (f->client, "octo", "hello", 7, NULL, store_result_cb, &r);
          list = dr_github_api_list_jobs_finish (f->client, wait_result (&r), &error);
          g_assert_cmpstr (last_request (f)->query, ==, "filter=latest&per_page=100");
          break;
        case 1:
          dr_github_api_list_workflows_async (f->client, "octo", "hello", NULL, store_result_cb,
                                              &r);
          list = dr_github_api_list_workflows_finish (f->client, wait_result (&r), &error);
          break;
        case 2:
          dr_github_api_list_runner_groups_async (f->client, "octo", NULL, store_result_cb, &r);
          list = dr_github_api_list_runner_groups_finish (f->client, wait_result (&r), &error);
          break;
        case 3:
          dr_github_api_list_runner_group_repositories_async (f->client, "octo", 1, NULL,
                                                              store_result_cb, &r);
          list = dr_github_api_list_runner_group_repositories_finish (f->client,
                                                                      wait_result (&r), &error);
          break;
        case 4:
          dr_github_api_list_runners_async (f->client, "octo", "hello", NULL, store_result_cb,
                                            &r);
          list = dr_github_api_list_runners_finish (f->client, wait_result (&r), &error);
          break;
        case 5:
          dr_github_api_list_org_repositories_async (f->client, "octo", NULL, store_result_cb,
                                                     &r);
          list = dr_github_api_list_org_repositories_finish (f->client, wait_result (&r),
                                                             &error);
          break;
        default:
          dr_github_api_list_installation_repositories_async (f->client, NULL, store_result_cb,
                                                              &r);
          list = dr_github_api_list_installation_repositories_finish (f->client,
                                                                      wait_result (&r), &error);
          break;
        }
      g_assert_no_error (error);
      g_assert_cmpstr (last_request (f)->path, ==, routes[i].path);
      g_assert_cmpuint (json_array_get_length (list), ==, routes[i].count);
    }
}

static void
test_cancel_rerun (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/runs/7", 200, "{\"id\":7}");
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_cancel_run_async (f->client, "octo", "hello", 7, NULL, store_result_cb, &r);
    g_assert_true (dr_github_api_cancel_run_finish (f->client, wait_result (&r), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (last_request (f)->status, ==, 202);
  }
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_rerun_failed_jobs_async (f->client, "octo", "hello", 7, NULL, store_result_cb,
                                           &r);
    g_assert_true (dr_github_api_rerun_failed_jobs_finish (f->client, wait_result (&r), &error));
    g_assert_no_error (error);
    g_assert_cmpstr (last_request (f)->path, ==, "/repos/octo/hello/actions/runs/7/rerun-failed-jobs");
  }
  {
    g_autoptr(GAsyncResult) r = NULL;

    dr_github_api_cancel_run_async (f->client, "octo", "hello", 8, NULL, store_result_cb, &r);
    g_assert_false (dr_github_api_cancel_run_finish (f->client, wait_result (&r), &error));
    g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  }
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/github/client/api-base", test_api_base);
  g_test_add_func ("/github/client/api-base-override", test_api_base_override);
  g_test_add_func ("/github/client/accepts-never-answers", test_accepts_never_answers);
#define ADD(path, func) \
  g_test_add ("/github/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("headers", test_headers);
  ADD ("not-json", test_not_json);
  ADD ("errors", test_errors);
  ADD ("send-empty-reply", test_send_empty_reply);
  ADD ("etag", test_etag);
  ADD ("pages", test_pages);
  ADD ("pages-bare-array", test_pages_bare_array);
  ADD ("pages-elsewhere", test_pages_elsewhere);
  ADD ("disk-cache", test_disk_cache);
  ADD ("disk-cache-damaged", test_disk_cache_damaged);
  ADD ("primary-limit", test_primary_limit);
  ADD ("primary-limit-too-long", test_primary_limit_too_long);
  ADD ("retry-after", test_retry_after);
  ADD ("secondary-backoff", test_secondary_backoff);
  ADD ("forbidden-not-retried", test_forbidden_not_retried);
  ADD ("get-retried", test_get_retried);
  ADD ("post-not-retried", test_post_not_retried);
  ADD ("silent-server", test_silent_server);
  ADD ("log-redirect", test_log_redirect);
  ADD ("dispatch", test_dispatch);
  ADD ("dispatch-unknown-workflow", test_dispatch_unknown_workflow);
  ADD ("deep-reply", test_deep_reply);
  ADD ("contents", test_contents);
  ADD ("refs", test_refs);
  ADD ("runs-filter", test_runs_filter);
  ADD ("lists", test_lists);
  ADD ("cancel-rerun", test_cancel_rerun);
#undef ADD

  return g_test_run ();
}
