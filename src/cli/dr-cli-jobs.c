/* dr-cli-jobs.c — deskrunctl workflows, dispatch, jobs and job-logs: GitHub through the engine
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dr-cli.h"
#include "dr-cli-jobs.h"
#include "dr-error.h"

/* ---- JSON ---------------------------------------------------------------------------------- */

static void
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, member);
  if (time == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      json_builder_add_string_value (builder, text);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_job (JsonBuilder *builder,
         DrJob       *job)
{
  GPtrArray *steps = dr_job_get_steps (job);
  const char * const *labels = dr_job_get_labels (job);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, dr_job_get_id (job));
  json_builder_set_member_name (builder, "run_id");
  json_builder_add_int_value (builder, dr_job_get_run_id (job));
  json_builder_set_member_name (builder, "run_number");
  json_builder_add_int_value (builder, dr_job_get_run_number (job));
  json_builder_set_member_name (builder, "run_attempt");
  json_builder_add_int_value (builder, dr_job_get_run_attempt (job));
  add_string (builder, "name", dr_job_get_name (job));
  add_string (builder, "workflow", dr_job_get_workflow_name (job));
  add_string (builder, "repository", dr_job_get_repository (job));
  add_string (builder, "branch", dr_job_get_branch (job));
  json_builder_set_member_name (builder, "labels");
  json_builder_begin_array (builder);
  for (guint i = 0; labels[i] != NULL; i++)
    json_builder_add_string_value (builder, labels[i]);
  json_builder_end_array (builder);
  add_string (builder, "status", dr_job_status_to_string (dr_job_get_status (job)));
  add_string (builder, "conclusion", dr_job_get_conclusion (job));
  add_string (builder, "runner_name", dr_job_get_runner_name (job));
  add_string (builder, "placement", dr_job_placement_to_string (dr_job_get_placement (job)));
  add_string (builder, "pod", dr_job_get_pod (job));
  add_string (builder, "scale_set", dr_job_get_scale_set (job));
  add_time (builder, "created_at", dr_job_get_created_at (job));
  add_time (builder, "started_at", dr_job_get_started_at (job));
  add_time (builder, "completed_at", dr_job_get_completed_at (job));
  add_string (builder, "html_url", dr_job_get_html_url (job));
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < steps->len; i++)
    {
      const DrJobStep *step = g_ptr_array_index (steps, i);
      gint64 duration = dr_job_step_get_duration (step, now);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "number");
      json_builder_add_int_value (builder, step->number);
      add_string (builder, "name", step->name);
      add_string (builder, "status", dr_job_status_to_string (step->status));
      add_string (builder, "conclusion", step->conclusion);
      add_time (builder, "started_at", step->started_at);
      add_time (builder, "completed_at", step->completed_at);
      json_builder_set_member_name (builder, "duration_s");
      if (duration < 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, duration);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

void
dr_cli_add_job_feed_json (JsonBuilder *builder,
                          DrJobFeed   *feed)
{
  GListModel *jobs = dr_job_feed_get_jobs (feed);
  const char * const *repositories = dr_job_feed_get_repositories (feed);
  guint n = g_list_model_get_n_items (jobs);

  json_builder_set_member_name (builder, "repositories");
  json_builder_begin_array (builder);
  for (guint i = 0; repositories[i] != NULL; i++)
    json_builder_add_string_value (builder, repositories[i]);
  json_builder_end_array (builder);
  add_string (builder, "error", dr_job_feed_get_error (feed));
  json_builder_set_member_name (builder, "rate_limit");
  if (dr_job_feed_get_rate_limit_limit (feed) < 0)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "limit");
      json_builder_add_int_value (builder, dr_job_feed_get_rate_limit_limit (feed));
      json_builder_set_member_name (builder, "remaining");
      json_builder_add_int_value (builder, dr_job_feed_get_rate_limit_remaining (feed));
      json_builder_set_member_name (builder, "reset");
      json_builder_add_int_value (builder, dr_job_feed_get_rate_limit_reset (feed));
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (jobs, i);

      add_job (builder, job);
    }
  json_builder_end_array (builder);
}

static char *
feed_json (const char *name,
           DrJobFeed  *feed,
           gboolean    pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  add_string (builder, "runner", name);
  dr_cli_add_job_feed_json (builder, feed);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, pretty);
}

/* ---- Text ---------------------------------------------------------------------------------- */

static char *
job_line (DrJob *job)
{
  g_autofree char *state = dr_job_dup_state_label (job);

  /* Translators: job id, name, workflow and run number, state */
  return g_strdup_printf ("%-12" G_GINT64_FORMAT " %s · %s #%" G_GINT64_FORMAT " · %s",
                          dr_job_get_id (job), dr_job_get_name (job) ?: "?",
                          dr_job_get_workflow_name (job) ?: "?", dr_job_get_run_number (job),
                          state);
}

static char *
feed_text (DrCli     *cli,
           DrJobFeed *feed)
{
  GListModel *jobs = dr_job_feed_get_jobs (feed);
  GString *text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (jobs);
  gboolean other = FALSE;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(DrJob) job = g_list_model_get_item (jobs, i);
        g_autofree char *line = NULL;
        g_autofree char *printable = NULL;
        gboolean is_other = dr_job_get_placement (job) == DR_JOB_PLACEMENT_OTHER;

        if (is_other != (pass == 1))
          continue;
        if (is_other && !other)
          {
            g_string_append (text, _("For other runners:\n"));
            other = TRUE;
          }
        line = job_line (job);
        printable = dr_cli_printable (line);
        g_string_append_printf (text, "%s\n", printable);
      }
  if (n == 0)
    g_string_append (text, _("No queued, running or recent jobs.\n"));
  if (cli->verbose)
    {
      g_autofree char *rate = dr_job_feed_dup_rate_limit_text (feed);

      if (rate != NULL)
        g_string_append_printf (text, _("GitHub: %s\n"), rate);
    }
  return g_string_free (text, FALSE);
}

/* ---- jobs ---------------------------------------------------------------------------------- */

typedef struct
{
  DrCli      *cli;
  const char *name;
  gboolean    json;
  char       *last;
} Watch;

static void
watch_changed_cb (DrJobFeed *feed,
                  Watch     *watch)
{
  g_autofree char *now = watch->json ? feed_json (watch->name, feed, FALSE)
                                     : feed_text (watch->cli, feed);

  if (g_strcmp0 (now, watch->last) == 0)
    return;
  g_free (watch->last);
  watch->last = g_steal_pointer (&now);
  g_print ("%s\n", watch->last);
  fflush (stdout);
}

static gboolean
refresh_jobs (DrCli      *cli,
              const char *name,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_engine_refresh_jobs_async (cli->engine, name, cli->cancellable, dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  return dr_engine_refresh_jobs_finish (cli->engine, result, error);
}

int
dr_cli_jobs (DrCli  *cli,
             int     argc,
             char  **argv)
{
  gboolean json = FALSE;
  gboolean watch = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a versioned JSON document"), NULL },
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep reading GitHub and print again whenever a job changes, until Ctrl-C"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  DrRunner *runner;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Prints the GitHub jobs of runner NAME's repository: "
                                         "queued for it, running here on a pod, done, and "
                                         "those for other runners."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;

  dr_cli_load_config (cli);
  runner = dr_engine_lookup_runner (cli->engine, name);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, name);
  /* Which jobs run here is told by their runner names (ARC names pods after the scale set),
   * so no cluster is needed. */
  if (!refresh_jobs (cli, name, &error))
    return dr_cli_fail_error (cli, error);

  if (watch)
    {
      Watch state = { cli, name, json, NULL };
      gulong id;

      cli->ends_on_interrupt = TRUE;
      watch_changed_cb (dr_runner_get_job_feed (runner), &state);
      id = g_signal_connect (dr_runner_get_job_feed (runner), "changed",
                             G_CALLBACK (watch_changed_cb), &state);
      dr_engine_set_jobs_polling (cli->engine, TRUE);
      while (!g_cancellable_is_cancelled (cli->cancellable))
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (dr_runner_get_job_feed (runner), id);
      g_free (state.last);
      return DR_CLI_EXIT_OK;
    }

  {
    g_autofree char *text = json ? feed_json (name, dr_runner_get_job_feed (runner), TRUE)
                                 : feed_text (cli, dr_runner_get_job_feed (runner));

    g_print (json ? "%s\n" : "%s", text);
  }
  return DR_CLI_EXIT_OK;
}

void
dr_cli_add_status_jobs (DrCli     *cli,
                        JsonNode  *status,
                        GPtrArray *runners)
{
  JsonArray *array = json_object_get_array_member (json_node_get_object (status), "runners");

  for (guint i = 0; i < runners->len && i < json_array_get_length (array); i++)
    {
      DrRunner *runner = g_ptr_array_index (runners, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(GError) error = NULL;

      if (dr_runner_get_status (runner) == DR_RUNNER_STATUS_UNMANAGED)
        continue;
      refresh_jobs (cli, dr_runner_get_name (runner), &error);
      json_builder_begin_object (builder);
      dr_cli_add_job_feed_json (builder, dr_runner_get_job_feed (runner));
      json_builder_end_object (builder);
      json_object_set_member (json_array_get_object_element (array, i), "jobs",
                              json_builder_get_root (builder));
    }
}

/* ---- workflows ----------------------------------------------------------------------------- */

static DrDispatchTargets *
list_targets (DrCli       *cli,
              const char  *name,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_engine_list_dispatch_targets_async (cli->engine, name, NULL, cli->cancellable,
                                         dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  return dr_engine_list_dispatch_targets_finish (cli->engine, result, error);
}

static const char *
route_word (DrDispatchRoute route)
{
  switch (route)
    {
    case DR_DISPATCH_ROUTE_HERE: return _("here");
    case DR_DISPATCH_ROUTE_RUNTIME: return _("decided when it runs");
    case DR_DISPATCH_ROUTE_CALLS: return _("calls another workflow");
    case DR_DISPATCH_ROUTE_ELSEWHERE:
    default: return _("elsewhere");
    }
}

int
dr_cli_workflows (DrCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrDispatchTargets) targets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *printable = NULL;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Lists the workflows of runner NAME's repository that "
                                         "can be dispatched, with their inputs and which of "
                                         "their jobs run on this runner."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;

  dr_cli_load_config (cli);
  if (dr_engine_lookup_runner (cli->engine, name) == NULL)
    return dr_cli_fail_no_runner (cli, name);
  targets = list_targets (cli, name, &error);
  if (targets == NULL)
    return dr_cli_fail_error (cli, error);

  g_string_append_printf (text, _("%s, default branch %s\n"), targets->repository,
                          targets->default_branch ?: "?");
  for (guint i = 0; i < targets->workflows->len; i++)
    {
      DrDispatchWorkflow *workflow = g_ptr_array_index (targets->workflows, i);
      GPtrArray *inputs = dr_workflow_get_dispatch_inputs (workflow->workflow);

      g_string_append_printf (text, "\n%s  (%s)\n", workflow->name, workflow->path);
      for (guint j = 0; j < inputs->len; j++)
        {
          const DrWorkflowInput *input = g_ptr_array_index (inputs, j);
          g_autoptr(GString) line = g_string_new (NULL);

          g_string_append_printf (line, "  --input %s=…  %s", input->name,
                                  dr_workflow_input_type_to_string (input->type));
          if (input->required)
            g_string_append_printf (line, ", %s", _("required"));
          if (input->default_value != NULL)
            g_string_append_printf (line, ", %s %s", _("default"), input->default_value);
          if (input->options != NULL)
            {
              g_autofree char *options = g_strjoinv ("|", input->options);

              g_string_append_printf (line, ", %s", options);
            }
          if (input->description != NULL)
            g_string_append_printf (line, " — %s", input->description);
          g_string_append_printf (text, "%s\n", line->str);
        }
      for (guint j = 0; j < workflow->jobs->len; j++)
        {
          const DrDispatchJob *job = g_ptr_array_index (workflow->jobs, j);

          /* Translators: a job, its runs-on, and where it runs ("here", "elsewhere") */
          g_string_append_printf (text, _("  job %s: runs-on %s — %s\n"), job->name,
                                  job->runs_on ?: "?", route_word (job->route));
        }
    }
  if (targets->workflows->len == 0)
    g_string_append (text, _("No workflow with a workflow_dispatch trigger.\n"));
  for (guint i = 0; i < targets->skipped->len; i++)
    g_string_append_printf (text, _("Skipped: %s\n"),
                            (char *) g_ptr_array_index (targets->skipped, i));
  printable = dr_cli_printable (text->str);
  g_print ("%s", printable);
  return DR_CLI_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------------------------ */

typedef struct
{
  DrCli      *cli;
  GHashTable *printed;   /* job id -> the line last printed */
  char       *last_run;
  gboolean    done;
} Follow;

static void
follow_changed_cb (DrJobFeed *feed,
                   Follow    *follow)
{
  g_autoptr(GPtrArray) jobs = dr_job_feed_dup_followed_jobs (feed);
  g_autofree char *label = dr_job_feed_dup_followed_label (feed);

  for (guint i = 0; i < jobs->len; i++)
    {
      DrJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *line = job_line (job);
      gint64 id = dr_job_get_id (job);
      const char *before = g_hash_table_lookup (follow->printed, &id);

      if (g_strcmp0 (before, line) != 0)
        {
          g_autofree char *printable = dr_cli_printable (line);

          g_print ("%s\n", printable);
          g_hash_table_insert (follow->printed, g_memdup2 (&id, sizeof id), g_strdup (line));
        }
    }
  if (label != NULL && g_strcmp0 (label, follow->last_run) != 0)
    {
      g_autofree char *printable = dr_cli_printable (label);

      g_print (_("Run: %s\n"), printable);
      g_free (follow->last_run);
      follow->last_run = g_steal_pointer (&label);
    }
  fflush (stdout);
  if (dr_job_feed_get_followed_status (feed) == DR_JOB_STATUS_COMPLETED ||
      dr_job_feed_get_followed_problem (feed) != NULL)
    follow->done = TRUE;
}

int
dr_cli_dispatch (DrCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *ref = NULL;
  g_auto(GStrv) input_args = NULL;
  gboolean follow = FALSE;
  const GOptionEntry entries[] = {
    { "ref", 0, 0, G_OPTION_ARG_STRING, &ref,
      N_("The branch to run on (default: the repository's default branch)"), N_("REF") },
    { "input", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &input_args,
      N_("A value for one of the workflow's inputs (repeat for more)"), N_("KEY=VALUE") },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
      N_("Follow the run, print each job's changes; exit status 0 only when it succeeds"),
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrDispatchTargets) targets = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonObject) inputs = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  DrDispatchWorkflow *workflow;
  DrRunner *runner;
  DrJobFeed *feed;
  const char *name;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME WORKFLOW"),
                                       _("Dispatches WORKFLOW (its file name, path or name) on "
                                         "runner NAME's repository."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return dr_cli_usage (cli, _("Give the runner's name and the workflow."));
  name = argv[1];
  for (guint i = 0; input_args != NULL && input_args[i] != NULL; i++)
    {
      const char *equals = strchr (input_args[i], '=');

      if (equals == NULL || equals == input_args[i])
        return dr_cli_usage (cli, _("--input takes KEY=VALUE, not “%s”."), input_args[i]);
      g_hash_table_insert (values, g_strndup (input_args[i], equals - input_args[i]),
                           g_strdup (equals + 1));
    }

  dr_cli_load_config (cli);
  runner = dr_engine_lookup_runner (cli->engine, name);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, name);

  targets = list_targets (cli, name, &error);
  if (targets == NULL)
    return dr_cli_fail_error (cli, error);
  workflow = dr_dispatch_targets_find (targets, argv[2]);
  if (workflow == NULL)
    return dr_cli_fail (cli, _("%s has no dispatchable workflow “%s” (deskrunctl workflows %s "
                               "lists them)"), targets->repository, argv[2], name);
  inputs = dr_dispatch_build_inputs (workflow->workflow, values, &error);
  if (inputs == NULL)
    return dr_cli_usage (cli, "%s.", error->message);
  if (ref == NULL)
    ref = g_strdup (targets->default_branch);
  if (ref == NULL)
    return dr_cli_usage (cli, _("The repository names no default branch: give --ref."));

  operation = dr_engine_dispatch (cli->engine, name, targets->repository, workflow->path, ref,
                                  inputs);
  status = dr_cli_run_operation (cli, operation);
  if (status != DR_CLI_EXIT_OK)
    return status;

  feed = dr_runner_get_job_feed (runner);
  /* One read now, so the run's link (and its first state) is known before printing. */
  if (!refresh_jobs (cli, name, &error))
    dr_cli_warn (cli, "%s", error->message);
  if (dr_job_feed_get_followed_html_url (feed) != NULL)
    g_print ("%s\n", dr_job_feed_get_followed_html_url (feed));
  else
    g_print (_("Run %" G_GINT64_FORMAT "\n"), dr_job_feed_get_followed_run_id (feed));
  if (!follow)
    return DR_CLI_EXIT_OK;

  {
    Follow state = { cli, g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free),
                     NULL, FALSE };
    gulong id = g_signal_connect (feed, "changed", G_CALLBACK (follow_changed_cb), &state);
    gboolean success;

    follow_changed_cb (feed, &state);
    while (!state.done && !g_cancellable_is_cancelled (cli->cancellable))
      g_main_context_iteration (NULL, TRUE);
    g_signal_handler_disconnect (feed, id);
    g_hash_table_unref (state.printed);
    g_free (state.last_run);
    if (!state.done)
      return dr_cli_fail (cli, "%s", _("Stopped following; the run goes on."));
    success = g_strcmp0 (dr_job_feed_get_followed_conclusion (feed), "success") == 0;
    if (!success)
      return dr_cli_fail (cli, _("The run ended: %s"),
                          dr_job_feed_get_followed_conclusion (feed) ?:
                          dr_job_feed_get_followed_problem (feed) ?: "?");
    return DR_CLI_EXIT_OK;
  }
}

/* ---- job-logs ------------------------------------------------------------------------------ */

int
dr_cli_job_logs (DrCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printable = NULL;
  g_autofree char *copy = NULL;
  DrRunner *runner;
  DrJob *job;
  const char *name;
  char *end = NULL;
  gint64 job_id;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME JOB_ID"),
                                       _("Prints the log of a completed job of runner NAME "
                                         "(“deskrunctl jobs NAME” lists their ids)."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return dr_cli_usage (cli, _("Give the runner's name and the job's id."));
  name = argv[1];
  job_id = g_ascii_strtoll (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || job_id <= 0)
    return dr_cli_usage (cli, _("A job id is a positive number, not “%s”."), argv[2]);

  dr_cli_load_config (cli);
  runner = dr_engine_lookup_runner (cli->engine, name);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, name);
  if (!refresh_jobs (cli, name, &error))
    return dr_cli_fail_error (cli, error);

  job = dr_job_feed_lookup_job (dr_runner_get_job_feed (runner), job_id);
  if (job != NULL && dr_job_get_placement (job) == DR_JOB_PLACEMENT_RUNNING_HERE)
    return dr_cli_fail (cli, _("The job runs now on %s: its log is that pod's "
                               "(deskrunctl logs %s --runner %s --follow)"),
                        dr_job_get_pod (job), name, dr_job_get_pod (job));

  dr_engine_fetch_job_log_async (cli->engine, name, job_id, cli->cancellable, dr_cli_async_cb,
                                 cli);
  result = dr_cli_wait (cli);
  log = dr_engine_fetch_job_log_finish (cli->engine, result, &error);
  if (log == NULL)
    return dr_cli_fail_error (cli, error);
  copy = g_strndup (g_bytes_get_data (log, NULL), g_bytes_get_size (log));
  printable = dr_cli_printable (copy);
  g_print ("%s", printable);
  return DR_CLI_EXIT_OK;
}

/* ---- credential check ---------------------------------------------------------------------- */

int
dr_cli_credential (DrCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrCredentialReport) report = NULL;
  g_autoptr(GError) error = NULL;
  DrRunner *runner;
  int status;

  context = dr_cli_option_context_new (cli, _("check NAME"),
                                       _("Shows what runner NAME's credential can do against "
                                         "what deskrun needs (exit status 1 when something "
                                         "is missing)."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc != 3 || g_strcmp0 (argv[1], "check") != 0)
    return dr_cli_usage (cli, _("Give “check” and the runner's name."));

  dr_cli_load_config (cli);
  runner = dr_engine_lookup_runner (cli->engine, argv[2]);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, argv[2]);
  dr_engine_check_credential_async (cli->engine, dr_runner_get_spec (runner), NULL,
                                    cli->cancellable, dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  report = dr_engine_check_credential_finish (cli->engine, result, &error);
  if (report == NULL)
    return dr_cli_fail_error (cli, error);

  g_print ("%s\n", report->token_kind);
  for (guint i = 0; i < report->needs->len; i++)
    {
      const DrCredentialNeed *need = g_ptr_array_index (report->needs, i);
      const char *word = need->state == DR_CREDENTIAL_NEED_OK ? _("ok")
                         : need->state == DR_CREDENTIAL_NEED_MISSING ? _("missing")
                         : _("unknown");
      g_autofree char *line = g_strdup_printf ("%-8s %s — %s", word, need->title,
                                               need->detail ?: "");
      g_autofree char *printable = dr_cli_printable (line);

      g_print ("%s\n", printable);
    }
  return dr_credential_report_all_ok (report) ? DR_CLI_EXIT_OK : DR_CLI_EXIT_FAILURE;
}
