/* dr-window-actions.c — what the window's actions do
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "win." and "runner." actions, their shortcuts and their dialogs. dr-window.c keeps the
 * window's state (selection, pages, the problem strip); the two are joined by
 * dr-window-private.h, the way GNOME Text Editor splits editor-window.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-add-runner-window.h"
#include "dr-log-window.h"
#include "dr-operations-button.h"
#include "dr-remove-dialog.h"
#include "dr-scale-dialog.h"
#include "dr-window-private.h"

/* Enough lines to see what led up to now without waiting for a long log to load. */
#define LOG_TAIL_LINES 500

static void remove_dialog_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

void
_dr_window_toast (DrWindow   *self,
                  const char *title)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (title));
}

static DrRunner *
selected_runner (DrWindow *self)
{
  return dr_runner_page_get_runner (self->runner_page);
}

void
_dr_window_update_actions (DrWindow *self)
{
  DrRunner *runner = selected_runner (self);
  gboolean has_runner = runner != NULL;
  gboolean legacy = dr_engine_has_legacy_config (self->engine);
  gboolean connected = dr_engine_get_kube_client (self->engine) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.remove", has_runner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.copy-runs-on", has_runner);
  /* A scale set deskrun did not configure has no settings here to edit. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.edit",
                                 has_runner &&
                                 dr_runner_get_status (runner) != DR_RUNNER_STATUS_UNMANAGED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.apply", has_runner && connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.listener-log",
                                 has_runner && connected && dr_runner_get_deployed (runner));
  /* Runner pods come and go with jobs; the engine answers for the one named. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.pod-log", connected);
  /* Instances are one runner each by design: there is nothing to scale. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runner.scale",
                                 has_runner && dr_runner_get_spec (runner)->instances == 1);
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
track_dialog (DrWindow         *self,
              AdwMessageDialog *dialog)
{
  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_dr_window_present_dialog (DrWindow         *self,
                           AdwMessageDialog *dialog)
{
  track_dialog (self, dialog);
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

/* Operations */

/* What the window remembers about an operation it follows. The closure that carries it is
 * watched by the window, so it never runs once the window is gone. */
typedef struct
{
  DrWindow *window;           /* borrowed */
  char     *success_message;
  char     *removing;         /* the runner a removal is for, or NULL */
} Tracked;

static void
tracked_free (gpointer  data,
              GClosure *closure)
{
  Tracked *tracked = data;

  g_free (tracked->success_message);
  g_free (tracked->removing);
  g_free (tracked);
}

/* A removal that waited in vain for the controller's finalizers: say what is stuck and offer
 * to force it, never force on our own (FACTS.md §2.8). */
static void
removal_finished (DrWindow    *self,
                  DrOperation *operation,
                  const char  *name)
{
  const GError *error = dr_operation_get_error (operation);
  DrRemoveDialog *dialog;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return;

  dialog = dr_remove_dialog_new (GTK_WINDOW (self), name, error->message);
  track_dialog (self, ADW_MESSAGE_DIALOG (dialog));
  _dr_remove_dialog_run_async (dialog, self->cancellable, remove_dialog_cb, g_object_ref (self));
}

static void
operation_finished_cb (DrOperation *operation,
                       Tracked     *tracked)
{
  DrWindow *self = tracked->window;
  AdwToast *message;

  switch (dr_operation_get_state (operation))
    {
    case DR_OPERATION_SUCCEEDED:
      _dr_window_toast (self, tracked->success_message);
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

  if (tracked->removing != NULL)
    removal_finished (self, operation, tracked->removing);
}

/* Follows @operation to its end and says how it went. Its progress and output are in the
 * operations popover meanwhile. @removing names the runner when @operation removes one, so
 * that a removal stuck on finalizers can be offered to force. */
static void
track_operation_full (DrWindow    *self,
                      DrOperation *operation,
                      const char  *success_message,
                      const char  *removing)
{
  Tracked *tracked;
  GClosure *closure;

  if (dr_operation_is_finished (operation))
    {
      Tracked now = { self, (char *) success_message, NULL };

      operation_finished_cb (operation, &now);
      _dr_window_update_actions (self);
      return;
    }

  tracked = g_new0 (Tracked, 1);
  tracked->window = self;
  tracked->success_message = g_strdup (success_message);
  tracked->removing = g_strdup (removing);
  closure = g_cclosure_new (G_CALLBACK (operation_finished_cb), tracked, tracked_free);
  g_object_watch_closure (G_OBJECT (self), closure);
  g_signal_connect_closure (operation, "finished", closure, FALSE);
  _dr_window_update_actions (self);
}

void
_dr_window_track_operation (DrWindow    *self,
                            DrOperation *operation,
                            const char  *success_message)
{
  track_operation_full (self, operation, success_message, NULL);
}

/* The Add and Edit windows */

static void
runner_added_cb (DrWindow *self,
                 DrRunner *runner)
{
  g_autofree char *title = g_strdup_printf (_("Runner “%s” added"), dr_runner_get_name (runner));

  _dr_window_select_runner (self, dr_runner_get_name (runner));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  _dr_window_toast (self, title);

  /* Saved; with a cluster at hand it goes there right away, progress in the popover. */
  if (dr_engine_get_kube_client (self->engine) != NULL)
    {
      g_autoptr(DrOperation) operation =
        dr_engine_apply_runner (self->engine, dr_runner_get_name (runner));

      _dr_window_track_operation (self, operation, _("Runner deployed"));
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

      _dr_window_track_operation (self, operation, _("Changes deployed"));
    }
  else
    _dr_window_toast (self, _("Changes saved"));
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

/* Remove and scale */

static void
remove_dialog_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DrWindow) self = user_data;
  DrRemoveDialog *dialog = DR_REMOVE_DIALOG (object);
  const char *name = dr_remove_dialog_get_runner_name (dialog);
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  switch (_dr_remove_dialog_run_finish (dialog, result, &error))
    {
    case DR_REMOVE_ANSWER_REMOVE:
      /* An operation, so the safe removal order shows its steps in the popover. */
      operation = dr_engine_remove_runner (self->engine, name);
      track_operation_full (self, operation, _("Runner removed"), name);
      break;
    case DR_REMOVE_ANSWER_FORCE:
      operation = dr_engine_force_remove_runner (self->engine, name);
      _dr_window_track_operation (self, operation, _("Runner removed"));
      break;
    case DR_REMOVE_ANSWER_CANCEL:
    default:
      break;
    }
}

static void
remove_runner_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);
  DrRemoveDialog *dialog;

  if (runner == NULL)
    return;

  dialog = dr_remove_dialog_new (GTK_WINDOW (self), dr_runner_get_name (runner), NULL);
  track_dialog (self, ADW_MESSAGE_DIALOG (dialog));
  _dr_remove_dialog_run_async (dialog, self->cancellable, remove_dialog_cb, g_object_ref (self));
}

static void
scale_response_cb (DrWindow      *self,
                   const char    *response,
                   DrScaleDialog *dialog)
{
  g_autoptr(DrOperation) operation = NULL;

  if (g_strcmp0 (response, "scale") != 0)
    return;

  operation = dr_engine_scale_runner (self->engine, dr_scale_dialog_get_runner_name (dialog),
                                      dr_scale_dialog_get_min_runners (dialog),
                                      dr_scale_dialog_get_max_runners (dialog));
  _dr_window_track_operation (self, operation, _("Runner scaled"));
}

static void
scale_runner_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  DrRunner *runner = selected_runner (self);
  DrScaleDialog *dialog;

  if (runner == NULL)
    return;

  dialog = dr_scale_dialog_new (GTK_WINDOW (self), dr_runner_get_spec (runner));
  g_signal_connect_object (dialog, "response", G_CALLBACK (scale_response_cb), self,
                           G_CONNECT_SWAPPED);
  track_dialog (self, ADW_MESSAGE_DIALOG (dialog));
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
  _dr_window_track_operation (self, operation, _("Runner deployed"));
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
  _dr_window_toast (self, _("Copied to the clipboard"));
}

/* Logs */

static void
log_window_closed_cb (DrWindow  *self,
                      GtkWidget *window)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->log_windows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == window)
      g_hash_table_iter_remove (&iter);
}

/* A second click on a log button brings the window already showing that log (@key) back to
 * the front instead of opening another stream of the same log. */
static gboolean
present_log_window (DrWindow   *self,
                    const char *key)
{
  GtkWindow *window = g_hash_table_lookup (self->log_windows, key);

  if (window != NULL)
    gtk_window_present (window);
  return window != NULL;
}

static void
show_log_window (DrWindow        *self,
                 const char      *key,
                 const char      *title,
                 DrKubeLogStream *stream)
{
  DrLogWindow *window = dr_log_window_new (GTK_WINDOW (self), title, stream);

  g_hash_table_insert (self->log_windows, g_strdup (key), window);
  /* gtk_window_destroy() unrealizes the window at once; ::destroy may come much later, when
   * the last reference goes. */
  g_signal_connect_object (window, "unrealize", G_CALLBACK (log_window_closed_cb), self,
                           G_CONNECT_SWAPPED);
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

  if (runner == NULL)
    return;
  key = g_strconcat ("listener/", dr_runner_get_name (runner), NULL);
  if (present_log_window (self, key))
    return;

  stream = dr_engine_follow_listener_log (self->engine, dr_runner_get_name (runner),
                                          LOG_TAIL_LINES);
  if (stream == NULL)
    {
      _dr_window_toast (self, dr_engine_get_kube_client (self->engine) == NULL
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

  if (present_log_window (self, key))
    return;

  stream = dr_engine_follow_runner_log (self->engine, pod, LOG_TAIL_LINES);
  if (stream == NULL)
    {
      g_autofree char *message = NULL;

      if (dr_engine_get_kube_client (self->engine) == NULL)
        message = g_strdup (_("Not connected to the cluster"));
      else
        message = g_strdup_printf (_("Runner pod “%s” no longer exists"), pod);
      _dr_window_toast (self, message);
      return;
    }
  show_log_window (self, key, pod, stream);
}

/* Import and the rest */

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

void
_dr_window_class_actions_init (DrWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
}
