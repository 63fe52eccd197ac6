/* test-tray.c — the tray item on a private session bus, as a panel sees it
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fake org.kde.StatusNotifierWatcher (its own connection) takes the registration; a third
 * connection plays the panel: it reads the item's properties, follows its signals, fetches the
 * dbusmenu layout and clicks items. The runners' states come from the engine watching the
 * fake Kubernetes API server.
 */
#include "config.h"

#include "dr-arc-render.h"
#include "dr-config-file.h"
#include "dr-dbusmenu.h"
#include "dr-engine-private.h"
#include "dr-fake-apiserver.h"
#include "dr-fake-host.h"
#include "dr-status-notifier.h"
#include "dr-test-utils.h"
#include "dr-tray.h"

#define WAIT_MS 20000

#define LISTENER_POD "/api/v1/namespaces/arc-systems/pods/web-884475f5-listener"
#define RUNNER_ER    "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/" \
                     "ephemeralrunners/web-x7k2p-runner-q2w9z"

/* ---- A fake StatusNotifierWatcher --------------------------------------------------------- */

static const char watcher_xml[] =
  "<node><interface name='org.kde.StatusNotifierWatcher'>"
  "  <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "  <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "  <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "  <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "  <property name='ProtocolVersion' type='i' access='read'/>"
  "  <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "</interface></node>";

typedef struct
{
  GDBusConnection *connection;
  GDBusNodeInfo   *info;
  guint            registration_id;
  guint            own_id;
  gboolean         owned;
  GPtrArray       *registrations;   /* "SENDER PATH" */
} FakeWatcher;

static void
watcher_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  FakeWatcher *watcher = user_data;
  const char *arg;

  g_variant_get (parameters, "(&s)", &arg);
  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      /* As KDE's watcher: an object path (then the sender is the service) or a bus name. */
      if (!(arg[0] == '/' && g_variant_is_object_path (arg)) && !g_dbus_is_name (arg))
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "Not a service or path: %s", arg);
          return;
        }
      g_ptr_array_add (watcher->registrations, g_strdup_printf ("%s %s", sender, arg));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_property_cb (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *object_path,
                     const char       *interface_name,
                     const char       *property_name,
                     GError          **error,
                     gpointer          user_data)
{
  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  if (g_str_equal (property_name, "ProtocolVersion"))
    return g_variant_new_int32 (0);
  return g_variant_new_strv (NULL, 0);
}

static const GDBusInterfaceVTable watcher_vtable = { watcher_method_cb, watcher_property_cb };

static void
watcher_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((FakeWatcher *) user_data)->owned = TRUE;
}

static void
watcher_own (FakeWatcher *watcher)
{
  watcher->owned = FALSE;
  watcher->own_id = g_bus_own_name_on_connection (watcher->connection,
                                                  "org.kde.StatusNotifierWatcher",
                                                  G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  watcher_acquired_cb, NULL, watcher, NULL);
  dr_test_wait_for_flag (&watcher->owned, WAIT_MS);
}

static void
watcher_release (FakeWatcher *watcher)
{
  g_clear_handle_id (&watcher->own_id, g_bus_unown_name);
  watcher->owned = FALSE;
}

static GDBusConnection *
new_connection (GTestDBus *bus)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection =
    g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static FakeWatcher *
watcher_new (GTestDBus *bus,
             gboolean   own)
{
  FakeWatcher *watcher = g_new0 (FakeWatcher, 1);
  g_autoptr(GError) error = NULL;

  watcher->connection = new_connection (bus);
  watcher->info = g_dbus_node_info_new_for_xml (watcher_xml, &error);
  g_assert_no_error (error);
  watcher->registrations = g_ptr_array_new_with_free_func (g_free);
  watcher->registration_id =
    g_dbus_connection_register_object (watcher->connection, "/StatusNotifierWatcher",
                                       watcher->info->interfaces[0], &watcher_vtable, watcher,
                                       NULL, &error);
  g_assert_no_error (error);
  if (own)
    watcher_own (watcher);
  return watcher;
}

static void
watcher_free (FakeWatcher *watcher)
{
  watcher_release (watcher);
  g_dbus_connection_unregister_object (watcher->connection, watcher->registration_id);
  g_dbus_connection_close_sync (watcher->connection, NULL, NULL);
  g_object_unref (watcher->connection);
  g_dbus_node_info_unref (watcher->info);
  g_ptr_array_unref (watcher->registrations);
  g_free (watcher);
}

/* ---- Fixture ------------------------------------------------------------------------------ */

typedef struct
{
  GTestDBus          *bus;
  GDBusConnection    *app;       /* the tray's connection */
  GDBusConnection    *host;      /* the panel's */
  FakeWatcher        *watcher;
  GSimpleActionGroup *actions;
  GPtrArray          *activated; /* "name" or "name 'target'" */
  GPtrArray          *signals;   /* member names of the item's and menu's signals */
  guint               subscription;
  DrFakeApiserver    *server;
  DrKubeClient       *client;
  DrEngine           *engine;
  DrTray             *tray;
} Fixture;

static void
activate_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *target = parameter ? g_variant_print (parameter, FALSE) : NULL;

  g_ptr_array_add (fixture->activated,
                   target ? g_strdup_printf ("%s %s", g_action_get_name (G_ACTION (action)),
                                             target)
                          : g_strdup (g_action_get_name (G_ACTION (action))));
}

static void
signal_cb (GDBusConnection *connection,
           const char      *sender,
           const char      *object_path,
           const char      *interface_name,
           const char      *signal_name,
           GVariant        *parameters,
           gpointer         user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (signal_name, "NewStatus"))
    {
      const char *status;

      g_variant_get (parameters, "(&s)", &status);
      g_ptr_array_add (fixture->signals, g_strdup_printf ("NewStatus %s", status));
    }
  else
    g_ptr_array_add (fixture->signals, g_strdup (signal_name));
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
  static const GActionEntry entries[] = {
    { "open", activate_cb }, { "quit", activate_cb }, { "start-cluster", activate_cb },
    { "show-runner", activate_cb, "s" }, { "show-runner-logs", activate_cb, "s" },
    { "scale-runner", activate_cb, "s" },
  };
  g_autofree char *path = dr_config_default_path ();
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(GError) error = NULL;

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  fixture->app = new_connection (fixture->bus);
  fixture->host = new_connection (fixture->bus);
  fixture->watcher = watcher_new (fixture->bus, GPOINTER_TO_INT (data) != 0);

  fixture->activated = g_ptr_array_new_with_free_func (g_free);
  fixture->signals = g_ptr_array_new_with_free_func (g_free);
  fixture->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (fixture->actions), entries,
                                   G_N_ELEMENTS (entries), fixture);
  fixture->subscription =
    g_dbus_connection_signal_subscribe (fixture->host,
                                        g_dbus_connection_get_unique_name (fixture->app),
                                        NULL, NULL, NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        signal_cb, fixture, NULL);

  save_runner (config, "web");
  save_runner (config, "docs");
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);

  fixture->server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  dr_fake_apiserver_register_defaults (fixture->server);
  fixture->client = new_client (fixture->server);
  fixture->engine = dr_engine_new (NULL, NULL);
  dr_engine_load (fixture->engine);
  g_assert_cmpuint (g_list_model_get_n_items (dr_engine_get_runners (fixture->engine)), ==, 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->tray);
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, dr_fake_apiserver_free);
  g_dbus_connection_signal_unsubscribe (fixture->host, fixture->subscription);
  g_clear_object (&fixture->actions);
  g_clear_pointer (&fixture->activated, g_ptr_array_unref);
  g_clear_pointer (&fixture->signals, g_ptr_array_unref);
  watcher_free (fixture->watcher);
  g_dbus_connection_close_sync (fixture->app, NULL, NULL);
  g_dbus_connection_close_sync (fixture->host, NULL, NULL);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->host);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
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

static void
new_tray (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->tray = dr_tray_new (fixture->engine, G_ACTION_GROUP (fixture->actions),
                               fixture->app, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->tray);
}

/* ---- The panel's side ----------------------------------------------------------------------- */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The tray answers on this process's main context: calls must spin it while they wait. */
static GVariant *
host_call_full (Fixture    *fixture,
                const char *path,
                const char *interface,
                const char *method,
                GVariant   *parameters,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_dbus_connection_call (fixture->host, g_dbus_connection_get_unique_name (fixture->app),
                          path, interface, method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE,
                          5000, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_dbus_connection_call_finish (fixture->host, result, error);
}

#define host_call host_call_full

static GVariant *
item_properties (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = host_call (fixture, "/StatusNotifierItem",
                                         "org.freedesktop.DBus.Properties", "GetAll",
                                         g_variant_new ("(s)", "org.kde.StatusNotifierItem"),
                                         &error);
  GVariant *props;

  g_assert_no_error (error);
  g_variant_get (reply, "(@a{sv})", &props);
  return props;
}

static char *
item_string (Fixture    *fixture,
             const char *name)
{
  g_autoptr(GVariant) props = item_properties (fixture);
  char *value = NULL;

  g_assert_true (g_variant_lookup (props, name, "s", &value));
  return value;
}

static char *
item_tooltip_text (Fixture *fixture)
{
  g_autoptr(GVariant) props = item_properties (fixture);
  g_autoptr(GVariant) tooltip = g_variant_lookup_value (props, "ToolTip",
                                                        G_VARIANT_TYPE ("(sa(iiay)ss)"));
  char *text;

  g_assert_nonnull (tooltip);
  g_variant_get (tooltip, "(&s@a(iiay)&ss)", NULL, NULL, NULL, &text);
  return text;
}

static GVariant *
get_layout (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  const char *no_names[] = { NULL };
  GVariant *reply = host_call (fixture, DR_TRAY_MENU_PATH, "com.canonical.dbusmenu",
                               "GetLayout", g_variant_new ("(ii^as)", 0, -1, no_names),
                               &error);

  g_assert_no_error (error);
  /* The shape strict hosts insist on: two out arguments, no extra struct. */
  g_assert_cmpstr (g_variant_get_type_string (reply), ==, "(u(ia{sv}av))");
  return reply;
}

/* The id of the item labelled @label below @node (an (ia{sv}av)), or -1. */
static int
find_item (GVariant   *node,
           const char *label)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) children = NULL;
  const char *item_label = NULL;
  int id;

  g_variant_get (node, "(i@a{sv}@av)", &id, &props, &children);
  if (g_variant_lookup (props, "label", "&s", &item_label) && g_str_equal (item_label, label))
    return id;
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      int found = find_item (child, label);

      if (found >= 0)
        return found;
    }
  return -1;
}

/* "label" lines of the top level and, indented, each submenu; "---" for separators. */
static void
describe_layout (GVariant *node,
                 GString  *out,
                 int       level)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) children = NULL;
  const char *text = NULL;
  gboolean enabled = TRUE;
  int id;

  g_variant_get (node, "(i@a{sv}@av)", &id, &props, &children);
  if (id != 0)
    {
      for (int i = 1; i < level; i++)
        g_string_append (out, "  ");
      if (g_variant_lookup (props, "type", "&s", &text) && g_str_equal (text, "separator"))
        g_string_append (out, "---\n");
      else
        {
          g_assert_true (g_variant_lookup (props, "label", "&s", &text));
          g_variant_lookup (props, "enabled", "b", &enabled);
          g_string_append_printf (out, "%s%s\n", text, enabled ? "" : " (disabled)");
        }
    }
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);

      describe_layout (child, out, level + 1);
    }
}

static char *
layout_text (Fixture *fixture)
{
  g_autoptr(GVariant) reply = get_layout (fixture);
  g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);
  GString *out = g_string_new (NULL);

  describe_layout (root, out, 0);
  return g_string_free (out, FALSE);
}

static void
click (Fixture    *fixture,
       const char *label)
{
  g_autoptr(GVariant) reply = get_layout (fixture);
  g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);
  g_autoptr(GVariant) done = NULL;
  g_autoptr(GError) error = NULL;
  int id = find_item (root, label);

  g_assert_cmpint (id, >, 0);
  done = host_call (fixture, DR_TRAY_MENU_PATH, "com.canonical.dbusmenu", "Event",
                    g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0),
                    &error);
  g_assert_no_error (error);
}

static gboolean
has_string (GPtrArray  *array,
            const char *value)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), value))
      return TRUE;
  return FALSE;
}

/* ---- Tests -------------------------------------------------------------------------------- */

static void
test_register (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GVariant) props = NULL;
  g_autofree char *expected = g_strdup_printf ("%s /StatusNotifierItem",
                                               g_dbus_connection_get_unique_name (fixture->app));
  g_autofree char *tooltip = NULL;
  const char *text;
  gboolean item_is_menu = TRUE;

  new_tray (fixture);
  WAIT_FOR (dr_tray_get_registered (fixture->tray));
  /* Registered by object path, once; the watcher knows us by our unique name. */
  g_assert_cmpuint (fixture->watcher->registrations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->watcher->registrations, 0), ==, expected);

  props = item_properties (fixture);
  g_assert_true (g_variant_lookup (props, "Id", "&s", &text));
  g_assert_cmpstr (text, ==, "deskrun");
  g_assert_true (g_variant_lookup (props, "Category", "&s", &text));
  g_assert_cmpstr (text, ==, "ApplicationStatus");
  g_assert_true (g_variant_lookup (props, "Status", "&s", &text));
  g_assert_cmpstr (text, ==, "Active");
  g_assert_true (g_variant_lookup (props, "IconName", "&s", &text));
  g_assert_cmpstr (text, ==, APP_ID "-symbolic");
  g_assert_true (g_variant_lookup (props, "Menu", "&o", &text));
  g_assert_cmpstr (text, ==, "/MenuBar");
  g_assert_true (g_variant_lookup (props, "ItemIsMenu", "b", &item_is_menu));
  g_assert_false (item_is_menu);

  tooltip = item_tooltip_text (fixture);
  g_assert_cmpstr (tooltip, ==, "web: not deployed · docs: not deployed");

  /* Where the panel looks for our icons, told with a NewIcon. */
  g_assert_true (g_variant_lookup (props, "IconThemePath", "&s", &text));
  g_assert_cmpstr (text, ==, "");
  dr_tray_set_icon_theme_path (fixture->tray, "/usr/local/share/icons");
  WAIT_FOR (has_string (fixture->signals, "NewIcon"));
  {
    g_autofree char *path = item_string (fixture, "IconThemePath");

    g_assert_cmpstr (path, ==, "/usr/local/share/icons");
  }

  /* Activating the item opens the window. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = host_call (fixture, "/StatusNotifierItem",
                                           "org.kde.StatusNotifierItem", "Activate",
                                           g_variant_new ("(ii)", 10, 20), &error);

    g_assert_no_error (error);
    WAIT_FOR (fixture->activated->len == 1);
    g_assert_cmpstr (g_ptr_array_index (fixture->activated, 0), ==, "open");
  }
}

static void
test_menu (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GError) error = NULL;
  guint32 version = 0;

  new_tray (fixture);
  text = layout_text (fixture);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==,
                   "Open Deskrun\n"
                   "---\n"
                   "web: not deployed\n"
                   "  Open\n"
                   "  Logs\n"
                   "  Scale…\n"
                   "docs: not deployed\n"
                   "  Open\n"
                   "  Logs\n"
                   "  Scale…\n"
                   "---\n"
                   "Quit\n");

  /* A submenu says so, as hosts need to show it as one. */
  {
    g_autoptr(GVariant) reply = get_layout (fixture);
    g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);
    int web = find_item (root, "web: not deployed");
    g_autoptr(GVariant) value = host_call (fixture, DR_TRAY_MENU_PATH, "com.canonical.dbusmenu",
                                           "GetProperty",
                                           g_variant_new ("(is)", web, "children-display"),
                                           &error);
    g_autoptr(GVariant) inner = NULL;

    g_assert_no_error (error);
    g_variant_get (value, "(v)", &inner);
    g_assert_cmpstr (g_variant_get_string (inner, NULL), ==, "submenu");
  }

  props = host_call (fixture, DR_TRAY_MENU_PATH, "org.freedesktop.DBus.Properties", "Get",
                     g_variant_new ("(ss)", "com.canonical.dbusmenu", "Version"), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) inner = NULL;

    g_variant_get (props, "(v)", &inner);
    version = g_variant_get_uint32 (inner);
  }
  g_assert_cmpuint (version, ==, 3);

  /* A click runs the item's action with its target. */
  click (fixture, "Quit");
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 0), ==, "quit");
  click (fixture, "Open Deskrun");
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 1), ==, "open");
  {
    g_autoptr(GVariant) reply = get_layout (fixture);
    g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);
    g_autoptr(GVariant) docs = NULL;
    g_autoptr(GVariant) children = NULL;
    g_autoptr(GVariant) boxed = NULL;
    g_autoptr(GVariant) logs = NULL;
    g_autoptr(GVariant) done = NULL;
    int id;

    /* The second item of docs' submenu: Logs. */
    children = g_variant_get_child_value (root, 2);
    boxed = g_variant_get_child_value (children, 3);
    docs = g_variant_get_variant (boxed);
    g_clear_pointer (&children, g_variant_unref);
    g_clear_pointer (&boxed, g_variant_unref);
    children = g_variant_get_child_value (docs, 2);
    boxed = g_variant_get_child_value (children, 1);
    logs = g_variant_get_variant (boxed);
    g_variant_get (logs, "(i@a{sv}@av)", &id, NULL, NULL);
    done = host_call (fixture, DR_TRAY_MENU_PATH, "com.canonical.dbusmenu", "Event",
                      g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0),
                      &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 2), ==, "show-runner-logs 'docs'");

  /* An unknown item is an error for the host, not a crash for us. */
  {
    g_autoptr(GVariant) done = host_call (fixture, DR_TRAY_MENU_PATH, "com.canonical.dbusmenu",
                                          "Event",
                                          g_variant_new ("(isvu)", 4242, "clicked",
                                                         g_variant_new_int32 (0), 0),
                                          &error);

    g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  }
}

static void
add_ars (Fixture *fixture)
{
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;
  DrRunnerSpec *spec = dr_config_lookup_runner (dr_engine_get_config (fixture->engine), "web");
  g_autofree char *json = NULL;

  g_free (dr_fake_apiserver_add (fixture->server,
                                 "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                 "\"metadata\": {\"name\": \"arc-runners\"}}"));
  g_free (dr_fake_apiserver_add (fixture->server,
                                 "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                 "\"metadata\": {\"name\": \"arc-systems\"}}"));
  objects = dr_arc_render_runner (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The scale set is the last object rendered. */
  json = json_to_string (g_ptr_array_index (objects, objects->len - 1), FALSE);
  g_free (dr_fake_apiserver_add (fixture->server, json));
}

static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *tooltip = NULL;
  g_autofree char *status = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *layout = NULL;
  DrRunner *web = dr_engine_lookup_runner (fixture->engine, "web");
  gint64 start;

  new_tray (fixture);
  WAIT_FOR (dr_tray_get_registered (fixture->tray));
  add_ars (fixture);
  g_free (dr_fake_apiserver_add (fixture->server,
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
  dr_engine_set_kube_client (fixture->engine, fixture->client);

  WAIT_FOR (dr_runner_get_status (web) == DR_RUNNER_STATUS_IDLE);
  WAIT_FOR (g_strcmp0 (dr_tray_get_tooltip (fixture->tray), "web: idle · docs: not deployed")
            == 0);
  tooltip = item_tooltip_text (fixture);
  g_assert_cmpstr (tooltip, ==, "web: idle · docs: not deployed");
  g_assert_cmpint (dr_tray_get_state (fixture->tray), ==, DR_TRAY_STATE_IDLE);
  g_ptr_array_set_size (fixture->signals, 0);

  /* A job starts: busy icon, the tooltip names the job; the status stays Active. */
  start = g_get_monotonic_time ();
  g_free (dr_fake_apiserver_add (fixture->server,
    "{\"apiVersion\": \"actions.github.com/v1alpha1\", \"kind\": \"EphemeralRunner\", "
    "\"metadata\": {\"name\": \"web-x7k2p-runner-q2w9z\", \"namespace\": \"arc-runners\", "
    "\"labels\": {\"app.kubernetes.io/component\": \"runner\", "
    "\"actions.github.com/scale-set-name\": \"web\", "
    "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
    "\"status\": {\"phase\": \"Running\", \"ready\": true, \"jobDisplayName\": \"build\", "
    "\"jobRepositoryName\": \"octo/hello\", \"workflowRunId\": 4242}}"));
  g_free (dr_fake_apiserver_add (fixture->server,
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {"
    "\"name\": \"web-x7k2p-runner-q2w9z\", \"namespace\": \"arc-runners\", \"labels\": {"
    "\"app.kubernetes.io/component\": \"runner\", "
    "\"actions.github.com/scale-set-name\": \"web\"}}, "
    "\"spec\": {\"containers\": [{\"name\": \"runner\", \"image\": \"runner\"}]}, "
    "\"status\": {\"phase\": \"Running\"}}"));
  WAIT_FOR (dr_tray_get_state (fixture->tray) == DR_TRAY_STATE_BUSY);
  WAIT_FOR (has_string (fixture->signals, "NewIcon") &&
            has_string (fixture->signals, "NewToolTip"));
  g_test_message ("the panel was told of the job %.1f ms after the EphemeralRunner changed",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_false (has_string (fixture->signals, "NewStatus Active"));
  icon = item_string (fixture, "IconName");
  g_assert_cmpstr (icon, ==, APP_ID "-busy-symbolic");
  g_clear_pointer (&tooltip, g_free);
  tooltip = item_tooltip_text (fixture);
  g_assert_cmpstr (tooltip, ==, "web: running build · docs: not deployed");
  /* The menu says it too, and the host was told the layout changed. */
  WAIT_FOR (has_string (fixture->signals, "LayoutUpdated"));
  layout = layout_text (fixture);
  g_assert_nonnull (strstr (layout, "web: running build\n  Open\n"));
  g_ptr_array_set_size (fixture->signals, 0);

  /* The listener crash-loops: attention. */
  dr_fake_apiserver_patch (fixture->server, LISTENER_POD,
                           "{\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{"
                           "\"name\": \"listener\", \"ready\": false, \"restartCount\": 4, "
                           "\"state\": {\"waiting\": {\"reason\": \"CrashLoopBackOff\"}}}]}}");
  WAIT_FOR (dr_tray_get_state (fixture->tray) == DR_TRAY_STATE_ATTENTION);
  WAIT_FOR (has_string (fixture->signals, "NewStatus NeedsAttention"));
  status = item_string (fixture, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  g_clear_pointer (&icon, g_free);
  icon = item_string (fixture, "IconName");
  g_assert_cmpstr (icon, ==, APP_ID "-attention-symbolic");
  g_clear_pointer (&tooltip, g_free);
  tooltip = item_tooltip_text (fixture);
  g_assert_nonnull (strstr (tooltip, "web: listener crash-looping"));

  /* It recovers: Active again. */
  g_ptr_array_set_size (fixture->signals, 0);
  dr_fake_apiserver_patch (fixture->server, LISTENER_POD,
                           "{\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{"
                           "\"name\": \"listener\", \"ready\": true, \"restartCount\": 4, "
                           "\"state\": {\"running\": {\"startedAt\": "
                           "\"2026-06-01T10:05:00Z\"}}}]}}");
  WAIT_FOR (has_string (fixture->signals, "NewStatus Active"));
  g_assert_cmpint (dr_tray_get_state (fixture->tray), ==, DR_TRAY_STATE_BUSY);
}

static void
test_watcher_returns (Fixture       *fixture,
                      gconstpointer  data)
{
  new_tray (fixture);
  WAIT_FOR (dr_tray_get_registered (fixture->tray));
  g_assert_cmpuint (fixture->watcher->registrations->len, ==, 1);

  /* The panel restarts: the item goes, and comes back with it. */
  watcher_release (fixture->watcher);
  WAIT_FOR (!dr_tray_get_registered (fixture->tray));
  watcher_own (fixture->watcher);
  WAIT_FOR (dr_tray_get_registered (fixture->tray));
  g_assert_cmpuint (fixture->watcher->registrations->len, ==, 2);
}

/* Plain GNOME: no watcher on the bus. Nothing fails, nothing warns (warnings are fatal
 * here), and the item registers as soon as a watcher turns up. */
static void
test_no_watcher (Fixture       *fixture,
                 gconstpointer  data)
{
  new_tray (fixture);
  {
    gint64 until = g_get_monotonic_time () + 300 * 1000;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_false (dr_tray_get_registered (fixture->tray));
  g_assert_cmpuint (fixture->watcher->registrations->len, ==, 0);

  watcher_own (fixture->watcher);
  WAIT_FOR (dr_tray_get_registered (fixture->tray));
}

/* After a reboot: the kind cluster's node is stopped. The item asks for attention and its
 * menu offers Start Cluster, which runs the app's action. */
static void
test_cluster_stopped (Fixture       *fixture,
                      gconstpointer  data)
{
  DrFakeHost *fake = dr_fake_host_new ();
  DrCluster *cluster = dr_engine_get_cluster (fixture->engine);
  g_autoptr(DrOperation) refresh = NULL;
  g_autofree char *layout = NULL;
  g_autofree char *tooltip = NULL;

  dr_fake_host_add_tool (fake, "docker");
  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "DOCKER___VERSION", "STDOUT", "Docker version 24.0.7, build afdd53b");
  dr_fake_host_set (fake, "DOCKER_VERSION", "STDOUT", "24.0.7");
  dr_fake_host_set (fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");
  dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT", "exited");

  new_tray (fixture);
  layout = layout_text (fixture);
  g_assert_null (strstr (layout, "Start Cluster"));
  g_clear_pointer (&layout, g_free);

  refresh = dr_cluster_refresh (cluster);
  WAIT_FOR (dr_operation_is_finished (refresh));
  g_assert_cmpint (dr_cluster_get_state (cluster), ==, DR_CLUSTER_STATE_STOPPED);
  WAIT_FOR (dr_tray_get_state (fixture->tray) == DR_TRAY_STATE_ATTENTION);
  tooltip = item_tooltip_text (fixture);
  g_assert_cmpstr (tooltip, ==, "Cluster stopped · web: not deployed · docs: not deployed");

  layout = layout_text (fixture);
  g_assert_nonnull (strstr (layout, "---\nStart Cluster\n---\nQuit\n"));
  click (fixture, "Start Cluster");
  g_assert_cmpuint (fixture->activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->activated, 0), ==, "start-cluster");

  dr_fake_host_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add ("/deskrun/tray/register", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_register, fixture_tear_down);
  g_test_add ("/deskrun/tray/menu", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_menu, fixture_tear_down);
  g_test_add ("/deskrun/tray/live", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_live, fixture_tear_down);
  g_test_add ("/deskrun/tray/watcher-returns", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_watcher_returns, fixture_tear_down);
  g_test_add ("/deskrun/tray/cluster-stopped", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_cluster_stopped, fixture_tear_down);
  g_test_add ("/deskrun/tray/no-watcher", Fixture, GINT_TO_POINTER (0), fixture_set_up,
              test_no_watcher, fixture_tear_down);

  return g_test_run ();
}
