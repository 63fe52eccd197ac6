/* dr-job-feed.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-json.h"
#include "dr-job-feed-private.h"
#include "dr-job-private.h"

struct _DrJobFeed
{
  GObject      parent_instance;

  GListStore  *jobs;
  GStrv        repositories;
  gboolean     polling;
  gboolean     synced;
  char        *error;
  gint64       rate_limit;
  gint64       rate_remaining;
  gint64       rate_reset;

  gint64       followed_run_id;
  char        *followed_repository;
  char        *followed_workflow;
  char        *followed_html_url;
  DrJobStatus  followed_status;
  char        *followed_conclusion;
  char        *followed_pod;
  char        *followed_problem;
};

G_DEFINE_FINAL_TYPE (DrJobFeed, dr_job_feed, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOBS,
  PROP_POLLING,
  PROP_SYNCED,
  PROP_ERROR,
  PROP_RATE_LIMIT_REMAINING,
  PROP_RATE_LIMIT_LIMIT,
  PROP_RATE_LIMIT_RESET,
  PROP_FOLLOWED_RUN_ID,
  PROP_FOLLOWED_REPOSITORY,
  PROP_FOLLOWED_WORKFLOW,
  PROP_FOLLOWED_HTML_URL,
  PROP_FOLLOWED_STATUS,
  PROP_FOLLOWED_CONCLUSION,
  PROP_FOLLOWED_POD,
  PROP_FOLLOWED_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
dr_run_jobs_free (DrRunJobs *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->run, json_object_unref);
  g_clear_pointer (&self->jobs, json_array_unref);
  g_free (self);
}

DrRunJobs *
dr_run_jobs_new (JsonObject *run,
                 JsonArray  *jobs)
{
  DrRunJobs *self = g_new0 (DrRunJobs, 1);

  self->run = run != NULL ? json_object_ref (run) : NULL;
  self->jobs = jobs != NULL ? json_array_ref (jobs) : NULL;
  return self;
}

static void
dr_job_feed_finalize (GObject *object)
{
  DrJobFeed *self = DR_JOB_FEED (object);

  g_clear_object (&self->jobs);
  g_strfreev (self->repositories);
  g_free (self->error);
  g_free (self->followed_repository);
  g_free (self->followed_workflow);
  g_free (self->followed_html_url);
  g_free (self->followed_conclusion);
  g_free (self->followed_pod);
  g_free (self->followed_problem);

  G_OBJECT_CLASS (dr_job_feed_parent_class)->finalize (object);
}

static void
dr_job_feed_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DrJobFeed *self = DR_JOB_FEED (object);

  switch (prop_id)
    {
    case PROP_JOBS: g_value_set_object (value, self->jobs); break;
    case PROP_POLLING: g_value_set_boolean (value, self->polling); break;
    case PROP_SYNCED: g_value_set_boolean (value, self->synced); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_RATE_LIMIT_REMAINING: g_value_set_int64 (value, self->rate_remaining); break;
    case PROP_RATE_LIMIT_LIMIT: g_value_set_int64 (value, self->rate_limit); break;
    case PROP_RATE_LIMIT_RESET: g_value_set_int64 (value, self->rate_reset); break;
    case PROP_FOLLOWED_RUN_ID: g_value_set_int64 (value, self->followed_run_id); break;
    case PROP_FOLLOWED_REPOSITORY: g_value_set_string (value, self->followed_repository); break;
    case PROP_FOLLOWED_WORKFLOW: g_value_set_string (value, self->followed_workflow); break;
    case PROP_FOLLOWED_HTML_URL: g_value_set_string (value, self->followed_html_url); break;
    case PROP_FOLLOWED_STATUS: g_value_set_enum (value, self->followed_status); break;
    case PROP_FOLLOWED_CONCLUSION: g_value_set_string (value, self->followed_conclusion); break;
    case PROP_FOLLOWED_POD: g_value_set_string (value, self->followed_pod); break;
    case PROP_FOLLOWED_PROBLEM: g_value_set_string (value, self->followed_problem); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
dr_job_feed_class_init (DrJobFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_job_feed_finalize;
  object_class->get_property = dr_job_feed_get_property;

  properties[PROP_JOBS] =
    g_param_spec_object ("jobs", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLLING] = g_param_spec_boolean ("polling", NULL, NULL, FALSE, RO);
  properties[PROP_SYNCED] = g_param_spec_boolean ("synced", NULL, NULL, FALSE, RO);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, RO);
  properties[PROP_RATE_LIMIT_REMAINING] =
    g_param_spec_int64 ("rate-limit-remaining", NULL, NULL, -1, G_MAXINT64, -1, RO);
  properties[PROP_RATE_LIMIT_LIMIT] =
    g_param_spec_int64 ("rate-limit-limit", NULL, NULL, -1, G_MAXINT64, -1, RO);
  properties[PROP_RATE_LIMIT_RESET] =
    g_param_spec_int64 ("rate-limit-reset", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_FOLLOWED_RUN_ID] =
    g_param_spec_int64 ("followed-run-id", NULL, NULL, 0, G_MAXINT64, 0, RO);
  properties[PROP_FOLLOWED_REPOSITORY] =
    g_param_spec_string ("followed-repository", NULL, NULL, NULL, RO);
  properties[PROP_FOLLOWED_WORKFLOW] =
    g_param_spec_string ("followed-workflow", NULL, NULL, NULL, RO);
  properties[PROP_FOLLOWED_HTML_URL] =
    g_param_spec_string ("followed-html-url", NULL, NULL, NULL, RO);
  properties[PROP_FOLLOWED_STATUS] =
    g_param_spec_enum ("followed-status", NULL, NULL, DR_TYPE_JOB_STATUS, DR_JOB_STATUS_QUEUED,
                       RO);
  properties[PROP_FOLLOWED_CONCLUSION] =
    g_param_spec_string ("followed-conclusion", NULL, NULL, NULL, RO);
  properties[PROP_FOLLOWED_POD] = g_param_spec_string ("followed-pod", NULL, NULL, NULL, RO);
  properties[PROP_FOLLOWED_PROBLEM] =
    g_param_spec_string ("followed-problem", NULL, NULL, NULL, RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dr_job_feed_init (DrJobFeed *self)
{
  self->jobs = g_list_store_new (DR_TYPE_JOB);
  self->repositories = g_new0 (char *, 1);
  self->rate_limit = -1;
  self->rate_remaining = -1;
}

DrJobFeed *
_dr_job_feed_new (void)
{
  return g_object_new (DR_TYPE_JOB_FEED, NULL);
}

static void
set_string (DrJobFeed   *self,
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
set_int (DrJobFeed *self,
         gint64    *field,
         gint64     value,
         guint      prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_bool (DrJobFeed *self,
          gboolean  *field,
          gboolean   value,
          guint      prop)
{
  if (*field == !!value)
    return;
  *field = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

GListModel *
dr_job_feed_get_jobs (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return G_LIST_MODEL (self->jobs);
}

DrJob *
dr_job_feed_lookup_job (DrJobFeed *self,
                        gint64     job_id)
{
  guint n;

  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (dr_job_get_id (job) == job_id)
        return job;  /* the store keeps its reference */
    }
  return NULL;
}

const char * const *
dr_job_feed_get_repositories (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return (const char * const *) self->repositories;
}

void
_dr_job_feed_set_repositories (DrJobFeed          *self,
                               const char * const *repositories)
{
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (DR_IS_JOB_FEED (self));

  if (g_strv_equal (repositories, (const char * const *) self->repositories))
    return;
  g_strfreev (self->repositories);
  self->repositories = g_strdupv ((char **) repositories);

  /* Jobs of a repository no longer read go. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (g_strv_contains ((const char * const *) self->repositories,
                           dr_job_get_repository (job)))
        g_ptr_array_add (keep, g_steal_pointer (&job));
    }
  if (keep->len != n)
    g_list_store_splice (self->jobs, 0, n, keep->pdata, keep->len);
  set_bool (self, &self->synced, FALSE, PROP_SYNCED);
}

/* Active first; within each, newest first (GitHub's ids grow). */
static int
compare_jobs (gconstpointer a,
              gconstpointer b)
{
  DrJob *x = *(DrJob **) a;
  DrJob *y = *(DrJob **) b;
  gboolean xa = dr_job_is_active (x);
  gboolean ya = dr_job_is_active (y);

  if (xa != ya)
    return xa ? -1 : 1;
  if (dr_job_get_run_id (x) != dr_job_get_run_id (y))
    return dr_job_get_run_id (x) > dr_job_get_run_id (y) ? -1 : 1;
  if (dr_job_get_id (x) != dr_job_get_id (y))
    return dr_job_get_id (x) < dr_job_get_id (y) ? -1 : 1;  /* a run's jobs in their order */
  return 0;
}

static void
store_sorted (DrJobFeed *self,
              GPtrArray *wanted)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  gboolean same = n == wanted->len;

  g_ptr_array_sort (wanted, compare_jobs);
  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      same = job == g_ptr_array_index (wanted, i);
    }
  if (!same)
    g_list_store_splice (self->jobs, 0, n, wanted->pdata, wanted->len);
}

void
_dr_job_feed_update_repository (DrJobFeed  *self,
                                const char *repository,
                                GPtrArray  *runs)
{
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                     g_object_unref);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) run_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                         g_free, NULL);
  guint n;

  g_return_if_fail (DR_IS_JOB_FEED (self));
  g_return_if_fail (repository != NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (g_strcmp0 (dr_job_get_repository (job), repository) != 0)
        g_ptr_array_add (wanted, g_steal_pointer (&job));
      else
        {
          gint64 id = dr_job_get_id (job);

          g_hash_table_insert (old, g_memdup2 (&id, sizeof id), g_steal_pointer (&job));
        }
    }

  for (guint r = 0; runs != NULL && r < runs->len; r++)
    {
      DrRunJobs *entry = g_ptr_array_index (runs, r);
      gint64 run_id = dr_json_member_int (entry->run, "id", 0);
      guint n_jobs;

      if (run_id <= 0 || g_hash_table_contains (run_ids, &run_id))
        continue;
      g_hash_table_add (run_ids, g_memdup2 (&run_id, sizeof run_id));

      if (entry->jobs == NULL)
        {
          /* Not read this time: what we have of that run stays as it is. */
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, old);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (dr_job_get_run_id (value) == run_id)
              {
                g_ptr_array_add (wanted, g_object_ref (value));
                g_hash_table_iter_remove (&iter);
              }
          continue;
        }

      n_jobs = json_array_get_length (entry->jobs);
      for (guint j = 0; j < n_jobs; j++)
        {
          JsonObject *object = dr_json_node_object (json_array_get_element (entry->jobs, j));
          gint64 id = _dr_job_id_from_json (object);
          DrJob *job;

          if (id == 0)
            continue;
          job = g_hash_table_lookup (old, &id);
          if (job != NULL)
            {
              g_object_ref (job);
              g_hash_table_remove (old, &id);
            }
          else
            {
              /* The same job twice in one reply (pages that shifted): once is enough. */
              gboolean seen = FALSE;

              for (guint w = 0; w < wanted->len && !seen; w++)
                seen = dr_job_get_id (g_ptr_array_index (wanted, w)) == id;
              if (seen)
                continue;
              job = _dr_job_new (id);
            }
          _dr_job_update_from_json (job, object, entry->run, repository);
          g_ptr_array_add (wanted, job);
        }
    }

  store_sorted (self, wanted);
}

void
_dr_job_feed_join (DrJobFeed              *self,
                   const DrJobJoinContext *context)
{
  guint n;

  g_return_if_fail (DR_IS_JOB_FEED (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      g_autofree char *pod = NULL;
      g_autofree char *scale_set = NULL;
      DrJobPlacement placement;

      placement = dr_job_join (context, dr_job_get_status (job), dr_job_get_labels (job),
                               dr_job_get_runner_name (job), &pod, &scale_set);
      _dr_job_set_placement (job, placement, pod, scale_set);
    }

  /* The followed run's pod: where its job runs now, or ran. */
  if (self->followed_run_id != 0)
    {
      const char *pod = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

          if (dr_job_get_run_id (job) == self->followed_run_id && dr_job_get_pod (job) != NULL &&
              (pod == NULL || dr_job_get_placement (job) == DR_JOB_PLACEMENT_RUNNING_HERE))
            pod = dr_job_get_pod (job);
        }
      set_string (self, &self->followed_pod, pod, PROP_FOLLOWED_POD);
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
_dr_job_feed_has_active (DrJobFeed  *self,
                         const char *repository)
{
  guint n;

  g_return_val_if_fail (DR_IS_JOB_FEED (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (dr_job_is_active (job) &&
          (repository == NULL || g_strcmp0 (dr_job_get_repository (job), repository) == 0))
        return TRUE;
    }
  return FALSE;
}

void
_dr_job_feed_set_polling (DrJobFeed *self,
                          gboolean   polling)
{
  g_return_if_fail (DR_IS_JOB_FEED (self));
  set_bool (self, &self->polling, polling, PROP_POLLING);
}

void
_dr_job_feed_set_synced (DrJobFeed *self,
                         gboolean   synced)
{
  g_return_if_fail (DR_IS_JOB_FEED (self));
  set_bool (self, &self->synced, synced, PROP_SYNCED);
}

void
_dr_job_feed_set_error (DrJobFeed  *self,
                        const char *error)
{
  g_return_if_fail (DR_IS_JOB_FEED (self));
  set_string (self, &self->error, error, PROP_ERROR);
}

void
_dr_job_feed_set_rate_limit (DrJobFeed *self,
                             gint64     limit,
                             gint64     remaining,
                             gint64     reset_unix)
{
  g_return_if_fail (DR_IS_JOB_FEED (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->rate_limit, limit, PROP_RATE_LIMIT_LIMIT);
  set_int (self, &self->rate_remaining, remaining, PROP_RATE_LIMIT_REMAINING);
  set_int (self, &self->rate_reset, MAX (0, reset_unix), PROP_RATE_LIMIT_RESET);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_dr_job_feed_follow (DrJobFeed  *self,
                     const char *repository,
                     gint64      run_id,
                     const char *workflow)
{
  g_return_if_fail (DR_IS_JOB_FEED (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->followed_run_id, run_id, PROP_FOLLOWED_RUN_ID);
  set_string (self, &self->followed_repository, repository, PROP_FOLLOWED_REPOSITORY);
  set_string (self, &self->followed_workflow, workflow, PROP_FOLLOWED_WORKFLOW);
  set_string (self, &self->followed_html_url, NULL, PROP_FOLLOWED_HTML_URL);
  set_string (self, &self->followed_conclusion, NULL, PROP_FOLLOWED_CONCLUSION);
  set_string (self, &self->followed_pod, NULL, PROP_FOLLOWED_POD);
  set_string (self, &self->followed_problem, NULL, PROP_FOLLOWED_PROBLEM);
  if (self->followed_status != DR_JOB_STATUS_QUEUED)
    {
      self->followed_status = DR_JOB_STATUS_QUEUED;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWED_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_dr_job_feed_update_followed (DrJobFeed  *self,
                              JsonObject *run)
{
  DrJobStatus status = DR_JOB_STATUS_QUEUED;
  const char *name;

  g_return_if_fail (DR_IS_JOB_FEED (self));

  if (self->followed_run_id == 0 || dr_json_member_int (run, "id", 0) != self->followed_run_id)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  dr_job_status_from_string (dr_json_member_string (run, "status"), &status);
  if (self->followed_status != status)
    {
      self->followed_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWED_STATUS]);
    }
  set_string (self, &self->followed_conclusion, dr_json_member_string (run, "conclusion"),
              PROP_FOLLOWED_CONCLUSION);
  set_string (self, &self->followed_html_url, dr_json_member_string (run, "html_url"),
              PROP_FOLLOWED_HTML_URL);
  name = dr_json_member_string (run, "name");
  if (name != NULL)
    set_string (self, &self->followed_workflow, name, PROP_FOLLOWED_WORKFLOW);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_dr_job_feed_set_followed_problem (DrJobFeed  *self,
                                   const char *problem)
{
  g_return_if_fail (DR_IS_JOB_FEED (self));
  set_string (self, &self->followed_problem, problem, PROP_FOLLOWED_PROBLEM);
}

gboolean
_dr_job_feed_is_following (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), FALSE);
  return self->followed_problem == NULL &&
         (self->followed_run_id == 0 ? self->followed_workflow != NULL
                                     : self->followed_status != DR_JOB_STATUS_COMPLETED);
}

gboolean
dr_job_feed_get_polling (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), FALSE);
  return self->polling;
}

gboolean
dr_job_feed_get_synced (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), FALSE);
  return self->synced;
}

const char *
dr_job_feed_get_error (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->error;
}

gint64
dr_job_feed_get_rate_limit_remaining (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), -1);
  return self->rate_remaining;
}

gint64
dr_job_feed_get_rate_limit_limit (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), -1);
  return self->rate_limit;
}

gint64
dr_job_feed_get_rate_limit_reset (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), 0);
  return self->rate_reset;
}

char *
dr_job_feed_dup_rate_limit_text (DrJobFeed *self)
{
  g_autoptr(GDateTime) reset = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);

  if (self->rate_limit < 0 || self->rate_remaining < 0)
    return NULL;
  if (self->rate_reset > 0)
    reset = g_date_time_new_from_unix_utc (self->rate_reset);
  if (reset == NULL)
    /* Translators: GitHub's rate limit, e.g. "4812 of 5000 requests left" */
    return g_strdup_printf (_("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " requests left"),
                            self->rate_remaining, self->rate_limit);
  local = g_date_time_to_local (reset);
  time = g_date_time_format (local, "%H:%M");
  /* Translators: GitHub's rate limit, e.g. "4812 of 5000 requests left, renewed at 14:05" */
  return g_strdup_printf (_("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                            " requests left, renewed at %s"),
                          self->rate_remaining, self->rate_limit, time);
}

gint64
dr_job_feed_get_followed_run_id (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), 0);
  return self->followed_run_id;
}

const char *
dr_job_feed_get_followed_repository (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->followed_repository;
}

const char *
dr_job_feed_get_followed_workflow (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->followed_workflow;
}

const char *
dr_job_feed_get_followed_html_url (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->followed_html_url;
}

DrJobStatus
dr_job_feed_get_followed_status (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), DR_JOB_STATUS_QUEUED);
  return self->followed_status;
}

const char *
dr_job_feed_get_followed_conclusion (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->followed_conclusion;
}

const char *
dr_job_feed_get_followed_pod (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->followed_pod;
}

const char *
dr_job_feed_get_followed_problem (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);
  return self->followed_problem;
}

char *
dr_job_feed_dup_followed_label (DrJobFeed *self)
{
  g_return_val_if_fail (DR_IS_JOB_FEED (self), NULL);

  if (self->followed_problem != NULL)
    return g_strdup (self->followed_problem);
  if (self->followed_run_id == 0)
    return self->followed_workflow != NULL ? g_strdup (_("Dispatched — looking for the run"))
                                           : NULL;
  switch (self->followed_status)
    {
    case DR_JOB_STATUS_COMPLETED:
      if (g_strcmp0 (self->followed_conclusion, "success") == 0)
        return g_strdup (_("Succeeded"));
      if (g_strcmp0 (self->followed_conclusion, "cancelled") == 0)
        return g_strdup (_("Cancelled"));
      if (g_strcmp0 (self->followed_conclusion, "failure") == 0)
        return g_strdup (_("Failed"));
      return g_strdup_printf (_("Completed (%s)"), self->followed_conclusion ?: _("unknown"));
    case DR_JOB_STATUS_IN_PROGRESS:
      if (self->followed_pod != NULL)
        return g_strdup_printf (_("In progress on %s"), self->followed_pod);
      return g_strdup (_("In progress"));
    case DR_JOB_STATUS_WAITING:
      return g_strdup (_("Waiting for an approval"));
    case DR_JOB_STATUS_QUEUED:
    case DR_JOB_STATUS_REQUESTED:
    case DR_JOB_STATUS_PENDING:
    default:
      if (self->followed_pod != NULL)
        return g_strdup_printf (_("Queued, starting on %s"), self->followed_pod);
      return g_strdup (_("Queued"));
    }
}

GPtrArray *
dr_job_feed_dup_followed_jobs (DrJobFeed *self)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_val_if_fail (DR_IS_JOB_FEED (self), jobs);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; self->followed_run_id != 0 && i < n; i++)
    {
      g_autoptr(DrJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (dr_job_get_run_id (job) == self->followed_run_id)
        g_ptr_array_add (jobs, g_steal_pointer (&job));
    }
  return jobs;
}
