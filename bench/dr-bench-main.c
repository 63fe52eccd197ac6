/* dr-bench-main.c — `build-aux/dev bench`: every figure beside its anchor, in one table
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A program, not a test: it asserts nothing about speed. It prints one Markdown table whose
 * rows put a deskrun figure beside the same figure of its anchor (an empty libadwaita window,
 * kubectl, a bare HTTP GET), measured in the same run on the same machine, with the ratio.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <gio/gio.h>

#include "dr-bench.h"
#include "dr-bench-util.h"

static char *
machine_name (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  struct utsname uts;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      const char *line = strstr (cpuinfo, "model name");
      const char *colon = line ? strchr (line, ':') : NULL;

      if (colon != NULL)
        model = g_strndup (colon + 2, strcspn (colon + 2, "\n"));
    }
  uname (&uts);
  return g_strdup_printf ("%s, %u cores, Linux %s", model ? model : "unknown CPU",
                          g_get_num_processors (), uts.release);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sections = NULL;
  g_autofree char *machine = NULL;
  g_autofree char *kubeconfig = NULL;
  int runs = 7;
  DrBench bench = { 0, };
  g_auto(GStrv) wanted = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Repetitions for each median (default 7)", "N" },
    { "sections", 's', 0, G_OPTION_ARG_STRING, &sections,
      "Comma-separated: startup,idle,kube,logs,github (default all)", "LIST" },
    { NULL }
  };

  context = g_option_context_new ("— deskrun's benchmarks, beside their anchors");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "dr-bench: %s\n", error->message);
      return 2;
    }

  bench.deskrun = g_getenv ("DR_BENCH_DESKRUN");
  bench.deskrunctl = g_getenv ("DR_BENCH_DESKRUNCTL");
  bench.anchor = g_getenv ("DR_BENCH_ANCHOR");
  bench.schema_dir = g_getenv ("DR_BENCH_SCHEMA_DIR");
  bench.shared_dir = g_getenv ("DR_SHARED_DIR");
  bench.runs = MAX (runs, 1);
  if (!bench.deskrun || !bench.deskrunctl || !bench.anchor || !bench.schema_dir)
    {
      fprintf (stderr, "dr-bench: run it with build-aux/dev bench (it sets DR_BENCH_*)\n");
      return 2;
    }
  wanted = g_strsplit (sections ? sections : "startup,idle,kube,logs,github", ",", 0);

  machine = machine_name ();
  printf ("deskrun %s benchmarks on %s\n", PACKAGE_VERSION, machine);
  fflush (stdout);

  if (g_strv_contains ((const char * const *) wanted, "startup"))
    dr_bench_startup (&bench);
  if (g_strv_contains ((const char * const *) wanted, "kube"))
    dr_bench_kube (&bench, &kubeconfig);
  if (g_strv_contains ((const char * const *) wanted, "idle"))
    {
      dr_bench_idle (&bench, NULL);
      if (kubeconfig != NULL)
        dr_bench_idle (&bench, kubeconfig);
    }
  dr_bench_kube_stop ();
  if (g_strv_contains ((const char * const *) wanted, "logs"))
    dr_bench_logs (&bench);
  if (g_strv_contains ((const char * const *) wanted, "github"))
    dr_bench_github (&bench);

  dr_bench_table_print ();
  return EXIT_SUCCESS;
}
