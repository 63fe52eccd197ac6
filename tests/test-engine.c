/* test-engine.c — the engine's verbs against a real keyring and real files
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "dr-cache.h"
#include "dr-engine.h"
#include "dr-error.h"
#include "dr-test-utils.h"

#define FAKE_TOKEN "ghp_enginetest0123456789abcdefghijklmnop"

static DrRunnerSpec *
make_spec (const char *name,
           guint       instances)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  spec->instances = instances;
  if (instances > 1)
    spec->min_runners = spec->max_runners = 1;
  return spec;
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static DrRunner *
add (DrEngine     *engine,
     DrRunnerSpec *spec,
     GError      **error)
{
  g_autoptr(DrCredential) credential = dr_credential_new_pat (FAKE_TOKEN);
  g_autoptr(GAsyncResult) result = NULL;

  dr_engine_add_runner_async (engine, spec, credential, NULL, dr_test_store_result_cb, &result);
  return dr_engine_add_runner_finish (engine, wait_result (&result), error);
}

static gboolean
remove_runner (DrEngine   *engine,
               const char *name,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_engine_remove_runner_async (engine, name, NULL, dr_test_store_result_cb, &result);
  return dr_engine_remove_runner_finish (engine, wait_result (&result), error);
}

static void
test_add_and_remove (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = make_spec ("web", 1);
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  guint before = dr_test_count_keyring_items ();

  dr_engine_load (engine);
  runner = add (engine, spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_runner_get_name (runner), ==, "web");
  g_assert_nonnull (dr_runner_get_spec (runner)->credential_id);
  g_assert_cmpint (dr_runner_get_status (runner), ==, DR_RUNNER_STATUS_NOT_DEPLOYED);
  g_assert_cmpuint (g_list_model_get_n_items (dr_engine_get_runners (engine)), ==, 1);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before + 1);
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);

  g_assert_true (remove_runner (engine, "web", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (dr_engine_get_runners (engine)), ==, 0);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before);

  g_assert_false (remove_runner (engine, "web", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
}

static guint64
measure_cache (DrEngine    *engine,
               const char  *name,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint64 bytes = G_MAXUINT64;

  dr_engine_measure_runner_cache_async (engine, name, NULL, dr_test_store_result_cb, &result);
  dr_engine_measure_runner_cache_finish (engine, wait_result (&result), &bytes, error);
  return bytes;
}

/* The runner's automatic cache folders are measured where the kind node keeps them. */
static void
test_measure_cache (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = make_spec ("web", 3);
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) dirs = NULL;
  g_autofree char *file = NULL;

  spec->mode = DR_CONTAINER_MODE_PRIVILEGED;
  g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  dr_engine_load (engine);
  runner = add (engine, spec, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (measure_cache (engine, "web", &error), ==, 0);
  g_assert_no_error (error);

  dirs = dr_cache_dirs_for_runner (spec);
  file = g_build_filename (dirs[2], "blob", NULL);
  dr_test_write_file (file, "cached bytes", 0644);
  g_assert_cmpuint (measure_cache (engine, "web", &error), >, 0);
  g_assert_no_error (error);

  measure_cache (engine, "nope", &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
}

static void
test_names_must_be_free (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) multi = make_spec ("web", 2);
  g_autoptr(DrRunnerSpec) same = make_spec ("web", 1);
  g_autoptr(DrRunnerSpec) clash = make_spec ("web-2", 1);
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(DrRunner) none = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  dr_engine_load (engine);
  runner = add (engine, multi, &error);
  g_assert_no_error (error);
  before = dr_test_count_keyring_items ();

  none = add (engine, same, &error);
  g_assert_null (none);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "web"));
  g_clear_error (&error);

  /* "web" with two instances owns the scale set "web-2". */
  none = add (engine, clash, &error);
  g_assert_null (none);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "web-2"));
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before);
}

static void
test_invalid_is_rejected_before_anything_is_stored (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = make_spec ("Bad_Name", 1);
  g_autoptr(DrRunner) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "deskrun", "config.json",
                                            NULL);
  guint before = dr_test_count_keyring_items ();

  dr_engine_load (engine);
  none = add (engine, spec, &error);
  g_assert_null (none);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A save that fails (as a crash before the rename would) leaves neither a runner nor a
 * credential behind. */
static void
test_failed_save_rolls_back (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = make_spec ("web", 1);
  g_autoptr(DrRunner) none = NULL;
  g_autoptr(GError) error = NULL;
  guint before = dr_test_count_keyring_items ();

  dr_engine_load (engine);
  _dr_config_set_fail_before_rename (dr_engine_get_config (engine), TRUE);
  none = add (engine, spec, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (dr_engine_get_runners (engine)), ==, 0);
  g_assert_null (dr_config_lookup_runner (dr_engine_get_config (engine), "web"));
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before);
}

static DrRunner *
update (DrEngine           *engine,
        DrRunnerSpec       *spec,
        const DrCredential *credential,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_engine_update_runner_async (engine, spec, credential, NULL, dr_test_store_result_cb, &result);
  return dr_engine_update_runner_finish (engine, wait_result (&result), error);
}

static void
test_update (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = make_spec ("web", 1);
  g_autoptr(DrRunnerSpec) other = make_spec ("api", 1);
  g_autoptr(DrRunnerSpec) edited = NULL;
  g_autoptr(DrCredential) app = NULL;
  g_autoptr(DrRunner) runner = NULL;
  g_autoptr(DrRunner) none = NULL;
  g_autoptr(DrEngine) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  guint items;

  dr_engine_load (engine);
  g_clear_object (&runner);
  runner = add (engine, spec, &error);
  g_assert_no_error (error);
  g_clear_object (&runner);
  runner = add (engine, other, &error);
  g_assert_no_error (error);
  first_id = g_strdup (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web"))->credential_id);
  items = dr_test_count_keyring_items ();

  /* Without a credential the stored one stays. */
  edited = dr_runner_spec_copy (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web")));
  edited->max_runners = 9;
  g_ptr_array_add (edited->labels, g_strdup ("gpu"));
  g_clear_object (&runner);
  runner = update (engine, edited, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_runner_get_spec (runner)->max_runners, ==, 9);
  g_assert_cmpstr (dr_runner_get_spec (runner)->credential_id, ==, first_id);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, items);

  /* It is saved: a new engine on the same files sees it. */
  reloaded = dr_engine_new (NULL, NULL);
  dr_engine_load (reloaded);
  g_assert_cmpuint (dr_runner_get_spec (dr_engine_lookup_runner (reloaded, "web"))->max_runners,
                    ==, 9);

  /* A changed credential type needs the new credential. */
  g_clear_pointer (&edited, dr_runner_spec_unref);
  edited = dr_runner_spec_copy (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web")));
  edited->credential_kind = DR_CREDENTIAL_KIND_GITHUB_APP;
  none = update (engine, edited, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_clear_error (&error);

  /* With one, the new credential replaces the old one in the keyring. */
  app = dr_credential_new_app ("12345", "67890",
                               "-----BEGIN RSA PRIVATE KEY-----\nMIIBfake\n"
                               "-----END RSA PRIVATE KEY-----\n");
  g_clear_object (&runner);
  runner = update (engine, edited, app, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dr_runner_get_spec (runner)->credential_kind, ==, DR_CREDENTIAL_KIND_GITHUB_APP);
  g_assert_cmpstr (dr_runner_get_spec (runner)->credential_id, !=, first_id);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, items);

  /* Several instances: the runner keeps its own name, and its scale sets become web-1..3 —
   * unless another runner already is one of them. */
  g_clear_pointer (&edited, dr_runner_spec_unref);
  edited = dr_runner_spec_copy (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web")));
  edited->instances = 3;
  edited->min_runners = edited->max_runners = 1;
  g_clear_pointer (&other, dr_runner_spec_unref);
  other = make_spec ("web-3", 1);
  g_clear_object (&runner);
  runner = add (engine, other, &error);
  g_assert_no_error (error);
  none = update (engine, edited, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "web-3"));
  g_clear_error (&error);
  edited->instances = 2;
  g_clear_object (&runner);
  runner = update (engine, edited, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_runner_get_spec (runner)->instances, ==, 2);

  /* An invalid edit changes nothing. */
  g_clear_pointer (&edited, dr_runner_spec_unref);
  edited = dr_runner_spec_copy (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web")));
  edited->min_runners = 3;
  none = update (engine, edited, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_cmpuint (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web"))->min_runners, ==, 1);
  dr_test_assert_no_file_contains (g_get_user_config_dir (), "MIIBfake");
}

static void
test_import (void)
{
  g_autofree char *legacy = g_build_filename (g_get_home_dir (), ".deskrun", "config.json", NULL);
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunnerSpec) existing = make_spec ("ci", 1);
  g_autoptr(DrRunner) runner = NULL;
  guint before;

  dr_test_write_file (legacy,
                      "{\"cluster_name\": \"deskrun\", \"installations\": {"
                      "\"ci\": {\"Name\": \"ci\", \"Repository\": \"https://github.com/o/r\","
                      "  \"ContainerMode\": \"dind\", \"MinRunners\": 1, \"MaxRunners\": 2,"
                      "  \"AuthType\": \"pat\", \"AuthValue\": \"" FAKE_TOKEN "\"},"
                      "\"nix\": {\"Name\": \"nix\", \"Repository\": \"https://github.com/o/r\","
                      "  \"ContainerMode\": \"cached-privileged-kubernetes\", \"MinRunners\": 1,"
                      "  \"MaxRunners\": 1, \"Instances\": 2,"
                      "  \"Mounts\": [{\"Source\": \"\", \"Target\": \"/nix-cache\", \"Type\": \"\"}],"
                      "  \"AuthType\": \"pat\", \"AuthValue\": \"" FAKE_TOKEN "\"}}}",
                      0644);
  g_assert_true (g_file_test (legacy, G_FILE_TEST_EXISTS));

  dr_engine_load (engine);
  g_assert_true (dr_engine_has_legacy_config (engine));
  runner = add (engine, existing, &error);
  g_assert_no_error (error);
  before = dr_test_count_keyring_items ();

  dr_engine_import_legacy_async (engine, NULL, dr_test_store_result_cb, &result);
  report = dr_engine_import_legacy_finish (engine, wait_result (&result), &error);
  g_assert_no_error (error);

  /* "ci" exists already: skipped with a reason; "nix" comes in with its instances. */
  g_assert_cmpuint (g_strv_length (report->imported), ==, 1);
  g_assert_cmpstr (report->imported[0], ==, "nix");
  g_assert_cmpuint (g_strv_length (report->warnings), ==, 1);
  g_assert_nonnull (strstr (report->warnings[0], "ci"));
  g_assert_cmpstr (report->legacy_path, ==, legacy);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before + 1);
  g_assert_cmpuint (dr_runner_get_spec (dr_engine_lookup_runner (engine, "nix"))->instances, ==, 2);
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);
  /* The old file is the user's: deskrun reads it and leaves it alone. */
  g_assert_true (g_file_test (legacy, G_FILE_TEST_EXISTS));
}

static void
test_newer_config_is_read_only (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "deskrun", "config.json",
                                            NULL);
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrRunnerSpec) spec = make_spec ("web", 1);
  g_autoptr(DrRunner) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *newer = "{\"version\": 99, \"runners\": [], \"future\": true}\n";

  dr_test_write_file (path, newer, 0600);
  dr_engine_load (engine);
  g_assert_nonnull (dr_engine_get_config_problem (engine));

  none = add (engine, spec, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  after = dr_test_read_file (path);
  g_assert_cmpstr (after, ==, newer);
}

/* The cluster the engine makes, or is given, pulls the chart from the configured registry. */
static void
test_chart_registry (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "deskrun", "config.json",
                                            NULL);
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrCluster) other = dr_cluster_new_kind ("other");

  dr_test_write_file (path, "{\"version\": 1, \"chart_registry\": "
                      "\"https://mirror.example:5000\"}\n", 0600);
  dr_engine_load (engine);
  g_assert_null (dr_engine_get_config_problem (engine));
  g_assert_cmpstr (dr_cluster_get_chart_registry (dr_engine_get_cluster (engine)), ==,
                   "https://mirror.example:5000");

  dr_engine_set_cluster (engine, other);
  g_assert_cmpstr (dr_cluster_get_chart_registry (other), ==, "https://mirror.example:5000");
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  int ret;

  dr_test_init (&argc, &argv);
  keyring = dr_test_keyring_start ();

  g_test_add_func ("/deskrun/engine/add-and-remove", test_add_and_remove);
  g_test_add_func ("/deskrun/engine/measure-cache", test_measure_cache);
  g_test_add_func ("/deskrun/engine/names-must-be-free", test_names_must_be_free);
  g_test_add_func ("/deskrun/engine/invalid-rejected-first",
                   test_invalid_is_rejected_before_anything_is_stored);
  g_test_add_func ("/deskrun/engine/failed-save-rolls-back", test_failed_save_rolls_back);
  g_test_add_func ("/deskrun/engine/update", test_update);
  g_test_add_func ("/deskrun/engine/import", test_import);
  g_test_add_func ("/deskrun/engine/newer-config-is-read-only", test_newer_config_is_read_only);
  g_test_add_func ("/deskrun/engine/chart-registry", test_chart_registry);

  ret = g_test_run ();
  dr_test_keyring_stop (keyring);
  return ret;
}
