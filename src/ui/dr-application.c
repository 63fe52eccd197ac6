/* dr-application.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-application.h"
#include "dr-engine.h"
#include "dr-first-frame.h"
#include "dr-tray.h"
#include "dr-ui-resources.h"
#include "dr-window-private.h"

struct _DrApplication
{
  AdwApplication  parent_instance;

  DrEngine       *engine;
  DrTray         *tray;
};

G_DEFINE_FINAL_TYPE (DrApplication, dr_application, ADW_TYPE_APPLICATION)

static void
dr_application_activate (GApplication *app)
{
  DrApplication *self = DR_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dr_window_new (GTK_APPLICATION (app), self->engine));
  if (dr_first_frame_requested ())
    dr_first_frame_exit_after (app, window);
  gtk_window_present (window);
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
    g_warning ("No tray item: %s", error->message);
}

static void
dr_application_startup (GApplication *app)
{
  DrApplication *self = DR_APPLICATION (app);

  G_APPLICATION_CLASS (dr_application_parent_class)->startup (app);

  self->engine = dr_engine_new (NULL, NULL);
  dr_engine_load (self->engine);
  start_tray (self);

  /* Find out at once where the cluster stands (after a reboot it is stopped), so the window
   * can offer the one next step. The check shows in the operations popover. */
  {
    DrCluster *cluster = dr_engine_get_cluster (self->engine);
    g_autoptr(DrOperation) refresh = cluster ? dr_cluster_refresh (cluster) : NULL;

    if (refresh != NULL)
      dr_engine_add_operation (self->engine, refresh);
  }
}

static void
dr_application_shutdown (GApplication *app)
{
  DrApplication *self = DR_APPLICATION (app);

  g_clear_object (&self->tray);
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

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
  { "open", open_action },
  { "show-runner", show_runner_action, "s" },
  { "show-runner-logs", show_runner_logs_action, "s" },
  { "scale-runner", scale_runner_action, "s" },
  { "show-cluster", show_cluster_action },
  { "start-cluster", start_cluster_action },
};

static void
dr_application_class_init (DrApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = dr_application_activate;
  app_class->startup = dr_application_startup;
  app_class->shutdown = dr_application_shutdown;

  /* Before startup, so GtkApplication finds gtk/help-overlay.ui and style.css. */
  dr_ui_ensure_resources ();
}

static void
dr_application_init (DrApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
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
