/* dr-cli-status.c — deskrunctl status [NAME] [--json] [--watch]
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configuration joined with what the engine observes in the cluster. --watch prints a
 * new frame whenever a runner changes, driven by the DrRunner notifications the engine
 * emits from its Kubernetes watches: nothing here polls.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dr-cli.h"
#include "dr-cli-jobs.h"
#include "dr-cli-output.h"
#include "dr-ephemeral-runner.h"

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *column = dr_cli_pad (label, 12);
  g_autofree char *printable = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  printable = dr_cli_printable (value);
  g_print ("  %s %s\n", column, printable);
}

static void
print_cluster (DrCli *cli)
{
  const DrCliClusterInfo *cluster = &cli->cluster;
  const char *name = cluster->name != NULL ? cluster->name : "";

  if (cluster->connected)
    /* Translators: kind cluster or context name, "kind" or "context", API server URL. */
    g_print (_("Cluster “%s” (%s) at %s\n"), name, cluster->kind, cluster->server);
  else if (cluster->error != NULL)
    {
      g_autofree char *error = dr_cli_printable (cluster->error);

      g_print (_("Cluster “%s” (%s): not connected. %s\n"), name, cluster->kind, error);
    }
  else
    g_print (_("Cluster “%s” (%s): not connected.\n"), name, cluster->kind);
}

static const char *
listener_state_label (DrListenerState state)
{
  switch (state)
    {
    case DR_LISTENER_STATE_MISSING: return _("missing");
    case DR_LISTENER_STATE_PENDING: return _("starting");
    case DR_LISTENER_STATE_RUNNING: return _("running");
    case DR_LISTENER_STATE_CRASH_LOOPING: return _("crash-looping");
    case DR_LISTENER_STATE_UNKNOWN:
    default: return _("unknown");
    }
}

/* What the cluster shows of @runner. */
static void
print_observed (DrRunner *runner)
{
  GListModel *ephemeral_runners = dr_runner_get_ephemeral_runners (runner);
  guint n = g_list_model_get_n_items (ephemeral_runners);
  g_autofree char *listener = NULL;
  g_autofree char *counts = NULL;

  if (!dr_runner_get_deployed (runner))
    return;

  print_field (_("Phase"), dr_runner_get_phase (runner));
  if (dr_runner_get_listener_pod (runner) != NULL)
    listener = g_strdup_printf ("%s (%s)",
                                listener_state_label (dr_runner_get_listener_state (runner)),
                                dr_runner_get_listener_pod (runner));
  else
    listener = g_strdup (listener_state_label (dr_runner_get_listener_state (runner)));
  print_field (_("Listener"), listener);
  /* Translators: runner pods now: total, then by state. */
  counts = g_strdup_printf (_("%u (%u pending, %u running, %u failed)"),
                            dr_runner_get_current_runners (runner),
                            dr_runner_get_pending_runners (runner),
                            dr_runner_get_running_runners (runner),
                            dr_runner_get_failed_runners (runner));
  print_field (_("Now"), counts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrEphemeralRunner) ephemeral = g_list_model_get_item (ephemeral_runners, i);
      const char *phase = dr_ephemeral_runner_get_phase (ephemeral);
      const char *job = dr_ephemeral_runner_get_job_display_name (ephemeral);
      g_autoptr(GString) line = g_string_new (dr_ephemeral_runner_get_name (ephemeral));

      g_string_append_printf (line, "  %s", phase != NULL ? phase : _("no phase yet"));
      if (job != NULL)
        {
          const char *repository = dr_ephemeral_runner_get_job_repository (ephemeral);

          /* Translators: what an ephemeral runner is doing; %s is the job's name. */
          g_string_append_printf (line, _(", running “%s”"), job);
          if (repository != NULL)
            g_string_append_printf (line, " (%s)", repository);
        }
      else if (dr_ephemeral_runner_get_ready (ephemeral))
        g_string_append (line, _(", waiting for a job"));
      print_field (i == 0 ? _("Pods") : "", line->str);
    }
}

static void
print_runner_details (DrRunner *runner,
                      gboolean  connected,
                      gboolean  unreachable)
{
  DrRunnerSpec *spec = dr_runner_get_spec (runner);
  g_auto(GStrv) scale_sets = dr_runner_spec_dup_scale_set_names (spec);
  g_autofree char *runs_on = g_strjoinv (", ", scale_sets);
  g_autofree char *scaling = dr_cli_describe_scaling (spec);
  g_autoptr(GString) mounts = g_string_new (NULL);
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
    {
      g_autofree char *text = dr_mount_to_string (g_ptr_array_index (spec->mounts, i));

      if (mounts->len > 0)
        g_string_append (mounts, ", ");
      g_string_append (mounts, text);
    }
  for (guint i = 0; spec->labels != NULL && i < spec->labels->len; i++)
    {
      if (labels->len > 0)
        g_string_append (labels, ", ");
      g_string_append (labels, g_ptr_array_index (spec->labels, i));
    }

  g_print ("%s\n", spec->name);
  if (unreachable)
    print_field (_("Status"), _("Unknown: the cluster cannot be reached"));
  else
    {
      print_field (_("Status"), dr_runner_status_to_label (dr_runner_get_status (runner)));
      print_field (_("Detail"), dr_runner_get_status_detail (runner));
    }
  if (connected)
    print_observed (runner);
  print_field (_("Repository"), spec->repository_url);
  /* Translators: keep "runs-on"; it is the workflow key. */
  print_field (_("runs-on"), runs_on);
  print_field (_("Mode"), dr_container_mode_to_string (spec->mode));
  print_field (_("Runners"), scaling);
  print_field (_("Group"), spec->runner_group);
  print_field (_("Labels"), labels->str);
  print_field (_("Mounts"), mounts->str);
  print_field (_("Credential"), spec->credential_kind == DR_CREDENTIAL_KIND_GITHUB_APP
                                  ? _("GitHub App") : _("Personal access token"));
}

/* One line per change in a watch: "12:04:31  web  Idle". */
static void
print_runner_line (DrRunner *runner)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  const char *detail = dr_runner_get_status_detail (runner);
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s  %s  %s", time, dr_runner_get_name (runner),
                          dr_runner_status_to_label (dr_runner_get_status (runner)));
  if (dr_runner_get_deployed (runner))
    /* Translators: runner pods of a scale set, in a `status --watch` line. */
    g_string_append_printf (line, _(", %u runners (%u running a job)"),
                            dr_runner_get_current_runners (runner),
                            dr_runner_get_running_runners (runner));
  if (detail != NULL)
    g_string_append_printf (line, ": %s", detail);
  {
    g_autofree char *printable = dr_cli_printable (line->str);

    g_print ("%s\n", printable);
  }
}

/* Watching */

typedef struct
{
  DrCli      *cli;
  gboolean    json;
  const char *name;      /* NULL: every runner */
  GPtrArray  *runners;   /* DrRunner, followed */
  GPtrArray  *changed;   /* DrRunner, changed since the last frame */
  gboolean    all_changed;
  guint       frame_id;
} Watch;

static void runner_notify_cb (DrRunner   *runner,
                              GParamSpec *pspec,
                              Watch      *watch);

static void
print_frame (Watch *watch)
{
  if (watch->json)
    {
      g_autoptr(JsonNode) node = dr_cli_status_to_json (&watch->cli->cluster, watch->runners);
      g_autofree char *text = dr_cli_json_to_string (node, FALSE);

      g_print ("%s", text);
    }
  else
    {
      GPtrArray *which = watch->all_changed ? watch->runners : watch->changed;

      for (guint i = 0; i < which->len; i++)
        print_runner_line (g_ptr_array_index (which, i));
    }
  fflush (stdout);
  g_ptr_array_set_size (watch->changed, 0);
  watch->all_changed = FALSE;
}

static gboolean
frame_cb (gpointer user_data)
{
  Watch *watch = user_data;

  watch->frame_id = 0;
  print_frame (watch);
  return G_SOURCE_REMOVE;
}

/* Several properties of one update arrive together: they make one frame. */
static void
schedule_frame (Watch *watch)
{
  if (watch->frame_id == 0)
    watch->frame_id = g_idle_add (frame_cb, watch);
}

static void
runner_notify_cb (DrRunner   *runner,
                  GParamSpec *pspec,
                  Watch      *watch)
{
  if (!g_ptr_array_find (watch->changed, runner, NULL))
    g_ptr_array_add (watch->changed, g_object_ref (runner));
  schedule_frame (watch);
}

static void
unfollow (Watch *watch)
{
  for (guint i = 0; i < watch->runners->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (watch->runners, i),
                                          runner_notify_cb, watch);
  g_ptr_array_set_size (watch->runners, 0);
}

static void
follow (Watch *watch)
{
  g_autoptr(GPtrArray) runners = dr_cli_dup_runners (watch->cli);

  unfollow (watch);
  for (guint i = 0; i < runners->len; i++)
    {
      DrRunner *runner = g_ptr_array_index (runners, i);

      if (watch->name != NULL && g_strcmp0 (dr_runner_get_name (runner), watch->name) != 0)
        continue;
      g_signal_connect (runner, "notify", G_CALLBACK (runner_notify_cb), watch);
      g_ptr_array_add (watch->runners, g_object_ref (runner));
    }
}

static void
runners_changed_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Watch      *watch)
{
  follow (watch);
  watch->all_changed = TRUE;
  schedule_frame (watch);
}

/* A watch that breaks is retried by the engine; meanwhile the frames say so. */
static void
cluster_error_cb (DrEngine   *engine,
                  GParamSpec *pspec,
                  Watch      *watch)
{
  const char *error = dr_engine_get_cluster_error (engine);

  g_free (watch->cli->cluster.error);
  watch->cli->cluster.error = g_strdup (error);
  if (watch->json)
    {
      watch->all_changed = TRUE;
      schedule_frame (watch);
    }
  else if (error != NULL)
    dr_cli_warn (watch->cli, "%s", error);
}

static int
watch_status (DrCli      *cli,
              gboolean    json,
              const char *name)
{
  Watch watch = { cli, json, name, NULL, NULL, FALSE, 0 };
  GListModel *model = dr_engine_get_runners (cli->engine);
  gulong items_id, error_id;

  watch.runners = g_ptr_array_new_with_free_func (g_object_unref);
  watch.changed = g_ptr_array_new_with_free_func (g_object_unref);

  follow (&watch);
  items_id = g_signal_connect (model, "items-changed", G_CALLBACK (runners_changed_cb), &watch);
  error_id = g_signal_connect (cli->engine, "notify::cluster-error",
                               G_CALLBACK (cluster_error_cb), &watch);
  if (!json)
    print_cluster (cli);
  watch.all_changed = TRUE;
  print_frame (&watch);

  /* Until Ctrl-C (the signal handler quits the loop). */
  cli->ends_on_interrupt = TRUE;
  while (!cli->interrupted)
    g_main_loop_run (cli->loop);

  g_signal_handler_disconnect (model, items_id);
  g_signal_handler_disconnect (cli->engine, error_id);
  g_clear_handle_id (&watch.frame_id, g_source_remove);
  unfollow (&watch);
  g_ptr_array_unref (watch.runners);
  g_ptr_array_unref (watch.changed);
  return DR_CLI_EXIT_OK;
}

int
dr_cli_status (DrCli  *cli,
               int     argc,
               char  **argv)
{
  gboolean json = FALSE;
  gboolean watch = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (its shape is described in README.md)"), NULL },
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep printing: a line (with --json a JSON document) whenever a runner changes, "
         "until Ctrl-C"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("[NAME]"),
                                       _("Shows the state of every runner, or of runner NAME: "
                                         "its configuration and, when the cluster can be "
                                         "reached, what runs there."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, TRUE, &name, &status))
    return status;

  dr_cli_load_config (cli);
  /* Without a cluster the configuration is still worth showing; cli->cluster says why
   * there is none. A watch has nothing to follow without one. */
  if ((!dr_cli_connect (cli, &error) || !dr_cli_wait_synced (cli, &error)) && watch)
    return dr_cli_fail_error (cli, error);
  /* A cluster that should be there (named with --kubeconfig or --context, or one that runs
   * or answered before) but cannot be seen: the runners' state there is unknown, and the
   * exit status says that something failed. A kind cluster that does not exist or is
   * stopped is known to run nothing. */
  if (error != NULL)
    {
      DrClusterState state = dr_cluster_get_state (dr_cli_get_target (cli));

      cli->cluster.unreachable = cli->target_set || state == DR_CLUSTER_STATE_READY ||
                                 state == DR_CLUSTER_STATE_STARTING ||
                                 state == DR_CLUSTER_STATE_UNREACHABLE;
    }

  if (name != NULL)
    {
      DrRunner *runner = dr_engine_lookup_runner (cli->engine, name);

      if (runner == NULL)
        return dr_cli_fail_no_runner (cli, name);
      runners = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (runners, g_object_ref (runner));
    }
  else
    runners = dr_cli_dup_runners (cli);

  if (watch)
    return watch_status (cli, json, name);

  if (json)
    {
      g_autoptr(JsonNode) node = dr_cli_status_to_json (&cli->cluster, runners);
      g_autofree char *text = NULL;

      /* Each runner's GitHub jobs, read once now (dr-cli-jobs.c; a failure is its "error"). */
      dr_cli_add_status_jobs (cli, node, runners);
      text = dr_cli_json_to_string (node, TRUE);

      g_print ("%s", text);
      return cli->cluster.unreachable ? dr_cli_fail_error (cli, error) : DR_CLI_EXIT_OK;
    }

  print_cluster (cli);
  if (runners->len == 0)
    {
      g_printerr (_("No runners are configured. Add one with “%s add”.\n"), DR_CLI_PROGRAM);
      return cli->cluster.unreachable ? dr_cli_fail_error (cli, error) : DR_CLI_EXIT_OK;
    }
  for (guint i = 0; i < runners->len; i++)
    {
      g_print ("\n");
      print_runner_details (g_ptr_array_index (runners, i), cli->cluster.connected,
                            cli->cluster.unreachable);
    }
  return cli->cluster.unreachable ? dr_cli_fail_error (cli, error) : DR_CLI_EXIT_OK;
}
