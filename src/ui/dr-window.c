/* dr-window.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-runner-row.h"
#include "dr-ui-resources.h"
#include "dr-window-private.h"

G_DEFINE_FINAL_TYPE (DrWindow, dr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_problem (DrWindow *self)
{
  const char *problem = dr_engine_get_config_problem (self->engine);

  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_label_set_text (self->problem_label_detail, problem ? problem : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, problem != NULL);
  gtk_revealer_set_reveal_child (self->problem_revealer_detail, problem != NULL);
}

static GtkWidget *
create_runner_row (gpointer item,
                   gpointer user_data)
{
  return dr_runner_row_new (item);
}

static void
show_cluster (DrWindow *self)
{
  dr_runner_page_set_runner (self->runner_page, NULL);
  g_signal_group_set_target (self->runner_signals, NULL);
  gtk_list_box_unselect_all (self->runner_list);
  gtk_stack_set_visible_child_name (self->content_stack, "cluster");
  adw_window_title_set_title (self->detail_title, _("Cluster"));
  adw_window_title_set_subtitle (self->detail_title,
                                 dr_cluster_get_name (dr_engine_get_cluster (self->engine)));
  _dr_window_update_actions (self);
}

static void
cluster_row_selected_cb (DrWindow      *self,
                         GtkListBoxRow *row)
{
  if (row != NULL)
    show_cluster (self);
}

static void
show_runner (DrWindow *self,
             DrRunner *runner)
{
  if (runner != NULL)
    {
      gtk_list_box_unselect_all (self->cluster_list);
      gtk_stack_set_visible_child_name (self->content_stack, "runner");
    }
  dr_runner_page_set_runner (self->runner_page, runner);
  g_signal_group_set_target (self->runner_signals, runner);
  adw_window_title_set_title (self->detail_title, runner ? dr_runner_get_name (runner) : "");
  adw_window_title_set_subtitle (self->detail_title,
                                 runner ? dr_runner_get_spec (runner)->repository_url : "");
  g_settings_set_string (self->settings, "last-selected-runner",
                         runner ? dr_runner_get_name (runner) : "");
  _dr_window_update_actions (self);
}

static void
runner_selected_cb (DrWindow      *self,
                    GtkListBoxRow *row)
{
  if (row == NULL)
    return;
  show_runner (self, dr_runner_row_get_runner (DR_RUNNER_ROW (row)));
}

static void
runner_activated_cb (DrWindow      *self,
                     GtkListBoxRow *row)
{
  /* On a narrow window the list and the detail are one page each: go to the detail. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

void
_dr_window_select_runner (DrWindow   *self,
                          const char *name)
{
  GListModel *runners = dr_engine_get_runners (self->engine);
  guint n = g_list_model_get_n_items (runners);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);

      if (g_strcmp0 (dr_runner_get_name (runner), name) == 0)
        {
          gtk_list_box_select_row (self->runner_list,
                                   gtk_list_box_get_row_at_index (self->runner_list, i));
          return;
        }
    }
}

/* Keeps the page, selection and detail consistent with the runner list. */
static void
runners_changed_cb (DrWindow   *self,
                    guint       position,
                    guint       removed,
                    guint       added,
                    GListModel *runners)
{
  guint n = g_list_model_get_n_items (runners);
  DrRunner *shown = dr_runner_page_get_runner (self->runner_page);
  GtkListBoxRow *row;

  gtk_stack_set_visible_child_name (self->main_stack, n > 0 ? "runners" : "empty");

  if (n == 0)
    {
      show_runner (self, NULL);
      return;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "cluster") == 0)
    return;

  if (shown != NULL && dr_engine_lookup_runner (self->engine, dr_runner_get_name (shown)) == shown)
    {
      _dr_window_select_runner (self, dr_runner_get_name (shown));
      return;
    }

  /* The shown runner went away: show its neighbour. */
  row = gtk_list_box_get_row_at_index (self->runner_list, MIN (position, n - 1));
  gtk_list_box_select_row (self->runner_list, row);
  runner_selected_cb (self, row);
}

static void
save_window_state (DrWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
dr_window_close_request (GtkWindow *window)
{
  save_window_state (DR_WINDOW (window));
  return GTK_WINDOW_CLASS (dr_window_parent_class)->close_request (window);
}

static void
dr_window_constructed (GObject *object)
{
  DrWindow *self = DR_WINDOW (object);
  GListModel *runners;
  g_autofree char *last = NULL;

  G_OBJECT_CLASS (dr_window_parent_class)->constructed (object);

  g_return_if_fail (DR_IS_ENGINE (self->engine));

  runners = dr_engine_get_runners (self->engine);
  gtk_list_box_bind_model (self->runner_list, runners, create_runner_row, self, NULL);
  g_signal_connect_object (runners, "items-changed", G_CALLBACK (runners_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::config-problem", G_CALLBACK (update_problem),
                           self, G_CONNECT_SWAPPED);

  last = g_settings_get_string (self->settings, "last-selected-runner");
  runners_changed_cb (self, 0, 0, g_list_model_get_n_items (runners), runners);
  if (*last != '\0')
    _dr_window_select_runner (self, last);

  dr_cluster_page_set_engine (self->setup_page, self->engine);
  dr_cluster_page_set_engine (self->cluster_page, self->engine);
  dr_runner_page_set_engine (self->runner_page, self->engine);
  dr_cluster_row_set_cluster (self->cluster_row, dr_engine_get_cluster (self->engine));

  dr_operations_button_set_model (self->operations_button,
                                  dr_engine_get_operations (self->engine));
  dr_operations_button_set_model (self->operations_button_empty,
                                  dr_engine_get_operations (self->engine));
  g_signal_connect_object (self->engine, "notify::kube-client",
                           G_CALLBACK (_dr_window_update_actions), self, G_CONNECT_SWAPPED);

  update_problem (self);
  _dr_window_update_actions (self);
  _dr_window_check_stray_credentials (self);
}

static void
dr_window_dispose (GObject *object)
{
  DrWindow *self = DR_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runner_signals != NULL)
    g_signal_group_set_target (self->runner_signals, NULL);
  g_clear_object (&self->runner_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_WINDOW);

  G_OBJECT_CLASS (dr_window_parent_class)->dispose (object);
}

static void
dr_window_finalize (GObject *object)
{
  DrWindow *self = DR_WINDOW (object);

  /* In finalize: log windows close with this one, while it is disposed. */
  g_clear_pointer (&self->log_windows, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (dr_window_parent_class)->finalize (object);
}

static void
dr_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DrWindow *self = DR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DrWindow *self = DR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_window_class_init (DrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dr_window_constructed;
  object_class->dispose = dr_window_dispose;
  object_class->finalize = dr_window_finalize;
  object_class->get_property = dr_window_get_property;
  object_class->set_property = dr_window_set_property;
  window_class->close_request = dr_window_close_request;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, DR_TYPE_ENGINE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/dr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DrWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, problem_revealer_detail);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, problem_label_detail);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, empty_import_button);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, empty_import_label);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, content);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, runner_list);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, cluster_list);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, cluster_row);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, setup_page);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, cluster_page);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, runner_page);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, operations_button);
  gtk_widget_class_bind_template_child (widget_class, DrWindow, operations_button_empty);

  _dr_window_class_actions_init (klass);
  _dr_window_class_credentials_init (klass);

  g_type_ensure (DR_TYPE_RUNNER_PAGE);
  g_type_ensure (DR_TYPE_CLUSTER_PAGE);
  g_type_ensure (DR_TYPE_CLUSTER_ROW);
  g_type_ensure (DR_TYPE_OPERATIONS_BUTTON);
}

static void
dr_window_init (DrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->log_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->settings = g_settings_new (APP_ID);
  /* The listener's log exists only once the runner is deployed. */
  self->runner_signals = g_signal_group_new (DR_TYPE_RUNNER);
  g_signal_group_connect_swapped (self->runner_signals, "notify::deployed",
                                  G_CALLBACK (_dr_window_update_actions), self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_swapped (self->runner_list, "row-selected",
                            G_CALLBACK (runner_selected_cb), self);

  g_signal_connect_swapped (self->cluster_list, "row-selected",
                            G_CALLBACK (cluster_row_selected_cb), self);
  g_signal_connect_swapped (self->cluster_list, "row-activated",
                            G_CALLBACK (runner_activated_cb), self);
  g_signal_connect_swapped (self->runner_list, "row-activated",
                            G_CALLBACK (runner_activated_cb), self);
}

DrWindow *
dr_window_new (GtkApplication *application,
               DrEngine       *engine)
{
  return g_object_new (DR_TYPE_WINDOW, "application", application, "engine", engine, NULL);
}

DrEngine *
dr_window_get_engine (DrWindow *self)
{
  g_return_val_if_fail (DR_IS_WINDOW (self), NULL);
  return self->engine;
}

const char *
_dr_window_get_visible_page (DrWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

GtkListBox *
_dr_window_get_runner_list (DrWindow *self)
{
  return self->runner_list;
}

DrRunnerPage *
_dr_window_get_runner_page (DrWindow *self)
{
  return self->runner_page;
}

AdwLeaflet *
_dr_window_get_leaflet (DrWindow *self)
{
  return self->leaflet;
}

DrAddRunnerWindow *
_dr_window_get_add_runner_window (DrWindow *self)
{
  return self->add_runner_window;
}

AdwMessageDialog *
_dr_window_get_dialog (DrWindow *self)
{
  return self->dialog;
}

const char *
_dr_window_get_problem (DrWindow *self)
{
  return gtk_revealer_get_reveal_child (self->problem_revealer)
           ? gtk_label_get_text (self->problem_label) : NULL;
}

gboolean
_dr_window_offers_import (DrWindow *self)
{
  return gtk_widget_get_visible (self->empty_import_button);
}

DrClusterPage *
_dr_window_get_cluster_page (DrWindow *self,
                             gboolean  on_empty_page)
{
  return on_empty_page ? self->setup_page : self->cluster_page;
}

DrClusterRow *
_dr_window_get_cluster_row (DrWindow *self)
{
  return self->cluster_row;
}

void
_dr_window_show_cluster (DrWindow *self)
{
  gtk_list_box_select_row (self->cluster_list, gtk_list_box_get_row_at_index (self->cluster_list, 0));
}
