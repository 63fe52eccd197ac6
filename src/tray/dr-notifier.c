/* dr-notifier.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-notifier.h"

typedef struct
{
  gboolean  busy;
  char     *job;
  char     *repository;
} JobState;

struct _DrNotifier
{
  GObject          parent_instance;

  DrEngine        *engine;
  DrCluster       *cluster;
  GApplication    *application;   /* not owned: it owns us */
  DrNotifyPolicy  *policy;
  gboolean         window_open;
  gboolean         seeding;       /* looking at what was there before us */

  GPtrArray       *watched;
  guint            check_id;
  guint            flush_id;
  GHashTable      *jobs;          /* EphemeralRunner name -> JobState */
  GHashTable      *operations;    /* DrOperation * seen */
  guint            n_operations;
};

G_DEFINE_FINAL_TYPE (DrNotifier, dr_notifier, G_TYPE_OBJECT)

static void
job_state_free (gpointer data)
{
  JobState *state = data;

  g_free (state->job);
  g_free (state->repository);
  g_free (state);
}

/* ---- Sending ------------------------------------------------------------------------------ */

static void
send_cb (DrNotifier *self,
         DrNotice   *notice)
{
  g_autoptr(GNotification) notification = g_notification_new (notice->title);

  if (notice->body != NULL)
    g_notification_set_body (notification, notice->body);
  g_notification_set_priority (notification, notice->urgent ? G_NOTIFICATION_PRIORITY_HIGH
                                                            : G_NOTIFICATION_PRIORITY_NORMAL);
  if (notice->action != NULL)
    g_notification_set_default_action_and_target_value (notification, notice->action,
                                                        notice->target);
  if (notice->button_label != NULL)
    g_notification_add_button_with_target_value (notification, notice->button_label,
                                                 notice->button_action, notice->button_target);
  g_application_send_notification (self->application, notice->id, notification);
}

static void
withdraw_cb (DrNotifier *self,
             const char *id)
{
  g_application_withdraw_notification (self->application, id);
}

static void schedule_flush (DrNotifier *self);

static gboolean
flush_cb (gpointer user_data)
{
  DrNotifier *self = user_data;

  self->flush_id = 0;
  dr_notify_policy_flush (self->policy, g_get_monotonic_time ());
  schedule_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (DrNotifier *self)
{
  gint64 deadline = dr_notify_policy_get_deadline (self->policy);
  gint64 now = g_get_monotonic_time ();

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (deadline == 0)
    return;
  self->flush_id = g_timeout_add (deadline > now ? (deadline - now) / 1000 + 1 : 0, flush_cb,
                                  self);
}

static void
post (DrNotifier *self,
      DrNotice   *notice)
{
  dr_notify_policy_post (self->policy, notice, g_get_monotonic_time ());
  schedule_flush (self);
}

/* ---- What to say -------------------------------------------------------------------------- */

static void
post_job (DrNotifier        *self,
          DrRunner          *runner,
          DrEphemeralRunner *er,
          JobState          *state,
          gboolean           started)
{
  const char *name = dr_runner_get_name (runner);
  g_autofree char *id = g_strdup_printf ("job-%s", name);
  g_autofree char *body = NULL;
  const char *title;
  DrNotice *notice;

  if (started)
    title = _("A job started");
  else if (er != NULL && g_strcmp0 (dr_ephemeral_runner_get_phase (er), "Failed") == 0)
    title = _("A job failed");
  else
    title = _("A job finished");

  if (state->job != NULL && state->repository != NULL)
    /* Translators: "“build” from octo/hello on web" */
    body = g_strdup_printf (_("“%s” from %s on %s"), state->job, state->repository, name);
  else if (state->job != NULL)
    body = g_strdup_printf (_("“%s” on %s"), state->job, name);
  else
    body = g_strdup_printf (_("On %s"), name);

  notice = dr_notice_new (id, name, DR_NOTICE_JOBS, title, body);
  dr_notice_set_action (notice, "app.show-runner", g_variant_new_string (name));
  if (er != NULL)
    dr_notice_set_button (notice, _("Show Log"), "app.show-pod-log",
                          g_variant_new ("(ss)", name, dr_ephemeral_runner_get_name (er)));
  post (self, notice);
}

static void
check_jobs (DrNotifier *self,
            DrRunner   *runner,
            GHashTable *seen,
            gboolean    quiet)
{
  GListModel *ephemeral = dr_runner_get_ephemeral_runners (runner);
  guint n = g_list_model_get_n_items (ephemeral);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrEphemeralRunner) er = g_list_model_get_item (ephemeral, i);
      const char *er_name = dr_ephemeral_runner_get_name (er);
      JobState *state = g_hash_table_lookup (self->jobs, er_name);
      gboolean busy = dr_ephemeral_runner_get_busy (er);
      gboolean was_busy = state != NULL && state->busy;

      g_hash_table_add (seen, (gpointer) er_name);
      if (state == NULL)
        {
          state = g_new0 (JobState, 1);
          g_hash_table_insert (self->jobs, g_strdup (er_name), state);
        }
      if (busy)
        {
          g_free (state->job);
          state->job = g_strdup (dr_ephemeral_runner_get_job_display_name (er));
          g_free (state->repository);
          state->repository = g_strdup (dr_ephemeral_runner_get_job_repository (er));
          if (state->job != NULL && *state->job == '\0')
            g_clear_pointer (&state->job, g_free);
          if (state->repository != NULL && *state->repository == '\0')
            g_clear_pointer (&state->repository, g_free);
        }
      state->busy = busy;
      if (!quiet && busy != was_busy)
        post_job (self, runner, er, state, busy);
    }
}

static void
check_listener (DrNotifier *self,
                DrRunner   *runner)
{
  const char *name = dr_runner_get_name (runner);
  g_autofree char *id = g_strdup_printf ("listener-%s", name);
  DrListenerState listener = dr_runner_get_listener_state (runner);
  g_autofree char *title = NULL;
  DrNotice *notice;

  if (dr_runner_get_status (runner) == DR_RUNNER_STATUS_DEGRADED)
    {
      if (listener == DR_LISTENER_STATE_CRASH_LOOPING)
        /* Translators: a notification's title; %s is a runner */
        title = g_strdup_printf (_("The listener of %s is crash-looping"), name);
      else if (listener == DR_LISTENER_STATE_MISSING)
        title = g_strdup_printf (_("The listener of %s is missing"), name);
    }
  if (title == NULL)
    {
      if (listener == DR_LISTENER_STATE_RUNNING || listener == DR_LISTENER_STATE_UNKNOWN ||
          dr_runner_get_status (runner) != DR_RUNNER_STATUS_DEGRADED)
        dr_notify_policy_withdraw (self->policy, id);
      return;
    }

  notice = dr_notice_new (id, name, DR_NOTICE_PROBLEMS, title,
                          dr_runner_get_status_detail (runner));
  notice->condition = TRUE;
  notice->urgent = TRUE;
  dr_notice_set_action (notice, "app.show-runner", g_variant_new_string (name));
  dr_notice_set_button (notice, _("Show Log"), "app.show-runner-logs",
                        g_variant_new_string (name));
  post (self, notice);
}

static void
check_cluster (DrNotifier *self)
{
  DrNotice *notice = NULL;

  if (self->cluster == NULL)
    return;

  switch (dr_cluster_get_state (self->cluster))
    {
    case DR_CLUSTER_STATE_STOPPED:
      notice = dr_notice_new ("cluster", NULL, DR_NOTICE_PROBLEMS, _("The cluster is stopped"),
                              _("Runners take no jobs until it runs again."));
      if (dr_cluster_is_kind (self->cluster))
        dr_notice_set_button (notice, _("Start Cluster"), "app.start-cluster", NULL);
      break;
    case DR_CLUSTER_STATE_UNREACHABLE:
      notice = dr_notice_new ("cluster", NULL, DR_NOTICE_PROBLEMS,
                              _("The cluster does not answer"),
                              dr_cluster_get_state_detail (self->cluster));
      break;
    case DR_CLUSTER_STATE_UNKNOWN:
    case DR_CLUSTER_STATE_ABSENT:
      /* Nothing to say: not known yet, or nothing made yet (the window's first steps). */
      return;
    case DR_CLUSTER_STATE_STARTING:
    case DR_CLUSTER_STATE_READY:
    default:
      dr_notify_policy_withdraw (self->policy, "cluster");
      return;
    }
  notice->condition = TRUE;
  notice->urgent = TRUE;
  dr_notice_set_action (notice, "app.show-cluster", NULL);
  post (self, notice);
}

static void
operation_finished_cb (DrOperation *operation,
                       DrNotifier  *self)
{
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  const GError *error;
  DrNotice *notice;

  if (dr_operation_get_state (operation) != DR_OPERATION_FAILED || self->window_open)
    return;
  error = dr_operation_get_error (operation);
  id = g_strdup_printf ("operation-%u", ++self->n_operations);
  /* Translators: a notification's title; %s is an operation's title ("Start the cluster") */
  title = g_strdup_printf (_("Failed: %s"), dr_operation_get_title (operation));
  notice = dr_notice_new (id, NULL, DR_NOTICE_OPERATIONS, title,
                          error ? error->message : NULL);
  dr_notice_set_action (notice, "app.show-operations", NULL);
  post (self, notice);
}

/* ---- Watching ----------------------------------------------------------------------------- */

static void schedule_check (DrNotifier *self);

static void
changed_cb (DrNotifier *self)
{
  schedule_check (self);
}

static void
watch_object (DrNotifier *self,
              gpointer    object,
              const char *signal_name)
{
  g_signal_connect_object (object, signal_name, G_CALLBACK (changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->watched, g_object_ref (object));
}

static void
rewatch (DrNotifier *self)
{
  GListModel *runners = dr_engine_get_runners (self->engine);
  GListModel *operations = dr_engine_get_operations (self->engine);
  guint n = g_list_model_get_n_items (runners);

  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_ptr_array_set_size (self->watched, 0);

  watch_object (self, self->engine, "notify::synced");
  watch_object (self, runners, "items-changed");
  watch_object (self, operations, "items-changed");
  if (self->cluster != NULL)
    watch_object (self, self->cluster, "notify::state");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);
      GListModel *ephemeral = dr_runner_get_ephemeral_runners (runner);
      guint n_ephemeral = g_list_model_get_n_items (ephemeral);

      watch_object (self, runner, "notify::status");
      watch_object (self, runner, "notify::listener-state");
      watch_object (self, ephemeral, "items-changed");
      for (guint j = 0; j < n_ephemeral; j++)
        {
          g_autoptr(DrEphemeralRunner) er = g_list_model_get_item (ephemeral, j);

          watch_object (self, er, "notify::busy");
          watch_object (self, er, "notify::phase");
        }
    }

  /* Operations are only ever appended; each is followed once, until it finishes. */
  for (guint i = 0; i < g_list_model_get_n_items (operations); i++)
    {
      g_autoptr(DrOperation) operation = g_list_model_get_item (operations, i);

      if (g_hash_table_contains (self->operations, operation))
        continue;
      g_hash_table_add (self->operations, g_object_ref (operation));
      /* One that ran before us (the check at start) tells its outcome in the window. */
      if (self->seeding)
        continue;
      if (!dr_operation_is_finished (operation))
        g_signal_connect_object (operation, "finished", G_CALLBACK (operation_finished_cb), self,
                                 0);
      else
        /* Some verbs fail before they are listed (a size that does not validate). */
        operation_finished_cb (operation, self);
    }
}

static gboolean
check_cb (gpointer user_data)
{
  DrNotifier *self = user_data;
  GListModel *runners = dr_engine_get_runners (self->engine);
  guint n = g_list_model_get_n_items (runners);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  /* Until the watches have listed the cluster, a busy runner is one that was busy before we
   * looked, not news. */
  gboolean quiet = !dr_engine_get_synced (self->engine);
  GHashTableIter iter;
  gpointer key, value;

  self->check_id = 0;
  rewatch (self);
  check_cluster (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);

      check_listener (self, runner);
      check_jobs (self, runner, seen, quiet);
    }

  /* A runner pod that went away while busy: its job ended (ARC deletes it afterwards). */
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JobState *state = value;

      if (g_hash_table_contains (seen, key))
        continue;
      if (state->busy && !quiet)
        {
          g_autofree char *runner_name = NULL;
          const char *runner_end = strstr (key, "-runner-");
          DrRunner *runner;

          /* An EphemeralRunner is named SCALESET-xxxxx-runner-yyyyy (FACTS.md). */
          if (runner_end != NULL)
            {
              const char *dash = runner_end;

              while (dash > (const char *) key && *(dash - 1) != '-')
                dash--;
              if (dash > (const char *) key)
                runner_name = g_strndup (key, dash - 1 - (const char *) key);
            }
          runner = runner_name ? dr_engine_lookup_runner (self->engine, runner_name) : NULL;
          if (runner != NULL)
            post_job (self, runner, NULL, state, FALSE);
        }
      g_hash_table_iter_remove (&iter);
    }
  return G_SOURCE_REMOVE;
}

/* Several properties change per watch event: look once for all of them. */
static void
schedule_check (DrNotifier *self)
{
  if (self->check_id == 0)
    self->check_id = g_idle_add (check_cb, self);
}

void
dr_notifier_set_window_open (DrNotifier *self,
                             gboolean    open)
{
  g_return_if_fail (DR_IS_NOTIFIER (self));

  self->window_open = open;
}

DrNotifyPolicy *
dr_notifier_get_policy (DrNotifier *self)
{
  g_return_val_if_fail (DR_IS_NOTIFIER (self), NULL);

  return self->policy;
}

static void
dr_notifier_dispose (GObject *object)
{
  DrNotifier *self = DR_NOTIFIER (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->watched != NULL)
    {
      for (guint i = 0; i < self->watched->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
      g_ptr_array_set_size (self->watched, 0);
    }
  if (self->operations != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->operations);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_signal_handlers_disconnect_by_data (key, self);
      g_hash_table_remove_all (self->operations);
    }
  if (self->policy != NULL)
    g_signal_handlers_disconnect_by_data (self->policy, self);
  g_clear_object (&self->policy);
  g_clear_object (&self->cluster);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (dr_notifier_parent_class)->dispose (object);
}

static void
dr_notifier_finalize (GObject *object)
{
  DrNotifier *self = DR_NOTIFIER (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->operations, g_hash_table_unref);

  G_OBJECT_CLASS (dr_notifier_parent_class)->finalize (object);
}

static void
dr_notifier_class_init (DrNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dr_notifier_dispose;
  object_class->finalize = dr_notifier_finalize;
}

static void
dr_notifier_init (DrNotifier *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, job_state_free);
  self->operations = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

DrNotifier *
dr_notifier_new (DrEngine     *engine,
                 GApplication *application,
                 gint64        interval)
{
  DrNotifier *self;
  DrCluster *cluster;

  g_return_val_if_fail (DR_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (DR_TYPE_NOTIFIER, NULL);
  self->engine = g_object_ref (engine);
  cluster = dr_engine_get_cluster (engine);
  self->cluster = cluster ? g_object_ref (cluster) : NULL;
  self->application = application;
  self->policy = dr_notify_policy_new (interval);
  g_signal_connect_swapped (self->policy, "send", G_CALLBACK (send_cb), self);
  g_signal_connect_swapped (self->policy, "withdraw", G_CALLBACK (withdraw_cb), self);

  /* What is already there when we start is not news: operations that ran, jobs that run. */
  self->seeding = TRUE;
  rewatch (self);
  self->seeding = FALSE;
  {
    GListModel *runners = dr_engine_get_runners (engine);
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < g_list_model_get_n_items (runners); i++)
      {
        g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);

        check_jobs (self, runner, seen, TRUE);
      }
  }
  schedule_check (self);
  return self;
}
