/* dr-test-chart.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "dr-test-chart.h"
#include "dr-test-utils.h"

#define CHART "gha-runner-scale-set-controller"

struct _DrTestTar
{
  struct archive *archive;
  GByteArray *bytes;
};

static la_ssize_t
write_cb (struct archive *a,
          void           *data,
          const void     *buffer,
          size_t          length)
{
  DrTestTar *tar = data;

  g_byte_array_append (tar->bytes, buffer, length);
  return length;
}

DrTestTar *
dr_test_tar_new (void)
{
  DrTestTar *tar = g_new0 (DrTestTar, 1);

  tar->bytes = g_byte_array_new ();
  tar->archive = archive_write_new ();
  g_assert_cmpint (archive_write_set_format_pax_restricted (tar->archive), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_add_filter_gzip (tar->archive), ==, ARCHIVE_OK);
  /* Without this libarchive pads the last block of a callback writer to 10 KiB of zeros. */
  g_assert_cmpint (archive_write_set_bytes_in_last_block (tar->archive, 1), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open (tar->archive, tar, NULL, write_cb, NULL), ==, ARCHIVE_OK);
  return tar;
}

void
dr_test_tar_add (DrTestTar  *tar,
                 const char *member,
                 GBytes     *contents)
{
  struct archive_entry *entry = archive_entry_new ();
  gsize len = 0;
  const void *data = g_bytes_get_data (contents, &len);

  archive_entry_set_pathname (entry, member);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, len);
  archive_entry_set_mtime (entry, 1700000000, 0);
  g_assert_cmpint (archive_write_header (tar->archive, entry), ==, ARCHIVE_OK);
  if (len > 0)
    g_assert_cmpint (archive_write_data (tar->archive, data, len), ==, len);
  archive_entry_free (entry);
}

void
dr_test_tar_add_string (DrTestTar  *tar,
                        const char *member,
                        const char *contents)
{
  g_autoptr(GBytes) bytes = g_bytes_new (contents, strlen (contents));

  dr_test_tar_add (tar, member, bytes);
}

GBytes *
dr_test_tar_finish (DrTestTar *tar)
{
  GBytes *bytes;

  g_assert_cmpint (archive_write_close (tar->archive), ==, ARCHIVE_OK);
  archive_write_free (tar->archive);
  bytes = g_byte_array_free_to_bytes (tar->bytes);
  g_free (tar);
  return bytes;
}

static char *
crd_dir (void)
{
  const char *fixtures = dr_test_fixtures_dir ();

  return fixtures != NULL ? g_build_filename (fixtures, "arc-crds-0.14.2", NULL) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
dr_test_fixture_crd_names (void)
{
  g_autofree char *dir_path = crd_dir ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  if (dir_path == NULL)
    return NULL;
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

GBytes *
dr_test_fixture_crd (const char *name)
{
  g_autofree char *dir_path = crd_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (dir_path == NULL)
    return NULL;
  path = g_build_filename (dir_path, name, NULL);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

GBytes *
dr_test_arc_chart_new (const char *version)
{
  g_auto(GStrv) names = dr_test_fixture_crd_names ();
  g_autofree char *chart_yaml = NULL;
  DrTestTar *tar;

  if (names == NULL)
    return NULL;

  chart_yaml = g_strdup_printf ("apiVersion: v2\n"
                                "name: " CHART "\n"
                                "description: A Helm chart for install actions-runner-controller "
                                "CRD\n"
                                "type: application\n"
                                "version: %s\n"
                                "appVersion: \"%s\"\n"
                                "home: https://github.com/actions/actions-runner-controller\n",
                                version, version);
  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, CHART "/Chart.yaml", chart_yaml);
  dr_test_tar_add_string (tar, CHART "/values.yaml", "replicaCount: 1\n");
  dr_test_tar_add_string (tar, CHART "/templates/deployment.yaml",
                          "apiVersion: apps/v1\nkind: Deployment\n");
  /* In reverse, so a reader that forgets to sort is caught. */
  for (guint i = g_strv_length (names); i-- > 0;)
    {
      g_autofree char *member = g_strconcat (CHART "/crds/", names[i], NULL);
      g_autoptr(GBytes) crd = dr_test_fixture_crd (names[i]);

      dr_test_tar_add (tar, member, crd);
    }
  return dr_test_tar_finish (tar);
}
