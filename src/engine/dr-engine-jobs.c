/* dr-engine-jobs.c — the engine's GitHub verbs: jobs polling, dispatch, logs, credentials
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One GitHub client per runner (its credential from the keyring, never logged), one poller per
 * repository it reads. A poll lists the repository's newest runs (conditional: an unchanged
 * list is a free 304), then the jobs of the runs that are active or changed, and joins them
 * with the runner's pods. dr-poll-schedule.c says when the next poll is.
 *
 * The state lives in the engine's object data ("dr-engine-jobs") rather than in struct
 * _DrEngine, so this room stays in its own files; it is freed with the engine.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dr-engine-private.h"
#include "dr-error.h"
#include "dr-github-api.h"
#include "dr-github-client.h"
#include "dr-job-feed-private.h"
#include "dr-json.h"
#include "dr-keyring.h"
#include "dr-poll-schedule.h"
#include "dr-step-queue.h"

/* Runs read per poll: the active ones are always among the newest. */
#define RUNS_PER_POLL       20
/* Completed runs whose jobs stay on the page. */
#define COMPLETED_RUNS_SHOWN 3
/* How often a 204 dispatch looks for its run. */
#define FIND_INTERVAL_S      3

typedef struct _EngineJobs  EngineJobs;
typedef struct _RunnerJobs  RunnerJobs;
typedef struct _RepoPoller  RepoPoller;

struct _EngineJobs
{
  DrEngine    *engine;        /* borrowed: this lives in its object data */
  gboolean     polling;
  guint        find_timeout_s;
  GHashTable  *runners;       /* name -> RunnerJobs */
  GListModel  *runner_model;  /* the engine's, kept: the engine clears it before its data */
  gulong       runners_changed_id;
};

struct _RunnerJobs
{
  EngineJobs     *owner;
  char           *name;
  DrRunner       *runner;
  DrGithubClient *client;
  char           *client_key;    /* the credential id and API base the client is for */
  GPtrArray      *client_waiters;/* GTask waiting for the client */
  GCancellable   *cancellable;
  GPtrArray      *repos;         /* RepoPoller */
  gulong          ephemeral_id;
  gulong          spec_id;
};

struct _RepoPoller
{
  RunnerJobs     *owner;
  char           *full;          /* owner/repo */
  char           *owner_name;
  char           *repo_name;
  DrPollSchedule *schedule;
  guint           timer_id;
  gboolean        in_flight;
  gboolean        read_once;
  GPtrArray      *waiters;       /* GTask: refresh_jobs callers */
  GHashTable     *jobs_cache;    /* gint64 run id -> JsonArray (jobs as last read) */
  GHashTable     *run_updated;   /* gint64 run id -> char * updated_at when last read */
  /* The poll under way */
  JsonArray      *runs;
  GPtrArray      *to_read;       /* JsonObject runs whose jobs must be read */
  guint64         requests_before;
};

static void repo_poller_schedule (RepoPoller *poller);
static void repo_poller_poll     (RepoPoller *poller);

/* ---- Small helpers ------------------------------------------------------------------------ */

static gboolean
split_repository (const char  *full,
                  char       **out_owner,
                  char       **out_repo)
{
  g_auto(GStrv) parts = full != NULL ? g_strsplit (full, "/", -1) : NULL;

  if (parts == NULL || g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0')
    return FALSE;
  *out_owner = g_strdup (parts[0]);
  *out_repo = g_strdup (parts[1]);
  return TRUE;
}

/* "owner/repo" of a repository-scope URL, or NULL. */
static char *
repository_of_url (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_auto(GStrv) parts = NULL;

  if (uri == NULL)
    return NULL;
  parts = g_strsplit (g_uri_get_path (uri) + (g_uri_get_path (uri)[0] == '/'), "/", -1);
  if (g_strv_length (parts) != 2 || *parts[0] == '\0' || *parts[1] == '\0' ||
      g_str_equal (parts[0], "enterprises"))
    return NULL;
  return g_strdup_printf ("%s/%s", parts[0], parts[1]);
}

GStrv
dr_engine_dup_job_repositories (DrEngine   *self,
                                const char *runner_name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  DrRunner *runner;
  g_autofree char *repository = NULL;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);

  runner = dr_engine_lookup_runner (self, runner_name);
  if (runner != NULL)
    repository = repository_of_url (dr_runner_get_spec (runner)->repository_url);
  if (repository != NULL)
    g_strv_builder_add (builder, repository);
  return g_strv_builder_end (builder);
}

static void
fill_join_context (DrRunner         *runner,
                   DrJobJoinContext *context,
                   GStrv            *out_scale_sets,
                   GStrv            *out_labels,
                   GStrv            *out_pods)
{
  DrRunnerSpec *spec = dr_runner_get_spec (runner);
  GListModel *pods = dr_runner_get_ephemeral_runners (runner);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (pods);

  for (guint i = 0; spec->labels != NULL && i < spec->labels->len; i++)
    g_strv_builder_add (labels, g_ptr_array_index (spec->labels, i));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrEphemeralRunner) pod = g_list_model_get_item (pods, i);

      g_strv_builder_add (names, dr_ephemeral_runner_get_name (pod));
    }
  *out_scale_sets = dr_runner_spec_dup_scale_set_names (spec);
  *out_labels = g_strv_builder_end (labels);
  *out_pods = g_strv_builder_end (names);
  context->scale_sets = (const char * const *) *out_scale_sets;
  context->extra_labels = (const char * const *) *out_labels;
  context->ephemeral_runners = (const char * const *) *out_pods;
}

static void
join_runner (RunnerJobs *rj)
{
  DrJobJoinContext context;
  g_auto(GStrv) scale_sets = NULL;
  g_auto(GStrv) labels = NULL;
  g_auto(GStrv) pods = NULL;

  fill_join_context (rj->runner, &context, &scale_sets, &labels, &pods);
  _dr_job_feed_join (dr_runner_get_job_feed (rj->runner), &context);
}

/* ---- The client ---------------------------------------------------------------------------- */

static char *
client_key_for (DrRunnerSpec *spec)
{
  g_autofree char *base = dr_github_api_base_for_repository (spec->repository_url, NULL);

  return g_strdup_printf ("%s|%s", spec->credential_id ?: "", base ?: "");
}

static DrGithubClient *
client_new (const DrRunnerSpec *spec,
            const DrCredential *credential,
            GError            **error)
{
  g_autofree char *base = dr_github_api_base_for_repository (spec->repository_url, error);
  g_autofree char *cache_dir = NULL;
  g_autofree char *repository = NULL;
  g_autoptr(DrGithubAuth) auth = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *repo = NULL;

  if (base == NULL)
    return NULL;
  auth = dr_github_auth_new (credential);
  repository = repository_of_url (spec->repository_url);
  if (repository != NULL && split_repository (repository, &owner, &repo))
    dr_github_auth_set_target (auth, owner, repo);
  else
    {
      g_autoptr(GUri) uri = g_uri_parse (spec->repository_url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL)
        {
          g_autofree char *org = g_strdup (g_uri_get_path (uri) + 1);

          dr_github_auth_set_target (auth, org, NULL);
        }
    }
  cache_dir = dr_github_client_default_cache_dir ();
  /* The cache is keyed by the keyring reference, never by the secret. */
  return dr_github_client_new (base, auth, cache_dir, spec->credential_id);
}

static void
keyring_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RunnerJobs *rj = user_data;
  g_autoptr(DrCredential) credential = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = NULL;

  credential = dr_keyring_lookup_finish (result, &error);
  /* Cancelled only when the runner went: its waiters were told then, and @rj is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  waiters = g_steal_pointer (&rj->client_waiters);
  if (credential != NULL)
    rj->client = client_new (dr_runner_get_spec (rj->runner), credential, &error);
  else
    g_prefix_error (&error, _("The runner’s credential could not be read from the keyring: "));

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (rj->client != NULL)
        g_task_return_pointer (task, g_object_ref (rj->client), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

/* The runner's client, made once from the keyring (again when its credential changed). */
static void
runner_get_client_async (RunnerJobs          *rj,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  DrRunnerSpec *spec = dr_runner_get_spec (rj->runner);
  g_autofree char *key = client_key_for (spec);

  if (rj->client != NULL && g_strcmp0 (key, rj->client_key) == 0)
    {
      g_task_return_pointer (task, g_object_ref (rj->client), g_object_unref);
      g_object_unref (task);
      return;
    }
  g_clear_object (&rj->client);
  g_free (rj->client_key);
  rj->client_key = g_steal_pointer (&key);

  if (spec->credential_id == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                               _("The runner “%s” has no credential in the keyring"),
                               spec->name);
      g_object_unref (task);
      return;
    }
  if (rj->client_waiters != NULL)
    {
      g_ptr_array_add (rj->client_waiters, task);
      return;
    }
  rj->client_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (rj->client_waiters, task);
  dr_keyring_lookup_async (spec->credential_id, rj->cancellable, keyring_lookup_cb, rj);
}

static DrGithubClient *
runner_get_client_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Polling one repository ---------------------------------------------------------------- */

static void
repo_poller_free (RepoPoller *poller)
{
  g_clear_handle_id (&poller->timer_id, g_source_remove);
  for (guint i = 0; poller->waiters != NULL && i < poller->waiters->len; i++)
    g_task_return_new_error (g_ptr_array_index (poller->waiters, i), G_IO_ERROR,
                             G_IO_ERROR_CANCELLED, _("Stopped reading GitHub"));
  g_clear_pointer (&poller->waiters, g_ptr_array_unref);
  g_free (poller->full);
  g_free (poller->owner_name);
  g_free (poller->repo_name);
  dr_poll_schedule_free (poller->schedule);
  g_hash_table_unref (poller->jobs_cache);
  g_hash_table_unref (poller->run_updated);
  g_clear_pointer (&poller->runs, json_array_unref);
  g_clear_pointer (&poller->to_read, g_ptr_array_unref);
  g_free (poller);
}

static RepoPoller *
repo_poller_new (RunnerJobs *owner,
                 const char *full)
{
  RepoPoller *poller = g_new0 (RepoPoller, 1);

  poller->owner = owner;
  poller->full = g_strdup (full);
  split_repository (full, &poller->owner_name, &poller->repo_name);
  poller->schedule = dr_poll_schedule_new ();
  poller->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  poller->jobs_cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) json_array_unref);
  poller->run_updated = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  return poller;
}

static DrJobFeed *
poller_feed (RepoPoller *poller)
{
  return dr_runner_get_job_feed (poller->owner->runner);
}

/* Whether this repository should be read on a timer: the window polls, or a dispatched run
 * of it is being followed (deskrunctl dispatch --follow). */
static gboolean
repo_poller_wanted (RepoPoller *poller)
{
  DrJobFeed *feed = poller_feed (poller);

  return poller->owner->owner->polling ||
         (_dr_job_feed_is_following (feed) &&
          g_strcmp0 (dr_job_feed_get_followed_repository (feed), poller->full) == 0);
}

static void
record_requests (RepoPoller     *poller,
                 DrGithubClient *client)
{
  guint64 now_count = dr_github_client_get_request_count (client);
  gint64 now = g_get_real_time ();

  for (guint64 i = poller->requests_before; i < now_count; i++)
    dr_poll_schedule_record_request (poller->schedule, now);
  poller->requests_before = now_count;
}

static void
repo_poller_end (RepoPoller   *poller,
                 const GError *error)
{
  DrJobFeed *feed = poller_feed (poller);
  RunnerJobs *rj = poller->owner;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&poller->waiters);
  DrPollActivity activity;

  poller->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  poller->in_flight = FALSE;
  g_clear_pointer (&poller->runs, json_array_unref);
  g_clear_pointer (&poller->to_read, g_ptr_array_unref);

  if (rj->client != NULL)
    {
      const DrGithubRateLimit *limit = dr_github_client_get_rate_limit (rj->client);

      record_requests (poller, rj->client);
      if (limit != NULL)
        {
          _dr_job_feed_set_rate_limit (feed, limit->limit, limit->remaining, limit->reset_unix);
          dr_poll_schedule_set_rate_limit (poller->schedule, MAX (0, limit->limit),
                                           limit->remaining, limit->reset_unix);
        }
    }

  if (error == NULL)
    {
      gboolean all = TRUE;

      _dr_job_feed_set_error (feed, NULL);
      poller->read_once = TRUE;
      /* Synced once every repository has been read. */
      for (guint i = 0; i < rj->repos->len; i++)
        all = all && ((RepoPoller *) g_ptr_array_index (rj->repos, i))->read_once;
      if (all)
        _dr_job_feed_set_synced (feed, TRUE);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _dr_job_feed_set_error (feed, error->message);

  if (_dr_job_feed_is_following (feed) &&
      g_strcmp0 (dr_job_feed_get_followed_repository (feed), poller->full) == 0)
    activity = DR_POLL_ACTIVITY_FOLLOWING;
  else if (_dr_job_feed_has_active (feed, poller->full))
    activity = DR_POLL_ACTIVITY_JOBS;
  else
    activity = DR_POLL_ACTIVITY_IDLE;
  dr_poll_schedule_set_activity (poller->schedule, activity);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    repo_poller_schedule (poller);
}

static void
repo_poller_finish_poll (RepoPoller *poller)
{
  DrJobFeed *feed = poller_feed (poller);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_run_jobs_free);
  guint n = json_array_get_length (poller->runs);
  guint completed = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *run = dr_json_node_object (json_array_get_element (poller->runs, i));
      gint64 id = dr_json_member_int (run, "id", 0);
      gboolean active = g_strcmp0 (dr_json_member_string (run, "status"), "completed") != 0;
      gboolean followed = id == dr_job_feed_get_followed_run_id (feed);

      if (id <= 0)
        continue;
      if (followed)
        _dr_job_feed_update_followed (feed, run);
      if (!active && !followed && completed++ >= COMPLETED_RUNS_SHOWN)
        continue;
      g_ptr_array_add (entries, dr_run_jobs_new (run, g_hash_table_lookup (poller->jobs_cache,
                                                                           &id)));
    }
  _dr_job_feed_update_repository (feed, poller->full, entries);
  join_runner (poller->owner);
  repo_poller_end (poller, NULL);
}

static void read_next_jobs (RepoPoller *poller);

static void
list_jobs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RepoPoller *poller = user_data;
  g_autoptr(JsonArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *run;
  gint64 id;

  jobs = dr_github_api_list_jobs_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the runner went, and @poller with it */
  if (jobs == NULL)
    {
      repo_poller_end (poller, error);
      return;
    }
  run = g_ptr_array_steal_index (poller->to_read, 0);
  id = dr_json_member_int (run, "id", 0);
  g_hash_table_insert (poller->jobs_cache, g_memdup2 (&id, sizeof id), g_steal_pointer (&jobs));
  g_hash_table_insert (poller->run_updated, g_memdup2 (&id, sizeof id),
                       g_strdup (dr_json_member_string (run, "updated_at")));
  json_object_unref (run);
  read_next_jobs (poller);
}

static void
read_next_jobs (RepoPoller *poller)
{
  JsonObject *run;

  if (poller->to_read->len == 0)
    {
      repo_poller_finish_poll (poller);
      return;
    }
  run = g_ptr_array_index (poller->to_read, 0);
  dr_github_api_list_jobs_async (poller->owner->client, poller->owner_name, poller->repo_name,
                                 dr_json_member_int (run, "id", 0), poller->owner->cancellable,
                                 list_jobs_cb, poller);
}

static void
list_runs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RepoPoller *poller = user_data;
  g_autoptr(GError) error = NULL;
  JsonArray *runs;
  DrJobFeed *feed;
  guint n, completed = 0;

  runs = dr_github_api_list_runs_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the runner went, and @poller with it */
  feed = poller_feed (poller);
  poller->runs = runs;
  if (poller->runs == NULL)
    {
      repo_poller_end (poller, error);
      return;
    }

  /* Jobs are read for runs that are going, that changed since they were last read, or that
   * were never read; the rest come from what the last read gave (frugal). */
  poller->to_read = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  n = json_array_get_length (poller->runs);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *run = dr_json_node_object (json_array_get_element (poller->runs, i));
      gint64 id = dr_json_member_int (run, "id", 0);
      gboolean active = g_strcmp0 (dr_json_member_string (run, "status"), "completed") != 0;
      gboolean followed = id == dr_job_feed_get_followed_run_id (feed);
      const char *updated;

      if (id <= 0)
        continue;
      if (!active && !followed && completed++ >= COMPLETED_RUNS_SHOWN)
        continue;
      updated = g_hash_table_lookup (poller->run_updated, &id);
      if (active || !g_hash_table_contains (poller->jobs_cache, &id) ||
          g_strcmp0 (updated, dr_json_member_string (run, "updated_at")) != 0)
        g_ptr_array_add (poller->to_read, json_object_ref (run));
    }
  read_next_jobs (poller);
}

static void
poll_client_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RepoPoller *poller = user_data;
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = runner_get_client_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the runner went, and @poller with it */
  if (client == NULL)
    {
      repo_poller_end (poller, error);
      return;
    }
  poller->requests_before = dr_github_client_get_request_count (client);
  dr_github_api_list_runs_async (client, poller->owner_name, poller->repo_name, NULL,
                                 RUNS_PER_POLL, poller->owner->cancellable, list_runs_cb, poller);
}

static void
repo_poller_poll (RepoPoller *poller)
{
  g_clear_handle_id (&poller->timer_id, g_source_remove);
  if (poller->in_flight)
    return;
  poller->in_flight = TRUE;
  dr_poll_schedule_record_poll (poller->schedule, g_get_real_time ());
  _dr_job_feed_set_polling (poller_feed (poller), TRUE);
  runner_get_client_async (poller->owner, poller->owner->cancellable, poll_client_cb, poller);
}

static gboolean
poll_timer_cb (gpointer data)
{
  RepoPoller *poller = data;

  poller->timer_id = 0;
  repo_poller_poll (poller);
  return G_SOURCE_REMOVE;
}

static void
repo_poller_schedule (RepoPoller *poller)
{
  gint64 now = g_get_real_time ();
  gint64 next;

  g_clear_handle_id (&poller->timer_id, g_source_remove);
  if (poller->in_flight)
    return;
  if (!repo_poller_wanted (poller))
    {
      _dr_job_feed_set_polling (poller_feed (poller), FALSE);
      return;
    }
  next = dr_poll_schedule_next_poll (poller->schedule, now);
  poller->timer_id = g_timeout_add (MAX (0, (next - now) / 1000), poll_timer_cb, poller);
}

/* ---- Runners ------------------------------------------------------------------------------- */

static void
runner_jobs_free (RunnerJobs *rj)
{
  g_cancellable_cancel (rj->cancellable);
  g_clear_pointer (&rj->repos, g_ptr_array_unref);
  if (rj->ephemeral_id != 0)
    g_signal_handler_disconnect (dr_runner_get_ephemeral_runners (rj->runner), rj->ephemeral_id);
  if (rj->spec_id != 0)
    g_signal_handler_disconnect (rj->runner, rj->spec_id);
  for (guint i = 0; rj->client_waiters != NULL && i < rj->client_waiters->len; i++)
    g_task_return_new_error (g_ptr_array_index (rj->client_waiters, i), G_IO_ERROR,
                             G_IO_ERROR_CANCELLED, _("Stopped reading GitHub"));
  g_clear_pointer (&rj->client_waiters, g_ptr_array_unref);
  g_clear_object (&rj->cancellable);
  g_clear_object (&rj->client);
  g_free (rj->client_key);
  g_free (rj->name);
  g_clear_object (&rj->runner);
  g_free (rj);
}

static void
sync_repositories (RunnerJobs *rj)
{
  g_auto(GStrv) wanted = dr_engine_dup_job_repositories (rj->owner->engine, rj->name);
  g_autoptr(GPtrArray) repos = g_ptr_array_new_with_free_func ((GDestroyNotify) repo_poller_free);

  for (guint i = 0; wanted[i] != NULL; i++)
    {
      RepoPoller *found = NULL;

      for (guint j = 0; j < rj->repos->len && found == NULL; j++)
        if (g_str_equal (((RepoPoller *) rj->repos->pdata[j])->full, wanted[i]))
          found = g_ptr_array_steal_index (rj->repos, j);
      if (found == NULL)
        found = repo_poller_new (rj, wanted[i]);
      g_ptr_array_add (repos, found);
    }
  g_ptr_array_unref (rj->repos);
  rj->repos = g_steal_pointer (&repos);
  _dr_job_feed_set_repositories (dr_runner_get_job_feed (rj->runner),
                                 (const char * const *) wanted);
  if (wanted[0] == NULL)
    {
      DrRunnerSpec *spec = dr_runner_get_spec (rj->runner);

      _dr_job_feed_set_error (dr_runner_get_job_feed (rj->runner),
                              spec->repository_url != NULL &&
                              repository_of_url (spec->repository_url) == NULL
                                ? _("An organisation runner’s jobs are read per repository; "
                                    "none is configured for this runner yet")
                                : NULL);
    }
  for (guint i = 0; i < rj->repos->len; i++)
    repo_poller_schedule (g_ptr_array_index (rj->repos, i));
}

static void
spec_changed_cb (RunnerJobs *rj)
{
  sync_repositories (rj);
  join_runner (rj);
}

static RunnerJobs *
runner_jobs_new (EngineJobs *owner,
                 DrRunner   *runner)
{
  RunnerJobs *rj = g_new0 (RunnerJobs, 1);

  rj->owner = owner;
  rj->name = g_strdup (dr_runner_get_name (runner));
  rj->runner = g_object_ref (runner);
  rj->cancellable = g_cancellable_new ();
  rj->repos = g_ptr_array_new_with_free_func ((GDestroyNotify) repo_poller_free);
  /* A pod appearing or going changes where jobs stand, without asking GitHub again. */
  rj->ephemeral_id = g_signal_connect_swapped (dr_runner_get_ephemeral_runners (runner),
                                               "items-changed", G_CALLBACK (join_runner), rj);
  rj->spec_id = g_signal_connect_swapped (runner, "notify::spec", G_CALLBACK (spec_changed_cb),
                                          rj);
  sync_repositories (rj);
  return rj;
}

static void
engine_jobs_free (EngineJobs *jobs)
{
  g_clear_signal_handler (&jobs->runners_changed_id, jobs->runner_model);
  g_clear_object (&jobs->runner_model);
  g_hash_table_unref (jobs->runners);
  g_free (jobs);
}

/* The runner list changed: pollers for new runners, none for removed ones. A runner object
 * that was replaced (same name) gets a fresh poller for the new object. */
static void
sync_runners (EngineJobs *jobs)
{
  GListModel *runners = dr_engine_get_runners (jobs->engine);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (runners);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);
      RunnerJobs *rj = g_hash_table_lookup (jobs->runners, dr_runner_get_name (runner));

      if (dr_runner_get_status (runner) == DR_RUNNER_STATUS_UNMANAGED)
        continue;
      if (rj != NULL && rj->runner != runner)
        {
          g_hash_table_remove (jobs->runners, dr_runner_get_name (runner));
          rj = NULL;
        }
      if (rj == NULL)
        {
          rj = runner_jobs_new (jobs, runner);
          g_hash_table_insert (jobs->runners, rj->name, rj);
        }
      g_hash_table_add (seen, rj->name);
    }

  g_hash_table_iter_init (&iter, jobs->runners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (seen, key))
      g_hash_table_iter_remove (&iter);
}

static EngineJobs *
engine_jobs (DrEngine *engine)
{
  EngineJobs *jobs = g_object_get_data (G_OBJECT (engine), "dr-engine-jobs");

  if (jobs != NULL)
    return jobs;
  jobs = g_new0 (EngineJobs, 1);
  jobs->engine = engine;
  jobs->find_timeout_s = DR_ENGINE_DISPATCH_FIND_TIMEOUT_S;
  jobs->runners = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) runner_jobs_free);
  jobs->runner_model = g_object_ref (dr_engine_get_runners (engine));
  jobs->runners_changed_id = g_signal_connect_swapped (jobs->runner_model,
                                                       "items-changed",
                                                       G_CALLBACK (sync_runners), jobs);
  g_object_set_data_full (G_OBJECT (engine), "dr-engine-jobs", jobs,
                          (GDestroyNotify) engine_jobs_free);
  sync_runners (jobs);
  return jobs;
}

static RunnerJobs *
lookup_runner_jobs (DrEngine    *engine,
                    const char  *name,
                    GError     **error)
{
  EngineJobs *jobs = engine_jobs (engine);
  RunnerJobs *rj;

  sync_runners (jobs);
  rj = name != NULL ? g_hash_table_lookup (jobs->runners, name) : NULL;
  if (rj == NULL)
    g_set_error (error, DR_ERROR, DR_ERROR_NOT_FOUND, _("There is no runner called “%s”"),
                 name ?: "");
  return rj;
}

static RepoPoller *
lookup_repo (RunnerJobs  *rj,
             const char  *repository,
             GError     **error)
{
  for (guint i = 0; i < rj->repos->len; i++)
    {
      RepoPoller *poller = g_ptr_array_index (rj->repos, i);

      if (repository == NULL || g_str_equal (poller->full, repository))
        return poller;
    }
  if (repository != NULL)
    g_set_error (error, DR_ERROR, DR_ERROR_NOT_FOUND,
                 _("The runner “%s” does not read the repository %s"), rj->name, repository);
  else
    g_set_error (error, DR_ERROR, DR_ERROR_NOT_FOUND,
                 _("The runner “%s” has no repository to read jobs from"), rj->name);
  return NULL;
}

void
dr_engine_set_jobs_polling (DrEngine *self,
                            gboolean  polling)
{
  EngineJobs *jobs;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DR_IS_ENGINE (self));

  jobs = engine_jobs (self);
  if (jobs->polling == !!polling)
    return;
  jobs->polling = !!polling;
  g_hash_table_iter_init (&iter, jobs->runners);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      RunnerJobs *rj = value;

      for (guint i = 0; i < rj->repos->len; i++)
        repo_poller_schedule (g_ptr_array_index (rj->repos, i));
    }
}

gboolean
dr_engine_get_jobs_polling (DrEngine *self)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), FALSE);
  return engine_jobs (self)->polling;
}

typedef struct
{
  guint   pending;
  GError *error;
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_clear_error (&data->error);
  g_free (data);
}

static void
refresh_repo_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && data->error == NULL)
    data->error = g_steal_pointer (&error);
  if (--data->pending > 0)
    return;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

void
dr_engine_refresh_jobs_async (DrEngine            *self,
                              const char          *runner_name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RefreshData *data;
  RunnerJobs *rj;

  g_return_if_fail (DR_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_refresh_jobs_async);
  rj = lookup_runner_jobs (self, runner_name, &error);
  if (rj == NULL || lookup_repo (rj, NULL, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (RefreshData, 1);
  data->pending = rj->repos->len;
  g_task_set_task_data (task, data, (GDestroyNotify) refresh_data_free);
  for (guint i = 0; i < rj->repos->len; i++)
    {
      RepoPoller *poller = g_ptr_array_index (rj->repos, i);
      GTask *waiter = g_task_new (NULL, NULL, refresh_repo_cb, g_object_ref (task));

      g_ptr_array_add (poller->waiters, waiter);
      dr_poll_schedule_poke (poller->schedule);
      repo_poller_poll (poller);
    }
}

gboolean
dr_engine_refresh_jobs_finish (DrEngine      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Dispatch targets ---------------------------------------------------------------------- */

typedef struct
{
  RunnerJobs        *rj;
  RepoPoller        *repo;
  DrGithubClient    *client;
  DrDispatchTargets *targets;
  JsonArray         *workflows;
  guint              next;
} TargetsData;

static void
targets_data_free (TargetsData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->targets, dr_dispatch_targets_unref);
  g_clear_pointer (&data->workflows, json_array_unref);
  g_free (data);
}

static void read_next_workflow (GTask *task);

static void
contents_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TargetsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *entry = dr_json_node_object (json_array_get_element (data->workflows,
                                                                   data->next));
  DrDispatchWorkflow *workflow;

  bytes = dr_github_api_get_contents_finish (DR_GITHUB_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  workflow = dr_dispatch_workflow_new (dr_json_member_string (entry, "path"),
                                       dr_json_member_string (entry, "name"),
                                       dr_json_member_int (entry, "id", 0),
                                       dr_json_member_string (entry, "html_url"));
  if (bytes == NULL)
    workflow->error = g_strdup_printf (_("%s could not be read: %s"), workflow->path,
                                       error->message);
  else
    {
      DrJobJoinContext context;
      g_auto(GStrv) scale_sets = NULL;
      g_auto(GStrv) labels = NULL;
      g_auto(GStrv) pods = NULL;
      gsize size;
      const char *text = g_bytes_get_data (bytes, &size);

      fill_join_context (data->rj->runner, &context, &scale_sets, &labels, &pods);
      dr_dispatch_workflow_set_text (workflow, text ?: "", size, &context);
    }
  dr_dispatch_targets_add_workflow (data->targets, workflow);
  data->next++;
  read_next_workflow (g_steal_pointer (&task));
}

static void
read_next_workflow (GTask *task)
{
  TargetsData *data = g_task_get_task_data (task);
  guint n = json_array_get_length (data->workflows);

  while (data->next < n)
    {
      JsonObject *entry = dr_json_node_object (json_array_get_element (data->workflows,
                                                                       data->next));
      const char *path = dr_json_member_string (entry, "path");
      const char *state = dr_json_member_string (entry, "state");

      /* Workflows GitHub lists that are no files of ours (dynamic ones such as CodeQL's) or
       * that are disabled cannot be dispatched. */
      if (path != NULL && g_str_has_prefix (path, ".github/workflows/") &&
          (state == NULL || g_str_equal (state, "active")))
        {
          dr_github_api_get_contents_async (data->client, data->repo->owner_name,
                                            data->repo->repo_name, path, NULL,
                                            g_task_get_cancellable (task), contents_cb, task);
          return;
        }
      data->next++;
    }
  g_task_return_pointer (task, dr_dispatch_targets_ref (data->targets),
                         (GDestroyNotify) dr_dispatch_targets_unref);
  g_object_unref (task);
}

static void
list_workflows_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TargetsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->workflows = dr_github_api_list_workflows_finish (DR_GITHUB_CLIENT (object), result,
                                                         &error);
  if (data->workflows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  read_next_workflow (g_steal_pointer (&task));
}

static void
list_branches_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (user_data));
  g_autoptr(GTask) task = user_data;
  TargetsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) branches = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  branches = dr_github_api_list_branches_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (branches == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      const char *name = dr_json_member_string (dr_json_node_object (json_array_get_element (branches, i)), "name");

      if (name != NULL)
        g_strv_builder_add (names, name);
    }
  strv = g_strv_builder_end (names);
  dr_dispatch_targets_set_refs (data->targets, (const char * const *) strv);
  dr_github_api_list_workflows_async (data->client, data->repo->owner_name,
                                      data->repo->repo_name, cancellable,
                                      list_workflows_cb, g_steal_pointer (&task));
}

static void
get_repository_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (user_data));
  g_autoptr(GTask) task = user_data;
  TargetsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) repository = NULL;

  repository = dr_github_api_get_repository_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (repository == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->targets = dr_dispatch_targets_new (data->repo->full,
                                           dr_json_member_string (repository, "default_branch"));
  dr_github_api_list_branches_async (data->client, data->repo->owner_name,
                                     data->repo->repo_name, cancellable,
                                     list_branches_cb, g_steal_pointer (&task));
}

static void
targets_client_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (user_data));
  g_autoptr(GTask) task = user_data;
  TargetsData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->client = runner_get_client_finish (result, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dr_github_api_get_repository_async (data->client, data->repo->owner_name,
                                      data->repo->repo_name, cancellable,
                                      get_repository_cb, g_steal_pointer (&task));
}

void
dr_engine_list_dispatch_targets_async (DrEngine            *self,
                                       const char          *runner_name,
                                       const char          *repository,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  TargetsData *data;
  RunnerJobs *rj;
  RepoPoller *repo;

  g_return_if_fail (DR_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_list_dispatch_targets_async);
  rj = lookup_runner_jobs (self, runner_name, &error);
  repo = rj != NULL ? lookup_repo (rj, repository, &error) : NULL;
  if (repo == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_new0 (TargetsData, 1);
  data->rj = rj;
  data->repo = repo;
  g_task_set_task_data (task, data, (GDestroyNotify) targets_data_free);
  runner_get_client_async (rj, cancellable, targets_client_cb, g_steal_pointer (&task));
}

DrDispatchTargets *
dr_engine_list_dispatch_targets_finish (DrEngine      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Dispatch, cancel, re-run (verbs on the step queue) ------------------------------------ */

typedef enum { RUN_VERB_DISPATCH, RUN_VERB_CANCEL, RUN_VERB_RERUN } RunVerb;

typedef struct
{
  DrEngine       *engine;      /* ref */
  char           *runner_name;
  char           *repository;
  char           *workflow;
  char           *ref;
  JsonObject     *inputs;
  RunVerb         verb;
  gint64          run_id;
  DrGithubClient *client;
  char           *created_after;  /* ISO 8601, for finding a 204's run */
  gint64          find_deadline_us;
  guint           find_timer;
  GCancellable   *cancellable;    /* the step's, while a find waits */
  gulong          cancel_id;
} RunVerbContext;

static void
run_verb_context_free (RunVerbContext *ctx)
{
  g_clear_handle_id (&ctx->find_timer, g_source_remove);
  if (ctx->cancel_id != 0)
    g_cancellable_disconnect (ctx->cancellable, ctx->cancel_id);
  g_clear_object (&ctx->cancellable);
  g_clear_object (&ctx->engine);
  g_free (ctx->runner_name);
  g_free (ctx->repository);
  g_free (ctx->workflow);
  g_free (ctx->ref);
  g_clear_pointer (&ctx->inputs, json_object_unref);
  g_clear_object (&ctx->client);
  g_free (ctx->created_after);
  g_free (ctx);
}

static gboolean
verb_lookup (DrStepQueue     *queue,
             RunVerbContext  *ctx,
             RunnerJobs     **out_rj,
             RepoPoller     **out_repo)
{
  GError *error = NULL;
  RunnerJobs *rj = lookup_runner_jobs (ctx->engine, ctx->runner_name, &error);
  RepoPoller *repo = rj != NULL ? lookup_repo (rj, ctx->repository, &error) : NULL;

  if (repo == NULL)
    {
      dr_step_queue_fail (queue, error);
      return FALSE;
    }
  *out_rj = rj;
  *out_repo = repo;
  return TRUE;
}

static void
verb_client_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  GError *error = NULL;

  ctx->client = runner_get_client_finish (result, &error);
  if (ctx->client == NULL)
    dr_step_queue_fail (queue, error);
  else
    dr_step_queue_next (queue);
}

static void
client_step_run (DrStepQueue *queue,
                 gpointer     data)
{
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  RunnerJobs *rj;
  RepoPoller *repo;

  if (!verb_lookup (queue, ctx, &rj, &repo))
    return;
  g_free (ctx->repository);
  ctx->repository = g_strdup (repo->full);
  dr_step_queue_set_step (queue, _("Reading the credential from the keyring"));
  runner_get_client_async (rj, dr_step_queue_get_cancellable (queue), verb_client_cb, queue);
}

static const DrStepClass client_step = { "github-client", client_step_run };

/* The run is known: the feed follows it, and its repository is read at once and then every
 * few seconds until it completes. */
static void
follow_run (RunVerbContext *ctx,
            gint64          run_id)
{
  RunnerJobs *rj = lookup_runner_jobs (ctx->engine, ctx->runner_name, NULL);
  RepoPoller *repo = rj != NULL ? lookup_repo (rj, ctx->repository, NULL) : NULL;

  if (repo == NULL)
    return;
  _dr_job_feed_follow (dr_runner_get_job_feed (rj->runner), repo->full, run_id, ctx->workflow);
  dr_poll_schedule_set_activity (repo->schedule, DR_POLL_ACTIVITY_FOLLOWING);
  dr_poll_schedule_poke (repo->schedule);
  repo_poller_poll (repo);
}

static void find_run (DrStepQueue *queue);

static gboolean
find_timer_cb (gpointer data)
{
  DrStepQueue *queue = data;
  RunVerbContext *ctx = dr_step_queue_get_context (queue);

  ctx->find_timer = 0;
  find_run (queue);
  return G_SOURCE_REMOVE;
}

static void
find_cancelled_cb (GCancellable *cancellable,
                   DrStepQueue  *queue)
{
  RunVerbContext *ctx = dr_step_queue_get_context (queue);

  /* Runs in the cancelling thread (the main one): end the wait now. */
  if (ctx->find_timer != 0)
    {
      g_clear_handle_id (&ctx->find_timer, g_source_remove);
      dr_step_queue_fail (queue, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      _("Cancelled")));
    }
}

static void
find_runs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  g_autoptr(JsonArray) runs = NULL;
  GError *error = NULL;
  gint64 best = 0;
  const char *best_created = NULL;

  runs = dr_github_api_list_runs_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (runs == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  /* The newest workflow_dispatch run on the ref created since the dispatch. */
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = dr_json_node_object (json_array_get_element (runs, i));
      const char *created = dr_json_member_string (run, "created_at");
      gint64 id = dr_json_member_int (run, "id", 0);

      if (id <= 0 || g_strcmp0 (dr_json_member_string (run, "event"), "workflow_dispatch") != 0 ||
          (dr_json_member_string (run, "head_branch") != NULL &&
           g_strcmp0 (dr_json_member_string (run, "head_branch"), ctx->ref) != 0) ||
          created == NULL || g_strcmp0 (created, ctx->created_after) < 0)
        continue;
      if (best == 0 || g_strcmp0 (created, best_created) > 0)
        {
          best = id;
          best_created = created;
        }
    }
  if (best != 0)
    {
      g_autofree char *line = g_strdup_printf (_("Found run %" G_GINT64_FORMAT), best);

      ctx->run_id = best;
      dr_step_queue_log (queue, line);
      follow_run (ctx, best);
      dr_step_queue_next (queue);
      return;
    }
  if (g_get_monotonic_time () >= ctx->find_deadline_us)
    {
      dr_step_queue_fail (queue,
                          g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                       _("GitHub accepted the dispatch, but no run of %s on %s "
                                         "appeared within %d seconds. Look at the repository’s "
                                         "Actions page: the workflow may have been skipped."),
                                       ctx->workflow, ctx->ref,
                                       engine_jobs (ctx->engine)->find_timeout_s));
      return;
    }
  ctx->find_timer = g_timeout_add_seconds (MIN (FIND_INTERVAL_S,
                                               engine_jobs (ctx->engine)->find_timeout_s),
                                          find_timer_cb, queue);
}

static void
find_run (DrStepQueue *queue)
{
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  g_autofree char *owner = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *base = g_path_get_basename (ctx->workflow);
  DrGithubRunFilter filter = { 0 };

  split_repository (ctx->repository, &owner, &repo);
  filter.workflow = base;
  filter.event = "workflow_dispatch";
  filter.branch = ctx->ref;
  filter.created_after = ctx->created_after;
  dr_github_api_list_runs_async (ctx->client, owner, repo, &filter, 10,
                                 dr_step_queue_get_cancellable (queue), find_runs_cb, queue);
}

static void
find_step_run (DrStepQueue *queue,
               gpointer     data)
{
  RunVerbContext *ctx = dr_step_queue_get_context (queue);

  if (ctx->run_id != 0)
    {
      dr_step_queue_next (queue);
      return;
    }
  dr_step_queue_set_step (queue, _("Looking for the new run"));
  ctx->find_deadline_us = g_get_monotonic_time () +
                          (gint64) engine_jobs (ctx->engine)->find_timeout_s * G_USEC_PER_SEC;
  ctx->cancellable = g_object_ref (dr_step_queue_get_cancellable (queue));
  ctx->cancel_id = g_cancellable_connect (ctx->cancellable, G_CALLBACK (find_cancelled_cb),
                                          queue, NULL);
  find_run (queue);
}

static const DrStepClass find_step = { "find-run", find_step_run };

static void
dispatch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  GError *error = NULL;
  gint64 run_id = 0;

  if (!dr_github_api_dispatch_finish (DR_GITHUB_CLIENT (object), result, &run_id, &error))
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  if (run_id > 0)
    {
      g_autofree char *line = g_strdup_printf (_("GitHub started run %" G_GINT64_FORMAT),
                                               run_id);

      ctx->run_id = run_id;
      dr_step_queue_log (queue, line);
      follow_run (ctx, run_id);
    }
  else
    {
      RunnerJobs *rj = lookup_runner_jobs (ctx->engine, ctx->runner_name, NULL);

      dr_step_queue_log (queue, _("GitHub accepted the dispatch without saying which run it "
                                  "started"));
      /* The header says "looking for the run" meanwhile. */
      if (rj != NULL)
        _dr_job_feed_follow (dr_runner_get_job_feed (rj->runner), ctx->repository, 0,
                             ctx->workflow);
    }
  dr_step_queue_next (queue);
}

static void
dispatch_step_run (DrStepQueue *queue,
                   gpointer     data)
{
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  g_autofree char *owner = NULL;
  g_autofree char *repo = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* GitHub's clock and ours may differ a little: a run created a few seconds "before" the
   * dispatch is still the one. */
  g_autoptr(GDateTime) since = g_date_time_add_seconds (now, -30);

  /* GitHub takes a workflow's id or file name, not its path. */
  g_autofree char *file = g_path_get_basename (ctx->workflow);

  split_repository (ctx->repository, &owner, &repo);
  ctx->created_after = g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ");
  dr_step_queue_set_step (queue, _("Dispatching"));
  dr_github_api_dispatch_async (ctx->client, owner, repo, file, ctx->ref, ctx->inputs,
                                dr_step_queue_get_cancellable (queue), dispatch_cb, queue);
}

static const DrStepClass dispatch_step = { "dispatch", dispatch_step_run };

static void
run_action_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  GError *error = NULL;
  gboolean ok;

  if (ctx->verb == RUN_VERB_CANCEL)
    ok = dr_github_api_cancel_run_finish (DR_GITHUB_CLIENT (object), result, &error);
  else
    ok = dr_github_api_rerun_failed_jobs_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (!ok)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  /* A re-run is the same run again, from queued. */
  follow_run (ctx, ctx->run_id);
  dr_step_queue_next (queue);
}

static void
run_action_step_run (DrStepQueue *queue,
                     gpointer     data)
{
  RunVerbContext *ctx = dr_step_queue_get_context (queue);
  g_autofree char *owner = NULL;
  g_autofree char *repo = NULL;

  split_repository (ctx->repository, &owner, &repo);
  if (ctx->verb == RUN_VERB_CANCEL)
    {
      dr_step_queue_set_step (queue, _("Cancelling the run"));
      dr_github_api_cancel_run_async (ctx->client, owner, repo, ctx->run_id,
                                      dr_step_queue_get_cancellable (queue), run_action_cb,
                                      queue);
    }
  else
    {
      dr_step_queue_set_step (queue, _("Re-running the failed jobs"));
      dr_github_api_rerun_failed_jobs_async (ctx->client, owner, repo, ctx->run_id,
                                             dr_step_queue_get_cancellable (queue),
                                             run_action_cb, queue);
    }
}

static const DrStepClass run_action_step = { "run-action", run_action_step_run };

static DrOperation *
start_run_verb (DrEngine       *self,
                const char     *title,
                RunVerbContext *ctx)
{
  DrOperation *operation = _dr_engine_track_operation (self, _dr_operation_new (title));
  DrStepQueue *queue = dr_step_queue_new (operation, DR_STEP_QUEUE_DEFAULT);

  dr_step_queue_set_context (queue, ctx, (GDestroyNotify) run_verb_context_free);
  dr_step_queue_push (queue, &client_step, NULL, NULL);
  if (ctx->verb == RUN_VERB_DISPATCH)
    {
      dr_step_queue_push (queue, &dispatch_step, NULL, NULL);
      dr_step_queue_push (queue, &find_step, NULL, NULL);
    }
  else
    dr_step_queue_push (queue, &run_action_step, NULL, NULL);
  dr_step_queue_start (queue);
  g_object_unref (queue);
  return operation;
}

DrOperation *
dr_engine_dispatch (DrEngine   *self,
                    const char *runner_name,
                    const char *repository,
                    const char *workflow,
                    const char *ref,
                    JsonObject *inputs)
{
  RunVerbContext *ctx;
  g_autofree char *title = NULL;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (runner_name != NULL && workflow != NULL && ref != NULL, NULL);

  ctx = g_new0 (RunVerbContext, 1);
  ctx->engine = g_object_ref (self);
  ctx->verb = RUN_VERB_DISPATCH;
  ctx->runner_name = g_strdup (runner_name);
  ctx->repository = g_strdup (repository);
  ctx->workflow = g_strdup (workflow);
  ctx->ref = g_strdup (ref);
  ctx->inputs = inputs != NULL ? json_object_ref (inputs) : NULL;
  /* Translators: "Running release.yml on main" */
  title = g_strdup_printf (_("Running %s on %s"), workflow, ref);
  return start_run_verb (self, title, ctx);
}

static DrOperation *
followed_run_verb (DrEngine   *self,
                   const char *runner_name,
                   RunVerb     verb,
                   const char *title)
{
  RunVerbContext *ctx = g_new0 (RunVerbContext, 1);
  DrRunner *runner = dr_engine_lookup_runner (self, runner_name);
  DrJobFeed *feed = runner != NULL ? dr_runner_get_job_feed (runner) : NULL;

  ctx->engine = g_object_ref (self);
  ctx->verb = verb;
  ctx->runner_name = g_strdup (runner_name);
  if (feed == NULL || dr_job_feed_get_followed_run_id (feed) == 0)
    {
      DrOperation *operation = _dr_engine_track_operation (self, _dr_operation_new (title));

      _dr_operation_fail (operation, g_error_new_literal (DR_ERROR, DR_ERROR_NOT_FOUND,
                                                          _("No dispatched run is being "
                                                            "followed")));
      run_verb_context_free (ctx);
      return operation;
    }
  ctx->repository = g_strdup (dr_job_feed_get_followed_repository (feed));
  ctx->workflow = g_strdup (dr_job_feed_get_followed_workflow (feed));
  ctx->run_id = dr_job_feed_get_followed_run_id (feed);
  return start_run_verb (self, title, ctx);
}

DrOperation *
dr_engine_cancel_run (DrEngine   *self,
                      const char *runner_name)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return followed_run_verb (self, runner_name, RUN_VERB_CANCEL, _("Cancelling the run"));
}

DrOperation *
dr_engine_rerun_failed_jobs (DrEngine   *self,
                             const char *runner_name)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  return followed_run_verb (self, runner_name, RUN_VERB_RERUN, _("Re-running failed jobs"));
}

/* ---- Job logs ------------------------------------------------------------------------------ */

typedef struct
{
  char *path;       /* the cache file */
  char *owner;
  char *repo;
  gint64 job_id;
} LogData;

static void
log_data_free (LogData *data)
{
  g_free (data->path);
  g_free (data->owner);
  g_free (data->repo);
  g_free (data);
}

static void
download_log_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LogData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) log = NULL;
  g_autofree char *dir = NULL;

  log = dr_github_api_download_job_log_finish (DR_GITHUB_CLIENT (object), result, &error);
  if (log == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A completed job's log never changes: keep it. A cache that cannot be written only
   * costs a download next time. */
  dir = g_path_get_dirname (data->path);
  if (g_mkdir_with_parents (dir, 0700) == 0)
    g_file_set_contents_full (data->path, g_bytes_get_data (log, NULL), g_bytes_get_size (log),
                              G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
  g_task_return_pointer (task, g_steal_pointer (&log), (GDestroyNotify) g_bytes_unref);
}

static void
log_client_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (user_data));
  g_autoptr(GTask) task = user_data;
  LogData *data = g_task_get_task_data (task);
  g_autoptr(DrGithubClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = runner_get_client_finish (result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dr_github_api_download_job_log_async (client, data->owner, data->repo, data->job_id,
                                        cancellable, download_log_cb, g_steal_pointer (&task));
}

void
dr_engine_fetch_job_log_async (DrEngine            *self,
                               const char          *runner_name,
                               gint64               job_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  RunnerJobs *rj;
  DrJob *job;
  LogData *data;
  gsize size;

  g_return_if_fail (DR_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_fetch_job_log_async);
  rj = lookup_runner_jobs (self, runner_name, &error);
  if (rj == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = dr_job_feed_lookup_job (dr_runner_get_job_feed (rj->runner), job_id);
  if (job == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                               _("The job %" G_GINT64_FORMAT " is not one of the runner’s jobs "
                                 "that deskrun has read"), job_id);
      return;
    }
  if (dr_job_is_active (job))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                               _("GitHub has no log of a job before it completes; while it runs "
                                 "here, its runner pod’s log is the job’s log"));
      return;
    }

  data = g_new0 (LogData, 1);
  data->job_id = job_id;
  if (!split_repository (dr_job_get_repository (job), &data->owner, &data->repo))
    {
      log_data_free (data);
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("The job has no repository"));
      return;
    }
  /* Keyed by the API base and repository: the same id on another GitHub is another job. */
  {
    g_autofree char *base = dr_github_api_base_for_repository (
                              dr_runner_get_spec (rj->runner)->repository_url, NULL);
    g_autofree char *what = g_strconcat (base ?: "", "|", dr_job_get_repository (job), NULL);

    key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, what, -1);
  }
  name = g_strdup_printf ("%" G_GINT64_FORMAT ".log", job_id);
  data->path = g_build_filename (g_get_user_cache_dir (), "deskrun", "job-logs", key, name,
                                 NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) log_data_free);

  if (g_file_get_contents (data->path, &contents, &size, NULL))
    {
      g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&contents), size),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  runner_get_client_async (rj, cancellable, log_client_cb, g_steal_pointer (&task));
}

GBytes *
dr_engine_fetch_job_log_finish (DrEngine      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_dr_engine_set_dispatch_find_timeout (DrEngine *self,
                                      guint     seconds)
{
  g_return_if_fail (DR_IS_ENGINE (self));
  engine_jobs (self)->find_timeout_s = MAX (1, seconds);
}

/* ---- Credential check ---------------------------------------------------------------------- */

void
dr_credential_report_free (DrCredentialReport *report)
{
  if (report == NULL)
    return;
  g_free (report->token_kind);
  g_free (report->scopes);
  g_free (report->expires);
  g_clear_pointer (&report->needs, g_ptr_array_unref);
  g_free (report);
}

gboolean
dr_credential_report_all_ok (const DrCredentialReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);

  for (guint i = 0; i < report->needs->len; i++)
    if (((DrCredentialNeed *) g_ptr_array_index (report->needs, i))->state !=
        DR_CREDENTIAL_NEED_OK)
      return FALSE;
  return TRUE;
}

static void
credential_need_free (DrCredentialNeed *need)
{
  g_free (need->title);
  g_free (need->detail);
  g_free (need);
}

typedef struct
{
  DrRunnerSpec   *spec;
  DrGithubClient *client;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_pointer (&data->spec, dr_runner_spec_unref);
  g_clear_object (&data->client);
  g_free (data);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DrGithubCapabilities) capabilities = NULL;
  g_autoptr(GError) error = NULL;
  DrCredentialReport *report;

  capabilities = dr_github_api_check_credential_finish (DR_GITHUB_CLIENT (object), result,
                                                        &error);
  if (capabilities == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = g_new0 (DrCredentialReport, 1);
  report->token_kind = g_strdup (dr_github_token_kind_to_string (capabilities->token_kind));
  report->scopes = g_strdup (capabilities->scopes);
  report->expires = g_strdup (capabilities->expires);
  report->needs = g_ptr_array_new_with_free_func ((GDestroyNotify) credential_need_free);
  for (guint i = 0; i < DR_GITHUB_N_NEEDS; i++)
    {
      DrCredentialNeed *need = g_new0 (DrCredentialNeed, 1);

      need->title = g_strdup (dr_github_need_get_title (i));
      need->detail = g_strdup (capabilities->detail[i]);
      need->state = capabilities->state[i] == DR_GITHUB_CAPABILITY_OK ? DR_CREDENTIAL_NEED_OK
                    : capabilities->state[i] == DR_GITHUB_CAPABILITY_MISSING
                      ? DR_CREDENTIAL_NEED_MISSING : DR_CREDENTIAL_NEED_UNKNOWN;
      g_ptr_array_add (report->needs, need);
    }
  g_task_return_pointer (task, report, (GDestroyNotify) dr_credential_report_free);
}

/* Takes @task. */
static void
check_with_credential (GTask              *task,
                       const DrCredential *credential)
{
  CheckData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *repository = repository_of_url (data->spec->repository_url);
  g_autofree char *owner = NULL;
  g_autofree char *repo = NULL;
  DrRepositoryScope scope = DR_REPOSITORY_SCOPE_REPOSITORY;
  g_autofree char *normal = dr_normalize_repository_url (data->spec->repository_url, &scope,
                                                         &error);

  if (normal == NULL || (data->client = client_new (data->spec, credential, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (repository == NULL || !split_repository (repository, &owner, &repo))
    {
      g_autoptr(GUri) uri = g_uri_parse (normal, G_URI_FLAGS_NONE, NULL);

      g_clear_pointer (&owner, g_free);
      owner = g_strdup (uri != NULL ? g_uri_get_path (uri) + 1 : "");
      g_clear_pointer (&repo, g_free);
    }
  dr_github_api_check_credential_async (data->client, owner, repo, scope, cancellable,
                                        check_cb, task);
}

static void
check_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(DrCredential) credential = NULL;
  g_autoptr(GError) error = NULL;

  credential = dr_keyring_lookup_finish (result, &error);
  if (credential == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  check_with_credential (task, credential);
}

void
dr_engine_check_credential_async (DrEngine            *self,
                                  const DrRunnerSpec  *spec,
                                  const DrCredential  *credential,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  CheckData *data;

  g_return_if_fail (DR_IS_ENGINE (self));
  g_return_if_fail (spec != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_engine_check_credential_async);
  data = g_new0 (CheckData, 1);
  data->spec = dr_runner_spec_copy (spec);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);

  if (credential != NULL)
    check_with_credential (task, credential);
  else if (spec->credential_id == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                               _("The runner “%s” has no credential in the keyring"),
                               spec->name);
      g_object_unref (task);
    }
  else
    dr_keyring_lookup_async (spec->credential_id, cancellable, check_lookup_cb, task);
}

DrCredentialReport *
dr_engine_check_credential_finish (DrEngine      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
