/* test-routing.c — the routing doctor: which scale set each job lands on, and why
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-routing.h"
#include "dr-runner-spec.h"
#include "dr-test-utils.h"

static DrRunnerSpec *
spec_new (const char *name,
          guint       instances,
          const char *group,
          const char *labels)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();
  g_auto(GStrv) split = labels != NULL ? g_strsplit (labels, ",", -1) : NULL;

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/app");
  spec->instances = instances;
  spec->runner_group = g_strdup (group);
  for (guint i = 0; split != NULL && split[i] != NULL; i++)
    g_ptr_array_add (spec->labels, g_strdup (split[i]));
  return spec;
}

/* The runners of these tests: a plain one, one created with labels, one with 3 instances,
 * one in an organisation's runner group. */
static GPtrArray *
test_scale_sets (void)
{
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dr_runner_spec_unref);

  g_ptr_array_add (specs, spec_new ("arc-local", 1, NULL, NULL));
  g_ptr_array_add (specs, spec_new ("gpu-box", 1, "", "self-hosted,linux,gpu"));
  g_ptr_array_add (specs, spec_new ("build", 3, NULL, NULL));
  g_ptr_array_add (specs, spec_new ("org-ci", 1, "ci-runners", NULL));
  return dr_routing_scale_sets_from_specs (specs);
}

static void
test_scale_sets_from_specs (void)
{
  g_autoptr(GPtrArray) sets = test_scale_sets ();
  static const struct {
    const char *name, *runner, *group, *labels; guint instance, instances;
  } expected[] = {
    { "arc-local", "arc-local", "Default", "", 0, 1 },
    { "gpu-box", "gpu-box", "Default", "self-hosted,linux,gpu", 0, 1 },
    { "build-1", "build", "Default", "", 1, 3 },
    { "build-2", "build", "Default", "", 2, 3 },
    { "build-3", "build", "Default", "", 3, 3 },
    { "org-ci", "org-ci", "ci-runners", "", 0, 1 },
  };

  g_assert_cmpuint (sets->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < sets->len; i++)
    {
      DrScaleSet *ss = g_ptr_array_index (sets, i);
      g_autofree char *labels = g_strjoinv (",", ss->labels);

      g_assert_cmpstr (ss->name, ==, expected[i].name);
      g_assert_cmpstr (ss->runner, ==, expected[i].runner);
      g_assert_cmpstr (ss->runner_group, ==, expected[i].group);
      g_assert_cmpstr (labels, ==, expected[i].labels);
      g_assert_cmpuint (ss->instance, ==, expected[i].instance);
      g_assert_cmpuint (ss->instances, ==, expected[i].instances);
    }
}

static void
test_hosted_labels (void)
{
  static const char *hosted[] = { "ubuntu-latest", "ubuntu-24.04", "Ubuntu-22.04-arm",
                                  "windows-latest", "windows-2022", "macos-14", "macos-latest",
                                  "macos-15-xlarge" };
  static const char *not_hosted[] = { "self-hosted", "ubuntu", "linux", "arc-local", "macos",
                                      "my-ubuntu-latest" };

  for (guint i = 0; i < G_N_ELEMENTS (hosted); i++)
    g_assert_true (dr_label_is_github_hosted (hosted[i]));
  for (guint i = 0; i < G_N_ELEMENTS (not_hosted); i++)
    g_assert_false (dr_label_is_github_hosted (not_hosted[i]));
}

typedef struct
{
  const char *runs_on;       /* the job's runs-on: line, as a user writes it */
  const char *verdict;
  const char *scale_sets;    /* comma-joined */
  const char *reason;        /* a substring of the reason */
  const char *fix;           /* the exact fix, or NULL */
} RouteCase;

static GPtrArray *
check_text (const char *yaml,
            GPtrArray  *sets)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrWorkflow) wf = dr_workflow_parse ("ci.yml", yaml, -1, &error);

  g_assert_no_error (error);
  return dr_routing_check_workflow (wf, sets, NULL, NULL);
}

static void
assert_route (const DrRoute *route,
              const char    *what,
              const char    *verdict,
              const char    *scale_sets,
              const char    *reason,
              const char    *fix)
{
  g_autofree char *names = g_strjoinv (",", route->scale_sets);

  if (g_strcmp0 (dr_route_verdict_to_string (route->verdict), verdict) != 0 ||
      g_strcmp0 (names, scale_sets) != 0 ||
      strstr (route->reason, reason) == NULL ||
      (fix == NULL) != (route->fix == NULL) ||
      (fix != NULL && (strcmp (fix, "*") != 0 && !g_str_has_prefix (route->fix, fix))))
    g_error ("%s: got %s [%s] “%s” fix “%s”; expected %s [%s] “…%s…” fix “%s”", what,
             dr_route_verdict_to_string (route->verdict), names, route->reason,
             route->fix ? route->fix : "(none)", verdict, scale_sets, reason,
             fix ? fix : "(none)");
}

/* Every runs-on form against the runners above, and every verdict. */
static void
test_verdicts (void)
{
  static const RouteCase cases[] = {
    /* routes by name, any case */
    { "runs-on: arc-local", "routes", "arc-local", "the local scale set “arc-local”: runs-on "
      "names it", NULL },
    { "runs-on: ARC-Local", "routes", "arc-local", "names it", NULL },
    { "runs-on: [arc-local]", "routes", "arc-local", "names it", NULL },
    { "runs-on:\n      labels: arc-local", "routes", "arc-local", "names it", NULL },
    /* routes by the labels a scale set was created with */
    { "runs-on: [self-hosted, linux, gpu]", "routes", "gpu-box", "whose labels include "
      "“self-hosted”, “linux” and “gpu”. Labels are fixed when a scale set is created", NULL },
    { "runs-on: [self-hosted, GPU]", "routes", "gpu-box", "best-effort", NULL },
    { "runs-on: [gpu-box, gpu]", "routes", "gpu-box", "best-effort", NULL },
    /* instances */
    { "runs-on: build-2", "routes", "build-2", "“build-2”, instance 2 of runner “build”", NULL },
    { "runs-on: build", "never", "", "“build” is a runner with 3 instances, registered as the "
      "scale sets build-1…build-3; none of them answers to “build” itself",
      "runs-on: build-1 (one instance), or re-create the runner with that label so any "
      "instance takes it (deskrunctl add build --repository URL --label build)" },
    /* groups */
    { "runs-on:\n      group: ci-runners", "routes", "org-ci", "runner group “ci-runners” only, "
      "so it runs on the local scale set “org-ci”", NULL },
    { "runs-on: {group: CI-Runners, labels: org-ci}", "routes", "org-ci", "names it", NULL },
    { "runs-on: {group: Default}", "routes", "arc-local,gpu-box,build-1,build-2,build-3",
      "any of the scale sets “arc-local”, “gpu-box”, “build-1”, “build-2” and “build-3”",
      NULL },
    { "runs-on: {group: ci-runners, labels: arc-local}", "never", "", "The scale set "
      "“arc-local” answers to “arc-local”, but it is in runner group “Default”, not "
      "“ci-runners”", "runs-on: arc-local" },
    { "runs-on: {group: gpus}", "never", "", "none of your scale sets is in it",
      "runs-on: arc-local (or another of your scale sets: “gpu-box”, “build-1”, “build-2”, "
      "“build-3” and “org-ci”)" },
    /* unsure: a scale set's name plus labels it was not created with */
    { "runs-on: [self-hosted, arc-local]", "unsure", "arc-local", "“arc-local” is a local "
      "scale set, but it was not created with “self-hosted”", "runs-on: arc-local" },
    { "runs-on: [self-hosted, linux, org-ci]", "unsure", "org-ci", "not created with "
      "“self-hosted” and “linux”", "runs-on: org-ci" },
    { "runs-on: [ubuntu-latest, arc-local]", "unsure", "arc-local", "not created with "
      "“ubuntu-latest”", "runs-on: arc-local" },
    /* never */
    { "runs-on: [self-hosted, windows]", "never", "", "No scale set answers to “self-hosted” "
      "and “windows”: a scale set is registered under its name and the labels it was created "
      "with, and nothing adds “self-hosted”", "runs-on: arc-local (or another of your scale "
      "sets: “gpu-box”, “build-1”, “build-2”, “build-3” and “org-ci”) — or create a scale set "
      "with those labels (deskrunctl add NAME --repository URL --label self-hosted --label "
      "windows; ARC 0.14 and later" },
    { "runs-on: big-iron", "never", "", "No scale set here or on GitHub's side answers to "
      "“big-iron”", "runs-on: arc-local (or another" },
    /* hosted */
    { "runs-on: ubuntu-latest", "hosted", "", "“ubuntu-latest” is a GitHub-hosted runner",
      NULL },
    { "runs-on: [macos-14]", "hosted", "", "GitHub runs this job on its own machines", NULL },
    { "runs-on: windows-2022", "hosted", "", "GitHub-hosted", NULL },
    /* runtime */
    { "runs-on: ${{ needs.plan.outputs.runner }}", "runtime", "", "runs-on is ${{ "
      "needs.plan.outputs.runner }}, decided when the run starts", NULL },
    { "runs-on: ${{ inputs.where }}", "runtime", "", "decided when the run starts", NULL },
    /* evaluated with a default, and said so */
    { "runs-on: ${{ inputs.pool }}", "routes", "gpu-box", "With inputs.pool = gpu-box (its "
      "default; a person dispatching the workflow may choose another): It runs on the local "
      "scale set “gpu-box”", NULL },
    /* invalid */
    { "runs-on: []", "invalid", "", "GitHub rejects this job: runs-on: must list labels",
      "runs-on: arc-local" },
    { "runs-on: {labels: x, size: big}", "invalid", "", "runs-on: takes group: and labels:, "
      "not “size:”", "*" },
    { "runs-on:", "invalid", "", "ci.yml:11:5: runs-on: of job “j” is empty", "*" },
    { "steps: [{run: make}]", "invalid", "", "ci.yml:10:3: Job “j” has neither runs-on: nor "
      "uses:", "Add “runs-on: arc-local” to job “j”" },
    /* called */
    { "uses: octo/shared/.github/workflows/build.yml@v2", "called", "", "It calls the reusable "
      "workflow octo/shared/.github/workflows/build.yml@v2, whose jobs choose their own "
      "runners", NULL },
  };
  g_autoptr(GPtrArray) sets = test_scale_sets ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *yaml = g_strdup_printf (
        "on:\n  workflow_dispatch:\n    inputs:\n      pool:\n        default: gpu-box\n"
        "      where:\n        type: string\n        required: true\n"
        "jobs:\n  j:\n    %s\n", cases[i].runs_on);
      g_autoptr(GPtrArray) routes = check_text (yaml, sets);
      const DrRoute *route;

      g_assert_cmpuint (routes->len, ==, 1);
      route = g_ptr_array_index (routes, 0);
      g_assert_cmpstr (route->job, ==, "j");
      g_assert_cmpstr (route->file, ==, "ci.yml");
      assert_route (route, cases[i].runs_on, cases[i].verdict, cases[i].scale_sets,
                    cases[i].reason, cases[i].fix);
    }
}

/* With no runner configured, the fix says which runner to add. */
static void
test_no_runners (void)
{
  static const RouteCase cases[] = {
    { "runs-on: arc-local", "never", "", "No runner is configured here",
      "Add a runner named “arc-local” (deskrunctl add arc-local --repository URL)" },
    { "runs-on: [self-hosted, linux]", "never", "", "nothing on this computer answers to "
      "“self-hosted” and “linux”", "Add a runner and write runs-on: NAME, or create it with "
      "these labels (deskrunctl add NAME --repository URL --label self-hosted --label linux;" },
    { "runs-on: {group: ci}", "never", "", "no runner is configured here",
      "Add a runner in that group (deskrunctl add NAME --repository URL --runner-group ci)" },
    { "runs-on: ubuntu-latest", "hosted", "", "GitHub-hosted", NULL },
    { "runs-on: []", "invalid", "", "must list labels", NULL },
  };
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *yaml = g_strdup_printf ("on: push\njobs:\n  j:\n    %s\n",
                                               cases[i].runs_on);
      g_autoptr(GPtrArray) routes = check_text (yaml, none);

      g_assert_cmpuint (routes->len, ==, 1);
      assert_route (g_ptr_array_index (routes, 0), cases[i].runs_on, cases[i].verdict,
                    cases[i].scale_sets, cases[i].reason, cases[i].fix);
    }
}

/* A matrix gives one route per distinct runs-on value, each saying which value it is. */
static void
test_matrix_routes (void)
{
  static const char yaml[] =
    "on: push\n"
    "jobs:\n"
    "  test:\n"
    "    strategy:\n"
    "      matrix:\n"
    "        os: [ubuntu-latest, arc-local]\n"
    "        python: ['3.11', '3.12']\n"
    "        include:\n"
    "          - os: [self-hosted, gpu]\n"
    "            python: '3.12'\n"
    "    runs-on: ${{ matrix.os }}\n";
  g_autoptr(GPtrArray) sets = test_scale_sets ();
  g_autoptr(GPtrArray) routes = check_text (yaml, sets);

  g_assert_cmpuint (routes->len, ==, 3);
  assert_route (g_ptr_array_index (routes, 0), "ubuntu", "hosted", "",
                "With matrix.os = ubuntu-latest: “ubuntu-latest” is a GitHub-hosted", NULL);
  assert_route (g_ptr_array_index (routes, 1), "arc-local", "routes", "arc-local",
                "With matrix.os = arc-local: It runs on the local scale set", NULL);
  assert_route (g_ptr_array_index (routes, 2), "gpu", "routes", "gpu-box",
                "With matrix.os = [\"self-hosted\",\"gpu\"]: It runs on", NULL);
  for (guint i = 0; i < routes->len; i++)
    {
      const DrRoute *route = g_ptr_array_index (routes, i);
      g_autofree char *written = json_to_string (route->runs_on, FALSE);

      g_assert_cmpstr (route->job, ==, "test");
      g_assert_cmpstr (written, ==, "\"${{ matrix.os }}\"");
      g_assert_cmpuint (route->line, ==, 11);
      g_assert_cmpuint (route->column, ==, 5);
    }
}

/* Local reusable workflows are followed through the caller's reader; core reads no file. */
static char *
read_from_table (const char  *path,
                 gpointer     user_data,
                 GError     **error)
{
  GHashTable *files = user_data;
  const char *text = g_hash_table_lookup (files, path);

  if (text == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: No such file", path);
      return NULL;
    }
  return g_strdup (text);
}

static void
test_reusable_workflows (void)
{
  static const char caller[] =
    "on: push\n"
    "jobs:\n"
    "  build:\n"
    "    uses: ./.github/workflows/build.yml\n"
    "    with:\n"
    "      runner: gpu-box\n"
    "  build-default:\n"
    "    uses: ./.github/workflows/build.yml\n"
    "  missing:\n"
    "    uses: ./.github/workflows/gone.yml\n"
    "  not-reusable:\n"
    "    uses: ./.github/workflows/plain.yml\n"
    "  broken:\n"
    "    uses: ./.github/workflows/broken.yml\n"
    "  loop:\n"
    "    uses: ./.github/workflows/loop.yml\n"
    "  remote:\n"
    "    uses: octo/templates/.github/workflows/ci.yml@main\n";
  g_autoptr(GHashTable) files = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) sets = test_scale_sets ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrWorkflow) wf = dr_workflow_parse ("ci.yml", caller, -1, &error);
  g_autoptr(GPtrArray) routes = NULL;
  static const struct { const char *job, *verdict, *sets, *reason; } expected[] = {
    { "build / compile", "routes", "gpu-box", "In ./.github/workflows/build.yml, called by job "
      "“build”: With inputs.runner = gpu-box (passed by the calling job): It runs on" },
    { "build / lint", "hosted", "", "called by job “build”: “ubuntu-latest” is a GitHub-hosted" },
    { "build-default / compile", "routes", "arc-local", "With inputs.runner = arc-local (its "
      "default): It runs on the local scale set “arc-local”" },
    { "build-default / lint", "hosted", "", "GitHub-hosted" },
    { "missing", "called", "", "deskrun could not read it: ./.github/workflows/gone.yml: No "
      "such file" },
    { "not-reusable", "invalid", "", "which is not a reusable workflow: its on: has no "
      "workflow_call" },
    { "broken", "invalid", "", "It calls ./.github/workflows/broken.yml, which GitHub rejects: "
      "./.github/workflows/broken.yml:4:1: Not valid YAML: did not find expected node content "
      "while parsing a flow node" },
    { "loop / again / again / again / again / again / again / again / again / again",
      "invalid", "", "more than 10 levels of workflows" },
    { "remote", "called", "", "octo/templates/.github/workflows/ci.yml@main" },
  };

  g_hash_table_insert (files, "./.github/workflows/build.yml",
                       "on:\n  workflow_call:\n    inputs:\n      runner:\n        type: string\n"
                       "        default: arc-local\n"
                       "jobs:\n  compile:\n    runs-on: ${{ inputs.runner }}\n"
                       "  lint:\n    runs-on: ubuntu-latest\n");
  g_hash_table_insert (files, "./.github/workflows/plain.yml",
                       "on: push\njobs:\n  a:\n    runs-on: arc-local\n");
  g_hash_table_insert (files, "./.github/workflows/broken.yml",
                       "on: workflow_call\njobs:\n  a: [\n");
  g_hash_table_insert (files, "./.github/workflows/loop.yml",
                       "on: workflow_call\njobs:\n  again:\n    uses: ./.github/workflows/loop.yml\n");

  g_assert_no_error (error);
  routes = dr_routing_check_workflow (wf, sets, read_from_table, files);
  g_assert_cmpuint (routes->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < routes->len; i++)
    {
      const DrRoute *route = g_ptr_array_index (routes, i);

      g_assert_cmpstr (route->job, ==, expected[i].job);
      assert_route (route, expected[i].job, expected[i].verdict, expected[i].sets,
                    expected[i].reason, route->fix != NULL ? "*" : NULL);
    }

  /* Without a reader, a local call is reported, not guessed. */
  {
    g_autoptr(GPtrArray) unread = dr_routing_check_workflow (wf, sets, NULL, NULL);

    assert_route (g_ptr_array_index (unread, 0), "build", "called", "",
                  "It calls the reusable workflow ./.github/workflows/build.yml, whose jobs "
                  "choose their own runners, and deskrun could not read it.", NULL);
  }
}

/* The versioned report, exactly the shape the README documents. */
static void
test_report_json (void)
{
  static const char yaml[] =
    "on: push\njobs:\n  a:\n    runs-on: [self-hosted, arc-local]\n"
    "  b:\n    uses: o/r/.github/workflows/w.yml@v1\n";
  g_autoptr(GPtrArray) sets = test_scale_sets ();
  g_autoptr(GPtrArray) routes = check_text (yaml, sets);
  g_autoptr(JsonNode) report = dr_routing_report_to_json ("ci.yml", NULL, routes);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) failed = NULL;
  g_autofree char *text = json_to_string (report, FALSE);
  g_autofree char *failed_text = NULL;
  g_autofree char *expected = NULL;
  JsonArray *jobs;
  JsonObject *a;

  jobs = json_object_get_array_member (json_node_get_object (report), "jobs");
  g_assert_cmpuint (json_array_get_length (jobs), ==, 2);
  a = json_array_get_object_element (jobs, 0);
  expected = g_strdup_printf ("{\"version\":1,\"file\":\"ci.yml\",\"error\":null,\"jobs\":["
                              "{\"job\":\"a\",\"runs_on\":[\"self-hosted\",\"arc-local\"],"
                              "\"verdict\":\"unsure\",\"scale_sets\":[\"arc-local\"],"
                              "\"reason\":\"%s\",\"fix\":\"runs-on: arc-local\"},"
                              "{\"job\":\"b\",\"runs_on\":null,\"verdict\":\"called\","
                              "\"scale_sets\":[],\"reason\":\"%s\",\"fix\":null}]}",
                              json_object_get_string_member (a, "reason"),
                              json_object_get_string_member (json_array_get_object_element
                                                               (jobs, 1), "reason"));
  g_assert_cmpstr (text, ==, expected);

  g_set_error_literal (&error, DR_ERROR, DR_ERROR_INVALID, "bad.yml:2:3: Not valid YAML: x");
  failed = dr_routing_report_to_json ("bad.yml", error, NULL);
  failed_text = json_to_string (failed, FALSE);
  g_assert_cmpstr (failed_text, ==, "{\"version\":1,\"file\":\"bad.yml\",\"error\":\"bad.yml:"
                                    "2:3: Not valid YAML: x\",\"jobs\":[]}");
}

/* The Add form's offer: what the repository's workflows ask for that no runner answers. */
static void
test_suggest_labels (void)
{
  static const char ci[] =
    "on: push\n"
    "jobs:\n"
    "  unit:\n    runs-on: [self-hosted, linux]\n"
    "  integration:\n    runs-on: [Self-Hosted, Linux]\n"
    "  x64:\n    runs-on: [self-hosted, linux, x64]\n"
    "  build:\n    runs-on: builder\n"
    "  lint:\n    runs-on: ubuntu-latest\n"
    "  local:\n    runs-on: arc-local\n"
    "  mine:\n    runs-on: ci-box\n"
    "  legacy:\n    runs-on: [self-hosted, ci-box]\n";
  static const char release[] =
    "on: workflow_dispatch\n"
    "jobs:\n"
    "  package:\n    strategy:\n      matrix:\n        box: [builder, packer]\n"
    "    runs-on: ${{ matrix.box }}\n"
    "  linux:\n    runs-on: [linux, self-hosted]\n"
    "  later:\n    runs-on: ${{ vars.RUNNER }}\n";
  g_autoptr(GPtrArray) workflows = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   dr_workflow_unref);
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dr_runner_spec_unref);
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(DrLabelSuggestion) s = NULL;
  g_autoptr(DrLabelSuggestion) unnamed = NULL;
  g_autoptr(GString) offers = g_string_new (NULL);
  g_autofree char *by_name = NULL;
  g_autofree char *names = NULL;
  g_autofree char *unnamed_names = NULL;

  g_ptr_array_add (workflows, dr_workflow_parse (".github/workflows/ci.yml", ci, -1, NULL));
  g_ptr_array_add (workflows, dr_workflow_parse (".github/workflows/release.yml", release, -1,
                                                 NULL));
  g_assert_nonnull (g_ptr_array_index (workflows, 0));
  g_assert_nonnull (g_ptr_array_index (workflows, 1));
  g_ptr_array_add (specs, spec_new ("arc-local", 1, NULL, NULL));
  sets = dr_routing_scale_sets_from_specs (specs);

  s = dr_routing_suggest_labels (workflows, sets, "ci-box");
  for (guint i = 0; i < s->offers->len; i++)
    {
      DrLabelOffer *offer = g_ptr_array_index (s->offers, i);
      g_autofree char *labels = g_strjoinv (",", offer->labels);
      g_autofree char *jobs = NULL;

      g_ptr_array_add (offer->jobs, NULL);
      jobs = g_strjoinv (" + ", (GStrv) offer->jobs->pdata);
      g_ptr_array_remove_index (offer->jobs, offer->jobs->len - 1);
      g_string_append_printf (offers, "[%s] %s\n", labels, jobs);
    }
  g_assert_cmpstr (offers->str, ==,
                   "[self-hosted,linux] .github/workflows/ci.yml: unit + "
                   ".github/workflows/ci.yml: integration + .github/workflows/release.yml: "
                   "linux\n"
                   "[self-hosted,linux,x64] .github/workflows/ci.yml: x64\n"
                   "[self-hosted] .github/workflows/ci.yml: legacy\n");
  g_ptr_array_add (s->by_name, NULL);
  by_name = g_strjoinv (",", (GStrv) s->by_name->pdata);
  g_assert_cmpstr (by_name, ==, ".github/workflows/ci.yml: mine");
  g_ptr_array_add (s->names, NULL);
  names = g_strjoinv (",", (GStrv) s->names->pdata);
  g_assert_cmpstr (names, ==, "builder,packer");

  /* Before a name is typed, the name a job asks for is a name to offer. */
  unnamed = dr_routing_suggest_labels (workflows, sets, NULL);
  g_assert_cmpuint (unnamed->by_name->len, ==, 0);
  g_ptr_array_add (unnamed->names, NULL);
  unnamed_names = g_strjoinv (",", (GStrv) unnamed->names->pdata);
  g_assert_cmpstr (unnamed_names, ==, "builder,ci-box,packer");
  g_assert_cmpstr (((DrLabelOffer *) g_ptr_array_index (unnamed->offers, 2))->labels[1], ==,
                   "ci-box");
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/routing/scale-sets-from-specs", test_scale_sets_from_specs);
  g_test_add_func ("/routing/hosted-labels", test_hosted_labels);
  g_test_add_func ("/routing/verdicts", test_verdicts);
  g_test_add_func ("/routing/no-runners", test_no_runners);
  g_test_add_func ("/routing/matrix", test_matrix_routes);
  g_test_add_func ("/routing/reusable-workflows", test_reusable_workflows);
  g_test_add_func ("/routing/report-json", test_report_json);
  g_test_add_func ("/routing/suggest-labels", test_suggest_labels);

  return g_test_run ();
}
