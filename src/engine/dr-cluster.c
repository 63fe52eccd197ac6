/* dr-cluster.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-arc-controller.h"
#include "dr-cluster-private.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-kind-private.h"
#include "dr-kube-wait.h"
#include "dr-kubeconfig.h"
#include "dr-oci-chart.h"
#include "dr-versions.h"

#define DEFAULT_START_TIMEOUT_MS       (120 * 1000)
#define DEFAULT_CRDS_TIMEOUT_MS        (60 * 1000)
#define DEFAULT_CONTROLLER_TIMEOUT_MS  (300 * 1000)

#define CRD_API_VERSION "apiextensions.k8s.io/v1"
#define CRD_PLURAL      "customresourcedefinitions"
#define ARS_API_VERSION "actions.github.com/v1alpha1"
#define ARS_PLURAL      "autoscalingrunnersets"
#define VERSION_LABEL   "app.kubernetes.io/version"

/* Shares of the install operation's progress: the chart download, the CRDs, the controller
 * objects; the rest is the wait for the controller. */
#define FRACTION_CHART   0.30
#define FRACTION_CRDS    0.55
#define FRACTION_OBJECTS 0.70

GType
dr_cluster_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DR_CLUSTER_STATE_UNKNOWN, "DR_CLUSTER_STATE_UNKNOWN", "unknown" },
        { DR_CLUSTER_STATE_ABSENT, "DR_CLUSTER_STATE_ABSENT", "absent" },
        { DR_CLUSTER_STATE_STOPPED, "DR_CLUSTER_STATE_STOPPED", "stopped" },
        { DR_CLUSTER_STATE_STARTING, "DR_CLUSTER_STATE_STARTING", "starting" },
        { DR_CLUSTER_STATE_READY, "DR_CLUSTER_STATE_READY", "ready" },
        { DR_CLUSTER_STATE_UNREACHABLE, "DR_CLUSTER_STATE_UNREACHABLE", "unreachable" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("DrClusterState"), values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

GType
dr_controller_state_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { DR_CONTROLLER_STATE_UNKNOWN, "DR_CONTROLLER_STATE_UNKNOWN", "unknown" },
        { DR_CONTROLLER_STATE_MISSING, "DR_CONTROLLER_STATE_MISSING", "missing" },
        { DR_CONTROLLER_STATE_INSTALLING, "DR_CONTROLLER_STATE_INSTALLING", "installing" },
        { DR_CONTROLLER_STATE_STARTING, "DR_CONTROLLER_STATE_STARTING", "starting" },
        { DR_CONTROLLER_STATE_READY, "DR_CONTROLLER_STATE_READY", "ready" },
        { DR_CONTROLLER_STATE_OTHER_VERSION, "DR_CONTROLLER_STATE_OTHER_VERSION",
          "other-version" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("DrControllerState"),
                                           values);

      g_once_init_leave (&type_id, type);
    }
  return type_id;
}


/* Asking an API server whether it is ready */

static void
ready_version_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) version = NULL;

  version = dr_kube_client_get_finish (DR_KUBE_CLIENT (object), result, &error);
  if (version == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
readyz_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKubeClient *client = DR_KUBE_CLIENT (object);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = dr_kube_client_get_raw_finish (client, result, &error);
  if (body != NULL)
    g_task_return_boolean (task, TRUE);
  /* 500 lists the checks that have not passed yet: up, not ready. */
  else if (g_error_matches (error, DR_ERROR, DR_ERROR_SERVER))
    g_task_return_boolean (task, FALSE);
  /* Servers older than Kubernetes 1.16 have no /readyz; one that answers /version is up. */
  else if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    dr_kube_client_get_async (client, "/version", cancellable, ready_version_cb,
                              g_steal_pointer (&task));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* TRUE: ready; FALSE without an error: it answers but is not ready; an error: it could not
 * be asked. */
static void
check_ready_async (DrKubeClient        *client,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, check_ready_async);
  dr_kube_client_get_raw_async (client, "/readyz", cancellable, readyz_cb,
                                g_steal_pointer (&task));
}

static gboolean
check_ready_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}


/* DrClusterProbe: kind's ready probe, GET /readyz through a client made from the kubeconfig
 * kind prints. The client is kept between probes (start asks once a second) and dropped
 * when the cluster is created or deleted, or when it no longer gets in (the cluster was made
 * anew elsewhere, with new certificates). */

#define DR_TYPE_CLUSTER_PROBE (dr_cluster_probe_get_type ())
G_DECLARE_FINAL_TYPE (DrClusterProbe, dr_cluster_probe, DR, CLUSTER_PROBE, GObject)

struct _DrClusterProbe
{
  GObject       parent_instance;
  DrKubeClient *client;
};

static void dr_cluster_probe_iface_init (DrReadyProbeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DrClusterProbe, dr_cluster_probe, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DR_TYPE_READY_PROBE,
                                                      dr_cluster_probe_iface_init))

static void
probe_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrClusterProbe *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean ready;

  ready = check_ready_finish (result, &error);
  if (error != NULL &&
      (error->domain == G_TLS_ERROR ||
       g_error_matches (error, DR_ERROR, DR_ERROR_UNAUTHORIZED)))
    g_clear_object (&self->client);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, ready);
}

static void
probe_kubeconfig_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrClusterProbe *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DrKubeconfig) kubeconfig = NULL;
  g_autoptr(DrKubeContext) context = NULL;
  g_autoptr(DrKubeClient) client = NULL;
  GCancellable *cancellable;
  gsize length = 0;
  const char *text;

  bytes = dr_kind_get_kubeconfig_finish (DR_KIND (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  text = g_bytes_get_data (bytes, &length);
  kubeconfig = dr_kubeconfig_load_data (text != NULL ? text : "", length,
                                        "kind get kubeconfig", &error);
  if (kubeconfig != NULL)
    context = dr_kubeconfig_resolve (kubeconfig, NULL, &error);
  if (context != NULL)
    client = dr_kube_client_new (context, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Another probe may have made one meanwhile: the cluster keeps the first. */
  if (self->client == NULL)
    self->client = g_steal_pointer (&client);

  cancellable = g_task_get_cancellable (task);
  check_ready_async (self->client, cancellable, probe_ready_cb, g_steal_pointer (&task));
}

static void
dr_cluster_probe_check_async (DrReadyProbe        *probe,
                              DrKind              *kind,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  DrClusterProbe *self = DR_CLUSTER_PROBE (probe);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, dr_cluster_probe_check_async);
  if (self->client != NULL)
    check_ready_async (self->client, cancellable, probe_ready_cb, g_steal_pointer (&task));
  else
    dr_kind_get_kubeconfig_async (kind, cancellable, probe_kubeconfig_cb,
                                  g_steal_pointer (&task));
}

static gboolean
dr_cluster_probe_check_finish (DrReadyProbe  *probe,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, probe), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
dr_cluster_probe_iface_init (DrReadyProbeInterface *iface)
{
  iface->check_async = dr_cluster_probe_check_async;
  iface->check_finish = dr_cluster_probe_check_finish;
}

static void
dr_cluster_probe_finalize (GObject *object)
{
  DrClusterProbe *self = DR_CLUSTER_PROBE (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (dr_cluster_probe_parent_class)->finalize (object);
}

static void
dr_cluster_probe_class_init (DrClusterProbeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dr_cluster_probe_finalize;
}

static void
dr_cluster_probe_init (DrClusterProbe *self)
{
}


/* DrCluster */

struct _DrCluster
{
  GObject            parent_instance;

  gboolean           is_kind;
  char              *name;
  char              *controller_namespace;
  char              *chart_registry;   /* where the install pulls from; NULL: the default */
  /* A kubeconfig context */
  char              *kubeconfig_path;
  char              *context;
  DrKubeClient      *context_client;
  /* A kind cluster: DrKind once the prerequisites named the container engine. */
  DrKind            *kind;
  DrClusterProbe    *probe;
  DrPrerequisites   *prerequisites;
  DrKindConfig      *kind_config;   /* what the node shares, read when it was last ready */

  DrClusterState     state;
  char              *state_detail;
  DrControllerState  controller_state;
  char              *controller_version;
  char              *controller_detail;
  DrKubeClient      *client;

  DrOperation       *busy;   /* the create, start, delete or install that runs */

  guint              start_timeout_ms;
  guint              crds_timeout_ms;
  guint              controller_timeout_ms;
  guint              kind_poll_ms;   /* 0: kind's own */
};

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
  self->probe = g_object_new (DR_TYPE_CLUSTER_PROBE, NULL);
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

static void
set_controller (DrCluster         *self,
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
static void
set_state (DrCluster      *self,
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
    set_controller (self, DR_CONTROLLER_STATE_UNKNOWN, NULL, NULL);
  if (state == DR_CLUSTER_STATE_ABSENT || state == DR_CLUSTER_STATE_STOPPED)
    set_client (self, NULL);
  /* A cluster made again may share other folders: read them once it is ready. */
  if (state == DR_CLUSTER_STATE_ABSENT)
    g_clear_pointer (&self->kind_config, dr_kind_config_free);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_prerequisites (DrCluster       *self,
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
        set_state (self, DR_CLUSTER_STATE_UNKNOWN, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  state = cluster_state_from_kind (kind_state);
  /* READY comes from a probe that got in: its client is the cluster's. */
  if (state == DR_CLUSTER_STATE_READY)
    set_client (self, self->probe->client);
  set_state (self, state, detail);
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

  if (check_ready_finish (result, &error))
    {
      set_client (self, client);
      set_state (self, DR_CLUSTER_STATE_READY, NULL);
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
  set_state (self, DR_CLUSTER_STATE_UNREACHABLE, detail);
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
static void
update_state_async (DrCluster           *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  DrKubeClient *client;

  g_task_set_source_tag (task, update_state_async);

  if (self->is_kind)
    {
      g_assert (self->kind != NULL);
      dr_kind_get_state_async (self->kind, cancellable, kind_state_cb, g_steal_pointer (&task));
      return;
    }

  client = context_client (self, &error);
  if (client == NULL)
    {
      set_state (self, DR_CLUSTER_STATE_UNKNOWN, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  check_ready_async (client, cancellable, context_ready_cb, g_steal_pointer (&task));
}

static gboolean
update_state_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}


/* The controller in the cluster */

typedef struct
{
  JsonNode *deployment;   /* the controller's Deployment, or NULL when none runs */
  gboolean  ours;         /* the one dr_arc_controller_render() makes */
  char     *version;
} ControllerInfo;

static void
controller_info_free (ControllerInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->deployment, json_node_unref);
  g_free (info->version);
  g_free (info);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ControllerInfo, controller_info_free)

/* Available, and about the Deployment as it now is (not the one before an upgrade). */
static gboolean
deployment_is_available (JsonNode *deployment)
{
  gint64 generation = dr_json_get_int (deployment, 0, "metadata", "generation", NULL);
  gint64 observed = dr_json_get_int (deployment, -1, "status", "observedGeneration", NULL);

  return g_strcmp0 (dr_arc_get_condition (deployment, "Available", NULL, NULL), "True") == 0 &&
         (observed < 0 || observed >= generation);
}

/* "k=v,k=v" from spec.selector.matchLabels, or NULL. */
static char *
deployment_pod_selector (JsonNode *deployment)
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
  ControllerInfo *info;
  char           *pod_selector;
} Detect;

static void
detect_free (gpointer data)
{
  Detect *detect = data;

  controller_info_free (detect->info);
  g_free (detect->pod_selector);
  g_free (detect);
}

static void
detect_return (GTask *task)
{
  Detect *detect = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&detect->info),
                         (GDestroyNotify) controller_info_free);
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
  set_controller (self, DR_CONTROLLER_STATE_STARTING, detect->info->version, detail);
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
  ControllerInfo *info;
  const char *name;
  const char *namespace_;

  list = dr_kube_client_list_all_finish (client, result, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_controller (self, DR_CONTROLLER_STATE_UNKNOWN, NULL, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = detect->info = g_new0 (ControllerInfo, 1);
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
      set_controller (self, DR_CONTROLLER_STATE_MISSING, NULL,
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
      set_controller (self, DR_CONTROLLER_STATE_OTHER_VERSION, info->version, detail);
      detect_return (g_steal_pointer (&task));
      return;
    }
  if (deployment_is_available (info->deployment))
    {
      if (!info->ours)
        detail = g_strdup_printf (_("ARC’s controller runs as Deployment %s in namespace %s, "
                                    "installed by another tool than deskrun."),
                                  name, namespace_);
      set_controller (self, DR_CONTROLLER_STATE_READY, info->version, detail);
      detect_return (g_steal_pointer (&task));
      return;
    }

  detect->pod_selector = deployment_pod_selector (info->deployment);
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
static void
detect_controller_async (DrCluster           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = dr_kube_path ("apps/v1", "deployments", NULL, NULL);
  DrKubeListOptions options = { .label_selector = DR_ARC_CONTROLLER_SELECTOR };

  g_assert (self->client != NULL);

  g_task_set_source_tag (task, detect_controller_async);
  g_task_set_task_data (task, g_new0 (Detect, 1), detect_free);
  dr_kube_client_list_all_async (self->client, path, &options, cancellable,
                                 detect_deployments_cb, g_steal_pointer (&task));
}

static ControllerInfo *
detect_controller_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Verbs. Each runs as a GTask whose data is a Job; when the task completes, so does the
 * operation. Steps take over the task reference they are given. */

typedef void (*JobStep) (GTask *task);

typedef struct
{
  DrOperation              *op;
  DrKind                   *kind;           /* whose ::line goes to the log */
  gulong                    line_handler;
  JobStep                   next;           /* after the prerequisites */
  GError                   *error;          /* kept while cleaning up after a failure */
  GPtrArray                *stores;         /* DrKubeStore: what the current wait watches */
  guint                     index;
  gboolean                  installs;

  /* install */
  char                     *chart_file;
  DrControllerInstallFlags  flags;
  ControllerInfo           *info;
  GPtrArray                *stale;          /* JsonNode: scale sets to re-label */
  DrOciChart               *oci;
  GPtrArray                *crds;           /* JsonNode */
  GPtrArray                *objects;        /* JsonNode */
  GString                  *missing;        /* what the last look still waited for */
  char                     *last_detail;
} Job;

static void
job_stop_stores (Job *job)
{
  for (guint i = 0; job->stores != NULL && i < job->stores->len; i++)
    dr_kube_store_stop (g_ptr_array_index (job->stores, i));
  g_clear_pointer (&job->stores, g_ptr_array_unref);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  job_stop_stores (job);
  if (job->line_handler != 0)
    g_signal_handler_disconnect (job->kind, job->line_handler);
  g_clear_object (&job->kind);
  g_clear_object (&job->op);
  g_clear_error (&job->error);
  g_free (job->chart_file);
  controller_info_free (job->info);
  g_clear_pointer (&job->stale, g_ptr_array_unref);
  g_clear_object (&job->oci);
  g_clear_pointer (&job->crds, g_ptr_array_unref);
  g_clear_pointer (&job->objects, g_ptr_array_unref);
  if (job->missing != NULL)
    g_string_free (job->missing, TRUE);
  g_free (job->last_detail);
  g_free (job);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  DrCluster *self = DR_CLUSTER (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(DrOperation) op = g_object_ref (job->op);
  g_autoptr(GError) error = NULL;

  if (self->busy == op)
    g_clear_object (&self->busy);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      _dr_operation_succeed (op);
      return;
    }

  /* Tell what the failed install left behind; a controller that is starting says why. */
  if (job->installs && self->controller_state == DR_CONTROLLER_STATE_INSTALLING)
    set_controller (self, DR_CONTROLLER_STATE_UNKNOWN, NULL, error->message);
  _dr_operation_fail (op, g_steal_pointer (&error));
}

static DrOperation *
failed_operation (const char *title,
                  GError     *error)
{
  DrOperation *op = _dr_operation_new (title);

  _dr_operation_fail (op, error);
  return op;
}

/* A new operation and the task that runs it; NULL (and a failed operation in *@op) when an
 * exclusive verb finds another one running. */
static GTask *
job_new (DrCluster    *self,
         const char   *title,
         gboolean      exclusive,
         DrOperation **op)
{
  GTask *task;
  Job *job;

  if (exclusive && self->busy != NULL)
    {
      *op = failed_operation (title,
                              g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                           _("“%s” is still running; wait until it is done."),
                                           dr_operation_get_title (self->busy)));
      return NULL;
    }

  *op = _dr_operation_new (title);
  job = g_new0 (Job, 1);
  job->op = g_object_ref (*op);
  task = g_task_new (self, _dr_operation_get_cancellable (*op), job_done_cb, NULL);
  g_task_set_task_data (task, job, job_free);
  if (exclusive)
    self->busy = g_object_ref (*op);
  return task;
}

static GCancellable *
job_cancellable (GTask *task)
{
  return g_task_get_cancellable (task);
}

static Job *
job_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static void
job_return_error (GTask  *task,
                  GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
job_return_success (GTask *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
kind_line_cb (DrKind      *kind,
              const char  *line,
              gboolean     is_stderr,
              DrOperation *op)
{
  _dr_operation_log (op, line);
}

static void
job_stream_kind_lines (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  if (job->line_handler != 0)
    return;
  job->kind = g_object_ref (self->kind);
  job->line_handler = g_signal_connect (job->kind, "line", G_CALLBACK (kind_line_cb), job->op);
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

/* The operation ends with @error, after the state has been read again (it may have changed
 * half-way). Not cancellable: the operation's own cancellable may be what ended it. */
static void
state_after_failure_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);

  update_state_finish (result, NULL);
  job_return_error (task, g_steal_pointer (&job->error));
}

static void
fail_after_state (GTask  *task,
                  GError *error)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  g_clear_error (&job->error);
  job->error = error;
  update_state_async (self, NULL, state_after_failure_cb, task);
}

/* Ending: the state, then the controller when the cluster is ready. */

static void
finish_controller_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      data)
{
  GTask *task = data;
  g_autoptr(ControllerInfo) info = NULL;
  GError *error = NULL;

  info = detect_controller_finish (result, &error);
  if (info == NULL)
    job_return_error (task, error);
  else
    job_return_success (task);
}

static void
finish_detect_controller (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);

  _dr_operation_set_step (job_of (task)->op, _("Looking for ARC’s controller…"));
  detect_controller_async (self, job_cancellable (task), finish_controller_cb, task);
}

/* What the node shares of this computer, for checking runner mounts; a cluster whose mounts
 * cannot be read is still usable, its mounts are then not translated. */
static void
finish_kind_config_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  GError *error = NULL;

  g_clear_pointer (&self->kind_config, dr_kind_config_free);
  self->kind_config = dr_kind_get_config_finish (DR_KIND (object), result, &error);
  if (self->kind_config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          job_return_error (task, error);
          return;
        }
      g_debug ("Could not read the mounts of kind cluster “%s”: %s", self->name,
               error->message);
      g_clear_error (&error);
    }
  finish_detect_controller (task);
}

static void
finish_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!update_state_finish (result, &error))
    {
      job_return_error (task, error);
      return;
    }
  if (self->state != DR_CLUSTER_STATE_READY)
    {
      job_return_success (task);
      return;
    }
  if (self->is_kind)
    {
      _dr_operation_set_step (job_of (task)->op,
                              _("Reading which folders the cluster shares…"));
      dr_kind_get_config_async (self->kind, job_cancellable (task), finish_kind_config_cb, task);
      return;
    }
  finish_detect_controller (task);
}

static void
finish_with_state (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);

  _dr_operation_set_step (job_of (task)->op, _("Asking the cluster how it is…"));
  update_state_async (self, job_cancellable (task), finish_state_cb, task);
}

/* The prerequisites, and a DrKind for the container engine they found. */

static void
prerequisites_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  DrPrerequisites *prerequisites;
  DrContainerProvider provider;
  GError *error = NULL;

  prerequisites = dr_prerequisites_check_finish (result, &error);
  if (prerequisites == NULL)
    {
      job_return_error (task, error);
      return;
    }

  for (guint i = 0; i < prerequisites->items->len; i++)
    {
      const DrPrerequisite *item = g_ptr_array_index (prerequisites->items, i);
      g_autofree char *line = g_strdup_printf ("%s: %s", item->title, item->detail);

      _dr_operation_log (job->op, line);
    }
  provider = prerequisites->provider;
  set_prerequisites (self, prerequisites);

  if (provider == DR_CONTAINER_PROVIDER_NONE)
    {
      const DrPrerequisite *item = dr_prerequisites_lookup (self->prerequisites,
                                                            DR_PREREQUISITE_CONTAINER);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("A kind cluster needs Docker or Podman, and neither was "
                                   "found: %s%s%s"),
                                 item->detail, item->fix != NULL ? "\n" : "",
                                 item->fix != NULL ? item->fix : "");
      set_state (self, DR_CLUSTER_STATE_UNKNOWN, message);
      job_return_error (task, g_error_new_literal (DR_ERROR, DR_ERROR_NOT_FOUND, message));
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
  job->next (task);
}

static void
ensure_kind (GTask    *task,
             gboolean  recheck,
             JobStep   next)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  if (self->kind != NULL && !recheck)
    {
      next (task);
      return;
    }
  job->next = next;
  _dr_operation_set_step (job->op, _("Checking for Docker, Podman and kind…"));
  dr_prerequisites_check_async (NULL, job_cancellable (task), prerequisites_cb, task);
}


/* Create, start and delete: kind clusters only, one verb at a time, after the prerequisites
 * named the container engine. Takes @title. */
static DrOperation *
run_kind_verb (DrCluster *self,
               char      *title,
               JobStep    first)
{
  g_autofree char *owned_title = title;
  DrOperation *op = NULL;
  GTask *task;

  if (!self->is_kind)
    return failed_operation (title, not_kind_error (self));
  if ((task = job_new (self, title, TRUE, &op)) != NULL)
    ensure_kind (task, FALSE, first);
  return op;
}


/* Refresh */

DrOperation *
dr_cluster_refresh (DrCluster *self)
{
  DrOperation *op = NULL;
  GTask *task;

  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  task = job_new (self, _("Checking the cluster"), FALSE, &op);
  if (self->is_kind)
    ensure_kind (task, TRUE, finish_with_state);
  else
    finish_with_state (task);
  return op;
}


/* Create */

static void
create_cleanup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);
  g_autoptr(GError) error = NULL;

  if (!dr_kind_delete_finish (DR_KIND (object), result, &error))
    _dr_operation_log (job->op, error->message);
  fail_after_state (task, g_steal_pointer (&job->error));
}

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  GError *error = NULL;

  /* New certificates, maybe a new port: the probe asks kind for the kubeconfig again. */
  g_clear_object (&self->probe->client);

  if (dr_kind_create_finish (DR_KIND (object), result, &error))
    {
      finish_with_state (task);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail_after_state (task, error);
      return;
    }

  /* kind was ended half-way: leave no half-made cluster behind. */
  job->error = error;
  _dr_operation_set_step (job->op, _("Removing the half-made cluster…"));
  dr_kind_delete_async (self->kind, NULL, create_cleanup_cb, task);
}

static void
create_config_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autoptr(DrKindConfig) config = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonArray *nodes;
  GError *error = NULL;

  config = dr_kind_config_detect_finish (result, &error);
  if (config == NULL)
    {
      job_return_error (task, error);
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
          _dr_operation_log (job->op, line);
        }
    }

  set_state (self, DR_CLUSTER_STATE_STARTING, _("The cluster is being created."));
  job_stream_kind_lines (task);
  _dr_operation_set_step (job->op, _("Creating the cluster (the first time, kind downloads "
                                     "its node image)…"));
  dr_kind_create_async (self->kind, config, job_cancellable (task), create_done_cb, task);
}

static void
create_state_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  GError *error = NULL;

  if (!update_state_finish (result, &error))
    {
      job_return_error (task, error);
      return;
    }
  if (self->state != DR_CLUSTER_STATE_ABSENT)
    {
      job_return_error (task, g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                           _("A kind cluster named “%s” already exists. Start "
                                             "it if it is stopped, or delete it first to "
                                             "create it anew."),
                                           self->name));
      return;
    }

  _dr_operation_set_step (job->op, _("Looking for the Docker socket and Nix on this "
                                     "computer…"));
  dr_kind_config_detect_async (self->name, NULL, job_cancellable (task), create_config_cb,
                               task);
}

static void
create_check (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);

  update_state_async (self, job_cancellable (task), create_state_cb, task);
}

DrOperation *
dr_cluster_create (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  return run_kind_verb (self, g_strdup_printf (_("Creating the kind cluster “%s”"),
                                               self->name != NULL ? self->name : ""),
                        create_check);
}


/* Start */

static void
start_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  GTask *task = data;
  GError *error = NULL;

  if (dr_kind_start_finish (DR_KIND (object), result, &error))
    finish_with_state (task);
  else
    fail_after_state (task, error);
}

static void
start_state_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autofree char *step = NULL;
  GError *error = NULL;

  if (!update_state_finish (result, &error))
    {
      job_return_error (task, error);
      return;
    }
  if (self->state == DR_CLUSTER_STATE_ABSENT)
    {
      job_return_error (task, g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                                           _("There is no kind cluster named “%s” to start. "
                                             "Create it first."),
                                           self->name));
      return;
    }
  if (self->state == DR_CLUSTER_STATE_READY)
    {
      _dr_operation_log (job->op, _("The cluster already runs."));
      finish_with_state (task);
      return;
    }

  set_state (self, DR_CLUSTER_STATE_STARTING, _("The cluster is starting."));
  job_stream_kind_lines (task);
  step = g_strdup_printf (_("Starting the node container %s…"),
                          dr_kind_get_node_container (self->kind));
  _dr_operation_set_step (job->op, step);
  dr_kind_start_async (self->kind, (self->start_timeout_ms + 999) / 1000, job_cancellable (task),
                       start_done_cb, task);
}

static void
start_check (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);

  update_state_async (self, job_cancellable (task), start_state_cb, task);
}

DrOperation *
dr_cluster_start (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  return run_kind_verb (self, g_strdup_printf (_("Starting the kind cluster “%s”"),
                                               self->name != NULL ? self->name : ""),
                        start_check);
}


/* Delete */

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  GError *error = NULL;

  g_clear_object (&self->probe->client);
  if (dr_kind_delete_finish (DR_KIND (object), result, &error))
    finish_with_state (task);
  else
    fail_after_state (task, error);
}

static void
delete_run (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  job_stream_kind_lines (task);
  _dr_operation_set_step (job->op, _("Deleting the cluster and everything in it…"));
  dr_kind_delete_async (self->kind, job_cancellable (task), delete_done_cb, task);
}

DrOperation *
dr_cluster_delete (DrCluster *self)
{
  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  return run_kind_verb (self, g_strdup_printf (_("Deleting the kind cluster “%s”"),
                                               self->name != NULL ? self->name : ""),
                        delete_run);
}


/* Install the controller */

static char *
duration_text (guint milliseconds)
{
  guint seconds = (milliseconds + 999) / 1000;

  return g_strdup_printf (ngettext ("%u second", "%u seconds", seconds),
                          seconds);
}

/* Waits watch (DrKubeWait, DESIGN.md "How data flows"): stores narrowed to what is waited
 * for, made for one wait and stopped when it ends. */

/* A store of @plural in @namespace_ (NULL: cluster-scoped), narrowed to the object @name
 * and/or by @label_selector, for the next job_wait(). */
static DrKubeStore *
job_watch (GTask      *task,
           const char *api_version,
           const char *plural,
           const char *namespace_,
           const char *name,
           const char *label_selector)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autofree char *field_selector = NULL;
  DrKubeListOptions options = { 0, };
  DrKubeStore *store;

  if (name != NULL)
    field_selector = g_strdup_printf ("metadata.name=%s", name);
  options.field_selector = field_selector;
  options.label_selector = label_selector;
  store = dr_kube_store_new (self->client, api_version, plural, namespace_, &options);
  if (job->stores == NULL)
    job->stores = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (job->stores, store);
  return store;
}

static DrKubeStore *
job_store (GTask *task,
           guint  index)
{
  return g_ptr_array_index (job_of (task)->stores, index);
}

/* Waits until @check (given @task) holds of the job's stores; @callback gets the task. */
static void
job_wait (GTask               *task,
          guint                timeout_ms,
          DrKubeWaitCheck      check,
          GAsyncReadyCallback  callback)
{
  Job *job = job_of (task);

  dr_kube_wait_async ((DrKubeStore * const *) job->stores->pdata, job->stores->len, timeout_ms,
                      check, task, job_cancellable (task), callback, task);
}

/* Whether every store of the job is synced: when one is not, what it says is the reason. */
static gboolean
job_stores_synced (GTask *task)
{
  Job *job = job_of (task);

  for (guint i = 0; i < job->stores->len; i++)
    if (!dr_kube_store_get_synced (g_ptr_array_index (job->stores, i)))
      return FALSE;
  return TRUE;
}

/* The controller: its Deployment (store 0) and pods (store 1). Until it is available, each
 * look tells why not, as the controller pod's status says. */
static gboolean
controller_available (gpointer data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  JsonNode *deployment = dr_kube_store_get (job_store (task, 0), self->controller_namespace,
                                            DR_ARC_CONTROLLER_FULLNAME);
  g_autoptr(GPtrArray) pods = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *detail = NULL;
  JsonArray *items;

  if (deployment != NULL && deployment_is_available (deployment))
    return TRUE;

  pods = dr_kube_store_list (job_store (task, 1));
  items = json_array_sized_new (pods->len);
  for (guint i = 0; i < pods->len; i++)
    json_array_add_element (items, json_node_copy (g_ptr_array_index (pods, i)));
  list = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (list, json_object_new ());
  json_object_set_array_member (json_node_get_object (list), "items", items);

  detail = dr_arc_controller_describe_progress (deployment, list);
  set_controller (self, DR_CONTROLLER_STATE_STARTING, DR_ARC_VERSION, detail);
  if (g_strcmp0 (detail, job->last_detail) != 0)
    {
      _dr_operation_log (job->op, detail);
      g_free (job->last_detail);
      job->last_detail = g_steal_pointer (&detail);
    }
  return FALSE;
}

static void
install_controller_waited_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  GError *error = NULL;
  gboolean synced = job_stores_synced (task);

  job_stop_stores (job);
  if (!dr_kube_wait_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *within = duration_text (self->controller_timeout_ms);
          g_autofree char *why = g_strdup (synced && job->last_detail != NULL
                                           ? job->last_detail : error->message);

          g_clear_error (&error);
          error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("ARC’s controller did not become available within %s: its "
                                 "Deployment %s in namespace %s still lacks the condition "
                                 "Available=True. %s"),
                               within, DR_ARC_CONTROLLER_FULLNAME, self->controller_namespace,
                               why);
        }
      job_return_error (task, error);
      return;
    }

  set_controller (self, DR_CONTROLLER_STATE_READY, DR_ARC_VERSION, NULL);
  _dr_operation_log (job->op, _("ARC’s controller is available."));
  job_return_success (task);
}

static void
install_wait_controller (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  g_autofree char *selector = dr_arc_controller_pod_selector (self->controller_namespace);

  job_watch (task, "apps/v1", "deployments", self->controller_namespace,
             DR_ARC_CONTROLLER_FULLNAME, NULL);
  job_watch (task, "v1", "pods", self->controller_namespace, NULL, selector);
  job_wait (task, self->controller_timeout_ms, controller_available,
            install_controller_waited_cb);
}

static void install_apply_object (GTask *task);

static void
install_object_applied_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);
  g_autoptr(JsonNode) applied = NULL;
  GError *error = NULL;

  applied = dr_kube_client_apply_finish (DR_KUBE_CLIENT (object), result, &error);
  if (applied == NULL)
    {
      job_return_error (task, error);
      return;
    }
  job->index++;
  _dr_operation_set_fraction (job->op, FRACTION_CRDS + (FRACTION_OBJECTS - FRACTION_CRDS) *
                                       job->index / job->objects->len);
  install_apply_object (task);
}

static void
install_apply_object (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  JsonNode *object;
  const char *kind;
  const char *name;

  if (job->index == job->objects->len)
    {
      set_controller (self, DR_CONTROLLER_STATE_STARTING, DR_ARC_VERSION,
                      _("The controller is starting."));
      _dr_operation_set_step (job->op, _("Waiting for ARC’s controller to start (the first "
                                         "time, the cluster downloads its image)…"));
      install_wait_controller (task);
      return;
    }

  object = g_ptr_array_index (job->objects, job->index);
  kind = dr_json_get_string (object, "kind", NULL);
  name = dr_json_get_string (object, "metadata", "name", NULL);
  path = dr_kube_path (dr_json_get_string (object, "apiVersion", NULL),
                       dr_arc_controller_plural (kind),
                       dr_json_get_string (object, "metadata", "namespace", NULL), name);
  line = g_strdup_printf (_("Applying %s %s"), kind, name);
  _dr_operation_log (job->op, line);
  dr_kube_client_apply_async (self->client, path, object, DR_KUBE_WRITE_NONE,
                              job_cancellable (task), install_object_applied_cb, task);
}

/* The CRDs, one store each: Established=True, all of them. Each look lists in job->missing
 * those that are not, and why when their names are refused. */
static gboolean
crds_established (gpointer data)
{
  GTask *task = data;
  Job *job = job_of (task);

  g_string_truncate (job->missing, 0);
  for (guint i = 0; i < job->crds->len; i++)
    {
      const char *name = dr_json_get_string (g_ptr_array_index (job->crds, i),
                                             "metadata", "name", NULL);
      JsonNode *crd = dr_kube_store_get (job_store (task, i), NULL, name);
      const char *reason = NULL;
      const char *message = NULL;
      const char *names;

      if (crd != NULL &&
          g_strcmp0 (dr_arc_get_condition (crd, "Established", NULL, NULL), "True") == 0)
        continue;
      g_string_append_printf (job->missing, "%s%s", job->missing->len > 0 ? ", " : "", name);
      names = crd != NULL ? dr_arc_get_condition (crd, "NamesAccepted", &reason, &message)
                          : NULL;
      if (g_strcmp0 (names, "False") == 0)
        g_string_append_printf (job->missing, _(" (its names are not accepted: %s)"),
                                message != NULL ? message : reason != NULL ? reason : "?");
    }
  return job->missing->len == 0;
}

static void
install_crds_waited_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  GError *error = NULL;
  gboolean synced = job_stores_synced (task);

  if (!dr_kube_wait_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *within = duration_text (self->crds_timeout_ms);
          g_autoptr(GString) message = g_string_new (NULL);

          crds_established (task);
          g_string_printf (message, _("The cluster did not establish ARC’s definitions within "
                                      "%s: %s still lack the condition Established=True."),
                           within, job->missing->str);
          if (!synced)
            g_string_append_printf (message, " %s", error->message);
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message->str);
        }
      job_stop_stores (job);
      job_return_error (task, error);
      return;
    }

  job_stop_stores (job);
  _dr_operation_set_fraction (job->op, FRACTION_CRDS);
  job->objects = dr_arc_controller_render (self->controller_namespace);
  job->index = 0;
  _dr_operation_set_step (job->op, _("Installing ARC’s controller…"));
  install_apply_object (task);
}

/* Watches every CRD until the cluster has established them all. */
static void
install_wait_crds (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  job->missing = g_string_new (NULL);
  for (guint i = 0; i < job->crds->len; i++)
    job_watch (task, CRD_API_VERSION, CRD_PLURAL, NULL,
               dr_json_get_string (g_ptr_array_index (job->crds, i), "metadata", "name", NULL),
               NULL);
  job_wait (task, self->crds_timeout_ms, crds_established, install_crds_waited_cb);
}

static void install_apply_crd (GTask *task);

static void
install_crd_applied_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);
  g_autoptr(JsonNode) applied = NULL;
  GError *error = NULL;

  applied = dr_kube_client_apply_finish (DR_KUBE_CLIENT (object), result, &error);
  if (applied == NULL)
    {
      job_return_error (task, error);
      return;
    }
  job->index++;
  _dr_operation_set_fraction (job->op, FRACTION_CHART + (FRACTION_CRDS - FRACTION_CHART) *
                                       job->index / (job->crds->len + 1));
  install_apply_crd (task);
}

/* Server-side apply: the CRDs are too large for a last-applied annotation (FACTS.md §3). */
static void
install_apply_crd (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  JsonNode *crd;
  const char *name;

  if (job->index == job->crds->len)
    {
      _dr_operation_set_step (job->op, _("Waiting until the cluster knows ARC’s kinds…"));
      install_wait_crds (task);
      return;
    }

  crd = g_ptr_array_index (job->crds, job->index);
  name = dr_json_get_string (crd, "metadata", "name", NULL);
  path = dr_kube_path (CRD_API_VERSION, CRD_PLURAL, NULL, name);
  line = g_strdup_printf (_("Applying CustomResourceDefinition %s"), name);
  _dr_operation_log (job->op, line);
  dr_kube_client_apply_async (self->client, path, crd, DR_KUBE_WRITE_NONE,
                              job_cancellable (task), install_crd_applied_cb, task);
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
  GTask *task = data;
  Job *job = job_of (task);
  GError *error = NULL;

  job->crds = g_task_propagate_pointer (G_TASK (result), &error);
  if (job->crds == NULL)
    {
      job_return_error (task, error);
      return;
    }
  job->index = 0;
  _dr_operation_set_step (job->op, _("Applying ARC’s CustomResourceDefinitions…"));
  install_apply_crd (task);
}

static void
install_chart_progress (goffset  received,
                        goffset  total,
                        gpointer data)
{
  Job *job = data;

  _dr_operation_set_fraction (job->op, FRACTION_CHART * received / total);
}

static void
install_chart_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);
  g_autofree char *warning = NULL;
  g_autoptr(GTask) parse = NULL;
  DrChart *chart;
  GError *error = NULL;

  chart = dr_oci_chart_load_finish (DR_OCI_CHART (object), result, &warning, &error);
  if (chart == NULL)
    {
      job_return_error (task, error);
      return;
    }
  if (warning != NULL)
    _dr_operation_log (job->op, warning);
  _dr_operation_set_fraction (job->op, FRACTION_CHART);

  parse = g_task_new (NULL, job_cancellable (task), install_parsed_cb, task);
  g_task_set_source_tag (parse, parse_crds_thread);
  g_task_set_task_data (parse, chart, (GDestroyNotify) dr_chart_free);
  g_task_run_in_thread (parse, parse_crds_thread);
}

static void
install_chart (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  set_controller (self, DR_CONTROLLER_STATE_INSTALLING, self->controller_version,
                  _("ARC’s controller is being installed."));
  job->oci = dr_oci_chart_new ();
  if (job->chart_file != NULL)
    {
      dr_oci_chart_set_local_file (job->oci, job->chart_file);
      _dr_operation_set_step (job->op, _("Reading ARC’s chart…"));
    }
  else
    {
      if (self->chart_registry != NULL)
        dr_oci_chart_set_registry_url (job->oci, self->chart_registry);
      _dr_operation_set_step (job->op, _("Getting ARC’s chart (downloaded once, then taken "
                                         "from the cache)…"));
    }
  dr_oci_chart_load_async (job->oci, install_chart_progress, job, job_cancellable (task),
                           install_chart_cb, task);
}

static void install_relabel (GTask *task);

static void
install_relabelled_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);
  g_autoptr(JsonNode) patched = NULL;
  GError *error = NULL;

  patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object), result, &error);
  if (patched == NULL)
    {
      job_return_error (task, error);
      return;
    }
  job->index++;
  install_relabel (task);
}

/* The scale sets get DR_ARC_VERSION's label, which the new controller accepts. */
static void
install_relabel (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  JsonNode *ars;
  const char *name;
  const char *namespace_;

  if (job->index == job->stale->len)
    {
      install_chart (task);
      return;
    }

  ars = g_ptr_array_index (job->stale, job->index);
  name = dr_json_get_string (ars, "metadata", "name", NULL);
  namespace_ = dr_json_get_string (ars, "metadata", "namespace", NULL);
  line = g_strdup_printf (_("Labelling scale set %s in namespace %s for ARC %s"), name,
                          namespace_, DR_ARC_VERSION);
  _dr_operation_log (job->op, line);

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

  path = dr_kube_path (ARS_API_VERSION, ARS_PLURAL, namespace_, name);
  dr_kube_client_merge_patch_async (self->client, path, patch, DR_KUBE_WRITE_NONE,
                                    job_cancellable (task), install_relabelled_cb, task);
}

/* The old controller's pods (store 0): gone. */
static gboolean
old_pods_gone (gpointer data)
{
  return dr_kube_store_get_n_objects (job_store (data, 0)) == 0;
}

static void
install_old_pods_waited_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  GError *error = NULL;
  gboolean synced = job_stores_synced (task);

  job_stop_stores (job);
  if (!dr_kube_wait_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_autofree char *within = duration_text (self->controller_timeout_ms);
          g_autoptr(GString) message = g_string_new (NULL);

          g_string_printf (message, _("The old controller (ARC %s) did not stop within %s, so "
                                      "its scale sets were not re-labelled."),
                           job->info->version, within);
          if (!synced)
            g_string_append_printf (message, " %s", error->message);
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, message->str);
        }
      job_return_error (task, error);
      return;
    }
  job->index = 0;
  install_relabel (task);
}

static void
install_wait_old_pods (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autofree char *selector = deployment_pod_selector (job->info->deployment);

  if (selector == NULL)
    selector = dr_arc_controller_pod_selector (self->controller_namespace);
  job_watch (task, "v1", "pods", self->controller_namespace, NULL, selector);
  job_wait (task, self->controller_timeout_ms, old_pods_gone, install_old_pods_waited_cb);
}

static void
install_stopped_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  GTask *task = data;
  g_autoptr(JsonNode) patched = NULL;
  GError *error = NULL;

  patched = dr_kube_client_merge_patch_finish (DR_KUBE_CLIENT (object), result, &error);
  if (patched == NULL)
    {
      job_return_error (task, error);
      return;
    }
  install_wait_old_pods (task);
}

/* The old controller must be gone before its scale sets carry the new version: it deletes
 * every scale set whose version is not its own, whichever way the difference goes. */
static void
install_migrate (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *step = NULL;

  if (job->info->deployment == NULL || dr_arc_version_is_compatible (job->info->version))
    {
      job->index = 0;
      install_relabel (task);
      return;
    }

  step = g_strdup_printf (_("Stopping the old controller (ARC %s)…"),
                          job->info->version != NULL ? job->info->version : "?");
  _dr_operation_set_step (job->op, step);
  patch = json_from_string ("{\"spec\": {\"replicas\": 0}}", NULL);
  path = dr_kube_path ("apps/v1", "deployments", self->controller_namespace,
                       DR_ARC_CONTROLLER_FULLNAME);
  dr_kube_client_merge_patch_async (self->client, path, patch, DR_KUBE_WRITE_NONE,
                                    job_cancellable (task), install_stopped_cb, task);
}

static void
install_scale_sets_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      data)
{
  GTask *task = data;
  Job *job = job_of (task);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GString) names = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  list = dr_kube_client_list_all_finish (DR_KUBE_CLIENT (object), result, &error);
  /* No such kind: ARC's CRDs are not installed, so there is no scale set either. */
  if (list == NULL && !g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
    {
      job_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->stale = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
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
      g_ptr_array_add (job->stale, json_node_ref (ars));
      g_string_append_printf (names, "%s%s/%s (%s)", names->len > 0 ? ", " : "", namespace_,
                              name, version != NULL ? version : _("no version label"));
    }

  if (job->stale->len == 0)
    {
      install_chart (task);
      return;
    }
  if (!(job->flags & DR_CONTROLLER_INSTALL_MIGRATE))
    {
      job_return_error (task,
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
  install_migrate (task);
}

static void
install_detect_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);
  g_autofree char *path = NULL;
  GError *error = NULL;

  job->info = detect_controller_finish (result, &error);
  if (job->info == NULL)
    {
      job_return_error (task, error);
      return;
    }
  /* Two controllers would both act on every scale set. */
  if (job->info->deployment != NULL && !job->info->ours)
    {
      job_return_error (task,
                        g_error_new (DR_ERROR, DR_ERROR_CONFLICT,
                                     _("ARC’s controller %s already runs in this cluster as "
                                       "Deployment %s in namespace %s, installed by another "
                                       "tool than deskrun. Two controllers would both act on "
                                       "every scale set: remove that one first (for example "
                                       "with helm uninstall) to let deskrun install its own."),
                                     job->info->version != NULL ? job->info->version : "",
                                     dr_json_get_string (job->info->deployment, "metadata", "name",
                                                    NULL),
                                     dr_json_get_string (job->info->deployment, "metadata",
                                                    "namespace", NULL)));
      return;
    }

  _dr_operation_set_step (job->op, _("Looking for scale sets of other ARC versions…"));
  path = dr_kube_path (ARS_API_VERSION, ARS_PLURAL, NULL, NULL);
  dr_kube_client_list_all_async (self->client, path, NULL, job_cancellable (task),
                                 install_scale_sets_cb, task);
}

static void
install_detect (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);
  Job *job = job_of (task);

  _dr_operation_set_step (job->op, _("Looking for ARC’s controller…"));
  detect_controller_async (self, job_cancellable (task), install_detect_cb, task);
}

static void
install_state_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  GTask *task = data;
  DrCluster *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!update_state_finish (result, &error))
    {
      job_return_error (task, error);
      return;
    }
  if (self->state != DR_CLUSTER_STATE_READY || self->client == NULL)
    {
      job_return_error (task, g_error_new (DR_ERROR, DR_ERROR_FAILED,
                                           _("The cluster is not ready, so ARC’s controller "
                                             "cannot be installed: %s"),
                                           self->state_detail != NULL ? self->state_detail
                                                                      : _("no answer")));
      return;
    }
  install_detect (task);
}

static void
install_begin (GTask *task)
{
  DrCluster *self = g_task_get_source_object (task);

  _dr_operation_set_step (job_of (task)->op, _("Asking the cluster how it is…"));
  update_state_async (self, job_cancellable (task), install_state_cb, task);
}

DrOperation *
dr_cluster_install_controller (DrCluster                *self,
                               const char               *chart_file,
                               DrControllerInstallFlags  flags)
{
  g_autofree char *title = NULL;
  DrOperation *op = NULL;
  GTask *task;
  Job *job;

  g_return_val_if_fail (DR_IS_CLUSTER (self), NULL);

  title = g_strdup_printf (_("Installing ARC’s controller %s"), DR_ARC_VERSION);
  if ((task = job_new (self, title, TRUE, &op)) == NULL)
    return op;

  job = job_of (task);
  job->installs = TRUE;
  job->chart_file = g_strdup (chart_file);
  job->flags = flags;
  if (self->is_kind)
    ensure_kind (task, FALSE, install_begin);
  else
    install_begin (task);
  return op;
}
