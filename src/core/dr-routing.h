/* dr-routing.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which scale set a job lands on, and why — the routing doctor. A scale set answers to its
 * name plus the runnerScaleSetLabels it was created with, nothing else (FACTS.md §5); this
 * file turns that rule into a verdict per job with a reason and the exact fix. Pure.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-workflow.h"

G_BEGIN_DECLS

/* One scale set as GitHub knows it. */
typedef struct
{
  char  *name;            /* the scale-set name: its one "System" label */
  char  *runner;          /* the configured runner it belongs to */
  guint  instance;        /* 1-based when the runner has instances, else 0 */
  guint  instances;       /* the runner's instance count (1 when none) */
  GStrv  labels;          /* runnerScaleSetLabels it was created with; never NULL */
  char  *runner_group;    /* "Default" when the runner names none */
} DrScaleSet;

DrScaleSet  *dr_scale_set_new    (const char         *name,
                                  const char         *runner_group,
                                  const char * const *labels);
void         dr_scale_set_free   (DrScaleSet         *scale_set);

/* The scale sets of the configured runners (element-type DrRunnerSpec): NAME, or NAME-1…N
 * for instances, each with the runner's labels and group. element-type DrScaleSet. */
GPtrArray   *dr_routing_scale_sets_from_specs (GPtrArray *specs);

typedef enum
{
  DR_ROUTE_ROUTES,   /* lands on these local scale sets */
  DR_ROUTE_NEVER,    /* no scale set (local or GitHub-hosted) answers: queued forever */
  DR_ROUTE_HOSTED,   /* a GitHub-hosted runner takes it */
  DR_ROUTE_RUNTIME,  /* an expression decides when the run starts */
  DR_ROUTE_UNSURE,   /* names a scale set plus labels it was not created with */
  DR_ROUTE_CALLED,   /* a reusable workflow deskrun cannot read decides */
  DR_ROUTE_INVALID,  /* GitHub rejects the job (or the file) */
} DrRouteVerdict;

typedef struct
{
  char           *job;        /* job id; "CALLER / JOB" inside a followed reusable workflow */
  char           *file;       /* the file the job is written in */
  guint           line;       /* 1-based: its runs-on:, else the job's key */
  guint           column;
  JsonNode       *runs_on;    /* as written; nullable (a uses: job) */
  DrRouteVerdict  verdict;
  GStrv           scale_sets; /* never NULL */
  char           *reason;     /* for a person */
  char           *fix;        /* the runs-on: line to write or the labels to create; nullable */
} DrRoute;

void         dr_route_free                (DrRoute          *route);
const char  *dr_route_verdict_to_string   (DrRouteVerdict    verdict);

/* ubuntu-*, windows-*, macos-*: labels of GitHub's own runners. */
gboolean     dr_label_is_github_hosted    (const char       *label);

/* The verdict for one evaluated runs-on target against SCALE_SETS (element-type DrScaleSet).
 * Fills verdict, scale_sets, reason and fix of a new route (job, file, runs_on unset). */
DrRoute     *dr_routing_check_target      (const DrRunsOnTarget *target,
                                           GPtrArray            *scale_sets);

/* Reads a workflow that a job calls with a local "uses: ./PATH", or fails. Core reads no file:
 * the caller decides where the repository is. Returns the text, or NULL with ERROR set. */
typedef char *(*DrWorkflowReadFunc) (const char  *path,
                                     gpointer     user_data,
                                     GError     **error);

/* Every job of WORKFLOW, in file order: one route per distinct evaluated target (a matrix
 * gives several), and the jobs of local reusable workflows READ can open (nullable: never
 * followed). element-type DrRoute. */
GPtrArray   *dr_routing_check_workflow    (DrWorkflow         *workflow,
                                           GPtrArray          *scale_sets,
                                           DrWorkflowReadFunc  read,
                                           gpointer            user_data);

/* The versioned report deskrunctl doctor --workflow --json prints (README, "Routing doctor"):
 * {"version": 1, "file": …, "error": null | "…", "jobs": [{"job", "runs_on", "verdict",
 * "scale_sets", "reason", "fix"}]}. ROUTES may be NULL when ERROR is set. */
JsonNode    *dr_routing_report_to_json    (const char   *file,
                                           const GError *error,
                                           GPtrArray    *routes);

/* What a repository's workflows ask of a runner about to be created (the Add form's label
 * offer, issue 9 item 6). */
typedef struct
{
  GStrv      labels;  /* a label set no existing scale set answers, as first written */
  GPtrArray *jobs;    /* utf8 "FILE: JOB", the jobs asking for it */
} DrLabelOffer;

typedef struct
{
  /* utf8 "FILE: JOB": jobs that would run on the new runner by its name alone */
  GPtrArray *by_name;
  /* DrLabelOffer: label sets to create the new runner with (minus its own name), most asked
   * for first; each would route its jobs to it (best-effort on GitHub's side) */
  GPtrArray *offers;
  /* utf8: names that runs-on asks for and no scale set (local or GitHub-hosted) has, most
   * asked for first — a good name for the new runner */
  GPtrArray *names;
} DrLabelSuggestion;

/* Reads WORKFLOWS (element-type DrWorkflow, e.g. every file of .github/workflows) against the
 * existing SCALE_SETS: jobs that no scale set answers (verdict never or unsure) become the
 * offers and names; with NEW_NAME (nullable), jobs that ask for exactly that name are
 * by_name. Expressions are evaluated as dr_workflow_job_expand_runs_on() does. */
DrLabelSuggestion *dr_routing_suggest_labels   (GPtrArray          *workflows,
                                                GPtrArray          *scale_sets,
                                                const char         *new_name);
void               dr_label_suggestion_free    (DrLabelSuggestion  *suggestion);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrRoute, dr_route_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrLabelSuggestion, dr_label_suggestion_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrScaleSet, dr_scale_set_free)

G_END_DECLS
