/* dr-config-file.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The config on disk: reading it without ever blocking (a FIFO or a device at the path is
 * refused, and so is a file too large to be one), moving a broken file aside, and writing
 * atomically with mode 0600. The document itself is core/dr-config-json.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dr-config-file.h"
#include "dr-error.h"

char *
dr_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "deskrun", "config.json", NULL);
}

DrConfig *
dr_config_new_fallback (const char *path)
{
  DrConfig *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = dr_config_new (path);
  /* Anything still at @path is a file dr_config_load() refused and left in place (newer, or
   * broken and impossible to move aside): an empty config must never replace it. */
  _dr_config_set_read_only (self, g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));

  return self;
}

/* Renames @path to PATH.broken-YYYYMMDD-HHMMSS (never over an existing file) and returns the
 * new name, or NULL with @error. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.broken-%s", path, stamp);

  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&aside);
}

static void
set_broken_error (const char  *path,
                  const char  *problem,
                  GError     **error)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *aside = move_aside (path, &move_error);

  if (aside != NULL)
    g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                 _("The configuration file “%s” cannot be used. %s It was moved, unchanged, to "
                   "“%s”, so that nothing overwrites it."),
                 path, problem, aside);
  else
    g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                 _("The configuration file “%s” cannot be used. %s Moving it aside failed (%s), "
                   "so it was left in place."),
                 path, problem, move_error->message);
}

/* Temporary files of saves that never reached their rename (a crash, a kill) are named
 * .config.json.XXXXXX next to the file; g_mkstemp() fills the X with letters and digits. One
 * older than this is no save still running in another deskrun. */
#define STALE_TEMP_AGE_SECONDS 60

static gboolean
is_temp_name (const char *name,
              const char *prefix)
{
  gsize prefix_len = strlen (prefix);

  if (strncmp (name, prefix, prefix_len) != 0 || strlen (name) != prefix_len + 6)
    return FALSE;
  for (const char *p = name + prefix_len; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

/* Removes the stale temporary files of earlier saves to @path. Only plain files of ours that
 * match the name exactly; never a link, never anything else in the directory. */
static void
remove_stale_temp_files (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *temp = NULL;
      GStatBuf st;

      if (!is_temp_name (name, prefix))
        continue;
      temp = g_build_filename (dir, name, NULL);
      if (g_lstat (temp, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != getuid ()
          || now - (gint64) st.st_mtime < STALE_TEMP_AGE_SECONDS)
        continue;
      if (g_unlink (temp) == 0)
        g_debug ("Removed %s, left by a save that did not finish", temp);
      else
        g_debug ("Could not remove %s: %s", temp, g_strerror (errno));
    }
}

/* A config is a few kilobytes; this is far above any real one and keeps a mistake (a link to
 * a large file) from filling memory. */
#define CONFIG_SIZE_MAX (16 * 1024 * 1024)

/* Like g_file_get_contents(), but never blocks: opened with O_NONBLOCK, so a FIFO at the path
 * does not wait for a writer, and only a regular file of at most CONFIG_SIZE_MAX is read (a
 * link to /dev/zero never ends). On failure, *out_problem is the sentence for the user when
 * the file exists; NOENT is returned as a G_FILE_ERROR. */
static gboolean
read_config_file (const char  *path,
                  char       **out_contents,
                  gsize       *out_length,
                  char       **out_problem,
                  GError     **error)
{
  g_autoptr(GByteArray) buffer = NULL;
  struct stat st;
  int fd;

  *out_problem = NULL;
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, g_strerror (saved_errno));
      else if (saved_errno == EACCES || saved_errno == EPERM)
        *out_problem = g_strdup (_("You do not have permission to read it."));
      else if (saved_errno == EISDIR)
        *out_problem = g_strdup (_("It is a directory, not a file."));
      else
        *out_problem = g_strdup_printf (_("Reading it failed (%s)."), g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      *out_problem = g_strdup_printf (_("Reading it failed (%s)."), g_strerror (errno));
      close (fd);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      *out_problem = g_strdup (_("It is a directory, not a file."));
      close (fd);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      *out_problem = g_strdup (_("It is not a regular file (it is a pipe, a device or a "
                                 "socket), so deskrun does not read it."));
      close (fd);
      return FALSE;
    }
  if (st.st_size > CONFIG_SIZE_MAX)
    {
      *out_problem = g_strdup_printf (_("It is larger than %d MB, far more than any "
                                        "configuration."), CONFIG_SIZE_MAX / (1024 * 1024));
      close (fd);
      return FALSE;
    }

  buffer = g_byte_array_sized_new (st.st_size + 1);
  for (;;)
    {
      guint8 chunk[8192];
      gssize n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *out_problem = g_strdup_printf (_("Reading it failed (%s)."), g_strerror (errno));
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      /* It may grow while it is read. */
      if (buffer->len + n > CONFIG_SIZE_MAX)
        {
          *out_problem = g_strdup_printf (_("It is larger than %d MB, far more than any "
                                            "configuration."), CONFIG_SIZE_MAX / (1024 * 1024));
          close (fd);
          return FALSE;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  close (fd);

  *out_length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  *out_contents = (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
  return TRUE;
}

DrConfig *
dr_config_load (const char  *path,
                GError     **error)
{
  g_autoptr(DrConfig) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *problem = NULL;
  gsize length = 0;
  gint64 newer_version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  remove_stale_temp_files (path);

  if (!read_config_file (path, &contents, &length, &problem, &local_error))
    {
      if (problem == NULL)
        return dr_config_new (path);

      set_broken_error (path, problem, error);
      return NULL;
    }

  self = dr_config_new_from_json (path, contents, length, &newer_version, &local_error);
  if (self == NULL)
    {
      if (newer_version > 0)
        {
          g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, newer_version);

          g_set_error (error, DR_ERROR, DR_ERROR_NEWER_CONFIG,
                       _("The configuration file “%s” was written by a newer version of deskrun "
                         "(format %s; this version reads format %d). It was left as it is and "
                         "will not be changed. Update deskrun to use it."),
                       path, version, DR_CONFIG_VERSION);
        }
      else
        set_broken_error (path, local_error->message, error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return FALSE;
        }

      data += written;
      length -= written;
    }

  return TRUE;
}

static void
set_errno_error (GError     **error,
                 int          saved_errno)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
}

/* Makes the rename itself durable. Some file systems cannot fsync a directory; the file is
 * already complete by then, so that is not worth failing the save for. */
static void
sync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      g_debug ("Could not open %s to sync it: %s", dir, g_strerror (errno));
      return;
    }

  if (fsync (fd) != 0)
    g_debug ("Could not sync %s: %s", dir, g_strerror (errno));
  close (fd);
}

static gboolean
write_atomically (DrConfig    *self,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  const char *path = dr_config_get_path (self);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }

  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }

  if (!write_all (fd, data, length, error))
    goto fail_open;

  if (fsync (fd) != 0)
    {
      set_errno_error (error, errno);
      goto fail_open;
    }

  if (close (fd) != 0)
    {
      set_errno_error (error, errno);
      goto fail_closed;
    }

  if (_dr_config_get_fail_before_rename (self))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "simulated failure before the rename");
      goto fail_closed;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      set_errno_error (error, errno);
      goto fail_closed;
    }

  sync_directory (dir);
  return TRUE;

fail_open:
  close (fd);
fail_closed:
  g_unlink (tmp_path);
  return FALSE;
}

gboolean
dr_config_save (DrConfig  *self,
                GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (DR_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (dr_config_is_read_only (self))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("Changes cannot be saved: deskrun could not use the configuration file "
                     "“%s” and does not overwrite it. Update deskrun if a newer version wrote "
                     "the file, or move the file away, then start deskrun again."),
                   dr_config_get_path (self));
      return FALSE;
    }

  data = dr_config_to_json (self, &local_error);
  if (data == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_FAILED,
                   _("Could not save the configuration to “%s”: what would be written does "
                     "not read back (%s). The previous file, if any, is unchanged."),
                   dr_config_get_path (self), local_error->message);
      return FALSE;
    }

  if (!write_atomically (self, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                         &local_error))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_FAILED,
                   _("Could not save the configuration to “%s”: %s. The previous file, if any, "
                     "is unchanged."),
                   dr_config_get_path (self), local_error->message);
      return FALSE;
    }

  return TRUE;
}
