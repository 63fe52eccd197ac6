/* dr-bench-logs.c — the log window fed as fast as a stream delivers, or at a steady rate
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by dr-bench against dr-bench-logd. Follows the pod log the way the window does (the
 * engine's stream, started, with timestamps) and shows it in deskrun's log window; with
 * --no-window it only reads the stream, which is the anchor: what the window itself costs.
 *   --mode burst   N lines as fast as they come: prints the lines per second until the window
 *                  has taken the last one (the main loop idle again).
 *   --mode steady  a rate for S seconds: prints the longest stall of the main loop, as seen by
 *                  a high-priority 10 ms timer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "dr-kube-client.h"
#include "dr-kube-log-stream.h"
#include "dr-log-window.h"

static char *url;
static char *mode = NULL;
static int expected = 200000;
static int seconds = 20;
static gboolean no_window;

static GMainLoop *loop;
static int n_lines;
static gint64 first_line_at;
static gint64 last_tick;
static gint64 max_stall;

static gboolean
caught_up_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed = (now - first_line_at) / (double) G_USEC_PER_SEC;

  printf ("lines %d\nseconds %.3f\nlines-per-second %.0f\n", n_lines, elapsed,
          n_lines / MAX (elapsed, 1e-6));
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
line_cb (gpointer    stream,
         const char *line)
{
  if (n_lines++ == 0)
    first_line_at = g_get_monotonic_time ();
  if (g_strcmp0 (mode, "burst") == 0 && n_lines == expected)
    g_idle_add_full (G_PRIORITY_LOW, caught_up_cb, NULL, NULL);
}

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick > 0 && first_line_at > 0)
    max_stall = MAX (max_stall, now - last_tick - 10000);
  last_tick = now;
  if (first_line_at > 0 && now - first_line_at > (gint64) seconds * G_USEC_PER_SEC)
    {
      printf ("lines %d\nmax-stall-ms %.1f\n", n_lines, MAX (max_stall, 0) / 1000.0);
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the log window under load");
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrKubeLogStream) stream = NULL;
  DrKubeContext kube = { 0, };
  DrKubeLogOptions options = { .follow = TRUE, .timestamps = TRUE };
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The log server", "URL" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "burst or steady", "MODE" },
    { "lines", 0, 0, G_OPTION_ARG_INT, &expected, "Lines a burst has", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "How long a steady run is", "S" },
    { "no-window", 0, 0, G_OPTION_ARG_NONE, &no_window, "Only read the stream", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || url == NULL || mode == NULL)
    {
      fprintf (stderr, "dr-bench-logs: %s\n", error ? error->message : "--url and --mode");
      return 2;
    }

  kube.context_name = (char *) "bench";
  kube.server = url;
  client = dr_kube_client_new (&kube, &error);
  if (client == NULL)
    {
      fprintf (stderr, "dr-bench-logs: %s\n", error->message);
      return 1;
    }
  stream = dr_kube_log_stream_new (client, "arc-runners", "bench", &options);
  loop = g_main_loop_new (NULL, FALSE);

  if (!no_window)
    {
      DrLogWindow *window;

      adw_init ();
      window = dr_log_window_new (NULL, "bench", stream);
      gtk_window_present (GTK_WINDOW (window));
    }
  /* After the window's own handler: a line counted here has been handed to the window. */
  g_signal_connect (stream, "line", G_CALLBACK (line_cb), NULL);
  if (g_strcmp0 (mode, "steady") == 0)
    g_timeout_add_full (G_PRIORITY_HIGH, 10, tick_cb, NULL, NULL);
  dr_kube_log_stream_start (stream);
  g_main_loop_run (loop);
  dr_kube_log_stream_stop (stream);
  return EXIT_SUCCESS;
}
