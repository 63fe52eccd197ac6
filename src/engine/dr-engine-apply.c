/* dr-engine-apply.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrEngine's apply (which then prunes what the runner no longer renders) and scale. Each
 * verb is a DrOperation driven by a DrStepQueue of small steps (read the credential, apply
 * one object, list what is left over, …), each step class with its own data; a step that
 * learns more queues the steps that follow from it right after itself. A prune removes what
 * it finds the way dr-engine-remove.c removes a runner.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-arc-render.h"
#include "dr-engine-verb-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-keyring.h"
#include "dr-versions.h"

typedef struct
{
  StepBase  base;
  JsonNode *object;                /* may hold a credential: never logged */
} ApplyStep;

/* List the runner's objects, queue the removal of what the apply did not render. */
typedef struct
{
  StepBase    base;
  GHashTable *keep;                /* "Kind/name" of what the apply rendered */
  guint       kind;                /* which of the prune kinds is listed */
  GPtrArray  *scale_sets;          /* DrArcObjectRef: found besides */
  GPtrArray  *helpers;
} PruneStep;

static void run_prepare_apply  (DrStepQueue *queue, gpointer data);
static void run_apply          (DrStepQueue *queue, gpointer data);
static void run_scale          (DrStepQueue *queue, gpointer data);
static void run_prune          (DrStepQueue *queue, gpointer data);

/* Credential from the keyring, render, queue the applies and the prune. */
static const DrStepClass prepare_apply_step = { "prepare-apply", run_prepare_apply };
static const DrStepClass apply_step = { "apply", run_apply };
static const DrStepClass scale_step = { "scale", run_scale };
static const DrStepClass prune_step = { "prune", run_prune };

static void
apply_step_free (gpointer data)
{
  ApplyStep *step = data;

  _dr_verb_step_base_clear (&step->base);
  g_clear_pointer (&step->object, json_node_unref);
  g_free (step);
}

static void
prune_step_free (gpointer data)
{
  PruneStep *step = data;

  _dr_verb_step_base_clear (&step->base);
  g_clear_pointer (&step->keep, g_hash_table_unref);
  g_clear_pointer (&step->scale_sets, g_ptr_array_unref);
  g_clear_pointer (&step->helpers, g_ptr_array_unref);
  g_free (step);
}

/* Kubernetes may quote what it was sent in an error message. The Secret's values must not
 * reach the operation log that way. */
static char *
scrub_secret (const char *message,
              JsonNode   *secret)
{
  static const char * const members[] = { "stringData", "data" };
  g_autoptr(GString) text = g_string_new (message);
  JsonObject *object = json_node_get_object (secret);

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      JsonObject *values = dr_json_member_object (object, members[m]);
      g_autoptr(GList) keys = values != NULL ? json_object_get_members (values) : NULL;

      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *value = dr_json_member_string (values, l->data);

          if (value != NULL && strlen (value) >= 4)
            g_string_replace (text, value, "[hidden]", 0);
          /* data holds base64; a message may quote the decoded value too. */
          if (value != NULL && m == 1)
            {
              gsize length = 0;
              g_autofree guchar *decoded = g_base64_decode (value, &length);
              g_autofree char *plain = g_strndup ((const char *) decoded, length);

              if (plain != NULL && strlen (plain) >= 4)
                g_string_replace (text, plain, "[hidden]", 0);
            }
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* How a prune tells rendered objects apart: all live in the runner namespace. */
static char *
keep_key (const char *kind,
          const char *name)
{
  return g_strdup_printf ("%s/%s", kind, name);
}

/* ---- Apply ------------------------------------------------------------------------------ */

static JsonNode *
namespace_object (const char *name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, "v1");
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "Namespace");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The spec as the cluster's node sees it. In a kind cluster a hostPath is a path inside the
 * node container, which sees this computer only through the folders the cluster shares:
 * each explicit mount source is translated to where it appears in the node, and one that is
 * not shared is refused with what to do, rather than becoming an empty folder in the node.
 * A kubeconfig context's mount sources are already paths on its nodes, and automatic ones
 * are rendered in the node's cache folder: those stay. Returns a new reference (@spec itself
 * when nothing changes), or NULL with DR_ERROR_INVALID. */
static DrRunnerSpec *
spec_for_node (DrEngine      *engine,
               DrRunnerSpec  *spec,
               GError       **error)
{
  const DrKindConfig *kind_config = NULL;
  g_autoptr(DrRunnerSpec) copy = NULL;

  if (engine->cluster != NULL && dr_cluster_is_kind (engine->cluster))
    kind_config = dr_cluster_get_kind_config (engine->cluster);
  if (kind_config == NULL || spec->mounts == NULL || spec->mounts->len == 0)
    return dr_runner_spec_ref (spec);

  copy = dr_runner_spec_copy (spec);
  for (guint i = 0; i < copy->mounts->len; i++)
    {
      DrMount *mount = g_ptr_array_index (copy->mounts, i);
      char *node_path;

      if (mount->source == NULL || *mount->source == '\0')
        continue;
      node_path = dr_kind_host_path_to_node_path (kind_config, mount->source);
      if (node_path == NULL)
        {
          g_autofree char *message = dr_kind_host_path_unmounted_message (kind_config,
                                                                          mount->source);

          g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID, message);
          return NULL;
        }
      g_free (mount->source);
      mount->source = node_path;
    }
  return g_steal_pointer (&copy);
}

gboolean
dr_engine_check_mounts (DrEngine            *self,
                        const DrRunnerSpec  *spec,
                        GError             **error)
{
  g_autoptr(DrRunnerSpec) for_node = NULL;

  g_return_val_if_fail (DR_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  for_node = spec_for_node (self, (DrRunnerSpec *) spec, error);
  return for_node != NULL;
}

static void
prepare_apply_lookup_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  Verb *verb = dr_step_queue_get_context (queue);
  RunnerStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrCredential) credential = dr_keyring_lookup_finish (result, &error);
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree char *message = NULL;
  g_autoptr(DrRunnerSpec) node_spec = NULL;
  DrRunnerSpec *spec;
  PruneStep *prune;

  if (credential == NULL)
    {
      if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
        {
          _dr_verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                             _("The credential of runner “%s” is not in the "
                                               "keyring any more. Remove the runner and add it "
                                               "again."),
                                             step->base.runner));
          return;
        }
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  spec = dr_config_lookup_runner (verb->engine->config, step->base.runner);
  if (spec == NULL)
    {
      _dr_verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                         _("There is no runner named “%s”."), step->base.runner));
      return;
    }

  node_spec = spec_for_node (verb->engine, spec, &error);
  if (node_spec == NULL)
    {
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  objects = dr_arc_render_runner (node_spec, credential, &verb->options, &error);
  /* The rendered Secret holds the credential now; the keyring's copy is wiped here. */
  g_clear_pointer (&credential, dr_credential_free);
  if (objects == NULL)
    {
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  if (!verb->namespace_applied)
    {
      ApplyStep *apply = g_new0 (ApplyStep, 1);

      _dr_verb_step_base_init (&apply->base, step->base.runner, FALSE);
      apply->object = namespace_object (verb->runner_namespace);
      dr_step_queue_push_next (queue, &apply_step, apply, apply_step_free);
      verb->namespace_applied = TRUE;
    }
  prune = g_new0 (PruneStep, 1);
  _dr_verb_step_base_init (&prune->base, step->base.runner, TRUE);
  prune->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < objects->len; i++)
    {
      ApplyStep *apply = g_new0 (ApplyStep, 1);
      g_autoptr(DrArcObjectRef) ref = NULL;

      _dr_verb_step_base_init (&apply->base, step->base.runner, FALSE);
      apply->object = json_node_ref (g_ptr_array_index (objects, i));
      ref = _dr_verb_ref_from_object (apply->object, NULL, NULL);
      if (ref != NULL)
        g_hash_table_add (prune->keep, keep_key (ref->kind, ref->name));
      dr_step_queue_push_next (queue, &apply_step, apply, apply_step_free);
    }
  /* Only once every object is applied: what the runner uses now is in place before what
   * it used before goes. */
  dr_step_queue_push_next (queue, &prune_step, prune, prune_step_free);

  message = g_strdup_printf (_("Applying the runner “%s” to the cluster"), step->base.runner);
  dr_step_queue_set_step (queue, message);
  dr_step_queue_next (queue);
}

static void
run_prepare_apply (DrStepQueue *queue,
                   gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RunnerStep *step = data;
  DrRunnerSpec *spec = dr_config_lookup_runner (verb->engine->config, step->base.runner);
  g_autofree char *message = NULL;

  if (spec == NULL)
    {
      _dr_verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                         _("There is no runner named “%s”."), step->base.runner));
      return;
    }
  if (spec->credential_id == NULL)
    {
      _dr_verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                         _("The runner “%s” has no stored credential. Remove the "
                                           "runner and add it again."),
                                         step->base.runner));
      return;
    }

  message = g_strdup_printf (_("Reading the credential of “%s” from the keyring"),
                             step->base.runner);
  dr_step_queue_set_step (queue, message);
  dr_keyring_lookup_async (spec->credential_id, dr_step_queue_get_cancellable (queue),
                           prepare_apply_lookup_cb, queue);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  ApplyStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stored = dr_kube_client_apply_finish (DR_KUBE_CLIENT (object), result,
                                                            &error);
  g_autoptr(DrArcObjectRef) ref = _dr_verb_ref_from_object (step->object, NULL, NULL);
  g_autofree char *display = _dr_verb_ref_display (ref);
  g_autofree char *line = NULL;

  if (stored == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          _dr_verb_fail (queue, g_steal_pointer (&error));
          return;
        }
      if (g_strcmp0 (ref->kind, "Secret") == 0)
        message = scrub_secret (error->message, step->object);
      else if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND) &&
               g_strcmp0 (ref->api_version, DR_ARC_API_VERSION) == 0)
        message = g_strdup (_("this cluster does not know ARC’s resources. Install ARC’s "
                              "controller first."));
      else
        message = g_strdup (error->message);
      _dr_verb_fail (queue, g_error_new (error->domain, error->code, _("Could not apply %s: %s"),
                                         display, message));
      return;
    }

  /* Translators: %s is a Kubernetes object, as in "secret/web-gha-rs-github-secret". */
  line = g_strdup_printf (_("%s applied"), display);
  dr_step_queue_log (queue, line);
  dr_step_queue_next (queue);
}

static void
run_apply (DrStepQueue *queue,
           gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  ApplyStep *step = data;
  g_autoptr(DrArcObjectRef) ref = _dr_verb_ref_from_object (step->object, NULL, NULL);
  g_autofree char *path = NULL;

  if (ref == NULL || dr_arc_api_plural (ref->kind) == NULL)
    {
      _dr_verb_fail (queue, g_error_new_literal (DR_ERROR, DR_ERROR_FAILED,
                                                 _("deskrun rendered an object it cannot apply.")));
      return;
    }
  path = _dr_verb_ref_path (ref);
  dr_kube_client_apply_async (verb->client, path, step->object, DR_KUBE_WRITE_NONE,
                              dr_step_queue_get_cancellable (queue), apply_cb, queue);
}

/* ---- Scale ------------------------------------------------------------------------------ */

static void
scale_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RefStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object),
                                                                   result, &error);
  g_autofree char *display = _dr_verb_ref_display (step->ref);
  g_autofree char *line = NULL;

  if (patched == NULL && g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      line = g_strdup_printf (_("%s is not in the cluster: the new size takes effect when the "
                                "runner is applied."),
                              display);
      dr_step_queue_log (queue, line);
      dr_step_queue_next (queue);
      return;
    }
  if (patched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("The new size is saved, but the cluster still runs the old "
                                  "one; apply the runner to retry. "));
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf (_("%s scaled to %u–%u runners"), display, step->min_runners,
                          step->max_runners);
  dr_step_queue_log (queue, line);
  dr_step_queue_next (queue);
}

static void
run_scale (DrStepQueue *queue,
           gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = _dr_verb_ref_path (step->ref);

  /* Only the two fields: the ERS replicas belong to the listener (FACTS.md §2.9). */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "spec");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "minRunners");
  json_builder_add_int_value (builder, step->min_runners);
  json_builder_set_member_name (builder, "maxRunners");
  json_builder_add_int_value (builder, step->max_runners);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  patch = json_builder_get_root (builder);

  dr_kube_client_merge_patch_async (verb->client, path, patch, DR_KUBE_WRITE_NONE,
                                    dr_step_queue_get_cancellable (queue), scale_cb, queue);
}

/* ---- Prune ------------------------------------------------------------------------------ */

/* What a prune lists, in the order it removes it: the scale sets, then their helpers in
 * the order a removal deletes them. */
#define N_PRUNE_KINDS (1 + DR_VERB_N_HELPER_KINDS)

static void
prune_kind_at (guint        index,
               const char **api_version,
               const char **kind)
{
  if (index == 0)
    {
      *api_version = DR_ARC_API_VERSION;
      *kind = DR_ARC_KIND_SCALE_SET;
      return;
    }
  *api_version = _dr_verb_helper_kinds[index - 1].api_version;
  *kind = _dr_verb_helper_kinds[index - 1].kind;
}

/* Whether @scale_set is a name runner @runner's scale sets get: NAME, or NAME-N with
 * instances (dr_arc_scale_set_name()). */
static gboolean
is_scale_set_of (const char *runner,
                 const char *scale_set)
{
  const char *rest;

  if (!g_str_has_prefix (scale_set, runner))
    return FALSE;
  rest = scale_set + strlen (runner);
  if (*rest == '\0')
    return TRUE;
  if (*rest != '-' || rest[1] == '\0')
    return FALSE;
  for (rest++; *rest != '\0'; rest++)
    if (!g_ascii_isdigit (*rest))
      return FALSE;
  return TRUE;
}

/* Whether deskrun renders a @kind named @name for @scale_set in some container mode. */
static gboolean
is_rendered_name (const char *kind,
                  const char *scale_set,
                  const char *name)
{
  static const DrContainerMode modes[] = {
    DR_CONTAINER_MODE_KUBERNETES, DR_CONTAINER_MODE_PRIVILEGED, DR_CONTAINER_MODE_DIND,
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(DrArcScaleSetNames) names = dr_arc_scale_set_names_new (scale_set, modes[i]);
      const char *candidates[2] = { NULL, NULL };

      if (g_strcmp0 (kind, DR_ARC_KIND_SCALE_SET) == 0)
        candidates[0] = names->scale_set;
      else if (g_strcmp0 (kind, "Secret") == 0)
        candidates[0] = names->github_secret;
      else if (g_strcmp0 (kind, "ServiceAccount") == 0)
        {
          candidates[0] = names->no_permission_service_account;
          candidates[1] = names->kube_mode_service_account;
        }
      else if (g_strcmp0 (kind, "Role") == 0)
        {
          candidates[0] = names->manager_role;
          candidates[1] = names->kube_mode_role;
        }
      else if (g_strcmp0 (kind, "RoleBinding") == 0)
        {
          candidates[0] = names->manager_role_binding;
          candidates[1] = names->kube_mode_role_binding;
        }
      else if (g_strcmp0 (kind, "ConfigMap") == 0)
        candidates[0] = names->hook_config_map;

      for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
        if (candidates[c] != NULL && g_str_equal (candidates[c], name))
          return TRUE;
    }
  return FALSE;
}

/* Whether the listed @node (a @kind) is something deskrun made for runner step->base.runner that
 * the apply no longer renders. The label selector asked for exactly that; this looks again,
 * since only deskrun's own objects may ever be deleted: ARC's controller copies a scale
 * set's labels onto what it makes from it (owned by it, and named otherwise), and a server
 * might ignore the selector. */
static gboolean
is_leftover (PruneStep  *step,
             JsonNode   *node,
             const char *kind)
{
  JsonObject *metadata = dr_json_member_object (dr_json_node_object (node), "metadata");
  JsonObject *labels = dr_json_member_object (metadata, "labels");
  JsonArray *owners = dr_json_member_array (metadata, "ownerReferences");
  const char *name = dr_json_member_string (metadata, "name");
  const char *scale_set = dr_json_member_string (labels, "actions.github.com/scale-set-name");
  g_autofree char *key = NULL;

  if (name == NULL || scale_set == NULL)
    return FALSE;
  if (g_strcmp0 (dr_json_member_string (labels, "app.kubernetes.io/managed-by"),
                 DR_LABEL_MANAGED_BY_VALUE) != 0 ||
      g_strcmp0 (dr_json_member_string (labels, DR_LABEL_RUNNER), step->base.runner) != 0)
    return FALSE;
  if (owners != NULL && json_array_get_length (owners) > 0)
    return FALSE;
  if (!is_scale_set_of (step->base.runner, scale_set) || !is_rendered_name (kind, scale_set, name))
    return FALSE;

  key = keep_key (kind, name);
  return !g_hash_table_contains (step->keep, key);
}

/* Everything is listed: queues the removal of what was found, in the order and with the
 * waits of removing a runner. A leftover helper of a scale set that stays is no longer
 * named in its cleanup annotations (the apply replaced them), so the controller will
 * never strip its cleanup finalizer: the removal releases it as for a scale set that is
 * gone. */
static void
prune_queue (DrStepQueue *queue,
             PruneStep   *step)
{
  g_autofree char *message = NULL;

  if (step->scale_sets->len == 0 && step->helpers->len == 0)
    {
      dr_step_queue_next (queue);
      return;
    }

  message = g_strdup_printf (_("Removing what “%s” no longer uses"), step->base.runner);
  dr_step_queue_set_step (queue, message);
  for (guint i = 0; i < step->scale_sets->len; i++)
    {
      DrArcObjectRef *ref = g_ptr_array_index (step->scale_sets, i);
      g_autofree char *line = g_strdup_printf (_("Removing scale set %s, no longer configured"),
                                               ref->name);

      dr_step_queue_log (queue, line);
    }
  for (guint i = 0; i < step->helpers->len; i++)
    {
      g_autofree char *display = _dr_verb_ref_display (g_ptr_array_index (step->helpers, i));
      /* Translators: %s is a Kubernetes object, as in "serviceaccount/web-gha-rs-kube-mode". */
      g_autofree char *line = g_strdup_printf (_("Removing %s, no longer used"), display);

      dr_step_queue_log (queue, line);
    }

  _dr_verb_push_removal_next (queue, step->base.runner, step->scale_sets, step->helpers, FALSE,
                              TRUE);
  dr_step_queue_next (queue);
}

static void
prune_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  Verb *verb = dr_step_queue_get_context (queue);
  PruneStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result,
                                                             &error);
  const char *api_version;
  const char *kind;
  JsonArray *items;

  if (list == NULL)
    {
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  prune_kind_at (step->kind, &api_version, &kind);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *metadata = dr_json_member_object (dr_json_node_object (item), "metadata");

      if (!is_leftover (step, item, kind))
        continue;
      g_ptr_array_add (step->kind == 0 ? step->scale_sets : step->helpers,
                       _dr_verb_ref_new (api_version, kind, verb->runner_namespace,
                                         dr_json_member_string (metadata, "name")));
    }

  step->kind++;
  if (step->kind < N_PRUNE_KINDS)
    run_prune (queue, step);
  else
    prune_queue (queue, step);
}

/* Lists the runner's objects of kind step->kind; the callback lists the next kind, and
 * after the last queues the removal. */
static void
run_prune (DrStepQueue *queue,
           gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  PruneStep *step = data;
  g_autofree char *selector = dr_arc_runner_selector (step->base.runner);
  g_autofree char *path = NULL;
  DrKubeListOptions options = { .label_selector = selector };
  const char *api_version;
  const char *kind;

  step->base.pruning = TRUE;
  if (step->scale_sets == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Looking for what “%s” no longer uses"),
                                                  step->base.runner);

      dr_step_queue_set_step (queue, message);
      step->scale_sets = g_ptr_array_new_with_free_func (
        (GDestroyNotify) dr_arc_object_ref_free);
      step->helpers = g_ptr_array_new_with_free_func (
        (GDestroyNotify) dr_arc_object_ref_free);
    }

  prune_kind_at (step->kind, &api_version, &kind);
  path = dr_kube_path (api_version, dr_arc_api_plural (kind), verb->runner_namespace, NULL);
  dr_kube_client_list_all_async (verb->client, path, &options,
                                 dr_step_queue_get_cancellable (queue), prune_listed_cb, queue);
}

/* ---- Verbs ------------------------------------------------------------------------------ */

DrOperation *
dr_engine_apply_runner (DrEngine   *self,
                        const char *name)
{
  g_autofree char *title = NULL;
  g_autoptr(DrOperation) operation = NULL;
  DrStepQueue *queue;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  title = g_strdup_printf (_("Applying runner “%s”"), name);
  if (self->client == NULL)
    return _dr_verb_failed (self, title, _dr_verb_not_connected_error ());
  if (dr_config_lookup_runner (self->config, name) == NULL)
    return _dr_verb_failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                                      _("There is no runner named “%s”."), name));

  operation = _dr_operation_new (title);
  queue = _dr_verb_queue_new (self, operation);
  dr_step_queue_push (queue, &prepare_apply_step, _dr_verb_runner_step_new (name),
                      _dr_verb_runner_step_free);
  return _dr_verb_start (self, queue);
}

DrOperation *
dr_engine_apply_all (DrEngine *self)
{
  g_autoptr(DrOperation) operation = NULL;
  const char *title = _("Applying every runner");
  guint n;
  DrStepQueue *queue;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);

  if (self->client == NULL)
    return _dr_verb_failed (self, title, _dr_verb_not_connected_error ());

  operation = _dr_operation_new (title);
  queue = _dr_verb_queue_new (self, operation);
  n = dr_config_get_n_runners (self->config);
  for (guint i = 0; i < n; i++)
    dr_step_queue_push (queue, &prepare_apply_step,
                        _dr_verb_runner_step_new (dr_config_get_runner (self->config, i)->name),
                        _dr_verb_runner_step_free);
  if (n == 0)
    _dr_operation_log (operation, _("No runners are configured."));
  return _dr_verb_start (self, queue);
}

DrOperation *
dr_engine_scale_runner (DrEngine   *self,
                        const char *name,
                        guint       min_runners,
                        guint       max_runners)
{
  g_autofree char *title = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(DrRunnerSpec) old = NULL;
  g_autoptr(DrRunnerSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  DrRunnerSpec *found;
  g_auto(GStrv) scale_sets = NULL;
  DrStepQueue *queue;
  Verb *verb;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  title = g_strdup_printf (_("Scaling runner “%s”"), name);
  found = dr_config_lookup_runner (self->config, name);
  if (found == NULL)
    return _dr_verb_failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                                      _("There is no runner named “%s”."), name));
  if (found->instances > 1)
    return _dr_verb_failed (self, title,
                            g_error_new (DR_ERROR, DR_ERROR_INVALID,
                                         _("“%s” runs %u cache-isolated instances of one "
                                           "runner each, which cannot be scaled. Change the "
                                           "number of instances instead."),
                                         name, found->instances));

  old = dr_runner_spec_ref (found);
  spec = dr_runner_spec_copy (found);
  spec->min_runners = min_runners;
  spec->max_runners = max_runners;
  if (!dr_runner_spec_validate (spec, &error) || !_dr_engine_check_writable (self, &error) ||
      !dr_config_put_runner (self->config, spec, &error) ||
      !_dr_engine_save_or_revert (self, NULL, old, &error))
    return _dr_verb_failed (self, title, g_steal_pointer (&error));
  _dr_engine_sync_runners (self);

  operation = _dr_operation_new (title);
  if (self->client == NULL)
    {
      _dr_operation_log (operation, _("Saved. Not connected to a cluster: the new size takes "
                                      "effect the next time the runner is applied."));
      _dr_engine_track_operation (self, operation);
      _dr_operation_succeed (operation);
      return g_steal_pointer (&operation);
    }

  queue = _dr_verb_queue_new (self, operation);
  verb = dr_step_queue_get_context (queue);
  scale_sets = dr_runner_spec_dup_scale_set_names (spec);
  for (guint i = 0; scale_sets[i] != NULL; i++)
    {
      RefStep *step = g_new0 (RefStep, 1);

      _dr_verb_step_base_init (&step->base, name, FALSE);
      step->ref = _dr_verb_ref_new (DR_ARC_API_VERSION, DR_ARC_KIND_SCALE_SET, verb->runner_namespace,
                                    scale_sets[i]);
      step->min_runners = min_runners;
      step->max_runners = max_runners;
      dr_step_queue_push (queue, &scale_step, step, _dr_verb_ref_step_free);
    }
  return _dr_verb_start (self, queue);
}
