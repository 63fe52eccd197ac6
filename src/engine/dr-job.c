/* dr-job.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-json.h"
#include "dr-job-private.h"

struct _DrJob
{
  GObject         parent_instance;

  gint64          id;
  gint64          run_id;
  gint64          run_number;
  gint64          run_attempt;
  char           *name;
  char           *workflow_name;
  char           *repository;
  char           *branch;
  GStrv           labels;
  DrJobStatus     status;
  char           *conclusion;
  char           *runner_name;
  GDateTime      *created_at;
  GDateTime      *started_at;
  GDateTime      *completed_at;
  char           *html_url;
  GPtrArray      *steps;        /* DrJobStep */
  DrJobPlacement  placement;
  char           *pod;
  char           *scale_set;
};

G_DEFINE_FINAL_TYPE (DrJob, dr_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_RUN_ID,
  PROP_RUN_NUMBER,
  PROP_RUN_ATTEMPT,
  PROP_NAME,
  PROP_WORKFLOW_NAME,
  PROP_REPOSITORY,
  PROP_BRANCH,
  PROP_LABELS,
  PROP_STATUS,
  PROP_CONCLUSION,
  PROP_RUNNER_NAME,
  PROP_CREATED_AT,
  PROP_STARTED_AT,
  PROP_COMPLETED_AT,
  PROP_HTML_URL,
  PROP_STEPS,
  PROP_PLACEMENT,
  PROP_POD,
  PROP_SCALE_SET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GEnumValue status_values[] = {
  { DR_JOB_STATUS_QUEUED, "DR_JOB_STATUS_QUEUED", "queued" },
  { DR_JOB_STATUS_IN_PROGRESS, "DR_JOB_STATUS_IN_PROGRESS", "in_progress" },
  { DR_JOB_STATUS_COMPLETED, "DR_JOB_STATUS_COMPLETED", "completed" },
  { DR_JOB_STATUS_WAITING, "DR_JOB_STATUS_WAITING", "waiting" },
  { DR_JOB_STATUS_REQUESTED, "DR_JOB_STATUS_REQUESTED", "requested" },
  { DR_JOB_STATUS_PENDING, "DR_JOB_STATUS_PENDING", "pending" },
  { 0, NULL, NULL }
};

static const GEnumValue placement_values[] = {
  { DR_JOB_PLACEMENT_OTHER, "DR_JOB_PLACEMENT_OTHER", "other" },
  { DR_JOB_PLACEMENT_WAITING_HERE, "DR_JOB_PLACEMENT_WAITING_HERE", "waiting-here" },
  { DR_JOB_PLACEMENT_RUNNING_HERE, "DR_JOB_PLACEMENT_RUNNING_HERE", "running-here" },
  { DR_JOB_PLACEMENT_RAN_HERE, "DR_JOB_PLACEMENT_RAN_HERE", "ran-here" },
  { 0, NULL, NULL }
};

GType
dr_job_status_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id,
                       g_enum_register_static (g_intern_static_string ("DrJobStatus"),
                                               status_values));
  return type_id;
}

GType
dr_job_placement_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id,
                       g_enum_register_static (g_intern_static_string ("DrJobPlacement"),
                                               placement_values));
  return type_id;
}

const char *
dr_job_status_to_string (DrJobStatus status)
{
  for (guint i = 0; status_values[i].value_nick != NULL; i++)
    if (status_values[i].value == (gint) status)
      return status_values[i].value_nick;
  return "queued";
}

gboolean
dr_job_status_from_string (const char  *text,
                           DrJobStatus *out_status)
{
  for (guint i = 0; text != NULL && status_values[i].value_nick != NULL; i++)
    if (g_str_equal (status_values[i].value_nick, text))
      {
        *out_status = status_values[i].value;
        return TRUE;
      }
  return FALSE;
}

const char *
dr_job_placement_to_string (DrJobPlacement placement)
{
  for (guint i = 0; placement_values[i].value_nick != NULL; i++)
    if (placement_values[i].value == (gint) placement)
      return placement_values[i].value_nick;
  return "other";
}

static void
dr_job_step_free (DrJobStep *step)
{
  g_free (step->name);
  g_free (step->conclusion);
  g_clear_pointer (&step->started_at, g_date_time_unref);
  g_clear_pointer (&step->completed_at, g_date_time_unref);
  g_free (step);
}

gint64
dr_job_step_get_duration (const DrJobStep *step,
                          GDateTime       *now)
{
  GDateTime *end;

  g_return_val_if_fail (step != NULL, -1);

  if (step->started_at == NULL)
    return -1;
  end = step->completed_at != NULL ? step->completed_at : now;
  if (end == NULL)
    return -1;
  return MAX (0, g_date_time_difference (end, step->started_at) / G_TIME_SPAN_SECOND);
}

static void
dr_job_finalize (GObject *object)
{
  DrJob *self = DR_JOB (object);

  g_free (self->name);
  g_free (self->workflow_name);
  g_free (self->repository);
  g_free (self->branch);
  g_strfreev (self->labels);
  g_free (self->conclusion);
  g_free (self->runner_name);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_free (self->html_url);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_free (self->pod);
  g_free (self->scale_set);

  G_OBJECT_CLASS (dr_job_parent_class)->finalize (object);
}

static void
dr_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  DrJob *self = DR_JOB (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_RUN_ID: g_value_set_int64 (value, self->run_id); break;
    case PROP_RUN_NUMBER: g_value_set_int64 (value, self->run_number); break;
    case PROP_RUN_ATTEMPT: g_value_set_int64 (value, self->run_attempt); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_WORKFLOW_NAME: g_value_set_string (value, self->workflow_name); break;
    case PROP_REPOSITORY: g_value_set_string (value, self->repository); break;
    case PROP_BRANCH: g_value_set_string (value, self->branch); break;
    case PROP_LABELS: g_value_set_boxed (value, self->labels); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_CONCLUSION: g_value_set_string (value, self->conclusion); break;
    case PROP_RUNNER_NAME: g_value_set_string (value, self->runner_name); break;
    case PROP_CREATED_AT: g_value_set_boxed (value, self->created_at); break;
    case PROP_STARTED_AT: g_value_set_boxed (value, self->started_at); break;
    case PROP_COMPLETED_AT: g_value_set_boxed (value, self->completed_at); break;
    case PROP_HTML_URL: g_value_set_string (value, self->html_url); break;
    case PROP_STEPS: g_value_set_uint (value, self->steps->len); break;
    case PROP_PLACEMENT: g_value_set_enum (value, self->placement); break;
    case PROP_POD: g_value_set_string (value, self->pod); break;
    case PROP_SCALE_SET: g_value_set_string (value, self->scale_set); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
dr_job_class_init (DrJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_job_finalize;
  object_class->get_property = dr_job_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_RUN_ID] = g_param_spec_int64 ("run-id", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_RUN_NUMBER] =
    g_param_spec_int64 ("run-number", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_RUN_ATTEMPT] =
    g_param_spec_int64 ("run-attempt", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, RO);
  properties[PROP_WORKFLOW_NAME] = g_param_spec_string ("workflow-name", NULL, NULL, NULL, RO);
  properties[PROP_REPOSITORY] = g_param_spec_string ("repository", NULL, NULL, NULL, RO);
  properties[PROP_BRANCH] = g_param_spec_string ("branch", NULL, NULL, NULL, RO);
  properties[PROP_LABELS] = g_param_spec_boxed ("labels", NULL, NULL, G_TYPE_STRV, RO);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, DR_TYPE_JOB_STATUS, DR_JOB_STATUS_QUEUED, RO);
  properties[PROP_CONCLUSION] = g_param_spec_string ("conclusion", NULL, NULL, NULL, RO);
  properties[PROP_RUNNER_NAME] = g_param_spec_string ("runner-name", NULL, NULL, NULL, RO);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  properties[PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  properties[PROP_COMPLETED_AT] =
    g_param_spec_boxed ("completed-at", NULL, NULL, G_TYPE_DATE_TIME, RO);
  properties[PROP_HTML_URL] = g_param_spec_string ("html-url", NULL, NULL, NULL, RO);
  properties[PROP_STEPS] = g_param_spec_uint ("steps", NULL, NULL, 0, G_MAXUINT, 0, RO);
  properties[PROP_PLACEMENT] =
    g_param_spec_enum ("placement", NULL, NULL, DR_TYPE_JOB_PLACEMENT, DR_JOB_PLACEMENT_OTHER,
                       RO);
  properties[PROP_POD] = g_param_spec_string ("pod", NULL, NULL, NULL, RO);
  properties[PROP_SCALE_SET] = g_param_spec_string ("scale-set", NULL, NULL, NULL, RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_job_init (DrJob *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_job_step_free);
  self->labels = g_new0 (char *, 1);
}

DrJob *
_dr_job_new (gint64 id)
{
  DrJob *self = g_object_new (DR_TYPE_JOB, NULL);

  self->id = id;
  return self;
}

gint64
_dr_job_id_from_json (JsonObject *job)
{
  gint64 id = dr_json_member_int (job, "id", 0);

  return id > 0 ? id : 0;
}

GDateTime *
_dr_job_parse_time (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

/* Setters: notify only a change. */

static void
set_string (DrJob       *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (DrJob  *self,
         gint64 *field,
         gint64  value,
         guint   prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
times_equal (GDateTime *a,
             GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static void
set_time (DrJob      *self,
          GDateTime **field,
          const char *text,
          guint       prop)
{
  g_autoptr(GDateTime) value = _dr_job_parse_time (text);

  if (times_equal (*field, value))
    return;
  g_clear_pointer (field, g_date_time_unref);
  *field = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static DrJobStatus
status_from_json (JsonObject *object)
{
  DrJobStatus status = DR_JOB_STATUS_QUEUED;

  dr_job_status_from_string (dr_json_member_string (object, "status"), &status);
  return status;
}

static gboolean
steps_equal (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const DrJobStep *x = g_ptr_array_index (a, i);
      const DrJobStep *y = g_ptr_array_index (b, i);

      if (x->number != y->number || x->status != y->status ||
          g_strcmp0 (x->name, y->name) != 0 || g_strcmp0 (x->conclusion, y->conclusion) != 0 ||
          !times_equal (x->started_at, y->started_at) ||
          !times_equal (x->completed_at, y->completed_at))
        return FALSE;
    }
  return TRUE;
}

static void
update_steps (DrJob     *self,
              JsonArray *array)
{
  g_autoptr(GPtrArray) steps =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dr_job_step_free);
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = dr_json_node_object (json_array_get_element (array, i));
      DrJobStep *step;

      if (object == NULL)
        continue;
      step = g_new0 (DrJobStep, 1);
      step->number = (guint) CLAMP (dr_json_member_int (object, "number", i + 1), 0, G_MAXUINT);
      step->name = g_strdup (dr_json_member_string (object, "name") ?: "");
      step->status = status_from_json (object);
      step->conclusion = g_strdup (dr_json_member_string (object, "conclusion"));
      step->started_at = _dr_job_parse_time (dr_json_member_string (object, "started_at"));
      step->completed_at = _dr_job_parse_time (dr_json_member_string (object, "completed_at"));
      g_ptr_array_add (steps, step);
    }

  if (steps_equal (self->steps, steps))
    return;
  g_ptr_array_unref (self->steps);
  self->steps = g_steal_pointer (&steps);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEPS]);
}

static void
update_labels (DrJob     *self,
               JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  labels = g_strv_builder_end (builder);
  if (g_strv_equal ((const char * const *) labels, (const char * const *) self->labels))
    return;
  g_strfreev (self->labels);
  self->labels = g_steal_pointer (&labels);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABELS]);
}

void
_dr_job_update_from_json (DrJob      *self,
                          JsonObject *job,
                          JsonObject *run,
                          const char *repository)
{
  DrJobStatus status;

  g_return_if_fail (DR_IS_JOB (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->run_id, MAX (0, dr_json_member_int (job, "run_id", self->run_id)),
           PROP_RUN_ID);
  set_int (self, &self->run_attempt,
           MAX (0, dr_json_member_int (job, "run_attempt",
                                       dr_json_member_int (run, "run_attempt",
                                                           self->run_attempt))),
           PROP_RUN_ATTEMPT);
  if (run != NULL)
    set_int (self, &self->run_number, MAX (0, dr_json_member_int (run, "run_number", 0)),
             PROP_RUN_NUMBER);
  set_string (self, &self->name, dr_json_member_string (job, "name"), PROP_NAME);
  set_string (self, &self->workflow_name,
              dr_json_member_string (job, "workflow_name") ?: dr_json_member_string (run, "name"),
              PROP_WORKFLOW_NAME);
  set_string (self, &self->repository, repository, PROP_REPOSITORY);
  set_string (self, &self->branch,
              dr_json_member_string (job, "head_branch") ?:
                dr_json_member_string (run, "head_branch"),
              PROP_BRANCH);
  update_labels (self, dr_json_member_array (job, "labels"));
  status = status_from_json (job);
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  set_string (self, &self->conclusion, dr_json_member_string (job, "conclusion"),
              PROP_CONCLUSION);
  set_string (self, &self->runner_name, dr_json_member_string (job, "runner_name"),
              PROP_RUNNER_NAME);
  set_time (self, &self->created_at, dr_json_member_string (job, "created_at"),
            PROP_CREATED_AT);
  set_time (self, &self->started_at, dr_json_member_string (job, "started_at"),
            PROP_STARTED_AT);
  set_time (self, &self->completed_at, dr_json_member_string (job, "completed_at"),
            PROP_COMPLETED_AT);
  set_string (self, &self->html_url, dr_json_member_string (job, "html_url"), PROP_HTML_URL);
  update_steps (self, dr_json_member_array (job, "steps"));
  g_object_thaw_notify (G_OBJECT (self));
}

void
_dr_job_set_placement (DrJob          *self,
                       DrJobPlacement  placement,
                       const char     *pod,
                       const char     *scale_set)
{
  g_return_if_fail (DR_IS_JOB (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->placement != placement)
    {
      self->placement = placement;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEMENT]);
    }
  set_string (self, &self->pod, pod, PROP_POD);
  set_string (self, &self->scale_set, scale_set, PROP_SCALE_SET);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Getters */

gint64
dr_job_get_id (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), 0);
  return self->id;
}

gint64
dr_job_get_run_id (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), 0);
  return self->run_id;
}

gint64
dr_job_get_run_number (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), 0);
  return self->run_number;
}

gint64
dr_job_get_run_attempt (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), 0);
  return self->run_attempt;
}

const char *
dr_job_get_name (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->name;
}

const char *
dr_job_get_workflow_name (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->workflow_name;
}

const char *
dr_job_get_repository (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->repository;
}

const char *
dr_job_get_branch (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->branch;
}

const char * const *
dr_job_get_labels (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return (const char * const *) self->labels;
}

DrJobStatus
dr_job_get_status (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), DR_JOB_STATUS_QUEUED);
  return self->status;
}

const char *
dr_job_get_conclusion (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->conclusion;
}

const char *
dr_job_get_runner_name (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->runner_name;
}

GDateTime *
dr_job_get_created_at (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->created_at;
}

GDateTime *
dr_job_get_started_at (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->started_at;
}

GDateTime *
dr_job_get_completed_at (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->completed_at;
}

const char *
dr_job_get_html_url (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->html_url;
}

GPtrArray *
dr_job_get_steps (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->steps;
}

DrJobPlacement
dr_job_get_placement (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), DR_JOB_PLACEMENT_OTHER);
  return self->placement;
}

const char *
dr_job_get_pod (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->pod;
}

const char *
dr_job_get_scale_set (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);
  return self->scale_set;
}

gboolean
dr_job_is_active (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), FALSE);
  return self->status != DR_JOB_STATUS_COMPLETED;
}

static const char *
conclusion_label (const char *conclusion)
{
  if (g_strcmp0 (conclusion, "success") == 0)
    return _("Succeeded");
  if (g_strcmp0 (conclusion, "failure") == 0)
    return _("Failed");
  if (g_strcmp0 (conclusion, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (conclusion, "skipped") == 0)
    return _("Skipped");
  if (g_strcmp0 (conclusion, "timed_out") == 0)
    return _("Timed out");
  if (g_strcmp0 (conclusion, "action_required") == 0)
    return _("Action required");
  return _("Completed");
}

char *
dr_job_dup_state_label (DrJob *self)
{
  g_return_val_if_fail (DR_IS_JOB (self), NULL);

  switch (self->status)
    {
    case DR_JOB_STATUS_COMPLETED:
      if (self->placement == DR_JOB_PLACEMENT_RAN_HERE && self->pod != NULL)
        /* Translators: "Succeeded on web-x7k2p-runner-abcde" */
        return g_strdup_printf (_("%s on %s"), conclusion_label (self->conclusion), self->pod);
      return g_strdup (conclusion_label (self->conclusion));

    case DR_JOB_STATUS_IN_PROGRESS:
      if (self->placement == DR_JOB_PLACEMENT_RUNNING_HERE && self->pod != NULL)
        return g_strdup_printf (_("Running here on %s"), self->pod);
      if (self->runner_name != NULL)
        return g_strdup_printf (_("Running on another runner, %s"), self->runner_name);
      return g_strdup (_("Running on another runner"));

    case DR_JOB_STATUS_WAITING:
      return g_strdup (_("Waiting for an approval"));

    case DR_JOB_STATUS_QUEUED:
    case DR_JOB_STATUS_REQUESTED:
    case DR_JOB_STATUS_PENDING:
    default:
      if (self->placement == DR_JOB_PLACEMENT_WAITING_HERE)
        return g_strdup (_("Queued — waiting for this runner"));
      return g_strdup (_("Queued — for another runner"));
    }
}

/* The join */

/* Whether @name has the shape ARC gives a runner of @scale_set: the ERS name (scale set
 * plus "-" and a random suffix), then "-runner-" and another suffix (FACTS.md §2). */
static gboolean
runner_name_of_scale_set (const char *name,
                          const char *scale_set)
{
  gsize len = strlen (scale_set);
  const char *rest;
  const char *marker;

  if (g_ascii_strncasecmp (name, scale_set, len) != 0 || name[len] != '-')
    return FALSE;
  rest = name + len + 1;
  marker = strstr (rest, "-runner-");
  if (marker == NULL || marker == rest || marker[strlen ("-runner-")] == '\0')
    return FALSE;
  /* Neither random part holds a "-": otherwise "web" would claim "web-app-…-runner-…". */
  for (const char *p = rest; p < marker; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  for (const char *p = marker + strlen ("-runner-"); *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

static gboolean
label_in (const char         *label,
          const char         *name,
          const char * const *extra)
{
  if (g_ascii_strcasecmp (label, name) == 0)
    return TRUE;
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    if (g_ascii_strcasecmp (label, extra[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The scale set of ours whose labels cover every label of the job, preferring one the job
 * names (with instances, all share the extra labels but each has its own name). */
static const char *
scale_set_for_labels (const DrJobJoinContext *context,
                      const char * const     *labels)
{
  const char *match = NULL;

  if (labels == NULL || labels[0] == NULL || context->scale_sets == NULL)
    return NULL;

  for (guint s = 0; context->scale_sets[s] != NULL; s++)
    {
      const char *name = context->scale_sets[s];
      gboolean covers = TRUE;
      gboolean named = FALSE;

      for (guint l = 0; labels[l] != NULL && covers; l++)
        {
          covers = label_in (labels[l], name, context->extra_labels);
          named = named || g_ascii_strcasecmp (labels[l], name) == 0;
        }
      if (covers && named)
        return name;
      if (covers && match == NULL)
        match = name;
    }
  return match;
}

static const char *
scale_set_for_runner (const DrJobJoinContext *context,
                      const char             *runner_name,
                      gboolean               *out_seen)
{
  *out_seen = FALSE;
  if (runner_name == NULL || *runner_name == '\0' || context->scale_sets == NULL)
    return NULL;

  for (guint i = 0; context->ephemeral_runners != NULL && context->ephemeral_runners[i]; i++)
    if (g_str_equal (context->ephemeral_runners[i], runner_name))
      *out_seen = TRUE;

  /* The longest matching name wins: "web-1" before "web" should both exist. */
  {
    const char *best = NULL;

    for (guint s = 0; context->scale_sets[s] != NULL; s++)
      if (runner_name_of_scale_set (runner_name, context->scale_sets[s]) &&
          (best == NULL || strlen (context->scale_sets[s]) > strlen (best)))
        best = context->scale_sets[s];
    if (best == NULL && *out_seen)
      best = context->scale_sets[0];
    return best;
  }
}

DrJobPlacement
dr_job_join (const DrJobJoinContext  *context,
             DrJobStatus              status,
             const char * const      *labels,
             const char              *runner_name,
             char                   **out_pod,
             char                   **out_scale_set)
{
  DrJobPlacement placement = DR_JOB_PLACEMENT_OTHER;
  const char *scale_set = NULL;
  const char *pod = NULL;
  gboolean seen = FALSE;

  g_return_val_if_fail (context != NULL, DR_JOB_PLACEMENT_OTHER);

  switch (status)
    {
    case DR_JOB_STATUS_IN_PROGRESS:
    case DR_JOB_STATUS_COMPLETED:
      scale_set = scale_set_for_runner (context, runner_name, &seen);
      if (scale_set != NULL)
        {
          pod = runner_name;
          placement = status == DR_JOB_STATUS_COMPLETED ? DR_JOB_PLACEMENT_RAN_HERE
                                                        : DR_JOB_PLACEMENT_RUNNING_HERE;
        }
      else if (status == DR_JOB_STATUS_IN_PROGRESS &&
               (runner_name == NULL || *runner_name == '\0'))
        {
          /* Started but not yet showing its runner: still ours if it asked for us. */
          scale_set = scale_set_for_labels (context, labels);
          if (scale_set != NULL)
            placement = DR_JOB_PLACEMENT_WAITING_HERE;
        }
      break;

    case DR_JOB_STATUS_QUEUED:
    case DR_JOB_STATUS_WAITING:
    case DR_JOB_STATUS_REQUESTED:
    case DR_JOB_STATUS_PENDING:
    default:
      scale_set = scale_set_for_labels (context, labels);
      if (scale_set != NULL)
        placement = DR_JOB_PLACEMENT_WAITING_HERE;
      break;
    }

  if (out_pod != NULL)
    *out_pod = g_strdup (pod);
  if (out_scale_set != NULL)
    *out_scale_set = g_strdup (scale_set);
  return placement;
}
