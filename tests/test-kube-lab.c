/* test-kube-lab.c — the engine, the kube client and deskrunctl against a real API server
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ../shared/kube-lab runs a real kube-apiserver and kube-controller-manager (1.28) with etcd
 * on loopback. kube-lab-run.sh starts one in a temporary folder for this whole program, sets
 * KUBE_LAB_* and stops it when the program ends, however it ends. The cases run in order and
 * share the lab: the controller is installed first, the runners come after it, the API
 * server is restarted last. There is no kubelet: this test marks the controller's pods ready
 * the way a kubelet would, and writes the scale sets' status the way ARC's controller would;
 * everything else (validation against the CRDs, server-side apply, watches, the garbage
 * collector, RBAC) is the real thing.
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "dr-arc-render.h"
#include "dr-credential.h"
#include "dr-engine.h"
#include "dr-error.h"
#include "dr-kube-client.h"
#include "dr-kube-store.h"
#include "dr-kube-watch.h"
#include "dr-kubeconfig-file.h"
#include "dr-runner.h"
#include "dr-test-chart.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

#define FAKE_TOKEN   "ghp_kubelab0123456789abcdefghijklmnopqrstu"
#define REPOSITORY   "https://github.com/octo/hello"
#define RUNNER_NS    "arc-runners"
#define CONTROLLER_NS "arc-systems"
#define ARS_DIR      "/apis/actions.github.com/v1alpha1/namespaces/" RUNNER_NS \
                     "/autoscalingrunnersets/"
#define TEST_NS      "kube-lab-watch"

/* This machine runs several builds at once; a real control plane is slower than a fake. */
#define WAIT_MS      90000

static const char *lab_script;
static const char *lab_dir;
static const char *lab_kubeconfig;

static gboolean
have_lab (void)
{
  if (lab_kubeconfig == NULL)
    {
      g_test_skip ("needs a kube-lab started by kube-lab-run.sh (../shared/kube-lab, a real "
                   "API server); run the 'integration' suite");
      return FALSE;
    }
  return TRUE;
}

/* ---- Talking to the lab ------------------------------------------------------------------- */

static DrKubeClient *
client_for_kubeconfig (const char *path)
{
  const char *paths[] = { path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeContext) context = NULL;
  DrKubeconfig *kubeconfig;
  DrKubeClient *client;

  kubeconfig = dr_kubeconfig_load_files (paths, &error);
  g_assert_no_error (error);
  context = dr_kubeconfig_resolve (kubeconfig, NULL, &error);
  g_assert_no_error (error);
  dr_kubeconfig_free (kubeconfig);
  client = dr_kube_client_new (context, &error);
  g_assert_no_error (error);
  return client;
}

static DrKubeClient *
lab_client (void)
{
  return client_for_kubeconfig (lab_kubeconfig);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  dr_test_wait_until (have_result, result, WAIT_MS, "a reply of the API server");
  return *result;
}

static gboolean
spin_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, spin_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* GET @path: the object, or NULL with @error set (NOT_FOUND for a missing one). */
static JsonNode *
get_sync (DrKubeClient *client,
          const char   *path,
          GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_kube_client_get_async (client, path, NULL, store_result_cb, &result);
  return dr_kube_client_get_finish (client, wait_result (&result), error);
}

static JsonNode *
get_object (DrKubeClient *client,
            const char   *path)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = get_sync (client, path, &error);

  g_assert_no_error (error);
  return node;
}

static gboolean
object_exists (DrKubeClient *client,
               const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get_sync (client, path, &error);

  if (node != NULL)
    return TRUE;
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  return FALSE;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
merge_patch (DrKubeClient *client,
             const char   *path,
             const char   *patch_text)
{
  g_autoptr(JsonNode) patch = parse_json (patch_text);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  dr_kube_client_merge_patch_async (client, path, patch, DR_KUBE_WRITE_NONE, NULL,
                                    store_result_cb, &result);
  node = dr_kube_client_merge_patch_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return node;
}

static JsonNode *
apply (DrKubeClient *client,
       const char   *path,
       const char   *object_text)
{
  g_autoptr(JsonNode) object = parse_json (object_text);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  dr_kube_client_apply_async (client, path, object, DR_KUBE_WRITE_NONE, NULL, store_result_cb,
                              &result);
  node = dr_kube_client_apply_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return node;
}

static void
delete_object (DrKubeClient *client,
               const char   *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  dr_kube_client_delete_async (client, path, DR_KUBE_PROPAGATION_BACKGROUND, DR_KUBE_WRITE_NONE,
                               NULL, store_result_cb, &result);
  node = dr_kube_client_delete_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
}

static char *
dup_string (JsonNode   *node,
            const char *first,
            const char *second)
{
  JsonObject *object = json_node_get_object (node);

  object = json_object_get_object_member (object, first);
  g_assert_nonnull (object);
  return g_strdup (json_object_get_string_member_with_default (object, second, NULL));
}

static gint64
ars_spec_int (DrKubeClient *client,
              const char   *name,
              const char   *member)
{
  g_autofree char *path = g_strconcat (ARS_DIR, name, NULL);
  g_autoptr(JsonNode) ars = get_object (client, path);
  JsonObject *spec = json_object_get_object_member (json_node_get_object (ars), "spec");

  return json_object_get_int_member_with_default (spec, member, -1);
}

static char *
ars_uid (DrKubeClient *client,
         const char   *name)
{
  g_autofree char *path = g_strconcat (ARS_DIR, name, NULL);
  g_autoptr(JsonNode) ars = get_object (client, path);

  return dup_string (ars, "metadata", "uid");
}

/* Waits until @path is gone (finalizers and the garbage collector are real, so "gone" can
 * take a moment after the DELETE). */
typedef struct
{
  DrKubeClient *client;
  const char   *path;
} GoneCheck;

static gboolean
is_gone (gpointer data)
{
  GoneCheck *check = data;

  return !object_exists (check->client, check->path);
}

static void
wait_gone (DrKubeClient *client,
           const char   *path)
{
  GoneCheck check = { client, path };

  dr_test_wait_until (is_gone, &check, WAIT_MS, path);
}

/* ---- The lab's own tools ------------------------------------------------------------------ */

/* Runs `bash kube-lab VERB lab-dir ARGS…` and fails the test if it fails. */
static void
lab_command (const char *verb,
             ...) G_GNUC_NULL_TERMINATED;

static void
lab_command (const char *verb,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "bash");
  g_ptr_array_add (argv, (gpointer) lab_script);
  g_ptr_array_add (argv, (gpointer) verb);
  g_ptr_array_add (argv, (gpointer) lab_dir);
  va_start (ap, verb);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("kube-lab %s failed: %s", verb, err);
}

/* etcd's JSON gateway (/v3/…, plain HTTP on loopback): @body in, the reply out. */
static JsonNode *
etcd_call (const char *method,
           const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (g_getenv ("KUBE_LAB_ETCD"), "/v3/", method, NULL);
  g_autofree char *text = NULL;

  msg = soup_message_new ("POST", uri);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return parse_json (text);
}

/* Forgets every version of every object up to now, as etcd's periodic compaction does. */
static void
etcd_compact (void)
{
  g_autoptr(JsonNode) range = etcd_call ("kv/range", "{\"key\": \"AA==\"}");
  JsonObject *header = json_object_get_object_member (json_node_get_object (range), "header");
  const char *revision = json_object_get_string_member (header, "revision");
  g_autofree char *body = g_strdup_printf ("{\"revision\": \"%s\", \"physical\": true}",
                                           revision);
  g_autoptr(JsonNode) compacted = etcd_call ("kv/compaction", body);

  g_test_message ("etcd compacted at revision %s", revision);
}

/* ---- deskrunctl --------------------------------------------------------------------------- */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Pending;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Pending *pending = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &pending->out,
                                        &pending->err, &pending->error);
  pending->done = TRUE;
}

typedef struct
{
  GSubprocess *process;
  Pending      pending;
} Background;

/* Starts deskrunctl in this test case's isolated directories; run_finish() waits for it
 * with the main context running (this process acts as the kubelet meanwhile). */
static Background *
run_start (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Background *bg = g_new0 (Background, 1);

  g_ptr_array_add (argv, (gpointer) g_getenv ("DESKRUNCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_subprocess_launcher_unsetenv (launcher, "KUBECONFIG");
  bg->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                              &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (bg->process, "", NULL, communicate_cb, &bg->pending);
  return bg;
}

static Run *
run_finish (Background *bg)
{
  g_autoptr(GError) error = NULL;
  Run *run;

  dr_test_wait_for_flag (&bg->pending.done, WAIT_MS * 2);
  g_assert_no_error (bg->pending.error);
  g_subprocess_wait (bg->process, NULL, &error);
  g_assert_no_error (error);

  run = g_new0 (Run, 1);
  g_assert_true (g_subprocess_get_if_exited (bg->process));
  run->status = g_subprocess_get_exit_status (bg->process);
  run->out = bg->pending.out;
  run->err = bg->pending.err;
  g_test_message ("deskrunctl exited %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out,
                  run->err);
  g_object_unref (bg->process);
  g_free (bg);
  return run;
}

static Run *
run_args (const char * const *args)
{
  return run_finish (run_start (args));
}

static Run *
run_list (const char *first,
          ...) G_GNUC_NULL_TERMINATED;

static Run *
run_list (const char *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) first);
  va_start (ap, first);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_args ((const char * const *) args->pdata);
}

/* deskrunctl --kubeconfig LAB … */
#define ctl(...) run_list ("--kubeconfig", lab_kubeconfig, __VA_ARGS__, NULL)

static void
assert_ok (Run *run)
{
  if (run->status != 0)
    g_error ("deskrunctl exited %d: %s", run->status, run->err);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text, needle);
}

static void
add_runner_ctl (const char *name,
                const char *mode)
{
  g_autofree char *token_file = g_build_filename (g_get_home_dir (), "token", NULL);
  g_autoptr(Run) r = NULL;

  dr_test_write_file (token_file, FAKE_TOKEN, 0600);
  r = run_list ("add", name, "--repository", REPOSITORY, "--token-file", token_file, "--mode",
                mode, "--min-runners", "0", "--max-runners", "2", "--no-apply", NULL);
  assert_ok (r);
}

/* ---- A kubelet, as far as readiness goes ------------------------------------------------- */

/* Marks every pod of @namespace that is not Ready as running and ready, as the kubelet of a
 * node would once its containers started. The controller manager's ReplicaSet and
 * Deployment controllers then do the rest. */
typedef struct
{
  DrKubeClient *client;
  char         *namespace_;
  gboolean      busy;
  guint         source;
  guint         marked;
} Kubelet;

static void
kubelet_patched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Kubelet *kubelet = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object), result, &error);
  if (node != NULL)
    kubelet->marked++;
  else
    g_test_message ("kubelet: %s", error->message);
  kubelet->busy = FALSE;
}

static void
kubelet_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Kubelet *kubelet = user_data;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  list = dr_kube_client_list_finish (DR_KUBE_CLIENT (object), result, &error);
  kubelet->busy = FALSE;
  if (list == NULL)
    return;
  items = json_object_get_array_member (json_node_get_object (list), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *pod = json_array_get_element (items, i);
      g_autofree char *name = dup_string (pod, "metadata", "name");
      g_autofree char *text = json_to_string (pod, FALSE);
      g_autofree char *path = NULL;
      g_autofree char *now = NULL;
      g_autofree char *patch_text = NULL;
      g_autoptr(GDateTime) time = NULL;
      g_autoptr(JsonNode) patch = NULL;

      if (strstr (text, "\"type\":\"Ready\",\"status\":\"True\"") != NULL)
        continue;
      time = g_date_time_new_now_utc ();
      now = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
      patch_text = g_strdup_printf ("{\"status\": {\"phase\": \"Running\", \"conditions\": ["
                                    "{\"type\": \"Ready\", \"status\": \"True\", "
                                    "\"lastTransitionTime\": \"%s\"}, "
                                    "{\"type\": \"ContainersReady\", \"status\": \"True\", "
                                    "\"lastTransitionTime\": \"%s\"}]}}",
                                    now, now);
      patch = parse_json (patch_text);
      path = g_strconcat ("/api/v1/namespaces/", kubelet->namespace_, "/pods/", name,
                          "/status", NULL);
      kubelet->busy = TRUE;
      dr_kube_client_merge_patch_async (kubelet->client, path, patch, DR_KUBE_WRITE_NONE, NULL,
                                        kubelet_patched_cb, kubelet);
      return;
    }
}

static gboolean
kubelet_tick_cb (gpointer user_data)
{
  Kubelet *kubelet = user_data;
  g_autofree char *path = NULL;

  if (kubelet->busy)
    return G_SOURCE_CONTINUE;
  kubelet->busy = TRUE;
  path = dr_kube_path ("v1", "pods", kubelet->namespace_, NULL);
  dr_kube_client_list_async (kubelet->client, path, NULL, NULL, kubelet_listed_cb, kubelet);
  return G_SOURCE_CONTINUE;
}

static Kubelet *
kubelet_start (const char *namespace_)
{
  Kubelet *kubelet = g_new0 (Kubelet, 1);

  kubelet->client = lab_client ();
  kubelet->namespace_ = g_strdup (namespace_);
  kubelet->source = g_timeout_add (300, kubelet_tick_cb, kubelet);
  return kubelet;
}

static gboolean
kubelet_idle (gpointer data)
{
  return !((Kubelet *) data)->busy;
}

static void
kubelet_stop (Kubelet *kubelet)
{
  g_source_remove (kubelet->source);
  dr_test_wait_until (kubelet_idle, kubelet, WAIT_MS, "the kubelet's last request");
  g_object_unref (kubelet->client);
  g_free (kubelet->namespace_);
  g_free (kubelet);
}

/* ---- Cases -------------------------------------------------------------------------------- */

/* The controller from a chart file: CRDs applied and Established (the real apiextensions
 * server decides), the Deployment available once its pod is ready (the real Deployment
 * controller decides). */
static void
test_controller_install (void)
{
  g_autoptr(GBytes) chart = NULL;
  g_autofree char *chart_path = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  Kubelet *kubelet;

  if (!have_lab ())
    return;
  chart = dr_test_arc_chart_new (DR_ARC_VERSION);
  if (chart == NULL)
    return;
  chart_path = g_build_filename (g_get_home_dir (), "controller.tgz", NULL);
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (chart_path, g_bytes_get_data (chart, NULL),
                                      g_bytes_get_size (chart), NULL));
  client = lab_client ();

  {
    g_autoptr(Run) r = ctl ("controller", "status");

    assert_ok (r);
    assert_contains (r->out, "missing");
  }

  kubelet = kubelet_start (CONTROLLER_NS);
  {
    g_autoptr(Run) r = ctl ("controller", "install", "--chart", chart_path);

    assert_ok (r);
  }
  kubelet_stop (kubelet);

  {
    g_autoptr(JsonNode) crd = get_object (client, "/apis/apiextensions.k8s.io/v1/"
                                          "customresourcedefinitions/"
                                          "autoscalingrunnersets.actions.github.com");
    g_autofree char *text = json_to_string (crd, FALSE);

    assert_contains (text, "\"type\":\"Established\",\"status\":\"True\"");
  }
  {
    g_autoptr(Run) r = ctl ("controller", "status");

    assert_ok (r);
    assert_contains (r->out, "ready (" DR_ARC_VERSION ")");
  }
}

/* Every container mode, applied by server-side apply and accepted by the real CRD schema
 * with strict field validation; a second apply changes nothing. */
static void
test_modes (void)
{
  static const char * const modes[] = { "kubernetes", "privileged", "dind" };
  g_autoptr(DrKubeClient) client = NULL;

  if (!have_lab ())
    return;
  client = lab_client ();

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *name = g_strdup_printf ("mode-%s", modes[i]);
      g_autofree char *path = g_strconcat (ARS_DIR, name, NULL);
      g_autofree char *uid = NULL;
      g_autofree char *version = NULL;
      g_autoptr(JsonNode) ars = NULL;
      g_autoptr(JsonNode) again = NULL;

      add_runner_ctl (name, modes[i]);
      {
        g_autoptr(Run) r = ctl ("apply", name);
        g_autofree char *applied = g_strdup_printf ("autoscalingrunnerset/%s applied", name);

        assert_ok (r);
        assert_contains (r->err, applied);
      }
      ars = get_object (client, path);
      uid = dup_string (ars, "metadata", "uid");
      version = dup_string (ars, "metadata", "resourceVersion");
      g_assert_cmpint (ars_spec_int (client, name, "maxRunners"), ==, 2);
      {
        g_autofree char *secret = g_strdup_printf ("/api/v1/namespaces/" RUNNER_NS "/secrets/"
                                                   "%s-gha-rs-github-secret", name);

        g_assert_true (object_exists (client, secret));
      }

      /* Applying what is there already is a no-op for the API server. */
      {
        g_autoptr(Run) r = ctl ("apply", name);

        assert_ok (r);
      }
      again = get_object (client, path);
      {
        g_autofree char *uid_again = dup_string (again, "metadata", "uid");
        g_autofree char *version_again = dup_string (again, "metadata", "resourceVersion");

        g_assert_cmpstr (uid, ==, uid_again);
        g_assert_cmpstr (version, ==, version_again);
      }
    }
}

/* Scaling patches the scale set in place: the same object, new limits. */
static void
test_scale (void)
{
  g_autoptr(DrKubeClient) client = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *uid_after = NULL;

  if (!have_lab ())
    return;
  client = lab_client ();
  add_runner_ctl ("scaled", "kubernetes");
  {
    g_autoptr(Run) r = ctl ("apply", "scaled");

    assert_ok (r);
  }
  uid = ars_uid (client, "scaled");
  {
    g_autoptr(Run) r = ctl ("scale", "scaled", "--min-runners", "1", "--max-runners", "4");

    assert_ok (r);
  }
  g_assert_cmpint (ars_spec_int (client, "scaled", "minRunners"), ==, 1);
  g_assert_cmpint (ars_spec_int (client, "scaled", "maxRunners"), ==, 4);
  uid_after = ars_uid (client, "scaled");
  g_assert_cmpstr (uid, ==, uid_after);
}

/* The rendered GitHub Secret of runner @name for @credential, server-side applied. */
static JsonNode *
apply_rendered_secret (DrKubeClient       *client,
                       const char         *name,
                       const DrCredential *credential)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DrArcRenderOptions options;
  JsonNode *secret = NULL;
  JsonNode *node;

  dr_arc_render_options_init (&options);
  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup (REPOSITORY);
  spec->credential_kind = credential->kind;
  objects = dr_arc_render_runner (spec, credential, &options, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < objects->len && secret == NULL; i++)
    {
      JsonNode *object = g_ptr_array_index (objects, i);

      if (g_strcmp0 (json_object_get_string_member (json_node_get_object (object), "kind"),
                     "Secret") == 0)
        secret = object;
    }
  g_assert_nonnull (secret);
  /* No ARS here to lift the cleanup finalizer, and the Secret is deleted at the end. */
  json_object_remove_member (json_object_get_object_member (json_node_get_object (secret),
                                                            "metadata"), "finalizers");
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/namespaces/" RUNNER_NS "/secrets/"
                                             "%s-gha-rs-github-secret", name);

    dr_kube_client_apply_async (client, path, secret, DR_KUBE_WRITE_NONE, NULL,
                                store_result_cb, &result);
    node = dr_kube_client_apply_finish (client, wait_result (&result), &error);
  }
  g_assert_no_error (error);
  return node;
}

static GList *
secret_keys (JsonNode *secret)
{
  JsonObject *data = json_object_get_object_member (json_node_get_object (secret), "data");

  g_assert_nonnull (data);
  return g_list_sort (json_object_get_members (data), (GCompareFunc) g_strcmp0);
}

/* Changing a runner's credential kind must leave only the new kind's keys in the Secret: ARC
 * refuses one holding both (FACTS.md §2.4). With stringData, the real API server merges the
 * new keys into data and keeps the old one (kubernetes#108008); with data, server-side apply
 * removes the key deskrun no longer sends. Both directions. */
static void
test_secret_kind_change (void)
{
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrCredential) pat = dr_credential_new_pat (FAKE_TOKEN);
  g_autoptr(DrCredential) app = dr_credential_new_app ("123456", "7890123",
                                                       "-----BEGIN TEST KEY-----\nx\n"
                                                       "-----END TEST KEY-----\n");

  if (!have_lab ())
    return;
  client = lab_client ();
  {
    g_autoptr(JsonNode) ns = apply (client, "/api/v1/namespaces/" RUNNER_NS,
                                    "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                    "\"metadata\": {\"name\": \"" RUNNER_NS "\"}}");
  }

  {
    g_autoptr(JsonNode) secret = apply_rendered_secret (client, "kind-change", pat);
    g_autoptr(GList) keys = secret_keys (secret);

    g_assert_cmpuint (g_list_length (keys), ==, 1);
    g_assert_cmpstr (keys->data, ==, "github_token");
  }
  {
    g_autoptr(JsonNode) secret = apply_rendered_secret (client, "kind-change", app);
    g_autoptr(GList) keys = secret_keys (secret);

    g_assert_cmpuint (g_list_length (keys), ==, 3);
    g_assert_cmpstr (keys->data, ==, "github_app_id");
    g_assert_cmpstr (keys->next->data, ==, "github_app_installation_id");
    g_assert_cmpstr (keys->next->next->data, ==, "github_app_private_key");
  }
  {
    g_autoptr(JsonNode) secret = apply_rendered_secret (client, "kind-change", pat);
    g_autoptr(GList) keys = secret_keys (secret);

    g_assert_cmpuint (g_list_length (keys), ==, 1);
    g_assert_cmpstr (keys->data, ==, "github_token");
  }
  delete_object (client, "/api/v1/namespaces/" RUNNER_NS
                 "/secrets/kind-change-gha-rs-github-secret");
}

/* ---- The engine --------------------------------------------------------------------------- */

static DrEngine *
engine_with_runner (const char      *name,
                    DrContainerMode  mode,
                    DrKubeClient    *client)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat (FAKE_TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(GError) error = NULL;

  dr_engine_load (engine);
  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup (REPOSITORY);
  spec->mode = mode;
  spec->min_runners = 0;
  spec->max_runners = 3;
  dr_engine_add_runner_async (engine, spec, credential, NULL, store_result_cb, &result);
  runner = dr_engine_add_runner_finish (engine, wait_result (&result), &error);
  g_assert_no_error (error);
  dr_engine_set_kube_client (engine, client);
  return g_steal_pointer (&engine);
}

static gboolean
operation_finished (gpointer data)
{
  return dr_operation_is_finished (data);
}

static void
assert_succeeds (DrOperation *operation)
{
  dr_test_wait_until (operation_finished, operation, WAIT_MS * 2, "the operation");
  if (dr_operation_get_error (operation) != NULL)
    g_error ("operation failed: %s", dr_operation_get_error (operation)->message);
}

static gboolean
engine_synced (gpointer data)
{
  return dr_engine_get_synced (data);
}

static gboolean
engine_has_no_error (gpointer data)
{
  return dr_engine_get_cluster_error (data) == NULL;
}

typedef struct
{
  DrEngine   *engine;
  const char *name;
  guint       current;
} RunnerCheck;

static gboolean
runner_has_current (gpointer data)
{
  RunnerCheck *check = data;
  DrRunner *runner = dr_engine_lookup_runner (check->engine, check->name);

  return runner != NULL && dr_runner_get_deployed (runner) &&
         dr_runner_get_current_runners (runner) == check->current;
}

/* What the controller writes into a scale set's status reaches the runner through the
 * engine's watches, with nothing polling: each change in turn. */
static void
test_watch_convergence (void)
{
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrOperation) op = NULL;

  if (!have_lab ())
    return;
  client = lab_client ();
  engine = engine_with_runner ("watched", DR_CONTAINER_MODE_KUBERNETES, client);
  op = dr_engine_apply_runner (engine, "watched");
  assert_succeeds (op);
  dr_test_wait_until (engine_synced, engine, WAIT_MS, "the engine's first look");

  for (guint current = 1; current <= 3; current++)
    {
      g_autofree char *patch = g_strdup_printf ("{\"status\": {\"currentRunners\": %u, "
                                                "\"pendingEphemeralRunners\": %u, "
                                                "\"runningEphemeralRunners\": 0}}",
                                                current, current);
      g_autoptr(JsonNode) reply = merge_patch (client, ARS_DIR "watched/status", patch);
      RunnerCheck check = { engine, "watched", current };

      dr_test_wait_until (runner_has_current, &check, WAIT_MS, "the runner's new count");
    }
  {
    DrRunner *runner = dr_engine_lookup_runner (engine, "watched");

    g_assert_cmpuint (dr_runner_get_pending_runners (runner), ==, 3);
  }
  g_assert_null (dr_engine_get_cluster_error (engine));
}

/* dind → kubernetes: the ServiceAccount only dind had goes, the kube-mode objects come, the
 * scale set stays the same object. */
static void
test_prune (void)
{
  const char *no_permission = "/api/v1/namespaces/" RUNNER_NS "/serviceaccounts/"
                              "pruned-gha-rs-no-permission";
  const char *kube_mode = "/api/v1/namespaces/" RUNNER_NS "/serviceaccounts/"
                          "pruned-gha-rs-kube-mode";
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrOperation) again = NULL;
  g_autoptr(DrRunnerSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *uid_after = NULL;
  DrConfig *config;

  if (!have_lab ())
    return;
  client = lab_client ();
  engine = engine_with_runner ("pruned", DR_CONTAINER_MODE_DIND, client);
  op = dr_engine_apply_runner (engine, "pruned");
  assert_succeeds (op);
  g_assert_true (object_exists (client, no_permission));
  g_assert_false (object_exists (client, kube_mode));
  uid = ars_uid (client, "pruned");

  config = dr_engine_get_config (engine);
  spec = dr_runner_spec_copy (dr_config_lookup_runner (config, "pruned"));
  spec->mode = DR_CONTAINER_MODE_KUBERNETES;
  g_assert_true (dr_config_put_runner (config, spec, &error));
  g_assert_no_error (error);
  again = dr_engine_apply_runner (engine, "pruned");
  assert_succeeds (again);

  wait_gone (client, no_permission);
  g_assert_true (object_exists (client, kube_mode));
  uid_after = ars_uid (client, "pruned");
  g_assert_cmpstr (uid, ==, uid_after);
}

typedef struct
{
  DrKubeClient *client;
  const char   *path;
} TerminatingCheck;

static gboolean
is_terminating (gpointer data)
{
  TerminatingCheck *check = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = get_sync (check->client, check->path, &error);
  JsonObject *metadata;

  if (node == NULL)
    return FALSE;
  metadata = json_object_get_object_member (json_node_get_object (node), "metadata");
  return json_object_has_member (metadata, "deletionTimestamp");
}

/* Remove: the scale set first, and its helpers only once it is gone. With a finalizer on
 * the scale set (ARC's controller keeps one while it deregisters the scale set from GitHub),
 * the helpers stay until this test releases it, as the controller would. */
static void
test_remove (void)
{
  const char *secret = "/api/v1/namespaces/" RUNNER_NS "/secrets/removed-gha-rs-github-secret";
  const char *role = "/apis/rbac.authorization.k8s.io/v1/namespaces/" RUNNER_NS
                     "/roles/removed-gha-rs-manager";
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(JsonNode) held = NULL;
  g_autoptr(JsonNode) released = NULL;
  g_autoptr(Run) applied = NULL;
  g_autoptr(Run) removed = NULL;
  TerminatingCheck check;
  Background *bg;

  if (!have_lab ())
    return;
  client = lab_client ();
  add_runner_ctl ("removed", "kubernetes");
  applied = ctl ("apply", "removed");
  assert_ok (applied);
  held = merge_patch (client, ARS_DIR "removed",
                      "{\"metadata\": {\"finalizers\": [\"actions.github.com/"
                      "autoscaling-runner-set-finalizer\"]}}");

  bg = run_start ((const char * const []) { "--kubeconfig", lab_kubeconfig, "remove",
                                            "removed", NULL });
  check = (TerminatingCheck) { client, ARS_DIR "removed" };
  dr_test_wait_until (is_terminating, &check, WAIT_MS, "the scale set's deletion");
  /* While the scale set is being deregistered, nothing it needs is touched. */
  spin (1000);
  g_assert_false (bg->pending.done);
  g_assert_true (object_exists (client, secret));
  g_assert_true (object_exists (client, role));

  released = merge_patch (client, ARS_DIR "removed", "{\"metadata\": {\"finalizers\": null}}");
  removed = run_finish (bg);
  assert_ok (removed);
  g_assert_false (object_exists (client, ARS_DIR "removed"));
  wait_gone (client, role);
  wait_gone (client, secret);
  {
    g_autoptr(Run) r = run_list ("list", NULL);

    assert_ok (r);
    g_assert_null (strstr (r->out, "removed"));
  }
}

/* ---- A user with rights in the runner namespace only -------------------------------------- */

static JsonNode *
create (DrKubeClient *client,
        const char   *path,
        const char   *object_text)
{
  g_autoptr(JsonNode) object = parse_json (object_text);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  dr_kube_client_create_async (client, path, object, DR_KUBE_WRITE_NONE, NULL, store_result_cb,
                               &result);
  node = dr_kube_client_create_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return node;
}

/* A kubeconfig for a ServiceAccount that may do anything in the runner namespace and nothing
 * anywhere else (the lab's RBAC authorizer is real), with a token from the TokenRequest API. */
static char *
write_namespace_kubeconfig (DrKubeClient *client)
{
  g_autoptr(JsonNode) account = NULL;
  g_autoptr(JsonNode) role = NULL;
  g_autoptr(JsonNode) binding = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autofree char *contents = NULL;
  char *path;
  JsonObject *status;

  account = apply (client, "/api/v1/namespaces/" RUNNER_NS "/serviceaccounts/runner-admin",
                   "{\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", \"metadata\": "
                   "{\"name\": \"runner-admin\", \"namespace\": \"" RUNNER_NS "\"}}");
  role = apply (client, "/apis/rbac.authorization.k8s.io/v1/namespaces/" RUNNER_NS
                "/roles/runner-admin",
                "{\"apiVersion\": \"rbac.authorization.k8s.io/v1\", \"kind\": \"Role\", "
                "\"metadata\": {\"name\": \"runner-admin\", \"namespace\": \"" RUNNER_NS "\"}, "
                "\"rules\": [{\"apiGroups\": [\"*\"], \"resources\": [\"*\"], "
                "\"verbs\": [\"*\"]}]}");
  binding = apply (client, "/apis/rbac.authorization.k8s.io/v1/namespaces/" RUNNER_NS
                   "/rolebindings/runner-admin",
                   "{\"apiVersion\": \"rbac.authorization.k8s.io/v1\", \"kind\": "
                   "\"RoleBinding\", \"metadata\": {\"name\": \"runner-admin\", "
                   "\"namespace\": \"" RUNNER_NS "\"}, \"roleRef\": {\"apiGroup\": "
                   "\"rbac.authorization.k8s.io\", \"kind\": \"Role\", \"name\": "
                   "\"runner-admin\"}, \"subjects\": [{\"kind\": \"ServiceAccount\", "
                   "\"name\": \"runner-admin\", \"namespace\": \"" RUNNER_NS "\"}]}");
  request = create (client, "/api/v1/namespaces/" RUNNER_NS "/serviceaccounts/runner-admin/token",
                    "{\"apiVersion\": \"authentication.k8s.io/v1\", \"kind\": "
                    "\"TokenRequest\", \"spec\": {\"expirationSeconds\": 3600}}");
  status = json_object_get_object_member (json_node_get_object (request), "status");

  contents = g_strdup_printf ("apiVersion: v1\nkind: Config\n"
                              "clusters:\n- name: lab\n  cluster:\n    server: %s\n"
                              "    certificate-authority: %s\n"
                              "users:\n- name: runner-admin\n  user:\n    token: %s\n"
                              "contexts:\n- name: runner-admin\n  context:\n"
                              "    cluster: lab\n    user: runner-admin\n"
                              "current-context: runner-admin\n",
                              g_getenv ("KUBE_LAB_SERVER"), g_getenv ("KUBE_LAB_CA"),
                              json_object_get_string_member (status, "token"));
  path = g_build_filename (g_get_home_dir (), "runner-admin.kubeconfig", NULL);
  dr_test_write_file (path, contents, 0600);
  return path;
}

/* Someone who may only work in the runner namespace (a shared cluster) can still use every
 * runner verb: nothing cluster-wide decides that the cluster is not there. */
static void
test_namespace_user (void)
{
  g_autoptr(DrKubeClient) client = NULL;
  g_autofree char *kubeconfig = NULL;

  if (!have_lab ())
    return;
  client = lab_client ();
  kubeconfig = write_namespace_kubeconfig (client);

  /* Really only there: the lab says no to anything cluster-wide. */
  {
    g_autoptr(DrKubeClient) limited = client_for_kubeconfig (kubeconfig);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = get_sync (limited, "/apis/apps/v1/deployments", &error);

    g_assert_error (error, DR_ERROR, DR_ERROR_FORBIDDEN);
  }

  add_runner_ctl ("limited", "kubernetes");
  {
    g_autoptr(Run) r = run_list ("--kubeconfig", kubeconfig, "apply", "limited", NULL);

    assert_ok (r);
  }
  g_assert_cmpint (ars_spec_int (client, "limited", "maxRunners"), ==, 2);
  {
    g_autoptr(JsonNode) reply = merge_patch (client, ARS_DIR "limited/status",
                                             "{\"status\": {\"currentRunners\": 2}}");
    g_autoptr(Run) r = run_list ("--kubeconfig", kubeconfig, "status", "--json", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *runner;
    JsonObject *observed;

    assert_ok (r);
    root = parse_json (r->out);
    runner = json_array_get_object_element (json_object_get_array_member (
                                              json_node_get_object (root), "runners"), 0);
    observed = json_object_get_object_member (runner, "observed");
    g_assert_true (json_object_get_boolean_member (observed, "deployed"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (observed,
                                                                                "runners"),
                                                 "current"), ==, 2);
  }
  {
    g_autoptr(Run) r = run_list ("--kubeconfig", kubeconfig, "scale", "limited",
                                 "--max-runners", "3", NULL);

    assert_ok (r);
  }
  g_assert_cmpint (ars_spec_int (client, "limited", "maxRunners"), ==, 3);
  {
    g_autoptr(Run) r = run_list ("--kubeconfig", kubeconfig, "remove", "limited", NULL);

    assert_ok (r);
  }
  wait_gone (client, ARS_DIR "limited");
}

/* ---- The API server goes away ----------------------------------------------------------- */

typedef struct
{
  DrKubeStore *store;
  const char  *name;
} StoreCheck;

static gboolean
store_has (gpointer data)
{
  StoreCheck *check = data;

  return dr_kube_store_get (check->store, TEST_NS, check->name) != NULL;
}

static gboolean
store_synced (gpointer data)
{
  return dr_kube_store_get_synced (data);
}

static gboolean
store_watching (gpointer data)
{
  return dr_kube_store_get_state (data) == DR_KUBE_STORE_WATCHING;
}

static void
apply_config_map (DrKubeClient *client,
                  const char   *name,
                  const char   *value)
{
  g_autofree char *path = dr_kube_path ("v1", "configmaps", TEST_NS, name);
  g_autofree char *text = g_strdup_printf ("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
                                           "\"metadata\": {\"name\": \"%s\", "
                                           "\"namespace\": \"" TEST_NS "\"}, "
                                           "\"data\": {\"value\": \"%s\"}}",
                                           name, value);
  g_autoptr(JsonNode) reply = apply (client, path, text);
}

typedef struct
{
  gboolean  closed;
  GError   *error;
} WatchEnd;

static void
watch_closed_cb (DrKubeWatch  *watch,
                 const GError *error,
                 WatchEnd     *end)
{
  end->closed = TRUE;
  end->error = error != NULL ? g_error_copy (error) : NULL;
}

static void
state_cb (DrKubeStore *store,
          GParamSpec  *pspec,
          GPtrArray   *states)
{
  g_ptr_array_add (states, GUINT_TO_POINTER (dr_kube_store_get_state (store)));
}

/* The API server killed under watches that have delivered events, and started again on the
 * same port: every watch notices, comes back, and what changes afterwards arrives, in the
 * kube store and in the engine alike, with the engine's cluster error cleared. etcd is
 * compacted first, so a watch from before the restart is answered 410 Gone, and the store
 * lists again instead of resuming. */
static void
test_apiserver_restart (void)
{
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrKubeClient) store_client = NULL;
  g_autoptr(DrKubeClient) engine_client = NULL;
  g_autoptr(DrKubeStore) store = NULL;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrOperation) op = NULL;
  g_autoptr(DrKubeWatch) old_watch = NULL;
  g_autoptr(JsonNode) ns = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  g_autofree char *old_version = NULL;
  g_autofree char *cm_path = dr_kube_path ("v1", "configmaps", TEST_NS, NULL);
  WatchEnd end = { 0 };
  StoreCheck check;
  gint64 started;

  if (!have_lab ())
    return;
  client = lab_client ();
  store_client = lab_client ();
  ns = apply (client, "/api/v1/namespaces/" TEST_NS,
              "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
              "\"metadata\": {\"name\": \"" TEST_NS "\"}}");

  store = dr_kube_store_new (store_client, "v1", "configmaps", TEST_NS, NULL);
  dr_kube_store_start (store);
  dr_test_wait_until (store_synced, store, WAIT_MS, "the store's first list");
  apply_config_map (client, "before", "1");
  check = (StoreCheck) { store, "before" };
  dr_test_wait_until (store_has, &check, WAIT_MS, "the store's first event");
  old_version = g_strdup (dr_kube_store_get_resource_version (store));

  engine_client = lab_client ();
  engine = engine_with_runner ("restarted", DR_CONTAINER_MODE_KUBERNETES, engine_client);
  op = dr_engine_apply_runner (engine, "restarted");
  assert_succeeds (op);
  dr_test_wait_until (engine_synced, engine, WAIT_MS, "the engine's first look");
  {
    g_autoptr(JsonNode) reply = merge_patch (client, ARS_DIR "restarted/status",
                                             "{\"status\": {\"currentRunners\": 1}}");
    RunnerCheck runner_check = { engine, "restarted", 1 };

    dr_test_wait_until (runner_has_current, &runner_check, WAIT_MS, "the runner's count");
  }

  /* Changes the store sees, then etcd forgets every older version. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *value = g_strdup_printf ("%u", i + 2);

      apply_config_map (client, "before", value);
    }
  etcd_compact ();

  g_signal_connect (store, "notify::state", G_CALLBACK (state_cb), states);
  started = g_get_monotonic_time ();
  lab_command ("restart-apiserver", "--kill", NULL);
  g_test_message ("API server back after %.1f s",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  /* A watch from before the compaction is told to list again. */
  old_watch = dr_kube_watch_new (client, cm_path, NULL, old_version, 0);
  g_signal_connect (old_watch, "closed", G_CALLBACK (watch_closed_cb), &end);
  dr_kube_watch_start (old_watch);
  dr_test_wait_for_flag (&end.closed, WAIT_MS);
  g_assert_error (end.error, DR_ERROR, DR_ERROR_GONE);
  g_clear_error (&end.error);

  /* What changes now arrives: the store's watch is back. */
  started = g_get_monotonic_time ();
  apply_config_map (client, "after", "1");
  check = (StoreCheck) { store, "after" };
  dr_test_wait_until (store_has, &check, WAIT_MS, "the store's event after the restart");
  g_test_message ("the store saw a change %.1f s after it was made",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  dr_test_wait_until (store_watching, store, WAIT_MS, "the store watching again");
  g_assert_null (dr_kube_store_get_last_error (store));
  {
    const char *value = NULL;
    JsonNode *before = dr_kube_store_get (store, TEST_NS, "before");
    JsonObject *data = json_object_get_object_member (json_node_get_object (before), "data");

    value = json_object_get_string_member (data, "value");
    g_assert_cmpstr (value, ==, "4");
  }

  /* The engine too, and it says the cluster is fine again. */
  {
    g_autoptr(JsonNode) reply = merge_patch (client, ARS_DIR "restarted/status",
                                             "{\"status\": {\"currentRunners\": 2}}");
    RunnerCheck runner_check = { engine, "restarted", 2 };

    dr_test_wait_until (runner_has_current, &runner_check, WAIT_MS,
                        "the runner's count after the restart");
  }
  started = g_get_monotonic_time ();
  dr_test_wait_until (engine_has_no_error, engine, WAIT_MS, "the engine's cluster error cleared");
  g_test_message ("the engine's cluster error went %.1f s after the runner was current",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  dr_kube_store_stop (store);
  g_signal_handlers_disconnect_by_func (store, state_cb, states);
  delete_object (client, "/api/v1/namespaces/" TEST_NS);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} LabRun;

static void
lab_run_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  LabRun *run = user_data;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &run->error);
  run->done = TRUE;
}

static gboolean
apiserver_down (gpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  dr_kube_client_get_raw_async (data, "/readyz", NULL, store_result_cb, &result);
  body = dr_kube_client_get_raw_finish (data, wait_result (&result), &error);
  return body == NULL && error->domain != DR_ERROR;
}

/* The API server is down: a one-shot status says the runners' state is unknown (never "not
 * deployed") and exits 1, naming the server. */
static void
test_status_unreachable (void)
{
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(GSubprocess) restart = NULL;
  g_autoptr(GError) error = NULL;
  LabRun restarted = { 0 };

  if (!have_lab ())
    return;
  client = lab_client ();
  add_runner_ctl ("unseen", "kubernetes");
  {
    g_autoptr(Run) r = ctl ("apply", "unseen");

    assert_ok (r);
  }

  restart = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "bash", lab_script, "restart-apiserver", lab_dir, "--kill",
                              "--down", "8", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (restart, NULL, lab_run_cb, &restarted);
  dr_test_wait_until (apiserver_down, client, WAIT_MS, "the API server to go down");

  {
    g_autoptr(Run) r = ctl ("status", "--json");
    g_autoptr(JsonNode) root = NULL;
    JsonObject *runner;

    g_assert_cmpint (r->status, ==, 1);
    assert_contains (r->err, g_getenv ("KUBE_LAB_SERVER"));
    root = parse_json (r->out);
    runner = json_array_get_object_element (json_object_get_array_member (
                                              json_node_get_object (root), "runners"), 0);
    g_assert_cmpstr (json_object_get_string_member (runner, "status"), ==, "unknown");
  }
  {
    g_autoptr(Run) r = ctl ("status", "unseen");

    g_assert_cmpint (r->status, ==, 1);
    assert_contains (r->out, "Unknown: the cluster cannot be reached");
    g_assert_null (strstr (r->out, "Not deployed"));
  }

  dr_test_wait_for_flag (&restarted.done, WAIT_MS * 2);
  g_assert_no_error (restarted.error);
  /* Back: the same command sees it again. */
  {
    g_autoptr(Run) r = ctl ("status", "unseen");

    assert_ok (r);
    g_assert_null (strstr (r->out, "Unknown"));
  }
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring = NULL;
  int status;

  dr_test_init (&argc, &argv);

  lab_script = g_getenv ("KUBE_LAB");
  lab_dir = g_getenv ("KUBE_LAB_DIR");
  lab_kubeconfig = g_getenv ("KUBE_LAB_KUBECONFIG");
  if (lab_kubeconfig != NULL && *lab_kubeconfig == '\0')
    lab_kubeconfig = NULL;

  g_test_add_func ("/deskrun/kube-lab/controller-install", test_controller_install);
  g_test_add_func ("/deskrun/kube-lab/modes", test_modes);
  g_test_add_func ("/deskrun/kube-lab/scale", test_scale);
  g_test_add_func ("/deskrun/kube-lab/secret-kind-change", test_secret_kind_change);
  g_test_add_func ("/deskrun/kube-lab/watch-convergence", test_watch_convergence);
  g_test_add_func ("/deskrun/kube-lab/prune", test_prune);
  g_test_add_func ("/deskrun/kube-lab/remove", test_remove);
  g_test_add_func ("/deskrun/kube-lab/namespace-user", test_namespace_user);
  g_test_add_func ("/deskrun/kube-lab/apiserver-restart", test_apiserver_restart);
  g_test_add_func ("/deskrun/kube-lab/status-unreachable", test_status_unreachable);

  /* deskrunctl and the engine keep credentials in a real keyring. */
  if (lab_kubeconfig != NULL)
    keyring = dr_test_keyring_start ();
  status = g_test_run ();
  if (keyring != NULL)
    dr_test_keyring_stop (keyring);
  return status;
}
