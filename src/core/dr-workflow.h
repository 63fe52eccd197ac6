/* dr-workflow.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GitHub Actions workflow file as deskrun needs it: its name, its triggers, the inputs a
 * person fills in to dispatch it, and each job's runs-on or reusable-workflow call, with the
 * line and column they were written at. Pure: the text comes in, nothing is read from disk.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  DR_WORKFLOW_INPUT_STRING,
  DR_WORKFLOW_INPUT_BOOLEAN,
  DR_WORKFLOW_INPUT_CHOICE,
  DR_WORKFLOW_INPUT_NUMBER,
  DR_WORKFLOW_INPUT_ENVIRONMENT,
} DrWorkflowInputType;

typedef struct
{
  char                *name;
  DrWorkflowInputType  type;
  char                *description;    /* nullable */
  gboolean             required;
  char                *default_value;  /* as written ("true" for a boolean), nullable */
  GStrv                options;        /* choice only, else NULL */
  guint                line;           /* 1-based, of the input's name */
  guint                column;
} DrWorkflowInput;

typedef struct
{
  char       *id;           /* the key under jobs: */
  char       *name;         /* name:, nullable */
  guint       line;         /* 1-based, of the job's key */
  guint       column;
  /* runs-on exactly as written (a string, an array or an object; anchors resolved), or NULL */
  JsonNode   *runs_on;
  guint       runs_on_line;
  guint       runs_on_column;
  /* uses: of a job that calls a reusable workflow, or NULL; with: its inputs (nullable) */
  char       *uses;
  JsonObject *with;
  /* strategy.matrix as written (an object, or a string expression), or NULL */
  JsonNode   *matrix;
  /* Set when the job itself is wrong (neither runs-on nor uses, both, a runs-on of the wrong
   * shape): "FILE:LINE:COLUMN: what is wrong". The rest of the file is still usable. */
  char       *error;
} DrWorkflowJob;

typedef struct _DrWorkflow DrWorkflow;

#define DR_TYPE_WORKFLOW (dr_workflow_get_type ())

GType        dr_workflow_get_type            (void) G_GNUC_CONST;

/* Parses TEXT (LENGTH bytes, or -1 for NUL-terminated). FILE_NAME only names the file in
 * messages. A file that is not valid YAML, or not a workflow (no jobs:, no on:, a mapping
 * where a list must be, …) fails with DR_ERROR_INVALID and a message
 * "FILE_NAME:LINE:COLUMN: what is wrong". */
DrWorkflow  *dr_workflow_parse               (const char   *file_name,
                                              const char   *text,
                                              gssize        length,
                                              GError      **error);
DrWorkflow  *dr_workflow_ref                 (DrWorkflow   *self);
void         dr_workflow_unref               (DrWorkflow   *self);

const char  *dr_workflow_get_file_name       (DrWorkflow   *self);
/* name:, or NULL when the file has none (GitHub then shows the file's path). */
const char  *dr_workflow_get_name            (DrWorkflow   *self);
/* The events under on:, in file order ("push", "workflow_dispatch", …). */
const char * const *dr_workflow_get_triggers (DrWorkflow   *self);
gboolean     dr_workflow_has_trigger         (DrWorkflow   *self,
                                              const char   *event);
/* on.workflow_dispatch.inputs, element-type DrWorkflowInput, file order; never NULL. */
GPtrArray   *dr_workflow_get_dispatch_inputs (DrWorkflow   *self);
/* on.workflow_call.inputs of a reusable workflow (type string, boolean or number); never NULL. */
GPtrArray   *dr_workflow_get_call_inputs     (DrWorkflow   *self);
/* element-type DrWorkflowJob, file order; never NULL. */
GPtrArray   *dr_workflow_get_jobs            (DrWorkflow   *self);
DrWorkflowJob *dr_workflow_get_job           (DrWorkflow   *self,
                                              const char   *id);

const char  *dr_workflow_input_type_to_string (DrWorkflowInputType type);

/* What a job's runs-on asks for once deskrun has evaluated what it can: expressions over a
 * literal matrix (one target per distinct value) and over inputs with a default (or the value
 * a calling workflow passes in with:). Anything else in ${{ }} is decided at run time. */
typedef enum
{
  DR_RUNS_ON_LABELS,   /* labels and/or group are known */
  DR_RUNS_ON_RUNTIME,  /* an expression only the run can decide */
  DR_RUNS_ON_INVALID,  /* a shape GitHub rejects, or a value that evaluates to nothing */
} DrRunsOnKind;

typedef struct
{
  DrRunsOnKind  kind;
  GStrv         labels;          /* LABELS: in order, without case-insensitive repeats */
  char         *group;           /* LABELS: runner group, nullable */
  /* How the value was found, when expressions were evaluated: "matrix.os = windows-latest",
   * "inputs.runner = big (its default)"; nullable. */
  char         *evaluated_with;
  /* RUNTIME: the expression that decides; INVALID: what is wrong, for a person. */
  char         *detail;
} DrRunsOnTarget;

void         dr_runs_on_target_free          (DrRunsOnTarget *target);

/* The targets of JOB's runs-on (empty for a job that calls a reusable workflow, or one with an
 * error). CALLER_WITH: the with: of the job that calls this workflow (nullable): its literal
 * values stand for inputs.X, its expressions make inputs.X unknown. element-type
 * DrRunsOnTarget, distinct targets in a stable order. */
GPtrArray   *dr_workflow_job_expand_runs_on  (DrWorkflow          *self,
                                              const DrWorkflowJob *job,
                                              JsonObject          *caller_with);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrRunsOnTarget, dr_runs_on_target_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrWorkflow, dr_workflow_unref)

G_END_DECLS
