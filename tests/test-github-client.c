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

static JsonNode *
get_sync (DrGithubClient  *client,
          const char      *path,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_github_client_get_async (client, path, NULL, dr_test_store_result_cb, &result);
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

  dr_github_client_send_async (client, method, path, body, NULL, dr_test_store_result_cb, &result);
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

  dr_github_client_get_all_async (client, path, member, max_items, NULL, dr_test_store_result_cb,
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

/* A Link to another host would carry the token away: refused. */
static void
test_pages_elsewhere (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) runs = NULL;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"workflow_runs\":[{\"id\":1}]}");
  dr_fake_github_set_headers (f->fake, "GET", "/repos/octo/hello/actions/runs",
                              "Link: <https://evil.example/steal?page=2>; rel=\"next\"");
  runs = get_all_sync (f->client, "/repos/octo/hello/actions/runs", "workflow_runs", 0, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "evil.example"));
  g_assert_null (runs);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/github/client/api-base", test_api_base);
  g_test_add_func ("/github/client/api-base-override", test_api_base_override);
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
#undef ADD

  return g_test_run ();
}
