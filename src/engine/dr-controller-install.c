/* dr-controller-install.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrCluster's controller install (FACTS.md §3): after the prerequisites, one step on the
 * cluster verbs' DrStepQueue (dr-cluster-verbs.c) whose data is an Install. It asks the
 * cluster how it is, finds the controller and scale sets of other ARC versions (migrating
 * them when asked), gets the chart, applies the CRDs and waits until they are established,
 * applies the controller's objects and waits until it is available — every wait a watch.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-arc-api.h"
#include "dr-arc-controller.h"
#include "dr-cluster-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-kube-store.h"
#include "dr-kube-wait.h"
#include "dr-oci-chart.h"
#include "dr-versions.h"

#define CRD_API_VERSION "apiextensions.k8s.io/v1"
#define CRD_PLURAL      "customresourcedefinitions"
#define VERSION_LABEL   "app.kubernetes.io/version"

/* Shares of the install operation's progress: the chart download, the CRDs, the controller
 * objects; the rest is the wait for the controller. */
#define FRACTION_CHART   0.30
#define FRACTION_CRDS    0.55
#define FRACTION_OBJECTS 0.70

typedef struct
{
  char                     *chart_file;
  DrControllerInstallFlags  flags;
  DrControllerInfo         *info;
  GPtrArray                *stale;          /* JsonNode: scale sets to re-label */
  DrOciChart               *oci;
  GPtrArray                *crds;           /* JsonNode */
  GPtrArray                *objects;        /* JsonNode */
  guint                     index;          /* in stale, crds or objects */
  GPtrArray                *stores;         /* DrKubeStore: what the current wait watches */
  GString                  *missing;        /* what the last look still waited for */
  char                     *last_detail;
} Install;

static void
install_stop_stores (Install *install)
{
  for (guint i = 0; install->stores != NULL && i < install->stores->len; i++)
    dr_kube_store_stop (g_ptr_array_index (install->stores, i));
  g_clear_pointer (&install->stores, g_ptr_array_unref);
}

static void
install_free (gpointer data)
{
  Install *install = data;

  install_stop_stores (install);
  g_free (install->chart_file);
  _dr_controller_info_free (install->info);
  g_clear_pointer (&install->stale, g_ptr_array_unref);
  g_clear_object (&install->oci);
  g_clear_pointer (&install->crds, g_ptr_array_unref);
  g_clear_pointer (&install->objects, g_ptr_array_unref);
  if (install->missing != NULL)
    g_string_free (install->missing, TRUE);
  g_free (install->last_detail);
  g_free (install);
}

/* Waits watch (DrKubeWait, DESIGN.md "How data flows"): stores narrowed to what is waited
 * for, made for one wait and stopped when it ends. */

/* A store of @plural in @namespace_ (NULL: cluster-scoped), narrowed to the object @name
 * and/or by @label_selector, for the next install_wait(). */
static DrKubeStore *
install_watch (DrStepQueue *queue,
               const char  *api_version,
               const char  *plural,
               const char  *namespace_,
               const char  *name,
               const char  *label_selector)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autofree char *field_selector = NULL;
  DrKubeListOptions options = { 0, };
  DrKubeStore *store;

  if (name != NULL)
    field_selector = g_strdup_printf ("metadata.name=%s", name);
  options.field_selector = field_selector;
  options.label_selector = label_selector;
  store = dr_kube_store_new (self->client, api_version, plural, namespace_, &options);
  if (install->stores == NULL)
    install->stores = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (install->stores, store);
  return store;
}

static DrKubeStore *
install_store (DrStepQueue *queue,
               guint        index)
{
  Install *install = dr_step_queue_get_current (queue);

  return g_ptr_array_index (install->stores, index);
}

/* Waits until @check (given the queue) holds of the install's stores; @callback gets the
 * queue. */
static void
install_wait (DrStepQueue         *queue,
              guint                timeout_ms,
              DrKubeWaitCheck      check,
              GAsyncReadyCallback  callback)
{
  Install *install = dr_step_queue_get_current (queue);

  dr_kube_wait_async ((DrKubeStore * const *) install->stores->pdata, install->stores->len,
                      timeout_ms, check, queue, dr_step_queue_get_cancellable (queue),
                      callback, queue);
}

/* Whether every store of the install is synced: when one is not, what it says is the
 * reason. */
static gboolean
install_stores_synced (DrStepQueue *queue)
{
  Install *install = dr_step_queue_get_current (queue);

  for (guint i = 0; i < install->stores->len; i++)
    if (!dr_kube_store_get_synced (g_ptr_array_index (install->stores, i)))
      return FALSE;
  return TRUE;
}

/* The controller: its Deployment (store 0) and pods (store 1). Until it is available, each
 * look tells why not, as the controller pod's status says. */
static gboolean
controller_available (gpointer data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  JsonNode *deployment = dr_kube_store_get (install_store (queue, 0), self->controller_namespace,
                                            DR_ARC_CONTROLLER_FULLNAME);
  g_autoptr(GPtrArray) pods = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *detail = NULL;
  JsonArray *items;

  if (deployment != NULL && _dr_deployment_is_available (deployment))
    return TRUE;

  pods = dr_kube_store_list (install_store (queue, 1));
  items = json_array_sized_new (pods->len);
  for (guint i = 0; i < pods->len; i++)
    json_array_add_element (items, json_node_copy (g_ptr_array_index (pods, i)));
  list = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (list, json_object_new ());
  json_object_set_array_member (json_node_get_object (list), "items", items);

  detail = dr_arc_controller_describe_progress (deployment, list);
  _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_STARTING, DR_ARC_VERSION, detail);
  if (g_strcmp0 (detail, install->last_detail) != 0)
    {
      dr_step_queue_log (queue, detail);
      g_free (install->last_detail);
      install->last_detail = g_steal_pointer (&detail);
    }
  return FALSE;
}

static void
install_controller_waited_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  GError *error = NULL;
  gboolean synced = install_stores_synced (queue);

  install_stop_stores (install);
  if (!dr_kube_wait_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *within = _dr_cluster_duration_text (self->controller_timeout_ms);
          g_autofree char *why = g_strdup (synced && install->last_detail != NULL
                                           ? install->last_detail : error->message);

          g_clear_error (&error);
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("ARC’s controller did not become available within %s: its "
                                 "Deployment %s in namespace %s still lacks the condition "
                                 "Available=True. %s"),
                               within, DR_ARC_CONTROLLER_FULLNAME, self->controller_namespace,
                               why);
        }
      dr_step_queue_fail (queue, error);
      return;
    }

  _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_READY, DR_ARC_VERSION, NULL);
  dr_step_queue_log (queue, _("ARC’s controller is available."));
  dr_step_queue_next (queue);
}

static void
install_wait_controller (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  g_autofree char *selector = dr_arc_controller_pod_selector (self->controller_namespace);

  install_watch (queue, "apps/v1", "deployments", self->controller_namespace,
             DR_ARC_CONTROLLER_FULLNAME, NULL);
  install_watch (queue, "v1", "pods", self->controller_namespace, NULL, selector);
  install_wait (queue, self->controller_timeout_ms, controller_available,
            install_controller_waited_cb);
}

static void install_apply_object (DrStepQueue *queue);

static void
install_object_applied_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      data)
{
  DrStepQueue *queue = data;
  Install *install = dr_step_queue_get_current (queue);
  g_autoptr(JsonNode) applied = NULL;
  GError *error = NULL;

  applied = dr_kube_client_apply_finish (DR_KUBE_CLIENT (object), result, &error);
  if (applied == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  install->index++;
  dr_step_queue_set_fraction (queue, FRACTION_CRDS + (FRACTION_OBJECTS - FRACTION_CRDS) *
                                       install->index / install->objects->len);
  install_apply_object (queue);
}

static void
install_apply_object (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  JsonNode *object;
  const char *kind;
  const char *name;

  if (install->index == install->objects->len)
    {
      _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_STARTING, DR_ARC_VERSION,
                      _("The controller is starting."));
      dr_step_queue_set_step (queue, _("Waiting for ARC’s controller to start (the first "
                                       "time, the cluster downloads its image)…"));
      install_wait_controller (queue);
      return;
    }

  object = g_ptr_array_index (install->objects, install->index);
  kind = dr_json_get_string (object, "kind", NULL);
  name = dr_json_get_string (object, "metadata", "name", NULL);
  path = dr_kube_path (dr_json_get_string (object, "apiVersion", NULL),
                       dr_arc_api_plural (kind),
                       dr_json_get_string (object, "metadata", "namespace", NULL), name);
  line = g_strdup_printf (_("Applying %s %s"), kind, name);
  dr_step_queue_log (queue, line);
  dr_kube_client_apply_async (self->client, path, object, DR_KUBE_WRITE_NONE,
                              dr_step_queue_get_cancellable (queue), install_object_applied_cb,
                              queue);
}

/* The CRDs, one store each: Established=True, all of them. Each look lists in install->missing
 * those that are not, and why when their names are refused. */
static gboolean
crds_established (gpointer data)
{
  DrStepQueue *queue = data;
  Install *install = dr_step_queue_get_current (queue);

  g_string_truncate (install->missing, 0);
  for (guint i = 0; i < install->crds->len; i++)
    {
      const char *name = dr_json_get_string (g_ptr_array_index (install->crds, i),
                                             "metadata", "name", NULL);
      JsonNode *crd = dr_kube_store_get (install_store (queue, i), NULL, name);
      const char *reason = NULL;
      const char *message = NULL;
      const char *names;

      if (crd != NULL &&
          g_strcmp0 (dr_arc_get_condition (crd, "Established", NULL, NULL), "True") == 0)
        continue;
      g_string_append_printf (install->missing, "%s%s", install->missing->len > 0 ? ", " : "",
                              name);
      names = crd != NULL ? dr_arc_get_condition (crd, "NamesAccepted", &reason, &message)
                          : NULL;
      if (g_strcmp0 (names, "False") == 0)
        g_string_append_printf (install->missing, _(" (its names are not accepted: %s)"),
                                message != NULL ? message : reason != NULL ? reason : "?");
    }
  return install->missing->len == 0;
}

static void
install_crds_waited_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  GError *error = NULL;
  gboolean synced = install_stores_synced (queue);

  if (!dr_kube_wait_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *within = _dr_cluster_duration_text (self->crds_timeout_ms);
          g_autoptr(GString) message = g_string_new (NULL);

          crds_established (queue);
          g_string_printf (message, _("The cluster did not establish ARC’s definitions within "
                                      "%s: %s still lack the condition Established=True."),
                           within, install->missing->str);
          if (!synced)
            g_string_append_printf (message, " %s", error->message);
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message->str);
        }
      install_stop_stores (install);
      dr_step_queue_fail (queue, error);
      return;
    }

  install_stop_stores (install);
  dr_step_queue_set_fraction (queue, FRACTION_CRDS);
  install->objects = dr_arc_controller_render (self->controller_namespace);
  install->index = 0;
  dr_step_queue_set_step (queue, _("Installing ARC’s controller…"));
  install_apply_object (queue);
}

/* Watches every CRD until the cluster has established them all. */
static void
install_wait_crds (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);

  install->missing = g_string_new (NULL);
  for (guint i = 0; i < install->crds->len; i++)
    install_watch (queue, CRD_API_VERSION, CRD_PLURAL, NULL,
               dr_json_get_string (g_ptr_array_index (install->crds, i), "metadata", "name", NULL),
               NULL);
  install_wait (queue, self->crds_timeout_ms, crds_established, install_crds_waited_cb);
}

static void install_apply_crd (DrStepQueue *queue);

static void
install_crd_applied_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  DrStepQueue *queue = data;
  Install *install = dr_step_queue_get_current (queue);
  g_autoptr(JsonNode) applied = NULL;
  GError *error = NULL;

  applied = dr_kube_client_apply_finish (DR_KUBE_CLIENT (object), result, &error);
  if (applied == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  install->index++;
  dr_step_queue_set_fraction (queue, FRACTION_CHART + (FRACTION_CRDS - FRACTION_CHART) *
                                       install->index / (install->crds->len + 1));
  install_apply_crd (queue);
}

/* Server-side apply: the CRDs are too large for a last-applied annotation (FACTS.md §3). */
static void
install_apply_crd (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  JsonNode *crd;
  const char *name;

  if (install->index == install->crds->len)
    {
      dr_step_queue_set_step (queue, _("Waiting until the cluster knows ARC’s kinds…"));
      install_wait_crds (queue);
      return;
    }

  crd = g_ptr_array_index (install->crds, install->index);
  name = dr_json_get_string (crd, "metadata", "name", NULL);
  path = dr_kube_path (CRD_API_VERSION, CRD_PLURAL, NULL, name);
  line = g_strdup_printf (_("Applying CustomResourceDefinition %s"), name);
  dr_step_queue_log (queue, line);
  dr_kube_client_apply_async (self->client, path, crd, DR_KUBE_WRITE_NONE,
                              dr_step_queue_get_cancellable (queue), install_crd_applied_cb, queue);
}

/* YAML to JSON is CPU work (the CRDs are about 3 MB): a worker thread does it. */
static void
parse_crds_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DrChart *chart = task_data;
  g_autoptr(GPtrArray) crds = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < chart->crds->len; i++)
    {
      const DrChartFile *file = g_ptr_array_index (chart->crds, i);
      g_autoptr(GPtrArray) parsed = NULL;
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      parsed = dr_arc_controller_parse_crds (file->file_name, file->contents, &error);
      if (parsed == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      for (guint j = 0; j < parsed->len; j++)
        g_ptr_array_add (crds, json_node_ref (g_ptr_array_index (parsed, j)));
    }
  g_task_return_pointer (task, g_steal_pointer (&crds), (GDestroyNotify) g_ptr_array_unref);
}

static void
install_parsed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  DrStepQueue *queue = data;
  Install *install = dr_step_queue_get_current (queue);
  GError *error = NULL;

  install->crds = g_task_propagate_pointer (G_TASK (result), &error);
  if (install->crds == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  install->index = 0;
  dr_step_queue_set_step (queue, _("Applying ARC’s CustomResourceDefinitions…"));
  install_apply_crd (queue);
}

static void
install_chart_progress (goffset  received,
                        goffset  total,
                        gpointer data)
{
  DrStepQueue *queue = data;

  dr_step_queue_set_fraction (queue, FRACTION_CHART * received / total);
}

static void
install_chart_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  DrStepQueue *queue = data;
  g_autofree char *warning = NULL;
  g_autoptr(GTask) parse = NULL;
  DrChart *chart;
  GError *error = NULL;

  chart = dr_oci_chart_load_finish (DR_OCI_CHART (object), result, &warning, &error);
  if (chart == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  if (warning != NULL)
    dr_step_queue_log (queue, warning);
  dr_step_queue_set_fraction (queue, FRACTION_CHART);

  parse = g_task_new (NULL, dr_step_queue_get_cancellable (queue), install_parsed_cb, queue);
  g_task_set_source_tag (parse, parse_crds_thread);
  g_task_set_task_data (parse, chart, (GDestroyNotify) dr_chart_free);
  g_task_run_in_thread (parse, parse_crds_thread);
}

static void
install_chart (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);

  _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_INSTALLING, self->controller_version,
                  _("ARC’s controller is being installed."));
  install->oci = dr_oci_chart_new ();
  if (install->chart_file != NULL)
    {
      dr_oci_chart_set_local_file (install->oci, install->chart_file);
      dr_step_queue_set_step (queue, _("Reading ARC’s chart…"));
    }
  else
    {
      if (self->chart_registry != NULL)
        dr_oci_chart_set_registry_url (install->oci, self->chart_registry);
      dr_step_queue_set_step (queue, _("Getting ARC’s chart (downloaded once, then taken "
                                       "from the cache)…"));
    }
  dr_oci_chart_load_async (install->oci, install_chart_progress, queue,
                           dr_step_queue_get_cancellable (queue), install_chart_cb, queue);
}

static void install_relabel (DrStepQueue *queue);

static void
install_relabelled_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  DrStepQueue *queue = data;
  Install *install = dr_step_queue_get_current (queue);
  g_autoptr(JsonNode) patched = NULL;
  GError *error = NULL;

  patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object), result, &error);
  if (patched == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  install->index++;
  install_relabel (queue);
}

/* The scale sets get DR_ARC_VERSION's label, which the new controller accepts. */
static void
install_relabel (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  JsonNode *ars;
  const char *name;
  const char *namespace_;

  if (install->index == install->stale->len)
    {
      install_chart (queue);
      return;
    }

  ars = g_ptr_array_index (install->stale, install->index);
  name = dr_json_get_string (ars, "metadata", "name", NULL);
  namespace_ = dr_json_get_string (ars, "metadata", "namespace", NULL);
  line = g_strdup_printf (_("Labelling scale set %s in namespace %s for ARC %s"), name,
                          namespace_, DR_ARC_VERSION);
  dr_step_queue_log (queue, line);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "labels");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, VERSION_LABEL);
  json_builder_add_string_value (builder, DR_ARC_VERSION);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  patch = json_builder_get_root (builder);

  path = dr_kube_path (DR_ARC_API_VERSION, DR_ARC_PLURAL_SCALE_SETS, namespace_, name);
  dr_kube_client_merge_patch_async (self->client, path, patch, DR_KUBE_WRITE_NONE,
                                    dr_step_queue_get_cancellable (queue), install_relabelled_cb,
                                    queue);
}

/* The old controller's pods (store 0): gone. */
static gboolean
old_pods_gone (gpointer data)
{
  return dr_kube_store_get_n_objects (install_store (data, 0)) == 0;
}

static void
install_old_pods_waited_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  GError *error = NULL;
  gboolean synced = install_stores_synced (queue);

  install_stop_stores (install);
  if (!dr_kube_wait_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *within = _dr_cluster_duration_text (self->controller_timeout_ms);
          g_autoptr(GString) message = g_string_new (NULL);

          g_string_printf (message, _("The old controller (ARC %s) did not stop within %s, so "
                                      "its scale sets were not re-labelled."),
                           install->info->version, within);
          if (!synced)
            g_string_append_printf (message, " %s", error->message);
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message->str);
        }
      dr_step_queue_fail (queue, error);
      return;
    }
  install->index = 0;
  install_relabel (queue);
}

static void
install_wait_old_pods (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autofree char *selector = _dr_deployment_pod_selector (install->info->deployment);

  if (selector == NULL)
    selector = dr_arc_controller_pod_selector (self->controller_namespace);
  install_watch (queue, "v1", "pods", self->controller_namespace, NULL, selector);
  install_wait (queue, self->controller_timeout_ms, old_pods_gone, install_old_pods_waited_cb);
}

static void
install_stopped_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  DrStepQueue *queue = data;
  g_autoptr(JsonNode) patched = NULL;
  GError *error = NULL;

  patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object), result, &error);
  if (patched == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  install_wait_old_pods (queue);
}

/* The old controller must be gone before its scale sets carry the new version: it deletes
 * every scale set whose version is not its own, whichever way the difference goes. */
static void
install_migrate (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *step = NULL;

  if (install->info->deployment == NULL || dr_arc_version_is_compatible (install->info->version))
    {
      install->index = 0;
      install_relabel (queue);
      return;
    }

  step = g_strdup_printf (_("Stopping the old controller (ARC %s)…"),
                          install->info->version != NULL ? install->info->version : "?");
  dr_step_queue_set_step (queue, step);
  patch = json_from_string ("{\"spec\": {\"replicas\": 0}}", NULL);
  path = dr_kube_path ("apps/v1", "deployments", self->controller_namespace,
                       DR_ARC_CONTROLLER_FULLNAME);
  dr_kube_client_merge_patch_async (self->client, path, patch, DR_KUBE_WRITE_NONE,
                                    dr_step_queue_get_cancellable (queue), install_stopped_cb,
                                    queue);
}

static void
install_scale_sets_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  DrStepQueue *queue = data;
  Install *install = dr_step_queue_get_current (queue);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GString) names = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result, &error);
  /* No such kind: ARC's CRDs are not installed, so there is no scale set either. */
  if (list == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      dr_step_queue_fail (queue, g_steal_pointer (&error));
      return;
    }

  install->stale = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  names = g_string_new (NULL);
  items = dr_json_get_array (list, "items", NULL);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *ars = json_array_get_element (items, i);
      const char *version = dr_json_get_string (ars, "metadata", "labels", VERSION_LABEL, NULL);
      const char *name = dr_json_get_string (ars, "metadata", "name", NULL);
      const char *namespace_ = dr_json_get_string (ars, "metadata", "namespace", NULL);

      if (name == NULL || namespace_ == NULL || dr_arc_version_is_compatible (version))
        continue;
      g_ptr_array_add (install->stale, json_node_ref (ars));
      g_string_append_printf (names, "%s%s/%s (%s)", names->len > 0 ? ", " : "", namespace_,
                              name, version != NULL ? version : _("no version label"));
    }

  if (install->stale->len == 0)
    {
      install_chart (queue);
      return;
    }
  if (!(install->flags & DR_CONTROLLER_INSTALL_MIGRATE))
    {
      dr_step_queue_fail (queue,
                          g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                       _("These scale sets are labelled for another ARC version "
                                         "than %s: %s. ARC’s controller deletes every "
                                         "AutoscalingRunnerSet whose app.kubernetes.io/version "
                                         "label does not have its own major.minor version, so "
                                         "installing ARC %s would delete them and their runners. "
                                         "Migrate them (deskrun stops the old controller and "
                                         "re-labels them for %s first), or remove them and "
                                         "add them again afterwards."),
                                       DR_ARC_VERSION, names->str, DR_ARC_VERSION,
                                       DR_ARC_VERSION));
      return;
    }
  install_migrate (queue);
}

static void
install_detect_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  DrStepQueue *queue = data;
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);
  Install *install = dr_step_queue_get_current (queue);
  g_autofree char *path = NULL;
  GError *error = NULL;

  install->info = _dr_cluster_detect_controller_finish (result, &error);
  if (install->info == NULL)
    {
      dr_step_queue_fail (queue, error);
      return;
    }
  /* Two controllers would both act on every scale set. */
  if (install->info->deployment != NULL && !install->info->ours)
    {
      dr_step_queue_fail (queue,
                          g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                       _("ARC’s controller %s already runs in this cluster as "
                                         "Deployment %s in namespace %s, installed by another "
                                         "tool than deskrun. Two controllers would both act on "
                                         "every scale set: remove that one first (for example "
                                         "with helm uninstall) to let deskrun install its own."),
                                       install->info->version != NULL ? install->info->version
                                                                      : "",
                                       dr_json_get_string (install->info->deployment, "metadata",
                                                           "name", NULL),
                                       dr_json_get_string (install->info->deployment, "metadata",
                                                           "namespace", NULL)));
      return;
    }

  dr_step_queue_set_step (queue, _("Looking for scale sets of other ARC versions…"));
  path = dr_kube_path (DR_ARC_API_VERSION, DR_ARC_PLURAL_SCALE_SETS, NULL, NULL);
  dr_kube_client_list_all_async (self->client, path, NULL, dr_step_queue_get_cancellable (queue),
                                 install_scale_sets_cb, queue);
}

static void
install_detect (DrStepQueue *queue)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  dr_step_queue_set_step (queue, _("Looking for ARC’s controller…"));
  _dr_cluster_detect_controller_async (self, dr_step_queue_get_cancellable (queue),
                                       install_detect_cb, queue);
}

static void
install_state_cb (GObject      *object,
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
  if (self->state != DR_CLUSTER_STATE_READY || self->client == NULL)
    {
      dr_step_queue_fail (queue, g_error_new (DR_ERROR, DR_ERROR_FAILED,
                                              _("The cluster is not ready, so ARC’s controller "
                                                "cannot be installed: %s"),
                                              self->state_detail != NULL ? self->state_detail
                                                                         : _("no answer")));
      return;
    }
  install_detect (queue);
}

static void
install_begin (DrStepQueue *queue,
               gpointer     data)
{
  DrCluster *self = _dr_cluster_verb_get_cluster (queue);

  dr_step_queue_set_step (queue, _("Asking the cluster how it is…"));
  _dr_cluster_update_state_async (self, dr_step_queue_get_cancellable (queue), install_state_cb,
                                  queue);
}

static const DrStepClass install_step = { "install-controller", install_begin };

DrOperation *
dr_cluster_install_controller (DrCluster                *self,
                               const char               *chart_file,
                               DrControllerInstallFlags  flags)
{
  g_autofree char *title = NULL;
  g_autoptr(DrStepQueue) queue = NULL;
  DrClusterVerb *verb;
  DrOperation *op = NULL;
  Install *install;

  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  title = g_strdup_printf (_("Installing ARC’s controller %s"), DR_ARC_VERSION);
  if ((queue = _dr_cluster_verb_new (self, title, TRUE, &op)) == NULL)
    return op;

  verb = dr_step_queue_get_context (queue);
  verb->installs = TRUE;
  install = g_new0 (Install, 1);
  install->chart_file = g_strdup (chart_file);
  install->flags = flags;
  if (self->is_kind)
    _dr_cluster_push_ensure_kind (queue, FALSE);
  dr_step_queue_push (queue, &install_step, install, install_free);
  dr_step_queue_start (queue);
  return op;
}
