/* dr-bench-github-live.c — how often deskrun asks GitHub, at idle and while following a run
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by dr-bench. The engine as the window runs it (jobs polling on) for three runners on
 * three repositories, against the project's strict GitHub fake (tests/dr-fake-github.c), with
 * a real gnome-keyring-daemon holding the token on a private bus. It counts what reaches the
 * fake: every request, and the 304s (free on GitHub's rate limit) apart. First the idle
 * minute and a half (completed runs only), then a dispatched run followed for a minute.
 * Prints "key value" lines for dr-bench.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "dr-engine-private.h"
#include "dr-fake-github.h"
#include "dr-github-client.h"
#include "dr-test-utils.h"

#define TOKEN       "ghp_benchTOKENnever0in0any0output00000000"
#define N_REPOS     3

static int idle_s = 90;
static int follow_s = 60;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
spin (double seconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
set_repo (DrFakeGithub *fake,
          guint         n,
          const char   *run_status)
{
  g_autofree char *runs_path = g_strdup_printf ("/repos/octo/repo-%u/actions/runs", n);
  g_autofree char *jobs_path = g_strdup_printf ("/repos/octo/repo-%u/actions/runs/%u/jobs",
                                                n, 100 + n);
  g_autofree char *runs = g_strdup_printf (
    "{\"total_count\": 1, \"workflow_runs\": [{\"id\": %u, \"run_number\": 7, \"name\": \"CI\","
    " \"status\": \"%s\", \"event\": \"push\", \"head_branch\": \"main\","
    " \"updated_at\": \"2026-12-04T10:00:00Z\"}]}", 100 + n, run_status);
  g_autofree char *jobs = g_strdup_printf (
    "{\"total_count\": 1, \"jobs\": [{\"id\": %u, \"run_id\": %u, \"name\": \"build\","
    " \"status\": \"%s\", \"labels\": [\"bench-%u\"]}]}", 1000 + n, 100 + n, run_status, n);

  dr_fake_github_set_json (fake, "GET", runs_path, 200, runs);
  dr_fake_github_set_json (fake, "GET", jobs_path, 200, jobs);
}

/* Requests that reached the fake since @from (monotonic µs), and how many of them were 304. */
static void
count_since (DrFakeGithub *fake,
             gint64        from,
             guint        *out_all,
             guint        *out_not_modified)
{
  GPtrArray *requests = dr_fake_github_get_requests (fake);

  *out_all = *out_not_modified = 0;
  for (guint i = 0; i < requests->len; i++)
    {
      const DrFakeGithubRequest *request = g_ptr_array_index (requests, i);

      if (request->time_us < from)
        continue;
      (*out_all)++;
      if (request->status == 304)
        (*out_not_modified)++;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— GitHub requests per minute");
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("deskrun-bench-github-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autoptr(DrFakeGithub) fake = NULL;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrOperation) dispatch = NULL;
  DrTestKeyring *keyring;
  guint all, not_modified;
  gint64 from;
  const GOptionEntry entries[] = {
    { "idle-seconds", 0, 0, G_OPTION_ARG_INT, &idle_s, "How long to watch idle", "S" },
    { "follow-seconds", 0, 0, G_OPTION_ARG_INT, &follow_s, "How long to follow a run", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dr-bench-github: %s\n", error->message);
      return 2;
    }

  /* Before GLib first reads them: this process's own configuration and caches. */
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  keyring = dr_test_keyring_start ();

  fake = dr_fake_github_new ();
  dr_fake_github_add_pat (fake, TOKEN, "repo, workflow");
  g_setenv (DR_GITHUB_API_URL_ENV, dr_fake_github_get_url (fake), TRUE);
  for (guint n = 1; n <= N_REPOS; n++)
    set_repo (fake, n, "completed");

  engine = dr_engine_new (NULL, NULL);
  dr_engine_load (engine);
  for (guint n = 1; n <= N_REPOS; n++)
    {
      g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
      g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(DrRunner) runner = NULL;

      spec->name = g_strdup_printf ("bench-%u", n);
      spec->repository_url = g_strdup_printf ("https://github.com/octo/repo-%u", n);
      dr_engine_add_runner_async (engine, spec, credential, NULL, store_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      runner = dr_engine_add_runner_finish (engine, result, &error);
      if (runner == NULL)
        g_error ("dr-bench-github: %s", error->message);
    }

  /* Idle: the first reads fill the caches; the minute and a half after them is the rate. */
  dr_engine_set_jobs_polling (engine, TRUE);
  spin (5);
  from = g_get_monotonic_time ();
  spin (idle_s);
  count_since (fake, from, &all, &not_modified);
  printf ("idle-per-minute-per-repo %.2f\n", all * 60.0 / idle_s / N_REPOS);
  printf ("idle-304-per-minute-per-repo %.2f\n", not_modified * 60.0 / idle_s / N_REPOS);

  /* Following: a run dispatched on the first repository that stays in progress. */
  dr_fake_github_set_json (fake, "GET", "/repos/octo/repo-1/actions/workflows", 200,
                           "{\"total_count\": 1, \"workflows\": [{\"id\": 3, \"name\": \"CI\","
                           " \"path\": \".github/workflows/ci.yml\", \"state\": \"active\"}]}");
  dr_fake_github_set_dispatch_mode (fake, DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS, 101);
  set_repo (fake, 1, "in_progress");
  dispatch = dr_engine_dispatch (engine, "bench-1", NULL, "ci.yml", "main", NULL);
  while (!dr_operation_is_finished (dispatch))
    g_main_context_iteration (NULL, TRUE);
  if (dr_operation_get_error (dispatch) != NULL)
    g_error ("dr-bench-github: %s", dr_operation_get_error (dispatch)->message);
  from = g_get_monotonic_time ();
  spin (follow_s);
  count_since (fake, from, &all, &not_modified);
  {
    g_autofree char *prefix = g_strdup ("/repos/octo/repo-1/");
    GPtrArray *requests = dr_fake_github_get_requests (fake);
    guint followed = 0, followed_304 = 0;

    for (guint i = 0; i < requests->len; i++)
      {
        const DrFakeGithubRequest *request = g_ptr_array_index (requests, i);

        if (request->time_us >= from && g_str_has_prefix (request->path, prefix))
          {
            followed++;
            followed_304 += request->status == 304;
          }
      }
    printf ("follow-per-minute %.2f\n", followed * 60.0 / follow_s);
    printf ("follow-304-per-minute %.2f\n", followed_304 * 60.0 / follow_s);
    printf ("others-per-minute-per-repo %.2f\n",
            (all - followed) * 60.0 / follow_s / (N_REPOS - 1));
  }

  g_clear_object (&engine);
  dr_test_keyring_stop (keyring);
  return EXIT_SUCCESS;
}
