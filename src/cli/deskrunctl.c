/* deskrunctl.c — the command line over deskrun's engine
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `deskrunctl [--kubeconfig FILE] [--context NAME] COMMAND [OPTION…] [ARGUMENT…]`. Each
 * command has a GOptionContext of its own (and --help); the global options come before the
 * command. It links libdeskrun only, never GTK (DESIGN.md).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dr-cli.h"
#include "dr-cli-jobs.h"

typedef struct
{
  const char       *name;
  const char       *summary;
  DrCliCommandFunc  func;
} Command;

static const Command commands[] = {
  { "list", N_("List the configured runners"), dr_cli_list },
  { "status", N_("Show the state of the runners (--json, --watch)"), dr_cli_status },
  { "add", N_("Add a runner"), dr_cli_add },
  { "apply", N_("Make the cluster match the configuration of one or every runner"),
    dr_cli_apply },
  { "scale", N_("Change the minimum and maximum number of runners"), dr_cli_scale },
  { "remove", N_("Remove a runner"), dr_cli_remove },
  { "logs", N_("Print the log of a runner's listener or runner pod"), dr_cli_logs },
  { "jobs", N_("Show the GitHub jobs of a runner's repository (--json, --watch)"), dr_cli_jobs },
  { "job-logs", N_("Print the log of a completed GitHub job"), dr_cli_job_logs },
  { "workflows", N_("List the workflows a runner's repository can dispatch"),
    dr_cli_workflows },
  { "dispatch", N_("Run a workflow (--ref, --input KEY=VALUE, --follow)"), dr_cli_dispatch },
  { "credential", N_("Check what a runner's credential can do (check NAME)"),
    dr_cli_credential },
  { "render", N_("Print the Kubernetes objects of a runner as YAML"), dr_cli_render },
  { "doctor", N_("Check what deskrun needs on this computer"), dr_cli_doctor },
  { "cluster", N_("Create, start, show or delete the kind cluster"), dr_cli_cluster },
  { "controller", N_("Install or show ARC's controller"), dr_cli_controller },
  { "up", N_("Bring the cluster, the controller and every runner up"), dr_cli_up },
  { "down", N_("Remove every scale set from the cluster, keep the configuration"),
    dr_cli_down },
};

static char *
describe_commands (void)
{
  g_autoptr(GString) text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, "\n%s", _("“deskrunctl COMMAND --help” describes a command."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Ctrl-C and SIGTERM.
 *
 * The signal sources run in a thread of their own, so that a signal is seen wherever the main
 * thread is — waiting in the main loop, or stuck in a read that never returns. The first
 * signal asks the main thread to cancel what it waits for (the cancellable, the operation),
 * which ends every command within moments; if the main thread has not exited GRACE_SECONDS
 * later, or on a second signal, the process ends at once. Either way the exit status is
 * 128 + the signal's number, as a shell reports a command killed by it. */

#define GRACE_SECONDS 3

static volatile int signal_received;  /* the first signal, or 0 */
static DrCli *current_cli;           /* set once the command is about to run */
static GMainContext *signal_context;

static gboolean
cancel_in_main_cb (gpointer user_data)
{
  DrCli *cli = user_data;

  cli->interrupted = TRUE;
  g_cancellable_cancel (cli->cancellable);
  if (cli->operation != NULL)
    dr_operation_cancel (cli->operation);
  if (g_main_loop_is_running (cli->loop))
    g_main_loop_quit (cli->loop);
  return G_SOURCE_REMOVE;
}

static G_GNUC_NORETURN void
exit_now (int signum)
{
  static const char line[] = "\n" DR_CLI_PROGRAM ": interrupted\n";

  /* Only async-signal-safe calls from here on: the main thread may hold any lock. */
  if (write (STDERR_FILENO, line, sizeof line - 1) < 0)
    {
      /* Nothing more to do about it. */
    }
  _exit (128 + signum);
}

static gboolean
grace_over_cb (gpointer user_data)
{
  exit_now (GPOINTER_TO_INT (user_data));
}

static gboolean
signal_cb (gpointer user_data)
{
  int signum = GPOINTER_TO_INT (user_data);
  GSource *grace;

  /* A second Ctrl-C while cancelling is the user insisting. */
  if (signal_received != 0)
    exit_now (signal_received);

  signal_received = signum;
  /* Before the command runs there is nothing to cancel; the grace period still ends it. */
  if (g_atomic_pointer_get (&current_cli) != NULL)
    g_main_context_invoke (NULL, cancel_in_main_cb, g_atomic_pointer_get (&current_cli));

  grace = g_timeout_source_new_seconds (GRACE_SECONDS);
  g_source_set_callback (grace, grace_over_cb, GINT_TO_POINTER (signum), NULL);
  g_source_attach (grace, signal_context);
  g_source_unref (grace);
  return G_SOURCE_CONTINUE;
}

static gpointer
signal_thread (gpointer data)
{
  GMainLoop *loop = g_main_loop_new (signal_context, FALSE);

  g_main_loop_run (loop);
  return NULL;
}

static void
watch_signals (void)
{
  static const int signals[] = { SIGINT, SIGTERM };

  signal_context = g_main_context_new ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      GSource *source = g_unix_signal_source_new (signals[i]);

      g_source_set_callback (source, signal_cb, GINT_TO_POINTER (signals[i]), NULL);
      g_source_attach (source, signal_context);
      g_source_unref (source);
    }
  /* Runs until the process ends. */
  g_thread_unref (g_thread_new ("signals", signal_thread, NULL));
}

static void
dr_cli_clear (DrCli *cli)
{
  g_clear_pointer (&cli->kubeconfig, g_free);
  g_clear_pointer (&cli->context, g_free);
  g_clear_object (&cli->engine);
  g_clear_object (&cli->cancellable);
  g_clear_object (&cli->result);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  dr_cli_cluster_info_clear (&cli->cluster);
}

int
main (int   argc,
      char *argv[])
{
  DrCli cli = { 0 };
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &cli.kubeconfig,
      N_("Use this kubeconfig file instead of the configured cluster"), N_("FILE") },
    { "context", 0, 0, G_OPTION_ARG_STRING, &cli.context,
      N_("Use this kubeconfig context"), N_("NAME") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &cli.verbose,
      N_("Print what operations do on standard output"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const Command *command = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (DR_CLI_PROGRAM);
  /* Before anything that could block, reading a file included. */
  watch_signals ();

  description = describe_commands ();
  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Manages deskrun's local GitHub Actions runners."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Stop at the command: what follows are its own options. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = dr_cli_usage (&cli, "%s.", error->message);
      dr_cli_clear (&cli);
      return status;
    }

  if (version)
    {
      g_print ("%s %s\n", DR_CLI_PROGRAM, PACKAGE_VERSION);
      dr_cli_clear (&cli);
      return DR_CLI_EXIT_OK;
    }

  if (argc < 2)
    {
      status = dr_cli_usage (&cli, _("No command given."));
      dr_cli_clear (&cli);
      return status;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];
  if (command == NULL)
    {
      status = dr_cli_usage (&cli, _("Unknown command “%s”."), argv[1]);
      dr_cli_clear (&cli);
      return status;
    }

  cli.command = command->name;
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.engine = dr_engine_new (NULL, NULL);
  /* Watches only for the commands that show live state (dr_cli_wait_synced()). */
  dr_engine_set_observing (cli.engine, FALSE);
  g_atomic_pointer_set (&current_cli, &cli);

  status = command->func (&cli, argc - 1, argv + 1);

  /* Interrupted: whatever the command made of the cancel, the status says what happened. */
  if (signal_received != 0 && !(cli.ends_on_interrupt && status == DR_CLI_EXIT_OK))
    status = 128 + signal_received;
  fflush (stdout);
  dr_cli_clear (&cli);
  return status;
}
