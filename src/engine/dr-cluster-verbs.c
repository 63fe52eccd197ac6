/* dr-cluster-verbs.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrCluster's verbs: refresh, and create, start and delete for kind clusters. Each verb is a
 * DrOperation run by a DrStepQueue (dr-step-queue.h) whose context is a DrClusterVerb: the
 * prerequisites (which name the container engine, and so the DrKind), the verb's own step,
 * then reading the state again. The controller install (dr-controller-install.c) runs the
 * same way.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cluster-private.h"
#include "dr-error.h"
#include "dr-kind-private.h"

/* How a verb runs */

static void
verb_free (gpointer data)
{
  DrClusterVerb *verb = data;

  if (verb->line_handler != 0)
    g_signal_handler_disconnect (verb->kind, verb->line_handler);
  g_clear_object (&verb->kind);
  g_clear_object (&verb->cluster);
  g_free (verb);
}

/* Before the operation finishes: whoever watches it sees the cluster no longer busy. */
static void
verb_finished (DrStepQueue  *queue,
               const GError *error,
               gpointer      data)
{
  DrClusterVerb *verb = dr_step_queue_get_context (queue);
  DrCluster *self = verb->cluster;

  if (self->busy == dr_step_queue_get_operation (queue))
    g_clear_object (&self->busy);

  /* Tell what the failed install left behind; a controller that is starting says why. */
  if (error != NULL && verb->installs &&
      self->controller_state == DR_CONTROLLER_STATE_INSTALLING)
    _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_UNKNOWN, NULL, error->message);
}

static DrOperation *
failed_operation (const char *title,
                  GError     *error)
{
  DrOperation *op = _dr_operation_new (title);

  _dr_operation_fail (op, error);
  return op;
}

DrStepQueue *
_dr_cluster_verb_new (DrCluster    *self,
                      const char   *title,
                      gboolean      exclusive,
                      DrOperation **op)
{
  DrClusterVerb *verb;
  DrStepQueue *queue;

  if (exclusive && self->busy != NULL)
    {
      *op = failed_operation (title,
                              g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                           _("“%s” is still running; wait until it is done."),
                                           dr_operation_get_title (self->busy)));
      return NULL;
    }

  *op = _dr_operation_new (title);
  /* The install sets its own progress; the others have none to tell. */
  queue = dr_step_queue_new (*op, DR_STEP_QUEUE_MANUAL_FRACTION);
  verb = g_new0 (DrClusterVerb, 1);
  verb->cluster = g_object_ref (self);
  dr_step_queue_set_context (queue, verb, verb_free);
  dr_step_queue_set_finish_func (queue, verb_finished, NULL);
  if (exclusive)
    self->busy = g_object_ref (*op);
  return queue;
}

DrCluster *
_dr_cluster_verb_get_cluster (DrStepQueue *queue)
{
  DrClusterVerb *verb = dr_step_queue_get_context (queue);

  return verb->cluster;
}

char *
_dr_cluster_duration_text (guint milliseconds)
{
  guint seconds = (milliseconds + 999) / 1000;

  return g_strdup_printf (ngettext ("%u second", "%u seconds", seconds),
                          seconds);
}

static void
kind_line_cb (DrKind      *kind,
              const char  *line,
              gboolean     is_stderr,
              DrOperation *op)
{
  _dr_operation_log (op, line);
}

/* kind's output goes to the operation's log until the verb ends. */
static void
stream_kind_lines (DrStepQueue *queue)
{
  DrClusterVerb *verb = dr_step_queue_get_context (queue);

  if (verb->line_handler != 0)
    return;
  verb->kind = g_object_ref (verb->cluster->kind);
  verb->line_handler = g_signal_connect (verb->kind, "line", G_CALLBACK (kind_line_cb),
                                         dr_step_queue_get_operation (queue));
}

static GError *
not_kind_error (DrCluster *self)
{
  if (self->name == NULL)
    return g_error_new_literal (DR_ERROR, DR_ERROR_UNSUPPORTED,
                                _("The cluster of the current kubeconfig context is not a kind "
                                  "cluster that deskrun runs: it cannot be created, started or "
                                  "deleted here. Use the tools of that cluster for that."));
  return g_error_new (DR_ERROR, DR_ERROR_UNSUPPORTED,
                      _("“%s” is a kubeconfig context, not a kind cluster that deskrun runs: "
                        "it cannot be created, started or deleted here. Use the tools of that "
                        "cluster for that."),
                      self->name);
}

/* After a failure: the operation ends with the kept error once the state has been read again
 * (it may have changed half-way). Not cancellable: the operation's own cancellable may be
 * what ended it. */
static void
state_after_failure_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  DrStepQueue *queue = data;

  _dr_cluster_update_state_finish (result, NULL);
  dr_step_queue_next (queue);
}

static void
state_after_failure_run (DrStepQueue *queue,
                         gpointer     data)
{
  _dr_cluster_update_state_async (_dr_cluster_verb_get_cluster (queue), NULL,
                                  state_after_failure_cb, queue);
}

static const DrStepClass state_after_failure_step = {
  "state-after-failure", state_after_failure_run
};

/* Ends the current step with @error, once the state has been read again. */
static void
fail_after_state (DrStepQueue *queue,
                  GError      *error)
{
  dr_step_queue_keep_error (queue, error);
  dr_step_queue_push_next (queue, &state_after_failure_step, NULL, NULL);
  dr_step_queue_next (queue);
}

/* The last step: the state, then the controller when the cluster is ready. */

static void
finish_controller_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  DrStepQueue *queue = data;
  g_autoptr(DrControllerInfo) info = NULL;
  GError *error = NULL;

  info = _dr_cluster_detect_controller_finish (result, &error);
  /* A user with rights in the runner namespace only may not list Deployments everywhere: the
   * controller's state is then unknown (and says why), but the cluster is there. */
  if (info == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_FORBIDDEN))
    dr_step_queue_fail (queue, error);
  else
    {
      g_clear_error (&error);
      dr_step_queue_next (queue);
    }
}

static void
finish_detect_controller (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  dr_step_queue_set_step (queue, _("Looking for ARC’s controller…"));
  _dr_cluster_detect_controller_async (self, dr_step_queue_get_cancellable (queue),
                                       finish_controller_cb, queue);
}

/* What the node shares of this computer, for checking runner mounts; a cluster whose mounts
 * cannot be read is still usable, its mounts are then not translated. */
static void
finish_kind_config_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  GError *error = NULL;

  g_clear_pointer (&self->kind_config, dr_kind_config_free);
  self->kind_config = dr_kind_get_config_finish (DR_KIND (object), result, &error);
  if (self->kind_config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          dr_step_queue_fail (queue, error);
          return;
        }
      g_debug ("Could not read the mounts of kind cluster “%s”: %s", self->name,
               error->message);
      g_clear_error (&error);
    }
  finish_detect_controller (queue);
}

static void
finish_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  GError *error = NULL;

  if (!_dr_cluster_update_state_finish (result, &error))
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  if (self->state != DR_CLUSTER_STATE_READY)
    {
      dr_step_queue_next (queue);
      return;
    }
  if (self->is_kind)
    {
      dr_step_queue_set_step (queue, _("Reading which folders the cluster shares…"));
      dr_kind_get_config_async (self->kind, dr_step_queue_get_cancellable (queue),
                                finish_kind_config_cb, queue);
      return;
    }
  finish_detect_controller (queue);
}

static void
finish_state_run (DrStepQueue *queue,
                  gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  dr_step_queue_set_step (queue, _("Asking the cluster how it is…"));
  _dr_cluster_update_state_async (self, dr_step_queue_get_cancellable (queue), finish_state_cb,
                                  queue);
}

static const DrStepClass finish_state_step = { "state", finish_state_run };

/* The prerequisites, and a DrKind for the container engine they found. */

static void
prerequisites_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  DrPrerequisites *prerequisites;
  DrContainerProvider provider;
  GError *error = NULL;

  prerequisites = dr_prerequisites_check_finish (result, &error);
  if (prerequisites == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }

  for (guint i = 0; i < prerequisites->items->len; i++)
    {
      const DrPrerequisite *item = g_ptr_array_index (prerequisites->items, i);
      g_autofree char *line = g_strdup_printf ("%s: %s", item->title, item->detail);

      dr_step_queue_log (queue, line);
    }
  provider = prerequisites->provider;
  _dr_cluster_set_prerequisites (self, prerequisites);

  if (provider == DR_CONTAINER_PROVIDER_NONE)
    {
      const DrPrerequisite *item = dr_prerequisites_lookup (self->prerequisites,
                                                            DR_PREREQUISITE_CONTAINER);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("A kind cluster needs Docker or Podman, and neither was "
                                   "found: %s%s%s"),
                                 item->detail, item->fix != NULL ? "\n" : "",
                                 item->fix != NULL ? item->fix : "");
      _dr_cluster_set_state (self, DR_CLUSTER_STATE_UNKNOWN, message);
      dr_step_queue_fail (queue, g_error_new_literal (DR_ERROR, DR_ERROR_NOT_FOUND, message));
      return;
    }

  if (self->kind == NULL || dr_kind_get_provider (self->kind) != provider)
    {
      g_clear_object (&self->kind);
      self->kind = dr_kind_new (self->name, provider);
      dr_kind_set_ready_probe (self->kind, DR_READY_PROBE (self->probe));
      if (self->kind_poll_ms > 0)
        _dr_kind_set_poll_interval (self->kind, self->kind_poll_ms);
    }
  dr_step_queue_next (queue);
}

static void
ensure_kind_run (DrStepQueue *queue,
                 gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  gboolean recheck = GPOINTER_TO_INT (data);

  if (self->kind != NULL && !recheck)
    {
      dr_step_queue_next (queue);
      return;
    }
  dr_step_queue_set_step (queue, _("Checking for Docker, Podman and kind…"));
  dr_prerequisites_check_async (NULL, dr_step_queue_get_cancellable (queue), prerequisites_cb,
                                queue);
}

static const DrStepClass ensure_kind_step = { "prerequisites", ensure_kind_run };

void
_dr_cluster_push_ensure_kind (DrStepQueue *queue,
                              gboolean     recheck)
{
  dr_step_queue_push (queue, &ensure_kind_step, GINT_TO_POINTER (recheck), NULL);
}

/* Create, start and delete: kind clusters only, one verb at a time, after the prerequisites
 * named the container engine, then the state. Takes @title. */
static DrOperation *
run_kind_verb (DrCluster         *self,
               char              *title,
               const DrStepClass *klass)
{
  g_autofree char *owned_title = title;
  DrOperation *op = NULL;
  DrStepQueue *queue;

  if (!self->is_kind)
    return failed_operation (title, not_kind_error (self));
  if ((queue = _dr_cluster_verb_new (self, title, TRUE, &op)) != NULL)
    {
      _dr_cluster_push_ensure_kind (queue, FALSE);
      dr_step_queue_push (queue, klass, NULL, NULL);
      dr_step_queue_push (queue, &finish_state_step, NULL, NULL);
      dr_step_queue_start (queue);
      g_object_unref (queue);
    }
  return op;
}


/* Refresh */

DrOperation *
dr_cluster_refresh (DrCluster *self)
{
  g_autoptr(DrStepQueue) queue = NULL;
  DrOperation *op = NULL;

  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  queue = _dr_cluster_verb_new (self, _("Checking the cluster"), FALSE, &op);
  if (self->is_kind)
    _dr_cluster_push_ensure_kind (queue, TRUE);
  dr_step_queue_push (queue, &finish_state_step, NULL, NULL);
  dr_step_queue_start (queue);
  return op;
}


/* Create */

static void
create_cleanup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  DrStepQueue *queue = data;
  g_autoptr(GError) error = NULL;

  if (!dr_kind_delete_finish (DR_KIND (object), result, &error))
    dr_step_queue_log (queue, error->message);
  dr_step_queue_next (queue);
}

/* Cleanup after a cancelled create: not cancellable, the cancel is what it cleans up after. */
static void
remove_half_made_run (DrStepQueue *queue,
                      gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  dr_step_queue_set_step (queue, _("Removing the half-made cluster…"));
  dr_kind_delete_async (self->kind, NULL, create_cleanup_cb, queue);
}

static const DrStepClass remove_half_made_step = { "remove-half-made", remove_half_made_run };

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  GError *error = NULL;

  /* New certificates, maybe a new port: the probe asks kind for the kubeconfig again. */
  _dr_cluster_probe_forget_client (self->probe);

  if (dr_kind_create_finish (DR_KIND (object), result, &error))
    {
      dr_step_queue_next (queue);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail_after_state (queue, error);
      return;
    }

  /* kind was ended half-way: leave no half-made cluster behind, then read the state. */
  dr_step_queue_keep_error (queue, error);
  dr_step_queue_push_next (queue, &remove_half_made_step, NULL, NULL);
  dr_step_queue_push_next (queue, &state_after_failure_step, NULL, NULL);
  dr_step_queue_next (queue);
}

static void
create_config_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  g_autoptr(DrKindConfig) config = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonArray *nodes;
  GError *error = NULL;

  config = dr_kind_config_detect_finish (result, &error);
  if (config == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }

  /* What the node will see of this computer: fixed for the life of the cluster. */
  json = dr_kind_config_to_json (config);
  nodes = json_object_get_array_member (json_node_get_object (json), "nodes");
  for (guint n = 0; n < json_array_get_length (nodes); n++)
    {
      JsonArray *mounts = json_object_get_array_member (json_array_get_object_element (nodes, n),
                                                        "extraMounts");

      for (guint i = 0; i < json_array_get_length (mounts); i++)
        {
          JsonObject *mount = json_array_get_object_element (mounts, i);
          g_autofree char *line = NULL;

          line = g_strdup_printf (_("Sharing %s with the cluster at %s"),
                                  json_object_get_string_member (mount, "hostPath"),
                                  json_object_get_string_member (mount, "containerPath"));
          dr_step_queue_log (queue, line);
        }
    }

  _dr_cluster_set_state (self, DR_CLUSTER_STATE_STARTING, _("The cluster is being created."));
  stream_kind_lines (queue);
  dr_step_queue_set_step (queue, _("Creating the cluster (the first time, kind downloads "
                                   "its node image)…"));
  dr_kind_create_async (self->kind, config, dr_step_queue_get_cancellable (queue), create_done_cb,
                        queue);
}

static void
create_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  GError *error = NULL;

  if (!_dr_cluster_update_state_finish (result, &error))
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  if (self->state != DR_CLUSTER_STATE_ABSENT)
    {
      dr_step_queue_fail (queue, g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                              _("A kind cluster named “%s” already exists. Start "
                                                "it if it is stopped, or delete it first to "
                                                "create it anew."),
                                              self->name));
      return;
    }

  dr_step_queue_set_step (queue, _("Looking for the Docker socket and Nix on this "
                                   "computer…"));
  dr_kind_config_detect_async (self->name, NULL, dr_step_queue_get_cancellable (queue),
                               create_config_cb, queue);
}

static void
create_check (DrStepQueue *queue,
              gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  _dr_cluster_update_state_async (self, dr_step_queue_get_cancellable (queue), create_state_cb,
                                  queue);
}

static const DrStepClass create_step = { "create", create_check };

DrOperation *
dr_cluster_create (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  return run_kind_verb (self, g_strdup_printf (_("Creating the kind cluster “%s”"),
                                               self->name != NULL ? self->name : ""),
                        &create_step);
}


/* Start */

static void
start_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  DrStepQueue *queue = data;
  GError *error = NULL;

  if (dr_kind_start_finish (DR_KIND (object), result, &error))
    dr_step_queue_next (queue);
  else
    fail_after_state (queue, error);
}

static void
start_state_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  g_autofree char *step = NULL;
  GError *error = NULL;

  if (!_dr_cluster_update_state_finish (result, &error))
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  if (self->state == DR_CLUSTER_STATE_ABSENT)
    {
      dr_step_queue_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                              _("There is no kind cluster named “%s” to start. "
                                                "Create it first."),
                                              self->name));
      return;
    }
  if (self->state == DR_CLUSTER_STATE_READY)
    {
      dr_step_queue_log (queue, _("The cluster already runs."));
      dr_step_queue_next (queue);
      return;
    }

  _dr_cluster_set_state (self, DR_CLUSTER_STATE_STARTING, _("The cluster is starting."));
  stream_kind_lines (queue);
  step = g_strdup_printf (_("Starting the node container %s…"),
                          dr_kind_get_node_container (self->kind));
  dr_step_queue_set_step (queue, step);
  dr_kind_start_async (self->kind, (self->start_timeout_ms + 999) / 1000,
                       dr_step_queue_get_cancellable (queue), start_done_cb, queue);
}

static void
start_check (DrStepQueue *queue,
             gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  _dr_cluster_update_state_async (self, dr_step_queue_get_cancellable (queue), start_state_cb,
                                  queue);
}

static const DrStepClass start_step = { "start", start_check };

DrOperation *
dr_cluster_start (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  return run_kind_verb (self, g_strdup_printf (_("Starting the kind cluster “%s”"),
                                               self->name != NULL ? self->name : ""),
                        &start_step);
}


/* Delete */

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  GError *error = NULL;

  _dr_cluster_probe_forget_client (self->probe);
  if (dr_kind_delete_finish (DR_KIND (object), result, &error))
    dr_step_queue_next (queue);
  else
    fail_after_state (queue, error);
}

static void
delete_run (DrStepQueue *queue,
            gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  stream_kind_lines (queue);
  dr_step_queue_set_step (queue, _("Deleting the cluster and everything in it…"));
  dr_kind_delete_async (self->kind, dr_step_queue_get_cancellable (queue), delete_done_cb, queue);
}

static const DrStepClass delete_step = { "delete", delete_run };

DrOperation *
dr_cluster_delete (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  return run_kind_verb (self, g_strdup_printf (_("Deleting the kind cluster “%s”"),
                                               self->name != NULL ? self->name : ""),
                        &delete_step);
}
