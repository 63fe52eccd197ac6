/* dr-cli-runners.c — deskrunctl list, add, apply, scale, remove, render
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "dr-arc-render.h"
#include "dr-cli.h"
#include "dr-cli-output.h"
#include "dr-error.h"
#include "dr-versions.h"
#include "dr-yaml.h"

/* Same limits as the runner spec's own checks; larger values get its message. */
#define MAX_NUMBER 100000

/* list */

int
dr_cli_list (DrCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) runners = NULL;
  g_autoptr(DrCliTable) table = NULL;
  const char *headers[] = { _("NAME"), _("MODE"), _("RUNNERS"), _("REPOSITORY"), NULL };
  int status;

  context = dr_cli_option_context_new (cli, NULL, _("Lists the configured runners."), NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[1]);

  dr_cli_load_config (cli);
  runners = dr_cli_dup_runners (cli);
  if (runners->len == 0)
    {
      g_printerr (_("No runners are configured. Add one with “%s add”.\n"), DR_CLI_PROGRAM);
      return DR_CLI_EXIT_OK;
    }

  table = dr_cli_table_new (headers);
  for (guint i = 0; i < runners->len; i++)
    {
      DrRunnerSpec *spec = dr_runner_get_spec (g_ptr_array_index (runners, i));
      g_autofree char *scaling = dr_cli_describe_scaling (spec);
      const char *cells[] = { spec->name, dr_container_mode_to_string (spec->mode), scaling,
                              spec->repository_url };

      dr_cli_table_add_row (table, cells);
    }
  dr_cli_table_print (table);
  return DR_CLI_EXIT_OK;
}

/* add */

/* Reads a secret from @path ("-": standard input). The caller wipes it with
 * dr_credential_secret_free(). */
static char *
read_secret (const char  *path,
             GError     **error)
{
  g_autoptr(GString) buffer = NULL;
  char chunk[4096];
  char *contents = NULL;

  if (g_strcmp0 (path, "-") != 0)
    {
      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;
      return contents;
    }

  buffer = g_string_sized_new (sizeof chunk);
  for (;;)
    {
      gssize n = read (STDIN_FILENO, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          memset (buffer->str, 0, buffer->len);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not read standard input: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (buffer, chunk, n);
    }
  memset (chunk, 0, sizeof chunk);
  /* Copy out, then wipe the buffer, whose growth may have left copies behind in freed
   * memory we cannot reach; this is the best a GString allows. */
  contents = g_strndup (buffer->str, buffer->len);
  memset (buffer->str, 0, buffer->len);
  return contents;
}

static const char *
option_of_field (DrSpecField field)
{
  switch (field)
    {
    case DR_SPEC_FIELD_NAME: return NULL;  /* the message says "The name …" */
    case DR_SPEC_FIELD_REPOSITORY: return "--repository";
    case DR_SPEC_FIELD_RUNNERS: return "--min-runners/--max-runners";
    case DR_SPEC_FIELD_INSTANCES: return "--instances";
    case DR_SPEC_FIELD_MOUNTS: return "--mount";
    case DR_SPEC_FIELD_RUNNER_GROUP: return "--runner-group";
    case DR_SPEC_FIELD_LABELS: return "--label";
    case DR_SPEC_FIELD_CREDENTIAL: return "--token-file";
    case DR_SPEC_N_FIELDS:
    default: return NULL;
    }
}

static gboolean
refuse_secret_cb (const char  *option_name,
                  const char  *value,
                  gpointer     data,
                  GError     **error)
{
  /* Never quote @value: it is the secret. */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("%s: secrets are never taken on the command line, where other users and the "
                 "shell history can see them. Use --token-file FILE, or --token-file - to read "
                 "the token from standard input"),
               option_name);
  return FALSE;
}

typedef struct
{
  char  *repository;
  char  *mode;
  char  *min_runners;
  char  *max_runners;
  char  *instances;
  GStrv  mounts;
  char  *runner_group;
  GStrv  labels;
  char  *token_file;
  char  *app_id;
  char  *installation_id;
  char  *private_key_file;
  gboolean no_apply;
} AddOptions;

static void
add_options_clear (AddOptions *options)
{
  g_free (options->repository);
  g_free (options->mode);
  g_free (options->min_runners);
  g_free (options->max_runners);
  g_free (options->instances);
  g_strfreev (options->mounts);
  g_free (options->runner_group);
  g_strfreev (options->labels);
  g_free (options->token_file);
  g_free (options->app_id);
  g_free (options->installation_id);
  g_free (options->private_key_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* The runner spec from the options; usage errors name the option. */
static DrRunnerSpec *
build_spec (DrCli      *cli,
            AddOptions *options,
            const char *name,
            int        *status)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  g_free (spec->name);
  spec->name = g_strdup (name);

  if (options->repository == NULL)
    {
      *status = dr_cli_usage (cli, _("--repository is missing: give the URL of the "
                                     "repository or organization, for example "
                                     "https://github.com/OWNER/REPO."));
      return NULL;
    }
  normalized = dr_normalize_repository_url (options->repository, NULL, &error);
  if (normalized == NULL)
    {
      *status = dr_cli_usage (cli, "--repository: %s", error->message);
      return NULL;
    }
  g_free (spec->repository_url);
  spec->repository_url = g_steal_pointer (&normalized);

  if (options->mode != NULL && !dr_container_mode_from_string (options->mode, &spec->mode, &error))
    {
      *status = dr_cli_usage (cli, "--mode: %s", error->message);
      return NULL;
    }

  if ((options->instances != NULL &&
       !dr_cli_parse_uint (cli, "--instances", options->instances, MAX_NUMBER,
                           &spec->instances, status)) ||
      (options->min_runners != NULL &&
       !dr_cli_parse_uint (cli, "--min-runners", options->min_runners, MAX_NUMBER,
                           &spec->min_runners, status)) ||
      (options->max_runners != NULL &&
       !dr_cli_parse_uint (cli, "--max-runners", options->max_runners, MAX_NUMBER,
                           &spec->max_runners, status)))
    return NULL;
  /* Each instance is a scale set of exactly one runner (the deskrun CLI did the same). */
  if (spec->instances > 1 && options->min_runners == NULL && options->max_runners == NULL)
    spec->min_runners = spec->max_runners = 1;

  for (guint i = 0; options->mounts != NULL && options->mounts[i] != NULL; i++)
    {
      DrMount *mount = dr_mount_parse (options->mounts[i], &error);

      if (mount == NULL)
        {
          *status = dr_cli_usage (cli, "--mount: %s", error->message);
          return NULL;
        }
      g_ptr_array_add (spec->mounts, mount);
    }

  if (options->runner_group != NULL && options->runner_group[0] != '\0')
    spec->runner_group = g_strdup (options->runner_group);
  for (guint i = 0; options->labels != NULL && options->labels[i] != NULL; i++)
    g_ptr_array_add (spec->labels, g_strdup (options->labels[i]));

  spec->credential_kind = options->token_file != NULL ? DR_CREDENTIAL_KIND_PAT
                                                      : DR_CREDENTIAL_KIND_GITHUB_APP;

  for (DrSpecField field = 0; field < DR_SPEC_N_FIELDS; field++)
    if (!dr_runner_spec_check_field (spec, field, &error))
      {
        const char *option = option_of_field (field);

        if (option != NULL)
          *status = dr_cli_usage (cli, "%s: %s", option, error->message);
        else
          *status = dr_cli_usage (cli, "%s", error->message);
        return NULL;
      }

  return g_steal_pointer (&spec);
}

static DrCredential *
build_credential (DrCli      *cli,
                  AddOptions *options,
                  int        *status)
{
  g_autoptr(GError) error = NULL;
  gboolean app = options->app_id != NULL || options->installation_id != NULL ||
                 options->private_key_file != NULL;
  char *secret;
  DrCredential *credential;

  if (options->token_file != NULL && app)
    {
      *status = dr_cli_usage (cli, _("Give either --token-file or the GitHub App options "
                                     "(--app-id, --installation-id, --private-key-file), "
                                     "not both."));
      return NULL;
    }
  if (options->token_file == NULL && !app)
    {
      *status = dr_cli_usage (cli, _("A credential is missing: --token-file FILE (- reads "
                                     "standard input), or --app-id, --installation-id and "
                                     "--private-key-file for a GitHub App."));
      return NULL;
    }
  if (app && (options->app_id == NULL || options->installation_id == NULL ||
              options->private_key_file == NULL))
    {
      *status = dr_cli_usage (cli, _("A GitHub App needs all of --app-id, --installation-id "
                                     "and --private-key-file."));
      return NULL;
    }

  secret = read_secret (app ? options->private_key_file : options->token_file, &error);
  if (secret == NULL)
    {
      *status = dr_cli_fail (cli, _("Could not read %s: %s"),
                             app ? "--private-key-file" : "--token-file", error->message);
      return NULL;
    }

  if (app)
    credential = dr_credential_new_app (options->app_id, options->installation_id, secret);
  else
    credential = dr_credential_new_pat (g_strstrip (secret));
  dr_credential_secret_free (secret);
  return credential;
}

int
dr_cli_add (DrCli  *cli,
            int     argc,
            char  **argv)
{
  g_auto(AddOptions) options = { 0 };
  const GOptionEntry entries[] = {
    { "repository", 'r', 0, G_OPTION_ARG_STRING, &options.repository,
      N_("Repository or organization URL (required)"), N_("URL") },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &options.mode,
      N_("Container mode: kubernetes (default), privileged or dind"), N_("MODE") },
    { "min-runners", 0, 0, G_OPTION_ARG_STRING, &options.min_runners,
      N_("Runners kept ready (default 1)"), N_("N") },
    { "max-runners", 0, 0, G_OPTION_ARG_STRING, &options.max_runners,
      N_("Most runners at once (default 5)"), N_("N") },
    { "instances", 0, 0, G_OPTION_ARG_STRING, &options.instances,
      N_("N scale sets NAME-1…NAME-N of one runner each, with caches of their own"), N_("N") },
    { "mount", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.mounts,
      N_("Cache mount: TARGET, SOURCE:TARGET or SOURCE:TARGET:TYPE (repeatable)"),
      N_("SPEC") },
    { "cache", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING_ARRAY, &options.mounts,
      NULL, NULL },
    { "runner-group", 0, 0, G_OPTION_ARG_STRING, &options.runner_group,
      N_("Runner group (default: Default)"), N_("GROUP") },
    { "label", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.labels,
      N_("Extra scale-set label (repeatable)"), N_("LABEL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &options.token_file,
      N_("Read a personal access token from FILE (- reads standard input)"), N_("FILE") },
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &options.app_id,
      N_("GitHub App id or client id"), N_("ID") },
    { "installation-id", 0, 0, G_OPTION_ARG_STRING, &options.installation_id,
      N_("GitHub App installation id"), N_("ID") },
    { "private-key-file", 0, 0, G_OPTION_ARG_FILENAME, &options.private_key_file,
      N_("GitHub App private key (PEM)"), N_("FILE") },
    { "no-apply", 0, 0, G_OPTION_ARG_NONE, &options.no_apply,
      N_("Only save it; “deskrunctl apply NAME” or “up” deploys it later"), NULL },
    /* The deskrun CLI's way, and the obvious guess: refused with a hint. */
    { "token", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_CALLBACK, (gpointer) refuse_secret_cb,
      NULL, NULL },
    { "auth-value", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_CALLBACK, (gpointer) refuse_secret_cb,
      NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrRunnerSpec) spec = NULL;
  g_autoptr(DrCredential) credential = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_auto(GStrv) scale_sets = NULL;
  DrRepositoryScope scope = DR_REPOSITORY_SCOPE_REPOSITORY;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Adds a runner: saves it in the configuration and its "
                                         "credential in the system keyring, then applies it "
                                         "to the cluster when the cluster runs.\n\n"
                                         "Secrets are never taken on the command line: pipe a "
                                         "token in with “--token-file -”."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;

  spec = build_spec (cli, &options, name, &status);
  if (spec == NULL)
    return status;
  credential = build_credential (cli, &options, &status);
  if (credential == NULL)
    return status;
  g_free (dr_normalize_repository_url (spec->repository_url, &scope, NULL));
  if (!dr_credential_validate (credential, scope, &error))
    return dr_cli_usage (cli, "%s: %s",
                         credential->kind == DR_CREDENTIAL_KIND_PAT ? "--token-file"
                                                                    : "--app-id",
                         error->message);

  dr_engine_load (cli->engine);
  dr_engine_add_runner_async (cli->engine, spec, credential, cli->cancellable,
                              dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  runner = dr_engine_add_runner_finish (cli->engine, result, &error);
  if (runner == NULL)
    return dr_cli_fail_error (cli, error);

  scale_sets = dr_runner_spec_dup_scale_set_names (spec);
  if (g_strv_length (scale_sets) == 1)
    g_print (_("Added the runner “%s”. Workflows use it with “runs-on: %s”.\n"), name,
             scale_sets[0]);
  else
    /* Translators: the first and the last scale set of a runner with instances. */
    g_print (_("Added the runner “%s”. Workflows use one instance each, with “runs-on: %s” to "
               "“runs-on: %s”.\n"),
             name, scale_sets[0], scale_sets[g_strv_length (scale_sets) - 1]);
  if (options.no_apply)
    return DR_CLI_EXIT_OK;

  /* Adding needs no cluster; one that is not there yet gets it with `up`. A cluster named on
   * the command line was asked for, though. */
  if (!dr_cli_connect (cli, &error))
    {
      if (cli->kubeconfig != NULL || cli->context != NULL)
        return dr_cli_fail (cli, _("The runner “%s” was added, but not applied: %s"), name,
                            error->message);
      dr_cli_warn (cli, _("Not applied to a cluster yet: %s"), error->message);
      return DR_CLI_EXIT_OK;
    }
  operation = dr_engine_apply_runner (cli->engine, name);
  if (!dr_cli_wait_operation (cli, operation, TRUE, &error))
    return dr_cli_fail (cli, _("The runner “%s” was added, but applying it failed: %s"), name,
                        error->message);
  return DR_CLI_EXIT_OK;
}

/* Connection for verbs that change the configuration and the cluster (scale, remove): when
 * the configured cluster cannot be reached, only the configuration changes, and the next
 * `deskrunctl apply` (or `up`) brings the cluster in line. A cluster named with --kubeconfig
 * or --context must be reachable. Without a cluster only configured runners exist; with
 * one, the engine also knows those that are only in the cluster. */
static gboolean
connect_or_config_only (DrCli       *cli,
                        const char  *name,
                        int         *status)
{
  g_autoptr(GError) error = NULL;

  if (dr_cli_connect (cli, &error))
    return TRUE;
  if (cli->kubeconfig != NULL || cli->context != NULL)
    {
      *status = dr_cli_fail_error (cli, error);
      return FALSE;
    }
  if (dr_engine_lookup_runner (cli->engine, name) == NULL)
    {
      *status = dr_cli_fail_no_runner (cli, name);
      return FALSE;
    }
  dr_cli_warn (cli, _("%s Only the configuration changes."), error->message);
  return TRUE;
}

/* remove */

int
dr_cli_remove (DrCli  *cli,
               int     argc,
               char  **argv)
{
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("After a removal that got stuck: clear the finalizers of what is left (the scale "
         "set then stays registered, offline, on GitHub)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Removes a runner: its scale sets from the cluster "
                                         "(in the order that leaves no stuck finalizers), then "
                                         "it from the configuration and its credential from "
                                         "the keyring."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;

  dr_cli_load_config (cli);
  if (!connect_or_config_only (cli, name, &status))
    return status;

  operation = force ? dr_engine_force_remove_runner (cli->engine, name)
                    : dr_engine_remove_runner (cli->engine, name);
  status = dr_cli_run_operation (cli, operation);
  if (status == DR_CLI_EXIT_OK)
    g_print (_("Removed the runner “%s”.\n"), name);
  return status;
}

/* apply */

int
dr_cli_apply (DrCli  *cli,
              int     argc,
              char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("[NAME]"),
                                       _("Makes the cluster match the configuration of runner "
                                         "NAME, or of every runner: creates or updates their "
                                         "scale sets in place."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, TRUE, &name, &status))
    return status;

  dr_cli_load_config (cli);
  if (name != NULL && dr_engine_lookup_runner (cli->engine, name) == NULL)
    return dr_cli_fail_no_runner (cli, name);
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);

  operation = name != NULL ? dr_engine_apply_runner (cli->engine, name)
                           : dr_engine_apply_all (cli->engine);
  return dr_cli_run_operation (cli, operation);
}

/* scale */

int
dr_cli_scale (DrCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;
  const GOptionEntry entries[] = {
    { "min-runners", 0, 0, G_OPTION_ARG_STRING, &min_text, N_("Runners kept ready"), N_("N") },
    { "max-runners", 0, 0, G_OPTION_ARG_STRING, &max_text, N_("Most runners at once"),
      N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(DrRunnerSpec) wanted = NULL;
  g_autoptr(GError) error = NULL;
  DrRunner *runner;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Changes how many runners runner NAME keeps ready and "
                                         "runs at most, in the configuration and in place in "
                                         "the cluster."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;
  if (min_text == NULL && max_text == NULL)
    return dr_cli_usage (cli, _("Give --min-runners, --max-runners or both."));

  dr_cli_load_config (cli);
  runner = dr_engine_lookup_runner (cli->engine, name);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, name);

  /* The option not given keeps its configured value; the spec's own rules say what fits. */
  wanted = dr_runner_spec_copy (dr_runner_get_spec (runner));
  if ((min_text != NULL &&
       !dr_cli_parse_uint (cli, "--min-runners", min_text, MAX_NUMBER, &wanted->min_runners,
                           &status)) ||
      (max_text != NULL &&
       !dr_cli_parse_uint (cli, "--max-runners", max_text, MAX_NUMBER, &wanted->max_runners,
                           &status)))
    return status;
  if (!dr_runner_spec_check_field (wanted, DR_SPEC_FIELD_RUNNERS, &error) ||
      !dr_runner_spec_check_field (wanted, DR_SPEC_FIELD_INSTANCES, &error))
    return dr_cli_usage (cli, "%s", error->message);

  if (!connect_or_config_only (cli, name, &status))
    return status;
  operation = dr_engine_scale_runner (cli->engine, name, wanted->min_runners,
                                      wanted->max_runners);
  status = dr_cli_run_operation (cli, operation);
  if (status == DR_CLI_EXIT_OK)
    {
      g_autofree char *scaling = dr_cli_describe_scaling (wanted);
      g_print (_("The runner “%s” now has %s.\n"), name, scaling);
    }
  return status;
}

/* render */

int
dr_cli_render (DrCli  *cli,
               int     argc,
               char  **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON List instead of YAML"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;
  DrArcRenderOptions render_options;
  DrConfig *config;
  DrRunner *runner;
  const char *name = NULL;
  int status;

  context = dr_cli_option_context_new (cli, _("NAME"),
                                       _("Prints the Kubernetes objects of runner NAME as YAML, "
                                         "as deskrun applies them, with the credential left "
                                         "empty."),
                                       entries);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status) ||
      !dr_cli_take_name (cli, argc, argv, FALSE, &name, &status))
    return status;

  dr_cli_load_config (cli);
  runner = dr_engine_lookup_runner (cli->engine, name);
  if (runner == NULL)
    return dr_cli_fail_no_runner (cli, name);

  config = dr_engine_get_config (cli->engine);
  dr_arc_render_options_init (&render_options);
  render_options.runner_namespace = dr_config_get_runner_namespace (config);
  render_options.controller_namespace = dr_config_get_controller_namespace (config);
  if (dr_config_get_cluster_kind (config) != DR_CLUSTER_KIND_KIND)
    render_options.storage_class = NULL;

  /* Never with the real credential: this goes to a terminal, a pipe or a file. */
  objects = dr_arc_render_runner (dr_runner_get_spec (runner), NULL, &render_options, &error);
  if (objects == NULL)
    return dr_cli_fail_error (cli, error);

  if (json)
    {
      g_autofree char *text = dr_arc_render_to_json (objects);
      g_print ("%s", text);
      return DR_CLI_EXIT_OK;
    }

  for (guint i = 0; i < objects->len; i++)
    {
      g_autofree char *text = dr_yaml_emit (g_ptr_array_index (objects, i));
      g_print ("---\n%s", text);
    }
  return DR_CLI_EXIT_OK;
}
