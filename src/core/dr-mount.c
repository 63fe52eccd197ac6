/* dr-mount.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dr-error.h"
#include "dr-mount.h"


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

  return g_strcmp0 (a->source != NULL ? a->source : "", b->source != NULL ? b->source : "") == 0
         && g_strcmp0 (a->target, b->target) == 0
         && a->type == b->type;
}

/* g_canonicalize_filename() keeps a leading "//" (POSIX leaves its meaning open); in a
 * container both mean "/", and duplicates must be found either way. */
char *
_dr_mount_canonical_path (const char *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, "/");
  const char *start = canonical;

  while (start[0] == '/' && start[1] == '/')
    start++;

  return g_strdup (start);
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

static gboolean
has_control_character (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* TRUE when a "/"-separated name of @path (valid UTF-8) starts or ends with white space. */
static gboolean
has_spaced_segment (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *segment = segments[i];
      const char *last;

      if (segment[0] == '\0')
        continue;
      last = g_utf8_find_prev_char (segment, segment + strlen (segment));
      if (g_unichar_isspace (g_utf8_get_char (segment))
          || g_unichar_isspace (g_utf8_get_char (last)))
        return TRUE;
    }

  return FALSE;
}

/* The rules for a path on either side of a mount. Sources and targets get their own sentences
 * because they live in different places (the host, the job container) and translators need
 * whole sentences. */
gboolean
_dr_mount_check_path (const char  *path,
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

  /* A line break or a tab in a path is a paste gone wrong far more often than a real name,
   * and it would not survive being printed on one line. */
  if (has_control_character (path))
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount target contains a control character such as a line break "
                       "or a tab. Use a path made of ordinary characters."));
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The mount source contains a control character such as a line break "
                       "or a tab. Use a path made of ordinary characters."));
      return FALSE;
    }

  /* Spaces around a name are invisible and usually a typo; at the end of the text they would
   * also be trimmed when it is read back ("/h:/  /" would print as "/h:/  ", which reads as
   * a target of "/"). */
  if (has_spaced_segment (path))
    {
      if (is_target)
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("A name in the mount target “%s” starts or ends with a space. Remove "
                       "the spaces."),
                     path);
      else
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("A name in the mount source “%s” starts or ends with a space. Remove "
                       "the spaces."),
                     path);
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
      g_autofree char *canonical = _dr_mount_canonical_path (path);

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

  /* Left to right, as the user reads what they typed. */
  if (n_parts >= 2 && !_dr_mount_check_path (parts[0], FALSE, error))
    return NULL;
  if (!_dr_mount_check_path (parts[n_parts >= 2 ? 1 : 0], TRUE, error))
    return NULL;
  if (n_parts == 3 && !dr_mount_type_from_string (parts[2], &type, error))
    return NULL;

  /* Stored canonical ("/a//b/" → "/a/b"), so duplicate targets are easy to spot. */
  if (n_parts >= 2)
    source = _dr_mount_canonical_path (parts[0]);
  target = _dr_mount_canonical_path (parts[n_parts >= 2 ? 1 : 0]);

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

