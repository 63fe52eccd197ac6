/* dr-prerequisites.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-error.h"
#include "dr-host-command.h"
#include "dr-prerequisites-private.h"

#if defined(__aarch64__)
# define KIND_ARCH "arm64"
#else
# define KIND_ARCH "amd64"
#endif

#define KIND_RELEASE_URL "https://kind.sigs.k8s.io/dl/" DR_KIND_VERSION "/kind-linux-" KIND_ARCH

typedef enum
{
  DISTRO_OTHER,
  DISTRO_DEBIAN,   /* Debian, Ubuntu and their derivatives: apt */
  DISTRO_FEDORA,   /* Fedora and the RHEL family: dnf */
  DISTRO_ARCH,     /* Arch and derivatives: pacman */
} Distro;

static char *os_release_override;
static guint64 min_free_override;

void
_dr_prerequisites_set_os_release (const char *path)
{
  g_free (os_release_override);
  os_release_override = g_strdup (path);
}

void
_dr_prerequisites_set_min_free (guint64 bytes)
{
  min_free_override = bytes;
}


/* DrPrerequisites */

static void
prerequisite_free (gpointer data)
{
  DrPrerequisite *item = data;

  g_free (item->id);
  g_free (item->title);
  g_free (item->detail);
  g_free (item->fix);
  g_free (item);
}

static DrPrerequisite *
prerequisite_copy (const DrPrerequisite *item)
{
  DrPrerequisite *copy = g_new0 (DrPrerequisite, 1);

  copy->id = g_strdup (item->id);
  copy->title = g_strdup (item->title);
  copy->ok = item->ok;
  copy->detail = g_strdup (item->detail);
  copy->fix = g_strdup (item->fix);
  return copy;
}

static DrPrerequisites *
prerequisites_new (void)
{
  DrPrerequisites *self = g_new0 (DrPrerequisites, 1);

  self->items = g_ptr_array_new_with_free_func (prerequisite_free);
  return self;
}

DrPrerequisites *
dr_prerequisites_copy (const DrPrerequisites *self)
{
  DrPrerequisites *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = prerequisites_new ();
  for (guint i = 0; i < self->items->len; i++)
    g_ptr_array_add (copy->items, prerequisite_copy (g_ptr_array_index (self->items, i)));
  copy->provider = self->provider;
  copy->kind_version = g_strdup (self->kind_version);
  return copy;
}

void
dr_prerequisites_free (DrPrerequisites *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->items);
  g_free (self->kind_version);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (DrPrerequisites, dr_prerequisites, dr_prerequisites_copy,
                     dr_prerequisites_free)

gboolean
dr_prerequisites_all_ok (const DrPrerequisites *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      const DrPrerequisite *item = g_ptr_array_index (self->items, i);

      if (!item->ok)
        return FALSE;
    }
  return self->items->len > 0;
}

const DrPrerequisite *
dr_prerequisites_lookup (const DrPrerequisites *self,
                         const char            *id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const DrPrerequisite *item = g_ptr_array_index (self->items, i);

      if (strcmp (item->id, id) == 0)
        return item;
    }
  return NULL;
}

static void
add_item (DrPrerequisites *self,
          const char      *id,
          const char      *title,
          gboolean         ok,
          char            *detail,
          char            *fix)
{
  DrPrerequisite *item = g_new0 (DrPrerequisite, 1);

  item->id = g_strdup (id);
  item->title = g_strdup (title);
  item->ok = ok;
  item->detail = detail;
  item->fix = ok ? (g_free (fix), NULL) : fix;
  g_ptr_array_add (self->items, item);
}


/* The distribution, for fixes that name its package manager */

static gboolean
words_contain (const char *words,
               const char *word)
{
  g_auto(GStrv) split = NULL;

  if (words == NULL)
    return FALSE;
  split = g_strsplit_set (words, " \t", -1);
  return g_strv_contains ((const char * const *)split, word);
}

static Distro
distro_from_os_release (const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *id = NULL;
  g_autofree char *id_like = NULL;
  g_autofree char *all = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *eq = strchr (line, '=');
      g_autofree char *value = NULL;

      if (eq == NULL || line[0] == '#')
        continue;
      value = g_shell_unquote (eq + 1, NULL);
      if (value == NULL)
        value = g_strdup (eq + 1);

      if (g_str_has_prefix (line, "ID="))
        {
          g_free (id);
          id = g_ascii_strdown (value, -1);
        }
      else if (g_str_has_prefix (line, "ID_LIKE="))
        {
          g_free (id_like);
          id_like = g_ascii_strdown (value, -1);
        }
    }

  all = g_strjoin (" ", id != NULL ? id : "", id_like != NULL ? id_like : "", NULL);
  if (words_contain (all, "debian") || words_contain (all, "ubuntu"))
    return DISTRO_DEBIAN;
  if (words_contain (all, "fedora") || words_contain (all, "rhel") ||
      words_contain (all, "centos"))
    return DISTRO_FEDORA;
  if (words_contain (all, "arch"))
    return DISTRO_ARCH;
  return DISTRO_OTHER;
}

static Distro
detect_distro (void)
{
  const char *paths[4] = { NULL, };
  guint n = 0;

  if (os_release_override != NULL)
    paths[n++] = os_release_override;
  else
    {
      /* Inside Flatpak /etc/os-release describes the runtime, not the user's system. */
      if (dr_host_command_in_flatpak ())
        paths[n++] = "/run/host/os-release";
      paths[n++] = "/etc/os-release";
      paths[n++] = "/usr/lib/os-release";
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (paths[i], &contents, NULL, NULL))
        return distro_from_os_release (contents);
    }
  return DISTRO_OTHER;
}


/* Fixes. Commands stay out of the translated text. */

static void
append_command (GString    *text,
                const char *command)
{
  g_string_append (text, "\n  ");
  g_string_append (text, command);
}

static void
append_host_note (GString *text)
{
  if (dr_host_command_in_flatpak ())
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Install it on this computer itself: deskrun runs it outside its "
                               "Flatpak sandbox."));
    }
}

static char *
container_fix (Distro distro)
{
  GString *text = g_string_new (NULL);

  switch (distro)
    {
    case DISTRO_DEBIAN:
      g_string_append (text, _("Install Docker:"));
      append_command (text, "sudo apt install docker.io");
      g_string_append_c (text, '\n');
      g_string_append (text, _("or Podman:"));
      append_command (text, "sudo apt install podman");
      break;
    case DISTRO_FEDORA:
      g_string_append (text, _("Install Docker:"));
      append_command (text, "sudo dnf install moby-engine");
      g_string_append_c (text, '\n');
      g_string_append (text, _("or Podman:"));
      append_command (text, "sudo dnf install podman");
      break;
    case DISTRO_ARCH:
      g_string_append (text, _("Install Docker:"));
      append_command (text, "sudo pacman -S docker");
      g_string_append_c (text, '\n');
      g_string_append (text, _("or Podman:"));
      append_command (text, "sudo pacman -S podman");
      break;
    case DISTRO_OTHER:
    default:
      g_string_append (text, _("Install Docker Engine or Podman with your distribution’s "
                               "package manager (see https://docs.docker.com/engine/install/)."));
      break;
    }
  append_host_note (text);
  return g_string_free (text, FALSE);
}

static void
append_kind_release (GString *text)
{
  append_command (text, "curl -Lo kind " KIND_RELEASE_URL);
  append_command (text, "sudo install -m 0755 kind /usr/local/bin/kind");
  g_string_append_c (text, '\n');
  g_string_append (text, _("or build it with Go (it lands in ~/go/bin, which must be on "
                           "the PATH):"));
  append_command (text, "go install sigs.k8s.io/kind@" DR_KIND_VERSION);
}

static char *
kind_fix (Distro distro)
{
  GString *text = g_string_new (NULL);

  switch (distro)
    {
    case DISTRO_DEBIAN:
      g_string_append (text, _("kind is not packaged for Debian or Ubuntu. Install the "
                               "release binary:"));
      append_kind_release (text);
      break;
    case DISTRO_FEDORA:
      g_string_append (text, _("Install kind:"));
      append_command (text, "sudo dnf install kind");
      g_string_append_c (text, '\n');
      g_string_append (text, _("If your release does not package it, install the release "
                               "binary:"));
      append_kind_release (text);
      break;
    case DISTRO_ARCH:
      g_string_append (text, _("Install kind:"));
      append_command (text, "sudo pacman -S kind");
      break;
    case DISTRO_OTHER:
    default:
      g_string_append (text, _("Install the kind release binary:"));
      append_kind_release (text);
      break;
    }
  append_host_note (text);
  return g_string_free (text, FALSE);
}

static char *
daemon_fix (DrContainerProvider  provider,
            const char          *tail)
{
  GString *text = g_string_new (NULL);

  if (provider == DR_CONTAINER_PROVIDER_PODMAN)
    {
      g_string_append (text, _("Check that Podman works for your user in a terminal:"));
      append_command (text, "podman info");
    }
  else if (strstr (tail, "permission denied") != NULL)
    {
      g_string_append (text, _("Your user may not use the Docker daemon. Add it to the docker "
                               "group, then log out and back in:"));
      append_command (text, "sudo usermod -aG docker $USER");
      g_string_append_c (text, '\n');
      g_string_append (text, _("Members of the docker group can act as root on this "
                               "computer."));
    }
  else if (strstr (tail, "Cannot connect") != NULL || strstr (tail, "daemon running") != NULL)
    {
      g_string_append (text, _("Start the Docker daemon, and have it start at boot:"));
      append_command (text, "sudo systemctl enable --now docker");
    }
  else
    {
      g_string_append (text, _("Check that Docker works in a terminal:"));
      append_command (text, "docker version");
    }
  return g_string_free (text, FALSE);
}


/* The check: one tool after another */

typedef struct
{
  char            *cache_root;
  Distro           distro;
  DrPrerequisites *result;
  DrHostCommand   *command;
} Check;

static void
check_free (gpointer data)
{
  Check *check = data;

  g_free (check->cache_root);
  g_clear_pointer (&check->result, dr_prerequisites_free);
  g_clear_object (&check->command);
  g_free (check);
}

static char *
first_output_line (DrHostCommand *command)
{
  GBytes *output = dr_host_command_get_output (command);
  g_autofree char *text = NULL;
  char *newline;

  if (output == NULL || g_bytes_get_size (output) == 0)
    return g_strdup ("");
  text = g_utf8_make_valid (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
  newline = strchr (text, '\n');
  if (newline != NULL)
    *newline = '\0';
  return g_strdup (g_strstrip (text));
}

/* Runs @argv for @check, the output captured, then @callback with the task. */
static void
check_run (GTask               *task,
           const char * const  *argv,
           GAsyncReadyCallback  callback)
{
  Check *check = g_task_get_task_data (task);

  g_clear_object (&check->command);
  check->command = dr_host_command_new (argv);
  dr_host_command_set_flags (check->command, DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT);
  dr_host_command_run_async (check->command, g_task_get_cancellable (task), callback, task);
}

/* Returns TRUE (and completes @task) when @error is a cancellation. */
static gboolean
check_cancelled (GTask   *task,
                 GError **error)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (error));
      return TRUE;
    }
  return FALSE;
}

static void
disk_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  guint64 min_free = min_free_override > 0 ? min_free_override : DR_PREREQUISITES_MIN_FREE_DISK;

  info = g_file_query_filesystem_info_finish (G_FILE (object), result, &error);
  if (info == NULL)
    {
      if (check_cancelled (task, &error))
        return;
      add_item (check->result, DR_PREREQUISITE_DISK, _("Free disk space"), FALSE,
                g_strdup_printf (_("Could not tell how much space is free under %s: %s"),
                                 check->cache_root, error->message),
                NULL);
    }
  else
    {
      guint64 free_bytes = g_file_info_get_attribute_uint64 (info,
                                                             G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
      g_autofree char *free_text = g_format_size (free_bytes);
      g_autofree char *needed_text = g_format_size (min_free);

      add_item (check->result, DR_PREREQUISITE_DISK, _("Free disk space"),
                free_bytes >= min_free,
                g_strdup_printf (_("%s free on the disk that holds %s."),
                                 free_text, check->cache_root),
                g_strdup_printf (_("Free up space on the disk that holds %s: deskrun needs "
                                   "about %s for the cluster’s images and the runners’ "
                                   "caches."),
                                 check->cache_root, needed_text));
    }

  g_task_return_pointer (task, g_steal_pointer (&check->result),
                         (GDestroyNotify)dr_prerequisites_free);
}

static void
check_disk (GTask *task)
{
  Check *check = g_task_get_task_data (task);
  g_autofree char *existing = g_strdup (check->cache_root);
  g_autoptr(GFile) file = NULL;

  /* The cache root may not exist yet: ask about the folder it will be made in. */
  while (!g_file_test (existing, G_FILE_TEST_IS_DIR) && strcmp (existing, "/") != 0)
    {
      char *parent = g_path_get_dirname (existing);

      g_free (existing);
      existing = parent;
    }

  file = g_file_new_for_path (existing);
  g_file_query_filesystem_info_async (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE,
                                      G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                      disk_info_cb, task);
}

/* "kind v0.32.0 go1.24.2 linux/amd64" → "v0.32.0" */
static char *
parse_kind_version (const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] == 'v' && g_ascii_isdigit (words[i][1]))
      return g_strdup (words[i]);
  return NULL;
}

static void
kind_version_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  GTask *task = data;
  Check *check = g_task_get_task_data (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(GError) error = NULL;

  if (!dr_host_command_run_finish (command, result, &error))
    {
      if (check_cancelled (task, &error))
        {
          g_object_unref (task);
          return;
        }
      if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
        add_item (check->result, DR_PREREQUISITE_KIND, "kind", FALSE,
                  g_strdup (_("kind is not installed, or not on the PATH.")),
                  kind_fix (check->distro));
      else
        add_item (check->result, DR_PREREQUISITE_KIND, "kind", FALSE,
                  g_strdup (error->message), kind_fix (check->distro));
    }
  else
    {
      g_autofree char *line = first_output_line (command);
      g_autofree char *version = parse_kind_version (line);
      char *detail;

      if (version == NULL)
        detail = g_strdup (line);
      else if (strcmp (version, DR_KIND_VERSION) == 0)
        detail = g_strdup_printf (_("kind %s"), version);
      else
        detail = g_strdup_printf (_("kind %s (deskrun is tested with %s)"),
                                  version, DR_KIND_VERSION);
      add_item (check->result, DR_PREREQUISITE_KIND, "kind", TRUE, detail, NULL);
      check->result->kind_version = g_steal_pointer (&version);
    }

  check_disk (task);
}

static void
check_kind (GTask *task)
{
  const char *argv[] = { "kind", "version", NULL };

  check_run (task, argv, kind_version_cb);
}

static const char *
provider_title (DrContainerProvider provider)
{
  if (provider == DR_CONTAINER_PROVIDER_PODMAN)
    return "Podman";
  return "Docker";
}

static void
daemon_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  GTask *task = data;
  Check *check = g_task_get_task_data (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  DrContainerProvider provider = check->result->provider;
  const char *title = provider == DR_CONTAINER_PROVIDER_PODMAN ? _("Podman engine")
                                                                : _("Docker daemon");
  g_autoptr(GError) error = NULL;

  if (!dr_host_command_run_finish (command, result, &error))
    {
      g_autofree char *tail = dr_host_command_dup_tail (command);

      if (check_cancelled (task, &error))
        {
          g_object_unref (task);
          return;
        }
      add_item (check->result, DR_PREREQUISITE_DAEMON, title, FALSE,
                g_strdup (error->message), daemon_fix (provider, tail));
    }
  else
    {
      g_autofree char *version = first_output_line (command);

      add_item (check->result, DR_PREREQUISITE_DAEMON, title, TRUE,
                g_strdup_printf (_("%s %s answers."), provider_title (provider), version),
                NULL);
    }

  check_kind (task);
}

static void
check_daemon (GTask *task)
{
  Check *check = g_task_get_task_data (task);
  const char *docker_argv[] = { "docker", "version", "--format", "{{.Server.Version}}", NULL };
  const char *podman_argv[] = { "podman", "info", "--format", "{{.Version.Version}}", NULL };

  if (check->result->provider == DR_CONTAINER_PROVIDER_NONE)
    {
      add_item (check->result, DR_PREREQUISITE_DAEMON, _("Container daemon"), FALSE,
                g_strdup (_("Needs Docker or Podman first.")), NULL);
      check_kind (task);
      return;
    }

  if (check->result->provider == DR_CONTAINER_PROVIDER_PODMAN)
    check_run (task, podman_argv, daemon_cb);
  else
    check_run (task, docker_argv, daemon_cb);
}

static void
podman_version_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  Check *check = g_task_get_task_data (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(GError) error = NULL;

  if (!dr_host_command_run_finish (command, result, &error))
    {
      if (check_cancelled (task, &error))
        {
          g_object_unref (task);
          return;
        }
      add_item (check->result, DR_PREREQUISITE_CONTAINER, _("Docker or Podman"), FALSE,
                g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND)
                ? g_strdup (_("Neither Docker nor Podman is installed."))
                : g_strdup (error->message),
                container_fix (check->distro));
    }
  else
    {
      check->result->provider = DR_CONTAINER_PROVIDER_PODMAN;
      add_item (check->result, DR_PREREQUISITE_CONTAINER, "Podman", TRUE,
                first_output_line (command), NULL);
    }

  check_daemon (task);
}

static void
docker_version_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      data)
{
  GTask *task = data;
  Check *check = g_task_get_task_data (task);
  DrHostCommand *command = DR_HOST_COMMAND (object);
  g_autoptr(GError) error = NULL;
  const char *podman_argv[] = { "podman", "--version", NULL };

  if (!dr_host_command_run_finish (command, result, &error))
    {
      if (check_cancelled (task, &error))
        {
          g_object_unref (task);
          return;
        }
      if (g_error_matches (error, DR_ERROR, DR_ERROR_NOT_FOUND))
        {
          check_run (task, podman_argv, podman_version_cb);
          return;
        }
      add_item (check->result, DR_PREREQUISITE_CONTAINER, "Docker", FALSE,
                g_strdup (error->message), container_fix (check->distro));
    }
  else
    {
      g_autofree char *line = first_output_line (command);

      /* podman-docker installs a `docker` that is Podman; kind then needs the Podman
       * provider, as its own detection would pick. */
      if (strstr (line, "podman") != NULL)
        {
          check_run (task, podman_argv, podman_version_cb);
          return;
        }
      check->result->provider = DR_CONTAINER_PROVIDER_DOCKER;
      add_item (check->result, DR_PREREQUISITE_CONTAINER, "Docker", TRUE,
                g_steal_pointer (&line), NULL);
    }

  check_daemon (task);
}

void
dr_prerequisites_check_async (const char          *cache_root,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Check *check;
  const char *docker_argv[] = { "docker", "--version", NULL };

  g_return_if_fail (cache_root == NULL || g_path_is_absolute (cache_root));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_prerequisites_check_async);

  check = g_new0 (Check, 1);
  check->cache_root = cache_root != NULL ? g_strdup (cache_root)
                                         : g_build_filename (g_get_user_cache_dir (),
                                                             "deskrun", NULL);
  check->distro = detect_distro ();
  check->result = prerequisites_new ();
  g_task_set_task_data (task, check, check_free);

  check_run (g_steal_pointer (&task), docker_argv, docker_version_cb);
}

DrPrerequisites *
dr_prerequisites_check_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
