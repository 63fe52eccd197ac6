/* dr-operation-row.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-operation.h"

G_BEGIN_DECLS

#define DR_TYPE_OPERATION_ROW (dr_operation_row_get_type ())
G_DECLARE_FINAL_TYPE (DrOperationRow, dr_operation_row, DR, OPERATION_ROW, GtkWidget)

/* One engine operation: what it does now, its progress, its output as it comes, Cancel
 * while it runs, and its error, which stays after it ended. */
GtkWidget   *dr_operation_row_new           (DrOperation    *operation);
DrOperation *dr_operation_row_get_operation (DrOperationRow *self);
/* The output shown so far (for tests). */
char        *_dr_operation_row_dup_output   (DrOperationRow *self);

G_END_DECLS
