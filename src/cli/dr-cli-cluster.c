/* dr-cli-cluster.c — deskrunctl doctor, cluster, controller, up, down
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cli.h"
#include "dr-config.h"
#include "dr-prerequisites.h"
#include "dr-stray-credentials.h"
#include "dr-versions.h"

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : "unknown";
}

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *column = dr_cli_pad (label, 12);
  g_autofree char *printable = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  printable = dr_cli_printable (value);
  g_print ("%s %s\n", column, printable);
}

/* "ready (0.14.2)", "missing". */
static char *
describe_controller (DrCluster *target)
{
  const char *state = enum_nick (DR_TYPE_CONTROLLER_STATE,
                                 dr_cluster_get_controller_state (target));
  const char *version = dr_cluster_get_controller_version (target);

  if (version != NULL)
    return g_strdup_printf ("%s (%s)", state, version);
  return g_strdup (state);
}

/* doctor */

static void
print_check (gboolean    ok,
             const char *title,
             const char *detail,
             const char *fix)
{
  /* Translators: the first column of `deskrunctl doctor`, keep both equally short. */
  g_autofree char *mark = dr_cli_pad (ok ? C_("doctor", "ok") : C_("doctor", "FAIL"), 6);
  g_autofree char *column = dr_cli_pad (title, 18);
  g_autofree char *indent = dr_cli_pad ("", 6 + 1 + MAX (18, g_utf8_strlen (title, -1)));
  g_autofree char *printable = dr_cli_printable (detail != NULL ? detail : "");
  g_auto(GStrv) details = g_strsplit (printable, "\n", -1);

  g_print ("%s %s %s\n", mark, column, details[0] != NULL ? details[0] : "");
  for (guint i = 1; details[i] != NULL; i++)
    g_print ("%s %s\n", indent, details[i]);
  if (fix != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (fix, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_print ("%s %s\n", indent, lines[i]);
    }
}

/* A doctor line that is worth knowing but fails nothing. */
static void
print_note (const char *title,
            const char *detail,
            const char *fix)
{
  /* Translators: the first column of `deskrunctl doctor`, as short as "ok" and "FAIL". */
  g_autofree char *mark = dr_cli_pad (C_("doctor", "note"), 6);
  g_autofree char *column = dr_cli_pad (title, 18);
  g_autofree char *indent = dr_cli_pad ("", 6 + 1 + MAX (18, g_utf8_strlen (title, -1)));
  g_autofree char *printable = dr_cli_printable (detail != NULL ? detail : "");
  g_auto(GStrv) details = g_strsplit (printable, "\n", -1);
  g_auto(GStrv) lines = g_strsplit (fix != NULL ? fix : "", "\n", -1);

  g_print ("%s %s %s\n", mark, column, details[0] != NULL ? details[0] : "");
  for (guint i = 1; details[i] != NULL; i++)
    g_print ("%s %s\n", indent, details[i]);
  for (guint i = 0; fix != NULL && lines[i] != NULL; i++)
    g_print ("%s %s\n", indent, lines[i]);
}

/* Keyring items no runner refers to (an add or a remove interrupted between the keyring and
 * the config): reported, and removed only with --remove-stray-credentials. FALSE when
 * cancelled. */
static gboolean
check_stray_credentials (DrCli    *cli,
                         gboolean  remove)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) strays = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) detail = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) id_list = NULL;
  guint removed = 0;

  /* A config that cannot be used may refer to any of them. */
  if (dr_config_is_read_only (dr_engine_get_config (cli->engine)))
    {
      print_note (_("Keyring"), _("Not checked, as the configuration cannot be used."), NULL);
      return TRUE;
    }

  dr_engine_find_stray_credentials_async (cli->engine, cli->cancellable, dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  strays = dr_engine_find_stray_credentials_finish (cli->engine, result, &error);
  if (strays == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return FALSE;
      print_note (_("Keyring"), error->message, NULL);
      return TRUE;
    }
  if (strays->len == 0)
    {
      print_check (TRUE, _("Keyring"), _("No credentials without a runner"), NULL);
      return TRUE;
    }

  detail = g_string_new (NULL);
  g_string_append_printf (detail,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u credential in the keyring belongs to no runner "
                                       "(an add or a remove was interrupted):",
                                       "%u credentials in the keyring belong to no runner "
                                       "(an add or a remove was interrupted):",
                                       strays->len),
                          strays->len);
  for (guint i = 0; i < strays->len; i++)
    {
      DrStrayCredential *stray = g_ptr_array_index (strays, i);

      g_string_append_printf (detail, "\n  %s (%s)", stray->label, stray->id);
      g_strv_builder_add (ids, stray->id);
    }

  if (!remove)
    {
      g_autofree char *fix = g_strdup_printf (_("Remove them:\n  %s doctor "
                                                "--remove-stray-credentials"),
                                              DR_CLI_PROGRAM);

      print_note (_("Keyring"), detail->str, fix);
      return TRUE;
    }

  print_note (_("Keyring"), detail->str, NULL);
  id_list = g_strv_builder_end (ids);
  g_clear_object (&result);
  dr_engine_remove_stray_credentials_async (cli->engine, (const char * const *) id_list,
                                            cli->cancellable, dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  if (!dr_engine_remove_stray_credentials_finish (cli->engine, result, &removed, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return FALSE;
      print_check (FALSE, _("Keyring"), error->message, NULL);
      return TRUE;
    }
  {
    g_autofree char *done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Removed %u credential.",
                                                          "Removed %u credentials.", removed),
                                             removed);

    print_check (TRUE, _("Keyring"), done, NULL);
  }
  return TRUE;
}

/* What to run next for a kind cluster in @state, or NULL. */
static char *
cluster_fix (DrClusterState state)
{
  switch (state)
    {
    case DR_CLUSTER_STATE_ABSENT:
      return g_strdup_printf (_("Create it:\n  %s cluster create"), DR_CLI_PROGRAM);
    case DR_CLUSTER_STATE_STOPPED:
      return g_strdup_printf (_("Start it:\n  %s cluster start"), DR_CLI_PROGRAM);
    case DR_CLUSTER_STATE_UNKNOWN:
    case DR_CLUSTER_STATE_STARTING:
    case DR_CLUSTER_STATE_READY:
    case DR_CLUSTER_STATE_UNREACHABLE:
    default:
      return NULL;
    }
}

int
dr_cli_doctor (DrCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrPrerequisites) checked = NULL;
  g_autoptr(GError) error = NULL;
  const DrPrerequisites *prerequisites = NULL;
  g_autofree char *cluster_title = NULL;
  DrCluster *target;
  DrClusterState state;
  gboolean refreshed;
  const char *problem;
  guint failed = 0;
  int status;
  gboolean remove_strays = FALSE;
  g_autofree char *workflow = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "remove-stray-credentials", 0, 0, G_OPTION_ARG_NONE, &remove_strays,
      N_("Remove the credentials in the keyring that belong to no runner"), NULL },
    { "workflow", 'w', 0, G_OPTION_ARG_FILENAME, &workflow,
      N_("Tell where each job of this workflow file runs, against the configured runners "
         "(no network)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("With --workflow: print the verdicts as JSON (see README)"), NULL },
    { NULL }
  };

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Checks what deskrun needs: on this computer a "
                                         "container engine, kind and disk space; the cluster "
                                         "and ARC's controller; the configuration and the "
                                         "keyring. Says how to fix what is missing. With "
                                         "--workflow, tells where each job of a workflow "
                                         "file will run."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[1]);
  if (json && workflow == NULL)
    return dr_cli_usage (cli, _("--json goes with --workflow FILE."));
  if (workflow != NULL && remove_strays)
    return dr_cli_usage (cli, _("--workflow and --remove-stray-credentials are separate "
                                "checks; run them one at a time."));
  if (workflow != NULL)
    return dr_cli_doctor_workflow (cli, workflow, json);

  dr_engine_load (cli->engine);
  target = dr_cli_get_target (cli);
  refreshed = dr_cli_refresh_cluster (cli, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return dr_cli_fail_error (cli, error);

  /* This computer: only a kind cluster runs here. */
  if (dr_cluster_is_kind (target))
    {
      prerequisites = dr_cluster_get_prerequisites (target);
      if (prerequisites == NULL)
        {
          g_autoptr(GAsyncResult) result = NULL;
          g_autoptr(GError) check_error = NULL;

          dr_prerequisites_check_async (NULL, cli->cancellable, dr_cli_async_cb, cli);
          result = dr_cli_wait (cli);
          checked = dr_prerequisites_check_finish (result, &check_error);
          if (checked == NULL)
            return dr_cli_fail_error (cli, check_error);
          prerequisites = checked;
        }
      for (guint i = 0; i < prerequisites->items->len; i++)
        {
          const DrPrerequisite *item = g_ptr_array_index (prerequisites->items, i);

          print_check (item->ok, item->title, item->detail, item->fix);
          if (!item->ok)
            failed++;
        }
    }

  /* The cluster, and the controller in it. */
  state = dr_cluster_get_state (target);
  /* Translators: a `deskrunctl doctor` item; %s is the kind cluster's or context's name. */
  cluster_title = g_strdup_printf (_("Cluster “%s”"), cli->cluster.name ? cli->cluster.name
                                                                        : "");
  if (!refreshed && prerequisites != NULL && !dr_prerequisites_all_ok (prerequisites))
    print_check (FALSE, cluster_title, _("Cannot be checked before the items above are fixed."),
                 NULL);
  else if (!refreshed)
    print_check (FALSE, cluster_title, error->message, NULL);
  else
    {
      g_autofree char *fix = cluster_fix (state);
      const char *detail = dr_cluster_get_state_detail (target);
      g_autofree char *text = NULL;

      text = detail != NULL ? g_strdup_printf ("%s: %s", enum_nick (DR_TYPE_CLUSTER_STATE, state),
                                               detail)
                            : g_strdup (enum_nick (DR_TYPE_CLUSTER_STATE, state));
      print_check (state == DR_CLUSTER_STATE_READY, cluster_title, text, fix);
    }
  if (state != DR_CLUSTER_STATE_READY)
    failed++;
  else
    {
      DrControllerState controller = dr_cluster_get_controller_state (target);
      g_autofree char *text = describe_controller (target);
      const char *detail = dr_cluster_get_controller_detail (target);
      g_autofree char *full = detail != NULL ? g_strdup_printf ("%s: %s", text, detail)
                                             : g_strdup (text);
      g_autofree char *fix = NULL;

      if (controller != DR_CONTROLLER_STATE_READY)
        {
          fix = g_strdup_printf (_("Install it:\n  %s controller install"), DR_CLI_PROGRAM);
          failed++;
        }
      print_check (controller == DR_CONTROLLER_STATE_READY, _("ARC controller"), full, fix);
    }

  problem = dr_engine_get_config_problem (cli->engine);
  print_check (problem == NULL, _("Configuration"),
               problem != NULL ? problem
                               : dr_config_get_path (dr_engine_get_config (cli->engine)),
               NULL);
  if (problem != NULL)
    failed++;

  if (!check_stray_credentials (cli, remove_strays))
    return dr_cli_fail (cli, "%s", _("Cancelled."));

  if (failed > 0)
    return dr_cli_fail (cli, g_dngettext (GETTEXT_PACKAGE,
                                          "%u check failed; see above for how to fix it.",
                                          "%u checks failed; see above for how to fix them.",
                                          failed),
                        failed);
  return DR_CLI_EXIT_OK;
}

/* cluster */

static void
print_cluster_status (DrCli *cli)
{
  DrCluster *target = dr_cli_get_target (cli);
  g_autofree char *name = g_strdup_printf ("%s (%s)", cli->cluster.name ? cli->cluster.name : "",
                                           cli->cluster.kind);
  g_autofree char *controller = describe_controller (target);

  print_field (_("Cluster"), name);
  print_field (_("State"), enum_nick (DR_TYPE_CLUSTER_STATE, dr_cluster_get_state (target)));
  print_field (_("Detail"), dr_cluster_get_state_detail (target));
  print_field (_("Server"), cli->cluster.server);
  /* The controller is only looked for in a cluster that answers. */
  if (dr_cluster_get_state (target) != DR_CLUSTER_STATE_READY)
    return;
  print_field (_("Controller"), controller);
  print_field (_("Detail"), dr_cluster_get_controller_detail (target));
}

static gboolean
take_no_arguments (DrCli  *cli,
                   int     argc,
                   char  **argv,
                   int    *status)
{
  if (argc > 1)
    {
      *status = dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[1]);
      return FALSE;
    }
  return TRUE;
}

static int
cluster_verb (DrCli         *cli,
              int            argc,
              char         **argv,
              const char    *summary,
              DrOperation *(*verb) (DrCluster *cluster))
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL, summary, NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !take_no_arguments (cli, argc, argv, &status))
    return status;

  dr_cli_load_config (cli);
  if (!dr_cli_refresh_cluster (cli, &error))
    return dr_cli_fail_error (cli, error);
  operation = verb (dr_cli_get_target (cli));
  return dr_cli_run_operation (cli, operation);
}

static int
cluster_status (DrCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Shows the state of the cluster and of ARC's "
                                         "controller in it."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !take_no_arguments (cli, argc, argv, &status))
    return status;

  dr_cli_load_config (cli);
  if (!dr_cli_refresh_cluster (cli, &error))
    return dr_cli_fail_error (cli, error);
  print_cluster_status (cli);
  return DR_CLI_EXIT_OK;
}

typedef int (*SubcommandFunc) (DrCli *cli, int argc, char **argv);

typedef struct
{
  const char     *name;
  SubcommandFunc  func;
} Subcommand;

/* `deskrunctl GROUP SUB …`: SUB becomes part of the command name, for its --help. */
static int
run_subcommand (DrCli             *cli,
                int                argc,
                char             **argv,
                const char        *parameters,
                const char        *summary,
                const Subcommand  *subcommands,
                guint              n_subcommands)
{
  g_autofree char *command = NULL;
  int status;

  if (argc < 2 || argv[1][0] == '-')
    {
      g_autoptr(GOptionContext) context = dr_cli_option_context_new (cli, parameters, summary,
                                                                     NULL);

      if (!dr_cli_parse (cli, context, &argc, &argv, &status))
        return status;
      return dr_cli_usage (cli, _("Say what to do: %s."), parameters);
    }

  for (guint i = 0; i < n_subcommands; i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      {
        command = g_strdup_printf ("%s %s", cli->command, subcommands[i].name);
        cli->command = command;
        status = subcommands[i].func (cli, argc - 1, argv + 1);
        cli->command = NULL;
        return status;
      }
  return dr_cli_usage (cli, _("Unknown action “%s”; use %s."), argv[1], parameters);
}

static int
cluster_create (DrCli  *cli,
                int     argc,
                char  **argv)
{
  return cluster_verb (cli, argc, argv,
                       _("Creates deskrun's kind cluster, sharing the cache folder (and the "
                         "Docker socket and Nix store when there are) with it."),
                       dr_cluster_create);
}

static int
cluster_start (DrCli  *cli,
               int     argc,
               char  **argv)
{
  return cluster_verb (cli, argc, argv,
                       _("Starts the stopped kind cluster (after a reboot) and waits until it "
                         "is ready."),
                       dr_cluster_start);
}

static int
cluster_delete (DrCli  *cli,
                int     argc,
                char  **argv)
{
  return cluster_verb (cli, argc, argv,
                       _("Deletes the kind cluster and everything in it. The configuration and "
                         "the credentials stay; “deskrunctl up” makes it all again."),
                       dr_cluster_delete);
}

int
dr_cli_cluster (DrCli  *cli,
                int     argc,
                char  **argv)
{
  static const Subcommand subcommands[] = {
    { "create", cluster_create },
    { "start", cluster_start },
    { "status", cluster_status },
    { "delete", cluster_delete },
  };

  return run_subcommand (cli, argc, argv, "create|start|status|delete",
                         _("Manages deskrun's kind cluster."),
                         subcommands, G_N_ELEMENTS (subcommands));
}

/* controller */

/* --registry URL: checked before anything runs; the message never repeats the address. */
static gboolean
check_registry (DrCli      *cli,
                const char *registry,
                int        *status)
{
  g_autoptr(GError) error = NULL;

  if (registry == NULL || dr_config_check_chart_registry (registry, &error))
    return TRUE;

  *status = dr_cli_usage (cli, "%s", error->message);
  return FALSE;
}

/* @registry, when given, replaces the configured chart registry for this run only. */
static int
install_controller (DrCli      *cli,
                    const char *chart_file,
                    const char *registry,
                    gboolean    migrate)
{
  g_autoptr(DrOperation) operation = NULL;
  DrCluster *target = dr_cli_get_target (cli);

  if (registry != NULL)
    dr_cluster_set_chart_registry (target, registry);
  operation = dr_cluster_install_controller (target, chart_file,
                                             migrate ? DR_CONTROLLER_INSTALL_MIGRATE
                                                     : DR_CONTROLLER_INSTALL_NONE);
  return dr_cli_run_operation (cli, operation);
}

static int
controller_install (DrCli  *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *chart_file = NULL;
  g_autofree char *registry = NULL;
  gboolean migrate = FALSE;
  const GOptionEntry entries[] = {
    { "chart", 0, 0, G_OPTION_ARG_FILENAME, &chart_file,
      N_("Install from this chart .tgz instead of pulling it (for machines without internet)"),
      N_("FILE") },
    { "registry", 0, 0, G_OPTION_ARG_STRING, &registry,
      N_("Pull the chart from this registry (a mirror) instead of the configured one"),
      N_("URL") },
    { "migrate", 0, 0, G_OPTION_ARG_NONE, &migrate,
      N_("Move scale sets of another ARC version to this one instead of refusing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  /* Translators: %s is ARC's version, "0.14.2". */
  g_autofree char *summary = g_strdup_printf (_("Installs (or upgrades) ARC's controller %s in "
                                                "the cluster, without helm."),
                                              DR_ARC_VERSION);
  int status;

  context = dr_cli_option_context_new (cli, NULL, summary, entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !take_no_arguments (cli, argc, argv, &status) ||
      !check_registry (cli, registry, &status))
    return status;
  if (chart_file != NULL && !g_file_test (chart_file, G_FILE_TEST_IS_REGULAR))
    return dr_cli_fail (cli, _("The chart “%s” does not exist."), chart_file);

  dr_cli_load_config (cli);
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);
  return install_controller (cli, chart_file, registry, migrate);
}

static int
controller_status (DrCli  *cli,
                   int     argc,
                   char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *controller = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Shows whether ARC's controller runs in the cluster, "
                                         "and its version."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !take_no_arguments (cli, argc, argv, &status))
    return status;

  dr_cli_load_config (cli);
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);
  controller = describe_controller (dr_cli_get_target (cli));
  print_field (_("Controller"), controller);
  print_field (_("Namespace"), dr_cluster_get_controller_namespace (dr_cli_get_target (cli)));
  print_field (_("Detail"), dr_cluster_get_controller_detail (dr_cli_get_target (cli)));
  return DR_CLI_EXIT_OK;
}

int
dr_cli_controller (DrCli  *cli,
                   int     argc,
                   char  **argv)
{
  static const Subcommand subcommands[] = {
    { "install", controller_install },
    { "status", controller_status },
  };

  return run_subcommand (cli, argc, argv, "install|status",
                         _("Manages ARC's controller in the cluster."),
                         subcommands, G_N_ELEMENTS (subcommands));
}

/* up, down */

/* The kind cluster running, whatever state it was in. */
static int
bring_cluster_up (DrCli *cli)
{
  DrCluster *target = dr_cli_get_target (cli);
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (!dr_cluster_is_kind (target))
    return DR_CLI_EXIT_OK;

  switch (dr_cluster_get_state (target))
    {
    case DR_CLUSTER_STATE_ABSENT:
      operation = dr_cluster_create (target);
      break;
    case DR_CLUSTER_STATE_STOPPED:
    case DR_CLUSTER_STATE_STARTING:
      operation = dr_cluster_start (target);
      break;
    case DR_CLUSTER_STATE_READY:
      return DR_CLI_EXIT_OK;
    case DR_CLUSTER_STATE_UNKNOWN:
    case DR_CLUSTER_STATE_UNREACHABLE:
    default:
      return dr_cli_fail (cli, "%s", dr_cluster_get_state_detail (target) != NULL
                                       ? dr_cluster_get_state_detail (target)
                                       : _("The cluster cannot be reached."));
    }
  return dr_cli_run_operation (cli, operation);
}

int
dr_cli_up (DrCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *chart_file = NULL;
  g_autofree char *registry = NULL;
  const GOptionEntry entries[] = {
    { "chart", 0, 0, G_OPTION_ARG_FILENAME, &chart_file,
      N_("Install the controller from this chart .tgz instead of pulling it"), N_("FILE") },
    { "registry", 0, 0, G_OPTION_ARG_STRING, &registry,
      N_("Pull the controller's chart from this registry (a mirror) instead of the configured "
         "one"), N_("URL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Brings everything to the desired state: the kind "
                                         "cluster created or started, ARC's controller "
                                         "installed, every configured runner applied."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !take_no_arguments (cli, argc, argv, &status) ||
      !check_registry (cli, registry, &status))
    return status;
  if (chart_file != NULL && !g_file_test (chart_file, G_FILE_TEST_IS_REGULAR))
    return dr_cli_fail (cli, _("The chart “%s” does not exist."), chart_file);

  dr_cli_load_config (cli);
  if (!dr_cli_refresh_cluster (cli, &error))
    return dr_cli_fail_error (cli, error);

  status = bring_cluster_up (cli);
  if (status != DR_CLI_EXIT_OK)
    return status;
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);

  if (dr_cluster_get_controller_state (dr_cli_get_target (cli)) != DR_CONTROLLER_STATE_READY)
    {
      status = install_controller (cli, chart_file, registry, FALSE);
      if (status != DR_CLI_EXIT_OK)
        return status;
    }

  operation = dr_engine_apply_all (cli->engine);
  return dr_cli_run_operation (cli, operation);
}

int
dr_cli_down (DrCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Removes every runner's scale sets from the cluster "
                                         "and keeps the configuration; “deskrunctl up” brings "
                                         "them back."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !take_no_arguments (cli, argc, argv, &status))
    return status;

  dr_cli_load_config (cli);
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);
  operation = dr_engine_remove_all_from_cluster (cli->engine);
  return dr_cli_run_operation (cli, operation);
}
