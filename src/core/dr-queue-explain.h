/* dr-queue-explain.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Why is my job queued?" — the decision, pure. The engine gathers what it observes (the job
 * from GitHub, the scale sets and their runner groups, the cluster, each scale set's listener,
 * runners and logs) into DrQueueFacts; dr_queue_explain() returns the one explanation that
 * matters, checked in the order of FACTS.md §5's causes, with a fix and, when deskrun can do
 * it, an action.
 */
#pragma once

#include <glib.h>

#include "dr-routing.h"

G_BEGIN_DECLS

typedef enum
{
  DR_FACT_UNKNOWN,   /* not observed (no credential, not yet listed) */
  DR_FACT_YES,
  DR_FACT_NO,
} DrFact;

typedef enum
{
  DR_CLUSTER_FACT_READY,
  DR_CLUSTER_FACT_ABSENT,
  DR_CLUSTER_FACT_STOPPED,
  DR_CLUSTER_FACT_UNREACHABLE,
} DrClusterFact;

typedef enum
{
  DR_LISTENER_FACT_UNKNOWN,
  DR_LISTENER_FACT_RUNNING,
  DR_LISTENER_FACT_MISSING,
  DR_LISTENER_FACT_PENDING,
  DR_LISTENER_FACT_CRASH_LOOPING,
} DrListenerFact;

typedef enum
{
  DR_RUNNER_FACT_IDLE,
  DR_RUNNER_FACT_BUSY,     /* running a job */
  DR_RUNNER_FACT_PENDING,  /* its pod is not running yet */
  DR_RUNNER_FACT_FAILED,
} DrRunnerFact;

/* One EphemeralRunner of a scale set. */
typedef struct
{
  char         *name;
  DrRunnerFact  state;
  char         *reason;  /* the pod's: "ImagePullBackOff", "Unschedulable: …", a PVC…; nullable */
  char         *job;     /* the job a busy runner runs; nullable */
} DrQueueRunner;

/* What deskrun sees of one scale set that could take the job. */
typedef struct
{
  char           *name;                   /* the scale-set name */
  char           *runner;                 /* the configured runner (for deskrunctl commands) */
  gboolean        exists;                 /* its AutoscalingRunnerSet is in the cluster */
  gboolean        outdated;               /* its phase is Outdated */
  DrListenerFact  listener;
  GStrv           listener_log_tail;      /* the listener's last log lines; nullable */
  guint           max_runners;
  GPtrArray      *runners;                /* element-type DrQueueRunner */
  GStrv           credential_errors;      /* 401/403/404 lines seen in listener/controller logs */
  gint64          available_jobs;         /* listener statistics; -1 when unknown */
  /* Its runner group as GitHub says (GET /orgs/ORG/actions/runner-groups + repositories). */
  DrFact          group_admits_repository;
  DrFact          group_allows_public;
} DrQueueScaleSet;

typedef struct
{
  char          *job;               /* the job's name, for sentences */
  GStrv          labels;            /* the job's runs-on labels, as GitHub reports them */
  gboolean       repository_public;
  gint64         waited_seconds;
  DrClusterFact  cluster;
  DrFact         controller_installed;
  GPtrArray     *scale_sets;        /* element-type DrScaleSet: every configured one */
  GPtrArray     *observed;          /* element-type DrQueueScaleSet, by name */
} DrQueueFacts;

typedef enum
{
  DR_QUEUE_CAUSE_NONE,            /* waiting less than 30 s: nothing to explain yet */
  DR_QUEUE_CAUSE_HOSTED,          /* it waits for a GitHub-hosted runner */
  DR_QUEUE_CAUSE_LABELS,          /* 1: no scale set answers its labels */
  DR_QUEUE_CAUSE_RUNNER_GROUP,    /* 2: the group does not admit the repository / public repos */
  DR_QUEUE_CAUSE_CLUSTER,         /* 3: cluster stopped or unreachable, controller missing */
  DR_QUEUE_CAUSE_LISTENER,        /* 4: listener missing, pending or crash-looping */
  DR_QUEUE_CAUSE_CAPACITY,        /* 5: maxRunners taken by busy, failed or pending runners */
  DR_QUEUE_CAUSE_SCALE_SET,       /* 6: the scale set is outdated or deleted */
  DR_QUEUE_CAUSE_CREDENTIALS,     /* 7: 401/403/404 on registration in the logs */
  DR_QUEUE_CAUSE_LABELS_UNSURE,   /* everything looks right, but it names labels not created */
  DR_QUEUE_CAUSE_NOT_OFFERED,     /* everything looks right; GitHub offers 0 jobs for > 2 min */
  DR_QUEUE_CAUSE_STARTING,        /* everything looks right; a runner should take it soon */
} DrQueueCause;

typedef enum
{
  DR_QUEUE_ACTION_NONE,
  DR_QUEUE_ACTION_RESTART_LISTENER,  /* delete the listener pod; the controller re-creates it */
} DrQueueAction;

typedef struct
{
  DrQueueCause   cause;
  char          *scale_set;  /* the scale set it is about; nullable */
  char          *title;      /* a few words for a list row */
  char          *reason;     /* sentences for a person */
  char          *fix;        /* what to do; nullable */
  GStrv          details;    /* log lines, runners with their reasons; never NULL */
  DrQueueAction  action;     /* on scale_set */
} DrQueueExplanation;

DrQueueExplanation *dr_queue_explain             (const DrQueueFacts *facts);
void                dr_queue_explanation_free    (DrQueueExplanation *explanation);
const char         *dr_queue_cause_to_string     (DrQueueCause        cause);

DrQueueScaleSet    *dr_queue_scale_set_new       (const char         *name,
                                                  const char         *runner);
void                dr_queue_scale_set_free      (DrQueueScaleSet    *scale_set);
DrQueueRunner      *dr_queue_runner_new          (const char         *name,
                                                  DrRunnerFact        state,
                                                  const char         *reason,
                                                  const char         *job);
void                dr_queue_runner_free         (DrQueueRunner      *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrQueueExplanation, dr_queue_explanation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrQueueScaleSet, dr_queue_scale_set_free)

G_END_DECLS
