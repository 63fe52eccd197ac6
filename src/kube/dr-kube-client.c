/* dr-kube-client.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One class, DrKubeClient, and longer than most files here because every verb of the REST
 * API is a small wrapper around the same bounded request (deadline, size limit, 429 retry,
 * Status errors) and the streams share its credentials and errors. TLS from the kubeconfig
 * lives in dr-kube-tls.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "dr-error.h"
#include "dr-json.h"
#include "dr-kube-client.h"
#include "dr-kube-tls.h"

/* The I/O timeout of ordinary requests. Watches and log streams stay open for minutes; they
 * go over a session of their own without this timeout. */
#define REQUEST_TIMEOUT_SECONDS 30
/* TCP keepalive of watches and log streams (see stream_network_event_cb()). */
#define STREAM_KEEPALIVE_IDLE     30
#define STREAM_KEEPALIVE_INTERVAL 10
#define STREAM_KEEPALIVE_COUNT    3
/* How much of an error reply to a stream request is read for its Status message. */
#define MAX_STREAM_ERROR_BODY   (64 * 1024)
/* A 429 is retried this many times, waiting what Retry-After asks but never longer than
 * MAX_RETRY_WAIT_SECONDS, before the caller sees DR_ERROR_RATE_LIMITED. */
#define MAX_RATE_LIMIT_RETRIES  3
#define MAX_RETRY_WAIT_SECONDS  10
/* A list that keeps handing out continue tokens is broken; stop rather than loop. */
#define MAX_LIST_PAGES          10000

/* Neither is in libsoup 3.2's headers. */
#define STATUS_TOO_MANY_REQUESTS 429
#define METHOD_PATCH             g_intern_static_string ("PATCH")

struct _DrKubeClient
{
  GObject          parent_instance;

  SoupSession     *session;
  SoupSession     *stream_session;      /* watches and logs: no I/O timeout */
  char            *server;              /* no trailing slash */
  char            *context_name;
  char            *token;               /* never logged, wiped on finalize */
  GTlsCertificate *client_certificate;  /* with its private key */
  gboolean         insecure;
  gboolean         has_ca;
  guint            deadline_seconds;    /* of one request, all of it */
  gsize            max_reply_size;      /* of one reply's body */
};

G_DEFINE_FINAL_TYPE (DrKubeClient, dr_kube_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_INSECURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  EXPECT_OBJECT,
  EXPECT_LIST,
  EXPECT_RAW,       /* not JSON: the health endpoints */
} Expect;

/* One request, kept as the task data while it is sent (and resent after a 429). */
typedef struct
{
  const char  *method;        /* interned SOUP_METHOD_* */
  char        *uri;
  char        *content_type;
  GBytes      *body;
  Expect       expect;
  SoupMessage *msg;
  guint        attempts;
  GSource     *wait_source;
  GSource     *cancel_source;

  /* One attempt: its own cancellable (the caller's cancels it, and so does the deadline), the
   * response body being read, and whether the deadline ran out. */
  GCancellable *attempt;
  gulong        attempt_handler;
  GSource      *deadline;
  gboolean      timed_out;
  GInputStream *stream;
  GByteArray   *buffer;
  GCancellable *caller;       /* the task's, not owned */
} Request;

static void
request_end_attempt (Request *req)
{
  if (req->deadline != NULL)
    {
      g_source_destroy (req->deadline);
      g_clear_pointer (&req->deadline, g_source_unref);
    }
  if (req->attempt_handler != 0)
    g_cancellable_disconnect (req->caller, req->attempt_handler);
  req->attempt_handler = 0;
  g_clear_object (&req->attempt);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
}

static void
request_clear_wait (Request *req)
{
  if (req->wait_source != NULL)
    {
      g_source_destroy (req->wait_source);
      g_clear_pointer (&req->wait_source, g_source_unref);
    }
  if (req->cancel_source != NULL)
    {
      g_source_destroy (req->cancel_source);
      g_clear_pointer (&req->cancel_source, g_source_unref);
    }
}

static void
request_free (gpointer data)
{
  Request *req = data;

  request_clear_wait (req);
  request_end_attempt (req);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->uri, g_free);
  g_clear_pointer (&req->content_type, g_free);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req);
}

static void
append_segment (GString    *path,
                const char *segment)
{
  g_string_append_c (path, '/');
  g_string_append_uri_escaped (path, segment, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH_ELEMENT,
                               FALSE);
}

char *
dr_kube_path (const char *api_version,
              const char *plural,
              const char *namespace_,
              const char *name)
{
  g_autoptr(GString) path = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (api_version != NULL && *api_version != '\0', NULL);
  g_return_val_if_fail (plural != NULL && *plural != '\0', NULL);

  parts = g_strsplit (api_version, "/", 2);
  path = g_string_new (parts[1] != NULL ? "/apis" : "/api");
  append_segment (path, parts[0]);
  if (parts[1] != NULL)
    append_segment (path, parts[1]);
  if (namespace_ != NULL && *namespace_ != '\0')
    {
      append_segment (path, "namespaces");
      append_segment (path, namespace_);
    }
  append_segment (path, plural);
  if (name != NULL && *name != '\0')
    append_segment (path, name);

  return g_string_free (g_steal_pointer (&path), FALSE);
}

static void
query_add (GString    *query,
           const char *key,
           const char *value)
{
  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, key);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

/* Errors that kept us from an answer: they name the server, keep their domain and code, and
 * leave a cancellation exactly as it was (callers ignore G_IO_ERROR_CANCELLED). */
static GError *
transport_error (DrKubeClient *self,
                 GError       *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      GError *better;

      if (self->has_ca)
        better = g_error_new (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                              _("Could not reach the Kubernetes API server at %s: its certificate "
                                "is not signed by the certificate authority of the kubeconfig, or "
                                "is not valid for this address (%s)"),
                              self->server, error->message);
      else
        better = g_error_new (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                              _("Could not reach the Kubernetes API server at %s: its certificate "
                                "is not trusted by this system, and the kubeconfig names no "
                                "certificate authority (%s)"),
                              self->server, error->message);
      g_error_free (error);
      return better;
    }

  g_prefix_error (&error, _("Could not reach the Kubernetes API server at %s: "), self->server);
  return error;
}

/* The "message" of a Kubernetes Status object, when @body is one. */
static char *
status_message (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *message;

  if (g_bytes_get_size (body) == 0 || (root = dr_json_parse_bytes (body, NULL)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "message") ||
      json_node_get_value_type (json_object_get_member (object, "message")) != G_TYPE_STRING)
    return NULL;
  message = json_object_get_string_member (object, "message");
  if (message == NULL || *message == '\0')
    return NULL;
  return g_strdup (message);
}

static GError *
status_error (DrKubeClient *self,
              SoupMessage  *msg,
              GBytes       *body)
{
  guint status = soup_message_get_status (msg);
  int code = dr_error_from_http_status (status);
  g_autofree char *detail = status_message (body);

  if (detail == NULL)
    {
      const char *reason = soup_message_get_reason_phrase (msg);

      detail = g_strdup_printf ("HTTP %u %s", status, reason != NULL ? reason : "");
      g_strchomp (detail);
    }

  switch (code)
    {
    case DR_ERROR_INVALID:
      return g_error_new (DR_ERROR, code, _("The Kubernetes API server refused the request: %s"),
                          detail);
    case DR_ERROR_UNAUTHORIZED:
      return g_error_new (DR_ERROR, code,
                          _("The Kubernetes API server at %s did not accept the credentials of "
                            "the kubeconfig: %s"),
                          self->server, detail);
    case DR_ERROR_FORBIDDEN:
      return g_error_new (DR_ERROR, code, _("Not allowed by the Kubernetes API server: %s"),
                          detail);
    case DR_ERROR_NOT_FOUND:
      return g_error_new (DR_ERROR, code, _("Not found on the Kubernetes API server: %s"),
                          detail);
    case DR_ERROR_CONFLICT:
      return g_error_new (DR_ERROR, code, _("Conflict on the Kubernetes API server: %s"), detail);
    case DR_ERROR_GONE:
      return g_error_new (DR_ERROR, code,
                          _("The Kubernetes API server no longer has that version: %s"), detail);
    case DR_ERROR_UNPROCESSABLE:
      return g_error_new (DR_ERROR, code, _("The Kubernetes API server rejected the object: %s"),
                          detail);
    case DR_ERROR_RATE_LIMITED:
      return g_error_new (DR_ERROR, code,
                          _("The Kubernetes API server is too busy; try again later: %s"), detail);
    case DR_ERROR_SERVER:
      return g_error_new (DR_ERROR, code, _("The Kubernetes API server at %s failed: %s"),
                          self->server, detail);
    default:
      return g_error_new (DR_ERROR, code,
                          _("The Kubernetes API server at %s refused the request: %s"),
                          self->server, detail);
    }
}

/* Replies are data from outside: anything but the JSON object we expect is
 * DR_ERROR_BAD_RESPONSE, never an assertion. */
static JsonNode *
parse_reply (DrKubeClient  *self,
             GBytes        *body,
             Expect         expect,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (g_bytes_get_size (body) == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                   _("The Kubernetes API server at %s sent an empty reply"), self->server);
      return NULL;
    }
  root = dr_json_parse_bytes (body, &local_error);
  if (root == NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                   _("The Kubernetes API server at %s sent a reply that is not JSON: %s"),
                   self->server, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                   _("The Kubernetes API server at %s sent a reply that is not a JSON object"),
                   self->server);
      return NULL;
    }
  object = json_node_get_object (root);

  if (json_object_has_member (object, "metadata") &&
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "metadata")))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                   _("The Kubernetes API server at %s sent an object whose metadata is not an "
                     "object"),
                   self->server);
      return NULL;
    }

  if (expect == EXPECT_LIST)
    {
      JsonNode *items = json_object_get_member (object, "items");

      /* Go encodes an empty slice as null; that is an empty list, not an error. */
      if (items == NULL || JSON_NODE_HOLDS_NULL (items))
        json_object_set_array_member (object, "items", json_array_new ());
      else if (!JSON_NODE_HOLDS_ARRAY (items))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                       _("The Kubernetes API server at %s sent a list whose items are not an "
                         "array"),
                       self->server);
          return NULL;
        }
    }

  return json_node_ref (root);
}

/* Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
static guint
retry_after_seconds (SoupMessage *msg)
{
  const char *value;
  guint64 seconds = 1;

  value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  if (value != NULL)
    {
      g_autoptr(GDateTime) when = NULL;

      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &seconds, NULL) &&
          (when = soup_date_time_new_from_http_string (value)) != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          GTimeSpan span = g_date_time_difference (when, now);

          seconds = span > 0 ? (span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND : 0;
        }
    }

  return MIN (seconds, MAX_RETRY_WAIT_SECONDS);
}

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

static void request_send (GTask *task);

/* The retry wait's sources each hold a reference on the task, without a destroy notify:
 * the one that fires hands its reference to request_send(), which drops the other's. */
static gboolean
retry_wait_done_cb (gpointer data)
{
  request_send (data);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_wait_cancelled_cb (GCancellable *cancellable,
                         gpointer      data)
{
  request_send (data);
  return G_SOURCE_REMOVE;
}

/* The attempt failed before the whole reply was in. */
static void
attempt_failed (GTask  *task,
                GError *error_in)
{
  g_autoptr(GError) error = error_in;
  DrKubeClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  gboolean timed_out = req->timed_out;

  request_end_attempt (req);
  if (timed_out)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The Kubernetes API server at %s did not send its whole reply "
                                 "within %u seconds"),
                               self->server, self->deadline_seconds);
      return;
    }
  /* The caller's own cancellation, as it was. */
  if (g_cancellable_is_cancelled (req->caller))
    {
      g_task_return_error_if_cancelled (task);
      return;
    }
  g_task_return_error (task, transport_error (self, g_steal_pointer (&error)));
}

static void reply_cb (GTask  *task,
                      GBytes *body);

static void read_next (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrKubeClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      attempt_failed (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) > 0)
    {
      if (req->buffer->len + g_bytes_get_size (chunk) > self->max_reply_size)
        {
          g_autofree char *limit = g_format_size (self->max_reply_size);

          request_end_attempt (req);
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("The Kubernetes API server at %s sent a reply larger than "
                                     "%s; it was not read to the end"),
                                   self->server, limit);
          return;
        }
      g_byte_array_append (req->buffer, g_bytes_get_data (chunk, NULL),
                           g_bytes_get_size (chunk));
      read_next (g_steal_pointer (&task));
      return;
    }

  body = g_byte_array_free_to_bytes (g_steal_pointer (&req->buffer));
  request_end_attempt (req);
  reply_cb (g_steal_pointer (&task), body);
}

static void
read_next (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream, 64 * 1024, G_PRIORITY_DEFAULT, req->attempt,
                                   read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      attempt_failed (task, error);
      g_object_unref (task);
      return;
    }
  req->buffer = g_byte_array_new ();
  read_next (task);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_clear_pointer (&req->deadline, g_source_unref);
  g_cancellable_cancel (req->attempt);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GCancellable *attempt)
{
  g_cancellable_cancel (attempt);
}

/* What the reply says, once it is all in. */
static void
reply_cb (GTask  *task_in,
          GBytes *body)
{
  g_autoptr(GTask) task = task_in;
  DrKubeClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  guint status;

  status = soup_message_get_status (req->msg);
  if (status == STATUS_TOO_MANY_REQUESTS && req->attempts <= MAX_RATE_LIMIT_RETRIES)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      guint seconds = retry_after_seconds (req->msg);

      g_debug ("%s: 429, retrying in %u s", self->server, seconds);
      req->wait_source = g_timeout_source_new (seconds * 1000);
      g_source_set_callback (req->wait_source, retry_wait_done_cb, g_object_ref (task), NULL);
      g_source_set_static_name (req->wait_source, "[deskrun] kube retry-after");
      if (cancellable != NULL)
        {
          req->cancel_source = g_cancellable_source_new (cancellable);
          g_source_set_callback (req->cancel_source, G_SOURCE_FUNC (retry_wait_cancelled_cb),
                                 g_object_ref (task), NULL);
          g_source_attach (req->cancel_source, g_task_get_context (task));
        }
      g_source_attach (req->wait_source, g_task_get_context (task));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, status_error (self, req->msg, body));
      return;
    }

  if (req->expect == EXPECT_RAW)
    {
      g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  node = parse_reply (self, body, req->expect, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* What every request carries: Accept, credentials, and the kubeconfig's view of the server
 * certificate. */
static void
prepare_message (DrKubeClient *self,
                 SoupMessage  *msg,
                 const char   *accept)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Accept", accept);
  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      memset (authorization, 0, strlen (authorization));
    }
  if (self->client_certificate != NULL)
    soup_message_set_tls_client_certificate (msg, self->client_certificate);
  if (self->insecure)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
}

/* Sends (or resends) the request of @task, taking the reference. */
static void
request_send (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  DrKubeClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* After a retry wait, drop the other source and the reference it holds. */
  if (req->wait_source != NULL || req->cancel_source != NULL)
    {
      gboolean both = req->wait_source != NULL && req->cancel_source != NULL;

      request_clear_wait (req);
      if (both)
        g_object_unref (task);
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  g_clear_object (&req->msg);
  req->msg = soup_message_new (req->method, req->uri);
  if (req->msg == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                               _("“%s” is not a valid Kubernetes API address"), req->uri);
      return;
    }
  req->attempts++;

  /* The health endpoints answer plain text ("ok"), everything else JSON. */
  prepare_message (self, req->msg,
                   req->expect == EXPECT_RAW ? "text/plain, */*" : "application/json");
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, req->content_type, req->body);

  /* One deadline for the whole exchange (connect, headers, body): the session's I/O timeout
   * alone lets a server that sends a byte now and then keep a request alive for ever. */
  req->caller = cancellable;
  req->timed_out = FALSE;
  req->attempt = g_cancellable_new ();
  if (cancellable != NULL)
    req->attempt_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  g_object_ref (req->attempt), g_object_unref);
  /* Milliseconds: a timeout in whole seconds may fire up to a second early. */
  req->deadline = g_timeout_source_new (self->deadline_seconds * 1000);
  g_source_set_callback (req->deadline, deadline_cb, req, NULL);
  g_source_set_static_name (req->deadline, "[deskrun] kube request deadline");
  g_source_attach (req->deadline, g_task_get_context (task));

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, req->attempt, send_cb,
                           g_steal_pointer (&task));
}

static void
send_async (DrKubeClient        *self,
            gpointer             source_tag,
            const char          *method,
            const char          *path,
            GString             *query,
            const char          *content_type,
            GBytes              *body,
            Expect               expect,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  req = g_new0 (Request, 1);
  req->method = method;
  req->uri = g_strconcat (self->server, path, query != NULL && query->len > 0 ? "?" : "",
                          query != NULL ? query->str : "", NULL);
  req->content_type = g_strdup (content_type);
  req->body = body != NULL ? g_bytes_ref (body) : NULL;
  req->expect = expect;
  g_task_set_task_data (task, req, request_free);

  request_send (g_steal_pointer (&task));
}

static JsonNode *
finish_node (DrKubeClient  *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (DR_IS_KUBE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GBytes *
node_to_bytes (JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

static GString *
write_query (DrKubeWriteFlags flags)
{
  GString *query = g_string_new (NULL);

  if (flags & DR_KUBE_WRITE_DRY_RUN)
    query_add (query, "dryRun", "All");
  return query;
}

void
dr_kube_client_get_async (DrKubeClient        *self,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  send_async (self, dr_kube_client_get_async, SOUP_METHOD_GET, path, NULL, NULL, NULL,
              EXPECT_OBJECT, cancellable, callback, user_data);
}

JsonNode *
dr_kube_client_get_finish (DrKubeClient  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_node (self, result, dr_kube_client_get_async, error);
}

void
dr_kube_client_get_raw_async (DrKubeClient        *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  send_async (self, dr_kube_client_get_raw_async, SOUP_METHOD_GET, path, NULL, NULL, NULL,
              EXPECT_RAW, cancellable, callback, user_data);
}

GBytes *
dr_kube_client_get_raw_finish (DrKubeClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (DR_IS_KUBE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dr_kube_client_get_raw_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GString *
list_query (const DrKubeListOptions *options,
            const char              *continue_token)
{
  GString *query = g_string_new (NULL);

  if (options != NULL && options->label_selector != NULL && *options->label_selector != '\0')
    query_add (query, "labelSelector", options->label_selector);
  if (options != NULL && options->field_selector != NULL && *options->field_selector != '\0')
    query_add (query, "fieldSelector", options->field_selector);
  if (options != NULL && options->limit > 0)
    {
      char limit[16];

      g_snprintf (limit, sizeof limit, "%u", options->limit);
      query_add (query, "limit", limit);
    }
  if (continue_token != NULL && *continue_token != '\0')
    query_add (query, "continue", continue_token);

  return query;
}

void
dr_kube_client_list_async (DrKubeClient            *self,
                           const char              *path,
                           const DrKubeListOptions *options,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GString) query = NULL;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  query = list_query (options, options != NULL ? options->continue_token : NULL);
  send_async (self, dr_kube_client_list_async, SOUP_METHOD_GET, path, query, NULL, NULL,
              EXPECT_LIST, cancellable, callback, user_data);
}

JsonNode *
dr_kube_client_list_finish (DrKubeClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_node (self, result, dr_kube_client_list_async, error);
}

typedef struct
{
  char      *path;
  char      *label_selector;
  char      *field_selector;
  guint      limit;
  char      *continue_token;
  JsonArray *items;
  guint      pages;
} ListAll;

static void
list_all_free (gpointer data)
{
  ListAll *list = data;

  g_free (list->path);
  g_free (list->label_selector);
  g_free (list->field_selector);
  g_free (list->continue_token);
  g_clear_pointer (&list->items, json_array_unref);
  g_free (list);
}

static void list_all_page_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
list_all_next_page (GTask *task)
{
  DrKubeClient *self = g_task_get_source_object (task);
  ListAll *list = g_task_get_task_data (task);
  DrKubeListOptions options = {
    .label_selector = list->label_selector,
    .field_selector = list->field_selector,
    .limit = list->limit,
  };
  g_autoptr(GString) query = list_query (&options, list->continue_token);

  list->pages++;
  send_async (self, list_all_next_page, SOUP_METHOD_GET, list->path, query, NULL, NULL,
              EXPECT_LIST, g_task_get_cancellable (task), list_all_page_cb, task);
}

static void
list_all_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DrKubeClient *self = DR_KUBE_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  ListAll *list = g_task_get_task_data (task);
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object_;
  JsonObject *metadata = NULL;
  JsonArray *items;
  const char *next = NULL;

  page = finish_node (self, result, list_all_next_page, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object_ = json_node_get_object (page);
  items = json_object_get_array_member (object_, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    json_array_add_element (list->items, json_node_copy (json_array_get_element (items, i)));

  if (json_object_has_member (object_, "metadata"))
    metadata = json_object_get_object_member (object_, "metadata");
  if (metadata != NULL && json_object_has_member (metadata, "continue"))
    {
      JsonNode *node = json_object_get_member (metadata, "continue");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        next = json_node_get_string (node);
      else if (!JSON_NODE_HOLDS_NULL (node))
        {
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("The Kubernetes API server at %s sent a continue token that "
                                     "is not a string"),
                                   self->server);
          return;
        }
    }

  if (next != NULL && *next != '\0')
    {
      if (g_strcmp0 (next, list->continue_token) == 0 || list->pages >= MAX_LIST_PAGES)
        {
          g_task_return_new_error (task, DR_ERROR, DR_ERROR_BAD_RESPONSE,
                                   _("The Kubernetes API server at %s keeps sending more pages of "
                                     "the same list"),
                                   self->server);
          return;
        }
      g_free (list->continue_token);
      list->continue_token = g_strdup (next);
      list_all_next_page (g_steal_pointer (&task));
      return;
    }

  json_object_set_array_member (object_, "items", g_steal_pointer (&list->items));
  if (metadata != NULL)
    {
      json_object_remove_member (metadata, "continue");
      json_object_remove_member (metadata, "remainingItemCount");
    }
  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) json_node_unref);
}

void
dr_kube_client_list_all_async (DrKubeClient            *self,
                               const char              *path,
                               const DrKubeListOptions *options,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  ListAll *list;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kube_client_list_all_async);

  list = g_new0 (ListAll, 1);
  list->path = g_strdup (path);
  list->items = json_array_new ();
  if (options != NULL)
    {
      list->label_selector = g_strdup (options->label_selector);
      list->field_selector = g_strdup (options->field_selector);
      list->limit = options->limit;
      list->continue_token = g_strdup (options->continue_token);
    }
  g_task_set_task_data (task, list, list_all_free);

  list_all_next_page (g_steal_pointer (&task));
}

JsonNode *
dr_kube_client_list_all_finish (DrKubeClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_node (self, result, dr_kube_client_list_all_async, error);
}

void
dr_kube_client_create_async (DrKubeClient        *self,
                             const char          *path,
                             JsonNode            *object,
                             DrKubeWriteFlags     flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GString) query = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (object != NULL && JSON_NODE_HOLDS_OBJECT (object));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  query = write_query (flags);
  body = node_to_bytes (object);
  send_async (self, dr_kube_client_create_async, SOUP_METHOD_POST, path, query,
              "application/json", body, EXPECT_OBJECT, cancellable, callback, user_data);
}

JsonNode *
dr_kube_client_create_finish (DrKubeClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_node (self, result, dr_kube_client_create_async, error);
}

void
dr_kube_client_apply_async (DrKubeClient        *self,
                            const char          *path,
                            JsonNode            *object,
                            DrKubeWriteFlags     flags,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GString) query = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (object != NULL && JSON_NODE_HOLDS_OBJECT (object));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  query = write_query (flags);
  query_add (query, "fieldManager", DR_KUBE_FIELD_MANAGER);
  query_add (query, "force", "true");
  /* The apply patch type is YAML; JSON is YAML, so the JSON text is sent as it is. */
  body = node_to_bytes (object);
  send_async (self, dr_kube_client_apply_async, METHOD_PATCH, path, query,
              "application/apply-patch+yaml", body, EXPECT_OBJECT, cancellable, callback,
              user_data);
}

JsonNode *
dr_kube_client_apply_finish (DrKubeClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_node (self, result, dr_kube_client_apply_async, error);
}

void
dr_kube_client_merge_patch_async (DrKubeClient        *self,
                                  const char          *path,
                                  JsonNode            *patch,
                                  DrKubeWriteFlags     flags,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GString) query = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (patch != NULL && JSON_NODE_HOLDS_OBJECT (patch));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  query = write_query (flags);
  body = node_to_bytes (patch);
  send_async (self, dr_kube_client_merge_patch_async, METHOD_PATCH, path, query,
              "application/merge-patch+json", body, EXPECT_OBJECT, cancellable, callback,
              user_data);
}

JsonNode *
dr_kube_client_merge_patch_finish (DrKubeClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_node (self, result, dr_kube_client_merge_patch_async, error);
}

void
dr_kube_client_delete_async (DrKubeClient        *self,
                             const char          *path,
                             DrKubePropagation    propagation,
                             DrKubeWriteFlags     flags,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  static const char * const policies[] = {
    [DR_KUBE_PROPAGATION_DEFAULT] = NULL,
    [DR_KUBE_PROPAGATION_FOREGROUND] = "Foreground",
    [DR_KUBE_PROPAGATION_BACKGROUND] = "Background",
    [DR_KUBE_PROPAGATION_ORPHAN] = "Orphan",
  };
  g_autoptr(GString) query = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (propagation <= DR_KUBE_PROPAGATION_ORPHAN);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  query = write_query (flags);

  options = json_object_new ();
  json_object_set_string_member (options, "kind", "DeleteOptions");
  json_object_set_string_member (options, "apiVersion", "v1");
  if (policies[propagation] != NULL)
    json_object_set_string_member (options, "propagationPolicy", policies[propagation]);
  node = json_node_init_object (json_node_alloc (), options);
  body = node_to_bytes (node);

  send_async (self, dr_kube_client_delete_async, SOUP_METHOD_DELETE, path, query,
              "application/json", body, EXPECT_OBJECT, cancellable, callback, user_data);
}

JsonNode *
dr_kube_client_delete_finish (DrKubeClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_node (self, result, dr_kube_client_delete_async, error);
}

/* ---- Streams ------------------------------------------------------------------------------ */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *error_body;
} StreamRequest;

static void
stream_request_free (gpointer data)
{
  StreamRequest *req = data;

  g_clear_object (&req->msg);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->error_body, g_byte_array_unref);
  g_free (req);
}

static void stream_read_error_body (GTask *task);

static void
stream_error_body_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrKubeClient *self = g_task_get_source_object (task);
  StreamRequest *req = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A body cut short still says something; a read error is not the news here, the status is. */
  if (chunk != NULL && g_bytes_get_size (chunk) > 0 &&
      req->error_body->len < MAX_STREAM_ERROR_BODY)
    {
      g_byte_array_append (req->error_body, g_bytes_get_data (chunk, NULL),
                           g_bytes_get_size (chunk));
      stream_read_error_body (g_steal_pointer (&task));
      return;
    }

  body = g_byte_array_free_to_bytes (g_steal_pointer (&req->error_body));
  g_task_return_error (task, status_error (self, req->msg, body));
}

static void
stream_read_error_body (GTask *task)
{
  StreamRequest *req = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (req->stream,
                                   MAX_STREAM_ERROR_BODY - req->error_body->len,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   stream_error_body_cb, task);
}

/* Streams go over HTTP/1.1, always. libsoup 3.2 offers HTTP/2 by ALPN and the API server
 * takes it; when that connection dies (the server is killed or restarted, the TCP connection
 * reset), libsoup fails only the streams still waiting for their headers, and a watch that
 * is already reading its body waits forever on a socket in CLOSE-WAIT. Over HTTP/1.1 each
 * stream has a connection of its own, and its end is the end of the body (or a read
 * error), which the watch and log readers handle. libsoup 3.2 has no per-message switch,
 * but it hands us the TLS connection before the handshake, so we offer only "http/1.1". */
static void
stream_network_event_cb (SoupMessage        *msg,
                         GSocketClientEvent  event,
                         GIOStream          *connection,
                         gpointer            user_data)
{
  static const char * const http1[] = { "http/1.1", NULL };

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING && G_IS_TLS_CONNECTION (connection))
    g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (connection), http1);

  /* A stream may be quiet for minutes, and a peer that vanished without a FIN (a suspended
   * laptop, a dropped route) is then noticed only by TCP keepalive: probes after
   * STREAM_KEEPALIVE_IDLE s of silence, every STREAM_KEEPALIVE_INTERVAL s, and the connection
   * fails after STREAM_KEEPALIVE_COUNT unanswered ones. */
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection));

      g_socket_set_keepalive (socket, TRUE);
#if defined(TCP_KEEPIDLE) && defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
      g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPIDLE, STREAM_KEEPALIVE_IDLE, NULL);
      g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPINTVL, STREAM_KEEPALIVE_INTERVAL, NULL);
      g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPCNT, STREAM_KEEPALIVE_COUNT, NULL);
#endif
    }
}

static void
stream_send_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DrKubeClient *self = g_task_get_source_object (task);
  StreamRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint status;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      g_task_return_error (task, transport_error (self, g_steal_pointer (&error)));
      return;
    }

  g_debug ("%s: stream over HTTP/%s", self->server,
           soup_message_get_http_version (req->msg) == SOUP_HTTP_2_0 ? "2" : "1.1");
  status = soup_message_get_status (req->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      req->error_body = g_byte_array_new ();
      stream_read_error_body (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&req->stream), g_object_unref);
}

void
dr_kube_client_send_stream_async (DrKubeClient        *self,
                                  const char          *method,
                                  const char          *path,
                                  const char * const  *query,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) query_string = g_string_new (NULL);
  g_autofree char *uri = NULL;
  StreamRequest *req;

  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_kube_client_send_stream_async);

  for (guint i = 0; query != NULL && query[i] != NULL; i += 2)
    {
      g_return_if_fail (query[i + 1] != NULL);
      query_add (query_string, query[i], query[i + 1]);
    }
  uri = g_strconcat (self->server, path, query_string->len > 0 ? "?" : "", query_string->str,
                     NULL);

  req = g_new0 (StreamRequest, 1);
  req->msg = soup_message_new (method, uri);
  g_task_set_task_data (task, req, stream_request_free);
  if (req->msg == NULL)
    {
      g_task_return_new_error (task, DR_ERROR, DR_ERROR_INVALID,
                               _("“%s” is not a valid Kubernetes API address"), uri);
      return;
    }
  /* Watches are JSON, logs are text; a real API server answers a log request that accepts
   * only JSON with 406. */
  prepare_message (self, req->msg, "application/json, */*");
  g_signal_connect (req->msg, "network-event", G_CALLBACK (stream_network_event_cb), NULL);

  soup_session_send_async (self->stream_session, req->msg, G_PRIORITY_DEFAULT, cancellable,
                           stream_send_cb, g_steal_pointer (&task));
}

GInputStream *
dr_kube_client_send_stream_finish (DrKubeClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (DR_IS_KUBE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dr_kube_client_send_stream_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
dr_kube_client_get_server (DrKubeClient *self)
{
  g_return_val_if_fail (DR_IS_KUBE_CLIENT (self), NULL);

  return self->server;
}

gboolean
dr_kube_client_get_insecure (DrKubeClient *self)
{
  g_return_val_if_fail (DR_IS_KUBE_CLIENT (self), FALSE);

  return self->insecure;
}

DrKubeClient *
dr_kube_client_new (const DrKubeContext  *context,
                    GError              **error)
{
  g_autoptr(DrKubeClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *context_name;
  const char *scheme;
  gsize length;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context_name = context->context_name != NULL ? context->context_name : "";

  if (context->server == NULL || *context->server == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The kubeconfig context “%s” names no API server"), context_name);
      return NULL;
    }

  uri = g_uri_parse (context->server, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The API server “%s” of kubeconfig context “%s” is not an https:// or "
                     "http:// address"),
                   context->server, context_name);
      return NULL;
    }

  self = g_object_new (DR_TYPE_KUBE_CLIENT, NULL);
  self->context_name = g_strdup (context_name);
  self->server = g_strdup (context->server);
  length = strlen (self->server);
  while (length > 0 && self->server[length - 1] == '/')
    self->server[--length] = '\0';
  self->insecure = !!context->insecure_skip_tls_verify;

  if (!self->insecure && context->certificate_authority != NULL)
    {
      g_autoptr(GTlsDatabase) database = NULL;

      database = dr_kube_tls_database_new (context->certificate_authority, &local_error);
      if (database == NULL)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The certificate authority of kubeconfig context “%s” cannot be used: %s"),
                       context_name, local_error->message);
          return NULL;
        }
      soup_session_set_tls_database (self->session, database);
      soup_session_set_tls_database (self->stream_session, database);
      self->has_ca = TRUE;
    }

  if ((context->client_certificate != NULL) != (context->client_key != NULL))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                   _("The user of kubeconfig context “%s” has a client certificate without a key "
                     "or a key without a certificate"),
                   context_name);
      return NULL;
    }
  if (context->client_certificate != NULL)
    {
      self->client_certificate =
        dr_kube_tls_client_certificate_new (context->client_certificate, context->client_key,
                                            &local_error);
      if (self->client_certificate == NULL)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG,
                       _("The client certificate of kubeconfig context “%s” cannot be used: %s"),
                       context_name, local_error->message);
          return NULL;
        }
    }

  if (context->token != NULL && *context->token != '\0')
    self->token = g_strdup (context->token);

  return g_steal_pointer (&self);
}

static void
dr_kube_client_finalize (GObject *object)
{
  DrKubeClient *self = DR_KUBE_CLIENT (object);

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->client_certificate);
  g_clear_object (&self->session);
  g_clear_object (&self->stream_session);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->context_name, g_free);

  G_OBJECT_CLASS (dr_kube_client_parent_class)->finalize (object);
}

static void
dr_kube_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DrKubeClient *self = DR_KUBE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    case PROP_INSECURE:
      g_value_set_boolean (value, self->insecure);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_kube_client_class_init (DrKubeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dr_kube_client_finalize;
  object_class->get_property = dr_kube_client_get_property;

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_INSECURE] =
    g_param_spec_boolean ("insecure", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

void
dr_kube_client_set_request_limits (DrKubeClient *self,
                                   guint         deadline_seconds,
                                   gsize         max_reply_size)
{
  g_return_if_fail (DR_IS_KUBE_CLIENT (self));
  g_return_if_fail (deadline_seconds > 0 && deadline_seconds <= G_MAXUINT / 1000);
  g_return_if_fail (max_reply_size > 0);

  self->deadline_seconds = deadline_seconds;
  self->max_reply_size = max_reply_size;
}

static void
dr_kube_client_init (DrKubeClient *self)
{
  self->deadline_seconds = DR_KUBE_REQUEST_DEADLINE_SECONDS;
  self->max_reply_size = DR_KUBE_MAX_REPLY_SIZE;
  /* Watches will each hold a connection; the default of 2 per host would starve requests. */
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                                 "user-agent", "deskrun/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 8,
                                                 "max-conns", 16,
                                                 NULL);
  /* Every watch and followed log holds a connection (HTTP/1.1, see
   * stream_network_event_cb()) for as long as it runs; a request that waits for a free one
   * would wait for good, so the limits are generous. A connection that dies silently is
   * noticed by TCP keepalive, and a watch also by its deadline (DrKubeWatch). */
  self->stream_session = soup_session_new_with_options ("timeout", 0,
                                                        "user-agent", "deskrun/" PACKAGE_VERSION,
                                                        "max-conns-per-host", 128,
                                                        "max-conns", 256,
                                                        NULL);
}
