/* dr-engine-runners.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cluster verbs of DrEngine: apply (which then prunes what the runner no longer
 * renders), scale, remove, force remove, up and down. Each one is a DrOperation driven by a
 * queue of small steps (apply one object, delete one, wait until one is gone — by watching
 * it, never by polling — …). A step that learns more (the credential, the objects a removal
 * or a prune must delete) queues the steps that follow from it right after itself.
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
  STEP_PREPARE_APPLY,    /* runner: credential from the keyring, render, queue the applies */
  STEP_APPLY,            /* object */
  STEP_SCALE,            /* ref (an ARS), min, max */
  STEP_RESOLVE_REMOVE,   /* runner: find what to delete, queue the deletes and waits */
  STEP_LIST,             /* list_*: queue a delete (and wait) or a clear for every object */
  STEP_DELETE,           /* ref */
  STEP_WAIT_GONE,        /* ref */
  STEP_CLEAR,            /* ref: delete, then clear its finalizers */
  STEP_FORGET,           /* runner: out of the config and the keyring */
  STEP_PRUNE,            /* runner, keep: list its objects, queue the removal of the rest */
} StepKind;

typedef enum
{
  THEN_DELETE_AND_WAIT,
  THEN_CLEAR,
} ListThen;

typedef struct
{
  StepKind        kind;
  char           *runner;
  DrArcObjectRef *ref;
  JsonNode       *object;          /* STEP_APPLY; may hold a credential: never logged */
  guint           min_runners;
  guint           max_runners;
  gboolean        release_cleanup; /* STEP_DELETE of a helper whose scale set is gone */
  char           *list_api_version;
  char           *list_kind;
  char           *list_namespace;
  char           *list_selector;
  ListThen        list_then;
  /* STEP_PRUNE: "Kind/name" of what the apply rendered, and what it found besides */
  GHashTable     *keep;
  guint           prune_kind;
  GPtrArray      *prune_scale_sets;
  GPtrArray      *prune_helpers;
  /* Removes what an apply that succeeded no longer renders: failures say so. */
  gboolean        pruning;
} Step;

typedef struct
{
  DrEngine           *engine;
  DrKubeClient       *client;      /* NULL when the verb works offline */
  DrOperation        *operation;
  GQueue              steps;
  Step               *current;
  guint               done;
  double              fraction;
  gboolean            force;
  gboolean            keep_config;
  gboolean            namespace_applied;

  char               *runner_namespace;
  char               *controller_namespace;
  DrArcRenderOptions  options;     /* points into the strings above */

  /* STEP_WAIT_GONE */
  DrKubeStore        *wait_store;
  JsonNode           *last_seen;
} Job;

static void job_next (Job *job);

static void
step_free (Step *step)
{
  g_free (step->runner);
  g_clear_pointer (&step->ref, dr_arc_object_ref_free);
  g_clear_pointer (&step->object, json_node_unref);
  g_free (step->list_api_version);
  g_free (step->list_kind);
  g_free (step->list_namespace);
  g_free (step->list_selector);
  g_clear_pointer (&step->keep, g_hash_table_unref);
  g_clear_pointer (&step->prune_scale_sets, g_ptr_array_unref);
  g_clear_pointer (&step->prune_helpers, g_ptr_array_unref);
  g_free (step);
}

static Step *
step_new (StepKind    kind,
          const char *runner)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->runner = g_strdup (runner);
  return step;
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

static Step *
step_new_ref (StepKind              kind,
              const char           *runner,
              const DrArcObjectRef *ref)
{
  Step *step = step_new (kind, runner);

  step->ref = ref_copy (ref);
  return step;
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

/* ---- The job ---------------------------------------------------------------------------- */

static void
job_stop_waiting (Job *job)
{
  if (job->wait_store != NULL)
    {
      dr_kube_store_stop (job->wait_store);
      g_clear_object (&job->wait_store);
    }
}

static void
job_free (Job *job)
{
  job_stop_waiting (job);
  g_clear_pointer (&job->current, step_free);
  g_queue_clear_full (&job->steps, (GDestroyNotify) step_free);
  g_clear_pointer (&job->last_seen, json_node_unref);
  g_free (job->runner_namespace);
  g_free (job->controller_namespace);
  g_clear_object (&job->operation);
  g_clear_object (&job->client);
  g_clear_object (&job->engine);
  g_free (job);
}

static Job *
job_new (DrEngine    *engine,
         DrOperation *operation)
{
  Job *job = g_new0 (Job, 1);
  DrConfig *config = engine->config;

  job->engine = g_object_ref (engine);
  job->client = engine->client ? g_object_ref (engine->client) : NULL;
  job->operation = g_object_ref (operation);
  g_queue_init (&job->steps);
  job->runner_namespace = g_strdup (dr_config_get_runner_namespace (config));
  job->controller_namespace = g_strdup (dr_config_get_controller_namespace (config));

  dr_arc_render_options_init (&job->options);
  job->options.runner_namespace = job->runner_namespace;
  job->options.controller_namespace = job->controller_namespace;
  /* A cluster deskrun did not make has its own default StorageClass. */
  if (dr_config_get_cluster_kind (config) != DR_CLUSTER_KIND_KIND)
    job->options.storage_class = NULL;
  return job;
}

static GCancellable *
job_cancellable (Job *job)
{
  return _dr_operation_get_cancellable (job->operation);
}

static void
job_fail (Job    *job,
          GError *error)
{
  if (job->current != NULL && job->current->pruning &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, _("The runner “%s” was updated, but not everything it no longer "
                              "uses could be removed. "),
                    job->current->runner);
  _dr_operation_fail (job->operation, error);
  job_free (job);
}

static void
job_step_done (Job *job)
{
  guint remaining = g_queue_get_length (&job->steps);
  double fraction;

  g_clear_pointer (&job->current, step_free);
  job->done++;
  fraction = (double) job->done / (job->done + remaining);
  if (remaining > 0 && fraction > job->fraction)
    {
      job->fraction = fraction;
      _dr_operation_set_fraction (job->operation, fraction);
    }
  job_next (job);
}

/* Queues @steps (taken) right after the current step, in their order. */
static void
job_insert_next (Job       *job,
                 GPtrArray *steps)
{
  g_autoptr(GPtrArray) owned = steps;

  for (guint i = owned->len; i > 0; i--)
    g_queue_push_head (&job->steps, g_ptr_array_index (owned, i - 1));
  g_ptr_array_set_free_func (owned, NULL);
}

static void
job_push (Job  *job,
          Step *step)
{
  g_queue_push_tail (&job->steps, step);
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
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrCredential) credential = dr_keyring_lookup_finish (result, &error);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *message = NULL;
  g_autoptr(DrRunnerSpec) node_spec = NULL;
  DrRunnerSpec *spec;
  Step *prune;

  if (credential == NULL)
    {
      if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
        {
          job_fail (job, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                      _("The credential of runner “%s” is not in the keyring "
                                        "any more. Remove the runner and add it again."),
                                      step->runner));
          return;
        }
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  spec = dr_config_lookup_runner (job->engine->config, step->runner);
  if (spec == NULL)
    {
      job_fail (job, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                  _("There is no runner named “%s”."), step->runner));
      return;
    }

  node_spec = spec_for_node (job->engine, spec, &error);
  if (node_spec == NULL)
    {
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  objects = dr_arc_render_runner (node_spec, credential, &job->options, &error);
  /* The rendered Secret holds the credential now; the keyring's copy is wiped here. */
  g_clear_pointer (&credential, dr_credential_free);
  if (objects == NULL)
    {
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  if (!job->namespace_applied)
    {
      Step *apply = step_new (STEP_APPLY, step->runner);

      apply->object = namespace_object (job->runner_namespace);
      g_ptr_array_add (steps, apply);
      job->namespace_applied = TRUE;
    }
  prune = step_new (STEP_PRUNE, step->runner);
  prune->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < objects->len; i++)
    {
      Step *apply = step_new (STEP_APPLY, step->runner);
      g_autoptr(DrArcObjectRef) ref = NULL;

      apply->object = json_node_ref (g_ptr_array_index (objects, i));
      g_ptr_array_add (steps, apply);
      ref = ref_from_object (apply->object, NULL, NULL);
      if (ref != NULL)
        g_hash_table_add (prune->keep, keep_key (ref->kind, ref->name));
    }
  /* Only once every object is applied: what the runner uses now is in place before what
   * it used before goes. */
  g_ptr_array_add (steps, prune);

  message = g_strdup_printf (_("Applying the runner “%s” to the cluster"), step->runner);
  _dr_operation_set_step (job->operation, message);
  job_insert_next (job, g_steal_pointer (&steps));
  job_step_done (job);
}

static void
run_prepare_apply (Job  *job,
                   Step *step)
{
  DrRunnerSpec *spec = dr_config_lookup_runner (job->engine->config, step->runner);
  g_autofree char *message = NULL;

  if (spec == NULL)
    {
      job_fail (job, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                  _("There is no runner named “%s”."), step->runner));
      return;
    }
  if (spec->credential_id == NULL)
    {
      job_fail (job, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                  _("The runner “%s” has no stored credential. Remove the "
                                    "runner and add it again."),
                                  step->runner));
      return;
    }

  message = g_strdup_printf (_("Reading the credential of “%s” from the keyring"),
                             step->runner);
  _dr_operation_set_step (job->operation, message);
  dr_keyring_lookup_async (spec->credential_id, job_cancellable (job), prepare_apply_lookup_cb,
                           job);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
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
          job_fail (job, g_steal_pointer (&error));
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
      job_fail (job, g_error_new (error->domain, error->code, _("Could not apply %s: %s"),
                                  display, message));
      return;
    }

  /* Translators: %s is a Kubernetes object, as in "secret/web-gha-rs-github-secret". */
  line = g_strdup_printf (_("%s applied"), display);
  _dr_operation_log (job->operation, line);
  job_step_done (job);
}

static void
run_apply (Job  *job,
           Step *step)
{
  g_autoptr(DrArcObjectRef) ref = ref_from_object (step->object, NULL, NULL);
  g_autofree char *path = NULL;

  if (ref == NULL || plural_of (ref->kind) == NULL)
    {
      job_fail (job, g_error_new_literal (DR_ERROR, DR_ERROR_FAILED,
                                          _("deskrun rendered an object it cannot apply.")));
      return;
    }
  path = ref_path (ref);
  dr_kube_client_apply_async (job->client, path, step->object, DR_KUBE_WRITE_NONE,
                              job_cancellable (job), apply_cb, job);
}

/* ---- Scale ------------------------------------------------------------------------------ */

static void
scale_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
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
      _dr_operation_log (job->operation, line);
      job_step_done (job);
      return;
    }
  if (patched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("The new size is saved, but the cluster still runs the old "
                                  "one; apply the runner to retry. "));
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf (_("%s scaled to %u–%u runners"), display, step->min_runners,
                          step->max_runners);
  _dr_operation_log (job->operation, line);
  job_step_done (job);
}

static void
run_scale (Job  *job,
           Step *step)
{
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

  dr_kube_client_merge_patch_async (job->client, path, patch, DR_KUBE_WRITE_NONE,
                                    job_cancellable (job), scale_cb, job);
}

/* ---- Remove ----------------------------------------------------------------------------- */

static Step *
list_step_new (const char *runner,
               const char *api_version,
               const char *kind,
               const char *namespace_,
               const char *selector,
               ListThen    then)
{
  Step *step = step_new (STEP_LIST, runner);

  step->list_api_version = g_strdup (api_version);
  step->list_kind = g_strdup (kind);
  step->list_namespace = g_strdup (namespace_);
  step->list_selector = g_strdup (selector);
  step->list_then = then;
  return step;
}

/* What a runner's scale sets left in the cluster that only a forced removal clears: their
 * runners, runner sets and listeners (FACTS.md §2.5, §2.8). */
static void
add_children_clear_steps (Job        *job,
                          const char *runner,
                          const char *scale_set,
                          GPtrArray  *steps)
{
  g_autofree char *selector = g_strdup_printf ("actions.github.com/scale-set-name=%s,"
                                               "actions.github.com/scale-set-namespace=%s",
                                               scale_set, job->runner_namespace);

  g_ptr_array_add (steps, list_step_new (runner, ARC_API_VERSION, "EphemeralRunner",
                                         job->runner_namespace, selector, THEN_CLEAR));
  g_ptr_array_add (steps, list_step_new (runner, ARC_API_VERSION, "EphemeralRunnerSet",
                                         job->runner_namespace, selector, THEN_CLEAR));
  g_ptr_array_add (steps, list_step_new (runner, ARC_API_VERSION, "AutoscalingListener",
                                         job->controller_namespace, selector, THEN_CLEAR));
}

/* Adds to @steps the removal of @scale_sets and @helpers (NULL: found by their labels once
 * the scale sets are gone), in the order that avoids stuck finalizers (FACTS.md §2.8), or
 * with their finalizers cleared when @force. Removing a runner and pruning what an apply no
 * longer renders both come here. */
static void
add_removal_steps (Job        *job,
                   const char *runner,
                   GPtrArray  *scale_sets,
                   GPtrArray  *helpers,
                   gboolean    force,
                   GPtrArray  *steps)
{
  g_autofree char *selector = dr_arc_runner_selector (runner);

  if (!force)
    {
      /* FACTS.md §2.8: the scale sets first, and the helpers only once they are gone, since
       * the controller needs the Secret and the manager Role to deregister them. */
      for (guint i = 0; i < scale_sets->len; i++)
        g_ptr_array_add (steps, step_new_ref (STEP_DELETE, runner,
                                              g_ptr_array_index (scale_sets, i)));
      for (guint i = 0; i < scale_sets->len; i++)
        g_ptr_array_add (steps, step_new_ref (STEP_WAIT_GONE, runner,
                                              g_ptr_array_index (scale_sets, i)));
      if (helpers != NULL)
        {
          for (guint i = 0; i < helpers->len; i++)
            {
              Step *step = step_new_ref (STEP_DELETE, runner, g_ptr_array_index (helpers, i));

              step->release_cleanup = TRUE;
              g_ptr_array_add (steps, step);
            }
          for (guint i = 0; i < helpers->len; i++)
            g_ptr_array_add (steps, step_new_ref (STEP_WAIT_GONE, runner,
                                                  g_ptr_array_index (helpers, i)));
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (helper_kinds); i++)
            g_ptr_array_add (steps, list_step_new (runner, helper_kinds[i].api_version,
                                                   helper_kinds[i].kind, job->runner_namespace,
                                                   selector, THEN_DELETE_AND_WAIT));
        }
    }
  else
    {
      /* Deleted first, so the controller stops making runners for it; then everything
       * below it, then it, then its helpers, each with its finalizers cleared. */
      for (guint i = 0; i < scale_sets->len; i++)
        g_ptr_array_add (steps, step_new_ref (STEP_DELETE, runner,
                                              g_ptr_array_index (scale_sets, i)));
      for (guint i = 0; i < scale_sets->len; i++)
        {
          DrArcObjectRef *ref = g_ptr_array_index (scale_sets, i);

          add_children_clear_steps (job, runner, ref->name, steps);
        }
      for (guint i = 0; i < scale_sets->len; i++)
        g_ptr_array_add (steps, step_new_ref (STEP_CLEAR, runner,
                                              g_ptr_array_index (scale_sets, i)));
      if (helpers != NULL)
        {
          for (guint i = 0; i < helpers->len; i++)
            g_ptr_array_add (steps, step_new_ref (STEP_CLEAR, runner,
                                                  g_ptr_array_index (helpers, i)));
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (helper_kinds); i++)
            g_ptr_array_add (steps, list_step_new (runner, helper_kinds[i].api_version,
                                                   helper_kinds[i].kind, job->runner_namespace,
                                                   selector, THEN_CLEAR));
        }
    }
}

/* Queues the removal of @scale_sets and @helpers, then forgetting @runner when it is
 * configured. */
static void
queue_removal (Job        *job,
               const char *runner,
               GPtrArray  *scale_sets,
               GPtrArray  *helpers,
               gboolean    configured)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);

  add_removal_steps (job, runner, scale_sets, helpers, job->force, steps);
  if (configured && !job->keep_config)
    g_ptr_array_add (steps, step_new (STEP_FORGET, runner));

  job_insert_next (job, g_steal_pointer (&steps));
}

static void
resolve_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result,
                                                             &error);
  g_autoptr(GPtrArray) scale_sets = NULL;
  JsonArray *items;

  if (list == NULL)
    {
      job_fail (job, g_steal_pointer (&error));
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
      job_fail (job, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                  _("There is no runner named “%s”, neither in the "
                                    "configuration nor in the cluster."),
                                  step->runner));
      return;
    }

  queue_removal (job, step->runner, scale_sets, NULL, FALSE);
  job_step_done (job);
}

static void
run_resolve_remove (Job  *job,
                    Step *step)
{
  DrRunnerSpec *spec = dr_config_lookup_runner (job->engine->config, step->runner);
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) scale_sets = NULL;
  g_autoptr(GPtrArray) helpers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = g_strdup_printf (job->force ? _("Forcing the removal of “%s” from the cluster")
                                        : _("Removing “%s” from the cluster"),
                             step->runner);
  _dr_operation_set_step (job->operation, message);

  if (spec == NULL)
    {
      /* Not configured: whatever carries its labels in the cluster. */
      g_autofree char *selector = dr_arc_runner_selector (step->runner);
      g_autofree char *path = dr_kube_path (ARC_API_VERSION, "autoscalingrunnersets",
                                            job->runner_namespace, NULL);
      DrKubeListOptions options = { .label_selector = selector };

      dr_kube_client_list_all_async (job->client, path, &options, job_cancellable (job),
                                     resolve_listed_cb, job);
      return;
    }

  /* A preview render (no credential) names exactly the objects an apply made. */
  objects = dr_arc_render_runner (spec, NULL, &job->options, &error);
  if (objects == NULL)
    {
      job_fail (job, g_steal_pointer (&error));
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

  queue_removal (job, step->runner, scale_sets, helpers, TRUE);
  job_step_done (job);
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

/* Whether the listed @node (a @kind) is something deskrun made for runner step->runner that
 * the apply no longer renders. The label selector asked for exactly that; this looks again,
 * since only deskrun's own objects may ever be deleted: ARC's controller copies a scale
 * set's labels onto what it makes from it (owned by it, and named otherwise), and a server
 * might ignore the selector. */
static gboolean
is_leftover (Step       *step,
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
      g_strcmp0 (dr_json_member_string (labels, DR_LABEL_RUNNER), step->runner) != 0)
    return FALSE;
  if (owners != NULL && json_array_get_length (owners) > 0)
    return FALSE;
  if (!is_scale_set_of (step->runner, scale_set) || !is_rendered_name (kind, scale_set, name))
    return FALSE;

  key = keep_key (kind, name);
  return !g_hash_table_contains (step->keep, key);
}

static void run_prune (Job  *job,
                       Step *step);

/* Everything is listed: queues the removal of what was found, in the order and with the
 * waits of removing a runner. A leftover helper of a scale set that stays is no longer
 * named in its cleanup annotations (the apply replaced them), so the controller will
 * never strip its cleanup finalizer: the removal releases it as for a scale set that is
 * gone. */
static void
prune_queue (Job  *job,
             Step *step)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *message = NULL;

  if (step->prune_scale_sets->len == 0 && step->prune_helpers->len == 0)
    {
      job_step_done (job);
      return;
    }

  message = g_strdup_printf (_("Removing what “%s” no longer uses"), step->runner);
  _dr_operation_set_step (job->operation, message);
  for (guint i = 0; i < step->prune_scale_sets->len; i++)
    {
      DrArcObjectRef *ref = g_ptr_array_index (step->prune_scale_sets, i);
      g_autofree char *line = g_strdup_printf (_("Removing scale set %s, no longer configured"),
                                               ref->name);

      _dr_operation_log (job->operation, line);
    }
  for (guint i = 0; i < step->prune_helpers->len; i++)
    {
      g_autofree char *display = ref_display (g_ptr_array_index (step->prune_helpers, i));
      /* Translators: %s is a Kubernetes object, as in "serviceaccount/web-gha-rs-kube-mode". */
      g_autofree char *line = g_strdup_printf (_("Removing %s, no longer used"), display);

      _dr_operation_log (job->operation, line);
    }

  steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  add_removal_steps (job, step->runner, step->prune_scale_sets, step->prune_helpers, FALSE,
                     steps);
  for (guint i = 0; i < steps->len; i++)
    ((Step *) g_ptr_array_index (steps, i))->pruning = TRUE;
  job_insert_next (job, g_steal_pointer (&steps));
  job_step_done (job);
}

static void
prune_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result,
                                                             &error);
  const char *api_version;
  const char *kind;
  JsonArray *items;

  if (list == NULL)
    {
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  prune_kind_at (step->prune_kind, &api_version, &kind);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *metadata = dr_json_member_object (dr_json_node_object (item), "metadata");

      if (!is_leftover (step, item, kind))
        continue;
      g_ptr_array_add (step->prune_kind == 0 ? step->prune_scale_sets : step->prune_helpers,
                       ref_new (api_version, kind, job->runner_namespace,
                                dr_json_member_string (metadata, "name")));
    }

  step->prune_kind++;
  if (step->prune_kind < N_PRUNE_KINDS)
    run_prune (job, step);
  else
    prune_queue (job, step);
}

/* Lists the runner's objects of kind step->prune_kind; the callback lists the next kind, and
 * after the last queues the removal. */
static void
run_prune (Job  *job,
           Step *step)
{
  g_autofree char *selector = dr_arc_runner_selector (step->runner);
  g_autofree char *path = NULL;
  DrKubeListOptions options = { .label_selector = selector };
  const char *api_version;
  const char *kind;

  step->pruning = TRUE;
  if (step->prune_scale_sets == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Looking for what “%s” no longer uses"),
                                                  step->runner);

      _dr_operation_set_step (job->operation, message);
      step->prune_scale_sets = g_ptr_array_new_with_free_func (
        (GDestroyNotify) dr_arc_object_ref_free);
      step->prune_helpers = g_ptr_array_new_with_free_func (
        (GDestroyNotify) dr_arc_object_ref_free);
    }

  prune_kind_at (step->prune_kind, &api_version, &kind);
  path = dr_kube_path (api_version, plural_of (kind), job->runner_namespace, NULL);
  dr_kube_client_list_all_async (job->client, path, &options, job_cancellable (job),
                                 prune_listed_cb, job);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result,
                                                             &error);
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  JsonArray *items;

  if (list == NULL)
    {
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  refs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      DrArcObjectRef *ref = ref_from_object (json_array_get_element (items, i),
                                             step->list_api_version, step->list_kind);

      if (ref != NULL)
        g_ptr_array_add (refs, ref);
    }

  steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  if (step->list_then == THEN_CLEAR)
    {
      for (guint i = 0; i < refs->len; i++)
        g_ptr_array_add (steps, step_new_ref (STEP_CLEAR, step->runner,
                                              g_ptr_array_index (refs, i)));
    }
  else
    {
      for (guint i = 0; i < refs->len; i++)
        {
          Step *delete = step_new_ref (STEP_DELETE, step->runner, g_ptr_array_index (refs, i));

          delete->release_cleanup = TRUE;
          g_ptr_array_add (steps, delete);
        }
      for (guint i = 0; i < refs->len; i++)
        g_ptr_array_add (steps, step_new_ref (STEP_WAIT_GONE, step->runner,
                                              g_ptr_array_index (refs, i)));
    }
  for (guint i = 0; i < steps->len; i++)
    ((Step *) g_ptr_array_index (steps, i))->pruning = step->pruning;

  job_insert_next (job, g_steal_pointer (&steps));
  job_step_done (job);
}

static void
run_list (Job  *job,
          Step *step)
{
  const char *plural = plural_of (step->list_kind);
  g_autofree char *path = dr_kube_path (step->list_api_version, plural, step->list_namespace,
                                        NULL);
  DrKubeListOptions options = { .label_selector = step->list_selector };

  dr_kube_client_list_all_async (job->client, path, &options, job_cancellable (job), list_cb,
                                 job);
}

static void
release_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object),
                                                                   result, &error);

  if (patched == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      job_fail (job, g_steal_pointer (&error));
      return;
    }
  job_step_done (job);
}

/* A helper still held by deskrun's own cleanup finalizer after its scale set is gone would
 * wait forever: the controller strips that finalizer before it lets the scale set go, so it
 * will never come back for it (e.g. the scale set was deleted while no controller ran).
 * Its owner being gone, the finalizer has nothing left to protect. Other finalizers stay. */
static gboolean
release_cleanup_finalizer (Job      *job,
                           JsonNode *object)
{
  Step *step = job->current;
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
  if (step->pruning)
    line = g_strdup_printf (_("%s: removing the cleanup finalizer, which the controller will "
                              "not remove (no scale set names it any more)"),
                            display);
  else
    line = g_strdup_printf (_("%s: removing the cleanup finalizer the controller left behind "
                              "(its scale set is gone)"),
                            display);
  _dr_operation_log (job->operation, line);
  path = ref_path (step->ref);
  dr_kube_client_merge_patch_async (job->client, path, patch, DR_KUBE_WRITE_NONE,
                                    job_cancellable (job), release_cb, job);
  return TRUE;
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = dr_kube_client_delete_finish (DR_KUBE_CLIENT (object), result,
                                                            &error);
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *finalizers = NULL;
  g_autofree char *line = NULL;

  if (reply == NULL && g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      job_step_done (job);
      return;
    }
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not delete %s: "), display);
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  /* The reply is the object while finalizers hold it, else a Status or the object as it
   * was (FACTS.md, kube client). */
  finalizers = dup_finalizers (reply);
  if (finalizers != NULL)
    line = g_strdup_printf (_("%s is being deleted (finalizers: %s)"), display, finalizers);
  else
    line = g_strdup_printf (_("%s deleted"), display);
  _dr_operation_log (job->operation, line);

  if (step->release_cleanup && finalizers != NULL && release_cleanup_finalizer (job, reply))
    return;
  job_step_done (job);
}

static void
run_delete (Job  *job,
            Step *step)
{
  g_autofree char *path = ref_path (step->ref);

  dr_kube_client_delete_async (job->client, path, DR_KUBE_PROPAGATION_BACKGROUND,
                               DR_KUBE_WRITE_NONE, job_cancellable (job), delete_cb, job);
}

static GError *
stuck_error (Job *job)
{
  Step *step = job->current;
  g_autofree char *finalizers = dup_finalizers (job->last_seen);
  g_autofree char *duration = format_duration (job->engine->removal_timeout_ms);
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
  if (step->pruning)
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
  Job *job = user_data;
  Step *step = job->current;

  return dr_kube_store_get (job->wait_store, step->ref->namespace_, step->ref->name) == NULL;
}

static void
wait_gone_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  if (!dr_kube_wait_finish (result, &error))
    {
      JsonNode *seen = dr_kube_store_get (job->wait_store, step->ref->namespace_,
                                          step->ref->name);
      const char *problem = dr_kube_store_get_last_error (job->wait_store);
      gboolean synced = dr_kube_store_get_synced (job->wait_store);

      g_clear_pointer (&job->last_seen, json_node_unref);
      job->last_seen = seen != NULL ? json_node_ref (seen) : NULL;
      job_stop_waiting (job);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        job_fail (job, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("The operation was cancelled.")));
      else if (!synced)
        job_fail (job, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                    _("Could not see whether %s is gone: %s"), display,
                                    problem != NULL ? problem
                                                    : _("the API server did not answer")));
      else
        job_fail (job, stuck_error (job));
      return;
    }

  job_stop_waiting (job);
  line = g_strdup_printf (_("%s is gone"), display);
  _dr_operation_log (job->operation, line);
  job_step_done (job);
}

static void
run_wait_gone (Job  *job,
               Step *step)
{
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *message = g_strdup_printf (_("Waiting until %s is gone"), display);
  g_autofree char *selector = g_strdup_printf ("metadata.name=%s", step->ref->name);
  DrKubeListOptions options = { .field_selector = selector };

  _dr_operation_set_step (job->operation, message);
  g_clear_pointer (&job->last_seen, json_node_unref);

  job->wait_store = dr_kube_store_new (job->client, step->ref->api_version,
                                       plural_of (step->ref->kind), step->ref->namespace_,
                                       &options);
  dr_kube_wait_async (&job->wait_store, 1, job->engine->removal_timeout_ms, wait_gone_check,
                      job, job_cancellable (job), wait_gone_cb, job);
}

static void
clear_patched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object),
                                                                   result, &error);
  g_autofree char *display = ref_display (step->ref);
  g_autofree char *line = NULL;

  if (patched == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not clear the finalizers of %s: "), display);
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf (_("%s: finalizers cleared"), display);
  _dr_operation_log (job->operation, line);
  job_step_done (job);
}

static void
clear_deleted_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = dr_kube_client_delete_finish (DR_KUBE_CLIENT (object), result,
                                                            &error);
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *finalizers = NULL;

  if (reply == NULL && g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      job_step_done (job);
      return;
    }
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *display = ref_display (step->ref);

          g_prefix_error (&error, _("Could not delete %s: "), display);
        }
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  finalizers = dup_finalizers (reply);
  if (finalizers == NULL)
    {
      g_autofree char *display = ref_display (step->ref);
      g_autofree char *line = g_strdup_printf (_("%s deleted"), display);

      _dr_operation_log (job->operation, line);
      job_step_done (job);
      return;
    }

  patch = json_from_string ("{\"metadata\": {\"finalizers\": null}}", NULL);
  path = ref_path (step->ref);
  dr_kube_client_merge_patch_async (job->client, path, patch, DR_KUBE_WRITE_NONE,
                                    job_cancellable (job), clear_patched_cb, job);
}

static void
run_clear (Job  *job,
           Step *step)
{
  g_autofree char *path = ref_path (step->ref);

  /* Deleted first: a deleted object accepts no new finalizers, so nothing can add one back
   * after they are cleared. */
  dr_kube_client_delete_async (job->client, path, DR_KUBE_PROPAGATION_BACKGROUND,
                               DR_KUBE_WRITE_NONE, job_cancellable (job), clear_deleted_cb, job);
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  Step *step = job->current;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  if (!_dr_engine_forget_runner_finish (DR_ENGINE (object), result, &error))
    {
      job_fail (job, g_steal_pointer (&error));
      return;
    }

  line = g_strdup_printf (_("“%s” removed from the configuration and the keyring"),
                          step->runner);
  _dr_operation_log (job->operation, line);
  job_step_done (job);
}

static void
run_forget (Job  *job,
            Step *step)
{
  _dr_engine_forget_runner_async (job->engine, step->runner, NULL, forget_cb, job);
}

/* ---- Running ---------------------------------------------------------------------------- */

static void
job_next (Job *job)
{
  Step *step;

  if (g_cancellable_is_cancelled (job_cancellable (job)))
    {
      job_fail (job, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("The operation was cancelled.")));
      return;
    }

  step = g_queue_pop_head (&job->steps);
  if (step == NULL)
    {
      _dr_operation_succeed (job->operation);
      job_free (job);
      return;
    }
  job->current = step;

  if (job->client == NULL && step->kind != STEP_FORGET)
    {
      job_fail (job, not_connected_error ());
      return;
    }

  switch (step->kind)
    {
    case STEP_PREPARE_APPLY:
      run_prepare_apply (job, step);
      break;
    case STEP_APPLY:
      run_apply (job, step);
      break;
    case STEP_SCALE:
      run_scale (job, step);
      break;
    case STEP_RESOLVE_REMOVE:
      run_resolve_remove (job, step);
      break;
    case STEP_LIST:
      run_list (job, step);
      break;
    case STEP_DELETE:
      run_delete (job, step);
      break;
    case STEP_WAIT_GONE:
      run_wait_gone (job, step);
      break;
    case STEP_CLEAR:
      run_clear (job, step);
      break;
    case STEP_FORGET:
      run_forget (job, step);
      break;
    case STEP_PRUNE:
      run_prune (job, step);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The operation is in the operations model before its first step runs. Steps that finish
 * at once (a failure, the config part of forgetting a runner) do so before this returns:
 * the window sees the runner gone as soon as it asked, and the log keeps every line for
 * whoever connects later. */
static DrOperation *
start (DrEngine *self,
       Job      *job)
{
  DrOperation *operation = g_object_ref (job->operation);

  _dr_engine_track_operation (self, operation);
  job_next (job);
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
  Job *job;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  title = g_strdup_printf (_("Applying runner “%s”"), name);
  if (self->client == NULL)
    return failed (self, title, not_connected_error ());
  if (dr_config_lookup_runner (self->config, name) == NULL)
    return failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                             _("There is no runner named “%s”."), name));

  operation = _dr_operation_new (title);
  job = job_new (self, operation);
  job_push (job, step_new (STEP_PREPARE_APPLY, name));
  return start (self, job);
}

DrOperation *
dr_engine_apply_all (DrEngine *self)
{
  g_autoptr(DrOperation) operation = NULL;
  const char *title = _("Applying every runner");
  guint n;
  Job *job;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);

  if (self->client == NULL)
    return failed (self, title, not_connected_error ());

  operation = _dr_operation_new (title);
  job = job_new (self, operation);
  n = dr_config_get_n_runners (self->config);
  for (guint i = 0; i < n; i++)
    job_push (job, step_new (STEP_PREPARE_APPLY, dr_config_get_runner (self->config, i)->name));
  if (n == 0)
    _dr_operation_log (operation, _("No runners are configured."));
  return start (self, job);
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
  Job *job;

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

  job = job_new (self, operation);
  {
    g_auto(GStrv) scale_sets = dr_runner_spec_dup_scale_set_names (spec);

    for (guint i = 0; scale_sets[i] != NULL; i++)
      {
        Step *step = step_new (STEP_SCALE, name);

        step->ref = ref_new (ARC_API_VERSION, ARS_KIND, job->runner_namespace, scale_sets[i]);
        step->min_runners = min_runners;
        step->max_runners = max_runners;
        job_push (job, step);
      }
  }
  return start (self, job);
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
  Job *job;

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
      job = job_new (self, operation);
      job_push (job, step_new (STEP_FORGET, name));
      return start (self, job);
    }

  operation = _dr_operation_new (title);
  job = job_new (self, operation);
  job->force = force;
  if (force)
    _dr_operation_log (operation,
                       _("Forcing: finalizers are cleared without waiting for ARC’s controller. "
                         "The scale set stays registered, offline, on GitHub; remove it in the "
                         "repository’s or organisation’s Settings → Actions → Runners. A new "
                         "scale set with the same name and runner group reuses it."));
  job_push (job, step_new (STEP_RESOLVE_REMOVE, name));
  return start (self, job);
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
  Job *job;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);

  if (self->client == NULL)
    return failed (self, title, not_connected_error ());

  operation = _dr_operation_new (title);
  job = job_new (self, operation);
  job->keep_config = TRUE;
  n = dr_config_get_n_runners (self->config);
  for (guint i = 0; i < n; i++)
    job_push (job, step_new (STEP_RESOLVE_REMOVE, dr_config_get_runner (self->config, i)->name));
  if (n == 0)
    _dr_operation_log (operation, _("No runners are configured."));
  return start (self, job);
}
