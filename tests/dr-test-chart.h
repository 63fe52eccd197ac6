/* dr-test-chart.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chart archives for tests, written with libarchive the way `helm package` writes them
 * (gzip-compressed tar, members below one chart folder).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DrTestTar DrTestTar;

DrTestTar *dr_test_tar_new        (void);
void       dr_test_tar_add        (DrTestTar  *tar,
                                   const char *member,
                                   GBytes     *contents);
void       dr_test_tar_add_string (DrTestTar  *tar,
                                   const char *member,
                                   const char *contents);
/* Ends the archive and frees @tar; returns the .tgz bytes. */
GBytes    *dr_test_tar_finish     (DrTestTar  *tar);

/* The names of the fixture CRDs (../shared/fixtures/arc-crds-0.14.2/), sorted, or NULL and the
 * test skipped when the fixtures are absent. */
GStrv      dr_test_fixture_crd_names (void);
GBytes    *dr_test_fixture_crd       (const char *name);

/* ARC's controller chart as published: Chart.yaml (name gha-runner-scale-set-controller,
 * @version, appVersion @version), the four fixture CRDs in crds/, a template and values.yaml.
 * NULL, and the test skipped, when the fixtures are absent. */
GBytes    *dr_test_arc_chart_new  (const char *version);

G_END_DECLS
