/* dr-dispatch.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person may dispatch on a runner's repository (issue 8 §5): its workflows with a
 * workflow_dispatch trigger, their inputs (core/dr-workflow.h), the refs to run them on
 * (default branch first), and which of each workflow's jobs will run on this runner. Plus
 * the check of the values typed for the inputs, shared by the Run Workflow dialog (as you
 * type) and `deskrunctl dispatch --input`. Pure: the engine fetches, this decides.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-job.h"
#include "dr-workflow.h"

G_BEGIN_DECLS

typedef enum
{
  DR_DISPATCH_ROUTE_HERE,       /* runs-on names one of this runner's scale sets */
  DR_DISPATCH_ROUTE_ELSEWHERE,  /* another runner, or GitHub-hosted */
  DR_DISPATCH_ROUTE_RUNTIME,    /* runs-on is an expression: known when it runs */
  DR_DISPATCH_ROUTE_CALLS,      /* calls a reusable workflow: its jobs decide */
} DrDispatchRoute;

typedef struct
{
  char            *id;
  char            *name;       /* name:, or the id */
  char            *runs_on;    /* as written, for a person ("web", "[self-hosted, linux]") */
  DrDispatchRoute  route;
  char            *scale_set;  /* ours, for DR_DISPATCH_ROUTE_HERE */
} DrDispatchJob;

typedef struct
{
  char       *path;       /* .github/workflows/ci.yml */
  char       *name;       /* GitHub's name for it, else the file's name:, else the path */
  gint64      id;
  char       *html_url;   /* nullable */
  DrWorkflow *workflow;   /* NULL when the file could not be read or parsed */
  char       *error;      /* why, or NULL */
  GPtrArray  *jobs;       /* DrDispatchJob */
} DrDispatchWorkflow;

DrDispatchWorkflow *dr_dispatch_workflow_new   (const char             *path,
                                                const char             *name,
                                                gint64                  id,
                                                const char             *html_url);
/* Parses @text (the file at @path) and routes its jobs against @context. A file that does
 * not parse keeps the error (the dialog shows it). */
void                dr_dispatch_workflow_set_text (DrDispatchWorkflow  *self,
                                                const char             *text,
                                                gssize                  length,
                                                const DrJobJoinContext *context);
void                dr_dispatch_workflow_free  (DrDispatchWorkflow     *self);
/* Whether the workflow can be dispatched: parsed, with a workflow_dispatch trigger. */
gboolean            dr_dispatch_workflow_is_dispatchable (const DrDispatchWorkflow *self);
/* The number of jobs routed here. */
guint               dr_dispatch_workflow_count_here (const DrDispatchWorkflow *self);

/* Everything the Run Workflow dialog shows for one repository. Refcounted, immutable once
 * shared. */
typedef struct
{
  char       *repository;      /* owner/repo */
  char       *default_branch;
  GStrv       refs;            /* branch names, default branch first */
  GPtrArray  *workflows;       /* DrDispatchWorkflow, dispatchable ones only, by name */
  GPtrArray  *skipped;         /* char *: a sentence per workflow file that was left out */
} DrDispatchTargets;

#define DR_TYPE_DISPATCH_TARGETS (dr_dispatch_targets_get_type ())
GType               dr_dispatch_targets_get_type (void) G_GNUC_CONST;
DrDispatchTargets  *dr_dispatch_targets_new    (const char             *repository,
                                                const char             *default_branch);
DrDispatchTargets  *dr_dispatch_targets_ref    (DrDispatchTargets      *self);
void                dr_dispatch_targets_unref  (DrDispatchTargets      *self);
/* @branches: GitHub's names, any order; the default branch goes first. */
void                dr_dispatch_targets_set_refs (DrDispatchTargets    *self,
                                                  const char * const   *branches);
/* Takes @workflow; keeps it when dispatchable, else notes in skipped why not. */
void                dr_dispatch_targets_add_workflow (DrDispatchTargets *self,
                                                      DrDispatchWorkflow *workflow);
/* By path (".github/workflows/ci.yml"), file name ("ci.yml") or name ("CI"), or NULL. */
DrDispatchWorkflow *dr_dispatch_targets_find   (DrDispatchTargets      *self,
                                                const char             *workflow);

/* Checks one input's @value (NULL: not given) against its declaration. A required input
 * without a value (and without a default), a boolean that is not true/false, a number that is
 * not one, a choice not among its options fail with DR_ERROR_INVALID and a sentence naming
 * the input. */
gboolean            dr_dispatch_check_input    (const DrWorkflowInput  *input,
                                                const char             *value,
                                                GError                **error);
/* The inputs object for the dispatch: every given value (strings, as GitHub's own form
 * sends them), after checking each input and that every name in @values is one the workflow
 * declares. @values maps names to values; NULL means none given. */
JsonObject         *dr_dispatch_build_inputs   (DrWorkflow             *workflow,
                                                GHashTable             *values,
                                                GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrDispatchWorkflow, dr_dispatch_workflow_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrDispatchTargets, dr_dispatch_targets_unref)

G_END_DECLS
