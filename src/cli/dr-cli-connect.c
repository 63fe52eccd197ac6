/* dr-cli-connect.c — which cluster deskrunctl talks to
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cli.h"
#include "dr-error.h"
#include "dr-kube-client.h"
#include "dr-kubeconfig.h"

void
dr_cli_cluster_info_clear (DrCliClusterInfo *info)
{
  g_clear_pointer (&info->kind, g_free);
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->server, g_free);
  g_clear_pointer (&info->error, g_free);
  info->connected = FALSE;
}

/* Whether the options name a kubeconfig context, which overrides the configured cluster. */
static gboolean
uses_kubeconfig_options (DrCli *cli)
{
  return cli->kubeconfig != NULL || cli->context != NULL;
}

void
dr_cli_describe_cluster (DrCli *cli)
{
  DrConfig *config = dr_engine_get_config (cli->engine);

  dr_cli_cluster_info_clear (&cli->cluster);
  if (uses_kubeconfig_options (cli))
    {
      cli->cluster.kind = g_strdup ("context");
      cli->cluster.name = g_strdup (cli->context);  /* NULL: the kubeconfig's current one */
    }
  else
    {
      cli->cluster.kind = g_strdup (dr_config_get_cluster_kind (config) == DR_CLUSTER_KIND_KIND
                                      ? "kind" : "context");
      cli->cluster.name = g_strdup (dr_config_get_cluster_name (config));
    }
}

static DrKubeClient *
client_for_context (DrCli       *cli,
                    const char  *context_name,
                    GError     **error)
{
  g_autoptr(DrKubeconfig) kubeconfig = NULL;
  g_autoptr(DrKubeContext) context = NULL;

  if (cli->kubeconfig != NULL)
    {
      const char *paths[] = { cli->kubeconfig, NULL };

      /* kubectl skips a missing file in a list; one named on purpose must be there. */
      if (!g_file_test (cli->kubeconfig, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The kubeconfig “%s” does not exist."), cli->kubeconfig);
          return NULL;
        }
      kubeconfig = dr_kubeconfig_load_files (paths, error);
    }
  else
    kubeconfig = dr_kubeconfig_load_default (error);
  if (kubeconfig == NULL)
    return NULL;

  context = dr_kubeconfig_resolve (kubeconfig, context_name, error);
  if (context == NULL)
    return NULL;
  if (cli->cluster.name == NULL)
    cli->cluster.name = g_strdup (context->context_name);
  return dr_kube_client_new (context, error);
}

gboolean
dr_cli_connect (DrCli   *cli,
                GError **error)
{
  DrConfig *config = dr_engine_get_config (cli->engine);
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(GError) local_error = NULL;

  dr_cli_describe_cluster (cli);

  if (uses_kubeconfig_options (cli))
    client = client_for_context (cli, cli->context, &local_error);
  else if (dr_config_get_cluster_kind (config) == DR_CLUSTER_KIND_CONTEXT)
    client = client_for_context (cli, dr_config_get_cluster_name (config), &local_error);
  else
    g_set_error (&local_error, DR_ERROR, DR_ERROR_UNSUPPORTED,
                 _("deskrunctl cannot reach the kind cluster “%s” yet. Use --kubeconfig with "
                   "the kubeconfig of a cluster (kind get kubeconfig --name %s)."),
                 dr_config_get_cluster_name (config), dr_config_get_cluster_name (config));

  if (client == NULL)
    {
      cli->cluster.error = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  cli->cluster.server = g_strdup (dr_kube_client_get_server (client));
  cli->cluster.connected = TRUE;
  dr_engine_set_kube_client (cli->engine, client);
  return TRUE;
}

/* Waiting for the engine's first look at the cluster */

#define SYNC_TIMEOUT_SECONDS 30

typedef struct
{
  DrCli    *cli;
  gboolean  timed_out;
} SyncWait;

static void
watch_state_cb (DrEngine   *engine,
                GParamSpec *pspec,
                SyncWait   *wait)
{
  g_main_loop_quit (wait->cli->loop);
}

static gboolean
sync_timeout_cb (gpointer user_data)
{
  SyncWait *wait = user_data;

  wait->timed_out = TRUE;
  g_main_loop_quit (wait->cli->loop);
  return G_SOURCE_REMOVE;
}

gboolean
dr_cli_wait_synced (DrCli   *cli,
                    GError **error)
{
  SyncWait wait = { cli, FALSE };
  g_autoptr(GError) local_error = NULL;
  gulong synced_id, error_id;
  guint timeout_id;

  if (dr_engine_get_kube_client (cli->engine) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           cli->cluster.error != NULL ? cli->cluster.error
                                                      : _("Not connected to a cluster."));
      return FALSE;
    }

  synced_id = g_signal_connect (cli->engine, "notify::synced", G_CALLBACK (watch_state_cb),
                                &wait);
  error_id = g_signal_connect (cli->engine, "notify::cluster-error",
                               G_CALLBACK (watch_state_cb), &wait);
  timeout_id = g_timeout_add_seconds (SYNC_TIMEOUT_SECONDS, sync_timeout_cb, &wait);
  while (!dr_engine_get_synced (cli->engine) && dr_engine_get_cluster_error (cli->engine) == NULL
         && !wait.timed_out && !cli->interrupted)
    g_main_loop_run (cli->loop);
  g_signal_handler_disconnect (cli->engine, synced_id);
  g_signal_handler_disconnect (cli->engine, error_id);
  if (!wait.timed_out)
    g_source_remove (timeout_id);

  if (dr_engine_get_synced (cli->engine))
    return TRUE;

  if (cli->interrupted)
    g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
  else if (dr_engine_get_cluster_error (cli->engine) != NULL)
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                 _("Cannot watch the cluster at %s: %s"), cli->cluster.server,
                 dr_engine_get_cluster_error (cli->engine));
  else
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 _("The cluster at %s did not answer within %d seconds."), cli->cluster.server,
                 SYNC_TIMEOUT_SECONDS);

  /* What was seen so far is not the cluster's state: show none. */
  cli->cluster.connected = FALSE;
  g_free (cli->cluster.error);
  cli->cluster.error = g_strdup (local_error->message);
  dr_engine_set_kube_client (cli->engine, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
