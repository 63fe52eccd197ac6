/* dr-chart-archive.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a Helm chart archive (.tgz) in memory: Chart.yaml's name and versions and the CRD
 * documents of the chart's crds/ folder, which deskrun uploads as they are (FACTS.md §3).
 * Nothing is ever written to disk, other members are skipped, and members are size-capped, so a
 * hostile archive can neither escape a directory nor exhaust memory.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Caps on what is kept in memory; the largest ARC CRD is about 1.2 MB. */
#define DR_CHART_MEMBER_MAX (16 * 1024 * 1024)
#define DR_CHART_TOTAL_MAX  (64 * 1024 * 1024)

typedef struct
{
  char   *file_name;  /* base name, e.g. "actions.github.com_autoscalingrunnersets.yaml" */
  GBytes *contents;   /* the member's bytes, unchanged */
} DrChartFile;

typedef struct
{
  char      *name;         /* from Chart.yaml */
  char      *version;
  char      *app_version;  /* NULL when Chart.yaml has none */
  GPtrArray *crds;         /* element-type DrChartFile: CHART/crds/ *.yaml, sorted by file name */
} DrChart;

void     dr_chart_free              (DrChart       *chart);

/* Reads the archive at @path on the calling thread. DR_ERROR_INVALID when it is not a chart
 * (not gzip, not tar, truncated, no Chart.yaml, a member over the caps). */
DrChart *dr_chart_archive_read      (const char    *path,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* The same in a worker thread: decompression is CPU work. */
void     dr_chart_archive_read_async  (const char           *path,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
DrChart *dr_chart_archive_read_finish (GAsyncResult         *result,
                                       GError              **error);

/* Checks that @chart is ARC's controller chart with at least one CRD; @source names the file
 * in messages. A version other than DR_ARC_VERSION is allowed, but *@warning (when not NULL)
 * then receives a sentence for the user; otherwise it is set to NULL. */
gboolean dr_chart_check             (const DrChart  *chart,
                                     const char     *source,
                                     char          **warning,
                                     GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrChart, dr_chart_free)

G_END_DECLS
