/* test-window.c — the main window, driven as a user would drive it
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "dr-add-runner-window-private.h"
#include "dr-cache.h"
#include "dr-config.h"
#include "dr-error.h"
#include "dr-keyring.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"
#include "dr-cluster-private.h"
#include "dr-engine-private.h"
#include "dr-kind.h"
#include "dr-fake-apiserver.h"
#include "dr-runner-private.h"
#include "dr-scale-dialog.h"
#include "dr-window-private.h"

#define FAKE_TOKEN "ghp_testtoken0123456789abcdefghijklmnopqr"

static DrWindow *
open_window (DrEngine **out_engine)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  DrWindow *window;

  dr_engine_load (engine);
  window = dr_window_new (NULL, engine);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_flush (GTK_WIDGET (window));
  if (out_engine != NULL)
    *out_engine = g_object_ref (engine);
  return window;
}

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "deskrun", "config.json", NULL);
}

static void
type_into (DrAddRunnerWindow *add,
           DrAddField         field,
           const char        *text)
{
  gtk_editable_set_text (_dr_add_runner_window_get_entry (add, field), text);
}

static gboolean
add_window_closed (gpointer data)
{
  return _dr_window_get_add_runner_window (data) == NULL;
}

static gboolean
dialog_open (gpointer data)
{
  return _dr_window_get_dialog (data) != NULL;
}

static gboolean
runner_list_empty (gpointer data)
{
  return g_list_model_get_n_items (dr_engine_get_runners (data)) == 0;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The token stored under @credential_id, or NULL when nothing is stored there. */
static char *
lookup_token (const char *credential_id)
{
  g_autoptr(DrCredential) credential = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dr_keyring_lookup_async (credential_id, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  credential = dr_keyring_lookup_finish (result, &error);
  if (credential == NULL)
    {
      g_assert_error (error, DR_ERROR, DR_ERROR_NOT_FOUND);
      return NULL;
    }
  return g_strdup (credential->token);
}

static void
test_isolated (void)
{
  g_autofree char *real_home = g_strdup (g_get_home_dir ());

  /* Every case runs in its own HOME: nothing here may touch the user's files. */
  g_assert_true (g_str_has_prefix (g_get_user_config_dir (), g_get_tmp_dir ()));
  g_assert_true (g_str_has_prefix (real_home, g_get_tmp_dir ()));
}

static void
test_empty_state (void)
{
  g_autoptr(DrEngine) engine = NULL;
  DrWindow *window = open_window (&engine);

  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "empty");
  g_assert_false (_dr_window_offers_import (window));
  g_assert_null (_dr_window_get_problem (window));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "runner.remove", NULL) &&
                  _dr_window_get_dialog (window) != NULL);
  dr_test_gtk_screenshots (GTK_WINDOW (window), "empty");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty_state_offers_import (void)
{
  g_autofree char *legacy = g_build_filename (g_get_home_dir (), ".deskrun", "config.json", NULL);
  g_autoptr(DrEngine) engine = NULL;
  DrWindow *window;

  dr_test_write_file (legacy, "{\"cluster_name\": \"deskrun\", \"installations\": {}}", 0644);
  window = open_window (&engine);

  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "empty");
  g_assert_true (_dr_window_offers_import (window));
  dr_test_gtk_screenshots (GTK_WINDOW (window), "empty-import");

  gtk_window_destroy (GTK_WINDOW (window));
}

static DrAddRunnerWindow *
open_add_window (DrWindow *window)
{
  DrAddRunnerWindow *add;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-runner", NULL));
  add = _dr_window_get_add_runner_window (window);
  g_assert_nonnull (add);
  dr_test_gtk_flush (GTK_WIDGET (add));
  return add;
}

static void
test_add_runner (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autofree char *path = config_path ();
  g_autofree char *contents = NULL;
  g_autofree char *token = NULL;
  DrAddRunnerWindow *add;
  DrWindow *window = open_window (&engine);
  GtkListBoxRow *row;
  DrRunner *runner;

  add = open_add_window (window);
  type_into (add, DR_ADD_FIELD_NAME, "web");
  type_into (add, DR_ADD_FIELD_REPOSITORY, "https://github.com/octo/hello.git/");
  type_into (add, DR_ADD_FIELD_TOKEN, FAKE_TOKEN);
  type_into (add, DR_ADD_FIELD_MOUNTS, "/cache, /srv/data:/data:Directory");
  type_into (add, DR_ADD_FIELD_LABELS, "linux, gpu");
  gtk_spin_button_set_value (_dr_add_runner_window_get_spin (add, "max"), 3);
  g_assert_null (_dr_add_runner_window_get_message (add, "runner"));
  dr_test_gtk_screenshots (GTK_WINDOW (add), "add-runner");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (add), "add-runner.submit", NULL));
  dr_test_gtk_wait_until (add_window_closed, window, 10000);

  /* The window shows the runner, selected, with the runs-on a workflow needs. */
  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "runners");
  row = gtk_list_box_get_row_at_index (_dr_window_get_runner_list (window), 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "web");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "octo/hello");
  runner = dr_runner_page_get_runner (_dr_window_get_runner_page (window));
  g_assert_nonnull (runner);
  g_assert_cmpstr (dr_runner_get_name (runner), ==, "web");
  g_assert_cmpstr (dr_runner_page_dup_runs_on (_dr_window_get_runner_page (window)), ==,
                   "runs-on: web");
  g_assert_cmpuint (dr_runner_get_spec (runner)->max_runners, ==, 3);
  g_assert_cmpuint (dr_runner_get_spec (runner)->mounts->len, ==, 2);
  dr_test_gtk_screenshots (GTK_WINDOW (window), "runner");

  /* Saved to disk without the token; the token is in the keyring under the reference. */
  contents = dr_test_read_file (path);
  g_assert_nonnull (strstr (contents, "\"web\""));
  g_assert_nonnull (strstr (contents, "https://github.com/octo/hello\""));
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);
  g_assert_cmpint (dr_test_file_mode (path), ==, 0600);
  token = lookup_token (dr_runner_get_spec (runner)->credential_id);
  g_assert_cmpstr (token, ==, FAKE_TOKEN);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&engine);

  /* A restart (a new engine and window on the same files) shows the same runner. */
  window = open_window (&engine);
  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "runners");
  runner = dr_runner_page_get_runner (_dr_window_get_runner_page (window));
  g_assert_nonnull (runner);
  g_assert_cmpstr (dr_runner_get_name (runner), ==, "web");
  g_assert_cmpstr (dr_runner_get_spec (runner)->labels->pdata[1], ==, "gpu");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_add_runner_invalid_input (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autofree char *path = config_path ();
  DrAddRunnerWindow *add;
  DrWindow *window = open_window (&engine);
  const char *message;

  add = open_add_window (window);

  /* The form is ready for typing: the name field has the keyboard focus. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (add));
    GtkWidget *name = GTK_WIDGET (_dr_add_runner_window_get_entry (add, DR_ADD_FIELD_NAME));

    g_assert_nonnull (focus);
    g_assert_true (focus == name || gtk_widget_is_ancestor (focus, name));
  }

  /* Messages appear next to the field as the user types... */
  type_into (add, DR_ADD_FIELD_NAME, "My-Runner");
  message = _dr_add_runner_window_get_message (add, "runner");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "my-runner"));   /* suggests the lowercase form */
  type_into (add, DR_ADD_FIELD_NAME, "my_runner");
  message = _dr_add_runner_window_get_message (add, "runner");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "_"));
  g_assert_null (_dr_add_runner_window_get_message (add, "credential"));  /* untouched */

  type_into (add, DR_ADD_FIELD_NAME, "web");
  g_assert_null (_dr_add_runner_window_get_message (add, "runner"));
  type_into (add, DR_ADD_FIELD_REPOSITORY, "github.com/octo/hello");
  g_assert_nonnull (_dr_add_runner_window_get_message (add, "runner"));
  type_into (add, DR_ADD_FIELD_MOUNTS, "relative/path");
  g_assert_nonnull (_dr_add_runner_window_get_message (add, "advanced"));

  /* ...and Add with errors shows all of them and saves nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (add), "add-runner.submit", NULL));
  dr_test_gtk_flush (GTK_WIDGET (add));
  g_assert_nonnull (_dr_add_runner_window_get_message (add, "credential"));
  g_assert_true (_dr_window_get_add_runner_window (window) == add);
  dr_test_gtk_screenshots (GTK_WINDOW (add), "add-runner-invalid");

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (dr_engine_get_runners (engine)), ==, 0);

  /* Several instances fix min and max at one: the form does it for the user. */
  gtk_spin_button_set_value (_dr_add_runner_window_get_spin (add, "max"), 4);
  gtk_spin_button_set_value (_dr_add_runner_window_get_spin (add, "instances"), 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (_dr_add_runner_window_get_spin (add, "max")),
                   ==, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_dr_add_runner_window_get_spin (add, "max"))));
  g_assert_null (_dr_add_runner_window_get_message (add, "runners"));

  gtk_window_close (GTK_WINDOW (add));
  dr_test_gtk_wait_until (add_window_closed, window, 5000);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_runner_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunner) runner = dr_engine_add_runner_finish (DR_ENGINE (object), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static DrRunnerSpec *
spec_named (const char *name)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  return spec;
}

static void
add_runner_spec (DrEngine     *engine,
                 DrRunnerSpec *spec)
{
  g_autoptr(DrCredential) credential = dr_credential_new_pat (FAKE_TOKEN);
  gboolean done = FALSE;

  dr_engine_add_runner_async (engine, spec, credential, NULL, add_runner_done_cb, &done);
  dr_test_wait_for_flag (&done, 10000);
}

static void
add_runner_directly (DrEngine   *engine,
                     const char *name)
{
  g_autoptr(DrRunnerSpec) spec = spec_named (name);

  add_runner_spec (engine, spec);
}

static void
test_remove_runner (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autofree char *path = config_path ();
  g_autofree char *contents = NULL;
  g_autofree char *credential_id = NULL;
  g_autofree char *token = NULL;
  DrWindow *window = open_window (&engine);
  AdwMessageDialog *dialog;

  add_runner_directly (engine, "build");
  add_runner_directly (engine, "test");
  _dr_window_select_runner (window, "build");
  dr_test_gtk_flush (GTK_WIDGET (window));
  credential_id = g_strdup (dr_runner_get_spec (dr_engine_lookup_runner (engine, "build"))->credential_id);

  /* Remove asks first, naming what goes; Cancel keeps everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.remove", NULL));
  dialog = _dr_window_get_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "build"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "runs-on: build"));
  dr_test_gtk_screenshots (GTK_WINDOW (dialog), "remove-dialog");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_nonnull (dr_engine_lookup_runner (engine, "build"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.remove", NULL));
  dr_test_gtk_wait_until (dialog_open, window, 5000);
  adw_message_dialog_response (_dr_window_get_dialog (window), "remove");
  gtk_window_destroy (GTK_WINDOW (_dr_window_get_dialog (window)));
  /* The answer comes back through the dialog's GTask, which a response emitted from outside
   * the main loop (as here, unlike a click) delivers on the next iteration. */
  dr_test_gtk_flush (GTK_WIDGET (window));

  /* Gone from the list, from disk and from the keyring; the neighbour is shown. The keyring
   * entry goes last, so give that deletion a bounded number of round trips. */
  g_assert_null (dr_engine_lookup_runner (engine, "build"));
  for (guint i = 0; i < 50; i++)
    {
      g_clear_pointer (&token, g_free);
      token = lookup_token (credential_id);
      if (token == NULL)
        break;
    }
  g_assert_null (token);
  contents = dr_test_read_file (path);
  g_assert_null (strstr (contents, "\"build\""));
  g_assert_nonnull (strstr (contents, "\"test\""));
  g_assert_cmpstr (dr_runner_get_name (dr_runner_page_get_runner (_dr_window_get_runner_page (window))),
                   ==, "test");

  /* Removing the last runner brings the empty state back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.remove", NULL));
  dr_test_gtk_wait_until (dialog_open, window, 5000);
  adw_message_dialog_response (_dr_window_get_dialog (window), "remove");
  gtk_window_destroy (GTK_WINDOW (_dr_window_get_dialog (window)));
  dr_test_gtk_wait_until (runner_list_empty, engine, 10000);
  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (window));
}


/* Scale asks for the new numbers, checks them as they are typed, and saves what was asked. */
static void
test_scale_runner (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autofree char *path = config_path ();
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *saved;
  DrWindow *window = open_window (&engine);
  DrScaleDialog *dialog;
  DrRunnerSpec *spec;

  add_runner_directly (engine, "build");
  _dr_window_select_runner (window, "build");
  dr_test_gtk_flush (GTK_WIDGET (window));
  spec = dr_runner_get_spec (dr_engine_lookup_runner (engine, "build"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.scale", NULL));
  g_assert_true (DR_IS_SCALE_DIALOG (_dr_window_get_dialog (window)));
  dialog = DR_SCALE_DIALOG (_dr_window_get_dialog (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), "build"));
  g_assert_cmpuint (dr_scale_dialog_get_min_runners (dialog), ==, spec->min_runners);
  g_assert_cmpuint (dr_scale_dialog_get_max_runners (dialog), ==, spec->max_runners);
  g_assert_null (_dr_scale_dialog_get_problem (dialog));
  dr_test_gtk_screenshots (GTK_WINDOW (dialog), "scale-dialog");

  /* A minimum above the maximum is explained, and Scale waits for numbers that work. */
  dr_scale_dialog_set_max_runners (dialog, 2);
  dr_scale_dialog_set_min_runners (dialog, 3);
  g_assert_nonnull (_dr_scale_dialog_get_problem (dialog));
  g_assert_nonnull (strstr (_dr_scale_dialog_get_problem (dialog), "greater than the maximum"));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "scale"));
  dr_test_gtk_screenshots (GTK_WINDOW (dialog), "scale-dialog-invalid");

  dr_scale_dialog_set_min_runners (dialog, 1);
  g_assert_null (_dr_scale_dialog_get_problem (dialog));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "scale"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "scale");
  gtk_window_destroy (GTK_WINDOW (dialog));

  spec = dr_runner_get_spec (dr_engine_lookup_runner (engine, "build"));
  g_assert_cmpuint (spec->min_runners, ==, 1);
  g_assert_cmpuint (spec->max_runners, ==, 2);
  /* And on disk, where the next start reads it. */
  contents = dr_test_read_file (path);
  parser = json_parser_new ();
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  saved = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runners"),
    0);
  g_assert_cmpint (json_object_get_int_member (saved, "min_runners"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (saved, "max_runners"), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A folder the kind cluster does not share is explained in the form, before anything is
 * saved or deployed. */
static void
test_add_runner_unshared_mount (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autofree char *cache_root = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);
  g_autofree char *shared = g_strdup_printf ("%s/npm:/npm", cache_root);
  g_autoptr(DrKindConfig) config = dr_kind_config_new ("deskrun", cache_root);
  DrAddRunnerWindow *add;
  const char *message;
  DrWindow *window = open_window (&engine);

  _dr_cluster_set_kind_config (dr_engine_get_cluster (engine), config);
  add = open_add_window (window);
  type_into (add, DR_ADD_FIELD_NAME, "web");
  type_into (add, DR_ADD_FIELD_REPOSITORY, "https://github.com/octo/hello");
  type_into (add, DR_ADD_FIELD_TOKEN, FAKE_TOKEN);

  type_into (add, DR_ADD_FIELD_MOUNTS, "/srv/data:/data");
  message = _dr_add_runner_window_get_message (add, "advanced");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "/srv/data"));
  g_assert_nonnull (strstr (message, "re-create"));
  dr_test_gtk_screenshots (GTK_WINDOW (add), "add-runner-unshared-mount");

  type_into (add, DR_ADD_FIELD_MOUNTS, shared);
  g_assert_null (_dr_add_runner_window_get_message (add, "advanced"));

  gtk_window_close (GTK_WINDOW (add));
  dr_test_gtk_wait_until (add_window_closed, window, 5000);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_edit_runner (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autofree char *credential_id = NULL;
  g_autofree char *token = NULL;
  DrWindow *window = open_window (&engine);
  DrAddRunnerWindow *edit;
  GtkEditable *name;
  DrRunnerSpec *spec;

  add_runner_directly (engine, "web");
  _dr_window_select_runner (window, "web");
  credential_id = g_strdup (dr_runner_get_spec (dr_engine_lookup_runner (engine, "web"))->credential_id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.edit", NULL));
  edit = _dr_window_get_add_runner_window (window);
  g_assert_nonnull (edit);
  dr_test_gtk_flush (GTK_WIDGET (edit));

  /* Filled in as configured; the name cannot change; nothing is flagged yet. */
  name = _dr_add_runner_window_get_entry (edit, DR_ADD_FIELD_NAME);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "web");
  g_assert_false (gtk_editable_get_editable (name));
  g_assert_cmpstr (gtk_editable_get_text (_dr_add_runner_window_get_entry (edit, DR_ADD_FIELD_REPOSITORY)),
                   ==, "https://github.com/octo/hello");
  g_assert_null (_dr_add_runner_window_get_message (edit, "credential"));

  /* Change a few things, leave the token empty, save. */
  gtk_spin_button_set_value (_dr_add_runner_window_get_spin (edit, "max"), 7);
  type_into (edit, DR_ADD_FIELD_LABELS, "linux");
  dr_test_gtk_screenshots (GTK_WINDOW (edit), "edit-runner");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (edit), "add-runner.submit", NULL));
  dr_test_gtk_wait_until (add_window_closed, window, 10000);

  spec = dr_runner_get_spec (dr_engine_lookup_runner (engine, "web"));
  g_assert_cmpuint (spec->max_runners, ==, 7);
  g_assert_cmpstr (spec->labels->pdata[0], ==, "linux");
  /* The stored credential stayed as it was. */
  g_assert_cmpstr (spec->credential_id, ==, credential_id);
  token = lookup_token (credential_id);
  g_assert_cmpstr (token, ==, FAKE_TOKEN);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_import_legacy (void)
{
  g_autofree char *legacy = g_build_filename (g_get_home_dir (), ".deskrun", "config.json", NULL);
  g_autoptr(DrEngine) engine = NULL;
  AdwMessageDialog *dialog;
  DrWindow *window;
  DrRunner *runner;

  dr_test_write_file (legacy,
                      "{\"cluster_name\": \"deskrun\", \"installations\": {\"ci\": {"
                      "\"Name\": \"ci\", \"Repository\": \"https://github.com/octo/hello\","
                      "\"ContainerMode\": \"cached-privileged-kubernetes\", \"MinRunners\": 1,"
                      "\"MaxRunners\": 2, \"Instances\": 1, \"AuthType\": \"pat\","
                      "\"AuthValue\": \"" FAKE_TOKEN "\"}}}", 0644);
  window = open_window (&engine);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-legacy", NULL));
  dr_test_gtk_wait_until (dialog_open, window, 10000);
  dialog = _dr_window_get_dialog (window);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "1"));
  /* The user is told the old file still has the token in plain text, and where. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), legacy));
  dr_test_gtk_screenshots (GTK_WINDOW (dialog), "import-dialog");
  gtk_window_destroy (GTK_WINDOW (dialog));

  runner = dr_engine_lookup_runner (engine, "ci");
  g_assert_nonnull (runner);
  g_assert_cmpint (dr_runner_get_spec (runner)->mode, ==, DR_CONTAINER_MODE_PRIVILEGED);
  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "runners");
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the engine observes in the cluster, as the page shows it. */
static void
test_live_state (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(JsonNode) er = NULL;
  g_autoptr(JsonNode) pod = NULL;
  DrWindow *window = open_window (&engine);
  DrEphemeralRunner *ephemeral;
  DrObserved observed = {
    .deployed = TRUE, .phase = "Running", .current_runners = 2, .pending_runners = 1,
    .running_runners = 1, .failed_runners = 0, .listener_state = DR_LISTENER_STATE_RUNNING,
    .listener_pod = "web-7c9d8f6b-listener",
  };
  DrRunner *runner;
  g_autofree char *text = NULL;

  add_runner_directly (engine, "web");
  _dr_window_select_runner (window, "web");
  runner = dr_engine_lookup_runner (engine, "web");

  er = json_from_string ("{\"metadata\": {\"name\": \"web-x2k9v-runner-4hq7p\","
                         " \"labels\": {\"actions.github.com/scale-set-name\": \"web\"}},"
                         " \"status\": {\"phase\": \"Running\", \"ready\": true,"
                         " \"jobDisplayName\": \"build (ubuntu)\","
                         " \"jobRepositoryName\": \"octo/hello\", \"workflowRunId\": 42}}",
                         NULL);
  pod = json_from_string ("{\"metadata\": {\"name\": \"web-x2k9v-runner-4hq7p\"},"
                          " \"status\": {\"phase\": \"Running\"}}", NULL);
  ephemeral = _dr_ephemeral_runner_new ("web-x2k9v-runner-4hq7p");
  _dr_ephemeral_runner_update (ephemeral, er, pod);
  g_list_store_append (_dr_runner_get_ephemeral_store (runner), ephemeral);
  g_object_unref (ephemeral);
  _dr_runner_update_observed (runner, &observed, DR_RUNNER_STATUS_BUSY, NULL);
  dr_test_gtk_flush (GTK_WIDGET (window));

  /* The page tells: busy, the listener runs, and which job the runner pod has. */
  text = _dr_runner_page_dup_live_text (_dr_window_get_runner_page (window));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Running a job"));
  g_assert_nonnull (strstr (text, "Running — waiting for jobs"));
  g_assert_nonnull (strstr (text, "1 running, 1 starting, 0 failed"));
  g_assert_nonnull (strstr (text, "Running “build (ubuntu)” from octo/hello"));
  dr_test_gtk_screenshots (GTK_WINDOW (window), "runner-live");

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  DrWindow   *window;
  const char *prefix;
} CacheWait;

static gboolean
cache_row_says (gpointer data)
{
  CacheWait *wait = data;
  const char *text = _dr_runner_page_get_cache_text (_dr_window_get_runner_page (wait->window));

  return text != NULL && g_str_has_prefix (text, wait->prefix);
}

static guint64
allocated (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return (guint64) st.st_blocks * 512;
}

/* The runner page shows how much its automatic cache folders take, and where they are. */
static void
test_cache_size (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrRunnerSpec) spec = spec_named ("web");
  g_autoptr(GString) blob = g_string_new (NULL);
  DrWindow *window = open_window (&engine);
  DrRunnerPage *page = _dr_window_get_runner_page (window);
  CacheWait wait = { window, "None yet" };
  GtkScrolledWindow *scroller;
  GtkAdjustment *adjustment;
  g_auto(GStrv) dirs = NULL;
  g_autofree char *file = NULL;
  g_autofree char *size = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *parent = NULL;

  spec->mode = DR_CONTAINER_MODE_PRIVILEGED;
  g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/var/lib/docker",
                                               DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  add_runner_spec (engine, spec);
  add_runner_directly (engine, "plain");

  /* Without automatic mounts there is nothing of the runner's on this computer. */
  _dr_window_select_runner (window, "plain");
  dr_test_gtk_flush (GTK_WIDGET (window));
  g_assert_null (_dr_runner_page_get_cache_text (page));

  _dr_window_select_runner (window, "web");
  dr_test_gtk_wait_until (cache_row_says, &wait, 10000);

  dirs = dr_cache_dirs_for_runner (spec);
  g_assert_cmpuint (g_strv_length (dirs), ==, 1);
  file = g_build_filename (dirs[0], "layer.tar", NULL);
  for (guint i = 0; i < 300 * 1024; i++)
    g_string_append_c (blob, 'a' + (char) (g_random_int () % 26));
  dr_test_write_file (file, blob->str, 0644);

  size = g_format_size (allocated (dirs[0]) + allocated (file));
  parent = g_path_get_dirname (dirs[0]);
  expected = g_strdup_printf ("%s in 1 folder\n%s", size, parent);
  wait.prefix = expected;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "cache.refresh", NULL));
  dr_test_gtk_wait_until (cache_row_says, &wait, 10000);
  g_assert_cmpstr (_dr_runner_page_get_cache_text (page), ==, expected);

  /* The row is near the end of the page: scroll there so the screenshot shows it. */
  dr_test_gtk_flush (GTK_WIDGET (window));
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (page)));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  dr_test_gtk_screenshots (GTK_WINDOW (window), "runner-cache");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
operation_finished (gpointer data)
{
  return dr_operation_is_finished (data);
}

static gboolean
stuck_dialog_open (gpointer data)
{
  AdwMessageDialog *dialog = _dr_window_get_dialog (data);

  return dialog != NULL &&
         g_strcmp0 (adw_message_dialog_get_heading (dialog), "Removal Is Stuck") == 0;
}

static gboolean
runner_gone (gpointer data)
{
  return dr_engine_lookup_runner (data, "web") == NULL;
}

/* The controller never lets go of the scale set: the window says what is stuck and, only
 * when asked, forces the removal. */
static void
test_remove_stuck (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(DrOperation) apply = NULL;
  g_autoptr(GError) error = NULL;
  DrKubeContext context = { 0, };
  AdwMessageDialog *dialog;
  DrWindow *window = open_window (&engine);

  dr_fake_apiserver_register_defaults (server);
  context.context_name = (char *) "fake";
  context.server = (char *) dr_fake_apiserver_get_url (server);
  client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);

  add_runner_directly (engine, "web");
  dr_engine_set_kube_client (engine, client);
  _dr_engine_set_removal_timeout (engine, 300);
  apply = dr_engine_apply_runner (engine, "web");
  dr_test_gtk_wait_until (operation_finished, apply, 10000);
  g_assert_cmpint (dr_operation_get_state (apply), ==, DR_OPERATION_SUCCEEDED);
  dr_fake_apiserver_patch (server,
                           "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/"
                           "autoscalingrunnersets/web",
                           "{\"metadata\": {\"finalizers\": "
                           "[\"autoscalingrunnerset.actions.github.com/finalizer\"]}}");

  _dr_window_select_runner (window, "web");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runner.remove", NULL));
  dr_test_gtk_wait_until (dialog_open, window, 5000);
  adw_message_dialog_response (_dr_window_get_dialog (window), "remove");
  gtk_window_destroy (GTK_WINDOW (_dr_window_get_dialog (window)));

  dr_test_gtk_wait_until (stuck_dialog_open, window, 10000);
  dialog = _dr_window_get_dialog (window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "autoscalingrunnerset.actions.github.com/finalizer"));
  g_assert_nonnull (dr_engine_lookup_runner (engine, "web"));
  dr_test_gtk_screenshots (GTK_WINDOW (dialog), "remove-stuck");

  adw_message_dialog_response (dialog, "force");
  gtk_window_destroy (GTK_WINDOW (dialog));
  dr_test_gtk_wait_until (runner_gone, engine, 10000);

  dr_engine_set_kube_client (engine, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
store_id_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char **) user_data = dr_keyring_store_finish (result, &error);
  g_assert_no_error (error);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0
      && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
review_button_shown (gpointer data)
{
  return find_button (data, "_Review…") != NULL;
}

static gboolean
stray_gone (gpointer data)
{
  g_autofree char *token = lookup_token (data);

  return token == NULL;
}

/* A credential in the keyring that no runner refers to (an add killed after storing it): the
 * window says so in a toast, its button opens a dialog that names it, and only the answer
 * there removes it — the runner's own credential stays. */
static void
test_stray_credentials (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  g_autoptr(DrCredential) lost = dr_credential_new_pat ("ghp_lostlostlostlostlostlostlostlost0001");
  g_autofree char *lost_id = NULL;
  DrRunnerSpec *web;
  AdwMessageDialog *dialog;
  DrWindow *window;
  g_autofree char *web_token = NULL;
  static const SecretSchema schema = {
    "io.github.deskrun.Credential", SECRET_SCHEMA_NONE,
    { { "id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } }
  };
  g_autoptr(GError) error = NULL;

  /* Earlier test cases left theirs; their configs are gone. */
  secret_password_clear_sync (&schema, NULL, &error, NULL);
  g_assert_no_error (error);

  dr_engine_load (engine);
  add_runner_directly (engine, "web");
  web = dr_config_lookup_runner (dr_engine_get_config (engine), "web");
  g_assert_nonnull (web);
  dr_keyring_store_async (lost, "deskrun: lost", NULL, store_id_cb, &lost_id);
  while (lost_id == NULL)
    g_main_context_iteration (NULL, TRUE);

  window = dr_window_new (NULL, engine);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_wait_until (review_button_shown, window, 10000);
  dr_test_gtk_screenshots (GTK_WINDOW (window), "stray-credentials");

  /* Nothing went without asking. */
  g_assert_nonnull (lookup_token (lost_id));
  gtk_widget_activate (find_button (GTK_WIDGET (window), "_Review…"));
  dr_test_gtk_wait_until (dialog_open, window, 5000);
  dialog = _dr_window_get_dialog (window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "deskrun: lost"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "web"));
  dr_test_gtk_screenshots (GTK_WINDOW (dialog), "stray-credentials-dialog");

  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  dr_test_gtk_wait_until (stray_gone, lost_id, 10000);
  web_token = lookup_token (web->credential_id);
  g_assert_cmpstr (web_token, ==, FAKE_TOKEN);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_broken_config (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(DrEngine) engine = NULL;
  DrWindow *window;
  const char *problem;

  dr_test_write_file (path, "{ \"version\": 1, \"runners\": [ oops", 0600);
  window = open_window (&engine);

  problem = _dr_window_get_problem (window);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "config.json"));
  g_assert_cmpstr (_dr_window_get_visible_page (window), ==, "empty");
  dr_test_gtk_screenshots (GTK_WINDOW (window), "broken-config");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-problem", NULL));
  g_assert_null (_dr_window_get_problem (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  int ret;
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  /* The private bus must exist before GTK and libadwaita open their session bus connection,
   * or everything in this process would talk to the outer bus instead. */
  keyring = dr_test_keyring_start ();
  /* GTestDBus unsets DISPLAY so that nothing autolaunches a bus on X11; GTK needs it back. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  dr_test_gtk_init (&argc, &argv);

  g_test_add_func ("/deskrun/window/isolated", test_isolated);
  g_test_add_func ("/deskrun/window/empty-state", test_empty_state);
  g_test_add_func ("/deskrun/window/empty-state-offers-import", test_empty_state_offers_import);
  g_test_add_func ("/deskrun/window/add-runner", test_add_runner);
  g_test_add_func ("/deskrun/window/add-runner-invalid-input", test_add_runner_invalid_input);
  g_test_add_func ("/deskrun/window/remove-runner", test_remove_runner);
  g_test_add_func ("/deskrun/window/scale-runner", test_scale_runner);
  g_test_add_func ("/deskrun/window/add-runner-unshared-mount", test_add_runner_unshared_mount);
  g_test_add_func ("/deskrun/window/edit-runner", test_edit_runner);
  g_test_add_func ("/deskrun/window/import-legacy", test_import_legacy);
  g_test_add_func ("/deskrun/window/live-state", test_live_state);
  g_test_add_func ("/deskrun/window/cache-size", test_cache_size);
  g_test_add_func ("/deskrun/window/remove-stuck", test_remove_stuck);
  g_test_add_func ("/deskrun/window/broken-config", test_broken_config);
  g_test_add_func ("/deskrun/window/stray-credentials", test_stray_credentials);

  ret = g_test_run ();
  dr_test_keyring_stop (keyring);
  return ret;
}
