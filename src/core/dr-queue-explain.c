/* dr-queue-explain.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-queue-explain.h"

/* Shorter waits are normal: GitHub offers the job, the listener scales, a pod starts. */
#define EXPLAIN_AFTER_SECONDS 30
/* A job that waits this long with nothing wrong on this side, while the listener's statistics
 * say GitHub offers no job, is ARC's stalled-session case (FACTS.md §5, cause 4). */
#define NOT_OFFERED_AFTER_SECONDS 120

DrQueueRunner *
dr_queue_runner_new (const char   *name,
                     DrRunnerFact  state,
                     const char   *reason,
                     const char   *job)
{
  DrQueueRunner *runner = g_new0 (DrQueueRunner, 1);

  runner->name = g_strdup (name);
  runner->state = state;
  runner->reason = g_strdup (reason);
  runner->job = g_strdup (job);
  return runner;
}

void
dr_queue_runner_free (DrQueueRunner *runner)
{
  if (runner == NULL)
    return;
  g_free (runner->name);
  g_free (runner->reason);
  g_free (runner->job);
  g_free (runner);
}

DrQueueScaleSet *
dr_queue_scale_set_new (const char *name,
                        const char *runner)
{
  DrQueueScaleSet *ss = g_new0 (DrQueueScaleSet, 1);

  ss->name = g_strdup (name);
  ss->runner = g_strdup (runner != NULL ? runner : name);
  ss->exists = TRUE;
  ss->listener = DR_LISTENER_FACT_UNKNOWN;
  ss->runners = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_queue_runner_free);
  ss->available_jobs = -1;
  return ss;
}

void
dr_queue_scale_set_free (DrQueueScaleSet *ss)
{
  if (ss == NULL)
    return;
  g_free (ss->name);
  g_free (ss->runner);
  g_strfreev (ss->listener_log_tail);
  g_ptr_array_unref (ss->runners);
  g_strfreev (ss->credential_errors);
  g_free (ss);
}

void
dr_queue_explanation_free (DrQueueExplanation *e)
{
  if (e == NULL)
    return;
  g_free (e->scale_set);
  g_free (e->title);
  g_free (e->reason);
  g_free (e->fix);
  g_strfreev (e->details);
  g_free (e);
}

const char *
dr_queue_cause_to_string (DrQueueCause cause)
{
  switch (cause)
    {
    case DR_QUEUE_CAUSE_NONE:
      return "none";
    case DR_QUEUE_CAUSE_HOSTED:
      return "hosted";
    case DR_QUEUE_CAUSE_LABELS:
      return "labels";
    case DR_QUEUE_CAUSE_RUNNER_GROUP:
      return "runner-group";
    case DR_QUEUE_CAUSE_CLUSTER:
      return "cluster";
    case DR_QUEUE_CAUSE_LISTENER:
      return "listener";
    case DR_QUEUE_CAUSE_CAPACITY:
      return "capacity";
    case DR_QUEUE_CAUSE_SCALE_SET:
      return "scale-set";
    case DR_QUEUE_CAUSE_CREDENTIALS:
      return "credentials";
    case DR_QUEUE_CAUSE_LABELS_UNSURE:
      return "labels-unsure";
    case DR_QUEUE_CAUSE_NOT_OFFERED:
      return "not-offered";
    case DR_QUEUE_CAUSE_STARTING:
      return "starting";
    default:
      g_return_val_if_reached (NULL);
    }
}

static DrQueueExplanation *
explanation_new (DrQueueCause  cause,
                 const char   *scale_set,
                 char         *title,
                 char         *reason,
                 char         *fix)
{
  DrQueueExplanation *e = g_new0 (DrQueueExplanation, 1);

  e->cause = cause;
  e->scale_set = g_strdup (scale_set);
  e->title = title;
  e->reason = reason;
  e->fix = fix;
  e->details = g_new0 (char *, 1);
  return e;
}

static char *
waited_text (gint64 seconds)
{
  if (seconds < 120)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds",
                                         (gulong) seconds), (guint) seconds);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                       (gulong) (seconds / 60)), (guint) (seconds / 60));
}

static const DrQueueScaleSet *
observed_for (const DrQueueFacts *facts,
              const char         *name)
{
  for (guint i = 0; facts->observed != NULL && i < facts->observed->len; i++)
    {
      const DrQueueScaleSet *ss = g_ptr_array_index (facts->observed, i);

      if (g_strcmp0 (ss->name, name) == 0)
        return ss;
    }
  return NULL;
}

static const DrScaleSet *
configured_for (const DrQueueFacts *facts,
                const char         *name)
{
  for (guint i = 0; facts->scale_sets != NULL && i < facts->scale_sets->len; i++)
    {
      const DrScaleSet *ss = g_ptr_array_index (facts->scale_sets, i);

      if (g_strcmp0 (ss->name, name) == 0)
        return ss;
    }
  return NULL;
}

/* Cause 2 for one scale set, or NULL. */
static DrQueueExplanation *
check_group (const DrQueueFacts    *facts,
             const char            *name,
             const DrQueueScaleSet *obs)
{
  const DrScaleSet *conf = configured_for (facts, name);
  const char *group = conf != NULL ? conf->runner_group : "Default";

  if (obs == NULL)
    return NULL;
  if (obs->group_admits_repository == DR_FACT_NO)
    return explanation_new (DR_QUEUE_CAUSE_RUNNER_GROUP, name,
                            g_strdup (_("Runner group does not admit this repository")),
                            g_strdup_printf (_("“%s” is in runner group “%s”, which is not "
                                               "open to this repository, so GitHub never "
                                               "offers it this job."), name, group),
                            g_strdup_printf (_("In the organisation's settings (Actions → Runner "
                                               "groups → %s), give this repository access"),
                                             group));
  if (facts->repository_public && obs->group_allows_public == DR_FACT_NO)
    return explanation_new (DR_QUEUE_CAUSE_RUNNER_GROUP, name,
                            g_strdup (_("Runner group is closed to public repositories")),
                            g_strdup_printf (_("This repository is public, and runner group "
                                               "“%s” of “%s” does not allow public "
                                               "repositories (GitHub's default for the "
                                               "Default group), so the job waits with no "
                                               "error."), group, name),
                            g_strdup_printf (_("In the organisation's settings (Actions → Runner "
                                               "groups → %s), allow public repositories"),
                                             group));
  return NULL;
}

static DrQueueExplanation *
credentials_explanation (const DrQueueScaleSet *obs)
{
  DrQueueExplanation *e = explanation_new (
    DR_QUEUE_CAUSE_CREDENTIALS, obs->name,
    g_strdup (_("GitHub refuses the credential")),
    g_strdup_printf (_("The logs of “%s” show GitHub refusing its credential when it "
                       "registers (401, 403 or 404), so no runner can join."), obs->name),
    g_strdup (_("Give the token Administration read and write on the repository (or, for a "
                "GitHub App, install it on the repository), then store it again with "
                "deskrunctl add")));

  g_strfreev (e->details);
  e->details = g_strdupv (obs->credential_errors);
  return e;
}

static DrQueueExplanation *
scale_set_explanation (const DrQueueScaleSet *obs,
                       const char            *name,
                       const char            *runner)
{
  if (obs == NULL || !obs->exists)
    return explanation_new (DR_QUEUE_CAUSE_SCALE_SET, name,
                            g_strdup (_("Scale set is not in the cluster")),
                            g_strdup_printf (_("The scale set “%s” is configured but not in "
                                               "the cluster (deleted, or never applied), so "
                                               "nothing listens for this job."), name),
                            g_strdup_printf ("deskrunctl apply %s", runner));
  return explanation_new (DR_QUEUE_CAUSE_SCALE_SET, name,
                          g_strdup (_("Scale set is outdated")),
                          g_strdup_printf (_("The scale set “%s” is Outdated: its controller "
                                             "no longer serves it (an upgrade or a version "
                                             "mismatch), so it takes no job."), name),
                          g_strdup_printf (_("Re-create it: deskrunctl remove %s, then add it "
                                             "again (or deskrunctl apply %s after fixing the "
                                             "controller version)"), runner, runner));
}

static DrQueueExplanation *
listener_explanation (const DrQueueScaleSet *obs)
{
  static const char *states[] = { NULL, NULL, N_("missing"), N_("pending"),
                                  N_("crash-looping") };
  DrQueueExplanation *e;

  e = explanation_new (DR_QUEUE_CAUSE_LISTENER, obs->name,
                       g_strdup_printf (_("Listener is %s"), _(states[obs->listener])),
                       g_strdup_printf (_("The listener of “%s” is %s. It is what asks GitHub "
                                          "for jobs; without it running, the job waits."),
                                        obs->name, _(states[obs->listener])),
                       obs->listener == DR_LISTENER_FACT_MISSING
                       ? g_strdup (_("Check that ARC's controller runs (deskrunctl controller "
                                     "status); it creates the listener"))
                       : g_strdup_printf (_("Read the listener's log (deskrunctl logs %s "
                                            "--listener); Restart Listener starts it "
                                            "afresh"), obs->runner));
  if (obs->listener != DR_LISTENER_FACT_MISSING)
    e->action = DR_QUEUE_ACTION_RESTART_LISTENER;
  if (obs->listener_log_tail != NULL)
    {
      g_strfreev (e->details);
      e->details = g_strdupv (obs->listener_log_tail);
    }
  return e;
}

static DrQueueExplanation *
capacity_explanation (const DrQueueFacts    *facts,
                      const DrQueueScaleSet *obs)
{
  const DrScaleSet *conf = configured_for (facts, obs->name);
  g_autoptr(GPtrArray) details = g_ptr_array_new ();
  guint busy = 0, pending = 0, failed = 0;
  const char *pending_reason = NULL;
  DrQueueExplanation *e;
  char *fix;

  for (guint i = 0; i < obs->runners->len; i++)
    {
      const DrQueueRunner *r = g_ptr_array_index (obs->runners, i);

      switch (r->state)
        {
        case DR_RUNNER_FACT_BUSY:
          busy++;
          g_ptr_array_add (details, r->job != NULL
                           ? g_strdup_printf (_("%s: running “%s”"), r->name, r->job)
                           : g_strdup_printf (_("%s: running a job"), r->name));
          break;
        case DR_RUNNER_FACT_PENDING:
          pending++;
          if (pending_reason == NULL)
            pending_reason = r->reason;
          g_ptr_array_add (details, g_strdup_printf (_("%s: pending (%s)"), r->name,
                                                     r->reason != NULL ? r->reason
                                                                       : _("no reason given")));
          break;
        case DR_RUNNER_FACT_FAILED:
          failed++;
          g_ptr_array_add (details, r->reason != NULL
                           ? g_strdup_printf (_("%s: failed (%s)"), r->name, r->reason)
                           : g_strdup_printf (_("%s: failed"), r->name));
          break;
        case DR_RUNNER_FACT_IDLE:
        default:
          break;
        }
    }
  g_ptr_array_add (details, NULL);

  if (failed > 0)
    fix = g_strdup_printf (_("Remove the failed runners of “%s” (they hold their places until "
                             "deleted), then read why they failed"), obs->name);
  else if (pending > 0)
    fix = g_strdup_printf (_("A runner pod cannot start (%s): fix that — the image, the "
                             "cluster's free CPU and memory, or the storage class"),
                           pending_reason != NULL ? pending_reason : _("no reason given"));
  else if (conf != NULL && conf->instance > 0)
    fix = g_strdup_printf (_("Each instance runs one job at a time: wait for the running job, "
                             "or give runner “%s” more instances"), conf->runner);
  else
    fix = g_strdup_printf (_("Wait for a running job to end, or raise the maximum: deskrunctl "
                             "scale %s --max-runners %u"), conf != NULL ? conf->runner
                                                                        : obs->runner,
                           obs->max_runners + 1);

  e = explanation_new (DR_QUEUE_CAUSE_CAPACITY, obs->name,
                       g_strdup (_("Every runner place is taken")),
                       g_strdup_printf (_("“%s” may run %u runners at once, and all are taken: "
                                          "%u busy, %u pending, %u failed."), obs->name,
                                        obs->max_runners, busy, pending, failed),
                       fix);
  g_strfreev (e->details);
  e->details = g_strdupv ((GStrv) details->pdata);
  for (guint i = 0; details->pdata[i] != NULL; i++)
    g_free (details->pdata[i]);
  return e;
}

/* Causes 4 to 7 for one scale set that answers the job, or NULL when it looks right. */
static DrQueueExplanation *
check_scale_set (const DrQueueFacts    *facts,
                 const char            *name,
                 const DrQueueScaleSet *obs)
{
  const DrScaleSet *conf = configured_for (facts, name);
  const char *runner = conf != NULL ? conf->runner : name;
  guint taken = 0;

  if (obs == NULL || !obs->exists)
    return scale_set_explanation (obs, name, runner);

  /* A listener is the scale set's child, and it crash-loops when GitHub refuses the
   * credential: name the cause, not the symptom. */
  if (obs->listener == DR_LISTENER_FACT_MISSING || obs->listener == DR_LISTENER_FACT_PENDING ||
      obs->listener == DR_LISTENER_FACT_CRASH_LOOPING)
    {
      if (obs->outdated)
        return scale_set_explanation (obs, name, runner);
      if (obs->credential_errors != NULL && obs->credential_errors[0] != NULL)
        return credentials_explanation (obs);
      return listener_explanation (obs);
    }

  for (guint i = 0; i < obs->runners->len; i++)
    if (((DrQueueRunner *) g_ptr_array_index (obs->runners, i))->state != DR_RUNNER_FACT_IDLE)
      taken++;
  if (obs->max_runners > 0 && taken >= obs->max_runners)
    return capacity_explanation (facts, obs);

  if (obs->outdated)
    return scale_set_explanation (obs, name, runner);
  if (obs->credential_errors != NULL && obs->credential_errors[0] != NULL)
    return credentials_explanation (obs);
  return NULL;
}

DrQueueExplanation *
dr_queue_explain (const DrQueueFacts *facts)
{
  g_autoptr(DrRoute) route = NULL;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  g_autoptr(DrQueueExplanation) first_group = NULL;
  g_autoptr(DrQueueExplanation) worst = NULL;
  g_autofree char *waited = NULL;
  const DrQueueScaleSet *healthy = NULL;
  const char *healthy_name = NULL;
  DrRunsOnTarget target = { DR_RUNS_ON_LABELS, NULL, NULL, NULL, NULL };
  static char *no_labels[] = { NULL };
  GPtrArray *scale_sets;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  g_return_val_if_fail (facts != NULL, NULL);

  waited = waited_text (facts->waited_seconds);
  if (facts->waited_seconds < EXPLAIN_AFTER_SECONDS)
    return explanation_new (DR_QUEUE_CAUSE_NONE, NULL, g_strdup (_("Queued")),
                            g_strdup_printf (_("Queued for %s; a runner usually takes a job "
                                               "within half a minute."), waited), NULL);

  /* 1. Labels. */
  scale_sets = facts->scale_sets != NULL ? facts->scale_sets : none;
  target.labels = facts->labels != NULL ? facts->labels : no_labels;
  route = dr_routing_check_target (&target, scale_sets);
  switch (route->verdict)
    {
    case DR_ROUTE_HOSTED:
      return explanation_new (DR_QUEUE_CAUSE_HOSTED, NULL,
                              g_strdup (_("Waits for a GitHub-hosted runner")),
                              g_strdup_printf (_("%s It has waited %s; GitHub's own machines "
                                                 "are busy or the account's minutes are used "
                                                 "up — nothing on this computer is "
                                                 "involved."), route->reason, waited), NULL);
    case DR_ROUTE_ROUTES:
    case DR_ROUTE_UNSURE:
      for (guint i = 0; route->scale_sets[i] != NULL; i++)
        g_ptr_array_add (candidates, route->scale_sets[i]);
      break;
    case DR_ROUTE_NEVER:
    case DR_ROUTE_INVALID:
    case DR_ROUTE_RUNTIME:
    case DR_ROUTE_CALLED:
    default:
      return explanation_new (DR_QUEUE_CAUSE_LABELS, NULL,
                              g_strdup (_("No runner answers its labels")),
                              g_strdup_printf (_("It has waited %s. %s"), waited, route->reason),
                              g_strdup (route->fix));
    }

  /* 2. Runner groups: only scale sets whose group admits the repository can take it. */
  for (guint i = candidates->len; i-- > 0;)
    {
      const char *name = g_ptr_array_index (candidates, i);
      DrQueueExplanation *e = check_group (facts, name, observed_for (facts, name));

      if (e != NULL)
        {
          g_clear_pointer (&first_group, dr_queue_explanation_free);
          first_group = e;
          g_ptr_array_remove_index (candidates, i);
        }
    }
  if (candidates->len == 0)
    return g_steal_pointer (&first_group);

  /* 3. The cluster and its controller. */
  if (facts->cluster != DR_CLUSTER_FACT_READY)
    {
      static const char *states[] = { NULL, N_("does not exist"), N_("is stopped"),
                                      N_("does not answer") };

      return explanation_new (DR_QUEUE_CAUSE_CLUSTER, NULL,
                              g_strdup_printf (_("Cluster %s"), _(states[facts->cluster])),
                              g_strdup_printf (_("The cluster %s, so no listener asks GitHub for "
                                                 "this job."), _(states[facts->cluster])),
                              facts->cluster == DR_CLUSTER_FACT_UNREACHABLE
                              ? g_strdup (_("Check the cluster's context and network "
                                            "(deskrunctl doctor)"))
                              : g_strdup ("deskrunctl up"));
    }
  if (facts->controller_installed == DR_FACT_NO)
    return explanation_new (DR_QUEUE_CAUSE_CLUSTER, NULL,
                            g_strdup (_("ARC's controller is missing")),
                            g_strdup (_("ARC's controller is not installed in the cluster, so "
                                        "no scale set has a listener.")),
                            g_strdup ("deskrunctl controller install"));

  /* 4–7, per scale set: the job is stuck only when every one that could take it is. */
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *name = g_ptr_array_index (candidates, i);
      const DrQueueScaleSet *obs = observed_for (facts, name);
      DrQueueExplanation *e = check_scale_set (facts, name, obs);

      if (e == NULL)
        {
          if (healthy == NULL)
            {
              healthy = obs;
              healthy_name = name;
            }
          continue;
        }
      if (worst == NULL || e->cause < worst->cause)
        {
          g_clear_pointer (&worst, dr_queue_explanation_free);
          worst = e;
        }
      else
        dr_queue_explanation_free (e);
    }
  if (healthy == NULL)
    return g_steal_pointer (&worst);

  /* Everything on this side looks right. */
  if (route->verdict == DR_ROUTE_UNSURE)
    return explanation_new (DR_QUEUE_CAUSE_LABELS_UNSURE, healthy_name,
                            g_strdup (_("Asks for labels the scale set was not created with")),
                            g_strdup_printf (_("Everything on this computer looks right and it "
                                               "has waited %s. %s That is the likely reason."),
                                             waited, route->reason),
                            g_strdup (route->fix));

  if (facts->waited_seconds > NOT_OFFERED_AFTER_SECONDS && healthy->available_jobs == 0)
    {
      DrQueueExplanation *e = explanation_new (
        DR_QUEUE_CAUSE_NOT_OFFERED, healthy_name,
        g_strdup (_("GitHub offers the listener no job")),
        g_strdup_printf (_("Everything on this computer looks right, and “%s” answers this "
                           "job's labels, but its listener's statistics say GitHub offers it 0 "
                           "available jobs while this job has waited %s. Its session with "
                           "GitHub has stalled; a new listener opens a new one."), healthy_name,
                         waited),
        g_strdup (_("Restart the listener: deskrun deletes its pod and ARC's controller creates "
                    "a new one")));

      e->action = DR_QUEUE_ACTION_RESTART_LISTENER;
      return e;
    }

  return explanation_new (DR_QUEUE_CAUSE_STARTING, healthy_name,
                          g_strdup (_("A runner should take it soon")),
                          healthy->available_jobs > 0
                          ? g_strdup_printf (_("Everything looks right: GitHub offers “%s” "
                                               "%u available jobs and a runner is on its "
                                               "way; the job has waited %s."), healthy_name,
                                             (guint) MIN (healthy->available_jobs, G_MAXUINT),
                                             waited)
                          : g_strdup_printf (_("Everything on this computer looks right for "
                                               "“%s”; the job has waited %s."), healthy_name,
                                             waited),
                          NULL);
}
