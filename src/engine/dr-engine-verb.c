/* dr-engine-verb.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the runner verbs of DrEngine share (dr-engine-apply.c: apply, prune, scale;
 * dr-engine-remove.c: remove, force remove, remove all): the Verb every step of one verb
 * sees as its DrStepQueue's context, the steps' common data, object references, and how a
 * verb starts. Joined by dr-engine-verb-private.h.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-arc-render.h"
#include "dr-engine-verb-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-kube-client.h"

const DrVerbHelperKind _dr_verb_helper_kinds[DR_VERB_N_HELPER_KINDS] = {
  { "v1", "ConfigMap" },
  { "rbac.authorization.k8s.io/v1", "RoleBinding" },
  { "rbac.authorization.k8s.io/v1", "Role" },
  { "v1", "ServiceAccount" },
  { "v1", "Secret" },
};

void
_dr_verb_step_base_clear (StepBase *base)
{
  g_free (base->runner);
}

void
_dr_verb_runner_step_free (gpointer data)
{
  RunnerStep *step = data;

  _dr_verb_step_base_clear (&step->base);
  g_free (step);
}

void
_dr_verb_ref_step_stop_waiting (RefStep *step)
{
  if (step->wait_store != NULL)
    {
      dr_kube_store_stop (step->wait_store);
      g_clear_object (&step->wait_store);
    }
}

void
_dr_verb_ref_step_free (gpointer data)
{
  RefStep *step = data;

  _dr_verb_step_base_clear (&step->base);
  g_clear_pointer (&step->ref, dr_arc_object_ref_free);
  _dr_verb_ref_step_stop_waiting (step);
  g_clear_pointer (&step->last_seen, json_node_unref);
  g_free (step);
}

void
_dr_verb_step_base_init (StepBase   *base,
                         const char *runner,
                         gboolean    pruning)
{
  base->runner = g_strdup (runner);
  base->pruning = pruning;
}

DrArcObjectRef *
_dr_verb_ref_new (const char *api_version,
                  const char *kind,
                  const char *namespace_,
                  const char *name)
{
  DrArcObjectRef *ref = g_new0 (DrArcObjectRef, 1);

  ref->api_version = g_strdup (api_version);
  ref->kind = g_strdup (kind);
  ref->namespace_ = g_strdup (namespace_);
  ref->name = g_strdup (name);
  return ref;
}

DrArcObjectRef *
_dr_verb_ref_copy (const DrArcObjectRef *ref)
{
  return _dr_verb_ref_new (ref->api_version, ref->kind, ref->namespace_, ref->name);
}

RunnerStep *
_dr_verb_runner_step_new (const char *runner)
{
  RunnerStep *step = g_new0 (RunnerStep, 1);

  _dr_verb_step_base_init (&step->base, runner, FALSE);
  return step;
}

RefStep *
_dr_verb_ref_step_new (const char           *runner,
                       const DrArcObjectRef *ref,
                       gboolean              pruning)
{
  RefStep *step = g_new0 (RefStep, 1);

  _dr_verb_step_base_init (&step->base, runner, pruning);
  step->ref = _dr_verb_ref_copy (ref);
  return step;
}

/* Queues @klass on @ref right after the current step (after those queued before it). */
void
_dr_verb_push_ref_next (DrStepQueue          *queue,
                        const DrStepClass    *klass,
                        const char           *runner,
                        const DrArcObjectRef *ref,
                        gboolean              pruning)
{
  dr_step_queue_push_next (queue, klass, _dr_verb_ref_step_new (runner, ref, pruning),
                           _dr_verb_ref_step_free);
}

char *
_dr_verb_ref_path (const DrArcObjectRef *ref)
{
  const char *plural = dr_arc_api_plural (ref->kind);

  g_return_val_if_fail (plural != NULL, NULL);
  return dr_kube_path (ref->api_version, plural, ref->namespace_, ref->name);
}

/* "secret/web-gha-rs-github-secret", as kubectl names objects. */
char *
_dr_verb_ref_display (const DrArcObjectRef *ref)
{
  g_autofree char *kind = g_ascii_strdown (ref->kind, -1);

  return g_strdup_printf ("%s/%s", kind, ref->name);
}

DrArcObjectRef *
_dr_verb_ref_from_object (JsonNode   *node,
                          const char *default_api_version,
                          const char *default_kind)
{
  JsonObject *object = dr_json_node_object (node);
  JsonObject *metadata = dr_json_member_object (object, "metadata");
  const char *name = dr_json_member_string (metadata, "name");
  const char *api_version = dr_json_member_string (object, "apiVersion");
  const char *kind = dr_json_member_string (object, "kind");

  if (name == NULL)
    return NULL;
  return _dr_verb_ref_new (api_version ? api_version : default_api_version,
                           kind ? kind : default_kind,
                           dr_json_member_string (metadata, "namespace"), name);
}

/* The finalizers of @node, comma-separated, or NULL when it has none. */
char *
_dr_verb_dup_finalizers (JsonNode *node)
{
  JsonObject *metadata = dr_json_member_object (dr_json_node_object (node), "metadata");
  JsonArray *finalizers = dr_json_member_array (metadata, "finalizers");
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) names = NULL;

  if (finalizers == NULL || json_array_get_length (finalizers) == 0)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (finalizers); i++)
    {
      JsonNode *element = json_array_get_element (finalizers, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  names = g_strv_builder_end (builder);
  return g_strjoinv (", ", names);
}

static void
verb_free (gpointer data)
{
  Verb *verb = data;

  g_free (verb->runner_namespace);
  g_free (verb->controller_namespace);
  g_clear_object (&verb->client);
  g_clear_object (&verb->engine);
  g_free (verb);
}

static Verb *
verb_new (DrEngine *engine)
{
  Verb *verb = g_new0 (Verb, 1);
  DrConfig *config = engine->config;

  verb->engine = g_object_ref (engine);
  verb->client = engine->client ? g_object_ref (engine->client) : NULL;
  verb->runner_namespace = g_strdup (dr_config_get_runner_namespace (config));
  verb->controller_namespace = g_strdup (dr_config_get_controller_namespace (config));

  dr_arc_render_options_init (&verb->options);
  verb->options.runner_namespace = verb->runner_namespace;
  verb->options.controller_namespace = verb->controller_namespace;
  /* A cluster deskrun did not make has its own default StorageClass. */
  if (dr_config_get_cluster_kind (config) != DR_CLUSTER_KIND_KIND)
    verb->options.storage_class = NULL;
  return verb;
}

/* A queue for @operation whose steps share a new Verb. */
DrStepQueue *
_dr_verb_queue_new (DrEngine    *engine,
                    DrOperation *operation)
{
  DrStepQueue *queue = dr_step_queue_new (operation, DR_STEP_QUEUE_DEFAULT);

  dr_step_queue_set_context (queue, verb_new (engine), verb_free);
  return queue;
}

void
_dr_verb_fail (DrStepQueue *queue,
               GError      *error)
{
  StepBase *base = dr_step_queue_get_current (queue);

  if (base != NULL && base->pruning &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, _("The runner “%s” was updated, but not everything it no longer "
                              "uses could be removed. "),
                    base->runner);
  dr_step_queue_fail (queue, error);
}

GError *
_dr_verb_not_connected_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                              _("Not connected to a cluster. Start or connect the cluster "
                                "first."));
}

/* The operation is in the operations model before its first step runs. Steps that finish
 * at once (a failure, the config part of forgetting a runner) do so before this returns:
 * the window sees the runner gone as soon as it asked, and the log keeps every line for
 * whoever connects later. Takes @queue; the steps that need the cluster only run in a verb
 * whose Verb has a client (the verbs below check that first). */
DrOperation *
_dr_verb_start (DrEngine    *self,
                DrStepQueue *queue)
{
  g_autoptr(DrStepQueue) owned = queue;
  DrOperation *operation = g_object_ref (dr_step_queue_get_operation (queue));

  _dr_engine_track_operation (self, operation);
  dr_step_queue_start (queue);
  return operation;
}

/* An operation that failed before it began, so every verb can be followed the same way. */
DrOperation *
_dr_verb_failed (DrEngine   *self,
                 const char *title,
                 GError     *error)
{
  DrOperation *operation = _dr_operation_new (title);

  _dr_engine_track_operation (self, operation);
  _dr_operation_fail (operation, error);
  return operation;
}
