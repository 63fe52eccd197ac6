/* dr-runner-jobs.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-job-row.h"
#include "dr-log-window.h"
#include "dr-run-workflow-window.h"
#include "dr-runner-jobs.h"
#include "dr-ui-resources.h"

struct _DrRunnerJobs
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkWidget           *box;
  AdwPreferencesGroup *jobs_group;
  GtkWidget           *run_button;
  GtkListBox          *followed_list;
  AdwActionRow        *followed_row;
  GtkImage            *followed_dot;
  GtkWidget           *cancel_run_button;
  GtkWidget           *rerun_button;
  GtkWidget           *open_run_button;
  GtkListBox          *here_list;
  AdwPreferencesGroup *other_group;
  GtkListBox          *other_list;
  AdwActionRow        *github_row;

  /* Owned references */
  DrRunner            *runner;
  DrEngine            *engine;
  GSignalGroup        *feed_signals;
  GtkFilterListModel  *here_model;
  GtkFilterListModel  *other_model;
  GtkCustomFilter     *here_filter;
  GtkCustomFilter     *other_filter;
  char                *toasted;    /* the followed run's state last said in a toast */
};

G_DEFINE_FINAL_TYPE (DrRunnerJobs, dr_runner_jobs, GTK_TYPE_WIDGET)

static DrJobFeed *
get_feed (DrRunnerJobs *self)
{
  return self->runner != NULL ? dr_runner_get_job_feed (self->runner) : NULL;
}

static gboolean
is_here (gpointer item,
         gpointer user_data)
{
  return dr_job_get_placement (item) != DR_JOB_PLACEMENT_OTHER;
}

static gboolean
is_other (gpointer item,
          gpointer user_data)
{
  return dr_job_get_placement (item) == DR_JOB_PLACEMENT_OTHER;
}

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  return dr_job_row_new (item);
}

static const char *followed_classes[] = { "success", "error", "warning", "accent", "dim-label" };

static void
update_followed (DrRunnerJobs *self)
{
  DrJobFeed *feed = get_feed (self);
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  const char *css;
  DrJobStatus status;
  const char *conclusion;
  gboolean running;

  label = feed != NULL ? dr_job_feed_dup_followed_label (feed) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->followed_list), label != NULL);
  if (label == NULL)
    return;

  /* Each new state of the run is also said in a toast, where the page has an overlay: queued,
   * in progress on a pod, and how it ended. */
  if (g_strcmp0 (label, self->toasted) != 0 &&
      /* Once GitHub's run was read (it has a link), so the toast names the workflow as
       * GitHub does; a run that never appeared is said at once. */
      (dr_job_feed_get_followed_html_url (feed) != NULL ||
       dr_job_feed_get_followed_problem (feed) != NULL))
    {
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      g_free (self->toasted);
      self->toasted = g_strdup (label);
      if (overlay != NULL)
        {
          /* Translators: a followed run's workflow and its state, "Release: Succeeded" */
          g_autofree char *text = g_strdup_printf (_("%s: %s"),
                                                   dr_job_feed_get_followed_workflow (feed)
                                                     ?: _("Workflow"), label);
          /* A toast's title is markup on libadwaita 1.2. */
          g_autofree char *escaped = g_markup_escape_text (text, -1);
          AdwToast *toast = adw_toast_new (escaped);

          adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
        }
    }

  status = dr_job_feed_get_followed_status (feed);
  conclusion = dr_job_feed_get_followed_conclusion (feed);
  running = dr_job_feed_get_followed_run_id (feed) != 0 && status != DR_JOB_STATUS_COMPLETED;
  /* Translators: the workflow a person dispatched, e.g. "Release — dispatched from here" */
  title = g_strdup_printf (_("%s — dispatched from here"),
                           dr_job_feed_get_followed_workflow (feed) ?: _("Workflow"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->followed_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->followed_row), title);
  adw_action_row_set_subtitle (self->followed_row, label);

  if (dr_job_feed_get_followed_problem (feed) != NULL)
    css = "error";
  else if (status != DR_JOB_STATUS_COMPLETED)
    css = status == DR_JOB_STATUS_IN_PROGRESS ? "accent" : "warning";
  else if (g_strcmp0 (conclusion, "success") == 0)
    css = "success";
  else if (g_strcmp0 (conclusion, "failure") == 0)
    css = "error";
  else
    css = "dim-label";
  for (guint i = 0; i < G_N_ELEMENTS (followed_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->followed_dot), followed_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->followed_dot), css);

  gtk_widget_set_visible (self->cancel_run_button, running);
  gtk_widget_set_visible (self->rerun_button,
                          status == DR_JOB_STATUS_COMPLETED &&
                          g_strcmp0 (conclusion, "success") != 0 &&
                          dr_job_feed_get_followed_run_id (feed) != 0);
  gtk_widget_set_visible (self->open_run_button,
                          dr_job_feed_get_followed_html_url (feed) != NULL);
}

static void
update_github (DrRunnerJobs *self)
{
  DrJobFeed *feed = get_feed (self);
  g_autofree char *rate = NULL;
  const char *error;

  if (feed == NULL)
    return;

  error = dr_job_feed_get_error (feed);
  rate = dr_job_feed_dup_rate_limit_text (feed);
  if (error != NULL)
    adw_action_row_set_subtitle (self->github_row, error);
  else if (rate != NULL)
    adw_action_row_set_subtitle (self->github_row, rate);
  else if (dr_job_feed_get_polling (feed))
    adw_action_row_set_subtitle (self->github_row, _("Reading the repository’s jobs…"));
  else
    adw_action_row_set_subtitle (self->github_row, _("Not read yet"));
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->github_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->github_row), "error");
}

static void
update_groups (DrRunnerJobs *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->other_group),
                          self->other_model != NULL &&
                          g_list_model_get_n_items (G_LIST_MODEL (self->other_model)) > 0);
}

static void
feed_changed_cb (DrRunnerJobs *self)
{
  /* A placement may change without the model changing (a pod appeared). */
  gtk_filter_changed (GTK_FILTER (self->here_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->other_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_groups (self);
  update_followed (self);
}

void
dr_runner_jobs_set_runner (DrRunnerJobs *self,
                           DrRunner     *runner)
{
  GListModel *jobs;

  g_return_if_fail (DR_IS_RUNNER_JOBS (self));
  g_return_if_fail (runner == NULL || DR_IS_RUNNER (runner));

  if (!g_set_object (&self->runner, runner))
    return;

  g_signal_group_set_target (self->feed_signals, get_feed (self));
  jobs = runner != NULL ? dr_job_feed_get_jobs (dr_runner_get_job_feed (runner)) : NULL;
  gtk_filter_list_model_set_model (self->here_model, jobs);
  gtk_filter_list_model_set_model (self->other_model, jobs);
  update_groups (self);
  update_followed (self);
  update_github (self);
}

void
dr_runner_jobs_set_engine (DrRunnerJobs *self,
                           DrEngine     *engine)
{
  g_return_if_fail (DR_IS_RUNNER_JOBS (self));
  g_set_object (&self->engine, engine);
}

static GtkWindow *
get_window (DrRunnerJobs *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (DrRunnerJobs *self,
            const char   *heading,
            const char   *message)
{
  GtkWidget *dialog = adw_message_dialog_new (get_window (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_workflow_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (widget);
  DrRunWorkflowWindow *window;

  if (self->runner == NULL || self->engine == NULL)
    return;
  window = dr_run_workflow_window_new (get_window (self), self->engine, self->runner);
  gtk_window_present (GTK_WINDOW (window));
}

static void
operation_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DrRunnerJobs) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dr_operation_wait_finish (DR_OPERATION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    show_error (self, dr_operation_get_title (DR_OPERATION (object)), error->message);
}

static void
cancel_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (widget);
  g_autoptr(DrOperation) operation = NULL;

  if (self->runner == NULL || self->engine == NULL)
    return;
  operation = dr_engine_cancel_run (self->engine, dr_runner_get_name (self->runner));
  dr_operation_wait_async (operation, NULL, operation_done_cb, g_object_ref (self));
}

static void
rerun_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (widget);
  g_autoptr(DrOperation) operation = NULL;

  if (self->runner == NULL || self->engine == NULL)
    return;
  operation = dr_engine_rerun_failed_jobs (self->engine, dr_runner_get_name (self->runner));
  dr_operation_wait_async (operation, NULL, operation_done_cb, g_object_ref (self));
}

static void
open_uri (DrRunnerJobs *self,
          const char   *uri)
{
  if (uri != NULL)
    gtk_show_uri (get_window (self), uri, GDK_CURRENT_TIME);
}

static void
open_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (widget);
  DrJobFeed *feed = get_feed (self);

  if (feed != NULL)
    open_uri (self, dr_job_feed_get_followed_html_url (feed));
}

static DrJob *
lookup_job (DrRunnerJobs *self,
            GVariant     *parameter)
{
  DrJobFeed *feed = get_feed (self);

  if (feed == NULL || parameter == NULL)
    return NULL;
  return dr_job_feed_lookup_job (feed, g_variant_get_int64 (parameter));
}

static void
open_job_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (widget);
  DrJob *job = lookup_job (self, parameter);

  if (job != NULL)
    open_uri (self, dr_job_get_html_url (job));
}

typedef struct
{
  DrRunnerJobs *self;
  char         *title;
} JobLogRequest;

static void
job_log_request_free (JobLogRequest *request)
{
  g_object_unref (request->self);
  g_free (request->title);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobLogRequest, job_log_request_free)

static void
fetch_job_log_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JobLogRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) log = NULL;
  DrLogWindow *window;

  log = dr_engine_fetch_job_log_finish (DR_ENGINE (object), result, &error);
  if (log == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (request->self, _("The job’s log could not be read"), error->message);
      return;
    }
  window = dr_log_window_new_for_text (get_window (request->self), request->title, log);
  gtk_window_present (GTK_WINDOW (window));
}

static void
job_log_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (widget);
  DrJob *job = lookup_job (self, parameter);
  g_autofree char *title = NULL;

  if (job == NULL || self->engine == NULL || self->runner == NULL)
    return;

  /* Translators: the title of a log window: a job's name */
  title = g_strdup_printf (_("Job %s"), dr_job_get_name (job) ?: "");
  if (dr_job_get_placement (job) == DR_JOB_PLACEMENT_RUNNING_HERE && dr_job_get_pod (job))
    {
      /* Live step output only exists on the pod while the job runs (FACTS.md §6). */
      g_autoptr(DrKubeLogStream) stream =
        dr_engine_follow_runner_log (self->engine, dr_job_get_pod (job), 0);

      if (stream == NULL)
        {
          show_error (self, _("The job’s log could not be opened"),
                      _("Its runner pod is not reachable: is the cluster connected?"));
          return;
        }
      gtk_window_present (GTK_WINDOW (dr_log_window_new (get_window (self), title, stream)));
      return;
    }

  {
    JobLogRequest *request = g_new0 (JobLogRequest, 1);

    request->self = g_object_ref (self);
    request->title = g_steal_pointer (&title);
    dr_engine_fetch_job_log_async (self->engine, dr_runner_get_name (self->runner),
                                   dr_job_get_id (job), NULL, fetch_job_log_cb, request);
  }
}

static void
dr_runner_jobs_dispose (GObject *object)
{
  DrRunnerJobs *self = DR_RUNNER_JOBS (object);

  if (self->feed_signals != NULL)
    g_signal_group_set_target (self->feed_signals, NULL);
  g_clear_object (&self->feed_signals);
  g_clear_object (&self->runner);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->toasted, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_RUNNER_JOBS);
  g_clear_object (&self->here_model);
  g_clear_object (&self->other_model);

  G_OBJECT_CLASS (dr_runner_jobs_parent_class)->dispose (object);
}

static void
dr_runner_jobs_class_init (DrRunnerJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_runner_jobs_dispose;

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-runner-jobs.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, box);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, jobs_group);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, run_button);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, followed_list);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, followed_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, followed_dot);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, cancel_run_button);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, rerun_button);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, open_run_button);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, here_list);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, other_group);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, other_list);
  gtk_widget_class_bind_template_child (widget_class, DrRunnerJobs, github_row);

  gtk_widget_class_install_action (widget_class, "jobs.run-workflow", NULL, run_workflow_action);
  gtk_widget_class_install_action (widget_class, "jobs.cancel-run", NULL, cancel_run_action);
  gtk_widget_class_install_action (widget_class, "jobs.rerun-failed", NULL,
                                   rerun_failed_action);
  gtk_widget_class_install_action (widget_class, "jobs.open-run", NULL, open_run_action);
  gtk_widget_class_install_action (widget_class, "job.log", "x", job_log_action);
  gtk_widget_class_install_action (widget_class, "job.open", "x", open_job_action);
}

static void
dr_runner_jobs_init (DrRunnerJobs *self)
{
  static const char *github_props[] = { "notify::error", "notify::rate-limit-remaining",
                                        "notify::rate-limit-reset", "notify::polling" };
  static const char *followed_props[] = { "notify::followed-run-id", "notify::followed-status",
                                          "notify::followed-conclusion",
                                          "notify::followed-pod", "notify::followed-problem",
                                          "notify::followed-html-url",
                                          "notify::followed-workflow" };
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->here_filter = gtk_custom_filter_new (is_here, NULL, NULL);
  self->other_filter = gtk_custom_filter_new (is_other, NULL, NULL);
  self->here_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->here_filter)));
  self->other_model =
    gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->other_filter)));
  gtk_list_box_bind_model (self->here_list, G_LIST_MODEL (self->here_model), create_job_row,
                           NULL, NULL);
  gtk_list_box_bind_model (self->other_list, G_LIST_MODEL (self->other_model), create_job_row,
                           NULL, NULL);
  g_signal_connect_object (self->other_model, "items-changed", G_CALLBACK (update_groups), self,
                           G_CONNECT_SWAPPED);
  g_object_unref (self->here_filter);   /* the models hold them */
  g_object_unref (self->other_filter);

  placeholder = gtk_label_new (_("No jobs for this runner at the moment"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->here_list, placeholder);

  self->feed_signals = g_signal_group_new (DR_TYPE_JOB_FEED);
  g_signal_group_connect_swapped (self->feed_signals, "changed", G_CALLBACK (feed_changed_cb),
                                  self);
  for (guint i = 0; i < G_N_ELEMENTS (github_props); i++)
    g_signal_group_connect_swapped (self->feed_signals, github_props[i],
                                    G_CALLBACK (update_github), self);
  for (guint i = 0; i < G_N_ELEMENTS (followed_props); i++)
    g_signal_group_connect_swapped (self->feed_signals, followed_props[i],
                                    G_CALLBACK (update_followed), self);
  update_groups (self);
  update_followed (self);
}

static void
append_rows (GString    *text,
             GtkListBox *list)
{
  GtkListBoxRow *row;

  if (!gtk_widget_get_visible (GTK_WIDGET (list)))
    return;
  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      const char *subtitle = ADW_IS_EXPANDER_ROW (row)
                               ? adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row))
                               : adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      g_string_append_printf (text, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              subtitle);
    }
}

char *
_dr_runner_jobs_dup_text (DrRunnerJobs *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (DR_IS_RUNNER_JOBS (self), NULL);

  append_rows (text, self->followed_list);
  append_rows (text, self->here_list);
  if (gtk_widget_get_visible (GTK_WIDGET (self->other_group)))
    {
      g_string_append (text, "-- other runners\n");
      append_rows (text, self->other_list);
    }
  g_string_append_printf (text, "GitHub: %s\n", adw_action_row_get_subtitle (self->github_row));
  return g_string_free (text, FALSE);
}
