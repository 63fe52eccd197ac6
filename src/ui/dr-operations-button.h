/* dr-operations-button.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DR_TYPE_OPERATIONS_BUTTON (dr_operations_button_get_type ())
G_DECLARE_FINAL_TYPE (DrOperationsButton, dr_operations_button, DR, OPERATIONS_BUTTON, GtkWidget)

/* A header-bar button for the engine's operations (a GListModel of DrOperation): hidden
 * until there is one, spinning while any runs, and a popover with each one's progress,
 * output, Cancel and error. */
void        dr_operations_button_set_model    (DrOperationsButton *self,
                                               GListModel         *operations);
guint       dr_operations_button_get_n_running (DrOperationsButton *self);
void        dr_operations_button_popup        (DrOperationsButton *self);

G_END_DECLS
