/* dr-bench.h — the sections of the benchmark
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *deskrun;        /* the built GUI */
  const char *deskrunctl;
  const char *anchor;         /* dr-bench-anchor */
  const char *schema_dir;     /* the build tree's compiled GSettings schemas */
  const char *shared_dir;     /* ../shared, for kube-lab and ARC's CRDs; may not exist */
  guint       runs;           /* repetitions for medians */
} DrBench;

/* Writes DIR/deskrun/config.json with N_RUNNERS runners; CONTEXT (nullable) names a
 * kubeconfig context instead of the kind cluster. */
void dr_bench_write_config (const char *config_home,
                            guint       n_runners,
                            const char *context);

void dr_bench_startup      (const DrBench *bench);
void dr_bench_idle         (const DrBench *bench,
                            const char    *kubeconfig);
void dr_bench_kube         (const DrBench *bench,
                            char         **out_kubeconfig);
void dr_bench_kube_stop    (void);
void dr_bench_logs         (const DrBench *bench);
void dr_bench_github       (const DrBench *bench);

G_END_DECLS
