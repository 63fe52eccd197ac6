/* dr-window.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-add-runner-window.h"
#include "dr-cluster-page.h"
#include "dr-cluster-row.h"
#include "dr-log-window.h"
#include "dr-operations-button.h"
#include "dr-runner-page.h"
#include "dr-runner-row.h"
#include "dr-ui-resources.h"
#include "dr-window-private.h"

struct _DrWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  GtkRevealer          *problem_revealer;         /* below the header bar of the empty page */
  GtkLabel             *problem_label;
  GtkRevealer          *problem_revealer_detail;  /* and of the runner detail */
  GtkLabel             *problem_label_detail;
  GtkStack             *main_stack;
  GtkWidget            *empty_import_button;
  GtkLabel             *empty_import_label;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkListBox           *runner_list;
  GtkListBox           *cluster_list;
  DrClusterRow         *cluster_row;
  GtkStack             *content_stack;
  DrClusterPage        *setup_page;    /* the steps on the empty page */
  DrClusterPage        *cluster_page;  /* the same, in the detail pane */
  AdwWindowTitle       *detail_title;
  DrRunnerPage         *runner_page;
  DrOperationsButton   *operations_button;        /* in the sidebar */
  DrOperationsButton   *operations_button_empty;  /* on the empty page */

  /* Owned references */
  DrEngine             *engine;
  GSettings            *settings;
  GCancellable         *cancellable;   /* cancelled when the window closes */
  GSignalGroup         *runner_signals; /* the selected runner, for what enables actions */

  /* Borrowed references: the dialogs this window has open */
  DrAddRunnerWindow    *add_runner_window;
  AdwMessageDialog     *dialog;
};

G_DEFINE_FINAL_TYPE (DrWindow, dr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (DrWindow   *self,
       const char *title)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (title));
}

static DrRunner *
selected_runner (DrWindow *self)
{
  return dr_runner_page_get_runner (self->runner_page);
}

/* Enough lines to see what led up to now without waiting for a long log to load. */
#define LOG_TAIL_LINES 500

static void
update_actions (DrWindow *self)
{
  gboolean has_runner = selected_runner (self) != NULL;
  gboolean legacy = dr_engine_has_legacy_config (self->engine);
  gboolean connected = dr_engine_get_kube_client (self->engine) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.remove", has_runner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.copy-runs-on", has_runner);
  /* A scale set deskrun did not configure has no settings here to edit. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.edit",
                                 has_runner &&
                                 dr_runner_get_status (selected_runner (self)) !=
                                   DR_RUNNER_STATUS_UNMANAGED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.apply", has_runner && connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.listener-log",
                                 has_runner && connected &&
                                 dr_runner_get_deployed (selected_runner (self)));
  /* Runner pods come and go with jobs; the engine answers for the one named. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.pod-log", connected);
  /* Instances are one runner each by design: there is nothing to scale. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.scale",
                                 has_runner &&
                                 dr_runner_get_spec (selected_runner (self))->instances == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-legacy", legacy);
  gtk_widget_set_visible (self->empty_import_button, legacy);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_import_label), legacy);
  if (legacy)
    {
      g_autofree char *text =
        g_strdup_printf (_("Found runners of the deskrun command line tool in %s"),
                         dr_engine_get_legacy_config_path (self->engine));
      gtk_label_set_text (self->empty_import_label, text);
    }
}

static void
update_problem (DrWindow *self)
{
  const char *problem = dr_engine_get_config_problem (self->engine);

  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_label_set_text (self->problem_label_detail, problem ? problem : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, problem != NULL);
  gtk_revealer_set_reveal_child (self->problem_revealer_detail, problem != NULL);
}

static void
operation_finished_cb (DrOperation *operation,
                       DrWindow    *self)
{
  AdwToast *message;

  switch (dr_operation_get_state (operation))
    {
    case DR_OPERATION_SUCCEEDED:
      toast (self, g_object_get_data (G_OBJECT (operation), "dr-success-message"));
      break;
    case DR_OPERATION_FAILED:
      /* The details stay in the operations popover; the toast points there. */
      message = adw_toast_new (dr_operation_get_error (operation)->message);
      adw_toast_set_timeout (message, 0);
      adw_toast_set_button_label (message, _("_Details"));
      adw_toast_set_action_name (message, "win.show-operations");
      adw_toast_overlay_add_toast (self->toasts, message);
      break;
    case DR_OPERATION_CANCELLED:
    case DR_OPERATION_RUNNING:
    default:
      break;
    }
}

/* Follows @operation to its end and says how it went. Its progress and output are in the
 * operations popover meanwhile. */
static void
track_operation (DrWindow    *self,
                 DrOperation *operation,
                 const char  *success_message)
{
  g_object_set_data_full (G_OBJECT (operation), "dr-success-message",
                          g_strdup (success_message), g_free);
  if (dr_operation_is_finished (operation))
    operation_finished_cb (operation, self);
  else
    g_signal_connect_object (operation, "finished", G_CALLBACK (operation_finished_cb), self, 0);
  update_actions (self);
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
  update_actions (self);
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
  update_actions (self);
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
  DrRunner *shown = selected_runner (self);
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
runner_added_cb (DrWindow *self,
                 DrRunner *runner)
{
  g_autofree char *title = g_strdup_printf (_("Runner “%s” added"), dr_runner_get_name (runner));

  _dr_window_select_runner (self, dr_runner_get_name (runner));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  toast (self, title);

  /* Saved; with a cluster at hand it goes there right away, progress in the popover. */
  if (dr_engine_get_kube_client (self->engine) != NULL)
    {
      g_autoptr(DrOperation) operation =
        dr_engine_apply_runner (self->engine, dr_runner_get_name (runner));

      track_operation (self, operation, _("Runner deployed"));
    }
}

static void
runner_changed_cb (DrWindow *self,
                   DrRunner *runner)
{
  /* Saved; a connected cluster gets the change in place (FACTS.md §2.9). */
  if (dr_engine_get_kube_client (self->engine) != NULL)
    {
      g_autoptr(DrOperation) operation =
        dr_engine_apply_runner (self->engine, dr_runner_get_name (runner));

      track_operation (self, operation, _("Changes deployed"));
    }
  else
    toast (self, _("Changes saved"));
}

static void
edit_runner_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);

  if (runner == NULL || self->add_runner_window != NULL)
    return;

  self->add_runner_window = dr_add_runner_window_new_for_edit (GTK_WINDOW (self), self->engine,
                                                               runner);
  g_object_add_weak_pointer (G_OBJECT (self->add_runner_window),
                             (gpointer *) &self->add_runner_window);
  g_signal_connect_object (self->add_runner_window, "runner-changed",
                           G_CALLBACK (runner_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->add_runner_window));
}

static void
add_runner_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);

  if (self->add_runner_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->add_runner_window));
      return;
    }

  self->add_runner_window = dr_add_runner_window_new (GTK_WINDOW (self), self->engine);
  g_object_add_weak_pointer (G_OBJECT (self->add_runner_window),
                             (gpointer *) &self->add_runner_window);
  g_signal_connect_object (self->add_runner_window, "runner-added",
                           G_CALLBACK (runner_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->add_runner_window));
}

static void
show_operations_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "empty") == 0)
    dr_operations_button_popup (self->operations_button_empty);
  else
    {
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
      dr_operations_button_popup (self->operations_button);
    }
}

static void
track_dialog (DrWindow         *self,
              AdwMessageDialog *dialog)
{
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
force_remove_response_cb (DrWindow         *self,
                          const char       *response,
                          AdwMessageDialog *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "dr-runner-name");
  g_autoptr(DrOperation) operation = NULL;

  if (g_strcmp0 (response, "force") != 0)
    return;
  operation = dr_engine_force_remove_runner (self->engine, name);
  track_operation (self, operation, _("Runner removed"));
}

/* A removal that waited in vain for the controller's finalizers: say what is stuck and offer
 * to force it, never force on our own (FACTS.md §2.8). */
static void
remove_finished_cb (DrOperation *operation,
                    DrWindow    *self)
{
  const GError *error = dr_operation_get_error (operation);
  AdwMessageDialog *dialog;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return;

  /* The engine's message names the stuck object and what forcing means. */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Removal Is Stuck"), error->message));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep Waiting"), "force",
                                    _("_Force Removal"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "force", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dr-runner-name",
                          g_strdup (g_object_get_data (G_OBJECT (operation), "dr-runner-name")),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (force_remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  track_dialog (self, dialog);
}

static void
remove_response_cb (DrWindow         *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "dr-runner-name");

  g_autoptr(DrOperation) operation = NULL;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  /* An operation, so the safe removal order shows its steps in the popover. */
  operation = dr_engine_remove_runner (self->engine, name);
  g_object_set_data_full (G_OBJECT (operation), "dr-runner-name", g_strdup (name), g_free);
  g_signal_connect_object (operation, "finished", G_CALLBACK (remove_finished_cb), self, 0);
  track_operation (self, operation, _("Runner removed"));
}

static void
show_message_dialog (DrWindow   *self,
                     const char *heading,
                     const char *body)
{
  AdwMessageDialog *dialog =
    ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  track_dialog (self, dialog);
}

static void
remove_runner_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (runner == NULL)
    return;

  heading = g_strdup_printf (_("Remove “%s”?"), dr_runner_get_name (runner));
  body = g_strdup_printf (_("Its settings and its GitHub credential in the keyring will be "
                            "deleted from this computer. Workflows with “runs-on: %s” will "
                            "wait for a runner until you add one with that name again."),
                          dr_runner_get_name (runner));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dr-runner-name",
                          g_strdup (dr_runner_get_name (runner)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  track_dialog (self, dialog);
}

static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group,
              const char          *title,
              guint                value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1000, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

/* Live check of the numbers, with the runner spec's own rule and message. */
static void
scale_values_changed_cb (AdwMessageDialog *dialog)
{
  DrRunnerSpec *spec = g_object_get_data (G_OBJECT (dialog), "dr-spec");
  GtkSpinButton *min = g_object_get_data (G_OBJECT (dialog), "dr-min");
  GtkSpinButton *max = g_object_get_data (G_OBJECT (dialog), "dr-max");
  GtkLabel *message = g_object_get_data (G_OBJECT (dialog), "dr-message");
  g_autoptr(DrRunnerSpec) changed = dr_runner_spec_copy (spec);
  g_autoptr(GError) error = NULL;

  changed->min_runners = gtk_spin_button_get_value_as_int (min);
  changed->max_runners = gtk_spin_button_get_value_as_int (max);
  dr_runner_spec_check_field (changed, DR_SPEC_FIELD_RUNNERS, &error);
  gtk_label_set_text (message, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (message), error != NULL);
  adw_message_dialog_set_response_enabled (dialog, "scale", error == NULL);
}

static void
scale_response_cb (DrWindow         *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  DrRunnerSpec *spec = g_object_get_data (G_OBJECT (dialog), "dr-spec");
  GtkSpinButton *min = g_object_get_data (G_OBJECT (dialog), "dr-min");
  GtkSpinButton *max = g_object_get_data (G_OBJECT (dialog), "dr-max");
  g_autoptr(DrOperation) operation = NULL;

  if (g_strcmp0 (response, "scale") != 0)
    return;

  operation = dr_engine_scale_runner (self->engine, spec->name,
                                      gtk_spin_button_get_value_as_int (min),
                                      gtk_spin_button_get_value_as_int (max));
  track_operation (self, operation, _("Runner scaled"));
}

static void
scale_runner_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);
  AdwPreferencesGroup *group;
  AdwMessageDialog *dialog;
  GtkSpinButton *min, *max;
  GtkWidget *message;
  DrRunnerSpec *spec;
  g_autofree char *heading = NULL;

  if (runner == NULL)
    return;
  spec = dr_runner_get_spec (runner);

  heading = g_strdup_printf (_("Scale “%s”"), spec->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("Runners above the minimum start as "
                                                         "jobs arrive and stop when idle. Running "
                                                         "jobs are not interrupted.")));
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  min = add_spin_row (group, _("Minimum Runners"), spec->min_runners);
  max = add_spin_row (group, _("Maximum Runners"), spec->max_runners);
  message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);
  adw_preferences_group_add (group, message);
  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (group));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "scale", _("_Scale"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "scale", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "scale");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_object_set_data_full (G_OBJECT (dialog), "dr-spec", dr_runner_spec_ref (spec),
                          (GDestroyNotify) dr_runner_spec_unref);
  g_object_set_data (G_OBJECT (dialog), "dr-min", min);
  g_object_set_data (G_OBJECT (dialog), "dr-max", max);
  g_object_set_data (G_OBJECT (dialog), "dr-message", message);
  g_signal_connect_swapped (min, "value-changed", G_CALLBACK (scale_values_changed_cb), dialog);
  g_signal_connect_swapped (max, "value-changed", G_CALLBACK (scale_values_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (scale_response_cb), self,
                           G_CONNECT_SWAPPED);
  track_dialog (self, dialog);
}

static void
apply_runner_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);
  g_autoptr(DrOperation) operation = NULL;

  if (runner == NULL)
    return;
  operation = dr_engine_apply_runner (self->engine, dr_runner_get_name (runner));
  track_operation (self, operation, _("Runner deployed"));
}

static void
copy_runs_on_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  g_autofree char *runs_on = dr_runner_page_dup_runs_on (self->runner_page);

  if (runs_on == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), runs_on);
  toast (self, _("Copied to the clipboard"));
}

/* The log window already showing @key, if any: a second click brings it back to the front
 * instead of opening another stream of the same log. */
static DrLogWindow *
find_log_window (DrWindow   *self,
                 const char *key)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DR_IS_LOG_WINDOW (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (self) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (window), "dr-log-key"), key) == 0)
        return DR_LOG_WINDOW (window);
    }
  return NULL;
}

static void
show_log_window (DrWindow        *self,
                 const char      *key,
                 const char      *title,
                 DrKubeLogStream *stream)
{
  DrLogWindow *window = dr_log_window_new (GTK_WINDOW (self), title, stream);

  g_object_set_data_full (G_OBJECT (window), "dr-log-key", g_strdup (key), g_free);
  gtk_window_present (GTK_WINDOW (window));
}

static void
listener_log_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);
  g_autoptr(DrKubeLogStream) stream = NULL;
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;
  DrLogWindow *window;

  if (runner == NULL)
    return;
  key = g_strconcat ("listener/", dr_runner_get_name (runner), NULL);
  if ((window = find_log_window (self, key)) != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  stream = dr_engine_follow_listener_log (self->engine, dr_runner_get_name (runner),
                                          LOG_TAIL_LINES);
  if (stream == NULL)
    {
      toast (self, dr_engine_get_kube_client (self->engine) == NULL
                     ? _("Not connected to the cluster")
                     : _("The listener has no pod at the moment"));
      return;
    }
  /* Translators: the title of a log window; %s is the runner's name. */
  title = g_strdup_printf (_("Listener of “%s”"), dr_runner_get_name (runner));
  show_log_window (self, key, title, stream);
}

static void
pod_log_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  const char *pod = g_variant_get_string (parameter, NULL);
  g_autoptr(DrKubeLogStream) stream = NULL;
  g_autofree char *key = g_strconcat ("pod/", pod, NULL);
  DrLogWindow *window;

  if ((window = find_log_window (self, key)) != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  stream = dr_engine_follow_runner_log (self->engine, pod, LOG_TAIL_LINES);
  if (stream == NULL)
    {
      g_autofree char *message = NULL;

      if (dr_engine_get_kube_client (self->engine) == NULL)
        message = g_strdup (_("Not connected to the cluster"));
      else
        message = g_strdup_printf (_("Runner pod “%s” no longer exists"), pod);
      toast (self, message);
      return;
    }
  show_log_window (self, key, pod, stream);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrImportReport) report = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  guint n;

  report = dr_engine_import_legacy_finish (DR_ENGINE (object), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message_dialog (self, _("Import Failed"), error->message);
      return;
    }

  n = g_strv_length (report->imported);
  heading = n > 0 ? g_strdup_printf (ngettext ("Imported %u Runner", "Imported %u Runners", n), n)
                  : g_strdup (_("Nothing Imported"));
  for (guint i = 0; report->warnings[i] != NULL; i++)
    g_string_append_printf (body, "%s\n\n", report->warnings[i]);
  /* The whole point of importing is getting tokens out of a world-readable file: say
   * plainly that the old file still has them. */
  g_string_append_printf (body,
                          _("The tokens are now in the system keyring, but %s still holds them "
                            "in plain text. Delete that file once you no longer use the deskrun "
                            "command line tool."),
                          report->legacy_path);

  show_message_dialog (self, heading, body->str);
  if (n > 0)
    _dr_window_select_runner (self, report->imported[0]);
}

static void
import_legacy_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);

  dr_engine_import_legacy_async (self->engine, self->cancellable, import_cb, g_object_ref (self));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  adw_leaflet_navigate (DR_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
dismiss_problem_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (DR_WINDOW (widget)->problem_revealer, FALSE);
  gtk_revealer_set_reveal_child (DR_WINDOW (widget)->problem_revealer_detail, FALSE);
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
  g_signal_connect_object (self->engine, "notify::kube-client", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);

  update_problem (self);
  update_actions (self);
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

  gtk_widget_class_install_action (widget_class, "win.add-runner", NULL, add_runner_action);
  gtk_widget_class_install_action (widget_class, "win.import-legacy", NULL, import_legacy_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-problem", NULL,
                                   dismiss_problem_action);
  gtk_widget_class_install_action (widget_class, "runner.remove", NULL, remove_runner_action);
  gtk_widget_class_install_action (widget_class, "runner.copy-runs-on", NULL, copy_runs_on_action);
  gtk_widget_class_install_action (widget_class, "runner.apply", NULL, apply_runner_action);
  gtk_widget_class_install_action (widget_class, "runner.edit", NULL, edit_runner_action);
  gtk_widget_class_install_action (widget_class, "runner.scale", NULL, scale_runner_action);
  gtk_widget_class_install_action (widget_class, "runner.listener-log", NULL,
                                   listener_log_action);
  gtk_widget_class_install_action (widget_class, "runner.pod-log", "s", pod_log_action);
  gtk_widget_class_install_action (widget_class, "win.show-operations", NULL,
                                   show_operations_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-runner", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "runner.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "runner.edit",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "runner.copy-runs-on", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);

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
  self->settings = g_settings_new (APP_ID);
  /* The listener's log exists only once the runner is deployed. */
  self->runner_signals = g_signal_group_new (DR_TYPE_RUNNER);
  g_signal_group_connect_swapped (self->runner_signals, "notify::deployed",
                                  G_CALLBACK (update_actions), self);

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

void
_dr_window_show_cluster (DrWindow *self)
{
  gtk_list_box_select_row (self->cluster_list, gtk_list_box_get_row_at_index (self->cluster_list, 0));
}
