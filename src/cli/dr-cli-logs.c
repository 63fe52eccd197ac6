/* dr-cli-logs.c — deskrunctl logs NAME (--listener | --runner POD) [--follow] [--tail N]
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dr-cli.h"

typedef struct
{
  DrCli        *cli;
  gboolean      ended;
  DrKubeLogEnd  reason;
  char         *message;
} LogView;

static void
line_cb (DrKubeLogStream *stream,
         const char      *line,
         LogView         *view)
{
  g_autofree char *printable = dr_cli_printable (line);

  g_print ("%s\n", printable);
}

static void
ended_cb (DrKubeLogStream *stream,
          DrKubeLogEnd     reason,
          const char      *message,
          LogView         *view)
{
  view->ended = TRUE;
  view->reason = reason;
  view->message = g_strdup (message);
  g_main_loop_quit (view->cli->loop);
}

/* Whether @pod is one of @runner's runner pods (an EphemeralRunner has its pod's name). */
static gboolean
runner_has_pod (DrRunner   *runner,
                const char *pod)
{
  GListModel *ephemeral_runners = dr_runner_get_ephemeral_runners (runner);
  guint n = g_list_model_get_n_items (ephemeral_runners);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrEphemeralRunner) ephemeral = g_list_model_get_item (ephemeral_runners, i);

      if (g_strcmp0 (dr_ephemeral_runner_get_name (ephemeral), pod) == 0)
        return TRUE;
    }
  return FALSE;
}

int
dr_cli_logs (DrCli  *cli,
             int     argc,
             char  **argv)
{
  gboolean listener = FALSE;
  gboolean follow = FALSE;
  gboolean timestamps = FALSE;
  g_autofree char *pod = NULL;
  g_autofree char *tail_text = NULL;
  const GOptionEntry entries[] = {
    { "listener", 0, 0, G_OPTION_ARG_NONE, &listener,
      N_("The log of the runner's listener (with instances: the first that has one)"), NULL },
    { "runner", 0, 0, G_OPTION_ARG_STRING, &pod,
      N_("The log of runner pod POD (“deskrunctl status NAME” lists them)"), N_("POD") },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow,
      N_("Keep printing as the log grows, until the pod ends or Ctrl-C"), NULL },
    { "tail", 0, 0, G_OPTION_ARG_STRING, &tail_text,
      N_("Begin with the last N lines"), N_("N") },
    { "timestamps", 0, 0, G_OPTION_ARG_NONE, &timestamps,
      N_("Begin every line with the time it was written"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrKubeLogStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  LogView view = { cli, FALSE, DR_KUBE_LOG_END_COMPLETE, NULL };
  DrKubeLogOptions options = { 0, };
  DrRunner *runner;
  const char *name = NULL;
  guint tail = 0;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Prints the log of runner NAME's listener, or of one "
                                         "of its runner pods."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;
  if (listener == (pod != NULL))
    return dr_cli_usage (cli, _("Give either --listener or --runner POD."));
  if (tail_text != NULL &&
      !dr_cli_parse_uint (cli, "--tail", tail_text, G_MAXINT, &tail, &status))
    return status;

  dr_cli_load_config (cli);
  if (!dr_cli_connect (cli, &error) || !dr_cli_wait_synced (cli, &error))
    return dr_cli_fail_error (cli, error);

  runner = dr_engine_lookup_runner (cli->engine, name);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, name);

  options.follow = follow;
  options.timestamps = timestamps;
  options.tail_lines = tail;
  if (listener)
    {
      stream = dr_engine_open_listener_log (cli->engine, name, &options);
      if (stream == NULL)
        return dr_cli_fail (cli, _("The runner “%s” has no listener pod: %s"), name,
                            dr_runner_get_deployed (runner)
                              ? _("the controller has not started one (yet).")
                              : _("it is not deployed."));
    }
  else
    {
      if (!runner_has_pod (runner, pod))
        return dr_cli_fail (cli, _("“%s” is not a runner pod of “%s”. “%s status %s” lists "
                                   "them."),
                            pod, name, DR_CLI_PROGRAM, name);
      stream = dr_engine_open_runner_log (cli->engine, pod, &options);
      if (stream == NULL)
        return dr_cli_fail (cli, _("The runner pod “%s” has no pod (yet)."), pod);
    }

  g_signal_connect (stream, "line", G_CALLBACK (line_cb), &view);
  g_signal_connect (stream, "ended", G_CALLBACK (ended_cb), &view);
  cli->ends_on_interrupt = follow;
  while (!view.ended && !cli->interrupted)
    g_main_loop_run (cli->loop);
  dr_kube_log_stream_stop (stream);
  g_signal_handlers_disconnect_by_data (stream, &view);
  fflush (stdout);

  if (!view.ended)
    {
      /* Ctrl-C is how a follow ends. */
      if (follow)
        return DR_CLI_EXIT_OK;
      return dr_cli_fail (cli, "%s", _("Cancelled."));
    }

  status = DR_CLI_EXIT_OK;
  switch (view.reason)
    {
    case DR_KUBE_LOG_END_COMPLETE:
      break;
    case DR_KUBE_LOG_END_POD_GONE:
    case DR_KUBE_LOG_END_POD_FINISHED:
      /* Not a failure: runner pods end after their job. Say why the log stopped. */
      if (view.message != NULL)
        {
          g_autofree char *printable = dr_cli_printable (view.message);

          g_printerr ("%s: %s\n", DR_CLI_PROGRAM, printable);
        }
      break;
    case DR_KUBE_LOG_END_ERROR:
    default:
      status = dr_cli_fail (cli, "%s", view.message != NULL ? view.message : _("The log ended."));
      break;
    }
  g_free (view.message);
  return status;
}
