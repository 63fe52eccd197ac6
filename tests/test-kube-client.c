/* test-kube-client.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrKubeClient against the strict fake API server: verbs, lists, errors, retries, TLS and
 * credentials, cancellation; and the fake's own strictness where the client cannot reach it.
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-fake-apiserver.h"
#include "dr-kube-client.h"
#include "dr-test-utils.h"

#define WAIT_MS 10000

static DrTestPki *right_pki;
static DrTestPki *wrong_pki;

/* ---- Helpers ----------------------------------------------------------------------------- */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

typedef JsonNode *(*FinishFunc) (DrKubeClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error);

static JsonNode *
finish (DrKubeClient  *client,
        Wait          *wait,
        FinishFunc     func,
        GError       **error)
{
  JsonNode *node;

  dr_test_wait_for_flag (&wait->done, WAIT_MS);
  node = func (client, wait->result, error);
  g_clear_object (&wait->result);
  return node;
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static JsonNode *
kube_get (DrKubeClient  *client,
          const char    *path,
          GError       **error)
{
  Wait wait = { 0, };

  dr_kube_client_get_async (client, path, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_get_finish, error);
}

static JsonNode *
kube_list (DrKubeClient            *client,
           const char              *path,
           const DrKubeListOptions *options,
           GError                 **error)
{
  Wait wait = { 0, };

  dr_kube_client_list_async (client, path, options, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_list_finish, error);
}

static JsonNode *
kube_list_all (DrKubeClient            *client,
               const char              *path,
               const DrKubeListOptions *options,
               GError                 **error)
{
  Wait wait = { 0, };

  dr_kube_client_list_all_async (client, path, options, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_list_all_finish, error);
}

static JsonNode *
kube_create (DrKubeClient      *client,
             const char        *path,
             const char        *object,
             DrKubeWriteFlags   flags,
             GError           **error)
{
  g_autoptr(JsonNode) node = json (object);
  Wait wait = { 0, };

  dr_kube_client_create_async (client, path, node, flags, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_create_finish, error);
}

static JsonNode *
kube_apply (DrKubeClient      *client,
            const char        *path,
            const char        *object,
            DrKubeWriteFlags   flags,
            GError           **error)
{
  g_autoptr(JsonNode) node = json (object);
  Wait wait = { 0, };

  dr_kube_client_apply_async (client, path, node, flags, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_apply_finish, error);
}

static JsonNode *
kube_patch (DrKubeClient      *client,
            const char        *path,
            const char        *patch,
            DrKubeWriteFlags   flags,
            GError           **error)
{
  g_autoptr(JsonNode) node = json (patch);
  Wait wait = { 0, };

  dr_kube_client_merge_patch_async (client, path, node, flags, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_merge_patch_finish, error);
}

static JsonNode *
kube_delete (DrKubeClient       *client,
             const char         *path,
             DrKubePropagation   propagation,
             DrKubeWriteFlags    flags,
             GError            **error)
{
  Wait wait = { 0, };

  dr_kube_client_delete_async (client, path, propagation, flags, NULL, done_cb, &wait);
  return finish (client, &wait, dr_kube_client_delete_finish, error);
}

/* The string at a dotted @path ("metadata.name") of @node, or NULL. */
static const char *
str_at (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_at (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_assert_true (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  g_assert_nonnull (node);
  return json_node_get_int (node);
}

static JsonArray *
items_of (JsonNode *list)
{
  g_assert_nonnull (list);
  return json_object_get_array_member (json_node_get_object (list), "items");
}

static char *
names_of (JsonNode *list)
{
  JsonArray *items = items_of (list);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      if (i > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, str_at (json_array_get_element (items, i), "metadata.name"));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

typedef DrTestKubeCredentials Credentials;

static DrKubeClient *
client_for (DrFakeApiserver   *server,
            const Credentials *credentials)
{
  return dr_test_kube_client_new (dr_fake_apiserver_get_url (server), credentials);
}

static DrFakeApiserver *
plain_server (void)
{
  DrFakeApiserver *server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);

  dr_fake_apiserver_register_defaults (server);
  return server;
}

static void
add_namespace (DrFakeApiserver *server,
               const char      *name)
{
  g_autofree char *text = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                                           "\"metadata\":{\"name\":\"%s\"}}", name);
  g_autofree char *path = dr_fake_apiserver_add (server, text);
}

/* A raw request to the fake, for what DrKubeClient never sends. */
static guint
raw_request (DrFakeApiserver  *server,
             const char       *method,
             const char       *path_and_query,
             const char       *content_type,
             const char       *body,
             JsonNode        **reply)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (dr_fake_apiserver_get_url (server), path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };
  gsize length = 0;
  const char *data;

  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, done_cb, &wait);
  dr_test_wait_for_flag (&wait.done, WAIT_MS);
  bytes = soup_session_send_and_read_finish (session, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  data = g_bytes_get_data (bytes, &length);
  if (reply != NULL)
    {
      g_autofree char *text = g_strndup (data, length);

      *reply = json_from_string (text, &error);
      g_assert_no_error (error);
    }
  return soup_message_get_status (msg);
}

static GBytes *
kube_get_raw (DrKubeClient  *client,
              const char    *path,
              GError       **error)
{
  Wait wait = { 0, };
  GBytes *bytes;

  dr_kube_client_get_raw_async (client, path, NULL, done_cb, &wait);
  dr_test_wait_for_flag (&wait.done, WAIT_MS);
  bytes = dr_kube_client_get_raw_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  return bytes;
}

/* ---- Pure functions ---------------------------------------------------------------------- */

static void
test_path (void)
{
  static const struct {
    const char *api_version;
    const char *plural;
    const char *namespace_;
    const char *name;
    const char *expected;
  } cases[] = {
    { "v1", "pods", "ci", "runner-0", "/api/v1/namespaces/ci/pods/runner-0" },
    { "v1", "pods", "ci", NULL, "/api/v1/namespaces/ci/pods" },
    { "v1", "pods", NULL, NULL, "/api/v1/pods" },
    { "v1", "namespaces", NULL, "arc-systems", "/api/v1/namespaces/arc-systems" },
    { "v1", "namespaces", "", "", "/api/v1/namespaces" },
    { "apps/v1", "deployments", "arc-systems", NULL,
      "/apis/apps/v1/namespaces/arc-systems/deployments" },
    { "rbac.authorization.k8s.io/v1", "clusterroles", NULL, "system:arc",
      "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:arc" },
    { "actions.github.com/v1alpha1", "autoscalingrunnersets", "arc-runners", "local",
      "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/autoscalingrunnersets/local" },
    { "v1", "configmaps", "ci", "a b/c?d", "/api/v1/namespaces/ci/configmaps/a%20b%2Fc%3Fd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = dr_kube_path (cases[i].api_version, cases[i].plural,
                                            cases[i].namespace_, cases[i].name);

      g_assert_cmpstr (path, ==, cases[i].expected);
    }
}

static void
test_bad_config (void)
{
  static const char ca_text[] = "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n";
  g_autoptr(GBytes) garbage_ca = g_bytes_new_static (ca_text, strlen (ca_text));
  g_autoptr(GBytes) no_pem = g_bytes_new_static ("hello", 5);
  static const char * const servers[] = {
    "", "ftp://example.org", "127.0.0.1:6443", "https://", "https://h:6443/?x=1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(GError) error = NULL;
      DrKubeContext context = { .context_name = (char *) "c", .server = (char *) servers[i] };
      g_autoptr(DrKubeClient) client = dr_kube_client_new (&context, &error);

      g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
      g_assert_null (client);
      g_assert_nonnull (strstr (error->message, "“c”"));
    }

  {
    g_autoptr(GError) error = NULL;
    DrKubeContext context = { .context_name = (char *) "c", .server = (char *) "https://h",
                              .certificate_authority = no_pem };
    g_autoptr(DrKubeClient) client = dr_kube_client_new (&context, &error);

    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
    g_assert_nonnull (strstr (error->message, "certificate authority"));
  }
  {
    g_autoptr(GError) error = NULL;
    DrKubeContext context = { .context_name = (char *) "c", .server = (char *) "https://h",
                              .certificate_authority = garbage_ca };
    g_autoptr(DrKubeClient) client = dr_kube_client_new (&context, &error);

    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  }
  {
    g_autoptr(GError) error = NULL;
    DrKubeContext context = { .context_name = (char *) "c", .server = (char *) "https://h",
                              .client_certificate = right_pki->client_cert_pem };
    g_autoptr(DrKubeClient) client = dr_kube_client_new (&context, &error);

    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
    g_assert_nonnull (strstr (error->message, "without a key"));
  }
  {
    /* A key that does not belong to the certificate. */
    g_autoptr(GError) error = NULL;
    DrKubeContext context = { .context_name = (char *) "c", .server = (char *) "https://h",
                              .client_certificate = right_pki->client_cert_pem,
                              .client_key = no_pem };
    g_autoptr(DrKubeClient) client = dr_kube_client_new (&context, &error);

    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
    g_assert_nonnull (strstr (error->message, "client certificate"));
  }
}

/* ---- Verbs ------------------------------------------------------------------------------- */

static void
test_crud (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *collection = dr_kube_path ("v1", "configmaps", "ci", NULL);
  g_autofree char *path = dr_kube_path ("v1", "configmaps", "ci", "settings");
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(GError) error = NULL;
  const DrFakeRequest *request;
  g_autofree char *rv = NULL;

  add_namespace (server, "ci");
  g_assert_cmpstr (dr_kube_client_get_server (client), ==, dr_fake_apiserver_get_url (server));
  g_assert_false (dr_kube_client_get_insecure (client));

  created = kube_create (client, collection,
                         "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                         "\"metadata\":{\"name\":\"settings\"},\"data\":{\"a\":\"1\"}}",
                         DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (str_at (created, "metadata.uid"));
  g_assert_nonnull (str_at (created, "metadata.creationTimestamp"));
  g_assert_cmpstr (str_at (created, "metadata.namespace"), ==, "ci");
  rv = g_strdup_printf ("%" G_GUINT64_FORMAT, dr_fake_apiserver_get_resource_version (server));
  g_assert_cmpstr (str_at (created, "metadata.resourceVersion"), ==, rv);

  request = dr_fake_apiserver_get_last_request (server);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, collection);
  g_assert_cmpstr (request->content_type, ==, "application/json");
  g_assert_cmpstr (request->user_agent, ==, "deskrun/" PACKAGE_VERSION);
  g_assert_null (request->authorization);
  g_assert_cmpuint (request->status, ==, 201);

  got = kube_get (client, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (got, "metadata.uid"), ==, str_at (created, "metadata.uid"));
  g_assert_cmpstr (str_at (got, "data.a"), ==, "1");

  patched = kube_patch (client, path, "{\"data\":{\"a\":\"2\"}}", DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (patched, "data.a"), ==, "2");

  /* Creating it again is a conflict that says so. */
  again = kube_create (client, collection,
                       "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                       "\"metadata\":{\"name\":\"settings\"}}", DR_KUBE_WRITE_NONE, &error);
  g_assert_null (again);
  g_assert_error (error, DR_ERROR, DR_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "configmaps \"settings\" already exists"));
  g_clear_error (&error);

  deleted = kube_delete (client, path, DR_KUBE_PROPAGATION_DEFAULT, DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (deleted, "metadata.name"), ==, "settings");

  gone = kube_get (client, path, &error);
  g_assert_null (gone);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "configmaps \"settings\" not found"));
}

static void
add_pod (DrFakeApiserver *server,
         const char      *namespace_,
         const char      *name,
         const char      *labels)
{
  g_autofree char *text = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                                           "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\","
                                           "\"labels\":%s},\"spec\":{}}",
                                           name, namespace_, labels);
  g_autofree char *path = dr_fake_apiserver_add (server, text);
}

static void
test_list (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *pods = dr_kube_path ("v1", "pods", "ci", NULL);
  g_autofree char *all_pods = dr_kube_path ("v1", "pods", NULL, NULL);
  static const struct {
    const char *label_selector;
    const char *field_selector;
    const char *names;
  } cases[] = {
    { NULL, NULL, "listener runner-a runner-b runner-c worker" },
    { "app=runner", NULL, "runner-a runner-b runner-c" },
    { "app==runner,tier=cache", NULL, "runner-b" },
    { "app!=runner", NULL, "listener worker" },
    { "tier", NULL, "runner-b runner-c" },
    { "!tier", NULL, "listener runner-a worker" },
    { "app=runner,!tier", NULL, "runner-a" },
    { NULL, "metadata.name=runner-c", "runner-c" },
    { "app=runner", "metadata.name!=runner-a", "runner-b runner-c" },
    { "app=nothing", NULL, "" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *rv = NULL;

  add_namespace (server, "ci");
  add_namespace (server, "other");
  add_pod (server, "ci", "runner-b", "{\"app\":\"runner\",\"tier\":\"cache\"}");
  add_pod (server, "ci", "runner-a", "{\"app\":\"runner\"}");
  add_pod (server, "ci", "runner-c", "{\"app\":\"runner\",\"tier\":\"build\"}");
  add_pod (server, "ci", "listener", "{\"app\":\"listener\"}");
  add_pod (server, "ci", "worker", "{}");
  add_pod (server, "other", "elsewhere", "{\"app\":\"runner\"}");
  rv = g_strdup_printf ("%" G_GUINT64_FORMAT, dr_fake_apiserver_get_resource_version (server));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DrKubeListOptions options = {
        .label_selector = cases[i].label_selector,
        .field_selector = cases[i].field_selector,
      };
      g_autoptr(JsonNode) list = kube_list (client, pods, &options, &error);
      g_autofree char *names = NULL;

      g_assert_no_error (error);
      names = names_of (list);
      g_assert_cmpstr (names, ==, cases[i].names);
      g_assert_cmpstr (str_at (list, "kind"), ==, "PodList");
      g_assert_cmpstr (str_at (list, "metadata.resourceVersion"), ==, rv);
      g_assert_null (str_at (list, "metadata.continue"));
    }

  /* Selectors travel percent-encoded and arrive intact. */
  {
    const DrFakeRequest *request = dr_fake_apiserver_get_last_request (server);

    g_assert_cmpstr (request->query, ==, "labelSelector=app%3Dnothing");
    g_assert_cmpstr (g_hash_table_lookup (request->params, "labelSelector"), ==, "app=nothing");
  }

  /* All namespaces. */
  {
    g_autoptr(JsonNode) list = kube_list (client, all_pods, NULL, &error);
    g_autofree char *names = NULL;

    g_assert_no_error (error);
    names = names_of (list);
    g_assert_cmpstr (names, ==, "listener runner-a runner-b runner-c worker elsewhere");
  }

  /* Pages by hand: every object once, in order, the continue token only while more follow. */
  {
    DrKubeListOptions options = { .limit = 2 };
    g_autoptr(GString) seen = g_string_new (NULL);
    g_autofree char *token = NULL;
    guint pages = 0;

    do
      {
        g_autoptr(JsonNode) page = NULL;
        g_autofree char *names = NULL;

        options.continue_token = token;
        page = kube_list (client, pods, &options, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (json_array_get_length (items_of (page)), <=, 2);
        g_assert_cmpstr (str_at (page, "metadata.resourceVersion"), ==, rv);
        names = names_of (page);
        g_string_append_printf (seen, "%s%s", seen->len > 0 ? " " : "", names);
        g_free (token);
        token = g_strdup (str_at (page, "metadata.continue"));
        pages++;
      }
    while (token != NULL);

    g_assert_cmpuint (pages, ==, 3);
    g_assert_cmpstr (seen->str, ==, "listener runner-a runner-b runner-c worker");
  }

  /* The convenience follows continue to the end. */
  {
    DrKubeListOptions options = { .label_selector = "app", .limit = 1 };
    guint before = dr_fake_apiserver_count_requests (server, "GET", pods);
    g_autoptr(JsonNode) list = kube_list_all (client, pods, &options, &error);
    g_autofree char *names = NULL;

    g_assert_no_error (error);
    names = names_of (list);
    g_assert_cmpstr (names, ==, "listener runner-a runner-b runner-c");
    g_assert_null (str_at (list, "metadata.continue"));
    g_assert_cmpstr (str_at (list, "metadata.resourceVersion"), ==, rv);
    g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", pods) - before, ==, 4);
  }

  /* A continue token from before a compaction has expired. */
  {
    DrKubeListOptions options = { .limit = 2 };
    g_autoptr(JsonNode) first = kube_list (client, pods, &options, &error);
    g_autoptr(JsonNode) next = NULL;

    g_assert_no_error (error);
    dr_fake_apiserver_compact (server);
    options.continue_token = str_at (first, "metadata.continue");
    next = kube_list (client, pods, &options, &error);
    g_assert_null (next);
    g_assert_error (error, DR_ERROR, DR_ERROR_GONE);
    g_clear_error (&error);
  }

  /* Set-based selectors are beyond the fake; it says so with a 400. */
  {
    DrKubeListOptions options = { .label_selector = "app in (runner,listener)" };
    g_autoptr(JsonNode) list = kube_list (client, pods, &options, &error);

    g_assert_null (list);
    g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  }
}

static const char runner_set[] =
  "{\"apiVersion\":\"actions.github.com/v1alpha1\",\"kind\":\"AutoscalingRunnerSet\","
  "\"metadata\":{\"name\":\"local\",\"namespace\":\"arc-runners\","
  "\"labels\":{\"app.kubernetes.io/managed-by\":\"deskrun\"}},"
  "\"spec\":{\"githubConfigUrl\":\"https://github.com/o/r\",\"minRunners\":0,"
  "\"maxRunners\":%d}}";

static void
test_apply (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = dr_kube_path ("actions.github.com/v1alpha1", "autoscalingrunnersets",
                                        "arc-runners", "local");
  g_autofree char *first_text = g_strdup_printf (runner_set, 2);
  g_autofree char *second_text = g_strdup_printf (runner_set, 5);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(GError) error = NULL;
  const DrFakeRequest *request;
  JsonArray *managed;

  add_namespace (server, "arc-runners");

  first = kube_apply (client, path, first_text, DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  request = dr_fake_apiserver_get_last_request (server);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->path, ==, path);
  g_assert_cmpstr (request->content_type, ==, "application/apply-patch+yaml");
  g_assert_cmpstr (g_hash_table_lookup (request->params, "fieldManager"), ==, "deskrun");
  g_assert_cmpstr (g_hash_table_lookup (request->params, "force"), ==, "true");
  g_assert_false (g_hash_table_contains (request->params, "dryRun"));
  g_assert_cmpuint (request->status, ==, 201);
  g_assert_cmpint (int_at (first, "metadata.generation"), ==, 1);
  managed = json_object_get_array_member (json_object_get_object_member (
                                            json_node_get_object (first), "metadata"),
                                          "managedFields");
  g_assert_cmpuint (json_array_get_length (managed), ==, 1);
  g_assert_cmpstr (str_at (json_array_get_element (managed, 0), "manager"), ==, "deskrun");
  g_assert_cmpstr (str_at (json_array_get_element (managed, 0), "operation"), ==, "Apply");

  /* Updated in place: same object, new resourceVersion, new generation. */
  second = kube_apply (client, path, second_text, DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_fake_apiserver_get_last_request (server)->status, ==, 200);
  g_assert_cmpstr (str_at (second, "metadata.uid"), ==, str_at (first, "metadata.uid"));
  g_assert_cmpstr (str_at (second, "metadata.resourceVersion"), !=,
                   str_at (first, "metadata.resourceVersion"));
  g_assert_cmpint (int_at (second, "metadata.generation"), ==, 2);
  g_assert_cmpint (int_at (second, "spec.maxRunners"), ==, 5);
  g_assert_cmpstr (str_at (second, "spec.githubConfigUrl"), ==, "https://github.com/o/r");

  /* Applying the same again changes nothing, not even the resourceVersion. */
  third = kube_apply (client, path, second_text, DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (third, "metadata.resourceVersion"), ==,
                   str_at (second, "metadata.resourceVersion"));
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (server), ==, 2);
}

static void
test_merge_patch (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) stale = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GError) error = NULL;

  add_namespace (server, "ci");
  path = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                "\"metadata\":{\"name\":\"m\",\"namespace\":\"ci\","
                                "\"labels\":{\"keep\":\"me\"}},"
                                "\"data\":{\"a\":\"1\",\"b\":\"2\"}}");

  patched = kube_patch (client, path, "{\"data\":{\"b\":\"3\",\"c\":\"4\"}}",
                        DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_fake_apiserver_get_last_request (server)->content_type, ==,
                   "application/merge-patch+json");
  g_assert_cmpstr (str_at (patched, "data.a"), ==, "1");
  g_assert_cmpstr (str_at (patched, "data.b"), ==, "3");
  g_assert_cmpstr (str_at (patched, "data.c"), ==, "4");
  g_assert_cmpstr (str_at (patched, "metadata.labels.keep"), ==, "me");

  removed = kube_patch (client, path, "{\"data\":{\"a\":null}}", DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_null (str_at (removed, "data.a"));
  g_assert_cmpstr (str_at (removed, "data.b"), ==, "3");

  stored = dr_fake_apiserver_get_object (server, path);
  g_assert_true (json_node_equal (stored, removed));

  /* A resourceVersion in the patch is a precondition. */
  stale = kube_patch (client, path,
                      "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"b\":\"9\"}}",
                      DR_KUBE_WRITE_NONE, &error);
  g_assert_null (stale);
  g_assert_error (error, DR_ERROR, DR_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "the object has been modified"));
}

static void
test_delete_finalizers (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *held = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonNode) marked = NULL;
  g_autoptr(JsonNode) still = NULL;
  g_autoptr(JsonNode) released = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) options = NULL;
  g_autoptr(GError) error = NULL;
  const DrFakeRequest *request;
  const DrFakeEvent *event;
  g_autofree char *body = NULL;

  add_namespace (server, "arc-runners");
  held = dr_fake_apiserver_add (server, "{\"apiVersion\":\"actions.github.com/v1alpha1\","
                                "\"kind\":\"EphemeralRunner\",\"metadata\":{\"name\":\"r-1\","
                                "\"namespace\":\"arc-runners\","
                                "\"finalizers\":[\"ephemeralrunner.actions.github.com/"
                                "finalizer\"]},\"spec\":{}}");

  marked = kube_delete (client, held, DR_KUBE_PROPAGATION_FOREGROUND, DR_KUBE_WRITE_NONE,
                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (str_at (marked, "metadata.deletionTimestamp"));
  request = dr_fake_apiserver_get_last_request (server);
  g_assert_cmpstr (request->method, ==, "DELETE");
  g_assert_cmpuint (request->status, ==, 202);
  body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  options = json (body);
  g_assert_cmpstr (str_at (options, "kind"), ==, "DeleteOptions");
  g_assert_cmpstr (str_at (options, "propagationPolicy"), ==, "Foreground");

  still = kube_get (client, held, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (still, "metadata.deletionTimestamp"), ==,
                   str_at (marked, "metadata.deletionTimestamp"));

  /* The controller removes its finalizer: now the object goes. */
  released = kube_patch (client, held, "{\"metadata\":{\"finalizers\":null}}",
                         DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  gone = kube_get (client, held, &error);
  g_assert_null (gone);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  event = dr_fake_apiserver_get_event (server, dr_fake_apiserver_get_n_events (server) - 1);
  g_assert_cmpstr (event->type, ==, "DELETED");
  g_assert_cmpstr (event->path, ==, held);

  /* Without finalizers an object goes at once. */
  plain = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
                                 "\"metadata\":{\"name\":\"s\",\"namespace\":\"arc-runners\"}}");
  deleted = kube_delete (client, plain, DR_KUBE_PROPAGATION_BACKGROUND, DR_KUBE_WRITE_NONE,
                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_fake_apiserver_get_last_request (server)->status, ==, 200);
  g_assert_null (dr_fake_apiserver_get_object (server, plain));

  missing = kube_delete (client, plain, DR_KUBE_PROPAGATION_DEFAULT, DR_KUBE_WRITE_NONE, &error);
  g_assert_null (missing);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
}

static void
test_dry_run (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *collection = dr_kube_path ("v1", "configmaps", "ci", NULL);
  g_autofree char *path = dr_kube_path ("v1", "configmaps", "ci", "dry");
  g_autofree char *existing = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *object = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                       "\"metadata\":{\"name\":\"dry\"},\"data\":{\"a\":\"1\"}}";
  guint64 rv;
  guint n_objects;
  guint n_requests;

  add_namespace (server, "ci");
  existing = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                    "\"metadata\":{\"name\":\"real\",\"namespace\":\"ci\"},"
                                    "\"data\":{\"a\":\"1\"}}");
  before = dr_fake_apiserver_get_object (server, existing);
  rv = dr_fake_apiserver_get_resource_version (server);
  n_objects = dr_fake_apiserver_get_n_objects (server);
  n_requests = dr_fake_apiserver_count_requests (server, NULL, NULL);

  {
    g_autoptr(JsonNode) created = kube_create (client, collection, object,
                                               DR_KUBE_WRITE_DRY_RUN, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (str_at (created, "data.a"), ==, "1");
  }
  {
    g_autoptr(JsonNode) applied = kube_apply (client, path, object, DR_KUBE_WRITE_DRY_RUN,
                                              &error);

    g_assert_no_error (error);
    g_assert_cmpstr (str_at (applied, "metadata.name"), ==, "dry");
  }
  {
    g_autoptr(JsonNode) patched = kube_patch (client, existing, "{\"data\":{\"a\":\"2\"}}",
                                              DR_KUBE_WRITE_DRY_RUN, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (str_at (patched, "data.a"), ==, "2");
  }
  {
    g_autoptr(JsonNode) applied = kube_apply (client, existing,
                                              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                              "\"metadata\":{\"name\":\"real\"},"
                                              "\"data\":{\"b\":\"2\"}}",
                                              DR_KUBE_WRITE_DRY_RUN, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (str_at (applied, "data.b"), ==, "2");
  }
  {
    g_autoptr(JsonNode) deleted = kube_delete (client, existing, DR_KUBE_PROPAGATION_DEFAULT,
                                               DR_KUBE_WRITE_DRY_RUN, &error);

    g_assert_no_error (error);
  }

  /* Every request said dryRun=All, and nothing changed. */
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, NULL, NULL) - n_requests, ==, 5);
  for (guint i = n_requests; i < n_requests + 5; i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      g_assert_cmpstr (g_hash_table_lookup (request->params, "dryRun"), ==, "All");
      g_assert_cmpuint (request->status, <, 300);
    }
  g_assert_cmpuint (dr_fake_apiserver_get_resource_version (server), ==, rv);
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (server), ==, n_objects);
  g_assert_null (dr_fake_apiserver_get_object (server, path));
  after = dr_fake_apiserver_get_object (server, existing);
  g_assert_true (json_node_equal (before, after));
  text = json_to_string (after, FALSE);
  g_assert_null (strstr (text, "deletionTimestamp"));
}

/* ---- Errors ------------------------------------------------------------------------------ */

static void
test_errors (void)
{
  static const struct {
    guint status;
    int code;
  } cases[] = {
    { 400, DR_ERROR_INVALID },
    { 401, DR_ERROR_UNAUTHORIZED },
    { 403, DR_ERROR_FORBIDDEN },
    { 404, DR_ERROR_NOT_FOUND },
    { 409, DR_ERROR_CONFLICT },
    { 410, DR_ERROR_GONE },
    { 422, DR_ERROR_UNPROCESSABLE },
    { 500, DR_ERROR_SERVER },
    { 503, DR_ERROR_SERVER },
    { 418, DR_ERROR_FAILED },
  };
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = dr_kube_path ("v1", "namespaces", NULL, "ci");
  g_autofree char *list_path = dr_kube_path ("v1", "namespaces", NULL, NULL);

  add_namespace (server, "ci");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = g_strdup_printf ("status message for %u", cases[i].status);
      g_autoptr(JsonNode) node = NULL;

      g_assert_cmpint (dr_error_from_http_status (cases[i].status), ==, cases[i].code);
      dr_fake_apiserver_fail_next (server, cases[i].status, message, -1);
      node = kube_get (client, path, &error);
      g_assert_null (node);
      g_assert_error (error, DR_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, message));
    }

  /* A 429 that never ends: three retries (Retry-After: 0), then the error. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;
    guint before = dr_fake_apiserver_count_requests (server, "GET", path);

    for (guint i = 0; i < 4; i++)
      dr_fake_apiserver_fail_next (server, 429, "too many requests, slow down", 0);
    node = kube_get (client, path, &error);
    g_assert_null (node);
    g_assert_error (error, DR_ERROR, DR_ERROR_RATE_LIMITED);
    g_assert_nonnull (strstr (error->message, "slow down"));
    g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", path) - before, ==, 4);
  }

  /* An error without a Status object still says what happened. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    dr_fake_apiserver_reply_next (server, 502, "text/html", "<html>bad gateway</html>");
    node = kube_get (client, path, &error);
    g_assert_error (error, DR_ERROR, DR_ERROR_SERVER);
    g_assert_nonnull (strstr (error->message, "502"));
    g_assert_nonnull (strstr (error->message, dr_fake_apiserver_get_url (server)));
  }

  /* Replies that are not what we asked for. */
  {
    static const struct {
      gboolean list;
      const char *body;
    } bad[] = {
      { FALSE, "" },
      { FALSE, "not json" },
      { FALSE, "[1, 2]" },
      { FALSE, "\"text\"" },
      { FALSE, "{\"metadata\": 5}" },
      { TRUE, "{\"items\": 3}" },
      { TRUE, "{\"items\": {}}" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) node = NULL;

        dr_fake_apiserver_reply_next (server, 200, "application/json", bad[i].body);
        node = bad[i].list ? kube_list (client, list_path, NULL, &error)
                           : kube_get (client, path, &error);
        g_assert_null (node);
        g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
      }
  }

  /* An empty list sent as null is still a list. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    dr_fake_apiserver_reply_next (server, 200, "application/json",
                                  "{\"kind\":\"NamespaceList\",\"items\":null,"
                                  "\"metadata\":{\"resourceVersion\":\"7\"}}");
    node = kube_list (client, list_path, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (items_of (node)), ==, 0);
  }

  /* list_all refuses a continue token that is not a string, or one that never changes. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    dr_fake_apiserver_reply_next (server, 200, "application/json",
                                  "{\"items\":[],\"metadata\":{\"continue\":5}}");
    node = kube_list_all (client, list_path, NULL, &error);
    g_assert_null (node);
    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    for (guint i = 0; i < 2; i++)
      dr_fake_apiserver_reply_next (server, 200, "application/json",
                                    "{\"items\":[],\"metadata\":{\"continue\":\"same\"}}");
    node = kube_list_all (client, list_path, NULL, &error);
    g_assert_null (node);
    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  }
}

static void
test_retry_after (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = dr_kube_path ("v1", "namespaces", NULL, "ci");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_namespace (server, "ci");
  dr_fake_apiserver_fail_next (server, 429, "too many requests", 1);

  start = g_get_monotonic_time ();
  node = kube_get (client, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (node, "metadata.name"), ==, "ci");
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", path), ==, 2);
  /* It waited as asked (not a timing assertion on speed: a lower bound on obedience). */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC * 9 / 10);
}

static char *
deep_json (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* A reply nested 100,000 levels deep (200 KB) overflowed json-glib's stack — a crash of
 * `deskrunctl status`; as a reply or as an error's Status it is now a bad reply. */
static void
test_deep_reply (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = dr_kube_path ("v1", "namespaces", NULL, "ci");
  g_autofree char *deep = deep_json (100000);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  add_namespace (server, "ci");
  dr_fake_apiserver_reply_next (server, 200, "application/json", deep);
  node = kube_get (client, path, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "not JSON"));
  g_assert_nonnull (strstr (error->message, "nested more than 512 levels deep"));
  g_clear_error (&error);

  dr_fake_apiserver_reply_next (server, 404, "application/json", deep);
  node = kube_get (client, path, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_null (node);
  g_clear_error (&error);

  /* The client is still usable. */
  node = kube_get (client, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (node, "metadata.name"), ==, "ci");
}

/* Replies without bounds: a body that never ends is cut at the size limit, a server that
 * sends a byte now and then is cut at the deadline; each a clean error naming the server,
 * and the client is still usable after either. */
static void
test_unbounded_replies (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = dr_kube_path ("v1", "namespaces", NULL, "ci");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;
  double elapsed;

  add_namespace (server, "ci");
  dr_kube_client_set_request_limits (client, 3, 1024 * 1024);

  /* Endless, as fast as the loopback goes: stopped at 1 MiB. */
  dr_fake_apiserver_trickle_next (server, 1, 64 * 1024);
  node = kube_get (client, path, &error);
  g_assert_null (node);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, dr_fake_apiserver_get_url (server)));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "larger than 1.0"));
  g_clear_error (&error);

  /* One byte every 2 s keeps the I/O timeout happy, not the deadline. */
  dr_fake_apiserver_trickle_next (server, 2000, 1);
  started = g_get_monotonic_time ();
  node = kube_get (client, path, &error);
  elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("a trickling reply failed after %.1f s", elapsed);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, dr_fake_apiserver_get_url (server)));
  g_assert_nonnull (strstr (error->message, "within 3 seconds"));
  g_assert_cmpfloat (elapsed, >=, 2.9);
  g_assert_cmpfloat (elapsed, <, 10.0);
  g_clear_error (&error);

  /* The default limits are what the header says. */
  {
    g_autoptr(DrKubeClient) fresh = client_for (server, NULL);
    g_autoptr(JsonNode) again = kube_get (fresh, path, &error);

    g_assert_no_error (error);
  }
  node = kube_get (client, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (node, "metadata.name"), ==, "ci");
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_retry_cancelled (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = dr_kube_path ("v1", "namespaces", NULL, "ci");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  /* Retry-After: 10; the cancel must end the wait, not the 10 s. */
  dr_fake_apiserver_fail_next (server, 429, "too many requests", 10);
  dr_kube_client_get_async (client, path, cancellable, done_cb, &wait);
  g_timeout_add (300, cancel_cb, cancellable);
  dr_test_wait_for_flag (&wait.done, 5000);
  node = dr_kube_client_get_finish (client, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", path), ==, 1);
}

static void
test_cancel (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *path = dr_kube_path ("v1", "namespaces", NULL, "ci");

  add_namespace (server, "ci");

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;
    Wait wait = { 0, };

    g_cancellable_cancel (cancellable);
    dr_kube_client_get_async (client, path, cancellable, done_cb, &wait);
    node = finish (client, &wait, dr_kube_client_get_finish, &error);
    g_assert_null (node);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* Cancelled while the server holds the request. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;
    gboolean reached = FALSE;
    Wait wait = { 0, };

    dr_fake_apiserver_hang_next (server, &reached);
    dr_kube_client_get_async (client, path, cancellable, done_cb, &wait);
    dr_test_wait_for_flag (&reached, WAIT_MS);
    g_assert_false (wait.done);
    g_cancellable_cancel (cancellable);
    node = finish (client, &wait, dr_kube_client_get_finish, &error);
    g_assert_null (node);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpstr (error->message, !=, "");
  }

  /* The client still works afterwards. */
  {
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kube_get (client, path, &error);
    g_assert_no_error (error);
  }
}

static void
test_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;

  /* A port that was free a moment ago and is closed now. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_listener_close (listener);

  client = dr_test_kube_client_new (url, NULL);
  node = kube_get (client, "/api/v1/namespaces", &error);
  g_assert_null (node);
  g_test_message ("unreachable: %s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  expected = g_strdup_printf ("Could not reach the Kubernetes API server at %s: ", url);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

/* ---- TLS and credentials ----------------------------------------------------------------- */

static void
test_tls_right_ca (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (right_pki, DR_FAKE_APISERVER_NONE);
  Credentials credentials = { .ca = right_pki->ca_pem };
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  dr_fake_apiserver_register_defaults (server);
  add_namespace (server, "ci");
  g_assert_true (g_str_has_prefix (dr_fake_apiserver_get_url (server), "https://127.0.0.1:"));

  client = client_for (server, &credentials);
  node = kube_get (client, "/api/v1/namespaces/ci", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (node, "metadata.name"), ==, "ci");
  g_assert_false (dr_kube_client_get_insecure (client));
}

static void
test_tls_refused (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (right_pki, DR_FAKE_APISERVER_NONE);
  g_autoptr(GBytes) bundle = NULL;
  /* The wrong CA; no CA at all (the system does not trust a test CA); and a bundle that
   * holds only other CAs. */
  Credentials wrong = { .ca = wrong_pki->ca_pem };
  Credentials none = { 0, };
  Credentials other_bundle = { 0, };
  const Credentials *cases[] = { &wrong, &none, &other_bundle };

  {
    g_autoptr(GByteArray) data = g_byte_array_new ();
    gsize length = 0;
    const guint8 *pem = g_bytes_get_data (wrong_pki->ca_pem, &length);

    g_byte_array_append (data, (const guint8 *) "# other CAs\n", 12);
    g_byte_array_append (data, pem, length);
    g_byte_array_append (data, pem, length);
    bundle = g_byte_array_free_to_bytes (g_steal_pointer (&data));
    other_bundle.ca = bundle;
  }

  dr_fake_apiserver_register_defaults (server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrKubeClient) client = client_for (server, cases[i]);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      node = kube_get (client, "/api/v1/namespaces", &error);
      g_assert_null (node);
      g_test_message ("refused: %s", error->message);
      g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
      g_assert_nonnull (strstr (error->message, dr_fake_apiserver_get_url (server)));
      g_assert_nonnull (strstr (error->message, "certificate"));
    }
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, NULL, NULL), ==, 0);
}

static void
test_tls_ca_bundle (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (right_pki, DR_FAKE_APISERVER_NONE);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Credentials credentials = { 0, };
  gsize length = 0;
  const guint8 *pem;

  /* The right CA second in a bundle: every anchor counts, not just the first. */
  pem = g_bytes_get_data (wrong_pki->ca_pem, &length);
  g_byte_array_append (data, pem, length);
  pem = g_bytes_get_data (right_pki->ca_pem, &length);
  g_byte_array_append (data, pem, length);
  bundle = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  credentials.ca = bundle;

  dr_fake_apiserver_register_defaults (server);
  client = client_for (server, &credentials);
  node = kube_get (client, "/api/v1/namespaces", &error);
  g_assert_no_error (error);
}

static void
test_tls_insecure (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (right_pki, DR_FAKE_APISERVER_NONE);
  Credentials credentials = { .insecure = TRUE };
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean insecure = FALSE;

  dr_fake_apiserver_register_defaults (server);
  client = client_for (server, &credentials);
  g_assert_true (dr_kube_client_get_insecure (client));
  g_object_get (client, "insecure", &insecure, NULL);
  g_assert_true (insecure);

  node = kube_get (client, "/api/v1/namespaces", &error);
  g_assert_no_error (error);
}

static void
test_client_certificate (void)
{
  g_autoptr(DrFakeApiserver) server = NULL;
  Credentials with_cert = {
    .ca = right_pki->ca_pem,
    .cert = right_pki->client_cert_pem,
    .key = right_pki->client_key_pem,
  };
  Credentials without_cert = { .ca = right_pki->ca_pem };
  Credentials other_cert = {
    .ca = right_pki->ca_pem,
    .cert = wrong_pki->client_cert_pem,
    .key = wrong_pki->client_key_pem,
  };

  server = dr_fake_apiserver_new (right_pki, DR_FAKE_APISERVER_REQUIRE_CLIENT_CERT);
  dr_fake_apiserver_register_defaults (server);

  {
    g_autoptr(DrKubeClient) client = client_for (server, &with_cert);
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kube_get (client, "/api/v1/namespaces", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (dr_fake_apiserver_get_last_request (server)->status, ==, 200);
  }

  {
    g_autoptr(DrKubeClient) client = client_for (server, &without_cert);
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kube_get (client, "/api/v1/namespaces", &error);
    g_assert_null (node);
    g_assert_error (error, DR_ERROR, DR_ERROR_UNAUTHORIZED);
    g_assert_nonnull (strstr (error->message, dr_fake_apiserver_get_url (server)));
  }

  {
    g_autoptr(DrKubeClient) client = client_for (server, &other_cert);
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kube_get (client, "/api/v1/namespaces", &error);
    g_assert_null (node);
    g_test_message ("other CA's client certificate: %s", error->message);
    g_assert_error (error, DR_ERROR, DR_ERROR_UNAUTHORIZED);
  }
}

static void
test_bearer_token (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (right_pki, DR_FAKE_APISERVER_NONE);
  Credentials right = { .ca = right_pki->ca_pem, .token = "s3cret-token" };
  Credentials wrong = { .ca = right_pki->ca_pem, .token = "guessed" };
  Credentials none = { .ca = right_pki->ca_pem };

  dr_fake_apiserver_register_defaults (server);
  dr_fake_apiserver_require_token (server, "s3cret-token");

  {
    g_autoptr(DrKubeClient) client = client_for (server, &right);
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kube_get (client, "/api/v1/namespaces", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dr_fake_apiserver_get_last_request (server)->authorization, ==,
                     "Bearer s3cret-token");
  }

  {
    const Credentials *cases[] = { &wrong, &none };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(DrKubeClient) client = client_for (server, cases[i]);
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(GError) error = NULL;

        node = kube_get (client, "/api/v1/namespaces", &error);
        g_assert_null (node);
        g_assert_error (error, DR_ERROR, DR_ERROR_UNAUTHORIZED);
        g_assert_null (strstr (error->message, "s3cret"));
        g_assert_null (strstr (error->message, "guessed"));
      }
  }
}

/* ---- The fake's own strictness ----------------------------------------------------------- */

static void
test_fake_strict (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  static const struct {
    const char *method;
    const char *path;
    const char *content_type;
    const char *body;
    guint status;
    const char *reason;
  } cases[] = {
    /* Unknown paths and kinds, and namespaced objects without their namespace. */
    { "GET", "/api/v1/widgets", NULL, NULL, 404, "NotFound" },
    { "GET", "/apis/example.com/v1/things", NULL, NULL, 404, "NotFound" },
    { "GET", "/apis/actions.github.com/v1alpha1/autoscalingrunnersets/x", NULL, NULL, 404,
      "NotFound" },
    { "GET", "/api/v1/namespaces/ci/pods/x/status", NULL, NULL, 404, "NotFound" },
    { "GET", "/api/v1//namespaces", NULL, NULL, 404, "NotFound" },
    { "GET", "/api/v1/namespaces/ci/configmaps/none", NULL, NULL, 404, "NotFound" },
    /* Methods. */
    { "POST", "/api/v1/pods", "application/json", "{}", 405, "MethodNotAllowed" },
    { "PUT", "/api/v1/namespaces/ci/configmaps", "application/json", "{}", 405,
      "MethodNotAllowed" },
    /* Content types. */
    { "POST", "/api/v1/namespaces/ci/configmaps", "text/plain", "{}", 415,
      "UnsupportedMediaType" },
    { "PATCH", "/api/v1/namespaces/ci/configmaps/m", "application/json", "{}", 415,
      "UnsupportedMediaType" },
    { "PATCH", "/apis/actions.github.com/v1alpha1/namespaces/ci/ephemeralrunners/r",
      "application/strategic-merge-patch+json", "{}", 415, "UnsupportedMediaType" },
    /* Apply needs a field manager; force is for apply only. */
    { "PATCH", "/api/v1/namespaces/ci/configmaps/m", "application/apply-patch+yaml",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"m\"}}", 400,
      "BadRequest" },
    { "PATCH", "/api/v1/namespaces/ci/configmaps/m?force=true", "application/merge-patch+json",
      "{}", 422, "Invalid" },
    /* Bodies that do not fit. */
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json", "{", 400, "BadRequest" },
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}", 400,
      "BadRequest" },
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}",
      422, "Invalid" },
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}", 422, "Invalid" },
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\","
      "\"namespace\":\"other\"}}", 400, "BadRequest" },
    { "POST", "/api/v1/namespaces/nowhere/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", 404,
      "NotFound" },
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\","
      "\"labels\":{\"n\":1}}}", 422, "Invalid" },
    { "POST", "/api/v1/namespaces/ci/configmaps?dryRun=Some", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}", 400,
      "BadRequest" },
    { "DELETE", "/api/v1/namespaces/ci/configmaps/m", "application/json",
      "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Eventually\"}",
      422, "Invalid" },
    /* A generateName is completed. */
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/json",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"g-\"}}",
      201, NULL },
    /* YAML only in its JSON form. */
    { "POST", "/api/v1/namespaces/ci/configmaps", "application/yaml",
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"y\"}}", 201, NULL },
    /* Strategic merge patch on a built-in kind; a JSON patch. */
    { "PATCH", "/api/v1/namespaces/ci/configmaps/m", "application/strategic-merge-patch+json",
      "{\"data\":{\"s\":\"1\"}}", 200, NULL },
    { "PATCH", "/api/v1/namespaces/ci/configmaps/m", "application/json-patch+json",
      "[{\"op\":\"test\",\"path\":\"/data/s\",\"value\":\"1\"},"
      "{\"op\":\"replace\",\"path\":\"/data/s\",\"value\":\"2\"},"
      "{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"a\"]},"
      "{\"op\":\"add\",\"path\":\"/metadata/finalizers/0\",\"value\":\"b\"},"
      "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/1\"}]", 200, NULL },
    { "PATCH", "/api/v1/namespaces/ci/configmaps/m", "application/json-patch+json",
      "[{\"op\":\"test\",\"path\":\"/data/s\",\"value\":\"1\"}]", 422, "Invalid" },
    /* Discovery. */
    { "GET", "/version", NULL, NULL, 200, NULL },
    { "GET", "/api", NULL, NULL, 200, NULL },
    { "GET", "/apis", NULL, NULL, 200, NULL },
    { "GET", "/apis/actions.github.com/v1alpha1", NULL, NULL, 200, NULL },
    { "GET", "/apis/actions.github.com/v1beta1", NULL, NULL, 404, "NotFound" },
  };
  g_autofree char *configmap = NULL;
  g_autoptr(JsonNode) after_json_patch = NULL;

  add_namespace (server, "ci");
  configmap = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                     "\"metadata\":{\"name\":\"m\",\"namespace\":\"ci\"}}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) reply = NULL;
      guint status = raw_request (server, cases[i].method, cases[i].path, cases[i].content_type,
                                  cases[i].body, &reply);

      if (status != cases[i].status)
        {
          g_autofree char *text = json_to_string (reply, FALSE);

          g_error ("%s %s: expected %u, got %u: %s", cases[i].method, cases[i].path,
                   cases[i].status, status, text);
        }
      if (cases[i].reason != NULL)
        {
          g_assert_cmpstr (str_at (reply, "kind"), ==, "Status");
          g_assert_cmpstr (str_at (reply, "status"), ==, "Failure");
          g_assert_cmpstr (str_at (reply, "reason"), ==, cases[i].reason);
          g_assert_cmpint (int_at (reply, "code"), ==, cases[i].status);
          g_assert_nonnull (str_at (reply, "message"));
        }
    }

  after_json_patch = dr_fake_apiserver_get_object (server, configmap);
  g_assert_cmpstr (str_at (after_json_patch, "data.s"), ==, "2");
  {
    JsonArray *finalizers = json_object_get_array_member (
      json_object_get_object_member (json_node_get_object (after_json_patch), "metadata"),
      "finalizers");

    g_assert_cmpuint (json_array_get_length (finalizers), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (finalizers, 0), ==, "b");
  }

  /* The unknown-kind 404 goes through the client as DR_ERROR_NOT_FOUND. */
  {
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kube_get (client, "/api/v1/widgets", &error);
    g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "could not find the requested resource"));
  }
}

static void
test_fake_store (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  g_autofree char *ns_path = dr_kube_path ("v1", "namespaces", NULL, "arc-runners");
  g_autofree char *owner = NULL;
  g_autofree char *dependent = NULL;
  g_autofree char *held = NULL;
  g_autofree char *dependent_text = NULL;
  g_autoptr(JsonNode) owner_node = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint64 last_rv = 0;

  add_namespace (server, "arc-runners");
  owner = dr_fake_apiserver_add (server, "{\"apiVersion\":\"actions.github.com/v1alpha1\","
                                 "\"kind\":\"EphemeralRunnerSet\",\"metadata\":{\"name\":\"set\","
                                 "\"namespace\":\"arc-runners\"},\"spec\":{\"replicas\":1}}");
  owner_node = dr_fake_apiserver_get_object (server, owner);
  dependent_text = g_strdup_printf ("{\"apiVersion\":\"actions.github.com/v1alpha1\","
                                    "\"kind\":\"EphemeralRunner\",\"metadata\":{\"name\":\"r\","
                                    "\"namespace\":\"arc-runners\",\"ownerReferences\":[{"
                                    "\"apiVersion\":\"actions.github.com/v1alpha1\","
                                    "\"kind\":\"EphemeralRunnerSet\",\"name\":\"set\","
                                    "\"uid\":\"%s\"}]},\"spec\":{}}",
                                    str_at (owner_node, "metadata.uid"));
  dependent = dr_fake_apiserver_add (server, dependent_text);
  held = dr_fake_apiserver_add (server, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                "\"metadata\":{\"name\":\"held\",\"namespace\":\"arc-runners\","
                                "\"finalizers\":[\"deskrun.io/test\"]}}");

  /* Deleting the owner takes its dependents along. */
  node = kube_delete (client, owner, DR_KUBE_PROPAGATION_BACKGROUND, DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_assert_null (dr_fake_apiserver_get_object (server, owner));
  g_assert_null (dr_fake_apiserver_get_object (server, dependent));

  /* A namespace terminates: content without finalizers goes, new content is refused, and it
   * goes itself when the last finalizer is removed. */
  node = kube_delete (client, ns_path, DR_KUBE_PROPAGATION_DEFAULT, DR_KUBE_WRITE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (str_at (node, "status.phase"), ==, "Terminating");
  g_clear_pointer (&node, json_node_unref);
  node = kube_create (client, "/api/v1/namespaces/arc-runners/configmaps",
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n\"}}",
                      DR_KUBE_WRITE_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, DR_ERROR, DR_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* No new finalizers on an object that is being deleted. */
  node = kube_patch (client, held, "{\"metadata\":{\"finalizers\":[\"deskrun.io/test\",\"x\"]}}",
                     DR_KUBE_WRITE_NONE, &error);
  g_assert_null (node);
  g_assert_error (error, DR_ERROR, DR_ERROR_UNPROCESSABLE);
  g_clear_error (&error);

  node = kube_patch (client, held, "{\"metadata\":{\"finalizers\":[]}}", DR_KUBE_WRITE_NONE,
                     &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_assert_null (dr_fake_apiserver_get_object (server, held));
  g_assert_null (dr_fake_apiserver_get_object (server, ns_path));
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (server), ==, 0);

  /* The event log: one global, strictly increasing resourceVersion; every object's life
   * starts with ADDED and ends with DELETED. */
  for (guint i = 0; i < dr_fake_apiserver_get_n_events (server); i++)
    {
      const DrFakeEvent *event = dr_fake_apiserver_get_event (server, i);
      g_autofree char *rv = g_strdup_printf ("%" G_GUINT64_FORMAT, event->resource_version);

      g_assert_cmpuint (event->resource_version, >, last_rv);
      g_assert_cmpstr (str_at (event->object, "metadata.resourceVersion"), ==, rv);
      last_rv = event->resource_version;
    }
  g_assert_cmpuint (last_rv, ==, dr_fake_apiserver_get_resource_version (server));
  g_assert_cmpstr (dr_fake_apiserver_get_event (server, 0)->type, ==, "ADDED");
  g_assert_cmpstr (dr_fake_apiserver_get_event (server, 0)->path, ==, ns_path);
  g_assert_cmpstr (dr_fake_apiserver_get_event (server,
                                                dr_fake_apiserver_get_n_events (server) - 1)->type,
                   ==, "DELETED");
}

/* Health endpoints answer text, not objects; errors are still errors. */
static void
test_get_raw (void)
{
  g_autoptr(DrFakeApiserver) server = plain_server ();
  g_autoptr(DrKubeClient) client = client_for (server, NULL);
  const DrFakeRequest *request;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = NULL;

    dr_fake_apiserver_reply_next (server, 200, "text/plain", "ok");
    body = kube_get_raw (client, "/readyz", &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "ok", 2);
    request = dr_fake_apiserver_get_last_request (server);
    g_assert_cmpstr (request->method, ==, "GET");
    g_assert_cmpstr (request->path, ==, "/readyz");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = NULL;

    dr_fake_apiserver_reply_next (server, 500, "text/plain",
                                  "[-]etcd failed: reason withheld\nreadyz check failed");
    body = kube_get_raw (client, "/readyz", &error);
    g_assert_null (body);
    g_assert_error (error, DR_ERROR, DR_ERROR_SERVER);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = kube_get_raw (client, "/readyz", &error);

    /* The fake serves no health endpoint of its own. */
    g_assert_null (body);
    g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  dr_test_init (&argc, &argv);

  right_pki = dr_test_pki_new ("right");
  wrong_pki = dr_test_pki_new ("wrong");

  g_test_add_func ("/deskrun/kube-client/path", test_path);
  g_test_add_func ("/deskrun/kube-client/bad-config", test_bad_config);
  g_test_add_func ("/deskrun/kube-client/crud", test_crud);
  g_test_add_func ("/deskrun/kube-client/get-raw", test_get_raw);
  g_test_add_func ("/deskrun/kube-client/list", test_list);
  g_test_add_func ("/deskrun/kube-client/apply", test_apply);
  g_test_add_func ("/deskrun/kube-client/merge-patch", test_merge_patch);
  g_test_add_func ("/deskrun/kube-client/delete-finalizers", test_delete_finalizers);
  g_test_add_func ("/deskrun/kube-client/dry-run", test_dry_run);
  g_test_add_func ("/deskrun/kube-client/errors", test_errors);
  g_test_add_func ("/deskrun/kube-client/retry-after", test_retry_after);
  g_test_add_func ("/deskrun/kube-client/deep-reply", test_deep_reply);
  g_test_add_func ("/deskrun/kube-client/unbounded-replies", test_unbounded_replies);
  g_test_add_func ("/deskrun/kube-client/retry-cancelled", test_retry_cancelled);
  g_test_add_func ("/deskrun/kube-client/cancel", test_cancel);
  g_test_add_func ("/deskrun/kube-client/unreachable", test_unreachable);
  g_test_add_func ("/deskrun/kube-client/tls/right-ca", test_tls_right_ca);
  g_test_add_func ("/deskrun/kube-client/tls/refused", test_tls_refused);
  g_test_add_func ("/deskrun/kube-client/tls/ca-bundle", test_tls_ca_bundle);
  g_test_add_func ("/deskrun/kube-client/tls/insecure", test_tls_insecure);
  g_test_add_func ("/deskrun/kube-client/tls/client-certificate", test_client_certificate);
  g_test_add_func ("/deskrun/kube-client/bearer-token", test_bearer_token);
  g_test_add_func ("/deskrun/kube-client/fake/strict", test_fake_strict);
  g_test_add_func ("/deskrun/kube-client/fake/store", test_fake_store);

  status = g_test_run ();

  g_clear_pointer (&right_pki, dr_test_pki_free);
  g_clear_pointer (&wrong_pki, dr_test_pki_free);
  return status;
}
