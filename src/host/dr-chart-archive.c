/* dr-chart-archive.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dr-chart-archive.h"
#include "dr-error.h"
#include "dr-versions.h"
#include "dr-yaml.h"

#define READ_BLOCK (64 * 1024)
/* Helm pads nothing after the tar end marker, libarchive up to 10 KiB. */
#define DRAIN_MAX  (1024 * 1024)

typedef struct archive DrArchiveReader;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrArchiveReader, archive_read_free)

static void
dr_chart_file_free (DrChartFile *file)
{
  g_free (file->file_name);
  g_clear_pointer (&file->contents, g_bytes_unref);
  g_free (file);
}

void
dr_chart_free (DrChart *chart)
{
  if (chart == NULL)
    return;

  g_free (chart->name);
  g_free (chart->version);
  g_free (chart->app_version);
  g_clear_pointer (&chart->crds, g_ptr_array_unref);
  g_free (chart);
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  const DrChartFile *fa = *(DrChartFile * const *) a;
  const DrChartFile *fb = *(DrChartFile * const *) b;

  return strcmp (fa->file_name, fb->file_name);
}

typedef enum
{
  MEMBER_OTHER,
  MEMBER_CHART_YAML,  /* CHART/Chart.yaml; subcharts sit deeper and are skipped */
  MEMBER_CRD,         /* CHART/crds/NAME.yaml */
} MemberKind;

/* Classifies a member by its name alone. *@top receives the chart folder, *@base the last
 * component; both point into @parts, which the caller frees. */
static MemberKind
classify_member (const char   *pathname,
                 char       ***parts,
                 const char  **top,
                 const char  **base)
{
  guint n;

  while (g_str_has_prefix (pathname, "./"))
    pathname += 2;

  *parts = g_strsplit (pathname, "/", 4);
  n = g_strv_length (*parts);
  if (n < 2 || n > 3 || (*parts)[0][0] == '\0' || (*parts)[0][0] == '.')
    return MEMBER_OTHER;

  *top = (*parts)[0];
  *base = (*parts)[n - 1];

  if (n == 2 && strcmp (*base, "Chart.yaml") == 0)
    return MEMBER_CHART_YAML;

  if (n == 3 && strcmp ((*parts)[1], "crds") == 0 && (*base)[0] != '.'
      && g_str_has_suffix (*base, ".yaml"))
    return MEMBER_CRD;

  return MEMBER_OTHER;
}

static void
set_archive_error (GError         **error,
                   const char      *display_name,
                   struct archive  *a)
{
  const char *detail = archive_error_string (a);

  g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
               /* Translators: the first %s is a file, the second what libarchive found wrong */
               _("“%s” is not a readable chart archive (.tgz): %s."),
               display_name, detail != NULL ? detail : _("unknown error"));
}

/* libarchive reads the inflated tar through this; a failed read keeps GIO's error. */
typedef struct
{
  GInputStream *stream;
  GCancellable *cancellable;
  GError       *error;
  char         *buffer;
} ReadSource;

static void
read_source_clear (ReadSource *source)
{
  g_clear_object (&source->stream);
  g_clear_error (&source->error);
  g_clear_pointer (&source->buffer, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReadSource, read_source_clear)

static la_ssize_t
source_read_cb (struct archive  *a,
                void            *data,
                const void     **buffer)
{
  ReadSource *source = data;
  gssize n;

  g_clear_error (&source->error);
  n = g_input_stream_read (source->stream, source->buffer, READ_BLOCK, source->cancellable,
                           &source->error);
  if (n < 0)
    {
      archive_set_error (a, EIO, "%s", source->error->message);
      return -1;
    }

  *buffer = source->buffer;
  return n;
}

/* A cancelled read stays G_IO_ERROR_CANCELLED; anything else means the file is damaged. */
static void
take_read_error (GError         **error,
                 ReadSource      *source,
                 const char      *display_name,
                 struct archive  *a)
{
  if (g_error_matches (source->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&source->error));
  else if (g_error_matches (source->error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                 _("“%s” is not a readable chart archive (.tgz): %s."),
                 display_name, _("the file ends too early, perhaps an interrupted download"));
  else
    set_archive_error (error, display_name, a);
}

/* libarchive stops at the tar end marker; inflating the rest makes zlib check the trailer.
 * The padding after the marker is small, so a long tail is refused rather than inflated. */
static gboolean
drain (struct archive  *a,
       ReadSource      *source,
       const char      *display_name,
       GError         **error)
{
  gsize tail = 0;
  gssize n;

  while ((n = g_input_stream_read (source->stream, source->buffer, READ_BLOCK,
                                   source->cancellable, &source->error)) > 0)
    {
      tail += n;
      if (tail > DRAIN_MAX)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("“%s” is not a readable chart archive (.tgz): %s."),
                       display_name, _("data after the end of the archive"));
          return FALSE;
        }
    }

  if (n < 0)
    {
      archive_set_error (a, EIO, "%s", source->error->message);
      take_read_error (error, source, display_name, a);
      return FALSE;
    }

  return TRUE;
}

static void
set_too_large_error (GError     **error,
                     const char  *display_name,
                     const char  *member)
{
  g_autofree char *member_utf8 = g_utf8_make_valid (member, -1);
  g_autofree char *member_max = g_format_size_full (DR_CHART_MEMBER_MAX, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *total_max = g_format_size_full (DR_CHART_TOTAL_MAX, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
               /* Translators: %s are a file, a member of it, and two sizes like "16.0 MiB" */
               _("“%s” is not a usable chart: “%s” is too large (the limits are %s for one file "
                 "and %s in all)."),
               display_name, member_utf8, member_max, total_max);
}

static GBytes *
read_member (struct archive  *a,
             ReadSource      *source,
             const char      *display_name,
             const char      *member,
             gsize           *total,
             GError         **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  g_autofree char *block = g_malloc (READ_BLOCK);

  for (;;)
    {
      la_ssize_t n = archive_read_data (a, block, READ_BLOCK);

      if (n < 0)
        {
          take_read_error (error, source, display_name, a);
          return NULL;
        }
      if (n == 0)
        break;

      if (buf->len + (gsize) n > DR_CHART_MEMBER_MAX || *total + (gsize) n > DR_CHART_TOTAL_MAX)
        {
          set_too_large_error (error, display_name, member);
          return NULL;
        }

      g_byte_array_append (buf, (const guint8 *) block, n);
      *total += n;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

/* Chart.yaml's scalars as text, as Helm reads them. A SemVer version is always a string; an
 * unquoted numeric appVersion arrives as a number and is printed back (1.10 becomes 1.1), which
 * only affects what is shown. Anything else is left NULL. */
static char *
dup_scalar_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_dup_string (node);
  return json_to_string (node, FALSE);
}

static gboolean
parse_chart_yaml (GBytes      *bytes,
                  DrChart     *chart,
                  const char  *display_name,
                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonObject *object;

  root = dr_yaml_parse (data, len, "Chart.yaml", &local_error);
  if (root == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   /* Translators: %s is a file, then the YAML parser's complaint */
                   _("“%s” is not a usable chart: its Chart.yaml is not valid YAML (%s)."),
                   display_name, local_error->message);
      return FALSE;
    }

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      chart->name = dup_scalar_member (object, "name");
      chart->version = dup_scalar_member (object, "version");
      chart->app_version = dup_scalar_member (object, "appVersion");
    }

  if (chart->name == NULL || chart->name[0] == '\0'
      || chart->version == NULL || chart->version[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is not a usable chart: its Chart.yaml lacks a name or a version."),
                   display_name);
      return FALSE;
    }

  return TRUE;
}

DrChart *
dr_chart_archive_read (const char    *path,
                       GCancellable  *cancellable,
                       GError       **error)
{
  /* Declared before the reader, so the reader goes first. */
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_auto(ReadSource) source = { 0, };
  g_autoptr(DrArchiveReader) a = NULL;
  g_autoptr(DrChart) chart = NULL;
  g_autoptr(GBytes) chart_yaml = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *top_dir = NULL;
  gsize total = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = g_filename_display_name (path);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: %s is a file, then the system's reason */
                   _("Could not open the chart “%s”: %s."),
                   display_name, g_strerror (saved_errno));
      return NULL;
    }

  /* zlib (through GIO) inflates, because it checks the gzip trailer's CRC-32 and length, which
   * libarchive's gzip filter skips: a damaged download must fail, not yield altered CRDs. */
  raw = g_unix_input_stream_new (fd, TRUE);
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  source.stream = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  source.cancellable = cancellable;
  source.buffer = g_malloc (READ_BLOCK);

  a = archive_read_new ();
  archive_read_support_format_tar (a);
  if (archive_read_open (a, &source, NULL, source_read_cb, NULL) != ARCHIVE_OK)
    {
      take_read_error (&local_error, &source, display_name, a);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  chart = g_new0 (DrChart, 1);
  chart->crds = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_chart_file_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (;;)
    {
      struct archive_entry *entry;
      g_auto(GStrv) parts = NULL;
      const char *pathname;
      const char *top = NULL;
      const char *base = NULL;
      MemberKind kind;
      GBytes *contents;
      int r;

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;

      r = archive_read_next_header (a, &entry);
      if (r == ARCHIVE_EOF)
        break;
      if (r < ARCHIVE_WARN)
        {
          take_read_error (&local_error, &source, display_name, a);
          break;
        }

      pathname = archive_entry_pathname (entry);
      /* Links (a hard link is a regular entry without data) are skipped like other members. */
      if (pathname == NULL || archive_entry_filetype (entry) != AE_IFREG
          || archive_entry_hardlink (entry) != NULL)
        continue;
      kind = classify_member (pathname, &parts, &top, &base);
      if (kind == MEMBER_OTHER)
        continue;

      if (top_dir == NULL)
        top_dir = g_strdup (top);
      if (strcmp (top, top_dir) != 0 || !g_utf8_validate (pathname, -1, NULL)
          || g_hash_table_contains (seen, pathname))
        {
          g_autofree char *member_utf8 = g_utf8_make_valid (pathname, -1);

          g_set_error (&local_error, DR_ERROR, DR_ERROR_INVALID,
                       /* Translators: %s are a file and a member of it */
                       _("“%s” is not a usable chart: the member “%s” is unexpected (a second "
                         "chart folder, a repeated name or a name that is not UTF-8)."),
                       display_name, member_utf8);
          break;
        }
      g_hash_table_add (seen, g_strdup (pathname));

      if (archive_entry_size_is_set (entry) && archive_entry_size (entry) > DR_CHART_MEMBER_MAX)
        {
          set_too_large_error (&local_error, display_name, pathname);
          break;
        }

      contents = read_member (a, &source, display_name, pathname, &total, &local_error);
      if (contents == NULL)
        break;

      if (kind == MEMBER_CHART_YAML)
        chart_yaml = contents;
      else
        {
          DrChartFile *file = g_new0 (DrChartFile, 1);

          file->file_name = g_strdup (base);
          file->contents = contents;
          g_ptr_array_add (chart->crds, file);
        }
    }

  if (local_error == NULL)
    drain (a, &source, display_name, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (chart_yaml == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is not a Helm chart: it has no Chart.yaml."), display_name);
      return NULL;
    }

  if (!parse_chart_yaml (chart_yaml, chart, display_name, error))
    return NULL;

  g_ptr_array_sort (chart->crds, compare_files);

  return g_steal_pointer (&chart);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  DrChart *chart = dr_chart_archive_read (path, cancellable, &error);

  if (chart == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, chart, (GDestroyNotify) dr_chart_free);
}

void
dr_chart_archive_read_async (const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_chart_archive_read_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, read_thread);
}

DrChart *
dr_chart_archive_read_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_chart_archive_read_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
dr_chart_check (const DrChart  *chart,
                const char     *source,
                char          **warning,
                GError        **error)
{
  g_return_val_if_fail (chart != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (warning != NULL)
    *warning = NULL;

  if (g_strcmp0 (chart->name, DR_ARC_CONTROLLER_CHART) != 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   /* Translators: %s are a file and two chart names */
                   _("“%s” holds the chart “%s”, not ARC’s controller chart “%s”."),
                   source, chart->name, DR_ARC_CONTROLLER_CHART);
      return FALSE;
    }

  if (chart->crds == NULL || chart->crds->len == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” holds no CustomResourceDefinitions in %s/crds/."),
                   source, DR_ARC_CONTROLLER_CHART);
      return FALSE;
    }

  if (g_strcmp0 (chart->version, DR_ARC_VERSION) != 0 && warning != NULL)
    *warning = g_strdup_printf (
      /* Translators: %s are a file and two version numbers like 0.14.2 */
      _("“%s” is version %s of the chart, but deskrun installs controller %s; the CRDs may not "
        "match what that controller expects."),
      source, chart->version, DR_ARC_VERSION);

  return TRUE;
}
