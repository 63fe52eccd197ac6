/* dr-bench-github.c — GitHub requests per minute per repository: idle, with a job, following
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints a table; asserts nothing. What one poll costs is measured: the engine polls a fake
 * GitHub (tests/dr-fake-github) for a runner in each state and the fake counts the requests
 * and the 304s. How often it polls is the engine's own schedule (dr-poll-schedule.c), run
 * over ten simulated minutes with those costs — waiting ten real minutes per row would
 * measure the clock, not deskrun.
 */
#include "config.h"

#include <stdio.h>

#include "dr-engine.h"
#include "dr-fake-github.h"
#include "dr-github-client.h"
#include "dr-poll-schedule.h"
#include "dr-test-utils.h"

#define TOKEN "ghp_bench0000000000000000000000000000000"

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Requests and 304s of one poll, after a first one filled the caches. */
static void
measure_poll (DrEngine     *engine,
              DrFakeGithub *fake,
              guint        *out_requests,
              guint        *out_not_modified)
{
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GPtrArray *requests;

      dr_fake_github_clear_requests (fake);
      dr_engine_refresh_jobs_async (engine, "web", NULL, store_cb, &result);
      wait_for (&result);
      dr_engine_refresh_jobs_finish (engine, result, NULL);
      requests = dr_fake_github_get_requests (fake);
      *out_requests = requests->len;
      *out_not_modified = 0;
      for (guint i = 0; i < requests->len; i++)
        if (((DrFakeGithubRequest *) g_ptr_array_index (requests, i))->status == 304)
          (*out_not_modified)++;
    }
}

static double
simulate (DrPollActivity activity,
          guint          requests_per_poll,
          guint         *out_worst_minute)
{
  g_autoptr(DrPollSchedule) schedule = dr_poll_schedule_new ();
  const gint64 start = (gint64) 1800000000 * G_USEC_PER_SEC;
  const gint64 span = 600 * G_USEC_PER_SEC;
  gint64 now = start;
  guint total = 0;
  guint worst = 0;

  dr_poll_schedule_set_activity (schedule, activity);
  while (TRUE)
    {
      now = dr_poll_schedule_next_poll (schedule, now);
      if (now >= start + span)
        break;
      dr_poll_schedule_record_poll (schedule, now);
      for (guint i = 0; i < requests_per_poll; i++)
        dr_poll_schedule_record_request (schedule, now);
      total += requests_per_poll;
      worst = MAX (worst, dr_poll_schedule_requests_in_last_minute (schedule, now));
    }
  *out_worst_minute = worst;
  return total / 10.0;
}

static const char *idle_runs =
  "{\"total_count\": 1, \"workflow_runs\": [{\"id\": 10, \"status\": \"completed\","
  " \"conclusion\": \"success\", \"updated_at\": \"2026-12-04T09:00:00Z\"}]}";
static const char *active_runs =
  "{\"total_count\": 2, \"workflow_runs\": [{\"id\": 20, \"status\": \"in_progress\","
  " \"updated_at\": \"2026-12-04T10:00:00Z\"}, {\"id\": 10, \"status\": \"completed\","
  " \"conclusion\": \"success\", \"updated_at\": \"2026-12-04T09:00:00Z\"}]}";

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  DrFakeGithub *fake;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(DrRunner) runner = NULL;
  g_autofree char *home = g_dir_make_tmp ("dr-bench-github-XXXXXX", NULL);
  struct { const char *state; DrPollActivity activity; const char *runs; } rows[] = {
    { "idle (nothing queued or running)", DR_POLL_ACTIVITY_IDLE, idle_runs },
    { "a job queued or running", DR_POLL_ACTIVITY_JOBS, active_runs },
    { "following a dispatched run", DR_POLL_ACTIVITY_FOLLOWING, active_runs },
  };

  /* Throwaway directories and a private keyring: nothing of the user's is touched. */
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  keyring = dr_test_keyring_start ();

  fake = dr_fake_github_new ();
  dr_fake_github_add_pat (fake, TOKEN, "repo");
  g_setenv (DR_GITHUB_API_URL_ENV, dr_fake_github_get_url (fake), TRUE);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs/10/jobs", 200,
                           "{\"total_count\": 1, \"jobs\": [{\"id\": 101, \"run_id\": 10,"
                           " \"status\": \"completed\", \"labels\": [\"web\"]}]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs/20/jobs", 200,
                           "{\"total_count\": 1, \"jobs\": [{\"id\": 201, \"run_id\": 20,"
                           " \"status\": \"in_progress\", \"labels\": [\"web\"]}]}");

  engine = dr_engine_new (NULL, NULL);
  dr_engine_load (engine);
  spec->name = g_strdup ("web");
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  dr_engine_add_runner_async (engine, spec, credential, NULL, store_cb, &added);
  wait_for (&added);
  runner = dr_engine_add_runner_finish (engine, added, NULL);
  if (runner == NULL)
    {
      g_printerr ("dr-bench-github: the runner could not be added (no keyring?)\n");
      return 1;
    }

  printf ("GitHub requests per repository (one poll measured against the fake GitHub,\n"
          "the engine's schedule over 10 simulated minutes; 304s are free against the\n"
          "rate limit). Budget at idle: %d requests a minute.\n\n",
          DR_POLL_IDLE_MAX_PER_MINUTE);
  printf ("%-34s %9s %9s %11s %12s\n", "state", "req/poll", "304/poll", "req/min", "worst 60 s");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint requests = 0, not_modified = 0, worst = 0;
      double per_minute;

      dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200, rows[i].runs);
      measure_poll (engine, fake, &requests, &not_modified);
      per_minute = simulate (rows[i].activity, requests, &worst);
      printf ("%-34s %9u %9u %11.1f %12u\n", rows[i].state, requests, not_modified, per_minute,
              worst);
    }

  g_clear_object (&runner);
  g_clear_object (&engine);
  dr_fake_github_free (fake);
  dr_test_keyring_stop (keyring);
  return 0;
}
