/* dr-operations-button.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-operation-row.h"
#include "dr-operations-button.h"
#include "dr-ui-resources.h"

struct _DrOperationsButton
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkMenuButton  *button;
  GtkStack       *icon_stack;
  GtkSpinner     *spinner;
  GtkListBox     *list;

  /* Owned references */
  GListModel     *operations;
  GSignalGroup   *operations_signals;
  guint           n_running;
};

G_DEFINE_FINAL_TYPE (DrOperationsButton, dr_operations_button, GTK_TYPE_WIDGET)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), dr_operation_row_new (item));
  return row;
}

static void
update (DrOperationsButton *self)
{
  guint n = self->operations ? g_list_model_get_n_items (self->operations) : 0;
  guint running = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrOperation) operation = g_list_model_get_item (self->operations, i);

      if (!dr_operation_is_finished (operation))
        running++;
    }
  self->n_running = running;

  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
  gtk_stack_set_visible_child_name (self->icon_stack, running > 0 ? "running" : "idle");
  gtk_spinner_set_spinning (self->spinner, running > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button),
                               running > 0 ? _("Operations Running") : _("Recent Operations"));
}

/* Every operation's state change may change what the button shows. */
static void
items_changed_cb (DrOperationsButton *self,
                  guint               position,
                  guint               removed,
                  guint               added,
                  GListModel         *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(DrOperation) operation = g_list_model_get_item (model, i);

      g_signal_connect_object (operation, "notify::state", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
}

void
dr_operations_button_set_model (DrOperationsButton *self,
                                GListModel         *operations)
{
  g_return_if_fail (DR_IS_OPERATIONS_BUTTON (self));

  if (!g_set_object (&self->operations, operations))
    return;

  g_signal_group_set_target (self->operations_signals, operations);
  gtk_list_box_bind_model (self->list, operations, create_row, NULL, NULL);
  if (operations != NULL)
    items_changed_cb (self, 0, 0, g_list_model_get_n_items (operations), operations);
  else
    update (self);
}

guint
dr_operations_button_get_n_running (DrOperationsButton *self)
{
  g_return_val_if_fail (DR_IS_OPERATIONS_BUTTON (self), 0);
  return self->n_running;
}

void
dr_operations_button_popup (DrOperationsButton *self)
{
  g_return_if_fail (DR_IS_OPERATIONS_BUTTON (self));
  gtk_menu_button_popup (self->button);
}

static void
dr_operations_button_dispose (GObject *object)
{
  DrOperationsButton *self = DR_OPERATIONS_BUTTON (object);

  if (self->operations_signals != NULL)
    g_signal_group_set_target (self->operations_signals, NULL);
  g_clear_object (&self->operations_signals);
  g_clear_object (&self->operations);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_OPERATIONS_BUTTON);

  G_OBJECT_CLASS (dr_operations_button_parent_class)->dispose (object);
}

static void
dr_operations_button_class_init (DrOperationsButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_operations_button_dispose;
  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-operations-button.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DrOperationsButton, button);
  gtk_widget_class_bind_template_child (widget_class, DrOperationsButton, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, DrOperationsButton, spinner);
  gtk_widget_class_bind_template_child (widget_class, DrOperationsButton, list);
}

static void
dr_operations_button_init (DrOperationsButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->operations_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->operations_signals, "items-changed",
                                  G_CALLBACK (items_changed_cb), self);
  update (self);
}
