/* test-doctor-workflow.c — `deskrunctl doctor --workflow FILE [--json]`, run as a user would
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built deskrunctl reads hand-written workflow files (tests/data/workflows, laid out as
 * repositories, so local reusable workflows are found) against a config with three runners,
 * with no network and no cluster, and must give the verdict a person would for every job.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "dr-test-utils.h"

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

/* The runners of a user with a repository runner, an organisation runner in a runner group
 * created with two labels, and a runner with two instances. */
static const char config_json[] =
  "{\"version\": 1, \"runners\": [\n"
  "  {\"name\": \"arc-local\", \"repository\": \"https://github.com/octo/webapp\"},\n"
  "  {\"name\": \"gpu-box\", \"repository\": \"https://github.com/octo\",\n"
  "   \"runner_group\": \"gpu-runners\", \"labels\": [\"gpu\", \"cuda\"]},\n"
  "  {\"name\": \"build\", \"repository\": \"https://github.com/octo/monorepo\",\n"
  "   \"instances\": 2, \"min_runners\": 1, \"max_runners\": 1}\n"
  "]}\n";

static void
write_config (const char *text)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "deskrun", "config.json",
                                            NULL);

  dr_test_write_file (path, text, 0600);
}

static Run *
run_args (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("DESKRUNCTL");
  Run *run = g_new0 (Run, 1);

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* The child gets this test case's isolated directories (they are in-process only), no
   * docker or kind on PATH, and English. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "PATH", "/nonexistent", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  /* Anything that tried the network would go here, and fail. */
  g_subprocess_launcher_setenv (launcher, "DESKRUN_GITHUB_API_URL", "http://127.0.0.1:9", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("deskrunctl exited %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out,
                  run->err);
  return run;
}

#define run(...) run_args ((const char *[]) { __VA_ARGS__, NULL })

static char *
data_file (const char *repository,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "workflows", repository, ".github",
                                "workflows", name, NULL);
}

static JsonObject *
parse_report (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonObject *report;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (report, "version"), ==, 1);
  return report;
}

typedef struct
{
  const char *job;
  const char *verdict;
  const char *scale_sets;  /* comma-joined */
  const char *reason;      /* a substring */
} Expected;

static void
check_file (const char     *repository,
            const char     *name,
            int             status,
            const Expected *expected,
            guint           n_expected)
{
  g_autofree char *file = data_file (repository, name);
  g_autoptr(Run) r = run ("doctor", "--workflow", file, "--json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *report;
  JsonArray *jobs;

  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->err, ==, "");
  report = parse_report (r->out, parser);
  g_assert_cmpstr (json_object_get_string_member (report, "file"), ==, file);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (report, "error")));
  jobs = json_object_get_array_member (report, "jobs");
  if (json_array_get_length (jobs) != n_expected)
    g_error ("%s: %u jobs reported, expected %u", name, json_array_get_length (jobs),
             n_expected);

  for (guint i = 0; i < n_expected; i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);
      JsonArray *sets = json_object_get_array_member (job, "scale_sets");
      g_autoptr(GString) names = g_string_new (NULL);
      const char *reason = json_object_get_string_member (job, "reason");
      JsonNode *fix = json_object_get_member (job, "fix");
      const char *verdict = json_object_get_string_member (job, "verdict");

      for (guint s = 0; s < json_array_get_length (sets); s++)
        g_string_append_printf (names, "%s%s", s > 0 ? "," : "",
                                json_array_get_string_element (sets, s));
      if (g_strcmp0 (json_object_get_string_member (job, "job"), expected[i].job) != 0 ||
          g_strcmp0 (verdict, expected[i].verdict) != 0 ||
          g_strcmp0 (names->str, expected[i].scale_sets) != 0 ||
          strstr (reason, expected[i].reason) == NULL)
        g_error ("%s job %u: got %s %s [%s] “%s”; expected %s %s [%s] “…%s…”", name, i,
                 json_object_get_string_member (job, "job"), verdict, names->str, reason,
                 expected[i].job, expected[i].verdict, expected[i].scale_sets,
                 expected[i].reason);
      g_assert_true (json_object_has_member (job, "runs_on"));
      g_assert_nonnull (fix);
      /* Only what cannot work as written needs a fix. */
      if (g_str_equal (verdict, "never") || g_str_equal (verdict, "invalid") ||
          g_str_equal (verdict, "unsure"))
        g_assert_true (JSON_NODE_HOLDS_VALUE (fix));
      else
        g_assert_true (JSON_NODE_HOLDS_NULL (fix));
    }
}

/* A web app: hosted lint, the classic [self-hosted, linux], the local build, a matrix with
 * exclude:, and two calls of a local reusable workflow (default and passed-in runner). */
static void
test_webapp (void)
{
  static const Expected expected[] = {
    { "lint", "hosted", "", "“ubuntu-latest” is a GitHub-hosted runner" },
    { "unit-tests", "never", "", "nothing adds “self-hosted”" },
    { "build", "routes", "arc-local", "runs-on names it" },
    { "e2e", "hosted", "", "With matrix.os = ubuntu-22.04:" },
    { "e2e", "routes", "arc-local", "With matrix.os = arc-local:" },
    { "deploy-staging / deploy", "routes", "arc-local", "inputs.runner = arc-local (its "
      "default)" },
    { "deploy-staging / smoke-test", "hosted", "", "called by job “deploy-staging”" },
    { "deploy-preview / deploy", "routes", "build-2", "inputs.runner = build-2 (passed by the "
      "calling job): It runs on “build-2”, instance 2 of runner “build”" },
    { "deploy-preview / smoke-test", "hosted", "", "GitHub-hosted" },
  };

  write_config (config_json);
  check_file ("webapp", "ci.yml", 1, expected, G_N_ELEMENTS (expected));
}

/* A release run by hand: a choice input's default, a run-time runner list, a runner group
 * with labels, a typo, and a reusable workflow of another repository. */
static void
test_release (void)
{
  static const Expected expected[] = {
    { "plan", "hosted", "", "GitHub-hosted" },
    { "build", "routes", "gpu-box", "With inputs.runner = gpu-box (its default; a person "
      "dispatching the workflow may choose another)" },
    { "package", "runtime", "", "${{ fromJSON(needs.plan.outputs.runners) }}, decided when "
      "the run starts" },
    { "model-tests", "routes", "gpu-box", "whose labels include “gpu”" },
    { "checksums", "invalid", "", "“run-on:” on line 61 looks like a misspelt runs-on:" },
    { "publish", "called", "", "octo/shared-workflows/.github/workflows/publish.yml@v3" },
  };

  write_config (config_json);
  check_file ("infra", "release.yml", 1, expected, G_N_ELEMENTS (expected));
}

/* A monorepo: matrix include: with a runner of its own, an anchor and its alias, a name
 * plus "self-hosted", a name plus a label it was created with, and Windows. */
static void
test_monorepo (void)
{
  static const Expected expected[] = {
    { "packages", "routes", "build-1", "With matrix.runner = Build-1:" },
    { "packages", "hosted", "", "With matrix.runner = ubuntu-24.04-arm:" },
    { "docs", "routes", "arc-local", "runs-on names it" },
    { "licenses", "routes", "arc-local", "runs-on names it" },
    { "legacy-integration", "unsure", "arc-local", "was not created with “self-hosted”" },
    { "gpu-bench", "routes", "gpu-box", "whose labels include “cuda”" },
    { "nightly-windows", "hosted", "", "“windows-latest” is a GitHub-hosted runner" },
  };

  write_config (config_json);
  check_file ("monorepo", "matrix.yml", 0, expected, G_N_ELEMENTS (expected));
}

/* What a person reads without --json: each job, its runs-on, the reason and the fix. */
static void
test_text (void)
{
  g_autofree char *file = data_file ("webapp", "ci.yml");
  g_autoptr(Run) r = NULL;

  write_config (config_json);
  r = run ("doctor", "--workflow", file);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->out, "— workflow “CI”\nChecked against runners arc-local, "
                                    "gpu-box, build.\n"));
  g_assert_nonnull (strstr (r->out, "\nnever     unit-tests  ("));
  g_assert_nonnull (strstr (r->out, "ci.yml:35)\n          runs-on: [self-hosted, linux]\n"));
  g_assert_nonnull (strstr (r->out, "          Fix: runs-on: arc-local (or another of your "
                                    "scale sets:"));
  g_assert_nonnull (strstr (r->out, "\nroutes    build  ("));
  g_assert_cmpstr (r->err, ==, "deskrunctl: 1 job can never run as written; see its fix "
                               "above.\n");
}

/* With no runner configured, every self-hosted job says which runner to add. */
static void
test_no_runners (void)
{
  g_autofree char *file = data_file ("monorepo", "matrix.yml");
  g_autoptr(Run) r = run ("doctor", "--workflow", file);

  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->out, "No runner is configured; every job is checked against "
                                    "none."));
  g_assert_nonnull (strstr (r->out, "Fix: Add a runner named “arc-local” (deskrunctl add "
                                    "arc-local --repository"));
}

/* Files that cannot be read or are not valid YAML: the error, with line and column. */
static void
test_bad_files (void)
{
  g_autofree char *broken = g_build_filename (g_get_user_data_dir (), "broken.yml", NULL);
  g_autofree char *missing = g_build_filename (g_get_user_data_dir (), "missing.yml", NULL);
  g_autofree char *expected_error = NULL;

  write_config (config_json);
  dr_test_write_file (broken, "on: push\njobs:\n  build:\n\truns-on: arc-local\n", 0644);

  {
    g_autoptr(Run) r = run ("doctor", "--workflow", broken, "--json");
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *report;

    g_assert_cmpint (r->status, ==, 1);
    report = parse_report (r->out, parser);
    expected_error = g_strdup_printf ("%s:4:1: Not valid YAML: found character that cannot "
                                      "start any token", broken);
    g_assert_true (g_str_has_prefix (json_object_get_string_member (report, "error"),
                                     expected_error));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "jobs")),
                      ==, 0);
  }
  {
    g_autoptr(Run) r = run ("doctor", "--workflow", broken);

    g_assert_cmpint (r->status, ==, 1);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_true (g_str_has_prefix (r->err, "deskrunctl: "));
    g_assert_nonnull (strstr (r->err, expected_error));
  }
  {
    g_autoptr(Run) r = run ("doctor", "--workflow", missing, "--json");
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *report;

    g_assert_cmpint (r->status, ==, 1);
    report = parse_report (r->out, parser);
    g_assert_nonnull (strstr (json_object_get_string_member (report, "error"),
                              "No such file or directory"));
  }
  {
    g_autoptr(Run) r = run ("doctor", "--json");

    g_assert_cmpint (r->status, ==, 2);
    g_assert_nonnull (strstr (r->err, "--json goes with --workflow FILE."));
  }
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/doctor-workflow/webapp", test_webapp);
  g_test_add_func ("/doctor-workflow/release", test_release);
  g_test_add_func ("/doctor-workflow/monorepo", test_monorepo);
  g_test_add_func ("/doctor-workflow/text", test_text);
  g_test_add_func ("/doctor-workflow/no-runners", test_no_runners);
  g_test_add_func ("/doctor-workflow/bad-files", test_bad_files);

  return g_test_run ();
}
