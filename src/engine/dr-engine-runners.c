/* dr-engine-runners.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cluster verbs of DrEngine: apply (which then prunes what the runner no longer
 * renders), scale, remove, force remove, up and down. Each one is a DrOperation driven by a
 * DrStepQueue of small steps (apply one object, delete one, wait until one is gone — by
 * watching it, never by polling — …), each step class with its own data. A step that learns
 * more (the credential, the objects a removal or a prune must delete) queues the steps that
 * follow from it right after itself.
 */
#include "config.h"

#include "dr-json.h"

#include <glib/gi18n.h>

#include "dr-arc-render.h"
#include "dr-engine-private.h"
#include "dr-error.h"
#include "dr-keyring.h"
#include "dr-kube-store.h"
#include "dr-kube-wait.h"
#include "dr-step-queue.h"
#include "dr-versions.h"

#define ARC_API_VERSION     "actions.github.com/v1alpha1"
#define ARS_KIND            "AutoscalingRunnerSet"
/* The finalizer deskrun's rendered helpers carry; the controller strips it while it deletes
 * their scale set (FACTS.md §2.3, §2.8). */
#define CLEANUP_FINALIZER   "actions.github.com/cleanup-protection"

static const struct
{
  const char *kind;
  const char *plural;
} kinds[] = {
  { "Namespace", "namespaces" },
  { "Secret", "secrets" },
  { "ServiceAccount", "serviceaccounts" },
  { "ConfigMap", "configmaps" },
  { "Pod", "pods" },
  { "Role", "roles" },
  { "RoleBinding", "rolebindings" },
  { ARS_KIND, "autoscalingrunnersets" },
  { "AutoscalingListener", "autoscalinglisteners" },
  { "EphemeralRunnerSet", "ephemeralrunnersets" },
  { "EphemeralRunner", "ephemeralrunners" },
};

/* The helper kinds a scale set may have, in the order they are deleted. */
static const struct
{
  const char *api_version;
  const char *kind;
} helper_kinds[] = {
  { "v1", "ConfigMap" },
  { "rbac.authorization.k8s.io/v1", "RoleBinding" },
  { "rbac.authorization.k8s.io/v1", "Role" },
  { "v1", "ServiceAccount" },
  { "v1", "Secret" },
};

static const char *
plural_of (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return kinds[i].plural;
  return NULL;
}

typedef enum
{
  THEN_DELETE_AND_WAIT,
  THEN_CLEAR,
} ListThen;

/* What the steps of one verb share: its DrStepQueue's context. */
typedef struct
{
  DrEngine           *engine;
  DrKubeClient       *client;      /* NULL when the verb works offline (forgetting only) */
  gboolean            force;
  gboolean            keep_config;
  gboolean            namespace_applied;

  char               *runner_namespace;
  char               *controller_namespace;
  DrArcRenderOptions  options;     /* points into the strings above */
} Verb;

/* Every step's data begins with this. */
typedef struct
{
  char     *runner;
  /* Removes what an apply that succeeded no longer renders: failures say so. */
  gboolean  pruning;
} StepBase;

/* Prepare an apply, resolve a removal, forget. */
typedef struct
{
  StepBase  base;
} RunnerStep;

typedef struct
{
  StepBase  base;
  JsonNode *object;                /* may hold a credential: never logged */
} ApplyStep;

/* Scale, delete, wait until gone, clear: one object. */
typedef struct
{
  StepBase        base;
  DrArcObjectRef *ref;
  guint           min_runners;     /* scale */
  guint           max_runners;
  gboolean        release_cleanup; /* delete of a helper whose scale set is gone */
  DrKubeStore    *wait_store;      /* wait until gone */
  JsonNode       *last_seen;
} RefStep;

/* List objects, then queue a delete (and wait) or a clear for each. */
typedef struct
{
  StepBase  base;
  char     *api_version;
  char     *kind;
  char     *namespace_;
  char     *selector;
  ListThen  then;
} ListStep;

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
static void run_resolve_remove (DrStepQueue *queue, gpointer data);
static void run_list           (DrStepQueue *queue, gpointer data);
static void run_delete         (DrStepQueue *queue, gpointer data);
static void run_wait_gone      (DrStepQueue *queue, gpointer data);
static void run_clear          (DrStepQueue *queue, gpointer data);
static void run_forget         (DrStepQueue *queue, gpointer data);
static void run_prune          (DrStepQueue *queue, gpointer data);

/* Credential from the keyring, render, queue the applies and the prune. */
static const DrStepClass prepare_apply_step = { "prepare-apply", run_prepare_apply };
static const DrStepClass apply_step = { "apply", run_apply };
static const DrStepClass scale_step = { "scale", run_scale };
/* Find what to delete, queue the deletes and waits. */
static const DrStepClass resolve_remove_step = { "resolve-remove", run_resolve_remove };
static const DrStepClass list_step = { "list", run_list };
static const DrStepClass delete_step = { "delete", run_delete };
static const DrStepClass wait_gone_step = { "wait-gone", run_wait_gone };
/* Delete, then clear the finalizers. */
static const DrStepClass clear_step = { "clear", run_clear };
/* Out of the config and the keyring. */
static const DrStepClass forget_step = { "forget", run_forget };
static const DrStepClass prune_step = { "prune", run_prune };

static void
step_base_clear (StepBase *base)
{
  g_free (base->runner);
}

static void
runner_step_free (gpointer data)
{
  RunnerStep *step = data;

  step_base_clear (&step->base);
  g_free (step);
}

static void
apply_step_free (gpointer data)
{
  ApplyStep *step = data;

  step_base_clear (&step->base);
  g_clear_pointer (&step->object, json_node_unref);
  g_free (step);
}

static void
ref_step_stop_waiting (RefStep *step)
{
  if (step->wait_store != NULL)
    {
      dr_kube_store_stop (step->wait_store);
      g_clear_object (&step->wait_store);
    }
}

static void
ref_step_free (gpointer data)
{
  RefStep *step = data;

  step_base_clear (&step->base);
  g_clear_pointer (&step->ref, dr_arc_object_ref_free);
  ref_step_stop_waiting (step);
  g_clear_pointer (&step->last_seen, json_node_unref);
  g_free (step);
}

static void
list_step_free (gpointer data)
{
  ListStep *step = data;

  step_base_clear (&step->base);
  g_free (step->api_version);
  g_free (step->kind);
  g_free (step->namespace_);
  g_free (step->selector);
  g_free (step);
}

static void
prune_step_free (gpointer data)
{
  PruneStep *step = data;

  step_base_clear (&step->base);
  g_clear_pointer (&step->keep, g_hash_table_unref);
  g_clear_pointer (&step->scale_sets, g_ptr_array_unref);
  g_clear_pointer (&step->helpers, g_ptr_array_unref);
  g_free (step);
}

static void
step_base_init (StepBase   *base,
                const char *runner,
                gboolean    pruning)
{
  base->runner = g_strdup (runner);
  base->pruning = pruning;
}

static DrArcObjectRef *
ref_new (const char *api_version,
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

static DrArcObjectRef *
ref_copy (const DrArcObjectRef *ref)
{
  return ref_new (ref->api_version, ref->kind, ref->namespace_, ref->name);
}

static RunnerStep *
runner_step_new (const char *runner)
{
  RunnerStep *step = g_new0 (RunnerStep, 1);

  step_base_init (&step->base, runner, FALSE);
  return step;
}

static RefStep *
ref_step_new (const char           *runner,
              const DrArcObjectRef *ref,
              gboolean              pruning)
{
  RefStep *step = g_new0 (RefStep, 1);

  step_base_init (&step->base, runner, pruning);
  step->ref = ref_copy (ref);
  return step;
}

/* Queues @klass on @ref right after the current step (after those queued before it). */
static void
push_ref_next (DrStepQueue          *queue,
               const DrStepClass    *klass,
               const char           *runner,
               const DrArcObjectRef *ref,
               gboolean              pruning)
{
  dr_step_queue_push_next (queue, klass, ref_step_new (runner, ref, pruning), ref_step_free);
}

static char *
ref_path (const DrArcObjectRef *ref)
{
  const char *plural = plural_of (ref->kind);

  g_return_val_if_fail (plural != NULL, NULL);
  return dr_kube_path (ref->api_version, plural, ref->namespace_, ref->name);
}

/* "secret/web-gha-rs-github-secret", as kubectl names objects. */
static char *
ref_display (const DrArcObjectRef *ref)
{
  g_autofree char *kind = g_ascii_strdown (ref->kind, -1);

  return g_strdup_printf ("%s/%s", kind, ref->name);
}

static DrArcObjectRef *
ref_from_object (JsonNode   *node,
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
  return ref_new (api_version ? api_version : default_api_version, kind ? kind : default_kind,
                  dr_json_member_string (metadata, "namespace"), name);
}

/* The finalizers of @node, comma-separated, or NULL when it has none. */
static char *
dup_finalizers (JsonNode *node)
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
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_duration (guint ms)
{
  guint seconds = (ms + 999) / 1000;

  if (seconds >= 60 && seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                         seconds / 60),
                            seconds / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

/* How a prune tells rendered objects apart: all live in the runner namespace. */
static char *
keep_key (const char *kind,
          const char *name)
{
  return g_strdup_printf ("%s/%s", kind, name);
}

/* ---- The verb --------------------------------------------------------------------------- */

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
static DrStepQueue *
verb_queue_new (DrEngine    *engine,
                DrOperation *operation)
{
  DrStepQueue *queue = dr_step_queue_new (operation, DR_STEP_QUEUE_DEFAULT);

  dr_step_queue_set_context (queue, verb_new (engine), verb_free);
  return queue;
}

static void
verb_fail (DrStepQueue *queue,
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

static GError *
not_connected_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                              _("Not connected to a cluster. Start or connect the cluster "
                                "first."));
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
          verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                         _("The credential of runner “%s” is not in the keyring "
                                           "any more. Remove the runner and add it again."),
                                         step->base.runner));
          return;
        }
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  spec = dr_config_lookup_runner (verb->engine->config, step->base.runner);
  if (spec == NULL)
    {
      verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                     _("There is no runner named “%s”."), step->base.runner));
      return;
    }

  node_spec = spec_for_node (verb->engine, spec, &error);
  if (node_spec == NULL)
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  objects = dr_arc_render_runner (node_spec, credential, &verb->options, &error);
  /* The rendered Secret holds the credential now; the keyring's copy is wiped here. */
  g_clear_pointer (&credential, dr_credential_free);
  if (objects == NULL)
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  if (!verb->namespace_applied)
    {
      ApplyStep *apply = g_new0 (ApplyStep, 1);

      step_base_init (&apply->base, step->base.runner, FALSE);
      apply->object = namespace_object (verb->runner_namespace);
      dr_step_queue_push_next (queue, &apply_step, apply, apply_step_free);
      verb->namespace_applied = TRUE;
    }
  prune = g_new0 (PruneStep, 1);
  step_base_init (&prune->base, step->base.runner, TRUE);
  prune->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < objects->len; i++)
    {
      ApplyStep *apply = g_new0 (ApplyStep, 1);
      g_autoptr(DrArcObjectRef) ref = NULL;

      step_base_init (&apply->base, step->base.runner, FALSE);
      apply->object = json_node_ref (g_ptr_array_index (objects, i));
      ref = ref_from_object (apply->object, NULL, NULL);
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
      verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                     _("There is no runner named “%s”."), step->base.runner));
      return;
    }
  if (spec->credential_id == NULL)
    {
      verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
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
  g_autoptr(DrArcObjectRef) ref = ref_from_object (step->object, NULL, NULL);
  g_autofree char *display = ref_display (ref);
  g_autofree char *line = NULL;

  if (stored == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          verb_fail (queue, g_steal_pointer (&error));
          return;
        }
      if (g_strcmp0 (ref->kind, "Secret") == 0)
        message = scrub_secret (error->message, step->object);
      else if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND) &&
               g_strcmp0 (ref->api_version, ARC_API_VERSION) == 0)
        message = g_strdup (_("this cluster does not know ARC’s resources. Install ARC’s "
                              "controller first."));
      else
        message = g_strdup (error->message);
      verb_fail (queue, g_error_new (error->domain, error->code, _("Could not apply %s: %s"),
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
  g_autoptr(DrArcObjectRef) ref = ref_from_object (step->object, NULL, NULL);
  g_autofree char *path = NULL;

  if (ref == NULL || plural_of (ref->kind) == NULL)
    {
      verb_fail (queue, g_error_new_literal (DR_ERROR, DR_ERROR_FAILED,
                                             _("deskrun rendered an object it cannot apply.")));
      return;
    }
  path = ref_path (ref);
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
  g_autofree char *display = ref_display (step->ref);
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
      verb_fail (queue, g_steal_pointer (&error));
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
  g_autofree char *path = ref_path (step->ref);

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

/* ---- Remove ----------------------------------------------------------------------------- */

/* Queues, right after the current step, a list of @kind objects selected by @selector,
 * followed by @then for each one it finds. */
static void
push_list_next (DrStepQueue *queue,
                const char  *runner,
                gboolean     pruning,
                const char  *api_version,
                const char  *kind,
                const char  *namespace_,
                const char  *selector,
                ListThen     then)
{
  ListStep *step = g_new0 (ListStep, 1);

  step_base_init (&step->base, runner, pruning);
  step->api_version = g_strdup (api_version);
  step->kind = g_strdup (kind);
  step->namespace_ = g_strdup (namespace_);
  step->selector = g_strdup (selector);
  step->then = then;
  dr_step_queue_push_next (queue, &list_step, step, list_step_free);
}

/* What a runner's scale sets left in the cluster that only a forced removal clears: their
 * runners, runner sets and listeners (FACTS.md §2.5, §2.8). */
static void
push_children_clear_next (DrStepQueue *queue,
                          const char  *runner,
                          const char  *scale_set)
{
  Verb *verb = dr_step_queue_get_context (queue);
  g_autofree char *selector = g_strdup_printf ("actions.github.com/scale-set-name=%s,"
                                               "actions.github.com/scale-set-namespace=%s",
                                               scale_set, verb->runner_namespace);

  push_list_next (queue, runner, FALSE, ARC_API_VERSION, "EphemeralRunner",
                  verb->runner_namespace, selector, THEN_CLEAR);
  push_list_next (queue, runner, FALSE, ARC_API_VERSION, "EphemeralRunnerSet",
                  verb->runner_namespace, selector, THEN_CLEAR);
  push_list_next (queue, runner, FALSE, ARC_API_VERSION, "AutoscalingListener",
                  verb->controller_namespace, selector, THEN_CLEAR);
}

/* Queues, right after the current step, the removal of @scale_sets and @helpers (NULL:
 * found by their labels once the scale sets are gone), in the order that avoids stuck
 * finalizers (FACTS.md §2.8), or with their finalizers cleared when @force. Removing a
 * runner and pruning what an apply no longer renders (@pruning) both come here. */
static void
push_removal_next (DrStepQueue *queue,
                   const char  *runner,
                   GPtrArray   *scale_sets,
                   GPtrArray   *helpers,
                   gboolean     force,
                   gboolean     pruning)
{
  Verb *verb = dr_step_queue_get_context (queue);
  g_autofree char *selector = dr_arc_runner_selector (runner);

  if (!force)
    {
      /* FACTS.md §2.8: the scale sets first, and the helpers only once they are gone, since
       * the controller needs the Secret and the manager Role to deregister them. */
      for (guint i = 0; i < scale_sets->len; i++)
        push_ref_next (queue, &delete_step, runner, g_ptr_array_index (scale_sets, i),
                       pruning);
      for (guint i = 0; i < scale_sets->len; i++)
        push_ref_next (queue, &wait_gone_step, runner, g_ptr_array_index (scale_sets, i),
                       pruning);
      if (helpers != NULL)
        {
          for (guint i = 0; i < helpers->len; i++)
            {
              RefStep *step = ref_step_new (runner, g_ptr_array_index (helpers, i), pruning);

              step->release_cleanup = TRUE;
              dr_step_queue_push_next (queue, &delete_step, step, ref_step_free);
            }
          for (guint i = 0; i < helpers->len; i++)
            push_ref_next (queue, &wait_gone_step, runner, g_ptr_array_index (helpers, i),
                           pruning);
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (helper_kinds); i++)
            push_list_next (queue, runner, pruning, helper_kinds[i].api_version,
                            helper_kinds[i].kind, verb->runner_namespace, selector,
                            THEN_DELETE_AND_WAIT);
        }
    }
  else
    {
      /* Deleted first, so the controller stops making runners for it; then everything
       * below it, then it, then its helpers, each with its finalizers cleared. */
      for (guint i = 0; i < scale_sets->len; i++)
        push_ref_next (queue, &delete_step, runner, g_ptr_array_index (scale_sets, i),
                       pruning);
      for (guint i = 0; i < scale_sets->len; i++)
        {
          DrArcObjectRef *ref = g_ptr_array_index (scale_sets, i);

          push_children_clear_next (queue, runner, ref->name);
        }
      for (guint i = 0; i < scale_sets->len; i++)
        push_ref_next (queue, &clear_step, runner, g_ptr_array_index (scale_sets, i),
                       pruning);
      if (helpers != NULL)
        {
          for (guint i = 0; i < helpers->len; i++)
            push_ref_next (queue, &clear_step, runner, g_ptr_array_index (helpers, i),
                           pruning);
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (helper_kinds); i++)
            push_list_next (queue, runner, pruning, helper_kinds[i].api_version,
                            helper_kinds[i].kind, verb->runner_namespace, selector,
                            THEN_CLEAR);
        }
    }
}

/* Queues the removal of @scale_sets and @helpers, then forgetting @runner when it is
 * configured. */
static void
queue_removal (DrStepQueue *queue,
               const char  *runner,
               GPtrArray   *scale_sets,
               GPtrArray   *helpers,
               gboolean     configured)
{
  Verb *verb = dr_step_queue_get_context (queue);

  push_removal_next (queue, runner, scale_sets, helpers, verb->force, FALSE);
  if (configured && !verb->keep_config)
    dr_step_queue_push_next (queue, &forget_step, runner_step_new (runner), runner_step_free);
}

static void
resolve_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RunnerStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result,
                                                             &error);
  g_autoptr(GPtrArray) scale_sets = NULL;
  JsonArray *items;

  if (list == NULL)
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  scale_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      DrArcObjectRef *ref = ref_from_object (json_array_get_element (items, i), ARC_API_VERSION,
                                             ARS_KIND);

      if (ref != NULL)
        g_ptr_array_add (scale_sets, ref);
    }
  if (scale_sets->len == 0)
    {
      verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                     _("There is no runner named “%s”, neither in the "
                                       "configuration nor in the cluster."),
                                     step->base.runner));
      return;
    }

  queue_removal (queue, step->base.runner, scale_sets, NULL, FALSE);
  dr_step_queue_next (queue);
}

static void
run_resolve_remove (DrStepQueue *queue,
                    gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RunnerStep *step = data;
  DrRunnerSpec *spec = dr_config_lookup_runner (verb->engine->config, step->base.runner);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) scale_sets = NULL;
  g_autoptr(GPtrArray) helpers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = g_strdup_printf (verb->force ? _("Forcing the removal of “%s” from the cluster")
                                        : _("Removing “%s” from the cluster"),
                             step->base.runner);
  dr_step_queue_set_step (queue, message);

  if (spec == NULL)
    {
      /* Not configured: whatever carries its labels in the cluster. */
      g_autofree char *selector = dr_arc_runner_selector (step->base.runner);
      g_autofree char *path = dr_kube_path (ARC_API_VERSION, "autoscalingrunnersets",
                                            verb->runner_namespace, NULL);
      DrKubeListOptions options = { .label_selector = selector };

      dr_kube_client_list_all_async (verb->client, path, &options,
                                     dr_step_queue_get_cancellable (queue), resolve_listed_cb,
                                     queue);
      return;
    }

  /* A preview render (no credential) names exactly the objects an apply made. */
  objects = dr_arc_render_runner (spec, NULL, &verb->options, &error);
  if (objects == NULL)
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }
  order = dr_arc_deletion_order (objects);
  scale_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  helpers = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  for (guint i = 0; i < order->len; i++)
    {
      DrArcObjectRef *ref = g_ptr_array_index (order, i);

      g_ptr_array_add (g_strcmp0 (ref->kind, ARS_KIND) == 0 ? scale_sets : helpers,
                       ref_copy (ref));
    }

  queue_removal (queue, step->base.runner, scale_sets, helpers, TRUE);
  dr_step_queue_next (queue);
}

/* ---- Prune ------------------------------------------------------------------------------ */

/* What a prune lists, in the order it removes it: the scale sets, then their helpers in
 * the order a removal deletes them. */
#define N_PRUNE_KINDS (1 + G_N_ELEMENTS (helper_kinds))

static void
prune_kind_at (guint        index,
               const char **api_version,
               const char **kind)
{
  if (index == 0)
    {
      *api_version = ARC_API_VERSION;
      *kind = ARS_KIND;
      return;
    }
  *api_version = helper_kinds[index - 1].api_version;
  *kind = helper_kinds[index - 1].kind;
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

      if (g_strcmp0 (kind, ARS_KIND) == 0)
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
      g_autofree char *display = ref_display (g_ptr_array_index (step->helpers, i));
      /* Translators: %s is a Kubernetes object, as in "serviceaccount/web-gha-rs-kube-mode". */
      g_autofree char *line = g_strdup_printf (_("Removing %s, no longer used"), display);

      dr_step_queue_log (queue, line);
    }

  push_removal_next (queue, step->base.runner, step->scale_sets, step->helpers, FALSE, TRUE);
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
      verb_fail (queue, g_steal_pointer (&error));
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
                       ref_new (api_version, kind, verb->runner_namespace,
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
  path = dr_kube_path (api_version, plural_of (kind), verb->runner_namespace, NULL);
  dr_kube_client_list_all_async (verb->client, path, &options,
                                 dr_step_queue_get_cancellable (queue), prune_listed_cb, queue);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  ListStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result,
                                                             &error);
  g_autoptr(GPtrArray) refs = NULL;
  JsonArray *items;

  if (list == NULL)
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  refs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      DrArcObjectRef *ref = ref_from_object (json_array_get_element (items, i),
                                             step->api_version, step->kind);

      if (ref != NULL)
        g_ptr_array_add (refs, ref);
    }

  if (step->then == THEN_CLEAR)
    {
      for (guint i = 0; i < refs->len; i++)
        push_ref_next (queue, &clear_step, step->base.runner, g_ptr_array_index (refs, i),
                       step->base.pruning);
    }
  else
    {
      for (guint i = 0; i < refs->len; i++)
        {
          RefStep *delete = ref_step_new (step->base.runner, g_ptr_array_index (refs, i),
                                          step->base.pruning);

          delete->release_cleanup = TRUE;
          dr_step_queue_push_next (queue, &delete_step, delete, ref_step_free);
        }
      for (guint i = 0; i < refs->len; i++)
        push_ref_next (queue, &wait_gone_step, step->base.runner, g_ptr_array_index (refs, i),
                       step->base.pruning);
    }
  dr_step_queue_next (queue);
}

static void
run_list (DrStepQueue *queue,
          gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  ListStep *step = data;
  const char *plural = plural_of (step->kind);
  g_autofree char *path = dr_kube_path (step->api_version, plural, step->namespace_,
                                        NULL);
  DrKubeListOptions options = { .label_selector = step->selector };

  dr_kube_client_list_all_async (verb->client, path, &options,
                                 dr_step_queue_get_cancellable (queue), list_cb, queue);
}

static void
release_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object),
                                                                   result, &error);

  if (patched == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }
  dr_step_queue_next (queue);
}

/* A helper still held by deskrun's own cleanup finalizer after its scale set is gone would
 * wait forever: the controller strips that finalizer before it lets the scale set go, so it
 * will never come back for it (e.g. the scale set was deleted while no controller ran).
 * Its owner being gone, the finalizer has nothing left to protect. Other finalizers stay. */
static gboolean
release_cleanup_finalizer (DrStepQueue *queue,
                           JsonNode    *object)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = dr_step_queue_get_current (queue);
  JsonObject *metadata = dr_json_member_object (dr_json_node_object (object), "metadata");
  JsonArray *finalizers = dr_json_member_array (metadata, "finalizers");
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  g_autofree char *line = NULL;
  gboolean found = FALSE;

  if (finalizers == NULL)
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "finalizers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (finalizers); i++)
    {
      JsonNode *element = json_array_get_element (finalizers, i);
      const char *name = JSON_NODE_HOLDS_VALUE (element) &&
                         json_node_get_value_type (element) == G_TYPE_STRING
                         ? json_node_get_string (element) : NULL;

      if (g_strcmp0 (name, CLEANUP_FINALIZER) == 0)
        found = TRUE;
      else
        json_builder_add_value (builder, json_node_copy (element));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  if (!found)
    return FALSE;
  patch = json_builder_get_root (builder);

  display = ref_display (step->ref);
  if (step->base.pruning)
    line = g_strdup_printf (_("%s: removing the cleanup finalizer, which the controller will "
                              "not remove (no scale set names it any more)"),
                            display);
  else
    line = g_strdup_printf (_("%s: removing the cleanup finalizer the controller left behind "
                              "(its scale set is gone)"),
                            display);
  dr_step_queue_log (queue, line);
  path = ref_path (step->ref);
  dr_kube_client_merge_patch_async (verb->client, path, patch, DR_KUBE_WRITE_NONE,
                                    dr_step_queue_get_cancellable (queue), release_cb, queue);
  return TRUE;
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RefStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = dr_kube_client_delete_finish (DR_KUBE_CLIENT (object), result,
                                                            &error);
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *finalizers = NULL;
  g_autofree char *line = NULL;

  if (reply == NULL && g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      dr_step_queue_next (queue);
      return;
    }
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not delete %s: "), display);
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  /* The reply is the object while finalizers hold it, else a Status or the object as it
   * was (FACTS.md, kube client). */
  finalizers = dup_finalizers (reply);
  if (finalizers != NULL)
    line = g_strdup_printf (_("%s is being deleted (finalizers: %s)"), display, finalizers);
  else
    line = g_strdup_printf (_("%s deleted"), display);
  dr_step_queue_log (queue, line);

  if (step->release_cleanup && finalizers != NULL && release_cleanup_finalizer (queue, reply))
    return;
  dr_step_queue_next (queue);
}

static void
run_delete (DrStepQueue *queue,
            gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = data;
  g_autofree char *path = ref_path (step->ref);

  dr_kube_client_delete_async (verb->client, path, DR_KUBE_PROPAGATION_BACKGROUND,
                               DR_KUBE_WRITE_NONE, dr_step_queue_get_cancellable (queue),
                               delete_cb, queue);
}

static GError *
stuck_error (DrStepQueue *queue)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = dr_step_queue_get_current (queue);
  g_autofree char *finalizers = dup_finalizers (step->last_seen);
  g_autofree char *duration = format_duration (verb->engine->removal_timeout_ms);
  g_autoptr(GString) message = g_string_new (NULL);

  if (finalizers != NULL)
    g_string_append_printf (message,
                            _("The %s %s/%s is still being deleted after %s, held by the "
                              "finalizers %s."),
                            step->ref->kind, step->ref->namespace_, step->ref->name, duration,
                            finalizers);
  else
    g_string_append_printf (message, _("The %s %s/%s is still there after %s."),
                            step->ref->kind, step->ref->namespace_, step->ref->name, duration);
  g_string_append_c (message, ' ');
  if (g_strcmp0 (step->ref->kind, ARS_KIND) == 0)
    g_string_append (message,
                     _("ARC’s controller removes its finalizer once it has deregistered the "
                       "scale set from GitHub: check that the controller is running and can "
                       "reach GitHub."));
  else
    g_string_append (message, _("Whatever added those finalizers has not removed them."));
  g_string_append_c (message, ' ');
  if (step->base.pruning)
    g_string_append (message,
                     _("Once that is resolved, applying the runner again removes what is "
                       "left."));
  else
    g_string_append (message,
                     _("To remove the runner anyway, force the removal: deskrun then clears "
                       "the finalizers, and the scale set stays registered, offline, on GitHub "
                       "until you remove it there."));

  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message->str);
}

/* Waiting for an object to go is watching it (DrKubeWait): a store narrowed to its name,
 * which reports the deletion as it happens. */

static gboolean
wait_gone_check (gpointer user_data)
{
  DrStepQueue *queue = user_data;
  RefStep *step = dr_step_queue_get_current (queue);

  return dr_kube_store_get (step->wait_store, step->ref->namespace_, step->ref->name) == NULL;
}

static void
wait_gone_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RefStep *step = dr_step_queue_get_current (queue);
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  if (!dr_kube_wait_finish (result, &error))
    {
      JsonNode *seen = dr_kube_store_get (step->wait_store, step->ref->namespace_,
                                          step->ref->name);
      const char *problem = dr_kube_store_get_last_error (step->wait_store);
      gboolean synced = dr_kube_store_get_synced (step->wait_store);

      g_clear_pointer (&step->last_seen, json_node_unref);
      step->last_seen = seen != NULL ? json_node_ref (seen) : NULL;
      ref_step_stop_waiting (step);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        verb_fail (queue, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The operation was cancelled.")));
      else if (!synced)
        verb_fail (queue, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                       _("Could not see whether %s is gone: %s"), display,
                                       problem != NULL ? problem
                                                       : _("the API server did not answer")));
      else
        verb_fail (queue, stuck_error (queue));
      return;
    }

  ref_step_stop_waiting (step);
  line = g_strdup_printf (_("%s is gone"), display);
  dr_step_queue_log (queue, line);
  dr_step_queue_next (queue);
}

static void
run_wait_gone (DrStepQueue *queue,
               gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = data;
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *message = g_strdup_printf (_("Waiting until %s is gone"), display);
  g_autofree char *selector = g_strdup_printf ("metadata.name=%s", step->ref->name);
  DrKubeListOptions options = { .field_selector = selector };

  dr_step_queue_set_step (queue, message);
  g_clear_pointer (&step->last_seen, json_node_unref);

  step->wait_store = dr_kube_store_new (verb->client, step->ref->api_version,
                                       plural_of (step->ref->kind), step->ref->namespace_,
                                       &options);
  dr_kube_wait_async (&step->wait_store, 1, verb->engine->removal_timeout_ms, wait_gone_check,
                      queue, dr_step_queue_get_cancellable (queue), wait_gone_cb, queue);
}

static void
clear_patched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RefStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object),
                                                                   result, &error);
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *line = NULL;

  if (patched == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not clear the finalizers of %s: "), display);
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf (_("%s: finalizers cleared"), display);
  dr_step_queue_log (queue, line);
  dr_step_queue_next (queue);
}

static void
clear_deleted_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = dr_kube_client_delete_finish (DR_KUBE_CLIENT (object), result,
                                                            &error);
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *finalizers = NULL;

  if (reply == NULL && g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      dr_step_queue_next (queue);
      return;
    }
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *display = ref_display (step->ref);

          g_prefix_error (&error, _("Could not delete %s: "), display);
        }
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  finalizers = dup_finalizers (reply);
  if (finalizers == NULL)
    {
      g_autofree char *display = ref_display (step->ref);
      g_autofree char *line = g_strdup_printf (_("%s deleted"), display);

      dr_step_queue_log (queue, line);
      dr_step_queue_next (queue);
      return;
    }

  patch = json_from_string ("{\"metadata\": {\"finalizers\": null}}", NULL);
  path = ref_path (step->ref);
  dr_kube_client_merge_patch_async (verb->client, path, patch, DR_KUBE_WRITE_NONE,
                                    dr_step_queue_get_cancellable (queue), clear_patched_cb, queue);
}

static void
run_clear (DrStepQueue *queue,
           gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = data;
  g_autofree char *path = ref_path (step->ref);

  /* Deleted first: a deleted object accepts no new finalizers, so nothing can add one back
   * after they are cleared. */
  dr_kube_client_delete_async (verb->client, path, DR_KUBE_PROPAGATION_BACKGROUND,
                               DR_KUBE_WRITE_NONE, dr_step_queue_get_cancellable (queue),
                               clear_deleted_cb, queue);
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DrStepQueue *queue = user_data;
  RunnerStep *step = dr_step_queue_get_current (queue);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  if (!_dr_engine_forget_runner_finish (DR_ENGINE (object), result, &error))
    {
      verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf (_("“%s” removed from the configuration and the keyring"),
                          step->base.runner);
  dr_step_queue_log (queue, line);
  dr_step_queue_next (queue);
}

static void
run_forget (DrStepQueue *queue,
            gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RunnerStep *step = data;
  _dr_engine_forget_runner_async (verb->engine, step->base.runner, NULL, forget_cb, queue);
}

/* ---- Running ---------------------------------------------------------------------------- */

/* The operation is in the operations model before its first step runs. Steps that finish
 * at once (a failure, the config part of forgetting a runner) do so before this returns:
 * the window sees the runner gone as soon as it asked, and the log keeps every line for
 * whoever connects later. Takes @queue; the steps that need the cluster only run in a verb
 * whose Verb has a client (the verbs below check that first). */
static DrOperation *
start (DrEngine    *self,
       DrStepQueue *queue)
{
  g_autoptr(DrStepQueue) owned = queue;
  DrOperation *operation = g_object_ref (dr_step_queue_get_operation (queue));

  _dr_engine_track_operation (self, operation);
  dr_step_queue_start (queue);
  return operation;
}

/* An operation that failed before it began, so every verb can be followed the same way. */
static DrOperation *
failed (DrEngine   *self,
        const char *title,
        GError     *error)
{
  DrOperation *operation = _dr_operation_new (title);

  _dr_engine_track_operation (self, operation);
  _dr_operation_fail (operation, error);
  return operation;
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
    return failed (self, title, not_connected_error ());
  if (dr_config_lookup_runner (self->config, name) == NULL)
    return failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                             _("There is no runner named “%s”."), name));

  operation = _dr_operation_new (title);
  queue = verb_queue_new (self, operation);
  dr_step_queue_push (queue, &prepare_apply_step, runner_step_new (name), runner_step_free);
  return start (self, queue);
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
    return failed (self, title, not_connected_error ());

  operation = _dr_operation_new (title);
  queue = verb_queue_new (self, operation);
  n = dr_config_get_n_runners (self->config);
  for (guint i = 0; i < n; i++)
    dr_step_queue_push (queue, &prepare_apply_step,
                        runner_step_new (dr_config_get_runner (self->config, i)->name),
                        runner_step_free);
  if (n == 0)
    _dr_operation_log (operation, _("No runners are configured."));
  return start (self, queue);
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
    return failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                             _("There is no runner named “%s”."), name));
  if (found->instances > 1)
    return failed (self, title,
                   g_error_new (DR_ERROR, DR_ERROR_INVALID,
                                _("“%s” runs %u cache-isolated instances of one runner each, "
                                  "which cannot be scaled. Change the number of instances "
                                  "instead."),
                                name, found->instances));

  old = dr_runner_spec_ref (found);
  spec = dr_runner_spec_copy (found);
  spec->min_runners = min_runners;
  spec->max_runners = max_runners;
  if (!dr_runner_spec_validate (spec, &error) || !_dr_engine_check_writable (self, &error) ||
      !dr_config_put_runner (self->config, spec, &error) ||
      !_dr_engine_save_or_revert (self, NULL, old, &error))
    return failed (self, title, g_steal_pointer (&error));
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

  queue = verb_queue_new (self, operation);
  verb = dr_step_queue_get_context (queue);
  scale_sets = dr_runner_spec_dup_scale_set_names (spec);
  for (guint i = 0; scale_sets[i] != NULL; i++)
    {
      RefStep *step = g_new0 (RefStep, 1);

      step_base_init (&step->base, name, FALSE);
      step->ref = ref_new (ARC_API_VERSION, ARS_KIND, verb->runner_namespace, scale_sets[i]);
      step->min_runners = min_runners;
      step->max_runners = max_runners;
      dr_step_queue_push (queue, &scale_step, step, ref_step_free);
    }
  return start (self, queue);
}

static DrOperation *
remove_runner (DrEngine   *self,
               const char *name,
               gboolean    force)
{
  g_autofree char *title = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  gboolean configured;
  DrStepQueue *queue;
  Verb *verb;

  title = g_strdup_printf (force ? _("Forcing the removal of runner “%s”")
                                 : _("Removing runner “%s”"),
                           name);
  configured = dr_config_lookup_runner (self->config, name) != NULL;
  if (configured && !_dr_engine_check_writable (self, &error))
    return failed (self, title, g_steal_pointer (&error));

  if (self->client == NULL)
    {
      if (!configured)
        return failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                                 _("There is no runner named “%s”."), name));
      operation = _dr_operation_new (title);
      _dr_operation_log (operation, _("Not connected to a cluster: only the configuration and "
                                      "the credential are removed. If the runner is deployed, "
                                      "deskrun shows it as not in the configuration once it "
                                      "is connected, and can remove it then."));
      queue = verb_queue_new (self, operation);
      dr_step_queue_push (queue, &forget_step, runner_step_new (name), runner_step_free);
      return start (self, queue);
    }

  operation = _dr_operation_new (title);
  queue = verb_queue_new (self, operation);
  verb = dr_step_queue_get_context (queue);
  verb->force = force;
  if (force)
    _dr_operation_log (operation,
                       _("Forcing: finalizers are cleared without waiting for ARC’s controller. "
                         "The scale set stays registered, offline, on GitHub; remove it in the "
                         "repository’s or organisation’s Settings → Actions → Runners. A new "
                         "scale set with the same name and runner group reuses it."));
  dr_step_queue_push (queue, &resolve_remove_step, runner_step_new (name), runner_step_free);
  return start (self, queue);
}

DrOperation *
dr_engine_remove_runner (DrEngine   *self,
                         const char *name)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return remove_runner (self, name, FALSE);
}

DrOperation *
dr_engine_force_remove_runner (DrEngine   *self,
                               const char *name)
{
  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return remove_runner (self, name, TRUE);
}

DrOperation *
dr_engine_remove_all_from_cluster (DrEngine *self)
{
  g_autoptr(DrOperation) operation = NULL;
  const char *title = _("Removing every runner from the cluster");
  guint n;
  DrStepQueue *queue;
  Verb *verb;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);

  if (self->client == NULL)
    return failed (self, title, not_connected_error ());

  operation = _dr_operation_new (title);
  queue = verb_queue_new (self, operation);
  verb = dr_step_queue_get_context (queue);
  verb->keep_config = TRUE;
  n = dr_config_get_n_runners (self->config);
  for (guint i = 0; i < n; i++)
    dr_step_queue_push (queue, &resolve_remove_step,
                        runner_step_new (dr_config_get_runner (self->config, i)->name),
                        runner_step_free);
  if (n == 0)
    _dr_operation_log (operation, _("No runners are configured."));
  return start (self, queue);
}
