/* test-operation.c — DrOperation, the object every engine verb reports through
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-error.h"
#include "dr-operation.h"
#include "dr-test-utils.h"

static void
count_cb (gpointer  instance,
          gpointer  user_data)
{
  (*(guint *) user_data)++;
}

static void
log_cb (DrOperation *operation,
        const char  *line,
        GPtrArray   *lines)
{
  g_ptr_array_add (lines, g_strdup (line));
}

static void
test_success (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Applying “web”");
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  guint finished = 0;

  g_signal_connect (op, "log", G_CALLBACK (log_cb), lines);
  g_signal_connect (op, "finished", G_CALLBACK (count_cb), &finished);
  dr_operation_wait_async (op, NULL, dr_test_store_result_cb, &result);

  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_RUNNING);
  g_assert_cmpfloat (dr_operation_get_fraction (op), ==, -1.0);
  _dr_operation_set_step (op, "Creating the secret");
  _dr_operation_set_fraction (op, 0.5);
  _dr_operation_log (op, "secret/web-gha-rs-github-secret applied");
  g_assert_cmpstr (dr_operation_get_step (op), ==, "Creating the secret");
  g_assert_cmpfloat (dr_operation_get_fraction (op), ==, 0.5);
  g_assert_false (dr_operation_is_finished (op));

  _dr_operation_succeed (op);
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
  g_assert_cmpfloat (dr_operation_get_fraction (op), ==, 1.0);
  g_assert_cmpuint (finished, ==, 1);
  g_assert_null (dr_operation_get_error (op));

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dr_operation_wait_finish (op, result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (lines->len, ==, 2);
  log = dr_operation_dup_log (op);
  g_assert_cmpstr (log, ==, "Creating the secret\nsecret/web-gha-rs-github-secret applied\n");
}

static void
test_failure_is_kept (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Removing “web”");
  g_autoptr(GAsyncResult) early = NULL;
  g_autoptr(GAsyncResult) late = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  dr_operation_wait_async (op, NULL, dr_test_store_result_cb, &early);
  _dr_operation_fail (op, g_error_new_literal (DR_ERROR, DR_ERROR_FORBIDDEN, "no access"));
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_FAILED);
  g_assert_error ((GError *) dr_operation_get_error (op), DR_ERROR, DR_ERROR_FORBIDDEN);

  while (early == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (dr_operation_wait_finish (op, early, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Waiting after the end still tells what happened. */
  dr_operation_wait_async (op, NULL, dr_test_store_result_cb, &late);
  while (late == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (dr_operation_wait_finish (op, late, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_FORBIDDEN);

  /* The error is part of the log, so the operations view shows it after the end. */
  log = dr_operation_dup_log (op);
  g_assert_nonnull (strstr (log, "no access"));
}

static void
cancelled_cb (GCancellable *cancellable,
              DrOperation  *op)
{
  _dr_operation_fail (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
}

static void
test_cancel (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Creating the cluster");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_connect (_dr_operation_get_cancellable (op), G_CALLBACK (cancelled_cb), op, NULL);
  dr_operation_wait_async (op, NULL, dr_test_store_result_cb, &result);
  dr_operation_cancel (op);

  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_CANCELLED);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (dr_operation_wait_finish (op, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Cancelling a wait stops waiting, not the operation. */
static void
test_stop_waiting (void)
{
  g_autoptr(DrOperation) op = _dr_operation_new ("Installing the controller");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dr_operation_wait_async (op, cancellable, dr_test_store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  _dr_operation_succeed (op);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (dr_operation_wait_finish (op, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (dr_operation_get_state (op), ==, DR_OPERATION_SUCCEEDED);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/operation/success", test_success);
  g_test_add_func ("/deskrun/operation/failure-is-kept", test_failure_is_kept);
  g_test_add_func ("/deskrun/operation/cancel", test_cancel);
  g_test_add_func ("/deskrun/operation/stop-waiting", test_stop_waiting);

  return g_test_run ();
}
