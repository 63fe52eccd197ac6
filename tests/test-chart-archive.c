/* test-chart-archive.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-chart-archive.h"
#include "dr-error.h"
#include "dr-test-chart.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

#define CHART "gha-runner-scale-set-controller"

/* Writes @bytes to a file in the test's private cache directory and returns its path. */
static char *
write_archive (GBytes     *bytes,
               const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "test", NULL);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_message_contains (const GError *error,
                         const char   *needle)
{
  g_test_message ("message: %s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("The message “%s” does not contain “%s”", error->message, needle);
}

/* The chart's four CRDs, in file-name order, byte for byte as in the fixtures. */
static void
assert_arc_chart (const DrChart *chart,
                  const char    *version)
{
  g_auto(GStrv) names = dr_test_fixture_crd_names ();

  g_assert_nonnull (names);
  g_assert_cmpstr (chart->name, ==, CHART);
  g_assert_cmpstr (chart->version, ==, version);
  g_assert_cmpstr (chart->app_version, ==, version);
  g_assert_cmpuint (g_strv_length (names), ==, 4);
  g_assert_cmpuint (chart->crds->len, ==, 4);

  for (guint i = 0; i < chart->crds->len; i++)
    {
      const DrChartFile *file = g_ptr_array_index (chart->crds, i);
      g_autoptr(GBytes) expected = dr_test_fixture_crd (names[i]);

      g_assert_cmpstr (file->file_name, ==, names[i]);
      g_assert_true (g_bytes_equal (file->contents, expected));
    }
  g_assert_cmpstr (((DrChartFile *) g_ptr_array_index (chart->crds, 1))->file_name, ==,
                   "actions.github.com_autoscalingrunnersets.yaml");
}

static void
test_read (void)
{
  g_autoptr(GBytes) tgz = dr_test_arc_chart_new (DR_ARC_VERSION);
  g_autofree char *path = NULL;
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GError) error = NULL;

  if (tgz == NULL)
    return;

  path = write_archive (tgz, "chart.tgz");
  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_no_error (error);
  assert_arc_chart (chart, DR_ARC_VERSION);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  DrChart **chart = data;
  g_autoptr(GError) error = NULL;

  g_assert_null (source);
  *chart = dr_chart_archive_read_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_read_async (void)
{
  g_autoptr(GBytes) tgz = dr_test_arc_chart_new (DR_ARC_VERSION);
  g_autofree char *path = NULL;
  g_autoptr(DrChart) chart = NULL;

  if (tgz == NULL)
    return;

  path = write_archive (tgz, "chart.tgz");
  dr_chart_archive_read_async (path, NULL, read_cb, &chart);
  while (chart == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_arc_chart (chart, DR_ARC_VERSION);
}

/* Everything but CHART/Chart.yaml and CHART/crds/ *.yaml is skipped, however large or oddly
 * named; nothing is written anywhere. */
static void
test_ignores_other_members (void)
{
  DrTestTar *tar = dr_test_tar_new ();
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (DR_CHART_MEMBER_MAX + 1),
                                            DR_CHART_MEMBER_MAX + 1);
  g_autoptr(GBytes) tgz = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GError) error = NULL;

  dr_test_tar_add_string (tar, "./" CHART "/Chart.yaml",
                          "apiVersion: v2\nname: " CHART "\nversion: 0.14.2\n");
  dr_test_tar_add (tar, CHART "/templates/huge.yaml", big);
  dr_test_tar_add_string (tar, CHART "/charts/sub/Chart.yaml", "name: sub\nversion: 1.0.0\n");
  dr_test_tar_add_string (tar, CHART "/charts/sub/crds/sub.yaml", "kind: Sub\n");
  dr_test_tar_add_string (tar, CHART "/crds/README.md", "not a CRD\n");
  dr_test_tar_add_string (tar, CHART "/crds/.hidden.yaml", "kind: Hidden\n");
  dr_test_tar_add_string (tar, CHART "/crds/../../escape.yaml", "kind: Escape\n");
  dr_test_tar_add_string (tar, "/etc/" CHART ".yaml", "kind: Absolute\n");
  dr_test_tar_add_string (tar, "Chart.yaml", "name: top-level\nversion: 9\n");
  dr_test_tar_add_string (tar, "./" CHART "/crds/b.yaml", "kind: B\n");
  dr_test_tar_add_string (tar, CHART "/crds/a.yaml", "kind: A\n");
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "other-members.tgz");

  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chart->name, ==, CHART);
  g_assert_cmpstr (chart->version, ==, "0.14.2");
  g_assert_null (chart->app_version);
  g_assert_cmpuint (chart->crds->len, ==, 2);
  g_assert_cmpstr (((DrChartFile *) g_ptr_array_index (chart->crds, 0))->file_name, ==, "a.yaml");
  g_assert_cmpstr (((DrChartFile *) g_ptr_array_index (chart->crds, 1))->file_name, ==, "b.yaml");
  g_assert_cmpmem (g_bytes_get_data (((DrChartFile *) g_ptr_array_index (chart->crds, 0))->contents,
                                     NULL),
                   8, "kind: A\n", 8);
}

/* A damaged archive fails, wherever the damage is. Every case must fail, and the intact archive
 * reads (test_read), so the damage is the cause. */
typedef struct
{
  const char *what;
  gsize keep;      /* bytes kept from the start */
  gsize flip;      /* the first of @n_flip bytes to invert */
  gsize n_flip;
} Damage;

static void
test_corrupt (void)
{
  g_autoptr(GBytes) tgz = dr_test_arc_chart_new (DR_ARC_VERSION);
  const guint8 *data;
  gsize len;
  Damage cases[5];

  if (tgz == NULL)
    return;

  data = g_bytes_get_data (tgz, &len);
  cases[0] = (Damage) { "empty", 0, 0, 0 };
  cases[1] = (Damage) { "cut in the gzip header", 5, 0, 0 };
  cases[2] = (Damage) { "cut in half", len / 2, 0, 0 };
  cases[3] = (Damage) { "damaged in the middle", len, len / 2, 64 };
  /* Only zlib's check of the gzip trailer catches this one. */
  cases[4] = (Damage) { "damaged CRC-32", len, len - 8, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(GBytes) damaged = NULL;
      g_autofree char *path = NULL;
      g_autoptr(DrChart) chart = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case: %s", cases[i].what);
      for (gsize j = cases[i].flip; j < cases[i].flip + cases[i].n_flip; j++)
        copy[j] ^= 0x55;
      damaged = g_bytes_new (copy, cases[i].keep);
      path = write_archive (damaged, "damaged.tgz");
      chart = dr_chart_archive_read (path, NULL, &error);
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_assert_null (chart);
      assert_message_contains (error, "damaged.tgz");
    }
}

static void
test_not_a_chart (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("apiVersion: v2\nname: x\n", 23);
  g_autofree char *text_path = write_archive (text, "Chart.yaml");
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.tgz", NULL);
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GError) error = NULL;
  DrTestTar *tar;
  g_autoptr(GBytes) tgz = NULL;
  g_autofree char *path = NULL;

  chart = dr_chart_archive_read (text_path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_null (chart);
  g_clear_error (&error);

  chart = dr_chart_archive_read (missing, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_message_contains (error, "missing.tgz");
  g_clear_error (&error);

  /* A tarball without Chart.yaml. */
  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, CHART "/crds/a.yaml", "kind: A\n");
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "no-chart-yaml.tgz");
  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (error, "Chart.yaml");
  g_clear_error (&error);
  g_clear_pointer (&tgz, g_bytes_unref);
  g_clear_pointer (&path, g_free);

  /* Chart.yaml without a version. */
  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, CHART "/Chart.yaml", "apiVersion: v2\nname: " CHART "\n");
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "no-version.tgz");
  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (error, "version");
  g_clear_error (&error);
  g_clear_pointer (&tgz, g_bytes_unref);
  g_clear_pointer (&path, g_free);

  /* Chart.yaml that is not YAML. */
  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, CHART "/Chart.yaml", "name: [unclosed\n");
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "bad-yaml.tgz");
  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (error, "YAML");
  g_clear_error (&error);
  g_clear_pointer (&tgz, g_bytes_unref);
  g_clear_pointer (&path, g_free);

  /* Two chart folders. */
  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, CHART "/Chart.yaml", "name: " CHART "\nversion: 0.14.2\n");
  dr_test_tar_add_string (tar, "other/crds/a.yaml", "kind: A\n");
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "two-charts.tgz");
  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (error, "other/crds/a.yaml");
}

static void
test_oversized_member (void)
{
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (DR_CHART_MEMBER_MAX + 1),
                                            DR_CHART_MEMBER_MAX + 1);
  DrTestTar *tar = dr_test_tar_new ();
  g_autoptr(GBytes) tgz = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GError) error = NULL;

  dr_test_tar_add_string (tar, CHART "/Chart.yaml", "name: " CHART "\nversion: 0.14.2\n");
  dr_test_tar_add (tar, CHART "/crds/huge.yaml", big);
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "huge.tgz");

  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_null (chart);
  assert_message_contains (error, "crds/huge.yaml");
  assert_message_contains (error, "too large");
}

/* Members under the per-member cap that add up to more than the total cap. */
static void
test_oversized_total (void)
{
  gsize size = DR_CHART_MEMBER_MAX - 1;
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (size), size);
  DrTestTar *tar = dr_test_tar_new ();
  g_autoptr(GBytes) tgz = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GError) error = NULL;

  dr_test_tar_add_string (tar, CHART "/Chart.yaml", "name: " CHART "\nversion: 0.14.2\n");
  for (guint i = 0; i <= DR_CHART_TOTAL_MAX / size; i++)
    {
      g_autofree char *member = g_strdup_printf (CHART "/crds/part-%u.yaml", i);

      dr_test_tar_add (tar, member, big);
    }
  tgz = dr_test_tar_finish (tar);
  path = write_archive (tgz, "large-total.tgz");

  chart = dr_chart_archive_read (path, NULL, &error);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_null (chart);
  assert_message_contains (error, "too large");
}

static void
test_cancelled (void)
{
  g_autoptr(GBytes) tgz = dr_test_arc_chart_new (DR_ARC_VERSION);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = NULL;
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GError) error = NULL;

  if (tgz == NULL)
    return;

  path = write_archive (tgz, "chart.tgz");
  g_cancellable_cancel (cancellable);
  chart = dr_chart_archive_read (path, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (chart);
}

static DrChart *
make_chart (const char *name,
            const char *version,
            guint       n_crds)
{
  DrChart *chart = g_new0 (DrChart, 1);

  chart->name = g_strdup (name);
  chart->version = g_strdup (version);
  chart->crds = g_ptr_array_new ();
  for (guint i = 0; i < n_crds; i++)
    g_ptr_array_add (chart->crds, NULL);
  return chart;
}

static void
test_check (void)
{
  g_autoptr(GError) error = NULL;
  char *warning = (char *) "unset";
  g_autoptr(DrChart) pinned = make_chart (CHART, DR_ARC_VERSION, 4);
  g_autoptr(DrChart) older = make_chart (CHART, "0.13.0", 4);
  g_autoptr(DrChart) other = make_chart ("gha-runner-scale-set", DR_ARC_VERSION, 4);
  g_autoptr(DrChart) empty = make_chart (CHART, DR_ARC_VERSION, 0);

  g_assert_true (dr_chart_check (pinned, "pinned.tgz", &warning, &error));
  g_assert_no_error (error);
  g_assert_null (warning);

  g_assert_true (dr_chart_check (older, "older.tgz", &warning, &error));
  g_assert_no_error (error);
  g_assert_nonnull (warning);
  g_test_message ("warning: %s", warning);
  g_assert_nonnull (strstr (warning, "0.13.0"));
  g_assert_nonnull (strstr (warning, DR_ARC_VERSION));
  g_assert_nonnull (strstr (warning, "older.tgz"));
  g_clear_pointer (&warning, g_free);
  /* Without a place for the warning the chart still passes. */
  g_assert_true (dr_chart_check (older, "older.tgz", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (dr_chart_check (other, "other.tgz", &warning, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (error, "gha-runner-scale-set”");
  assert_message_contains (error, "other.tgz");
  g_assert_null (warning);
  g_clear_error (&error);

  g_assert_false (dr_chart_check (empty, "empty.tgz", &warning, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (error, "crds");
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/chart-archive/read", test_read);
  g_test_add_func ("/deskrun/chart-archive/read-async", test_read_async);
  g_test_add_func ("/deskrun/chart-archive/ignores-other-members", test_ignores_other_members);
  g_test_add_func ("/deskrun/chart-archive/corrupt", test_corrupt);
  g_test_add_func ("/deskrun/chart-archive/not-a-chart", test_not_a_chart);
  g_test_add_func ("/deskrun/chart-archive/oversized-member", test_oversized_member);
  g_test_add_func ("/deskrun/chart-archive/oversized-total", test_oversized_total);
  g_test_add_func ("/deskrun/chart-archive/cancelled", test_cancelled);
  g_test_add_func ("/deskrun/chart-archive/check", test_check);

  return g_test_run ();
}
