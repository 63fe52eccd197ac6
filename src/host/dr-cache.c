/* dr-cache.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dr-cache.h"

char *
dr_cache_root (void)
{
  /* The same folder dr_kind_config_new() shares into the node by default. */
  return g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);
}

char **
dr_cache_dirs_for_runner (const DrRunnerSpec *spec)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *root = dr_cache_root ();
  g_auto(GStrv) scale_sets = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  scale_sets = dr_runner_spec_dup_scale_set_names (spec);
  for (guint s = 0; scale_sets[s] != NULL; s++)
    for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
      {
        const DrMount *mount = g_ptr_array_index (spec->mounts, i);
        g_autofree char *leaf = NULL;
        g_autofree char *dir = NULL;

        /* Must match dr_arc_render(): explicit mounts keep their index, so mount-<i> is
         * numbered among all the mounts, not only the automatic ones. */
        if (mount->source != NULL && *mount->source != '\0')
          continue;
        leaf = g_strdup_printf ("mount-%u", i);
        dir = g_build_filename (root, scale_sets[s], leaf, NULL);
        g_strv_builder_add (builder, dir);
      }
  return g_strv_builder_end (builder);
}

typedef struct
{
  dev_t dev;
  ino_t ino;
} FileId;

static guint
file_id_hash (gconstpointer key)
{
  const FileId *id = key;

  return (guint) (id->ino ^ (id->ino >> 32) ^ id->dev);
}

static gboolean
file_id_equal (gconstpointer a,
               gconstpointer b)
{
  const FileId *x = a;
  const FileId *y = b;

  return x->dev == y->dev && x->ino == y->ino;
}

/* Whether @st is seen for the first time; a file with several hard links is counted once,
 * as du counts it, so a cache that links files (Nix, ccache) is not over-reported. */
static gboolean
first_sighting (GHashTable        *seen,
                const struct stat *st)
{
  FileId *id;

  if (S_ISDIR (st->st_mode) || st->st_nlink <= 1)
    return TRUE;
  id = g_new (FileId, 1);
  id->dev = st->st_dev;
  id->ino = st->st_ino;
  if (g_hash_table_contains (seen, id))
    {
      g_free (id);
      return FALSE;
    }
  g_hash_table_add (seen, id);
  return TRUE;
}

static guint64
allocated_size (const struct stat *st)
{
  /* st_blocks is in 512-byte units whatever the file system's block size (POSIX). */
  return (guint64) st->st_blocks * 512;
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char * const *paths = task_data;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (file_id_hash, file_id_equal, g_free, NULL);
  /* Folders still to read. A queue of paths rather than recursion keeps one directory open
   * at a time, however deep a cache goes (node_modules, Go module caches). */
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  guint64 total = 0;

  for (guint p = 0; paths[p] != NULL; p++)
    {
      struct stat st;

      if (lstat (paths[p], &st) != 0)
        continue;  /* missing: nothing cached there yet */
      if (first_sighting (seen, &st))
        total += allocated_size (&st);
      if (S_ISDIR (st.st_mode))
        g_ptr_array_add (pending, g_strdup (paths[p]));
    }

  while (pending->len > 0)
    {
      g_autofree char *dir_path = g_ptr_array_steal_index (pending, pending->len - 1);
      struct dirent *entry;
      DIR *dir;
      int fd;

      if (g_task_return_error_if_cancelled (task))
        return;

      /* O_NOFOLLOW: the folder may have been swapped for a symlink since it was seen. */
      fd = open (dir_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        continue;
      dir = fdopendir (fd);
      if (dir == NULL)
        {
          close (fd);
          continue;
        }

      while ((entry = readdir (dir)) != NULL)
        {
          struct stat st;

          if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
            continue;
          if (fstatat (fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;  /* gone meanwhile, or not ours to read */
          if (first_sighting (seen, &st))
            total += allocated_size (&st);
          if (S_ISDIR (st.st_mode))
            g_ptr_array_add (pending, g_build_filename (dir_path, entry->d_name, NULL));
        }
      closedir (dir);
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  /* A pointer, not g_task_return_int(): a gssize is 32 bits on some systems, and caches
   * grow past 2 GB. */
  g_task_return_pointer (task, g_memdup2 (&total, sizeof total), g_free);
}

void
dr_cache_measure_async (const char * const  *paths,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (paths != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_cache_measure_async);
  g_task_set_task_data (task, g_strdupv ((char **) paths), (GDestroyNotify) g_strfreev);
  /* Walking a big cache reads many inodes: that is disk work, not for the main loop. */
  g_task_run_in_thread (task, measure_thread);
}

guint64
dr_cache_measure_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_autofree guint64 *bytes = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_cache_measure_async, 0);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  return bytes != NULL ? *bytes : 0;
}
