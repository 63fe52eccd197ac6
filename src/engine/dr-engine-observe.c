/* dr-engine-observe.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live model (DESIGN.md "How data flows"): four watches — deskrun's scale sets, their
 * listener pods, their EphemeralRunners and runner pods — joined into the DrRunner objects
 * the UI binds to. Every change the watches report schedules one refresh on the main loop;
 * nothing polls Kubernetes. The only timer is the one that ends a listener's grace period.
 */
#include "config.h"

#include "dr-arc-api.h"
#include "dr-json.h"

#include <glib/gi18n.h>

#include "dr-arc-render.h"
#include "dr-engine-private.h"
#include "dr-kube-store.h"
#include "dr-runner-private.h"
#include "dr-versions.h"

#define LABEL_COMPONENT        "app.kubernetes.io/component"
#define LABEL_SCALE_SET        "actions.github.com/scale-set-name"
#define LABEL_SCALE_SET_NS     "actions.github.com/scale-set-namespace"
#define LISTENER_COMPONENT     "runner-scale-set-listener"
#define RUNNER_COMPONENT       "runner"

struct _DrEngineObserver
{
  DrEngine     *engine;           /* not owned: the engine owns the observer */
  DrKubeClient *client;
  char         *runner_namespace;
  char         *controller_namespace;

  DrKubeStore  *scale_sets;       /* AutoscalingRunnerSets deskrun manages */
  DrKubeStore  *listeners;        /* listener pods, controller namespace */
  DrKubeStore  *runners;          /* EphemeralRunners, runner namespace */
  DrKubeStore  *pods;             /* runner pods, runner namespace */

  GPtrArray    *unmanaged;        /* DrRunner: in the cluster, not in the config */
  GHashTable   *unready_since;    /* scale set → gint64*: when its listener was first seen
                                   * not running */
  guint         refresh_id;
  guint         grace_id;
};

/* ---- What one scale set looks like --------------------------------------------------------- */

typedef struct
{
  DrObserved  observed;
  gboolean    listener_broken;    /* pending on an error (image pull, bad config) */
  char       *listener_reason;    /* why it is not running, from the pod */
  gboolean    grace_over;
} Instance;

static void
instance_clear (Instance *instance)
{
  g_clear_pointer (&instance->listener_reason, g_free);
}

static const char *
label (JsonNode   *node,
       const char *key)
{
  return dr_json_get_string (node, "metadata", "labels", key, NULL);
}

static const char *
object_name (JsonNode *node)
{
  return dr_json_get_string (node, "metadata", "name", NULL);
}

static gboolean
is_terminating (JsonNode *node)
{
  return dr_json_member_string (dr_json_member_object (dr_json_node_object (node), "metadata"),
                          "deletionTimestamp") != NULL;
}

/* Children of a scale set carry its name and namespace as labels (FACTS.md §2.5). */
static gboolean
belongs_to (DrEngineObserver *self,
            JsonNode         *child,
            const char       *scale_set)
{
  const char *ns = label (child, LABEL_SCALE_SET_NS);

  return g_strcmp0 (label (child, LABEL_SCALE_SET), scale_set) == 0 &&
         (ns == NULL || g_strcmp0 (ns, self->runner_namespace) == 0);
}

/* The scale set's listener pod: a live one before one that is being replaced. */
static JsonNode *
find_listener_pod (DrEngineObserver *self,
                   const char       *scale_set)
{
  g_autoptr(GPtrArray) pods = dr_kube_store_list (self->listeners);
  JsonNode *found = NULL;

  for (guint i = 0; i < pods->len; i++)
    {
      JsonNode *pod = g_ptr_array_index (pods, i);

      if (!belongs_to (self, pod, scale_set))
        continue;
      if (found == NULL || (is_terminating (found) && !is_terminating (pod)))
        found = pod;
    }
  return found;
}

static JsonObject *
listener_container_status (JsonObject *pod_status)
{
  JsonArray *statuses = dr_json_member_array (pod_status, "containerStatuses");
  JsonObject *first = NULL;

  for (guint i = 0; statuses != NULL && i < json_array_get_length (statuses); i++)
    {
      JsonObject *status = dr_json_node_object (json_array_get_element (statuses, i));

      if (g_strcmp0 (dr_json_member_string (status, "name"), "listener") == 0)
        return status;
      if (first == NULL)
        first = status;
    }
  return first;
}

/* Waiting reasons that do not go away by waiting longer. */
static gboolean
is_error_reason (const char *reason)
{
  static const char * const reasons[] = {
    "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
    "CreateContainerError", "RunContainerError", NULL
  };

  return reason != NULL && g_strv_contains (reasons, reason);
}

/* FACTS.md §4: the listener runs with restartPolicy Never; a listener that exits is deleted
 * and made again by the controller, and one that cannot start waits with a reason. */
static DrListenerState
listener_state_of (JsonNode  *pod,
                   gboolean  *broken,
                   char     **reason)
{
  JsonObject *status = dr_json_member_object (dr_json_node_object (pod), "status");
  JsonObject *container = listener_container_status (status);
  JsonObject *state = dr_json_member_object (container, "state");
  JsonObject *waiting = dr_json_member_object (state, "waiting");
  JsonObject *terminated = dr_json_member_object (state, "terminated");
  JsonObject *last = dr_json_member_object (dr_json_member_object (container, "lastState"),
                                            "terminated");
  const char *phase = dr_json_member_string (status, "phase");
  const char *waiting_reason = dr_json_member_string (waiting, "reason");
  gint64 restarts = dr_json_member_int (container, "restartCount", 0);

  *broken = FALSE;
  if (g_strcmp0 (waiting_reason, "CrashLoopBackOff") == 0 || (waiting != NULL && restarts > 0))
    {
      const char *why = dr_json_member_string (last, "reason");

      *reason = g_strdup (why != NULL ? why : waiting_reason);
      return DR_LISTENER_STATE_CRASH_LOOPING;
    }
  if (terminated != NULL || g_strcmp0 (phase, "Failed") == 0 ||
      g_strcmp0 (phase, "Succeeded") == 0)
    {
      const char *why = dr_json_member_string (terminated, "reason");

      if (why == NULL)
        why = dr_json_member_string (status, "reason");
      *reason = g_strdup (why != NULL ? why : phase);
      return DR_LISTENER_STATE_CRASH_LOOPING;
    }
  if (g_strcmp0 (phase, "Running") == 0 && !is_terminating (pod) &&
      (container == NULL || dr_json_member_object (state, "running") != NULL))
    return DR_LISTENER_STATE_RUNNING;

  if (is_error_reason (waiting_reason))
    {
      const char *message = dr_json_member_string (waiting, "message");

      *broken = TRUE;
      *reason = message != NULL ? g_strdup_printf ("%s: %s", waiting_reason, message)
                                : g_strdup (waiting_reason);
    }
  else if (waiting_reason != NULL)
    *reason = g_strdup (waiting_reason);
  return DR_LISTENER_STATE_PENDING;
}

static gint64
grace_start (DrEngineObserver *self,
             const char       *scale_set,
             gboolean          unready)
{
  gint64 *since;

  if (!unready)
    {
      g_hash_table_remove (self->unready_since, scale_set);
      return 0;
    }
  since = g_hash_table_lookup (self->unready_since, scale_set);
  if (since == NULL)
    {
      since = g_new (gint64, 1);
      *since = g_get_monotonic_time ();
      g_hash_table_insert (self->unready_since, g_strdup (scale_set), since);
    }
  return *since;
}

static void
observe_instance (DrEngineObserver *self,
                  const char       *scale_set,
                  Instance         *out)
{
  JsonNode *ars = dr_kube_store_get (self->scale_sets, self->runner_namespace, scale_set);
  JsonObject *status = dr_json_member_object (dr_json_node_object (ars), "status");
  JsonNode *pod;
  gint64 since;

  memset (out, 0, sizeof *out);
  out->observed.listener_state = DR_LISTENER_STATE_UNKNOWN;
  if (ars == NULL)
    {
      grace_start (self, scale_set, FALSE);
      return;
    }

  out->observed.deployed = TRUE;
  out->observed.phase = dr_json_member_string (status, "phase");
  out->observed.current_runners = CLAMP (dr_json_member_int (status, "currentRunners", 0), 0,
                                         G_MAXUINT);
  out->observed.pending_runners = CLAMP (dr_json_member_int (status, "pendingEphemeralRunners", 0),
                                         0, G_MAXUINT);
  out->observed.running_runners = CLAMP (dr_json_member_int (status, "runningEphemeralRunners", 0),
                                         0, G_MAXUINT);
  out->observed.failed_runners = CLAMP (dr_json_member_int (status, "failedEphemeralRunners", 0),
                                        0, G_MAXUINT);

  if (!dr_kube_store_get_synced (self->listeners))
    return;

  pod = find_listener_pod (self, scale_set);
  if (pod == NULL)
    out->observed.listener_state = DR_LISTENER_STATE_MISSING;
  else
    {
      out->observed.listener_pod = object_name (pod);
      out->observed.listener_state = listener_state_of (pod, &out->listener_broken,
                                                        &out->listener_reason);
    }

  since = grace_start (self, scale_set,
                       out->observed.listener_state != DR_LISTENER_STATE_RUNNING);
  out->grace_over = since != 0 && g_get_monotonic_time () - since >=
                                   (gint64) self->engine->listener_grace_ms * 1000;
}

/* ---- One runner ------------------------------------------------------------------------- */

static int
listener_rank (DrListenerState state)
{
  switch (state)
    {
    case DR_LISTENER_STATE_CRASH_LOOPING: return 4;
    case DR_LISTENER_STATE_MISSING: return 3;
    case DR_LISTENER_STATE_PENDING: return 2;
    case DR_LISTENER_STATE_UNKNOWN: return 1;
    case DR_LISTENER_STATE_RUNNING:
    default: return 0;
    }
}

static int
phase_rank (const char *phase)
{
  if (g_strcmp0 (phase, "Outdated") == 0)
    return 3;
  if (g_strcmp0 (phase, "Pending") == 0)
    return 2;
  if (phase != NULL)
    return 1;
  return 0;
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (object_name (*(JsonNode **) a), object_name (*(JsonNode **) b));
}

/* Keeps the DrEphemeralRunner objects of runners that are still there (bound rows stay). */
static gboolean
update_ephemeral_runners (DrEngineObserver *self,
                          DrRunner         *runner,
                          GStrv             scale_sets)
{
  GListStore *store = _dr_runner_get_ephemeral_store (runner);
  GListModel *model = G_LIST_MODEL (store);
  g_autoptr(GPtrArray) all = dr_kube_store_list (self->runners);
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);
  gboolean same;
  gboolean busy = FALSE;

  for (guint i = 0; i < all->len; i++)
    {
      JsonNode *er = g_ptr_array_index (all, i);

      for (guint j = 0; scale_sets[j] != NULL; j++)
        if (belongs_to (self, er, scale_sets[j]) && object_name (er) != NULL)
          {
            g_ptr_array_add (mine, er);
            break;
          }
    }
  g_ptr_array_sort (mine, compare_by_name);

  same = n == mine->len;
  for (guint i = 0; i < mine->len; i++)
    {
      JsonNode *er = g_ptr_array_index (mine, i);
      const char *name = object_name (er);
      JsonNode *pod = dr_kube_store_get (self->pods, self->runner_namespace, name);
      g_autoptr(DrEphemeralRunner) item = NULL;

      for (guint j = 0; j < n && item == NULL; j++)
        {
          g_autoptr(DrEphemeralRunner) candidate = g_list_model_get_item (model, j);

          if (g_strcmp0 (dr_ephemeral_runner_get_name (candidate), name) == 0)
            {
              item = g_steal_pointer (&candidate);
              same = same && i == j;
            }
        }
      if (item == NULL)
        {
          item = _dr_ephemeral_runner_new (name);
          same = FALSE;
        }
      _dr_ephemeral_runner_update (item, er, pod);
      busy = busy || dr_ephemeral_runner_get_busy (item);
      g_ptr_array_add (wanted, g_steal_pointer (&item));
    }

  if (!same)
    g_list_store_splice (store, 0, n, wanted->pdata, wanted->len);
  return busy;
}

static char *
instances_text (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

/* The status and the sentence that explains it (FACTS.md §5 "queued" causes 3, 5, 6). */
static DrRunnerStatus
derive_status (DrEngineObserver  *self,
               DrRunner          *runner,
               gboolean           configured,
               GArray            *instances,
               GStrv              scale_sets,
               gboolean           busy,
               char             **detail)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  guint deployed = 0;
  guint failed = 0;
  const char *name = dr_runner_get_name (runner);

  for (guint i = 0; i < instances->len; i++)
    {
      Instance *instance = &g_array_index (instances, Instance, i);

      if (instance->observed.deployed)
        deployed++;
      else
        g_ptr_array_add (missing, scale_sets[i]);
      failed += instance->observed.failed_runners;
    }

  if (!configured)
    {
      *detail = g_strdup (_("This scale set carries deskrun’s labels but is not in the "
                            "configuration. Remove it from the cluster, or add a runner with "
                            "this name."));
      return DR_RUNNER_STATUS_UNMANAGED;
    }
  if (deployed == 0)
    return DR_RUNNER_STATUS_NOT_DEPLOYED;

  for (guint i = 0; i < instances->len; i++)
    {
      Instance *instance = &g_array_index (instances, Instance, i);

      if (g_strcmp0 (instance->observed.phase, "Outdated") == 0)
        {
          *detail = g_strdup_printf (_("ARC stopped the scale set “%s”: its runner image is "
                                       "too old for GitHub (phase Outdated). Update the runner "
                                       "image, then apply the runner again."),
                                     scale_sets[i]);
          return DR_RUNNER_STATUS_DEGRADED;
        }
    }

  for (guint i = 0; i < instances->len; i++)
    {
      Instance *instance = &g_array_index (instances, Instance, i);

      if (!instance->observed.deployed)
        continue;
      if (instance->observed.listener_state == DR_LISTENER_STATE_CRASH_LOOPING)
        {
          *detail = g_strdup_printf (_("The listener of “%s” keeps failing (%s), so no job "
                                       "reaches it. Its log says why: open the listener log. "
                                       "Two clusters listening for the same scale set make it "
                                       "fail too."),
                                     scale_sets[i],
                                     instance->listener_reason ? instance->listener_reason
                                                               : _("exited"));
          return DR_RUNNER_STATUS_DEGRADED;
        }
      if (instance->listener_broken)
        {
          *detail = g_strdup_printf (_("The listener of “%s” cannot start: %s."),
                                     scale_sets[i], instance->listener_reason);
          return DR_RUNNER_STATUS_DEGRADED;
        }
      if (instance->grace_over &&
          instance->observed.listener_state == DR_LISTENER_STATE_MISSING)
        {
          *detail = g_strdup_printf (_("No listener runs for “%s”, so queued jobs wait. "
                                       "Check that ARC’s controller is running in the "
                                       "namespace %s."),
                                     scale_sets[i], self->controller_namespace);
          return DR_RUNNER_STATUS_DEGRADED;
        }
      if (instance->grace_over &&
          instance->observed.listener_state == DR_LISTENER_STATE_PENDING)
        {
          *detail = g_strdup_printf (_("The listener of “%s” has not started yet%s%s. Look "
                                       "at its pod in the namespace %s."),
                                     scale_sets[i],
                                     instance->listener_reason ? ": " : "",
                                     instance->listener_reason ? instance->listener_reason
                                                               : "",
                                     self->controller_namespace);
          return DR_RUNNER_STATUS_DEGRADED;
        }
    }

  if (failed > 0)
    {
      *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u runner of “%s” failed. Failed runners still "
                                              "count against the maximum; look at its pod, "
                                              "then remove it.",
                                              "%u runners of “%s” failed. Failed runners still "
                                              "count against the maximum; look at their pods, "
                                              "then remove them.",
                                              failed),
                                 failed, name);
      return DR_RUNNER_STATUS_DEGRADED;
    }

  if (missing->len > 0)
    {
      g_autofree char *list = instances_text (missing);

      *detail = g_strdup_printf (_("Not every instance is in the cluster (%s is missing). "
                                   "Apply the runner again."),
                                 list);
      return DR_RUNNER_STATUS_DEGRADED;
    }

  for (guint i = 0; i < instances->len; i++)
    {
      Instance *instance = &g_array_index (instances, Instance, i);

      if (instance->observed.listener_state != DR_LISTENER_STATE_RUNNING)
        {
          *detail = g_strdup_printf (_("Waiting for the listener of “%s” to start."),
                                     scale_sets[i]);
          return DR_RUNNER_STATUS_DEPLOYING;
        }
    }

  return busy ? DR_RUNNER_STATUS_BUSY : DR_RUNNER_STATUS_IDLE;
}

static void
update_runner (DrEngineObserver *self,
               DrRunner         *runner)
{
  GListModel *instances_model = dr_runner_get_instances (runner);
  guint n = g_list_model_get_n_items (instances_model);
  g_auto(GStrv) scale_sets = g_new0 (char *, n + 1);
  g_autoptr(GArray) instances = g_array_sized_new (FALSE, TRUE, sizeof (Instance), n);
  gboolean configured;
  gboolean busy;
  DrObserved sum = { 0, };
  g_autofree char *detail = NULL;
  DrRunnerStatus status;
  int worst_phase = -1;
  int worst_listener = -1;

  g_array_set_clear_func (instances, (GDestroyNotify) instance_clear);
  configured = dr_config_lookup_runner (self->engine->config, dr_runner_get_name (runner)) != NULL;

  sum.listener_state = DR_LISTENER_STATE_UNKNOWN;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunnerInstance) item = g_list_model_get_item (instances_model, i);
      Instance instance;

      scale_sets[i] = g_strdup (dr_runner_instance_get_scale_set (item));
      observe_instance (self, scale_sets[i], &instance);
      _dr_runner_instance_update (item, &instance.observed);
      g_array_append_val (instances, instance);

      sum.deployed = sum.deployed || instance.observed.deployed;
      sum.current_runners += instance.observed.current_runners;
      sum.pending_runners += instance.observed.pending_runners;
      sum.running_runners += instance.observed.running_runners;
      sum.failed_runners += instance.observed.failed_runners;
      if (instance.observed.deployed && phase_rank (instance.observed.phase) > worst_phase)
        {
          worst_phase = phase_rank (instance.observed.phase);
          sum.phase = instance.observed.phase;
        }
      if (instance.observed.deployed &&
          listener_rank (instance.observed.listener_state) > worst_listener)
        {
          worst_listener = listener_rank (instance.observed.listener_state);
          sum.listener_state = instance.observed.listener_state;
        }
      if (sum.listener_pod == NULL)
        sum.listener_pod = instance.observed.listener_pod;
    }

  busy = update_ephemeral_runners (self, runner, scale_sets);
  status = derive_status (self, runner, configured, instances, scale_sets, busy, &detail);
  _dr_runner_update_observed (runner, &sum, status, detail);
}

/* ---- Unmanaged runners ------------------------------------------------------------------ */

/* A spec for what the cluster shows, so the UI can name it and offer to remove it. */
static DrRunnerSpec *
synthesize_spec (const char *name,
                 GPtrArray  *scale_sets)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();
  JsonObject *ars_spec = dr_json_get_object (g_ptr_array_index (scale_sets, 0), "spec", NULL);
  const char *url = dr_json_member_string (ars_spec, "githubConfigUrl");

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup (url != NULL ? url : "");
  spec->instances = MAX (scale_sets->len, 1);
  spec->min_runners = CLAMP (dr_json_member_int (ars_spec, "minRunners", 0), 0, G_MAXUINT);
  spec->max_runners = CLAMP (dr_json_member_int (ars_spec, "maxRunners", 0), 0, G_MAXUINT);
  return spec;
}

static DrRunner *
find_unmanaged (DrEngineObserver *self,
                const char       *name)
{
  for (guint i = 0; i < self->unmanaged->len; i++)
    {
      DrRunner *runner = g_ptr_array_index (self->unmanaged, i);

      if (g_strcmp0 (dr_runner_get_name (runner), name) == 0)
        return runner;
    }
  return NULL;
}

/* Returns TRUE when the set of unmanaged runners changed. */
static gboolean
update_unmanaged (DrEngineObserver *self)
{
  g_autoptr(GPtrArray) all = dr_kube_store_list (self->scale_sets);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean changed;

  for (guint i = 0; i < all->len; i++)
    {
      JsonNode *ars = g_ptr_array_index (all, i);
      const char *runner = label (ars, DR_LABEL_RUNNER);
      GPtrArray *group;

      if (runner == NULL)
        runner = object_name (ars);
      if (runner == NULL || dr_config_lookup_runner (self->engine->config, runner) != NULL)
        continue;
      group = g_hash_table_lookup (groups, runner);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, (gpointer) runner, group);
          g_ptr_array_add (names, (gpointer) runner);
        }
      g_ptr_array_add (group, ars);
    }

  changed = names->len != self->unmanaged->len;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr(DrRunnerSpec) spec = synthesize_spec (name, g_hash_table_lookup (groups, name));
      DrRunner *runner = find_unmanaged (self, name);

      if (runner != NULL)
        {
          dr_runner_set_spec (runner, spec);
          g_ptr_array_add (wanted, g_object_ref (runner));
        }
      else
        {
          g_ptr_array_add (wanted, dr_runner_new (spec));
          changed = TRUE;
        }
    }

  g_ptr_array_unref (self->unmanaged);
  self->unmanaged = g_steal_pointer (&wanted);
  return changed;
}

/* ---- Refreshing ------------------------------------------------------------------------- */

static void schedule_refresh (DrEngineObserver *self);

static gboolean
grace_over_cb (gpointer user_data)
{
  DrEngineObserver *self = user_data;

  self->grace_id = 0;
  _dr_engine_observer_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A listener that is not running yet is only a problem once its grace period is over: wake
 * up then, once, unless something else happens first. */
static void
schedule_grace_timer (DrEngineObserver *self)
{
  GHashTableIter iter;
  gint64 *since;
  gint64 earliest = G_MAXINT64;
  gint64 now = g_get_monotonic_time ();
  gint64 grace = (gint64) self->engine->listener_grace_ms * 1000;

  g_clear_handle_id (&self->grace_id, g_source_remove);
  g_hash_table_iter_init (&iter, self->unready_since);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &since))
    if (*since + grace > now)
      earliest = MIN (earliest, *since + grace);
  if (earliest == G_MAXINT64)
    return;
  self->grace_id = g_timeout_add ((earliest - now) / 1000 + 1, grace_over_cb, self);
}

void
_dr_engine_observer_update_runners (DrEngineObserver *self)
{
  GListModel *runners = G_LIST_MODEL (self->engine->runners);
  guint n = g_list_model_get_n_items (runners);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  const char *scale_set;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);
      GListModel *instances = dr_runner_get_instances (runner);

      update_runner (self, runner);
      for (guint j = 0; j < g_list_model_get_n_items (instances); j++)
        {
          g_autoptr(DrRunnerInstance) instance = g_list_model_get_item (instances, j);

          g_hash_table_add (seen, (gpointer) dr_runner_instance_get_scale_set (instance));
        }
    }

  /* Grace periods of scale sets no runner has any more. */
  g_hash_table_iter_init (&iter, self->unready_since);
  while (g_hash_table_iter_next (&iter, (gpointer *) &scale_set, NULL))
    if (!g_hash_table_contains (seen, scale_set))
      g_hash_table_iter_remove (&iter);

  schedule_grace_timer (self);
}

/* After the runners were updated, so that "synced" means they show what was listed. */
static void
update_watch_state (DrEngineObserver *self)
{
  DrKubeStore *stores[] = { self->scale_sets, self->listeners, self->runners, self->pods };
  const char *error = NULL;
  gboolean synced = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      /* Listener pods live in the controller's namespace, where a user with rights in the
       * runner namespace only may not look: their state is then unknown, and that is all. */
      if (stores[i] == self->listeners && dr_kube_store_get_forbidden (stores[i]))
        continue;
      synced = synced && dr_kube_store_get_synced (stores[i]);
      if (error == NULL)
        error = dr_kube_store_get_last_error (stores[i]);
    }
  _dr_engine_set_watch_state (self->engine, synced, error);
}

void
_dr_engine_observer_refresh (DrEngineObserver *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (update_unmanaged (self))
    _dr_engine_sync_runners (self->engine);  /* which updates the runners */
  else
    _dr_engine_observer_update_runners (self);
  update_watch_state (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  DrEngineObserver *self = user_data;

  self->refresh_id = 0;
  _dr_engine_observer_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A list brings one "added" per object: they are joined once, on the next iteration. */
static void
schedule_refresh (DrEngineObserver *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_cb, self, NULL);
}

GPtrArray *
_dr_engine_observer_get_unmanaged (DrEngineObserver *self)
{
  return self->unmanaged;
}

static DrKubeStore *
watch (DrEngineObserver *self,
       const char       *api_version,
       const char       *plural,
       const char       *namespace_,
       const char       *selector)
{
  DrKubeListOptions options = { .label_selector = selector };
  DrKubeStore *store = dr_kube_store_new (self->client, api_version, plural, namespace_,
                                          &options);

  g_signal_connect_swapped (store, "added", G_CALLBACK (schedule_refresh), self);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (schedule_refresh), self);
  g_signal_connect_swapped (store, "removed", G_CALLBACK (schedule_refresh), self);
  g_signal_connect_swapped (store, "synced", G_CALLBACK (schedule_refresh), self);
  g_signal_connect_swapped (store, "notify::last-error", G_CALLBACK (schedule_refresh), self);
  dr_kube_store_start (store);
  return store;
}

DrEngineObserver *
_dr_engine_observer_new (DrEngine     *engine,
                         DrKubeClient *client)
{
  DrEngineObserver *self = g_new0 (DrEngineObserver, 1);

  self->engine = engine;
  self->client = g_object_ref (client);
  self->runner_namespace = g_strdup (dr_config_get_runner_namespace (engine->config));
  self->controller_namespace = g_strdup (dr_config_get_controller_namespace (engine->config));
  self->unmanaged = g_ptr_array_new_with_free_func (g_object_unref);
  self->unready_since = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->scale_sets = watch (self, DR_ARC_API_VERSION, DR_ARC_PLURAL_SCALE_SETS,
                            self->runner_namespace,
                            "app.kubernetes.io/managed-by=" DR_LABEL_MANAGED_BY_VALUE);
  self->listeners = watch (self, "v1", "pods", self->controller_namespace,
                           LABEL_COMPONENT "=" LISTENER_COMPONENT);
  self->runners = watch (self, DR_ARC_API_VERSION, DR_ARC_PLURAL_EPHEMERAL_RUNNERS, self->runner_namespace,
                         NULL);
  self->pods = watch (self, "v1", "pods", self->runner_namespace,
                      LABEL_COMPONENT "=" RUNNER_COMPONENT);
  return self;
}

static void
stop_store (DrEngineObserver  *self,
            DrKubeStore      **store)
{
  if (*store == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*store, self);
  dr_kube_store_stop (*store);
  g_clear_object (store);
}

void
_dr_engine_observer_free (DrEngineObserver *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->grace_id, g_source_remove);
  stop_store (self, &self->scale_sets);
  stop_store (self, &self->listeners);
  stop_store (self, &self->runners);
  stop_store (self, &self->pods);
  g_clear_pointer (&self->unmanaged, g_ptr_array_unref);
  g_clear_pointer (&self->unready_since, g_hash_table_unref);
  g_clear_object (&self->client);
  g_free (self->runner_namespace);
  g_free (self->controller_namespace);
  g_free (self);
}

/* Finds the scale set @name names: a scale set itself, or a runner's first one (that has a
 * listener, for listener logs). */
static DrRunnerInstance *
find_instance (DrEngine   *engine,
               const char *name,
               gboolean    with_listener)
{
  GListModel *runners = G_LIST_MODEL (engine->runners);
  guint n = g_list_model_get_n_items (runners);
  DrRunnerInstance *first = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunner) runner = g_list_model_get_item (runners, i);
      GListModel *instances = dr_runner_get_instances (runner);
      gboolean whole = g_strcmp0 (dr_runner_get_name (runner), name) == 0;

      for (guint j = 0; j < g_list_model_get_n_items (instances); j++)
        {
          g_autoptr(DrRunnerInstance) instance = g_list_model_get_item (instances, j);

          if (!whole && g_strcmp0 (dr_runner_instance_get_scale_set (instance), name) != 0)
            continue;
          if (!with_listener || dr_runner_instance_get_listener_pod (instance) != NULL)
            {
              g_clear_object (&first);
              return g_steal_pointer (&instance);
            }
          if (first == NULL)
            first = g_steal_pointer (&instance);
        }
    }
  return first;
}

DrKubeLogStream *
dr_engine_follow_listener_log (DrEngine   *self,
                               const char *runner_name,
                               guint       tail_lines)
{
  g_autoptr(DrRunnerInstance) instance = NULL;
  DrKubeLogOptions options = { 0, };
  DrKubeLogStream *stream;
  const char *pod;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (runner_name != NULL, NULL);

  if (self->client == NULL || self->observer == NULL)
    return NULL;
  instance = find_instance (self, runner_name, TRUE);
  pod = instance != NULL ? dr_runner_instance_get_listener_pod (instance) : NULL;
  if (pod == NULL)
    return NULL;

  options.container = "listener";
  options.follow = TRUE;
  options.timestamps = TRUE;
  options.tail_lines = tail_lines;
  stream = dr_kube_log_stream_new (self->client, self->observer->controller_namespace, pod,
                                   &options);
  dr_kube_log_stream_start (stream);
  return stream;
}

DrKubeLogStream *
dr_engine_follow_runner_log (DrEngine   *self,
                             const char *pod,
                             guint       tail_lines)
{
  DrKubeLogOptions options = { 0, };
  DrKubeLogStream *stream;
  JsonNode *node;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (pod != NULL, NULL);

  if (self->client == NULL || self->observer == NULL)
    return NULL;
  /* Only runner pods the engine watches: the label selector of the pod store vouches for
   * them (FACTS.md §4). */
  node = dr_kube_store_get (self->observer->pods, self->observer->runner_namespace, pod);
  if (node == NULL)
    return NULL;

  options.container = "runner";
  options.follow = TRUE;
  options.timestamps = TRUE;
  options.tail_lines = tail_lines;
  stream = dr_kube_log_stream_new (self->client, self->observer->runner_namespace, pod,
                                   &options);
  dr_kube_log_stream_start (stream);
  return stream;
}

/* The same pods as the follow functions, with the caller's options (container chosen here):
 * deskrunctl logs prints what a log holds now and ends, unless told to follow. */
DrKubeLogStream *
dr_engine_open_listener_log (DrEngine               *self,
                             const char             *runner_name,
                             const DrKubeLogOptions *options)
{
  g_autoptr(DrRunnerInstance) instance = NULL;
  DrKubeLogOptions wanted = { 0, };
  DrKubeLogStream *stream;
  const char *pod;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (runner_name != NULL, NULL);

  if (self->client == NULL || self->observer == NULL)
    return NULL;
  instance = find_instance (self, runner_name, TRUE);
  pod = instance != NULL ? dr_runner_instance_get_listener_pod (instance) : NULL;
  if (pod == NULL)
    return NULL;

  if (options != NULL)
    wanted = *options;
  wanted.container = "listener";
  stream = dr_kube_log_stream_new (self->client, self->observer->controller_namespace, pod,
                                   &wanted);
  dr_kube_log_stream_start (stream);
  return stream;
}

DrKubeLogStream *
dr_engine_open_runner_log (DrEngine               *self,
                           const char             *pod,
                           const DrKubeLogOptions *options)
{
  DrKubeLogOptions wanted = { 0, };
  DrKubeLogStream *stream;

  g_return_val_if_fail (DR_IS_ENGINE (self), NULL);
  g_return_val_if_fail (pod != NULL, NULL);

  if (self->client == NULL || self->observer == NULL)
    return NULL;
  if (dr_kube_store_get (self->observer->pods, self->observer->runner_namespace, pod) == NULL)
    return NULL;

  if (options != NULL)
    wanted = *options;
  wanted.container = "runner";
  stream = dr_kube_log_stream_new (self->client, self->observer->runner_namespace, pod,
                                   &wanted);
  dr_kube_log_stream_start (stream);
  return stream;
}
