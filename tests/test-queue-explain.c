/* test-queue-explain.c — "why is my job queued?": one explanation per cause, in order
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-queue-explain.h"
#include "dr-runner-spec.h"
#include "dr-test-utils.h"

typedef struct
{
  DrQueueFacts  facts;
  GStrv         labels;
} World;

static DrRunnerSpec *
spec_new (const char *name,
          guint       instances,
          const char *group,
          const char *label)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup (name);
  spec->instances = instances;
  spec->runner_group = g_strdup (group);
  if (label != NULL)
    g_ptr_array_add (spec->labels, g_strdup (label));
  return spec;
}

static DrQueueScaleSet *
healthy_scale_set (const char *name,
                   const char *runner,
                   guint       max_runners)
{
  DrQueueScaleSet *ss = dr_queue_scale_set_new (name, runner);

  ss->listener = DR_LISTENER_FACT_RUNNING;
  ss->max_runners = max_runners;
  ss->available_jobs = 1;
  ss->group_admits_repository = DR_FACT_YES;
  ss->group_allows_public = DR_FACT_YES;
  {
    g_autofree char *runner_name = g_strdup_printf ("%s-x7k2p-runner-a", name);

    g_ptr_array_add (ss->runners, dr_queue_runner_new (runner_name, DR_RUNNER_FACT_IDLE, NULL,
                                                       NULL));
  }
  return ss;
}

/* A job for "arc-local" that has waited 5 minutes, with everything on this side right:
 * runners arc-local (max 2), build (2 instances), gpu-a and gpu-b (label gpu). */
static World *
world_new (const char *labels)
{
  World *w = g_new0 (World, 1);
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dr_runner_spec_unref);
  const char *names[] = { "arc-local", "build-1", "build-2", "gpu-a", "gpu-b" };
  const char *runners[] = { "arc-local", "build", "build", "gpu-a", "gpu-b" };
  guint max[] = { 2, 1, 1, 1, 1 };

  g_ptr_array_add (specs, spec_new ("arc-local", 1, NULL, NULL));
  g_ptr_array_add (specs, spec_new ("build", 2, NULL, NULL));
  g_ptr_array_add (specs, spec_new ("gpu-a", 1, NULL, "gpu"));
  g_ptr_array_add (specs, spec_new ("gpu-b", 1, NULL, "gpu"));

  w->labels = g_strsplit (labels, ",", -1);
  w->facts.job = g_strdup ("build");
  w->facts.labels = w->labels;
  w->facts.waited_seconds = 300;
  w->facts.cluster = DR_CLUSTER_FACT_READY;
  w->facts.controller_installed = DR_FACT_YES;
  w->facts.scale_sets = dr_routing_scale_sets_from_specs (specs);
  w->facts.observed = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_queue_scale_set_free);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (w->facts.observed, healthy_scale_set (names[i], runners[i], max[i]));
  return w;
}

static void
world_free (World *w)
{
  g_strfreev (w->labels);
  g_free (w->facts.job);
  g_ptr_array_unref (w->facts.scale_sets);
  g_ptr_array_unref (w->facts.observed);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (World, world_free)

static DrQueueScaleSet *
obs (World      *w,
     const char *name)
{
  for (guint i = 0; i < w->facts.observed->len; i++)
    {
      DrQueueScaleSet *ss = g_ptr_array_index (w->facts.observed, i);

      if (g_str_equal (ss->name, name))
        return ss;
    }
  g_assert_not_reached ();
}

static void
set_runners (DrQueueScaleSet *ss,
             DrRunnerFact     a,
             const char      *a_reason,
             DrRunnerFact     b,
             const char      *b_reason)
{
  g_ptr_array_set_size (ss->runners, 0);
  g_ptr_array_add (ss->runners, dr_queue_runner_new ("arc-local-x7k2p-runner-a", a, a_reason,
                                                     a == DR_RUNNER_FACT_BUSY ? "lint" : NULL));
  g_ptr_array_add (ss->runners, dr_queue_runner_new ("arc-local-x7k2p-runner-b", b, b_reason,
                                                     b == DR_RUNNER_FACT_BUSY ? "test" : NULL));
}

typedef struct
{
  const char    *what;
  const char    *labels;
  const char    *cause;
  const char    *scale_set;   /* nullable */
  const char    *reason;      /* substring */
  const char    *fix;         /* substring; NULL: no fix */
  DrQueueAction  action;
  const char    *details;     /* "\n"-joined; NULL: none */
} Case;

static void
check (World      *w,
       const Case *c)
{
  g_autoptr(DrQueueExplanation) e = dr_queue_explain (&w->facts);
  g_autofree char *details = g_strjoinv ("\n", e->details);

  if (g_strcmp0 (dr_queue_cause_to_string (e->cause), c->cause) != 0 ||
      g_strcmp0 (e->scale_set, c->scale_set) != 0 ||
      strstr (e->reason, c->reason) == NULL ||
      (c->fix == NULL) != (e->fix == NULL) ||
      (c->fix != NULL && strstr (e->fix, c->fix) == NULL) ||
      e->action != c->action ||
      g_strcmp0 (details, c->details != NULL ? c->details : "") != 0)
    g_error ("%s: got %s on %s — “%s” (%s) fix “%s” action %d details “%s”; expected %s on "
             "%s “…%s…” fix “…%s…” action %d details “%s”", c->what,
             dr_queue_cause_to_string (e->cause), e->scale_set, e->reason, e->title,
             e->fix ? e->fix : "(none)", e->action, details, c->cause, c->scale_set, c->reason,
             c->fix ? c->fix : "(none)", c->action, c->details ? c->details : "");
  g_assert_nonnull (e->title);
}

static void
test_baseline (void)
{
  static const Case cases[] = {
    { "just queued", "arc-local", "none", NULL, "Queued for 10 seconds", NULL, 0, NULL },
    { "all right", "arc-local", "starting", "arc-local", "GitHub offers “arc-local” 1 "
      "available jobs", NULL, 0, NULL },
    { "hosted", "ubuntu-latest", "hosted", NULL, "GitHub-hosted runner", NULL, 0, NULL },
  };
  g_autoptr(World) young = world_new (cases[0].labels);
  g_autoptr(World) right = world_new (cases[1].labels);
  g_autoptr(World) hosted = world_new (cases[2].labels);

  young->facts.waited_seconds = 10;
  check (young, &cases[0]);
  check (right, &cases[1]);
  check (hosted, &cases[2]);
}

/* 1: no scale set answers the labels. */
static void
test_labels (void)
{
  static const Case c = { "self-hosted", "self-hosted,linux", "labels", NULL, "It has waited 5 "
                          "minutes. No scale set answers to “self-hosted” and “linux”",
                          "runs-on: arc-local", 0, NULL };
  g_autoptr(World) w = world_new (c.labels);

  check (w, &c);
}

/* 2: the runner group does not admit the repository, or public repositories. */
static void
test_runner_group (void)
{
  static const Case repo = { "repository", "arc-local", "runner-group", "arc-local",
                             "“arc-local” is in runner group “Default”, which is not open to "
                             "this repository", "give this repository access", 0, NULL };
  static const Case pub = { "public", "arc-local", "runner-group", "arc-local",
                            "This repository is public, and runner group “Default”",
                            "allow public repositories", 0, NULL };
  static const Case other = { "one of two", "gpu", "starting", "gpu-b", "looks right", NULL,
                              0, NULL };
  g_autoptr(World) w1 = world_new (repo.labels);
  g_autoptr(World) w2 = world_new (pub.labels);
  g_autoptr(World) w3 = world_new (other.labels);

  obs (w1, "arc-local")->group_admits_repository = DR_FACT_NO;
  check (w1, &repo);

  obs (w2, "arc-local")->group_allows_public = DR_FACT_NO;
  check (w2, &(Case) { "private", "arc-local", "starting", "arc-local", "looks right", NULL,
                       0, NULL });
  w2->facts.repository_public = TRUE;
  check (w2, &pub);

  /* A group that shuts out one of two scale sets leaves the other. */
  obs (w3, "gpu-a")->group_admits_repository = DR_FACT_NO;
  check (w3, &other);
}

/* 3: the cluster is stopped, gone or unreachable, or the controller is missing. */
static void
test_cluster (void)
{
  static const Case stopped = { "stopped", "arc-local", "cluster", NULL, "The cluster is "
                                "stopped, so no listener asks GitHub", "deskrunctl up", 0,
                                NULL };
  static const Case gone = { "unreachable", "arc-local", "cluster", NULL, "does not answer",
                             "deskrunctl doctor", 0, NULL };
  static const Case controller = { "controller", "arc-local", "cluster", NULL, "ARC's "
                                   "controller is not installed", "deskrunctl controller "
                                   "install", 0, NULL };
  g_autoptr(World) w1 = world_new ("arc-local");
  g_autoptr(World) w2 = world_new ("arc-local");
  g_autoptr(World) w3 = world_new ("arc-local");

  w1->facts.cluster = DR_CLUSTER_FACT_STOPPED;
  check (w1, &stopped);
  w2->facts.cluster = DR_CLUSTER_FACT_UNREACHABLE;
  check (w2, &gone);
  w3->facts.controller_installed = DR_FACT_NO;
  check (w3, &controller);
  /* Labels come first: a cluster does not matter to a job no scale set answers. */
  w1->labels[0][0] = 'X';
  check (w1, &(Case) { "labels first", "Xrc-local", "labels", NULL, "“Xrc-local”",
                       "runs-on: arc-local", 0, NULL });
}

/* 4: the listener is missing, pending or crash-looping, with its last log lines. */
static void
test_listener (void)
{
  static const Case crash = { "crash-looping", "arc-local", "listener", "arc-local",
                              "The listener of “arc-local” is crash-looping", "Restart "
                              "Listener", DR_QUEUE_ACTION_RESTART_LISTENER,
                              "2026-12-04T21:00:00Z ERROR listener failed to create session\n"
                              "409 Conflict: already has an active session" };
  static const Case missing = { "missing", "arc-local", "listener", "arc-local", "is missing",
                                "deskrunctl controller status", 0, NULL };
  static const Case pending = { "pending", "arc-local", "listener", "arc-local", "is pending",
                                "Restart Listener", DR_QUEUE_ACTION_RESTART_LISTENER, NULL };
  g_autoptr(World) w1 = world_new ("arc-local");
  g_autoptr(World) w2 = world_new ("arc-local");
  g_autoptr(World) w3 = world_new ("arc-local");
  const char *tail[] = { "2026-12-04T21:00:00Z ERROR listener failed to create session",
                         "409 Conflict: already has an active session", NULL };

  obs (w1, "arc-local")->listener = DR_LISTENER_FACT_CRASH_LOOPING;
  obs (w1, "arc-local")->listener_log_tail = g_strdupv ((GStrv) tail);
  check (w1, &crash);
  obs (w2, "arc-local")->listener = DR_LISTENER_FACT_MISSING;
  check (w2, &missing);
  obs (w3, "arc-local")->listener = DR_LISTENER_FACT_PENDING;
  check (w3, &pending);
}

/* 5: maxRunners taken by busy, failed or pending runners, each named with its reason. */
static void
test_capacity (void)
{
  static const Case pull = { "image pull", "arc-local", "capacity", "arc-local", "may run 2 "
                             "runners at once, and all are taken: 1 busy, 1 pending, 0 failed",
                             "A runner pod cannot start (ImagePullBackOff)", 0,
                             "arc-local-x7k2p-runner-a: running “lint”\n"
                             "arc-local-x7k2p-runner-b: pending (ImagePullBackOff)" };
  static const Case failed = { "failed", "arc-local", "capacity", "arc-local", "0 busy, 0 "
                               "pending, 2 failed", "Remove the failed runners of “arc-local”",
                               0, "arc-local-x7k2p-runner-a: failed (OOMKilled)\n"
                               "arc-local-x7k2p-runner-b: failed" };
  static const Case busy = { "busy", "arc-local", "capacity", "arc-local", "2 busy",
                             "deskrunctl scale arc-local --max-runners 3", 0,
                             "arc-local-x7k2p-runner-a: running “lint”\n"
                             "arc-local-x7k2p-runner-b: running “test”" };
  static const Case pvc = { "unschedulable", "arc-local", "capacity", "arc-local", "1 pending",
                            "Unschedulable: pod has unbound immediate PersistentVolumeClaims",
                            0, NULL };
  static const Case instance = { "instance", "build-2", "capacity", "build-2", "“build-2” may "
                                 "run 1 runners at once", "Each instance runs one job at a "
                                 "time: wait for the running job, or give runner “build” more "
                                 "instances", 0, "build-2-x7k2p-runner-a: running a job" };
  g_autoptr(World) w1 = world_new ("arc-local");
  g_autoptr(World) w2 = world_new ("arc-local");
  g_autoptr(World) w3 = world_new ("arc-local");
  g_autoptr(World) w4 = world_new ("arc-local");
  g_autoptr(World) w5 = world_new ("build-2");
  g_autoptr(World) w6 = world_new ("arc-local");

  set_runners (obs (w1, "arc-local"), DR_RUNNER_FACT_BUSY, NULL, DR_RUNNER_FACT_PENDING,
               "ImagePullBackOff");
  check (w1, &pull);
  set_runners (obs (w2, "arc-local"), DR_RUNNER_FACT_FAILED, "OOMKilled",
               DR_RUNNER_FACT_FAILED, NULL);
  check (w2, &failed);
  set_runners (obs (w3, "arc-local"), DR_RUNNER_FACT_BUSY, NULL, DR_RUNNER_FACT_BUSY, NULL);
  check (w3, &busy);
  set_runners (obs (w4, "arc-local"), DR_RUNNER_FACT_BUSY, NULL, DR_RUNNER_FACT_PENDING,
               "Unschedulable: pod has unbound immediate PersistentVolumeClaims");
  {
    g_autoptr(DrQueueExplanation) e = dr_queue_explain (&w4->facts);

    g_assert_cmpstr (dr_queue_cause_to_string (e->cause), ==, pvc.cause);
    g_assert_nonnull (strstr (e->fix, pvc.fix));
  }
  ((DrQueueRunner *) g_ptr_array_index (obs (w5, "build-2")->runners, 0))->state =
    DR_RUNNER_FACT_BUSY;
  check (w5, &instance);
  /* One idle place left: not capacity. */
  set_runners (obs (w6, "arc-local"), DR_RUNNER_FACT_BUSY, NULL, DR_RUNNER_FACT_IDLE, NULL);
  check (w6, &(Case) { "one free", "arc-local", "starting", "arc-local", "looks right", NULL,
                       0, NULL });
}

/* 6: the scale set is outdated or gone from the cluster. */
static void
test_scale_set (void)
{
  static const Case outdated = { "outdated", "arc-local", "scale-set", "arc-local", "is "
                                 "Outdated", "deskrunctl remove arc-local", 0, NULL };
  static const Case deleted = { "deleted", "arc-local", "scale-set", "arc-local", "configured "
                                "but not in the cluster", "deskrunctl apply arc-local", 0,
                                NULL };
  g_autoptr(World) w1 = world_new ("arc-local");
  g_autoptr(World) w2 = world_new ("arc-local");
  g_autoptr(World) w3 = world_new ("arc-local");
  g_autoptr(World) w4 = world_new ("build-1");

  obs (w1, "arc-local")->outdated = TRUE;
  check (w1, &outdated);
  /* An outdated scale set loses its listener: name the cause, not the symptom. */
  obs (w1, "arc-local")->listener = DR_LISTENER_FACT_MISSING;
  check (w1, &outdated);
  obs (w2, "arc-local")->exists = FALSE;
  check (w2, &deleted);
  /* Not observed at all is not in the cluster either. */
  g_ptr_array_remove_index (w3->facts.observed, 0);
  check (w3, &deleted);
  obs (w4, "build-1")->exists = FALSE;
  check (w4, &(Case) { "instance", "build-1", "scale-set", "build-1", "“build-1”",
                       "deskrunctl apply build", 0, NULL });
}

/* 7: GitHub refused the credential, as the logs show. */
static void
test_credentials (void)
{
  static const Case c = { "credentials", "arc-local", "credentials", "arc-local", "show "
                          "GitHub refusing its credential", "Administration read and write",
                          0, "failed to get runner registration token: 403 Resource not "
                          "accessible by personal access token" };
  g_autoptr(World) w1 = world_new ("arc-local");
  g_autoptr(World) w2 = world_new ("arc-local");
  const char *lines[] = { "failed to get runner registration token: 403 Resource not "
                          "accessible by personal access token", NULL };

  obs (w1, "arc-local")->credential_errors = g_strdupv ((GStrv) lines);
  check (w1, &c);
  /* A listener that crash-loops on a refused credential: the credential is the cause. */
  obs (w2, "arc-local")->credential_errors = g_strdupv ((GStrv) lines);
  obs (w2, "arc-local")->listener = DR_LISTENER_FACT_CRASH_LOOPING;
  check (w2, &c);
}

/* All right on this side, but GitHub offers 0 jobs for more than 2 minutes: Restart. */
static void
test_not_offered (void)
{
  static const Case c = { "not offered", "arc-local", "not-offered", "arc-local", "its "
                          "listener's statistics say GitHub offers it 0 available jobs while "
                          "this job has waited 5 minutes", "Restart the listener",
                          DR_QUEUE_ACTION_RESTART_LISTENER, NULL };
  g_autoptr(World) w1 = world_new ("arc-local");
  g_autoptr(World) w2 = world_new ("arc-local");
  g_autoptr(World) w3 = world_new ("arc-local");

  obs (w1, "arc-local")->available_jobs = 0;
  check (w1, &c);
  /* Under two minutes, it is still starting. */
  obs (w2, "arc-local")->available_jobs = 0;
  w2->facts.waited_seconds = 90;
  check (w2, &(Case) { "early", "arc-local", "starting", "arc-local", "looks right for "
                       "“arc-local”; the job has waited 90 seconds", NULL, 0, NULL });
  /* Unknown statistics say nothing. */
  obs (w3, "arc-local")->available_jobs = -1;
  check (w3, &(Case) { "unknown", "arc-local", "starting", "arc-local", "looks right", NULL,
                       0, NULL });
}

/* [self-hosted, NAME] with everything else right: the labels are the likely reason. */
static void
test_labels_unsure (void)
{
  static const Case c = { "unsure", "self-hosted,arc-local", "labels-unsure", "arc-local",
                          "was not created with “self-hosted”", "runs-on: arc-local", 0,
                          NULL };
  g_autoptr(World) w = world_new (c.labels);

  check (w, &c);
  /* A broken listener is still named first. */
  obs (w, "arc-local")->listener = DR_LISTENER_FACT_MISSING;
  check (w, &(Case) { "unsure, listener", c.labels, "listener", "arc-local", "is missing",
                      "controller status", 0, NULL });
}

/* Several scale sets answer: stuck only when all are, and then the earliest cause. */
static void
test_several_scale_sets (void)
{
  g_autoptr(World) w = world_new ("gpu");

  obs (w, "gpu-a")->listener = DR_LISTENER_FACT_CRASH_LOOPING;
  check (w, &(Case) { "one healthy", "gpu", "starting", "gpu-b", "looks right", NULL, 0,
                      NULL });
  obs (w, "gpu-b")->outdated = TRUE;
  check (w, &(Case) { "both stuck", "gpu", "listener", "gpu-a", "crash-looping",
                      "Restart Listener", DR_QUEUE_ACTION_RESTART_LISTENER, NULL });
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/queue-explain/baseline", test_baseline);
  g_test_add_func ("/queue-explain/1-labels", test_labels);
  g_test_add_func ("/queue-explain/2-runner-group", test_runner_group);
  g_test_add_func ("/queue-explain/3-cluster", test_cluster);
  g_test_add_func ("/queue-explain/4-listener", test_listener);
  g_test_add_func ("/queue-explain/5-capacity", test_capacity);
  g_test_add_func ("/queue-explain/6-scale-set", test_scale_set);
  g_test_add_func ("/queue-explain/7-credentials", test_credentials);
  g_test_add_func ("/queue-explain/not-offered", test_not_offered);
  g_test_add_func ("/queue-explain/labels-unsure", test_labels_unsure);
  g_test_add_func ("/queue-explain/several-scale-sets", test_several_scale_sets);

  return g_test_run ();
}
