/* dr-cli.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every deskrunctl command shares: the engine, the connection options, a main loop to
 * wait for the engine's asynchronous verbs, and the three ways a command ends (exit status 0,
 * 1 with one line on stderr, 2 for a usage error with a hint to --help).
 */
#pragma once

#include <gio/gio.h>

#include "dr-cluster.h"
#include "dr-engine.h"
#include "dr-operation.h"

G_BEGIN_DECLS

#define DR_CLI_PROGRAM "deskrunctl"

enum
{
  DR_CLI_EXIT_OK      = 0,
  DR_CLI_EXIT_FAILURE = 1,
  DR_CLI_EXIT_USAGE   = 2,
};

/* The cluster deskrunctl talks to, as far as it knows. */
typedef struct
{
  char     *kind;        /* "kind" or "context" */
  char     *name;        /* the kind cluster or the kubeconfig context */
  char     *server;      /* the API server, NULL when not connected */
  char     *error;       /* why there is no connection; NULL when there is one, or when none
                          * was tried */
  gboolean  connected;
  gboolean  unreachable; /* it should be there but could not be reached: what runs there is
                          * unknown (not "not deployed") */
} DrCliClusterInfo;

typedef struct
{
  /* Global options. */
  char         *kubeconfig;   /* --kubeconfig FILE */
  char         *context;      /* --context NAME */
  gboolean      verbose;      /* --verbose: operation logs on stdout instead of stderr */

  const char   *command;      /* the command being run, for messages */
  DrEngine     *engine;
  gboolean      target_set;   /* the options' cluster replaced the configured one */
  GMainLoop    *loop;
  GCancellable *cancellable;  /* cancelled by Ctrl-C */
  DrOperation  *operation;    /* the operation being waited for, cancelled by Ctrl-C */
  GAsyncResult *result;       /* set by dr_cli_async_cb */
  gboolean      interrupted;
  gboolean      ends_on_interrupt;  /* Ctrl-C is how this command ends (status --watch, logs
                                     * --follow): its own exit status stands */
  DrCliClusterInfo cluster;
} DrCli;

typedef int (*DrCliCommandFunc) (DrCli  *cli,
                                 int     argc,
                                 char  **argv);

/* Ends a command: prints "deskrunctl: MESSAGE" as one line on stderr, returns 1. */
int             dr_cli_fail                (DrCli          *cli,
                                            const char     *format,
                                            ...) G_GNUC_PRINTF (2, 3);
int             dr_cli_fail_error          (DrCli          *cli,
                                            const GError   *error);
/* Ends a command with a usage error: one line with a hint to `deskrunctl COMMAND --help`,
 * returns 2. */
int             dr_cli_usage               (DrCli          *cli,
                                            const char     *format,
                                            ...) G_GNUC_PRINTF (2, 3);
/* A warning that does not change the exit status. */
void            dr_cli_warn                (DrCli          *cli,
                                            const char     *format,
                                            ...) G_GNUC_PRINTF (2, 3);

/* The option context of one command: `deskrunctl COMMAND [OPTION…] PARAMETERS`. */
GOptionContext *dr_cli_option_context_new  (DrCli              *cli,
                                            const char         *parameters,
                                            const char         *summary,
                                            const GOptionEntry *entries);
/* Parses; on failure prints the usage error and returns FALSE with *@status set to 2. */
gboolean        dr_cli_parse               (DrCli              *cli,
                                            GOptionContext     *context,
                                            int                *argc,
                                            char             ***argv,
                                            int                *status);
/* A whole number option given as text ("--min-runners 2"). */
gboolean        dr_cli_parse_uint          (DrCli              *cli,
                                            const char         *option,
                                            const char         *text,
                                            guint               max,
                                            guint              *out_value,
                                            int                *status);

/* @text followed by spaces up to @width characters (not bytes: translations are UTF-8). */
char           *dr_cli_pad                 (const char         *text,
                                            guint               width);

/* The NAME argument after the options (argv[0] is the command); with @optional it may be
 * missing (*@out_name NULL). Usage errors for more arguments. */
gboolean        dr_cli_take_name           (DrCli              *cli,
                                            int                 argc,
                                            char              **argv,
                                            gboolean            optional,
                                            const char        **out_name,
                                            int                *status);
/* The engine's runners, each a reference. */
GPtrArray      *dr_cli_dup_runners         (DrCli              *cli);
/* "There is no runner named …", exit status 1. */
int             dr_cli_fail_no_runner      (DrCli              *cli,
                                            const char         *name);

/* Asynchronous calls: pass dr_cli_async_cb and the cli, then dr_cli_wait() runs the main
 * loop until the call completes and returns its result (transfer full). */
void            dr_cli_async_cb            (GObject            *object,
                                            GAsyncResult       *result,
                                            gpointer            user_data);
GAsyncResult   *dr_cli_wait                (DrCli              *cli);

/* Loads the config into the engine; a config problem is a warning for commands that only
 * read it. */
void            dr_cli_load_config         (DrCli              *cli);

/* The engine's cluster: the kubeconfig context of --kubeconfig / --context (set on first
 * use), else the configured one (deskrun's kind cluster, or a kubeconfig context). */
DrCluster      *dr_cli_get_target          (DrCli              *cli);
/* Refreshes the target quietly (prerequisites, state, controller) and fills cli->cluster. */
gboolean        dr_cli_refresh_cluster     (DrCli              *cli,
                                            GError            **error);
/* Refreshes the target and gives the engine its client. Fills cli->cluster; on failure
 * cli->cluster.error says why, too (the cluster is absent, stopped, unreachable…). */
gboolean        dr_cli_connect             (DrCli              *cli,
                                            GError            **error);
void            dr_cli_cluster_info_clear  (DrCliClusterInfo   *info);
/* After dr_cli_connect(): runs the main loop until the engine has listed what the cluster
 * has (its watches synced). When it cannot (the cluster does not answer, Ctrl-C), the engine
 * is disconnected and cli->cluster says why, so nothing half-seen is shown. */
gboolean        dr_cli_wait_synced         (DrCli              *cli,
                                            GError            **error);

/* Runs @operation to its end: its log lines go to stderr (stdout with --verbose) as they
 * come, its progress is drawn on a terminal only, Ctrl-C cancels it. Returns the exit
 * status, having printed the failure. */
int             dr_cli_run_operation       (DrCli              *cli,
                                            DrOperation        *operation);
/* Waits for @operation; with @show as dr_cli_run_operation() does, else quietly. */
gboolean        dr_cli_wait_operation      (DrCli              *cli,
                                            DrOperation        *operation,
                                            gboolean            show,
                                            GError            **error);

/* Commands. */
int             dr_cli_list                (DrCli *cli, int argc, char **argv);
int             dr_cli_status              (DrCli *cli, int argc, char **argv);
int             dr_cli_add                 (DrCli *cli, int argc, char **argv);
int             dr_cli_remove              (DrCli *cli, int argc, char **argv);
int             dr_cli_render              (DrCli *cli, int argc, char **argv);
int             dr_cli_doctor              (DrCli *cli, int argc, char **argv);
/* doctor --workflow FILE [--json]: the routing doctor, no network (dr-cli-doctor-workflow.c) */
int             dr_cli_doctor_workflow     (DrCli *cli, const char *file, gboolean json);
int             dr_cli_apply               (DrCli *cli, int argc, char **argv);
int             dr_cli_scale               (DrCli *cli, int argc, char **argv);
int             dr_cli_up                  (DrCli *cli, int argc, char **argv);
int             dr_cli_down                (DrCli *cli, int argc, char **argv);
int             dr_cli_logs                (DrCli *cli, int argc, char **argv);
int             dr_cli_cluster             (DrCli *cli, int argc, char **argv);
int             dr_cli_controller          (DrCli *cli, int argc, char **argv);

/* @text without terminal control characters (C0 but tab and newline, DEL, C1, bidi
 * overrides), invalid UTF-8 replaced: what a server sent (Status messages, log lines, pod
 * and job names) is printed through this, so it cannot move the cursor, retitle the
 * terminal or hide text. */
char *dr_cli_printable (const char *text);

G_END_DECLS
