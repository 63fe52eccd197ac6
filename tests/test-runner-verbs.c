/* test-runner-verbs.c — the engine's runner verbs (apply, prune, scale, remove) against the
 * fake API server
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsecret/secret.h>

#include "dr-arc-render.h"
#include "dr-cluster-private.h"
#include "dr-engine-private.h"
#include "dr-error.h"
#include "dr-fake-apiserver.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

#define FAKE_TOKEN    "ghp_clustertest0123456789abcdefghijklmnop"
#define ARS_FINALIZER "autoscalingrunnerset.actions.github.com/finalizer"
#define ARS_PATH      "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/" \
                      "autoscalingrunnersets/web"
#define WAIT_MS       20000

typedef struct
{
  DrFakeApiserver *server;
  DrKubeClient    *client;     /* the engine's */
  DrKubeClient    *test;       /* the test's own, to act as the controller would */
  DrEngine        *engine;
} Fixture;

/* ---- Helpers ----------------------------------------------------------------------------- */

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main loop until @cond holds; a slow tick keeps the deadline checked while
 * nothing else happens. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_MS * 1000; \
    guint tick_ = g_timeout_add (50, tick_cb, NULL); \
    while (!(cond)) \
      { \
        g_assert_cmpint (g_get_monotonic_time (), <, deadline_); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

/* The engine watches four collections while connected; once their watches are open it
 * makes no request of its own, so request counts and injected faults belong to the verb
 * under test. */
static void
wait_watching (Fixture *fixture)
{
  WAIT_FOR (dr_fake_apiserver_get_n_watches (fixture->server) >= 4);
}

/* Requests that change something. */
static guint
count_writes (DrFakeApiserver *server)
{
  return dr_fake_apiserver_count_requests (server, "PATCH", NULL) +
         dr_fake_apiserver_count_requests (server, "POST", NULL) +
         dr_fake_apiserver_count_requests (server, "PUT", NULL) +
         dr_fake_apiserver_count_requests (server, "DELETE", NULL);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

/* Waits for @operation to finish and returns its state. */
static DrOperationState
wait_operation (DrOperation *operation)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_operation_wait_async (operation, NULL, dr_test_store_result_cb, &result);
  dr_operation_wait_finish (operation, wait_result (&result), NULL);
  return dr_operation_get_state (operation);
}

static void
assert_succeeds (DrOperation *operation)
{
  DrOperationState state = wait_operation (operation);
  g_autofree char *log = dr_operation_dup_log (operation);

  if (state != DR_OPERATION_SUCCEEDED)
    g_test_message ("log of “%s”:\n%s", dr_operation_get_title (operation), log);
  g_assert_no_error ((GError *) dr_operation_get_error (operation));
  g_assert_cmpint (state, ==, DR_OPERATION_SUCCEEDED);
  /* Whatever happened, the token never reaches the log. */
  g_assert_null (strstr (log, FAKE_TOKEN));
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms, so whatever the engine would do meanwhile happens. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static JsonNode *
patch_sync (DrKubeClient *client,
            const char   *path,
            const char   *json)
{
  g_autoptr(JsonNode) patch = json_from_string (json, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *reply;

  dr_kube_client_merge_patch_async (client, path, patch, DR_KUBE_WRITE_NONE, NULL,
                                    dr_test_store_result_cb, &result);
  reply = dr_kube_client_merge_patch_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return reply;
}

static DrRunnerSpec *
make_spec (const char *name,
           guint       instances)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  spec->instances = instances;
  spec->min_runners = 0;
  spec->max_runners = 3;
  if (instances > 1)
    spec->min_runners = spec->max_runners = 1;
  return spec;
}

static void
add_runner (Fixture    *fixture,
            const char *name,
            guint       instances)
{
  g_autoptr(DrRunnerSpec) spec = make_spec (name, instances);
  g_autoptr(DrCredential) credential = dr_credential_new_pat (FAKE_TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(GError) error = NULL;

  dr_engine_add_runner_async (fixture->engine, spec, credential, NULL, dr_test_store_result_cb,
                              &result);
  runner = dr_engine_add_runner_finish (fixture->engine, wait_result (&result), &error);
  g_assert_no_error (error);
}

/* Adds runner @name with one mount, "@source:/data". */
static void
add_runner_with_mount (Fixture    *fixture,
                       const char *name,
                       const char *source)
{
  g_autoptr(DrRunnerSpec) spec = make_spec (name, 1);
  g_autoptr(DrCredential) credential = dr_credential_new_pat (FAKE_TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (spec->mounts, dr_mount_new (source, "/data",
                                               DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  dr_engine_add_runner_async (fixture->engine, spec, credential, NULL, dr_test_store_result_cb,
                              &result);
  runner = dr_engine_add_runner_finish (fixture->engine, wait_result (&result), &error);
  g_assert_no_error (error);
}

/* The node path of volume "mount-0" in the pod template of the applied scale set @name. */
static char *
dup_applied_mount_path (Fixture    *fixture,
                        const char *name)
{
  g_autofree char *path = g_strconcat ("/apis/actions.github.com/v1alpha1/namespaces/"
                                       "arc-runners/autoscalingrunnersets/", name, NULL);
  g_autoptr(JsonNode) ars = dr_fake_apiserver_get_object (fixture->server, path);
  JsonObject *template;
  JsonArray *volumes;

  g_assert_nonnull (ars);
  template = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (ars), "spec"), "template");
  volumes = json_object_get_array_member (json_object_get_object_member (template, "spec"),
                                          "volumes");
  for (guint i = 0; i < json_array_get_length (volumes); i++)
    {
      JsonObject *volume = json_array_get_object_element (volumes, i);

      if (g_str_equal (json_object_get_string_member (volume, "name"), "mount-0"))
        return g_strdup (json_object_get_string_member (
          json_object_get_object_member (volume, "hostPath"), "path"));
    }
  g_assert_not_reached ();
  return NULL;
}

/* What an apply of @name should create, as paths on the API server. */
static GPtrArray *
rendered_paths (Fixture    *fixture,
                const char *name)
{
  DrRunnerSpec *spec = dr_config_lookup_runner (dr_engine_get_config (fixture->engine), name);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  objects = dr_arc_render_runner (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  refs = dr_arc_deletion_order (objects);
  for (guint i = 0; i < refs->len; i++)
    {
      DrArcObjectRef *ref = g_ptr_array_index (refs, i);
      g_autofree char *lower = g_ascii_strdown (ref->kind, -1);
      g_autofree char *plural = g_strconcat (lower, "s", NULL);

      g_ptr_array_add (paths, dr_kube_path (ref->api_version, plural, ref->namespace_,
                                            ref->name));
    }
  return paths;
}

static gboolean
has_object (DrFakeApiserver *server,
            const char      *path)
{
  g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (server, path);

  return node != NULL;
}

static gboolean
is_terminating (DrFakeApiserver *server,
                const char      *path)
{
  g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (server, path);
  JsonObject *metadata;

  if (node == NULL)
    return FALSE;
  metadata = json_object_get_object_member (json_node_get_object (node), "metadata");
  return json_object_has_member (metadata, "deletionTimestamp");
}

static char *
dup_uid (DrFakeApiserver *server,
         const char      *path)
{
  g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (server, path);

  g_assert_nonnull (node);
  return g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (node), "metadata"), "uid"));
}

/* The index of the first request with @method on @path, or -1. */
static int
first_request (DrFakeApiserver *server,
               const char      *method,
               const char      *path)
{
  guint n = dr_fake_apiserver_count_requests (server, NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path))
        return (int) i;
    }
  return -1;
}

static void
apply_web (Fixture *fixture)
{
  g_autoptr(DrOperation) op = dr_engine_apply_runner (fixture->engine, "web");

  assert_succeeds (op);
}

/* What ARC's controller does when it has deregistered a scale set (FACTS.md §2.8): strip the
 * cleanup finalizers of the helpers, then its own. */
static void
act_as_controller_releasing (Fixture    *fixture,
                             GPtrArray  *paths)
{
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(JsonNode) reply = NULL;

      if (strstr (path, "autoscalingrunnersets") != NULL)
        continue;
      reply = patch_sync (fixture->test, path, "{\"metadata\": {\"finalizers\": null}}");
    }
  {
    g_autoptr(JsonNode) reply = patch_sync (fixture->test, ARS_PATH,
                                            "{\"metadata\": {\"finalizers\": null}}");
  }
}

/* Changes the configured runner "web" as an edit would, without applying it. */
static void
reconfigure_web (Fixture         *fixture,
                 guint            instances,
                 DrContainerMode  mode)
{
  DrConfig *config = dr_engine_get_config (fixture->engine);
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_copy (dr_config_lookup_runner (config, "web"));
  g_autoptr(GError) error = NULL;

  spec->instances = instances;
  spec->mode = mode;
  spec->min_runners = instances > 1 ? 1 : 0;
  spec->max_runners = instances > 1 ? 1 : 3;
  g_assert_true (dr_config_put_runner (config, spec, &error));
  g_assert_no_error (error);
}

static gboolean
has_path (GPtrArray  *paths,
          const char *path)
{
  for (guint i = 0; i < paths->len; i++)
    if (g_str_equal (g_ptr_array_index (paths, i), path))
      return TRUE;
  return FALSE;
}

/* ---- Fixture ----------------------------------------------------------------------------- */

static DrKubeClient *
new_client (DrFakeApiserver *server)
{
  DrKubeContext context = { 0, };
  g_autoptr(GError) error = NULL;
  DrKubeClient *client;

  context.context_name = (char *) "fake";
  context.server = (char *) dr_fake_apiserver_get_url (server);
  client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);
  return client;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  dr_fake_apiserver_register_defaults (fixture->server);
  fixture->client = new_client (fixture->server);
  fixture->test = new_client (fixture->server);
  fixture->engine = dr_engine_new (NULL, NULL);
  dr_engine_load (fixture->engine);
  add_runner (fixture, "web", 1);
  dr_engine_set_kube_client (fixture->engine, fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->test);
  g_clear_pointer (&fixture->server, dr_fake_apiserver_free);
}

/* ---- Apply ------------------------------------------------------------------------------- */

static void
test_apply (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = rendered_paths (fixture, "web");
  g_autoptr(DrRunnerSpec) bigger = NULL;
  g_autoptr(DrOperation) again = NULL;
  g_autoptr(JsonNode) ars = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *uid_after = NULL;
  g_autofree char *log = NULL;
  g_autoptr(DrOperation) op = dr_engine_apply_runner (fixture->engine, "web");

  assert_succeeds (op);
  log = dr_operation_dup_log (op);
  g_assert_nonnull (strstr (log, "secret/web-gha-rs-github-secret applied"));
  g_assert_nonnull (strstr (log, "autoscalingrunnerset/web applied"));

  /* Exactly the rendered objects, and the namespace they live in. */
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (fixture->server,
                                                               g_ptr_array_index (paths, i));

      g_assert_nonnull (node);
    }
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (fixture->server), ==, paths->len + 1);
  g_assert_true (has_object (fixture->server, "/api/v1/namespaces/arc-runners"));
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "PATCH", NULL), ==,
                    paths->len + 1);

  /* A second apply with a new max updates in place: same objects, same uid. */
  uid = dup_uid (fixture->server, ARS_PATH);
  bigger = dr_runner_spec_copy (dr_config_lookup_runner (dr_engine_get_config (fixture->engine),
                                                         "web"));
  bigger->max_runners = 7;
  g_assert_true (dr_config_put_runner (dr_engine_get_config (fixture->engine), bigger, &error));
  g_assert_no_error (error);
  again = dr_engine_apply_runner (fixture->engine, "web");
  assert_succeeds (again);

  uid_after = dup_uid (fixture->server, ARS_PATH);
  g_assert_cmpstr (uid, ==, uid_after);
  ars = dr_fake_apiserver_get_object (fixture->server, ARS_PATH);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (ars), "spec"), "maxRunners"), ==, 7);
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (fixture->server), ==, paths->len + 1);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "PUT", NULL), ==, 0);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "POST", NULL), ==, 0);
}

static void
test_apply_instances (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(DrOperation) op = NULL;

  add_runner (fixture, "nix", 2);
  paths = rendered_paths (fixture, "nix");
  op = dr_engine_apply_runner (fixture->engine, "nix");
  assert_succeeds (op);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (fixture->server,
                                                               g_ptr_array_index (paths, i));

      g_assert_nonnull (node);
    }
  g_assert_true (has_object (fixture->server,
                             "/apis/actions.github.com/v1alpha1/namespaces/"
                             "arc-runners/autoscalingrunnersets/nix-2"));
}

/* A cluster without ARC's CRDs: the apply says what is missing. */
static void
test_apply_without_arc (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(DrFakeApiserver) bare = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrOperation) op = NULL;
  const GError *error;

  dr_fake_apiserver_register (bare, "v1", "Namespace", "namespaces", FALSE);
  dr_fake_apiserver_register (bare, "v1", "Secret", "secrets", TRUE);
  dr_fake_apiserver_register (bare, "v1", "ServiceAccount", "serviceaccounts", TRUE);
  dr_fake_apiserver_register (bare, "v1", "Pod", "pods", TRUE);
  dr_fake_apiserver_register (bare, "rbac.authorization.k8s.io/v1", "Role", "roles", TRUE);
  dr_fake_apiserver_register (bare, "rbac.authorization.k8s.io/v1", "RoleBinding",
                              "rolebindings", TRUE);
  client = new_client (bare);
  dr_engine_set_kube_client (fixture->engine, client);

  op = dr_engine_apply_runner (fixture->engine, "web");
  g_assert_cmpint (wait_operation (op), ==, DR_OPERATION_FAILED);
  error = dr_operation_get_error (op);
  g_test_message ("%s", error->message);
  g_assert_true (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND));
  g_assert_nonnull (strstr (error->message, "autoscalingrunnerset/web"));
  g_assert_nonnull (strstr (error->message, "controller"));
  dr_engine_set_kube_client (fixture->engine, NULL);
}

/* In a kind cluster a mount source is a folder of this computer, rendered where the node
 * sees it; one the cluster does not share is refused with what to do (FACTS.md §2.10). */
static void
test_apply_mounts_kind (Fixture       *fixture,
                        gconstpointer  data)
{
  DrCluster *cluster = dr_engine_get_cluster (fixture->engine);
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", NULL);
  g_autofree char *npm = g_build_filename (g_get_user_cache_dir (), "deskrun", "npm", NULL);
  g_autofree char *node_path = NULL;
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) refused = NULL;
  const DrMount *mount;
  const GError *error;

  g_assert_true (dr_cluster_is_kind (cluster));
  _dr_cluster_set_kind_config (cluster, config);

  add_runner_with_mount (fixture, "cache", npm);
  op = dr_engine_apply_runner (fixture->engine, "cache");
  assert_succeeds (op);
  node_path = dup_applied_mount_path (fixture, "cache");
  g_assert_cmpstr (node_path, ==, DR_KIND_NODE_CACHE_DIR "/npm");
  /* Only what is rendered is translated: the configuration keeps the folder. */
  mount = g_ptr_array_index (dr_config_lookup_runner (dr_engine_get_config (fixture->engine),
                                                      "cache")->mounts, 0);
  g_assert_cmpstr (mount->source, ==, npm);

  add_runner_with_mount (fixture, "data", "/srv/data");
  refused = dr_engine_apply_runner (fixture->engine, "data");
  g_assert_cmpint (wait_operation (refused), ==, DR_OPERATION_FAILED);
  error = dr_operation_get_error (refused);
  g_test_message ("%s", error->message);
  g_assert_true (g_error_matches (error, DR_ERROR, DR_ERROR_INVALID));
  g_assert_nonnull (strstr (error->message, "/srv/data"));
  g_assert_nonnull (strstr (error->message, "re-create"));
  g_assert_false (has_object (fixture->server,
                              "/apis/actions.github.com/v1alpha1/namespaces/"
                              "arc-runners/autoscalingrunnersets/data"));
}

/* Where the node's mounts are not known, or the cluster is not kind (its hostPaths are
 * paths on its own nodes), sources are rendered as they are. */
static void
test_apply_mounts_unchanged (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(DrCluster) context = dr_cluster_new_for_context ("/nonexistent/kubeconfig", NULL);
  g_autofree char *unknown_path = NULL;
  g_autofree char *context_path = NULL;

  add_runner_with_mount (fixture, "data", "/srv/data");

  /* A kind cluster whose mounts were not read (yet). */
  g_assert_null (dr_cluster_get_kind_config (dr_engine_get_cluster (fixture->engine)));
  {
    g_autoptr(DrOperation) op = dr_engine_apply_runner (fixture->engine, "data");

    assert_succeeds (op);
  }
  unknown_path = dup_applied_mount_path (fixture, "data");
  g_assert_cmpstr (unknown_path, ==, "/srv/data");

  /* A kubeconfig context. */
  dr_engine_set_cluster (fixture->engine, context);
  dr_engine_set_kube_client (fixture->engine, fixture->client);
  wait_watching (fixture);
  {
    g_autoptr(DrOperation) op = dr_engine_apply_runner (fixture->engine, "data");

    assert_succeeds (op);
  }
  context_path = dup_applied_mount_path (fixture, "data");
  g_assert_cmpstr (context_path, ==, "/srv/data");
}

static void
test_not_connected (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DrOperation) apply = NULL;
  g_autoptr(DrOperation) down = NULL;
  g_autoptr(DrOperation) missing = NULL;

  dr_engine_set_kube_client (fixture->engine, NULL);
  g_assert_null (dr_engine_get_kube_client (fixture->engine));

  apply = dr_engine_apply_runner (fixture->engine, "web");
  g_assert_cmpint (dr_operation_get_state (apply), ==, DR_OPERATION_FAILED);
  g_assert_true (g_error_matches (dr_operation_get_error (apply), G_IO_ERROR,
                                  G_IO_ERROR_NOT_CONNECTED));
  g_assert_nonnull (strstr (dr_operation_get_error (apply)->message, "Not connected"));

  down = dr_engine_remove_all_from_cluster (fixture->engine);
  g_assert_cmpint (dr_operation_get_state (down), ==, DR_OPERATION_FAILED);

  dr_engine_set_kube_client (fixture->engine, fixture->client);
  missing = dr_engine_apply_runner (fixture->engine, "nope");
  g_assert_cmpint (dr_operation_get_state (missing), ==, DR_OPERATION_FAILED);
  g_assert_true (g_error_matches (dr_operation_get_error (missing), DR_ERROR,
                                  DR_ERROR_NOT_FOUND));
  g_assert_cmpuint (count_writes (fixture->server), ==, 0);
}

static void
cancel_after_first_object_cb (DrOperation *operation,
                              const char  *line,
                              gpointer     user_data)
{
  if (g_str_has_suffix (line, " applied") && !g_str_has_prefix (line, "namespace/"))
    dr_operation_cancel (operation);
}

static void
test_apply_cancel (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = rendered_paths (fixture, "web");
  g_autoptr(DrOperation) op = dr_engine_apply_runner (fixture->engine, "web");

  g_signal_connect (op, "log", G_CALLBACK (cancel_after_first_object_cb), NULL);
  g_assert_cmpint (wait_operation (op), ==, DR_OPERATION_CANCELLED);
  g_assert_true (g_error_matches (dr_operation_get_error (op), G_IO_ERROR,
                                  G_IO_ERROR_CANCELLED));
  /* The namespace and one object; the scale set, applied last, never. */
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (fixture->server), ==, 2);
  g_assert_null (dr_fake_apiserver_get_object (fixture->server, ARS_PATH));
}

static void
test_apply_failure_hides_secret (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *log = NULL;

  /* The namespace goes through; the Secret is refused with a message quoting its value, as
   * a careless server might. */
  wait_watching (fixture);
  dr_fake_apiserver_reply_next (fixture->server, 200, "application/json",
                                "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                "\"metadata\": {\"name\": \"arc-runners\"}}");
  dr_fake_apiserver_fail_next (fixture->server, 422, "Secret is invalid: github_token: "
                               "Invalid value: \"" FAKE_TOKEN "\"", -1);
  op = dr_engine_apply_runner (fixture->engine, "web");
  g_assert_cmpint (wait_operation (op), ==, DR_OPERATION_FAILED);
  g_assert_nonnull (strstr (dr_operation_get_error (op)->message,
                            "secret/web-gha-rs-github-secret"));
  g_assert_null (strstr (dr_operation_get_error (op)->message, FAKE_TOKEN));
  log = dr_operation_dup_log (op);
  g_assert_null (strstr (log, FAKE_TOKEN));
}

/* ---- Scale ------------------------------------------------------------------------------- */

static void
test_scale (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(JsonNode) ars = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *uid_after = NULL;
  const DrFakeRequest *request;
  DrRunnerSpec *spec;
  JsonObject *spec_object;
  guint before;

  apply_web (fixture);
  uid = dup_uid (fixture->server, ARS_PATH);
  wait_watching (fixture);
  before = dr_fake_apiserver_count_requests (fixture->server, NULL, NULL);

  op = dr_engine_scale_runner (fixture->engine, "web", 1, 5);
  assert_succeeds (op);

  /* One merge patch on the scale set, with minRunners and maxRunners only. */
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, NULL, NULL), ==,
                    before + 1);
  request = dr_fake_apiserver_get_request (fixture->server, before);
  g_assert_cmpstr (request->method, ==, "PATCH");
  g_assert_cmpstr (request->path, ==, ARS_PATH);
  g_assert_cmpstr (request->content_type, ==, "application/merge-patch+json");
  body = json_from_string (g_bytes_get_data (request->body, NULL), NULL);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (body)), ==, 1);
  spec_object = json_object_get_object_member (json_node_get_object (body), "spec");
  g_assert_cmpuint (json_object_get_size (spec_object), ==, 2);
  g_assert_cmpint (json_object_get_int_member (spec_object, "minRunners"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (spec_object, "maxRunners"), ==, 5);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "PUT", NULL), ==, 0);

  ars = dr_fake_apiserver_get_object (fixture->server, ARS_PATH);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (ars), "spec"), "maxRunners"), ==, 5);
  uid_after = dup_uid (fixture->server, ARS_PATH);
  g_assert_cmpstr (uid, ==, uid_after);

  /* And saved. */
  spec = dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web");
  g_assert_cmpuint (spec->min_runners, ==, 1);
  g_assert_cmpuint (spec->max_runners, ==, 5);
  g_assert_cmpuint (dr_runner_get_spec (dr_engine_lookup_runner (fixture->engine,
                                                                 "web"))->max_runners, ==, 5);
}

static void
test_scale_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DrOperation) backwards = NULL;
  g_autoptr(DrOperation) instances = NULL;
  g_autoptr(DrOperation) offline = NULL;
  g_autofree char *log = NULL;

  backwards = dr_engine_scale_runner (fixture->engine, "web", 4, 2);
  g_assert_cmpint (dr_operation_get_state (backwards), ==, DR_OPERATION_FAILED);
  g_assert_true (g_error_matches (dr_operation_get_error (backwards), DR_ERROR,
                                  DR_ERROR_INVALID));

  add_runner (fixture, "nix", 3);
  instances = dr_engine_scale_runner (fixture->engine, "nix", 1, 2);
  g_assert_cmpint (dr_operation_get_state (instances), ==, DR_OPERATION_FAILED);
  g_assert_nonnull (strstr (dr_operation_get_error (instances)->message, "instances"));
  g_assert_cmpuint (count_writes (fixture->server), ==, 0);
  g_assert_cmpuint (dr_config_lookup_runner (dr_engine_get_config (fixture->engine),
                                             "web")->max_runners, ==, 3);

  /* Offline: saved, and the log says when it takes effect. */
  dr_engine_set_kube_client (fixture->engine, NULL);
  offline = dr_engine_scale_runner (fixture->engine, "web", 0, 9);
  assert_succeeds (offline);
  log = dr_operation_dup_log (offline);
  g_assert_nonnull (strstr (log, "next time the runner is applied"));
  g_assert_cmpuint (dr_config_lookup_runner (dr_engine_get_config (fixture->engine),
                                             "web")->max_runners, ==, 9);
}

/* ---- Prune ------------------------------------------------------------------------------- */

#define ARS_DIR "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/autoscalingrunnersets/"

/* Fewer instances: the scale set no longer configured goes the way a removal takes it, its
 * helpers only once it is gone; the others stay as they are. Then down to one. */
static void
test_prune_instances (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) three = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) again = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) released = NULL;
  g_autofree char *log = NULL;
  guint gone = 0;
  int ars_delete;

  reconfigure_web (fixture, 3, DR_CONTAINER_MODE_KUBERNETES);
  three = rendered_paths (fixture, "web");
  apply_web (fixture);
  wait_watching (fixture);

  reconfigure_web (fixture, 2, DR_CONTAINER_MODE_KUBERNETES);
  two = rendered_paths (fixture, "web");
  for (guint i = 0; i < two->len; i++)
    {
      g_assert_true (has_path (three, g_ptr_array_index (two, i)));
      g_ptr_array_add (uids, dup_uid (fixture->server, g_ptr_array_index (two, i)));
    }
  /* The controller's finalizer, as on a live ARS. */
  reply = patch_sync (fixture->test, ARS_DIR "web-3",
                      "{\"metadata\": {\"finalizers\": [\"" ARS_FINALIZER "\"]}}");

  op = dr_engine_apply_runner (fixture->engine, "web");
  WAIT_FOR (is_terminating (fixture->server, ARS_DIR "web-3"));
  /* While the controller deregisters the scale set, its helpers stay untouched. */
  spin (500);
  g_assert_false (dr_operation_is_finished (op));
  for (guint i = 0; i < three->len; i++)
    {
      const char *path = g_ptr_array_index (three, i);

      if (has_path (two, path) || g_str_equal (path, ARS_DIR "web-3"))
        continue;
      g_assert_true (strstr (path, "/web-3") != NULL);
      g_assert_true (has_object (fixture->server, path));
      g_assert_false (is_terminating (fixture->server, path));
      g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", path), ==,
                        0);
      gone++;
    }
  g_assert_cmpuint (gone, >, 0);

  released = patch_sync (fixture->test, ARS_DIR "web-3", "{\"metadata\": {\"finalizers\": null}}");
  assert_succeeds (op);

  log = dr_operation_dup_log (op);
  g_assert_nonnull (strstr (log, "Removing scale set web-3, no longer configured"));
  ars_delete = first_request (fixture->server, "DELETE", ARS_DIR "web-3");
  g_assert_cmpint (ars_delete, >=, 0);
  for (guint i = 0; i < three->len; i++)
    {
      const char *path = g_ptr_array_index (three, i);

      if (has_path (two, path))
        continue;
      g_assert_false (has_object (fixture->server, path));
      if (!g_str_equal (path, ARS_DIR "web-3"))
        g_assert_cmpint (first_request (fixture->server, "DELETE", path), >, ars_delete);
    }
  /* web-1 and web-2 are the same objects as before, never deleted. */
  for (guint i = 0; i < two->len; i++)
    {
      const char *path = g_ptr_array_index (two, i);
      g_autofree char *uid = dup_uid (fixture->server, path);

      g_assert_cmpstr (uid, ==, g_ptr_array_index (uids, i));
      g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", path), ==,
                        0);
    }
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (fixture->server), ==, two->len + 1);

  /* One instance is the scale set "web": web-1 and web-2 go. */
  reconfigure_web (fixture, 1, DR_CONTAINER_MODE_KUBERNETES);
  one = rendered_paths (fixture, "web");
  again = dr_engine_apply_runner (fixture->engine, "web");
  assert_succeeds (again);
  for (guint i = 0; i < two->len; i++)
    g_assert_false (has_object (fixture->server, g_ptr_array_index (two, i)));
  for (guint i = 0; i < one->len; i++)
    g_assert_true (has_object (fixture->server, g_ptr_array_index (one, i)));
  g_assert_true (has_object (fixture->server, ARS_DIR "web"));
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (fixture->server), ==, one->len + 1);
}

/* dind to kubernetes: the no-permission ServiceAccount goes, the kube-mode objects come,
 * the scale set is updated in place. */
static void
test_prune_mode (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *no_permission = "/api/v1/namespaces/arc-runners/serviceaccounts/"
                              "web-gha-rs-no-permission";
  g_autoptr(GPtrArray) kube = NULL;
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *uid_after = NULL;
  g_autofree char *log = NULL;

  reconfigure_web (fixture, 1, DR_CONTAINER_MODE_DIND);
  apply_web (fixture);
  g_assert_true (has_object (fixture->server, no_permission));
  uid = dup_uid (fixture->server, ARS_PATH);

  reconfigure_web (fixture, 1, DR_CONTAINER_MODE_KUBERNETES);
  kube = rendered_paths (fixture, "web");
  g_assert_false (has_path (kube, no_permission));
  op = dr_engine_apply_runner (fixture->engine, "web");
  assert_succeeds (op);

  g_assert_false (has_object (fixture->server, no_permission));
  for (guint i = 0; i < kube->len; i++)
    g_assert_true (has_object (fixture->server, g_ptr_array_index (kube, i)));
  g_assert_true (has_object (fixture->server, "/api/v1/namespaces/arc-runners/"
                                              "serviceaccounts/web-gha-rs-kube-mode"));
  g_assert_true (has_object (fixture->server, "/apis/rbac.authorization.k8s.io/v1/namespaces/"
                                              "arc-runners/roles/web-gha-rs-kube-mode"));
  g_assert_true (has_object (fixture->server, "/apis/rbac.authorization.k8s.io/v1/namespaces/"
                                              "arc-runners/rolebindings/web-gha-rs-kube-mode"));
  uid_after = dup_uid (fixture->server, ARS_PATH);
  g_assert_cmpstr (uid, ==, uid_after);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", NULL), ==, 1);
  log = dr_operation_dup_log (op);
  g_assert_nonnull (strstr (log, "Removing serviceaccount/web-gha-rs-no-permission"));
}

/* A scale set that does not go fails the apply's operation as a stuck removal does, saying
 * the runner itself was updated; nothing else of it is touched. */
static void
test_prune_stuck (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const GError *error;

  _dr_engine_set_removal_timeout (fixture->engine, 400);
  reconfigure_web (fixture, 2, DR_CONTAINER_MODE_KUBERNETES);
  two = rendered_paths (fixture, "web");
  apply_web (fixture);
  reply = patch_sync (fixture->test, ARS_DIR "web-2",
                      "{\"metadata\": {\"finalizers\": [\"" ARS_FINALIZER "\"]}}");

  reconfigure_web (fixture, 1, DR_CONTAINER_MODE_KUBERNETES);
  one = rendered_paths (fixture, "web");
  op = dr_engine_apply_runner (fixture->engine, "web");
  g_assert_cmpint (wait_operation (op), ==, DR_OPERATION_FAILED);
  error = dr_operation_get_error (op);
  g_test_message ("stuck: %s", error->message);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_true (g_str_has_prefix (error->message, "The runner “web” was updated, but"));
  g_assert_nonnull (strstr (error->message, "arc-runners/web-2"));
  g_assert_nonnull (strstr (error->message, ARS_FINALIZER));
  g_assert_nonnull (strstr (error->message, "applying the runner again"));

  for (guint i = 0; i < one->len; i++)
    g_assert_true (has_object (fixture->server, g_ptr_array_index (one, i)));
  g_assert_true (is_terminating (fixture->server, ARS_DIR "web-2"));
  for (guint i = 0; i < two->len; i++)
    {
      const char *path = g_ptr_array_index (two, i);

      if (strstr (path, "/web-2") == NULL || g_str_equal (path, ARS_DIR "web-2"))
        continue;
      g_assert_true (has_object (fixture->server, path));
      g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", path), ==,
                        0);
    }
}

/* Runner "web-3" beside "web": its scale set is named like an instance of "web", and it is
 * never touched when "web" drops its instances. */
static void
test_prune_other_runner (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DrOperation) first = NULL;
  g_autoptr(DrOperation) op = NULL;

  add_runner (fixture, "web-3", 1);
  reconfigure_web (fixture, 2, DR_CONTAINER_MODE_KUBERNETES);
  first = dr_engine_apply_all (fixture->engine);
  assert_succeeds (first);
  other = rendered_paths (fixture, "web-3");
  for (guint i = 0; i < other->len; i++)
    g_ptr_array_add (uids, dup_uid (fixture->server, g_ptr_array_index (other, i)));
  g_assert_true (has_object (fixture->server, ARS_DIR "web-3"));

  reconfigure_web (fixture, 1, DR_CONTAINER_MODE_KUBERNETES);
  op = dr_engine_apply_runner (fixture->engine, "web");
  assert_succeeds (op);

  g_assert_false (has_object (fixture->server, ARS_DIR "web-1"));
  g_assert_false (has_object (fixture->server, ARS_DIR "web-2"));
  for (guint i = 0; i < other->len; i++)
    {
      const char *path = g_ptr_array_index (other, i);
      g_autofree char *uid = dup_uid (fixture->server, path);

      g_assert_cmpstr (uid, ==, g_ptr_array_index (uids, i));
      g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", path), ==,
                        0);
      g_assert_false (is_terminating (fixture->server, path));
    }
}

/* Only what deskrun made, and could have rendered, is pruned: not an object with the
 * runner's label that something else manages, nor one deskrun never names so. */
static void
test_prune_not_managed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *helm = NULL;
  g_autofree char *notes = NULL;
  g_autoptr(DrOperation) op = NULL;

  apply_web (fixture);
  helm = dr_fake_apiserver_add (fixture->server,
                                "{\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", "
                                "\"metadata\": {\"name\": \"web-gha-rs-no-permission\", "
                                "\"namespace\": \"arc-runners\", \"labels\": {"
                                "\"app.kubernetes.io/managed-by\": \"Helm\", "
                                "\"deskrun.io/runner\": \"web\", "
                                "\"actions.github.com/scale-set-name\": \"web\"}}}");
  notes = dr_fake_apiserver_add (fixture->server,
                                 "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
                                 "\"metadata\": {\"name\": \"web-notes\", "
                                 "\"namespace\": \"arc-runners\", \"labels\": {"
                                 "\"app.kubernetes.io/managed-by\": \"deskrun\", "
                                 "\"deskrun.io/runner\": \"web\", "
                                 "\"actions.github.com/scale-set-name\": \"web\"}}}");

  op = dr_engine_apply_runner (fixture->engine, "web");
  assert_succeeds (op);
  g_assert_true (has_object (fixture->server, helm));
  g_assert_true (has_object (fixture->server, notes));
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", NULL), ==, 0);
}

/* ---- Remove ------------------------------------------------------------------------------ */

static void
test_remove_order (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = rendered_paths (fixture, "web");
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint keyring_before;
  int ars_delete;

  apply_web (fixture);
  keyring_before = dr_test_count_keyring_items ();
  /* The controller's finalizer, as on a live ARS. */
  reply = patch_sync (fixture->test, ARS_PATH,
                      "{\"metadata\": {\"finalizers\": [\"" ARS_FINALIZER "\"]}}");

  op = dr_engine_remove_runner (fixture->engine, "web");
  while (!is_terminating (fixture->server, ARS_PATH))
    g_main_context_iteration (NULL, TRUE);
  /* While the controller deregisters the scale set, its helpers stay untouched. */
  spin (500);
  g_assert_false (dr_operation_is_finished (op));
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (fixture->server, path);

      g_assert_nonnull (node);
      if (!g_str_equal (path, ARS_PATH))
        {
          g_assert_false (is_terminating (fixture->server, path));
          g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "DELETE", path),
                            ==, 0);
        }
    }
  g_assert_nonnull (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));

  act_as_controller_releasing (fixture, paths);
  assert_succeeds (op);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (fixture->server,
                                                               g_ptr_array_index (paths, i));

      g_assert_null (node);
    }
  ars_delete = first_request (fixture->server, "DELETE", ARS_PATH);
  g_assert_cmpint (ars_delete, >=, 0);
  for (guint i = 0; i < paths->len; i++)
    if (!g_str_equal (g_ptr_array_index (paths, i), ARS_PATH))
      g_assert_cmpint (first_request (fixture->server, "DELETE", g_ptr_array_index (paths, i)),
                       >, ars_delete);
  g_assert_null (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));
  g_assert_null (dr_engine_lookup_runner (fixture->engine, "web"));
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, keyring_before - 1);
  /* The engine watched the scale set go; it never re-read it. */
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "GET", ARS_PATH), ==, 0);
}

/* No controller ran: the scale set goes at once, and the helpers' cleanup finalizer, which
 * nobody would strip any more, is released by deskrun (and says so). */
static void
test_remove_without_controller (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = rendered_paths (fixture, "web");
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *log = NULL;

  apply_web (fixture);
  op = dr_engine_remove_runner (fixture->engine, "web");
  assert_succeeds (op);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (fixture->server,
                                                               g_ptr_array_index (paths, i));

      g_assert_null (node);
    }
  log = dr_operation_dup_log (op);
  g_assert_nonnull (strstr (log, "cleanup finalizer"));
  g_assert_null (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));
}

static void
test_remove_stuck_then_force (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) paths = rendered_paths (fixture, "web");
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) force = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *er = NULL;
  g_autofree char *ers = NULL;
  g_autofree char *listener = NULL;
  g_autofree char *ns = NULL;
  g_autofree char *log = NULL;
  const GError *error;
  guint keyring_before;

  _dr_engine_set_removal_timeout (fixture->engine, 400);
  apply_web (fixture);
  keyring_before = dr_test_count_keyring_items ();
  reply = patch_sync (fixture->test, ARS_PATH,
                      "{\"metadata\": {\"finalizers\": [\"" ARS_FINALIZER "\"]}}");
  /* What the controller made from it, each held by its finalizers. */
  ns = dr_fake_apiserver_add (fixture->server,
                              "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                              "\"metadata\": {\"name\": \"arc-systems\"}}");
  ers = dr_fake_apiserver_add (fixture->server,
                               "{\"apiVersion\": \"actions.github.com/v1alpha1\", "
                               "\"kind\": \"EphemeralRunnerSet\", \"metadata\": {"
                               "\"name\": \"web-x7k2p\", \"namespace\": \"arc-runners\", "
                               "\"finalizers\": [\"ephemeralrunner.actions.github.com/finalizer\"],"
                               " \"labels\": {\"actions.github.com/scale-set-name\": \"web\", "
                               "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}}");
  er = dr_fake_apiserver_add (fixture->server,
                              "{\"apiVersion\": \"actions.github.com/v1alpha1\", "
                              "\"kind\": \"EphemeralRunner\", \"metadata\": {"
                              "\"name\": \"web-x7k2p-runner-q2w9z\", "
                              "\"namespace\": \"arc-runners\", \"finalizers\": ["
                              "\"ephemeralrunner.actions.github.com/finalizer\", "
                              "\"ephemeralrunner.actions.github.com/"
                              "runner-registration-finalizer\"],"
                              " \"labels\": {\"actions.github.com/scale-set-name\": \"web\", "
                              "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}}");
  listener = dr_fake_apiserver_add (fixture->server,
                                    "{\"apiVersion\": \"actions.github.com/v1alpha1\", "
                                    "\"kind\": \"AutoscalingListener\", \"metadata\": {"
                                    "\"name\": \"web-884475f5-listener\", "
                                    "\"namespace\": \"arc-systems\", \"finalizers\": ["
                                    "\"autoscalinglistener.actions.github.com/finalizer\"],"
                                    " \"labels\": {\"actions.github.com/scale-set-name\": \"web\","
                                    " \"actions.github.com/scale-set-namespace\": "
                                    "\"arc-runners\"}}}");

  op = dr_engine_remove_runner (fixture->engine, "web");
  g_assert_cmpint (wait_operation (op), ==, DR_OPERATION_FAILED);
  error = dr_operation_get_error (op);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_test_message ("stuck: %s", error->message);
  g_assert_nonnull (strstr (error->message, "arc-runners/web"));
  g_assert_nonnull (strstr (error->message, ARS_FINALIZER));
  g_assert_nonnull (strstr (error->message, "force"));
  /* Nothing was forced, nothing else deleted, nothing forgotten. */
  g_assert_true (is_terminating (fixture->server, ARS_PATH));
  for (guint i = 0; i < paths->len; i++)
    if (!g_str_equal (g_ptr_array_index (paths, i), ARS_PATH))
      g_assert_false (is_terminating (fixture->server, g_ptr_array_index (paths, i)));
  g_assert_nonnull (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));

  force = dr_engine_force_remove_runner (fixture->engine, "web");
  assert_succeeds (force);
  log = dr_operation_dup_log (force);
  g_assert_nonnull (strstr (log, "offline, on GitHub"));
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(JsonNode) node = dr_fake_apiserver_get_object (fixture->server,
                                                               g_ptr_array_index (paths, i));

      g_assert_null (node);
    }
  g_assert_null (dr_fake_apiserver_get_object (fixture->server, er));
  g_assert_null (dr_fake_apiserver_get_object (fixture->server, ers));
  g_assert_null (dr_fake_apiserver_get_object (fixture->server, listener));
  g_assert_null (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, keyring_before - 1);
}

/* A scale set with deskrun's labels that the config does not know is removed by them. */
static void
test_remove_unmanaged (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *ns = NULL;
  g_autofree char *ars = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *other = NULL;
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) missing = NULL;
  g_autoptr(JsonNode) kept = NULL;

  ns = dr_fake_apiserver_add (fixture->server,
                              "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                              "\"metadata\": {\"name\": \"arc-runners\"}}");
  ars = dr_fake_apiserver_add (fixture->server,
                               "{\"apiVersion\": \"actions.github.com/v1alpha1\", "
                               "\"kind\": \"AutoscalingRunnerSet\", \"metadata\": {"
                               "\"name\": \"ghost\", \"namespace\": \"arc-runners\", "
                               "\"labels\": {\"app.kubernetes.io/managed-by\": \"deskrun\", "
                               "\"deskrun.io/runner\": \"ghost\"}}, \"spec\": {"
                               "\"githubConfigUrl\": \"https://github.com/octo/ghost\", "
                               "\"minRunners\": 0, \"maxRunners\": 2}}");
  secret = dr_fake_apiserver_add (fixture->server,
                                  "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {"
                                  "\"name\": \"ghost-gha-rs-github-secret\", "
                                  "\"namespace\": \"arc-runners\", \"finalizers\": "
                                  "[\"actions.github.com/cleanup-protection\"], "
                                  "\"labels\": {\"app.kubernetes.io/managed-by\": \"deskrun\", "
                                  "\"deskrun.io/runner\": \"ghost\"}}}");
  other = dr_fake_apiserver_add (fixture->server,
                                 "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {"
                                 "\"name\": \"someone-elses\", \"namespace\": \"arc-runners\"}}");

  op = dr_engine_remove_runner (fixture->engine, "ghost");
  assert_succeeds (op);
  g_assert_null (dr_fake_apiserver_get_object (fixture->server, ars));
  g_assert_null (dr_fake_apiserver_get_object (fixture->server, secret));
  kept = dr_fake_apiserver_get_object (fixture->server, other);
  g_assert_nonnull (kept);
  g_assert_nonnull (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));

  missing = dr_engine_remove_runner (fixture->engine, "ghost");
  g_assert_cmpint (wait_operation (missing), ==, DR_OPERATION_FAILED);
  g_assert_true (g_error_matches (dr_operation_get_error (missing), DR_ERROR,
                                  DR_ERROR_NOT_FOUND));
}

/* The window's entry point still works, offline too. */
static void
test_remove_async_offline (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dr_engine_set_kube_client (fixture->engine, NULL);
  dr_engine_remove_runner_async (fixture->engine, "web", NULL, dr_test_store_result_cb, &result);
  g_assert_true (dr_engine_remove_runner_finish (fixture->engine, wait_result (&result),
                                                 &error));
  g_assert_no_error (error);
  g_assert_null (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));
  g_assert_cmpuint (count_writes (fixture->server), ==, 0);
}

/* ---- Up and down ------------------------------------------------------------------------- */

static void
test_up_and_down (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DrOperation) up = NULL;
  g_autoptr(DrOperation) down = NULL;
  GListModel *operations = dr_engine_get_operations (fixture->engine);
  g_autoptr(DrOperation) last = NULL;

  add_runner (fixture, "nix", 2);
  up = dr_engine_apply_all (fixture->engine);
  assert_succeeds (up);
  g_assert_true (has_object (fixture->server, ARS_PATH));
  g_assert_true (has_object (fixture->server,
                             "/apis/actions.github.com/v1alpha1/namespaces/"
                             "arc-runners/autoscalingrunnersets/nix-1"));
  /* One namespace apply for the whole run. */
  g_assert_cmpuint (dr_fake_apiserver_count_requests (fixture->server, "PATCH",
                                                      "/api/v1/namespaces/arc-runners"), ==, 1);

  down = dr_engine_remove_all_from_cluster (fixture->engine);
  assert_succeeds (down);
  /* Only the namespace is left, and the configuration is kept. */
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (fixture->server), ==, 1);
  g_assert_nonnull (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web"));
  g_assert_nonnull (dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "nix"));

  g_assert_cmpuint (g_list_model_get_n_items (operations), ==, 2);
  last = g_list_model_get_item (operations, 1);
  g_assert_true (last == down);
}


/* ---- The live model ---------------------------------------------------------------------- */

#define LISTENER_POD  "/api/v1/namespaces/arc-systems/pods/web-884475f5-listener"
#define RUNNER_ER     "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/" \
                      "ephemeralrunners/web-x7k2p-runner-q2w9z"
#define RUNNER_POD    "/api/v1/namespaces/arc-runners/pods/web-x7k2p-runner-q2w9z"

static void
report_latency (const char *what,
                gint64      since)
{
  g_test_message ("%s: seen %.1f ms after the change", what,
                  (g_get_monotonic_time () - since) / 1000.0);
}

static char *
add_listener_pod (Fixture    *fixture,
                  const char *status_json)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) ns = dr_fake_apiserver_get_object (fixture->server,
                                                         "/api/v1/namespaces/arc-systems");

  if (ns == NULL)
    g_free (dr_fake_apiserver_add (fixture->server,
                                   "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                   "\"metadata\": {\"name\": \"arc-systems\"}}"));
  json = g_strdup_printf ("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {"
                          "\"name\": \"web-884475f5-listener\", \"namespace\": \"arc-systems\", "
                          "\"labels\": {"
                          "\"app.kubernetes.io/component\": \"runner-scale-set-listener\", "
                          "\"app.kubernetes.io/part-of\": \"gha-runner-scale-set\", "
                          "\"actions.github.com/scale-set-name\": \"web\", "
                          "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
                          "\"spec\": {\"containers\": [{\"name\": \"listener\", "
                          "\"image\": \"" DR_ARC_CONTROLLER_IMAGE "\"}]}, "
                          "\"status\": %s}",
                          status_json);
  return dr_fake_apiserver_add (fixture->server, json);
}

#define LISTENER_RUNNING \
  "{\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"listener\", " \
  "\"ready\": true, \"restartCount\": 0, " \
  "\"state\": {\"running\": {\"startedAt\": \"2026-06-01T10:00:00Z\"}}}]}"

static DrRunner *
web (Fixture *fixture)
{
  return dr_engine_lookup_runner (fixture->engine, "web");
}

static void
test_live_listener (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *pod = NULL;
  DrRunner *runner = web (fixture);
  gint64 start;

  _dr_engine_set_listener_grace (fixture->engine, 400);
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_NOT_DEPLOYED);

  /* Applied, no listener yet: deploying while the grace lasts. */
  start = g_get_monotonic_time ();
  apply_web (fixture);
  WAIT_FOR (dr_runner_get_deployed (runner));
  report_latency ("scale set deployed", start);
  WAIT_FOR (dr_runner_get_listener_state (runner) == DR_LISTENER_STATE_MISSING);
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_DEPLOYING);
  g_assert_nonnull (dr_runner_get_status_detail (runner));

  start = g_get_monotonic_time ();
  pod = add_listener_pod (fixture, LISTENER_RUNNING);
  WAIT_FOR (dr_runner_get_listener_state (runner) == DR_LISTENER_STATE_RUNNING);
  report_latency ("listener running", start);
  g_assert_cmpstr (dr_runner_get_listener_pod (runner), ==, "web-884475f5-listener");
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_IDLE);
  g_assert_null (dr_runner_get_status_detail (runner));

  start = g_get_monotonic_time ();
  dr_fake_apiserver_patch (fixture->server, LISTENER_POD,
                           "{\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{"
                           "\"name\": \"listener\", \"ready\": false, \"restartCount\": 4, "
                           "\"state\": {\"waiting\": {\"reason\": \"CrashLoopBackOff\", "
                           "\"message\": \"back-off 40s restarting failed container\"}}, "
                           "\"lastState\": {\"terminated\": {\"reason\": \"Error\", "
                           "\"exitCode\": 1}}}]}}");
  WAIT_FOR (dr_runner_get_listener_state (runner) == DR_LISTENER_STATE_CRASH_LOOPING);
  report_latency ("listener crash-looping", start);
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_DEGRADED);
  g_test_message ("detail: %s", dr_runner_get_status_detail (runner));
  g_assert_nonnull (strstr (dr_runner_get_status_detail (runner), "listener log"));

  /* Gone: deploying again for the grace period, then a problem that says what to check. */
  start = g_get_monotonic_time ();
  dr_fake_apiserver_delete (fixture->server, LISTENER_POD);
  WAIT_FOR (dr_runner_get_listener_state (runner) == DR_LISTENER_STATE_MISSING);
  report_latency ("listener gone", start);
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_DEPLOYING);
  WAIT_FOR (dr_runner_get_status (runner) == DR_RUNNER_STATUS_DEGRADED);
  g_test_message ("detail: %s", dr_runner_get_status_detail (runner));
  g_assert_nonnull (strstr (dr_runner_get_status_detail (runner), "controller"));
}

static void
test_live_jobs (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *pod = NULL;
  g_autofree char *er = NULL;
  g_autofree char *runner_pod = NULL;
  g_autoptr(DrEphemeralRunner) item = NULL;
  DrRunner *runner = web (fixture);
  GListModel *ephemeral = dr_runner_get_ephemeral_runners (runner);
  gint64 start;

  apply_web (fixture);
  pod = add_listener_pod (fixture, LISTENER_RUNNING);
  WAIT_FOR (dr_runner_get_status (runner) == DR_RUNNER_STATUS_IDLE);

  start = g_get_monotonic_time ();
  dr_fake_apiserver_patch (fixture->server, ARS_PATH,
                           "{\"status\": {\"phase\": \"Running\", \"currentRunners\": 1, "
                           "\"pendingEphemeralRunners\": 0, \"runningEphemeralRunners\": 1, "
                           "\"failedEphemeralRunners\": 0}}");
  er = dr_fake_apiserver_add (fixture->server,
                              "{\"apiVersion\": \"actions.github.com/v1alpha1\", "
                              "\"kind\": \"EphemeralRunner\", \"metadata\": {"
                              "\"name\": \"web-x7k2p-runner-q2w9z\", "
                              "\"namespace\": \"arc-runners\", \"labels\": {"
                              "\"app.kubernetes.io/component\": \"runner\", "
                              "\"actions.github.com/scale-set-name\": \"web\", "
                              "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
                              "\"status\": {\"phase\": \"Running\", \"ready\": true, "
                              "\"jobDisplayName\": \"build (ubuntu)\", "
                              "\"jobRepositoryName\": \"octo/hello\", "
                              "\"workflowRunId\": 4242}}");
  runner_pod = dr_fake_apiserver_add (fixture->server,
                                      "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
                                      "\"metadata\": {\"name\": \"web-x7k2p-runner-q2w9z\", "
                                      "\"namespace\": \"arc-runners\", \"labels\": {"
                                      "\"app.kubernetes.io/component\": \"runner\", "
                                      "\"actions.github.com/scale-set-name\": \"web\"}}, "
                                      "\"spec\": {\"containers\": [{\"name\": \"runner\", "
                                      "\"image\": \"" DR_ARC_RUNNER_IMAGE "\"}]}, "
                                      "\"status\": {\"phase\": \"Running\"}}");
  WAIT_FOR (dr_runner_get_status (runner) == DR_RUNNER_STATUS_BUSY);
  report_latency ("job running", start);
  WAIT_FOR (g_list_model_get_n_items (ephemeral) == 1 &&
            dr_runner_get_running_runners (runner) == 1);
  g_assert_cmpuint (dr_runner_get_current_runners (runner), ==, 1);
  g_assert_cmpstr (dr_runner_get_phase (runner), ==, "Running");

  item = g_list_model_get_item (ephemeral, 0);
  WAIT_FOR (g_strcmp0 (dr_ephemeral_runner_get_pod_phase (item), "Running") == 0);
  g_assert_cmpstr (dr_ephemeral_runner_get_name (item), ==, "web-x7k2p-runner-q2w9z");
  g_assert_cmpstr (dr_ephemeral_runner_get_scale_set (item), ==, "web");
  g_assert_cmpstr (dr_ephemeral_runner_get_phase (item), ==, "Running");
  g_assert_true (dr_ephemeral_runner_get_ready (item));
  g_assert_cmpstr (dr_ephemeral_runner_get_job_display_name (item), ==, "build (ubuntu)");
  g_assert_cmpstr (dr_ephemeral_runner_get_job_repository (item), ==, "octo/hello");
  g_assert_cmpint (dr_ephemeral_runner_get_workflow_run_id (item), ==, 4242);
  g_assert_true (dr_ephemeral_runner_get_busy (item));

  /* The job ends: the same row, idle again. */
  start = g_get_monotonic_time ();
  dr_fake_apiserver_patch (fixture->server, RUNNER_ER,
                           "{\"status\": {\"jobDisplayName\": \"\", \"jobRepositoryName\": \"\","
                           " \"workflowRunId\": 0}}");
  WAIT_FOR (dr_runner_get_status (runner) == DR_RUNNER_STATUS_IDLE);
  report_latency ("job done", start);
  g_assert_false (dr_ephemeral_runner_get_busy (item));
  {
    g_autoptr(DrEphemeralRunner) same = g_list_model_get_item (ephemeral, 0);

    g_assert_true (same == item);
  }

  /* A failed runner needs attention and says so. */
  dr_fake_apiserver_patch (fixture->server, ARS_PATH,
                           "{\"status\": {\"failedEphemeralRunners\": 1}}");
  WAIT_FOR (dr_runner_get_status (runner) == DR_RUNNER_STATUS_DEGRADED);
  g_assert_cmpuint (dr_runner_get_failed_runners (runner), ==, 1);
  g_test_message ("detail: %s", dr_runner_get_status_detail (runner));
  g_assert_nonnull (strstr (dr_runner_get_status_detail (runner), "failed"));

  /* Outdated wins, with what to do about it. */
  dr_fake_apiserver_patch (fixture->server, ARS_PATH, "{\"status\": {\"phase\": \"Outdated\"}}");
  WAIT_FOR (g_strcmp0 (dr_runner_get_phase (runner), "Outdated") == 0);
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_DEGRADED);
  g_assert_nonnull (strstr (dr_runner_get_status_detail (runner), "runner image"));

  /* The runner goes. */
  dr_fake_apiserver_delete (fixture->server, RUNNER_ER);
  WAIT_FOR (g_list_model_get_n_items (ephemeral) == 0);
}

static void
test_live_unmanaged (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *runners = dr_engine_get_runners (fixture->engine);
  g_autofree char *ns = NULL;
  g_autofree char *ars = NULL;
  DrRunner *ghost;
  gint64 start;

  ns = dr_fake_apiserver_add (fixture->server,
                              "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                              "\"metadata\": {\"name\": \"arc-runners\"}}");
  start = g_get_monotonic_time ();
  ars = dr_fake_apiserver_add (fixture->server,
                               "{\"apiVersion\": \"actions.github.com/v1alpha1\", "
                               "\"kind\": \"AutoscalingRunnerSet\", \"metadata\": {"
                               "\"name\": \"ghost\", \"namespace\": \"arc-runners\", "
                               "\"labels\": {\"app.kubernetes.io/managed-by\": \"deskrun\", "
                               "\"deskrun.io/runner\": \"ghost\"}}, \"spec\": {"
                               "\"githubConfigUrl\": \"https://github.com/octo/ghost\", "
                               "\"minRunners\": 1, \"maxRunners\": 4}}");
  WAIT_FOR (dr_engine_lookup_runner (fixture->engine, "ghost") != NULL);
  report_latency ("unmanaged scale set", start);
  ghost = dr_engine_lookup_runner (fixture->engine, "ghost");
  g_assert_cmpuint (g_list_model_get_n_items (runners), ==, 2);
  WAIT_FOR (dr_runner_get_status (ghost) == DR_RUNNER_STATUS_UNMANAGED);
  g_assert_true (dr_runner_get_deployed (ghost));
  g_assert_cmpstr (dr_runner_get_spec (ghost)->repository_url, ==,
                   "https://github.com/octo/ghost");
  g_assert_cmpuint (dr_runner_get_spec (ghost)->min_runners, ==, 1);
  g_assert_cmpuint (dr_runner_get_spec (ghost)->max_runners, ==, 4);
  g_assert_nonnull (dr_runner_get_status_detail (ghost));
  g_assert_cmpint (dr_runner_get_status (web (fixture)), ==, DR_RUNNER_STATUS_NOT_DEPLOYED);

  /* Disconnected, nothing is known of the cluster any more. */
  dr_engine_set_kube_client (fixture->engine, NULL);
  g_assert_null (dr_engine_lookup_runner (fixture->engine, "ghost"));
  g_assert_cmpuint (g_list_model_get_n_items (runners), ==, 1);

  /* Back, and gone from the cluster. */
  dr_engine_set_kube_client (fixture->engine, fixture->client);
  WAIT_FOR (dr_engine_lookup_runner (fixture->engine, "ghost") != NULL);
  dr_fake_apiserver_delete (fixture->server, ars);
  WAIT_FOR (dr_engine_lookup_runner (fixture->engine, "ghost") == NULL);
}

static void
collect_line_cb (DrKubeLogStream *stream,
                 const char      *line,
                 GPtrArray       *lines)
{
  g_ptr_array_add (lines, g_strdup (line));
}

static gboolean
has_line_with (GPtrArray  *lines,
               const char *text)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_follow_logs (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *pod = NULL;
  g_autofree char *er = NULL;
  g_autofree char *runner_pod = NULL;
  g_autoptr(DrKubeLogStream) listener = NULL;
  g_autoptr(DrKubeLogStream) runner_log = NULL;
  g_autoptr(DrKubeLogStream) none = NULL;
  g_autoptr(GPtrArray) listener_lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) runner_lines = g_ptr_array_new_with_free_func (g_free);
  DrRunner *runner = web (fixture);

  apply_web (fixture);
  pod = add_listener_pod (fixture, LISTENER_RUNNING);
  runner_pod = dr_fake_apiserver_add (fixture->server,
                                      "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
                                      "\"metadata\": {\"name\": \"web-x7k2p-runner-q2w9z\", "
                                      "\"namespace\": \"arc-runners\", \"labels\": {"
                                      "\"app.kubernetes.io/component\": \"runner\", "
                                      "\"actions.github.com/scale-set-name\": \"web\"}}, "
                                      "\"spec\": {\"containers\": [{\"name\": \"runner\", "
                                      "\"image\": \"" DR_ARC_RUNNER_IMAGE "\"}]}, "
                                      "\"status\": {\"phase\": \"Running\"}}");
  WAIT_FOR (dr_runner_get_status (runner) == DR_RUNNER_STATUS_IDLE);
  dr_fake_apiserver_append_log (fixture->server, "arc-systems", "web-884475f5-listener",
                                "msg=\"Getting next message\" component=listener");

  listener = dr_engine_follow_listener_log (fixture->engine, "web", 100);
  g_assert_nonnull (listener);
  g_signal_connect (listener, "line", G_CALLBACK (collect_line_cb), listener_lines);
  WAIT_FOR (has_line_with (listener_lines, "Getting next message"));
  dr_fake_apiserver_append_log (fixture->server, "arc-systems", "web-884475f5-listener",
                                "msg=\"Jobs acquired\" component=listener count=1");
  WAIT_FOR (has_line_with (listener_lines, "Jobs acquired"));

  g_assert_null (dr_engine_follow_runner_log (fixture->engine, "no-such-pod", 0));
  /* The runner pod is followed once the engine's watch has seen it. */
  WAIT_FOR ((runner_log = dr_engine_follow_runner_log (fixture->engine,
                                                       "web-x7k2p-runner-q2w9z", 10)) != NULL);
  g_signal_connect (runner_log, "line", G_CALLBACK (collect_line_cb), runner_lines);
  dr_fake_apiserver_append_log (fixture->server, "arc-runners", "web-x7k2p-runner-q2w9z",
                                "2026-06-01 10:00:00Z: Listening for Jobs");
  WAIT_FOR (has_line_with (runner_lines, "Listening for Jobs"));

  /* Not a runner pod: the engine follows only what it watches. */
  none = dr_engine_follow_runner_log (fixture->engine, "web-884475f5-listener", 0);
  g_assert_null (none);

  dr_kube_log_stream_stop (listener);
  dr_kube_log_stream_stop (runner_log);
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  int ret;

  dr_test_init (&argc, &argv);
  keyring = dr_test_keyring_start ();

#define ADD(path, func) \
  g_test_add ("/deskrun/runner-verbs/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("apply", test_apply);
  ADD ("apply-instances", test_apply_instances);
  ADD ("apply-cancel", test_apply_cancel);
  ADD ("apply-failure-hides-secret", test_apply_failure_hides_secret);
  ADD ("apply-without-arc", test_apply_without_arc);
  ADD ("apply-mounts-kind", test_apply_mounts_kind);
  ADD ("apply-mounts-unchanged", test_apply_mounts_unchanged);
  ADD ("not-connected", test_not_connected);
  ADD ("prune-instances", test_prune_instances);
  ADD ("prune-mode", test_prune_mode);
  ADD ("prune-stuck", test_prune_stuck);
  ADD ("prune-other-runner", test_prune_other_runner);
  ADD ("prune-not-managed", test_prune_not_managed);
  ADD ("scale", test_scale);
  ADD ("scale-refused", test_scale_refused);
  ADD ("remove-order", test_remove_order);
  ADD ("remove-without-controller", test_remove_without_controller);
  ADD ("remove-stuck-then-force", test_remove_stuck_then_force);
  ADD ("remove-unmanaged", test_remove_unmanaged);
  ADD ("remove-async-offline", test_remove_async_offline);
  ADD ("up-and-down", test_up_and_down);
  ADD ("live-listener", test_live_listener);
  ADD ("live-jobs", test_live_jobs);
  ADD ("live-unmanaged", test_live_unmanaged);
  ADD ("follow-logs", test_follow_logs);
#undef ADD

  ret = g_test_run ();
  dr_test_keyring_stop (keyring);
  return ret;
}
