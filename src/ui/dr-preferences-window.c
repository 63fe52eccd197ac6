/* dr-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-config-file.h"
#include "dr-preferences-window.h"
#include "dr-ui-resources.h"

struct _DrPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  AdwActionRow         *tray_row;
  GtkSwitch            *jobs_switch;
  GtkSwitch            *problems_switch;
  GtkSwitch            *operations_switch;
  AdwComboRow          *polling_row;
  AdwPreferencesGroup  *cluster_group;
  AdwEntryRow          *registry_row;
  AdwActionRow         *namespace_row;

  /* Owned references */
  GSettings            *settings;
  DrEngine             *engine;
  DrTray               *tray;
};

G_DEFINE_FINAL_TYPE (DrPreferencesWindow, dr_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update_tray_row (DrPreferencesWindow *self)
{
  if (self->tray != NULL && dr_tray_get_registered (self->tray))
    adw_action_row_set_subtitle (self->tray_row,
                                 _("Shown in the panel, with the runners’ state and a menu"));
  else
    adw_action_row_set_subtitle (self->tray_row,
                                 _("Not shown: the tray needs a panel that shows "
                                   "StatusNotifierItems (KDE Plasma, Xfce, Budgie, or GNOME "
                                   "with the AppIndicator extension). Notifications work "
                                   "without it."));
}

static void
polling_changed_cb (DrPreferencesWindow *self)
{
  guint selected = g_settings_get_enum (self->settings, "github-polling");

  if (adw_combo_row_get_selected (self->polling_row) != selected)
    adw_combo_row_set_selected (self->polling_row, selected);
}

static void
polling_selected_cb (DrPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->polling_row);

  if (selected != GTK_INVALID_LIST_POSITION &&
      (guint) g_settings_get_enum (self->settings, "github-polling") != selected)
    g_settings_set_enum (self->settings, "github-polling", selected);
}

#define CLUSTER_DESCRIPTION N_("Kept in the configuration file, as deskrunctl reads it.")

/* Said right under the row, in full: a toast would cut a long reason short. */
static void
show_problem (DrPreferencesWindow *self,
              const char          *message)
{
  gtk_widget_add_css_class (GTK_WIDGET (self->registry_row), "error");
  adw_preferences_group_set_description (self->cluster_group, message);
}

static void
registry_apply_cb (DrPreferencesWindow *self)
{
  DrConfig *config = dr_engine_get_config (self->engine);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->registry_row))));
  const char *url = *text != '\0' ? text : NULL;
  DrCluster *cluster = dr_engine_get_cluster (self->engine);
  g_autoptr(GError) error = NULL;

  /* The check's messages never repeat the address: a password in it is not shown. */
  if (!dr_config_set_chart_registry (config, url, &error) || !dr_config_save (config, &error))
    {
      show_problem (self, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->registry_row), "error");
  adw_preferences_group_set_description (self->cluster_group, _(CLUSTER_DESCRIPTION));
  if (cluster != NULL)
    dr_cluster_set_chart_registry (cluster, url);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (url ? _("The chart will be pulled from the mirror")
                                                       : _("The chart will be pulled from ghcr.io")));
}

const char *
_dr_preferences_window_get_tray_text (DrPreferencesWindow *self)
{
  return adw_action_row_get_subtitle (self->tray_row);
}

AdwEntryRow *
_dr_preferences_window_get_registry_row (DrPreferencesWindow *self)
{
  return self->registry_row;
}

static void
dr_preferences_window_dispose (GObject *object)
{
  DrPreferencesWindow *self = DR_PREFERENCES_WINDOW (object);

  if (self->tray != NULL)
    g_signal_handlers_disconnect_by_data (self->tray, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->tray);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dr_preferences_window_parent_class)->dispose (object);
}

static void
dr_preferences_window_class_init (DrPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_preferences_window_dispose;

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, tray_row);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, jobs_switch);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, problems_switch);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, operations_switch);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, polling_row);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, cluster_group);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, registry_row);
  gtk_widget_class_bind_template_child (widget_class, DrPreferencesWindow, namespace_row);
  gtk_widget_class_bind_template_callback (widget_class, registry_apply_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
dr_preferences_window_init (DrPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-jobs", self->jobs_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-problems", self->problems_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notify-operations", self->operations_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  polling_changed_cb (self);
  g_signal_connect_swapped (self->settings, "changed::github-polling",
                            G_CALLBACK (polling_changed_cb), self);
  g_signal_connect_swapped (self->polling_row, "notify::selected",
                            G_CALLBACK (polling_selected_cb), self);
}

DrPreferencesWindow *
dr_preferences_window_new (GtkWindow *parent,
                           DrEngine  *engine,
                           DrTray    *tray)
{
  DrPreferencesWindow *self;
  DrConfig *config;
  g_autofree char *namespace_text = NULL;

  g_return_val_if_fail (DR_IS_ENGINE (engine), NULL);

  self = g_object_new (DR_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->engine = g_object_ref (engine);
  self->tray = tray ? g_object_ref (tray) : NULL;
  config = dr_engine_get_config (engine);

  if (dr_config_get_chart_registry (config) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->registry_row),
                           dr_config_get_chart_registry (config));
  /* Moving runners to another namespace means re-creating them there; the file's
   * "namespaces" is the place for that, not a switch here. */
  namespace_text = g_strdup_printf (_("%s — set under “namespaces” in %s"),
                                    dr_config_get_runner_namespace (config),
                                    dr_config_get_path (config));
  adw_action_row_set_subtitle (self->namespace_row, namespace_text);

  if (tray != NULL)
    g_signal_connect_swapped (tray, "notify::registered", G_CALLBACK (update_tray_row), self);
  update_tray_row (self);
  return self;
}
