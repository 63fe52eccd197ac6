/* test-engine-sync.c — when the engine's view of the cluster is complete
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-engine.h"
#include "dr-fake-apiserver.h"
#include "dr-test-utils.h"

static DrKubeClient *
new_client (const char *url)
{
  DrKubeContext context = { 0, };
  g_autoptr(GError) error = NULL;
  DrKubeClient *client;

  context.context_name = (char *) "fake";
  context.server = (char *) url;
  client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);
  return client;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_synced (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrKubeClient) client = NULL;
  gboolean synced = FALSE;

  dr_fake_apiserver_register_defaults (server);
  dr_engine_load (engine);
  g_assert_false (dr_engine_get_synced (engine));

  client = new_client (dr_fake_apiserver_get_url (server));
  g_signal_connect (engine, "notify::synced", G_CALLBACK (notify_cb), &synced);
  dr_engine_set_kube_client (engine, client);
  g_assert_false (dr_engine_get_synced (engine));
  dr_test_wait_for_flag (&synced, 10000);
  g_assert_true (dr_engine_get_synced (engine));
  g_assert_null (dr_engine_get_cluster_error (engine));

  /* Another cluster is not known yet. */
  synced = FALSE;
  dr_engine_set_kube_client (engine, NULL);
  g_assert_true (synced);
  g_assert_false (dr_engine_get_synced (engine));
}

static void
test_cluster_error (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autofree char *url = g_strdup (dr_fake_apiserver_get_url (server));
  g_autoptr(DrKubeClient) client = NULL;
  gboolean failed = FALSE;

  /* Nobody listens there any more. */
  g_clear_pointer (&server, dr_fake_apiserver_free);
  dr_engine_load (engine);
  client = new_client (url);
  g_signal_connect (engine, "notify::cluster-error", G_CALLBACK (notify_cb), &failed);
  dr_engine_set_kube_client (engine, client);
  dr_test_wait_for_flag (&failed, 10000);
  g_assert_nonnull (dr_engine_get_cluster_error (engine));
  g_assert_false (dr_engine_get_synced (engine));

  dr_engine_set_kube_client (engine, NULL);
  g_assert_null (dr_engine_get_cluster_error (engine));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/engine-sync/synced", test_synced);
  g_test_add_func ("/deskrun/engine-sync/cluster-error", test_cluster_error);

  return g_test_run ();
}
