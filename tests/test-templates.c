/* test-templates.c — every .ui file builds without a warning
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gtk4-builder-tool cannot check libadwaita templates, so a typo in a property or type name
 * would only show up at run time. Instantiating each one under fatal warnings catches it.
 */
#include "config.h"

#include "dr-add-runner-window.h"
#include "dr-cluster-page.h"
#include "dr-cluster-row.h"
#include "dr-job-private.h"
#include "dr-job-row.h"
#include "dr-log-window.h"
#include "dr-operation-row.h"
#include "dr-operations-button.h"
#include "dr-preferences-window.h"
#include "dr-remove-dialog.h"
#include "dr-run-workflow-window.h"
#include "dr-runner-jobs.h"
#include "dr-runner-page.h"
#include "dr-runner-row.h"
#include "dr-scale-dialog.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"
#include "dr-ui-resources.h"
#include "dr-window.h"

static void
test_window (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  DrWindow *window = dr_window_new (NULL, engine);

  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_flush (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_add_runner_window (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  DrAddRunnerWindow *add = dr_add_runner_window_new (NULL, engine);

  gtk_window_present (GTK_WINDOW (add));
  dr_test_gtk_flush (GTK_WIDGET (add));
  gtk_window_destroy (GTK_WINDOW (add));
}

static void
test_runner_page (void)
{
  GtkWidget *page = g_object_ref_sink (g_object_new (DR_TYPE_RUNNER_PAGE, NULL));

  g_assert_null (dr_runner_page_get_runner (DR_RUNNER_PAGE (page)));
  g_assert_finalize_object (page);
}

static void
test_operation_row (void)
{
  g_autoptr(DrOperation) operation = _dr_operation_new ("Test");
  GtkWidget *row = g_object_ref_sink (dr_operation_row_new (operation));

  _dr_operation_succeed (operation);
  g_assert_finalize_object (row);
}

static void
test_operations_button (void)
{
  g_autoptr(GListStore) operations = g_list_store_new (DR_TYPE_OPERATION);
  g_autoptr(DrOperation) operation = _dr_operation_new ("Test");
  GtkWidget *button = g_object_ref_sink (g_object_new (DR_TYPE_OPERATIONS_BUTTON, NULL));

  /* Hidden until there is an operation; counts the ones still running. */
  g_assert_false (gtk_widget_get_visible (button));
  dr_operations_button_set_model (DR_OPERATIONS_BUTTON (button), G_LIST_MODEL (operations));
  g_list_store_append (operations, operation);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpuint (dr_operations_button_get_n_running (DR_OPERATIONS_BUTTON (button)), ==, 1);
  _dr_operation_succeed (operation);
  g_assert_cmpuint (dr_operations_button_get_n_running (DR_OPERATIONS_BUTTON (button)), ==, 0);
  dr_operations_button_set_model (DR_OPERATIONS_BUTTON (button), NULL);
  g_assert_finalize_object (button);
}

static void
test_cluster_page (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  GtkWidget *page = g_object_ref_sink (g_object_new (DR_TYPE_CLUSTER_PAGE, NULL));

  dr_engine_load (engine);
  dr_cluster_page_set_engine (DR_CLUSTER_PAGE (page), engine);
  g_assert_finalize_object (page);
}

static void
test_runner_row (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrRunner) runner = NULL;
  GtkWidget *row;

  g_free (spec->name);
  spec->name = g_strdup ("build");
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  runner = dr_runner_new (spec);
  row = g_object_ref_sink (dr_runner_row_new (runner));

  /* The sidebar reads "owner/repo" for github.com. */
  g_assert_true (dr_runner_row_get_runner (DR_RUNNER_ROW (row)) == runner);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "build");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "octo/hello");
  g_assert_finalize_object (row);
}

static void
test_cluster_row (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  GtkWidget *row = g_object_ref_sink (g_object_new (DR_TYPE_CLUSTER_ROW, NULL));
  DrCluster *cluster;
  const char *css = NULL;

  dr_engine_load (engine);
  cluster = dr_engine_get_cluster (engine);
  dr_cluster_row_set_cluster (DR_CLUSTER_ROW (row), cluster);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   dr_cluster_get_name (cluster));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   dr_cluster_state_describe (dr_cluster_get_state (cluster), &css));
  g_assert_nonnull (css);
  dr_cluster_row_set_cluster (DR_CLUSTER_ROW (row), NULL);
  g_assert_finalize_object (row);
}

static void
test_scale_dialog (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  DrScaleDialog *dialog;

  g_free (spec->name);
  spec->name = g_strdup ("build");
  spec->min_runners = 1;
  spec->max_runners = 4;
  dialog = dr_scale_dialog_new (NULL, spec);
  g_assert_cmpuint (dr_scale_dialog_get_min_runners (dialog), ==, 1);
  g_assert_cmpuint (dr_scale_dialog_get_max_runners (dialog), ==, 4);
  g_assert_cmpstr (dr_scale_dialog_get_runner_name (dialog), ==, "build");
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "scale"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "cancel"));

  gtk_window_present (GTK_WINDOW (dialog));
  dr_test_gtk_flush (GTK_WIDGET (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_remove_dialog (void)
{
  DrRemoveDialog *ask = dr_remove_dialog_new (NULL, "build", NULL);
  DrRemoveDialog *stuck = dr_remove_dialog_new (NULL, "build", "The finalizer is still there.");

  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (ask), "remove"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (ask), "force"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (stuck), "force"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (stuck), "remove"));
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (stuck)), ==,
                   "The finalizer is still there.");

  gtk_window_present (GTK_WINDOW (ask));
  gtk_window_present (GTK_WINDOW (stuck));
  dr_test_gtk_flush (GTK_WIDGET (ask));
  dr_test_gtk_flush (GTK_WIDGET (stuck));
  gtk_window_destroy (GTK_WINDOW (ask));
  gtk_window_destroy (GTK_WINDOW (stuck));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The response button labelled @label, found as a user finds it: on screen. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A click closes an AdwMessageDialog before it emits ::response: the answer must still be
 * the button's, not the close response. */
static void
test_remove_dialog_click (void)
{
  static const struct { const char *stuck; const char *label; DrRemoveAnswer answer; } cases[] = {
    { NULL, "_Remove", DR_REMOVE_ANSWER_REMOVE },
    { "stuck", "_Force Removal", DR_REMOVE_ANSWER_FORCE },
    { NULL, "_Cancel", DR_REMOVE_ANSWER_CANCEL },
    { "stuck", "_Keep Waiting", DR_REMOVE_ANSWER_CANCEL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DrRemoveDialog *dialog = g_object_ref (dr_remove_dialog_new (NULL, "build", cases[i].stuck));
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      GtkWidget *button;

      _dr_remove_dialog_run_async (dialog, NULL, store_result_cb, &result);
      dr_test_gtk_flush (GTK_WIDGET (dialog));
      button = find_button (GTK_WIDGET (dialog), cases[i].label);
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (_dr_remove_dialog_run_finish (dialog, result, &error), ==,
                       cases[i].answer);
      if (cases[i].answer == DR_REMOVE_ANSWER_CANCEL)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      else
        g_assert_no_error (error);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
      g_clear_object (&result);
      g_assert_finalize_object (dialog);
    }
}

static DrRemoveAnswer
run_remove_dialog (const char *stuck_message,
                   const char *response,
                   gboolean    destroy_unanswered,
                   GError    **error)
{
  DrRemoveDialog *dialog = g_object_ref (dr_remove_dialog_new (NULL, "build", stuck_message));
  g_autoptr(GAsyncResult) result = NULL;
  DrRemoveAnswer answer;

  _dr_remove_dialog_run_async (dialog, NULL, store_result_cb, &result);
  dr_test_gtk_flush (GTK_WIDGET (dialog));
  g_assert_null (result);
  if (response != NULL)
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  if (destroy_unanswered || response != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  answer = _dr_remove_dialog_run_finish (dialog, result, error);
  g_clear_object (&result);
  g_assert_finalize_object (dialog);
  return answer;
}

/* Every way out of the dialog answers the task exactly once, and the dialog then goes away. */
static void
test_remove_dialog_answers (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_remove_dialog (NULL, "remove", FALSE, &error), ==, DR_REMOVE_ANSWER_REMOVE);
  g_assert_no_error (error);
  g_assert_cmpint (run_remove_dialog ("stuck", "force", FALSE, &error), ==,
                   DR_REMOVE_ANSWER_FORCE);
  g_assert_no_error (error);
  g_assert_cmpint (run_remove_dialog (NULL, "cancel", FALSE, &error), ==,
                   DR_REMOVE_ANSWER_CANCEL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  /* Closed with the main window, never answered. */
  g_assert_cmpint (run_remove_dialog (NULL, NULL, TRUE, &error), ==, DR_REMOVE_ANSWER_CANCEL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
record_response_cb (DrScaleDialog *dialog,
                    const char    *response,
                    GString       *record)
{
  g_string_append_printf (record, "%s %u-%u", response,
                          dr_scale_dialog_get_min_runners (dialog),
                          dr_scale_dialog_get_max_runners (dialog));
}

/* A click on Scale closes the dialog first; the numbers must still be there to read. */
static void
test_scale_dialog_click (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(GString) record = g_string_new (NULL);
  DrScaleDialog *dialog;

  g_free (spec->name);
  spec->name = g_strdup ("build");
  dialog = g_object_ref (dr_scale_dialog_new (NULL, spec));
  g_signal_connect (dialog, "response", G_CALLBACK (record_response_cb), record);
  gtk_window_present (GTK_WINDOW (dialog));
  dr_test_gtk_flush (GTK_WIDGET (dialog));

  dr_scale_dialog_set_min_runners (dialog, 2);
  dr_scale_dialog_set_max_runners (dialog, 7);
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "_Scale"), "clicked");
  g_assert_cmpstr (record->str, ==, "scale 2-7");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_finalize_object (dialog);
}

/* The caller's cancellable closes the dialog and answers Cancel. */
static void
test_remove_dialog_cancellable (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  DrRemoveDialog *dialog = g_object_ref (dr_remove_dialog_new (NULL, "build", NULL));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  _dr_remove_dialog_run_async (dialog, cancellable, store_result_cb, &result);
  dr_test_gtk_flush (GTK_WIDGET (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (_dr_remove_dialog_run_finish (dialog, result, &error), ==,
                   DR_REMOVE_ANSWER_CANCEL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_clear_object (&result);
  g_assert_finalize_object (dialog);
}

/* A stream that is never started: the window only has to build around it. */
static void
test_log_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  g_autoptr(DrKubeLogStream) stream = NULL;
  DrKubeContext context = { 0, };
  DrLogWindow *window;

  context.context_name = (char *) "test";
  context.server = (char *) "http://127.0.0.1:9";
  client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);
  stream = dr_kube_log_stream_new (client, "ci", "runner-0", NULL);
  window = dr_log_window_new (NULL, "runner-0", stream);

  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_flush (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *overlay;

  dr_ui_ensure_resources ();
  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gtk/help-overlay.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_job_row (void)
{
  g_autoptr(DrJob) job = _dr_job_new (7);
  GtkWidget *row = g_object_ref_sink (dr_job_row_new (job));

  g_assert_true (dr_job_row_get_job (DR_JOB_ROW (row)) == job);
  g_assert_finalize_object (row);
}

static void
test_runner_jobs (void)
{
  GtkWidget *jobs = g_object_ref_sink (g_object_new (DR_TYPE_RUNNER_JOBS, NULL));

  g_assert_finalize_object (jobs);
}

static void
test_run_workflow_window (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(DrRunner) runner = NULL;
  DrRunWorkflowWindow *window;

  spec->name = g_strdup ("web");
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  runner = dr_runner_new (spec);
  window = dr_run_workflow_window_new (NULL, NULL, runner);
  gtk_window_present (GTK_WINDOW (window));
  dr_test_gtk_flush (GTK_WIDGET (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences_window (void)
{
  g_autoptr(DrEngine) engine = dr_engine_new (NULL, NULL);
  DrPreferencesWindow *preferences = dr_preferences_window_new (NULL, engine, NULL);

  gtk_window_present (GTK_WINDOW (preferences));
  dr_test_gtk_flush (GTK_WIDGET (preferences));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* Every .ui in the resource is covered by a case above: a new template needs a new case. */
static void
test_all_covered (void)
{
  static const char *covered[] = { "dr-window.ui", "dr-add-runner-window.ui", "dr-runner-page.ui",
                                   "dr-operation-row.ui", "dr-cluster-page.ui",
                                   "dr-log-window.ui", "dr-runner-row.ui",
                                   "dr-cluster-row.ui", "dr-scale-dialog.ui",
                                   "dr-remove-dialog.ui", "dr-operations-button.ui",
                                   "dr-job-row.ui", "dr-runner-jobs.ui",
                                   "dr-run-workflow-window.ui",
                                   "dr-preferences-window.ui", NULL };
  g_auto(GStrv) files = NULL;
  g_autoptr(GError) error = NULL;

  dr_ui_ensure_resources ();
  files = g_resources_enumerate_children (RESOURCE_BASE "/ui/", 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; files[i] != NULL; i++)
    if (g_str_has_suffix (files[i], ".ui") && !g_strv_contains (covered, files[i]))
      g_error ("%s has no test case here", files[i]);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_gtk_init (&argc, &argv);

  g_test_add_func ("/deskrun/templates/window", test_window);
  g_test_add_func ("/deskrun/templates/add-runner-window", test_add_runner_window);
  g_test_add_func ("/deskrun/templates/runner-page", test_runner_page);
  g_test_add_func ("/deskrun/templates/operation-row", test_operation_row);
  g_test_add_func ("/deskrun/templates/operations-button", test_operations_button);
  g_test_add_func ("/deskrun/templates/cluster-page", test_cluster_page);
  g_test_add_func ("/deskrun/templates/runner-row", test_runner_row);
  g_test_add_func ("/deskrun/templates/cluster-row", test_cluster_row);
  g_test_add_func ("/deskrun/templates/scale-dialog", test_scale_dialog);
  g_test_add_func ("/deskrun/templates/scale-dialog-click", test_scale_dialog_click);
  g_test_add_func ("/deskrun/templates/remove-dialog", test_remove_dialog);
  g_test_add_func ("/deskrun/templates/remove-dialog-answers", test_remove_dialog_answers);
  g_test_add_func ("/deskrun/templates/remove-dialog-click", test_remove_dialog_click);
  g_test_add_func ("/deskrun/templates/remove-dialog-cancellable",
                   test_remove_dialog_cancellable);
  g_test_add_func ("/deskrun/templates/log-window", test_log_window);
  g_test_add_func ("/deskrun/templates/help-overlay", test_help_overlay);
  g_test_add_func ("/deskrun/templates/job-row", test_job_row);
  g_test_add_func ("/deskrun/templates/runner-jobs", test_runner_jobs);
  g_test_add_func ("/deskrun/templates/run-workflow-window", test_run_workflow_window);
  g_test_add_func ("/deskrun/templates/preferences-window", test_preferences_window);
  g_test_add_func ("/deskrun/templates/all-covered", test_all_covered);

  return g_test_run ();
}
