/* dr-first-frame.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "dr-first-frame.h"

gboolean
dr_first_frame_requested (void)
{
  return g_getenv ("DR_BENCH_FIRST_FRAME") != NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                GApplication  *app)
{
  /* CLOCK_MONOTONIC is shared by every process, so the bench subtracts its own time of exec. */
  printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, app);
  g_application_quit (app);
}

static void
window_map_cb (GtkWidget    *window,
               GApplication *app)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, window_map_cb, app);
  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), app);
}

void
dr_first_frame_exit_after (GApplication *app,
                           GtkWindow    *window)
{
  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (GTK_IS_WINDOW (window));

  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    window_map_cb (GTK_WIDGET (window), app);
  else
    g_signal_connect (window, "map", G_CALLBACK (window_map_cb), app);
}
