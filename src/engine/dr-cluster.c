/* dr-cluster.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DrCluster's state: the object, its properties and what tells them (the kind cluster's
 * state or the context's API server, the controller in the cluster). Its verbs are in
 * dr-cluster-verbs.c (refresh, create, start, delete) and dr-controller-install.c, its ready
 * probe in dr-cluster-probe.c, joined by dr-cluster-private.h.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-arc-controller.h"
#include "dr-cluster-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-kind-private.h"
#include "dr-kubeconfig-file.h"
#include "dr-versions.h"

#define DEFAULT_START_TIMEOUT_MS       (120 * 1000)
#define DEFAULT_CRDS_TIMEOUT_MS        (60 * 1000)
#define DEFAULT_CONTROLLER_TIMEOUT_MS  (300 * 1000)


/* DrCluster */


G_DEFINE_FINAL_TYPE (DrCluster, dr_cluster, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATE,
  PROP_STATE_DETAIL,
  PROP_CONTROLLER_STATE,
  PROP_CONTROLLER_VERSION,
  PROP_CONTROLLER_DETAIL,
  PROP_PREREQUISITES,
  PROP_KUBE_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dr_cluster_finalize (GObject *object)
{
  DrCluster *self = DR_CLUSTER (object);

  g_assert (self->busy == NULL);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->controller_namespace, g_free);
  g_clear_pointer (&self->chart_registry, g_free);
  g_clear_pointer (&self->kubeconfig_path, g_free);
  g_clear_pointer (&self->context, g_free);
  g_clear_object (&self->context_client);
  g_clear_object (&self->kind);
  g_clear_object (&self->probe);
  g_clear_pointer (&self->prerequisites, dr_prerequisites_free);
  g_clear_pointer (&self->kind_config, dr_kind_config_free);
  g_clear_pointer (&self->state_detail, g_free);
  g_clear_pointer (&self->controller_version, g_free);
  g_clear_pointer (&self->controller_detail, g_free);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (dr_cluster_parent_class)->finalize (object);
}

static void
dr_cluster_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DrCluster *self = DR_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_DETAIL:
      g_value_set_string (value, self->state_detail);
      break;
    case PROP_CONTROLLER_STATE:
      g_value_set_enum (value, self->controller_state);
      break;
    case PROP_CONTROLLER_VERSION:
      g_value_set_string (value, self->controller_version);
      break;
    case PROP_CONTROLLER_DETAIL:
      g_value_set_string (value, self->controller_detail);
      break;
    case PROP_PREREQUISITES:
      g_value_set_boxed (value, self->prerequisites);
      break;
    case PROP_KUBE_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_cluster_class_init (DrClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dr_cluster_finalize;
  object_class->get_property = dr_cluster_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DR_TYPE_CLUSTER_STATE, DR_CLUSTER_STATE_UNKNOWN,
                       flags);
  properties[PROP_STATE_DETAIL] = g_param_spec_string ("state-detail", NULL, NULL, NULL, flags);
  properties[PROP_CONTROLLER_STATE] =
    g_param_spec_enum ("controller-state", NULL, NULL, DR_TYPE_CONTROLLER_STATE,
                       DR_CONTROLLER_STATE_UNKNOWN, flags);
  properties[PROP_CONTROLLER_VERSION] =
    g_param_spec_string ("controller-version", NULL, NULL, NULL, flags);
  properties[PROP_CONTROLLER_DETAIL] =
    g_param_spec_string ("controller-detail", NULL, NULL, NULL, flags);
  properties[PROP_PREREQUISITES] =
    g_param_spec_boxed ("prerequisites", NULL, NULL, DR_TYPE_PREREQUISITES, flags);
  properties[PROP_KUBE_CLIENT] =
    g_param_spec_object ("kube-client", NULL, NULL, DR_TYPE_KUBE_CLIENT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_cluster_init (DrCluster *self)
{
  self->controller_namespace = g_strdup (DR_DEFAULT_CONTROLLER_NAMESPACE);
  self->start_timeout_ms = DEFAULT_START_TIMEOUT_MS;
  self->crds_timeout_ms = DEFAULT_CRDS_TIMEOUT_MS;
  self->controller_timeout_ms = DEFAULT_CONTROLLER_TIMEOUT_MS;
}

DrCluster *
dr_cluster_new_kind (const char *name)
{
  DrCluster *self;

  g_return_val_if_fail (name == NULL || *name != '\0', NULL);

  self = g_object_new (DR_TYPE_CLUSTER, NULL);
  self->is_kind = TRUE;
  self->name = g_strdup (name != NULL ? name : DR_DEFAULT_KIND_CLUSTER);
  self->probe = _dr_cluster_probe_new ();
  return self;
}

DrCluster *
dr_cluster_new_for_context (const char *kubeconfig_path,
                            const char *context)
{
  DrCluster *self;

  g_return_val_if_fail (context == NULL || *context != '\0', NULL);

  self = g_object_new (DR_TYPE_CLUSTER, NULL);
  self->kubeconfig_path = g_strdup (kubeconfig_path);
  self->context = g_strdup (context);
  self->name = g_strdup (context);
  return self;
}

gboolean
dr_cluster_is_kind (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), FALSE);
  return self->is_kind;
}

const char *
dr_cluster_get_name (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->name;
}

const char *
dr_cluster_get_controller_namespace (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->controller_namespace;
}

const char *
dr_cluster_get_chart_registry (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->chart_registry;
}

void
dr_cluster_set_chart_registry (DrCluster  *self,
                               const char *url)
{
  g_return_if_fail (DR_IS_CLUSTER (self));

  g_free (self->chart_registry);
  self->chart_registry = g_strdup (url);
}

DrClusterState
dr_cluster_get_state (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), DR_CLUSTER_STATE_UNKNOWN);
  return self->state;
}

const char *
dr_cluster_get_state_detail (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->state_detail;
}

DrControllerState
dr_cluster_get_controller_state (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), DR_CONTROLLER_STATE_UNKNOWN);
  return self->controller_state;
}

const char *
dr_cluster_get_controller_version (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->controller_version;
}

const char *
dr_cluster_get_controller_detail (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->controller_detail;
}

const DrPrerequisites *
dr_cluster_get_prerequisites (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->prerequisites;
}

const DrKindConfig *
dr_cluster_get_kind_config (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->kind_config;
}

DrKubeClient *
dr_cluster_get_kube_client (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);
  return self->client;
}

void
_dr_cluster_set_timeouts (DrCluster *self,
                          guint      start_ms,
                          guint      crds_ms,
                          guint      controller_ms)
{
  g_return_if_fail (DR_IS_CLUSTER (self));

  self->start_timeout_ms = start_ms;
  self->crds_timeout_ms = crds_ms;
  self->controller_timeout_ms = controller_ms;
}

void
_dr_cluster_set_kind_config (DrCluster          *self,
                             const DrKindConfig *config)
{
  g_return_if_fail (DR_IS_CLUSTER (self));
  g_return_if_fail (self->is_kind || config == NULL);

  g_clear_pointer (&self->kind_config, dr_kind_config_free);
  if (config != NULL)
    self->kind_config = dr_kind_config_copy (config);
}

void
_dr_cluster_set_probe_interval (DrCluster *self,
                                guint      milliseconds)
{
  g_return_if_fail (DR_IS_CLUSTER (self));
  g_return_if_fail (milliseconds > 0);

  self->kind_poll_ms = milliseconds;
  if (self->kind != NULL)
    _dr_kind_set_poll_interval (self->kind, milliseconds);
}


/* Observed state */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
_dr_cluster_set_controller (DrCluster         *self,
                DrControllerState  state,
                const char        *version,
                const char        *detail)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->controller_state != state)
    {
      self->controller_state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER_STATE]);
    }
  if (set_string (&self->controller_version, version))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER_VERSION]);
  if (set_string (&self->controller_detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER_DETAIL]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_client (DrCluster    *self,
            DrKubeClient *client)
{
  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KUBE_CLIENT]);
}

static void
set_name (DrCluster  *self,
          const char *name)
{
  if (set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/* The controller is only known while the cluster answers. */
void
_dr_cluster_set_state (DrCluster      *self,
           DrClusterState  state,
           const char     *detail)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (set_string (&self->state_detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_DETAIL]);
  if (state != DR_CLUSTER_STATE_READY && self->controller_state != DR_CONTROLLER_STATE_INSTALLING)
    _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_UNKNOWN, NULL, NULL);
  if (state == DR_CLUSTER_STATE_ABSENT || state == DR_CLUSTER_STATE_STOPPED)
    set_client (self, NULL);
  /* A cluster made again may share other folders: read them once it is ready. */
  if (state == DR_CLUSTER_STATE_ABSENT)
    g_clear_pointer (&self->kind_config, dr_kind_config_free);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_dr_cluster_set_prerequisites (DrCluster       *self,
                   DrPrerequisites *prerequisites)
{
  g_clear_pointer (&self->prerequisites, dr_prerequisites_free);
  self->prerequisites = prerequisites;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREREQUISITES]);
}

static DrClusterState
cluster_state_from_kind (DrKindState state)
{
  switch (state)
    {
    case DR_KIND_STATE_ABSENT:
      return DR_CLUSTER_STATE_ABSENT;
    case DR_KIND_STATE_STOPPED:
      return DR_CLUSTER_STATE_STOPPED;
    case DR_KIND_STATE_STARTING:
      return DR_CLUSTER_STATE_STARTING;
    case DR_KIND_STATE_READY:
      return DR_CLUSTER_STATE_READY;
    case DR_KIND_STATE_UNREACHABLE:
      return DR_CLUSTER_STATE_UNREACHABLE;
    default:
      return DR_CLUSTER_STATE_UNKNOWN;
    }
}

static void
kind_state_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrCluster *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  DrKindState kind_state;
  DrClusterState state;

  kind_state = dr_kind_get_state_finish (DR_KIND (object), result, &detail, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _dr_cluster_set_state (self, DR_CLUSTER_STATE_UNKNOWN, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  state = cluster_state_from_kind (kind_state);
  /* READY comes from a probe that got in: its client is the cluster's. */
  if (state == DR_CLUSTER_STATE_READY)
    set_client (self, _dr_cluster_probe_get_client (self->probe));
  _dr_cluster_set_state (self, state, detail);
  g_task_return_boolean (task, TRUE);
}

static void
context_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrCluster *self = g_task_get_source_object (task);
  DrKubeClient *client = DR_KUBE_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (_dr_cluster_check_ready_finish (result, &error))
    {
      set_client (self, client);
      _dr_cluster_set_state (self, DR_CLUSTER_STATE_READY, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    detail = g_strdup (error->message);
  else
    detail = g_strdup_printf (_("The Kubernetes API server at %s answers, but says it is not "
                                "ready."),
                              dr_kube_client_get_server (client));
  _dr_cluster_set_state (self, DR_CLUSTER_STATE_UNREACHABLE, detail);
  g_task_return_boolean (task, TRUE);
}

/* The client of the context, made on first use from the kubeconfig as it is then. */
static DrKubeClient *
context_client (DrCluster  *self,
                GError    **error)
{
  g_autoptr(DrKubeconfig) kubeconfig = NULL;
  g_autoptr(DrKubeContext) context = NULL;

  if (self->context_client != NULL)
    return self->context_client;

  if (self->kubeconfig_path != NULL)
    {
      const char * const paths[] = { self->kubeconfig_path, NULL };

      kubeconfig = dr_kubeconfig_load_files (paths, error);
    }
  else
    kubeconfig = dr_kubeconfig_load_default (error);
  if (kubeconfig != NULL)
    context = dr_kubeconfig_resolve (kubeconfig, self->context, error);
  if (context == NULL)
    return NULL;

  self->context_client = dr_kube_client_new (context, error);
  if (self->context_client != NULL)
    set_name (self, context->context_name);
  return self->context_client;
}

/* Tells the state of the cluster (and sets the properties). Fails when it cannot be told;
 * the state is then UNKNOWN with the error as its detail. A kind cluster needs self->kind. */
void
_dr_cluster_update_state_async (DrCluster           *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  DrKubeClient *client;

  g_task_set_source_tag (task, _dr_cluster_update_state_async);

  if (self->is_kind)
    {
      g_assert (self->kind != NULL);
      dr_kind_get_state_async (self->kind, cancellable, kind_state_cb, g_steal_pointer (&task));
      return;
    }

  client = context_client (self, &error);
  if (client == NULL)
    {
      _dr_cluster_set_state (self, DR_CLUSTER_STATE_UNKNOWN, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _dr_cluster_check_ready_async (client, cancellable, context_ready_cb, g_steal_pointer (&task));
}

gboolean
_dr_cluster_update_state_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}


/* The controller in the cluster */

void
_dr_controller_info_free (DrControllerInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->deployment, json_node_unref);
  g_free (info->version);
  g_free (info);
}

/* Available, and about the Deployment as it now is (not the one before an upgrade). */
gboolean
_dr_deployment_is_available (JsonNode *deployment)
{
  gint64 generation = dr_json_get_int (deployment, 0, "metadata", "generation", NULL);
  gint64 observed = dr_json_get_int (deployment, -1, "status", "observedGeneration", NULL);

  return g_strcmp0 (dr_arc_get_condition (deployment, "Available", NULL, NULL), "True") == 0 &&
         (observed < 0 || observed >= generation);
}

/* "k=v,k=v" from spec.selector.matchLabels, or NULL. */
char *
_dr_deployment_pod_selector (JsonNode *deployment)
{
  g_autoptr(GString) selector = g_string_new (NULL);
  JsonObject *labels = dr_json_get_object (deployment, "spec", "selector", "matchLabels", NULL);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (labels == NULL)
    return NULL;

  json_object_iter_init (&iter, labels);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return NULL;
      g_string_append_printf (selector, "%s%s=%s", selector->len > 0 ? "," : "", key,
                              json_node_get_string (value));
    }
  return selector->len > 0 ? g_string_free (g_steal_pointer (&selector), FALSE) : NULL;
}

typedef struct
{
  DrControllerInfo *info;
  char           *pod_selector;
} Detect;

static void
detect_free (gpointer data)
{
  Detect *detect = data;

  _dr_controller_info_free (detect->info);
  g_free (detect->pod_selector);
  g_free (detect);
}

static void
detect_return (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&detect->info),
                         (GDestroyNotify) _dr_controller_info_free);
}

static void
detect_pods_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrCluster *self = g_task_get_source_object (task);
  Detect *detect = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) pods = NULL;
  g_autofree char *detail = NULL;

  pods = dr_kube_client_list_finish (DR_KUBE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Without the pods (not allowed to list them) the Deployment still tells something. */
  detail = dr_arc_controller_describe_progress (detect->info->deployment, pods);
  _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_STARTING, detect->info->version, detail);
  detect_return (g_steal_pointer (&task));
}

static void
detect_deployments_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrCluster *self = g_task_get_source_object (task);
  Detect *detect = g_task_get_task_data (task);
  DrKubeClient *client = DR_KUBE_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = NULL;
  JsonArray *items;
  DrControllerInfo *info;
  const char *name;
  const char *namespace_;

  list = dr_kube_client_list_all_finish (client, result, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_UNKNOWN, NULL, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = detect->info = g_new0 (DrControllerInfo, 1);
  items = dr_json_get_array (list, "items", NULL);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      gboolean ours = g_strcmp0 (dr_json_get_string (item, "metadata", "name", NULL),
                                 DR_ARC_CONTROLLER_FULLNAME) == 0 &&
                      g_strcmp0 (dr_json_get_string (item, "metadata", "namespace", NULL),
                                 self->controller_namespace) == 0;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      if (info->deployment == NULL || ours)
        {
          g_clear_pointer (&info->deployment, json_node_unref);
          info->deployment = json_node_ref (item);
          info->ours = ours;
        }
    }

  if (info->deployment == NULL)
    {
      _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_MISSING, NULL,
                      _("ARC’s controller is not installed in this cluster."));
      detect_return (g_steal_pointer (&task));
      return;
    }

  info->version = dr_arc_controller_get_version (info->deployment);
  name = dr_json_get_string (info->deployment, "metadata", "name", NULL);
  namespace_ = dr_json_get_string (info->deployment, "metadata", "namespace", NULL);
  if (!dr_arc_version_is_compatible (info->version))
    {
      detail = g_strdup_printf (_("ARC’s controller %s is installed (Deployment %s in namespace "
                                  "%s); deskrun works with ARC %s."),
                                info->version != NULL ? info->version : _("of unknown version"),
                                name, namespace_, DR_ARC_VERSION);
      _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_OTHER_VERSION, info->version, detail);
      detect_return (g_steal_pointer (&task));
      return;
    }
  if (_dr_deployment_is_available (info->deployment))
    {
      if (!info->ours)
        detail = g_strdup_printf (_("ARC’s controller runs as Deployment %s in namespace %s, "
                                    "installed by another tool than deskrun."),
                                  name, namespace_);
      _dr_cluster_set_controller (self, DR_CONTROLLER_STATE_READY, info->version, detail);
      detect_return (g_steal_pointer (&task));
      return;
    }

  detect->pod_selector = _dr_deployment_pod_selector (info->deployment);
  if (detect->pod_selector == NULL)
    detect->pod_selector = dr_arc_controller_pod_selector (self->controller_namespace);
  path = dr_kube_path ("v1", "pods", namespace_, NULL);
  {
    DrKubeListOptions options = { .label_selector = detect->pod_selector };
    GCancellable *cancellable = g_task_get_cancellable (task);

    dr_kube_client_list_async (client, path, &options, cancellable, detect_pods_cb,
                               g_steal_pointer (&task));
  }
}

/* Finds ARC's controller in the cluster, whoever installed it (FACTS.md §2.7), and sets the
 * controller properties. */
void
_dr_cluster_detect_controller_async (DrCluster           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = dr_kube_path ("apps/v1", "deployments", NULL, NULL);
  DrKubeListOptions options = { .label_selector = DR_ARC_CONTROLLER_SELECTOR };

  g_assert (self->client != NULL);

  g_task_set_source_tag (task, _dr_cluster_detect_controller_async);
  g_task_set_task_data (task, g_new0 (Detect, 1), detect_free);
  dr_kube_client_list_all_async (self->client, path, &options, cancellable,
                                 detect_deployments_cb, g_steal_pointer (&task));
}

DrControllerInfo *
_dr_cluster_detect_controller_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
