/* test-notifier.c — desktop notifications as GNOME Shell receives them
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test owns org.gtk.Notifications on a private session bus (GNOTIFICATION_BACKEND=gtk,
 * as GNOME Shell serves it) and records every AddNotification and RemoveNotification, while
 * the engine watches the fake Kubernetes API server.
 */
#include "config.h"

#include "dr-arc-render.h"
#include "dr-config-file.h"
#include "dr-fake-apiserver.h"
#include "dr-fake-host.h"
#include "dr-notifier.h"
#include "dr-test-utils.h"

#define WAIT_MS     20000
#define INTERVAL_MS 700

#define LISTENER_POD "/api/v1/namespaces/arc-systems/pods/web-884475f5-listener"
#define RUNNER_ER    "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/" \
                     "ephemeralrunners/web-x7k2p-runner-q2w9z"

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "  <method name='AddNotification'>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    <arg type='a{sv}' direction='in'/>"
  "  </method>"
  "  <method name='RemoveNotification'>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "  </method>"
  "</interface></node>";

typedef struct
{
  char     *method;   /* "add" or "remove" */
  char     *id;
  GVariant *notification;
} Call;

static GPtrArray *calls;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_free (call->method);
  g_free (call->id);
  g_clear_pointer (&call->notification, g_variant_unref);
  g_free (call);
}

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  Call *call = g_new0 (Call, 1);
  const char *app_id, *id;

  if (g_str_equal (method_name, "AddNotification"))
    {
      call->method = g_strdup ("add");
      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &call->notification);
    }
  else
    {
      call->method = g_strdup ("remove");
      g_variant_get (parameters, "(&s&s)", &app_id, &id);
    }
  g_assert_cmpstr (app_id, ==, APP_ID ".NotifierTest");
  call->id = g_strdup (id);
  g_ptr_array_add (calls, call);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_MS * 1000; \
    guint tick_ = g_timeout_add (20, tick_cb, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("timed out waiting for %s", #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

/* Runs the main loop for @ms, so whatever would be sent is sent. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  guint tick = g_timeout_add (10, tick_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static Call *
call_at (guint index)
{
  g_assert_cmpuint (index, <, calls->len);
  return g_ptr_array_index (calls, index);
}

static char *
lookup_string (GVariant   *notification,
               const char *key)
{
  char *value = NULL;

  g_assert_true (g_variant_lookup (notification, key, "s", &value));
  return value;
}

static char *
lookup_printed (GVariant   *notification,
                const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (notification, key, NULL);

  g_assert_nonnull (value);
  return g_variant_print (value, FALSE);
}

static void
save_runner (DrConfig   *config,
             const char *name)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(GError) error = NULL;

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  g_assert_true (dr_config_put_runner (config, spec, &error));
  g_assert_no_error (error);
}

static void
add_cluster_objects (DrFakeApiserver *server,
                     DrEngine        *engine)
{
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;
  DrRunnerSpec *spec = dr_config_lookup_runner (dr_engine_get_config (engine), "web");
  g_autofree char *json = NULL;

  g_free (dr_fake_apiserver_add (server, "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                         "\"metadata\": {\"name\": \"arc-runners\"}}"));
  g_free (dr_fake_apiserver_add (server, "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                         "\"metadata\": {\"name\": \"arc-systems\"}}"));
  objects = dr_arc_render_runner (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  json = json_to_string (g_ptr_array_index (objects, objects->len - 1), FALSE);
  g_free (dr_fake_apiserver_add (server, json));
  g_free (dr_fake_apiserver_add (server,
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {"
    "\"name\": \"web-884475f5-listener\", \"namespace\": \"arc-systems\", \"labels\": {"
    "\"app.kubernetes.io/component\": \"runner-scale-set-listener\", "
    "\"app.kubernetes.io/part-of\": \"gha-runner-scale-set\", "
    "\"actions.github.com/scale-set-name\": \"web\", "
    "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
    "\"spec\": {\"containers\": [{\"name\": \"listener\", \"image\": \"listener\"}]}, "
    "\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"listener\", "
    "\"ready\": true, \"restartCount\": 0, "
    "\"state\": {\"running\": {\"startedAt\": \"2026-06-01T10:00:00Z\"}}}]}}"));
}

static void
set_listener (DrFakeApiserver *server,
              gboolean         crash)
{
  dr_fake_apiserver_patch (server, LISTENER_POD, crash
    ? "{\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"listener\", "
      "\"ready\": false, \"restartCount\": 4, "
      "\"state\": {\"waiting\": {\"reason\": \"CrashLoopBackOff\"}}}]}}"
    : "{\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"listener\", "
      "\"ready\": true, \"restartCount\": 4, "
      "\"state\": {\"running\": {\"startedAt\": \"2026-06-01T10:05:00Z\"}}}]}}");
}

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
test_notifications (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) shell = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(DrFakeApiserver) server = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrNotifier) notifier = NULL;
  g_autofree char *path = dr_config_default_path ();
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean owned = FALSE;
  DrRunner *web;
  guint own_id, registration;
  Call *call;

  calls = g_ptr_array_new_with_free_func (call_free);
  g_test_dbus_up (bus);
  shell = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                  G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (shell, "/org/gtk/Notifications",
                                                    info->interfaces[0], &notifications_vtable,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  own_id = g_bus_own_name_on_connection (shell, "org.gtk.Notifications",
                                         G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL,
                                         &owned, NULL);
  dr_test_wait_for_flag (&owned, WAIT_MS);

  save_runner (config, "web");
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  dr_fake_apiserver_register_defaults (server);
  client = new_client (server);
  engine = dr_engine_new (NULL, NULL);
  dr_engine_load (engine);
  web = dr_engine_lookup_runner (engine, "web");
  add_cluster_objects (server, engine);

  app = g_application_new (APP_ID ".NotifierTest", G_APPLICATION_DEFAULT_FLAGS);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  notifier = dr_notifier_new (engine, app, INTERVAL_MS * 1000);
  dr_engine_set_kube_client (engine, client);
  WAIT_FOR (dr_engine_get_synced (engine) && dr_runner_get_status (web) == DR_RUNNER_STATUS_IDLE);
  spin (100);
  g_assert_cmpuint (calls->len, ==, 0);

  /* A job starts: one notification that opens the runner, with its pod's log a click away. */
  g_free (dr_fake_apiserver_add (server,
    "{\"apiVersion\": \"actions.github.com/v1alpha1\", \"kind\": \"EphemeralRunner\", "
    "\"metadata\": {\"name\": \"web-x7k2p-runner-q2w9z\", \"namespace\": \"arc-runners\", "
    "\"labels\": {\"app.kubernetes.io/component\": \"runner\", "
    "\"actions.github.com/scale-set-name\": \"web\", "
    "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
    "\"status\": {\"phase\": \"Running\", \"ready\": true, \"jobDisplayName\": \"build\", "
    "\"jobRepositoryName\": \"octo/hello\", \"workflowRunId\": 4242}}"));
  WAIT_FOR (calls->len == 1);
  call = call_at (0);
  g_assert_cmpstr (call->method, ==, "add");
  g_assert_cmpstr (call->id, ==, "job-web");
  text = lookup_string (call->notification, "title");
  g_assert_cmpstr (text, ==, "A job started");
  g_clear_pointer (&text, g_free);
  text = lookup_string (call->notification, "body");
  g_assert_cmpstr (text, ==, "“build” from octo/hello on web");
  g_clear_pointer (&text, g_free);
  text = lookup_string (call->notification, "default-action");
  g_assert_cmpstr (text, ==, "app.show-runner");
  g_clear_pointer (&text, g_free);
  text = lookup_printed (call->notification, "default-action-target");
  g_assert_cmpstr (text, ==, "'web'");
  g_clear_pointer (&text, g_free);
  text = lookup_printed (call->notification, "buttons");
  g_assert_cmpstr (text, ==, "[{'label': <'Show Log'>, 'action': <'app.show-pod-log'>, "
                             "'target': <('web', 'web-x7k2p-runner-q2w9z')>}]");
  g_clear_pointer (&text, g_free);

  /* Then a storm: the job ends and the listener crash-loops within the interval. Nothing
   * until it is over, then one summary. */
  dr_fake_apiserver_patch (server, RUNNER_ER,
                           "{\"status\": {\"jobDisplayName\": \"\", \"jobRepositoryName\": \"\","
                           " \"workflowRunId\": 0}}");
  set_listener (server, TRUE);
  WAIT_FOR (dr_runner_get_listener_state (web) == DR_LISTENER_STATE_CRASH_LOOPING);
  spin (100);
  g_assert_cmpuint (calls->len, ==, 1);
  WAIT_FOR (calls->len == 2);
  call = call_at (1);
  g_assert_cmpstr (call->method, ==, "add");
  g_assert_cmpstr (call->id, ==, "runner-summary-web");
  text = lookup_string (call->notification, "title");
  g_assert_cmpstr (text, ==, "web: 2 updates");
  g_clear_pointer (&text, g_free);
  text = lookup_string (call->notification, "body");
  /* Both, in the order the watches told them. */
  g_assert_true (g_str_equal (text, "A job finished\nThe listener of web is crash-looping") ||
                 g_str_equal (text, "The listener of web is crash-looping\nA job finished"));
  g_clear_pointer (&text, g_free);
  text = lookup_string (call->notification, "priority");
  g_assert_cmpstr (text, ==, "high");
  g_clear_pointer (&text, g_free);

  /* It recovers: the summary also told of the job, so it stays. */
  set_listener (server, FALSE);
  WAIT_FOR (dr_runner_get_listener_state (web) == DR_LISTENER_STATE_RUNNING);
  spin (INTERVAL_MS + 100);
  g_assert_cmpuint (calls->len, ==, 2);

  /* After a quiet interval a crash-loop shows alone, and goes when the listener runs. */
  set_listener (server, TRUE);
  WAIT_FOR (calls->len == 3);
  call = call_at (2);
  g_assert_cmpstr (call->method, ==, "add");
  g_assert_cmpstr (call->id, ==, "listener-web");
  text = lookup_printed (call->notification, "buttons");
  g_assert_cmpstr (text, ==, "[{'label': <'Show Log'>, 'action': <'app.show-runner-logs'>, "
                             "'target': <'web'>}]");
  g_clear_pointer (&text, g_free);
  set_listener (server, FALSE);
  WAIT_FOR (calls->len == 4);
  call = call_at (3);
  g_assert_cmpstr (call->method, ==, "remove");
  g_assert_cmpstr (call->id, ==, "listener-web");

  /* An operation that fails while the window is closed is told; with the window open, the
   * window tells it. */
  {
    g_autoptr(DrOperation) scale = dr_engine_scale_runner (engine, "web", 5, 1);

    WAIT_FOR (dr_operation_is_finished (scale));
    g_assert_cmpint (dr_operation_get_state (scale), ==, DR_OPERATION_FAILED);
    WAIT_FOR (calls->len == 5);
    call = call_at (4);
    g_assert_cmpstr (call->id, ==, "operation-1");
    text = lookup_string (call->notification, "default-action");
    g_assert_cmpstr (text, ==, "app.show-operations");
    g_clear_pointer (&text, g_free);
  }
  dr_notifier_set_window_open (notifier, TRUE);
  {
    g_autoptr(DrOperation) scale = dr_engine_scale_runner (engine, "web", 5, 1);

    WAIT_FOR (dr_operation_is_finished (scale));
    spin (100);
    g_assert_cmpuint (calls->len, ==, 5);
  }

  /* The cluster stopped (after a reboot): told with a way to start it, even with the window
   * open — the window cannot start it by itself. */
  {
    DrFakeHost *fake = dr_fake_host_new ();
    g_autoptr(DrOperation) refresh = NULL;

    dr_fake_host_add_tool (fake, "docker");
    dr_fake_host_add_tool (fake, "kind");
    dr_fake_host_set (fake, "DOCKER___VERSION", "STDOUT", "Docker version 24.0.7, build 1");
    dr_fake_host_set (fake, "DOCKER_VERSION", "STDOUT", "24.0.7");
    dr_fake_host_set (fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");
    dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
    dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT", "exited");
    refresh = dr_cluster_refresh (dr_engine_get_cluster (engine));
    WAIT_FOR (dr_operation_is_finished (refresh));
    WAIT_FOR (calls->len == 6);
    call = call_at (5);
    g_assert_cmpstr (call->method, ==, "add");
    g_assert_cmpstr (call->id, ==, "cluster");
    text = lookup_string (call->notification, "title");
    g_assert_cmpstr (text, ==, "The cluster is stopped");
    g_clear_pointer (&text, g_free);
    text = lookup_string (call->notification, "default-action");
    g_assert_cmpstr (text, ==, "app.show-cluster");
    g_clear_pointer (&text, g_free);
    text = lookup_printed (call->notification, "buttons");
    g_assert_cmpstr (text, ==, "[{'label': <'Start Cluster'>, 'action': <'app.start-cluster'>}]");
    g_clear_pointer (&text, g_free);

    /* Checked again, still stopped: no second notification. */
    g_clear_object (&refresh);
    refresh = dr_cluster_refresh (dr_engine_get_cluster (engine));
    WAIT_FOR (dr_operation_is_finished (refresh));
    spin (100);
    g_assert_cmpuint (calls->len, ==, 6);
    dr_fake_host_free (fake);
  }

  g_clear_object (&notifier);
  dr_engine_set_kube_client (engine, NULL);
  g_application_quit (app);
  g_bus_unown_name (own_id);
  g_dbus_connection_unregister_object (shell, registration);
  g_dbus_connection_close_sync (shell, NULL, NULL);
  g_clear_object (&app);
  g_test_dbus_down (bus);
  g_ptr_array_unref (calls);
}

int
main (int   argc,
      char *argv[])
{
  /* GNOME Shell's own protocol, whatever desktop the test runs on. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/notifier/notifications", test_notifications);

  return g_test_run ();
}
