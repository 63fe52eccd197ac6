/* dr-remove-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-remove-dialog.h"
#include "dr-ui-resources.h"

struct _DrRemoveDialog
{
  AdwMessageDialog  parent_instance;

  char             *runner_name;
  char             *stuck_message;  /* NULL: the first question */

  /* The run under way. The task holds the dialog (its source object) until it is answered,
   * so every way out of the dialog must complete it: a response, being destroyed unanswered
   * (unrealize) or the caller's cancellable. */
  GTask            *task;
  GCancellable     *cancellable;
  gulong            cancelled_id;
};

G_DEFINE_FINAL_TYPE (DrRemoveDialog, dr_remove_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_RUNNER_NAME,
  PROP_STUCK_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
complete (DrRemoveDialog *self,
          DrRemoveAnswer  answer)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->cancelled_id != 0)
    g_clear_signal_handler (&self->cancelled_id, self->cancellable);
  g_clear_object (&self->cancellable);

  if (task == NULL)
    return;
  if (answer == DR_REMOVE_ANSWER_CANCEL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("The runner was not removed"));
  else
    g_task_return_int (task, answer);
}

static void
cancelled_cb (DrRemoveDialog *self)
{
  complete (self, DR_REMOVE_ANSWER_CANCEL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
dr_remove_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  DrRemoveDialog *self = DR_REMOVE_DIALOG (dialog);

  if (g_strcmp0 (response, "remove") == 0)
    complete (self, DR_REMOVE_ANSWER_REMOVE);
  else if (g_strcmp0 (response, "force") == 0)
    complete (self, DR_REMOVE_ANSWER_FORCE);
  else
    complete (self, DR_REMOVE_ANSWER_CANCEL);
}

static gboolean
unanswered_cb (gpointer data)
{
  complete (DR_REMOVE_DIALOG (data), DR_REMOVE_ANSWER_CANCEL);
  return G_SOURCE_REMOVE;
}

static void
dr_remove_dialog_unrealize (GtkWidget *widget)
{
  /* Destroyed with no answer (e.g. with the main window) must still answer, but not here: a
   * click on a response closes (and so unrealizes) the dialog first and emits ::response
   * right after, and that answer wins. */
  if (DR_REMOVE_DIALOG (widget)->task != NULL)
    g_idle_add_full (G_PRIORITY_HIGH, unanswered_cb, g_object_ref (widget), g_object_unref);

  GTK_WIDGET_CLASS (dr_remove_dialog_parent_class)->unrealize (widget);
}

static void
dr_remove_dialog_constructed (GObject *object)
{
  DrRemoveDialog *self = DR_REMOVE_DIALOG (object);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (object);

  G_OBJECT_CLASS (dr_remove_dialog_parent_class)->constructed (object);

  g_return_if_fail (self->runner_name != NULL);

  if (self->stuck_message == NULL)
    {
      adw_message_dialog_format_heading (dialog, _("Remove “%s”?"), self->runner_name);
      adw_message_dialog_format_body (dialog,
                                      _("Its settings and its GitHub credential in the keyring "
                                        "will be deleted from this computer. Workflows with "
                                        "“runs-on: %s” will wait for a runner until you add "
                                        "one with that name again."),
                                      self->runner_name);
      adw_message_dialog_add_response (dialog, "remove", _("_Remove"));
      adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      /* The engine's message names the stuck object and what forcing means. */
      adw_message_dialog_set_heading (dialog, _("Removal Is Stuck"));
      adw_message_dialog_set_body (dialog, self->stuck_message);
      adw_message_dialog_set_response_label (dialog, "cancel", _("_Keep Waiting"));
      adw_message_dialog_add_response (dialog, "force", _("_Force Removal"));
      adw_message_dialog_set_response_appearance (dialog, "force", ADW_RESPONSE_DESTRUCTIVE);
    }
}

static void
dr_remove_dialog_dispose (GObject *object)
{
  complete (DR_REMOVE_DIALOG (object), DR_REMOVE_ANSWER_CANCEL);
  gtk_widget_dispose_template (GTK_WIDGET (object), DR_TYPE_REMOVE_DIALOG);

  G_OBJECT_CLASS (dr_remove_dialog_parent_class)->dispose (object);
}

static void
dr_remove_dialog_finalize (GObject *object)
{
  DrRemoveDialog *self = DR_REMOVE_DIALOG (object);

  g_clear_pointer (&self->runner_name, g_free);
  g_clear_pointer (&self->stuck_message, g_free);

  G_OBJECT_CLASS (dr_remove_dialog_parent_class)->finalize (object);
}

static void
dr_remove_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DrRemoveDialog *self = DR_REMOVE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RUNNER_NAME:
      g_value_set_string (value, self->runner_name);
      break;
    case PROP_STUCK_MESSAGE:
      g_value_set_string (value, self->stuck_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_remove_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DrRemoveDialog *self = DR_REMOVE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_RUNNER_NAME:
      self->runner_name = g_value_dup_string (value);
      break;
    case PROP_STUCK_MESSAGE:
      self->stuck_message = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_remove_dialog_class_init (DrRemoveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->constructed = dr_remove_dialog_constructed;
  object_class->dispose = dr_remove_dialog_dispose;
  object_class->finalize = dr_remove_dialog_finalize;
  object_class->get_property = dr_remove_dialog_get_property;
  object_class->set_property = dr_remove_dialog_set_property;
  widget_class->unrealize = dr_remove_dialog_unrealize;
  dialog_class->response = dr_remove_dialog_response;

  properties[PROP_RUNNER_NAME] =
    g_param_spec_string ("runner-name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STUCK_MESSAGE] =
    g_param_spec_string ("stuck-message", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-remove-dialog.ui");
}

static void
dr_remove_dialog_init (DrRemoveDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DrRemoveDialog *
dr_remove_dialog_new (GtkWindow  *parent,
                      const char *runner_name,
                      const char *stuck_message)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (runner_name != NULL, NULL);

  return g_object_new (DR_TYPE_REMOVE_DIALOG,
                       "transient-for", parent,
                       "runner-name", runner_name,
                       "stuck-message", stuck_message,
                       NULL);
}

const char *
dr_remove_dialog_get_runner_name (DrRemoveDialog *self)
{
  g_return_val_if_fail (DR_IS_REMOVE_DIALOG (self), NULL);
  return self->runner_name;
}

void
_dr_remove_dialog_run_async (DrRemoveDialog      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DR_IS_REMOVE_DIALOG (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _dr_remove_dialog_run_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                               _("This question is already being asked"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_signal_connect_swapped (cancellable, "cancelled",
                                                     G_CALLBACK (cancelled_cb), self);
    }
  gtk_window_present (GTK_WINDOW (self));
}

DrRemoveAnswer
_dr_remove_dialog_run_finish (DrRemoveDialog  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  gssize answer;

  g_return_val_if_fail (DR_IS_REMOVE_DIALOG (self), DR_REMOVE_ANSWER_CANCEL);
  g_return_val_if_fail (g_task_is_valid (result, self), DR_REMOVE_ANSWER_CANCEL);

  answer = g_task_propagate_int (G_TASK (result), error);
  return answer < 0 ? DR_REMOVE_ANSWER_CANCEL : (DrRemoveAnswer) answer;
}
