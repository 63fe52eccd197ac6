/* dr-oci-chart.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dr-error.h"
#include "dr-json.h"
#include "dr-oci-chart.h"
#include "dr-versions.h"

#define MEDIA_TYPE_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MEDIA_TYPE_HELM_CONFIG "application/vnd.cncf.helm.config.v1+json"
#define MEDIA_TYPE_HELM_CHART  "application/vnd.cncf.helm.chart.content.v1.tar+gzip"

#define CACHE_FILE_NAME DR_ARC_CONTROLLER_CHART "-" DR_ARC_VERSION ".tgz"
#define DIGEST_SUFFIX   ".sha256"

/* The 0.14.2 chart is about 200 KiB; a manifest claiming more than this is not ARC's chart. */
#define CHART_SIZE_MAX     (64 * 1024 * 1024)
#define REPLY_SIZE_MAX     (1024 * 1024)       /* token and manifest replies */
#define READ_BLOCK         (64 * 1024)
#define REDIRECTS_MAX      5
#define HTTP_TIMEOUT_S     60
#define HTTP_TOO_MANY_REQUESTS 429  /* not among libsoup 3.2's names */

/* OCI distribution spec: path components of a repository name. */
#define REPOSITORY_PATTERN \
  "^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$"

struct _DrOciChart
{
  GObject      parent_instance;

  SoupSession *session;
  char        *registry_url;
  char        *repository;
  char        *local_file;
};

G_DEFINE_FINAL_TYPE (DrOciChart, dr_oci_chart, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTRY_URL,
  PROP_REPOSITORY,
  PROP_LOCAL_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One pull, from the cache check to the rename into the cache. */
typedef struct
{
  DrChartProgressFunc  progress;
  gpointer             progress_data;

  char                *base_url;       /* scheme://host[:port][/prefix], no trailing slash */
  char                *registry;       /* host[:port]: the token service, and in messages */
  char                *repository;
  char                *cache_dir;
  char                *cache_path;
  char                *digest_path;    /* cache_path + DIGEST_SUFFIX */
  char                *cached_digest;  /* what the cached file hashes to, when there is one */

  char                *token;          /* never logged, never in a message */
  gboolean             token_refetched;
  char                *digest;         /* the chart layer's, "sha256:HEX" */
  goffset              size;           /* the chart layer's, from the manifest */

  SoupMessage         *msg;            /* the request in flight */
  gboolean             redirected;     /* msg is a redirect target: no token, no refetch */
  guint                redirects;

  GInputStream        *body;
  GOutputStream       *out;
  char                *tmp_path;       /* set while a temporary file exists */
  GChecksum           *checksum;
  GBytes              *block;          /* being written; write_all_async does not copy */
  goffset              received;
  goffset              total;
} Pull;

/* Removes the partial download; it never lingers after a failure or a cancel. */
static void
pull_discard_download (Pull *pull)
{
  g_clear_object (&pull->body);
  g_clear_pointer (&pull->block, g_bytes_unref);
  if (pull->out != NULL)
    g_output_stream_close (pull->out, NULL, NULL);
  g_clear_object (&pull->out);
  if (pull->tmp_path != NULL)
    g_unlink (pull->tmp_path);
  g_clear_pointer (&pull->tmp_path, g_free);
}

static void
pull_free (Pull *pull)
{
  pull_discard_download (pull);
  g_free (pull->base_url);
  g_free (pull->registry);
  g_free (pull->repository);
  g_free (pull->cache_dir);
  g_free (pull->cache_path);
  g_free (pull->digest_path);
  g_free (pull->cached_digest);
  if (pull->token != NULL)
    memset (pull->token, 0, strlen (pull->token));
  g_free (pull->token);
  g_free (pull->digest);
  g_clear_object (&pull->msg);
  g_clear_pointer (&pull->checksum, g_checksum_free);
  g_free (pull);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pull, pull_free)

static void
pull_return_error (GTask  *task,
                   GError *error)
{
  pull_discard_download (g_task_get_task_data (task));
  g_task_return_error (task, error);
}

/* What a person can do when the registry cannot be reached, or will not serve the chart. */
static const char *
network_advice (void)
{
  return _("Check the network connection, or download the chart on a machine with internet "
           "access and use it with --chart FILE.");
}

static const char *
offline_advice (void)
{
  return _("A chart downloaded on another machine can be used with --chart FILE.");
}

/* A transport failure keeps its G_IO_ERROR (or resolver, TLS) code; its message gains the
 * registry and what to do. A cancel passes through unchanged. */
static void
pull_return_transport_error (GTask  *task,
                             GError *error)
{
  Pull *pull = g_task_get_task_data (task);
  GError *wrapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pull_return_error (task, error);
      return;
    }

  wrapped = g_error_new (error->domain, error->code,
                         /* Translators: %s are the registry (ghcr.io), the network's complaint
                          * and a sentence of advice */
                         _("Could not download the ARC chart from %s: %s. %s"),
                         pull->registry, error->message, network_advice ());
  g_error_free (error);
  pull_return_error (task, wrapped);
}

/* @what names the request: "token", "manifest" or "chart". */
static void
pull_return_status_error (GTask       *task,
                          SoupMessage *msg,
                          const char  *what)
{
  Pull *pull = g_task_get_task_data (task);
  guint status = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);
  const char *hint;

  if (reason == NULL || reason[0] == '\0')
    reason = soup_status_get_phrase (status);
  if (reason == NULL)
    reason = "";

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
    case SOUP_STATUS_FORBIDDEN:
      hint = _("The registry refused anonymous access; a mirror must serve the chart publicly.");
      break;
    case SOUP_STATUS_NOT_FOUND:
      hint = _("The registry does not have this chart version.");
      break;
    case HTTP_TOO_MANY_REQUESTS:
      hint = _("The registry limits requests; try again in a few minutes.");
      break;
    default:
      hint = status >= 500 ? _("The registry has a problem; try again later.")
                           : _("The registry or a proxy in between does not speak the OCI "
                               "distribution protocol as expected.");
      break;
    }

  pull_return_error (task, g_error_new (DR_ERROR, dr_error_from_http_status (status),
                                        /* Translators: %s are the registry (ghcr.io), the
                                         * request (token, manifest, chart), the HTTP status
                                         * (%u %s: "404 Not Found") and two sentences */
                                        _("Could not download the ARC chart from %s: the %s "
                                          "request was answered “%u %s”. %s %s"),
                                        pull->registry, what, status, reason, hint,
                                        offline_advice ()));
}

static void
pull_return_bad_reply (GTask      *task,
                       const char *problem)
{
  Pull *pull = g_task_get_task_data (task);

  pull_return_error (task, g_error_new (DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                        /* Translators: %s are the registry and a problem */
                                        _("Could not download the ARC chart from %s: %s"),
                                        pull->registry, problem));
}

static gboolean
is_sha256_digest (const char *digest)
{
  if (digest == NULL || !g_str_has_prefix (digest, "sha256:") || strlen (digest) != 7 + 64)
    return FALSE;
  for (const char *p = digest + 7; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/* The cache: what the cached file hashes to and what was recorded beside it. */

typedef struct
{
  char *recorded;  /* from the .sha256 file, when it holds a digest */
  char *actual;    /* of the .tgz, when there is one */
} CacheState;

static void
cache_state_free (CacheState *state)
{
  g_free (state->recorded);
  g_free (state->actual);
  g_free (state);
}

/* NULL without an error when the file does not exist. */
static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (READ_BLOCK);
  g_autoptr(GError) local_error = NULL;
  gssize n;

  in = g_file_read (file, cancellable, &local_error);
  if (in == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, READ_BLOCK, cancellable,
                                   error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;

  return g_strconcat ("sha256:", g_checksum_get_string (checksum), NULL);
}

static void
check_cache_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Pull *pull = task_data;
  CacheState *state = g_new0 (CacheState, 1);
  g_autofree char *recorded = NULL;
  GError *error = NULL;

  if (g_file_get_contents (pull->digest_path, &recorded, NULL, NULL))
    {
      g_strstrip (recorded);
      if (is_sha256_digest (recorded))
        state->recorded = g_steal_pointer (&recorded);
    }

  state->actual = hash_file (pull->cache_path, cancellable, &error);
  if (error != NULL)
    {
      /* An unreadable cache is downloaded again, like a corrupt one. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          cache_state_free (state);
          g_task_return_error (task, error);
          return;
        }
      g_debug ("Cached chart %s is unreadable: %s", pull->cache_path, error->message);
      g_clear_error (&error);
    }

  g_task_return_pointer (task, state, (GDestroyNotify) cache_state_free);
}

/* Records @pull->digest beside the cached file; the digest file is written atomically. */
static gboolean
record_digest (Pull    *pull,
               GError **error)
{
  g_autofree char *contents = g_strconcat (pull->digest, "\n", NULL);

  return g_file_set_contents_full (pull->digest_path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Requests */

static void request_token    (GTask *task);
static void request_manifest (GTask *task);
static void request_blob     (GTask *task);

static SoupMessage *
new_registry_message (Pull       *pull,
                      const char *url)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, url);

  if (pull->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", pull->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
      memset (value, 0, strlen (value));
    }
  return msg;
}

/* The reply body of @msg, or NULL after returning an error on @task. */
static GBytes *
finish_read (GTask        *task,
             GAsyncResult *result)
{
  DrOciChart *self = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *body = soup_session_send_and_read_finish (self->session, result, &error);

  if (body == NULL)
    pull_return_transport_error (task, error);
  return body;
}

/* After a 401 the token is fetched again, once per pull (FACTS.md §9: its lifetime is not
 * published), and the request repeated. */
static gboolean
retry_with_new_token (GTask       *task,
                      SoupMessage *msg)
{
  Pull *pull = g_task_get_task_data (task);

  if (soup_message_get_status (msg) != SOUP_STATUS_UNAUTHORIZED || pull->token_refetched)
    return FALSE;

  g_debug ("%s answered 401; fetching a new token", pull->registry);
  pull->token_refetched = TRUE;
  request_token (task);
  return TRUE;
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GBytes) body = finish_read (task, result);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *token = NULL;

  if (body == NULL)
    return;
  if (soup_message_get_status (pull->msg) != SOUP_STATUS_OK)
    {
      pull_return_status_error (task, pull->msg, _("token"));
      return;
    }

  if (g_bytes_get_size (body) <= REPLY_SIZE_MAX
      && (root = dr_json_parse_object_bytes (body, NULL)) != NULL)
    {
      object = json_node_get_object (root);
      /* Docker's token spec allows either name. */
      token = dr_json_member_string (object, "token");
      if (token == NULL || token[0] == '\0')
        token = dr_json_member_string (object, "access_token");
    }

  if (token == NULL || token[0] == '\0' || strpbrk (token, "\r\n") != NULL)
    {
      pull_return_bad_reply (task, _("its token service sent no usable token."));
      return;
    }

  if (pull->token != NULL)
    memset (pull->token, 0, strlen (pull->token));
  g_free (pull->token);
  pull->token = g_strdup (token);

  if (pull->digest == NULL)
    request_manifest (task);
  else
    request_blob (task);
}

static void
request_token (GTask *task)
{
  DrOciChart *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autofree char *scope = g_strdup_printf ("repository:%s:pull", pull->repository);
  g_autofree char *service_q = g_uri_escape_string (pull->registry, NULL, FALSE);
  g_autofree char *scope_q = g_uri_escape_string (scope, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/token?service=%s&scope=%s",
                                          pull->base_url, service_q, scope_q);

  g_clear_object (&pull->msg);
  /* Anonymous: the token request itself carries no credentials. */
  pull->msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_and_read_async (self->session, pull->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), token_cb,
                                    g_object_ref (task));
}

/* Finds the chart layer of an OCI manifest, checking the media types on the way. */
static gboolean
parse_manifest (Pull        *pull,
                SoupMessage *msg,
                GBytes      *body,
                char       **problem)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest;
  JsonObject *config;
  JsonArray *layers;
  const char *media_type;

  if (g_bytes_get_size (body) > REPLY_SIZE_MAX
      || (root = dr_json_parse_object_bytes (body, NULL)) == NULL)
    {
      *problem = g_strdup (_("its manifest is not JSON."));
      return FALSE;
    }
  manifest = json_node_get_object (root);

  /* The manifest names its own type; older registries only say it in Content-Type. */
  media_type = dr_json_member_string (manifest, "mediaType");
  if (media_type == NULL)
    media_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  if (dr_json_member_int (manifest, "schemaVersion", 0) != 2
      || g_strcmp0 (media_type, MEDIA_TYPE_MANIFEST) != 0)
    {
      *problem = g_strdup_printf (_("its manifest is of type “%s”, not an OCI image manifest."),
                                  media_type != NULL ? media_type : "");
      return FALSE;
    }

  config = dr_json_member_object (manifest, "config");
  if (g_strcmp0 (dr_json_member_string (config, "mediaType"), MEDIA_TYPE_HELM_CONFIG) != 0)
    {
      /* Translators: %s is a media type */
      *problem = g_strdup_printf (_("the artifact is not a Helm chart (its config is not of "
                                    "type %s)."), MEDIA_TYPE_HELM_CONFIG);
      return FALSE;
    }

  layers = json_object_has_member (manifest, "layers")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (manifest, "layers"))
           ? json_object_get_array_member (manifest, "layers") : NULL;
  for (guint i = 0; layers != NULL && i < json_array_get_length (layers); i++)
    {
      JsonNode *node = json_array_get_element (layers, i);
      JsonObject *layer;
      const char *digest;
      gint64 size;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      layer = json_node_get_object (node);
      if (g_strcmp0 (dr_json_member_string (layer, "mediaType"), MEDIA_TYPE_HELM_CHART) != 0)
        continue;

      digest = dr_json_member_string (layer, "digest");
      size = dr_json_member_int (layer, "size", -1);
      if (!is_sha256_digest (digest))
        {
          *problem = g_strdup (_("the chart layer of its manifest has no sha256 digest."));
          return FALSE;
        }
      if (size <= 0 || size > CHART_SIZE_MAX)
        {
          *problem = g_strdup_printf (_("the manifest gives the chart an implausible size "
                                        "(%" G_GINT64_FORMAT " bytes)."), size);
          return FALSE;
        }

      pull->digest = g_strdup (digest);
      pull->size = size;
      return TRUE;
    }

  /* Translators: %s is a media type */
  *problem = g_strdup_printf (_("its manifest has no Helm chart layer (%s)."),
                              MEDIA_TYPE_HELM_CHART);
  return FALSE;
}

static void
pull_return_cached (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);

  g_task_return_pointer (task, g_strdup (pull->cache_path), g_free);
}

static void
manifest_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GBytes) body = finish_read (task, result);
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;

  if (body == NULL || retry_with_new_token (task, pull->msg))
    return;
  if (soup_message_get_status (pull->msg) != SOUP_STATUS_OK)
    {
      pull_return_status_error (task, pull->msg, _("manifest"));
      return;
    }

  if (!parse_manifest (pull, pull->msg, body, &problem))
    {
      pull_return_bad_reply (task, problem);
      return;
    }

  /* The cached file is the published chart even though its record was lost. */
  if (g_strcmp0 (pull->cached_digest, pull->digest) == 0)
    {
      if (!record_digest (pull, &error))
        g_debug ("Could not record the chart digest: %s", error->message);
      pull_return_cached (task);
      return;
    }

  request_blob (task);
}

static void
request_manifest (GTask *task)
{
  DrOciChart *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autofree char *url = g_strdup_printf ("%s/v2/%s/manifests/%s",
                                          pull->base_url, pull->repository, DR_ARC_VERSION);

  g_clear_object (&pull->msg);
  pull->msg = new_registry_message (pull, url);
  soup_message_headers_replace (soup_message_get_request_headers (pull->msg), "Accept",
                                MEDIA_TYPE_MANIFEST);
  /* It carries the token, which must not follow a redirect anywhere; registries answer
   * manifests themselves, so a redirect is reported like any other unexpected status. */
  soup_message_add_flags (pull->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (self->session, pull->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), manifest_cb,
                                    g_object_ref (task));
}

/* The download */

static void read_next_block (GTask *task);

static void
pull_report_progress (Pull *pull)
{
  if (pull->progress != NULL)
    pull->progress (pull->received, pull->total, pull->progress_data);
}

static void
pull_return_write_error (GTask  *task,
                         GError *error)
{
  Pull *pull = g_task_get_task_data (task);
  GError *wrapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pull_return_error (task, error);
      return;
    }

  wrapped = g_error_new (error->domain, error->code,
                         /* Translators: %s are a folder and the reason */
                         _("Could not store the ARC chart in %s: %s"),
                         pull->cache_dir, error->message);
  g_error_free (error);
  pull_return_error (task, wrapped);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      pull_return_write_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&pull->out);

  actual = g_strconcat ("sha256:", g_checksum_get_string (pull->checksum), NULL);
  if (pull->received != pull->size || strcmp (actual, pull->digest) != 0)
    {
      g_autofree char *problem =
        g_strdup_printf (_("the download does not match the manifest (expected %s, %"
                           G_GINT64_FORMAT " bytes; received %s, %" G_GINT64_FORMAT " bytes) "
                           "and was discarded. Try again; if this persists, something between "
                           "here and the registry alters the file."),
                         pull->digest, (gint64) pull->size, actual, (gint64) pull->received);

      pull_return_bad_reply (task, problem);
      return;
    }

  /* The record first: a file without a matching record is only downloaded again. */
  if (!record_digest (pull, &error))
    {
      pull_return_write_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_rename (pull->tmp_path, pull->cache_path) != 0)
    {
      int saved_errno = errno;

      pull_return_write_error (task, g_error_new_literal (G_IO_ERROR,
                                                          g_io_error_from_errno (saved_errno),
                                                          g_strerror (saved_errno)));
      return;
    }
  g_clear_pointer (&pull->tmp_path, g_free);

  pull_return_cached (task);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      pull_return_write_error (task, g_steal_pointer (&error));
      return;
    }

  pull_report_progress (pull);
  read_next_block (task);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) block = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gsize len;

  if (block == NULL)
    {
      pull_return_transport_error (task, g_steal_pointer (&error));
      return;
    }

  len = g_bytes_get_size (block);
  if (len == 0)
    {
      g_output_stream_close_async (pull->out, G_PRIORITY_DEFAULT, cancellable, closed_cb,
                                   g_steal_pointer (&task));
      return;
    }

  /* Never store more than the manifest promised. */
  if (pull->received + (goffset) len > pull->size)
    {
      g_autofree char *problem =
        g_strdup_printf (_("the download is larger than the %" G_GINT64_FORMAT " bytes the "
                           "manifest gives for %s and was discarded."),
                         (gint64) pull->size, pull->digest);

      pull_return_bad_reply (task, problem);
      return;
    }

  pull->received += len;
  g_checksum_update (pull->checksum, g_bytes_get_data (block, NULL), len);
  g_clear_pointer (&pull->block, g_bytes_unref);
  pull->block = g_steal_pointer (&block);
  g_output_stream_write_all_async (pull->out, g_bytes_get_data (pull->block, NULL), len,
                                   G_PRIORITY_DEFAULT, cancellable, written_cb,
                                   g_steal_pointer (&task));
}

static void
read_next_block (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (pull->body, READ_BLOCK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, g_object_ref (task));
}

static gboolean
start_download (GTask         *task,
                GInputStream  *body,
                GError       **error)
{
  Pull *pull = g_task_get_task_data (task);
  g_autofree char *template = NULL;
  goffset length;
  int fd;

  template = g_build_filename (pull->cache_dir, "." CACHE_FILE_NAME "-XXXXXX", NULL);
  if (g_mkdir_with_parents (pull->cache_dir, 0700) != 0
      || (fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0600)) < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  pull->tmp_path = g_steal_pointer (&template);
  pull->out = g_unix_output_stream_new (fd, TRUE);
  pull->body = g_object_ref (body);
  pull->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  pull->received = 0;
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (pull->msg));
  pull->total = length > 0 ? length : pull->size;

  pull_report_progress (pull);
  read_next_block (task);
  return TRUE;
}

static void send_blob_message (GTask *task);

static void
blob_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrOciChart *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GInputStream) body = NULL;
  GError *error = NULL;
  guint status;

  body = soup_session_send_finish (self->session, result, &error);
  if (body == NULL)
    {
      pull_return_transport_error (task, error);
      return;
    }

  status = soup_message_get_status (pull->msg);
  if (!pull->redirected && retry_with_new_token (task, pull->msg))
    return;

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (
        soup_message_get_response_headers (pull->msg), "Location");
      g_autoptr(GUri) target = NULL;

      if (location != NULL)
        target = g_uri_parse_relative (soup_message_get_uri (pull->msg), location,
                                       SOUP_HTTP_URI_FLAGS, NULL);
      if (target == NULL || pull->redirects >= REDIRECTS_MAX
          || (g_strcmp0 (g_uri_get_scheme (target), "https") != 0
              && g_strcmp0 (g_uri_get_scheme (target), "http") != 0))
        {
          pull_return_bad_reply (task, _("the registry sent the chart download to an unusable "
                                         "address."));
          return;
        }

      /* Followed by hand, and without the token: the bearer token is for the registry alone,
       * never for the storage host that serves the signed URL. */
      pull->redirects++;
      pull->redirected = TRUE;
      g_clear_object (&pull->msg);
      pull->msg = soup_message_new_from_uri (SOUP_METHOD_GET, target);
      send_blob_message (task);
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      pull_return_status_error (task, pull->msg, _("chart"));
      return;
    }

  if (!start_download (task, body, &error))
    pull_return_write_error (task, error);
}

static void
send_blob_message (GTask *task)
{
  DrOciChart *self = g_task_get_source_object (task);
  Pull *pull = g_task_get_task_data (task);

  soup_message_add_flags (pull->msg, SOUP_MESSAGE_NO_REDIRECT);
  /* The digest covers the bytes as stored; a decoded Content-Encoding would not match. */
  soup_message_disable_feature (pull->msg, SOUP_TYPE_CONTENT_DECODER);
  soup_session_send_async (self->session, pull->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), blob_cb, g_object_ref (task));
}

static void
request_blob (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);
  g_autofree char *url = g_strdup_printf ("%s/v2/%s/blobs/%s",
                                          pull->base_url, pull->repository, pull->digest);

  g_clear_object (&pull->msg);
  pull->msg = new_registry_message (pull, url);
  pull->redirected = FALSE;
  pull->redirects = 0;
  send_blob_message (task);
}

static void
cache_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  CacheState *state = g_task_propagate_pointer (G_TASK (result), &error);

  if (state == NULL)
    {
      pull_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (state->recorded != NULL && g_strcmp0 (state->recorded, state->actual) == 0)
    {
      cache_state_free (state);
      pull_return_cached (task);
      return;
    }

  if (state->actual != NULL)
    g_debug ("Cached chart %s does not match its record; checking the registry",
             pull->cache_path);
  pull->cached_digest = g_steal_pointer (&state->actual);
  cache_state_free (state);
  request_token (task);
}

/* Checks the registry URL and repository; fills in the parts of @pull derived from them. */
static gboolean
pull_configure (Pull        *pull,
                DrOciChart  *self,
                GError     **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  url = strstr (self->registry_url, "://") != NULL
        ? g_strdup (self->registry_url)
        : g_strconcat ("https://", self->registry_url, NULL);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  /* Never repeat a password back. */
  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                           _("The chart registry address contains credentials; deskrun pulls "
                             "the chart anonymously, so give the address without them."));
      return FALSE;
    }
  if (uri == NULL || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   /* Translators: %s is what the user gave as the registry */
                   _("The chart registry “%s” is not a usable address; give one such as "
                     "https://ghcr.io or https://mirror.example:5000."),
                   self->registry_url);
      return FALSE;
    }

  if (!g_regex_match_simple (REPOSITORY_PATTERN, self->repository, 0, 0))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The chart repository “%s” is not a valid OCI repository name."),
                   self->repository);
      return FALSE;
    }

  pull->base_url = g_steal_pointer (&url);
  pull->registry = g_uri_get_port (uri) > 0
                   ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                   : g_strdup (g_uri_get_host (uri));
  pull->repository = g_strdup (self->repository);
  pull->cache_path = dr_oci_chart_dup_cache_path (self);
  pull->cache_dir = g_path_get_dirname (pull->cache_path);
  pull->digest_path = g_strconcat (pull->cache_path, DIGEST_SUFFIX, NULL);
  return TRUE;
}

void
dr_oci_chart_pull_async (DrOciChart          *self,
                         DrChartProgressFunc  progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) check = NULL;
  g_autoptr(Pull) pull = NULL;
  GError *error = NULL;
  Pull *shared;

  g_return_if_fail (DR_IS_OCI_CHART (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_oci_chart_pull_async);

  pull = g_new0 (Pull, 1);
  pull->progress = progress;
  pull->progress_data = progress_data;
  if (!pull_configure (pull, self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  shared = g_steal_pointer (&pull);
  g_task_set_task_data (task, shared, (GDestroyNotify) pull_free);

  /* Hashing the cached file is disk and CPU work: a worker thread does it, reading only the
   * paths of @shared, which @task keeps alive and nothing changes meanwhile. */
  check = g_task_new (self, cancellable, cache_checked_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check, check_cache_thread);
  g_task_set_task_data (check, shared, NULL);
  g_task_run_in_thread (check, check_cache_thread);
}

char *
dr_oci_chart_pull_finish (DrOciChart    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (DR_IS_OCI_CHART (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_oci_chart_pull_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Load: pull or local file, then read and check. */

typedef struct
{
  DrChart *chart;
  char    *warning;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->chart, dr_chart_free);
  g_free (loaded->warning);
  g_free (loaded);
}

static void
chart_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *path = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrChart) chart = dr_chart_archive_read_finish (result, &error);
  g_autofree char *display_name = g_filename_display_name (path);
  Loaded *loaded;

  if (chart == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  loaded = g_new0 (Loaded, 1);
  if (!dr_chart_check (chart, display_name, &loaded->warning, &error))
    {
      loaded_free (loaded);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (loaded->warning != NULL)
    g_debug ("%s", loaded->warning);

  loaded->chart = g_steal_pointer (&chart);
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static void
read_chart (GTask *task,
            char  *path)
{
  g_task_set_task_data (task, path, g_free);
  dr_chart_archive_read_async (path, g_task_get_cancellable (task), chart_read_cb, task);
}

static void
pulled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *path = dr_oci_chart_pull_finish (DR_OCI_CHART (source), result, &error);

  if (path == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  read_chart (g_steal_pointer (&task), path);
}

void
dr_oci_chart_load_async (DrOciChart          *self,
                         DrChartProgressFunc  progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DR_IS_OCI_CHART (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_oci_chart_load_async);

  if (self->local_file != NULL)
    read_chart (task, g_strdup (self->local_file));
  else
    dr_oci_chart_pull_async (self, progress, progress_data, cancellable, pulled_cb, task);
}

DrChart *
dr_oci_chart_load_finish (DrOciChart    *self,
                          GAsyncResult  *result,
                          char         **warning,
                          GError       **error)
{
  Loaded *loaded;
  DrChart *chart;

  g_return_val_if_fail (DR_IS_OCI_CHART (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_oci_chart_load_async, NULL);

  if (warning != NULL)
    *warning = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  chart = g_steal_pointer (&loaded->chart);
  if (warning != NULL)
    *warning = g_steal_pointer (&loaded->warning);
  loaded_free (loaded);
  return chart;
}

/* The object */

char *
dr_oci_chart_dup_cache_path (DrOciChart *self)
{
  g_return_val_if_fail (DR_IS_OCI_CHART (self), NULL);

  return g_build_filename (g_get_user_cache_dir (), "deskrun", "charts", CACHE_FILE_NAME, NULL);
}

DrOciChart *
dr_oci_chart_new (void)
{
  return g_object_new (DR_TYPE_OCI_CHART, NULL);
}

const char *
dr_oci_chart_get_registry_url (DrOciChart *self)
{
  g_return_val_if_fail (DR_IS_OCI_CHART (self), NULL);

  return self->registry_url;
}

/* NULL restores the default. */
void
dr_oci_chart_set_registry_url (DrOciChart *self,
                               const char *registry_url)
{
  g_return_if_fail (DR_IS_OCI_CHART (self));

  if (registry_url == NULL)
    registry_url = DR_OCI_CHART_DEFAULT_REGISTRY_URL;
  if (g_strcmp0 (self->registry_url, registry_url) == 0)
    return;

  g_free (self->registry_url);
  self->registry_url = g_strdup (registry_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRY_URL]);
}

const char *
dr_oci_chart_get_repository (DrOciChart *self)
{
  g_return_val_if_fail (DR_IS_OCI_CHART (self), NULL);

  return self->repository;
}

/* NULL restores the default. */
void
dr_oci_chart_set_repository (DrOciChart *self,
                             const char *repository)
{
  g_return_if_fail (DR_IS_OCI_CHART (self));

  if (repository == NULL)
    repository = DR_ARC_CHART_REPOSITORY;
  if (g_strcmp0 (self->repository, repository) == 0)
    return;

  g_free (self->repository);
  self->repository = g_strdup (repository);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPOSITORY]);
}

const char *
dr_oci_chart_get_local_file (DrOciChart *self)
{
  g_return_val_if_fail (DR_IS_OCI_CHART (self), NULL);

  return self->local_file;
}

/* An empty path means none, like NULL. */
void
dr_oci_chart_set_local_file (DrOciChart *self,
                             const char *path)
{
  g_return_if_fail (DR_IS_OCI_CHART (self));

  if (path != NULL && path[0] == '\0')
    path = NULL;
  if (g_strcmp0 (self->local_file, path) == 0)
    return;

  g_free (self->local_file);
  self->local_file = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_FILE]);
}

static void
dr_oci_chart_finalize (GObject *object)
{
  DrOciChart *self = DR_OCI_CHART (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->registry_url, g_free);
  g_clear_pointer (&self->repository, g_free);
  g_clear_pointer (&self->local_file, g_free);

  G_OBJECT_CLASS (dr_oci_chart_parent_class)->finalize (object);
}

static void
dr_oci_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DrOciChart *self = DR_OCI_CHART (object);

  switch (prop_id)
    {
    case PROP_REGISTRY_URL:
      g_value_set_string (value, self->registry_url);
      break;
    case PROP_REPOSITORY:
      g_value_set_string (value, self->repository);
      break;
    case PROP_LOCAL_FILE:
      g_value_set_string (value, self->local_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_oci_chart_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DrOciChart *self = DR_OCI_CHART (object);

  switch (prop_id)
    {
    case PROP_REGISTRY_URL:
      dr_oci_chart_set_registry_url (self, g_value_get_string (value));
      break;
    case PROP_REPOSITORY:
      dr_oci_chart_set_repository (self, g_value_get_string (value));
      break;
    case PROP_LOCAL_FILE:
      dr_oci_chart_set_local_file (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_oci_chart_class_init (DrOciChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_oci_chart_finalize;
  object_class->get_property = dr_oci_chart_get_property;
  object_class->set_property = dr_oci_chart_set_property;

  properties[PROP_REGISTRY_URL] =
    g_param_spec_string ("registry-url", NULL, NULL, DR_OCI_CHART_DEFAULT_REGISTRY_URL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REPOSITORY] =
    g_param_spec_string ("repository", NULL, NULL, DR_ARC_CHART_REPOSITORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOCAL_FILE] =
    g_param_spec_string ("local-file", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dr_oci_chart_init (DrOciChart *self)
{
  self->registry_url = g_strdup (DR_OCI_CHART_DEFAULT_REGISTRY_URL);
  self->repository = g_strdup (DR_ARC_CHART_REPOSITORY);
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", "deskrun/" PACKAGE_VERSION,
                                                 NULL);
}
