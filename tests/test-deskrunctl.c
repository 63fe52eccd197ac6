/* test-deskrunctl.c — the built deskrunctl, run as a user would
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case runs the binary ($DESKRUNCTL) in a child with this test's isolated HOME and XDG
 * directories and its private D-Bus session (a real gnome-keyring-daemon), and checks what a
 * script would: the exit status, stdout, and the one line on stderr.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <sys/stat.h>
#include <string.h>

#include "dr-fake-apiserver.h"
#include "dr-fake-host.h"
#include "dr-test-chart.h"
#include "dr-fake-github.h"
#include "dr-github-client.h"
#include "dr-test-utils.h"
#include "dr-versions.h"
#include "dr-yaml.h"

#define FAKE_TOKEN  "ghp_clitest0123456789abcdefghijklmnopqrstu"
#define STDIN_TOKEN "ghp_stdintest0123456789abcdefghijklmnopqrs"
#define REPOSITORY  "https://github.com/octo/hello"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *original_path;
static char *empty_path;

static void
set_isolated_dirs (GSubprocessLauncher *launcher)
{
  g_autofree char *config_dirs = g_strjoinv (":", (GStrv) g_get_system_config_dirs ());
  g_autofree char *data_dirs = g_strjoinv (":", (GStrv) g_get_system_data_dirs ());

  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_DIRS", config_dirs, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", data_dirs, TRUE);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Pending;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Pending *pending = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &pending->out,
                                        &pending->err, &pending->error);
  pending->done = TRUE;
}

/* Runs deskrunctl with @args, feeding it @input on stdin. The main context keeps running
 * meanwhile, so servers of this process (the fake API server) answer the child. */
static GSubprocess *
spawn (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("DESKRUNCTL");
  GSubprocess *process;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* The launcher copies this process's environment, the private session bus included.
   * G_TEST_OPTION_ISOLATE_DIRS changes what g_get_home_dir() and friends return in this
   * process only, so the child is told the test case's directories explicitly. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  set_isolated_dirs (launcher);
  /* A test that wants docker or kind installs fakes (DrFakeHost changes PATH); otherwise the
   * child finds none, whatever this machine has. */
  if (g_strcmp0 (g_getenv ("PATH"), original_path) == 0)
    g_subprocess_launcher_setenv (launcher, "PATH", empty_path, TRUE);
  /* GitHub is a fake of the test's when it set one; otherwise a closed local port, so that
   * status --json never reaches the real GitHub (a refused connection fails at once). */
  if (g_getenv ("DESKRUN_GITHUB_API_URL") == NULL)
    g_subprocess_launcher_setenv (launcher, "DESKRUN_GITHUB_API_URL", "http://127.0.0.1:1",
                                  TRUE);
  /* Messages in English, whatever the developer's locale. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static Run *
run_args (const char         *input,
          const char * const *args)
{
  g_autoptr(GSubprocess) process = spawn (args);
  g_autoptr(GError) error = NULL;
  Pending pending = { 0 };
  Run *run;

  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       communicate_cb, &pending);
  dr_test_wait_for_flag (&pending.done, 60000);
  g_assert_no_error (pending.error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  run = g_new0 (Run, 1);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = pending.out;
  run->err = pending.err;
  g_test_message ("deskrunctl exited %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out,
                  run->err);
  return run;
}

static Run *
run_input (const char *input,
           ...) G_GNUC_NULL_TERMINATED;

static Run *
run_input (const char *input,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_args (input, (const char * const *) args->pdata);
}

#define run(...) run_input (NULL, __VA_ARGS__, NULL)

/* Exit status 0, nothing on stderr unless allowed. */
static void
assert_ok (Run *run)
{
  if (run->status != 0)
    g_error ("deskrunctl exited %d: %s", run->status, run->err);
}

/* The failure contract: @status, and exactly one line on stderr, "deskrunctl: …". */
static void
assert_failed (Run        *run,
               int         status,
               const char *needle)
{
  const char *newline;

  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "deskrunctl: "));
  newline = strchr (run->err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
  if (needle != NULL && strstr (run->err, needle) == NULL)
    g_error ("stderr “%s” lacks “%s”", run->err, needle);
}

/* An operation that failed: its log may come first, the last line is "deskrunctl: …". */
static void
assert_operation_failed (Run        *run,
                         const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (run->err, "\n", -1);
  guint n = g_strv_length (lines);

  g_assert_cmpint (run->status, ==, 1);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_assert_true (g_str_has_prefix (lines[n - 2], "deskrunctl: "));
  if (needle != NULL && strstr (lines[n - 2], needle) == NULL)
    g_error ("“%s” lacks “%s”", lines[n - 2], needle);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text, needle);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (text != NULL && strstr (text, needle) != NULL)
    g_error ("“%s” holds “%s”", text, needle);
}

static char *
write_token_file (const char *token)
{
  char *path = g_build_filename (g_get_home_dir (), "secrets", "token", NULL);

  dr_test_write_file (path, token, 0600);
  return path;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
add_web (void)
{
  g_autofree char *token_file = write_token_file (FAKE_TOKEN);
  g_autoptr(Run) added = run ("add", "web", "--repository", REPOSITORY, "--token-file",
                              token_file, "--max-runners", "3", "--label", "gpu");

  assert_ok (added);
  assert_contains (added->out, "runs-on: web");
}

/* Tests */

static void
test_usage (void)
{
  struct {
    const char *args[6];
    const char *hint;
  } cases[] = {
    { { NULL }, "deskrunctl --help" },
    { { "frobnicate", NULL }, "deskrunctl --help" },
    { { "--frob", "list", NULL }, "deskrunctl --help" },
    { { "list", "extra", NULL }, "deskrunctl list --help" },
    { { "add", NULL }, "deskrunctl add --help" },
    { { "add", "web", NULL }, "deskrunctl add --help" },
    { { "add", "web", "--frob", NULL }, "deskrunctl add --help" },
    { { "remove", NULL }, "deskrunctl remove --help" },
    { { "render", "a", "b", NULL }, "deskrunctl render --help" },
    { { "status", "--json", "a", "b", NULL }, "deskrunctl status --help" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Run) r = run_args (NULL, cases[i].args);

      assert_failed (r, 2, cases[i].hint);
    }

  {
    g_autoptr(Run) r = run ("--version");

    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "deskrunctl " PACKAGE_VERSION "\n");
  }
  {
    g_autoptr(Run) r = run ("--help");

    assert_ok (r);
    assert_contains (r->out, "--kubeconfig");
    assert_contains (r->out, "status");
    assert_contains (r->out, "doctor");
  }
  {
    g_autoptr(Run) r = run ("add", "--help");

    assert_ok (r);
    assert_contains (r->out, "deskrunctl add [OPTION…] NAME");
    assert_contains (r->out, "--token-file");
    /* Secrets have no option of their own. */
    assert_lacks (r->out, "--token=");
  }
}

static void
test_add_invalid (void)
{
  g_autofree char *token_file = write_token_file (FAKE_TOKEN);
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "deskrun", NULL);
  struct {
    const char *args[12];
    const char *needle;
  } cases[] = {
    { { "add", "web", "--token-file", token_file, NULL }, "--repository" },
    { { "add", "web", "--repository", "http://github.com/o/r", "--token-file", token_file,
        NULL }, "--repository: " },
    { { "add", "Web", "--repository", REPOSITORY, "--token-file", token_file, NULL },
      "lowercase" },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file, "--mode",
        "podman", NULL }, "--mode: " },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file,
        "--max-runners", "many", NULL }, "--max-runners" },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file,
        "--min-runners", "-1", NULL }, "--min-runners" },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file,
        "--min-runners", "7", NULL }, "--min-runners/--max-runners: " },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file,
        "--instances", "0", NULL }, "--instances: " },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file, "--mount",
        "relative/path", NULL }, "--mount: " },
    { { "add", "web", "--repository", REPOSITORY, NULL }, "--token-file" },
    { { "add", "web", "--repository", REPOSITORY, "--token-file", token_file, "--app-id",
        "12", NULL }, "not both" },
    { { "add", "web", "--repository", REPOSITORY, "--app-id", "12", NULL },
      "--private-key-file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Run) r = run_args (NULL, cases[i].args);

      assert_failed (r, 2, cases[i].needle);
      assert_contains (r->err, "deskrunctl add --help");
    }

  /* A file that is not there is a failure, not a usage error. */
  {
    g_autoptr(Run) r = run ("add", "web", "--repository", REPOSITORY, "--token-file",
                            "/nonexistent/token");

    assert_failed (r, 1, "/nonexistent/token");
  }

  /* Nothing was saved by any of them. */
  g_assert_false (g_file_test (config, G_FILE_TEST_EXISTS));
}

static void
test_secret_on_command_line (void)
{
  const char *options[] = { "--token", "--auth-value" };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autoptr(Run) r = run ("add", "web", "--repository", REPOSITORY, options[i],
                              FAKE_TOKEN);

      assert_failed (r, 2, "--token-file");
      assert_lacks (r->err, FAKE_TOKEN);
      assert_lacks (r->out, FAKE_TOKEN);
    }
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);
}

static void
test_add_list_status (void)
{
  guint before = dr_test_count_keyring_items ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *cluster, *runner;
  JsonArray *runners;

  add_web ();
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before + 1);

  /* The token from standard input, and a second runner with instances. */
  {
    g_autoptr(Run) r = run_input (STDIN_TOKEN "\n", "add", "cache", "--repository",
                                  "https://github.com/octo", "--token-file", "-",
                                  "--instances", "2", "--mode", "dind", "--mount",
                                  "/var/cache/npm", NULL);

    assert_ok (r);
    assert_contains (r->out, "“runs-on: cache-1” to “runs-on: cache-2”");
    /* No cluster (no kind on this PATH): saved, with a word on why it is not deployed. */
    assert_contains (r->err, "deskrunctl: warning: Not applied to a cluster yet: ");
  }
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before + 2);

  {
    g_autoptr(Run) r = run ("list");

    assert_ok (r);
    g_assert_cmpstr (r->err, ==, "");
    assert_contains (r->out, "NAME");
    assert_contains (r->out, "web");
    assert_contains (r->out, "1–3 runners");
    assert_contains (r->out, "2 instances of 1 runner");
    assert_contains (r->out, "https://github.com/octo\n");
  }

  {
    g_autoptr(Run) r = run ("status", "web");

    assert_ok (r);
    assert_contains (r->out, "Not deployed");
    assert_contains (r->out, "runs-on");
  }

  {
    g_autoptr(Run) r = run ("status", "--json");

    assert_ok (r);
    root = parse_json (r->out);
  }
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  cluster = json_object_get_object_member (object, "cluster");
  g_assert_cmpstr (json_object_get_string_member (cluster, "kind"), ==, "kind");
  g_assert_cmpstr (json_object_get_string_member (cluster, "name"), ==, "deskrun");
  runners = json_object_get_array_member (object, "runners");
  g_assert_cmpuint (json_array_get_length (runners), ==, 2);

  runner = json_array_get_object_element (runners, 0);
  g_assert_cmpstr (json_object_get_string_member (runner, "name"), ==, "web");
  g_assert_cmpstr (json_object_get_string_member (runner, "repository"), ==, REPOSITORY);
  g_assert_cmpstr (json_object_get_string_member (runner, "mode"), ==, "kubernetes");
  g_assert_cmpint (json_object_get_int_member (runner, "min_runners"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (runner, "max_runners"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (runner, "instances"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (runner,
                                                                               "scale_sets"),
                                                  0), ==, "web");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (runner,
                                                                               "labels"),
                                                  0), ==, "gpu");
  g_assert_cmpstr (json_object_get_string_member (runner, "credential"), ==, "pat");
  g_assert_cmpstr (json_object_get_string_member (runner, "status"), ==, "not-deployed");
  g_assert_true (json_object_get_null_member (runner, "runner_group"));
  /* No cluster, nothing observed. */
  g_assert_false (json_object_get_boolean_member (cluster, "connected"));
  g_assert_false (json_object_get_null_member (cluster, "error"));
  g_assert_true (json_object_get_null_member (runner, "observed"));

  runner = json_array_get_object_element (runners, 1);
  g_assert_cmpstr (json_object_get_string_member (runner, "name"), ==, "cache");
  g_assert_cmpstr (json_object_get_string_member (runner, "mode"), ==, "dind");
  g_assert_cmpint (json_object_get_int_member (runner, "instances"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (runner, "scale_sets")),
                    ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (runner,
                                                                               "mounts"),
                                                  0), ==, "/var/cache/npm");

  /* One runner by name has the same shape. */
  {
    g_autoptr(Run) r = run ("status", "--json", "cache");
    g_autoptr(JsonNode) one = NULL;

    assert_ok (r);
    one = parse_json (r->out);
    runners = json_object_get_array_member (json_node_get_object (one), "runners");
    g_assert_cmpuint (json_array_get_length (runners), ==, 1);
  }

  /* The tokens are in the keyring only. */
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);
  dr_test_assert_no_file_contains (g_get_user_config_dir (), STDIN_TOKEN);
  dr_test_assert_no_file_contains (g_get_user_cache_dir (), FAKE_TOKEN);
  dr_test_assert_no_file_contains (g_get_user_data_dir (), FAKE_TOKEN);
}

static void
test_failures (void)
{
  add_web ();

  {
    g_autofree char *token_file = write_token_file (FAKE_TOKEN);
    g_autoptr(Run) r = run ("add", "web", "--repository", REPOSITORY, "--token-file",
                            token_file);

    assert_failed (r, 1, "already exists");
    assert_lacks (r->err, FAKE_TOKEN);
  }
  {
    g_autoptr(Run) r = run ("remove", "nope");

    assert_failed (r, 1, "“nope”");
  }
  {
    g_autoptr(Run) r = run ("render", "nope");

    assert_failed (r, 1, "“nope”");
  }
  {
    g_autoptr(Run) r = run ("status", "nope");

    assert_failed (r, 1, "“nope”");
  }
}

static void
test_config_problem (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "deskrun", "config.json",
                                            NULL);
  g_autofree char *token_file = write_token_file (FAKE_TOKEN);

  /* A config from a newer deskrun is left alone: reading warns, writing fails. */
  dr_test_write_file (path, "{\"version\": 99, \"runners\": []}", 0600);
  {
    g_autoptr(Run) r = run ("list");

    assert_ok (r);
    assert_contains (r->err, "deskrunctl: warning: ");
  }
  {
    g_autoptr(Run) r = run ("add", "web", "--repository", REPOSITORY, "--token-file",
                            token_file);

    assert_failed (r, 1, "cannot be changed");
  }
}

static void
test_no_keyring (void)
{
  g_autofree char *token_file = write_token_file (FAKE_TOKEN);
  g_autofree char *address = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr(Run) r = NULL;
  g_autofree char *bus_path = g_build_filename (g_get_home_dir (), "no-bus", NULL);
  g_autofree char *no_bus = g_strconcat ("unix:path=", bus_path, NULL);

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  r = run ("add", "web", "--repository", REPOSITORY, "--token-file", token_file);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  assert_failed (r, 1, NULL);
  assert_lacks (r->err, FAKE_TOKEN);
  {
    g_autoptr(Run) list = run ("list");

    assert_ok (list);
    assert_lacks (list->out, "web");
  }
}

static void
test_render (void)
{
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Run) r = NULL;
  gboolean seen_secret = FALSE, seen_ars = FALSE;

  add_web ();
  r = run ("render", "web");
  assert_ok (r);
  g_assert_cmpstr (r->err, ==, "");
  assert_lacks (r->out, FAKE_TOKEN);

  documents = dr_yaml_parse_all (r->out, -1, "deskrunctl render", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, >, 2);
  for (guint i = 0; i < documents->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (documents, i));
      const char *kind = json_object_get_string_member (object, "kind");

      if (g_str_equal (kind, "Secret"))
        {
          JsonObject *data = json_object_get_object_member (object, "data");

          seen_secret = TRUE;
          g_assert_cmpstr (json_object_get_string_member (data, "github_token"), ==, "");
        }
      else if (g_str_equal (kind, "AutoscalingRunnerSet"))
        {
          JsonObject *metadata = json_object_get_object_member (object, "metadata");

          seen_ars = TRUE;
          g_assert_cmpstr (json_object_get_string_member (metadata, "name"), ==, "web");
        }
    }
  g_assert_true (seen_secret);
  g_assert_true (seen_ars);

  {
    g_autoptr(Run) as_json = run ("render", "--json", "web");
    g_autoptr(JsonNode) list = NULL;

    assert_ok (as_json);
    list = parse_json (as_json->out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (list), "kind"), ==,
                     "List");
    assert_lacks (as_json->out, FAKE_TOKEN);
  }
}

static void
test_remove (void)
{
  guint before = dr_test_count_keyring_items ();

  add_web ();
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before + 1);

  {
    g_autoptr(Run) r = run ("remove", "web");

    assert_ok (r);
    assert_contains (r->out, "web");
  }
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, before);
  {
    g_autoptr(Run) r = run ("list");

    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "");
    assert_contains (r->err, "No runners");
  }
  {
    g_autoptr(Run) r = run ("remove", "web");

    assert_failed (r, 1, "“web”");
  }
}

/* A line of `deskrunctl doctor`: "ok     TITLE   DETAIL" or "FAIL   …". */
static gboolean
doctor_says_ok (const char *out,
                const char *title)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *rest = g_strdup (lines[i] + MIN (strlen (lines[i]), 7));

      if (g_str_has_prefix (g_strchug (rest), title) &&
          (rest[strlen (title)] == ' ' || rest[strlen (title)] == '\0'))
        return g_str_has_prefix (lines[i], "ok ");
    }
  g_error ("doctor printed no line for %s:\n%s", title, out);
  return FALSE;
}

/* The cluster verbs against the fake API server, reached through --kubeconfig. */

#define ARS_PATH "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/" \
                 "autoscalingrunnersets/web"
#define SECRET_PATH "/api/v1/namespaces/arc-runners/secrets/web-gha-rs-github-secret"

static char *
write_kubeconfig (DrFakeApiserver *server)
{
  char *path = g_build_filename (g_get_home_dir (), "fake-kubeconfig.yaml", NULL);
  g_autofree char *contents = NULL;

  contents = g_strdup_printf ("apiVersion: v1\n"
                              "kind: Config\n"
                              "clusters:\n"
                              "- name: fake\n"
                              "  cluster:\n"
                              "    server: %s\n"
                              "users:\n"
                              "- name: tester\n"
                              "  user: {}\n"
                              "contexts:\n"
                              "- name: fake\n"
                              "  context:\n"
                              "    cluster: fake\n"
                              "    user: tester\n"
                              "current-context: fake\n",
                              dr_fake_apiserver_get_url (server));
  dr_test_write_file (path, contents, 0600);
  return path;
}

static gint64
ars_spec_int (DrFakeApiserver *server,
              const char      *member)
{
  g_autoptr(JsonNode) ars = dr_fake_apiserver_get_object (server, ARS_PATH);
  JsonObject *spec;

  g_assert_nonnull (ars);
  spec = json_object_get_object_member (json_node_get_object (ars), "spec");
  return json_object_get_int_member (spec, member);
}

static void
test_cluster_verbs (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autofree char *kubeconfig = NULL;
  g_autoptr(JsonNode) secret = NULL;
  g_autofree char *secret_text = NULL;

  dr_fake_apiserver_register_defaults (server);
  kubeconfig = write_kubeconfig (server);
  add_web ();

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "apply", "web");

    assert_ok (r);
    assert_contains (r->err, "autoscalingrunnerset/web applied");
    assert_lacks (r->err, FAKE_TOKEN);
    assert_lacks (r->out, FAKE_TOKEN);
  }
  g_assert_cmpint (ars_spec_int (server, "maxRunners"), ==, 3);
  /* The cluster got the token from the keyring, which is where it lives. */
  secret = dr_fake_apiserver_get_object (server, SECRET_PATH);
  g_assert_nonnull (secret);
  secret_text = json_to_string (secret, FALSE);
  /* In data, base64-encoded, as the API server stores it. */
  {
    g_autofree char *encoded = g_base64_encode ((const guchar *) FAKE_TOKEN,
                                                strlen (FAKE_TOKEN));

    assert_contains (secret_text, encoded);
  }

  /* --verbose puts the log on stdout. */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "--verbose", "apply");

    assert_ok (r);
    assert_contains (r->out, "autoscalingrunnerset/web applied");
    g_assert_cmpstr (r->err, ==, "");
  }

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "scale", "web", "--min-runners", "2",
                            "--max-runners", "7");

    assert_ok (r);
    assert_contains (r->out, "2–7 runners");
  }
  g_assert_cmpint (ars_spec_int (server, "minRunners"), ==, 2);
  g_assert_cmpint (ars_spec_int (server, "maxRunners"), ==, 7);

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "scale", "web", "--min-runners", "9");

    assert_failed (r, 2, "greater than the maximum");
  }

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "status", "--json");
    g_autoptr(JsonNode) root = NULL;
    JsonObject *cluster, *runner, *observed;

    assert_ok (r);
    root = parse_json (r->out);
    cluster = json_object_get_object_member (json_node_get_object (root), "cluster");
    g_assert_true (json_object_get_boolean_member (cluster, "connected"));
    g_assert_cmpstr (json_object_get_string_member (cluster, "kind"), ==, "context");
    g_assert_cmpstr (json_object_get_string_member (cluster, "name"), ==, "fake");
    g_assert_cmpstr (json_object_get_string_member (cluster, "server"), ==,
                     dr_fake_apiserver_get_url (server));
    g_assert_true (json_object_get_null_member (cluster, "error"));
    runner = json_array_get_object_element (json_object_get_array_member (
                                              json_node_get_object (root), "runners"), 0);
    g_assert_cmpint (json_object_get_int_member (runner, "min_runners"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (runner, "max_runners"), ==, 7);
    observed = json_object_get_object_member (runner, "observed");
    g_assert_nonnull (observed);
    g_assert_true (json_object_has_member (observed, "deployed"));
    g_assert_nonnull (json_object_get_object_member (observed, "runners"));
    g_assert_nonnull (json_object_get_object_member (observed, "listener"));
    g_assert_nonnull (json_object_get_array_member (observed, "ephemeral_runners"));
    g_assert_nonnull (json_object_get_array_member (observed, "scale_sets"));
  }

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "down");

    assert_ok (r);
  }
  g_assert_null (dr_fake_apiserver_get_object (server, ARS_PATH));
  {
    g_autoptr(Run) r = run ("list");

    assert_ok (r);
    assert_contains (r->out, "web");
  }

  /* Every runner back (up would install the controller first: see up-with-controller). */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "apply");

    assert_ok (r);
  }
  g_assert_nonnull (dr_fake_apiserver_get_object (server, ARS_PATH));

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "remove", "web");

    assert_ok (r);
  }
  g_assert_null (dr_fake_apiserver_get_object (server, ARS_PATH));
  g_assert_null (dr_fake_apiserver_get_object (server, SECRET_PATH));
  {
    g_autoptr(Run) r = run ("list");

    assert_ok (r);
    assert_lacks (r->out, "web");
  }

  /* add applies at once when the cluster is there, unless told not to. */
  {
    g_autofree char *token_file = write_token_file (FAKE_TOKEN);
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "add", "api", "--repository",
                            REPOSITORY, "--token-file", token_file);
    g_autoptr(Run) later = run ("--kubeconfig", kubeconfig, "add", "later", "--repository",
                                REPOSITORY, "--token-file", token_file, "--no-apply");

    assert_ok (r);
    assert_contains (r->err, "autoscalingrunnerset/api applied");
    assert_ok (later);
    g_assert_cmpstr (later->err, ==, "");
  }
  g_assert_nonnull (dr_fake_apiserver_get_object (server, "/apis/actions.github.com/v1alpha1/"
                                                  "namespaces/arc-runners/"
                                                  "autoscalingrunnersets/api"));
  g_assert_null (dr_fake_apiserver_get_object (server, "/apis/actions.github.com/v1alpha1/"
                                               "namespaces/arc-runners/"
                                               "autoscalingrunnersets/later"));
}

static void
test_cluster_unreachable (void)
{
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "no-such-kubeconfig", NULL);
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autofree char *kubeconfig = write_kubeconfig (server);
  g_autofree char *url = g_strdup (dr_fake_apiserver_get_url (server));

  add_web ();
  {
    g_autoptr(Run) r = run ("--kubeconfig", missing, "apply", "web");

    assert_failed (r, 1, "does not exist");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "--context", "nope", "apply", "web");

    assert_failed (r, 1, "nope");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "apply", "nope");

    assert_failed (r, 1, "“nope”");
  }

  /* The server goes away: one line that names it. */
  g_clear_pointer (&server, dr_fake_apiserver_free);
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "apply", "web");

    assert_failed (r, 1, url);
    assert_lacks (r->err, FAKE_TOKEN);
  }
  /* status still shows the configuration, and why there is nothing live; what runs there is
   * unknown, not "not deployed", and the exit status says it failed. */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "status", "--json");
    g_autoptr(JsonNode) root = NULL;
    JsonObject *cluster;
    JsonObject *runner;

    assert_failed (r, 1, url);
    root = parse_json (r->out);
    cluster = json_object_get_object_member (json_node_get_object (root), "cluster");
    g_assert_false (json_object_get_boolean_member (cluster, "connected"));
    assert_contains (json_object_get_string_member (cluster, "error"), url);
    runner = json_array_get_object_element (json_object_get_array_member (
                                              json_node_get_object (root), "runners"), 0);
    g_assert_cmpstr (json_object_get_string_member (runner, "status"), ==, "unknown");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "status", "web");

    assert_failed (r, 1, url);
    assert_contains (r->out, "Unknown: the cluster cannot be reached");
    assert_lacks (r->out, "Not deployed");
  }
  /* scale and remove named a cluster on purpose: they do not fall back to the config. */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "scale", "web", "--max-runners", "4");

    assert_failed (r, 1, url);
  }
}

/* A deskrunctl that keeps running (status --watch, logs --follow), its stdout read as it
 * comes. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GDataInputStream *err;
  GCancellable     *cancellable;
  GString          *text;      /* stdout so far */
  GString          *err_text;  /* stderr so far */
  guint             n_lines;
  gboolean          eof;
  gboolean          exited;
} Background;

static void read_line_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
read_next_line (Background *bg)
{
  g_data_input_stream_read_line_async (bg->out, G_PRIORITY_DEFAULT, bg->cancellable,
                                       read_line_cb, bg);
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object),
                                                                result, NULL, &error);
  Background *bg;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bg = user_data;
  g_assert_no_error (error);
  if (line == NULL)
    {
      bg->eof = TRUE;
      return;
    }
  g_test_message ("deskrunctl (running): %s", line);
  g_string_append_printf (bg->text, "%s\n", line);
  bg->n_lines++;
  read_next_line (bg);
}

static void read_err_line_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
read_next_err_line (Background *bg)
{
  g_data_input_stream_read_line_async (bg->err, G_PRIORITY_DEFAULT, bg->cancellable,
                                       read_err_line_cb, bg);
}

/* Read so that a chatty child never blocks on a full pipe. */
static void
read_err_line_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object),
                                                                result, NULL, &error);
  Background *bg;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bg = user_data;
  g_assert_no_error (error);
  if (line == NULL)
    return;
  g_test_message ("deskrunctl (running, stderr): %s", line);
  g_string_append_printf (bg->err_text, "%s\n", line);
  read_next_err_line (bg);
}

static void
wait_exit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Background *bg = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  bg->exited = TRUE;
}

static Background *
start_background (const char *first,
                  ...) G_GNUC_NULL_TERMINATED;

static Background *
start_background (const char *first,
                  ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  Background *bg = g_new0 (Background, 1);
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) first);
  va_start (ap, first);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  bg->process = spawn ((const char * const *) args->pdata);
  bg->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bg->process));
  bg->cancellable = g_cancellable_new ();
  bg->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (bg->process));
  bg->text = g_string_new (NULL);
  bg->err_text = g_string_new (NULL);
  read_next_line (bg);
  read_next_err_line (bg);
  return bg;
}

static gboolean
background_says (Background *bg,
                 const char *needle)
{
  return strstr (bg->text->str, needle) != NULL;
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins until @bg's stdout holds @needle and at least @n_lines lines. */
static void
wait_for_output (Background *bg,
                 const char *needle,
                 guint       n_lines)
{
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (20, deadline_cb, &late);

  while (!background_says (bg, needle) || bg->n_lines < n_lines)
    {
      if (bg->eof || late)
        g_error ("deskrunctl did not print “%s” (%u lines); it printed:\n%s", needle, n_lines,
                 bg->text->str);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

/* Waits for the child to exit (after @signum unless 0) and returns its exit status;
 * *@err (optional) gets its stderr. */
static int
finish_background (Background  *bg,
                   int          signum,
                   char       **err)
{
  gboolean drained = FALSE;
  int status;

  if (signum != 0)
    g_subprocess_send_signal (bg->process, signum);
  g_subprocess_wait_async (bg->process, NULL, wait_exit_cb, bg);
  dr_test_wait_for_flag (&bg->exited, 20000);
  g_assert_true (g_subprocess_get_if_exited (bg->process));
  status = g_subprocess_get_exit_status (bg->process);
  /* What it wrote last may still be in the pipe. */
  g_timeout_add (200, deadline_cb, &drained);
  while (!drained)
    g_main_context_iteration (NULL, TRUE);
  if (err != NULL)
    *err = g_strdup (bg->err_text->str);

  g_cancellable_cancel (bg->cancellable);
  g_clear_object (&bg->cancellable);
  g_clear_object (&bg->out);
  g_clear_object (&bg->err);
  g_string_free (bg->err_text, TRUE);
  g_clear_object (&bg->process);
  g_string_free (bg->text, TRUE);
  g_free (bg);
  return status;
}

/* Ctrl-C and SIGTERM end deskrunctl while it waits on a server that never answers, wherever
 * it is waiting: the first request of status, of apply, of a watch. */
static void
test_signal_ends (void)
{
  static const struct
  {
    int         signum;
    const char *args[4];
  } cases[] = {
    { SIGTERM, { "status", NULL } },
    { SIGINT, { "status", NULL } },
    { SIGTERM, { "apply", "web", NULL } },
    { SIGINT, { "scale", "web", "--max-runners=3", NULL } },
    { SIGTERM, { "status", "--watch", NULL } },
  };

  add_web ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
      g_autofree char *kubeconfig = write_kubeconfig (server);
      g_autofree char *err = NULL;
      gboolean reached = FALSE;
      Background *bg;
      gint64 start;
      int status;

      g_test_message ("deskrunctl %s … and signal %d", cases[i].args[0], cases[i].signum);
      dr_fake_apiserver_register_defaults (server);
      dr_fake_apiserver_hang_next (server, &reached);
      bg = start_background ("--kubeconfig", kubeconfig, cases[i].args[0], cases[i].args[1],
                             cases[i].args[2], NULL);
      dr_test_wait_for_flag (&reached, 20000);

      start = g_get_monotonic_time ();
      status = finish_background (bg, cases[i].signum, &err);
      g_test_message ("exit status %d after %.1f s; stderr: %s", status,
                      (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, err);
      /* 128 + the signal, as a shell reports a command it ended. */
      g_assert_cmpint (status, ==, 128 + cases[i].signum);
    }

  /* Stuck in a read that does not return (--token-file <(…) whose writer never writes, a
   * FIFO): the signal still ends it, after a short grace period, and says so. */
  {
    g_autofree char *fifo = g_build_filename (g_get_home_dir (), "token-fifo", NULL);
    g_autofree char *err = NULL;
    Background *bg;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    bg = start_background ("add", "other", "--repository", REPOSITORY, "--token-file", fifo,
                           NULL);
    /* Time to get into the read. */
    g_usleep (500 * 1000);
    g_assert_cmpint (finish_background (bg, SIGTERM, &err), ==, 128 + SIGTERM);
    assert_contains (err, "deskrunctl: interrupted");
  }
}

#define LISTENER_POD    "web-884475f5-listener"
#define RUNNER_POD      "web-x7k2p-runner-q2w9z"
#define LISTENER_PATH   "/api/v1/namespaces/arc-systems/pods/" LISTENER_POD
#define RUNNER_POD_PATH "/api/v1/namespaces/arc-runners/pods/" RUNNER_POD

/* What ARC's controller would have made of an applied "web" running one job. */
static void
act_as_controller (DrFakeApiserver *server)
{
  g_free (dr_fake_apiserver_add (server, "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", "
                                         "\"metadata\": {\"name\": \"arc-systems\"}}"));
  g_free (dr_fake_apiserver_add (server,
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {"
    "\"name\": \"" LISTENER_POD "\", \"namespace\": \"arc-systems\", \"labels\": {"
    "\"app.kubernetes.io/component\": \"runner-scale-set-listener\", "
    "\"app.kubernetes.io/part-of\": \"gha-runner-scale-set\", "
    "\"actions.github.com/scale-set-name\": \"web\", "
    "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
    "\"spec\": {\"containers\": [{\"name\": \"listener\", "
    "\"image\": \"" DR_ARC_CONTROLLER_IMAGE "\"}]}, "
    "\"status\": {\"phase\": \"Running\", \"containerStatuses\": [{\"name\": \"listener\", "
    "\"ready\": true, \"restartCount\": 0, "
    "\"state\": {\"running\": {\"startedAt\": \"2026-06-01T10:00:00Z\"}}}]}}"));
  dr_fake_apiserver_patch (server, ARS_PATH,
                           "{\"status\": {\"phase\": \"Running\", \"currentRunners\": 1, "
                           "\"pendingEphemeralRunners\": 0, \"runningEphemeralRunners\": 1, "
                           "\"failedEphemeralRunners\": 0}}");
  g_free (dr_fake_apiserver_add (server,
    "{\"apiVersion\": \"actions.github.com/v1alpha1\", \"kind\": \"EphemeralRunner\", "
    "\"metadata\": {\"name\": \"" RUNNER_POD "\", \"namespace\": \"arc-runners\", "
    "\"labels\": {\"app.kubernetes.io/component\": \"runner\", "
    "\"actions.github.com/scale-set-name\": \"web\", "
    "\"actions.github.com/scale-set-namespace\": \"arc-runners\"}}, "
    "\"status\": {\"phase\": \"Running\", \"ready\": true, "
    "\"jobDisplayName\": \"build (ubuntu)\", \"jobRepositoryName\": \"octo/hello\", "
    "\"workflowRunId\": 4242}}"));
  g_free (dr_fake_apiserver_add (server,
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {"
    "\"name\": \"" RUNNER_POD "\", \"namespace\": \"arc-runners\", \"labels\": {"
    "\"app.kubernetes.io/component\": \"runner\", "
    "\"actions.github.com/scale-set-name\": \"web\"}}, "
    "\"spec\": {\"containers\": [{\"name\": \"runner\", "
    "\"image\": \"" DR_ARC_RUNNER_IMAGE "\"}]}, \"status\": {\"phase\": \"Running\"}}"));
}

/* Watch requests the fake has seen. */
static guint
count_watch_requests (DrFakeApiserver *server)
{
  guint count = 0;

  for (guint i = 0; i < dr_fake_apiserver_count_requests (server, NULL, NULL); i++)
    {
      const DrFakeRequest *request = dr_fake_apiserver_get_request (server, i);

      if (g_strcmp0 (g_hash_table_lookup (request->params, "watch"), "true") == 0)
        count++;
    }
  return count;
}

static void
test_live (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autofree char *kubeconfig = NULL;

  dr_fake_apiserver_register_defaults (server);
  kubeconfig = write_kubeconfig (server);
  add_web ();
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "apply", "web");

    assert_ok (r);
  }
  /* One-shot verbs that show no live state open no watch. */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "scale", "web", "--max-runners", "3");

    assert_ok (r);
  }
  g_assert_cmpuint (count_watch_requests (server), ==, 0);
  act_as_controller (server);

  /* One look: the watches list, then the status is printed. */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "status", "--json");
    g_autoptr(JsonNode) root = NULL;
    JsonObject *runner, *observed, *counts, *listener, *ephemeral, *job;

    assert_ok (r);
    root = parse_json (r->out);
    runner = json_array_get_object_element (json_object_get_array_member (
                                              json_node_get_object (root), "runners"), 0);
    g_assert_cmpstr (json_object_get_string_member (runner, "status"), ==, "busy");
    observed = json_object_get_object_member (runner, "observed");
    g_assert_true (json_object_get_boolean_member (observed, "deployed"));
    g_assert_cmpstr (json_object_get_string_member (observed, "phase"), ==, "Running");
    counts = json_object_get_object_member (observed, "runners");
    g_assert_cmpint (json_object_get_int_member (counts, "current"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (counts, "running"), ==, 1);
    listener = json_object_get_object_member (observed, "listener");
    g_assert_cmpstr (json_object_get_string_member (listener, "state"), ==, "running");
    g_assert_cmpstr (json_object_get_string_member (listener, "pod"), ==, LISTENER_POD);
    ephemeral = json_array_get_object_element (
      json_object_get_array_member (observed, "ephemeral_runners"), 0);
    g_assert_cmpstr (json_object_get_string_member (ephemeral, "name"), ==, RUNNER_POD);
    g_assert_true (json_object_get_boolean_member (ephemeral, "busy"));
    g_assert_cmpstr (json_object_get_string_member (ephemeral, "pod_phase"), ==, "Running");
    job = json_object_get_object_member (ephemeral, "job");
    g_assert_cmpstr (json_object_get_string_member (job, "name"), ==, "build (ubuntu)");
    g_assert_cmpstr (json_object_get_string_member (job, "repository"), ==, "octo/hello");
    g_assert_cmpint (json_object_get_int_member (job, "workflow_run_id"), ==, 4242);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (observed,
                                                                           "scale_sets")),
                      ==, 1);
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "status", "web");

    assert_ok (r);
    assert_contains (r->out, "Running a job");
    assert_contains (r->out, "running (" LISTENER_POD ")");
    assert_contains (r->out, RUNNER_POD "  Running, running “build (ubuntu)” (octo/hello)");
  }

  /* Logs, once. */
  dr_fake_apiserver_append_log (server, "arc-systems", LISTENER_POD, "listener says one");
  dr_fake_apiserver_append_log (server, "arc-systems", LISTENER_POD, "listener says two");
  dr_fake_apiserver_append_log (server, "arc-runners", RUNNER_POD, "Running job: build");
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "logs", "web", "--listener");

    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "listener says one\nlistener says two\n");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "logs", "web", "--listener",
                            "--tail", "1");

    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "listener says two\n");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "logs", "web", "--runner", RUNNER_POD,
                            "--timestamps");

    assert_ok (r);
    g_assert_true (g_str_has_suffix (r->out, "Z Running job: build\n"));
  }
  /* What a server sends reaches the terminal without its control characters: no cursor
   * moves, no new title, no hidden text. */
  dr_fake_apiserver_append_log (server, "arc-runners", RUNNER_POD,
                                "\033[2J\033]0;pwned\007cleared \xc2\x9b" "31mred\x7f\ttab");
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "logs", "web", "--runner", RUNNER_POD,
                            "--tail", "1");

    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "[2J]0;pwnedcleared 31mred\ttab\n");
  }
  dr_fake_apiserver_patch (server, ARS_PATH,
                           "{\"status\": {\"phase\": \"\\u001b[31mRunning\\u001b[0m\\r\"}}");
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "status", "web");

    assert_ok (r);
    assert_lacks (r->out, "\033");
    assert_lacks (r->out, "\r");
    assert_contains (r->out, "[31mRunning[0m\n");
  }
  dr_fake_apiserver_patch (server, ARS_PATH, "{\"status\": {\"phase\": \"Running\"}}");
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "logs", "web", "--runner", "nope");

    assert_failed (r, 1, "“nope”");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "logs", "web");

    assert_failed (r, 2, "--listener");
  }
  {
    g_autoptr(Run) r = run ("logs", "web", "--listener", "--runner", RUNNER_POD);

    assert_failed (r, 2, "deskrunctl logs --help");
  }

  /* Following: new lines as they are written, until the pod goes. */
  {
    Background *bg = start_background ("--kubeconfig", kubeconfig, "logs", "web", "--runner",
                                       RUNNER_POD, "--follow", NULL);
    g_autofree char *err = NULL;

    wait_for_output (bg, "Running job: build", 1);
    /* The connection breaks: the log goes on where it was, nothing twice. */
    g_assert_cmpuint (dr_fake_apiserver_drop_log_streams (server), ==, 1);
    dr_fake_apiserver_append_log (server, "arc-runners", RUNNER_POD, "Job build completed");
    wait_for_output (bg, "Job build completed", 2);
    g_assert_cmpuint (bg->n_lines, ==, 3);   /* the two lines before, and this one */
    dr_fake_apiserver_delete (server, RUNNER_POD_PATH);
    g_assert_cmpint (finish_background (bg, 0, &err), ==, 0);
    /* Why the log stopped, on stderr. */
    g_assert_true (g_str_has_prefix (err, "deskrunctl: "));
  }

  /* Watching: a frame at once, then one per change, until Ctrl-C. */
  {
    Background *bg = start_background ("--kubeconfig", kubeconfig, "status", "web", "--watch",
                                       "--json", NULL);
    g_autoptr(JsonNode) first = NULL;

    wait_for_output (bg, "\n", 1);
    first = parse_json (bg->text->str);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (first), "version"), ==,
                     1);
    g_assert_cmpuint (bg->n_lines, ==, 1);

    dr_fake_apiserver_patch (server, ARS_PATH,
                             "{\"status\": {\"currentRunners\": 3, "
                             "\"runningEphemeralRunners\": 0}}");
    wait_for_output (bg, "\"current\":3", 2);
    g_assert_cmpint (finish_background (bg, SIGINT, NULL), ==, 0);
  }
  {
    Background *bg = start_background ("--kubeconfig", kubeconfig, "status", "--watch", NULL);

    /* The cluster line, then one line for the runner. */
    wait_for_output (bg, "  web  Running a job, 3 runners (0 running a job)", 2);
    dr_fake_apiserver_delete (server, LISTENER_PATH);
    wait_for_output (bg, "", 3);
    g_assert_cmpint (finish_background (bg, SIGTERM, NULL), ==, 0);
  }
}

/* Docker and kind that answer the prerequisites check. */
static DrFakeHost *
fake_docker_and_kind (void)
{
  DrFakeHost *fake = dr_fake_host_new ();

  dr_fake_host_add_tool (fake, "docker");
  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "DOCKER___VERSION", "STDOUT", "Docker version 24.0.7, build afdd53b");
  dr_fake_host_set (fake, "DOCKER_VERSION", "STDOUT", "24.0.7");
  dr_fake_host_set (fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");
  return fake;
}

/* The kind cluster "deskrun" exists and runs; its API server is @server. */
static void
fake_running_cluster (DrFakeHost      *fake,
                      DrFakeApiserver *server)
{
  g_autofree char *kubeconfig = g_strdup_printf ("apiVersion: v1\nkind: Config\n"
                                                 "clusters:\n- name: kind-deskrun\n"
                                                 "  cluster:\n    server: %s\n"
                                                 "contexts:\n- name: kind-deskrun\n"
                                                 "  context:\n    cluster: kind-deskrun\n"
                                                 "    user: kind-deskrun\n"
                                                 "current-context: kind-deskrun\n"
                                                 "users:\n- name: kind-deskrun\n  user: {}\n",
                                                 dr_fake_apiserver_get_url (server));

  dr_fake_host_set (fake, "KIND_GET_CLUSTERS", "STDOUT", "deskrun");
  dr_fake_host_set (fake, "DOCKER_INSPECT", "STDOUT", "running");
  dr_fake_host_set (fake, "KIND_GET_KUBECONFIG", "STDOUT", kubeconfig);
}

/* The index of the first call of @tool with @first_arg, or -1. */
static int
find_call (DrFakeHost *fake,
           const char *tool,
           const char *first_arg)
{
  for (guint i = 0; i < dr_fake_host_n_calls (fake); i++)
    {
      g_autofree char *called = dr_fake_host_call_tool (fake, i);
      g_auto(GStrv) args = dr_fake_host_call_args (fake, i);

      if (g_str_equal (called, tool) && args[0] != NULL && g_str_equal (args[0], first_arg))
        return (int) i;
    }
  return -1;
}

static void
test_doctor (void)
{
  /* Nothing installed (the PATH is empty): every tool fails, with a fix, and so does the
   * command; the cluster cannot be looked at. */
  {
    g_autoptr(Run) r = run ("doctor");

    g_assert_false (doctor_says_ok (r->out, "kind"));
    g_assert_false (doctor_says_ok (r->out, "Cluster “deskrun”"));
    assert_contains (r->out, "Cannot be checked");
    assert_failed (r, 1, "failed");
  }

  /* The tools are there, the cluster is not. */
  {
    DrFakeHost *fake = fake_docker_and_kind ();
    g_autoptr(Run) r = run ("doctor");

    assert_contains (r->out, "Docker version 24.0.7");
    g_assert_true (doctor_says_ok (r->out, "Docker"));
    g_assert_true (doctor_says_ok (r->out, "kind"));
    g_assert_false (doctor_says_ok (r->out, "Cluster “deskrun”"));
    assert_contains (r->out, "deskrunctl cluster create");
    g_assert_true (doctor_says_ok (r->out, "Configuration"));
    /* Free disk space depends on this machine. */
    if (doctor_says_ok (r->out, "Free disk space"))
      assert_failed (r, 1, "1 check failed");
    else
      assert_failed (r, 1, "2 checks failed");
    dr_fake_host_free (fake);
  }

  /* The cluster runs, the controller is missing. */
  {
    DrFakeHost *fake = fake_docker_and_kind ();
    g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
    g_autoptr(Run) r = NULL;

    dr_fake_apiserver_register_defaults (server);
    fake_running_cluster (fake, server);
    r = run ("doctor");
    g_assert_true (doctor_says_ok (r->out, "Cluster “deskrun”"));
    g_assert_false (doctor_says_ok (r->out, "ARC controller"));
    assert_contains (r->out, "deskrunctl controller install");
    g_assert_cmpint (r->status, ==, 1);
    dr_fake_host_free (fake);
  }
}

/* Keyring items that no runner refers to, as an add killed between the keyring and the
 * config leaves them: doctor lists them without failing, removes them only when asked, and
 * never touches a runner's own credential. */
static void
test_stray_credentials (void)
{
  static const SecretSchema schema = {
    "io.github.deskrun.Credential", SECRET_SCHEMA_NONE,
    { { "id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *failures_with_stray = NULL;
  g_autofree char *config_path = g_build_filename (g_get_user_config_dir (), "deskrun",
                                                   "config.json", NULL);

  /* Earlier test cases left theirs; their configs are gone. */
  secret_password_clear_sync (&schema, NULL, &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, 0);

  add_web ();
  secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "deskrun: lost", "{}", NULL,
                              &error, "id", "6f1c2a7e-0000-4000-8000-000000000001",
                              "kind", "pat", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_test_count_keyring_items (), ==, 2);

  {
    g_autoptr(Run) r = run ("doctor");

    g_assert_false (doctor_says_ok (r->out, "Keyring"));
    failures_with_stray = g_strdup (r->err);
    assert_contains (r->out, "1 credential in the keyring belongs to no runner");
    assert_contains (r->out, "deskrun: lost (6f1c2a7e-0000-4000-8000-000000000001)");
    assert_contains (r->out, "deskrunctl doctor --remove-stray-credentials");
    assert_lacks (r->out, "deskrun: web");
    /* Not removed. */
    g_assert_cmpuint (dr_test_count_keyring_items (), ==, 2);
  }
  {
    g_autoptr(Run) r = run ("doctor", "--remove-stray-credentials");

    assert_contains (r->out, "Removed 1 credential.");
    g_assert_cmpuint (dr_test_count_keyring_items (), ==, 1);
  }
  {
    g_autoptr(Run) r = run ("doctor");

    g_assert_true (doctor_says_ok (r->out, "Keyring"));
    assert_contains (r->out, "No credentials without a runner");
    /* A stray is reported, not counted as a failed check. */
    g_assert_cmpstr (r->err, ==, failures_with_stray);
  }
  /* The runner still has its own credential. */
  {
    g_autoptr(Run) r = run ("render", "web");

    assert_ok (r);
  }

  /* A config this deskrun cannot read may refer to any of them: none is called a stray. */
  secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "deskrun: lost", "{}", NULL,
                              &error, "id", "6f1c2a7e-0000-4000-8000-000000000002",
                              "kind", "pat", NULL);
  g_assert_no_error (error);
  dr_test_write_file (config_path, "{\"version\": 99}", 0600);
  {
    g_autoptr(Run) r = run ("doctor", "--remove-stray-credentials");

    assert_contains (r->out, "Not checked, as the configuration cannot be used.");
    g_assert_cmpuint (dr_test_count_keyring_items (), ==, 2);
  }
  secret_password_clear_sync (&schema, NULL, &error, NULL);
}

static void
test_cluster_commands (void)
{
  DrFakeHost *fake = NULL;

  {
    g_autoptr(Run) r = run ("cluster");

    assert_failed (r, 2, "create|start|status|delete");
  }
  {
    g_autoptr(Run) r = run ("cluster", "frob");

    assert_failed (r, 2, "“frob”");
  }
  {
    g_autoptr(Run) r = run ("cluster", "status", "extra");

    assert_failed (r, 2, "deskrunctl cluster status --help");
  }
  {
    g_autoptr(Run) r = run ("cluster", "create", "--help");

    assert_ok (r);
    assert_contains (r->out, "deskrunctl cluster create [OPTION…]");
  }
  {
    g_autoptr(Run) r = run ("controller", "frob");

    assert_failed (r, 2, "install|status");
  }

  /* No cluster yet. */
  fake = fake_docker_and_kind ();
  {
    g_autoptr(Run) r = run ("cluster", "status");

    assert_ok (r);
    assert_contains (r->out, "deskrun (kind)");
    assert_contains (r->out, "absent");
  }
  {
    g_autoptr(Run) r = run ("cluster", "start");

    g_assert_cmpint (r->status, ==, 1);
    assert_contains (r->err, "deskrunctl: ");
  }
  {
    g_autoptr(Run) r = run ("apply");

    assert_failed (r, 1, "deskrunctl cluster create");
  }
  {
    g_autoptr(Run) r = run ("cluster", "delete");
    int call;

    assert_ok (r);
    call = find_call (fake, "kind", "delete");
    g_assert_cmpint (call, >=, 0);
    dr_fake_host_assert_call (fake, call, "kind", "delete", "cluster", "--name", "deskrun",
                              NULL);
  }
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "EXIT", "1");
  dr_fake_host_set (fake, "KIND_CREATE_CLUSTER", "STDERR", "ERROR: failed to create cluster");
  {
    g_autoptr(Run) r = run ("cluster", "create");
    int call;

    assert_operation_failed (r, NULL);
    call = find_call (fake, "kind", "create");
    g_assert_cmpint (call, >=, 0);
    dr_fake_host_assert_call (fake, call, "kind", "create", "cluster", "--name", "deskrun",
                              "--config", "-", "--wait", "5m", NULL);
  }
  dr_fake_host_free (fake);

  /* A running cluster. */
  fake = fake_docker_and_kind ();
  {
    g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
    g_autoptr(Run) r = NULL;

    dr_fake_apiserver_register_defaults (server);
    fake_running_cluster (fake, server);
    r = run ("cluster", "status");
    assert_ok (r);
    assert_contains (r->out, "ready");
    assert_contains (r->out, dr_fake_apiserver_get_url (server));
    assert_contains (r->out, "missing");
  }
  dr_fake_host_free (fake);
}

/* ARC's controller chart with small stand-ins for its CRDs. */
static char *
write_chart (void)
{
  static const char * const plurals[] = {
    "autoscalinglisteners", "autoscalingrunnersets", "ephemeralrunners", "ephemeralrunnersets",
  };
  DrTestTar *tar = dr_test_tar_new ();
  g_autoptr(GBytes) chart = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_home_dir (), "chart.tgz", NULL);

  dr_test_tar_add_string (tar, "gha-runner-scale-set-controller/Chart.yaml",
                          "apiVersion: v2\nname: gha-runner-scale-set-controller\n"
                          "version: " DR_ARC_VERSION "\nappVersion: \"" DR_ARC_VERSION "\"\n");
  for (guint i = 0; i < G_N_ELEMENTS (plurals); i++)
    {
      g_autofree char *member = g_strdup_printf ("gha-runner-scale-set-controller/crds/"
                                                 "actions.github.com_%s.yaml", plurals[i]);
      g_autofree char *crd = NULL;

      crd = g_strdup_printf ("---\napiVersion: apiextensions.k8s.io/v1\n"
                             "kind: CustomResourceDefinition\nmetadata:\n"
                             "  name: %s.actions.github.com\n"
                             "spec:\n  group: actions.github.com\n  names:\n"
                             "    plural: %s\n  scope: Namespaced\n  versions:\n"
                             "  - name: v1alpha1\n    served: true\n    storage: true\n"
                             "    schema:\n      openAPIV3Schema:\n        type: object\n"
                             "        x-kubernetes-preserve-unknown-fields: true\n",
                             plurals[i], plurals[i]);
      dr_test_tar_add_string (tar, member, crd);
    }
  chart = dr_test_tar_finish (tar);
  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (chart, NULL), g_bytes_get_size (chart), &error);
  g_assert_no_error (error);
  return path;
}

#define CRD_PATH        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
#define DEPLOYMENT_PATH "/apis/apps/v1/namespaces/" DR_DEFAULT_CONTROLLER_NAMESPACE \
                        "/deployments/" DR_ARC_CONTROLLER_FULLNAME

/* What the API server and the Deployment controller do once deskrun applied them: CRDs
 * become Established, the controller's Deployment Available. */
static gboolean
play_cluster_cb (gpointer user_data)
{
  DrFakeApiserver *server = user_data;
  static const char * const crds[] = {
    "autoscalinglisteners.actions.github.com", "autoscalingrunnersets.actions.github.com",
    "ephemeralrunners.actions.github.com", "ephemeralrunnersets.actions.github.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (crds); i++)
    {
      g_autofree char *path = g_strconcat (CRD_PATH, crds[i], NULL);
      g_autoptr(JsonNode) crd = dr_fake_apiserver_get_object (server, path);
      g_autofree char *text = crd != NULL ? json_to_string (crd, FALSE) : NULL;

      if (text != NULL && strstr (text, "Established") == NULL)
        dr_fake_apiserver_patch (server, path,
                                 "{\"status\": {\"conditions\": ["
                                 "{\"type\": \"NamesAccepted\", \"status\": \"True\"},"
                                 "{\"type\": \"Established\", \"status\": \"True\"}]}}");
    }
  {
    g_autoptr(JsonNode) deployment = dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH);
    g_autofree char *text = deployment != NULL ? json_to_string (deployment, FALSE) : NULL;

    if (text != NULL && strstr (text, "Available") == NULL)
      dr_fake_apiserver_patch (server, DEPLOYMENT_PATH,
                               "{\"status\": {\"conditions\": [{\"type\": \"Available\", "
                               "\"status\": \"True\"}]}}");
  }
  return G_SOURCE_CONTINUE;
}

/* up on a context: the controller installed from a local chart, then every runner applied;
 * then the controller and doctor say so. */
static void
test_up_with_controller (void)
{
  g_autoptr(DrFakeApiserver) server = dr_fake_apiserver_new (NULL, DR_FAKE_APISERVER_NONE);
  g_autofree char *kubeconfig = NULL;
  g_autofree char *chart = write_chart ();
  guint play;

  dr_fake_apiserver_register_defaults (server);
  kubeconfig = write_kubeconfig (server);
  add_web ();

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "controller", "status");

    assert_ok (r);
    assert_contains (r->out, "missing");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "controller", "install", "--chart",
                            "/nonexistent/chart.tgz");

    assert_failed (r, 1, "/nonexistent/chart.tgz");
  }

  play = g_timeout_add (20, play_cluster_cb, server);
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "up", "--chart", chart);

    assert_ok (r);
    assert_contains (r->err, "autoscalingrunnerset/web applied");
  }
  g_source_remove (play);
  g_assert_nonnull (dr_fake_apiserver_get_object (server, DEPLOYMENT_PATH));
  g_assert_nonnull (dr_fake_apiserver_get_object (server, ARS_PATH));

  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "controller", "status");

    assert_ok (r);
    assert_contains (r->out, "ready (" DR_ARC_VERSION ")");
  }
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "doctor");

    assert_ok (r);
    g_assert_true (doctor_says_ok (r->out, "ARC controller"));
    /* A context needs nothing on this computer. */
    assert_lacks (r->out, "Docker");
  }
  /* Again: nothing to install, the runner applied in place. */
  {
    g_autoptr(Run) r = run ("--kubeconfig", kubeconfig, "up");

    assert_ok (r);
  }
}

/* --registry is checked before anything runs: a usage error on one line that never repeats a
 * password, whether for controller install or up. */
static void
test_bad_registry (void)
{
  static const char * const bad[] = {
    "http://example.com",
    "https://me:s3cret@mirror.example.com",
    "https://mirror.example.com/?token=s3cret",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Run) install = run ("controller", "install", "--registry", bad[i]);
      g_autoptr(Run) up = run ("up", "--registry", bad[i]);

      assert_failed (install, 2, "chart registry");
      assert_failed (up, 2, "chart registry");
      g_assert_null (strstr (install->err, "s3cret"));
      g_assert_null (strstr (up->err, "s3cret"));
      g_assert_null (strstr (install->out, "s3cret"));
      g_assert_null (strstr (up->out, "s3cret"));
    }
  {
    g_autoptr(Run) r = run ("controller", "install", "--registry", "http://example.com");

    assert_contains (r->err, "https://");
    assert_contains (r->err, "controller install --help");
  }
}

/* ---- GitHub commands, against the strict fake GitHub ---------------------------------------- */

static const char *release_yml =
  "name: Release\n"
  "on:\n"
  "  workflow_dispatch:\n"
  "    inputs:\n"
  "      version:\n"
  "        description: Version to release\n"
  "        required: true\n"
  "      dry-run:\n"
  "        type: boolean\n"
  "        default: true\n"
  "jobs:\n"
  "  build:\n"
  "    runs-on: web\n"
  "    steps: [{run: make}]\n"
  "  lint:\n"
  "    runs-on: ubuntu-latest\n"
  "    steps: [{run: make lint}]\n";

static DrFakeGithub *
github_setup (void)
{
  DrFakeGithub *fake = dr_fake_github_new ();

  dr_fake_github_add_pat (fake, FAKE_TOKEN, "repo, workflow");
  g_setenv (DR_GITHUB_API_URL_ENV, dr_fake_github_get_url (fake), TRUE);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello", 200,
                           "{\"full_name\": \"octo/hello\", \"default_branch\": \"main\"}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/branches", 200,
                           "[{\"name\": \"main\"}, {\"name\": \"next\"}]");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/workflows", 200,
                           "{\"total_count\": 1, \"workflows\": [{\"id\": 3, \"name\": \"Release\","
                           " \"path\": \".github/workflows/release.yml\", \"state\": \"active\"}]}");
  dr_fake_github_set_file (fake, "octo", "hello", ".github/workflows/release.yml", release_yml);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\": 2, \"workflow_runs\": ["
                           "{\"id\": 20, \"run_number\": 7, \"name\": \"CI\", \"status\": \"in_progress\","
                           " \"head_branch\": \"main\"},"
                           "{\"id\": 10, \"run_number\": 6, \"name\": \"CI\", \"status\": \"completed\","
                           " \"conclusion\": \"success\"}]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs/20/jobs", 200,
                           "{\"total_count\": 2, \"jobs\": ["
                           "{\"id\": 201, \"run_id\": 20, \"name\": \"build\", \"workflow_name\": \"CI\","
                           " \"status\": \"in_progress\", \"labels\": [\"web\"],"
                           " \"runner_name\": \"web-x7k2p-runner-abcde\"},"
                           "{\"id\": 202, \"run_id\": 20, \"name\": \"lint\", \"workflow_name\": \"CI\","
                           " \"status\": \"queued\", \"labels\": [\"ubuntu-latest\"]}]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs/10/jobs", 200,
                           "{\"total_count\": 1, \"jobs\": ["
                           "{\"id\": 101, \"run_id\": 10, \"name\": \"build\", \"workflow_name\": \"CI\","
                           " \"status\": \"completed\", \"conclusion\": \"success\","
                           " \"labels\": [\"web\"], \"runner_name\": \"web-x7k2p-runner-qqqqq\","
                           " \"steps\": [{\"number\": 1, \"name\": \"make\", \"status\": \"completed\","
                           "  \"conclusion\": \"success\", \"started_at\": \"2026-12-04T10:00:00Z\","
                           "  \"completed_at\": \"2026-12-04T10:00:09Z\"}]}]}");
  dr_fake_github_set_job_log (fake, 101, "2026-12-04T10:00:01.0000000Z make: ok\n");
  return fake;
}

static void
github_teardown (DrFakeGithub *fake)
{
  /* Whatever the commands did, the token is in no file. */
  dr_test_assert_no_file_contains (g_get_user_config_dir (), FAKE_TOKEN);
  dr_test_assert_no_file_contains (g_get_user_cache_dir (), FAKE_TOKEN);
  dr_fake_github_free (fake);
  g_unsetenv (DR_GITHUB_API_URL_ENV);
}

static void
test_github_jobs (void)
{
  DrFakeGithub *fake = github_setup ();
  g_autoptr(Run) jobs = NULL;
  g_autoptr(Run) text = NULL;
  g_autoptr(Run) logs = NULL;
  g_autoptr(Run) running = NULL;
  g_autoptr(Run) unknown = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *object;

  add_web ();
  jobs = run ("jobs", "web", "--json");
  assert_ok (jobs);
  g_assert_null (strstr (jobs->out, FAKE_TOKEN));
  g_assert_null (strstr (jobs->err, FAKE_TOKEN));
  root = parse_json (jobs->out);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "runner"), ==, "web");
  g_assert_true (json_object_get_null_member (object, "error"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object,
                                                                              "rate_limit"),
                                               "limit"), ==, 5000);
  array = json_object_get_array_member (object, "jobs");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "in_progress");
  g_assert_cmpstr (json_object_get_string_member (object, "placement"), ==, "running-here");
  g_assert_cmpstr (json_object_get_string_member (object, "pod"), ==, "web-x7k2p-runner-abcde");
  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "placement"), ==, "other");
  object = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "placement"), ==, "ran-here");
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_object_get_array_member (object,
                                                                                  "steps"), 0),
                     "duration_s"), ==, 9);

  {
    g_autoptr(Run) status = run ("status", "--json");
    g_autoptr(JsonNode) document = NULL;
    JsonObject *web;

    assert_ok (status);
    document = parse_json (status->out);
    web = json_array_get_object_element (
            json_object_get_array_member (json_node_get_object (document), "runners"), 0);
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_object_get_object_member (web, "jobs"),
                                                      "jobs")), ==, 3);
  }

  text = run ("jobs", "web");
  assert_ok (text);
  assert_contains (text->out, "Running here on web-x7k2p-runner-abcde");
  assert_contains (text->out, "For other runners:");

  logs = run ("job-logs", "web", "101");
  assert_ok (logs);
  g_assert_cmpstr (logs->out, ==, "2026-12-04T10:00:01.0000000Z make: ok\n");

  running = run ("job-logs", "web", "201");
  g_assert_cmpint (running->status, ==, 1);
  assert_contains (running->err, "deskrunctl logs web --runner web-x7k2p-runner-abcde");

  {
    g_autoptr(Run) check = run ("credential", "check", "web");

    /* The classic token has repo and workflow: what a repository runner needs. */
    assert_ok (check);
    assert_contains (check->out, "classic personal access token\nok       Register runners");
    g_assert_null (strstr (check->out, FAKE_TOKEN));
    g_assert_null (strstr (check->err, FAKE_TOKEN));
  }

  unknown = run ("job-logs", "web", "12x");
  g_assert_cmpint (unknown->status, ==, 2);
  github_teardown (fake);
}

static void
test_github_dispatch (void)
{
  DrFakeGithub *fake = github_setup ();
  g_autoptr(Run) workflows = NULL;
  g_autoptr(Run) missing = NULL;
  g_autoptr(Run) bad = NULL;
  g_autoptr(Run) failed = NULL;
  g_autoptr(Run) succeeded = NULL;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *sent;

  add_web ();
  workflows = run ("workflows", "web");
  assert_ok (workflows);
  assert_contains (workflows->out, "octo/hello, default branch main");
  assert_contains (workflows->out, "Release  (.github/workflows/release.yml)");
  assert_contains (workflows->out, "--input version=…  string, required — Version to release");
  assert_contains (workflows->out, "--input dry-run=…  boolean, default true");
  assert_contains (workflows->out, "job build: runs-on web — here");
  assert_contains (workflows->out, "job lint: runs-on ubuntu-latest — elsewhere");

  /* A required input left out, or a boolean that is not one: usage errors, nothing sent. */
  missing = run ("dispatch", "web", "release.yml");
  g_assert_cmpint (missing->status, ==, 2);
  assert_contains (missing->err, "The input “version” is required");
  bad = run ("dispatch", "web", "release.yml", "--input", "version=1", "--input", "dry-run=yes");
  g_assert_cmpint (bad->status, ==, 2);
  g_assert_cmpuint (dr_fake_github_count (fake, "POST", "/repos/octo/hello/actions/workflows/"),
                    ==, 0);

  /* Dispatched and followed to its end: a failure exits 1. */
  dr_fake_github_set_dispatch_mode (fake, DR_FAKE_GITHUB_DISPATCH_RUN_DETAILS, 555);
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\": 1, \"workflow_runs\": [{\"id\": 555, \"run_number\": 3,"
                           " \"name\": \"Release\", \"status\": \"completed\", \"conclusion\": \"failure\","
                           " \"event\": \"workflow_dispatch\", \"head_branch\": \"next\","
                           " \"html_url\": \"https://github.com/octo/hello/actions/runs/555\"}]}");
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs/555/jobs", 200,
                           "{\"total_count\": 1, \"jobs\": [{\"id\": 5551, \"run_id\": 555,"
                           " \"name\": \"build\", \"workflow_name\": \"Release\", \"status\": \"completed\","
                           " \"conclusion\": \"failure\", \"labels\": [\"web\"],"
                           " \"runner_name\": \"web-abcde-runner-fghij\"}]}");
  failed = run ("dispatch", "web", "release.yml", "--ref", "next", "--input", "version=1.0",
                "--follow");
  g_assert_cmpint (failed->status, ==, 1);
  assert_contains (failed->out, "https://github.com/octo/hello/actions/runs/555");
  assert_contains (failed->out, "Failed on web-abcde-runner-fghij");
  assert_contains (failed->out, "Run: Failed");
  assert_contains (failed->err, "The run ended: failure");
  body = dr_fake_github_last_body (fake, "POST", "/repos/octo/hello/actions/workflows/");
  sent = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (sent, "ref"), ==, "next");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sent, "inputs"),
                                                  "version"), ==, "1.0");

  /* The same run succeeding exits 0. */
  dr_fake_github_set_json (fake, "GET", "/repos/octo/hello/actions/runs", 200,
                           "{\"total_count\": 1, \"workflow_runs\": [{\"id\": 555, \"run_number\": 3,"
                           " \"name\": \"Release\", \"status\": \"completed\", \"conclusion\": \"success\","
                           " \"event\": \"workflow_dispatch\", \"head_branch\": \"main\"}]}");
  succeeded = run ("dispatch", "web", "Release", "--input", "version=1.1", "--follow");
  assert_ok (succeeded);
  assert_contains (succeeded->out, "Run: Succeeded");
  github_teardown (fake);
}

int
main (int   argc,
      char *argv[])
{
  DrTestKeyring *keyring;
  int status;

  dr_test_init (&argc, &argv);
  /* Before anything talks to D-Bus: the children inherit this session's address. */
  keyring = dr_test_keyring_start ();

  g_test_add_func ("/deskrun/deskrunctl/usage", test_usage);
  g_test_add_func ("/deskrun/deskrunctl/add-invalid", test_add_invalid);
  g_test_add_func ("/deskrun/deskrunctl/secret-on-command-line", test_secret_on_command_line);
  g_test_add_func ("/deskrun/deskrunctl/add-list-status", test_add_list_status);
  g_test_add_func ("/deskrun/deskrunctl/failures", test_failures);
  g_test_add_func ("/deskrun/deskrunctl/config-problem", test_config_problem);
  g_test_add_func ("/deskrun/deskrunctl/no-keyring", test_no_keyring);
  g_test_add_func ("/deskrun/deskrunctl/render", test_render);
  g_test_add_func ("/deskrun/deskrunctl/remove", test_remove);
  g_test_add_func ("/deskrun/deskrunctl/doctor", test_doctor);
  g_test_add_func ("/deskrun/deskrunctl/stray-credentials", test_stray_credentials);
  g_test_add_func ("/deskrun/deskrunctl/cluster-verbs", test_cluster_verbs);
  g_test_add_func ("/deskrun/deskrunctl/cluster-unreachable", test_cluster_unreachable);
  g_test_add_func ("/deskrun/deskrunctl/live", test_live);
  g_test_add_func ("/deskrun/deskrunctl/signal-ends", test_signal_ends);
  g_test_add_func ("/deskrun/deskrunctl/cluster-commands", test_cluster_commands);
  g_test_add_func ("/deskrun/deskrunctl/up-with-controller", test_up_with_controller);
  g_test_add_func ("/deskrun/deskrunctl/bad-registry", test_bad_registry);
  g_test_add_func ("/deskrun/deskrunctl/github-jobs", test_github_jobs);
  g_test_add_func ("/deskrun/deskrunctl/github-dispatch", test_github_dispatch);

  /* No real docker or kind, ever: children get an empty PATH unless a test installs fakes. */
  original_path = g_strdup (g_getenv ("PATH"));
  empty_path = g_dir_make_tmp ("deskrunctl-empty-path-XXXXXX", NULL);
  g_assert_nonnull (empty_path);
  status = g_test_run ();
  g_rmdir (empty_path);
  dr_test_keyring_stop (keyring);
  return status;
}
