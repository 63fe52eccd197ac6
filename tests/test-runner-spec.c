/* test-runner-spec.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-runner-spec.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

static void
test_defaults (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();

  g_assert_cmpstr (spec->name, ==, "");
  g_assert_cmpstr (spec->repository_url, ==, "");
  g_assert_cmpint (spec->mode, ==, DR_CONTAINER_MODE_KUBERNETES);
  g_assert_cmpuint (spec->min_runners, ==, 1);
  g_assert_cmpuint (spec->max_runners, ==, 5);
  g_assert_cmpuint (spec->instances, ==, 1);
  g_assert_nonnull (spec->mounts);
  g_assert_cmpuint (spec->mounts->len, ==, 0);
  g_assert_nonnull (spec->labels);
  g_assert_cmpuint (spec->labels->len, ==, 0);
  g_assert_null (spec->runner_group);
  g_assert_cmpint (spec->credential_kind, ==, DR_CREDENTIAL_KIND_PAT);
  g_assert_null (spec->credential_id);
}

static void
test_ref_unref (void)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();
  GType type = dr_runner_spec_get_type ();
  DrRunnerSpec *boxed;

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_true (dr_runner_spec_ref (spec) == spec);
  dr_runner_spec_unref (spec);

  /* Boxed copy is a reference: shared specs are immutable. */
  boxed = g_boxed_copy (type, spec);
  g_assert_true (boxed == spec);
  g_boxed_free (type, boxed);

  dr_runner_spec_unref (spec);
}

int
main (int    argc,
      char **argv)
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/runner-spec/defaults", test_defaults);
  g_test_add_func ("/deskrun/runner-spec/ref-unref", test_ref_unref);

  return g_test_run ();
}
