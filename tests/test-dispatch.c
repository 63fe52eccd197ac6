/* test-dispatch.c — dispatchable workflows, their inputs and which jobs run on this runner
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-dispatch.h"
#include "dr-error.h"
#include "dr-test-utils.h"

static const char *every_input =
  "name: Release\n"
  "on:\n"
  "  push:\n"
  "  workflow_dispatch:\n"
  "    inputs:\n"
  "      version:\n"
  "        description: Version to release\n"
  "        required: true\n"
  "        type: string\n"
  "      dry-run:\n"
  "        type: boolean\n"
  "        default: true\n"
  "      level:\n"
  "        type: choice\n"
  "        options: [debug, info, warn]\n"
  "        default: info\n"
  "      count:\n"
  "        type: number\n"
  "        default: 3\n"
  "      target:\n"
  "        type: environment\n"
  "jobs:\n"
  "  build:\n"
  "    runs-on: web\n"
  "    steps: [{run: make}]\n"
  "  test:\n"
  "    name: Tests\n"
  "    runs-on: [WEB]\n"
  "    steps: [{run: make check}]\n"
  "  lint:\n"
  "    runs-on: ubuntu-latest\n"
  "    steps: [{run: make lint}]\n"
  "  legacy:\n"
  "    runs-on: [self-hosted, linux]\n"
  "    steps: [{run: make}]\n"
  "  matrix:\n"
  "    runs-on: ${{ matrix.os }}\n"
  "    steps: [{run: make}]\n"
  "  grouped:\n"
  "    runs-on: {group: local, labels: [web]}\n"
  "    steps: [{run: make}]\n"
  "  call:\n"
  "    uses: ./.github/workflows/reusable.yml\n";

static const char *scale_sets[] = { "web", NULL };

static DrDispatchWorkflow *
load (const char *path,
      const char *text)
{
  DrJobJoinContext context = { scale_sets, NULL, NULL };
  DrDispatchWorkflow *workflow = dr_dispatch_workflow_new (path, NULL, 7, NULL);

  dr_dispatch_workflow_set_text (workflow, text, -1, &context);
  return workflow;
}

static void
test_routes (void)
{
  g_autoptr(DrDispatchWorkflow) workflow = load (".github/workflows/release.yml", every_input);
  const struct { const char *id; DrDispatchRoute route; const char *runs_on; } expected[] = {
    { "build", DR_DISPATCH_ROUTE_HERE, "web" },
    { "test", DR_DISPATCH_ROUTE_HERE, "[WEB]" },
    { "lint", DR_DISPATCH_ROUTE_ELSEWHERE, "ubuntu-latest" },
    { "legacy", DR_DISPATCH_ROUTE_ELSEWHERE, "[self-hosted, linux]" },
    { "matrix", DR_DISPATCH_ROUTE_RUNTIME, "${{ matrix.os }}" },
    { "grouped", DR_DISPATCH_ROUTE_HERE, "group: local [web]" },
    { "call", DR_DISPATCH_ROUTE_CALLS, "./.github/workflows/reusable.yml" },
  };

  g_assert_null (workflow->error);
  g_assert_true (dr_dispatch_workflow_is_dispatchable (workflow));
  g_assert_cmpstr (workflow->name, ==, ".github/workflows/release.yml");
  g_assert_cmpuint (workflow->jobs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      DrDispatchJob *job = g_ptr_array_index (workflow->jobs, i);

      g_assert_cmpstr (job->id, ==, expected[i].id);
      g_assert_cmpint (job->route, ==, expected[i].route);
      g_assert_cmpstr (job->runs_on, ==, expected[i].runs_on);
      g_assert_cmpstr (job->scale_set, ==, expected[i].route == DR_DISPATCH_ROUTE_HERE ? "web"
                                                                                    : NULL);
    }
  g_assert_cmpstr (((DrDispatchJob *) g_ptr_array_index (workflow->jobs, 1))->name, ==, "Tests");
  g_assert_cmpuint (dr_dispatch_workflow_count_here (workflow), ==, 3);
}

static GHashTable *
values_of (const char *first,
           ...)
{
  GHashTable *values = g_hash_table_new (g_str_hash, g_str_equal);
  va_list args;

  va_start (args, first);
  for (const char *key = first; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (values, (gpointer) key, va_arg (args, char *));
  va_end (args);
  return values;
}

static void
test_inputs (void)
{
  g_autoptr(DrDispatchWorkflow) workflow = load ("release.yml", every_input);
  const struct { const char *what; const char *key; const char *value; const char *error; } bad[] = {
    { "missing required", NULL, NULL, "The input “version” is required" },
    { "empty required", "version", "", "The input “version” is required" },
    { "not a boolean", "dry-run", "yes", "The input “dry-run” is a boolean: true or false, not “yes”" },
    { "not a number", "count", "3x", "The input “count” is a number, not “3x”" },
    { "not a choice", "level", "trace", "The input “level” is one of debug, info, warn, not “trace”" },
    { "unknown input", "colour", "red", "The workflow has no input “colour”" },
  };
  g_autoptr(GHashTable) good = values_of ("version", "1.2.0", "dry-run", "false",
                                          "count", "-2.5", "level", "warn",
                                          "target", "staging", NULL);
  g_autoptr(JsonObject) inputs = NULL;
  g_autoptr(JsonObject) minimal = NULL;
  g_autoptr(GHashTable) only_version = values_of ("version", "1.2.0", NULL);
  g_autoptr(GError) error = NULL;

  inputs = dr_dispatch_build_inputs (workflow->workflow, good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (inputs), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (inputs, "dry-run"), ==, "false");
  g_assert_cmpstr (json_object_get_string_member (inputs, "count"), ==, "-2.5");

  /* Inputs not given are left out: GitHub fills in the defaults. */
  minimal = dr_dispatch_build_inputs (workflow->workflow, only_version, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (minimal), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GHashTable) values = values_of ("version", "1.0", NULL);
      g_autoptr(JsonObject) result = NULL;

      g_test_message ("%s", bad[i].what);
      if (bad[i].key == NULL)
        g_hash_table_remove (values, "version");
      else
        g_hash_table_insert (values, (gpointer) bad[i].key, (gpointer) bad[i].value);
      result = dr_dispatch_build_inputs (workflow->workflow, values, &error);
      g_assert_null (result);
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, bad[i].error);
      g_clear_error (&error);
    }
}

static void
test_targets (void)
{
  g_autoptr(DrDispatchTargets) targets = dr_dispatch_targets_new ("octo/hello", "main");
  const char *branches[] = { "zeta", "main", "feature/a", "zeta", NULL };

  dr_dispatch_targets_set_refs (targets, branches);
  g_assert_cmpstrv (targets->refs, ((const char *[]) { "main", "feature/a", "zeta", NULL }));

  dr_dispatch_targets_add_workflow (targets, load (".github/workflows/release.yml",
                                                   every_input));
  dr_dispatch_targets_add_workflow (targets, load (".github/workflows/push.yml",
                                                   "on: push\njobs:\n  a:\n    runs-on: web\n"
                                                   "    steps: [{run: x}]\n"));
  dr_dispatch_targets_add_workflow (targets, load (".github/workflows/broken.yml",
                                                   "on: [workflow_dispatch\n"));
  /* Only the dispatchable one is offered; the broken one is explained, the push-only one is
   * simply not a candidate. */
  g_assert_cmpuint (targets->workflows->len, ==, 1);
  g_assert_cmpuint (targets->skipped->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (targets->skipped, 0),
                                   ".github/workflows/broken.yml:"));
  g_assert_nonnull (dr_dispatch_targets_find (targets, "release.yml"));
  g_assert_nonnull (dr_dispatch_targets_find (targets, ".github/workflows/release.yml"));
  g_assert_null (dr_dispatch_targets_find (targets, "push.yml"));
  g_assert_null (dr_dispatch_targets_find (targets, NULL));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/dispatch/routes", test_routes);
  g_test_add_func ("/deskrun/dispatch/inputs", test_inputs);
  g_test_add_func ("/deskrun/dispatch/targets", test_targets);

  return g_test_run ();
}
