/* dr-oci-chart.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ARC's controller chart, pinned to DR_ARC_VERSION: pulled anonymously from its OCI registry
 * (FACTS.md §3.1) into $XDG_CACHE_HOME/deskrun/charts/, verified against the manifest's
 * sha256 digest, and reused from there without network while it still matches; or taken from
 * a local .tgz (deskrunctl --chart FILE) on machines without internet.
 */
#pragma once

#include <gio/gio.h>

#include "dr-chart-archive.h"
#include "dr-versions.h"

G_BEGIN_DECLS

#define DR_OCI_CHART_DEFAULT_REGISTRY_URL "https://" DR_ARC_CHART_REGISTRY

/* Bytes of the chart received so far; @total is the expected size (Content-Length, else the
 * manifest's), never 0. Called on the thread-default main context of the _async call. */
typedef void (*DrChartProgressFunc) (goffset  received,
                                     goffset  total,
                                     gpointer user_data);

#define DR_TYPE_OCI_CHART (dr_oci_chart_get_type ())
G_DECLARE_FINAL_TYPE (DrOciChart, dr_oci_chart, DR, OCI_CHART, GObject)

DrOciChart *dr_oci_chart_new                (void);

/* "registry-url": where to pull from, DR_OCI_CHART_DEFAULT_REGISTRY_URL by default; a mirror
 * such as "https://mirror.example:5000" (a bare host means https). */
const char *dr_oci_chart_get_registry_url   (DrOciChart  *self);
void        dr_oci_chart_set_registry_url   (DrOciChart  *self,
                                             const char  *registry_url);
/* "repository": DR_ARC_CHART_REPOSITORY by default; a mirror may nest it under a prefix. */
const char *dr_oci_chart_get_repository     (DrOciChart  *self);
void        dr_oci_chart_set_repository     (DrOciChart  *self,
                                             const char  *repository);
/* "local-file": a chart .tgz to use instead of the registry; NULL (the default) pulls. */
const char *dr_oci_chart_get_local_file     (DrOciChart  *self);
void        dr_oci_chart_set_local_file     (DrOciChart  *self,
                                             const char  *path);

/* $XDG_CACHE_HOME/deskrun/charts/gha-runner-scale-set-controller-DR_ARC_VERSION.tgz; its
 * digest ("sha256:…") sits beside it in the same name + ".sha256". */
char       *dr_oci_chart_dup_cache_path     (DrOciChart  *self);

/* Makes sure the pinned chart is in the cache and returns its path. A cached file that matches
 * its recorded digest is used without network; otherwise token, manifest and blob are fetched,
 * the download is checked against the manifest digest and renamed into place. Errors: G_IO_ERROR
 * for cancellation and the network (the message names the registry), DR_ERROR for what the
 * registry answered or a digest mismatch. @progress may be NULL. */
void        dr_oci_chart_pull_async         (DrOciChart           *self,
                                             DrChartProgressFunc   progress,
                                             gpointer              progress_data,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
char       *dr_oci_chart_pull_finish        (DrOciChart           *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* The chart the controller install needs: the local file when "local-file" is set (no network),
 * else the pulled one; read in a worker thread and checked with dr_chart_check(). *@warning
 * (may be NULL) receives a sentence to show when the chart's version is not DR_ARC_VERSION. */
void        dr_oci_chart_load_async         (DrOciChart           *self,
                                             DrChartProgressFunc   progress,
                                             gpointer              progress_data,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
DrChart    *dr_oci_chart_load_finish        (DrOciChart           *self,
                                             GAsyncResult         *result,
                                             char                **warning,
                                             GError              **error);

G_END_DECLS
