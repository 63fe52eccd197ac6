/* dr-add-runner-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests, which type into the form as a user would.
 */
#pragma once

#include "dr-add-runner-window.h"

G_BEGIN_DECLS

typedef enum
{
  DR_ADD_FIELD_NAME,
  DR_ADD_FIELD_REPOSITORY,
  DR_ADD_FIELD_TOKEN,
  DR_ADD_FIELD_APP_ID,
  DR_ADD_FIELD_INSTALLATION_ID,
  DR_ADD_FIELD_RUNNER_GROUP,
  DR_ADD_FIELD_LABELS,
  DR_ADD_FIELD_MOUNTS,
} DrAddField;

GtkEditable *_dr_add_runner_window_get_entry       (DrAddRunnerWindow *self,
                                                    DrAddField         field);
GtkSpinButton *_dr_add_runner_window_get_spin      (DrAddRunnerWindow *self,
                                                    const char        *which);
AdwComboRow *_dr_add_runner_window_get_combo       (DrAddRunnerWindow *self,
                                                    const char        *which);
/* The visible message of a group ("runner", "credential", "runners", "advanced"), or NULL. */
const char  *_dr_add_runner_window_get_message     (DrAddRunnerWindow *self,
                                                    const char        *group);
const char  *_dr_add_runner_window_get_error       (DrAddRunnerWindow *self);
void         _dr_add_runner_window_set_private_key (DrAddRunnerWindow *self,
                                                    const char        *pem,
                                                    const char        *file_name);

G_END_DECLS
