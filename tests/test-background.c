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

int
main (int   argc,
      char *argv[])
{
  /* No notification server here: GNOME Shell's protocol fails silently, the fdo one warns. */
  g_setenv ("GNOTIFICATION_BACKEND", "gtk", TRUE);
  dr_test_gtk_init (&argc, &argv);

  g_test_add_func ("/deskrun/background/close-keeps-running", test_close_keeps_running);
  g_test_add_func ("/deskrun/background/close-quits-without-background",
                   test_close_quits_without_background);
  g_test_add_func ("/deskrun/background/start-hidden-then-second-launch",
                   test_background_then_second_launch);

  return g_test_run ();
}
