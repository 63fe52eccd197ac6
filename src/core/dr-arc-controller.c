/* dr-arc-controller.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-arc-controller.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-yaml.h"

#define RBAC_API_VERSION "rbac.authorization.k8s.io/v1"
#define RBAC_API_GROUP   "rbac.authorization.k8s.io"
#define CRD_API_VERSION  "apiextensions.k8s.io/v1"
#define CRD_KIND         "CustomResourceDefinition"
#define HELM_CHART_LABEL DR_ARC_CONTROLLER_BASE_NAME "-" DR_ARC_VERSION

/* The flags the chart renders by default (FACTS.md §3), with metrics switched on so the UI
 * can read the listeners' job totals (FACTS.md §4.2). --update-strategy goes away in 0.15. */
static const char * const controller_args[] = {
  "--auto-scaling-runner-set-only",
  "--log-level=debug",
  "--log-format=text",
  "--runner-max-concurrent-reconciles=2",
  "--update-strategy=immediate",
  "--listener-metrics-addr=:8080",
  "--listener-metrics-endpoint=/metrics",
  "--metrics-addr=:8080",
};

/* The four kinds of the chart's crds/ folder, in the order the ClusterRole lists them. */
static const char * const arc_resources[] = {
  DR_ARC_PLURAL_SCALE_SETS,
  DR_ARC_PLURAL_LISTENERS,
  DR_ARC_PLURAL_EPHEMERAL_RUNNER_SETS,
  DR_ARC_PLURAL_EPHEMERAL_RUNNERS,
};

/* Small JsonBuilder helpers: members are added in a fixed order, so the same input always
 * gives the same JSON. */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
begin_object_member (JsonBuilder *builder,
                     const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
}

static void
begin_array_member (JsonBuilder *builder,
                    const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *name,
                  const char * const *values,
                  gsize               n_values)
{
  begin_array_member (builder, name);
  for (gsize i = 0; i < n_values; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_selector_labels (JsonBuilder *builder,
                     const char  *namespace_)
{
  add_string (builder, "app.kubernetes.io/name", DR_ARC_CONTROLLER_BASE_NAME);
  add_string (builder, "app.kubernetes.io/namespace", namespace_);
  add_string (builder, "app.kubernetes.io/instance", DR_ARC_CONTROLLER_RELEASE);
}

/* The chart's common labels, with deskrun as the manager instead of Helm. */
static void
add_common_labels (JsonBuilder *builder,
                   const char  *namespace_)
{
  add_string (builder, "helm.sh/chart", HELM_CHART_LABEL);
  add_selector_labels (builder, namespace_);
  add_string (builder, "app.kubernetes.io/version", DR_ARC_VERSION);
  add_string (builder, "app.kubernetes.io/part-of", DR_ARC_CONTROLLER_BASE_NAME);
  add_string (builder, "app.kubernetes.io/managed-by", DR_LABEL_MANAGED_BY_VALUE);
}

/* Opens the object and writes apiVersion, kind and metadata (name, namespace when not NULL,
 * the common labels). The caller adds the rest and closes the object. */
static void
begin_resource (JsonBuilder *builder,
                const char  *api_version,
                const char  *kind,
                const char  *name,
                const char  *object_namespace,
                const char  *controller_namespace,
                gboolean     service_account_labels)
{
  json_builder_begin_object (builder);
  add_string (builder, "apiVersion", api_version);
  add_string (builder, "kind", kind);
  begin_object_member (builder, "metadata");
  add_string (builder, "name", name);
  if (object_namespace != NULL)
    add_string (builder, "namespace", object_namespace);
  begin_object_member (builder, "labels");
  add_common_labels (builder, controller_namespace);
  /* Only helm's scale-set chart reads these, to find the controller (FACTS.md §2.7); kept so
   * that a scale set installed with helm still finds a controller deskrun installed. */
  if (service_account_labels)
    {
      add_string (builder, "actions.github.com/controller-service-account-namespace",
                  controller_namespace);
      add_string (builder, "actions.github.com/controller-service-account-name",
                  DR_ARC_CONTROLLER_SA);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static JsonNode *
end_resource (JsonBuilder *builder)
{
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_rule (JsonBuilder        *builder,
          const char         *api_group,
          const char         *resource,
          const char * const *verbs,
          gsize               n_verbs)
{
  json_builder_begin_object (builder);
  add_string_array (builder, "apiGroups", &api_group, 1);
  add_string_array (builder, "resources", &resource, 1);
  add_string_array (builder, "verbs", verbs, n_verbs);
  json_builder_end_object (builder);
}

static void
add_service_account_subject (JsonBuilder *builder,
                             const char  *namespace_)
{
  begin_array_member (builder, "subjects");
  json_builder_begin_object (builder);
  add_string (builder, "kind", "ServiceAccount");
  add_string (builder, "name", DR_ARC_CONTROLLER_SA);
  add_string (builder, "namespace", namespace_);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

static void
add_role_ref (JsonBuilder *builder,
              const char  *kind,
              const char  *name)
{
  begin_object_member (builder, "roleRef");
  add_string (builder, "apiGroup", RBAC_API_GROUP);
  add_string (builder, "kind", kind);
  add_string (builder, "name", name);
  json_builder_end_object (builder);
}

static JsonNode *
render_namespace (const char *namespace_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, "v1", "Namespace", namespace_, NULL, namespace_, FALSE);
  return end_resource (builder);
}

static JsonNode *
render_service_account (const char *namespace_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, "v1", "ServiceAccount", DR_ARC_CONTROLLER_SA, namespace_,
                  namespace_, FALSE);
  return end_resource (builder);
}

/* FACTS.md §3: full access to the four ARC kinds, their status and finalizers; pods,
 * service accounts and role bindings listed and watched; roles also patched. Secrets and
 * config maps are read uncached, so there is no cluster-wide secret access. */
static JsonNode *
render_cluster_role (const char *namespace_)
{
  static const char * const crud[] = {
    "create", "delete", "get", "list", "patch", "update", "watch",
  };
  static const char * const status_verbs[] = { "get", "patch", "update" };
  static const char * const finalizer_verbs[] = { "patch", "update" };
  static const char * const list_watch[] = { "list", "watch" };
  static const char * const list_watch_patch[] = { "list", "watch", "patch" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, RBAC_API_VERSION, "ClusterRole", DR_ARC_CONTROLLER_FULLNAME, NULL,
                  namespace_, FALSE);
  begin_array_member (builder, "rules");
  for (guint i = 0; i < G_N_ELEMENTS (arc_resources); i++)
    {
      g_autofree char *status = g_strconcat (arc_resources[i], "/status", NULL);
      g_autofree char *finalizers = g_strconcat (arc_resources[i], "/finalizers", NULL);

      add_rule (builder, DR_ARC_API_GROUP, arc_resources[i], crud, G_N_ELEMENTS (crud));
      add_rule (builder, DR_ARC_API_GROUP, status, status_verbs, G_N_ELEMENTS (status_verbs));
      add_rule (builder, DR_ARC_API_GROUP, finalizers, finalizer_verbs,
                G_N_ELEMENTS (finalizer_verbs));
    }
  add_rule (builder, "", "pods", list_watch, G_N_ELEMENTS (list_watch));
  add_rule (builder, "", "serviceaccounts", list_watch, G_N_ELEMENTS (list_watch));
  add_rule (builder, RBAC_API_GROUP, "rolebindings", list_watch, G_N_ELEMENTS (list_watch));
  add_rule (builder, RBAC_API_GROUP, "roles", list_watch_patch,
            G_N_ELEMENTS (list_watch_patch));
  json_builder_end_array (builder);
  return end_resource (builder);
}

static JsonNode *
render_cluster_role_binding (const char *namespace_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, RBAC_API_VERSION, "ClusterRoleBinding", DR_ARC_CONTROLLER_FULLNAME,
                  NULL, namespace_, FALSE);
  add_role_ref (builder, "ClusterRole", DR_ARC_CONTROLLER_FULLNAME);
  add_service_account_subject (builder, namespace_);
  return end_resource (builder);
}

/* What the controller needs in its own namespace to run the listeners there. */
static JsonNode *
render_listener_role (const char *namespace_)
{
  static const char * const pod_verbs[] = { "create", "delete", "get" };
  static const char * const get[] = { "get" };
  static const char * const write_verbs[] = { "create", "delete", "get", "patch", "update" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, RBAC_API_VERSION, "Role", DR_ARC_CONTROLLER_LISTENER_ROLE,
                  namespace_, namespace_, FALSE);
  begin_array_member (builder, "rules");
  add_rule (builder, "", "pods", pod_verbs, G_N_ELEMENTS (pod_verbs));
  add_rule (builder, "", "pods/status", get, G_N_ELEMENTS (get));
  add_rule (builder, "", "secrets", write_verbs, G_N_ELEMENTS (write_verbs));
  add_rule (builder, "", "serviceaccounts", write_verbs, G_N_ELEMENTS (write_verbs));
  json_builder_end_array (builder);
  return end_resource (builder);
}

static JsonNode *
render_listener_role_binding (const char *namespace_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, RBAC_API_VERSION, "RoleBinding", DR_ARC_CONTROLLER_LISTENER_ROLE,
                  namespace_, namespace_, FALSE);
  add_role_ref (builder, "Role", DR_ARC_CONTROLLER_LISTENER_ROLE);
  add_service_account_subject (builder, namespace_);
  return end_resource (builder);
}

static void
add_container (JsonBuilder *builder)
{
  static const char * const command[] = { "/manager" };

  json_builder_begin_object (builder);
  add_string (builder, "name", DR_ARC_CONTROLLER_CONTAINER);
  add_string (builder, "image", DR_ARC_CONTROLLER_IMAGE);
  add_string (builder, "imagePullPolicy", "IfNotPresent");
  add_string_array (builder, "command", command, G_N_ELEMENTS (command));
  add_string_array (builder, "args", controller_args, G_N_ELEMENTS (controller_args));

  begin_array_member (builder, "env");
  /* The listener image; the manager exits without it. */
  json_builder_begin_object (builder);
  add_string (builder, "name", "CONTROLLER_MANAGER_CONTAINER_IMAGE");
  add_string (builder, "value", DR_ARC_CONTROLLER_IMAGE);
  json_builder_end_object (builder);
  /* Where the listeners go. */
  json_builder_begin_object (builder);
  add_string (builder, "name", "CONTROLLER_MANAGER_POD_NAMESPACE");
  begin_object_member (builder, "valueFrom");
  begin_object_member (builder, "fieldRef");
  add_string (builder, "fieldPath", "metadata.namespace");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  begin_array_member (builder, "ports");
  json_builder_begin_object (builder);
  add_string (builder, "name", "metrics");
  add_int (builder, "containerPort", DR_ARC_METRICS_PORT);
  add_string (builder, "protocol", "TCP");
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  begin_array_member (builder, "volumeMounts");
  json_builder_begin_object (builder);
  add_string (builder, "name", "tmp");
  add_string (builder, "mountPath", "/tmp");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static JsonNode *
render_deployment (const char *namespace_)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin_resource (builder, "apps/v1", "Deployment", DR_ARC_CONTROLLER_FULLNAME, namespace_,
                  namespace_, TRUE);
  begin_object_member (builder, "spec");
  add_int (builder, "replicas", 1);
  begin_object_member (builder, "selector");
  begin_object_member (builder, "matchLabels");
  add_selector_labels (builder, namespace_);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  begin_object_member (builder, "template");
  begin_object_member (builder, "metadata");
  begin_object_member (builder, "annotations");
  add_string (builder, "kubectl.kubernetes.io/default-container", DR_ARC_CONTROLLER_CONTAINER);
  json_builder_end_object (builder);
  begin_object_member (builder, "labels");
  add_string (builder, "app.kubernetes.io/part-of", DR_ARC_CONTROLLER_BASE_NAME);
  add_string (builder, "app.kubernetes.io/component", "controller-manager");
  add_string (builder, "app.kubernetes.io/version", DR_ARC_VERSION);
  add_selector_labels (builder, namespace_);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  begin_object_member (builder, "spec");
  add_string (builder, "serviceAccountName", DR_ARC_CONTROLLER_SA);
  begin_array_member (builder, "containers");
  add_container (builder);
  json_builder_end_array (builder);
  add_int (builder, "terminationGracePeriodSeconds", 10);
  begin_array_member (builder, "volumes");
  json_builder_begin_object (builder);
  add_string (builder, "name", "tmp");
  begin_object_member (builder, "emptyDir");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);   /* template.spec */
  json_builder_end_object (builder);   /* template */
  json_builder_end_object (builder);   /* spec */
  return end_resource (builder);
}

GPtrArray *
dr_arc_controller_render (const char *namespace_)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (namespace_ == NULL)
    namespace_ = DR_DEFAULT_CONTROLLER_NAMESPACE;

  g_ptr_array_add (objects, render_namespace (namespace_));
  g_ptr_array_add (objects, render_service_account (namespace_));
  g_ptr_array_add (objects, render_cluster_role (namespace_));
  g_ptr_array_add (objects, render_cluster_role_binding (namespace_));
  g_ptr_array_add (objects, render_listener_role (namespace_));
  g_ptr_array_add (objects, render_listener_role_binding (namespace_));
  g_ptr_array_add (objects, render_deployment (namespace_));
  return objects;
}

char *
dr_arc_controller_pod_selector (const char *namespace_)
{
  if (namespace_ == NULL)
    namespace_ = DR_DEFAULT_CONTROLLER_NAMESPACE;

  return g_strdup_printf ("app.kubernetes.io/name=" DR_ARC_CONTROLLER_BASE_NAME ","
                          "app.kubernetes.io/namespace=%s,"
                          "app.kubernetes.io/instance=" DR_ARC_CONTROLLER_RELEASE,
                          namespace_);
}



/* Reading objects. Everything here comes from a file or a server: never assume a shape. */

static gboolean
check_crd (JsonNode    *document,
           const char  *file_name,
           guint        index,
           GError     **error)
{
  const char *name = dr_json_get_string (document, "metadata", "name", NULL);

  if (g_strcmp0 (dr_json_get_string (document, "apiVersion", NULL), CRD_API_VERSION) != 0 ||
      g_strcmp0 (dr_json_get_string (document, "kind", NULL), CRD_KIND) != 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Document %u of the chart file %s is not a CustomResourceDefinition "
                     "(apiextensions.k8s.io/v1)."),
                   index + 1, file_name);
      return FALSE;
    }
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("A CustomResourceDefinition in the chart file %s has no name."),
                   file_name);
      return FALSE;
    }
  if (g_strcmp0 (dr_json_get_string (document, "spec", "group", NULL), DR_ARC_API_GROUP) != 0 ||
      !g_str_has_suffix (name, "." DR_ARC_API_GROUP))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The chart file %s defines %s, which is not one of ARC’s kinds (group "
                     "%s). deskrun installs only ARC’s own definitions."),
                   file_name, name, DR_ARC_API_GROUP);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
dr_arc_controller_parse_crds (const char  *file_name,
                              GBytes      *contents,
                              GError     **error)
{
  g_autoptr(GPtrArray) documents = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (file_name != NULL, NULL);
  g_return_val_if_fail (contents != NULL, NULL);

  data = g_bytes_get_data (contents, &length);
  documents = dr_yaml_parse_all (data != NULL ? data : "", length, file_name, error);
  if (documents == NULL)
    return NULL;
  if (documents->len == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The chart file %s holds no CustomResourceDefinition."), file_name);
      return NULL;
    }
  for (guint i = 0; i < documents->len; i++)
    if (!check_crd (g_ptr_array_index (documents, i), file_name, i, error))
      return NULL;

  return g_steal_pointer (&documents);
}

/* "v0.14.2" / "0.14.2-rc.1" → major and minor. */
static gboolean
parse_major_minor (const char *version,
                   guint64    *major,
                   guint64    *minor)
{
  g_auto(GStrv) parts = NULL;

  if (version == NULL)
    return FALSE;
  if (version[0] == 'v')
    version++;
  parts = g_strsplit (version, ".", 3);
  return g_strv_length (parts) >= 2 &&
         g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT, major, NULL) &&
         g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, minor, NULL);
}

gboolean
dr_arc_version_is_compatible (const char *version)
{
  guint64 major, minor, our_major, our_minor;

  if (!parse_major_minor (version, &major, &minor) ||
      !parse_major_minor (DR_ARC_VERSION, &our_major, &our_minor))
    return FALSE;
  return major == our_major && minor == our_minor;
}

/* The element of @array (of objects) whose "name" is @name, or NULL. */
static JsonNode *
find_named (JsonArray  *array,
            const char *name)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (g_strcmp0 (dr_json_get_string (element, "name", NULL), name) == 0)
        return element;
    }
  return NULL;
}

char *
dr_arc_controller_get_version (JsonNode *deployment)
{
  const char *version = dr_json_get_string (deployment, "metadata", "labels",
                                            "app.kubernetes.io/version", NULL);
  JsonArray *containers;
  const char *image;
  g_autofree char *reference = NULL;
  const char *slash;
  const char *colon;

  if (version != NULL && *version != '\0')
    return g_strdup (version);

  containers = dr_json_get_array (deployment, "spec", "template", "spec", "containers", NULL);
  image = dr_json_get_string (find_named (containers, DR_ARC_CONTROLLER_CONTAINER), "image",
                              NULL);
  if (image == NULL)
    return NULL;
  /* registry:port/path/name:tag@digest — without the digest, the tag is after the last
   * colon of the last part. */
  reference = g_strndup (image, strcspn (image, "@"));
  slash = strrchr (reference, '/');
  colon = strrchr (slash != NULL ? slash : reference, ':');
  if (colon == NULL || colon[1] == '\0')
    return NULL;
  return g_strdup (colon + 1);
}

const char *
dr_arc_get_condition (JsonNode    *object,
                      const char  *type,
                      const char **reason,
                      const char **message)
{
  JsonArray *conditions;
  JsonNode *condition = NULL;

  g_return_val_if_fail (type != NULL, NULL);

  conditions = dr_json_get_array (object, "status", "conditions", NULL);
  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonNode *element = json_array_get_element (conditions, i);

      if (g_strcmp0 (dr_json_get_string (element, "type", NULL), type) == 0)
        {
          condition = element;
          break;
        }
    }

  if (reason != NULL)
    *reason = dr_json_get_string (condition, "reason", NULL);
  if (message != NULL)
    *message = dr_json_get_string (condition, "message", NULL);
  return dr_json_get_string (condition, "status", NULL);
}

static gboolean
is_image_problem (const char *reason)
{
  static const char * const reasons[] = {
    "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
    "RegistryUnavailable",
  };

  for (guint i = 0; reason != NULL && i < G_N_ELEMENTS (reasons); i++)
    if (strcmp (reason, reasons[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Why the controller container of @name does not serve yet, or NULL when it runs and is
 * ready. */
static char *
describe_container (const char *name,
                    const char *phase,
                    JsonNode   *container)
{
  JsonNode *waiting = dr_json_get_member (container, "state", "waiting", NULL);
  JsonNode *terminated = dr_json_get_member (container, "state", "terminated", NULL);
  JsonNode *ready = dr_json_get_member (container, "ready", NULL);
  const char *reason = dr_json_get_string (waiting, "reason", NULL);
  const char *message = dr_json_get_string (waiting, "message", NULL);
  const char *image = dr_json_get_string (container, "image", NULL);

  if (waiting != NULL && is_image_problem (reason))
    return g_strdup_printf (_("The controller pod %s cannot pull the image %s (%s): %s Check "
                              "that the cluster can reach ghcr.io."),
                            name, image != NULL ? image : DR_ARC_CONTROLLER_IMAGE, reason,
                            message != NULL ? message : "");
  if (waiting != NULL && g_strcmp0 (reason, "CrashLoopBackOff") == 0)
    {
      JsonNode *last = dr_json_get_member (container, "lastState", "terminated", NULL);
      const char *last_reason = dr_json_get_string (last, "reason", NULL);

      return g_strdup_printf (_("The controller keeps crashing (pod %s, last exit: %s, code %"
                                G_GINT64_FORMAT ", %" G_GINT64_FORMAT " restarts). Its log "
                                "says why."),
                              name, last_reason != NULL ? last_reason : "?",
                              dr_json_get_int (last, -1, "exitCode", NULL),
                              dr_json_get_int (container, 0, "restartCount", NULL));
    }
  if (waiting != NULL && (reason == NULL || g_strcmp0 (reason, "ContainerCreating") == 0))
    return g_strdup_printf (_("The controller pod %s is being created (its image may still be "
                              "downloading)."), name);
  if (waiting != NULL)
    return g_strdup_printf (_("The controller pod %s is waiting: %s%s%s"), name, reason,
                            message != NULL ? ": " : "", message != NULL ? message : "");
  if (terminated != NULL)
    {
      const char *exit_reason = dr_json_get_string (terminated, "reason", NULL);

      return g_strdup_printf (_("The controller in pod %s exited (%s, code %" G_GINT64_FORMAT
                                ")."),
                              name, exit_reason != NULL ? exit_reason : "?",
                              dr_json_get_int (terminated, -1, "exitCode", NULL));
    }
  if (dr_json_get_member (container, "state", "running", NULL) != NULL)
    {
      if (ready != NULL && JSON_NODE_HOLDS_VALUE (ready) &&
          json_node_get_value_type (ready) == G_TYPE_BOOLEAN && json_node_get_boolean (ready))
        return NULL;
      return g_strdup_printf (_("The controller in pod %s runs but is not ready yet."), name);
    }
  return g_strdup_printf (_("The controller pod %s is waiting to start (%s)."), name,
                          phase != NULL ? phase : "Pending");
}

/* Why one pod does not serve the controller yet, or NULL when it is running and ready. */
static char *
describe_pod (JsonNode *pod)
{
  const char *name = dr_json_get_string (pod, "metadata", "name", NULL);
  const char *phase = dr_json_get_string (pod, "status", "phase", NULL);
  JsonArray *statuses = dr_json_get_array (pod, "status", "containerStatuses", NULL);
  JsonArray *conditions = dr_json_get_array (pod, "status", "conditions", NULL);
  JsonNode *container;

  if (name == NULL)
    name = "?";

  for (guint i = 0; conditions != NULL && i < json_array_get_length (conditions); i++)
    {
      JsonNode *condition = json_array_get_element (conditions, i);
      const char *message = dr_json_get_string (condition, "message", NULL);

      if (g_strcmp0 (dr_json_get_string (condition, "type", NULL), "PodScheduled") == 0 &&
          g_strcmp0 (dr_json_get_string (condition, "status", NULL), "False") == 0)
        return g_strdup_printf (_("The controller pod %s cannot be scheduled on a node: %s"),
                                name, message != NULL ? message
                                                      : dr_json_get_string (condition, "reason",
                                                                            NULL));
    }

  container = find_named (statuses, DR_ARC_CONTROLLER_CONTAINER);
  if (container == NULL && statuses != NULL && json_array_get_length (statuses) > 0)
    container = json_array_get_element (statuses, 0);
  if (dr_json_get_object (container, "state", NULL) != NULL)
    return describe_container (name, phase, container);

  if (g_strcmp0 (phase, "Failed") == 0)
    {
      const char *message = dr_json_get_string (pod, "status", "message", NULL);

      return g_strdup_printf (_("The controller pod %s failed: %s"), name,
                              message != NULL ? message : _("no reason given"));
    }
  return g_strdup_printf (_("The controller pod %s is waiting to start (%s)."), name,
                          phase != NULL ? phase : "Pending");
}

char *
dr_arc_controller_describe_progress (JsonNode *deployment,
                                     JsonNode *pods)
{
  JsonArray *items = dr_json_get_array (pods, "items", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *status;
  const char *reason;
  const char *message;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *pod = json_array_get_element (items, i);
      g_autofree char *why = NULL;

      /* A pod on its way out (an old version, after an upgrade) is not the one to explain. */
      if (dr_json_get_object (pod, "metadata", NULL) == NULL ||
          dr_json_get_member (pod, "metadata", "deletionTimestamp", NULL) != NULL)
        continue;
      why = describe_pod (pod);
      if (why == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, why);
    }
  if (text->len > 0)
    return g_string_free (g_steal_pointer (&text), FALSE);

  status = dr_arc_get_condition (deployment, "ReplicaFailure", &reason, &message);
  if (g_strcmp0 (status, "True") == 0)
    return g_strdup_printf (_("The controller pod cannot be created: %s"),
                            message != NULL ? message : reason != NULL ? reason : "?");

  status = dr_arc_get_condition (deployment, "Progressing", &reason, &message);
  if (g_strcmp0 (status, "False") == 0)
    return g_strdup_printf (_("The controller deployment stopped progressing: %s"),
                            message != NULL ? message : reason != NULL ? reason : "?");

  if (items == NULL || json_array_get_length (items) == 0)
    return g_strdup (_("No controller pod exists yet."));
  return g_strdup (_("The controller deployment does not report itself available yet."));
}
