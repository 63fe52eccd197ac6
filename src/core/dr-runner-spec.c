/* dr-runner-spec.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dr-error.h"
#include "dr-runner-spec.h"
#include "dr-versions.h"

G_DEFINE_BOXED_TYPE (DrRunnerSpec, dr_runner_spec, dr_runner_spec_ref, dr_runner_spec_unref)

/* The defaults of the deskrun CLI, so an imported runner and a new one behave alike. */
#define DEFAULT_MIN_RUNNERS 1
#define DEFAULT_MAX_RUNNERS 5

DrRunnerSpec *
dr_runner_spec_new (void)
{
  DrRunnerSpec *self = g_atomic_rc_box_new0 (DrRunnerSpec);

  /* Empty strings rather than NULL, so code that serializes a fresh spec needs no checks. */
  self->name = g_strdup ("");
  self->repository_url = g_strdup ("");
  self->mode = DR_CONTAINER_MODE_KUBERNETES;
  self->min_runners = DEFAULT_MIN_RUNNERS;
  self->max_runners = DEFAULT_MAX_RUNNERS;
  self->instances = 1;
  self->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_mount_free);
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->credential_kind = DR_CREDENTIAL_KIND_PAT;

  return self;
}

DrRunnerSpec *
dr_runner_spec_ref (DrRunnerSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
dr_runner_spec_clear (DrRunnerSpec *self)
{
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->repository_url, g_free);
  g_clear_pointer (&self->mounts, g_ptr_array_unref);
  g_clear_pointer (&self->runner_group, g_free);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->credential_id, g_free);
}

void
dr_runner_spec_unref (DrRunnerSpec *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) dr_runner_spec_clear);
}

DrRunnerSpec *
dr_runner_spec_copy (const DrRunnerSpec *self)
{
  DrRunnerSpec *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_atomic_rc_box_new0 (DrRunnerSpec);
  copy->name = g_strdup (self->name);
  copy->repository_url = g_strdup (self->repository_url);
  copy->mode = self->mode;
  copy->min_runners = self->min_runners;
  copy->max_runners = self->max_runners;
  copy->instances = self->instances;
  copy->runner_group = g_strdup (self->runner_group);
  copy->credential_kind = self->credential_kind;
  copy->credential_id = g_strdup (self->credential_id);

  /* The struct is public, so a caller may have left an array NULL; the copy always has one. */
  copy->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_mount_free);
  for (guint i = 0; self->mounts != NULL && i < self->mounts->len; i++)
    g_ptr_array_add (copy->mounts, dr_mount_copy (g_ptr_array_index (self->mounts, i)));

  copy->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    g_ptr_array_add (copy->labels, g_strdup (g_ptr_array_index (self->labels, i)));

  return copy;
}

static guint
array_len (const GPtrArray *array)
{
  return array != NULL ? array->len : 0;
}

/* NULL and "" mean the same thing in the optional string fields (no group, no name yet). */
static gboolean
optional_str_equal (const char *a,
                    const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Mounts and labels compare in order: the order is what the user sees and what is rendered. */
gboolean
dr_runner_spec_equal (const DrRunnerSpec *a,
                      const DrRunnerSpec *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;

  if (!optional_str_equal (a->name, b->name)
      || !optional_str_equal (a->repository_url, b->repository_url)
      || a->mode != b->mode
      || a->min_runners != b->min_runners
      || a->max_runners != b->max_runners
      || a->instances != b->instances
      || !optional_str_equal (a->runner_group, b->runner_group)
      || a->credential_kind != b->credential_kind
      || !optional_str_equal (a->credential_id, b->credential_id))
    return FALSE;

  if (array_len (a->mounts) != array_len (b->mounts)
      || array_len (a->labels) != array_len (b->labels))
    return FALSE;

  for (guint i = 0; i < array_len (a->mounts); i++)
    if (!dr_mount_equal (g_ptr_array_index (a->mounts, i), g_ptr_array_index (b->mounts, i)))
      return FALSE;

  for (guint i = 0; i < array_len (a->labels); i++)
    if (g_strcmp0 (g_ptr_array_index (a->labels, i), g_ptr_array_index (b->labels, i)) != 0)
      return FALSE;

  return TRUE;
}

/* Mounts */

DrMount *
dr_mount_new (const char  *source,
              const char  *target,
              DrMountType  type)
{
  DrMount *mount;

  g_return_val_if_fail (target != NULL, NULL);

  mount = g_new0 (DrMount, 1);
  /* An empty source is no source: both mean "make a cache directory for me". */
  mount->source = (source != NULL && source[0] != '\0') ? g_strdup (source) : NULL;
  mount->target = g_strdup (target);
  mount->type = type;

  return mount;
}

DrMount *
dr_mount_copy (const DrMount *mount)
{
  g_return_val_if_fail (mount != NULL, NULL);

  return dr_mount_new (mount->source, mount->target, mount->type);
}

void
dr_mount_free (DrMount *mount)
{
  if (mount == NULL)
    return;

  g_free (mount->source);
  g_free (mount->target);
  g_free (mount);
}

gboolean
dr_mount_equal (const DrMount *a,
                const DrMount *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return optional_str_equal (a->source, b->source)
         && g_strcmp0 (a->target, b->target) == 0
         && a->type == b->type;
}

static gboolean
path_has_dot_dot (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    if (strcmp (segments[i], "..") == 0)
      return TRUE;

  return FALSE;
}

/* The rules for a path on either side of a mount. Sources and targets get their own sentences
 * because they live in different places (the host, the job container) and translators need
 * whole sentences. */
static gboolean
check_mount_path (const char  *path,
                  gboolean     is_target,
                  GError     **error)
{
  if (path == NULL || path[0] == '\0')
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount has no target. Give the absolute path inside the job "
                       "container, for example “/cache”."));
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source is empty. Give an absolute host path, or leave the "
                       "source out to get an automatic cache directory."));
      return FALSE;
    }

  if (!g_utf8_validate (path, -1, NULL))
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount target is not valid UTF-8 text. Use a path made of "
                       "ordinary characters."));
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source is not valid UTF-8 text. Use a path made of "
                       "ordinary characters."));
      return FALSE;
    }

  /* "~" would be expanded by a shell, but nothing here is a shell: the path would be taken
   * literally and name a directory called "~". */
  if (path[0] == '~')
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount target “%s” starts with “~”, which is not expanded here. "
                       "Use an absolute path inside the job container, starting with “/”."),
                     path);
      else if (path[1] == '\0' || path[1] == '/')
        {
          g_autofree char *suggestion = g_build_filename (g_get_home_dir (), path + 1, NULL);

          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The mount source “%s” starts with “~”, which is not expanded here. "
                         "Use an absolute path such as “%s”."),
                       path, suggestion);
        }
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source “%s” starts with “~”, which is not expanded here. "
                       "Use an absolute path, starting with “/”."),
                     path);
      return FALSE;
    }

  if (!g_path_is_absolute (path))
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount target “%s” is not an absolute path. Targets are paths "
                       "inside the job container and must start with “/”."),
                     path);
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source “%s” is not an absolute path. Give the full host "
                       "path, starting with “/”."),
                     path);
      return FALSE;
    }

  /* ".." could climb out of the directory the user meant, and the canonical form we compare
   * for duplicates would hide that. */
  if (path_has_dot_dot (path))
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount target “%s” contains a “..” segment. Use a path without "
                       "“..”."),
                     path);
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source “%s” contains a “..” segment. Use a path without "
                       "“..”."),
                     path);
      return FALSE;
    }

  /* ":" separates the parts of a mount, so such a path could never be written back. */
  if (strchr (path, ':') != NULL)
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount target “%s” contains “:”, which separates the parts of a "
                       "mount. Use a path without “:”."),
                     path);
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source “%s” contains “:”, which separates the parts of a "
                       "mount. Use a path without “:”."),
                     path);
      return FALSE;
    }

  if (is_target)
    {
      g_autofree char *canonical = g_canonicalize_filename (path, "/");

      if (strcmp (canonical, "/") == 0)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The mount target cannot be “/”, the root of the job container. "
                         "Choose a directory such as “/cache”."));
          return FALSE;
        }
    }

  return TRUE;
}

DrMount *
dr_mount_parse (const char  *text,
                GError     **error)
{
  g_autofree char *stripped = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  DrMountType type = DR_MOUNT_TYPE_DIRECTORY_OR_CREATE;
  guint n_parts;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The mount is empty. Use “target”, “source:target” or "
                     "“source:target:type”."));
      return NULL;
    }

  parts = g_strsplit (stripped, ":", -1);
  n_parts = g_strv_length (parts);
  if (n_parts > 3)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The mount “%s” has too many parts. Use “target”, “source:target” or "
                     "“source:target:type”."),
                   stripped);
      return NULL;
    }

  for (guint i = 0; i < n_parts; i++)
    if (parts[i][0] == '\0')
      {
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount “%s” has an empty part. Use “target”, “source:target” or "
                       "“source:target:type”."),
                     stripped);
        return NULL;
      }

  if (n_parts == 3 && !dr_mount_type_from_string (parts[2], &type, error))
    return NULL;

  if (n_parts >= 2 && !check_mount_path (parts[0], FALSE, error))
    return NULL;
  if (!check_mount_path (parts[n_parts >= 2 ? 1 : 0], TRUE, error))
    return NULL;

  /* Stored canonical ("/a//b/" → "/a/b"), so duplicate targets are easy to spot. */
  if (n_parts >= 2)
    source = g_canonicalize_filename (parts[0], "/");
  target = g_canonicalize_filename (parts[n_parts >= 2 ? 1 : 0], "/");

  return dr_mount_new (source, target, type);
}

/* A mount without a source is always DirectoryOrCreate (validation insists), so "target"
 * alone loses nothing. */
char *
dr_mount_to_string (const DrMount *mount)
{
  g_return_val_if_fail (mount != NULL, NULL);
  g_return_val_if_fail (mount->target != NULL, NULL);

  if (mount->source == NULL || mount->source[0] == '\0')
    return g_strdup (mount->target);

  if (mount->type == DR_MOUNT_TYPE_DIRECTORY_OR_CREATE)
    return g_strdup_printf ("%s:%s", mount->source, mount->target);

  return g_strdup_printf ("%s:%s:%s", mount->source, mount->target,
                          dr_mount_type_to_string (mount->type));
}

/* Enum names */

const char *
dr_container_mode_to_string (DrContainerMode mode)
{
  switch (mode)
    {
    case DR_CONTAINER_MODE_KUBERNETES:
      return "kubernetes";
    case DR_CONTAINER_MODE_PRIVILEGED:
      return "privileged";
    case DR_CONTAINER_MODE_DIND:
      return "dind";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dr_container_mode_from_string (const char       *text,
                               DrContainerMode  *out_mode,
                               GError          **error)
{
  DrContainerMode mode;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_ascii_strcasecmp (text, "kubernetes") == 0)
    mode = DR_CONTAINER_MODE_KUBERNETES;
  else if (g_ascii_strcasecmp (text, "privileged") == 0
           || g_ascii_strcasecmp (text, "cached-privileged-kubernetes") == 0)
    mode = DR_CONTAINER_MODE_PRIVILEGED;
  else if (g_ascii_strcasecmp (text, "dind") == 0)
    mode = DR_CONTAINER_MODE_DIND;
  else
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Unknown container mode “%s”. Use kubernetes, privileged or dind."),
                   text);
      return FALSE;
    }

  if (out_mode != NULL)
    *out_mode = mode;

  return TRUE;
}

const char *
dr_mount_type_to_string (DrMountType type)
{
  switch (type)
    {
    case DR_MOUNT_TYPE_DIRECTORY_OR_CREATE:
      return "DirectoryOrCreate";
    case DR_MOUNT_TYPE_DIRECTORY:
      return "Directory";
    case DR_MOUNT_TYPE_SOCKET:
      return "Socket";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dr_mount_type_from_string (const char   *text,
                           DrMountType  *out_type,
                           GError      **error)
{
  DrMountType type;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_ascii_strcasecmp (text, "DirectoryOrCreate") == 0)
    type = DR_MOUNT_TYPE_DIRECTORY_OR_CREATE;
  else if (g_ascii_strcasecmp (text, "Directory") == 0)
    type = DR_MOUNT_TYPE_DIRECTORY;
  else if (g_ascii_strcasecmp (text, "Socket") == 0)
    type = DR_MOUNT_TYPE_SOCKET;
  else
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Unknown mount type “%s”. Use DirectoryOrCreate, Directory or Socket."),
                   text);
      return FALSE;
    }

  if (out_type != NULL)
    *out_type = type;

  return TRUE;
}

/* The deskrun CLI's AuthType values, so imported configs map one to one. */
const char *
dr_credential_kind_to_string (DrCredentialKind kind)
{
  switch (kind)
    {
    case DR_CREDENTIAL_KIND_PAT:
      return "pat";
    case DR_CREDENTIAL_KIND_GITHUB_APP:
      return "github-app";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dr_credential_kind_from_string (const char        *text,
                                DrCredentialKind  *out_kind,
                                GError           **error)
{
  DrCredentialKind kind;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_ascii_strcasecmp (text, "pat") == 0)
    kind = DR_CREDENTIAL_KIND_PAT;
  else if (g_ascii_strcasecmp (text, "github-app") == 0)
    kind = DR_CREDENTIAL_KIND_GITHUB_APP;
  else
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Unknown credential kind “%s”. Use pat or github-app."),
                   text);
      return FALSE;
    }

  if (out_kind != NULL)
    *out_kind = kind;

  return TRUE;
}
