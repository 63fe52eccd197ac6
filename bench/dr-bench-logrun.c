/* dr-bench-logrun.c — the log rows: a burst and a steady stream into the log window
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>

#include "dr-bench.h"
#include "dr-bench-util.h"

/* The bench's helpers sit beside it in the build tree. */
static char *
beside_me (const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : g_strdup (".");

  return g_build_filename (dir, name, NULL);
}

static double
value_of (const char *out,
          const char *key)
{
  g_autofree char *prefix = g_strconcat (key, " ", NULL);
  const char *at = out ? strstr (out, prefix) : NULL;

  return at ? g_ascii_strtod (at + strlen (prefix), NULL) : -1;
}

/* Starts the log server with ARGS and returns its URL (and its pid). */
static char *
start_logd (const char * const *args,
            GPid               *out_pid)
{
  g_autofree char *logd = beside_me ("dr-bench-logd");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  char *url;

  g_ptr_array_add (argv, logd);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  child = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error);
  if (child == NULL)
    g_error ("bench: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (url == NULL)
    g_error ("bench: dr-bench-logd said nothing");
  *out_pid = atoi (g_subprocess_get_identifier (child));
  return url;
}

/* One run of dr-bench-logs; returns its output and peak RSS. */
static char *
logs_once (const DrBench *bench,
           const char    *url,
           const char    *mode,
           gboolean       window,
           gint64        *out_rss_kib)
{
  g_autofree char *program = beside_me ("dr-bench-logs");
  g_autofree char *home = dr_bench_make_home ();
  g_auto(GStrv) env = dr_bench_env ("GSK_RENDERER", "cairo", "GSETTINGS_BACKEND", "memory",
                                    "GSETTINGS_SCHEMA_DIR", bench->schema_dir,
                                    "GTK_A11Y", "none", "NO_AT_BRIDGE", "1", NULL);
  const char *argv[] = { program, "--url", url, "--mode", mode,
                         window ? NULL : "--no-window", NULL };
  g_autoptr(GError) error = NULL;
  DrBenchRun run;
  char *out;

  env = dr_bench_home_env (env, home);
  if (!dr_bench_run (argv, (const char * const *) env, 180, &run, &error))
    g_error ("bench: %s", error->message);
  if (run.timed_out || !WIFEXITED (run.exit_status) || WEXITSTATUS (run.exit_status) != 0)
    dr_bench_say ("dr-bench-logs %s%s did not finish cleanly", mode, window ? "" : " --no-window");
  *out_rss_kib = run.max_rss_kib;
  out = g_steal_pointer (&run.out);
  dr_bench_run_clear (&run);
  dr_bench_rm_rf (home);
  return out;
}

void
dr_bench_logs (const DrBench *bench)
{
  const char *burst_args[] = { "--lines", "200000", NULL };
  const char *steady_args[] = { "--rate", "5000", "--seconds", "25", NULL };
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) anchor_rates = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 rss = 0, anchor_rss = 0, steady_rss = 0, steady_anchor_rss = 0;
  g_autofree char *url = NULL;
  g_autofree char *steady = NULL;
  g_autofree char *steady_anchor = NULL;
  guint runs = MAX (bench->runs / 2, 1);
  GPid logd;

  dr_bench_say ("logs: 200,000 lines at full speed, %u runs each", runs);
  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *out = NULL;
      double value;

      /* A fresh server each run, so every run reads the whole burst from its start. */
      url = start_logd (burst_args, &logd);
      out = logs_once (bench, url, "burst", FALSE, &anchor_rss);
      if ((value = value_of (out, "lines-per-second")) > 0)
        g_array_append_val (anchor_rates, value);
      g_free (out);
      out = logs_once (bench, url, "burst", TRUE, &rss);
      if ((value = value_of (out, "lines-per-second")) > 0)
        g_array_append_val (rates, value);
      dr_bench_stop (logd);
      g_clear_pointer (&url, g_free);
    }

  dr_bench_say ("logs: 5,000 lines/s for 20 s");
  url = start_logd (steady_args, &logd);
  steady_anchor = logs_once (bench, url, "steady", FALSE, &steady_anchor_rss);
  dr_bench_stop (logd);
  g_clear_pointer (&url, g_free);
  url = start_logd (steady_args, &logd);
  steady = logs_once (bench, url, "steady", TRUE, &steady_rss);
  dr_bench_stop (logd);

  dr_bench_table_add ("log window: 200,000 lines as fast as they come (median)", "lines/s",
                      dr_bench_median (rates), dr_bench_median (anchor_rates),
                      "the stream alone");
  dr_bench_table_add ("the same: peak RSS of the whole process (20,000-line cap)", "MiB",
                      rss / 1024.0, anchor_rss / 1024.0, "the stream alone");
  dr_bench_table_add ("log window at 5,000 lines/s for 20 s: longest main-loop stall", "ms",
                      value_of (steady, "max-stall-ms"), value_of (steady_anchor, "max-stall-ms"),
                      "the stream alone");
  dr_bench_table_add ("the same: peak RSS", "MiB", steady_rss / 1024.0,
                      steady_anchor_rss / 1024.0, "the stream alone");
}

void
dr_bench_github (const DrBench *bench)
{
  g_autofree char *program = beside_me ("dr-bench-github-live");
  g_autofree char *schedule = beside_me ("dr-bench-github");
  const char *argv[] = { program, NULL };
  const char *schedule_argv[] = { schedule, NULL };
  g_autoptr(GError) error = NULL;
  DrBenchRun run;

  dr_bench_say ("GitHub: 90 s idle, then 60 s following a run (3 repositories)");
  if (!dr_bench_run (argv, NULL, 400, &run, &error))
    g_error ("bench: %s", error->message);
  if (run.timed_out || !WIFEXITED (run.exit_status) || WEXITSTATUS (run.exit_status) != 0)
    dr_bench_say ("dr-bench-github did not finish cleanly");
  dr_bench_table_add ("GitHub requests per minute per repository, idle", "",
                      value_of (run.out, "idle-per-minute-per-repo"), 2,
                      "issue 8's budget");
  dr_bench_table_add ("… of which 304 Not Modified (free on the rate limit)", "",
                      value_of (run.out, "idle-304-per-minute-per-repo"), -1, NULL);
  /* gh run watch refreshes every 3 s by default and reads the run and its jobs each time. */
  dr_bench_table_add ("GitHub requests per minute while following a dispatched run", "",
                      value_of (run.out, "follow-per-minute"), 40,
                      "gh run watch (run + jobs every 3 s, computed)");
  dr_bench_table_add ("… of which 304 Not Modified", "",
                      value_of (run.out, "follow-304-per-minute"), -1, NULL);
  dr_bench_table_add ("… and per minute for each other repository meanwhile", "",
                      value_of (run.out, "others-per-minute-per-repo"), -1, NULL);
  dr_bench_run_clear (&run);

  /* The same budget over ten simulated minutes: one poll's cost times the engine's schedule. */
  if (dr_bench_run (schedule_argv, NULL, 120, &run, &error))
    {
      dr_bench_table_note ("%s", g_strstrip (run.out));
      dr_bench_run_clear (&run);
    }
}
