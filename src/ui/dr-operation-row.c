/* dr-operation-row.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-operation-row.h"
#include "dr-ui-resources.h"

struct _DrOperationRow
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkWidget      *content;
  GtkStack       *state_stack;
  GtkSpinner     *spinner;
  GtkLabel       *title_label;
  GtkLabel       *step_label;
  GtkWidget      *cancel_button;
  GtkProgressBar *progress;
  GtkLabel       *error_label;
  GtkExpander    *log_expander;
  GtkTextView    *log_view;

  /* Owned references */
  DrOperation    *operation;
  guint           pulse_id;   /* pulses the bar while the progress is unknown */
};

G_DEFINE_FINAL_TYPE (DrOperationRow, dr_operation_row, GTK_TYPE_WIDGET)

static gboolean
pulse_cb (gpointer data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (data));
  return G_SOURCE_CONTINUE;
}

static void
update_progress (DrOperationRow *self)
{
  double fraction = dr_operation_get_fraction (self->operation);
  gboolean running = !dr_operation_is_finished (self->operation);

  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
  if (running && fraction < 0)
    {
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (150, pulse_cb, self->progress);
    }
  else
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      gtk_progress_bar_set_fraction (self->progress, MAX (fraction, 0.0));
    }
}

static void
update_state (DrOperationRow *self)
{
  DrOperationState state = dr_operation_get_state (self->operation);
  const char *message = NULL;

  switch (state)
    {
    case DR_OPERATION_RUNNING:
      gtk_stack_set_visible_child_name (self->state_stack, "running");
      break;
    case DR_OPERATION_SUCCEEDED:
      gtk_stack_set_visible_child_name (self->state_stack, "succeeded");
      gtk_label_set_text (self->step_label, _("Done"));
      break;
    case DR_OPERATION_CANCELLED:
      gtk_stack_set_visible_child_name (self->state_stack, "cancelled");
      gtk_label_set_text (self->step_label, _("Cancelled"));
      break;
    case DR_OPERATION_FAILED:
    default:
      gtk_stack_set_visible_child_name (self->state_stack, "failed");
      message = dr_operation_get_error (self->operation)->message;
      /* A failure is what the user came to read: open the output too. */
      gtk_expander_set_expanded (self->log_expander, TRUE);
      break;
    }

  gtk_spinner_set_spinning (self->spinner, state == DR_OPERATION_RUNNING);
  gtk_widget_set_visible (self->cancel_button, state == DR_OPERATION_RUNNING);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  update_progress (self);
}

static void
update_step (DrOperationRow *self)
{
  const char *step = dr_operation_get_step (self->operation);

  /* After the end the row says how it ended, not the last step. */
  if (!dr_operation_is_finished (self->operation))
    gtk_label_set_text (self->step_label, step ? step : "");
}

static void
append_line (DrOperationRow *self,
             const char     *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_view_scroll_to_mark (self->log_view, gtk_text_buffer_get_insert (buffer), 0, FALSE,
                                0, 0);
}

static void
log_cb (DrOperationRow *self,
        const char     *line)
{
  append_line (self, line);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  dr_operation_cancel (DR_OPERATION_ROW (widget)->operation);
}

static void
dr_operation_row_dispose (GObject *object)
{
  DrOperationRow *self = DR_OPERATION_ROW (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->operation != NULL)
    g_signal_handlers_disconnect_by_data (self->operation, self);
  g_clear_object (&self->operation);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_OPERATION_ROW);

  G_OBJECT_CLASS (dr_operation_row_parent_class)->dispose (object);
}

static void
dr_operation_row_class_init (DrOperationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_operation_row_dispose;

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-operation-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, content);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, step_label);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, progress);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, log_expander);
  gtk_widget_class_bind_template_child (widget_class, DrOperationRow, log_view);
  gtk_widget_class_install_action (widget_class, "operation.cancel", NULL, cancel_action);
}

static void
dr_operation_row_init (DrOperationRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dr_operation_row_new (DrOperation *operation)
{
  DrOperationRow *self;
  g_autofree char *log = NULL;

  g_return_val_if_fail (DR_IS_OPERATION (operation), NULL);

  self = g_object_new (DR_TYPE_OPERATION_ROW, NULL);
  self->operation = g_object_ref (operation);

  gtk_label_set_text (self->title_label, dr_operation_get_title (operation));
  log = dr_operation_dup_log (operation);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), log, -1);

  g_signal_connect_swapped (operation, "log", G_CALLBACK (log_cb), self);
  g_signal_connect_swapped (operation, "notify::step", G_CALLBACK (update_step), self);
  g_signal_connect_swapped (operation, "notify::fraction", G_CALLBACK (update_progress), self);
  g_signal_connect_swapped (operation, "notify::state", G_CALLBACK (update_state), self);
  update_step (self);
  update_state (self);

  return GTK_WIDGET (self);
}

DrOperation *
dr_operation_row_get_operation (DrOperationRow *self)
{
  g_return_val_if_fail (DR_IS_OPERATION_ROW (self), NULL);
  return self->operation;
}

char *
_dr_operation_row_dup_output (DrOperationRow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
