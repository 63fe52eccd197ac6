/* dr-remove-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  DR_REMOVE_ANSWER_CANCEL,  /* keep the runner (or keep waiting) */
  DR_REMOVE_ANSWER_REMOVE,  /* remove it in the safe order */
  DR_REMOVE_ANSWER_FORCE,   /* a removal is stuck: take the finalizers off */
} DrRemoveAnswer;

#define DR_TYPE_REMOVE_DIALOG (dr_remove_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DrRemoveDialog, dr_remove_dialog, DR, REMOVE_DIALOG, AdwMessageDialog)

/* Asks whether to remove the runner @runner_name, naming what goes. With @stuck_message (why
 * an earlier removal did not finish, in the engine's words) it asks instead whether to force
 * that removal; deskrun never forces one on its own (FACTS.md §2.8). */
DrRemoveDialog *dr_remove_dialog_new              (GtkWindow            *parent,
                                                   const char           *runner_name,
                                                   const char           *stuck_message);
const char     *dr_remove_dialog_get_runner_name  (DrRemoveDialog       *self);

/* Presents the dialog and completes with the answer: REMOVE or FORCE, or CANCEL with
 * G_IO_ERROR_CANCELLED when the user declines, the dialog goes away unanswered or
 * @cancellable fires (which also closes the dialog). */
void            _dr_remove_dialog_run_async       (DrRemoveDialog       *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
DrRemoveAnswer  _dr_remove_dialog_run_finish      (DrRemoveDialog       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
