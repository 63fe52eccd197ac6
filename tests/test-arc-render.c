/* test-arc-render.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The objects deskrun creates for ARC instead of helm. Three kinds of checks:
 *
 * 1. Golden files: every case renders byte-for-byte to tests/data/golden/render-<case>.json.
 *    After an intended change, regenerate them and review the diff by eye before committing:
 *
 *      DR_UPDATE_GOLDEN=1 meson test -C _build arc-render
 *      git diff tests/data/golden/
 *
 * 2. ARC's real 0.14.2 CRD schema (../shared/fixtures) accepts every AutoscalingRunnerSet,
 *    the privileged job-pod template is a valid PodSpec, and every object's metadata is valid
 *    ObjectMeta. Skipped, with a message, when ../shared is not beside the checkout.
 *
 * 3. The traps of FACTS.md §2 asserted one by one, so that a golden file regenerated without
 *    care cannot quietly accept a broken object.
 */
#include "config.h"

#include <string.h>

#include "dr-arc-render.h"
#include "dr-error.h"
#include "dr-openapi-validate.h"
#include "dr-test-utils.h"
#include "dr-versions.h"
#include "dr-yaml.h"

#define CLEANUP_FINALIZER "actions.github.com/cleanup-protection"
#define TEST_TOKEN        "test-token-not-real"
#define TEST_APP_ID       "123456"
#define TEST_INSTALLATION "7890123"
#define TEST_KEY          "-----BEGIN TEST KEY-----\nnot a key\n-----END TEST KEY-----\n"

typedef struct
{
  const char       *name;             /* golden file render-<name>.json */
  DrContainerMode   mode;
  guint             instances;
  guint             min_runners;
  guint             max_runners;
  gboolean          mounts;           /* one mount of every kind, see add_mounts() */
  const char       *runner_group;
  const char       *labels[3];
  DrCredentialKind  kind;
  gboolean          credential;       /* FALSE: a preview (NULL credential) */
  gboolean          custom_options;
} RenderCase;

static const RenderCase cases[] = {
  { "kubernetes-instances", DR_CONTAINER_MODE_KUBERNETES, 3, 1, 1, TRUE, "local",
    { "self-hosted", "linux" }, DR_CREDENTIAL_KIND_PAT, FALSE, FALSE },
  { "privileged-instances", DR_CONTAINER_MODE_PRIVILEGED, 3, 1, 1, TRUE, "local",
    { "self-hosted", "nix" }, DR_CREDENTIAL_KIND_PAT, FALSE, FALSE },
  { "dind-instances", DR_CONTAINER_MODE_DIND, 3, 1, 1, TRUE, "local",
    { "self-hosted", "docker" }, DR_CREDENTIAL_KIND_GITHUB_APP, FALSE, FALSE },
  { "kubernetes-pat", DR_CONTAINER_MODE_KUBERNETES, 1, 0, 5, FALSE, NULL,
    { NULL }, DR_CREDENTIAL_KIND_PAT, TRUE, TRUE },
  { "privileged-app", DR_CONTAINER_MODE_PRIVILEGED, 1, 1, 2, TRUE, NULL,
    { NULL }, DR_CREDENTIAL_KIND_GITHUB_APP, TRUE, FALSE },
  { "dind-minimal", DR_CONTAINER_MODE_DIND, 1, 0, 1, FALSE, NULL,
    { NULL }, DR_CREDENTIAL_KIND_PAT, FALSE, FALSE },
};

/* A different namespace layout than deskrun's kind defaults, and no storage class (the
 * cluster's default), as on a real cluster. */
static const DrArcRenderOptions custom_options = {
  .runner_namespace = "ci-runners",
  .controller_namespace = "arc",
  .controller_service_account = "arc-gha-rs-controller",
  .storage_class = NULL,
  .work_volume_size = "5Gi",
};

/* Building blocks */

static void
add_mounts (DrRunnerSpec *spec)
{
  /* automatic source, and an explicit source of each type */
  g_ptr_array_add (spec->mounts,
                   dr_mount_new (NULL, "/var/lib/docker", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  g_ptr_array_add (spec->mounts,
                   dr_mount_new ("/host-cache/deskrun/go-mod", "/home/runner/go/pkg/mod",
                                 DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  g_ptr_array_add (spec->mounts,
                   dr_mount_new ("/nix/store", "/nix/store", DR_MOUNT_TYPE_DIRECTORY));
  /* not /var/run/docker.sock: dind keeps its own socket there */
  g_ptr_array_add (spec->mounts,
                   dr_mount_new ("/var/run/docker.sock", "/opt/host/docker.sock",
                                 DR_MOUNT_TYPE_SOCKET));
}

static DrRunnerSpec *
spec_for_case (const RenderCase *c)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup ("demo");
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo-org/demo");
  spec->mode = c->mode;
  spec->instances = c->instances;
  spec->min_runners = c->min_runners;
  spec->max_runners = c->max_runners;
  spec->runner_group = g_strdup (c->runner_group);
  for (guint i = 0; i < G_N_ELEMENTS (c->labels) && c->labels[i] != NULL; i++)
    g_ptr_array_add (spec->labels, g_strdup (c->labels[i]));
  if (c->mounts)
    add_mounts (spec);
  spec->credential_kind = c->kind;

  g_assert_true (dr_runner_spec_validate (spec, NULL));
  return spec;
}

static DrCredential *
credential_for_case (const RenderCase *c)
{
  if (!c->credential)
    return NULL;
  if (c->kind == DR_CREDENTIAL_KIND_PAT)
    return dr_credential_new_pat (TEST_TOKEN);
  return dr_credential_new_app (TEST_APP_ID, TEST_INSTALLATION, TEST_KEY);
}

static const DrArcRenderOptions *
options_for_case (const RenderCase *c)
{
  return c->custom_options ? &custom_options : NULL;
}

static GPtrArray *
render_case (const RenderCase *c)
{
  g_autoptr(DrRunnerSpec) spec = spec_for_case (c);
  g_autoptr(DrCredential) credential = credential_for_case (c);
  g_autoptr(GError) error = NULL;
  GPtrArray *objects;

  objects = dr_arc_render_runner (spec, credential, options_for_case (c), &error);
  g_assert_no_error (error);
  g_assert_nonnull (objects);
  return objects;
}

/* JSON access; a missing member fails the test at once. */

static JsonObject *
obj (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static JsonNode *
member (JsonObject *object,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        object = obj (node);
      node = json_object_get_member (object, parts[i]);
      if (node == NULL)
        g_error ("no member “%s” (of “%s”)", parts[i], path);
    }
  return node;
}

static const char *
str (JsonObject *object,
     const char *path)
{
  return json_node_get_string (member (object, path));
}

/* Label and annotation keys contain dots, so they are looked up directly. */
static const char *
label (JsonObject *object,
       const char *key)
{
  JsonNode *node = json_object_get_member (obj (member (object, "metadata.labels")), key);

  return node != NULL ? json_node_get_string (node) : NULL;
}

static const char *
annotation (JsonObject *object,
            const char *key)
{
  JsonNode *node = json_object_get_member (obj (member (object, "metadata.annotations")), key);

  return node != NULL ? json_node_get_string (node) : NULL;
}

static gboolean
has_member (JsonObject *object,
            const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, parts[i]);

      if (node == NULL)
        return FALSE;
      if (parts[i + 1] != NULL)
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            return FALSE;
          object = json_node_get_object (node);
        }
    }
  return TRUE;
}

static const char *
kind_of (JsonNode *node)
{
  return str (obj (node), "kind");
}

static const char *
name_of (JsonNode *node)
{
  return str (obj (node), "metadata.name");
}

static GPtrArray *
objects_of_kind (GPtrArray  *objects,
                 const char *kind)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < objects->len; i++)
    if (g_str_equal (kind_of (g_ptr_array_index (objects, i)), kind))
      g_ptr_array_add (found, g_ptr_array_index (objects, i));
  return found;
}

static JsonObject *
find_object (GPtrArray  *objects,
             const char *kind,
             const char *name)
{
  for (guint i = 0; i < objects->len; i++)
    {
      JsonNode *node = g_ptr_array_index (objects, i);

      if (g_str_equal (kind_of (node), kind) && g_str_equal (name_of (node), name))
        return obj (node);
    }
  return NULL;
}

static gboolean
has_finalizer (JsonObject *object)
{
  JsonArray *finalizers;

  if (!has_member (object, "metadata.finalizers"))
    return FALSE;
  finalizers = json_node_get_array (member (object, "metadata.finalizers"));
  for (guint i = 0; i < json_array_get_length (finalizers); i++)
    if (g_str_equal (json_array_get_string_element (finalizers, i), CLEANUP_FINALIZER))
      return TRUE;
  return FALSE;
}

static JsonObject *
container_named (JsonObject *pod_spec,
                 const char *list,
                 const char *name)
{
  JsonArray *containers;

  if (!has_member (pod_spec, list))
    return NULL;
  containers = json_node_get_array (member (pod_spec, list));
  for (guint i = 0; i < json_array_get_length (containers); i++)
    {
      JsonObject *container = json_array_get_object_element (containers, i);

      if (g_str_equal (str (container, "name"), name))
        return container;
    }
  return NULL;
}

static JsonObject *
volume_named (JsonObject *pod_spec,
              const char *name)
{
  return container_named (pod_spec, "volumes", name);
}

static const char *
env_value (JsonObject *container,
           const char *name)
{
  JsonArray *env = json_node_get_array (member (container, "env"));

  for (guint i = 0; i < json_array_get_length (env); i++)
    {
      JsonObject *var = json_array_get_object_element (env, i);

      if (g_str_equal (str (var, "name"), name))
        return has_member (var, "value") ? str (var, "value") : "(valueFrom)";
    }
  return NULL;
}

static GPtrArray *
strings_of (JsonArray *array)
{
  GPtrArray *strings = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (strings, (gpointer) json_array_get_string_element (array, i));
  return strings;
}

static gboolean
contains_string (JsonArray  *array,
                 const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_array_get_string_element (array, i), value))
      return TRUE;
  return FALSE;
}

/* 1. Golden files */

static void
test_golden (gconstpointer data)
{
  const RenderCase *c = data;
  g_autoptr(GPtrArray) objects = render_case (c);
  g_autofree char *json = dr_arc_render_to_json (objects);
  g_autofree char *basename = g_strdup_printf ("render-%s.json", c->name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "golden", basename, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("DR_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_file_set_contents (path, json, -1, &error);
      g_assert_no_error (error);
      g_test_message ("rewrote %s; review it with git diff before committing", path);
      return;
    }

  if (!g_file_get_contents (path, &expected, NULL, &error))
    g_error ("%s: %s (DR_UPDATE_GOLDEN=1 creates it)", path, error->message);
  if (strcmp (json, expected) != 0)
    g_error ("%s differs from the rendering; if the change is intended, rerun with "
             "DR_UPDATE_GOLDEN=1 and review git diff", path);
}

/* 2. Schemas */

static JsonNode *
ars_crd_schema (void)
{
  static JsonNode *schema;
  const char *fixtures = dr_test_fixtures_dir ();

  if (fixtures == NULL)
    return NULL;

  if (schema == NULL)
    {
      g_autofree char *path = g_build_filename (fixtures, "arc-crds-0.14.2",
                                                "actions.github.com_autoscalingrunnersets.yaml",
                                                NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      JsonNode *crd;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      crd = dr_yaml_parse (text, -1, path, &error);
      g_assert_no_error (error);
      schema = json_node_copy (dr_openapi_crd_schema (crd, "v1alpha1"));
      g_assert_nonnull (schema);
      json_node_unref (crd);
    }
  return schema;
}

static void
assert_valid (JsonNode               *schema,
              JsonNode               *value,
              DrOpenapiValidateFlags  flags,
              const char             *what)
{
  g_autoptr(GPtrArray) errors = dr_openapi_validate (schema, value, flags);

  if (errors->len > 0)
    {
      g_autofree char *text = dr_openapi_format_errors (errors);

      g_error ("%s is rejected by the schema:\n%s", what, text);
    }
}

static void
test_schema (gconstpointer data)
{
  const RenderCase *c = data;
  g_autoptr(GPtrArray) objects = render_case (c);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *schema = ars_crd_schema ();
  JsonNode *any_object;
  guint validated = 0;

  if (schema == NULL)
    return;

  /* Objects without a CRD here still get their metadata checked as the API server would. */
  json_parser_load_from_data (parser,
                              "{\"type\": \"object\","
                              " \"x-kubernetes-preserve-unknown-fields\": true}", -1, NULL);
  any_object = json_parser_get_root (parser);

  for (guint i = 0; i < objects->len; i++)
    {
      JsonNode *node = g_ptr_array_index (objects, i);
      g_autofree char *what = g_strdup_printf ("%s %s", kind_of (node), name_of (node));

      if (g_str_equal (kind_of (node), "AutoscalingRunnerSet"))
        {
          assert_valid (schema, node, DR_OPENAPI_VALIDATE_OBJECT_ROOT, what);
          validated++;
        }
      else
        {
          assert_valid (any_object, node, DR_OPENAPI_VALIDATE_OBJECT_ROOT, what);
        }

      /* The hook merges this template into the job pods it creates: it must be a PodSpec. */
      if (g_str_equal (kind_of (node), "ConfigMap"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) hook = dr_yaml_parse (str (obj (node), "data.content"), -1,
                                                    what, &error);
          JsonNode *pod_spec = dr_openapi_subschema (schema, "spec", "template", "spec", NULL);

          g_assert_no_error (error);
          g_assert_nonnull (pod_spec);
          g_assert_cmpuint (json_object_get_size (obj (hook)), ==, 1);
          assert_valid (pod_spec, member (obj (hook), "spec"), 0, "the job pod template");
        }
    }

  g_assert_cmpuint (validated, ==, c->instances);
}

/* Broken copies of a rendered ARS must fail against the real CRD, each with exactly its one
 * error (so the unbroken rest stays valid), or passing proves nothing. */
static void
test_schema_catches_mistakes (void)
{
  g_autoptr(GPtrArray) objects = render_case (&cases[0]);
  g_autoptr(GPtrArray) sets = objects_of_kind (objects, "AutoscalingRunnerSet");
  JsonNode *schema = ars_crd_schema ();
  struct
  {
    const char *mistake;  /* made in the loop below */
    const char *error;
  } mistakes[] = {
    { "foo", ".spec.template.spec.containers[0].foo: unknown field" },
    { "minRunners", ".spec.minRunners: -1 is below the minimum 0" },
    /* The CRD marks githubConfigUrl "Required" only in prose; the PodSpec's own rule holds. */
    { "containers", ".spec.template.spec.containers: required field missing" },
    { "restartPolicy", ".spec.template.spec.restartPolicy: expected string, got integer" },
    { "label", ".metadata.labels[\"app.kubernetes.io/version\"]: \"0.14.2+dev!\" does not "
               "match the pattern ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" },
    { "port", ".spec.template.spec.containers[0].ports[0].containerPort: 3000000000 is out of "
              "the int32 range" },
  };

  if (schema == NULL)
    return;

  for (guint m = 0; m < G_N_ELEMENTS (mistakes); m++)
    {
      g_autoptr(JsonNode) ars = NULL;
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *copy = dr_arc_render_to_json (sets);
      g_autofree char *want = NULL;
      JsonObject *spec;
      JsonObject *runner;

      /* A deep copy through text, so the rendered objects stay untouched. */
      g_assert_true (json_parser_load_from_data (parser, copy, -1, NULL));
      ars = json_node_copy (json_array_get_element (json_node_get_array (
        member (obj (json_parser_get_root (parser)), "items")), 0));
      spec = obj (member (obj (ars), "spec"));
      runner = container_named (obj (member (spec, "template.spec")), "containers", "runner");

      if (g_str_equal (mistakes[m].mistake, "foo"))
        json_object_set_int_member (runner, "foo", 1);
      else if (g_str_equal (mistakes[m].mistake, "minRunners"))
        json_object_set_int_member (spec, "minRunners", -1);
      else if (g_str_equal (mistakes[m].mistake, "containers"))
        json_object_remove_member (obj (member (spec, "template.spec")), "containers");
      else if (g_str_equal (mistakes[m].mistake, "restartPolicy"))
        json_object_set_int_member (obj (member (spec, "template.spec")), "restartPolicy", 1);
      else if (g_str_equal (mistakes[m].mistake, "label"))
        json_object_set_string_member (obj (member (obj (ars), "metadata.labels")),
                                       "app.kubernetes.io/version", "0.14.2+dev!");
      else if (g_str_equal (mistakes[m].mistake, "port"))
        {
          JsonArray *ports = json_array_new ();
          JsonObject *port = json_object_new ();

          json_object_set_int_member (port, "containerPort", G_GINT64_CONSTANT (3000000000));
          json_array_add_object_element (ports, port);
          json_object_set_array_member (runner, "ports", ports);
        }

      errors = dr_openapi_validate (schema, ars, DR_OPENAPI_VALIDATE_OBJECT_ROOT);
      text = dr_openapi_format_errors (errors);
      want = g_strconcat (mistakes[m].error, "\n", NULL);
      g_assert_cmpstr (text, ==, want);
    }
}

/* 3. Traps */

static void
assert_labels (JsonObject               *object,
               const char               *scale_set,
               const DrArcRenderOptions *options)
{
  const char *ns = options ? options->runner_namespace : DR_DEFAULT_RUNNER_NAMESPACE;

  /* FACTS.md §2.6 item 2: without it the controller deletes the ARS. */
  g_assert_cmpstr (label (object, "app.kubernetes.io/version"), ==, DR_ARC_VERSION);
  g_assert_cmpstr (label (object, "app.kubernetes.io/managed-by"), ==, "deskrun");
  g_assert_cmpstr (label (object, "app.kubernetes.io/part-of"), ==, "gha-rs");
  g_assert_cmpstr (label (object, "app.kubernetes.io/name"), ==, scale_set);
  g_assert_cmpstr (label (object, "app.kubernetes.io/instance"), ==, scale_set);
  g_assert_cmpstr (label (object, "actions.github.com/scale-set-name"), ==, scale_set);
  g_assert_cmpstr (label (object, "actions.github.com/scale-set-namespace"), ==, ns);
  g_assert_cmpstr (label (object, DR_LABEL_RUNNER), ==, "demo");
  g_assert_cmpstr (str (obj (member (object, "metadata")), "namespace"), ==, ns);
}

/* Every key=value of a label selector holds for @object's labels. */
static gboolean
selector_matches (const char *selector,
                  JsonObject *object)
{
  g_auto(GStrv) terms = g_strsplit (selector, ",", -1);
  JsonObject *labels = obj (member (object, "metadata.labels"));

  for (guint i = 0; terms[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (terms[i], "=", 2);
      JsonNode *value = json_object_get_member (labels, kv[0]);

      if (value == NULL || g_strcmp0 (json_node_get_string (value), kv[1]) != 0)
        return FALSE;
    }
  return TRUE;
}

static const struct
{
  const char *annotation;
  const char *kind;
} cleanup_kinds[] = {
  { "actions.github.com/cleanup-github-secret-name", "Secret" },
  { "actions.github.com/cleanup-manager-role-binding", "RoleBinding" },
  { "actions.github.com/cleanup-manager-role-name", "Role" },
  { "actions.github.com/cleanup-no-permission-service-account-name", "ServiceAccount" },
  { "actions.github.com/cleanup-kubernetes-mode-role-binding-name", "RoleBinding" },
  { "actions.github.com/cleanup-kubernetes-mode-role-name", "Role" },
  { "actions.github.com/cleanup-kubernetes-mode-service-account-name", "ServiceAccount" },
};

/* FACTS.md §2.6: a helper with the cleanup finalizer but no ARS annotation naming it is
 * stuck forever; an annotation without the object is a dangling reference. Both or neither,
 * and exactly the chart's set per mode. */
static void
assert_cleanup_consistent (GPtrArray       *objects,
                           JsonObject      *ars,
                           DrContainerMode  mode)
{
  const char *scale_set = str (ars, "metadata.name");
  JsonObject *annotations = obj (member (ars, "metadata.annotations"));
  g_autoptr(GList) keys = json_object_get_members (annotations);
  g_autoptr(GHashTable) annotated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  guint finalized = 0;
  guint cleanup_keys = 0;

  g_assert_false (has_finalizer (ars));

  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *kind = NULL;

      if (!g_str_has_prefix (key, "actions.github.com/cleanup-"))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (cleanup_kinds); i++)
        if (g_str_equal (cleanup_kinds[i].annotation, key))
          kind = cleanup_kinds[i].kind;
      if (kind == NULL)
        g_error ("%s: unknown annotation %s", scale_set, key);
      g_assert_nonnull (find_object (objects, kind, annotation (ars, key)));
      g_hash_table_add (annotated, g_strdup_printf ("%s/%s", kind, annotation (ars, key)));
      cleanup_keys++;
    }

  g_assert_cmpuint (cleanup_keys, ==, mode == DR_CONTAINER_MODE_DIND ? 4 : 6);
  g_assert_cmpuint (g_hash_table_size (annotated), ==, cleanup_keys);

  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = obj (g_ptr_array_index (objects, i));
      g_autofree char *key = g_strdup_printf ("%s/%s", str (object, "kind"),
                                              str (object, "metadata.name"));

      if (!g_str_equal (label (object, "app.kubernetes.io/name"), scale_set))
        continue;
      if (g_str_equal (str (object, "kind"), "AutoscalingRunnerSet"))
        continue;
      g_assert_cmpint (has_finalizer (object), ==, g_hash_table_contains (annotated, key));
      if (has_finalizer (object))
        finalized++;
      else
        g_assert_cmpstr (str (object, "kind"), ==, "ConfigMap");
    }
  g_assert_cmpuint (finalized, ==, cleanup_keys);
}

/* A value of a Secret's data, decoded. */
static char *
secret_value (JsonObject *data,
              const char *key)
{
  gsize length = 0;
  g_autofree guchar *decoded = g_base64_decode (str (data, key), &length);

  return g_strndup ((const char *) decoded, length);
}

static void
assert_secret_value (JsonObject *data,
                     const char *key,
                     const char *expected)
{
  g_autofree char *value = secret_value (data, key);

  g_assert_cmpstr (value != NULL ? value : "", ==, expected);
}

static void
assert_secret (JsonObject       *secret,
               const RenderCase *c)
{
  JsonObject *data = obj (member (secret, "data"));
  g_autoptr(GList) keys = json_object_get_members (data);

  g_assert_cmpstr (str (secret, "type"), ==, "Opaque");
  /* data, never stringData: server-side apply merges stringData into data without removing
   * a key, so the old kind's key would stay after a change of credential kind
   * (kubernetes#108008). */
  g_assert_false (has_member (secret, "stringData"));
  /* FACTS.md §2.4: the keys of one kind only; both kinds are rejected by the controller. */
  if (c->kind == DR_CREDENTIAL_KIND_PAT)
    {
      g_assert_cmpuint (g_list_length (keys), ==, 1);
      assert_secret_value (data, "github_token", c->credential ? TEST_TOKEN : "");
      g_assert_false (has_member (data, "github_app_id"));
    }
  else
    {
      g_assert_cmpuint (g_list_length (keys), ==, 3);
      g_assert_false (has_member (data, "github_token"));
      assert_secret_value (data, "github_app_id", c->credential ? TEST_APP_ID : "");
      assert_secret_value (data, "github_app_installation_id",
                           c->credential ? TEST_INSTALLATION : "");
      assert_secret_value (data, "github_app_private_key", c->credential ? TEST_KEY : "");
    }
}

static void
assert_rbac (GPtrArray                *objects,
             DrArcScaleSetNames       *names,
             DrContainerMode           mode,
             const DrArcRenderOptions *options)
{
  JsonObject *binding = find_object (objects, "RoleBinding", names->manager_role_binding);
  JsonObject *role = find_object (objects, "Role", names->manager_role);
  JsonArray *subjects;
  JsonObject *subject;
  JsonArray *rules;
  gboolean jobs_rule = FALSE;

  /* FACTS.md §2.6 item 5: the controller's own account, in the controller's namespace. */
  g_assert_nonnull (binding);
  g_assert_nonnull (role);
  subjects = json_node_get_array (member (binding, "subjects"));
  g_assert_cmpuint (json_array_get_length (subjects), ==, 1);
  subject = json_array_get_object_element (subjects, 0);
  g_assert_cmpstr (str (subject, "kind"), ==, "ServiceAccount");
  g_assert_cmpstr (str (subject, "name"), ==,
                   options ? options->controller_service_account : DR_ARC_CONTROLLER_SA);
  g_assert_cmpstr (str (subject, "namespace"), ==,
                   options ? options->controller_namespace : DR_DEFAULT_CONTROLLER_NAMESPACE);
  g_assert_cmpstr (str (binding, "roleRef.kind"), ==, "Role");
  g_assert_cmpstr (str (binding, "roleRef.name"), ==, names->manager_role);

  /* The chart's manager rules: pods, pods/status, secrets, serviceaccounts, rolebindings,
   * roles — and nothing about configmaps without githubServerTLS. */
  rules = json_node_get_array (member (role, "rules"));
  g_assert_cmpuint (json_array_get_length (rules), ==, 6);
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      JsonArray *resources = json_node_get_array (member (rule, "resources"));

      g_assert_false (contains_string (resources, "configmaps"));
      if (contains_string (resources, "pods"))
        {
          g_autoptr(GPtrArray) verbs = strings_of (json_node_get_array (member (rule,
                                                                                "verbs")));
          g_assert_cmpuint (verbs->len, ==, 3);
        }
    }

  if (mode == DR_CONTAINER_MODE_DIND)
    {
      g_assert_null (names->kube_mode_role);
      g_assert_nonnull (find_object (objects, "ServiceAccount",
                                     names->no_permission_service_account));
      return;
    }

  role = find_object (objects, "Role", names->kube_mode_role);
  binding = find_object (objects, "RoleBinding", names->kube_mode_role_binding);
  g_assert_nonnull (role);
  g_assert_nonnull (binding);
  g_assert_nonnull (find_object (objects, "ServiceAccount", names->kube_mode_service_account));
  subject = json_array_get_object_element (json_node_get_array (member (binding, "subjects")),
                                           0);
  g_assert_cmpstr (str (subject, "name"), ==, names->kube_mode_service_account);
  rules = json_node_get_array (member (role, "rules"));
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);

      if (contains_string (json_node_get_array (member (rule, "resources")), "jobs"))
        jobs_rule = TRUE;
    }
  /* Privileged runs the kubernetes-novolume hook, which never creates Jobs (§2.2). */
  g_assert_cmpint (jobs_rule, ==, mode == DR_CONTAINER_MODE_KUBERNETES);
}

static void
assert_pod_template (JsonObject         *ars,
                     DrArcScaleSetNames *names,
                     DrContainerMode     mode,
                     const RenderCase   *c,
                     GPtrArray          *objects)
{
  JsonObject *pod = obj (member (ars, "spec.template.spec"));
  JsonObject *runner = container_named (pod, "containers", "runner");

  /* FACTS.md §2.6 item 3 */
  g_assert_nonnull (runner);
  g_assert_cmpstr (str (pod, "restartPolicy"), ==, "Never");
  g_assert_cmpstr (str (runner, "image"), ==, DR_ARC_RUNNER_IMAGE);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (member (runner,
                                                                               "command")),
                                                  0), ==, "/home/runner/run.sh");

  switch (mode)
    {
    case DR_CONTAINER_MODE_KUBERNETES:
      g_assert_cmpstr (str (pod, "serviceAccountName"), ==, names->kube_mode_service_account);
      g_assert_cmpstr (env_value (runner, "ACTIONS_RUNNER_CONTAINER_HOOKS"), ==,
                       "/home/runner/k8s/index.js");
      g_assert_cmpstr (env_value (runner, "ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER"), ==, "true");
      g_assert_cmpstr (env_value (runner, "ACTIONS_RUNNER_POD_NAME"), ==, "(valueFrom)");
      {
        JsonObject *claim = obj (member (volume_named (pod, "work"),
                                         "ephemeral.volumeClaimTemplate.spec"));

        g_assert_cmpstr (json_array_get_string_element (
                           json_node_get_array (member (claim, "accessModes")), 0), ==,
                         "ReadWriteOnce");
        g_assert_cmpstr (str (claim, "resources.requests.storage"), ==,
                         c->custom_options ? "5Gi" : DR_ARC_WORK_VOLUME_SIZE);
        if (c->custom_options)
          g_assert_false (has_member (claim, "storageClassName"));
        else
          g_assert_cmpstr (str (claim, "storageClassName"), ==, DR_KIND_STORAGE_CLASS);
      }
      break;

    case DR_CONTAINER_MODE_PRIVILEGED:
      g_assert_cmpstr (str (pod, "serviceAccountName"), ==, names->kube_mode_service_account);
      g_assert_cmpstr (env_value (runner, "ACTIONS_RUNNER_CONTAINER_HOOKS"), ==,
                       "/home/runner/k8s-novolume/index.js");
      g_assert_cmpstr (env_value (runner, "ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE"), ==,
                       "/etc/hooks/content");
      g_assert_cmpstr (env_value (runner, "SYSTEMD_IGNORE_CHROOT"), ==, "1");
      g_assert_true (json_node_get_boolean (member (runner, "securityContext.privileged")));
      g_assert_cmpstr (str (volume_named (pod, "hook-extension"), "configMap.name"), ==,
                       names->hook_config_map);
      g_assert_nonnull (find_object (objects, "ConfigMap", names->hook_config_map));
      break;

    case DR_CONTAINER_MODE_DIND:
    default:
      {
        JsonObject *dind = container_named (pod, "initContainers", "dind");

        g_assert_cmpstr (str (pod, "serviceAccountName"), ==,
                         names->no_permission_service_account);
        g_assert_nonnull (dind);
        /* A native sidecar: an init container that keeps running. */
        g_assert_cmpstr (str (dind, "restartPolicy"), ==, "Always");
        g_assert_true (json_node_get_boolean (member (dind, "securityContext.privileged")));
        g_assert_nonnull (container_named (pod, "initContainers", "init-dind-externals"));
        g_assert_cmpstr (env_value (runner, "DOCKER_HOST"), ==, "unix:///var/run/docker.sock");
        g_assert_true (has_member (volume_named (pod, "work"), "emptyDir"));
        g_assert_cmpstr (env_value (dind, "DOCKER_GROUP_GID"), ==, "123");
      }
      break;
    }
}

/* The node paths of the mount-<i> volumes, in order. */
static GPtrArray *
mount_paths (JsonObject *ars)
{
  JsonArray *volumes = json_node_get_array (member (ars, "spec.template.spec.volumes"));
  GPtrArray *paths = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (volumes); i++)
    {
      JsonObject *volume = json_array_get_object_element (volumes, i);

      if (g_str_has_prefix (str (volume, "name"), "mount-"))
        g_ptr_array_add (paths, (gpointer) str (volume, "hostPath.path"));
    }
  return paths;
}

static void
test_traps (gconstpointer data)
{
  const RenderCase *c = data;
  g_autoptr(GPtrArray) objects = render_case (c);
  g_autoptr(GPtrArray) sets = objects_of_kind (objects, "AutoscalingRunnerSet");
  g_autoptr(GPtrArray) secrets = objects_of_kind (objects, "Secret");
  g_autoptr(GHashTable) automatic = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(DrRunnerSpec) spec = spec_for_case (c);
  g_auto(GStrv) expected_names = dr_runner_spec_dup_scale_set_names (spec);
  g_autofree char *runner_selector = dr_arc_runner_selector ("demo");
  const DrArcRenderOptions *options = options_for_case (c);
  guint first_ars = objects->len - sets->len;

  /* Apply order: every helper first, the scale sets last (§2.6). */
  g_assert_cmpuint (sets->len, ==, c->instances);
  g_assert_cmpuint (secrets->len, ==, c->instances);
  for (guint i = 0; i < objects->len; i++)
    g_assert_cmpint (g_str_equal (kind_of (g_ptr_array_index (objects, i)),
                                  "AutoscalingRunnerSet"), ==, i >= first_ars);

  for (guint i = 0; i < objects->len; i++)
    g_assert_true (selector_matches (runner_selector, obj (g_ptr_array_index (objects, i))));

  for (guint i = 0; i < sets->len; i++)
    {
      JsonObject *ars = obj (g_ptr_array_index (sets, i));
      const char *scale_set = str (ars, "metadata.name");
      g_autoptr(DrArcScaleSetNames) names = dr_arc_scale_set_names_new (scale_set, c->mode);
      g_autofree char *name = dr_arc_scale_set_name ("demo", c->instances, i + 1);
      g_autofree char *set_selector = dr_arc_scale_set_selector (scale_set);
      g_autofree char *instance = g_strdup_printf ("%u", i + 1);
      g_autoptr(GPtrArray) paths = mount_paths (ars);
      const char *hash = annotation (ars, "actions.github.com/values-hash");

      g_assert_cmpstr (scale_set, ==, name);
      g_assert_cmpstr (scale_set, ==, expected_names[i]);
      g_assert_cmpstr (str (ars, "apiVersion"), ==, "actions.github.com/v1alpha1");
      g_assert_cmpstr (str (ars, "spec.runnerScaleSetName"), ==, scale_set);
      g_assert_cmpstr (str (ars, "spec.githubConfigUrl"), ==, "https://github.com/octo-org/demo");
      g_assert_cmpstr (str (ars, "spec.githubConfigSecret"), ==, names->github_secret);
      g_assert_cmpstr (label (ars, "app.kubernetes.io/component"), ==,
                       "autoscaling-runner-set");
      g_assert_cmpstr (label (ars, DR_LABEL_INSTANCE), ==, instance);
      g_assert_true (selector_matches (set_selector, ars));
      assert_labels (ars, scale_set, options);

      /* values-hash: sha256 in hex, cut to 63 characters like the chart's. */
      g_assert_cmpuint (strlen (hash), ==, 63);
      for (const char *p = hash; *p; p++)
        g_assert_true (g_ascii_isxdigit (*p));

      /* Instances are single runners with caches of their own (§2.10). */
      if (c->instances > 1)
        {
          g_assert_cmpint (json_node_get_int (member (ars, "spec.minRunners")), ==, 1);
          g_assert_cmpint (json_node_get_int (member (ars, "spec.maxRunners")), ==, 1);
        }
      else
        {
          g_assert_cmpint (json_node_get_int (member (ars, "spec.minRunners")), ==,
                           c->min_runners);
          g_assert_cmpint (json_node_get_int (member (ars, "spec.maxRunners")), ==,
                           c->max_runners);
        }

      if (c->runner_group != NULL)
        g_assert_cmpstr (str (ars, "spec.runnerGroup"), ==, c->runner_group);
      else
        g_assert_false (has_member (ars, "spec.runnerGroup"));
      if (c->labels[0] != NULL)
        {
          JsonArray *labels = json_node_get_array (member (ars, "spec.runnerScaleSetLabels"));

          g_assert_cmpuint (json_array_get_length (labels), ==, 2);
          g_assert_cmpstr (json_array_get_string_element (labels, 0), ==, c->labels[0]);
        }
      else
        {
          g_assert_false (has_member (ars, "spec.runnerScaleSetLabels"));
        }

      if (c->mounts)
        {
          g_autofree char *auto_path = g_strdup_printf (DR_HOST_CACHE_NODE_DIR "/%s/mount-0",
                                                        scale_set);

          g_assert_cmpuint (paths->len, ==, 4);
          g_assert_cmpstr (g_ptr_array_index (paths, 0), ==, auto_path);
          g_assert_cmpstr (g_ptr_array_index (paths, 2), ==, "/nix/store");
          g_assert_true (g_hash_table_add (automatic, g_ptr_array_index (paths, 0)));
        }
      else
        {
          g_assert_cmpuint (paths->len, ==, 0);
        }

      for (guint j = 0; j < objects->len; j++)
        {
          JsonObject *object = obj (g_ptr_array_index (objects, j));

          if (g_str_equal (label (object, "app.kubernetes.io/name"), scale_set))
            assert_labels (object, scale_set, options);
        }

      assert_secret (find_object (objects, "Secret", names->github_secret), c);
      assert_rbac (objects, names, c->mode, options);
      assert_cleanup_consistent (objects, ars, c->mode);
      assert_pod_template (ars, names, c->mode, c, objects);
    }
}

static void
test_deterministic (gconstpointer data)
{
  const RenderCase *c = data;
  g_autoptr(GPtrArray) first = render_case (c);
  g_autoptr(GPtrArray) second = render_case (c);
  g_autoptr(DrRunnerSpec) spec = spec_for_case (c);
  g_autoptr(DrRunnerSpec) copy = dr_runner_spec_copy (spec);
  g_autoptr(DrCredential) credential = credential_for_case (c);
  g_autoptr(GPtrArray) third = dr_arc_render_runner (copy, credential, options_for_case (c),
                                                     NULL);
  g_autofree char *a = dr_arc_render_to_json (first);
  g_autofree char *b = dr_arc_render_to_json (second);
  g_autofree char *d = dr_arc_render_to_json (third);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, d);
  g_assert_true (g_str_has_suffix (a, "}\n"));
}

/* values-hash follows the spec: a change restarts the listener, no change does not (§2.6). */
static void
test_values_hash (void)
{
  g_autoptr(DrRunnerSpec) spec = spec_for_case (&cases[3]);
  g_autoptr(GPtrArray) before = dr_arc_render_runner (spec, NULL, NULL, NULL);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) with_token = NULL;
  g_autoptr(DrCredential) credential = dr_credential_new_pat (TEST_TOKEN);
  JsonObject *ars_before = obj (g_ptr_array_index (before, before->len - 1));

  spec->max_runners = 7;
  after = dr_arc_render_runner (spec, NULL, NULL, NULL);
  spec->max_runners = cases[3].max_runners;
  with_token = dr_arc_render_runner (spec, credential, NULL, NULL);

  g_assert_cmpstr (annotation (ars_before, "actions.github.com/values-hash"), !=,
                   annotation (obj (g_ptr_array_index (after, after->len - 1)),
                               "actions.github.com/values-hash"));
  /* The secret is not part of the ARS spec, so a token change alone keeps the hash. */
  g_assert_cmpstr (annotation (ars_before, "actions.github.com/values-hash"), ==,
                   annotation (obj (g_ptr_array_index (with_token, with_token->len - 1)),
                               "actions.github.com/values-hash"));
}

/* FACTS.md §2.8: scale sets first (the engine waits for each to be gone, so the controller
 * can still use the secret and the manager role to clean up), helpers after. */
static void
test_deletion_order (void)
{
  g_autoptr(GPtrArray) objects = render_case (&cases[1]);
  g_autoptr(GPtrArray) refs = dr_arc_deletion_order (objects);
  g_autoptr(GPtrArray) sets = objects_of_kind (objects, "AutoscalingRunnerSet");

  g_assert_cmpuint (refs->len, ==, objects->len);
  for (guint i = 0; i < refs->len; i++)
    {
      DrArcObjectRef *ref = g_ptr_array_index (refs, i);

      g_assert_cmpint (g_str_equal (ref->kind, "AutoscalingRunnerSet"), ==, i < sets->len);
      g_assert_cmpstr (ref->namespace_, ==, DR_DEFAULT_RUNNER_NAMESPACE);
      g_assert_nonnull (find_object (objects, ref->kind, ref->name));
    }
  g_assert_cmpstr (((DrArcObjectRef *) g_ptr_array_index (refs, 0))->name, ==, "demo-1");
  g_assert_cmpstr (((DrArcObjectRef *) g_ptr_array_index (refs, 0))->api_version, ==,
                   "actions.github.com/v1alpha1");
  /* The last helper applied is the first helper deleted. */
  g_assert_cmpstr (((DrArcObjectRef *) g_ptr_array_index (refs, sets->len))->name, ==,
                   name_of (g_ptr_array_index (objects, objects->len - sets->len - 1)));
  g_assert_cmpstr (((DrArcObjectRef *) g_ptr_array_index (refs, refs->len - 1))->name, ==,
                   "demo-1-gha-rs-github-secret");
}

static void
test_names (void)
{
  g_autoptr(DrArcScaleSetNames) kube = NULL;
  g_autoptr(DrArcScaleSetNames) priv = NULL;
  g_autoptr(DrArcScaleSetNames) dind = NULL;
  g_autofree char *one = dr_arc_scale_set_name ("x", 1, 1);
  g_autofree char *third = dr_arc_scale_set_name ("x", 3, 3);
  g_autofree char *runner = dr_arc_runner_selector ("x");
  g_autofree char *set = dr_arc_scale_set_selector ("x-2");

  kube = dr_arc_scale_set_names_new ("x", DR_CONTAINER_MODE_KUBERNETES);
  priv = dr_arc_scale_set_names_new ("x", DR_CONTAINER_MODE_PRIVILEGED);
  dind = dr_arc_scale_set_names_new ("x", DR_CONTAINER_MODE_DIND);

  /* The chart's names (FACTS.md §2.1). */
  g_assert_cmpstr (kube->scale_set, ==, "x");
  g_assert_cmpstr (kube->github_secret, ==, "x-gha-rs-github-secret");
  g_assert_cmpstr (kube->manager_role, ==, "x-gha-rs-manager");
  g_assert_cmpstr (kube->manager_role_binding, ==, "x-gha-rs-manager");
  g_assert_cmpstr (kube->kube_mode_service_account, ==, "x-gha-rs-kube-mode");
  g_assert_cmpstr (kube->kube_mode_role, ==, "x-gha-rs-kube-mode");
  g_assert_cmpstr (kube->kube_mode_role_binding, ==, "x-gha-rs-kube-mode");
  g_assert_null (kube->no_permission_service_account);
  g_assert_null (kube->hook_config_map);
  g_assert_cmpstr (priv->hook_config_map, ==, "privileged-hook-extension-x");
  g_assert_cmpstr (priv->kube_mode_service_account, ==, "x-gha-rs-kube-mode");
  g_assert_cmpstr (dind->no_permission_service_account, ==, "x-gha-rs-no-permission");
  g_assert_null (dind->kube_mode_role);
  g_assert_null (dind->hook_config_map);

  g_assert_cmpstr (one, ==, "x");
  g_assert_cmpstr (third, ==, "x-3");
  g_assert_cmpstr (runner, ==, "app.kubernetes.io/managed-by=deskrun,deskrun.io/runner=x");
  g_assert_cmpstr (set, ==,
                   "app.kubernetes.io/managed-by=deskrun,actions.github.com/scale-set-name=x-2");
}

static void
assert_render_fails (DrRunnerSpec       *spec,
                     const DrCredential *credential,
                     const char         *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = dr_arc_render_runner (spec, credential, NULL, &error);

  g_assert_null (objects);
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_test_message ("message: %s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, needle);
}

static void
test_errors (void)
{
  g_autoptr(DrRunnerSpec) spec = spec_for_case (&cases[3]);
  g_autoptr(DrCredential) app = dr_credential_new_app (TEST_APP_ID, TEST_INSTALLATION, TEST_KEY);
  g_autoptr(DrCredential) empty = dr_credential_new_pat ("");
  g_autoptr(DrCredential) partial = dr_credential_new_app (TEST_APP_ID, NULL, TEST_KEY);
  g_autoptr(GPtrArray) ok = NULL;

  /* The spec's own validation comes first. */
  spec->max_runners = 0;
  assert_render_fails (spec, NULL, "maximum");
  spec->max_runners = 5;

  /* A keyring entry that does not fit the spec never becomes a half-right Secret. */
  assert_render_fails (spec, app, "not of the kind");
  assert_render_fails (spec, empty, "incomplete");
  spec->credential_kind = DR_CREDENTIAL_KIND_GITHUB_APP;
  assert_render_fails (spec, partial, "incomplete");
  spec->credential_kind = DR_CREDENTIAL_KIND_PAT;

  /* Mounts onto the mode's own paths would only fail at pod creation. */
  g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/home/runner/_work/",
                                               DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  assert_render_fails (spec, NULL, "used by the kubernetes container mode");
  g_ptr_array_set_size (spec->mounts, 0);
  spec->mode = DR_CONTAINER_MODE_PRIVILEGED;
  g_ptr_array_add (spec->mounts, dr_mount_new ("/cache", "/dev/shm",
                                               DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  assert_render_fails (spec, NULL, "used by the privileged container mode");
  g_ptr_array_set_size (spec->mounts, 0);
  spec->mode = DR_CONTAINER_MODE_DIND;
  g_ptr_array_add (spec->mounts, dr_mount_new ("/var/run/docker.sock", "/var/run/docker.sock",
                                               DR_MOUNT_TYPE_SOCKET));
  assert_render_fails (spec, NULL, "inside /var/run");
  g_ptr_array_set_size (spec->mounts, 0);
  /* the same paths are fine in another mode */
  g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/dev/shm",
                                               DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  ok = dr_arc_render_runner (spec, NULL, NULL, NULL);
  g_assert_nonnull (ok);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *golden = g_strdup_printf ("/deskrun/arc-render/golden/%s", cases[i].name);
      g_autofree char *schema = g_strdup_printf ("/deskrun/arc-render/schema/%s", cases[i].name);
      g_autofree char *traps = g_strdup_printf ("/deskrun/arc-render/traps/%s", cases[i].name);
      g_autofree char *same = g_strdup_printf ("/deskrun/arc-render/deterministic/%s",
                                               cases[i].name);

      g_test_add_data_func (golden, &cases[i], test_golden);
      g_test_add_data_func (schema, &cases[i], test_schema);
      g_test_add_data_func (traps, &cases[i], test_traps);
      g_test_add_data_func (same, &cases[i], test_deterministic);
    }
  g_test_add_func ("/deskrun/arc-render/schema-catches-mistakes", test_schema_catches_mistakes);
  g_test_add_func ("/deskrun/arc-render/values-hash", test_values_hash);
  g_test_add_func ("/deskrun/arc-render/deletion-order", test_deletion_order);
  g_test_add_func ("/deskrun/arc-render/names", test_names);
  g_test_add_func ("/deskrun/arc-render/errors", test_errors);

  return g_test_run ();
}
