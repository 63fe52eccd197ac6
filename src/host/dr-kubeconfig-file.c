/* dr-kubeconfig-file.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dr-kubeconfig-file.h"

/* Kubeconfigs, certificates and tokens are kilobytes; a kubeconfig of many clusters with
 * inline certificates stays far below this. */
#define KUBECONFIG_FILE_MAX (16 * 1024 * 1024)

static void
set_errno_error (GError     **error,
                 int          saved_errno)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
}

GBytes *
dr_kubeconfig_read_file (const char  *path,
                         gpointer     user_data,
                         GError     **error)
{
  g_autoptr(GByteArray) buffer = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* O_NONBLOCK: a FIFO at the path must not wait for a writer for ever. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      set_errno_error (error, errno);
      close (fd);
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, G_FILE_ERROR,
                           S_ISDIR (st.st_mode) ? G_FILE_ERROR_ISDIR : G_FILE_ERROR_INVAL,
                           S_ISDIR (st.st_mode) ? _("it is a directory")
                                                : _("it is not a regular file"));
      close (fd);
      return NULL;
    }

  buffer = g_byte_array_sized_new (MIN (st.st_size, KUBECONFIG_FILE_MAX) + 1);
  for (;;)
    {
      guint8 chunk[8192];
      gssize n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      if (buffer->len + n > KUBECONFIG_FILE_MAX)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       _("it is larger than %d MB"), KUBECONFIG_FILE_MAX / (1024 * 1024));
          close (fd);
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  close (fd);

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

DrKubeconfig *
dr_kubeconfig_load_files (const char * const  *paths,
                          GError             **error)
{
  return dr_kubeconfig_parse_files (paths, dr_kubeconfig_read_file, NULL, error);
}

DrKubeconfig *
dr_kubeconfig_load_default (GError **error)
{
  const char *env = g_getenv ("KUBECONFIG");
  g_autofree char *default_path = NULL;
  const char *default_paths[2] = { NULL, NULL };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (env != NULL && *env != '\0')
    {
      g_auto(GStrv) paths = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      return dr_kubeconfig_load_files ((const char * const *) paths, error);
    }

  default_path = g_build_filename (g_get_home_dir (), ".kube", "config", NULL);
  default_paths[0] = default_path;
  return dr_kubeconfig_load_files (default_paths, error);
}

DrKubeconfig *
dr_kubeconfig_load_data (const char  *data,
                         gssize       length,
                         const char  *origin,
                         GError     **error)
{
  g_autofree char *cwd = g_get_current_dir ();

  return dr_kubeconfig_parse_data (data, length, origin, cwd, dr_kubeconfig_read_file, NULL,
                                   error);
}
