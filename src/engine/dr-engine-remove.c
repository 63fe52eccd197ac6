/* dr-engine-remove.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrEngine's remove, force remove and remove all from the cluster, and the removal steps a
 * prune (dr-engine-apply.c) queues too: delete one object, wait until it is gone — by
 * watching it, never by polling —, clear its finalizers, forget the runner. Deletes run in
 * the safe order of FACTS.md §2.8.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-arc-render.h"
#include "dr-engine-verb-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-kube-store.h"
#include "dr-kube-wait.h"

typedef enum
{
  THEN_DELETE_AND_WAIT,
  THEN_CLEAR,
} ListThen;

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

static void run_resolve_remove (DrStepQueue *queue, gpointer data);
static void run_list           (DrStepQueue *queue, gpointer data);
static void run_delete         (DrStepQueue *queue, gpointer data);
static void run_wait_gone      (DrStepQueue *queue, gpointer data);
static void run_clear          (DrStepQueue *queue, gpointer data);
static void run_forget         (DrStepQueue *queue, gpointer data);

/* Find what to delete, queue the deletes and waits. */
static const DrStepClass resolve_remove_step = { "resolve-remove", run_resolve_remove };
static const DrStepClass list_step = { "list", run_list };
static const DrStepClass delete_step = { "delete", run_delete };
static const DrStepClass wait_gone_step = { "wait-gone", run_wait_gone };
/* Delete, then clear the finalizers. */
static const DrStepClass clear_step = { "clear", run_clear };
/* Out of the config and the keyring. */
static const DrStepClass forget_step = { "forget", run_forget };

static void
list_step_free (gpointer data)
{
  ListStep *step = data;

  _dr_verb_step_base_clear (&step->base);
  g_free (step->api_version);
  g_free (step->kind);
  g_free (step->namespace_);
  g_free (step->selector);
  g_free (step);
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

  _dr_verb_step_base_init (&step->base, runner, pruning);
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

  push_list_next (queue, runner, FALSE, DR_ARC_API_VERSION, DR_ARC_KIND_EPHEMERAL_RUNNER,
                  verb->runner_namespace, selector, THEN_CLEAR);
  push_list_next (queue, runner, FALSE, DR_ARC_API_VERSION, DR_ARC_KIND_EPHEMERAL_RUNNER_SET,
                  verb->runner_namespace, selector, THEN_CLEAR);
  push_list_next (queue, runner, FALSE, DR_ARC_API_VERSION, DR_ARC_KIND_LISTENER,
                  verb->controller_namespace, selector, THEN_CLEAR);
}

/* Queues, right after the current step, the removal of @scale_sets and @helpers (NULL:
 * found by their labels once the scale sets are gone), in the order that avoids stuck
 * finalizers (FACTS.md §2.8), or with their finalizers cleared when @force. Removing a
 * runner and pruning what an apply no longer renders (@pruning) both come here. */
void
_dr_verb_push_removal_next (DrStepQueue *queue,
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
        _dr_verb_push_ref_next (queue, &delete_step, runner, g_ptr_array_index (scale_sets, i),
                                pruning);
      for (guint i = 0; i < scale_sets->len; i++)
        _dr_verb_push_ref_next (queue, &wait_gone_step, runner, g_ptr_array_index (scale_sets, i),
                                pruning);
      if (helpers != NULL)
        {
          for (guint i = 0; i < helpers->len; i++)
            {
              RefStep *step = _dr_verb_ref_step_new (runner, g_ptr_array_index (helpers, i),
                                                     pruning);

              step->release_cleanup = TRUE;
              dr_step_queue_push_next (queue, &delete_step, step, _dr_verb_ref_step_free);
            }
          for (guint i = 0; i < helpers->len; i++)
            _dr_verb_push_ref_next (queue, &wait_gone_step, runner, g_ptr_array_index (helpers, i),
                                    pruning);
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (_dr_verb_helper_kinds); i++)
            push_list_next (queue, runner, pruning, _dr_verb_helper_kinds[i].api_version,
                            _dr_verb_helper_kinds[i].kind, verb->runner_namespace, selector,
                            THEN_DELETE_AND_WAIT);
        }
    }
  else
    {
      /* Deleted first, so the controller stops making runners for it; then everything
       * below it, then it, then its helpers, each with its finalizers cleared. */
      for (guint i = 0; i < scale_sets->len; i++)
        _dr_verb_push_ref_next (queue, &delete_step, runner, g_ptr_array_index (scale_sets, i),
                                pruning);
      for (guint i = 0; i < scale_sets->len; i++)
        {
          DrArcObjectRef *ref = g_ptr_array_index (scale_sets, i);

          push_children_clear_next (queue, runner, ref->name);
        }
      for (guint i = 0; i < scale_sets->len; i++)
        _dr_verb_push_ref_next (queue, &clear_step, runner, g_ptr_array_index (scale_sets, i),
                                pruning);
      if (helpers != NULL)
        {
          for (guint i = 0; i < helpers->len; i++)
            _dr_verb_push_ref_next (queue, &clear_step, runner, g_ptr_array_index (helpers, i),
                                    pruning);
        }
      else
        {
          for (guint i = 0; i < G_N_ELEMENTS (_dr_verb_helper_kinds); i++)
            push_list_next (queue, runner, pruning, _dr_verb_helper_kinds[i].api_version,
                            _dr_verb_helper_kinds[i].kind, verb->runner_namespace, selector,
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

  _dr_verb_push_removal_next (queue, runner, scale_sets, helpers, verb->force, FALSE);
  if (configured && !verb->keep_config)
    dr_step_queue_push_next (queue, &forget_step, _dr_verb_runner_step_new (runner),
                             _dr_verb_runner_step_free);
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
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  scale_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      DrArcObjectRef *ref = _dr_verb_ref_from_object (json_array_get_element (items, i),
                                                      DR_ARC_API_VERSION,
                                                      DR_ARC_KIND_SCALE_SET);

      if (ref != NULL)
        g_ptr_array_add (scale_sets, ref);
    }
  if (scale_sets->len == 0)
    {
      _dr_verb_fail (queue, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
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
      g_autofree char *path = dr_kube_path (DR_ARC_API_VERSION, DR_ARC_PLURAL_SCALE_SETS,
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
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }
  order = dr_arc_deletion_order (objects);
  scale_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  helpers = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  for (guint i = 0; i < order->len; i++)
    {
      DrArcObjectRef *ref = g_ptr_array_index (order, i);

      g_ptr_array_add (g_strcmp0 (ref->kind, DR_ARC_KIND_SCALE_SET) == 0 ? scale_sets : helpers,
                       _dr_verb_ref_copy (ref));
    }

  queue_removal (queue, step->base.runner, scale_sets, helpers, TRUE);
  dr_step_queue_next (queue);
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
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  refs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  items = dr_json_member_array (dr_json_node_object (list), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      DrArcObjectRef *ref = _dr_verb_ref_from_object (json_array_get_element (items, i),
                                                      step->api_version, step->kind);

      if (ref != NULL)
        g_ptr_array_add (refs, ref);
    }

  if (step->then == THEN_CLEAR)
    {
      for (guint i = 0; i < refs->len; i++)
        _dr_verb_push_ref_next (queue, &clear_step, step->base.runner, g_ptr_array_index (refs, i),
                                step->base.pruning);
    }
  else
    {
      for (guint i = 0; i < refs->len; i++)
        {
          RefStep *delete = _dr_verb_ref_step_new (step->base.runner, g_ptr_array_index (refs, i),
                                                   step->base.pruning);

          delete->release_cleanup = TRUE;
          dr_step_queue_push_next (queue, &delete_step, delete, _dr_verb_ref_step_free);
        }
      for (guint i = 0; i < refs->len; i++)
        _dr_verb_push_ref_next (queue, &wait_gone_step, step->base.runner, g_ptr_array_index (refs,
                                                                                              i),
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
  const char *plural = dr_arc_api_plural (step->kind);
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
      _dr_verb_fail (queue, g_steal_pointer (&error));
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

      if (g_strcmp0 (name, DR_ARC_CLEANUP_FINALIZER) == 0)
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

  display = _dr_verb_ref_display (step->ref);
  if (step->base.pruning)
    line = g_strdup_printf (_("%s: removing the cleanup finalizer, which the controller will "
                              "not remove (no scale set names it any more)"),
                            display);
  else
    line = g_strdup_printf (_("%s: removing the cleanup finalizer the controller left behind "
                              "(its scale set is gone)"),
                            display);
  dr_step_queue_log (queue, line);
  path = _dr_verb_ref_path (step->ref);
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
  g_autofree char *display = _dr_verb_ref_display (step->ref);
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
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  /* The reply is the object while finalizers hold it, else a Status or the object as it
   * was (FACTS.md, kube client). */
  finalizers = _dr_verb_dup_finalizers (reply);
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
  g_autofree char *path = _dr_verb_ref_path (step->ref);

  dr_kube_client_delete_async (verb->client, path, DR_KUBE_PROPAGATION_BACKGROUND,
                               DR_KUBE_WRITE_NONE, dr_step_queue_get_cancellable (queue),
                               delete_cb, queue);
}

static GError *
stuck_error (DrStepQueue *queue)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = dr_step_queue_get_current (queue);
  g_autofree char *finalizers = _dr_verb_dup_finalizers (step->last_seen);
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
  if (g_strcmp0 (step->ref->kind, DR_ARC_KIND_SCALE_SET) == 0)
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
  g_autofree char *display = _dr_verb_ref_display (step->ref);
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
      _dr_verb_ref_step_stop_waiting (step);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _dr_verb_fail (queue, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The operation was cancelled.")));
      else if (!synced)
        _dr_verb_fail (queue, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                           _("Could not see whether %s is gone: %s"), display,
                                           problem != NULL ? problem
                                                           : _("the API server did not answer")));
      else
        _dr_verb_fail (queue, stuck_error (queue));
      return;
    }

  _dr_verb_ref_step_stop_waiting (step);
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
  g_autofree char *display = _dr_verb_ref_display (step->ref);
  g_autofree char *message = g_strdup_printf (_("Waiting until %s is gone"), display);
  g_autofree char *selector = g_strdup_printf ("metadata.name=%s", step->ref->name);
  DrKubeListOptions options = { .field_selector = selector };

  dr_step_queue_set_step (queue, message);
  g_clear_pointer (&step->last_seen, json_node_unref);

  step->wait_store = dr_kube_store_new (verb->client, step->ref->api_version,
                                       dr_arc_api_plural (step->ref->kind), step->ref->namespace_,
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
  g_autofree char *display = _dr_verb_ref_display (step->ref);
  g_autofree char *line = NULL;

  if (patched == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not clear the finalizers of %s: "), display);
      _dr_verb_fail (queue, g_steal_pointer (&error));
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
          g_autofree char *display = _dr_verb_ref_display (step->ref);

          g_prefix_error (&error, _("Could not delete %s: "), display);
        }
      _dr_verb_fail (queue, g_steal_pointer (&error));
      return;
    }

  finalizers = _dr_verb_dup_finalizers (reply);
  if (finalizers == NULL)
    {
      g_autofree char *display = _dr_verb_ref_display (step->ref);
      g_autofree char *line = g_strdup_printf (_("%s deleted"), display);

      dr_step_queue_log (queue, line);
      dr_step_queue_next (queue);
      return;
    }

  patch = json_from_string ("{\"metadata\": {\"finalizers\": null}}", NULL);
  path = _dr_verb_ref_path (step->ref);
  dr_kube_client_merge_patch_async (verb->client, path, patch, DR_KUBE_WRITE_NONE,
                                    dr_step_queue_get_cancellable (queue), clear_patched_cb, queue);
}

static void
run_clear (DrStepQueue *queue,
           gpointer     data)
{
  Verb *verb = dr_step_queue_get_context (queue);
  RefStep *step = data;
  g_autofree char *path = _dr_verb_ref_path (step->ref);

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
      _dr_verb_fail (queue, g_steal_pointer (&error));
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

/* ---- Verbs ------------------------------------------------------------------------------ */

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
    return _dr_verb_failed (self, title, g_steal_pointer (&error));

  if (self->client == NULL)
    {
      if (!configured)
        return _dr_verb_failed (self, title, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                                          _("There is no runner named “%s”."),
                                                          name));
      operation = _dr_operation_new (title);
      _dr_operation_log (operation, _("Not connected to a cluster: only the configuration and "
                                      "the credential are removed. If the runner is deployed, "
                                      "deskrun shows it as not in the configuration once it "
                                      "is connected, and can remove it then."));
      queue = _dr_verb_queue_new (self, operation);
      dr_step_queue_push (queue, &forget_step, _dr_verb_runner_step_new (name),
                          _dr_verb_runner_step_free);
      return _dr_verb_start (self, queue);
    }

  operation = _dr_operation_new (title);
  queue = _dr_verb_queue_new (self, operation);
  verb = dr_step_queue_get_context (queue);
  verb->force = force;
  if (force)
    _dr_operation_log (operation,
                       _("Forcing: finalizers are cleared without waiting for ARC’s controller. "
                         "The scale set stays registered, offline, on GitHub; remove it in the "
                         "repository’s or organisation’s Settings → Actions → Runners. A new "
                         "scale set with the same name and runner group reuses it."));
  dr_step_queue_push (queue, &resolve_remove_step, _dr_verb_runner_step_new (name),
                      _dr_verb_runner_step_free);
  return _dr_verb_start (self, queue);
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
    return _dr_verb_failed (self, title, _dr_verb_not_connected_error ());

  operation = _dr_operation_new (title);
  queue = _dr_verb_queue_new (self, operation);
  verb = dr_step_queue_get_context (queue);
  verb->keep_config = TRUE;
  n = dr_config_get_n_runners (self->config);
  for (guint i = 0; i < n; i++)
    dr_step_queue_push (queue, &resolve_remove_step,
                        _dr_verb_runner_step_new (dr_config_get_runner (self->config, i)->name),
                        _dr_verb_runner_step_free);
  if (n == 0)
    _dr_operation_log (operation, _("No runners are configured."));
  return _dr_verb_start (self, queue);
}
