/* dr-arc-render.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-arc-api.h"
#include "dr-arc-render.h"
#include "dr-error.h"
#include "dr-json.h"
#include "dr-versions.h"
#include "dr-yaml.h"

#define RBAC_API_VERSION  "rbac.authorization.k8s.io/v1"
#define RBAC_API_GROUP    "rbac.authorization.k8s.io"

/* The chart truncates the sha256 of its values to fit a label-sized annotation (§2.3). */
#define VALUES_HASH_LENGTH 63

/* Everything one scale set's objects are made from. */
typedef struct
{
  const DrRunnerSpec       *spec;
  const char               *url;          /* githubConfigUrl, normalized */
  const DrCredential       *credential;   /* NULL: preview */
  DrArcRenderOptions        options;      /* defaults resolved */
  const char               *scale_set;
  guint                     instance;     /* 1-based */
  DrArcScaleSetNames       *names;
  GPtrArray                *mount_paths;  /* utf8: node path of each spec mount */
  /* Pairs of (annotation key, object name), one per helper that carries the cleanup
   * finalizer, in apply order; the ARS annotations are made from this list so that a
   * finalizer never exists without its annotation (FACTS.md §2.6). */
  GPtrArray                *cleanup;
} ScaleSet;

/* Small JSON builders. Every object is made member by member in a fixed order: json-glib
 * keeps insertion order, which is what makes the output byte-identical run after run. */

static JsonNode *
node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

static void
set_object (JsonObject *object,
            const char *key,
            JsonObject *child)
{
  json_object_set_object_member (object, key, child);
}

static void
set_array (JsonObject *object,
           const char *key,
           JsonArray  *child)
{
  json_object_set_array_member (object, key, child);
}

static JsonArray *
string_array (const char *first,
              ...)
{
  JsonArray *array = json_array_new ();
  const char *s;
  va_list args;

  va_start (args, first);
  for (s = first; s != NULL; s = va_arg (args, const char *))
    json_array_add_string_element (array, s);
  va_end (args);

  return array;
}

static JsonObject *
env_var (const char *name,
         const char *value)
{
  JsonObject *env = json_object_new ();

  json_object_set_string_member (env, "name", name);
  json_object_set_string_member (env, "value", value);
  return env;
}

static JsonObject *
env_var_field_ref (const char *name,
                   const char *field_path)
{
  JsonObject *env = json_object_new ();
  JsonObject *value_from = json_object_new ();
  JsonObject *field_ref = json_object_new ();

  json_object_set_string_member (field_ref, "fieldPath", field_path);
  set_object (value_from, "fieldRef", field_ref);
  json_object_set_string_member (env, "name", name);
  set_object (env, "valueFrom", value_from);
  return env;
}

static JsonObject *
volume_mount (const char *name,
              const char *path)
{
  JsonObject *mount = json_object_new ();

  json_object_set_string_member (mount, "name", name);
  json_object_set_string_member (mount, "mountPath", path);
  return mount;
}

static JsonObject *
host_path_volume (const char *name,
                  const char *path,
                  const char *type)
{
  JsonObject *volume = json_object_new ();
  JsonObject *host_path = json_object_new ();

  json_object_set_string_member (host_path, "path", path);
  json_object_set_string_member (host_path, "type", type);
  json_object_set_string_member (volume, "name", name);
  set_object (volume, "hostPath", host_path);
  return volume;
}

static JsonObject *
empty_dir_volume (const char *name)
{
  JsonObject *volume = json_object_new ();

  json_object_set_string_member (volume, "name", name);
  set_object (volume, "emptyDir", json_object_new ());
  return volume;
}

static JsonObject *
policy_rule (const char *api_group,
             const char *resource,
             JsonArray  *verbs)
{
  JsonObject *rule = json_object_new ();

  set_array (rule, "apiGroups", string_array (api_group, NULL));
  set_array (rule, "resources", string_array (resource, NULL));
  set_array (rule, "verbs", verbs);
  return rule;
}

/* JSON text comes from dr_json_to_string(): the same input always gives the same bytes, which
 * golden files and values-hash rely on. */
static char *
object_to_text (JsonObject *object,
                gboolean    pretty)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return dr_json_to_string (node, pretty);
}

/* The hostPath types of FACTS.md §2.10, spelled as Kubernetes spells them. */
static const char *
host_path_type (DrMountType type)
{
  switch (type)
    {
    case DR_MOUNT_TYPE_DIRECTORY:
      return "Directory";
    case DR_MOUNT_TYPE_SOCKET:
      return "Socket";
    case DR_MOUNT_TYPE_DIRECTORY_OR_CREATE:
    default:
      return "DirectoryOrCreate";
    }
}

static char *
mount_volume_name (guint index)
{
  return g_strdup_printf ("mount-%u", index);
}

/* Metadata and labels. */

static JsonObject *
labels_new (const ScaleSet *ss,
            const char     *component)
{
  JsonObject *labels = json_object_new ();
  g_autofree char *instance = g_strdup_printf ("%u", ss->instance);

  if (component != NULL)
    json_object_set_string_member (labels, "app.kubernetes.io/component", component);
  json_object_set_string_member (labels, "app.kubernetes.io/name", ss->scale_set);
  json_object_set_string_member (labels, "app.kubernetes.io/instance", ss->scale_set);
  /* Without this label (major.minor equal to the controller's) the controller deletes the
   * AutoscalingRunnerSet on its first reconcile (FACTS.md §2.6 item 2). */
  json_object_set_string_member (labels, "app.kubernetes.io/version", DR_ARC_VERSION);
  json_object_set_string_member (labels, "app.kubernetes.io/managed-by", DR_LABEL_MANAGED_BY_VALUE);
  json_object_set_string_member (labels, "app.kubernetes.io/part-of", "gha-rs");
  json_object_set_string_member (labels, "actions.github.com/scale-set-name", ss->scale_set);
  json_object_set_string_member (labels, "actions.github.com/scale-set-namespace",
                                 ss->options.runner_namespace);
  json_object_set_string_member (labels, DR_LABEL_RUNNER, ss->spec->name);
  json_object_set_string_member (labels, DR_LABEL_INSTANCE, instance);
  return labels;
}

static JsonObject *
metadata_new (const ScaleSet *ss,
              const char     *name,
              const char     *component)
{
  JsonObject *metadata = json_object_new ();

  json_object_set_string_member (metadata, "name", name);
  json_object_set_string_member (metadata, "namespace", ss->options.runner_namespace);
  set_object (metadata, "labels", labels_new (ss, component));
  return metadata;
}

static JsonObject *
object_new (const char *api_version,
            const char *kind,
            JsonObject *metadata)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "apiVersion", api_version);
  json_object_set_string_member (object, "kind", kind);
  set_object (object, "metadata", metadata);
  return object;
}

/* Gives @metadata the cleanup finalizer and records the ARS annotation that names the
 * object. The controller strips the finalizer only from objects its ARS annotations name
 * (FACTS.md §2.8); a finalizer without its annotation would hang the object forever. */
static void
protect (ScaleSet   *ss,
         JsonObject *metadata,
         const char *annotation,
         const char *name)
{
  set_array (metadata, "finalizers", string_array (DR_ARC_CLEANUP_FINALIZER, NULL));
  g_ptr_array_add (ss->cleanup, g_strdup (annotation));
  g_ptr_array_add (ss->cleanup, g_strdup (name));
}

/* Helper objects. */

/* A Secret value as the API server stores it in data. */
static void
set_secret_value (JsonObject *data,
                  const char *key,
                  const char *value)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));

  json_object_set_string_member (data, key, encoded);
}

static JsonNode *
render_secret (ScaleSet  *ss)
{
  JsonObject *metadata = metadata_new (ss, ss->names->github_secret, NULL);
  JsonObject *secret = object_new ("v1", "Secret", metadata);
  JsonObject *data = json_object_new ();
  const DrCredential *credential = ss->credential;

  protect (ss, metadata, "actions.github.com/cleanup-github-secret-name",
           ss->names->github_secret);
  json_object_set_string_member (secret, "type", "Opaque");

  /* Only one kind's keys, never both: the controller rejects a secret with PAT and App keys
   * (FACTS.md §2.4). The keys go in data, not stringData: server-side apply owns each data
   * key it was sent and removes it when a later apply no longer sends it, so changing the
   * credential kind drops the old kind's keys. stringData is write-only and is merged into
   * data without ever removing a key (kubernetes#108008). */
  if (ss->spec->credential_kind == DR_CREDENTIAL_KIND_PAT)
    {
      set_secret_value (data, "github_token", credential ? credential->token : "");
    }
  else
    {
      set_secret_value (data, "github_app_id", credential ? credential->app_id : "");
      set_secret_value (data, "github_app_installation_id",
                        credential ? credential->installation_id : "");
      set_secret_value (data, "github_app_private_key",
                        credential ? credential->private_key : "");
    }
  set_object (secret, "data", data);

  return node_take_object (secret);
}

static JsonNode *
render_service_account (ScaleSet   *ss,
                        const char *name,
                        const char *annotation)
{
  JsonObject *metadata = metadata_new (ss, name, NULL);
  JsonObject *account = object_new ("v1", "ServiceAccount", metadata);

  protect (ss, metadata, annotation, name);
  return node_take_object (account);
}

/* Rules of the chart's manager_role.yaml for 0.14.2 (FACTS.md §2.6 item 5). The configmaps
 * rule exists only with githubServerTLS, which deskrun does not set. */
static JsonArray *
manager_rules (void)
{
  JsonArray *rules = json_array_new ();

  json_array_add_object_element (rules,
                                 policy_rule ("", "pods",
                                              string_array ("create", "delete", "get", NULL)));
  json_array_add_object_element (rules,
                                 policy_rule ("", "pods/status", string_array ("get", NULL)));
  json_array_add_object_element (rules,
                                 policy_rule ("", "secrets",
                                              string_array ("create", "delete", "get", "list",
                                                            "patch", "update", NULL)));
  json_array_add_object_element (rules,
                                 policy_rule ("", "serviceaccounts",
                                              string_array ("create", "delete", "get", "list",
                                                            "patch", "update", NULL)));
  json_array_add_object_element (rules,
                                 policy_rule (RBAC_API_GROUP, "rolebindings",
                                              string_array ("create", "delete", "get", "patch",
                                                            "update", NULL)));
  json_array_add_object_element (rules,
                                 policy_rule (RBAC_API_GROUP, "roles",
                                              string_array ("create", "delete", "get", "patch",
                                                            "update", NULL)));
  return rules;
}

/* What the container hooks may do in the runner's namespace (FACTS.md §2.2). Privileged mode
 * runs the kubernetes-novolume hook, which creates pods but never batch Jobs, so it gets the
 * chart's kubernetes-novolume rules without batch/jobs. */
static JsonArray *
kube_mode_rules (DrContainerMode mode)
{
  JsonArray *rules = json_array_new ();

  json_array_add_object_element (rules,
                                 policy_rule ("", "pods",
                                              string_array ("get", "list", "create", "delete",
                                                            NULL)));
  json_array_add_object_element (rules,
                                 policy_rule ("", "pods/exec",
                                              string_array ("get", "create", NULL)));
  json_array_add_object_element (rules,
                                 policy_rule ("", "pods/log",
                                              string_array ("get", "list", "watch", NULL)));
  if (mode == DR_CONTAINER_MODE_KUBERNETES)
    json_array_add_object_element (rules,
                                   policy_rule ("batch", "jobs",
                                                string_array ("get", "list", "create", "delete",
                                                              NULL)));
  json_array_add_object_element (rules,
                                 policy_rule ("", "secrets",
                                              string_array ("get", "list", "create", "delete",
                                                            NULL)));
  return rules;
}

static JsonNode *
render_role (ScaleSet   *ss,
             const char *name,
             const char *component,
             const char *annotation,
             JsonArray  *rules)
{
  JsonObject *metadata = metadata_new (ss, name, component);
  JsonObject *role = object_new (RBAC_API_VERSION, "Role", metadata);

  protect (ss, metadata, annotation, name);
  set_array (role, "rules", rules);
  return node_take_object (role);
}

static JsonNode *
render_role_binding (ScaleSet   *ss,
                     const char *name,
                     const char *component,
                     const char *annotation,
                     const char *role_name,
                     const char *subject_name,
                     const char *subject_namespace)
{
  JsonObject *metadata = metadata_new (ss, name, component);
  JsonObject *binding = object_new (RBAC_API_VERSION, "RoleBinding", metadata);
  JsonObject *role_ref = json_object_new ();
  JsonObject *subject = json_object_new ();
  JsonArray *subjects = json_array_new ();

  protect (ss, metadata, annotation, name);

  json_object_set_string_member (role_ref, "apiGroup", RBAC_API_GROUP);
  json_object_set_string_member (role_ref, "kind", "Role");
  json_object_set_string_member (role_ref, "name", role_name);
  set_object (binding, "roleRef", role_ref);

  json_object_set_string_member (subject, "kind", "ServiceAccount");
  json_object_set_string_member (subject, "name", subject_name);
  json_object_set_string_member (subject, "namespace", subject_namespace);
  json_array_add_object_element (subjects, subject);
  set_array (binding, "subjects", subjects);

  return node_take_object (binding);
}

/* The job pod template of privileged mode (FACTS.md §2.10): the kubernetes-novolume hook
 * merges it into every job pod it creates. */
static JsonObject *
privileged_hook_template (const ScaleSet *ss)
{
  JsonObject *root = json_object_new ();
  JsonObject *spec = json_object_new ();
  JsonObject *pod_security = json_object_new ();
  JsonArray *init_containers = json_array_new ();
  JsonObject *init = json_object_new ();
  JsonArray *init_mounts = json_array_new ();
  JsonArray *containers = json_array_new ();
  JsonObject *job = json_object_new ();
  JsonArray *job_env = json_array_new ();
  JsonObject *job_security = json_object_new ();
  JsonObject *capabilities = json_object_new ();
  JsonArray *job_mounts = json_array_new ();
  JsonArray *volumes = json_array_new ();
  JsonObject *cgroup_mount;
  const GPtrArray *mounts = ss->spec->mounts;

  json_object_set_boolean_member (spec, "hostPID", TRUE);
  json_object_set_boolean_member (spec, "hostIPC", TRUE);
  json_object_set_int_member (pod_security, "runAsUser", 0);
  json_object_set_int_member (pod_security, "runAsGroup", 0);
  json_object_set_int_member (pod_security, "fsGroup", 0);
  set_object (spec, "securityContext", pod_security);

  /* The hook replaces its own initContainers with the template's, so this one also does the
   * hook's job of filling the "externals" volume (the hook defines that volume itself; the
   * template must not define it again). The glibc copy lets the runner's node binaries run
   * in job containers without a usable glibc (Nix, Alpine). x86_64 library paths, as the
   * deskrun CLI renders them. */
  json_object_set_string_member (init, "name", "setup-glibc-compat");
  json_object_set_string_member (init, "image", DR_ARC_RUNNER_IMAGE);
  set_array (init, "command",
             string_array ("sh", "-c",
                           "set -e; "
                           "cp -a /lib/x86_64-linux-gnu/. /glibc-compat/; "
                           "cp -a /home/runner/externals/. /externals/",
                           NULL));
  json_array_add_object_element (init_mounts, volume_mount ("glibc-compat", "/glibc-compat"));
  json_array_add_object_element (init_mounts, volume_mount ("externals", "/externals"));
  set_array (init, "volumeMounts", init_mounts);
  json_array_add_object_element (init_containers, init);
  set_array (spec, "initContainers", init_containers);

  /* "$job" is the hooks' name for the job container in a template. */
  json_object_set_string_member (job, "name", "$job");
  json_array_add_object_element (job_env, env_var ("SYSTEMD_IGNORE_CHROOT", "1"));
  set_array (job, "env", job_env);
  json_object_set_boolean_member (job_security, "privileged", TRUE);
  json_object_set_int_member (job_security, "runAsUser", 0);
  json_object_set_int_member (job_security, "runAsGroup", 0);
  json_object_set_boolean_member (job_security, "allowPrivilegeEscalation", TRUE);
  set_array (capabilities, "add",
             string_array ("SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_CHROOT", "SETFCAP",
                           "SETPCAP", "NET_RAW", "IPC_LOCK", "SYS_RESOURCE", "MKNOD",
                           "AUDIT_WRITE", "AUDIT_CONTROL", NULL));
  set_object (job_security, "capabilities", capabilities);
  set_object (job, "securityContext", job_security);

  json_array_add_object_element (job_mounts, volume_mount ("sys", "/sys"));
  cgroup_mount = volume_mount ("cgroup", "/sys/fs/cgroup");
  json_object_set_string_member (cgroup_mount, "mountPropagation", "Bidirectional");
  json_array_add_object_element (job_mounts, cgroup_mount);
  json_array_add_object_element (job_mounts, volume_mount ("proc", "/proc"));
  json_array_add_object_element (job_mounts, volume_mount ("dev", "/dev"));
  json_array_add_object_element (job_mounts, volume_mount ("dev-pts", "/dev/pts"));
  json_array_add_object_element (job_mounts, volume_mount ("shm", "/dev/shm"));
  json_array_add_object_element (job_mounts, volume_mount ("glibc-compat", "/lib64"));
  json_array_add_object_element (job_mounts,
                                 volume_mount ("glibc-compat", "/lib/x86_64-linux-gnu"));

  json_array_add_object_element (volumes, host_path_volume ("sys", "/sys", "Directory"));
  json_array_add_object_element (volumes,
                                 host_path_volume ("cgroup", "/sys/fs/cgroup", "Directory"));
  json_array_add_object_element (volumes, host_path_volume ("proc", "/proc", "Directory"));
  json_array_add_object_element (volumes, host_path_volume ("dev", "/dev", "Directory"));
  json_array_add_object_element (volumes, host_path_volume ("dev-pts", "/dev/pts", "Directory"));
  json_array_add_object_element (volumes, host_path_volume ("shm", "/dev/shm", "Directory"));
  json_array_add_object_element (volumes, empty_dir_volume ("glibc-compat"));

  /* The job pod is a pod of its own: the configured mounts must be declared here too. */
  for (guint i = 0; mounts != NULL && i < mounts->len; i++)
    {
      const DrMount *mount = g_ptr_array_index (mounts, i);
      g_autofree char *name = mount_volume_name (i);

      json_array_add_object_element (job_mounts, volume_mount (name, mount->target));
      json_array_add_object_element (volumes,
                                     host_path_volume (name,
                                                       g_ptr_array_index (ss->mount_paths, i),
                                                       host_path_type (mount->type)));
    }

  set_array (job, "volumeMounts", job_mounts);
  json_array_add_object_element (containers, job);
  set_array (spec, "containers", containers);
  set_array (spec, "volumes", volumes);

  set_object (root, "spec", spec);
  return root;
}

static JsonNode *
render_hook_config_map (ScaleSet *ss)
{
  /* No finalizer: the controller knows nothing of this ConfigMap (no cleanup annotation
   * exists for it), so it would never remove one (FACTS.md §2.6). */
  JsonObject *metadata = metadata_new (ss, ss->names->hook_config_map, NULL);
  JsonObject *config_map = object_new ("v1", "ConfigMap", metadata);
  JsonObject *data = json_object_new ();
  /* The hook reads this key as YAML (js-yaml). */
  g_autoptr(JsonNode) hook = node_take_object (privileged_hook_template (ss));
  g_autofree char *content = dr_yaml_emit (hook);

  json_object_set_string_member (data, "content", content);
  set_object (config_map, "data", data);
  return node_take_object (config_map);
}

/* The runner pod template. */

static void
add_mounts (const ScaleSet *ss,
            JsonArray      *container_mounts,
            JsonArray      *volumes)
{
  const GPtrArray *mounts = ss->spec->mounts;

  for (guint i = 0; mounts != NULL && i < mounts->len; i++)
    {
      const DrMount *mount = g_ptr_array_index (mounts, i);
      g_autofree char *name = mount_volume_name (i);

      json_array_add_object_element (container_mounts, volume_mount (name, mount->target));
      if (volumes != NULL)
        json_array_add_object_element (volumes,
                                       host_path_volume (name,
                                                         g_ptr_array_index (ss->mount_paths, i),
                                                         host_path_type (mount->type)));
    }
}

static JsonObject *
runner_container_new (void)
{
  JsonObject *runner = json_object_new ();

  /* The controller looks the runner up by this exact name (FACTS.md §2.6 item 3). */
  json_object_set_string_member (runner, "name", "runner");
  json_object_set_string_member (runner, "image", DR_ARC_RUNNER_IMAGE);
  set_array (runner, "command", string_array ("/home/runner/run.sh", NULL));
  return runner;
}

static JsonObject *
work_volume_claim (const ScaleSet *ss)
{
  JsonObject *volume = json_object_new ();
  JsonObject *ephemeral = json_object_new ();
  JsonObject *claim_template = json_object_new ();
  JsonObject *claim_spec = json_object_new ();
  JsonObject *resources = json_object_new ();
  JsonObject *requests = json_object_new ();
  const char *storage_class = ss->options.storage_class;

  set_array (claim_spec, "accessModes", string_array ("ReadWriteOnce", NULL));
  if (storage_class != NULL && *storage_class != '\0')
    json_object_set_string_member (claim_spec, "storageClassName", storage_class);
  json_object_set_string_member (requests, "storage", ss->options.work_volume_size);
  set_object (resources, "requests", requests);
  set_object (claim_spec, "resources", resources);
  set_object (claim_template, "spec", claim_spec);
  set_object (ephemeral, "volumeClaimTemplate", claim_template);

  json_object_set_string_member (volume, "name", "work");
  set_object (volume, "ephemeral", ephemeral);
  return volume;
}

/* kubernetes mode (FACTS.md §2.2): jobs run in pods the container hook creates; the work
 * directory is a PVC those pods can share. */
static void
fill_kubernetes_pod (const ScaleSet *ss,
                     JsonObject     *pod_spec)
{
  JsonArray *containers = json_array_new ();
  JsonObject *runner = runner_container_new ();
  JsonArray *env = json_array_new ();
  JsonArray *mounts = json_array_new ();
  JsonArray *volumes = json_array_new ();

  json_array_add_object_element (env, env_var ("ACTIONS_RUNNER_CONTAINER_HOOKS",
                                               "/home/runner/k8s/index.js"));
  json_array_add_object_element (env, env_var_field_ref ("ACTIONS_RUNNER_POD_NAME",
                                                         "metadata.name"));
  json_array_add_object_element (env, env_var ("ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER", "true"));
  set_array (runner, "env", env);

  json_array_add_object_element (mounts, volume_mount ("work", "/home/runner/_work"));
  json_array_add_object_element (volumes, work_volume_claim (ss));
  add_mounts (ss, mounts, volumes);
  set_array (runner, "volumeMounts", mounts);

  json_array_add_object_element (containers, runner);
  set_array (pod_spec, "containers", containers);
  set_array (pod_spec, "volumes", volumes);
}

/* deskrun's privileged mode (FACTS.md §2.10): the kubernetes-novolume hook with a job pod
 * template from the ConfigMap; jobs without a container run in the privileged runner. */
static void
fill_privileged_pod (const ScaleSet *ss,
                     JsonObject     *pod_spec)
{
  JsonArray *containers = json_array_new ();
  JsonObject *runner = runner_container_new ();
  JsonArray *env = json_array_new ();
  JsonObject *security = json_object_new ();
  JsonArray *mounts = json_array_new ();
  JsonObject *hook_mount;
  JsonArray *volumes = json_array_new ();
  JsonObject *hook_volume = json_object_new ();
  JsonObject *config_map = json_object_new ();

  json_array_add_object_element (env, env_var ("ACTIONS_RUNNER_CONTAINER_HOOKS",
                                               "/home/runner/k8s-novolume/index.js"));
  json_array_add_object_element (env, env_var_field_ref ("ACTIONS_RUNNER_POD_NAME",
                                                         "metadata.name"));
  /* The seed runs container-less jobs directly in the (privileged) runner, so most
   * workflows, which have no `container:`, work unchanged. */
  json_array_add_object_element (env, env_var ("ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER", "false"));
  json_array_add_object_element (env, env_var ("ACTIONS_RUNNER_IMAGE", DR_ARC_RUNNER_IMAGE));
  json_array_add_object_element (env, env_var ("ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE",
                                               "/etc/hooks/content"));
  json_array_add_object_element (env, env_var ("SYSTEMD_IGNORE_CHROOT", "1"));
  set_array (runner, "env", env);

  json_object_set_boolean_member (security, "privileged", TRUE);
  set_object (runner, "securityContext", security);

  hook_mount = volume_mount ("hook-extension", "/etc/hooks");
  json_object_set_boolean_member (hook_mount, "readOnly", TRUE);
  json_array_add_object_element (mounts, hook_mount);

  json_object_set_string_member (config_map, "name", ss->names->hook_config_map);
  json_object_set_string_member (hook_volume, "name", "hook-extension");
  set_object (hook_volume, "configMap", config_map);
  json_array_add_object_element (volumes, hook_volume);

  add_mounts (ss, mounts, volumes);
  set_array (runner, "volumeMounts", mounts);

  json_array_add_object_element (containers, runner);
  set_array (pod_spec, "containers", containers);
  set_array (pod_spec, "volumes", volumes);
}

/* dind mode as the chart renders it for Kubernetes ≥ 1.29 (FACTS.md §2.2): dind is a native
 * sidecar (an init container with restartPolicy Always). kind's node image is far newer. */
static void
fill_dind_pod (const ScaleSet *ss,
               JsonObject     *pod_spec)
{
  JsonArray *init_containers = json_array_new ();
  JsonObject *externals = json_object_new ();
  JsonArray *externals_mounts = json_array_new ();
  JsonObject *dind = json_object_new ();
  JsonArray *dind_env = json_array_new ();
  JsonObject *dind_security = json_object_new ();
  JsonObject *probe = json_object_new ();
  JsonObject *probe_exec = json_object_new ();
  JsonArray *dind_mounts = json_array_new ();
  JsonArray *containers = json_array_new ();
  JsonObject *runner = runner_container_new ();
  JsonArray *env = json_array_new ();
  JsonArray *mounts = json_array_new ();
  JsonArray *volumes = json_array_new ();

  json_object_set_string_member (externals, "name", "init-dind-externals");
  json_object_set_string_member (externals, "image", DR_ARC_RUNNER_IMAGE);
  set_array (externals, "command", string_array ("cp", NULL));
  set_array (externals, "args",
             string_array ("-r", "/home/runner/externals/.", "/home/runner/tmpDir/", NULL));
  json_array_add_object_element (externals_mounts,
                                 volume_mount ("dind-externals", "/home/runner/tmpDir"));
  set_array (externals, "volumeMounts", externals_mounts);
  json_array_add_object_element (init_containers, externals);

  json_object_set_string_member (dind, "name", "dind");
  json_object_set_string_member (dind, "image", DR_ARC_DIND_IMAGE);
  set_array (dind, "args",
             string_array ("dockerd", "--host=unix:///var/run/docker.sock",
                           "--group=$(DOCKER_GROUP_GID)", NULL));
  json_array_add_object_element (dind_env, env_var ("DOCKER_GROUP_GID", "123"));
  set_array (dind, "env", dind_env);
  json_object_set_boolean_member (dind_security, "privileged", TRUE);
  set_object (dind, "securityContext", dind_security);
  json_object_set_string_member (dind, "restartPolicy", "Always");
  set_array (probe_exec, "command", string_array ("docker", "info", NULL));
  set_object (probe, "exec", probe_exec);
  json_object_set_int_member (probe, "initialDelaySeconds", 0);
  json_object_set_int_member (probe, "failureThreshold", 24);
  json_object_set_int_member (probe, "periodSeconds", 5);
  set_object (dind, "startupProbe", probe);
  json_array_add_object_element (dind_mounts, volume_mount ("work", "/home/runner/_work"));
  json_array_add_object_element (dind_mounts, volume_mount ("dind-sock", "/var/run"));
  json_array_add_object_element (dind_mounts,
                                 volume_mount ("dind-externals", "/home/runner/externals"));
  /* The Docker daemon is what uses a cache such as /var/lib/docker, so it gets the mounts
   * too; each instance has its own directories, so no two daemons share one (ARC #944). */
  add_mounts (ss, dind_mounts, NULL);
  set_array (dind, "volumeMounts", dind_mounts);
  json_array_add_object_element (init_containers, dind);
  set_array (pod_spec, "initContainers", init_containers);

  json_array_add_object_element (env, env_var ("DOCKER_HOST", "unix:///var/run/docker.sock"));
  json_array_add_object_element (env, env_var ("RUNNER_WAIT_FOR_DOCKER_IN_SECONDS", "120"));
  set_array (runner, "env", env);
  json_array_add_object_element (mounts, volume_mount ("work", "/home/runner/_work"));
  json_array_add_object_element (mounts, volume_mount ("dind-sock", "/var/run"));

  json_array_add_object_element (volumes, empty_dir_volume ("dind-sock"));
  json_array_add_object_element (volumes, empty_dir_volume ("dind-externals"));
  json_array_add_object_element (volumes, empty_dir_volume ("work"));
  add_mounts (ss, mounts, volumes);
  set_array (runner, "volumeMounts", mounts);

  json_array_add_object_element (containers, runner);
  set_array (pod_spec, "containers", containers);
  set_array (pod_spec, "volumes", volumes);
}

static JsonObject *
ars_spec_new (const ScaleSet *ss)
{
  const DrRunnerSpec *spec = ss->spec;
  JsonObject *ars_spec = json_object_new ();
  JsonObject *template = json_object_new ();
  JsonObject *pod_spec = json_object_new ();
  gboolean single = spec->instances <= 1;

  json_object_set_string_member (ars_spec, "githubConfigUrl", ss->url);
  json_object_set_string_member (ars_spec, "githubConfigSecret", ss->names->github_secret);
  if (spec->runner_group != NULL && *spec->runner_group != '\0')
    json_object_set_string_member (ars_spec, "runnerGroup", spec->runner_group);
  json_object_set_string_member (ars_spec, "runnerScaleSetName", ss->scale_set);
  if (spec->labels != NULL && spec->labels->len > 0)
    {
      JsonArray *labels = json_array_new ();

      for (guint i = 0; i < spec->labels->len; i++)
        json_array_add_string_element (labels, g_ptr_array_index (spec->labels, i));
      set_array (ars_spec, "runnerScaleSetLabels", labels);
    }
  /* Instances are cache-isolated single runners (FACTS.md §2.10). */
  json_object_set_int_member (ars_spec, "minRunners", single ? spec->min_runners : 1);
  json_object_set_int_member (ars_spec, "maxRunners", single ? spec->max_runners : 1);

  json_object_set_string_member (pod_spec, "restartPolicy", "Never");
  json_object_set_string_member (pod_spec, "serviceAccountName",
                                 spec->mode == DR_CONTAINER_MODE_DIND
                                 ? ss->names->no_permission_service_account
                                 : ss->names->kube_mode_service_account);
  switch (spec->mode)
    {
    case DR_CONTAINER_MODE_KUBERNETES:
      fill_kubernetes_pod (ss, pod_spec);
      break;
    case DR_CONTAINER_MODE_PRIVILEGED:
      fill_privileged_pod (ss, pod_spec);
      break;
    case DR_CONTAINER_MODE_DIND:
    default:
      fill_dind_pod (ss, pod_spec);
      break;
    }
  set_object (template, "spec", pod_spec);
  set_object (ars_spec, "template", template);

  return ars_spec;
}

static char *
values_hash (JsonObject *ars_spec)
{
  g_autofree char *text = object_to_text (ars_spec, FALSE);
  char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  hash[VALUES_HASH_LENGTH] = '\0';
  return hash;
}

static JsonNode *
render_ars (ScaleSet *ss)
{
  JsonObject *metadata = metadata_new (ss, ss->scale_set, "autoscaling-runner-set");
  JsonObject *ars = object_new (DR_ARC_API_VERSION, DR_ARC_KIND_SCALE_SET, metadata);
  JsonObject *annotations = json_object_new ();
  JsonObject *ars_spec = ars_spec_new (ss);
  g_autofree char *hash = values_hash (ars_spec);

  /* A new hash on every spec change makes the controller restart the listener (§2.6). */
  json_object_set_string_member (annotations, "actions.github.com/values-hash", hash);
  for (guint i = 0; i + 1 < ss->cleanup->len; i += 2)
    json_object_set_string_member (annotations, g_ptr_array_index (ss->cleanup, i),
                                   g_ptr_array_index (ss->cleanup, i + 1));
  set_object (metadata, "annotations", annotations);
  set_object (ars, "spec", ars_spec);

  return node_take_object (ars);
}

static void
render_helpers (ScaleSet  *ss,
                GPtrArray *objects)
{
  DrArcScaleSetNames *n = ss->names;
  DrContainerMode mode = ss->spec->mode;

  g_ptr_array_add (objects, render_secret (ss));

  if (mode == DR_CONTAINER_MODE_DIND)
    {
      g_ptr_array_add (objects,
                       render_service_account (ss, n->no_permission_service_account,
                                               "actions.github.com/"
                                               "cleanup-no-permission-service-account-name"));
    }
  else
    {
      g_ptr_array_add (objects,
                       render_service_account (ss, n->kube_mode_service_account,
                                               "actions.github.com/"
                                               "cleanup-kubernetes-mode-service-account-name"));
      g_ptr_array_add (objects,
                       render_role (ss, n->kube_mode_role, NULL,
                                    "actions.github.com/cleanup-kubernetes-mode-role-name",
                                    kube_mode_rules (mode)));
      g_ptr_array_add (objects,
                       render_role_binding (ss, n->kube_mode_role_binding, NULL,
                                            "actions.github.com/"
                                            "cleanup-kubernetes-mode-role-binding-name",
                                            n->kube_mode_role, n->kube_mode_service_account,
                                            ss->options.runner_namespace));
    }

  g_ptr_array_add (objects,
                   render_role (ss, n->manager_role, "manager-role",
                                "actions.github.com/cleanup-manager-role-name",
                                manager_rules ()));
  /* The controller's own ServiceAccount needs these rights in the runner namespace; its
   * ClusterRole cannot create pods, secrets or roles (FACTS.md §2.6 item 5, §2.7). */
  g_ptr_array_add (objects,
                   render_role_binding (ss, n->manager_role_binding, "manager-role-binding",
                                        "actions.github.com/cleanup-manager-role-binding",
                                        n->manager_role,
                                        ss->options.controller_service_account,
                                        ss->options.controller_namespace));

  if (mode == DR_CONTAINER_MODE_PRIVILEGED)
    g_ptr_array_add (objects, render_hook_config_map (ss));
}

/* The spec itself is checked by dr_runner_spec_validate(); this is what only rendering
 * knows: whether the credential from the keyring fits the spec. */
static gboolean
check_credential (const DrRunnerSpec  *spec,
                  const DrCredential  *credential,
                  GError             **error)
{
  gboolean complete;

  if (credential == NULL)
    return TRUE;

  if (credential->kind != spec->credential_kind)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The stored credential of runner “%s” is not of the kind its settings "
                     "name. Enter the credential again."),
                   spec->name);
      return FALSE;
    }

  if (credential->kind == DR_CREDENTIAL_KIND_PAT)
    complete = credential->token != NULL && *credential->token != '\0';
  else
    complete = credential->app_id != NULL && *credential->app_id != '\0' &&
               credential->installation_id != NULL && *credential->installation_id != '\0' &&
               credential->private_key != NULL && *credential->private_key != '\0';
  if (!complete)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The stored credential of runner “%s” is incomplete. Enter the "
                     "credential again."),
                   spec->name);
      return FALSE;
    }

  return TRUE;
}

/* Paths the mode's own volumes occupy. Kubernetes accepts an ARS whose pod template mounts
 * two volumes at one path, and only pod creation fails later — a runner that never starts,
 * with the reason buried in an EphemeralRunner. So such a mount is refused here. */
static const char * const kubernetes_paths[] = { "/home/runner/_work", NULL };
static const char * const dind_paths[] = { "/home/runner/_work", "/home/runner/externals", NULL };
/* The runner's hook mount, the job pod template's system mounts, and the paths where the
 * kubernetes-novolume hook mounts its own volumes in the job container. */
static const char * const privileged_paths[] = {
  "/etc/hooks", "/sys", "/sys/fs/cgroup", "/proc", "/dev", "/dev/pts", "/dev/shm", "/lib64",
  "/lib/x86_64-linux-gnu", "/__w", "/__e", "/github", NULL
};

static gboolean
check_mount_targets (const DrRunnerSpec  *spec,
                     GError             **error)
{
  const char * const *reserved = spec->mode == DR_CONTAINER_MODE_DIND ? dind_paths
                                 : spec->mode == DR_CONTAINER_MODE_PRIVILEGED ? privileged_paths
                                 : kubernetes_paths;

  for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
    {
      const DrMount *mount = g_ptr_array_index (spec->mounts, i);
      g_autofree char *target = g_canonicalize_filename (mount->target, "/");

      if (g_strv_contains (reserved, target))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The mount target “%s” is used by the %s container mode itself. "
                         "Choose another target."),
                       mount->target, dr_container_mode_to_string (spec->mode));
          return FALSE;
        }

      /* dind's Docker socket lives in /var/run (an emptyDir shared with the daemon); a mount
       * there would hide it or be hidden by it. (/run is the same directory in the image.) */
      if (spec->mode == DR_CONTAINER_MODE_DIND &&
          (g_str_equal (target, "/var/run") || g_str_has_prefix (target, "/var/run/") ||
           g_str_equal (target, "/run") || g_str_has_prefix (target, "/run/")))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The mount target “%s” is inside /var/run, where dind mode keeps its "
                         "own Docker socket. Choose another target."),
                       mount->target);
          return FALSE;
        }
    }

  return TRUE;
}

static void
scale_set_clear (ScaleSet *ss)
{
  g_clear_pointer (&ss->names, dr_arc_scale_set_names_free);
  g_clear_pointer (&ss->mount_paths, g_ptr_array_unref);
  g_clear_pointer (&ss->cleanup, g_ptr_array_unref);
}

static void
resolve_options (const DrArcRenderOptions *in,
                 DrArcRenderOptions       *out)
{
  if (in == NULL)
    {
      dr_arc_render_options_init (out);
      return;
    }

  *out = *in;
  if (out->runner_namespace == NULL)
    out->runner_namespace = DR_DEFAULT_RUNNER_NAMESPACE;
  if (out->controller_namespace == NULL)
    out->controller_namespace = DR_DEFAULT_CONTROLLER_NAMESPACE;
  if (out->controller_service_account == NULL)
    out->controller_service_account = DR_ARC_CONTROLLER_SA;
  if (out->work_volume_size == NULL)
    out->work_volume_size = DR_ARC_WORK_VOLUME_SIZE;
}

void
dr_arc_render_options_init (DrArcRenderOptions *options)
{
  g_return_if_fail (options != NULL);

  options->runner_namespace = DR_DEFAULT_RUNNER_NAMESPACE;
  options->controller_namespace = DR_DEFAULT_CONTROLLER_NAMESPACE;
  options->controller_service_account = DR_ARC_CONTROLLER_SA;
  options->storage_class = DR_KIND_STORAGE_CLASS;
  options->work_volume_size = DR_ARC_WORK_VOLUME_SIZE;
}

GPtrArray *
dr_arc_render_runner (const DrRunnerSpec       *spec,
                      const DrCredential       *credential,
                      const DrArcRenderOptions *options,
                      GError                  **error)
{
  g_autoptr(GPtrArray) helpers = NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autofree char *url = NULL;
  DrArcRenderOptions resolved;
  guint instances;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Names, lengths, mounts and labels are valid after this, so every object below is one
   * the API server accepts (the render tests check them against ARC's CRD schema). */
  if (!dr_runner_spec_validate (spec, error) || !check_mount_targets (spec, error) ||
      !check_credential (spec, credential, error))
    return NULL;
  /* The chart strips a trailing "/" (FACTS.md §1.1); normalizing again is harmless. */
  url = dr_normalize_repository_url (spec->repository_url, NULL, error);
  if (url == NULL)
    return NULL;

  resolve_options (options, &resolved);
  instances = MAX (spec->instances, 1);
  helpers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sets = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint instance = 1; instance <= instances; instance++)
    {
      g_autofree char *scale_set = dr_arc_scale_set_name (spec->name, instances, instance);
      ScaleSet ss = { 0, };

      ss.spec = spec;
      ss.url = url;
      ss.credential = credential;
      ss.options = resolved;
      ss.scale_set = scale_set;
      ss.instance = instance;
      ss.names = dr_arc_scale_set_names_new (scale_set, spec->mode);
      ss.cleanup = g_ptr_array_new_with_free_func (g_free);
      ss.mount_paths = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
        {
          const DrMount *mount = g_ptr_array_index (spec->mounts, i);

          /* Automatic sources are per scale set, so instances never share a cache. */
          if (mount->source != NULL && *mount->source != '\0')
            g_ptr_array_add (ss.mount_paths, g_strdup (mount->source));
          else
            g_ptr_array_add (ss.mount_paths,
                             g_strdup_printf (DR_HOST_CACHE_NODE_DIR "/%s/mount-%u",
                                              scale_set, i));
        }

      render_helpers (&ss, helpers);
      g_ptr_array_add (sets, render_ars (&ss));
      scale_set_clear (&ss);
    }

  g_ptr_array_extend_and_steal (helpers, g_steal_pointer (&sets));
  return g_steal_pointer (&helpers);
}

char *
dr_arc_render_to_json (GPtrArray *objects)
{
  JsonObject *list;
  JsonArray *items;
  char *text;

  g_return_val_if_fail (objects != NULL, NULL);

  list = json_object_new ();
  items = json_array_new ();
  for (guint i = 0; i < objects->len; i++)
    json_array_add_element (items, json_node_copy (g_ptr_array_index (objects, i)));
  json_object_set_string_member (list, "apiVersion", "v1");
  json_object_set_string_member (list, "kind", "List");
  set_array (list, "items", items);

  text = object_to_text (list, TRUE);
  json_object_unref (list);
  return text;
}

char *
dr_arc_scale_set_name (const char *runner_name,
                       guint       instances,
                       guint       instance)
{
  g_return_val_if_fail (runner_name != NULL, NULL);

  if (instances <= 1)
    return g_strdup (runner_name);
  return g_strdup_printf ("%s-%u", runner_name, instance);
}

char *
dr_arc_runner_selector (const char *runner_name)
{
  g_return_val_if_fail (runner_name != NULL, NULL);

  return g_strdup_printf ("app.kubernetes.io/managed-by=" DR_LABEL_MANAGED_BY_VALUE ","
                          DR_LABEL_RUNNER "=%s", runner_name);
}

char *
dr_arc_scale_set_selector (const char *scale_set)
{
  g_return_val_if_fail (scale_set != NULL, NULL);

  return g_strdup_printf ("app.kubernetes.io/managed-by=" DR_LABEL_MANAGED_BY_VALUE ","
                          "actions.github.com/scale-set-name=%s", scale_set);
}

DrArcScaleSetNames *
dr_arc_scale_set_names_new (const char      *scale_set,
                            DrContainerMode  mode)
{
  DrArcScaleSetNames *names;

  g_return_val_if_fail (scale_set != NULL, NULL);

  names = g_new0 (DrArcScaleSetNames, 1);
  names->scale_set = g_strdup (scale_set);
  names->github_secret = g_strdup_printf ("%s-gha-rs-github-secret", scale_set);
  names->manager_role = g_strdup_printf ("%s-gha-rs-manager", scale_set);
  names->manager_role_binding = g_strdup (names->manager_role);
  if (mode == DR_CONTAINER_MODE_DIND)
    {
      names->no_permission_service_account = g_strdup_printf ("%s-gha-rs-no-permission",
                                                              scale_set);
    }
  else
    {
      names->kube_mode_service_account = g_strdup_printf ("%s-gha-rs-kube-mode", scale_set);
      names->kube_mode_role = g_strdup (names->kube_mode_service_account);
      names->kube_mode_role_binding = g_strdup (names->kube_mode_service_account);
    }
  if (mode == DR_CONTAINER_MODE_PRIVILEGED)
    names->hook_config_map = g_strdup_printf ("privileged-hook-extension-%s", scale_set);

  return names;
}

void
dr_arc_scale_set_names_free (DrArcScaleSetNames *names)
{
  if (names == NULL)
    return;

  g_free (names->scale_set);
  g_free (names->github_secret);
  g_free (names->manager_role);
  g_free (names->manager_role_binding);
  g_free (names->kube_mode_service_account);
  g_free (names->kube_mode_role);
  g_free (names->kube_mode_role_binding);
  g_free (names->no_permission_service_account);
  g_free (names->hook_config_map);
  g_free (names);
}

static DrArcObjectRef *
object_ref_new (JsonNode *node)
{
  JsonObject *object = json_node_get_object (node);
  JsonObject *metadata = json_object_get_object_member (object, "metadata");
  DrArcObjectRef *ref = g_new0 (DrArcObjectRef, 1);

  ref->api_version = g_strdup (json_object_get_string_member (object, "apiVersion"));
  ref->kind = g_strdup (json_object_get_string_member (object, "kind"));
  ref->namespace_ = g_strdup (json_object_get_string_member (metadata, "namespace"));
  ref->name = g_strdup (json_object_get_string_member (metadata, "name"));
  return ref;
}

static gboolean
is_ars (JsonNode *node)
{
  return g_strcmp0 (json_object_get_string_member (json_node_get_object (node), "kind"),
                    DR_ARC_KIND_SCALE_SET) == 0;
}

GPtrArray *
dr_arc_deletion_order (GPtrArray *objects)
{
  GPtrArray *refs;

  g_return_val_if_fail (objects != NULL, NULL);

  refs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_arc_object_ref_free);
  for (guint i = 0; i < objects->len; i++)
    if (is_ars (g_ptr_array_index (objects, i)))
      g_ptr_array_add (refs, object_ref_new (g_ptr_array_index (objects, i)));
  for (guint i = objects->len; i > 0; i--)
    if (!is_ars (g_ptr_array_index (objects, i - 1)))
      g_ptr_array_add (refs, object_ref_new (g_ptr_array_index (objects, i - 1)));

  return refs;
}

void
dr_arc_object_ref_free (DrArcObjectRef *ref)
{
  if (ref == NULL)
    return;

  g_free (ref->api_version);
  g_free (ref->kind);
  g_free (ref->namespace_);
  g_free (ref->name);
  g_free (ref);
}
