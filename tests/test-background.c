/* test-background.c — deskrun lives on with its window closed, and ends on Quit
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real DrApplication on the test's session bus and display.
 */
#include "config.h"

#include "dr-application.h"
#include "dr-autostart.h"
#include "dr-host-command.h"
#include "dr-preferences-window.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"
#include "dr-window.h"

#define WAIT_MS 15000

typedef struct
{
  GApplication *app;
  guint         stage;
  gint64        since;
  gboolean      item_answered;
  gboolean      quit_by_itself;
  GError       *error;
} Run;

static guint
n_windows (GApplication *app)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static GtkWindow *
first_window (GApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return windows ? windows->data : NULL;
}

static DrApplication *
new_app (const char *id)
{
  return g_object_new (DR_TYPE_APPLICATION, "application-id", id,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE, NULL);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("the application did not get to the end of the test in time");
  return G_SOURCE_REMOVE;
}

static void
item_status_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &run->error);

  run->item_answered = reply != NULL;
}

/* Closing the window leaves the app running: its tray item still answers on the bus, Start
 * at Login still works; Quit ends it. */
static gboolean
close_keeps_running_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = first_window (run->app);
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *autostart = NULL;
  g_autofree char *contents = NULL;

  switch (run->stage)
    {
    case 0:
      if (window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window)))
        return G_SOURCE_CONTINUE;
      g_assert_true (DR_IS_WINDOW (window));
      gtk_window_close (window);
      run->stage = 1;
      run->since = g_get_monotonic_time ();
      return G_SOURCE_CONTINUE;

    case 1:
      if (g_get_monotonic_time () - run->since < 300 * 1000)
        return G_SOURCE_CONTINUE;
      g_assert_cmpuint (n_windows (run->app), ==, 0);
      g_dbus_connection_call (g_application_get_dbus_connection (run->app),
                              g_dbus_connection_get_unique_name (
                                g_application_get_dbus_connection (run->app)),
                              "/StatusNotifierItem", "org.freedesktop.DBus.Properties", "Get",
                              g_variant_new ("(ss)", "org.kde.StatusNotifierItem", "Status"),
                              NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, item_status_cb, run);
      run->stage = 2;
      return G_SOURCE_CONTINUE;

    case 2:
      if (!run->item_answered && run->error == NULL)
        return G_SOURCE_CONTINUE;
      g_assert_no_error (run->error);

      /* Start at Login, outside Flatpak: an autostart entry that starts hidden. */
      settings = g_settings_new (APP_ID);
      autostart = dr_autostart_path ();
      g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));
      g_settings_set_boolean (settings, "start-at-login", TRUE);
      contents = dr_test_read_file (autostart);
      g_assert_nonnull (strstr (contents, "\nExec=deskrun --background\n"));
      g_assert_nonnull (strstr (contents, "[Desktop Entry]\n"));
      g_settings_set_boolean (settings, "start-at-login", FALSE);
      g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));

      /* Preferences (Ctrl+,) opens even with no window, over a new main window. */
      {
        g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (run->app),
                                                                      "app.preferences");
        gboolean found = FALSE;

        g_assert_cmpstr (accels[0], ==, "<Control>comma");
        g_action_group_activate_action (G_ACTION_GROUP (run->app), "preferences", NULL);
        for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l; l = l->next)
          found |= DR_IS_PREFERENCES_WINDOW (l->data);
        g_assert_true (found);
      }

      /* Quit ends it for real, windows and all. */
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      run->stage = 3;
      return G_SOURCE_REMOVE;

    default:
      g_assert_not_reached ();
    }
}

static void
test_close_keeps_running (void)
{
  g_autoptr(DrApplication) app = new_app (APP_ID ".BackgroundTest1");
  char *argv[] = { (char *) "deskrun", NULL };
  Run run = { G_APPLICATION (app), 0, };
  guint deadline = g_timeout_add (WAIT_MS, deadline_cb, NULL);

  g_timeout_add (20, close_keeps_running_cb, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_cmpuint (run.stage, ==, 3);
  g_source_remove (deadline);
}

static gboolean
close_quits_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = first_window (run->app);

  if (window == NULL || !gtk_widget_get_visible (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;
  gtk_window_close (window);
  run->stage = 1;
  return G_SOURCE_REMOVE;
}

/* Run in Background off: closing the window ends deskrun, as for any app. */
static void
test_close_quits_without_background (void)
{
  g_autoptr(DrApplication) app = new_app (APP_ID ".BackgroundTest2");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  char *argv[] = { (char *) "deskrun", NULL };
  Run run = { G_APPLICATION (app), 0, };
  guint deadline = g_timeout_add (WAIT_MS, deadline_cb, NULL);

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_timeout_add (20, close_quits_cb, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_cmpuint (run.stage, ==, 1);
  g_source_remove (deadline);
  g_settings_reset (settings, "run-in-background");
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
launch (const char * const *argv)
{
  const char *deskrun = g_getenv ("DESKRUN");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_assert_nonnull (deskrun);
  g_ptr_array_add (args, (char *) deskrun);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_NONE,
                               &error);
  g_assert_no_error (error);
  /* The primary instance answers on this main loop: wait without blocking it. */
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static gboolean
background_cb (gpointer user_data)
{
  Run *run = user_data;

  switch (run->stage)
    {
    case 0:
      if (g_get_monotonic_time () - run->since < 500 * 1000)
        return G_SOURCE_CONTINUE;
      /* --background: running, no window. */
      g_assert_cmpuint (n_windows (run->app), ==, 0);
      g_assert_true (g_application_get_is_registered (run->app));
      g_assert_false (g_application_get_is_remote (run->app));

      /* Another --background (a second login autostart) changes nothing. */
      {
        const char *args[] = { "--background", NULL };

        launch (args);
      }
      g_assert_cmpuint (n_windows (run->app), ==, 0);

      /* A second plain launch shows this instance's window. */
      {
        const char *args[] = { NULL };

        launch (args);
      }
      run->stage = 1;
      return G_SOURCE_CONTINUE;

    case 1:
      if (n_windows (run->app) == 0 ||
          !gtk_widget_get_visible (GTK_WIDGET (first_window (run->app))))
        return G_SOURCE_CONTINUE;
      g_assert_true (DR_IS_WINDOW (first_window (run->app)));
      {
        const char *args[] = { NULL };

        launch (args);
      }
      /* Still the one window, presented again. */
      g_assert_cmpuint (n_windows (run->app), ==, 1);
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      run->stage = 2;
      return G_SOURCE_REMOVE;

    default:
      g_assert_not_reached ();
    }
}

static void
test_background_then_second_launch (void)
{
  g_autoptr(DrApplication) app = new_app (APP_ID);
  char *argv[] = { (char *) "deskrun", (char *) "--background", NULL };
  Run run = { G_APPLICATION (app), 0, g_get_monotonic_time () };
  guint deadline = g_timeout_add (WAIT_MS * 2, deadline_cb, NULL);

  g_timeout_add (20, background_cb, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, argv), ==, 0);
  g_assert_cmpuint (run.stage, ==, 2);
  g_source_remove (deadline);
}

/* ---- Inside Flatpak: the Background portal ------------------------------------------------ */

static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  "  <method name='RequestBackground'>"
  "    <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    <arg type='o' direction='out'/>"
  "  </method>"
  "  <property name='version' type='u' access='read'/>"
  "</interface></node>";

typedef struct
{
  GPtrArray *requests;   /* "autostart=B commandline=[...] reason-given=B" */
  guint      answer;     /* 0: granted, 1: the user said no */
} FakePortal;

static void
portal_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  FakePortal *portal = user_data;
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GVariant) commandline = NULL;
  g_autofree char *sender_part = g_strdup (sender + 1);
  g_autofree char *handle = NULL;
  g_autofree char *printed = NULL;
  const char *token = NULL;
  gboolean autostart = FALSE;
  const char *reason = NULL;
  GVariantBuilder results;

  g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
  /* As xdg-desktop-portal: the request's handle comes from the caller's token. */
  g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
  g_variant_lookup (options, "autostart", "b", &autostart);
  g_variant_lookup (options, "reason", "&s", &reason);
  commandline = g_variant_lookup_value (options, "commandline", G_VARIANT_TYPE_STRING_ARRAY);
  printed = commandline ? g_variant_print (commandline, FALSE) : g_strdup ("none");
  g_ptr_array_add (portal->requests,
                   g_strdup_printf ("autostart=%d commandline=%s reason-given=%d", autostart,
                                    printed, reason != NULL && *reason != '\0'));
  g_strdelimit (sender_part, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender_part, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background",
                         g_variant_new_boolean (portal->answer == 0));
  g_variant_builder_add (&results, "{sv}", "autostart",
                         g_variant_new_boolean (portal->answer == 0 && autostart));
  g_dbus_connection_emit_signal (connection, sender, handle, "org.freedesktop.portal.Request",
                                 "Response", g_variant_new ("(u@a{sv})", portal->answer,
                                                            g_variant_builder_end (&results)),
                                 NULL);
}

static GVariant *
portal_property_cb (GDBusConnection  *connection,
                    const char       *sender,
                    const char       *object_path,
                    const char       *interface_name,
                    const char       *property_name,
                    GError          **error,
                    gpointer          user_data)
{
  return g_variant_new_uint32 (1);
}

static const GDBusInterfaceVTable portal_vtable = { portal_method_cb, portal_property_cb };

typedef struct
{
  Run         run;
  FakePortal *portal;
} FlatpakRun;

static gboolean
flatpak_cb (gpointer user_data)
{
  FlatpakRun *flatpak = user_data;
  Run *run = &flatpak->run;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *autostart = dr_autostart_path ();

  switch (run->stage)
    {
    case 0:
      /* Run in Background (on by default) asks the portal to let us run without a window. */
      if (flatpak->portal->requests->len < 1)
        return G_SOURCE_CONTINUE;
      g_assert_cmpstr (g_ptr_array_index (flatpak->portal->requests, 0), ==,
                       "autostart=0 commandline=['deskrun', '--background'] reason-given=1");
      g_settings_set_boolean (settings, "start-at-login", TRUE);
      run->stage = 1;
      return G_SOURCE_CONTINUE;

    case 1:
      /* Start at Login asks the portal for autostart; the sandbox writes no autostart file. */
      if (flatpak->portal->requests->len < 2)
        return G_SOURCE_CONTINUE;
      g_assert_cmpstr (g_ptr_array_index (flatpak->portal->requests, 1), ==,
                       "autostart=1 commandline=['deskrun', '--background'] reason-given=1");
      g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));
      run->since = g_get_monotonic_time ();
      run->stage = 2;
      return G_SOURCE_CONTINUE;

    case 2:
      if (g_get_monotonic_time () - run->since < 300 * 1000)
        return G_SOURCE_CONTINUE;
      g_assert_true (g_settings_get_boolean (settings, "start-at-login"));

      /* The user says no in the portal's dialog: the switch tells the truth again. */
      flatpak->portal->answer = 1;
      g_settings_set_boolean (settings, "start-at-login", FALSE);
      g_settings_set_boolean (settings, "start-at-login", TRUE);
      run->stage = 3;
      return G_SOURCE_CONTINUE;

    case 3:
      if (g_settings_get_boolean (settings, "start-at-login"))
        return G_SOURCE_CONTINUE;
      g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      run->stage = 4;
      return G_SOURCE_REMOVE;

    default:
      g_assert_not_reached ();
    }
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_flatpak_portal (void)
{
  g_autoptr(DrApplication) app = new_app (APP_ID ".BackgroundTest3");
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusConnection) desktop = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  FakePortal portal = { g_ptr_array_new_with_free_func (g_free), 0 };
  FlatpakRun flatpak = { { G_APPLICATION (app), 0, }, &portal };
  char *argv[] = { (char *) "deskrun", NULL };
  guint deadline = g_timeout_add (WAIT_MS, deadline_cb, NULL);
  gboolean owned = FALSE;
  guint registration, own_id;

  g_assert_nonnull (bus);
  g_assert_true (dr_host_command_in_flatpak ());
  desktop = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                    NULL, NULL, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (desktop, "/org/freedesktop/portal/desktop",
                                                    info->interfaces[0], &portal_vtable, &portal,
                                                    NULL, &error);
  g_assert_no_error (error);
  own_id = g_bus_own_name_on_connection (desktop, "org.freedesktop.portal.Desktop",
                                         G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL,
                                         &owned, NULL);
  dr_test_wait_for_flag (&owned, WAIT_MS);

  g_timeout_add (20, flatpak_cb, &flatpak);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_cmpuint (flatpak.run.stage, ==, 4);
  g_source_remove (deadline);

  g_settings_reset (settings, "start-at-login");
  g_bus_unown_name (own_id);
  g_dbus_connection_unregister_object (desktop, registration);
  g_ptr_array_unref (portal.requests);
}

int
main (int   argc,
      char *argv[])
{
  /* --flatpak-info=PATH: run as inside Flatpak, with PATH as the sandbox's /.flatpak-info. */
  if (argc > 1 && g_str_has_prefix (argv[1], "--flatpak-info="))
    {
      g_setenv ("DR_FLATPAK_INFO", argv[1] + strlen ("--flatpak-info="), TRUE);
      argv[1] = argv[0];
      argv++;
      argc--;
    }
  /* No notification server here: GNOME Shell's protocol fails silently, the fdo one warns. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  dr_test_gtk_init (&argc, &argv);

  /* The same program runs a second time with a fake /.flatpak-info (DR_FLATPAK_INFO), which
   * holds for the whole process. */
  if (g_getenv ("DR_FLATPAK_INFO") != NULL)
    {
      g_test_add_func ("/deskrun/background/flatpak-portal", test_flatpak_portal);
      return g_test_run ();
    }

  g_test_add_func ("/deskrun/background/close-keeps-running", test_close_keeps_running);
  g_test_add_func ("/deskrun/background/close-quits-without-background",
                   test_close_quits_without_background);
  g_test_add_func ("/deskrun/background/start-hidden-then-second-launch",
                   test_background_then_second_launch);

  return g_test_run ();
}
