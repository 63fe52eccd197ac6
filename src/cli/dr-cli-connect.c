/* dr-cli-connect.c — which cluster deskrunctl talks to
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cli.h"
#include "dr-error.h"

void
dr_cli_cluster_info_clear (DrCliClusterInfo *info)
{
  g_clear_pointer (&info->kind, g_free);
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->server, g_free);
  g_clear_pointer (&info->error, g_free);
  info->connected = FALSE;
  info->unreachable = FALSE;
}

/* Whether the options name a kubeconfig context, which overrides the configured cluster. */
static gboolean
uses_kubeconfig_options (DrCli *cli)
{
  return cli->kubeconfig != NULL || cli->context != NULL;
}

static void
describe_target (DrCli *cli)
{
  DrCluster *target = dr_cli_get_target (cli);
  DrKubeClient *client = dr_cluster_get_kube_client (target);

  g_free (cli->cluster.kind);
  cli->cluster.kind = g_strdup (dr_cluster_is_kind (target) ? "kind" : "context");
  g_free (cli->cluster.name);
  cli->cluster.name = g_strdup (dr_cluster_get_name (target));
  if (cli->cluster.name == NULL && cli->context != NULL)
    cli->cluster.name = g_strdup (cli->context);
  g_free (cli->cluster.server);
  cli->cluster.server = client != NULL ? g_strdup (dr_kube_client_get_server (client)) : NULL;
}

DrCluster *
dr_cli_get_target (DrCli *cli)
{
  /* The engine makes the configured cluster when it loads the config; the options replace
   * it, once. The engine follows the cluster's client from then on. */
  if (dr_engine_get_cluster (cli->engine) == NULL)
    dr_engine_load (cli->engine);
  if (uses_kubeconfig_options (cli) && !cli->target_set)
    {
      g_autoptr(DrCluster) context = dr_cluster_new_for_context (cli->kubeconfig, cli->context);

      dr_engine_set_cluster (cli->engine, context);
      cli->target_set = TRUE;
    }
  return dr_engine_get_cluster (cli->engine);
}

gboolean
dr_cli_refresh_cluster (DrCli   *cli,
                        GError **error)
{
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) local_error = NULL;
  DrCluster *target = dr_cli_get_target (cli);

  /* A list of kubeconfig files skips missing ones, as kubectl does; one named on purpose
   * must be there. */
  if (cli->kubeconfig != NULL && !g_file_test (cli->kubeconfig, G_FILE_TEST_EXISTS))
    {
      g_set_error (&local_error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The kubeconfig “%s” does not exist."), cli->kubeconfig);
    }
  else
    {
      operation = dr_cluster_refresh (target);
      dr_cli_wait_operation (cli, operation, FALSE, &local_error);
    }
  describe_target (cli);

  if (local_error != NULL)
    {
      g_free (cli->cluster.error);
      cli->cluster.error = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Why @target gives no client, as an error for a person. */
static GError *
not_ready_error (DrCli     *cli,
                 DrCluster *target)
{
  const char *detail = dr_cluster_get_state_detail (target);
  const char *name = cli->cluster.name != NULL ? cli->cluster.name : "";
  g_autofree char *hint = NULL;

  switch (dr_cluster_get_state (target))
    {
    case DR_CLUSTER_STATE_ABSENT:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                          _("The kind cluster “%s” does not exist. “%s cluster create” (or "
                            "“%s up”) creates it."),
                          name, DR_CLI_PROGRAM, DR_CLI_PROGRAM);
    case DR_CLUSTER_STATE_STOPPED:
      return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                          _("The kind cluster “%s” is stopped. “%s cluster start” (or "
                            "“%s up”) starts it."),
                          name, DR_CLI_PROGRAM, DR_CLI_PROGRAM);
    case DR_CLUSTER_STATE_UNKNOWN:
    case DR_CLUSTER_STATE_STARTING:
    case DR_CLUSTER_STATE_READY:
    case DR_CLUSTER_STATE_UNREACHABLE:
    default:
      break;
    }
  if (detail != NULL)
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, detail);
  return g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                      _("The cluster “%s” cannot be reached."), name);
}

gboolean
dr_cli_connect (DrCli   *cli,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  DrKubeClient *client;

  if (!dr_cli_refresh_cluster (cli, error))
    return FALSE;

  client = dr_cluster_get_kube_client (dr_cli_get_target (cli));
  if (client == NULL)
    {
      local_error = not_ready_error (cli, dr_cli_get_target (cli));
      g_free (cli->cluster.error);
      cli->cluster.error = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_clear_pointer (&cli->cluster.error, g_free);
  cli->cluster.connected = TRUE;
  /* The engine follows the cluster's client, so it is connected and watching already; this
   * only matters if it stopped following (see dr_cli_wait_synced()). */
  if (dr_engine_get_kube_client (cli->engine) != client)
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

  dr_engine_set_observing (cli->engine, TRUE);
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
