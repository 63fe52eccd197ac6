/* test-oci-chart.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart pull against a fake OCI registry that is as strict as ghcr.io about the anonymous
 * flow (FACTS.md §3.1), with a second server, on another port and so another origin, standing
 * in for the storage host that the blob redirect points to.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "dr-error.h"
#include "dr-oci-chart.h"
#include "dr-test-chart.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

#define REPO           DR_ARC_CHART_REPOSITORY
#define MANIFEST_TYPE  "application/vnd.oci.image.manifest.v1+json"
#define CHUNK          4096
#define WAIT_MS        20000

typedef enum
{
  REJECT_NONE,
  REJECT_FIRST_ON_MANIFEST,  /* the first token answers 401 at the manifest */
  REJECT_FIRST_ON_BLOB,      /* the first token answers 401 at the blob */
  REJECT_ALL_ON_BLOB,
} Reject;

typedef struct
{
  SoupServer *registry;
  SoupServer *storage;
  char       *registry_url;   /* http://127.0.0.1:PORT */
  char       *registry_host;  /* 127.0.0.1:PORT, the token service */
  char       *storage_url;

  GBytes     *chart;          /* what the storage host serves */
  char       *digest;         /* of @chart */
  char       *claimed_digest; /* what the manifest says; @digest unless a test changes it */
  gsize       extra_bytes;    /* served beyond @chart */
  gboolean    no_chart_layer;
  guint       manifest_status;
  Reject      reject;
  gboolean    slow;           /* chunked, CHUNK bytes per main-loop timeout */

  guint       n_token;
  guint       n_manifest;
  guint       n_blob;
  guint       n_storage;
  GPtrArray  *violations;
  GPtrArray  *streams;
} Fake;

typedef struct
{
  Fake              *fake;
  SoupServerMessage *msg;
  gsize              offset;
  guint              source_id;
} Stream;

static void
violation (Fake       *fake,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
violation (Fake       *fake,
           const char *format,
           ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("violation: %s", text);
  g_ptr_array_add (fake->violations, text);
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/* Which token the request carries: 0 for none or an unknown one. */
static guint
bearer_serial (Fake              *fake,
               SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  guint64 serial = 0;

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer token-")
      || !g_ascii_string_to_unsigned (auth + strlen ("Bearer token-"), 10, 1, fake->n_token,
                                      &serial, NULL))
    return 0;
  return serial;
}

static void
handle_token (Fake              *fake,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  g_autofree char *scope = g_strdup_printf ("repository:%s:pull", REPO);
  g_autofree char *body = NULL;

  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                    "Authorization") != NULL)
    violation (fake, "the anonymous token request carries an Authorization header");

  if (query == NULL
      || g_strcmp0 (g_hash_table_lookup (query, "service"), fake->registry_host) != 0
      || g_strcmp0 (g_hash_table_lookup (query, "scope"), scope) != 0)
    {
      violation (fake, "token request with service=%s scope=%s",
                 query ? (char *) g_hash_table_lookup (query, "service") : "(none)",
                 query ? (char *) g_hash_table_lookup (query, "scope") : "(none)");
      reply (msg, SOUP_STATUS_BAD_REQUEST, "application/json", "{\"errors\":[]}");
      return;
    }

  fake->n_token++;
  body = g_strdup_printf ("{\"token\":\"token-%u\"}", fake->n_token);
  reply (msg, SOUP_STATUS_OK, "application/json", body);
}

static gboolean
token_rejected (Fake   *fake,
                guint   serial,
                Reject  where)
{
  if (fake->reject == REJECT_ALL_ON_BLOB && where == REJECT_FIRST_ON_BLOB)
    return TRUE;
  return fake->reject == where && serial == 1;
}

static void
handle_manifest (Fake              *fake,
                 SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept");
  guint serial = bearer_serial (fake, msg);
  g_autofree char *body = NULL;

  fake->n_manifest++;
  if (serial == 0)
    {
      violation (fake, "manifest request without a valid bearer token");
      reply (msg, SOUP_STATUS_UNAUTHORIZED, "application/json", "{\"errors\":[]}");
      return;
    }
  if (token_rejected (fake, serial, REJECT_FIRST_ON_MANIFEST))
    {
      reply (msg, SOUP_STATUS_UNAUTHORIZED, "application/json", "{\"errors\":[]}");
      return;
    }
  if (accept == NULL || strstr (accept, MANIFEST_TYPE) == NULL)
    {
      violation (fake, "manifest request with Accept: %s", accept ? accept : "(none)");
      reply (msg, SOUP_STATUS_NOT_ACCEPTABLE, "application/json", "{\"errors\":[]}");
      return;
    }
  if (fake->manifest_status != 0)
    {
      reply (msg, fake->manifest_status, "application/json", "{\"errors\":[]}");
      return;
    }

  body = g_strdup_printf (
    "{\"schemaVersion\":2,\"mediaType\":\"" MANIFEST_TYPE "\","
    "\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\","
    "\"digest\":\"sha256:%064d\",\"size\":100},"
    "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}],"
    "\"annotations\":{\"org.opencontainers.image.version\":\"" DR_ARC_VERSION "\"}}",
    0,
    fake->no_chart_layer ? "application/vnd.cncf.helm.chart.provenance.v1.prov"
                         : "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
    fake->claimed_digest, g_bytes_get_size (fake->chart));
  reply (msg, SOUP_STATUS_OK, MANIFEST_TYPE, body);
}

static void
handle_blob (Fake              *fake,
             SoupServerMessage *msg,
             const char        *digest)
{
  guint serial = bearer_serial (fake, msg);
  g_autofree char *location = NULL;

  fake->n_blob++;
  if (serial == 0)
    {
      violation (fake, "blob request without a valid bearer token");
      reply (msg, SOUP_STATUS_UNAUTHORIZED, "application/json", "{\"errors\":[]}");
      return;
    }
  if (token_rejected (fake, serial, REJECT_FIRST_ON_BLOB))
    {
      reply (msg, SOUP_STATUS_UNAUTHORIZED, "application/json", "{\"errors\":[]}");
      return;
    }
  if (strcmp (digest, fake->claimed_digest) != 0)
    {
      violation (fake, "blob request for %s, which the manifest does not name", digest);
      reply (msg, SOUP_STATUS_NOT_FOUND, "application/json", "{\"errors\":[]}");
      return;
    }

  /* Like ghcr.io: a signed URL on another host. */
  location = g_strdup_printf ("%s/signed/blob?sig=s3cr3t&digest=%s", fake->storage_url, digest);
  soup_server_message_set_redirect (msg, SOUP_STATUS_TEMPORARY_REDIRECT, location);
}

static void
registry_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Fake *fake = data;
  const char *manifest_prefix = "/v2/" REPO "/manifests/";
  const char *blob_prefix = "/v2/" REPO "/blobs/";

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      violation (fake, "%s %s", soup_server_message_get_method (msg), path);
      reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, NULL);
    }
  else if (strcmp (path, "/token") == 0)
    handle_token (fake, msg, query);
  else if (strcmp (path, "/v2/" REPO "/manifests/" DR_ARC_VERSION) == 0)
    handle_manifest (fake, msg);
  else if (g_str_has_prefix (path, blob_prefix))
    handle_blob (fake, msg, path + strlen (blob_prefix));
  else
    {
      if (!g_str_has_prefix (path, manifest_prefix))
        violation (fake, "request for %s", path);
      reply (msg, SOUP_STATUS_NOT_FOUND, "application/json", "{\"errors\":[]}");
    }
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    Stream            *stream)
{
  g_clear_handle_id (&stream->source_id, g_source_remove);
  stream->msg = NULL;
}

static gboolean
stream_next_chunk_cb (gpointer data)
{
  Stream *stream = data;
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (stream->fake->chart, &len);
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  gsize n = MIN (CHUNK, len - stream->offset);

  soup_message_body_append (body, SOUP_MEMORY_COPY, bytes + stream->offset, n);
  stream->offset += n;
  if (stream->offset == len)
    {
      soup_message_body_complete (body);
      stream->source_id = 0;
    }
  soup_server_message_unpause (stream->msg);
  return stream->offset == len ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
storage_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  Fake *fake = data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GByteArray) served = NULL;

  fake->n_storage++;
  if (soup_message_headers_get_one (request_headers, "Authorization") != NULL)
    violation (fake, "the storage host received an Authorization header");
  if (soup_message_headers_get_one (request_headers, "Accept-Encoding") != NULL)
    violation (fake, "the blob download asks for a content encoding");
  if (strcmp (path, "/signed/blob") != 0 || query == NULL
      || g_strcmp0 (g_hash_table_lookup (query, "sig"), "s3cr3t") != 0)
    {
      violation (fake, "storage request for %s without its signature", path);
      reply (msg, SOUP_STATUS_FORBIDDEN, NULL, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (fake->slow)
    {
      Stream *stream = g_new0 (Stream, 1);

      stream->fake = fake;
      stream->msg = msg;
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), stream);
      soup_server_message_pause (msg);
      stream->source_id = g_timeout_add (2, stream_next_chunk_cb, stream);
      g_ptr_array_add (fake->streams, stream);
      return;
    }

  served = g_byte_array_new ();
  g_byte_array_append (served, g_bytes_get_data (fake->chart, NULL),
                       g_bytes_get_size (fake->chart));
  for (gsize i = 0; i < fake->extra_bytes; i++)
    g_byte_array_append (served, (const guint8 *) "x", 1);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    (const char *) served->data, served->len);
}

static char *
server_url (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  GUri *uri = uris->data;
  char *url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

static SoupServer *
start_server (SoupServerCallback callback,
              Fake              *fake)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  soup_server_add_handler (server, NULL, callback, fake, NULL);
  return server;
}

static char *
sha256_digest (GBytes *bytes)
{
  g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  return g_strconcat ("sha256:", hex, NULL);
}

static void
fake_setup (Fake          *fake,
            gconstpointer  data)
{
  fake->chart = dr_test_arc_chart_new (DR_ARC_VERSION);
  if (fake->chart == NULL)
    return;

  fake->digest = sha256_digest (fake->chart);
  fake->claimed_digest = g_strdup (fake->digest);
  fake->violations = g_ptr_array_new_with_free_func (g_free);
  fake->streams = g_ptr_array_new_with_free_func (g_free);
  fake->registry = start_server (registry_cb, fake);
  fake->storage = start_server (storage_cb, fake);
  fake->registry_url = server_url (fake->registry);
  fake->registry_host = g_strdup (fake->registry_url + strlen ("http://"));
  fake->storage_url = server_url (fake->storage);
  g_assert_cmpstr (fake->registry_url, !=, fake->storage_url);
}

static void
fake_teardown (Fake          *fake,
               gconstpointer  data)
{
  if (fake->chart == NULL)
    return;

  for (guint i = 0; i < fake->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (fake->streams, i);

      g_clear_handle_id (&stream->source_id, g_source_remove);
      if (stream->msg != NULL)
        g_signal_handlers_disconnect_by_data (stream->msg, stream);
    }
  soup_server_disconnect (fake->registry);
  soup_server_disconnect (fake->storage);
  g_clear_object (&fake->registry);
  g_clear_object (&fake->storage);
  g_clear_pointer (&fake->streams, g_ptr_array_unref);

  /* Every strictness rule held, in every test. */
  g_assert_cmpuint (fake->violations->len, ==, 0);
  g_clear_pointer (&fake->violations, g_ptr_array_unref);

  g_free (fake->registry_url);
  g_free (fake->registry_host);
  g_free (fake->storage_url);
  g_free (fake->digest);
  g_free (fake->claimed_digest);
  g_clear_pointer (&fake->chart, g_bytes_unref);
}

/* Running the async API */

typedef struct
{
  gboolean      done;
  char         *path;
  DrChart      *chart;
  char         *warning;
  GError       *error;
  guint         n_progress;
  goffset       received;
  goffset       total;
  GCancellable *cancel_on_progress;
} Result;

static void
result_clear (Result *result)
{
  g_free (result->path);
  g_clear_pointer (&result->chart, dr_chart_free);
  g_free (result->warning);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
progress_cb (goffset  received,
             goffset  total,
             gpointer data)
{
  Result *result = data;

  g_assert_cmpint (received, >=, result->received);
  g_assert_cmpint (total, >, 0);
  result->n_progress++;
  result->received = received;
  result->total = total;
  if (result->cancel_on_progress != NULL && received > 0)
    g_cancellable_cancel (result->cancel_on_progress);
}

static void
pulled_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  Result *result = data;

  result->path = dr_oci_chart_pull_finish (DR_OCI_CHART (source), res, &result->error);
  g_assert_true ((result->path == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  Result *result = data;

  result->chart = dr_oci_chart_load_finish (DR_OCI_CHART (source), res, &result->warning,
                                            &result->error);
  g_assert_true ((result->chart == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static DrOciChart *
new_chart (const char *registry_url)
{
  DrOciChart *chart = dr_oci_chart_new ();

  dr_oci_chart_set_registry_url (chart, registry_url);
  return chart;
}

static void
pull (DrOciChart   *chart,
      Result       *result,
      GCancellable *cancellable)
{
  dr_oci_chart_pull_async (chart, progress_cb, result, cancellable, pulled_cb, result);
  dr_test_wait_for_flag (&result->done, WAIT_MS);
  if (result->error != NULL)
    g_test_message ("error: %s", result->error->message);
}

static void
load (DrOciChart *chart,
      Result     *result)
{
  dr_oci_chart_load_async (chart, progress_cb, result, NULL, loaded_cb, result);
  dr_test_wait_for_flag (&result->done, WAIT_MS);
  if (result->error != NULL)
    g_test_message ("error: %s", result->error->message);
}

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "deskrun", "charts", NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in the cache folder, sorted and joined by spaces ("" when empty or absent), so
 * a leftover temporary file shows. */
static char *
cache_listing (void)
{
  g_autofree char *dir_path = cache_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_message_contains (const GError *error,
                         const char   *needle)
{
  if (strstr (error->message, needle) == NULL)
    g_error ("The message “%s” does not contain “%s”", error->message, needle);
}

static void
assert_counts (Fake  *fake,
               guint  n_token,
               guint  n_manifest,
               guint  n_blob,
               guint  n_storage)
{
  g_assert_cmpuint (fake->n_token, ==, n_token);
  g_assert_cmpuint (fake->n_manifest, ==, n_manifest);
  g_assert_cmpuint (fake->n_blob, ==, n_blob);
  g_assert_cmpuint (fake->n_storage, ==, n_storage);
}

/* The cache holds the chart, byte for byte, and its digest; nothing else. */
static void
assert_cached (Fake *fake)
{
  g_autoptr(DrOciChart) chart = dr_oci_chart_new ();
  g_autofree char *path = dr_oci_chart_dup_cache_path (chart);
  g_autofree char *digest_path = g_strconcat (path, ".sha256", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *recorded = NULL;
  g_autofree char *listing = cache_listing ();
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpmem (contents, len, g_bytes_get_data (fake->chart, NULL),
                   g_bytes_get_size (fake->chart));
  recorded = dr_test_read_file (digest_path);
  g_assert_cmpstr (g_strstrip (recorded), ==, fake->digest);
  g_assert_cmpstr (listing, ==,
                   "gha-runner-scale-set-controller-" DR_ARC_VERSION ".tgz "
                   "gha-runner-scale-set-controller-" DR_ARC_VERSION ".tgz.sha256");
}

#define SKIP_WITHOUT_FIXTURES(fake) \
  G_STMT_START { if ((fake)->chart == NULL) return; } G_STMT_END

static void
test_pull (Fake          *fake,
           gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *dir = cache_dir ();
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  chart = new_chart (fake->registry_url);
  cache_path = dr_oci_chart_dup_cache_path (chart);
  g_assert_true (g_str_has_prefix (cache_path, g_get_user_cache_dir ()));
  g_assert_true (g_str_has_suffix (cache_path,
                                   "/deskrun/charts/gha-runner-scale-set-controller-"
                                   DR_ARC_VERSION ".tgz"));

  pull (chart, &result, NULL);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.path, ==, cache_path);
  assert_counts (fake, 1, 1, 1, 1);
  assert_cached (fake);

  /* Progress ran to the end, with the size from Content-Length. */
  g_assert_cmpuint (result.n_progress, >=, 2);
  g_assert_cmpint (result.received, ==, g_bytes_get_size (fake->chart));
  g_assert_cmpint (result.total, ==, g_bytes_get_size (fake->chart));

  /* The token is not kept anywhere. */
  dr_test_assert_no_file_contains (g_get_user_cache_dir (), "token-1");
  dr_test_assert_no_file_contains (g_get_user_config_dir (), "token-1");
}

static void
test_load (Fake          *fake,
           gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  chart = new_chart (fake->registry_url);
  load (chart, &result);
  g_assert_no_error (result.error);
  g_assert_null (result.warning);
  g_assert_cmpstr (result.chart->name, ==, DR_ARC_CONTROLLER_CHART);
  g_assert_cmpstr (result.chart->version, ==, DR_ARC_VERSION);
  g_assert_cmpuint (result.chart->crds->len, ==, 4);
  assert_counts (fake, 1, 1, 1, 1);
}

/* A second pull uses the cache and asks nobody, so it works offline too. */
static void
test_cached (Fake          *fake,
             gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autoptr(DrOciChart) offline = NULL;
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) third = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  chart = new_chart (fake->registry_url);
  pull (chart, &first, NULL);
  g_assert_no_error (first.error);
  assert_counts (fake, 1, 1, 1, 1);

  pull (chart, &second, NULL);
  g_assert_no_error (second.error);
  g_assert_cmpstr (second.path, ==, first.path);
  assert_counts (fake, 1, 1, 1, 1);
  g_assert_cmpuint (second.n_progress, ==, 0);

  offline = new_chart ("http://127.0.0.1:1");
  pull (offline, &third, NULL);
  g_assert_no_error (third.error);
  assert_cached (fake);
}

static void
test_digest_mismatch (Fake          *fake,
                      gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *listing = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  g_free (fake->claimed_digest);
  fake->claimed_digest = g_strdup ("sha256:0123456789abcdef0123456789abcdef"
                                   "0123456789abcdef0123456789abcdef");
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);

  g_assert_error (result.error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  assert_message_contains (result.error, fake->registry_host);
  assert_message_contains (result.error, fake->claimed_digest);
  assert_message_contains (result.error, fake->digest);
  assert_counts (fake, 1, 1, 1, 1);
  listing = cache_listing ();
  g_assert_cmpstr (listing, ==, "");
}

/* More bytes than the manifest promised are refused before they are all stored. */
static void
test_oversized_download (Fake          *fake,
                         gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *listing = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->extra_bytes = 10;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);

  g_assert_error (result.error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  assert_message_contains (result.error, "larger");
  listing = cache_listing ();
  g_assert_cmpstr (listing, ==, "");
}

static void
test_corrupt_cache (Fake          *fake,
                    gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *digest_path = NULL;
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) third = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  chart = new_chart (fake->registry_url);
  cache_path = dr_oci_chart_dup_cache_path (chart);
  digest_path = g_strconcat (cache_path, ".sha256", NULL);
  pull (chart, &first, NULL);
  g_assert_no_error (first.error);

  /* A damaged file is downloaded again. */
  dr_test_write_file (cache_path, "not the chart", 0600);
  pull (chart, &second, NULL);
  g_assert_no_error (second.error);
  assert_counts (fake, 2, 2, 2, 2);
  assert_cached (fake);

  /* An intact file whose record is lost is recognised by the manifest digest. */
  g_assert_cmpint (g_unlink (digest_path), ==, 0);
  pull (chart, &third, NULL);
  g_assert_no_error (third.error);
  assert_counts (fake, 3, 3, 2, 2);
  assert_cached (fake);
}

static void
test_token_refetched (Fake          *fake,
                      gconstpointer  data)
{
  Reject reject = GPOINTER_TO_INT (data);
  g_autoptr(DrOciChart) chart = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->reject = reject;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);
  g_assert_no_error (result.error);
  if (reject == REJECT_FIRST_ON_MANIFEST)
    assert_counts (fake, 2, 2, 1, 1);
  else
    assert_counts (fake, 2, 1, 2, 1);
  assert_cached (fake);
}

/* The token is fetched again once, not forever. */
static void
test_unauthorized (Fake          *fake,
                   gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *listing = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->reject = REJECT_ALL_ON_BLOB;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_UNAUTHORIZED);
  assert_message_contains (result.error, "401 Unauthorized");
  assert_message_contains (result.error, "--chart FILE");
  g_assert_null (strstr (result.error->message, "token-"));
  assert_counts (fake, 2, 1, 2, 0);
  listing = cache_listing ();
  g_assert_cmpstr (listing, ==, "");
}

static void
test_not_found (Fake          *fake,
                gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->manifest_status = SOUP_STATUS_NOT_FOUND;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_NOT_FOUND);
  assert_message_contains (result.error, "Could not download the ARC chart from ");
  assert_message_contains (result.error, fake->registry_host);
  assert_message_contains (result.error, "404 Not Found");
  assert_counts (fake, 1, 1, 0, 0);
}

static void
test_no_chart_layer (Fake          *fake,
                     gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->no_chart_layer = TRUE;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_BAD_RESPONSE);
  assert_message_contains (result.error, "no Helm chart layer");
  assert_message_contains (result.error, fake->registry_host);
  assert_counts (fake, 1, 1, 0, 0);
}

/* Nothing listens on the port: the message names the registry and what to do. */
static void
test_network_error (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *url = NULL;
  g_autofree char *listing = NULL;
  g_auto(Result) result = { 0, };

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  url = server_url (server);
  soup_server_disconnect (server);

  chart = new_chart (url);
  pull (chart, &result, NULL);
  g_assert_nonnull (result.error);
  g_assert_true (result.error->domain == G_IO_ERROR);
  g_assert_false (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_message_contains (result.error, "Could not download the ARC chart from ");
  assert_message_contains (result.error, url + strlen ("http://"));
  assert_message_contains (result.error, "--chart FILE");
  listing = cache_listing ();
  g_assert_cmpstr (listing, ==, "");
}

static void
test_bad_registry_url (void)
{
  const char *urls[] = {
    "ftp://mirror.example", "https://user:password@mirror.example", "https://", "http://x/?q=1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(DrOciChart) chart = new_chart (urls[i]);
      g_auto(Result) result = { 0, };

      pull (chart, &result, NULL);
      g_assert_error (result.error, DR_ERROR, DR_ERROR_BAD_CONFIG);
      /* A password in the URL is never repeated back. */
      g_assert_null (strstr (result.error->message, "password"));
    }

  {
    g_autoptr(DrOciChart) chart = new_chart ("https://mirror.example");
    g_auto(Result) result = { 0, };

    dr_oci_chart_set_repository (chart, "Actions/../charts");
    pull (chart, &result, NULL);
    g_assert_error (result.error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  }
}

/* Cancelled in the middle of a slow chunked download: G_IO_ERROR_CANCELLED and no file left. */
static void
test_cancel (Fake          *fake,
             gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *listing = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->slow = TRUE;
  result.cancel_on_progress = cancellable;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, cancellable);

  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (result.received, >, 0);
  g_assert_cmpint (result.received, <, g_bytes_get_size (fake->chart));
  /* Chunked: no Content-Length, so the total is the manifest's size. */
  g_assert_cmpint (result.total, ==, g_bytes_get_size (fake->chart));
  assert_counts (fake, 1, 1, 1, 1);
  listing = cache_listing ();
  g_assert_cmpstr (listing, ==, "");
}

/* The same slow server, not cancelled: chunks arrive one by one and the pull completes. */
static void
test_slow (Fake          *fake,
           gconstpointer  data)
{
  g_autoptr(DrOciChart) chart = NULL;
  g_auto(Result) result = { 0, };

  SKIP_WITHOUT_FIXTURES (fake);
  fake->slow = TRUE;
  chart = new_chart (fake->registry_url);
  pull (chart, &result, NULL);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.n_progress, >, g_bytes_get_size (fake->chart) / (2 * CHUNK));
  assert_cached (fake);
}

static char *
write_local_chart (const char *version)
{
  g_autoptr(GBytes) tgz = dr_test_arc_chart_new (version);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (tgz == NULL)
    return NULL;
  path = g_build_filename (g_get_user_data_dir (), "download", "chart.tgz", NULL);
  dr_test_write_file (path, "", 0600);
  g_file_set_contents (path, g_bytes_get_data (tgz, NULL), g_bytes_get_size (tgz), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* --chart FILE: no network at all (the registry address is a closed port). */
static void
test_local_file (void)
{
  g_autofree char *path = write_local_chart (DR_ARC_VERSION);
  g_autoptr(DrOciChart) chart = NULL;
  g_autofree char *listing = NULL;
  g_auto(Result) result = { 0, };

  if (path == NULL)
    return;
  chart = new_chart ("http://127.0.0.1:1");
  dr_oci_chart_set_local_file (chart, path);
  g_assert_cmpstr (dr_oci_chart_get_local_file (chart), ==, path);
  load (chart, &result);
  g_assert_no_error (result.error);
  g_assert_null (result.warning);
  g_assert_cmpstr (result.chart->version, ==, DR_ARC_VERSION);
  g_assert_cmpuint (result.chart->crds->len, ==, 4);
  g_assert_cmpuint (result.n_progress, ==, 0);
  listing = cache_listing ();
  g_assert_cmpstr (listing, ==, "");
}

static void
test_local_file_other_version (void)
{
  g_autofree char *path = write_local_chart ("0.13.0");
  g_autoptr(DrOciChart) chart = NULL;
  g_auto(Result) result = { 0, };

  if (path == NULL)
    return;
  chart = dr_oci_chart_new ();
  g_object_set (chart, "local-file", path, NULL);
  load (chart, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (result.chart->version, ==, "0.13.0");
  g_assert_nonnull (result.warning);
  g_test_message ("warning: %s", result.warning);
  g_assert_nonnull (strstr (result.warning, "0.13.0"));
  g_assert_nonnull (strstr (result.warning, DR_ARC_VERSION));
}

static void
test_local_file_not_a_chart (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "chart.tgz", NULL);
  g_autofree char *other = g_build_filename (g_get_user_data_dir (), "other.tgz", NULL);
  g_autoptr(DrOciChart) chart = dr_oci_chart_new ();
  g_auto(Result) result = { 0, };
  g_auto(Result) result2 = { 0, };
  g_autoptr(GBytes) tgz = NULL;
  g_autoptr(GError) error = NULL;
  DrTestTar *tar;

  dr_test_write_file (path, "<html>proxy login</html>", 0600);
  dr_oci_chart_set_local_file (chart, path);
  load (chart, &result);
  g_assert_error (result.error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (result.error, "chart.tgz");

  tar = dr_test_tar_new ();
  dr_test_tar_add_string (tar, "gha-runner-scale-set/Chart.yaml",
                          "name: gha-runner-scale-set\nversion: " DR_ARC_VERSION "\n");
  dr_test_tar_add_string (tar, "gha-runner-scale-set/crds/x.yaml", "kind: X\n");
  tgz = dr_test_tar_finish (tar);
  g_file_set_contents (other, g_bytes_get_data (tgz, NULL), g_bytes_get_size (tgz), &error);
  g_assert_no_error (error);
  dr_oci_chart_set_local_file (chart, other);
  load (chart, &result2);
  g_assert_error (result2.error, DR_ERROR, DR_ERROR_INVALID);
  assert_message_contains (result2.error, "“gha-runner-scale-set”");
}

static void
test_properties (void)
{
  g_autoptr(DrOciChart) chart = dr_oci_chart_new ();
  g_autofree char *url = NULL;

  g_assert_cmpstr (dr_oci_chart_get_registry_url (chart), ==, "https://ghcr.io");
  g_assert_cmpstr (dr_oci_chart_get_repository (chart), ==, DR_ARC_CHART_REPOSITORY);
  g_assert_null (dr_oci_chart_get_local_file (chart));

  g_object_set (chart, "registry-url", "mirror.example:5000", NULL);
  g_object_get (chart, "registry-url", &url, NULL);
  g_assert_cmpstr (url, ==, "mirror.example:5000");
  dr_oci_chart_set_registry_url (chart, NULL);
  g_assert_cmpstr (dr_oci_chart_get_registry_url (chart), ==, DR_OCI_CHART_DEFAULT_REGISTRY_URL);
  dr_oci_chart_set_local_file (chart, "");
  g_assert_null (dr_oci_chart_get_local_file (chart));
}

#define ADD_FAKE_TEST(path, func, data) \
  g_test_add ("/deskrun/oci-chart/" path, Fake, data, fake_setup, func, fake_teardown)

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  ADD_FAKE_TEST ("pull", test_pull, NULL);
  ADD_FAKE_TEST ("load", test_load, NULL);
  ADD_FAKE_TEST ("cached", test_cached, NULL);
  ADD_FAKE_TEST ("digest-mismatch", test_digest_mismatch, NULL);
  ADD_FAKE_TEST ("oversized-download", test_oversized_download, NULL);
  ADD_FAKE_TEST ("corrupt-cache", test_corrupt_cache, NULL);
  ADD_FAKE_TEST ("token-refetched-manifest", test_token_refetched,
                 GINT_TO_POINTER (REJECT_FIRST_ON_MANIFEST));
  ADD_FAKE_TEST ("token-refetched-blob", test_token_refetched,
                 GINT_TO_POINTER (REJECT_FIRST_ON_BLOB));
  ADD_FAKE_TEST ("unauthorized", test_unauthorized, NULL);
  ADD_FAKE_TEST ("not-found", test_not_found, NULL);
  ADD_FAKE_TEST ("no-chart-layer", test_no_chart_layer, NULL);
  ADD_FAKE_TEST ("cancel", test_cancel, NULL);
  ADD_FAKE_TEST ("slow", test_slow, NULL);
  g_test_add_func ("/deskrun/oci-chart/network-error", test_network_error);
  g_test_add_func ("/deskrun/oci-chart/bad-registry-url", test_bad_registry_url);
  g_test_add_func ("/deskrun/oci-chart/local-file", test_local_file);
  g_test_add_func ("/deskrun/oci-chart/local-file-other-version", test_local_file_other_version);
  g_test_add_func ("/deskrun/oci-chart/local-file-not-a-chart", test_local_file_not_a_chart);
  g_test_add_func ("/deskrun/oci-chart/properties", test_properties);

  return g_test_run ();
}
