/* test-arc-controller.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ARC's controller without helm (FACTS.md §3): the exact objects, names, labels, flags,
 * environment and RBAC rules; the chart's CRDs from YAML to JSON; and what is read back
 * from the cluster (versions, conditions, why the controller is not available yet).
 */
#include "config.h"

#include <string.h>

#include "dr-arc-controller.h"
#include "dr-arc-render.h"
#include "dr-error.h"
#include "dr-openapi-validate.h"
#include "dr-test-chart.h"
#include "dr-test-utils.h"

#define NS       DR_DEFAULT_CONTROLLER_NAMESPACE
#define FULLNAME "arc-controller-gha-rs-controller"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* The member at a dotted @path ("metadata.labels"); keys with dots cannot be reached. */
static JsonNode *
member (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      node = json_object_get_member (json_node_get_object (node), parts[i]);
      if (node == NULL)
        g_error ("no member %s (at %s)", path, parts[i]);
    }
  return node;
}

static JsonObject *
obj (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static const char *
str (JsonNode   *node,
     const char *path)
{
  return json_node_get_string (member (node, path));
}

static JsonNode *
find (GPtrArray  *objects,
      const char *kind)
{
  for (guint i = 0; i < objects->len; i++)
    if (g_str_equal (str (g_ptr_array_index (objects, i), "kind"), kind))
      return g_ptr_array_index (objects, i);
  g_error ("no %s", kind);
}

/* @expected: NULL-terminated key, value pairs; the object holds exactly these, in order. */
static void
assert_string_map (JsonNode           *node,
                   const char * const *expected)
{
  JsonObject *object = obj (node);
  g_autoptr(GList) names = json_object_get_members (object);
  guint n = 0;

  for (GList *l = names; l != NULL; l = l->next, n += 2)
    {
      g_assert_nonnull (expected[n]);
      g_assert_cmpstr (l->data, ==, expected[n]);
      g_assert_cmpstr (json_object_get_string_member (object, l->data), ==, expected[n + 1]);
    }
  g_assert_null (expected[n]);
}

static void
assert_strings (JsonNode           *node,
                const char * const *expected)
{
  JsonArray *array = json_node_get_array (node);
  guint n = g_strv_length ((GStrv) expected);

  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, expected[i]);
}

static const char * const common_labels[] = {
  "helm.sh/chart", "gha-rs-controller-" DR_ARC_VERSION,
  "app.kubernetes.io/name", "gha-rs-controller",
  "app.kubernetes.io/namespace", NS,
  "app.kubernetes.io/instance", "arc-controller",
  "app.kubernetes.io/version", DR_ARC_VERSION,
  "app.kubernetes.io/part-of", "gha-rs-controller",
  "app.kubernetes.io/managed-by", "deskrun",
  NULL
};

static void
test_objects (void)
{
  g_autoptr(GPtrArray) objects = dr_arc_controller_render (NULL);
  static const struct {
    const char *api_version;
    const char *kind;
    const char *name;
    const char *namespace_;
  } expected[] = {
    { "v1", "Namespace", NS, NULL },
    { "v1", "ServiceAccount", FULLNAME, NS },
    { "rbac.authorization.k8s.io/v1", "ClusterRole", FULLNAME, NULL },
    { "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", FULLNAME, NULL },
    { "rbac.authorization.k8s.io/v1", "Role", FULLNAME "-listener", NS },
    { "rbac.authorization.k8s.io/v1", "RoleBinding", FULLNAME "-listener", NS },
    { "apps/v1", "Deployment", FULLNAME, NS },
  };
  g_autoptr(JsonNode) any_object = parse ("{\"type\": \"object\", "
                                          "\"x-kubernetes-preserve-unknown-fields\": true}");

  g_assert_cmpuint (objects->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < objects->len; i++)
    {
      JsonNode *node = g_ptr_array_index (objects, i);
      JsonObject *metadata = obj (member (node, "metadata"));
      g_autoptr(GPtrArray) errors = NULL;

      g_assert_cmpstr (str (node, "apiVersion"), ==, expected[i].api_version);
      g_assert_cmpstr (str (node, "kind"), ==, expected[i].kind);
      g_assert_cmpstr (str (node, "metadata.name"), ==, expected[i].name);
      if (expected[i].namespace_ != NULL)
        g_assert_cmpstr (str (node, "metadata.namespace"), ==, expected[i].namespace_);
      else
        g_assert_false (json_object_has_member (metadata, "namespace"));
      g_assert_nonnull (dr_arc_api_plural (expected[i].kind));

      /* Names, label keys and values as the API server accepts them. */
      errors = dr_openapi_validate (any_object, node, DR_OPENAPI_VALIDATE_OBJECT_ROOT);
      if (errors->len > 0)
        g_error ("%s: %s", expected[i].kind, dr_openapi_format_errors (errors));

      if (!g_str_equal (expected[i].kind, "Deployment"))
        assert_string_map (member (node, "metadata.labels"), common_labels);
    }

  g_assert_cmpstr (dr_arc_api_plural ("ClusterRoleBinding"), ==, "clusterrolebindings");
  g_assert_cmpstr (dr_arc_api_plural ("CustomResourceDefinition"), ==,
                   "customresourcedefinitions");
  g_assert_null (dr_arc_api_plural ("Ingress"));
}

static void
test_other_namespace (void)
{
  g_autoptr(GPtrArray) objects = dr_arc_controller_render ("arc");
  g_autofree char *selector = dr_arc_controller_pod_selector ("arc");
  JsonNode *deployment = find (objects, "Deployment");
  JsonNode *binding = find (objects, "ClusterRoleBinding");
  JsonNode *subject = json_array_get_element (json_node_get_array (member (binding, "subjects")),
                                              0);

  g_assert_cmpstr (str (find (objects, "Namespace"), "metadata.name"), ==, "arc");
  g_assert_cmpstr (str (deployment, "metadata.namespace"), ==, "arc");
  g_assert_cmpstr (str (subject, "namespace"), ==, "arc");
  g_assert_cmpstr (json_object_get_string_member (obj (member (deployment, "metadata.labels")),
                                                  "app.kubernetes.io/namespace"), ==, "arc");
  g_assert_cmpstr (selector, ==, "app.kubernetes.io/name=gha-rs-controller,"
                   "app.kubernetes.io/namespace=arc,app.kubernetes.io/instance=arc-controller");
}

static void
test_deployment (void)
{
  g_autoptr(GPtrArray) objects = dr_arc_controller_render (NULL);
  JsonNode *deployment = find (objects, "Deployment");
  JsonNode *pod_spec = member (deployment, "spec.template.spec");
  JsonArray *containers = json_node_get_array (member (pod_spec, "containers"));
  JsonNode *container;
  JsonArray *env;
  JsonObject *env1;
  JsonArray *volumes;
  g_autofree char *selector = dr_arc_controller_pod_selector (NULL);
  static const char * const labels[] = {
    "helm.sh/chart", "gha-rs-controller-" DR_ARC_VERSION,
    "app.kubernetes.io/name", "gha-rs-controller",
    "app.kubernetes.io/namespace", NS,
    "app.kubernetes.io/instance", "arc-controller",
    "app.kubernetes.io/version", DR_ARC_VERSION,
    "app.kubernetes.io/part-of", "gha-rs-controller",
    "app.kubernetes.io/managed-by", "deskrun",
    "actions.github.com/controller-service-account-namespace", NS,
    "actions.github.com/controller-service-account-name", FULLNAME,
    NULL
  };
  static const char * const selector_labels[] = {
    "app.kubernetes.io/name", "gha-rs-controller",
    "app.kubernetes.io/namespace", NS,
    "app.kubernetes.io/instance", "arc-controller",
    NULL
  };
  static const char * const pod_labels[] = {
    "app.kubernetes.io/part-of", "gha-rs-controller",
    "app.kubernetes.io/component", "controller-manager",
    "app.kubernetes.io/version", DR_ARC_VERSION,
    "app.kubernetes.io/name", "gha-rs-controller",
    "app.kubernetes.io/namespace", NS,
    "app.kubernetes.io/instance", "arc-controller",
    NULL
  };
  static const char * const pod_annotations[] = {
    "kubectl.kubernetes.io/default-container", "manager", NULL
  };
  static const char * const command[] = { "/manager", NULL };
  static const char * const args[] = {
    "--auto-scaling-runner-set-only",
    "--log-level=debug",
    "--log-format=text",
    "--runner-max-concurrent-reconciles=2",
    "--update-strategy=immediate",
    "--listener-metrics-addr=:8080",
    "--listener-metrics-endpoint=/metrics",
    "--metrics-addr=:8080",
    NULL
  };

  assert_string_map (member (deployment, "metadata.labels"), labels);
  g_assert_cmpint (json_node_get_int (member (deployment, "spec.replicas")), ==, 1);
  assert_string_map (member (deployment, "spec.selector.matchLabels"), selector_labels);
  assert_string_map (member (deployment, "spec.template.metadata.labels"), pod_labels);
  assert_string_map (member (deployment, "spec.template.metadata.annotations"), pod_annotations);
  g_assert_cmpstr (selector, ==, "app.kubernetes.io/name=gha-rs-controller,"
                   "app.kubernetes.io/namespace=" NS ",app.kubernetes.io/instance=arc-controller");

  g_assert_cmpstr (str (pod_spec, "serviceAccountName"), ==, FULLNAME);
  g_assert_cmpint (json_node_get_int (member (pod_spec, "terminationGracePeriodSeconds")), ==, 10);
  g_assert_cmpuint (json_array_get_length (containers), ==, 1);
  container = json_array_get_element (containers, 0);
  g_assert_cmpstr (str (container, "name"), ==, "manager");
  g_assert_cmpstr (str (container, "image"), ==,
                   "ghcr.io/actions/gha-runner-scale-set-controller:" DR_ARC_VERSION);
  assert_strings (member (container, "command"), command);
  assert_strings (member (container, "args"), args);

  env = json_node_get_array (member (container, "env"));
  g_assert_cmpuint (json_array_get_length (env), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (env, 0), "name"),
                   ==, "CONTROLLER_MANAGER_CONTAINER_IMAGE");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (env, 0),
                                                  "value"),
                   ==, DR_ARC_CONTROLLER_IMAGE);
  env1 = json_array_get_object_element (env, 1);
  g_assert_cmpstr (json_object_get_string_member (env1, "name"), ==,
                   "CONTROLLER_MANAGER_POD_NAMESPACE");
  g_assert_false (json_object_has_member (env1, "value"));
  g_assert_cmpstr (str (json_object_get_member (env1, "valueFrom"), "fieldRef.fieldPath"), ==,
                   "metadata.namespace");

  g_assert_cmpint (json_node_get_int (member (json_array_get_element (
    json_node_get_array (member (container, "ports")), 0), "containerPort")), ==, 8080);
  g_assert_cmpstr (str (json_array_get_element (json_node_get_array (member (container,
                                                                             "volumeMounts")),
                                                0), "mountPath"), ==, "/tmp");
  volumes = json_node_get_array (member (pod_spec, "volumes"));
  g_assert_cmpuint (json_array_get_length (volumes), ==, 1);
  g_assert_cmpstr (str (json_array_get_element (volumes, 0), "name"), ==, "tmp");
  g_assert_cmpuint (json_object_get_size (obj (member (json_array_get_element (volumes, 0),
                                                       "emptyDir"))), ==, 0);
}

/* Each rule of @role as "group|resource|verb,verb,…". */
static GStrv
rules_of (JsonNode *role)
{
  JsonArray *rules = json_node_get_array (member (role, "rules"));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonNode *rule = json_array_get_element (rules, i);
      JsonArray *groups = json_node_get_array (member (rule, "apiGroups"));
      JsonArray *resources = json_node_get_array (member (rule, "resources"));
      JsonArray *verbs = json_node_get_array (member (rule, "verbs"));
      g_autoptr(GString) line = g_string_new (NULL);

      g_assert_cmpuint (json_array_get_length (groups), ==, 1);
      g_assert_cmpuint (json_array_get_length (resources), ==, 1);
      g_string_append_printf (line, "%s|%s|", json_array_get_string_element (groups, 0),
                              json_array_get_string_element (resources, 0));
      for (guint v = 0; v < json_array_get_length (verbs); v++)
        g_string_append_printf (line, "%s%s", v > 0 ? "," : "",
                                json_array_get_string_element (verbs, v));
      g_strv_builder_add (builder, line->str);
    }
  return g_strv_builder_end (builder);
}

static void
assert_rules (JsonNode           *role,
              const char * const *expected)
{
  g_auto(GStrv) rules = rules_of (role);

  for (guint i = 0; expected[i] != NULL || rules[i] != NULL; i++)
    g_assert_cmpstr (rules[i], ==, expected[i]);
}

static void
test_rbac (void)
{
  g_autoptr(GPtrArray) objects = dr_arc_controller_render (NULL);
  static const char * const cluster_rules[] = {
#define ARC_RULES(r) \
    "actions.github.com|" r "|create,delete,get,list,patch,update,watch", \
    "actions.github.com|" r "/status|get,patch,update", \
    "actions.github.com|" r "/finalizers|patch,update"
    ARC_RULES ("autoscalingrunnersets"),
    ARC_RULES ("autoscalinglisteners"),
    ARC_RULES ("ephemeralrunnersets"),
    ARC_RULES ("ephemeralrunners"),
#undef ARC_RULES
    "|pods|list,watch",
    "|serviceaccounts|list,watch",
    "rbac.authorization.k8s.io|rolebindings|list,watch",
    "rbac.authorization.k8s.io|roles|list,watch,patch",
    NULL
  };
  static const char * const listener_rules[] = {
    "|pods|create,delete,get",
    "|pods/status|get",
    "|secrets|create,delete,get,patch,update",
    "|serviceaccounts|create,delete,get,patch,update",
    NULL
  };
  JsonNode *cluster_binding = find (objects, "ClusterRoleBinding");
  JsonNode *binding = find (objects, "RoleBinding");
  JsonNode *subject;

  assert_rules (find (objects, "ClusterRole"), cluster_rules);
  assert_rules (find (objects, "Role"), listener_rules);

  /* No secret may be readable cluster-wide (FACTS.md §3). */
  {
    g_auto(GStrv) rules = rules_of (find (objects, "ClusterRole"));

    for (guint i = 0; rules[i] != NULL; i++)
      g_assert_null (strstr (rules[i], "|secrets|"));
  }

  g_assert_cmpstr (str (cluster_binding, "roleRef.apiGroup"), ==, "rbac.authorization.k8s.io");
  g_assert_cmpstr (str (cluster_binding, "roleRef.kind"), ==, "ClusterRole");
  g_assert_cmpstr (str (cluster_binding, "roleRef.name"), ==, FULLNAME);
  g_assert_cmpstr (str (binding, "roleRef.kind"), ==, "Role");
  g_assert_cmpstr (str (binding, "roleRef.name"), ==, FULLNAME "-listener");
  for (guint i = 0; i < 2; i++)
    {
      JsonArray *subjects = json_node_get_array (member (i == 0 ? cluster_binding : binding,
                                                         "subjects"));

      g_assert_cmpuint (json_array_get_length (subjects), ==, 1);
      subject = json_array_get_element (subjects, 0);
      g_assert_cmpstr (str (subject, "kind"), ==, "ServiceAccount");
      g_assert_cmpstr (str (subject, "name"), ==, FULLNAME);
      g_assert_cmpstr (str (subject, "namespace"), ==, NS);
    }
}

static void
test_deterministic (void)
{
  g_autoptr(GPtrArray) first = dr_arc_controller_render (NULL);
  g_autoptr(GPtrArray) second = dr_arc_controller_render (NULL);
  g_autofree char *a = dr_arc_render_to_json (first);
  g_autofree char *b = dr_arc_render_to_json (second);

  g_assert_cmpstr (a, ==, b);
  for (guint i = 0; i < first->len; i++)
    g_assert_true (json_node_equal (g_ptr_array_index (first, i),
                                    g_ptr_array_index (second, i)));
}

static void
test_crds (void)
{
  g_auto(GStrv) names = dr_test_fixture_crd_names ();
  static const char * const expected[] = {
    "autoscalinglisteners.actions.github.com",
    "autoscalingrunnersets.actions.github.com",
    "ephemeralrunners.actions.github.com",
    "ephemeralrunnersets.actions.github.com",
  };

  if (names == NULL)
    return;

  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GBytes) contents = dr_test_fixture_crd (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) crds = dr_arc_controller_parse_crds (names[i], contents, &error);
      JsonNode *crd;
      JsonArray *versions;

      g_assert_no_error (error);
      g_assert_cmpuint (crds->len, ==, 1);
      crd = g_ptr_array_index (crds, 0);
      g_assert_cmpstr (str (crd, "apiVersion"), ==, "apiextensions.k8s.io/v1");
      g_assert_cmpstr (str (crd, "kind"), ==, "CustomResourceDefinition");
      g_assert_cmpstr (str (crd, "metadata.name"), ==, expected[i]);
      g_assert_cmpstr (str (crd, "spec.group"), ==, "actions.github.com");
      g_assert_cmpstr (str (crd, "spec.scope"), ==, "Namespaced");
      versions = json_node_get_array (member (crd, "spec.versions"));
      g_assert_cmpuint (json_array_get_length (versions), ==, 1);
      g_assert_cmpstr (str (json_array_get_element (versions, 0), "name"), ==, "v1alpha1");
      /* Types survive the conversion: a YAML boolean stays a JSON boolean. */
      g_assert_true (json_node_get_boolean (member (json_array_get_element (versions, 0),
                                                    "served")));
      g_assert_nonnull (dr_openapi_crd_schema (crd, "v1alpha1"));
    }
}

static void
test_crds_bad (void)
{
  static const struct {
    const char *yaml;
    const char *message;
  } cases[] = {
    { "", "holds no CustomResourceDefinition" },
    { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", "Document 1" },
    { "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {}\n"
      "spec: {group: actions.github.com}\n", "has no name" },
    { "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
      "metadata: {name: widgets.example.com}\nspec: {group: example.com}\n",
      "widgets.example.com, which is not one of ARC’s kinds" },
    { "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
      "metadata: {name: widgets.example.com}\nspec: {group: actions.github.com}\n",
      "not one of ARC’s kinds" },
    { "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
      "metadata: {name: a.actions.github.com}\nspec: {group: actions.github.com}\n---\n"
      "apiVersion: v1\nkind: Secret\n", "Document 2" },
    { "a: [\n", "crd.yaml:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) contents = g_bytes_new_static (cases[i].yaml, strlen (cases[i].yaml));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) crds = dr_arc_controller_parse_crds ("crd.yaml", contents, &error);

      g_test_message ("case %u", i);
      g_assert_null (crds);
      g_assert_nonnull (error);
      g_assert_true (error->domain == DR_ERROR);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s” lacks “%s”", error->message, cases[i].message);
    }
}

static void
test_versions (void)
{
  static const struct {
    const char *version;
    gboolean    compatible;
  } cases[] = {
    { DR_ARC_VERSION, TRUE },
    { "0.14.0", TRUE },
    { "v0.14.9", TRUE },
    { "0.14.2-rc.1", TRUE },
    { "0.13.1", FALSE },
    { "0.15.0", FALSE },
    { "1.14.2", FALSE },
    { "0.14", TRUE },
    { "14", FALSE },
    { "", FALSE },
    { "dev", FALSE },
    { "0.x.1", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("version %s", cases[i].version);
      g_assert_cmpint (dr_arc_version_is_compatible (cases[i].version), ==, cases[i].compatible);
    }
}

static void
test_installed_version (void)
{
  g_autoptr(GPtrArray) objects = dr_arc_controller_render (NULL);
  static const struct {
    const char *json;
    const char *version;
  } cases[] = {
    { "{\"metadata\": {\"labels\": {\"app.kubernetes.io/version\": \"0.13.1\"}}}", "0.13.1" },
    { "{\"metadata\": {}, \"spec\": {\"template\": {\"spec\": {\"containers\": ["
      "{\"name\": \"sidecar\", \"image\": \"x:9\"}, {\"name\": \"manager\", \"image\": "
      "\"registry.local:5000/actions/gha-runner-scale-set-controller:0.12.1\"}]}}}}", "0.12.1" },
    { "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"manager\", "
      "\"image\": \"ghcr.io/a/b:0.14.1@sha256:abc\"}]}}}}", "0.14.1" },
    { "{\"spec\": {\"template\": {\"spec\": {\"containers\": [{\"name\": \"manager\", "
      "\"image\": \"registry.local:5000/b\"}]}}}}", NULL },
    { "{\"spec\": {\"template\": {\"spec\": {\"containers\": \"nonsense\"}}}}", NULL },
    { "[1, 2]", NULL },
  };

  {
    g_autofree char *ours = dr_arc_controller_get_version (find (objects, "Deployment"));

    g_assert_cmpstr (ours, ==, DR_ARC_VERSION);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].json);
      g_autofree char *version = dr_arc_controller_get_version (node);

      g_assert_cmpstr (version, ==, cases[i].version);
    }
}

static void
test_conditions (void)
{
  g_autoptr(JsonNode) crd = parse ("{\"status\": {\"conditions\": ["
                                   "{\"type\": \"NamesAccepted\", \"status\": \"True\"},"
                                   "{\"type\": \"Established\", \"status\": \"False\", "
                                   "\"reason\": \"Installing\", \"message\": \"wait\"}]}}");
  g_autoptr(JsonNode) broken = parse ("{\"status\": {\"conditions\": [7, {\"type\": 3}]}}");
  const char *reason;
  const char *message;

  g_assert_cmpstr (dr_arc_get_condition (crd, "Established", &reason, &message), ==, "False");
  g_assert_cmpstr (reason, ==, "Installing");
  g_assert_cmpstr (message, ==, "wait");
  g_assert_cmpstr (dr_arc_get_condition (crd, "NamesAccepted", &reason, NULL), ==, "True");
  g_assert_null (reason);
  g_assert_null (dr_arc_get_condition (crd, "Available", &reason, &message));
  g_assert_null (dr_arc_get_condition (broken, "Established", NULL, NULL));
  g_assert_null (dr_arc_get_condition (NULL, "Established", NULL, NULL));
}

static void
test_describe_progress (void)
{
  static const struct {
    const char *deployment;
    const char *pods;
    const char *expected;
  } cases[] = {
    { "{}", NULL, "No controller pod exists yet." },
    { "{}", "{\"items\": []}", "No controller pod exists yet." },
    { "{\"status\": {\"conditions\": [{\"type\": \"ReplicaFailure\", \"status\": \"True\", "
      "\"message\": \"pods \\\"x\\\" is forbidden: exceeded quota\"}]}}", "{\"items\": []}",
      "cannot be created: pods \"x\" is forbidden: exceeded quota" },
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"c-1\"}, \"status\": {\"phase\": "
      "\"Pending\", \"conditions\": [{\"type\": \"PodScheduled\", \"status\": \"False\", "
      "\"reason\": \"Unschedulable\", \"message\": \"0/1 nodes are available: disk pressure\"}]"
      "}}]}",
      "pod c-1 cannot be scheduled on a node: 0/1 nodes are available: disk pressure" },
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"c-1\"}, \"status\": {\"phase\": "
      "\"Pending\", \"containerStatuses\": [{\"name\": \"manager\", \"image\": "
      "\"ghcr.io/actions/gha-runner-scale-set-controller:0.14.2\", \"ready\": false, "
      "\"state\": {\"waiting\": {\"reason\": \"ImagePullBackOff\", \"message\": "
      "\"Back-off pulling image\"}}}]}}]}",
      "pod c-1 cannot pull the image ghcr.io/actions/gha-runner-scale-set-controller:0.14.2 "
      "(ImagePullBackOff): Back-off pulling image" },
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"c-1\"}, \"status\": {\"phase\": "
      "\"Running\", \"containerStatuses\": [{\"name\": \"manager\", \"restartCount\": 4, "
      "\"state\": {\"waiting\": {\"reason\": \"CrashLoopBackOff\"}}, \"lastState\": "
      "{\"terminated\": {\"reason\": \"Error\", \"exitCode\": 1}}}]}}]}",
      "keeps crashing (pod c-1, last exit: Error, code 1, 4 restarts)" },
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"c-1\"}, \"status\": {\"phase\": "
      "\"Pending\", \"containerStatuses\": [{\"name\": \"manager\", \"state\": {\"waiting\": "
      "{\"reason\": \"ContainerCreating\"}}}]}}]}", "pod c-1 is being created" },
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"c-1\"}, \"status\": {\"phase\": "
      "\"Running\", \"containerStatuses\": [{\"name\": \"manager\", \"ready\": false, "
      "\"state\": {\"running\": {}}}]}}]}", "runs but is not ready yet" },
    /* A terminating old pod is skipped; the new one explains. */
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"old\", \"deletionTimestamp\": \"x\"}, "
      "\"status\": {\"phase\": \"Running\"}}, {\"metadata\": {\"name\": \"new\"}, \"status\": "
      "{\"phase\": \"Pending\"}}]}", "The controller pod new is waiting to start (Pending)." },
    { "{}", "{\"items\": [{\"metadata\": {\"name\": \"c-1\"}, \"status\": {\"phase\": "
      "\"Running\", \"containerStatuses\": [{\"name\": \"manager\", \"ready\": true, "
      "\"state\": {\"running\": {}}}]}}]}", "does not report itself available yet" },
    /* Nonsense from a server is described, never asserted on. */
    { "[]", "{\"items\": [3, {\"metadata\": 5}, {\"metadata\": {\"name\": 1}, \"status\": "
      "{\"containerStatuses\": [7]}}]}", "The controller pod ? is waiting to start" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) deployment = parse (cases[i].deployment);
      g_autoptr(JsonNode) pods = cases[i].pods != NULL ? parse (cases[i].pods) : NULL;
      g_autofree char *text = dr_arc_controller_describe_progress (deployment, pods);

      g_test_message ("case %u: %s", i, text);
      if (strstr (text, cases[i].expected) == NULL)
        g_error ("“%s” lacks “%s”", text, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/arc-controller/objects", test_objects);
  g_test_add_func ("/arc-controller/other-namespace", test_other_namespace);
  g_test_add_func ("/arc-controller/deployment", test_deployment);
  g_test_add_func ("/arc-controller/rbac", test_rbac);
  g_test_add_func ("/arc-controller/deterministic", test_deterministic);
  g_test_add_func ("/arc-controller/crds", test_crds);
  g_test_add_func ("/arc-controller/crds-bad", test_crds_bad);
  g_test_add_func ("/arc-controller/versions", test_versions);
  g_test_add_func ("/arc-controller/installed-version", test_installed_version);
  g_test_add_func ("/arc-controller/conditions", test_conditions);
  g_test_add_func ("/arc-controller/describe-progress", test_describe_progress);

  return g_test_run ();
}
