/* dr-job-row.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-job-row.h"
#include "dr-ui-resources.h"

struct _DrJobRow
{
  AdwExpanderRow  parent_instance;

  /* Template widgets */
  GtkImage       *dot;
  GtkWidget      *log_button;
  GtkWidget      *open_button;

  /* Owned references */
  DrJob          *job;
  GPtrArray      *step_rows;  /* GtkWidget, the rows added under the expander */
};

G_DEFINE_FINAL_TYPE (DrJobRow, dr_job_row, ADW_TYPE_EXPANDER_ROW)

static const char *dot_classes[] = { "success", "error", "warning", "accent", "dim-label" };

const char *
dr_job_css_class (DrJob *job)
{
  const char *conclusion;

  g_return_val_if_fail (DR_IS_JOB (job), "dim-label");

  switch (dr_job_get_status (job))
    {
    case DR_JOB_STATUS_COMPLETED:
      conclusion = dr_job_get_conclusion (job);
      if (g_strcmp0 (conclusion, "success") == 0)
        return "success";
      if (g_strcmp0 (conclusion, "failure") == 0 || g_strcmp0 (conclusion, "timed_out") == 0)
        return "error";
      return "dim-label";
    case DR_JOB_STATUS_IN_PROGRESS:
      return "accent";
    case DR_JOB_STATUS_QUEUED:
    case DR_JOB_STATUS_WAITING:
    case DR_JOB_STATUS_REQUESTED:
    case DR_JOB_STATUS_PENDING:
    default:
      return "warning";
    }
}

static char *
format_duration (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("");
  if (seconds < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%" G_GINT64_FORMAT " s"), seconds);
  if (seconds < 3600)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%" G_GINT64_FORMAT " min %" G_GINT64_FORMAT " s"),
                            seconds / 60, seconds % 60);
  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min"),
                          seconds / 3600, (seconds % 3600) / 60);
}

static const char *
step_state (const DrJobStep *step)
{
  if (step->status == DR_JOB_STATUS_COMPLETED)
    {
      if (g_strcmp0 (step->conclusion, "success") == 0)
        return _("Succeeded");
      if (g_strcmp0 (step->conclusion, "failure") == 0)
        return _("Failed");
      if (g_strcmp0 (step->conclusion, "skipped") == 0)
        return _("Skipped");
      if (g_strcmp0 (step->conclusion, "cancelled") == 0)
        return _("Cancelled");
      return _("Done");
    }
  if (step->status == DR_JOB_STATUS_IN_PROGRESS)
    return _("Running");
  return _("Waiting");
}

static void
update_steps (DrJobRow *self)
{
  GPtrArray *steps = dr_job_get_steps (self->job);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < self->step_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->step_rows, i));
  g_ptr_array_set_size (self->step_rows, 0);

  for (guint i = 0; i < steps->len; i++)
    {
      const DrJobStep *step = g_ptr_array_index (steps, i);
      g_autofree char *duration = format_duration (dr_job_step_get_duration (step, now));
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      subtitle = *duration ? g_strdup_printf ("%s · %s", step_state (step), duration)
                           : g_strdup (step_state (step));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->step_rows, row);
    }
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), steps->len > 0);
}

static void
update (DrJobRow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *state = dr_job_dup_state_label (self->job);
  const char *workflow = dr_job_get_workflow_name (self->job);
  const char *branch = dr_job_get_branch (self->job);
  g_autoptr(GVariant) target = NULL;

  title = g_strdup (dr_job_get_name (self->job) ?: _("Unnamed job"));
  /* Translators: "Running here on POD · CI #42 on main" */
  if (branch != NULL)
    subtitle = g_strdup_printf (_("%s · %s #%" G_GINT64_FORMAT " on %s"), state,
                                workflow ?: _("Workflow"), dr_job_get_run_number (self->job),
                                branch);
  else
    subtitle = g_strdup_printf (_("%s · %s #%" G_GINT64_FORMAT), state,
                                workflow ?: _("Workflow"), dr_job_get_run_number (self->job));
  /* A queued job for someone else says what it asks for: that is why it is not ours. */
  if (dr_job_get_placement (self->job) == DR_JOB_PLACEMENT_OTHER && dr_job_is_active (self->job) &&
      dr_job_get_labels (self->job)[0] != NULL)
    {
      g_autofree char *labels = g_strjoinv (", ", (char **) dr_job_get_labels (self->job));
      char *longer = g_strdup_printf ("%s · runs-on: %s", subtitle, labels);

      g_free (subtitle);
      subtitle = longer;
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  for (guint i = 0; i < G_N_ELEMENTS (dot_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->dot), dot_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->dot), dr_job_css_class (self->job));

  /* A log exists once a pod runs the job here, or once GitHub has it (completed). */
  gtk_widget_set_visible (self->log_button,
                          dr_job_get_placement (self->job) == DR_JOB_PLACEMENT_RUNNING_HERE ||
                          dr_job_get_status (self->job) == DR_JOB_STATUS_COMPLETED);
  gtk_widget_set_visible (self->open_button, dr_job_get_html_url (self->job) != NULL);
  target = g_variant_ref_sink (g_variant_new_int64 (dr_job_get_id (self->job)));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->log_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->open_button), target);
}

static void
job_notify_cb (DrJobRow   *self,
               GParamSpec *pspec)
{
  if (g_str_equal (pspec->name, "steps"))
    update_steps (self);
  else
    update (self);
}

static void
dr_job_row_dispose (GObject *object)
{
  DrJobRow *self = DR_JOB_ROW (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_func (self->job, job_notify_cb, self);
  g_clear_object (&self->job);
  g_clear_pointer (&self->step_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_JOB_ROW);

  G_OBJECT_CLASS (dr_job_row_parent_class)->dispose (object);
}

static void
dr_job_row_class_init (DrJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_job_row_dispose;

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/dr-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DrJobRow, dot);
  gtk_widget_class_bind_template_child (widget_class, DrJobRow, log_button);
  gtk_widget_class_bind_template_child (widget_class, DrJobRow, open_button);
}

static void
dr_job_row_init (DrJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->step_rows = g_ptr_array_new ();
}

GtkWidget *
dr_job_row_new (DrJob *job)
{
  DrJobRow *self;

  g_return_val_if_fail (DR_IS_JOB (job), NULL);

  self = g_object_new (DR_TYPE_JOB_ROW, NULL);
  self->job = g_object_ref (job);
  g_signal_connect_object (job, "notify", G_CALLBACK (job_notify_cb), self, G_CONNECT_SWAPPED);
  update (self);
  update_steps (self);
  return GTK_WIDGET (self);
}

DrJob *
dr_job_row_get_job (DrJobRow *self)
{
  g_return_val_if_fail (DR_IS_JOB_ROW (self), NULL);
  return self->job;
}
