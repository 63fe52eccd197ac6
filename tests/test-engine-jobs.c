/* test-engine-jobs.c — the engine's GitHub verbs against the strict fake: jobs, dispatch
 * (200 and 204), follow, cancel, job logs, and no token anywhere
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-engine-private.h"
#include "dr-error.h"
#include "dr-fake-github.h"
#include "dr-github-client.h"
#include "dr-test-utils.h"

#define TOKEN "ghp_sentinelTOKENnever0in0any0file000000"

typedef struct
{
  DrFakeGithub *fake;
  DrEngine     *engine;
  DrRunner     *runner;
} Fixture;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
iso_now (int offset_s)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, offset_s);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static void
set_runs (Fixture    *f,
          const char *runs)
{
  g_autofree char *json = g_strdup_printf ("{\"total_count\": 1, \"workflow_runs\": [%s]}",
                                           runs);

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/runs", 200, json);
  /* A 204 dispatch looks among that workflow's runs. */
  dr_fake_github_set_json (f->fake, "GET",
                           "/repos/octo/hello/actions/workflows/release.yml/runs", 200, json);
}

static void
set_jobs (Fixture    *f,
          gint64      run_id,
          const char *jobs)
{
  g_autofree char *path = g_strdup_printf ("/repos/octo/hello/actions/runs/%" G_GINT64_FORMAT
                                           "/jobs", run_id);
  g_autofree char *json = g_strdup_printf ("{\"total_count\": 1, \"jobs\": [%s]}", jobs);

  dr_fake_github_set_json (f->fake, "GET", path, 200, json);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->fake = dr_fake_github_new ();
  dr_fake_github_add_pat (f->fake, TOKEN, "repo, workflow");
  g_setenv (DR_GITHUB_API_URL_ENV, dr_fake_github_get_url (f->fake), TRUE);

  f->engine = dr_engine_new (NULL, NULL);
  dr_engine_load (f->engine);
  spec->name = g_strdup ("web");
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  dr_engine_add_runner_async (f->engine, spec, credential, NULL, store_result_cb, &result);
  f->runner = dr_engine_add_runner_finish (f->engine, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->runner);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* The secret never reaches a file: the config, the ETag cache, the job-log cache. */
  dr_test_assert_no_file_contains (g_get_user_config_dir (), TOKEN);
  dr_test_assert_no_file_contains (g_get_user_cache_dir (), TOKEN);
  g_clear_object (&f->runner);
  g_clear_object (&f->engine);
  dr_fake_github_free (f->fake);
  g_unsetenv (DR_GITHUB_API_URL_ENV);
}

static void
refresh (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dr_engine_refresh_jobs_async (f->engine, "web", NULL, store_result_cb, &result);
  g_assert_true (dr_engine_refresh_jobs_finish (f->engine, wait_result (&result), &error));
  g_assert_no_error (error);
}

static DrJob *
job_at (DrJobFeed *feed,
        guint      position)
{
  g_autoptr(DrJob) job = g_list_model_get_item (dr_job_feed_get_jobs (feed), position);

  return job;  /* the model holds it */
}

static guint count_exact (DrFakeGithub *fake,
                          const char   *path);

static void
test_jobs (Fixture       *f,
           gconstpointer  data)
{
  DrJobFeed *feed = dr_runner_get_job_feed (f->runner);
  g_autofree char *rate = NULL;
  guint runs_requests, jobs_requests;

  set_runs (f,
            "{\"id\": 20, \"run_number\": 7, \"name\": \"CI\", \"status\": \"in_progress\","
            " \"event\": \"push\", \"head_branch\": \"main\", \"updated_at\": \"2026-12-04T10:00:00Z\"},"
            "{\"id\": 10, \"run_number\": 6, \"name\": \"CI\", \"status\": \"completed\","
            " \"conclusion\": \"success\", \"updated_at\": \"2026-12-04T09:00:00Z\"}");
  set_jobs (f, 20,
            "{\"id\": 201, \"run_id\": 20, \"name\": \"build\", \"status\": \"in_progress\","
            " \"labels\": [\"web\"], \"runner_name\": \"web-x7k2p-runner-abcde\","
            " \"html_url\": \"https://github.com/octo/hello/actions/runs/20/job/201\"},"
            "{\"id\": 202, \"run_id\": 20, \"name\": \"test\", \"status\": \"queued\","
            " \"labels\": [\"web\"]},"
            "{\"id\": 203, \"run_id\": 20, \"name\": \"lint\", \"status\": \"queued\","
            " \"labels\": [\"ubuntu-latest\"]}");
  set_jobs (f, 10,
            "{\"id\": 101, \"run_id\": 10, \"name\": \"build\", \"status\": \"completed\","
            " \"conclusion\": \"success\", \"labels\": [\"web\"],"
            " \"runner_name\": \"web-x7k2p-runner-qqqqq\"}");

  g_assert_false (dr_job_feed_get_synced (feed));
  refresh (f);
  g_assert_true (dr_job_feed_get_synced (feed));
  g_assert_null (dr_job_feed_get_error (feed));
  g_assert_cmpuint (g_list_model_get_n_items (dr_job_feed_get_jobs (feed)), ==, 4);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 0)), ==, DR_JOB_PLACEMENT_RUNNING_HERE);
  g_assert_cmpstr (dr_job_get_pod (job_at (feed, 0)), ==, "web-x7k2p-runner-abcde");
  g_assert_cmpint (dr_job_get_run_number (job_at (feed, 0)), ==, 7);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 1)), ==, DR_JOB_PLACEMENT_WAITING_HERE);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 2)), ==, DR_JOB_PLACEMENT_OTHER);
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 3)), ==, DR_JOB_PLACEMENT_RAN_HERE);
  /* The rate limit GitHub announced is visible. */
  rate = dr_job_feed_dup_rate_limit_text (feed);
  g_assert_nonnull (rate);
  g_assert_cmpint (dr_job_feed_get_rate_limit_limit (feed), ==, 5000);

  /* Again: the runs list is conditional (304), the completed run's jobs are not read again,
   * the active run's jobs are (conditionally). */
  runs_requests = count_exact (f->fake, "/repos/octo/hello/actions/runs");
  g_assert_cmpuint (runs_requests, ==, 1);
  jobs_requests = dr_fake_github_count (f->fake, "GET", "/repos/octo/hello/actions/runs/10/jobs");
  g_assert_cmpuint (jobs_requests, ==, 1);
  refresh (f);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET",
                                          "/repos/octo/hello/actions/runs/10/jobs"), ==, 1);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET",
                                          "/repos/octo/hello/actions/runs/20/jobs"), ==, 2);
  g_assert_cmpuint (count_exact (f->fake, "/repos/octo/hello/actions/runs"), ==, 2);
  {
    GPtrArray *requests = dr_fake_github_get_requests (f->fake);
    DrFakeGithubRequest *last_runs = NULL;

    for (guint i = 0; i < requests->len; i++)
      {
        DrFakeGithubRequest *request = g_ptr_array_index (requests, i);

        if (g_str_equal (request->path, "/repos/octo/hello/actions/runs"))
          last_runs = request;
        /* Every request carried the token as a bearer, and nothing else did. */
        g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
      }
    g_assert_nonnull (last_runs);
    g_assert_nonnull (last_runs->if_none_match);
    g_assert_cmpuint (last_runs->status, ==, 304);
  }

  /* An error is said on the feed, and a later good read clears it. */
  {
    DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    fault.path = "/repos/octo/hello/actions/runs";
    fault.status = 404;
    dr_fake_github_add_fault (f->fake, &fault);
    dr_engine_refresh_jobs_async (f->engine, "web", NULL, store_result_cb, &result);
    g_assert_false (dr_engine_refresh_jobs_finish (f->engine, wait_result (&result), &error));
    g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
    g_assert_nonnull (dr_job_feed_get_error (feed));
    /* What was read before stays on the page. */
    g_assert_cmpuint (g_list_model_get_n_items (dr_job_feed_get_jobs (feed)), ==, 4);
    refresh (f);
    g_assert_null (dr_job_feed_get_error (feed));
  }
}

static gboolean
operation_finished (gpointer data)
{
  return dr_operation_is_finished (data);
}

static gboolean
followed_completed (gpointer data)
{
  DrJobFeed *feed = data;

  return dr_job_feed_get_followed_status (feed) == DR_JOB_STATUS_COMPLETED;
}

static void
test_dispatch_200 (Fixture       *f,
                   gconstpointer  data)
{
  DrJobFeed *feed = dr_runner_get_job_feed (f->runner);
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(JsonObject) inputs = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *label = NULL;
  JsonObject *sent;

  dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/workflows", 200,
                           "{\"total_count\": 1, \"workflows\": [{\"id\": 3, \"name\": \"Release\","
                           " \"path\": \".github/workflows/release.yml\", \"state\": \"active\"}]}");
  dr_fake_github_set_dispatch_mode (f->fake, DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS, 555);
  set_runs (f, "{\"id\": 555, \"run_number\": 1, \"name\": \"Release\", \"status\": \"queued\","
               " \"event\": \"workflow_dispatch\", \"head_branch\": \"main\","
               " \"html_url\": \"https://github.com/octo/hello/actions/runs/555\"}");
  set_jobs (f, 555, "{\"id\": 5551, \"run_id\": 555, \"name\": \"build\", \"status\": \"queued\","
                    " \"labels\": [\"web\"]}");

  json_object_set_string_member (inputs, "version", "1.2.0");
  operation = dr_engine_dispatch (f->engine, "web", NULL, "release.yml", "main", inputs);
  dr_test_wait_until (operation_finished, operation, 10000, "the dispatch");
  g_assert_no_error ((GError *) dr_operation_get_error (operation));
  g_assert_cmpint (dr_operation_get_state (operation), ==, DR_OPERATION_SUCCEEDED);

  body = dr_fake_github_last_body (f->fake, "POST", "/repos/octo/hello/actions/workflows/");
  g_assert_nonnull (body);
  sent = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (sent, "ref"), ==, "main");
  g_assert_true (json_object_get_boolean_member (sent, "return_run_details"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sent, "inputs"),
                                                  "version"), ==, "1.2.0");

  /* Followed at once: the run and its job are on the feed, and the header says queued. */
  g_assert_cmpint (dr_job_feed_get_followed_run_id (feed), ==, 555);
  while (g_list_model_get_n_items (dr_job_feed_get_jobs (feed)) == 0)
    g_main_context_iteration (NULL, TRUE);
  label = dr_job_feed_dup_followed_label (feed);
  g_assert_cmpstr (label, ==, "Queued");
  g_assert_cmpint (dr_job_get_placement (job_at (feed, 0)), ==, DR_JOB_PLACEMENT_WAITING_HERE);
  g_assert_cmpstr (dr_job_feed_get_followed_html_url (feed), ==,
                   "https://github.com/octo/hello/actions/runs/555");

  /* It runs here, then fails: the next polls (every few seconds while following) show it. */
  set_runs (f, "{\"id\": 555, \"run_number\": 1, \"name\": \"Release\", \"status\": \"in_progress\","
               " \"event\": \"workflow_dispatch\", \"head_branch\": \"main\"}");
  set_jobs (f, 555, "{\"id\": 5551, \"run_id\": 555, \"name\": \"build\", \"status\": \"in_progress\","
                    " \"labels\": [\"web\"], \"runner_name\": \"web-abcde-runner-fghij\"}");
  refresh (f);
  g_clear_pointer (&label, g_free);
  label = dr_job_feed_dup_followed_label (feed);
  g_assert_cmpstr (label, ==, "In progress on web-abcde-runner-fghij");

  set_runs (f, "{\"id\": 555, \"run_number\": 1, \"name\": \"Release\", \"status\": \"completed\","
               " \"conclusion\": \"failure\", \"event\": \"workflow_dispatch\", \"head_branch\": \"main\"}");
  set_jobs (f, 555, "{\"id\": 5551, \"run_id\": 555, \"name\": \"build\", \"status\": \"completed\","
                    " \"conclusion\": \"failure\", \"labels\": [\"web\"],"
                    " \"runner_name\": \"web-abcde-runner-fghij\"}");
  /* Not refreshed by hand: the follow's own timer reads it. */
  dr_test_wait_until (followed_completed, feed, 20000, "the followed run to complete");
  g_clear_pointer (&label, g_free);
  label = dr_job_feed_dup_followed_label (feed);
  g_assert_cmpstr (label, ==, "Failed");

  /* Re-run Failed Jobs: the same run from queued again. */
  {
    g_autofree char *path = g_strdup ("/repos/octo/hello/actions/runs/555/rerun-failed-jobs");
    g_autoptr(DrOperation) rerun = NULL;

    /* The fake knows a run by its canned GET. */
    dr_fake_github_set_json (f->fake, "GET", "/repos/octo/hello/actions/runs/555", 200,
                             "{\"id\": 555, \"status\": \"completed\"}");
    rerun = dr_engine_rerun_failed_jobs (f->engine, "web");
    dr_test_wait_until (operation_finished, rerun, 10000, "the re-run");
    g_assert_no_error ((GError *) dr_operation_get_error (rerun));
    g_assert_cmpuint (dr_fake_github_count (f->fake, "POST", path), ==, 1);
  }

  /* Cancel Run: the followed run's cancel, once. */
  {
    g_autoptr(DrOperation) cancel = dr_engine_cancel_run (f->engine, "web");

    dr_test_wait_until (operation_finished, cancel, 10000, "the cancel");
    g_assert_no_error ((GError *) dr_operation_get_error (cancel));
    g_assert_cmpuint (dr_fake_github_count (f->fake, "POST",
                                            "/repos/octo/hello/actions/runs/555/cancel"), ==, 1);
  }
}

static void
test_dispatch_204 (Fixture       *f,
                   gconstpointer  data)
{
  DrJobFeed *feed = dr_runner_get_job_feed (f->runner);
  g_autoptr(DrOperation) operation = NULL;
  g_autofree char *created = iso_now (0);
  g_autofree char *old = iso_now (-3600);
  g_autofree char *runs = NULL;

  dr_fake_github_set_dispatch_mode (f->fake, DR_FAKE_GITHUB_DISPATCH_CLASSIC, 0);
  /* An older run of the same workflow, and the new one: the new one is found. */
  runs = g_strdup_printf ("{\"id\": 700, \"name\": \"Release\", \"status\": \"queued\","
                          " \"event\": \"workflow_dispatch\", \"head_branch\": \"main\","
                          " \"created_at\": \"%s\"},"
                          "{\"id\": 600, \"name\": \"Release\", \"status\": \"completed\","
                          " \"event\": \"workflow_dispatch\", \"head_branch\": \"main\","
                          " \"created_at\": \"%s\"}", created, old);
  set_runs (f, runs);
  set_jobs (f, 700, "{\"id\": 7001, \"run_id\": 700, \"name\": \"build\", \"status\": \"queued\","
                    " \"labels\": [\"web\"]}");
  set_jobs (f, 600, "");

  operation = dr_engine_dispatch (f->engine, "web", NULL, "release.yml", "main", NULL);
  dr_test_wait_until (operation_finished, operation, 10000, "the dispatch");
  g_assert_no_error ((GError *) dr_operation_get_error (operation));
  g_assert_cmpint (dr_job_feed_get_followed_run_id (feed), ==, 700);
}

static void
test_dispatch_204_never_appears (Fixture       *f,
                                 gconstpointer  data)
{
  DrJobFeed *feed = dr_runner_get_job_feed (f->runner);
  g_autoptr(DrOperation) operation = NULL;
  g_autofree char *old = iso_now (-3600);
  g_autofree char *runs = NULL;
  const GError *error;

  _dr_engine_set_dispatch_find_timeout (f->engine, 2);
  dr_fake_github_set_dispatch_mode (f->fake, DR_FAKE_GITHUB_DISPATCH_CLASSIC, 0);
  runs = g_strdup_printf ("{\"id\": 600, \"name\": \"Release\", \"status\": \"completed\","
                          " \"event\": \"workflow_dispatch\", \"head_branch\": \"main\","
                          " \"created_at\": \"%s\"}", old);
  set_runs (f, runs);

  operation = dr_engine_dispatch (f->engine, "web", NULL, "release.yml", "main", NULL);
  dr_test_wait_until (operation_finished, operation, 15000, "the dispatch to give up");
  error = dr_operation_get_error (operation);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no run of release.yml on main appeared within 2"));
  g_assert_cmpint (dr_job_feed_get_followed_run_id (feed), ==, 0);
}

static void
test_dispatch_rejected (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DrOperation) operation = NULL;
  DrFakeGithubFault fault = DR_FAKE_GITHUB_FAULT_INIT;

  fault.method = "POST";
  fault.path = "/repos/octo/hello/actions/workflows/*";
  fault.status = 422;
  fault.message = "Unexpected inputs provided: [\"colour\"]";
  dr_fake_github_add_fault (f->fake, &fault);
  operation = dr_engine_dispatch (f->engine, "web", NULL, "release.yml", "main", NULL);
  dr_test_wait_until (operation_finished, operation, 10000, "the dispatch");
  g_assert_cmpint (dr_operation_get_state (operation), ==, DR_OPERATION_FAILED);
  g_assert_nonnull (strstr (dr_operation_get_error (operation)->message, "colour"));
  /* No second POST: a dispatch is never retried after GitHub may have acted on it. */
  g_assert_cmpuint (dr_fake_github_count (f->fake, "POST", "/repos/octo/hello/actions/workflows/"),
                    ==, 1);
}

static void
test_cancel_without_run (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DrOperation) cancel = dr_engine_cancel_run (f->engine, "web");

  g_assert_true (dr_operation_is_finished (cancel));
  g_assert_error ((GError *) dr_operation_get_error (cancel), DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_cmpuint (dr_fake_github_count (f->fake, "POST", NULL), ==, 0);
}

static void
test_job_log (Fixture       *f,
              gconstpointer  data)
{
  DrJobFeed *feed = dr_runner_get_job_feed (f->runner);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GAsyncResult) running = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) log = NULL;
  g_autoptr(GBytes) cached = NULL;
  guint downloads;

  set_runs (f, "{\"id\": 10, \"status\": \"completed\", \"conclusion\": \"success\"},"
               "{\"id\": 11, \"status\": \"in_progress\"}");
  set_jobs (f, 10, "{\"id\": 101, \"run_id\": 10, \"name\": \"build\", \"status\": \"completed\","
                   " \"conclusion\": \"success\", \"labels\": [\"web\"]}");
  set_jobs (f, 11, "{\"id\": 111, \"run_id\": 11, \"name\": \"build\", \"status\": \"in_progress\","
                   " \"labels\": [\"web\"]}");
  dr_fake_github_set_job_log (f->fake, 101, "2026-12-04T10:00:05.0000000Z Run make\n"
                                            "2026-12-04T10:00:06.0000000Z ok\n");
  refresh (f);
  g_assert_nonnull (dr_job_feed_lookup_job (feed, 101));

  dr_engine_fetch_job_log_async (f->engine, "web", 101, NULL, store_result_cb, &result);
  log = dr_engine_fetch_job_log_finish (f->engine, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (log, NULL), g_bytes_get_size (log),
                   "2026-12-04T10:00:05.0000000Z Run make\n2026-12-04T10:00:06.0000000Z ok\n",
                   strlen ("2026-12-04T10:00:05.0000000Z Run make\n"
                           "2026-12-04T10:00:06.0000000Z ok\n"));
  downloads = dr_fake_github_count (f->fake, "GET", "/repos/octo/hello/actions/jobs/101/logs");
  g_assert_cmpuint (downloads, ==, 1);

  /* A completed job's log never changes: the second time it comes from the disk. */
  dr_engine_fetch_job_log_async (f->engine, "web", 101, NULL, store_result_cb, &again);
  cached = dr_engine_fetch_job_log_finish (f->engine, wait_result (&again), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (log, cached));
  g_assert_cmpuint (dr_fake_github_count (f->fake, "GET", "/repos/octo/hello/actions/jobs/101/logs"),
                    ==, downloads);

  /* A running job has no GitHub log yet: its pod's log is the one. */
  dr_engine_fetch_job_log_async (f->engine, "web", 111, NULL, store_result_cb, &running);
  g_assert_null (dr_engine_fetch_job_log_finish (f->engine, wait_result (&running), &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
}

/* Requests for exactly @path (dr_fake_github_count() matches a prefix). */
static guint
count_exact (DrFakeGithub *fake,
             const char   *path)
{
  GPtrArray *requests = dr_fake_github_get_requests (fake);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_str_equal (((DrFakeGithubRequest *) g_ptr_array_index (requests, i))->path, path))
      count++;
  return count;
}

/* The window turns polling on: the first poll is at once, and at idle the next one keeps
 * within the budget (30 s at the earliest). */
static void
test_polling (Fixture       *f,
              gconstpointer  data)
{
  DrJobFeed *feed = dr_runner_get_job_feed (f->runner);
  gint64 start;

  set_runs (f, "{\"id\": 10, \"status\": \"completed\", \"conclusion\": \"success\"}");
  set_jobs (f, 10, "");
  dr_engine_set_jobs_polling (f->engine, TRUE);
  start = g_get_monotonic_time ();
  while (!dr_job_feed_get_synced (feed))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dr_job_feed_get_polling (feed));
  /* Two seconds later nothing else was asked. */
  while (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_exact (f->fake, "/repos/octo/hello/actions/runs"), ==, 1);
  dr_engine_set_jobs_polling (f->engine, FALSE);
  g_assert_false (dr_job_feed_get_polling (feed));
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  int ret;

  dr_test_init (&argc, &argv);
  keyring = dr_test_keyring_start ();

  g_test_add ("/deskrun/engine-jobs/jobs", Fixture, NULL, fixture_setup, test_jobs,
              fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/dispatch-200", Fixture, NULL, fixture_setup,
              test_dispatch_200, fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/dispatch-204", Fixture, NULL, fixture_setup,
              test_dispatch_204, fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/dispatch-204-never-appears", Fixture, NULL, fixture_setup,
              test_dispatch_204_never_appears, fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/dispatch-rejected", Fixture, NULL, fixture_setup,
              test_dispatch_rejected, fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/cancel-without-run", Fixture, NULL, fixture_setup,
              test_cancel_without_run, fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/job-log", Fixture, NULL, fixture_setup, test_job_log,
              fixture_teardown);
  g_test_add ("/deskrun/engine-jobs/polling", Fixture, NULL, fixture_setup, test_polling,
              fixture_teardown);

  ret = g_test_run ();
  dr_test_keyring_stop (keyring);
  return ret;
}
