/* dr-scale-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-runner-spec.h"

G_BEGIN_DECLS

#define DR_TYPE_SCALE_DIALOG (dr_scale_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DrScaleDialog, dr_scale_dialog, DR, SCALE_DIALOG, AdwMessageDialog)

/* Asks for a runner's new minimum and maximum, starting from @spec's, and checks them as they
 * are typed with the runner spec's own rule: the "scale" response is enabled only for numbers
 * the engine accepts. "cancel" leaves everything as it was. */
DrScaleDialog *dr_scale_dialog_new             (GtkWindow     *parent,
                                                DrRunnerSpec  *spec);
const char    *dr_scale_dialog_get_runner_name (DrScaleDialog *self);
guint          dr_scale_dialog_get_min_runners (DrScaleDialog *self);
void           dr_scale_dialog_set_min_runners (DrScaleDialog *self,
                                                guint          min_runners);
guint          dr_scale_dialog_get_max_runners (DrScaleDialog *self);
void           dr_scale_dialog_set_max_runners (DrScaleDialog *self,
                                                guint          max_runners);
/* The message under the numbers, or NULL while they are fine (for tests). */
const char    *_dr_scale_dialog_get_problem    (DrScaleDialog *self);

G_END_DECLS
