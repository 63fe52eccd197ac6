/* test-host-command.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dr-error.h"
#include "dr-fake-host.h"
#include "dr-host-command-private.h"
#include "dr-test-utils.h"

typedef struct
{
  GPtrArray *lines;          /* "out: …" / "err: …" */
  guint      lines_at_done;
  gboolean   done;
  gboolean   ok;
  GError    *error;
  GCancellable *cancel_on_started;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->lines, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_clear_object (&run->cancel_on_started);
}

static void
line_cb (DrHostCommand *command,
         const char    *line,
         gboolean       is_stderr,
         Run           *run)
{
  g_assert_false (run->done);
  g_ptr_array_add (run->lines, g_strconcat (is_stderr ? "err: " : "out: ", line, NULL));

  if (run->cancel_on_started != NULL && strcmp (line, "started") == 0)
    g_cancellable_cancel (run->cancel_on_started);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  Run *run = data;

  run->ok = dr_host_command_run_finish (DR_HOST_COMMAND (object), result, &run->error);
  run->lines_at_done = run->lines->len;
  run->done = TRUE;
}

static void
run_command (DrHostCommand *command,
             GCancellable  *cancellable,
             Run           *run)
{
  if (run->lines == NULL)
    run->lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (command, "line", G_CALLBACK (line_cb), run);
  dr_host_command_run_async (command, cancellable, run_done_cb, run);
  dr_test_wait_for_flag (&run->done, 20000);
}

static void
assert_lines (GPtrArray   *lines,
              const char **expected)
{
  guint n = g_strv_length ((char **)expected);

  for (guint i = 0; i < MIN (n, lines->len); i++)
    g_assert_cmpstr (g_ptr_array_index (lines, i), ==, expected[i]);
  g_assert_cmpuint (lines->len, ==, n);
}

static void
test_streaming (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  g_autoptr(GPtrArray) err = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  const char *expected_out[] = { "out: one", "out: two ✓", "out: three", NULL };
  const char *expected_err[] = { "err: warning", NULL };
  Run run = { 0, };

  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDOUT", "one\\ntwo ✓\\nthree");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDERR", "warning");

  /* Arguments that a shell would split, expand or choke on arrive as they are. */
  command = dr_host_command_new_va ("kind", "create", "cluster", "--name", "two words",
                                    "$HOME", "'quote", "a;b", NULL);
  g_assert_cmpstr (dr_host_command_get_title (command), ==, "kind create cluster");
  g_assert_cmpint (dr_host_command_get_exit_status (command), ==, -1);
  run_command (command, NULL, &run);

  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (dr_host_command_get_exit_status (command), ==, 0);
  g_assert_null (dr_host_command_get_output (command));

  /* Every line arrived before completion; each stream in order. */
  g_assert_cmpuint (run.lines_at_done, ==, 4);
  for (guint i = 0; i < run.lines->len; i++)
    {
      const char *line = g_ptr_array_index (run.lines, i);

      g_ptr_array_add (g_str_has_prefix (line, "out: ") ? out : err, (gpointer)line);
    }
  assert_lines (out, expected_out);
  assert_lines (err, expected_err);

  {
    g_autofree char *tail = dr_host_command_dup_tail (command);

    g_assert_nonnull (strstr (tail, "three"));
    g_assert_nonnull (strstr (tail, "warning"));
  }

  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 1);
  dr_fake_host_assert_call (fake, 0, "kind", "create", "cluster", "--name", "two words",
                            "$HOME", "'quote", "a;b", NULL);

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_stdin_and_env (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("kind: Cluster\nname: x\n", 22);
  g_autofree char *recorded = NULL;
  g_autofree char *provider = NULL;
  Run run = { 0, };

  dr_fake_host_add_tool (fake, "kind");
  command = dr_host_command_new_va ("kind", "create", "cluster", "--config", "-", NULL);
  dr_host_command_set_stdin (command, input);
  dr_host_command_setenv (command, "KIND_EXPERIMENTAL_PROVIDER", "podman");

  /* Outside Flatpak the argv is spawned as it is; the environment is not on it. */
  g_assert_true (g_strv_equal (dr_host_command_get_spawned_argv (command),
                               dr_host_command_get_argv (command)));

  run_command (command, NULL, &run);
  g_assert_no_error (run.error);

  recorded = dr_fake_host_call_file (fake, 0, "stdin");
  g_assert_cmpstr (recorded, ==, "kind: Cluster\nname: x\n");
  provider = dr_fake_host_call_file (fake, 0, "provider");
  g_assert_cmpstr (provider, ==, "podman");
  /* Not leaked into our own environment. */
  g_assert_null (g_getenv ("KIND_EXPERIMENTAL_PROVIDER"));

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_failure_quotes_tail (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(GString) stderr_text = g_string_new (NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GString) expected_tail = g_string_new (NULL);
  Run run = { 0, };

  for (guint i = 1; i <= 25; i++)
    g_string_append_printf (stderr_text, "%sERROR: problem %u", i > 1 ? "\\n" : "", i);
  for (guint i = 6; i <= 25; i++)
    g_string_append_printf (expected_tail, "%sERROR: problem %u", i > 6 ? "\n" : "", i);

  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDERR", stderr_text->str);
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "EXIT", "1");

  command = dr_host_command_new_va ("kind", "create", "cluster", "--name", "deskrun", NULL);
  run_command (command, NULL, &run);

  g_assert_false (run.ok);
  g_assert_error (run.error, DR_ERROR, DR_ERROR_HOST_COMMAND);
  expected = g_strdup_printf ("“kind create cluster” failed (exit status 1):\n%s",
                              expected_tail->str);
  g_assert_cmpstr (run.error->message, ==, expected);
  g_assert_cmpint (dr_host_command_get_exit_status (command), ==, 1);
  g_assert_cmpuint (run.lines->len, ==, 25);

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_failure_without_output (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  Run run = { 0, };

  dr_fake_host_add_tool (fake, "docker");
  dr_fake_host_set (fake, "DOCKER_START", "EXIT", "3");

  command = dr_host_command_new_va ("docker", "start", "deskrun-control-plane", NULL);
  run_command (command, NULL, &run);

  g_assert_error (run.error, DR_ERROR, DR_ERROR_HOST_COMMAND);
  g_assert_cmpstr (run.error->message, ==,
                   "“docker start deskrun-control-plane” failed (exit status 3) without "
                   "saying why.");

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_not_installed (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  Run run = { 0, };

  command = dr_host_command_new_va ("kind", "version", NULL);
  run_command (command, NULL, &run);

  g_assert_error (run.error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (run.error->message, "kind is not installed"));
  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 0);

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_capture_stdout (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(DrHostCommand) failing = NULL;
  GBytes *output;
  Run run = { 0, };
  Run run2 = { 0, };

  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "KIND_GET_KUBECONFIG", "STDOUT", "client-key-data: SECRET\\nend");
  dr_fake_host_set (fake, "KIND_GET_KUBECONFIG", "STDERR", "a note");

  command = dr_host_command_new_va ("kind", "get", "kubeconfig", "--name", "deskrun", NULL);
  dr_host_command_set_flags (command, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  run_command (command, NULL, &run);

  g_assert_no_error (run.error);
  output = dr_host_command_get_output (command);
  g_assert_nonnull (output);
  g_assert_cmpmem (g_bytes_get_data (output, NULL), g_bytes_get_size (output),
                   "client-key-data: SECRET\nend\n", 28);
  /* Only stderr was emitted. */
  g_assert_cmpuint (run.lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (run.lines, 0), ==, "err: a note");

  /* A failure does not quote captured output. */
  dr_fake_host_set (fake, "KIND_GET_KUBECONFIG", "EXIT", "1");
  failing = dr_host_command_new_va ("kind", "get", "kubeconfig", "--name", "deskrun", NULL);
  dr_host_command_set_flags (failing, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  run_command (failing, NULL, &run2);
  g_assert_error (run2.error, DR_ERROR, DR_ERROR_HOST_COMMAND);
  g_assert_null (strstr (run2.error->message, "SECRET"));
  g_assert_nonnull (strstr (run2.error->message, "a note"));
  g_assert_nonnull (dr_host_command_get_output (failing));

  run_clear (&run);
  run_clear (&run2);
  dr_fake_host_free (fake);
}

static void
assert_cancel_ends_group (const char *slow_mode,
                          guint       grace_ms)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *pid_text = NULL;
  g_autofree char *child_text = NULL;
  int pid, child;
  gint64 start;
  Run run = { 0, };

  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "SLOW", slow_mode);

  command = dr_host_command_new_va ("kind", "create", "cluster", NULL);
  _dr_host_command_set_kill_grace (command, grace_ms);
  run.cancel_on_started = g_object_ref (cancellable);
  start = g_get_monotonic_time ();
  run_command (command, cancellable, &run);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (run.ok);
  /* Far less than the 30 s the tool would have slept. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);

  pid_text = dr_fake_host_call_file (fake, 0, "pid");
  child_text = dr_fake_host_call_file (fake, 0, "child-pid");
  g_assert_nonnull (pid_text);
  g_assert_nonnull (child_text);
  pid = atoi (pid_text);
  child = atoi (child_text);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (child, >, 0);

  /* The tool has been reaped when the callback runs; its child (in the same group) was
   * signalled too and goes within moments. */
  g_assert_true (dr_fake_host_pid_is_gone (pid));
  dr_fake_host_wait_for_exit (child, 5000);

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_cancel (void)
{
  assert_cancel_ends_group ("1", 2000);
}

static void
test_cancel_stubborn (void)
{
  /* The tool and its child ignore SIGTERM: SIGKILL after the grace period ends them. */
  assert_cancel_ends_group ("stubborn", 100);
}

static void
test_cancelled_before (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Run run = { 0, };

  dr_fake_host_add_tool (fake, "kind");
  g_cancellable_cancel (cancellable);
  command = dr_host_command_new_va ("kind", "version", NULL);
  run_command (command, cancellable, &run);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 0);

  run_clear (&run);
  dr_fake_host_free (fake);
}

static void
test_flatpak (void)
{
  DrFakeHost *fake = dr_fake_host_new ();
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(DrHostCommand) missing = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("config", 6);
  g_autofree char *provider = NULL;
  g_autofree char *stdin_text = NULL;
  const char *expected[] = {
    "flatpak-spawn", "--host", "--watch-bus", "--env=KIND_EXPERIMENTAL_PROVIDER=podman",
    "kind", "create", "cluster", "--config", "-", NULL
  };
  Run run = { 0, };
  Run run2 = { 0, };

  _dr_host_command_override_in_flatpak (TRUE);
  g_assert_true (dr_host_command_in_flatpak ());

  dr_fake_host_add_tool (fake, "flatpak-spawn");
  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDOUT", "on the host");

  command = dr_host_command_new_va ("kind", "create", "cluster", "--config", "-", NULL);
  dr_host_command_setenv (command, "KIND_EXPERIMENTAL_PROVIDER", "podman");
  dr_host_command_set_stdin (command, input);
  g_assert_true (g_strv_equal (dr_host_command_get_spawned_argv (command), expected));
  g_assert_cmpstr (dr_host_command_get_title (command), ==, "kind create cluster");

  run_command (command, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (g_ptr_array_index (run.lines, 0), ==, "out: on the host");

  g_assert_cmpuint (dr_fake_host_n_calls (fake), ==, 2);
  dr_fake_host_assert_call (fake, 0, "flatpak-spawn", "--host", "--watch-bus",
                            "--env=KIND_EXPERIMENTAL_PROVIDER=podman",
                            "kind", "create", "cluster", "--config", "-", NULL);
  dr_fake_host_assert_call (fake, 1, "kind", "create", "cluster", "--config", "-", NULL);
  provider = dr_fake_host_call_file (fake, 1, "provider");
  g_assert_cmpstr (provider, ==, "podman");
  stdin_text = dr_fake_host_call_file (fake, 1, "stdin");
  g_assert_cmpstr (stdin_text, ==, "config");

  /* A program missing on the host: flatpak-spawn says it could not start it. */
  missing = dr_host_command_new_va ("podman", "--version", NULL);
  run_command (missing, NULL, &run2);
  g_assert_error (run2.error, DR_ERROR, DR_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (run2.error->message, "podman is not installed"));

  _dr_host_command_override_in_flatpak (FALSE);
  run_clear (&run);
  run_clear (&run2);
  dr_fake_host_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  /* Whatever machine the tests run on, they start outside Flatpak. */
  _dr_host_command_override_in_flatpak (FALSE);

  g_test_add_func ("/host-command/streaming", test_streaming);
  g_test_add_func ("/host-command/stdin-and-env", test_stdin_and_env);
  g_test_add_func ("/host-command/failure-quotes-tail", test_failure_quotes_tail);
  g_test_add_func ("/host-command/failure-without-output", test_failure_without_output);
  g_test_add_func ("/host-command/not-installed", test_not_installed);
  g_test_add_func ("/host-command/capture-stdout", test_capture_stdout);
  g_test_add_func ("/host-command/cancel", test_cancel);
  g_test_add_func ("/host-command/cancel-stubborn", test_cancel_stubborn);
  g_test_add_func ("/host-command/cancelled-before", test_cancelled_before);
  g_test_add_func ("/host-command/flatpak", test_flatpak);

  return g_test_run ();
}
