/* dr-bench-util.h — processes, statistics and the table of the benchmarks
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One finished child: its wall time, the peak of its resident memory and what it printed. */
typedef struct
{
  gint64   started_us;    /* g_get_monotonic_time () just before exec */
  gint64   ended_us;      /* when wait4 returned */
  gint64   max_rss_kib;   /* getrusage's ru_maxrss */
  int      exit_status;   /* waitpid status */
  gboolean timed_out;
  char    *out;           /* standard output */
} DrBenchRun;

void      dr_bench_run_clear      (DrBenchRun          *run);
/* Runs ARGV with ENVP (NULL: inherit) to its end, killing it after TIMEOUT_S seconds. */
gboolean  dr_bench_run            (const char * const  *argv,
                                   const char * const  *envp,
                                   double               timeout_s,
                                   DrBenchRun          *out_run,
                                   GError             **error);
/* Starts ARGV in the background; the caller stops it with dr_bench_stop (). */
GPid      dr_bench_spawn          (const char * const  *argv,
                                   const char * const  *envp,
                                   GError             **error);
void      dr_bench_stop           (GPid                 pid);

/* /proc readings of a running process. */
gint64    dr_bench_proc_rss_kib   (GPid                 pid);
double    dr_bench_proc_cpu_s     (GPid                 pid);
gint64    dr_bench_proc_switches  (GPid                 pid);

/* An environment: the current one with NAME=VALUE pairs (NULL-terminated) set or replaced. */
GStrv     dr_bench_env            (const char          *first_name,
                                   ...) G_GNUC_NULL_TERMINATED;
GStrv     dr_bench_env_add        (GStrv                env,
                                   const char          *name,
                                   const char          *value);
/* A fresh HOME with XDG directories below it, removed by dr_bench_rm_rf (). */
char     *dr_bench_make_home      (void);
void      dr_bench_rm_rf          (const char          *path);
GStrv     dr_bench_home_env       (GStrv                env,
                                   const char          *home);

double    dr_bench_median         (GArray              *values);   /* of double */
double    dr_bench_max            (GArray              *values);

/* The one table every section adds rows to. A value < 0 is printed as "–". */
void      dr_bench_table_add      (const char          *figure,
                                   const char          *unit,
                                   double               deskrun,
                                   double               anchor,
                                   const char          *anchor_name);
void      dr_bench_table_note     (const char          *format,
                                   ...) G_GNUC_PRINTF (1, 2);
void      dr_bench_table_print    (void);

/* Progress for the person waiting, on standard error. */
void      dr_bench_say            (const char          *format,
                                   ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
