/* dr-run-workflow-window.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Run Workflow dialog (issue 8 §5): a dispatchable workflow of the runner's repository,
 * the branch (default first), one row per input of its type (entry, switch, choice, spin
 * button) checked as you type, and which of its jobs will run on this runner. Run dispatches
 * through the engine and closes; the runner page then follows the run.
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"

G_BEGIN_DECLS

#define DR_TYPE_RUN_WORKFLOW_WINDOW (dr_run_workflow_window_get_type ())
G_DECLARE_FINAL_TYPE (DrRunWorkflowWindow, dr_run_workflow_window, DR, RUN_WORKFLOW_WINDOW,
                      AdwWindow)

/* Reads the choices through @engine (unless @engine is NULL: tests give them). */
DrRunWorkflowWindow *dr_run_workflow_window_new (GtkWindow *parent,
                                                 DrEngine  *engine,
                                                 DrRunner  *runner);

/* For tests: show these choices; the values typed; the message under the inputs. */
void        _dr_run_workflow_window_set_targets   (DrRunWorkflowWindow *self,
                                                   DrDispatchTargets   *targets);
void        _dr_run_workflow_window_select        (DrRunWorkflowWindow *self,
                                                   const char          *workflow,
                                                   const char          *ref);
/* Types @value into the input's row (an entry or spin button), flips a switch ("true" /
 * "false") or picks a choice. */
void        _dr_run_workflow_window_set_input     (DrRunWorkflowWindow *self,
                                                   const char          *name,
                                                   const char          *value);
const char *_dr_run_workflow_window_get_problem   (DrRunWorkflowWindow *self);
/* What the dialog says instead of the form (no workflow, GitHub failed), or NULL. */
const char *_dr_run_workflow_window_get_error     (DrRunWorkflowWindow *self);
gboolean    _dr_run_workflow_window_can_run       (DrRunWorkflowWindow *self);
/* The inputs object Run would send (NULL when a value is wrong). */
JsonObject *_dr_run_workflow_window_build_inputs  (DrRunWorkflowWindow *self);
/* The dispatch Run started, or NULL. */
DrOperation *_dr_run_workflow_window_get_operation (DrRunWorkflowWindow *self);

G_END_DECLS
