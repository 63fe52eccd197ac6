/* test-workflow.c — reading workflow files: name, triggers, dispatch inputs, jobs, errors
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-test-utils.h"
#include "dr-workflow.h"

static DrWorkflow *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  DrWorkflow *wf = dr_workflow_parse ("ci.yml", text, -1, &error);

  if (error != NULL)
    g_error ("parsing\n%s\nfailed: %s", text, error->message);
  g_assert_nonnull (wf);
  return wf;
}

static char *
triggers_joined (DrWorkflow *wf)
{
  return g_strjoinv (",", (GStrv) dr_workflow_get_triggers (wf));
}

/* on: in each form GitHub accepts, and the name. */
static void
test_triggers (void)
{
  static const struct { const char *yaml; const char *name; const char *triggers; } cases[] = {
    { "on: push\njobs: {a: {runs-on: x}}\n", NULL, "push" },
    { "name: CI\non: [push, pull_request]\njobs: {a: {runs-on: x}}\n", "CI",
      "push,pull_request" },
    { "name: 'Build & test'\n\"on\":\n  push:\n    branches: [main]\n  workflow_dispatch:\n"
      "jobs:\n  a:\n    runs-on: x\n", "Build & test", "push,workflow_dispatch" },
    { "on:\n  - workflow_dispatch\n  - schedule\njobs:\n  a:\n    runs-on: x\n", NULL,
      "workflow_dispatch,schedule" },
    { "on:\n  schedule:\n    - cron: '0 3 * * *'\n  workflow_call:\n    inputs:\n"
      "      os: {type: string, default: linux}\njobs:\n  a:\n    runs-on: x\n", NULL,
      "schedule,workflow_call" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrWorkflow) wf = parse_ok (cases[i].yaml);
      g_autofree char *triggers = triggers_joined (wf);

      g_assert_cmpstr (dr_workflow_get_name (wf), ==, cases[i].name);
      g_assert_cmpstr (triggers, ==, cases[i].triggers);
    }

  {
    g_autoptr(DrWorkflow) wf = parse_ok ("on: [push, workflow_dispatch]\njobs: {a: {uses: "
                                         "./.github/workflows/b.yml}}\n");

    g_assert_true (dr_workflow_has_trigger (wf, "workflow_dispatch"));
    g_assert_true (dr_workflow_has_trigger (wf, "push"));
    g_assert_false (dr_workflow_has_trigger (wf, "pull_request"));
    g_assert_cmpuint (dr_workflow_get_dispatch_inputs (wf)->len, ==, 0);
  }
}

static const char dispatch_yaml[] =
  "name: Release\n"
  "on:\n"
  "  workflow_dispatch:\n"
  "    inputs:\n"
  "      version:\n"
  "        description: Version to tag\n"
  "        required: true\n"
  "      dry-run:\n"
  "        type: boolean\n"
  "        default: true\n"
  "      channel:\n"
  "        type: choice\n"
  "        description: Where to publish\n"
  "        options: [stable, beta, nightly]\n"
  "        default: beta\n"
  "      retries:\n"
  "        type: number\n"
  "        default: 3\n"
  "      target:\n"
  "        type: environment\n"
  "        required: false\n"
  "  push:\n"
  "jobs:\n"
  "  release:\n"
  "    runs-on: ubuntu-latest\n"
  "    steps:\n"
  "      - run: echo ${{ inputs.version }}\n";

static void
test_dispatch_inputs (void)
{
  g_autoptr(DrWorkflow) wf = parse_ok (dispatch_yaml);
  GPtrArray *inputs = dr_workflow_get_dispatch_inputs (wf);
  static const struct {
    const char *name; DrWorkflowInputType type; const char *description; gboolean required;
    const char *def; const char *options; guint line;
  } expected[] = {
    { "version", DR_WORKFLOW_INPUT_STRING, "Version to tag", TRUE, NULL, NULL, 5 },
    { "dry-run", DR_WORKFLOW_INPUT_BOOLEAN, NULL, FALSE, "true", NULL, 8 },
    { "channel", DR_WORKFLOW_INPUT_CHOICE, "Where to publish", FALSE, "beta",
      "stable,beta,nightly", 11 },
    { "retries", DR_WORKFLOW_INPUT_NUMBER, NULL, FALSE, "3", NULL, 16 },
    { "target", DR_WORKFLOW_INPUT_ENVIRONMENT, NULL, FALSE, NULL, NULL, 19 },
  };

  g_assert_cmpstr (dr_workflow_get_name (wf), ==, "Release");
  g_assert_cmpuint (inputs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < inputs->len; i++)
    {
      DrWorkflowInput *input = g_ptr_array_index (inputs, i);
      g_autofree char *options = input->options != NULL ? g_strjoinv (",", input->options)
                                                        : NULL;

      g_assert_cmpstr (input->name, ==, expected[i].name);
      g_assert_cmpint (input->type, ==, expected[i].type);
      g_assert_cmpstr (input->description, ==, expected[i].description);
      g_assert_cmpint (input->required, ==, expected[i].required);
      g_assert_cmpstr (input->default_value, ==, expected[i].def);
      g_assert_cmpstr (options, ==, expected[i].options);
      g_assert_cmpuint (input->line, ==, expected[i].line);
      g_assert_cmpuint (input->column, ==, 7);
    }
  g_assert_cmpstr (dr_workflow_input_type_to_string (DR_WORKFLOW_INPUT_CHOICE), ==, "choice");
  g_assert_cmpuint (dr_workflow_get_call_inputs (wf)->len, ==, 0);
}

static void
test_call_inputs (void)
{
  g_autoptr(DrWorkflow) wf = parse_ok ("on:\n  workflow_call:\n    inputs:\n"
                                       "      runner:\n        type: string\n"
                                       "        default: big-box\n"
                                       "      debug: {type: boolean}\n"
                                       "jobs:\n  build:\n    runs-on: ${{ inputs.runner }}\n");
  GPtrArray *inputs = dr_workflow_get_call_inputs (wf);
  DrWorkflowInput *input;

  g_assert_cmpuint (inputs->len, ==, 2);
  input = g_ptr_array_index (inputs, 0);
  g_assert_cmpstr (input->name, ==, "runner");
  g_assert_cmpstr (input->default_value, ==, "big-box");
  input = g_ptr_array_index (inputs, 1);
  g_assert_cmpint (input->type, ==, DR_WORKFLOW_INPUT_BOOLEAN);
  g_assert_null (input->default_value);
  g_assert_cmpuint (dr_workflow_get_dispatch_inputs (wf)->len, ==, 0);
}

/* Jobs: ids, names, runs-on as written (anchors resolved), uses/with, matrix, marks. */
static void
test_jobs (void)
{
  static const char yaml[] =
    "on: push\n"
    "x-runner: &runner [self-hosted, linux]\n"
    "jobs:\n"
    "  lint:\n"
    "    name: Lint the code\n"
    "    runs-on: ubuntu-latest\n"
    "  build:\n"
    "    strategy:\n"
    "      matrix:\n"
    "        os: [a, b]\n"
    "    runs-on: ${{ matrix.os }}\n"
    "  test:\n"
    "    runs-on: *runner\n"
    "  big:\n"
    "    runs-on:\n"
    "      group: large\n"
    "      labels: [gpu]\n"
    "  deploy:\n"
    "    uses: ./.github/workflows/deploy.yml\n"
    "    with:\n"
    "      env: prod\n"
    "      count: 2\n";
  g_autoptr(DrWorkflow) wf = parse_ok (yaml);
  GPtrArray *jobs = dr_workflow_get_jobs (wf);
  static const struct {
    const char *id; const char *name; const char *runs_on; const char *uses; guint line;
    guint runs_on_line, runs_on_column;  /* of the runs-on: key */
  } expected[] = {
    { "lint", "Lint the code", "\"ubuntu-latest\"", NULL, 4, 6, 5 },
    { "build", NULL, "\"${{ matrix.os }}\"", NULL, 7, 11, 5 },
    { "test", NULL, "[\"self-hosted\",\"linux\"]", NULL, 12, 13, 5 },
    { "big", NULL, "{\"group\":\"large\",\"labels\":[\"gpu\"]}", NULL, 14, 15, 5 },
    { "deploy", NULL, NULL, "./.github/workflows/deploy.yml", 18, 0, 0 },
  };

  g_assert_cmpuint (jobs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < jobs->len; i++)
    {
      DrWorkflowJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *runs_on = job->runs_on != NULL ? json_to_string (job->runs_on, FALSE)
                                                      : NULL;

      g_assert_cmpstr (job->id, ==, expected[i].id);
      g_assert_cmpstr (job->name, ==, expected[i].name);
      g_assert_cmpstr (runs_on, ==, expected[i].runs_on);
      g_assert_cmpstr (job->uses, ==, expected[i].uses);
      g_assert_cmpuint (job->line, ==, expected[i].line);
      g_assert_cmpuint (job->column, ==, 3);
      g_assert_cmpuint (job->runs_on_line, ==, expected[i].runs_on_line);
      g_assert_cmpuint (job->runs_on_column, ==, expected[i].runs_on_column);
      g_assert_null (job->error);
      g_assert_true (dr_workflow_get_job (wf, expected[i].id) == job);
    }

  {
    DrWorkflowJob *build = dr_workflow_get_job (wf, "build");
    DrWorkflowJob *deploy = dr_workflow_get_job (wf, "deploy");
    g_autofree char *matrix = json_to_string (build->matrix, FALSE);

    g_assert_cmpstr (matrix, ==, "{\"os\":[\"a\",\"b\"]}");
    g_assert_nonnull (deploy->with);
    g_assert_cmpstr (json_object_get_string_member (deploy->with, "env"), ==, "prod");
    g_assert_cmpstr (json_object_get_string_member (deploy->with, "count"), ==, "2");
    g_assert_null (dr_workflow_get_job (wf, "nope"));
  }
}

/* Jobs that are wrong on their own keep the rest of the file usable. */
static void
test_job_errors (void)
{
  static const struct { const char *job_yaml; const char *message; } cases[] = {
    { "  build:\n    steps:\n      - run: make\n",
      "ci.yml:3:3: Job “build” has neither runs-on: nor uses:" },
    { "  build:\n    runs_on: x\n", "ci.yml:3:3: Job “build” has neither runs-on: nor uses:, so "
      "GitHub cannot run it (“runs_on:” on line 4 looks like a misspelt runs-on:)" },
    { "  build:\n    runs-on:\n    steps: []\n", "ci.yml:4:5: runs-on: of job “build” is empty" },
    { "  build:\n    runs-on: x\n    uses: o/r/.github/workflows/w.yml@v1\n",
      "ci.yml:4:5: Job “build” calls a reusable workflow (uses:), so it cannot have runs-on:" },
    { "  1build:\n    runs-on: x\n", "ci.yml:3:3: “1build” is not a valid job id" },
    { "  build: make\n", "ci.yml:3:10: Job “build” must be a mapping" },
    { "  build:\n    uses: [a]\n", "ci.yml:4:11: uses: of job “build” must be the path" },
    { "  build:\n    uses: ./w.yml\n    with: [a]\n",
      "ci.yml:5:11: with: of job “build” must be a mapping" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *yaml = g_strdup_printf ("on: push\njobs:\n%s  fine:\n    runs-on: x\n",
                                               cases[i].job_yaml);
      g_autoptr(DrWorkflow) wf = parse_ok (yaml);
      DrWorkflowJob *job = g_ptr_array_index (dr_workflow_get_jobs (wf), 0);
      DrWorkflowJob *fine = dr_workflow_get_job (wf, "fine");

      g_assert_nonnull (job->error);
      if (!g_str_has_prefix (job->error, cases[i].message))
        g_error ("job error “%s” does not start with “%s”", job->error, cases[i].message);
      g_assert_nonnull (fine);
      g_assert_null (fine->error);
    }
}

/* Files GitHub rejects fail as a whole, with the line and column of the problem. */
static void
test_file_errors (void)
{
  static const struct { const char *yaml; const char *message; } cases[] = {
    { "", "ci.yml:1:1: The file is empty" },
    { "# only a comment\n", "ci.yml:1:1: The file is empty" },
    { "on: push\njobs:\n  a:\n    runs-on: [x\n", "ci.yml:5:1: Not valid YAML" },
    { "on: push\njobs:\n  a:\n   runs-on: x\n  steps: 1\n b: 2\n", "ci.yml:6:2: Not valid YAML" },
    { "on: push\njobs:\n  a:\n    runs-on: \"x\n", "Not valid YAML: found unexpected end of "
      "stream" },
    { "on: push\njobs:\n  a:\n    runs-on: *nowhere\n", "ci.yml:4:14: Not valid YAML: found "
      "undefined alias" },
    { "on: push\njobs:\n\ta:\n", "ci.yml:3:1: Not valid YAML" },
    { "- on\n- jobs\n", "ci.yml:1:1: A workflow must be a mapping" },
    { "name: x\njobs:\n  a:\n    runs-on: x\n", "ci.yml:1:1: The workflow has no on:" },
    { "on:\njobs:\n  a:\n    runs-on: x\n", "ci.yml:1:4: on: lists no events" },
    { "on: []\njobs:\n  a:\n    runs-on: x\n", "ci.yml:1:5: on: lists no events" },
    { "on: push\n", "ci.yml:1:1: The workflow has no jobs:" },
    { "on: push\njobs: []\n", "ci.yml:2:7: jobs: must be a mapping" },
    { "on: push\njobs: {}\n", "ci.yml:2:7: jobs: holds no job" },
    { "on: [push, [x]]\njobs: {a: {runs-on: x}}\n", "ci.yml:1:12: An event under on:" },
    { "name: [a]\non: push\njobs: {a: {runs-on: x}}\n", "ci.yml:1:7: name: must be text" },
    { "on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n",
      "ci.yml:5:3: “a” is already defined in this mapping" },
    { "on: push\nx: &d {runs-on: x}\njobs:\n  a:\n    <<: *d\n",
      "ci.yml:5:5: GitHub Actions does not support YAML merge keys" },
    { "on: push\njobs:\n  ? [a]\n  : {runs-on: x}\n", "ci.yml:3:5: A key must be a plain "
      "string" },
    { "on: push\njobs: {a: {runs-on: x}}\n---\non: push\n", "ci.yml:4:1: The file holds more "
      "than one YAML document" },
    { "on: &a [push, *a]\njobs: {a: {runs-on: x}}\n", "nests deeper than" },
    { "on:\n  workflow_dispatch: [x]\njobs: {a: {runs-on: x}}\n",
      "ci.yml:2:22: workflow_dispatch: must be empty or a mapping" },
    { "on:\n  workflow_dispatch:\n    inputs: [a]\njobs: {a: {runs-on: x}}\n",
      "ci.yml:3:13: inputs must be a mapping" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {type: text}\njobs: {a: {runs-on: x}}\n",
      "ci.yml:4:17: Input “a” has type “text”; a workflow_dispatch input is a string" },
    { "on:\n  workflow_call:\n    inputs:\n      a: {type: choice}\njobs: {a: {runs-on: x}}\n",
      "ci.yml:4:17: Input “a” has type “choice”; a workflow_call input is a string, boolean "
      "or number" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {type: choice}\njobs: {a: {runs-on: x}}\n",
      "ci.yml:4:7: Choice input “a” needs options" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {type: choice, options: [x, y], "
      "default: z}\njobs: {a: {runs-on: x}}\n",
      "ci.yml:4:51: The default of choice input “a” is “z”, which is not one of its options" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {type: boolean, default: yes}\n"
      "jobs: {a: {runs-on: x}}\n", "ci.yml:4:35: A boolean input's default must be true or "
      "false" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {type: number, default: three}\n"
      "jobs: {a: {runs-on: x}}\n", "ci.yml:4:34: The default of number input “a” is “three”" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {required: maybe}\n"
      "jobs: {a: {runs-on: x}}\n", "ci.yml:4:21: required must be true or false" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {options: [x]}\n"
      "jobs: {a: {runs-on: x}}\n", "ci.yml:4:20: Only a choice input has options" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: 1\njobs: {a: {runs-on: x}}\n",
      "ci.yml:4:10: Input “a” must be a mapping" },
    { "on:\n  workflow_dispatch:\n    inputs:\n      a: {default: [1]}\n"
      "jobs: {a: {runs-on: x}}\n", "ci.yml:4:20: The default of input “a” must be a single" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DrWorkflow) wf = dr_workflow_parse ("ci.yml", cases[i].yaml, -1, &error);

      if (wf != NULL)
        g_error ("case %u parsed, expected “%s”", i, cases[i].message);
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: error “%s” does not contain “%s”", i, error->message,
                 cases[i].message);
    }
}

/* An alias bomb stops at the budget instead of eating the machine. */
static void
test_alias_bomb (void)
{
  g_autoptr(GString) yaml = g_string_new ("on: push\nx0: &a0 [lol, lol, lol, lol, lol, lol]\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DrWorkflow) wf = NULL;

  for (guint i = 1; i < 12; i++)
    g_string_append_printf (yaml, "x%u: &a%u [*a%u, *a%u, *a%u, *a%u, *a%u, *a%u]\n",
                            i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
  g_string_append (yaml, "jobs: {a: {runs-on: x}}\n");
  wf = dr_workflow_parse ("bomb.yml", yaml->str, yaml->len, &error);
  g_assert_null (wf);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too many nodes"));
}

static void
test_not_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrWorkflow) wf = dr_workflow_parse ("bin.yml", "on: push\xff\n", -1, &error);

  g_assert_null (wf);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not UTF-8"));
}

/* Each target as one line: "labels a,b group G (with …)", "runtime: …", "invalid: …". */
static char *
describe_targets (GPtrArray *targets)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < targets->len; i++)
    {
      DrRunsOnTarget *t = g_ptr_array_index (targets, i);

      if (i > 0)
        g_string_append (out, " | ");
      if (t->kind == DR_RUNS_ON_LABELS)
        {
          g_autofree char *labels = g_strjoinv (",", t->labels);

          g_string_append_printf (out, "labels %s", labels);
          if (t->group != NULL)
            g_string_append_printf (out, " group %s", t->group);
        }
      else
        g_string_append_printf (out, "%s: %s", t->kind == DR_RUNS_ON_RUNTIME ? "runtime"
                                                                             : "invalid",
                                t->detail);
      if (t->evaluated_with != NULL)
        g_string_append_printf (out, " (with %s)", t->evaluated_with);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
expand_job (const char *yaml,
            const char *job_id,
            JsonObject *caller_with)
{
  g_autoptr(DrWorkflow) wf = parse_ok (yaml);
  DrWorkflowJob *job = dr_workflow_get_job (wf, job_id);
  g_autoptr(GPtrArray) targets = NULL;

  g_assert_nonnull (job);
  targets = dr_workflow_job_expand_runs_on (wf, job, caller_with);
  return describe_targets (targets);
}

/* Every form of runs-on, and the expressions deskrun evaluates or leaves to the run. */
static void
test_runs_on_forms (void)
{
  static const struct { const char *job; const char *expected; } cases[] = {
    /* plain forms */
    { "runs-on: ubuntu-latest", "labels ubuntu-latest" },
    { "runs-on: 'my-runner'", "labels my-runner" },
    { "runs-on: [self-hosted, linux, x64]", "labels self-hosted,linux,x64" },
    { "runs-on:\n      - self-hosted\n      - Linux\n      - linux", "labels self-hosted,Linux" },
    { "runs-on: {group: ci-runners}", "labels  group ci-runners" },
    { "runs-on:\n      group: ci\n      labels: gpu", "labels gpu group ci" },
    { "runs-on:\n      labels: [a, b]", "labels a,b" },
    /* wrong shapes */
    { "runs-on: []", "invalid: runs-on: must list labels, none of them empty" },
    { "runs-on: [a, [b]]", "invalid: runs-on: must list labels, none of them empty" },
    { "runs-on: ''", "invalid: runs-on: is empty" },
    { "runs-on: {}", "invalid: runs-on: names neither a group nor labels" },
    { "runs-on: {label: x}", "invalid: runs-on: takes group: and labels:, not “label:”" },
    { "runs-on: {group: [a]}", "invalid: group: must name a runner group" },
    { "runs-on: {labels: []}", "invalid: labels: must be a label or a list of labels, none of "
      "them empty" },
    /* expressions left to the run */
    { "runs-on: ${{ needs.setup.outputs.runner }}",
      "runtime: ${{ needs.setup.outputs.runner }}" },
    { "runs-on: linux-${{ vars.SIZE }}", "runtime: linux-${{ vars.SIZE }}" },
    { "runs-on: ${{ github.ref == 'refs/heads/main' && 'big' || 'small' }}",
      "runtime: ${{ github.ref == 'refs/heads/main' && 'big' || 'small' }}" },
    { "runs-on: [self-hosted, '${{ vars.POOL }}']",
      "runtime: [\"self-hosted\",\"${{ vars.POOL }}\"]" },
    { "runs-on: ${{ inputs.nodefault }}", "runtime: ${{ inputs.nodefault }}" },
    /* expressions the file decides */
    { "runs-on: ${{ 'lit' }}", "labels lit" },
    { "runs-on: ${{ inputs.pool }}",
      "labels big-box (with inputs.pool = big-box (its default; a person dispatching the "
      "workflow may choose another))" },
    { "runs-on: ${{ github.event.inputs.pool }}-2",
      "labels big-box-2 (with github.event.inputs.pool = big-box (its default; a person "
      "dispatching the workflow may choose another))" },
    { "runs-on: ${{ inputs.nodefault || 'fallback' }}", "runtime: ${{ inputs.nodefault || "
      "'fallback' }}" },
    { "runs-on: ${{ inputs.empty || 'fallback' }}",
      "labels fallback (with inputs.empty =  (its default; a person dispatching the workflow "
      "may choose another))" },
    { "runs-on: ${{ fromJSON(inputs.list) }}",
      "labels self-hosted,linux (with inputs.list = [\"self-hosted\", \"linux\"] (its "
      "default; a person dispatching the workflow may choose another))" },
    { "runs-on: ${{ fromJSON('{\"group\":\"g\",\"labels\":[\"x\"]}') }}", "labels x group g" },
    { "runs-on: ${{ toJSON(inputs.pool) }}", "runtime: ${{ toJSON(inputs.pool) }}" },
    { "runs-on: ${{ matrix.os }}", "invalid: runs-on: is empty (with matrix.os is not set)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *yaml = g_strdup_printf (
        "on:\n  workflow_dispatch:\n    inputs:\n      pool: {default: big-box}\n"
        "      nodefault: {type: string}\n      empty: {default: ''}\n"
        "      list: {default: '[\"self-hosted\", \"linux\"]'}\n"
        "jobs:\n  j:\n    %s\n", cases[i].job);
      g_autofree char *got = expand_job (yaml, "j", NULL);

      if (g_strcmp0 (got, cases[i].expected) != 0)
        g_error ("case %u (%s): got “%s”, expected “%s”", i, cases[i].job, got,
                 cases[i].expected);
    }
}

/* A literal matrix is expanded per value, the way GitHub builds its combinations. */
static void
test_runs_on_matrix (void)
{
  static const struct { const char *job; const char *expected; } cases[] = {
    { "strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n"
      "        node: [18, 20]\n    runs-on: ${{ matrix.os }}",
      "labels ubuntu-latest (with matrix.os = ubuntu-latest) | "
      "labels windows-latest (with matrix.os = windows-latest)" },
    { "strategy:\n      matrix:\n        os: [a, b]\n        exclude:\n          - os: b\n"
      "    runs-on: ${{ matrix.os }}", "labels a (with matrix.os = a)" },
    { "strategy:\n      matrix:\n        os: [a]\n        include:\n          - os: a\n"
      "            runner: [self-hosted, big]\n          - os: c\n            runner: c-box\n"
      "    runs-on: ${{ matrix.runner }}",
      "labels self-hosted,big (with matrix.runner = [\"self-hosted\",\"big\"]) | "
      "labels c-box (with matrix.runner = c-box)" },
    { "strategy:\n      matrix:\n        include:\n          - {runner: r1}\n"
      "          - {runner: r2}\n    runs-on: [self-hosted, '${{ matrix.runner }}']",
      "labels self-hosted,r1 (with matrix.runner = r1) | labels self-hosted,r2 (with "
      "matrix.runner = r2)" },
    { "strategy:\n      matrix:\n        cfg:\n          - {pool: x, arch: arm64}\n"
      "          - {pool: y, arch: x64}\n    runs-on: ${{ matrix.cfg.pool }}-${{ matrix.cfg.arch }}",
      "labels x-arm64 (with matrix.cfg.pool = x, matrix.cfg.arch = arm64) | labels y-x64 (with "
      "matrix.cfg.pool = y, matrix.cfg.arch = x64)" },
    { "strategy:\n      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}\n"
      "    runs-on: ${{ matrix.os }}",
      "runtime: ${{ matrix.os }} (the matrix is ${{ fromJSON(needs.plan.outputs.matrix) }}, "
      "decided when the run starts)" },
    { "strategy:\n      matrix:\n        os: ${{ fromJSON(vars.OSES) }}\n"
      "    runs-on: ${{ matrix.os }}",
      "runtime: ${{ matrix.os }} (matrix.os is ${{ fromJSON(vars.OSES) }}, decided when the "
      "run starts)" },
    { "strategy:\n      matrix:\n        os: [a]\n        exclude: [{os: a}]\n"
      "    runs-on: ${{ matrix.os }}",
      "invalid: the matrix makes no job at all (exclude: removes every combination)" },
    { "strategy:\n      matrix:\n        os: a\n    runs-on: ${{ matrix.os }}",
      "invalid: matrix.os must be a list of values" },
    { "strategy:\n      matrix:\n        a: [1,2,3,4,5,6,7,8,9]\n        b: [1,2,3,4,5,6,7,8,9]\n"
      "        c: [1,2,3,4]\n    runs-on: ${{ matrix.a }}",
      "invalid: the matrix makes more than 256 jobs, which GitHub refuses" },
    /* a matrix runs-on does not read changes nothing */
    { "strategy:\n      matrix:\n        os: [a, b]\n    runs-on: fixed", "labels fixed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *yaml = g_strdup_printf ("on: push\njobs:\n  j:\n    %s\n",
                                               cases[i].job);
      g_autofree char *got = expand_job (yaml, "j", NULL);

      if (g_strcmp0 (got, cases[i].expected) != 0)
        g_error ("case %u: got “%s”, expected “%s”", i, got, cases[i].expected);
    }
}

/* In a called workflow, inputs come from the caller's with:, then the defaults. */
static void
test_runs_on_caller_inputs (void)
{
  static const char yaml[] =
    "on:\n  workflow_call:\n    inputs:\n      runner: {type: string, default: local}\n"
    "      extra: {type: string}\n"
    "jobs:\n  a:\n    runs-on: ${{ inputs.runner }}\n"
    "  b:\n    runs-on: [x, '${{ inputs.extra }}']\n";
  g_autoptr(JsonObject) with = json_object_new ();
  g_autofree char *alone = expand_job (yaml, "a", NULL);
  g_autofree char *alone_b = expand_job (yaml, "b", NULL);
  g_autofree char *passed = NULL, *not_passed = NULL, *from_expr = NULL;

  g_assert_cmpstr (alone, ==, "labels local (with inputs.runner = local (its default))");
  g_assert_cmpstr (alone_b, ==, "runtime: [\"x\",\"${{ inputs.extra }}\"]");

  json_object_set_string_member (with, "Runner", "big");
  passed = expand_job (yaml, "a", with);
  g_assert_cmpstr (passed, ==, "labels big (with inputs.runner = big (passed by the calling "
                               "job))");
  not_passed = expand_job (yaml, "b", with);
  g_assert_cmpstr (not_passed, ==, "invalid: runs-on: must list labels, none of them empty "
                                   "(with inputs.extra =  (not passed by the calling job))");

  json_object_set_string_member (with, "runner", "${{ matrix.pool }}");
  json_object_remove_member (with, "Runner");
  from_expr = expand_job (yaml, "a", with);
  g_assert_cmpstr (from_expr, ==, "runtime: ${{ inputs.runner }}");
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/workflow/triggers", test_triggers);
  g_test_add_func ("/workflow/dispatch-inputs", test_dispatch_inputs);
  g_test_add_func ("/workflow/call-inputs", test_call_inputs);
  g_test_add_func ("/workflow/jobs", test_jobs);
  g_test_add_func ("/workflow/job-errors", test_job_errors);
  g_test_add_func ("/workflow/file-errors", test_file_errors);
  g_test_add_func ("/workflow/alias-bomb", test_alias_bomb);
  g_test_add_func ("/workflow/not-utf8", test_not_utf8);
  g_test_add_func ("/workflow/runs-on/forms", test_runs_on_forms);
  g_test_add_func ("/workflow/runs-on/matrix", test_runs_on_matrix);
  g_test_add_func ("/workflow/runs-on/caller-inputs", test_runs_on_caller_inputs);

  return g_test_run ();
}
