/* test-cache.c — the automatic cache folders on this computer, and their size
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dr-arc-render.h"
#include "dr-cache.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

static guint64
measure (const char * const  *paths,
         GCancellable        *cancellable,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dr_cache_measure_async (paths, cancellable, dr_test_store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return dr_cache_measure_finish (result, error);
}

static char *
filled (gsize size)
{
  char *text = g_malloc (size + 1);

  /* Not zeros: a file system may store runs of zeros sparsely or compressed. */
  for (gsize i = 0; i < size; i++)
    text[i] = 'a' + (char) (g_random_int () % 26);
  text[size] = '\0';
  return text;
}

static void
write_sized (const char *path,
             gsize       size)
{
  g_autofree char *text = filled (size);

  dr_test_write_file (path, text, 0644);
}

/* What du counts for one entry: the space allocated to it, not following a symlink. */
static guint64
allocated (const char *path)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  return (guint64) st.st_blocks * 512;
}

static void
test_root (void)
{
  g_autofree char *root = dr_cache_root ();
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);

  g_assert_cmpstr (root, ==, expected);
  /* dr_test_init() isolates XDG_CACHE_HOME: nothing here touches the user's caches. */
  g_assert_true (g_str_has_prefix (root, g_get_tmp_dir ()));
}

static void
test_measure (void)
{
  g_autofree char *root = dr_cache_root ();
  g_autofree char *a = g_build_filename (root, "web", "mount-0", NULL);
  g_autofree char *b = g_build_filename (root, "web", "mount-2", NULL);
  g_autofree char *missing = g_build_filename (root, "web", "mount-9", NULL);
  g_autofree char *a_top = g_build_filename (a, "top.bin", NULL);
  g_autofree char *a_sub = g_build_filename (a, "sub", NULL);
  g_autofree char *a_deep = g_build_filename (a, "sub", "deeper", NULL);
  g_autofree char *a_deep_file = g_build_filename (a_deep, "deep.bin", NULL);
  g_autofree char *a_link = g_build_filename (a, "sub", "hard.bin", NULL);
  g_autofree char *b_file = g_build_filename (b, "b.bin", NULL);
  g_autofree char *b_symlink = g_build_filename (b, "big-elsewhere", NULL);
  g_autofree char *big = g_build_filename (g_get_user_data_dir (), "big.bin", NULL);
  const char *paths[] = { a, b, missing, NULL };
  const char *only_missing[] = { missing, NULL };
  g_autoptr(GError) error = NULL;
  guint64 expected;
  guint64 bytes;

  write_sized (a_top, 10000);
  write_sized (a_deep_file, 30000);
  write_sized (b_file, 5000);
  /* A hard link is the same file: counted once, as du does. */
  g_assert_cmpint (link (a_deep_file, a_link), ==, 0);
  /* Following this would add 4 MB that are not the cache's. */
  write_sized (big, 4 * 1024 * 1024);
  g_assert_cmpint (symlink (big, b_symlink), ==, 0);

  expected = allocated (a) + allocated (a_top) + allocated (a_sub) + allocated (a_deep) +
             allocated (a_deep_file) + allocated (b) + allocated (b_file) +
             allocated (b_symlink);
  bytes = measure (paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bytes, ==, expected);
  g_assert_cmpuint (bytes, <, allocated (big));

  bytes = measure (only_missing, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bytes, ==, 0);

  g_assert_cmpint (g_unlink (b_symlink), ==, 0);
  g_assert_cmpint (g_unlink (big), ==, 0);
}

static void
test_unreadable (void)
{
  g_autofree char *root = dr_cache_root ();
  g_autofree char *dir = g_build_filename (root, "web", "mount-0", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked", NULL);
  g_autofree char *hidden = g_build_filename (locked, "hidden.bin", NULL);
  g_autofree char *file = g_build_filename (dir, "ok.bin", NULL);
  const char *paths[] = { dir, NULL };
  g_autoptr(GError) error = NULL;
  guint64 bytes;

  write_sized (file, 8000);
  write_sized (hidden, 8000);
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  if (access (locked, R_OK) == 0)
    {
      g_assert_cmpint (g_chmod (locked, 0755), ==, 0);
      g_test_skip ("running as root: nothing is unreadable");
      return;
    }

  /* The folder that cannot be read counts as itself; the rest is still measured. */
  bytes = measure (paths, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bytes, ==, allocated (dir) + allocated (file) + allocated (locked));
  g_assert_cmpint (g_chmod (locked, 0755), ==, 0);
}

static void
test_cancel (void)
{
  g_autofree char *root = dr_cache_root ();
  g_autofree char *file = g_build_filename (root, "web", "mount-0", "a.bin", NULL);
  g_autofree char *dir = g_path_get_dirname (file);
  const char *paths[] = { dir, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint64 bytes;

  write_sized (file, 1000);
  g_cancellable_cancel (cancellable);
  bytes = measure (paths, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (bytes, ==, 0);
}

/* The folders the renderer gives the scale sets' mount-<i> volumes, as paths on this
 * computer: DR_HOST_CACHE_NODE_DIR is where the node sees dr_cache_root(). */
static GPtrArray *
rendered_cache_dirs (const DrRunnerSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  g_autofree char *root = dr_cache_root ();
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);
  DrArcRenderOptions options;

  dr_arc_render_options_init (&options);
  objects = dr_arc_render_runner (spec, NULL, &options, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (objects, i));
      JsonObject *pod;
      JsonArray *volumes;

      if (!g_str_equal (json_object_get_string_member (object, "kind"), "AutoscalingRunnerSet"))
        continue;
      pod = json_object_get_object_member (json_object_get_object_member (object, "spec"),
                                           "template");
      volumes = json_object_get_array_member (json_object_get_object_member (pod, "spec"),
                                              "volumes");
      for (guint v = 0; v < json_array_get_length (volumes); v++)
        {
          JsonObject *volume = json_array_get_object_element (volumes, v);
          const char *path;

          if (!g_str_has_prefix (json_object_get_string_member (volume, "name"), "mount-"))
            continue;
          path = json_object_get_string_member (json_object_get_object_member (volume,
                                                                               "hostPath"),
                                                "path");
          if (g_str_has_prefix (path, DR_HOST_CACHE_NODE_DIR "/"))
            g_ptr_array_add (dirs, g_strconcat (root, path + strlen (DR_HOST_CACHE_NODE_DIR),
                                                NULL));
        }
    }
  return dirs;
}

static void
test_dirs_for_runner (void)
{
  for (guint instances = 1; instances <= 3; instances += 2)
    {
      g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
      g_autoptr(GPtrArray) rendered = NULL;
      g_auto(GStrv) dirs = NULL;
      g_autofree char *root = dr_cache_root ();
      g_autofree char *first = NULL;

      g_free (spec->name);
      spec->name = g_strdup ("web");
      g_free (spec->repository_url);
      spec->repository_url = g_strdup ("https://github.com/octo/hello");
      spec->mode = DR_CONTAINER_MODE_PRIVILEGED;
      spec->instances = instances;
      if (instances > 1)
        spec->min_runners = spec->max_runners = 1;
      /* The explicit mount sits between the automatic ones, so its index is skipped. */
      g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/var/lib/docker",
                                                   DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
      g_ptr_array_add (spec->mounts, dr_mount_new ("/var/run/docker.sock", "/var/run/docker.sock",
                                                   DR_MOUNT_TYPE_SOCKET));
      g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/home/runner/.cache",
                                                   DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));

      dirs = dr_cache_dirs_for_runner (spec);
      rendered = rendered_cache_dirs (spec);
      g_assert_cmpuint (g_strv_length (dirs), ==, 2 * instances);
      g_assert_cmpuint (rendered->len, ==, 2 * instances);
      for (guint i = 0; i < rendered->len; i++)
        g_assert_cmpstr (dirs[i], ==, g_ptr_array_index (rendered, i));

      first = g_build_filename (root, instances > 1 ? "web-1" : "web", "mount-0", NULL);
      g_assert_cmpstr (dirs[0], ==, first);
      g_assert_true (g_str_has_suffix (dirs[1], "/mount-2"));
    }
}

static void
test_dirs_without_automatic_mounts (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_auto(GStrv) dirs = NULL;

  g_free (spec->name);
  spec->name = g_strdup ("web");
  g_ptr_array_add (spec->mounts, dr_mount_new ("/nix/store", "/nix/store",
                                               DR_MOUNT_TYPE_DIRECTORY));
  dirs = dr_cache_dirs_for_runner (spec);
  g_assert_nonnull (dirs);
  g_assert_cmpuint (g_strv_length (dirs), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/cache/root", test_root);
  g_test_add_func ("/deskrun/cache/measure", test_measure);
  g_test_add_func ("/deskrun/cache/unreadable", test_unreadable);
  g_test_add_func ("/deskrun/cache/cancel", test_cancel);
  g_test_add_func ("/deskrun/cache/dirs-for-runner", test_dirs_for_runner);
  g_test_add_func ("/deskrun/cache/dirs-without-automatic-mounts",
                   test_dirs_without_automatic_mounts);

  return g_test_run ();
}
