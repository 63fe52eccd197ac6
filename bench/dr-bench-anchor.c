/* dr-bench-anchor.c — the yardstick: an empty libadwaita window
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The smallest program a GNOME application starts from: an AdwApplication that registers on
 * the session bus and presents one empty AdwApplicationWindow of deskrun's default size.
 * Every figure in the benchmark table is deskrun's beside this one's, measured in the same run.
 * With DR_BENCH_FIRST_FRAME set it exits after its first frame (as deskrun does); without it
 * it stays open, for the idle measurements.
 */
#include "config.h"

#include <adwaita.h>

#include "dr-first-frame.h"

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  gtk_window_set_title (GTK_WINDOW (window), "Anchor");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                      adw_status_page_new ());
  if (dr_first_frame_requested ())
    dr_first_frame_exit_after (app, GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.deskrun.BenchAnchor",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
