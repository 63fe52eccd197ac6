/* dr-job.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GitHub Actions job of a runner's repository, as the runner page, the tray and
 * deskrunctl see it: what GitHub says about it (FACTS.md §6, "Jobs of a run") joined with
 * this runner's pods, so a person can tell a job running here from one waiting for this
 * runner and from one that is someone else's. Read-only; the engine updates it.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* GitHub's job status. Unknown values read as QUEUED: a job GitHub has not finished. */
typedef enum
{
  DR_JOB_STATUS_QUEUED,
  DR_JOB_STATUS_IN_PROGRESS,
  DR_JOB_STATUS_COMPLETED,
  DR_JOB_STATUS_WAITING,     /* an environment's protection rule holds it */
  DR_JOB_STATUS_REQUESTED,
  DR_JOB_STATUS_PENDING,
} DrJobStatus;

#define DR_TYPE_JOB_STATUS (dr_job_status_get_type ())
GType dr_job_status_get_type (void) G_GNUC_CONST;

/* Where the job stands for this runner (the join). */
typedef enum
{
  DR_JOB_PLACEMENT_OTHER,         /* for other runners: its labels name no scale set of ours */
  DR_JOB_PLACEMENT_WAITING_HERE,  /* not started, and one of our scale sets answers to it */
  DR_JOB_PLACEMENT_RUNNING_HERE,  /* in progress on one of our runner pods */
  DR_JOB_PLACEMENT_RAN_HERE,      /* completed on one of our runner pods */
} DrJobPlacement;

#define DR_TYPE_JOB_PLACEMENT (dr_job_placement_get_type ())
GType dr_job_placement_get_type (void) G_GNUC_CONST;

/* One step of a job, as GitHub lists it. */
typedef struct
{
  guint        number;
  char        *name;
  DrJobStatus  status;
  char        *conclusion;    /* "success", "failure", "skipped", … or NULL while it runs */
  GDateTime   *started_at;    /* nullable */
  GDateTime   *completed_at;  /* nullable */
} DrJobStep;

/* The seconds between @started_at and @completed_at (or @now while it runs), or -1. */
gint64       dr_job_step_get_duration   (const DrJobStep *step,
                                         GDateTime       *now);

#define DR_TYPE_JOB (dr_job_get_type ())
G_DECLARE_FINAL_TYPE (DrJob, dr_job, DR, JOB, GObject)

/* Properties (read-only, notified on change): id, run-id, run-number, run-attempt, name,
 * workflow-name, repository ("owner/repo"), branch, labels (GStrv), status, conclusion,
 * runner-name, created-at, started-at, completed-at (GDateTime), html-url, steps (the
 * number of steps changes or any step changes: re-read dr_job_get_steps()), placement,
 * pod (the runner pod it runs or ran on, when here), scale-set (ours that it is for). */
gint64          dr_job_get_id            (DrJob *self);
gint64          dr_job_get_run_id        (DrJob *self);
gint64          dr_job_get_run_number    (DrJob *self);
gint64          dr_job_get_run_attempt   (DrJob *self);
const char     *dr_job_get_name          (DrJob *self);
const char     *dr_job_get_workflow_name (DrJob *self);
const char     *dr_job_get_repository    (DrJob *self);
const char     *dr_job_get_branch        (DrJob *self);
const char * const *dr_job_get_labels    (DrJob *self);
DrJobStatus     dr_job_get_status        (DrJob *self);
const char     *dr_job_get_conclusion    (DrJob *self);
const char     *dr_job_get_runner_name   (DrJob *self);
GDateTime      *dr_job_get_created_at    (DrJob *self);
GDateTime      *dr_job_get_started_at    (DrJob *self);
GDateTime      *dr_job_get_completed_at  (DrJob *self);
const char     *dr_job_get_html_url      (DrJob *self);
/* DrJobStep items in GitHub's order; owned by the job. */
GPtrArray      *dr_job_get_steps         (DrJob *self);
DrJobPlacement  dr_job_get_placement     (DrJob *self);
const char     *dr_job_get_pod           (DrJob *self);
const char     *dr_job_get_scale_set     (DrJob *self);
/* Not completed yet (queued, waiting, requested, pending, in progress). */
gboolean        dr_job_is_active         (DrJob *self);

const char     *dr_job_status_to_string  (DrJobStatus status);  /* GitHub's word */
gboolean        dr_job_status_from_string (const char  *text,
                                           DrJobStatus *out_status);
const char     *dr_job_placement_to_string (DrJobPlacement placement);  /* "running-here" */
/* One translated line for a person: "Queued — waiting for this runner", "Running here on
 * web-x7k2p-runner-abcde", "Succeeded", "Failed", "For another runner". */
char           *dr_job_dup_state_label   (DrJob *self);

/* The join (pure): what GitHub says about one job against this runner. */
typedef struct
{
  const char * const *scale_sets;        /* this runner's scale-set names (NAME or NAME-1..N) */
  const char * const *extra_labels;      /* labels every scale set also answers to (0.14+) */
  const char * const *ephemeral_runners; /* the EphemeralRunner (= pod) names seen now */
} DrJobJoinContext;

/* Decides the placement of a job with @status, @labels (its runs-on) and @runner_name
 * (NULL until GitHub assigned one). A scale set answers to a job when every one of the
 * job's labels is its name or one of @extra_labels, compared case-insensitively (FACTS.md
 * §5: a scale set's labels are exactly its name plus those). A runner name is ours when it
 * is one of @ephemeral_runners, or has the shape ARC gives them, SCALESET-xxxxx-runner-yyyyy
 * (completed jobs outlive their pods). @out_pod and @out_scale_set (nullable) get the pod
 * and the scale set, or NULL. */
DrJobPlacement  dr_job_join              (const DrJobJoinContext *context,
                                          DrJobStatus             status,
                                          const char * const     *labels,
                                          const char             *runner_name,
                                          char                  **out_pod,
                                          char                  **out_scale_set);

G_END_DECLS
