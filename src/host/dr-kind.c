/* dr-kind.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "dr-error.h"
#include "dr-json.h"
#include "dr-host-command.h"
#include "dr-kind-private.h"
#include "dr-pause.h"
#include "dr-versions.h"
#include "dr-yaml.h"

#define DEFAULT_POLL_INTERVAL_MS 1000

const char *
dr_container_provider_get_program (DrContainerProvider provider)
{
  switch (provider)
    {
    case DR_CONTAINER_PROVIDER_DOCKER:
      return "docker";
    case DR_CONTAINER_PROVIDER_PODMAN:
      return "podman";
    case DR_CONTAINER_PROVIDER_NONE:
    default:
      return NULL;
    }
}

const char *
dr_kind_state_to_string (DrKindState state)
{
  switch (state)
    {
    case DR_KIND_STATE_ABSENT:
      return "absent";
    case DR_KIND_STATE_STOPPED:
      return "stopped";
    case DR_KIND_STATE_STARTING:
      return "starting";
    case DR_KIND_STATE_READY:
      return "ready";
    case DR_KIND_STATE_UNREACHABLE:
      return "unreachable";
    default:
      return "unknown";
    }
}


/* DrKindConfig */

typedef struct
{
  char     *host_path;
  char     *node_path;
  gboolean  read_only;
} Mount;

struct _DrKindConfig
{
  char      *name;
  char      *node_image;
  GPtrArray *mounts;     /* Mount; from dr_kind_config_new() the cache root comes first */
};

G_DEFINE_BOXED_TYPE (DrKindConfig, dr_kind_config, dr_kind_config_copy, dr_kind_config_free)

static void
mount_free (gpointer data)
{
  Mount *mount = data;

  g_free (mount->host_path);
  g_free (mount->node_path);
  g_free (mount);
}

static void
config_add_mount (DrKindConfig *self,
                  const char   *host_path,
                  const char   *node_path,
                  gboolean      read_only)
{
  Mount *mount = g_new0 (Mount, 1);

  mount->host_path = g_canonicalize_filename (host_path, "/");
  mount->node_path = g_canonicalize_filename (node_path, "/");
  mount->read_only = read_only;
  g_ptr_array_add (self->mounts, mount);
}

static char *
default_cache_root (void)
{
  return g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);
}

DrKindConfig *
dr_kind_config_new (const char *name,
                    const char *cache_root)
{
  g_autofree char *default_root = NULL;
  DrKindConfig *self;

  g_return_val_if_fail (name == NULL || *name != '\0', NULL);
  g_return_val_if_fail (cache_root == NULL || g_path_is_absolute (cache_root), NULL);

  if (cache_root == NULL)
    cache_root = default_root = default_cache_root ();

  self = g_new0 (DrKindConfig, 1);
  self->name = g_strdup (name != NULL ? name : DR_DEFAULT_KIND_CLUSTER);
  self->mounts = g_ptr_array_new_with_free_func (mount_free);
  config_add_mount (self, cache_root, DR_KIND_NODE_CACHE_DIR, FALSE);
  return self;
}

DrKindConfig *
dr_kind_config_copy (const DrKindConfig *self)
{
  DrKindConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DrKindConfig, 1);
  copy->name = g_strdup (self->name);
  copy->node_image = g_strdup (self->node_image);
  copy->mounts = g_ptr_array_new_with_free_func (mount_free);
  for (guint i = 0; i < self->mounts->len; i++)
    {
      const Mount *mount = g_ptr_array_index (self->mounts, i);

      config_add_mount (copy, mount->host_path, mount->node_path, mount->read_only);
    }
  return copy;
}

void
dr_kind_config_free (DrKindConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->node_image);
  g_ptr_array_unref (self->mounts);
  g_free (self);
}

void
dr_kind_config_add_mount (DrKindConfig *self,
                          const char   *host_path,
                          const char   *node_path,
                          gboolean      read_only)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (host_path != NULL && g_path_is_absolute (host_path));
  g_return_if_fail (node_path != NULL && g_path_is_absolute (node_path));

  config_add_mount (self, host_path, node_path, read_only);
}

void
dr_kind_config_set_node_image (DrKindConfig *self,
                               const char   *image)
{
  g_return_if_fail (self != NULL);

  g_free (self->node_image);
  self->node_image = (image != NULL && *image != '\0') ? g_strdup (image) : NULL;
}

const char *
dr_kind_config_get_name (const DrKindConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

const char *
dr_kind_config_get_cache_root (const DrKindConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->mounts->len; i++)
    {
      const Mount *mount = g_ptr_array_index (self->mounts, i);

      if (strcmp (mount->node_path, DR_KIND_NODE_CACHE_DIR) == 0)
        return mount->host_path;
    }
  return NULL;
}

JsonNode *
dr_kind_config_to_json (const DrKindConfig *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, "kind.x-k8s.io/v1alpha4");
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "Cluster");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);

  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "control-plane");
  if (self->node_image != NULL)
    {
      json_builder_set_member_name (builder, "image");
      json_builder_add_string_value (builder, self->node_image);
    }
  json_builder_set_member_name (builder, "extraMounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->mounts->len; i++)
    {
      const Mount *mount = g_ptr_array_index (self->mounts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "hostPath");
      json_builder_add_string_value (builder, mount->host_path);
      json_builder_set_member_name (builder, "containerPath");
      json_builder_add_string_value (builder, mount->node_path);
      if (mount->read_only)
        {
          json_builder_set_member_name (builder, "readOnly");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
dr_kind_config_to_yaml (const DrKindConfig *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  node = dr_kind_config_to_json (self);
  return dr_yaml_emit (node);
}

char *
dr_kind_host_path_to_node_path (const DrKindConfig *config,
                                const char         *path)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_path_is_absolute (path))
    return NULL;

  canonical = g_canonicalize_filename (path, "/");
  for (guint i = 0; i < config->mounts->len; i++)
    {
      const Mount *mount = g_ptr_array_index (config->mounts, i);
      gsize len = strlen (mount->host_path);

      if (strcmp (canonical, mount->host_path) == 0)
        return g_strdup (mount->node_path);
      /* "/" as a host path would share everything; the boundary check still holds. */
      if (strncmp (canonical, mount->host_path, len) == 0 &&
          (canonical[len] == '/' || (len == 1 && mount->host_path[0] == '/')))
        return g_build_filename (mount->node_path, canonical + len, NULL);
    }
  return NULL;
}

gboolean
dr_kind_host_path_is_mounted (const DrKindConfig *config,
                              const char         *path)
{
  g_autofree char *node_path = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  node_path = dr_kind_host_path_to_node_path (config, path);
  return node_path != NULL;
}

char *
dr_kind_host_path_unmounted_message (const DrKindConfig *config,
                                     const char         *path)
{
  g_autoptr(GString) shared = g_string_new (NULL);
  const char *cache_root;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < config->mounts->len; i++)
    {
      const Mount *mount = g_ptr_array_index (config->mounts, i);

      if (shared->len > 0)
        g_string_append (shared, ", ");
      g_string_append (shared, mount->host_path);
    }

  cache_root = dr_kind_config_get_cache_root (config);
  if (cache_root == NULL)
    return g_strdup_printf (_("%s is not shared with the kind cluster “%s”, so runners cannot "
                              "use it. kind shares folders of this computer only when it "
                              "creates a cluster, and this one shares %s, not even deskrun’s "
                              "cache folder. Re-create the cluster with deskrun (delete it and "
                              "create it again) so that it shares both."),
                            path, config->name, shared->len > 0 ? shared->str : _("nothing"));

  return g_strdup_printf (_("%s is not shared with the kind cluster “%s”, so runners cannot "
                            "use it. kind shares folders of this computer only when it "
                            "creates a cluster, and this one shares %s. Put the folder under "
                            "%s, or re-create the cluster (delete it and create it again) so "
                            "that it shares this folder too. Runner caches under %s are kept: "
                            "they live on this computer, not in the cluster."),
                          path, config->name, shared->str, cache_root, cache_root);
}


/* Detecting the default config */

static char *host_root;

void
_dr_kind_set_host_root (const char *root)
{
  g_free (host_root);
  host_root = g_strdup (root);
}

static char *
host_file (const char *path)
{
  if (host_root == NULL)
    return g_strdup (path);
  return g_build_filename (host_root, path, NULL);
}

typedef struct
{
  const char *host_path;
  const char *node_path;
  gboolean    read_only;
} Candidate;

/* In this order after the cache root (FACTS.md §2.10). */
static const Candidate candidates[] = {
  { DR_KIND_DOCKER_SOCKET, DR_KIND_DOCKER_SOCKET, FALSE },
  { DR_KIND_NIX_STORE, DR_KIND_NIX_STORE, TRUE },
  { DR_KIND_NIX_DAEMON_DIR, DR_KIND_NIX_DAEMON_DIR, FALSE },
};

static DrKindConfig *
config_with_existing (const char *name,
                      const char *cache_root,
                      GStrv       existing)
{
  DrKindConfig *config = dr_kind_config_new (name, cache_root);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *checked = host_file (candidates[i].host_path);

      if (g_strv_contains ((const char * const *)existing, checked))
        config_add_mount (config, candidates[i].host_path, candidates[i].node_path,
                          candidates[i].read_only);
    }
  return config;
}

typedef struct
{
  char          *name;
  char          *cache_root;
  DrHostCommand *command;
} DetectData;

static void
detect_data_free (gpointer data)
{
  DetectData *detect = data;

  g_free (detect->name);
  g_free (detect->cache_root);
  g_clear_object (&detect->command);
  g_free (detect);
}

static void
detect_ls_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  DetectData *detect = g_task_get_task_data (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) existing = NULL;
  GBytes *output;

  /* ls exits non-zero when some of the paths are missing; that is an answer too. */
  if (!dr_host_command_run_finish (command, result, &error) &&
      (dr_host_command_get_exit_status (command) < 0 ||
       !g_error_matches (error, DR_ERROR, DR_ERROR_HOST_COMMAND)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  output = dr_host_command_get_output (command);
  if (output != NULL && g_bytes_get_size (output) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (output, NULL),
                                         g_bytes_get_size (output));

      existing = g_strsplit (text, "\n", -1);
    }
  else
    existing = g_new0 (char *, 1);

  g_task_return_pointer (task, config_with_existing (detect->name, detect->cache_root, existing),
                         (GDestroyNotify)dr_kind_config_free);
}

void
dr_kind_config_detect_async (const char          *name,
                             const char          *cache_root,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  DetectData *detect;

  g_return_if_fail (cache_root == NULL || g_path_is_absolute (cache_root));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_config_detect_async);
  detect = g_new0 (DetectData, 1);
  detect->name = g_strdup (name);
  detect->cache_root = g_strdup (cache_root);
  g_task_set_task_data (task, detect, detect_data_free);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *path = host_file (candidates[i].host_path);

      g_strv_builder_add (paths, path);
    }

  if (!dr_host_command_in_flatpak ())
    {
      g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
      g_auto(GStrv) checked = g_strv_builder_end (paths);
      g_auto(GStrv) existing = NULL;

      for (guint i = 0; checked[i] != NULL; i++)
        if (g_file_test (checked[i], G_FILE_TEST_EXISTS))
          g_strv_builder_add (found, checked[i]);
      existing = g_strv_builder_end (found);

      g_task_return_pointer (task, config_with_existing (name, cache_root, existing),
                             (GDestroyNotify)dr_kind_config_free);
      return;
    }

  /* The sandbox sees neither /nix nor the host's /var/run: ask the host. ls prints the
   * paths that exist, one a line (output to a pipe is not quoted). */
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) checked = g_strv_builder_end (paths);

    g_strv_builder_add_many (builder, "ls", "-d", "--", NULL);
    g_strv_builder_addv (builder, (const char **)checked);
    argv = g_strv_builder_end (builder);
  }
  detect->command = dr_host_command_new ((const char * const *)argv);
  dr_host_command_set_flags (detect->command, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  dr_host_command_run_async (detect->command, cancellable, detect_ls_cb, g_steal_pointer (&task));
}

DrKindConfig *
dr_kind_config_detect_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* DrReadyProbe */

G_DEFINE_INTERFACE (DrReadyProbe, dr_ready_probe, G_TYPE_OBJECT)

static void
dr_ready_probe_default_init (DrReadyProbeInterface *iface)
{
}

void
dr_ready_probe_check_async (DrReadyProbe        *self,
                            DrKind              *kind,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DR_IS_READY_PROBE (self));
  g_return_if_fail (DR_IS_KIND (kind));

  DR_READY_PROBE_GET_IFACE (self)->check_async (self, kind, cancellable, callback, user_data);
}

gboolean
dr_ready_probe_check_finish (DrReadyProbe  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (DR_IS_READY_PROBE (self), FALSE);

  return DR_READY_PROBE_GET_IFACE (self)->check_finish (self, result, error);
}


/* DrKind */

struct _DrKind
{
  GObject              parent_instance;

  char                *name;
  char                *node_container;
  DrContainerProvider  provider;
  DrReadyProbe        *probe;
  guint                poll_interval_ms;
};

G_DEFINE_FINAL_TYPE (DrKind, dr_kind, G_TYPE_OBJECT)

enum {
  LINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
dr_kind_finalize (GObject *object)
{
  DrKind *self = DR_KIND (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->node_container, g_free);
  g_clear_object (&self->probe);

  G_OBJECT_CLASS (dr_kind_parent_class)->finalize (object);
}

static void
dr_kind_class_init (DrKindClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_kind_finalize;

  signals[LINE] =
    g_signal_new ("line",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
dr_kind_init (DrKind *self)
{
  self->poll_interval_ms = DEFAULT_POLL_INTERVAL_MS;
}

DrKind *
dr_kind_new (const char          *name,
             DrContainerProvider  provider)
{
  DrKind *self;

  g_return_val_if_fail (name == NULL || *name != '\0', NULL);
  g_return_val_if_fail (provider == DR_CONTAINER_PROVIDER_DOCKER ||
                        provider == DR_CONTAINER_PROVIDER_PODMAN, NULL);

  self = g_object_new (DR_TYPE_KIND, NULL);
  self->name = g_strdup (name != NULL ? name : DR_DEFAULT_KIND_CLUSTER);
  self->node_container = g_strconcat (self->name, "-control-plane", NULL);
  self->provider = provider;
  return self;
}

const char *
dr_kind_get_name (DrKind *self)
{
  g_return_val_if_fail (DR_IS_KIND (self), NULL);

  return self->name;
}

DrContainerProvider
dr_kind_get_provider (DrKind *self)
{
  g_return_val_if_fail (DR_IS_KIND (self), DR_CONTAINER_PROVIDER_NONE);

  return self->provider;
}

const char *
dr_kind_get_node_container (DrKind *self)
{
  g_return_val_if_fail (DR_IS_KIND (self), NULL);

  return self->node_container;
}

void
dr_kind_set_ready_probe (DrKind       *self,
                         DrReadyProbe *probe)
{
  g_return_if_fail (DR_IS_KIND (self));
  g_return_if_fail (probe == NULL || DR_IS_READY_PROBE (probe));

  g_set_object (&self->probe, probe);
}

DrReadyProbe *
dr_kind_get_ready_probe (DrKind *self)
{
  g_return_val_if_fail (DR_IS_KIND (self), NULL);

  return self->probe;
}

void
_dr_kind_set_poll_interval (DrKind *self,
                            guint   milliseconds)
{
  g_return_if_fail (DR_IS_KIND (self));

  self->poll_interval_ms = milliseconds;
}

static void
forward_line_cb (DrHostCommand *command,
                 const char    *line,
                 gboolean       is_stderr,
                 DrKind        *self)
{
  g_signal_emit (self, signals[LINE], 0, line, is_stderr);
}

static DrHostCommand *
command_newv (DrKind             *self,
              const char         *program,
              const char * const *args,
              gboolean            forward_lines)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  DrHostCommand *command;

  g_strv_builder_add (builder, program);
  g_strv_builder_addv (builder, (const char **)args);
  argv = g_strv_builder_end (builder);
  command = dr_host_command_new ((const char * const *)argv);

  if (forward_lines)
    g_signal_connect_object (command, "line", G_CALLBACK (forward_line_cb), self, 0);
  return command;
}

/* `kind ARGS…`, told to use Podman when that is the provider. */
static DrHostCommand *
kind_command (DrKind             *self,
              gboolean            forward_lines,
              const char * const *args)
{
  DrHostCommand *command = command_newv (self, "kind", args, forward_lines);

  if (self->provider == DR_CONTAINER_PROVIDER_PODMAN)
    dr_host_command_setenv (command, "KIND_EXPERIMENTAL_PROVIDER", "podman");
  return command;
}

/* `docker ARGS…` or `podman ARGS…`. */
static DrHostCommand *
container_command (DrKind             *self,
                   gboolean            forward_lines,
                   const char * const *args)
{
  return command_newv (self, dr_container_provider_get_program (self->provider), args,
                       forward_lines);
}

/* Completes a task whose task data is the one DrHostCommand it ran. */
static void
command_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  if (!dr_host_command_run_finish (DR_HOST_COMMAND (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_in_task (GTask         *task,
             DrHostCommand *command)
{
  g_task_set_task_data (task, g_object_ref (command), g_object_unref);
  dr_host_command_run_async (command, g_task_get_cancellable (task), command_done_cb,
                             g_object_ref (task));
}


/* Create */

void
dr_kind_create_async (DrKind              *self,
                      const DrKindConfig  *config,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DrHostCommand) command = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autofree char *yaml = NULL;
  gsize yaml_length;
  const char *cache_root;
  const char *args[] = {
    "create", "cluster", "--name", NULL, "--config", "-", "--wait", DR_KIND_CREATE_WAIT, NULL
  };

  g_return_if_fail (DR_IS_KIND (self));
  g_return_if_fail (config != NULL);
  g_return_if_fail (g_strcmp0 (dr_kind_config_get_name (config), self->name) == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_create_async);

  /* kind refuses a hostPath that does not exist. */
  cache_root = dr_kind_config_get_cache_root (config);
  if (cache_root != NULL && g_mkdir_with_parents (cache_root, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the cache folder %s: %s"),
                               cache_root, g_strerror (saved_errno));
      return;
    }

  args[3] = self->name;
  command = kind_command (self, TRUE, args);
  yaml = dr_kind_config_to_yaml (config);
  yaml_length = strlen (yaml);
  input = g_bytes_new_take (g_steal_pointer (&yaml), yaml_length);
  dr_host_command_set_stdin (command, input);
  run_in_task (task, command);
}

gboolean
dr_kind_create_finish (DrKind        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (DR_IS_KIND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/* Delete */

void
dr_kind_delete_async (DrKind              *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DrHostCommand) command = NULL;
  const char *args[] = { "delete", "cluster", "--name", NULL, NULL };

  g_return_if_fail (DR_IS_KIND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_delete_async);

  args[3] = self->name;
  command = kind_command (self, TRUE, args);
  run_in_task (task, command);
}

gboolean
dr_kind_delete_finish (DrKind        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (DR_IS_KIND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/* Kubeconfig */

static void
kubeconfig_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(GError) error = NULL;

  if (!dr_host_command_run_finish (command, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_bytes_ref (dr_host_command_get_output (command)),
                           (GDestroyNotify)g_bytes_unref);
}

void
dr_kind_get_kubeconfig_async (DrKind              *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DrHostCommand) command = NULL;
  const char *args[] = { "get", "kubeconfig", "--name", NULL, NULL };

  g_return_if_fail (DR_IS_KIND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_get_kubeconfig_async);

  args[3] = self->name;
  command = kind_command (self, FALSE, args);
  dr_host_command_set_flags (command, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  g_task_set_task_data (task, g_object_ref (command), g_object_unref);
  dr_host_command_run_async (command, cancellable, kubeconfig_cb, g_steal_pointer (&task));
}

GBytes *
dr_kind_get_kubeconfig_finish (DrKind        *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (DR_IS_KIND (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* State */

typedef struct
{
  DrKindState  state;
  char        *detail;
} StateResult;

static void
state_result_free (gpointer data)
{
  StateResult *state = data;

  g_free (state->detail);
  g_free (state);
}

static void
return_state (GTask       *task,
              DrKindState  state,
              char        *detail)
{
  StateResult *result = g_new0 (StateResult, 1);

  result->state = state;
  result->detail = detail;
  g_task_return_pointer (task, result, state_result_free);
}

static char *
output_text (DrHostCommand *command)
{
  GBytes *output = dr_host_command_get_output (command);

  /* Empty GBytes may hold a NULL pointer. */
  if (output == NULL || g_bytes_get_size (output) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
}

static void
state_probe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKind *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (dr_ready_probe_check_finish (DR_READY_PROBE (object), result, &error))
    return_state (task, DR_KIND_STATE_READY, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (error != NULL)
    return_state (task, DR_KIND_STATE_UNREACHABLE,
                  g_strdup_printf (_("The node container %s runs, but the cluster’s API "
                                     "server did not answer: %s"),
                                   self->node_container, error->message));
  else
    return_state (task, DR_KIND_STATE_STARTING,
                  g_strdup (_("The cluster’s API server is not ready yet.")));
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

static void
state_inspect_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKind *self = g_task_get_source_object (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  if (!dr_host_command_run_finish (command, result, &error))
    {
      g_autofree char *tail = dr_host_command_dup_tail (command);

      /* The node went away between the two commands. */
      if (g_error_matches (error, DR_ERROR, DR_ERROR_HOST_COMMAND) &&
          (contains_ci (tail, "no such object") || contains_ci (tail, "no such container")))
        return_state (task, DR_KIND_STATE_ABSENT,
                      g_strdup_printf (_("There is no kind cluster named “%s”."), self->name));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = g_strstrip (output_text (command));

  if (strcmp (status, "running") == 0)
    {
      if (self->probe == NULL)
        return_state (task, DR_KIND_STATE_READY, NULL);
      else
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          dr_ready_probe_check_async (self->probe, self, cancellable, state_probe_cb,
                                      g_steal_pointer (&task));
        }
    }
  else if (strcmp (status, "restarting") == 0)
    return_state (task, DR_KIND_STATE_STARTING,
                  g_strdup_printf (_("The node container %s is restarting."),
                                   self->node_container));
  else if (strcmp (status, "removing") == 0)
    return_state (task, DR_KIND_STATE_ABSENT,
                  g_strdup_printf (_("The node container %s is being removed."),
                                   self->node_container));
  else if (*status == '\0')
    g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                             _("“%s” gave no state for the node container %s."),
                             dr_host_command_get_title (command), self->node_container);
  else
    /* created, exited, dead, paused (Docker); configured, stopped, stopping (Podman). */
    return_state (task, DR_KIND_STATE_STOPPED,
                  g_strdup_printf (_("The node container %s is not running (it is “%s”), "
                                     "as after a restart of this computer. Start the cluster "
                                     "to use it."),
                                   self->node_container, status));
}

static void
state_clusters_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKind *self = g_task_get_source_object (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(DrHostCommand) inspect = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) names = NULL;
  gboolean found = FALSE;
  GCancellable *cancellable;
  const char *args[] = { "inspect", "-f", "{{.State.Status}}", NULL, NULL };

  if (!dr_host_command_run_finish (command, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One name a line; none at all prints "No kind clusters found." to stderr. */
  text = output_text (command);
  names = g_strsplit (text, "\n", -1);
  for (guint i = 0; names[i] != NULL && !found; i++)
    found = strcmp (g_strstrip (names[i]), self->name) == 0;

  if (!found)
    {
      return_state (task, DR_KIND_STATE_ABSENT,
                    g_strdup_printf (_("There is no kind cluster named “%s”."), self->name));
      return;
    }

  args[3] = self->node_container;
  inspect = container_command (self, FALSE, args);
  dr_host_command_set_flags (inspect, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  g_task_set_task_data (task, g_object_ref (inspect), g_object_unref);
  cancellable = g_task_get_cancellable (task);
  dr_host_command_run_async (inspect, cancellable, state_inspect_cb, g_steal_pointer (&task));
}

void
dr_kind_get_state_async (DrKind              *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DrHostCommand) command = NULL;
  const char *args[] = { "get", "clusters", NULL };

  g_return_if_fail (DR_IS_KIND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_get_state_async);

  command = kind_command (self, FALSE, args);
  dr_host_command_set_flags (command, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  g_task_set_task_data (task, g_object_ref (command), g_object_unref);
  dr_host_command_run_async (command, cancellable, state_clusters_cb, g_steal_pointer (&task));
}

DrKindState
dr_kind_get_state_finish (DrKind        *self,
                          GAsyncResult  *result,
                          char         **detail,
                          GError       **error)
{
  StateResult *state;
  DrKindState value;

  g_return_val_if_fail (DR_IS_KIND (self), DR_KIND_STATE_ABSENT);
  g_return_val_if_fail (g_task_is_valid (result, self), DR_KIND_STATE_ABSENT);

  if (detail != NULL)
    *detail = NULL;

  state = g_task_propagate_pointer (G_TASK (result), error);
  if (state == NULL)
    return DR_KIND_STATE_ABSENT;

  value = state->state;
  if (detail != NULL)
    *detail = g_steal_pointer (&state->detail);
  state_result_free (state);
  return value;
}


/* The config of the cluster that exists */

static void
config_inspect_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKind *self = g_task_get_source_object (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DrKindConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *mounts;

  if (!dr_host_command_run_finish (command, result, &error))
    {
      g_autofree char *tail = dr_host_command_dup_tail (command);

      if (g_error_matches (error, DR_ERROR, DR_ERROR_HOST_COMMAND) &&
          (contains_ci (tail, "no such object") || contains_ci (tail, "no such container")))
        g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                                 _("There is no kind cluster named “%s”."), self->name);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  text = output_text (command);
  if ((root = dr_json_parse_data (text, -1, NULL)) == NULL ||
      !(JSON_NODE_HOLDS_ARRAY (root) || JSON_NODE_HOLDS_NULL (root)))
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("“%s” did not list the mounts of %s as expected."),
                               dr_host_command_get_title (command), self->node_container);
      return;
    }

  config = g_new0 (DrKindConfig, 1);
  config->name = g_strdup (self->name);
  config->mounts = g_ptr_array_new_with_free_func (mount_free);

  mounts = JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  for (guint i = 0; mounts != NULL && i < json_array_get_length (mounts); i++)
    {
      JsonNode *element = json_array_get_element (mounts, i);
      JsonObject *mount;
      const char *type, *source, *destination;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      mount = json_node_get_object (element);
      type = json_object_get_string_member_with_default (mount, "Type", "");
      source = json_object_get_string_member_with_default (mount, "Source", NULL);
      destination = json_object_get_string_member_with_default (mount, "Destination", NULL);

      /* Volumes and tmpfs are the node's own; binds are what it shares of this computer. */
      if (strcmp (type, "bind") != 0 || source == NULL || destination == NULL ||
          !g_path_is_absolute (source) || !g_path_is_absolute (destination))
        continue;
      config_add_mount (config, source, destination,
                        !json_object_get_boolean_member_with_default (mount, "RW", TRUE));
    }

  g_task_return_pointer (task, g_steal_pointer (&config), (GDestroyNotify)dr_kind_config_free);
}

void
dr_kind_get_config_async (DrKind              *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(DrHostCommand) command = NULL;
  const char *args[] = { "inspect", "-f", "{{json .Mounts}}", NULL, NULL };

  g_return_if_fail (DR_IS_KIND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_get_config_async);

  args[3] = self->node_container;
  command = container_command (self, FALSE, args);
  dr_host_command_set_flags (command, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  g_task_set_task_data (task, g_object_ref (command), g_object_unref);
  dr_host_command_run_async (command, cancellable, config_inspect_cb, g_steal_pointer (&task));
}

DrKindConfig *
dr_kind_get_config_finish (DrKind        *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (DR_IS_KIND (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Start */

typedef struct
{
  DrHostCommand *command;
  gint64         deadline;       /* monotonic µs */
  guint          timeout_seconds;
  char          *last_answer;    /* why the last probe did not say ready */
} StartData;

static void
start_data_free (gpointer data)
{
  StartData *start = data;

  g_clear_object (&start->command);
  g_free (start->last_answer);
  g_free (start);
}

static void start_probe (GTask *task);

static void
start_pause_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;

  if (!dr_pause_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    start_probe (g_steal_pointer (&task));
}

static void
start_probe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKind *self = g_task_get_source_object (task);
  StartData *start = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (dr_ready_probe_check_finish (DR_READY_PROBE (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_free (start->last_answer);
  start->last_answer = g_strdup (error != NULL ? error->message :
                                 _("The API server is not ready yet."));

  if (g_get_monotonic_time () >= start->deadline)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The cluster “%s” did not become ready within %u seconds "
                                 "of starting its node container. Last answer: %s"),
                               self->name, start->timeout_seconds, start->last_answer);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  dr_pause_async (self->poll_interval_ms, cancellable, start_pause_cb, g_steal_pointer (&task));
}

static void
start_probe (GTask *task)
{
  DrKind *self = g_task_get_source_object (task);

  dr_ready_probe_check_async (self->probe, self, g_task_get_cancellable (task),
                              start_probe_cb, task);
}

static void
start_container_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(GTask) task = data;
  DrKind *self = g_task_get_source_object (task);
  StartData *start = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!dr_host_command_run_finish (DR_HOST_COMMAND (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->probe == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  start->deadline = g_get_monotonic_time () + (gint64)start->timeout_seconds * G_USEC_PER_SEC;
  start_probe (g_steal_pointer (&task));
}

void
dr_kind_start_async (DrKind              *self,
                     guint                timeout_seconds,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *args[] = { "start", NULL, NULL };
  StartData *start;

  g_return_if_fail (DR_IS_KIND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kind_start_async);

  args[1] = self->node_container;
  start = g_new0 (StartData, 1);
  start->command = container_command (self, TRUE, args);
  start->timeout_seconds = timeout_seconds;
  g_task_set_task_data (task, start, start_data_free);

  dr_host_command_run_async (start->command, cancellable, start_container_cb,
                             g_steal_pointer (&task));
}

gboolean
dr_kind_start_finish (DrKind        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (DR_IS_KIND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
