/* dr-application.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "dr-application.h"
#include "dr-autostart.h"
#include "dr-engine.h"
#include "dr-first-frame.h"
#include "dr-host-command.h"
#include "dr-notifier.h"
#include "dr-preferences-window.h"
#include "dr-tray.h"
#include "dr-ui-resources.h"
#include "dr-window-private.h"

struct _DrApplication
{
  AdwApplication  parent_instance;

  DrEngine       *engine;
  DrTray         *tray;
  DrNotifier     *notifier;
  GSettings      *settings;
  XdpPortal      *portal;

  gboolean        held;                 /* run in background: closing the window keeps us */
  gboolean        start_in_background;  /* --background: the first activation shows nothing */
};

G_DEFINE_FINAL_TYPE (DrApplication, dr_application, ADW_TYPE_APPLICATION)

static DrWindow *ensure_window (DrApplication *self);

static void
dr_application_activate (GApplication *app)
{
  DrApplication *self = DR_APPLICATION (app);
  GtkWindow *window;

  /* Started at login: the engine and its watches run, the tray and notifications speak. A
   * second `deskrun` (or the tray's Open) then shows the window. */
  if (self->start_in_background)
    {
      self->start_in_background = FALSE;
      return;
    }
  window = GTK_WINDOW (ensure_window (self));
  if (dr_first_frame_requested ())
    dr_first_frame_exit_after (app, window);
  gtk_window_present (window);
}

static int
dr_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  DrApplication *self = DR_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_contains (options, "background"))
    return -1;
  /* Before registering: that runs startup, which decides whether to hold the app. */
  self->start_in_background = TRUE;
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("deskrun: %s\n", error->message);
      return 1;
    }
  /* Already running: it already runs in the background, and no window is wanted. */
  if (g_application_get_is_remote (app))
    return 0;
  return -1;
}

/* Run in Background holds the application, so closing the last window leaves the engine,
 * its watches, the tray and the notifications running until Quit. */
static void
update_hold (DrApplication *self)
{
  gboolean hold = g_settings_get_boolean (self->settings, "run-in-background") ||
                  self->start_in_background;

  if (hold == self->held)
    return;
  self->held = hold;
  if (hold)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
update_notifications (DrApplication *self)
{
  DrNotifyPolicy *policy = dr_notifier_get_policy (self->notifier);

  dr_notify_policy_set_enabled (policy, DR_NOTICE_JOBS,
                                g_settings_get_boolean (self->settings, "notify-jobs"));
  dr_notify_policy_set_enabled (policy, DR_NOTICE_PROBLEMS,
                                g_settings_get_boolean (self->settings, "notify-problems"));
  dr_notify_policy_set_enabled (policy, DR_NOTICE_OPERATIONS,
                                g_settings_get_boolean (self->settings, "notify-operations"));
}

static void
background_portal_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(DrApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The user may say no (or the desktop has no such portal): then the app still runs while
   * it is open, and the setting tells the truth about it. */
  if (!xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    {
      g_message ("The background portal declined: %s", error->message);
      if (g_settings_get_boolean (self->settings, "start-at-login"))
        g_settings_set_boolean (self->settings, "start-at-login", FALSE);
    }
}

/* Inside Flatpak the Background portal both allows running without a window and, when asked,
 * starts us at login; outside, an XDG autostart entry does the latter. */
static void
update_background (DrApplication *self)
{
  gboolean autostart = g_settings_get_boolean (self->settings, "start-at-login");
  gboolean background = g_settings_get_boolean (self->settings, "run-in-background");

  if (dr_host_command_in_flatpak ())
    {
      g_autoptr(GPtrArray) command = g_ptr_array_new_with_free_func (g_free);
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
      XdpParent *parent = window ? xdp_parent_new_gtk (window) : NULL;

      if (!background && !autostart)
        return;
      if (self->portal == NULL)
        self->portal = xdp_portal_new ();
      g_ptr_array_add (command, g_strdup ("deskrun"));
      g_ptr_array_add (command, g_strdup ("--background"));
      xdp_portal_request_background (self->portal, parent,
                                     _("Deskrun keeps watching your runners while its window "
                                       "is closed."),
                                     command,
                                     autostart ? XDP_BACKGROUND_FLAG_AUTOSTART
                                               : XDP_BACKGROUND_FLAG_NONE,
                                     NULL, background_portal_cb, g_object_ref (self));
      g_clear_pointer (&parent, xdp_parent_free);
    }
  else if (autostart != dr_autostart_is_enabled ())
    {
      g_autoptr(GError) error = NULL;

      if (!dr_autostart_set_enabled (autostart, &error))
        g_warning ("Start at Login: %s", error->message);
    }
}

static void
settings_changed_cb (DrApplication *self,
                     const char    *key)
{
  if (g_str_equal (key, "run-in-background"))
    {
      update_hold (self);
      update_background (self);
    }
  else if (g_str_equal (key, "start-at-login"))
    update_background (self);
  else if (g_str_has_prefix (key, "notify-"))
    update_notifications (self);
}

static void
update_window_open (DrApplication *self)
{
  gboolean open = FALSE;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    open |= DR_IS_WINDOW (l->data) && gtk_widget_get_visible (l->data);
  if (self->notifier != NULL)
    dr_notifier_set_window_open (self->notifier, open);
}

static void
dr_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (dr_application_parent_class)->window_added (app, window);
  g_signal_connect_object (window, "notify::visible", G_CALLBACK (update_window_open), app,
                           G_CONNECT_SWAPPED);
  update_window_open (DR_APPLICATION (app));
}

static void
dr_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (dr_application_parent_class)->window_removed (app, window);
  g_signal_handlers_disconnect_by_data (window, app);
  update_window_open (DR_APPLICATION (app));
}

/* The window, made when there is none (the app runs without one in the background). */
static DrWindow *
ensure_window (DrApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL || !DR_IS_WINDOW (window))
    {
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
        if (DR_IS_WINDOW (l->data))
          return l->data;
      window = GTK_WINDOW (dr_window_new (GTK_APPLICATION (self), self->engine));
    }
  return DR_WINDOW (window);
}

static void
start_tray (DrApplication *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  /* Without a session bus there is no panel to show an item in. */
  if (bus == NULL)
    return;
  self->tray = dr_tray_new (self->engine, G_ACTION_GROUP (self), bus, &error);
  if (self->tray == NULL)
    {
      g_warning ("No tray item: %s", error->message);
      return;
    }
  /* Inside Flatpak /app is invisible to the panel; the exported icons are found by name. */
  if (!dr_host_command_in_flatpak ())
    {
      const char *path = g_getenv ("DR_ICON_THEME_PATH");

      dr_tray_set_icon_theme_path (self->tray, path && *path ? path : DATADIR "/icons");
    }
}

static void
dr_application_startup (GApplication *app)
{
  DrApplication *self = DR_APPLICATION (app);

  G_APPLICATION_CLASS (dr_application_parent_class)->startup (app);

  self->engine = dr_engine_new (NULL, NULL);
  dr_engine_load (self->engine);
  /* The runners' jobs come from GitHub, read frugally (idle: two requests a minute per
   * repository) for as long as the application runs, window or not. */
  dr_engine_set_jobs_polling (self->engine, TRUE);
  start_tray (self);
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  update_hold (self);
  update_background (self);

  /* Find out at once where the cluster stands (after a reboot it is stopped), so the window
   * can offer the one next step. The check shows in the operations popover. */
  {
    DrCluster *cluster = dr_engine_get_cluster (self->engine);
    g_autoptr(DrOperation) refresh = cluster ? dr_cluster_refresh (cluster) : NULL;

    if (refresh != NULL)
      dr_engine_add_operation (self->engine, refresh);
  }

  /* After that first check: its outcome shows in the window, or as the cluster's own
   * notification (stopped, unreachable), not as a failed operation at every login. */
  self->notifier = dr_notifier_new (self->engine, app, DR_NOTIFIER_INTERVAL);
  update_notifications (self);
}

static void
dr_application_shutdown (GApplication *app)
{
  DrApplication *self = DR_APPLICATION (app);

  if (self->held)
    {
      self->held = FALSE;
      g_application_release (app);
    }
  g_clear_object (&self->notifier);
  g_clear_object (&self->tray);
  g_clear_object (&self->portal);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->engine);

  G_APPLICATION_CLASS (dr_application_parent_class)->shutdown (app);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The deskrun authors", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Deskrun"),
                         "application-icon", APP_ID,
                         "developer-name", _("The deskrun authors"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/deskrun/deskrun",
                         "issue-url", "https://github.com/deskrun/deskrun/issues",
                         "comments", _("Local GitHub Actions runners on your own machine: a kind "
                                       "cluster with the Actions Runner Controller, managed from "
                                       "one window."),
                         "developers", developers,
                         "copyright", "© 2026 The deskrun authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing (rather than destroying) lets each window save its size. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (app));
}

static DrWindow *present_runner (DrApplication *self, GVariant *parameter);

static void
show_pod_log_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DrApplication *self = user_data;
  g_autoptr(GVariant) runner = g_variant_get_child_value (parameter, 0);
  const char *pod;
  DrWindow *window;

  g_variant_get_child (parameter, 1, "&s", &pod);
  window = present_runner (self, runner);
  gtk_widget_activate_action (GTK_WIDGET (window), "runner.pod-log", "s", pod);
}

static void
show_operations_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  DrWindow *window = ensure_window (user_data);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-operations", NULL);
}

static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

/* The tray's and the notifications' way into a runner's page. */
static DrWindow *
present_runner (DrApplication *self,
                GVariant      *parameter)
{
  const char *name = g_variant_get_string (parameter, NULL);
  DrWindow *window = ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));
  if (dr_engine_lookup_runner (self->engine, name) != NULL)
    _dr_window_select_runner (window, name);
  return window;
}

static void
show_runner_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  present_runner (user_data, parameter);
}

static void
show_runner_logs_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  DrWindow *window = present_runner (user_data, parameter);

  gtk_widget_activate_action (GTK_WIDGET (window), "runner.listener-log", NULL);
}

static void
scale_runner_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DrWindow *window = present_runner (user_data, parameter);

  gtk_widget_activate_action (GTK_WIDGET (window), "runner.scale", NULL);
}

static void
show_cluster_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DrWindow *window = ensure_window (user_data);

  gtk_window_present (GTK_WINDOW (window));
  _dr_window_show_cluster (window);
}

static void
start_cluster_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  DrApplication *self = user_data;
  DrCluster *cluster = dr_engine_get_cluster (self->engine);
  g_autoptr(DrOperation) start = cluster ? dr_cluster_start (cluster) : NULL;

  /* Its progress and any failure show in the operations popover (and, with the window
   * closed, as a notification). */
  if (start != NULL)
    dr_engine_add_operation (self->engine, start);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DrApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  DrPreferencesWindow *preferences = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (DR_IS_PREFERENCES_WINDOW (l->data))
      preferences = l->data;
  if (preferences == NULL)
    {
      if (parent == NULL)
        parent = GTK_WINDOW (ensure_window (self));
      preferences = dr_preferences_window_new (parent, self->engine, self->tray);
      gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
  { "open", open_action },
  { "show-runner", show_runner_action, "s" },
  { "show-runner-logs", show_runner_logs_action, "s" },
  { "scale-runner", scale_runner_action, "s" },
  { "show-cluster", show_cluster_action },
  { "start-cluster", start_cluster_action },
  { "show-pod-log", show_pod_log_action, "(ss)" },
  { "show-operations", show_operations_action },
  { "preferences", preferences_action },
};

static void
dr_application_class_init (DrApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = dr_application_activate;
  app_class->startup = dr_application_startup;
  app_class->shutdown = dr_application_shutdown;
  app_class->handle_local_options = dr_application_handle_local_options;
  GTK_APPLICATION_CLASS (klass)->window_added = dr_application_window_added;
  GTK_APPLICATION_CLASS (klass)->window_removed = dr_application_window_removed;

  /* Before startup, so GtkApplication finds gtk/help-overlay.ui and style.css. */
  dr_ui_ensure_resources ();
}

static void
dr_application_init (DrApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const GOptionEntry options[] = {
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start without a window, watching in the background (as at login)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

DrApplication *
dr_application_new (void)
{
  return g_object_new (DR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
