/* test-jobs-ui.c — the jobs part of the runner page and the Run Workflow dialog, as a user
 * sees them: queued for this runner, running here on a pod, done, for other runners; every
 * input type, a missing required input, and a dispatch that the page then follows
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-dispatch.h"
#include "dr-fake-github.h"
#include "dr-github-client.h"
#include "dr-job-feed-private.h"
#include "dr-run-workflow-window.h"
#include "dr-runner-jobs.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"

#define TOKEN "ghp_uiSENTINELnever0in0any0file00000000"

static const char *every_input =
  "name: Release\n"
  "on:\n"
  "  workflow_dispatch:\n"
  "    inputs:\n"
  "      version:\n"
  "        description: Version to release\n"
  "        required: true\n"
  "        type: string\n"
  "      dry-run:\n"
  "        description: Only pretend\n"
  "        type: boolean\n"
  "        default: true\n"
  "      level:\n"
  "        description: Log level\n"
  "        type: choice\n"
  "        options: [debug, info, warn]\n"
  "        default: info\n"
  "      count:\n"
  "        description: How many builds\n"
  "        type: number\n"
  "        default: 3\n"
  "      target:\n"
  "        type: environment\n"
  "jobs:\n"
  "  build:\n"
  "    runs-on: web\n"
  "    steps: [{run: make}]\n"
  "  lint:\n"
  "    runs-on: ubuntu-latest\n"
  "    steps: [{run: make lint}]\n"
  "  legacy:\n"
  "    runs-on: [self-hosted, linux]\n"
  "    steps: [{run: make}]\n";

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static DrRunner *
make_runner (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();

  spec->name = g_strdup ("web");
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  return dr_runner_new (spec);
}

static GtkWindow *
window_with (GtkWidget *child)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_widget_set_margin_top (child, 24);
  gtk_widget_set_margin_bottom (child, 24);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), child);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  {
    /* As in the window: the followed run's states are also toasts. */
    GtkWidget *overlay = adw_toast_overlay_new ();

    adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), scroller);
    adw_window_set_content (ADW_WINDOW (window), overlay);
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  return GTK_WINDOW (window);
}

static void
fill_feed (DrJobFeed *feed)
{
  const char *repos[] = { "octo/hello", NULL };
  const char *scale_sets[] = { "web", NULL };
  const char *pods[] = { "web-x7k2p-runner-abcde", NULL };
  DrJobJoinContext context = { scale_sets, NULL, pods };
  g_autoptr(GPtrArray) runs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dr_run_jobs_free);
  g_autoptr(JsonObject) run_new = parse_object (
    "{\"id\": 20, \"run_number\": 42, \"name\": \"CI\", \"status\": \"in_progress\","
    " \"head_branch\": \"main\", \"html_url\": \"https://github.com/octo/hello/actions/runs/20\"}");
  g_autoptr(JsonArray) jobs_new = parse_array (
    "[{\"id\": 201, \"run_id\": 20, \"name\": \"build\", \"status\": \"in_progress\","
    "  \"workflow_name\": \"CI\", \"head_branch\": \"main\", \"labels\": [\"web\"],"
    "  \"runner_name\": \"web-x7k2p-runner-abcde\","
    "  \"html_url\": \"https://github.com/octo/hello/actions/runs/20/job/201\","
    "  \"steps\": [{\"name\": \"Set up job\", \"status\": \"completed\", \"conclusion\": \"success\","
    "    \"number\": 1, \"started_at\": \"2026-12-04T10:00:05Z\", \"completed_at\": \"2026-12-04T10:00:07Z\"},"
    "   {\"name\": \"Run make\", \"status\": \"in_progress\", \"number\": 2,"
    "    \"started_at\": \"2026-12-04T10:00:07Z\"},"
    "   {\"name\": \"Upload\", \"status\": \"queued\", \"number\": 3}]},"
    " {\"id\": 202, \"run_id\": 20, \"name\": \"test\", \"status\": \"queued\","
    "  \"workflow_name\": \"CI\", \"head_branch\": \"main\", \"labels\": [\"web\"]},"
    " {\"id\": 203, \"run_id\": 20, \"name\": \"lint\", \"status\": \"queued\","
    "  \"workflow_name\": \"CI\", \"head_branch\": \"main\", \"labels\": [\"self-hosted\", \"linux\"]}]");
  g_autoptr(JsonObject) run_old = parse_object (
    "{\"id\": 10, \"run_number\": 41, \"name\": \"CI\", \"status\": \"completed\","
    " \"conclusion\": \"failure\", \"head_branch\": \"feature/x\"}");
  g_autoptr(JsonArray) jobs_old = parse_array (
    "[{\"id\": 101, \"run_id\": 10, \"name\": \"build\", \"status\": \"completed\","
    "  \"conclusion\": \"failure\", \"workflow_name\": \"CI\", \"head_branch\": \"feature/x\","
    "  \"labels\": [\"web\"], \"runner_name\": \"web-x7k2p-runner-qqqqq\","
    "  \"html_url\": \"https://github.com/octo/hello/actions/runs/10/job/101\"}]");

  g_ptr_array_add (runs, dr_run_jobs_new (run_new, jobs_new));
  g_ptr_array_add (runs, dr_run_jobs_new (run_old, jobs_old));
  _dr_job_feed_set_repositories (feed, repos);
  _dr_job_feed_update_repository (feed, "octo/hello", runs);
  _dr_job_feed_follow (feed, "octo/hello", 20, "CI");
  _dr_job_feed_update_followed (feed, run_new);
  _dr_job_feed_set_rate_limit (feed, 5000, 4812, 0);
  _dr_job_feed_join (feed, &context);
}

static void
test_runner_jobs (void)
{
  g_autoptr(DrRunner) runner = make_runner ();
  DrRunnerJobs *jobs = g_object_new (DR_TYPE_RUNNER_JOBS, NULL);
  GtkWindow *window = window_with (GTK_WIDGET (jobs));
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;

  /* No jobs yet: the page says so rather than showing nothing. */
  dr_runner_jobs_set_runner (jobs, runner);
  gtk_window_present (window);
  dr_test_gtk_flush (GTK_WIDGET (window));
  empty = _dr_runner_jobs_dup_text (jobs);
  g_assert_cmpstr (empty, ==, "GitHub: Not read yet\n");

  fill_feed (dr_runner_get_job_feed (runner));
  dr_test_gtk_flush (GTK_WIDGET (window));
  text = _dr_runner_jobs_dup_text (jobs);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==,
                   "CI — dispatched from here: In progress on web-x7k2p-runner-abcde\n"
                   "build: Running here on web-x7k2p-runner-abcde · CI #42 on main\n"
                   "test: Queued — waiting for this runner · CI #42 on main\n"
                   "build: Failed on web-x7k2p-runner-qqqqq · CI #41 on feature/x\n"
                   "-- other runners\n"
                   "lint: Queued — for another runner · CI #42 on main · runs-on: self-hosted, linux\n"
                   "GitHub: 4812 of 5000 requests left\n");
  dr_test_gtk_screenshots (window, "runner-jobs");

  /* An error reading GitHub is said where the rate limit was. */
  _dr_job_feed_set_error (dr_runner_get_job_feed (runner),
                          "GitHub refused the token (Bad credentials)");
  g_clear_pointer (&text, g_free);
  text = _dr_runner_jobs_dup_text (jobs);
  g_assert_nonnull (strstr (text, "GitHub: GitHub refused the token (Bad credentials)\n"));

  gtk_window_destroy (window);
}

static DrDispatchTargets *
make_targets (void)
{
  DrDispatchTargets *targets = dr_dispatch_targets_new ("octo/hello", "main");
  const char *scale_sets[] = { "web", NULL };
  DrJobJoinContext context = { scale_sets, NULL, NULL };
  DrDispatchWorkflow *workflow = dr_dispatch_workflow_new (".github/workflows/release.yml",
                                                           "Release", 3, NULL);
  const char *branches[] = { "feature/x", "main", NULL };

  dr_dispatch_workflow_set_text (workflow, every_input, -1, &context);
  dr_dispatch_targets_add_workflow (targets, workflow);
  dr_dispatch_targets_set_refs (targets, branches);
  return targets;
}

static void
test_run_workflow_dialog (void)
{
  g_autoptr(DrRunner) runner = make_runner ();
  g_autoptr(DrDispatchTargets) targets = make_targets ();
  DrRunWorkflowWindow *window = dr_run_workflow_window_new (NULL, NULL, runner);
  g_autoptr(JsonObject) inputs = NULL;

  _dr_run_workflow_window_set_targets (window, targets);
  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_flush (GTK_WIDGET (window));

  /* The required version is empty: said at once, and Run waits. */
  g_assert_cmpstr (_dr_run_workflow_window_get_problem (window), ==,
                   "The input “version” is required");
  g_assert_false (_dr_run_workflow_window_can_run (window));
  dr_test_gtk_screenshots (GTK_WINDOW (window), "run-workflow-missing");

  /* Typing it is enough; every other input keeps its default. */
  _dr_run_workflow_window_set_input (window, "version", "1.2.0");
  g_assert_null (_dr_run_workflow_window_get_problem (window));
  g_assert_true (_dr_run_workflow_window_can_run (window));
  inputs = _dr_run_workflow_window_build_inputs (window);
  g_assert_cmpstr (json_object_get_string_member (inputs, "version"), ==, "1.2.0");
  g_assert_cmpstr (json_object_get_string_member (inputs, "dry-run"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (inputs, "level"), ==, "info");
  g_assert_cmpstr (json_object_get_string_member (inputs, "count"), ==, "3");
  g_assert_false (json_object_has_member (inputs, "target"));

  /* Each row holds its type: the switch, the choice, the spin button. */
  _dr_run_workflow_window_set_input (window, "dry-run", "false");
  _dr_run_workflow_window_set_input (window, "level", "warn");
  _dr_run_workflow_window_set_input (window, "count", "7");
  _dr_run_workflow_window_set_input (window, "target", "staging");
  g_clear_pointer (&inputs, json_object_unref);
  inputs = _dr_run_workflow_window_build_inputs (window);
  g_assert_cmpstr (json_object_get_string_member (inputs, "dry-run"), ==, "false");
  g_assert_cmpstr (json_object_get_string_member (inputs, "level"), ==, "warn");
  g_assert_cmpstr (json_object_get_string_member (inputs, "count"), ==, "7");
  g_assert_cmpstr (json_object_get_string_member (inputs, "target"), ==, "staging");
  dr_test_gtk_flush (GTK_WIDGET (window));
  dr_test_gtk_screenshots (GTK_WINDOW (window), "run-workflow");

  /* Clearing the version again brings the problem back. */
  _dr_run_workflow_window_set_input (window, "version", "");
  g_assert_false (_dr_run_workflow_window_can_run (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_dispatchable_workflow (void)
{
  g_autoptr(DrRunner) runner = make_runner ();
  g_autoptr(DrDispatchTargets) targets = dr_dispatch_targets_new ("octo/hello", "main");
  DrRunWorkflowWindow *window = dr_run_workflow_window_new (NULL, NULL, runner);

  _dr_run_workflow_window_set_targets (window, targets);
  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_flush (GTK_WIDGET (window));
  g_assert_false (_dr_run_workflow_window_can_run (window));
  g_assert_cmpstr (_dr_run_workflow_window_get_error (window), ==,
                   "octo/hello has no workflow with a workflow_dispatch trigger on its "
                   "default branch.");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
dialog_ready (gpointer data)
{
  return _dr_run_workflow_window_get_problem (data) != NULL ||
         _dr_run_workflow_window_get_error (data) != NULL;
}

static gboolean
operation_finished (gpointer data)
{
  return dr_operation_is_finished (data);
}

static gboolean
followed_here (gpointer data)
{
  DrJobFeed *feed = data;

  return dr_job_feed_get_followed_run_id (feed) == 555 &&
         g_list_model_get_n_items (dr_job_feed_get_jobs (feed)) > 0;
}

/* The whole path through the engine against the fake GitHub: the dialog reads the
 * workflows, Run dispatches, and the page follows the run that GitHub named. */
static void
test_dispatch_follows (void)
{
  DrFakeGithub *fake = dr_fake_github_new ();
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunner) runner = NULL;
  DrRunnerJobs *jobs = g_object_new (DR_TYPE_RUNNER_JOBS, NULL);
  GtkWindow *page_window;
  DrRunWorkflowWindow *window;
  g_autofree char *text = NULL;

  dr_fake_github_add_pat (fake, TOKEN, "repo, workflow");
  g_setenv (DR_GITHUB_API_URL_ENV, dr_fake_github_get_url (fake), TRUE);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello", 200,
                           "{\"full_name\": \"octo/hello\", \"default_branch\": \"main\"}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/branches", 200,
                           "[{\"name\": \"main\"}, {\"name\": \"feature/x\"}]");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/workflows", 200,
                           "{\"total_count\": 2, \"workflows\": ["
                           "{\"id\": 3, \"name\": \"Release\", \"path\": \".github/workflows/release.yml\","
                           " \"state\": \"active\"},"
                           "{\"id\": 4, \"name\": \"CodeQL\", \"path\": \"dynamic/github-code-scanning/codeql\","
                           " \"state\": \"active\"}]}");
  dr_fake_github_set_file (fake, "octo", "hello", ".github/workflows/release.yml", every_input);
  dr_fake_github_set_dispatch_mode (fake, DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS, 555);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\": 1, \"workflow_runs\": [{\"id\": 555, \"run_number\": 9,"
                           " \"name\": \"Release\", \"status\": \"queued\", \"event\": \"workflow_dispatch\","
                           " \"head_branch\": \"main\","
                           " \"html_url\": \"https://github.com/octo/hello/actions/runs/555\"}]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs/555/jobs", 200,
                           "{\"total_count\": 1, \"jobs\": [{\"id\": 5551, \"run_id\": 555,"
                           " \"name\": \"build\", \"workflow_name\": \"Release\", \"head_branch\": \"main\","
                           " \"status\": \"queued\", \"labels\": [\"web\"]}]}");

  engine = dr_engine_new (NULL, NULL);
  dr_engine_load (engine);
  spec->name = g_strdup ("web");
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  dr_engine_add_runner_async (engine, spec, credential, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  runner = dr_engine_add_runner_finish (engine, result, &error);
  g_assert_no_error (error);

  dr_runner_jobs_set_engine (jobs, engine);
  dr_runner_jobs_set_runner (jobs, runner);
  page_window = window_with (GTK_WIDGET (jobs));
  gtk_window_present (page_window);

  window = dr_run_workflow_window_new (page_window, engine, runner);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_wait_until (dialog_ready, window, 10000);
  g_assert_cmpstr (_dr_run_workflow_window_get_error (window), ==, NULL);
  g_assert_cmpstr (_dr_run_workflow_window_get_problem (window), ==,
                   "The input “version” is required");
  _dr_run_workflow_window_set_input (window, "version", "2.0.0");
  g_assert_true (_dr_run_workflow_window_can_run (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "run-workflow.run", NULL);
  /* Run closes the dialog; the page follows. */
  while (window != NULL)
    g_main_context_iteration (NULL, TRUE);

  {
    GListModel *operations = dr_engine_get_operations (engine);
    g_autoptr(DrOperation) dispatch =
      g_list_model_get_item (operations, g_list_model_get_n_items (operations) - 1);

    dr_test_gtk_wait_until (operation_finished, dispatch, 10000);
    g_assert_no_error ((GError *) dr_operation_get_error (dispatch));
  }
  dr_test_gtk_wait_until (followed_here, dr_runner_get_job_feed (runner), 10000);
  dr_test_gtk_flush (GTK_WIDGET (page_window));
  text = _dr_runner_jobs_dup_text (jobs);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Release — dispatched from here: Queued\n"
                                         "build: Queued — waiting for this runner · "
                                         "Release #9 on main\n"));
  {
    g_autoptr(JsonNode) body = dr_fake_github_last_body (fake, "POST",
                                                         "/repos/octo/hello/actions/workflows/");
    JsonObject *sent = json_node_get_object (body);

    g_assert_cmpstr (json_object_get_string_member (sent, "ref"), ==, "main");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sent,
                                                                                   "inputs"),
                                                    "version"), ==, "2.0.0");
  }
  dr_test_gtk_screenshots (page_window, "runner-jobs-followed");

  gtk_window_destroy (page_window);
  dr_test_assert_no_file_contains (g_get_user_cache_dir (), TOKEN);
  dr_test_assert_no_file_contains (g_get_user_config_dir (), TOKEN);
  g_clear_object (&runner);
  g_clear_object (&engine);
  dr_fake_github_free (fake);
  g_unsetenv (DR_GITHUB_API_URL_ENV);
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int ret;

  /* The private keyring bus first, then GTK (see test-window.c). */
  keyring = dr_test_keyring_start ();
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  dr_test_gtk_init (&argc, &argv);

  g_test_add_func ("/deskrun/jobs-ui/runner-jobs", test_runner_jobs);
  g_test_add_func ("/deskrun/jobs-ui/run-workflow-dialog", test_run_workflow_dialog);
  g_test_add_func ("/deskrun/jobs-ui/no-dispatchable-workflow", test_no_dispatchable_workflow);
  g_test_add_func ("/deskrun/jobs-ui/dispatch-follows", test_dispatch_follows);

  ret = g_test_run ();
  dr_test_keyring_stop (keyring);
  return ret;
}
