/* test-job.c — DrJob from GitHub's JSON, and the join with this runner's scale sets and pods
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-job-feed-private.h"
#include "dr-job-private.h"
#include "dr-test-utils.h"

typedef struct
{
  const char     *what;
  DrJobStatus     status;
  const char     *labels;       /* comma-separated */
  const char     *runner_name;
  DrJobPlacement  placement;
  const char     *pod;
  const char     *scale_set;
} JoinCase;

static void
run_join_cases (const DrJobJoinContext *context,
                const JoinCase         *cases,
                gsize                   n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const JoinCase *c = &cases[i];
      g_auto(GStrv) labels = *c->labels ? g_strsplit (c->labels, ",", -1) : g_new0 (char *, 1);
      g_autofree char *pod = NULL;
      g_autofree char *scale_set = NULL;
      DrJobPlacement placement;

      placement = dr_job_join (context, c->status, (const char * const *) labels,
                               c->runner_name, &pod, &scale_set);
      g_test_message ("%s", c->what);
      g_assert_cmpstr (dr_job_placement_to_string (placement), ==,
                       dr_job_placement_to_string (c->placement));
      g_assert_cmpstr (pod, ==, c->pod);
      g_assert_cmpstr (scale_set, ==, c->scale_set);
    }
}

static void
test_join_single (void)
{
  const char *scale_sets[] = { "web", NULL };
  const char *ephemeral[] = { "web-x7k2p-runner-abcde", NULL };
  DrJobJoinContext context = { scale_sets, NULL, ephemeral };
  const JoinCase cases[] = {
    { "runs-on: web, queued", DR_JOB_STATUS_QUEUED, "web", NULL,
      DR_JOB_PLACEMENT_WAITING_HERE, NULL, "web" },
    { "labels compare case-insensitively", DR_JOB_STATUS_QUEUED, "WeB", NULL,
      DR_JOB_PLACEMENT_WAITING_HERE, NULL, "web" },
    { "[self-hosted] never reaches a scale set (FACTS §5)", DR_JOB_STATUS_QUEUED,
      "self-hosted", NULL, DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "[self-hosted, web]: self-hosted is not one of its labels", DR_JOB_STATUS_QUEUED,
      "self-hosted,web", NULL, DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "ubuntu-latest is GitHub's", DR_JOB_STATUS_QUEUED, "ubuntu-latest", NULL,
      DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "a job without labels is nobody's here", DR_JOB_STATUS_QUEUED, "", NULL,
      DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "a prefix is not a name", DR_JOB_STATUS_QUEUED, "we", NULL,
      DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "waiting for an approval, for us", DR_JOB_STATUS_WAITING, "web", NULL,
      DR_JOB_PLACEMENT_WAITING_HERE, NULL, "web" },
    { "running on our pod", DR_JOB_STATUS_IN_PROGRESS, "web", "web-x7k2p-runner-abcde",
      DR_JOB_PLACEMENT_RUNNING_HERE, "web-x7k2p-runner-abcde", "web" },
    { "running on a pod of ours not seen yet (the shape ARC names them)",
      DR_JOB_STATUS_IN_PROGRESS, "web", "web-x7k2p-runner-zzzzz",
      DR_JOB_PLACEMENT_RUNNING_HERE, "web-x7k2p-runner-zzzzz", "web" },
    { "running elsewhere although it asked for us (another machine, same name)",
      DR_JOB_STATUS_IN_PROGRESS, "web", "laptop-2",
      DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "in progress, no runner name yet", DR_JOB_STATUS_IN_PROGRESS, "web", NULL,
      DR_JOB_PLACEMENT_WAITING_HERE, NULL, "web" },
    { "another runner called web-app is not ours", DR_JOB_STATUS_IN_PROGRESS, "web-app",
      "web-app-q9z8x-runner-abcde", DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "completed on our pod, gone since", DR_JOB_STATUS_COMPLETED, "web",
      "web-x7k2p-runner-qqqqq", DR_JOB_PLACEMENT_RAN_HERE, "web-x7k2p-runner-qqqqq", "web" },
    { "completed on a GitHub-hosted runner", DR_JOB_STATUS_COMPLETED, "ubuntu-latest",
      "GitHub Actions 2", DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "completed without ever getting a runner (cancelled while queued)",
      DR_JOB_STATUS_COMPLETED, "web", NULL, DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "a runner name that only starts like ours", DR_JOB_STATUS_COMPLETED, "web",
      "web-x7k2p-runner-", DR_JOB_PLACEMENT_OTHER, NULL, NULL },
  };

  run_join_cases (&context, cases, G_N_ELEMENTS (cases));
}

static void
test_join_instances (void)
{
  const char *scale_sets[] = { "ci-1", "ci-2", "ci-3", NULL };
  const char *extra[] = { "gpu", "Linux", NULL };
  const char *ephemeral[] = { "ci-2-k2k2k-runner-aaaaa", NULL };
  DrJobJoinContext context = { scale_sets, extra, ephemeral };
  const JoinCase cases[] = {
    { "each instance answers to its own name", DR_JOB_STATUS_QUEUED, "ci-2", NULL,
      DR_JOB_PLACEMENT_WAITING_HERE, NULL, "ci-2" },
    { "the runner's own name is no scale set when it has instances", DR_JOB_STATUS_QUEUED,
      "ci", NULL, DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "extra labels reach every instance (the first one is named)", DR_JOB_STATUS_QUEUED,
      "gpu", NULL, DR_JOB_PLACEMENT_WAITING_HERE, NULL, "ci-1" },
    { "name plus extra labels, any case", DR_JOB_STATUS_QUEUED, "linux,CI-3,gpu", NULL,
      DR_JOB_PLACEMENT_WAITING_HERE, NULL, "ci-3" },
    { "one label no scale set has", DR_JOB_STATUS_QUEUED, "ci-3,arm64", NULL,
      DR_JOB_PLACEMENT_OTHER, NULL, NULL },
    { "running on instance 2", DR_JOB_STATUS_IN_PROGRESS, "ci-2", "ci-2-k2k2k-runner-aaaaa",
      DR_JOB_PLACEMENT_RUNNING_HERE, "ci-2-k2k2k-runner-aaaaa", "ci-2" },
    { "ran on instance 3", DR_JOB_STATUS_COMPLETED, "ci-3", "ci-3-b4b4b-runner-ccccc",
      DR_JOB_PLACEMENT_RAN_HERE, "ci-3-b4b4b-runner-ccccc", "ci-3" },
  };

  run_join_cases (&context, cases, G_N_ELEMENTS (cases));
}

/* Scale sets whose names are prefixes of each other: the runner name picks the right one. */
static void
test_join_prefix_names (void)
{
  const char *scale_sets[] = { "web", "web-1", NULL };
  DrJobJoinContext context = { scale_sets, NULL, NULL };
  const JoinCase cases[] = {
    { "web-1's runner", DR_JOB_STATUS_IN_PROGRESS, "web-1", "web-1-abcde-runner-fghij",
      DR_JOB_PLACEMENT_RUNNING_HERE, "web-1-abcde-runner-fghij", "web-1" },
    { "web's runner", DR_JOB_STATUS_IN_PROGRESS, "web", "web-abcde-runner-fghij",
      DR_JOB_PLACEMENT_RUNNING_HERE, "web-abcde-runner-fghij", "web" },
  };

  run_join_cases (&context, cases, G_N_ELEMENTS (cases));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *job_json =
  "{\"id\": 399444496, \"run_id\": 29679449, \"run_attempt\": 1, \"name\": \"build\","
  " \"workflow_name\": \"CI\", \"head_branch\": \"main\", \"status\": \"in_progress\","
  " \"conclusion\": null, \"created_at\": \"2026-12-04T10:00:00Z\","
  " \"started_at\": \"2026-12-04T10:00:05Z\", \"completed_at\": null,"
  " \"labels\": [\"web\"], \"runner_id\": 7, \"runner_name\": \"web-x7k2p-runner-abcde\","
  " \"html_url\": \"https://github.com/octo/hello/actions/runs/29679449/job/399444496\","
  " \"steps\": [{\"name\": \"Set up job\", \"status\": \"completed\", \"conclusion\": \"success\","
  "   \"number\": 1, \"started_at\": \"2026-12-04T10:00:05Z\","
  "   \"completed_at\": \"2026-12-04T10:00:07Z\"},"
  "  {\"name\": \"Run make\", \"status\": \"in_progress\", \"conclusion\": null, \"number\": 2,"
  "   \"started_at\": \"2026-12-04T10:00:07Z\", \"completed_at\": null}]}";

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GPtrArray  *names)
{
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static gboolean
has_name (GPtrArray  *names,
          const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

static void
test_from_json (void)
{
  g_autoptr(JsonObject) job = parse_object (job_json);
  g_autoptr(JsonObject) run = parse_object ("{\"id\": 29679449, \"run_number\": 42}");
  g_autoptr(DrJob) self = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-04T10:00:37Z", NULL);
  g_autofree char *label = NULL;
  const DrJobStep *step;

  g_assert_cmpint (_dr_job_id_from_json (job), ==, 399444496);
  self = _dr_job_new (399444496);
  _dr_job_update_from_json (self, job, run, "octo/hello");
  g_assert_cmpint (dr_job_get_id (self), ==, 399444496);
  g_assert_cmpint (dr_job_get_run_id (self), ==, 29679449);
  g_assert_cmpint (dr_job_get_run_number (self), ==, 42);
  g_assert_cmpint (dr_job_get_run_attempt (self), ==, 1);
  g_assert_cmpstr (dr_job_get_name (self), ==, "build");
  g_assert_cmpstr (dr_job_get_workflow_name (self), ==, "CI");
  g_assert_cmpstr (dr_job_get_repository (self), ==, "octo/hello");
  g_assert_cmpstr (dr_job_get_branch (self), ==, "main");
  g_assert_cmpstrv (dr_job_get_labels (self), ((const char *[]) { "web", NULL }));
  g_assert_cmpint (dr_job_get_status (self), ==, DR_JOB_STATUS_IN_PROGRESS);
  g_assert_true (dr_job_is_active (self));
  g_assert_null (dr_job_get_conclusion (self));
  g_assert_cmpstr (dr_job_get_runner_name (self), ==, "web-x7k2p-runner-abcde");
  g_assert_nonnull (dr_job_get_started_at (self));
  g_assert_null (dr_job_get_completed_at (self));
  g_assert_cmpuint (dr_job_get_steps (self)->len, ==, 2);
  step = g_ptr_array_index (dr_job_get_steps (self), 0);
  g_assert_cmpstr (step->name, ==, "Set up job");
  g_assert_cmpstr (step->conclusion, ==, "success");
  g_assert_cmpint (dr_job_step_get_duration (step, now), ==, 2);
  step = g_ptr_array_index (dr_job_get_steps (self), 1);
  g_assert_cmpint (step->status, ==, DR_JOB_STATUS_IN_PROGRESS);
  g_assert_cmpint (dr_job_step_get_duration (step, now), ==, 30);
  g_assert_cmpint (dr_job_step_get_duration (step, NULL), ==, -1);

  _dr_job_set_placement (self, DR_JOB_PLACEMENT_RUNNING_HERE, "web-x7k2p-runner-abcde", "web");
  label = dr_job_dup_state_label (self);
  g_assert_cmpstr (label, ==, "Running here on web-x7k2p-runner-abcde");

  /* The same reply again changes nothing and notifies nothing: rows do not flicker. */
  g_signal_connect (self, "notify", G_CALLBACK (count_notify_cb), names);
  _dr_job_update_from_json (self, job, run, "octo/hello");
  _dr_job_set_placement (self, DR_JOB_PLACEMENT_RUNNING_HERE, "web-x7k2p-runner-abcde", "web");
  g_assert_cmpuint (names->len, ==, 0);

  /* It completes: only what changed is notified. */
  json_object_set_string_member (job, "status", "completed");
  json_object_set_string_member (job, "conclusion", "failure");
  json_object_set_string_member (job, "completed_at", "2026-12-04T10:01:00Z");
  _dr_job_update_from_json (self, job, run, "octo/hello");
  g_assert_true (has_name (names, "status"));
  g_assert_true (has_name (names, "conclusion"));
  g_assert_true (has_name (names, "completed-at"));
  g_assert_false (has_name (names, "name"));
  g_assert_false (has_name (names, "steps"));
  g_assert_false (has_name (names, "labels"));
  g_assert_false (dr_job_is_active (self));
  _dr_job_set_placement (self, DR_JOB_PLACEMENT_RAN_HERE, "web-x7k2p-runner-abcde", "web");
  g_clear_pointer (&label, g_free);
  label = dr_job_dup_state_label (self);
  g_assert_cmpstr (label, ==, "Failed on web-x7k2p-runner-abcde");
}

/* Whatever GitHub (or a proxy) sends, nothing asserts and nothing is made up. */
static void
test_from_bad_json (void)
{
  const char *bad[] = {
    "{}",
    "{\"id\": \"12\"}",
    "{\"id\": -4, \"status\": 7}",
    "{\"id\": 5, \"status\": \"exploded\", \"labels\": \"web\", \"steps\": {\"a\": 1}}",
    "{\"id\": 5, \"labels\": [1, null, \"web\", {}], \"steps\": [null, 3, {\"number\": \"x\"}],"
    " \"started_at\": \"yesterday\", \"run_id\": -1, \"name\": 12}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) job = parse_object (bad[i]);
      g_autoptr(DrJob) self = _dr_job_new (1);
      g_autofree char *label = NULL;

      g_test_message ("%s", bad[i]);
      if (i < 3)
        g_assert_cmpint (_dr_job_id_from_json (job), ==, 0);
      _dr_job_update_from_json (self, job, NULL, "octo/hello");
      g_assert_cmpint (dr_job_get_status (self), ==, DR_JOB_STATUS_QUEUED);
      g_assert_cmpint (dr_job_get_run_id (self), >=, 0);
      g_assert_null (dr_job_get_started_at (self));
      label = dr_job_dup_state_label (self);
      g_assert_nonnull (label);
      if (i == 4)
        {
          g_assert_cmpstrv (dr_job_get_labels (self), ((const char *[]) { "web", NULL }));
          g_assert_cmpuint (dr_job_get_steps (self)->len, ==, 1);
          g_assert_null (dr_job_get_name (self));
        }
    }
}

static void
test_status_strings (void)
{
  DrJobStatus status;

  for (DrJobStatus s = DR_JOB_STATUS_QUEUED; s <= DR_JOB_STATUS_PENDING; s++)
    {
      g_assert_true (dr_job_status_from_string (dr_job_status_to_string (s), &status));
      g_assert_cmpint (status, ==, s);
    }
  g_assert_false (dr_job_status_from_string ("done", &status));
  g_assert_false (dr_job_status_from_string (NULL, &status));
  g_assert_cmpstr (dr_job_placement_to_string (DR_JOB_PLACEMENT_RUNNING_HERE), ==,
                   "running-here");
  g_assert_cmpstr (dr_job_placement_to_string (DR_JOB_PLACEMENT_WAITING_HERE), ==,
                   "waiting-here");
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static GPtrArray *
runs_of (const char *run,
         const char *jobs)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_run_jobs_free);
  g_autoptr(JsonObject) run_object = parse_object (run);
  g_autoptr(JsonArray) job_array = jobs != NULL ? parse_array (jobs) : NULL;

  g_ptr_array_add (runs, dr_run_jobs_new (run_object, job_array));
  return runs;
}

static DrJob *
job_at (DrJobFeed *feed,
        guint      position)
{
  g_autoptr(DrJob) job = g_list_model_get_item (dr_job_feed_get_jobs (feed), position);

  return job;  /* the store holds it */
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

static void
test_feed (void)
{
  g_autoptr(DrJobFeed) feed = _dr_job_feed_new ();
  const char *repos[] = { "octo/hello", "octo/other", NULL };
  const char *scale_sets[] = { "web", NULL };
  const char *ephemeral[] = { "web-x7k2p-runner-abcde", NULL };
  DrJobJoinContext context = { scale_sets, NULL, ephemeral };
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) followed = NULL;
  g_autofree char *label = NULL;
  DrJob *build;
  guint changes = 0;

  _dr_job_feed_set_repositories (feed, repos);
  g_signal_connect (dr_job_feed_get_jobs (feed), "items-changed",
                    G_CALLBACK (count_items_changed_cb), &changes);

  /* An old completed run and a new one with a queued job and a job running here. */
  runs = runs_of ("{\"id\": 10, \"run_number\": 1, \"status\": \"completed\"}",
                  "[{\"id\": 100, \"run_id\": 10, \"name\": \"old\", \"status\": \"completed\","
                  "  \"conclusion\": \"success\", \"labels\": [\"web\"],"
                  "  \"runner_name\": \"web-aaaaa-runner-bbbbb\"}]");
  g_ptr_array_extend_and_steal (runs,
    runs_of ("{\"id\": 20, \"run_number\": 2, \"status\": \"in_progress\"}",
             "[{\"id\": 201, \"run_id\": 20, \"name\": \"build\", \"status\": \"in_progress\","
             "  \"labels\": [\"web\"], \"runner_name\": \"web-x7k2p-runner-abcde\"},"
             " {\"id\": 202, \"run_id\": 20, \"name\": \"test\", \"status\": \"queued\","
             "  \"labels\": [\"web\"]},"
             " {\"id\": 202, \"run_id\": 20, \"name\": \"test\", \"status\": \"queued\"},"
             " {\"name\": \"no id\"},"
             " {\"id\": 203, \"run_id\": 20, \"name\": \"lint\", \"status\": \"queued\","
             "  \"labels\": [\"ubuntu-latest\"]}]"));
  _dr_job_feed_update_repository (feed, "octo/hello", runs);
  _dr_job_feed_join (feed, &context);
  g_assert_cmpuint (g_list_model_get_n_items (dr_job_feed_get_jobs (feed)), ==, 4);
  /* Active first (the run's jobs in order), then completed. */
  g_assert_cmpint (dr_job_get_id (job_at (feed, 0)), ==, 201);
  g_assert_cmpint (dr_job_get_id (job_at (feed, 1)), ==, 202);
  g_assert_cmpint (dr_job_get_id (job_at (feed, 2)), ==, 203);
  g_assert_cmpint (dr_job_get_id (job_at (feed, 3)), ==, 100);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 0)), ==, DR_JOB_PLACEMENT_RUNNING_HERE);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 1)), ==, DR_JOB_PLACEMENT_WAITING_HERE);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 2)), ==, DR_JOB_PLACEMENT_OTHER);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 3)), ==, DR_JOB_PLACEMENT_RAN_HERE);
  g_assert_cmpint (dr_job_get_run_number (job_at (feed, 0)), ==, 2);
  g_assert_true (_dr_job_feed_has_active (feed, "octo/hello"));
  g_assert_false (_dr_job_feed_has_active (feed, "octo/other"));
  build = job_at (feed, 0);

  /* The same reply again: no change to the model. */
  changes = 0;
  _dr_job_feed_update_repository (feed, "octo/hello", runs);
  g_assert_cmpuint (changes, ==, 0);

  /* Follow run 20; its jobs finish; a run not read this time keeps its jobs. */
  _dr_job_feed_follow (feed, "octo/hello", 20, "CI");
  _dr_job_feed_join (feed, &context);
  label = dr_job_feed_dup_followed_label (feed);
  g_assert_cmpstr (label, ==, "Queued, starting on web-x7k2p-runner-abcde");
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = runs_of ("{\"id\": 10, \"run_number\": 1, \"status\": \"completed\"}", NULL);
  g_ptr_array_extend_and_steal (runs,
    runs_of ("{\"id\": 20, \"run_number\": 2, \"status\": \"completed\"}",
             "[{\"id\": 201, \"run_id\": 20, \"name\": \"build\", \"status\": \"completed\","
             "  \"conclusion\": \"failure\", \"labels\": [\"web\"],"
             "  \"runner_name\": \"web-x7k2p-runner-abcde\"}]"));
  _dr_job_feed_update_repository (feed, "octo/hello", runs);
  _dr_job_feed_update_followed (feed, ((DrRunJobs *) runs->pdata[1])->run);
  _dr_job_feed_join (feed, &context);
  g_assert_cmpuint (g_list_model_get_n_items (dr_job_feed_get_jobs (feed)), ==, 2);
  /* The same object, updated in place: a bound row stays. */
  g_assert_true (job_at (feed, 0) == build);
  g_assert_cmpint (dr_job_get_placement (build), ==, DR_JOB_PLACEMENT_RAN_HERE);
  g_assert_cmpint (dr_job_get_id (job_at (feed, 1)), ==, 100);
  g_assert_false (_dr_job_feed_has_active (feed, NULL));
  g_assert_false (_dr_job_feed_is_following (feed));
  g_clear_pointer (&label, g_free);
  label = dr_job_feed_dup_followed_label (feed);
  g_assert_cmpstr (label, ==, "Completed (unknown)");
  followed = dr_job_feed_dup_followed_jobs (feed);
  g_assert_cmpuint (followed->len, ==, 1);

  /* A repository no longer configured takes its jobs along. */
  _dr_job_feed_set_repositories (feed, (const char *[]) { "octo/other", NULL });
  g_assert_cmpuint (g_list_model_get_n_items (dr_job_feed_get_jobs (feed)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/job/join/single", test_join_single);
  g_test_add_func ("/deskrun/job/join/instances", test_join_instances);
  g_test_add_func ("/deskrun/job/join/prefix-names", test_join_prefix_names);
  g_test_add_func ("/deskrun/job/from-json", test_from_json);
  g_test_add_func ("/deskrun/job/from-bad-json", test_from_bad_json);
  g_test_add_func ("/deskrun/job/status-strings", test_status_strings);
  g_test_add_func ("/deskrun/job/feed", test_feed);

  return g_test_run ();
}
