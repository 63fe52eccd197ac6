/* test-kind.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "dr-error.h"
#include "dr-fake-host.h"
#include "dr-host-command-private.h"
#include "dr-kind-private.h"
#include "dr-test-utils.h"
#include "dr-yaml.h"

/* A ready probe that gives scripted answers: "ready", "not-ready" or "error", the last one
 * repeated once the script runs out. */
#define DR_TYPE_FAKE_PROBE (dr_fake_probe_get_type ())
G_DECLARE_FINAL_TYPE (DrFakeProbe, dr_fake_probe, DR, FAKE_PROBE, GObject)

struct _DrFakeProbe
{
  GObject       parent_instance;
  GStrv         answers;
  guint         n_calls;
  GCancellable *cancel_on_call;   /* cancelled when asked, to test cancelling a wait */
};

static void dr_fake_probe_iface_init (DrReadyProbeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DrFakeProbe, dr_fake_probe, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DR_TYPE_READY_PROBE,
                                                      dr_fake_probe_iface_init))

static gboolean
cancel_idle_cb (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_REMOVE;
}

static void
dr_fake_probe_check_async (DrReadyProbe        *probe,
                           DrKind              *kind,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  DrFakeProbe *self = DR_FAKE_PROBE (probe);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  guint n = g_strv_length (self->answers);
  const char *answer = self->answers[MIN (self->n_calls, n - 1)];

  g_assert_true (DR_IS_KIND (kind));
  self->n_calls++;
  /* At low priority: after this answer has been handled, while start waits for the next. */
  if (self->cancel_on_call != NULL)
    g_idle_add_full (G_PRIORITY_LOW, cancel_idle_cb, g_object_ref (self->cancel_on_call),
                     g_object_unref);

  if (strcmp (answer, "ready") == 0)
    g_task_return_boolean (task, TRUE);
  else if (strcmp (answer, "not-ready") == 0)
    g_task_return_boolean (task, FALSE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                             "Connection refused by 127.0.0.1:41234");
}

static gboolean
dr_fake_probe_check_finish (DrReadyProbe  *probe,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
dr_fake_probe_iface_init (DrReadyProbeInterface *iface)
{
  iface->check_async = dr_fake_probe_check_async;
  iface->check_finish = dr_fake_probe_check_finish;
}

static void
dr_fake_probe_finalize (GObject *object)
{
  DrFakeProbe *self = DR_FAKE_PROBE (object);

  g_strfreev (self->answers);
  g_clear_object (&self->cancel_on_call);
  G_OBJECT_CLASS (dr_fake_probe_parent_class)->finalize (object);
}

static void
dr_fake_probe_class_init (DrFakeProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dr_fake_probe_finalize;
}

static void
dr_fake_probe_init (DrFakeProbe *self)
{
}

static DrFakeProbe *
fake_probe_new (const char *answers)
{
  DrFakeProbe *self = g_object_new (DR_TYPE_FAKE_PROBE, NULL);

  self->answers = g_strsplit (answers, ",", -1);
  return self;
}


/* Helpers */

typedef struct
{
  gboolean     done;
  gboolean     ok;
  DrKindState  state;
  char        *detail;
  GBytes      *bytes;
  DrKindConfig *config;
  GError      *error;
  GPtrArray   *lines;
  guint        lines_at_done;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->detail, g_free);
  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_clear_pointer (&result->config, dr_kind_config_free);
  g_clear_error (&result->error);
  g_clear_pointer (&result->lines, g_ptr_array_unref);
}

static void
line_cb (DrKind     *kind,
         const char *line,
         gboolean    is_stderr,
         Result     *result)
{
  g_assert_false (result->done);
  g_ptr_array_add (result->lines, g_strdup (line));
}

static void
watch_lines (DrKind *kind,
             Result *result)
{
  result->lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (kind, "line", G_CALLBACK (line_cb), result);
}

static void
create_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      data)
{
  Result *result = data;

  result->ok = dr_kind_create_finish (DR_KIND (object), res, &result->error);
  result->lines_at_done = result->lines != NULL ? result->lines->len : 0;
  result->done = TRUE;
}

static void
delete_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      data)
{
  Result *result = data;

  result->ok = dr_kind_delete_finish (DR_KIND (object), res, &result->error);
  result->done = TRUE;
}

static void
start_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      data)
{
  Result *result = data;

  result->ok = dr_kind_start_finish (DR_KIND (object), res, &result->error);
  result->done = TRUE;
}

static void
state_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      data)
{
  Result *result = data;

  result->state = dr_kind_get_state_finish (DR_KIND (object), res, &result->detail,
                                            &result->error);
  result->done = TRUE;
}

static void
kubeconfig_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      data)
{
  Result *result = data;

  result->bytes = dr_kind_get_kubeconfig_finish (DR_KIND (object), res, &result->error);
  result->done = TRUE;
}

static void
get_config_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      data)
{
  Result *result = data;

  result->config = dr_kind_get_config_finish (DR_KIND (object), res, &result->error);
  result->done = TRUE;
}

static void
detect_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      data)
{
  Result *result = data;

  result->config = dr_kind_config_detect_finish (res, &result->error);
  result->done = TRUE;
}

static JsonObject *
parse_config (const char *yaml,
              JsonNode  **root_out)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = dr_yaml_parse (yaml, -1, "kind config", &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *root_out = root;
  return json_node_get_object (root);
}

static JsonArray *
node_mounts (JsonObject *config)
{
  JsonArray *nodes = json_object_get_array_member (config, "nodes");
  JsonObject *node;

  g_assert_cmpuint (json_array_get_length (nodes), ==, 1);
  node = json_array_get_object_element (nodes, 0);
  g_assert_cmpstr (json_object_get_string_member (node, "role"), ==, "control-plane");
  return json_object_get_array_member (node, "extraMounts");
}

static void
assert_mount (JsonArray  *mounts,
              guint       index,
              const char *host_path,
              const char *container_path,
              gboolean    read_only)
{
  JsonObject *mount;

  g_assert_cmpuint (index, <, json_array_get_length (mounts));
  mount = json_array_get_object_element (mounts, index);
  g_assert_cmpstr (json_object_get_string_member (mount, "hostPath"), ==, host_path);
  g_assert_cmpstr (json_object_get_string_member (mount, "containerPath"), ==, container_path);
  if (read_only)
    g_assert_true (json_object_get_boolean_member (mount, "readOnly"));
  else
    g_assert_false (json_object_has_member (mount, "readOnly"));
}


/* Config */

static void
test_config_yaml (void)
{
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", "/home/u/.cache/deskrun");
  g_autoptr(DrKindConfig) copy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) direct = NULL;
  g_autofree char *yaml = NULL;
  JsonObject *object;
  JsonArray *mounts;

  dr_kind_config_add_mount (config, DR_KIND_DOCKER_SOCKET, DR_KIND_DOCKER_SOCKET, FALSE);
  dr_kind_config_add_mount (config, DR_KIND_NIX_STORE, DR_KIND_NIX_STORE, TRUE);
  g_assert_cmpstr (dr_kind_config_get_name (config), ==, "deskrun");
  g_assert_cmpstr (dr_kind_config_get_cache_root (config), ==, "/home/u/.cache/deskrun");

  yaml = dr_kind_config_to_yaml (config);
  object = parse_config (yaml, &root);
  g_assert_cmpstr (json_object_get_string_member (object, "apiVersion"), ==,
                   "kind.x-k8s.io/v1alpha4");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "Cluster");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "deskrun");
  g_assert_cmpuint (json_object_get_size (object), ==, 4);

  mounts = node_mounts (object);
  g_assert_cmpuint (json_array_get_length (mounts), ==, 3);
  assert_mount (mounts, 0, "/home/u/.cache/deskrun", "/host-cache/deskrun", FALSE);
  assert_mount (mounts, 1, "/var/run/docker.sock", "/var/run/docker.sock", FALSE);
  assert_mount (mounts, 2, "/nix/store", "/nix/store", TRUE);

  /* The YAML is the JSON accessor's tree, and a copy gives the same. */
  direct = dr_kind_config_to_json (config);
  g_assert_true (json_node_equal (root, direct));
  copy = dr_kind_config_copy (config);
  {
    g_autoptr(JsonNode) copied = dr_kind_config_to_json (copy);

    g_assert_true (json_node_equal (copied, direct));
  }

  /* A node image goes on the node. */
  dr_kind_config_set_node_image (config, "kindest/node:v1.36.1");
  {
    g_autoptr(JsonNode) with_image = dr_kind_config_to_json (config);
    JsonObject *node = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (with_image), "nodes"), 0);

    g_assert_cmpstr (json_object_get_string_member (node, "image"), ==,
                     "kindest/node:v1.36.1");
  }
}

static void
test_config_default_cache_root (void)
{
  g_autoptr(DrKindConfig) config = dr_kind_config_new (NULL, NULL);
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);

  g_assert_cmpstr (dr_kind_config_get_name (config), ==, "deskrun");
  g_assert_cmpstr (dr_kind_config_get_cache_root (config), ==, expected);
}

static void
test_host_path_is_mounted (void)
{
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", "/home/u/.cache/deskrun");
  g_autofree char *message = NULL;
  struct {
    const char *path;
    const char *node_path;   /* NULL: not shared */
  } table[] = {
    { "/home/u/.cache/deskrun", "/host-cache/deskrun" },
    { "/home/u/.cache/deskrun/", "/host-cache/deskrun" },
    { "/home/u/.cache/deskrun/my-runner/mount-0", "/host-cache/deskrun/my-runner/mount-0" },
    { "/home/u/.cache/deskrun/a/../b", "/host-cache/deskrun/b" },
    { "/home/u/.cache/deskrun/../other", NULL },
    { "/home/u/.cache/deskrun-other", NULL },
    { "/home/u/.cache", NULL },
    { "/nix/store/abc-hello", "/nix/store/abc-hello" },
    { "/nix/storage", NULL },
    { "/nix", NULL },
    { "/var/run/docker.sock", "/var/run/docker.sock" },
    { "/var/run/docker.sock.d", NULL },
    { "relative/path", NULL },
    { "", NULL },
    { "/", NULL },
  };

  dr_kind_config_add_mount (config, DR_KIND_DOCKER_SOCKET, DR_KIND_DOCKER_SOCKET, FALSE);
  dr_kind_config_add_mount (config, DR_KIND_NIX_STORE, DR_KIND_NIX_STORE, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *node_path = dr_kind_host_path_to_node_path (config, table[i].path);

      g_test_message ("path “%s”", table[i].path);
      g_assert_cmpstr (node_path, ==, table[i].node_path);
      g_assert_cmpint (dr_kind_host_path_is_mounted (config, table[i].path), ==,
                       table[i].node_path != NULL);
    }

  message = dr_kind_host_path_unmounted_message (config, "/data/big");
  g_assert_nonnull (strstr (message, "/data/big"));
  g_assert_nonnull (strstr (message, "create it again"));
  g_assert_nonnull (strstr (message, "/home/u/.cache/deskrun, /var/run/docker.sock, "
                                     "/nix/store"));
}

static void
make_host_file (const char *root,
                const char *path,
                gboolean    dir)
{
  g_autofree char *full = g_build_filename (root, path, NULL);

  if (dir)
    g_assert_cmpint (g_mkdir_with_parents (full, 0700), ==, 0);
  else
    dr_test_write_file (full, "", 0600);
}

static void
run_detect (Result *result)
{
  dr_kind_config_detect_async ("deskrun", "/home/u/.cache/deskrun", NULL, detect_cb, result);
  dr_test_wait_for_flag (&result->done, 10000);
  g_assert_no_error (result->error);
}

static void
test_config_detect (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autofree char *root = g_build_filename (dr_fake_host_get_dir (fake), "root", NULL);
  g_autoptr(JsonNode) json = NULL;
  Result result = { 0, };
  JsonArray *mounts;

  g_assert_cmpint (g_mkdir_with_parents (root, 0700), ==, 0);
  _dr_kind_set_host_root (root);

  /* Nothing on the host: only the cache root. */
  run_detect (&result);
  json = dr_kind_config_to_json (result.config);
  mounts = node_mounts (json_node_get_object (json));
  g_assert_cmpuint (json_array_get_length (mounts), ==, 1);
  assert_mount (mounts, 0, "/home/u/.cache/deskrun", "/host-cache/deskrun", FALSE);
  result_clear (&result);
  g_clear_pointer (&json, json_node_unref);

  /* Docker socket and Nix store, no Nix daemon. */
  make_host_file (root, "var/run/docker.sock", FALSE);
  make_host_file (root, "nix/store", TRUE);
  result.done = FALSE;
  run_detect (&result);
  json = dr_kind_config_to_json (result.config);
  mounts = node_mounts (json_node_get_object (json));
  g_assert_cmpuint (json_array_get_length (mounts), ==, 3);
  assert_mount (mounts, 0, "/home/u/.cache/deskrun", "/host-cache/deskrun", FALSE);
  assert_mount (mounts, 1, "/var/run/docker.sock", "/var/run/docker.sock", FALSE);
  assert_mount (mounts, 2, "/nix/store", "/nix/store", TRUE);
  result_clear (&result);
  g_clear_pointer (&json, json_node_unref);

  /* Everything, asked through flatpak-spawn inside Flatpak. */
  make_host_file (root, "nix/var/nix/daemon-socket", TRUE);
  _dr_host_command_override_in_flatpak (TRUE);
  dr_fake_host_add_tool (fake, "flatpak-spawn");
  dr_fake_host_link_real (fake, "ls");
  result.done = FALSE;
  run_detect (&result);
  json = dr_kind_config_to_json (result.config);
  mounts = node_mounts (json_node_get_object (json));
  g_assert_cmpuint (json_array_get_length (mounts), ==, 4);
  assert_mount (mounts, 1, "/var/run/docker.sock", "/var/run/docker.sock", FALSE);
  assert_mount (mounts, 2, "/nix/store", "/nix/store", TRUE);
  assert_mount (mounts, 3, "/nix/var/nix/daemon-socket", "/nix/var/nix/daemon-socket", FALSE);
  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 1);
  {
    g_autofree char *socket = g_build_filename (root, "var/run/docker.sock", NULL);
    g_autofree char *store = g_build_filename (root, "nix/store", NULL);
    g_autofree char *daemon = g_build_filename (root, "nix/var/nix/daemon-socket", NULL);

    dr_fake_host_assert_call (fake, 0, "flatpak-spawn", "--host", "--watch-bus",
                              "ls", "-d", "--", socket, store, daemon, NULL);
  }
  result_clear (&result);

  _dr_host_command_override_in_flatpak (FALSE);
  _dr_kind_set_host_root (NULL);
  dr_fake_host_free (fake);
}


/* Cluster commands */

static DrKind *
kind_new (DrFakeHost          *fake,
          DrContainerProvider  provider)
{
  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_add_tool (fake, dr_container_provider_get_program (provider));
  return dr_kind_new (NULL, provider);
}

static void
test_create (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autofree char *cache_root = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", NULL);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *stdin_text = NULL;
  g_autofree char *provider = NULL;
  Result result = { 0, };

  dr_kind_config_add_mount (config, DR_KIND_DOCKER_SOCKET, DR_KIND_DOCKER_SOCKET, FALSE);
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDERR",
                    "Creating cluster \"deskrun\" ...\\n ✓ Ensuring node image\\n"
                    " ✓ Preparing nodes 📦");
  g_assert_cmpstr (dr_kind_get_name (kind), ==, "deskrun");
  g_assert_cmpstr (dr_kind_get_node_container (kind), ==, "deskrun-control-plane");
  g_assert_false (g_file_test (cache_root, G_FILE_TEST_IS_DIR));

  watch_lines (kind, &result);
  dr_kind_create_async (kind, config, NULL, create_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_true (g_file_test (cache_root, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 1);
  dr_fake_host_assert_call (fake, 0, "kind", "create", "cluster", "--name", "deskrun",
                            "--config", "-", "--wait", "5m", NULL);
  provider = dr_fake_host_call_file (fake, 0, "provider");
  g_assert_cmpstr (provider, ==, "");

  /* kind got the config on stdin. */
  stdin_text = dr_fake_host_call_file (fake, 0, "stdin");
  sent = dr_yaml_parse (stdin_text, -1, "stdin", &result.error);
  g_assert_no_error (result.error);
  expected = dr_kind_config_to_json (config);
  g_assert_true (json_node_equal (sent, expected));

  /* Progress came through ::line, in order, before completion. */
  g_assert_cmpuint (result.lines_at_done, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (result.lines, 0), ==, "Creating cluster \"deskrun\" ...");
  g_assert_cmpstr (g_ptr_array_index (result.lines, 1), ==, " ✓ Ensuring node image");
  g_assert_cmpstr (g_ptr_array_index (result.lines, 2), ==, " ✓ Preparing nodes 📦");

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_create_failure (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", NULL);
  Result result = { 0, };

  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDERR",
                    "ERROR: failed to create cluster: node(s) already exist for a cluster "
                    "with the name \"deskrun\"");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "EXIT", "1");

  dr_kind_create_async (kind, config, NULL, create_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_error (result.error, DR_ERROR, DR_ERROR_HOST_COMMAND);
  g_assert_cmpstr (result.error->message, ==,
                   "“kind create cluster” failed (exit status 1):\n"
                   "ERROR: failed to create cluster: node(s) already exist for a cluster "
                   "with the name \"deskrun\"");

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
cancel_on_started_cb (DrKind       *kind,
                      const char   *line,
                      gboolean      is_stderr,
                      GCancellable *cancellable)
{
  if (strcmp (line, "started") == 0)
    g_cancellable_cancel (cancellable);
}

static void
test_create_cancel (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *child = NULL;
  Result result = { 0, };

  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "SLOW", "1");
  g_signal_connect (kind, "line", G_CALLBACK (cancel_on_started_cb), cancellable);

  dr_kind_create_async (kind, config, cancellable, create_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  child = dr_fake_host_call_file (fake, 0, "child-pid");
  g_assert_nonnull (child);
  dr_fake_host_wait_for_exit (atoi (child), 5000);

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_delete (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = NULL;
  Result result = { 0, };

  dr_fake_host_add_tool (fake, "kind");
  kind = dr_kind_new ("other", DR_CONTAINER_PROVIDER_DOCKER);
  dr_fake_host_set (fake, "KIND_DELETE_CLUSTER", "STDERR", "Deleting cluster \"other\" ...");
  watch_lines (kind, &result);

  dr_kind_delete_async (kind, NULL, delete_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  dr_fake_host_assert_call (fake, 0, "kind", "delete", "cluster", "--name", "other", NULL);
  g_assert_cmpuint (result.lines->len, ==, 1);

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_kubeconfig (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  const char *text = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:41234\n"
                     "users:\n- user:\n    client-key-data: S0VZ\n";
  Result result = { 0, };

  dr_fake_host_set (fake, "KIND_GET_KUBECONFIG", "STDOUT", "apiVersion: v1\\nclusters:\\n"
                    "- cluster:\\n    server: https://127.0.0.1:41234\\nusers:\\n- user:\\n"
                    "    client-key-data: S0VZ");
  watch_lines (kind, &result);

  dr_kind_get_kubeconfig_async (kind, NULL, kubeconfig_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_cmpmem (g_bytes_get_data (result.bytes, NULL), g_bytes_get_size (result.bytes),
                   text, strlen (text));
  dr_fake_host_assert_call (fake, 0, "kind", "get", "kubeconfig", "--name", "deskrun", NULL);
  /* The key never travels as a line. */
  g_assert_cmpuint (result.lines->len, ==, 0);

  result_clear (&result);
  dr_fake_host_free (fake);
}

typedef struct
{
  const char  *name;
  const char  *clusters_out;
  const char  *clusters_err;
  const char  *clusters_exit;
  const char  *inspect_out;
  const char  *inspect_err;
  const char  *inspect_exit;
  const char  *probe;            /* NULL: no probe */
  DrKindState  state;
  const char  *detail_contains;  /* NULL: no detail */
  guint        n_calls;
  int          error_code;       /* DR_ERROR code, or 0 */
} StateCase;

static void
test_state (void)
{
  const StateCase cases[] = {
    { "none", NULL, "No kind clusters found.", NULL, NULL, NULL, NULL, "ready",
      DR_KIND_STATE_ABSENT, "no kind cluster named “deskrun”", 1, 0 },
    { "other", "other\\nkind", NULL, NULL, NULL, NULL, NULL, "ready",
      DR_KIND_STATE_ABSENT, "no kind cluster", 1, 0 },
    { "exited", "other\\ndeskrun", NULL, NULL, "exited", NULL, NULL, "ready",
      DR_KIND_STATE_STOPPED, "it is “exited”", 2, 0 },
    { "created", "deskrun", NULL, NULL, "created", NULL, NULL, "ready",
      DR_KIND_STATE_STOPPED, "not running", 2, 0 },
    { "restarting", "deskrun", NULL, NULL, "restarting", NULL, NULL, "ready",
      DR_KIND_STATE_STARTING, "restarting", 2, 0 },
    { "ready", "deskrun", NULL, NULL, "running", NULL, NULL, "ready",
      DR_KIND_STATE_READY, NULL, 2, 0 },
    { "no-probe", "deskrun", NULL, NULL, "running", NULL, NULL, NULL,
      DR_KIND_STATE_READY, NULL, 2, 0 },
    { "starting", "deskrun", NULL, NULL, "running", NULL, NULL, "not-ready",
      DR_KIND_STATE_STARTING, "not ready yet", 2, 0 },
    { "unreachable", "deskrun", NULL, NULL, "running", NULL, NULL, "error",
      DR_KIND_STATE_UNREACHABLE, "Connection refused by 127.0.0.1:41234", 2, 0 },
    { "vanished", "deskrun", NULL, NULL, NULL, "Error: No such object: deskrun-control-plane",
      "1", "ready", DR_KIND_STATE_ABSENT, "no kind cluster", 2, 0 },
    { "inspect-fails", "deskrun", NULL, NULL, NULL, "Error response from daemon: boom", "1",
      "ready", DR_KIND_STATE_ABSENT, NULL, 2, DR_ERROR_HOST_COMMAND },
    { "daemon-down", NULL, "ERROR: failed to list clusters: command \"docker ps -a "
      "--filter label=io.x-k8s.kind.cluster --format '{{.Label \"io.x-k8s.kind.cluster\"}}'\" "
      "failed with error: exit status 1\\nCannot connect to the Docker daemon at "
      "unix:///var/run/docker.sock. Is the docker daemon running?", "1", NULL, NULL, NULL,
      "ready", DR_KIND_STATE_ABSENT, NULL, 1, DR_ERROR_HOST_COMMAND },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const StateCase *c = &cases[i];
      DrFakeHost *fake = dr_fake_host_new ();
      g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
      g_autoptr(DrFakeProbe) probe = NULL;
      Result result = { 0, };

      g_test_message ("case %s", c->name);
      if (c->clusters_out != NULL)
        dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "STDOUT", c->clusters_out);
      if (c->clusters_err != NULL)
        dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "STDERR", c->clusters_err);
      if (c->clusters_exit != NULL)
        dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "EXIT", c->clusters_exit);
      if (c->inspect_out != NULL)
        dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT", c->inspect_out);
      if (c->inspect_err != NULL)
        dr_fake_host_set (fake, "DOCKER_INSPECT", "STDERR", c->inspect_err);
      if (c->inspect_exit != NULL)
        dr_fake_host_set (fake, "DOCKER_INSPECT", "EXIT", c->inspect_exit);
      if (c->probe != NULL)
        {
          probe = fake_probe_new (c->probe);
          dr_kind_set_ready_probe (kind, DR_READY_PROBE (probe));
        }

      dr_kind_get_state_async (kind, NULL, state_cb, &result);
      dr_test_wait_for_flag (&result.done, 10000);

      if (c->error_code != 0)
        {
          g_assert_error (result.error, DR_ERROR, c->error_code);
          g_assert_null (result.detail);
        }
      else
        {
          g_assert_no_error (result.error);
          g_assert_cmpstr (dr_kind_state_to_string (result.state), ==,
                           dr_kind_state_to_string (c->state));
          if (c->detail_contains == NULL)
            g_assert_null (result.detail);
          else if (result.detail == NULL || strstr (result.detail, c->detail_contains) == NULL)
            g_error ("detail “%s” lacks “%s”", result.detail, c->detail_contains);
        }

      g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, c->n_calls);
      dr_fake_host_assert_call (fake, 0, "kind", "get", "clusters", NULL);
      if (c->n_calls > 1)
        dr_fake_host_assert_call (fake, 1, "docker", "inspect", "-f", "{{.State.Status}}",
                                  "deskrun-control-plane", NULL);
      if (probe != NULL)
        g_assert_cmpuint (probe->n_calls, ==,
                          g_strcmp0 (c->inspect_out, "running") == 0 ? 1 : 0);

      result_clear (&result);
      dr_fake_host_free (fake);
    }
}

static void
test_start (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autoptr(DrFakeProbe) probe = fake_probe_new ("error,not-ready,ready");
  Result result = { 0, };

  dr_fake_host_set (fake, "DOCKER_START", "STDOUT", "deskrun-control-plane");
  dr_kind_set_ready_probe (kind, DR_READY_PROBE (probe));
  g_assert_true (dr_kind_get_ready_probe (kind) == DR_READY_PROBE (probe));
  _dr_kind_set_poll_interval (kind, 1);
  watch_lines (kind, &result);

  dr_kind_start_async (kind, 60, NULL, start_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 1);
  dr_fake_host_assert_call (fake, 0, "docker", "start", "deskrun-control-plane", NULL);
  g_assert_cmpuint (probe->n_calls, ==, 3);
  g_assert_cmpuint (result.lines->len, ==, 1);

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_start_timeout (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autoptr(DrFakeProbe) probe = fake_probe_new ("error");
  Result result = { 0, };

  dr_kind_set_ready_probe (kind, DR_READY_PROBE (probe));
  dr_kind_start_async (kind, 0, NULL, start_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (result.error->message, "did not become ready within 0 seconds"));
  g_assert_nonnull (strstr (result.error->message, "Connection refused by 127.0.0.1:41234"));
  g_assert_cmpuint (probe->n_calls, ==, 1);

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_start_cancel_while_waiting (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autoptr(DrFakeProbe) probe = fake_probe_new ("not-ready");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { 0, };
  gint64 start;

  /* The probe cancels after it answered, so the cancel lands in the pause between probes. */
  probe->cancel_on_call = g_object_ref (cancellable);
  dr_kind_set_ready_probe (kind, DR_READY_PROBE (probe));
  _dr_kind_set_poll_interval (kind, 60000);

  start = g_get_monotonic_time ();
  dr_kind_start_async (kind, 600, cancellable, start_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (probe->n_calls, ==, 1);

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_start_no_node (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  Result result = { 0, };

  dr_fake_host_set (fake, "DOCKER_START", "STDERR",
                    "Error response from daemon: No such container: deskrun-control-plane\\n"
                    "Error: failed to start containers: deskrun-control-plane");
  dr_fake_host_set (fake, "DOCKER_START", "EXIT", "1");

  dr_kind_start_async (kind, 60, NULL, start_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);

  g_assert_error (result.error, DR_ERROR, DR_ERROR_HOST_COMMAND);
  g_assert_true (g_str_has_prefix (result.error->message,
                                   "“docker start deskrun-control-plane” failed (exit "
                                   "status 1):\nError response from daemon: No such container"));

  result_clear (&result);
  dr_fake_host_free (fake);
}

static void
test_get_config (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_DOCKER);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *message = NULL;
  JsonArray *mounts;
  Result result = { 0, };

  /* What docker reports for a node made by deskrun (trimmed). */
  dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT",
                    "[{\"Type\":\"bind\",\"Source\":\"/lib/modules\",\"Destination\":"
                    "\"/lib/modules\",\"Mode\":\"ro\",\"RW\":false},"
                    "{\"Type\":\"volume\",\"Name\":\"0f3c\",\"Source\":"
                    "\"/var/lib/docker/volumes/0f3c/_data\",\"Destination\":\"/var\","
                    "\"RW\":true},"
                    "{\"Type\":\"bind\",\"Source\":\"/home/u/.cache/deskrun\","
                    "\"Destination\":\"/host-cache/deskrun\",\"RW\":true},"
                    "{\"Type\":\"bind\",\"Source\":\"/nix/store\",\"Destination\":"
                    "\"/nix/store\",\"RW\":false}]");

  dr_kind_get_config_async (kind, NULL, get_config_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);
  g_assert_no_error (result.error);
  dr_fake_host_assert_call (fake, 0, "docker", "inspect", "-f", "{{json .Mounts}}",
                            "deskrun-control-plane", NULL);

  g_assert_cmpstr (dr_kind_config_get_name (result.config), ==, "deskrun");
  g_assert_cmpstr (dr_kind_config_get_cache_root (result.config), ==, "/home/u/.cache/deskrun");
  json = dr_kind_config_to_json (result.config);
  mounts = node_mounts (json_node_get_object (json));
  g_assert_cmpuint (json_array_get_length (mounts), ==, 3);
  assert_mount (mounts, 0, "/lib/modules", "/lib/modules", TRUE);
  assert_mount (mounts, 1, "/home/u/.cache/deskrun", "/host-cache/deskrun", FALSE);
  assert_mount (mounts, 2, "/nix/store", "/nix/store", TRUE);
  g_assert_true (dr_kind_host_path_is_mounted (result.config, "/home/u/.cache/deskrun/x"));
  g_assert_false (dr_kind_host_path_is_mounted (result.config, "/var/lib/docker/volumes"));
  g_assert_false (dr_kind_host_path_is_mounted (result.config, DR_KIND_DOCKER_SOCKET));
  result_clear (&result);

  /* A cluster made without deskrun's cache folder. */
  dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT",
                    "[{\"Type\":\"bind\",\"Source\":\"/lib/modules\",\"Destination\":"
                    "\"/lib/modules\",\"RW\":false}]");
  result.done = FALSE;
  dr_kind_get_config_async (kind, NULL, get_config_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);
  g_assert_no_error (result.error);
  g_assert_null (dr_kind_config_get_cache_root (result.config));
  message = dr_kind_host_path_unmounted_message (result.config, "/data");
  g_assert_nonnull (strstr (message, "not even deskrun’s cache folder"));
  result_clear (&result);

  /* No node at all. */
  g_unsetenv ("FAKE_DOCKER_INSPECT_STDOUT");
  dr_fake_host_set (fake, "DOCKER_INSPECT", "STDERR", "Error: No such object: "
                    "deskrun-control-plane");
  dr_fake_host_set (fake, "DOCKER_INSPECT", "EXIT", "1");
  result.done = FALSE;
  dr_kind_get_config_async (kind, NULL, get_config_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_null (result.config);
  result_clear (&result);

  /* Output that is not a list of mounts. */
  g_unsetenv ("FAKE_DOCKER_INSPECT_STDERR");
  g_unsetenv ("FAKE_DOCKER_INSPECT_EXIT");
  dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT", "{\"Type\": 1}");
  result.done = FALSE;
  dr_kind_get_config_async (kind, NULL, get_config_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  result_clear (&result);

  dr_fake_host_free (fake);
}

static void
test_podman (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrKind) kind = kind_new (fake, DR_CONTAINER_PROVIDER_PODMAN);
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", NULL);
  g_autofree char *provider = NULL;
  g_autofree char *create_provider = NULL;
  Result result = { 0, };
  Result created = { 0, };

  dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fake, "PODMAN_INSPECT", "STDOUT", "exited");

  dr_kind_get_state_async (kind, NULL, state_cb, &result);
  dr_test_wait_for_flag (&result.done, 10000);
  g_assert_no_error (result.error);
  g_assert_cmpint (result.state, ==, DR_KIND_STATE_STOPPED);

  dr_fake_host_assert_call (fake, 0, "kind", "get", "clusters", NULL);
  provider = dr_fake_host_call_file (fake, 0, "provider");
  g_assert_cmpstr (provider, ==, "podman");
  dr_fake_host_assert_call (fake, 1, "podman", "inspect", "-f", "{{.State.Status}}",
                            "deskrun-control-plane", NULL);

  dr_kind_create_async (kind, config, NULL, create_cb, &created);
  dr_test_wait_for_flag (&created.done, 10000);
  g_assert_no_error (created.error);
  create_provider = dr_fake_host_call_file (fake, 2, "provider");
  g_assert_cmpstr (create_provider, ==, "podman");

  result_clear (&result);
  result_clear (&created);
  dr_fake_host_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  _dr_host_command_override_in_flatpak (FALSE);

  g_test_add_func ("/kind/config/yaml", test_config_yaml);
  g_test_add_func ("/kind/config/default-cache-root", test_config_default_cache_root);
  g_test_add_func ("/kind/config/host-path-is-mounted", test_host_path_is_mounted);
  g_test_add_func ("/kind/config/detect", test_config_detect);
  g_test_add_func ("/kind/create", test_create);
  g_test_add_func ("/kind/create-failure", test_create_failure);
  g_test_add_func ("/kind/create-cancel", test_create_cancel);
  g_test_add_func ("/kind/delete", test_delete);
  g_test_add_func ("/kind/kubeconfig", test_kubeconfig);
  g_test_add_func ("/kind/state", test_state);
  g_test_add_func ("/kind/start", test_start);
  g_test_add_func ("/kind/start-timeout", test_start_timeout);
  g_test_add_func ("/kind/start-cancel-while-waiting", test_start_cancel_while_waiting);
  g_test_add_func ("/kind/start-no-node", test_start_no_node);
  g_test_add_func ("/kind/get-config", test_get_config);
  g_test_add_func ("/kind/podman", test_podman);

  return g_test_run ();
}
