/* test-operation-row.c — how a long operation looks while it runs and after it ended
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-error.h"
#include "dr-operation-row.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"

static void
cancelled_cb (GCancellable *cancellable,
              DrOperation  *operation)
{
  _dr_operation_fail (operation, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      "Cancelled"));
}

static GtkWindow *
show_rows (GtkWidget **rows,
           guint       n)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 12);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), rows[i]);
  gtk_window_set_child (window, list);
  gtk_window_set_default_size (window, 640, -1);
  gtk_window_present (window);
  dr_test_gtk_flush (GTK_WIDGET (window));
  return window;
}

static void
test_operation_rows (void)
{
  g_autoptr(DrOperation) running = _dr_operation_new ("Creating the cluster “deskrun”");
  g_autoptr(DrOperation) failed = _dr_operation_new ("Installing the controller");
  g_autoptr(DrOperation) done = _dr_operation_new ("Applying runner “web”");
  GtkWidget *rows[3];
  g_autofree char *output = NULL;
  GtkWindow *window;

  rows[0] = dr_operation_row_new (running);
  rows[1] = dr_operation_row_new (failed);
  rows[2] = dr_operation_row_new (done);
  window = show_rows (rows, G_N_ELEMENTS (rows));

  /* Output arrives line by line while the operation runs. */
  _dr_operation_set_step (running, "Ensuring node image (kindest/node:v1.36.1)");
  _dr_operation_log (running, " ✓ Ensuring node image (kindest/node:v1.36.1) 🖼");
  _dr_operation_set_step (done, "secret/web-gha-rs-github-secret applied");
  _dr_operation_set_fraction (done, 0.4);
  _dr_operation_succeed (done);
  _dr_operation_set_step (failed, "Waiting for the controller to become available");
  _dr_operation_fail (failed, g_error_new_literal (DR_ERROR, DR_ERROR_FAILED,
                                                   "The controller pod is still Pending: "
                                                   "ImagePullBackOff for ghcr.io/actions/"
                                                   "gha-runner-scale-set-controller:0.14.2."));
  dr_test_gtk_flush (GTK_WIDGET (window));

  output = _dr_operation_row_dup_output (DR_OPERATION_ROW (rows[0]));
  g_assert_nonnull (strstr (output, "Ensuring node image"));
  g_assert_nonnull (strstr (output, "✓"));
  dr_test_gtk_screenshots (window, "operations");

  /* The failure stays readable in the row after the end. */
  g_clear_pointer (&output, g_free);
  output = _dr_operation_row_dup_output (DR_OPERATION_ROW (rows[1]));
  g_assert_nonnull (strstr (output, "ImagePullBackOff"));

  /* Cancel, as a user presses it, ends the operation. */
  g_cancellable_connect (_dr_operation_get_cancellable (running), G_CALLBACK (cancelled_cb),
                         running, NULL);
  g_assert_true (gtk_widget_activate_action (rows[0], "operation.cancel", NULL));
  g_assert_cmpint (dr_operation_get_state (running), ==, DR_OPERATION_CANCELLED);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_gtk_init (&argc, &argv);

  g_test_add_func ("/deskrun/operation-row/rows", test_operation_rows);

  return g_test_run ();
}
