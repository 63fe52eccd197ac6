/* test-github-auth.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GitHub App JWTs (verified with GnuTLS against the public key openssl wrote), the
 * installation token's life (lookup, cache, expiry, one refresh after a 401), and the
 * credential check for classic PATs, fine-grained PATs and App installations.
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "dr-error.h"
#include "dr-fake-github.h"
#include "dr-github-api.h"
#include "dr-github-auth.h"
#include "dr-github-client.h"
#include "dr-github-private.h"
#include "dr-json.h"
#include "dr-test-github-keys.h"
#include "dr-test-utils.h"

#define TEST_APP_ID          "12345"
#define INSTALLATION_ID 77
#define ALL_PERMISSIONS "{\"administration\":\"write\",\"actions\":\"write\",\"contents\":" \
                        "\"write\",\"workflows\":\"write\",\"metadata\":\"read\"}"

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

/* ---- JWT -------------------------------------------------------------------------------- */

static GBytes *
b64url_decode (const char *text)
{
  g_autoptr(GString) standard = g_string_new (text);
  guchar *data;
  gsize length = 0;

  g_strdelimit (standard->str, "-", '+');
  g_strdelimit (standard->str, "_", '/');
  while (standard->len % 4 != 0)
    g_string_append_c (standard, '=');
  data = g_base64_decode (standard->str, &length);
  return g_bytes_new_take (data, length);
}

static JsonObject *
decode_part (const char *part)
{
  g_autoptr(GBytes) bytes = b64url_decode (part);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static int
verify_signature (const char *public_pem,
                  const char *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autofree char *input = g_strconcat (parts[0], ".", parts[1], NULL);
  g_autoptr(GBytes) signature = b64url_decode (parts[2]);
  gnutls_pubkey_t key;
  gnutls_datum_t pem = { (unsigned char *) public_pem, strlen (public_pem) };
  gnutls_datum_t data = { (unsigned char *) input, strlen (input) };
  gnutls_datum_t sig = { (unsigned char *) g_bytes_get_data (signature, NULL),
                         g_bytes_get_size (signature) };
  int ret;

  g_assert_cmpint (gnutls_pubkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import (key, &pem, GNUTLS_X509_FMT_PEM), ==, 0);
  ret = gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig);
  gnutls_pubkey_deinit (key);
  return ret;
}

static void
test_jwt (void)
{
  const DrTestAppKeys *keys = dr_test_app_keys ();
  const char *pems[2];
  gint64 now = 1767225600;   /* 2026-01-01 */

  if (keys == NULL)
    return;
  pems[0] = keys->private_pkcs1;
  pems[1] = keys->private_pkcs8;

  for (guint i = 0; i < G_N_ELEMENTS (pems); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *jwt = dr_github_app_jwt_new (TEST_APP_ID, pems[i], now, &error);
      g_auto(GStrv) parts = NULL;
      g_autoptr(JsonObject) header = NULL;
      g_autoptr(JsonObject) claims = NULL;
      g_autofree char *tampered = NULL;
      JsonNode *iss;
      gint64 iat, exp;

      g_assert_no_error (error);
      parts = g_strsplit (jwt, ".", -1);
      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      /* base64url without padding. */
      g_assert_null (strpbrk (jwt, "=+/"));

      header = decode_part (parts[0]);
      g_assert_cmpstr (dr_json_member_string (header, "alg"), ==, "RS256");
      g_assert_cmpstr (dr_json_member_string (header, "typ"), ==, "JWT");

      claims = decode_part (parts[1]);
      iat = dr_json_member_int (claims, "iat", 0);
      exp = dr_json_member_int (claims, "exp", 0);
      g_assert_cmpint (iat, ==, now - 60);
      g_assert_cmpint (exp, >, now);
      g_assert_cmpint (exp, <=, now + 600);
      g_assert_cmpint (exp - iat, <=, 600);
      iss = json_object_get_member (claims, "iss");
      g_assert_cmpint (json_node_get_value_type (iss), ==, G_TYPE_INT64);
      g_assert_cmpint (json_node_get_int (iss), ==, 12345);

      g_assert_cmpint (verify_signature (keys->public_pem, jwt), >=, 0);

      /* Change one claim and the signature no longer holds. */
      tampered = g_strdup (jwt);
      tampered[strlen (parts[0]) + 3] ^= 0x01;
      g_assert_cmpint (verify_signature (keys->public_pem, tampered), <, 0);
    }
}

static void
test_jwt_client_id (void)
{
  const DrTestAppKeys *keys = dr_test_app_keys ();
  g_autoptr(GError) error = NULL;
  g_autofree char *jwt = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) claims = NULL;

  if (keys == NULL)
    return;
  jwt = dr_github_app_jwt_new ("Iv1.8a61f9b3a7aba766", keys->private_pkcs1,
                               g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  parts = g_strsplit (jwt, ".", -1);
  claims = decode_part (parts[1]);
  g_assert_cmpstr (dr_json_member_string (claims, "iss"), ==, "Iv1.8a61f9b3a7aba766");
  g_assert_cmpint (verify_signature (keys->public_pem, jwt), >=, 0);
}

static void
test_jwt_bad_key (void)
{
  const DrTestAppKeys *keys = dr_test_app_keys ();
  static const char garbage[] = "-----BEGIN RSA PRIVATE KEY-----\nTm90IGEga2V5IGF0IGFsbA==\n"
                                "-----END RSA PRIVATE KEY-----\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) ec_error = NULL;
  g_autoptr(GError) empty_error = NULL;
  g_autofree char *jwt = NULL;
  g_autofree char *ec_jwt = NULL;
  g_autofree char *empty_jwt = NULL;

  if (keys == NULL)
    return;
  jwt = dr_github_app_jwt_new (TEST_APP_ID, garbage, 0, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_null (strstr (error->message, "Tm90IGEga2V5"));
  g_assert_nonnull (strstr (error->message, ".pem"));
  g_assert_null (jwt);

  ec_jwt = dr_github_app_jwt_new (TEST_APP_ID, keys->ec_private, 0, &ec_error);
  g_assert_error (ec_error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (ec_error->message, "RSA"));
  g_assert_null (ec_jwt);

  empty_jwt = dr_github_app_jwt_new ("", keys->private_pkcs1, 0, &empty_error);
  g_assert_error (empty_error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_null (empty_jwt);
}

/* ---- installation tokens ---------------------------------------------------------------- */

typedef struct
{
  DrFakeGithub   *fake;
  DrGithubAuth   *auth;
  DrGithubClient *client;
} App;

static gboolean
app_set_up (App        *app,
            const char *installation_id,
            gint        token_lifetime,
            const char *permissions)
{
  const DrTestAppKeys *keys = dr_test_app_keys ();
  g_autoptr(DrCredential) credential = NULL;

  if (keys == NULL)
    return FALSE;
  app->fake = dr_fake_github_new ();
  dr_fake_github_add_app (app->fake, TEST_APP_ID, keys->public_pem, INSTALLATION_ID, "octo",
                          permissions != NULL ? permissions : ALL_PERMISSIONS, token_lifetime);
  dr_fake_github_set_json (app->fake, "GET", "/repos/octo/hello", 200,
                           "{\"name\":\"hello\",\"private\":true}");
  credential = dr_credential_new_app (TEST_APP_ID, installation_id, keys->private_pkcs1);
  app->auth = dr_github_auth_new (credential);
  dr_github_auth_set_target (app->auth, "octo", "hello");
  app->client = dr_github_client_new (dr_fake_github_get_url (app->fake), app->auth, NULL,
                                      NULL);
  _dr_github_client_set_test_delays (app->client, 20, 200, 100);
  return TRUE;
}

static void
app_tear_down (App *app)
{
  g_assert_finalize_object (app->client);
  g_assert_finalize_object (app->auth);
  dr_fake_github_free (app->fake);
}

static guint
count_status (DrFakeGithub *fake,
              const char   *path,
              guint         status)
{
  GPtrArray *requests = dr_fake_github_get_requests (fake);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      DrFakeGithubRequest *request = requests->pdata[i];

      if (strcmp (request->path, path) == 0 && request->status == status)
        count++;
    }
  return count;
}

static void
test_app_token (void)
{
  App app;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  GPtrArray *requests;
  DrFakeGithubRequest *lookup, *exchange, *call;

  if (!app_set_up (&app, NULL, 3600, NULL))
    return;

  first = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_json_get_string (first, "name", NULL), ==, "hello");

  /* The installation is looked up with the JWT, the JWT traded for a token, the token used. */
  requests = dr_fake_github_get_requests (app.fake);
  g_assert_cmpuint (requests->len, ==, 3);
  lookup = requests->pdata[0];
  exchange = requests->pdata[1];
  call = requests->pdata[2];
  g_assert_cmpstr (lookup->path, ==, "/repos/octo/hello/installation");
  g_assert_cmpuint (lookup->status, ==, 200);
  g_assert_true (g_str_has_prefix (lookup->authorization, "Bearer ey"));
  g_assert_cmpstr (exchange->method, ==, "POST");
  g_assert_cmpstr (exchange->path, ==, "/app/installations/77/access_tokens");
  g_assert_cmpuint (exchange->status, ==, 201);
  g_assert_cmpstr (call->authorization, ==, "Bearer ghs_fake_1");
  g_assert_cmpint (dr_github_auth_get_installation_id (app.auth), ==, INSTALLATION_ID);
  g_assert_cmpstr (dr_json_member_string (dr_github_auth_get_token_permissions (app.auth),
                                          "actions"), ==, "write");

  /* The token is kept: the next request goes straight out. */
  second = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 4);
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 1);
  app_tear_down (&app);
}

static void
test_app_installation_given (void)
{
  App app;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!app_set_up (&app, "77", 3600, NULL))
    return;
  node = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_fake_github_count (app.fake, "GET", "/repos/octo/hello/installation"),
                    ==, 0);
  g_assert_cmpuint (dr_fake_github_count (app.fake, "POST", "/app/installations/77/"), ==, 1);
  app_tear_down (&app);
}

static void
test_app_not_installed (void)
{
  App app;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!app_set_up (&app, NULL, 3600, NULL))
    return;
  dr_github_auth_set_target (app.auth, "someone-else", "repo");
  node = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not installed on someone-else/repo"));
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 0);
  app_tear_down (&app);
}

/* Requests that need a token at the same time share one fetch. */
static void
test_app_concurrent (void)
{
  App app;
  GAsyncResult *results[3] = { NULL, NULL, NULL };

  if (!app_set_up (&app, NULL, 3600, NULL))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    dr_github_client_get_async (app.client, "/repos/octo/hello", NULL, store_result_cb,
                                &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = dr_github_client_get_finish (app.client,
                                                              wait_result (&results[i]), &error);

      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 1);
  g_assert_cmpuint (dr_fake_github_count (app.fake, "GET", "/repos/octo/hello/installation"),
                    ==, 1);
  app_tear_down (&app);
}

/* A revoked installation token: one 401, one new token, and the request succeeds. If the
 * new token is refused too, the error comes after exactly that one refresh. */
static void
test_app_401_refresh (void)
{
  App app;
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;

  if (!app_set_up (&app, NULL, 3600, NULL))
    return;
  first = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);

  dr_fake_github_revoke_tokens (app.fake);
  second = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 2);
  g_assert_cmpuint (count_status (app.fake, "/repos/octo/hello", 401), ==, 1);

  fault.path = "/repos/octo/hello";
  fault.status = 401;
  fault.times = 5;
  dr_fake_github_add_fault (app.fake, &fault);
  third = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 3);
  g_assert_cmpuint (count_status (app.fake, "/repos/octo/hello", 401), ==, 3);
  app_tear_down (&app);
}

static void
test_pat_401_not_refreshed (void)
{
  g_autoptr(DrFakeGithub) fake = NULL;
  g_autoptr(DrCredential) credential = dr_credential_new_pat ("ghp_revoked");
  g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  fake = dr_fake_github_new ();
  client = dr_github_client_new (dr_fake_github_get_url (fake), auth, NULL, NULL);
  node = get_sync (client, "/repos/octo/hello", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (dr_fake_github_count (fake, NULL, NULL), ==, 1);
}

/* A token that expires during a long follow is replaced before it is refused: used until
 * 5 minutes before its expires_at. */
static void
test_app_token_expiring (void)
{
  App app;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  GPtrArray *requests;
  gint64 until;

  if (!app_set_up (&app, NULL, DR_GITHUB_TOKEN_REFRESH_MARGIN_SECONDS + 2, NULL))
    return;
  first = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  second = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 1);

  until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (20000);

  third = get_sync (app.client, "/repos/octo/hello", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_fake_github_get_tokens_issued (app.fake), ==, 2);
  g_assert_cmpuint (count_status (app.fake, "/repos/octo/hello", 401), ==, 0);
  requests = dr_fake_github_get_requests (app.fake);
  g_assert_cmpstr (((DrFakeGithubRequest *) requests->pdata[requests->len - 1])->authorization,
                   ==, "Bearer ghs_fake_2");
  app_tear_down (&app);
}

/* ---- the credential check --------------------------------------------------------------- */

static DrGithubCapabilities *
check_sync (DrGithubClient     *client,
            const char         *owner,
            const char         *repo,
            DrRepositoryScope   scope,
            GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_github_api_check_credential_async (client, owner, repo, scope, NULL, store_result_cb,
                                        &result);
  return dr_github_api_check_credential_finish (client, wait_result (&result), error);
}

static void
print_caps (const DrGithubCapabilities *caps)
{
  static const char * const states[] = { "unknown", "ok", "missing" };

  g_test_message ("%s (%s)", dr_github_token_kind_to_string (caps->token_kind),
                  caps->scopes != NULL ? caps->scopes : "-");
  for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
    g_test_message ("  %-30s %-7s %s", dr_github_need_get_title (i), states[caps->state[i]],
                    caps->detail[i]);
}

static DrGithubCapabilities *
check_pat (const char        *scopes,
           const char        *repository_json,
           const char        *owner,
           const char        *repo,
           DrRepositoryScope  scope,
           void             (*prepare) (DrFakeGithub *fake))
{
  g_autoptr(DrFakeGithub) fake = dr_fake_github_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat ("ghp_check");
  g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GError) error = NULL;
  DrGithubCapabilities *caps;

  dr_fake_github_add_pat (fake, "ghp_check", scopes);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello", 200, repository_json);
  dr_fake_github_set_json (fake, "GET", "/orgs/octo", 200, "{\"login\":\"octo\"}");
  if (prepare != NULL)
    prepare (fake);
  client = dr_github_client_new (dr_fake_github_get_url (fake), auth, NULL, NULL);
  caps = check_sync (client, owner, repo, scope, &error);
  g_assert_no_error (error);
  print_caps (caps);
  return caps;
}

#define ADMIN_REPO "{\"private\":true,\"permissions\":{\"admin\":true,\"push\":true,\"pull\":true}}"
#define READER_REPO "{\"private\":true,\"permissions\":{\"admin\":false,\"push\":false,\"pull\":true}}"

static void
test_check_classic (void)
{
  g_autoptr(DrGithubCapabilities) full = NULL;
  g_autoptr(DrGithubCapabilities) repo_only = NULL;
  g_autoptr(DrGithubCapabilities) none = NULL;
  g_autoptr(DrGithubCapabilities) reader = NULL;
  g_autoptr(DrGithubCapabilities) org = NULL;

  full = check_pat ("repo, workflow", ADMIN_REPO, "octo", "hello",
                    DR_REPOSITORY_SCOPE_REPOSITORY, NULL);
  g_assert_cmpint (full->token_kind, ==, DR_GITHUB_TOKEN_CLASSIC_PAT);
  g_assert_cmpstr (full->scopes, ==, "repo, workflow");
  for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
    g_assert_cmpint (full->state[i], ==, DR_GITHUB_CAPABILITY_OK);

  repo_only = check_pat ("repo", ADMIN_REPO, "octo", "hello", DR_REPOSITORY_SCOPE_REPOSITORY,
                         NULL);
  g_assert_cmpint (repo_only->state[DR_GITHUB_NEED_REGISTER_RUNNERS], ==,
                   DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (repo_only->state[DR_GITHUB_NEED_DISPATCH], ==, DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (repo_only->state[DR_GITHUB_NEED_VERIFY], ==, DR_GITHUB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (repo_only->detail[DR_GITHUB_NEED_VERIFY], "“workflow”"));

  none = check_pat ("read:user", ADMIN_REPO, "octo", "hello", DR_REPOSITORY_SCOPE_REPOSITORY,
                    NULL);
  for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
    g_assert_cmpint (none->state[i], ==, DR_GITHUB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (none->detail[DR_GITHUB_NEED_REGISTER_RUNNERS], "“repo”"));

  /* The scope alone is not enough: registration needs an administrator. */
  reader = check_pat ("repo, workflow", READER_REPO, "octo", "hello",
                      DR_REPOSITORY_SCOPE_REPOSITORY, NULL);
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_REGISTER_RUNNERS], ==,
                   DR_GITHUB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (reader->detail[DR_GITHUB_NEED_REGISTER_RUNNERS], "administrator"));
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_READ_RUNS], ==, DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_DISPATCH], ==, DR_GITHUB_CAPABILITY_MISSING);

  org = check_pat ("admin:org", ADMIN_REPO, "octo", NULL, DR_REPOSITORY_SCOPE_ORGANIZATION, NULL);
  g_assert_cmpint (org->state[DR_GITHUB_NEED_REGISTER_RUNNERS], ==, DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (org->state[DR_GITHUB_NEED_READ_RUNS], ==, DR_GITHUB_CAPABILITY_MISSING);
}

static void
fine_grained_reader (DrFakeGithub *fake)
{
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\":0,\"workflow_runs\":[]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runners", 403,
                           "{\"message\":\"Resource not accessible by personal access token\"}");
  dr_fake_github_set_headers (fake, "GET", "/repos/octo/hello/actions/runners",
                              "X-Accepted-GitHub-Permissions: administration=read");
}

static void
fine_grained_admin (DrFakeGithub *fake)
{
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\":0,\"workflow_runs\":[]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runners", 200,
                           "{\"total_count\":0,\"runners\":[]}");
}

static void
test_check_fine_grained (void)
{
  g_autoptr(DrGithubCapabilities) reader = NULL;
  g_autoptr(DrGithubCapabilities) admin = NULL;

  reader = check_pat (NULL, ADMIN_REPO, "octo", "hello", DR_REPOSITORY_SCOPE_REPOSITORY,
                      fine_grained_reader);
  g_assert_cmpint (reader->token_kind, ==, DR_GITHUB_TOKEN_FINE_GRAINED_PAT);
  g_assert_null (reader->scopes);
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_REGISTER_RUNNERS], ==,
                   DR_GITHUB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (reader->detail[DR_GITHUB_NEED_REGISTER_RUNNERS],
                            "Administration: read and write"));
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_READ_RUNS], ==, DR_GITHUB_CAPABILITY_OK);
  /* What no read can show is reported as unknown, not guessed. */
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_DISPATCH], ==, DR_GITHUB_CAPABILITY_UNKNOWN);
  g_assert_cmpint (reader->state[DR_GITHUB_NEED_VERIFY], ==, DR_GITHUB_CAPABILITY_UNKNOWN);

  admin = check_pat (NULL, ADMIN_REPO, "octo", "hello", DR_REPOSITORY_SCOPE_REPOSITORY,
                     fine_grained_admin);
  g_assert_cmpint (admin->state[DR_GITHUB_NEED_REGISTER_RUNNERS], ==,
                   DR_GITHUB_CAPABILITY_UNKNOWN);
  g_assert_nonnull (strstr (admin->detail[DR_GITHUB_NEED_REGISTER_RUNNERS], "may read"));
}

static void
test_check_app (void)
{
  App app;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrGithubCapabilities) caps = NULL;

  if (!app_set_up (&app, NULL, 3600,
                   "{\"administration\":\"write\",\"actions\":\"write\",\"contents\":"
                   "\"write\",\"metadata\":\"read\"}"))
    return;
  caps = check_sync (app.client, "octo", "hello", DR_REPOSITORY_SCOPE_REPOSITORY, &error);
  g_assert_no_error (error);
  print_caps (caps);
  g_assert_cmpint (caps->token_kind, ==, DR_GITHUB_TOKEN_APP_INSTALLATION);
  g_assert_cmpint (caps->state[DR_GITHUB_NEED_REGISTER_RUNNERS], ==, DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (caps->state[DR_GITHUB_NEED_READ_RUNS], ==, DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (caps->state[DR_GITHUB_NEED_DISPATCH], ==, DR_GITHUB_CAPABILITY_OK);
  g_assert_cmpint (caps->state[DR_GITHUB_NEED_VERIFY], ==, DR_GITHUB_CAPABILITY_MISSING);
  g_assert_nonnull (strstr (caps->detail[DR_GITHUB_NEED_VERIFY], "Workflows: write"));
  app_tear_down (&app);
}

/* A repository the token cannot see is the check's error, in words a person can act on. */
static void
test_check_not_found (void)
{
  g_autoptr(DrFakeGithub) fake = dr_fake_github_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat ("ghp_check");
  g_autoptr(DrGithubAuth) auth = dr_github_auth_new (credential);
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrGithubCapabilities) caps = NULL;

  dr_fake_github_add_pat (fake, "ghp_check", "repo");
  client = dr_github_client_new (dr_fake_github_get_url (fake), auth, NULL, NULL);
  caps = check_sync (client, "octo", "secret", DR_REPOSITORY_SCOPE_REPOSITORY, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "cannot see it"));
  g_assert_null (caps);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/github/auth/jwt", test_jwt);
  g_test_add_func ("/github/auth/jwt-client-id", test_jwt_client_id);
  g_test_add_func ("/github/auth/jwt-bad-key", test_jwt_bad_key);
  g_test_add_func ("/github/auth/app-token", test_app_token);
  g_test_add_func ("/github/auth/app-installation-given", test_app_installation_given);
  g_test_add_func ("/github/auth/app-not-installed", test_app_not_installed);
  g_test_add_func ("/github/auth/app-concurrent", test_app_concurrent);
  g_test_add_func ("/github/auth/app-401-refresh", test_app_401_refresh);
  g_test_add_func ("/github/auth/pat-401-not-refreshed", test_pat_401_not_refreshed);
  g_test_add_func ("/github/auth/app-token-expiring", test_app_token_expiring);
  g_test_add_func ("/github/check/classic", test_check_classic);
  g_test_add_func ("/github/check/fine-grained", test_check_fine_grained);
  g_test_add_func ("/github/check/app", test_check_app);
  g_test_add_func ("/github/check/not-found", test_check_not_found);

  return g_test_run ();
}
