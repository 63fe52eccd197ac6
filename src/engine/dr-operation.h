/* dr-operation.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One verb of the engine while it runs and after it ended (DESIGN.md "Each verb is a
 * DrOperation"): a title, the current step, progress, a live log of what it does, cancel,
 * and an error that stays readable after the end. The window's operations view, deskrunctl
 * and the tests all watch the same object.
 */
#pragma once

#include <gio/gio.h>

#include "dr-engine-enums.h"

G_BEGIN_DECLS

typedef enum
{
  DR_OPERATION_RUNNING,
  DR_OPERATION_SUCCEEDED,
  DR_OPERATION_FAILED,
  DR_OPERATION_CANCELLED,
} DrOperationState;

#define DR_TYPE_OPERATION (dr_operation_get_type ())
G_DECLARE_FINAL_TYPE (DrOperation, dr_operation, DR, OPERATION, GObject)

/* Properties: "title", "state", "step", "fraction" (0..1, or -1 while unknown),
 * "error-message" (NULL unless failed). Signals: "log" (const char *line) for every line the
 * operation writes, "finished" once, when the state leaves RUNNING. */
const char       *dr_operation_get_title         (DrOperation  *self);
DrOperationState  dr_operation_get_state         (DrOperation  *self);
gboolean          dr_operation_is_finished       (DrOperation  *self);
const char       *dr_operation_get_step          (DrOperation  *self);
double            dr_operation_get_fraction      (DrOperation  *self);
/* The failure, or NULL. */
const GError     *dr_operation_get_error         (DrOperation  *self);
/* Every line logged so far, newline-separated. The log is kept in full (operations are
 * short); pod logs do not go through here. */
char             *dr_operation_dup_log           (DrOperation  *self);
void              dr_operation_cancel            (DrOperation  *self);

/* Completes when the operation finishes: TRUE when it succeeded, otherwise FALSE with its
 * error (G_IO_ERROR_CANCELLED when cancelled). Cancelling @cancellable stops waiting only. */
void              dr_operation_wait_async        (DrOperation          *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean          dr_operation_wait_finish       (DrOperation          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* For the engine, which runs the operation. */
DrOperation      *_dr_operation_new              (const char   *title);
/* Cancelled by dr_operation_cancel(); pass it to every async call the operation makes. */
GCancellable     *_dr_operation_get_cancellable  (DrOperation  *self);
/* Sets the step shown to the user and logs it. */
void              _dr_operation_set_step         (DrOperation  *self,
                                                  const char   *step);
void              _dr_operation_log              (DrOperation  *self,
                                                  const char   *line);
void              _dr_operation_set_fraction     (DrOperation  *self,
                                                  double        fraction);
void              _dr_operation_succeed          (DrOperation  *self);
/* Takes @error; G_IO_ERROR_CANCELLED ends in DR_OPERATION_CANCELLED. */
void              _dr_operation_fail             (DrOperation  *self,
                                                  GError       *error);

G_END_DECLS
