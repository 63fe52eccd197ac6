/* test-cluster.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrCluster with fake docker and kind on PATH and the strict fake API server: kind states,
 * the kind verbs and their logs, a kubeconfig context without kind verbs, and installing
 * ARC's controller from a chart file — the exact objects of FACTS.md §3, server-side apply
 * of the CRDs, the waits for Established and Available (the test plays the cluster's
 * controllers and sets those conditions), timeouts, versions, the upgrade guard and cancel.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "dr-arc-controller.h"
#include "dr-cluster-private.h"
#include "dr-error.h"
#include "dr-fake-apiserver.h"
#include "dr-fake-host.h"
#include "dr-kind-private.h"
#include "dr-oci-chart.h"
#include "dr-test-chart.h"
#include "dr-test-utils.h"
#include "dr-yaml.h"

#define WAIT_MS  30000
#define NS       DR_DEFAULT_CONTROLLER_NAMESPACE
#define FULLNAME DR_ARC_CONTROLLER_FULLNAME
#define DEPLOYMENT_PATH "/apis/apps/v1/namespaces/" NS "/deployments/" FULLNAME
#define CRD_COLLECTION  "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
#define CRD_PATH        CRD_COLLECTION "/"
#define DEPLOYMENT_COLLECTION "/apis/apps/v1/namespaces/" NS "/deployments"
#define OLD_POD_PATH    "/api/v1/namespaces/" NS "/pods/ctrl-old"
/* A change seen through a watch arrives at once; this leaves room for a loaded machine. */
#define PROMPT_US       G_TIME_SPAN_SECOND

static const char * const crd_names[] = {
  "autoscalinglisteners.actions.github.com",
  "autoscalingrunnersets.actions.github.com",
  "ephemeralrunners.actions.github.com",
  "ephemeralrunnersets.actions.github.com",
};

/* ---- Helpers ----------------------------------------------------------------------------- */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins until @op ends; a test that hangs says where the operation was. */
static void
wait_op (DrOperation *op)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake = g_timeout_add (100, wake_cb, NULL);

  while (!dr_operation_is_finished (op))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = dr_operation_dup_log (op);

          g_error ("“%s” did not end; its log:\n%s", dr_operation_get_title (op), log);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static void
assert_succeeded (DrOperation *op)
{
  const GError *error;

  wait_op (op);
  error = dr_operation_get_error (op);
  if (error != NULL)
    g_error ("%s failed: %s", dr_operation_get_title (op), error->message);
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
}

static const GError *
assert_failed (DrOperation      *op,
               DrOperationState  state,
               GQuark            domain,
               int               code)
{
  const GError *error;

  wait_op (op);
  g_assert_cmpint (dr_operation_get_state (op), ==, state);
  error = dr_operation_get_error (op);
  g_assert_error ((GError *) error, domain, code);
  return error;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text, needle);
}

/* kind's kubeconfig for a cluster whose API server is @url: no credentials (plain HTTP). */
static char *
kubeconfig_for (const char *url,
                const char *context)
{
  return g_strdup_printf ("apiVersion: v1\n"
                          "kind: Config\n"
                          "clusters:\n"
                          "- name: %s\n"
                          "  cluster:\n"
                          "    server: %s\n"
                          "contexts:\n"
                          "- name: %s\n"
                          "  context:\n"
                          "    cluster: %s\n"
                          "    user: %s\n"
                          "current-context: %s\n"
                          "users:\n"
                          "- name: %s\n"
                          "  user: {}\n",
                          context, url, context, context, context, context, context);
}

static DrFakeApiserver *
new_server (void)
{
  DrFakeApiserver *server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);

  dr_fake_apiserver_register_defaults (server);
  return server;
}

/* A kubeconfig context cluster on @server, with short waits. */
static DrCluster *
context_cluster (DrFakeApiserver *server)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_autofree char *text = kubeconfig_for (dr_fake_apiserver_get_url (server), "fake");
  DrCluster *cluster;

  dr_test_write_file (path, text, 0600);
  cluster = dr_cluster_new_for_context (path, NULL);
  _dr_cluster_set_probe_interval (cluster, 10);
  _dr_cluster_set_timeouts (cluster, 5000, 10000, 10000);
  return cluster;
}

/* ARC's chart with its real CRDs from ../shared when it is there; otherwise the same chart
 * with small stand-ins for the four CRDs, so that the install is tested on any checkout
 * (what is installed does not depend on the CRDs' schemas). */
static GBytes *
arc_chart (void)
{
  const char *shared = g_getenv ("DR_SHARED_DIR");
  g_autofree char *real = NULL;
  DrTestTar *tar;

  if (shared != NULL)
    real = g_build_filename (shared, "fixtures", "arc-crds-0.14.2", NULL);
  if (real != NULL && g_file_test (real, G_FILE_TEST_IS_DIR))
    return dr_test_arc_chart_new (DR_ARC_VERSION);

  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, "gha-runner-scale-set-controller/Chart.yaml",
                          "apiVersion: v2\nname: gha-runner-scale-set-controller\n"
                          "version: " DR_ARC_VERSION "\nappVersion: \"" DR_ARC_VERSION "\"\n");
  for (guint i = 0; i < G_N_ELEMENTS (crd_names); i++)
    {
      g_autofree char *plural = g_strndup (crd_names[i], strcspn (crd_names[i], "."));
      g_autofree char *member = g_strdup_printf ("gha-runner-scale-set-controller/crds/"
                                                 "actions.github.com_%s.yaml", plural);
      g_autofree char *crd = NULL;

      crd = g_strdup_printf ("---\napiVersion: apiextensions.k8s.io/v1\n"
                             "kind: CustomResourceDefinition\nmetadata:\n  name: %s\n"
                             "spec:\n  group: actions.github.com\n  names:\n"
                             "    plural: %s\n  scope: Namespaced\n  versions:\n"
                             "  - name: v1alpha1\n    served: true\n    storage: true\n"
                             "    schema:\n      openAPIV3Schema:\n        type: object\n"
                             "        x-kubernetes-preserve-unknown-fields: true\n",
                             crd_names[i], plural);
      dr_test_tar_add_string (tar, member, crd);
    }
  return dr_test_tar_finish (tar);
}

static char *
write_chart (void)
{
  g_autoptr(GBytes) chart = arc_chart ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  path = g_build_filename (g_get_user_cache_dir (), "chart.tgz", NULL);
  g_file_set_contents (path, g_bytes_get_data (chart, NULL), g_bytes_get_size (chart), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
add_object (DrFakeApiserver *server,
            const char      *json)
{
  g_autofree char *path = dr_fake_apiserver_add (server, json);
}

static void
add_namespace (DrFakeApiserver *server,
               const char      *name)
{
  g_autofree char *json = g_strdup_printf ("{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                           "\"metadata\": {\"name\": \"%s\"}}", name);

  add_object (server, json);
}

/* A controller Deployment as an installer would have left it. */
static void
add_controller (DrFakeApiserver *server,
                const char      *namespace_,
                const char      *name,
                const char      *version,
                gboolean         available)
{
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", "
                          "\"metadata\": {\"name\": \"%s\", \"namespace\": \"%s\", \"labels\": "
                          "{\"app.kubernetes.io/part-of\": \"gha-rs-controller\", "
                          "\"app.kubernetes.io/version\": \"%s\"}}, "
                          "\"spec\": {\"replicas\": 1, \"selector\": {\"matchLabels\": "
                          "{\"app.kubernetes.io/name\": \"gha-rs-controller\", "
                          "\"app.kubernetes.io/namespace\": \"%s\", "
                          "\"app.kubernetes.io/instance\": \"arc-controller\"}}, "
                          "\"template\": {\"spec\": {\"containers\": [{\"name\": \"manager\", "
                          "\"image\": \"ghcr.io/actions/gha-runner-scale-set-controller:%s\"}]}}}"
                          "%s}",
                          name, namespace_, version, namespace_, version,
                          available ? ", \"status\": {\"conditions\": [{\"type\": "
                                      "\"Available\", \"status\": \"True\"}]}" : "");
  add_object (server, json);
}

static void
add_scale_set (DrFakeApiserver *server,
               const char      *namespace_,
               const char      *name,
               const char      *version)
{
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"apiVersion\": \"actions.github.com/v1alpha1\", \"kind\": "
                          "\"AutoscalingRunnerSet\", \"metadata\": {\"name\": \"%s\", "
                          "\"namespace\": \"%s\", \"labels\": {\"app.kubernetes.io/version\": "
                          "\"%s\"}}, \"spec\": {\"githubConfigUrl\": "
                          "\"https://github.com/octo/hello\"}}",
                          name, namespace_, version);
  add_object (server, json);
}

static const char *
label_of (JsonNode   *object,
          const char *label)
{
  JsonObject *metadata = json_object_get_object_member (json_node_get_object (object),
                                                        "metadata");
  JsonObject *labels = json_object_get_object_member (metadata, "labels");

  return json_object_get_string_member_with_default (labels, label, NULL);
}

/* The cluster's own controllers, played by the test: a timeout source that sets each CRD's
 * Established condition and the controller Deployment's Available condition (once deskrun's
 * version of it was applied) by merge patch, as the API server and the Deployment controller
 * would; or puts a controller pod that cannot pull its image. */
typedef struct
{
  DrFakeApiserver *server;
  DrKubeClient    *client;
  gboolean         establish;
  gboolean         make_available;
  gboolean         broken_pod;
  const char      *old_pod;          /* deleted once the old controller is scaled down */
  GHashTable      *done;
  guint            pending;
  guint            source;
  gint64           established_at;   /* monotonic: the last CRD patched Established */
  gint64           available_at;     /* monotonic: the Deployment patched Available */
} Play;

typedef struct
{
  Play       *play;
  const char *path;
} PlayPatch;

static void
play_patched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  PlayPatch *patch = data;
  Play *play = patch->play;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = NULL;

  patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object), result, &error);
  g_assert_no_error (error);
  if (g_str_has_prefix (patch->path, CRD_PATH))
    play->established_at = g_get_monotonic_time ();
  else if (g_str_equal (patch->path, DEPLOYMENT_PATH))
    play->available_at = g_get_monotonic_time ();
  play->pending--;
  g_free (patch);
}

static void
play_patch (Play       *play,
            const char *path,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patch = json_from_string (json, &error);
  PlayPatch *data = g_new0 (PlayPatch, 1);

  g_assert_no_error (error);
  g_hash_table_add (play->done, g_strdup (path));
  data->play = play;
  data->path = g_hash_table_lookup (play->done, path);
  play->pending++;
  dr_kube_client_merge_patch_async (play->client, path, patch, DR_KUBE_WRITE_NONE, NULL,
                                    play_patched_cb, data);
}

/* Whether deskrun applied @path (server-side apply) and the server took it. Cheaper than
 * copying a CRD of a megabyte out of the fake every tick. */
static gboolean
applied (DrFakeApiserver *server,
         const char      *path)
{
  guint n = dr_fake_apiserver_count_requests (server, NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_str_equal (request->method, "PATCH") && g_str_equal (request->path, path) &&
          g_strcmp0 (request->content_type, "application/apply-patch+yaml") == 0 &&
          request->status < 300)
        return TRUE;
    }
  return FALSE;
}

/* GETs of @path: reads of one object, or lists (@watches FALSE) or watches (TRUE) of a
 * collection. */
static guint
count_gets (DrFakeApiserver *server,
            const char      *path,
            gboolean         watches)
{
  guint n = dr_fake_apiserver_count_requests (server, NULL, NULL);
  guint found = 0;

  for (guint i = 0; i < n; i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);
      gboolean watch = g_strcmp0 (g_hash_table_lookup (request->params, "watch"), "true") == 0;

      if (g_str_equal (request->method, "GET") && g_str_equal (request->path, path) &&
          watch == watches)
        found++;
    }
  return found;
}

/* When the operation took its step @step, and when it ended (monotonic). */
typedef struct
{
  const char *step;
  gint64      step_at;
  gint64      ended_at;
} Timing;

static void
timing_step_cb (DrOperation *op,
                GParamSpec  *pspec,
                Timing      *timing)
{
  if (timing->step_at == 0 && g_strcmp0 (dr_operation_get_step (op), timing->step) == 0)
    timing->step_at = g_get_monotonic_time ();
}

static void
timing_state_cb (DrOperation *op,
                 GParamSpec  *pspec,
                 Timing      *timing)
{
  if (timing->ended_at == 0 && dr_operation_is_finished (op))
    timing->ended_at = g_get_monotonic_time ();
}

static gboolean
play_tick_cb (gpointer data)
{
  Play *play = data;

  for (guint i = 0; play->establish && i < G_N_ELEMENTS (crd_names); i++)
    {
      g_autofree char *path = g_strconcat (CRD_PATH, crd_names[i], NULL);

      if (!g_hash_table_contains (play->done, path) && applied (play->server, path))
        play_patch (play, path, "{\"status\": {\"conditions\": ["
                                "{\"type\": \"NamesAccepted\", \"status\": \"True\"},"
                                "{\"type\": \"Established\", \"status\": \"True\"}]}}");
    }

  /* The old controller's Deployment scaled to 0 by deskrun: its pod goes. */
  if (play->old_pod != NULL && !g_hash_table_contains (play->done, play->old_pod))
    {
      guint n = dr_fake_apiserver_count_requests (play->server, NULL, NULL);

      for (guint i = 0; i < n; i++)
        {
          const DrFakeRequest *request = dr_fake_apiserver_get_request (play->server, i);

          if (g_str_equal (request->method, "PATCH") &&
              g_str_equal (request->path, DEPLOYMENT_PATH) &&
              g_strcmp0 (request->content_type, "application/merge-patch+json") == 0 &&
              request->status < 300)
            {
              g_hash_table_add (play->done, g_strdup (play->old_pod));
              dr_fake_apiserver_delete (play->server, play->old_pod);
              break;
            }
        }
    }

  {
    if (!g_hash_table_contains (play->done, DEPLOYMENT_PATH) &&
        applied (play->server, DEPLOYMENT_PATH))
      {
        if (play->make_available)
          play_patch (play, DEPLOYMENT_PATH,
                      "{\"status\": {\"conditions\": [{\"type\": \"Available\", "
                      "\"status\": \"True\"}]}}");
        if (play->broken_pod)
          {
            g_hash_table_add (play->done, g_strdup (DEPLOYMENT_PATH));
            add_object (play->server,
                        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
                        "{\"name\": \"" FULLNAME "-5d8f7-abcde\", \"namespace\": \"" NS "\", "
                        "\"labels\": {\"app.kubernetes.io/name\": \"gha-rs-controller\", "
                        "\"app.kubernetes.io/namespace\": \"" NS "\", "
                        "\"app.kubernetes.io/instance\": \"arc-controller\"}}, "
                        "\"status\": {\"phase\": \"Pending\", \"containerStatuses\": [{"
                        "\"name\": \"manager\", \"image\": \"" DR_ARC_CONTROLLER_IMAGE "\", "
                        "\"ready\": false, \"state\": {\"waiting\": {\"reason\": "
                        "\"ImagePullBackOff\", \"message\": \"Back-off pulling image\"}}}]}}");
          }
      }
  }
  return G_SOURCE_CONTINUE;
}

static Play *
play_start (DrFakeApiserver *server,
            gboolean         establish,
            gboolean         make_available,
            gboolean         broken_pod)
{
  Play *play = g_new0 (Play, 1);

  play->server = server;
  play->client = dr_test_kube_client_new (dr_fake_apiserver_get_url (server), NULL);
  play->establish = establish;
  play->make_available = make_available;
  play->broken_pod = broken_pod;
  play->done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  play->source = g_timeout_add (20, play_tick_cb, play);
  return play;
}

static void
play_stop (Play *play)
{
  g_source_remove (play->source);
  while (play->pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_hash_table_unref (play->done);
  g_object_unref (play->client);
  g_free (play);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "Kind/name" of every object the server holds now, sorted. */
static GStrv
stored_objects (DrFakeApiserver *server)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < dr_fake_apiserver_get_n_events (server); i++)
    {
      const DrFakeEvent *event = dr_fake_apiserver_get_event (server, i);
      JsonObject *object = json_node_get_object (event->object);
      g_autofree char *name = NULL;

      name = g_strdup_printf ("%s/%s", json_object_get_string_member (object, "kind"),
                              json_object_get_string_member (
                                json_object_get_object_member (object, "metadata"), "name"));
      if (g_str_equal (event->type, "DELETED"))
        g_hash_table_remove (seen, name);
      else
        g_hash_table_add (seen, g_steal_pointer (&name));
    }

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ---- kind -------------------------------------------------------------------------------- */

typedef struct
{
  DrFakeHost      *fake;
  DrFakeApiserver *server;
  char            *host_root;
} KindFixture;

static void
kind_setup (KindFixture   *fixture,
            gconstpointer  data)
{
  g_autofree char *kubeconfig = NULL;
  g_autofree char *socket = NULL;
  g_autoptr(GError) error = NULL;

  fixture->fake = dr_fake_host_new ();
  dr_fake_host_add_tool (fixture->fake, "docker");
  dr_fake_host_add_tool (fixture->fake, "kind");
  dr_fake_host_set (fixture->fake, "DOCKER___VERSION", "STDOUT",
                    "Docker version 24.0.7, build afdd53b");
  dr_fake_host_set (fixture->fake, "DOCKER_VERSION", "STDOUT", "24.0.7");
  dr_fake_host_set (fixture->fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");

  fixture->server = new_server ();
  kubeconfig = kubeconfig_for (dr_fake_apiserver_get_url (fixture->server), "kind-deskrun");
  dr_fake_host_set (fixture->fake, "KIND_GET_KUBECONFIG", "STDOUT", kubeconfig);

  /* This computer has a Docker socket but no Nix. */
  fixture->host_root = g_dir_make_tmp ("deskrun-host-XXXXXX", &error);
  g_assert_no_error (error);
  socket = g_build_filename (fixture->host_root, "var", "run", "docker.sock", NULL);
  dr_test_write_file (socket, "", 0600);
  _dr_kind_set_host_root (fixture->host_root);
}

static void
kind_teardown (KindFixture   *fixture,
               gconstpointer  data)
{
  g_autofree char *socket = g_build_filename (fixture->host_root, "var", "run", "docker.sock",
                                              NULL);
  g_autofree char *run = g_build_filename (fixture->host_root, "var", "run", NULL);
  g_autofree char *var = g_build_filename (fixture->host_root, "var", NULL);

  _dr_kind_set_host_root (NULL);
  g_unlink (socket);
  g_rmdir (run);
  g_rmdir (var);
  g_rmdir (fixture->host_root);
  g_free (fixture->host_root);
  dr_fake_apiserver_free (fixture->server);
  dr_fake_host_free (fixture->fake);
}

static DrCluster *
kind_cluster (void)
{
  DrCluster *cluster = dr_cluster_new_kind (NULL);

  _dr_cluster_set_probe_interval (cluster, 10);
  _dr_cluster_set_timeouts (cluster, 5000, 5000, 5000);
  return cluster;
}

static void
refresh (DrCluster *cluster)
{
  g_autoptr(DrOperation) op = dr_cluster_refresh (cluster);

  assert_succeeded (op);
}

/* The index of the first call of @tool with @first_arg, or -1. */
static int
find_call (DrFakeHost *fake,
           const char *tool,
           const char *first_arg)
{
  for (guint i = 0; i < dr_fake_host_n_calls (fake); i++)
    {
      g_autofree char *called = dr_fake_host_call_tool (fake, i);
      g_auto(GStrv) args = dr_fake_host_call_args (fake, i);

      if (g_str_equal (called, tool) && args[0] != NULL && g_str_equal (args[0], first_arg))
        return (int) i;
    }
  return -1;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_kind_states (KindFixture   *fixture,
                  gconstpointer  data)
{
  static const struct {
    const char        *clusters;
    const char        *node;         /* docker inspect's answer */
    const char        *readyz;       /* "ok", "500", "down"; NULL: no /readyz (see /version) */
    DrClusterState     state;
    gboolean           client;
    DrControllerState  controller;
    const char        *detail;
  } cases[] = {
    { "", NULL, NULL, DR_CLUSTER_STATE_ABSENT, FALSE, DR_CONTROLLER_STATE_UNKNOWN,
      "no kind cluster named “deskrun”" },
    { "other\\ndeskrun", "exited", NULL, DR_CLUSTER_STATE_STOPPED, FALSE,
      DR_CONTROLLER_STATE_UNKNOWN, "is not running" },
    { "deskrun", "restarting", NULL, DR_CLUSTER_STATE_STARTING, FALSE,
      DR_CONTROLLER_STATE_UNKNOWN, "restarting" },
    { "deskrun", "running", "500", DR_CLUSTER_STATE_STARTING, FALSE,
      DR_CONTROLLER_STATE_UNKNOWN, "not ready yet" },
    { "deskrun", "running", "down", DR_CLUSTER_STATE_UNREACHABLE, FALSE,
      DR_CONTROLLER_STATE_UNKNOWN, "did not answer" },
    { "deskrun", "running", "ok", DR_CLUSTER_STATE_READY, TRUE,
      DR_CONTROLLER_STATE_MISSING, NULL },
    { "deskrun", "running", NULL, DR_CLUSTER_STATE_READY, TRUE,
      DR_CONTROLLER_STATE_MISSING, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrCluster) cluster = kind_cluster ();
      guint client_notifies = 0;
      const DrPrerequisites *prerequisites;

      g_test_message ("case %u", i);
      dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", cases[i].clusters);
      dr_fake_host_set (fixture->fake, "DOCKER_INSPECT", "STDOUT",
                        cases[i].node != NULL ? cases[i].node : "");
      if (g_strcmp0 (cases[i].readyz, "ok") == 0)
        dr_fake_apiserver_reply_next (fixture->server, 200, "text/plain", "ok");
      else if (g_strcmp0 (cases[i].readyz, "500") == 0)
        dr_fake_apiserver_reply_next (fixture->server, 500, "text/plain",
                                      "[-]etcd failed: reason withheld\nreadyz check failed");
      else if (g_strcmp0 (cases[i].readyz, "down") == 0)
        {
          /* A port where nothing listens any more. */
          g_autoptr(DrFakeApiserver) gone = new_server ();
          g_autofree char *kubeconfig = kubeconfig_for (dr_fake_apiserver_get_url (gone),
                                                        "kind-deskrun");

          dr_fake_host_set (fixture->fake, "KIND_GET_KUBECONFIG", "STDOUT", kubeconfig);
        }

      g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_UNKNOWN);
      g_assert_true (dr_cluster_is_kind (cluster));
      g_assert_cmpstr (dr_cluster_get_name (cluster), ==, "deskrun");
      g_signal_connect (cluster, "notify::kube-client", G_CALLBACK (notify_count_cb),
                        &client_notifies);
      refresh (cluster);

      g_assert_cmpint (dr_cluster_get_state (cluster), ==, cases[i].state);
      if (cases[i].detail != NULL)
        assert_contains (dr_cluster_get_state_detail (cluster), cases[i].detail);
      g_assert_cmpint (dr_cluster_get_kube_client (cluster) != NULL, ==, cases[i].client);
      g_assert_cmpuint (client_notifies, ==, cases[i].client ? 1 : 0);
      g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, cases[i].controller);

      prerequisites = dr_cluster_get_prerequisites (cluster);
      g_assert_nonnull (prerequisites);
      g_assert_cmpint (prerequisites->provider, ==, DR_CONTAINER_PROVIDER_DOCKER);

      if (g_strcmp0 (cases[i].readyz, "down") == 0)
        {
          g_autofree char *kubeconfig = kubeconfig_for (dr_fake_apiserver_get_url (fixture->server),
                                                        "kind-deskrun");

          dr_fake_host_set (fixture->fake, "KIND_GET_KUBECONFIG", "STDOUT", kubeconfig);
        }
    }

  /* kind itself fails: the state cannot be told, and the refresh says why. */
  {
    g_autoptr(DrCluster) cluster = kind_cluster ();
    g_autoptr(DrOperation) op = NULL;

    dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "EXIT", "1");
    dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDERR", "ERROR: boom");
    op = dr_cluster_refresh (cluster);
    assert_failed (op, DR_OPERATION_FAILED, DR_ERROR, DR_ERROR_HOST_COMMAND);
    g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_UNKNOWN);
    assert_contains (dr_cluster_get_state_detail (cluster), "boom");
  }
}

/* No container engine: the state is unknown and says what to install. */
static void
test_kind_no_engine (KindFixture   *fixture,
                     gconstpointer  data)
{
  g_autoptr(DrCluster) cluster = kind_cluster ();
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) create = NULL;
  g_autofree char *docker = g_build_filename (dr_fake_host_get_dir (fixture->fake), "bin",
                                              "docker", NULL);

  g_assert_cmpint (g_unlink (docker), ==, 0);
  op = dr_cluster_refresh (cluster);
  assert_failed (op, DR_OPERATION_FAILED, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_UNKNOWN);
  assert_contains (dr_cluster_get_state_detail (cluster), "Docker or Podman");
  g_assert_cmpint (dr_cluster_get_prerequisites (cluster)->provider, ==,
                   DR_CONTAINER_PROVIDER_NONE);

  create = dr_cluster_create (cluster);
  assert_failed (create, DR_OPERATION_FAILED, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_cmpint (find_call (fixture->fake, "kind", "create"), ==, -1);
}

/* Switches the fake's answers when a given line reaches the log, as the real tools' state
 * changes while they run. */
typedef struct
{
  const char  *line;
  const char  *key;
  const char  *value;
  const char  *key2;
  const char  *value2;
  DrOperation *cancel;
  gboolean     seen;
} LogTrigger;

static void
log_trigger_cb (DrOperation *op,
                const char  *line,
                LogTrigger  *trigger)
{
  if (trigger->seen || strstr (line, trigger->line) == NULL)
    return;
  trigger->seen = TRUE;
  if (trigger->key != NULL)
    g_setenv (trigger->key, trigger->value, TRUE);
  if (trigger->key2 != NULL)
    g_setenv (trigger->key2, trigger->value2, TRUE);
  if (trigger->cancel != NULL)
    dr_operation_cancel (trigger->cancel);
}

static void
test_kind_create (KindFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(DrCluster) cluster = kind_cluster ();
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) again = NULL;
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdin_text = NULL;
  g_autofree char *log = NULL;
  g_autofree char *cache_root = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);
  JsonArray *mounts;
  LogTrigger trigger = {
    .line = "Ensuring node image",
    .key = "FAKE_KIND_GET_CLUSTERS_STDOUT", .value = "deskrun",
    .key2 = "FAKE_DOCKER_INSPECT_STDOUT", .value2 = "running",
  };
  int call;

  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDERR", "No kind clusters found.");
  dr_fake_host_set (fixture->fake, "KIND_CREATE_CLUSTER", "STDERR",
                    "Creating cluster \"deskrun\" ...\n ✓ Ensuring node image (kindest/node) 🖼\n"
                    " ✓ Preparing nodes 📦\nSet kubectl context to \"kind-deskrun\"");

  op = dr_cluster_create (cluster);
  g_signal_connect (op, "log", G_CALLBACK (log_trigger_cb), &trigger);
  assert_succeeded (op);

  /* kind's own lines, as they came. */
  log = dr_operation_dup_log (op);
  assert_contains (log, "Creating cluster \"deskrun\" ...");
  assert_contains (log, " ✓ Preparing nodes 📦");
  assert_contains (log, "Sharing /var/run/docker.sock with the cluster at /var/run/docker.sock");

  /* The config went in on stdin. */
  call = find_call (fixture->fake, "kind", "create");
  g_assert_cmpint (call, >=, 0);
  dr_fake_host_assert_call (fixture->fake, call, "kind", "create", "cluster", "--name", "deskrun",
                            "--config", "-", "--wait", "5m", NULL);
  stdin_text = dr_fake_host_call_file (fixture->fake, call, "stdin");
  config = dr_yaml_parse (stdin_text, -1, "stdin", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (config), "name"), ==,
                   "deskrun");
  mounts = json_object_get_array_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (config), "nodes"), 0), "extraMounts");
  g_assert_cmpuint (json_array_get_length (mounts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mounts, 0),
                                                  "hostPath"), ==, cache_root);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mounts, 0),
                                                  "containerPath"), ==, "/host-cache/deskrun");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mounts, 1),
                                                  "hostPath"), ==, "/var/run/docker.sock");
  g_assert_true (g_file_test (cache_root, G_FILE_TEST_IS_DIR));

  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_READY);
  g_assert_nonnull (dr_cluster_get_kube_client (cluster));
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_MISSING);

  /* Once it exists, creating it again is refused. */
  again = dr_cluster_create (cluster);
  assert_contains (assert_failed (again, DR_OPERATION_FAILED, DR_ERROR,
                                  DR_ERROR_CONFLICT)->message, "already exists");
}

/* Cancelling create ends kind and removes what it made. */
static void
test_kind_create_cancel (KindFixture   *fixture,
                         gconstpointer  data)
{
  g_autoptr(DrCluster) cluster = kind_cluster ();
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *pid = NULL;
  LogTrigger trigger = { .line = "started" };
  int create;
  int delete;

  dr_fake_host_set (fixture->fake, "KIND_CREATE_CLUSTER", "SLOW", "1");
  op = dr_cluster_create (cluster);
  trigger.cancel = op;
  g_signal_connect (op, "log", G_CALLBACK (log_trigger_cb), &trigger);
  assert_failed (op, DR_OPERATION_CANCELLED, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  create = find_call (fixture->fake, "kind", "create");
  delete = find_call (fixture->fake, "kind", "delete");
  g_assert_cmpint (create, >=, 0);
  g_assert_cmpint (delete, >, create);
  dr_fake_host_assert_call (fixture->fake, delete, "kind", "delete", "cluster", "--name",
                            "deskrun", NULL);
  pid = dr_fake_host_call_file (fixture->fake, create, "pid");
  g_assert_nonnull (pid);
  g_assert_true (dr_fake_host_pid_is_gone (atoi (pid)));
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_ABSENT);
}

static void
test_kind_start (KindFixture   *fixture,
                 gconstpointer  data)
{
  g_autoptr(DrCluster) cluster = kind_cluster ();
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *log = NULL;
  LogTrigger trigger = {
    .line = "deskrun-control-plane",
    .key = "FAKE_DOCKER_INSPECT_STDOUT", .value = "running",
  };
  int call;

  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT", "STDOUT", "exited");
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_STOPPED);
  g_assert_null (dr_cluster_get_kube_client (cluster));

  dr_fake_host_set (fixture->fake, "DOCKER_START", "STDOUT", "deskrun-control-plane");
  op = dr_cluster_start (cluster);
  g_signal_connect (op, "log", G_CALLBACK (log_trigger_cb), &trigger);
  assert_succeeded (op);

  call = find_call (fixture->fake, "docker", "start");
  g_assert_cmpint (call, >=, 0);
  dr_fake_host_assert_call (fixture->fake, call, "docker", "start", "deskrun-control-plane",
                            NULL);
  log = dr_operation_dup_log (op);
  assert_contains (log, "deskrun-control-plane");
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_READY);
  g_assert_nonnull (dr_cluster_get_kube_client (cluster));
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_MISSING);

  /* A cluster that is not there cannot be started. */
  {
    g_autoptr(DrOperation) absent = NULL;

    dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", "");
    absent = dr_cluster_start (cluster);
    assert_contains (assert_failed (absent, DR_OPERATION_FAILED, DR_ERROR,
                                    DR_ERROR_NOT_FOUND)->message, "Create it first");
    g_assert_null (dr_cluster_get_kube_client (cluster));
  }
}

static void
test_kind_delete (KindFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(DrCluster) cluster = kind_cluster ();
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *log = NULL;
  LogTrigger trigger = {
    .line = "Deleting cluster",
    .key = "FAKE_KIND_GET_CLUSTERS_STDOUT", .value = "",
  };
  guint client_notifies = 0;

  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT", "STDOUT", "running");
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_READY);
  g_assert_nonnull (dr_cluster_get_kube_client (cluster));

  g_signal_connect (cluster, "notify::kube-client", G_CALLBACK (notify_count_cb),
                    &client_notifies);
  dr_fake_host_set (fixture->fake, "KIND_DELETE_CLUSTER", "STDERR",
                    "Deleting cluster \"deskrun\" ...\nDeleted nodes: [\"deskrun-control-plane\"]");
  op = dr_cluster_delete (cluster);
  g_signal_connect (op, "log", G_CALLBACK (log_trigger_cb), &trigger);
  assert_succeeded (op);

  dr_fake_host_assert_call (fixture->fake, find_call (fixture->fake, "kind", "delete"), "kind",
                            "delete", "cluster", "--name", "deskrun", NULL);
  log = dr_operation_dup_log (op);
  assert_contains (log, "Deleted nodes: [\"deskrun-control-plane\"]");
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_ABSENT);
  g_assert_null (dr_cluster_get_kube_client (cluster));
  g_assert_cmpuint (client_notifies, ==, 1);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_UNKNOWN);
}

/* A refresh that finds the cluster ready reads what its node shares, for runner mounts. */
static void
test_kind_mounts (KindFixture   *fixture,
                  gconstpointer  data)
{
  g_autoptr(DrCluster) cluster = kind_cluster ();
  g_autofree char *cache_root = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);
  g_autofree char *npm = g_build_filename (cache_root, "npm", NULL);
  g_autofree char *mounts = NULL;
  g_autofree char *node_path = NULL;
  const DrKindConfig *config;
  int call = -1;

  mounts = g_strdup_printf ("[{\"Type\":\"bind\",\"Source\":\"/lib/modules\","
                            "\"Destination\":\"/lib/modules\",\"RW\":false},"
                            "{\"Type\":\"bind\",\"Source\":\"%s\","
                            "\"Destination\":\"/host-cache/deskrun\",\"RW\":true}]",
                            cache_root);
  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT", "STDOUT", "running");
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT_MOUNTS", "STDOUT", mounts);
  g_assert_null (dr_cluster_get_kind_config (cluster));
  refresh (cluster);

  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_READY);
  config = dr_cluster_get_kind_config (cluster);
  g_assert_nonnull (config);
  g_assert_cmpstr (dr_kind_config_get_cache_root (config), ==, cache_root);
  node_path = dr_kind_host_path_to_node_path (config, npm);
  g_assert_cmpstr (node_path, ==, "/host-cache/deskrun/npm");
  g_assert_false (dr_kind_host_path_is_mounted (config, "/srv/data"));
  for (guint i = 0; i < dr_fake_host_n_calls (fixture->fake) && call < 0; i++)
    {
      g_auto(GStrv) args = dr_fake_host_call_args (fixture->fake, i);

      if (g_strv_length (args) == 4 && g_str_equal (args[2], "{{json .Mounts}}"))
        call = (int) i;
    }
  g_assert_cmpint (call, >=, 0);
  dr_fake_host_assert_call (fixture->fake, call, "docker", "inspect", "-f", "{{json .Mounts}}",
                            "deskrun-control-plane", NULL);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_MISSING);

  /* Mounts that cannot be read leave them unknown; the cluster is still usable. */
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT_MOUNTS", "STDOUT", "not json");
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_READY);
  g_assert_null (dr_cluster_get_kind_config (cluster));

  /* A cluster that is gone shares nothing any more. */
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT_MOUNTS", "STDOUT", mounts);
  refresh (cluster);
  g_assert_nonnull (dr_cluster_get_kind_config (cluster));
  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", "");
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_ABSENT);
  g_assert_null (dr_cluster_get_kind_config (cluster));
}

/* ---- A kubeconfig context ---------------------------------------------------------------- */

static void
test_context (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  DrOperation *(*verbs[]) (DrCluster *) = { dr_cluster_create, dr_cluster_start,
                                           dr_cluster_delete };

  dr_fake_host_add_tool (fake, "docker");
  dr_fake_host_add_tool (fake, "kind");

  g_assert_false (dr_cluster_is_kind (cluster));
  g_assert_null (dr_cluster_get_name (cluster));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_autoptr(DrOperation) op = verbs[i] (cluster);

      g_assert_true (dr_operation_is_finished (op));
      assert_contains (assert_failed (op, DR_OPERATION_FAILED, DR_ERROR,
                                      DR_ERROR_UNSUPPORTED)->message, "kubeconfig context");
    }

  /* The fake has no /readyz: /version answers for it. */
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_READY);
  g_assert_cmpstr (dr_cluster_get_name (cluster), ==, "fake");
  g_assert_nonnull (dr_cluster_get_kube_client (cluster));
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_MISSING);
  g_assert_null (dr_cluster_get_prerequisites (cluster));
  g_assert_null (dr_cluster_get_kind_config (cluster));
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "GET", "/readyz"), ==, 1);

  /* Not ready: unreachable, with the server named; the client stays for when it is back. */
  {
    g_autoptr(DrOperation) op = NULL;

    dr_fake_apiserver_reply_next (server, 500, "text/plain", "[-]etcd failed");
    op = dr_cluster_refresh (cluster);
    assert_succeeded (op);
    g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_UNREACHABLE);
    assert_contains (dr_cluster_get_state_detail (cluster), dr_fake_apiserver_get_url (server));
    g_assert_nonnull (dr_cluster_get_kube_client (cluster));
  }

  /* No host tool was ever run for a context. */
  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 0);
  dr_fake_host_free (fake);
}

static void
test_context_bad_kubeconfig (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "broken", NULL);
  g_autoptr(DrCluster) cluster = NULL;
  g_autoptr(DrOperation) op = NULL;

  dr_test_write_file (path, "apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n", 0600);
  cluster = dr_cluster_new_for_context (path, NULL);
  op = dr_cluster_refresh (cluster);
  assert_failed (op, DR_OPERATION_FAILED, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_UNKNOWN);
  g_assert_nonnull (dr_cluster_get_state_detail (cluster));
  g_assert_null (dr_cluster_get_kube_client (cluster));
}

/* ---- The controller ---------------------------------------------------------------------- */

static void
test_controller_versions (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);

  add_namespace (server, NS);
  add_namespace (server, "arc-old");

  /* Another installer's 0.13 controller. */
  add_controller (server, "arc-old", "arc-gha-rs-controller", "0.13.1", TRUE);
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==,
                   DR_CONTROLLER_STATE_OTHER_VERSION);
  g_assert_cmpstr (dr_cluster_get_controller_version (cluster), ==, "0.13.1");
  assert_contains (dr_cluster_get_controller_detail (cluster), "0.13.1");

  /* deskrun's own, of our version and available, is the one that counts. */
  add_controller (server, NS, FULLNAME, DR_ARC_VERSION, TRUE);
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_READY);
  g_assert_cmpstr (dr_cluster_get_controller_version (cluster), ==, DR_ARC_VERSION);
  g_assert_null (dr_cluster_get_controller_detail (cluster));
}

static void
test_controller_starting (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);

  add_namespace (server, NS);
  add_controller (server, NS, FULLNAME, "0.14.1", FALSE);
  add_object (server, "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": "
              "\"ctrl-1\", \"namespace\": \"" NS "\", \"labels\": {\"app.kubernetes.io/name\": "
              "\"gha-rs-controller\", \"app.kubernetes.io/namespace\": \"" NS "\", "
              "\"app.kubernetes.io/instance\": \"arc-controller\"}}, "
              "\"status\": {\"phase\": \"Pending\", \"conditions\": "
              "[{\"type\": \"PodScheduled\", \"status\": \"False\", \"reason\": "
              "\"Unschedulable\", \"message\": \"0/1 nodes are available\"}]}}");
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==,
                   DR_CONTROLLER_STATE_STARTING);
  g_assert_cmpstr (dr_cluster_get_controller_version (cluster), ==, "0.14.1");
  assert_contains (dr_cluster_get_controller_detail (cluster),
                   "ctrl-1 cannot be scheduled on a node: 0/1 nodes are available");
}

static void
test_install (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autofree char *chart = write_chart ();
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) stored = NULL;
  Timing timing = { .step = "Installing ARC’s controller…" };
  gint64 established_at;
  gint64 available_at;
  Play *play;
  static const char * const expected[] = {
    "ClusterRole/" FULLNAME,
    "ClusterRoleBinding/" FULLNAME,
    "CustomResourceDefinition/autoscalinglisteners.actions.github.com",
    "CustomResourceDefinition/autoscalingrunnersets.actions.github.com",
    "CustomResourceDefinition/ephemeralrunners.actions.github.com",
    "CustomResourceDefinition/ephemeralrunnersets.actions.github.com",
    "Deployment/" FULLNAME,
    "Namespace/" NS,
    "Role/" FULLNAME "-listener",
    "RoleBinding/" FULLNAME "-listener",
    "ServiceAccount/" FULLNAME,
    NULL
  };

  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_MISSING);

  play = play_start (server, TRUE, TRUE, FALSE);
  op = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
  g_signal_connect (op, "notify::step", G_CALLBACK (timing_step_cb), &timing);
  g_signal_connect (op, "notify::state", G_CALLBACK (timing_state_cb), &timing);
  assert_succeeded (op);
  established_at = play->established_at;
  available_at = play->available_at;
  play_stop (play);

  /* The waits watched (DESIGN.md "How data flows"): no CRD nor the Deployment was read
   * again and again, each CRD was listed once (narrowed to its name) and then watched. */
  for (guint i = 0; i < G_N_ELEMENTS (crd_names); i++)
    {
      g_autofree char *path = g_strconcat (CRD_PATH, crd_names[i], NULL);

      g_assert_cmpuint (count_gets (server, path, FALSE), ==, 0);
    }
  g_assert_cmpuint (count_gets (server, DEPLOYMENT_PATH, FALSE), ==, 0);
  g_assert_cmpuint (count_gets (server, CRD_COLLECTION, FALSE), ==, G_N_ELEMENTS (crd_names));
  g_assert_cmpuint (count_gets (server, CRD_COLLECTION, TRUE), >=, G_N_ELEMENTS (crd_names));
  g_assert_cmpuint (count_gets (server, DEPLOYMENT_COLLECTION, TRUE), >=, 1);

  /* The condition changes were seen as they happened, not at the next poll. */
  g_assert_cmpint (established_at, >, 0);
  g_assert_cmpint (available_at, >, 0);
  g_assert_cmpint (timing.step_at, >=, established_at);
  g_assert_cmpint (timing.ended_at, >=, available_at);
  g_test_message ("CRDs established → seen after %" G_GINT64_FORMAT " µs; Deployment "
                  "available → seen after %" G_GINT64_FORMAT " µs",
                  timing.step_at - established_at, timing.ended_at - available_at);
  g_assert_cmpint (timing.step_at - established_at, <, PROMPT_US);
  g_assert_cmpint (timing.ended_at - available_at, <, PROMPT_US);

  /* Exactly the objects of FACTS.md §3, nothing else. */
  stored = stored_objects (server);
  for (guint i = 0; expected[i] != NULL || stored[i] != NULL; i++)
    g_assert_cmpstr (stored[i], ==, expected[i]);
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (server), ==, 11);

  /* Every CRD went in by server-side apply, never by create or client-side apply. */
  for (guint i = 0; i < G_N_ELEMENTS (crd_names); i++)
    {
      g_autofree char *path = g_strconcat (CRD_PATH, crd_names[i], NULL);
      guint found = 0;

      for (guint r = 0; r < dr_fake_apiserver_count_requests (server, NULL, NULL); r++)
        {
          const DrFakeRequest *request = dr_fake_apiserver_get_request (server, r);

          /* The other PATCH is the test setting the condition. */
          if (!g_str_equal (request->method, "PATCH") || !g_str_equal (request->path, path) ||
              g_strcmp0 (request->content_type, "application/merge-patch+json") == 0)
            continue;
          found++;
          g_assert_cmpstr (request->content_type, ==, "application/apply-patch+yaml");
          g_assert_cmpstr (g_hash_table_lookup (request->params, "fieldManager"), ==, "deskrun");
          g_assert_cmpstr (g_hash_table_lookup (request->params, "force"), ==, "true");
        }
      g_assert_cmpuint (found, ==, 1);
    }
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "POST", NULL), ==, 0);

  /* The Deployment is deskrun's rendering. */
  {
    g_autoptr(JsonNode) deployment = dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH);
    g_autofree char *version = dr_arc_controller_get_version (deployment);

    g_assert_cmpstr (version, ==, DR_ARC_VERSION);
    g_assert_cmpstr (label_of (deployment, "app.kubernetes.io/managed-by"), ==, "deskrun");
  }

  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_READY);
  g_assert_cmpstr (dr_cluster_get_controller_version (cluster), ==, DR_ARC_VERSION);
  g_assert_cmpfloat (dr_operation_get_fraction (op), ==, 1.0);
  log = dr_operation_dup_log (op);
  assert_contains (log,
                   "Applying CustomResourceDefinition autoscalingrunnersets.actions.github.com");
  assert_contains (log, "Applying Deployment " FULLNAME);
  assert_contains (log, "ARC’s controller is available.");

  /* Installing again changes nothing and succeeds. */
  {
    g_autoptr(DrOperation) again = NULL;
    guint64 version = dr_fake_apiserver_get_resource_version (server);

    again = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
    assert_succeeded (again);
    g_assert_cmpuint (dr_fake_apiserver_get_resource_version (server), ==, version);
  }
}

static void
test_install_crd_timeout (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autofree char *chart = write_chart ();
  g_autoptr(DrOperation) op = NULL;
  const GError *error;

  _dr_cluster_set_timeouts (cluster, 5000, 300, 5000);
  op = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
  error = assert_failed (op, DR_OPERATION_FAILED, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_contains (error->message, "Established=True");
  for (guint i = 0; i < G_N_ELEMENTS (crd_names); i++)
    assert_contains (error->message, crd_names[i]);
  /* Nothing of the controller was applied before its kinds were known. */
  g_assert_null (dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH));
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_UNKNOWN);
  assert_contains (dr_cluster_get_controller_detail (cluster), "Established=True");
}

static void
test_install_controller_timeout (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autofree char *chart = write_chart ();
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *log = NULL;
  const GError *error;
  Play *play;

  _dr_cluster_set_timeouts (cluster, 5000, 10000, 1500);
  play = play_start (server, TRUE, FALSE, TRUE);
  op = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
  error = assert_failed (op, DR_OPERATION_FAILED, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  play_stop (play);

  assert_contains (error->message, "Available=True");
  assert_contains (error->message, "cannot pull the image " DR_ARC_CONTROLLER_IMAGE
                   " (ImagePullBackOff)");
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==,
                   DR_CONTROLLER_STATE_STARTING);
  assert_contains (dr_cluster_get_controller_detail (cluster), "ImagePullBackOff");
  log = dr_operation_dup_log (op);
  assert_contains (log, "ImagePullBackOff");
}

/* Without a chart file the pinned chart comes from the registry, or from the cache where an
 * earlier pull left it (no network here: a cached chart that matches its digest is used). */
static void
test_install_from_cache (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autoptr(DrOciChart) oci = dr_oci_chart_new ();
  g_autoptr(GBytes) chart = arc_chart ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(DrOperation) op = NULL;
  g_autofree char *cache_path = dr_oci_chart_dup_cache_path (oci);
  g_autofree char *digest_path = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(GError) error = NULL;
  Play *play;

  g_checksum_update (checksum, g_bytes_get_data (chart, NULL), g_bytes_get_size (chart));
  digest = g_strconcat ("sha256:", g_checksum_get_string (checksum), "\n", NULL);
  digest_path = g_strconcat (cache_path, ".sha256", NULL);
  dr_test_write_file (digest_path, digest, 0600);
  g_file_set_contents (cache_path, g_bytes_get_data (chart, NULL), g_bytes_get_size (chart),
                       &error);
  g_assert_no_error (error);

  play = play_start (server, TRUE, TRUE, FALSE);
  op = dr_cluster_install_controller (cluster, NULL, DR_CONTROLLER_INSTALL_NONE);
  assert_succeeded (op);
  play_stop (play);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_READY);
  g_assert_nonnull (dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH));
}

/* A mirror of the chart registry: the anonymous token, the manifest and the blob, no more. */
typedef struct
{
  GBytes *chart;
  char   *digest;
  guint   n_requests;
} Mirror;

static void
mirror_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           data)
{
  Mirror *mirror = data;
  g_autofree char *blob_path = g_strconcat ("/v2/" DR_ARC_CHART_REPOSITORY "/blobs/",
                                            mirror->digest, NULL);
  g_autofree char *body = NULL;

  mirror->n_requests++;
  if (strcmp (path, "/token") == 0)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                      "{\"token\":\"t\"}", strlen ("{\"token\":\"t\"}"));
  else if (strcmp (path, "/v2/" DR_ARC_CHART_REPOSITORY "/manifests/" DR_ARC_VERSION) == 0)
    {
      body = g_strdup_printf (
        "{\"schemaVersion\":2,"
        "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        "\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\","
        "\"digest\":\"sha256:%064d\",\"size\":100},"
        "\"layers\":[{\"mediaType\":\"application/vnd.cncf.helm.chart.content.v1.tar+gzip\","
        "\"digest\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}]}",
        0, mirror->digest, g_bytes_get_size (mirror->chart));
      soup_server_message_set_response (msg, "application/vnd.oci.image.manifest.v1+json",
                                        SOUP_MEMORY_COPY, body, strlen (body));
    }
  else if (strcmp (path, blob_path) == 0)
    soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (mirror->chart, NULL),
                                      g_bytes_get_size (mirror->chart));
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

/* Without a chart file, the chart comes from the registry the cluster was given. */
static void
test_install_from_mirror (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autoptr(DrOciChart) oci = dr_oci_chart_new ();
  g_autofree char *cache_path = dr_oci_chart_dup_cache_path (oci);
  g_autofree char *digest_path = g_strconcat (cache_path, ".sha256", NULL);
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  Mirror mirror = { 0 };
  Play *play;

  mirror.chart = arc_chart ();
  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, mirror.chart);
  mirror.digest = g_strconcat ("sha256:", hex, NULL);
  soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  soup_server_add_handler (soup, NULL, mirror_cb, &mirror, NULL);
  uris = soup_server_get_uris (soup);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Nothing cached, so the chart has to be pulled. */
  g_unlink (cache_path);
  g_unlink (digest_path);

  g_assert_null (dr_cluster_get_chart_registry (cluster));
  dr_cluster_set_chart_registry (cluster, url);
  g_assert_cmpstr (dr_cluster_get_chart_registry (cluster), ==, url);

  play = play_start (server, TRUE, TRUE, FALSE);
  op = dr_cluster_install_controller (cluster, NULL, DR_CONTROLLER_INSTALL_NONE);
  assert_succeeded (op);
  play_stop (play);
  g_assert_cmpuint (mirror.n_requests, >=, 3);
  g_assert_true (g_file_test (cache_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_READY);
  g_assert_nonnull (dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH));

  soup_server_disconnect (soup);
  g_bytes_unref (mirror.chart);
  g_free (mirror.digest);
}

/* Scale sets of another ARC version: refused, unless they are to be migrated. */
static void
test_upgrade_guard (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autofree char *chart = write_chart ();
  g_autoptr(DrOperation) refused = NULL;
  g_autoptr(DrOperation) migrated = NULL;
  g_autoptr(JsonNode) old = NULL;
  g_autoptr(JsonNode) current = NULL;
  const GError *error;
  guint objects;
  guint scale_down = G_MAXUINT;
  guint relabel = G_MAXUINT;
  Play *play;

  add_namespace (server, NS);
  add_namespace (server, "arc-runners");
  add_controller (server, NS, FULLNAME, "0.13.1", TRUE);
  add_object (server, "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": "
              "\"ctrl-old\", \"namespace\": \"" NS "\", \"labels\": "
              "{\"app.kubernetes.io/name\": \"gha-rs-controller\", "
              "\"app.kubernetes.io/namespace\": \"" NS "\", "
              "\"app.kubernetes.io/instance\": \"arc-controller\"}}, "
              "\"status\": {\"phase\": \"Running\"}}");
  add_scale_set (server, "arc-runners", "old", "0.13.1");
  add_scale_set (server, "arc-runners", "current", DR_ARC_VERSION);
  refresh (cluster);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==,
                   DR_CONTROLLER_STATE_OTHER_VERSION);

  objects = dr_fake_apiserver_get_n_objects (server);
  refused = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
  error = assert_failed (refused, DR_OPERATION_FAILED, DR_ERROR, DR_ERROR_CONFLICT);
  assert_contains (error->message, "arc-runners/old (0.13.1)");
  assert_contains (error->message, "app.kubernetes.io/version");
  assert_contains (error->message, "would delete them");
  g_assert_null (strstr (error->message, "arc-runners/current"));
  g_assert_cmpuint (dr_fake_apiserver_get_n_objects (server), ==, objects);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "PATCH", NULL), ==, 0);
  /* Nothing was touched: the controller is as it was. */
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==,
                   DR_CONTROLLER_STATE_OTHER_VERSION);

  play = play_start (server, TRUE, TRUE, FALSE);
  play->old_pod = OLD_POD_PATH;
  migrated = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_MIGRATE);
  assert_succeeded (migrated);
  play_stop (play);
  /* The old controller's pod was watched until it went, not listed again and again. */
  g_assert_null (dr_fake_apiserver_get_object (server, OLD_POD_PATH));
  g_assert_cmpuint (count_gets (server, "/api/v1/namespaces/" NS "/pods", TRUE), >=, 1);
  {
    guint pod_gone = G_MAXUINT;
    guint relabelled = G_MAXUINT;

    for (guint e = 0; e < dr_fake_apiserver_get_n_events (server); e++)
      {
        const DrFakeEvent *event = dr_fake_apiserver_get_event (server, e);

        if (g_str_equal (event->type, "DELETED") && g_str_equal (event->path, OLD_POD_PATH))
          pod_gone = e;
        if (g_str_equal (event->type, "MODIFIED") && relabelled == G_MAXUINT &&
            g_str_has_suffix (event->path, "/autoscalingrunnersets/old"))
          relabelled = e;
      }
    g_assert_cmpuint (pod_gone, <, relabelled);
    g_assert_cmpuint (relabelled, <, G_MAXUINT);
  }

  old = dr_fake_apiserver_get_object (server,
                                      "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/"
                                      "autoscalingrunnersets/old");
  current = dr_fake_apiserver_get_object (server,
                                          "/apis/actions.github.com/v1alpha1/namespaces/"
                                          "arc-runners/autoscalingrunnersets/current");
  g_assert_cmpstr (label_of (old, "app.kubernetes.io/version"), ==, DR_ARC_VERSION);
  g_assert_cmpstr (label_of (current, "app.kubernetes.io/version"), ==, DR_ARC_VERSION);

  /* The old controller was stopped before the scale sets got the new label. */
  for (guint r = 0; r < dr_fake_apiserver_count_requests (server, NULL, NULL); r++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, r);

      if (!g_str_equal (request->method, "PATCH") ||
          g_strcmp0 (request->content_type, "application/merge-patch+json") != 0)
        continue;
      if (g_str_equal (request->path, DEPLOYMENT_PATH) && scale_down == G_MAXUINT)
        {
          assert_contains (g_bytes_get_data (request->body, NULL), "\"replicas\":0");
          scale_down = r;
        }
      if (g_str_has_suffix (request->path, "/autoscalingrunnersets/old"))
        relabel = r;
    }
  g_assert_cmpuint (scale_down, <, relabel);
  g_assert_cmpuint (relabel, <, G_MAXUINT);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (
    server, "PATCH", "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/"
                     "autoscalingrunnersets/current"), ==, 0);
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_READY);
  g_assert_cmpstr (dr_cluster_get_controller_version (cluster), ==, DR_ARC_VERSION);
}

/* A controller installed by someone else is left alone. */
static void
test_install_foreign_controller (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autoptr(DrOperation) op = NULL;

  add_namespace (server, "arc-systems");
  add_controller (server, "arc-systems", "arc-gha-rs-controller", DR_ARC_VERSION, TRUE);
  op = dr_cluster_install_controller (cluster, "/nonexistent/chart.tgz",
                                      DR_CONTROLLER_INSTALL_MIGRATE);
  assert_contains (assert_failed (op, DR_OPERATION_FAILED, DR_ERROR,
                                  DR_ERROR_CONFLICT)->message, "arc-gha-rs-controller");
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), ==, DR_CONTROLLER_STATE_READY);
  g_assert_cmpuint (dr_fake_apiserver_count_requests (server, "PATCH", NULL), ==, 0);
}

typedef struct
{
  DrFakeApiserver *server;
  DrOperation     *op;
  gboolean         cancelled;
} CancelWhenApplied;

static gboolean
cancel_when_applied_cb (gpointer data)
{
  CancelWhenApplied *when = data;

  for (guint i = 0; i < G_N_ELEMENTS (crd_names); i++)
    {
      g_autofree char *path = g_strconcat (CRD_PATH, crd_names[i], NULL);

      if (!applied (when->server, path))
        return G_SOURCE_CONTINUE;
    }
  when->cancelled = TRUE;
  dr_operation_cancel (when->op);
  return G_SOURCE_REMOVE;
}

static void
test_install_cancel (void)
{
  g_autoptr(DrFakeApiserver) server = new_server ();
  g_autoptr(DrCluster) cluster = context_cluster (server);
  g_autofree char *chart = write_chart ();
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) second = NULL;
  CancelWhenApplied when = { .server = server };

  op = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
  /* One at a time. */
  second = dr_cluster_install_controller (cluster, chart, DR_CONTROLLER_INSTALL_NONE);
  assert_contains (assert_failed (second, DR_OPERATION_FAILED, DR_ERROR,
                                  DR_ERROR_CONFLICT)->message, "still running");

  when.op = op;
  g_timeout_add (20, cancel_when_applied_cb, &when);
  assert_failed (op, DR_OPERATION_CANCELLED, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (when.cancelled);
  g_assert_null (dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH));
  g_assert_cmpint (dr_cluster_get_controller_state (cluster), !=,
                   DR_CONTROLLER_STATE_INSTALLING);

  /* Done: the next verb may run. */
  {
    g_autoptr(DrOperation) refresh_op = dr_cluster_refresh (cluster);

    assert_succeeded (refresh_op);
  }
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add ("/cluster/kind/states", KindFixture, NULL, kind_setup, test_kind_states,
              kind_teardown);
  g_test_add ("/cluster/kind/no-engine", KindFixture, NULL, kind_setup, test_kind_no_engine,
              kind_teardown);
  g_test_add ("/cluster/kind/create", KindFixture, NULL, kind_setup, test_kind_create,
              kind_teardown);
  g_test_add ("/cluster/kind/create-cancel", KindFixture, NULL, kind_setup,
              test_kind_create_cancel, kind_teardown);
  g_test_add ("/cluster/kind/start", KindFixture, NULL, kind_setup, test_kind_start,
              kind_teardown);
  g_test_add ("/cluster/kind/delete", KindFixture, NULL, kind_setup, test_kind_delete,
              kind_teardown);
  g_test_add ("/cluster/kind/mounts", KindFixture, NULL, kind_setup, test_kind_mounts,
              kind_teardown);
  g_test_add_func ("/cluster/context/no-kind-verbs", test_context);
  g_test_add_func ("/cluster/context/bad-kubeconfig", test_context_bad_kubeconfig);
  g_test_add_func ("/cluster/controller/versions", test_controller_versions);
  g_test_add_func ("/cluster/controller/starting", test_controller_starting);
  g_test_add_func ("/cluster/install/objects", test_install);
  g_test_add_func ("/cluster/install/from-cache", test_install_from_cache);
  g_test_add_func ("/cluster/install/from-mirror", test_install_from_mirror);
  g_test_add_func ("/cluster/install/crd-timeout", test_install_crd_timeout);
  g_test_add_func ("/cluster/install/controller-timeout", test_install_controller_timeout);
  g_test_add_func ("/cluster/install/upgrade-guard", test_upgrade_guard);
  g_test_add_func ("/cluster/install/foreign-controller", test_install_foreign_controller);
  g_test_add_func ("/cluster/install/cancel", test_install_cancel);

  return g_test_run ();
}
