/* test-setup.c — the first run on an empty machine, with fake docker and kind
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "dr-prerequisites.h"

#include "dr-cluster-private.h"
#include "dr-fake-host.h"
#include "dr-kind-private.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"
#include "dr-window-private.h"

typedef struct
{
  DrFakeHost *fake;
  char       *host_root;
  DrEngine   *engine;
  DrWindow   *window;
} Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autofree char *socket = NULL;
  g_autoptr(GError) error = NULL;

  fixture->fake = dr_fake_host_new ();
  /* @data set: a machine with neither docker nor kind (the fake PATH holds nothing). */
  if (data == NULL)
    {
      dr_fake_host_add_tool (fixture->fake, "docker");
      dr_fake_host_add_tool (fixture->fake, "kind");
    }
  dr_fake_host_set (fixture->fake, "DOCKER___VERSION", "STDOUT",
                    "Docker version 24.0.7, build afdd53b");
  dr_fake_host_set (fixture->fake, "DOCKER_VERSION", "STDOUT", "24.0.7");
  dr_fake_host_set (fixture->fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");

  /* A computer with a Docker socket and no Nix. */
  fixture->host_root = g_dir_make_tmp ("deskrun-host-XXXXXX", &error);
  g_assert_no_error (error);
  socket = g_build_filename (fixture->host_root, "var", "run", "docker.sock", NULL);
  dr_test_write_file (socket, "", 0600);
  _dr_kind_set_host_root (fixture->host_root);

  fixture->engine = dr_engine_new (NULL, NULL);
  dr_engine_load (fixture->engine);
  _dr_cluster_set_probe_interval (dr_engine_get_cluster (fixture->engine), 10);
  fixture->window = dr_window_new (NULL, fixture->engine);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 960, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  dr_test_gtk_flush (GTK_WIDGET (fixture->window));
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *socket = g_build_filename (fixture->host_root, "var", "run", "docker.sock",
                                              NULL);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->engine);
  _dr_kind_set_host_root (NULL);
  g_remove (socket);
  dr_fake_host_free (fixture->fake);
}

static gboolean
last_operation_finished (gpointer data)
{
  GListModel *operations = dr_engine_get_operations (data);
  guint n = g_list_model_get_n_items (operations);
  g_autoptr(DrOperation) last = n ? g_list_model_get_item (operations, n - 1) : NULL;

  return last != NULL && dr_operation_is_finished (last);
}

static DrOperation *
run_page_action (Fixture    *fixture,
                 const char *action)
{
  DrClusterPage *page = _dr_window_get_cluster_page (fixture->window, TRUE);
  GListModel *operations = dr_engine_get_operations (fixture->engine);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), action, NULL));
  dr_test_gtk_wait_until (last_operation_finished, fixture->engine, 20000);
  dr_test_gtk_flush (GTK_WIDGET (fixture->window));
  return g_list_model_get_item (operations, g_list_model_get_n_items (operations) - 1);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, text);
}

/* An empty machine: the page says the cluster is missing, Create makes it with kind, and
 * kind's own output shows while it works. */
static void
test_first_run (Fixture       *fixture,
                gconstpointer  data)
{
  DrClusterPage *page = _dr_window_get_cluster_page (fixture->window, TRUE);
  g_autoptr(DrOperation) refresh = NULL;
  g_autoptr(DrOperation) create = NULL;
  g_autofree char *text = NULL;
  g_autofree char *log = NULL;
  guint calls;

  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDERR", "No kind clusters found.");
  refresh = run_page_action (fixture, "cluster.refresh");
  g_assert_cmpint (dr_cluster_get_state (dr_engine_get_cluster (fixture->engine)), ==,
                   DR_CLUSTER_STATE_ABSENT);
  g_assert_cmpstr (_dr_window_get_visible_page (fixture->window), ==, "empty");

  text = _dr_cluster_page_dup_text (page);
  g_test_message ("%s", text);
  assert_contains (text, "Local Cluster “deskrun”: Not created yet");
  assert_contains (text, "Actions Runner Controller: Needs a running cluster");
  assert_contains (text, "Docker");
  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "setup-absent");

  dr_fake_host_set (fixture->fake, "KIND_CREATE_CLUSTER", "STDERR",
                    "Creating cluster \"deskrun\" ...\n ✓ Ensuring node image (kindest/node) 🖼\n"
                    " ✓ Preparing nodes 📦\nSet kubectl context to \"kind-deskrun\"");
  calls = dr_fake_host_n_calls (fixture->fake);
  create = run_page_action (fixture, "cluster.next");
  log = dr_operation_dup_log (create);
  assert_contains (log, " ✓ Preparing nodes 📦");

  /* kind was asked for exactly this cluster, with the config on stdin. */
  for (guint i = calls; i < dr_fake_host_n_calls (fixture->fake); i++)
    {
      g_auto(GStrv) argv = dr_fake_host_call_args (fixture->fake, i);

      if (argv[0] != NULL && g_str_equal (argv[0], "create"))
        {
          dr_fake_host_assert_call (fixture->fake, i, "kind", "create", "cluster", "--name",
                                    "deskrun", "--config", "-", "--wait", "5m", NULL);
          calls = G_MAXUINT;
          break;
        }
    }
  g_assert_cmpuint (calls, ==, G_MAXUINT);
  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "setup-created");
}

/* After a reboot the node container is stopped: the page offers Start. */
static void
test_after_reboot (Fixture       *fixture,
                   gconstpointer  data)
{
  DrClusterPage *page = _dr_window_get_cluster_page (fixture->window, TRUE);
  g_autoptr(DrOperation) refresh = NULL;
  g_autofree char *text = NULL;

  dr_fake_host_set (fixture->fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fixture->fake, "DOCKER_INSPECT", "STDOUT", "exited");
  refresh = run_page_action (fixture, "cluster.refresh");
  g_assert_cmpint (dr_cluster_get_state (dr_engine_get_cluster (fixture->engine)), ==,
                   DR_CLUSTER_STATE_STOPPED);

  text = _dr_cluster_page_dup_text (page);
  g_test_message ("%s", text);
  assert_contains (text, "Stopped");
  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "setup-stopped");
}

/* Without docker and kind, each prerequisite says what is missing and how to fix it. */
static void
test_nothing_installed (Fixture       *fixture,
                        gconstpointer  data)
{
  DrClusterPage *page = _dr_window_get_cluster_page (fixture->window, TRUE);
  g_autoptr(DrOperation) refresh = NULL;
  g_autofree char *text = NULL;

  refresh = run_page_action (fixture, "cluster.refresh");
  text = _dr_cluster_page_dup_text (page);
  g_test_message ("%s", text);
  /* Creating is not offered while the tools for it are missing; the fixes say what to do. */
  assert_contains (text, "Install what is missing below first");
  /* The sidebar row says the same in its own words, not "Not checked yet". */
  g_assert_cmpstr (adw_action_row_get_subtitle (
                     ADW_ACTION_ROW (_dr_window_get_cluster_row (fixture->window))),
                   ==, "Missing prerequisites");
  dr_test_gtk_screenshots (GTK_WINDOW (fixture->window), "setup-prerequisites");
}

int
main (int   argc,
      char *argv[])
{
  dr_test_gtk_init (&argc, &argv);

  g_test_add ("/deskrun/setup/first-run", Fixture, NULL, setup, test_first_run, teardown);
  g_test_add ("/deskrun/setup/after-reboot", Fixture, NULL, setup, test_after_reboot, teardown);
  g_test_add ("/deskrun/setup/nothing-installed", Fixture, GINT_TO_POINTER (1), setup,
              test_nothing_installed, teardown);

  return g_test_run ();
}
