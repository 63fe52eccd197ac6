/* dr-github-client.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dr-credential.h"
#include "dr-error.h"
#include "dr-github-client.h"
#include "dr-github-private.h"
#include "dr-json.h"

/* Connecting and every wait for data; a whole exchange (headers and body). */
#define DEFAULT_IO_TIMEOUT_SECONDS  20
#define DEFAULT_DEADLINE_SECONDS    90
/* GitHub's rate-limit window is one hour; a longer wait is never right. */
#define DEFAULT_MAX_WAIT_SECONDS    3600
/* The biggest JSON reply we read (the largest GitHub pages are well below 10 MiB). */
#define MAX_JSON_BYTES              (32 * 1024 * 1024)
#define DEFAULT_MAX_DOWNLOAD_BYTES  ((gsize) 256 * 1024 * 1024)
/* A reply bigger than this is not written to the disk cache. */
#define MAX_DISK_CACHE_BYTES        (8 * 1024 * 1024)
/* GETs are sent again after a 5xx or a timeout this many times, with a doubling wait. */
#define MAX_RETRIES                 3
/* Rate-limit waits per request before giving up (each follows an answer that says wait). */
#define MAX_RATE_LIMIT_WAITS        4
#define MAX_REDIRECTS               3
#define READ_CHUNK                  (64 * 1024)

#define STATUS_TOO_MANY_REQUESTS    429

struct _DrGithubClient
{
  GObject            parent_instance;

  SoupSession       *session;
  char              *api_base;       /* no trailing slash */
  char              *host;           /* for messages */
  DrGithubAuth      *auth;           /* nullable: anonymous */
  char              *cache_dir;      /* the credential's folder below the cache root, or NULL */
  GHashTable        *cache;          /* URL -> CacheEntry */
  GHashTable        *last_headers;   /* lower-case name -> value, of the last 2xx / 304 */
  DrGithubRateLimit  rate_limit;
  guint64            requests;
  guint64            not_modified;
  guint              io_timeout;
  guint              deadline;
  guint              max_wait;
  guint              retry_ms;
  guint              secondary_ms;
  guint              scale_percent;
};

G_DEFINE_FINAL_TYPE (DrGithubClient, dr_github_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RATE_LIMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char   *etag;
  char   *last_modified;
  GBytes *body;
} CacheEntry;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_free (entry->etag);
  g_free (entry->last_modified);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry);
}

typedef enum
{
  EXPECT_JSON,       /* a JSON document, or nothing (204) */
  EXPECT_DOWNLOAD,   /* any bytes, after a redirect followed without Authorization */
} Expect;

/* One request, kept as the task data while it is sent, resent and redirected. */
typedef struct
{
  const char    *method;           /* interned */
  char          *url;              /* absolute */
  GBytes        *body;             /* nullable */
  Expect         expect;
  char          *bearer;           /* given by the caller (JWT), wiped on free */
  char          *token;            /* from the auth object for this attempt, wiped on free */
  gboolean       use_auth;         /* FALSE after a redirect to a pre-signed URL */
  gboolean       use_cache;
  gboolean       refreshed;        /* a 401 already led to a new token */
  gsize          max_bytes;
  guint          retries;
  guint          rate_limit_waits;
  guint          secondary_waits;
  guint          redirects;

  /* The attempt in flight. */
  SoupMessage   *msg;
  GInputStream  *stream;
  GByteArray    *received;
  GCancellable  *task_cancellable; /* the caller's, nullable */
  GCancellable  *attempt_cancellable;
  gulong         cancel_handler;
  GSource       *deadline_source;
  gboolean       deadline_hit;

  /* A wait before the next attempt: both sources hold a reference on the task. */
  GSource       *wait_source;
  GSource       *wait_cancel_source;

  guint          status;           /* of the final answer */
} Request;

static void
wipe_string (char **secret)
{
  if (*secret != NULL)
    {
      dr_credential_secret_free (*secret);
      *secret = NULL;
    }
}

static void
request_end_attempt (Request *req)
{
  if (req->cancel_handler != 0)
    {
      g_cancellable_disconnect (req->task_cancellable, req->cancel_handler);
      req->cancel_handler = 0;
    }
  if (req->deadline_source != NULL)
    {
      g_source_destroy (req->deadline_source);
      g_clear_pointer (&req->deadline_source, g_source_unref);
    }
  g_clear_object (&req->stream);
  g_clear_pointer (&req->received, g_byte_array_unref);
  g_clear_object (&req->attempt_cancellable);
}

static void
request_free (gpointer data)
{
  Request *req = data;

  request_end_attempt (req);
  g_clear_object (&req->msg);
  g_clear_object (&req->task_cancellable);
  g_free (req->url);
  g_clear_pointer (&req->body, g_bytes_unref);
  wipe_string (&req->bearer);
  wipe_string (&req->token);
  g_free (req);
}

/* ---- helpers ---------------------------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* An API base URL from outside (the environment): https://, or http:// on loopback. */
static char *
check_api_url (const char  *text,
               GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  g_autofree char *result = NULL;
  gsize length;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("%s is set to “%s”, which is not a URL"), DR_GITHUB_API_URL_ENV, text);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri))))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("%s is set to “%s”: it must be an https:// URL (http:// is allowed only "
                     "for this computer, such as http://127.0.0.1:4010), because the token "
                     "travels with every request"),
                   DR_GITHUB_API_URL_ENV, text);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("%s is set to “%s”: it must not hold a user, a query or a fragment"),
                   DR_GITHUB_API_URL_ENV, text);
      return NULL;
    }

  result = g_strdup (text);
  length = strlen (result);
  while (length > 0 && result[length - 1] == '/')
    result[--length] = '\0';
  return g_steal_pointer (&result);
}

char *
dr_github_api_base_for_repository (const char  *repository_url,
                                   GError     **error)
{
  const char *override = g_getenv (DR_GITHUB_API_URL_ENV);
  g_autoptr(GUri) uri = NULL;
  const char *host;
  const char *scheme;
  int port;

  if (override != NULL && *override != '\0')
    return check_api_url (override, error);

  if (repository_url == NULL || *repository_url == '\0')
    {
      g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The runner has no repository or organisation URL"));
      return NULL;
    }
  uri = g_uri_parse (repository_url, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("“%s” is not a GitHub URL such as https://github.com/OWNER/REPO"),
                   repository_url);
      return NULL;
    }

  if (g_ascii_strcasecmp (host, "github.com") == 0 ||
      g_ascii_strcasecmp (host, "www.github.com") == 0)
    return g_strdup ("https://api.github.com");

  /* GitHub Enterprise Server serves its API below the web host; it speaks https whatever
   * the repository URL was written with. */
  port = g_uri_get_port (uri);
  if (port > 0 && port != 443 && port != 80)
    return g_strdup_printf ("https://%s:%d/api/v3", host, port);
  return g_strdup_printf ("https://%s/api/v3", host);
}

char *
dr_github_client_default_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "deskrun", "github", NULL);
}

static char *
sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* "message" of a GitHub error body (any JSON object with a string "message"). */
char *
_dr_github_error_message (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  const char *data;
  const char *message;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  if (length == 0 || length > MAX_JSON_BYTES)
    return NULL;
  root = dr_json_parse_data (data, length, NULL);
  if (root == NULL)
    return NULL;
  message = dr_json_get_string (root, "message", NULL);
  /* Not GitHub but a proxy or a mock server (RFC 9457 problem details, as Prism sends). */
  if (message == NULL)
    message = dr_json_get_string (root, "detail", NULL);
  return message != NULL && *message != '\0' ? g_strdup (message) : NULL;
}

/* GitHub's 422 lists what it rejected: strings, or {resource, field, code, message}. */
static char *
validation_errors (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  JsonArray *errors;

  if (length == 0 || (root = dr_json_parse_data (data, length, NULL)) == NULL)
    return NULL;
  errors = dr_json_get_array (root, "errors", NULL);
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors) && i < 10; i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *object = dr_json_node_object (node);
      g_autofree char *item = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        item = g_strdup (json_node_get_string (node));
      else if (object != NULL && dr_json_member_string (object, "message") != NULL)
        item = g_strdup (dr_json_member_string (object, "message"));
      else if (object != NULL)
        {
          const char *field = dr_json_member_string (object, "field");
          const char *code = dr_json_member_string (object, "code");
          const char *resource = dr_json_member_string (object, "resource");

          item = g_strdup_printf ("%s%s%s: %s", resource != NULL ? resource : "",
                                  resource != NULL && field != NULL ? "." : "",
                                  field != NULL ? field : "",
                                  code != NULL ? code : "invalid");
        }
      if (item == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, item);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* "actions=write,contents=read" -> "Actions: write, Contents: read". */
static char *
describe_permissions (const char *accepted)
{
  g_auto(GStrv) parts = g_strsplit (accepted, ",", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) pair = NULL;
      char *name;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      pair = g_strsplit (parts[i], "=", 2);
      name = g_strdelimit (pair[0], "_", ' ');
      name[0] = g_ascii_toupper (name[0]);
      if (text->len > 0)
        g_string_append (text, ", ");
      if (pair[1] != NULL)
        g_string_append_printf (text, "%s: %s", name, pair[1]);
      else
        g_string_append (text, name);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
response_header (SoupMessage *msg,
                 const char  *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (msg), name);
}

static GError *
status_error (DrGithubClient *self,
              Request        *req,
              GBytes         *body)
{
  guint status = soup_message_get_status (req->msg);
  DrError code = dr_error_from_http_status (status);
  g_autofree char *message = _dr_github_error_message (body);
  g_autofree char *detail = NULL;

  if (message == NULL)
    {
      const char *reason = soup_message_get_reason_phrase (req->msg);

      message = g_strdup_printf ("HTTP %u %s", status, reason != NULL ? reason : "");
      g_strchomp (message);
    }

  switch (status)
    {
    case 401:
      return g_error_new (DR_ERROR, code,
                          _("GitHub did not accept the credential (%s). The token is invalid, "
                            "revoked or expired: replace it in the runner’s settings."),
                          message);
    case 403:
      {
        const char *accepted = response_header (req->msg, "X-Accepted-GitHub-Permissions");
        const char *accepted_scopes = response_header (req->msg, "X-Accepted-OAuth-Scopes");
        const char *scopes = response_header (req->msg, "X-OAuth-Scopes");

        if (accepted != NULL && *accepted != '\0')
          {
            g_autofree char *needed = describe_permissions (accepted);

            return g_error_new (DR_ERROR, code,
                                _("GitHub refused this (%s). The token lacks a permission: "
                                  "give it %s."),
                                message, needed);
          }
        if (accepted_scopes != NULL && *accepted_scopes != '\0')
          return g_error_new (DR_ERROR, code,
                              _("GitHub refused this (%s). The token needs the scope %s; it "
                                "has: %s."),
                              message, accepted_scopes,
                              scopes != NULL && *scopes != '\0' ? scopes : _("none"));
        return g_error_new (DR_ERROR, code,
                            _("GitHub refused this (%s). The token is not allowed to do it: "
                              "check its permissions, and that its owner may administer the "
                              "repository."),
                            message);
      }
    case 404:
      return g_error_new (DR_ERROR, code,
                          _("GitHub found nothing there (%s): the repository does not exist, "
                            "or the token cannot see it — a fine-grained token or a GitHub "
                            "App installation must include this repository."),
                          message);
    case 409:
      return g_error_new (DR_ERROR, code,
                          _("GitHub reports a conflict (%s): it changed meanwhile; reload and "
                            "try again."),
                          message);
    case 422:
      detail = validation_errors (body);
      if (detail != NULL)
        return g_error_new (DR_ERROR, code, _("GitHub rejected the request (%s): %s."), message,
                            detail);
      return g_error_new (DR_ERROR, code, _("GitHub rejected the request (%s)."), message);
    case 429:
      return g_error_new (DR_ERROR, code,
                          _("GitHub is limiting the requests of this token (%s); try again "
                            "later."),
                          message);
    default:
      if (code == DR_ERROR_SERVER)
        return g_error_new (DR_ERROR, code,
                            _("GitHub at %s failed (%s). Try again later; "
                              "https://www.githubstatus.com says whether GitHub has an "
                              "outage."),
                            self->host, message);
      return g_error_new (DR_ERROR, code, _("GitHub at %s refused the request (%s)."),
                          self->host, message);
    }
}

static gboolean same_api (DrGithubClient *self,
                          const char     *url);

/* What kept us from an answer, naming the server; a cancellation stays as it is. */
static GError *
transport_error (DrGithubClient *self,
                 Request        *req,
                 GError         *error)
{
  GError *better;

  if (req->deadline_hit)
    {
      better = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                            _("GitHub at %s did not answer within %u seconds"),
                            self->host, self->deadline);
      g_error_free (error);
      return better;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  if (error->domain == G_TLS_ERROR)
    {
      better = g_error_new (G_TLS_ERROR, error->code,
                            _("Could not talk to GitHub at %s securely: its certificate is not "
                              "trusted by this computer, or the connection was tampered with "
                              "(%s)"),
                            self->host, error->message);
      g_error_free (error);
      return better;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      better = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                            _("GitHub at %s stopped answering (nothing for %u s)"),
                            self->host, self->io_timeout);
      g_error_free (error);
      return better;
    }

  if (!same_api (self, req->url))
    {
      /* After a redirect (a log's pre-signed URL): name where we were sent. */
      g_autoptr(GUri) uri = g_uri_parse (req->url, G_URI_FLAGS_NONE, NULL);

      g_prefix_error (&error, _("Could not fetch from %s, where GitHub sent deskrun: "),
                      uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                  : req->url);
      return error;
    }
  g_prefix_error (&error, _("Could not reach GitHub at %s: "), self->host);
  return error;
}

static void
update_rate_limit (DrGithubClient *self,
                   SoupMessage    *msg)
{
  const char *limit = response_header (msg, "x-ratelimit-limit");
  const char *remaining = response_header (msg, "x-ratelimit-remaining");
  const char *reset = response_header (msg, "x-ratelimit-reset");
  const char *resource = response_header (msg, "x-ratelimit-resource");
  gint64 value;

  if (remaining == NULL)
    return;

  value = g_ascii_strtoll (remaining, NULL, 10);
  self->rate_limit.remaining = value >= 0 ? value : -1;
  self->rate_limit.limit = limit != NULL ? g_ascii_strtoll (limit, NULL, 10) : -1;
  self->rate_limit.reset_unix = reset != NULL ? g_ascii_strtoll (reset, NULL, 10) : 0;
  if (g_strcmp0 (resource, self->rate_limit.resource) != 0)
    {
      g_free (self->rate_limit.resource);
      self->rate_limit.resource = g_strdup (resource);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMIT]);
}

/* A 304 may leave headers out that the full answer had: it only adds what it has. */
static void
remember_headers (DrGithubClient *self,
                  SoupMessage    *msg)
{
  gboolean partial = soup_message_get_status (msg) == SOUP_STATUS_NOT_MODIFIED;

  static const char * const names[] = {
    "x-oauth-scopes", "x-accepted-oauth-scopes", "x-accepted-github-permissions",
    "github-authentication-token-expiration", NULL,
  };

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = response_header (msg, names[i]);

      if (value != NULL)
        g_hash_table_replace (self->last_headers, g_strdup (names[i]), g_strdup (value));
      else if (!partial)
        g_hash_table_remove (self->last_headers, names[i]);
    }
}

/* ---- the cache -------------------------------------------------------------------------- */

static char *
cache_file_for (DrGithubClient *self,
                const char     *url)
{
  g_autofree char *hash = sha256_hex (url);
  g_autofree char *name = g_strconcat (hash, ".json", NULL);

  return g_build_filename (self->cache_dir, name, NULL);
}

static CacheEntry *
cache_lookup (DrGithubClient *self,
              const char     *url)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, url);
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = NULL;
  gsize length = 0;
  JsonNode *root;
  const char *body;

  if (entry != NULL || self->cache_dir == NULL)
    return entry;

  /* A cache file that cannot be read is simply no cache. */
  file = cache_file_for (self, url);
  if (!g_file_get_contents (file, &text, &length, NULL) || length > 2 * MAX_DISK_CACHE_BYTES)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (g_strcmp0 (dr_json_get_string (root, "url", NULL), url) != 0)
    return NULL;
  body = dr_json_get_string (root, "body", NULL);
  if (body == NULL)
    return NULL;

  entry = g_new0 (CacheEntry, 1);
  entry->etag = g_strdup (dr_json_get_string (root, "etag", NULL));
  entry->last_modified = g_strdup (dr_json_get_string (root, "last_modified", NULL));
  entry->body = g_bytes_new (body, strlen (body));
  if (entry->etag == NULL && entry->last_modified == NULL)
    {
      cache_entry_free (entry);
      return NULL;
    }
  g_hash_table_replace (self->cache, g_strdup (url), entry);
  return entry;
}

static void
cache_store (DrGithubClient *self,
             const char     *url,
             SoupMessage    *msg,
             GBytes         *body)
{
  const char *etag = response_header (msg, "ETag");
  const char *last_modified = response_header (msg, "Last-Modified");
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file = NULL;
  g_autofree char *body_text = NULL;
  g_autoptr(GError) error = NULL;
  CacheEntry *entry;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  if (etag == NULL && last_modified == NULL)
    {
      g_hash_table_remove (self->cache, url);
      return;
    }

  entry = g_new0 (CacheEntry, 1);
  entry->etag = g_strdup (etag);
  entry->last_modified = g_strdup (last_modified);
  entry->body = g_bytes_ref (body);
  g_hash_table_replace (self->cache, g_strdup (url), entry);

  if (self->cache_dir == NULL || length > MAX_DISK_CACHE_BYTES ||
      !g_utf8_validate (data, length, NULL) || memchr (data, '\0', length) != NULL)
    return;

  body_text = g_strndup (data, length);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  if (etag != NULL)
    {
      json_builder_set_member_name (builder, "etag");
      json_builder_add_string_value (builder, etag);
    }
  if (last_modified != NULL)
    {
      json_builder_set_member_name (builder, "last_modified");
      json_builder_add_string_value (builder, last_modified);
    }
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body_text);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  file = cache_file_for (self, url);
  /* The cache is a convenience: a full disk or a read-only home only costs requests. */
  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0 ||
      !g_file_set_contents_full (file, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("GitHub cache: not written: %s", error != NULL ? error->message : g_strerror (errno));
}

/* ---- sending ---------------------------------------------------------------------------- */

static void attempt (GTask *task);

static gboolean
wait_done_cb (gpointer data)
{
  GTask *task = data;
  Request *req = g_task_get_task_data (task);
  gboolean both = req->wait_source != NULL && req->wait_cancel_source != NULL;

  if (req->wait_source != NULL)
    {
      g_source_destroy (req->wait_source);
      g_clear_pointer (&req->wait_source, g_source_unref);
    }
  if (req->wait_cancel_source != NULL)
    {
      g_source_destroy (req->wait_cancel_source);
      g_clear_pointer (&req->wait_cancel_source, g_source_unref);
    }
  if (both)
    g_object_unref (task);

  attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      data)
{
  return wait_done_cb (data);
}

/* Sends the request again after @ms, keeping the task's reference. */
static void
retry_later (GTask *task,
             guint  ms)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  request_end_attempt (req);
  req->wait_source = g_timeout_source_new (ms);
  g_source_set_callback (req->wait_source, wait_done_cb, task, NULL);
  g_source_set_static_name (req->wait_source, "[deskrun] GitHub retry");
  if (cancellable != NULL)
    {
      req->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->wait_cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             g_object_ref (task), NULL);
      g_source_attach (req->wait_cancel_source, g_task_get_context (task));
    }
  g_source_attach (req->wait_source, g_task_get_context (task));
}

static guint
scaled_ms (DrGithubClient *self,
           guint64         seconds)
{
  guint64 ms = seconds * 1000 * self->scale_percent / 100;

  return (guint) MIN (ms, G_MAXUINT);
}

/* Retry-After in seconds or as an HTTP date; -1 when absent or unreadable. */
static gint64
retry_after_seconds (SoupMessage *msg)
{
  const char *value = response_header (msg, "Retry-After");
  guint64 seconds;
  g_autoptr(GDateTime) when = NULL;

  if (value == NULL)
    return -1;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;
  when = soup_date_time_new_from_http_string (value);
  if (when != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan span = g_date_time_difference (when, now);

      return span > 0 ? (span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND : 0;
    }
  return -1;
}

static char *
format_clock (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%H:%M:%S") : g_strdup ("?");
}

/* A 403 or 429 that asks us to wait: the primary limit (remaining 0: until the reset) or a
 * secondary one (Retry-After, or GitHub's "secondary rate limit" message: back off). Returns
 * TRUE when the request was scheduled again; FALSE with @error when waiting is not an
 * option; FALSE without an error when this is not a rate limit at all. */
static gboolean
handle_rate_limit (GTask   *task,
                   GBytes  *body,
                   GError **error)
{
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  const char *remaining = response_header (req->msg, "x-ratelimit-remaining");
  g_autofree char *message = _dr_github_error_message (body);
  g_autofree char *sentence = NULL;
  gint64 retry_after = retry_after_seconds (req->msg);
  gint64 wait_seconds;
  guint wait_ms;
  gboolean primary = remaining != NULL && g_ascii_strtoll (remaining, NULL, 10) == 0 &&
                     retry_after < 0;
  gboolean secondary = retry_after >= 0 ||
                       (message != NULL && strstr (message, "secondary rate limit") != NULL);

  if (!primary && !secondary)
    return FALSE;

  if (primary)
    {
      const char *reset = response_header (req->msg, "x-ratelimit-reset");
      gint64 reset_unix = reset != NULL ? g_ascii_strtoll (reset, NULL, 10) : 0;
      g_autofree char *clock = format_clock (reset_unix);

      wait_seconds = MAX (reset_unix - g_get_real_time () / G_USEC_PER_SEC, 0) + 1;
      wait_ms = scaled_ms (self, wait_seconds);
      if (wait_seconds > self->max_wait || req->rate_limit_waits >= MAX_RATE_LIMIT_WAITS)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_RATE_LIMITED,
                       _("GitHub’s rate limit for this token is used up until %s (%s)."),
                       clock, message != NULL ? message : _("no requests left"));
          return FALSE;
        }
      sentence = g_strdup_printf (_("GitHub’s rate limit for this token is used up; waiting "
                                    "until %s (%" G_GINT64_FORMAT " s)."),
                                  clock, wait_seconds);
    }
  else
    {
      if (retry_after >= 0)
        {
          wait_seconds = MAX (retry_after, 1);
          wait_ms = scaled_ms (self, wait_seconds);
        }
      else
        {
          /* GitHub: "wait at least one minute", and longer each time it happens again. */
          guint64 ms = (guint64) self->secondary_ms << MIN (req->secondary_waits, 10);

          wait_ms = (guint) MIN (ms, G_MAXUINT);
          wait_seconds = (wait_ms + 999) / 1000;
        }
      req->secondary_waits++;
      if (wait_seconds > self->max_wait || req->rate_limit_waits >= MAX_RATE_LIMIT_WAITS)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_RATE_LIMITED,
                       _("GitHub is slowing this token down (secondary rate limit: %s); try "
                         "again in %" G_GINT64_FORMAT " s."),
                       message != NULL ? message : _("too many requests"), wait_seconds);
          return FALSE;
        }
      sentence = g_strdup_printf (_("GitHub is slowing this token down (secondary rate "
                                    "limit); waiting %" G_GINT64_FORMAT " s before trying "
                                    "again."),
                                  wait_seconds);
    }

  req->rate_limit_waits++;
  g_debug ("GitHub %s %s: %s", req->method, req->url, sentence);
  g_signal_emit (self, signals[SIGNAL_WAITING], 0, (guint) MIN (wait_seconds, G_MAXUINT),
                 sentence);
  retry_later (task, wait_ms);
  return TRUE;
}

static gboolean
same_api (DrGithubClient *self,
          const char     *url)
{
  gsize length = strlen (self->api_base);

  return strncmp (url, self->api_base, length) == 0 && (url[length] == '/' ||
                                                       url[length] == '\0' ||
                                                       url[length] == '?');
}

static void
finish_attempt (GTask  *task,
                GBytes *body)
{
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (req->msg);
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  gsize length = 0;
  const char *data;

  self->requests++;
  update_rate_limit (self, req->msg);
  g_debug ("GitHub %s %s: %u", req->method, req->url, status);

  if (status == SOUP_STATUS_NOT_MODIFIED && req->use_cache)
    {
      CacheEntry *entry = g_hash_table_lookup (self->cache, req->url);

      self->not_modified++;
      if (entry == NULL)
        {
          request_end_attempt (req);
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("GitHub at %s answered “not modified” to a question "
                                     "asked for the first time"),
                                   self->host);
          g_object_unref (task);
          return;
        }
      body = entry->body;
      status = SOUP_STATUS_OK;
      remember_headers (self, req->msg);
    }
  else if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    {
      const char *location = response_header (req->msg, "Location");
      g_autoptr(GUri) base = g_uri_parse (req->url, G_URI_FLAGS_NONE, NULL);
      g_autoptr(GUri) target = NULL;

      if (location != NULL && base != NULL)
        target = g_uri_parse_relative (base, location, G_URI_FLAGS_ENCODED, NULL);
      if (target == NULL || req->redirects >= MAX_REDIRECTS)
        {
          request_end_attempt (req);
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("GitHub at %s sent a redirect deskrun cannot follow"),
                                   self->host);
          g_object_unref (task);
          return;
        }
      req->redirects++;
      g_free (req->url);
      req->url = g_uri_to_string (target);
      /* A log download is a pre-signed URL: the token must not travel with it (FACTS.md §6).
       * Any redirect off the API's own origin goes without the token, too. */
      if (req->expect == EXPECT_DOWNLOAD || !same_api (self, req->url))
        {
          req->use_auth = FALSE;
          wipe_string (&req->bearer);
        }
      req->use_cache = FALSE;
      retry_later (task, 0);
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED && req->use_auth && req->bearer == NULL &&
      !req->refreshed && self->auth != NULL && _dr_github_auth_can_refresh (self->auth))
    {
      /* An installation token GitHub no longer takes (revoked, or the clock disagrees):
       * one new token, once (issue 8). */
      _dr_github_auth_invalidate (self->auth, req->token);
      req->refreshed = TRUE;
      retry_later (task, 0);
      return;
    }

  if (status == SOUP_STATUS_FORBIDDEN || status == STATUS_TOO_MANY_REQUESTS)
    {
      if (handle_rate_limit (task, body, &error))
        return;
      if (error != NULL)
        {
          request_end_attempt (req);
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status) && req->method == SOUP_METHOD_GET &&
      req->retries < MAX_RETRIES)
    {
      guint ms = self->retry_ms << req->retries;

      req->retries++;
      g_debug ("GitHub %s %s: %u, retrying in %u ms", req->method, req->url, status, ms);
      retry_later (task, ms);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      error = status_error (self, req, body);
      req->status = status;
      request_end_attempt (req);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  req->status = status;
  if (req->use_cache && soup_message_get_status (req->msg) == SOUP_STATUS_OK)
    cache_store (self, req->url, req->msg, body);
  if (soup_message_get_status (req->msg) != SOUP_STATUS_NOT_MODIFIED)
    remember_headers (self, req->msg);

  if (req->expect == EXPECT_DOWNLOAD)
    {
      request_end_attempt (req);
      g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }

  data = g_bytes_get_data (body, &length);
  if (length == 0)
    {
      request_end_attempt (req);
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  /* The safe parser (core/dr-json.h): no nesting deeper than a bound, no text json-glib
   * would garble. Sealed, as the immutable parser made it. */
  root = dr_json_parse_data (data, length, &error);
  if (root == NULL)
    {
      request_end_attempt (req);
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub at %s sent a reply that is not JSON: %s"), self->host,
                               error != NULL ? error->message : _("empty"));
      g_object_unref (task);
      return;
    }

  json_node_seal (root);
  request_end_attempt (req);
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

static void
attempt_failed (GTask  *task,
                GError *error_in)
{
  g_autoptr(GError) error = error_in;
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  gboolean timed_out = req->deadline_hit ||
                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  self->requests++;
  if (timed_out && req->method == SOUP_METHOD_GET && req->retries < MAX_RETRIES &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      guint ms = self->retry_ms << req->retries;

      req->retries++;
      g_debug ("GitHub %s %s: timed out, retrying in %u ms", req->method, req->url, ms);
      req->deadline_hit = FALSE;
      retry_later (task, ms);
      return;
    }

  error = transport_error (self, req, g_steal_pointer (&error));
  request_end_attempt (req);
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      attempt_failed (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (req->received->len + g_bytes_get_size (chunk) > req->max_bytes)
        {
          request_end_attempt (req);
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("GitHub at %s sent a reply larger than %" G_GSIZE_FORMAT
                                     " MiB; deskrun stopped reading it"),
                                   self->host, req->max_bytes / (1024 * 1024));
          g_object_unref (task);
          return;
        }
      g_byte_array_append (req->received, g_bytes_get_data (chunk, NULL),
                           g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                       req->attempt_cancellable, read_cb, task);
      return;
    }

  {
    g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&req->received));

    g_clear_object (&req->stream);
    finish_attempt (task, body);
  }
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;
  goffset declared;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      attempt_failed (task, error);
      return;
    }

  declared = soup_message_headers_get_content_length (
      soup_message_get_response_headers (req->msg));
  if (declared > 0 && (guint64) declared > req->max_bytes)
    {
      request_end_attempt (req);
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub at %s announced a reply larger than %" G_GSIZE_FORMAT
                                 " MiB; deskrun did not read it"),
                               self->host, req->max_bytes / (1024 * 1024));
      g_object_unref (task);
      return;
    }

  req->received = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   req->attempt_cancellable, read_cb, task);
}

static gboolean
deadline_cb (gpointer data)
{
  Request *req = data;

  req->deadline_hit = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);
  g_clear_pointer (&req->deadline_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
send_message (GTask *task)
{
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  SoupMessageHeaders *headers;
  const char *bearer = req->bearer != NULL ? req->bearer : req->token;

  g_clear_object (&req->msg);
  req->msg = soup_message_new (req->method, req->url);
  if (req->msg == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                               _("“%s” is not a valid GitHub API address"), req->url);
      g_object_unref (task);
      return;
    }
  /* Redirects are ours to follow: a pre-signed log URL must not get the token. */
  soup_message_set_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (req->msg);
  if (req->use_auth)
    {
      soup_message_headers_replace (headers, "Accept", DR_GITHUB_ACCEPT);
      soup_message_headers_replace (headers, "X-GitHub-Api-Version", DR_GITHUB_API_VERSION);
      if (bearer != NULL)
        {
          g_autofree char *authorization = g_strconcat ("Bearer ", bearer, NULL);

          soup_message_headers_replace (headers, "Authorization", authorization);
          memset (authorization, 0, strlen (authorization));
        }
    }
  if (req->use_cache)
    {
      CacheEntry *entry = cache_lookup (self, req->url);

      if (entry != NULL && entry->etag != NULL)
        soup_message_headers_replace (headers, "If-None-Match", entry->etag);
      else if (entry != NULL && entry->last_modified != NULL)
        soup_message_headers_replace (headers, "If-Modified-Since", entry->last_modified);
    }
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, "application/json", req->body);

  req->deadline_hit = FALSE;
  req->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    req->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                                                 g_object_ref (req->attempt_cancellable),
                                                 g_object_unref);
  req->deadline_source = g_timeout_source_new_seconds (self->deadline);
  g_source_set_callback (req->deadline_source, deadline_cb, req, NULL);
  g_source_set_static_name (req->deadline_source, "[deskrun] GitHub deadline");
  g_source_attach (req->deadline_source, g_task_get_context (task));

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, send_cb, task);
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;

  wipe_string (&req->token);
  req->token = _dr_github_auth_get_token_finish (DR_GITHUB_AUTH (object), result, &error);
  if (req->token == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  send_message (task);
}

/* (Re)sends the request of @task, which owns one reference. */
static void
attempt (GTask *task)
{
  DrGithubClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  request_end_attempt (req);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (req->use_auth && req->bearer == NULL && self->auth != NULL)
    {
      _dr_github_auth_get_token_async (self->auth, self, cancellable, token_cb, task);
      return;
    }
  send_message (task);
}

static void
request_task_free (gpointer data)
{
  request_free (data);
}

static GTask *
request_new (DrGithubClient      *self,
             gpointer             source_tag,
             const char          *method,
             const char          *path_or_url,
             JsonNode            *body,
             Expect               expect,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  req->method = g_intern_string (method);
  if (g_str_has_prefix (path_or_url, "/"))
    req->url = g_strconcat (self->api_base, path_or_url, NULL);
  else
    req->url = g_strdup (path_or_url);
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      req->body = g_bytes_new_take (text, strlen (text));
    }
  req->expect = expect;
  req->use_auth = TRUE;
  req->use_cache = req->method == SOUP_METHOD_GET && expect == EXPECT_JSON;
  req->max_bytes = MAX_JSON_BYTES;
  req->task_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, req, request_task_free);
  return task;
}

/* ---- public ----------------------------------------------------------------------------- */

void
dr_github_client_get_async (DrGithubClient      *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  attempt (request_new (self, dr_github_client_get_async, SOUP_METHOD_GET, path, NULL,
                        EXPECT_JSON, cancellable, callback, user_data));
}

JsonNode *
dr_github_client_get_finish (DrGithubClient  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);
  if (node == NULL && (error == NULL || *error == NULL))
    {
      /* A GET that answers no body at all is not what any GitHub GET does. */
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                   _("GitHub at %s sent an empty reply"), self->host);
    }
  return node;
}

void
dr_github_client_send_async (DrGithubClient      *self,
                             const char          *method,
                             const char          *path,
                             JsonNode            *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  attempt (request_new (self, dr_github_client_send_async, method, path, body, EXPECT_JSON,
                        cancellable, callback, user_data));
}

JsonNode *
dr_github_client_send_finish (DrGithubClient  *self,
                              GAsyncResult    *result,
                              guint           *out_status,
                              GError         **error)
{
  Request *req;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL)
    *out_status = req->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_dr_github_client_send_bearer_async (DrGithubClient      *self,
                                     const char          *method,
                                     const char          *path,
                                     const char          *bearer,
                                     JsonNode            *body,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));
  g_return_if_fail (bearer != NULL);

  task = request_new (self, _dr_github_client_send_bearer_async, method, path, body,
                      EXPECT_JSON, cancellable, callback, user_data);
  req = g_task_get_task_data (task);
  req->bearer = g_strdup (bearer);
  req->use_cache = FALSE;
  attempt (task);
}

JsonNode *
_dr_github_client_send_bearer_finish (DrGithubClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);
  if (node == NULL && (error == NULL || *error == NULL))
    g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                 _("GitHub at %s sent an empty reply"), self->host);
  return node;
}

void
dr_github_client_download_async (DrGithubClient      *self,
                                 const char          *path,
                                 gsize                max_bytes,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Request *req;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = request_new (self, dr_github_client_download_async, SOUP_METHOD_GET, path, NULL,
                      EXPECT_DOWNLOAD, cancellable, callback, user_data);
  req = g_task_get_task_data (task);
  req->max_bytes = max_bytes > 0 ? max_bytes : DEFAULT_MAX_DOWNLOAD_BYTES;
  attempt (task);
}

GBytes *
dr_github_client_download_finish (DrGithubClient  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- pagination ------------------------------------------------------------------------- */

typedef struct
{
  char      *member;
  guint      max_items;
  guint      pages;
  JsonArray *items;
} GetAll;

static void
get_all_free (gpointer data)
{
  GetAll *all = data;

  g_free (all->member);
  g_clear_pointer (&all->items, json_array_unref);
  g_free (all);
}

/* The rel="next" target of a Link header, or NULL. */
static char *
link_next (const char *link)
{
  g_auto(GStrv) parts = NULL;

  if (link == NULL)
    return NULL;
  parts = g_strsplit (link, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *open = strchr (parts[i], '<');
      const char *close = open != NULL ? strchr (open, '>') : NULL;

      if (close == NULL)
        continue;
      if (strstr (close, "rel=\"next\"") != NULL || strstr (close, "rel=next") != NULL)
        return g_strndup (open + 1, close - open - 1);
    }
  return NULL;
}

static char *
with_per_page (const char *path,
               guint       per_page)
{
  if (strstr (path, "per_page=") != NULL)
    return g_strdup (path);
  return g_strdup_printf ("%s%cper_page=%u", path, strchr (path, '?') != NULL ? '&' : '?',
                          per_page);
}

static void get_all_page_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
get_all_fetch (GTask      *task,
               const char *url)
{
  DrGithubClient *self = g_task_get_source_object (task);
  GetAll *all = g_task_get_task_data (task);

  all->pages++;
  attempt (request_new (self, get_all_fetch, SOUP_METHOD_GET, url, NULL, EXPECT_JSON,
                        g_task_get_cancellable (task), get_all_page_cb, task));
}

static void
get_all_page_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DrGithubClient *self = DR_GITHUB_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  GetAll *all = g_task_get_task_data (task);
  Request *req = g_task_get_task_data (G_TASK (result));
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  JsonArray *items;

  next = link_next (req->msg != NULL ? response_header (req->msg, "Link") : NULL);
  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      if (error == NULL)
        error = g_error_new (DR_ERROR, DR_ERROR_BAD_RESPONSE,
                             _("GitHub at %s sent an empty page"), self->host);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  items = all->member != NULL ? dr_json_get_array (page, all->member, NULL)
                              : (JSON_NODE_HOLDS_ARRAY (page) ? json_node_get_array (page)
                                                              : NULL);
  if (items == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                               _("GitHub at %s sent a list without its “%s” array"), self->host,
                               all->member != NULL ? all->member : "[]");
      return;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      if (all->max_items > 0 && json_array_get_length (all->items) >= all->max_items)
        break;
      json_array_add_element (all->items, json_node_copy (json_array_get_element (items, i)));
    }

  if (next != NULL && json_array_get_length (items) > 0 &&
      (all->max_items == 0 || json_array_get_length (all->items) < all->max_items) &&
      all->pages < DR_GITHUB_MAX_PAGES)
    {
      /* The token goes only to the API it was meant for: a next page elsewhere (a proxy
       * that passes GitHub's own Link through, a mock server) ends the list here. */
      if (same_api (self, next))
        {
          get_all_fetch (g_steal_pointer (&task), next);
          return;
        }
      g_debug ("GitHub list: not following a next page off %s", self->api_base);
    }

  if (next != NULL && all->pages >= DR_GITHUB_MAX_PAGES)
    g_debug ("GitHub list stopped after %u pages", all->pages);

  g_task_return_pointer (task, g_steal_pointer (&all->items), (GDestroyNotify) json_array_unref);
}

void
dr_github_client_get_all_async (DrGithubClient      *self,
                                const char          *path,
                                const char          *member,
                                guint                max_items,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *first = NULL;
  GetAll *all;

  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_github_client_get_all_async);
  all = g_new0 (GetAll, 1);
  all->member = g_strdup (member);
  all->max_items = max_items;
  all->items = json_array_new ();
  g_task_set_task_data (task, all, get_all_free);

  first = with_per_page (path, max_items > 0 && max_items < DR_GITHUB_PER_PAGE
                                 ? max_items : DR_GITHUB_PER_PAGE);
  get_all_fetch (g_steal_pointer (&task), first);
}

JsonArray *
dr_github_client_get_all_finish (DrGithubClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the object ------------------------------------------------------------------------- */

const char *
dr_github_client_get_api_base (DrGithubClient *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_CLIENT (self), NULL);

  return self->api_base;
}

DrGithubAuth *
dr_github_client_get_auth (DrGithubClient *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_CLIENT (self), NULL);

  return self->auth;
}

const DrGithubRateLimit *
dr_github_client_get_rate_limit (DrGithubClient *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_CLIENT (self), NULL);

  return &self->rate_limit;
}

guint64
dr_github_client_get_request_count (DrGithubClient *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_CLIENT (self), 0);

  return self->requests;
}

guint64
dr_github_client_get_not_modified_count (DrGithubClient *self)
{
  g_return_val_if_fail (DR_IS_GITHUB_CLIENT (self), 0);

  return self->not_modified;
}

const char *
dr_github_client_get_last_header (DrGithubClient *self,
                                  const char     *name)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (DR_IS_GITHUB_CLIENT (self), NULL);

  lower = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (self->last_headers, lower);
}

void
dr_github_client_set_timeouts (DrGithubClient *self,
                               guint           io_timeout_seconds,
                               guint           deadline_seconds)
{
  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));
  g_return_if_fail (io_timeout_seconds > 0 && deadline_seconds > 0);

  self->io_timeout = io_timeout_seconds;
  self->deadline = deadline_seconds;
  soup_session_set_timeout (self->session, io_timeout_seconds);
}

void
dr_github_client_set_max_wait (DrGithubClient *self,
                               guint           seconds)
{
  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));

  self->max_wait = seconds;
}

void
_dr_github_client_set_test_delays (DrGithubClient *self,
                                   guint           retry_ms,
                                   guint           secondary_ms,
                                   guint           scale_percent)
{
  g_return_if_fail (DR_IS_GITHUB_CLIENT (self));

  self->retry_ms = retry_ms;
  self->secondary_ms = secondary_ms;
  self->scale_percent = scale_percent;
}

DrGithubClient *
dr_github_client_new (const char   *api_base,
                      DrGithubAuth *auth,
                      const char   *cache_dir,
                      const char   *cache_key)
{
  DrGithubClient *self;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *user_agent = NULL;
  gsize length;

  g_return_val_if_fail (api_base != NULL, NULL);
  g_return_val_if_fail (auth == NULL || DR_IS_GITHUB_AUTH (auth), NULL);

  self = g_object_new (DR_TYPE_GITHUB_CLIENT, NULL);
  self->api_base = g_strdup (api_base);
  length = strlen (self->api_base);
  while (length > 0 && self->api_base[length - 1] == '/')
    self->api_base[--length] = '\0';
  uri = g_uri_parse (self->api_base, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    self->host = g_uri_get_port (uri) > 0
                   ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                   : g_strdup (g_uri_get_host (uri));
  else
    self->host = g_strdup (self->api_base);
  self->auth = auth != NULL ? g_object_ref (auth) : NULL;
  if (cache_dir != NULL)
    {
      g_autofree char *key_hash = sha256_hex (cache_key != NULL ? cache_key : "anonymous");

      self->cache_dir = g_build_filename (cache_dir, key_hash, NULL);
    }

  user_agent = g_strdup_printf ("deskrun/%s", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", self->io_timeout,
                                                 "max-conns-per-host", 6,
                                                 NULL);
  return self;
}

static void
dr_github_client_finalize (GObject *object)
{
  DrGithubClient *self = DR_GITHUB_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->auth);
  g_free (self->api_base);
  g_free (self->host);
  g_free (self->cache_dir);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->last_headers, g_hash_table_unref);
  g_free (self->rate_limit.resource);

  G_OBJECT_CLASS (dr_github_client_parent_class)->finalize (object);
}

static void
dr_github_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DrGithubClient *self = DR_GITHUB_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RATE_LIMIT:
      g_value_set_pointer (value, &self->rate_limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_github_client_class_init (DrGithubClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_github_client_finalize;
  object_class->get_property = dr_github_client_get_property;

  /* A DrGithubRateLimit owned by the client. */
  properties[PROP_RATE_LIMIT] =
    g_param_spec_pointer ("rate-limit", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (guint seconds, const char *sentence): about to wait for a rate limit. */
  signals[SIGNAL_WAITING] =
    g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
dr_github_client_init (DrGithubClient *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->rate_limit.limit = -1;
  self->rate_limit.remaining = -1;
  self->io_timeout = DEFAULT_IO_TIMEOUT_SECONDS;
  self->deadline = DEFAULT_DEADLINE_SECONDS;
  self->max_wait = DEFAULT_MAX_WAIT_SECONDS;
  self->retry_ms = 1000;
  self->secondary_ms = 60 * 1000;
  self->scale_percent = 100;
}
