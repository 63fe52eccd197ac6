/* dr-bench-startup.c — first frame, peak and idle memory, idle CPU, beside an empty window
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "dr-bench.h"
#include "dr-bench-util.h"

void
dr_bench_write_config (const char *config_home,
                       guint       n_runners,
                       const char *context)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (config_home, "deskrun", NULL);
  g_autofree char *path = g_build_filename (dir, "config.json", NULL);

  /* The on-disk format of docs (README "Configuration"): written here rather than through the
   * library, so that the bench measures exactly what a user's file makes deskrun do. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "cluster");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, context ? "context" : "kind");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, context ? context : "deskrun");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "runners");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_runners; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%02u", i + 1);
      g_autofree char *repo = g_strdup_printf ("https://github.com/deskrun-bench/repo-%02u", i + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "repository");
      json_builder_add_string_value (builder, repo);
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, i % 3 == 0 ? "dind" : "kubernetes");
      json_builder_set_member_name (builder, "min_runners");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "max_runners");
      json_builder_add_int_value (builder, 3);
      json_builder_set_member_name (builder, "instances");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "mounts");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "runner_group");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "labels");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "credential");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, "pat");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, name);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  g_mkdir_with_parents (dir, 0700);
  if (!json_generator_to_file (generator, path, &error))
    g_error ("bench: %s", error->message);
  g_chmod (path, 0600);
}

typedef struct
{
  GArray *frame_ms;
  GArray *rss_mib;
} Samples;

static void
samples_init (Samples *samples)
{
  samples->frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  samples->rss_mib = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
samples_clear (Samples *samples)
{
  g_clear_pointer (&samples->frame_ms, g_array_unref);
  g_clear_pointer (&samples->rss_mib, g_array_unref);
}

/* One start to the first frame, in a fresh home. */
static void
first_frame_once (const DrBench *bench,
                  const char    *program,
                  const char    *renderer,
                  guint          n_runners,
                  Samples       *samples)
{
  g_autofree char *home = dr_bench_make_home ();
  g_autofree char *config_home = g_build_filename (home, ".config", NULL);
  g_auto(GStrv) env = dr_bench_env ("DR_BENCH_FIRST_FRAME", "1",
                                    "GSK_RENDERER", renderer,
                                    "GSETTINGS_BACKEND", "memory",
                                    "GSETTINGS_SCHEMA_DIR", bench->schema_dir,
                                    "GTK_A11Y", "none",
                                    "NO_AT_BRIDGE", "1",
                                    NULL);
  const char *argv[] = { program, NULL };
  g_autoptr(GError) error = NULL;
  DrBenchRun run;
  gint64 stamp = 0;
  const char *line;

  env = dr_bench_home_env (env, home);
  if (n_runners > 0)
    dr_bench_write_config (config_home, n_runners, NULL);
  if (!dr_bench_run (argv, (const char * const *) env, 60, &run, &error))
    g_error ("bench: %s", error->message);
  line = run.out ? strstr (run.out, "first-frame ") : NULL;
  if (line != NULL)
    stamp = g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10);
  if (run.timed_out || stamp <= 0)
    dr_bench_say ("%s (%s) painted no first frame%s", program, renderer,
                  run.timed_out ? " within 60 s" : "");
  else
    {
      double ms = (stamp - run.started_us) / 1000.0;
      double mib = run.max_rss_kib / 1024.0;

      g_array_append_val (samples->frame_ms, ms);
      g_array_append_val (samples->rss_mib, mib);
    }
  dr_bench_run_clear (&run);
  dr_bench_rm_rf (home);
}

void
dr_bench_startup (const DrBench *bench)
{
  const char *renderers[] = { "cairo", "gl" };
  const guint configs[] = { 0, 20 };

  for (guint r = 0; r < G_N_ELEMENTS (renderers); r++)
    for (guint c = 0; c < G_N_ELEMENTS (configs); c++)
      {
        Samples deskrun, anchor;
        g_autofree char *figure = NULL;

        dr_bench_say ("first frame, %s renderer, %u runners: %u runs each",
                      renderers[r], configs[c], bench->runs);
        samples_init (&deskrun);
        samples_init (&anchor);
        /* Alternate the two programs so that a noisy moment hits both alike. */
        for (guint i = 0; i < bench->runs; i++)
          {
            first_frame_once (bench, bench->anchor, renderers[r], 0, &anchor);
            first_frame_once (bench, bench->deskrun, renderers[r], configs[c], &deskrun);
          }
        figure = g_strdup_printf ("exec → first frame, %s, %s (median of %u)", renderers[r],
                                  configs[c] ? "20 runners" : "empty config", bench->runs);
        dr_bench_table_add (figure, "ms", dr_bench_median (deskrun.frame_ms),
                            dr_bench_median (anchor.frame_ms), "empty window");
        g_free (figure);
        figure = g_strdup_printf ("peak RSS to first frame, %s, %s (median)", renderers[r],
                                  configs[c] ? "20 runners" : "empty config");
        dr_bench_table_add (figure, "MiB", dr_bench_median (deskrun.rss_mib),
                            dr_bench_median (anchor.rss_mib), "empty window");
        samples_clear (&deskrun);
        samples_clear (&anchor);
      }
}

typedef struct
{
  gint64 rss_kib;
  double cpu_s;
  gint64 switches;
} Idle;

static Idle
idle_once (const DrBench *bench,
           const char    *program,
           const char    *kubeconfig,
           guint          n_runners)
{
  g_autofree char *home = dr_bench_make_home ();
  g_autofree char *config_home = g_build_filename (home, ".config", NULL);
  g_auto(GStrv) env = dr_bench_env ("GSK_RENDERER", "cairo",
                                    "GSETTINGS_BACKEND", "memory",
                                    "GSETTINGS_SCHEMA_DIR", bench->schema_dir,
                                    "GTK_A11Y", "none",
                                    "NO_AT_BRIDGE", "1",
                                    NULL);
  const char *argv[] = { program, NULL };
  g_autoptr(GError) error = NULL;
  Idle idle = { -1, -1, -1 };
  double cpu_before;
  gint64 switches_before;
  GPid pid;

  env = dr_bench_home_env (env, home);
  if (kubeconfig != NULL)
    env = dr_bench_env_add (env, "KUBECONFIG", kubeconfig);
  if (n_runners > 0)
    dr_bench_write_config (config_home, n_runners, kubeconfig ? "kube-lab" : NULL);
  pid = dr_bench_spawn (argv, (const char * const *) env, &error);
  if (pid < 0)
    g_error ("bench: %s", error->message);

  /* Ten seconds to start, connect and settle; then thirty seconds of doing nothing. */
  g_usleep (10 * G_USEC_PER_SEC);
  idle.rss_kib = dr_bench_proc_rss_kib (pid);
  cpu_before = dr_bench_proc_cpu_s (pid);
  switches_before = dr_bench_proc_switches (pid);
  g_usleep (30 * G_USEC_PER_SEC);
  if (cpu_before >= 0)
    idle.cpu_s = dr_bench_proc_cpu_s (pid) - cpu_before;
  if (switches_before >= 0)
    idle.switches = dr_bench_proc_switches (pid) - switches_before;
  dr_bench_stop (pid);
  dr_bench_rm_rf (home);
  return idle;
}

void
dr_bench_idle (const DrBench *bench,
               const char    *kubeconfig)
{
  Idle deskrun, anchor;
  const char *where = kubeconfig ? "20 runners, connected to kube-lab" : "20 runners, no cluster";
  g_autofree char *figure = NULL;

  dr_bench_say ("idle: %s (40 s each)", where);
  anchor = idle_once (bench, bench->anchor, NULL, 0);
  deskrun = idle_once (bench, bench->deskrun, kubeconfig, 20);

  figure = g_strdup_printf ("RSS after 10 s, %s", where);
  dr_bench_table_add (figure, "MiB", deskrun.rss_kib / 1024.0, anchor.rss_kib / 1024.0,
                      "empty window");
  g_free (figure);
  figure = g_strdup_printf ("CPU time over 30 s idle, %s", where);
  dr_bench_table_add (figure, "ms", deskrun.cpu_s * 1000, anchor.cpu_s * 1000, "empty window");
  g_free (figure);
  figure = g_strdup_printf ("context switches over 30 s idle (wake-ups), %s", where);
  dr_bench_table_add (figure, "", deskrun.switches, anchor.switches, "empty window");
}
